/* cc-ingress-config-fields.c — what one field mapping and one filter
 * condition of the ingress configuration may say: transforms with their
 * parameters, replacements, comparisons with values of the right type.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cc-error.h"
#include "cc-ingress-config-private.h"

/* An immutable copy, safe to read from several reader threads at once. */
static JsonNode *
sealed_copy (JsonNode *node)
{
  JsonNode *copy = json_node_copy (node);

  json_node_seal (copy);
  return copy;
}

static void
transform_free (CcTransform *transform)
{
  g_free (transform->value);
  g_strfreev (transform->fields);
  g_free (transform->separator);
  g_free (transform->format);
  g_free (transform);
}

static void
replacement_free (CcReplacement *replacement)
{
  g_free (replacement->from);
  g_clear_pointer (&replacement->to, json_node_unref);
  g_free (replacement);
}

void
cc_field_mapping_free (CcFieldMapping *field)
{
  g_free (field->source);
  g_free (field->target);
  g_clear_pointer (&field->transforms, g_ptr_array_unref);
  g_clear_pointer (&field->replacements, g_ptr_array_unref);
  g_free (field);
}

void
cc_filter_condition_free (CcFilterCondition *condition)
{
  g_free (condition->field);
  g_clear_pointer (&condition->value, json_node_unref);
  g_free (condition);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcTransform, transform_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcReplacement, replacement_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcFieldMapping, cc_field_mapping_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcFilterCondition, cc_filter_condition_free)

/* The members a transform of @kind may have. */
static const char * const *
transform_members (CcTransformKind kind)
{
  static const char * const plain_members[] = { "op", NULL };
  static const char * const default_members[] = { "op", "value", NULL };
  static const char * const concat_members[] = { "op", "fields", "separator", NULL };
  static const char * const date_members[] = { "op", "format", NULL };

  switch (kind)
    {
    case CC_TRANSFORM_DEFAULT:
      return default_members;
    case CC_TRANSFORM_CONCAT:
      return concat_members;
    case CC_TRANSFORM_DATE_FORMAT:
      return date_members;
    case CC_TRANSFORM_TRIM:
    case CC_TRANSFORM_LOWER:
    case CC_TRANSFORM_UPPER:
    default:
      return plain_members;
    }
}

/* "concat": the fields joined, each a logical name, and the separator. */
static gboolean
parse_concat (JsonObject   *object,
              const char   *path,
              CcTransform  *transform,
              GError      **error)
{
  g_autofree char *fields_path = cc_json_check_member_path (path, "fields");
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *fields;
  JsonArray *array;

  if (!cc_json_check_container (object, path, "fields", JSON_NODE_ARRAY, TRUE,
                                _("the list of Dynamics 365 fields to join, "
                                  "e.g. [\"firstname\", \"lastname\"]"),
                                &fields, error))
    return FALSE;
  array = json_node_get_array (fields);
  if (json_array_get_length (array) == 0)
    return cc_json_check_refuse (error, fields_path, _("must name at least one field"));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      g_autofree char *item_path = cc_json_check_index_path (fields_path, i);

      if (!cc_json_check_node_holds (item, G_TYPE_STRING))
        return cc_json_check_refuse (error, item_path, _("must be a string"));
      if (!cc_json_check_logical_name (item_path, json_node_get_string (item), error))
        return FALSE;
      g_strv_builder_add (builder, json_node_get_string (item));
    }
  transform->fields = g_strv_builder_end (builder);
  if (!cc_json_check_string (object, path, "separator", "",
                             CC_JSON_CHECK_NULL_ABSENT | CC_JSON_CHECK_MAY_BE_EMPTY,
                             &transform->separator, error))
    return FALSE;
  return TRUE;
}

