/* cc-ingress-writer.c — ingress writers: queued records into Campaign.
 *
 * A writer thread runs a write pump (cc-write-pump.h): it keeps its share
 * of write-concurrency records in flight as asynchronous requests on its
 * own main context, and settles each lease in one transaction: what
 * Campaign took leaves the queue together with the identity-map entries
 * its writes made. Each record is written as an idempotent upsert keyed by
 * the Dynamics id (kept in the profile's externalId or the custom
 * resource's key field). The identity map (Dynamics id → PKey) makes an
 * update one request. A create whose answer was lost is looked up by its
 * key before it is tried again. After a crash, a record written but not
 * settled is created again and found by its key when Campaign refuses the
 * duplicate: that rests on the key field being unique in Campaign.
 *
 * One record's write is a chain of steps, each ending in a request whose
 * answer calls the next: find its parent, find its PKey, update or create
 * it, and on a refused create look it up and update it.
 *
 * A write Campaign refuses is asked about (cc-schema-guard.h): when a
 * field the mapping writes is gone from Campaign or read-only, the run
 * fails at once naming it, and the record stays queued with every other
 * one, to be written once the mapping no longer names the field.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cc-error.h"
#include "cc-ingress-private.h"
#include "cc-mapper.h"
#include "cc-store.h"
#include "cc-write-pump.h"

/* A child waits this many tries for its parent before the error log. */
#define PARENT_MAX_ATTEMPTS 30

typedef enum
{
  WRITE_OK,
  WRITE_REJECTED,    /* Campaign refused it for good: error log */
  WRITE_RETRY,       /* try again later (transient, or parent not there yet) */
  WRITE_GONE,        /* the record is no longer in Campaign */
} WriteOutcome;

/* A writer thread's own. */
typedef struct
{
  CcIngress        *ingress;
  CcCampaignClient *client;
  GError           *schema;   /* a field gone: every refusal after it says so */
} Writer;

/* One record's write on its way through the steps. */
typedef struct
{
  Writer              *writer;
  const CcIngressPlan *plan;
  JsonNode            *node;         /* the queued payload */
  JsonObject          *record;       /* its object */
  char                *parent_id;    /* the parent's Dynamics id, or NULL */
  gboolean             full_write;
  CcCampaignResult    *refused;      /* a refused create, while looked up */
  JsonObject          *sent;         /* the fields of the last update */
  guint                status;       /* of a rejection */
  char                *reason;
  /* the step a lookup, an update or a refusal's check goes on with */
  const CcIngressPlan *lookup_plan;
  char                *lookup_key;
  gpointer             then;
} Record;

typedef void (*PkeyFunc) (CcWrite *write,
                          char    *pkey,
                          GError  *error);
typedef void (*OutcomeFunc) (CcWrite      *write,
                             WriteOutcome  outcome,
                             GError       *error);

static void
record_free (Record *rec)
{
  g_clear_pointer (&rec->node, json_node_unref);
  g_free (rec->parent_id);
  g_clear_pointer (&rec->refused, cc_campaign_result_free);
  g_clear_pointer (&rec->sent, json_object_unref);
  g_free (rec->reason);
  g_free (rec->lookup_key);
  g_free (rec);
}

static Record *
record_of (CcWrite *write)
{
  return cc_write_get_data (write);
}

static void
reject (Record     *rec,
        guint       status,
        const char *reason)
{
  rec->status = status;
  g_free (rec->reason);
  rec->reason = g_strdup (reason);
}

static gboolean
is_rejection (const CcCampaignResult *result)
{
  return result->status >= 400 && result->status != 404;
}

/* Ends the write: a failed write (@error set) or a record that must wait
 * goes back to the queue; a rejected one to the error log. Takes @error. */
static void
conclude (CcWrite      *write,
          WriteOutcome  outcome,
          GError       *error)
{
  Record *rec = record_of (write);

  switch (outcome)
    {
    case WRITE_OK:
      cc_write_done (write, 1);
      return;
    case WRITE_REJECTED:
      g_clear_error (&error);
      cc_write_reject (write, rec->status, rec->reason);
      return;
    case WRITE_RETRY:
    case WRITE_GONE:  /* the steps create a gone record again */
    default:
      if (error != NULL)
        cc_write_fail (write, error);
      else
        cc_write_again (write);
      return;
    }
}

