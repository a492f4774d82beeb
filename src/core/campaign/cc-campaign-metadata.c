/* cc-campaign-metadata.c — what Campaign says about a resource: its
 * fields (GET <group>/resourceType/<name>), its filters (the URL that
 * metadata gives) and the key its records are identified by.
 *
 * Adobe documents the fields and the filters link; the identification
 * key is not in the documented metadata. The emulator names it in a
 * "key" member, which is read when present: an instance whose metadata
 * says nothing about keys leaves the key unknown (keys NULL), never
 * assumed.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cc-error.h"
#include "cc-campaign-client-private.h"
#include "cc-json-read.h"

static void
field_free (CcCampaignField *field)
{
  g_free (field->name);
  g_free (field->label);
  g_free (field->type);
  g_free (field->target);
  g_free (field);
}

void
cc_campaign_resource_type_free (CcCampaignResourceType *type)
{
  if (type == NULL)
    return;
  g_free (type->resource);
  g_free (type->name);
  g_free (type->label);
  g_clear_pointer (&type->fields, g_ptr_array_unref);
  g_free (type->filters_url);
  g_strfreev (type->keys);
  g_free (type);
}

const CcCampaignField *
cc_campaign_resource_type_find_field (const CcCampaignResourceType *type,
                                      const char                   *name)
{
  g_return_val_if_fail (type != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < type->fields->len; i++)
    {
      const CcCampaignField *field = g_ptr_array_index (type->fields, i);

      if (g_strcmp0 (field->name, name) == 0)
        return field;
    }
  return NULL;
}

static gboolean
get_flag (JsonObject *object,
          const char *name)
{
  JsonNode *node;

  if (!json_object_has_member (object, name))
    return FALSE;
  node = json_object_get_member (object, name);
  return JSON_NODE_HOLDS_VALUE (node)
    && json_node_get_value_type (node) == G_TYPE_BOOLEAN
    && json_node_get_boolean (node);
}

static void
add_field (GPtrArray  *fields,
           const char *member_name,
           JsonObject *object)
{
  CcCampaignField *field = g_new0 (CcCampaignField, 1);
  const char *name = cc_json_read_string (object, "apiName");

  if (name == NULL)
    name = cc_json_read_string (object, "name");
  if (name == NULL)
    name = member_name;
  if (name == NULL)
    {
      g_free (field);
      return;
    }
  field->name = g_strdup (name);
  field->label = g_strdup (cc_json_read_string (object, "label"));
  field->type = g_strdup (cc_json_read_string (object, "type"));
  if (field->type == NULL)
    field->type = g_strdup ("string");
  field->length = (int) CLAMP (cc_json_read_int (object, "length", -1), -1, G_MAXINT);
  field->read_only = get_flag (object, "readOnly") || get_flag (object, "readonly")
                     || get_flag (object, "isReadOnly");
  field->target = g_strdup (cc_json_read_string (object, "resTarget"));
  g_ptr_array_add (fields, field);
}

/* A resource Campaign does not know. It serves a custom resource linked
 * to the profile under profileAndServicesExt only: the likeliest
 * mistake, worth naming. */
static void
set_missing_resource_error (CcHttpResponse  *response,
                            const char      *resource,
                            const char      *group,
                            const char      *name,
                            GError         **error)
{
  g_autofree char *words = cc_http_response_dup_server_message (response);

  if (g_str_equal (group, "customResources"))
    g_set_error (error, CC_ERROR, CC_ERROR_SCHEMA,
                 _("Resource '%s' does not exist in Adobe Campaign (%s). If it is linked to "
                   "the profile, it is “profileAndServicesExt/%s”."),
                 resource, words ? words : response->reason, name);
  else
    g_set_error (error, CC_ERROR, CC_ERROR_SCHEMA,
                 _("Resource '%s' does not exist in Adobe Campaign (%s)"),
                 resource, words ? words : response->reason);
}

/* The fields of a resource type. The documented shape keys "content" by
 * field name; an array of field objects is read as well. */
