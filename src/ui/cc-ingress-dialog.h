/* cc-ingress-dialog.h — edits the "Microsoft Dynamics 365 to Campaign"
 * workflow: its table mappings and how it reads and writes. */
#pragma once

#include "cc-edit-dialog.h"
#include "cc-mapping-editor.h"

G_BEGIN_DECLS

#define CC_TYPE_INGRESS_DIALOG (cc_ingress_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CcIngressDialog, cc_ingress_dialog, CC, INGRESS_DIALOG, CcEditDialog)

CcIngressDialog *cc_ingress_dialog_new          (CcEngine        *engine,
                                                 CcWorkflow      *workflow);

guint            cc_ingress_dialog_get_n_mappings (CcIngressDialog *self);
CcMappingEditor *cc_ingress_dialog_get_mapping    (CcIngressDialog *self,
                                                   guint            index);
/* Shows the page of mapping @index. */
void             cc_ingress_dialog_show_mapping   (CcIngressDialog *self,
                                                   guint            index);

G_END_DECLS
