/* check_rng.c - unit tests for rng.h: xoshiro256**, stream seeding and the ziggurat samplers.
 *
 * Every stochastic check uses a fixed seed, so the suite is deterministic; the tolerances are
 * still derived from the statistics so that a correct generator would pass for almost any
 * seed, and a wrong one fails:
 *   - means: K = 6 standard errors, the SE from the known variance (two-sided normal false-alarm
 *     rate 2e-9 per check);
 *   - sample variances: K standard deviations of s^2, Var(s^2) ~ (mu4 - sigma^4) / n with mu4
 *     the known 4th central moment;
 *   - chi-square: the upper 1e-9 quantile of the chi-square law with k - 1 degrees of freedom
 *     (computed with mpmath, quoted below);
 *   - Kolmogorov-Smirnov: the Dvoretzky-Kiefer-Wolfowitz inequality with Massart's constant,
 *     P(sup|F_n - F| > t) <= 2 exp(-2 n t^2) for every n, so t = sqrt(ln(2 / alpha) / (2 n)).
 * Draws per check: at most 1e6, so the suite runs in well under a second (a few under ASan).
 */
#include "config.h"

#include <check.h>
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "faultline/rng.h"

#define K_SIGMA 6.0
#define N_DRAWS 1000000
#define ALPHA 1e-9

/* Upper 1e-9 quantiles of chi-square with df degrees of freedom (mpmath: bisection on the
 * regularized upper incomplete gamma Q(df/2, x/2) = 1e-9). */
#define CHI2_DF1_1E9 37.3248930514
#define CHI2_DF2_1E9 41.4465316739
#define CHI2_DF9_1E9 60.6603083738
#define CHI2_DF15_1E9 73.6300001435
#define CHI2_DF99_1E9 207.897520837

/* Chi-square statistic of @counts (k cells) against equal expected counts. */
static double
chi_square_equal(const guint64 *counts, guint k)
{
  guint64 n = 0;
  for (guint i = 0; i < k; i++)
    n += counts[i];
  double expected = (double)n / k, chi2 = 0.0;
  for (guint i = 0; i < k; i++) {
    double d = (double)counts[i] - expected;
    chi2 += d * d / expected;
  }
  return chi2;
}

static int
cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Kolmogorov-Smirnov distance between the sample @x (sorted in place) and @cdf. */
static double
ks_distance(double *x, gsize n, double (*cdf)(double))
{
  qsort(x, n, sizeof *x, cmp_double);
  double d = 0.0;
  for (gsize i = 0; i < n; i++) {
    double f = cdf(x[i]);
    d = MAX(d, MAX(f - (double)i / n, (double)(i + 1) / n - f));
  }
  return d;
}

/* The empirical CDF of @x at each of @points against @cdf, as binomial counts within K_SIGMA
 * standard errors sqrt(n F (1 - F)). Sharper than KS where F or 1 - F is small: a wrong
 * ziggurat table distorts the narrow top layers near 0 most (a 0.3% error in the exponential's
 * layer area V moves P(X < 0.01) by ~10 SE but the KS distance by less than half its bound). */
static void
assert_cdf_points(const double *x, gsize n, double (*cdf)(double), const double *points,
                  guint n_points)
{
  for (guint k = 0; k < n_points; k++) {
    guint64 below = 0;
    for (gsize i = 0; i < n; i++)
      below += x[i] < points[k];
    double f = cdf(points[k]), se = sqrt((double)n * f * (1.0 - f));
    ck_assert_msg(fabs((double)below - (double)n * f) <= K_SIGMA * se,
                  "F(%g): %" G_GUINT64_FORMAT " of %zu below, expected %.1f +- %.1f", points[k],
                  below, n, (double)n * f, K_SIGMA * se);
  }
}

/* DKW-Massart bound on the KS distance at false-alarm rate ALPHA. */
static double
ks_bound(gsize n)
{
  return sqrt(log(2.0 / ALPHA) / (2.0 * (double)n));
}

