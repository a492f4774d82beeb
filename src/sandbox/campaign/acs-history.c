/* acs-history.c — a profile's marketing history:
 *
 *   GET <ns>/history/<PKey>                        the profile and events.href
 *   GET <ns>/history/<PKey>/events[?_lineCount=N]  its entries, paged
 *   GET <ns>/history/<PKey>/events/_count
 *   GET <ns>/history/<PKey>/events/<entry PKey>
 *
 * An entry has exactly the members Adobe documents: PKey, category,
 * date, href, label, mirrorPage {href} and type. It is one message sent
 * to the profile (a "send" of the journal); opens, clicks and bounces are
 * not history, and nothing in an entry says which email event it was.
 */
#include "config.h"

#include <string.h>

#include "acs-private.h"

#define HISTORY_DEFAULT_LINES 25
#define HISTORY_MAX_LINES     1000

static char *
entry_pkey (guint index)
{
  g_autofree char *position = acs_journal_encode_position (index);

  return g_strconcat ("@", position, NULL);
}

static void
build_entry (JsonBuilder *b,
             const char  *events_href,
             guint        index,
             JsonObject  *event)
{
  g_autofree char *pkey = entry_pkey (index);
  g_autofree char *href = g_strconcat (events_href, "/", pkey, NULL);
  g_autofree char *date = NULL;
  const char *timestamp = json_object_get_string_member_with_default (event, "timestamp", "");
  const char *label = json_object_get_string_member_with_default (event, "deliveryName", NULL);
  const char *mirror = json_object_get_string_member_with_default (event, "mirrorPageUrl", "");
  gint64 ms;

  date = acs_parse_time (timestamp, &ms) ? acs_format_time (ms) : g_strdup (timestamp);
  if (label == NULL)
    label = json_object_get_string_member_with_default (event, "campaignName", "");

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "PKey");
  json_builder_add_string_value (b, pkey);
  json_builder_set_member_name (b, "category");
  json_builder_add_string_value (b, "email");
  json_builder_set_member_name (b, "date");
  json_builder_add_string_value (b, date);
  json_builder_set_member_name (b, "href");
  json_builder_add_string_value (b, href);
  json_builder_set_member_name (b, "label");
  json_builder_add_string_value (b, label);
  json_builder_set_member_name (b, "mirrorPage");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "href");
  json_builder_add_string_value (b, mirror);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "outbound");
  json_builder_end_object (b);
}

static void
answer_profile_history (SoupServerMessage *msg,
                        AcsRecord         *profile,
                        const char        *href)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *events_href = g_strconcat (href, "/events", NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "PKey");
  json_builder_add_string_value (b, profile->pkey);
  json_builder_set_member_name (b, "events");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "href");
  json_builder_add_string_value (b, events_href);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "href");
  json_builder_add_string_value (b, href);
  json_builder_end_object (b);
  acs_answer_builder (msg, SOUP_STATUS_OK, b);
}

static void
answer_events (AcsServer         *self,
               SoupServerMessage *msg,
               GArray            *sends,
               const char        *events_href,
               AcsQuery          *query)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *params = acs_query_build (query, "_lineStart", NULL);
  g_autofree char *count_href = g_strdup_printf ("%s/_count%s%s", events_href,
                                                 *params ? "?" : "", params);
  guint total = sends ? sends->len : 0;
  AcsPage page;
  guint64 end;

  if (!acs_paging_read (self, events_href, query, HISTORY_DEFAULT_LINES, HISTORY_MAX_LINES,
                        &page, &error))
    {
      acs_answer_gerror (msg, error);
      return;
    }
  end = MIN ((guint64) total, page.start + page.lines);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "content");
  json_builder_begin_array (b);
  for (guint64 i = page.start; i < end; i++)
    {
      guint index = g_array_index (sends, guint, i);
      g_autoptr(JsonObject) event = acs_journal_get (self->journal, index);

      build_entry (b, events_href, index, event);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "count");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "href");
  json_builder_add_string_value (b, count_href);
  json_builder_end_object (b);
  if (end < total)
    {
      g_autofree char *next_href = acs_paging_next_href (self, events_href, query, end);

      json_builder_set_member_name (b, "next");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "href");
      json_builder_add_string_value (b, next_href);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  acs_answer_builder (msg, SOUP_STATUS_OK, b);
}

static void
answer_count (SoupServerMessage *msg,
              GArray            *sends)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "count");
  json_builder_add_int_value (b, sends ? sends->len : 0);
  json_builder_end_object (b);
  acs_answer_builder (msg, SOUP_STATUS_OK, b);
}

static void
answer_entry (AcsServer         *self,
              SoupServerMessage *msg,
              GArray            *sends,
              const char        *events_href,
              const char        *pkey)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonObject) event = NULL;

  for (guint i = 0; sends != NULL && i < sends->len; i++)
    {
      guint index = g_array_index (sends, guint, i);
      g_autofree char *candidate = entry_pkey (index);

      if (strcmp (candidate, pkey) != 0)
        continue;
      event = acs_journal_get (self->journal, index);
      build_entry (b, events_href, index, event);
      acs_answer_builder (msg, SOUP_STATUS_OK, b);
      return;
    }
  acs_answer_error (msg, SOUP_STATUS_NOT_FOUND, "No entry of this profile's history has this PKey");
}

/* segments: <PKey>[/events[/_count or /<entry PKey>]] */
void
acs_handle_history (AcsServer         *self,
                    SoupServerMessage *msg,
                    const char        *namespace_,
                    char             **segments,
                    AcsQuery          *query)
{
  guint n = g_strv_length (segments);
  g_autofree char *href = NULL;
  g_autofree char *events_href = NULL;
  AcsRecord *profile;
  GArray *sends;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
    {
      acs_answer_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "The marketing history is read-only");
      return;
    }
  if (n < 1 || n > 3 || (n >= 2 && strcmp (segments[1], "events") != 0))
    {
      acs_answer_error (msg, SOUP_STATUS_NOT_FOUND,
                        "Unknown history resource; use history/<PKey>/events");
      return;
    }
  profile = acs_table_lookup (self->profiles, segments[0], FALSE);
  if (profile == NULL)
    {
      acs_answer_error (msg, SOUP_STATUS_NOT_FOUND,
                        "No profile with this PKey: its marketing history cannot be read");
      return;
    }
  href = g_strdup_printf ("%s/%s/history/%s", self->api_base, namespace_, profile->pkey);
  if (n == 1)
    {
      answer_profile_history (msg, profile, href);
      return;
    }

  events_href = g_strconcat (href, "/events", NULL);
  sends = acs_journal_sends_of_profile (self->journal, acs_record_get_string (profile, "externalId"));
  if (n == 2)
    answer_events (self, msg, sends, events_href, query);
  else if (strcmp (segments[2], "_count") == 0)
    answer_count (msg, sends);
  else
    answer_entry (self, msg, sends, events_href, segments[2]);
}
