/* cc-ingress-writer.c — ingress writers: queued records into Campaign.
 *
 * Each writer thread owns a Campaign client and a database connection. It
 * leases a few records, writes each as an idempotent upsert keyed by the
 * Dynamics id (kept in the profile's externalId or the custom resource's
 * key field), and settles the lease in one transaction: what Campaign
 * took leaves the queue together with the identity-map entries its writes
 * made. The identity map (Dynamics id → PKey) makes an update one request.
 * A create whose answer was lost is looked up by its key before it is
 * tried again. After a crash, a record written but not settled is created
 * again and found by its key when Campaign refuses the duplicate: that
 * rests on the key field being unique in Campaign.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-error.h"
#include "cc-ingress-private.h"
#include "cc-mapper.h"
#include "cc-store.h"

#define LEASE_SIZE 64
/* A child waits this many tries for its parent before the error log. */
#define PARENT_MAX_ATTEMPTS 30

typedef enum
{
  WRITE_OK,
  WRITE_REJECTED,    /* Campaign refused it for good: error log */
  WRITE_RETRY,       /* try again later (transient, or parent not there yet) */
  WRITE_GONE,        /* the record is no longer in Campaign */
} WriteOutcome;

typedef struct
{
  CcIngress        *ingress;
  CcStore          *store;
  CcCampaignClient *client;
  CcStoreBatch     *batch;       /* the lease's outcomes and map changes */
  GCancellable     *cancellable;
  guint             status;      /* of a rejection */
  char             *reason;
} Writer;

static void
reject (Writer     *writer,
        guint       status,
        const char *reason)
{
  writer->status = status;
  g_free (writer->reason);
  writer->reason = g_strdup (reason);
}

static gboolean
is_rejection (const CcCampaignResult *result)
{
  return result->status >= 400 && result->status != 404;
}

/* The PKey the identity map knows for Dynamics id @key: this lease's
 * own changes first, then the database. */
static char *
known_pkey (Writer               *writer,
            const CcIngressPlan  *plan,
            const char           *key,
            GError              **error)
{
  const char *pending;

  if (cc_store_batch_map_lookup (writer->batch, plan->identity_space, key, &pending))
    return g_strdup (pending);
  return cc_store_map_get (writer->store, plan->identity_space, key, error);
}

/* Saves (@pkey NULL: forgets) the PKey of Dynamics id @key when the lease
 * is settled. */
static void
remember_pkey (Writer               *writer,
               const CcIngressPlan  *plan,
               const char           *key,
               const char           *pkey)
{
  cc_store_batch_map_set (writer->batch, plan->identity_space, key, pkey);
}

/* The PKey of the record with Dynamics id @key, from the identity map or,
 * on a miss, from Campaign itself. NULL with no error when there is none. */
static char *
lookup_pkey (Writer               *writer,
             const CcIngressPlan  *plan,
             const char           *key,
             GError              **error)
{
  const CcTableMapping *mapping = plan->mapping;
  g_autoptr(CcCampaignResult) found = NULL;
  char *pkey;

  pkey = known_pkey (writer, plan, key, error);
  if (pkey != NULL || (error && *error))
    return pkey;

  found = cc_campaign_client_find (writer->client, mapping->target, mapping->key_filter,
                                   mapping->key_filter ? mapping->target_key : NULL, key,
                                   writer->cancellable, error);
  if (found == NULL)
    return NULL;
  if (found->pkey == NULL)
    {
      if (is_rejection (found))
        {
          g_set_error (error, CC_ERROR, CC_ERROR_SCHEMA,
                       _("Campaign cannot look up “%s” records by “%s” (%u: %s). "
                         "Check the key filter of mapping “%s”."),
                       mapping->target, mapping->target_key, found->status,
                       found->message ? found->message : "", mapping->id);
        }
      return NULL;
    }
  remember_pkey (writer, plan, key, found->pkey);
  return g_strdup (found->pkey);
}

