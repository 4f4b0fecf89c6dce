/* check_dist.c - unit tests for dist.h: the distribution syntax, its errors, the exact moments
 * and the samplers.
 *
 * For each law the test computes the textbook mean, variance and 4th central moment itself
 * and checks fl_dist_mean/fl_dist_variance against them (to rounding), then draws N_DRAWS
 * samples with a fixed seed and checks:
 *   - the sample mean within K_SIGMA standard errors, SE = sqrt(var / n);
 *   - the sample variance s^2 within K_SIGMA standard deviations of s^2, from the exact
 *     Var(s^2) = mu4 / n - sigma^4 (n - 3) / (n (n - 1)) (mu4 the 4th central moment; every law
 *     here has a finite 8th moment, so s^2 is close to normal at this n);
 *   - the Kolmogorov-Smirnov distance against the exact CDF within the DKW-Massart bound
 *     sqrt(ln(2 / alpha) / (2 n)), alpha = 1e-9, valid for every n.
 * K_SIGMA = 6 is a two-sided normal false-alarm rate of 2e-9 per check.
 */
#include "config.h"

#include <check.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "faultline/dist.h"
#include "faultline/errors.h"
#include "faultline/units.h"

#define K_SIGMA 6.0
#define N_DRAWS 400000
#define ALPHA 1e-9
#define REL_EXACT 1e-12 /* rounding of closed-form moments */
/* Upper 1e-9 quantile of chi-square with 3 degrees of freedom (mpmath). */
#define CHI2_DF3_1E9 44.8412753306

static FlDist *
parse_ok(const char *text)
{
  g_autoptr(GError) error = NULL;
  FlDist *d = fl_dist_parse(text, NULL, &error);
  ck_assert_msg(d != NULL, "'%s' should parse: %s", text, error ? error->message : "?");
  ck_assert_ptr_null(error);
  return d;
}

/* Asserts that @text is rejected with @code and a message containing @needle (if not NULL). */
static void
assert_parse_error(const char *text, const char *base_dir, int code, const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDist) d = fl_dist_parse(text, base_dir, &error);
  ck_assert_msg(d == NULL, "'%s' should be rejected", text ? text : "(null)");
  ck_assert_msg(error != NULL, "'%s': no error set", text ? text : "(null)");
  ck_assert_msg(error->domain == FL_SCENARIO_ERROR && error->code == code,
                "'%s': error code %d, expected %d (%s)", text ? text : "(null)", error->code, code,
                error->message);
  ck_assert_msg(needle == NULL || strstr(error->message, needle) != NULL,
                "'%s': message '%s' lacks '%s'", text ? text : "(null)", error->message, needle);
}

/* --- reference CDFs --- */

typedef struct {
  FlDistKind kind;
  double a, b; /* law parameters as in the spec, seconds */
} Law;

static double
normal_cdf(double z)
{
  return 0.5 * erfc(-z / sqrt(2.0));
}

/* Regularized lower incomplete gamma P(a, x): series for x < a + 1, else Lentz's continued
 * fraction for Q (Numerical Recipes 6.2). Checked against mpmath: P(0.5, 0.1) =
 * 0.345279153981423, P(2.5, 6) = 0.965212219493758 (see test_gamma_reference). */
static double
gamma_p(double a, double x)
{
  if (x <= 0.0)
    return 0.0;
  double front = exp(-x + a * log(x) - lgamma(a));
  if (x < a + 1.0) {
    double ap = a, del = 1.0 / a, sum = del;
    for (int n = 0; n < 10000 && fabs(del) > fabs(sum) * 1e-17; n++) {
      ap += 1.0;
      del *= x / ap;
      sum += del;
    }
    return sum * front;
  }
  double b = x + 1.0 - a, c = 1e300, d = 1.0 / b, h = d;
  for (int i = 1; i < 10000; i++) {
    double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    d = 1.0 / (fabs(d) < 1e-300 ? 1e-300 : d);
    c = b + an / c;
    c = fabs(c) < 1e-300 ? 1e-300 : c;
    h *= d * c;
    if (fabs(d * c - 1.0) < 1e-16)
      break;
  }
  return 1.0 - front * h;
}

