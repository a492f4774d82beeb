/* test-dialogs.c — the edit dialogs, the connections dialog and the
 * workflow details, against a real engine (and the sandbox where a
 * service is needed), with a screenshot of each. */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-allowance-bar.h"
#include "cc-connections-dialog.h"
#include "cc-dynamics-users.h"
#include "cc-edit-dialog.h"
#include "cc-egress-dialog.h"
#include "cc-error-row.h"
#include "cc-filter-row.h"
#include "cc-ingress-dialog.h"
#include "cc-mapping-editor.h"
#include "cc-optinout-dialog.h"
#include "cc-pair-row.h"
#include "cc-picker-row.h"
#include "cc-secrets.h"
#include "cc-test-ui.h"
#include "cc-test-util.h"
#include "cc-transform-row.h"
#include "cc-workflow-details.h"

#define TIMEOUT 60

static GtkWindow *
open_editor (CcTestUiWorld *world,
             const char    *id,
             GType          type)
{
  GtkWindow *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (world->window), "win.edit", "s", id));
  dialog = cc_test_ui_find_window (type);
  g_assert_nonnull (dialog);
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (dialog), TIMEOUT));
  return dialog;
}

static gboolean
window_gone (gpointer user_data)
{
  return cc_test_ui_find_window (GPOINTER_TO_SIZE (user_data)) == NULL;
}

static JsonObject *
workflow_config (CcEngine   *engine,
                 const char *id)
{
  JsonNode *node = cc_workflow_get_config_node (cc_engine_find_workflow (engine, id));

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

/* Clicks Save and checks that the dialog took it and closed. */
static void
save_and_close (gpointer dialog)
{
  g_autoptr(GtkWindow) keep = g_object_ref (dialog);

  cc_test_ui_click (GTK_WIDGET (cc_edit_dialog_get_save_button (CC_EDIT_DIALOG (dialog))));
  g_assert_null (cc_edit_dialog_get_error (CC_EDIT_DIALOG (dialog)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
}

/* ---- ingress ------------------------------------------------------- */

static gboolean
picker_has_choices (gpointer user_data)
{
  return cc_picker_row_get_n_choices (user_data) > 0;
}

static gboolean
is_title (GtkWidget *widget,
          gpointer   user_data)
{
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), user_data) == 0;
}

static gboolean
subtitle_is (gpointer user_data)
{
  AdwActionRow *row = user_data;
  const char *wanted = g_object_get_data (G_OBJECT (row), "wanted");

  return g_strcmp0 (adw_action_row_get_subtitle (row), wanted) == 0;
}

static gboolean
is_default_transform (GtkWidget *widget,
                      gpointer   user_data)
{
  return g_strcmp0 (cc_transform_row_get_op (CC_TRANSFORM_ROW (widget)), "default") == 0;
}

static gboolean
expander_subtitle_is (gpointer user_data)
{
  /* firstname (Dynamics 365) → firstName (Campaign) */
  return g_strcmp0 (adw_expander_row_get_subtitle (user_data), "String → string") == 0;
}

static gboolean
has_general_page (GtkWidget *widget,
                  gpointer   user_data)
{
  return gtk_stack_get_child_by_name (GTK_STACK (widget), "general") != NULL;
}

static void
test_ingress_live_schema (void)
{
  CcTestUiWorld world;
  CcFieldRow *field;
  CcTransformRow *transform;
  g_autofree char *png = NULL;
  CcIngressDialog *dialog;
  CcMappingEditor *editor;
  CcPickerRow *source;
  AdwActionRow *primary_key;
  GtkStack *stack;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  dialog = CC_INGRESS_DIALOG (open_editor (&world, "ingress", CC_TYPE_INGRESS_DIALOG));

  /* It opens on its General page, not on a mapping. */
  stack = GTK_STACK (cc_test_ui_find (GTK_WIDGET (dialog), GTK_TYPE_STACK, has_general_page, NULL));
  g_assert_nonnull (stack);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "general");

  /* Out of the box: contacts into profiles, with their field mappings. */
  g_assert_cmpuint (cc_ingress_dialog_get_n_mappings (dialog), >=, 1);
  cc_ingress_dialog_show_mapping (dialog, 0);
  editor = cc_ingress_dialog_get_mapping (dialog, 0);
  g_assert_true (gtk_stack_get_visible_child (stack) == GTK_WIDGET (editor));
  g_assert_true (cc_mapping_editor_get_tables_fixed (editor));
  g_assert_cmpuint (cc_mapping_editor_get_n_fields (editor), >=, 1);

  /* The sandbox's schema arrives: tables to pick, the primary key shown. */
  source = CC_PICKER_ROW (cc_test_ui_find (GTK_WIDGET (editor), CC_TYPE_PICKER_ROW, is_title,
                                           (gpointer) _("Dynamics 365 Table")));
  g_assert_nonnull (source);
  g_assert_true (cc_test_wait_until (picker_has_choices, source, TIMEOUT));
  primary_key = ADW_ACTION_ROW (cc_test_ui_find (GTK_WIDGET (editor), ADW_TYPE_ACTION_ROW, is_title,
                                                 (gpointer) _("Dynamics 365 Primary Key")));
  g_assert_nonnull (primary_key);
  g_object_set_data (G_OBJECT (primary_key), "wanted", (gpointer) "contactid");
  g_assert_true (cc_test_wait_until (subtitle_is, primary_key, TIMEOUT));

  /* Each field mapping shows both data types; unfolded, it edits its
   * transforms and replacements. */
  field = cc_mapping_editor_get_field (editor, 0);
  g_assert_true (cc_test_wait_until (expander_subtitle_is, field, TIMEOUT));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (field), TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (field), "field.add-transform", "s", "trim"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (field), "field.add-transform", "s", "default"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (field), "field.add-replacement", NULL));
  transform = CC_TRANSFORM_ROW (cc_test_ui_find (GTK_WIDGET (field), CC_TYPE_TRANSFORM_ROW,
                                                 is_default_transform, NULL));
  g_assert_nonnull (transform);
  gtk_editable_set_text (GTK_EDITABLE (cc_transform_row_get_widget (transform, "value")), "n/a");
  cc_test_ui_scroll_to (GTK_WIDGET (field));
  png = cc_test_ui_save_png (GTK_WIDGET (dialog), "ingress-dialog-field");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));

  cc_test_ui_world_clear (&world);
}

