/* cc-test-ui.c — screenshots, widget lookups, waits and the world of a
 * UI test. */
#include "config.h"

#include <glib/gstdio.h>

#include "cc-test-ui.h"
#include "cc-test-util.h"

typedef struct
{
  GtkWidget     *widget;
  GskRenderNode *node;
  int            width;
  int            height;
} Capture;

/* Right after a paint the layout is done, even while an animation keeps
 * queueing new ones: the moment to take the picture. */
static void
on_after_paint (GdkFrameClock *clock,
                Capture       *capture)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;

  if (capture->node != NULL)
    return;
  capture->width = gtk_widget_get_width (capture->widget);
  capture->height = gtk_widget_get_height (capture->widget);
  if (capture->width <= 0 || capture->height <= 0)
    return;
  paintable = gtk_widget_paintable_new (capture->widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, capture->width, capture->height);
  capture->node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (capture->node == NULL)
    gtk_widget_queue_draw (capture->widget);
}

static gboolean
captured (gpointer user_data)
{
  return ((Capture *) user_data)->node != NULL;
}

char *
cc_test_ui_save_png (GtkWidget  *widget,
                     const char *name)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path = cc_test_artifact_path (file);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  Capture capture = { widget, NULL, 0, 0 };
  GskRenderer *renderer;
  gulong handler;

  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &capture);
  gtk_widget_queue_draw (widget);
  g_assert_true (cc_test_wait_until (captured, &capture, 30));
  g_signal_handler_disconnect (clock, handler);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, capture.node,
                                         &GRAPHENE_RECT_INIT (0, 0, capture.width, capture.height));
  gsk_render_node_unref (capture.node);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
  return path;
}

static void
on_painted (GdkFrameClock *clock,
            gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
is_true (gpointer user_data)
{
  return *(gboolean *) user_data;
}

void
cc_test_ui_scroll_to (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  GtkAdjustment *adjustment;
  graphene_point_t point;
  gboolean painted = FALSE;
  gulong handler;

  g_assert_nonnull (scrolled);
  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_painted), &painted);
  gtk_widget_queue_resize (widget);
  g_assert_true (cc_test_wait_until (is_true, &painted, 30));
  g_signal_handler_disconnect (clock, handler);

  /* Where the widget sits in the scrolled content. */
  g_assert_true (gtk_widget_compute_point (widget, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adjustment, point.y - 12);
}

static gboolean
is_drawn (gpointer user_data)
{
  GtkWidget *widget = user_data;

  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

gboolean
cc_test_ui_wait_mapped (GtkWidget *widget,
                        guint      timeout_s)
{
  return cc_test_wait_until (is_drawn, widget, timeout_s);
}

void
cc_test_ui_click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_mapped (button));
  g_signal_emit_by_name (button, "clicked");
}

GtkWidget *
cc_test_ui_find (GtkWidget     *root,
                 GType          type,
                 CcTestUiMatch  match,
                 gpointer       user_data)
{
  if (root == NULL)
    return NULL;
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (match == NULL || match (root, user_data)))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cc_test_ui_find (child, type, match, user_data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

void
cc_test_ui_find_all (GtkWidget *root,
                     GType      type,
                     GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (found, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    cc_test_ui_find_all (child, type, found);
}

gboolean
cc_test_ui_button_has_label (GtkWidget *widget,
                             gpointer   user_data)
{
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), user_data) == 0;
}

GtkWindow *
cc_test_ui_find_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }
  return NULL;
}

void
cc_test_ui_close_all (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);
      gtk_window_destroy (window);
    }
}

void
cc_test_ui_answer (AdwMessageDialog *dialog,
                   const char       *response)
{
  const char *label = adw_message_dialog_get_response_label (dialog, response);
  GtkWidget *button;

  g_assert_nonnull (label);
  button = cc_test_ui_find (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, cc_test_ui_button_has_label,
                            (gpointer) label);
  g_assert_nonnull (button);
  cc_test_ui_click (button);
}

GtkApplication *
cc_test_ui_get_application (void)
{
  static GtkApplication *app;

  if (app == NULL)
    {
      g_autoptr(GError) error = NULL;

      app = GTK_APPLICATION (g_object_new (ADW_TYPE_APPLICATION,
                                           "application-id", APP_ID ".Test",
                                           "resource-base-path", APP_PATH,
                                           "flags", G_APPLICATION_NON_UNIQUE,
                                           NULL));
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
      g_assert_no_error (error);
      /* Pictures of settled widgets, not of transitions half way. */
      g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
    }
  return app;
}

