/* fuzz-token.c — the answer of a token endpoint, Entra ID's and Adobe
 * IMS's: a token and its lifetime, or a refusal turned into words the
 * user can act on (with the secret scrubbed from them). */
#include <string.h>

#include "cc-token-source.h"
#include "fuzz-input.h"

#define SECRET "s3cret-value"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static CcTokenSource *sources[2];
  static const CcHttpService services[2] = { CC_HTTP_SERVICE_DYNAMICS, CC_HTTP_SERVICE_CAMPAIGN };

  cc_fuzz_init ();
  if (sources[0] == NULL)
    {
      sources[0] = cc_token_source_new_entra ("https://login.example.com/t/oauth2/v2.0/token",
                                              "client", SECRET, "https://org.example.com");
      sources[1] = cc_token_source_new_ims ("https://ims.example.com/ims/token/v3", "key",
                                            SECRET, NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autoptr(CcHttpResponse) response = cc_fuzz_response_new (data, size, services[i], "POST",
                                                                 "https://example.com/token");
      g_autoptr(GError) error = NULL;

      cc_token_source_invalidate (sources[i]);
      if (!cc_token_source_read_answer (sources[i], response, g_get_monotonic_time (), &error))
        g_assert_null (strstr (error->message, SECRET));
    }
  return 0;
}
