/* cc-sandbox-faults.c — the fault knobs and how a fault is carried out on
 * a SoupServerMessage (error answers, throttling, dropped connections,
 * answers lost after the work was done, truncated bodies, added latency).
 */
#include "config.h"

#include <string.h>

#include "cc-sandbox-faults.h"
#include "cc-sandbox-seed.h"

/* The knobs proper, copied whole when a change is validated. */
typedef struct
{
  double error_rate;
  double throttle_rate;
  double drop_rate;
  double malformed_rate;
  guint  throttle_storm;
  guint  retry_after_s;
  guint  latency_ms;
  guint  token_lifetime_s;
  guint  lose_answers;
  char  *lose_answers_to;   /* owned; NULL = any request */
} Knobs;

struct _CcSandboxFaults
{
  GMutex  lock;
  guint64 rng;
  Knobs   knobs;

  guint64 injected_dataverse;
  guint64 injected_campaign;
};

/* What is still due on a message after its handler returns. */
typedef struct
{
  SoupServerMessage *msg;
  gboolean           truncate;
  gboolean           lose;      /* close the connection instead of answering */
  GSource           *timeout;
  gulong             finished_id;
  gulong             disconnected_id;
} PendingFault;

#define DEFAULT_RETRY_AFTER_S 1

/* A uniform double in [0, 1). */
static double
next_unit (CcSandboxFaults *faults)
{
  return (cc_sandbox_random_next (&faults->rng) >> 11) * (1.0 / 9007199254740992.0);
}

CcSandboxFaults *
cc_sandbox_faults_new (guint64 seed)
{
  CcSandboxFaults *faults = g_new0 (CcSandboxFaults, 1);

  g_mutex_init (&faults->lock);
  /* Not the data seed itself: the fault stream should not mirror the
   * seeded records' random stream. */
  faults->rng = seed ^ G_GUINT64_CONSTANT (0x5A4D1E5F0C0FFEE5);
  faults->knobs.retry_after_s = DEFAULT_RETRY_AFTER_S;
  return faults;
}

void
cc_sandbox_faults_free (CcSandboxFaults *faults)
{
  if (faults == NULL)
    return;
  g_mutex_clear (&faults->lock);
  g_free (faults->knobs.lose_answers_to);
  g_free (faults);
}

static gboolean
read_rate (JsonObject  *knobs,
           const char  *name,
           double      *out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (knobs, name);
  double value;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node)
      || (json_node_get_value_type (node) != G_TYPE_DOUBLE
          && json_node_get_value_type (node) != G_TYPE_INT64))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Fault knob \"%s\" must be a number between 0 and 1", name);
      return FALSE;
    }
  value = json_node_get_double (node);
  if (value < 0.0 || value > 1.0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Fault knob \"%s\" must be between 0 and 1, not %g", name, value);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static gboolean
read_count (JsonObject  *knobs,
            const char  *name,
            guint       *out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (knobs, name);
  gint64 value;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Fault knob \"%s\" must be a whole number", name);
      return FALSE;
    }
  value = json_node_get_int (node);
  if (value < 0 || value > G_MAXINT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Fault knob \"%s\" is out of range: %" G_GINT64_FORMAT, name, value);
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

/* A string knob that may be null; sets @out to a new string, NULL for
 * null or "". */
static gboolean
read_target (JsonObject  *knobs,
             const char  *name,
             char       **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (knobs, name);

  *out = NULL;
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Fault knob \"%s\" must be \"METHOD\" or \"METHOD /path-prefix\", or null", name);
      return FALSE;
    }
  if (*json_node_get_string (node) != '\0')
    *out = json_node_dup_string (node);
  return TRUE;
}

