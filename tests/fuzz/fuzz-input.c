/* fuzz-input.c — an HTTP answer from a fuzz input, and the set-up every
 * target shares. */
#include <stdlib.h>
#include <string.h>

#include "fuzz-input.h"

static GLogWriterOutput
quiet_writer (GLogLevelFlags   level,
              const GLogField *fields,
              gsize            n_fields,
              gpointer         user_data)
{
  if (level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO | G_LOG_LEVEL_MESSAGE))
    return G_LOG_WRITER_HANDLED;
  g_log_writer_default (level, fields, n_fields, user_data);
  /* GLib would stop on a breakpoint (SIGTRAP), which libFuzzer does not
   * catch: it would end without saving the input. It saves it on an
   * abort. */
  abort ();
}

void
cc_fuzz_init (void)
{
  static gsize done = 0;

  if (!g_once_init_enter (&done))
    return;
  g_log_set_writer_func (quiet_writer, NULL, NULL);
  g_once_init_leave (&done, 1);
}

CcCampaignClient *
cc_fuzz_campaign_client (void)
{
  static CcCampaignClient *campaign = NULL;

  if (campaign == NULL)
    {
      CcCampaignSettings settings = {
        .org = "org",
        .api_key = "key",
        .api_url = "https://mc.example.com",
        .journal_url = "https://events.example.com/events/organizations/o/integrations/i/r",
        .secret = "secret",
      };

      campaign = cc_campaign_client_new (&settings);
    }
  return campaign;
}

char *
cc_fuzz_string (const uint8_t *data,
                size_t         size)
{
  return g_strndup ((const char *) data, size);
}

/* Where the head of @data ends, and the body starts; FALSE when there
 * is no blank line. */
static gboolean
find_head (const char  *data,
           gsize        size,
           gsize       *head_length,
           gsize       *body_start)
{
  const char *crlf = g_strstr_len (data, size, "\r\n\r\n");
  const char *lf = g_strstr_len (data, size, "\n\n");

  if (crlf != NULL && (lf == NULL || crlf < lf))
    {
      *head_length = crlf - data + 2;
      *body_start = crlf - data + 4;
      return TRUE;
    }
  if (lf != NULL)
    {
      *head_length = lf - data + 1;
      *body_start = lf - data + 2;
      return TRUE;
    }
  return FALSE;
}

CcHttpResponse *
cc_fuzz_response_new (const uint8_t *data,
                      size_t         size,
                      CcHttpService  service,
                      const char    *method,
                      const char    *url)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GBytes) body = NULL;
  g_autofree char *reason = NULL;
  const char *text = (const char *) data;
  gsize head_length, body_start;
  guint status = 0;

  if (size >= 5 && memcmp (text, "HTTP/", 5) == 0
      && find_head (text, size, &head_length, &body_start)
      && soup_headers_parse_response (text, (int) head_length, headers, NULL, &status, &reason))
    body = g_bytes_new (text + body_start, size - body_start);
  else
    {
      soup_message_headers_clear (headers);
      status = SOUP_STATUS_OK;
      body = g_bytes_new (data, size);
    }
  return cc_http_response_new_from_parts (service, method, url, status, reason, headers, body);
}
