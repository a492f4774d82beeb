/* dv-odata-filter.h — an OData v4 $filter expression, parsed once and
 * evaluated against many rows.
 *
 * Supports what the Dataverse Web API documents for $filter: eq ne gt ge lt
 * le, and or not, parentheses, contains/startswith/endswith, string
 * literals with '' escaping (compared case-insensitively), numbers,
 * true/false/null, unquoted GUIDs and ISO dates / date-times, and
 * column-to-column comparison; and for metadata queries, paths into
 * complex values ("RequiredLevel/Value") and enumeration literals
 * ("Microsoft.Dynamics.CRM.AttributeTypeCode'Boolean'"), which an
 * enumeration property must be compared with.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define DV_ODATA_FILTER_ERROR (dv_odata_filter_error_quark ())

typedef enum
{
  DV_ODATA_FILTER_ERROR_SYNTAX,            /* message names the position */
  DV_ODATA_FILTER_ERROR_UNKNOWN_PROPERTY,  /* message names the property */
  DV_ODATA_FILTER_ERROR_TYPE,              /* incompatible operand types */
} DvOdataFilterError;

typedef enum
{
  DV_ODATA_TYPE_NULL,
  DV_ODATA_TYPE_STRING,
  DV_ODATA_TYPE_NUMBER,
  DV_ODATA_TYPE_BOOLEAN,
  DV_ODATA_TYPE_GUID,
  DV_ODATA_TYPE_DATE,      /* "yyyy-mm-dd" */
  DV_ODATA_TYPE_DATETIME,  /* "yyyy-mm-ddThh:mm:ssZ" (values must be in this form) */
  DV_ODATA_TYPE_ENUM,      /* a member name, of the enumeration the node names */
} DvOdataType;

/* Tells the parser whether @property (a name, or a path "a/b") exists and
 * of which type; for an enumeration, also sets @enum_type to its
 * qualified name ("Microsoft.Dynamics.CRM.AttributeTypeCode"). */
typedef gboolean  (*DvOdataResolveFunc) (const char  *property,
                                         DvOdataType *type,
                                         const char **enum_type,
                                         gpointer     user_data);
/* Returns @property's value in @row (borrowed), or NULL when absent. */
typedef JsonNode *(*DvOdataLookupFunc)  (gconstpointer row,
                                         const char   *property,
                                         gpointer      user_data);

typedef struct _DvOdataFilter DvOdataFilter;

GQuark         dv_odata_filter_error_quark (void);

/* @type_name ("Microsoft.Dynamics.CRM.contact") is only used in messages. */
DvOdataFilter *dv_odata_filter_parse (const char          *text,
                                      const char          *type_name,
                                      DvOdataResolveFunc   resolve,
                                      gpointer             user_data,
                                      GError             **error);
gboolean       dv_odata_filter_match (DvOdataFilter       *filter,
                                      DvOdataLookupFunc    lookup,
                                      gconstpointer        row,
                                      gpointer             user_data);
void           dv_odata_filter_free  (DvOdataFilter       *filter);

/* Orders two values of one column type the way $orderby and comparisons
 * do: null first, strings case-insensitively. */
int            dv_odata_compare_values (DvOdataType  type,
                                        JsonNode    *a,
                                        JsonNode    *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DvOdataFilter, dv_odata_filter_free)

G_END_DECLS
