/* cc-test-util.h — what the test suites share: waiting on conditions and
 * where artifacts (screenshots) go. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef gboolean (*CcTestCondition) (gpointer user_data);

/* @seconds times $CC_TEST_TIMEOUT_MULTIPLIER (1 unless set, as the
 * sanitizer setup does): what a deadline inside a test is given, so
 * that a slow build does not fail where the same code would pass. */
guint     cc_test_scale_timeout    (guint           seconds);

/* Iterates the thread-default main context until @condition holds or
 * @timeout_s (scaled by cc_test_scale_timeout) passes; returns whether it
 * held. Never a fixed sleep. */
gboolean  cc_test_wait_until       (CcTestCondition condition,
                                    gpointer        user_data,
                                    guint           timeout_s);

/* The folder for artifacts of this test run ($CC_TEST_LOG_DIR, created). */
char     *cc_test_artifact_path    (const char     *name);

/* How many file descriptors this process has open. */
guint     cc_test_count_descriptors (void);
/* A CcTestCondition: fewer descriptors open than GPOINTER_TO_UINT
 * (@limit), for waiting until a server has closed idle connections. */
gboolean  cc_test_descriptors_below (gpointer        limit);

/* The names of this process's threads now alive (as the kernel keeps
 * them: at most 15 bytes). */
GStrv     cc_test_list_threads     (void);

G_END_DECLS
