/* cc-config-private.h — what cc-config.c and cc-config-settings.c share. */
#pragma once

#include "cc-config.h"

G_BEGIN_DECLS

/* Whether @root is a configuration file this version could have
 * written: its members, their types and shapes, every connection
 * setting (cc_config_check_setting). The refusal names the member's
 * path, without the file's. */
gboolean cc_config_check_root (JsonNode  *root,
                               GError   **error);

/* The count setting @key of @system held by @value (a string of digits,
 * or a JSON number), which @path names: 0 for "" (no limit); a refusal
 * as cc_config_check_setting() gives it. */
gboolean cc_config_read_count (const char  *path,
                               const char  *system,
                               const char  *key,
                               JsonNode    *value,
                               guint64     *count,
                               GError     **error);

G_END_DECLS
