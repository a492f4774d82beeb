/* cc-engine.c — the engine: workflows, connections, configuration, state. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-campaign-client.h"
#include "cc-dataverse-client.h"
#include "cc-egress.h"
#include "cc-engine-private.h"
#include "cc-error.h"
#include "cc-ingress.h"
#include "cc-json-check.h"
#include "cc-optinout.h"
#include "cc-secrets.h"

/* Sandbox credentials (they are public: see campaign-connector-sandbox). */
#define SANDBOX_TENANT    "sandbox-tenant"
#define SANDBOX_CLIENT_ID "sandbox-client"
#define SANDBOX_ORG       "sandbox-org"
#define SANDBOX_API_KEY   "sandbox-api-key"
#define SANDBOX_SECRET    "sandbox-secret"

struct _CcEngine
{
  GObject     parent_instance;

  CcConfig   *config;
  char       *state_path;
  CcStore    *store;
  GListStore *workflows;
  /* Campaign's API allowance: one limiter for the connection, shared by
   * every run, the connection test and the window. */
  CcApiAllowance *campaign_allowance;

  /* Sandbox mode: the connections and their secrets, in memory only, so
   * that trying the sandbox never touches the configuration file or the
   * keyring. The CcConfig is never saved. A NULL secret is a removed one. */
  CcConfig   *sandbox;
  char       *sandbox_dynamics_secret;
  char       *sandbox_campaign_secret;
  GHashTable *sandbox_user_secrets;   /* client id → secret (wiped when removed) */
};

enum {
  WORKFLOW_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CcEngine, cc_engine, G_TYPE_OBJECT)

static const CcWorkflowKind * const kinds[] = {
  &cc_ingress_kind,
  &cc_egress_kind,
  &cc_optinout_kind,
};

static void fill_run_setup        (gpointer    host,
                                   CcRunSetup *setup);
static void apply_campaign_limits (CcEngine   *self);
static void on_workflow_failed    (CcWorkflow *workflow,
                                   CcEngine   *self);

char *
cc_engine_default_state_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "campaign-connector", "state.db", NULL);
}

CcEngine *
cc_engine_new (const char  *config_path,
               const char  *state_path,
               GError     **error)
{
  g_autoptr(CcEngine) self = g_object_new (CC_TYPE_ENGINE, NULL);
  g_autoptr(CcRateLimiter) limiter = NULL;
  g_autofree char *default_config = NULL;

  if (config_path == NULL)
    config_path = default_config = cc_config_default_path ();
  self->state_path = state_path ? g_strdup (state_path) : cc_engine_default_state_path ();

  self->config = cc_config_load (config_path, error);
  if (self->config == NULL || !cc_engine_check_config (self->config, error))
    return NULL;
  self->store = cc_store_open (self->state_path, error);
  if (self->store == NULL)
    return NULL;
  limiter = cc_rate_limiter_new ("campaign", self->state_path, error);
  if (limiter == NULL)
    return NULL;
  self->campaign_allowance = cc_api_allowance_new (limiter);
  apply_campaign_limits (self);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      const CcWorkflowHost host = {
        .config = self->config,
        .store = self->store,
        .state_path = self->state_path,
        .fill_setup = fill_run_setup,
        .host = self,
      };
      g_autoptr(CcWorkflow) workflow = cc_workflow_new (kinds[i], &host);

      g_signal_connect_object (workflow, "failed", G_CALLBACK (on_workflow_failed), self, 0);
      g_list_store_append (self->workflows, workflow);
    }
  return g_steal_pointer (&self);
}

/* @id's stored configuration @which, if there is one, is one its kind
 * reads. */
static gboolean
check_workflow_config (CcConfig              *config,
                       const CcWorkflowKind  *kind,
                       const char            *which,
                       GError               **error)
{
  JsonNode *node = cc_config_get_workflow (config, kind->id, which);
  g_autoptr(GError) local = NULL;
  gpointer parsed;

  if (node == NULL)
    return TRUE;
  parsed = kind->parse (node, &local);
  if (parsed == NULL)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                   _("The configuration file %s cannot be used: workflows.%s.%s: %s"),
                   cc_config_get_path (config), kind->id, which, local->message);
      return FALSE;
    }
  kind->free_config (parsed);
  return TRUE;
}

