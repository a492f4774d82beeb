/* cc-sandbox-seed.c — deterministic people, memberships and email events.
 *
 * Every record is drawn from a small PRNG of our own (splitmix64) seeded
 * from (seed, kind, index) alone, so a record never depends on the ones
 * before it, on GLib's PRNG (not stable across versions) or on the host.
 */
#include "config.h"

#include <string.h>

#include "cc-sandbox-seed.h"

typedef struct
{
  const char *text;
  const char *ascii;   /* folded for e-mail addresses */
} Name;

typedef struct
{
  const Name *given;
  guint       n_given;
  const Name *family;
  guint       n_family;
  const char *phone_prefix;
  const char *mobile_prefix;
} Culture;

static const Name german_given[] = {
  { "Jürgen", "juergen" }, { "Anna", "anna" }, { "Lukas", "lukas" },
  { "Sophie", "sophie" }, { "Jörg", "joerg" }, { "Käthe", "kaethe" },
  { "Maximilian", "maximilian" }, { "Lea", "lea" },
};
static const Name german_family[] = {
  { "Müller", "mueller" }, { "Schröder", "schroeder" }, { "Weiß", "weiss" },
  { "Becker", "becker" }, { "Groß", "gross" }, { "Schäfer", "schaefer" },
  { "Hoffmann", "hoffmann" },
};
static const Name spanish_given[] = {
  { "José", "jose" }, { "María", "maria" }, { "Lucía", "lucia" },
  { "Andrés", "andres" }, { "Íñigo", "inigo" }, { "Carmen", "carmen" },
};
static const Name spanish_family[] = {
  { "García", "garcia" }, { "Martínez", "martinez" }, { "Núñez", "nunez" },
  { "Peña", "pena" }, { "López", "lopez" }, { "Fernández", "fernandez" },
};
static const Name nordic_given[] = {
  { "Søren", "soren" }, { "Åsa", "asa" }, { "Bjørn", "bjorn" },
  { "Ingrid", "ingrid" }, { "Mikkel", "mikkel" },
};
static const Name nordic_family[] = {
  { "Jørgensen", "jorgensen" }, { "Ødegård", "odegard" }, { "Lindqvist", "lindqvist" },
  { "Åberg", "aberg" }, { "Nielsen", "nielsen" },
};
static const Name french_given[] = {
  { "François", "francois" }, { "Zoë", "zoe" }, { "Hélène", "helene" },
  { "Gaël", "gael" }, { "Chloé", "chloe" }, { "Jérôme", "jerome" },
};
static const Name french_family[] = {
  { "Lefèvre", "lefevre" }, { "Dupont", "dupont" }, { "Bélanger", "belanger" },
  { "Moreau", "moreau" }, { "Girard", "girard" },
};
static const Name polish_given[] = {
  { "Łukasz", "lukasz" }, { "Zofia", "zofia" }, { "Michał", "michal" },
  { "Małgorzata", "malgorzata" }, { "Wojciech", "wojciech" },
};
static const Name polish_family[] = {
  { "Wójcik", "wojcik" }, { "Kowalski", "kowalski" }, { "Nowak", "nowak" },
  { "Dąbrowski", "dabrowski" }, { "Zieliński", "zielinski" },
};
static const Name english_given[] = {
  { "Sean", "sean" }, { "Mary", "mary" }, { "Olivia", "olivia" },
  { "Noah", "noah" }, { "Siobhán", "siobhan" }, { "James", "james" },
  { "Emily", "emily" },
};
static const Name english_family[] = {
  { "O'Brien", "obrien" }, { "Smith", "smith" }, { "Johnson", "johnson" },
  { "McCarthy", "mccarthy" }, { "Taylor", "taylor" }, { "O'Neill", "oneill" },
};
static const Name japanese_given[] = {
  { "太郎", "taro" }, { "花子", "hanako" }, { "健太", "kenta" },
  { "美咲", "misaki" }, { "翔太", "shota" }, { "さくら", "sakura" },
};
static const Name japanese_family[] = {
  { "山田", "yamada" }, { "佐藤", "sato" }, { "鈴木", "suzuki" },
  { "高橋", "takahashi" }, { "田中", "tanaka" },
};
static const Name chinese_given[] = {
  { "伟", "wei" }, { "芳", "fang" }, { "娜", "na" },
  { "秀英", "xiuying" }, { "敏", "min" }, { "静", "jing" },
};
static const Name chinese_family[] = {
  { "张", "zhang" }, { "王", "wang" }, { "李", "li" },
  { "刘", "liu" }, { "陈", "chen" },
};

