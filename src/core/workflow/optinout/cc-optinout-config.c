/* cc-optinout-config.c — reading, validating and writing back the
 * opt-in/opt-out configuration, and checking its pairs against the live
 * schemas.
 *
 * Only Campaign's built-in consent flags may be mapped (as Adobe's own
 * integration allows); their older blackList* names are accepted and
 * written back under the current denyList* name.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-check.h"
#include "cc-error.h"
#include "cc-json-check.h"
#include "cc-json-write.h"
#include "cc-optinout-config.h"
#include "cc-write-pump.h"

static const char * const direction_names[] = {
  "dynamics-to-campaign", "campaign-to-dynamics", "bidirectional", "off", NULL
};
static const char * const policy_names[] = { "latest", "dynamics", "campaign", NULL };

static const struct
{
  const char *name;
  const char *legacy;
} campaign_flags[] = {
  { "denyList", "blackList" },
  { "denyListEmail", "blackListEmail" },
  { "denyListFax", "blackListFax" },
  { "denyListMobile", "blackListMobile" },
  { "denyListPhone", "blackListPhone" },
  { "denyListPostalMail", "blackListPostalMail" },
  { "denyListPushnotification", "blackListPushnotification" },
  { "ccpaOptOut", NULL },
};

const char *
cc_optinout_direction_to_string (CcOptinoutDirection direction)
{
  g_return_val_if_fail ((guint) direction < G_N_ELEMENTS (direction_names) - 1, NULL);

  return direction_names[direction];
}

const char *
cc_optinout_policy_to_string (CcOptinoutPolicy policy)
{
  g_return_val_if_fail ((guint) policy < G_N_ELEMENTS (policy_names) - 1, NULL);

  return policy_names[policy];
}

static void
pair_free (CcOptinoutPair *pair)
{
  g_free (pair->dynamics);
  g_free (pair->campaign);
  g_free (pair->legacy);
  g_free (pair);
}

void
cc_optinout_config_free (CcOptinoutConfig *config)
{
  if (config == NULL)
    return;
  g_clear_pointer (&config->pairs, g_ptr_array_unref);
  g_free (config->campaign_resource);
  g_free (config->campaign_key);
  g_free (config->key_filter);
  g_free (config->modified_filter);
  g_free (config);
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */

static CcOptinoutPair *
pair_new (const char *dynamics,
          guint       flag)
{
  CcOptinoutPair *pair = g_new0 (CcOptinoutPair, 1);

  pair->dynamics = g_strdup (dynamics);
  pair->campaign = g_strdup (campaign_flags[flag].name);
  pair->legacy = g_strdup (campaign_flags[flag].legacy);
  return pair;
}

