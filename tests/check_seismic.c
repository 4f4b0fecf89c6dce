/* check_seismic.c - unit tests for seismic.h: rates, truncated Gutenberg-Richter, rupture size
 * and distance, BJF97 PGA, AWW12 intensity, Worden 2012 conversion, HAZUS fragility, damage-state
 * sampling and the generator rule.
 *
 * Worked values: each formula is also evaluated here from its published coefficients, written
 * out independently of sim/seismic.c, and must agree to EXACT (a few ulps through exp/log);
 * published rounded figures ("about 0.25 g", "~7.6") are then checked to half a unit of their
 * last printed digit.
 *
 * Stochastic tests use fixed seeds; every bound is derived below from the sampling distribution
 * at a false-alarm probability of about 1e-9 or smaller per assertion (z = 6 for normal-theory
 * bounds: two-sided 2e-9), so a failure means a bug, not bad luck.
 */
#include "config.h"

#include <check.h>
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "faultline/errors.h"
#include "faultline/seismic.h"

#define EXACT 1e-12
#define Z6 6.0

/* --- rates --- */

START_TEST(test_rate_conversion)
{
  double lambda = 0.0;
  g_autoptr(GError) error = NULL;
  ck_assert(fl_seismic_parse_rate("72% in 30y", &lambda, &error));
  ck_assert_msg(fabs(lambda - (-log(0.28) / 30.0)) < EXACT, "%.15g", lambda);
  ck_assert_msg(fabs(lambda - 0.0424) < 0.00005, "72%% in 30y gave %.6f, hazards.md 0.0424", lambda);
  ck_assert(fl_seismic_parse_rate("0.042/y", &lambda, &error) && lambda == 0.042);
  ck_assert(fl_seismic_parse_rate(" 0.042 / y ", &lambda, &error) && lambda == 0.042);
  ck_assert(fl_seismic_parse_rate("37% in 50 y", &lambda, &error));
  ck_assert_ptr_null(error);

  /* Every catalog figure against the lambda column of hazards.md, to half its last digit. */
  static const struct {
    const char *text;
    double lambda, half_digit;
  } table[] = {
    { "72% in 30y", 0.0424, 0.00005 }, /* SF Bay Area, UCERF3 */
    { "60% in 30y", 0.0305, 0.00005 }, /* Los Angeles, UCERF3 */
    { "70% in 30y", 0.040, 0.0005 },   /* Southern Kanto, HERP */
    { "80% in 30y", 0.054, 0.0005 },   /* Nankai, HERP (hazards.md "~0.054"; exact 0.0536) */
    { "37% in 50y", 0.0092, 0.00005 }, /* Cascadia south, Goldfinger et al. 2012 */
    { "41% in 30y", 0.0176, 0.00005 }, /* Istanbul, Parsons 2004 */
  };
  for (size_t i = 0; i < G_N_ELEMENTS(table); i++) {
    ck_assert(fl_seismic_parse_rate(table[i].text, &lambda, NULL));
    ck_assert_msg(fabs(lambda - table[i].lambda) <= table[i].half_digit + 1e-12,
                  "'%s' gave %.6f, expected %.4f", table[i].text, lambda, table[i].lambda);
  }
  /* Small probabilities keep their digits (log1p): -ln(1 - p) = p + p^2/2 + O(p^3), so 1e-9 in
   * 1 y is 1e-9 + 5e-19 per year to a relative 1e-16 (1 - 1e-9 rounded would lose 7 digits). */
  ck_assert(fabs(fl_seismic_rate_from_probability(1e-9, 1.0) - (1e-9 + 5e-19)) < 1e-24);
  /* Periods in other units. */
  ck_assert(fl_seismic_parse_rate("50% in 365d", &lambda, NULL));
  ck_assert(fabs(lambda - log(2.0)) < EXACT);
}
END_TEST

START_TEST(test_rate_errors)
{
  static const struct {
    const char *text, *needle;
  } bad[] = {
    { "100% in 30y", "less than 100%" }, { "0% in 30y", "more than 0%" },
    { "150% in 30y", "out of range" },   { "-5% in 30y", "out of range" },
    { "72%", "no period" },              { "72% 30y", "no period" },
    { "72% in", "bad period" },          { "72% in 30", "no unit" },
    { "72% in 0y", "more than zero" },   { "0/y", "more than zero" },
    { "-1/y", "more than zero" },        { "0.042/yr", "per year" },
    { "0.042/d", "per year" },           { "0.042", "not a rate" },
    { "often", "not a rate" },           { "", "not a rate" },
  };
  for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) e = NULL;
    double lambda = -7.0;
    gboolean ok = fl_seismic_parse_rate(bad[i].text, &lambda, &e);
    ck_assert_msg(!ok, "'%s' should be rejected", bad[i].text);
    ck_assert(g_error_matches(e, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE));
    ck_assert_msg(strstr(e->message, bad[i].needle) != NULL, "'%s': '%s' lacks '%s'",
                  bad[i].text, e->message, bad[i].needle);
    ck_assert(lambda == -7.0);
  }
}
END_TEST

/* --- Gutenberg-Richter --- */