static void
test_ingress_bad_filter (void)
{
  CcTestUiWorld world;
  CcIngressDialog *dialog;
  CcMappingEditor *editor;
  CcFilterRow *filter;
  JsonObject *mapping, *filters, *condition;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *png = NULL;
  const char *error;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  before = cc_workflow_get_config (cc_engine_find_workflow (world.engine, "ingress"));
  dialog = CC_INGRESS_DIALOG (open_editor (&world, "ingress", CC_TYPE_INGRESS_DIALOG));
  editor = cc_ingress_dialog_get_mapping (dialog, 0);

  /* Add Condition, type a field name that is not a logical name. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "mapping.add-filter", NULL));
  g_assert_cmpuint (cc_mapping_editor_get_n_filters (editor), ==, 1);
  filter = cc_mapping_editor_get_filter (editor, 0);
  gtk_editable_set_text (GTK_EDITABLE (cc_filter_row_get_widget (filter, "field")), "State Code");
  gtk_editable_set_text (GTK_EDITABLE (cc_filter_row_get_widget (filter, "value")), "0");

  cc_test_ui_click (GTK_WIDGET (cc_edit_dialog_get_save_button (CC_EDIT_DIALOG (dialog))));

  /* Refused: the dialog stays, the message sits beside the field, and
   * nothing was stored. */
  error = cc_edit_dialog_get_error (CC_EDIT_DIALOG (dialog));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error, "mappings[0].filters.conditions[0].field: "));
  g_assert_nonnull (cc_edit_row_get_error (CC_EDIT_ROW (filter)));
  g_assert_nonnull (strstr (error, cc_edit_row_get_error (CC_EDIT_ROW (filter))));
  g_assert_nonnull (strstr (cc_edit_row_get_error (CC_EDIT_ROW (filter)), "State Code"));
  g_assert_true (gtk_widget_has_css_class (cc_filter_row_get_widget (filter, "field"), "error"));
  g_assert_true (cc_test_ui_find_window (CC_TYPE_INGRESS_DIALOG) == GTK_WINDOW (dialog));
  after = cc_workflow_get_config (cc_engine_find_workflow (world.engine, "ingress"));
  g_assert_cmpstr (before, ==, after);

  cc_test_ui_scroll_to (GTK_WIDGET (filter));
  png = cc_test_ui_save_png (GTK_WIDGET (dialog), "ingress-dialog");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));

  /* Fixed: saved, with the value as the number it is. */
  gtk_editable_set_text (GTK_EDITABLE (cc_filter_row_get_widget (filter, "field")), "statecode");
  save_and_close (dialog);
  g_assert_true (cc_test_wait_until (window_gone, GSIZE_TO_POINTER (CC_TYPE_INGRESS_DIALOG), TIMEOUT));

  mapping = json_array_get_object_element (json_object_get_array_member (workflow_config (world.engine, "ingress"),
                                                                         "mappings"), 0);
  filters = json_object_get_object_member (mapping, "filters");
  g_assert_nonnull (filters);
  condition = json_array_get_object_element (json_object_get_array_member (filters, "conditions"), 0);
  g_assert_cmpstr (json_object_get_string_member (condition, "field"), ==, "statecode");
  g_assert_cmpstr (json_object_get_string_member (condition, "op"), ==, "eq");
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (condition, "value")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (condition, "value"), ==, 0);

  cc_test_ui_world_clear (&world);
}

static void
type_into (GtkWidget  *root,
           const char *title,
           const char *text)
{
  GtkWidget *row = cc_test_ui_find (root, CC_TYPE_PICKER_ROW, is_title, (gpointer) title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static gboolean
is_remove_mapping (GtkWidget *widget,
                   gpointer   user_data)
{
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), _("_Remove Mapping")) == 0;
}

