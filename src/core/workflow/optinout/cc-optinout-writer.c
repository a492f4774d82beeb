/* cc-optinout-writer.c — opt-in/opt-out writers: one contact at a time,
 * both sides compared and made to agree.
 *
 * A queued item carries what one side said about a contact; the writer
 * reads the other side and compares, pair by pair, against the value
 * both sides last agreed on:
 *  - equal on both sides: in step, nothing to write;
 *  - only one side differs from the agreed value: that side changed, and
 *    its value is copied to the other — if the direction allows it;
 *  - both differ (or they never agreed: a first run, a new pair): a
 *    conflict. One-way, the leading side wins; both ways, the policy
 *    decides ("latest": the side whose record was modified last, ties to
 *    Dynamics 365; or always Dynamics 365; or always Campaign), and the
 *    run history records the contact, the field, both values and the
 *    winner.
 * What the writer writes becomes the known value of that side, so when
 * it comes back through a reader it is recognised as its own.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cc-error.h"
#include "cc-optinout-private.h"

#define LEASE_SIZE 16
/* How many contacts without a profile a history entry names. */
#define SKIPPED_EXAMPLES 5

typedef enum
{
  OUTCOME_OK,
  OUTCOME_NO_PROFILE,   /* the contact has no Campaign profile: counted */
  OUTCOME_REJECTED,     /* refused for good: error log */
  OUTCOME_RETRY,        /* transient: back to the queue */
} Outcome;

typedef struct
{
  CcOptinout        *optinout;
  CcStore           *store;
  CcDataverseClient *dataverse;
  CcCampaignClient  *campaign;
  GCancellable      *cancellable;
  const char        *workflow;

  guint              status;      /* of a rejection */
  char              *reason;
  guint              written;     /* records written in this lease */
  guint              no_profile;
  GString           *examples;
} Writer;

/* What one side holds for the contact. */
typedef struct
{
  gboolean         present;
  CcOptinoutValue *values;        /* parallel to config->pairs */
  char            *time;          /* its record's modification time */
  char            *pkey;          /* Campaign: the profile's PKey */
} Side;

