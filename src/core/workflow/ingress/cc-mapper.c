/* cc-mapper.c — one ingress table mapping applied to one Dynamics 365 row.
 *
 * Filters are evaluated here, on the row as read, because a change-tracked
 * read cannot carry $filter. Every field then goes through the same steps:
 * its source value (the display label when the mapping asks for display
 * values), the first matching replacement, then the transforms in order.
 * Nothing here keeps state, so reader threads may map rows concurrently.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cc-error.h"
#include "cc-json-check.h"
#include "cc-json-write.h"
#include "cc-mapper.h"

#define FORMATTED_VALUE_SUFFIX "@OData.Community.Display.V1.FormattedValue"

static gboolean
node_is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

static gboolean
node_is_number (JsonNode *node)
{
  return cc_json_check_node_holds (node, G_TYPE_INT64)
         || cc_json_check_node_holds (node, G_TYPE_DOUBLE);
}

static gboolean
node_is_empty (JsonNode *node)
{
  return node_is_null (node)
         || (cc_json_check_node_holds (node, G_TYPE_STRING)
             && json_node_get_string (node)[0] == '\0');
}

/* The shortest text that reads back as @value: 0.1 stays "0.1". */
static char *
double_to_string (double value)
{
  static const char * const formats[] = { "%.15g", "%.16g", "%.17g" };
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buffer, sizeof buffer, formats[i], value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  return g_strdup (buffer);
}

/* A scalar's string form as a user writes it: true/false, numbers as
 * written, strings as they are. NULL for null (and for structures). */
static char *
node_to_string (JsonNode *node)
{
  if (cc_json_check_node_holds (node, G_TYPE_STRING))
    return g_strdup (json_node_get_string (node));
  if (cc_json_check_node_holds (node, G_TYPE_INT64))
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (cc_json_check_node_holds (node, G_TYPE_DOUBLE))
    return double_to_string (json_node_get_double (node));
  if (cc_json_check_node_holds (node, G_TYPE_BOOLEAN))
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  return NULL;
}

static double
node_to_double (JsonNode *node)
{
  if (cc_json_check_node_holds (node, G_TYPE_INT64))
    return (double) json_node_get_int (node);
  return json_node_get_double (node);
}

static gboolean
string_to_double (const char *text,
                  double     *out)
{
  char *end = NULL;

  if (text == NULL || text[0] == '\0' || g_ascii_isspace (text[0]))
    return FALSE;
  *out = g_ascii_strtod (text, &end);
  return end != NULL && *end == '\0' && isfinite (*out);
}

/* The Display.V1.FormattedValue annotation of @column, if the row has one. */
static const char *
formatted_value (CcJsonRow  *row,
                 const char *column)
{
  g_autofree char *name = g_strconcat (column, FORMATTED_VALUE_SUFFIX, NULL);

  return cc_json_row_get_string (row, name);
}

/* The value of @column as the mapping wants to see it. Dataverse
 * annotates numbers (picklists, states, statuses), booleans, but also
 * dates, money and lookups; only choices and yes/no columns are meant by
 * "display values", and those are the ones whose raw value is a whole
 * number or a boolean. A missing column reads as null. */
static JsonNode *
source_value (const CcTableMapping *mapping,
              CcJsonRow            *row,
              const char           *column)
{
  JsonNode *node = cc_json_row_get_member (row, column);

  if (mapping->display_values
      && (cc_json_check_node_holds (node, G_TYPE_INT64)
          || cc_json_check_node_holds (node, G_TYPE_BOOLEAN)))
    {
      const char *label = formatted_value (row, column);

      if (label != NULL)
        return json_node_init_string (json_node_alloc (), label);
    }
  if (node == NULL)
    return json_node_init_null (json_node_alloc ());
  /* No step changes a value in place (each makes a new one): the row's
   * own node serves. */
  return json_node_ref (node);
}

