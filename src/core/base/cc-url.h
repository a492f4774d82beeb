/* cc-url.h — the web addresses the engine is pointed at.
 *
 * Every URL of a connection is typed or pasted by a person, or edited
 * into config.json by hand, and ends up in a request line: it is parsed
 * strictly (GUri), and a control character or a space anywhere, which
 * could split a request ("…/\r\nHost: evil"), is refused, as are a user
 * name or password in it. Plain http:// goes to this computer only
 * (loopback: the sandbox, a local proxy), since every request carries a
 * client secret or an access token.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The longest URL a connection may have; real ones are under 200. */
#define CC_URL_MAX_LENGTH 2048

/* Whether @url is one the engine may use: FALSE with
 * CC_ERROR_INVALID_CONFIG and a message that says what is wrong with it
 * (quoting it safely, shortened), without a field name. */
gboolean  cc_url_check                  (const char *url,
                                         GError    **error);

/* "localhost", or an IP address of the loopback network. */
gboolean  cc_url_host_is_loopback       (const char *host);

/* Whether a request to @uri may carry a secret or an access token:
 * https://, or http:// to a loopback host. */
gboolean  cc_url_may_carry_credentials  (GUri       *uri);

G_END_DECLS
