/* cc-time-label.h — a point in time said relatively ("3 minutes ago"),
 * kept current while shown. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CC_TYPE_TIME_LABEL (cc_time_label_get_type ())
G_DECLARE_FINAL_TYPE (CcTimeLabel, cc_time_label, CC, TIME_LABEL, GtkWidget)

CcTimeLabel *cc_time_label_new      (void);
/* Unix time in microseconds; 0 = never. */
gint64       cc_time_label_get_time (CcTimeLabel *self);
void         cc_time_label_set_time (CcTimeLabel *self,
                                     gint64       time_us);
const char  *cc_time_label_get_text (CcTimeLabel *self);

/* @time_us relative to @now_us, in words ("Never", "Just now",
 * "5 minutes ago", or the day when older than a day). */
char        *cc_time_label_format   (gint64       time_us,
                                     gint64       now_us);
/* The full local date and time of @time_us. */
char        *cc_time_label_format_absolute (gint64 time_us);

G_END_DECLS
