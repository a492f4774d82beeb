/* cc-ctl-connection.c — `campaign-connector-ctl connection set|get|test`,
 * and the Dynamics 365 connection's application users (`connection
 * users|add-user|remove-user`).
 *
 * A client secret never comes from the command line, where other users
 * could read it (ps, shell history): with --secret it is read from
 * standard input, or typed at a prompt that does not echo it.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cc-ctl.h"

static const char *
system_label (const char *system)
{
  return g_str_equal (system, "dynamics") ? _("Dynamics 365") : _("Campaign");
}

static gboolean
is_system (const char *word)
{
  return g_strcmp0 (word, "dynamics") == 0 || g_strcmp0 (word, "campaign") == 0;
}

/* One line from @in, without its line break; NULL at once at end of file. */
static char *
read_line (FILE *in)
{
  g_autoptr(GString) line = g_string_new (NULL);
  int c;

  while ((c = fgetc (in)) != EOF && c != '\n')
    g_string_append_c (line, (char) c);
  if (c == EOF && line->len == 0)
    return NULL;
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static char *
read_secret (const char *system)
{
  struct termios saved, quiet;
  char *secret;

  if (!isatty (STDIN_FILENO))
    return read_line (stdin);

  g_printerr (_("Client secret for %s (not shown): "), system_label (system));
  if (tcgetattr (STDIN_FILENO, &saved) != 0)
    return read_line (stdin);
  quiet = saved;
  quiet.c_lflag &= ~(tcflag_t) ECHO;
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
  secret = read_line (stdin);
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
  g_printerr ("\n");
  return secret;
}

static void
free_secret (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

static int
connection_set (CcCtl       *ctl,
                int          argc,
                const char **argv)
{
  const char *synopsis = "connection set dynamics|campaign KEY=VALUE… [--secret]";
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autoptr(GError) error = NULL;
  const char *system;
  char *secret = NULL;
  gboolean ok;

  if (argc < 1 || !is_system (argv[0]))
    return cc_ctl_usage (synopsis, _("which connection: “dynamics” or “campaign”?"));
  system = argv[0];
  if (argc == 1 && !ctl->secret)
    return cc_ctl_usage (synopsis, _("nothing to set"));

  for (int i = 1; i < argc; i++)
    {
      const char *equals = strchr (argv[i], '=');
      g_autofree char *key = NULL;

      if (equals == NULL || equals == argv[i])
        return cc_ctl_usage (synopsis, _("“%s” is not KEY=VALUE"), argv[i]);
      key = g_strndup (argv[i], equals - argv[i]);
      if (g_str_equal (key, "secret"))
        return cc_ctl_usage (synopsis, _("a secret on the command line could be read by "
                                         "others: use --secret, and type it or pipe it in"));
      g_variant_builder_add (&builder, "{sv}", key, g_variant_new_string (equals + 1));
    }

  if (ctl->secret)
    {
      secret = read_secret (system);
      if (secret == NULL || *secret == '\0')
        {
          free_secret (secret);
          return cc_ctl_fail (_("no secret was given; nothing was changed"));
        }
      g_variant_builder_add (&builder, "{sv}", "secret", g_variant_new_string (secret));
    }

  ok = cc_manager1_call_set_connection_sync (ctl->manager, system,
                                             g_variant_builder_end (&builder), NULL, &error);
  free_secret (secret);
  if (!ok)
    return cc_ctl_fail_error (error);

  g_print (_("The %s connection is saved.\n"), system_label (system));
  return CC_CTL_EXIT_OK;
}

static int
connection_get (CcCtl      *ctl,
                const char *system)
{
  static const char * const headers[] = { N_("SETTING"), N_("VALUE"), NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) settings = NULL;
  g_autoptr(CcCtlTable) table = NULL;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  if (!cc_manager1_call_get_connection_sync (ctl->manager, system, &settings, NULL, &error))
    return cc_ctl_fail_error (error);

  if (ctl->json)
    {
      g_autoptr(JsonNode) root = json_gvariant_serialize (settings);
      cc_ctl_print_json (root);
      return CC_CTL_EXIT_OK;
    }

  table = cc_ctl_table_new (headers);
  g_variant_iter_init (&iter, settings);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autoptr(GVariant) owned = value;

      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        cc_ctl_table_add_row (table, key, g_variant_get_string (value, NULL), NULL);
      else if (g_str_equal (key, "secret-stored"))
        cc_ctl_table_add_row (table, "secret",
                              g_variant_get_boolean (value) ? _("stored in the keyring")
                                                            : _("not stored"), NULL);
    }
  cc_ctl_table_print (table);
  return CC_CTL_EXIT_OK;
}

static int
connection_test (CcCtl      *ctl,
                 const char *system)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean ok = FALSE;

  if (!cc_manager1_call_test_connection_sync (ctl->manager, system, &ok, &message, NULL, &error))
    return cc_ctl_fail_error (error);
  if (!ok)
    return cc_ctl_fail ("%s", message);
  g_print ("%s\n", message);
  return CC_CTL_EXIT_OK;
}