/* ------------------------------------------------------------------ */
/* Transforms                                                          */

static gboolean
is_space (gunichar c)
{
  /* Unicode spaces (no-break, ideographic) count, and so does the stray
   * byte-order mark that text pasted from some editors starts with. */
  return g_unichar_isspace (c) || c == 0xFEFF;
}

static char *
utf8_strip (const char *text)
{
  const char *start = text;
  const char *end = text + strlen (text);

  while (*start && is_space (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *previous = g_utf8_prev_char (end);

      if (!is_space (g_utf8_get_char (previous)))
        break;
      end = previous;
    }
  return g_strndup (start, end - start);
}

/* Dataverse writes date-times as "2026-01-02T03:04:05Z" and date-only
 * columns as "1980-10-24"; Campaign's own form "2019-09-25 23:20:35.000Z"
 * is read too. A time without a zone is taken as UTC, as Dataverse means. */
static GDateTime *
parse_date (const char *text)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GDateTime) parsed = NULL;
  static const char date_only[] = "dddd-dd-dd";
  gboolean is_date_only = strlen (text) == strlen (date_only);

  for (guint i = 0; is_date_only && date_only[i]; i++)
    is_date_only = date_only[i] == 'd' ? g_ascii_isdigit (text[i]) : text[i] == date_only[i];
  if (is_date_only)
    {
      int year = atoi (text), month = atoi (text + 5), day = atoi (text + 8);

      if (!g_date_valid_dmy (day, month, year))
        return NULL;
      return g_date_time_new_utc (year, month, day, 0, 0, 0);
    }
  parsed = g_date_time_new_from_iso8601 (text, utc);
  if (parsed == NULL)
    return NULL;
  return g_date_time_to_utc (parsed);
}

/* Concatenates the transform's fields. Empty parts are skipped so that
 * a contact without a first name becomes "Müller", not " Müller". The
 * field's own source takes its value as transformed so far (@value); the
 * others are read afresh from @row. NULL when every part is empty. */
static char *
concat_fields (const CcTableMapping *mapping,
               const CcFieldMapping *field,
               const CcTransform    *transform,
               CcJsonRow            *row,
               JsonNode             *value)
{
  g_autoptr (GString) joined = NULL;

  for (guint i = 0; transform->fields[i]; i++)
    {
      g_autoptr (JsonNode) part = NULL;
      g_autofree char *part_text = NULL;

      if (strcmp (transform->fields[i], field->source) == 0)
        part = json_node_ref (value);
      else
        part = source_value (mapping, row, transform->fields[i]);
      part_text = node_to_string (part);
      if (part_text == NULL || part_text[0] == '\0')
        continue;
      if (joined == NULL)
        joined = g_string_new (part_text);
      else
        g_string_append_printf (joined, "%s%s", transform->separator, part_text);
    }
  return joined ? g_string_free (g_steal_pointer (&joined), FALSE) : NULL;
}

/* The value formatted with the transform's date format; FALSE with a
 * rejection when it is not a date. */
static gboolean
format_date (const CcFieldMapping  *field,
             const CcTransform     *transform,
             JsonNode              *value,
             char                 **result,
             GError               **error)
{
  const char *text = cc_json_check_node_holds (value, G_TYPE_STRING)
                     ? json_node_get_string (value) : NULL;
  g_autoptr (GDateTime) date = text != NULL ? parse_date (text) : NULL;
  g_autofree char *shown = NULL;

  if (date != NULL)
    {
      *result = g_date_time_format (date, transform->format);
      return TRUE;
    }
  shown = node_to_string (value);
  g_set_error (error, CC_ERROR, CC_ERROR_REJECTED,
               _("Field “%s” (to “%s”): “%s” is not a date, so date-format "
                 "cannot apply"),
               field->source, field->target, shown ? shown : "");
  return FALSE;
}