static double
exp_cdf(double x)
{
  return x <= 0.0 ? 0.0 : -expm1(-x);
}

static double
normal_cdf(double x)
{
  return 0.5 * erfc(-x / sqrt(2.0));
}

/* Checks that a binomial count @hits out of @n matches probability @p within K_SIGMA standard
 * errors sqrt(n p (1 - p)). */
static void
assert_binomial(guint64 hits, guint64 n, double p, const char *what)
{
  double expected = p * (double)n, se = sqrt((double)n * p * (1.0 - p));
  ck_assert_msg(fabs((double)hits - expected) <= K_SIGMA * se,
                "%s: %" G_GUINT64_FORMAT " hits in %" G_GUINT64_FORMAT ", expected %.1f +- %.1f",
                what, hits, n, expected, K_SIGMA * se);
}

/* --- the generator and seeding --- */

/* xoshiro256** must be exactly Blackman & Vigna's: from state {1, 2, 3, 4} the reference
 * implementation (xoshiro256starstar.c) gives these outputs (recomputed independently in
 * Python from the paper's definition). */
START_TEST(test_xoshiro_reference)
{
  static const uint64_t expected[] = { 0x2d00ULL, 0x0ULL, 0x5a007080ULL, 0x10e0000000009d80ULL,
                                       0x10e0b61ce1009d80ULL, 0x870021ce143ad00ULL };
  FlRng rng = { { 1, 2, 3, 4 } };
  for (guint i = 0; i < G_N_ELEMENTS(expected); i++)
    ck_assert_uint_eq(fl_rng_u64(&rng), expected[i]);
}
END_TEST

START_TEST(test_seed_same_sequence)
{
  FlRng a, b;
  fl_rng_seed(&a, 42, 7);
  fl_rng_seed(&b, 42, 7);
  ck_assert(a.s[0] | a.s[1] | a.s[2] | a.s[3]);
  int differ = 0;
  for (int i = 0; i < 10000; i++)
    differ += fl_rng_u64(&a) != fl_rng_u64(&b);
  ck_assert_int_eq(differ, 0);
  /* Reseeding restarts the stream, whatever was drawn before. */
  FlRng fresh;
  fl_rng_seed(&fresh, 42, 7);
  uint64_t first = fl_rng_u64(&fresh);
  fl_rng_seed(&a, 42, 7);
  ck_assert_uint_eq(fl_rng_u64(&a), first);
  /* Plain data: a copy continues the same sequence, and the samplers are deterministic too. */
  FlRng copy = a;
  for (int i = 0; i < 1000; i++) {
    differ += fl_rng_u64(&a) != fl_rng_u64(&copy);
    differ += fl_rng_exp(&a) != fl_rng_exp(&copy);
    differ += fl_rng_normal(&a) != fl_rng_normal(&copy);
    differ += fl_rng_below(&a, 1000) != fl_rng_below(&copy, 1000);
  }
  ck_assert_int_eq(differ, 0);
}
END_TEST

/* Different streams of one seed, and the same stream of different seeds, give different
 * sequences: among the first 4 outputs of 64 x 64 (seed, stream) pairs no 64-bit value repeats
 * (for independent streams a repeat has probability < (16384^2 / 2) 2^-64 = 7e-12). */
START_TEST(test_seed_streams_differ)
{
  enum { SEEDS = 64, STREAMS = 64, DRAWS = 4 };
  g_autoptr(GHashTable) seen = g_hash_table_new(g_int64_hash, g_int64_equal);
  g_autofree uint64_t *values = g_new(uint64_t, SEEDS * STREAMS * DRAWS);
  gsize k = 0;
  int repeats = 0;
  for (uint64_t seed = 0; seed < SEEDS; seed++)
    for (uint64_t stream = 0; stream < STREAMS; stream++) {
      FlRng rng;
      fl_rng_seed(&rng, seed, stream);
      for (int i = 0; i < DRAWS; i++) {
        values[k] = fl_rng_u64(&rng);
        repeats += !g_hash_table_add(seen, &values[k]);
        k++;
      }
    }
  ck_assert_int_eq(repeats, 0);
  ck_assert_uint_eq(g_hash_table_size(seen), SEEDS * STREAMS * DRAWS);
  /* (seed, stream) is not symmetric: swapping them gives another stream. */
  FlRng a, b;
  fl_rng_seed(&a, 3, 5);
  fl_rng_seed(&b, 5, 3);
  ck_assert_uint_ne(fl_rng_u64(&a), fl_rng_u64(&b));
}
END_TEST

