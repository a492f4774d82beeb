/* cc-a11y-dump.c — prints the AT-SPI tree of one process as JSON, as a
 * screen reader sees it:
 *
 *   cc-a11y-dump PID
 *
 * Each node is {"role", "name", "description", "states", "children"}.
 * It is a process of its own because the application under test answers
 * AT-SPI from its main loop, which the test keeps running meanwhile.
 */

#include <stdio.h>
#include <stdlib.h>
#include <json-glib/json-glib.h>

/* libatspi's headers declare functions without prototypes. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <atspi/atspi.h>
#pragma GCC diagnostic pop

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtspiAccessible, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtspiStateSet, g_object_unref)

/* A bound against a cycle in a broken tree, far above any window's size. */
#define MAX_NODES 50000
/* How long the application may take to register on the bus (GTK does it
 * asynchronously, once its first window is shown). */
#define REGISTER_TIMEOUT_S 60

static const AtspiStateType dumped_states[] = {
  ATSPI_STATE_VISIBLE, ATSPI_STATE_SHOWING, ATSPI_STATE_FOCUSABLE, ATSPI_STATE_SENSITIVE,
};

static void
add_states (JsonBuilder     *builder,
            AtspiAccessible *node)
{
  g_autoptr(AtspiStateSet) states = atspi_accessible_get_state_set (node);

  json_builder_set_member_name (builder, "states");
  json_builder_begin_array (builder);
  for (guint i = 0; states != NULL && i < G_N_ELEMENTS (dumped_states); i++)
    if (atspi_state_set_contains (states, dumped_states[i]))
      {
        g_autoptr(GEnumClass) klass = g_type_class_ref (ATSPI_TYPE_STATE_TYPE);
        GEnumValue *value = g_enum_get_value (klass, dumped_states[i]);

        json_builder_add_string_value (builder, value->value_nick);
      }
  json_builder_end_array (builder);
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            char        *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value != NULL ? value : "");
  g_free (value);
}

static void
dump_node (JsonBuilder     *builder,
           AtspiAccessible *node,
           guint           *budget)
{
  int n;

  json_builder_begin_object (builder);
  add_string (builder, "role", atspi_accessible_get_role_name (node, NULL));
  add_string (builder, "name", atspi_accessible_get_name (node, NULL));
  add_string (builder, "description", atspi_accessible_get_description (node, NULL));
  add_states (builder, node);

  json_builder_set_member_name (builder, "children");
  json_builder_begin_array (builder);
  n = atspi_accessible_get_child_count (node, NULL);
  for (int i = 0; i < n && *budget > 0; i++)
    {
      g_autoptr(AtspiAccessible) child = atspi_accessible_get_child_at_index (node, i, NULL);

      if (child == NULL)
        continue;
      (*budget)--;
      dump_node (builder, child, budget);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static AtspiAccessible *
find_application (guint pid)
{
  g_autoptr(AtspiAccessible) desktop = atspi_get_desktop (0);
  int n = atspi_accessible_get_child_count (desktop, NULL);

  for (int i = 0; i < n; i++)
    {
      AtspiAccessible *app = atspi_accessible_get_child_at_index (desktop, i, NULL);

      if (app != NULL && atspi_accessible_get_process_id (app, NULL) == pid)
        return app;
      g_clear_object (&app);
    }
  return NULL;
}

int
main (int argc, char **argv)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(AtspiAccessible) app = NULL;
  g_autofree char *text = NULL;
  guint budget = MAX_NODES;

  if (argc != 2)
    {
      fprintf (stderr, "usage: cc-a11y-dump PID\n");
      return 2;
    }
  if (atspi_init () < 0)
    {
      fprintf (stderr, "cc-a11y-dump: cannot reach the accessibility bus\n");
      return 1;
    }
  for (gint64 end = g_get_monotonic_time () + REGISTER_TIMEOUT_S * G_USEC_PER_SEC;
       app == NULL && g_get_monotonic_time () < end;
       g_usleep (G_USEC_PER_SEC / 10))
    app = find_application ((guint) strtoul (argv[1], NULL, 10));
  if (app == NULL)
    {
      fprintf (stderr, "cc-a11y-dump: no application with process id %s on the bus\n", argv[1]);
      return 1;
    }

  dump_node (builder, app, &budget);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  puts (text);
  return budget > 0 ? 0 : 1;
}
