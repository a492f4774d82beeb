/* acs-admin.c — the Campaign emulator's admin API under
 * /_sandbox/: what tests and demos use to look inside Campaign, to make
 * changes "in Campaign" while a workflow runs, to feed the event journal
 * and to turn knobs. No auth; never faulted, throttled or counted.
 *
 *   GET    /_sandbox/stats
 *   GET    /_sandbox/profiles             POST /_sandbox/profiles
 *   GET    /_sandbox/profiles/<externalId>
 *   PATCH  /_sandbox/profiles/<externalId>
 *   DELETE /_sandbox/profiles/<externalId>
 *   GET    /_sandbox/resources/<cusName>
 *   POST   /_sandbox/events               {"events":[...]} and/or {"generate":N}
 *   GET|POST /_sandbox/settings           {"big_table_threshold":N,
 *                                          "duplicate_key_status":N,
 *                                          "duplicate_key_message":"..."|null,
 *                                          "metadata_keys":true|false}
 *   POST   /_sandbox/setup                {"remove":[ITEM, ...]}: setup to leave
 *                                          out (cc-sandbox-setup.h)
 *   GET|POST /_sandbox/faults             (shared with the Dataverse port)
 *   GET    /_sandbox/calls                {"count":N,"busiest_second":M,
 *                                         "most_in_flight":F,"seconds":S}:
 *                                         the calls of the Campaign API so
 *                                         far, the most that arrived within
 *                                         any one second (a sliding window),
 *                                         the most that were waiting for
 *                                         their answers at once, and the
 *                                         time from the first to the last
 *   DELETE /_sandbox/calls                forgets them
 *   POST   /_sandbox/schema/<resource>/fields/<field>/remove
 *   POST   /_sandbox/schema/<resource>/fields/<field>/read-only
 *                                         a field of "profile" or a custom
 *                                         resource taken out (gone from the
 *                                         metadata and the records, writes
 *                                         of it refused as of an unknown
 *                                         field) or made read-only, as an
 *                                         admin does in Campaign's UI
 */
#include "config.h"

#include <string.h>

#include "acs-private.h"
#include "cc-sandbox-setup.h"

static void
add_int (JsonBuilder *b,
         const char  *name,
         guint64      value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, (gint64) value);
}

static void
handle_stats (AcsServer  *self,
              SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const AcsStats *s = &self->stats;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "requests");
  json_builder_begin_object (b);
  add_int (b, "total", s->total);
  add_int (b, "token", s->token);
  add_int (b, "get", s->get);
  add_int (b, "post", s->post);
  add_int (b, "patch", s->patch);
  add_int (b, "delete", s->delete_);
  add_int (b, "journal", s->journal);
  add_int (b, "throttled", s->throttled);
  add_int (b, "faulted", s->faulted);
  add_int (b, "line_starts_followed", s->line_starts_followed);
  add_int (b, "line_starts_refused", s->line_starts_refused);
  json_builder_end_object (b);
  add_int (b, "profiles", acs_table_get_size (self->profiles));
  json_builder_set_member_name (b, "resources");
  json_builder_begin_object (b);
  for (guint i = 1; i < self->resources->len; i++)
    {
      const char *name = ((AcsResource *) g_ptr_array_index (self->resources, i))->name;

      add_int (b, name, acs_table_get_size (g_hash_table_lookup (self->custom_tables, name)));
    }
  json_builder_end_object (b);
  add_int (b, "events", acs_journal_get_size (self->journal));
  json_builder_end_object (b);
  acs_answer_builder (msg, SOUP_STATUS_OK, b);
}

typedef struct
{
  JsonBuilder *builder;
  AcsTable    *table;
  const char  *collection_href;
} DumpClosure;

static void
dump_record (gpointer data,
             gpointer user_data)
{
  DumpClosure *closure = user_data;

  acs_record_build (closure->table, data, TRUE, closure->collection_href, closure->builder);
}

/* {"content":[every record, as the Ext view shows it],"count":N} */
static void
answer_table (AcsServer         *self,
              SoupServerMessage *msg,
              AcsTable          *table,
              const char        *namespace_)
{
  const AcsResource *resource = acs_table_get_resource (table);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *href = g_strdup_printf ("%s/%s/%s", self->api_base, namespace_, resource->name);
  DumpClosure closure = { b, table, href };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "content");
  json_builder_begin_array (b);
  acs_table_foreach (table, dump_record, &closure);
  json_builder_end_array (b);
  add_int (b, "count", acs_table_get_size (table));
  json_builder_end_object (b);
  acs_answer_builder (msg, SOUP_STATUS_OK, b);
}