static void
test_ingress_add_mapping (void)
{
  CcTestUiWorld world;
  CcIngressDialog *dialog;
  CcMappingEditor *editor;
  CcFieldRow *field;
  AdwActionRow *primary_key;
  JsonArray *mappings;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  dialog = CC_INGRESS_DIALOG (open_editor (&world, "ingress", CC_TYPE_INGRESS_DIALOG));
  g_assert_cmpuint (cc_ingress_dialog_get_n_mappings (dialog), ==, 1);

  /* A custom table into a custom resource: tables can be typed while new. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "ingress.add-mapping", NULL));
  g_assert_cmpuint (cc_ingress_dialog_get_n_mappings (dialog), ==, 2);
  editor = cc_ingress_dialog_get_mapping (dialog, 1);
  g_assert_false (cc_mapping_editor_get_tables_fixed (editor));
  type_into (GTK_WIDGET (editor), _("Dynamics 365 Table"), "new_membership");
  type_into (GTK_WIDGET (editor), _("Campaign Resource"), "customResources/cusMembership");
  type_into (GTK_WIDGET (editor), _("Campaign Key Field"), "cusMembershipId");
  g_assert_cmpstr (cc_mapping_editor_get_title (editor), ==, "new_membership → cusMembership");

  /* The primary key comes from the live schema of the typed table. */
  primary_key = ADW_ACTION_ROW (cc_test_ui_find (GTK_WIDGET (editor), ADW_TYPE_ACTION_ROW, is_title,
                                                 (gpointer) _("Dynamics 365 Primary Key")));
  g_object_set_data (G_OBJECT (primary_key), "wanted", (gpointer) "new_membershipid");
  g_assert_true (cc_test_wait_until (subtitle_is, primary_key, TIMEOUT));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "mapping.add-field", NULL));
  field = cc_mapping_editor_get_field (editor, 0);
  type_into (GTK_WIDGET (field), _("Dynamics 365 Field"), "new_name");
  type_into (GTK_WIDGET (field), _("Campaign Field"), "cusName");
  save_and_close (dialog);

  mappings = json_object_get_array_member (workflow_config (world.engine, "ingress"), "mappings");
  g_assert_cmpuint (json_array_get_length (mappings), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (mappings, 1), "source"),
                   ==, "new_membership");

  /* Saved once, its tables are fixed; Remove Mapping takes it out. */
  dialog = CC_INGRESS_DIALOG (open_editor (&world, "ingress", CC_TYPE_INGRESS_DIALOG));
  g_assert_cmpuint (cc_ingress_dialog_get_n_mappings (dialog), ==, 2);
  editor = cc_ingress_dialog_get_mapping (dialog, 1);
  g_assert_true (cc_mapping_editor_get_tables_fixed (editor));
  cc_ingress_dialog_show_mapping (dialog, 1);
  cc_test_ui_click (cc_test_ui_find (GTK_WIDGET (editor), GTK_TYPE_BUTTON, is_remove_mapping, NULL));
  g_assert_cmpuint (cc_ingress_dialog_get_n_mappings (dialog), ==, 1);

  /* A removed page takes only its own schema requests with it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "ingress.add-mapping", NULL));
  editor = cc_ingress_dialog_get_mapping (dialog, 1);
  type_into (GTK_WIDGET (editor), _("Dynamics 365 Table"), "new_membership");
  primary_key = ADW_ACTION_ROW (cc_test_ui_find (GTK_WIDGET (editor), ADW_TYPE_ACTION_ROW, is_title,
                                                 (gpointer) _("Dynamics 365 Primary Key")));
  g_object_set_data (G_OBJECT (primary_key), "wanted", (gpointer) "new_membershipid");
  g_assert_true (cc_test_wait_until (subtitle_is, primary_key, TIMEOUT));
  cc_test_ui_click (cc_test_ui_find (GTK_WIDGET (editor), GTK_TYPE_BUTTON, is_remove_mapping, NULL));
  save_and_close (dialog);
  mappings = json_object_get_array_member (workflow_config (world.engine, "ingress"), "mappings");
  g_assert_cmpuint (json_array_get_length (mappings), ==, 1);

  cc_test_ui_world_clear (&world);
}

/* ---- egress and opt-in/out ------------------------------------------ */

static gboolean
is_batch_spin (GtkWidget *widget,
               gpointer   user_data)
{
  return gtk_adjustment_get_upper (gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (widget))) == 1000;
}

