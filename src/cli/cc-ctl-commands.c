/* cc-ctl-commands.c — the workflow commands of campaign-connector-ctl:
 * list, status, start, stop, config, replay, quit. */
#include "config.h"

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>

#include "cc-ctl.h"

#define ENGINE_NAME "io.github.campaignconnector.CampaignConnector"
#define NOT_FOUND   "io.github.campaignconnector.Error.NotFound"

static gboolean
is_remote_error (const GError *error,
                 const char   *name)
{
  g_autofree char *remote = g_dbus_error_get_remote_error (error);

  return g_strcmp0 (remote, name) == 0;
}

/* Signals sent before a reply are queued before it, so once a call has
 * returned, dispatching what is pending brings the proxies' cached
 * properties up to the moment of the reply. */
static void
catch_up (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

CcWorkflow1 *
cc_ctl_get_workflow (CcCtl      *ctl,
                     const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  CcWorkflow1 *proxy;

  if (!cc_manager1_call_get_workflow_sync (ctl->manager, id, &path, NULL, &error))
    {
      if (is_remote_error (error, NOT_FOUND))
        cc_ctl_fail (_("workflow “%s” not found"), id);
      else
        cc_ctl_fail_error (error);
      return NULL;
    }

  proxy = cc_workflow1_proxy_new_sync (ctl->bus, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                                       ENGINE_NAME, path, NULL, &error);
  if (proxy == NULL)
    cc_ctl_fail_error (error);
  return proxy;
}

/* Every workflow, in the engine's order; NULL after printing an error. */
static GPtrArray *
get_all_workflows (CcCtl *ctl)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) paths = NULL;
  g_autoptr(GPtrArray) proxies = g_ptr_array_new_with_free_func (g_object_unref);

  if (!cc_manager1_call_list_workflows_sync (ctl->manager, &paths, NULL, &error))
    {
      cc_ctl_fail_error (error);
      return NULL;
    }
  for (guint i = 0; paths[i] != NULL; i++)
    {
      CcWorkflow1 *proxy = cc_workflow1_proxy_new_sync (ctl->bus,
                                                        G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                                                        ENGINE_NAME, paths[i], NULL, &error);
      if (proxy == NULL)
        {
          cc_ctl_fail_error (error);
          return NULL;
        }
      g_ptr_array_add (proxies, proxy);
    }
  return g_steal_pointer (&proxies);
}

/* The workflow's properties under their D-Bus names, in interface order. */
static JsonNode *
workflow_to_json (CcWorkflow1 *proxy)
{
  GDBusInterfaceInfo *info = cc_workflow1_interface_info ();
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  for (guint i = 0; info->properties[i] != NULL; i++)
    {
      const char *name = info->properties[i]->name;
      g_autoptr(GVariant) value = g_dbus_proxy_get_cached_property (G_DBUS_PROXY (proxy), name);

      if (value != NULL)
        json_object_set_member (object, name, json_gvariant_serialize (value));
    }
  json_node_take_object (node, object);
  return node;
}

CcWorkflow1 *
cc_ctl_get_named_workflow (CcCtl       *ctl,
                           int          argc,
                           const char **argv,
                           const char  *synopsis,
                           int         *status)
{
  if (argc != 1)
    {
      *status = cc_ctl_usage (synopsis, argc == 0 ? _("which workflow?")
                                                  : _("too many arguments"));
      return NULL;
    }
  *status = CC_CTL_EXIT_FAILED;
  return cc_ctl_get_workflow (ctl, argv[0]);
}

/* --- list, status --------------------------------------------------------- */

/* One JSON object or one table row per workflow. */
static int
print_workflows (CcCtl               *ctl,
                 GPtrArray           *workflows,
                 JsonNode          *(*to_json) (CcWorkflow1 *proxy),
                 const char * const  *headers,
                 void               (*add_row) (CcCtlTable  *table,
                                                CcWorkflow1 *proxy))
{
  g_autoptr(CcCtlTable) table = NULL;

  if (ctl->json)
    {
      g_autoptr(JsonArray) array = json_array_new ();

      for (guint i = 0; i < workflows->len; i++)
        json_array_add_element (array, to_json (g_ptr_array_index (workflows, i)));
      cc_ctl_print_json_array (array);
      return CC_CTL_EXIT_OK;
    }

  table = cc_ctl_table_new (headers);
  for (guint i = 0; i < workflows->len; i++)
    add_row (table, g_ptr_array_index (workflows, i));
  cc_ctl_table_print (table);
  return CC_CTL_EXIT_OK;
}

