/* cc-json-write.c — writing JSON: a workflow's configuration, and text
 * written straight into a string (cc-json-write.h). */
#include "config.h"

#include <string.h>

#include "cc-json-write.h"

void
cc_json_write_string (JsonBuilder *builder,
                      const char  *name,
                      const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

void
cc_json_write_uint (JsonBuilder *builder,
                    const char  *name,
                    guint        value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

void
cc_json_write_boolean (JsonBuilder *builder,
                       const char  *name,
                       gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

void
cc_json_write_node (JsonBuilder *builder,
                    const char  *name,
                    JsonNode    *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_value (builder, json_node_copy (value));
}

void
cc_json_write_strings (JsonBuilder         *builder,
                       const char          *name,
                       const char * const  *names,
                       char * const        *values,
                       guint                n)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  for (guint i = 0; i < n; i++)
    cc_json_write_string (builder, names[i], values[i]);
  json_builder_end_object (builder);
}

JsonNode *
cc_json_write_defaults (CcJsonParseFunc  parse,
                        CcJsonWriteFunc  write,
                        GDestroyNotify   free_config)
{
  g_autoptr(JsonNode) empty = json_node_new (JSON_NODE_OBJECT);
  gpointer config;
  JsonNode *written;

  /* The node takes the only reference: json_node_init_object () would
   * add one of its own and leak the object. */
  json_node_take_object (empty, json_object_new ());
  config = parse (empty, NULL);
  g_assert (config != NULL);
  written = write (config);
  free_config (config);
  return written;
}

/* As json-glib 1.6's generator escapes: the quote, the backslash and the
 * control characters below 0x1f and 0x7f; the rest, 0x1f included, as it
 * is. */
static gboolean
needs_escape (char c)
{
  return c == '"' || c == '\\' || (c > 0 && c < 0x1f) || c == 0x7f;
}

void
cc_json_write_text_string (GString    *out,
                           const char *value)
{
  const char *run = value;
  const char *at = value;

  g_string_append_c (out, '"');
  for (;;)
    {
      /* Runs of plain text are copied whole. */
      while (*at != '\0' && !needs_escape (*at))
        at++;
      g_string_append_len (out, run, at - run);
      if (*at == '\0')
        break;
      switch (*at)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:   g_string_append_printf (out, "\\u00%02x", (guint) *at); break;
        }
      run = ++at;
    }
  g_string_append_c (out, '"');
}

/* json-glib 1.6 writes a double as g_ascii_dtostr () does, and adds
 * ".0" when that has no point (1e+20 becomes 1e+20.0: as it reads back). */
static void
write_double (GString *out,
              double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, g_ascii_dtostr (buffer, sizeof buffer, value));
  if (strchr (buffer, '.') == NULL)
    g_string_append (out, ".0");
}

void
cc_json_write_text_node (GString  *out,
                         JsonNode *node)
{
  g_autofree char *text = NULL;

  if (JSON_NODE_HOLDS_NULL (node))
    {
      g_string_append (out, "null");
      return;
    }
  if (JSON_NODE_HOLDS_VALUE (node))
    switch (json_node_get_value_type (node))
      {
      case G_TYPE_STRING:
        cc_json_write_text_string (out, json_node_get_string (node));
        return;
      case G_TYPE_INT64:
        g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
        return;
      case G_TYPE_DOUBLE:
        write_double (out, json_node_get_double (node));
        return;
      case G_TYPE_BOOLEAN:
        g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
        return;
      default:
        break;
      }
  /* A structure: as rare in what is written per record as it is long. */
  text = json_to_string (node, FALSE);
  g_string_append (out, text);
}
