/* cc-odata-filter.c — a recursive-descent parser and evaluator for OData
 * $filter expressions.
 *
 * Grammar (lowest precedence first):
 *   or      := and ( "or" and )*
 *   and     := unary ( "and" unary )*
 *   unary   := "not" unary | compare
 *   compare := operand ( ("eq"|"ne"|"gt"|"ge"|"lt"|"le") operand )?
 *   operand := "(" or ")" | function "(" operand "," operand ")"
 *            | literal | property
 * Types are checked while parsing, so a row never meets a type error.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cc-odata-filter.h"

G_DEFINE_QUARK (cc-odata-filter-error-quark, cc_odata_filter_error)

typedef enum
{
  TOK_END,
  TOK_LPAREN,
  TOK_RPAREN,
  TOK_COMMA,
  TOK_STRING,
  TOK_NUMBER,
  TOK_GUID,
  TOK_DATE,
  TOK_DATETIME,
  TOK_IDENT,
} TokenKind;

typedef struct
{
  TokenKind kind;
  guint     pos;
  char     *text;   /* decoded value (strings unescaped, GUIDs lower-cased) */
} Token;

typedef enum
{
  NODE_OR,
  NODE_AND,
  NODE_NOT,
  NODE_COMPARE,
  NODE_FUNCTION,
  NODE_PROPERTY,
  NODE_LITERAL,
} NodeKind;

typedef enum { OP_EQ, OP_NE, OP_GT, OP_GE, OP_LT, OP_LE } CompareOp;
typedef enum { FN_CONTAINS, FN_STARTSWITH, FN_ENDSWITH } FunctionKind;

typedef struct _Node Node;
struct _Node
{
  NodeKind     kind;
  CcOdataType  type;      /* value type of a property or literal */
  CompareOp    op;
  FunctionKind function;
  char        *name;      /* property name */
  JsonNode    *value;     /* literal value (NULL for null) */
  char        *folded;    /* casefolded string literal, for fast compares */
  Node        *left;
  Node        *right;
};

struct _CcOdataFilter
{
  Node *root;
};

typedef struct
{
  const char         *text;
  const char         *type_name;
  guint               pos;
  Token               tok;
  CcOdataResolveFunc  resolve;
  gpointer            user_data;
  GError            **error;
} Parser;

static void
node_free (Node *node)
{
  if (node == NULL)
    return;
  node_free (node->left);
  node_free (node->right);
  g_free (node->name);
  g_free (node->folded);
  if (node->value != NULL)
    json_node_unref (node->value);
  g_free (node);
}

static Node *
node_new (NodeKind kind)
{
  Node *node = g_new0 (Node, 1);

  node->kind = kind;
  return node;
}

static gboolean
set_syntax_error (Parser     *p,
                  guint       pos,
                  const char *what)
{
  if (*p->error == NULL)
    g_set_error (p->error, CC_ODATA_FILTER_ERROR, CC_ODATA_FILTER_ERROR_SYNTAX,
                 "Syntax error at position %u in '%s': %s.", pos, p->text, what);
  return FALSE;
}

static gboolean
is_ident_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '.';
}