static FlGutenbergRichter
bay_area_gr(void)
{
  FlGutenbergRichter gr;
  g_autoptr(GError) error = NULL;
  ck_assert(fl_gr_init(&gr, 6.7, 8.0, 1.0, &error));
  return gr;
}

START_TEST(test_gr_closed_forms)
{
  FlGutenbergRichter gr = bay_area_gr();
  double beta = log(10.0), d = 1.3;
  ck_assert(fabs(gr.beta - beta) < EXACT);
  ck_assert(fl_gr_cdf(&gr, 6.0) == 0.0 && fl_gr_cdf(&gr, 6.7) == 0.0);
  ck_assert(fl_gr_cdf(&gr, 8.0) == 1.0 && fl_gr_cdf(&gr, 9.0) == 1.0);
  /* F(7) = (1 - 10^-0.3) / (1 - 10^-1.3), written out. */
  double f7 = (1.0 - pow(10.0, -0.3)) / (1.0 - pow(10.0, -1.3));
  ck_assert(fabs(fl_gr_cdf(&gr, 7.0) - f7) < EXACT);
  /* Quantile inverts the CDF. */
  for (double u = 0.0; u <= 1.0; u += 0.125)
    ck_assert_msg(fabs(fl_gr_cdf(&gr, fl_gr_quantile(&gr, u)) - u) < 1e-12, "u=%g", u);
  ck_assert(fl_gr_quantile(&gr, 0.0) == 6.7 && fabs(fl_gr_quantile(&gr, 1.0) - 8.0) < 1e-12);
  /* Mean: m0 + 1/beta - D e^{-beta D} / (1 - e^{-beta D}). */
  double mean = 6.7 + 1.0 / beta - d * exp(-beta * d) / (1.0 - exp(-beta * d));
  ck_assert(fabs(fl_gr_mean(&gr) - mean) < EXACT);
  /* Exceedance rates: the Bay Area's 72% (M>=6.7) with b = 1 gives M>=7 at
   * 0.0424 (10^-0.3 - 10^-1.3) / (1 - 10^-1.3) = 0.0200 per year; UCERF3's own M>=7 figure
   * (51% in 30y = 0.0238/y) is a little higher because UCERF3 is not a pure G-R law. */
  double r67 = fl_seismic_rate_from_probability(0.72, 30.0);
  double r7 = r67 * (pow(10.0, -0.3) - pow(10.0, -1.3)) / (1.0 - pow(10.0, -1.3));
  ck_assert(fabs(fl_gr_exceedance_rate(&gr, r67, 7.0) - r7) < EXACT);
  ck_assert(fl_gr_exceedance_rate(&gr, r67, 6.0) == r67);
  ck_assert(fl_gr_exceedance_rate(&gr, r67, 8.0) == 0.0);
}
END_TEST

static int
cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

START_TEST(test_gr_sampler_ks)
{
  /* Kolmogorov-Smirnov against the truncated CDF. Dvoretzky-Kiefer-Wolfowitz with Massart's
   * constant: P(D_n > eps) <= 2 exp(-2 n eps^2), so eps = sqrt(ln(2 / alpha) / (2 n)) gives a
   * false-alarm probability of at most alpha = 1e-9 (eps = 0.0104 for n = 100000). */
  enum { N = 100000 };
  const double alpha = 1e-9;
  const double eps = sqrt(log(2.0 / alpha) / (2.0 * N));
  static const double params[][3] = { { 6.7, 8.0, 1.0 }, { 8.0, 9.1, 0.8 }, { 5.0, 9.0, 1.2 } };
  g_autofree double *m = g_new(double, N);
  for (size_t k = 0; k < G_N_ELEMENTS(params); k++) {
    FlGutenbergRichter gr;
    ck_assert(fl_gr_init(&gr, params[k][0], params[k][1], params[k][2], NULL));
    FlRng rng;
    fl_rng_seed(&rng, 4242, k);
    double sum = 0.0;
    for (int i = 0; i < N; i++) {
      m[i] = fl_gr_sample(&gr, &rng);
      ck_assert(m[i] >= gr.m0 && m[i] <= gr.mmax);
      sum += m[i];
    }
    qsort(m, N, sizeof(double), cmp_double);
    double dn = 0.0;
    for (int i = 0; i < N; i++) {
      double f = fl_gr_cdf(&gr, m[i]);
      dn = MAX(dn, MAX((i + 1.0) / N - f, f - (double)i / N));
    }
    ck_assert_msg(dn < eps, "GR(%g,%g,%g): KS D = %.5f, bound %.5f", gr.m0, gr.mmax, gr.b, dn,
                  eps);
    /* Mean: sd <= (mmax - m0) / 2 for any law on the interval (Popoviciu), so the sample mean is
     * within Z6 * D / (2 sqrt n) of the true mean but for ~2e-9. */
    double tol = Z6 * (gr.mmax - gr.m0) / 2.0 / sqrt((double)N);
    ck_assert_msg(fabs(sum / N - fl_gr_mean(&gr)) < tol, "mean %.5f vs %.5f (tol %.5f)", sum / N,
                  fl_gr_mean(&gr), tol);
  }
}
END_TEST