gboolean
cc_sandbox_faults_set_json (CcSandboxFaults  *faults,
                            JsonObject       *knobs,
                            GError          **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *target = NULL;
  gboolean target_given;
  Knobs next;
  gboolean reset = FALSE;
  JsonNode *reset_node;

  g_return_val_if_fail (faults != NULL, FALSE);
  g_return_val_if_fail (knobs != NULL, FALSE);

  reset_node = json_object_get_member (knobs, "reset");
  if (reset_node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (reset_node)
          || json_node_get_value_type (reset_node) != G_TYPE_BOOLEAN)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "Fault knob \"reset\" must be true or false");
          return FALSE;
        }
      reset = json_node_get_boolean (reset_node);
    }

  /* Held until the end, so that a storm draining meanwhile is not undone. */
  locker = g_mutex_locker_new (&faults->lock);
  next = faults->knobs;

  if (reset)
    {
      memset (&next, 0, sizeof next);
      next.retry_after_s = DEFAULT_RETRY_AFTER_S;
    }

  /* Validate everything into a copy first so that a bad knob changes
   * nothing. */
  if (!read_rate (knobs, "error_rate", &next.error_rate, error)
      || !read_rate (knobs, "throttle_rate", &next.throttle_rate, error)
      || !read_rate (knobs, "drop_rate", &next.drop_rate, error)
      || !read_rate (knobs, "malformed_rate", &next.malformed_rate, error)
      || !read_count (knobs, "throttle_storm", &next.throttle_storm, error)
      || !read_count (knobs, "retry_after", &next.retry_after_s, error)
      || !read_count (knobs, "latency_ms", &next.latency_ms, error)
      || !read_count (knobs, "token_lifetime", &next.token_lifetime_s, error)
      || !read_count (knobs, "lose_answers", &next.lose_answers, error))
    return FALSE;
  target_given = json_object_has_member (knobs, "lose_answers_to");
  if (target_given && !read_target (knobs, "lose_answers_to", &target, error))
    return FALSE;

  /* The copy shares the current target string; replace it only if it
   * changes. */
  if (target_given)
    next.lose_answers_to = g_steal_pointer (&target);
  if (next.lose_answers_to != faults->knobs.lose_answers_to)
    g_free (faults->knobs.lose_answers_to);
  faults->knobs = next;
  return TRUE;
}

JsonObject *
cc_sandbox_faults_to_json (CcSandboxFaults *faults)
{
  JsonObject *obj = json_object_new ();

  g_mutex_lock (&faults->lock);
  json_object_set_double_member (obj, "error_rate", faults->knobs.error_rate);
  json_object_set_double_member (obj, "throttle_rate", faults->knobs.throttle_rate);
  json_object_set_int_member (obj, "throttle_storm", faults->knobs.throttle_storm);
  json_object_set_int_member (obj, "retry_after", faults->knobs.retry_after_s);
  json_object_set_double_member (obj, "drop_rate", faults->knobs.drop_rate);
  json_object_set_double_member (obj, "malformed_rate", faults->knobs.malformed_rate);
  json_object_set_int_member (obj, "latency_ms", faults->knobs.latency_ms);
  json_object_set_int_member (obj, "token_lifetime", faults->knobs.token_lifetime_s);
  json_object_set_int_member (obj, "lose_answers", faults->knobs.lose_answers);
  if (faults->knobs.lose_answers_to != NULL)
    json_object_set_string_member (obj, "lose_answers_to", faults->knobs.lose_answers_to);
  else
    json_object_set_null_member (obj, "lose_answers_to");
  g_mutex_unlock (&faults->lock);
  return obj;
}

