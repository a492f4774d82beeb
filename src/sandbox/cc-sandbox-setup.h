/* cc-sandbox-setup.h — the customer's setup an emulator can be started
 * without, so that tests and demos show the setup check catching each
 * missing piece.
 *
 * Out of the box both emulated services are set up the way the
 * workflows need them. An item names one piece to leave out, given as
 * "campaign-connector-sandbox --without ITEM", in CcSandboxOptions.without
 * or, while running, with POST /_sandbox/setup {"remove": [ITEM, ...]} on
 * the service's port:
 *
 *   Dynamics 365 (Dataverse)
 *     activity-tables           the four email-event activity tables
 *     table:TABLE               one table
 *     alternate-key:TABLE       the event-id alternate key of an activity table
 *     change-tracking:TABLE     change tracking of a table (it starts off)
 *     column:TABLE.COLUMN       a column of a table
 *     privilege:NAME            a privilege of the application user
 *                               (prvCreateActivity, prvWriteContact, …)
 *   Campaign
 *     custom-filters            the custom filters of the profile extension
 *                               (byExternalId, byLastModifiedSince)
 *     filter:RESOURCE.FILTER    one filter of a resource
 *     field:RESOURCE.FIELD      one field of a resource
 *     key:RESOURCE              the identification key of a resource: its
 *                               key field stays, no longer unique
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  CC_SANDBOX_SETUP_ACTIVITY_TABLES,
  CC_SANDBOX_SETUP_TABLE,
  CC_SANDBOX_SETUP_ALTERNATE_KEY,
  CC_SANDBOX_SETUP_CHANGE_TRACKING,
  CC_SANDBOX_SETUP_COLUMN,
  CC_SANDBOX_SETUP_PRIVILEGE,
  CC_SANDBOX_SETUP_CUSTOM_FILTERS,
  CC_SANDBOX_SETUP_FILTER,
  CC_SANDBOX_SETUP_FIELD,
  CC_SANDBOX_SETUP_KEY,
} CcSandboxSetupKind;

typedef struct
{
  CcSandboxSetupKind  kind;
  gboolean            campaign;   /* FALSE: a Dataverse item */
  char               *object;     /* table, resource or privilege; NULL if none */
  char               *member;     /* column, field or filter; NULL if none */
} CcSandboxSetupItem;

void                cc_sandbox_setup_item_free (CcSandboxSetupItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcSandboxSetupItem, cc_sandbox_setup_item_free)

/* Parses one item; G_IO_ERROR_INVALID_ARGUMENT naming it and the known
 * ones when it is not one. */
CcSandboxSetupItem *cc_sandbox_setup_item_parse (const char  *text,
                                                 GError     **error);
/* Checks every item of @items (may be NULL). */
gboolean            cc_sandbox_setup_check     (const char * const *items,
                                                GError            **error);
/* Takes one item away from an emulator (@server). */
typedef gboolean  (*CcSandboxSetupRemove)      (gpointer                  server,
                                                const CcSandboxSetupItem *item,
                                                GError                  **error);
/* Calls @remove on @server for each item of @items (may be NULL) that is
 * its service's (@campaign: Campaign's, else Dataverse's), in order,
 * until one fails. */
gboolean            cc_sandbox_setup_remove    (const char * const   *items,
                                                gboolean              campaign,
                                                CcSandboxSetupRemove  remove,
                                                gpointer              server,
                                                GError              **error);
/* The items of a POST /_sandbox/setup body, {"remove": [ITEM, ...]}, each
 * checked; NULL with G_IO_ERROR_INVALID_ARGUMENT when @body (may be NULL)
 * is not such a request or names an unknown item. */
char              **cc_sandbox_setup_read_request (JsonObject  *body,
                                                   GError     **error);

G_END_DECLS