static double
law_cdf(const Law *law, double x)
{
  if (x <= 0.0)
    return 0.0;
  switch (law->kind) {
  case FL_DIST_EXPONENTIAL:
    return -expm1(-x / law->a);
  case FL_DIST_WEIBULL:
    return -expm1(-pow(x / law->b, law->a));
  case FL_DIST_LOGNORMAL:
    return normal_cdf((log(x) - log(law->a)) / law->b);
  case FL_DIST_GAMMA:
    return gamma_p(law->a, x / law->b);
  case FL_DIST_UNIFORM:
    return x <= law->a ? 0.0 : x >= law->b ? 1.0 : (x - law->a) / (law->b - law->a);
  default:
    ck_abort_msg("no CDF for kind %d", law->kind);
  }
  return NAN;
}

/* Central moments from raw moments m1..m4. */
static void
central_from_raw(double m1, double m2, double m3, double m4, double *var, double *mu4)
{
  *var = m2 - m1 * m1;
  *mu4 = m4 - 4 * m3 * m1 + 6 * m2 * m1 * m1 - 3 * m1 * m1 * m1 * m1;
}

/* Textbook mean, variance and 4th central moment. */
static void
law_moments(const Law *law, double *mean, double *var, double *mu4)
{
  double a = law->a, b = law->b;
  switch (law->kind) {
  case FL_DIST_EXPONENTIAL: /* mean m: var m^2, mu4 = 9 m^4 */
    *mean = a;
    *var = a * a;
    *mu4 = 9 * a * a * a * a;
    return;
  case FL_DIST_WEIBULL: { /* E X^r = scale^r Gamma(1 + r / k) */
    double m[5];
    for (int r = 1; r <= 4; r++)
      m[r] = pow(b, r) * tgamma(1.0 + r / a);
    *mean = m[1];
    central_from_raw(m[1], m[2], m[3], m[4], var, mu4);
    return;
  }
  case FL_DIST_LOGNORMAL: { /* E X^r = exp(r mu + r^2 sigma^2 / 2), mu = ln median */
    double m[5], mu = log(a);
    for (int r = 1; r <= 4; r++)
      m[r] = exp(r * mu + 0.5 * r * r * b * b);
    *mean = m[1];
    central_from_raw(m[1], m[2], m[3], m[4], var, mu4);
    return;
  }
  case FL_DIST_GAMMA: /* k theta, k theta^2, 3 k (k + 2) theta^4 */
    *mean = a * b;
    *var = a * b * b;
    *mu4 = 3 * a * (a + 2) * b * b * b * b;
    return;
  case FL_DIST_UNIFORM: /* (a + b) / 2, (b - a)^2 / 12, (b - a)^4 / 80 */
    *mean = 0.5 * (a + b);
    *var = (b - a) * (b - a) / 12.0;
    *mu4 = pow(b - a, 4) / 80.0;
    return;
  default:
    ck_abort_msg("no moments for kind %d", law->kind);
  }
}

