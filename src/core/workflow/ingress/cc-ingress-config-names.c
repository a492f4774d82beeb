/* cc-ingress-config-names.c — the Campaign names an ingress configuration
 * writes to: field names and resources, checked as people type them.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cc-error.h"
#include "cc-ingress-config-private.h"

gboolean
cc_ingress_is_campaign_name (const char *name)
{
  if (!g_ascii_isalpha (name[0]))
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

gboolean
cc_ingress_check_campaign_name (const char *path,
                                const char *name,
                                GError    **error)
{
  if (!cc_json_check_name_length (path, name, error))
    return FALSE;
  if (cc_ingress_is_campaign_name (name))
    return TRUE;
  return cc_json_check_refuse (error, path,
                               _("“%s” is not a Campaign field name (letters, digits and “_”, "
                                 "e.g. “email”)"),
                               name);
}

/* Where Campaign serves what ingress writes: profiles under
 * profileAndServicesExt (or profileAndServices, without custom fields),
 * a custom resource linked to the profile under profileAndServicesExt,
 * one not linked to it under customResources. Custom resources are named
 * "cus…". */
gboolean
cc_ingress_check_campaign_resource (const char *path,
                                    const char *resource,
                                    GError    **error)
{
  g_auto (GStrv) parts = NULL;
  gboolean profile, custom;

  if (!cc_json_check_name_length (path, resource, error))
    return FALSE;
  parts = g_strsplit (resource, "/", -1);
  if (g_strv_length (parts) != 2
      || !cc_ingress_is_campaign_name (parts[0])
      || !cc_ingress_is_campaign_name (parts[1]))
    return cc_json_check_refuse (error, path,
                                 _("“%s” is not a Campaign resource (write it as "
                                   "“profileAndServicesExt/profile” or “customResources/cusName”)"),
                                 resource);
  profile = strcmp (parts[1], "profile") == 0;
  custom = g_str_has_prefix (parts[1], "cus") && strlen (parts[1]) > 3;
  if (strcmp (parts[0], "profileAndServices") == 0 && profile)
    return TRUE;
  if (strcmp (parts[0], "profileAndServicesExt") == 0 && (profile || custom))
    return TRUE;
  if (strcmp (parts[0], "customResources") == 0 && custom)
    return TRUE;
  if (!profile && !custom)
    return cc_json_check_refuse (error, path,
                                 _("“%s” is neither the profile nor a custom resource (custom "
                                   "resources are named “cus…”, e.g. “customResources/cusMembership”)"),
                                 resource);
  if (profile)
    return cc_json_check_refuse (error, path,
                                 _("profiles are written under “profileAndServicesExt/profile”, "
                                   "not “%s”"),
                                 resource);
  return cc_json_check_refuse (error, path,
                               _("“%s”: a custom resource is under “profileAndServicesExt/%s” when "
                                 "it is linked to the profile, else under “customResources/%s”"),
                               resource, parts[1], parts[1]);
}

gboolean
cc_ingress_is_profile_resource (const char *resource)
{
  return g_str_has_prefix (resource, "profileAndServices")
         && g_str_has_suffix (resource, "/profile");
}
