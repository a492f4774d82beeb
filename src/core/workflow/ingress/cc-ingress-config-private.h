/* cc-ingress-config-private.h — what the files of the ingress
 * configuration share: the JSON words for transforms and comparisons, the
 * checks of Campaign names, and the parsers of the parts.
 */
#pragma once

#include "cc-ingress-config.h"
#include "cc-json-check.h"

G_BEGIN_DECLS

/* The JSON words, e.g. "date-format", "starts-with". */
const char *cc_transform_kind_to_string (CcTransformKind  kind);
gboolean    cc_transform_kind_parse     (const char      *word,
                                         CcTransformKind *kind);
const char *cc_filter_op_to_string      (CcFilterOp       op);
gboolean    cc_filter_op_parse          (const char      *word,
                                         CcFilterOp      *op);

/* ------------------------------------------------------------------ */
/* Campaign names (cc-ingress-config-names.c)                          */

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
