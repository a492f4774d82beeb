/* cc-json-row.c — one object of a collection, read member by member
 * (cc-json-row.h).
 *
 * A scanned row decodes a value the first time it is asked for, from
 * text the scan has checked: a string's escapes are the ones JSON has
 * (no \u0000, no unpaired surrogate), a number is JSON's grammar and a
 * whole number has at most 18 digits, so that each means here what it
 * means to json-glib 1.6 (cc-json-scan.c leaves anything else to it).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cc-json-check.h"
#include "cc-json-parse.h"
#include "cc-json-row-private.h"
#include "cc-json-scan.h"

typedef struct
{
  CcJsonMemberSpan  span;
  JsonNode         *node;   /* decoded on first use */
} Member;

struct _CcJsonRow
{
  JsonObject *object;       /* a tree's row, or a scanned row's once asked for */
  GBytes     *text;         /* a scanned row's page */
  const char *start;
  gsize       length;
  guint       n_members;
  Member      members[];
};

CcJsonRow *
cc_json_row_new_for_object (JsonObject *object)
{
  CcJsonRow *row = g_new0 (CcJsonRow, 1);

  g_return_val_if_fail (object != NULL, NULL);

  row->object = json_object_ref (object);
  return row;
}

CcJsonRow *
cc_json_row_new_scanned (GBytes                 *text,
                         const char             *start,
                         gsize                   length,
                         const CcJsonMemberSpan *spans,
                         guint                   n)
{
  CcJsonRow *row = g_malloc0 (sizeof (CcJsonRow) + n * sizeof (Member));

  row->text = g_bytes_ref (text);
  row->start = start;
  row->length = length;
  row->n_members = n;
  for (guint i = 0; i < n; i++)
    row->members[i].span = spans[i];
  return row;
}

void
cc_json_row_free (CcJsonRow *row)
{
  if (row == NULL)
    return;
  for (guint i = 0; i < row->n_members; i++)
    g_clear_pointer (&row->members[i].node, json_node_unref);
  g_clear_pointer (&row->object, json_object_unref);
  g_clear_pointer (&row->text, g_bytes_unref);
  g_free (row);
}

static guint
hex_value (const char *at)
{
  guint value = 0;

  for (guint i = 0; i < 4; i++)
    value = value * 16 + g_ascii_xdigit_value (at[i]);
  return value;
}

char *
cc_json_row_decode_string (const char *text,
                           gsize       len)
{
  const char *at = text + 1;
  const char *end = text + len - 1;
  const char *escape = memchr (at, '\\', end - at);
  GString *out;

  if (escape == NULL)
    return g_strndup (at, end - at);
  out = g_string_sized_new (end - at);
  while (at < end)
    {
      escape = memchr (at, '\\', end - at);
      if (escape == NULL)
        escape = end;
      g_string_append_len (out, at, escape - at);
      at = escape;
      if (at == end)
        break;
      switch (at[1])
        {
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar c = hex_value (at + 2);

            if (c >= 0xD800 && c < 0xDC00)
              {
                c = 0x10000 + ((c - 0xD800) << 10) + (hex_value (at + 8) - 0xDC00);
                at += 6;
              }
            g_string_append_unichar (out, c);
            at += 4;
          }
          break;
        default:   /* " \ / */
          g_string_append_c (out, at[1]);
          break;
        }
      at += 2;
    }
  return g_string_free (out, FALSE);
}

/* Whether a number's checked text has neither a fraction nor an
 * exponent. */
static gboolean
is_whole_number (const char *text,
                 gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (text[i] == '.' || text[i] == 'e' || text[i] == 'E')
      return FALSE;
  return TRUE;
}

/* A number's checked text (at most CC_JSON_SCAN_MAX_NUMBER bytes): a
 * whole number of at most 18 digits, or one with a fraction or an
 * exponent, read as json-glib 1.6 reads it. */
static JsonNode *
decode_number (const char *text,
               gsize       len)
{
  char buffer[CC_JSON_SCAN_MAX_NUMBER + 1];
  gboolean negative = text[0] == '-';
  gint64 value = 0;

  if (is_whole_number (text, len))
    {
      for (gsize i = negative ? 1 : 0; i < len; i++)
        value = value * 10 + (text[i] - '0');
      return json_node_init_int (json_node_alloc (), negative ? -value : value);
    }
  memcpy (buffer, text, len);
  buffer[len] = '\0';
  return json_node_init_double (json_node_alloc (), g_ascii_strtod (buffer, NULL));
}

