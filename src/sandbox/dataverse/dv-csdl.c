/* dv-csdl.c — the service document (the entity sets) and the
 * CSDL $metadata document, with the change-tracking capability annotation
 * when asked for (notes §13).
 */
#include "config.h"

#include <string.h>

#include "dv-private.h"

/* ---- service document and CSDL ----------------------------------------- */

void
dv_handle_service_document (DvServer *self,
                            DvRequest         *req,
                            DvResponse        *resp)
{
  g_autoptr(JsonObject) out = json_object_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *context = g_strconcat (self->api_root, "/$metadata", NULL);
  JsonArray *value = json_array_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < self->tables->len; i++)
    g_ptr_array_add (names, ((DvTable *) g_ptr_array_index (self->tables, i))->entity_set);
  g_ptr_array_add (names, "EntityDefinitions");

  for (guint i = 0; i < names->len; i++)
    {
      JsonObject *set = json_object_new ();

      json_object_set_string_member (set, "name", g_ptr_array_index (names, i));
      json_object_set_string_member (set, "kind", "EntitySet");
      json_object_set_string_member (set, "url", g_ptr_array_index (names, i));
      json_array_add_object_element (value, set);
    }
  json_object_set_string_member (out, "@odata.context", context);
  json_object_set_array_member (out, "value", value);
  root = json_node_init_object (json_node_alloc (), out);
  dv_response_set_json (resp, SOUP_STATUS_OK, root, FALSE);
}

void
dv_handle_metadata (DvServer *self,
                    DvRequest         *req,
                    DvResponse        *resp)
{
  GString *xml = g_string_new (NULL);
  gboolean annotations = g_strcmp0 (dv_request_get_query (req, "annotations"), "true") == 0;
  g_autofree char *text = NULL;

  g_string_append (xml,
                   "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                   "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n"
                   "  <edmx:DataServices>\n"
                   "    <Schema Namespace=\"" DV_NAMESPACE "\" Alias=\"mscrm\" "
                   "xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n");

  for (guint t = 0; t < self->tables->len; t++)
    {
      DvTable *table = g_ptr_array_index (self->tables, t);
      g_autofree char *head = g_markup_printf_escaped ("      <EntityType Name=\"%s\">\n"
                                                       "        <Key><PropertyRef Name=\"%s\" /></Key>\n",
                                                       table->logical_name, table->primary_id);

      g_string_append (xml, head);
      for (guint i = 0; i < table->columns->len; i++)
        {
          DvColumn *column = g_ptr_array_index (table->columns, i);
          g_autofree char *prop = g_markup_printf_escaped ("        <Property Name=\"%s\" Type=\"%s\" />\n",
                                                           column->property, dv_column_edm_type (column));

          g_string_append (xml, prop);
        }
      for (guint i = 0; i < table->columns->len; i++)
        {
          DvColumn *column = g_ptr_array_index (table->columns, i);
          DvTable *target;
          g_autofree char *nav = NULL;

          if (column->type != DV_TYPE_LOOKUP)
            continue;
          target = dv_server_table_by_name (self, column->target);
          nav = g_markup_printf_escaped ("        <NavigationProperty Name=\"%s\" Type=\"mscrm.%s\">\n"
                                         "          <ReferentialConstraint Property=\"%s\" ReferencedProperty=\"%s\" />\n"
                                         "        </NavigationProperty>\n",
                                         column->navprop, column->target, column->property,
                                         target ? target->primary_id : "");
          g_string_append (xml, nav);
        }
      g_string_append (xml, "      </EntityType>\n");
    }

  g_string_append (xml, "      <EntityContainer Name=\"System\">\n");
  for (guint t = 0; t < self->tables->len; t++)
    {
      DvTable *table = g_ptr_array_index (self->tables, t);
      g_autofree char *set = g_markup_printf_escaped ("        <EntitySet Name=\"%s\" EntityType=\"" DV_NAMESPACE ".%s\">\n",
                                                      table->entity_set, table->logical_name);

      g_string_append (xml, set);
      if (annotations)
        g_string_append_printf (xml,
                                "          <Annotation Term=\"Org.OData.Capabilities.V1.ChangeTracking\">\n"
                                "            <Record><PropertyValue Property=\"Supported\" Bool=\"%s\" /></Record>\n"
                                "          </Annotation>\n",
                                table->change_tracking ? "true" : "false");
      g_string_append (xml, "        </EntitySet>\n");
    }
  g_string_append (xml, "        <EntitySet Name=\"EntityDefinitions\" EntityType=\"" DV_NAMESPACE ".EntityMetadata\" />\n"
                        "      </EntityContainer>\n"
                        "    </Schema>\n"
                        "  </edmx:DataServices>\n"
                        "</edmx:Edmx>\n");

  text = g_string_free (xml, FALSE);
  dv_response_set_text (resp, SOUP_STATUS_OK, "application/xml", text);
}
