/* cc-ctl-logs.c — a workflow's logs from the shell: `errors` (whole, as
 * far as --reason, --record or --search match, grouped --by-reason, or
 * written out --csv), `retry` (everything, one entry, or what a filter
 * matches) and `history`. */
#include "config.h"

#include <gio/gunixfdlist.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "cc-ctl.h"

#define ERRORS_SYNOPSIS "errors ID [--reason=TEXT] [--record=ID] [--search=TEXT] " \
                        "[--by-reason | --csv] [--limit=N] [--json]"
#define RETRY_SYNOPSIS "retry ID [ERROR | --reason=TEXT | --record=ID | --search=TEXT]"

static gboolean
has_filter (CcCtl *ctl)
{
  return ctl->reason != NULL || ctl->record != NULL || ctl->search != NULL;
}

/* The error-log filter of the options, as Workflow1 takes it. */
static GVariant *
get_filter (CcCtl *ctl)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  if (ctl->reason != NULL)
    g_variant_builder_add (&builder, "{sv}", "reason", g_variant_new_string (ctl->reason));
  if (ctl->record != NULL)
    g_variant_builder_add (&builder, "{sv}", "record", g_variant_new_string (ctl->record));
  if (ctl->search != NULL)
    g_variant_builder_add (&builder, "{sv}", "search", g_variant_new_string (ctl->search));
  return g_variant_builder_end (&builder);
}

/* --- retry ---------------------------------------------------------------- */

static int
retry_matching (CcCtl       *ctl,
                CcWorkflow1 *proxy)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;
  guint64 n = 0;

  if (!cc_workflow1_call_retry_errors_matching_sync (proxy, get_filter (ctl), &n, NULL, &error))
    return cc_ctl_fail_error (error);
  count = cc_ctl_format_count (n);
  g_print (g_dngettext (GETTEXT_PACKAGE, "%s record is queued again.\n",
                        "%s records are queued again.\n", (gulong) n), count);
  return CC_CTL_EXIT_OK;
}

int
cc_ctl_retry (CcCtl       *ctl,
              int          argc,
              const char **argv)
{
  g_autoptr(CcWorkflow1) proxy = NULL;
  g_autoptr(GError) error = NULL;
  gint64 entry = 0;
  char *end = NULL;

  if (argc < 1 || argc > 2)
    return cc_ctl_usage (RETRY_SYNOPSIS, argc == 0 ? _("which workflow?")
                                                   : _("too many arguments"));
  if (argc == 2)
    {
      entry = g_ascii_strtoll (argv[1], &end, 10);
      if (end == argv[1] || *end != '\0' || entry <= 0)
        return cc_ctl_usage (RETRY_SYNOPSIS, _("“%s” is not the number of an error"), argv[1]);
      if (has_filter (ctl))
        return cc_ctl_usage (RETRY_SYNOPSIS, _("an error’s number or a filter, not both"));
    }

  proxy = cc_ctl_get_workflow (ctl, argv[0]);
  if (proxy == NULL)
    return CC_CTL_EXIT_FAILED;
  if (has_filter (ctl))
    return retry_matching (ctl, proxy);

  if (entry > 0 ? !cc_workflow1_call_retry_error_sync (proxy, entry, NULL, &error)
                : !cc_workflow1_call_retry_errors_sync (proxy, NULL, &error))
    return cc_ctl_fail_error (error);
  g_print (entry > 0 ? _("Queued again.\n") : _("Every error of “%s” is queued again.\n"),
           argv[0]);
  return CC_CTL_EXIT_OK;
}

/* --- errors, history ------------------------------------------------------ */

#define ERROR_ENTRY "(xx&s&s&su&s&s)"

static JsonObject *
error_to_json (GVariant *entry)
{
  JsonObject *object = json_object_new ();
  gint64 id, failed_at;
  const char *mapping, *key, *op, *reason, *payload;
  guint32 http_status;

  g_variant_get (entry, ERROR_ENTRY, &id, &failed_at, &mapping, &key, &op, &http_status,
                 &reason, &payload);
  json_object_set_int_member (object, "id", id);
  json_object_set_int_member (object, "failed-at", failed_at);
  json_object_set_string_member (object, "mapping", mapping);
  json_object_set_string_member (object, "key", key);
  json_object_set_string_member (object, "op", op);
  json_object_set_int_member (object, "http-status", http_status);
  json_object_set_string_member (object, "reason", reason);
  json_object_set_string_member (object, "payload", payload);
  return object;
}

