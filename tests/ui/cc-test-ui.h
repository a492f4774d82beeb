/* cc-test-ui.h — helpers for tests that open real windows under Xvfb. */
#pragma once

#include <adwaita.h>

#include "cc-engine.h"
#include "cc-sandbox.h"
#include "cc-window.h"

G_BEGIN_DECLS

/* Renders @widget as it is on screen into <artifact dir>/<name>.png and
 * returns the path. Fails the test if nothing could be rendered. */
char     *cc_test_ui_save_png      (GtkWidget  *widget,
                                    const char *name);

/* Waits (main loop running) until @widget is mapped and has been drawn. */
gboolean  cc_test_ui_wait_mapped   (GtkWidget  *widget,
                                    guint       timeout_s);

/* Clicks @button: "clicked" at once, as a pointer release does
 * (gtk_widget_activate() would wait for its press animation). */
void      cc_test_ui_click         (GtkWidget  *button);

/* Scrolls the scrolled window around @widget so that @widget is at the
 * top of the view (after the pending layout). */
void      cc_test_ui_scroll_to     (GtkWidget  *widget);

typedef gboolean (*CcTestUiMatch) (GtkWidget *widget,
                                   gpointer   user_data);

/* The first widget under @root (itself included, depth first) of @type
 * for which @match (may be NULL) holds. */
GtkWidget *cc_test_ui_find         (GtkWidget     *root,
                                    GType          type,
                                    CcTestUiMatch  match,
                                    gpointer       user_data);
/* A CcTestUiMatch for GtkButtons: the button's label is @user_data. */
gboolean   cc_test_ui_button_has_label (GtkWidget *widget,
                                        gpointer   user_data);
/* Adds every widget under @root (itself included) of @type to @found,
 * depth first. */
void       cc_test_ui_find_all     (GtkWidget     *root,
                                    GType          type,
                                    GPtrArray     *found);
/* The first toplevel window of @type, or NULL. */
GtkWindow *cc_test_ui_find_window  (GType          type);
/* Destroys every toplevel window. */
void       cc_test_ui_close_all    (void);

/* Clicks the button of @dialog that gives @response, as a user does
 * (the dialog then closes). */
void       cc_test_ui_answer       (AdwMessageDialog *dialog,
                                    const char       *response);

/* One application per test binary, registered (started up) but not run:
 * tests drive the main context themselves. */
GtkApplication *cc_test_ui_get_application (void);

/* A test's world: a temp dir for configuration and state, optionally a
 * sandbox started in-process (ports 0) the engine uses, and the window. */
typedef struct
{
  char      *dir;
  CcSandbox *sandbox;
  CcEngine  *engine;
  CcWindow  *window;
} CcTestUiWorld;

void      cc_test_ui_world_init    (CcTestUiWorld *world,
                                    gboolean       use_sandbox);
/* Opens the window on the world's engine and waits until it is drawn. */
CcWindow *cc_test_ui_world_open    (CcTestUiWorld *world);
void      cc_test_ui_world_clear   (CcTestUiWorld *world);

/* Waits for @workflow to reach @status (TRUE) or for the timeout. */
gboolean  cc_test_ui_wait_status   (CcWorkflow       *workflow,
                                    CcWorkflowStatus  status,
                                    guint             timeout_s);

/* Puts @n records of @workflow into its error log, as refused writes
 * ("The contact does not exist in Dynamics 365", HTTP 400). */
void      cc_test_ui_put_in_error_log (CcEngine   *engine,
                                       const char *workflow,
                                       guint       n);
/* The same with their reasons taken from @reasons in turn (the first
 * record gets the first reason, …). */
void      cc_test_ui_put_reasons_in_error_log (CcEngine           *engine,
                                               const char         *workflow,
                                               guint               n,
                                               const char * const *reasons);

G_END_DECLS
