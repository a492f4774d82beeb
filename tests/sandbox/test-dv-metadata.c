/* test-dv-metadata.c — the Dataverse emulator's EntityDefinitions as
 * Microsoft documents them: every EntityMetadata property without
 * $select, alternate keys (Keys), enumeration literals and complex-value
 * paths in $filter, and required levels.
 */
#include <string.h>

#include "cc-test-util.h"
#include "dv-fixture.h"

#define ADD(path, func) g_test_add (path, DvFixture, NULL, dv_fixture_setup, func, dv_fixture_teardown)

static GStrv
logical_names (DvReply *reply)
{
  JsonArray *value = dv_reply_value (reply);
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv names;

  for (guint i = 0; i < json_array_get_length (value); i++)
    g_strv_builder_add (builder, json_object_get_string_member (json_array_get_object_element (value, i),
                                                                "LogicalName"));
  names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return names;
}

/* The EntityMetadata properties of Microsoft's EntityMetadata EntityType
 * reference: all of them come back when no $select limits the answer. */
static void
test_entity_full_properties (DvFixture     *f,
                             gconstpointer  data)
{
  static const char *const documented[] = {
    "ActivityTypeMask", "AutoCreateAccessTeams", "AutoReplicateClusterRecords", "AutoRouteToOwnerQueue",
    "CanBeInCustomEntityAssociation", "CanBeInManyToMany", "CanBePrimaryEntityInRelationship",
    "CanBeRelatedEntityInRelationship", "CanChangeClusterMode", "CanChangeHierarchicalRelationship",
    "CanChangeTrackingBeEnabled", "CanCreateAttributes", "CanCreateCharts", "CanCreateForms",
    "CanCreateViews", "CanEnableSyncToExternalSearchIndex", "CanModifyAdditionalSettings",
    "CanTriggerWorkflow", "ChangeTrackingEnabled", "ClusterMode", "CollectionSchemaName", "CreatedOn",
    "DataProviderId", "DataSourceId", "DaysSinceRecordLastModified", "Description",
    "DisplayCollectionName", "DisplayName", "EnforceStateTransitions", "EntityColor", "EntityHelpUrl",
    "EntityHelpUrlEnabled", "EntitySetName", "ExternalCollectionName", "ExternalName", "HasActivities",
    "HasChanged", "HasEmailAddresses", "HasFeedback", "HasNotes", "IconLargeName", "IconMediumName",
    "IconSmallName", "IconVectorName", "IntroducedVersion", "IsActivity", "IsActivityParty",
    "IsAIRUpdated", "IsArchivalEnabled", "IsAuditEnabled", "IsAvailableOffline", "IsBPFEntity",
    "IsBusinessProcessEnabled", "IsChildEntity", "IsConnectionsEnabled", "IsCustomEntity",
    "IsCustomizable", "IsDocumentManagementEnabled", "IsDocumentRecommendationsEnabled",
    "IsDuplicateDetectionEnabled", "IsEnabledForCharts", "IsEnabledForExternalChannels",
    "IsEnabledForTrace", "IsImportable", "IsInteractionCentricEnabled", "IsIntersect",
    "IsKnowledgeManagementEnabled", "IsLogicalEntity", "IsMailMergeEnabled", "IsManaged", "IsMappable",
    "IsMSTeamsIntegrationEnabled", "IsOfflineInMobileClient", "IsOneNoteIntegrationEnabled",
    "IsOptimisticConcurrencyEnabled", "IsPrivate", "IsQuickCreateEnabled", "IsReadingPaneEnabled",
    "IsReadOnlyInMobileClient", "IsRenameable", "IsRetentionEnabled", "IsRetrieveAuditEnabled",
    "IsRetrieveMultipleAuditEnabled", "IsSLAEnabled", "IsSolutionAware", "IsStateModelAware",
    "IsValidForAdvancedFind", "IsValidForQueue", "IsVisibleInMobile", "IsVisibleInMobileClient",
    "LogicalCollectionName", "LogicalName", "MetadataId", "MobileOfflineFilters", "ModifiedOn",
    "ObjectTypeCode", "OwnerId", "OwnerIdType", "OwnershipType", "OwningBusinessUnit",
    "PrimaryIdAttribute", "PrimaryImageAttribute", "PrimaryNameAttribute", "Privileges",
    "RecurrenceBaseEntityLogicalName", "ReportViewName", "SchemaName", "SettingOf", "Settings",
    "SyncToExternalSearchIndex", "TableType", "UsesBusinessDataLabelTable",
  };
  g_autoptr(DvReply) all = dv_api (f, "GET", "EntityDefinitions", NULL, NULL);
  g_autoptr(DvReply) one = dv_api (f, "GET", "EntityDefinitions(LogicalName='contact')", NULL, NULL);
  JsonArray *value = dv_reply_value (all);
  JsonObject *contact = dv_reply_object (one);
  JsonObject *managed;

  g_assert_cmpuint (json_array_get_length (value), ==, 8);
  for (guint i = 0; i < G_N_ELEMENTS (documented); i++)
    {
      if (!json_object_has_member (contact, documented[i]))
        g_error ("EntityDefinitions(LogicalName='contact') lacks %s", documented[i]);
      for (guint t = 0; t < json_array_get_length (value); t++)
        g_assert_true (json_object_has_member (json_array_get_object_element (value, t), documented[i]));
    }
  g_assert_cmpstr (json_object_get_string_member (contact, "OwnershipType"), ==, "UserOwned");
  managed = json_object_get_object_member (contact, "IsCustomizable");
  g_assert_true (json_object_get_boolean_member (managed, "Value"));
  g_assert_cmpstr (json_object_get_string_member (managed, "ManagedPropertyLogicalName"), ==, "iscustomizable");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (contact, "Privileges")), ==, 8);
  /* Navigation properties only come back when expanded. */
  g_assert_false (json_object_has_member (contact, "Attributes"));
  g_assert_false (json_object_has_member (contact, "Keys"));
}