/* "Neighbouring seeds and streams give unrelated sequences": the first uniform of 65536
 * consecutive streams (and seeds) is uniform (chi-square, 16 cells, df 15), and two adjacent
 * streams are uncorrelated: under independence the sample correlation r of n pairs has
 * SE 1/sqrt(n), so |r| <= 6 / sqrt(n). */
START_TEST(test_seed_neighbours_unrelated)
{
  enum { N = 65536, CELLS = 16 };
  guint64 by_stream[CELLS] = { 0 }, by_seed[CELLS] = { 0 };
  for (uint64_t i = 0; i < N; i++) {
    FlRng rng;
    fl_rng_seed(&rng, 1, i);
    by_stream[(guint)(fl_rng_uniform(&rng) * CELLS)]++;
    fl_rng_seed(&rng, i, 0);
    by_seed[(guint)(fl_rng_uniform(&rng) * CELLS)]++;
  }
  ck_assert_double_le(chi_square_equal(by_stream, CELLS), CHI2_DF15_1E9);
  ck_assert_double_le(chi_square_equal(by_seed, CELLS), CHI2_DF15_1E9);

  const int n = 100000;
  FlRng a, b;
  fl_rng_seed(&a, 2024, 10);
  fl_rng_seed(&b, 2024, 11);
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (int i = 0; i < n; i++) {
    double x = fl_rng_uniform(&a), y = fl_rng_uniform(&b);
    sa += x;
    sb += y;
    saa += x * x;
    sbb += y * y;
    sab += x * y;
  }
  double cov = sab / n - (sa / n) * (sb / n);
  double r = cov / sqrt((saa / n - (sa / n) * (sa / n)) * (sbb / n - (sb / n) * (sb / n)));
  ck_assert_double_le(fabs(r), K_SIGMA / sqrt((double)n));
}
END_TEST

/* --- uniform --- */

/* The extremes of the 53-bit mapping: state {1,0,0,0} makes the next output 0 (xoshiro256**
 * returns rotl(5 s1, 7) * 9 and s1 = 0), and s1 = 0x4fc71c71c71c71c7 makes it 2^64 - 1 (solved
 * with the inverses of 5 and 9 mod 2^64). Neither may reach 0 or 1. */
START_TEST(test_uniform_open_interval)
{
  FlRng low = { { 1, 0, 0, 0 } };
  FlRng check_low = low;
  ck_assert_uint_eq(fl_rng_u64(&check_low), 0);
  double u = fl_rng_uniform(&low);
  ck_assert_double_gt(u, 0.0);
  ck_assert_double_eq(u, 0x1.0p-54);

  FlRng high = { { 0, 0x4fc71c71c71c71c7ULL, 0, 0 } };
  FlRng check_high = high;
  ck_assert_uint_eq(fl_rng_u64(&check_high), UINT64_MAX);
  u = fl_rng_uniform(&high);
  ck_assert_msg(u < 1.0, "fl_rng_uniform returned %.17g for the largest output", u);
  ck_assert_double_ge(u, 1.0 - 0x1.0p-52);

  FlRng rng;
  fl_rng_seed(&rng, 1, 0);
  int outside = 0;
  for (int i = 0; i < N_DRAWS; i++) {
    u = fl_rng_uniform(&rng);
    outside += !(u > 0.0 && u < 1.0);
  }
  ck_assert_int_eq(outside, 0);
}
END_TEST

