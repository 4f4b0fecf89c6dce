/* check_stats.c - unit tests for stats.h: quantile functions, confidence intervals, sample
 * quantiles, Wilson intervals and the log-binned histogram.
 *
 * Reference values were computed with mpmath at 40-60 digits (normal quantile by bisection on
 * log Phi, t quantile by bisection on the regularized incomplete beta, 1/2 I_{v/(v+t^2)}(v/2,
 * 1/2)), from the exact double value of each p. Tolerances are the accuracy each function's
 * header promises, not a guess.
 */
#include "config.h"

#include <check.h>
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "faultline/rng.h"
#include "faultline/stats.h"

static void
assert_rel(double got, double expected, double rel, const char *what)
{
  double err = fabs(got - expected);
  ck_assert_msg(err <= rel * fabs(expected), "%s: got %.17g, expected %.17g (rel. error %.3g > %g)",
                what, got, expected, err / fabs(expected), rel);
}

/* --- normal quantile: relative error < 1e-12 (header) --- */

START_TEST(test_normal_quantile)
{
  static const struct {
    double p, z;
  } cases[] = {
    { 0.975, 1.9599639845400538556 },
    { 0.995, 2.5758293035489004539 },
    { 0.9999, 3.7190164854557083867 },
    { 0.3, -0.52440051270804081597 },
    { 0.02425, -1.9729610513118848376 }, /* boundary of Acklam's central region */
    { 0.02, -2.0537489106318230443 },
    { 1e-10, -6.3613409024040561991 },
    { 1e-300, -37.047096299361199237 },
    { 0.9999999, 5.1993375822906610937 },
    { 0.9999999999, 6.3613408896974218642 },
    { 0.999999999999, 7.0344869100478352057 },
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    char what[64];
    g_snprintf(what, sizeof what, "z(%.17g)", cases[i].p);
    assert_rel(fl_normal_quantile(cases[i].p), cases[i].z, 1e-12, what);
  }
  ck_assert_double_le(fabs(fl_normal_quantile(0.5)), 1e-15);
  /* The published table value. */
  ck_assert_double_eq_tol(fl_normal_quantile(0.975), 1.959964, 5e-7);
}
END_TEST

/* Phi^-1(p) = -Phi^-1(1 - p) wherever 1 - p is exact (p >= 0.5, Sterbenz). */
START_TEST(test_normal_quantile_symmetric)
{
  for (double p = 0.5; p < 1.0; p += 0.0137) {
    double hi = fl_normal_quantile(p), lo = fl_normal_quantile(1.0 - p);
    ck_assert_msg(fabs(hi + lo) <= 1e-12 * MAX(1.0, fabs(hi)), "p = %g: %.17g vs %.17g", p, hi,
                  lo);
  }
}
END_TEST

/* --- Student t quantile: exact for dof 1 and 2, |error| < 1e-4 for dof >= 3 (header) --- */

