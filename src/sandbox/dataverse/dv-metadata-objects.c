/* dv-metadata-objects.c — the metadata entities as the Web API shows
 * them: EntityMetadata with every documented property, AttributeMetadata
 * (the common properties plus those of each derived type), option sets,
 * and EntityKeyMetadata. Built from the live table definitions, so a
 * table, column or key added later shows at once.
 *
 * Property names and types follow Microsoft's EntityMetadata,
 * AttributeMetadata and EntityKeyMetadata references; the values are the
 * emulator's own (a customizable, unmanaged-where-custom environment).
 */
#include "config.h"

#include <string.h>

#include "dv-private.h"
#include "cc-sandbox-seed.h"

/* When the seeded metadata was "created": the seeded rows' epoch. */
#define METADATA_STAMP "2025-01-01T00:00:00Z"

static const char *const required_names[] = {
  [DV_REQUIRED_NONE] = "None",
  [DV_REQUIRED_SYSTEM] = "SystemRequired",
  [DV_REQUIRED_APPLICATION] = "ApplicationRequired",
  [DV_REQUIRED_RECOMMENDED] = "Recommended",
};

/* ---- complex types ------------------------------------------------------ */

JsonObject *
dv_metadata_label (DvServer   *self,
                   const char *text)
{
  JsonObject *label = json_object_new ();
  JsonArray *all = json_array_new ();
  JsonObject *localized;
  g_autofree char *kind = NULL;
  g_autofree char *id = NULL;

  if (text == NULL)
    {
      json_object_set_array_member (label, "LocalizedLabels", all);
      json_object_set_null_member (label, "UserLocalizedLabel");
      return label;
    }
  kind = g_strconcat ("label:", text, NULL);
  id = cc_sandbox_seed_guid (self->options.seed, kind, 0);
  localized = json_object_new ();
  json_object_set_string_member (localized, "Label", text);
  json_object_set_int_member (localized, "LanguageCode", 1033);
  json_object_set_boolean_member (localized, "IsManaged", TRUE);
  json_object_set_string_member (localized, "MetadataId", id);
  json_object_set_null_member (localized, "HasChanged");
  json_array_add_object_element (all, json_object_ref (localized));
  json_object_set_array_member (label, "LocalizedLabels", all);
  json_object_set_object_member (label, "UserLocalizedLabel", localized);
  return label;
}

/* A BooleanManagedProperty. */
static void
set_managed (JsonObject *obj,
             const char *name,
             gboolean    value,
             gboolean    can_be_changed,
             const char *logical_name)
{
  JsonObject *managed = json_object_new ();

  json_object_set_boolean_member (managed, "Value", value);
  json_object_set_boolean_member (managed, "CanBeChanged", can_be_changed);
  json_object_set_string_member (managed, "ManagedPropertyLogicalName", logical_name);
  json_object_set_object_member (obj, name, managed);
}

static void
set_string_or_null (JsonObject *obj,
                    const char *name,
                    const char *value)
{
  if (value != NULL)
    json_object_set_string_member (obj, name, value);
  else
    json_object_set_null_member (obj, name);
}

typedef struct
{
  const char *name;
  gboolean    value;
} FixedFlag;

typedef struct
{
  const char *name;
  gboolean    value;
  gboolean    can_be_changed;
  const char *logical_name;
} FixedManaged;

static void
set_flags (JsonObject      *obj,
           const FixedFlag *flags,
           guint            n)
{
  for (guint i = 0; i < n; i++)
    json_object_set_boolean_member (obj, flags[i].name, flags[i].value);
}

static void
set_managed_flags (JsonObject         *obj,
                   const FixedManaged *flags,
                   guint               n)
{
  for (guint i = 0; i < n; i++)
    set_managed (obj, flags[i].name, flags[i].value, flags[i].can_be_changed, flags[i].logical_name);
}

static void
set_nulls (JsonObject        *obj,
           const char *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    json_object_set_null_member (obj, names[i]);
}

/* ---- EntityMetadata ----------------------------------------------------- */