void
cc_sandbox_faults_decide (CcSandboxFaults        *faults,
                          CcSandboxFaultDecision *out)
{
  g_return_if_fail (faults != NULL && out != NULL);

  g_mutex_lock (&faults->lock);
  out->kind = CC_SANDBOX_FAULT_NONE;
  out->latency_ms = faults->knobs.latency_ms;
  out->retry_after_s = faults->knobs.retry_after_s;

  if (faults->knobs.throttle_storm > 0)
    {
      faults->knobs.throttle_storm--;
      out->kind = CC_SANDBOX_FAULT_THROTTLE;
    }
  /* One draw per knob, each only when its rate is set, so that switching
   * one knob on does not shift the others' outcomes more than needed. */
  else if (faults->knobs.drop_rate > 0 && next_unit (faults) < faults->knobs.drop_rate)
    out->kind = CC_SANDBOX_FAULT_DROP;
  else if (faults->knobs.error_rate > 0 && next_unit (faults) < faults->knobs.error_rate)
    out->kind = CC_SANDBOX_FAULT_ERROR_5XX;
  else if (faults->knobs.throttle_rate > 0 && next_unit (faults) < faults->knobs.throttle_rate)
    out->kind = CC_SANDBOX_FAULT_THROTTLE;
  else if (faults->knobs.malformed_rate > 0 && next_unit (faults) < faults->knobs.malformed_rate)
    out->kind = CC_SANDBOX_FAULT_MALFORMED;
  g_mutex_unlock (&faults->lock);
}

guint
cc_sandbox_faults_get_token_lifetime (CcSandboxFaults *faults,
                                      guint            fallback_s)
{
  guint lifetime;

  g_return_val_if_fail (faults != NULL, fallback_s);

  g_mutex_lock (&faults->lock);
  lifetime = faults->knobs.token_lifetime_s;
  g_mutex_unlock (&faults->lock);
  return lifetime > 0 ? lifetime : fallback_s;
}

guint64
cc_sandbox_faults_get_injected (CcSandboxFaults *faults,
                                const char      *service)
{
  guint64 count;

  g_return_val_if_fail (faults != NULL, 0);

  g_mutex_lock (&faults->lock);
  count = g_strcmp0 (service, CC_SANDBOX_SERVICE_CAMPAIGN) == 0
          ? faults->injected_campaign : faults->injected_dataverse;
  g_mutex_unlock (&faults->lock);
  return count;
}

static void
count_injected (CcSandboxFaults *faults,
                const char      *service)
{
  g_mutex_lock (&faults->lock);
  if (g_strcmp0 (service, CC_SANDBOX_SERVICE_CAMPAIGN) == 0)
    faults->injected_campaign++;
  else
    faults->injected_dataverse++;
  g_mutex_unlock (&faults->lock);
}

static void
set_json_answer (SoupServerMessage *msg,
                 guint              status,
                 const char        *content_type,
                 JsonNode          *root)
{
  g_autofree char *text = json_to_string (root, FALSE);
  gsize len = strlen (text);

  /* libsoup has no phrase of its own for 429. */
  soup_server_message_set_status (msg, status, status == 429 ? "Too Many Requests" : NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), len);
}

/* Dataverse's error body is {"error":{"code","message"}} (notes §10), the
 * code often empty; Adobe's gateway answers {"code":502,"message"} for
 * server-side failures and {"error_code","message"} for refusals
 * (campaign notes §1). */
static void
answer_server_error (SoupServerMessage *msg,
                     const char        *service)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gboolean campaign = g_strcmp0 (service, CC_SANDBOX_SERVICE_CAMPAIGN) == 0;

  json_builder_begin_object (b);
  if (campaign)
    {
      json_builder_set_member_name (b, "code");
      json_builder_add_int_value (b, 502);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, "Oops. Something went wrong. Check your URI and try again.");
    }
  else
    {
      json_builder_set_member_name (b, "error");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, "");
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, "The service is temporarily unavailable. Please try again later.");
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);

  set_json_answer (msg, campaign ? SOUP_STATUS_BAD_GATEWAY : SOUP_STATUS_SERVICE_UNAVAILABLE,
                   campaign ? "application/json;charset=utf-8"
                            : "application/json; odata.metadata=minimal",
                   root);
}

