/* cc-setup-prepare.c — planning and applying "Prepare Dynamics 365" (see
 * cc-setup-prepare.h).
 *
 * The definitions follow Microsoft's "Create and update table
 * definitions using the Web API" and "Custom activities": an activity
 * table is posted with IsActivity and a primary name column whose schema
 * name is Subject (Dataverse adds the regarding lookup and the rest of an
 * activity's columns), columns are posted to its Attributes, the key to
 * its Keys, and change tracking is turned on by a PUT of the whole table
 * definition. Every component goes into the solution named by the
 * MSCRM.SolutionUniqueName header.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cc-egress-config.h"
#include "cc-error.h"
#include "cc-ingress-config.h"
#include "cc-optinout-config.h"
#include "cc-setup-prepare.h"

/* How long a new key's index may take to build before Prepare gives up
 * waiting (Dataverse builds it in the background). */
#define KEY_WAIT_US (5 * 60 * G_USEC_PER_SEC)
#define KEY_POLL_US (500 * 1000)

struct _CcPrepareStep
{
  CcPrepareAction  action;
  char            *description;
  CcPrepareState   state;
  char            *error;
  char            *table;     /* logical name */
  char            *method;    /* the request, when the step is one */
  char            *path;
  JsonObject      *body;
};

static void
step_free (CcPrepareStep *step)
{
  g_free (step->description);
  g_free (step->error);
  g_free (step->table);
  g_free (step->method);
  g_free (step->path);
  g_clear_pointer (&step->body, json_object_unref);
  g_free (step);
}

void
cc_prepare_plan_free (CcPreparePlan *plan)
{
  if (plan == NULL)
    return;
  g_free (plan->prefix);
  g_free (plan->solution);
  g_ptr_array_unref (plan->steps);
  g_clear_pointer (&plan->egress_config, json_node_unref);
  g_free (plan->publisher_id);
  g_free (plan);
}

CcPrepareAction
cc_prepare_step_get_action (const CcPrepareStep *step)
{
  return step->action;
}

const char *
cc_prepare_step_get_description (const CcPrepareStep *step)
{
  return step->description;
}

CcPrepareState
cc_prepare_step_get_state (const CcPrepareStep *step)
{
  return step->state;
}

const char *
cc_prepare_step_get_error (const CcPrepareStep *step)
{
  return step->error;
}

void
cc_prepare_step_set_state (CcPrepareStep  *step,
                           CcPrepareState  state,
                           const char     *error)
{
  step->state = state;
  g_free (step->error);
  step->error = g_strdup (error);
}

/* Takes @description and @body. */
static CcPrepareStep *
add_step (CcPreparePlan   *plan,
          CcPrepareAction  action,
          char            *description,
          const char      *table,
          const char      *method,
          const char      *path,
          JsonObject      *body)
{
  CcPrepareStep *step = g_new0 (CcPrepareStep, 1);

  step->action = action;
  step->description = description;
  step->table = g_strdup (table);
  step->method = g_strdup (method);
  step->path = g_strdup (path);
  step->body = body;
  g_ptr_array_add (plan->steps, step);
  return step;
}

/* --- names ----------------------------------------------------------------- */

/* Documented: 2 to 8 letters or digits, starting with a letter, and
 * never "mscrm". */
static gboolean
check_prefix (const char  *prefix,
              GError     **error)
{
  gsize len = strlen (prefix);
  gboolean ok = len >= 2 && len <= 8 && g_ascii_isalpha (prefix[0])
                && !g_str_has_prefix (prefix, "mscrm");

  for (gsize i = 0; ok && i < len; i++)
    ok = g_ascii_isalnum (prefix[i]) && !g_ascii_isupper (prefix[i]);
  if (!ok)
    g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                 _("“%s” cannot be a customization prefix: use 2 to 8 lower-case letters or "
                   "digits, starting with a letter (not “mscrm”)."), prefix);
  return ok;
}

/* "new_emailsend" with the prefix "acme": "acme_emailsend". A name
 * without a prefix (a system column such as "subject") stays. */
static char *
with_prefix (const char *name,
             const char *prefix)
{
  const char *underscore = strchr (name, '_');

  if (underscore == NULL)
    return g_strdup (name);
  return g_strdup_printf ("%s_%s", prefix, underscore + 1);
}

