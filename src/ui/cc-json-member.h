/* cc-json-member.h — forgiving reads of a configuration's members for the
 * edit dialogs, and typed text turned into JSON values. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Each takes a NULL @object as an empty one; a member that is absent or of
 * another type reads as @fallback (or NULL). */
const char *cc_json_member_string  (JsonObject *object,
                                    const char *member,
                                    const char *fallback);
gint64      cc_json_member_int     (JsonObject *object,
                                    const char *member,
                                    gint64      fallback);
gboolean    cc_json_member_boolean (JsonObject *object,
                                    const char *member,
                                    gboolean    fallback);
JsonObject *cc_json_member_object  (JsonObject *object,
                                    const char *member);
JsonArray  *cc_json_member_array   (JsonObject *object,
                                    const char *member);

/* What a user typed, as a JSON value of a given kind: a new node, or NULL
 * when @text is not one. Numbers are written the C way ("12", "-3.5");
 * Booleans are "true" or "false". */
JsonNode   *cc_json_member_parse_number  (const char *text);
JsonNode   *cc_json_member_parse_boolean (const char *text);

G_END_DECLS