static void
error_add_row (CcCtlTable *table,
               GVariant   *entry)
{
  gint64 id, failed_at;
  const char *mapping, *key, *op, *reason, *payload;
  guint32 http_status;
  g_autofree char *id_text = NULL;
  g_autofree char *when = NULL;
  g_autofree char *http = NULL;
  g_autofree char *short_reason = NULL;

  g_variant_get (entry, ERROR_ENTRY, &id, &failed_at, &mapping, &key, &op, &http_status,
                 &reason, &payload);
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  when = cc_ctl_format_time (failed_at);
  http = http_status ? g_strdup_printf ("%u", http_status) : g_strdup ("—");
  short_reason = cc_ctl_ellipsize (reason, 80);
  cc_ctl_table_add_row (table, id_text, when, http, mapping, key, short_reason, NULL);
}

#define HISTORY_ENTRY "(xx&s&stt)"

static JsonObject *
history_to_json (GVariant *entry)
{
  JsonObject *object = json_object_new ();
  gint64 id, at;
  const char *kind, *message;
  guint64 written, failed;

  g_variant_get (entry, HISTORY_ENTRY, &id, &at, &kind, &message, &written, &failed);
  json_object_set_int_member (object, "id", id);
  json_object_set_int_member (object, "at", at);
  json_object_set_string_member (object, "kind", kind);
  json_object_set_string_member (object, "message", message);
  json_object_set_int_member (object, "written", (gint64) written);
  json_object_set_int_member (object, "failed", (gint64) failed);
  return object;
}

static void
history_add_row (CcCtlTable *table,
                 GVariant   *entry)
{
  gint64 id, at;
  const char *kind, *message;
  guint64 written, failed;
  g_autofree char *when = NULL;
  g_autofree char *written_text = NULL;
  g_autofree char *failed_text = NULL;
  g_autofree char *short_message = NULL;

  g_variant_get (entry, HISTORY_ENTRY, &id, &at, &kind, &message, &written, &failed);
  when = cc_ctl_format_time (at);
  written_text = cc_ctl_format_count (written);
  failed_text = cc_ctl_format_count (failed);
  short_message = cc_ctl_ellipsize (message, 80);
  cc_ctl_table_add_row (table, when, kind, written_text, failed_text, short_message, NULL);
}

#define GROUP_ENTRY "(&stx)"

static JsonObject *
group_to_json (GVariant *entry)
{
  JsonObject *object = json_object_new ();
  const char *reason;
  guint64 count;
  gint64 last;

  g_variant_get (entry, GROUP_ENTRY, &reason, &count, &last);
  json_object_set_string_member (object, "reason", reason);
  json_object_set_int_member (object, "count", (gint64) count);
  json_object_set_int_member (object, "last-failed-at", last);
  return object;
}

static void
group_add_row (CcCtlTable *table,
               GVariant   *entry)
{
  const char *reason;
  guint64 count;
  gint64 last;
  g_autofree char *count_text = NULL;
  g_autofree char *when = NULL;
  g_autofree char *short_reason = NULL;

  g_variant_get (entry, GROUP_ENTRY, &reason, &count, &last);
  count_text = cc_ctl_format_count (count);
  when = cc_ctl_format_time (last);
  short_reason = cc_ctl_ellipsize (reason, 100);
  cc_ctl_table_add_row (table, count_text, when, short_reason, NULL);
}

typedef enum
{
  LOG_ERRORS,
  LOG_ERROR_GROUPS,
  LOG_HISTORY,
} LogKind;

/* The three lists: the same printing for each. */
static const struct
{
  const char * const  *headers;   /* N_() */
  JsonObject        *(*to_json) (GVariant   *entry);
  void               (*add_row) (CcCtlTable *table,
                                 GVariant   *entry);
} logs[] = {
  [LOG_ERRORS] = {
    (const char * const[]) {
      N_("ERROR"), N_("WHEN"), N_("HTTP"), N_("MAPPING"), N_("RECORD"), N_("REASON"), NULL
    },
    error_to_json, error_add_row,
  },
  [LOG_ERROR_GROUPS] = {
    (const char * const[]) { N_("RECORDS"), N_("LAST FAILED"), N_("REASON"), NULL },
    group_to_json, group_add_row,
  },
  [LOG_HISTORY] = {
    (const char * const[]) {
      N_("WHEN"), N_("EVENT"), N_("WRITTEN"), N_("FAILED"), N_("MESSAGE"), NULL
    },
    history_to_json, history_add_row,
  },
};

/* @entries (an array of one of the logs' tuples) as a JSON array of
 * objects, or as a table for people. */