static void
read_fields (JsonObject *root,
             GPtrArray  *fields)
{
  JsonObject *by_name = cc_json_read_object (root, "content");
  JsonArray *array = cc_json_read_array (root, "content");

  if (by_name != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      json_object_iter_init (&iter, by_name);
      while (json_object_iter_next (&iter, &name, &node))
        if (JSON_NODE_HOLDS_OBJECT (node))
          add_field (fields, name, json_node_get_object (node));
    }
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
      add_field (fields, NULL, json_array_get_object_element (array, i));
}

/* The fields that identify a record besides its PKey, as far as the
 * metadata says: a "key" member naming one field (or "PKey" for none), or
 * a "keys" array of names; NULL when it says nothing. */
static GStrv
read_keys (JsonObject *root)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *key = cc_json_read_string (root, "key");
  JsonArray *keys = cc_json_read_array (root, "keys");

  if (key == NULL && keys == NULL)
    return NULL;
  if (key != NULL && strcmp (key, "PKey") != 0)
    g_strv_builder_add (builder, key);
  for (guint i = 0; keys != NULL && i < json_array_get_length (keys); i++)
    {
      JsonNode *element = json_array_get_element (keys, i);
      const char *name = JSON_NODE_HOLDS_VALUE (element)
                         && json_node_get_value_type (element) == G_TYPE_STRING
                         ? json_node_get_string (element) : NULL;

      if (name != NULL && strcmp (name, "PKey") != 0)
        g_strv_builder_add (builder, name);
    }
  return g_strv_builder_end (builder);
}

CcCampaignResourceType *
cc_campaign_client_read_resource_type (CcCampaignClient  *self,
                                       const char        *resource,
                                       CcHttpResponse    *response,
                                       GError           **error)
{
  g_autoptr(JsonObject) root = NULL;
  g_autofree char *group = NULL;
  const char *slash = strrchr (resource, '/');
  CcCampaignResourceType *type;
  const char *name;
  const char *filters;

  g_return_val_if_fail (slash != NULL, NULL);

  group = g_strndup (resource, slash - resource);
  if (response->status == SOUP_STATUS_NOT_FOUND || response->status == SOUP_STATUS_BAD_REQUEST)
    {
      set_missing_resource_error (response, resource, group, slash + 1, error);
      return NULL;
    }
  root = cc_campaign_client_dup_answer (response, CC_ERROR_FAILED, error);
  if (root == NULL)
    return NULL;

  name = cc_json_read_string (root, "name");
  type = g_new0 (CcCampaignResourceType, 1);
  type->resource = g_strdup (resource);
  type->name = g_strdup (name != NULL ? name : slash + 1);
  type->label = g_strdup (cc_json_read_string (root, "label"));
  type->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  read_fields (root, type->fields);
  type->keys = read_keys (root);
  filters = cc_json_read_string (cc_json_read_object (root, "filters"), "href");
  if (filters != NULL)
    type->filters_url = cc_campaign_client_resolve (self, filters);
  return type;
}

CcCampaignResourceType *
cc_campaign_client_get_resource_type (CcCampaignClient  *self,
                                      const char        *resource,
                                      GCancellable      *cancellable,
                                      GError           **error)
{
  g_autoptr(CcHttpResponse) response = NULL;
  g_autofree char *group = NULL;
  g_autofree char *path = NULL;
  const char *slash;

  g_return_val_if_fail (CC_IS_CAMPAIGN_CLIENT (self), NULL);
  g_return_val_if_fail (resource != NULL, NULL);

  slash = strrchr (resource, '/');
  if (slash == NULL || slash == resource || slash[1] == '\0')
    {
      g_set_error (error, CC_ERROR, CC_ERROR_SCHEMA,
                   _("“%s” is not a Campaign resource path such as “profileAndServicesExt/profile”"),
                   resource);
      return NULL;
    }
  group = g_strndup (resource, slash - resource);
  path = g_strdup_printf ("%s/resourceType/%s", group, slash + 1);

  response = cc_campaign_client_get (self, path, cancellable, error);
  if (response == NULL)
    return NULL;
  return cc_campaign_client_read_resource_type (self, resource, response, error);
}

