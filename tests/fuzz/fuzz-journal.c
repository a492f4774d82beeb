/* fuzz-journal.c — a page of the Adobe I/O Events journal: its events
 * and their positions, the next page from the Link header (RFC 8288) or
 * after the last position; and any text as a Link header. */
#include "cc-campaign-client-private.h"
#include "fuzz-input.h"

#define JOURNAL "https://events.example.com/events/organizations/o/integrations/i/r?limit=50"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(CcHttpResponse) response = NULL;
  g_autoptr(CcCampaignJournalPage) page = NULL;
  g_autofree char *text = cc_fuzz_string (data, size);
  g_autofree char *next = NULL;

  cc_fuzz_init ();
  response = cc_fuzz_response_new (data, size, CC_HTTP_SERVICE_CAMPAIGN, "GET", JOURNAL);
  page = cc_campaign_client_read_journal_answer (cc_fuzz_campaign_client (), JOURNAL, response,
                                                 NULL);
  if (page != NULL)
    g_assert_nonnull (page->next_url);
  next = cc_campaign_client_parse_link_next (text, JOURNAL);
  return 0;
}
