/* setup-test.h — what the two files of test-setup-check share. */
#pragma once

#include "cc-test-util.h"
#include "ingress-fixture.h"

G_BEGIN_DECLS

#define DEADLINE 60

/* The setup check of @workflow_id (NULL: all), as the engine runs it. */
CcCheckReport *check (EngineFixture *fixture,
                      const char    *workflow_id);

/* test-setup-prepare.c */
void test_prepare_activity_tables (void);
void test_prepare_with_prefix     (void);
void test_prepare_refused         (void);

G_END_DECLS