/* The schema name of a logical name: "new_emailsend" → "new_EmailSend". */
static char *
schema_name (const char *logical)
{
  static const char * const words[] = {
    "emailsend", "EmailSend", "emailopen", "EmailOpen", "emailclick", "EmailClick",
    "emailbounce", "EmailBounce", "campaigneventid", "CampaignEventId",
    "campaignname", "CampaignName", "deliveryname", "DeliveryName", "eventdate", "EventDate",
    "mirrorpageurl", "MirrorPageUrl", "trackingurl", "TrackingUrl", NULL
  };
  const char *underscore = strchr (logical, '_');
  const char *rest = underscore ? underscore + 1 : logical;
  g_autofree char *prefix = g_strndup (logical, rest - logical);

  for (guint i = 0; words[i] != NULL; i += 2)
    if (g_str_equal (rest, words[i]))
      return g_strconcat (prefix, words[i + 1], NULL);
  return g_strdup_printf ("%s%c%s", prefix, g_ascii_toupper (rest[0]), rest + 1);
}

static JsonObject *
label (const char *text)
{
  JsonObject *out = json_object_new ();
  JsonArray *labels = json_array_new ();
  JsonObject *localized = json_object_new ();

  json_object_set_string_member (localized, "@odata.type", "Microsoft.Dynamics.CRM.LocalizedLabel");
  json_object_set_string_member (localized, "Label", text);
  json_object_set_int_member (localized, "LanguageCode", 1033);
  json_array_add_object_element (labels, localized);
  json_object_set_string_member (out, "@odata.type", "Microsoft.Dynamics.CRM.Label");
  json_object_set_array_member (out, "LocalizedLabels", labels);
  return out;
}

static JsonObject *
required_none (void)
{
  JsonObject *level = json_object_new ();

  json_object_set_string_member (level, "Value", "None");
  json_object_set_boolean_member (level, "CanBeChanged", TRUE);
  json_object_set_string_member (level, "ManagedPropertyLogicalName", "canmodifyrequirementlevelsettings");
  return level;
}

/* --- what egress writes ------------------------------------------------------ */

static const char * const table_labels[CC_EGRESS_N_EVENTS] = {
  "Adobe Campaign Email Send", "Adobe Campaign Email Open",
  "Adobe Campaign Email URL Click", "Adobe Campaign Email Bounce",
};

typedef struct
{
  const char *label;
  gboolean    date;
  guint       length;
} ColumnSpec;

/* What each target column holds (cc-egress-config.h). */
static const ColumnSpec column_specs[CC_EGRESS_N_COLUMNS] = {
  [CC_EGRESS_COLUMN_EVENT_ID] = { "Campaign Event ID", FALSE, 100 },
  [CC_EGRESS_COLUMN_SUBJECT] = { "Subject", FALSE, 200 },
  [CC_EGRESS_COLUMN_CAMPAIGN_NAME] = { "Campaign Name", FALSE, 200 },
  [CC_EGRESS_COLUMN_DELIVERY_NAME] = { "Delivery Name", FALSE, 200 },
  [CC_EGRESS_COLUMN_TIME] = { "Event Date", TRUE, 0 },
  [CC_EGRESS_COLUMN_MIRROR_PAGE] = { "Mirror Page URL", FALSE, 500 },
  [CC_EGRESS_COLUMN_TRACKING_URL] = { "Tracking URL", FALSE, 500 },
};

static JsonObject *
column_body (const char       *logical,
             const ColumnSpec *spec)
{
  JsonObject *body = json_object_new ();
  g_autofree char *schema = schema_name (logical);

  json_object_set_string_member (body, "@odata.type", spec->date
                                 ? "Microsoft.Dynamics.CRM.DateTimeAttributeMetadata"
                                 : "Microsoft.Dynamics.CRM.StringAttributeMetadata");
  json_object_set_string_member (body, "AttributeType", spec->date ? "DateTime" : "String");
  json_object_set_string_member (body, "SchemaName", schema);
  json_object_set_object_member (body, "DisplayName", label (spec->label));
  json_object_set_object_member (body, "RequiredLevel", required_none ());
  if (spec->date)
    json_object_set_string_member (body, "Format", "DateAndTime");
  else
    {
      JsonObject *format = json_object_new ();

      json_object_set_string_member (format, "Value", "Text");
      json_object_set_object_member (body, "FormatName", format);
      json_object_set_int_member (body, "MaxLength", spec->length);
    }
  return body;
}

