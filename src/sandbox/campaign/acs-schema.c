/* acs-schema.c — the resources the Campaign emulator serves: their
 * fields, their filters and the resourceType metadata that describes them.
 *
 * Field names, types and the metadata shape follow Adobe's notes
 * (campaign-api.md §2–§3 and the "metadata mechanism" page); lengths are
 * the usual ones of the profile schema and are an INFER.
 */
#include "config.h"

#include <string.h>

#include "acs-private.h"

G_DEFINE_QUARK (acs-error-quark, acs_error)

static const char * const gender_values[] = { "unknown", "male", "female", NULL };

/* PKey, created and lastModified are in the lists so that the metadata
 * describes them and a write to them is recognised as read-only; their
 * values live in the record itself, not among its values. */
static const AcsField profile_fields[] = {
  { "PKey", "Primary key", ACS_FIELD_STRING, 0, ACS_FIELD_READ_ONLY, NULL, NULL },
  { "email", "Email", ACS_FIELD_EMAIL, 128, 0, NULL, NULL },
  { "firstName", "First name", ACS_FIELD_STRING, 64, 0, NULL, NULL },
  { "lastName", "Last name", ACS_FIELD_STRING, 64, 0, NULL, NULL },
  { "birthDate", "Birth date", ACS_FIELD_DATE, 0, 0, NULL, NULL },
  { "phone", "Phone", ACS_FIELD_STRING, 32, 0, NULL, NULL },
  { "mobilePhone", "Mobile phone", ACS_FIELD_STRING, 32, 0, NULL, NULL },
  { "gender", "Gender", ACS_FIELD_ENUMERATION, 0, 0, NULL, gender_values },
  { "preferredLanguage", "Preferred language", ACS_FIELD_STRING, 32, 0, NULL, NULL },
  { "externalId", "External ID", ACS_FIELD_STRING, 255, ACS_FIELD_KEY, NULL, NULL },
  { "cusTier", "Tier", ACS_FIELD_STRING, 64, ACS_FIELD_EXT_ONLY, NULL, NULL },
  { "denyList", "No longer contact (by any channel)", ACS_FIELD_BOOLEAN, 0, 0, "blackList", NULL },
  { "denyListEmail", "No longer contact by email", ACS_FIELD_BOOLEAN, 0, 0, "blackListEmail", NULL },
  { "denyListFax", "No longer contact by fax", ACS_FIELD_BOOLEAN, 0, 0, "blackListFax", NULL },
  { "denyListMobile", "No longer contact by SMS", ACS_FIELD_BOOLEAN, 0, 0, "blackListMobile", NULL },
  { "denyListPhone", "No longer contact by phone", ACS_FIELD_BOOLEAN, 0, 0, "blackListPhone", NULL },
  { "denyListPostalMail", "No longer contact by direct mail", ACS_FIELD_BOOLEAN, 0, 0, "blackListPostalMail", NULL },
  { "denyListPushnotification", "No longer contact by push notification", ACS_FIELD_BOOLEAN, 0, 0, "blackListPushnotification", NULL },
  { "ccpaOptOut", "CCPA opt-out", ACS_FIELD_BOOLEAN, 0, 0, NULL, NULL },
  { "created", "Created", ACS_FIELD_DATETIME, 0, ACS_FIELD_READ_ONLY, NULL, NULL },
  { "lastModified", "Last modified", ACS_FIELD_DATETIME, 0, ACS_FIELD_READ_ONLY, NULL, NULL },
};

static const AcsField membership_fields[] = {
  { "PKey", "Primary key", ACS_FIELD_STRING, 0, ACS_FIELD_READ_ONLY, NULL, NULL },
  { "cusMembershipId", "Membership ID", ACS_FIELD_STRING, 255, ACS_FIELD_KEY, NULL, NULL },
  { "cusName", "Name", ACS_FIELD_STRING, 255, 0, NULL, NULL },
  { "cusLevel", "Level", ACS_FIELD_STRING, 64, 0, NULL, NULL },
  { "cusStartDate", "Start date", ACS_FIELD_DATE, 0, 0, NULL, NULL },
  { "cusContactId", "Contact ID", ACS_FIELD_STRING, 255, 0, NULL, NULL },
  { "created", "Created", ACS_FIELD_DATETIME, 0, ACS_FIELD_READ_ONLY, NULL, NULL },
  { "lastModified", "Last modified", ACS_FIELD_DATETIME, 0, ACS_FIELD_READ_ONLY, NULL, NULL },
};