/* Mean 1/2 with SE sqrt(1/12 / n); variance 1/12 with Var(s^2) ~ (mu4 - sigma^4) / n where
 * mu4 = 1/80 for U(0,1); 100 equal cells by chi-square (df 99). */
START_TEST(test_uniform_distribution)
{
  enum { CELLS = 100 };
  guint64 counts[CELLS] = { 0 };
  FlRng rng;
  fl_rng_seed(&rng, 2, 0);
  double sum = 0.0, sum2 = 0.0;
  for (int i = 0; i < N_DRAWS; i++) {
    double u = fl_rng_uniform(&rng);
    sum += u;
    sum2 += (u - 0.5) * (u - 0.5);
    counts[(guint)(u * CELLS)]++;
  }
  double n = N_DRAWS, mean = sum / n;
  double var = (sum2 - n * (mean - 0.5) * (mean - 0.5)) / (n - 1);
  ck_assert_double_le(fabs(mean - 0.5), K_SIGMA * sqrt(1.0 / 12.0 / n));
  ck_assert_double_le(fabs(var - 1.0 / 12.0), K_SIGMA * sqrt((1.0 / 80 - 1.0 / 144) / n));
  ck_assert_double_le(chi_square_equal(counts, CELLS), CHI2_DF99_1E9);
}
END_TEST

/* --- below --- */

START_TEST(test_below_range)
{
  static const uint64_t ns[] = { 1, 2, 3, 7, 1000, (1ULL << 63) + 1, UINT64_MAX };
  FlRng rng;
  fl_rng_seed(&rng, 3, 0);
  for (guint k = 0; k < G_N_ELEMENTS(ns); k++) {
    int outside = 0;
    for (int i = 0; i < 20000; i++)
      outside += fl_rng_below(&rng, ns[k]) >= ns[k];
    ck_assert_msg(outside == 0, "%d draws >= n = %" G_GUINT64_FORMAT, outside, ns[k]);
  }
  /* n = 3: every value turns up (each misses 20000 draws with probability (2/3)^20000). */
  gboolean seen[3] = { FALSE, FALSE, FALSE };
  for (int i = 0; i < 20000; i++)
    seen[fl_rng_below(&rng, 3)] = TRUE;
  ck_assert(seen[0] && seen[1] && seen[2]);
}
END_TEST

/* Lemire's method rejects a draw x when (x n) mod 2^64 < 2^64 mod n; that is what removes the
 * bias. From state {1,0,0,0} the first output is 0, so low = 0 < 2^64 mod 10 = 6: that draw
 * must be thrown away and the second used (two outputs consumed). For n = 8, 2^64 mod 8 = 0
 * and nothing is ever rejected (one output consumed). */
START_TEST(test_below_rejects)
{
  FlRng a = { { 1, 0, 0, 0 } }, b = a;
  ck_assert_uint_eq(fl_rng_below(&a, 10), 0);
  fl_rng_u64(&b);
  fl_rng_u64(&b);
  ck_assert_int_eq(memcmp(&a, &b, sizeof a), 0);

  FlRng c = { { 1, 0, 0, 0 } }, d = c;
  ck_assert_uint_eq(fl_rng_below(&c, 8), 0);
  fl_rng_u64(&d);
  ck_assert_int_eq(memcmp(&c, &d, sizeof c), 0);
}
END_TEST

/* n = 10: 1e6 draws, chi-square with df 9. */
START_TEST(test_below_uniform_small)
{
  guint64 counts[10] = { 0 };
  FlRng rng;
  fl_rng_seed(&rng, 4, 0);
  for (int i = 0; i < N_DRAWS; i++)
    counts[fl_rng_below(&rng, 10)]++;
  ck_assert_double_le(chi_square_equal(counts, 10), CHI2_DF9_1E9);
}
END_TEST

