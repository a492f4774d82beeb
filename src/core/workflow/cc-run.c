/* cc-run.c — the shared state of one workflow run. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-error.h"
#include "cc-json-read.h"
#include "cc-run.h"
#include "cc-secrets.h"

struct _CcRun
{
  gatomicrefcount      ref;

  char                *workflow_id;
  JsonNode            *config;
  JsonObject          *dynamics;
  JsonObject          *campaign;
  char                *dynamics_secret;
  char                *campaign_secret;
  GStrv                dynamics_users;         /* the extra application users' client ids */
  GStrv                dynamics_user_secrets;  /* theirs in sandbox mode, else NULL */
  GPtrArray           *dynamics_throttles;     /* CcThrottle*, one per user, own client id first */
  char                *state_path;
  CcRateLimiter       *campaign_limiter;
  gboolean             interactive;

  GCancellable        *cancellable;
  GMainContext        *main_context;
  CcRunRunningFunc     running_func;
  gpointer             user_data;
  GDestroyNotify       destroy;
  gint                 running_posted;

  GMutex               lock;
  GError              *error;
  GPtrArray           *notices;   /* char* */
  char                *starting_problem;

  gsize                written;   /* atomics */
  gsize                failed;
};

static JsonObject *
copy_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) copy = NULL;

  json_node_take_object (node, object ? json_object_ref (object) : json_object_new ());
  copy = json_node_copy (node);
  return json_object_ref (json_node_get_object (copy));
}

CcRun *
cc_run_new (const CcRunSetup *setup,
            CcRunRunningFunc  running_func,
            gpointer          user_data,
            GDestroyNotify    destroy)
{
  CcRun *self = g_new0 (CcRun, 1);

  g_atomic_ref_count_init (&self->ref);
  self->workflow_id = g_strdup (setup->workflow_id);
  self->config = json_node_copy (setup->config);
  /* JsonObject is not thread-safe to share: the workers get deep copies. */
  self->dynamics = copy_object (setup->dynamics);
  self->campaign = copy_object (setup->campaign);
  self->dynamics_secret = g_strdup (setup->dynamics_secret);
  self->campaign_secret = g_strdup (setup->campaign_secret);
  self->dynamics_users = setup->dynamics_users != NULL
                         ? g_strdupv ((char **) setup->dynamics_users) : g_new0 (char *, 1);
  self->dynamics_user_secrets = g_strdupv ((char **) setup->dynamics_user_secrets);
  self->dynamics_throttles = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < cc_run_count_dynamics_users (self); i++)
    g_ptr_array_add (self->dynamics_throttles,
                     setup->dynamics_throttles != NULL ? g_object_ref (setup->dynamics_throttles[i])
                                                       : cc_throttle_new ());
  self->state_path = g_strdup (setup->state_path);
  if (setup->campaign_limiter != NULL)
    self->campaign_limiter = g_object_ref (setup->campaign_limiter);
  self->interactive = setup->interactive;
  self->cancellable = g_cancellable_new ();
  self->main_context = g_main_context_ref_thread_default ();
  self->running_func = running_func;
  self->user_data = user_data;
  self->destroy = destroy;
  g_mutex_init (&self->lock);
  self->notices = g_ptr_array_new_with_free_func (g_free);
  return self;
}

CcRun *
cc_run_ref (CcRun *self)
{
  g_atomic_ref_count_inc (&self->ref);
  return self;
}

void
cc_run_unref (CcRun *self)
{
  if (!g_atomic_ref_count_dec (&self->ref))
    return;

  if (self->destroy != NULL)
    self->destroy (self->user_data);
  g_free (self->workflow_id);
  json_node_unref (self->config);
  json_object_unref (self->dynamics);
  json_object_unref (self->campaign);
  g_free (self->dynamics_secret);
  g_free (self->campaign_secret);
  g_strfreev (self->dynamics_users);
  g_strfreev (self->dynamics_user_secrets);
  g_ptr_array_unref (self->dynamics_throttles);
  g_free (self->state_path);
  g_clear_object (&self->campaign_limiter);
  g_object_unref (self->cancellable);
  g_main_context_unref (self->main_context);
  g_clear_error (&self->error);
  g_ptr_array_unref (self->notices);
  g_free (self->starting_problem);
  g_mutex_clear (&self->lock);
  g_free (self);
}

const char *
cc_run_get_workflow_id (CcRun *self)
{
  return self->workflow_id;
}

JsonNode *
cc_run_get_config (CcRun *self)
{
  return self->config;
}

GCancellable *
cc_run_get_cancellable (CcRun *self)
{
  return self->cancellable;
}