static JsonNode *
summary_to_json (CcWorkflow1 *proxy)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "Id", cc_workflow1_get_id (proxy));
  json_object_set_string_member (object, "Title", cc_workflow1_get_title (proxy));
  json_object_set_string_member (object, "Subtitle", cc_workflow1_get_subtitle (proxy));
  json_node_take_object (node, object);
  return node;
}

static void
summary_add_row (CcCtlTable  *table,
                 CcWorkflow1 *proxy)
{
  cc_ctl_table_add_row (table, cc_workflow1_get_id (proxy), cc_workflow1_get_title (proxy),
                        cc_workflow1_get_subtitle (proxy), NULL);
}

int
cc_ctl_list (CcCtl       *ctl,
             int          argc,
             const char **argv)
{
  static const char * const headers[] = { N_("ID"), N_("TITLE"), N_("WHAT MOVES"), NULL };
  g_autoptr(GPtrArray) workflows = NULL;

  if (argc != 0)
    return cc_ctl_usage ("list [--json]", _("“list” takes no arguments"));
  workflows = get_all_workflows (ctl);
  if (workflows == NULL)
    return CC_CTL_EXIT_FAILED;
  return print_workflows (ctl, workflows, summary_to_json, headers, summary_add_row);
}

/* Records in the error log, and where to see why. */
static char *
describe_error_log (CcWorkflow1 *proxy)
{
  guint64 n = cc_workflow1_get_error_count (proxy);
  g_autofree char *count = NULL;

  if (n == 0)
    return NULL;
  count = cc_ctl_format_count (n);
  /* Translators: under the status table; the second %s is a workflow id */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s record could not be written: "
                                       "campaign-connector-ctl errors %s --by-reason says why",
                                       "%s records could not be written: "
                                       "campaign-connector-ctl errors %s --by-reason says why",
                                       (gulong) n),
                          count, cc_workflow1_get_id (proxy));
}

/* Under the table, one line each: why a running workflow that is held
 * back waits, records in its error log, and what a workflow's run has
 * to say that is no failure (a notice may hold several lines). */
static void
print_remarks (GPtrArray *workflows)
{
  for (guint i = 0; i < workflows->len; i++)
    {
      CcWorkflow1 *proxy = g_ptr_array_index (workflows, i);
      g_autofree char *error_log = describe_error_log (proxy);
      const char *remarks[] = {
        cc_workflow1_get_waiting (proxy), error_log, cc_workflow1_get_notice (proxy)
      };

      for (guint r = 0; r < G_N_ELEMENTS (remarks); r++)
        {
          g_auto(GStrv) lines = NULL;

          /* An engine of an older version may not have the property. */
          if (remarks[r] == NULL || *remarks[r] == '\0')
            continue;
          lines = g_strsplit (remarks[r], "\n", -1);
          for (guint l = 0; lines[l] != NULL; l++)
            if (*lines[l] != '\0')
              g_print ("%s: %s\n", cc_workflow1_get_id (proxy), lines[l]);
        }
    }
}

static void
status_add_row (CcCtlTable  *table,
                CcWorkflow1 *proxy)
{
  g_autofree char *backlog = cc_ctl_format_count (cc_workflow1_get_backlog (proxy));
  g_autofree char *written = cc_ctl_format_count (cc_workflow1_get_written (proxy));
  g_autofree char *failed = cc_ctl_format_count (cc_workflow1_get_failed (proxy));
  g_autofree char *last_error = cc_ctl_ellipsize (cc_workflow1_get_last_error (proxy), 60);

  cc_ctl_table_add_row (table, cc_workflow1_get_id (proxy),
                        cc_ctl_status_label (cc_workflow1_get_status (proxy)),
                        backlog, written, failed,
                        cc_workflow1_get_pending_changes (proxy) ? _("yes") : _("no"),
                        *last_error != '\0' ? last_error : "—", NULL);
}

