/* test-secrets.c — client secrets round-trip through a real keyring.
 *
 * Runs inside cc-test-harness, which starts a private session bus and an
 * unlocked gnome-keyring: these calls go to a real Secret Service.
 */
#include <libsecret/secret.h>

#include "cc-error.h"
#include "cc-secrets.h"

static void
test_store_lookup_clear (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  g_autofree char *other = NULL;
  g_autofree char *raw = NULL;

  g_assert_true (cc_secrets_store ("dynamics", "s3cr3t-ü", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cc_secrets_store ("campaign", "another", NULL, &error));
  g_assert_no_error (error);

  found = cc_secrets_lookup ("dynamics", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, "s3cr3t-ü");

  /* It is really in the keyring under our schema, not in some cache. */
  raw = secret_password_lookup_sync (cc_secrets_get_schema (), NULL, &error,
                                     "system", "campaign", NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (raw, ==, "another");

  /* Storing again replaces. */
  g_assert_true (cc_secrets_store ("dynamics", "rotated", NULL, &error));
  g_clear_pointer (&found, g_free);
  found = cc_secrets_lookup ("dynamics", NULL, &error);
  g_assert_cmpstr (found, ==, "rotated");

  g_assert_true (cc_secrets_clear ("dynamics", NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&found, g_free);
  found = cc_secrets_lookup ("dynamics", NULL, &error);
  g_assert_error (error, CC_ERROR, CC_ERROR_NO_SECRET);
  g_assert_null (found);
  g_clear_error (&error);

  /* Clearing one connection leaves the other alone. */
  other = cc_secrets_lookup ("campaign", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (other, ==, "another");
}

static void
test_unknown_system (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (cc_secrets_store ("salesforce", "x", NULL, &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "salesforce"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/secrets/store-lookup-clear", test_store_lookup_clear);
  g_test_add_func ("/secrets/unknown-system", test_unknown_system);
  return g_test_run ();
}