gboolean
cc_engine_check_config (CcConfig  *config,
                        GError   **error)
{
  g_autoptr(GError) local = NULL;
  const char *ids[G_N_ELEMENTS (kinds) + 1] = { NULL };
  JsonObject *workflows = cc_config_get_workflows (config);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    ids[i] = kinds[i]->id;
  if (!cc_json_check_members (workflows, "workflows", ids, &local))
    {
      g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                   _("The configuration file %s cannot be used: %s"),
                   cc_config_get_path (config), local->message);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (!check_workflow_config (config, kinds[i], "applied", error)
        || !check_workflow_config (config, kinds[i], "edited", error))
      return FALSE;
  return TRUE;
}

const char *
cc_engine_get_state_path (CcEngine *self)
{
  g_return_val_if_fail (CC_IS_ENGINE (self), NULL);
  return self->state_path;
}

CcConfig *
cc_engine_get_config (CcEngine *self)
{
  g_return_val_if_fail (CC_IS_ENGINE (self), NULL);
  return self->config;
}

CcStore *
cc_engine_get_store (CcEngine *self)
{
  g_return_val_if_fail (CC_IS_ENGINE (self), NULL);
  return self->store;
}

CcApiAllowance *
cc_engine_get_campaign_allowance (CcEngine *self)
{
  g_return_val_if_fail (CC_IS_ENGINE (self), NULL);
  return self->campaign_allowance;
}

GListModel *
cc_engine_get_workflows (CcEngine *self)
{
  g_return_val_if_fail (CC_IS_ENGINE (self), NULL);
  return G_LIST_MODEL (self->workflows);
}

CcWorkflow *
cc_engine_find_workflow (CcEngine   *self,
                         const char *id)
{
  g_return_val_if_fail (CC_IS_ENGINE (self), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->workflows)); i++)
    {
      g_autoptr(CcWorkflow) workflow = g_list_model_get_item (G_LIST_MODEL (self->workflows), i);
      if (g_strcmp0 (cc_workflow_get_id (workflow), id) == 0)
        return workflow;  /* the list store keeps it alive */
    }
  return NULL;
}

/* Where the connections live: the configuration file, or in sandbox mode
 * the in-memory settings. */
static CcConfig *
connections_config (CcEngine *self)
{
  return self->sandbox != NULL ? self->sandbox : self->config;
}

CcConfig *
cc_engine_get_connections_config (CcEngine *self)
{
  return connections_config (self);
}

GHashTable *
cc_engine_get_sandbox_user_secrets (CcEngine *self)
{
  return self->sandbox != NULL ? self->sandbox_user_secrets : NULL;
}

static JsonObject *
connection_settings (CcEngine   *self,
                     const char *system)
{
  return cc_config_get_connection (connections_config (self), system);
}

/* The slot of @system's secret in sandbox mode. */
static char **
sandbox_secret (CcEngine   *self,
                const char *system)
{
  return g_str_equal (system, "dynamics") ? &self->sandbox_dynamics_secret
                                          : &self->sandbox_campaign_secret;
}

static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

static void
free_secret (char *secret)
{
  clear_secret (&secret);
}

/* A secret held in memory: wiped when it goes out of scope. */
typedef char *Secret;
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Secret, clear_secret)

/* Splits @settings (a{sv} of strings) into the plain settings and the
 * secret (NULL when there is none). */
static gboolean
split_settings (const char  *system,
                GVariant    *settings,
                JsonObject  *plain,
                char       **secret,
                GError     **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  if (!g_variant_is_of_type (settings, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error_literal (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                           _("Connection settings must be a dictionary of strings"));
      return FALSE;
    }
  g_variant_iter_init (&iter, settings);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autoptr(GVariant) owned = value;

      if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        {
          g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                       _("%s.%s: must be a string"), system, key);
          return FALSE;
        }
      if (g_str_equal (key, "secret"))
        {
          if (!cc_config_check_secret (system, g_variant_get_string (value, NULL), error))
            return FALSE;
          clear_secret (secret);
          *secret = g_variant_dup_string (value, NULL);
        }
      else
        json_object_set_string_member (plain, key, g_variant_get_string (value, NULL));
    }
  return TRUE;
}

/* Keeps @secret in the keyring, or removes it there when it is "". */
static gboolean
store_secret (const char  *system,
              const char  *secret,
              GError     **error)
{
  if (*secret == '\0')
    return cc_secrets_clear (system, NULL, error);
  return cc_secrets_store (system, secret, NULL, error);
}

