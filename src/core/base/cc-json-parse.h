/* cc-json-parse.h — the one way JSON text from outside is parsed.
 *
 * json-glib's parser recurses once per level of nesting, so a document
 * of a hundred thousand nested arrays overflows the stack of whatever
 * thread parses it. Every JSON text the engine did not write itself (the
 * configuration file, a configuration sent over D-Bus, every answer of
 * Dynamics 365, Adobe Campaign, their sign-in endpoints and the I/O
 * Events journal) goes through cc_json_parse(), which measures the text
 * first, without recursing, and refuses what is too big or too deep
 * before json-glib sees it. The limits, and why they are what they are,
 * are in docs/architecture.md (Limits).
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Levels of nesting (objects and arrays) any JSON text may have. The
 * deepest real document is a configuration, at about ten. */
#define CC_JSON_MAX_DEPTH 64

/* Bytes, per kind of text. */
#define CC_JSON_MAX_CONFIG_FILE     (8 * 1000 * 1000)   /* config.json */
#define CC_JSON_MAX_WORKFLOW_CONFIG (1000 * 1000)       /* one workflow's, via SetConfig */
#define CC_JSON_MAX_ANSWER          (64 * 1000 * 1000)  /* one HTTP answer */

/* Checks that @data (@length bytes) is at most @max_bytes long and
 * nested at most CC_JSON_MAX_DEPTH deep, without parsing it. A text out
 * of bounds is G_IO_ERROR_MESSAGE_TOO_LARGE, with a message that names
 * the limit (and where the text went past it). Comments and single-quoted
 * strings, which json-glib reads but JSON has not, are refused too
 * (JSON_PARSER_ERROR_PARSE): they could hide nesting from the count; and
 * so is anything after the text's one value, which json-glib 1.6 would
 * parse, keep and lose. */
gboolean  cc_json_check_bounds (const char  *data,
                                gsize        length,
                                gsize        max_bytes,
                                GError     **error);

/* cc_json_check_bounds(), then parses @data. The root, or NULL with
 * @error set: G_IO_ERROR_MESSAGE_TOO_LARGE for a text out of bounds,
 * JSON_PARSER_ERROR for one that is not JSON (an empty text is not). */
JsonNode *cc_json_parse        (const char  *data,
                                gsize        length,
                                gsize        max_bytes,
                                GError     **error);

/* cc_json_parse() of the file at @path, which is refused without being
 * read when it is larger than @max_bytes. G_FILE_ERROR when it cannot be
 * read at all. */
JsonNode *cc_json_parse_file   (const char  *path,
                                gsize        max_bytes,
                                GError     **error);

/* Whether @error is a refusal of cc_json_check_bounds(). */
gboolean  cc_json_error_is_bounds (const GError *error);

G_END_DECLS