static void
answer_throttled (SoupServerMessage *msg,
                  const char        *service,
                  guint              retry_after_s)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *retry = g_strdup_printf ("%u", retry_after_s);
  gboolean campaign = g_strcmp0 (service, CC_SANDBOX_SERVICE_CAMPAIGN) == 0;

  json_builder_begin_object (b);
  if (campaign)
    {
      /* INFER: Adobe I/O publishes no 429 body; this follows the gateway's
       * other {"error_code","message"} refusals. */
      json_builder_set_member_name (b, "error_code");
      json_builder_add_string_value (b, "429050");
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, "Too many requests");
    }
  else
    {
      /* The request-count limit's code and message (notes §9). */
      json_builder_set_member_name (b, "error");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, "0x80072322");
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, "Number of requests exceeded the limit of 6000 over time window of 300 seconds.");
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Retry-After", retry);
  set_json_answer (msg, 429,
                   campaign ? "application/json;charset=utf-8"
                            : "application/json; odata.metadata=minimal",
                   root);
}

static void
drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

/* Cuts a 200 answer's body in half, so that it is no longer valid JSON
 * (Content-Length follows the shorter body). Returns whether it did. */
static gboolean
truncate_answer (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  g_autoptr(GBytes) full = NULL;
  gsize len;

  if (soup_server_message_get_status (msg) != SOUP_STATUS_OK || body->length < 2)
    return FALSE;

  full = soup_message_body_flatten (body);
  len = g_bytes_get_size (full) / 2;
  soup_message_body_truncate (body);
  soup_message_body_append (body, SOUP_MEMORY_COPY, g_bytes_get_data (full, NULL), len);
  soup_message_headers_set_content_length (soup_server_message_get_response_headers (msg), len);
  return TRUE;
}

static void
pending_fault_free (PendingFault *pending)
{
  if (pending->timeout != NULL)
    {
      g_source_destroy (pending->timeout);
      g_source_unref (pending->timeout);
    }
  g_clear_signal_handler (&pending->finished_id, pending->msg);
  g_clear_signal_handler (&pending->disconnected_id, pending->msg);
  g_clear_object (&pending->msg);
  g_free (pending);
}

static gboolean
pending_fault_fire (gpointer data)
{
  PendingFault *pending = data;
  SoupServerMessage *msg = g_object_ref (pending->msg);
  gboolean lose = pending->lose;

  g_clear_pointer (&pending->timeout, g_source_unref);
  if (pending->truncate)
    truncate_answer (msg);
  g_object_set_data (G_OBJECT (msg), "cc-sandbox-pending-fault", NULL);
  /* The handler has done its work; the answer never leaves. */
  if (lose)
    drop_connection (msg);
  else
    soup_server_message_unpause (msg);
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}

static void
pending_fault_on_finished (SoupServerMessage *msg,
                           gpointer           data)
{
  /* The client went away while we held the answer back: forget it. */
  g_object_set_data (G_OBJECT (msg), "cc-sandbox-pending-fault", NULL);
}

static void
schedule_pending (SoupServerMessage *msg,
                  guint              latency_ms,
                  gboolean           truncate,
                  gboolean           lose)
{
  PendingFault *pending = g_new0 (PendingFault, 1);

  pending->msg = g_object_ref (msg);
  pending->truncate = truncate;
  pending->lose = lose;
  pending->timeout = g_timeout_source_new (latency_ms);
  g_source_set_callback (pending->timeout, pending_fault_fire, pending, NULL);
  g_source_attach (pending->timeout, g_main_context_get_thread_default ());
  pending->finished_id = g_signal_connect (msg, "finished",
                                           G_CALLBACK (pending_fault_on_finished), NULL);
  /* A connection closed under a paused message ends its I/O without
   * "finished": unpausing it then would be a critical in libsoup. */
  pending->disconnected_id = g_signal_connect (msg, "disconnected",
                                               G_CALLBACK (pending_fault_on_finished), NULL);
  g_object_set_data_full (G_OBJECT (msg), "cc-sandbox-pending-fault", pending,
                          (GDestroyNotify) pending_fault_free);
  soup_server_message_pause (msg);
}