gboolean
cc_engine_set_connection (CcEngine    *self,
                          const char  *system,
                          GVariant    *settings,
                          GError     **error)
{
  g_autoptr(JsonObject) plain = json_object_new ();
  g_auto(Secret) secret = NULL;

  g_return_val_if_fail (CC_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);

  if (!cc_config_check_system (system, error)
      || !split_settings (system, settings, plain, &secret, error)
      || !cc_config_set_connection (connections_config (self), system, plain, error))
    return FALSE;

  /* The allowance holds at once, for the runs under way too: a lowered
   * cap must not wait for every workflow to be started again. */
  apply_campaign_limits (self);

  if (self->sandbox != NULL)
    {
      /* Kept for this process only; an empty one removes it. */
      if (secret != NULL)
        {
          char **slot = sandbox_secret (self, system);

          clear_secret (slot);
          if (*secret != '\0')
            *slot = g_steal_pointer (&secret);
        }
      return TRUE;
    }

  return cc_config_save (self->config, error)
         && (secret == NULL || store_secret (system, secret, error));
}

static gboolean
secret_is_stored (CcEngine   *self,
                  const char *system)
{
  g_autofree char *secret = NULL;

  if (self->sandbox != NULL)
    return *sandbox_secret (self, system) != NULL;
  secret = cc_secrets_lookup (system, NULL, NULL);
  if (secret == NULL)
    return FALSE;
  memset (secret, 0, strlen (secret));
  return TRUE;
}

GVariant *
cc_engine_get_connection (CcEngine    *self,
                          const char  *system,
                          GError     **error)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  JsonObject *settings;
  g_autoptr(GList) members = NULL;

  g_return_val_if_fail (CC_IS_ENGINE (self), NULL);

  if (!cc_config_check_system (system, error))
    return NULL;

  settings = connection_settings (self, system);
  members = json_object_get_members (settings);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (settings, l->data);
      /* A count edited by hand may be a JSON number: shown as its digits. */
      g_autofree char *text = JSON_NODE_HOLDS_VALUE (value)
                              && json_node_get_value_type (value) == G_TYPE_INT64
                              ? g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value))
                              : g_strdup (json_node_get_string (value));

      g_variant_builder_add (&builder, "{sv}", (const char *) l->data,
                             g_variant_new_string (text));
    }
  g_variant_builder_add (&builder, "{sv}", "secret-stored",
                         g_variant_new_boolean (secret_is_stored (self, system)));
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

gboolean
cc_engine_is_configured (CcEngine *self)
{
  g_return_val_if_fail (CC_IS_ENGINE (self), FALSE);

  return cc_config_connection_is_complete (connections_config (self), "dynamics")
         && cc_config_connection_is_complete (connections_config (self), "campaign")
         && secret_is_stored (self, "dynamics")
         && secret_is_stored (self, "campaign");
}

/* The Campaign connection's max-calls-per-second and daily-call-budget,
 * onto its limiter. They were checked when they were set, and when the
 * configuration file was read. */
static void
apply_campaign_limits (CcEngine *self)
{
  CcConfig *config = connections_config (self);
  g_autoptr(GError) error = NULL;
  guint64 per_second = 0, budget = 0;

  if (!cc_config_get_connection_count (config, "campaign", "max-calls-per-second",
                                       &per_second, &error)
      || !cc_config_get_connection_count (config, "campaign", "daily-call-budget",
                                          &budget, &error))
    g_debug ("%s", error->message);
  cc_rate_limiter_set_limits (cc_api_allowance_get_limiter (self->campaign_allowance),
                              (guint) per_second, budget);
  cc_api_allowance_refresh (self->campaign_allowance);
}

/* Fills the connection part of @setup (settings and, in sandbox mode, the
 * in-memory secrets: "" for a removed one, never NULL, so that nothing is
 * looked up in the keyring). The pointers stay valid until the engine
 * changes a connection; cc_run_new copies them at once. */
static void
fill_run_setup (gpointer    host,
                CcRunSetup *setup)
{
  CcEngine *self = host;

  setup->dynamics = connection_settings (self, "dynamics");
  cc_engine_fill_users (self, setup->dynamics, setup);
  setup->campaign = connection_settings (self, "campaign");
  setup->campaign_limiter = cc_api_allowance_get_limiter (self->campaign_allowance);
  if (self->sandbox != NULL)
    {
      /* Never NULL here: the run would look a NULL secret up in the
       * real keyring. An empty one stands for a removed secret. */
      setup->dynamics_secret = self->sandbox_dynamics_secret ? self->sandbox_dynamics_secret : "";
      setup->campaign_secret = self->sandbox_campaign_secret ? self->sandbox_campaign_secret : "";
    }
}

