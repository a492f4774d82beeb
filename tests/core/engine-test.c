/* engine-test.c — set-up and tear-down of the engine tests that seed a
 * number of contacts and nothing else. */
#include "engine-test.h"

void
engine_test_setup (EngineFixture *fixture,
                   gconstpointer  data)
{
  engine_fixture_setup (fixture, GPOINTER_TO_UINT (data), 0);
}

void
engine_test_teardown (EngineFixture *fixture,
                      gconstpointer  data)
{
  engine_fixture_teardown (fixture);
}
