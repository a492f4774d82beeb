/* cc-json-member.h — a configuration's text members with a default, for
 * the edit dialogs, and typed text turned into JSON values. (Other
 * members are read with the core's lenient readers, cc-json-read.h.) */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* @object's member @member if it is a string, else @fallback (@object
 * may be NULL). */
const char *cc_json_member_string  (JsonObject *object,
                                    const char *member,
                                    const char *fallback);

/* What a user typed, as a JSON value of a given kind: a new node, or NULL
 * when @text is not one. Numbers are written the C way ("12", "-3.5");
 * Booleans are "true" or "false". */
JsonNode   *cc_json_member_parse_number  (const char *text);
JsonNode   *cc_json_member_parse_boolean (const char *text);

G_END_DECLS
