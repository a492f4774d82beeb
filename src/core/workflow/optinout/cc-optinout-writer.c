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
 *
 * A writer thread runs a write pump (cc-write-pump.h): its share of
 * write-concurrency contacts are in flight at once, each a chain of
 * asynchronous requests — read Dynamics 365, read Campaign, write
 * Campaign, write Dynamics 365 — on the thread's own main context.
 *
 * A read or a write refused, or a profile read without a pair's flag, is
 * asked about (cc-schema-guard.h): when a column or field of a pair is
 * gone (or read-only, for a write), the run fails at once naming it, and
 * the contact stays queued; a flag that is missing never reads as "not
 * opted out".
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cc-error.h"
#include "cc-json-read.h"
#include "cc-optinout-private.h"
#include "cc-write-pump.h"

/* How many contacts without a profile a history entry names. */
#define SKIPPED_EXAMPLES 5

typedef enum
{
  OUTCOME_OK,
  OUTCOME_NO_PROFILE,   /* the contact has no Campaign profile: counted */
  OUTCOME_REJECTED,     /* refused for good: error log */
  OUTCOME_RETRY,        /* transient: back to the queue */
} Outcome;

/* A writer thread's own. */
typedef struct
{
  CcOptinout        *optinout;
  GPtrArray         *dataverse;   /* CcDataverseClient*, one per application user of this thread */
  guint              turn;        /* the next contact's client */
  CcCampaignClient  *campaign;
  const char        *workflow;

  guint              no_profile;  /* contacts without a profile since the last settle */
  GString           *examples;
  GError            *schema;      /* a pair's column or field gone: every refusal says so */
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

/* One contact on its way through the steps (the write's data). */
typedef struct
{
  Writer          *writer;
  CcDataverseClient *dataverse;   /* the application user the contact is read and written as */
  JsonNode        *node;          /* the queued change */
  CcOptinoutState *state;
  Side             dynamics;
  Side             campaign;
  Plan             plan;
  guint            status;        /* of a rejection */
  char            *reason;
  guint            written;       /* sides written */
  Outcome          outcome;       /* of the write to Campaign */
  GError          *dynamics_error;  /* a write to Dynamics 365 that failed */
  gpointer         checked;       /* the step a refusal's check goes on with */
} Contact;

static void
contact_free (Contact *contact)
{
  g_clear_pointer (&contact->node, json_node_unref);
  g_clear_pointer (&contact->state, cc_optinout_state_free);
  side_clear (&contact->dynamics);
  side_clear (&contact->campaign);
  plan_clear (&contact->plan);
  g_free (contact->reason);
  g_clear_error (&contact->dynamics_error);
  g_free (contact);
}

static Contact *
contact_of (CcWrite *write)
{
  return cc_write_get_data (write);
}

static CcOptinout *
optinout_of (CcWrite *write)
{
  return contact_of (write)->writer->optinout;
}

static Outcome
reject (Contact    *contact,
        guint       status,
        const char *reason)
{
  contact->status = status;
  g_free (contact->reason);
  contact->reason = g_strdup (reason);
  return OUTCOME_REJECTED;
}

/* Ends the write as @outcome came out (@error taken: a failed request or
 * database trouble). */
static void
finish (CcWrite *write,
        Outcome  outcome,
        GError  *error)
{
  Contact *contact = contact_of (write);
  Writer *writer = contact->writer;

  switch (outcome)
    {
    case OUTCOME_OK:
      cc_write_done (write, contact->written);
      return;
    case OUTCOME_NO_PROFILE:
      if (writer->no_profile++ < SKIPPED_EXAMPLES)
        g_string_append_printf (writer->examples, "%s%s", writer->examples->len ? ", " : "",
                                cc_write_get_item (write)->key);
      cc_write_done (write, 0);
      return;
    case OUTCOME_REJECTED:
      g_clear_error (&error);
      cc_write_reject (write, contact->status, contact->reason);
      return;
    case OUTCOME_RETRY:
    default:
      if (error != NULL)
        cc_write_fail (write, error);
      else
        cc_write_again (write);
      return;
    }
}

/* ------------------------------------------------------------------ */
/* Refusals                                                            */

/* Goes on after a refusal was checked: @error (taken) when a column or
 * field of a pair is gone, or the check could not tell. */
typedef void (*CheckedFunc) (CcWrite *write,
                             GError  *error);

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CcWrite *write = user_data;
  Contact *contact = contact_of (write);
  GError *error = NULL;

  if (!cc_schema_guard_check_finish (result, &error)
      && g_error_matches (error, CC_ERROR, CC_ERROR_SCHEMA) && contact->writer->schema == NULL)
    contact->writer->schema = g_error_copy (error);
  ((CheckedFunc) contact->checked) (write, error);
}