static WriteOutcome
write_delete (Writer               *writer,
              const CcIngressPlan  *plan,
              const CcQueueItem    *item,
              GError              **error)
{
  g_autofree char *pkey = lookup_pkey (writer, plan, item->key, error);
  g_autoptr(CcCampaignResult) result = NULL;

  if (pkey == NULL)
    return (error && *error) ? WRITE_RETRY : WRITE_OK;  /* nothing to delete */

  result = cc_campaign_client_delete (writer->client, plan->mapping->target, pkey,
                                      writer->cancellable, error);
  if (result == NULL)
    return WRITE_RETRY;
  if (is_rejection (result))
    {
      reject (writer, result->status, result->message);
      return WRITE_REJECTED;
    }
  remember_pkey (writer, plan, item->key, NULL);
  return WRITE_OK;
}

/* The record's parent must be in Campaign before it (writes run in
 * parallel: a child may overtake its parent). With a parent link, the
 * record links to the parent's record by its PKey, or to none when the
 * Dynamics 365 lookup is empty. FALSE, with @outcome, when the record
 * must wait or go to the error log. */
static gboolean
attach_parent (Writer               *writer,
               const CcIngressPlan  *plan,
               const CcQueueItem    *item,
               JsonObject           *record,
               WriteOutcome         *outcome,
               GError              **error)
{
  const CcTableMapping *mapping = plan->mapping;
  const CcIngressPlan *parent = cc_ingress_find_plan (writer->ingress, mapping->parent_mapping);
  g_autofree char *parent_id = NULL;
  g_autofree char *pkey = NULL;

  if (json_object_has_member (record, CC_INGRESS_PARENT_MEMBER))
    {
      parent_id = g_strdup (json_object_get_string_member (record, CC_INGRESS_PARENT_MEMBER));
      json_object_remove_member (record, CC_INGRESS_PARENT_MEMBER);
    }
  if (parent != NULL && parent_id != NULL)
    pkey = lookup_pkey (writer, parent, parent_id, error);
  if (parent != NULL && parent_id != NULL && pkey == NULL)
    {
      *outcome = WRITE_RETRY;
      if ((error == NULL || *error == NULL) && item->attempts + 1 >= PARENT_MAX_ATTEMPTS)
        {
          g_autofree char *why =
            g_strdup_printf (_("Its parent record %s (mapping “%s”) never arrived in Campaign"),
                             parent_id, mapping->parent_mapping);
          reject (writer, 0, why);
          *outcome = WRITE_REJECTED;
        }
      return FALSE;
    }

  if (mapping->parent_link != NULL && pkey != NULL)
    {
      JsonObject *link = json_object_new ();

      json_object_set_string_member (link, "PKey", pkey);
      json_object_set_object_member (record, mapping->parent_link, link);
    }
  else if (mapping->parent_link != NULL)
    json_object_set_null_member (record, mapping->parent_link);
  return TRUE;
}

/* Updates the existing record @pkey: every field on a full write, else
 * only those whose "apply updates" is on. */
static WriteOutcome
patch_record (Writer               *writer,
              const CcIngressPlan  *plan,
              const CcQueueItem    *item,
              JsonObject           *record,
              const char           *pkey,
              GError              **error)
{
  const CcTableMapping *mapping = plan->mapping;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(CcCampaignResult) result = NULL;

  if (item->flags & CC_QUEUE_FLAG_FULL)
    {
      g_autoptr(JsonNode) wrapper = json_node_init_object (json_node_alloc (), record);
      g_autoptr(JsonNode) copy = json_node_copy (wrapper);

      fields = json_object_ref (json_node_get_object (copy));
      json_object_remove_member (fields, mapping->target_key);
    }
  else
    fields = cc_mapper_update_fields (mapping, record);
  /* The parent may have changed: the link follows on every update. */
  if (mapping->parent_link != NULL && json_object_has_member (record, mapping->parent_link))
    json_object_set_member (fields, mapping->parent_link,
                            json_node_copy (json_object_get_member (record, mapping->parent_link)));

  if (json_object_get_size (fields) == 0)
    return WRITE_OK;
  result = cc_campaign_client_patch (writer->client, mapping->target, pkey, fields,
                                     writer->cancellable, error);
  if (result == NULL)
    return WRITE_RETRY;
  if (result->status == 404)
    {
      remember_pkey (writer, plan, item->key, NULL);
      return WRITE_GONE;
    }
  if (is_rejection (result))
    {
      reject (writer, result->status, result->message);
      return WRITE_REJECTED;
    }
  return WRITE_OK;
}

