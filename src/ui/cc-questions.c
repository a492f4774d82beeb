/* cc-questions.c — the window's questions (AdwMessageDialog).
 *
 * A question is asked where a click would otherwise lose something the
 * user may still want: a running workflow's unapplied edits, an editor's
 * unsaved changes. The D-Bus and command-line paths never ask.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-questions.h"

/* The settings an editor shows, by their configuration member: the
 * names are the editors' own, so the question speaks the same words. */
typedef struct
{
  const char *member;
  const char *label;
} Setting;

static const Setting settings[] = {
  { "mappings", N_("Table mappings") },
  { "page-size", N_("Records per Page") },
  { "poll-interval", N_("Seconds Between Polls") },
  { "write-concurrency", N_("Parallel Writes") },
  { "event-types", N_("Email Marketing Events") },
  { "source", N_("Read Events From") },
  { "journal-limit", N_("Events per Journal Page") },
  { "batch-size", N_("Batch Size") },
  { "missing-contact", N_("When the Contact Does Not Exist") },
  { "event-fields", N_("Event Payload Fields") },
  { "target-columns", N_("Dynamics 365 Columns") },
  { "direction", N_("Direction") },
  { "conflict-policy", N_("When Both Sides Changed") },
  { "pairs", N_("Field Pairs") },
  { "campaign-resource", N_("Campaign Resource") },
  { "campaign-key", N_("Field Holding the Dynamics 365 Id") },
  { "key-filter", N_("Filter to Find a Profile by Id") },
  { "modified-filter", N_("Filter to Find Changed Profiles") },
};

static const char *
setting_label (const char *member)
{
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (g_str_equal (settings[i].member, member))
      return _(settings[i].label);
  return member;
}

static JsonObject *
as_object (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gboolean
member_differs (JsonObject *a,
                JsonObject *b,
                const char *member)
{
  JsonNode *x = json_object_get_member (a, member);
  JsonNode *y = json_object_get_member (b, member);

  return x == NULL || y == NULL || !json_node_equal (x, y);
}

/* Adds each member of @a that differs in @b and is not in @seen yet. */
static void
add_differences (GPtrArray  *labels,
                 GHashTable *seen,
                 JsonObject *a,
                 JsonObject *b)
{
  g_autoptr(GList) members = json_object_get_members (a);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *member = l->data;

      if (g_hash_table_contains (seen, member) || !member_differs (a, b, member))
        continue;
      g_hash_table_add (seen, (gpointer) member);
      g_ptr_array_add (labels, (gpointer) setting_label (member));
    }
}

char *
cc_questions_describe_pending (CcWorkflow *workflow)
{
  JsonObject *edited = as_object (cc_workflow_get_config_node (workflow));
  JsonObject *applied = as_object (cc_workflow_get_applied_config (workflow));
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (CC_IS_WORKFLOW (workflow), NULL);

  if (edited == NULL || applied == NULL)
    return NULL;
  add_differences (labels, seen, edited, applied);
  add_differences (labels, seen, applied, edited);
  if (labels->len == 0)
    return NULL;
  g_ptr_array_add (labels, NULL);
  /* Translators: the separator between the names of changed settings */
  return g_strjoinv (_(", "), (char **) labels->pdata);
}

AdwMessageDialog *
cc_questions_stop_pending (GtkWindow  *parent,
                           CcWorkflow *workflow)
{
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *changed = cc_questions_describe_pending (workflow);
  AdwMessageDialog *dialog;

  /* Translators: %s is a workflow's title */
  heading = g_strdup_printf (_("Stop “%s”?"), cc_workflow_get_title (workflow));
  if (changed != NULL)
    /* Translators: %s lists the changed settings, e.g. "Parallel Writes, Field Pairs" */
    body = g_strdup_printf (_("Edits saved while it was running are not in use yet (%s). "
                              "They take effect when the workflow is started again."),
                            changed);
  else
    body = g_strdup (_("Edits saved while it was running are not in use yet. "
                       "They take effect when the workflow is started again."));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "stop", C_("action", "_Stop"),
                                    NULL);
  adw_message_dialog_set_default_response (dialog, "stop");
  adw_message_dialog_set_close_response (dialog, "cancel");
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

AdwMessageDialog *
cc_questions_discard (GtkWindow  *parent,
                      const char *what)
{
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  /* Translators: %s is what was being edited: a workflow's title or "Connections" */
  body = g_strdup_printf (_("The changes to “%s” have not been saved. If you close now, "
                            "they are lost."), what);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Discard Changes?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "keep", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

AdwMessageDialog *
cc_questions_close_running (GtkWindow *parent,
                            guint      n_running)
{
  g_autofree char *body = NULL;
  g_autofree char *count = g_strdup_printf ("%u", n_running);
  AdwMessageDialog *dialog;
  GtkWidget *remember;

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s workflow is running. Campaign Connector can keep "
                                       "syncing without its window: start campaign-connector "
                                       "again (or open Campaign Connector from your "
                                       "applications) to bring the window back.",
                                       "%s workflows are running. Campaign Connector can keep "
                                       "syncing without its window: start campaign-connector "
                                       "again (or open Campaign Connector from your "
                                       "applications) to bring the window back.",
                                       n_running),
                          count);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Keep Syncing in the Background?"),
                                                       body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "stop", _("_Stop Workflows"),
                                    "background", _("_Keep Syncing"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "background", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "background");
  adw_message_dialog_set_close_response (dialog, "cancel");

  remember = gtk_check_button_new_with_mnemonic (_("_Remember my choice"));
  gtk_widget_set_halign (remember, GTK_ALIGN_CENTER);
  adw_message_dialog_set_extra_child (dialog, remember);
  g_object_set_data (G_OBJECT (dialog), "cc-remember", remember);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

gboolean
cc_questions_get_remember (AdwMessageDialog *question)
{
  GtkCheckButton *remember = g_object_get_data (G_OBJECT (question), "cc-remember");

  g_return_val_if_fail (GTK_IS_CHECK_BUTTON (remember), FALSE);
  return gtk_check_button_get_active (remember);
}

gboolean
cc_close_window_idle (gpointer window)
{
  gtk_window_close (GTK_WINDOW (window));
  return G_SOURCE_REMOVE;
}