/* Properties whose value is the same for every emulated table. */
static const FixedFlag entity_flags[] = {
  { "AutoCreateAccessTeams", FALSE }, { "AutoReplicateClusterRecords", FALSE },
  { "AutoRouteToOwnerQueue", FALSE }, { "CanChangeClusterMode", FALSE },
  { "CanTriggerWorkflow", TRUE }, { "EnforceStateTransitions", FALSE },
  { "EntityHelpUrlEnabled", FALSE }, { "HasFeedback", FALSE }, { "IsAIRUpdated", FALSE },
  { "IsArchivalEnabled", FALSE }, { "IsAvailableOffline", TRUE }, { "IsBPFEntity", FALSE },
  { "IsBusinessProcessEnabled", FALSE }, { "IsChildEntity", FALSE },
  { "IsDocumentManagementEnabled", FALSE }, { "IsDocumentRecommendationsEnabled", FALSE },
  { "IsEnabledForCharts", TRUE }, { "IsEnabledForExternalChannels", FALSE },
  { "IsEnabledForTrace", FALSE }, { "IsImportable", TRUE }, { "IsInteractionCentricEnabled", FALSE },
  { "IsIntersect", FALSE }, { "IsKnowledgeManagementEnabled", FALSE }, { "IsLogicalEntity", FALSE },
  { "IsMSTeamsIntegrationEnabled", FALSE }, { "IsOneNoteIntegrationEnabled", FALSE },
  /* The emulator honours If-Match with row versions. */
  { "IsOptimisticConcurrencyEnabled", TRUE }, { "IsPrivate", FALSE }, { "IsQuickCreateEnabled", FALSE },
  { "IsReadingPaneEnabled", TRUE }, { "IsRetentionEnabled", FALSE }, { "IsRetrieveAuditEnabled", FALSE },
  { "IsRetrieveMultipleAuditEnabled", FALSE }, { "IsSLAEnabled", FALSE }, { "IsSolutionAware", FALSE },
  { "IsValidForAdvancedFind", TRUE }, { "SyncToExternalSearchIndex", FALSE },
  { "UsesBusinessDataLabelTable", FALSE },
};

static const FixedManaged entity_managed[] = {
  { "CanBeInCustomEntityAssociation", TRUE, FALSE, "canbeincustomentityassociation" },
  { "CanBeInManyToMany", TRUE, FALSE, "canbeinmanytomany" },
  { "CanBePrimaryEntityInRelationship", TRUE, FALSE, "canbeprimaryentityinrelationship" },
  { "CanBeRelatedEntityInRelationship", TRUE, FALSE, "canberelatedentityinrelationship" },
  { "CanChangeHierarchicalRelationship", TRUE, FALSE, "canchangehierarchicalrelationship" },
  { "CanChangeTrackingBeEnabled", TRUE, FALSE, "canchangetrackingbeenabled" },
  { "CanCreateAttributes", TRUE, FALSE, "cancreateattributes" },
  { "CanCreateCharts", TRUE, FALSE, "cancreatecharts" },
  { "CanCreateForms", TRUE, FALSE, "cancreateforms" },
  { "CanCreateViews", TRUE, FALSE, "cancreateviews" },
  { "CanEnableSyncToExternalSearchIndex", TRUE, FALSE, "canenablesynctoexternalsearchindex" },
  { "CanModifyAdditionalSettings", TRUE, FALSE, "canmodifyadditionalsettings" },
  { "IsAuditEnabled", FALSE, TRUE, "canmodifyauditsettings" },
  { "IsConnectionsEnabled", FALSE, TRUE, "canmodifyconnectionsettings" },
  { "IsCustomizable", TRUE, TRUE, "iscustomizable" },
  { "IsDuplicateDetectionEnabled", FALSE, TRUE, "canmodifyduplicatedetectionsettings" },
  { "IsMailMergeEnabled", TRUE, TRUE, "canmodifymailmergesettings" },
  { "IsMappable", TRUE, FALSE, "ismappable" },
  { "IsOfflineInMobileClient", FALSE, TRUE, "canmodifymobileclientoffline" },
  { "IsReadOnlyInMobileClient", FALSE, TRUE, "canmodifymobileclientreadonly" },
  { "IsRenameable", TRUE, FALSE, "isrenameable" },
  { "IsValidForQueue", FALSE, TRUE, "canmodifyqueuesettings" },
  { "IsVisibleInMobile", TRUE, TRUE, "canmodifymobilevisibility" },
  { "IsVisibleInMobileClient", TRUE, TRUE, "canmodifymobileclientvisibility" },
};

