/* cc-edit-dialog.c — the frame every workflow editor shares.
 *
 * The engine is the one judge of a configuration: Save hands the edited
 * JSON to cc_workflow_set_config_node and, when it is refused, reads the
 * field path at the start of the message to put the message beside the
 * widget it is about. The subclasses only know their own widgets.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cc-combo-choices.h"
#include "cc-edit-dialog.h"
#include "cc-picker-row.h"
#include "cc-questions.h"

#define ERROR_LABEL_KEY "cc-error-label"
#define SAVED_TEXT_KEY  "cc-saved-text"

typedef struct
{
  CcWorkflow      *workflow;
  CcEngine        *engine;
  CcSchemaLoader  *schema_loader;
  GCancellable    *cancellable;
  JsonObject      *loaded;       /* the configuration load() was given */
  JsonNode        *baseline;     /* what collect() said right after load() */
  gboolean         may_close;    /* saved, or the user chose to discard */
  GtkWidget       *body;
  char            *error;
  GPtrArray       *marked;       /* widgets showing an error */
  GHashTable      *fields;       /* path → widget (unowned: ours for our life) */
  gulong           status_handler;

  AdwWindowTitle  *window_title;
  GtkButton       *save_button;
  GtkRevealer     *pending_revealer;
  GtkRevealer     *error_revealer;
  GtkLabel        *error_label;
  AdwToastOverlay *toast_overlay;
} CcEditDialogPrivate;

enum {
  PROP_0,
  PROP_WORKFLOW,
  PROP_ENGINE,
  PROP_BODY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (CcEditDialog, cc_edit_dialog, ADW_TYPE_WINDOW)

CcWorkflow *
cc_edit_dialog_get_workflow (CcEditDialog *self)
{
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);

  g_return_val_if_fail (CC_IS_EDIT_DIALOG (self), NULL);
  return priv->workflow;
}

CcEngine *
cc_edit_dialog_get_engine (CcEditDialog *self)
{
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);

  g_return_val_if_fail (CC_IS_EDIT_DIALOG (self), NULL);
  return priv->engine;
}

CcSchemaLoader *
cc_edit_dialog_get_schema_loader (CcEditDialog *self)
{
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);

  g_return_val_if_fail (CC_IS_EDIT_DIALOG (self), NULL);
  return priv->schema_loader;
}

GCancellable *
cc_edit_dialog_get_cancellable (CcEditDialog *self)
{
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);

  g_return_val_if_fail (CC_IS_EDIT_DIALOG (self), NULL);
  return priv->cancellable;
}

GtkButton *
cc_edit_dialog_get_save_button (CcEditDialog *self)
{
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);

  g_return_val_if_fail (CC_IS_EDIT_DIALOG (self), NULL);
  return priv->save_button;
}

const char *
cc_edit_dialog_get_error (CcEditDialog *self)
{
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);

  g_return_val_if_fail (CC_IS_EDIT_DIALOG (self), NULL);
  return priv->error;
}

void
cc_edit_dialog_add_toast (CcEditDialog *self,
                          const char   *message)
{
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);

  g_return_if_fail (CC_IS_EDIT_DIALOG (self));
  adw_toast_overlay_add_toast (priv->toast_overlay, adw_toast_new (message));
}

JsonNode *
cc_edit_dialog_copy_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  if (object == NULL)
    {
      JsonNode *empty = json_node_new (JSON_NODE_OBJECT);

      json_node_take_object (empty, json_object_new ());
      return empty;
    }

  node = json_node_init_object (json_node_alloc (), object);
  text = json_to_string (node, FALSE);
  return json_from_string (text, NULL);
}

JsonNode *
cc_edit_dialog_copy_loaded (CcEditDialog *self)
{
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);

  g_return_val_if_fail (CC_IS_EDIT_DIALOG (self), NULL);
  return cc_edit_dialog_copy_object (priv->loaded);
}

