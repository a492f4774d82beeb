/* cc-config-settings.c — the settings of the two connections, and what
 * the configuration file may hold.
 *
 * Whatever sets them (the connections dialog, SetConnection on the bus,
 * campaign-connector-ctl, a hand edit of config.json) is checked here the
 * same way, and a refusal names the setting by its key and by its label
 * as the connections dialog shows it:
 * "dynamics.url (Environment URL): “…” contains a control character".
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cc-config-private.h"
#include "cc-error.h"
#include "cc-json-check.h"
#include "cc-url.h"

typedef enum
{
  KIND_ID,      /* an identifier: no spaces */
  KIND_URL,     /* cc_url_check () */
  KIND_TEXT,    /* anything on one line */
  KIND_COUNT,   /* a whole number of 0 or more, up to most */
} SettingKind;

typedef struct
{
  const char  *key;
  const char  *label;    /* N_(): as the connections dialog titles its row */
  SettingKind  kind;
  gsize        max_length;
  guint64      most;     /* KIND_COUNT */
} SettingInfo;

/* Lengths: ids are GUIDs (36), tenant domains (at most 253) or IMS
 * organizations and client ids (under 40); scopes a list of some ten
 * words. */
static const SettingInfo dynamics_settings[] = {
  { "url", N_("Environment URL"), KIND_URL, CC_URL_MAX_LENGTH },
  { "tenant", N_("Tenant (Directory) ID"), KIND_ID, 256 },
  { "client-id", N_("Client (Application) ID"), KIND_ID, 256 },
  { "token-url", N_("Token URL (empty: Microsoft Entra ID of the tenant)"), KIND_URL,
    CC_URL_MAX_LENGTH },
};

static const SettingInfo campaign_settings[] = {
  { "org", N_("Organization ID"), KIND_ID, 256 },
  { "api-key", N_("API Key (Client ID)"), KIND_ID, 256 },
  { "api-url", N_("API Base URL"), KIND_URL, CC_URL_MAX_LENGTH },
  { "ims-url", N_("IMS Token URL"), KIND_URL, CC_URL_MAX_LENGTH },
  { "ims-scope", N_("IMS Scopes"), KIND_TEXT, 1024 },
  { "journal-url", N_("Email Event Journal URL (Adobe I/O Events)"), KIND_URL,
    CC_URL_MAX_LENGTH },
  /* A cap of calls per second keeps that many call times in memory. */
  /* Translators: the contract's cap of Campaign API calls; a whole number */
  { "max-calls-per-second", N_("Most API Calls per Second (0: no cap)"), KIND_COUNT, 20,
    100000 },
  /* Translators: the contract's daily allowance of Campaign API calls */
  { "daily-call-budget", N_("Daily API Call Budget, from Midnight UTC (0: none)"), KIND_COUNT,
    20, G_GUINT64_CONSTANT (1000000000000) },
};

static const char * const dynamics_keys[] = { "url", "tenant", "client-id", "token-url", NULL };
static const char * const campaign_keys[] = { "org", "api-key", "api-url", "ims-url",
                                              "ims-scope", "journal-url",
                                              "max-calls-per-second", "daily-call-budget",
                                              NULL };

/* Client secrets: Entra's are 40 characters, IMS's about as long. */
#define MAX_SECRET_LENGTH 1024

const char * const *
cc_config_connection_keys (const char *system)
{
  if (g_strcmp0 (system, "dynamics") == 0)
    return dynamics_keys;
  if (g_strcmp0 (system, "campaign") == 0)
    return campaign_keys;
  return NULL;
}

gboolean
cc_config_check_system (const char  *system,
                        GError     **error)
{
  if (cc_config_connection_keys (system) != NULL)
    return TRUE;
  g_set_error (error, CC_ERROR, CC_ERROR_NOT_FOUND,
               _("Unknown connection “%s”: use “dynamics” or “campaign”"),
               system ? system : "");
  return FALSE;
}

static const SettingInfo *
find_setting (const char *system,
              const char *key)
{
  const SettingInfo *settings = g_str_equal (system, "dynamics") ? dynamics_settings
                                                                 : campaign_settings;
  gsize n = g_str_equal (system, "dynamics") ? G_N_ELEMENTS (dynamics_settings)
                                             : G_N_ELEMENTS (campaign_settings);

  for (gsize i = 0; i < n; i++)
    if (g_str_equal (settings[i].key, key))
      return &settings[i];
  return NULL;
}

