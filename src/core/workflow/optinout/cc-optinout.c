/* cc-optinout.c — "Opt-in/Opt-out": the kind, its Starting checks and
 * the per-contact sync state.
 *
 * Two readers (cc-optinout-reader.c) turn changes on either side into one
 * queued item per contact; writers (cc-optinout-writer.c) compare both
 * sides of each contact against the state kept here and write what the
 * direction and the conflict policy call for.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-error.h"
#include "cc-json-read.h"
#include "cc-optinout-private.h"
#include "cc-write-pump.h"
#include "cc-optinout.h"
#include "cc-position.h"

/* --- values and state -------------------------------------------------- */

static CcOptinoutValue
value_of (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return CC_OPTINOUT_NO;   /* null: the flag is not set */
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node) ? CC_OPTINOUT_YES : CC_OPTINOUT_NO;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node) != 0 ? CC_OPTINOUT_YES : CC_OPTINOUT_NO;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strcasecmp (json_node_get_string (node), "true") == 0
           ? CC_OPTINOUT_YES : CC_OPTINOUT_NO;
  return CC_OPTINOUT_NO;
}

CcOptinoutValue
cc_optinout_campaign_value (JsonObject           *profile,
                            const CcOptinoutPair *pair)
{
  JsonNode *node = json_object_get_member (profile, pair->campaign);

  if (node == NULL && pair->legacy != NULL)
    node = json_object_get_member (profile, pair->legacy);
  return value_of (node);
}

CcOptinoutValue
cc_optinout_dynamics_value (JsonObject           *row,
                            const CcOptinoutPair *pair)
{
  return value_of (json_object_get_member (row, pair->dynamics));
}

CcOptinoutValue
cc_optinout_dynamics_row_value (CcJsonRow            *row,
                                const CcOptinoutPair *pair)
{
  return value_of (cc_json_row_get_member (row, pair->dynamics));
}

const char *
cc_optinout_where (void)
{
  /* Translators: where a field is named, as it completes “take the field
   * out of %s” in the messages of a field gone; it may carry the preposition
   * that sentence needs in your language. */
  return _("the opt-in/opt-out pairs");
}

GStrv
cc_optinout_lacking_fields (CcOptinout *self,
                            JsonObject *profile)
{
  g_autoptr(GStrvBuilder) lacking = g_strv_builder_new ();

  for (guint i = 0; i < self->config->pairs->len; i++)
    {
      const CcOptinoutPair *pair = g_ptr_array_index (self->config->pairs, i);

      if (!json_object_has_member (profile, pair->campaign)
          && (pair->legacy == NULL || !json_object_has_member (profile, pair->legacy)))
        g_strv_builder_add (lacking, pair->campaign);
    }
  return g_strv_builder_end (lacking);
}

gboolean
cc_optinout_check_profile (CcOptinout        *self,
                           CcCampaignClient  *client,
                           JsonObject        *profile,
                           GCancellable      *cancellable,
                           GError           **error)
{
  g_auto(GStrv) names = cc_optinout_lacking_fields (self, profile);

  if (names[0] == NULL)
    return TRUE;
  return cc_schema_guard_check_campaign (self->guard, client, self->config->campaign_resource,
                                         (const char * const *) names, FALSE, NULL,
                                         cc_optinout_where (), cancellable, error);
}

void
cc_optinout_state_free (CcOptinoutState *state)
{
  if (state == NULL)
    return;
  g_free (state->pairs);
  g_free (state);
}

static CcOptinoutValue
state_value (JsonObject *object,
             const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return CC_OPTINOUT_UNKNOWN;
  return json_node_get_boolean (node) ? CC_OPTINOUT_YES : CC_OPTINOUT_NO;
}

CcOptinoutState *
cc_optinout_state_load (CcOptinout  *self,
                        CcStore     *store,
                        const char  *contact,
                        GError     **error)
{
  g_autoptr(CcOptinoutState) state = g_new0 (CcOptinoutState, 1);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *pairs = NULL;

  state->n_pairs = self->config->pairs->len;
  state->pairs = g_new (CcOptinoutPairState, state->n_pairs);

  text = cc_store_map_get (store, CC_OPTINOUT_STATE_SPACE, contact, error);
  if (text == NULL && error != NULL && *error != NULL)
    return NULL;
  if (text != NULL)
    node = json_from_string (text, NULL);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonNode *member = json_object_get_member (json_node_get_object (node), "pairs");

      if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
        pairs = json_node_get_object (member);
    }
  state->known = pairs != NULL;
  if (state->known)
    {
      JsonObject *root = json_node_get_object (node);

      state->dynamics_written = cc_json_read_int (root, "dw", 0);
      state->campaign_written = cc_json_read_int (root, "cw", 0);
    }

  for (guint i = 0; i < state->n_pairs; i++)
    {
      const CcOptinoutPair *pair = g_ptr_array_index (self->config->pairs, i);
      JsonNode *member = pairs ? json_object_get_member (pairs, pair->dynamics) : NULL;
      JsonObject *object = member && JSON_NODE_HOLDS_OBJECT (member)
                           ? json_node_get_object (member) : NULL;

      /* A pair whose Campaign flag changed is a new pair: nothing known. */
      if (object != NULL
          && g_strcmp0 (cc_json_read_string (object, "campaign"), pair->campaign) != 0)
        object = NULL;
      state->pairs[i].dynamics = state_value (object, "d");
      state->pairs[i].campaign = state_value (object, "c");
      state->pairs[i].synced = state_value (object, "s");
    }
  return g_steal_pointer (&state);
}

