/* cc-json-scan.c — what the engine reads of an answer, without parsing
 * it (cc-json-scan.h).
 *
 * The scan for one member walks the top-level object's members and
 * skips every value that is not the one wanted, counting brackets
 * outside strings. It checks the shape it walks (quotes, colons, commas,
 * brackets, the characters of numbers, the three literals, brackets
 * closed by their own kind) and gives up (UNSURE) at anything else, so
 * that a damaged text goes to the full parse and its error. It does not
 * check what lies inside the values it skips as closely as a parser (a
 * comma where a colon belongs in a nested object, a malformed number):
 * an answer damaged only there still gives its PKey.
 *
 * The scan of a collection, below, is strict instead: the rows it hands
 * out are read without a parser, so it checks every value as JSON's
 * grammar has it, and leaves what json-glib 1.6 reads otherwise to it.
 */
#include "config.h"

#include <string.h>

#include "cc-json-parse.h"
#include "cc-json-row-private.h"
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

/* ------------------------------------------------------------------ */
/* Collections: strict, so that what passes means to json-glib what it
 * means here (cc-json-row.c decodes it).                              */

static gboolean
take_hex4 (Cursor  *c,
           guint   *value)
{
  *value = 0;
  if (c->end - c->at < 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (c->at[i]);

      if (digit < 0)
        return FALSE;
      *value = *value * 16 + (guint) digit;
    }
  c->at += 4;
  return TRUE;
}

/* Past a \u escape (the cursor after its "u"): a character other than
 * U+0000, or a surrogate pair. json-glib 1.6 cuts a string at U+0000 and
 * mangles a lone surrogate: those are the parser's. */
static gboolean
check_unicode_escape (Cursor *c)
{
  guint high, low;

  if (!take_hex4 (c, &high) || high == 0 || (high >= 0xDC00 && high < 0xE000))
    return FALSE;
  if (high < 0xD800 || high >= 0xDC00)
    return TRUE;
  if (c->end - c->at < 2 || c->at[0] != '\\' || c->at[1] != 'u')
    return FALSE;
  c->at += 2;
  return take_hex4 (c, &low) && low >= 0xDC00 && low < 0xE000;
}

/* Past a string at the cursor's quote, with JSON's escapes only and no
 * control character; its bytes are UTF-8. *escaped when it has any. */
static gboolean
check_string (Cursor   *c,
              gboolean *escaped)
{
  const char *start;
  gboolean high = FALSE;

  *escaped = FALSE;
  if (c->at >= c->end || *c->at != '"')
    return FALSE;
  start = ++c->at;
  while (c->at < c->end && *c->at != '"')
    {
      guchar byte = (guchar) *c->at++;

      if (byte < 0x20)
        return FALSE;
      high |= byte >= 0x80;
      if (byte != '\\')
        continue;
      *escaped = TRUE;
      if (c->at >= c->end)
        return FALSE;
      byte = (guchar) *c->at++;
      if (byte == 'u' && !check_unicode_escape (c))
        return FALSE;
      if (byte != 'u' && strchr ("\"\\/bfnrt", byte) == NULL)
        return FALSE;
    }
  if (c->at >= c->end)
    return FALSE;
  c->at++;
  return !high || g_utf8_validate (start, c->at - 1 - start, NULL);
}

static gboolean
take_digits (Cursor *c)
{
  const char *start = c->at;

  while (c->at < c->end && g_ascii_isdigit (*c->at))
    c->at++;
  return c->at > start;
}

/* Past a number in JSON's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
 * A whole number of more than 18 digits could overflow as json-glib
 * reads it: the parser's. */
static gboolean
check_number (Cursor *c)
{
  const char *start = c->at;
  const char *digits;
  gboolean whole = TRUE;

  if (c->at < c->end && *c->at == '-')
    c->at++;
  digits = c->at;
  if (c->at < c->end && *c->at == '0')
    c->at++;
  else if (!take_digits (c))
    return FALSE;
  if (c->at < c->end && *c->at == '.')
    {
      c->at++;
      whole = FALSE;
      if (!take_digits (c))
        return FALSE;
    }
  if (c->at < c->end && (*c->at == 'e' || *c->at == 'E'))
    {
      c->at++;
      whole = FALSE;
      if (c->at < c->end && (*c->at == '+' || *c->at == '-'))
        c->at++;
      if (!take_digits (c))
        return FALSE;
    }
  if (whole && c->at - digits > 18)
    return FALSE;
  return c->at - start <= CC_JSON_SCAN_MAX_NUMBER;
}

