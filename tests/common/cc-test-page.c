/* cc-test-page.c — a page of Dynamics 365 read both ways (cc-test-page.h). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cc-test-page.h"

#define URL "https://org.example.com/api/data/v9.2/contacts"

gboolean
cc_test_node_same (JsonNode *a,
                   JsonNode *b)
{
  g_autofree char *text_a = NULL;
  g_autofree char *text_b = NULL;

  if (a == NULL || b == NULL)
    return a == b;
  if (JSON_NODE_TYPE (a) != JSON_NODE_TYPE (b))
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (a))
    {
      text_a = json_to_string (a, FALSE);
      text_b = json_to_string (b, FALSE);
      return strcmp (text_a, text_b) == 0;
    }
  if (json_node_get_value_type (a) != json_node_get_value_type (b))
    return FALSE;
  switch (json_node_get_value_type (a))
    {
    case G_TYPE_STRING:
      return strcmp (json_node_get_string (a), json_node_get_string (b)) == 0;
    case G_TYPE_INT64:
      return json_node_get_int (a) == json_node_get_int (b);
    case G_TYPE_DOUBLE:
      return json_node_get_double (a) == json_node_get_double (b)
             && signbit (json_node_get_double (a)) == signbit (json_node_get_double (b));
    case G_TYPE_BOOLEAN:
      return json_node_get_boolean (a) == json_node_get_boolean (b);
    default:
      return FALSE;
    }
}

/* Every member of the parser's @tree row, as the scanned @row reads it. */
static void
assert_same_row (CcJsonRow *row,
                 CcJsonRow *tree)
{
  JsonObject *object = cc_json_row_get_object (tree);
  g_autoptr(GList) names = json_object_get_members (object);

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *expected = json_object_get_member (object, l->data);

      if (!cc_test_node_same (cc_json_row_get_member (row, l->data), expected))
        g_error ("member “%s” of a row reads otherwise when scanned", (char *) l->data);
      g_assert_cmpstr (cc_json_row_get_string (row, l->data), ==,
                       cc_json_row_get_string (tree, l->data));
    }
  /* No member the parser does not see. */
  g_assert_cmpuint (json_object_get_size (cc_json_row_get_object (row)), ==,
                    json_object_get_size (object));
  g_assert_false (cc_json_row_has_member (row, "no such member"));
}

static void
assert_same_page (CcDataversePage *page,
                  CcDataversePage *tree)
{
  g_assert_cmpstr (page->next_link, ==, tree->next_link);
  g_assert_cmpstr (page->delta_link, ==, tree->delta_link);
  g_assert_cmpuint (page->deleted_ids->len, ==, tree->deleted_ids->len);
  for (guint i = 0; i < page->deleted_ids->len; i++)
    g_assert_cmpstr (g_ptr_array_index (page->deleted_ids, i), ==,
                     g_ptr_array_index (tree->deleted_ids, i));
  g_assert_cmpuint (page->rows->len, ==, tree->rows->len);
  for (guint i = 0; i < page->rows->len; i++)
    assert_same_row (g_ptr_array_index (page->rows, i), g_ptr_array_index (tree->rows, i));
}

gboolean
cc_test_page_compare (GBytes               *body,
                      CcDataverseReadFlags  flags)
{
  g_autoptr(CcHttpResponse) scanned = NULL;
  g_autoptr(CcHttpResponse) parsed = NULL;
  g_autoptr(CcDataversePage) page = NULL;
  g_autoptr(CcDataversePage) tree = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) tree_error = NULL;
  g_autoptr(JsonNode) root = NULL;

  scanned = cc_http_response_new_from_parts (CC_HTTP_SERVICE_DYNAMICS, "GET", URL, 200, "OK",
                                             NULL, body);
  parsed = cc_http_response_new_from_parts (CC_HTTP_SERVICE_DYNAMICS, "GET", URL, 200, "OK",
                                            NULL, body);
  /* A body parsed already is read from its tree. */
  root = cc_http_response_get_json (parsed, NULL);
  page = cc_dataverse_client_parse_page (scanned, flags, &error);
  tree = cc_dataverse_client_parse_page (parsed, flags, &tree_error);

  g_assert_true ((page == NULL) == (tree == NULL));
  if (page == NULL)
    {
      g_assert_nonnull (error);
      g_assert_error (tree_error, error->domain, error->code);
      g_assert_cmpstr (error->message, ==, tree_error->message);
      return FALSE;
    }
  assert_same_page (page, tree);
  return scanned->json == NULL && g_bytes_get_size (body) > 0;
}
