/* fuzz-batch.c — the answer to a $batch: multipart/mixed, maybe a change
 * set inside, one application/http part per operation; matched with the
 * operations sent, atomic or not. */
#include "cc-dataverse-client-private.h"
#include "fuzz-input.h"

#define URL "https://org.example.com/api/data/v9.2/$batch"

static GPtrArray *
operations (void)
{
  g_autoptr(JsonObject) body = json_object_new ();
  GPtrArray *ops = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_dataverse_op_free);
  CcDataverseOp *op;

  json_object_set_string_member (body, "subject", "Email opened");
  g_ptr_array_add (ops, cc_dataverse_op_new ("PATCH", "emails(msdyn_key='a')", body));
  op = cc_dataverse_op_new ("POST", "contacts", body);
  op->content_id = g_strdup ("c2");
  g_ptr_array_add (ops, op);
  g_ptr_array_add (ops, cc_dataverse_op_new ("DELETE", "contacts(1)", NULL));
  return ops;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const CcDataverseBatchFlags flags[] = {
    CC_DATAVERSE_BATCH_ATOMIC, CC_DATAVERSE_BATCH_CONTINUE_ON_ERROR,
  };
  g_autoptr(CcHttpResponse) response = NULL;
  g_autoptr(GPtrArray) ops = NULL;

  cc_fuzz_init ();
  response = cc_fuzz_response_new (data, size, CC_HTTP_SERVICE_DYNAMICS, "POST", URL);
  ops = operations ();
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    {
      g_autoptr(GPtrArray) results = cc_dataverse_client_read_batch_answer (ops, flags[i],
                                                                            response, NULL);

      if (results != NULL)
        g_assert_cmpuint (results->len, ==, ops->len);
    }
  return 0;
}