/* Asks whether Dynamics 365 (@dynamics) or Campaign refused to read or
 * write (@writing) @names because one is gone, then goes on with @then.
 * Once this thread met such a one, every refusal after it says so at
 * once: the writes in flight when it went are refused together. */
static void
check_refusal (CcWrite            *write,
               gboolean            dynamics,
               const char * const *names,
               gboolean            writing,
               const char         *reason,
               CheckedFunc         then)
{
  Contact *contact = contact_of (write);
  CcOptinout *self = contact->writer->optinout;
  GCancellable *cancellable = cc_write_get_cancellable (write);

  if (contact->writer->schema != NULL)
    {
      then (write, g_error_copy (contact->writer->schema));
      return;
    }
  contact->checked = then;
  if (dynamics)
    cc_schema_guard_check_dynamics_async (self->guard, self->run, "contact", names, writing,
                                          reason, cc_optinout_where (), cancellable, on_checked,
                                          write);
  else
    cc_schema_guard_check_campaign_async (self->guard, self->run,
                                          self->config->campaign_resource, names, writing, reason,
                                          cc_optinout_where (), cancellable, on_checked, write);
}

/* A read refused for the contact's own sake goes to the error log. */
static void
read_refusal_checked (CcWrite *write,
                      GError  *error)
{
  finish (write, error != NULL ? OUTCOME_RETRY : OUTCOME_REJECTED, error);
}

/* ------------------------------------------------------------------ */
/* Reading the sides                                                   */

static void
side_from_payload (const CcOptinoutConfig *config,
                   JsonObject             *payload,
                   gboolean                dynamics,
                   Side                   *side)
{
  GPtrArray *pairs = config->pairs;
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
  side->time = g_strdup (cc_json_read_string (payload, "time"));
  side->pkey = g_strdup (cc_json_read_string (payload, "pkey"));
}

/* Whether the queued change tells @side as it is: it came from that
 * side, and was read after this workflow last wrote there (else the read
 * may predate the write, and only a fresh one tells) and after this run
 * began. A write whose answer a kill lost was never noted: the service
 * may hold it all the same, and a read queued before the kill would undo
 * it, or make it a second time. */
static gboolean
payload_tells (CcWrite    *write,
               const char *side,
               gint64      written_at)
{
  JsonObject *payload = json_node_get_object (contact_of (write)->node);
  gint64 trusted_after = MAX (written_at, optinout_of (write)->started);

  return g_strcmp0 (cc_json_read_string (payload, "side"), side) == 0
         && cc_json_read_int (payload, "read-at", 0) > trusted_after;
}

static void decide (CcWrite *write);

static void
profile_checked (CcWrite *write,
                 GError  *error)
{
  if (error != NULL)
    finish (write, OUTCOME_RETRY, error);
  else
    decide (write);
}

