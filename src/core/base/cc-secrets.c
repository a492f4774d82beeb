/* cc-secrets.c — client secrets in the keyring, keyed by connection.
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

gboolean
cc_secrets_store (const char    *system,
                  const char    *secret,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autofree char *label = NULL;
  GError *local = NULL;

  g_return_val_if_fail (secret != NULL, FALSE);

  if (!cc_config_check_system (system, error))
    return FALSE;

  label = g_strdup_printf ("Campaign Connector: %s client secret", system);
  if (!secret_password_store_sync (cc_secrets_get_schema (), SECRET_COLLECTION_DEFAULT,
                                   label, secret, cancellable, &local,
                                   "system", system, NULL))
    {
      wrap_error (error, local, system);
      return FALSE;
    }
  return TRUE;
}

char *
cc_secrets_lookup (const char    *system,
                   GCancellable  *cancellable,
                   GError       **error)
{
  GError *local = NULL;
  char *secret;
  char *copy;

  if (!cc_config_check_system (system, error))
    return NULL;

  secret = secret_password_lookup_sync (cc_secrets_get_schema (), cancellable, &local,
                                        "system", system, NULL);
  if (local != NULL)
    {
      wrap_error (error, local, system);
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

gboolean
cc_secrets_clear (const char    *system,
                  GCancellable  *cancellable,
                  GError       **error)
{
  GError *local = NULL;

  if (!cc_config_check_system (system, error))
    return FALSE;

  secret_password_clear_sync (cc_secrets_get_schema (), cancellable, &local,
                              "system", system, NULL);
  if (local != NULL)
    {
      wrap_error (error, local, system);
      return FALSE;
    }
  return TRUE;
}