#define CULTURE(g, f, phone, mobile) { g, G_N_ELEMENTS (g), f, G_N_ELEMENTS (f), phone, mobile }

static const Culture cultures[] = {
  CULTURE (german_given, german_family, "+49 30 ", "+49 171 "),
  CULTURE (spanish_given, spanish_family, "+34 91 ", "+34 612 "),
  CULTURE (nordic_given, nordic_family, "+45 33 ", "+45 20 "),
  CULTURE (french_given, french_family, "+33 1 ", "+33 6 "),
  CULTURE (polish_given, polish_family, "+48 22 ", "+48 501 "),
  CULTURE (english_given, english_family, "+1 206 ", "+1 425 "),
  CULTURE (japanese_given, japanese_family, "+81 3 ", "+81 90 "),
  CULTURE (chinese_given, chinese_family, "+86 10 ", "+86 139 "),
};

static const char *email_domains[] = { "example.com", "example.org", "example.net" };

static const char *campaign_names[] = {
  "Spring Sale 2026", "Newsletter Januar", "Rentrée — offres spéciales",
  "新年キャンペーン", "Black Friday Early Access", "Loyalty: Gold members",
  "Produktneuheiten März", "双十一 促销",
};

static const char *tracking_paths[] = {
  "offers/spring", "products/new", "account/preferences", "blog/2026/whats-new",
  "store-locator", "loyalty/gold",
};

typedef struct
{
  const Name *given;
  const Name *family;
  char       *email;
} Person;

static guint64
hash_kind (const char *kind)
{
  guint64 h = G_GUINT64_CONSTANT (0xCBF29CE484222325);

  for (; *kind; kind++)
    h = (h ^ (guchar) *kind) * G_GUINT64_CONSTANT (0x100000001B3);
  return h;
}

static guint64
stream_for (guint64     seed,
            const char *kind,
            guint       index)
{
  guint64 state = seed ^ hash_kind (kind);

  state = cc_sandbox_random_next (&state)
          ^ ((guint64) index * G_GUINT64_CONSTANT (0xD1B54A32D192ED03));
  cc_sandbox_random_next (&state);
  return state;
}

static guint
pick (guint64 *state,
      guint    n)
{
  return (guint) (cc_sandbox_random_next (state) % n);
}

/* murmur3's finaliser: a bijection on 32 bits, so distinct indexes give
 * distinct values. */
static guint32
fmix32 (guint32 h)
{
  h ^= h >> 16;
  h *= 0x85EBCA6BU;
  h ^= h >> 13;
  h *= 0xC2B2AE35U;
  h ^= h >> 16;
  return h;
}

char *
cc_sandbox_seed_guid (guint64     seed,
                      const char *kind,
                      guint       index)
{
  guint64 state = stream_for (seed, kind, index);
  guint64 hi = cc_sandbox_random_next (&state);
  guint64 mid = cc_sandbox_random_next (&state);
  guint32 key = (guint32) (hash_kind (kind) ^ seed ^ (seed >> 32));
  guint32 unique = fmix32 (index ^ key);

  /* Version 4 nibble and RFC 4122 variant bits, as real GUIDs carry; the
   * last 32 bits are a bijection of the index, which makes the GUID unique
   * per (kind, index) by construction. */
  hi = (hi & G_GUINT64_CONSTANT (0xFFFFFFFFFFFF0FFF)) | G_GUINT64_CONSTANT (0x4000);
  return g_strdup_printf ("%08x-%04x-%04x-%04x-%04x%08x",
                          (guint32) (hi >> 32),
                          (guint) ((hi >> 16) & 0xFFFF),
                          (guint) (hi & 0xFFFF),
                          (guint) (0x8000 | (mid & 0x3FFF)),
                          (guint) ((mid >> 16) & 0xFFFF),
                          unique);
}