int
cc_ctl_status (CcCtl       *ctl,
               int          argc,
               const char **argv)
{
  static const char * const headers[] = {
    N_("ID"), N_("STATUS"), N_("BACKLOG"), N_("WRITTEN"), N_("FAILED"), N_("PENDING"),
    N_("LAST ERROR"), NULL
  };
  g_autoptr(GPtrArray) workflows = NULL;

  if (argc > 1)
    return cc_ctl_usage ("status [ID] [--json]", _("too many arguments"));

  if (argc == 1)
    {
      CcWorkflow1 *proxy = cc_ctl_get_workflow (ctl, argv[0]);

      if (proxy == NULL)
        return CC_CTL_EXIT_FAILED;
      workflows = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (workflows, proxy);
    }
  else
    {
      workflows = get_all_workflows (ctl);
      if (workflows == NULL)
        return CC_CTL_EXIT_FAILED;
    }
  print_workflows (ctl, workflows, workflow_to_json, headers, status_add_row);
  /* JSON is an array of workflows, each with its Waiting and Notice;
   * the allowance is Manager1's to read there. */
  if (!ctl->json)
    {
      print_remarks (workflows);
      cc_ctl_print_allowance (ctl);
    }
  return CC_CTL_EXIT_OK;
}

/* --- start, stop ---------------------------------------------------------- */

static gboolean
on_wait_expired (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Follows Status until it is @target. Failed is the end of any wait; so is
 * Stopped after Starting when waiting for Running (someone stopped it). */
static int
wait_for_status (CcCtl       *ctl,
                 CcWorkflow1 *proxy,
                 const char  *target)
{
  g_autoptr(GSource) deadline = NULL;
  gboolean expired = FALSE;
  gboolean was_starting = FALSE;
  int result;

  if (ctl->timeout_s > 0)
    {
      deadline = g_timeout_source_new_seconds ((guint) ctl->timeout_s);
      g_source_set_callback (deadline, on_wait_expired, &expired, NULL);
      g_source_attach (deadline, NULL);
    }

  catch_up ();
  for (;;)
    {
      const char *status = cc_workflow1_get_status (proxy);
      const char *id = cc_workflow1_get_id (proxy);

      if (g_strcmp0 (status, target) == 0)
        {
          result = CC_CTL_EXIT_OK;
          break;
        }
      if (g_strcmp0 (status, "failed") == 0)
        {
          result = cc_ctl_fail (_("workflow “%s” failed: %s"), id,
                                cc_workflow1_get_last_error (proxy));
          break;
        }
      if (g_strcmp0 (status, "starting") == 0)
        was_starting = TRUE;
      else if (was_starting && g_strcmp0 (status, "stopped") == 0)
        {
          result = cc_ctl_fail (_("workflow “%s” was stopped before it ran"), id);
          break;
        }
      if (g_dbus_proxy_get_name_owner (G_DBUS_PROXY (proxy)) == NULL)
        {
          result = cc_ctl_fail (_("the engine stopped while waiting for “%s”"), id);
          break;
        }
      if (expired)
        {
          result = cc_ctl_fail (_("gave up after %d s waiting for workflow “%s” to be %s "
                                  "(it is %s)"), ctl->timeout_s, id,
                                cc_ctl_status_label (target), cc_ctl_status_label (status));
          break;
        }
      g_main_context_iteration (NULL, TRUE);
    }

  if (deadline != NULL)
    g_source_destroy (deadline);
  return result;
}

/* A call that changes the Status of the workflow named in @argv; with
 * --wait, then following Status until it is @target. */
static int
call_and_wait (CcCtl        *ctl,
               int           argc,
               const char  **argv,
               const char   *synopsis,
               gboolean    (*call) (CcWorkflow1   *proxy,
                                    GCancellable  *cancellable,
                                    GError       **error),
               const char   *target)
{
  g_autoptr(CcWorkflow1) proxy = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  proxy = cc_ctl_get_named_workflow (ctl, argc, argv, synopsis, &status);
  if (proxy == NULL)
    return status;

  if (!call (proxy, NULL, &error))
    return cc_ctl_fail_error (error);
  if (ctl->wait)
    return wait_for_status (ctl, proxy, target);
  return CC_CTL_EXIT_OK;
}

int
cc_ctl_start (CcCtl       *ctl,
              int          argc,
              const char **argv)
{
  return call_and_wait (ctl, argc, argv, "start ID [--wait] [--timeout=SECONDS]",
                        cc_workflow1_call_start_sync, "running");
}

int
cc_ctl_stop (CcCtl       *ctl,
             int          argc,
             const char **argv)
{
  return call_and_wait (ctl, argc, argv, "stop ID [--wait] [--timeout=SECONDS]",
                        cc_workflow1_call_stop_sync, "stopped");
}

/* --- config, replay ------------------------------------------------------- */

static int
config_get (CcCtl      *ctl,
            const char *id)
{
  g_autoptr(CcWorkflow1) proxy = cc_ctl_get_workflow (ctl, id);
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  if (proxy == NULL)
    return CC_CTL_EXIT_FAILED;
  if (!cc_workflow1_call_get_config_sync (proxy, &json, NULL, &error))
    return cc_ctl_fail_error (error);
  g_print ("%s\n", json);
  return CC_CTL_EXIT_OK;
}

static int
config_set (CcCtl      *ctl,
            const char *id,
            const char *file)
{
  g_autoptr(CcWorkflow1) proxy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  /* Read before calling: a missing file is the user's typo, not a
   * problem of the engine. */
  if (g_strcmp0 (file, "-") == 0)
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
      g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

      if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL,
                                  &error) < 0)
        return cc_ctl_fail (_("cannot read the configuration from standard input: %s"),
                            error->message);
      g_output_stream_write (out, "", 1, NULL, NULL);
      json = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
    }
  else if (!g_file_get_contents (file, &json, NULL, &error))
    return cc_ctl_fail ("%s", error->message);

  proxy = cc_ctl_get_workflow (ctl, id);
  if (proxy == NULL)
    return CC_CTL_EXIT_FAILED;
  if (!cc_workflow1_call_set_config_sync (proxy, json, NULL, &error))
    return cc_ctl_fail_error (error);

  catch_up ();
  if (cc_workflow1_get_pending_changes (proxy))
    g_print (_("Saved. “%s” is running: the change applies when it is stopped and started "
               "again.\n"), id);
  else
    g_print (_("Saved.\n"));
  return CC_CTL_EXIT_OK;
}

