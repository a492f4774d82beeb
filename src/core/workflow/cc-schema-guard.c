/* cc-schema-guard.c — telling a field gone from a value refused
 * (cc-schema-guard.h).
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cc-error.h"
#include "cc-schema-guard.h"

/* How long a schema that showed nothing wrong counts as current. */
#define CURRENT_US (10 * G_USEC_PER_SEC)

struct _CcSchemaGuard
{
  GMutex      lock;
  GHashTable *checked;   /* "<service>\n<resource>\n<reason>" → gint64* monotonic time */
  GHashTable *pending;   /* the same → GPtrArray of the GTasks waiting for its check */
};

/* What a field or column named in a refused request has become. */
typedef enum
{
  NAME_USABLE,
  NAME_GONE,
  NAME_READ_ONLY,
} NameState;

CcSchemaGuard *
cc_schema_guard_new (void)
{
  CcSchemaGuard *self = g_new0 (CcSchemaGuard, 1);

  g_mutex_init (&self->lock);
  self->checked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  return self;
}

void
cc_schema_guard_free (CcSchemaGuard *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->checked);
  g_hash_table_unref (self->pending);
  g_mutex_clear (&self->lock);
  g_free (self);
}

GStrv
cc_schema_guard_names (JsonObject *body)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GList) members = json_object_get_members (body);

  for (GList *l = members; l != NULL; l = l->next)
    if (strchr (l->data, '@') == NULL)
      g_strv_builder_add (names, l->data);
  return g_strv_builder_end (names);
}

static gboolean
recently_checked (CcSchemaGuard *self,
                  const char    *key)
{
  gint64 *at;
  gboolean recent;

  g_mutex_lock (&self->lock);
  at = g_hash_table_lookup (self->checked, key);
  recent = at != NULL && g_get_monotonic_time () - *at < CURRENT_US;
  g_mutex_unlock (&self->lock);
  return recent;
}

static void
mark_checked (CcSchemaGuard *self,
              const char    *key)
{
  gint64 *at = g_new (gint64, 1);

  *at = g_get_monotonic_time ();
  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->checked, g_strdup (key), at);
  g_mutex_unlock (&self->lock);
}

static char *
check_key (const char *service,
           const char *resource,
           const char *reason)
{
  return g_strdup_printf ("%s\n%s\n%s", service, resource, reason ? reason : "");
}

static NameState
campaign_state (gconstpointer  schema,
                const char    *name,
                gboolean       writing)
{
  const CcCampaignField *field = cc_campaign_resource_type_find_field (schema, name);

  if (field == NULL)
    return NAME_GONE;
  return writing && field->read_only ? NAME_READ_ONLY : NAME_USABLE;
}

static NameState
dynamics_state (gconstpointer  schema,
                const char    *name,
                gboolean       writing)
{
  const CcDataverseColumn *column = cc_dataverse_table_find_column (schema, name);

  if (column == NULL || !column->valid_for_read)
    return NAME_GONE;
  return writing && !column->valid_for_update ? NAME_READ_ONLY : NAME_USABLE;
}

/* Translators: a field, its Campaign resource, and where it is named
 * (e.g. “mapping “contacts””) */
static char *
campaign_message (NameState   state,
                  const char *name,
                  const char *resource,
                  const char *where)
{
  if (state == NAME_READ_ONLY)
    return g_strdup_printf (_("The field “%s” of “%s” is read-only in Campaign now. The workflow "
                              "stopped, and every record it had not written is still queued: "
                              "take the field out of %s (or make it writable again in "
                              "Campaign), then start the workflow."),
                            name, resource, where);
  return g_strdup_printf (_("The field “%s” of “%s” no longer exists in Campaign. The workflow "
                            "stopped, and every record it had not written is still queued: "
                            "take the field out of %s (or add it again in Campaign), then start "
                            "the workflow."),
                          name, resource, where);
}

/* Translators: a column, its Dynamics 365 table, and where it is named
 * (e.g. “the opt-in/opt-out pairs”) */
