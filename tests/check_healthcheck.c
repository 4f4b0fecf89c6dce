/* check_healthcheck.c - unit tests for healthcheck.h: flip counts, the uniform order
 * statistic, and the Route 53 and load-balancer detection delays.
 *
 * Statistical tolerances (fixed seeds, so each test is deterministic; the bounds say how
 * unlikely a failure would be for an arbitrary seed if the sampler is right):
 *   - a sample mean of N draws with variance v is off by more than 6·sqrt(v/N) with
 *     probability about 2e-9 (central limit theorem);
 *   - the unbiased sample variance s^2 has Var(s^2) = (mu4 - sigma^4 (N-3)/(N-1)) / N, with mu4
 *     the fourth central moment (for Beta(a, b), mu4 = sigma^4 (3 + excess kurtosis), excess
 *     kurtosis = 6[(a-b)^2 (a+b+1) - ab(a+b+2)] / [ab(a+b+2)(a+b+3)]); again 6 SE;
 *   - Kolmogorov-Smirnov: by the Dvoretzky-Kiefer-Wolfowitz inequality with Massart's constant,
 *     P(sup |F_N - F| > eps) <= 2 exp(-2 N eps^2) for every N (no asymptotics), so
 *     eps = sqrt(ln(2/alpha) / (2N)) with alpha = 1e-9.
 * The reference CDF of U_(k:n) is computed here independently of the sampler, by the binomial
 * sum P(U_(k) <= x) = P(at least k of n uniforms <= x) = sum_{j=k}^{n} C(n,j) x^j (1-x)^(n-j).
 */
#include "config.h"

#include <check.h>
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "faultline/healthcheck.h"
#include "faultline/rng.h"

#define SIGMAS 6.0
#define KS_ALPHA 1e-9

/* --- helpers --- */

static double
beta_mean(guint k, guint n)
{
  return (double)k / (double)(n + 1);
}

static double
beta_var(guint k, guint n)
{
  double a = k, b = n - k + 1.0, s = a + b;
  return a * b / (s * s * (s + 1.0)); /* = k(n-k+1) / ((n+1)^2 (n+2)) */
}

static double
beta_mu4(guint k, guint n)
{
  double a = k, b = n - k + 1.0, s = a + b;
  double excess = 6.0 * ((a - b) * (a - b) * (s + 1.0) - a * b * (s + 2.0))
                  / (a * b * (s + 2.0) * (s + 3.0));
  double v = beta_var(k, n);
  return v * v * (3.0 + excess);
}

/* P(U_(k:n) <= x) by the binomial sum; C(n, j) built up by the multiplicative recurrence. */
static double
order_stat_cdf(guint k, guint n, double x)
{
  if (x <= 0.0)
    return 0.0;
  if (x >= 1.0)
    return 1.0;
  double sum = 0.0, binom = 1.0; /* C(n, 0) */
  for (guint j = 0; j <= n; j++) {
    if (j >= k)
      sum += binom * pow(x, j) * pow(1.0 - x, n - j);
    binom = binom * (double)(n - j) / (double)(j + 1);
  }
  return MIN(sum, 1.0);
}

static int
cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Kolmogorov-Smirnov distance of the sorted sample @x (N values) from the CDF of U_(k:n). */
static double
ks_distance(double *x, guint N, guint k, guint n)
{
  qsort(x, N, sizeof(double), cmp_double);
  double d = 0.0;
  for (guint i = 0; i < N; i++) {
    double f = order_stat_cdf(k, n, x[i]);
    d = MAX(d, MAX((double)(i + 1) / N - f, f - (double)i / N));
  }
  return d;
}

static double
dkw_epsilon(guint N)
{
  return sqrt(log(2.0 / KS_ALPHA) / (2.0 * N));
}

static guint criticals;

static void
count_criticals(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
  (void)domain;
  (void)message;
  (void)data;
  if (level & G_LOG_LEVEL_CRITICAL)
    criticals++;
}

/* The (k, n) pairs exercised: the Route 53 defaults both ways, the exact-product case n = 50,
 * and the extremes of the supported range. */
static const struct {
  guint k, n;
} order_cases[] = {
  { 1, 1 }, { 13, 15 }, { 3, 15 }, { 41, 50 }, { 10, 50 }, { 1, 64 }, { 32, 64 }, { 64, 64 },
};

