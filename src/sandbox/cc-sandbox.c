/* PLACEHOLDER — replaced by the sandbox implementation. */
#include "cc-sandbox.h"
struct _CcSandbox { GObject parent_instance; };
G_DEFINE_FINAL_TYPE (CcSandbox, cc_sandbox, G_TYPE_OBJECT)
static void cc_sandbox_class_init (CcSandboxClass *klass) { }
static void cc_sandbox_init (CcSandbox *self) { }
void cc_sandbox_options_init (CcSandboxOptions *o) { memset (o, 0, sizeof *o); }
CcSandbox *cc_sandbox_new (const CcSandboxOptions *o) { return g_object_new (CC_TYPE_SANDBOX, NULL); }
gboolean cc_sandbox_start (CcSandbox *self, GError **error) { g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not yet"); return FALSE; }
void cc_sandbox_stop (CcSandbox *self) { }
const char *cc_sandbox_get_dataverse_url (CcSandbox *self) { return NULL; }
const char *cc_sandbox_get_campaign_url (CcSandbox *self) { return NULL; }
char *cc_sandbox_get_journal_url (CcSandbox *self) { return NULL; }
char *cc_sandbox_get_ims_url (CcSandbox *self) { return NULL; }
CcSandboxFaults *cc_sandbox_get_faults (CcSandbox *self) { return NULL; }