static const struct {
  double dof, p, t;
} t_reference[] = {
  { 1, 0.6, 0.32491969623290625 },     { 1, 0.9, 3.0776835371752541 },
  { 1, 0.975, 12.706204736174693 },    { 1, 0.995, 63.656741162871524 },
  { 1, 0.9995, 636.61924876878973 },   { 1, 0.025, -12.706204736174704 },
  { 2, 0.6, 0.28867513459481282 },     { 2, 0.9, 1.885618083164127 },
  { 2, 0.975, 4.3026527297494618 },    { 2, 0.995, 9.9248432009182886 },
  { 2, 0.9995, 31.599054576445363 },   { 2, 0.999999, 707.10572051576712 },
  { 2, 0.025, -4.3026527297494637 },   { 2, 1e-06, -707.10572052593382 },
  { 3, 0.6, 0.27667066233268985 },     { 3, 0.9, 1.6377443536962103 },
  { 3, 0.975, 3.1824463052837084 },    { 3, 0.995, 5.8409093097333554 },
  { 3, 0.9995, 12.923978636687964 },   { 3, 0.999999, 103.29946777942897 },
  { 3, 0.025, -3.1824463052837095 },   { 3, 1e-06, -103.29946778041934 },
  { 4, 0.6, 0.27072229470759736 },     { 4, 0.9, 1.5332062740589441 },
  { 4, 0.975, 2.7764451051977935 },    { 4, 0.995, 4.604094871349992 },
  { 4, 0.9995, 8.6103015813795228 },   { 4, 0.999999, 41.577854150151499 },
  { 4, 0.025, -2.7764451051977943 },   { 4, 1e-06, -41.577854150450975 },
  { 5, 0.6, 0.26718086570414507 },     { 5, 0.9, 1.4758840488244813 },
  { 5, 0.975, 2.5705818356363148 },    { 5, 0.995, 4.0321429835552272 },
  { 5, 0.9995, 6.8688266258812751 },   { 5, 0.999999, 24.771029720372489 },
  { 5, 0.025, -2.5705818356363155 },   { 5, 1e-06, -24.771029720515944 },
  { 7, 0.6, 0.26316686135202275 },     { 7, 0.9, 1.4149239276505086 },
  { 7, 0.975, 2.3646242515927847 },    { 7, 0.995, 3.4994832973504933 },
  { 7, 0.9995, 5.4078825208618281 },   { 7, 0.999999, 14.241469651921153 },
  { 7, 0.025, -2.3646242515927853 },   { 7, 1e-06, -14.241469651981446 },
  { 10, 0.6, 0.26018482949208018 },    { 10, 0.9, 1.3721836411103358 },
  { 10, 0.975, 2.2281388519862742 },   { 10, 0.995, 3.1692726726169507 },
  { 10, 0.9995, 4.5868938587027077 },  { 10, 0.999999, 9.7519954909098546 },
  { 10, 0.025, -2.2281388519862747 },  { 10, 1e-06, -9.7519954909405802 },
  { 30, 0.6, 0.25560536495191271 },    { 30, 0.9, 1.3104150253913957 },
  { 30, 0.975, 2.0422724563012379 },   { 30, 0.995, 2.749995653567225 },
  { 30, 0.9995, 3.6459586350420628 },  { 30, 0.999999, 5.8711171204086238 },
  { 30, 0.025, -2.0422724563012383 },  { 30, 1e-06, -5.8711171204188827 },
  { 100, 0.6, 0.25402218245822776 },   { 100, 0.9, 1.2900747613465161 },
  { 100, 0.975, 1.9839715185235519 },  { 100, 0.995, 2.6258905214380176 },
  { 100, 0.9995, 3.3904913111642636 }, { 100, 0.999999, 5.0488308772214468 },
  { 100, 0.025, -1.9839715185235523 }, { 100, 1e-06, -5.0488308772283458 },
  { 1000, 0.6, 0.25341451583949871 },  { 1000, 0.9, 1.2823987214609246 },
  { 1000, 0.975, 1.9623390808264081 }, { 1000, 0.995, 2.5807546980659508 },
  { 1000, 0.9995, 3.3002826484239442 }, { 1000, 0.999999, 4.7816086204524386 },
  { 1e5, 0.975, 1.9599877075346093 },  { 1e5, 0.999999, 4.7537047163854761 },
  { 1e5, 1e-06, -4.7537047163912883 },
};

START_TEST(test_t_quantile_reference)
{
  for (guint i = 0; i < G_N_ELEMENTS(t_reference); i++) {
    double dof = t_reference[i].dof, p = t_reference[i].p, want = t_reference[i].t;
    double got = fl_t_quantile(p, dof);
    if (dof <= 2) {
      char what[64];
      g_snprintf(what, sizeof what, "t(%g, dof %g)", p, dof);
      assert_rel(got, want, 1e-12, what);
    } else {
      ck_assert_msg(fabs(got - want) < 1e-4, "t(%g, dof %g) = %.10g, expected %.10g", p, dof, got,
                    want);
    }
  }
}
END_TEST

/* Printed tables (4-5 significant digits): the value must round to the table's. */
START_TEST(test_t_quantile_table)
{
  ck_assert_double_eq_tol(fl_t_quantile(0.975, 1), 12.706, 5e-4);
  ck_assert_double_eq_tol(fl_t_quantile(0.975, 2), 4.303, 5e-4);
  ck_assert_double_eq_tol(fl_t_quantile(0.975, 3), 3.1824, 5e-5);
  ck_assert_double_eq_tol(fl_t_quantile(0.975, 5), 2.5706, 5e-5);
  ck_assert_double_eq_tol(fl_t_quantile(0.975, 10), 2.2281, 5e-5);
  ck_assert_double_eq_tol(fl_t_quantile(0.975, 30), 2.0423, 5e-5);
  ck_assert_double_eq_tol(fl_t_quantile(0.995, 3), 5.8409, 5e-5);
  ck_assert_double_eq_tol(fl_t_quantile(0.95, 4), 2.1318, 5e-5);
}
END_TEST

