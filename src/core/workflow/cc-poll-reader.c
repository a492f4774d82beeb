/* cc-poll-reader.c — polling a Dynamics 365 table without change
 * tracking by modifiedon (see cc-poll-reader.h for the whole picture and
 * the positions), and telling the user that it does.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-poll-reader-private.h"

#define PHASE_FIRST "poll-first"
#define PHASE_POLL  "poll"

/* --- positions ----------------------------------------------------------- */

void
cc_poll_position_clear (CcPollPosition *position)
{
  position->first = FALSE;
  g_clear_pointer (&position->watermark, g_free);
  g_clear_pointer (&position->url, g_free);
}

gboolean
cc_poll_position_parse (const char     *text,
                        CcPollPosition *position)
{
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (position != NULL, FALSE);

  cc_poll_position_clear (position);
  if (text == NULL)
    return FALSE;
  parts = g_strsplit (text, " ", 3);
  if (!g_str_equal (parts[0], PHASE_FIRST) && !g_str_equal (parts[0], PHASE_POLL))
    return FALSE;

  position->first = g_str_equal (parts[0], PHASE_FIRST);
  if (parts[1] != NULL && *parts[1] != '\0')
    position->watermark = g_strdup (parts[1]);
  if (parts[1] != NULL && parts[2] != NULL && *parts[2] != '\0')
    position->url = g_strdup (parts[2]);
  return TRUE;
}

char *
cc_poll_position_to_string (const CcPollPosition *position)
{
  g_return_val_if_fail (position != NULL, NULL);

  return g_strdup_printf ("%s %s%s%s", position->first ? PHASE_FIRST : PHASE_POLL,
                          position->watermark ? position->watermark : "",
                          position->url ? " " : "", position->url ? position->url : "");
}

/* --- the reader ---------------------------------------------------------- */

CcPollReader *
cc_poll_reader_new (const CcPollSetup *setup)
{
  CcPollReader *self = g_new0 (CcPollReader, 1);

  g_return_val_if_fail (!(setup->flags & CC_DATAVERSE_READ_TRACK_CHANGES), NULL);

  self->workflow_id = g_strdup (setup->workflow_id);
  self->table = g_strdup (setup->table);
  self->entity_set = g_strdup (setup->entity_set);
  self->primary_key = g_strdup (setup->primary_key);
  self->columns = g_strdupv ((GStrv) setup->columns);
  self->flags = setup->flags;
  self->page_size = setup->page_size;
  self->poll_interval_s = setup->poll_interval_s;
  self->cursor_name = g_strdup (setup->cursor_name);
  self->sweep_name = g_strdup (setup->sweep_name);
  self->version_space = g_strdup (setup->version_space);
  self->seen_space = g_strdup (setup->seen_space);
  self->known_space = g_strdup (setup->known_space);
  return self;
}

void
cc_poll_reader_free (CcPollReader *self)
{
  if (self == NULL)
    return;
  g_free (self->workflow_id);
  g_free (self->table);
  g_free (self->entity_set);
  g_free (self->primary_key);
  g_strfreev (self->columns);
  g_free (self->cursor_name);
  g_free (self->sweep_name);
  g_free (self->version_space);
  g_free (self->seen_space);
  g_free (self->known_space);
  g_free (self);
}

void
cc_poll_reader_announce (CcPollReader *self,
                         CcRun        *run,
                         CcStore      *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  message = g_strdup_printf (_("Change tracking is off for the Dynamics 365 table “%s”, so "
                               "this workflow polls it for changed rows, which is slower and "
                               "reads more. Switching “Track changes” on for the table makes "
                               "it faster."),
                             self->table);
  cc_run_add_notice (run, message);
  if (!cc_store_add_history (store, self->workflow_id, "notice", message, 0, 0, &error))
    g_debug ("%s: %s", self->workflow_id, error->message);
}