START_TEST(test_gr_errors)
{
  FlGutenbergRichter gr = { 1, 2, 3, 4 };
  static const struct {
    double m0, mmax, b;
    const char *needle;
  } bad[] = {
    { 7.0, 7.0, 1.0, "not below max" }, { 8.0, 7.0, 1.0, "not below max" },
    { 6.0, 8.0, 0.0, "not positive" },  { 6.0, 8.0, -1.0, "not positive" },
    { NAN, 8.0, 1.0, "finite" },
    { -1e300, 1e300, 1.0, "moment magnitudes run from 0 to 10" },
    { 6.0, 10.5, 1.0, "moment magnitudes run from 0 to 10" },
    { -0.5, 3.0, 1.0, "moment magnitudes run from 0 to 10" },
    { 6.0, 8.0, 1e-300, "expected 0.1 to 5" },  { 6.0, 8.0, 6.0, "expected 0.1 to 5" },
  };
  for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) e = NULL;
    ck_assert(!fl_gr_init(&gr, bad[i].m0, bad[i].mmax, bad[i].b, &e));
    ck_assert(g_error_matches(e, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE));
    ck_assert_msg(strstr(e->message, bad[i].needle) != NULL, "'%s'", e->message);
    ck_assert(gr.m0 == 1 && gr.beta == 4); /* untouched */
  }
}
END_TEST

START_TEST(test_gr_parse)
{
  FlGutenbergRichter gr;
  ck_assert(fl_gr_parse("gutenberg-richter(min=6.7, max=8.0, b=1.0)", &gr, NULL));
  ck_assert(gr.m0 == 6.7 && gr.mmax == 8.0 && gr.b == 1.0);
  ck_assert(fl_gr_parse(" gutenberg-richter ( b = 0.9 , max=9.1,min=8 ) ", &gr, NULL));
  ck_assert(gr.m0 == 8.0 && gr.mmax == 9.1 && gr.b == 0.9);
  ck_assert(fl_gr_parse("gutenberg-richter(min=7, max=8)", &gr, NULL) && gr.b == 1.0);
  static const struct {
    const char *text, *needle;
  } bad[] = {
    { "gutenberg-richter(min=8, max=7, b=1)", "not below max" },
    { "gutenberg-richter(min=6, max=7, b=0)", "not positive" },
    { "gutenberg-richter(min=6, max=7, b=-1)", "not positive" },
    { "gutenberg-richter(max=7)", "has no min" },
    { "gutenberg-richter(min=6)", "has no max" },
    { "gutenberg-richter(min=6, max=7, c=1)", "unknown parameter 'c'" },
    { "gutenberg-richter(min=6, min=6.5, max=7)", "twice" },
    { "gutenberg-richter(min=six, max=7)", "not a number" },
    { "gutenberg-richter(min=6 max=7)", "not a number" },
    { "gutenberg-richter min=6, max=7", "not a magnitude law" },
    { "gutenberg-richter(min=6, max=7) x", "not a magnitude law" },
    { "characteristic(m=7)", "unknown magnitude law" },
  };
  for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) e = NULL;
    ck_assert_msg(!fl_gr_parse(bad[i].text, &gr, &e), "'%s' accepted", bad[i].text);
    ck_assert(g_error_matches(e, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE));
    ck_assert_msg(strstr(e->message, bad[i].needle) != NULL, "'%s': '%s' lacks '%s'",
                  bad[i].text, e->message, bad[i].needle);
  }
}
END_TEST

/* --- rupture --- */

START_TEST(test_wells_coppersmith)
{
  /* M7: SRL = 10^(-3.22 + 4.83) = 10^1.61 = 40.7 km; RA = 10^(-3.49 + 6.37) = 10^2.88 = 759 km^2. */
  ck_assert(fabs(fl_wc94_rupture_length_km(7.0) - pow(10.0, 1.61)) < 1e-9);
  ck_assert(fabs(fl_wc94_rupture_length_km(7.0) - 40.7) < 0.05);
  ck_assert(fabs(fl_wc94_rupture_area_km2(7.0) - pow(10.0, 2.88)) < 1e-9);
  ck_assert(fl_wc94_rupture_length_km(7.5) > fl_wc94_rupture_length_km(7.0));
}
END_TEST