/* --- flip counts --- */

START_TEST(test_flip_route53_defaults)
{
  /* 0.18·15 = 2.7: unhealthy when <= 2 of 15 say healthy (13 flips); healthy needs 3. */
  ck_assert_uint_eq(fl_r53_checkers_to_flip(15, 0.18, TRUE), 13);
  ck_assert_uint_eq(fl_r53_checkers_to_flip(15, 0.18, FALSE), 3);
  /* 0.18·8 = 1.44 (the 8 checker regions). */
  ck_assert_uint_eq(fl_r53_checkers_to_flip(8, 0.18, TRUE), 7);
  ck_assert_uint_eq(fl_r53_checkers_to_flip(8, 0.18, FALSE), 2);
  /* A single checker decides alone. */
  ck_assert_uint_eq(fl_r53_checkers_to_flip(1, 0.18, TRUE), 1);
  ck_assert_uint_eq(fl_r53_checkers_to_flip(1, 0.18, FALSE), 1);
  /* 0.18·3 = 0.54: the minimum custom list of 3 regions. */
  ck_assert_uint_eq(fl_r53_checkers_to_flip(3, 0.18, TRUE), 3);
  ck_assert_uint_eq(fl_r53_checkers_to_flip(3, 0.18, FALSE), 1);
}
END_TEST

START_TEST(test_flip_exact_product)
{
  /* 0.18·50 = 9 exactly: "more than 9" healthy means healthy needs >= 10; unhealthy at <= 9,
   * i.e. after 41 flips. */
  ck_assert_uint_eq(fl_r53_checkers_to_flip(50, 0.18, TRUE), 41);
  ck_assert_uint_eq(fl_r53_checkers_to_flip(50, 0.18, FALSE), 10);
  /* Products whose double lands on the wrong side of the integer: 0.29·100 and 0.57·100 round
   * below 29 and 57, 0.07·100 and 0.14·50 above 7. floor() alone would get the first two
   * wrong. */
  volatile double h29 = 0.29, h57 = 0.57, h07 = 0.07, h14 = 0.14;
  ck_assert(h29 * 100.0 < 29.0);
  ck_assert(h57 * 100.0 < 57.0);
  ck_assert(h07 * 100.0 > 7.0);
  ck_assert(h14 * 50.0 > 7.0);
  ck_assert_uint_eq(fl_r53_checkers_to_flip(100, 0.29, TRUE), 71);
  ck_assert_uint_eq(fl_r53_checkers_to_flip(100, 0.29, FALSE), 30);
  ck_assert_uint_eq(fl_r53_checkers_to_flip(100, 0.57, TRUE), 43);
  ck_assert_uint_eq(fl_r53_checkers_to_flip(100, 0.57, FALSE), 58);
  ck_assert_uint_eq(fl_r53_checkers_to_flip(100, 0.07, TRUE), 93);
  ck_assert_uint_eq(fl_r53_checkers_to_flip(100, 0.07, FALSE), 8);
  ck_assert_uint_eq(fl_r53_checkers_to_flip(50, 0.14, TRUE), 43);
  ck_assert_uint_eq(fl_r53_checkers_to_flip(50, 0.14, FALSE), 8);
  /* 0.2·25 = 5, 0.5·10 = 5, 0.1·30 = 3 (0.1·3 is the classic 0.30000000000000004). */
  ck_assert_uint_eq(fl_r53_checkers_to_flip(25, 0.2, TRUE), 20);
  ck_assert_uint_eq(fl_r53_checkers_to_flip(25, 0.2, FALSE), 6);
  ck_assert_uint_eq(fl_r53_checkers_to_flip(10, 0.5, TRUE), 5);
  ck_assert_uint_eq(fl_r53_checkers_to_flip(10, 0.5, FALSE), 6);
  ck_assert_uint_eq(fl_r53_checkers_to_flip(30, 0.1, TRUE), 27);
  ck_assert_uint_eq(fl_r53_checkers_to_flip(30, 0.1, FALSE), 4);
  /* healthy_above = 0: one healthy checker is enough, so all must fail. */
  ck_assert_uint_eq(fl_r53_checkers_to_flip(15, 0.0, TRUE), 15);
  ck_assert_uint_eq(fl_r53_checkers_to_flip(15, 0.0, FALSE), 1);
}
END_TEST

