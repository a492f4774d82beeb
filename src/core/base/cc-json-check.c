/* cc-json-check.c — strict readers for workflow configuration members.
 *
 * Each reader knows the path of what it reads, so a refusal points at
 * the exact member; absent members take their default and a value of the
 * wrong type is refused rather than coerced.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cc-error.h"
#include "cc-json-check.h"

gboolean
cc_json_check_refuse (GError     **error,
                      const char  *path,
                      const char  *format,
                      ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  if (path == NULL || *path == '\0')
    g_set_error_literal (error, CC_ERROR, CC_ERROR_INVALID_CONFIG, what);
  else
    g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG, "%s: %s", path, what);
  return FALSE;
}

char *
cc_json_check_member_path (const char *parent,
                           const char *member)
{
  if (parent == NULL || *parent == '\0')
    return g_strdup (member);
  return g_strconcat (parent, ".", member, NULL);
}

char *
cc_json_check_index_path (const char *parent,
                          guint       index)
{
  return g_strdup_printf ("%s[%u]", parent ? parent : "", index);
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

static gboolean
refuse_unknown (const char          *path,
                const char          *name,
                const char * const  *allowed,
                GError             **error)
{
  g_autofree char *where = cc_json_check_member_path (path, name);
  g_autofree char *loose = loose_spelling (name);
  g_autofree char *known = NULL;

  for (guint i = 0; allowed[i] != NULL; i++)
    {
      g_autofree char *candidate = loose_spelling (allowed[i]);

      if (strcmp (candidate, loose) == 0)
        return cc_json_check_refuse (error, where, _("unknown member (did you mean “%s”?)"),
                                     allowed[i]);
    }
  known = g_strjoinv (", ", (char **) allowed);
  return cc_json_check_refuse (error, where, _("unknown member (known here: %s)"), known);
}

gboolean
cc_json_check_members (JsonObject          *object,
                       const char          *path,
                       const char * const  *allowed,
                       GError             **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    if (!g_strv_contains (allowed, name))
      return refuse_unknown (path, name, allowed, error);
  return TRUE;
}

gboolean
cc_json_check_object (JsonNode            *node,
                      const char          *path,
                      const char * const  *allowed,
                      JsonObject         **out,
                      GError             **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return cc_json_check_refuse (error, path,
                                 path && *path ? _("must be an object")
                                               : _("The configuration must be a JSON object"));
  if (!cc_json_check_members (json_node_get_object (node), path, allowed, error))
    return FALSE;
  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
cc_json_check_node_holds (JsonNode *node,
                          GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

gboolean
cc_json_check_node_is_scalar (JsonNode *node)
{
  return cc_json_check_node_holds (node, G_TYPE_STRING)
         || cc_json_check_node_holds (node, G_TYPE_INT64)
         || cc_json_check_node_holds (node, G_TYPE_DOUBLE)
         || cc_json_check_node_holds (node, G_TYPE_BOOLEAN);
}

/* The string @node (not NULL) at @path. */
static gboolean
check_string_value (JsonNode          *node,
                    const char        *path,
                    CcJsonCheckFlags   flags,
                    char             **out,
                    GError           **error)
{
  const char *value;

  if (!cc_json_check_node_holds (node, G_TYPE_STRING))
    return cc_json_check_refuse (error, path, _("must be a string"));
  value = json_node_get_string (node);
  if (!(flags & CC_JSON_CHECK_MAY_BE_EMPTY) && *value == '\0')
    return cc_json_check_refuse (error, path, _("must not be empty"));
  if (strlen (value) > CC_JSON_MAX_TEXT)
    return cc_json_check_refuse (error, path, _("is longer than %u characters"),
                                 CC_JSON_MAX_TEXT);
  *out = g_strdup (value);
  return TRUE;
}

gboolean
cc_json_check_string (JsonObject        *object,
                      const char        *parent,
                      const char        *name,
                      const char        *fallback,
                      CcJsonCheckFlags   flags,
                      char             **out,
                      GError           **error)
{
  g_autofree char *path = cc_json_check_member_path (parent, name);
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (node == NULL || ((flags & CC_JSON_CHECK_NULL_ABSENT) && JSON_NODE_HOLDS_NULL (node)))
    {
      *out = g_strdup (fallback);
      return TRUE;
    }
  return check_string_value (node, path, flags, out, error);
}

gboolean
cc_json_check_strings (JsonObject          *object,
                       const char          *name,
                       const char * const  *names,
                       const char * const  *defaults,
                       CcJsonCheckFlags     flags,
                       char               **out,
                       GError             **error)
{
  JsonNode *node = json_object_get_member (object, name);
  JsonObject *members = NULL;

  if (node != NULL && !cc_json_check_object (node, name, names, &members, error))
    return FALSE;
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (members == NULL)
        out[i] = g_strdup (defaults[i]);
      else if (!cc_json_check_string (members, name, names[i], defaults[i], flags, &out[i], error))
        return FALSE;
    }
  return TRUE;
}