void
cc_test_ui_world_init (CcTestUiWorld *world,
                       gboolean       use_sandbox)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *state = NULL;

  memset (world, 0, sizeof *world);
  world->dir = g_dir_make_tmp ("cc-ui-XXXXXX", &error);
  g_assert_no_error (error);
  config = g_build_filename (world->dir, "config.json", NULL);
  state = g_build_filename (world->dir, "state.db", NULL);

  world->engine = cc_engine_new (config, state, &error);
  g_assert_no_error (error);
  g_assert_nonnull (world->engine);

  if (use_sandbox)
    {
      CcSandboxOptions options;

      cc_sandbox_options_init (&options);
      options.dataverse_port = 0;
      options.campaign_port = 0;
      world->sandbox = cc_sandbox_new (&options);
      g_assert_true (cc_sandbox_start (world->sandbox, &error));
      g_assert_no_error (error);
      cc_engine_use_sandbox (world->engine, cc_sandbox_get_dataverse_url (world->sandbox),
                             cc_sandbox_get_campaign_url (world->sandbox));
    }
}

CcWindow *
cc_test_ui_world_open (CcTestUiWorld *world)
{
  world->window = cc_window_new_for_engine (cc_test_ui_get_application (), world->engine);
  g_object_add_weak_pointer (G_OBJECT (world->window), (gpointer *) &world->window);
  gtk_window_present (GTK_WINDOW (world->window));
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (world->window), 30));
  return world->window;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
cc_test_ui_world_clear (CcTestUiWorld *world)
{
  cc_test_ui_close_all ();
  if (world->engine != NULL)
    cc_engine_shutdown (world->engine);
  g_clear_object (&world->engine);
  if (world->sandbox != NULL)
    cc_sandbox_stop (world->sandbox);
  g_clear_object (&world->sandbox);
  /* Let idle callbacks of destroyed widgets run before the next test. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (world->dir != NULL)
    remove_tree (world->dir);
  g_clear_pointer (&world->dir, g_free);
}

typedef struct
{
  CcWorkflow       *workflow;
  CcWorkflowStatus  status;
} StatusWait;

static gboolean
has_status (gpointer user_data)
{
  StatusWait *wait = user_data;

  return cc_workflow_get_status (wait->workflow) == wait->status;
}

gboolean
cc_test_ui_wait_status (CcWorkflow       *workflow,
                        CcWorkflowStatus  status,
                        guint             timeout_s)
{
  StatusWait wait = { workflow, status };

  return cc_test_wait_until (has_status, &wait, timeout_s);
}

void
cc_test_ui_put_in_error_log (CcEngine   *engine,
                             const char *workflow,
                             guint       n)
{
  static const char * const reasons[] = { "The contact does not exist in Dynamics 365", NULL };

  cc_test_ui_put_reasons_in_error_log (engine, workflow, n, reasons);
}

void
cc_test_ui_put_reasons_in_error_log (CcEngine           *engine,
                                     const char         *workflow,
                                     guint               n,
                                     const char * const *reasons)
{
  CcStore *store = cc_engine_get_store (engine);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_queue_item_free);
  g_autoptr(GPtrArray) leased = NULL;
  g_autoptr(CcStoreBatch) outcomes = cc_store_batch_new (workflow);
  g_autoptr(GError) error = NULL;
  guint n_reasons = g_strv_length ((char **) reasons);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *key = g_strdup_printf ("event-%u", i);
      g_autofree char *payload = g_strdup_printf ("{\"id\": \"event-%u\", \"name\": \"Müller\"}", i);

      g_ptr_array_add (items, cc_queue_item_new ("send", key, CC_QUEUE_OP_UPSERT, payload, 0));
    }
  g_assert_true (cc_store_enqueue (store, workflow, items, NULL, NULL, &error));
  g_assert_no_error (error);
  leased = cc_store_lease (store, workflow, n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (leased->len, ==, n);
  for (guint i = 0; i < leased->len; i++)
    cc_store_batch_fail (outcomes, ((CcQueueItem *) g_ptr_array_index (leased, i))->id, 400,
                         reasons[i % n_reasons]);
  g_assert_true (cc_store_settle (store, outcomes, &error));
  g_assert_no_error (error);
}
