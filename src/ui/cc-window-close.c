/* cc-window-close.c — closing the main window while workflows run.
 *
 * The engine lives in the application, not in the window: closing the
 * window can leave it syncing in the background (the application is held,
 * as with --headless, and a later campaign-connector opens a window on
 * the same engine) or stop the workflows first. The window asks which,
 * unless the user had it remembered (GSettings "close-action"; the main
 * menu changes it too).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-questions.h"
#include "cc-window-private.h"

/* On the application: set while a window's close holds it in the
 * background, so that one hold is taken and given back. */
#define BACKGROUND_HOLD "cc-background-hold"

static guint
count_running (CcWindow *self)
{
  GListModel *workflows = cc_engine_get_workflows (self->engine);
  guint running = 0;

  for (guint i = 0; i < g_list_model_get_n_items (workflows); i++)
    {
      g_autoptr(CcWorkflow) workflow = g_list_model_get_item (workflows, i);
      CcWorkflowStatus status = cc_workflow_get_status (workflow);

      running += status == CC_WORKFLOW_STARTING || status == CC_WORKFLOW_RUNNING;
    }
  return running;
}

static void
stop_running (CcWindow *self)
{
  GListModel *workflows = cc_engine_get_workflows (self->engine);

  for (guint i = 0; i < g_list_model_get_n_items (workflows); i++)
    {
      g_autoptr(CcWorkflow) workflow = g_list_model_get_item (workflows, i);

      cc_workflow_stop (workflow);
    }
}

static void
keep_in_background (CcWindow *self)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GNotification) notification = NULL;

  if (app == NULL)
    return;
  if (g_object_get_data (G_OBJECT (app), BACKGROUND_HOLD) == NULL)
    {
      g_application_hold (app);
      g_object_set_data (G_OBJECT (app), BACKGROUND_HOLD, GINT_TO_POINTER (TRUE));
    }
  notification = g_notification_new (_("Campaign Connector keeps syncing"));
  g_notification_set_body (notification,
                           _("The workflows go on without the window. Start campaign-connector "
                             "again to open it."));
  g_application_send_notification (app, "background", notification);
}

/* Nothing to keep syncing for: the application may end with its last
 * window again. */
static void
release_background (CcWindow *self)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (app == NULL || g_object_get_data (G_OBJECT (app), BACKGROUND_HOLD) == NULL)
    return;
  g_object_set_data (G_OBJECT (app), BACKGROUND_HOLD, NULL);
  g_application_release (app);
}

/* What @action ("background" or "stop") does before the window goes. */
static void
carry_out (CcWindow   *self,
           const char *action)
{
  if (g_str_equal (action, "background"))
    keep_in_background (self);
  else
    {
      stop_running (self);
      release_background (self);
    }
}

static void
on_close_response (AdwMessageDialog *question,
                   const char       *response,
                   CcWindow         *self)
{
  if (g_str_equal (response, "cancel"))
    return;
  if (cc_questions_get_remember (question))
    g_settings_set_string (self->settings, "close-action", response);
  carry_out (self, response);
  self->may_close = TRUE;
  /* After the question is gone: it must not outlive its parent. */
  g_idle_add_full (G_PRIORITY_DEFAULT, cc_close_window_idle, g_object_ref (self), g_object_unref);
}

gboolean
cc_window_close_or_ask (CcWindow *self)
{
  g_autofree char *action = NULL;
  AdwMessageDialog *question;
  guint running;

  if (self->may_close)
    return TRUE;
  running = count_running (self);
  if (running == 0)
    {
      release_background (self);
      return TRUE;
    }

  action = g_settings_get_string (self->settings, "close-action");
  if (!g_str_equal (action, "ask"))
    {
      carry_out (self, action);
      return TRUE;
    }
  question = cc_questions_close_running (GTK_WINDOW (self), running);
  g_signal_connect_object (question, "response", G_CALLBACK (on_close_response), self, 0);
  return FALSE;
}

void
cc_window_add_close_action (CcWindow *self)
{
  g_autoptr(GAction) action = g_settings_create_action (self->settings, "close-action");

  g_action_map_add_action (G_ACTION_MAP (self), action);
}
