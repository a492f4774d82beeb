/* cc-sandbox.c — runs both emulators on a private thread.
 *
 * The thread owns a GMainContext, two SoupServers on 127.0.0.1 and the two
 * emulator objects; nothing else ever touches them, which is why the
 * emulators need no locks. The caller's thread only starts, stops and reads
 * the URLs, which are fixed once start() has returned.
 */
#include "config.h"

#include <string.h>

#include "cc-sandbox.h"
#include "cc-sandbox-reaper.h"
#include "cc-sandbox-setup.h"
#include "dv-server.h"
#include "acs-server.h"

struct _CcSandbox
{
  GObject           parent_instance;

  CcSandboxOptions  options;
  CcSandboxFaults  *faults;

  GThread          *thread;
  GMainContext     *context;
  GMainLoop        *loop;

  /* The start handshake: the thread sets ready (or error) under lock. */
  GMutex            lock;
  GCond             cond;
  gboolean          ready;
  GError           *start_error;

  char             *dataverse_url;
  char             *campaign_url;

  /* Owned by the thread while it runs. */
  SoupServer        *dataverse_server;
  SoupServer        *campaign_server;
  CcSandboxReaper   *dataverse_reaper;
  CcSandboxReaper   *campaign_reaper;
  DvServer *dataverse;
  AcsServer  *campaign;
};

G_DEFINE_FINAL_TYPE (CcSandbox, cc_sandbox, G_TYPE_OBJECT)

void
cc_sandbox_options_init (CcSandboxOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->contacts = 200;
  options->memberships = CC_SANDBOX_AUTO;
  options->events = CC_SANDBOX_AUTO;
  options->seed = 1;
  options->token_lifetime_s = 3599;
  options->max_requests = 6000;
  options->window_s = 300;
  options->max_concurrent = 52;
  options->max_execution_ms = 1200000;
  options->change_retention_days = 7;
}

static void
resolve_options (CcSandboxOptions *options)
{
  if (options->memberships == CC_SANDBOX_AUTO)
    options->memberships = options->contacts / 2;
  if (options->events == CC_SANDBOX_AUTO)
    options->events = options->contacts > G_MAXUINT / 2 ? G_MAXUINT - 1 : options->contacts * 2;
  if (options->token_lifetime_s == 0)
    options->token_lifetime_s = 3599;
  if (options->max_requests == 0)
    options->max_requests = 6000;
  if (options->window_s == 0)
    options->window_s = 300;
  if (options->max_concurrent == 0)
    options->max_concurrent = 52;
  if (options->max_execution_ms == 0)
    options->max_execution_ms = 1200000;
  if (options->change_retention_days == 0)
    options->change_retention_days = 7;
}

static void
cc_sandbox_finalize (GObject *object)
{
  CcSandbox *self = CC_SANDBOX (object);

  cc_sandbox_stop (self);
  g_clear_pointer (&self->faults, cc_sandbox_faults_free);
  g_clear_error (&self->start_error);
  g_clear_pointer (&self->dataverse_url, g_free);
  g_clear_pointer (&self->campaign_url, g_free);
  g_clear_pointer (&self->options.without, g_strfreev);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (cc_sandbox_parent_class)->finalize (object);
}

static void
cc_sandbox_class_init (CcSandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cc_sandbox_finalize;
}

static void
cc_sandbox_init (CcSandbox *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
}

CcSandbox *
cc_sandbox_new (const CcSandboxOptions *options)
{
  CcSandbox *self = g_object_new (CC_TYPE_SANDBOX, NULL);

  if (options != NULL)
    self->options = *options;
  else
    cc_sandbox_options_init (&self->options);
  self->options.without = g_strdupv (self->options.without);
  resolve_options (&self->options);
  self->faults = cc_sandbox_faults_new (self->options.seed);
  return self;
}

/* Binds @server on loopback and returns its "http://127.0.0.1:PORT". */
static char *
listen_loopback (SoupServer  *server,
                 guint        port,
                 GError     **error)
{
  g_autoslist(GUri) uris = NULL;

  if (!soup_server_listen_local (server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return NULL;
  uris = soup_server_get_uris (server);
  if (uris == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "The sandbox server has no listening address");
      return NULL;
    }
  return g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
}

/* libsoup 3.2 drops Content-Length from a 204 while writing it, which
 * leaves the answer's body encoding unknown; it then takes the answer for
 * one delimited by closing the connection and closes it, without a
 * Connection: close header. Both real services keep the connection open
 * after a 204, so say once the headers are out that the body was empty. */
static void
on_wrote_headers (SoupServerMessage *msg,
                  gpointer           user_data)
{
  if (soup_server_message_get_status (msg) == SOUP_STATUS_NO_CONTENT)
    soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                       SOUP_ENCODING_NONE);
}

static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (on_wrote_headers), NULL);
}

