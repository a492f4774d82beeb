/* cc-test-engine.c — the engine and the command line as subprocesses. */
#include "cc-test-engine.h"

#include <fcntl.h>
#include <string.h>
#include <glib/gstdio.h>

#include "cc-test-util.h"

char *
cc_test_build_path (const char *relative)
{
  const char *build = g_getenv ("CC_BUILD_DIR");

  g_assert_nonnull (build);
  return g_build_filename (build, relative, NULL);
}

char **
cc_test_engine_environ (CcTestEngine *engine,
                        gboolean      display)
{
  char **envp = g_get_environ ();

  if (engine != NULL)
    {
      g_autofree char *config = g_build_filename (engine->root, "config", NULL);
      g_autofree char *data = g_build_filename (engine->root, "data", NULL);

      envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", config, TRUE);
      envp = g_environ_setenv (envp, "XDG_DATA_HOME", data, TRUE);
    }
  if (!display)
    {
      envp = g_environ_unsetenv (envp, "DISPLAY");
      envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
    }
  return envp;
}

static void
on_exited (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  CcTestEngine *engine = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  engine->exit_status = g_subprocess_get_if_exited (G_SUBPROCESS (object))
                        ? g_subprocess_get_exit_status (G_SUBPROCESS (object))
                        : 128 + g_subprocess_get_term_sig (G_SUBPROCESS (object));
  engine->exited = TRUE;
}

static gboolean
name_owned (gpointer user_data)
{
  CcTestEngine *engine = user_data;
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  if (engine->exited)
    return TRUE;  /* no point waiting any longer */
  reply = g_dbus_connection_call_sync (engine->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", CC_TEST_BUS_NAME),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* Runs `campaign-connector @args` in @engine's folders and waits until it
 * owns the bus name. */
static void
spawn (CcTestEngine       *engine,
       const char * const *args,
       gboolean            display)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = NULL;
  g_autofree char *log = NULL;
  int fd;

  g_ptr_array_add (argv, cc_test_build_path ("src/ui/campaign-connector"));
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  envp = cc_test_engine_environ (engine, display);
  /* Every debug line too, so that tests can check what gets logged. */
  envp = g_environ_setenv (envp, "G_MESSAGES_DEBUG", "all", TRUE);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_environ (launcher, envp);
  /* Appended to: a test that starts the engine again keeps every log. */
  fd = g_open (engine->log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_subprocess_launcher_take_stdout_fd (launcher, fd);
  g_clear_object (&engine->process);
  engine->exited = FALSE;
  engine->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                  &error);
  g_assert_no_error (error);
  g_subprocess_wait_async (engine->process, NULL, on_exited, engine);

  g_assert_true (cc_test_wait_until (name_owned, engine, 60));
  if (engine->exited)
    {
      g_file_get_contents (engine->log_path, &log, NULL, NULL);
      g_error ("campaign-connector exited (%d) before it owned its name:\n%s",
               engine->exit_status, log ? log : "");
    }
}

CcTestEngine *
cc_test_engine_start (const char * const *args,
                      gboolean            display)
{
  g_autoptr(GError) error = NULL;
  CcTestEngine *engine = g_new0 (CcTestEngine, 1);

  engine->root = g_dir_make_tmp ("cc-engine-XXXXXX", &error);
  g_assert_no_error (error);
  engine->log_path = g_build_filename (engine->root, "engine.log", NULL);
  engine->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  spawn (engine, args, display);
  return engine;
}

void
cc_test_engine_start_again (CcTestEngine       *engine,
                            const char * const *args,
                            gboolean            display)
{
  g_assert_true (engine->exited);
  spawn (engine, args, display);
}

static gboolean
has_exited (gpointer user_data)
{
  return ((CcTestEngine *) user_data)->exited;
}

gboolean
cc_test_engine_wait_exit (CcTestEngine *engine,
                          guint         timeout_s)
{
  return cc_test_wait_until (has_exited, engine, timeout_s);
}

void
cc_test_engine_quit (CcTestEngine *engine)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (engine->exited)
    return;
  reply = cc_test_call (engine->bus, CC_TEST_PATH, CC_TEST_MANAGER, "Quit", NULL, &error);
  g_assert_no_error (error);
  if (!cc_test_engine_wait_exit (engine, 60))
    {
      g_subprocess_force_exit (engine->process);
      cc_test_engine_wait_exit (engine, 10);
      g_error ("campaign-connector did not end after Quit");
    }
  g_assert_cmpint (engine->exit_status, ==, 0);
}

