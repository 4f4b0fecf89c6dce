/* check_units.c - unit tests for units.h: durations, percentages, numbers and their formatting.
 *
 * Parsed values are compared exactly where the arithmetic is exact (whole numbers of seconds)
 * and otherwise to a few ulps (REL_ULPS), the rounding of one multiply by a unit's length.
 */
#include "config.h"

#include <check.h>
#include <float.h>
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "faultline/errors.h"
#include "faultline/units.h"

#define REL_ULPS (4 * DBL_EPSILON)

static void
assert_duration(const char *text, gboolean allow_zero, double expected_s)
{
  g_autoptr(GError) error = NULL;
  double s = -1.0;
  gboolean ok = fl_parse_duration(text, allow_zero, &s, &error);
  ck_assert_msg(ok, "'%s' should parse: %s", text, error ? error->message : "?");
  ck_assert_ptr_null(error);
  ck_assert_msg(fabs(s - expected_s) <= REL_ULPS * fabs(expected_s),
                "'%s' gave %.17g s, expected %.17g s", text, s, expected_s);
}

/* Asserts that @text is rejected with FL_SCENARIO_ERROR_VALUE and a message containing
 * @needle (when not NULL). */
static void
assert_duration_error(const char *text, gboolean allow_zero, const char *needle)
{
  g_autoptr(GError) error = NULL;
  double s = 0.0;
  ck_assert_msg(!fl_parse_duration(text, allow_zero, &s, &error),
                "'%s' should be rejected (got %g)", text ? text : "(null)", s);
  ck_assert_ptr_nonnull(error);
  ck_assert_msg(g_error_matches(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE),
                "'%s': wrong error domain or code %d", text ? text : "(null)", error->code);
  ck_assert_msg(needle == NULL || strstr(error->message, needle) != NULL,
                "'%s': message '%s' lacks '%s'", text ? text : "(null)", error->message, needle);
}

/* --- durations --- */

START_TEST(test_duration_units)
{
  assert_duration("1ms", FALSE, 1e-3);
  assert_duration("250ms", FALSE, 0.25);
  assert_duration("1s", FALSE, 1.0);
  assert_duration("42s", FALSE, 42.0);
  assert_duration("1min", FALSE, 60.0);
  assert_duration("10min", FALSE, 600.0);
  assert_duration("1h", FALSE, 3600.0);
  assert_duration("1.5h", FALSE, 5400.0);
  assert_duration("1d", FALSE, 86400.0);
  assert_duration("90d", FALSE, 90.0 * 86400.0);
  assert_duration("0.5d", FALSE, 43200.0);
  assert_duration("1w", FALSE, 604800.0);
  assert_duration("1y", FALSE, 31536000.0);
  assert_duration("1e3s", FALSE, 1000.0);
  assert_duration("2.5e-1h", FALSE, 900.0);
  ck_assert_double_eq(FL_SECONDS_PER_YEAR, 31536000.0);
}
END_TEST

/* 1 y is exactly 365 d (8760 h), not 365.25 d. */
START_TEST(test_duration_year_is_365_days)
{
  double y = 0.0, d = 0.0, h = 0.0;
  ck_assert(fl_parse_duration("1y", FALSE, &y, NULL));
  ck_assert(fl_parse_duration("365d", FALSE, &d, NULL));
  ck_assert(fl_parse_duration("8760h", FALSE, &h, NULL));
  ck_assert_double_eq(y, d);
  ck_assert_double_eq(y, h);
  double w = 0.0, days = 0.0;
  ck_assert(fl_parse_duration("52w", FALSE, &w, NULL));
  ck_assert(fl_parse_duration("364d", FALSE, &days, NULL));
  ck_assert_double_eq(w, days);
}
END_TEST

START_TEST(test_duration_whitespace)
{
  assert_duration(" 90d", FALSE, 90.0 * 86400.0);
  assert_duration("90d ", FALSE, 90.0 * 86400.0);
  assert_duration("10 min", FALSE, 600.0);
  assert_duration("\t2h\n", FALSE, 7200.0);
  assert_duration("  3 w  ", FALSE, 3.0 * 604800.0);
  assert_duration("1.5 \t s", FALSE, 1.5);
}
END_TEST

