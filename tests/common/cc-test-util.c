/* cc-test-util.c — shared test helpers. */
#include "cc-test-util.h"

static gboolean
on_tick (gpointer user_data)
{
  return G_SOURCE_REMOVE;
}

static gboolean
on_deadline (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

guint
cc_test_scale_timeout (guint seconds)
{
  const char *factor = g_getenv ("CC_TEST_TIMEOUT_MULTIPLIER");
  guint64 n = factor != NULL ? g_ascii_strtoull (factor, NULL, 10) : 1;

  return seconds * (guint) CLAMP (n, 1, 100);
}

gboolean
cc_test_wait_until (CcTestCondition condition,
                    gpointer        user_data,
                    guint           timeout_s)
{
  GMainContext *context = g_main_context_get_thread_default ();
  gboolean expired = FALSE;
  GSource *deadline;
  gboolean held;

  deadline = g_timeout_source_new_seconds (cc_test_scale_timeout (timeout_s));
  g_source_set_callback (deadline, on_deadline, &expired, NULL);
  g_source_attach (deadline, context);

  /* A short poll keeps conditions that change off the main loop (worker
   * threads, other processes) from waiting for an unrelated event. */
  while (!(held = condition (user_data)) && !expired)
    {
      GSource *tick = g_timeout_source_new (20);

      g_source_set_callback (tick, on_tick, NULL, NULL);
      g_source_attach (tick, context);
      g_main_context_iteration (context, TRUE);
      g_source_destroy (tick);
      g_source_unref (tick);
    }

  g_source_destroy (deadline);
  g_source_unref (deadline);
  return held;
}

char *
cc_test_artifact_path (const char *name)
{
  const char *dir = g_getenv ("CC_TEST_LOG_DIR");

  if (dir == NULL)
    dir = g_get_tmp_dir ();
  g_mkdir_with_parents (dir, 0755);
  return g_build_filename (dir, name, NULL);
}

guint
cc_test_count_descriptors (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

gboolean
cc_test_descriptors_below (gpointer limit)
{
  return cc_test_count_descriptors () < GPOINTER_TO_UINT (limit);
}

GStrv
cc_test_list_threads (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  const char *task;

  g_assert_nonnull (dir);
  while ((task = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", task, "comm", NULL);
      g_autofree char *name = NULL;

      /* A thread may end between listing and reading. */
      if (g_file_get_contents (path, &name, NULL, NULL))
        g_strv_builder_add (names, g_strchomp (name));
    }
  return g_strv_builder_end (names);
}