static void
answer_profile (AcsServer  *self,
                SoupServerMessage *msg,
                guint              status,
                AcsRecord  *record)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *href = g_strdup_printf ("%s/profileAndServicesExt/profile", self->api_base);

  acs_record_build (self->profiles, record, TRUE, href, b);
  acs_answer_builder (msg, status, b);
}

static void
handle_profiles (AcsServer  *self,
                 SoupServerMessage *msg,
                 char             **segments)
{
  const char *method = soup_server_message_get_method (msg);
  guint n = g_strv_length (segments);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  AcsRecord *record;

  if (n == 0)
    {
      if (method == SOUP_METHOD_GET)
        answer_table (self, msg, self->profiles, "profileAndServicesExt");
      else if (method == SOUP_METHOD_POST)
        {
          if ((body = acs_read_body_object (msg)) == NULL)
            return;
          record = acs_table_insert (self->profiles, body, TRUE, &error);
          if (record == NULL)
            acs_answer_gerror (msg, error);
          else
            answer_profile (self, msg, SOUP_STATUS_CREATED, record);
        }
      else
        acs_answer_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                                  "/_sandbox/profiles accepts GET and POST");
      return;
    }
  if (n != 1)
    {
      acs_answer_error (msg, SOUP_STATUS_NOT_FOUND, "Use /_sandbox/profiles/<externalId>");
      return;
    }

  /* Profiles are addressed by externalId (what a test knows), or PKey. */
  record = acs_table_lookup_key (self->profiles, segments[0]);
  if (record == NULL)
    record = acs_table_lookup (self->profiles, segments[0], FALSE);
  if (record == NULL)
    {
      acs_answer_error (msg, SOUP_STATUS_NOT_FOUND, "No profile with this externalId");
      return;
    }

  if (method == SOUP_METHOD_GET)
    answer_profile (self, msg, SOUP_STATUS_OK, record);
  else if (method == ACS_METHOD_PATCH)
    {
      /* A change made in Campaign: same rules as the API, and
       * lastModified moves. */
      if ((body = acs_read_body_object (msg)) == NULL)
        return;
      if (!acs_table_update (self->profiles, record, body, TRUE, &error))
        acs_answer_gerror (msg, error);
      else
        answer_profile (self, msg, SOUP_STATUS_OK, record);
    }
  else if (method == SOUP_METHOD_DELETE)
    {
      acs_table_remove (self->profiles, record);
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
    }
  else
    acs_answer_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                              "A sandbox profile accepts GET, PATCH and DELETE");
}

static void
handle_resources (AcsServer         *self,
                  SoupServerMessage *msg,
                  char             **segments)
{
  AcsTable *table;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
    {
      acs_answer_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                                "/_sandbox/resources is read with GET");
      return;
    }
  table = g_strv_length (segments) == 1 ? g_hash_table_lookup (self->custom_tables, segments[0])
                                         : NULL;
  if (table == NULL)
    {
      acs_answer_error (msg, SOUP_STATUS_NOT_FOUND,
                        "Unknown custom resource; the sandbox has cusMembership (not linked "
                        "to the profile) and cusLoyalty (linked to it)");
      return;
    }
  answer_table (self, msg, table, acs_table_get_resource (table)->home);
}

static gboolean
read_count_member (JsonObject  *body,
                   const char  *name,
                   gint64      *out,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (body, name);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < 0 || json_node_get_int (node) > G_MAXUINT)
    {
      g_set_error (error, ACS_ERROR, SOUP_STATUS_BAD_REQUEST,
                   "\"%s\" must be a whole number of zero or more", name);
      return FALSE;
    }
  *out = json_node_get_int (node);
  return TRUE;
}