/* ------------------------------------------------------------------ */
/* Filters                                                             */

void
cc_campaign_filter_free (CcCampaignFilter *filter)
{
  if (filter == NULL)
    return;
  g_free (filter->name);
  g_strfreev (filter->parameters);
  g_free (filter);
}

/* A filter's parameters: the members of "parameters", or else the query
 * names of its "data" template ("…/byText?text=$value"). */
static GStrv
read_parameters (JsonObject *object)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonObject *parameters = cc_json_read_object (object, "parameters");
  const char *data = cc_json_read_string (object, "data");
  const char *query = data ? strchr (data, '?') : NULL;

  if (parameters != NULL)
    {
      g_autoptr(GList) names = json_object_get_members (parameters);

      for (GList *l = names; l != NULL; l = l->next)
        g_strv_builder_add (builder, l->data);
    }
  else if (query != NULL)
    {
      g_auto(GStrv) pairs = g_strsplit (query + 1, "&", -1);

      for (guint i = 0; pairs[i] != NULL; i++)
        {
          const char *eq = strchr (pairs[i], '=');
          g_autofree char *name = eq ? g_strndup (pairs[i], eq - pairs[i]) : g_strdup (pairs[i]);

          if (*name != '\0')
            g_strv_builder_add (builder, name);
        }
    }
  return g_strv_builder_end (builder);
}

static void
add_filter (GPtrArray  *filters,
            const char *member_name,
            JsonObject *object)
{
  CcCampaignFilter *filter = g_new0 (CcCampaignFilter, 1);
  const char *name = cc_json_read_string (object, "name");

  filter->name = g_strdup (name != NULL ? name : member_name);
  filter->parameters = read_parameters (object);
  g_ptr_array_add (filters, filter);
}

GPtrArray *
cc_campaign_client_read_filters (CcHttpResponse  *response,
                                 GError         **error)
{
  g_autoptr(JsonObject) root = cc_campaign_client_dup_answer (response, CC_ERROR_FAILED, error);
  g_autoptr(GPtrArray) filters = NULL;
  JsonObject *by_name;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (root == NULL)
    return NULL;
  /* Documented: the filters keyed by name; the emulator wraps them in
   * "content" as the resource metadata does its fields. */
  by_name = cc_json_read_object (root, "content");
  if (by_name == NULL)
    by_name = root;
  filters = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_campaign_filter_free);
  json_object_iter_init (&iter, by_name);
  while (json_object_iter_next (&iter, &name, &node))
    if (JSON_NODE_HOLDS_OBJECT (node))
      add_filter (filters, name, json_node_get_object (node));
  return g_steal_pointer (&filters);
}

GPtrArray *
cc_campaign_client_get_filters (CcCampaignClient              *self,
                                const CcCampaignResourceType  *type,
                                GCancellable                  *cancellable,
                                GError                       **error)
{
  g_autoptr(CcHttpResponse) response = NULL;

  g_return_val_if_fail (CC_IS_CAMPAIGN_CLIENT (self), NULL);
  g_return_val_if_fail (type != NULL, NULL);

  if (type->filters_url == NULL)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_FAILED,
                   _("Campaign’s metadata of “%s” gives no link to its filters"), type->resource);
      return NULL;
    }
  response = cc_campaign_client_get (self, type->filters_url, cancellable, error);
  if (response == NULL)
    return NULL;
  return cc_campaign_client_read_filters (response, error);
}

const CcCampaignFilter *
cc_campaign_filters_find (GPtrArray  *filters,
                          const char *name)
{
  for (guint i = 0; filters != NULL && i < filters->len; i++)
    {
      const CcCampaignFilter *filter = g_ptr_array_index (filters, i);

      if (g_strcmp0 (filter->name, name) == 0)
        return filter;
    }
  return NULL;
}