static void
print_entries (CcCtl    *ctl,
               GVariant *entries,
               LogKind   kind)
{
  g_autoptr(CcCtlTable) table = NULL;
  GVariantIter iter;
  GVariant *entry;

  if (ctl->json)
    {
      g_autoptr(JsonArray) array = json_array_new ();

      g_variant_iter_init (&iter, entries);
      while ((entry = g_variant_iter_next_value (&iter)) != NULL)
        {
          json_array_add_object_element (array, logs[kind].to_json (entry));
          g_variant_unref (entry);
        }
      cc_ctl_print_json_array (array);
      return;
    }

  table = cc_ctl_table_new (logs[kind].headers);
  g_variant_iter_init (&iter, entries);
  while ((entry = g_variant_iter_next_value (&iter)) != NULL)
    {
      logs[kind].add_row (table, entry);
      g_variant_unref (entry);
    }
  cc_ctl_table_print (table);
}

/* The CSV of what the filter matches, written by the engine straight
 * into our standard output. */
static int
export_csv (CcCtl       *ctl,
            CcWorkflow1 *proxy)
{
  g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();
  g_autoptr(GError) error = NULL;
  guint64 n = 0;
  int handle;

  fflush (stdout);
  handle = g_unix_fd_list_append (fds, STDOUT_FILENO, &error);
  if (handle < 0)
    return cc_ctl_fail_error (error);
  /* A log of a million entries takes a while. */
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (proxy), G_MAXINT);
  if (!cc_workflow1_call_export_errors_sync (proxy, get_filter (ctl), g_variant_new_handle (handle),
                                             fds, &n, NULL, NULL, &error))
    return cc_ctl_fail_error (error);
  return CC_CTL_EXIT_OK;
}

/* Under a table that does not show every entry: how many there are. */
static void
print_shown_of (CcCtl       *ctl,
                CcWorkflow1 *proxy,
                guint64      shown)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *shown_text = NULL;
  g_autofree char *all_text = NULL;
  guint64 all = 0;

  if (ctl->json || ctl->limit == 0 || shown < (guint64) ctl->limit)
    return;
  if (!cc_workflow1_call_count_errors_sync (proxy, get_filter (ctl), &all, NULL, &error)
      || all <= shown)
    return;
  shown_text = cc_ctl_format_count (shown);
  all_text = cc_ctl_format_count (all);
  /* Translators: under a table of the error log cut at --limit */
  g_print (_("%s of %s entries shown; --limit=0 shows them all.\n"), shown_text, all_text);
}

int
cc_ctl_errors (CcCtl       *ctl,
               int          argc,
               const char **argv)
{
  g_autoptr(CcWorkflow1) proxy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) entries = NULL;
  gboolean ok;
  int status;

  if (ctl->csv && (ctl->json || ctl->by_reason))
    return cc_ctl_usage (ERRORS_SYNOPSIS, _("--csv prints CSV: neither JSON nor groups"));
  proxy = cc_ctl_get_named_workflow (ctl, argc, argv, ERRORS_SYNOPSIS, &status);
  if (proxy == NULL)
    return status;
  if (ctl->csv)
    return export_csv (ctl, proxy);

  if (ctl->by_reason)
    ok = cc_workflow1_call_get_error_groups_sync (proxy, get_filter (ctl), (guint) ctl->limit,
                                                  &entries, NULL, &error);
  else if (has_filter (ctl))
    ok = cc_workflow1_call_find_errors_sync (proxy, get_filter (ctl), 0, (guint) ctl->limit,
                                             &entries, NULL, &error);
  else
    ok = cc_workflow1_call_get_errors_sync (proxy, 0, (guint) ctl->limit, &entries, NULL, &error);
  if (!ok)
    return cc_ctl_fail_error (error);

  if (!ctl->json && g_variant_n_children (entries) == 0)
    {
      if (has_filter (ctl))
        g_print (_("No entry of the error log of “%s” matches.\n"), argv[0]);
      else
        g_print (_("The error log of “%s” is empty.\n"), argv[0]);
      return CC_CTL_EXIT_OK;
    }
  print_entries (ctl, entries, ctl->by_reason ? LOG_ERROR_GROUPS : LOG_ERRORS);
  if (!ctl->by_reason)
    print_shown_of (ctl, proxy, g_variant_n_children (entries));
  return CC_CTL_EXIT_OK;
}

int
cc_ctl_history (CcCtl       *ctl,
                int          argc,
                const char **argv)
{
  g_autoptr(CcWorkflow1) proxy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) entries = NULL;
  int status;

  proxy = cc_ctl_get_named_workflow (ctl, argc, argv, "history ID [--limit=N] [--json]",
                                     &status);
  if (proxy == NULL)
    return status;
  if (!cc_workflow1_call_get_history_sync (proxy, (guint) ctl->limit, &entries, NULL, &error))
    return cc_ctl_fail_error (error);
  if (!ctl->json && g_variant_n_children (entries) == 0)
    {
      g_print (_("“%s” has no history yet.\n"), argv[0]);
      return CC_CTL_EXIT_OK;
    }
  print_entries (ctl, entries, LOG_HISTORY);
  return CC_CTL_EXIT_OK;
}