START_TEST(test_rupture_distance)
{
  double deg_km = FL_EARTH_RADIUS_KM * G_PI / 180.0;
  FlLatLon trace[] = { { 0.0, 0.0 }, { 0.0, 10.0 } }; /* 1112 km along the equator */
  double len = fl_wc94_rupture_length_km(7.0);
  FlRupture rup = { 0 };
  fl_rupture_init(&rup, trace, 2, 500.0, 7.0);
  ck_assert(fabs(rup.length_km - len) < 1e-9 && rup.radius_km == 0.0);
  /* Beside the epicentre, 0.5 degrees north: the cross-track distance. */
  FlLatLon beside = { 0.5, 500.0 / deg_km };
  ck_assert(fabs(fl_rupture_distance_km(&rup, beside) - 0.5 * deg_km) < 1e-6);
  /* On the trace 100 km past the epicentre: 100 - L/2 km from the rupture's end. */
  FlLatLon ahead = { 0.0, 600.0 / deg_km };
  ck_assert(fabs(fl_rupture_distance_km(&rup, ahead) - (100.0 - len / 2.0)) < 1e-6);
  fl_rupture_clear(&rup);
  fl_rupture_clear(&rup); /* idempotent */

  /* Epicentre at the start: the rupture is shifted onto the trace, [0, L]. */
  fl_rupture_init(&rup, trace, 2, 0.0, 7.0);
  ck_assert(fabs(fl_rupture_distance_km(&rup, ahead) - (600.0 - len)) < 1e-6);
  fl_rupture_clear(&rup);
  /* A rupture longer than the fault: the whole trace, length capped. */
  FlLatLon short_trace[] = { { 0.0, 0.0 }, { 0.0, 0.1 } };
  fl_rupture_init(&rup, short_trace, 2, 5.0, 7.5);
  ck_assert(fabs(rup.length_km - 0.1 * deg_km) < 1e-6);
  fl_rupture_clear(&rup);

  /* Point source: max(0, R_epi - L/2). */
  fl_rupture_init(&rup, trace, 1, 123.0, 7.0);
  ck_assert(fabs(rup.radius_km - len / 2.0) < 1e-12);
  ck_assert(fabs(fl_rupture_distance_km(&rup, (FlLatLon){ 1.0, 0.0 }) - (deg_km - len / 2.0)) <
            1e-6);
  ck_assert(fl_rupture_distance_km(&rup, (FlLatLon){ 0.1, 0.0 }) == 0.0);
  fl_rupture_clear(&rup);
}
END_TEST

/* --- BJF97 --- */

/* BJF97 PGA written out from hazards.md, unspecified mechanism. */
static double
bjf97_by_hand(double m, double rjb, double vs30)
{
  return -0.242 + 0.527 * (m - 6.0) + 0.0 - 0.778 * log(sqrt(rjb * rjb + 5.57 * 5.57)) -
         0.371 * log(vs30 / 1396.0);
}

START_TEST(test_bjf97_worked_value)
{
  unsigned flags = 0;
  double ln_pga = fl_bjf97_ln_pga_median(7.0, 10.0, 760.0, FL_MECHANISM_UNSPECIFIED, &flags);
  ck_assert(fabs(ln_pga - bjf97_by_hand(7.0, 10.0, 760.0)) < EXACT);
  double pga = fl_bjf97_pga_median_g(7.0, 10.0, 760.0, FL_MECHANISM_UNSPECIFIED, &flags);
  /* Published check "about 0.25 g": to half a unit of the second decimal. (0.2501 g) */
  ck_assert_msg(fabs(pga - 0.25) < 0.005, "BJF97 M7 10 km 760 m/s: %.4f g", pga);
  ck_assert_uint_eq(flags, 0);
  /* Mechanisms shift ln PGA by the difference of b1. */
  double ss = fl_bjf97_ln_pga_median(7.0, 10.0, 760.0, FL_MECHANISM_STRIKE_SLIP, NULL);
  double rv = fl_bjf97_ln_pga_median(7.0, 10.0, 760.0, FL_MECHANISM_REVERSE, NULL);
  ck_assert(fabs(ss - ln_pga - (-0.313 + 0.242)) < EXACT);
  ck_assert(fabs(rv - ln_pga - (-0.117 + 0.242)) < EXACT);
  /* At the reference velocity the site term vanishes; softer soil amplifies. */
  ck_assert(fabs(fl_bjf97_ln_pga_median(6.0, 0.0, 1396.0, FL_MECHANISM_UNSPECIFIED, NULL) -
                 (-0.242 - 0.778 * log(5.57))) < EXACT);
  ck_assert(fl_bjf97_pga_median_g(7.0, 10.0, 300.0, 0, NULL) > pga);
  /* The total sigma is the quadrature sum of its parts. */
  ck_assert(fabs(hypot(FL_BJF97_SIGMA_BETWEEN, FL_BJF97_SIGMA_WITHIN) - FL_BJF97_SIGMA_TOTAL) <
            0.0005);
}
END_TEST