/* A custom resource the admin linked to the profile: served under
 * profileAndServicesExt only, each record linked to its profile. */
static const AcsField loyalty_fields[] = {
  { "PKey", "Primary key", ACS_FIELD_STRING, 0, ACS_FIELD_READ_ONLY, NULL, NULL, NULL },
  { "cusLoyaltyId", "Loyalty ID", ACS_FIELD_STRING, 255, ACS_FIELD_KEY, NULL, NULL, NULL },
  { "cusName", "Name", ACS_FIELD_STRING, 255, 0, NULL, NULL, NULL },
  { "cusLevel", "Level", ACS_FIELD_STRING, 64, 0, NULL, NULL, NULL },
  { "cusStartDate", "Start date", ACS_FIELD_DATE, 0, 0, NULL, NULL, NULL },
  { "profile", "Profile", ACS_FIELD_LINK, 0, 0, NULL, NULL, "profile" },
  { "created", "Created", ACS_FIELD_DATETIME, 0, ACS_FIELD_READ_ONLY, NULL, NULL, NULL },
  { "lastModified", "Last modified", ACS_FIELD_DATETIME, 0, ACS_FIELD_READ_ONLY, NULL, NULL, NULL },
};

static gboolean
match_email (const AcsRecord    *record,
             const AcsFilterArg *arg)
{
  /* Addresses compare without regard to case, as mail systems do. */
  return g_ascii_strcasecmp (acs_record_get_string (record, "email"), arg->value) == 0;
}

static gboolean
contains_folded (const char *haystack,
                 const char *folded_needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL || *haystack == '\0')
    return FALSE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, folded_needle) != NULL;
}

static gboolean
match_text (const AcsRecord    *record,
            const AcsFilterArg *arg)
{
  return contains_folded (acs_record_get_string (record, "email"), arg->folded)
         || contains_folded (acs_record_get_string (record, "firstName"), arg->folded)
         || contains_folded (acs_record_get_string (record, "lastName"), arg->folded);
}

static gboolean
match_external_id (const AcsRecord    *record,
                   const AcsFilterArg *arg)
{
  return g_strcmp0 (acs_record_get_string (record, "externalId"), arg->value) == 0;
}

static gboolean
match_membership_id (const AcsRecord    *record,
                     const AcsFilterArg *arg)
{
  return g_strcmp0 (acs_record_get_string (record, "cusMembershipId"), arg->value) == 0;
}

static gboolean
match_modified_since (const AcsRecord    *record,
                      const AcsFilterArg *arg)
{
  return record->modified_ms >= arg->time_ms;
}

/* byExternalId and byLastModifiedSince are custom filters: real Campaign
 * has them only once the customer defines them in its UI (a filter on the
 * profile's extension, published to the API), which is why they are only
 * served under profileAndServicesExt. The sandbox ships them as if a
 * customer had done so. */
static const AcsFilter profile_filters[] = {
  { "byEmail", "By email", "email", FALSE, FALSE, match_email },
  { "byText", "Search in email, first and last name", "text", FALSE, FALSE, match_text },
  { "byExternalId", "By external ID", "externalId", TRUE, FALSE, match_external_id },
  { "byLastModifiedSince", "Modified since", "since", TRUE, TRUE, match_modified_since },
};

static gboolean
match_loyalty_id (const AcsRecord    *record,
                  const AcsFilterArg *arg)
{
  return g_strcmp0 (acs_record_get_string (record, "cusLoyaltyId"), arg->value) == 0;
}

static const AcsFilter membership_filters[] = {
  { "byCusMembershipId", "By membership ID", "cusMembershipId", FALSE, FALSE, match_membership_id },
};

static const AcsFilter loyalty_filters[] = {
  { "byCusLoyaltyId", "By loyalty ID", "cusLoyaltyId", FALSE, FALSE, match_loyalty_id },
};

/* The built-in definitions each emulated instance copies. */
typedef struct
{
  const char      *name;
  const char      *label;
  const char      *help;
  const char      *schema;
  const AcsField  *fields;
  guint            n_fields;
  const char      *key;
  const AcsFilter *filters;
  guint            n_filters;
  const char      *home;
} Template;

