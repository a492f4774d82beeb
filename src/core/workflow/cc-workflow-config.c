/* cc-workflow-config.c — a workflow's configuration (edited and applied),
 * replay, and its run history.
 *
 * The state machine and the run are in cc-workflow.c, the error log in
 * cc-workflow-errors.c.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cc-error.h"
#include "cc-json-parse.h"
#include "cc-workflow-private.h"

JsonNode *
cc_workflow_get_config_node (CcWorkflow *self)
{
  CcConfig *config = self->host.config;
  JsonNode *node = cc_config_get_workflow (config, cc_workflow_get_id (self), "edited");

  if (node == NULL)
    {
      g_autoptr(JsonNode) fallback = self->kind->default_config ();
      cc_config_set_workflow (config, cc_workflow_get_id (self), "edited", fallback);
      node = cc_config_get_workflow (config, cc_workflow_get_id (self), "edited");
    }
  return node;
}

JsonNode *
cc_workflow_get_applied_config (CcWorkflow *self)
{
  CcConfig *config = self->host.config;
  JsonNode *node = cc_config_get_workflow (config, cc_workflow_get_id (self), "applied");

  return node != NULL ? node : cc_workflow_get_config_node (self);
}

char *
cc_workflow_get_config (CcWorkflow *self)
{
  g_return_val_if_fail (CC_IS_WORKFLOW (self), NULL);

  return json_to_string (cc_workflow_get_config_node (self), TRUE);
}

/* @node as the kind reads it, every default spelled out; NULL with
 * @error when the kind refuses it. */
static JsonNode *
normalize (CcWorkflow  *self,
           JsonNode    *node,
           GError     **error)
{
  gpointer parsed = self->kind->parse (node, error);
  JsonNode *normal;

  if (parsed == NULL)
    return NULL;
  normal = self->kind->to_json (parsed);
  self->kind->free_config (parsed);
  return normal;
}

gboolean
cc_workflow_set_config_node (CcWorkflow  *self,
                             JsonNode    *node,
                             GError     **error)
{
  CcConfig *config = self->host.config;
  g_autoptr(JsonNode) normal = NULL;
  gboolean running;

  g_return_val_if_fail (CC_IS_WORKFLOW (self), FALSE);

  normal = normalize (self, node, error);
  if (normal == NULL)
    return FALSE;

  cc_config_set_workflow (config, cc_workflow_get_id (self), "edited", node);
  running = self->status == CC_WORKFLOW_STARTING || self->status == CC_WORKFLOW_RUNNING;
  if (!running)
    cc_config_set_workflow (config, cc_workflow_get_id (self), "applied", node);
  if (!cc_config_save (config, error))
    return FALSE;

  /* Pending = the workers run on something other than what was saved:
   * compared as the kind reads them, so that a member written out with
   * its default value is no change. */
  if (running)
    {
      JsonNode *applied = cc_workflow_get_applied_config (self);
      g_autoptr(JsonNode) applied_normal = applied ? normalize (self, applied, NULL) : NULL;

      cc_workflow_set_pending (self, applied_normal == NULL || !json_node_equal (normal, applied_normal));
    }
  return TRUE;
}

gboolean
cc_workflow_set_config (CcWorkflow  *self,
                        const char  *json,
                        GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) parse_error = NULL;

  g_return_val_if_fail (CC_IS_WORKFLOW (self), FALSE);

  node = cc_json_parse (json, json ? strlen (json) : 0, CC_JSON_MAX_WORKFLOW_CONFIG,
                        &parse_error);
  if (node == NULL)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                   cc_json_error_is_bounds (parse_error)
                   ? _("The configuration cannot be read: %s")
                   : _("The configuration is not valid JSON: %s"),
                   parse_error->message);
      return FALSE;
    }
  return cc_workflow_set_config_node (self, node, error);
}

gboolean
cc_workflow_replay (CcWorkflow  *self,
                    const char  *since,
                    GError     **error)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *message = NULL;
  gpointer parsed;
  gboolean ok;

  g_return_val_if_fail (CC_IS_WORKFLOW (self), FALSE);

  if (g_strcmp0 (since, "all") != 0)
    {
      when = since ? g_date_time_new_from_iso8601 (since, utc) : NULL;
      if (when == NULL)
        {
          g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                       _("since: “%s” is neither “all” nor an ISO-8601 time such as "
                         "2026-01-31T00:00:00Z"), since ? since : "");
          return FALSE;
        }
    }

  parsed = self->kind->parse (cc_workflow_get_applied_config (self), error);
  if (parsed == NULL)
    return FALSE;
  ok = self->kind->replay (parsed, self->host.store, since, error);
  self->kind->free_config (parsed);
  if (!ok)
    return FALSE;

  message = g_strdup_printf ("since %s", since);
  cc_workflow_add_history (self, "replay", message);
  return TRUE;
}

/* Saves what the history could not save before, oldest first; stops at
 * the first refusal. */
static void
save_unsaved_history (CcWorkflow *self)
{
  g_autoptr(GError) error = NULL;

  while (self->unsaved_history->len > 0)
    {
      if (!cc_store_add_history_entry (self->host.store, cc_workflow_get_id (self),
                                       g_ptr_array_index (self->unsaved_history, 0), &error))
        {
          g_debug ("history of %s still unsaved: %s", cc_workflow_get_id (self), error->message);
          return;
        }
      g_ptr_array_remove_index (self->unsaved_history, 0);
    }
}

void
cc_workflow_add_history (CcWorkflow *self,
                         const char *kind,
                         const char *message)
{
  CcHistoryEntry *entry = g_new0 (CcHistoryEntry, 1);

  entry->at = g_get_real_time ();
  entry->kind = g_strdup (kind);
  entry->message = g_strdup (message);
  entry->written = self->written - self->written_base;
  entry->failed = self->failed - self->failed_base;
  /* In order: an entry is saved only after those before it. A failure
   * above all must not go unrecorded because the disk is full. */
  g_ptr_array_add (self->unsaved_history, entry);
  save_unsaved_history (self);
}

GPtrArray *
cc_workflow_list_history (CcWorkflow  *self,
                          guint        limit,
                          GError     **error)
{
  GPtrArray *entries;

  g_return_val_if_fail (CC_IS_WORKFLOW (self), NULL);

  save_unsaved_history (self);
  entries = cc_store_list_history (self->host.store, cc_workflow_get_id (self), limit, error);
  if (entries == NULL)
    return NULL;
  /* What is not saved yet is newer than everything saved. */
  for (guint i = 0; i < self->unsaved_history->len; i++)
    {
      const CcHistoryEntry *unsaved = g_ptr_array_index (self->unsaved_history, i);
      CcHistoryEntry *copy = g_new0 (CcHistoryEntry, 1);

      *copy = *unsaved;
      copy->kind = g_strdup (unsaved->kind);
      copy->message = g_strdup (unsaved->message);
      g_ptr_array_insert (entries, 0, copy);
    }
  if (limit > 0 && entries->len > limit)
    g_ptr_array_set_size (entries, limit);
  return entries;
}