static gboolean
check_scalar (Cursor *c)
{
  static const char * const literals[] = { "true", "false", "null" };
  gboolean escaped;

  if (c->at >= c->end)
    return FALSE;
  if (*c->at == '"')
    return check_string (c, &escaped);
  for (guint i = 0; i < G_N_ELEMENTS (literals); i++)
    {
      gsize len = strlen (literals[i]);

      if ((gsize) (c->end - c->at) >= len && memcmp (c->at, literals[i], len) == 0)
        {
          c->at += len;
          return TRUE;
        }
    }
  return check_number (c);
}

/* Past a member's name and its colon, inside an object. */
static gboolean
check_name (Cursor *c)
{
  gboolean escaped;

  skip_space (c);
  return check_string (c, &escaped) && take (c, ':');
}

/* Past one value inside a container @depth levels deep (1: the
 * top-level object), in JSON's grammar, brackets closed by their own
 * kind and no deeper than CC_JSON_MAX_DEPTH: without recursion, as
 * cc_json_check_bounds () counts. */
static gboolean
check_value (Cursor *c,
             guint   depth)
{
  char open[CC_JSON_MAX_DEPTH];
  guint n = 0;

  for (;;)
    {
      skip_space (c);
      if (c->at < c->end && (*c->at == '{' || *c->at == '['))
        {
          if (depth + n + 1 > CC_JSON_MAX_DEPTH)
            return FALSE;
          open[n++] = *c->at == '{' ? '}' : ']';
          c->at++;
          skip_space (c);
          if (c->at < c->end && *c->at == open[n - 1])
            {
              c->at++;
              n--;
            }
          else if (open[n - 1] == '}' && !check_name (c))
            return FALSE;
          else
            continue;
        }
      else if (!check_scalar (c))
        return FALSE;
      /* After a value: the next one of its container, or its end. */
      for (;;)
        {
          if (n == 0)
            return TRUE;
          skip_space (c);
          if (c->at < c->end && *c->at == ',')
            {
              c->at++;
              if (open[n - 1] == '}' && !check_name (c))
                return FALSE;
              break;
            }
          if (c->at >= c->end || *c->at != open[n - 1])
            return FALSE;
          c->at++;
          n--;
        }
    }
}

/* Past a member's name (no escape) and its colon: the name's span. */
static gboolean
take_plain_name (Cursor      *c,
                 const char **name,
                 gsize       *len)
{
  gboolean escaped;

  skip_space (c);
  *name = c->at + 1;
  if (!check_string (c, &escaped) || escaped)
    return FALSE;
  *len = (gsize) (c->at - 1 - *name);
  return take (c, ':');
}

/* Calls @item for each item of the object or array that the cursor is
 * at (@open, @close: its brackets); @item moves the cursor past it. */
typedef gboolean (*ItemFunc) (Cursor   *c,
                              gpointer  data);

static gboolean
scan_items (Cursor   *c,
            char      open,
            char      close,
            ItemFunc  item,
            gpointer  data)
{
  gboolean more;

  if (!take (c, open))
    return FALSE;
  skip_space (c);
  more = c->at < c->end && *c->at != close;
  while (more)
    {
      skip_space (c);
      if (!item (c, data))
        return FALSE;
      more = take (c, ',');
    }
  return take (c, close);
}

/* Called with a member's name and the cursor at its value, which it
 * moves past. */
typedef gboolean (*MemberFunc) (Cursor     *c,
                                const char *name,
                                gsize       len,
                                gpointer    data);

typedef struct
{
  MemberFunc member;
  gpointer   data;
} Members;

static gboolean
take_member (Cursor   *c,
             gpointer  data)
{
  Members *members = data;
  const char *name;
  gsize len;

  if (!take_plain_name (c, &name, &len))
    return FALSE;
  skip_space (c);
  return members->member (c, name, len, members->data);
}

