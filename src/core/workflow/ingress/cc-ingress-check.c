/* cc-ingress-check.c — what "Microsoft Dynamics 365 to Campaign" needs of
 * both services, as items of a setup check (cc-check.h).
 *
 * For each table mapping: the table, read in full by the application
 * user, with change tracking (or polled without), every column the
 * mapping reads; the Campaign resource, every field it writes, the key
 * field and that Campaign identifies records by it (a record whose
 * creation lost its answer is sent again, and only Campaign refusing a
 * second record with that key keeps it single), and the key filter.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-ingress-private.h"

static void
check_mapping (const CcTableMapping *mapping,
               CcCheck              *check)
{
  CcCheckReport *report = cc_check_get_report (check);
  g_autofree char *fix = g_strdup_printf (_("Fix the Dynamics 365 table of the mapping “%s” "
                                            "(its logical name, such as “contact”)."),
                                          mapping->id);
  const CcDataverseTable *table = cc_check_table (check, mapping->source, fix);
  const CcCampaignResourceType *type = cc_check_resource (check, mapping->target);

  if (table != NULL)
    {
      cc_check_read_access (check, table);
      cc_check_change_tracking (check, table);
      cc_table_mapping_check_columns (mapping, table, report);
    }
  if (type == NULL)
    return;
  cc_table_mapping_check_fields (mapping, type, report);
  cc_check_campaign_key (check, type, mapping->target_key);
  if (mapping->key_filter != NULL)
    cc_check_filter (check, type, mapping->key_filter, mapping->target_key);
}

void
cc_ingress_check (gconstpointer  data,
                  CcCheck       *check)
{
  const CcIngressConfig *config = data;

  for (guint i = 0; i < config->mappings->len; i++)
    check_mapping (g_ptr_array_index (config->mappings, i), check);
}
