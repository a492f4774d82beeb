/* cc-ingress-schema.c — what a changed mapping does to what ingress keeps.
 *
 * While Starting, once every mapping was checked against the live
 * schemas:
 *
 *  - the stored read positions (the change feed's, a replay's, a
 *    backfill's) take the columns the mapping reads now and keep their
 *    place (cc-position.h, cc-poll-reader.h): a field taken out of the
 *    mapping because its column left Dynamics 365 no longer fails every
 *    start, and what changed meanwhile arrives with the next read, once;
 *  - the Campaign fields a mapping writes for the first time are
 *    backfilled for the records already in Campaign: the table is read
 *    again beside the change feed, like a replay, and each record the
 *    identity map knows is queued with CC_QUEUE_FLAG_BACKFILL; its writer
 *    updates it with the new fields too, in the one call an update costs.
 *    (A record Campaign does not have yet is the change feed's to create,
 *    with every field.) The run history says so.
 *
 * Stored per mapping: "fields/<id>", the Campaign fields it wrote at the
 * last start (comma-separated), and "backfill/<id>" while a backfill lasts:
 * "read <fields>" to begin, "page <fields> <url>" while reading, "queued
 * <fields>" once read, until its records are all written — a record of it
 * may meet a newer change of the same record in the queue and become one
 * item with it, so the writers learn the fields from here, not from the
 * item.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-ingress-private.h"
#include "cc-position.h"

#define BACKFILL_READ   "read"
#define BACKFILL_PAGE   "page"
#define BACKFILL_QUEUED "queued"

void
cc_ingress_backfill_clear (CcIngressBackfill *backfill)
{
  g_clear_pointer (&backfill->fields, g_strfreev);
  g_clear_pointer (&backfill->url, g_free);
  backfill->read = FALSE;
}

gboolean
cc_ingress_backfill_parse (const char        *text,
                           CcIngressBackfill *backfill)
{
  g_auto(GStrv) words = NULL;

  cc_ingress_backfill_clear (backfill);
  if (text == NULL)
    return FALSE;
  words = g_strsplit (text, " ", 3);
  if (words[0] == NULL || words[1] == NULL || *words[1] == '\0')
    return FALSE;
  if (g_str_equal (words[0], BACKFILL_PAGE) && words[2] != NULL)
    backfill->url = g_strdup (words[2]);
  else if (g_str_equal (words[0], BACKFILL_QUEUED))
    backfill->read = TRUE;
  else if (!g_str_equal (words[0], BACKFILL_READ))
    return FALSE;
  backfill->fields = g_strsplit (words[1], ",", -1);
  return TRUE;
}

char *
cc_ingress_backfill_to_string (const CcIngressBackfill *backfill)
{
  g_autofree char *names = g_strjoinv (",", backfill->fields);

  if (backfill->read)
    return g_strdup_printf ("%s %s", BACKFILL_QUEUED, names);
  if (backfill->url != NULL)
    return g_strdup_printf ("%s %s %s", BACKFILL_PAGE, names, backfill->url);
  return g_strdup_printf ("%s %s", BACKFILL_READ, names);
}

/* The Campaign fields @mapping writes, in its order. */
static GStrv
mapped_targets (const CcTableMapping *mapping)
{
  g_autoptr(GStrvBuilder) targets = g_strv_builder_new ();

  for (guint i = 0; i < mapping->fields->len; i++)
    g_strv_builder_add (targets, ((CcFieldMapping *) g_ptr_array_index (mapping->fields, i))->target);
  return g_strv_builder_end (targets);
}

/* What the mapping wrote at the last start. When that was not noted (a
 * version before this one started it), its read position tells: the
 * fields whose column it selected. NULL when neither tells. */