/* Creates the record. A refused create on a full write (made without a
 * lookup), or a duplicate key (409), may mean that the record is in
 * Campaign already (before the first load, or another write was first):
 * then it is updated instead. */
static WriteOutcome
create_record (Writer               *writer,
               const CcIngressPlan  *plan,
               const CcQueueItem    *item,
               JsonObject           *record,
               gboolean              full_write,
               GError              **error)
{
  g_autoptr(CcCampaignResult) result = NULL;
  g_autofree char *pkey = NULL;
  WriteOutcome outcome;

  result = cc_campaign_client_create (writer->client, plan->mapping->target, record,
                                      writer->cancellable, error);
  if (result == NULL)
    return WRITE_RETRY;
  if (result->pkey != NULL && !is_rejection (result))
    {
      remember_pkey (writer, plan, item->key, result->pkey);
      return WRITE_OK;
    }

  if (full_write || result->status == 409)
    {
      pkey = lookup_pkey (writer, plan, item->key, error);
      if (pkey == NULL && error && *error)
        return WRITE_RETRY;
      if (pkey != NULL)
        {
          outcome = patch_record (writer, plan, item, record, pkey, error);
          return outcome == WRITE_GONE ? WRITE_RETRY : outcome;
        }
      if (result->status == 409)
        return WRITE_RETRY;
    }

  reject (writer, result->status, result->message ? result->message
                                                  : _("Campaign returned no PKey"));
  return WRITE_REJECTED;
}

static WriteOutcome
write_upsert (Writer               *writer,
              const CcIngressPlan  *plan,
              const CcQueueItem    *item,
              GError              **error)
{
  g_autoptr(JsonNode) node = json_from_string (item->payload, NULL);
  g_autofree char *pkey = NULL;
  gboolean full_write;
  gboolean create_first;
  WriteOutcome outcome;
  JsonObject *record;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      reject (writer, 0, _("The queued record is damaged and cannot be written"));
      return WRITE_REJECTED;
    }
  record = json_node_get_object (node);
  if (json_object_has_member (record, CC_INGRESS_ERROR_MEMBER))
    {
      /* The reader could not map the row: say why, send nothing. */
      reject (writer, 0, json_object_get_string_member (record, CC_INGRESS_ERROR_MEMBER));
      return WRITE_REJECTED;
    }
  if (!attach_parent (writer, plan, item, record, &outcome, error))
    return outcome;

  /* On a full write (first load, resync, replay) a record the identity
   * map does not know is most likely new: create it at once, and look it
   * up only when Campaign refuses the create (it exists after all: a
   * duplicate key). That halves the requests of a first load. A record
   * whose earlier write failed is looked up first: that write may have
   * been a create Campaign carried out and whose answer was lost. */
  full_write = (item->flags & CC_QUEUE_FLAG_FULL) != 0;
  create_first = full_write && item->attempts == 0;
  pkey = create_first ? known_pkey (writer, plan, item->key, error)
                      : lookup_pkey (writer, plan, item->key, error);
  if (pkey == NULL && error && *error)
    return WRITE_RETRY;
  if (pkey != NULL)
    {
      outcome = patch_record (writer, plan, item, record, pkey, error);
      if (outcome != WRITE_GONE)
        return outcome;
      /* Deleted in Campaign meanwhile: create it again. */
      json_object_set_string_member (record, plan->mapping->target_key, item->key);
      full_write = FALSE;
    }
  return create_record (writer, plan, item, record, full_write, error);
}

static WriteOutcome
write_item (Writer             *writer,
            const CcQueueItem  *item,
            GError            **error)
{
  const CcIngressPlan *plan = cc_ingress_find_plan (writer->ingress, item->mapping);

  if (plan == NULL)
    {
      g_autofree char *why = g_strdup_printf (_("Mapping “%s” is no longer configured"),
                                              item->mapping);
      reject (writer, 0, why);
      return WRITE_REJECTED;
    }
  if (item->op == CC_QUEUE_OP_DELETE)
    return write_delete (writer, plan, item, error);
  return write_upsert (writer, plan, item, error);
}