static void
test_egress_dialog (void)
{
  CcTestUiWorld world;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  AdwPreferencesGroup *group;
  GtkWindow *dialog;
  GtkSpinButton *batch;
  JsonObject *config, *types;
  g_autofree char *png = NULL;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  dialog = open_editor (&world, "egress", CC_TYPE_EGRESS_DIALOG);

  png = cc_test_ui_save_png (GTK_WIDGET (dialog), "egress-dialog");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));

  /* Nothing to send is refused, and said on the event types. */
  cc_test_ui_find_all (GTK_WIDGET (dialog), ADW_TYPE_EXPANDER_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (adw_expander_row_get_show_enable_switch (g_ptr_array_index (rows, i)))
      adw_expander_row_set_enable_expansion (g_ptr_array_index (rows, i), FALSE);
  cc_test_ui_click (GTK_WIDGET (cc_edit_dialog_get_save_button (CC_EDIT_DIALOG (dialog))));
  g_assert_true (g_str_has_prefix (cc_edit_dialog_get_error (CC_EDIT_DIALOG (dialog)), "event-types"));
  group = ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (g_ptr_array_index (rows, 0),
                                                          ADW_TYPE_PREFERENCES_GROUP));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (group), "error"));
  g_assert_nonnull (strstr (cc_edit_dialog_get_error (CC_EDIT_DIALOG (dialog)),
                            adw_preferences_group_get_description (group)));
  for (guint i = 0; i < rows->len; i++)
    if (adw_expander_row_get_show_enable_switch (g_ptr_array_index (rows, i)))
      adw_expander_row_set_enable_expansion (g_ptr_array_index (rows, i), TRUE);

  batch = GTK_SPIN_BUTTON (cc_test_ui_find (GTK_WIDGET (dialog), GTK_TYPE_SPIN_BUTTON,
                                            is_batch_spin, NULL));
  g_assert_nonnull (batch);
  gtk_spin_button_set_value (batch, 250);
  save_and_close (dialog);
  g_assert_true (cc_test_wait_until (window_gone, GSIZE_TO_POINTER (CC_TYPE_EGRESS_DIALOG), TIMEOUT));

  config = workflow_config (world.engine, "egress");
  g_assert_cmpint (json_object_get_int_member (config, "batch-size"), ==, 250);
  types = json_object_get_object_member (config, "event-types");
  g_assert_nonnull (types);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (types, "click"),
                                                 "enabled"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (types, "click"),
                                                  "table"), ==, "new_emailclick");

  cc_test_ui_world_clear (&world);
}

static gboolean
is_remove_button (GtkWidget *widget,
                  gpointer   user_data)
{
  return g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), "user-trash-symbolic") == 0;
}

static void
test_optinout_dialog (void)
{
  CcTestUiWorld world;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  CcPairRow *third;
  GtkWindow *dialog;
  AdwComboRow *direction;
  JsonObject *config;
  JsonArray *pairs;
  g_autofree char *png = NULL;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  dialog = open_editor (&world, "optinout", CC_TYPE_OPTINOUT_DIALOG);

  direction = ADW_COMBO_ROW (cc_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_COMBO_ROW, is_title,
                                              (gpointer) _("Synchronize")));
  g_assert_nonnull (direction);
  adw_combo_row_set_selected (direction, 2);

  /* A third pair that repeats the first Dynamics 365 field is refused,
   * beside that pair. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "optinout.add-pair", NULL));
  cc_test_ui_find_all (GTK_WIDGET (dialog), CC_TYPE_PAIR_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 3);
  third = g_ptr_array_index (rows, 2);
  gtk_editable_set_text (GTK_EDITABLE (cc_pair_row_get_dynamics_widget (third)), "donotbulkemail");
  cc_test_ui_click (GTK_WIDGET (cc_edit_dialog_get_save_button (CC_EDIT_DIALOG (dialog))));
  g_assert_true (g_str_has_prefix (cc_edit_dialog_get_error (CC_EDIT_DIALOG (dialog)), "pairs[2]."));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (cc_edit_row_get_error_label (CC_EDIT_ROW (third)))));
  g_assert_nonnull (strstr (gtk_label_get_label (cc_edit_row_get_error_label (CC_EDIT_ROW (third))), "pairs[0]"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (cc_edit_row_get_error_label (g_ptr_array_index (rows, 0)))));
  g_assert_cmpstr (json_object_get_string_member (workflow_config (world.engine, "optinout"), "direction"),
                   !=, "bidirectional");
  /* Its trash button takes it away again. */
  cc_test_ui_click (cc_test_ui_find (GTK_WIDGET (third), GTK_TYPE_BUTTON, is_remove_button, NULL));
  png = cc_test_ui_save_png (GTK_WIDGET (dialog), "optinout-dialog");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));

  save_and_close (dialog);
  g_assert_true (cc_test_wait_until (window_gone, GSIZE_TO_POINTER (CC_TYPE_OPTINOUT_DIALOG), TIMEOUT));

  config = workflow_config (world.engine, "optinout");
  g_assert_cmpstr (json_object_get_string_member (config, "direction"), ==, "bidirectional");
  pairs = json_object_get_array_member (config, "pairs");
  g_assert_cmpuint (json_array_get_length (pairs), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (pairs, 0), "campaign"),
                   ==, "denyListEmail");

  cc_test_ui_world_clear (&world);
}

