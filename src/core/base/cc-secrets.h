/* cc-secrets.h — the only place secrets are kept: the system keyring. */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

const SecretSchema *cc_secrets_get_schema (void);

gboolean  cc_secrets_store  (const char    *system,
                             const char    *secret,
                             GCancellable  *cancellable,
                             GError       **error);
char     *cc_secrets_lookup (const char    *system,
                             GCancellable  *cancellable,
                             GError       **error);
gboolean  cc_secrets_clear  (const char    *system,
                             GCancellable  *cancellable,
                             GError       **error);

/* The secrets of the Dynamics 365 connection's extra application users
 * (cc_config_get_dynamics_users), keyed by client id: keyring items of
 * their own, never found as the connection's own secret. */
#define CC_SECRETS_USER_SYSTEM "dynamics-user"

gboolean  cc_secrets_store_user  (const char    *client_id,
                                  const char    *secret,
                                  GCancellable  *cancellable,
                                  GError       **error);
char     *cc_secrets_lookup_user (const char    *client_id,
                                  GCancellable  *cancellable,
                                  GError       **error);
gboolean  cc_secrets_clear_user  (const char    *client_id,
                                  GCancellable  *cancellable,
                                  GError       **error);

G_END_DECLS