/* A bare "m" could mean minutes or months: rejected, and the message points to "min". */
START_TEST(test_duration_bare_m)
{
  assert_duration_error("5m", FALSE, "min");
  assert_duration_error("5 m", FALSE, "min");
  assert_duration_error("0m", TRUE, "min");
  assert_duration_error("5m", FALSE, "ambiguous");
}
END_TEST

START_TEST(test_duration_unknown_unit)
{
  static const char *const bad[] = { "5 mins", "5sec", "5 months", "5 hours", "5hh",
                                     "5min extra", "5 h h", "5x", "5%", "5 ns", "5ms2" };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++)
    assert_duration_error(bad[i], FALSE, "ms, s, min, h, d, w or y");
  assert_duration_error("5 fortnights", FALSE, "fortnights");
}
END_TEST

START_TEST(test_duration_missing_unit)
{
  assert_duration_error("5", FALSE, "no unit");
  assert_duration_error("5  ", FALSE, "no unit");
  assert_duration_error("1.5", FALSE, "no unit");
  assert_duration_error("0.5", TRUE, "no unit");
}
END_TEST

/* Zero needs no unit where zero is allowed ("ttl = 0"); where it is not, the message says
 * that, not that a unit is missing. */
START_TEST(test_duration_bare_zero)
{
  assert_duration("0", TRUE, 0.0);
  assert_duration(" 0 ", TRUE, 0.0);
  assert_duration("0.0", TRUE, 0.0);
  assert_duration("0s", TRUE, 0.0);
  assert_duration_error("0", FALSE, "must be more than zero");
  assert_duration_error("0.0", FALSE, "must be more than zero");
  double s = -1.0;
  ck_assert(fl_parse_duration("-0", TRUE, &s, NULL));
  ck_assert(s == 0.0 && !signbit(s));
}
END_TEST

START_TEST(test_duration_not_a_number)
{
  static const char *const bad[] = { "", "   ", "h", "min", "abc", "min5", "-h", ".h", "--5s" };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++)
    assert_duration_error(bad[i], FALSE, "ms, s, min, h, d, w or y");
  assert_duration_error(NULL, FALSE, NULL);
}
END_TEST

START_TEST(test_duration_negative)
{
  assert_duration_error("-5s", FALSE, "more than zero");
  assert_duration_error("-1h", TRUE, "zero or more");
  assert_duration_error("-0.001ms", TRUE, NULL);
  assert_duration_error(" -3 d", FALSE, NULL);
}
END_TEST

/* Zero is valid only with allow_zero. */
START_TEST(test_duration_zero)
{
  assert_duration_error("0s", FALSE, "more than zero");
  assert_duration_error("0ms", FALSE, NULL);
  assert_duration_error("0.0h", FALSE, NULL);
  assert_duration("0s", TRUE, 0.0);
  assert_duration("0ms", TRUE, 0.0);
  assert_duration("0.0 h", TRUE, 0.0);
  assert_duration("0y", TRUE, 0.0);
}
END_TEST

/* strtod would accept these; durations must not. */
START_TEST(test_duration_nan_inf_hex)
{
  static const char *const bad[] = { "nan s", "NaNs", "nanh", "NAN min", "inf h", "infs",
                                     "infinity s", "Infinity d", "-inf s", "+inf s", "0x10s",
                                     "0X10 s", "0x1p3s", "+0x10s", "-nan s" };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    assert_duration_error(bad[i], FALSE, NULL);
    assert_duration_error(bad[i], TRUE, NULL);
  }
}
END_TEST

/* The ceiling is FL_MAX_DURATION_S = 1e6 y; beyond it (or overflowing a double) is rejected. */
START_TEST(test_duration_overflow)
{
  assert_duration("1000000y", FALSE, FL_MAX_DURATION_S);
  assert_duration("365000000d", FALSE, FL_MAX_DURATION_S);
  assert_duration_error("1e400y", FALSE, "too large");
  assert_duration_error("1e400s", FALSE, "too large");
  assert_duration_error("1e308y", FALSE, "too large");
  assert_duration_error("2000000y", FALSE, "too large");
  assert_duration_error("1000001y", FALSE, "too large");
  assert_duration_error("365000001d", FALSE, "too large");
  assert_duration_error("52142858w", FALSE, "too large");
  assert_duration_error("1e14s", TRUE, "too large");
  ck_assert_double_eq(FL_MAX_DURATION_S, 1e6 * 365.0 * 86400.0);
}
END_TEST