START_TEST(test_t_quantile_limits)
{
  /* Past 1e6 degrees of freedom, the normal quantile. */
  ck_assert_double_eq(fl_t_quantile(0.975, 2e6), fl_normal_quantile(0.975));
  ck_assert_double_eq(fl_t_quantile(0.01, 1e7), fl_normal_quantile(0.01));
  /* The median is 0 and the law symmetric, for any dof. */
  static const double dofs[] = { 1, 2, 3, 4.5, 9, 29, 250, 1e6 };
  for (guint i = 0; i < G_N_ELEMENTS(dofs); i++) {
    ck_assert_double_le(fabs(fl_t_quantile(0.5, dofs[i])), 1e-12);
    for (double p = 0.55; p < 1.0; p += 0.05) {
      double hi = fl_t_quantile(p, dofs[i]), lo = fl_t_quantile(1.0 - p, dofs[i]);
      ck_assert_msg(fabs(hi + lo) <= 1e-12 * hi, "dof %g, p %g: %.17g vs %.17g", dofs[i], p, hi,
                    lo);
    }
  }
  /* Heavier tails with fewer dof: t decreases with dof towards z. */
  double prev = INFINITY;
  for (double dof = 1; dof <= 1e6; dof *= 1.7) {
    double t = fl_t_quantile(0.975, dof);
    ck_assert_double_lt(t, prev);
    ck_assert_double_gt(t, fl_normal_quantile(0.975));
    prev = t;
  }
}
END_TEST

/* --- mean and confidence interval --- */

START_TEST(test_mean_ci)
{
  static const double a[] = { 1, 2, 3, 4, 5 };
  double mean = 0.0, half = 0.0;
  /* sd = sqrt(2.5); half = t(0.975, 4) sqrt(2.5) / sqrt(5) (mpmath). */
  fl_mean_ci(a, G_N_ELEMENTS(a), 0.95, &mean, &half);
  ck_assert_double_eq(mean, 3.0);
  assert_rel(half, 1.9632431614775571, 1e-9, "95% half-width of 1..5");
  fl_mean_ci(a, G_N_ELEMENTS(a), 0.99, &mean, &half);
  assert_rel(half, 3.2555867047577845, 1e-9, "99% half-width of 1..5");

  /* Availabilities near 1, where a one-pass variance would lose the digits. */
  static const double b[] = { 0.9995, 0.9990, 0.9999, 0.9985, 1.0, 0.9997, 0.9993 };
  fl_mean_ci(b, G_N_ELEMENTS(b), 0.95, &mean, &half);
  assert_rel(mean, 0.99941428571428573, 1e-15, "mean of availabilities");
  assert_rel(half, 0.00049062920631403861, 1e-9, "95% half-width of availabilities");
  fl_mean_ci(b, G_N_ELEMENTS(b), 0.99, &mean, &half);
  assert_rel(half, 0.00074337474262420271, 1e-9, "99% half-width of availabilities");

  /* Identical values: zero width. */
  static const double c[] = { 0.25, 0.25, 0.25, 0.25 };
  fl_mean_ci(c, G_N_ELEMENTS(c), 0.95, &mean, &half);
  ck_assert_double_eq(mean, 0.25);
  ck_assert_double_eq(half, 0.0);
}
END_TEST

START_TEST(test_mean_ci_small_n)
{
  static const double one[] = { 0.75 };
  double mean = 0.0, half = 0.0;
  fl_mean_ci(one, 1, 0.95, &mean, &half);
  ck_assert_double_eq(mean, 0.75);
  ck_assert(isnan(half));
  fl_mean_ci(one, 0, 0.95, &mean, &half);
  ck_assert(isnan(mean));
  ck_assert(isnan(half));
  /* n = 2: dof 1, half = t(0.975, 1) * |x1 - x0| / sqrt(2) / sqrt(2). */
  static const double two[] = { 1.0, 3.0 };
  fl_mean_ci(two, 2, 0.95, &mean, &half);
  ck_assert_double_eq(mean, 2.0);
  assert_rel(half, 12.706204736174693, 1e-12, "95% half-width of {1, 3}");
}
END_TEST