/* Settles what writing @item came to; returns whether it was written. */
static gboolean
settle_outcome (Writer             *writer,
                const CcQueueItem  *item,
                WriteOutcome        outcome)
{
  switch (outcome)
    {
    case WRITE_OK:
      cc_store_batch_done (writer->batch, item->id);
      cc_store_batch_add_written (writer->batch, 1);
      return TRUE;
    case WRITE_REJECTED:
      cc_store_batch_fail (writer->batch, item->id, writer->status, writer->reason);
      return FALSE;
    case WRITE_RETRY:
    case WRITE_GONE:  /* write_item creates a gone record again */
    default:
      cc_store_batch_again (writer->batch, item->id);
      return FALSE;
    }
}

/* Writes the records of one lease into the writer's batch. Once one fails
 * for a reason the run cannot get past (credentials refused, schema gone,
 * database trouble: *@fatal), or the service struggles, the rest go back
 * to the queue. Returns whether to ease off before the next lease: the
 * service struggled, or nothing went through but retries (children
 * waiting for their parents). */
static gboolean
write_lease (Writer     *writer,
             GPtrArray  *items,
             GError    **fatal)
{
  CcRun *run = writer->ingress->run;
  gboolean backoff = FALSE;
  guint written = 0;

  for (guint i = 0; i < items->len; i++)
    {
      CcQueueItem *item = g_ptr_array_index (items, i);
      g_autoptr(GError) local = NULL;
      WriteOutcome outcome;

      /* Stopped: what was not written stays leased, and the next start
       * gives it back as it was. A record that never went out is no
       * failed write (which would have it looked up first, one more call
       * of Campaign's allowance); one that went out as the stop came, if
       * it was a create, meets its own copy as a duplicate key and is
       * then looked up. */
      if (cc_run_is_cancelled (run))
        continue;
      if (backoff)
        {
          cc_store_batch_again (writer->batch, item->id);
          continue;
        }
      outcome = write_item (writer, item, &local);
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        continue;
      if (local != NULL && !g_error_matches (local, CC_ERROR, CC_ERROR_TRANSIENT))
        {
          cc_store_batch_again (writer->batch, item->id);
          if (*fatal == NULL)
            *fatal = g_steal_pointer (&local);
          backoff = TRUE;
          continue;
        }
      if (settle_outcome (writer, item, outcome))
        written++;
      else if (outcome != WRITE_REJECTED && local != NULL)
        backoff = TRUE;
    }
  return backoff || (written == 0 && cc_store_batch_get_again (writer->batch) > 0);
}

gboolean
cc_ingress_write_loop (CcIngress  *self,
                       GError    **error)
{
  CcRun *run = self->run;
  const char *workflow = cc_run_get_workflow_id (run);
  g_autoptr(CcStore) store = NULL;
  g_autoptr(CcCampaignClient) client = NULL;
  g_autoptr(CcStoreBatch) batch = cc_store_batch_new (workflow);
  Writer writer = { self, NULL, NULL, batch, cc_run_get_cancellable (run), 0, NULL };
  guint transient_streak = 0;
  GError *fatal = NULL;   /* the first error that ends the run */

  store = cc_run_open_store (run, error);
  if (store == NULL)
    return FALSE;
  client = cc_run_new_campaign_client (run, 1, error);
  if (client == NULL)
    return FALSE;
  writer.store = store;
  writer.client = client;

  while (fatal == NULL && !cc_run_is_cancelled (run))
    {
      g_autoptr(GPtrArray) items = NULL;
      gboolean ease_off;

      items = cc_store_lease (store, workflow, LEASE_SIZE, error);
      if (items == NULL)
        return FALSE;
      if (items->len == 0)
        {
          /* Idle: the reader fills the queue; look again shortly. */
          cc_run_sleep (run, 100);
          continue;
        }

      ease_off = write_lease (&writer, items, &fatal);
      cc_run_settle (run, store, batch, fatal ? NULL : &fatal);
      if (ease_off)
        cc_run_sleep (run, cc_run_backoff_ms (MIN (transient_streak++, 8)));
      else
        transient_streak = 0;
    }

  g_free (writer.reason);
  if (fatal != NULL)
    {
      g_propagate_error (error, fatal);
      return FALSE;
    }
  return TRUE;
}