static gboolean
is_cjk (const char *text)
{
  if (text == NULL || *text == '\0')
    return FALSE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!((c >= 0x3040 && c <= 0x30FF)      /* kana */
            || (c >= 0x3400 && c <= 0x9FFF)   /* ideographs */
            || (c >= 0xF900 && c <= 0xFAFF)))
        return FALSE;
    }
  return TRUE;
}

char *
cc_sandbox_seed_compose_fullname (const char *firstname,
                                  const char *lastname)
{
  gboolean has_first = firstname != NULL && *firstname != '\0';
  gboolean has_last = lastname != NULL && *lastname != '\0';

  if (!has_first)
    return g_strdup (has_last ? lastname : "");
  if (!has_last)
    return g_strdup (firstname);
  if (is_cjk (firstname) && is_cjk (lastname))
    return g_strconcat (lastname, g_utf8_strlen (lastname, -1) == 1 ? "" : " ",
                        firstname, NULL);
  return g_strconcat (firstname, " ", lastname, NULL);
}

static void
make_person (guint64  seed,
             guint    index,
             Person  *out)
{
  guint64 state = stream_for (seed, "person", index);
  const Culture *culture = &cultures[pick (&state, G_N_ELEMENTS (cultures))];

  out->given = &culture->given[pick (&state, culture->n_given)];
  out->family = &culture->family[pick (&state, culture->n_family)];
  /* The index keeps every address unique, as a CRM's data would be after
   * deduplication. */
  out->email = g_strdup_printf ("%s.%s.%u@%s", out->given->ascii, out->family->ascii,
                                index, email_domains[pick (&state, G_N_ELEMENTS (email_domains))]);
}

static char *
format_date (guint64 *state,
             guint    from_year,
             guint    n_years)
{
  g_autoptr(GDate) date = g_date_new_dmy (1, G_DATE_JANUARY, from_year);
  char buf[16];

  g_date_add_days (date, pick (state, n_years * 365));
  g_snprintf (buf, sizeof buf, "%04u-%02u-%02u", g_date_get_year (date),
              g_date_get_month (date), g_date_get_day (date));
  return g_strdup (buf);
}

static char *
format_phone (guint64    *state,
              const char *prefix)
{
  return g_strdup_printf ("%s%03u %04u", prefix, pick (state, 1000), pick (state, 10000));
}

static void
take_string (JsonObject *row,
             const char *name,
             char       *value)
{
  json_object_set_string_member (row, name, value);
  g_free (value);
}

JsonObject *
cc_sandbox_seed_contact (guint64 seed,
                         guint   index)
{
  JsonObject *row = json_object_new ();
  guint64 state = stream_for (seed, "contact", index);
  guint64 person_state = stream_for (seed, "person", index);
  const Culture *culture = &cultures[pick (&person_state, G_N_ELEMENTS (cultures))];
  Person person;
  gboolean inactive;

  make_person (seed, index, &person);

  take_string (row, "contactid", cc_sandbox_seed_guid (seed, "contact", index));
  json_object_set_string_member (row, "firstname", person.given->text);
  json_object_set_string_member (row, "lastname", person.family->text);
  take_string (row, "fullname",
               cc_sandbox_seed_compose_fullname (person.given->text, person.family->text));
  take_string (row, "emailaddress1", person.email);

  /* About one in ten without a birth date or a landline, as in real CRMs. */
  if (pick (&state, 10) == 0)
    json_object_set_null_member (row, "birthdate");
  else
    take_string (row, "birthdate", format_date (&state, 1940, 66));
  if (pick (&state, 10) == 0)
    json_object_set_null_member (row, "telephone1");
  else
    take_string (row, "telephone1", format_phone (&state, culture->phone_prefix));
  take_string (row, "mobilephone", format_phone (&state, culture->mobile_prefix));

  json_object_set_boolean_member (row, "donotemail", pick (&state, 100) < 4);
  json_object_set_boolean_member (row, "donotbulkemail", pick (&state, 100) < 12);
  if (pick (&state, 4) == 0)
    json_object_set_null_member (row, "new_tier");
  else
    json_object_set_int_member (row, "new_tier", 1 + pick (&state, 3));
  inactive = pick (&state, 100) < 8;
  json_object_set_int_member (row, "statecode", inactive ? 1 : 0);
  json_object_set_int_member (row, "statuscode", inactive ? 2 : 1);
  return row;
}