/* "date-format": a format that g_date_time_format() can use. */
static gboolean
parse_date_format (JsonObject   *object,
                   const char   *path,
                   CcTransform  *transform,
                   GError      **error)
{
  g_autofree char *format_path = cc_json_check_member_path (path, "format");
  g_autoptr (GDateTime) sample = g_date_time_new_utc (2026, 1, 2, 3, 4, 5);
  g_autofree char *formatted = NULL;

  if (!cc_json_check_required_string (object, path, "format",
                                      _("a date format such as “%Y-%m-%d”"),
                                      CC_JSON_CHECK_NONE, &transform->format, error))
    return FALSE;
  formatted = g_date_time_format (sample, transform->format);
  if (formatted == NULL)
    return cc_json_check_refuse (error, format_path,
                                 _("“%s” is not a date format (use %%Y, %%m, %%d, %%H, %%M, "
                                   "%%S …, e.g. “%%Y-%%m-%%d”)"),
                                 transform->format);
  return TRUE;
}

static gboolean
parse_transform (JsonNode     *node,
                 const char   *path,
                 CcTransform **out,
                 GError      **error)
{
  g_autoptr (CcTransform) transform = g_new0 (CcTransform, 1);
  g_autofree char *op = NULL;
  g_autofree char *op_path = cc_json_check_member_path (path, "op");
  JsonObject *object;
  gboolean ok = TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return cc_json_check_refuse (error, path, _("must be an object such as {\"op\": \"trim\"}"));
  object = json_node_get_object (node);
  if (!cc_json_check_required_string (object, path, "op",
                                      _("one of trim, lower, upper, default, concat, date-format"),
                                      CC_JSON_CHECK_NONE, &op, error))
    return FALSE;
  if (!cc_transform_kind_parse (op, &transform->kind))
    return cc_json_check_refuse (error, op_path,
                                 _("unknown transform “%s” (use trim, lower, upper, default, "
                                   "concat, date-format)"),
                                 op);
  if (!cc_json_check_members (object, path, transform_members (transform->kind), error))
    return FALSE;

  if (transform->kind == CC_TRANSFORM_DEFAULT)
    ok = cc_json_check_required_string (object, path, "value",
                                        _("the text written when the value is empty"),
                                        CC_JSON_CHECK_MAY_BE_EMPTY, &transform->value, error);
  else if (transform->kind == CC_TRANSFORM_CONCAT)
    ok = parse_concat (object, path, transform, error);
  else if (transform->kind == CC_TRANSFORM_DATE_FORMAT)
    ok = parse_date_format (object, path, transform, error);
  if (!ok)
    return FALSE;

  *out = g_steal_pointer (&transform);
  return TRUE;
}

static gboolean
parse_replacement (JsonNode       *node,
                   const char     *path,
                   CcReplacement **out,
                   GError        **error)
{
  static const char * const members[] = { "from", "to", NULL };
  g_autoptr (CcReplacement) replacement = g_new0 (CcReplacement, 1);
  g_autofree char *from_path = cc_json_check_member_path (path, "from");
  g_autofree char *to_path = cc_json_check_member_path (path, "to");
  JsonObject *object;
  JsonNode *from;
  JsonNode *to;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return cc_json_check_refuse (error, path,
                                 _("must be an object such as {\"from\": \"1\", \"to\": \"bronze\"}"));
  object = json_node_get_object (node);
  if (!cc_json_check_members (object, path, members, error))
    return FALSE;

  from = json_object_get_member (object, "from");
  if (from == NULL)
    return cc_json_check_refuse (error, from_path,
                                 _("required: the Dynamics 365 value to replace, as a string"));
  if (!cc_json_check_node_holds (from, G_TYPE_STRING))
    return cc_json_check_refuse (error, from_path,
                                 _("must be a string: values are compared as written, "
                                   "e.g. “1”, “true” or “Gold”"));
  replacement->from = g_strdup (json_node_get_string (from));

  to = json_object_get_member (object, "to");
  if (to == NULL)
    return cc_json_check_refuse (error, to_path, _("required: the value Campaign receives instead"));
  if (!cc_json_check_node_is_scalar (to) && !JSON_NODE_HOLDS_NULL (to))
    return cc_json_check_refuse (error, to_path, _("must be a string, a number, true, false or null"));
  replacement->to = sealed_copy (to);

  *out = g_steal_pointer (&replacement);
  return TRUE;
}

