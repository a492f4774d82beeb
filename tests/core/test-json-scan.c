/* test-json-scan.c — reading one member of an answer without parsing it:
 * what the scan finds is what json-glib finds, and a text it cannot be
 * sure of is left to the parser.
 */
#include "config.h"

#include <string.h>

#include "cc-json-parse.h"
#include "cc-json-read.h"
#include "cc-json-scan.h"

typedef struct
{
  const char *text;
  CcJsonScan  expected;
  const char *pkey;      /* on CC_JSON_SCAN_FOUND */
} Case;

static const Case cases[] = {
  /* a write's answer, as Campaign sends it */
  { "{\"PKey\":\"@abc-_9\",\"email\":\"a@example.com\",\"denyList\":false,\"age\":42,"
    "\"href\":\"http://x/profile/@abc\"}", CC_JSON_SCAN_FOUND, "@abc-_9" },
  { " \r\n{ \"a\" : 1.5e3 , \"PKey\" : \"@k\" }\n", CC_JSON_SCAN_FOUND, "@k" },
  { "{\"PKey\":\"@first\",\"PKey\":\"@last\"}", CC_JSON_SCAN_FOUND, "@last" },
  { "{\"PKey\":\"\"}", CC_JSON_SCAN_FOUND, "" },
  { "{\"PKey\":\"@ü\"}", CC_JSON_SCAN_FOUND, "@ü" },
  /* nested members are not the record's */
  { "{\"link\":{\"PKey\":\"@inner\",\"l\":[1,{\"PKey\":\"@x\"},\"]}\"]}}", CC_JSON_SCAN_ABSENT, NULL },
  { "{\"link\":{\"PKey\":\"@inner\"},\"PKey\":\"@outer\"}", CC_JSON_SCAN_FOUND, "@outer" },
  { "{}", CC_JSON_SCAN_ABSENT, NULL },
  { "{\"PKey\":null}", CC_JSON_SCAN_ABSENT, NULL },
  { "{\"PKey\":7}", CC_JSON_SCAN_ABSENT, NULL },
  { "{\"PKey\":\"@a\",\"PKey\":[]}", CC_JSON_SCAN_ABSENT, NULL },
  { "{\"a\":\"say \\\"PKey\\\":\\\"@no\\\"\",\"b\":true}", CC_JSON_SCAN_ABSENT, NULL },
  /* what only a parser can tell, or what is no object */
  { "{\"PKey\":\"@a\\u0062\"}", CC_JSON_SCAN_UNSURE, NULL },
  { "{\"PK\\u0065y\":\"@a\"}", CC_JSON_SCAN_UNSURE, NULL },
  { "[{\"PKey\":\"@a\"}]", CC_JSON_SCAN_UNSURE, NULL },
  { "\"PKey\"", CC_JSON_SCAN_UNSURE, NULL },
  { "", CC_JSON_SCAN_UNSURE, NULL },
  { "{\"PKey\":\"@a\"", CC_JSON_SCAN_UNSURE, NULL },
  { "{\"PKey\":\"@a", CC_JSON_SCAN_UNSURE, NULL },
  { "{\"PKey\":\"@a\",}", CC_JSON_SCAN_UNSURE, NULL },
  { "{\"PKey\" \"@a\"}", CC_JSON_SCAN_UNSURE, NULL },
  { "{\"PKey\":\"@a\" \"b\":1}", CC_JSON_SCAN_UNSURE, NULL },
  { "{\"a\":{\"b\":[1,2}],\"PKey\":\"@a\"}", CC_JSON_SCAN_UNSURE, NULL },
  { "{\"a\":tru,\"PKey\":\"@a\"}", CC_JSON_SCAN_UNSURE, NULL },
  { "{\"a\":+1,\"PKey\":\"@a\"}", CC_JSON_SCAN_UNSURE, NULL },
  { "{\"PKey\":\"@a\tb\"}", CC_JSON_SCAN_UNSURE, NULL },
  { "{\"PKey\":\"@a\xff\"}", CC_JSON_SCAN_UNSURE, NULL },
  { "{\"PKey\":\"@a\xc3\"}", CC_JSON_SCAN_UNSURE, NULL },
  { "{\"PKey\":\"@a\"} {}", CC_JSON_SCAN_UNSURE, NULL },
  { "{\"PKey\":\"@a\"}}", CC_JSON_SCAN_UNSURE, NULL },
};