/* --- sample quantile, Hyndman & Fan type 7 (numpy.quantile's default) --- */

START_TEST(test_quantile_sorted)
{
  /* h = (n - 1) p; x[floor h] + frac(h) (x[floor h + 1] - x[floor h]). */
  static const double a[] = { 15, 20, 35, 40, 50 };
  ck_assert_double_eq(fl_quantile_sorted(a, 5, 0.0), 15.0);
  ck_assert_double_eq_tol(fl_quantile_sorted(a, 5, 0.05), 16.0, 1e-12);
  ck_assert_double_eq(fl_quantile_sorted(a, 5, 0.25), 20.0);
  ck_assert_double_eq_tol(fl_quantile_sorted(a, 5, 0.4), 29.0, 1e-12);
  ck_assert_double_eq(fl_quantile_sorted(a, 5, 0.5), 35.0);
  ck_assert_double_eq_tol(fl_quantile_sorted(a, 5, 0.95), 48.0, 1e-12);
  ck_assert_double_eq(fl_quantile_sorted(a, 5, 1.0), 50.0);

  static const double b[] = { 1, 2, 3, 4, 10 };
  ck_assert_double_eq_tol(fl_quantile_sorted(b, 5, 0.1), 1.4, 1e-12);
  ck_assert_double_eq_tol(fl_quantile_sorted(b, 5, 0.9), 7.6, 1e-12);
  ck_assert_double_eq_tol(fl_quantile_sorted(b, 5, 0.999), 9.976, 1e-12);

  /* numpy's documentation example: np.quantile([[10, 7, 4], [3, 2, 1]], 0.5) == 3.5. */
  static const double c[] = { 1, 2, 3, 4, 7, 10 };
  ck_assert_double_eq(fl_quantile_sorted(c, 6, 0.5), 3.5);

  static const double one[] = { 42.0 };
  ck_assert_double_eq(fl_quantile_sorted(one, 1, 0.0), 42.0);
  ck_assert_double_eq(fl_quantile_sorted(one, 1, 0.5), 42.0);
  ck_assert_double_eq(fl_quantile_sorted(one, 1, 1.0), 42.0);
  static const double two[] = { 0.0, 1.0 };
  ck_assert_double_eq_tol(fl_quantile_sorted(two, 2, 0.3), 0.3, 1e-15);
}
END_TEST

/* --- Wilson score interval --- */