/* The writer count: shown with its default, saved, and shown again as
 * saved when the dialog is opened anew. */
static GtkSpinButton *
optinout_concurrency_spin (GtkWindow *dialog)
{
  GtkWidget *row = cc_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, is_title,
                                    (gpointer) _("Parallel Writes"));

  g_assert_nonnull (row);
  return GTK_SPIN_BUTTON (cc_test_ui_find (row, GTK_TYPE_SPIN_BUTTON, NULL, NULL));
}

static void
test_optinout_concurrency (void)
{
  static const int values[] = { 1, 256, 9 };
  CcTestUiWorld world;
  GtkWindow *dialog;
  GtkSpinButton *spin;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  dialog = open_editor (&world, "optinout", CC_TYPE_OPTINOUT_DIALOG);
  spin = optinout_concurrency_spin (dialog);
  g_assert_nonnull (spin);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 4);
  /* The dialog offers only what the configuration accepts. */
  gtk_spin_button_set_value (spin, 0);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 1);
  gtk_spin_button_set_value (spin, 257);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 256);

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      gtk_spin_button_set_value (spin, values[i]);
      save_and_close (dialog);
      g_assert_true (cc_test_wait_until (window_gone, GSIZE_TO_POINTER (CC_TYPE_OPTINOUT_DIALOG),
                                         TIMEOUT));
      g_assert_cmpint (json_object_get_int_member (workflow_config (world.engine, "optinout"),
                                                   "write-concurrency"), ==, values[i]);

      dialog = open_editor (&world, "optinout", CC_TYPE_OPTINOUT_DIALOG);
      spin = optinout_concurrency_spin (dialog);
      g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, values[i]);
    }
  save_and_close (dialog);
  g_assert_true (cc_test_wait_until (window_gone, GSIZE_TO_POINTER (CC_TYPE_OPTINOUT_DIALOG), TIMEOUT));
  g_assert_cmpint (json_object_get_int_member (workflow_config (world.engine, "optinout"),
                                               "write-concurrency"), ==, 9);

  cc_test_ui_world_clear (&world);
}

/* ---- connections --------------------------------------------------- */

static void
set_row (CcConnectionsDialog *dialog,
         const char          *system,
         const char          *key,
         const char          *value)
{
  GtkWidget *row = cc_connections_dialog_get_row (dialog, system, key);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), value);
}

static void
test_connections_secret (void)
{
  CcTestUiWorld world;
  CcConnectionsDialog *dialog;
  g_autoptr(GVariant) connection = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *png = NULL;
  g_autofree char *config_text = NULL;
  g_autofree char *config_path = NULL;
  gboolean stored = FALSE;
  const char *url = NULL;

  cc_test_ui_world_init (&world, FALSE);
  cc_test_ui_world_open (&world);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (world.window), "win.connections", NULL));
  dialog = CC_CONNECTIONS_DIALOG (cc_test_ui_find_window (CC_TYPE_CONNECTIONS_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (dialog), TIMEOUT));

  /* The real defaults are there to begin with. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cc_connections_dialog_get_row (dialog, "campaign", "api-url"))),
                   ==, "https://mc.adobe.io");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cc_connections_dialog_get_row (dialog, "campaign", "ims-url"))),
                   ==, "https://ims-na1.adobelogin.com/ims/token/v3");

  /* A plain-http URL to a real host is refused, and said so. */
  set_row (dialog, "dynamics", "url", "http://contoso.crm.dynamics.com");
  set_row (dialog, "dynamics", "tenant", "contoso-tenant");
  set_row (dialog, "dynamics", "client-id", "contoso-client");
  set_row (dialog, "dynamics", "secret", "s3cret-value");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connections.save", "s", "dynamics"));
  g_assert_nonnull (strstr (cc_connections_dialog_get_result (dialog, "dynamics"), "https://"));
  g_assert_true (gtk_widget_has_css_class (cc_connections_dialog_get_row (dialog, "dynamics", "url"), "error"));
  g_assert_null (cc_secrets_lookup ("dynamics", NULL, NULL));

  /* Fixed: saved; the secret went to the keyring and is not shown back. */
  set_row (dialog, "dynamics", "url", "https://contoso.crm.dynamics.com");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connections.save", "s", "dynamics"));
  secret = cc_secrets_lookup ("dynamics", NULL, NULL);
  g_assert_cmpstr (secret, ==, "s3cret-value");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cc_connections_dialog_get_row (dialog, "dynamics", "secret"))),
                   ==, "");
  connection = cc_engine_get_connection (world.engine, "dynamics", NULL);
  g_assert_true (g_variant_lookup (connection, "secret-stored", "b", &stored));
  g_assert_true (stored);
  g_assert_true (g_variant_lookup (connection, "url", "&s", &url));
  g_assert_cmpstr (url, ==, "https://contoso.crm.dynamics.com");
  g_assert_false (g_variant_lookup (connection, "secret", "&s", &url));
  /* Not in the configuration file either. */
  config_path = g_build_filename (world.dir, "config.json", NULL);
  g_assert_true (g_file_get_contents (config_path, &config_text, NULL, NULL));
  g_assert_null (strstr (config_text, "s3cret-value"));

  /* Reopened, the row says a secret is stored and still shows nothing. */
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (world.window), "win.connections", NULL));
  dialog = CC_CONNECTIONS_DIALOG (cc_test_ui_find_window (CC_TYPE_CONNECTIONS_DIALOG));
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (dialog), TIMEOUT));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cc_connections_dialog_get_row (dialog, "dynamics", "secret"))),
                   ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cc_connections_dialog_get_row (dialog, "dynamics", "url"))),
                   ==, "https://contoso.crm.dynamics.com");
  g_assert_nonnull (cc_test_ui_find (cc_connections_dialog_get_row (dialog, "dynamics", "secret"),
                                     GTK_TYPE_LABEL, NULL, NULL));

  png = cc_test_ui_save_png (GTK_WIDGET (dialog), "connections-dialog");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  cc_test_ui_world_clear (&world);
}