static void
on_campaign_read (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CcWrite *write = user_data;
  Contact *contact = contact_of (write);
  const CcOptinoutConfig *config = optinout_of (write)->config;
  g_autoptr(CcCampaignResult) found = NULL;
  g_auto(GStrv) lacking = NULL;
  Side *side = &contact->campaign;
  GError *error = NULL;

  found = cc_campaign_client_record_finish (CC_CAMPAIGN_CLIENT (source), result, &error);
  if (found == NULL)
    {
      finish (write, OUTCOME_RETRY, error);
      return;
    }
  if (found->record == NULL)
    {
      if (found->status >= 400 && found->status != 404)
        {
          g_autofree char *why =
            g_strdup_printf (_("Campaign cannot find profiles by “%s” (%s). Check key-filter "
                               "and campaign-key."),
                             config->campaign_key, found->message ? found->message : "");
          finish (write, reject (contact, found->status, why), NULL);
          return;
        }
      decide (write);
      return;
    }

  side->present = TRUE;
  side->values = g_new (CcOptinoutValue, config->pairs->len);
  for (guint i = 0; i < config->pairs->len; i++)
    side->values[i] = cc_optinout_campaign_value (found->record,
                                                  g_ptr_array_index (config->pairs, i));
  side->time = g_strdup (cc_json_read_string (found->record, "lastModified"));
  side->pkey = g_strdup (found->pkey ? found->pkey : cc_json_read_string (found->record, "PKey"));
  /* A flag the profile lacks must not read as "not opted out". */
  lacking = cc_optinout_lacking_fields (optinout_of (write), found->record);
  if (lacking[0] != NULL)
    check_refusal (write, FALSE, (const char * const *) lacking, FALSE, NULL, profile_checked);
  else
    decide (write);
}

static void
read_campaign (CcWrite *write)
{
  Contact *contact = contact_of (write);
  const CcOptinoutConfig *config = optinout_of (write)->config;
  const char *filter = *config->key_filter ? config->key_filter : NULL;

  if (payload_tells (write, "campaign", contact->state->campaign_written))
    {
      side_from_payload (config, json_node_get_object (contact->node), FALSE, &contact->campaign);
      decide (write);
      return;
    }
  cc_campaign_client_find_async (contact->writer->campaign, config->campaign_resource, filter,
                                 filter ? config->campaign_key : NULL,
                                 cc_write_get_item (write)->key,
                                 cc_write_get_cancellable (write), on_campaign_read, write);
}

static void
on_dynamics_read (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CcWrite *write = user_data;
  Contact *contact = contact_of (write);
  const CcOptinoutConfig *config = optinout_of (write)->config;
  g_autoptr(CcDataverseResult) read = NULL;
  Side *side = &contact->dynamics;
  GError *error = NULL;

  read = cc_dataverse_client_result_finish (CC_DATAVERSE_CLIENT (source), result, &error);
  if (read == NULL)
    {
      finish (write, OUTCOME_RETRY, error);
      return;
    }
  if (read->status != 404 && (!cc_dataverse_result_is_success (read) || read->body == NULL))
    {
      reject (contact, read->status, read->message);
      if (read->status == SOUP_STATUS_BAD_REQUEST)
        check_refusal (write, TRUE, (const char * const *) optinout_of (write)->columns, FALSE,
                       read->message, read_refusal_checked);
      else
        finish (write, OUTCOME_REJECTED, NULL);
      return;
    }
  if (read->status != 404)
    {
      side->present = TRUE;
      side->values = g_new (CcOptinoutValue, config->pairs->len);
      for (guint i = 0; i < config->pairs->len; i++)
        side->values[i] = cc_optinout_dynamics_value (read->body,
                                                      g_ptr_array_index (config->pairs, i));
      side->time = g_strdup (cc_json_read_string (read->body, "modifiedon"));
    }
  read_campaign (write);
}

/* Both sides of the contact, Dynamics 365 first: as the queued change
 * tells them, or read now. */
static void
read_dynamics (CcWrite *write)
{
  Contact *contact = contact_of (write);
  CcOptinout *self = optinout_of (write);
  const char *key = cc_write_get_item (write)->key;
  g_autofree char *path = NULL;

  if (payload_tells (write, "dynamics", contact->state->dynamics_written))
    {
      side_from_payload (self->config, json_node_get_object (contact->node), TRUE,
                         &contact->dynamics);
      read_campaign (write);
      return;
    }
  if (!cc_dataverse_is_guid (key))
    {
      read_campaign (write);   /* cannot be a contact */
      return;
    }
  path = cc_dataverse_client_build_id_path (self->contact_set, key);
  cc_dataverse_client_get_async (contact->dataverse, path,
                                 (const char * const *) self->columns,
                                 cc_write_get_cancellable (write), on_dynamics_read, write);
}