/* Reads the queued record; FALSE when it is damaged (then the write has
 * ended). */
static gboolean
read_payload (CcWrite *write)
{
  Record *rec = record_of (write);

  rec->node = json_from_string (cc_write_get_item (write)->payload, NULL);
  if (rec->node == NULL || !JSON_NODE_HOLDS_OBJECT (rec->node))
    {
      reject (rec, 0, _("The queued record is damaged and cannot be written"));
      conclude (write, WRITE_REJECTED, NULL);
      return FALSE;
    }
  rec->record = json_node_get_object (rec->node);
  return TRUE;
}

/* The PKey the identity map knows for Dynamics id @key: the unsettled
 * leases' changes first, then the database. */
static char *
known_pkey (CcWrite              *write,
            const CcIngressPlan  *plan,
            const char           *key,
            GError              **error)
{
  return cc_write_map_get (write, plan->identity_space, key, error);
}

/* Saves (@pkey NULL: forgets) the PKey of Dynamics id @key when the lease
 * is settled. */
static void
remember_pkey (CcWrite              *write,
               const CcIngressPlan  *plan,
               const char           *key,
               const char           *pkey)
{
  cc_write_map_set (write, plan->identity_space, key, pkey);
}

static void
on_found (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  CcWrite *write = user_data;
  Record *rec = record_of (write);
  const CcTableMapping *mapping = rec->lookup_plan->mapping;
  g_autoptr(CcCampaignResult) found = NULL;
  GError *error = NULL;
  char *pkey = NULL;

  found = cc_campaign_client_record_finish (CC_CAMPAIGN_CLIENT (source), result, &error);
  if (found != NULL && found->pkey == NULL && is_rejection (found))
    g_set_error (&error, CC_ERROR, CC_ERROR_SCHEMA,
                 _("Campaign cannot look up “%s” records by “%s” (%u: %s). "
                   "Check the key filter of mapping “%s”."),
                 mapping->target, mapping->target_key, found->status,
                 found->message ? found->message : "", mapping->id);
  if (found != NULL && found->pkey != NULL)
    {
      remember_pkey (write, rec->lookup_plan, rec->lookup_key, found->pkey);
      pkey = g_strdup (found->pkey);
    }
  ((PkeyFunc) rec->then) (write, pkey, error);
}

/* Goes on with @then and the PKey of the record with Dynamics id @key,
 * from the identity map or, on a miss, from Campaign itself: NULL with no
 * error when there is none. */
static void
lookup_pkey (CcWrite              *write,
             const CcIngressPlan  *plan,
             const char           *key,
             PkeyFunc              then)
{
  Record *rec = record_of (write);
  const CcTableMapping *mapping = plan->mapping;
  GError *error = NULL;
  char *pkey = known_pkey (write, plan, key, &error);

  if (pkey != NULL || error != NULL)
    {
      then (write, pkey, error);
      return;
    }
  rec->lookup_plan = plan;
  g_free (rec->lookup_key);
  rec->lookup_key = g_strdup (key);
  rec->then = then;
  cc_campaign_client_find_async (rec->writer->client, mapping->target, mapping->key_filter,
                                 mapping->key_filter ? mapping->target_key : NULL, key,
                                 cc_write_get_cancellable (write), on_found, write);
}

/* --- deletes ---------------------------------------------------------- */

static void
on_deleted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CcWrite *write = user_data;
  Record *rec = record_of (write);
  g_autoptr(CcCampaignResult) deleted = NULL;
  GError *error = NULL;

  deleted = cc_campaign_client_record_finish (CC_CAMPAIGN_CLIENT (source), result, &error);
  if (deleted == NULL)
    conclude (write, WRITE_RETRY, error);
  else if (is_rejection (deleted))
    {
      reject (rec, deleted->status, deleted->message);
      conclude (write, WRITE_REJECTED, NULL);
    }
  else
    {
      remember_pkey (write, rec->plan, cc_write_get_item (write)->key, NULL);
      conclude (write, WRITE_OK, NULL);
    }
}

