/* cc-ctl-setup.c — `campaign-connector-ctl check` and `prepare dynamics`.
 *
 * `check [ID]` lists every prerequisite of the workflows with its state
 * and, for what is missing, what to do; it exits 0 only when nothing is
 * missing, so that a script can gate a deployment on it. `prepare
 * dynamics` shows its plan first and changes Dynamics 365 only with the
 * admin's go-ahead: an answer at the prompt, or --yes.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "cc-ctl.h"

#define CHECK_SYNOPSIS   "check [ID] [--json]"
#define PREPARE_SYNOPSIS "prepare dynamics [--prefix=PREFIX] [--yes] [--json]"

/* Creating tables in Dynamics 365 takes seconds each, and their keys'
 * indexes are waited for. */
#define PREPARE_TIMEOUT_MS (30 * 60 * 1000)

static const char *
lookup (GVariant   *entry,
        const char *name)
{
  const char *value = NULL;

  g_variant_lookup (entry, name, "&s", &value);
  return value;
}

/* An a{sv} of strings, string arrays and booleans as a JSON object. */
static JsonNode *
entry_to_json (GVariant *entry)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GVariantIter iter;
  const char *name;
  GVariant *value;

  json_builder_begin_object (builder);
  g_variant_iter_init (&iter, entry);
  while (g_variant_iter_next (&iter, "{&sv}", &name, &value))
    {
      json_builder_set_member_name (builder, name);
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
        json_builder_add_boolean_value (builder, g_variant_get_boolean (value));
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING_ARRAY))
        {
          g_autofree const char **strings = g_variant_get_strv (value, NULL);

          json_builder_begin_array (builder);
          for (guint i = 0; strings[i] != NULL; i++)
            json_builder_add_string_value (builder, strings[i]);
          json_builder_end_array (builder);
        }
      else
        json_builder_add_string_value (builder, g_variant_get_string (value, NULL));
      g_variant_unref (value);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
print_json (GVariant *entries)
{
  g_autoptr(JsonArray) array = json_array_new ();

  for (gsize i = 0; i < g_variant_n_children (entries); i++)
    {
      g_autoptr(GVariant) entry = g_variant_get_child_value (entries, i);

      json_array_add_element (array, entry_to_json (entry));
    }
  cc_ctl_print_json_array (array);
}

/* --- check ------------------------------------------------------------------ */

static const char *
state_label (const char *state)
{
  if (g_strcmp0 (state, "ok") == 0)
    return C_("check state", "OK");
  if (g_strcmp0 (state, "missing") == 0)
    return C_("check state", "Missing");
  return C_("check state", "Cannot tell");
}

static void
print_item (GVariant *item)
{
  const char *state = lookup (item, "state");
  const char *why = lookup (item, "why");
  const char *what_to_do = lookup (item, "what-to-do");

  g_print ("%-12s %s\n", state_label (state), lookup (item, "label"));
  if (why != NULL)
    g_print ("%-12s %s\n", "", why);
  if (what_to_do != NULL)
    g_print ("%-12s %s %s\n", "", _("What to do:"), what_to_do);
}

int
cc_ctl_check (CcCtl       *ctl,
              int          argc,
              const char **argv)
{
  g_autoptr(GVariant) items = NULL;
  g_autoptr(GError) error = NULL;
  guint counts[3] = { 0, 0, 0 };

  if (argc > 1)
    return cc_ctl_usage (CHECK_SYNOPSIS, _("one workflow at most"));
  if (!cc_manager1_call_check_setup_sync (ctl->manager, argc == 1 ? argv[0] : "", &items, NULL, &error))
    return cc_ctl_fail_error (error);

  for (gsize i = 0; i < g_variant_n_children (items); i++)
    {
      g_autoptr(GVariant) item = g_variant_get_child_value (items, i);
      const char *state = lookup (item, "state");

      counts[g_strcmp0 (state, "ok") == 0 ? 0 : g_strcmp0 (state, "missing") == 0 ? 1 : 2]++;
      if (!ctl->json)
        print_item (item);
    }
  if (ctl->json)
    print_json (items);
  else
    /* TRANSLATORS: the counts of OK, missing and cannot-tell items. */
    g_print (_("\nOK: %u, missing: %u, cannot tell: %u\n"), counts[0], counts[1], counts[2]);
  return counts[1] == 0 ? CC_CTL_EXIT_OK : CC_CTL_EXIT_FAILED;
}