static gboolean
match_digits (const char *s,
              guint       n)
{
  for (guint i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static gboolean
match_hex (const char *s,
           guint       n)
{
  for (guint i = 0; i < n; i++)
    if (!g_ascii_isxdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* Length of a GUID at @s (8-4-4-4-12), or 0. */
static guint
scan_guid (const char *s)
{
  static const guint groups[] = { 8, 4, 4, 4, 12 };
  const char *q = s;

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      if (strnlen (q, groups[g]) < groups[g] || !match_hex (q, groups[g]))
        return 0;
      q += groups[g];
      if (g < G_N_ELEMENTS (groups) - 1)
        {
          if (*q != '-')
            return 0;
          q++;
        }
    }
  return is_ident_char (*q) ? 0 : (guint) (q - s);
}

/* Length of a date (yyyy-mm-dd) at @s, or 0. */
static guint
scan_date (const char *s)
{
  if (strnlen (s, 10) < 10 || !match_digits (s, 4) || s[4] != '-'
      || !match_digits (s + 5, 2) || s[7] != '-' || !match_digits (s + 8, 2))
    return 0;
  return 10;
}

/* Length of a date-time (yyyy-mm-ddThh:mm[:ss[.fff]](Z|±hh:mm)) at @s, or 0. */
static guint
scan_datetime (const char *s)
{
  const char *q = s + 10;

  if (scan_date (s) == 0 || *q != 'T')
    return 0;
  q++;
  if (!match_digits (q, 2) || q[2] != ':' || !match_digits (q + 3, 2))
    return 0;
  q += 5;
  if (*q == ':')
    {
      if (!match_digits (q + 1, 2))
        return 0;
      q += 3;
      if (*q == '.')
        {
          q++;
          while (g_ascii_isdigit (*q))
            q++;
        }
    }
  if (*q == 'Z')
    q++;
  else if ((*q == '+' || *q == '-') && match_digits (q + 1, 2) && q[3] == ':' && match_digits (q + 4, 2))
    q += 6;
  else
    return 0;
  return (guint) (q - s);
}

static char *
normalize_datetime (const char *text)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);
  g_autoptr(GDateTime) utc = NULL;

  if (dt == NULL)
    return NULL;
  utc = g_date_time_to_utc (dt);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static gboolean
next_token (Parser *p)
{
  const char *s;
  guint len;

  g_clear_pointer (&p->tok.text, g_free);
  while (p->text[p->pos] == ' ' || p->text[p->pos] == '\t')
    p->pos++;
  s = p->text + p->pos;
  p->tok.pos = p->pos;

  if (*s == '\0')
    {
      p->tok.kind = TOK_END;
      return TRUE;
    }
  if (*s == '(' || *s == ')' || *s == ',')
    {
      p->tok.kind = *s == '(' ? TOK_LPAREN : *s == ')' ? TOK_RPAREN : TOK_COMMA;
      p->pos++;
      return TRUE;
    }
  if (*s == '\'')
    {
      GString *str = g_string_new (NULL);
      guint i = 1;

      for (;;)
        {
          if (s[i] == '\0')
            {
              g_string_free (str, TRUE);
              return set_syntax_error (p, p->pos, "unterminated string literal");
            }
          if (s[i] == '\'')
            {
              if (s[i + 1] == '\'')
                {
                  g_string_append_c (str, '\'');
                  i += 2;
                  continue;
                }
              i++;
              break;
            }
          g_string_append_c (str, s[i++]);
        }
      p->tok.kind = TOK_STRING;
      p->tok.text = g_string_free (str, FALSE);
      p->pos += i;
      return TRUE;
    }
  if ((len = scan_guid (s)) > 0)
    {
      p->tok.kind = TOK_GUID;
      p->tok.text = g_ascii_strdown (s, len);
      p->pos += len;
      return TRUE;
    }
  if ((len = scan_datetime (s)) > 0)
    {
      g_autofree char *raw = g_strndup (s, len);

      p->tok.text = normalize_datetime (raw);
      if (p->tok.text == NULL)
        return set_syntax_error (p, p->pos, "invalid date-time literal");
      p->tok.kind = TOK_DATETIME;
      p->pos += len;
      return TRUE;
    }
  if ((len = scan_date (s)) > 0 && !is_ident_char (s[len]))
    {
      if (!g_date_valid_dmy (atoi (s + 8), atoi (s + 5), atoi (s)))
        return set_syntax_error (p, p->pos, "invalid date literal");
      p->tok.kind = TOK_DATE;
      p->tok.text = g_strndup (s, len);
      p->pos += len;
      return TRUE;
    }
  if (g_ascii_isdigit (*s) || (*s == '-' && g_ascii_isdigit (s[1])))
    {
      char *end = NULL;

      g_ascii_strtod (s, &end);
      if (end == s || is_ident_char (*end))
        return set_syntax_error (p, p->pos, "invalid number");
      len = (guint) (end - s);
      p->tok.kind = TOK_NUMBER;
      p->tok.text = g_strndup (s, len);
      p->pos += len;
      return TRUE;
    }
  if (g_ascii_isalpha (*s) || *s == '_')
    {
      len = 0;
      while (is_ident_char (s[len]))
        len++;
      p->tok.kind = TOK_IDENT;
      p->tok.text = g_strndup (s, len);
      p->pos += len;
      return TRUE;
    }
  return set_syntax_error (p, p->pos, "unexpected character");
}

static gboolean
tok_is (Parser     *p,
        const char *word)
{
  return p->tok.kind == TOK_IDENT && g_strcmp0 (p->tok.text, word) == 0;
}

static const char *
edm_name (CcOdataType type)
{
  switch (type)
    {
    case CC_ODATA_TYPE_STRING: return "Edm.String";
    case CC_ODATA_TYPE_NUMBER: return "Edm.Int32";
    case CC_ODATA_TYPE_BOOLEAN: return "Edm.Boolean";
    case CC_ODATA_TYPE_GUID: return "Edm.Guid";
    case CC_ODATA_TYPE_DATE: return "Edm.Date";
    case CC_ODATA_TYPE_DATETIME: return "Edm.DateTimeOffset";
    case CC_ODATA_TYPE_NULL:
    default: return "null";
    }
}

static Node *parse_or (Parser *p);

static Node *
literal_node (CcOdataType  type,
              JsonNode    *value)
{
  Node *node = node_new (NODE_LITERAL);

  node->type = type;
  node->value = value;
  if (type == CC_ODATA_TYPE_STRING)
    node->folded = g_utf8_casefold (json_node_get_string (value), -1);
  return node;
}

static Node *
parse_function (Parser       *p,
                FunctionKind  kind,
                guint         pos)
{
  Node *node = node_new (NODE_FUNCTION);

  node->function = kind;
  node->type = CC_ODATA_TYPE_BOOLEAN;
  if (!next_token (p) || p->tok.kind != TOK_LPAREN)
    goto syntax;
  if (!next_token (p) || (node->left = parse_or (p)) == NULL)
    goto fail;
  if (p->tok.kind != TOK_COMMA)
    goto syntax;
  if (!next_token (p) || (node->right = parse_or (p)) == NULL)
    goto fail;
  if (p->tok.kind != TOK_RPAREN)
    goto syntax;
  if (!next_token (p))
    goto fail;

  for (Node *arg = node->left; arg != NULL; arg = arg == node->left ? node->right : NULL)
    if (arg->type != CC_ODATA_TYPE_STRING && arg->type != CC_ODATA_TYPE_NULL)
      {
        g_set_error (p->error, CC_ODATA_FILTER_ERROR, CC_ODATA_FILTER_ERROR_TYPE,
                     "The function at position %u takes string arguments, not '%s'.",
                     pos, edm_name (arg->type));
        goto fail;
      }
  return node;

syntax:
  set_syntax_error (p, p->tok.pos, "expected a function call like contains(property,'text')");
fail:
  node_free (node);
  return NULL;
}

static Node *
parse_operand (Parser *p)
{
  Node *node = NULL;
  guint pos = p->tok.pos;

  switch (p->tok.kind)
    {
    case TOK_LPAREN:
      if (!next_token (p) || (node = parse_or (p)) == NULL)
        return NULL;
      if (p->tok.kind != TOK_RPAREN)
        {
          node_free (node);
          set_syntax_error (p, p->tok.pos, "')' expected");
          return NULL;
        }
      break;

    case TOK_STRING:
      node = literal_node (CC_ODATA_TYPE_STRING, json_node_init_string (json_node_alloc (), p->tok.text));
      break;

    case TOK_NUMBER:
      node = literal_node (CC_ODATA_TYPE_NUMBER,
                           json_node_init_double (json_node_alloc (), g_ascii_strtod (p->tok.text, NULL)));
      break;

    case TOK_GUID:
      node = literal_node (CC_ODATA_TYPE_GUID, json_node_init_string (json_node_alloc (), p->tok.text));
      break;

    case TOK_DATE:
      node = literal_node (CC_ODATA_TYPE_DATE, json_node_init_string (json_node_alloc (), p->tok.text));
      break;

    case TOK_DATETIME:
      node = literal_node (CC_ODATA_TYPE_DATETIME, json_node_init_string (json_node_alloc (), p->tok.text));
      break;

    case TOK_IDENT:
      if (tok_is (p, "true") || tok_is (p, "false"))
        node = literal_node (CC_ODATA_TYPE_BOOLEAN,
                             json_node_init_boolean (json_node_alloc (), tok_is (p, "true")));
      else if (tok_is (p, "null"))
        node = literal_node (CC_ODATA_TYPE_NULL, NULL);
      else if (tok_is (p, "contains"))
        return parse_function (p, FN_CONTAINS, pos);
      else if (tok_is (p, "startswith"))
        return parse_function (p, FN_STARTSWITH, pos);
      else if (tok_is (p, "endswith"))
        return parse_function (p, FN_ENDSWITH, pos);
      else if (strchr (p->tok.text, '.') != NULL)
        {
          g_set_error (p->error, CC_ODATA_FILTER_ERROR, CC_ODATA_FILTER_ERROR_SYNTAX,
                       "Syntax error at position %u in '%s': the function '%s' is not supported.",
                       pos, p->text, p->tok.text);
          return NULL;
        }
      else
        {
          CcOdataType type = CC_ODATA_TYPE_NULL;

          if (!p->resolve (p->tok.text, &type, p->user_data))
            {
              g_set_error (p->error, CC_ODATA_FILTER_ERROR, CC_ODATA_FILTER_ERROR_UNKNOWN_PROPERTY,
                           "Could not find a property named '%s' on type '%s'.",
                           p->tok.text, p->type_name);
              return NULL;
            }
          node = node_new (NODE_PROPERTY);
          node->name = g_strdup (p->tok.text);
          node->type = type;
        }
      break;

    case TOK_END:
      set_syntax_error (p, pos, "the expression ends too early");
      return NULL;

    case TOK_RPAREN:
    case TOK_COMMA:
    default:
      set_syntax_error (p, pos, "an operand was expected");
      return NULL;
    }

  if (!next_token (p))
    {
      node_free (node);
      return NULL;
    }
  return node;
}

static gboolean
types_compatible (CcOdataType a,
                  CcOdataType b)
{
  if (a == b || a == CC_ODATA_TYPE_NULL || b == CC_ODATA_TYPE_NULL)
    return TRUE;
  return (a == CC_ODATA_TYPE_DATE || a == CC_ODATA_TYPE_DATETIME)
         && (b == CC_ODATA_TYPE_DATE || b == CC_ODATA_TYPE_DATETIME);
}

/* Brings a date literal compared with a date-time (or the reverse) to the
 * other side's form, so that evaluation compares like with like. */
static void
promote_literal (Node        *literal,
                 CcOdataType  target)
{
  const char *text;
  char *converted;

  if (literal->kind != NODE_LITERAL || literal->type == target
      || literal->type == CC_ODATA_TYPE_NULL)
    return;
  text = json_node_get_string (literal->value);
  if (target == CC_ODATA_TYPE_DATETIME && literal->type == CC_ODATA_TYPE_DATE)
    converted = g_strconcat (text, "T00:00:00Z", NULL);
  else if (target == CC_ODATA_TYPE_DATE && literal->type == CC_ODATA_TYPE_DATETIME)
    converted = g_strndup (text, 10);
  else
    return;
  json_node_set_string (literal->value, converted);
  literal->type = target;
  g_free (converted);
}

static const char *
op_kind_name (CompareOp op)
{
  static const char *names[] = { "Equal", "NotEqual", "GreaterThan", "GreaterThanOrEqual",
                                 "LessThan", "LessThanOrEqual" };
  return names[op];
}

static Node *
parse_compare (Parser *p)
{
  static const char *ops[] = { "eq", "ne", "gt", "ge", "lt", "le" };
  Node *left = parse_operand (p);
  Node *node;
  guint i;

  if (left == NULL)
    return NULL;
  for (i = 0; i < G_N_ELEMENTS (ops); i++)
    if (tok_is (p, ops[i]))
      break;
  if (i == G_N_ELEMENTS (ops))
    return left;

  node = node_new (NODE_COMPARE);
  node->op = (CompareOp) i;
  node->type = CC_ODATA_TYPE_BOOLEAN;
  node->left = left;
  if (!next_token (p) || (node->right = parse_operand (p)) == NULL)
    {
      node_free (node);
      return NULL;
    }
  if (node->left->kind == NODE_COMPARE || node->left->kind == NODE_FUNCTION
      || node->right->kind == NODE_COMPARE || node->right->kind == NODE_FUNCTION
      || !types_compatible (node->left->type, node->right->type))
    {
      g_set_error (p->error, CC_ODATA_FILTER_ERROR, CC_ODATA_FILTER_ERROR_TYPE,
                   "A binary operator with incompatible types was detected. Found operand "
                   "types '%s' and '%s' for operator kind '%s'.",
                   edm_name (node->left->type), edm_name (node->right->type),
                   op_kind_name (node->op));
      node_free (node);
      return NULL;
    }
  if (node->left->kind == NODE_PROPERTY)
    promote_literal (node->right, node->left->type);
  if (node->right->kind == NODE_PROPERTY)
    promote_literal (node->left, node->right->type);
  return node;
}

static gboolean
check_boolean (Parser *p,
               Node   *node)
{
  if (node->type == CC_ODATA_TYPE_BOOLEAN)
    return TRUE;
  g_set_error (p->error, CC_ODATA_FILTER_ERROR, CC_ODATA_FILTER_ERROR_TYPE,
               "The $filter expression must be Boolean, but a '%s' operand is used as a condition in '%s'.",
               edm_name (node->type), p->text);
  return FALSE;
}

static Node *
parse_unary (Parser *p)
{
  Node *node;

  if (!tok_is (p, "not"))
    return parse_compare (p);

  node = node_new (NODE_NOT);
  node->type = CC_ODATA_TYPE_BOOLEAN;
  if (!next_token (p) || (node->left = parse_unary (p)) == NULL
      || !check_boolean (p, node->left))
    {
      node_free (node);
      return NULL;
    }
  return node;
}

static Node *
parse_binary (Parser     *p,
              const char *word,
              NodeKind    kind,
              Node     *(*sub) (Parser *))
{
  Node *left = sub (p);

  while (left != NULL && tok_is (p, word))
    {
      Node *node = node_new (kind);

      node->type = CC_ODATA_TYPE_BOOLEAN;
      node->left = left;
      left = node;
      if (!check_boolean (p, node->left)
          || !next_token (p)
          || (node->right = sub (p)) == NULL
          || !check_boolean (p, node->right))
        {
          node_free (node);
          return NULL;
        }
    }
  return left;
}

static Node *
parse_and (Parser *p)
{
  return parse_binary (p, "and", NODE_AND, parse_unary);
}

static Node *
parse_or (Parser *p)
{
  return parse_binary (p, "or", NODE_OR, parse_and);
}

CcOdataFilter *
cc_odata_filter_parse (const char          *text,
                       const char          *type_name,
                       CcOdataResolveFunc   resolve,
                       gpointer             user_data,
                       GError             **error)
{
  Parser p = { text, type_name, 0, { TOK_END, 0, NULL }, resolve, user_data, error };
  CcOdataFilter *filter;
  Node *root;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (resolve != NULL, NULL);

  if (!next_token (&p))
    return NULL;
  root = parse_or (&p);
  if (root != NULL && p.tok.kind != TOK_END)
    {
      set_syntax_error (&p, p.tok.pos, "an operator or the end of the expression was expected");
      g_clear_pointer (&root, node_free);
    }
  if (root != NULL && !check_boolean (&p, root))
    g_clear_pointer (&root, node_free);
  g_free (p.tok.text);
  if (root == NULL)
    return NULL;

  filter = g_new0 (CcOdataFilter, 1);
  filter->root = root;
  return filter;
}

void
cc_odata_filter_free (CcOdataFilter *filter)
{
  if (filter == NULL)
    return;
  node_free (filter->root);
  g_free (filter);
}

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
cc_odata_compare_values (CcOdataType  type,
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
    case CC_ODATA_TYPE_STRING:
      {
        g_autofree char *fa = g_utf8_casefold (node_string (a), -1);
        g_autofree char *fb = g_utf8_casefold (node_string (b), -1);

        return strcmp (fa, fb);
      }
    case CC_ODATA_TYPE_NUMBER:
    case CC_ODATA_TYPE_BOOLEAN:
      {
        double x = node_number (a), y = node_number (b);

        return x < y ? -1 : x > y ? 1 : 0;
      }
    case CC_ODATA_TYPE_GUID:
      return g_ascii_strcasecmp (node_string (a), node_string (b));
    case CC_ODATA_TYPE_DATE:
    case CC_ODATA_TYPE_DATETIME:
      return strcmp (node_string (a), node_string (b));
    case CC_ODATA_TYPE_NULL:
    default:
      return 0;
    }
}

typedef struct
{
  CcOdataLookupFunc lookup;
  gconstpointer     row;
  gpointer          user_data;
} EvalContext;

static JsonNode *
operand_value (Node        *node,
               EvalContext *ctx)
{
  if (node->kind == NODE_PROPERTY)
    return ctx->lookup (ctx->row, node->name, ctx->user_data);
  return node->value;
}

static gboolean eval (Node *node, EvalContext *ctx);

static gboolean
eval_compare (Node        *node,
              EvalContext *ctx)
{
  JsonNode *a = operand_value (node->left, ctx);
  JsonNode *b = operand_value (node->right, ctx);
  CcOdataType type = node->left->type != CC_ODATA_TYPE_NULL ? node->left->type : node->right->type;
  int cmp;

  /* Ordering against null is never true (SQL semantics); only eq/ne can
   * match a null. */
  if (node_is_null (a) || node_is_null (b))
    {
      gboolean both = node_is_null (a) && node_is_null (b);

      if (node->op == OP_EQ)
        return both;
      if (node->op == OP_NE)
        return !both;
      return FALSE;
    }

  if (type == CC_ODATA_TYPE_STRING && node->right->folded != NULL)
    {
      g_autofree char *fa = g_utf8_casefold (node_string (a), -1);

      cmp = strcmp (fa, node->right->folded);
    }
  else
    cmp = cc_odata_compare_values (type, a, b);

  switch (node->op)
    {
    case OP_EQ: return cmp == 0;
    case OP_NE: return cmp != 0;
    case OP_GT: return cmp > 0;
    case OP_GE: return cmp >= 0;
    case OP_LT: return cmp < 0;
    case OP_LE: return cmp <= 0;
    default: return FALSE;
    }
}

static gboolean
eval_function (Node        *node,
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
    case FN_CONTAINS: return strstr (fa, fb) != NULL;
    case FN_STARTSWITH: return g_str_has_prefix (fa, fb);
    case FN_ENDSWITH: return g_str_has_suffix (fa, fb);
    default: return FALSE;
    }
}

static gboolean
eval (Node        *node,
      EvalContext *ctx)
{
  switch (node->kind)
    {
    case NODE_OR:
      return eval (node->left, ctx) || eval (node->right, ctx);
    case NODE_AND:
      return eval (node->left, ctx) && eval (node->right, ctx);
    case NODE_NOT:
      return !eval (node->left, ctx);
    case NODE_COMPARE:
      return eval_compare (node, ctx);
    case NODE_FUNCTION:
      return eval_function (node, ctx);
    case NODE_PROPERTY:
    case NODE_LITERAL:
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
cc_odata_filter_match (CcOdataFilter     *filter,
                       CcOdataLookupFunc  lookup,
                       gconstpointer      row,
                       gpointer           user_data)
{
  EvalContext ctx = { lookup, row, user_data };

  g_return_val_if_fail (filter != NULL, FALSE);

  return eval (filter->root, &ctx);
}