static const char *const entity_nulls[] = {
  "DataProviderId", "DataSourceId", "EntityColor", "EntityHelpUrl", "ExternalCollectionName",
  "ExternalName", "HasChanged", "IconLargeName", "IconMediumName", "IconSmallName", "IconVectorName",
  "MobileOfflineFilters", "OwnerId", "OwningBusinessUnit", "PrimaryImageAttribute",
  "RecurrenceBaseEntityLogicalName", "SettingOf", NULL
};

/* The standard privileges of a user-owned table. */
static JsonArray *
privileges_of (DvServer *self,
               DvTable  *table)
{
  static const char *const kinds[] = { "Create", "Read", "Write", "Delete", "Assign", "Share",
                                       "Append", "AppendTo" };
  JsonArray *out = json_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      JsonObject *privilege = json_object_new ();
      g_autofree char *name = dv_table_privilege (table, kinds[i]);
      g_autofree char *id = dv_privilege_id (self, name);

      json_object_set_boolean_member (privilege, "CanBeBasic", TRUE);
      json_object_set_boolean_member (privilege, "CanBeDeep", TRUE);
      json_object_set_boolean_member (privilege, "CanBeGlobal", TRUE);
      json_object_set_boolean_member (privilege, "CanBeLocal", TRUE);
      json_object_set_boolean_member (privilege, "CanBeEntityReference", FALSE);
      json_object_set_boolean_member (privilege, "CanBeParentEntityReference", FALSE);
      json_object_set_boolean_member (privilege, "CanBeRecordFilter", FALSE);
      json_object_set_string_member (privilege, "Name", name);
      json_object_set_string_member (privilege, "PrivilegeId", id);
      json_object_set_string_member (privilege, "PrivilegeType", kinds[i]);
      json_array_add_object_element (out, privilege);
    }
  return out;
}

gint64
dv_table_object_type_code (DvServer *self,
                           DvTable  *table)
{
  static const struct { const char *name; gint64 code; } system_codes[] = {
    { "contact", 2 }, { "solution", 7100 }, { "publisher", 7101 },
  };
  guint index = 0;

  for (guint i = 0; i < G_N_ELEMENTS (system_codes); i++)
    if (g_str_equal (table->logical_name, system_codes[i].name))
      return system_codes[i].code;
  g_ptr_array_find (self->tables, table, &index);
  return 10000 + (gint64) index;
}

