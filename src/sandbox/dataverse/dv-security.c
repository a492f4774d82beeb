/* dv-security.c — who the caller is and what it may do: the application
 * user behind every token, the privileges its security role grants, the
 * WhoAmI and RetrieveUserPrivileges functions that tell a client so, and
 * the privilege check every table and metadata operation passes.
 *
 * Out of the box the application user holds every privilege at the
 * Global depth (a System Administrator's role, which Adobe's setup guide
 * gives it); the setup an emulator is started without (privilege:NAME,
 * cc-sandbox-setup.h) takes single privileges away, and an operation that
 * needs one answers what Dataverse answers: 403 with code 0x80040220.
 */
#include "config.h"

#include <string.h>

#include "dv-private.h"
#include "cc-sandbox-seed.h"

#define MISSING_PRIVILEGE "0x80040220"

/* The privileges of a table's rows, in the order the metadata lists them. */
static const char *const row_privileges[] = {
  "Create", "Read", "Write", "Delete", "Assign", "Share", "Append", "AppendTo", NULL
};

/* The customization privileges a role can hold besides the tables' own:
 * those of the definitions the Web API creates and changes. */
static const char *const customization_privileges[] = {
  "prvCreateEntity", "prvReadEntity", "prvWriteEntity", "prvDeleteEntity",
  "prvCreateAttribute", "prvReadAttribute", "prvWriteAttribute", "prvDeleteAttribute",
  "prvCreateEntityKey", "prvReadEntityKey", "prvDeleteEntityKey",
  "prvPublishCustomization", NULL
};

void
dv_security_init (DvServer *self)
{
  self->user_id = cc_sandbox_seed_guid (self->options.seed, "systemuser:application", 0);
  self->business_unit_id = cc_sandbox_seed_guid (self->options.seed, "businessunit:root", 0);
  self->org_id = cc_sandbox_seed_guid (self->options.seed, "organization", 0);
  self->revoked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
dv_security_clear (DvServer *self)
{
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->business_unit_id, g_free);
  g_clear_pointer (&self->revoked, g_hash_table_unref);
}

/* Custom activities inherit the privileges of activitypointer (Microsoft's
 * "Custom activities"): one set, "Activity", for every activity table. */
char *
dv_table_privilege (DvTable    *table,
                    const char *kind)
{
  return g_strdup_printf ("prv%s%s", kind, table->is_activity ? "Activity" : table->schema_name);
}

char *
dv_privilege_id (DvServer   *self,
                 const char *name)
{
  g_autofree char *kind = g_strconcat ("privilege:", name, NULL);

  return cc_sandbox_seed_guid (self->options.seed, kind, 0);
}

gboolean
dv_privilege_exists (DvServer   *self,
                     const char *name)
{
  if (g_strv_contains (customization_privileges, name))
    return TRUE;
  for (guint i = 0; i < self->tables->len; i++)
    for (guint k = 0; row_privileges[k] != NULL; k++)
      {
        g_autofree char *own = dv_table_privilege (g_ptr_array_index (self->tables, i),
                                                   row_privileges[k]);

        if (g_str_equal (own, name))
          return TRUE;
      }
  return FALSE;
}

gboolean
dv_revoke_privilege (DvServer   *self,
                     const char *name)
{
  if (!dv_privilege_exists (self, name))
    return FALSE;
  g_hash_table_add (self->revoked, g_strdup (name));
  return TRUE;
}

static void
missing (DvServer   *self,
         const char *privilege,
         DvTable    *table,
         DvResponse *resp)
{
  g_autofree char *id = dv_privilege_id (self, privilege);
  g_autofree char *on = table == NULL ? g_strdup ("")
                        : g_strdup_printf (" on OTC=%" G_GINT64_FORMAT " for entity '%s'",
                                           dv_table_object_type_code (self, table),
                                           table->logical_name);

  dv_response_error (resp, SOUP_STATUS_FORBIDDEN, MISSING_PRIVILEGE,
                     "Principal user (Id=%s, type=8, roleCount=1, businessUnitId=%s), is missing "
                     "%s privilege (Id=%s)%s. context.Caller=%s",
                     self->user_id, self->business_unit_id, privilege, id, on, self->user_id);
}

gboolean
dv_require (DvServer   *self,
            DvTable    *table,
            const char *kind,
            DvResponse *resp)
{
  g_autofree char *name = dv_table_privilege (table, kind);

  if (!g_hash_table_contains (self->revoked, name))
    return TRUE;
  missing (self, name, table, resp);
  return FALSE;
}

