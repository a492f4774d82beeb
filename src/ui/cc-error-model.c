/* cc-error-model.c — the error log, virtualised.
 *
 * Items are read from the store in pages of PAGE_SIZE when the list view
 * asks for them, newest first, and a few pages are kept. The model shows
 * the entries its filter matches (all without one), and is refreshed as
 * a whole when the log or the filter changes: entries are few and far
 * between next to the records that go through.
 */
#include "config.h"

#include "cc-error-item.h"
#include "cc-error-model.h"

#define PAGE_SIZE 100
#define MAX_PAGES 16

struct _CcErrorModel
{
  GObject      parent_instance;

  CcWorkflow    *workflow;
  CcErrorFilter  filter;
  guint          n_items;
  GHashTable  *pages;     /* page number → GPtrArray of CcErrorItem */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CcErrorModel, cc_error_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
cc_error_model_get_item_type (GListModel *model)
{
  return CC_TYPE_ERROR_ITEM;
}

static guint
cc_error_model_get_n_items (GListModel *model)
{
  return CC_ERROR_MODEL (model)->n_items;
}

static GPtrArray *
load_page (CcErrorModel *self,
           guint         page)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  entries = cc_workflow_list_errors_matching (self->workflow, &self->filter, page * PAGE_SIZE,
                                              PAGE_SIZE, &error);
  if (entries == NULL)
    {
      g_debug ("error log of %s: %s", cc_workflow_get_id (self->workflow), error->message);
      return NULL;
    }

  if (g_hash_table_size (self->pages) >= MAX_PAGES)
    g_hash_table_remove_all (self->pages);

  /* The items take the entries over. */
  g_ptr_array_set_free_func (entries, NULL);
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (items, cc_error_item_new (g_ptr_array_index (entries, i)));
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), items);
  return items;
}

static gpointer
cc_error_model_get_item (GListModel *model,
                         guint       position)
{
  CcErrorModel *self = CC_ERROR_MODEL (model);
  guint page = position / PAGE_SIZE;
  guint offset = position % PAGE_SIZE;
  GPtrArray *items;

  if (position >= self->n_items)
    return NULL;

  items = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  if (items == NULL)
    items = load_page (self, page);
  if (items == NULL || offset >= items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (items, offset));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = cc_error_model_get_item_type;
  iface->get_n_items = cc_error_model_get_n_items;
  iface->get_item = cc_error_model_get_item;
}

static guint
count (CcErrorModel *self)
{
  return (guint) MIN (cc_workflow_count_errors (self->workflow, &self->filter, NULL), G_MAXUINT);
}

CcErrorModel *
cc_error_model_new (CcWorkflow *workflow)
{
  CcErrorModel *self;

  g_return_val_if_fail (CC_IS_WORKFLOW (workflow), NULL);

  self = g_object_new (CC_TYPE_ERROR_MODEL, NULL);
  self->workflow = g_object_ref (workflow);
  self->n_items = count (self);
  return self;
}

void
cc_error_model_set_filter (CcErrorModel        *self,
                           const CcErrorFilter *filter)
{
  g_return_if_fail (CC_IS_ERROR_MODEL (self));

  cc_error_filter_clear (&self->filter);
  cc_error_filter_copy (filter, &self->filter);
  cc_error_model_refresh (self);
}

void
cc_error_model_refresh (CcErrorModel *self)
{
  guint old = self->n_items;

  g_return_if_fail (CC_IS_ERROR_MODEL (self));

  g_hash_table_remove_all (self->pages);
  self->n_items = count (self);
  if (old > 0 || self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->n_items);
}

static void
cc_error_model_finalize (GObject *object)
{
  CcErrorModel *self = CC_ERROR_MODEL (object);

  g_clear_object (&self->workflow);
  cc_error_filter_clear (&self->filter);
  g_clear_pointer (&self->pages, g_hash_table_unref);

  G_OBJECT_CLASS (cc_error_model_parent_class)->finalize (object);
}

static void
cc_error_model_class_init (CcErrorModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cc_error_model_finalize;
}

static void
cc_error_model_init (CcErrorModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
}
