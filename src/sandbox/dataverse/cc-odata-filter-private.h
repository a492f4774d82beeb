/* cc-odata-filter-private.h — the parsed form of a $filter expression,
 * shared by the parser (cc-odata-filter.c) and the evaluator
 * (cc-odata-filter-eval.c).
 */
#pragma once

#include "cc-odata-filter.h"

G_BEGIN_DECLS

typedef enum
{
  CC_ODATA_NODE_OR,
  CC_ODATA_NODE_AND,
  CC_ODATA_NODE_NOT,
  CC_ODATA_NODE_COMPARE,
  CC_ODATA_NODE_FUNCTION,
  CC_ODATA_NODE_PROPERTY,
  CC_ODATA_NODE_LITERAL,
} CcOdataNodeKind;

typedef enum
{
  CC_ODATA_OP_EQ,
  CC_ODATA_OP_NE,
  CC_ODATA_OP_GT,
  CC_ODATA_OP_GE,
  CC_ODATA_OP_LT,
  CC_ODATA_OP_LE,
} CcOdataCompareOp;
typedef enum
{
  CC_ODATA_FN_CONTAINS,
  CC_ODATA_FN_STARTSWITH,
  CC_ODATA_FN_ENDSWITH,
} CcOdataFunction;

typedef struct _CcOdataNode CcOdataNode;
struct _CcOdataNode
{
  CcOdataNodeKind     kind;
  CcOdataType  type;      /* value type of a property or literal */
  CcOdataCompareOp    op;
  CcOdataFunction function;
  char        *name;      /* property name */
  JsonNode    *value;     /* literal value (NULL for null) */
  char        *folded;    /* casefolded string literal, for fast compares */
  CcOdataNode        *left;
  CcOdataNode        *right;
};

struct _CcOdataFilter
{
  CcOdataNode *root;
};

G_END_DECLS
