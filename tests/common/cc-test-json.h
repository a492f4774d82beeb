/* cc-test-json.h — JSON the tests write, and configurations they expect
 * to be refused. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Parses @quoted, JSON written with single quotes to stay readable in C
 * strings; it must be valid. */
JsonNode *cc_test_json_from_quoted (const char *quoted);

/* A parser of configurations: NULL and @error when it refuses @node. */
typedef gpointer (*CcTestParseFunc) (JsonNode  *node,
                                     GError   **error);

typedef struct
{
  const char *json;
  const char *prefix;   /* how the error message must start */
} CcTestRefusal;

/* Each of @cases must be refused by @parse with @domain / @code and a
 * message that starts with the case's prefix. */
void      cc_test_assert_refusals  (CcTestParseFunc      parse,
                                    const CcTestRefusal *cases,
                                    gsize                n_cases,
                                    GQuark               domain,
                                    gint                 code);

G_END_DECLS