/* Against the definition in exact integer arithmetic, for every share with two or three
 * decimals and every n up to 200: the endpoint with h healthy of n is healthy iff
 * h > (p / D)·n, i.e. h·D > p·n. Counting from all-healthy down (and all-unhealthy up) to
 * the first verdict change gives the flips. */
START_TEST(test_flip_against_definition)
{
  static const guint denominators[] = { 100, 1000 };
  for (guint di = 0; di < G_N_ELEMENTS(denominators); di++) {
    guint D = denominators[di];
    for (guint p = 0; p < D; p++) {
      for (guint n = 1; n <= 200; n++) {
        guint64 pn = (guint64)p * n;
        guint down = 0, up = 0;
        while ((guint64)(n - down) * D > pn) /* still healthy with n - down healthy */
          down++;
        while (!((guint64)up * D > pn)) /* still unhealthy with up healthy */
          up++;
        if (down == 0 || up > n) /* p < D: all healthy is healthy */
          ck_abort_msg("reference broken at n = %u, share = %u/%u", n, p, D);
        double share = (double)p / (double)D;
        guint got_down = fl_r53_checkers_to_flip(n, share, TRUE);
        guint got_up = fl_r53_checkers_to_flip(n, share, FALSE);
        /* Asserted only on failure: a passing ck_assert costs a write to the runner. */
        if (got_down != down || got_up != up || down + up != n + 1)
          ck_abort_msg("n = %u, share = %u/%u: flips %u down / %u up, expected %u / %u", n, p, D,
                       got_down, got_up, down, up);
      }
    }
  }
}
END_TEST

START_TEST(test_flip_invalid)
{
  criticals = 0;
  g_log_set_default_handler(count_criticals, NULL);
  ck_assert_uint_eq(fl_r53_checkers_to_flip(0, 0.18, TRUE), 0);
  ck_assert_uint_eq(fl_r53_checkers_to_flip(15, -0.1, TRUE), 0);
  ck_assert_uint_eq(fl_r53_checkers_to_flip(15, 1.0, TRUE), 0);
  ck_assert_uint_eq(fl_r53_checkers_to_flip(15, NAN, FALSE), 0);
  /* Within 1e-9 of 1: m would be n, the endpoint could never be healthy. */
  ck_assert_uint_eq(fl_r53_checkers_to_flip(15, 1.0 - 1e-12, FALSE), 0);
  ck_assert_uint_eq(criticals, 5);
}
END_TEST

/* --- the order statistic --- */

START_TEST(test_order_stat_moments)
{
  const guint N = 200000;
  for (guint c = 0; c < G_N_ELEMENTS(order_cases); c++) {
    guint k = order_cases[c].k, n = order_cases[c].n;
    FlRng rng;
    fl_rng_seed(&rng, 20240301, c);
    /* Welford's running mean and variance. */
    double mean = 0.0, m2 = 0.0;
    for (guint i = 0; i < N; i++) {
      double u = fl_uniform_order_stat(&rng, k, n);
      double delta = u - mean;
      mean += delta / (i + 1);
      m2 += delta * (u - mean);
    }
    double var = m2 / (N - 1);
    double v = beta_var(k, n), mu4 = beta_mu4(k, n);
    double se_mean = sqrt(v / N);
    double se_var = sqrt((mu4 - v * v * (N - 3.0) / (N - 1.0)) / N);
    ck_assert_msg(fabs(mean - beta_mean(k, n)) <= SIGMAS * se_mean,
                  "U_(%u:%u): mean %.8f, expected %.8f +- %.2g", k, n, mean, beta_mean(k, n),
                  SIGMAS * se_mean);
    ck_assert_msg(fabs(var - v) <= SIGMAS * se_var,
                  "U_(%u:%u): variance %.4e, expected %.4e +- %.2g", k, n, var, v,
                  SIGMAS * se_var);
  }
}
END_TEST