/* A custom activity with its Subject (Microsoft's "Custom activities"). */
static JsonObject *
table_body (const char *logical,
            const char *text)
{
  JsonObject *body = json_object_new ();
  JsonArray *attributes = json_array_new ();
  JsonObject *subject = column_body ("subject", &column_specs[CC_EGRESS_COLUMN_SUBJECT]);
  g_autofree char *schema = schema_name (logical);
  g_autofree char *plural = g_strconcat (text, "s", NULL);

  json_object_set_string_member (subject, "SchemaName", "Subject");
  json_object_set_boolean_member (subject, "IsPrimaryName", TRUE);
  json_array_add_object_element (attributes, subject);
  json_object_set_string_member (body, "@odata.type", "Microsoft.Dynamics.CRM.EntityMetadata");
  json_object_set_string_member (body, "SchemaName", schema);
  json_object_set_object_member (body, "DisplayName", label (text));
  json_object_set_object_member (body, "DisplayCollectionName", label (plural));
  json_object_set_object_member (body, "Description",
                                 label ("Email events of Adobe Campaign, written by Campaign Connector"));
  json_object_set_string_member (body, "OwnershipType", "UserOwned");
  json_object_set_boolean_member (body, "IsActivity", TRUE);
  json_object_set_boolean_member (body, "HasActivities", FALSE);
  json_object_set_boolean_member (body, "HasNotes", FALSE);
  json_object_set_boolean_member (body, "IsAvailableOffline", TRUE);
  json_object_set_array_member (body, "Attributes", attributes);
  return body;
}

static JsonObject *
key_body (const char *column)
{
  JsonObject *body = json_object_new ();
  JsonArray *attributes = json_array_new ();
  g_autofree char *schema = schema_name (column);
  g_autofree char *key = g_strconcat (schema, "Key", NULL);

  json_array_add_string_element (attributes, column);
  json_object_set_string_member (body, "SchemaName", key);
  json_object_set_object_member (body, "DisplayName", label ("Campaign Event ID"));
  json_object_set_array_member (body, "KeyAttributes", attributes);
  return body;
}

