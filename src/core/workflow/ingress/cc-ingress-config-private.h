/* cc-ingress-config-private.h — what the files of the ingress
 * configuration share: the JSON words for transforms and comparisons, the
 * member readers that know their path, and the parsers of the parts.
 */
#pragma once

#include "cc-ingress-config.h"

G_BEGIN_DECLS

/* The JSON words, e.g. "date-format", "starts-with". */
const char *cc_transform_kind_to_string (CcTransformKind  kind);
gboolean    cc_transform_kind_parse     (const char      *word,
                                         CcTransformKind *kind);
const char *cc_filter_op_to_string      (CcFilterOp       op);
gboolean    cc_filter_op_parse          (const char      *word,
                                         CcFilterOp      *op);

/* ------------------------------------------------------------------ */
/* Readers (cc-ingress-config-read.c)                                  */

typedef enum
{
  STRING_OPTIONAL = 0,
  STRING_REQUIRED = 1 << 0,
  STRING_MAY_BE_EMPTY = 1 << 1,
} CcIngressStringFlags;

/* Sets CC_ERROR_INVALID_CONFIG "<path>: <what>" and returns FALSE. */
gboolean  cc_ingress_refuse                  (GError              **error,
                                              const char           *path,
                                              const char           *format,
                                              ...) G_GNUC_PRINTF (3, 4);
char     *cc_ingress_member_path             (const char           *parent,
                                              const char           *member);
char     *cc_ingress_index_path              (const char           *parent,
                                              guint                 index);
/* Refuses the first member of @object not in @allowed. */
gboolean  cc_ingress_check_members           (JsonObject           *object,
                                              const char           *path,
                                              const char * const   *allowed,
                                              GError              **error);
gboolean  cc_ingress_node_holds              (JsonNode             *node,
                                              GType                 type);
/* A string, number or boolean. */
gboolean  cc_ingress_node_is_scalar          (JsonNode             *node);
/* An immutable copy, safe to read from several reader threads at once. */
JsonNode *cc_ingress_sealed_copy             (JsonNode             *node);

/* Absent (or null, when optional) leaves *out NULL. @hint says what the
 * member is for, for the "required" refusal. */
gboolean  cc_ingress_get_string              (JsonObject           *object,
                                              const char           *path,
                                              const char           *name,
                                              CcIngressStringFlags  flags,
                                              const char           *hint,
                                              char                **out,
                                              GError              **error);
gboolean  cc_ingress_get_boolean             (JsonObject           *object,
                                              const char           *path,
                                              const char           *name,
                                              gboolean              fallback,
                                              gboolean             *out,
                                              GError              **error);
/* A top-level whole number in [@min, @max]. */
gboolean  cc_ingress_get_number             (JsonObject           *object,
                                              const char           *name,
                                              guint                 min,
                                              guint                 max,
                                              guint                 fallback,
                                              guint                *out,
                                              GError              **error);
/* The object or array at @name; absent leaves *out NULL. */
gboolean  cc_ingress_get_container           (JsonObject           *object,
                                              const char           *path,
                                              const char           *name,
                                              JsonNodeType          type,
                                              gboolean              required,
                                              const char           *hint,
                                              JsonNode            **out,
                                              GError              **error);

/* Lower-case letters, digits and "_": what Dataverse logical names are made of. */
gboolean  cc_ingress_is_logical_name         (const char           *name);
gboolean  cc_ingress_check_logical_name      (const char           *path,
                                              const char           *name,
                                              GError              **error);
gboolean  cc_ingress_is_campaign_name        (const char           *name);
gboolean  cc_ingress_check_campaign_name     (const char           *path,
                                              const char           *name,
                                              GError              **error);
/* "group/name", e.g. "profileAndServicesExt/profile". */
gboolean  cc_ingress_check_campaign_resource (const char           *path,
                                              const char           *resource,
                                              GError              **error);
gboolean  cc_ingress_is_profile_resource     (const char           *resource);

/* ------------------------------------------------------------------ */
/* Parts (cc-ingress-config-fields.c)                                  */

void      cc_field_mapping_free              (CcFieldMapping       *field);
void      cc_filter_condition_free           (CcFilterCondition    *condition);
gboolean  cc_ingress_parse_field             (JsonNode             *node,
                                              const char           *path,
                                              CcFieldMapping      **out,
                                              GError              **error);
gboolean  cc_ingress_parse_condition         (JsonNode             *node,
                                              const char           *path,
                                              CcFilterCondition   **out,
                                              GError              **error);

G_END_DECLS
