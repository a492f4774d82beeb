/* cc-config.h — the configuration file: connections and workflow configs.
 *
 * One versioned JSON file under the user's config dir. It never holds a
 * secret: those live in the keyring (cc-secrets.h). Each workflow has an
 * "applied" configuration (what its workers run with) and an "edited" one
 * (what the user saved last); they differ while changes are pending.
 * Only used from the main thread.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CC_CONFIG_VERSION 1

#define CC_TYPE_CONFIG (cc_config_get_type ())
G_DECLARE_FINAL_TYPE (CcConfig, cc_config, CC, CONFIG, GObject)

/* The default file: $XDG_CONFIG_HOME/campaign-connector/config.json. */
char        *cc_config_default_path       (void);

/* Loads @path; a missing file gives an empty configuration. A file that
 * cannot be parsed, or holds anything this version would not write (a
 * member of the wrong type or shape, an unknown one, a connection
 * setting that would be refused), is refused with one line that names
 * the file and the member's path ("connections.dynamics.url (Environment
 * URL): must be a string"); nothing is overwritten. What the workflows'
 * configurations say is checked by the engine (cc_engine_check_config). */
CcConfig    *cc_config_load               (const char   *path,
                                           GError      **error);
/* cc_config_load() of @data, the text of a file at @path, which is never
 * read or written: for what checks configurations without a file (the
 * fuzz targets). */
CcConfig    *cc_config_new_from_data      (const char   *path,
                                           const char   *data,
                                           gsize         length,
                                           GError      **error);
/* An empty configuration that only lives in memory (no path: it is never
 * saved). */
CcConfig    *cc_config_new_in_memory      (void);
/* NULL for a configuration in memory. */
const char  *cc_config_get_path           (CcConfig     *self);
/* Writes atomically (temp file + rename), mode 0600. Not for one in memory. */
gboolean     cc_config_save               (CcConfig     *self,
                                           GError      **error);

/* Known keys of a connection ("dynamics": url, tenant, client-id,
 * token-url; "campaign": org, api-key, api-url, ims-url, ims-scope,
 * journal-url, max-calls-per-second, daily-call-budget). NULL for an
 * unknown system. */
const char * const *cc_config_connection_keys (const char *system);

/* TRUE for "dynamics" and "campaign"; else CC_ERROR_NOT_FOUND saying
 * which names are known. */
gboolean     cc_config_check_system       (const char   *system,
                                           GError      **error);
/* The label of @system's setting @key ("secret" included) as the
 * connections dialog titles its row, translated; NULL for an unknown
 * key. */
const char  *cc_config_connection_label   (const char   *system,
                                           const char   *key);
/* Checks @value for @system's setting @key, which @path names ("dynamics.url"):
 * a known key, a string, no longer than the service allows, no control
 * character (nor a space in an id), a URL as cc_url_check() wants it, a
 * count (max-calls-per-second, daily-call-budget) a whole number of 0 or
 * more in digits (or, as a hand edit writes it, a JSON number). "" is no
 * value and passes. A refusal is CC_ERROR_INVALID_CONFIG: "<path>
 * (<label>): <what is wrong>". */
gboolean     cc_config_check_setting      (const char   *path,
                                           const char   *system,
                                           const char   *key,
                                           JsonNode     *value,
                                           GError      **error);
/* Checks the length of a client secret of @system. */
gboolean     cc_config_check_secret       (const char   *system,
                                           const char   *secret,
                                           GError      **error);

/* The stored non-secret settings of @system (never NULL; may be empty). */
JsonObject  *cc_config_get_connection     (CcConfig     *self,
                                           const char   *system);
/* Merges @settings (string values) into @system's settings after checking
 * them all (cc_config_check_system, cc_config_check_setting): nothing
 * changes when one is refused. An empty value removes the key. Does not
 * save. */
gboolean     cc_config_set_connection     (CcConfig     *self,
                                           const char   *system,
                                           JsonObject   *settings,
                                           GError      **error);
/* A count setting of @system (max-calls-per-second, daily-call-budget):
 * 0 when it is not set; FALSE with CC_ERROR_INVALID_CONFIG naming it when
 * what is stored is not a whole number of 0 or more. */
gboolean     cc_config_get_connection_count (CcConfig   *self,
                                             const char *system,
                                             const char *key,
                                             guint64    *value,
                                             GError    **error);
/* Whether @system has every key a connection needs. */
gboolean     cc_config_connection_is_complete (CcConfig   *self,
                                               const char *system);

/* The Dynamics 365 connection's application users besides its own
 * client-id: their client ids, in the order they were added (never NULL;
 * their secrets are in the keyring, cc_secrets_store_user). Writes are
 * spread over all of them, as Dataverse's service-protection limits are
 * per user. */
GStrv        cc_config_get_dynamics_users   (CcConfig   *self);
/* Adds @client_id: CC_ERROR_INVALID_CONFIG when it is empty, holds spaces
 * or commas, or is there already (the connection's own included). Does
 * not save. */
gboolean     cc_config_add_dynamics_user    (CcConfig   *self,
                                             const char *client_id,
                                             GError    **error);
/* CC_ERROR_NOT_FOUND when @client_id is not one of them. Does not save. */
gboolean     cc_config_remove_dynamics_user (CcConfig   *self,
                                             const char *client_id,
                                             GError    **error);

/* The "workflows" object: each workflow's "applied" and "edited"
 * configurations by id (never NULL; may be empty). */
JsonObject  *cc_config_get_workflows      (CcConfig     *self);
/* @which is "applied" or "edited". Borrowed; NULL when never set. */
JsonNode    *cc_config_get_workflow       (CcConfig     *self,
                                           const char   *id,
                                           const char   *which);
void         cc_config_set_workflow       (CcConfig     *self,
                                           const char   *id,
                                           const char   *which,
                                           JsonNode     *config);

G_END_DECLS
