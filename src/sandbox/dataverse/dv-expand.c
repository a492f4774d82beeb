/* dv-expand.c — $expand of single-valued navigation properties (the
 * lookups): "regardingobjectid_contact_new_emailsend($select=fullname)",
 * nested ("…($select=x;$expand=other($select=y))") and "nav/$ref", as
 * Microsoft's "Join tables using OData" describes them. The related row
 * comes back as an object in the navigation property (null when the
 * lookup is empty); a $ref expansion as {"@odata.id": url}.
 *
 * The emulated tables declare no collection-valued navigation
 * properties, so only lookups can be expanded.
 */
#include "config.h"

#include <string.h>

#include "dv-private.h"

/* Dataverse allows this many $expand options in one query. */
#define MAX_EXPANDS 15

struct _DvExpand
{
  DvColumn  *column;     /* the lookup */
  DvTable   *target;
  gboolean   ref;        /* nav/$ref: a reference, not the row */
  GPtrArray *select;     /* DvColumn* of the target, or NULL = every column */
  GPtrArray *nested;     /* DvExpand*, or NULL */
};

void
dv_expand_free (DvExpand *expand)
{
  g_clear_pointer (&expand->select, g_ptr_array_unref);
  g_clear_pointer (&expand->nested, g_ptr_array_unref);
  g_free (expand);
}

static gboolean
syntax_error (const char *item,
              DvResponse *resp)
{
  dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                     "Syntax error in $expand at '%s': expected a navigation property, optionally "
                     "followed by '/$ref' or by '(' options separated by ';' ')'.", item);
  return FALSE;
}

static GPtrArray *parse_list (DvServer   *self,
                              DvTable    *table,
                              const char *text,
                              guint      *count,
                              DvResponse *resp);

/* The options in "nav(…)": $select and a nested $expand. */
static gboolean
parse_options (DvServer   *self,
               DvExpand   *expand,
               const char *text,
               guint      *count,
               DvResponse *resp)
{
  g_autoptr(GPtrArray) options = dv_split_outside_parens (text, ';');

  for (guint i = 0; i < options->len; i++)
    {
      const char *option = g_ptr_array_index (options, i);
      const char *eq = strchr (option, '=');
      g_autofree char *name = eq ? g_strstrip (g_strndup (option, eq - option)) : NULL;

      if (name == NULL)
        return syntax_error (option, resp);
      if (g_str_equal (name, "$select") && expand->select == NULL)
        {
          if ((expand->select = dv_parse_select (expand->target, eq + 1, resp)) == NULL)
            return FALSE;
        }
      else if (g_str_equal (name, "$expand") && expand->nested == NULL)
        {
          if ((expand->nested = parse_list (self, expand->target, eq + 1, count, resp)) == NULL)
            return FALSE;
        }
      else if (g_str_equal (name, "$filter") || g_str_equal (name, "$orderby") || g_str_equal (name, "$top"))
        {
          /* Those limit the rows of a collection; a lookup has one. */
          dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                             "The query option %s cannot be applied to the single-valued navigation "
                             "property '%s'.", name, expand->column->navprop);
          return FALSE;
        }
      else
        {
          dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                             "The query option '%s' is not supported inside $expand.", name);
          return FALSE;
        }
    }
  return TRUE;
}

