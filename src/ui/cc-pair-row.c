/* cc-pair-row.c — one row of the opt-in/opt-out field pairs.
 *
 * The Dynamics 365 side is any Boolean column (typed, or picked from the
 * contact table's schema); the Campaign side is one of the built-in block
 * list flags, the only ones a sync may write.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-pair-row.h"
#include "cc-pick-entry.h"

static const char * const campaign_flags[] = {
  "denyListEmail", "denyList", "denyListFax", "denyListMobile", "denyListPhone",
  "denyListPostalMail", "denyListPushnotification", "ccpaOptOut", NULL,
};

struct _CcPairRow
{
  CcEditRow          parent_instance;

  GtkStringList     *flags;

  CcPickEntry       *dynamics_entry;
  GtkImage          *direction_icon;
  GtkDropDown       *campaign_dropdown;
};

G_DEFINE_FINAL_TYPE (CcPairRow, cc_pair_row, CC_TYPE_EDIT_ROW)

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

  cc_pick_entry_set_text (self->dynamics_entry, dynamics);
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
  return cc_pick_entry_dup_text (self->dynamics_entry);
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

  cc_pick_entry_set_choices (self->dynamics_entry, names, details);
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
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->direction_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, words,
                                  -1);
}

GtkWidget *
cc_pair_row_get_dynamics_widget (CcPairRow *self)
{
  g_return_val_if_fail (CC_IS_PAIR_ROW (self), NULL);
  return GTK_WIDGET (cc_pick_entry_get_entry (self->dynamics_entry));
}

GtkWidget *
cc_pair_row_get_campaign_widget (CcPairRow *self)
{
  g_return_val_if_fail (CC_IS_PAIR_ROW (self), NULL);
  return GTK_WIDGET (self->campaign_dropdown);
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

  object_class->finalize = cc_pair_row_finalize;

  g_type_ensure (CC_TYPE_PICK_ENTRY);
  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-pair-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CcPairRow, dynamics_entry);
  gtk_widget_class_bind_template_child (widget_class, CcPairRow, direction_icon);
  gtk_widget_class_bind_template_child (widget_class, CcPairRow, campaign_dropdown);
}

static void
cc_pair_row_init (CcPairRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->flags = gtk_string_list_new (campaign_flags);
  gtk_drop_down_set_model (self->campaign_dropdown, G_LIST_MODEL (self->flags));
}
