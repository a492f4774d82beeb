/* fuzz-input.h — what the fuzz targets share.
 *
 * Each fuzz-<target>.c defines LLVMFuzzerTestOneInput (), which libFuzzer
 * calls with inputs it mutates (a build with -Dfuzzing=true) and
 * replay.c with every file of the target's seed corpus (the regular
 * build's fuzz suite). Inputs that stand for an HTTP answer are written
 * as one: a status line and headers, a blank line, the body — as the
 * corpus files are, so that they read as what the services send.
 */
#pragma once

#include <stdint.h>

#include "cc-campaign-client.h"
#include "cc-http.h"

G_BEGIN_DECLS

int  LLVMFuzzerTestOneInput  (const uint8_t *data,
                              size_t         size);

/* Once per process: a GLib-CRITICAL or a warning is as much a finding as
 * a crash, so both abort; debug messages stay quiet. */
void            cc_fuzz_init         (void);

/* The answer @data stands for. When it does not start with a status
 * line and headers, all of it is the body of a 200 OK answer. */
CcHttpResponse *cc_fuzz_response_new (const uint8_t *data,
                                      size_t         size,
                                      CcHttpService  service,
                                      const char    *method,
                                      const char    *url);

/* A Campaign client of an org of its own (API and journal on example
 * hosts), made once; nothing is ever sent. */
CcCampaignClient *cc_fuzz_campaign_client (void);

/* @data as a NUL-terminated string (a copy; a NUL inside cuts it). */
char           *cc_fuzz_string       (const uint8_t *data,
                                      size_t         size);

G_END_DECLS
