/* cc-check-report.c — the items of a setup check (see cc-check-report.h). */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "cc-check-report.h"
#include "cc-error.h"

struct _CcCheckReport
{
  GObject     parent_instance;

  GPtrArray  *items;       /* CcCheckItem*, owned, in order */
  GHashTable *by_id;       /* id → CcCheckItem* */
  char       *workflow;    /* tags the items added now */
  GError     *transient;   /* the first transient trouble, or cancellation */
};

G_DEFINE_FINAL_TYPE (CcCheckReport, cc_check_report, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (CcCheckItem, cc_check_item, cc_check_item_copy, cc_check_item_free)

const char *
cc_check_state_to_string (CcCheckState state)
{
  switch (state)
    {
    case CC_CHECK_OK:
      return "ok";
    case CC_CHECK_MISSING:
      return "missing";
    case CC_CHECK_CANNOT_TELL:
    default:
      return "cannot-tell";
    }
}

const char *
cc_check_state_to_label (CcCheckState state)
{
  switch (state)
    {
    case CC_CHECK_OK:
      return C_("check state", "OK");
    case CC_CHECK_MISSING:
      return C_("check state", "Missing");
    case CC_CHECK_CANNOT_TELL:
    default:
      return C_("check state", "Cannot tell");
    }
}

CcCheckItem *
cc_check_item_copy (const CcCheckItem *item)
{
  CcCheckItem *copy = g_new0 (CcCheckItem, 1);

  copy->id = g_strdup (item->id);
  copy->label = g_strdup (item->label);
  copy->state = item->state;
  copy->what_to_do = g_strdup (item->what_to_do);
  copy->why = g_strdup (item->why);
  copy->workflows = g_strdupv (item->workflows);
  copy->error_code = item->error_code;
  copy->blocks_start = item->blocks_start;
  return copy;
}

void
cc_check_item_free (CcCheckItem *item)
{
  if (item == NULL)
    return;
  g_free (item->id);
  g_free (item->label);
  g_free (item->what_to_do);
  g_free (item->why);
  g_strfreev (item->workflows);
  g_free (item);
}

static void
cc_check_report_finalize (GObject *object)
{
  CcCheckReport *self = CC_CHECK_REPORT (object);

  g_hash_table_unref (self->by_id);
  g_ptr_array_unref (self->items);
  g_free (self->workflow);
  g_clear_error (&self->transient);

  G_OBJECT_CLASS (cc_check_report_parent_class)->finalize (object);
}

static void
cc_check_report_class_init (CcCheckReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cc_check_report_finalize;
}

static void
cc_check_report_init (CcCheckReport *self)
{
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_check_item_free);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

CcCheckReport *
cc_check_report_new (void)
{
  return g_object_new (CC_TYPE_CHECK_REPORT, NULL);
}

void
cc_check_report_set_workflow (CcCheckReport *self,
                              const char    *workflow_id)
{
  g_return_if_fail (CC_IS_CHECK_REPORT (self));

  g_free (self->workflow);
  self->workflow = g_strdup (workflow_id);
}

static void
tag (CcCheckReport *self,
     CcCheckItem   *item)
{
  g_autoptr(GStrvBuilder) builder = NULL;

  if (self->workflow == NULL || g_strv_contains ((const char * const *) item->workflows, self->workflow))
    return;
  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) item->workflows);
  g_strv_builder_add (builder, self->workflow);
  g_strfreev (item->workflows);
  item->workflows = g_strv_builder_end (builder);
}

/* The item @id, new (and then filled in by the caller) or already there
 * (then NULL: what it says stands). */
static CcCheckItem *
add (CcCheckReport *self,
     const char    *id,
     const char    *label,
     CcCheckState   state)
{
  CcCheckItem *item;

  g_return_val_if_fail (CC_IS_CHECK_REPORT (self), NULL);
  g_return_val_if_fail (id != NULL && label != NULL, NULL);

  item = g_hash_table_lookup (self->by_id, id);
  if (item != NULL)
    {
      tag (self, item);
      return NULL;
    }
  item = g_new0 (CcCheckItem, 1);
  item->id = g_strdup (id);
  item->label = g_strdup (label);
  item->state = state;
  item->workflows = g_new0 (char *, 1);
  tag (self, item);
  g_ptr_array_add (self->items, item);
  g_hash_table_insert (self->by_id, item->id, item);
  return item;
}