START_TEST(test_order_stat_support)
{
  for (guint c = 0; c < G_N_ELEMENTS(order_cases); c++) {
    guint k = order_cases[c].k, n = order_cases[c].n;
    FlRng rng;
    fl_rng_seed(&rng, 7, c);
    guint outside = 0; /* counted, not asserted per draw: a passing ck_assert costs a write */
    double lo = 1.0, hi = 0.0;
    for (guint i = 0; i < 100000; i++) {
      double u = fl_uniform_order_stat(&rng, k, n);
      outside += !(u > 0.0 && u < 1.0);
      lo = MIN(lo, u);
      hi = MAX(hi, u);
    }
    ck_assert_msg(outside == 0, "U_(%u:%u): %u draws outside (0, 1); min %.17g, max %.17g", k,
                  n, outside, lo, hi);
  }
}
END_TEST

/* The documented construction, draw for draw: U_(k:n) = G / (G + H) with G ~ Gamma(k) drawn
 * first and H ~ Gamma(n + 1 - k) second (an exponential for shape 1, else Marsaglia-Tsang), and
 * the stream left where those two draws leave it. The laws are checked by the moment and KS
 * tests; this pins the draw order the golden timelines depend on. */
static double
gamma_ref(FlRng *rng, guint shape)
{
  if (shape == 1)
    return fl_rng_exp(rng);
  double d = shape - 1.0 / 3.0;
  return fl_rng_gamma_mt(rng, d, 1.0 / sqrt(9.0 * d));
}

START_TEST(test_order_stat_construction)
{
  FlRng rng;
  fl_rng_seed(&rng, 99, 0);
  for (guint trial = 0; trial < 1000; trial++) {
    guint n = 1 + trial % FL_HC_MAX_CHECKERS, k = 1 + (trial * 7) % n;
    FlRng by_gamma = rng;
    double g = gamma_ref(&by_gamma, k), h = gamma_ref(&by_gamma, n + 1 - k);
    double u = fl_uniform_order_stat(&rng, k, n);
    ck_assert_msg(u == g / (g + h), "U_(%u:%u) = %.17g, not G/(G+H) = %.17g", k, n, u,
                  g / (g + h));
    ck_assert(memcmp(&by_gamma, &rng, sizeof rng) == 0);
  }
}
END_TEST

START_TEST(test_order_stat_ks)
{
  const guint N = 20000;
  double *x = g_new(double, N);
  double eps = dkw_epsilon(N);
  for (guint c = 0; c < G_N_ELEMENTS(order_cases); c++) {
    guint k = order_cases[c].k, n = order_cases[c].n;
    FlRng rng;
    fl_rng_seed(&rng, 4242, c);
    for (guint i = 0; i < N; i++)
      x[i] = fl_uniform_order_stat(&rng, k, n);
    double d = ks_distance(x, N, k, n);
    ck_assert_msg(d <= eps, "U_(%u:%u): KS distance %.4f > %.4f", k, n, d, eps);
  }
  g_free(x);
}
END_TEST

/* The KS test has the power to see an off-by-one rank: U_(13:15) is far from U_(12:15)'s law
 * and U_(3:15) from U_(4:15)'s. */
START_TEST(test_order_stat_ks_power)
{
  const guint N = 20000;
  double *x = g_new(double, N);
  double eps = dkw_epsilon(N);
  FlRng rng;
  fl_rng_seed(&rng, 4243, 0);
  for (guint i = 0; i < N; i++)
    x[i] = fl_uniform_order_stat(&rng, 13, 15);
  ck_assert_double_gt(ks_distance(x, N, 12, 15), 5.0 * eps);
  for (guint i = 0; i < N; i++)
    x[i] = fl_uniform_order_stat(&rng, 3, 15);
  ck_assert_double_gt(ks_distance(x, N, 4, 15), 5.0 * eps);
  g_free(x);
}
END_TEST

/* The reference CDF itself: U_(1:n) has CDF 1 - (1-x)^n, U_(n:n) has x^n, U_(k:2k-1) is
 * symmetric about 1/2, and it is a CDF (0 at 0, 1 at 1, increasing). */
