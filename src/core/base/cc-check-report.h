/* cc-check-report.h — the outcome of a setup check: one item per
 * prerequisite of the workflows checked.
 *
 * An item says what is needed (its label), whether it is there (OK),
 * missing (with what to do, in the admin's words, and why it counts as
 * missing) or cannot be told (and why not: the service did not answer, or
 * does not say). Its id is stable ("dynamics.table.contact",
 * "campaign.filter.profileAndServicesExt/profile.byExternalId", …), for
 * scripts and tests. The same prerequisite of several workflows is one
 * item that names them all.
 *
 * The setup check and Starting fill a report with the same code: Starting
 * fails naming the first missing item, unless the workflow works without
 * it (blocks_start FALSE: a table without change tracking is polled).
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  CC_CHECK_OK,
  CC_CHECK_MISSING,
  CC_CHECK_CANNOT_TELL,
} CcCheckState;

/* "ok", "missing", "cannot-tell" (the words of the D-Bus interface). */
const char *cc_check_state_to_string (CcCheckState state);
/* Translated: "OK", "Missing", "Cannot tell". */
const char *cc_check_state_to_label  (CcCheckState state);

typedef struct
{
  char         *id;
  char         *label;         /* what is needed, translated */
  CcCheckState  state;
  char         *what_to_do;    /* missing: the steps, translated; else NULL */
  char         *why;           /* missing: what was found; cannot tell: why
                                * not; OK: a note, or NULL */
  GStrv         workflows;     /* the workflows that need it */
  int           error_code;    /* missing: the CcError code Starting fails with */
  gboolean      blocks_start;  /* missing: FALSE when the workflows work without
                                * it (the why says how) */
} CcCheckItem;

#define CC_TYPE_CHECK_ITEM (cc_check_item_get_type ())
GType        cc_check_item_get_type (void) G_GNUC_CONST;
CcCheckItem *cc_check_item_copy     (const CcCheckItem *item);
void         cc_check_item_free     (CcCheckItem       *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcCheckItem, cc_check_item_free)

#define CC_TYPE_CHECK_REPORT (cc_check_report_get_type ())
G_DECLARE_FINAL_TYPE (CcCheckReport, cc_check_report, CC, CHECK_REPORT, GObject)

CcCheckReport     *cc_check_report_new           (void);
/* Items added from now on are needed by @workflow_id (NULL: by none in
 * particular, such as signing in before any workflow is checked). */
void               cc_check_report_set_workflow  (CcCheckReport  *self,
                                                  const char     *workflow_id);

/* Adds the item @id, or when it is there already (a prerequisite of two
 * workflows) adds the current workflow to it and keeps what it says. */
void               cc_check_report_ok            (CcCheckReport  *self,
                                                  const char     *id,
                                                  const char     *label,
                                                  const char     *note);
void               cc_check_report_missing       (CcCheckReport  *self,
                                                  const char     *id,
                                                  const char     *label,
                                                  int             error_code,
                                                  const char     *why,
                                                  const char     *what_to_do);
/* Missing from the data model (CC_ERROR_SCHEMA) when @why is set, else
 * OK: the outcome of comparing a configuration with a schema. */
void               cc_check_report_schema        (CcCheckReport  *self,
                                                  const char     *id,
                                                  const char     *label,
                                                  const char     *why,
                                                  const char     *what_to_do);
/* A missing item the workflows work without: @why says how. */
void               cc_check_report_missing_with_fallback (CcCheckReport *self,
                                                  const char     *id,
                                                  const char     *label,
                                                  const char     *why,
                                                  const char     *what_to_do);
void               cc_check_report_cannot_tell   (CcCheckReport  *self,
                                                  const char     *id,
                                                  const char     *label,
                                                  const char     *why);
/* Cannot tell because of @error; a transient one (CC_ERROR_TRANSIENT) is
 * kept too, for Starting to try again after a while. */
void               cc_check_report_failed        (CcCheckReport  *self,
                                                  const char     *id,
                                                  const char     *label,
                                                  const GError   *error);

/* When the item @id is there, adds the current workflow to it and
 * returns TRUE: a prerequisite checked for another workflow already. */
gboolean           cc_check_report_tag           (CcCheckReport  *self,
                                                  const char     *id);

/* CcCheckItem*, in the order they were first added. */
GPtrArray         *cc_check_report_get_items     (CcCheckReport  *self);
const CcCheckItem *cc_check_report_find          (CcCheckReport  *self,
                                                  const char     *id);
guint              cc_check_report_count         (CcCheckReport  *self,
                                                  CcCheckState    state);
/* The first missing item that stops a workflow from starting, or NULL. */
const CcCheckItem *cc_check_report_first_blocking (CcCheckReport *self);
/* What Starting makes of the report: TRUE when nothing stops the
 * workflow; else FALSE with the first transient trouble
 * (CC_ERROR_TRANSIENT: try again), or else the first blocking item (its
 * error code, its why and what to do). */
gboolean           cc_check_report_to_error      (CcCheckReport  *self,
                                                  GError        **error);

G_END_DECLS