/* ------------------------------------------------------------------ */
/* One side missing                                                    */

/* No profile: nothing to keep in step with (yet). What Dynamics 365 says
 * is remembered, and compared again when a profile appears. */
static Outcome
keep_without_profile (CcWrite  *write,
                      GError  **error)
{
  Contact *contact = contact_of (write);
  CcOptinoutState *state = contact->state;

  if (!contact->dynamics.present)
    return OUTCOME_NO_PROFILE;
  for (guint i = 0; i < state->n_pairs; i++)
    state->pairs[i].dynamics = contact->dynamics.values[i];
  if (!cc_optinout_state_save (optinout_of (write), cc_write_get_store (write),
                               cc_write_get_item (write)->key, state, error))
    return OUTCOME_RETRY;
  return OUTCOME_NO_PROFILE;
}

static gboolean
seen_in_dynamics (const CcOptinoutState *state)
{
  for (guint i = 0; state->known && i < state->n_pairs; i++)
    if (state->pairs[i].dynamics != CC_OPTINOUT_UNKNOWN)
      return TRUE;
  return FALSE;
}

/* A profile that names no contact. When the contact was compared before,
 * it has been deleted in Dynamics 365 since (a read queued before the
 * deletion comes here): nothing is left to keep in step, so its state
 * goes, as a sweep or the change feed would have it, and that is no
 * error. Otherwise the profile is known as it is, so that the same
 * profile read again is not news (and not one more error) until it
 * changes; refused when its flags would have to be copied to Dynamics
 * 365. */
static Outcome
keep_without_contact (CcWrite  *write,
                      GError  **error)
{
  Contact *contact = contact_of (write);
  const CcOptinoutConfig *config = optinout_of (write)->config;
  CcOptinoutState *state = contact->state;
  const char *key = cc_write_get_item (write)->key;
  g_autofree char *why = NULL;

  if (seen_in_dynamics (state))
    return cc_store_map_set (cc_write_get_store (write), CC_OPTINOUT_STATE_SPACE, key, NULL, error)
           ? OUTCOME_OK : OUTCOME_RETRY;
  for (guint i = 0; i < state->n_pairs; i++)
    state->pairs[i].campaign = contact->campaign.values[i];
  if (!cc_optinout_state_save (optinout_of (write), cc_write_get_store (write), key, state, error))
    return OUTCOME_RETRY;
  if (config->direction == CC_OPTINOUT_DYNAMICS_TO_CAMPAIGN)
    return OUTCOME_OK;   /* nothing would be written to Dynamics 365 */
  why = g_strdup_printf (_("Contact %s does not exist in Dynamics 365, so the consent flags "
                           "of the Campaign profile that names it (%s = %s) cannot be "
                           "copied there"),
                         key, config->campaign_key, key);
  return reject (contact, 404, why);
}

/* ------------------------------------------------------------------ */
/* Deciding and writing                                                */

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

/* What was written (and only that) is now known on its side; what was
 * refused stays apart, and is tried again when either side changes or
 * the error is retried. */
static void
written (CcWrite *write,
         Outcome  outcome)
{
  Contact *contact = contact_of (write);
  Writer *writer = contact->writer;
  GError *error = NULL;

  if (!cc_optinout_state_save (writer->optinout, cc_write_get_store (write),
                               cc_write_get_item (write)->key, contact->state, &error))
    {
      finish (write, OUTCOME_RETRY, error);
      return;
    }
  if (contact->dynamics_error != NULL)
    {
      finish (write, OUTCOME_RETRY, g_steal_pointer (&contact->dynamics_error));
      return;
    }
  for (guint i = 0; outcome == OUTCOME_OK && i < contact->plan.conflicts->len; i++)
    cc_store_add_history (cc_write_get_store (write), writer->workflow, "conflict",
                          g_ptr_array_index (contact->plan.conflicts, i), 0, 0, NULL);
  finish (write, outcome, NULL);
}

/* A write to the contact refused: what is written stays known either
 * way; a column gone fails the run, the contact queued. */