/* Whether @msg is one whose answer is to be lost (consumes one). */
static gboolean
take_lost_answer (CcSandboxFaults   *faults,
                  SoupServerMessage *msg)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&faults->lock);
  const char *target = faults->knobs.lose_answers_to;
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  gsize method_len = target ? strcspn (target, " ") : 0;

  if (faults->knobs.lose_answers == 0)
    return FALSE;
  if (target != NULL
      && (strlen (method) != method_len || g_ascii_strncasecmp (method, target, method_len) != 0
          || (target[method_len] == ' ' && !g_str_has_prefix (path, target + method_len + 1))))
    return FALSE;
  faults->knobs.lose_answers--;
  return TRUE;
}

gboolean
cc_sandbox_faults_apply (CcSandboxFaults   *faults,
                         SoupServerMessage *msg,
                         const char        *service)
{
  CcSandboxFaultDecision decision;
  gboolean answered;
  gboolean truncate_later = FALSE;
  gboolean replaced = FALSE;

  g_return_val_if_fail (faults != NULL, FALSE);
  g_return_val_if_fail (SOUP_IS_SERVER_MESSAGE (msg), FALSE);

  if (take_lost_answer (faults, msg))
    {
      count_injected (faults, service);
      schedule_pending (msg, 0, FALSE, TRUE);
      return FALSE;
    }

  cc_sandbox_faults_decide (faults, &decision);
  answered = soup_server_message_get_status (msg) != SOUP_STATUS_NONE;

  switch (decision.kind)
    {
    case CC_SANDBOX_FAULT_NONE:
      break;

    case CC_SANDBOX_FAULT_ERROR_5XX:
      answer_server_error (msg, service);
      replaced = TRUE;
      break;

    case CC_SANDBOX_FAULT_THROTTLE:
      answer_throttled (msg, service, decision.retry_after_s);
      replaced = TRUE;
      break;

    case CC_SANDBOX_FAULT_DROP:
      count_injected (faults, service);
      drop_connection (msg);
      return TRUE;

    case CC_SANDBOX_FAULT_MALFORMED:
      if (answered)
        {
          if (truncate_answer (msg))
            count_injected (faults, service);
        }
      else
        {
          truncate_later = TRUE;
          /* Counted now: the handler's answer is not known yet, and a
           * request that was meant to be cut is what a test observes. */
          count_injected (faults, service);
        }
      break;

    default:
      g_assert_not_reached ();
    }

  if (replaced)
    count_injected (faults, service);

  if (decision.latency_ms > 0 || truncate_later)
    schedule_pending (msg, decision.latency_ms, truncate_later, FALSE);

  return replaced;
}

void
cc_sandbox_faults_handle_admin (CcSandboxFaults   *faults,
                                SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonObject) knobs = NULL;

  if (method == SOUP_METHOD_POST)
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonNode *root;

      if (!json_parser_load_from_data (parser, body->data ? body->data : "",
                                       body->length, &error)
          || (root = json_parser_get_root (parser)) == NULL
          || !JSON_NODE_HOLDS_OBJECT (root))
        {
          g_autoptr(JsonObject) err = json_object_new ();

          json_object_set_string_member (err, "error", "The body must be a JSON object of fault knobs");
          answer = json_node_init_object (json_node_alloc (), err);
          set_json_answer (msg, SOUP_STATUS_BAD_REQUEST, "application/json", answer);
          return;
        }
      if (!cc_sandbox_faults_set_json (faults, json_node_get_object (root), &error))
        {
          g_autoptr(JsonObject) err = json_object_new ();

          json_object_set_string_member (err, "error", error->message);
          answer = json_node_init_object (json_node_alloc (), err);
          set_json_answer (msg, SOUP_STATUS_BAD_REQUEST, "application/json", answer);
          return;
        }
    }
  else if (method != SOUP_METHOD_GET)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET, POST");
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  knobs = cc_sandbox_faults_to_json (faults);
  answer = json_node_init_object (json_node_alloc (), knobs);
  set_json_answer (msg, SOUP_STATUS_OK, "application/json", answer);
}
