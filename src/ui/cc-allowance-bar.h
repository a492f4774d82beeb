/* cc-allowance-bar.h — Campaign's API allowance at the foot of the window:
 * the calls made today (UTC), the limits, and when the used-up daily
 * budget renews. */
#pragma once

#include <adwaita.h>

#include "cc-engine.h"

G_BEGIN_DECLS

#define CC_TYPE_ALLOWANCE_BAR (cc_allowance_bar_get_type ())
G_DECLARE_FINAL_TYPE (CcAllowanceBar, cc_allowance_bar, CC, ALLOWANCE_BAR, GtkWidget)

/* Follows @allowance (NULL: shows nothing). */
void        cc_allowance_bar_set_allowance (CcAllowanceBar *self,
                                            CcApiAllowance *allowance);
/* What the bar says now. */
const char *cc_allowance_bar_get_text      (CcAllowanceBar *self);

/* The bar's words for these values, translated. */
char       *cc_allowance_bar_format        (guint64         calls_today,
                                            guint64         daily_budget,
                                            guint           max_calls_per_second,
                                            gint64          waiting_until);

G_END_DECLS