START_TEST(test_reference_cdf)
{
  for (guint n = 1; n <= 64; n += 7) {
    for (double x = 0.05; x < 1.0; x += 0.1) {
      ck_assert_double_eq_tol(order_stat_cdf(1, n, x), 1.0 - pow(1.0 - x, n), 1e-12);
      ck_assert_double_eq_tol(order_stat_cdf(n, n, x), pow(x, n), 1e-12);
    }
  }
  for (guint k = 1; k <= 32; k++) {
    ck_assert_double_eq_tol(order_stat_cdf(k, 2 * k - 1, 0.5), 0.5, 1e-12);
    ck_assert_double_eq_tol(order_stat_cdf(k, 2 * k - 1, 0.3) + order_stat_cdf(k, 2 * k - 1, 0.7),
                            1.0, 1e-12);
  }
  double prev = 0.0;
  for (double x = 0.0; x <= 1.0; x += 0.01) {
    double f = order_stat_cdf(41, 50, x);
    ck_assert_double_ge(f, prev);
    prev = f;
  }
  ck_assert_double_eq_tol(order_stat_cdf(41, 50, 1.0 - 1e-15), 1.0, 1e-12);
}
END_TEST

START_TEST(test_order_stat_deterministic)
{
  FlRng a, b;
  fl_rng_seed(&a, 5, 3);
  fl_rng_seed(&b, 5, 3);
  for (guint i = 0; i < 1000; i++) {
    double x = fl_uniform_order_stat(&a, 13, 15), y = fl_uniform_order_stat(&b, 13, 15);
    ck_assert(x == y);
  }
}
END_TEST

START_TEST(test_order_stat_invalid)
{
  criticals = 0;
  g_log_set_default_handler(count_criticals, NULL);
  FlRng rng;
  fl_rng_seed(&rng, 1, 1);
  ck_assert(isnan(fl_uniform_order_stat(&rng, 0, 15)));
  ck_assert(isnan(fl_uniform_order_stat(&rng, 16, 15)));
  ck_assert(isnan(fl_uniform_order_stat(&rng, 1, 0)));
  ck_assert(isnan(fl_uniform_order_stat(&rng, 1, FL_HC_MAX_CHECKERS + 1)));
  ck_assert(isnan(fl_uniform_order_stat(NULL, 1, 1)));
  ck_assert_uint_eq(criticals, 5);
  /* The largest accepted case works. */
  double u = fl_uniform_order_stat(&rng, FL_HC_MAX_CHECKERS, FL_HC_MAX_CHECKERS);
  ck_assert(u > 0.0 && u < 1.0);
}
END_TEST

/* A prepared order statistic (the frontend's verdict delays) is the documented construction
 * too, draw for draw, for every rank of every accepted n: the reference above computes the
 * gammas' constants itself, so constants prepared wrongly (swapped, rounded otherwise, left
 * unset for a shape) fail here. */
START_TEST(test_order_stat_prepared)
{
  for (guint n = 1; n <= FL_HC_MAX_CHECKERS; n++)
    for (guint k = 1; k <= n; k++) {
      FlOrderStat os;
      ck_assert(fl_order_stat_prepare(&os, k, n));
      ck_assert_uint_eq(os.k, k);
      ck_assert_uint_eq(os.n, n);
      FlRng rng;
      fl_rng_seed(&rng, 77, (guint64)n * 100 + k);
      for (guint i = 0; i < 20; i++) {
        FlRng by_gamma = rng;
        double g = gamma_ref(&by_gamma, k), h = gamma_ref(&by_gamma, n + 1 - k);
        double u = fl_order_stat_draw(&os, &rng);
        ck_assert_msg(u == g / (g + h), "k=%u n=%u draw %u: %.17g, not G/(G+H) = %.17g", k, n,
                      i, u, g / (g + h));
        ck_assert(memcmp(&by_gamma, &rng, sizeof rng) == 0);
      }
    }
}
END_TEST

START_TEST(test_order_stat_prepare_invalid)
{
  criticals = 0;
  g_log_set_default_handler(count_criticals, NULL);
  FlOrderStat os = { .k = 9, .n = 9 };
  ck_assert(!fl_order_stat_prepare(&os, 0, 15));
  ck_assert_uint_eq(os.k, 0); /* zeroed, so a stray draw cannot pass for a valid one */
  ck_assert(!fl_order_stat_prepare(&os, 16, 15));
  ck_assert(!fl_order_stat_prepare(&os, 1, FL_HC_MAX_CHECKERS + 1));
  ck_assert(!fl_order_stat_prepare(NULL, 1, 1));
  ck_assert_uint_eq(criticals, 4);
}
END_TEST

/* --- delays --- */