/* --- prepare dynamics ------------------------------------------------------- */

static void
print_steps (GVariant *steps,
             gboolean  applied)
{
  for (gsize i = 0; i < g_variant_n_children (steps); i++)
    {
      g_autoptr(GVariant) step = g_variant_get_child_value (steps, i);
      const char *state = lookup (step, "state");
      const char *mark = !applied ? "" : g_strcmp0 (state, "done") == 0 ? _("done: ")
                         : g_strcmp0 (state, "failed") == 0 ? _("FAILED: ") : _("not done: ");

      g_print ("%3" G_GSIZE_FORMAT ". %s%s\n", i + 1, mark, lookup (step, "description"));
      if (lookup (step, "error") != NULL)
        g_print ("     %s\n", lookup (step, "error"));
    }
}

/* The admin's go-ahead at the terminal; FALSE without one. */
static gboolean
ask_go_ahead (void)
{
  char answer[16] = "";

  if (!isatty (STDIN_FILENO))
    {
      g_print ("%s\n", _("Nothing was changed: run again with --yes to apply these changes."));
      return FALSE;
    }
  g_print ("%s ", _("Apply these changes to Dynamics 365? [y/N]"));
  fflush (stdout);
  if (fgets (answer, sizeof answer, stdin) != NULL
      && (answer[0] == 'y' || answer[0] == 'Y'
          /* TRANSLATORS: the first letter of "yes" in your language, for [y/N]. */
          || g_str_has_prefix (answer, C_("yes-answer", "y"))))
    return TRUE;
  g_print ("%s\n", _("Nothing was changed."));
  return FALSE;
}

static gboolean
all_done (GVariant *steps)
{
  for (gsize i = 0; i < g_variant_n_children (steps); i++)
    {
      g_autoptr(GVariant) step = g_variant_get_child_value (steps, i);

      if (g_strcmp0 (lookup (step, "state"), "done") != 0)
        return FALSE;
    }
  return TRUE;
}

int
cc_ctl_prepare (CcCtl       *ctl,
                int          argc,
                const char **argv)
{
  g_autoptr(GVariant) plan = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *prefix = ctl->prefix ? ctl->prefix : "";

  if (argc != 1 || g_strcmp0 (argv[0], "dynamics") != 0)
    return cc_ctl_usage (PREPARE_SYNOPSIS, _("only Dynamics 365 can be prepared: Campaign is set "
                                             "up in its own UI (see “check”)"));
  if (!cc_manager1_call_prepare_dynamics_sync (ctl->manager, prefix, FALSE, &plan, NULL, &error))
    return cc_ctl_fail_error (error);
  if (g_variant_n_children (plan) == 0)
    {
      if (ctl->json)
        print_json (plan);
      else
        g_print ("%s\n", _("Nothing to change: Dynamics 365 is prepared."));
      return CC_CTL_EXIT_OK;
    }
  if (!ctl->yes && ctl->json)
    {
      print_json (plan);
      return CC_CTL_EXIT_OK;
    }
  if (!ctl->json)
    {
      g_print ("%s\n", _("To prepare Dynamics 365, Campaign Connector will:"));
      print_steps (plan, FALSE);
    }
  if (!ctl->yes && !ask_go_ahead ())
    return CC_CTL_EXIT_OK;

  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (ctl->manager), PREPARE_TIMEOUT_MS);
  if (!cc_manager1_call_prepare_dynamics_sync (ctl->manager, prefix, TRUE, &result, NULL, &error))
    return cc_ctl_fail_error (error);
  if (ctl->json)
    print_json (result);
  else
    {
      g_print ("\n");
      print_steps (result, TRUE);
    }
  return all_done (result) ? CC_CTL_EXIT_OK : CC_CTL_EXIT_FAILED;
}