static DvExpand *
parse_item (DvServer   *self,
            DvTable    *table,
            const char *item,
            guint      *count,
            DvResponse *resp)
{
  g_autoptr(DvExpand) expand = g_new0 (DvExpand, 1);
  gsize name_len = strcspn (item, "(/");
  g_autofree char *name = g_strndup (item, name_len);
  const char *rest = item + name_len;

  if (*name == '\0')
    {
      syntax_error (item, resp);
      return NULL;
    }
  expand->column = g_hash_table_lookup (table->columns_by_navprop, name);
  if (expand->column == NULL)
    {
      dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                         "Could not find a property named '%s' on type '" DV_NAMESPACE ".%s'.",
                         name, table->logical_name);
      return NULL;
    }
  expand->target = dv_server_table_by_name (self, expand->column->target);
  if (++*count > MAX_EXPANDS)
    {
      dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                         "The query has more than %d $expand options.", MAX_EXPANDS);
      return NULL;
    }

  if (g_str_equal (rest, "/$ref"))
    expand->ref = TRUE;
  else if (*rest == '(')
    {
      g_autofree char *inner = NULL;

      if (!g_str_has_suffix (rest, ")"))
        {
          syntax_error (item, resp);
          return NULL;
        }
      inner = g_strndup (rest + 1, strlen (rest) - 2);
      if (!parse_options (self, expand, inner, count, resp))
        return NULL;
    }
  else if (*rest != '\0')
    {
      syntax_error (item, resp);
      return NULL;
    }
  return g_steal_pointer (&expand);
}

static GPtrArray *
parse_list (DvServer   *self,
            DvTable    *table,
            const char *text,
            guint      *count,
            DvResponse *resp)
{
  g_autoptr(GPtrArray) items = dv_split_outside_parens (text, ',');
  g_autoptr(GPtrArray) expands = g_ptr_array_new_with_free_func ((GDestroyNotify) dv_expand_free);

  for (guint i = 0; i < items->len; i++)
    {
      DvExpand *expand = parse_item (self, table, g_ptr_array_index (items, i), count, resp);

      if (expand == NULL)
        return NULL;
      g_ptr_array_add (expands, expand);
    }
  return g_steal_pointer (&expands);
}

GPtrArray *
dv_parse_expand (DvServer   *self,
                 DvTable    *table,
                 const char *text,
                 DvResponse *resp)
{
  guint count = 0;

  return parse_list (self, table, text, &count, resp);
}

/* ---- answers ------------------------------------------------------------ */

void
dv_expand_apply (DvServer       *self,
                 GPtrArray      *expands,
                 DvRow          *row,
                 const DvPrefer *prefer,
                 JsonObject     *out)
{
  for (guint i = 0; expands != NULL && i < expands->len; i++)
    {
      DvExpand *expand = g_ptr_array_index (expands, i);
      JsonNode *value = json_object_get_member (row->data, expand->column->property);
      DvRow *related = NULL;
      JsonObject *obj;

      if (value != NULL && !JSON_NODE_HOLDS_NULL (value) && expand->target != NULL)
        related = dv_table_row (expand->target, json_node_get_string (value));
      if (related == NULL)
        {
          json_object_set_null_member (out, expand->column->navprop);
          continue;
        }
      if (expand->ref)
        {
          g_autofree char *url = dv_server_entity_url (self, expand->target, related->id);

          obj = json_object_new ();
          json_object_set_string_member (obj, "@odata.id", url);
        }
      else
        {
          obj = dv_row_to_json (expand->target, related, expand->select, prefer, NULL);
          /* An expanded lookup carries no ETag of its own (as documented). */
          json_object_remove_member (obj, "@odata.etag");
          dv_expand_apply (self, expand->nested, related, prefer, obj);
        }
      json_object_set_object_member (out, expand->column->navprop, obj);
    }
}

void
dv_expand_describe (GPtrArray *expands,
                    GString   *out)
{
  for (guint i = 0; expands != NULL && i < expands->len; i++)
    {
      DvExpand *expand = g_ptr_array_index (expands, i);

      if (out->len > 0 && out->str[out->len - 1] != '(')
        g_string_append_c (out, ',');
      g_string_append (out, expand->column->navprop);
      if (expand->ref)
        {
          g_string_append (out, "/$ref()");
          continue;
        }
      g_string_append_c (out, '(');
      for (guint k = 0; expand->select != NULL && k < expand->select->len; k++)
        g_string_append_printf (out, "%s%s", k ? "," : "",
                                ((DvColumn *) g_ptr_array_index (expand->select, k))->property);
      dv_expand_describe (expand->nested, out);
      g_string_append_c (out, ')');
    }
}