static int
cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Selection gives bitwise what sorting and fl_quantile_sorted() give, on inputs that stress it:
 * mostly zeros (a year's downtime usually is), sorted and reversed runs, all equal, few
 * distinct values, a sawtooth, and random values; sizes 1 to 3,000, p from 0 to 1 with
 * repeats. */
START_TEST(test_quantiles_unsorted)
{
  static const double p[] = { 0.0, 0.0, 0.001, 0.25, 0.5, 0.5, 0.95, 0.99, 0.999, 1.0, 1.0 };
  const guint np = G_N_ELEMENTS(p);
  FlRng rng;
  fl_rng_seed(&rng, 20261128, 0);
  static const gsize sizes[] = { 1, 2, 3, 4, 5, 7, 10, 31, 64, 100, 257, 1000, 3000 };
  guint cases = 0;
  for (guint si = 0; si < G_N_ELEMENTS(sizes); si++) {
    gsize n = sizes[si];
    for (int shape = 0; shape < 7; shape++) {
      g_autofree double *x = g_new(double, n), *sorted = g_new(double, n);
      for (gsize i = 0; i < n; i++) {
        double u = fl_rng_uniform(&rng);
        switch (shape) {
        case 0: x[i] = u < 0.9 ? 0.0 : 1000 * u; break;  /* mostly exact zeros */
        case 1: x[i] = (double)i; break;                  /* sorted */
        case 2: x[i] = (double)(n - i); break;            /* reversed */
        case 3: x[i] = 7.5; break;                        /* all equal */
        case 4: x[i] = floor(4 * u); break;               /* four distinct values */
        case 5: x[i] = (double)(i % 17); break;           /* sawtooth */
        default: x[i] = -1e6 + 2e6 * u; break;            /* random, both signs */
        }
      }
      memcpy(sorted, x, n * sizeof(double));
      qsort(sorted, n, sizeof(double), cmp_double);
      double out[G_N_ELEMENTS(p)];
      fl_quantiles_unsorted(x, n, p, out, np);
      for (guint q = 0; q < np; q++) {
        double want = fl_quantile_sorted(sorted, n, p[q]);
        if (memcmp(&out[q], &want, sizeof(double)) != 0)
          ck_abort_msg("n=%zu shape=%d p=%g: selection gave %.17g, sorting %.17g", n, shape,
                       p[q], out[q], want);
      }
      /* Selection only moves values: x is still a permutation of the input. */
      qsort(x, n, sizeof(double), cmp_double);
      ck_assert_int_eq(memcmp(x, sorted, n * sizeof(double)), 0);
      cases++;
    }
  }
  ck_assert_uint_eq(cases, G_N_ELEMENTS(sizes) * 7);
}
END_TEST

START_TEST(test_wilson)
{
  /* (k + z^2/2) / (n + z^2) -+ z / (n + z^2) sqrt(k (n - k) / n + z^2 / 4), mpmath. */
  static const struct {
    guint64 k, n;
    double lo, hi;
  } cases[] = {
    { 5, 10, 0.236593090512564, 0.763406909487436 },
    { 81, 263, 0.25528851987827423, 0.36620957698280006 },
    { 1, 1000000, 1.7652457674537149e-7, 5.6649118043114422e-6 },
    { 999, 1000, 0.99435744140204206, 0.99982345362937392 },
    { 0, 10, 0.0, 0.27753279986288921 },
    { 10, 10, 0.72246720013711079, 1.0 },
  };
  const double z = 1.959963984540054;
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    double lo = -1.0, hi = -1.0;
    fl_wilson(cases[i].k, cases[i].n, z, &lo, &hi);
    ck_assert_msg(fabs(lo - cases[i].lo) <= 1e-12 * MAX(cases[i].lo, 1e-3) && lo >= 0.0,
                  "k=%" G_GUINT64_FORMAT " n=%" G_GUINT64_FORMAT ": lo %.17g, expected %.17g",
                  cases[i].k, cases[i].n, lo, cases[i].lo);
    ck_assert_msg(fabs(hi - cases[i].hi) <= 1e-12 * cases[i].hi && hi <= 1.0,
                  "k=%" G_GUINT64_FORMAT " n=%" G_GUINT64_FORMAT ": hi %.17g, expected %.17g",
                  cases[i].k, cases[i].n, hi, cases[i].hi);
  }
  /* No trials: no information. */
  double lo = -1.0, hi = -1.0;
  fl_wilson(0, 0, z, &lo, &hi);
  ck_assert_double_eq(lo, 0.0);
  ck_assert_double_eq(hi, 1.0);
}
END_TEST

/* --- log-binned histogram --- */

/* The documented bin error: values in a bin differ by less than a factor 10^(1/100). The
 * microsecond sums add at most 0.5 us per value, <= 5e-7 relative for values >= 1 s. */
#define HIST_REL_ERROR (pow(10.0, 1.0 / FL_HIST_PER_DECADE) - 1.0 + 5e-7)

static FlLogHist *
hist_new(void)
{
  FlLogHist *h = g_new(FlLogHist, 1);
  fl_hist_clear(h);
  return h;
}

START_TEST(test_hist_empty)
{
  g_autofree FlLogHist *h = hist_new();
  ck_assert_uint_eq(h->total, 0);
  ck_assert(isnan(fl_hist_quantile(h, 0.5)));
  ck_assert(isnan(fl_hist_quantile(h, 0.0)));
  ck_assert(isnan(fl_hist_quantile(h, 1.0)));
}
END_TEST

/* Equal values (fixed repair times) come back exactly, at every p, in any bin. */
START_TEST(test_hist_equal_values_exact)
{
  static const double values[] = { 3600.0, 0.25, 2700.0, 1e-3, 86400.0 * 7, 12.5, 1e13, 0.0 };
  for (guint v = 0; v < G_N_ELEMENTS(values); v++) {
    g_autofree FlLogHist *h = hist_new();
    for (int i = 0; i < 1000; i++)
      fl_hist_add(h, values[v]);
    ck_assert_uint_eq(h->total, 1000);
    ck_assert_double_eq(h->max_s, values[v]);
    static const double ps[] = { 0.0, 0.01, 0.5, 0.95, 0.999, 1.0 };
    for (guint k = 0; k < G_N_ELEMENTS(ps); k++)
      ck_assert_msg(fl_hist_quantile(h, ps[k]) == values[v], "%g s x 1000: quantile %g is %.17g",
                    values[v], ps[k], fl_hist_quantile(h, ps[k]));
  }
}
END_TEST

