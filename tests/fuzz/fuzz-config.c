/* fuzz-config.c — config.json as an engine reads it at start-up: the
 * file's text (bounds, JSON, every member and connection setting), then
 * every workflow configuration it holds, by its kind. A file that is
 * accepted must hold only what the engine can use: every connection
 * setting a string. */
#include "cc-config.h"
#include "cc-engine.h"
#include "fuzz-input.h"

static void
assert_settings_are_strings (CcConfig   *config,
                             const char *system)
{
  JsonObject *settings = cc_config_get_connection (config, system);
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  json_object_iter_init (&iter, settings);
  while (json_object_iter_next (&iter, &key, &value))
    g_assert_true (JSON_NODE_HOLDS_VALUE (value)
                   && json_node_get_value_type (value) == G_TYPE_STRING);
  cc_config_connection_is_complete (config, system);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(CcConfig) config = NULL;

  cc_fuzz_init ();
  config = cc_config_new_from_data ("fuzz/config.json", (const char *) data, size, NULL);
  if (config == NULL || !cc_engine_check_config (config, NULL))
    return 0;
  assert_settings_are_strings (config, "dynamics");
  assert_settings_are_strings (config, "campaign");
  return 0;
}