static int
connection_users (CcCtl *ctl)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) users = NULL;

  if (!cc_manager1_call_list_dynamics_users_sync (ctl->manager, &users, NULL, &error))
    return cc_ctl_fail_error (error);
  if (ctl->json)
    {
      g_autoptr(GVariant) list = g_variant_ref_sink (
        g_variant_new_strv ((const char * const *) users, -1));
      g_autoptr(JsonNode) root = json_gvariant_serialize (list);

      cc_ctl_print_json (root);
      return CC_CTL_EXIT_OK;
    }
  for (guint i = 0; users[i] != NULL; i++)
    g_print ("%s\n", users[i]);
  return CC_CTL_EXIT_OK;
}

static int
connection_add_user (CcCtl      *ctl,
                     const char *client_id)
{
  g_autoptr(GError) error = NULL;
  char *secret;
  gboolean ok;

  secret = read_secret ("dynamics");
  if (secret == NULL || *secret == '\0')
    {
      free_secret (secret);
      return cc_ctl_fail (_("no secret was given; nothing was changed"));
    }
  ok = cc_manager1_call_add_dynamics_user_sync (ctl->manager, client_id, secret, NULL, &error);
  free_secret (secret);
  if (!ok)
    return cc_ctl_fail_error (error);
  g_print (_("The application user %s is added to the Dynamics 365 connection.\n"), client_id);
  return CC_CTL_EXIT_OK;
}

static int
connection_remove_user (CcCtl      *ctl,
                        const char *client_id)
{
  g_autoptr(GError) error = NULL;

  if (!cc_manager1_call_remove_dynamics_user_sync (ctl->manager, client_id, NULL, &error))
    return cc_ctl_fail_error (error);
  g_print (_("The application user %s is removed from the Dynamics 365 connection.\n"),
           client_id);
  return CC_CTL_EXIT_OK;
}

/* `connection users|add-user|remove-user`; -1 for another command. */
static int
connection_user_command (CcCtl       *ctl,
                         int          argc,
                         const char **argv)
{
  if (g_str_equal (argv[0], "users"))
    return argc == 1 ? connection_users (ctl)
                     : cc_ctl_usage ("connection users", _("nothing more is needed"));
  if (!g_str_equal (argv[0], "add-user") && !g_str_equal (argv[0], "remove-user"))
    return -1;
  if (argc != 2)
    {
      g_autofree char *one = g_strdup_printf ("connection %s CLIENT_ID", argv[0]);

      return cc_ctl_usage (one, _("which application user (its client id)?"));
    }
  return g_str_equal (argv[0], "add-user") ? connection_add_user (ctl, argv[1])
                                           : connection_remove_user (ctl, argv[1]);
}

int
cc_ctl_connection (CcCtl       *ctl,
                   int          argc,
                   const char **argv)
{
  const char *synopsis = "connection set|get|test dynamics|campaign …";
  int status;

  if (argc == 0)
    return cc_ctl_usage (synopsis, _("“set”, “get” or “test”?"));

  if (g_str_equal (argv[0], "set"))
    return connection_set (ctl, argc - 1, argv + 1);
  status = connection_user_command (ctl, argc, argv);
  if (status >= 0)
    return status;

  if (g_str_equal (argv[0], "get") || g_str_equal (argv[0], "test"))
    {
      g_autofree char *one = g_strdup_printf ("connection %s dynamics|campaign", argv[0]);

      if (argc != 2 || !is_system (argv[1]))
        return cc_ctl_usage (one, _("which connection: “dynamics” or “campaign”?"));
      return g_str_equal (argv[0], "get") ? connection_get (ctl, argv[1])
                                          : connection_test (ctl, argv[1]);
    }
  return cc_ctl_usage (synopsis, _("unknown connection command “%s”"), argv[0]);
}