/* Looks a table up: FALSE on trouble other than its absence (@table NULL). */
static gboolean
find_table (CcDataverseClient  *client,
            const char         *logical,
            CcDataverseTable  **table,
            GCancellable       *cancellable,
            GError            **error)
{
  g_autoptr(GError) local = NULL;

  *table = cc_dataverse_client_get_table (client, logical, FALSE, cancellable, &local);
  if (*table != NULL || g_error_matches (local, CC_ERROR, CC_ERROR_SCHEMA))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

/* The steps that make one event type's table what egress writes: the
 * table, its missing columns, its key on the event id. */
static gboolean
plan_event_table (CcDataverseClient     *client,
                  CcPreparePlan         *plan,
                  const CcEgressConfig  *config,
                  CcEgressEventType      type,
                  GCancellable          *cancellable,
                  GError               **error)
{
  const char *name = config->targets[type].table;
  const char *event_id = config->columns[CC_EGRESS_COLUMN_EVENT_ID];
  g_autoptr(CcDataverseTable) table = NULL;
  g_autofree char *attributes = g_strdup_printf ("EntityDefinitions(LogicalName='%s')/Attributes", name);
  g_autofree char *keys = g_strdup_printf ("EntityDefinitions(LogicalName='%s')/Keys", name);

  if (!find_table (client, name, &table, cancellable, error))
    return FALSE;
  if (table == NULL)
    add_step (plan, CC_PREPARE_CREATE_TABLE,
              g_strdup_printf (_("Create the activity table “%s” (%s)"), name, table_labels[type]),
              name, "POST", "EntityDefinitions", table_body (name, table_labels[type]));
  for (guint i = 0; i < CC_EGRESS_N_COLUMNS; i++)
    {
      const char *column = config->columns[i];

      if (*column == '\0' || g_str_equal (column, "subject")
          || (table != NULL && cc_dataverse_table_find_column (table, column) != NULL))
        continue;
      add_step (plan, CC_PREPARE_CREATE_COLUMN,
                g_strdup_printf (_("Add the column “%s” (%s) to “%s”"), column, column_specs[i].label, name),
                name, "POST", attributes, column_body (column, &column_specs[i]));
    }
  if (table == NULL || cc_dataverse_table_find_key (table, event_id) == NULL)
    add_step (plan, CC_PREPARE_CREATE_KEY,
              g_strdup_printf (_("Add an alternate key on “%s” to “%s”"), event_id, name),
              name, "POST", keys, key_body (event_id));
  return TRUE;
}

/* The egress configuration with every custom table and column named with
 * the prefix; NULL when it already is. */
static CcEgressConfig *
renamed (const CcEgressConfig *config,
         const char           *prefix)
{
  g_autoptr(JsonNode) json = cc_egress_config_to_json (config);
  CcEgressConfig *copy = cc_egress_config_parse (json, NULL);
  gboolean changed = FALSE;

  for (guint i = 0; i < CC_EGRESS_N_EVENTS; i++)
    {
      char *name = with_prefix (copy->targets[i].table, prefix);

      changed |= !g_str_equal (name, copy->targets[i].table);
      g_free (copy->targets[i].table);
      copy->targets[i].table = name;
    }
  for (guint i = 0; i < CC_EGRESS_N_COLUMNS; i++)
    {
      char *name = with_prefix (copy->columns[i], prefix);

      changed |= !g_str_equal (name, copy->columns[i]);
      g_free (copy->columns[i]);
      copy->columns[i] = name;
    }
  if (changed)
    return copy;
  cc_egress_config_free (copy);
  return NULL;
}

static gboolean
plan_egress (CcDataverseClient  *client,
             CcPreparePlan      *plan,
             JsonNode           *json,
             GCancellable       *cancellable,
             GError            **error)
{
  g_autoptr(CcEgressConfig) parsed = cc_egress_config_parse (json, error);
  g_autoptr(CcEgressConfig) named = NULL;
  const CcEgressConfig *config;

  if (parsed == NULL)
    return FALSE;
  named = renamed (parsed, plan->prefix);
  config = named ? named : parsed;
  for (guint i = 0; i < CC_EGRESS_N_EVENTS; i++)
    if (config->targets[i].enabled
        && !plan_event_table (client, plan, config, i, cancellable, error))
      return FALSE;
  if (named != NULL)
    {
      plan->egress_config = cc_egress_config_to_json (named);
      add_step (plan, CC_PREPARE_RENAME,
                g_strdup_printf (_("Name the tables and columns with the prefix “%s” in the "
                                   "configuration of “Campaign to Microsoft Dynamics 365”"),
                                 plan->prefix),
                NULL, NULL, NULL, NULL);
    }
  return TRUE;
}

/* --- change tracking ----------------------------------------------------------- */

/* The tables ingress and opt-in/opt-out read (where Dynamics 365's
 * changes are followed). */
static GPtrArray *
tables_read (JsonNode *ingress,
             JsonNode *optinout)
{
  g_autoptr(CcIngressConfig) in = ingress ? cc_ingress_config_parse (ingress, NULL) : NULL;
  g_autoptr(CcOptinoutConfig) opt = optinout ? cc_optinout_config_parse (optinout, NULL) : NULL;
  GPtrArray *tables = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; in != NULL && i < in->mappings->len; i++)
    {
      const CcTableMapping *mapping = g_ptr_array_index (in->mappings, i);

      if (!g_ptr_array_find_with_equal_func (tables, mapping->source, g_str_equal, NULL))
        g_ptr_array_add (tables, g_strdup (mapping->source));
    }
  if (opt != NULL && opt->direction != CC_OPTINOUT_OFF && opt->direction != CC_OPTINOUT_CAMPAIGN_TO_DYNAMICS
      && !g_ptr_array_find_with_equal_func (tables, "contact", g_str_equal, NULL))
    g_ptr_array_add (tables, g_strdup ("contact"));
  return tables;
}

static gboolean
plan_tracking (CcDataverseClient  *client,
               CcPreparePlan      *plan,
               const char         *logical,
               GCancellable       *cancellable,
               GError            **error)
{
  g_autoptr(CcDataverseTable) table = NULL;
  g_autofree char *path = NULL;
  JsonObject *definition;

  if (!find_table (client, logical, &table, cancellable, error))
    return FALSE;
  if (table == NULL || table->change_tracking)
    return TRUE;
  /* A PUT replaces the whole definition: send back all of it. */
  definition = cc_dataverse_client_get_definition (client, logical, cancellable, error);
  if (definition == NULL)
    return FALSE;
  json_object_remove_member (definition, "@odata.context");
  json_object_set_boolean_member (definition, "ChangeTrackingEnabled", TRUE);
  path = g_strdup_printf ("EntityDefinitions(LogicalName='%s')", logical);
  add_step (plan, CC_PREPARE_TRACK_CHANGES,
            g_strdup_printf (_("Turn on change tracking for “%s”"), logical),
            logical, "PUT", path, definition);
  return TRUE;
}

/* --- the publisher and the solution ------------------------------------------ */

/* The id of the first row @filter finds in @set, or NULL (then @error
 * tells trouble from absence). */