static gboolean
find_flag (const char *name,
           guint      *flag)
{
  for (guint i = 0; i < G_N_ELEMENTS (campaign_flags); i++)
    if (g_strcmp0 (name, campaign_flags[i].name) == 0
        || g_strcmp0 (name, campaign_flags[i].legacy) == 0)
      {
        *flag = i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
parse_pair (JsonNode         *node,
            const char       *path,
            CcOptinoutPair  **out,
            GError          **error)
{
  static const char * const members[] = { "dynamics", "campaign", NULL };
  g_autofree char *dynamics_path = g_strconcat (path, ".dynamics", NULL);
  g_autofree char *campaign_path = g_strconcat (path, ".campaign", NULL);
  g_autofree char *dynamics = NULL;
  g_autofree char *campaign = NULL;
  JsonObject *object = NULL;
  guint flag;

  if (!cc_json_check_object (node, path, members, &object, error)
      || !cc_json_check_required_string (object, path, "dynamics", NULL, CC_JSON_CHECK_NONE,
                                         &dynamics, error)
      || !cc_json_check_logical_name (dynamics_path, dynamics, error)
      || !cc_json_check_required_string (object, path, "campaign", NULL, CC_JSON_CHECK_NONE,
                                         &campaign, error))
    return FALSE;

  if (!find_flag (campaign, &flag))
    return cc_json_check_refuse (error, campaign_path,
                                 _("“%s” is not one of Campaign’s built-in consent flags "
                                   "(denyList, denyListEmail, denyListFax, denyListMobile, "
                                   "denyListPhone, denyListPostalMail, denyListPushnotification, "
                                   "ccpaOptOut)"),
                                 campaign);
  *out = pair_new (dynamics, flag);
  return TRUE;
}

static gboolean
parse_pairs (JsonObject        *root,
             CcOptinoutConfig  *config,
             GError           **error)
{
  JsonNode *node = json_object_get_member (root, "pairs");
  JsonArray *array;

  if (node == NULL)
    {
      g_ptr_array_add (config->pairs, pair_new ("donotbulkemail", 1));
      g_ptr_array_add (config->pairs, pair_new ("donotemail", 0));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return cc_json_check_refuse (error, "pairs",
                                 _("must be a list such as [{\"dynamics\": \"donotbulkemail\", "
                                   "\"campaign\": \"denyListEmail\"}]"));

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = cc_json_check_index_path ("pairs", i);
      CcOptinoutPair *pair = NULL;

      if (!parse_pair (json_array_get_element (array, i), path, &pair, error))
        return FALSE;
      g_ptr_array_add (config->pairs, pair);

      for (guint j = 0; j < i; j++)
        {
          const CcOptinoutPair *other = g_ptr_array_index (config->pairs, j);

          if (g_str_equal (other->dynamics, pair->dynamics))
            {
              g_autofree char *where = g_strconcat (path, ".dynamics", NULL);

              return cc_json_check_refuse (error, where, _("“%s” is already paired in pairs[%u]"),
                                           pair->dynamics, j);
            }
          if (g_str_equal (other->campaign, pair->campaign))
            {
              g_autofree char *where = g_strconcat (path, ".campaign", NULL);

              return cc_json_check_refuse (error, where, _("“%s” is already paired in pairs[%u]"),
                                           pair->campaign, j);
            }
        }
    }

  if (config->pairs->len == 0 && config->direction != CC_OPTINOUT_OFF)
    return cc_json_check_refuse (error, "pairs",
                                 _("must name at least one pair of fields (or set the "
                                   "direction to “off”)"));
  return TRUE;
}

static gboolean
check_filter_name (const char  *path,
                   const char  *name,
                   GError     **error)
{
  if (*name == '\0')
    return TRUE;
  if (!g_str_has_prefix (name, "by") || name[2] == '\0')
    return cc_json_check_refuse (error, path,
                                 _("“%s” is not a Campaign filter name (filters start with "
                                   "“by”, e.g. “byExternalId”; \"\" for none)"),
                                 name);
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return cc_json_check_refuse (error, path,
                                   _("“%s” is not a Campaign filter name (letters and digits)"),
                                   name);
  return TRUE;
}

static gboolean
check_resource (const char  *path,
                const char  *resource,
                GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (resource, "/", -1);

  if (g_strv_length (parts) != 2 || *parts[0] == '\0' || *parts[1] == '\0')
    return cc_json_check_refuse (error, path,
                                 _("“%s” is not a Campaign resource (write it as "
                                   "“profileAndServicesExt/profile”)"),
                                 resource);
  return TRUE;
}

static gboolean
check_field (const char  *path,
             const char  *name,
             GError     **error)
{
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return cc_json_check_refuse (error, path,
                                   _("“%s” is not a Campaign field name (letters, digits and "
                                     "“_”, e.g. “externalId”)"),
                                   name);
  return TRUE;
}

CcOptinoutConfig *
cc_optinout_config_parse (JsonNode  *node,
                          GError   **error)
{
  static const char * const members[] = {
    "direction", "pairs", "conflict-policy", "campaign-resource", "campaign-key",
    "key-filter", "modified-filter", "poll-interval", "write-concurrency", NULL
  };
  g_autoptr(CcOptinoutConfig) config = g_new0 (CcOptinoutConfig, 1);
  JsonObject *root = NULL;
  guint direction, policy;

  config->pairs = g_ptr_array_new_with_free_func ((GDestroyNotify) pair_free);
  if (!cc_json_check_object (node, "", members, &root, error)
      || !cc_json_check_choice (root, NULL, "direction", direction_names, 0, &direction, error))
    return NULL;
  config->direction = (CcOptinoutDirection) direction;

  if (!parse_pairs (root, config, error)
      || !cc_json_check_choice (root, NULL, "conflict-policy", policy_names, 0, &policy, error)
      || !cc_json_check_string (root, NULL, "campaign-resource", "profileAndServicesExt/profile",
                                CC_JSON_CHECK_NONE, &config->campaign_resource, error)
      || !check_resource ("campaign-resource", config->campaign_resource, error)
      || !cc_json_check_string (root, NULL, "campaign-key", "externalId", CC_JSON_CHECK_NONE,
                                &config->campaign_key, error)
      || !check_field ("campaign-key", config->campaign_key, error)
      || !cc_json_check_string (root, NULL, "key-filter", "byExternalId",
                                CC_JSON_CHECK_MAY_BE_EMPTY, &config->key_filter, error)
      || !check_filter_name ("key-filter", config->key_filter, error)
      || !cc_json_check_string (root, NULL, "modified-filter", "byLastModifiedSince",
                                CC_JSON_CHECK_MAY_BE_EMPTY, &config->modified_filter, error)
      || !check_filter_name ("modified-filter", config->modified_filter, error)
      || !cc_json_check_uint (root, NULL, "poll-interval", 1, 3600,
                              CC_OPTINOUT_DEFAULT_POLL_INTERVAL, &config->poll_interval_s, error)
      || !cc_json_check_uint (root, NULL, "write-concurrency", 1, CC_WRITE_PUMP_MAX_IN_FLIGHT,
                              CC_OPTINOUT_DEFAULT_WRITE_CONCURRENCY, &config->write_concurrency,
                              error))
    return NULL;

  config->policy = (CcOptinoutPolicy) policy;
  return g_steal_pointer (&config);
}

/* ------------------------------------------------------------------ */
/* Writing back                                                        */

JsonNode *
cc_optinout_config_to_json (const CcOptinoutConfig *config)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (config != NULL, NULL);

  json_builder_begin_object (builder);
  cc_json_write_string (builder, "direction", direction_names[config->direction]);
  json_builder_set_member_name (builder, "pairs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < config->pairs->len; i++)
    {
      const CcOptinoutPair *pair = g_ptr_array_index (config->pairs, i);

      json_builder_begin_object (builder);
      cc_json_write_string (builder, "dynamics", pair->dynamics);
      cc_json_write_string (builder, "campaign", pair->campaign);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  cc_json_write_string (builder, "conflict-policy", policy_names[config->policy]);
  cc_json_write_string (builder, "campaign-resource", config->campaign_resource);
  cc_json_write_string (builder, "campaign-key", config->campaign_key);
  cc_json_write_string (builder, "key-filter", config->key_filter);
  cc_json_write_string (builder, "modified-filter", config->modified_filter);
  cc_json_write_uint (builder, "poll-interval", config->poll_interval_s);
  cc_json_write_uint (builder, "write-concurrency", config->write_concurrency);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
cc_optinout_config_default (void)
{
  return cc_json_write_defaults ((CcJsonParseFunc) cc_optinout_config_parse,
                                 (CcJsonWriteFunc) cc_optinout_config_to_json,
                                 (GDestroyNotify) cc_optinout_config_free);
}

/* ------------------------------------------------------------------ */
/* The live schemas                                                    */

/* A consent flag's column of contact: a Yes/No column, writable when
 * Campaign's changes are written to it. */
static void
check_contact_column (const CcOptinoutConfig *config,
                      const CcDataverseTable *contact,
                      const char             *name,
                      gboolean                flag,
                      CcCheckReport          *report)
{
  const CcDataverseColumn *column = cc_dataverse_table_find_column (contact, name);
  gboolean written = flag && config->direction != CC_OPTINOUT_DYNAMICS_TO_CAMPAIGN;
  g_autofree char *id = cc_check_column_id (contact->logical_name, name);
  g_autofree char *label = cc_check_column_label (contact->logical_name, name);
  g_autofree char *why = NULL;

  if (column == NULL)
    why = g_strdup_printf (_("Field “%s” does not exist in Dynamics 365 table “%s”"),
                           name, contact->logical_name);
  else if (flag && g_strcmp0 (column->attribute_type, "Boolean") != 0)
    why = g_strdup_printf (_("Field “%s” of Dynamics 365 table “%s” is not a Yes/No (Boolean) "
                             "column, so it cannot hold a consent flag"),
                           name, contact->logical_name);
  else if (written && !column->valid_for_update)
    why = g_strdup_printf (_("Field “%s” of Dynamics 365 table “%s” cannot be written"),
                           name, contact->logical_name);
  cc_check_report_schema (report, id, label, why,
                          _("Pair the Campaign flag with a writable Yes/No column of contact in "
                            "the workflow’s configuration."));
}

/* A field of the profile resource: a consent flag (a yes/no field,
 * writable when Dynamics 365's changes are written to it), or another. */
static void
check_profile_field (const CcOptinoutConfig       *config,
                     const CcCampaignResourceType *profile,
                     const char                   *name,
                     const char                   *legacy,
                     gboolean                      flag,
                     CcCheckReport                *report)
{
  const CcCampaignField *field = cc_campaign_resource_type_find_field (profile, name);
  gboolean written = flag && config->direction != CC_OPTINOUT_CAMPAIGN_TO_DYNAMICS;
  g_autofree char *id = cc_check_field_id (config->campaign_resource, name);
  g_autofree char *label = cc_check_field_label (config->campaign_resource, name);
  g_autofree char *why = NULL;
  g_autofree char *steps = NULL;

  if (field == NULL && legacy != NULL)
    field = cc_campaign_resource_type_find_field (profile, legacy);
  if (field == NULL)
    {
      why = g_strdup_printf (_("Field “%s” does not exist in Campaign resource “%s”"),
                             name, config->campaign_resource);
      steps = flag ? g_strdup (_("Name one of the profile’s built-in block-list flags (denyList, "
                                 "denyListEmail, …) in the workflow’s configuration."))
                   : cc_check_field_steps (config->campaign_resource, name);
    }
  else if (flag && g_strcmp0 (field->type, "boolean") != 0)
    why = g_strdup_printf (_("Campaign field “%s” is not a yes/no field"), name);
  else if (written && field->read_only)
    why = g_strdup_printf (_("Campaign field “%s” is read-only and cannot be written"), name);
  if (why != NULL && steps == NULL)
    steps = g_strdup (_("Name one of the profile’s built-in block-list flags (denyList, "
                        "denyListEmail, …) in the workflow’s configuration."));
  cc_check_report_schema (report, id, label, why, steps);
}

void
cc_optinout_config_check_columns (const CcOptinoutConfig  *config,
                                  const CcDataverseTable  *contact,
                                  CcCheckReport           *report)
{
  for (guint i = 0; i < config->pairs->len; i++)
    {
      const CcOptinoutPair *pair = g_ptr_array_index (config->pairs, i);

      check_contact_column (config, contact, pair->dynamics, TRUE, report);
    }
  /* Conflicts are settled by the time of the last change on each side. */
  check_contact_column (config, contact, "modifiedon", FALSE, report);
}

void
cc_optinout_config_check_fields (const CcOptinoutConfig       *config,
                                 const CcCampaignResourceType *profile,
                                 CcCheckReport                *report)
{
  for (guint i = 0; i < config->pairs->len; i++)
    {
      const CcOptinoutPair *pair = g_ptr_array_index (config->pairs, i);

      check_profile_field (config, profile, pair->campaign, pair->legacy, TRUE, report);
    }
  check_profile_field (config, profile, config->campaign_key, NULL, FALSE, report);
  check_profile_field (config, profile, "lastModified", NULL, FALSE, report);
}
