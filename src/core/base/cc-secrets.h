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

G_END_DECLS
