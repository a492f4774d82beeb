/* cc-engine-users.c — the Dynamics 365 connection's application users
 * besides its own client id: added, listed and removed on the main
 * thread, and handed to each run (their secrets too in sandbox mode,
 * where nothing goes to the keyring or the configuration file), with
 * each user's back-off: one per client id for the engine's life, so
 * that a 429 met by one workflow holds the others' requests as that
 * user too.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cc-engine-private.h"
#include "cc-error.h"
#include "cc-json-read.h"
#include "cc-secrets.h"

/* Borrowed by the setups of runs being started: kept until the users
 * change (cc_run_new copies them at once). */
static GQuark
users_quark (void)
{
  return g_quark_from_static_string ("cc-engine-dynamics-users");
}

static GQuark
secrets_quark (void)
{
  return g_quark_from_static_string ("cc-engine-dynamics-user-secrets");
}

static GQuark
throttles_quark (void)
{
  return g_quark_from_static_string ("cc-engine-dynamics-throttles");
}

static GQuark
run_throttles_quark (void)
{
  return g_quark_from_static_string ("cc-engine-dynamics-run-throttles");
}

/* The back-off of application user @client_id, the same every time. */
static CcThrottle *
throttle_for (CcEngine   *self,
              const char *client_id)
{
  GHashTable *throttles = g_object_get_qdata (G_OBJECT (self), throttles_quark ());
  CcThrottle *throttle;

  if (throttles == NULL)
    {
      throttles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
      g_object_set_qdata_full (G_OBJECT (self), throttles_quark (), throttles,
                               (GDestroyNotify) g_hash_table_unref);
    }
  throttle = g_hash_table_lookup (throttles, client_id);
  if (throttle == NULL)
    {
      throttle = cc_throttle_new ();
      g_hash_table_insert (throttles, g_strdup (client_id), throttle);
    }
  return throttle;
}

/* The back-offs of the connection's own client id and of @users, in
 * that order (borrowed until the next fill). */
static CcThrottle **
fill_throttles (CcEngine   *self,
                JsonObject *dynamics,
                GStrv       users)
{
  const char *own = cc_json_read_string (dynamics, "client-id");
  guint n = g_strv_length (users);
  CcThrottle **throttles = g_new0 (CcThrottle *, n + 2);

  throttles[0] = throttle_for (self, own != NULL ? own : "");
  for (guint i = 0; i < n; i++)
    throttles[i + 1] = throttle_for (self, users[i]);
  g_object_set_qdata_full (G_OBJECT (self), run_throttles_quark (), throttles, g_free);
  return throttles;
}

static void
wipe_strv (GStrv secrets)
{
  for (guint i = 0; secrets != NULL && secrets[i] != NULL; i++)
    memset (secrets[i], 0, strlen (secrets[i]));
  g_strfreev (secrets);
}

void
cc_engine_fill_users (CcEngine   *self,
                      JsonObject *dynamics,
                      CcRunSetup *setup)
{
  GHashTable *sandbox = cc_engine_get_sandbox_user_secrets (self);
  GStrv users = cc_config_get_dynamics_users (cc_engine_get_connections_config (self));
  GStrv secrets = NULL;

  if (sandbox != NULL)
    {
      guint n = g_strv_length (users);

      secrets = g_new0 (char *, n + 1);
      for (guint i = 0; i < n; i++)
        secrets[i] = g_strdup (g_hash_table_lookup (sandbox, users[i]));
    }
  g_object_set_qdata_full (G_OBJECT (self), users_quark (), users, (GDestroyNotify) g_strfreev);
  g_object_set_qdata_full (G_OBJECT (self), secrets_quark (), secrets,
                           (GDestroyNotify) wipe_strv);
  setup->dynamics_users = (const char * const *) users;
  setup->dynamics_user_secrets = (const char * const *) secrets;
  setup->dynamics_throttles = fill_throttles (self, dynamics, users);
}

gboolean
cc_engine_add_dynamics_user (CcEngine    *self,
                             const char  *client_id,
                             const char  *secret,
                             GError     **error)
{
  CcConfig *config;
  GHashTable *sandbox;

  g_return_val_if_fail (CC_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (client_id != NULL && secret != NULL, FALSE);

  if (*secret == '\0')
    {
      g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                   _("The application user %s needs a client secret"), client_id);
      return FALSE;
    }
  config = cc_engine_get_connections_config (self);
  if (!cc_config_add_dynamics_user (config, client_id, error))
    return FALSE;
  sandbox = cc_engine_get_sandbox_user_secrets (self);
  if (sandbox != NULL)
    {
      g_hash_table_replace (sandbox, g_strdup (client_id), g_strdup (secret));
      return TRUE;
    }
  /* The secret first: a listed user always has one. */
  if (!cc_secrets_store_user (client_id, secret, NULL, error))
    {
      cc_config_remove_dynamics_user (config, client_id, NULL);
      return FALSE;
    }
  if (!cc_config_save (config, error))
    {
      cc_config_remove_dynamics_user (config, client_id, NULL);
      cc_secrets_clear_user (client_id, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

gboolean
cc_engine_remove_dynamics_user (CcEngine    *self,
                                const char  *client_id,
                                GError     **error)
{
  CcConfig *config;
  GHashTable *sandbox;

  g_return_val_if_fail (CC_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (client_id != NULL, FALSE);

  config = cc_engine_get_connections_config (self);
  if (!cc_config_remove_dynamics_user (config, client_id, error))
    return FALSE;
  sandbox = cc_engine_get_sandbox_user_secrets (self);
  if (sandbox != NULL)
    {
      g_hash_table_remove (sandbox, client_id);
      return TRUE;
    }
  return cc_config_save (config, error) && cc_secrets_clear_user (client_id, NULL, error);
}

GStrv
cc_engine_list_dynamics_users (CcEngine *self)
{
  g_return_val_if_fail (CC_IS_ENGINE (self), NULL);

  return cc_config_get_dynamics_users (cc_engine_get_connections_config (self));
}
