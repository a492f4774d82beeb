/* cc-pair-row.h — one opt-out field pair: a Dynamics 365 Boolean column
 * and the Campaign block-list flag kept equal to it. */
#pragma once

#include <adwaita.h>

#include "cc-edit-row.h"

G_BEGIN_DECLS

#define CC_TYPE_PAIR_ROW (cc_pair_row_get_type ())
G_DECLARE_FINAL_TYPE (CcPairRow, cc_pair_row, CC, PAIR_ROW, CcEditRow)

/* The flags Campaign lets a sync write (NULL-terminated). */
const char * const *cc_pair_row_campaign_flags (void);

CcPairRow  *cc_pair_row_new                  (void);
void        cc_pair_row_set_pair             (CcPairRow          *self,
                                              const char         *dynamics,
                                              const char         *campaign);
char       *cc_pair_row_dup_dynamics         (CcPairRow          *self);
const char *cc_pair_row_get_campaign         (CcPairRow          *self);
void        cc_pair_row_set_dynamics_choices (CcPairRow          *self,
                                              const char * const *names,
                                              const char * const *details);
/* "dynamics-to-campaign", "campaign-to-dynamics", "bidirectional", "off". */
void        cc_pair_row_set_direction        (CcPairRow          *self,
                                              const char         *direction);
GtkWidget  *cc_pair_row_get_dynamics_widget  (CcPairRow          *self);
GtkWidget  *cc_pair_row_get_campaign_widget  (CcPairRow          *self);

G_END_DECLS
