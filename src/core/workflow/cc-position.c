/* cc-position.c — the $select of stored read positions (cc-position.h). */
#include "config.h"

#include "cc-dataverse-client.h"
#include "cc-position.h"

static gboolean
is_url (const char *word)
{
  return g_str_has_prefix (word, "https://") || g_str_has_prefix (word, "http://");
}

/* The index of the URL among @words, or -1. */
static int
find_url (GStrv words)
{
  for (guint i = 0; words[i] != NULL; i++)
    if (is_url (words[i]))
      return (int) i;
  return -1;
}

gboolean
cc_position_refit_select (CcStore             *store,
                          const char          *workflow,
                          const char          *cursor_name,
                          const char * const  *columns,
                          GError             **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *position = NULL;
  g_autofree char *refitted = NULL;
  g_auto(GStrv) words = NULL;
  int url;

  position = cc_store_get_cursor (store, workflow, cursor_name, &local);
  if (position == NULL)
    {
      if (local == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  /* Words are separated by one space; a URL holds none (it is encoded). */
  words = g_strsplit (position, " ", -1);
  url = find_url (words);
  if (url < 0)
    return TRUE;
  refitted = cc_dataverse_url_set_select (words[url], columns);
  if (g_str_equal (refitted, words[url]))
    return TRUE;
  g_free (words[url]);
  words[url] = g_steal_pointer (&refitted);
  g_free (position);
  position = g_strjoinv (" ", words);
  return cc_store_set_cursor (store, workflow, cursor_name, position, error);
}

GStrv
cc_position_dup_select (CcStore     *store,
                        const char  *workflow,
                        const char  *cursor_name,
                        GError     **error)
{
  g_autofree char *position = cc_store_get_cursor (store, workflow, cursor_name, error);
  g_auto(GStrv) words = NULL;
  int url;

  if (position == NULL)
    return NULL;
  words = g_strsplit (position, " ", -1);
  url = find_url (words);
  return url >= 0 ? cc_dataverse_url_dup_select (words[url]) : NULL;
}
