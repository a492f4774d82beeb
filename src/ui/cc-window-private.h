/* cc-window-private.h — what the files of CcWindow share. */
#pragma once

#include "cc-allowance-bar.h"
#include "cc-window.h"

G_BEGIN_DECLS

struct _CcWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  CcEngine             *engine;
  gboolean              may_close;   /* the close question was answered */
  gulong                failed_handler;

  /* Open dialogs, so that a second click raises the first one:
   * workflow id → GtkWindow (weak). */
  GHashTable           *editors;
  GHashTable           *details;
  GtkWindow            *connections;

  AdwWindowTitle       *window_title;
  GtkMenuButton        *primary_menu_button;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  GtkColumnView        *column_view;
  GtkSingleSelection   *selection;
  GtkColumnViewColumn  *workflow_column;
  GtkColumnViewColumn  *status_column;
  GtkColumnViewColumn  *backlog_column;
  GtkColumnViewColumn  *written_column;
  GtkColumnViewColumn  *failed_column;
  GtkColumnViewColumn  *activity_column;
  GtkColumnViewColumn  *actions_column;
  CcAllowanceBar       *allowance_bar;

  /* The Status column's width follows the status words of the current
   * language and the font (cc-window-columns.c). */
  gboolean              status_width_known;
  guint                 status_width_idle;
  guint                 status_width_tick;
  gulong                font_handler;
  gulong                dpi_handler;
};

/* cc-window-columns.c */
void        cc_window_setup_columns       (CcWindow       *self);
void        cc_window_teardown_columns    (CcWindow       *self);

/* cc-window-actions.c */
void        cc_window_class_add_actions   (GtkWidgetClass *widget_class);
void        cc_window_connect_rows      (CcWindow       *self);
CcWorkflow *cc_window_get_selected        (CcWindow       *self);

/* cc-window-close.c */
/* TRUE when the window may close now (having done what the user chose
 * for the running workflows); FALSE when it asked first. */
gboolean    cc_window_close_or_ask        (CcWindow       *self);
/* win.close-action: the remembered choice, for the main menu. */
void        cc_window_add_close_action    (CcWindow       *self);

/* cc-window.c */
void        cc_window_update_empty_state  (CcWindow       *self);

G_END_DECLS