START_TEST(test_bjf97_monotone_and_clamped)
{
  for (double m = 5.5; m < 7.5; m += 0.1)
    ck_assert(fl_bjf97_pga_median_g(m + 0.1, 20.0, 760.0, 0, NULL) >
              fl_bjf97_pga_median_g(m, 20.0, 760.0, 0, NULL));
  for (double r = 0.0; r < 200.0; r += 1.0)
    ck_assert(fl_bjf97_pga_median_g(6.5, r + 1.0, 760.0, 0, NULL) <
              fl_bjf97_pga_median_g(6.5, r, 760.0, 0, NULL));

  unsigned flags = 0;
  double at_max = fl_bjf97_ln_pga_median(7.5, 10.0, 760.0, 0, &flags);
  ck_assert_uint_eq(flags, 0);
  double m9 = fl_bjf97_ln_pga_median(9.0, 10.0, 760.0, 0, &flags);
  ck_assert(m9 == at_max);
  ck_assert_uint_eq(flags, FL_GMPE_MAG_CLAMPED);
  flags = 0;
  ck_assert(fl_bjf97_ln_pga_median(5.0, 10.0, 760.0, 0, &flags) ==
            fl_bjf97_ln_pga_median(5.5, 10.0, 760.0, 0, NULL));
  ck_assert_uint_eq(flags, FL_GMPE_MAG_CLAMPED);
  /* Beyond 80 km: evaluated (not clamped) and flagged; flags accumulate, never cleared. */
  double far = fl_bjf97_ln_pga_median(7.0, 150.0, 760.0, 0, &flags);
  ck_assert(fabs(far - bjf97_by_hand(7.0, 150.0, 760.0)) < EXACT);
  ck_assert_uint_eq(flags, FL_GMPE_MAG_CLAMPED | FL_GMPE_BEYOND_DISTANCE);
  flags = 0;
  fl_bjf97_ln_pga_median(7.0, 80.0, 760.0, 0, &flags);
  ck_assert_uint_eq(flags, 0);
}
END_TEST

START_TEST(test_bjf97_residuals)
{
  /* N events, two sites each, sharing the event's between-event residual. With
   * x_i = ln PGA_i - median: Var x = 0.184^2 + 0.460^2 and Cov(x_1, x_2) = 0.184^2.
   * Bounds (z = 6): the mean of x has sd sigma_t / sqrt N; the sample variance of a normal has
   * sd sigma_t^2 sqrt(2 / (N - 1)); the mean of x_1 x_2 has sd sqrt((sigma_t^4 + cov^2) / N). */
  enum { N = 200000 };
  FlRng rng;
  fl_rng_seed(&rng, 97, 0);
  double med = fl_bjf97_ln_pga_median(6.5, 15.0, 500.0, FL_MECHANISM_REVERSE, NULL);
  double s1 = 0, s2 = 0, s11 = 0, s12 = 0;
  for (int i = 0; i < N; i++) {
    double eta = fl_bjf97_sample_between(&rng);
    double x1 = fl_bjf97_ln_pga_sample(6.5, 15.0, 500.0, FL_MECHANISM_REVERSE, eta, &rng, NULL) - med;
    double x2 = fl_bjf97_ln_pga_sample(6.5, 15.0, 500.0, FL_MECHANISM_REVERSE, eta, &rng, NULL) - med;
    s1 += x1;
    s2 += x2;
    s11 += x1 * x1;
    s12 += x1 * x2;
  }
  double vt = FL_BJF97_SIGMA_BETWEEN * FL_BJF97_SIGMA_BETWEEN +
              FL_BJF97_SIGMA_WITHIN * FL_BJF97_SIGMA_WITHIN;
  double cov = FL_BJF97_SIGMA_BETWEEN * FL_BJF97_SIGMA_BETWEEN;
  double mean1 = s1 / N, mean2 = s2 / N;
  ck_assert_msg(fabs(mean1) < Z6 * sqrt(vt / N), "mean residual %.5f", mean1);
  ck_assert_msg(fabs(mean2) < Z6 * sqrt(vt / N), "mean residual %.5f", mean2);
  double var1 = (s11 - N * mean1 * mean1) / (N - 1);
  ck_assert_msg(fabs(var1 - vt) < Z6 * vt * sqrt(2.0 / (N - 1)), "variance %.5f vs %.5f", var1, vt);
  double c12 = s12 / N;
  ck_assert_msg(fabs(c12 - cov) < Z6 * sqrt((vt * vt + cov * cov) / N), "covariance %.5f vs %.5f",
                c12, cov);
}
END_TEST

/* --- intensity --- */

START_TEST(test_aww12_and_worden)
{
  /* Written out: 3.950 + 0.913 M - 1.107 ln sqrt(R^2 + (1 + 0.813 e^{M-5})^2). */
  double near = 1.0 + 0.813 * exp(2.0);
  double mmi10 = 3.950 + 0.913 * 7.0 - 1.107 * log(sqrt(100.0 + near * near));
  ck_assert(fabs(fl_aww12_mmi(7.0, 10.0) - mmi10) < EXACT);
  ck_assert_msg(fabs(fl_aww12_mmi(7.0, 10.0) - 7.6) < 0.05, "%.3f", fl_aww12_mmi(7.0, 10.0));
  ck_assert_msg(fabs(fl_aww12_mmi(7.0, 100.0) - 5.2) < 0.05, "%.3f", fl_aww12_mmi(7.0, 100.0));
  ck_assert(fl_aww12_mmi(7.5, 10.0) > fl_aww12_mmi(7.0, 10.0));
  ck_assert(fl_aww12_mmi(7.0, 20.0) < fl_aww12_mmi(7.0, 10.0));
  ck_assert(fabs(fl_aww12_sigma(0.0) - 0.95) < EXACT);
  ck_assert(fabs(fl_aww12_sigma(44.7) - 0.835) < EXACT);

  /* Worden 2012: 1 g = 980.665 cm/s^2, log10 = 2.99152, MMI = -1.60 + 3.70 * 2.99152 = 9.469. */
  ck_assert(fabs(fl_worden12_mmi_from_pga_g(1.0) - (-1.60 + 3.70 * log10(980.665))) < EXACT);
  /* Low branch: Y = 10 cm/s^2 -> 1.78 + 1.55 = 3.33. */
  ck_assert(fabs(fl_worden12_mmi_from_pga_g(10.0 / 980.665) - 3.33) < EXACT);
  /* Round trips on both branches, and near-continuity at the break (4.2135 vs 4.209). */
  for (double mmi = 2.0; mmi <= 10.0; mmi += 0.5)
    ck_assert(fabs(fl_worden12_mmi_from_pga_g(fl_worden12_pga_g_from_mmi(mmi)) - mmi) < 1e-9);
  double y = pow(10.0, 1.57) / 980.665;
  ck_assert(fabs(fl_worden12_mmi_from_pga_g(y) - fl_worden12_mmi_from_pga_g(y * 1.000001)) < 0.01);
}
END_TEST

