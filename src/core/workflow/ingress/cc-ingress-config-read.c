/* cc-ingress-config-read.c — reading the members of the ingress JSON.
 *
 * Small readers shared by the parts of the parser: each knows the path of
 * the member it reads, so that a refusal can say exactly where the
 * configuration is wrong, and each reads a member as people write it
 * (absent means "the default", null means absent for optional members).
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cc-error.h"
#include "cc-ingress-config-private.h"

gboolean
cc_ingress_is_logical_name (const char *name)
{
  if (name == NULL || !(g_ascii_islower (name[0]) || name[0] == '_'))
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_'))
      return FALSE;
  return TRUE;
}

gboolean
cc_ingress_refuse (GError    **error,
                   const char *path,
                   const char *format,
                   ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG, "%s: %s", path, what);
  return FALSE;
}

char *
cc_ingress_member_path (const char *parent,
                        const char *member)
{
  if (parent == NULL || parent[0] == '\0')
    return g_strdup (member);
  return g_strconcat (parent, ".", member, NULL);
}

char *
cc_ingress_index_path (const char *parent,
                       guint       index)
{
  return g_strdup_printf ("%s[%u]", parent, index);
}

/* "writeConcurrency", "write_concurrency" and "Write-Concurrency" all
 * mean "write-concurrency": worth a hint rather than a bare refusal. */
static char *
loose_spelling (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = name; *p; p++)
    if (*p != '-' && *p != '_' && *p != ' ')
      g_string_append_c (out, g_ascii_tolower (*p));
  return g_string_free (out, FALSE);
}

gboolean
cc_ingress_check_members (JsonObject         *object,
                          const char         *path,
                          const char * const *allowed,
                          GError            **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    {
      g_autofree char *where = NULL;
      g_autofree char *loose = NULL;
      g_autofree char *list = NULL;

      if (g_strv_contains (allowed, name))
        continue;

      where = cc_ingress_member_path (path, name);
      loose = loose_spelling (name);
      for (guint i = 0; allowed[i]; i++)
        {
          g_autofree char *candidate = loose_spelling (allowed[i]);

          if (strcmp (candidate, loose) == 0)
            return cc_ingress_refuse (error, where, _("unknown member (did you mean “%s”?)"),
                                      allowed[i]);
        }
      list = g_strjoinv (", ", (char **) allowed);
      return cc_ingress_refuse (error, where, _("unknown member (known here: %s)"), list);
    }
  return TRUE;
}