static void
remove_tree (GFile *dir)
{
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL
         && g_file_enumerator_iterate (children, &info, NULL, NULL, NULL) && info != NULL)
    {
      g_autoptr(GFile) child = g_file_get_child (dir, g_file_info_get_name (info));

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        remove_tree (child);
      else
        g_file_delete (child, NULL, NULL);
    }
  g_file_delete (dir, NULL, NULL);
}

void
cc_test_engine_free (CcTestEngine *engine)
{
  g_autoptr(GFile) root = NULL;

  if (!engine->exited)
    {
      g_subprocess_force_exit (engine->process);
      cc_test_engine_wait_exit (engine, 10);
    }
  root = g_file_new_for_path (engine->root);
  remove_tree (root);
  g_clear_object (&engine->process);
  g_clear_object (&engine->bus);
  g_free (engine->root);
  g_free (engine->log_path);
  g_free (engine);
}

int
cc_test_run (const char * const  *argv,
             char               **envp,
             const char          *input,
             char               **out,
             char               **err)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (envp != NULL)
    g_subprocess_launcher_set_environ (launcher, envp);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input ? input : "", NULL, &stdout_text,
                                 &stderr_text, &error);
  g_assert_no_error (error);

  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

int
cc_test_ctl (const char  *input,
             char       **out,
             char       **err,
             const char  *first,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out_text = NULL;
  g_autofree char *err_text = NULL;
  const char *arg;
  va_list args;
  int status;

  g_ptr_array_add (argv, cc_test_build_path ("src/cli/campaign-connector-ctl"));
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  status = cc_test_run ((const char * const *) argv->pdata, NULL, input, &out_text, &err_text);
  g_test_message ("ctl %s → %d\n%s%s", first ? first : "", status, out_text, err_text);
  if (out != NULL)
    *out = g_steal_pointer (&out_text);
  if (err != NULL)
    *err = g_steal_pointer (&err_text);
  return status;
}

GVariant *
cc_test_call (GDBusConnection  *bus,
              const char       *path,
              const char       *interface,
              const char       *method,
              GVariant         *parameters,
              GError          **error)
{
  return g_dbus_connection_call_sync (bus, CC_TEST_BUS_NAME, path, interface, method,
                                      parameters, NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                      60 * 1000, NULL, error);
}

GVariant *
cc_test_get_property (GDBusConnection *bus,
                      const char      *path,
                      const char      *interface,
                      const char      *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  GVariant *value = NULL;

  reply = cc_test_call (bus, path, "org.freedesktop.DBus.Properties", "Get",
                        g_variant_new ("(ss)", interface, name), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  return value;
}

char *
cc_test_error_name (const GError *error)
{
  g_assert_nonnull (error);
  return g_dbus_error_get_remote_error (error);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  gsize needle_length = strlen (needle);

  /* Byte by byte: databases hold NULs, so no string search will do. */
  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  for (gsize i = 0; i + needle_length <= length; i++)
    if (memcmp (contents + i, needle, needle_length) == 0)
      return TRUE;
  return FALSE;
}

gboolean
cc_test_tree_contains (const char *dir,
                       const char *needle)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return file_contains (dir, needle);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR) ? cc_test_tree_contains (path, needle)
                                                 : file_contains (path, needle))
        return TRUE;
    }
  return FALSE;
}