static int
cmp_double(const void *x, const void *y)
{
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

/* Sample mean and unbiased variance (two passes). */
static void
sample_moments(const double *x, gsize n, double *mean, double *var)
{
  double sum = 0.0;
  for (gsize i = 0; i < n; i++)
    sum += x[i];
  double m = sum / (double)n, ss = 0.0;
  for (gsize i = 0; i < n; i++)
    ss += (x[i] - m) * (x[i] - m);
  *mean = m;
  *var = ss / (double)(n - 1);
}

/* The whole check for one continuous law: exact moments, sample moments, KS. */
static void
check_law(const char *spec, const Law *law, guint64 seed)
{
  g_autoptr(FlDist) d = parse_ok(spec);
  ck_assert_int_eq(d->kind, law->kind);

  double mean, var, mu4;
  law_moments(law, &mean, &var, &mu4);
  ck_assert_msg(fabs(fl_dist_mean(d) - mean) <= REL_EXACT * mean,
                "%s: fl_dist_mean %.17g, textbook %.17g", spec, fl_dist_mean(d), mean);
  ck_assert_msg(fabs(fl_dist_variance(d) - var) <= REL_EXACT * var,
                "%s: fl_dist_variance %.17g, textbook %.17g", spec, fl_dist_variance(d), var);

  g_autofree double *x = g_new(double, N_DRAWS);
  FlRng rng;
  fl_rng_seed(&rng, seed, 0);
  int bad = 0;
  for (gsize i = 0; i < N_DRAWS; i++) {
    x[i] = fl_dist_sample(d, &rng);
    bad += !(x[i] >= 0.0 && isfinite(x[i]));
  }
  ck_assert_msg(bad == 0, "%s: %d samples negative or not finite", spec, bad);

  double n = N_DRAWS, m, s2;
  sample_moments(x, N_DRAWS, &m, &s2);
  double se_mean = sqrt(var / n);
  double sd_var = sqrt(mu4 / n - var * var * (n - 3) / (n * (n - 1)));
  ck_assert_msg(fabs(m - mean) <= K_SIGMA * se_mean, "%s: sample mean %.6g, expected %.6g +- %.3g",
                spec, m, mean, K_SIGMA * se_mean);
  ck_assert_msg(fabs(s2 - var) <= K_SIGMA * sd_var,
                "%s: sample variance %.6g, expected %.6g +- %.3g", spec, s2, var, K_SIGMA * sd_var);
  /* The same against the module's own moments (equal to the textbook's to 1e-12, far inside
   * these tolerances, but this is the figure reports use). */
  ck_assert_double_le(fabs(m - fl_dist_mean(d)), K_SIGMA * se_mean);
  ck_assert_double_le(fabs(s2 - fl_dist_variance(d)), K_SIGMA * sd_var);

  qsort(x, N_DRAWS, sizeof *x, cmp_double);
  double ks = 0.0;
  for (gsize i = 0; i < N_DRAWS; i++) {
    double f = law_cdf(law, x[i]);
    ks = MAX(ks, MAX(f - (double)i / n, (double)(i + 1) / n - f));
  }
  double bound = sqrt(log(2.0 / ALPHA) / (2.0 * n));
  ck_assert_msg(ks <= bound, "%s: KS distance %.5f > %.5f", spec, ks, bound);
}

/* --- parsing --- */

START_TEST(test_parse_forms)
{
  g_autoptr(FlDist) e = parse_ok("exponential(mean=4h)");
  ck_assert_int_eq(e->kind, FL_DIST_EXPONENTIAL);
  ck_assert_double_eq(e->p1, 14400.0);
  ck_assert_str_eq(e->text, "exponential(mean=4h)");

  g_autoptr(FlDist) w = parse_ok("weibull(shape=1.5, scale=30d)");
  ck_assert_int_eq(w->kind, FL_DIST_WEIBULL);
  ck_assert_double_eq(w->p1, 1.5);
  ck_assert_double_eq(w->p2, 30 * 86400.0);

  g_autoptr(FlDist) l = parse_ok("lognormal(median=2h, sigma=0.8)");
  ck_assert_int_eq(l->kind, FL_DIST_LOGNORMAL);
  ck_assert_double_eq_tol(l->p1, log(7200.0), 1e-15 * log(7200.0));
  ck_assert_double_eq(l->p2, 0.8);

  g_autoptr(FlDist) g = parse_ok("gamma(shape=2.5, scale=1h)");
  ck_assert_int_eq(g->kind, FL_DIST_GAMMA);
  ck_assert_double_eq(g->p1, 2.5);
  ck_assert_double_eq(g->p2, 3600.0);
  g_autoptr(FlDist) g_small = parse_ok("gamma(shape=0.5, scale=10min)");
  ck_assert_double_eq(g_small->p1, 0.5);
  ck_assert_double_eq(g_small->p2, 600.0);

  g_autoptr(FlDist) u = parse_ok("uniform(min=1h, max=3h)");
  ck_assert_int_eq(u->kind, FL_DIST_UNIFORM);
  ck_assert_double_eq(u->p1, 3600.0);
  ck_assert_double_eq(u->p2, 10800.0);
  g_autoptr(FlDist) u0 = parse_ok("uniform(min=0s, max=1h)"); /* min may be zero */
  ck_assert_double_eq(u0->p1, 0.0);

  g_autoptr(FlDist) f = parse_ok("fixed(45min)");
  ck_assert_int_eq(f->kind, FL_DIST_FIXED);
  ck_assert_double_eq(f->p1, 2700.0);
}
END_TEST

/* Spaces around names, '=' and ',' are allowed; parameters in any order; the stored text has
 * no surrounding whitespace. */
START_TEST(test_parse_whitespace_and_order)
{
  g_autoptr(FlDist) w = parse_ok("  weibull( shape = 2 , scale = 10 h )  ");
  ck_assert_int_eq(w->kind, FL_DIST_WEIBULL);
  ck_assert_double_eq(w->p1, 2.0);
  ck_assert_double_eq(w->p2, 36000.0);
  ck_assert(!g_ascii_isspace(w->text[0]) && !g_ascii_isspace(w->text[strlen(w->text) - 1]));

  g_autoptr(FlDist) r = parse_ok("weibull(scale=10h, shape=2)");
  ck_assert_double_eq(r->p1, 2.0);
  ck_assert_double_eq(r->p2, 36000.0);
  g_autoptr(FlDist) u = parse_ok("uniform(max=3h,min=1h)");
  ck_assert_double_eq(u->p1, 3600.0);
  ck_assert_double_eq(u->p2, 10800.0);
  g_autoptr(FlDist) f = parse_ok("fixed( 45 min )");
  ck_assert_double_eq(f->p1, 2700.0);
}
END_TEST

START_TEST(test_parse_unknown_name)
{
  assert_parse_error("poisson(mean=1h)", NULL, FL_SCENARIO_ERROR_VALUE, "unknown distribution");
  assert_parse_error("poisson(mean=1h)", NULL, FL_SCENARIO_ERROR_VALUE, "poisson");
  assert_parse_error("exp(mean=1h)", NULL, FL_SCENARIO_ERROR_VALUE, fl_dist_syntax_hint());
  assert_parse_error("(mean=1h)", NULL, FL_SCENARIO_ERROR_VALUE, NULL);
}
END_TEST

/* Not of the form name(...): the message lists the valid forms. */
START_TEST(test_parse_not_a_call)
{
  static const char *const bad[] = { "", "   ", "exponential", "exponential mean=1h",
                                     "exponential(mean=1h", "exponential mean=1h)", "4h",
                                     "exponential(mean=1h) extra" };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++)
    assert_parse_error(bad[i], NULL, FL_SCENARIO_ERROR_VALUE, fl_dist_syntax_hint());
  assert_parse_error(NULL, NULL, FL_SCENARIO_ERROR_VALUE, NULL);
  assert_parse_error("exponential(mean=(1h))", NULL, FL_SCENARIO_ERROR_VALUE, "parenthes");
}
END_TEST

