/* cc-json-member.c — forgiving reads of a configuration's members.
 *
 * The dialogs only fill their rows from the configuration: the engine
 * checks it strictly when it is saved. So a member of the wrong type is
 * read as absent here, and the dialog still opens on a configuration that
 * was edited by hand. Values typed into an entry become JSON of the type
 * the target expects, when they read as one.
 */
#include "config.h"

#include "cc-json-member.h"

/* The member if it is a value of @type (any value for G_TYPE_INVALID). */
static JsonNode *
get_value (JsonObject *object,
           const char *member,
           GType       type)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (type != G_TYPE_INVALID && json_node_get_value_type (node) != type)
    return NULL;
  return node;
}

const char *
cc_json_member_string (JsonObject *object,
                       const char *member,
                       const char *fallback)
{
  JsonNode *node = get_value (object, member, G_TYPE_STRING);

  return node != NULL ? json_node_get_string (node) : fallback;
}

gint64
cc_json_member_int (JsonObject *object,
                    const char *member,
                    gint64      fallback)
{
  JsonNode *node = get_value (object, member, G_TYPE_INVALID);

  return node != NULL ? json_node_get_int (node) : fallback;
}

gboolean
cc_json_member_boolean (JsonObject *object,
                        const char *member,
                        gboolean    fallback)
{
  JsonNode *node = get_value (object, member, G_TYPE_BOOLEAN);

  return node != NULL ? json_node_get_boolean (node) : fallback;
}

JsonObject *
cc_json_member_object (JsonObject *object,
                       const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
cc_json_member_array (JsonObject *object,
                      const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

JsonNode *
cc_json_member_parse_number (const char *text)
{
  char *end = NULL;
  gint64 whole;
  double real;

  if (*text == '\0')
    return NULL;
  whole = g_ascii_strtoll (text, &end, 10);
  if (end != NULL && *end == '\0')
    return json_node_init_int (json_node_alloc (), whole);
  real = g_ascii_strtod (text, &end);
  if (end != NULL && *end == '\0')
    return json_node_init_double (json_node_alloc (), real);
  return NULL;
}

JsonNode *
cc_json_member_parse_boolean (const char *text)
{
  if (g_str_equal (text, "true") || g_str_equal (text, "false"))
    return json_node_init_boolean (json_node_alloc (), g_str_equal (text, "true"));
  return NULL;
}
