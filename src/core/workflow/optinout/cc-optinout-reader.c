/* cc-optinout-reader.c — opt-in/opt-out readers: changes on either side
 * into the queue.
 *
 * Dynamics 365 is read by change tracking (a first full read, then the
 * deltaLink) or, when Contact has none, by the polling reader the
 * workflows share (cc-poll-reader.h); Campaign through the customer's
 * "modified since" filter (or by reading every profile when there is
 * none). A record whose pair values are what the workflow already knows
 * on that side is passed over: among those are the workflow's own writes
 * coming back, which is how they never bounce. Each page's items and the
 * new read position are committed together.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-error.h"
#include "cc-json-read.h"
#include "cc-optinout-private.h"

#define DYNAMICS_PAGE_SIZE 5000
#define CAMPAIGN_PAGE_SIZE 500

/* The reader pauses while this many contacts wait to be compared. */
#define MAX_BACKLOG 20000

#define PHASE_INITIAL "initial"   /* a full read: every record is compared */
#define PHASE_DELTA   "delta"     /* changes only */
#define PHASE_SCAN    "scan"      /* Campaign without a modified filter */

typedef struct _Reader Reader;

/* Reads one page of one side; *idle when there was nothing new. */
typedef gboolean (*ReadPage) (Reader    *reader,
                              gpointer   client,
                              gboolean  *idle,
                              GError   **error);

struct _Reader
{
  CcOptinout *optinout;
  CcStore    *store;
  const char *workflow;
  gpointer    client;      /* the side's: CcDataverseClient or CcCampaignClient */
  ReadPage    read_page;
};

/* Whether @values (one side's pair values) differ from what the state
 * knows of that side, or the contact has no state yet. */
static gboolean
is_news (Reader      *reader,
         const char  *contact,
         gboolean     dynamics_side,
         const CcOptinoutValue *values,
         GError     **error)
{
  g_autoptr(CcOptinoutState) state = cc_optinout_state_load (reader->optinout, reader->store,
                                                             contact, error);

  if (state == NULL)
    return FALSE;
  if (!state->known)
    return TRUE;
  for (guint i = 0; i < state->n_pairs; i++)
    {
      CcOptinoutValue known = dynamics_side ? state->pairs[i].dynamics : state->pairs[i].campaign;

      if (known != values[i])
        return TRUE;
    }
  return FALSE;
}

static CcQueueItem *
new_item (const char            *contact,
          gboolean               dynamics_side,
          gint64                 read_at,
          const char            *time,
          const char            *pkey,
          const CcOptinoutValue *values,
          GPtrArray             *pairs)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *key = g_ascii_strdown (contact, -1);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "side");
  json_builder_add_string_value (builder, dynamics_side ? "dynamics" : "campaign");
  json_builder_set_member_name (builder, "read-at");
  json_builder_add_int_value (builder, read_at);
  if (time != NULL)
    {
      json_builder_set_member_name (builder, "time");
      json_builder_add_string_value (builder, time);
    }
  if (pkey != NULL)
    {
      json_builder_set_member_name (builder, "pkey");
      json_builder_add_string_value (builder, pkey);
    }
  json_builder_set_member_name (builder, "values");
  json_builder_begin_object (builder);
  for (guint i = 0; i < pairs->len; i++)
    {
      const CcOptinoutPair *pair = g_ptr_array_index (pairs, i);

      json_builder_set_member_name (builder, dynamics_side ? pair->dynamics : pair->campaign);
      json_builder_add_boolean_value (builder, values[i] == CC_OPTINOUT_YES);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  payload = json_to_string (root, FALSE);
  return cc_queue_item_new (CC_OPTINOUT_MAPPING, key, CC_QUEUE_OP_UPSERT, payload, 0);
}

/* Takes a replay asked for by cc_workflow_replay: @cursor starts over. */
static gboolean
take_replay (Reader      *reader,
             const char  *replay_name,
             const char  *cursor_name,
             GError     **error)
{
  g_autofree char *since = cc_store_get_cursor (reader->store, reader->workflow, replay_name, error);

  if (since == NULL)
    return error == NULL || *error == NULL;
  return cc_store_set_cursor (reader->store, reader->workflow, cursor_name, NULL, error)
         && cc_store_set_cursor (reader->store, reader->workflow, replay_name, NULL, error);
}