START_TEST(test_parse_missing_parameter)
{
  assert_parse_error("exponential()", NULL, FL_SCENARIO_ERROR_VALUE, "missing parameter mean");
  assert_parse_error("weibull(shape=2)", NULL, FL_SCENARIO_ERROR_VALUE, "missing parameter scale");
  assert_parse_error("weibull(scale=10h)", NULL, FL_SCENARIO_ERROR_VALUE,
                     "missing parameter shape");
  assert_parse_error("lognormal(median=1h)", NULL, FL_SCENARIO_ERROR_VALUE, "sigma");
  assert_parse_error("gamma(scale=1h)", NULL, FL_SCENARIO_ERROR_VALUE, "shape");
  assert_parse_error("uniform(min=1h)", NULL, FL_SCENARIO_ERROR_VALUE, "max");
  assert_parse_error("fixed()", NULL, FL_SCENARIO_ERROR_VALUE, "missing");
  assert_parse_error("empirical()", NULL, FL_SCENARIO_ERROR_VALUE, "file");
  /* An empty value is not a value. */
  assert_parse_error("exponential(mean=)", NULL, FL_SCENARIO_ERROR_VALUE, NULL);
}
END_TEST

START_TEST(test_parse_unknown_parameter)
{
  assert_parse_error("exponential(mean=1h, rate=2)", NULL, FL_SCENARIO_ERROR_VALUE, "'rate'");
  assert_parse_error("exponential(rate=1h)", NULL, FL_SCENARIO_ERROR_VALUE, "'rate'");
  assert_parse_error("weibull(shape=2, scale=1h, loc=0s)", NULL, FL_SCENARIO_ERROR_VALUE, "'loc'");
  assert_parse_error("uniform(low=1h, high=2h)", NULL, FL_SCENARIO_ERROR_VALUE, "'low'");
  assert_parse_error("fixed(value=1h)", NULL, FL_SCENARIO_ERROR_VALUE, "'value'");
  /* Named laws need names. */
  assert_parse_error("exponential(1h)", NULL, FL_SCENARIO_ERROR_VALUE, "named");
  assert_parse_error("weibull(2, 10h)", NULL, FL_SCENARIO_ERROR_VALUE, "named");
}
END_TEST

START_TEST(test_parse_duplicate_parameter)
{
  assert_parse_error("exponential(mean=1h, mean=2h)", NULL, FL_SCENARIO_ERROR_VALUE, "twice");
  assert_parse_error("uniform(min=1h, max=2h, min=0s)", NULL, FL_SCENARIO_ERROR_VALUE, "'min'");
  assert_parse_error("weibull(shape=1, shape=2, scale=1h)", NULL, FL_SCENARIO_ERROR_VALUE,
                     "twice");
  assert_parse_error("fixed(1h, 2h)", NULL, FL_SCENARIO_ERROR_VALUE, "twice");
}
END_TEST