JsonObject *
dv_entity_metadata (DvServer *self,
                    DvTable  *table)
{
  JsonObject *obj = json_object_new ();
  g_autofree char *collection = g_strconcat (table->logical_name, "s", NULL);
  g_autofree char *collection_schema = g_strconcat (table->schema_name, "s", NULL);
  g_autofree char *collection_display = g_strconcat (table->display_name, "s", NULL);
  g_autofree char *report_view = g_strconcat ("Filtered", table->schema_name, NULL);
  gboolean is_contact = g_str_equal (table->logical_name, "contact");
  JsonArray *primary_key = json_array_new ();
  guint index = 0;

  g_ptr_array_find (self->tables, table, &index);
  json_array_add_string_element (primary_key, table->primary_id);

  json_object_set_string_member (obj, "MetadataId", table->metadata_id);
  json_object_set_string_member (obj, "LogicalName", table->logical_name);
  json_object_set_string_member (obj, "SchemaName", table->schema_name);
  json_object_set_string_member (obj, "EntitySetName", table->entity_set);
  json_object_set_string_member (obj, "LogicalCollectionName", collection);
  json_object_set_string_member (obj, "CollectionSchemaName", collection_schema);
  json_object_set_string_member (obj, "PrimaryIdAttribute", table->primary_id);
  set_string_or_null (obj, "PrimaryNameAttribute", table->primary_name);
  json_object_set_array_member (obj, "PrimaryKey", primary_key);
  json_object_set_boolean_member (obj, "ChangeTrackingEnabled", table->change_tracking);
  json_object_set_boolean_member (obj, "IsCustomEntity", table->is_custom);
  json_object_set_boolean_member (obj, "IsManaged", !table->is_custom);
  json_object_set_boolean_member (obj, "IsActivity", table->is_activity);
  json_object_set_boolean_member (obj, "IsActivityParty", is_contact);
  json_object_set_boolean_member (obj, "HasActivities", is_contact);
  json_object_set_boolean_member (obj, "HasNotes", is_contact);
  json_object_set_boolean_member (obj, "HasEmailAddresses", dv_table_column (table, "emailaddress1") != NULL);
  json_object_set_boolean_member (obj, "IsStateModelAware", dv_table_column (table, "statecode") != NULL);
  json_object_set_int_member (obj, "ActivityTypeMask", table->is_activity ? 1 : 0);
  json_object_set_int_member (obj, "ObjectTypeCode", dv_table_object_type_code (self, table));
  json_object_set_string_member (obj, "OwnershipType", table->ownership);
  json_object_set_int_member (obj, "OwnerIdType", 8);
  json_object_set_string_member (obj, "ClusterMode", "Partitioned");
  json_object_set_string_member (obj, "TableType", "Standard");
  json_object_set_string_member (obj, "IntroducedVersion", table->is_custom ? "1.0" : "5.0.0.0");
  json_object_set_string_member (obj, "ReportViewName", report_view);
  json_object_set_string_member (obj, "CreatedOn", METADATA_STAMP);
  json_object_set_string_member (obj, "ModifiedOn", METADATA_STAMP);
  json_object_set_int_member (obj, "DaysSinceRecordLastModified", 0);
  json_object_set_object_member (obj, "DisplayName", dv_metadata_label (self, table->display_name));
  json_object_set_object_member (obj, "DisplayCollectionName", dv_metadata_label (self, collection_display));
  json_object_set_object_member (obj, "Description", dv_metadata_label (self, NULL));
  json_object_set_array_member (obj, "Privileges", privileges_of (self, table));
  json_object_set_array_member (obj, "Settings", json_array_new ());
  set_flags (obj, entity_flags, G_N_ELEMENTS (entity_flags));
  set_managed_flags (obj, entity_managed, G_N_ELEMENTS (entity_managed));
  if (!table->customizable)
    {
      set_managed (obj, "IsCustomizable", FALSE, FALSE, "iscustomizable");
      set_managed (obj, "CanCreateAttributes", FALSE, FALSE, "cancreateattributes");
      set_managed (obj, "CanChangeTrackingBeEnabled", FALSE, FALSE, "canchangetrackingbeenabled");
    }
  set_nulls (obj, entity_nulls);
  return obj;
}

/* ---- AttributeMetadata -------------------------------------------------- */

/* The derived metadata type's stem: "String" of StringAttributeMetadata. */
static const char *
metadata_kind (DvColumn *column)
{
  /* The one type whose metadata name is cased apart from AttributeType. */
  if (column->type == DV_TYPE_UNIQUEIDENTIFIER)
    return "UniqueIdentifier";
  return dv_column_attribute_type (column);
}

char *
dv_attribute_cast (DvColumn *column)
{
  return g_strdup_printf (DV_NAMESPACE ".%sAttributeMetadata", metadata_kind (column));
}

gboolean
dv_column_has_options (DvColumn *column)
{
  return column->n_options > 0 || column->type == DV_TYPE_BOOLEAN;
}