/* The read position of a side (NULL when it has none yet), once a
 * pending replay has made it start over. */
static gboolean
load_cursor (Reader      *reader,
             const char  *replay_name,
             const char  *cursor_name,
             char       **cursor,
             GError     **error)
{
  if (!take_replay (reader, replay_name, cursor_name, error))
    return FALSE;
  *cursor = cc_store_get_cursor (reader->store, reader->workflow, cursor_name, error);
  return *cursor != NULL || error == NULL || *error == NULL;
}

/* What a contact of Dynamics 365 (@row) or else a profile of Campaign
 * (@profile) says of each pair. */
static CcOptinoutValue *
values_of (Reader     *reader,
           CcJsonRow  *row,
           JsonObject *profile)
{
  GPtrArray *pairs = reader->optinout->config->pairs;
  CcOptinoutValue *values = g_new (CcOptinoutValue, pairs->len);

  for (guint j = 0; j < pairs->len; j++)
    values[j] = row != NULL ? cc_optinout_dynamics_row_value (row, g_ptr_array_index (pairs, j))
                            : cc_optinout_campaign_value (profile, g_ptr_array_index (pairs, j));
  return values;
}

/* Queues what a contact or a profile says about @contact (@values,
 * taken), unless a delta read finds it is what this workflow knows of
 * that side already (a full read queues every record). */