static const Template templates[] = {
  { ACS_PROFILE, "Profiles", "Identified profiles", "nms:recipient",
    profile_fields, G_N_ELEMENTS (profile_fields), "externalId",
    profile_filters, G_N_ELEMENTS (profile_filters), "profileAndServices" },
  { "cusMembership", "Memberships", "Loyalty memberships", "cus:membership",
    membership_fields, G_N_ELEMENTS (membership_fields), "cusMembershipId",
    membership_filters, G_N_ELEMENTS (membership_filters), "customResources" },
  { "cusLoyalty", "Loyalty", "Loyalty memberships of the profile", "cus:loyalty",
    loyalty_fields, G_N_ELEMENTS (loyalty_fields), "cusLoyaltyId",
    loyalty_filters, G_N_ELEMENTS (loyalty_filters), "profileAndServicesExt" },
};

static AcsResource *
resource_new (const Template *t)
{
  AcsResource *resource = g_new0 (AcsResource, 1);

  resource->name = t->name;
  resource->label = t->label;
  resource->help = t->help;
  resource->schema = t->schema;
  resource->fields = g_memdup2 (t->fields, t->n_fields * sizeof (AcsField));
  resource->n_fields = t->n_fields;
  resource->key = t->key;
  resource->filters = g_memdup2 (t->filters, t->n_filters * sizeof (AcsFilter));
  resource->n_filters = t->n_filters;
  resource->home = t->home;
  resource->is_profile = strcmp (t->name, ACS_PROFILE) == 0;
  return resource;
}

GPtrArray *
acs_resources_new (void)
{
  GPtrArray *resources = g_ptr_array_new_with_free_func ((GDestroyNotify) acs_resource_free);

  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    g_ptr_array_add (resources, resource_new (&templates[i]));
  return resources;
}

void
acs_resource_free (AcsResource *resource)
{
  if (resource == NULL)
    return;
  g_free (resource->fields);
  g_free (resource->filters);
  g_free (resource);
}

gboolean
acs_resource_remove_field (AcsResource *resource,
                           const char  *name)
{
  for (guint i = 0; i < resource->n_fields; i++)
    {
      if (strcmp (resource->fields[i].name, name) != 0)
        continue;
      if (g_strcmp0 (resource->key, name) == 0)
        resource->key = NULL;
      memmove (&resource->fields[i], &resource->fields[i + 1],
               (resource->n_fields - i - 1) * sizeof (AcsField));
      resource->n_fields--;
      return TRUE;
    }
  return FALSE;
}

static void
remove_filter_at (AcsResource *resource,
                  guint        i)
{
  memmove (&resource->filters[i], &resource->filters[i + 1],
           (resource->n_filters - i - 1) * sizeof (AcsFilter));
  resource->n_filters--;
}

gboolean
acs_resource_remove_filter (AcsResource *resource,
                            const char  *name)
{
  for (guint i = 0; i < resource->n_filters; i++)
    if (strcmp (resource->filters[i].name, name) == 0)
      {
        remove_filter_at (resource, i);
        return TRUE;
      }
  return FALSE;
}

guint
acs_resource_remove_custom_filters (AcsResource *resource)
{
  guint removed = 0;

  for (guint i = 0; i < resource->n_filters;)
    {
      if (resource->is_profile && resource->filters[i].ext_only)
        {
          remove_filter_at (resource, i);
          removed++;
        }
      else
        i++;
    }
  return removed;
}

void
acs_resource_drop_key (AcsResource *resource)
{
  for (guint i = 0; i < resource->n_fields; i++)
    resource->fields[i].flags &= ~ACS_FIELD_KEY;
  resource->key = NULL;
}

const AcsField *
acs_resource_find_field (const AcsResource *resource,
                                 const char               *name,
                                 gboolean                  ext_view)
{
  for (guint i = 0; i < resource->n_fields; i++)
    {
      const AcsField *field = &resource->fields[i];

      if ((field->flags & ACS_FIELD_EXT_ONLY) && !ext_view)
        continue;
      if (strcmp (field->name, name) == 0
          || (field->old_name != NULL && strcmp (field->old_name, name) == 0))
        return field;
    }
  return NULL;
}

