/* cc-json-check.h — strict reading of a workflow's JSON configuration.
 *
 * The egress and opt-in/opt-out configurations are edited by people, so
 * every refusal is CC_ERROR_INVALID_CONFIG with a message that starts with
 * the member's path ("event-types.open.table: …") and says what would be
 * accepted. Unknown members are refused: a misspelt member must never be
 * silently ignored. An absent member takes its default.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Sets CC_ERROR_INVALID_CONFIG "<path>: <what>" and returns FALSE. */
gboolean  cc_json_check_refuse       (GError             **error,
                                      const char          *path,
                                      const char          *format,
                                      ...) G_GNUC_PRINTF (3, 4);

/* "parent.member" ("member" at the top); "parent[3]". */
char     *cc_json_check_member_path  (const char          *parent,
                                      const char          *member);
char     *cc_json_check_index_path   (const char          *parent,
                                      guint                index);

/* @node must be an object (@path names it; "" is the whole configuration)
 * with no member outside @allowed. */
gboolean  cc_json_check_object       (JsonNode            *node,
                                      const char          *path,
                                      const char * const  *allowed,
                                      JsonObject         **out,
                                      GError             **error);

/* A string member. Absent: a copy of @fallback, or refused when
 * @fallback is NULL (required). "" is refused unless @may_be_empty. */
gboolean  cc_json_check_string       (JsonObject          *object,
                                      const char          *parent,
                                      const char          *name,
                                      const char          *fallback,
                                      gboolean             may_be_empty,
                                      char               **out,
                                      GError             **error);
gboolean  cc_json_check_boolean      (JsonObject          *object,
                                      const char          *parent,
                                      const char          *name,
                                      gboolean             fallback,
                                      gboolean            *out,
                                      GError             **error);
/* A whole number in [@min, @max]. */
gboolean  cc_json_check_uint         (JsonObject          *object,
                                      const char          *parent,
                                      const char          *name,
                                      guint                min,
                                      guint                max,
                                      guint                fallback,
                                      guint               *out,
                                      GError             **error);
/* One of @words (NULL-terminated); *out is its index. */
gboolean  cc_json_check_choice       (JsonObject          *object,
                                      const char          *parent,
                                      const char          *name,
                                      const char * const  *words,
                                      guint                fallback,
                                      guint               *out,
                                      GError             **error);

/* Dataverse logical names: lower-case letters, digits and "_". */
gboolean  cc_json_check_logical_name (const char          *path,
                                      const char          *name,
                                      GError             **error);

G_END_DECLS