START_TEST(test_r53_mean_closed_form)
{
  /* Defaults: 30 s, threshold 3, 15 checkers, 18%: 60 + 30·13/16 and 60 + 30·3/16. */
  ck_assert_double_eq(fl_r53_verdict_delay_mean(30, 3, 15, 0.18, TRUE), 84.375);
  ck_assert_double_eq(fl_r53_verdict_delay_mean(30, 3, 15, 0.18, FALSE), 65.625);
  /* Fast checks, threshold 1: only the order statistic, 10·13/16. */
  ck_assert_double_eq(fl_r53_verdict_delay_mean(10, 1, 15, 0.18, TRUE), 8.125);
  /* n = 50: k = 41 and 10 of 51 in the last interval. */
  ck_assert_double_eq_tol(fl_r53_verdict_delay_mean(30, 3, 50, 0.18, TRUE), 60 + 30.0 * 41 / 51,
                          1e-12);
  ck_assert_double_eq_tol(fl_r53_verdict_delay_mean(30, 3, 50, 0.18, FALSE), 60 + 30.0 * 10 / 51,
                          1e-12);
  /* ALB defaults: unhealthy 2, healthy 5, 30 s. */
  ck_assert_double_eq(fl_lb_target_delay_mean(30, 2), 45.0);
  ck_assert_double_eq(fl_lb_target_delay_mean(30, 5), 135.0);
  ck_assert_double_eq(fl_lb_target_delay_mean(5, 1), 2.5);
}
END_TEST

static const struct {
  double interval_s;
  guint threshold, checkers;
  double healthy_above;
} r53_cases[] = {
  { 30, 3, 15, 0.18 }, { 10, 3, 15, 0.18 }, { 10, 1, 15, 0.18 },
  { 30, 10, 8, 0.18 }, { 30, 3, 50, 0.18 }, { 30, 3, 64, 0.5 },
};

START_TEST(test_r53_delay_sampled)
{
  const guint N = 100000;
  for (guint c = 0; c < G_N_ELEMENTS(r53_cases); c++) {
    for (int dir = 0; dir < 2; dir++) {
      double I = r53_cases[c].interval_s, h = r53_cases[c].healthy_above;
      guint th = r53_cases[c].threshold, n = r53_cases[c].checkers;
      guint k = fl_r53_checkers_to_flip(n, h, dir);
      FlRng rng;
      fl_rng_seed(&rng, 1000 + c, dir);
      double lo = (th - 1) * I, hi = th * I, sum = 0.0, dmin = INFINITY, dmax = -INFINITY;
      for (guint i = 0; i < N; i++) {
        double d = fl_r53_verdict_delay(&rng, I, th, n, h, dir);
        dmin = MIN(dmin, d);
        dmax = MAX(dmax, d);
        sum += d;
      }
      ck_assert_msg(dmin >= lo && dmax <= hi, "case %u: delays [%.17g, %.17g] outside [%g, %g]",
                    c, dmin, dmax, lo, hi);
      double mean = sum / N, expect = fl_r53_verdict_delay_mean(I, th, n, h, dir);
      double se = I * sqrt(beta_var(k, n) / N);
      ck_assert_msg(fabs(mean - expect) <= SIGMAS * se, "case %u dir %d: mean %.6f, expected %.6f +- %.3g",
                    c, dir, mean, expect, SIGMAS * se);
    }
  }
}
END_TEST

/* The delay is exactly (threshold - 1)·interval + interval·U_(k:n) for the same draws. */
START_TEST(test_r53_delay_is_order_stat)
{
  FlRng a, b;
  fl_rng_seed(&a, 31, 0);
  b = a;
  for (guint i = 0; i < 1000; i++) {
    double d = fl_r53_verdict_delay(&a, 30, 3, 15, 0.18, TRUE);
    double u = fl_uniform_order_stat(&b, 13, 15);
    ck_assert_double_eq_tol(d, 60 + 30 * u, 1e-12);
    d = fl_r53_verdict_delay(&a, 30, 3, 15, 0.18, FALSE);
    u = fl_uniform_order_stat(&b, 3, 15);
    ck_assert_double_eq_tol(d, 60 + 30 * u, 1e-12);
  }
}
END_TEST