static void
dynamics_write_checked (CcWrite *write,
                        GError  *error)
{
  Contact *contact = contact_of (write);

  if (error == NULL)
    {
      written (write, contact->outcome);
      return;
    }
  g_clear_error (&contact->dynamics_error);
  contact->dynamics_error = error;
  written (write, OUTCOME_RETRY);
}

/* As on_campaign_written(), for the contact; a refusal here does not
 * replace one that @outcome already holds. */
static void
on_dynamics_written (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CcWrite *write = user_data;
  Contact *contact = contact_of (write);
  CcOptinoutState *state = contact->state;
  g_autoptr(CcDataverseResult) done = NULL;
  Outcome outcome = contact->outcome;

  done = cc_dataverse_client_result_finish (CC_DATAVERSE_CLIENT (source), result,
                                            &contact->dynamics_error);
  if (done == NULL)
    {
      state->dynamics_written = g_get_real_time ();
      written (write, OUTCOME_RETRY);
      return;
    }
  if (!cc_dataverse_result_is_success (done))
    {
      g_auto(GStrv) names = cc_schema_guard_names (contact->plan.to_dynamics);

      if (outcome == OUTCOME_OK)
        contact->outcome = reject (contact, done->status,
                                   done->status == 404
                                   ? _("The contact no longer exists in Dynamics 365")
                                   : done->message ? done->message
                                   : _("Dynamics 365 refused the change"));
      if (done->status == SOUP_STATUS_BAD_REQUEST)
        check_refusal (write, TRUE, (const char * const *) names, TRUE, done->message,
                       dynamics_write_checked);
      else
        written (write, contact->outcome);
      return;
    }
  contact->written++;
  state->dynamics_written = g_get_real_time ();
  for (guint i = 0; i < state->n_pairs; i++)
    if (contact->plan.written_to[i] == 'd')
      state->pairs[i].dynamics = state->pairs[i].synced = contact->campaign.values[i];
  written (write, outcome);
}

static void
write_dynamics (CcWrite *write)
{
  Contact *contact = contact_of (write);
  g_autofree char *path = NULL;

  if (json_object_get_size (contact->plan.to_dynamics) == 0)
    {
      written (write, contact->outcome);
      return;
    }
  path = cc_dataverse_client_build_id_path (optinout_of (write)->contact_set,
                                            cc_write_get_item (write)->key);
  cc_dataverse_client_update_async (contact->dataverse, path, contact->plan.to_dynamics,
                                    cc_write_get_cancellable (write), on_dynamics_written, write);
}

/* A write to the profile refused: the contact's own rejection, and the
 * write to the contact goes on; or a field gone, and nothing more is
 * written (the contact stays queued). */
static void
campaign_write_checked (CcWrite *write,
                        GError  *error)
{
  if (error != NULL)
    finish (write, OUTCOME_RETRY, error);
  else
    write_dynamics (write);
}

/* Written values become known on that side; after a lost answer the
 * write may have happened all the same, so reads from before now cannot
 * be trusted. */
static void
on_campaign_written (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CcWrite *write = user_data;
  Contact *contact = contact_of (write);
  CcOptinoutState *state = contact->state;
  g_autoptr(CcCampaignResult) done = NULL;
  GError *error = NULL;

  done = cc_campaign_client_record_finish (CC_CAMPAIGN_CLIENT (source), result, &error);
  if (done == NULL)
    {
      state->campaign_written = g_get_real_time ();
      cc_optinout_state_save (optinout_of (write), cc_write_get_store (write),
                              cc_write_get_item (write)->key, state, NULL);
      finish (write, OUTCOME_RETRY, error);
      return;
    }
  if (!cc_campaign_result_is_success (done))
    {
      g_auto(GStrv) names = cc_schema_guard_names (contact->plan.to_campaign);

      contact->outcome = reject (contact, done->status,
                                 done->message ? done->message : _("Campaign refused the change"));
      if (done->status >= 400 && done->status != 404)
        check_refusal (write, FALSE, (const char * const *) names, TRUE, done->message,
                       campaign_write_checked);
      else
        write_dynamics (write);
      return;
    }
  contact->written++;
  state->campaign_written = g_get_real_time ();
  for (guint i = 0; i < state->n_pairs; i++)
    if (contact->plan.written_to[i] == 'c')
      state->pairs[i].campaign = state->pairs[i].synced = contact->dynamics.values[i];
  write_dynamics (write);
}

