/* cc-egress-writer.c — egress writers: queued email events into Dynamics
 * 365 activity tables.
 *
 * Each writer thread owns a Dataverse client and a database connection.
 * It leases a batch of events and sends them as one multipart $batch with
 * odata.continue-on-error, every event an upsert keyed by its Campaign
 * event id (PATCH <set>(<event-id column>='<id>')): an event sent again
 * after a crash updates its row instead of adding a second one. Every
 * part's answer is read on its own: written parts are acknowledged,
 * refused ones go to the error log with the server's reason, transient
 * ones go back to the queue. A part refused because a target column is
 * gone from its table (cc-schema-guard.h) fails the run instead, naming
 * the column, and the events stay queued for the next start.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cc-egress-private.h"
#include "cc-error.h"
#include "cc-json-read.h"

/* How many skipped events a history entry names (the count is exact). */
#define SKIPPED_EXAMPLES 5

typedef struct
{
  CcEgress              *egress;
  CcStore               *store;
  CcDataverseClient     *client;
  CcDataverseBatchFlags  flags;
  const char            *workflow;

  /* Outcomes of the current batch. */
  CcStoreBatch          *outcomes;
  guint                  skipped;
  GString               *skipped_examples;
  GError                *fatal;      /* a target column gone: the run ends */
} Writer;

/* ------------------------------------------------------------------ */
/* Building a part                                                     */

static const char *
event_member (JsonObject    *event,
              CcEgressField  field)
{
  const char *value = cc_json_read_string (event, cc_egress_field_to_string (field));

  return value != NULL && *value != '\0' ? value : NULL;
}

/* Dataverse DateTime: UTC, second precision. A time that cannot be read
 * is sent as it came; Dynamics then refuses that event with its reason. */
