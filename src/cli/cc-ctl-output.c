/* cc-ctl-output.c — how campaign-connector-ctl prints: aligned tables for
 * people, JSON for scripts, and every error on one line of stderr. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cc-ctl.h"

struct _CcCtlTable
{
  guint      n_columns;
  GPtrArray *rows;   /* GStrv, the header first */
};

/* Errors reach a terminal or a log line by line; a message that spans
 * lines would be cut in two there. */
static char *
one_line (const char *text)
{
  g_autofree char *copy = g_strdup (text ? text : "");

  g_strdelimit (copy, "\r\n\t", ' ');
  return g_strstrip (g_steal_pointer (&copy));
}

int
cc_ctl_fail (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  line = one_line (message);
  g_printerr ("%s: %s\n", CC_CTL_PROGRAM, line);
  return CC_CTL_EXIT_FAILED;
}

int
cc_ctl_fail_error (const GError *error)
{
  g_autoptr(GError) copy = g_error_copy (error);

  if (g_error_matches (copy, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN)
      || g_error_matches (copy, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER))
    return cc_ctl_fail (_("the engine is not running (start it with “campaign-connector "
                          "--headless” or “campaign-connector”)"));
  if (g_error_matches (copy, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY)
      || g_error_matches (copy, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return cc_ctl_fail (_("the engine did not answer in time"));

  g_dbus_error_strip_remote_error (copy);
  return cc_ctl_fail ("%s", copy->message);
}

int
cc_ctl_usage (const char *synopsis,
              const char *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (synopsis != NULL)
    /* Translators: "%s (usage: campaign-connector-ctl start ID [--wait])" */
    g_printerr ("%s: %s (%s %s %s)\n", CC_CTL_PROGRAM, message, _("usage:"),
                CC_CTL_PROGRAM, synopsis);
  else
    g_printerr ("%s: %s (%s)\n", CC_CTL_PROGRAM, message,
                _("see “campaign-connector-ctl --help”"));
  return CC_CTL_EXIT_USAGE;
}

/* --- tables --------------------------------------------------------------- */

CcCtlTable *
cc_ctl_table_new (const char * const *headers)
{
  CcCtlTable *table = g_new0 (CcCtlTable, 1);
  char **translated;

  table->n_columns = g_strv_length ((char **) headers);
  translated = g_new0 (char *, table->n_columns + 1);
  for (guint i = 0; i < table->n_columns; i++)
    translated[i] = g_strdup (_(headers[i]));
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_ptr_array_add (table->rows, translated);
  return table;
}

void
cc_ctl_table_add_row (CcCtlTable *table,
                      const char *first_cell,
                      ...)
{
  char **row = g_new0 (char *, table->n_columns + 1);
  const char *cell = first_cell;
  va_list args;

  va_start (args, first_cell);
  for (guint i = 0; i < table->n_columns; i++)
    {
      row[i] = one_line (cell);
      cell = cell != NULL ? va_arg (args, const char *) : NULL;
    }
  va_end (args);
  g_ptr_array_add (table->rows, row);
}

void
cc_ctl_table_print (CcCtlTable *table)
{
  g_autofree guint *widths = g_new0 (guint, table->n_columns);

  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);
      for (guint c = 0; c < table->n_columns; c++)
        widths[c] = MAX (widths[c], (guint) g_utf8_strlen (row[c], -1));
    }

  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint c = 0; c < table->n_columns; c++)
        {
          g_string_append (line, row[c]);
          /* Pad by characters, not bytes: labels may be translated. */
          if (c + 1 < table->n_columns)
            for (guint pad = g_utf8_strlen (row[c], -1); pad < widths[c] + 2; pad++)
              g_string_append_c (line, ' ');
        }
      g_print ("%s\n", line->str);
    }
}

void
cc_ctl_table_free (CcCtlTable *table)
{
  g_ptr_array_unref (table->rows);
  g_free (table);
}

/* --- values --------------------------------------------------------------- */

void
cc_ctl_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

void
cc_ctl_print_json_array (JsonArray *array)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

  json_node_set_array (root, array);
  cc_ctl_print_json (root);
}

char *
cc_ctl_format_count (guint64 value)
{
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, value);
}

char *
cc_ctl_format_time (gint64 usec)
{
  g_autoptr(GDateTime) when = NULL;

  if (usec <= 0)
    return g_strdup ("—");
  when = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  return when != NULL ? g_date_time_format (when, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
}

char *
cc_ctl_ellipsize (const char *text,
                  guint       max)
{
  g_autofree char *line = one_line (text);
  g_autoptr(GString) cut = NULL;

  if ((guint) g_utf8_strlen (line, -1) <= max || max < 2)
    return g_steal_pointer (&line);

  cut = g_string_new (NULL);
  g_string_append_len (cut, line, g_utf8_offset_to_pointer (line, max - 1) - line);
  g_string_append (cut, "…");
  return g_string_free (g_steal_pointer (&cut), FALSE);
}

const char *
cc_ctl_status_label (const char *status)
{
  /* The same words as the window's, so they share translations. */
  if (g_strcmp0 (status, "stopped") == 0)
    return C_("status", "Stopped");
  if (g_strcmp0 (status, "starting") == 0)
    return C_("status", "Starting");
  if (g_strcmp0 (status, "running") == 0)
    return C_("status", "Running");
  if (g_strcmp0 (status, "failed") == 0)
    return C_("status", "Failed");
  return status ? status : "";
}