/* Campaign's API allowance is set in the Campaign group like any setting:
 * a value that is not a whole number is refused on its own row, a good
 * one holds at once, and the window's foot says so. */
static void
test_connections_allowance (void)
{
  CcTestUiWorld world;
  CcConnectionsDialog *dialog;
  CcApiAllowance *allowance;
  CcAllowanceBar *bar;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  allowance = cc_engine_get_campaign_allowance (world.engine);
  bar = CC_ALLOWANCE_BAR (cc_test_ui_find (GTK_WIDGET (world.window), CC_TYPE_ALLOWANCE_BAR,
                                           NULL, NULL));
  g_assert_nonnull (bar);
  g_assert_cmpstr (cc_allowance_bar_get_text (bar), ==, "Campaign API calls today (UTC): 0");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (world.window), "win.connections", NULL));
  dialog = CC_CONNECTIONS_DIALOG (cc_test_ui_find_window (CC_TYPE_CONNECTIONS_DIALOG));
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (dialog), TIMEOUT));

  set_row (dialog, "campaign", "max-calls-per-second", "ten");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connections.save", "s", "campaign"));
  /* Named by its row, as the dialog names every refused setting. */
  g_assert_nonnull (strstr (cc_connections_dialog_get_result (dialog, "campaign"),
                            "Most API Calls per Second (0: no cap): “ten” is not a whole number"));
  g_assert_true (gtk_widget_has_css_class (cc_connections_dialog_get_row (dialog, "campaign",
                                                                          "max-calls-per-second"),
                                           "error"));
  g_assert_cmpuint (cc_api_allowance_get_max_calls_per_second (allowance), ==, 0);

  set_row (dialog, "campaign", "max-calls-per-second", "8");
  set_row (dialog, "campaign", "daily-call-budget", "250000");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connections.save", "s", "campaign"));
  g_assert_cmpstr (cc_connections_dialog_get_result (dialog, "campaign"), ==, "Saved");
  g_assert_cmpuint (cc_api_allowance_get_max_calls_per_second (allowance), ==, 8);
  g_assert_cmpuint (cc_api_allowance_get_daily_budget (allowance), ==, 250000);
  g_assert_cmpstr (cc_allowance_bar_get_text (bar), ==,
                   "Campaign API calls today (UTC): 0 of 250,000 · at most 8 a second");

  gtk_window_destroy (GTK_WINDOW (dialog));
  cc_test_ui_world_clear (&world);
}

/* The bar's words when the day's allowance is used up. */
static void
test_allowance_words (void)
{
  g_autofree char *text = cc_allowance_bar_format (500, 500, 0,
                                                   G_GINT64_CONSTANT (1769904000) * G_USEC_PER_SEC);

  g_assert_true (g_str_has_prefix (text, "Campaign API calls today (UTC): 500 of 500 · "
                                         "today’s allowance is used up: workflows that call "
                                         "Campaign wait until "));
  g_assert_true (g_str_has_suffix (text, " (midnight UTC)"));
}

/* In sandbox mode the form shows the sandbox's connection, and saving it
 * changes that connection in memory only: the keyring is left as it is, and a
 * save of what is shown keeps the sandbox working. */