static GStrv
targets_before (CcStore              *store,
                const CcIngressPlan  *plan,
                GError              **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *stored = cc_store_get_cursor (store, "ingress", plan->fields_name, &local);
  g_autoptr(GStrvBuilder) targets = NULL;
  g_auto(GStrv) selected = NULL;

  if (stored != NULL)
    return *stored != '\0' ? g_strsplit (stored, ",", -1) : g_new0 (char *, 1);
  if (local == NULL)
    selected = cc_position_dup_select (store, "ingress", plan->cursor_name, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (selected == NULL)
    return NULL;
  targets = g_strv_builder_new ();
  for (guint i = 0; i < plan->mapping->fields->len; i++)
    {
      const CcFieldMapping *field = g_ptr_array_index (plan->mapping->fields, i);

      if (field->source != NULL && g_strv_contains ((const char * const *) selected, field->source))
        g_strv_builder_add (targets, field->target);
    }
  return g_strv_builder_end (targets);
}

/* The fields the mapping writes now that it did not write before, once
 * it has read its table (a first read writes every field anyway). */
static GStrv
added_targets (CcStore              *store,
               const CcIngressPlan  *plan,
               GError              **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *read = cc_store_get_cursor (store, "ingress", plan->cursor_name, &local);
  g_auto(GStrv) now = mapped_targets (plan->mapping);
  g_auto(GStrv) before = NULL;
  g_autoptr(GStrvBuilder) added = g_strv_builder_new ();

  if (local == NULL && read != NULL)
    before = targets_before (store, plan, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  for (guint i = 0; before != NULL && now[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) before, now[i]))
      g_strv_builder_add (added, now[i]);
  return g_strv_builder_end (added);
}

/* Whether what a read backfill queued is all written. */
static gboolean
backfill_written (CcStore              *store,
                  const CcIngressPlan  *plan,
                  gboolean             *written,
                  GError              **error)
{
  gboolean found = FALSE;

  if (!cc_store_has_queued (store, "ingress", plan->mapping->id, NULL, CC_QUEUE_FLAG_BACKFILL,
                            &found, error))
    return FALSE;
  *written = !found;
  return TRUE;
}

/* The fields to backfill: those of a backfill under way that the mapping
 * still writes, and @added. */
static GStrv
backfill_fields (const CcIngressPlan      *plan,
                 const CcIngressBackfill  *pending,
                 const char * const       *added)
{
  g_auto(GStrv) now = mapped_targets (plan->mapping);
  g_autoptr(GStrvBuilder) fields = g_strv_builder_new ();

  for (guint i = 0; pending->fields != NULL && pending->fields[i] != NULL; i++)
    if (g_strv_contains ((const char * const *) now, pending->fields[i]))
      g_strv_builder_add (fields, pending->fields[i]);
  for (guint i = 0; added[i] != NULL; i++)
    if (pending->fields == NULL || !g_strv_contains ((const char * const *) pending->fields, added[i]))
      g_strv_builder_add (fields, added[i]);
  return g_strv_builder_end (fields);
}

/* Starts the backfill of @fields (from its first page: the fields of a
 * backfill under way that join it are read again with the new ones). */
static gboolean
start_backfill (CcStore              *store,
                const CcIngressPlan  *plan,
                const char * const   *fields,
                GError              **error)
{
  CcIngressBackfill backfill = { (GStrv) fields, NULL, FALSE };
  g_autofree char *position = cc_ingress_backfill_to_string (&backfill);
  g_autofree char *names = g_strjoinv (", ", (GStrv) fields);
  g_autofree char *message = NULL;

  /* Translators: %s is the mapping's id, then the Campaign fields */
  message = g_strdup_printf (_("Mapping “%s” writes new fields (%s): the records already in "
                               "Campaign are read again from Dynamics 365 to fill them in."),
                             plan->mapping->id, names);
  return cc_store_set_cursor (store, "ingress", plan->backfill_name, position, error)
         && cc_store_add_history (store, "ingress", "backfill", message, 0, 0, error);
}

/* The backfill of @plan as this start leaves it: the fields its writers
 * add to an update (plan->backfill_fields), and what its reader reads. */
static gboolean
refit_backfill (CcStore        *store,
                CcIngressPlan  *plan,
                GError        **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *text = cc_store_get_cursor (store, "ingress", plan->backfill_name, &local);
  g_auto(CcIngressBackfill) pending = { 0 };
  g_auto(GStrv) added = NULL;
  g_auto(GStrv) fields = NULL;
  g_autofree char *position = NULL;
  gboolean written = FALSE;

  if (local == NULL)
    added = added_targets (store, plan, &local);
  if (local == NULL && cc_ingress_backfill_parse (text, &pending) && pending.read)
    backfill_written (store, plan, &written, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (written)
    cc_ingress_backfill_clear (&pending);

  fields = backfill_fields (plan, &pending, (const char * const *) added);
  if (fields[0] == NULL)
    return cc_store_set_cursor (store, "ingress", plan->backfill_name, NULL, error);
  plan->backfill_fields = g_strdupv (fields);
  if (added[0] != NULL)
    return start_backfill (store, plan, (const char * const *) fields, error);

  /* Under way: it goes on, with the fields the mapping still writes. */
  g_strfreev (pending.fields);
  pending.fields = g_steal_pointer (&fields);
  position = cc_ingress_backfill_to_string (&pending);
  return cc_store_set_cursor (store, "ingress", plan->backfill_name, position, error);
}

char *
cc_ingress_plan_where (const CcIngressPlan *plan)
{
  /* Translators: where a field is named, as it completes “take the field
   * out of %s” in the messages of a field gone; it may carry the preposition
   * that sentence needs in your language. */
  return g_strdup_printf (_("mapping “%s”"), plan->mapping->id);
}

static gboolean
refit_plan (CcStore        *store,
            CcIngressPlan  *plan,
            GError        **error)
{
  const char * const *columns = (const char * const *) plan->columns;
  g_auto(GStrv) now = mapped_targets (plan->mapping);
  g_autofree char *names = g_strjoinv (",", now);

  if (plan->poll != NULL ? !cc_poll_reader_refit (plan->poll, store, error)
                         : !cc_position_refit_select (store, "ingress", plan->cursor_name,
                                                      columns, error))
    return FALSE;
  return cc_position_refit_select (store, "ingress", plan->replay_name, columns, error)
         && cc_position_refit_select (store, "ingress", plan->backfill_name, columns, error)
         && refit_backfill (store, plan, error)
         && cc_store_set_cursor (store, "ingress", plan->fields_name, names, error);
}

gboolean
cc_ingress_refit (CcIngress  *self,
                  CcStore    *store,
                  GError    **error)
{
  for (guint i = 0; i < self->plans->len; i++)
    if (!refit_plan (store, g_ptr_array_index (self->plans, i), error))
      return FALSE;
  return TRUE;
}
