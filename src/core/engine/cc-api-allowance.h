/* cc-api-allowance.h — Campaign's API allowance as the window, D-Bus
 * and the command line see it.
 *
 * The engine keeps one CcRateLimiter for its Campaign connection: every
 * workflow's Campaign calls, and the window's and the connection test's,
 * count against it (cc-rate-limiter.h). A CcApiAllowance shows it: the
 * limits, the calls made today (UTC) and, while the daily budget is used
 * up, when it renews. Its properties change on the main thread, at most
 * once a second.
 */
#pragma once

#include <gio/gio.h>

#include "cc-rate-limiter.h"

G_BEGIN_DECLS

#define CC_TYPE_API_ALLOWANCE (cc_api_allowance_get_type ())
G_DECLARE_FINAL_TYPE (CcApiAllowance, cc_api_allowance, CC, API_ALLOWANCE, GObject)

/* Shows @limiter, looking at it once a second from the main context. */
CcApiAllowance *cc_api_allowance_new                (CcRateLimiter  *limiter);
CcRateLimiter  *cc_api_allowance_get_limiter        (CcApiAllowance *self);

guint           cc_api_allowance_get_max_calls_per_second (CcApiAllowance *self);
/* 0 = none. */
guint64         cc_api_allowance_get_daily_budget   (CcApiAllowance *self);
guint64         cc_api_allowance_get_calls_today    (CcApiAllowance *self);
/* Unix µs at which the used-up daily budget renews (midnight UTC); 0
 * while it is not used up. */
gint64          cc_api_allowance_get_waiting_until  (CcApiAllowance *self);

/* Looks at the limiter now (after a change of the limits). */
void            cc_api_allowance_refresh            (CcApiAllowance *self);

G_END_DECLS
