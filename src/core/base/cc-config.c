/* cc-config.c — loading, checking and saving the configuration file. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cc-config.h"
#include "cc-error.h"
#include "cc-json-parse.h"

struct _CcConfig
{
  GObject     parent_instance;

  char       *path;
  JsonObject *root;
};

G_DEFINE_FINAL_TYPE (CcConfig, cc_config, G_TYPE_OBJECT)

static const char * const dynamics_keys[] = { "url", "tenant", "client-id", "token-url", NULL };
static const char * const campaign_keys[] = { "org", "api-key", "api-url", "ims-url",
                                              "ims-scope", "journal-url", NULL };
/* What a connection cannot work without (the others have defaults). */
static const char * const dynamics_required[] = { "url", "tenant", "client-id", NULL };
static const char * const campaign_required[] = { "org", "api-key", "journal-url", NULL };

static void
cc_config_finalize (GObject *object)
{
  CcConfig *self = CC_CONFIG (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->root, json_object_unref);

  G_OBJECT_CLASS (cc_config_parent_class)->finalize (object);
}

static void
cc_config_class_init (CcConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cc_config_finalize;
}

static void
cc_config_init (CcConfig *self)
{
}

char *
cc_config_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "campaign-connector", "config.json", NULL);
}

static JsonObject *
ensure_object (JsonObject *parent,
               const char *name)
{
  JsonNode *node = json_object_get_member (parent, name);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      json_object_set_object_member (parent, name, json_object_new ());
      node = json_object_get_member (parent, name);
    }
  return json_node_get_object (node);
}

CcConfig *
cc_config_load (const char  *path,
                GError     **error)
{
  g_autoptr(CcConfig) self = g_object_new (CC_TYPE_CONFIG, NULL);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self->path = g_strdup (path);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      self->root = json_object_new ();
      json_object_set_int_member (self->root, "version", CC_CONFIG_VERSION);
      return g_steal_pointer (&self);
    }

  root = cc_json_parse_file (path, CC_JSON_MAX_CONFIG_FILE, &local);
  if (root == NULL)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                   _("The configuration file %s cannot be read: %s"), path, local->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                   _("The configuration file %s does not hold a JSON object"), path);
      return NULL;
    }
  self->root = json_object_ref (json_node_get_object (root));

  if (json_object_get_int_member_with_default (self->root, "version", CC_CONFIG_VERSION)
      > CC_CONFIG_VERSION)
    {
      /* The number is formatted apart: xgettext would cut a msgid at
       * G_GINT64_FORMAT, and the message would never be translated. */
      g_autofree char *written = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                  json_object_get_int_member (self->root, "version"));

      g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                   _("The configuration file %s was written by a newer version of "
                     "Campaign Connector (format %s)"),
                   path, written);
      return NULL;
    }
  json_object_set_int_member (self->root, "version", CC_CONFIG_VERSION);

  return g_steal_pointer (&self);
}

CcConfig *
cc_config_new_in_memory (void)
{
  CcConfig *self = g_object_new (CC_TYPE_CONFIG, NULL);

  self->root = json_object_new ();
  json_object_set_int_member (self->root, "version", CC_CONFIG_VERSION);
  return self;
}

const char *
cc_config_get_path (CcConfig *self)
{
  g_return_val_if_fail (CC_IS_CONFIG (self), NULL);
  return self->path;
}

gboolean
cc_config_save (CcConfig  *self,
                GError   **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *dir = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  gsize length;

  g_return_val_if_fail (CC_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (self->path != NULL, FALSE);

  json_node_set_object (root, self->root);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &length);

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0
      || !g_file_set_contents_full (self->path, text, length,
                                    G_FILE_SET_CONTENTS_CONSISTENT
                                    | G_FILE_SET_CONTENTS_DURABLE,
                                    0600, &local))
    {
      g_set_error (error, CC_ERROR, CC_ERROR_FAILED,
                   _("The configuration could not be saved to %s: %s"), self->path,
                   local ? local->message : g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

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

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
cc_config_check_url (const char  *field,
                     const char  *url,
                     GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme;

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                   _("%s: “%s” is not a URL"), field, url);
      return FALSE;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") == 0 && is_loopback_host (g_uri_get_host (uri)))
    return TRUE;
  g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
               _("%s: “%s” must use https:// (plain http:// is accepted for "
                 "loopback hosts only)"), field, url);
  return FALSE;
}

JsonObject *
cc_config_get_connection (CcConfig   *self,
                          const char *system)
{
  g_return_val_if_fail (CC_IS_CONFIG (self), NULL);

  return ensure_object (ensure_object (self->root, "connections"), system);
}

gboolean
cc_config_set_connection (CcConfig    *self,
                          const char  *system,
                          JsonObject  *settings,
                          GError     **error)
{
  const char * const *keys = cc_config_connection_keys (system);
  g_autoptr(GList) members = NULL;
  JsonObject *target;

  g_return_val_if_fail (CC_IS_CONFIG (self), FALSE);

  if (!cc_config_check_system (system, error))
    return FALSE;

  /* Check everything before changing anything. */
  members = json_object_get_members (settings);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *value = json_object_get_member (settings, key);

      if (!g_strv_contains (keys, key))
        {
          g_autofree char *known = g_strjoinv (", ", (char **) keys);
          g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                       _("%s.%s: unknown setting (known: %s)"), system, key, known);
          return FALSE;
        }
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        {
          g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                       _("%s.%s: must be a string"), system, key);
          return FALSE;
        }
      if (g_str_has_suffix (key, "url") && *json_node_get_string (value) != '\0')
        {
          g_autofree char *field = g_strdup_printf ("%s.%s", system, key);
          if (!cc_config_check_url (field, json_node_get_string (value), error))
            return FALSE;
        }
    }

  target = cc_config_get_connection (self, system);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      const char *value = json_object_get_string_member (settings, key);

      if (*value == '\0')
        json_object_remove_member (target, key);
      else
        json_object_set_string_member (target, key, value);
    }
  return TRUE;
}

gboolean
cc_config_connection_is_complete (CcConfig   *self,
                                  const char *system)
{
  const char * const *required;
  JsonObject *settings;

  if (g_strcmp0 (system, "dynamics") == 0)
    required = dynamics_required;
  else if (g_strcmp0 (system, "campaign") == 0)
    required = campaign_required;
  else
    return FALSE;

  settings = cc_config_get_connection (self, system);
  for (guint i = 0; required[i] != NULL; i++)
    if (!json_object_has_member (settings, required[i]))
      return FALSE;
  return TRUE;
}

JsonNode *
cc_config_get_workflow (CcConfig   *self,
                        const char *id,
                        const char *which)
{
  JsonObject *workflow;

  g_return_val_if_fail (CC_IS_CONFIG (self), NULL);

  workflow = ensure_object (ensure_object (self->root, "workflows"), id);
  return json_object_get_member (workflow, which);
}

void
cc_config_set_workflow (CcConfig   *self,
                        const char *id,
                        const char *which,
                        JsonNode   *config)
{
  JsonObject *workflow;

  g_return_if_fail (CC_IS_CONFIG (self));

  workflow = ensure_object (ensure_object (self->root, "workflows"), id);
  json_object_set_member (workflow, which, json_node_copy (config));
}
