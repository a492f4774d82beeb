/* cc-url.c — strict checks of the web addresses the engine is given. */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "cc-error.h"
#include "cc-url.h"

/* How much of a refused URL its message quotes. */
#define SHOWN_CHARS 80

static gboolean G_GNUC_PRINTF (2, 3)
refuse (GError     **error,
        const char  *format,
        ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (CC_ERROR, CC_ERROR_INVALID_CONFIG, format, args));
  va_end (args);
  return FALSE;
}

gboolean
cc_url_host_is_loopback (const char *host)
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
cc_url_may_carry_credentials (GUri *uri)
{
  const char *scheme = g_uri_get_scheme (uri);

  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  return g_ascii_strcasecmp (scheme, "http") == 0 && cc_url_host_is_loopback (g_uri_get_host (uri));
}

/* A host name or an IP address, as GUri leaves it (IPv6 without its
 * brackets, maybe with a zone after "%"). */
static gboolean
is_host_name (const char *host)
{
  if (host == NULL || *host == '\0')
    return FALSE;
  for (const char *p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-._:%", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* What GUri cannot see: characters that end or split a request line.
 * @shown is @url as a message may quote it. */
static gboolean
check_characters (const char  *url,
                  const char  *shown,
                  GError     **error)
{
  if (strlen (url) > CC_URL_MAX_LENGTH)
    return refuse (error, _("“%s” is longer than %u characters"), shown, CC_URL_MAX_LENGTH);
  for (const char *p = url; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        return refuse (error, _("“%s” contains a control character"), shown);
      if (*p == ' ')
        return refuse (error, _("“%s” contains a space (write it as %%20)"), shown);
    }
  return TRUE;
}

gboolean
cc_url_check (const char  *url,
              GError     **error)
{
  g_autofree char *shown = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  g_return_val_if_fail (url != NULL, FALSE);

  shown = cc_error_quote (url, SHOWN_CHARS);
  if (!check_characters (url, shown, error))
    return FALSE;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return refuse (error, _("“%s” is not a URL"), shown);
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    return refuse (error, _("“%s” is not a web address (https://…)"), shown);
  if (!is_host_name (g_uri_get_host (uri)))
    return refuse (error, _("“%s” has no valid host name"), shown);
  if (g_uri_get_userinfo (uri) != NULL)
    return refuse (error, _("“%s” holds a user name or password: leave it out (the secret is "
                            "entered on its own)"), shown);
  if (!cc_url_may_carry_credentials (uri))
    return refuse (error, _("“%s” must use https:// (plain http:// is accepted for loopback "
                            "hosts only)"), shown);
  return TRUE;
}