/* Values 1..10 s fall in ten different bins (log10 spacing >= 0.041 > 0.01), each bin's mean
 * is its value, so the quantile is exactly the inverted-CDF order statistic x_(ceil(p n)). */
START_TEST(test_hist_quantile_rank)
{
  g_autofree FlLogHist *h = hist_new();
  for (int v = 10; v >= 1; v--)
    fl_hist_add(h, v);
  ck_assert_double_eq(fl_hist_quantile(h, 0.0), 1.0);
  ck_assert_double_eq(fl_hist_quantile(h, 0.1), 1.0);
  ck_assert_double_eq(fl_hist_quantile(h, 0.15), 2.0);
  ck_assert_double_eq(fl_hist_quantile(h, 0.5), 5.0);
  ck_assert_double_eq(fl_hist_quantile(h, 0.55), 6.0);
  ck_assert_double_eq(fl_hist_quantile(h, 0.95), 10.0);
  ck_assert_double_eq(fl_hist_quantile(h, 1.0), 10.0);
  ck_assert_double_eq(h->max_s, 10.0);
}
END_TEST

/* Bins are 1/FL_HIST_PER_DECADE of a decade wide, edges at 10^(k/100) s: 1 s and 1.02 s
 * (log10 0.0086) share a bin, so both quantiles are their mean; 1 s and 1.024 s (log10 0.0103)
 * do not, so each comes back exactly. */
START_TEST(test_hist_bin_width)
{
  g_autofree FlLogHist *same = hist_new();
  fl_hist_add(same, 1.0);
  fl_hist_add(same, 1.02);
  ck_assert_double_eq_tol(fl_hist_quantile(same, 0.0), 1.01, 1e-12);
  ck_assert_double_eq_tol(fl_hist_quantile(same, 1.0), 1.01, 1e-12);
  g_autofree FlLogHist *apart = hist_new();
  fl_hist_add(apart, 1.0);
  fl_hist_add(apart, 1.024);
  ck_assert_double_eq(fl_hist_quantile(apart, 0.0), 1.0);
  ck_assert_double_eq_tol(fl_hist_quantile(apart, 1.0), 1.024, 1e-12);
}
END_TEST

/* Spread values (log-uniform from 1 s to 1e7 s): each quantile is within the documented bin
 * error of the exact order statistic x_(ceil(p n)) (both lie in the same bin). */
START_TEST(test_hist_quantile_bin_error)
{
  enum { N = 100000 };
  g_autofree double *x = g_new(double, N);
  g_autofree FlLogHist *h = hist_new();
  FlRng rng;
  fl_rng_seed(&rng, 77, 0);
  for (int i = 0; i < N; i++) {
    x[i] = pow(10.0, 7.0 * fl_rng_uniform(&rng));
    fl_hist_add(h, x[i]);
  }
  qsort(x, N, sizeof *x, cmp_double);
  ck_assert_double_eq(h->max_s, x[N - 1]);
  static const double ps[] = { 0.0, 1e-4, 0.01, 0.1, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0 };
  for (guint k = 0; k < G_N_ELEMENTS(ps); k++) {
    gsize rank = (gsize)ceil(ps[k] * N);
    double exact = x[rank > 0 ? rank - 1 : 0], got = fl_hist_quantile(h, ps[k]);
    ck_assert_msg(fabs(got - exact) <= HIST_REL_ERROR * exact,
                  "p = %g: histogram %.10g, exact %.10g (rel. error %.4f)", ps[k], got, exact,
                  fabs(got - exact) / exact);
  }
}
END_TEST