gboolean
dv_require_customization (DvServer   *self,
                          const char *privilege,
                          DvResponse *resp)
{
  if (!g_hash_table_contains (self->revoked, privilege))
    return TRUE;
  missing (self, privilege, NULL, resp);
  return FALSE;
}

/* ---- the functions ------------------------------------------------------- */

/* GET WhoAmI (also "WhoAmI()"). */
void
dv_handle_who_am_i (DvServer   *self,
                    DvRequest  *req,
                    DvResponse *resp)
{
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *context = g_strconcat (self->api_root,
                                          "/$metadata#" DV_NAMESPACE ".WhoAmIResponse", NULL);

  json_object_set_string_member (obj, "@odata.context", context);
  json_object_set_string_member (obj, "BusinessUnitId", self->business_unit_id);
  json_object_set_string_member (obj, "UserId", self->user_id);
  json_object_set_string_member (obj, "OrganizationId", self->org_id);
  root = json_node_init_object (json_node_alloc (), obj);
  dv_response_set_json (resp, SOUP_STATUS_OK, root, FALSE);
}

static void
add_role_privilege (DvServer   *self,
                    JsonArray  *out,
                    const char *name)
{
  JsonObject *privilege;
  g_autofree char *id = NULL;

  if (g_hash_table_contains (self->revoked, name))
    return;
  id = dv_privilege_id (self, name);
  privilege = json_object_new ();
  json_object_set_string_member (privilege, "Depth", "Global");
  json_object_set_string_member (privilege, "PrivilegeId", id);
  json_object_set_string_member (privilege, "BusinessUnitId", self->business_unit_id);
  json_object_set_string_member (privilege, "PrivilegeName", name);
  json_array_add_object_element (out, privilege);
}

/* Every privilege the application user holds, once each (the activity
 * tables share theirs). */
static JsonArray *
role_privileges (DvServer *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *out = json_array_new ();

  for (guint i = 0; i < self->tables->len; i++)
    for (guint k = 0; row_privileges[k] != NULL; k++)
      {
        char *name = dv_table_privilege (g_ptr_array_index (self->tables, i), row_privileges[k]);

        if (g_hash_table_add (seen, name))
          add_role_privilege (self, out, name);
      }
  for (guint k = 0; customization_privileges[k] != NULL; k++)
    add_role_privilege (self, out, customization_privileges[k]);
  return out;
}

/* systemusers(<id>)/Microsoft.Dynamics.CRM.RetrieveUserPrivileges() */
void
dv_handle_system_user (DvServer   *self,
                       DvRequest  *req,
                       DvResponse *resp,
                       const char *key,
                       char      **rest)
{
  static const char function[] = DV_NAMESPACE ".RetrieveUserPrivileges";
  g_autoptr(JsonObject) obj = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *context = NULL;

  if (rest[0] == NULL || rest[1] != NULL
      || (!g_str_equal (rest[0], function) && !g_str_has_prefix (rest[0], function)
          && !g_str_equal (rest[0], "RetrieveUserPrivileges()")))
    {
      dv_response_error (resp, SOUP_STATUS_NOT_IMPLEMENTED, "0x8006088a",
                         "The emulator serves only %s() on systemusers.", function);
      return;
    }
  if (!g_str_equal (req->method, "GET"))
    {
      dv_response_error (resp, SOUP_STATUS_METHOD_NOT_ALLOWED, "0x80060888",
                         "The HTTP method '%s' is not allowed on a function.", req->method);
      return;
    }
  if (key == NULL || g_ascii_strcasecmp (key, self->user_id) != 0)
    {
      dv_response_error (resp, SOUP_STATUS_NOT_FOUND, "0x80040217",
                         "systemuser With Id = %s Does Not Exist", key ? key : "");
      return;
    }
  obj = json_object_new ();
  context = g_strconcat (self->api_root,
                         "/$metadata#" DV_NAMESPACE ".RetrieveUserPrivilegesResponse", NULL);
  json_object_set_string_member (obj, "@odata.context", context);
  json_object_set_array_member (obj, "RolePrivileges", role_privileges (self));
  root = json_node_init_object (json_node_alloc (), obj);
  dv_response_set_json (resp, SOUP_STATUS_OK, root, FALSE);
}
