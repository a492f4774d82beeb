/* cc-json-scan.c — one member of an answer, read without parsing it
 * (cc-json-scan.h).
 *
 * The scan walks the top-level object's members and skips every value
 * that is not the one wanted, counting brackets outside strings. It
 * checks the shape it walks (quotes, colons, commas, brackets, the
 * characters of numbers, the three literals, brackets closed by their
 * own kind) and gives up (UNSURE) at anything else, so that a damaged
 * text goes to the full parse and its error. It does not check what
 * lies inside the values it skips as closely as a parser (a comma
 * where a colon belongs in a nested object, a malformed number): an
 * answer damaged only there still gives its PKey.
 */
#include "config.h"

#include <string.h>

#include "cc-json-parse.h"
#include "cc-json-scan.h"

typedef struct
{
  const char *at;
  const char *end;
} Cursor;

static void
skip_space (Cursor *c)
{
  while (c->at < c->end && (*c->at == ' ' || *c->at == '\t' || *c->at == '\n' || *c->at == '\r'))
    c->at++;
}

static gboolean
take (Cursor *c,
      char    wanted)
{
  skip_space (c);
  if (c->at >= c->end || *c->at != wanted)
    return FALSE;
  c->at++;
  return TRUE;
}

/* Past the string that starts at the cursor's quote; its content is
 * [@start, @start + @len), @escaped when it holds a backslash. */
static gboolean
skip_string (Cursor      *c,
             const char **start,
             gsize       *len,
             gboolean    *escaped)
{
  if (!take (c, '"'))
    return FALSE;
  *start = c->at;
  *escaped = FALSE;
  while (c->at < c->end && *c->at != '"')
    {
      if ((guchar) *c->at < 0x20)
        return FALSE;   /* a control character is no JSON: json-glib refuses it */
      if (*c->at == '\\')
        {
          *escaped = TRUE;
          c->at++;
        }
      c->at++;
    }
  if (c->at >= c->end)
    return FALSE;
  *len = (gsize) (c->at - *start);
  c->at++;
  return TRUE;
}

/* Past the string that starts at the cursor's quote, whatever it says. */
static gboolean
pass_string (Cursor *c)
{
  const char *start;
  gsize len;
  gboolean escaped;

  return skip_string (c, &start, &len, &escaped);
}

/* Past a number, true, false or null. */
static gboolean
skip_scalar (Cursor *c)
{
  static const char * const literals[] = { "true", "false", "null" };
  const char *start = c->at;

  for (guint i = 0; i < G_N_ELEMENTS (literals); i++)
    {
      gsize len = strlen (literals[i]);

      if ((gsize) (c->end - c->at) >= len && memcmp (c->at, literals[i], len) == 0)
        {
          c->at += len;
          return TRUE;
        }
    }
  if (c->at >= c->end || (*c->at != '-' && !g_ascii_isdigit (*c->at)))
    return FALSE;
  while (c->at < c->end && (g_ascii_isdigit (*c->at) || strchr ("+-.eE", *c->at) != NULL))
    c->at++;
  return c->at > start;
}

/* Past an object or an array inside the top-level object, each bracket
 * closed by its own kind; no deeper than cc_json_check_bounds() lets a
 * text nest (CC_JSON_MAX_DEPTH, the top-level object included). */
static gboolean
skip_nested (Cursor *c)
{
  char open[CC_JSON_MAX_DEPTH];
  guint depth = 0;

  do
    {
      skip_space (c);
      if (c->at >= c->end)
        return FALSE;
      switch (*c->at)
        {
        case '"':
          if (!pass_string (c))
            return FALSE;
          break;
        case '{':
        case '[':
          if (depth == CC_JSON_MAX_DEPTH - 1)
            return FALSE;
          open[depth++] = *c->at == '{' ? '}' : ']';
          c->at++;
          break;
        case '}':
        case ']':
          if (depth == 0 || open[--depth] != *c->at)
            return FALSE;
          c->at++;
          break;
        case ',':
        case ':':
          c->at++;
          break;
        default:
          if (!skip_scalar (c))
            return FALSE;
          break;
        }
    }
  while (depth > 0);
  return TRUE;
}

static gboolean
skip_value (Cursor *c)
{
  skip_space (c);
  if (c->at >= c->end)
    return FALSE;
  if (*c->at == '"')
    return pass_string (c);
  if (*c->at == '{' || *c->at == '[')
    return skip_nested (c);
  return skip_scalar (c);
}

CcJsonScan
cc_json_scan_string_member (const char  *data,
                            gsize        length,
                            const char  *name,
                            char       **value)
{
  Cursor c = { data, data + length };
  gsize name_len = strlen (name);
  g_autofree char *found = NULL;
  gboolean more;

  g_return_val_if_fail (value != NULL, CC_JSON_SCAN_UNSURE);

  *value = NULL;
  if (data == NULL || !take (&c, '{'))
    return CC_JSON_SCAN_UNSURE;
  skip_space (&c);
  more = c.at < c.end && *c.at != '}';
  while (more)
    {
      const char *key, *text;
      gsize key_len, text_len;
      gboolean key_escaped, text_escaped;

      if (!skip_string (&c, &key, &key_len, &key_escaped) || key_escaped || !take (&c, ':'))
        return CC_JSON_SCAN_UNSURE;
      skip_space (&c);
      if (key_len == name_len && memcmp (key, name, name_len) == 0
          && c.at < c.end && *c.at == '"')
        {
          /* Escapes, and bytes that are no UTF-8, are the parser's to judge. */
          if (!skip_string (&c, &text, &text_len, &text_escaped) || text_escaped
              || !g_utf8_validate (text, text_len, NULL))
            return CC_JSON_SCAN_UNSURE;
          g_free (found);
          found = g_strndup (text, text_len);
        }
      else if (key_len == name_len && memcmp (key, name, name_len) == 0)
        {
          g_clear_pointer (&found, g_free);   /* a later member that is no string wins */
          if (!skip_value (&c))
            return CC_JSON_SCAN_UNSURE;
        }
      else if (!skip_value (&c))
        return CC_JSON_SCAN_UNSURE;
      more = take (&c, ',');
    }
  if (!take (&c, '}'))
    return CC_JSON_SCAN_UNSURE;
  skip_space (&c);
  if (c.at != c.end)
    return CC_JSON_SCAN_UNSURE;
  *value = g_steal_pointer (&found);
  return *value != NULL ? CC_JSON_SCAN_FOUND : CC_JSON_SCAN_ABSENT;
}