static char *
dataverse_time (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *iso = g_strdup (text);
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) in_utc = NULL;

  if (strlen (iso) > 10 && iso[10] == ' ')
    iso[10] = 'T';
  when = g_date_time_new_from_iso8601 (iso, utc);
  if (when == NULL)
    return g_strdup (text);
  in_utc = g_date_time_to_utc (when);
  return g_date_time_format (in_utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* The timeline shows the subject: "<campaign id> / <delivery id>", as
 * Adobe's activities do; the delivery's name when the ids are unknown
 * (the marketing history does not carry them). */
static char *
compose_subject (JsonObject        *event,
                 CcEgressEventType  type)
{
  const char *campaign = event_member (event, CC_EGRESS_FIELD_CAMPAIGN_ID);
  const char *delivery = event_member (event, CC_EGRESS_FIELD_DELIVERY_ID);
  const char *name = event_member (event, CC_EGRESS_FIELD_DELIVERY_NAME);

  if (campaign != NULL && delivery != NULL)
    return g_strdup_printf ("%s / %s", campaign, delivery);
  if (campaign != NULL || delivery != NULL)
    return g_strdup (campaign ? campaign : delivery);
  if (name != NULL)
    return g_strdup (name);
  return g_strdup (cc_egress_event_type_to_string (type));
}

static void
set_column (JsonObject           *body,
            const CcEgressConfig *config,
            CcEgressColumn        column,
            const char           *value)
{
  if (value != NULL && *config->columns[column] != '\0')
    json_object_set_string_member (body, config->columns[column], value);
}

static CcDataverseOp *
build_op (Writer             *writer,
          const CcEgressPlan *plan,
          const char         *event_id,
          const char         *contact,
          JsonObject         *event)
{
  const CcEgressConfig *config = writer->egress->config;
  const char *key_columns[] = { config->columns[CC_EGRESS_COLUMN_EVENT_ID], NULL };
  const char *key_values[] = { event_id, NULL };
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *path = NULL;
  g_autofree char *subject = compose_subject (event, plan->type);
  g_autofree char *time = NULL;
  g_autofree char *bind_member = g_strconcat (plan->regarding, "@odata.bind", NULL);
  g_autofree char *bind = g_strdup_printf ("/contacts(%s)", contact);
  const char *when = event_member (event, CC_EGRESS_FIELD_TIME);

  if (when != NULL)
    time = dataverse_time (when);

  set_column (body, config, CC_EGRESS_COLUMN_EVENT_ID, event_id);
  set_column (body, config, CC_EGRESS_COLUMN_SUBJECT, subject);
  set_column (body, config, CC_EGRESS_COLUMN_CAMPAIGN_NAME,
              event_member (event, CC_EGRESS_FIELD_CAMPAIGN_NAME));
  set_column (body, config, CC_EGRESS_COLUMN_DELIVERY_NAME,
              event_member (event, CC_EGRESS_FIELD_DELIVERY_NAME));
  set_column (body, config, CC_EGRESS_COLUMN_TIME, time);
  set_column (body, config, CC_EGRESS_COLUMN_MIRROR_PAGE,
              event_member (event, CC_EGRESS_FIELD_MIRROR_PAGE));
  /* Only a click has a tracked URL. */
  if (plan->type == CC_EGRESS_EVENT_CLICK)
    set_column (body, config, CC_EGRESS_COLUMN_TRACKING_URL,
                event_member (event, CC_EGRESS_FIELD_TRACKING_URL));
  json_object_set_string_member (body, bind_member, bind);

  path = cc_dataverse_client_build_key_path (plan->entity_set, key_columns, key_values);
  return cc_dataverse_op_new ("PATCH", path, body);
}

/* ------------------------------------------------------------------ */
/* Outcomes                                                            */

static void
fail_item (Writer             *writer,
           const CcQueueItem  *item,
           guint               status,
           const char         *reason)
{
  cc_store_batch_fail (writer->outcomes, item->id, status, reason);
}

/* An event whose contact is not in Dynamics 365: the error log, or
 * skipped — then counted and named in the run history. */
static void
missing_contact (Writer             *writer,
                 const CcQueueItem  *item,
                 const char         *contact,
                 guint               status,
                 const char         *detail)
{
  g_autofree char *reason = NULL;

  if (writer->egress->config->missing_contact == CC_EGRESS_MISSING_SKIP)
    {
      if (writer->skipped++ < SKIPPED_EXAMPLES)
        g_string_append_printf (writer->skipped_examples, "%s%s (contact %s)",
                                writer->skipped_examples->len > 0 ? ", " : "",
                                item->key, contact ? contact : "—");
      cc_store_batch_done (writer->outcomes, item->id);
      return;
    }

  if (contact == NULL)
    reason = g_strdup (_("The event names no contact, so it cannot be linked to one in "
                         "Dynamics 365"));
  else if (detail != NULL)
    reason = g_strdup_printf (_("Contact %s does not exist in Dynamics 365 (%s)"), contact, detail);
  else
    reason = g_strdup_printf (_("“%s” is not a Dynamics 365 contact id"), contact);
  fail_item (writer, item, status, reason);
}

/* Dataverse answers a bind to a missing row with 404 "contact With Id =
 * <guid> Does Not Exist"; a 404 that names neither the contact nor the
 * contact table is about something else (the table, the row's key). */
static gboolean
is_missing_contact (const CcDataverseResult *result,
                    const char              *contact)
{
  g_autofree char *message = NULL;
  g_autofree char *needle = NULL;

  if (result->status != SOUP_STATUS_NOT_FOUND || result->message == NULL)
    return FALSE;
  message = g_ascii_strdown (result->message, -1);
  needle = g_ascii_strdown (contact, -1);
  return strstr (message, needle) != NULL || g_str_has_prefix (message, "contact with id");
}

static gboolean
is_transient_status (guint status)
{
  return status == 0 || status == 408 || status == 429 || status >= 500;
}

/* Whether Dynamics 365 refused @op (to the table of @plan) because a
 * column it writes is gone or read-only: then writer->fatal says so, or
 * why that cannot be told now (a transient error), and the event stays
 * queued. */
static gboolean
column_gone (Writer                   *writer,
             const CcEgressPlan       *plan,
             const CcDataverseOp      *op,
             const CcDataverseResult  *result)
{
  const char *table = writer->egress->config->targets[plan->type].table;
  g_auto(GStrv) columns = NULL;

  if (writer->fatal != NULL)
    return TRUE;   /* the rest of the batch waits for the next start */
  if (result->status != SOUP_STATUS_BAD_REQUEST)
    return FALSE;
  columns = cc_schema_guard_names (op->body);
  return !cc_schema_guard_check_dynamics (writer->egress->guard, writer->client, table,
                                          (const char * const *) columns, TRUE, result->message,
                                          /* Translators: see “the opt-in/opt-out pairs” */
                                          _("the target columns of the egress settings"),
                                          cc_run_get_cancellable (writer->egress->run),
                                          &writer->fatal);
}

static void
record_result (Writer                   *writer,
               const CcEgressPlan       *plan,
               const CcDataverseOp      *op,
               const CcQueueItem        *item,
               const char               *contact,
               const CcDataverseResult  *result)
{
  if (cc_dataverse_result_is_success (result))
    {
      cc_store_batch_done (writer->outcomes, item->id);
      cc_store_batch_add_written (writer->outcomes, 1);
    }
  else if (is_transient_status (result->status))
    cc_store_batch_again (writer->outcomes, item->id);
  else if (is_missing_contact (result, contact))
    missing_contact (writer, item, contact, result->status, result->message);
  else if (column_gone (writer, plan, op, result))
    cc_store_batch_again (writer->outcomes, item->id);
  else
    fail_item (writer, item, result->status,
               result->message ? result->message : _("Dynamics 365 refused the event"));
}

/* A batch whose answer cannot be understood is retried this often
 * before its events go to the error log with the reason. */
#define MAX_UNREADABLE_ATTEMPTS 10

/* The batch as a whole was not written: its events are given back — but
 * when the answer could not be read (CC_ERROR_FAILED), not for ever. */
static void
give_back (Writer        *writer,
           GPtrArray     *sent,
           const GError  *cause)
{
  for (guint i = 0; i < sent->len; i++)
    {
      const CcQueueItem *item = g_ptr_array_index (sent, i);

      if (g_error_matches (cause, CC_ERROR, CC_ERROR_FAILED)
          && item->attempts + 1 >= MAX_UNREADABLE_ATTEMPTS)
        fail_item (writer, item, 0, cause->message);
      else
        cc_store_batch_again (writer->outcomes, item->id);
    }
}

/* ------------------------------------------------------------------ */
/* One batch                                                           */

/* Writes @items; records each one's outcome in writer->outcomes. When
 * the batch as a whole could not be written, sets @batch_error. */
static void
write_batch (Writer     *writer,
             GPtrArray  *items,
             GError    **batch_error)
{
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_dataverse_op_free);
  g_autoptr(GPtrArray) sent = g_ptr_array_new ();          /* CcQueueItem*, parallel to ops */
  g_autoptr(GPtrArray) targets = g_ptr_array_new ();       /* CcEgressPlan*, parallel to ops */
  g_autoptr(GPtrArray) contacts = g_ptr_array_new_with_free_func (g_free);  /* parallel to ops */
  g_autoptr(GPtrArray) results = NULL;

  for (guint i = 0; i < items->len; i++)
    {
      CcQueueItem *item = g_ptr_array_index (items, i);
      g_autoptr(JsonNode) node = json_from_string (item->payload, NULL);
      const CcEgressPlan *plan = NULL;
      CcEgressEventType type;
      JsonObject *event;
      const char *contact;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          fail_item (writer, item, 0, _("The queued event is damaged and cannot be written"));
          continue;
        }
      event = json_node_get_object (node);

      if (cc_egress_event_type_parse (item->mapping, &type))
        plan = writer->egress->plans[type];
      if (plan == NULL)
        {
          g_autofree char *why = g_strdup_printf (_("Events of type “%s” are switched off; switch "
                                                    "them on and retry to write this one"),
                                                  item->mapping);
          fail_item (writer, item, 0, why);
          continue;
        }

      contact = event_member (event, CC_EGRESS_FIELD_CONTACT);
      if (!cc_dataverse_is_guid (contact))
        {
          missing_contact (writer, item, contact, 0, NULL);
          continue;
        }

      g_ptr_array_add (ops, build_op (writer, plan, item->key, contact, event));
      g_ptr_array_add (sent, item);
      g_ptr_array_add (targets, (gpointer) plan);
      g_ptr_array_add (contacts, g_strdup (contact));
    }

  if (ops->len == 0)
    return;

  results = cc_dataverse_client_batch (writer->client, ops, writer->flags,
                                       cc_run_get_cancellable (writer->egress->run),
                                       batch_error);
  if (results == NULL || results->len != ops->len)
    {
      if (results != NULL)
        g_set_error (batch_error, CC_ERROR, CC_ERROR_FAILED,
                     _("Dynamics 365 answered a batch of %u events with %u results"),
                     ops->len, results->len);
      give_back (writer, sent, *batch_error);
      return;
    }

  for (guint i = 0; i < sent->len; i++)
    record_result (writer, g_ptr_array_index (targets, i), g_ptr_array_index (ops, i),
                   g_ptr_array_index (sent, i), g_ptr_array_index (contacts, i),
                   g_ptr_array_index (results, i));
}