/* --- percentages --- */

static void
assert_percent(const char *text, gboolean allow_fraction, double expected)
{
  g_autoptr(GError) error = NULL;
  double f = -1.0;
  ck_assert_msg(fl_parse_percent(text, allow_fraction, &f, &error), "'%s' should parse: %s", text,
                error ? error->message : "?");
  ck_assert_msg(fabs(f - expected) <= REL_ULPS * fabs(expected), "'%s' gave %.17g, expected %.17g",
                text, f, expected);
}

static void
assert_percent_error(const char *text, gboolean allow_fraction, const char *needle)
{
  g_autoptr(GError) error = NULL;
  double f = 0.0;
  ck_assert_msg(!fl_parse_percent(text, allow_fraction, &f, &error),
                "'%s' should be rejected (got %g)", text ? text : "(null)", f);
  ck_assert_msg(g_error_matches(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE),
                "'%s': wrong error", text ? text : "(null)");
  ck_assert_msg(needle == NULL || strstr(error->message, needle) != NULL,
                "'%s': message '%s' lacks '%s'", text ? text : "(null)", error->message, needle);
}

START_TEST(test_percent_valid)
{
  assert_percent("99.95%", FALSE, 0.9995);
  assert_percent("99.95%", TRUE, 0.9995);
  assert_percent("50%", FALSE, 0.5);
  assert_percent("100%", FALSE, 1.0);
  assert_percent("0%", FALSE, 0.0);
  assert_percent("99.999%", FALSE, 0.99999);
  assert_percent(" 99.9%", FALSE, 0.999);
  /* A bare fraction only when allowed. */
  assert_percent("0.9995", TRUE, 0.9995);
  assert_percent("1", TRUE, 1.0);
  assert_percent("0", TRUE, 0.0);
  assert_percent_error("0.9995", FALSE, "99.95%");
}
END_TEST

START_TEST(test_percent_out_of_range)
{
  assert_percent_error("100.01%", FALSE, "outside");
  assert_percent_error("150%", TRUE, "outside");
  assert_percent_error("-1%", FALSE, "outside");
  assert_percent_error("-0.5%", TRUE, "outside");
  assert_percent_error("1.5", TRUE, "outside");
  assert_percent_error("99.95", TRUE, "outside");
  assert_percent_error("1e400%", FALSE, NULL);
}
END_TEST

START_TEST(test_percent_garbage)
{
  static const char *const bad[] = { "", "%", "abc", "abc%", "99.95%%", "99.95%x", "nan%",
                                     "inf%", "0x10%", "99.95 percent", "%99" };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    assert_percent_error(bad[i], FALSE, "percentage");
    assert_percent_error(bad[i], TRUE, NULL);
  }
  assert_percent_error(NULL, TRUE, NULL);
}
END_TEST

/* --- whole and real numbers --- */

START_TEST(test_int)
{
  int64_t v = -1;
  ck_assert(fl_parse_int("42", 0, 100, &v, NULL));
  ck_assert_int_eq(v, 42);
  ck_assert(fl_parse_int(" 7 ", 0, 100, &v, NULL));
  ck_assert_int_eq(v, 7);
  ck_assert(fl_parse_int("-3", -10, 10, &v, NULL));
  ck_assert_int_eq(v, -3);
  /* Bounds are inclusive. */
  ck_assert(fl_parse_int("0", 0, 100, &v, NULL));
  ck_assert_int_eq(v, 0);
  ck_assert(fl_parse_int("100", 0, 100, &v, NULL));
  ck_assert_int_eq(v, 100);
  ck_assert(fl_parse_int("9223372036854775807", 0, INT64_MAX, &v, NULL));
  ck_assert_int_eq(v, INT64_MAX);
  ck_assert(fl_parse_int("-9223372036854775808", INT64_MIN, 0, &v, NULL));
  ck_assert_int_eq(v, INT64_MIN);
}
END_TEST