static char *
find_row (CcDataverseClient  *client,
          const char         *set,
          const char         *id_column,
          const char         *filter,
          GCancellable       *cancellable,
          GError            **error)
{
  const char * const columns[] = { id_column, NULL };
  g_autofree char *url = cc_dataverse_client_build_query_url (client, set, columns, filter);
  g_autoptr(CcDataversePage) page = cc_dataverse_client_read_page (client, url, CC_DATAVERSE_READ_NONE,
                                                                   1, cancellable, error);

  if (page == NULL || page->rows->len == 0)
    return NULL;
  return g_strdup (cc_json_row_get_string (g_ptr_array_index (page->rows, 0), id_column));
}

/* The customization option value prefix of a new publisher: 10000 to
 * 99999, derived from the prefix so that one prefix gets one value. */
static gint64
option_value_prefix (const char *prefix)
{
  return 10000 + g_str_hash (prefix) % 90000;
}

static gboolean
plan_solution (CcDataverseClient  *client,
               CcPreparePlan      *plan,
               GCancellable       *cancellable,
               GError            **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *by_prefix = g_strdup_printf ("customizationprefix eq '%s'", plan->prefix);
  g_autofree char *by_name = g_strdup_printf ("uniquename eq '%s'", plan->solution);
  g_autofree char *solution = NULL;

  plan->publisher_id = find_row (client, "publishers", "publisherid", by_prefix, cancellable, &local);
  if (local == NULL)
    solution = find_row (client, "solutions", "solutionid", by_name, cancellable, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (plan->publisher_id == NULL)
    {
      JsonObject *body = json_object_new ();
      g_autofree char *unique = g_strdup_printf ("CampaignConnector%s", plan->prefix);

      json_object_set_string_member (body, "uniquename", unique);
      json_object_set_string_member (body, "friendlyname", "Campaign Connector");
      json_object_set_string_member (body, "customizationprefix", plan->prefix);
      json_object_set_int_member (body, "customizationoptionvalueprefix", option_value_prefix (plan->prefix));
      add_step (plan, CC_PREPARE_CREATE_PUBLISHER,
                g_strdup_printf (_("Create the publisher “Campaign Connector” with the prefix “%s”"),
                                 plan->prefix),
                NULL, "POST", "publishers", body);
    }
  if (solution == NULL)
    {
      JsonObject *body = json_object_new ();

      json_object_set_string_member (body, "uniquename", plan->solution);
      json_object_set_string_member (body, "friendlyname", "Campaign Connector");
      json_object_set_string_member (body, "version", "1.0.0.0");
      add_step (plan, CC_PREPARE_CREATE_SOLUTION,
                g_strdup_printf (_("Create the solution “%s”"), plan->solution),
                NULL, "POST", "solutions", body);
    }
  return TRUE;
}

CcPreparePlan *
cc_prepare_plan_new (CcDataverseClient  *client,
                     const char         *prefix,
                     JsonNode           *ingress,
                     JsonNode           *egress,
                     JsonNode           *optinout,
                     GCancellable       *cancellable,
                     GError            **error)
{
  g_autoptr(CcPreparePlan) plan = g_new0 (CcPreparePlan, 1);
  g_autoptr(GPtrArray) tracked = NULL;
  guint n_solution_steps;

  g_return_val_if_fail (CC_IS_DATAVERSE_CLIENT (client), NULL);

  plan->prefix = g_strdup (prefix ? prefix : CC_PREPARE_DEFAULT_PREFIX);
  plan->solution = g_strdup (CC_PREPARE_SOLUTION);
  plan->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  if (!check_prefix (plan->prefix, error)
      || !plan_solution (client, plan, cancellable, error))
    return NULL;
  n_solution_steps = plan->steps->len;
  if (egress != NULL && !plan_egress (client, plan, egress, cancellable, error))
    return NULL;
  tracked = tables_read (ingress, optinout);
  for (guint i = 0; i < tracked->len; i++)
    if (!plan_tracking (client, plan, g_ptr_array_index (tracked, i), cancellable, error))
      return NULL;
  /* With nothing to put in it, no publisher or solution is worth making. */
  if (plan->steps->len == n_solution_steps)
    g_ptr_array_set_size (plan->steps, 0);
  return g_steal_pointer (&plan);
}

/* --- applying ------------------------------------------------------------------ */

/* The status of the key on @column of @table, as Dataverse reports it. */
static char *
key_status (CcDataverseClient  *client,
            const char         *table,
            const char         *column,
            GCancellable       *cancellable,
            GError            **error)
{
  g_autoptr(CcDataverseTable) found = cc_dataverse_client_get_table (client, table, FALSE,
                                                                     cancellable, error);
  const CcDataverseKey *key = found ? cc_dataverse_table_find_key (found, column) : NULL;

  if (found != NULL && key == NULL)
    g_set_error (error, CC_ERROR, CC_ERROR_SCHEMA,
                 _("The alternate key on “%s” of “%s” is not there after its creation"), column, table);
  return key ? g_strdup (key->index_status) : NULL;
}

/* Waits until the index of a new key is built. */
static gboolean
wait_for_key (CcDataverseClient  *client,
              CcPrepareStep      *step,
              GCancellable       *cancellable,
              GError            **error)
{
  const char *column = json_array_get_string_element (json_object_get_array_member (step->body,
                                                                                    "KeyAttributes"), 0);
  gint64 deadline = g_get_monotonic_time () + KEY_WAIT_US;

  for (;;)
    {
      g_autofree char *status = key_status (client, step->table, column, cancellable, error);

      if (status == NULL)
        return FALSE;
      if (g_str_equal (status, "Active"))
        return TRUE;
      if (g_str_equal (status, "Failed") || g_get_monotonic_time () > deadline)
        {
          g_set_error (error, CC_ERROR, CC_ERROR_SCHEMA,
                       _("The index of the alternate key on “%s” of “%s” is %s: it could not be "
                         "built (do rows share a value?)"), column, step->table, status);
          return FALSE;
        }
      /* Polling the service for a background job; stopped by cancelling. */
      for (gint64 until = g_get_monotonic_time () + KEY_POLL_US; g_get_monotonic_time () < until;)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          g_usleep (50 * 1000);
        }
    }
}

