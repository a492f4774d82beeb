/* cc-ingress-config-schema.c — a table mapping against the live schemas.
 *
 * While a workflow is Starting, the engine reads the Dynamics 365 table
 * and the Campaign resource type and asks whether the mapping still fits
 * them. Schemas change under a running integration (a field is deleted or
 * renamed in Power Apps, a custom field is dropped in Campaign), so the
 * refusals name the field and the system in words the user can act on,
 * and they end in the workflow's LastError.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

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

static gboolean
check_campaign_field (const CcCampaignResourceType *type,
                      const char                   *resource,
                      const char                   *name,
                      GError                      **error)
{
  const CcCampaignField *field = cc_campaign_resource_type_find_field (type, name);

  if (field == NULL)
    {
      const CcCampaignField *near = find_campaign_field_ignoring_case (type, name);

      if (near != NULL)
        g_set_error (error, CC_ERROR, CC_ERROR_SCHEMA,
                     _("Field “%s” does not exist in Campaign resource “%s” (did you mean “%s”?)"),
                     name, resource, near->name);
      else
        g_set_error (error, CC_ERROR, CC_ERROR_SCHEMA,
                     _("Field “%s” does not exist in Campaign resource “%s”"), name, resource);
      return FALSE;
    }
  if (field->read_only)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_SCHEMA,
                   _("Campaign field “%s” is read-only and cannot be written"), name);
      return FALSE;
    }
  if (g_strcmp0 (field->type, "link") == 0)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_SCHEMA,
                   _("Campaign field “%s” of “%s” is a link: it is set from the mapping's "
                     "parent (parent.link), not from a field"),
                   name, resource);
      return FALSE;
    }
  return TRUE;
}

/* The link that points at the parent's record: a link of the target, to
 * the resource the parent mapping writes. */
static gboolean
check_parent_link (const CcTableMapping         *mapping,
                   const CcCampaignResourceType *type,
                   GError                      **error)
{
  const CcCampaignField *field = cc_campaign_resource_type_find_field (type, mapping->parent_link);
  const char *parent_resource = mapping->parent_target ? strrchr (mapping->parent_target, '/') : NULL;

  if (field == NULL)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_SCHEMA,
                   _("Link “%s” does not exist in Campaign resource “%s”"),
                   mapping->parent_link, mapping->target);
      return FALSE;
    }
  if (g_strcmp0 (field->type, "link") != 0)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_SCHEMA,
                   _("Campaign field “%s” of “%s” is not a link, so it cannot point at the "
                     "parent's record"),
                   mapping->parent_link, mapping->target);
      return FALSE;
    }
  if (field->target != NULL && parent_resource != NULL
      && strcmp (field->target, parent_resource + 1) != 0)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_SCHEMA,
                   _("Link “%s” of “%s” points at “%s” records, but mapping “%s” writes “%s”"),
                   mapping->parent_link, mapping->target, field->target,
                   mapping->parent_mapping, mapping->parent_target);
      return FALSE;
    }
  return TRUE;
}

gboolean
cc_table_mapping_check_schema (const CcTableMapping         *mapping,
                               const CcDataverseTable       *table,
                               const CcCampaignResourceType *type,
                               GError                      **error)
{
  g_auto (GStrv) columns = NULL;

  g_return_val_if_fail (mapping != NULL, FALSE);
  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (type != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (table->logical_name, mapping->source) != 0)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_SCHEMA,
                   _("Mapping “%s” reads Dynamics 365 table “%s”, not “%s”"),
                   mapping->id, mapping->source, table->logical_name);
      return FALSE;
    }
  columns = cc_table_mapping_source_columns (mapping);
  for (guint i = 0; columns[i]; i++)
    {
      const CcDataverseColumn *column = find_dataverse_column (table, columns[i]);

      if (column == NULL)
        {
          g_set_error (error, CC_ERROR, CC_ERROR_SCHEMA,
                       _("Field “%s” no longer exists in Dynamics 365 table “%s”"),
                       columns[i], mapping->source);
          return FALSE;
        }
      if (!column->valid_for_read)
        {
          g_set_error (error, CC_ERROR, CC_ERROR_SCHEMA,
                       _("Field “%s” of Dynamics 365 table “%s” cannot be read"),
                       columns[i], mapping->source);
          return FALSE;
        }
    }

  if (!check_campaign_field (type, mapping->target, mapping->target_key, error))
    return FALSE;
  for (guint i = 0; i < mapping->fields->len; i++)
    {
      const CcFieldMapping *field = g_ptr_array_index (mapping->fields, i);

      if (!check_campaign_field (type, mapping->target, field->target, error))
        return FALSE;
    }
  if (mapping->parent_link != NULL && !check_parent_link (mapping, type, error))
    return FALSE;
  return TRUE;
}