/* What every AttributeMetadata has; a derived type adds its own. */
const char *const dv_attribute_base_properties[] = {
  "AttributeOf", "AttributeType", "AttributeTypeName", "AutoNumberFormat", "CanBeSecuredForCreate",
  "CanBeSecuredForRead", "CanBeSecuredForUpdate", "CanModifyAdditionalSettings", "ColumnNumber",
  "CreatedOn", "DeprecatedVersion", "Description", "DisplayName", "EntityLogicalName", "ExternalName",
  "HasChanged", "InheritsFrom", "IntroducedVersion", "IsAuditEnabled", "IsCustomAttribute",
  "IsCustomizable", "IsDataSourceSecret", "IsFilterable", "IsGlobalFilterEnabled", "IsLogical",
  "IsManaged", "IsPrimaryId", "IsPrimaryName", "IsRenameable", "IsRequiredForForm", "IsRetrievable",
  "IsSearchable", "IsSecured", "IsSortableEnabled", "IsValidForAdvancedFind", "IsValidForCreate",
  "IsValidForForm", "IsValidForGrid", "IsValidForRead", "IsValidForUpdate", "IsValidODataAttribute",
  "LinkedAttributeId", "LogicalName", "MetadataId", "ModifiedOn", "RequiredLevel", "SchemaName",
  "Settings", "SourceType", NULL
};

static const FixedFlag attribute_flags[] = {
  { "CanBeSecuredForCreate", FALSE }, { "CanBeSecuredForRead", FALSE },
  { "CanBeSecuredForUpdate", FALSE }, { "IsDataSourceSecret", FALSE }, { "IsFilterable", TRUE },
  { "IsLogical", FALSE }, { "IsRequiredForForm", FALSE }, { "IsRetrievable", TRUE },
  { "IsSearchable", TRUE }, { "IsSecured", FALSE }, { "IsValidForForm", TRUE },
  { "IsValidForGrid", TRUE }, { "IsValidForRead", TRUE }, { "IsValidODataAttribute", TRUE },
};

static const FixedManaged attribute_managed[] = {
  { "CanModifyAdditionalSettings", TRUE, FALSE, "canmodifyadditionalsettings" },
  { "IsAuditEnabled", TRUE, TRUE, "canmodifyauditsettings" },
  { "IsCustomizable", TRUE, TRUE, "iscustomizable" },
  { "IsGlobalFilterEnabled", FALSE, TRUE, "canmodifyglobalfiltersettings" },
  { "IsRenameable", TRUE, TRUE, "isrenameable" },
  { "IsSortableEnabled", FALSE, TRUE, "canmodifyissortablesettings" },
  { "IsValidForAdvancedFind", TRUE, TRUE, "canmodifysearchsettings" },
};

static const char *const attribute_nulls[] = {
  "AttributeOf", "AutoNumberFormat", "DeprecatedVersion", "ExternalName", "HasChanged",
  "InheritsFrom", "LinkedAttributeId", "SourceType", NULL
};

/* The members a derived attribute type adds (notes §11). */
static void
add_derived_members (JsonObject *obj,
                     DvColumn   *column)
{
  switch (column->type)
    {
    case DV_TYPE_STRING:
    case DV_TYPE_MEMO:
      json_object_set_int_member (obj, "MaxLength", column->max_length);
      json_object_set_int_member (obj, "DatabaseLength", column->max_length * 2);
      json_object_set_string_member (obj, "Format", g_str_has_prefix (column->logical_name, "emailaddress")
                                                    ? "Email" : "Text");
      break;
    case DV_TYPE_LOOKUP:
      {
        JsonArray *targets = json_array_new ();

        json_array_add_string_element (targets, column->target);
        json_object_set_array_member (obj, "Targets", targets);
        break;
      }
    case DV_TYPE_DATE:
    case DV_TYPE_DATETIME:
      {
        JsonObject *behavior = json_object_new ();

        json_object_set_string_member (obj, "Format", column->type == DV_TYPE_DATE ? "DateOnly" : "DateAndTime");
        json_object_set_string_member (behavior, "Value", column->type == DV_TYPE_DATE ? "DateOnly" : "UserLocal");
        json_object_set_object_member (obj, "DateTimeBehavior", behavior);
        break;
      }
    case DV_TYPE_BIGINT:
      json_object_set_int_member (obj, "MinValue", G_MININT64);
      json_object_set_int_member (obj, "MaxValue", G_MAXINT64);
      break;
    case DV_TYPE_INTEGER:
      json_object_set_string_member (obj, "Format", "None");
      json_object_set_int_member (obj, "MinValue", -2147483648LL);
      json_object_set_int_member (obj, "MaxValue", G_MAXINT32);
      break;
    case DV_TYPE_PICKLIST:
    case DV_TYPE_STATE:
    case DV_TYPE_STATUS:
    case DV_TYPE_BOOLEAN:
      json_object_set_null_member (obj, "DefaultFormValue");
      break;
    case DV_TYPE_UNIQUEIDENTIFIER:
    default:
      break;
    }
}

