/* cc-sandbox-seed.h — the deterministic data both emulators start with.
 *
 * The same (seed, index) gives the same record on every machine, so tests
 * and benchmarks can predict what a workflow must write. Names are partly
 * non-ASCII (Müller, José, 山田 太郎, 张伟).
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The next number of the sandbox's own small PRNG (splitmix64) from
 * @state, which it advances: the same state gives the same numbers on
 * every machine. */
guint64     cc_sandbox_random_next     (guint64    *state);

/* A GUID in Dataverse's lower-case 8-4-4-4-12 form, unique per (kind, index). */
char       *cc_sandbox_seed_guid       (guint64     seed,
                                        const char *kind,
                                        guint       index);

/* A Dataverse contact row: contactid, firstname, lastname, fullname,
 * emailaddress1, birthdate (yyyy-mm-dd), telephone1, mobilephone,
 * donotemail, donotbulkemail, new_tier (picklist 1..3 or null),
 * statecode, statuscode. System columns (createdon, modifiedon,
 * versionnumber) are the emulator's business. */
JsonObject *cc_sandbox_seed_contact    (guint64     seed,
                                        guint       index);

/* A row of the custom table new_membership: new_membershipid, new_name,
 * new_level (picklist 100000000..100000002), new_startdate,
 * _new_contactid_value (a seeded contact, by index % n_contacts). */
JsonObject *cc_sandbox_seed_membership (guint64     seed,
                                        guint       index,
                                        guint       n_contacts);

/* An email event as it appears inside an I/O Events journal entry's
 * "event" member: id, type (send|open|click|bounce), externalId (the
 * seeded contact's contactid), email, campaignId, campaignName,
 * deliveryId, deliveryName, timestamp (ISO-8601 UTC), mirrorPageUrl, and
 * trackingUrl for clicks. Events are in time order by index. */
JsonObject *cc_sandbox_seed_event      (guint64     seed,
                                        guint       index,
                                        guint       n_contacts);

/* The full name as the emulated Dataverse composes it: "first last", but
 * family name first for CJK names (山田 太郎; no space after a one-character
 * Chinese family name: 张伟). Either part may be NULL or empty. */
char       *cc_sandbox_seed_compose_fullname (const char *firstname,
                                              const char *lastname);

G_END_DECLS