const AcsFilter *
acs_resource_find_filter (const AcsResource *resource,
                                  const char               *name,
                                  gboolean                  ext_view)
{
  for (guint i = 0; i < resource->n_filters; i++)
    {
      const AcsFilter *filter = &resource->filters[i];

      if (filter->ext_only && !ext_view)
        continue;
      if (strcmp (filter->name, name) == 0)
        return filter;
    }
  return NULL;
}

gboolean
acs_filter_prepare (const AcsFilter *filter,
                            const char             *value,
                            AcsFilterArg    *arg,
                            GError                **error)
{
  memset (arg, 0, sizeof *arg);
  if (value == NULL)
    {
      g_set_error (error, ACS_ERROR, SOUP_STATUS_BAD_REQUEST,
                   "The filter '%s' needs the parameter '%s'", filter->name, filter->param);
      return FALSE;
    }
  arg->value = value;
  arg->folded = g_utf8_casefold (value, -1);
  if (filter->is_time && !acs_parse_time (value, &arg->time_ms))
    {
      g_set_error (error, ACS_ERROR, SOUP_STATUS_BAD_REQUEST,
                   "The parameter '%s' of the filter '%s' is not a valid date-time: "
                   "expected \"YYYY-MM-DD HH:MM:SS.sssZ\" or ISO 8601",
                   filter->param, filter->name);
      acs_filter_arg_clear (arg);
      return FALSE;
    }
  return TRUE;
}

void
acs_filter_arg_clear (AcsFilterArg *arg)
{
  g_clear_pointer (&arg->folded, g_free);
}

static const char *
type_name (AcsFieldType type)
{
  switch (type)
    {
    case ACS_FIELD_STRING:
    case ACS_FIELD_EMAIL:
      return "string";
    case ACS_FIELD_DATE:
      return "date";
    case ACS_FIELD_DATETIME:
      return "datetime";
    case ACS_FIELD_BOOLEAN:
      return "boolean";
    case ACS_FIELD_ENUMERATION:
      return "enumeration";
    case ACS_FIELD_LINK:
      return "link";
    default:
      g_assert_not_reached ();
    }
}

static void
build_field (JsonBuilder           *b,
             const AcsField *field,
             gboolean               read_only,
             const char            *category)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "apiName");
  json_builder_add_string_value (b, field->name);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, field->name);
  json_builder_set_member_name (b, "label");
  json_builder_add_string_value (b, field->label);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type_name (field->type));
  /* The technical type: enumerations of the profile are stored as
   * strings here. */
  json_builder_set_member_name (b, "resType");
  json_builder_add_string_value (b, field->type == ACS_FIELD_ENUMERATION
                                    ? "string" : type_name (field->type));
  json_builder_set_member_name (b, "category");
  json_builder_add_string_value (b, (field->flags & ACS_FIELD_EXT_ONLY)
                                    ? "Custom fields" : category);
  if (field->length > 0)
    {
      json_builder_set_member_name (b, "length");
      json_builder_add_int_value (b, field->length);
    }
  if (field->link_target != NULL)
    {
      /* Documented: a link names the resource it targets in resTarget. */
      json_builder_set_member_name (b, "resTarget");
      json_builder_add_string_value (b, field->link_target);
    }
  if (field->type == ACS_FIELD_EMAIL)
    {
      json_builder_set_member_name (b, "dataPolicy");
      json_builder_add_string_value (b, "email");
    }
  json_builder_set_member_name (b, "readOnly");
  json_builder_add_boolean_value (b, read_only);
  json_builder_set_member_name (b, "mandatory");
  json_builder_add_boolean_value (b, FALSE);
  if (field->values != NULL)
    {
      json_builder_set_member_name (b, "values");
      json_builder_begin_object (b);
      for (guint i = 0; field->values[i] != NULL; i++)
        {
          json_builder_set_member_name (b, field->values[i]);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, field->values[i]);
          json_builder_set_member_name (b, "value");
          json_builder_add_string_value (b, field->values[i]);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
}

