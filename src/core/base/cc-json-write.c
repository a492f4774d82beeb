/* cc-json-write.c — writing a workflow's configuration back as JSON. */
#include "config.h"

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