static void
handle_events (AcsServer  *self,
               SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  JsonNode *events;
  JsonArray *array = NULL;
  gint64 generate = 0;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      acs_answer_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                                "/_sandbox/events accepts POST");
      return;
    }
  if ((body = acs_read_body_object (msg)) == NULL)
    return;
  if (!read_count_member (body, "generate", &generate, &error))
    {
      acs_answer_gerror (msg, error);
      return;
    }
  events = json_object_get_member (body, "events");
  if (events != NULL)
    {
      if (!JSON_NODE_HOLDS_ARRAY (events))
        {
          acs_answer_error (msg, SOUP_STATUS_BAD_REQUEST, "\"events\" must be an array");
          return;
        }
      array = json_node_get_array (events);
      /* All or nothing: check every event before appending any. */
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
          {
            acs_answer_error (msg, SOUP_STATUS_BAD_REQUEST,
                                      "Every member of \"events\" must be an event object");
            return;
          }
    }
  if (array == NULL && !json_object_has_member (body, "generate"))
    {
      acs_answer_error (msg, SOUP_STATUS_BAD_REQUEST,
                                "Give {\"events\":[...]} to append events or {\"generate\":N}");
      return;
    }

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    acs_journal_append (self->journal, json_array_get_object_element (array, i));
  acs_journal_generate (self->journal, (guint) generate);

  b = json_builder_new ();
  json_builder_begin_object (b);
  add_int (b, "count", acs_journal_get_size (self->journal));
  json_builder_end_object (b);
  acs_answer_builder (msg, SOUP_STATUS_OK, b);
}

/* Every setting of @body checked before any is applied: a refused
 * request changes nothing. */
static gboolean
apply_settings (AcsServer   *self,
                JsonObject  *body,
                GError     **error)
{
  static const char * const known[] = {
    "big_table_threshold", "duplicate_key_status", "duplicate_key_message", "metadata_keys", NULL
  };
  g_autoptr(GList) members = json_object_get_members (body);
  gint64 threshold = self->big_table_threshold;
  gint64 status = self->duplicate_status;
  JsonNode *message = json_object_get_member (body, "duplicate_key_message");
  JsonNode *keys = json_object_get_member (body, "metadata_keys");

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (known, l->data))
      {
        g_set_error (error, ACS_ERROR, SOUP_STATUS_BAD_REQUEST, "Unknown setting \"%s\"",
                     (const char *) l->data);
        return FALSE;
      }
  if (!read_count_member (body, "big_table_threshold", &threshold, error)
      || !read_count_member (body, "duplicate_key_status", &status, error))
    return FALSE;
  if (status < 400 || status > 599)
    {
      g_set_error (error, ACS_ERROR, SOUP_STATUS_BAD_REQUEST,
                   "\"duplicate_key_status\" must be an error status, 400 to 599");
      return FALSE;
    }
  if (message != NULL && !JSON_NODE_HOLDS_NULL (message)
      && json_node_get_value_type (message) != G_TYPE_STRING)
    {
      g_set_error (error, ACS_ERROR, SOUP_STATUS_BAD_REQUEST,
                   "\"duplicate_key_message\" must be a string, or null for the emulator's own words");
      return FALSE;
    }
  if (keys != NULL && (!JSON_NODE_HOLDS_VALUE (keys)
                       || json_node_get_value_type (keys) != G_TYPE_BOOLEAN))
    {
      g_set_error (error, ACS_ERROR, SOUP_STATUS_BAD_REQUEST,
                   "\"metadata_keys\" must be true or false");
      return FALSE;
    }

  self->big_table_threshold = (guint) threshold;
  self->duplicate_status = (guint) status;
  if (message != NULL)
    {
      g_free (self->duplicate_message);
      self->duplicate_message = JSON_NODE_HOLDS_NULL (message) ? NULL
                                                                : json_node_dup_string (message);
    }
  if (keys != NULL)
    self->metadata_keys = json_node_get_boolean (keys);
  return TRUE;
}

static void
handle_settings (AcsServer         *self,
                 SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(JsonBuilder) b = NULL;

  if (method == SOUP_METHOD_POST)
    {
      g_autoptr(JsonObject) body = acs_read_body_object (msg);
      g_autoptr(GError) error = NULL;

      if (body == NULL)
        return;
      if (!apply_settings (self, body, &error))
        {
          acs_answer_gerror (msg, error);
          return;
        }
    }
  else if (method != SOUP_METHOD_GET)
    {
      acs_answer_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                        "/_sandbox/settings accepts GET and POST");
      return;
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  add_int (b, "big_table_threshold", self->big_table_threshold);
  add_int (b, "duplicate_key_status", self->duplicate_status);
  json_builder_set_member_name (b, "duplicate_key_message");
  if (self->duplicate_message != NULL)
    json_builder_add_string_value (b, self->duplicate_message);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "metadata_keys");
  json_builder_add_boolean_value (b, self->metadata_keys);
  json_builder_end_object (b);
  acs_answer_builder (msg, SOUP_STATUS_OK, b);
}