gboolean
cc_edit_dialog_split_error (const char  *text,
                            char       **path,
                            char       **message)
{
  const char *colon;

  *path = NULL;
  *message = NULL;
  if (text == NULL)
    return FALSE;

  /* A path has no blanks: "mappings[0].fields[2].target: …". */
  colon = strstr (text, ": ");
  if (colon == NULL || colon == text)
    return FALSE;
  for (const char *p = text; p < colon; p++)
    if (g_ascii_isspace (*p))
      return FALSE;

  *path = g_strndup (text, colon - text);
  *message = g_strdup (colon + 2);
  return TRUE;
}

void
cc_edit_dialog_path_head (const char  *path,
                          char       **name,
                          int         *index,
                          const char **rest)
{
  const char *end = path;

  while (*end != '\0' && *end != '.' && *end != '[')
    end++;
  *name = g_strndup (path, end - path);
  *index = -1;
  if (*end == '[')
    {
      char *after = NULL;
      gint64 value = g_ascii_strtoll (end + 1, &after, 10);

      if (after != NULL && *after == ']')
        {
          *index = (int) value;
          end = after + 1;
        }
    }
  if (*end == '.')
    end++;
  *rest = *end != '\0' ? end : NULL;
}

void
cc_edit_dialog_set_error_label (GtkWidget *widget,
                                GtkLabel  *label)
{
  g_object_set_data (G_OBJECT (widget), ERROR_LABEL_KEY, label);
}

static GtkLabel *
find_error_label (CcEditDialog *self,
                  GtkWidget    *widget)
{
  for (GtkWidget *w = widget; w != NULL && w != GTK_WIDGET (self); w = gtk_widget_get_parent (w))
    {
      GtkLabel *label = g_object_get_data (G_OBJECT (w), ERROR_LABEL_KEY);

      if (label != NULL)
        return label;
    }
  return NULL;
}

/* Keeps what a subtitle, description or tooltip said before the error
 * took its place, to give it back later. */
static void
save_text (GtkWidget  *widget,
           const char *text)
{
  if (g_object_get_data (G_OBJECT (widget), SAVED_TEXT_KEY) == NULL)
    g_object_set_data_full (G_OBJECT (widget), SAVED_TEXT_KEY, g_strdup (text ? text : ""), g_free);
}

void
cc_edit_dialog_mark_error (CcEditDialog *self,
                           GtkWidget    *widget,
                           const char   *message)
{
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);
  GtkLabel *label;

  g_return_if_fail (CC_IS_EDIT_DIALOG (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (CC_IS_PICKER_ROW (widget))
    cc_picker_row_set_error (CC_PICKER_ROW (widget), message);
  else if ((label = find_error_label (self, widget)) != NULL)
    {
      gtk_label_set_label (label, message);
      gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
      g_ptr_array_add (priv->marked, g_object_ref (label));
    }
  else if (ADW_IS_ACTION_ROW (widget))
    {
      save_text (widget, adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), message);
    }
  else if (ADW_IS_EXPANDER_ROW (widget))
    {
      save_text (widget, adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (widget)));
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (widget), message);
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (widget), TRUE);
    }
  else if (ADW_IS_PREFERENCES_GROUP (widget))
    {
      save_text (widget, adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (widget)));
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (widget), message);
    }
  else
    {
      save_text (widget, gtk_widget_get_tooltip_text (widget));
      gtk_widget_set_tooltip_text (widget, message);
    }

  gtk_widget_add_css_class (widget, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                               GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
  if (priv->marked->len == 0 || !g_ptr_array_find (priv->marked, widget, NULL))
    {
      /* The first field in error takes the focus, so the keyboard user
       * lands where the fix is. */
      if (priv->marked->len == 0)
        gtk_widget_grab_focus (widget);
      g_ptr_array_add (priv->marked, g_object_ref (widget));
    }
}

