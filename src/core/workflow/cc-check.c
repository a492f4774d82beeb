/* cc-check.c — a CcCheck, signing in, and the Dynamics 365 side of a
 * setup check: tables, read access, change tracking, privileges and
 * alternate keys (see cc-check.h). The Campaign side is in
 * cc-check-campaign.c.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-check-private.h"
#include "cc-error.h"

/* Where an admin gives the application user a privilege. */
#define ROLE_STEPS \
  N_("In the Power Platform admin center, open the environment’s Settings > Users + " \
     "permissions > Security roles, and give the application user’s role %s (%s) at the %s level.")

CcCheck *
cc_check_new (CcDataverseClient *dataverse,
              CcCampaignClient  *campaign,
              CcCheckReport     *report,
              GCancellable      *cancellable)
{
  CcCheck *self = g_new0 (CcCheck, 1);

  g_return_val_if_fail (CC_IS_DATAVERSE_CLIENT (dataverse), NULL);
  g_return_val_if_fail (CC_IS_CAMPAIGN_CLIENT (campaign), NULL);
  g_return_val_if_fail (CC_IS_CHECK_REPORT (report), NULL);

  self->dataverse = g_object_ref (dataverse);
  self->campaign = g_object_ref (campaign);
  self->report = g_object_ref (report);
  self->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  self->tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) cc_dataverse_table_free);
  self->resources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) cc_campaign_resource_type_free);
  self->filters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  return self;
}

void
cc_check_free (CcCheck *self)
{
  if (self == NULL)
    return;
  g_object_unref (self->dataverse);
  g_object_unref (self->campaign);
  g_object_unref (self->report);
  g_clear_object (&self->cancellable);
  g_hash_table_unref (self->tables);
  g_hash_table_unref (self->resources);
  g_hash_table_unref (self->filters);
  g_clear_pointer (&self->privileges, g_hash_table_unref);
  g_free (self->privileges_error);
  g_free (self);
}

CcCheckReport *
cc_check_get_report (CcCheck *self)
{
  return self->report;
}

CcDataverseClient *
cc_check_get_dataverse (CcCheck *self)
{
  return self->dataverse;
}

CcCampaignClient *
cc_check_get_campaign (CcCheck *self)
{
  return self->campaign;
}

GCancellable *
cc_check_get_cancellable (CcCheck *self)
{
  return self->cancellable;
}

void
cc_check_set_workflow (CcCheck    *self,
                       const char *workflow_id)
{
  cc_check_report_set_workflow (self->report, workflow_id);
}

char *
cc_check_id (const char *system,
             const char *kind,
             const char *object,
             const char *member)
{
  return member ? g_strdup_printf ("%s.%s.%s.%s", system, kind, object, member)
                : g_strdup_printf ("%s.%s.%s", system, kind, object);
}

/* --- signing in ------------------------------------------------------------ */

