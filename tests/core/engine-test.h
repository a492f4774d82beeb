/* engine-test.h — g_test_add() set-up and tear-down of an EngineFixture
 * (ingress-fixture.h) for tests that only choose how many contacts the
 * sandbox seeds.
 */
#pragma once

#include "ingress-fixture.h"

G_BEGIN_DECLS

/* @data is the number of contacts, as GUINT_TO_POINTER. */
void  engine_test_setup     (EngineFixture *fixture,
                             gconstpointer  data);
void  engine_test_teardown  (EngineFixture *fixture,
                             gconstpointer  data);

/* Adds the test @func at @path on an engine with @contacts contacts. */
#define ENGINE_TEST_ADD(path, contacts, func) \
  g_test_add (path, EngineFixture, GUINT_TO_POINTER (contacts), \
              engine_test_setup, func, engine_test_teardown)

G_END_DECLS
