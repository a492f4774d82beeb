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
#include "cc-json-read.h"

const char *
cc_json_member_string (JsonObject *object,
                       const char *member,
                       const char *fallback)
{
  const char *value = cc_json_read_string (object, member);

  return value != NULL ? value : fallback;
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