static gboolean
sign_in_to (CcCheck    *self,
            gboolean    campaign)
{
  const char *id = campaign ? "campaign.sign-in" : "dynamics.sign-in";
  const char *label = campaign ? _("Sign-in to Campaign") : _("Sign-in to Microsoft Dynamics 365");
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = campaign ? cc_campaign_client_authenticate (self->campaign, self->cancellable, &error)
                : cc_dataverse_client_authenticate (self->dataverse, self->cancellable, &error);
  if (ok)
    cc_check_report_ok (self->report, id, label, NULL);
  else if (g_error_matches (error, CC_ERROR, CC_ERROR_TRANSIENT)
           || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    cc_check_report_failed (self->report, id, label, error);
  else if (campaign)
    cc_check_report_missing (self->report, id, label, error->code, error->message,
                             _("Check the organization, the API key (client id) and the client "
                               "secret of the Campaign connection: they are those of the OAuth "
                               "Server-to-Server credential of the Adobe Developer Console project, "
                               "whose product profile must give access to Adobe Campaign."));
  else
    cc_check_report_missing (self->report, id, label, error->code, error->message,
                             _("Check the environment URL, the tenant, the client id and the secret "
                               "of the Dynamics 365 connection: the secret of the app registration "
                               "in the Azure portal must not have expired, and the environment must "
                               "have an application user for that client id."));
  return ok;
}

void
cc_check_sign_in (CcCheck *self)
{
  if (self->signed_in)
    {
      cc_check_report_tag (self->report, "dynamics.sign-in");
      cc_check_report_tag (self->report, "campaign.sign-in");
      return;
    }
  self->signed_in = TRUE;
  self->dynamics_ready = sign_in_to (self, FALSE);
  self->campaign_ready = sign_in_to (self, TRUE);
}

/* --- tables ------------------------------------------------------------------ */

const CcDataverseTable *
cc_check_table (CcCheck    *self,
                const char *logical_name,
                const char *what_to_do)
{
  g_autofree char *id = cc_check_id ("dynamics", "table", logical_name, NULL);
  g_autofree char *label = g_strdup_printf (_("Dynamics 365 table “%s”"), logical_name);
  g_autoptr(GError) error = NULL;
  CcDataverseTable *table;

  if (!self->dynamics_ready)
    return NULL;
  if (cc_check_report_tag (self->report, id))
    return g_hash_table_lookup (self->tables, logical_name);

  table = cc_dataverse_client_get_table (self->dataverse, logical_name, FALSE, self->cancellable, &error);
  g_hash_table_insert (self->tables, g_strdup (logical_name), table);
  if (table != NULL)
    cc_check_report_ok (self->report, id, label, NULL);
  else if (g_error_matches (error, CC_ERROR, CC_ERROR_SCHEMA))
    cc_check_report_missing (self->report, id, label, CC_ERROR_SCHEMA, error->message, what_to_do);
  else if (g_error_matches (error, CC_ERROR, CC_ERROR_AUTH_FAILED))
    cc_check_report_missing (self->report, id, label, CC_ERROR_AUTH_FAILED, error->message,
                             _("In the Power Platform admin center, check that the environment has "
                               "an application user for the connection’s client id, with a "
                               "security role (see the privileges each workflow needs)."));
  else
    cc_check_report_failed (self->report, id, label, error);
  return table;
}

/* --- privileges ------------------------------------------------------------- */

/* The application user's privileges, asked once; NULL (with the reason
 * kept) when Dynamics 365 does not tell. */
static GHashTable *
privileges (CcCheck *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *user = NULL;

  if (self->privileges_read)
    return self->privileges;
  self->privileges_read = TRUE;
  user = cc_dataverse_client_who_am_i (self->dataverse, self->cancellable, &error);
  if (user != NULL)
    self->privileges = cc_dataverse_client_get_privileges (self->dataverse, user, self->cancellable, &error);
  if (self->privileges == NULL)
    self->privileges_error = g_strdup_printf (_("Dynamics 365 does not tell which privileges the "
                                                "application user holds (%s)."), error->message);
  return self->privileges;
}

/* What a privilege lets the user do to @table, for labels. */
static char *
describe (const CcDataverseTable *table,
          const char             *type)
{
  const char *name = table->display_name ? table->display_name : table->logical_name;

  if (g_str_equal (type, "Create"))
    return g_strdup_printf (_("create rows of “%s”"), name);
  if (g_str_equal (type, "Read"))
    return g_strdup_printf (_("read rows of “%s”"), name);
  if (g_str_equal (type, "Write"))
    return g_strdup_printf (_("change rows of “%s”"), name);
  if (g_str_equal (type, "Delete"))
    return g_strdup_printf (_("delete rows of “%s”"), name);
  if (g_str_equal (type, "Append"))
    return g_strdup_printf (_("link rows of “%s” to other rows"), name);
  if (g_str_equal (type, "AppendTo"))
    return g_strdup_printf (_("link other rows to rows of “%s”"), name);
  return g_strdup_printf ("%s (%s)", type, name);
}

/* Whether the user holds @name deep enough; else @why says what lacks. */
static gboolean
holds (GHashTable  *held,
       const char  *name,
       gboolean     all_rows,
       char       **why)
{
  const char *depth = g_hash_table_lookup (held, name);

  if (depth == NULL)
    *why = g_strdup_printf (_("The application user lacks the privilege %s."), name);
  else if (all_rows && !cc_dataverse_depth_is_global (depth))
    *why = g_strdup_printf (_("The application user holds %s at the %s level only, so it cannot "
                              "reach rows that others own."), name, depth);
  else
    return TRUE;
  return FALSE;
}

void
cc_check_privileges (CcCheck                *self,
                     const CcDataverseTable *table,
                     const char * const     *types,
                     gboolean                all_rows)
{
  GHashTable *held;

  if (table == NULL)
    return;
  held = privileges (self);
  for (guint i = 0; types[i] != NULL; i++)
    {
      const char *name = g_hash_table_lookup (table->privileges, types[i]);
      g_autofree char *id = NULL;
      g_autofree char *what = describe (table, types[i]);
      g_autofree char *label = NULL;
      g_autofree char *why = NULL;
      g_autofree char *steps = NULL;

      if (name == NULL)
        continue;
      id = cc_check_id ("dynamics", "privilege", name, NULL);
      label = g_strdup_printf (_("Privilege %s: %s"), name, what);
      if (cc_check_report_tag (self->report, id))
        continue;
      if (held == NULL)
        cc_check_report_cannot_tell (self->report, id, label, self->privileges_error);
      else if (holds (held, name, all_rows, &why))
        cc_check_report_ok (self->report, id, label, NULL);
      else
        {
          steps = g_strdup_printf (_(ROLE_STEPS), name, what,
                                   all_rows ? _("Organization") : _("User"));
          cc_check_report_missing (self->report, id, label, CC_ERROR_AUTH_FAILED, why, steps);
        }
    }
}

/* --- reading ------------------------------------------------------------------ */

/* One row read: FALSE with the error when Dynamics 365 refuses. */
static gboolean
read_one_row (CcCheck                *self,
              const CcDataverseTable *table,
              GError                **error)
{
  const char * const columns[] = { table->primary_id_attribute, NULL };
  g_autofree char *url = cc_dataverse_client_build_query_url (self->dataverse, table->entity_set_name,
                                                              columns, NULL);
  g_autoptr(CcDataversePage) page = cc_dataverse_client_read_page (self->dataverse, url,
                                                                   CC_DATAVERSE_READ_NONE, 1,
                                                                   self->cancellable, error);

  return page != NULL;
}

void
cc_check_read_access (CcCheck                *self,
                      const CcDataverseTable *table)
{
  g_autofree char *id = NULL;
  g_autofree char *label = NULL;
  g_autofree char *why = NULL;
  g_autofree char *steps = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  GHashTable *held;

  if (table == NULL)
    return;
  id = cc_check_id ("dynamics", "read", table->logical_name, NULL);
  label = g_strdup_printf (_("Read access to every row of “%s”"), table->logical_name);
  if (cc_check_report_tag (self->report, id))
    return;

  name = g_hash_table_lookup (table->privileges, "Read");
  steps = g_strdup_printf (_(ROLE_STEPS), name ? name : "prvRead", _("read"), _("Organization"));
  if (!read_one_row (self, table, &error))
    {
      if (g_error_matches (error, CC_ERROR, CC_ERROR_AUTH_FAILED))
        cc_check_report_missing (self->report, id, label, CC_ERROR_AUTH_FAILED, error->message, steps);
      else
        cc_check_report_failed (self->report, id, label, error);
      return;
    }
  /* Change tracking and sweeps need every row, not only the user's own. */
  held = privileges (self);
  if (held != NULL && name != NULL && !holds (held, name, TRUE, &why))
    cc_check_report_missing (self->report, id, label, CC_ERROR_AUTH_FAILED, why, steps);
  else
    cc_check_report_ok (self->report, id, label, NULL);
}

/* --- change tracking and keys ---------------------------------------------- */

void
cc_check_change_tracking (CcCheck                *self,
                          const CcDataverseTable *table)
{
  g_autofree char *id = NULL;
  g_autofree char *label = NULL;
  g_autofree char *why = NULL;

  if (table == NULL)
    return;
  id = cc_check_id ("dynamics", "change-tracking", table->logical_name, NULL);
  label = g_strdup_printf (_("Change tracking on “%s”"), table->logical_name);
  if (table->change_tracking)
    {
      cc_check_report_ok (self->report, id, label, NULL);
      return;
    }
  why = g_strdup_printf (_("Change tracking is off, so the workflows poll “%s” by its modification "
                           "time instead: slower, and deleted rows are found only by a sweep now "
                           "and then."), table->logical_name);
  cc_check_report_missing_with_fallback (self->report, id, label, why,
                                         _("Run “Prepare Dynamics 365”, or in Power Apps open the "
                                           "table’s properties and switch on “Track changes” under "
                                           "Advanced options."));
}

void
cc_check_alternate_key (CcCheck                *self,
                        const CcDataverseTable *table,
                        const char             *column)
{
  g_autofree char *id = NULL;
  g_autofree char *label = NULL;
  g_autofree char *why = NULL;
  const CcDataverseKey *key;

  if (table == NULL)
    return;
  id = cc_check_id ("dynamics", "key", table->logical_name, column);
  label = g_strdup_printf (_("Alternate key on “%s” of “%s”"), column, table->logical_name);
  if (cc_check_report_tag (self->report, id))
    return;
  key = cc_dataverse_table_find_key (table, column);
  if (key != NULL && g_strcmp0 (key->index_status, "Active") == 0)
    {
      cc_check_report_ok (self->report, id, label, NULL);
      return;
    }
  if (key != NULL && g_strcmp0 (key->index_status, "Failed") != 0)
    {
      why = g_strdup_printf (_("The key’s index is being built (%s): try again in a few minutes."),
                             key->index_status);
      cc_check_report_cannot_tell (self->report, id, label, why);
      return;
    }
  why = key != NULL
        ? g_strdup_printf (_("The alternate key on “%s” failed to build: rows hold the same value."), column)
        : g_strdup_printf (_("“%s” has no alternate key made of “%s” alone, so an event written "
                             "twice would make two activities."), table->logical_name, column);
  cc_check_report_missing (self->report, id, label, CC_ERROR_SCHEMA, why,
                           key != NULL
                           ? _("Delete the duplicate rows, then reactivate the key in Power Apps "
                               "(the table’s Keys).")
                           : _("Run “Prepare Dynamics 365”, or in Power Apps add a key made of "
                               "this column alone under the table’s Keys."));
}

char *
cc_check_column_id (const char *table,
                    const char *column)
{
  return cc_check_id ("dynamics", "column", table, column);
}

char *
cc_check_column_label (const char *table,
                       const char *column)
{
  return g_strdup_printf (_("Column “%s” of “%s”"), column, table);
}
