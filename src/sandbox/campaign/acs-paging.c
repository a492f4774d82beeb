/* acs-paging.c — where a list page starts, and the next.href that leads
 * to the page after it.
 *
 * Adobe documents _lineStart as computed by the server: a client follows
 * next.href verbatim and never builds a _lineStart of its own (the
 * documented sample is a key-like "@Qy2MRJ…" token). The emulator hands
 * out opaque tokens that carry the position and a MAC over it and over
 * the list they belong to, and refuses any other value with a 400 in
 * Campaign's error shape (the exact words of the real service are not
 * documented; INFER). A client that counts rows itself therefore fails
 * here as it would against Campaign.
 *
 * Tokens are stateless and the MAC key is derived from the sandbox's
 * seed, so a stored next.href stays valid for as long as the same data is
 * served, across restarts of the sandbox.
 */
#include "config.h"

#include <string.h>

#include "acs-private.h"

#define TOKEN_MAC_LEN 16
#define TOKEN_LEN     (8 + TOKEN_MAC_LEN)

void
acs_paging_init_key (AcsServer *self,
                     guint64    seed)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *text = g_strdup_printf ("acs-line-start:%" G_GUINT64_FORMAT, seed);
  gsize len = sizeof self->line_start_key;

  g_checksum_update (sum, (const guchar *) text, strlen (text));
  g_checksum_get_digest (sum, self->line_start_key, &len);
}

/* What a token is bound to: the list's path and its query without the
 * position and the page size (a client may ask the next page bigger or
 * smaller; it may not move the position into another list). */
static char *
list_context (const char *list_href,
              AcsQuery   *query)
{
  GString *context = g_string_new (list_href);

  for (guint i = 0; i < query->names->len; i++)
    {
      const char *name = g_ptr_array_index (query->names, i);

      if (strcmp (name, "_lineStart") == 0 || strcmp (name, "_lineCount") == 0)
        continue;
      g_string_append_printf (context, "\n%s=%s", name,
                              (const char *) g_ptr_array_index (query->values, i));
    }
  return g_string_free (context, FALSE);
}

static void
compute_mac (AcsServer  *self,
             const char *context,
             guint64     position,
             guint8      mac[TOKEN_MAC_LEN])
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, self->line_start_key,
                                      sizeof self->line_start_key);
  guint64 be = GUINT64_TO_BE (position);
  guint8 digest[32];
  gsize len = sizeof digest;

  g_hmac_update (hmac, (const guchar *) &be, sizeof be);
  g_hmac_update (hmac, (const guchar *) context, strlen (context));
  g_hmac_get_digest (hmac, digest, &len);
  memcpy (mac, digest, TOKEN_MAC_LEN);
}

static char *
encode_token (AcsServer  *self,
              const char *context,
              guint64     position)
{
  guint8 raw[TOKEN_LEN];
  guint64 be = GUINT64_TO_BE (position);
  g_autofree char *b64 = NULL;

  memcpy (raw, &be, sizeof be);
  compute_mac (self, context, position, raw + sizeof be);
  b64 = acs_base64url_encode (raw, sizeof raw);
  return g_strconcat ("@", b64, NULL);
}

static gboolean
decode_token (AcsServer  *self,
              const char *context,
              const char *token,
              guint64    *out_position)
{
  g_autofree guchar *raw = NULL;
  guint8 mac[TOKEN_MAC_LEN];
  guint64 be;
  gsize len;

  if (token[0] != '@' || (raw = acs_base64url_decode (token + 1, &len)) == NULL
      || len != TOKEN_LEN)
    return FALSE;
  memcpy (&be, raw, sizeof be);
  compute_mac (self, context, GUINT64_FROM_BE (be), mac);
  if (memcmp (mac, raw + sizeof be, TOKEN_MAC_LEN) != 0)
    return FALSE;
  *out_position = GUINT64_FROM_BE (be);
  return TRUE;
}

gboolean
acs_paging_read (AcsServer  *self,
                 const char *list_href,
                 AcsQuery   *query,
                 guint       default_lines,
                 guint       max_lines,
                 AcsPage    *page,
                 GError    **error)
{
  const char *start = acs_query_get (query, "_lineStart");
  const char *count = acs_query_get (query, "_lineCount");
  guint64 lines = default_lines;

  page->start = 0;
  if (count != NULL && !g_ascii_string_to_unsigned (count, 10, 1, G_MAXUINT, &lines, NULL))
    {
      g_set_error (error, ACS_ERROR, SOUP_STATUS_BAD_REQUEST,
                   "The parameter '_lineCount' must be a whole number of at least 1");
      return FALSE;
    }
  page->lines = MIN (lines, max_lines);
  if (start == NULL)
    return TRUE;

  {
    g_autofree char *context = list_context (list_href, query);

    if (!decode_token (self, context, start, &page->start))
      {
        self->stats.line_starts_refused++;
        g_set_error (error, ACS_ERROR, SOUP_STATUS_BAD_REQUEST,
                     "The parameter '_lineStart' is not one this list computed: it is "
                     "opaque, follow next.href as given");
        return FALSE;
      }
  }
  self->stats.line_starts_followed++;
  return TRUE;
}

char *
acs_paging_next_href (AcsServer  *self,
                      const char *list_href,
                      AcsQuery   *query,
                      guint64     next_start)
{
  g_autofree char *context = list_context (list_href, query);
  g_autofree char *token = encode_token (self, context, next_start);
  g_autofree char *params = acs_query_build (query, "_lineStart", token);

  return g_strdup_printf ("%s?%s", list_href, params);
}