gboolean
cc_ingress_node_holds (JsonNode *node,
                       GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

gboolean
cc_ingress_node_is_scalar (JsonNode *node)
{
  return cc_ingress_node_holds (node, G_TYPE_STRING)
         || cc_ingress_node_holds (node, G_TYPE_INT64)
         || cc_ingress_node_holds (node, G_TYPE_DOUBLE)
         || cc_ingress_node_holds (node, G_TYPE_BOOLEAN);
}

/* An immutable copy, safe to read from several reader threads at once. */
JsonNode *
cc_ingress_sealed_copy (JsonNode *node)
{
  JsonNode *copy = json_node_copy (node);

  json_node_seal (copy);
  return copy;
}

/* Absent (or null, when optional) leaves *out NULL. @hint says what the
 * member is for, for the "required" refusal. */
gboolean
cc_ingress_get_string (JsonObject           *object,
                       const char           *path,
                       const char           *name,
                       CcIngressStringFlags  flags,
                       const char           *hint,
                       char                **out,
                       GError              **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *where = cc_ingress_member_path (path, name);
  const char *value;

  *out = NULL;
  if (node == NULL || (!(flags & STRING_REQUIRED) && JSON_NODE_HOLDS_NULL (node)))
    {
      if (flags & STRING_REQUIRED)
        return cc_ingress_refuse (error, where, _("required: %s"), hint);
      return TRUE;
    }
  if (!cc_ingress_node_holds (node, G_TYPE_STRING))
    return cc_ingress_refuse (error, where, _("must be a string"));
  value = json_node_get_string (node);
  if (value[0] == '\0' && !(flags & STRING_MAY_BE_EMPTY))
    return cc_ingress_refuse (error, where, _("must not be empty"));
  *out = g_strdup (value);
  return TRUE;
}

gboolean
cc_ingress_get_boolean (JsonObject *object,
                        const char *path,
                        const char *name,
                        gboolean    fallback,
                        gboolean   *out,
                        GError    **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *where = NULL;

  *out = fallback;
  if (node == NULL)
    return TRUE;
  if (!cc_ingress_node_holds (node, G_TYPE_BOOLEAN))
    {
      where = cc_ingress_member_path (path, name);
      return cc_ingress_refuse (error, where, _("must be true or false"));
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
cc_ingress_get_number (JsonObject *object,
                       const char *name,
                       guint       min,
                       guint       max,
                       guint       fallback,
                       guint      *out,
                       GError    **error)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 value;

  *out = fallback;
  if (node == NULL)
    return TRUE;
  if (!cc_ingress_node_holds (node, G_TYPE_INT64))
    return cc_ingress_refuse (error, name, _("must be a whole number from %u to %u"), min, max);
  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      g_autofree char *written = g_strdup_printf ("%" G_GINT64_FORMAT, value);

      return cc_ingress_refuse (error, name, _("%s is out of range (%u to %u)"), written, min, max);
    }
  *out = (guint) value;
  return TRUE;
}

/* The object or array at @name; absent leaves *out NULL. */
gboolean
cc_ingress_get_container (JsonObject  *object,
                          const char  *path,
                          const char  *name,
                          JsonNodeType type,
                          gboolean     required,
                          const char  *hint,
                          JsonNode   **out,
                          GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *where = cc_ingress_member_path (path, name);

  *out = NULL;
  if (node == NULL)
    return required ? cc_ingress_refuse (error, where, _("required: %s"), hint) : TRUE;
  if (JSON_NODE_TYPE (node) != type)
    {
      if (type == JSON_NODE_ARRAY)
        return cc_ingress_refuse (error, where, _("must be a list"));
      return cc_ingress_refuse (error, where, _("must be an object"));
    }
  *out = node;
  return TRUE;
}

gboolean
cc_ingress_check_logical_name (const char *path,
                               const char *name,
                               GError    **error)
{
  g_autofree char *lower = NULL;

  if (cc_ingress_is_logical_name (name))
    return TRUE;
  lower = g_ascii_strdown (name, -1);
  if (cc_ingress_is_logical_name (lower))
    return cc_ingress_refuse (error, path,
                              _("“%s” is not a Dynamics 365 logical name; logical names are "
                                "lower case (“%s”)"),
                              name, lower);
  return cc_ingress_refuse (error, path,
                            _("“%s” is not a Dynamics 365 logical name (lower-case letters, "
                              "digits and “_”)"),
                            name);
}

gboolean
cc_ingress_is_campaign_name (const char *name)
{
  if (!g_ascii_isalpha (name[0]))
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

gboolean
cc_ingress_check_campaign_name (const char *path,
                                const char *name,
                                GError    **error)
{
  if (cc_ingress_is_campaign_name (name))
    return TRUE;
  return cc_ingress_refuse (error, path,
                            _("“%s” is not a Campaign field name (letters, digits and “_”, "
                              "e.g. “email”)"),
                            name);
}

/* "profileAndServicesExt/profile", "customResources/cusMembership". */
gboolean
cc_ingress_check_campaign_resource (const char *path,
                                    const char *resource,
                                    GError    **error)
{
  g_auto (GStrv) parts = g_strsplit (resource, "/", -1);

  if (g_strv_length (parts) != 2
      || !cc_ingress_is_campaign_name (parts[0])
      || !cc_ingress_is_campaign_name (parts[1]))
    return cc_ingress_refuse (error, path,
                              _("“%s” is not a Campaign resource (write it as "
                                "“profileAndServicesExt/profile” or “customResources/cusName”)"),
                              resource);
  return TRUE;
}

gboolean
cc_ingress_is_profile_resource (const char *resource)
{
  return g_str_has_prefix (resource, "profileAndServices")
         && g_str_has_suffix (resource, "/profile");
}
