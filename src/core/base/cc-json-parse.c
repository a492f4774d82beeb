/* cc-json-parse.c — bounds on JSON text, checked before json-glib parses it.
 *
 * The check is one pass over the bytes that counts the nesting outside
 * strings, so that it costs nothing like a parse and cannot itself run
 * out of stack. It must never count less than json-glib would nest:
 * json-glib (through its scanner) also reads comments and single-quoted
 * strings, inside which a double quote would make this count see a
 * string where json-glib sees brackets. JSON has neither, so their
 * first character outside a string is refused. So is anything after
 * the one value a text is.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cc-json-parse.h"

static gboolean
refuse_size (gsize    length,
             gsize    max_bytes,
             GError **error)
{
  g_autofree char *size = g_format_size (length);
  g_autofree char *most = g_format_size (max_bytes);

  /* Translators: "it is 20.0 MB, more than the 8.0 MB Campaign Connector accepts" */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
               _("it is %s, more than the %s Campaign Connector accepts"), size, most);
  return FALSE;
}

/* Where the scan of cc_json_check_bounds () is. */
typedef struct
{
  const char *data;
  const char *line_start;
  guint       line;
  guint       depth;
  gboolean    in_string;
  gboolean    in_scalar;   /* a number or a literal at the top level */
  gboolean    done;        /* the top-level value is complete */
} Scan;

static guint
column_of (const Scan  *scan,
           const char  *at)
{
  return (guint) (at - scan->line_start) + 1;
}

/* After the one value a JSON text is, there may only be white space:
 * json-glib 1.6 reads "8 {}" as 8, and keeps the {} it parsed. */
static gboolean
refuse_more (const Scan  *scan,
             const char  *at,
             GError     **error)
{
  g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
               _("there is more after the JSON value (line %u, character %u)"),
               scan->line, column_of (scan, at));
  return FALSE;
}

/* One character outside strings at @at. */
static gboolean
scan_structure (Scan        *scan,
                const char  *at,
                GError     **error)
{
  char c = *at;
  gboolean space = c == ' ' || c == '\t' || c == '\r' || c == '\n';

  if (scan->depth == 0 && space)
    {
      scan->done |= scan->in_scalar;
      scan->in_scalar = FALSE;
      return TRUE;
    }
  if (scan->depth == 0 && scan->done && !space)
    return refuse_more (scan, at, error);

  switch (c)
    {
    case '"':
      scan->in_string = TRUE;
      break;
    case '[':
    case '{':
      if (scan->in_scalar)
        return refuse_more (scan, at, error);
      if (++scan->depth > CC_JSON_MAX_DEPTH)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       _("it nests objects and lists more than %u levels deep (line %u, "
                         "character %u); Campaign Connector accepts at most %u"),
                       CC_JSON_MAX_DEPTH, scan->line, column_of (scan, at), CC_JSON_MAX_DEPTH);
          return FALSE;
        }
      break;
    case ']':
    case '}':
      if (scan->depth > 0 && --scan->depth == 0)
        scan->done = TRUE;
      break;
    case '\'':
    case '/':
    case '#':
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                   _("“%c” at line %u, character %u is not JSON (comments and single "
                     "quotes are not accepted)"),
                   c, scan->line, column_of (scan, at));
      return FALSE;
    default:
      if (scan->depth == 0 && !space)
        scan->in_scalar = TRUE;
      break;
    }
  return TRUE;
}

gboolean
cc_json_check_bounds (const char  *data,
                      gsize        length,
                      gsize        max_bytes,
                      GError     **error)
{
  Scan scan = { data, data, 1, 0, FALSE, FALSE, FALSE };

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (length > max_bytes)
    return refuse_size (length, max_bytes, error);

  /* A byte-order mark, as some editors write one, is no value. */
  for (gsize i = length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0; i < length; i++)
    {
      const char *at = data + i;

      if (*at == '\n')
        {
          scan.line++;
          scan.line_start = at + 1;
        }
      if (scan.in_string)
        {
          if (*at == '\\')
            i++;   /* whatever is escaped, a quote included, stays in the string */
          else if (*at == '"')
            {
              scan.in_string = FALSE;
              scan.done |= scan.depth == 0;
            }
          continue;
        }
      if (!scan_structure (&scan, at, error))
        return FALSE;
    }
  return TRUE;
}

JsonNode *
cc_json_parse (const char  *data,
               gsize        length,
               gsize        max_bytes,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (!cc_json_check_bounds (data, length, max_bytes, error))
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data != NULL ? data : "", (gssize) length, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                           _("no JSON value found"));
      return NULL;
    }
  return json_node_ref (root);
}

JsonNode *
cc_json_parse_file (const char  *path,
                    gsize        max_bytes,
                    GError     **error)
{
  g_autofree char *text = NULL;
  GStatBuf info;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  /* A file far too big is not read into memory just to be refused. */
  if (g_stat (path, &info) == 0 && info.st_size > 0 && (guint64) info.st_size > max_bytes)
    {
      refuse_size ((gsize) info.st_size, max_bytes, error);
      return NULL;
    }
  if (!g_file_get_contents (path, &text, &length, error))
    return NULL;
  return cc_json_parse (text, length, max_bytes, error);
}

gboolean
cc_json_error_is_bounds (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
}