static void
side_clear (Side *side)
{
  g_clear_pointer (&side->values, g_free);
  g_clear_pointer (&side->time, g_free);
  g_clear_pointer (&side->pkey, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Side, side_clear)

static Outcome
reject (Writer     *writer,
        guint       status,
        const char *reason)
{
  writer->status = status;
  g_free (writer->reason);
  writer->reason = g_strdup (reason);
  return OUTCOME_REJECTED;
}

static GDateTime *
parse_time (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *iso = NULL;

  if (text == NULL || strlen (text) < 10)
    return NULL;
  iso = g_strdup (text);
  if (strlen (iso) > 10 && iso[10] == ' ')
    iso[10] = 'T';
  return g_date_time_new_from_iso8601 (iso, utc);
}

/* ------------------------------------------------------------------ */
/* Reading the sides                                                   */

static void
side_from_payload (Writer     *writer,
                   JsonObject *payload,
                   gboolean    dynamics,
                   Side       *side)
{
  GPtrArray *pairs = writer->optinout->config->pairs;
  JsonNode *node = json_object_get_member (payload, "values");
  JsonObject *values = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

  side->present = TRUE;
  side->values = g_new (CcOptinoutValue, pairs->len);
  for (guint i = 0; i < pairs->len; i++)
    {
      const CcOptinoutPair *pair = g_ptr_array_index (pairs, i);

      side->values[i] = values == NULL ? CC_OPTINOUT_NO
                        : dynamics ? cc_optinout_dynamics_value (values, pair)
                        : cc_optinout_campaign_value (values, pair);
    }
  side->time = g_strdup (json_object_get_string_member_with_default (payload, "time", NULL));
  side->pkey = g_strdup (json_object_get_string_member_with_default (payload, "pkey", NULL));
}

static Outcome
read_dynamics (Writer      *writer,
               const char  *contact,
               Side        *side,
               GError     **error)
{
  CcOptinout *self = writer->optinout;
  g_autofree char *path = NULL;
  g_autoptr(CcDataverseResult) result = NULL;

  side->present = FALSE;
  if (!cc_dataverse_is_guid (contact))
    return OUTCOME_OK;   /* cannot be a contact */

  path = cc_dataverse_client_build_id_path (self->contact_set, contact);
  result = cc_dataverse_client_get (writer->dataverse, path, (const char * const *) self->columns,
                                    writer->cancellable, error);
  if (result == NULL)
    return OUTCOME_RETRY;
  if (result->status == 404)
    return OUTCOME_OK;
  if (!cc_dataverse_result_is_success (result) || result->body == NULL)
    return reject (writer, result->status, result->message);

  side->present = TRUE;
  side->values = g_new (CcOptinoutValue, self->config->pairs->len);
  for (guint i = 0; i < self->config->pairs->len; i++)
    side->values[i] = cc_optinout_dynamics_value (result->body,
                                                  g_ptr_array_index (self->config->pairs, i));
  side->time = g_strdup (json_object_get_string_member_with_default (result->body, "modifiedon",
                                                                      NULL));
  return OUTCOME_OK;
}

static Outcome
read_campaign (Writer      *writer,
               const char  *contact,
               Side        *side,
               GError     **error)
{
  const CcOptinoutConfig *config = writer->optinout->config;
  const char *filter = *config->key_filter ? config->key_filter : NULL;
  g_autoptr(CcCampaignResult) found = NULL;

  side->present = FALSE;
  found = cc_campaign_client_find (writer->campaign, config->campaign_resource, filter,
                                   filter ? config->campaign_key : NULL, contact,
                                   writer->cancellable, error);
  if (found == NULL)
    return OUTCOME_RETRY;
  if (found->record == NULL)
    {
      if (found->status >= 400 && found->status != 404)
        {
          g_autofree char *why =
            g_strdup_printf (_("Campaign cannot find profiles by “%s” (%s). Check key-filter "
                               "and campaign-key."),
                             config->campaign_key, found->message ? found->message : "");
          return reject (writer, found->status, why);
        }
      return OUTCOME_OK;
    }

  side->present = TRUE;
  side->values = g_new (CcOptinoutValue, config->pairs->len);
  for (guint i = 0; i < config->pairs->len; i++)
    side->values[i] = cc_optinout_campaign_value (found->record,
                                                  g_ptr_array_index (config->pairs, i));
  side->time = g_strdup (json_object_get_string_member_with_default (found->record, "lastModified",
                                                                      NULL));
  side->pkey = g_strdup (found->pkey ? found->pkey
                         : json_object_get_string_member_with_default (found->record, "PKey", NULL));
  return OUTCOME_OK;
}

/* ------------------------------------------------------------------ */
/* Deciding                                                            */

typedef enum
{
  WINNER_DYNAMICS,
  WINNER_CAMPAIGN,
} Winner;

static Winner
by_policy (const CcOptinoutConfig *config,
           const Side             *dynamics,
           const Side             *campaign)
{
  g_autoptr(GDateTime) td = NULL;
  g_autoptr(GDateTime) tc = NULL;

  switch (config->policy)
    {
    case CC_OPTINOUT_DYNAMICS:
      return WINNER_DYNAMICS;
    case CC_OPTINOUT_CAMPAIGN:
      return WINNER_CAMPAIGN;
    case CC_OPTINOUT_LATEST:
    default:
      td = parse_time (dynamics->time);
      tc = parse_time (campaign->time);
      /* A tie, or a time that cannot be read, goes to Dynamics 365, the
       * system of record of the contact. */
      if (td != NULL && tc != NULL && g_date_time_compare (tc, td) > 0)
        return WINNER_CAMPAIGN;
      return WINNER_DYNAMICS;
    }
}

static const char *
yes_no (CcOptinoutValue value)
{
  return value == CC_OPTINOUT_YES ? "true" : "false";
}

static char *
conflict_message (const CcOptinoutConfig *config,
                  const char             *contact,
                  const CcOptinoutPair   *pair,
                  const Side             *dynamics,
                  const Side             *campaign,
                  guint                   index,
                  Winner                  winner)
{
  return g_strdup_printf (_("Conflict on contact %s, field %s ↔ %s: Dynamics 365 has %s "
                            "(modified %s), Campaign has %s (modified %s); policy “%s”: %s wins"),
                          contact, pair->dynamics, pair->campaign,
                          yes_no (dynamics->values[index]), dynamics->time ? dynamics->time : "?",
                          yes_no (campaign->values[index]), campaign->time ? campaign->time : "?",
                          cc_optinout_policy_to_string (config->policy),
                          winner == WINNER_DYNAMICS ? "Dynamics 365" : "Campaign");
}

/* ------------------------------------------------------------------ */
/* One contact                                                         */

/* What reconciling one contact comes to: the writes to each side and the
 * conflicts to record once they are written. */
typedef struct
{
  JsonObject *to_campaign;
  JsonObject *to_dynamics;
  guint      *written_to;   /* per pair: 0, 'd' or 'c' */
  GPtrArray  *conflicts;    /* char* */
} Plan;

static void
plan_clear (Plan *plan)
{
  g_clear_pointer (&plan->to_campaign, json_object_unref);
  g_clear_pointer (&plan->to_dynamics, json_object_unref);
  g_clear_pointer (&plan->written_to, g_free);
  g_clear_pointer (&plan->conflicts, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Plan, plan_clear)

/* Both sides of @contact: the queued side as it was read, unless this
 * workflow wrote to that side since (then the read may predate the
 * write, and only a fresh one tells); the other side read now. */
static Outcome
read_sides (Writer           *writer,
            const char       *contact,
            JsonObject       *payload,
            CcOptinoutState  *state,
            Side             *dynamics,
            Side             *campaign,
            GError          **error)
{
  const char *side = json_object_get_string_member_with_default (payload, "side", "");
  gint64 read_at = json_object_get_int_member_with_default (payload, "read-at", 0);
  Outcome outcome;

  if (g_str_equal (side, "dynamics") && read_at > state->dynamics_written)
    side_from_payload (writer, payload, TRUE, dynamics);
  else if ((outcome = read_dynamics (writer, contact, dynamics, error)) != OUTCOME_OK)
    return outcome;
  if (g_str_equal (side, "campaign") && read_at > state->campaign_written)
    side_from_payload (writer, payload, FALSE, campaign);
  else if ((outcome = read_campaign (writer, contact, campaign, error)) != OUTCOME_OK)
    return outcome;
  return OUTCOME_OK;
}

/* No profile: nothing to keep in step with (yet). What Dynamics 365 says
 * is remembered, and compared again when a profile appears. */
static Outcome
keep_without_profile (Writer           *writer,
                      const char       *contact,
                      CcOptinoutState  *state,
                      const Side       *dynamics,
                      GError          **error)
{
  if (!dynamics->present)
    return OUTCOME_NO_PROFILE;
  for (guint i = 0; i < state->n_pairs; i++)
    state->pairs[i].dynamics = dynamics->values[i];
  if (!cc_optinout_state_save (writer->optinout, writer->store, contact, state, error))
    return OUTCOME_RETRY;
  return OUTCOME_NO_PROFILE;
}

/* A profile that names no contact: known as it is, so that the same
 * profile read again is not news (and not one more error) until it
 * changes; refused when its flags would have to be copied to Dynamics
 * 365. */
static Outcome
keep_without_contact (Writer           *writer,
                      const char       *contact,
                      CcOptinoutState  *state,
                      const Side       *campaign,
                      GError          **error)
{
  const CcOptinoutConfig *config = writer->optinout->config;
  g_autofree char *why = NULL;

  for (guint i = 0; i < state->n_pairs; i++)
    state->pairs[i].campaign = campaign->values[i];
  if (!cc_optinout_state_save (writer->optinout, writer->store, contact, state, error))
    return OUTCOME_RETRY;
  if (config->direction == CC_OPTINOUT_DYNAMICS_TO_CAMPAIGN)
    return OUTCOME_OK;   /* nothing would be written to Dynamics 365 */
  why = g_strdup_printf (_("Contact %s does not exist in Dynamics 365, so the consent flags "
                           "of the Campaign profile that names it (%s = %s) cannot be "
                           "copied there"),
                         contact, config->campaign_key, contact);
  return reject (writer, 404, why);
}

/* Which side's value of pair @i stands, when the two differ: the side
 * that changed since they last agreed; when both did (or they never
 * agreed), the leading side one way, the policy both ways (a conflict,
 * recorded in @plan). */
static Winner
pick_winner (const CcOptinoutConfig     *config,
             const char                 *contact,
             guint                       i,
             const CcOptinoutPairState  *known,
             const Side                 *dynamics,
             const Side                 *campaign,
             Plan                       *plan)
{
  gboolean d_changed = known->synced == CC_OPTINOUT_UNKNOWN
                       || dynamics->values[i] != known->synced;
  gboolean c_changed = known->synced == CC_OPTINOUT_UNKNOWN
                       || campaign->values[i] != known->synced;
  Winner winner;

  if (!(d_changed && c_changed))
    return d_changed ? WINNER_DYNAMICS : WINNER_CAMPAIGN;
  if (config->direction != CC_OPTINOUT_BIDIRECTIONAL)
    return config->direction == CC_OPTINOUT_DYNAMICS_TO_CAMPAIGN ? WINNER_DYNAMICS
                                                                 : WINNER_CAMPAIGN;
  winner = by_policy (config, dynamics, campaign);
  g_ptr_array_add (plan->conflicts,
                   conflict_message (config, contact, g_ptr_array_index (config->pairs, i),
                                     dynamics, campaign, i, winner));
  return winner;
}

/* Compares both sides pair by pair (see the top of this file) and plans
 * what to write where. */
static void
plan_writes (const CcOptinoutConfig  *config,
             const char              *contact,
             CcOptinoutState         *state,
             const Side              *dynamics,
             const Side              *campaign,
             Plan                    *plan)
{
  CcOptinoutDirection direction = config->direction;

  plan->to_campaign = json_object_new ();
  plan->to_dynamics = json_object_new ();
  plan->written_to = g_new0 (guint, state->n_pairs);
  plan->conflicts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < state->n_pairs; i++)
    {
      const CcOptinoutPair *pair = g_ptr_array_index (config->pairs, i);
      CcOptinoutPairState *known = &state->pairs[i];
      CcOptinoutValue d = dynamics->values[i];
      CcOptinoutValue c = campaign->values[i];
      Winner winner;

      g_debug ("optinout: contact %s, %s: Dynamics %d, Campaign %d, agreed %d",
               contact, pair->dynamics, d, c, known->synced);
      known->dynamics = d;
      known->campaign = c;
      if (d == c)
        {
          known->synced = d;
          continue;
        }

      winner = pick_winner (config, contact, i, known, dynamics, campaign, plan);
      if (winner == WINNER_DYNAMICS && direction != CC_OPTINOUT_CAMPAIGN_TO_DYNAMICS)
        {
          json_object_set_boolean_member (plan->to_campaign, pair->campaign, d == CC_OPTINOUT_YES);
          plan->written_to[i] = 'c';
        }
      else if (winner == WINNER_CAMPAIGN && direction != CC_OPTINOUT_DYNAMICS_TO_CAMPAIGN)
        {
          json_object_set_boolean_member (plan->to_dynamics, pair->dynamics, c == CC_OPTINOUT_YES);
          plan->written_to[i] = 'd';
        }
      /* Otherwise the change is on the side this direction does not
       * copy from: the sides stay apart until the leading side changes. */
    }
}

/* Writes the planned changes to the profile. Written values become known
 * on that side; after a lost answer the write may have happened all the
 * same, so reads from before now cannot be trusted. */
static Outcome
write_campaign (Writer           *writer,
                const char       *contact,
                CcOptinoutState  *state,
                const Plan       *plan,
                const Side       *dynamics,
                const Side       *campaign,
                GError          **error)
{
  g_autoptr(CcCampaignResult) result = NULL;

  if (json_object_get_size (plan->to_campaign) == 0)
    return OUTCOME_OK;
  result = cc_campaign_client_patch (writer->campaign, writer->optinout->config->campaign_resource,
                                     campaign->pkey, plan->to_campaign, writer->cancellable, error);
  if (result == NULL)
    {
      state->campaign_written = g_get_real_time ();
      cc_optinout_state_save (writer->optinout, writer->store, contact, state, NULL);
      return OUTCOME_RETRY;
    }
  if (!cc_campaign_result_is_success (result))
    return reject (writer, result->status, result->message ? result->message
                                                           : _("Campaign refused the change"));
  writer->written++;
  state->campaign_written = g_get_real_time ();
  for (guint i = 0; i < state->n_pairs; i++)
    if (plan->written_to[i] == 'c')
      state->pairs[i].campaign = state->pairs[i].synced = dynamics->values[i];
  return OUTCOME_OK;
}

/* As write_campaign(), to the contact; a refusal here does not replace
 * one that @outcome already holds. */
static Outcome
write_dynamics (Writer           *writer,
                const char       *contact,
                CcOptinoutState  *state,
                const Plan       *plan,
                const Side       *campaign,
                Outcome           outcome,
                GError          **error)
{
  g_autofree char *path = NULL;
  g_autoptr(CcDataverseResult) result = NULL;

  if (json_object_get_size (plan->to_dynamics) == 0)
    return outcome;
  path = cc_dataverse_client_build_id_path (writer->optinout->contact_set, contact);
  result = cc_dataverse_client_update (writer->dataverse, path, plan->to_dynamics,
                                       writer->cancellable, error);
  if (result == NULL)
    {
      state->dynamics_written = g_get_real_time ();
      return OUTCOME_RETRY;
    }
  if (!cc_dataverse_result_is_success (result))
    {
      if (outcome != OUTCOME_OK)
        return outcome;
      return reject (writer, result->status,
                     result->status == 404 ? _("The contact no longer exists in Dynamics 365")
                     : result->message ? result->message
                     : _("Dynamics 365 refused the change"));
    }
  writer->written++;
  state->dynamics_written = g_get_real_time ();
  for (guint i = 0; i < state->n_pairs; i++)
    if (plan->written_to[i] == 'd')
      state->pairs[i].dynamics = state->pairs[i].synced = campaign->values[i];
  return outcome;
}

static Outcome
reconcile (Writer             *writer,
           const CcQueueItem  *item,
           GError            **error)
{
  CcOptinout *self = writer->optinout;
  g_autoptr(JsonNode) node = json_from_string (item->payload, NULL);
  g_auto(Side) dynamics = { 0 };
  g_auto(Side) campaign = { 0 };
  g_auto(Plan) plan = { 0 };
  g_autoptr(CcOptinoutState) state = NULL;
  g_autoptr(GError) local = NULL;
  const char *contact = item->key;
  Outcome outcome;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return reject (writer, 0, _("The queued change is damaged and cannot be written"));

  state = cc_optinout_state_load (self, writer->store, contact, error);
  if (state == NULL)
    return OUTCOME_RETRY;
  outcome = read_sides (writer, contact, json_node_get_object (node), state,
                        &dynamics, &campaign, error);
  if (outcome != OUTCOME_OK)
    return outcome;
  if (!campaign.present)
    return keep_without_profile (writer, contact, state, &dynamics, error);
  if (!dynamics.present)
    return keep_without_contact (writer, contact, state, &campaign, error);

  plan_writes (self->config, contact, state, &dynamics, &campaign, &plan);
  outcome = write_campaign (writer, contact, state, &plan, &dynamics, &campaign, error);
  if (outcome == OUTCOME_RETRY)
    return outcome;
  outcome = write_dynamics (writer, contact, state, &plan, &campaign, outcome, &local);

  /* What was written (and only that) is now known on its side; what was
   * refused stays apart, and is tried again when either side changes or
   * the error is retried. */
  if (!cc_optinout_state_save (self, writer->store, contact, state, error))
    return OUTCOME_RETRY;
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return OUTCOME_RETRY;
    }
  for (guint i = 0; outcome == OUTCOME_OK && i < plan.conflicts->len; i++)
    cc_store_add_history (writer->store, writer->workflow, "conflict",
                          g_ptr_array_index (plan.conflicts, i), 0, 0, NULL);
  return outcome;
}