/* Alternate keys, which a client checks before it upserts by key. */
static void
test_keys (DvFixture     *f,
           gconstpointer  data)
{
  g_autoptr(DvReply) expanded = dv_api (f, "GET", "EntityDefinitions(LogicalName='new_emailsend')"
                                        "?$select=LogicalName&$expand=Keys", NULL, NULL);
  g_autoptr(DvReply) narrowed = dv_api (f, "GET", "EntityDefinitions(LogicalName='new_emailopen')"
                                        "?$select=LogicalName&$expand=Keys($select=KeyAttributes)", NULL, NULL);
  g_autoptr(DvReply) none = dv_api (f, "GET", "EntityDefinitions(LogicalName='contact')"
                                    "?$select=LogicalName&$expand=Keys", NULL, NULL);
  g_autoptr(DvReply) listed = dv_api (f, "GET", "EntityDefinitions(LogicalName='new_emailclick')/Keys", NULL, NULL);
  g_autoptr(DvReply) single = dv_api (f, "GET", "EntityDefinitions(LogicalName='new_emailclick')"
                                      "/Keys(LogicalName='new_campaigneventidkey')?$select=SchemaName", NULL, NULL);
  g_autoptr(DvReply) missing = dv_api (f, "GET", "EntityDefinitions(LogicalName='new_emailclick')"
                                       "/Keys(LogicalName='nope')", NULL, NULL);
  g_autoptr(DvReply) tables_with_keys = dv_api (f, "GET", "EntityDefinitions?$select=LogicalName"
                                                "&$expand=Keys($select=LogicalName)", NULL, NULL);
  JsonArray *keys;
  JsonObject *key;
  JsonArray *value;

  g_assert_cmpuint (expanded->status, ==, 200);
  keys = json_object_get_array_member (dv_reply_object (expanded), "Keys");
  g_assert_cmpuint (json_array_get_length (keys), ==, 1);
  key = json_array_get_object_element (keys, 0);
  g_assert_cmpstr (json_object_get_string_member (key, "LogicalName"), ==, "new_campaigneventidkey");
  g_assert_cmpstr (json_object_get_string_member (key, "SchemaName"), ==, "new_CampaignEventIdKey");
  g_assert_cmpstr (json_object_get_string_member (key, "EntityLogicalName"), ==, "new_emailsend");
  g_assert_cmpstr (json_object_get_string_member (key, "EntityKeyIndexStatus"), ==, "Active");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (key, "KeyAttributes")), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (key, "KeyAttributes"), 0),
                   ==, "new_campaigneventid");
  g_assert_true (json_object_has_member (key, "MetadataId"));

  key = json_array_get_object_element (json_object_get_array_member (dv_reply_object (narrowed), "Keys"), 0);
  g_assert_true (json_object_has_member (key, "KeyAttributes"));
  g_assert_true (json_object_has_member (key, "MetadataId"));
  g_assert_false (json_object_has_member (key, "SchemaName"));

  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (dv_reply_object (none), "Keys")), ==, 0);

  g_assert_cmpuint (json_array_get_length (dv_reply_value (listed)), ==, 1);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (dv_reply_object (listed), "@odata.context"),
                                   "$metadata#EntityDefinitions('new_emailclick')/Keys"));
  g_assert_cmpstr (json_object_get_string_member (dv_reply_object (single), "SchemaName"), ==,
                   "new_CampaignEventIdKey");
  g_assert_cmpuint (missing->status, ==, 404);

  value = dv_reply_value (tables_with_keys);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (dv_find_by (value, "LogicalName", "contact"),
                                                                         "Keys")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (dv_find_by (value, "LogicalName",
                                                                                  "new_emailbounce"),
                                                                         "Keys")), ==, 1);
}