/* The solution's body needs the publisher, which may be new. */
static void
bind_publisher (CcPreparePlan *plan,
                CcPrepareStep *step)
{
  g_autofree char *bind = g_strdup_printf ("/publishers(%s)", plan->publisher_id);

  json_object_set_string_member (step->body, "publisherid@odata.bind", bind);
}

static gboolean
apply_step (CcDataverseClient  *client,
            CcPreparePlan      *plan,
            CcPrepareStep      *step,
            GCancellable       *cancellable,
            GError            **error)
{
  g_autoptr(CcDataverseResult) result = NULL;
  gboolean metadata = step->action != CC_PREPARE_CREATE_PUBLISHER
                      && step->action != CC_PREPARE_CREATE_SOLUTION;

  if (step->action == CC_PREPARE_CREATE_SOLUTION)
    bind_publisher (plan, step);
  result = metadata ? cc_dataverse_client_customize (client, step->method, step->path, step->body,
                                                     plan->solution, cancellable, error)
                    : cc_dataverse_client_create (client, step->path, step->body, cancellable, error);
  if (result == NULL)
    return FALSE;
  if (!cc_dataverse_result_is_success (result))
    {
      g_set_error (error, CC_ERROR, CC_ERROR_REJECTED, "%s",
                   result->message ? result->message : _("Dynamics 365 refused it"));
      return FALSE;
    }
  if (step->action == CC_PREPARE_CREATE_PUBLISHER)
    plan->publisher_id = g_strdup (result->entity_id);
  if (step->action == CC_PREPARE_CREATE_KEY)
    return wait_for_key (client, step, cancellable, error);
  return TRUE;
}

gboolean
cc_prepare_plan_apply (CcDataverseClient  *client,
                       CcPreparePlan      *plan,
                       GCancellable       *cancellable,
                       GError            **error)
{
  g_return_val_if_fail (CC_IS_DATAVERSE_CLIENT (client), FALSE);
  g_return_val_if_fail (plan != NULL, FALSE);

  for (guint i = 0; i < plan->steps->len; i++)
    {
      CcPrepareStep *step = g_ptr_array_index (plan->steps, i);
      g_autoptr(GError) local = NULL;

      if (step->action == CC_PREPARE_RENAME || step->state == CC_PREPARE_DONE)
        continue;
      if (!apply_step (client, plan, step, cancellable, &local))
        {
          cc_prepare_step_set_state (step, CC_PREPARE_FAILED, local->message);
          g_propagate_prefixed_error (error, g_steal_pointer (&local), "%s: ", step->description);
          return FALSE;
        }
      cc_prepare_step_set_state (step, CC_PREPARE_DONE, NULL);
    }
  return TRUE;
}