const char *
cc_config_connection_label (const char *system,
                            const char *key)
{
  const SettingInfo *info;

  g_return_val_if_fail (cc_config_connection_keys (system) != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (g_str_equal (key, "secret"))
    return _("Client Secret");
  info = find_setting (system, key);
  return info != NULL ? _(info->label) : NULL;
}

/* Refuses the setting @key of @system, at @path (how the caller spells
 * it: "dynamics.url", "connections.dynamics.url"). */
static gboolean G_GNUC_PRINTF (5, 6)
refuse_setting (GError     **error,
                const char  *path,
                const char  *system,
                const char  *key,
                const char  *format,
                ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  /* Translators: a refused connection setting: its key, its label as
   * the connections dialog shows it, then why */
  g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG, _("%s (%s): %s"),
               path, cc_config_connection_label (system, key), what);
  return FALSE;
}

/* What no setting may hold: a control character (a line break in a
 * header), or, in an identifier, a space. */
static gboolean
check_characters (const char         *text,
                  const SettingInfo  *info,
                  const char         *path,
                  const char         *system,
                  GError            **error)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        return refuse_setting (error, path, system, info->key,
                               _("contains a control character"));
      if (*p == ' ' && info->kind == KIND_ID)
        return refuse_setting (error, path, system, info->key, _("contains a space"));
    }
  return TRUE;
}

/* A whole number of 0 or more, in plain digits, up to @info's most. */
static gboolean
parse_count (const char         *text,
             const SettingInfo  *info,
             const char         *path,
             const char         *system,
             guint64            *value,
             GError            **error)
{
  g_autofree char *most = g_strdup_printf ("%" G_GUINT64_FORMAT, info->most);
  guint64 number = 0;

  for (const char *c = text; *c != '\0'; c++)
    if (!g_ascii_isdigit (*c))
      return refuse_setting (error, path, system, info->key,
                             _("“%s” is not a whole number of 0 or more (0 or empty: no limit)"),
                             text);
  if (!g_ascii_string_to_unsigned (text, 10, 0, info->most, &number, NULL))
    return refuse_setting (error, path, system, info->key, _("%s is more than %s"), text, most);
  *value = number;
  return TRUE;
}

gboolean
cc_config_read_count (const char  *path,
                      const char  *system,
                      const char  *key,
                      JsonNode    *value,
                      guint64     *count,
                      GError     **error)
{
  const SettingInfo *info = find_setting (system, key);
  g_autofree char *number = NULL;
  g_autofree char *shown = NULL;
  const char *text;

  g_return_val_if_fail (info != NULL && info->kind == KIND_COUNT, FALSE);

  *count = 0;
  /* Written as a string by the engine; a hand-written JSON number is as
   * good, anything else is shown as it is. */
  if (cc_json_check_node_holds (value, G_TYPE_INT64))
    text = number = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
  else if (cc_json_check_node_holds (value, G_TYPE_STRING))
    text = json_node_get_string (value);
  else
    text = shown = json_to_string (value, FALSE);
  if (strlen (text) > info->max_length)
    return refuse_setting (error, path, system, key, _("is longer than %u characters"),
                           (guint) info->max_length);
  return *text == '\0' || parse_count (text, info, path, system, count, error);
}

gboolean
cc_config_check_setting (const char  *path,
                         const char  *system,
                         const char  *key,
                         JsonNode    *value,
                         GError     **error)
{
  const SettingInfo *info = find_setting (system, key);
  g_autoptr(GError) url_error = NULL;
  const char *text;

  if (info == NULL)
    {
      g_autofree char *known = g_strjoinv (", ", (char **) cc_config_connection_keys (system));

      g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                   _("%s: unknown setting (known: %s)"), path, known);
      return FALSE;
    }
  if (info->kind == KIND_COUNT)
    {
      guint64 count;

      return cc_config_read_count (path, system, key, value, &count, error);
    }
  if (!cc_json_check_node_holds (value, G_TYPE_STRING))
    return refuse_setting (error, path, system, key, _("must be a string"));
  text = json_node_get_string (value);
  if (*text == '\0')
    return TRUE;   /* no value: the setting is not set */
  if (strlen (text) > info->max_length)
    return refuse_setting (error, path, system, key, _("is longer than %u characters"),
                           (guint) info->max_length);
  if (info->kind == KIND_URL && !cc_url_check (text, &url_error))
    return refuse_setting (error, path, system, key, "%s", url_error->message);
  return check_characters (text, info, path, system, error);
}