/* Calls @member for each member of the object at the cursor. */
static gboolean
scan_object (Cursor     *c,
             MemberFunc  member,
             gpointer    data)
{
  Members members = { member, data };

  return scan_items (c, '{', '}', take_member, &members);
}

/* A row: the spans of its members. */
static gboolean
add_span (Cursor     *c,
          const char *name,
          gsize       len,
          gpointer    data)
{
  GArray *spans = data;
  CcJsonMemberSpan span = { name, len, c->at, 0 };

  if (!check_value (c, 3))
    return FALSE;
  span.value_len = (gsize) (c->at - span.value);
  g_array_append_val (spans, span);
  return TRUE;
}

typedef struct
{
  GBytes             *text;
  const char         *array;
  const char * const *names;
  CcJsonRows         *rows;
  GArray             *spans;
} Collection;

/* An element of the array: an object becomes a row, any other value is
 * checked. */
static gboolean
take_element (Cursor   *c,
              gpointer  data)
{
  Collection *collection = data;
  const char *start = c->at;

  if (c->at >= c->end || *c->at != '{')
    return check_value (c, 2);
  g_array_set_size (collection->spans, 0);
  if (!scan_object (c, add_span, collection->spans))
    return FALSE;
  g_ptr_array_add (collection->rows->rows,
                   cc_json_row_new_scanned (collection->text, start, (gsize) (c->at - start),
                                            (CcJsonMemberSpan *) (gpointer) collection->spans->data,
                                            collection->spans->len));
  return TRUE;
}

static gboolean
is_name (const char *name,
         gsize       len,
         const char *wanted)
{
  return strlen (wanted) == len && memcmp (name, wanted, len) == 0;
}

/* A member of the collection's top-level object. */
static gboolean
take_top_member (Cursor     *c,
                 const char *name,
                 gsize       len,
                 gpointer    data)
{
  Collection *collection = data;
  CcJsonRows *rows = collection->rows;
  const char *start = c->at;
  gboolean escaped;

  if (is_name (name, len, collection->array))
    {
      g_ptr_array_set_size (rows->rows, 0);   /* the last member counts */
      if (c->at < c->end && *c->at == '[')
        return scan_items (c, '[', ']', take_element, collection);
      return check_value (c, 1);
    }
  for (guint i = 0; i < rows->n_strings; i++)
    if (is_name (name, len, collection->names[i]))
      {
        g_clear_pointer (&rows->strings[i], g_free);
        if (c->at >= c->end || *c->at != '"')
          return check_value (c, 1);
        if (!check_string (c, &escaped))
          return FALSE;
        rows->strings[i] = cc_json_row_decode_string (start, (gsize) (c->at - start));
        return TRUE;
      }
  return check_value (c, 1);
}

CcJsonRows *
cc_json_scan_rows (GBytes              *text,
                   const char          *array,
                   const char * const  *names)
{
  g_autoptr(CcJsonRows) rows = g_new0 (CcJsonRows, 1);
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (CcJsonMemberSpan));
  Collection collection = { text, array, names, rows, spans };
  gsize length;
  const char *data = g_bytes_get_data (text, &length);
  Cursor c = { data, data + length };

  g_return_val_if_fail (text != NULL && array != NULL && names != NULL, NULL);

  rows->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_json_row_free);
  rows->n_strings = g_strv_length ((char **) names);
  rows->strings = g_new0 (char *, rows->n_strings);
  if (data == NULL || length > CC_JSON_MAX_ANSWER || !scan_object (&c, take_top_member, &collection))
    return NULL;
  skip_space (&c);
  if (c.at != c.end)
    return NULL;
  return g_steal_pointer (&rows);
}

void
cc_json_rows_free (CcJsonRows *rows)
{
  if (rows == NULL)
    return;
  g_clear_pointer (&rows->rows, g_ptr_array_unref);
  /* Not a NULL-terminated vector: any string may be absent. */
  for (guint i = 0; rows->strings != NULL && i < rows->n_strings; i++)
    g_free (rows->strings[i]);
  g_free (rows->strings);
  g_free (rows);
}
