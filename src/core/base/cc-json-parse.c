/* cc-json-parse.c — bounds on JSON text, checked before json-glib parses it.
 *
 * The check is one pass over the bytes that counts the nesting outside
 * strings, so that it costs nothing like a parse and cannot itself run
 * out of stack. It must never count less than json-glib would nest:
 * json-glib (through its scanner) also reads comments and single-quoted
 * strings, inside which a double quote would make this count see a
 * string where json-glib sees brackets. JSON has neither, so their
 * first character outside a string is refused.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

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

gboolean
cc_json_check_bounds (const char  *data,
                      gsize        length,
                      gsize        max_bytes,
                      GError     **error)
{
  const char *line_start = data;
  gboolean in_string = FALSE;
  guint depth = 0;
  guint line = 1;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (length > max_bytes)
    return refuse_size (length, max_bytes, error);

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (c == '\n')
        {
          line++;
          line_start = data + i + 1;
        }
      if (in_string)
        {
          if (c == '\\')
            i++;   /* whatever is escaped, a quote included, stays in the string */
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > CC_JSON_MAX_DEPTH)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                           _("it nests objects and lists more than %u levels deep (line %u, "
                             "character %u); Campaign Connector accepts at most %u"),
                           CC_JSON_MAX_DEPTH, line, (guint) (data + i - line_start) + 1,
                           CC_JSON_MAX_DEPTH);
              return FALSE;
            }
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        case '\'':
        case '/':
        case '#':
          g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                       _("“%c” at line %u, character %u is not JSON (comments and single "
                         "quotes are not accepted)"),
                       c, line, (guint) (data + i - line_start) + 1);
          return FALSE;
        default:
          break;
        }
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
