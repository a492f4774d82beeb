/* cc-edit-dialog.h — what the three workflow editors share: Cancel/Save,
 * the "applies after stop and start" note, validation through the engine
 * and errors shown beside the field they are about. */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "cc-engine.h"
#include "cc-schema-loader.h"
#include "cc-workflow.h"

G_BEGIN_DECLS

#define CC_TYPE_EDIT_DIALOG (cc_edit_dialog_get_type ())
G_DECLARE_DERIVABLE_TYPE (CcEditDialog, cc_edit_dialog, CC, EDIT_DIALOG, AdwWindow)

struct _CcEditDialogClass
{
  AdwWindowClass parent_class;

  /* Fill the widgets from @config (the workflow's edited configuration;
   * NULL when it is not an object). */
  void       (*load)       (CcEditDialog *self,
                            JsonObject   *config);
  /* The configuration the widgets say; NULL with an error whose message
   * starts with the field's path (as the engine's do) when a widget holds
   * something that cannot even be written as JSON. */
  JsonNode * (*collect)    (CcEditDialog *self,
                            GError      **error);
  /* Mark the widget that @path (e.g. "pairs[1].campaign") is about with
   * @message; FALSE when no widget matches (the message then shows above
   * the form). The default uses cc_edit_dialog_register_field(). */
  gboolean   (*show_error) (CcEditDialog *self,
                            const char   *path,
                            const char   *message);
};

CcWorkflow     *cc_edit_dialog_get_workflow      (CcEditDialog *self);
CcEngine       *cc_edit_dialog_get_engine        (CcEditDialog *self);
CcSchemaLoader *cc_edit_dialog_get_schema_loader (CcEditDialog *self);
/* Cancelled when the dialog closes: for its asynchronous requests. */
GCancellable   *cc_edit_dialog_get_cancellable   (CcEditDialog *self);

/* Validates and stores the configuration; on success the dialog closes.
 * On failure the error is shown beside its field and FALSE returned. */
gboolean        cc_edit_dialog_save              (CcEditDialog *self);
/* Whether the widgets say something else than what was loaded: closing
 * (Escape, Cancel) then asks before the changes are thrown away. */
gboolean        cc_edit_dialog_has_changes       (CcEditDialog *self);
/* The message of the last failed save (NULL after a good one). */
const char     *cc_edit_dialog_get_error         (CcEditDialog *self);
GtkButton      *cc_edit_dialog_get_save_button   (CcEditDialog *self);
void            cc_edit_dialog_add_toast         (CcEditDialog *self,
                                                  const char   *message);

/* Shows @message at @widget: a row's own error label when it has one
 * (see cc_edit_dialog_set_error_label), else its subtitle or description,
 * else its tooltip. Cleared at the next save. */
void            cc_edit_dialog_mark_error        (CcEditDialog *self,
                                                  GtkWidget    *widget,
                                                  const char   *message);
/* Says which widget edits the value at @path; the default show_error
 * marks the widget of the longest registered prefix of a path. */
void            cc_edit_dialog_register_field    (CcEditDialog *self,
                                                  const char   *path,
                                                  GtkWidget    *widget);

/* Makes @label the place where errors about @widget (or any widget inside
 * it) are written. */
void            cc_edit_dialog_set_error_label   (GtkWidget    *widget,
                                                  GtkLabel     *label);

/* A deep copy of @object (NULL: an empty one) as a new object node:
 * json_node_copy() would share the object. */
JsonNode       *cc_edit_dialog_copy_object       (JsonObject   *object);
/* A deep copy of the configuration as it was loaded, for collect() to
 * write the widgets' values over: members no widget shows are kept. */
JsonNode       *cc_edit_dialog_copy_loaded       (CcEditDialog *self);

/* Splits "path: message" (the engine's form) into its two parts; FALSE
 * when @text has no path. */
gboolean        cc_edit_dialog_split_error       (const char   *text,
                                                  char        **path,
                                                  char        **message);
/* For paths: "fields[3].target" → @name "fields", @index 3, @rest
 * "target"; "source" → "source", -1, NULL. */
void            cc_edit_dialog_path_head         (const char   *path,
                                                  char        **name,
                                                  int          *index,
                                                  const char  **rest);

G_END_DECLS