gboolean
cc_config_check_secret (const char  *system,
                        const char  *secret,
                        GError     **error)
{
  g_autofree char *path = g_strconcat (system, ".secret", NULL);

  if (strlen (secret) <= MAX_SECRET_LENGTH)
    return TRUE;
  return refuse_setting (error, path, system, "secret", _("is longer than %u characters"),
                         MAX_SECRET_LENGTH);
}

/* --- the whole file ------------------------------------------------------ */

static gboolean
check_connection (JsonNode    *node,
                  const char  *system,
                  GError     **error)
{
  g_autofree char *path = g_strconcat ("connections.", system, NULL);
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return cc_json_check_refuse (error, path, _("must be an object"));
  json_object_iter_init_ordered (&iter, json_node_get_object (node));
  while (json_object_iter_next_ordered (&iter, &key, &value))
    {
      g_autofree char *setting = g_strconcat (path, ".", key, NULL);

      if (!cc_config_check_setting (setting, system, key, value, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_connections (JsonObject  *root,
                   GError     **error)
{
  static const char * const systems[] = { "dynamics", "campaign", NULL };
  JsonObject *connections = NULL;
  JsonNode *node = json_object_get_member (root, "connections");

  if (node == NULL)
    return TRUE;
  if (!cc_json_check_object (node, "connections", systems, &connections, error))
    return FALSE;
  for (guint i = 0; systems[i] != NULL; i++)
    {
      JsonNode *connection = json_object_get_member (connections, systems[i]);

      if (connection != NULL && !check_connection (connection, systems[i], error))
        return FALSE;
    }
  return TRUE;
}

/* The shape only: which workflows there are, and what their
 * configurations say, is the engine's to check. */
static gboolean
check_workflows (JsonObject  *root,
                 GError     **error)
{
  static const char * const versions[] = { "applied", "edited", NULL };
  JsonNode *node = json_object_get_member (root, "workflows");
  JsonObjectIter iter;
  const char *id;
  JsonNode *workflow;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return cc_json_check_refuse (error, "workflows", _("must be an object"));
  json_object_iter_init_ordered (&iter, json_node_get_object (node));
  while (json_object_iter_next_ordered (&iter, &id, &workflow))
    {
      g_autofree char *path = g_strconcat ("workflows.", id, NULL);
      JsonObject *object = NULL;

      if (!cc_json_check_object (workflow, path, versions, &object, error))
        return FALSE;
    }
  return TRUE;
}

/* The Dynamics 365 connection's other application users: a list of
 * client ids, each checked as the connection's own. */
static gboolean
check_dynamics_users (JsonObject  *root,
                      GError     **error)
{
  JsonNode *node = json_object_get_member (root, "dynamics-users");
  JsonArray *users;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return cc_json_check_refuse (error, "dynamics-users", _("must be a list of client ids"));
  users = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      g_autofree char *path = g_strdup_printf ("dynamics-users[%u]", i);

      if (!cc_config_check_setting (path, "dynamics", "client-id",
                                    json_array_get_element (users, i), error))
        return FALSE;
    }
  return TRUE;
}

gboolean
cc_config_check_root (JsonNode  *root,
                      GError   **error)
{
  static const char * const members[] = { "version", "connections", "workflows",
                                          "dynamics-users", NULL };
  JsonObject *object = NULL;
  JsonNode *version;

  if (!cc_json_check_object (root, "", members, &object, error))
    return FALSE;
  /* A newer format is refused before this is called. */
  version = json_object_get_member (object, "version");
  if (version != NULL
      && (!cc_json_check_node_holds (version, G_TYPE_INT64) || json_node_get_int (version) < 1))
    return cc_json_check_refuse (error, "version",
                                 _("must be a whole number (%d for this format)"),
                                 CC_CONFIG_VERSION);
  return check_connections (object, error) && check_dynamics_users (object, error)
         && check_workflows (object, error);
}