START_TEST(test_int_errors)
{
  static const char *const bad[] = { "", " ", "abc", "4.2", "12abc", "0x10", "1e3", "- 5",
                                     "5 5", "nan", "inf" };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) error = NULL;
    int64_t v = 0;
    ck_assert_msg(!fl_parse_int(bad[i], INT64_MIN, INT64_MAX, &v, &error),
                  "'%s' should be rejected", bad[i]);
    ck_assert(g_error_matches(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE));
    ck_assert_ptr_nonnull(strstr(error->message, "whole number"));
  }
  /* Digits beyond 64 bits: out of range, not "not a whole number". */
  static const char *const huge[] = { "9223372036854775808", "-9223372036854775809",
                                      "99999999999999999999" };
  for (guint i = 0; i < G_N_ELEMENTS(huge); i++) {
    g_autoptr(GError) error = NULL;
    int64_t v = 0;
    ck_assert(!fl_parse_int(huge[i], INT64_MIN, INT64_MAX, &v, &error));
    ck_assert(g_error_matches(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE));
    ck_assert_msg(strstr(error->message, "out of range") != NULL, "%s", error->message);
  }
  g_autoptr(GError) error = NULL;
  int64_t v = 0;
  ck_assert(!fl_parse_int("101", 0, 100, &v, &error));
  ck_assert(g_error_matches(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE));
  ck_assert_ptr_nonnull(strstr(error->message, "out of range"));
  g_clear_error(&error);
  ck_assert(!fl_parse_int("-1", 0, 100, &v, &error));
  ck_assert_ptr_nonnull(strstr(error->message, "out of range"));
  g_clear_error(&error);
  ck_assert(!fl_parse_int(NULL, 0, 100, &v, &error));
  ck_assert(g_error_matches(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE));
}
END_TEST

START_TEST(test_real)
{
  double v = -1.0;
  ck_assert(fl_parse_real("0.8", 0.0, 5.0, &v, NULL));
  ck_assert_double_eq(v, 0.8);
  ck_assert(fl_parse_real("5", 0.0, 5.0, &v, NULL));
  ck_assert_double_eq(v, 5.0);
  ck_assert(fl_parse_real("0", 0.0, 5.0, &v, NULL));
  ck_assert_double_eq(v, 0.0);
  ck_assert(fl_parse_real(" 2.5 ", 0.0, 5.0, &v, NULL));
  ck_assert_double_eq(v, 2.5);
  ck_assert(fl_parse_real("1e-3", 0.0, 5.0, &v, NULL));
  ck_assert_double_eq(v, 1e-3);
  ck_assert(fl_parse_real("-2.5", -3.0, 0.0, &v, NULL));
  ck_assert_double_eq(v, -2.5);
}
END_TEST

START_TEST(test_real_errors)
{
  static const char *const bad[] = { "", "abc", "1.5x", "5.0001", "-0.1", "nan", "inf",
                                     "-inf", "1e400", "0x1p1", "1,5", "2 3" };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) error = NULL;
    double v = 0.0;
    ck_assert_msg(!fl_parse_real(bad[i], 0.0, 5.0, &v, &error), "'%s' should be rejected",
                  bad[i]);
    ck_assert(g_error_matches(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE));
    /* The message says what range would be valid. */
    ck_assert_msg(strstr(error->message, "0 to 5") != NULL, "message '%s'", error->message);
  }
  g_autoptr(GError) error = NULL;
  double v = 0.0;
  ck_assert(!fl_parse_real(NULL, 0.0, 5.0, &v, &error));
  ck_assert(g_error_matches(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE));
}
END_TEST

/* --- formatting --- */

static void
assert_formatted(double seconds, const char *expected)
{
  g_autofree char *s = fl_format_duration(seconds);
  ck_assert_str_eq(s, expected);
}

/* The header's examples, one per unit, and the unit boundaries (120 s, 2 h, 2 d, 1 y). */
START_TEST(test_format_duration)
{
  assert_formatted(0.042, "42 ms");
  assert_formatted(0.0, "0 ms");
  assert_formatted(12.5, "12.5 s");
  assert_formatted(1.0, "1.0 s");
  assert_formatted(3.2 * 60, "3.2 min");
  assert_formatted(4.1 * 3600, "4.1 h");
  assert_formatted(2.3 * 86400, "2.3 d");
  assert_formatted(119.0, "119.0 s");
  assert_formatted(120.0, "2.0 min");
  assert_formatted(7200.0, "2.0 h");
  assert_formatted(2 * 86400.0, "2.0 d");
  /* Years: the header shows "1.5 y"; the value and unit must read back, whatever the number of
   * decimals. */
  g_autofree char *y = fl_format_duration(1.5 * FL_SECONDS_PER_YEAR);
  ck_assert_msg(g_str_has_suffix(y, " y"), "'%s' should be in years", y);
  ck_assert_double_eq(g_ascii_strtod(y, NULL), 1.5);
}
END_TEST