/* A workflow failed: the engine emits ::workflow-failed (the window turns
 * it into a notification). */
static void
on_workflow_failed (CcWorkflow *workflow,
                    CcEngine   *self)
{
  g_signal_emit (self, signals[WORKFLOW_FAILED], 0, workflow);
}

CcRun *
cc_engine_new_connection_run (CcEngine   *self,
                              const char *name)
{
  g_autoptr(JsonNode) empty = json_node_new (JSON_NODE_NULL);
  CcRunSetup setup = { 0 };

  /* A run is the one way a worker thread gets connection settings and
   * secrets. Someone waits for what it does. */
  setup.workflow_id = name;
  setup.config = empty;
  setup.state_path = self->state_path;
  setup.interactive = TRUE;
  fill_run_setup (self, &setup);
  return cc_run_new (&setup, NULL, NULL, NULL);
}

static void
test_connection_in_thread (GTask        *task,
                           gpointer      source_object,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  CcRun *run = task_data;
  const char *system = cc_run_get_workflow_id (run);
  g_autoptr(GError) error = NULL;
  char *message;

  if (g_str_equal (system, "dynamics"))
    {
      g_autoptr(CcDataverseClient) client = cc_run_new_dataverse_client (run, 1, &error);
      g_autoptr(CcDataverseTable) table = NULL;

      if (client != NULL)
        table = cc_dataverse_client_get_table (client, "contact", FALSE, cancellable, &error);
      if (table == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      message = g_strdup_printf (_("Connected to Dynamics 365 at %s: table “contact” is "
                                   "available as “%s”."),
                                 cc_dataverse_client_get_api_root (client), table->entity_set_name);
    }
  else
    {
      g_autoptr(CcCampaignClient) client = cc_run_new_campaign_client (run, 1, &error);
      g_autoptr(CcCampaignResourceType) type = NULL;

      if (client != NULL)
        type = cc_campaign_client_get_resource_type (client, "profileAndServicesExt/profile",
                                                     cancellable, &error);
      if (type == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      message = g_strdup_printf (_("Connected to Campaign at %s: profiles have %u fields."),
                                 cc_campaign_client_get_base_url (client), type->fields->len);
    }
  g_task_return_pointer (task, message, g_free);
}

void
cc_engine_test_connection_async (CcEngine            *self,
                                 const char          *system,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CC_IS_ENGINE (self));
  g_task_set_source_tag (task, cc_engine_test_connection_async);

  if (!cc_config_check_system (system, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Its "workflow id" carries the system's name. */
  g_task_set_task_data (task, cc_engine_new_connection_run (self, system),
                        (GDestroyNotify) cc_run_unref);
  cc_http_task_run_in_thread (task, test_connection_in_thread);
}

gboolean
cc_engine_test_connection_finish (CcEngine      *self,
                                  GAsyncResult  *result,
                                  char         **message,
                                  GError       **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  text = g_task_propagate_pointer (G_TASK (result), error);
  if (message != NULL)
    *message = g_steal_pointer (&text);
  return !g_task_had_error (G_TASK (result));
}

void
cc_engine_use_sandbox (CcEngine   *self,
                       const char *dataverse_url,
                       const char *campaign_url)
{
  g_autofree char *journal = g_strconcat (campaign_url, "/events/journal", NULL);
  g_autofree char *ims = g_strconcat (campaign_url, "/ims/token/v3", NULL);
  g_autofree char *token = g_strconcat (dataverse_url, "/" SANDBOX_TENANT "/oauth2/v2.0/token", NULL);
  g_autoptr(JsonObject) dynamics = json_object_new ();
  g_autoptr(JsonObject) campaign = json_object_new ();
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CC_IS_ENGINE (self));

  g_clear_object (&self->sandbox);
  clear_secret (&self->sandbox_dynamics_secret);
  clear_secret (&self->sandbox_campaign_secret);
  g_clear_pointer (&self->sandbox_user_secrets, g_hash_table_unref);
  self->sandbox_user_secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                      (GDestroyNotify) free_secret);

  /* A configuration that only ever lives in memory: going through it gives
   * the sandbox's settings the checks of normal mode. */
  self->sandbox = cc_config_new_in_memory ();

  json_object_set_string_member (dynamics, "url", dataverse_url);
  json_object_set_string_member (dynamics, "tenant", SANDBOX_TENANT);
  json_object_set_string_member (dynamics, "client-id", SANDBOX_CLIENT_ID);
  json_object_set_string_member (dynamics, "token-url", token);
  if (!cc_config_set_connection (self->sandbox, "dynamics", dynamics, &error))
    g_warning ("sandbox: %s", error->message);
  g_clear_error (&error);

  json_object_set_string_member (campaign, "org", SANDBOX_ORG);
  json_object_set_string_member (campaign, "api-key", SANDBOX_API_KEY);
  json_object_set_string_member (campaign, "api-url", campaign_url);
  json_object_set_string_member (campaign, "ims-url", ims);
  json_object_set_string_member (campaign, "journal-url", journal);
  if (!cc_config_set_connection (self->sandbox, "campaign", campaign, &error))
    g_warning ("sandbox: %s", error->message);

  self->sandbox_dynamics_secret = g_strdup (SANDBOX_SECRET);
  self->sandbox_campaign_secret = g_strdup (SANDBOX_SECRET);
  apply_campaign_limits (self);
}

gboolean
cc_engine_get_uses_sandbox (CcEngine *self)
{
  g_return_val_if_fail (CC_IS_ENGINE (self), FALSE);
  return self->sandbox != NULL;
}

void
cc_engine_resume (CcEngine *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) wanted = NULL;

  g_return_if_fail (CC_IS_ENGINE (self));

  wanted = cc_store_list_wanted (self->store, &error);
  if (wanted == NULL)
    {
      g_debug ("resume: %s", error->message);
      return;
    }
  for (guint i = 0; wanted[i] != NULL; i++)
    {
      CcWorkflow *workflow = cc_engine_find_workflow (self, wanted[i]);

      g_clear_error (&error);
      if (workflow == NULL)
        g_debug ("resume: no workflow “%s” any more", wanted[i]);
      else if (!cc_workflow_resume (workflow, &error))
        g_debug ("resume %s: %s", wanted[i], error->message);
    }
}

