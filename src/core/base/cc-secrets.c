/* cc-secrets.c — client secrets in the keyring, keyed by connection, and
 * for the Dynamics 365 connection's extra application users by client id.
 *
 * Secrets never leave this file except as the return value of
 * cc_secrets_lookup(), which only the HTTP clients call. Errors from the
 * Secret Service are rewritten so they cannot echo a secret back.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-config.h"
#include "cc-error.h"
#include "cc-secrets.h"

const SecretSchema *
cc_secrets_get_schema (void)
{
  static const SecretSchema schema = {
    APP_ID ".Secret", SECRET_SCHEMA_NONE,
    {
      { "system", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
wrap_error (GError     **error,
            GError      *cause,
            const char  *system)
{
  g_set_error (error, CC_ERROR, CC_ERROR_FAILED,
               _("The keyring could not be used for the %s connection: %s"),
               system, cause->message);
  g_error_free (cause);
}

/* Both kinds of keyring item: a connection's own secret (@client_id
 * NULL) and an extra application user's. */
static GHashTable *
attributes_for (const char *system,
                const char *client_id)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  if (client_id == NULL)
    g_hash_table_insert (attributes, "system", (gpointer) system);
  else
    {
      g_hash_table_insert (attributes, "system", CC_SECRETS_USER_SYSTEM);
      g_hash_table_insert (attributes, "client-id", (gpointer) client_id);
    }
  return attributes;
}

static gboolean
store_item (const char    *system,
            const char    *client_id,
            const char    *secret,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GHashTable) attributes = attributes_for (system, client_id);
  g_autofree char *label = NULL;
  GError *local = NULL;

  g_return_val_if_fail (secret != NULL, FALSE);

  label = client_id == NULL
          ? g_strdup_printf ("Campaign Connector: %s client secret", system)
          : g_strdup_printf ("Campaign Connector: %s client secret of %s", system, client_id);
  if (!secret_password_storev_sync (cc_secrets_get_schema (), attributes,
                                    SECRET_COLLECTION_DEFAULT, label, secret, cancellable,
                                    &local))
    {
      wrap_error (error, local, system);
      return FALSE;
    }
  return TRUE;
}

static char *
lookup_item (const char    *system,
             const char    *client_id,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GHashTable) attributes = attributes_for (system, client_id);
  GError *local = NULL;
  char *secret;
  char *copy;

  secret = secret_password_lookupv_sync (cc_secrets_get_schema (), attributes, cancellable,
                                         &local);
  if (local != NULL)
    {
      wrap_error (error, local, system);
      return NULL;
    }
  if (secret == NULL && client_id != NULL)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_NO_SECRET,
                   _("No client secret is stored for the Dynamics 365 application user %s"),
                   client_id);
      return NULL;
    }
  if (secret == NULL)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_NO_SECRET,
                   _("No client secret is stored for the %s connection"), system);
      return NULL;
    }
  /* libsecret hands out non-pageable memory that must go back through
   * secret_password_free; callers of this function free with g_free. */
  copy = g_strdup (secret);
  secret_password_free (secret);
  return copy;
}

static gboolean
clear_item (const char    *system,
            const char    *client_id,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GHashTable) attributes = attributes_for (system, client_id);
  GError *local = NULL;

  secret_password_clearv_sync (cc_secrets_get_schema (), attributes, cancellable, &local);
  if (local != NULL)
    {
      wrap_error (error, local, system);
      return FALSE;
    }
  return TRUE;
}

gboolean
cc_secrets_store (const char    *system,
                  const char    *secret,
                  GCancellable  *cancellable,
                  GError       **error)
{
  return cc_config_check_system (system, error)
         && store_item (system, NULL, secret, cancellable, error);
}

char *
cc_secrets_lookup (const char    *system,
                   GCancellable  *cancellable,
                   GError       **error)
{
  if (!cc_config_check_system (system, error))
    return NULL;
  return lookup_item (system, NULL, cancellable, error);
}

gboolean
cc_secrets_clear (const char    *system,
                  GCancellable  *cancellable,
                  GError       **error)
{
  return cc_config_check_system (system, error)
         && clear_item (system, NULL, cancellable, error);
}

gboolean
cc_secrets_store_user (const char    *client_id,
                       const char    *secret,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (client_id != NULL, FALSE);
  return store_item ("dynamics", client_id, secret, cancellable, error);
}

char *
cc_secrets_lookup_user (const char    *client_id,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_return_val_if_fail (client_id != NULL, NULL);
  return lookup_item ("dynamics", client_id, cancellable, error);
}

gboolean
cc_secrets_clear_user (const char    *client_id,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (client_id != NULL, FALSE);
  return clear_item ("dynamics", client_id, cancellable, error);
}