static void
add_value (JsonBuilder     *builder,
           const char      *member,
           CcOptinoutValue  value)
{
  if (value == CC_OPTINOUT_UNKNOWN)
    return;
  json_builder_set_member_name (builder, member);
  json_builder_add_boolean_value (builder, value == CC_OPTINOUT_YES);
}

gboolean
cc_optinout_state_save (CcOptinout       *self,
                        CcStore          *store,
                        const char       *contact,
                        CcOptinoutState  *state,
                        GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "pairs");
  json_builder_begin_object (builder);
  for (guint i = 0; i < state->n_pairs; i++)
    {
      const CcOptinoutPair *pair = g_ptr_array_index (self->config->pairs, i);

      json_builder_set_member_name (builder, pair->dynamics);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "campaign");
      json_builder_add_string_value (builder, pair->campaign);
      add_value (builder, "d", state->pairs[i].dynamics);
      add_value (builder, "c", state->pairs[i].campaign);
      add_value (builder, "s", state->pairs[i].synced);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  if (state->dynamics_written != 0)
    {
      json_builder_set_member_name (builder, "dw");
      json_builder_add_int_value (builder, state->dynamics_written);
    }
  if (state->campaign_written != 0)
    {
      json_builder_set_member_name (builder, "cw");
      json_builder_add_int_value (builder, state->campaign_written);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  return cc_store_map_set (store, CC_OPTINOUT_STATE_SPACE, contact, text, error);
}

/* --- Starting ------------------------------------------------------------ */

static void
cc_optinout_free (CcOptinout *self)
{
  g_free (self->contact_set);
  g_strfreev (self->columns);
  cc_poll_reader_free (self->poll);
  cc_schema_guard_free (self->guard);
  g_free (self);
}

/* $select for the contact table: contactid, the pair columns, modifiedon. */
static GStrv
select_columns (CcOptinout             *self,
                const CcDataverseTable *contact)
{
  g_autoptr(GStrvBuilder) columns = g_strv_builder_new ();

  g_strv_builder_add (columns, contact->primary_id_attribute);
  for (guint i = 0; i < self->config->pairs->len; i++)
    g_strv_builder_add (columns, ((CcOptinoutPair *) g_ptr_array_index (self->config->pairs, i))->dynamics);
  g_strv_builder_add (columns, "modifiedon");
  return g_strv_builder_end (columns);
}

/* The reader of Contact when it has no change tracking: deleted contacts
 * are found by sweeps, and their state forgotten. */
static CcPollReader *
new_poll_reader (CcOptinout             *self,
                 const CcDataverseTable *contact)
{
  CcPollSetup setup = {
    .workflow_id = "optinout",
    .table = contact->logical_name,
    .entity_set = self->contact_set,
    .primary_key = contact->primary_id_attribute,
    .columns = (const char * const *) self->columns,
    .poll_interval_s = self->config->poll_interval_s,
    .cursor_name = CC_OPTINOUT_CURSOR_DYNAMICS,
    .sweep_name = "sweep/dynamics",
    .version_space = "optinout/version",
    .seen_space = "optinout/seen",
    /* Keyed by the contactid in lower case, as Dataverse writes ids. */
    .known_space = CC_OPTINOUT_STATE_SPACE,
  };

  return cc_poll_reader_new (&setup);
}

/* What the application user does to contacts when Campaign's changes
 * are written to Dynamics 365: change rows that others own. */
static const char * const contact_privileges[] = { "Write", NULL };

/* The setup check: Contact (read in full, followed by change tracking or
 * polled, the pair columns, written where Campaign's changes go), the
 * profile resource (the flags, the key, lastModified) and the filters the
 * configuration names. */
