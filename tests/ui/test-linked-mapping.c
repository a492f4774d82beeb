/* test-linked-mapping.c — the mapping editor writing a Dynamics 365
 * custom table into a custom resource linked to the profile: the links
 * of the live resource are offered for the parent, and no field row
 * offers a link as a field to write. */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-edit-dialog.h"
#include "cc-field-row.h"
#include "cc-ingress-dialog.h"
#include "cc-mapping-editor.h"
#include "cc-picker-row.h"
#include "cc-test-ui.h"
#include "cc-test-util.h"

#define TIMEOUT 60

static gboolean
is_title (GtkWidget *widget,
          gpointer   user_data)
{
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), user_data) == 0;
}

static CcPickerRow *
picker (GtkWidget  *root,
        const char *title)
{
  GtkWidget *row = cc_test_ui_find (root, CC_TYPE_PICKER_ROW, is_title, (gpointer) title);

  g_assert_nonnull (row);
  return CC_PICKER_ROW (row);
}

static gboolean
picker_has_choices (gpointer user_data)
{
  return cc_picker_row_get_n_choices (user_data) > 0;
}

static void
test_linked_mapping (void)
{
  CcTestUiWorld world;
  CcIngressDialog *dialog;
  CcMappingEditor *editor;
  CcFieldRow *field;
  CcPickerRow *link, *field_target;
  JsonObject *mapping;
  JsonNode *config;
  g_autofree char *png = NULL;

  cc_test_ui_world_init (&world, TRUE);
  cc_test_ui_world_open (&world);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (world.window), "win.edit", "s", "ingress"));
  dialog = CC_INGRESS_DIALOG (cc_test_ui_find_window (CC_TYPE_INGRESS_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (dialog), TIMEOUT));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "ingress.add-mapping", NULL));
  editor = cc_ingress_dialog_get_mapping (dialog, 1);
  cc_ingress_dialog_show_mapping (dialog, 1);
  gtk_editable_set_text (GTK_EDITABLE (picker (GTK_WIDGET (editor), _("Dynamics 365 Table"))), "new_membership");
  gtk_editable_set_text (GTK_EDITABLE (picker (GTK_WIDGET (editor), _("Campaign Resource"))),
                         "profileAndServicesExt/cusLoyalty");
  gtk_editable_set_text (GTK_EDITABLE (picker (GTK_WIDGET (editor), _("Campaign Key Field"))), "cusLoyaltyId");
  gtk_editable_set_text (GTK_EDITABLE (picker (GTK_WIDGET (editor), _("Parent Mapping (optional)"))),
                         "contacts");
  gtk_editable_set_text (GTK_EDITABLE (picker (GTK_WIDGET (editor), _("Field Holding the Parent’s Id"))),
                         "_new_contactid_value");

  /* The live resource's one link, and what it points at. */
  link = picker (GTK_WIDGET (editor), _("Campaign Link to the Parent (optional)"));
  g_assert_true (cc_test_wait_until (picker_has_choices, link, TIMEOUT));
  g_assert_cmpuint (cc_picker_row_get_n_choices (link), ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (link), "profile");
  g_assert_cmpstr (cc_picker_row_get_detail (link), ==, "profile");

  /* A field may write the resource's fields, never its link. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "mapping.add-field", NULL));
  field = cc_mapping_editor_get_field (editor, 0);
  field_target = picker (GTK_WIDGET (field), _("Campaign Field"));
  g_assert_true (cc_test_wait_until (picker_has_choices, field_target, TIMEOUT));
  gtk_editable_set_text (GTK_EDITABLE (field_target), "profile");
  g_assert_null (cc_picker_row_get_detail (field_target));
  gtk_editable_set_text (GTK_EDITABLE (field_target), "cusName");
  g_assert_cmpstr (cc_picker_row_get_detail (field_target), ==, "string");
  gtk_editable_set_text (GTK_EDITABLE (picker (GTK_WIDGET (field), _("Dynamics 365 Field"))), "new_name");

  cc_test_ui_scroll_to (GTK_WIDGET (link));
  png = cc_test_ui_save_png (GTK_WIDGET (dialog), "linked-mapping");
  g_assert_nonnull (png);
  {
    g_autoptr(GtkWindow) keep = g_object_ref (GTK_WINDOW (dialog));

    cc_test_ui_click (GTK_WIDGET (cc_edit_dialog_get_save_button (CC_EDIT_DIALOG (dialog))));
    g_assert_null (cc_edit_dialog_get_error (CC_EDIT_DIALOG (dialog)));
  }

  config = cc_workflow_get_config_node (cc_engine_find_workflow (world.engine, "ingress"));
  mapping = json_array_get_object_element (json_object_get_array_member (json_node_get_object (config),
                                                                         "mappings"), 1);
  g_assert_cmpstr (json_object_get_string_member (mapping, "target"), ==, "profileAndServicesExt/cusLoyalty");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (mapping, "parent"), "link"),
                   ==, "profile");

  cc_test_ui_world_clear (&world);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/linked-mapping", test_linked_mapping);

  return g_test_run ();
}
