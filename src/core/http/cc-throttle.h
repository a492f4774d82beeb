/* cc-throttle.h — one service user's back-off, shared by every request
 * sent as that user.
 *
 * Dynamics 365 counts its service-protection limits per application user
 * and answers 429 with a Retry-After once one is exceeded; a request as
 * that user that comes before the Retry-After has passed extends the
 * wait. So the wait is the user's, not the request's: every CcHttpRequest
 * that names the user's CcThrottle (every client signed in as that user,
 * on any thread) holds its next try until the last Retry-After given to
 * any of them has passed, while the requests of other users go on.
 *
 * Thread-safe.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CC_TYPE_THROTTLE (cc_throttle_get_type ())
G_DECLARE_FINAL_TYPE (CcThrottle, cc_throttle, CC, THROTTLE, GObject)

CcThrottle *cc_throttle_new          (void);
/* The service asked the user to wait @delay_ms from now: no request as the
 * user goes out before then (a later hold that ends sooner shortens
 * nothing). */
void        cc_throttle_hold         (CcThrottle *self,
                                      guint       delay_ms);
/* How long a request as the user has to wait from now; 0: none. */
guint       cc_throttle_get_wait_ms  (CcThrottle *self);
/* Monotonic µs until which the user waits (0: never held). */
gint64      cc_throttle_get_held_until (CcThrottle *self);

G_END_DECLS
