/* stats.h - the statistics behind every reported number.
 *
 * Owns: confidence intervals (Student t), quantiles of samples, Wilson intervals for
 * proportions, and FlLogHist, a log-binned histogram for quantities with no useful upper bound
 * (outage durations), mergeable and order-independent (integer counts and integer sums), so
 * merging per-thread histograms gives bit-identical results for any thread count.
 *
 * Pure functions; no state beyond what callers pass in. Cannot fail unless stated.
 */
#ifndef FAULTLINE_STATS_H
#define FAULTLINE_STATS_H

#include <glib.h>
#include <math.h>
#include <stdint.h>

/* Exact integer accumulator for time sums (microseconds), wide enough that no scenario the
 * parser accepts can overflow it (10^9 replications x 10^4 years = 3e26 us < 1.7e38). */
typedef __int128 FlTimeSum;

static inline FlTimeSum
fl_time_sum_from_s(double seconds)
{
  return (FlTimeSum)(seconds * 1e6 + 0.5);
}

static inline double
fl_time_sum_to_s(FlTimeSum sum)
{
  return (double)sum * 1e-6;
}

/* Exact accumulator for weighted counts (importance sampling: a count times its replication's
 * likelihood ratio): fixed point with 64 fractional bits, so sums are integer additions and do
 * not depend on their order (bit-identical for any thread count). Each term is rounded to
 * 2^-64 (5e-20): a hazard of 1e-13 per year, whose weights are that small, still sums to
 * within 1e-6 of itself (40 bits, 1e-12, biased it by 14% and rounded it to 0). Terms are
 * clamped to 2^40 (1e12: absurd weights only), which leaves room for 2^23 such terms in the
 * 2^63 the integer part holds. */
typedef __int128 FlWeightSum;
#define FL_WEIGHT_SUM_BITS 64

static inline FlWeightSum
fl_weight_sum_from(double x)
{
  double scaled = ldexp(x, FL_WEIGHT_SUM_BITS);
  double cap = ldexp(1.0, 40 + FL_WEIGHT_SUM_BITS);
  if (!(scaled < cap)) /* also NaN */
    scaled = cap;
  return (FlWeightSum)(scaled + 0.5);
}

static inline double
fl_weight_sum_to(FlWeightSum sum)
{
  return ldexp((double)sum, -FL_WEIGHT_SUM_BITS);
}

/* Quantile p (0..1) of the Student t law with @dof degrees of freedom (>= 1); for dof > 1e6
 * the normal quantile. Accurate to < 1e-4 for dof >= 3 (a Cornish–Fisher start, Abramowitz &
 * Stegun 26.7.5, refined by Newton steps on the exact tail, an incomplete beta, A&S 26.7.1;
 * ~1e-9 relative in practice) and exact for dof 1 and 2. */
double fl_t_quantile(double p, double dof);

/* Quantile p of the standard normal (Acklam's rational approximation, refined by one Halley
 * step: relative error < 1e-12). p in (0, 1). */
double fl_normal_quantile(double p);

/* Mean and half-width of the two-sided @level confidence interval (t-based) of @n samples.
 * With n < 2 the half-width is NAN. */
void fl_mean_ci(const double *x, gsize n, double level, double *mean, double *half_width);

/* Quantile p of @sorted (ascending, n >= 1) with linear interpolation between order
 * statistics (Hyndman & Fan type 7, as R and numpy default). */
double fl_quantile_sorted(const double *sorted, gsize n, double p);

/* The quantiles @p[0] <= @p[1] <= ... <= @p[k - 1] (each in 0..1) of @x (n >= 1, no NaN) into
 * @out, exactly as fl_quantile_sorted() gives them on the sorted array, without sorting it:
 * each needs at most two order statistics, found by selection (Hoare's FIND) from the previous
 * one rightwards, O(n) per quantile expected instead of O(n log n) for the sort; falls back to
 * sorting what is left if selection degrades. Reorders @x. */
void fl_quantiles_unsorted(double *x, gsize n, const double *p, double *out, guint k);

/* Wilson score interval for k successes in n trials at normal quantile z. */
void fl_wilson(guint64 k, guint64 n, double z, double *lo, double *hi);

/* Log-binned histogram: FL_HIST_PER_DECADE bins per decade from 1 ms to 1e14 s, plus an
 * underflow bin. Each bin keeps its count and the exact sum of its values, so a quantile falls
 * on the mean of its bin: relative error under 10^(1/FL_HIST_PER_DECADE) - 1 = 2.3%, and exact
 * when all values in the bin are equal whole microseconds (fixed repair times). */
#define FL_HIST_PER_DECADE 100
#define FL_HIST_DECADES 17
#define FL_HIST_BINS (FL_HIST_PER_DECADE * FL_HIST_DECADES + 1)

typedef struct {
  guint64 count[FL_HIST_BINS];
  FlTimeSum sum_us[FL_HIST_BINS];
  guint64 total;
  double max_s;
} FlLogHist;

void fl_hist_clear(FlLogHist *h);
void fl_hist_add(FlLogHist *h, double seconds);
void fl_hist_merge(FlLogHist *into, const FlLogHist *from);
/* Quantile p of the recorded values, s; NAN when empty. */
double fl_hist_quantile(const FlLogHist *h, double p);

#endif