/* Large n where a modulo (or unrejected multiply) would be visibly biased. n = 3 * 2^62: with
 * x % n, values below 2^64 - n = 2^62 would be twice as likely, so the thirds [0, 2^62),
 * [2^62, 2^63), [2^63, 3 * 2^62) would come out 1/2, 1/4, 1/4 (chi-square ~ n/8 = 37500 here)
 * instead of 1/3 each (df 2). n = 2^63 + 1 forces rejection about half the time; its halves
 * below and from 2^62 have probability 1/2 each up to 2^-63 (df 1). */
START_TEST(test_below_uniform_large)
{
  enum { N = 300000 };
  guint64 thirds[3] = { 0 }, halves[2] = { 0 };
  FlRng rng;
  fl_rng_seed(&rng, 5, 0);
  for (int i = 0; i < N; i++) {
    thirds[fl_rng_below(&rng, 3ULL << 62) >> 62]++;
    halves[fl_rng_below(&rng, (1ULL << 63) + 1) >> 62 ? 1 : 0]++;
  }
  ck_assert_double_le(chi_square_equal(thirds, 3), CHI2_DF2_1E9);
  ck_assert_double_le(chi_square_equal(halves, 2), CHI2_DF1_1E9);
}
END_TEST

/* --- exponential --- */

/* Standard exponential: mean 1 (SE 1/sqrt(n)); variance 1 with mu4 = 9, so
 * Var(s^2) ~ (9 - 1) / n. */
START_TEST(test_exp_moments)
{
  FlRng rng;
  fl_rng_seed(&rng, 6, 0);
  double sum = 0.0, sum2 = 0.0;
  int bad = 0;
  for (int i = 0; i < N_DRAWS; i++) {
    double x = fl_rng_exp(&rng);
    bad += !(x > 0.0 && isfinite(x));
    sum += x;
    sum2 += (x - 1.0) * (x - 1.0);
  }
  ck_assert_int_eq(bad, 0);
  double n = N_DRAWS, mean = sum / n;
  double var = (sum2 - n * (mean - 1.0) * (mean - 1.0)) / (n - 1);
  ck_assert_double_le(fabs(mean - 1.0), K_SIGMA / sqrt(n));
  ck_assert_double_le(fabs(var - 1.0), K_SIGMA * sqrt(8.0 / n));
}
END_TEST

/* The tail beyond the ziggurat's base R = 7.69711747 comes from separate code. P(X > 5) =
 * e^-5 and P(X > R) = e^-R = 4.5413e-4 (binomial SE), and beyond R the excess X - R must again
 * be standard exponential (memoryless): mean 1 with SE 1/sqrt(hits). */
START_TEST(test_exp_tail)
{
  const double r = 7.69711747013104972;
  FlRng rng;
  fl_rng_seed(&rng, 7, 0);
  guint64 above5 = 0, above_r = 0;
  double excess = 0.0;
  for (int i = 0; i < N_DRAWS; i++) {
    double x = fl_rng_exp(&rng);
    above5 += x > 5.0;
    if (x > r) {
      above_r++;
      excess += x - r;
    }
  }
  assert_binomial(above5, N_DRAWS, exp(-5.0), "P(X > 5)");
  assert_binomial(above_r, N_DRAWS, exp(-r), "P(X > R)");
  ck_assert_uint_gt(above_r, 0);
  ck_assert_double_le(fabs(excess / above_r - 1.0), K_SIGMA / sqrt((double)above_r));
}
END_TEST

/* KS against 1 - e^-x, and the CDF at fixed points. */
START_TEST(test_exp_ks)
{
  g_autofree double *x = g_new(double, N_DRAWS);
  FlRng rng;
  fl_rng_seed(&rng, 8, 0);
  for (int i = 0; i < N_DRAWS; i++)
    x[i] = fl_rng_exp(&rng);
  static const double points[] = { 0.001, 0.01, 0.05, 0.1, 0.3, 0.5, 1, 2, 3, 5, 7.7, 10 };
  assert_cdf_points(x, N_DRAWS, exp_cdf, points, G_N_ELEMENTS(points));
  double d = ks_distance(x, N_DRAWS, exp_cdf);
  ck_assert_msg(d <= ks_bound(N_DRAWS), "KS distance %g > %g", d, ks_bound(N_DRAWS));
}
END_TEST