JsonObject *
dv_attribute_metadata (DvServer *self,
                       DvTable  *table,
                       DvColumn *column)
{
  JsonObject *obj = json_object_new ();
  g_autofree char *odata_type = g_strdup_printf ("#" DV_NAMESPACE ".%sAttributeMetadata",
                                                 metadata_kind (column));
  g_autofree char *type_name = g_strconcat (dv_column_attribute_type (column), "Type", NULL);
  JsonObject *type_value = json_object_new ();
  JsonObject *required = json_object_new ();
  guint index = 0;

  g_ptr_array_find (table->columns, column, &index);
  json_object_set_string_member (obj, "@odata.type", odata_type);
  json_object_set_string_member (obj, "MetadataId", column->metadata_id);
  json_object_set_string_member (obj, "LogicalName", column->logical_name);
  json_object_set_string_member (obj, "SchemaName", column->schema_name);
  json_object_set_string_member (obj, "EntityLogicalName", table->logical_name);
  json_object_set_string_member (obj, "AttributeType", dv_column_attribute_type (column));
  json_object_set_string_member (type_value, "Value", type_name);
  json_object_set_object_member (obj, "AttributeTypeName", type_value);
  json_object_set_int_member (obj, "ColumnNumber", index + 1);
  json_object_set_boolean_member (obj, "IsValidForCreate", column->valid_for_create);
  json_object_set_boolean_member (obj, "IsValidForUpdate", column->valid_for_update);
  json_object_set_boolean_member (obj, "IsPrimaryId", column->is_primary_id);
  json_object_set_boolean_member (obj, "IsPrimaryName", column->is_primary_name);
  json_object_set_boolean_member (obj, "IsCustomAttribute", column->is_custom);
  json_object_set_boolean_member (obj, "IsManaged", !column->is_custom);
  json_object_set_string_member (obj, "IntroducedVersion", column->is_custom ? "1.0" : "5.0.0.0");
  json_object_set_string_member (obj, "CreatedOn", METADATA_STAMP);
  json_object_set_string_member (obj, "ModifiedOn", METADATA_STAMP);
  json_object_set_object_member (obj, "DisplayName", dv_metadata_label (self, column->display_name));
  json_object_set_object_member (obj, "Description", dv_metadata_label (self, NULL));
  json_object_set_string_member (required, "Value", required_names[column->required_level]);
  /* System columns keep their level; custom ones may change it. */
  json_object_set_boolean_member (required, "CanBeChanged", column->is_custom);
  json_object_set_string_member (required, "ManagedPropertyLogicalName", "canmodifyrequirementlevelsettings");
  json_object_set_object_member (obj, "RequiredLevel", required);
  json_object_set_array_member (obj, "Settings", json_array_new ());
  set_flags (obj, attribute_flags, G_N_ELEMENTS (attribute_flags));
  set_managed_flags (obj, attribute_managed, G_N_ELEMENTS (attribute_managed));
  set_nulls (obj, attribute_nulls);
  add_derived_members (obj, column);
  return obj;
}

