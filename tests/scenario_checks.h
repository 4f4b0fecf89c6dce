/* scenario_checks.h - the assertions the scenario-language suites share (check_scenario.c,
 * check_scenario_mr.c, check_scenario_hz.c): load a text that must be valid, or one that must
 * fail with a given error code and a message in the house style (what, where, what would be
 * valid; lowercase start, no full stop, one line; exit code 2 at the command line).
 * Header-only, for Check test programs only.
 */
#ifndef FAULTLINE_TESTS_SCENARIO_CHECKS_H
#define FAULTLINE_TESTS_SCENARIO_CHECKS_H

#include <check.h>
#include <glib.h>
#include <string.h>

#include "faultline/errors.h"
#include "faultline/scenario.h"

/* Loads @text, which must be valid; @line is the caller's, for the failure report. */
static G_GNUC_UNUSED FlScenario *
load_ok_at(int line, const char *text)
{
  g_autoptr(GError) error = NULL;
  FlScenario *sc = fl_scenario_load_data(text, strlen(text), "test.ini", NULL, &error);
  ck_assert_msg(sc != NULL, "line %d: unexpected error: %s", line, error ? error->message : "?");
  return sc;
}
#define LOAD_OK(text) load_ok_at(__LINE__, (text))

/* @error must be FL_SCENARIO_ERROR @code with every string of @needles (NULL-terminated) in a
 * one-line message in the house style. */
static G_GNUC_UNUSED void
check_error(int line, const GError *error, int code, const char *const *needles)
{
  ck_assert_msg(error != NULL, "line %d: no error", line);
  ck_assert_msg(error->domain == FL_SCENARIO_ERROR, "line %d: domain %s", line,
                g_quark_to_string(error->domain));
  ck_assert_msg(error->code == code, "line %d: code %d, expected %d: %s", line, error->code,
                code, error->message);
  if (g_getenv("FL_TEST_VERBOSE")) /* to review the wording of every message */
    g_printerr("%d: %s\n", line, error->message);
  for (guint i = 0; needles[i]; i++)
    ck_assert_msg(strstr(error->message, needles[i]) != NULL, "line %d: '%s' not in: %s", line,
                  needles[i], error->message);
  /* Style (git's "Error Messages"): lowercase start, no full stop, one line. */
  ck_assert_msg(!g_ascii_isupper(error->message[0]), "line %d: capital start: %s", line,
                error->message);
  ck_assert_msg(!g_str_has_suffix(error->message, "."), "line %d: full stop: %s", line,
                error->message);
  ck_assert_msg(strchr(error->message, '\n') == NULL, "line %d: two lines: %s", line,
                error->message);
  /* Every scenario error is exit code 2 at the command line. */
  ck_assert_int_eq(fl_exit_code_for_error(error), FL_EXIT_USAGE);
}

/* Loads @length bytes of @text, which must fail as check_error() says. */
static G_GNUC_UNUSED void
expect_error_len(int line, const char *text, gsize length, int code,
                 const char *const *needles)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlScenario) sc = fl_scenario_load_data(text, length, "test.ini", NULL, &error);
  ck_assert_msg(sc == NULL, "line %d: loaded but should have failed", line);
  check_error(line, error, code, needles);
}
#define EXPECT_ERROR(text, code, ...)                                                           \
  expect_error_len(__LINE__, (text), strlen(text), (code),                                      \
                   (const char *const[]){ __VA_ARGS__, NULL })

#endif