/* --- normal --- */

/* Standard normal: mean 0 (SE 1/sqrt(n)); variance 1 with mu4 = 3, Var(s^2) ~ 2 / n; third
 * moment 0 with Var(Z^3) = E Z^6 = 15; fourth moment 3 with Var(Z^4) = E Z^8 - 9 = 96. */
START_TEST(test_normal_moments)
{
  FlRng rng;
  fl_rng_seed(&rng, 9, 0);
  double s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0;
  int bad = 0;
  for (int i = 0; i < N_DRAWS; i++) {
    double z = fl_rng_normal(&rng);
    bad += !isfinite(z);
    double z2 = z * z;
    s1 += z;
    s2 += z2;
    s3 += z2 * z;
    s4 += z2 * z2;
  }
  ck_assert_int_eq(bad, 0);
  double n = N_DRAWS, mean = s1 / n;
  double var = (s2 - n * mean * mean) / (n - 1);
  ck_assert_double_le(fabs(mean), K_SIGMA / sqrt(n));
  ck_assert_double_le(fabs(var - 1.0), K_SIGMA * sqrt(2.0 / n));
  ck_assert_double_le(fabs(s3 / n), K_SIGMA * sqrt(15.0 / n));
  ck_assert_double_le(fabs(s4 / n - 3.0), K_SIGMA * sqrt(96.0 / n));
}
END_TEST

/* Tails, each side separately (symmetry) and beyond the ziggurat's base R = 3.442619855899
 * where the tail sampler takes over. Exact values (mpmath): P(|Z| > 3) = 0.00269979606326019,
 * P(Z > 3) = 0.00134989803163009, P(Z > R) = 0.00028805425619582. Binomial SEs. */
START_TEST(test_normal_tails)
{
  const double r = 3.442619855899;
  FlRng rng;
  fl_rng_seed(&rng, 10, 0);
  guint64 abs3 = 0, hi3 = 0, lo3 = 0, hi_r = 0, lo_r = 0, positive = 0;
  for (int i = 0; i < N_DRAWS; i++) {
    double z = fl_rng_normal(&rng);
    abs3 += fabs(z) > 3.0;
    hi3 += z > 3.0;
    lo3 += z < -3.0;
    hi_r += z > r;
    lo_r += z < -r;
    positive += z > 0.0;
  }
  assert_binomial(abs3, N_DRAWS, 0.00269979606326019, "P(|Z| > 3)");
  assert_binomial(hi3, N_DRAWS, 0.00134989803163009, "P(Z > 3)");
  assert_binomial(lo3, N_DRAWS, 0.00134989803163009, "P(Z < -3)");
  assert_binomial(hi_r, N_DRAWS, 0.00028805425619582, "P(Z > R)");
  assert_binomial(lo_r, N_DRAWS, 0.00028805425619582, "P(Z < -R)");
  assert_binomial(positive, N_DRAWS, 0.5, "P(Z > 0)");
}
END_TEST

/* KS against Phi, and the CDF at fixed points. */
START_TEST(test_normal_ks)
{
  g_autofree double *x = g_new(double, N_DRAWS);
  FlRng rng;
  fl_rng_seed(&rng, 11, 0);
  for (int i = 0; i < N_DRAWS; i++)
    x[i] = fl_rng_normal(&rng);
  static const double points[] = { -4, -3.4, -3, -2, -1, -0.3, -0.1, -0.01, 0, 0.01, 0.1, 0.3,
                                    1, 2, 3, 3.4, 4 };
  assert_cdf_points(x, N_DRAWS, normal_cdf, points, G_N_ELEMENTS(points));
  double d = ks_distance(x, N_DRAWS, normal_cdf);
  ck_assert_msg(d <= ks_bound(N_DRAWS), "KS distance %g > %g", d, ks_bound(N_DRAWS));
}
END_TEST

/* --- gamma (Marsaglia-Tsang) --- */