/* Every parameter is checked: negative, zero (where a law would be degenerate or its mean
 * zero), NaN, infinite, and too large. The message quotes the spec. */
START_TEST(test_parse_bad_values)
{
  static const char *const bad[] = {
    /* negative */
    "exponential(mean=-1h)", "weibull(shape=-1, scale=1h)", "weibull(shape=2, scale=-1h)",
    "lognormal(median=-1h, sigma=1)", "lognormal(median=1h, sigma=-0.5)",
    "gamma(shape=-2, scale=1h)", "gamma(shape=2, scale=-1h)", "uniform(min=-1h, max=1h)",
    "uniform(min=1h, max=-2h)", "fixed(-5min)",
    /* zero */
    "exponential(mean=0s)", "weibull(shape=0, scale=1h)", "weibull(shape=2, scale=0s)",
    "lognormal(median=0s, sigma=1)", "gamma(shape=0, scale=1h)", "gamma(shape=2, scale=0h)",
    "uniform(min=0s, max=0s)", "fixed(0s)",
    /* NaN */
    "exponential(mean=nan h)", "weibull(shape=nan, scale=1h)", "lognormal(median=1h, sigma=nan)",
    "gamma(shape=NaN, scale=1h)", "gamma(shape=2, scale=NaN s)", "uniform(min=nan s, max=1h)",
    "fixed(nan s)",
    /* infinite */
    "exponential(mean=inf h)", "weibull(shape=inf, scale=1h)", "weibull(shape=2, scale=inf s)",
    "lognormal(median=1h, sigma=inf)", "lognormal(median=infinity s, sigma=1)",
    "gamma(shape=inf, scale=1h)", "uniform(min=0s, max=inf s)", "fixed(inf s)",
    /* huge: past the 1e6 y ceiling, past the parameter ranges, or with a mean past it */
    "exponential(mean=2000000y)", "fixed(1e400s)", "uniform(min=0s, max=2000000y)",
    "weibull(shape=1e5, scale=1h)", "gamma(shape=1e5, scale=1h)", "lognormal(median=1h, sigma=6)",
    "weibull(shape=0.04, scale=1h)", "weibull(shape=0.05, scale=1y)",
    "lognormal(median=1000y, sigma=5)", "gamma(shape=1e4, scale=1000y)",
    /* not numbers */
    "exponential(mean=4)", "exponential(mean=4m)", "weibull(shape=2h, scale=1h)",
    "lognormal(median=1h, sigma=0.5s)", "weibull(shape=0x10, scale=1h)",
  };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(FlDist) d = fl_dist_parse(bad[i], NULL, &error);
    ck_assert_msg(d == NULL, "'%s' should be rejected (mean %g)", bad[i], d ? fl_dist_mean(d) : 0);
    ck_assert_msg(g_error_matches(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE), "'%s': %s",
                  bad[i], error ? error->message : "no error");
    ck_assert_msg(strstr(error->message, bad[i]) != NULL, "'%s': message '%s' does not quote it",
                  bad[i], error->message);
  }
}
END_TEST

START_TEST(test_parse_min_above_max)
{
  assert_parse_error("uniform(min=3h, max=1h)", NULL, FL_SCENARIO_ERROR_VALUE, "min");
  assert_parse_error("uniform(min=3h, max=1h)", NULL, FL_SCENARIO_ERROR_VALUE, "max");
  /* Equal bounds are a valid (degenerate) law. */
  g_autoptr(FlDist) d = parse_ok("uniform(min=1h, max=1h)");
  ck_assert_double_eq(fl_dist_mean(d), 3600.0);
  ck_assert_double_eq(fl_dist_variance(d), 0.0);
}
END_TEST

/* --- empirical --- */

/* A temporary folder with one file; removed by the caller with rm_tmp_dir(). */
static char *
write_tmp_file(const char *name, const char *contents, char **out_path)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp("check_dist-XXXXXX", &error);
  ck_assert_msg(dir != NULL, "cannot make a temporary folder: %s", error ? error->message : "?");
  *out_path = g_build_filename(dir, name, NULL);
  ck_assert(g_file_set_contents(*out_path, contents, -1, &error));
  return dir;
}

static void
rm_tmp_dir(const char *dir, const char *path)
{
  g_unlink(path);
  g_rmdir(dir);
}

static const char durations_file[] = "# repair times seen in 2023\n"
                                     "30min\n"
                                     "1h   # a comment after a value\n"
                                     "   \n"
                                     "\n"
                                     "2h\n"
                                     "4h";
