/* cc-poll-reader-private.h — what the files of CcPollReader share.
 *
 * cc-poll-reader.c reads the table by polling, cc-poll-reader-sweep.c
 * sweeps it for deletes.
 */
#pragma once

#include "cc-poll-reader.h"

G_BEGIN_DECLS

struct _CcPollReader
{
  char                 *workflow_id;
  char                 *table;
  char                 *entity_set;
  char                 *primary_key;
  GStrv                 columns;
  CcDataverseReadFlags  flags;
  guint                 page_size;
  guint                 poll_interval_s;
  char                 *cursor_name;
  char                 *sweep_name;
  char                 *version_space;
  char                 *seen_space;
  char                 *known_space;
};

/* Marks the ids of @rows as seen, in @maps, when a sweep is under way
 * (cc-poll-reader-sweep.c). */
gboolean cc_poll_reader_mark_seen (CcPollReader  *self,
                                   CcStore       *store,
                                   GPtrArray     *rows,
                                   CcStoreBatch  *maps,
                                   GError       **error);

G_END_DECLS
