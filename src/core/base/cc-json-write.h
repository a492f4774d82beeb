/* cc-json-write.h — writing JSON: a workflow's configuration, and text
 * written straight into a string.
 *
 * The other half of cc-json-check.h: each kind writes every setting out,
 * defaults included, so that what GetConfig shows is what runs and two
 * configurations that mean the same compare equal. One call writes one
 * member of the object the builder is in.
 *
 * The text writers append to a GString what json_to_string () would
 * write for the same value (json-glib 1.6: the same escapes, the same
 * digits), without a tree or a generator: for what is written once per
 * record.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

void      cc_json_write_string   (JsonBuilder         *builder,
                                  const char          *name,
                                  const char          *value);
void      cc_json_write_uint     (JsonBuilder         *builder,
                                  const char          *name,
                                  guint                value);
void      cc_json_write_boolean  (JsonBuilder         *builder,
                                  const char          *name,
                                  gboolean             value);
/* A copy of @value. */
void      cc_json_write_node     (JsonBuilder         *builder,
                                  const char          *name,
                                  JsonNode            *value);
/* An object @name of @n string members: @names[i] is @values[i]. */
void      cc_json_write_strings  (JsonBuilder         *builder,
                                  const char          *name,
                                  const char * const  *names,
                                  char * const        *values,
                                  guint                n);

typedef gpointer  (*CcJsonParseFunc) (JsonNode       *node,
                                      GError        **error);
typedef JsonNode *(*CcJsonWriteFunc) (gconstpointer   config);

/* The configuration @parse makes of an empty object (every member takes
 * its default), written back by @write: the defaults spelled out. */
JsonNode *cc_json_write_defaults (CcJsonParseFunc      parse,
                                  CcJsonWriteFunc      write,
                                  GDestroyNotify       free_config);

/* @value as a JSON string, quotes included. */
void      cc_json_write_text_string (GString           *out,
                                     const char        *value);
/* @node as JSON text. */
void      cc_json_write_text_node   (GString           *out,
                                     JsonNode          *node);

G_END_DECLS
