/* acs-journal.c — the email events of the Campaign emulator, read
 * through an Adobe I/O Events journal (and, for sends, through each
 * profile's marketing history: acs-history.c).
 *
 * The journal follows the documented Journaling API: GET <journal>
 * [?since=<position>&limit=N][&latest=true] answers
 * {"events":[{"position","event"}],"_page":{"last","count"}} with a
 * Link: <...>; rel="next" header, or 204 No Content when nothing is newer.
 *
 * Seeded events are not stored: event i of the seed is drawn again from
 * (seed, i) when read, so a journal of millions costs no memory until
 * someone appends to it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cc-sandbox-seed.h"
#include "acs-private.h"

/* Page sizes: the real service sets no documented numbers (INFER). */
#define JOURNAL_DEFAULT_LIMIT 100
#define JOURNAL_MAX_LIMIT     1000
/* Seconds a reader is told to wait after an empty answer. The real journal
 * asks for longer; a short hint keeps sandbox workflows brisk (INFER). */
#define JOURNAL_RETRY_AFTER_S "1"

#define POSITION_PREFIX "jp1:"

/* An event after the seeded ones: given by the admin API, or a further
 * seeded one (event == NULL, drawn from seed_index). */
typedef struct
{
  JsonObject *event;
  guint       seed_index;
} Appended;

struct _AcsJournal
{
  guint64     seed;
  guint       n_seeded;
  guint       n_contacts;
  guint       next_seed_index;
  GArray     *appended;        /* Appended */
  /* externalId → GArray of the journal indexes of its sends; built on
   * the first history read (the slow path) and kept up to date after
   * that. */
  GHashTable *by_profile;
};

static void
appended_clear (gpointer data)
{
  Appended *entry = data;

  g_clear_pointer (&entry->event, json_object_unref);
}

AcsJournal *
acs_journal_new (guint64 seed,
                         guint   n_events,
                         guint   n_contacts)
{
  AcsJournal *journal = g_new0 (AcsJournal, 1);

  journal->seed = seed;
  journal->n_seeded = n_events;
  journal->n_contacts = n_contacts;
  journal->next_seed_index = n_events;
  journal->appended = g_array_new (FALSE, TRUE, sizeof (Appended));
  g_array_set_clear_func (journal->appended, appended_clear);
  return journal;
}

void
acs_journal_free (AcsJournal *journal)
{
  if (journal == NULL)
    return;
  g_array_unref (journal->appended);
  g_clear_pointer (&journal->by_profile, g_hash_table_unref);
  g_free (journal);
}

guint
acs_journal_get_size (AcsJournal *journal)
{
  return journal->n_seeded + journal->appended->len;
}

JsonObject *
acs_journal_get (AcsJournal *journal,
                         guint              index)
{
  Appended *entry;

  if (index < journal->n_seeded)
    return cc_sandbox_seed_event (journal->seed, index, journal->n_contacts);
  g_return_val_if_fail (index - journal->n_seeded < journal->appended->len, NULL);
  entry = &g_array_index (journal->appended, Appended, index - journal->n_seeded);
  if (entry->event != NULL)
    return json_object_ref (entry->event);
  return cc_sandbox_seed_event (journal->seed, entry->seed_index, journal->n_contacts);
}

static void
index_event (AcsJournal *journal,
             guint              index,
             JsonObject        *event)
{
  const char *external_id;
  GArray *list;

  /* The marketing history lists the messages sent; opens, clicks and
   * bounces are tracking, not history. */
  if (g_strcmp0 (json_object_get_string_member_with_default (event, "type", NULL), "send") != 0
      || !json_object_has_member (event, "externalId"))
    return;
  external_id = json_object_get_string_member_with_default (event, "externalId", NULL);
  if (external_id == NULL || *external_id == '\0')
    return;
  list = g_hash_table_lookup (journal->by_profile, external_id);
  if (list == NULL)
    {
      list = g_array_new (FALSE, FALSE, sizeof (guint));
      g_hash_table_insert (journal->by_profile, g_strdup (external_id), list);
    }
  g_array_append_val (list, index);
}

static void
append_entry (AcsJournal *journal,
              Appended          *entry)
{
  guint index = acs_journal_get_size (journal);

  g_array_append_vals (journal->appended, entry, 1);
  if (journal->by_profile != NULL)
    {
      g_autoptr(JsonObject) event = acs_journal_get (journal, index);

      index_event (journal, index, event);
    }
}

void
acs_journal_append (AcsJournal *journal,
                            JsonObject        *event)
{
  Appended entry = { json_object_ref (event), 0 };

  append_entry (journal, &entry);
}

void
acs_journal_generate (AcsJournal *journal,
                              guint              n_events)
{
  for (guint i = 0; i < n_events; i++)
    {
      Appended entry = { NULL, journal->next_seed_index++ };

      append_entry (journal, &entry);
    }
}

GArray *
acs_journal_sends_of_profile (AcsJournal *journal,
                              const char *external_id)
{
  if (journal->by_profile == NULL)
    {
      guint size = acs_journal_get_size (journal);

      journal->by_profile = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                   (GDestroyNotify) g_array_unref);
      for (guint i = 0; i < size; i++)
        {
          g_autoptr(JsonObject) event = acs_journal_get (journal, i);

          index_event (journal, i, event);
        }
    }
  return g_hash_table_lookup (journal->by_profile, external_id);
}

