/* dv-rows.c — a row as the Web API shows it: $select projection,
 * the @odata.etag, and the formatted-value and lookup annotations that
 * Prefer: odata.include-annotations asks for.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dv-private.h"

#define FORMATTED "@OData.Community.Display.V1.FormattedValue"

GPtrArray *
dv_parse_select (DvTable    *table,
                 const char *text,
                 DvResponse *resp)
{
  g_autoptr(GPtrArray) select = g_ptr_array_new ();
  g_auto(GStrv) names = g_strsplit (text, ",", -1);

  for (guint i = 0; names[i] != NULL; i++)
    {
      char *name = g_strstrip (names[i]);
      DvColumn *column;

      if (*name == '\0')
        continue;
      column = dv_table_column (table, name);
      if (column == NULL)
        {
          dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                             "Could not find a property named '%s' on type '" DV_NAMESPACE ".%s'.",
                             name, table->logical_name);
          return NULL;
        }
      if (!g_ptr_array_find (select, column, NULL))
        g_ptr_array_add (select, column);
    }
  return g_steal_pointer (&select);
}

char *
dv_context_url (DvServer  *self,
                DvTable   *table,
                GPtrArray *select,
                GPtrArray *expand,
                const char *suffix)
{
  GString *url = g_string_new (self->api_root);

  g_string_append_printf (url, "/$metadata#%s", table->entity_set);
  if ((select != NULL && select->len > 0) || (expand != NULL && expand->len > 0))
    {
      g_string_append_c (url, '(');
      for (guint i = 0; select != NULL && i < select->len; i++)
        {
          DvColumn *column = g_ptr_array_index (select, i);

          g_string_append_printf (url, "%s%s", i ? "," : "", column->property);
        }
      dv_expand_describe (expand, url);
      g_string_append_c (url, ')');
    }
  if (suffix != NULL)
    g_string_append (url, suffix);
  return g_string_free (url, FALSE);
}

/* en-US display forms, as an English-language user sees them. INFER: in
 * UTC; the real service formats in the calling user's time zone. */
static char *
format_date (const char *text)
{
  guint y, m, d;

  if (sscanf (text, "%4u-%2u-%2u", &y, &m, &d) != 3)
    return NULL;
  return g_strdup_printf ("%u/%u/%u", m, d, y);
}

static char *
format_datetime (const char *text)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);
  int hour;

  if (dt == NULL)
    return NULL;
  hour = g_date_time_get_hour (dt) % 12;
  return g_strdup_printf ("%d/%d/%d %d:%02d %s", g_date_time_get_month (dt),
                          g_date_time_get_day_of_month (dt), g_date_time_get_year (dt),
                          hour == 0 ? 12 : hour, g_date_time_get_minute (dt),
                          g_date_time_get_hour (dt) < 12 ? "AM" : "PM");
}

static char *
formatted_value (DvTable  *table,
                 DvColumn *column,
                 JsonNode *value)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value) || !JSON_NODE_HOLDS_VALUE (value))
    return NULL;

  switch (column->type)
    {
    case DV_TYPE_PICKLIST:
    case DV_TYPE_STATE:
    case DV_TYPE_STATUS:
      return g_strdup (dv_column_option_label (column, json_node_get_int (value)));
    case DV_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (value) ? column->true_label : column->false_label);
    case DV_TYPE_DATE:
      return format_date (json_node_get_string (value));
    case DV_TYPE_DATETIME:
      return format_datetime (json_node_get_string (value));
    case DV_TYPE_LOOKUP:
      {
        DvTable *target = dv_server_table_by_name (table->server, column->target);
        DvRow *row = target ? dv_table_row (target, json_node_get_string (value)) : NULL;

        if (row == NULL || target->primary_name == NULL)
          return NULL;
        return g_strdup (json_object_get_string_member_with_default (row->data, target->primary_name, NULL));
      }
    case DV_TYPE_BIGINT:
    case DV_TYPE_INTEGER:
    case DV_TYPE_STRING:
    case DV_TYPE_MEMO:
    case DV_TYPE_UNIQUEIDENTIFIER:
    default:
      return NULL;
    }
}

static void
add_column_value (JsonObject     *out,
                  DvTable        *table,
                  DvRow          *row,
                  DvColumn       *column,
                  const DvPrefer *prefer)
{
  JsonNode *value = json_object_get_member (row->data, column->property);
  gboolean has_value = value != NULL && !JSON_NODE_HOLDS_NULL (value);

  if (prefer != NULL && prefer->formatted_values && has_value)
    {
      g_autofree char *text = formatted_value (table, column, value);

      if (text != NULL)
        {
          g_autofree char *name = g_strconcat (column->property, FORMATTED, NULL);

          json_object_set_string_member (out, name, text);
        }
    }
  if (prefer != NULL && prefer->lookup_annotations && has_value && column->type == DV_TYPE_LOOKUP)
    {
      g_autofree char *nav = g_strconcat (column->property,
                                          "@Microsoft.Dynamics.CRM.associatednavigationproperty", NULL);
      g_autofree char *logical = g_strconcat (column->property,
                                              "@Microsoft.Dynamics.CRM.lookuplogicalname", NULL);

      json_object_set_string_member (out, nav, column->navprop);
      json_object_set_string_member (out, logical, column->target);
    }
  /* Row values are never changed in place (an update replaces the node),
   * so an answer can share them instead of copying 50,000 nodes a page. */
  json_object_set_member (out, column->property,
                          value ? json_node_ref (value) : json_node_new (JSON_NODE_NULL));
}

/* W/"<version>", without printf: it runs once per row of every page. */
static void
format_etag (char   buf[32],
             gint64 version)
{
  char digits[24];
  guint n = 0, i = 0;
  guint64 v = (guint64) MAX (version, 0);

  do
    digits[n++] = (char) ('0' + v % 10);
  while ((v /= 10) > 0);
  buf[i++] = 'W';
  buf[i++] = '/';
  buf[i++] = '"';
  while (n > 0)
    buf[i++] = digits[--n];
  buf[i++] = '"';
  buf[i] = '\0';
}

JsonObject *
dv_row_to_json (DvTable        *table,
                DvRow          *row,
                GPtrArray      *select,
                const DvPrefer *prefer,
                const char     *context)
{
  JsonObject *out = json_object_new ();
  char etag[32];
  gboolean has_pk = FALSE;

  if (context != NULL)
    json_object_set_string_member (out, "@odata.context", context);

  format_etag (etag, row->version);
  json_object_set_string_member (out, "@odata.etag", etag);
  if (select == NULL || select->len == 0)
    {
      for (guint i = 0; i < table->columns->len; i++)
        add_column_value (out, table, row, g_ptr_array_index (table->columns, i), prefer);
      return out;
    }

  for (guint i = 0; i < select->len; i++)
    {
      DvColumn *column = g_ptr_array_index (select, i);

      has_pk |= column->is_primary_id;
      add_column_value (out, table, row, column, prefer);
    }
  /* The primary key always comes back (notes §3). */
  if (!has_pk)
    json_object_set_string_member (out, table->primary_id, row->id);
  return out;
}
