/* cc-check-campaign.c — the Campaign side of a setup check: resources,
 * fields, the key records are identified by, filters and the event
 * journal (see cc-check.h).
 *
 * Campaign cannot be prepared over its API: custom fields, keys and
 * filters are defined in its own UI and published. So each missing item
 * carries the steps to take there, as Adobe's "Adding or extending a
 * resource" pages describe them.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "cc-check-private.h"
#include "cc-error.h"
#include "cc-json-read.h"

/* The last step of every change in Campaign's data model. */
#define PUBLISH_STEPS \
  N_("Save, then publish: Administration > Development > Publishing, “Prepare publication”, " \
     "then “Publish” (for the profile, with the Profiles & Services API extended).")

/* The name Campaign's UI shows for @resource: "Profiles" for the
 * profile, else the custom resource's own. */
static char *
ui_name (const char *resource)
{
  const char *slash = strrchr (resource, '/');
  const char *name = slash ? slash + 1 : resource;

  if (g_str_equal (name, "profile"))
    return g_strdup (_("Profiles"));
  return g_strdup (name);
}

/* "Administration > Development > Custom resources, open …". */
static char *
open_steps (const char *resource)
{
  g_autofree char *name = ui_name (resource);

  return g_strdup_printf (_("In Campaign, open Administration > Development > Custom resources, "
                            "then the resource “%s”."), name);
}

/* --- resources and fields -------------------------------------------------- */

const CcCampaignResourceType *
cc_check_resource (CcCheck    *self,
                   const char *resource)
{
  g_autofree char *id = cc_check_id ("campaign", "resource", resource, NULL);
  g_autofree char *label = g_strdup_printf (_("Campaign resource “%s”"), resource);
  g_autoptr(GError) error = NULL;
  CcCampaignResourceType *type;

  if (!self->campaign_ready)
    return NULL;
  if (cc_check_report_tag (self->report, id))
    return g_hash_table_lookup (self->resources, resource);

  type = cc_campaign_client_get_resource_type (self->campaign, resource, self->cancellable, &error);
  g_hash_table_insert (self->resources, g_strdup (resource), type);
  if (type != NULL)
    cc_check_report_ok (self->report, id, label, NULL);
  else if (g_error_matches (error, CC_ERROR, CC_ERROR_SCHEMA))
    {
      g_autofree char *open = open_steps (resource);
      g_autofree char *steps = g_strdup_printf (_("%s Create it there if it does not exist; a "
                                                  "resource linked to the profile is served under "
                                                  "profileAndServicesExt. %s"),
                                                open, _(PUBLISH_STEPS));

      cc_check_report_missing (self->report, id, label, CC_ERROR_SCHEMA, error->message, steps);
    }
  else
    cc_check_report_failed (self->report, id, label, error);
  return type;
}

char *
cc_check_field_id (const char *resource,
                   const char *field)
{
  return cc_check_id ("campaign", "field", resource, field);
}

char *
cc_check_field_label (const char *resource,
                      const char *field)
{
  return g_strdup_printf (_("Field “%s” of “%s”"), field, resource);
}

char *
cc_check_field_steps (const char *resource,
                      const char *field)
{
  g_autofree char *open = open_steps (resource);
  /* Campaign prefixes the ID of a custom field with "cus". */
  const char *bare = g_str_has_prefix (field, "cus") && field[3] != '\0' ? field + 3 : field;

  return g_strdup_printf (_("%s Under Data structure > Fields, use “Create element” to add the "
                            "field with the ID “%s” (the API names it “%s”). %s"),
                          open, bare, field, _(PUBLISH_STEPS));
}

/* --- the key ------------------------------------------------------------------ */

/* How many records are looked through for one with a value in the key
 * field: sorted by it, those with a value come first. */
#define PROBE_RECORDS 25

/* Where Campaign addresses @resource's records by a custom key: a key
 * added to the profile is served under profileAndServicesExt only. */
static char *
keyed_resource (const char *resource)
{
  if (g_str_has_prefix (resource, "profileAndServices/"))
    return g_strconcat ("profileAndServicesExt/", resource + strlen ("profileAndServices/"), NULL);
  return g_strdup (resource);
}

/* A record of @resource with a text value in @field, sorted to the front
 * (*record NULL when none has one); FALSE with @error when Campaign
 * cannot list them. */