static void
delete_found (CcWrite *write,
              char    *pkey,
              GError  *error)
{
  Record *rec = record_of (write);
  g_autofree char *owned = pkey;

  if (pkey == NULL)
    {
      /* Nothing to delete, unless the lookup failed. */
      conclude (write, error != NULL ? WRITE_RETRY : WRITE_OK, error);
      return;
    }
  cc_campaign_client_delete_async (rec->writer->client, rec->plan->mapping->target, pkey,
                                   cc_write_get_cancellable (write), on_deleted, write);
}

/* --- refusals --------------------------------------------------------- */

static void
on_refusal_checked (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CcWrite *write = user_data;
  Record *rec = record_of (write);
  GError *error = NULL;

  if (cc_schema_guard_check_finish (result, &error))
    {
      ((OutcomeFunc) rec->then) (write, WRITE_REJECTED, NULL);
      return;
    }
  if (g_error_matches (error, CC_ERROR, CC_ERROR_SCHEMA) && rec->writer->schema == NULL)
    rec->writer->schema = g_error_copy (error);
  ((OutcomeFunc) rec->then) (write, WRITE_RETRY, error);
}

/* Campaign refused to write @fields of the record (@refusal): the record's
 * own fault (a value Campaign does not take), and @then goes on with
 * WRITE_REJECTED; or a field of the mapping that Campaign no longer has
 * or lets anyone write, and @then goes on with WRITE_RETRY and the error
 * that fails the run, the record left queued. Once this thread met such a
 * field, every refusal after it says so without asking again: the writes
 * in flight when the field went are refused together. */
static void
check_refusal (CcWrite                *write,
               JsonObject             *fields,
               const CcCampaignResult *refusal,
               OutcomeFunc             then)
{
  Record *rec = record_of (write);
  Writer *writer = rec->writer;
  g_auto(GStrv) names = cc_schema_guard_names (fields);
  g_autofree char *where = cc_ingress_plan_where (rec->plan);

  reject (rec, refusal->status, refusal->message ? refusal->message
                                                 : _("Campaign refused the record"));
  if (writer->schema != NULL)
    {
      then (write, WRITE_RETRY, g_error_copy (writer->schema));
      return;
    }
  rec->then = then;
  cc_schema_guard_check_campaign_async (writer->ingress->guard, writer->ingress->run,
                                        rec->plan->mapping->target, (const char * const *) names,
                                        TRUE, refusal->message, where,
                                        cc_write_get_cancellable (write), on_refusal_checked,
                                        write);
}

/* --- updates ---------------------------------------------------------- */

static void
on_patched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CcWrite *write = user_data;
  Record *rec = record_of (write);
  OutcomeFunc then = rec->then;
  g_autoptr(CcCampaignResult) patched = NULL;
  GError *error = NULL;

  patched = cc_campaign_client_record_finish (CC_CAMPAIGN_CLIENT (source), result, &error);
  if (patched == NULL)
    then (write, WRITE_RETRY, error);
  else if (patched->status == 404)
    {
      remember_pkey (write, rec->plan, cc_write_get_item (write)->key, NULL);
      then (write, WRITE_GONE, NULL);
    }
  else if (is_rejection (patched))
    check_refusal (write, rec->sent, patched, then);
  else
    then (write, WRITE_OK, NULL);
}

/* The fields of an update: every field on a full write, else those whose
 * "apply updates" is on and, for a backfill, the fields it fills in. */
