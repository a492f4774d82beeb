/* replay.c — a fuzz target's seed corpus, replayed as a regular test.
 *
 * Linked with one fuzz-<target>.c by the regular build (any compiler):
 * feeds every file of the folders (or the files) it is given to the
 * target's LLVMFuzzerTestOneInput (), in name order, so that every input
 * a fuzzer ever crashed on is tried again by the README's test command.
 */
#include <stdio.h>

#include "fuzz-input.h"

static int
replay_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize size;

  if (!g_file_get_contents (path, &data, &size, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  LLVMFuzzerTestOneInput ((const uint8_t *) data, size);
  printf ("replayed %s\n", path);
  return 0;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static int
replay_folder (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  int failures = 0;

  if (dir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_paths);
  if (names->len == 0)
    {
      g_printerr ("%s holds no input\n", path);
      return 1;
    }
  for (guint i = 0; i < names->len; i++)
    failures += replay_file (g_ptr_array_index (names, i));
  return failures;
}

int
main (int   argc,
      char *argv[])
{
  int failures = 0;

  if (argc < 2)
    {
      g_printerr ("usage: %s FOLDER|FILE…\n", argv[0]);
      return 2;
    }
  for (int i = 1; i < argc; i++)
    failures += g_file_test (argv[i], G_FILE_TEST_IS_DIR) ? replay_folder (argv[i])
                                                          : replay_file (argv[i]);
  return failures > 0 ? 1 : 0;
}
