/* cc-ingress-config-schema.c — a table mapping against the live schemas.
 *
 * The setup check, and Starting with it, reads the Dynamics 365 table and
 * the Campaign resource type and asks whether the mapping still fits
 * them: an item per column read and per field written. Schemas change
 * under a running integration (a field is deleted or renamed in Power
 * Apps, a custom field is dropped in Campaign), so a missing item names
 * the field and the system in words the user can act on, and the first
 * one ends in the workflow's LastError.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cc-check.h"
#include "cc-error.h"
#include "cc-ingress-config-private.h"

static void
add_column (GPtrArray  *columns,
            const char *name)
{
  if (name != NULL)
    g_ptr_array_add (columns, (gpointer) name);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
cc_table_mapping_source_columns (const CcTableMapping *mapping)
{
  g_autoptr (GPtrArray) columns = g_ptr_array_new ();
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (mapping != NULL, NULL);

  for (guint i = 0; i < mapping->fields->len; i++)
    {
      const CcFieldMapping *field = g_ptr_array_index (mapping->fields, i);

      add_column (columns, field->source);
      for (guint j = 0; j < field->transforms->len; j++)
        {
          const CcTransform *transform = g_ptr_array_index (field->transforms, j);

          for (guint k = 0; transform->kind == CC_TRANSFORM_CONCAT && transform->fields[k]; k++)
            add_column (columns, transform->fields[k]);
        }
    }
  for (guint i = 0; i < mapping->filters->len; i++)
    {
      const CcFilterCondition *condition = g_ptr_array_index (mapping->filters, i);

      add_column (columns, condition->field);
    }
  add_column (columns, mapping->parent_field);

  g_ptr_array_sort (columns, compare_names);
  for (guint i = 0; i < columns->len; i++)
    if (i == 0 || strcmp (columns->pdata[i], columns->pdata[i - 1]) != 0)
      g_strv_builder_add (builder, columns->pdata[i]);
  return g_strv_builder_end (builder);
}

/* A lookup is read as "_<attribute>_value" (the Web API's property) but
 * described in the metadata by its attribute's logical name. */
static const CcDataverseColumn *
find_dataverse_column (const CcDataverseTable *table,
                       const char             *name)
{
  const CcDataverseColumn *column = cc_dataverse_table_find_column (table, name);
  gsize len = strlen (name);

  if (column == NULL && len > strlen ("__value") && name[0] == '_'
      && g_str_has_suffix (name, "_value"))
    {
      g_autofree char *attribute = g_strndup (name + 1, len - strlen ("__value"));

      column = cc_dataverse_table_find_column (table, attribute);
    }
  return column;
}

/* A field written with the wrong case is the likeliest mistake in
 * Campaign's camelCase names: point at the right spelling. */
static const CcCampaignField *
find_campaign_field_ignoring_case (const CcCampaignResourceType *type,
                                   const char                   *name)
{
  for (guint i = 0; type->fields != NULL && i < type->fields->len; i++)
    {
      const CcCampaignField *field = g_ptr_array_index (type->fields, i);

      if (g_ascii_strcasecmp (field->name, name) == 0)
        return field;
    }
  return NULL;
}

/* The link to the parent is an item of its own: the same field may be
 * mapped too (and then refused as a link). */
static char *
link_id (const CcTableMapping *mapping)
{
  g_autofree char *field = cc_check_field_id (mapping->target, mapping->parent_link);

  return g_strconcat (field, "#link", NULL);
}

static void
check_campaign_field (const CcTableMapping         *mapping,
                      const CcCampaignResourceType *type,
                      const char                   *name,
                      CcCheckReport                *report)
{
  const CcCampaignField *field = cc_campaign_resource_type_find_field (type, name);
  const char *resource = mapping->target;
  g_autofree char *id = cc_check_field_id (resource, name);
  g_autofree char *label = cc_check_field_label (resource, name);
  g_autofree char *why = NULL;
  g_autofree char *steps = NULL;

  if (field == NULL)
    {
      const CcCampaignField *near = find_campaign_field_ignoring_case (type, name);

      if (near != NULL)
        {
          why = g_strdup_printf (_("Field “%s” does not exist in Campaign resource “%s” (did you mean “%s”?)"),
                                 name, resource, near->name);
          steps = g_strdup_printf (_("Write “%s” in the mapping “%s”."), near->name, mapping->id);
        }
      else
        {
          why = g_strdup_printf (_("Field “%s” does not exist in Campaign resource “%s”"), name, resource);
          steps = cc_check_field_steps (resource, name);
        }
    }
  else if (field->read_only)
    {
      why = g_strdup_printf (_("Campaign field “%s” is read-only and cannot be written"), name);
      steps = g_strdup_printf (_("Map the value into another field in the mapping “%s”."), mapping->id);
    }
  else if (g_strcmp0 (field->type, "link") == 0)
    {
      why = g_strdup_printf (_("Campaign field “%s” of “%s” is a link: it is set from the mapping's "
                               "parent (parent.link), not from a field"), name, resource);
      steps = g_strdup_printf (_("Remove “%s” from the fields of the mapping “%s” and name it as "
                                 "parent.link."), name, mapping->id);
    }
  cc_check_report_schema (report, id, label, why, steps);
}