static const double durations_s[] = { 1800.0, 3600.0, 7200.0, 14400.0 };

START_TEST(test_empirical_parse)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = write_tmp_file("repairs.txt", durations_file, &path);

  /* An absolute path, and a path relative to base_dir. */
  g_autofree char *spec = g_strdup_printf("empirical(file=%s)", path);
  g_autoptr(FlDist) d = parse_ok(spec);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDist) rel = fl_dist_parse("empirical(file=repairs.txt)", dir, &error);
  ck_assert_msg(rel != NULL, "relative path: %s", error ? error->message : "?");
  rm_tmp_dir(dir, path);

  ck_assert_int_eq(d->kind, FL_DIST_EMPIRICAL);
  ck_assert_uint_eq(d->n_samples, G_N_ELEMENTS(durations_s));
  ck_assert_uint_eq(rel->n_samples, G_N_ELEMENTS(durations_s));
  for (guint i = 0; i < G_N_ELEMENTS(durations_s); i++) {
    ck_assert_double_eq(d->samples[i], durations_s[i]);
    ck_assert_double_eq(rel->samples[i], durations_s[i]);
  }
}
END_TEST

START_TEST(test_empirical_errors)
{
  /* Unreadable: a file that does not exist, and a folder. */
  assert_parse_error("empirical(file=/nonexistent/faultline/repairs.txt)", NULL,
                     FL_SCENARIO_ERROR_IO, "/nonexistent/faultline/repairs.txt");
  assert_parse_error("empirical(file=no-such-file.txt)", "/nonexistent", FL_SCENARIO_ERROR_IO,
                     NULL);

  static const struct {
    const char *contents, *needle;
  } bad[] = {
    { "", "no durations" },
    { "\n\n   \n", "no durations" },
    { "# only a comment\n# and another\n", "no durations" },
    { "1h\n2h\nabc\n", ":3" },           /* names the line */
    { "1h\n-2h\n", ":2" },               /* negative */
    { "1h\n2\n", "no unit" },            /* no unit */
    { "0s\n0s\n0s\n", "mean" },          /* all zero: mean zero */
  };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autofree char *path = NULL;
    g_autofree char *dir = write_tmp_file("d.txt", bad[i].contents, &path);
    g_autofree char *spec = g_strdup_printf("empirical(file=%s)", path);
    assert_parse_error(spec, NULL, FL_SCENARIO_ERROR_VALUE, bad[i].needle);
    rm_tmp_dir(dir, path);
  }

  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp("check_dist-XXXXXX", &error);
  g_autofree char *spec = g_strdup_printf("empirical(file=%s)", dir);
  g_autoptr(FlDist) d = fl_dist_parse(spec, NULL, &error);
  g_rmdir(dir);
  ck_assert_ptr_null(d);
  ck_assert(g_error_matches(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_IO));
}
END_TEST

/* Mean and variance are those of the listed values (population variance: resampling the list
 * has exactly that variance); each value is drawn with probability 1/4 (chi-square, df 3), and
 * the sample mean and variance are within K_SIGMA SE of them (mu4 of the list for Var(s^2)). */
START_TEST(test_empirical_moments)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = write_tmp_file("repairs.txt", durations_file, &path);
  g_autofree char *spec = g_strdup_printf("empirical(file=%s)", path);
  g_autoptr(FlDist) d = parse_ok(spec);
  rm_tmp_dir(dir, path);

  const int k = G_N_ELEMENTS(durations_s);
  double mean = 0.0, var = 0.0;
  for (int i = 0; i < k; i++)
    mean += durations_s[i] / k;
  for (int i = 0; i < k; i++)
    var += (durations_s[i] - mean) * (durations_s[i] - mean) / k;
  ck_assert_double_eq_tol(fl_dist_mean(d), mean, REL_EXACT * mean);
  ck_assert_double_eq_tol(fl_dist_variance(d), var, REL_EXACT * var);
  ck_assert_double_eq(mean, 6750.0);

  double mu4 = 0.0;
  for (int i = 0; i < k; i++)
    mu4 += pow(durations_s[i] - mean, 4) / k;

  FlRng rng;
  fl_rng_seed(&rng, 30, 0);
  guint64 counts[4] = { 0 };
  g_autofree double *x = g_new(double, N_DRAWS);
  int other = 0;
  for (int i = 0; i < N_DRAWS; i++) {
    x[i] = fl_dist_sample(d, &rng);
    int which = -1;
    for (int j = 0; j < k; j++)
      if (x[i] == durations_s[j])
        which = j;
    if (which < 0)
      other++;
    else
      counts[which]++;
  }
  ck_assert_int_eq(other, 0);
  double expected = N_DRAWS / 4.0, chi2 = 0.0;
  for (int j = 0; j < k; j++)
    chi2 += ((double)counts[j] - expected) * ((double)counts[j] - expected) / expected;
  ck_assert_double_le(chi2, CHI2_DF3_1E9);
  double n = N_DRAWS, m, s2;
  sample_moments(x, N_DRAWS, &m, &s2);
  double sd_var = sqrt(mu4 / n - var * var * (n - 3) / (n * (n - 1)));
  ck_assert_double_le(fabs(m - mean), K_SIGMA * sqrt(var / n));
  ck_assert_double_le(fabs(s2 - var), K_SIGMA * sd_var);
  ck_assert_double_le(fabs(m - fl_dist_mean(d)), K_SIGMA * sqrt(var / n));
  ck_assert_double_le(fabs(s2 - fl_dist_variance(d)), K_SIGMA * sd_var);
}
END_TEST

