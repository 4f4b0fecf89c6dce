/* stats.c - intervals, quantiles and histograms. See stats.h. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "faultline/stats.h"

double
fl_normal_quantile(double p)
{
  /* Acklam (2003) rational approximation with one Halley refinement step. */
  static const double a[] = { -3.969683028665376e+01, 2.209460984245205e+02,
                              -2.759285104469687e+02, 1.383577518672690e+02,
                              -3.066479806614716e+01, 2.506628277459239e+00 };
  static const double b[] = { -5.447609879822406e+01, 1.615858368580409e+02,
                              -1.556989798598866e+02, 6.680131188771972e+01,
                              -1.328068155288572e+01 };
  static const double c[] = { -7.784894002430293e-03, -3.223964580411365e-01,
                              -2.400758277161838e+00, -2.549732539343734e+00,
                              4.374664141464968e+00, 2.938163982698783e+00 };
  static const double d[] = { 7.784695709041462e-03, 3.224671290700398e-01,
                              2.445134137142996e+00, 3.754408661907416e+00 };
  g_return_val_if_fail(p > 0.0 && p < 1.0, NAN);
  double x;
  if (p < 0.02425) {
    double q = sqrt(-2 * log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
        / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - 0.02425) {
    double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    double q = sqrt(-2 * log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
        / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  /* e = Phi(x) - p, taken on the small tail: above p = 0.5, 1 - p is exact (Sterbenz) while
   * Phi(x) near 1 would keep only ~1e-16 absolute, which the step divides by a tiny density. */
  double e = p < 0.5 ? 0.5 * erfc(-x / sqrt(2)) - p : (1 - p) - 0.5 * erfc(x / sqrt(2));
  double u = e * sqrt(2 * G_PI) * exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

/* Continued fraction of the regularized incomplete beta I_x(a, b) (modified Lentz; Numerical
 * Recipes, 3rd ed., 6.4). Converges fast for x < (a + 1) / (a + b + 2), in O(sqrt(max(a, b)))
 * terms. */
static double
beta_cf(double a, double b, double x)
{
  const double tiny = 1e-300;
  double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
  d = 1.0 / (fabs(d) < tiny ? tiny : d);
  double h = d;
  for (int m = 1; m <= 100000; m++) {
    for (int odd = 0; odd < 2; odd++) {
      double aa = odd ? -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
                      : m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
      d = 1.0 + aa * d;
      d = 1.0 / (fabs(d) < tiny ? tiny : d);
      c = 1.0 + aa / c;
      c = fabs(c) < tiny ? tiny : c;
      h *= d * c;
      if (odd && fabs(d * c - 1.0) < 1e-16)
        return h;
    }
  }
  return h;
}

/* P(T > t) for t >= 0: I_x(dof/2, 1/2) / 2 with x = dof / (dof + t^2) (Abramowitz & Stegun
 * 26.7.1); y = 1 - x is computed directly so small t keeps its digits. */
static double
t_upper_tail(double t, double dof)
{
  double t2 = t * t;
  double x = dof / (dof + t2), y = 1.0 / (1.0 + dof / t2);
  if (x <= 0.0)
    return 0.0;
  if (y <= 0.0)
    return 0.5;
  double a = 0.5 * dof, b = 0.5;
  int sign;
  double lbeta = lgamma_r(a, &sign) + lgamma_r(b, &sign) - lgamma_r(a + b, &sign);
  double front = exp(a * log(x) + b * log(y) - lbeta);
  if (x < (a + 1.0) / (a + b + 2.0))
    return 0.5 * front * beta_cf(a, b, x) / a;
  return 0.5 * (1.0 - front * beta_cf(b, a, y) / b);
}

static double
t_density(double t, double dof)
{
  int sign;
  return exp(lgamma_r(0.5 * (dof + 1), &sign) - lgamma_r(0.5 * dof, &sign)
             - 0.5 * log(dof * G_PI) - 0.5 * (dof + 1) * log1p(t * t / dof));
}

double
fl_t_quantile(double p, double dof)
{
  g_return_val_if_fail(p > 0.0 && p < 1.0 && dof >= 1.0, NAN);
  if (dof == 1.0)
    return tan(G_PI * (p - 0.5));
  if (dof == 2.0) {
    double a = 4 * p * (1 - p);
    return (2 * p - 1) * sqrt(2 / a);
  }
  double z = fl_normal_quantile(p);
  if (dof > 1e6)
    return z;
  double z2 = z * z, v = dof;
  double g1 = (z2 + 1) * z / 4;
  double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
  double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
  double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
  double cf = z + g1 / v + g2 / (v * v) + g3 / (v * v * v) + g4 / (v * v * v * v);
  /* Cornish-Fisher alone is off by 4e-3 at dof 3 (p = 0.975) and diverges in far tails, so it
   * only starts a safeguarded Newton iteration on the exact tail P(T > t) = q, t >= 0: Newton
   * steps while they stay inside the bracket [lo, hi], bisection otherwise. Typically 3-5
   * iterations, each O(sqrt(dof)) for the continued fraction. */
  double q = p < 0.5 ? p : 1 - p; /* exact for p > 0.5 (Sterbenz) */
  double lo = 0.0, hi = MAX(1.0, fabs(cf));
  while (t_upper_tail(hi, dof) > q) {
    lo = hi;
    hi *= 2;
  }
  double t = fabs(cf) > lo && fabs(cf) < hi ? fabs(cf) : 0.5 * (lo + hi);
  for (int i = 0; i < 400; i++) {
    double g = t_upper_tail(t, dof) - q;
    if (g == 0.0)
      break;
    if (g > 0.0)
      lo = t;
    else
      hi = t;
    double next = t + g / t_density(t, dof);
    if (!(next > lo && next < hi))
      next = 0.5 * (lo + hi);
    double step = fabs(next - t);
    t = next;
    if (step <= 1e-15 * t || hi - lo <= 1e-15 * hi)
      break;
  }
  return p < 0.5 ? -t : t;
}

void
fl_mean_ci(const double *x, gsize n, double level, double *mean, double *half_width)
{
  if (n == 0) {
    *mean = NAN;
    *half_width = NAN;
    return;
  }
  /* Two passes (mean, then squared deviations) for accuracy with values near 1. */
  double sum = 0.0;
  for (gsize i = 0; i < n; i++)
    sum += x[i];
  double m = sum / (double)n;
  *mean = m;
  if (n < 2) {
    *half_width = NAN;
    return;
  }
  double ss = 0.0;
  for (gsize i = 0; i < n; i++)
    ss += (x[i] - m) * (x[i] - m);
  double sd = sqrt(ss / (double)(n - 1));
  *half_width = fl_t_quantile(0.5 + level / 2, (double)(n - 1)) * sd / sqrt((double)n);
}

double
fl_quantile_sorted(const double *sorted, gsize n, double p)
{
  g_return_val_if_fail(n >= 1, NAN);
  double h = (double)(n - 1) * p;
  gsize lo = (gsize)floor(h);
  if (lo >= n - 1)
    return sorted[n - 1];
  return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

static int
cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Puts into x[k] the value it would hold were x[lo..hi] sorted, with every value left of it no
 * greater and every value right of it no smaller: Hoare's FIND with a median-of-three pivot,
 * whose partition splits runs of equal values evenly (a replication-year's downtime is mostly
 * exactly 0). Written by hand: neither libc nor GLib has a selection. After 64 + 4 log2 n
 * rounds it sorts the rest instead, so adversarial orders cost O(n log n) at worst. */
static void
select_kth(double *x, gssize lo, gssize hi, gssize k)
{
  guint rounds = 64 + 4 * (guint)g_bit_storage((gulong)(hi - lo + 1));
  while (lo < hi) {
    if (rounds-- == 0) {
      qsort(x + lo, (gsize)(hi - lo + 1), sizeof(double), cmp_double);
      return;
    }
    gssize mid = lo + (hi - lo) / 2;
    double a = x[lo], b = x[mid], c = x[hi];
    double pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
    gssize i = lo, j = hi;
    while (i <= j) {
      while (x[i] < pivot)
        i++;
      while (x[j] > pivot)
        j--;
      if (i <= j) {
        double t = x[i];
        x[i++] = x[j];
        x[j--] = t;
      }
    }
    /* Now x[lo..j] <= pivot <= x[i..hi], and any x between j and i equals the pivot. */
    if (k <= j)
      hi = j;
    else if (k >= i)
      lo = i;
    else
      return;
  }
}

void
fl_quantiles_unsorted(double *x, gsize n, const double *p, double *out, guint k)
{
  g_return_if_fail(n >= 1 && n <= G_MAXSSIZE);
  gssize done = -1; /* x[0..done] hold the smallest done + 1 values, in place and in order of
                       the order statistics found so far: x[done] is one */
  for (guint q = 0; q < k; q++) {
    g_return_if_fail(q == 0 || p[q] >= p[q - 1]);
    /* fl_quantile_sorted()'s arithmetic, on order statistics found as needed. */
    double h = (double)(n - 1) * p[q];
    gssize lo = (gssize)floor(h);
    if (lo >= (gssize)n - 1)
      lo = (gssize)n - 1;
    if (lo > done) {
      select_kth(x, done + 1, (gssize)n - 1, lo);
      done = lo;
    }
    if (lo == (gssize)n - 1) {
      out[q] = x[n - 1];
      continue;
    }
    /* The next order statistic is the smallest value right of x[lo]. */
    double next = x[lo + 1];
    for (gssize i = lo + 2; i < (gssize)n; i++)
      next = x[i] < next ? x[i] : next;
    out[q] = x[lo] + (h - (double)lo) * (next - x[lo]);
  }
}

void
fl_wilson(guint64 k, guint64 n, double z, double *lo, double *hi)
{
  if (n == 0) {
    *lo = 0.0;
    *hi = 1.0;
    return;
  }
  double p = (double)k / (double)n, nn = (double)n, z2 = z * z;
  double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
  double half = z * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / (1 + z2 / nn);
  *lo = MAX(0.0, centre - half);
  *hi = MIN(1.0, centre + half);
}

void
fl_hist_clear(FlLogHist *h)
{
  memset(h, 0, sizeof *h);
}

static guint
hist_bin(double s)
{
  if (!(s >= 1e-3))
    return 0;
  double b = floor((log10(s) + 3.0) * FL_HIST_PER_DECADE);
  if (b >= FL_HIST_BINS - 1)
    return FL_HIST_BINS - 1;
  return 1 + (guint)b;
}

void
fl_hist_add(FlLogHist *h, double s)
{
  guint b = hist_bin(s);
  h->count[b]++;
  h->sum_us[b] += fl_time_sum_from_s(s);
  h->total++;
  if (s > h->max_s)
    h->max_s = s;
}

void
fl_hist_merge(FlLogHist *into, const FlLogHist *from)
{
  for (guint b = 0; b < FL_HIST_BINS; b++) {
    into->count[b] += from->count[b];
    into->sum_us[b] += from->sum_us[b];
  }
  into->total += from->total;
  if (from->max_s > into->max_s)
    into->max_s = from->max_s;
}

double
fl_hist_quantile(const FlLogHist *h, double p)
{
  if (h->total == 0)
    return NAN;
  /* The smallest bin whose cumulative count reaches ceil(p * total) (inverted CDF). */
  guint64 rank = (guint64)ceil(p * (double)h->total);
  if (rank < 1)
    rank = 1;
  guint64 cum = 0;
  for (guint b = 0; b < FL_HIST_BINS; b++) {
    cum += h->count[b];
    if (cum >= rank)
      return fl_time_sum_to_s(h->sum_us[b]) / (double)h->count[b];
  }
  return h->max_s;
}