gboolean
cc_run_is_cancelled (CcRun *self)
{
  return g_cancellable_is_cancelled (self->cancellable);
}

void
cc_run_cancel (CcRun *self)
{
  g_cancellable_cancel (self->cancellable);
}

CcStore *
cc_run_open_store (CcRun   *self,
                   GError **error)
{
  return cc_store_open (self->state_path, error);
}

static const char *
setting (JsonObject *settings,
         const char *key)
{
  return cc_json_read_string (settings, key);
}

static char *
secret_for (CcRun       *self,
            const char  *system,
            const char  *override,
            GError     **error)
{
  g_autoptr(GError) local = NULL;
  char *secret = NULL;

  /* An override (the sandbox's, kept in memory) never falls back to the
   * keyring; an empty one means that no secret is set. */
  if (override != NULL && *override != '\0')
    return g_strdup (override);
  if (override == NULL)
    secret = cc_secrets_lookup (system, self->cancellable, &local);
  else
    g_set_error_literal (&local, CC_ERROR, CC_ERROR_NO_SECRET, "");
  if (secret == NULL && g_error_matches (local, CC_ERROR, CC_ERROR_NO_SECRET))
    {
      g_set_error (error, CC_ERROR, CC_ERROR_AUTH_FAILED,
                   g_str_equal (system, "dynamics")
                   ? _("No client secret is stored for Dynamics 365. Enter it in the connection settings.")
                   : _("No client secret is stored for Campaign. Enter it in the connection settings."));
      return NULL;
    }
  if (secret == NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  return secret;
}

/* The secret of extra application user @i (0-based). */
static char *
user_secret_for (CcRun       *self,
                 guint        i,
                 GError     **error)
{
  g_autoptr(GError) local = NULL;
  char *secret;

  if (self->dynamics_user_secrets != NULL)
    return g_strdup (self->dynamics_user_secrets[i]);
  secret = cc_secrets_lookup_user (self->dynamics_users[i], self->cancellable, &local);
  if (secret == NULL && g_error_matches (local, CC_ERROR, CC_ERROR_NO_SECRET))
    g_set_error (error, CC_ERROR, CC_ERROR_AUTH_FAILED, "%s", local->message);
  else if (secret == NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  return secret;
}

guint
cc_run_count_dynamics_users (CcRun *self)
{
  return 1 + g_strv_length (self->dynamics_users);
}

CcDataverseClient *
cc_run_new_dataverse_client (CcRun   *self,
                             guint    max_conns,
                             GError **error)
{
  return cc_run_new_dataverse_client_as (self, 0, max_conns, error);
}

CcDataverseClient *
cc_run_new_dataverse_client_as (CcRun   *self,
                                guint    user,
                                guint    max_conns,
                                GError **error)
{
  g_autofree char *secret = NULL;
  CcDataverseSettings settings = { 0 };
  CcDataverseClient *client;

  g_return_val_if_fail (user < cc_run_count_dynamics_users (self), NULL);

  secret = user == 0 ? secret_for (self, "dynamics", self->dynamics_secret, error)
                     : user_secret_for (self, user - 1, error);
  if (secret == NULL)
    return NULL;

  settings.url = setting (self->dynamics, "url");
  settings.tenant = setting (self->dynamics, "tenant");
  settings.client_id = user == 0 ? setting (self->dynamics, "client-id")
                                 : self->dynamics_users[user - 1];
  settings.token_url = setting (self->dynamics, "token-url");
  settings.secret = secret;
  settings.max_conns = max_conns;
  settings.throttle = g_ptr_array_index (self->dynamics_throttles, user);
  if (settings.url == NULL || settings.tenant == NULL || settings.client_id == NULL)
    {
      g_set_error_literal (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                           _("The Dynamics 365 connection is not set up: it needs the "
                             "environment URL, the tenant and the client id."));
      return NULL;
    }
  client = cc_dataverse_client_new (&settings);
  memset (secret, 0, strlen (secret));
  return client;
}

GPtrArray *
cc_run_new_dataverse_clients (CcRun   *self,
                              guint    share,
                              guint    n_shares,
                              guint    max_conns,
                              GError **error)
{
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_users = cc_run_count_dynamics_users (self);

  g_return_val_if_fail (share < n_shares, NULL);

  for (guint user = 0; user < n_users; user++)
    {
      CcDataverseClient *client;

      /* More shares than users: each share one user, in turn; fewer: each
       * user in one share. */
      if (n_shares >= n_users ? user != share % n_users : user % n_shares != share)
        continue;
      client = cc_run_new_dataverse_client_as (self, user, max_conns, error);
      if (client == NULL)
        return NULL;
      g_ptr_array_add (clients, client);
    }
  return g_steal_pointer (&clients);
}

CcDataverseClient *
cc_run_next_dataverse_client (GPtrArray *clients,
                              guint     *turn)
{
  CcDataverseClient *first_free = NULL;
  gint64 soonest = G_MAXINT64;

  g_return_val_if_fail (clients != NULL && clients->len > 0, NULL);

  for (guint i = 0; i < clients->len; i++)
    {
      CcDataverseClient *client = g_ptr_array_index (clients, (*turn + i) % clients->len);
      CcThrottle *throttle = cc_dataverse_client_get_throttle (client);

      if (cc_throttle_get_wait_ms (throttle) == 0)
        {
          *turn += i + 1;
          return client;
        }
      if (cc_throttle_get_held_until (throttle) < soonest)
        {
          soonest = cc_throttle_get_held_until (throttle);
          first_free = client;
        }
    }
  (*turn)++;
  return first_free;
}

CcCampaignClient *
cc_run_new_campaign_client (CcRun   *self,
                            guint    max_conns,
                            GError **error)
{
  g_autofree char *secret = secret_for (self, "campaign", self->campaign_secret, error);
  CcCampaignSettings settings = { 0 };
  CcCampaignClient *client;

  if (secret == NULL)
    return NULL;

  settings.org = setting (self->campaign, "org");
  settings.api_key = setting (self->campaign, "api-key");
  settings.api_url = setting (self->campaign, "api-url");
  settings.ims_url = setting (self->campaign, "ims-url");
  settings.ims_scope = setting (self->campaign, "ims-scope");
  settings.journal_url = setting (self->campaign, "journal-url");
  settings.secret = secret;
  settings.max_conns = max_conns;
  settings.limiter = self->campaign_limiter;
  settings.limiter_tag = self->workflow_id;
  settings.wait_for_budget = !self->interactive;
  if (settings.org == NULL || settings.api_key == NULL)
    {
      g_set_error_literal (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                           _("The Campaign connection is not set up: it needs the "
                             "organization id and the API key."));
      return NULL;
    }
  client = cc_campaign_client_new (&settings);
  memset (secret, 0, strlen (secret));
  return client;
}

gboolean
cc_run_is_waiting_for_budget (CcRun *self)
{
  return self->campaign_limiter != NULL
         && cc_rate_limiter_is_waiting (self->campaign_limiter, self->workflow_id);
}

CcRateLimiter *
cc_run_get_campaign_limiter (CcRun *self)
{
  return self->campaign_limiter;
}

static gboolean
post_running (gpointer data)
{
  CcRun *self = data;

  if (!g_cancellable_is_cancelled (self->cancellable) && self->running_func != NULL)
    self->running_func (self, self->user_data);
  return G_SOURCE_REMOVE;
}

void
cc_run_set_running (CcRun *self)
{
  g_autoptr(GSource) source = NULL;

  if (!g_atomic_int_compare_and_exchange (&self->running_posted, 0, 1))
    return;
  /* Always through a source, never g_main_context_invoke(): the
   * supervisor's thread-default context is the global default one, so
   * invoke() would run the callback right here in the supervisor whenever
   * the main thread is not iterating at that moment, and the workflow's
   * status (and everything listening to it) would change off the main
   * thread. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, post_running, cc_run_ref (self),
                         (GDestroyNotify) cc_run_unref);
  g_source_set_static_name (source, "[cc] run running");
  g_source_attach (source, self->main_context);
}

void
cc_run_add_notice (CcRun      *self,
                   const char *notice)
{
  g_return_if_fail (notice != NULL);

  g_mutex_lock (&self->lock);
  if (!g_ptr_array_find_with_equal_func (self->notices, notice, g_str_equal, NULL))
    g_ptr_array_add (self->notices, g_strdup (notice));
  g_mutex_unlock (&self->lock);
}

void
cc_run_set_starting_problem (CcRun        *self,
                             const GError *problem)
{
  g_mutex_lock (&self->lock);
  g_free (self->starting_problem);
  self->starting_problem = problem ? g_strdup (problem->message) : NULL;
  g_mutex_unlock (&self->lock);
}

char *
cc_run_dup_starting_problem (CcRun *self)
{
  char *problem;

  g_mutex_lock (&self->lock);
  problem = g_strdup (self->starting_problem);
  g_mutex_unlock (&self->lock);
  return problem;
}

char *
cc_run_dup_notices (CcRun *self)
{
  char *notices = NULL;

  g_mutex_lock (&self->lock);
  if (self->notices->len > 0)
    {
      g_ptr_array_add (self->notices, NULL);
      notices = g_strjoinv ("\n", (char **) self->notices->pdata);
      g_ptr_array_set_size (self->notices, self->notices->len - 1);
    }
  g_mutex_unlock (&self->lock);
  return notices;
}

void
cc_run_fail (CcRun        *self,
             const GError *error)
{
  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_mutex_lock (&self->lock);
  if (self->error == NULL && !g_cancellable_is_cancelled (self->cancellable))
    self->error = g_error_copy (error);
  g_mutex_unlock (&self->lock);

  g_cancellable_cancel (self->cancellable);
}

GError *
cc_run_dup_error (CcRun *self)
{
  GError *copy = NULL;

  g_mutex_lock (&self->lock);
  if (self->error != NULL)
    copy = g_error_copy (self->error);
  g_mutex_unlock (&self->lock);
  return copy;
}

gboolean
cc_run_settle (CcRun         *self,
               CcStore       *store,
               CcStoreBatch  *batch,
               GError       **error)
{
  gssize written = cc_store_batch_get_written (batch);
  gssize failed = cc_store_batch_get_failed (batch);
  gboolean ok;

  /* Counted before the commit: the main thread samples the backlog from
   * the database and the counters from here, and must never see the
   * backlog drop without the writes that emptied it. A failed commit
   * takes them back. */
  g_atomic_pointer_add (&self->written, written);
  g_atomic_pointer_add (&self->failed, failed);
  ok = cc_store_settle (store, batch, error);
  if (!ok)
    {
      g_atomic_pointer_add (&self->written, -written);
      g_atomic_pointer_add (&self->failed, -failed);
    }
  cc_store_batch_clear (batch);
  return ok;
}

guint64
cc_run_get_written (CcRun *self)
{
  return (guint64) g_atomic_pointer_get (&self->written);
}

guint64
cc_run_get_failed (CcRun *self)
{
  return (guint64) g_atomic_pointer_get (&self->failed);
}

gboolean
cc_run_sleep (CcRun *self,
              guint  ms)
{
  return cc_http_wait (ms, self->cancellable, NULL);
}

guint
cc_run_backoff_ms (guint attempt)
{
  guint64 delay = 250;

  for (guint i = 0; i < attempt && delay < 30000; i++)
    delay *= 2;
  delay = MIN (delay, 30000);
  /* Full jitter keeps many workers from retrying in lockstep. */
  return (guint) (delay / 2 + g_random_int_range (0, (gint32) (delay / 2) + 1));
}

gboolean
cc_run_poll (CcRun          *self,
             const char     *what,
             CcRunStepFunc   step,
             gpointer        user_data,
             guint           idle_ms,
             GError        **error)
{
  guint attempt = 0;

  while (!cc_run_is_cancelled (self))
    {
      g_autoptr(GError) local = NULL;
      gboolean idle = FALSE;

      if (step (user_data, &idle, &local))
        {
          attempt = 0;
          if (idle)
            cc_run_sleep (self, idle_ms);
          continue;
        }
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        break;
      if (!g_error_matches (local, CC_ERROR, CC_ERROR_TRANSIENT))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      g_debug ("%s: %s; retrying", what, local->message);
      cc_run_sleep (self, cc_run_backoff_ms (MIN (attempt++, 8)));
    }
  return TRUE;
}

typedef struct
{
  CcRun              *run;
  guint               index;
  CcRunWorkerFunc     func;
  gpointer            user_data;
} Worker;

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;
  g_autoptr(GError) error = NULL;
  /* A context of the worker's own: the sources its sessions keep (libsoup
   * re-arms a connection's idle timer on every request) would otherwise
   * sit in the global default context, woken and run by the main thread. */
  GMainContext *context = cc_http_thread_context_push ();

  if (!worker->func (worker->run, worker->index, worker->user_data, &error))
    cc_run_fail (worker->run, error);
  cc_http_thread_context_pop (context);
  return NULL;
}

gboolean
cc_run_workers (CcRun            *self,
                guint             n,
                CcRunWorkerFunc   func,
                gpointer          user_data,
                GError          **error)
{
  g_autofree Worker *workers = g_new0 (Worker, n);
  g_autofree GThread **threads = g_new0 (GThread *, n);
  GError *run_error;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("cc-%s-%u", self->workflow_id, i);

      workers[i] = (Worker) { self, i, func, user_data };
      threads[i] = g_thread_new (name, worker_thread, &workers[i]);
    }
  for (guint i = 0; i < n; i++)
    g_thread_join (threads[i]);

  run_error = cc_run_dup_error (self);
  if (run_error != NULL)
    {
      g_propagate_error (error, run_error);
      return FALSE;
    }
  return TRUE;
}