/* Stops every workflow, keeping what the user wants running, and waits
 * for the workers. */
static void
halt_all (CcEngine *self)
{
  GListModel *workflows = G_LIST_MODEL (self->workflows);

  for (guint i = 0; i < g_list_model_get_n_items (workflows); i++)
    {
      g_autoptr(CcWorkflow) workflow = g_list_model_get_item (workflows, i);
      cc_workflow_halt (workflow);
    }
  for (guint i = 0; i < g_list_model_get_n_items (workflows); i++)
    {
      g_autoptr(CcWorkflow) workflow = g_list_model_get_item (workflows, i);
      cc_workflow_wait_stopped (workflow);
    }
}

void
cc_engine_shutdown (CcEngine *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CC_IS_ENGINE (self));

  halt_all (self);
  /* No call is made any more: today's count can be exact. */
  if (!cc_rate_limiter_flush (cc_api_allowance_get_limiter (self->campaign_allowance), &error))
    g_debug ("%s", error->message);
}

static void
cc_engine_dispose (GObject *object)
{
  CcEngine *self = CC_ENGINE (object);

  if (self->workflows != NULL)
    halt_all (self);
  g_clear_object (&self->workflows);

  G_OBJECT_CLASS (cc_engine_parent_class)->dispose (object);
}

static void
cc_engine_finalize (GObject *object)
{
  CcEngine *self = CC_ENGINE (object);

  g_clear_object (&self->config);
  g_clear_object (&self->store);
  g_clear_object (&self->campaign_allowance);
  g_clear_pointer (&self->state_path, g_free);
  g_clear_object (&self->sandbox);
  clear_secret (&self->sandbox_dynamics_secret);
  clear_secret (&self->sandbox_campaign_secret);
  g_clear_pointer (&self->sandbox_user_secrets, g_hash_table_unref);

  G_OBJECT_CLASS (cc_engine_parent_class)->finalize (object);
}

static void
cc_engine_class_init (CcEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cc_engine_dispose;
  object_class->finalize = cc_engine_finalize;

  /**
   * CcEngine::workflow-failed:
   * A workflow has just become Failed; its :last-error says why.
   */
  signals[WORKFLOW_FAILED] = g_signal_new ("workflow-failed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, CC_TYPE_WORKFLOW);
}

static void
cc_engine_init (CcEngine *self)
{
  self->workflows = g_list_store_new (CC_TYPE_WORKFLOW);
}