static void
test_connections_sandbox (void)
{
  CcTestUiWorld world;
  CcConnectionsDialog *dialog;
  g_autoptr(GVariant) before = NULL;
  g_autoptr(GVariant) after = NULL;
  const char *url = NULL;
  const char *url_after = NULL;
  g_autofree char *keyring_before = NULL;
  g_autofree char *keyring_after = NULL;
  gboolean stored = FALSE;

  /* (An earlier test may have stored a real secret: it must stay as is.) */
  keyring_before = cc_secrets_lookup ("dynamics", NULL, NULL);
  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  before = cc_engine_get_connection (world.engine, "dynamics", NULL);
  g_assert_true (g_variant_lookup (before, "url", "&s", &url));
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (world.window), "win.connections", NULL));
  dialog = CC_CONNECTIONS_DIALOG (cc_test_ui_find_window (CC_TYPE_CONNECTIONS_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (dialog), TIMEOUT));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cc_connections_dialog_get_row (dialog, "dynamics", "url"))),
                   ==, url);

  /* Saved as shown, with a new secret: still the sandbox, still configured,
   * and nothing in the keyring. */
  set_row (dialog, "dynamics", "secret", "another-secret");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connections.save", "s", "dynamics"));
  after = cc_engine_get_connection (world.engine, "dynamics", NULL);
  g_assert_true (g_variant_lookup (after, "url", "&s", &url_after));
  g_assert_cmpstr (url_after, ==, url);
  g_assert_true (g_variant_lookup (after, "secret-stored", "b", &stored));
  g_assert_true (stored);
  g_assert_true (cc_engine_is_configured (world.engine));
  keyring_after = cc_secrets_lookup ("dynamics", NULL, NULL);
  g_assert_cmpstr (keyring_after, ==, keyring_before);

  gtk_window_destroy (GTK_WINDOW (dialog));
  cc_test_ui_world_clear (&world);
}

/* The Dynamics 365 connection's extra application users: added from the
 * dialog with a client id and secret (the fields emptied, the user
 * listed by client id only), a repeat refused in words, and removed with
 * its row's button. */
static void
test_connections_users (void)
{
  CcTestUiWorld world;
  CcConnectionsDialog *dialog;
  GtkWidget *users;
  GtkWidget *client_id;
  GtkWidget *secret;
  GtkWidget *add;
  GtkWidget *row;
  g_auto(GStrv) listed = NULL;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (world.window), "win.connections", NULL));
  dialog = CC_CONNECTIONS_DIALOG (cc_test_ui_find_window (CC_TYPE_CONNECTIONS_DIALOG));
  g_assert_nonnull (dialog);
  users = cc_test_ui_find (GTK_WIDGET (dialog), CC_TYPE_DYNAMICS_USERS, NULL, NULL);
  g_assert_nonnull (users);
  client_id = cc_test_ui_find (users, ADW_TYPE_ENTRY_ROW, is_title,
                               (gpointer) _("Client ID of Another Application User"));
  secret = cc_test_ui_find (users, ADW_TYPE_PASSWORD_ENTRY_ROW, NULL, NULL);
  add = cc_test_ui_find (users, GTK_TYPE_BUTTON, cc_test_ui_button_has_label,
                         (gpointer) _("_Add User"));
  g_assert_nonnull (client_id);
  g_assert_nonnull (secret);
  g_assert_nonnull (add);

  gtk_editable_set_text (GTK_EDITABLE (client_id), "second-app");
  gtk_editable_set_text (GTK_EDITABLE (secret), "second-secret");
  cc_test_ui_click (add);
  listed = cc_engine_list_dynamics_users (world.engine);
  g_assert_cmpuint (g_strv_length (listed), ==, 1);
  g_assert_cmpstr (listed[0], ==, "second-app");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (secret)), ==, "");
  row = cc_test_ui_find (users, ADW_TYPE_ACTION_ROW, is_title, (gpointer) "second-app");
  g_assert_nonnull (row);
  g_assert_true (cc_test_ui_wait_mapped (row, TIMEOUT));
  cc_test_ui_scroll_to (users);
  g_free (cc_test_ui_save_png (GTK_WIDGET (dialog), "connections-users"));

  /* The same again: refused, said where the button is, nothing added. */
  gtk_editable_set_text (GTK_EDITABLE (client_id), "second-app");
  gtk_editable_set_text (GTK_EDITABLE (secret), "other");
  cc_test_ui_click (add);
  g_assert_nonnull (strstr (cc_dynamics_users_get_result (CC_DYNAMICS_USERS (users)),
                            "second-app"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (secret)), ==, "other");
  g_strfreev (g_steal_pointer (&listed));
  listed = cc_engine_list_dynamics_users (world.engine);
  g_assert_cmpuint (g_strv_length (listed), ==, 1);

  cc_test_ui_click (cc_test_ui_find (row, GTK_TYPE_BUTTON, NULL, NULL));
  g_strfreev (g_steal_pointer (&listed));
  listed = cc_engine_list_dynamics_users (world.engine);
  g_assert_cmpuint (g_strv_length (listed), ==, 0);
  g_assert_null (cc_test_ui_find (users, ADW_TYPE_ACTION_ROW, is_title, (gpointer) "second-app"));

  gtk_window_destroy (GTK_WINDOW (dialog));
  cc_test_ui_world_clear (&world);
}

static gboolean
test_finished (gpointer user_data)
{
  return !cc_connections_dialog_is_testing (user_data, "campaign")
         && *cc_connections_dialog_get_result (user_data, "campaign") != '\0';
}