void
cc_check_report_ok (CcCheckReport *self,
                    const char    *id,
                    const char    *label,
                    const char    *note)
{
  CcCheckItem *item = add (self, id, label, CC_CHECK_OK);

  if (item != NULL)
    item->why = g_strdup (note);
}

void
cc_check_report_missing (CcCheckReport *self,
                         const char    *id,
                         const char    *label,
                         int            error_code,
                         const char    *why,
                         const char    *what_to_do)
{
  CcCheckItem *item = add (self, id, label, CC_CHECK_MISSING);

  if (item == NULL)
    return;
  item->error_code = error_code;
  item->why = g_strdup (why);
  item->what_to_do = g_strdup (what_to_do);
  item->blocks_start = TRUE;
}

void
cc_check_report_schema (CcCheckReport *self,
                        const char    *id,
                        const char    *label,
                        const char    *why,
                        const char    *what_to_do)
{
  if (why != NULL)
    cc_check_report_missing (self, id, label, CC_ERROR_SCHEMA, why, what_to_do);
  else
    cc_check_report_ok (self, id, label, NULL);
}

void
cc_check_report_missing_with_fallback (CcCheckReport *self,
                                       const char    *id,
                                       const char    *label,
                                       const char    *why,
                                       const char    *what_to_do)
{
  CcCheckItem *item = add (self, id, label, CC_CHECK_MISSING);

  if (item == NULL)
    return;
  item->error_code = CC_ERROR_SCHEMA;
  item->why = g_strdup (why);
  item->what_to_do = g_strdup (what_to_do);
}

void
cc_check_report_cannot_tell (CcCheckReport *self,
                             const char    *id,
                             const char    *label,
                             const char    *why)
{
  CcCheckItem *item = add (self, id, label, CC_CHECK_CANNOT_TELL);

  if (item != NULL)
    item->why = g_strdup (why);
}

void
cc_check_report_failed (CcCheckReport *self,
                        const char    *id,
                        const char    *label,
                        const GError  *error)
{
  g_return_if_fail (error != NULL);

  if ((g_error_matches (error, CC_ERROR, CC_ERROR_TRANSIENT)
       || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      && self->transient == NULL)
    self->transient = g_error_copy (error);
  cc_check_report_cannot_tell (self, id, label, error->message);
}

gboolean
cc_check_report_tag (CcCheckReport *self,
                     const char    *id)
{
  CcCheckItem *item;

  g_return_val_if_fail (CC_IS_CHECK_REPORT (self), FALSE);

  item = g_hash_table_lookup (self->by_id, id);
  if (item != NULL)
    tag (self, item);
  return item != NULL;
}

GPtrArray *
cc_check_report_get_items (CcCheckReport *self)
{
  g_return_val_if_fail (CC_IS_CHECK_REPORT (self), NULL);

  return self->items;
}

const CcCheckItem *
cc_check_report_find (CcCheckReport *self,
                      const char    *id)
{
  g_return_val_if_fail (CC_IS_CHECK_REPORT (self), NULL);

  return g_hash_table_lookup (self->by_id, id);
}

guint
cc_check_report_count (CcCheckReport *self,
                       CcCheckState   state)
{
  guint n = 0;

  g_return_val_if_fail (CC_IS_CHECK_REPORT (self), 0);

  for (guint i = 0; i < self->items->len; i++)
    n += ((CcCheckItem *) g_ptr_array_index (self->items, i))->state == state;
  return n;
}

const CcCheckItem *
cc_check_report_first_blocking (CcCheckReport *self)
{
  g_return_val_if_fail (CC_IS_CHECK_REPORT (self), NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      const CcCheckItem *item = g_ptr_array_index (self->items, i);

      if (item->state == CC_CHECK_MISSING && item->blocks_start)
        return item;
    }
  return NULL;
}

gboolean
cc_check_report_to_error (CcCheckReport  *self,
                          GError        **error)
{
  const CcCheckItem *item;

  g_return_val_if_fail (CC_IS_CHECK_REPORT (self), FALSE);

  if (self->transient != NULL)
    {
      g_propagate_error (error, g_error_copy (self->transient));
      return FALSE;
    }
  item = cc_check_report_first_blocking (self);
  if (item == NULL)
    return TRUE;
  if (item->what_to_do != NULL)
    g_set_error (error, CC_ERROR, item->error_code, "%s %s", item->why, item->what_to_do);
  else
    g_set_error_literal (error, CC_ERROR, item->error_code, item->why);
  return FALSE;
}