/* What json-glib makes of @text: FALSE when it does not parse. */
static gboolean
parsed_pkey (const char  *text,
             char       **pkey)
{
  g_autoptr(JsonNode) node = cc_json_parse (text, strlen (text), CC_JSON_MAX_ANSWER, NULL);

  *pkey = NULL;
  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_OBJECT (node))
    *pkey = g_strdup (cc_json_read_string (json_node_get_object (node), "PKey"));
  return TRUE;
}

static void
test_scan_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autofree char *value = NULL;
      g_autofree char *parsed = NULL;
      g_autofree char *shown = g_strescape (c->text, NULL);   /* TAP takes UTF-8 only */
      CcJsonScan scan;

      g_test_message ("case %u: %s", i, shown);
      scan = cc_json_scan_string_member (c->text, strlen (c->text), "PKey", &value);
      g_assert_cmpint (scan, ==, c->expected);
      g_assert_cmpstr (value, ==, c->pkey);
      /* Whenever the scan is sure, it says what the parser says. */
      if (scan != CC_JSON_SCAN_UNSURE)
        {
          g_assert_true (parsed_pkey (c->text, &parsed));
          g_assert_cmpstr (parsed, ==, value);
        }
    }
}

/* Every cut of an answer: never read past its end, never sure of what
 * does not parse. */
static void
test_scan_truncated (void)
{
  const char *text = "{\"a\":[1,{\"b\":\"}\"}],\"PKey\":\"@abc\",\"n\":-1.5E+2,\"t\":true}";
  gsize length = strlen (text);

  for (gsize cut = 0; cut <= length; cut++)
    {
      g_autofree char *copy = g_strndup (text, cut);   /* no NUL byte where it is cut */
      g_autofree char *value = NULL;
      g_autofree char *parsed = NULL;
      CcJsonScan scan = cc_json_scan_string_member (copy, cut, "PKey", &value);

      if (cut < length)
        g_assert_cmpint (scan, ==, CC_JSON_SCAN_UNSURE);
      else
        {
          g_assert_cmpint (scan, ==, CC_JSON_SCAN_FOUND);
          g_assert_true (parsed_pkey (copy, &parsed));
          g_assert_cmpstr (parsed, ==, value);
        }
    }
}

/* As deep as a text may nest, and one level deeper: that one is left to
 * the parser, which refuses it. */
static void
test_scan_depth (void)
{
  for (guint depth = CC_JSON_MAX_DEPTH; depth <= CC_JSON_MAX_DEPTH + 1; depth++)
    {
      g_autoptr(GString) text = g_string_new ("{\"PKey\":\"@a\",\"deep\":");
      g_autofree char *value = NULL;
      g_autofree char *parsed = NULL;
      CcJsonScan scan;

      for (guint i = 1; i < depth; i++)
        g_string_append_c (text, '[');
      for (guint i = 1; i < depth; i++)
        g_string_append_c (text, ']');
      g_string_append_c (text, '}');
      scan = cc_json_scan_string_member (text->str, text->len, "PKey", &value);
      if (depth == CC_JSON_MAX_DEPTH)
        {
          g_assert_cmpint (scan, ==, CC_JSON_SCAN_FOUND);
          g_assert_true (parsed_pkey (text->str, &parsed));
          g_assert_cmpstr (parsed, ==, "@a");
        }
      else
        {
          g_assert_cmpint (scan, ==, CC_JSON_SCAN_UNSURE);
          g_assert_false (parsed_pkey (text->str, &parsed));
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json-scan/cases", test_scan_cases);
  g_test_add_func ("/json-scan/truncated", test_scan_truncated);
  g_test_add_func ("/json-scan/depth", test_scan_depth);
  return g_test_run ();
}