static JsonObject *
fields_to_update (Record  *rec,
                  CcWrite *write)
{
  const CcTableMapping *mapping = rec->plan->mapping;
  const char * const *backfill = (const char * const *) rec->plan->backfill_fields;
  JsonObject *fields;

  if (cc_write_get_item (write)->flags & CC_QUEUE_FLAG_FULL)
    {
      g_autoptr(JsonNode) copy = json_node_copy (rec->node);

      fields = json_object_ref (json_node_get_object (copy));
      json_object_remove_member (fields, mapping->target_key);
      return fields;
    }
  fields = cc_mapper_update_fields (mapping, rec->record);
  /* The backfill's mark may have merged into a newer change of the
   * record: the plan, not the item, knows which fields it fills in. */
  for (guint i = 0; (cc_write_get_item (write)->flags & CC_QUEUE_FLAG_BACKFILL)
                    && backfill != NULL && backfill[i] != NULL; i++)
    {
      JsonNode *value = json_object_get_member (rec->record, backfill[i]);

      if (value != NULL)
        json_object_set_member (fields, backfill[i], json_node_copy (value));
    }
  return fields;
}

/* Updates the existing record @pkey (see fields_to_update()), then goes
 * on with @then. */
static void
patch_record (CcWrite     *write,
              const char  *pkey,
              OutcomeFunc  then)
{
  Record *rec = record_of (write);
  const CcTableMapping *mapping = rec->plan->mapping;
  g_autoptr(JsonObject) fields = fields_to_update (rec, write);
  /* The parent may have changed: the link follows on every update. */
  if (mapping->parent_link != NULL && json_object_has_member (rec->record, mapping->parent_link))
    json_object_set_member (fields, mapping->parent_link,
                            json_node_copy (json_object_get_member (rec->record,
                                                                    mapping->parent_link)));

  if (json_object_get_size (fields) == 0)
    {
      then (write, WRITE_OK, NULL);
      return;
    }
  rec->then = then;
  g_clear_pointer (&rec->sent, json_object_unref);
  rec->sent = json_object_ref (fields);
  cc_campaign_client_patch_async (rec->writer->client, mapping->target, pkey, fields,
                                  cc_write_get_cancellable (write), on_patched, write);
}

/* --- creates ---------------------------------------------------------- */

/* After a refused create was looked up and updated. */
static void
refused_patched (CcWrite      *write,
                 WriteOutcome  outcome,
                 GError       *error)
{
  conclude (write, outcome == WRITE_GONE ? WRITE_RETRY : outcome, error);
}

static void
refused_found (CcWrite *write,
               char    *pkey,
               GError  *error)
{
  Record *rec = record_of (write);
  g_autofree char *owned = pkey;
  const CcCampaignResult *refused = rec->refused;

  if (pkey != NULL)
    patch_record (write, pkey, refused_patched);
  else if (error != NULL || refused->status == 409)
    conclude (write, WRITE_RETRY, error);
  else if (is_rejection (refused))
    check_refusal (write, rec->record, refused, conclude);
  else
    {
      reject (rec, refused->status, _("Campaign returned no PKey"));
      conclude (write, WRITE_REJECTED, NULL);
    }
}

static void create_record (CcWrite *write);

/* A refused create on a full write (made without a lookup), or a
 * duplicate key (409), may mean that the record is in Campaign already
 * (before the first load, or another write was first): then it is
 * updated instead. */
static void
on_created (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CcWrite *write = user_data;
  Record *rec = record_of (write);
  g_autoptr(CcCampaignResult) created = NULL;
  GError *error = NULL;

  created = cc_campaign_client_record_finish (CC_CAMPAIGN_CLIENT (source), result, &error);
  if (created == NULL)
    {
      conclude (write, WRITE_RETRY, error);
      return;
    }
  if (created->pkey != NULL && !is_rejection (created))
    {
      remember_pkey (write, rec->plan, cc_write_get_item (write)->key, created->pkey);
      conclude (write, WRITE_OK, NULL);
      return;
    }
  rec->refused = g_steal_pointer (&created);
  /* Sent as queued: read now, to be updated instead; or, queued under an
   * earlier mapping, sent again without the fields it no longer writes
   * (Campaign may have refused one it lost). */
  if (rec->node == NULL)
    {
      if (!read_payload (write))
        return;
      if (cc_mapper_drop_unmapped (rec->plan->mapping, rec->record))
        {
          g_clear_pointer (&rec->refused, cc_campaign_result_free);
          create_record (write);
          return;
        }
    }
  if (rec->full_write || rec->refused->status == 409)
    lookup_pkey (write, rec->plan, cc_write_get_item (write)->key, refused_found);
  else
    refused_found (write, NULL, NULL);
}