static void
replace_value (JsonNode   **value,
               const char  *text)
{
  json_node_unref (*value);
  *value = text ? json_node_init_string (json_node_alloc (), text)
                : json_node_init_null (json_node_alloc ());
}

static gboolean
apply_transform (const CcTableMapping *mapping,
                 const CcFieldMapping *field,
                 const CcTransform    *transform,
                 CcJsonRow            *row,
                 JsonNode            **value,
                 GError              **error)
{
  const char *text = cc_json_check_node_holds (*value, G_TYPE_STRING)
                     ? json_node_get_string (*value) : NULL;
  g_autofree char *result = NULL;

  switch (transform->kind)
    {
    case CC_TRANSFORM_TRIM:
      result = text ? utf8_strip (text) : NULL;
      break;
    case CC_TRANSFORM_LOWER:
      result = text ? g_utf8_strdown (text, -1) : NULL;
      break;
    case CC_TRANSFORM_UPPER:
      result = text ? g_utf8_strup (text, -1) : NULL;
      break;
    case CC_TRANSFORM_DEFAULT:
      result = node_is_empty (*value) ? g_strdup (transform->value) : NULL;
      break;
    case CC_TRANSFORM_CONCAT:
      result = concat_fields (mapping, field, transform, row, *value);
      /* Every part empty: the value becomes null. */
      if (result == NULL)
        replace_value (value, NULL);
      break;
    case CC_TRANSFORM_DATE_FORMAT:
      if (!node_is_empty (*value) && !format_date (field, transform, *value, &result, error))
        return FALSE;
      break;
    default:
      g_assert_not_reached ();
    }

  if (result != NULL)
    replace_value (value, result);
  return TRUE;
}

static JsonNode *
map_field (const CcTableMapping *mapping,
           const CcFieldMapping *field,
           CcJsonRow            *row,
           GError              **error)
{
  g_autoptr (JsonNode) value = source_value (mapping, row, field->source);
  g_autofree char *text = NULL;

  if (JSON_NODE_HOLDS_OBJECT (value) || JSON_NODE_HOLDS_ARRAY (value))
    {
      g_set_error (error, CC_ERROR, CC_ERROR_REJECTED,
                   _("Field “%s” (to “%s”) holds a structure, not a single value"),
                   field->source, field->target);
      return NULL;
    }

  if (field->replacements->len > 0)
    text = node_to_string (value);
  for (guint i = 0; text != NULL && i < field->replacements->len; i++)
    {
      const CcReplacement *replacement = g_ptr_array_index (field->replacements, i);

      if (strcmp (replacement->from, text) == 0)
        {
          json_node_unref (value);
          value = json_node_copy (replacement->to);
          break;
        }
    }

  for (guint i = 0; i < field->transforms->len; i++)
    {
      const CcTransform *transform = g_ptr_array_index (field->transforms, i);

      if (!apply_transform (mapping, field, transform, row, &value, error))
        return NULL;
    }

  return g_steal_pointer (&value);
}

/* ------------------------------------------------------------------ */
/* Filters                                                             */

/* Case-insensitive as Dataverse compares, and blind to how an accented
 * letter happens to be composed. */
static char *
fold (const char *text)
{
  g_autofree char *normal = g_utf8_normalize (text, -1, G_NORMALIZE_DEFAULT_COMPOSE);

  return g_utf8_casefold (normal != NULL ? normal : text, -1);
}

static int
compare_text (const char *a,
              const char *b)
{
  g_autofree char *folded_a = fold (a);
  g_autofree char *folded_b = fold (b);
  int cmp = strcmp (folded_a, folded_b);

  return (cmp > 0) - (cmp < 0);
}

static int
compare_numbers (double a,
                 double b)
{
  return (a > b) - (a < b);
}

/* How @field compares with @wanted: -1, 0 or 1. Numbers compare as
 * numbers (a numeric string on either side included), booleans as
 * booleans, anything else as case-insensitive text; a choice or yes/no
 * column compared with a word ("Active") is compared by its label. */
