/* cc-test-admin.h — the sandbox's /_sandbox/ admin API from tests. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Sends @method @base_url@path with @body (JSON text or NULL) and returns
 * the parsed answer (NULL for an empty one). Fails the test unless the
 * status is 2xx. Safe from any thread: it uses its own session. */
JsonNode *cc_test_admin        (const char *base_url,
                                const char *method,
                                const char *path,
                                const char *body) G_GNUC_WARN_UNUSED_RESULT;
/* The same, but the status must be @expected_status (which may be an
 * error). */
JsonNode *cc_test_admin_expect (const char *base_url,
                                const char *method,
                                const char *path,
                                const char *body,
                                guint       expected_status) G_GNUC_WARN_UNUSED_RESULT;
/* For calls whose answer only matters by its status. */
void      cc_test_admin_drop   (const char *base_url,
                                const char *method,
                                const char *path,
                                const char *body,
                                guint       expected_status);
/* The "count" member (or @member) of a GET answer. */
gint64    cc_test_admin_count  (const char *base_url,
                                const char *path,
                                const char *member);

/* How many Web API requests the Dataverse sandbox at @dataverse_url
 * admitted for application user @client_id, and refused with 429 (fails
 * the test when it has no such user). */
void      cc_test_admin_user_counts (const char *dataverse_url,
                                     const char *client_id,
                                     gint64     *requests,
                                     gint64     *throttled);

/* Gives the Dataverse sandbox at @dataverse_url's contacts @first to
 * @first + @n - 1 (in the order it lists them) the email address @email:
 * with one that is no address, Campaign refuses their profiles ("The
 * value '<email>' of the 'email' property is not valid: …", HTTP 400). */
void      cc_test_admin_set_emails (const char *dataverse_url,
                                    guint       first,
                                    guint       n,
                                    const char *email);

G_END_DECLS