/* ------------------------------------------------------------------ */
/* The loop                                                            */

/* Settles the batch in the database and names the skipped events in the
 * run history. */
static gboolean
settle (Writer  *writer,
        GError **error)
{
  if (!cc_run_settle (writer->egress->run, writer->store, writer->outcomes, error))
    return FALSE;
  if (writer->skipped > 0)
    {
      g_autofree char *message = NULL;

      if (writer->skipped > SKIPPED_EXAMPLES)
        g_string_append (writer->skipped_examples, ", …");
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Skipped %u event whose contact does not exist in "
                                              "Dynamics 365: %s",
                                              "Skipped %u events whose contact does not exist in "
                                              "Dynamics 365: %s",
                                              writer->skipped),
                                 writer->skipped, writer->skipped_examples->str);

      writer->skipped = 0;
      g_string_truncate (writer->skipped_examples, 0);
      if (!cc_store_add_history (writer->store, writer->workflow, "skip", message, 0, 0, error))
        return FALSE;
    }
  return TRUE;
}

/* Whether @client's user is held back by a 429 while another of
 * @clients is free: then the next batch goes at once, as that one. */
static gboolean
held_with_another (GPtrArray         *clients,
                   CcDataverseClient *client)
{
  if (cc_throttle_get_wait_ms (cc_dataverse_client_get_throttle (client)) == 0)
    return FALSE;
  for (guint i = 0; i < clients->len; i++)
    if (cc_throttle_get_wait_ms (cc_dataverse_client_get_throttle (g_ptr_array_index (clients, i))) == 0)
      return TRUE;
  return FALSE;
}

