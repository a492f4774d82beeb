/* cc-error-csv.c — error-log entries as CSV.
 *
 * RFC 4180: fields separated by commas, lines ended by CRLF, a field
 * quoted (its quotes doubled) when it holds a comma, a quote or a line
 * break. UTF-8, without a byte-order mark. The column names are
 * technical names, the same in every language, for scripts.
 *
 * The text comes from outside (a record's values, a service's answer):
 * a field that a spreadsheet would take for a formula (starting with =,
 * +, -, @, a tab or a carriage return) is written with a ' before it, so
 * that opening the file runs nothing.
 */
#include "config.h"

#include <string.h>

#include "cc-error-csv.h"

void
cc_error_csv_append_header (GString *csv)
{
  g_string_append (csv, "id,failed_at,mapping,record,operation,http_status,reason,payload\r\n");
}

static void
append_text (GString    *csv,
             const char *text)
{
  gboolean formula = text[0] != '\0' && strchr ("=+-@\t\r", text[0]) != NULL;
  gboolean quoted = formula || strpbrk (text, ",\"\r\n") != NULL;

  if (!quoted)
    {
      g_string_append (csv, text);
      return;
    }
  g_string_append_c (csv, '"');
  if (formula)
    g_string_append_c (csv, '\'');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
}

static void
append_time (GString *csv,
             gint64   usec)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autofree char *text = when != NULL ? g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ") : NULL;

  if (text != NULL)
    g_string_append (csv, text);
}

void
cc_error_csv_append_entry (GString            *csv,
                           const CcErrorEntry *entry)
{
  g_string_append_printf (csv, "%" G_GINT64_FORMAT ",", entry->id);
  append_time (csv, entry->failed_at);
  g_string_append_c (csv, ',');
  append_text (csv, entry->mapping ? entry->mapping : "");
  g_string_append_c (csv, ',');
  append_text (csv, entry->key ? entry->key : "");
  g_string_append_printf (csv, ",%s,", cc_queue_op_to_string (entry->op));
  if (entry->http_status != 0)
    g_string_append_printf (csv, "%u", entry->http_status);
  g_string_append_c (csv, ',');
  append_text (csv, entry->reason ? entry->reason : "");
  g_string_append_c (csv, ',');
  append_text (csv, entry->payload ? entry->payload : "");
  g_string_append (csv, "\r\n");
}