static gboolean
queue_record (Reader           *reader,
              GPtrArray        *items,
              CcOptinoutValue  *values_taken,
              const char       *contact,
              gboolean          dynamics_side,
              gboolean          full,
              gint64            read_at,
              const char       *time,
              const char       *pkey,
              GError          **error)
{
  GPtrArray *pairs = reader->optinout->config->pairs;
  g_autofree CcOptinoutValue *values = values_taken;
  g_autofree char *key = g_ascii_strdown (contact, -1);
  g_autoptr(GError) local = NULL;

  if (!full && !is_news (reader, key, dynamics_side, values, &local))
    {
      if (local == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_ptr_array_add (items, new_item (key, dynamics_side, read_at, time, pkey, values, pairs));
  return TRUE;
}

/* Sleeps while the writers are far behind; FALSE when cancelled. */
static gboolean
wait_for_writers (Reader *reader)
{
  CcRun *run = reader->optinout->run;

  while (!cc_run_is_cancelled (run))
    {
      g_autoptr(GError) error = NULL;
      guint64 backlog = cc_store_count_backlog (reader->store, reader->workflow, &error);

      if (error != NULL || backlog < MAX_BACKLOG)
        return TRUE;
      cc_run_sleep (run, 200);
    }
  return FALSE;
}

/* A page of the reader's side, once the writers have caught up enough. */
static gboolean
read_step (gpointer   data,
           gboolean  *idle,
           GError   **error)
{
  Reader *reader = data;

  if (!wait_for_writers (reader))
    return TRUE;   /* cancelled */
  return reader->read_page (reader, reader->client, idle, error);
}

/* Reads with @reader until the run is cancelled. */
static gboolean
read_loop (Reader  *reader,
           GError **error)
{
  CcOptinout *self = reader->optinout;

  return cc_run_poll (self->run, "optinout reader", read_step, reader,
                      self->config->poll_interval_s * 1000, error);
}

/* ------------------------------------------------------------------ */
/* Dynamics 365                                                        */

/* "<phase> <url>", or the start of a first full read: also after a
 * poll's position, left from when Contact had no change tracking (what
 * changed meanwhile is found by comparing everything once). */
static void
dynamics_position (Reader             *reader,
                   CcDataverseClient  *client,
                   const char         *cursor,
                   char              **phase,
                   char              **url)
{
  CcOptinout *self = reader->optinout;
  g_auto(CcPollPosition) polled = { 0 };
  g_auto(GStrv) parts = cursor && !cc_poll_position_parse (cursor, &polled)
                        ? g_strsplit (cursor, " ", 2) : NULL;

  if (parts != NULL && parts[0] != NULL && parts[1] != NULL)
    {
      *phase = g_strdup (parts[0]);
      *url = g_strdup (parts[1]);
      return;
    }
  *phase = g_strdup (PHASE_INITIAL);
  *url = cc_dataverse_client_build_query_url (client, self->contact_set,
                                              (const char * const *) self->columns, NULL);
}

/* Queues the contacts of @rows. */
static gboolean
queue_contacts (Reader     *reader,
                GPtrArray  *rows,
                gboolean    full,
                gint64      read_at,
                GPtrArray  *items,
                GError    **error)
{
  const char *id_column = reader->optinout->columns[0];

  for (guint i = 0; i < rows->len; i++)
    {
      CcJsonRow *row = g_ptr_array_index (rows, i);
      const char *id = cc_json_row_get_string (row, id_column);
      const char *modified = cc_json_row_get_string (row, "modifiedon");

      if (id != NULL
          && !queue_record (reader, items, values_of (reader, row, NULL), id, TRUE, full,
                            read_at, modified, NULL, error))
        return FALSE;
    }
  return TRUE;
}

/* A contact deleted in Dynamics 365 leaves nothing to keep in step, so
 * its state goes (@forget, saved with the page), and a contact restored
 * later is compared afresh. */
static void
forget_contacts (GPtrArray    *ids,
                 CcStoreBatch *forget)
{
  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *key = g_ascii_strdown (g_ptr_array_index (ids, i), -1);

      cc_store_batch_map_set (forget, CC_OPTINOUT_STATE_SPACE, key, NULL);
    }
}

/* One page of contacts by change tracking: a first full read, then the
 * deltaLink, from @cursor. */
static gboolean
read_tracked_page (Reader             *reader,
                   CcDataverseClient  *client,
                   const char         *cursor,
                   gboolean           *idle,
                   GError            **error)
{
  g_autofree char *phase = NULL;
  g_autofree char *url = NULL;
  g_autofree char *next = NULL;
  g_autoptr(CcDataversePage) page = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_queue_item_free);
  g_autoptr(CcStoreBatch) forget = cc_store_batch_new (reader->workflow);  /* saved with the page */
  g_autoptr(GError) local = NULL;
  gboolean full;
  gint64 read_at;

  dynamics_position (reader, client, cursor, &phase, &url);
  full = g_str_equal (phase, PHASE_INITIAL);

  read_at = g_get_real_time ();
  page = cc_dataverse_client_read_page (client, url, CC_DATAVERSE_READ_TRACK_CHANGES,
                                        DYNAMICS_PAGE_SIZE,
                                        cc_run_get_cancellable (reader->optinout->run), &local);
  if (page == NULL && g_error_matches (local, CC_ERROR, CC_ERROR_EXPIRED_CURSOR))
    {
      /* Too long since the last read: compare everything again. */
      g_debug ("optinout: delta token expired, full read");
      return cc_store_set_cursor (reader->store, reader->workflow, CC_OPTINOUT_CURSOR_DYNAMICS,
                                  NULL, error);
    }
  if (page == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (!queue_contacts (reader, page->rows, full, read_at, items, error))
    return FALSE;
  forget_contacts (page->deleted_ids, forget);

  if (page->next_link != NULL)
    next = g_strdup_printf ("%s %s", phase, page->next_link);
  else if (page->delta_link != NULL)
    {
      next = g_strdup_printf ("%s %s", PHASE_DELTA, page->delta_link);
      *idle = !full && page->rows->len == 0 && page->deleted_ids->len == 0;
    }
  else
    {
      g_set_error_literal (error, CC_ERROR, CC_ERROR_FAILED,
                           _("Dynamics 365 ended the read of contacts without a delta link, so "
                             "opt-outs made there cannot be followed. Check that change "
                             "tracking is enabled for Contact."));
      return FALSE;
    }
  return cc_store_enqueue_with_maps (reader->store, reader->workflow, items,
                                     CC_OPTINOUT_CURSOR_DYNAMICS, next, forget, error);
}

static gboolean
queue_polled_contacts (const CcPollPage  *page,
                       GPtrArray         *items,
                       CcStoreBatch      *maps,
                       gpointer           user_data,
                       GError           **error)
{
  return queue_contacts (user_data, page->rows, page->first, page->read_at, items, error);
}

static gboolean
forget_gone_contacts (GPtrArray     *ids,
                      GPtrArray     *items,
                      CcStoreBatch  *maps,
                      gpointer       user_data,
                      GError       **error)
{
  forget_contacts (ids, maps);
  return TRUE;
}

/* One page of contacts without change tracking (cc-poll-reader.h): the
 * next page of the poll or, once it has caught up, of a sweep for
 * deleted contacts when one is due. */
static gboolean
read_polled_page (Reader             *reader,
                  CcDataverseClient  *client,
                  gboolean           *idle,
                  GError            **error)
{
  CcOptinout *self = reader->optinout;
  GCancellable *cancellable = cc_run_get_cancellable (self->run);
  g_autoptr(GError) local = NULL;
  gboolean caught_up;

  if (!cc_poll_reader_read_page (self->poll, reader->store, client, cancellable,
                                 queue_polled_contacts, reader, &caught_up, error))
    return FALSE;
  if (!caught_up
      || cc_poll_reader_sweep_page (self->poll, reader->store, client, cancellable,
                                    forget_gone_contacts, reader, &local))
    return TRUE;
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  *idle = TRUE;
  return TRUE;
}

static gboolean
read_dynamics_page (Reader    *reader,
                    gpointer   client,
                    gboolean  *idle,
                    GError   **error)
{
  g_autofree char *cursor = NULL;

  *idle = FALSE;
  if (!load_cursor (reader, CC_OPTINOUT_CURSOR_REPLAY_DYNAMICS, CC_OPTINOUT_CURSOR_DYNAMICS,
                    &cursor, error))
    return FALSE;
  if (reader->optinout->poll != NULL ? read_polled_page (reader, client, idle, error)
                                      : read_tracked_page (reader, client, cursor, idle, error))
    return TRUE;
  /* A column of a pair gone: the error says what to do. */
  cc_schema_guard_explain_read (reader->optinout->guard, client, "contact",
                                (const char * const *) reader->optinout->columns,
                                cc_optinout_where (),
                                cc_run_get_cancellable (reader->optinout->run), error);
  return FALSE;
}

gboolean
cc_optinout_read_dynamics (CcOptinout  *self,
                           GError     **error)
{
  g_autoptr(CcStore) store = NULL;
  g_autoptr(CcDataverseClient) client = NULL;
  Reader reader = { self, NULL, cc_run_get_workflow_id (self->run), NULL, read_dynamics_page };

  /* Campaign → Dynamics 365 only: changes made in Dynamics 365 are not
   * wanted; the writers read contacts as they need them. */
  if (self->config->direction == CC_OPTINOUT_CAMPAIGN_TO_DYNAMICS)
    return TRUE;

  store = cc_run_open_store (self->run, error);
  if (store == NULL)
    return FALSE;
  client = cc_run_new_dataverse_client (self->run, 1, error);
  if (client == NULL)
    return FALSE;
  reader.store = store;
  reader.client = client;
  if (self->poll != NULL)
    cc_poll_reader_announce (self->poll, self->run, store);
  return read_loop (&reader, error);
}

/* ------------------------------------------------------------------ */
/* Campaign                                                            */

/* The cursor: "<phase>\n<watermark>\n<next page URL or nothing>"; the
 * watermark is the newest lastModified read, as Campaign wrote it. Where
 * to read: the next page; after a delta read, what changed since the
 * watermark; else every profile. */
static void
campaign_position (Reader            *reader,
                   CcCampaignClient  *client,
                   const char        *cursor,
                   char             **phase,
                   char             **watermark,
                   char             **url)
{
  const CcOptinoutConfig *config = reader->optinout->config;
  g_auto(GStrv) parts = g_strsplit (cursor ? cursor : PHASE_INITIAL "\n\n", "\n", 3);

  if (g_strv_length (parts) != 3)
    {
      g_strfreev (parts);
      parts = g_strsplit (PHASE_INITIAL "\n\n", "\n", 3);
    }
  *phase = g_strdup (parts[0]);
  *watermark = *parts[1] ? g_strdup (parts[1]) : NULL;
  if (*parts[2] != '\0')
    *url = g_strdup (parts[2]);
  else if (g_str_equal (parts[0], PHASE_DELTA) && *watermark != NULL)
    {
      const char * const params[] = { "since", *watermark, NULL };

      *url = cc_campaign_client_build_list_url (client, config->campaign_resource,
                                                config->modified_filter, params, "lastModified",
                                                CAMPAIGN_PAGE_SIZE);
    }
  else
    *url = cc_campaign_client_build_list_url (client, config->campaign_resource, NULL, NULL,
                                              "lastModified", CAMPAIGN_PAGE_SIZE);
}

/* Queues the page's profiles, and moves *@watermark up to the newest
 * lastModified among them. */
static gboolean
queue_profiles (Reader          *reader,
                CcCampaignPage  *page,
                gboolean         full,
                gint64           read_at,
                char           **watermark,
                GPtrArray       *items,
                GError         **error)
{
  const char *key_field = reader->optinout->config->campaign_key;
  GCancellable *cancellable = cc_run_get_cancellable (reader->optinout->run);

  for (guint i = 0; i < page->records->len; i++)
    {
      JsonObject *profile = g_ptr_array_index (page->records, i);
      const char *contact = cc_json_read_string (profile, key_field);
      const char *modified = cc_json_read_string (profile, "lastModified");
      const char *pkey = cc_json_read_string (profile, "PKey");

      if (!cc_optinout_check_profile (reader->optinout, reader->client, profile, cancellable,
                                      error))
        return FALSE;

      if (modified != NULL && (*watermark == NULL || g_strcmp0 (modified, *watermark) > 0))
        {
          g_free (*watermark);
          *watermark = g_strdup (modified);
        }
      /* A profile that did not come from Dynamics 365 has no contact. */
      if (contact != NULL && *contact != '\0'
          && !queue_record (reader, items, values_of (reader, NULL, profile), contact, FALSE,
                            full, read_at, modified, pkey, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_campaign_page (Reader    *reader,
                    gpointer   data,
                    gboolean  *idle,
                    GError   **error)
{
  CcCampaignClient *client = data;
  const CcOptinoutConfig *config = reader->optinout->config;
  g_autofree char *cursor = NULL;
  g_autofree char *phase = NULL;
  g_autofree char *url = NULL;
  g_autofree char *watermark = NULL;
  g_autofree char *next = NULL;
  g_autoptr(CcCampaignPage) page = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_queue_item_free);
  gint64 read_at;

  *idle = FALSE;
  if (!load_cursor (reader, CC_OPTINOUT_CURSOR_REPLAY_CAMPAIGN, CC_OPTINOUT_CURSOR_CAMPAIGN,
                    &cursor, error))
    return FALSE;
  campaign_position (reader, client, cursor, &phase, &watermark, &url);

  read_at = g_get_real_time ();
  page = cc_campaign_client_read_page (client, url, cc_run_get_cancellable (reader->optinout->run),
                                       error);
  if (page == NULL
      || !queue_profiles (reader, page, g_str_equal (phase, PHASE_INITIAL), read_at, &watermark,
                          items, error))
    return FALSE;

  if (page->next_url != NULL)
    next = g_strdup_printf ("%s\n%s\n%s", phase, watermark ? watermark : "", page->next_url);
  else
    {
      /* Caught up. Next time: what changed since the newest profile read
       * (the filter includes that one, so nothing of its second is
       * missed), or every profile again when there is no filter. */
      next = g_strdup_printf ("%s\n%s\n", *config->modified_filter ? PHASE_DELTA : PHASE_SCAN,
                              watermark ? watermark : "");
      *idle = TRUE;
    }
  return cc_store_enqueue (reader->store, reader->workflow, items, CC_OPTINOUT_CURSOR_CAMPAIGN,
                           next, error);
}

gboolean
cc_optinout_read_campaign (CcOptinout  *self,
                           GError     **error)
{
  g_autoptr(CcStore) store = NULL;
  g_autoptr(CcCampaignClient) client = NULL;
  Reader reader = { self, NULL, cc_run_get_workflow_id (self->run), NULL, read_campaign_page };

  /* Read in every direction: even when Dynamics 365 leads, a profile
   * that appears in Campaign (created by the ingress workflow, say)
   * must receive its contact's flags. */
  store = cc_run_open_store (self->run, error);
  if (store == NULL)
    return FALSE;
  client = cc_run_new_campaign_client (self->run, 1, error);
  if (client == NULL)
    return FALSE;
  reader.store = store;
  reader.client = client;
  return read_loop (&reader, error);
}
