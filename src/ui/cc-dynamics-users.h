/* cc-dynamics-users.h — the Dynamics 365 connection's application users
 * besides its own client id, in the connections dialog: listed (never a
 * secret), added with a client id and secret, removed. */
#pragma once

#include <adwaita.h>

#include "cc-engine.h"

G_BEGIN_DECLS

#define CC_TYPE_DYNAMICS_USERS (cc_dynamics_users_get_type ())
G_DECLARE_FINAL_TYPE (CcDynamicsUsers, cc_dynamics_users, CC, DYNAMICS_USERS,
                      AdwPreferencesGroup)

/* Shows and changes @engine's users (a reference is kept). */
void        cc_dynamics_users_set_engine (CcDynamicsUsers *self,
                                          CcEngine        *engine);
/* What the last add or remove came to ("" before any). For tests. */
const char *cc_dynamics_users_get_result (CcDynamicsUsers *self);

G_END_DECLS
