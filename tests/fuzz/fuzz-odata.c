/* fuzz-odata.c — what the Dataverse client reads from an answer of the
 * Web API: a page of rows (change tracking, next and delta links) or the
 * error it stands for, a write's result, the server's words and error
 * code, a table's definition with its columns and their options. The
 * body is also read as a page both ways, scanned and parsed: any way in
 * which the two differ aborts (cc-test-page.h). */
#include "cc-dataverse-client-private.h"
#include "cc-test-page.h"
#include "fuzz-input.h"

#define URL "https://org.example.com/api/data/v9.2/contacts"

static void
read_definition (CcHttpResponse *response)
{
  g_autoptr(JsonObject) object = cc_http_response_dup_object (response);
  g_autoptr(CcDataverseTable) table = NULL;

  if (object == NULL || (table = cc_dataverse_table_read (object)) == NULL)
    return;
  for (guint i = 0; i < table->columns->len; i++)
    {
      CcDataverseColumn *column = g_ptr_array_index (table->columns, i);

      cc_dataverse_column_read_options (column, object);
      cc_dataverse_column_get_label (column, 1);
      cc_dataverse_table_find_column (table, column->logical_name ? column->logical_name : "");
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(CcHttpResponse) response = NULL;
  g_autoptr(CcDataversePage) page = NULL;
  g_autoptr(CcDataverseResult) result = NULL;
  g_autofree char *words = NULL;
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;
  gsize length;
  const char *body;

  cc_fuzz_init ();
  response = cc_fuzz_response_new (data, size, CC_HTTP_SERVICE_DYNAMICS, "GET", URL);
  page = cc_dataverse_client_parse_page (response, CC_DATAVERSE_READ_TRACK_CHANGES
                                                   | CC_DATAVERSE_READ_FORMATTED_VALUES, NULL);
  cc_test_page_compare (response->body, CC_DATAVERSE_READ_TRACK_CHANGES);
  words = cc_http_response_dup_server_message (response);
  code = cc_http_response_dup_error_code (response);
  message = cc_http_error_message (CC_HTTP_SERVICE_DYNAMICS, response);
  body = g_bytes_get_data (response->body, &length);
  result = cc_dataverse_result_new (response->status, response->reason, response->headers,
                                    body, length);
  read_definition (response);
  return 0;
}