/* What is printed parses back (fl_parse_duration accepts the space) to the value, within half
 * a unit of the last printed digit. */
START_TEST(test_format_duration_round_trip)
{
  static const struct {
    double seconds, half_digit_s;
  } cases[] = {
    { 0.0421, 0.5e-3 },
    { 12.54, 0.05 },
    { 3.24 * 60, 0.05 * 60 },
    { 4.14 * 3600, 0.05 * 3600 },
    { 2.34 * 86400, 0.05 * 86400 },
    { 1.504 * FL_SECONDS_PER_YEAR, 0.05 * FL_SECONDS_PER_YEAR },
    { 1000.0 * FL_SECONDS_PER_YEAR, 0.05 * FL_SECONDS_PER_YEAR },
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *text = fl_format_duration(cases[i].seconds);
    double back = 0.0;
    g_autoptr(GError) error = NULL;
    ck_assert_msg(fl_parse_duration(text, TRUE, &back, &error), "'%s' does not parse back: %s",
                  text, error ? error->message : "?");
    ck_assert_msg(fabs(back - cases[i].seconds) <= cases[i].half_digit_s * (1 + 1e-9),
                  "%.17g s printed as '%s'", cases[i].seconds, text);
  }
}
END_TEST

static void
assert_clock(double seconds, const char *expected)
{
  g_autofree char *s = fl_format_clock(seconds);
  ck_assert_str_eq(s, expected);
}

START_TEST(test_format_clock)
{
  assert_clock(0.0, "00:00:00");
  assert_clock(59.9, "00:00:59");
  assert_clock(60.0, "00:01:00");
  assert_clock(3661.0, "01:01:01");
  assert_clock(86399.999, "23:59:59");
  assert_clock(86400.0, "1d 00:00:00");
  assert_clock(90061.0, "1d 01:01:01");
  assert_clock(10 * 86400.0 + 12 * 3600 + 34 * 60 + 56, "10d 12:34:56");
  assert_clock(400 * 86400.0 + 5, "400d 00:00:05");
}
END_TEST

static Suite *
units_suite(void)
{
  Suite *s = suite_create("units");

  TCase *tc = tcase_create("duration");
  tcase_add_test(tc, test_duration_units);
  tcase_add_test(tc, test_duration_year_is_365_days);
  tcase_add_test(tc, test_duration_whitespace);
  suite_add_tcase(s, tc);

  tc = tcase_create("duration errors");
  tcase_add_test(tc, test_duration_bare_m);
  tcase_add_test(tc, test_duration_unknown_unit);
  tcase_add_test(tc, test_duration_missing_unit);
  tcase_add_test(tc, test_duration_bare_zero);
  tcase_add_test(tc, test_duration_not_a_number);
  tcase_add_test(tc, test_duration_negative);
  tcase_add_test(tc, test_duration_zero);
  tcase_add_test(tc, test_duration_nan_inf_hex);
  tcase_add_test(tc, test_duration_overflow);
  suite_add_tcase(s, tc);

  tc = tcase_create("percent");
  tcase_add_test(tc, test_percent_valid);
  tcase_add_test(tc, test_percent_out_of_range);
  tcase_add_test(tc, test_percent_garbage);
  suite_add_tcase(s, tc);

  tc = tcase_create("numbers");
  tcase_add_test(tc, test_int);
  tcase_add_test(tc, test_int_errors);
  tcase_add_test(tc, test_real);
  tcase_add_test(tc, test_real_errors);
  suite_add_tcase(s, tc);

  tc = tcase_create("format");
  tcase_add_test(tc, test_format_duration);
  tcase_add_test(tc, test_format_duration_round_trip);
  tcase_add_test(tc, test_format_clock);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(units_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failures = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
