/* cc-json-read.c — reading what a service answered, leniently. */
#include "config.h"

#include "cc-json-read.h"

JsonObject *
cc_json_read_object (JsonObject *object,
                     const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
cc_json_read_array (JsonObject *object,
                    const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* @object's member @name if it is a value of @type, else NULL. */
static JsonNode *
read_value (JsonObject *object,
            const char *name,
            GType       type)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type
         ? node : NULL;
}

const char *
cc_json_read_string (JsonObject *object,
                     const char *name)
{
  JsonNode *node = read_value (object, name, G_TYPE_STRING);

  return node != NULL ? json_node_get_string (node) : NULL;
}

gint64
cc_json_read_int (JsonObject *object,
                  const char *name,
                  gint64      fallback)
{
  JsonNode *node;
  const char *text;
  gint64 value;

  if ((node = read_value (object, name, G_TYPE_INT64)) != NULL)
    return json_node_get_int (node);
  if ((node = read_value (object, name, G_TYPE_DOUBLE)) != NULL)
    {
      double number = json_node_get_double (node);

      /* Out of range, or NaN: no number a service meant (and casting
       * it would be undefined). */
      return number > -9.0e18 && number < 9.0e18 ? (gint64) number : fallback;
    }
  text = cc_json_read_string (object, name);
  if (text != NULL && g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL))
    return value;
  return fallback;
}

gboolean
cc_json_read_boolean (JsonObject *object,
                      const char *name,
                      gboolean    fallback)
{
  JsonNode *node = read_value (object, name, G_TYPE_BOOLEAN);

  return node != NULL ? json_node_get_boolean (node) : fallback;
}