gboolean
cc_poll_reader_refit (CcPollReader  *self,
                      CcStore       *store,
                      GError       **error)
{
  g_auto(CcPollPosition) position = { 0 };
  g_autoptr(GError) local = NULL;
  g_autofree char *text = NULL;
  g_autofree char *url = NULL;
  g_autofree char *refitted = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  text = cc_store_get_cursor (store, self->workflow_id, self->cursor_name, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  /* Between reads the next poll builds its URL from the columns anyway. */
  if (!cc_poll_position_parse (text, &position) || position.url == NULL)
    return TRUE;
  url = cc_dataverse_url_set_select (position.url, (const char * const *) self->columns);
  if (url == NULL || g_str_equal (url, position.url))
    return TRUE;
  g_free (position.url);
  position.url = g_steal_pointer (&url);
  refitted = cc_poll_position_to_string (&position);
  return cc_store_set_cursor (store, self->workflow_id, self->cursor_name, refitted, error);
}

/* The stored read position; the start of a first read when there is
 * none, or when it is not a position of this reader (the table had
 * change tracking before). */
static gboolean
load_position (CcPollReader    *self,
               CcStore         *store,
               CcPollPosition  *position,
               GError         **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *text = cc_store_get_cursor (store, self->workflow_id, self->cursor_name,
                                               &local);

  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (cc_poll_position_parse (text, position))
    return TRUE;

  /* The versions handed out by an earlier read mean nothing to a first
   * read, which hands out every row. */
  position->first = TRUE;
  return cc_store_map_clear (store, self->version_space, error);
}

static char *
poll_url (CcPollReader      *self,
          CcDataverseClient *client,
          const char        *watermark)
{
  g_autofree char *filter = watermark ? g_strdup_printf ("modifiedon ge %s", watermark) : NULL;
  g_autofree char *url = cc_dataverse_client_build_query_url (client, self->entity_set,
                                                              (const char * const *) self->columns,
                                                              filter);

  return g_strconcat (url, strchr (url, '?') ? "&" : "?", "$orderby=modifiedon%20asc", NULL);
}

static char *
newest_modified (GPtrArray  *rows,
                 const char *watermark)
{
  const char *newest = watermark;

  for (guint i = 0; i < rows->len; i++)
    {
      const char *modified = cc_json_row_get_string (g_ptr_array_index (rows, i), "modifiedon");
      /* ISO 8601 in UTC, as Dataverse writes it: text order is time order. */
      if (modified != NULL && (newest == NULL || g_strcmp0 (modified, newest) > 0))
        newest = modified;
    }
  return g_strdup (newest);
}

/* Where the read stands after @page. */
static char *
next_position (const CcPollPosition *position,
               CcDataversePage      *page)
{
  g_autofree char *watermark = newest_modified (page->rows, position->watermark);
  CcPollPosition next = { position->first && page->next_link != NULL, watermark,
                          page->next_link };

  return cc_poll_position_to_string (&next);
}

/* The version of @id handed out so far (NULL: none): noted in @maps by
 * this page, or saved by an earlier one. */
static gboolean
handed_out_version (CcPollReader  *self,
                    CcStore       *store,
                    CcStoreBatch  *maps,
                    const char    *id,
                    char         **version,
                    GError       **error)
{
  const char *noted = NULL;
  g_autoptr(GError) local = NULL;

  if (cc_store_batch_map_lookup (maps, self->version_space, id, &noted))
    {
      *version = g_strdup (noted);
      return TRUE;
    }
  *version = cc_store_map_get (store, self->version_space, id, &local);
  if (local == NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

/* Notes in @maps the version of each row, to be saved with the page: a
 * crash before the page is queued must not make its rows look handed
 * out. With @drop_known, drops the rows whose version was handed out
 * already (the watermark's second comes back at every poll). */
static gboolean
hand_out_versions (CcPollReader  *self,
                   CcStore       *store,
                   GPtrArray     *rows,
                   gboolean       drop_known,
                   CcStoreBatch  *maps,
                   GError       **error)
{
  for (guint i = rows->len; i > 0; i--)
    {
      CcJsonRow *row = g_ptr_array_index (rows, i - 1);
      const char *id = cc_json_row_get_string (row, self->primary_key);
      const char *etag = cc_json_row_get_string (row, "@odata.etag");
      g_autofree char *known = NULL;

      if (id == NULL || etag == NULL)
        continue;
      if (drop_known && !handed_out_version (self, store, maps, id, &known, error))
        return FALSE;
      if (g_strcmp0 (known, etag) == 0)
        g_ptr_array_remove_index (rows, i - 1);
      else
        cc_store_batch_map_set (maps, self->version_space, id, etag);
    }
  return TRUE;
}

gboolean
cc_poll_reader_read_page (CcPollReader       *self,
                          CcStore            *store,
                          CcDataverseClient  *client,
                          GCancellable       *cancellable,
                          CcPollMapFunc       map,
                          gpointer            user_data,
                          gboolean           *caught_up,
                          GError            **error)
{
  g_auto(CcPollPosition) position = { 0 };
  g_autofree char *url = NULL;
  g_autofree char *next = NULL;
  g_autoptr(CcDataversePage) page = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_queue_item_free);
  g_autoptr(CcStoreBatch) maps = cc_store_batch_new (self->workflow_id);  /* saved with the page */
  CcPollPage handed = { 0 };

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (map != NULL, FALSE);

  *caught_up = FALSE;
  if (!load_position (self, store, &position, error))
    return FALSE;
  url = position.url ? g_strdup (position.url) : poll_url (self, client, position.watermark);
  handed.read_at = g_get_real_time ();
  page = cc_dataverse_client_read_page (client, url, self->flags, self->page_size, cancellable,
                                        error);
  if (page == NULL)
    return FALSE;

  next = next_position (&position, page);
  if (!hand_out_versions (self, store, page->rows, !position.first, maps, error)
      || !cc_poll_reader_mark_seen (self, store, page->rows, maps, error))
    return FALSE;
  handed.rows = page->rows;
  handed.first = position.first;
  if (!map (&handed, items, maps, user_data, error)
      || !cc_store_enqueue_with_maps (store, self->workflow_id, items, self->cursor_name, next,
                                      maps, error))
    return FALSE;
  *caught_up = page->next_link == NULL;
  return TRUE;
}