static void
assert_hist_identical(const FlLogHist *a, const FlLogHist *b)
{
  ck_assert_uint_eq(a->total, b->total);
  ck_assert(a->max_s == b->max_s);
  ck_assert_int_eq(memcmp(a->count, b->count, sizeof a->count), 0);
  ck_assert_int_eq(memcmp(a->sum_us, b->sum_us, sizeof a->sum_us), 0);
  for (double p = 0.0; p <= 1.0; p += 0.01)
    ck_assert(fl_hist_quantile(a, p) == fl_hist_quantile(b, p));
}

/* Merging in any order, and adding the values directly in another order, give bit-identical
 * histograms (integer counts and sums), hence identical quantiles. */
START_TEST(test_hist_merge_order_independent)
{
  enum { N = 30000 };
  g_autofree double *x = g_new(double, N);
  FlLogHist *part[3] = { hist_new(), hist_new(), hist_new() };
  g_autofree FlLogHist *direct = hist_new();
  FlRng rng;
  fl_rng_seed(&rng, 78, 0);
  for (int i = 0; i < N; i++) {
    /* Durations from 0 (underflow bin) to ~1e15 s (top bin), most around an hour. */
    double u = fl_rng_uniform(&rng);
    x[i] = i % 97 == 0 ? 0.0 : i % 89 == 0 ? 1e15 * u : 3600.0 * fl_rng_exp(&rng) * u;
    fl_hist_add(part[i % 3], x[i]);
  }
  for (int i = N - 1; i >= 0; i--)
    fl_hist_add(direct, x[i]);

  static const int orders[][3] = { { 0, 1, 2 }, { 2, 0, 1 }, { 1, 2, 0 }, { 2, 1, 0 } };
  for (guint o = 0; o < G_N_ELEMENTS(orders); o++) {
    g_autofree FlLogHist *merged = hist_new();
    for (int k = 0; k < 3; k++)
      fl_hist_merge(merged, part[orders[o][k]]);
    assert_hist_identical(merged, direct);
  }
  /* Merging an empty histogram changes nothing. */
  g_autofree FlLogHist *empty = hist_new();
  fl_hist_merge(direct, empty);
  g_autofree FlLogHist *again = hist_new();
  for (int k = 0; k < 3; k++)
    fl_hist_merge(again, part[k]);
  assert_hist_identical(direct, again);
  for (int k = 0; k < 3; k++)
    g_free(part[k]);
}
END_TEST

/* Below 1 ms everything shares the underflow bin; past 1e14 s, the top bin. */
START_TEST(test_hist_extremes)
{
  g_autofree FlLogHist *h = hist_new();
  for (int i = 0; i < 10; i++)
    fl_hist_add(h, 0.0);
  ck_assert_double_eq(fl_hist_quantile(h, 0.5), 0.0);
  ck_assert_uint_eq(h->count[0], 10);
  fl_hist_add(h, 2e15);
  ck_assert_uint_eq(h->count[FL_HIST_BINS - 1], 1);
  ck_assert_double_eq(fl_hist_quantile(h, 1.0), 2e15);
  ck_assert_double_eq(h->max_s, 2e15);
  ck_assert_uint_eq(h->total, 11);
}
END_TEST

static Suite *
stats_suite(void)
{
  Suite *s = suite_create("stats");

  TCase *tc = tcase_create("quantile functions");
  tcase_add_test(tc, test_normal_quantile);
  tcase_add_test(tc, test_normal_quantile_symmetric);
  tcase_add_test(tc, test_t_quantile_reference);
  tcase_add_test(tc, test_t_quantile_table);
  tcase_add_test(tc, test_t_quantile_limits);
  suite_add_tcase(s, tc);

  tc = tcase_create("intervals");
  tcase_add_test(tc, test_mean_ci);
  tcase_add_test(tc, test_mean_ci_small_n);
  tcase_add_test(tc, test_quantile_sorted);
  tcase_add_test(tc, test_quantiles_unsorted);
  tcase_add_test(tc, test_wilson);
  suite_add_tcase(s, tc);

  tc = tcase_create("histogram");
  tcase_add_test(tc, test_hist_empty);
  tcase_add_test(tc, test_hist_equal_values_exact);
  tcase_add_test(tc, test_hist_quantile_rank);
  tcase_add_test(tc, test_hist_bin_width);
  tcase_add_test(tc, test_hist_quantile_bin_error);
  tcase_add_test(tc, test_hist_merge_order_independent);
  tcase_add_test(tc, test_hist_extremes);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(stats_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failures = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
