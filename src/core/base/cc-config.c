/* cc-config.c — loading, checking and saving the configuration file. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cc-config-private.h"
#include "cc-error.h"
#include "cc-json-parse.h"
#include "cc-json-read.h"

struct _CcConfig
{
  GObject     parent_instance;

  char       *path;
  JsonObject *root;
};

G_DEFINE_FINAL_TYPE (CcConfig, cc_config, G_TYPE_OBJECT)

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

/* @parent's object member @name, or NULL (nothing is added: reading must
 * not change what a save writes). */
static JsonObject *
find_object (JsonObject *parent,
             const char *name)
{
  JsonNode *node = parent != NULL ? json_object_get_member (parent, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Takes @root, what parsing the file gave (NULL: @parse_error says why),
 * as the configuration of @self, once it is known to be one this version
 * can use. */
static gboolean
take_root (CcConfig      *self,
           JsonNode      *root,
           const GError  *parse_error,
           GError       **error)
{
  g_autoptr(GError) local = NULL;
  gint64 version;

  if (root == NULL)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                   _("The configuration file %s cannot be read: %s"), self->path,
                   parse_error->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                   _("The configuration file %s does not hold a JSON object"), self->path);
      return FALSE;
    }
  /* Before anything else: a newer format may hold what this version
   * does not know. */
  version = cc_json_read_int (json_node_get_object (root), "version", CC_CONFIG_VERSION);
  if (version > CC_CONFIG_VERSION)
    {
      /* The number is formatted apart: xgettext would cut a msgid at
       * G_GINT64_FORMAT, and the message would never be translated. */
      g_autofree char *written = g_strdup_printf ("%" G_GINT64_FORMAT, version);

      g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                   _("The configuration file %s was written by a newer version of "
                     "Campaign Connector (format %s)"),
                   self->path, written);
      return FALSE;
    }
  if (!cc_config_check_root (root, &local))
    {
      g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                   _("The configuration file %s cannot be used: %s"), self->path, local->message);
      return FALSE;
    }
  self->root = json_object_ref (json_node_get_object (root));
  json_object_set_int_member (self->root, "version", CC_CONFIG_VERSION);
  return TRUE;
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
  if (!take_root (self, root, local, error))
    return NULL;
  return g_steal_pointer (&self);
}

CcConfig *
cc_config_new_from_data (const char  *path,
                         const char  *data,
                         gsize        length,
                         GError     **error)
{
  g_autoptr(CcConfig) self = g_object_new (CC_TYPE_CONFIG, NULL);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self->path = g_strdup (path);
  root = cc_json_parse (data, length, CC_JSON_MAX_CONFIG_FILE, &local);
  if (!take_root (self, root, local, error))
    return NULL;
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
  g_autoptr(GList) members = NULL;
  JsonObject *target;

  g_return_val_if_fail (CC_IS_CONFIG (self), FALSE);

  if (!cc_config_check_system (system, error))
    return FALSE;

  /* Check everything before changing anything. */
  members = json_object_get_members (settings);
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *path = g_strdup_printf ("%s.%s", system, (const char *) l->data);

      if (!cc_config_check_setting (path, system, l->data,
                                    json_object_get_member (settings, l->data), error))
        return FALSE;
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

JsonObject *
cc_config_get_workflows (CcConfig *self)
{
  g_return_val_if_fail (CC_IS_CONFIG (self), NULL);

  return ensure_object (self->root, "workflows");
}

JsonNode *
cc_config_get_workflow (CcConfig   *self,
                        const char *id,
                        const char *which)
{
  JsonObject *workflow;

  g_return_val_if_fail (CC_IS_CONFIG (self), NULL);

  workflow = ensure_object (cc_config_get_workflows (self), id);
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

gboolean
cc_config_get_connection_count (CcConfig    *self,
                                const char  *system,
                                const char  *key,
                                guint64     *value,
                                GError     **error)
{
  g_autofree char *path = NULL;
  JsonObject *connection;
  JsonNode *node;

  g_return_val_if_fail (CC_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (cc_config_check_system (system, NULL), FALSE);

  *value = 0;
  connection = find_object (find_object (self->root, "connections"), system);
  node = connection != NULL ? json_object_get_member (connection, key) : NULL;
  if (node == NULL)
    return TRUE;
  path = g_strconcat (system, ".", key, NULL);
  return cc_config_read_count (path, system, key, node, value, error);
}

/* ------------------------------------------------------------------ */
/* The Dynamics 365 connection's extra application users               */

/* Kept beside the connections, not in them: a connection's settings are
 * strings, and this is a list. */
#define DYNAMICS_USERS "dynamics-users"

GStrv
cc_config_get_dynamics_users (CcConfig *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node;

  g_return_val_if_fail (CC_IS_CONFIG (self), NULL);

  node = json_object_get_member (self->root, DYNAMICS_USERS);
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      /* Hand-edited entries that are not client ids are left out. */
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING
              && *json_node_get_string (element) != '\0')
            g_strv_builder_add (builder, json_node_get_string (element));
        }
    }
  return g_strv_builder_end (builder);
}

static void
set_dynamics_users (CcConfig           *self,
                    const char * const *users)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; users[i] != NULL; i++)
    json_array_add_string_element (array, users[i]);
  json_object_set_array_member (self->root, DYNAMICS_USERS, array);
}

gboolean
cc_config_add_dynamics_user (CcConfig    *self,
                             const char  *client_id,
                             GError     **error)
{
  g_auto(GStrv) users = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) added = NULL;
  const char *own;

  g_return_val_if_fail (CC_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (client_id != NULL, FALSE);

  if (*client_id == '\0' || strpbrk (client_id, " \t\r\n,") != NULL)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                   _("“%s” is not a client id: it must not be empty or hold spaces or commas"),
                   client_id);
      return FALSE;
    }
  own = json_object_get_string_member_with_default (cc_config_get_connection (self, "dynamics"),
                                                    "client-id", "");
  users = cc_config_get_dynamics_users (self);
  if (g_str_equal (own, client_id) || g_strv_contains ((const char * const *) users, client_id))
    {
      g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                   _("The application user %s is already part of the Dynamics 365 connection"),
                   client_id);
      return FALSE;
    }
  g_strv_builder_addv (builder, (const char **) users);
  g_strv_builder_add (builder, client_id);
  added = g_strv_builder_end (builder);
  set_dynamics_users (self, (const char * const *) added);
  return TRUE;
}

gboolean
cc_config_remove_dynamics_user (CcConfig    *self,
                                const char  *client_id,
                                GError     **error)
{
  g_auto(GStrv) users = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) kept = NULL;

  g_return_val_if_fail (CC_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (client_id != NULL, FALSE);

  users = cc_config_get_dynamics_users (self);
  if (!g_strv_contains ((const char * const *) users, client_id))
    {
      g_set_error (error, CC_ERROR, CC_ERROR_NOT_FOUND,
                   _("The Dynamics 365 connection has no application user %s"), client_id);
      return FALSE;
    }
  for (guint i = 0; users[i] != NULL; i++)
    if (!g_str_equal (users[i], client_id))
      g_strv_builder_add (builder, users[i]);
  kept = g_strv_builder_end (builder);
  set_dynamics_users (self, (const char * const *) kept);
  return TRUE;
}