void
cc_edit_dialog_register_field (CcEditDialog *self,
                               const char   *path,
                               GtkWidget    *widget)
{
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);

  g_return_if_fail (CC_IS_EDIT_DIALOG (self));
  g_hash_table_insert (priv->fields, g_strdup (path), widget);
}

/* "event-types.open.table" is marked on its own row; "event-types.open.x"
 * (no row of its own) on the row of "event-types.open". */
static gboolean
cc_edit_dialog_real_show_error (CcEditDialog *self,
                                const char   *path,
                                const char   *message)
{
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);
  g_autofree char *prefix = g_strdup (path);

  while (*prefix != '\0')
    {
      GtkWidget *widget = g_hash_table_lookup (priv->fields, prefix);
      char *cut;

      if (widget != NULL)
        {
          cc_edit_dialog_mark_error (self, widget, message);
          return TRUE;
        }
      cut = MAX (strrchr (prefix, '.'), strrchr (prefix, '['));
      if (cut == NULL)
        break;
      *cut = '\0';
    }
  return FALSE;
}

static void
clear_errors (CcEditDialog *self)
{
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);

  for (guint i = 0; i < priv->marked->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (priv->marked, i);
      const char *saved = g_object_get_data (G_OBJECT (widget), SAVED_TEXT_KEY);
      const char *text = saved != NULL && *saved != '\0' ? saved : NULL;

      gtk_widget_remove_css_class (widget, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_INVALID);
      if (CC_IS_PICKER_ROW (widget))
        cc_picker_row_set_error (CC_PICKER_ROW (widget), NULL);
      else if (GTK_IS_LABEL (widget) && g_object_get_data (G_OBJECT (widget), SAVED_TEXT_KEY) == NULL)
        gtk_widget_set_visible (widget, FALSE);
      else if (saved == NULL)
        continue;
      else if (ADW_IS_ACTION_ROW (widget))
        adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), text ? text : "");
      else if (ADW_IS_EXPANDER_ROW (widget))
        adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (widget), text ? text : "");
      else if (ADW_IS_PREFERENCES_GROUP (widget))
        adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (widget), text);
      else
        gtk_widget_set_tooltip_text (widget, text);
      g_object_set_data (G_OBJECT (widget), SAVED_TEXT_KEY, NULL);
    }
  g_ptr_array_set_size (priv->marked, 0);

  g_clear_pointer (&priv->error, g_free);
  gtk_revealer_set_reveal_child (priv->error_revealer, FALSE);
}

static void
show_failure (CcEditDialog *self,
              const char   *text)
{
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);
  CcEditDialogClass *klass = CC_EDIT_DIALOG_GET_CLASS (self);
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;
  g_autofree char *banner = NULL;

  priv->error = g_strdup (text);
  if (cc_edit_dialog_split_error (text, &path, &message)
      && klass->show_error != NULL
      && klass->show_error (self, path, message))
    /* Translators: shown above an edit form when Save was refused; the
     * reason is written beside the field */
    banner = g_strdup_printf (_("Not saved: %s"), message);
  else
    banner = g_strdup_printf (_("Not saved: %s"), text);

  gtk_label_set_label (priv->error_label, banner);
  gtk_revealer_set_reveal_child (priv->error_revealer, TRUE);
}

gboolean
cc_edit_dialog_save (CcEditDialog *self)
{
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);
  CcEditDialogClass *klass;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (CC_IS_EDIT_DIALOG (self), FALSE);

  klass = CC_EDIT_DIALOG_GET_CLASS (self);
  clear_errors (self);

  node = klass->collect (self, &error);
  if (node == NULL || !cc_workflow_set_config_node (priv->workflow, node, &error))
    {
      show_failure (self, error->message);
      return FALSE;
    }

  priv->may_close = TRUE;
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

