/* test-core-i18n.c — messages of the core reach the user translated:
 * those that carry a 64-bit number, and a refused connection setting,
 * named by its label as the connections dialog shows it.
 *
 * A 64-bit number cannot be formatted inside a translatable string
 * (xgettext cuts the msgid at G_GINT64_FORMAT, and the message stays
 * English): these messages must come back in German from the build's
 * catalogs under LANGUAGE=de.
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cc-config.h"
#include "cc-error.h"
#include "cc-json-check.h"

static void
test_out_of_range (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string ("{\"batch-size\": 99999}", &error);
  guint value = 0;

  g_assert_no_error (error);
  g_assert_false (cc_json_check_uint (json_node_get_object (node), "egress", "batch-size",
                                      1, 5000, 100, &value, &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG);
  g_assert_cmpstr (error->message, ==,
                   "egress.batch-size: 99999 liegt außerhalb des Bereichs (1 bis 5000)");
}

static void
test_newer_config (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cc-config-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(CcConfig) config = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "config.json", NULL);
  g_assert_true (g_file_set_contents (path, "{\"version\": 4000000000}", -1, &error));
  g_assert_no_error (error);

  config = cc_config_load (path, &error);
  g_assert_null (config);
  g_assert_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG);
  /* 4000000000 does not fit 32 bits: the whole 64-bit value is shown. */
  expected = g_strdup_printf ("Die Konfigurationsdatei %s wurde von einer neueren Version "
                              "von Campaign Connector geschrieben (Format 4000000000)", path);
  g_assert_cmpstr (error->message, ==, expected);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_setting_label (void)
{
  g_autoptr(CcConfig) config = cc_config_new_in_memory ();
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (settings, "url", "https://a b.com/");
  g_assert_false (cc_config_set_connection (config, "dynamics", settings, &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG);
  g_assert_cmpstr (error->message, ==,
                   "dynamics.url (Umgebungs-URL): »https://a b.com/« enthält ein Leerzeichen "
                   "(schreiben Sie es als %20)");
}

int
main (int argc, char **argv)
{
  const char *build_dir = g_getenv ("CC_BUILD_DIR");
  g_autofree char *localedir = NULL;
  g_autofree char *mo = NULL;

  g_test_init (&argc, &argv, NULL);

  if (build_dir == NULL)
    g_error ("CC_BUILD_DIR must be set (tests/meson.build sets it)");
  localedir = g_build_filename (build_dir, "po", NULL);
  mo = g_build_filename (localedir, "de", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (!g_file_test (mo, G_FILE_TEST_IS_REGULAR))
    g_error ("%s was not built", mo);

  /* The harness sets LC_ALL=C.UTF-8; LANGUAGE then picks the catalog
   * (gettext ignores it only under the plain "C" locale). It must be set
   * before the first lookup: gettext caches what it found. */
  g_setenv ("LANGUAGE", "de", TRUE);
  if (setlocale (LC_ALL, "") == NULL)
    g_error ("the locale of the environment cannot be set");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  g_test_add_func ("/core/i18n/out-of-range", test_out_of_range);
  g_test_add_func ("/core/i18n/newer-config", test_newer_config);
  g_test_add_func ("/core/i18n/setting-label", test_setting_label);
  return g_test_run ();
}