static int
compare_values (CcJsonRow  *row,
                const char *column,
                JsonNode   *field,
                JsonNode   *wanted)
{
  const char *wanted_text = NULL;
  g_autofree char *field_text = NULL;
  g_autofree char *wanted_string = NULL;
  const char *label = formatted_value (row, column);
  double a, b;

  if (cc_json_check_node_holds (wanted, G_TYPE_STRING))
    wanted_text = json_node_get_string (wanted);
  if (node_is_number (field) && node_is_number (wanted))
    return compare_numbers (node_to_double (field), node_to_double (wanted));
  if (node_is_number (field) && string_to_double (wanted_text, &b))
    return compare_numbers (node_to_double (field), b);
  if (cc_json_check_node_holds (field, G_TYPE_STRING) && node_is_number (wanted)
      && string_to_double (json_node_get_string (field), &a))
    return compare_numbers (a, node_to_double (wanted));
  if (cc_json_check_node_holds (field, G_TYPE_BOOLEAN)
      && cc_json_check_node_holds (wanted, G_TYPE_BOOLEAN))
    return compare_numbers (json_node_get_boolean (field), json_node_get_boolean (wanted));
  if (cc_json_check_node_holds (field, G_TYPE_BOOLEAN) && wanted_text != NULL
      && (g_ascii_strcasecmp (wanted_text, "true") == 0
          || g_ascii_strcasecmp (wanted_text, "false") == 0))
    return compare_numbers (json_node_get_boolean (field),
                            g_ascii_strcasecmp (wanted_text, "true") == 0);

  if (wanted_text != NULL && !cc_json_check_node_holds (field, G_TYPE_STRING) && label != NULL)
    field_text = g_strdup (label);
  else
    field_text = node_to_string (field);
  wanted_string = node_to_string (wanted);
  return compare_text (field_text, wanted_string);
}

/* The row's text for contains / starts-with / ends-with: a choice's label
 * when Dataverse gave one, else the value's string form. */
static char *
field_text_for_match (CcJsonRow  *row,
                      const char *column,
                      JsonNode   *field)
{
  const char *label;

  if (cc_json_check_node_holds (field, G_TYPE_STRING))
    return fold (json_node_get_string (field));
  label = formatted_value (row, column);
  if (label != NULL)
    return fold (label);
  {
    g_autofree char *text = node_to_string (field);

    return fold (text);
  }
}