/* --- each law's moments and samples --- */

START_TEST(test_exponential)
{
  Law law = { FL_DIST_EXPONENTIAL, 14400.0, 0.0 };
  check_law("exponential(mean=4h)", &law, 21);
}
END_TEST

/* Weibull: mean scale Gamma(1 + 1/k), variance scale^2 (Gamma(1 + 2/k) - Gamma(1 + 1/k)^2);
 * an early-failure shape (k < 1) and a wear-out shape (k > 1). */
START_TEST(test_weibull)
{
  Law wearout = { FL_DIST_WEIBULL, 3.0, 30 * 86400.0 };
  check_law("weibull(shape=3, scale=30d)", &wearout, 22);
  Law infant = { FL_DIST_WEIBULL, 0.8, 90 * 86400.0 };
  check_law("weibull(shape=0.8, scale=90d)", &infant, 23);
  /* The closed forms themselves, at k = 1 (exponential) and k = 2 (Rayleigh). */
  g_autoptr(FlDist) one = parse_ok("weibull(shape=1, scale=1h)");
  ck_assert_double_eq_tol(fl_dist_mean(one), 3600.0, REL_EXACT * 3600.0);
  ck_assert_double_eq_tol(fl_dist_variance(one), 3600.0 * 3600.0, REL_EXACT * 3600.0 * 3600.0);
  g_autoptr(FlDist) two = parse_ok("weibull(shape=2, scale=1h)");
  ck_assert_double_eq_tol(fl_dist_mean(two), 3600.0 * sqrt(G_PI) / 2, REL_EXACT * 3600.0);
  ck_assert_double_eq_tol(fl_dist_variance(two), 3600.0 * 3600.0 * (1 - G_PI / 4),
                          REL_EXACT * 3600.0 * 3600.0);
}
END_TEST

/* Lognormal: mean exp(mu + sigma^2/2), variance (e^{sigma^2} - 1) e^{2 mu + sigma^2}, mu = ln
 * median. The KS test also pins the median (F(median) = 1/2). */
START_TEST(test_lognormal)
{
  Law law = { FL_DIST_LOGNORMAL, 7200.0, 0.5 };
  check_law("lognormal(median=2h, sigma=0.5)", &law, 24);
  Law narrow = { FL_DIST_LOGNORMAL, 600.0, 0.1 };
  check_law("lognormal(median=10min, sigma=0.1)", &narrow, 25);
}
END_TEST

/* Gamma: mean k theta, variance k theta^2, for k > 1 (Marsaglia-Tsang) and k < 1 (boosted). */
START_TEST(test_gamma)
{
  Law law = { FL_DIST_GAMMA, 2.5, 3600.0 };
  check_law("gamma(shape=2.5, scale=1h)", &law, 26);
  Law small = { FL_DIST_GAMMA, 0.5, 600.0 };
  check_law("gamma(shape=0.5, scale=10min)", &small, 27);
  Law one = { FL_DIST_GAMMA, 1.0, 60.0 };
  check_law("gamma(shape=1, scale=1min)", &one, 28);
}
END_TEST

/* The test's own incomplete gamma against mpmath, so the gamma KS check rests on something. */
START_TEST(test_gamma_reference)
{
  ck_assert_double_eq_tol(gamma_p(0.5, 0.1), 0.34527915398142298, 1e-13);
  ck_assert_double_eq_tol(gamma_p(0.5, 3.0), 0.98569412156457036, 1e-13);
  ck_assert_double_eq_tol(gamma_p(2.5, 1.0), 0.15085496391539036, 1e-13);
  ck_assert_double_eq_tol(gamma_p(2.5, 6.0), 0.96521221949375815, 1e-13);
  ck_assert_double_eq_tol(gamma_p(2.5, 30.0), 0.99999999998784543, 1e-13);
}
END_TEST

