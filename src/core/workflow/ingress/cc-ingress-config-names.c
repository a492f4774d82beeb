/* cc-ingress-config-names.c — the Campaign names an ingress configuration
 * writes to: field names and resources, checked as people type them.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

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
  if (cc_ingress_is_campaign_name (name))
    return TRUE;
  return cc_json_check_refuse (error, path,
                               _("“%s” is not a Campaign field name (letters, digits and “_”, "
                                 "e.g. “email”)"),
                               name);
}

/* "profileAndServicesExt/profile", "customResources/cusMembership". */
gboolean
cc_ingress_check_campaign_resource (const char *path,
                                    const char *resource,
                                    GError    **error)
{
  g_auto (GStrv) parts = g_strsplit (resource, "/", -1);

  if (g_strv_length (parts) != 2
      || !cc_ingress_is_campaign_name (parts[0])
      || !cc_ingress_is_campaign_name (parts[1]))
    return cc_json_check_refuse (error, path,
                                 _("“%s” is not a Campaign resource (write it as "
                                   "“profileAndServicesExt/profile” or “customResources/cusName”)"),
                                 resource);
  return TRUE;
}

gboolean
cc_ingress_is_profile_resource (const char *resource)
{
  return g_str_has_prefix (resource, "profileAndServices")
         && g_str_has_suffix (resource, "/profile");
}