/* ------------------------------------------------------------------ */
/* The loop                                                            */

static gboolean
is_fatal (const GError *error)
{
  return error != NULL && !g_error_matches (error, CC_ERROR, CC_ERROR_TRANSIENT)
         && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Settles what reconciling @item came to. */
static void
settle_outcome (Writer             *writer,
                CcStoreBatch       *outcomes,
                const CcQueueItem  *item,
                Outcome             outcome)
{
  switch (outcome)
    {
    case OUTCOME_OK:
      cc_store_batch_done (outcomes, item->id);
      break;
    case OUTCOME_NO_PROFILE:
      if (writer->no_profile++ < SKIPPED_EXAMPLES)
        g_string_append_printf (writer->examples, "%s%s", writer->examples->len ? ", " : "",
                                item->key);
      cc_store_batch_done (outcomes, item->id);
      break;
    case OUTCOME_REJECTED:
      cc_store_batch_fail (outcomes, item->id, writer->status, writer->reason);
      break;
    case OUTCOME_RETRY:
    default:
      cc_store_batch_again (outcomes, item->id);
      break;
    }
}

/* Reconciles the contacts of one lease into @outcomes. Once one fails
 * for a reason the run cannot get past (credentials refused, database
 * trouble), or the service struggles, the rest go back to the queue.
 * Returns whether the service struggled. */
static gboolean
write_lease (Writer        *writer,
             GPtrArray     *items,
             CcStoreBatch  *outcomes,
             GError       **fatal)
{
  CcRun *run = writer->optinout->run;
  gboolean struggling = FALSE;

  writer->written = 0;
  writer->no_profile = 0;
  g_string_truncate (writer->examples, 0);
  for (guint i = 0; i < items->len; i++)
    {
      CcQueueItem *item = g_ptr_array_index (items, i);
      g_autoptr(GError) local = NULL;
      Outcome outcome;

      if (struggling || *fatal != NULL || cc_run_is_cancelled (run))
        {
          cc_store_batch_again (outcomes, item->id);
          continue;
        }
      outcome = reconcile (writer, item, &local);
      if (is_fatal (local))
        {
          cc_store_batch_again (outcomes, item->id);
          *fatal = g_steal_pointer (&local);
          continue;
        }
      settle_outcome (writer, outcomes, item, outcome);
      struggling = outcome == OUTCOME_RETRY && local != NULL;
    }
  cc_store_batch_add_written (outcomes, writer->written);
  return struggling;
}

/* One history entry for the contacts of a lease that have no profile
 * yet, naming a few of them. */
static void
note_no_profile (Writer *writer)
{
  g_autofree char *message = NULL;

  if (writer->no_profile == 0)
    return;
  if (writer->no_profile > SKIPPED_EXAMPLES)
    g_string_append (writer->examples, ", …");
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u contact has no Campaign profile yet: %s",
                                          "%u contacts have no Campaign profile yet: %s",
                                          writer->no_profile),
                             writer->no_profile, writer->examples->str);
  cc_store_add_history (writer->store, writer->workflow, "skip", message, 0, 0, NULL);
}

