/* cc-json-read.h — reading what a service answered.
 *
 * json-glib's typed getters abort on a member of another type; an answer
 * from a server is read leniently instead: a member that is absent, null
 * or not of the type expected counts as absent, and the caller reads as
 * far as the answer makes sense.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* @object's member @name if it is an object, else NULL (@object may be
 * NULL too). */
JsonObject *cc_json_read_object (JsonObject *object,
                                 const char *name);
/* @object's member @name if it is an array, else NULL. */
JsonArray  *cc_json_read_array  (JsonObject *object,
                                 const char *name);
/* @object's member @name if it is a string, else NULL. */
const char *cc_json_read_string (JsonObject *object,
                                 const char *name);
/* @object's member @name if it is a whole number (or, for what some
 * services send, a number or a string of digits), else @fallback. */
gint64      cc_json_read_int    (JsonObject *object,
                                 const char *name,
                                 gint64      fallback);
/* @object's member @name if it is true or false, else @fallback. */
gboolean    cc_json_read_boolean (JsonObject *object,
                                  const char *name,
                                  gboolean    fallback);

G_END_DECLS
