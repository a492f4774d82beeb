/* cc-test-json.c — JSON helpers of the tests. */
#include "cc-test-json.h"

JsonNode *
cc_test_json_from_quoted (const char *quoted)
{
  g_autofree char *text = g_strdup (quoted);
  g_autoptr (GError) error = NULL;
  JsonNode *node;

  g_strdelimit (text, "'", '"');
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

void
cc_test_assert_refusals (CcTestParseFunc      parse,
                         const CcTestRefusal *cases,
                         gsize                n_cases,
                         GQuark               domain,
                         gint                 code)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr(JsonNode) node = json_from_string (cases[i].json, NULL);
      g_autoptr(GError) error = NULL;
      gpointer config = parse (node, &error);

      g_assert_null (config);
      g_assert_error (error, domain, code);
      if (!g_str_has_prefix (error->message, cases[i].prefix))
        g_error ("%s: “%s” does not start with “%s”", cases[i].json, error->message,
                 cases[i].prefix);
    }
}