/* The most calls that arrived less than a second apart from the first of
 * them: every window of one second is looked at, not only whole seconds. */
static guint
busiest_second (GArray *times)
{
  guint most = 0;

  for (guint first = 0, last = 0; last < times->len; last++)
    {
      while (g_array_index (times, gint64, last) - g_array_index (times, gint64, first)
             >= G_USEC_PER_SEC)
        first++;
      most = MAX (most, last - first + 1);
    }
  return most;
}

static void
handle_calls (AcsServer         *self,
              SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(JsonBuilder) b = NULL;

  if (method == SOUP_METHOD_DELETE)
    {
      g_array_set_size (self->call_times, 0);
      self->most_in_flight = self->calls_in_flight;
    }
  else if (method != SOUP_METHOD_GET)
    {
      acs_answer_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                        "/_sandbox/calls accepts GET and DELETE");
      return;
    }
  b = json_builder_new ();
  json_builder_begin_object (b);
  add_int (b, "count", self->call_times->len);
  add_int (b, "busiest_second", busiest_second (self->call_times));
  add_int (b, "most_in_flight", self->most_in_flight);
  json_builder_set_member_name (b, "seconds");
  json_builder_add_double_value (b, self->call_times->len < 2 ? 0.0
                                    : (double) (g_array_index (self->call_times, gint64,
                                                               self->call_times->len - 1)
                                                - g_array_index (self->call_times, gint64, 0))
                                      / G_USEC_PER_SEC);
  json_builder_end_object (b);
  acs_answer_builder (msg, SOUP_STATUS_OK, b);
}

/* The resource an item names: its name, or "<namespace>/<name>". */
static AcsResource *
find_resource (AcsServer  *self,
               const char *name)
{
  const char *slash = strrchr (name, '/');

  for (guint i = 0; i < self->resources->len; i++)
    {
      AcsResource *resource = g_ptr_array_index (self->resources, i);

      if (strcmp (resource->name, slash ? slash + 1 : name) == 0)
        return resource;
    }
  return NULL;
}

static gboolean
remove_item (gpointer                   server,
             const CcSandboxSetupItem  *item,
             GError                   **error)
{
  AcsServer *self = server;
  AcsResource *resource = item->object ? find_resource (self, item->object) : NULL;
  gboolean done = FALSE;

  switch (item->kind)
    {
    case CC_SANDBOX_SETUP_CUSTOM_FILTERS:
      acs_resource_remove_custom_filters (g_ptr_array_index (self->resources, 0));
      return TRUE;
    case CC_SANDBOX_SETUP_FILTER:
      done = resource != NULL && acs_resource_remove_filter (resource, item->member);
      break;
    case CC_SANDBOX_SETUP_FIELD:
      done = resource != NULL && acs_resource_remove_field (resource, item->member);
      break;
    case CC_SANDBOX_SETUP_KEY:
      if ((done = resource != NULL))
        acs_resource_drop_key (resource);
      break;
    case CC_SANDBOX_SETUP_ACTIVITY_TABLES:
    case CC_SANDBOX_SETUP_TABLE:
    case CC_SANDBOX_SETUP_ALTERNATE_KEY:
    case CC_SANDBOX_SETUP_CHANGE_TRACKING:
    case CC_SANDBOX_SETUP_COLUMN:
    case CC_SANDBOX_SETUP_PRIVILEGE:
    default:
      return TRUE;
    }
  if (resource == NULL)
    g_set_error (error, ACS_ERROR, SOUP_STATUS_NOT_FOUND, "Campaign has no resource '%s'",
                 item->object);
  else if (!done)
    g_set_error (error, ACS_ERROR, SOUP_STATUS_NOT_FOUND, "Campaign resource '%s' has no %s '%s'",
                 resource->name, item->kind == CC_SANDBOX_SETUP_FIELD ? "field" : "filter",
                 item->member);
  return done;
}