/* --- fragility --- */

START_TEST(test_fragility_curves)
{
  for (int c = 0; c < FL_FRAGILITY_N_CLASSES; c++) {
    const FlFragility *f = fl_fragility_get((FlFragilityClass)c);
    for (int ds = FL_DAMAGE_SLIGHT; ds <= FL_DAMAGE_COMPLETE; ds++) {
      /* At the median the exceedance probability is exactly one half. */
      ck_assert(fabs(fl_fragility_exceed(f, ds, f->theta_g[ds - 1]) - 0.5) < EXACT);
      /* One beta above the median: Phi(1) = 0.841345. */
      ck_assert(fabs(fl_fragility_exceed(f, ds, f->theta_g[ds - 1] * exp(f->beta[ds - 1])) -
                     0.8413447460685429) < 1e-12);
      double prev = 0.0;
      for (double pga = 0.01; pga < 4.0; pga *= 1.1) {
        double p = fl_fragility_exceed(f, ds, pga);
        ck_assert(p >= prev && p <= 1.0);
        prev = p;
      }
      ck_assert(fl_fragility_exceed(f, ds, 0.0) == 0.0);
    }
    ck_assert(fl_fragility_exceed(f, FL_DAMAGE_NONE, 0.0) == 1.0);
    /* State probabilities are non-negative and sum to one, at any PGA. */
    for (double pga = 0.0; pga < 4.0; pga += 0.05) {
      double p[FL_DAMAGE_N_STATES], sum = 0.0;
      fl_fragility_probabilities(f, pga, p);
      for (int ds = 0; ds < FL_DAMAGE_N_STATES; ds++) {
        ck_assert_msg(p[ds] >= 0.0, "%s at %g g: p[%d] = %g", f->name, pga, ds, p[ds]);
        sum += p[ds];
      }
      ck_assert(fabs(sum - 1.0) < 1e-12);
    }
  }
  /* The worked table: 230 kV substation at its moderate median 0.25 g. */
  const FlFragility *sub = fl_fragility_get(FL_FRAGILITY_SUBSTATION_230KV);
  ck_assert(sub->theta_g[1] == 0.25 && sub->beta[1] == 0.50);
  ck_assert(fabs(fl_fragility_exceed(sub, FL_DAMAGE_SLIGHT, 0.25) -
                 0.5 * erfc(-log(0.25 / 0.15) / 0.60 / sqrt(2.0))) < EXACT);
  /* Distribution circuits cross (extensive beta 0.15 < moderate 0.55): at 1.5 g the raw
   * extensive curve exceeds the moderate one; the state probabilities stay valid. */
  const FlFragility *dist = fl_fragility_get(FL_FRAGILITY_DISTRIBUTION);
  ck_assert(fl_fragility_exceed(dist, FL_DAMAGE_EXTENSIVE, 1.5) >
            fl_fragility_exceed(dist, FL_DAMAGE_MODERATE, 1.5));
  double p[FL_DAMAGE_N_STATES];
  fl_fragility_probabilities(dist, 1.5, p);
  ck_assert(p[FL_DAMAGE_MODERATE] == 0.0);

  FlFragilityClass cls;
  ck_assert(fl_fragility_lookup("substation-500kv", &cls, NULL) &&
            cls == FL_FRAGILITY_SUBSTATION_500KV);
  g_autoptr(GError) e = NULL;
  ck_assert(!fl_fragility_lookup("substation", &cls, &e));
  ck_assert(g_error_matches(e, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE));
  ck_assert_str_eq(fl_damage_state_name(FL_DAMAGE_EXTENSIVE), "extensive");
}
END_TEST

/* Upper alpha-quantile of chi-square with 4 degrees of freedom. For even df = 2k the survival
 * function is exactly e^{-x/2} sum_{j<k} (x/2)^j / j!, here e^{-x/2} (1 + x/2); solved by
 * bisection (x = 33.4 for alpha = 1e-6). */