static gboolean
find_valued_record (CcCheck     *self,
                    const char  *resource,
                    const char  *field,
                    JsonObject **record,
                    GError     **error)
{
  g_autofree char *order = g_strconcat (field, " desc", NULL);
  g_autofree char *url = cc_campaign_client_build_list_url (self->campaign, resource, NULL, NULL,
                                                            order, PROBE_RECORDS);
  g_autoptr(CcCampaignPage) page = cc_campaign_client_read_page (self->campaign, url,
                                                                 self->cancellable, error);

  *record = NULL;
  if (page == NULL)
    return FALSE;
  for (guint i = 0; i < page->records->len && *record == NULL; i++)
    {
      JsonObject *candidate = g_ptr_array_index (page->records, i);
      JsonNode *value = json_object_get_member (candidate, field);

      if (value != NULL && JSON_NODE_HOLDS_VALUE (value)
          && json_node_get_value_type (value) == G_TYPE_STRING
          && *json_node_get_string (value) != '\0'
          && cc_json_read_string (candidate, "PKey") != NULL)
        *record = json_object_ref (candidate);
    }
  return TRUE;
}

/* The item when Campaign does not identify the records by @field. */
static void
report_not_key (CcCheck                      *self,
                const CcCampaignResourceType *type,
                const char                   *field,
                const char                   *id,
                const char                   *label)
{
  g_autofree char *open = open_steps (type->resource);
  g_autofree char *why = g_strdup_printf (_("Campaign does not identify “%s” records by “%s”, so "
                                            "it accepts a second record with the same value: a "
                                            "record written again after its answer was lost "
                                            "would be created twice."),
                                          type->resource, field);
  g_autofree char *steps = g_strdup_printf (_("%s Under Data structure > Identification keys, use "
                                              "“Create element” to add a key made of the field "
                                              "“%s” alone. %s"),
                                            open, field, _(PUBLISH_STEPS));

  cc_check_report_missing (self->report, id, label, CC_ERROR_SCHEMA, why, steps);
}

/* When the metadata does not name the key (Adobe documents none there):
 * Campaign addresses a record by its custom key in place of its PKey
 * (GET <resource>/<key value>), and by no other field. So a record with a
 * value in @field is asked for by that value, which changes nothing. */
static void
probe_key (CcCheck                      *self,
           const CcCampaignResourceType *type,
           const char                   *field,
           const char                   *id,
           const char                   *label)
{
  g_autofree char *resource = keyed_resource (type->resource);
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(CcCampaignResult) found = NULL;
  g_autoptr(GError) error = NULL;

  if (!find_valued_record (self, resource, field, &record, &error))
    {
      cc_check_report_failed (self->report, id, label, error);
      return;
    }
  if (record == NULL)
    {
      g_autofree char *open = open_steps (type->resource);
      g_autofree char *why = g_strdup_printf (_("No record of “%s” has a value in “%s” yet, and "
                                                "Campaign’s metadata does not say which fields "
                                                "identify its records: the check tells once one "
                                                "has. %s Check under Data structure > "
                                                "Identification keys that a key is made of “%s” "
                                                "alone."),
                                              type->resource, field, open, field);

      cc_check_report_cannot_tell (self->report, id, label, why);
      return;
    }
  found = cc_campaign_client_find (self->campaign, resource, NULL, NULL,
                                   cc_json_read_string (record, field),
                                   self->cancellable, &error);
  if (found == NULL)
    cc_check_report_failed (self->report, id, label, error);
  else if (found->record != NULL
           && g_strcmp0 (found->pkey, cc_json_read_string (record, "PKey")) == 0)
    cc_check_report_ok (self->report, id, label, NULL);
  else if (found->status == SOUP_STATUS_UNAUTHORIZED || found->status == SOUP_STATUS_FORBIDDEN)
    {
      g_autofree char *why = g_strdup_printf (_("Campaign refused to read a record of “%s” (%s)."),
                                              resource, found->message);

      cc_check_report_cannot_tell (self->report, id, label, why);
    }
  else
    report_not_key (self, type, field, id, label);
}

void
cc_check_campaign_key (CcCheck                      *self,
                       const CcCampaignResourceType *type,
                       const char                   *field)
{
  g_autofree char *id = NULL;
  g_autofree char *label = NULL;

  if (type == NULL)
    return;
  id = cc_check_id ("campaign", "key", type->resource, field);
  label = g_strdup_printf (_("“%s” identifies the records of “%s” (unique)"), field, type->resource);
  if (cc_check_report_tag (self->report, id))
    return;
  if (type->keys == NULL)
    probe_key (self, type, field, id, label);
  else if (g_strv_contains ((const char * const *) type->keys, field))
    cc_check_report_ok (self->report, id, label, NULL);
  else
    report_not_key (self, type, field, id, label);
}