JsonObject *
dv_option_set_metadata (DvServer *self,
                        DvTable  *table,
                        DvColumn *column)
{
  JsonObject *set = json_object_new ();
  g_autofree char *kind = g_strdup_printf ("optionset:%s.%s", table->logical_name, column->logical_name);
  g_autofree char *id = cc_sandbox_seed_guid (self->options.seed, kind, 0);
  g_autofree char *name = g_strdup_printf ("%s_%s", table->logical_name, column->logical_name);

  json_object_set_string_member (set, "MetadataId", id);
  json_object_set_string_member (set, "Name", name);
  json_object_set_boolean_member (set, "IsGlobal", FALSE);
  if (column->type == DV_TYPE_BOOLEAN)
    {
      JsonObject *t = json_object_new ();
      JsonObject *f = json_object_new ();

      json_object_set_string_member (set, "OptionSetType", "Boolean");
      json_object_set_int_member (t, "Value", 1);
      json_object_set_object_member (t, "Label", dv_metadata_label (self, column->true_label));
      json_object_set_int_member (f, "Value", 0);
      json_object_set_object_member (f, "Label", dv_metadata_label (self, column->false_label));
      json_object_set_object_member (set, "TrueOption", t);
      json_object_set_object_member (set, "FalseOption", f);
    }
  else
    {
      JsonArray *options = json_array_new ();

      json_object_set_string_member (set, "OptionSetType", metadata_kind (column));
      for (guint i = 0; i < column->n_options; i++)
        {
          JsonObject *option = json_object_new ();

          json_object_set_int_member (option, "Value", column->options[i].value);
          json_object_set_object_member (option, "Label", dv_metadata_label (self, column->options[i].label));
          json_object_set_null_member (option, "Color");
          json_object_set_boolean_member (option, "IsManaged", !column->is_custom);
          json_array_add_object_element (options, option);
        }
      json_object_set_array_member (set, "Options", options);
    }
  return set;
}

/* ---- EntityKeyMetadata -------------------------------------------------- */

JsonObject *
dv_key_metadata (DvServer *self,
                 DvTable  *table,
                 DvKey    *key)
{
  JsonObject *obj = json_object_new ();
  JsonArray *attributes = json_array_new ();

  for (guint i = 0; key->properties[i] != NULL; i++)
    json_array_add_string_element (attributes, dv_table_column (table, key->properties[i])->logical_name);

  json_object_set_string_member (obj, "MetadataId", key->metadata_id);
  json_object_set_string_member (obj, "LogicalName", key->logical_name);
  json_object_set_string_member (obj, "SchemaName", key->schema_name);
  json_object_set_string_member (obj, "EntityLogicalName", table->logical_name);
  json_object_set_array_member (obj, "KeyAttributes", attributes);
  json_object_set_object_member (obj, "DisplayName", dv_metadata_label (self, key->display_name));
  json_object_set_string_member (obj, "EntityKeyIndexStatus", key->status);
  json_object_set_null_member (obj, "AsyncJob");
  json_object_set_null_member (obj, "HasChanged");
  json_object_set_string_member (obj, "IntroducedVersion", "1.0");
  set_managed (obj, "IsCustomizable", TRUE, TRUE, "iscustomizable");
  json_object_set_boolean_member (obj, "IsManaged", FALSE);
  json_object_set_boolean_member (obj, "IsExportKey", FALSE);
  json_object_set_boolean_member (obj, "IsSecondaryKey", FALSE);
  json_object_set_boolean_member (obj, "IsSynchronous", TRUE);
  return obj;
}

/* ---- enumerations ------------------------------------------------------- */

const char *
dv_metadata_enum_type (const char *property)
{
  static const struct
  {
    const char *property;
    const char *type;
  } enums[] = {
    { "AttributeType", DV_NAMESPACE ".AttributeTypeCode" },
    { "OwnershipType", DV_NAMESPACE ".OwnershipTypes" },
    { "RequiredLevel/Value", DV_NAMESPACE ".AttributeRequiredLevel" },
    { "EntityKeyIndexStatus", DV_NAMESPACE ".EntityKeyIndexStatus" },
    { "OptionSetType", DV_NAMESPACE ".OptionSetType" },
    { "ClusterMode", DV_NAMESPACE ".EntityClusterMode" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (enums); i++)
    if (g_str_equal (property, enums[i].property))
      return enums[i].type;
  return NULL;
}
