/* units.c - durations, percentages and counts as scenario files write them. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "faultline/errors.h"
#include "faultline/units.h"

static const struct {
  const char *name;
  double seconds;
} duration_units[] = {
  { "ms", 1e-3 },
  { "s", 1.0 },
  { "min", FL_SECONDS_PER_MINUTE },
  { "h", FL_SECONDS_PER_HOUR },
  { "d", FL_SECONDS_PER_DAY },
  { "w", 7.0 * FL_SECONDS_PER_DAY },
  { "y", FL_SECONDS_PER_YEAR },
};

#define DURATION_HINT "a number and a unit: ms, s, min, h, d, w or y (for example 90d, 10min, 1.5h)"

gboolean
fl_read_number(const char *text, double *out, const char **rest)
{
  const char *p = text;
  while (g_ascii_isspace(*p))
    p++;
  const char *start = p;
  if (*p == '+' || *p == '-')
    p++;
  if (!g_ascii_isdigit(*p) && !(*p == '.' && g_ascii_isdigit(p[1])))
    return FALSE;
  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
    return FALSE;
  char *end = NULL;
  errno = 0;
  double v = g_ascii_strtod(start, &end);
  if (end == start)
    return FALSE;
  while (g_ascii_isspace(*end))
    end++;
  *out = v;
  *rest = end;
  return TRUE;
}

gboolean
fl_parse_duration(const char *text, gboolean allow_zero, double *out_s, GError **error)
{
  double v;
  const char *rest;
  if (text == NULL || !fl_read_number(text, &v, &rest)) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "'%s' is not a duration; expected %s", text ? text : "", DURATION_HINT);
    return FALSE;
  }
  while (g_ascii_isspace(*rest))
    rest++;
  size_t len = strlen(rest);
  while (len > 0 && g_ascii_isspace(rest[len - 1]))
    len--;
  if (len == 0 && v == 0.0) { /* zero is zero in any unit: "ttl = 0" */
    if (!allow_zero) {
      g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                  "duration '%s' must be more than zero", text);
      return FALSE;
    }
    *out_s = 0.0;
    return TRUE;
  }
  if (len == 0) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "duration '%s' has no unit; expected %s", text, DURATION_HINT);
    return FALSE;
  }
  if (len == 1 && rest[0] == 'm') {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "unit 'm' in '%s' is ambiguous; write 'min' for minutes (months are not a unit: "
                "use d or y)", text);
    return FALSE;
  }
  double scale = 0.0;
  for (size_t i = 0; i < G_N_ELEMENTS(duration_units); i++) {
    if (strlen(duration_units[i].name) == len && strncmp(rest, duration_units[i].name, len) == 0)
      scale = duration_units[i].seconds;
  }
  if (scale == 0.0) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "unknown unit '%.*s' in duration '%s'; expected %s", (int)len, rest, text,
                DURATION_HINT);
    return FALSE;
  }
  double s = v * scale;
  if (!isfinite(v) || !isfinite(s) || s > FL_MAX_DURATION_S) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "duration '%s' is too large; the most any key accepts is 1000000y", text);
    return FALSE;
  }
  if (s < 0.0 || (s == 0.0 && !allow_zero)) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "duration '%s' must be %s", text, allow_zero ? "zero or more" : "more than zero");
    return FALSE;
  }
  *out_s = s;
  return TRUE;
}

gboolean
fl_parse_percent(const char *text, gboolean allow_fraction, double *out_fraction, GError **error)
{
  double v;
  const char *rest;
  if (text == NULL || !fl_read_number(text, &v, &rest)) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "'%s' is not a percentage; expected a number and %%, for example 99.95%%",
                text ? text : "");
    return FALSE;
  }
  while (g_ascii_isspace(*rest))
    rest++;
  gboolean percent = (*rest == '%');
  if (percent)
    rest++;
  while (g_ascii_isspace(*rest))
    rest++;
  if (*rest != '\0' || (!percent && !allow_fraction)) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "'%s' is not a percentage; expected a number and %%, for example 99.95%%", text);
    return FALSE;
  }
  double f = percent ? v / 100.0 : v;
  if (!isfinite(f) || f < 0.0 || f > 1.0) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "percentage '%s' is outside 0%%..100%%", text);
    return FALSE;
  }
  *out_fraction = f;
  return TRUE;
}

gboolean
fl_parse_int(const char *text, int64_t min, int64_t max, int64_t *out, GError **error)
{
  const char *p = text ? text : "";
  while (g_ascii_isspace(*p))
    p++;
  char *end = NULL;
  errno = 0;
  gint64 v = g_ascii_strtoll(p, &end, 10);
  gboolean ok = (end != p) && g_ascii_isdigit(p[*p == '-' || *p == '+'])
                && errno != ERANGE;
  if (ok) {
    while (g_ascii_isspace(*end))
      end++;
    ok = (*end == '\0');
  }
  if (!ok && errno == ERANGE && end != p && *end == '\0') { /* digits, just too many */
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "%s is out of range; expected %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT, p,
                (gint64)min, (gint64)max);
    return FALSE;
  }
  if (!ok) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "'%s' is not a whole number; expected one from %" G_GINT64_FORMAT
                " to %" G_GINT64_FORMAT, p, (gint64)min, (gint64)max);
    return FALSE;
  }
  if (v < min || v > max) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "%" G_GINT64_FORMAT " is out of range; expected %" G_GINT64_FORMAT
                " to %" G_GINT64_FORMAT, (gint64)v, (gint64)min, (gint64)max);
    return FALSE;
  }
  *out = v;
  return TRUE;
}

gboolean
fl_parse_real(const char *text, double min, double max, double *out, GError **error)
{
  double v;
  const char *rest;
  if (text == NULL || !fl_read_number(text, &v, &rest)) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "'%s' is not a number; expected one from %g to %g", text ? text : "", min, max);
    return FALSE;
  }
  while (g_ascii_isspace(*rest))
    rest++;
  if (*rest != '\0' || !isfinite(v) || v < min || v > max) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "'%s' is not a number from %g to %g", text, min, max);
    return FALSE;
  }
  *out = v;
  return TRUE;
}

char *
fl_format_duration(double s)
{
  if (s < 1.0)
    return g_strdup_printf("%.0f ms", s * 1e3);
  if (s < 120.0)
    return g_strdup_printf("%.1f s", s);
  if (s < 2 * FL_SECONDS_PER_HOUR)
    return g_strdup_printf("%.1f min", s / FL_SECONDS_PER_MINUTE);
  if (s < 2 * FL_SECONDS_PER_DAY)
    return g_strdup_printf("%.1f h", s / FL_SECONDS_PER_HOUR);
  if (s < FL_SECONDS_PER_YEAR)
    return g_strdup_printf("%.1f d", s / FL_SECONDS_PER_DAY);
  return g_strdup_printf("%.2f y", s / FL_SECONDS_PER_YEAR);
}

char *
fl_format_clock(double s)
{
  if (s < 0)
    s = 0;
  guint64 total = (guint64)floor(s);
  guint64 days = total / 86400, rem = total % 86400;
  if (days > 0)
    return g_strdup_printf("%" G_GUINT64_FORMAT "d %02u:%02u:%02u", days, (unsigned)(rem / 3600),
                           (unsigned)(rem % 3600 / 60), (unsigned)(rem % 60));
  return g_strdup_printf("%02u:%02u:%02u", (unsigned)(rem / 3600), (unsigned)(rem % 3600 / 60),
                         (unsigned)(rem % 60));
}