gboolean
acs_server_remove_setup (AcsServer          *self,
                         const char * const *items,
                         GError            **error)
{
  return cc_sandbox_setup_remove (items, TRUE, remove_item, self, error);
}

/* POST {"remove": [ITEM, ...]}: every item is read before any is applied. */
static void
handle_setup (AcsServer         *self,
              SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) items = NULL;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      acs_answer_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "/_sandbox/setup accepts POST");
      return;
    }
  if ((body = acs_read_body_object (msg)) == NULL)
    return;
  if ((items = cc_sandbox_setup_read_request (body, &error)) == NULL
      || !acs_server_remove_setup (self, (const char * const *) items, &error))
    {
      acs_answer_error (msg, error->domain == ACS_ERROR ? (guint) error->code : SOUP_STATUS_BAD_REQUEST,
                        error->message);
      return;
    }
  root = json_node_init_object (json_node_alloc (), body);
  acs_answer_json (msg, SOUP_STATUS_OK, root);
}

/* POST /_sandbox/schema/<resource>/fields/<field>/(remove|read-only). */
static void
handle_schema (AcsServer          *self,
               SoupServerMessage  *msg,
               char              **segments)
{
  AcsTable *table = NULL;
  AcsSchemaChange change = ACS_SCHEMA_AS_DEFINED;
  g_autoptr(JsonBuilder) b = NULL;

  if (g_strv_length (segments) == 4 && strcmp (segments[1], "fields") == 0)
    {
      table = strcmp (segments[0], acs_table_get_resource (self->profiles)->name) == 0
              ? self->profiles : g_hash_table_lookup (self->custom_tables, segments[0]);
      change = strcmp (segments[3], "remove") == 0 ? ACS_SCHEMA_REMOVED
               : strcmp (segments[3], "read-only") == 0 ? ACS_SCHEMA_READ_ONLY
               : ACS_SCHEMA_AS_DEFINED;
    }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST || table == NULL
      || change == ACS_SCHEMA_AS_DEFINED)
    {
      acs_answer_error (msg, SOUP_STATUS_NOT_FOUND,
                        "Use POST /_sandbox/schema/<resource>/fields/<field>/remove or "
                        "/read-only");
      return;
    }
  if (!acs_table_change_field (table, segments[2], change))
    {
      acs_answer_error (msg, SOUP_STATUS_NOT_FOUND,
                        "The resource has no field it can change by that name");
      return;
    }
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "resource");
  json_builder_add_string_value (b, segments[0]);
  json_builder_set_member_name (b, change == ACS_SCHEMA_REMOVED ? "removed" : "read_only");
  json_builder_add_string_value (b, segments[2]);
  json_builder_end_object (b);
  acs_answer_builder (msg, SOUP_STATUS_OK, b);
}

void
acs_handle_admin (AcsServer  *self,
                          SoupServerMessage *msg,
                          char             **segments)
{
  const char *what = segments[0];

  if (what != NULL && strcmp (what, "faults") == 0 && segments[1] == NULL)
    cc_sandbox_faults_handle_admin (self->faults, msg);
  else if (what != NULL && strcmp (what, "stats") == 0 && segments[1] == NULL)
    {
      if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
        acs_answer_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "/_sandbox/stats is read with GET");
      else
        handle_stats (self, msg);
    }
  else if (what != NULL && strcmp (what, "profiles") == 0)
    handle_profiles (self, msg, segments + 1);
  else if (what != NULL && strcmp (what, "resources") == 0)
    handle_resources (self, msg, segments + 1);
  else if (what != NULL && strcmp (what, "events") == 0 && segments[1] == NULL)
    handle_events (self, msg);
  else if (what != NULL && strcmp (what, "settings") == 0 && segments[1] == NULL)
    handle_settings (self, msg);
  else if (what != NULL && strcmp (what, "calls") == 0 && segments[1] == NULL)
    handle_calls (self, msg);
  else if (what != NULL && strcmp (what, "setup") == 0 && segments[1] == NULL)
    handle_setup (self, msg);
  else if (what != NULL && strcmp (what, "schema") == 0)
    handle_schema (self, msg, segments + 1);
  else
    acs_answer_error (msg, SOUP_STATUS_NOT_FOUND,
                              "Unknown admin resource; see /_sandbox/stats, profiles, resources, "
                              "events, settings, setup, faults, calls, schema");
}