static char *
dynamics_message (NameState   state,
                  const char *name,
                  const char *table,
                  const char *where)
{
  if (state == NAME_READ_ONLY)
    return g_strdup_printf (_("The column “%s” of table “%s” can no longer be written in "
                              "Dynamics 365. The workflow stopped, and every record it had not "
                              "written is still queued: take the column out of %s (or make it "
                              "writable again in Dynamics 365), then start the workflow."),
                            name, table, where);
  return g_strdup_printf (_("The column “%s” of table “%s” no longer exists in Dynamics 365. "
                            "The workflow stopped, and every record it had not written is still "
                            "queued: take the column out of %s (or add it again in Dynamics "
                            "365), then start the workflow."),
                          name, table, where);
}

/* What the guard knows of a service's schema, and says of it. */
typedef struct
{
  const char  *id;
  NameState  (*state_of) (gconstpointer  schema,
                          const char    *name,
                          gboolean       writing);
  char      *(*message)  (NameState      state,
                          const char    *name,
                          const char    *resource,
                          const char    *where);
} Service;

static const Service campaign_service = { "campaign", campaign_state, campaign_message };
static const Service dynamics_service = { "dynamics", dynamics_state, dynamics_message };

/* Judges @names against @schema, just read: TRUE when each is usable
 * (remembered for the refusal @key), else FALSE with the error naming the
 * first that is not. */
static gboolean
judge (CcSchemaGuard       *self,
       const Service       *service,
       gconstpointer        schema,
       const char          *key,
       const char          *resource,
       const char * const  *names,
       gboolean             writing,
       const char          *where,
       GError             **error)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      NameState state = service->state_of (schema, names[i], writing);

      if (state != NAME_USABLE)
        {
          g_autofree char *message = service->message (state, names[i], resource, where);

          g_set_error_literal (error, CC_ERROR, CC_ERROR_SCHEMA, message);
          return FALSE;
        }
    }
  mark_checked (self, key);
  return TRUE;
}

gboolean
cc_schema_guard_check_campaign (CcSchemaGuard       *self,
                                CcCampaignClient    *client,
                                const char          *resource,
                                const char * const  *fields,
                                gboolean             writing,
                                const char          *reason,
                                const char          *where,
                                GCancellable        *cancellable,
                                GError             **error)
{
  g_autofree char *key = check_key (campaign_service.id, resource, reason);
  g_autoptr(CcCampaignResourceType) type = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (recently_checked (self, key))
    return TRUE;
  type = cc_campaign_client_get_resource_type (client, resource, cancellable, error);
  return type != NULL
         && judge (self, &campaign_service, type, key, resource, fields, writing, where, error);
}

/* What an asynchronous check asks. */
typedef struct
{
  CcSchemaGuard *guard;
  const Service *service;
  CcRun         *run;
  char          *key;
  char          *resource;
  GStrv          fields;
  gboolean       writing;
  char          *reason;
  char          *where;
} Check;

static void
check_free (Check *check)
{
  g_free (check->key);
  g_free (check->resource);
  g_strfreev (check->fields);
  g_free (check->reason);
  g_free (check->where);
  g_free (check);
}

/* With a client of its own: the caller's belongs to the caller's thread.
 * The check is rare (a refusal with words not seen in a while), so a
 * connection made for it costs little. */
static gboolean
check_with_own_client (Check         *check,
                       GCancellable  *cancellable,
                       GError       **error)
{
  const char * const *names = (const char * const *) check->fields;

  if (check->service == &campaign_service)
    {
      g_autoptr(CcCampaignClient) client = cc_run_new_campaign_client (check->run, 1, error);

      return client != NULL
             && cc_schema_guard_check_campaign (check->guard, client, check->resource, names,
                                                check->writing, check->reason, check->where,
                                                cancellable, error);
    }
  else
    {
      g_autoptr(CcDataverseClient) client = cc_run_new_dataverse_client (check->run, 1, error);

      return client != NULL
             && cc_schema_guard_check_dynamics (check->guard, client, check->resource, names,
                                                check->writing, check->reason, check->where,
                                                cancellable, error);
    }
}

static void
return_result (GTask        *task,
               const GError *error)
{
  if (error != NULL)
    g_task_return_error (task, g_error_copy (error));
  else
    g_task_return_boolean (task, TRUE);
}

