/* cc-optinout-private.h — what the opt-in/opt-out readers and writers
 * share: the run, the queued items and the per-contact sync state.
 */
#pragma once

#include "cc-optinout-config.h"
#include "cc-poll-reader.h"
#include "cc-run.h"
#include "cc-schema-guard.h"
#include "cc-store.h"

G_BEGIN_DECLS

typedef struct
{
  CcRun             *run;
  CcOptinoutConfig  *config;
  char              *contact_set;   /* the contact table's entity set */
  GStrv              columns;       /* $select: contactid, the pair columns, modifiedon */
  CcPollReader      *poll;          /* Contact is read without change tracking; else NULL */
  CcSchemaGuard     *guard;         /* a pair's column or field gone while running */
  /* When this run began (unix µs): a read queued before then may predate
   * a write that an ended run made and never noted (killed before its
   * answer came), so it is read afresh. */
  gint64             started;
} CcOptinout;

/* Queue items: mapping "contact", key = the contactid (lower case), so
 * that a change read on either side is one item per contact and two
 * writers never reconcile the same contact at once. The payload is what
 * one side said: {"side": "dynamics"|"campaign", "read-at": <when the
 * read began, unix µs>, "time": <the record's modification time>,
 * "values": {<that side's field>: true|false, …}, "pkey": <the profile's
 * PKey, Campaign only>}. */
#define CC_OPTINOUT_MAPPING "contact"

/* Cursors. */
/* "<phase> <url>" with change tracking, else a read position of
 * cc-poll-reader.h */
#define CC_OPTINOUT_CURSOR_DYNAMICS        "dynamics"
#define CC_OPTINOUT_CURSOR_CAMPAIGN        "campaign"          /* "<phase>\n<watermark>\n<url>" */
#define CC_OPTINOUT_CURSOR_REPLAY_DYNAMICS "replay/dynamics"
#define CC_OPTINOUT_CURSOR_REPLAY_CAMPAIGN "replay/campaign"

/* The sync state of one contact, in the map CC_OPTINOUT_STATE_SPACE under
 * its contactid: per pair (by its Dynamics column) the last value this
 * workflow saw in or wrote to Dynamics ("d") and Campaign ("c"), and the
 * value both sides last agreed on ("s"). A change read from a side is
 * only a change if it differs from what the workflow last knew there:
 * that is how its own writes coming back are told from real changes. */
#define CC_OPTINOUT_STATE_SPACE "optinout/state"

typedef enum
{
  CC_OPTINOUT_UNKNOWN = -1,
  CC_OPTINOUT_NO = 0,
  CC_OPTINOUT_YES = 1,
} CcOptinoutValue;

typedef struct
{
  CcOptinoutValue dynamics;   /* last known in Dynamics 365 */
  CcOptinoutValue campaign;   /* last known in Campaign */
  CcOptinoutValue synced;     /* last agreed by both */
} CcOptinoutPairState;

typedef struct
{
  guint                n_pairs;
  CcOptinoutPairState *pairs;             /* parallel to config->pairs */
  gboolean             known;             /* there was a stored state */
  /* When this workflow last finished writing to each side (unix µs): a
   * queued read of that side that began before then may predate the
   * write, so the writer reads that side afresh instead. */
  gint64               dynamics_written;
  gint64               campaign_written;
} CcOptinoutState;

CcOptinoutState *cc_optinout_state_load  (CcOptinout       *self,
                                          CcStore          *store,
                                          const char       *contact,
                                          GError          **error);
gboolean         cc_optinout_state_save  (CcOptinout       *self,
                                          CcStore          *store,
                                          const char       *contact,
                                          CcOptinoutState  *state,
                                          GError          **error);
void             cc_optinout_state_free  (CcOptinoutState  *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcOptinoutState, cc_optinout_state_free)

/* A Campaign profile's value of @pair (its blackList* name accepted). */
CcOptinoutValue  cc_optinout_campaign_value (JsonObject           *profile,
                                             const CcOptinoutPair *pair);
/* A Dynamics contact's value of @pair. */
CcOptinoutValue  cc_optinout_dynamics_value (JsonObject           *row,
                                             const CcOptinoutPair *pair);
/* The same, of a row of a page. */
CcOptinoutValue  cc_optinout_dynamics_row_value (CcJsonRow            *row,
                                                 const CcOptinoutPair *pair);

/* Campaign answers every field of a profile, a false flag included: one
 * that lacks the field of a pair (under either name) may come from a
 * resource that no longer has it, which must not read as "not opted
 * out". TRUE when @profile has every pair's field, or the resource still
 * has each it lacks; FALSE with the error that fails the run. */
gboolean         cc_optinout_check_profile  (CcOptinout           *self,
                                             CcCampaignClient     *client,
                                             JsonObject           *profile,
                                             GCancellable         *cancellable,
                                             GError              **error);
/* The fields of the pairs @profile lacks (under either name). */
GStrv            cc_optinout_lacking_fields (CcOptinout           *self,
                                             JsonObject           *profile);
/* Translated words for where the pairs are set, for an error. */
const char      *cc_optinout_where          (void);

/* Threads (cc-optinout-reader.c, cc-optinout-writer.c). */
gboolean cc_optinout_read_dynamics (CcOptinout *self,
                                    GError    **error);
gboolean cc_optinout_read_campaign (CcOptinout *self,
                                    GError    **error);
/* Writer thread @thread of @n_threads: @in_flight contacts at once
 * (cc-write-pump.h), spread over its share of the application users. */
gboolean cc_optinout_write_loop    (CcOptinout *self,
                                    guint       thread,
                                    guint       n_threads,
                                    guint       in_flight,
                                    GError    **error);

G_END_DECLS
