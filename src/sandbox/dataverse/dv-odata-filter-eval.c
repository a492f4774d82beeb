/* dv-odata-filter-eval.c — evaluates a parsed $filter expression against
 * one row: comparisons (nulls only ever equal nulls, strings compared
 * case-insensitively), string functions, and the Boolean operators.
 */
#include "config.h"

#include <string.h>

#include "dv-odata-filter-private.h"

static gboolean
node_is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

static double
node_number (JsonNode *node)
{
  GType type = json_node_get_value_type (node);

  if (type == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  if (type == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  if (type == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node) ? 1 : 0;
  return 0;
}

static const char *
node_string (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return "";
}

int
dv_odata_compare_values (DvOdataType  type,
                         JsonNode    *a,
                         JsonNode    *b)
{
  gboolean a_null = node_is_null (a);
  gboolean b_null = node_is_null (b);

  if (a_null || b_null)
    return a_null == b_null ? 0 : a_null ? -1 : 1;
  if (!JSON_NODE_HOLDS_VALUE (a) || !JSON_NODE_HOLDS_VALUE (b))
    return 0;

  switch (type)
    {
    case DV_ODATA_TYPE_STRING:
    case DV_ODATA_TYPE_ENUM:
      {
        g_autofree char *fa = g_utf8_casefold (node_string (a), -1);
        g_autofree char *fb = g_utf8_casefold (node_string (b), -1);

        return strcmp (fa, fb);
      }
    case DV_ODATA_TYPE_NUMBER:
    case DV_ODATA_TYPE_BOOLEAN:
      {
        double x = node_number (a), y = node_number (b);

        return x < y ? -1 : x > y ? 1 : 0;
      }
    case DV_ODATA_TYPE_GUID:
      return g_ascii_strcasecmp (node_string (a), node_string (b));
    case DV_ODATA_TYPE_DATE:
    case DV_ODATA_TYPE_DATETIME:
      return strcmp (node_string (a), node_string (b));
    case DV_ODATA_TYPE_NULL:
    default:
      return 0;
    }
}

typedef struct
{
  DvOdataLookupFunc lookup;
  gconstpointer     row;
  gpointer          user_data;
} EvalContext;

static JsonNode *
operand_value (DvOdataNode        *node,
               EvalContext *ctx)
{
  if (node->kind == DV_ODATA_NODE_PROPERTY)
    return ctx->lookup (ctx->row, node->name, ctx->user_data);
  return node->value;
}

static gboolean eval (DvOdataNode *node, EvalContext *ctx);

static gboolean
eval_compare (DvOdataNode        *node,
              EvalContext *ctx)
{
  JsonNode *a = operand_value (node->left, ctx);
  JsonNode *b = operand_value (node->right, ctx);
  DvOdataType type = node->left->type != DV_ODATA_TYPE_NULL ? node->left->type : node->right->type;
  int cmp;

  /* Ordering against null is never true (SQL semantics); only eq/ne can
   * match a null. */
  if (node_is_null (a) || node_is_null (b))
    {
      gboolean both = node_is_null (a) && node_is_null (b);

      if (node->op == DV_ODATA_OP_EQ)
        return both;
      if (node->op == DV_ODATA_OP_NE)
        return !both;
      return FALSE;
    }

  if ((type == DV_ODATA_TYPE_STRING || type == DV_ODATA_TYPE_ENUM) && node->right->folded != NULL)
    {
      g_autofree char *fa = g_utf8_casefold (node_string (a), -1);

      cmp = strcmp (fa, node->right->folded);
    }
  else
    cmp = dv_odata_compare_values (type, a, b);

  switch (node->op)
    {
    case DV_ODATA_OP_EQ: return cmp == 0;
    case DV_ODATA_OP_NE: return cmp != 0;
    case DV_ODATA_OP_GT: return cmp > 0;
    case DV_ODATA_OP_GE: return cmp >= 0;
    case DV_ODATA_OP_LT: return cmp < 0;
    case DV_ODATA_OP_LE: return cmp <= 0;
    default: return FALSE;
    }
}

static gboolean
eval_function (DvOdataNode        *node,
               EvalContext *ctx)
{
  JsonNode *a = operand_value (node->left, ctx);
  JsonNode *b = operand_value (node->right, ctx);
  g_autofree char *fa = NULL;
  g_autofree char *fb = NULL;

  if (node_is_null (a) || node_is_null (b))
    return FALSE;
  fa = g_utf8_casefold (node_string (a), -1);
  fb = node->right->folded != NULL ? g_strdup (node->right->folded)
                                   : g_utf8_casefold (node_string (b), -1);
  switch (node->function)
    {
    case DV_ODATA_FN_CONTAINS: return strstr (fa, fb) != NULL;
    case DV_ODATA_FN_STARTSWITH: return g_str_has_prefix (fa, fb);
    case DV_ODATA_FN_ENDSWITH: return g_str_has_suffix (fa, fb);
    default: return FALSE;
    }
}

static gboolean
eval (DvOdataNode        *node,
      EvalContext *ctx)
{
  switch (node->kind)
    {
    case DV_ODATA_NODE_OR:
      return eval (node->left, ctx) || eval (node->right, ctx);
    case DV_ODATA_NODE_AND:
      return eval (node->left, ctx) && eval (node->right, ctx);
    case DV_ODATA_NODE_NOT:
      return !eval (node->left, ctx);
    case DV_ODATA_NODE_COMPARE:
      return eval_compare (node, ctx);
    case DV_ODATA_NODE_FUNCTION:
      return eval_function (node, ctx);
    case DV_ODATA_NODE_PROPERTY:
    case DV_ODATA_NODE_LITERAL:
      {
        JsonNode *value = operand_value (node, ctx);

        return !node_is_null (value) && JSON_NODE_HOLDS_VALUE (value)
               && json_node_get_value_type (value) == G_TYPE_BOOLEAN
               && json_node_get_boolean (value);
      }
    default:
      return FALSE;
    }
}

gboolean
dv_odata_filter_match (DvOdataFilter     *filter,
                       DvOdataLookupFunc  lookup,
                       gconstpointer      row,
                       gpointer           user_data)
{
  EvalContext ctx = { lookup, row, user_data };

  g_return_val_if_fail (filter != NULL, FALSE);

  return eval (filter->root, &ctx);
}