int
cc_ctl_config (CcCtl       *ctl,
               int          argc,
               const char **argv)
{
  const char *synopsis = "config get ID | config set ID FILE";

  if (argc == 0)
    return cc_ctl_usage (synopsis, _("“get” or “set”?"));
  if (g_str_equal (argv[0], "get"))
    {
      if (argc != 2)
        return cc_ctl_usage ("config get ID", argc < 2 ? _("which workflow?")
                                                       : _("too many arguments"));
      return config_get (ctl, argv[1]);
    }
  if (g_str_equal (argv[0], "set"))
    {
      if (argc != 3)
        return cc_ctl_usage ("config set ID FILE", argc < 3 ? _("a workflow and a file, please")
                                                            : _("too many arguments"));
      return config_set (ctl, argv[1], argv[2]);
    }
  return cc_ctl_usage (synopsis, _("unknown config command “%s”"), argv[0]);
}

int
cc_ctl_replay (CcCtl       *ctl,
               int          argc,
               const char **argv)
{
  g_autoptr(CcWorkflow1) proxy = NULL;
  g_autoptr(GError) error = NULL;

  if (argc != 2)
    return cc_ctl_usage ("replay ID all|ISO-8601-TIME",
                         argc < 2 ? _("a workflow and a time, please") : _("too many arguments"));
  proxy = cc_ctl_get_workflow (ctl, argv[0]);
  if (proxy == NULL)
    return CC_CTL_EXIT_FAILED;
  if (!cc_workflow1_call_replay_sync (proxy, argv[1], NULL, &error))
    return cc_ctl_fail_error (error);
  g_print (_("“%s” will read again what changed since %s.\n"), argv[0], argv[1]);
  return CC_CTL_EXIT_OK;
}

int
cc_ctl_quit (CcCtl       *ctl,
             int          argc,
             const char **argv)
{
  g_autoptr(GError) error = NULL;

  if (argc != 0)
    return cc_ctl_usage ("quit", _("“quit” takes no arguments"));
  if (!cc_manager1_call_quit_sync (ctl->manager, NULL, &error))
    return cc_ctl_fail_error (error);
  return CC_CTL_EXIT_OK;
}
