/* cc-schema-loader.c — live schemas for the edit dialogs, off the main
 * thread.
 *
 * A SoupSession belongs to the thread that made it, so every request makes
 * its own client in its worker thread. Several widgets often ask the same
 * question at once (every field row wants the table's columns): they wait
 * on one request, and the answer is kept in a cache for the next ones.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cc-error.h"
#include "cc-sandbox.h"
#include "cc-schema-loader.h"
#include "cc-secrets.h"

typedef enum
{
  REQUEST_TABLES,
  REQUEST_TABLE,
  REQUEST_RESOURCE,
} RequestKind;

struct _CcSchemaLoader
{
  GObject      parent_instance;

  GVariant    *dynamics;     /* a{sv}: the connection settings, no secret */
  GVariant    *campaign;
  gboolean     sandbox;
  gboolean     configured;
  CcRateLimiter *limiter;    /* Campaign's API allowance: the window's calls count */

  GHashTable  *cache;        /* key → result (owned) */
  GHashTable  *waiting;      /* key → GPtrArray of GTask waiting for it */
};

typedef struct
{
  RequestKind  kind;
  char        *name;
  char        *key;
  GVariant    *settings;
  gboolean     sandbox;
  CcRateLimiter *limiter;
} Request;

G_DEFINE_FINAL_TYPE (CcSchemaLoader, cc_schema_loader, G_TYPE_OBJECT)

static void
request_free (Request *request)
{
  g_free (request->name);
  g_free (request->key);
  g_clear_pointer (&request->settings, g_variant_unref);
  g_clear_object (&request->limiter);
  g_free (request);
}

static void
free_result (RequestKind kind,
             gpointer    result)
{
  if (result == NULL)
    return;
  switch (kind)
    {
    case REQUEST_TABLES:
      g_ptr_array_unref (result);
      break;
    case REQUEST_TABLE:
      cc_dataverse_table_free (result);
      break;
    case REQUEST_RESOURCE:
    default:
      cc_campaign_resource_type_free (result);
      break;
    }
}

typedef struct
{
  RequestKind kind;
  gpointer    result;
} CacheEntry;

static void
cache_entry_free (CacheEntry *entry)
{
  free_result (entry->kind, entry->result);
  g_free (entry);
}

CcSchemaLoader *
cc_schema_loader_new (CcEngine *engine)
{
  CcSchemaLoader *self;

  g_return_val_if_fail (CC_IS_ENGINE (engine), NULL);

  self = g_object_new (CC_TYPE_SCHEMA_LOADER, NULL);
  self->dynamics = cc_engine_get_connection (engine, "dynamics", NULL);
  self->campaign = cc_engine_get_connection (engine, "campaign", NULL);
  self->sandbox = cc_engine_get_uses_sandbox (engine);
  self->configured = cc_engine_is_configured (engine);
  self->limiter = g_object_ref (cc_api_allowance_get_limiter (cc_engine_get_campaign_allowance (engine)));
  return self;
}

static const char *
setting (GVariant   *settings,
         const char *key)
{
  const char *value = NULL;

  if (settings == NULL || !g_variant_lookup (settings, key, "&s", &value))
    return NULL;
  return value != NULL && *value != '\0' ? value : NULL;
}

static char *
lookup_secret (const char  *system,
               gboolean     sandbox,
               GError     **error)
{
  char *secret;

  if (sandbox)
    return g_strdup (CC_SANDBOX_SECRET);
  secret = cc_secrets_lookup (system, NULL, error);
  if (secret == NULL && error != NULL && *error == NULL)
    g_set_error (error, CC_ERROR, CC_ERROR_NO_SECRET,
                 _("No client secret is stored for the %s connection"),
                 g_str_equal (system, "dynamics") ? "Dynamics 365" : "Campaign");
  return secret;
}

static CcDataverseClient *
new_dataverse_client (Request  *request,
                      GError  **error)
{
  g_autofree char *secret = NULL;
  CcDataverseSettings settings = { 0 };
  CcDataverseClient *client;

  settings.url = setting (request->settings, "url");
  settings.tenant = setting (request->settings, "tenant");
  settings.client_id = setting (request->settings, "client-id");
  settings.token_url = setting (request->settings, "token-url");
  settings.max_conns = 2;
  if (settings.url == NULL || settings.tenant == NULL || settings.client_id == NULL)
    {
      g_set_error_literal (error, CC_ERROR, CC_ERROR_NOT_FOUND,
                           _("Dynamics 365 is not connected"));
      return NULL;
    }
  if ((secret = lookup_secret ("dynamics", request->sandbox, error)) == NULL)
    return NULL;
  settings.secret = secret;
  client = cc_dataverse_client_new (&settings);
  memset (secret, 0, strlen (secret));
  return client;
}