gboolean
cc_optinout_write_loop (CcOptinout  *self,
                        GError     **error)
{
  CcRun *run = self->run;
  g_autoptr(CcStore) store = NULL;
  g_autoptr(CcDataverseClient) dataverse = NULL;
  g_autoptr(CcCampaignClient) campaign = NULL;
  g_autoptr(GString) examples = g_string_new (NULL);
  g_autoptr(CcStoreBatch) outcomes = cc_store_batch_new (cc_run_get_workflow_id (run));
  Writer writer = { self, NULL, NULL, NULL, cc_run_get_cancellable (run),
                    cc_run_get_workflow_id (run), 0, NULL, 0, 0, examples };
  GError *fatal = NULL;
  guint streak = 0;

  store = cc_run_open_store (run, error);
  if (store == NULL)
    return FALSE;
  dataverse = cc_run_new_dataverse_client (run, 1, error);
  if (dataverse == NULL)
    return FALSE;
  campaign = cc_run_new_campaign_client (run, 1, error);
  if (campaign == NULL)
    return FALSE;
  writer.store = store;
  writer.dataverse = dataverse;
  writer.campaign = campaign;

  while (fatal == NULL && !cc_run_is_cancelled (run))
    {
      g_autoptr(GPtrArray) items = NULL;
      gboolean struggling;

      items = cc_store_lease (store, writer.workflow, LEASE_SIZE, &fatal);
      if (items == NULL)
        break;
      if (items->len == 0)
        {
          cc_run_sleep (run, 100);
          continue;
        }

      struggling = write_lease (&writer, items, outcomes, &fatal);
      cc_run_settle (run, store, outcomes, fatal ? NULL : &fatal);
      note_no_profile (&writer);
      if (struggling)
        cc_run_sleep (run, cc_run_backoff_ms (MIN (streak++, 8)));
      else
        streak = 0;
    }

  g_free (writer.reason);
  if (fatal != NULL)
    {
      g_propagate_error (error, fatal);
      return FALSE;
    }
  return TRUE;
}