/* Integer shapes, where the CDF has a closed form (Erlang): P(G <= x) = 1 - e^-x sum_{j<a}
 * x^j / j!. Shape 2 is the smallest Route 53's order statistic asks for, 3 and 13 its
 * defaults' (U_(13:15) = G13 / (G13 + G3)), 64 the largest. */
static guint erlang_shape;

static double
erlang_cdf(double x)
{
  if (x <= 0.0)
    return 0.0;
  double term = 1.0, sum = 1.0; /* x^0 / 0! */
  for (guint j = 1; j < erlang_shape; j++) {
    term *= x / j;
    sum += term;
  }
  return 1.0 - exp(-x) * sum;
}

/* Gamma(a): mean a (SE sqrt(a / n)); variance a with mu4 = 3a^2 + 6a (excess kurtosis 6/a), so
 * Var(s^2) ~ (mu4 - a^2) / n; KS against the Erlang CDF. */
START_TEST(test_gamma_moments_ks)
{
  static const guint shapes[] = { 2, 3, 13, 64 };
  const gsize n = N_DRAWS / 4;
  g_autofree double *x = g_new(double, n);
  for (guint c = 0; c < G_N_ELEMENTS(shapes); c++) {
    double a = shapes[c], d = a - 1.0 / 3.0;
    FlRng rng;
    fl_rng_seed(&rng, 12, c);
    double sum = 0.0, sum2 = 0.0;
    int bad = 0;
    for (gsize i = 0; i < n; i++) {
      x[i] = fl_rng_gamma_mt(&rng, d, 1.0 / sqrt(9.0 * d));
      bad += !(x[i] > 0.0 && isfinite(x[i]));
      sum += x[i];
      sum2 += (x[i] - a) * (x[i] - a);
    }
    ck_assert_int_eq(bad, 0);
    double mean = sum / n, var = (sum2 - n * (mean - a) * (mean - a)) / (n - 1);
    ck_assert_msg(fabs(mean - a) <= K_SIGMA * sqrt(a / n), "Gamma(%g): mean %.6f", a, mean);
    ck_assert_msg(fabs(var - a) <= K_SIGMA * sqrt((3 * a * a + 6 * a - a * a) / n),
                  "Gamma(%g): variance %.6f", a, var);
    erlang_shape = shapes[c];
    double dist = ks_distance(x, n, erlang_cdf);
    ck_assert_msg(dist <= ks_bound(n), "Gamma(%g): KS distance %g > %g", a, dist, ks_bound(n));
  }
}
END_TEST

static Suite *
rng_suite(void)
{
  Suite *s = suite_create("rng");

  TCase *tc = tcase_create("seed");
  tcase_add_test(tc, test_xoshiro_reference);
  tcase_add_test(tc, test_seed_same_sequence);
  tcase_add_test(tc, test_seed_streams_differ);
  tcase_add_test(tc, test_seed_neighbours_unrelated);
  suite_add_tcase(s, tc);

  tc = tcase_create("uniform");
  tcase_add_test(tc, test_uniform_open_interval);
  tcase_add_test(tc, test_uniform_distribution);
  suite_add_tcase(s, tc);

  tc = tcase_create("below");
  tcase_add_test(tc, test_below_range);
  tcase_add_test(tc, test_below_rejects);
  tcase_add_test(tc, test_below_uniform_small);
  tcase_add_test(tc, test_below_uniform_large);
  suite_add_tcase(s, tc);

  tc = tcase_create("exp");
  tcase_add_test(tc, test_exp_moments);
  tcase_add_test(tc, test_exp_tail);
  tcase_add_test(tc, test_exp_ks);
  suite_add_tcase(s, tc);

  tc = tcase_create("normal");
  tcase_add_test(tc, test_normal_moments);
  tcase_add_test(tc, test_normal_tails);
  tcase_add_test(tc, test_normal_ks);
  suite_add_tcase(s, tc);

  tc = tcase_create("gamma");
  tcase_add_test(tc, test_gamma_moments_ks);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(rng_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failures = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
