/* cc-pair-row.c — one row of the opt-in/opt-out field pairs.
 *
 * The Dynamics 365 side is any Boolean column (typed, or picked from the
 * contact table's schema); the Campaign side is one of the built-in block
 * list flags, the only ones a sync may write.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-choice-popover.h"
#include "cc-edit-dialog.h"
#include "cc-pair-row.h"
#include "cc-removable.h"

static const char * const campaign_flags[] = {
  "denyListEmail", "denyList", "denyListFax", "denyListMobile", "denyListPhone",
  "denyListPostalMail", "denyListPushnotification", "ccpaOptOut", NULL,
};

struct _CcPairRow
{
  AdwPreferencesRow  parent_instance;

  GtkStringList     *flags;

  GtkEntry          *dynamics_entry;
  GtkMenuButton     *dynamics_pick;
  CcChoicePopover   *dynamics_popover;
  GtkImage          *direction_icon;
  GtkDropDown       *campaign_dropdown;
  GtkLabel          *error_label;
};

G_DEFINE_FINAL_TYPE (CcPairRow, cc_pair_row, ADW_TYPE_PREFERENCES_ROW)

const char * const *
cc_pair_row_campaign_flags (void)
{
  return campaign_flags;
}

CcPairRow *
cc_pair_row_new (void)
{
  return g_object_new (CC_TYPE_PAIR_ROW, NULL);
}

static guint
find_flag (CcPairRow  *self,
           const char *flag)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->flags));

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->flags, i), flag) == 0)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

void
cc_pair_row_set_pair (CcPairRow  *self,
                      const char *dynamics,
                      const char *campaign)
{
  guint position;

  g_return_if_fail (CC_IS_PAIR_ROW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->dynamics_entry), dynamics ? dynamics : "");
  if (campaign == NULL || *campaign == '\0')
    campaign = campaign_flags[0];
  position = find_flag (self, campaign);
  if (position == GTK_INVALID_LIST_POSITION)
    {
      /* An alias (blackList…) or a flag this version does not know: keep
       * it choosable rather than silently changing it. */
      gtk_string_list_append (self->flags, campaign);
      position = g_list_model_get_n_items (G_LIST_MODEL (self->flags)) - 1;
    }
  gtk_drop_down_set_selected (self->campaign_dropdown, position);
}

char *
cc_pair_row_dup_dynamics (CcPairRow *self)
{
  g_return_val_if_fail (CC_IS_PAIR_ROW (self), NULL);
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->dynamics_entry))));
}

const char *
cc_pair_row_get_campaign (CcPairRow *self)
{
  guint position;

  g_return_val_if_fail (CC_IS_PAIR_ROW (self), NULL);

  position = gtk_drop_down_get_selected (self->campaign_dropdown);
  if (position == GTK_INVALID_LIST_POSITION)
    return "";
  return gtk_string_list_get_string (self->flags, position);
}

void
cc_pair_row_set_dynamics_choices (CcPairRow          *self,
                                  const char * const *names,
                                  const char * const *details)
{
  g_return_if_fail (CC_IS_PAIR_ROW (self));

  cc_choice_popover_set_choices (self->dynamics_popover, names, details);
  gtk_widget_set_visible (GTK_WIDGET (self->dynamics_pick),
                          cc_choice_popover_get_n_choices (self->dynamics_popover) > 0);
}

void
cc_pair_row_set_direction (CcPairRow  *self,
                           const char *direction)
{
  const char *icon = "go-next-symbolic";
  const char *words = _("Dynamics 365 to Campaign");

  g_return_if_fail (CC_IS_PAIR_ROW (self));

  if (g_strcmp0 (direction, "campaign-to-dynamics") == 0)
    {
      icon = "go-previous-symbolic";
      words = _("Campaign to Dynamics 365");
    }
  else if (g_strcmp0 (direction, "bidirectional") == 0)
    {
      icon = "media-playlist-repeat-symbolic";
      words = _("Both ways");
    }
  else if (g_strcmp0 (direction, "off") == 0)
    {
      icon = "media-playback-pause-symbolic";
      words = _("Off");
    }
  gtk_image_set_from_icon_name (self->direction_icon, icon);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->direction_icon), words);
}

GtkWidget *
cc_pair_row_get_dynamics_widget (CcPairRow *self)
{
  g_return_val_if_fail (CC_IS_PAIR_ROW (self), NULL);
  return GTK_WIDGET (self->dynamics_entry);
}

GtkWidget *
cc_pair_row_get_campaign_widget (CcPairRow *self)
{
  g_return_val_if_fail (CC_IS_PAIR_ROW (self), NULL);
  return GTK_WIDGET (self->campaign_dropdown);
}

GtkLabel *
cc_pair_row_get_error_label (CcPairRow *self)
{
  g_return_val_if_fail (CC_IS_PAIR_ROW (self), NULL);
  return self->error_label;
}

static void
on_dynamics_chosen (CcPairRow  *self,
                    const char *value)
{
  gtk_editable_set_text (GTK_EDITABLE (self->dynamics_entry), value);
}

static void
cc_pair_row_dispose (GObject *object)
{
  if (gtk_widget_get_template_child (GTK_WIDGET (object), CC_TYPE_PAIR_ROW, "dynamics_entry") != NULL)
    gtk_widget_dispose_template (GTK_WIDGET (object), CC_TYPE_PAIR_ROW);

  G_OBJECT_CLASS (cc_pair_row_parent_class)->dispose (object);
}

static void
cc_pair_row_finalize (GObject *object)
{
  CcPairRow *self = CC_PAIR_ROW (object);

  g_clear_object (&self->flags);

  G_OBJECT_CLASS (cc_pair_row_parent_class)->finalize (object);
}

static void
cc_pair_row_class_init (CcPairRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cc_pair_row_dispose;
  object_class->finalize = cc_pair_row_finalize;

  g_type_ensure (CC_TYPE_CHOICE_POPOVER);
  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-pair-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CcPairRow, dynamics_entry);
  gtk_widget_class_bind_template_child (widget_class, CcPairRow, dynamics_pick);
  gtk_widget_class_bind_template_child (widget_class, CcPairRow, dynamics_popover);
  gtk_widget_class_bind_template_child (widget_class, CcPairRow, direction_icon);
  gtk_widget_class_bind_template_child (widget_class, CcPairRow, campaign_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CcPairRow, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_dynamics_chosen);
  /* ::remove: the user asked to remove this pair. */
  cc_removable_install (widget_class);
}

static void
cc_pair_row_init (CcPairRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->flags = gtk_string_list_new (campaign_flags);
  gtk_drop_down_set_model (self->campaign_dropdown, G_LIST_MODEL (self->flags));
  cc_edit_dialog_set_error_label (GTK_WIDGET (self), self->error_label);
}