/* Each writer thread writes as its share of the Dynamics 365
 * connection's application users, a batch each in turn (a user held back
 * by a 429 is passed over while another is free): their
 * service-protection limits add up, and each has its own token and its
 * own 429/Retry-After back-off. */
gboolean
cc_egress_write_loop (CcEgress  *self,
                      guint      index,
                      GError   **error)
{
  CcRun *run = self->run;
  g_autoptr(CcStore) store = NULL;
  g_autoptr(GPtrArray) clients = NULL;
  guint turn = 0;
  g_autoptr(CcStoreBatch) outcomes = cc_store_batch_new (cc_run_get_workflow_id (run));
  g_autoptr(GString) examples = g_string_new (NULL);
  Writer writer = { self, NULL, NULL, CC_DATAVERSE_BATCH_CONTINUE_ON_ERROR,
                    cc_run_get_workflow_id (run), outcomes, 0, examples, NULL };
  guint streak = 0;

  store = cc_run_open_store (run, error);
  if (store == NULL)
    return FALSE;
  clients = cc_run_new_dataverse_clients (run, index, self->config->write_concurrency, 1, error);
  if (clients == NULL)
    return FALSE;
  writer.store = store;
  /* With another user to turn to, a batch refused with 429 is given back
   * at once and the next goes as another user, instead of this writer
   * waiting out the held user's Retry-After. */
  if (clients->len > 1)
    writer.flags |= CC_DATAVERSE_BATCH_YIELD_WHEN_HELD;

  while (!cc_run_is_cancelled (run))
    {
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GError) local = NULL;
      g_autoptr(GError) gone = NULL;
      guint given_back;

      items = cc_store_lease (store, writer.workflow, self->config->batch_size, error);
      if (items == NULL)
        return FALSE;
      if (items->len == 0)
        {
          /* Idle: the reader fills the queue; look again shortly. */
          cc_run_sleep (run, 100);
          continue;
        }

      writer.client = cc_run_next_dataverse_client (clients, &turn);
      write_batch (&writer, items, &local);
      given_back = cc_store_batch_get_again (outcomes);
      gone = g_steal_pointer (&writer.fatal);
      if (!settle (&writer, error))
        return FALSE;
      if (gone != NULL && !g_error_matches (gone, CC_ERROR, CC_ERROR_TRANSIENT))
        {
          /* A target column gone: what was not written waits for the
           * next start, once the settings no longer name it. */
          g_propagate_error (error, g_steal_pointer (&gone));
          return FALSE;
        }

      if (local != NULL)
        {
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            break;
          if (!g_error_matches (local, CC_ERROR, CC_ERROR_TRANSIENT)
              && !g_error_matches (local, CC_ERROR, CC_ERROR_FAILED))
            {
              /* Credentials refused: the run cannot go on. What was not
               * settled is back in the queue. */
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          g_debug ("egress writer: %s; retrying", local->message);
          if (!held_with_another (clients, writer.client))
            cc_run_sleep (run, cc_run_backoff_ms (MIN (streak++, 8)));
          continue;
        }

      /* Parts refused for a transient reason (throttled, 5xx): ease off. */
      if (given_back > 0)
        cc_run_sleep (run, cc_run_backoff_ms (MIN (streak++, 8)));
      else
        streak = 0;
    }
  return TRUE;
}