gboolean
cc_edit_dialog_has_changes (CcEditDialog *self)
{
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);
  g_autoptr(JsonNode) loaded = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (CC_IS_EDIT_DIALOG (self), FALSE);

  node = CC_EDIT_DIALOG_GET_CLASS (self)->collect (self, NULL);
  /* Something typed that cannot even be written is a change too. */
  if (node == NULL)
    return TRUE;
  /* Widgets may write a value in another form than the file had it (a
   * number for "0" once the column's type is known): as they showed it
   * at first is no change either. */
  loaded = cc_edit_dialog_copy_loaded (self);
  return !json_node_equal (node, loaded)
         && (priv->baseline == NULL || !json_node_equal (node, priv->baseline));
}

static void
on_discard_response (AdwMessageDialog *question,
                     const char       *response,
                     CcEditDialog     *self)
{
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);

  if (!g_str_equal (response, "discard"))
    return;
  priv->may_close = TRUE;
  /* After the question is gone: it must not outlive its parent. */
  g_idle_add_full (G_PRIORITY_DEFAULT, cc_close_window_idle, g_object_ref (self), g_object_unref);
}

/* Escape and Cancel close the dialog: unsaved changes are asked about. */
static gboolean
cc_edit_dialog_close_request (GtkWindow *window)
{
  CcEditDialog *self = CC_EDIT_DIALOG (window);
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);
  AdwMessageDialog *question;

  if (priv->may_close || !cc_edit_dialog_has_changes (self))
    return GTK_WINDOW_CLASS (cc_edit_dialog_parent_class)->close_request (window);

  question = cc_questions_discard (window, cc_workflow_get_title (priv->workflow));
  g_signal_connect_object (question, "response", G_CALLBACK (on_discard_response), self, 0);
  return TRUE;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  cc_edit_dialog_save (CC_EDIT_DIALOG (widget));
}

static void
update_pending (CcEditDialog *self)
{
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);
  CcWorkflowStatus status = cc_workflow_get_status (priv->workflow);

  gtk_revealer_set_reveal_child (priv->pending_revealer,
                                 status == CC_WORKFLOW_STARTING || status == CC_WORKFLOW_RUNNING);
}

static void
cc_edit_dialog_constructed (GObject *object)
{
  CcEditDialog *self = CC_EDIT_DIALOG (object);
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);
  CcEditDialogClass *klass = CC_EDIT_DIALOG_GET_CLASS (self);
  JsonNode *config;
  JsonObject *root;

  G_OBJECT_CLASS (cc_edit_dialog_parent_class)->constructed (object);

  g_assert (CC_IS_WORKFLOW (priv->workflow));
  g_assert (CC_IS_ENGINE (priv->engine));

  priv->schema_loader = cc_schema_loader_new (priv->engine);
  adw_window_title_set_subtitle (priv->window_title, cc_workflow_get_title (priv->workflow));
  priv->status_handler = g_signal_connect_object (priv->workflow, "notify::status",
                                                  G_CALLBACK (update_pending), self,
                                                  G_CONNECT_SWAPPED);
  update_pending (self);

  config = cc_workflow_get_config_node (priv->workflow);
  root = config != NULL && JSON_NODE_HOLDS_OBJECT (config) ? json_node_get_object (config) : NULL;
  priv->loaded = root != NULL ? json_object_ref (root) : json_object_new ();
  if (klass->load != NULL)
    klass->load (self, root);
  cc_combo_choices_show_whole (GTK_WIDGET (self));
  priv->baseline = klass->collect (self, NULL);
}