/* The link that points at the parent's record: a link of the target, to
 * the resource the parent mapping writes. */
static void
check_parent_link (const CcTableMapping         *mapping,
                   const CcCampaignResourceType *type,
                   CcCheckReport                *report)
{
  const CcCampaignField *field = cc_campaign_resource_type_find_field (type, mapping->parent_link);
  const char *parent_resource = mapping->parent_target ? strrchr (mapping->parent_target, '/') : NULL;
  g_autofree char *why = NULL;
  g_autofree char *steps = NULL;
  g_autofree char *id = NULL;
  g_autofree char *label = NULL;

  if (field == NULL)
    why = g_strdup_printf (_("Link “%s” does not exist in Campaign resource “%s”"),
                           mapping->parent_link, mapping->target);
  else if (g_strcmp0 (field->type, "link") != 0)
    why = g_strdup_printf (_("Campaign field “%s” of “%s” is not a link, so it cannot point at the "
                             "parent's record"),
                           mapping->parent_link, mapping->target);
  else if (field->target != NULL && parent_resource != NULL
           && strcmp (field->target, parent_resource + 1) != 0)
    why = g_strdup_printf (_("Link “%s” of “%s” points at “%s” records, but mapping “%s” writes “%s”"),
                           mapping->parent_link, mapping->target, field->target,
                           mapping->parent_mapping, mapping->parent_target);
  id = link_id (mapping);
  label = g_strdup_printf (_("Link “%s” of “%s” to the parent’s records"), mapping->parent_link,
                           mapping->target);
  if (why != NULL)
    steps = g_strdup_printf (_("In Campaign, link “%s” to the parent’s resource under Data structure "
                               "> Links, or fix parent.link of the mapping “%s”."),
                             mapping->target, mapping->id);
  cc_check_report_schema (report, id, label, why, steps);
}

static void
check_column (const CcTableMapping   *mapping,
              const CcDataverseTable *table,
              const char             *name,
              CcCheckReport          *report)
{
  const CcDataverseColumn *column = find_dataverse_column (table, name);
  g_autofree char *id = cc_check_column_id (mapping->source, name);
  g_autofree char *label = cc_check_column_label (mapping->source, name);
  g_autofree char *why = NULL;
  g_autofree char *steps = NULL;

  if (column == NULL)
    {
      why = g_strdup_printf (_("Field “%s” no longer exists in Dynamics 365 table “%s”"),
                             name, mapping->source);
      steps = g_strdup_printf (_("Fix the mapping “%s”, or add the column to the table in Power Apps."),
                               mapping->id);
    }
  else if (!column->valid_for_read)
    {
      why = g_strdup_printf (_("Field “%s” of Dynamics 365 table “%s” cannot be read"),
                             name, mapping->source);
      steps = g_strdup_printf (_("Map another column in the mapping “%s”: the Web API does not "
                                 "read this one."), mapping->id);
    }
  cc_check_report_schema (report, id, label, why, steps);
}

void
cc_table_mapping_check_columns (const CcTableMapping   *mapping,
                                const CcDataverseTable *table,
                                CcCheckReport          *report)
{
  g_auto (GStrv) columns = NULL;

  g_return_if_fail (mapping != NULL);
  g_return_if_fail (table != NULL);
  g_return_if_fail (CC_IS_CHECK_REPORT (report));

  columns = cc_table_mapping_source_columns (mapping);
  for (guint i = 0; columns[i]; i++)
    check_column (mapping, table, columns[i], report);
}

void
cc_table_mapping_check_fields (const CcTableMapping         *mapping,
                               const CcCampaignResourceType *type,
                               CcCheckReport                *report)
{
  g_return_if_fail (mapping != NULL);
  g_return_if_fail (type != NULL);
  g_return_if_fail (CC_IS_CHECK_REPORT (report));

  check_campaign_field (mapping, type, mapping->target_key, report);
  for (guint i = 0; i < mapping->fields->len; i++)
    {
      const CcFieldMapping *field = g_ptr_array_index (mapping->fields, i);

      check_campaign_field (mapping, type, field->target, report);
    }
  if (mapping->parent_link != NULL)
    check_parent_link (mapping, type, report);
}
