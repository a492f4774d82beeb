/* optinout-fixture.h — what the opt-in/opt-out tests share, on an
 * EngineFixture (ingress-fixture.h): the seeded contacts, their profiles,
 * changes on either side, and waiting until both sides agree. */
#pragma once

#include "ingress-fixture.h"

G_BEGIN_DECLS

/* A configuration of @direction and @policy that polls every second. */
#define OPTINOUT_CONFIG(direction, policy) \
  "{ \"direction\": \"" direction "\", \"conflict-policy\": \"" policy "\", \"poll-interval\": 1 }"

/* Switches change tracking of the sandbox's contact table on or off. */
void        optinout_switch_tracking  (EngineFixture *fixture,
                                       gboolean       on);
/* The id of seeded contact @index. */
char       *optinout_contact_id       (EngineFixture *fixture,
                                       guint          index);
JsonObject *optinout_get_contact      (EngineFixture *fixture,
                                       const char    *id);
/* The profile whose externalId is @id. */
JsonObject *optinout_get_profile      (EngineFixture *fixture,
                                       const char    *id);
/* A Boolean member of a row or profile; absent or null is FALSE. */
gboolean    optinout_flag             (JsonObject    *object,
                                       const char    *member);
void        optinout_patch_contact    (EngineFixture *fixture,
                                       const char    *id,
                                       const char    *body);
void        optinout_patch_profile    (EngineFixture *fixture,
                                       const char    *id,
                                       const char    *body);
/* A profile for contact @index whose two flags are the opposite of the
 * contact's when @opposite, else the same. */
void        optinout_create_profile   (EngineFixture *fixture,
                                       guint          index,
                                       gboolean       opposite);

/* Wait until contact @id has @dynamics_value in @dynamics and its profile
 * @campaign_value in @campaign; fail the test when @workflow fails. */
void        optinout_wait_values      (EngineFixture *fixture,
                                       CcWorkflow    *workflow,
                                       const char    *id,
                                       const char    *dynamics,
                                       gboolean       dynamics_value,
                                       const char    *campaign,
                                       gboolean       campaign_value);
/* Waits until contacts 0 to @n - 1 and their profiles agree on both
 * default pairs and @workflow's backlog is empty. */
void        optinout_wait_all_agree   (EngineFixture *fixture,
                                       CcWorkflow    *workflow,
                                       guint          n);

/* Whether the workflow keeps a sync state for contact @id: it has
 * compared both sides of it at least once. */
gboolean    optinout_has_state        (EngineFixture *fixture,
                                       const char    *id);
/* Waits until contacts 0 to @n - 1 have each been compared once. */
void        optinout_wait_compared    (EngineFixture *fixture,
                                       guint          n);

/* History entries of @kind whose message holds @needle and @needle2
 * (either may be NULL). */
guint       optinout_count_history    (CcWorkflow    *workflow,
                                       const char    *kind,
                                       const char    *needle,
                                       const char    *needle2);
/* A request count of the sandbox at @base_url ("total", "get", "patch"…). */
gint64      optinout_requests         (const char    *base_url,
                                       const char    *member);
/* Waits until each side (the sandbox at @dv and @acs) has been read @n
 * more times: a poll cycle reads each side at least once. */
void        optinout_wait_reads       (const char    *dv,
                                       const char    *acs,
                                       guint          n);
/* Waits until the wall clock is in a later second: Dynamics stamps
 * modifications to the second, so a change made after that is
 * unambiguously later than one made before. */
void        optinout_wait_next_second (void);

G_END_DECLS
