/* cc-check.h — checking a workflow's prerequisites against the live
 * services: the pieces every kind's check is made of.
 *
 * A CcCheck holds a client of each service and the report the items go
 * to. Each function below checks one kind of prerequisite, adds its item
 * (id, label, state, what to do, why) and keeps what it fetched, so that
 * a table or a resource two workflows need is read once, and Starting
 * plans its run from what its check read. Nothing here writes to either
 * service: access is judged from the privileges Dataverse says the
 * application user holds, and a read of one row.
 *
 * Item ids:
 *   dynamics.sign-in, campaign.sign-in
 *   dynamics.table.TABLE            the table exists
 *   dynamics.read.TABLE             the application user reads all its rows
 *   dynamics.change-tracking.TABLE
 *   dynamics.column.TABLE.COLUMN
 *   dynamics.privilege.NAME         a privilege a workflow writes with
 *   dynamics.key.TABLE.COLUMN       an alternate key made of that column
 *   campaign.resource.RESOURCE
 *   campaign.field.RESOURCE.FIELD   (…#link: the link to a parent's records)
 *   campaign.key.RESOURCE.FIELD     the field is the resource's key (unique)
 *   campaign.filter.RESOURCE.FILTER
 *   campaign.journal
 */
#pragma once

#include "cc-campaign-client.h"
#include "cc-check-report.h"
#include "cc-dataverse-client.h"

G_BEGIN_DECLS

typedef struct _CcCheck CcCheck;

/* Takes references on the clients and the report. */
CcCheck                *cc_check_new            (CcDataverseClient  *dataverse,
                                                 CcCampaignClient   *campaign,
                                                 CcCheckReport      *report,
                                                 GCancellable       *cancellable);
void                    cc_check_free           (CcCheck            *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcCheck, cc_check_free)

CcCheckReport          *cc_check_get_report     (CcCheck            *self);
CcDataverseClient      *cc_check_get_dataverse  (CcCheck            *self);
CcCampaignClient       *cc_check_get_campaign   (CcCheck            *self);
GCancellable           *cc_check_get_cancellable (CcCheck           *self);
/* The items added from now on are @workflow_id's. */
void                    cc_check_set_workflow   (CcCheck            *self,
                                                 const char         *workflow_id);

/* Signs in to both services (once per check): dynamics.sign-in and
 * campaign.sign-in. A side that cannot be signed in to is checked no
 * further: the functions below add nothing for it and return NULL. */
void                    cc_check_sign_in        (CcCheck            *self);

/* --- Dynamics 365 ------------------------------------------------------ */

/* dynamics.table.TABLE: the table, with its columns, keys and privileges
 * (owned by the check), or NULL when it is missing (then @what_to_do, the
 * caller's advice) or cannot be read. */
const CcDataverseTable *cc_check_table          (CcCheck            *self,
                                                 const char         *logical_name,
                                                 const char         *what_to_do);
/* dynamics.read.TABLE: one row can be read, and the application user's
 * Read privilege reaches every row (the Organization level). */
void                    cc_check_read_access    (CcCheck            *self,
                                                 const CcDataverseTable *table);
/* dynamics.change-tracking.TABLE. Without it the workflows poll the
 * table by modifiedon, which the item says: it does not stop them. */
void                    cc_check_change_tracking (CcCheck           *self,
                                                  const CcDataverseTable *table);
/* dynamics.privilege.NAME for each of @types ("Create", "Write",
 * "Append", "AppendTo", …) of @table, at the Organization level when
 * @all_rows (rows others own), else at least the User level. */
void                    cc_check_privileges     (CcCheck            *self,
                                                 const CcDataverseTable *table,
                                                 const char * const *types,
                                                 gboolean            all_rows);
/* dynamics.key.TABLE.COLUMN: an active alternate key made of @column. */
void                    cc_check_alternate_key  (CcCheck            *self,
                                                 const CcDataverseTable *table,
                                                 const char         *column);

/* The ids and labels of column items, for the kinds' own column checks
 * (they know what each column must be). */
char                   *cc_check_column_id      (const char         *table,
                                                 const char         *column);
char                   *cc_check_column_label   (const char         *table,
                                                 const char         *column);

/* --- Campaign ----------------------------------------------------------- */

/* campaign.resource.RESOURCE: its metadata (owned by the check), or NULL
 * when it is missing or cannot be read. */
const CcCampaignResourceType *cc_check_resource (CcCheck            *self,
                                                 const char         *resource);
/* campaign.key.RESOURCE.FIELD: @field is the key Campaign identifies the
 * records by, so that it refuses a second record with one value: as the
 * metadata says, or where it does not, as Campaign's answer to a record
 * asked for by its value in @field shows (cannot tell while no record
 * has one). */
void                    cc_check_campaign_key   (CcCheck            *self,
                                                 const CcCampaignResourceType *type,
                                                 const char         *field);
/* campaign.filter.RESOURCE.FILTER: the filter is published, and reads
 * the query parameter @parameter. */
void                    cc_check_filter         (CcCheck            *self,
                                                 const CcCampaignResourceType *type,
                                                 const char         *filter,
                                                 const char         *parameter);
/* campaign.journal: a journal URL is set and the journal answers. */
void                    cc_check_journal        (CcCheck            *self);

char                   *cc_check_field_id       (const char         *resource,
                                                 const char         *field);
char                   *cc_check_field_label    (const char         *resource,
                                                 const char         *field);
/* The steps that add @field to @resource in Campaign's UI. */
char                   *cc_check_field_steps    (const char         *resource,
                                                 const char         *field);

G_END_DECLS
