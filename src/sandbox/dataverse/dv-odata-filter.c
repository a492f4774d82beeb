/* dv-odata-filter.c — a recursive-descent parser for OData $filter
 * expressions (the evaluator is in dv-odata-filter-eval.c).
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

#include "dv-odata-filter-private.h"

G_DEFINE_QUARK (dv-odata-filter-error-quark, dv_odata_filter_error)

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
  TOK_ENUM,     /* Namespace.Type'Member': text = member, enum_type = type */
} TokenKind;

typedef struct
{
  TokenKind kind;
  guint     pos;
  char     *text;   /* decoded value (strings unescaped, GUIDs lower-cased) */
  char     *enum_type;
} Token;

typedef struct
{
  const char         *text;
  const char         *type_name;
  guint               pos;
  Token               tok;
  DvOdataResolveFunc  resolve;
  gpointer            user_data;
  GError            **error;
} Parser;

static void
node_free (DvOdataNode *node)
{
  if (node == NULL)
    return;
  node_free (node->left);
  node_free (node->right);
  g_free (node->name);
  g_free (node->folded);
  g_free (node->enum_type);
  if (node->value != NULL)
    json_node_unref (node->value);
  g_free (node);
}

static DvOdataNode *
node_new (DvOdataNodeKind kind)
{
  DvOdataNode *node = g_new0 (DvOdataNode, 1);

  node->kind = kind;
  return node;
}

static gboolean
set_syntax_error (Parser     *p,
                  guint       pos,
                  const char *what)
{
  if (*p->error == NULL)
    g_set_error (p->error, DV_ODATA_FILTER_ERROR, DV_ODATA_FILTER_ERROR_SYNTAX,
                 "Syntax error at position %u in '%s': %s.", pos, p->text, what);
  return FALSE;
}

static gboolean
is_ident_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '.';
}