static void
build_content (JsonBuilder       *b,
               AcsTable          *table,
               const AcsResource *resource,
               gboolean           ext_view)
{
  json_builder_set_member_name (b, "content");
  json_builder_begin_object (b);
  for (guint i = 0; i < resource->n_fields; i++)
    {
      const AcsField *field = &resource->fields[i];
      AcsSchemaChange change = acs_table_field_change (table, field);

      if (((field->flags & ACS_FIELD_EXT_ONLY) && !ext_view) || change == ACS_SCHEMA_REMOVED)
        continue;
      json_builder_set_member_name (b, field->name);
      build_field (b, field, (field->flags & ACS_FIELD_READ_ONLY) || change == ACS_SCHEMA_READ_ONLY,
                   resource->label);
    }
  json_builder_end_object (b);
}

/* Documented: {"apiName": "resourceType", "<cusName>": {"content", "data",
 * "help", "href", "name", "type": "collection"}, ...}. */
JsonNode *
acs_linked_resources_json (const char *api_base,
                           GPtrArray  *resources)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "apiName");
  json_builder_add_string_value (b, "resourceType");
  for (guint i = 0; i < resources->len; i++)
    {
      const AcsResource *resource = g_ptr_array_index (resources, i);
      g_autofree char *data = NULL;
      g_autofree char *href = NULL;

      if (strcmp (resource->home, "profileAndServicesExt") != 0)
        continue;
      data = g_strdup_printf ("/profileAndServicesExt/%s/", resource->name);
      href = g_strdup_printf ("%s/profileAndServicesExt/resourceType/%s", api_base, resource->name);
      json_builder_set_member_name (b, resource->name);
      json_builder_begin_object (b);
      build_content (b, NULL, resource, TRUE);
      json_builder_set_member_name (b, "data");
      json_builder_add_string_value (b, data);
      json_builder_set_member_name (b, "help");
      json_builder_add_string_value (b, resource->help);
      json_builder_set_member_name (b, "href");
      json_builder_add_string_value (b, href);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, resource->name);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, "collection");
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
acs_resource_metadata (AcsTable          *table,
                       const AcsResource *resource,
                               const char               *api_base,
                               const char               *namespace_,
                               gboolean                  ext_view)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *href = g_strdup_printf ("%s/%s/resourceType/%s", api_base,
                                           namespace_, resource->name);
  g_autofree char *filters_href = g_strconcat (href, "/filters", NULL);
  g_autofree char *data = g_strdup_printf ("/%s/%s/", namespace_, resource->name);
  gboolean custom_key = ext_view || strcmp (namespace_, "customResources") == 0;

  json_builder_begin_object (b);
  build_content (b, table, resource, ext_view);
  json_builder_set_member_name (b, "data");
  json_builder_add_string_value (b, data);
  json_builder_set_member_name (b, "filters");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "href");
  json_builder_add_string_value (b, filters_href);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "help");
  json_builder_add_string_value (b, resource->help);
  json_builder_set_member_name (b, "href");
  json_builder_add_string_value (b, href);
  /* The field that addresses a record besides its PKey: the custom key,
   * where the view has one (INFER: the notes only say such a key exists). */
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, custom_key && resource->key ? resource->key : "PKey");
  json_builder_set_member_name (b, "label");
  json_builder_add_string_value (b, resource->label);
  json_builder_set_member_name (b, "mandatory");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, resource->name);
  json_builder_set_member_name (b, "pkgStatus");
  json_builder_add_string_value (b, "never");
  json_builder_set_member_name (b, "readOnly");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "schema");
  json_builder_add_string_value (b, resource->schema);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "item");
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
acs_resource_filters_json (const AcsResource *resource,
                                   const char               *api_base,
                                   const char               *namespace_,
                                   gboolean                  ext_view)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "content");
  json_builder_begin_object (b);
  for (guint i = 0; i < resource->n_filters; i++)
    {
      const AcsFilter *filter = &resource->filters[i];
      g_autofree char *href = NULL;

      if (filter->ext_only && !ext_view)
        continue;
      href = g_strdup_printf ("%s/%s/%s/%s", api_base, namespace_, resource->name, filter->name);
      json_builder_set_member_name (b, filter->name);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, filter->name);
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, filter->label);
      json_builder_set_member_name (b, "href");
      json_builder_add_string_value (b, href);
      json_builder_set_member_name (b, "parameters");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, filter->param);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, filter->is_time ? "datetime" : "string");
      json_builder_end_object (b);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