/* Compares both sides and writes what the comparison asks for: to the
 * profile first, then to the contact. */
static void
decide (CcWrite *write)
{
  Contact *contact = contact_of (write);
  CcOptinout *self = optinout_of (write);
  GError *error = NULL;
  Outcome outcome;

  if (!contact->campaign.present)
    {
      outcome = keep_without_profile (write, &error);
      finish (write, outcome, error);
      return;
    }
  if (!contact->dynamics.present)
    {
      outcome = keep_without_contact (write, &error);
      finish (write, outcome, error);
      return;
    }
  plan_writes (self->config, cc_write_get_item (write)->key, contact->state, &contact->dynamics,
               &contact->campaign, &contact->plan);
  contact->outcome = OUTCOME_OK;
  if (json_object_get_size (contact->plan.to_campaign) == 0)
    {
      write_dynamics (write);
      return;
    }
  cc_campaign_client_patch_async (contact->writer->campaign, self->config->campaign_resource,
                                  contact->campaign.pkey, contact->plan.to_campaign,
                                  cc_write_get_cancellable (write), on_campaign_written, write);
}

/* The pump's start: one contact. */
static void
reconcile (CcWrite  *write,
           gpointer  user_data)
{
  Writer *writer = user_data;
  const CcQueueItem *item = cc_write_get_item (write);
  Contact *contact = g_new0 (Contact, 1);
  GError *error = NULL;

  contact->writer = writer;
  /* The contacts go round the application users: their
   * service-protection limits add up, and while one is held back by a
   * 429 the others take its turns. */
  contact->dataverse = cc_run_next_dataverse_client (writer->dataverse, &writer->turn);
  cc_write_set_data (write, contact, (GDestroyNotify) contact_free);
  contact->node = json_from_string (item->payload, NULL);
  if (contact->node == NULL || !JSON_NODE_HOLDS_OBJECT (contact->node))
    {
      finish (write, reject (contact, 0, _("The queued change is damaged and cannot be written")),
              NULL);
      return;
    }
  contact->state = cc_optinout_state_load (writer->optinout, cc_write_get_store (write),
                                           item->key, &error);
  if (contact->state == NULL)
    {
      finish (write, OUTCOME_RETRY, error);
      return;
    }
  read_dynamics (write);
}

/* ------------------------------------------------------------------ */
/* The loop                                                            */

/* One history entry for the contacts that had no profile yet since the
 * last lease was settled, naming a few of them. */
static void
note_no_profile (CcStore  *store,
                 gpointer  user_data)
{
  Writer *writer = user_data;
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
  cc_store_add_history (store, writer->workflow, "skip", message, 0, 0, NULL);
  writer->no_profile = 0;
  g_string_truncate (writer->examples, 0);
}

gboolean
cc_optinout_write_loop (CcOptinout  *self,
                        guint        thread,
                        guint        n_threads,
                        guint        in_flight,
                        GError     **error)
{
  CcRun *run = self->run;
  g_autoptr(GPtrArray) dataverse = NULL;
  g_autoptr(CcCampaignClient) campaign = NULL;
  g_autoptr(GString) examples = g_string_new (NULL);
  Writer writer = { self, NULL, 0, NULL, cc_run_get_workflow_id (run), 0, examples, NULL };
  gboolean ok;

  dataverse = cc_run_new_dataverse_clients (run, thread, n_threads, in_flight, error);
  if (dataverse == NULL)
    return FALSE;
  campaign = cc_run_new_campaign_client (run, in_flight, error);
  if (campaign == NULL)
    return FALSE;
  writer.dataverse = dataverse;
  writer.campaign = campaign;
  ok = cc_write_pump_run (run, in_flight, reconcile, note_no_profile, &writer, error);
  g_clear_error (&writer.schema);
  return ok;
}
