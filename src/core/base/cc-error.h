/* cc-error.h — the engine's error domain, shared by every layer.
 *
 * The codes map one to one onto the D-Bus error names under
 * io.github.campaignconnector.Error.* (see cc_error_dbus_name()).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CC_ERROR (cc_error_quark ())

typedef enum
{
  CC_ERROR_FAILED,          /* anything without a better code */
  CC_ERROR_INVALID_CONFIG,  /* a configuration value is wrong; message names the field */
  CC_ERROR_NOT_FOUND,       /* unknown workflow, table, field or record */
  CC_ERROR_AUTH_FAILED,     /* a service refused our credentials */
  CC_ERROR_SCHEMA,          /* a mapped table or field does not exist in the live schema */
  CC_ERROR_TRANSIENT,       /* timeouts, 5xx, 429, dropped connections: retry */
  CC_ERROR_REJECTED,        /* the target refused a record for good (4xx) */
  CC_ERROR_EXPIRED_CURSOR,  /* a change-tracking token is too old: full resync */
  CC_ERROR_BUSY,            /* the operation does not fit the workflow's state */
  CC_ERROR_NO_SECRET,       /* no secret is stored for a connection */
} CcError;

#define CC_ERROR_N_CODES (CC_ERROR_NO_SECRET + 1)

GQuark       cc_error_quark    (void);
const char  *cc_error_dbus_name (CcError code);

/* @text as an error message may quote what it was given: on one line
 * (control characters escaped, invalid UTF-8 replaced) and cut short,
 * with "…", past @max_chars. */
char        *cc_error_quote     (const char *text,
                                 gsize       max_chars);

G_END_DECLS
