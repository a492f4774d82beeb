/* dv-odata-filter-private.h — the parsed form of a $filter expression,
 * shared by the parser (dv-odata-filter.c) and the evaluator
 * (dv-odata-filter-eval.c).
 */
#pragma once

#include "dv-odata-filter.h"

G_BEGIN_DECLS

typedef enum
{
  DV_ODATA_NODE_OR,
  DV_ODATA_NODE_AND,
  DV_ODATA_NODE_NOT,
  DV_ODATA_NODE_COMPARE,
  DV_ODATA_NODE_FUNCTION,
  DV_ODATA_NODE_PROPERTY,
  DV_ODATA_NODE_LITERAL,
} DvOdataNodeKind;

typedef enum
{
  DV_ODATA_OP_EQ,
  DV_ODATA_OP_NE,
  DV_ODATA_OP_GT,
  DV_ODATA_OP_GE,
  DV_ODATA_OP_LT,
  DV_ODATA_OP_LE,
} DvOdataCompareOp;
typedef enum
{
  DV_ODATA_FN_CONTAINS,
  DV_ODATA_FN_STARTSWITH,
  DV_ODATA_FN_ENDSWITH,
} DvOdataFunction;

typedef struct _DvOdataNode DvOdataNode;
struct _DvOdataNode
{
  DvOdataNodeKind     kind;
  DvOdataType  type;      /* value type of a property or literal */
  DvOdataCompareOp    op;
  DvOdataFunction function;
  char        *name;      /* property name */
  JsonNode    *value;     /* literal value (NULL for null) */
  char        *folded;    /* casefolded string literal, for fast compares */
  char        *enum_type; /* DV_ODATA_TYPE_ENUM: the enumeration's qualified name */
  DvOdataNode        *left;
  DvOdataNode        *right;
};

struct _DvOdataFilter
{
  DvOdataNode *root;
};

G_END_DECLS