static double
chi2_4_critical(double alpha)
{
  double lo = 0.0, hi = 200.0;
  for (int i = 0; i < 200; i++) {
    double x = 0.5 * (lo + hi);
    double sf = exp(-x / 2.0) * (1.0 + x / 2.0);
    if (sf > alpha)
      lo = x;
    else
      hi = x;
  }
  return hi;
}

START_TEST(test_fragility_sampling)
{
  /* 230 kV substation at 0.3 g: every state has probability >= 0.017, so with N = 200000 each
   * expected count is >= 3400 and the chi-square approximation is sound. */
  enum { N = 200000 };
  const FlFragility *f = fl_fragility_get(FL_FRAGILITY_SUBSTATION_230KV);
  double p[FL_DAMAGE_N_STATES];
  fl_fragility_probabilities(f, 0.3, p);
  long count[FL_DAMAGE_N_STATES] = { 0 };
  FlRng rng;
  fl_rng_seed(&rng, 2012, 3);
  for (int i = 0; i < N; i++)
    count[fl_fragility_sample(f, 0.3, fl_rng_uniform(&rng))]++;
  double chi2 = 0.0;
  for (int ds = 0; ds < FL_DAMAGE_N_STATES; ds++) {
    ck_assert(p[ds] * N > 3000.0);
    double e = p[ds] * N;
    chi2 += (count[ds] - e) * (count[ds] - e) / e;
  }
  double crit = chi2_4_critical(1e-6);
  ck_assert(crit > 33.0 && crit < 34.0);
  ck_assert_msg(chi2 < crit, "chi-square %.2f >= %.2f", chi2, crit);

  /* Deterministic edges of the one-uniform rule. */
  double q_complete = fl_fragility_exceed(f, FL_DAMAGE_COMPLETE, 0.3);
  ck_assert_int_eq(fl_fragility_sample(f, 0.3, q_complete * 0.999), FL_DAMAGE_COMPLETE);
  ck_assert_int_eq(fl_fragility_sample(f, 0.3, 0.999999), FL_DAMAGE_NONE);
  ck_assert_int_eq(fl_fragility_sample(f, 0.0, 1e-12), FL_DAMAGE_NONE);
  ck_assert_int_eq(fl_fragility_sample(f, 50.0, 0.5), FL_DAMAGE_COMPLETE);
}
END_TEST

/* --- outage and the generator rule --- */

static void
assert_outage(double own, double grid, double gen, double total, double from, double until)
{
  FlSiteOutage o;
  fl_site_outage(own, grid, gen, &o);
  ck_assert_msg(fabs(o.total_down_h - total) < EXACT && o.grid_from_h == from &&
                    o.grid_until_h == until && o.own_down_h == own,
                "own %g grid %g gen %g: total %g [%g, %g)", own, grid, gen, o.total_down_h,
                o.grid_from_h, o.grid_until_h);
}

START_TEST(test_generator_rule)
{
  assert_outage(0, 48, 72, 0, 0, 0);      /* grid loss within the fuel costs nothing */
  assert_outage(0, 72, 72, 0, 0, 0);      /* exactly the fuel: still nothing */
  assert_outage(0, 100, 72, 28, 72, 100); /* fuel runs out at 72 h, grid back at 100 h */
  assert_outage(10, 100, 72, 38, 72, 100); /* own damage, then the fuel gap: 10 + 28 */
  assert_outage(80, 100, 72, 100, 72, 100); /* overlapping: union [0, 100) */
  assert_outage(200, 100, 72, 200, 72, 100); /* own damage outlasts the grid */
  assert_outage(0, 24, 0, 24, 0, 24);     /* no generators */
  assert_outage(5, 0, 72, 5, 0, 0);       /* grid untouched */
  FlRestoration grid = fl_restoration_grid_default();
  ck_assert(grid.hours[FL_DAMAGE_NONE] == 0 && grid.hours[FL_DAMAGE_SLIGHT] == 24 &&
            grid.hours[FL_DAMAGE_MODERATE] == 72 && grid.hours[FL_DAMAGE_EXTENSIVE] == 168 &&
            grid.hours[FL_DAMAGE_COMPLETE] == 720);
  /* With the defaults, only extensive or complete substation damage outlasts 72 h of fuel. */
  for (int ds = 0; ds < FL_DAMAGE_N_STATES; ds++) {
    FlSiteOutage o;
    fl_site_outage(0, grid.hours[ds], FL_DEFAULT_GENERATOR_HOURS, &o);
    ck_assert((o.total_down_h > 0) == (ds >= FL_DAMAGE_EXTENSIVE));
  }
  FlRestoration fac = fl_restoration_facility_default();
  ck_assert(fac.hours[FL_DAMAGE_SLIGHT] == 0 && fac.hours[FL_DAMAGE_COMPLETE] > 0);
}
END_TEST

START_TEST(test_mechanism)
{
  FlMechanism m;
  ck_assert(fl_seismic_parse_mechanism("reverse", &m, NULL) && m == FL_MECHANISM_REVERSE);
  ck_assert(fl_seismic_parse_mechanism("strike-slip", &m, NULL) && m == FL_MECHANISM_STRIKE_SLIP);
  ck_assert_str_eq(fl_seismic_mechanism_name(FL_MECHANISM_UNSPECIFIED), "unspecified");
  g_autoptr(GError) e = NULL;
  ck_assert(!fl_seismic_parse_mechanism("normal", &m, &e));
  ck_assert(strstr(e->message, "expected unspecified, strike-slip or reverse") != NULL);
}
END_TEST