/* The field's transforms, in order. */
static gboolean
parse_transforms (JsonObject      *object,
                  const char      *path,
                  CcFieldMapping  *field,
                  GError         **error)
{
  g_autofree char *transforms_path = cc_json_check_member_path (path, "transforms");
  JsonNode *list;
  JsonArray *array;

  field->transforms = g_ptr_array_new_with_free_func ((GDestroyNotify) transform_free);
  if (!cc_json_check_container (object, path, "transforms", JSON_NODE_ARRAY, FALSE, NULL,
                                &list, error))
    return FALSE;
  array = list ? json_node_get_array (list) : NULL;
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      g_autofree char *item_path = cc_json_check_index_path (transforms_path, i);
      CcTransform *transform = NULL;

      if (!parse_transform (json_array_get_element (array, i), item_path, &transform, error))
        return FALSE;
      g_ptr_array_add (field->transforms, transform);
    }
  return TRUE;
}

/* The field's replacements; the first match wins, so a repeated "from"
 * could never apply and is refused. */
static gboolean
parse_replacements (JsonObject      *object,
                    const char      *path,
                    CcFieldMapping  *field,
                    GError         **error)
{
  g_autofree char *replacements_path = cc_json_check_member_path (path, "replacements");
  JsonNode *list;
  JsonArray *array;

  field->replacements = g_ptr_array_new_with_free_func ((GDestroyNotify) replacement_free);
  if (!cc_json_check_container (object, path, "replacements", JSON_NODE_ARRAY, FALSE, NULL,
                                &list, error))
    return FALSE;
  array = list ? json_node_get_array (list) : NULL;
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      g_autofree char *item_path = cc_json_check_index_path (replacements_path, i);
      g_autoptr (CcReplacement) replacement = NULL;

      if (!parse_replacement (json_array_get_element (array, i), item_path, &replacement, error))
        return FALSE;
      for (guint j = 0; j < field->replacements->len; j++)
        {
          CcReplacement *earlier = g_ptr_array_index (field->replacements, j);
          g_autofree char *from_path = NULL;

          if (strcmp (earlier->from, replacement->from) != 0)
            continue;
          from_path = cc_json_check_member_path (item_path, "from");
          return cc_json_check_refuse (error, from_path, _("“%s” is already replaced by %s[%u]"),
                                       earlier->from, replacements_path, j);
        }
      g_ptr_array_add (field->replacements, g_steal_pointer (&replacement));
    }
  return TRUE;
}