/* Enumeration properties are compared with enumeration literals, complex
 * values through a path to their primitive member. */
static void
test_enum_filters (DvFixture     *f,
                   gconstpointer  data)
{
  g_autoptr(DvReply) booleans = dv_api (f, "GET", "EntityDefinitions(LogicalName='contact')/Attributes"
                                        "?$select=LogicalName&$filter=AttributeType%20eq%20"
                                        "Microsoft.Dynamics.CRM.AttributeTypeCode'Boolean'", NULL, NULL);
  g_autoptr(DvReply) expanded = dv_api (f, "GET", "EntityDefinitions(LogicalName='contact')"
                                        "?$select=LogicalName&$expand=Attributes($select=LogicalName;"
                                        "$filter=AttributeType%20eq%20Microsoft.Dynamics.CRM.AttributeTypeCode"
                                        "'Picklist')", NULL, NULL);
  g_autoptr(DvReply) owned = dv_api (f, "GET", "EntityDefinitions?$select=LogicalName&$filter=OwnershipType"
                                     "%20eq%20Microsoft.Dynamics.CRM.OwnershipTypes'UserOwned'", NULL, NULL);
  g_autoptr(DvReply) required = dv_api (f, "GET", "EntityDefinitions(LogicalName='contact')/Attributes"
                                        "?$select=LogicalName&$filter=RequiredLevel/Value%20eq%20"
                                        "Microsoft.Dynamics.CRM.AttributeRequiredLevel'ApplicationRequired'",
                                        NULL, NULL);
  g_autoptr(DvReply) managed = dv_api (f, "GET", "EntityDefinitions?$select=LogicalName"
                                       "&$filter=CanCreateAttributes/Value%20eq%20true%20and%20IsCustomEntity"
                                       "%20eq%20false", NULL, NULL);
  g_autoptr(DvReply) plain_string = dv_api (f, "GET", "EntityDefinitions(LogicalName='contact')/Attributes"
                                            "?$select=LogicalName&$filter=AttributeType%20eq%20'Boolean'",
                                            NULL, NULL);
  g_autoptr(DvReply) wrong_enum = dv_api (f, "GET", "EntityDefinitions(LogicalName='contact')/Attributes"
                                          "?$select=LogicalName&$filter=AttributeType%20eq%20"
                                          "Microsoft.Dynamics.CRM.OwnershipTypes'UserOwned'", NULL, NULL);
  g_auto(GStrv) names = logical_names (booleans);
  g_auto(GStrv) owned_names = logical_names (owned);
  g_auto(GStrv) required_names = logical_names (required);
  g_auto(GStrv) managed_names = logical_names (managed);
  JsonArray *attributes;

  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) names, "donotemail"));
  g_assert_true (g_strv_contains ((const char * const *) names, "donotbulkemail"));

  attributes = json_object_get_array_member (dv_reply_object (expanded), "Attributes");
  g_assert_cmpuint (json_array_get_length (attributes), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (attributes, 0), "LogicalName"),
                   ==, "new_tier");

  g_assert_cmpuint (g_strv_length (owned_names), ==, 6);
  g_assert_cmpuint (g_strv_length (required_names), ==, 1);
  g_assert_cmpstr (required_names[0], ==, "lastname");
  g_assert_cmpuint (g_strv_length (managed_names), ==, 1);
  g_assert_cmpstr (managed_names[0], ==, "contact");

  dv_assert_error (plain_string, 400, "0x80060888", "Microsoft.Dynamics.CRM.AttributeTypeCode");
  dv_assert_error (wrong_enum, 400, "0x80060888", "Microsoft.Dynamics.CRM.OwnershipTypes");
}