/* --- filters ------------------------------------------------------------------ */

/* The filters of @type, read once; NULL (with @error) when they cannot be. */
static GPtrArray *
filters_of (CcCheck                       *self,
            const CcCampaignResourceType  *type,
            GError                       **error)
{
  GPtrArray *filters = g_hash_table_lookup (self->filters, type->resource);

  if (filters != NULL)
    return filters;
  filters = cc_campaign_client_get_filters (self->campaign, type, self->cancellable, error);
  if (filters != NULL)
    g_hash_table_insert (self->filters, g_strdup (type->resource), filters);
  return filters;
}

static char *
filter_steps (const CcCampaignResourceType *type,
              const char                   *filter,
              const char                   *parameter)
{
  g_autofree char *open = open_steps (type->resource);
  const char *bare = g_str_has_prefix (filter, "by") ? filter + 2 : filter;
  gboolean since = g_str_equal (parameter, "since");

  return g_strdup_printf (_("%s On the Filter definition tab, use “Add an element” with the ID "
                            "“%s”; in its rule, take the field “%s”, switch on “Switch to "
                            "parameters”, keep the operator %s and name the parameter “%s”. %s"),
                          open, bare, since ? "lastModified" : parameter,
                          since ? _("“Greater than or equal to”") : _("“Equal to”"),
                          parameter, _(PUBLISH_STEPS));
}

void
cc_check_filter (CcCheck                      *self,
                 const CcCampaignResourceType *type,
                 const char                   *filter,
                 const char                   *parameter)
{
  g_autofree char *id = NULL;
  g_autofree char *label = NULL;
  g_autofree char *why = NULL;
  g_autofree char *steps = NULL;
  g_autoptr(GError) error = NULL;
  const CcCampaignFilter *found;
  GPtrArray *filters;

  if (type == NULL)
    return;
  id = cc_check_id ("campaign", "filter", type->resource, filter);
  label = g_strdup_printf (_("Filter “%s” of “%s”"), filter, type->resource);
  if (cc_check_report_tag (self->report, id))
    return;
  if ((filters = filters_of (self, type, &error)) == NULL)
    {
      cc_check_report_failed (self->report, id, label, error);
      return;
    }
  found = cc_campaign_filters_find (filters, filter);
  steps = filter_steps (type, filter, parameter);
  if (found == NULL)
    why = g_strdup_printf (_("Campaign has no filter “%s” on “%s”."), filter, type->resource);
  else if (found->parameters != NULL && found->parameters[0] != NULL
           && !g_strv_contains ((const char * const *) found->parameters, parameter))
    why = g_strdup_printf (_("The filter “%s” does not read a parameter “%s”."), filter, parameter);
  cc_check_report_schema (self->report, id, label, why, steps);
}

/* --- the journal -------------------------------------------------------------- */

void
cc_check_journal (CcCheck *self)
{
  const char *id = "campaign.journal";
  const char *label = _("Email-event journal (Adobe I/O Events)");
  g_autofree char *url = NULL;
  g_autoptr(CcCampaignJournalPage) page = NULL;
  g_autoptr(GError) error = NULL;

  if (!self->campaign_ready || cc_check_report_tag (self->report, id))
    return;
  url = cc_campaign_client_build_journal_url (self->campaign, NULL, 1);
  if (url == NULL)
    {
      cc_check_report_missing (self->report, id, label, CC_ERROR_INVALID_CONFIG,
                               _("No journal URL is set for the Campaign connection."),
                               _("In the Adobe Developer Console project, add an event "
                                 "registration for the Adobe Campaign email events with the "
                                 "Journaling delivery, copy its journaling endpoint, and enter "
                                 "it as the journal URL of the Campaign connection (or read the "
                                 "events from the marketing history: source “history”)."));
      return;
    }
  page = cc_campaign_client_read_journal (self->campaign, url, self->cancellable, &error);
  if (page != NULL)
    cc_check_report_ok (self->report, id, label, NULL);
  else if (error->domain == CC_ERROR && error->code != CC_ERROR_TRANSIENT)
    {
      g_autofree char *why = g_strdup_printf (_("The Campaign event journal cannot be read (%s)."),
                                              error->message);

      cc_check_report_missing (self->report, id, label, error->code, why,
                               _("Check the journal URL in the Campaign connection: it is the "
                                 "journaling endpoint of the event registration, in the same "
                                 "Adobe Developer Console project as the connection’s credential."));
    }
  else
    cc_check_report_failed (self->report, id, label, error);
}