gboolean
cc_ingress_parse_field (JsonNode        *node,
                        const char      *path,
                        CcFieldMapping **out,
                        GError         **error)
{
  static const char * const members[] = {
    "source", "target", "apply-updates", "transforms", "replacements", NULL
  };
  g_autoptr (CcFieldMapping) field = g_new0 (CcFieldMapping, 1);
  g_autofree char *source_path = cc_json_check_member_path (path, "source");
  g_autofree char *target_path = cc_json_check_member_path (path, "target");
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return cc_json_check_refuse (error, path,
                                 _("must be an object such as "
                                   "{\"source\": \"firstname\", \"target\": \"firstName\"}"));
  object = json_node_get_object (node);
  if (!cc_json_check_members (object, path, members, error))
    return FALSE;

  if (!cc_json_check_required_string (object, path, "source",
                                      _("the Dynamics 365 field to read, e.g. “firstname”"),
                                      CC_JSON_CHECK_NONE, &field->source, error)
      || !cc_json_check_logical_name (source_path, field->source, error))
    return FALSE;
  if (!cc_json_check_required_string (object, path, "target",
                                      _("the Campaign field to write, e.g. “firstName”"),
                                      CC_JSON_CHECK_NONE, &field->target, error)
      || !cc_ingress_check_campaign_name (target_path, field->target, error))
    return FALSE;
  if (!cc_json_check_boolean (object, path, "apply-updates", TRUE, &field->apply_updates, error)
      || !parse_transforms (object, path, field, error)
      || !parse_replacements (object, path, field, error))
    return FALSE;

  *out = g_steal_pointer (&field);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Filter conditions                                                   */

/* The value comparison @op (@kind) takes: none for the null tests, a
 * string for the text tests, a number, date or string for the ordering
 * ones, and any scalar but null for (in)equality. */
static gboolean
check_condition_value (CcFilterOp    kind,
                       const char   *op,
                       JsonNode     *value,
                       const char   *value_path,
                       GError      **error)
{
  switch (kind)
    {
    case CC_FILTER_IS_NULL:
    case CC_FILTER_IS_NOT_NULL:
      if (value != NULL)
        return cc_json_check_refuse (error, value_path, _("%s takes no value"), op);
      return TRUE;

    case CC_FILTER_CONTAINS:
    case CC_FILTER_STARTS_WITH:
    case CC_FILTER_ENDS_WITH:
      if (value == NULL || !cc_json_check_node_holds (value, G_TYPE_STRING))
        return cc_json_check_refuse (error, value_path, _("%s needs a string value"), op);
      return TRUE;

    case CC_FILTER_GT:
    case CC_FILTER_GE:
    case CC_FILTER_LT:
    case CC_FILTER_LE:
      if (value == NULL
          || !(cc_json_check_node_holds (value, G_TYPE_STRING)
               || cc_json_check_node_holds (value, G_TYPE_INT64)
               || cc_json_check_node_holds (value, G_TYPE_DOUBLE)))
        return cc_json_check_refuse (error, value_path,
                                     _("%s needs a number, a date or a string"), op);
      return TRUE;

    case CC_FILTER_EQ:
    case CC_FILTER_NE:
    default:
      if (value != NULL && JSON_NODE_HOLDS_NULL (value))
        return cc_json_check_refuse (error, value_path,
                                     _("cannot be null (test for an empty value with is-null "
                                       "or is-not-null)"));
      if (value == NULL || !cc_json_check_node_is_scalar (value))
        return cc_json_check_refuse (error, value_path,
                                     _("%s needs a string, a number, true or false"), op);
      return TRUE;
    }
}

gboolean
cc_ingress_parse_condition (JsonNode           *node,
                            const char         *path,
                            CcFilterCondition **out,
                            GError            **error)
{
  static const char * const members[] = { "field", "op", "value", NULL };
  g_autoptr (CcFilterCondition) condition = g_new0 (CcFilterCondition, 1);
  g_autofree char *field_path = cc_json_check_member_path (path, "field");
  g_autofree char *op_path = cc_json_check_member_path (path, "op");
  g_autofree char *value_path = cc_json_check_member_path (path, "value");
  g_autofree char *op = NULL;
  JsonObject *object;
  JsonNode *value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return cc_json_check_refuse (error, path,
                                 _("must be an object such as "
                                   "{\"field\": \"statecode\", \"op\": \"eq\", \"value\": 0}"));
  object = json_node_get_object (node);
  if (!cc_json_check_members (object, path, members, error))
    return FALSE;

  if (!cc_json_check_required_string (object, path, "field",
                                      _("the Dynamics 365 field to test, e.g. “statecode”"),
                                      CC_JSON_CHECK_NONE, &condition->field, error)
      || !cc_json_check_logical_name (field_path, condition->field, error))
    return FALSE;
  if (!cc_json_check_required_string (object, path, "op",
                                      _("a comparison: eq, ne, gt, ge, lt, le, contains, starts-with, "
                                        "ends-with, is-null, is-not-null"),
                                      CC_JSON_CHECK_NONE, &op, error))
    return FALSE;
  if (!cc_filter_op_parse (op, &condition->op))
    return cc_json_check_refuse (error, op_path,
                                 _("unknown comparison “%s” (use eq, ne, gt, ge, lt, le, contains, "
                                   "starts-with, ends-with, is-null, is-not-null)"),
                                 op);

  value = json_object_get_member (object, "value");
  if (!check_condition_value (condition->op, op, value, value_path, error))
    return FALSE;
  if (value != NULL)
    condition->value = sealed_copy (value);

  *out = g_steal_pointer (&condition);
  return TRUE;
}