static void
test_connections_test_button (void)
{
  CcTestUiWorld world;
  CcConnectionsDialog *dialog;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  dialog = CC_CONNECTIONS_DIALOG (cc_window_open_connections (world.window));
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (dialog), TIMEOUT));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connections.test", "s", "campaign"));
  g_assert_true (cc_connections_dialog_is_testing (dialog, "campaign"));
  g_assert_true (cc_test_wait_until (test_finished, dialog, TIMEOUT));
  g_assert_true (cc_connections_dialog_get_test_ok (dialog, "campaign"));
  g_assert_nonnull (strstr (cc_connections_dialog_get_result (dialog, "campaign"), "Campaign"));

  cc_test_ui_world_clear (&world);
}

/* ---- details ------------------------------------------------------- */

static gboolean
error_rows_shown (gpointer user_data)
{
  return cc_test_ui_find (user_data, CC_TYPE_ERROR_ROW, NULL, NULL) != NULL;
}

static void
test_details_error_log (void)
{
  CcTestUiWorld world;
  CcWorkflowDetails *details;
  GListModel *errors;
  CcErrorLog *log;
  CcErrorRow *row;
  GtkWidget *retry;
  g_autofree char *png = NULL;
  CcWorkflow *egress;
  guint64 backlog;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_put_in_error_log (world.engine, "egress", 3);
  cc_test_ui_world_open (&world);
  egress = cc_engine_find_workflow (world.engine, "egress");
  backlog = cc_store_count_backlog (cc_engine_get_store (world.engine), "egress", NULL);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (world.window), "win.details", "s", "egress"));
  details = CC_WORKFLOW_DETAILS (cc_test_ui_find_window (CC_TYPE_WORKFLOW_DETAILS));
  g_assert_nonnull (details);
  g_assert_true (cc_workflow_details_get_workflow (details) == egress);
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (details), TIMEOUT));
  png = cc_test_ui_save_png (GTK_WIDGET (details), "details-activity");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  g_clear_pointer (&png, g_free);

  log = cc_workflow_details_get_error_log (details);
  errors = cc_error_log_get_entries (log);
  g_assert_cmpuint (g_list_model_get_n_items (errors), ==, 3);
  cc_workflow_details_show_page (details, "errors");
  cc_error_log_show_view (log, "records");
  g_assert_true (cc_test_wait_until (error_rows_shown, details, TIMEOUT));
  row = CC_ERROR_ROW (cc_test_ui_find (GTK_WIDGET (details), CC_TYPE_ERROR_ROW, NULL, NULL));
  g_assert_nonnull (cc_test_ui_find (GTK_WIDGET (row), GTK_TYPE_LABEL, NULL, NULL));

  /* The payload on demand. */
  cc_test_ui_click (cc_test_ui_find (GTK_WIDGET (row), GTK_TYPE_TOGGLE_BUTTON, NULL, NULL));
  png = cc_test_ui_save_png (GTK_WIDGET (details), "details-errors");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));

  /* Retry one: it leaves the log for the queue. */
  retry = cc_test_ui_find (GTK_WIDGET (row), GTK_TYPE_BUTTON, NULL, NULL);
  while (retry != NULL && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (retry)),
                                     "errorlog.retry-one") != 0)
    retry = gtk_widget_get_next_sibling (retry);
  g_assert_nonnull (retry);
  cc_test_ui_click (retry);
  g_assert_cmpuint (g_list_model_get_n_items (errors), ==, 2);
  g_assert_cmpuint (cc_store_count_backlog (cc_engine_get_store (world.engine), "egress", NULL),
                    ==, backlog + 1);

  /* Retry all. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (log), "errorlog.retry-matching", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (errors), ==, 0);
  g_assert_cmpuint (cc_store_count_errors (cc_engine_get_store (world.engine), "egress", NULL), ==, 0);

  /* Replay "all" lands in the history. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (details), "details.replay", NULL));
  g_assert_cmpuint (cc_workflow_details_get_n_history (details), >=, 1);

  cc_test_ui_world_clear (&world);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/dialogs/ingress-live-schema", test_ingress_live_schema);
  g_test_add_func ("/ui/dialogs/ingress-bad-filter", test_ingress_bad_filter);
  g_test_add_func ("/ui/dialogs/ingress-add-mapping", test_ingress_add_mapping);
  g_test_add_func ("/ui/dialogs/egress", test_egress_dialog);
  g_test_add_func ("/ui/dialogs/optinout", test_optinout_dialog);
  g_test_add_func ("/ui/dialogs/optinout-concurrency", test_optinout_concurrency);
  g_test_add_func ("/ui/dialogs/connections-secret", test_connections_secret);
  g_test_add_func ("/ui/dialogs/connections-sandbox", test_connections_sandbox);
  g_test_add_func ("/ui/dialogs/connections-users", test_connections_users);
  g_test_add_func ("/ui/dialogs/connections-test", test_connections_test_button);
  g_test_add_func ("/ui/dialogs/connections-allowance", test_connections_allowance);
  g_test_add_func ("/ui/dialogs/allowance-words", test_allowance_words);
  g_test_add_func ("/ui/dialogs/details-error-log", test_details_error_log);
  return g_test_run ();
}
