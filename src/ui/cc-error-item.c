/* cc-error-item.c — an error-log entry wrapped for GListModel. */
#include "config.h"

#include <json-glib/json-glib.h>

#include "cc-error-item.h"

struct _CcErrorItem
{
  GObject       parent_instance;

  CcErrorEntry *entry;
};

G_DEFINE_FINAL_TYPE (CcErrorItem, cc_error_item, G_TYPE_OBJECT)

CcErrorItem *
cc_error_item_new (CcErrorEntry *entry)
{
  CcErrorItem *self;

  g_return_val_if_fail (entry != NULL, NULL);

  self = g_object_new (CC_TYPE_ERROR_ITEM, NULL);
  self->entry = entry;
  return self;
}

const CcErrorEntry *
cc_error_item_get_entry (CcErrorItem *self)
{
  g_return_val_if_fail (CC_IS_ERROR_ITEM (self), NULL);
  return self->entry;
}

char *
cc_error_item_dup_payload_text (CcErrorItem *self)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (CC_IS_ERROR_ITEM (self), NULL);

  if (self->entry->payload == NULL)
    return g_strdup ("");
  node = json_from_string (self->entry->payload, NULL);
  if (node == NULL)
    return g_strdup (self->entry->payload);
  return json_to_string (node, TRUE);
}

static void
cc_error_item_finalize (GObject *object)
{
  CcErrorItem *self = CC_ERROR_ITEM (object);

  g_clear_pointer (&self->entry, cc_error_entry_free);

  G_OBJECT_CLASS (cc_error_item_parent_class)->finalize (object);
}

static void
cc_error_item_class_init (CcErrorItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cc_error_item_finalize;
}

static void
cc_error_item_init (CcErrorItem *self)
{
}
