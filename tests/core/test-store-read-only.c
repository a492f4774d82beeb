/* test-store-read-only.c — a state database made read-only, then
 * writable again: while it is read-only a write fails naming the file
 * that refuses it; once it is writable, writes work again, both on a
 * connection that was open all along and after a restart, although
 * SQLite left its state.db-shm read-only behind.
 *
 * Permissions do not bind root: run as root, the test first gives up the
 * capabilities that let it write to files whatever their mode.
 */
#include <glib/gstdio.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cc-error.h"
#include "cc-store.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

/* Root writes to a file of any mode (CAP_DAC_OVERRIDE): without it, the
 * modes bind as they bind any user. For good: the test never needs it. */
static void
give_up_file_privileges (void)
{
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

  if (geteuid () != 0)
    return;
  g_assert_cmpint (syscall (SYS_capget, &header, data), ==, 0);
  /* From the permitted set too: access (2) judges root by that one. */
  for (guint i = 0; i < G_N_ELEMENTS (data); i++)
    {
      guint32 mask = i == 0 ? CAP_TO_MASK (CAP_DAC_OVERRIDE) | CAP_TO_MASK (CAP_DAC_READ_SEARCH)
                            : 0;

      data[i].effective &= ~mask;
      data[i].permitted &= ~mask;
      data[i].inheritable &= ~mask;
    }
  g_assert_cmpint (syscall (SYS_capset, &header, data), ==, 0);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CcStore) store = NULL;

  fixture->dir = g_dir_make_tmp ("cc-store-ro-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "state.db", NULL);
  store = cc_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (cc_store_set_wanted (store, "egress", TRUE, &error));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fixture->path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* A write refused while the database is read-only, naming it. */
static void
assert_write_refused (CcStore    *store,
                      const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *named = g_strdup_printf ("%s is read-only (mode 444)", path);

  g_assert_false (cc_store_set_wanted (store, "ingress", TRUE, &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, named));
}

static void
assert_write_works (CcStore *store)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) wanted = NULL;

  g_assert_true (cc_store_set_wanted (store, "ingress", TRUE, &error));
  g_assert_no_error (error);
  wanted = cc_store_list_wanted (store, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) wanted, "ingress"));
}

/* The engine's own connection lives as long as the engine: it must not
 * stay read-only once the file is writable again. */
static void
test_open_connection_recovers (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CcStore) store = NULL;

  g_assert_cmpint (g_chmod (fixture->path, 0444), ==, 0);
  store = cc_store_open (fixture->path, &error);
  g_assert_no_error (error);
  assert_write_refused (store, fixture->path);

  g_assert_cmpint (g_chmod (fixture->path, 0644), ==, 0);
  assert_write_works (store);
}

/* SQLite made state.db-shm with the mode state.db had: read-only. After
 * the database is writable again, a new engine writes all the same. */
static void
test_restart_recovers (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *shm = g_strconcat (fixture->path, "-shm", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CcStore) store = NULL;
  GStatBuf info;

  g_assert_cmpint (g_chmod (fixture->path, 0444), ==, 0);
  store = cc_store_open (fixture->path, &error);
  g_assert_no_error (error);
  assert_write_refused (store, fixture->path);
  g_clear_object (&store);
  g_assert_cmpint (g_stat (shm, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0222, ==, 0);

  g_assert_cmpint (g_chmod (fixture->path, 0644), ==, 0);
  store = cc_store_open (fixture->path, &error);
  g_assert_no_error (error);
  assert_write_works (store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  give_up_file_privileges ();

  g_test_add ("/store-read-only/open-connection-recovers", Fixture, NULL, fixture_setup,
              test_open_connection_recovers, fixture_teardown);
  g_test_add ("/store-read-only/restart-recovers", Fixture, NULL, fixture_setup,
              test_restart_recovers, fixture_teardown);

  return g_test_run ();
}