static gboolean
condition_matches (const CcFilterCondition *condition,
                   CcJsonRow               *row)
{
  JsonNode *field = cc_json_row_get_member (row, condition->field);
  g_autofree char *haystack = NULL;
  g_autofree char *needle = NULL;

  if (condition->op == CC_FILTER_IS_NULL)
    return node_is_null (field);
  if (condition->op == CC_FILTER_IS_NOT_NULL)
    return !node_is_null (field);

  /* OData's rules: null equals nothing, differs from everything, and is
   * neither greater nor smaller than anything. */
  if (node_is_null (field))
    return condition->op == CC_FILTER_NE;

  switch (condition->op)
    {
    case CC_FILTER_EQ:
      return compare_values (row, condition->field, field, condition->value) == 0;
    case CC_FILTER_NE:
      return compare_values (row, condition->field, field, condition->value) != 0;
    case CC_FILTER_GT:
      return compare_values (row, condition->field, field, condition->value) > 0;
    case CC_FILTER_GE:
      return compare_values (row, condition->field, field, condition->value) >= 0;
    case CC_FILTER_LT:
      return compare_values (row, condition->field, field, condition->value) < 0;
    case CC_FILTER_LE:
      return compare_values (row, condition->field, field, condition->value) <= 0;
    case CC_FILTER_CONTAINS:
    case CC_FILTER_STARTS_WITH:
    case CC_FILTER_ENDS_WITH:
      haystack = field_text_for_match (row, condition->field, field);
      needle = fold (json_node_get_string (condition->value));
      if (condition->op == CC_FILTER_CONTAINS)
        return strstr (haystack, needle) != NULL;
      if (condition->op == CC_FILTER_STARTS_WITH)
        return g_str_has_prefix (haystack, needle);
      return g_str_has_suffix (haystack, needle);
    case CC_FILTER_IS_NULL:
    case CC_FILTER_IS_NOT_NULL:
    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

static gboolean
row_passes_filters (const CcTableMapping *mapping,
                    CcJsonRow            *row)
{
  if (mapping->filters->len == 0)
    return TRUE;
  for (guint i = 0; i < mapping->filters->len; i++)
    {
      gboolean matches = condition_matches (g_ptr_array_index (mapping->filters, i), row);

      if (mapping->filter_any && matches)
        return TRUE;
      if (!mapping->filter_any && !matches)
        return FALSE;
    }
  return !mapping->filter_any;
}

/* ------------------------------------------------------------------ */
/* The mapped record                                                   */

/* Its members in the order they were set, as a JsonObject keeps them: a
 * name set again keeps its place and takes the new value. */
typedef struct
{
  const char *name;      /* not owned */
  JsonNode   *node;      /* the value, or NULL: */
  const char *raw;       /* its JSON text, in the row's */
  gsize       raw_len;
} RecordMember;

struct _CcMappedRecord
{
  GArray *members;       /* RecordMember */
};

static void
record_member_clear (RecordMember *member)
{
  g_clear_pointer (&member->node, json_node_unref);
}

static CcMappedRecord *
mapped_record_new (guint size)
{
  CcMappedRecord *record = g_new (CcMappedRecord, 1);

  record->members = g_array_sized_new (FALSE, TRUE, sizeof (RecordMember), size);
  g_array_set_clear_func (record->members, (GDestroyNotify) record_member_clear);
  return record;
}

void
cc_mapped_record_free (CcMappedRecord *record)
{
  if (record == NULL)
    return;
  g_array_unref (record->members);
  g_free (record);
}

/* Takes @member's node. */
static void
mapped_record_set (CcMappedRecord     *record,
                   const RecordMember *member)
{
  for (guint i = 0; i < record->members->len; i++)
    {
      RecordMember *old = &g_array_index (record->members, RecordMember, i);

      if (strcmp (old->name, member->name) == 0)
        {
          record_member_clear (old);
          *old = *member;
          return;
        }
    }
  g_array_append_val (record->members, *member);
}

void
cc_mapped_record_set_string (CcMappedRecord *record,
                             const char     *name,
                             const char     *value)
{
  RecordMember member = { name, NULL, NULL, 0 };

  g_return_if_fail (record != NULL && name != NULL && value != NULL);
  member.node = json_node_init_string (json_node_alloc (), value);
  mapped_record_set (record, &member);
}

char *
cc_mapped_record_to_json (CcMappedRecord *record)
{
  GString *text;

  g_return_val_if_fail (record != NULL, NULL);

  text = g_string_sized_new (64 * record->members->len + 2);
  g_string_append_c (text, '{');
  for (guint i = 0; i < record->members->len; i++)
    {
      const RecordMember *member = &g_array_index (record->members, RecordMember, i);

      if (i > 0)
        g_string_append_c (text, ',');
      cc_json_write_text_string (text, member->name);
      g_string_append_c (text, ':');
      if (member->node != NULL)
        cc_json_write_text_node (text, member->node);
      else
        g_string_append_len (text, member->raw, member->raw_len);
    }
  g_string_append_c (text, '}');
  return g_string_free (text, FALSE);
}

/* A field that only copies its column, of a row whose text of the value
 * is what json-glib would write of it, takes that text as it is: no node
 * of the value. A choice or yes/no column may be shown by its label. */
static gboolean
copies_raw (const CcTableMapping *mapping,
            const CcFieldMapping *field,
            CcJsonRow            *row,
            RecordMember         *member)
{
  const char *raw;
  gsize len;

  if (field->replacements->len > 0 || field->transforms->len > 0
      || !cc_json_row_get_raw (row, field->source, &raw, &len)
      || (mapping->display_values && raw[0] != '"' && raw[0] != 'n'))
    return FALSE;
  member->raw = raw;
  member->raw_len = len;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Public                                                              */

CcMapVerdict
cc_mapper_apply (const CcTableMapping  *mapping,
                 const char            *primary_key,
                 CcJsonRow             *row,
                 CcMappedRecord       **out,
                 GError               **error)
{
  g_autoptr (CcMappedRecord) record = NULL;

  g_return_val_if_fail (mapping != NULL, CC_MAP_FILTERED_OUT);
  g_return_val_if_fail (primary_key != NULL, CC_MAP_FILTERED_OUT);
  g_return_val_if_fail (row != NULL, CC_MAP_FILTERED_OUT);
  g_return_val_if_fail (out != NULL, CC_MAP_FILTERED_OUT);
  g_return_val_if_fail (error == NULL || *error == NULL, CC_MAP_FILTERED_OUT);

  *out = NULL;
  if (primary_key[0] == '\0')
    {
      g_set_error (error, CC_ERROR, CC_ERROR_REJECTED, _("The row has no id"));
      return CC_MAP_FILTERED_OUT;
    }

  if (!row_passes_filters (mapping, row))
    return CC_MAP_FILTERED_OUT;

  record = mapped_record_new (mapping->fields->len + 2);
  for (guint i = 0; i < mapping->fields->len; i++)
    {
      const CcFieldMapping *field = g_ptr_array_index (mapping->fields, i);
      RecordMember member = { field->target, NULL, NULL, 0 };

      if (!copies_raw (mapping, field, row, &member)
          && (member.node = map_field (mapping, field, row, error)) == NULL)
        return CC_MAP_FILTERED_OUT;
      mapped_record_set (record, &member);
    }
  cc_mapped_record_set_string (record, mapping->target_key, primary_key);

  *out = g_steal_pointer (&record);
  return CC_MAP_UPSERT;
}

JsonObject *
cc_mapper_update_fields (const CcTableMapping *mapping,
                         JsonObject           *record)
{
  JsonObject *update;

  g_return_val_if_fail (mapping != NULL, NULL);
  g_return_val_if_fail (record != NULL, NULL);

  update = json_object_new ();
  for (guint i = 0; i < mapping->fields->len; i++)
    {
      const CcFieldMapping *field = g_ptr_array_index (mapping->fields, i);
      JsonNode *value;

      if (!field->apply_updates || g_strcmp0 (field->target, mapping->target_key) == 0)
        continue;
      value = json_object_get_member (record, field->target);
      if (value != NULL)
        json_object_set_member (update, field->target, json_node_copy (value));
    }
  return update;
}

static gboolean
is_mapped_target (const CcTableMapping *mapping,
                  const char           *name)
{
  if (name[0] == '@' || g_strcmp0 (name, mapping->target_key) == 0
      || g_strcmp0 (name, mapping->parent_link) == 0)
    return TRUE;
  for (guint i = 0; i < mapping->fields->len; i++)
    if (g_str_equal (((CcFieldMapping *) g_ptr_array_index (mapping->fields, i))->target, name))
      return TRUE;
  return FALSE;
}

gboolean
cc_mapper_drop_unmapped (const CcTableMapping *mapping,
                         JsonObject           *record)
{
  g_autoptr(GList) names = json_object_get_members (record);
  gboolean dropped = FALSE;

  for (GList *l = names; l != NULL; l = l->next)
    if (!is_mapped_target (mapping, l->data))
      {
        json_object_remove_member (record, l->data);
        dropped = TRUE;
      }
  return dropped;
}
