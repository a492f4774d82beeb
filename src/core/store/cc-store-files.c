/* cc-store-files.c — the database's files on disk: state.db and the
 * state.db-wal and state.db-shm that SQLite keeps beside it in WAL mode.
 *
 * SQLite creates the two companions with the mode of the database file.
 * A database made read-only once (chmod 444, a backup restored
 * read-only) leaves them read-only after the database is made writable
 * again, and every write then fails with "attempt to write a readonly
 * database", also after a restart, naming no file. Here they are given
 * the database's mode again when it is writable, and a write refused is
 * said with the file that refuses it.
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "cc-store-private.h"

static const char * const companions[] = { "-wal", "-shm" };

static gboolean
is_writable (const char *path)
{
  return g_access (path, W_OK) == 0;
}

void
cc_store_repair_files (const char *path)
{
  GStatBuf database;

  if (g_stat (path, &database) != 0 || !is_writable (path))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *companion = g_strconcat (path, companions[i], NULL);
      GStatBuf info;

      if (g_stat (companion, &info) != 0 || is_writable (companion)
          || info.st_uid != getuid ())
        continue;
      if (g_chmod (companion, database.st_mode & 0666) == 0)
        g_debug ("%s was read-only: given the mode of %s again", companion, path);
    }
}

gboolean
cc_store_files_writable (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (!is_writable (path) || !is_writable (dir))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *companion = g_strconcat (path, companions[i], NULL);

      if (g_file_test (companion, G_FILE_TEST_EXISTS) && !is_writable (companion))
        return FALSE;
    }
  return TRUE;
}

char *
cc_store_describe_read_only (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  const char *culprit = NULL;
  g_autofree char *companion = NULL;
  GStatBuf info;

  if (!is_writable (path))
    culprit = path;
  for (guint i = 0; culprit == NULL && i < G_N_ELEMENTS (companions); i++)
    {
      g_free (companion);
      companion = g_strconcat (path, companions[i], NULL);
      if (g_file_test (companion, G_FILE_TEST_EXISTS) && !is_writable (companion))
        culprit = companion;
    }
  if (culprit == NULL && !is_writable (dir))
    culprit = dir;
  if (culprit == NULL)
    return NULL;
  if (g_stat (culprit, &info) != 0)
    return g_strdup_printf ("%s is read-only", culprit);
  return g_strdup_printf ("%s is read-only (mode %03o): make it writable for this user "
                          "(chmod u+w)", culprit, (guint) (info.st_mode & 0777));
}