/* The writes in flight when a field goes are refused together: one check
 * answers every refusal of the same words that came while it ran. */
static void
check_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      data,
                 GCancellable *cancellable)
{
  Check *check = data;
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(GError) error = NULL;

  check_with_own_client (check, cancellable, &error);
  g_mutex_lock (&check->guard->lock);
  g_hash_table_steal_extended (check->guard->pending, check->key, NULL, (gpointer *) &waiting);
  g_mutex_unlock (&check->guard->lock);
  for (guint i = 0; waiting != NULL && i < waiting->len; i++)
    return_result (g_ptr_array_index (waiting, i), error);
  return_result (task, error);
}

static void
check_async (CcSchemaGuard       *self,
             const Service       *service,
             CcRun               *run,
             const char          *resource,
             const char * const  *fields,
             gboolean             writing,
             const char          *reason,
             const char          *where,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *key = check_key (service->id, resource, reason);
  GPtrArray *waiting;
  Check *check;

  g_task_set_source_tag (task, check_async);
  if (recently_checked (self, key))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_mutex_lock (&self->lock);
  waiting = g_hash_table_lookup (self->pending, key);
  if (waiting != NULL)
    g_ptr_array_add (waiting, g_object_ref (task));
  else
    g_hash_table_insert (self->pending, g_strdup (key), g_ptr_array_new_with_free_func (g_object_unref));
  g_mutex_unlock (&self->lock);
  if (waiting != NULL)
    return;

  check = g_new0 (Check, 1);
  check->guard = self;
  check->service = service;
  check->run = run;
  check->key = g_steal_pointer (&key);
  check->resource = g_strdup (resource);
  check->fields = g_strdupv ((GStrv) fields);
  check->writing = writing;
  check->reason = g_strdup (reason);
  check->where = g_strdup (where);
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);
  cc_http_task_run_in_thread (task, check_in_thread);
}

void
cc_schema_guard_check_campaign_async (CcSchemaGuard       *self,
                                      CcRun               *run,
                                      const char          *resource,
                                      const char * const  *fields,
                                      gboolean             writing,
                                      const char          *reason,
                                      const char          *where,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (self != NULL && run != NULL);

  check_async (self, &campaign_service, run, resource, fields, writing, reason, where,
               cancellable, callback, user_data);
}

void
cc_schema_guard_check_dynamics_async (CcSchemaGuard       *self,
                                      CcRun               *run,
                                      const char          *table,
                                      const char * const  *columns,
                                      gboolean             writing,
                                      const char          *reason,
                                      const char          *where,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (self != NULL && run != NULL);

  check_async (self, &dynamics_service, run, table, columns, writing, reason, where,
               cancellable, callback, user_data);
}

gboolean
cc_schema_guard_check_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
cc_schema_guard_check_dynamics (CcSchemaGuard       *self,
                                CcDataverseClient   *client,
                                const char          *table,
                                const char * const  *columns,
                                gboolean             writing,
                                const char          *reason,
                                const char          *where,
                                GCancellable        *cancellable,
                                GError             **error)
{
  g_autofree char *key = check_key (dynamics_service.id, table, reason);
  g_autoptr(CcDataverseTable) schema = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (recently_checked (self, key))
    return TRUE;
  schema = cc_dataverse_client_get_table (client, table, FALSE, cancellable, error);
  return schema != NULL
         && judge (self, &dynamics_service, schema, key, table, columns, writing, where, error);
}

void
cc_schema_guard_explain_read (CcSchemaGuard       *self,
                              CcDataverseClient   *client,
                              const char          *table,
                              const char * const  *columns,
                              const char          *where,
                              GCancellable        *cancellable,
                              GError             **error)
{
  g_autoptr(GError) why = NULL;

  g_return_if_fail (self != NULL);

  if (error == NULL || !g_error_matches (*error, CC_ERROR, CC_ERROR_SCHEMA))
    return;
  if (cc_schema_guard_check_dynamics (self, client, table, columns, FALSE, (*error)->message,
                                      where, cancellable, &why)
      || !g_error_matches (why, CC_ERROR, CC_ERROR_SCHEMA))
    return;
  g_clear_error (error);
  g_propagate_error (error, g_steal_pointer (&why));
}