static void
cc_edit_dialog_dispose (GObject *object)
{
  CcEditDialog *self = CC_EDIT_DIALOG (object);
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);

  g_cancellable_cancel (priv->cancellable);
  if (priv->workflow != NULL)
    g_clear_signal_handler (&priv->status_handler, priv->workflow);
  if (priv->marked != NULL)
    g_ptr_array_set_size (priv->marked, 0);
  if (priv->fields != NULL)
    g_hash_table_remove_all (priv->fields);
  /* GTK 4.8 aborts when a parent class disposes its template after a
   * subclass did (gtk_widget_dispose_template asserts on a child it
   * already let go of). AdwWindow destroys the content it holds, and the
   * template's references go with the instance; only our borrowed
   * pointers need clearing. */
  priv->window_title = NULL;
  priv->save_button = NULL;
  priv->pending_revealer = NULL;
  priv->error_revealer = NULL;
  priv->error_label = NULL;
  priv->toast_overlay = NULL;
  g_clear_object (&priv->schema_loader);

  G_OBJECT_CLASS (cc_edit_dialog_parent_class)->dispose (object);
}

static void
cc_edit_dialog_finalize (GObject *object)
{
  CcEditDialog *self = CC_EDIT_DIALOG (object);
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);

  g_clear_object (&priv->workflow);
  g_clear_object (&priv->engine);
  g_clear_object (&priv->cancellable);
  g_clear_pointer (&priv->marked, g_ptr_array_unref);
  g_clear_pointer (&priv->fields, g_hash_table_unref);
  g_clear_pointer (&priv->error, g_free);
  g_clear_pointer (&priv->loaded, json_object_unref);
  g_clear_pointer (&priv->baseline, json_node_unref);

  G_OBJECT_CLASS (cc_edit_dialog_parent_class)->finalize (object);
}

static void
cc_edit_dialog_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CcEditDialog *self = CC_EDIT_DIALOG (object);
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_WORKFLOW:
      g_value_set_object (value, priv->workflow);
      break;
    case PROP_ENGINE:
      g_value_set_object (value, priv->engine);
      break;
    case PROP_BODY:
      g_value_set_object (value, priv->body);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_edit_dialog_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CcEditDialog *self = CC_EDIT_DIALOG (object);
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_WORKFLOW:
      priv->workflow = g_value_dup_object (value);
      break;
    case PROP_ENGINE:
      priv->engine = g_value_dup_object (value);
      break;
    case PROP_BODY:
      priv->body = g_value_get_object (value);
      adw_toast_overlay_set_child (priv->toast_overlay, priv->body);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_edit_dialog_class_init (CcEditDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = cc_edit_dialog_constructed;
  object_class->dispose = cc_edit_dialog_dispose;
  object_class->finalize = cc_edit_dialog_finalize;
  object_class->get_property = cc_edit_dialog_get_property;
  object_class->set_property = cc_edit_dialog_set_property;
  window_class->close_request = cc_edit_dialog_close_request;
  klass->show_error = cc_edit_dialog_real_show_error;

  properties[PROP_WORKFLOW] =
    g_param_spec_object ("workflow", NULL, NULL, CC_TYPE_WORKFLOW,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, CC_TYPE_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Where a subclass's template puts its form. */
  properties[PROP_BODY] =
    g_param_spec_object ("body", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-edit-dialog.ui");
  gtk_widget_class_bind_template_child_private (widget_class, CcEditDialog, window_title);
  gtk_widget_class_bind_template_child_private (widget_class, CcEditDialog, save_button);
  gtk_widget_class_bind_template_child_private (widget_class, CcEditDialog, pending_revealer);
  gtk_widget_class_bind_template_child_private (widget_class, CcEditDialog, error_revealer);
  gtk_widget_class_bind_template_child_private (widget_class, CcEditDialog, error_label);
  gtk_widget_class_bind_template_child_private (widget_class, CcEditDialog, toast_overlay);

  gtk_widget_class_install_action (widget_class, "edit.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "edit.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cc_edit_dialog_init (CcEditDialog *self)
{
  CcEditDialogPrivate *priv = cc_edit_dialog_get_instance_private (self);

  priv->cancellable = g_cancellable_new ();
  priv->marked = g_ptr_array_new_with_free_func (g_object_unref);
  priv->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
}
