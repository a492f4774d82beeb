/* cc-odata-filter.h — an OData v4 $filter expression, parsed once and
 * evaluated against many rows.
 *
 * Supports what the Dataverse Web API documents for $filter: eq ne gt ge lt
 * le, and or not, parentheses, contains/startswith/endswith, string
 * literals with '' escaping (compared case-insensitively), numbers,
 * true/false/null, unquoted GUIDs and ISO dates / date-times, and
 * column-to-column comparison.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CC_ODATA_FILTER_ERROR (cc_odata_filter_error_quark ())

typedef enum
{
  CC_ODATA_FILTER_ERROR_SYNTAX,            /* message names the position */
  CC_ODATA_FILTER_ERROR_UNKNOWN_PROPERTY,  /* message names the property */
  CC_ODATA_FILTER_ERROR_TYPE,              /* incompatible operand types */
} CcOdataFilterError;

typedef enum
{
  CC_ODATA_TYPE_NULL,
  CC_ODATA_TYPE_STRING,
  CC_ODATA_TYPE_NUMBER,
  CC_ODATA_TYPE_BOOLEAN,
  CC_ODATA_TYPE_GUID,
  CC_ODATA_TYPE_DATE,      /* "yyyy-mm-dd" */
  CC_ODATA_TYPE_DATETIME,  /* "yyyy-mm-ddThh:mm:ssZ" (values must be in this form) */
} CcOdataType;

/* Tells the parser whether @property exists and of which type. */
typedef gboolean  (*CcOdataResolveFunc) (const char  *property,
                                         CcOdataType *type,
                                         gpointer     user_data);
/* Returns @property's value in @row (borrowed), or NULL when absent. */
typedef JsonNode *(*CcOdataLookupFunc)  (gconstpointer row,
                                         const char   *property,
                                         gpointer      user_data);

typedef struct _CcOdataFilter CcOdataFilter;

GQuark         cc_odata_filter_error_quark (void);

/* @type_name ("Microsoft.Dynamics.CRM.contact") is only used in messages. */
CcOdataFilter *cc_odata_filter_parse (const char          *text,
                                      const char          *type_name,
                                      CcOdataResolveFunc   resolve,
                                      gpointer             user_data,
                                      GError             **error);
gboolean       cc_odata_filter_match (CcOdataFilter       *filter,
                                      CcOdataLookupFunc    lookup,
                                      gconstpointer        row,
                                      gpointer             user_data);
void           cc_odata_filter_free  (CcOdataFilter       *filter);

/* Orders two values of one column type the way $orderby and comparisons
 * do: null first, strings case-insensitively. */
int            cc_odata_compare_values (CcOdataType  type,
                                        JsonNode    *a,
                                        JsonNode    *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcOdataFilter, cc_odata_filter_free)

G_END_DECLS