START_TEST(test_uniform)
{
  Law law = { FL_DIST_UNIFORM, 3600.0, 10800.0 };
  check_law("uniform(min=1h, max=3h)", &law, 29);
  Law from0 = { FL_DIST_UNIFORM, 0.0, 60.0 };
  check_law("uniform(min=0s, max=1min)", &from0, 30);
  /* Every draw within [min, max]. */
  g_autoptr(FlDist) d = parse_ok("uniform(min=1h, max=3h)");
  FlRng rng;
  fl_rng_seed(&rng, 31, 0);
  int outside = 0;
  for (int i = 0; i < N_DRAWS; i++) {
    double x = fl_dist_sample(d, &rng);
    outside += x < 3600.0 || x > 10800.0;
  }
  ck_assert_int_eq(outside, 0);
}
END_TEST

/* fixed(D): mean D, variance 0, every draw exactly D. */
START_TEST(test_fixed)
{
  g_autoptr(FlDist) d = parse_ok("fixed(45min)");
  ck_assert_double_eq(fl_dist_mean(d), 2700.0);
  ck_assert_double_eq(fl_dist_variance(d), 0.0);
  FlRng rng;
  fl_rng_seed(&rng, 32, 0);
  int other = 0;
  g_autofree double *x = g_new(double, 10000);
  for (int i = 0; i < 10000; i++) {
    x[i] = fl_dist_sample(d, &rng);
    other += x[i] != 2700.0;
  }
  ck_assert_int_eq(other, 0);
  double m, s2;
  sample_moments(x, 10000, &m, &s2);
  ck_assert_double_eq(m, fl_dist_mean(d));
  ck_assert_double_eq(s2, fl_dist_variance(d));
}
END_TEST

/* Same seed, same draws; the law is immutable (sampling twice from one FlDist agrees). */
START_TEST(test_sample_deterministic)
{
  static const char *const specs[] = { "exponential(mean=4h)", "weibull(shape=0.8, scale=90d)",
                                       "lognormal(median=2h, sigma=0.5)",
                                       "gamma(shape=0.5, scale=10min)",
                                       "uniform(min=1h, max=3h)" };
  for (guint k = 0; k < G_N_ELEMENTS(specs); k++) {
    g_autoptr(FlDist) d = parse_ok(specs[k]);
    FlRng a, b;
    fl_rng_seed(&a, 40, k);
    fl_rng_seed(&b, 40, k);
    int differ = 0;
    for (int i = 0; i < 1000; i++)
      differ += fl_dist_sample(d, &a) != fl_dist_sample(d, &b);
    ck_assert_int_eq(differ, 0);
  }
}
END_TEST

static Suite *
dist_suite(void)
{
  Suite *s = suite_create("dist");

  TCase *tc = tcase_create("parse");
  tcase_add_test(tc, test_parse_forms);
  tcase_add_test(tc, test_parse_whitespace_and_order);
  suite_add_tcase(s, tc);

  tc = tcase_create("parse errors");
  tcase_add_test(tc, test_parse_unknown_name);
  tcase_add_test(tc, test_parse_not_a_call);
  tcase_add_test(tc, test_parse_missing_parameter);
  tcase_add_test(tc, test_parse_unknown_parameter);
  tcase_add_test(tc, test_parse_duplicate_parameter);
  tcase_add_test(tc, test_parse_bad_values);
  tcase_add_test(tc, test_parse_min_above_max);
  suite_add_tcase(s, tc);

  tc = tcase_create("empirical");
  tcase_add_test(tc, test_empirical_parse);
  tcase_add_test(tc, test_empirical_errors);
  tcase_add_test(tc, test_empirical_moments);
  suite_add_tcase(s, tc);

  tc = tcase_create("moments");
  tcase_add_test(tc, test_exponential);
  tcase_add_test(tc, test_weibull);
  tcase_add_test(tc, test_lognormal);
  tcase_add_test(tc, test_gamma_reference);
  tcase_add_test(tc, test_gamma);
  tcase_add_test(tc, test_uniform);
  tcase_add_test(tc, test_fixed);
  tcase_add_test(tc, test_sample_deterministic);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(dist_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failures = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
