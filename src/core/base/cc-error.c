/* cc-error.c — the CC_ERROR domain and its D-Bus names, and quoting
 * what a message refuses. */
#include "cc-error.h"

#include <gio/gio.h>
#include <string.h>

static const GDBusErrorEntry dbus_errors[] = {
  { CC_ERROR_FAILED, "io.github.campaignconnector.Error.Failed" },
  { CC_ERROR_INVALID_CONFIG, "io.github.campaignconnector.Error.InvalidConfig" },
  { CC_ERROR_NOT_FOUND, "io.github.campaignconnector.Error.NotFound" },
  { CC_ERROR_AUTH_FAILED, "io.github.campaignconnector.Error.AuthFailed" },
  { CC_ERROR_SCHEMA, "io.github.campaignconnector.Error.Schema" },
  { CC_ERROR_TRANSIENT, "io.github.campaignconnector.Error.Transient" },
  { CC_ERROR_REJECTED, "io.github.campaignconnector.Error.Rejected" },
  { CC_ERROR_EXPIRED_CURSOR, "io.github.campaignconnector.Error.ExpiredCursor" },
  { CC_ERROR_BUSY, "io.github.campaignconnector.Error.Busy" },
  { CC_ERROR_NO_SECRET, "io.github.campaignconnector.Error.NoSecret" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (dbus_errors) == CC_ERROR_N_CODES);

GQuark
cc_error_quark (void)
{
  static gsize quark = 0;

  /* Registering the domain with GDBus makes a GError cross the bus with
   * its code intact, in both directions. */
  g_dbus_error_register_error_domain ("cc-error-quark", &quark,
                                      dbus_errors, G_N_ELEMENTS (dbus_errors));
  return (GQuark) quark;
}

const char *
cc_error_dbus_name (CcError code)
{
  g_return_val_if_fail (code < CC_ERROR_N_CODES, NULL);

  return dbus_errors[code].dbus_error_name;
}

char *
cc_error_quote (const char *text,
                gsize       max_chars)
{
  /* No more than the characters shown (at most four bytes each) and the
   * next one, which says whether there is more. */
  gsize length = MIN (strlen (text), 4 * max_chars + 4);
  g_autofree char *valid = g_utf8_make_valid (text, (gssize) length);
  GString *out = g_string_new (NULL);
  gsize chars = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (chars++ == max_chars)
        {
          g_string_append (out, "…");
          break;
        }
      if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}