/* Identifiers may be paths into complex values: "RequiredLevel/Value". */
static gboolean
is_path_char (char c)
{
  return is_ident_char (c) || c == '/';
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

/* Length of the quoted literal at @s ('' escapes a quote), its text in
 * @text; 0 when unterminated. */
static guint
scan_quoted (const char  *s,
             char       **text)
{
  GString *str = g_string_new (NULL);
  guint i = 1;

  for (;;)
    {
      if (s[i] == '\0')
        {
          g_string_free (str, TRUE);
          return 0;
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
  *text = g_string_free (str, FALSE);
  return i;
}

static gboolean
next_token (Parser *p)
{
  const char *s;
  guint len;

  g_clear_pointer (&p->tok.text, g_free);
  g_clear_pointer (&p->tok.enum_type, g_free);
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
      if ((len = scan_quoted (s, &p->tok.text)) == 0)
        return set_syntax_error (p, p->pos, "unterminated string literal");
      p->tok.kind = TOK_STRING;
      p->pos += len;
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
      guint quoted;

      len = 0;
      while (is_path_char (s[len]))
        len++;
      if (s[len] == '\'' && memchr (s, '.', len) != NULL && memchr (s, '/', len) == NULL)
        {
          /* An enumeration literal: the type's qualified name, then the
           * member in quotes. */
          if ((quoted = scan_quoted (s + len, &p->tok.text)) == 0)
            return set_syntax_error (p, p->pos + len, "unterminated enumeration literal");
          p->tok.kind = TOK_ENUM;
          p->tok.enum_type = g_strndup (s, len);
          p->pos += len + quoted;
          return TRUE;
        }
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
edm_name (DvOdataType type)
{
  switch (type)
    {
    case DV_ODATA_TYPE_STRING: return "Edm.String";
    case DV_ODATA_TYPE_NUMBER: return "Edm.Int32";
    case DV_ODATA_TYPE_BOOLEAN: return "Edm.Boolean";
    case DV_ODATA_TYPE_GUID: return "Edm.Guid";
    case DV_ODATA_TYPE_DATE: return "Edm.Date";
    case DV_ODATA_TYPE_DATETIME: return "Edm.DateTimeOffset";
    case DV_ODATA_TYPE_ENUM: return "an enumeration";
    case DV_ODATA_TYPE_NULL:
    default: return "null";
    }
}

static DvOdataNode *parse_or (Parser *p);

static DvOdataNode *
literal_node (DvOdataType  type,
              JsonNode    *value)
{
  DvOdataNode *node = node_new (DV_ODATA_NODE_LITERAL);

  node->type = type;
  node->value = value;
  if (type == DV_ODATA_TYPE_STRING || type == DV_ODATA_TYPE_ENUM)
    node->folded = g_utf8_casefold (json_node_get_string (value), -1);
  return node;
}

static DvOdataNode *
parse_function (Parser       *p,
                DvOdataFunction  kind,
                guint         pos)
{
  DvOdataNode *node = node_new (DV_ODATA_NODE_FUNCTION);

  node->function = kind;
  node->type = DV_ODATA_TYPE_BOOLEAN;
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

  for (DvOdataNode *arg = node->left; arg != NULL; arg = arg == node->left ? node->right : NULL)
    if (arg->type != DV_ODATA_TYPE_STRING && arg->type != DV_ODATA_TYPE_NULL)
      {
        g_set_error (p->error, DV_ODATA_FILTER_ERROR, DV_ODATA_FILTER_ERROR_TYPE,
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

static DvOdataNode *
parse_operand (Parser *p)
{
  DvOdataNode *node = NULL;
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
      node = literal_node (DV_ODATA_TYPE_STRING, json_node_init_string (json_node_alloc (), p->tok.text));
      break;

    case TOK_NUMBER:
      node = literal_node (DV_ODATA_TYPE_NUMBER,
                           json_node_init_double (json_node_alloc (), g_ascii_strtod (p->tok.text, NULL)));
      break;

    case TOK_GUID:
      node = literal_node (DV_ODATA_TYPE_GUID, json_node_init_string (json_node_alloc (), p->tok.text));
      break;

    case TOK_DATE:
      node = literal_node (DV_ODATA_TYPE_DATE, json_node_init_string (json_node_alloc (), p->tok.text));
      break;

    case TOK_DATETIME:
      node = literal_node (DV_ODATA_TYPE_DATETIME, json_node_init_string (json_node_alloc (), p->tok.text));
      break;

    case TOK_ENUM:
      node = literal_node (DV_ODATA_TYPE_ENUM, json_node_init_string (json_node_alloc (), p->tok.text));
      node->enum_type = g_strdup (p->tok.enum_type);
      break;

    case TOK_IDENT:
      if (tok_is (p, "true") || tok_is (p, "false"))
        node = literal_node (DV_ODATA_TYPE_BOOLEAN,
                             json_node_init_boolean (json_node_alloc (), tok_is (p, "true")));
      else if (tok_is (p, "null"))
        node = literal_node (DV_ODATA_TYPE_NULL, NULL);
      else if (tok_is (p, "contains"))
        return parse_function (p, DV_ODATA_FN_CONTAINS, pos);
      else if (tok_is (p, "startswith"))
        return parse_function (p, DV_ODATA_FN_STARTSWITH, pos);
      else if (tok_is (p, "endswith"))
        return parse_function (p, DV_ODATA_FN_ENDSWITH, pos);
      else if (strchr (p->tok.text, '.') != NULL)
        {
          g_set_error (p->error, DV_ODATA_FILTER_ERROR, DV_ODATA_FILTER_ERROR_SYNTAX,
                       "Syntax error at position %u in '%s': the function '%s' is not supported.",
                       pos, p->text, p->tok.text);
          return NULL;
        }
      else
        {
          DvOdataType type = DV_ODATA_TYPE_NULL;
          const char *enum_type = NULL;

          if (!p->resolve (p->tok.text, &type, &enum_type, p->user_data))
            {
              g_set_error (p->error, DV_ODATA_FILTER_ERROR, DV_ODATA_FILTER_ERROR_UNKNOWN_PROPERTY,
                           "Could not find a property named '%s' on type '%s'.",
                           p->tok.text, p->type_name);
              return NULL;
            }
          node = node_new (DV_ODATA_NODE_PROPERTY);
          node->name = g_strdup (p->tok.text);
          node->type = enum_type != NULL ? DV_ODATA_TYPE_ENUM : type;
          node->enum_type = g_strdup (enum_type);
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

static const char *
operand_type_name (DvOdataNode *node)
{
  return node->type == DV_ODATA_TYPE_ENUM ? node->enum_type : edm_name (node->type);
}

static gboolean
types_compatible (DvOdataNode *x,
                  DvOdataNode *y)
{
  DvOdataType a = x->type, b = y->type;

  /* An enumeration meets only its own members (or null). */
  if (a == DV_ODATA_TYPE_ENUM && b == DV_ODATA_TYPE_ENUM)
    return g_strcmp0 (x->enum_type, y->enum_type) == 0;
  if (a == b || a == DV_ODATA_TYPE_NULL || b == DV_ODATA_TYPE_NULL)
    return TRUE;
  return (a == DV_ODATA_TYPE_DATE || a == DV_ODATA_TYPE_DATETIME)
         && (b == DV_ODATA_TYPE_DATE || b == DV_ODATA_TYPE_DATETIME);
}

/* Brings a date literal compared with a date-time (or the reverse) to the
 * other side's form, so that evaluation compares like with like. */
static void
promote_literal (DvOdataNode        *literal,
                 DvOdataType  target)
{
  const char *text;
  char *converted;

  if (literal->kind != DV_ODATA_NODE_LITERAL || literal->type == target
      || literal->type == DV_ODATA_TYPE_NULL)
    return;
  text = json_node_get_string (literal->value);
  if (target == DV_ODATA_TYPE_DATETIME && literal->type == DV_ODATA_TYPE_DATE)
    converted = g_strconcat (text, "T00:00:00Z", NULL);
  else if (target == DV_ODATA_TYPE_DATE && literal->type == DV_ODATA_TYPE_DATETIME)
    converted = g_strndup (text, 10);
  else
    return;
  json_node_set_string (literal->value, converted);
  literal->type = target;
  g_free (converted);
}

static const char *
op_kind_name (DvOdataCompareOp op)
{
  static const char *names[] = { "Equal", "NotEqual", "GreaterThan", "GreaterThanOrEqual",
                                 "LessThan", "LessThanOrEqual" };
  return names[op];
}

static DvOdataNode *
parse_compare (Parser *p)
{
  static const char *ops[] = { "eq", "ne", "gt", "ge", "lt", "le" };
  DvOdataNode *left = parse_operand (p);
  DvOdataNode *node;
  guint i;

  if (left == NULL)
    return NULL;
  for (i = 0; i < G_N_ELEMENTS (ops); i++)
    if (tok_is (p, ops[i]))
      break;
  if (i == G_N_ELEMENTS (ops))
    return left;

  node = node_new (DV_ODATA_NODE_COMPARE);
  node->op = (DvOdataCompareOp) i;
  node->type = DV_ODATA_TYPE_BOOLEAN;
  node->left = left;
  if (!next_token (p) || (node->right = parse_operand (p)) == NULL)
    {
      node_free (node);
      return NULL;
    }
  if (node->left->kind == DV_ODATA_NODE_COMPARE || node->left->kind == DV_ODATA_NODE_FUNCTION
      || node->right->kind == DV_ODATA_NODE_COMPARE || node->right->kind == DV_ODATA_NODE_FUNCTION
      || !types_compatible (node->left, node->right))
    {
      g_set_error (p->error, DV_ODATA_FILTER_ERROR, DV_ODATA_FILTER_ERROR_TYPE,
                   "A binary operator with incompatible types was detected. Found operand "
                   "types '%s' and '%s' for operator kind '%s'.",
                   operand_type_name (node->left), operand_type_name (node->right),
                   op_kind_name (node->op));
      node_free (node);
      return NULL;
    }
  if (node->left->kind == DV_ODATA_NODE_PROPERTY)
    promote_literal (node->right, node->left->type);
  if (node->right->kind == DV_ODATA_NODE_PROPERTY)
    promote_literal (node->left, node->right->type);
  return node;
}

static gboolean
check_boolean (Parser *p,
               DvOdataNode   *node)
{
  if (node->type == DV_ODATA_TYPE_BOOLEAN)
    return TRUE;
  g_set_error (p->error, DV_ODATA_FILTER_ERROR, DV_ODATA_FILTER_ERROR_TYPE,
               "The $filter expression must be Boolean, but a '%s' operand is used as a condition in '%s'.",
               edm_name (node->type), p->text);
  return FALSE;
}

static DvOdataNode *
parse_unary (Parser *p)
{
  DvOdataNode *node;

  if (!tok_is (p, "not"))
    return parse_compare (p);

  node = node_new (DV_ODATA_NODE_NOT);
  node->type = DV_ODATA_TYPE_BOOLEAN;
  if (!next_token (p) || (node->left = parse_unary (p)) == NULL
      || !check_boolean (p, node->left))
    {
      node_free (node);
      return NULL;
    }
  return node;
}

static DvOdataNode *
parse_binary (Parser     *p,
              const char *word,
              DvOdataNodeKind    kind,
              DvOdataNode     *(*sub) (Parser *))
{
  DvOdataNode *left = sub (p);

  while (left != NULL && tok_is (p, word))
    {
      DvOdataNode *node = node_new (kind);

      node->type = DV_ODATA_TYPE_BOOLEAN;
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

static DvOdataNode *
parse_and (Parser *p)
{
  return parse_binary (p, "and", DV_ODATA_NODE_AND, parse_unary);
}

static DvOdataNode *
parse_or (Parser *p)
{
  return parse_binary (p, "or", DV_ODATA_NODE_OR, parse_and);
}

DvOdataFilter *
dv_odata_filter_parse (const char          *text,
                       const char          *type_name,
                       DvOdataResolveFunc   resolve,
                       gpointer             user_data,
                       GError             **error)
{
  Parser p = { text, type_name, 0, { TOK_END, 0, NULL, NULL }, resolve, user_data, error };
  DvOdataFilter *filter;
  DvOdataNode *root;

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
  g_free (p.tok.enum_type);
  if (root == NULL)
    return NULL;

  filter = g_new0 (DvOdataFilter, 1);
  filter->root = root;
  return filter;
}

void
dv_odata_filter_free (DvOdataFilter *filter)
{
  if (filter == NULL)
    return;
  node_free (filter->root);
  g_free (filter);
}