JsonObject *
cc_sandbox_seed_membership (guint64 seed,
                            guint   index,
                            guint   n_contacts)
{
  static const char *levels[] = { "Bronze", "Silver", "Gold" };
  JsonObject *row = json_object_new ();
  guint64 state = stream_for (seed, "membership", index);
  guint level = pick (&state, G_N_ELEMENTS (levels));

  take_string (row, "new_membershipid", cc_sandbox_seed_guid (seed, "membership", index));
  take_string (row, "new_name", g_strdup_printf ("Membership %05u (%s)", index, levels[level]));
  json_object_set_int_member (row, "new_level", 100000000 + level);
  take_string (row, "new_startdate", format_date (&state, 2015, 11));
  take_string (row, "_new_contactid_value",
               cc_sandbox_seed_guid (seed, "contact", index % MAX (n_contacts, 1)));
  json_object_set_int_member (row, "statecode", 0);
  return row;
}

/* 2025-12-01T08:00:00Z: events are spread forward from here. */
#define EVENT_EPOCH G_GINT64_CONSTANT (1764576000)
#define EVENT_STEP_S 45

JsonObject *
cc_sandbox_seed_event (guint64 seed,
                       guint   index,
                       guint   n_contacts)
{
  static const char *types[] = { "send", "open", "click", "bounce" };
  static const guint weights[] = { 45, 30, 17, 8 };
  JsonObject *event = json_object_new ();
  guint64 state = stream_for (seed, "event", index);
  guint contact = pick (&state, MAX (n_contacts, 1));
  guint campaign = pick (&state, G_N_ELEMENTS (campaign_names));
  guint wave = pick (&state, 3);
  guint roll = pick (&state, 100);
  guint type = 0;
  Person person;
  g_autoptr(GDateTime) when = NULL;

  while (roll >= weights[type])
    roll -= weights[type++];

  make_person (seed, contact, &person);
  /* One step per index with jitter inside it keeps events in time order. */
  when = g_date_time_new_from_unix_utc (EVENT_EPOCH + (gint64) index * EVENT_STEP_S
                                        + pick (&state, EVENT_STEP_S));

  take_string (event, "id", cc_sandbox_seed_guid (seed, "event", index));
  json_object_set_string_member (event, "type", types[type]);
  take_string (event, "externalId", cc_sandbox_seed_guid (seed, "contact", contact));
  take_string (event, "email", person.email);
  take_string (event, "campaignId", g_strdup_printf ("OP%u", 1000 + campaign));
  json_object_set_string_member (event, "campaignName", campaign_names[campaign]);
  take_string (event, "deliveryId", g_strdup_printf ("DM%u", 2000 + campaign * 10 + wave));
  take_string (event, "deliveryName", g_strdup_printf ("%s – wave %u", campaign_names[campaign], wave + 1));
  take_string (event, "timestamp", g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ"));
  take_string (event, "mirrorPageUrl",
               g_strdup_printf ("https://sandbox-org.campaign.adobe.com/m/%016" G_GINT64_MODIFIER "x",
                                cc_sandbox_random_next (&state)));
  if (g_str_equal (types[type], "click"))
    take_string (event, "trackingUrl",
                 g_strdup_printf ("https://www.example.com/%s?utm_campaign=OP%u",
                                  tracking_paths[pick (&state, G_N_ELEMENTS (tracking_paths))],
                                  1000 + campaign));
  return event;
}

guint64
cc_sandbox_random_next (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}