START_TEST(test_lb_delay_sampled)
{
  static const struct {
    double interval_s;
    guint threshold;
  } cases[] = { { 30, 2 }, { 30, 5 }, { 5, 1 }, { 300, 10 } };
  const guint N = 100000;
  for (guint c = 0; c < G_N_ELEMENTS(cases); c++) {
    double I = cases[c].interval_s;
    guint th = cases[c].threshold;
    FlRng rng;
    fl_rng_seed(&rng, 77, c);
    double lo = (th - 1) * I, hi = th * I, sum = 0.0, dmin = INFINITY, dmax = -INFINITY;
    for (guint i = 0; i < N; i++) {
      double d = fl_lb_target_delay(&rng, I, th);
      dmin = MIN(dmin, d);
      dmax = MAX(dmax, d);
      sum += d;
    }
    ck_assert_msg(dmin >= lo && dmax <= hi, "delays [%.17g, %.17g] outside [%g, %g]", dmin, dmax,
                  lo, hi);
    /* U·I has variance I^2 / 12. */
    double mean = sum / N, se = I / sqrt(12.0 * N);
    ck_assert_msg(fabs(mean - fl_lb_target_delay_mean(I, th)) <= SIGMAS * se,
                  "interval %g threshold %u: mean %.6f, expected %.6f +- %.3g", I, th, mean,
                  fl_lb_target_delay_mean(I, th), SIGMAS * se);
  }
}
END_TEST

START_TEST(test_delay_invalid)
{
  criticals = 0;
  g_log_set_default_handler(count_criticals, NULL);
  FlRng rng;
  fl_rng_seed(&rng, 1, 1);
  ck_assert(isnan(fl_r53_verdict_delay(&rng, 0, 3, 15, 0.18, TRUE)));
  ck_assert(isnan(fl_r53_verdict_delay(&rng, 30, 0, 15, 0.18, TRUE)));
  ck_assert(isnan(fl_r53_verdict_delay(&rng, 30, 3, 0, 0.18, TRUE)));
  ck_assert(isnan(fl_r53_verdict_delay(&rng, 30, 3, FL_HC_MAX_CHECKERS + 1, 0.18, TRUE)));
  ck_assert(isnan(fl_r53_verdict_delay(&rng, INFINITY, 3, 15, 0.18, TRUE)));
  ck_assert(isnan(fl_r53_verdict_delay_mean(-1, 3, 15, 0.18, TRUE)));
  ck_assert(isnan(fl_lb_target_delay(&rng, NAN, 2)));
  ck_assert(isnan(fl_lb_target_delay(&rng, 30, 0)));
  ck_assert(isnan(fl_lb_target_delay_mean(30, 0)));
  ck_assert_uint_eq(criticals, 9);
  /* A bad share fails inside fl_r53_checkers_to_flip(), then here: two criticals. */
  ck_assert(isnan(fl_r53_verdict_delay(&rng, 30, 3, 15, 1.5, TRUE)));
  ck_assert_uint_eq(criticals, 11);
}
END_TEST

static Suite *
healthcheck_suite(void)
{
  Suite *s = suite_create("healthcheck");

  TCase *tc = tcase_create("flip counts");
  tcase_add_test(tc, test_flip_route53_defaults);
  tcase_add_test(tc, test_flip_exact_product);
  tcase_add_test(tc, test_flip_against_definition);
  tcase_add_test(tc, test_flip_invalid);
  suite_add_tcase(s, tc);

  tc = tcase_create("order statistic");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_reference_cdf);
  tcase_add_test(tc, test_order_stat_moments);
  tcase_add_test(tc, test_order_stat_support);
  tcase_add_test(tc, test_order_stat_construction);
  tcase_add_test(tc, test_order_stat_ks);
  tcase_add_test(tc, test_order_stat_ks_power);
  tcase_add_test(tc, test_order_stat_deterministic);
  tcase_add_test(tc, test_order_stat_invalid);
  tcase_add_test(tc, test_order_stat_prepared);
  tcase_add_test(tc, test_order_stat_prepare_invalid);
  suite_add_tcase(s, tc);

  tc = tcase_create("delays");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_r53_mean_closed_form);
  tcase_add_test(tc, test_r53_delay_sampled);
  tcase_add_test(tc, test_r53_delay_is_order_stat);
  tcase_add_test(tc, test_lb_delay_sampled);
  tcase_add_test(tc, test_delay_invalid);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(healthcheck_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