/* A string's node: a short one without escapes goes through the stack,
 * as the node takes a copy of its own anyway. */
static JsonNode *
decode_string_node (const char *text,
                    gsize       len)
{
  char buffer[256];
  g_autofree char *decoded = NULL;

  if (len - 2 < sizeof buffer && memchr (text, '\\', len) == NULL)
    {
      memcpy (buffer, text + 1, len - 2);
      buffer[len - 2] = '\0';
      return json_node_init_string (json_node_alloc (), buffer);
    }
  decoded = cc_json_row_decode_string (text, len);
  return json_node_init_string (json_node_alloc (), decoded);
}

/* An object or an array: json-glib's tree of it, as a reader of such a
 * member expects (Dataverse sends none unless asked to expand). */
static JsonNode *
decode_structure (const char *text,
                  gsize       len)
{
  JsonNode *node = cc_json_parse (text, len, CC_JSON_MAX_ANSWER, NULL);

  /* The scan checked it as json-glib reads it. */
  g_return_val_if_fail (node != NULL, json_node_init_null (json_node_alloc ()));
  return node;
}

static JsonNode *
decode_value (const CcJsonMemberSpan *span)
{
  const char *text = span->value;

  switch (text[0])
    {
    case '"':
      return decode_string_node (text, span->value_len);
    case 't':
      return json_node_init_boolean (json_node_alloc (), TRUE);
    case 'f':
      return json_node_init_boolean (json_node_alloc (), FALSE);
    case 'n':
      return json_node_init_null (json_node_alloc ());
    case '{':
    case '[':
      return decode_structure (text, span->value_len);
    default:
      return decode_number (text, span->value_len);
    }
}

/* The last member called @name, or NULL. */
static Member *
find_member (CcJsonRow  *row,
             const char *name)
{
  gsize len = strlen (name);

  for (guint i = row->n_members; i > 0; i--)
    {
      Member *member = &row->members[i - 1];

      if (member->span.name_len == len && memcmp (member->span.name, name, len) == 0)
        return member;
    }
  return NULL;
}

JsonNode *
cc_json_row_get_member (CcJsonRow  *row,
                        const char *name)
{
  Member *member;

  g_return_val_if_fail (row != NULL && name != NULL, NULL);

  if (row->text == NULL)
    return json_object_get_member (row->object, name);
  member = find_member (row, name);
  if (member == NULL)
    return NULL;
  if (member->node == NULL)
    member->node = decode_value (&member->span);
  return member->node;
}

gboolean
cc_json_row_has_member (CcJsonRow  *row,
                        const char *name)
{
  g_return_val_if_fail (row != NULL && name != NULL, FALSE);

  if (row->text == NULL)
    return json_object_has_member (row->object, name);
  return find_member (row, name) != NULL;
}

const char *
cc_json_row_get_string (CcJsonRow  *row,
                        const char *name)
{
  JsonNode *node = cc_json_row_get_member (row, name);

  return cc_json_check_node_holds (node, G_TYPE_STRING) ? json_node_get_string (node) : NULL;
}

/* Whether json-glib 1.6 writes the value of the checked JSON text
 * @text as it is. */
static gboolean
is_written_as_is (const char *text,
                  gsize       len)
{
  switch (text[0])
    {
    case '"':
      return memchr (text, '\\', len) == NULL && memchr (text, 0x7f, len) == NULL;
    case 't':
    case 'f':
    case 'n':
      return TRUE;
    case '{':
    case '[':
      return FALSE;
    default:
      return !(len == 2 && memcmp (text, "-0", 2) == 0) && is_whole_number (text, len);
    }
}

gboolean
cc_json_row_get_raw (CcJsonRow    *row,
                     const char   *name,
                     const char  **text,
                     gsize        *len)
{
  Member *member;

  g_return_val_if_fail (row != NULL && name != NULL && text != NULL && len != NULL, FALSE);

  if (row->text == NULL || (member = find_member (row, name)) == NULL
      || !is_written_as_is (member->span.value, member->span.value_len))
    return FALSE;
  *text = member->span.value;
  *len = member->span.value_len;
  return TRUE;
}

JsonObject *
cc_json_row_get_object (CcJsonRow *row)
{
  g_return_val_if_fail (row != NULL, NULL);

  if (row->object == NULL)
    {
      g_autoptr(JsonNode) node = decode_structure (row->start, row->length);

      row->object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_dup_object (node)
                                                  : json_object_new ();
    }
  return row->object;
}