static void
create_record (CcWrite *write)
{
  Record *rec = record_of (write);

  cc_campaign_client_create_async (rec->writer->client, rec->plan->mapping->target,
                                   rec->record, cc_write_get_cancellable (write), on_created,
                                   write);
}

/* --- upserts ---------------------------------------------------------- */

static void
first_patched (CcWrite      *write,
               WriteOutcome  outcome,
               GError       *error)
{
  Record *rec = record_of (write);

  if (outcome != WRITE_GONE)
    {
      conclude (write, outcome, error);
      return;
    }
  /* Deleted in Campaign meanwhile: create it again. */
  json_object_set_string_member (rec->record, rec->plan->mapping->target_key,
                                 cc_write_get_item (write)->key);
  rec->full_write = FALSE;
  create_record (write);
}

static void
target_found (CcWrite *write,
              char    *pkey,
              GError  *error)
{
  g_autofree char *owned = pkey;

  if (pkey != NULL)
    patch_record (write, pkey, first_patched);
  else if (error != NULL)
    conclude (write, WRITE_RETRY, error);
  else
    create_record (write);
}

/* With a parent link, the record links to the parent's record by its
 * PKey, or to none when the Dynamics 365 lookup is empty. A record whose
 * parent is not in Campaign (yet) waits, and goes to the error log after
 * PARENT_MAX_ATTEMPTS. */
static void
parent_found (CcWrite *write,
              char    *pkey,
              GError  *error)
{
  Record *rec = record_of (write);
  const CcQueueItem *item = cc_write_get_item (write);
  const CcTableMapping *mapping = rec->plan->mapping;
  g_autofree char *owned = pkey;
  gboolean create_first;

  if (rec->parent_id != NULL && pkey == NULL)
    {
      if (error == NULL && item->attempts + 1 >= PARENT_MAX_ATTEMPTS)
        {
          g_autofree char *why =
            g_strdup_printf (_("Its parent record %s (mapping “%s”) never arrived in Campaign"),
                             rec->parent_id, mapping->parent_mapping);
          reject (rec, 0, why);
          conclude (write, WRITE_REJECTED, NULL);
          return;
        }
      conclude (write, WRITE_RETRY, error);
      return;
    }
  if (mapping->parent_link != NULL && pkey != NULL)
    {
      JsonObject *link = json_object_new ();

      json_object_set_string_member (link, "PKey", pkey);
      json_object_set_object_member (rec->record, mapping->parent_link, link);
    }
  else if (mapping->parent_link != NULL)
    json_object_set_null_member (rec->record, mapping->parent_link);

  /* On a full write (first load, resync, replay) a record the identity
   * map does not know is most likely new: create it at once, and look it
   * up only when Campaign refuses the create (it exists after all: a
   * duplicate key). That halves the requests of a first load. A record
   * whose earlier write failed is looked up first: that write may have
   * been a create Campaign carried out and whose answer was lost. */
  rec->full_write = (item->flags & CC_QUEUE_FLAG_FULL) != 0;
  create_first = rec->full_write && item->attempts == 0;
  if (create_first)
    {
      GError *local = NULL;
      char *known = known_pkey (write, rec->plan, item->key, &local);

      target_found (write, known, local);
    }
  else
    lookup_pkey (write, rec->plan, item->key, target_found);
}

/* The record's parent must be in Campaign before it. One being written on
 * this thread is waited for (then the child finds its PKey in the map);
 * one written elsewhere may be overtaken, and the child waits its turn
 * in the queue. */
static void
find_parent (CcWrite  *write,
             gpointer  user_data)
{
  Record *rec = record_of (write);
  const CcTableMapping *mapping = rec->plan->mapping;
  const CcIngressPlan *parent = cc_ingress_find_plan (rec->writer->ingress,
                                                      mapping->parent_mapping);

  if (parent == NULL || rec->parent_id == NULL)
    {
      g_clear_pointer (&rec->parent_id, g_free);
      parent_found (write, NULL, NULL);
      return;
    }
  if (cc_write_wait_for (write, parent->mapping->id, rec->parent_id, find_parent))
    return;
  lookup_pkey (write, parent, rec->parent_id, parent_found);
}