static void
optinout_check (gconstpointer  data,
                CcCheck       *check)
{
  const CcOptinoutConfig *config = data;
  CcCheckReport *report = cc_check_get_report (check);
  const CcDataverseTable *contact;
  const CcCampaignResourceType *profile;

  if (config->direction == CC_OPTINOUT_OFF)
    return;
  contact = cc_check_table (check, "contact", NULL);
  if (contact != NULL)
    {
      cc_check_read_access (check, contact);
      if (config->direction != CC_OPTINOUT_CAMPAIGN_TO_DYNAMICS)
        cc_check_change_tracking (check, contact);
      cc_optinout_config_check_columns (config, contact, report);
      if (config->direction != CC_OPTINOUT_DYNAMICS_TO_CAMPAIGN)
        cc_check_privileges (check, contact, contact_privileges, TRUE);
    }
  profile = cc_check_resource (check, config->campaign_resource);
  if (profile == NULL)
    return;
  cc_optinout_config_check_fields (config, profile, report);
  if (*config->key_filter != '\0')
    cc_check_filter (check, profile, config->key_filter, config->campaign_key);
  else
    cc_check_campaign_key (check, profile, config->campaign_key);
  if (*config->modified_filter != '\0')
    cc_check_filter (check, profile, config->modified_filter, "since");
}

/* Plans the readers from what the setup check read. */
static gpointer
optinout_prepare (CcRun                   *run,
                  gpointer                 config,
                  const CcRunConnections  *connections,
                  GError                 **error)
{
  CcOptinout *self = g_new0 (CcOptinout, 1);
  const CcDataverseTable *contact = cc_check_table (connections->check, "contact", NULL);

  self->run = run;
  self->config = config;
  self->started = g_get_real_time ();
  self->contact_set = g_strdup (contact->entity_set_name);
  self->columns = select_columns (self, contact);
  /* Changes made in Dynamics 365 are wanted, and cannot be followed by
   * change tracking: poll for them. */
  if (self->config->direction != CC_OPTINOUT_CAMPAIGN_TO_DYNAMICS && !contact->change_tracking)
    self->poll = new_poll_reader (self, contact);
  /* The pairs may read other columns than when the position was saved. */
  if (self->poll != NULL ? !cc_poll_reader_refit (self->poll, connections->store, error)
                         : !cc_position_refit_select (connections->store, "optinout",
                                                      CC_OPTINOUT_CURSOR_DYNAMICS,
                                                      (const char * const *) self->columns, error))
    {
      cc_optinout_free (self);
      return NULL;
    }
  self->guard = cc_schema_guard_new ();
  return self;
}

/* --- the run --------------------------------------------------------------- */

/* Two readers, then the writer threads, which keep write-concurrency
 * contacts in flight (cc_write_pump_count_threads): each contact costs
 * up to two reads and two writes. None when the user switched the
 * workflow off: it still runs, so that its status says what was asked
 * for. */
static guint
optinout_count_workers (gconstpointer data)
{
  const CcOptinoutConfig *config = data;

  return config->direction == CC_OPTINOUT_OFF
         ? 0 : 2 + cc_write_pump_count_threads (config->write_concurrency);
}

static gboolean
optinout_worker (CcRun     *run,
                 guint      index,
                 gpointer   user_data,
                 GError   **error)
{
  CcOptinout *self = user_data;

  switch (index)
    {
    case 0:
      return cc_optinout_read_dynamics (self, error);
    case 1:
      return cc_optinout_read_campaign (self, error);
    default:
      {
        guint n_threads = cc_write_pump_count_threads (self->config->write_concurrency);

        return cc_optinout_write_loop (self, index - 2, n_threads,
                                       cc_write_pump_share (self->config->write_concurrency,
                                                            index - 2, n_threads),
                                       error);
      }
    }
}

/* Both sides are read in full again and every contact compared, in this
 * run or the next. A time is accepted but does not narrow the
 * comparison: consent is state, not events, and a partial comparison
 * could leave a stale opt-in behind. */
static gboolean
optinout_replay (gconstpointer   data,
                 CcStore        *store,
                 const char     *since,
                 GError        **error)
{
  return cc_store_set_cursor (store, "optinout", CC_OPTINOUT_CURSOR_REPLAY_DYNAMICS, since, error)
         && cc_store_set_cursor (store, "optinout", CC_OPTINOUT_CURSOR_REPLAY_CAMPAIGN, since, error);
}

const CcWorkflowKind cc_optinout_kind = {
  .id = "optinout",
  .title = N_("Opt-in/Opt-out"),
  .subtitle = N_("Consent and block-list flags, one way or both"),
  .default_config = cc_optinout_config_default,
  .parse = (gpointer (*) (JsonNode *, GError **)) cc_optinout_config_parse,
  .to_json = (JsonNode * (*) (gconstpointer)) cc_optinout_config_to_json,
  .free_config = (GDestroyNotify) cc_optinout_config_free,
  .replay = optinout_replay,
  .count_workers = optinout_count_workers,
  .check = optinout_check,
  .prepare = optinout_prepare,
  .free_state = (GDestroyNotify) cc_optinout_free,
  .worker = optinout_worker,
};
