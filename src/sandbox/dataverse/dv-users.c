/* dv-users.c — the application users of the emulated tenant: each a
 * client id and secret that Entra ID signs in, with service-protection
 * limits of its own, as Dataverse counts them per user (Microsoft's
 * "Service protection API limits": "limits are evaluated per user").
 * There is always the sandbox's own (CC_SANDBOX_CLIENT_ID); tests
 * register more:
 *
 *   POST /_sandbox/users {"client_id": ID, "secret": SECRET}   201, 409 when known
 *   GET  /_sandbox/users   {"users": [{"client_id", "requests", "throttled"}, ...]}
 */
#include "config.h"

#include <string.h>

#include "dv-private.h"

#define USER_FLIGHT_KEY "cc-dataverse-user-flight"

static void
user_free (DvUser *user)
{
  g_free (user->client_id);
  g_free (user->secret);
  dv_limits_free (user->limits);
  g_free (user);
}

static DvUser *
add_user (DvServer   *self,
          const char *client_id,
          const char *secret)
{
  DvUser *user = g_new0 (DvUser, 1);

  user->client_id = g_strdup (client_id);
  user->secret = g_strdup (secret);
  user->limits = dv_limits_new (self->options.window_s);
  g_hash_table_insert (self->users, user->client_id, user);
  g_ptr_array_add (self->user_order, user);
  return user;
}

void
dv_users_init (DvServer *self)
{
  self->users = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) user_free);
  self->user_order = g_ptr_array_new ();
  add_user (self, CC_SANDBOX_CLIENT_ID, CC_SANDBOX_SECRET);
}

void
dv_users_clear (DvServer *self)
{
  g_clear_pointer (&self->user_order, g_ptr_array_unref);
  g_clear_pointer (&self->users, g_hash_table_unref);
}

DvUser *
dv_users_find (DvServer   *self,
               const char *client_id)
{
  return client_id != NULL ? g_hash_table_lookup (self->users, client_id) : NULL;
}

static void
user_flight_done (gpointer data)
{
  DvUser *user = data;

  user->in_flight--;
}

static void
on_message_finished (SoupServerMessage *msg,
                     gpointer           data)
{
  g_object_set_data (G_OBJECT (msg), USER_FLIGHT_KEY, NULL);
}

void
dv_user_track (DvUser            *user,
               SoupServerMessage *msg)
{
  user->in_flight++;
  g_object_set_data_full (G_OBJECT (msg), USER_FLIGHT_KEY, user, user_flight_done);
  g_signal_connect (msg, "finished", G_CALLBACK (on_message_finished), NULL);
}

void
dv_user_forget (SoupServerMessage *msg)
{
  g_object_steal_data (G_OBJECT (msg), USER_FLIGHT_KEY);
  g_signal_handlers_disconnect_by_func (msg, on_message_finished, NULL);
}

/* ---- /_sandbox/users ------------------------------------------------------ */

static void
answer (SoupServerMessage *msg,
        guint              status,
        JsonObject        *obj)
{
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), obj);
  g_autofree char *text = json_to_string (root, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

static void
answer_error (SoupServerMessage *msg,
              guint              status,
              const char        *text)
{
  g_autoptr(JsonObject) obj = json_object_new ();

  json_object_set_string_member (obj, "error", text);
  answer (msg, status, obj);
}

static void
list_users (DvServer          *self,
            SoupServerMessage *msg)
{
  g_autoptr(JsonObject) out = json_object_new ();
  JsonArray *users = json_array_new ();

  for (guint i = 0; i < self->user_order->len; i++)
    {
      DvUser *user = g_ptr_array_index (self->user_order, i);
      JsonObject *obj = json_object_new ();

      json_object_set_string_member (obj, "client_id", user->client_id);
      json_object_set_int_member (obj, "requests", user->requests);
      json_object_set_int_member (obj, "throttled", user->throttled);
      json_array_add_object_element (users, obj);
    }
  json_object_set_array_member (out, "users", users);
  answer (msg, SOUP_STATUS_OK, out);
}

static void
register_user (DvServer          *self,
               SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonObject) out = json_object_new ();
  JsonNode *root;
  JsonObject *obj;
  const char *client_id;
  const char *secret;

  if (body->length == 0 || !json_parser_load_from_data (parser, body->data, body->length, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      answer_error (msg, SOUP_STATUS_BAD_REQUEST, "The body must be a JSON object.");
      return;
    }
  obj = json_node_get_object (root);
  client_id = json_object_get_string_member_with_default (obj, "client_id", NULL);
  secret = json_object_get_string_member_with_default (obj, "secret", NULL);
  if (client_id == NULL || *client_id == '\0' || secret == NULL || *secret == '\0')
    {
      answer_error (msg, SOUP_STATUS_BAD_REQUEST, "An application user needs a client_id and a secret.");
      return;
    }
  if (dv_users_find (self, client_id) != NULL)
    {
      answer_error (msg, SOUP_STATUS_CONFLICT, "This client_id is already an application user.");
      return;
    }
  add_user (self, client_id, secret);
  json_object_set_string_member (out, "client_id", client_id);
  answer (msg, SOUP_STATUS_CREATED, out);
}

void
dv_handle_users (DvServer          *self,
                 SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);

  if (method == SOUP_METHOD_GET)
    list_users (self, msg);
  else if (method == SOUP_METHOD_POST)
    register_user (self, msg);
  else
    answer_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "/_sandbox/users takes GET and POST.");
}
