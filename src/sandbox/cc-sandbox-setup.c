/* cc-sandbox-setup.c — reading the names of the setup an emulator leaves
 * out (see cc-sandbox-setup.h).
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "cc-sandbox-setup.h"

typedef enum
{
  ARG_NONE,     /* "activity-tables" */
  ARG_OBJECT,   /* "privilege:NAME" */
  ARG_MEMBER,   /* "column:TABLE.COLUMN" */
} ArgShape;

static const struct
{
  const char         *name;
  CcSandboxSetupKind  kind;
  gboolean            campaign;
  ArgShape            shape;
} vocabulary[] = {
  { "activity-tables", CC_SANDBOX_SETUP_ACTIVITY_TABLES, FALSE, ARG_NONE },
  { "table", CC_SANDBOX_SETUP_TABLE, FALSE, ARG_OBJECT },
  { "alternate-key", CC_SANDBOX_SETUP_ALTERNATE_KEY, FALSE, ARG_OBJECT },
  { "change-tracking", CC_SANDBOX_SETUP_CHANGE_TRACKING, FALSE, ARG_OBJECT },
  { "column", CC_SANDBOX_SETUP_COLUMN, FALSE, ARG_MEMBER },
  { "privilege", CC_SANDBOX_SETUP_PRIVILEGE, FALSE, ARG_OBJECT },
  { "custom-filters", CC_SANDBOX_SETUP_CUSTOM_FILTERS, TRUE, ARG_NONE },
  { "filter", CC_SANDBOX_SETUP_FILTER, TRUE, ARG_MEMBER },
  { "field", CC_SANDBOX_SETUP_FIELD, TRUE, ARG_MEMBER },
  { "key", CC_SANDBOX_SETUP_KEY, TRUE, ARG_OBJECT },
};

void
cc_sandbox_setup_item_free (CcSandboxSetupItem *item)
{
  if (item == NULL)
    return;
  g_free (item->object);
  g_free (item->member);
  g_free (item);
}

static gboolean
refuse (const char  *text,
        GError     **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "Unknown setup item '%s': expected activity-tables, table:TABLE, alternate-key:TABLE, "
               "change-tracking:TABLE, column:TABLE.COLUMN, privilege:NAME, custom-filters, "
               "filter:RESOURCE.FILTER, field:RESOURCE.FIELD or key:RESOURCE", text);
  return FALSE;
}

/* Splits @arg as @shape wants it into @item; FALSE when it does not fit. */
static gboolean
read_argument (const char         *arg,
               ArgShape            shape,
               CcSandboxSetupItem *item)
{
  const char *dot;

  if (shape == ARG_NONE)
    return arg == NULL;
  if (arg == NULL || *arg == '\0')
    return FALSE;
  if (shape == ARG_OBJECT)
    {
      item->object = g_strdup (arg);
      return TRUE;
    }
  /* A resource name may hold a slash but never a dot: split at the last. */
  dot = strrchr (arg, '.');
  if (dot == NULL || dot == arg || dot[1] == '\0')
    return FALSE;
  item->object = g_strndup (arg, dot - arg);
  item->member = g_strdup (dot + 1);
  return TRUE;
}

CcSandboxSetupItem *
cc_sandbox_setup_item_parse (const char  *text,
                             GError     **error)
{
  g_autoptr(CcSandboxSetupItem) item = g_new0 (CcSandboxSetupItem, 1);
  const char *colon;
  g_autofree char *name = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  colon = strchr (text, ':');
  name = colon ? g_strndup (text, colon - text) : g_strdup (text);
  for (guint i = 0; i < G_N_ELEMENTS (vocabulary); i++)
    {
      if (strcmp (vocabulary[i].name, name) != 0)
        continue;
      item->kind = vocabulary[i].kind;
      item->campaign = vocabulary[i].campaign;
      if (!read_argument (colon ? colon + 1 : NULL, vocabulary[i].shape, item))
        break;
      return g_steal_pointer (&item);
    }
  refuse (text, error);
  return NULL;
}

gboolean
cc_sandbox_setup_check (const char * const  *items,
                        GError             **error)
{
  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      g_autoptr(CcSandboxSetupItem) item = cc_sandbox_setup_item_parse (items[i], error);

      if (item == NULL)
        return FALSE;
    }
  return TRUE;
}

char **
cc_sandbox_setup_read_request (JsonObject  *body,
                               GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) items = NULL;
  JsonNode *remove = body != NULL ? json_object_get_member (body, "remove") : NULL;
  JsonArray *array = remove != NULL && JSON_NODE_HOLDS_ARRAY (remove) ? json_node_get_array (remove) : NULL;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          array = NULL;
          break;
        }
      g_strv_builder_add (builder, json_node_get_string (node));
    }
  if (array == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "Give {\"remove\": [\"ITEM\", ...]}");
      return NULL;
    }
  items = g_strv_builder_end (builder);
  if (!cc_sandbox_setup_check ((const char * const *) items, error))
    return NULL;
  return g_steal_pointer (&items);
}

gboolean
cc_sandbox_setup_remove (const char * const    *items,
                         gboolean               campaign,
                         CcSandboxSetupRemove   remove,
                         gpointer               server,
                         GError               **error)
{
  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      g_autoptr(CcSandboxSetupItem) item = cc_sandbox_setup_item_parse (items[i], error);

      if (item == NULL)
        return FALSE;
      if (item->campaign == campaign && !remove (server, item, error))
        return FALSE;
    }
  return TRUE;
}
