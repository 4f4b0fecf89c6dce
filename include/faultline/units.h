/* units.h - the value syntax of scenario files: durations, percentages, counts.
 *
 * Owns: parsing and formatting of "90d", "10min", "99.95%", "3". All times inside faultline are
 * seconds held in a double (1 y = 365 d = 8760 h = 31,536,000 s).
 *
 * Errors are FL_SCENARIO_ERROR_VALUE with a message that says what is wrong and what would be
 * valid; the caller prefixes where (file, group, key).
 */
#ifndef FAULTLINE_UNITS_H
#define FAULTLINE_UNITS_H

#include <glib.h>
#include <stdint.h>

#define FL_SECONDS_PER_MINUTE 60.0
#define FL_SECONDS_PER_HOUR 3600.0
#define FL_SECONDS_PER_DAY 86400.0
#define FL_SECONDS_PER_YEAR (365.0 * 86400.0)
/* Longest duration any key accepts: a million years. Larger values are almost surely typos and
 * would overflow event times when added to a horizon. */
#define FL_MAX_DURATION_S (1e6 * FL_SECONDS_PER_YEAR)

/* Reads a decimal number at the start of @text (after blanks) with g_ascii_strtod, so the
 * locale never matters: an optional sign, digits, a point, an exponent — but not hex, inf or
 * nan, which strtod would accept. Sets *@out (infinite when the number overflows: callers say
 * "too large") and *@rest just past the number and any blanks. FALSE when no number starts
 * there. The one number reader of every value parser (durations, sizes, rates, coordinates). */
gboolean fl_read_number(const char *text, double *out, const char **rest);

/* Parses "<number><unit>" with unit one of ms s min h d w y (whitespace between allowed) into
 * seconds. A bare "m" is rejected as ambiguous (minutes or months?). Rejects negative, NaN,
 * infinite and over-large values; zero only when @allow_zero. Returns FALSE and sets @error. */
gboolean fl_parse_duration(const char *text, gboolean allow_zero, double *out_s, GError **error);

/* Parses "99.95%" (or a bare fraction 0..1 like "0.9995" when @allow_fraction) into a
 * fraction in [0, 1]. */
gboolean fl_parse_percent(const char *text, gboolean allow_fraction, double *out_fraction,
                          GError **error);

/* Parses a whole decimal number in [min, max]. */
gboolean fl_parse_int(const char *text, int64_t min, int64_t max, int64_t *out, GError **error);

/* Parses a finite decimal real number in [min, max]. */
gboolean fl_parse_real(const char *text, double min, double max, double *out, GError **error);

/* Formats seconds for people: "42 ms", "12.5 s", "3.2 min", "4.1 h", "2.3 d", "1.50 y".
 * Returns a newly allocated string (transfer full). */
char *fl_format_duration(double seconds);

/* Formats a time since the start of a replication as "HH:MM:SS" (or "Nd HH:MM:SS" past a day).
 * (transfer full) */
char *fl_format_clock(double seconds);

#endif