static void
teardown_servers (CcSandbox *self)
{
  g_clear_pointer (&self->dataverse, dv_server_free);
  g_clear_pointer (&self->campaign, acs_server_free);
  g_clear_pointer (&self->dataverse_reaper, cc_sandbox_reaper_free);
  g_clear_pointer (&self->campaign_reaper, cc_sandbox_reaper_free);
  if (self->dataverse_server != NULL)
    soup_server_disconnect (self->dataverse_server);
  if (self->campaign_server != NULL)
    soup_server_disconnect (self->campaign_server);
  g_clear_object (&self->dataverse_server);
  g_clear_object (&self->campaign_server);
}

static gpointer
sandbox_thread (gpointer data)
{
  CcSandbox *self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *dataverse_url = NULL;
  g_autofree char *campaign_url = NULL;

  g_main_context_push_thread_default (self->context);

  /* A server header like the real front ends send would only invite
   * clients to sniff it; keep libsoup's default off. */
  self->dataverse_server = soup_server_new ("server-header", NULL, NULL);
  /* Campaign routes on the path as sent: an encoded slash is data in a
   * segment, as gateways keep it, not a separator (acs-server.c). */
  self->campaign_server = soup_server_new ("server-header", NULL, "raw-paths", TRUE, NULL);
  g_signal_connect (self->dataverse_server, "request-started", G_CALLBACK (on_request_started), NULL);
  g_signal_connect (self->campaign_server, "request-started", G_CALLBACK (on_request_started), NULL);

  dataverse_url = listen_loopback (self->dataverse_server, self->options.dataverse_port, &error);
  if (dataverse_url != NULL)
    campaign_url = listen_loopback (self->campaign_server, self->options.campaign_port, &error);

  if (campaign_url != NULL)
    {
      self->dataverse = dv_server_new (self->dataverse_server, &self->options,
                                                 self->faults, dataverse_url);
      self->campaign = acs_server_new (self->campaign_server, &self->options,
                                               self->faults, campaign_url);
      if (dv_server_remove_setup (self->dataverse, (const char * const *) self->options.without, &error))
        acs_server_remove_setup (self->campaign, (const char * const *) self->options.without, &error);
      self->dataverse_reaper = cc_sandbox_reaper_new (self->dataverse_server);
      self->campaign_reaper = cc_sandbox_reaper_new (self->campaign_server);
    }

  g_mutex_lock (&self->lock);
  if (error != NULL)
    self->start_error = g_steal_pointer (&error);
  else
    {
      self->dataverse_url = g_steal_pointer (&dataverse_url);
      self->campaign_url = g_steal_pointer (&campaign_url);
    }
  self->ready = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  if (self->start_error == NULL)
    g_main_loop_run (self->loop);

  teardown_servers (self);
  /* Let closing connections finish their last callbacks before the
   * context goes away. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

gboolean
cc_sandbox_start (CcSandbox  *self,
                  GError    **error)
{
  g_return_val_if_fail (CC_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);

  if (!cc_sandbox_setup_check ((const char * const *) self->options.without, error))
    return FALSE;

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->ready = FALSE;
  g_clear_error (&self->start_error);

  self->thread = g_thread_new ("cc-sandbox", sandbox_thread, self);

  g_mutex_lock (&self->lock);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);

  if (self->start_error != NULL)
    {
      g_thread_join (g_steal_pointer (&self->thread));
      g_clear_pointer (&self->loop, g_main_loop_unref);
      g_clear_pointer (&self->context, g_main_context_unref);
      g_propagate_prefixed_error (error, g_steal_pointer (&self->start_error),
                                  "Could not start the sandbox: ");
      return FALSE;
    }
  return TRUE;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
cc_sandbox_stop (CcSandbox *self)
{
  g_return_if_fail (CC_IS_SANDBOX (self));

  if (self->thread == NULL)
    return;

  g_main_context_invoke (self->context, quit_loop, self->loop);
  g_thread_join (g_steal_pointer (&self->thread));
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
}

const char *
cc_sandbox_get_dataverse_url (CcSandbox *self)
{
  g_return_val_if_fail (CC_IS_SANDBOX (self), NULL);
  return self->dataverse_url;
}

const char *
cc_sandbox_get_campaign_url (CcSandbox *self)
{
  g_return_val_if_fail (CC_IS_SANDBOX (self), NULL);
  return self->campaign_url;
}

char *
cc_sandbox_get_journal_url (CcSandbox *self)
{
  g_return_val_if_fail (CC_IS_SANDBOX (self), NULL);
  if (self->campaign_url == NULL)
    return NULL;
  return g_strconcat (self->campaign_url, "/events/journal", NULL);
}

char *
cc_sandbox_get_ims_url (CcSandbox *self)
{
  g_return_val_if_fail (CC_IS_SANDBOX (self), NULL);
  if (self->campaign_url == NULL)
    return NULL;
  return g_strconcat (self->campaign_url, "/ims/token/v3", NULL);
}

CcSandboxFaults *
cc_sandbox_get_faults (CcSandbox *self)
{
  g_return_val_if_fail (CC_IS_SANDBOX (self), NULL);
  return self->faults;
}

const CcSandboxOptions *
cc_sandbox_get_options (CcSandbox *self)
{
  g_return_val_if_fail (CC_IS_SANDBOX (self), NULL);
  return &self->options;
}
