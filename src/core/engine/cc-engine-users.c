/* cc-engine-users.c — the Dynamics 365 connection's application users
 * besides its own client id: added, listed and removed on the main
 * thread, and handed to each run (their secrets too in sandbox mode,
 * where nothing goes to the keyring or the configuration file).
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cc-engine-private.h"
#include "cc-error.h"
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

static void
wipe_strv (GStrv secrets)
{
  for (guint i = 0; secrets != NULL && secrets[i] != NULL; i++)
    memset (secrets[i], 0, strlen (secrets[i]));
  g_strfreev (secrets);
}

void
cc_engine_fill_users (CcEngine   *self,
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