/* The contact's documented required levels (notes §11). */
static void
test_required_levels (DvFixture     *f,
                      gconstpointer  data)
{
  static const struct
  {
    const char *column;
    const char *level;
  } expected[] = {
    { "lastname", "ApplicationRequired" },
    { "firstname", "Recommended" },
    { "contactid", "SystemRequired" },
    { "statecode", "SystemRequired" },
    { "emailaddress1", "None" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *path = g_strdup_printf ("EntityDefinitions(LogicalName='contact')/Attributes"
                                               "(LogicalName='%s')?$select=RequiredLevel", expected[i].column);
      g_autoptr(DvReply) reply = dv_api (f, "GET", path, NULL, NULL);
      JsonObject *level = json_object_get_object_member (dv_reply_object (reply), "RequiredLevel");

      g_assert_cmpstr (json_object_get_string_member (level, "Value"), ==, expected[i].level);
    }
}

/* What the emulator does not model is refused as not implemented, never
 * as a property that does not exist. */
static void
test_relationships_unimplemented (DvFixture     *f,
                                  gconstpointer  data)
{
  g_autoptr(DvReply) expanded = dv_api (f, "GET", "EntityDefinitions(LogicalName='contact')"
                                        "?$expand=OneToManyRelationships", NULL, NULL);
  g_autoptr(DvReply) path = dv_api (f, "GET", "EntityDefinitions(LogicalName='new_membership')"
                                    "/ManyToOneRelationships", NULL, NULL);

  dv_assert_error (expanded, 501, "0x80060888", "OneToManyRelationships");
  dv_assert_error (path, 501, "0x80060888", "ManyToOneRelationships");
}

void
dv_add_metadata_tests (void)
{
  ADD ("/sandbox/dataverse/metadata/entity-full", test_entity_full_properties);
  ADD ("/sandbox/dataverse/metadata/keys", test_keys);
  ADD ("/sandbox/dataverse/metadata/enum-filters", test_enum_filters);
  ADD ("/sandbox/dataverse/metadata/required-levels", test_required_levels);
  ADD ("/sandbox/dataverse/metadata/relationships", test_relationships_unimplemented);
}