/* Positions are opaque to readers (url-safe base64 of a versioned index),
 * and stable: the same event keeps its position for ever. */
char *
acs_journal_encode_position (guint index)
{
  g_autofree char *plain = g_strdup_printf (POSITION_PREFIX "%u", index);

  return acs_base64url_encode ((const guint8 *) plain, strlen (plain));
}

static gboolean
decode_position (const char *position,
                 guint      *out_index)
{
  g_autofree guchar *plain = NULL;
  g_autofree char *text = NULL;
  gsize plain_len;
  guint64 index;

  plain = acs_base64url_decode (position, &plain_len);
  if (plain == NULL)
    return FALSE;
  text = g_strndup ((const char *) plain, plain_len);
  if (!g_str_has_prefix (text, POSITION_PREFIX)
      || !g_ascii_string_to_unsigned (text + strlen (POSITION_PREFIX), 10, 0, G_MAXUINT,
                                      &index, NULL))
    return FALSE;
  *out_index = (guint) index;
  return TRUE;
}

static void
set_next_link (AcsServer *self,
               SoupServerMessage *msg,
               const char        *since,
               const char        *limit)
{
  g_autoptr(GString) link = g_string_new ("<");
  g_autofree char *since_escaped = since ? g_uri_escape_string (since, NULL, FALSE) : NULL;
  g_autofree char *limit_escaped = limit ? g_uri_escape_string (limit, NULL, FALSE) : NULL;
  char sep = '?';

  g_string_append_printf (link, "%s/events/journal", self->base_url);
  if (since_escaped != NULL)
    {
      g_string_append_printf (link, "%csince=%s", sep, since_escaped);
      sep = '&';
    }
  if (limit_escaped != NULL)
    g_string_append_printf (link, "%climit=%s", sep, limit_escaped);
  g_string_append (link, ">; rel=\"next\"");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Link", link->str);
}

/* Where to read from: after @since, or (latest=true) after the newest
 * event, which *@since then names; else from the oldest. FALSE, with the
 * answer, for a position this journal never handed out. Past the 7-day
 * retention the real service refuses an old position too; seeded events
 * never age out here. */
static gboolean
find_start (AcsJournal         *journal,
            SoupServerMessage  *msg,
            const char        **since,
            const char         *latest,
            char              **latest_position,
            guint              *start)
{
  guint size = acs_journal_get_size (journal);
  guint index;

  *start = 0;
  if (*since != NULL)
    {
      if (!decode_position (*since, &index) || index >= size)
        {
          acs_answer_error (msg, SOUP_STATUS_BAD_REQUEST,
                            "The parameter 'since' is not a valid journal position; "
                            "start again without it or with latest=true");
          return FALSE;
        }
      *start = index + 1;
    }
  else if (g_strcmp0 (latest, "true") == 0)
    {
      /* Only what arrives from now. */
      *start = size;
      if (size > 0)
        *since = *latest_position = acs_journal_encode_position (size - 1);
    }
  return TRUE;
}

/* The page of events [@start, @end) with the last one's position. */
static JsonBuilder *
build_page (AcsJournal *journal,
            guint       start,
            guint       end,
            const char *last)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "events");
  json_builder_begin_array (b);
  for (guint i = start; i < end; i++)
    {
      g_autoptr(JsonObject) event = acs_journal_get (journal, i);
      g_autofree char *position = acs_journal_encode_position (i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "position");
      json_builder_add_string_value (b, position);
      json_builder_set_member_name (b, "event");
      json_builder_add_value (b, json_node_init_object (json_node_alloc (), event));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "_page");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "last");
  json_builder_add_string_value (b, last);
  json_builder_set_member_name (b, "count");
  json_builder_add_int_value (b, end - start);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return b;
}

void
acs_handle_journal (AcsServer         *self,
                    SoupServerMessage *msg,
                    AcsQuery          *query)
{
  AcsJournal *journal = self->journal;
  const char *since = acs_query_get (query, "since");
  const char *limit_text = acs_query_get (query, "limit");
  guint size = acs_journal_get_size (journal);
  guint64 limit = JOURNAL_DEFAULT_LIMIT;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *latest_position = NULL;
  g_autofree char *last = NULL;
  guint start, end;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET");
      acs_answer_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "The journal is read with GET");
      return;
    }
  if (limit_text != NULL
      && (!g_ascii_string_to_unsigned (limit_text, 10, 1, G_MAXUINT, &limit, NULL)))
    {
      acs_answer_error (msg, SOUP_STATUS_BAD_REQUEST,
                        "The parameter 'limit' must be a whole number of at least 1");
      return;
    }
  limit = MIN (limit, JOURNAL_MAX_LIMIT);
  if (!find_start (journal, msg, &since, acs_query_get (query, "latest"), &latest_position,
                   &start))
    return;

  if (start >= size)
    {
      /* Nothing newer: 204, and the same place to ask again. */
      set_next_link (self, msg, since, limit_text);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", JOURNAL_RETRY_AFTER_S);
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }

  end = (guint) MIN ((guint64) size, start + limit);
  last = acs_journal_encode_position (end - 1);
  b = build_page (journal, start, end, last);
  set_next_link (self, msg, last, limit_text);
  acs_answer_builder (msg, SOUP_STATUS_OK, b);
}