/* The first write of a record of a full write (a first load), with no
 * parent and no notes of the reader's ("@…" members), that the identity
 * map does not know: the queued payload is the record as it is to be
 * created, so it goes out as it is, and is read only if Campaign refuses
 * it. FALSE when the record is not such a one. */
static gboolean
create_as_queued (CcWrite *write)
{
  Record *rec = record_of (write);
  const CcQueueItem *item = cc_write_get_item (write);
  const CcTableMapping *mapping = rec->plan->mapping;
  g_autofree char *pkey = NULL;
  GError *error = NULL;

  if (!(item->flags & CC_QUEUE_FLAG_FULL) || item->attempts > 0
      || mapping->parent_mapping != NULL || mapping->parent_link != NULL
      || strstr (item->payload, "\"@") != NULL)
    return FALSE;
  pkey = known_pkey (write, rec->plan, item->key, &error);
  if (pkey != NULL)
    return FALSE;
  if (error != NULL)
    {
      conclude (write, WRITE_RETRY, error);
      return TRUE;
    }
  rec->full_write = TRUE;
  cc_campaign_client_create_json_async (rec->writer->client, mapping->target, item->payload,
                                        cc_write_get_cancellable (write), on_created, write);
  return TRUE;
}

static void
write_upsert (CcWrite *write)
{
  Record *rec = record_of (write);

  if (!read_payload (write))
    return;
  if (json_object_has_member (rec->record, CC_INGRESS_ERROR_MEMBER))
    {
      /* The reader could not map the row: say why, send nothing. */
      reject (rec, 0, json_object_get_string_member (rec->record, CC_INGRESS_ERROR_MEMBER));
      conclude (write, WRITE_REJECTED, NULL);
      return;
    }
  if (json_object_has_member (rec->record, CC_INGRESS_PARENT_MEMBER))
    {
      rec->parent_id = g_strdup (json_object_get_string_member (rec->record,
                                                                CC_INGRESS_PARENT_MEMBER));
      json_object_remove_member (rec->record, CC_INGRESS_PARENT_MEMBER);
    }
  /* Queued under an earlier mapping, it may hold a field that Campaign
   * lost and the mapping no longer writes. */
  cc_mapper_drop_unmapped (rec->plan->mapping, rec->record);
  find_parent (write, NULL);
}

/* The pump's start: one record's write. */
static void
write_item (CcWrite  *write,
            gpointer  user_data)
{
  Writer *writer = user_data;
  const CcQueueItem *item = cc_write_get_item (write);
  Record *rec = g_new0 (Record, 1);

  rec->writer = writer;
  rec->plan = cc_ingress_find_plan (writer->ingress, item->mapping);
  cc_write_set_data (write, rec, (GDestroyNotify) record_free);
  if (rec->plan == NULL)
    {
      g_autofree char *why = g_strdup_printf (_("Mapping “%s” is no longer configured"),
                                              item->mapping);
      reject (rec, 0, why);
      conclude (write, WRITE_REJECTED, NULL);
    }
  else if (item->op == CC_QUEUE_OP_DELETE)
    lookup_pkey (write, rec->plan, item->key, delete_found);
  else if (!create_as_queued (write))
    write_upsert (write);
}

gboolean
cc_ingress_write_loop (CcIngress  *self,
                       guint       in_flight,
                       GError    **error)
{
  g_autoptr(CcCampaignClient) client = NULL;
  Writer writer = { self, NULL, NULL };
  gboolean ok;

  client = cc_run_new_campaign_client (self->run, in_flight, error);
  if (client == NULL)
    return FALSE;
  writer.client = client;
  ok = cc_write_pump_run (self->run, in_flight, write_item, NULL, &writer, error);
  g_clear_error (&writer.schema);
  return ok;
}
