/* cc-json-check.h — strict reading of a workflow's JSON configuration.
 *
 * The configurations of all three workflows are edited by people, so
 * every refusal is CC_ERROR_INVALID_CONFIG with a message that starts with
 * the member's path ("event-types.open.table: …") and says what would be
 * accepted. Unknown members are refused: a misspelt member must never be
 * silently ignored. An absent member takes its default; a value of the
 * wrong type is refused rather than coerced, and so is a string longer
 * than CC_JSON_MAX_TEXT.
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

/* Refuses the first member of @object (at @path) not in @allowed, with a
 * hint when it is one of them spelt another way ("writeConcurrency"). */
gboolean  cc_json_check_members      (JsonObject          *object,
                                      const char          *path,
                                      const char * const  *allowed,
                                      GError             **error);
/* @node must be an object (@path names it; "" is the whole configuration)
 * with no member outside @allowed. */
gboolean  cc_json_check_object       (JsonNode            *node,
                                      const char          *path,
                                      const char * const  *allowed,
                                      JsonObject         **out,
                                      GError             **error);

/* Whether @node is a value of @type (G_TYPE_STRING, G_TYPE_INT64, …). */
gboolean  cc_json_check_node_holds   (JsonNode            *node,
                                      GType                type);
/* A string, number or boolean. */
gboolean  cc_json_check_node_is_scalar (JsonNode          *node);

typedef enum
{
  CC_JSON_CHECK_NONE         = 0,
  CC_JSON_CHECK_MAY_BE_EMPTY = 1 << 0,   /* "" is a value, not refused */
  CC_JSON_CHECK_NULL_ABSENT  = 1 << 1,   /* an optional member's null means
                                          * absent rather than the wrong type */
} CcJsonCheckFlags;

/* An optional string member. Absent: a copy of @fallback (NULL stays
 * NULL). */
gboolean  cc_json_check_string       (JsonObject          *object,
                                      const char          *parent,
                                      const char          *name,
                                      const char          *fallback,
                                      CcJsonCheckFlags     flags,
                                      char               **out,
                                      GError             **error);
/* The optional object member @name of string members @names (NULL-
 * terminated), read into @out (as many): each absent one, or all when
 * the object is absent, takes its value from @defaults. */
gboolean  cc_json_check_strings      (JsonObject          *object,
                                      const char          *name,
                                      const char * const  *names,
                                      const char * const  *defaults,
                                      CcJsonCheckFlags     flags,
                                      char               **out,
                                      GError             **error);
/* A string member that must be there; @hint (or NULL) says what it is
 * for, in the refusal of an absent one. */
gboolean  cc_json_check_required_string (JsonObject       *object,
                                         const char       *parent,
                                         const char       *name,
                                         const char       *hint,
                                         CcJsonCheckFlags  flags,
                                         char            **out,
                                         GError          **error);
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

/* The object or array (@type) at @name; absent leaves *out NULL, or is
 * refused when @required (@hint says what it is for). */
gboolean  cc_json_check_container    (JsonObject          *object,
                                      const char          *parent,
                                      const char          *name,
                                      JsonNodeType         type,
                                      gboolean             required,
                                      const char          *hint,
                                      JsonNode           **out,
                                      GError             **error);

/* Longer than any name either service gives a table, column, resource
 * or field (Dataverse logical names, Campaign resource and field names
 * are well under a hundred characters). */
#define CC_JSON_MAX_NAME 128
/* Longer than any other text a configuration holds: a Dataverse text
 * column, whose values a filter or a replacement may quote, holds at
 * most 4000 characters. */
#define CC_JSON_MAX_TEXT 4096

/* Refuses @name (at @path) when it is longer than CC_JSON_MAX_NAME. */
gboolean  cc_json_check_name_length  (const char          *path,
                                      const char          *name,
                                      GError             **error);
/* Dataverse logical names: lower-case letters, digits and "_", at most
 * CC_JSON_MAX_NAME long. */
gboolean  cc_json_check_logical_name (const char          *path,
                                      const char          *name,
                                      GError             **error);

G_END_DECLS