static CcCampaignClient *
new_campaign_client (Request  *request,
                     GError  **error)
{
  g_autofree char *secret = NULL;
  CcCampaignSettings settings = { 0 };
  CcCampaignClient *client;

  settings.org = setting (request->settings, "org");
  settings.api_key = setting (request->settings, "api-key");
  settings.api_url = setting (request->settings, "api-url");
  settings.ims_url = setting (request->settings, "ims-url");
  settings.ims_scope = setting (request->settings, "ims-scope");
  settings.journal_url = setting (request->settings, "journal-url");
  settings.max_conns = 2;
  /* Someone waits at the window: a used-up allowance is said at once. */
  settings.limiter = request->limiter;
  settings.limiter_tag = "window";
  settings.wait_for_budget = FALSE;
  if (settings.org == NULL || settings.api_key == NULL)
    {
      g_set_error_literal (error, CC_ERROR, CC_ERROR_NOT_FOUND, _("Campaign is not connected"));
      return NULL;
    }
  if ((secret = lookup_secret ("campaign", request->sandbox, error)) == NULL)
    return NULL;
  settings.secret = secret;
  client = cc_campaign_client_new (&settings);
  memset (secret, 0, strlen (secret));
  return client;
}

static void
run_request (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Request *request = task_data;
  g_autoptr(GError) error = NULL;
  gpointer result = NULL;

  if (request->kind == REQUEST_RESOURCE)
    {
      g_autoptr(CcCampaignClient) client = new_campaign_client (request, &error);

      if (client != NULL)
        result = cc_campaign_client_get_resource_type (client, request->name, cancellable, &error);
    }
  else
    {
      g_autoptr(CcDataverseClient) client = new_dataverse_client (request, &error);

      if (client != NULL && request->kind == REQUEST_TABLES)
        result = cc_dataverse_client_list_tables (client, cancellable, &error);
      else if (client != NULL)
        result = cc_dataverse_client_get_table (client, request->name, TRUE, cancellable, &error);
    }

  if (result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, NULL);
}

static void
on_request_done (GObject      *object,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  CcSchemaLoader *self = CC_SCHEMA_LOADER (object);
  Request *request = g_task_get_task_data (G_TASK (res));
  g_autoptr(GPtrArray) waiters = NULL;
  g_autoptr(GError) error = NULL;
  gpointer result;

  result = g_task_propagate_pointer (G_TASK (res), &error);
  if (result != NULL)
    {
      CacheEntry *entry = g_new0 (CacheEntry, 1);

      entry->kind = request->kind;
      entry->result = result;
      g_hash_table_replace (self->cache, g_strdup (request->key), entry);
    }

  g_hash_table_steal_extended (self->waiting, request->key, NULL, (gpointer *) &waiters);
  for (guint i = 0; waiters != NULL && i < waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (waiters, i);

      if (result != NULL)
        g_task_return_pointer (waiter, result, NULL);
      else
        g_task_return_error (waiter, g_error_copy (error));
    }
}

static void
start_request (CcSchemaLoader      *self,
               RequestKind          kind,
               const char          *name,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag)
{
  g_autoptr(GTask) waiter = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *key = g_strdup_printf ("%d:%s", kind, name ? name : "");
  CacheEntry *entry;
  GPtrArray *waiters;
  Request *request;
  GTask *task;

  g_task_set_source_tag (waiter, source_tag);
  /* A closed dialog must not hear back from a request it made. */
  g_task_set_check_cancellable (waiter, TRUE);

  if ((entry = g_hash_table_lookup (self->cache, key)) != NULL)
    {
      g_task_return_pointer (waiter, entry->result, NULL);
      return;
    }
  if (!self->configured)
    {
      g_task_return_new_error (waiter, CC_ERROR, CC_ERROR_NOT_FOUND,
                               _("The connections are not set up"));
      return;
    }

  waiters = g_hash_table_lookup (self->waiting, key);
  if (waiters != NULL)
    {
      g_ptr_array_add (waiters, g_steal_pointer (&waiter));
      return;
    }

  waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (waiters, g_steal_pointer (&waiter));
  g_hash_table_insert (self->waiting, g_strdup (key), waiters);

  request = g_new0 (Request, 1);
  request->kind = kind;
  request->name = g_strdup (name);
  request->key = g_steal_pointer (&key);
  request->sandbox = self->sandbox;
  request->limiter = g_object_ref (self->limiter);
  request->settings = g_variant_ref (kind == REQUEST_RESOURCE ? self->campaign : self->dynamics);

  /* Not tied to any one waiter's cancellable: others may still want it. */
  task = g_task_new (self, NULL, on_request_done, NULL);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  cc_http_task_run_in_thread (task, run_request);
  g_object_unref (task);
}