gboolean
cc_json_check_required_string (JsonObject        *object,
                               const char        *parent,
                               const char        *name,
                               const char        *hint,
                               CcJsonCheckFlags   flags,
                               char             **out,
                               GError           **error)
{
  g_autofree char *path = cc_json_check_member_path (parent, name);
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (node == NULL && hint != NULL)
    return cc_json_check_refuse (error, path, _("required: %s"), hint);
  if (node == NULL)
    return cc_json_check_refuse (error, path, _("required"));
  return check_string_value (node, path, flags, out, error);
}

gboolean
cc_json_check_boolean (JsonObject  *object,
                       const char  *parent,
                       const char  *name,
                       gboolean     fallback,
                       gboolean    *out,
                       GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (!cc_json_check_node_holds (node, G_TYPE_BOOLEAN))
    {
      g_autofree char *path = cc_json_check_member_path (parent, name);

      return cc_json_check_refuse (error, path, _("must be true or false"));
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
cc_json_check_uint (JsonObject  *object,
                    const char  *parent,
                    const char  *name,
                    guint        min,
                    guint        max,
                    guint        fallback,
                    guint       *out,
                    GError     **error)
{
  g_autofree char *path = cc_json_check_member_path (parent, name);
  JsonNode *node = json_object_get_member (object, name);
  gint64 value;

  if (node == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  /* json-glib reads 5 as gint64 and 5.0 as double: only the former is a
   * whole number as people write one. */
  if (!cc_json_check_node_holds (node, G_TYPE_INT64))
    return cc_json_check_refuse (error, path, _("must be a whole number from %u to %u"), min, max);
  value = json_node_get_int (node);
  if (value < (gint64) min || value > (gint64) max)
    {
      /* Formatted apart: xgettext cuts a msgid at G_GINT64_FORMAT. */
      g_autofree char *written = g_strdup_printf ("%" G_GINT64_FORMAT, value);

      return cc_json_check_refuse (error, path, _("%s is out of range (%u to %u)"),
                                   written, min, max);
    }
  *out = (guint) value;
  return TRUE;
}

gboolean
cc_json_check_choice (JsonObject          *object,
                      const char          *parent,
                      const char          *name,
                      const char * const  *words,
                      guint                fallback,
                      guint               *out,
                      GError             **error)
{
  g_autofree char *value = NULL;
  g_autofree char *path = NULL;
  g_autofree char *known = NULL;

  if (!cc_json_check_string (object, parent, name, words[fallback], CC_JSON_CHECK_NONE,
                             &value, error))
    return FALSE;
  for (guint i = 0; words[i] != NULL; i++)
    if (g_str_equal (value, words[i]))
      {
        *out = i;
        return TRUE;
      }
  path = cc_json_check_member_path (parent, name);
  known = g_strjoinv (", ", (char **) words);
  return cc_json_check_refuse (error, path, _("“%s” is not one of %s"), value, known);
}

gboolean
cc_json_check_container (JsonObject    *object,
                         const char    *parent,
                         const char    *name,
                         JsonNodeType   type,
                         gboolean       required,
                         const char    *hint,
                         JsonNode     **out,
                         GError       **error)
{
  g_autofree char *path = cc_json_check_member_path (parent, name);
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (node == NULL)
    return required ? cc_json_check_refuse (error, path, _("required: %s"), hint) : TRUE;
  if (JSON_NODE_TYPE (node) != type)
    return cc_json_check_refuse (error, path, type == JSON_NODE_ARRAY ? _("must be a list")
                                                                      : _("must be an object"));
  *out = node;
  return TRUE;
}

static gboolean
is_logical_name (const char *name)
{
  if (name == NULL || !(g_ascii_islower (name[0]) || name[0] == '_'))
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_'))
      return FALSE;
  return TRUE;
}

gboolean
cc_json_check_name_length (const char  *path,
                           const char  *name,
                           GError     **error)
{
  g_autofree char *shown = NULL;

  if (name == NULL || strlen (name) <= CC_JSON_MAX_NAME)
    return TRUE;
  shown = cc_error_quote (name, 40);
  return cc_json_check_refuse (error, path,
                               _("“%s” is longer than %u characters, more than any name in "
                                 "Dynamics 365 or Campaign"),
                               shown, CC_JSON_MAX_NAME);
}

gboolean
cc_json_check_logical_name (const char  *path,
                            const char  *name,
                            GError     **error)
{
  g_autofree char *lower = NULL;

  if (!cc_json_check_name_length (path, name, error))
    return FALSE;
  if (is_logical_name (name))
    return TRUE;
  lower = name ? g_ascii_strdown (name, -1) : NULL;
  if (is_logical_name (lower))
    return cc_json_check_refuse (error, path,
                                 _("“%s” is not a Dynamics 365 logical name; logical names are "
                                   "lower case (“%s”)"),
                                 name, lower);
  return cc_json_check_refuse (error, path,
                               _("“%s” is not a Dynamics 365 logical name (lower-case letters, "
                                 "digits and “_”, e.g. “new_emailsend”)"),
                               name ? name : "");
}