/* --- the catalog in scenarios/hazards/ --- */

START_TEST(test_catalog)
{
  /* Every shipped source parses with these modules' parsers, its rate matches the published
   * figure's lambda (hazards.md, to half its last digit), and its trace is at least as long as
   * the median rupture of its smallest magnitude, so ruptures are placed on the fault. */
  static const struct {
    const char *file, *group;
    double lambda, half_digit;
  } cat[] = {
    { "sf-bay-area.ini", "hazard sf-bay-area", 0.0424, 0.00005 },
    { "los-angeles.ini", "hazard los-angeles", 0.0305, 0.00005 },
    { "cascadia.ini", "hazard cascadia", 0.0092, 0.00005 },
    { "southern-kanto.ini", "hazard southern-kanto", 0.040, 0.0005 },
    { "nankai.ini", "hazard nankai", 0.054, 0.0005 },
    { "istanbul.ini", "hazard istanbul", 0.0176, 0.00005 },
  };
  for (size_t i = 0; i < G_N_ELEMENTS(cat); i++) {
    g_autofree char *path = g_build_filename(FL_TEST_SRCDIR, "scenarios", "hazards", cat[i].file,
                                             NULL);
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autoptr(GError) e = NULL;
    ck_assert_msg(g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &e), "%s: %s", path,
                  e ? e->message : "");
    g_autofree char *kind = g_key_file_get_value(kf, cat[i].group, "kind", &e);
    ck_assert_msg(kind != NULL && strcmp(kind, "earthquake") == 0, "%s: kind", cat[i].file);
    g_autofree char *source = g_key_file_get_value(kf, cat[i].group, "source", &e);
    g_autofree char *rate = g_key_file_get_value(kf, cat[i].group, "rate", &e);
    g_autofree char *mag = g_key_file_get_value(kf, cat[i].group, "magnitude", &e);
    g_autofree char *mech = g_key_file_get_value(kf, cat[i].group, "mechanism", &e);
    ck_assert_msg(source && rate && mag && mech, "%s: a key is missing", cat[i].file);
    GArray *trace = NULL;
    double lambda;
    FlGutenbergRichter gr;
    FlMechanism m;
    ck_assert_msg(fl_geo_parse_trace(source, &trace, &e), "%s: %s", cat[i].file, e->message);
    ck_assert_msg(fl_seismic_parse_rate(rate, &lambda, &e), "%s: %s", cat[i].file, e->message);
    ck_assert_msg(fl_gr_parse(mag, &gr, &e), "%s: %s", cat[i].file, e->message);
    ck_assert_msg(fl_seismic_parse_mechanism(mech, &m, &e), "%s: %s", cat[i].file, e->message);
    ck_assert_msg(fabs(lambda - cat[i].lambda) <= cat[i].half_digit + 1e-12, "%s: %.5f/y",
                  cat[i].file, lambda);
    double len = fl_geo_polyline_length_km((FlLatLon *)(void *)trace->data, trace->len);
    ck_assert_msg(len >= fl_wc94_rupture_length_km(gr.m0), "%s: trace %.0f km < rupture %.0f km",
                  cat[i].file, len, fl_wc94_rupture_length_km(gr.m0));
    g_array_unref(trace);
  }
}
END_TEST

static Suite *
seismic_suite(void)
{
  Suite *s = suite_create("seismic");
  TCase *tc = tcase_create("rates");
  tcase_add_test(tc, test_rate_conversion);
  tcase_add_test(tc, test_rate_errors);
  tcase_add_test(tc, test_mechanism);
  suite_add_tcase(s, tc);
  tc = tcase_create("gutenberg-richter");
  tcase_add_test(tc, test_gr_closed_forms);
  tcase_add_test(tc, test_gr_sampler_ks);
  tcase_add_test(tc, test_gr_errors);
  tcase_add_test(tc, test_gr_parse);
  suite_add_tcase(s, tc);
  tc = tcase_create("rupture");
  tcase_add_test(tc, test_wells_coppersmith);
  tcase_add_test(tc, test_rupture_distance);
  suite_add_tcase(s, tc);
  tc = tcase_create("shaking");
  tcase_add_test(tc, test_bjf97_worked_value);
  tcase_add_test(tc, test_bjf97_monotone_and_clamped);
  tcase_add_test(tc, test_bjf97_residuals);
  tcase_add_test(tc, test_aww12_and_worden);
  suite_add_tcase(s, tc);
  tc = tcase_create("damage");
  tcase_add_test(tc, test_fragility_curves);
  tcase_add_test(tc, test_fragility_sampling);
  tcase_add_test(tc, test_generator_rule);
  suite_add_tcase(s, tc);
  tc = tcase_create("catalog");
  tcase_add_test(tc, test_catalog);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(seismic_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failures = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