void
cc_schema_loader_list_tables_async (CcSchemaLoader      *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (CC_IS_SCHEMA_LOADER (self));
  start_request (self, REQUEST_TABLES, NULL, cancellable, callback, user_data,
                 cc_schema_loader_list_tables_async);
}

GPtrArray *
cc_schema_loader_list_tables_finish (CcSchemaLoader  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
cc_schema_loader_list_table_names_finish (CcSchemaLoader *self,
                                          GAsyncResult   *result,
                                          gboolean        tracked_only,
                                          GStrv          *names,
                                          GStrv          *labels)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) name_builder = NULL;
  g_autoptr(GStrvBuilder) label_builder = NULL;
  GPtrArray *tables;

  tables = cc_schema_loader_list_tables_finish (self, result, &error);
  if (tables == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("tables: %s", error->message);
      return FALSE;
    }

  name_builder = g_strv_builder_new ();
  label_builder = g_strv_builder_new ();
  for (guint i = 0; i < tables->len; i++)
    {
      const CcDataverseTable *table = g_ptr_array_index (tables, i);

      if (tracked_only && !table->change_tracking)
        continue;
      g_strv_builder_add (name_builder, table->logical_name);
      g_strv_builder_add (label_builder, table->display_name ? table->display_name : "");
    }
  *names = g_strv_builder_end (name_builder);
  *labels = g_strv_builder_end (label_builder);
  return TRUE;
}

void
cc_schema_loader_get_table_async (CcSchemaLoader      *self,
                                  const char          *logical_name,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (CC_IS_SCHEMA_LOADER (self));
  g_return_if_fail (logical_name != NULL);
  start_request (self, REQUEST_TABLE, logical_name, cancellable, callback, user_data,
                 cc_schema_loader_get_table_async);
}

const CcDataverseTable *
cc_schema_loader_get_table_finish (CcSchemaLoader  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cc_schema_loader_get_resource_async (CcSchemaLoader      *self,
                                     const char          *resource,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (CC_IS_SCHEMA_LOADER (self));
  g_return_if_fail (resource != NULL);
  start_request (self, REQUEST_RESOURCE, resource, cancellable, callback, user_data,
                 cc_schema_loader_get_resource_async);
}

const CcCampaignResourceType *
cc_schema_loader_get_resource_finish (CcSchemaLoader  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cc_schema_loader_table_columns (const CcDataverseTable *table,
                                GStrv                  *names,
                                GStrv                  *types)
{
  g_autoptr(GStrvBuilder) name_builder = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) type_builder = g_strv_builder_new ();

  for (guint i = 0; table->columns != NULL && i < table->columns->len; i++)
    {
      const CcDataverseColumn *column = g_ptr_array_index (table->columns, i);

      g_strv_builder_add (name_builder, column->logical_name);
      g_strv_builder_add (type_builder, column->attribute_type ? column->attribute_type : "");
    }
  *names = g_strv_builder_end (name_builder);
  if (types != NULL)
    *types = g_strv_builder_end (type_builder);
}

void
cc_schema_loader_resource_fields (const CcCampaignResourceType *type,
                                  gboolean                      writable_only,
                                  GStrv                        *names,
                                  GStrv                        *types)
{
  g_autoptr(GStrvBuilder) name_builder = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) type_builder = g_strv_builder_new ();

  for (guint i = 0; type->fields != NULL && i < type->fields->len; i++)
    {
      const CcCampaignField *field = g_ptr_array_index (type->fields, i);

      /* A link takes a record's PKey, not a value: it is written from a
       * mapping's parent, never from a field. */
      if (writable_only && (field->read_only || g_strcmp0 (field->type, "link") == 0))
        continue;
      g_strv_builder_add (name_builder, field->name);
      g_strv_builder_add (type_builder, field->type ? field->type : "");
    }
  *names = g_strv_builder_end (name_builder);
  if (types != NULL)
    *types = g_strv_builder_end (type_builder);
}

static void
cc_schema_loader_finalize (GObject *object)
{
  CcSchemaLoader *self = CC_SCHEMA_LOADER (object);

  g_clear_pointer (&self->dynamics, g_variant_unref);
  g_clear_pointer (&self->campaign, g_variant_unref);
  g_clear_object (&self->limiter);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_clear_pointer (&self->waiting, g_hash_table_unref);

  G_OBJECT_CLASS (cc_schema_loader_parent_class)->finalize (object);
}

static void
cc_schema_loader_class_init (CcSchemaLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cc_schema_loader_finalize;
}

static void
cc_schema_loader_init (CcSchemaLoader *self)
{
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) cache_entry_free);
  self->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
}
