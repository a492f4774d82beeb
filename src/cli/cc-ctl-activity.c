/* cc-ctl-activity.c — `activity ID [hour|day]`: what the window's graph
 * shows, as a table or JSON: the backlog and the records written per
 * second, every few seconds of the last hour or every minute of the
 * last day, as the engine kept them. */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-ctl.h"

#define SYNOPSIS "activity ID [hour|day] [--json]"

static JsonObject *
sample_to_json (gint64  time_us,
                guint64 backlog,
                double  rate)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "time", time_us);
  json_object_set_int_member (object, "backlog", (gint64) backlog);
  json_object_set_double_member (object, "records-per-second", rate);
  return object;
}

static void
print_samples (CcCtl    *ctl,
               GVariant *samples)
{
  static const char * const headers[] = { N_("TIME"), N_("BACKLOG"), N_("RECORDS/S"), NULL };
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(CcCtlTable) table = cc_ctl_table_new (headers);
  GVariantIter iter;
  gint64 time_us;
  guint64 backlog;
  double rate;

  g_variant_iter_init (&iter, samples);
  while (g_variant_iter_next (&iter, "(xtd)", &time_us, &backlog, &rate))
    {
      g_autofree char *when = NULL;
      g_autofree char *count = NULL;
      g_autofree char *per_second = NULL;

      if (ctl->json)
        {
          json_array_add_object_element (array, sample_to_json (time_us, backlog, rate));
          continue;
        }
      when = cc_ctl_format_time (time_us);
      count = cc_ctl_format_count (backlog);
      per_second = g_strdup_printf ("%'.1f", rate);
      cc_ctl_table_add_row (table, when, count, per_second, NULL);
    }
  if (ctl->json)
    cc_ctl_print_json_array (array);
  else
    cc_ctl_table_print (table);
}

int
cc_ctl_activity (CcCtl       *ctl,
                 int          argc,
                 const char **argv)
{
  g_autoptr(CcWorkflow1) proxy = NULL;
  g_autoptr(GVariant) samples = NULL;
  g_autoptr(GError) error = NULL;
  const char *span = argc > 1 ? argv[1] : "hour";

  if (argc < 1 || argc > 2)
    return cc_ctl_usage (SYNOPSIS, argc == 0 ? _("which workflow?") : _("too many arguments"));
  if (!g_str_equal (span, "hour") && !g_str_equal (span, "day"))
    return cc_ctl_usage (SYNOPSIS, _("“%s” is neither “hour” nor “day”"), span);

  proxy = cc_ctl_get_workflow (ctl, argv[0]);
  if (proxy == NULL)
    return CC_CTL_EXIT_FAILED;
  if (!cc_workflow1_call_get_activity_sync (proxy, span, &samples, NULL, &error))
    return cc_ctl_fail_error (error);
  if (!ctl->json && g_variant_n_children (samples) == 0)
    {
      g_print (_("The engine has no activity of “%s” yet.\n"), argv[0]);
      return CC_CTL_EXIT_OK;
    }
  print_samples (ctl, samples);
  return CC_CTL_EXIT_OK;
}
