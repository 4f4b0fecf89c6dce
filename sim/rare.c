/* rare.c - likelihood ratios of biased Poisson clocks, bias choice, weighted estimators.
 * See rare.h and docs/rare-events.md.
 */
#include "config.h"

#include <math.h>

#include "faultline/rare.h"
#include "faultline/stats.h"
#include "faultline/units.h"

void
fl_lr_init(FlLr *lr)
{
  lr->log_w = 0.0;
}

void
fl_lr_poisson_exposure(FlLr *lr, double base_rate, double biased_rate, double n_at_risk,
                       double dt)
{
  g_return_if_fail(base_rate > 0.0 && biased_rate > 0.0 && n_at_risk >= 0.0 && dt >= 0.0);
  lr->log_w -= (base_rate - biased_rate) * n_at_risk * dt;
}

void
fl_lr_poisson_event(FlLr *lr, double base_rate, double biased_rate)
{
  g_return_if_fail(base_rate > 0.0 && biased_rate > 0.0);
  lr->log_w += log(base_rate / biased_rate);
}

void
fl_lr_add_log_ratio(FlLr *lr, double log_ratio)
{
  g_return_if_fail(isfinite(log_ratio));
  lr->log_w += log_ratio;
}

double
fl_lr_weight(const FlLr *lr)
{
  return exp(lr->log_w);
}

double
fl_lr_poisson_log_weight(double base_rate, double biased_rate, double n_events, double exposure)
{
  g_return_val_if_fail(base_rate > 0.0 && biased_rate > 0.0, NAN);
  return n_events * log(base_rate / biased_rate) - (base_rate - biased_rate) * exposure;
}

gboolean
fl_rare_poisson_bias(double base_rate, double horizon, double user_rate, double *biased_rate)
{
  g_return_val_if_fail(base_rate > 0.0 && horizon > 0.0, FALSE);
  if (user_rate > 0.0)
    *biased_rate = user_rate;
  else if (base_rate * horizon <= FL_RARE_MAX_EVENTS_PER_HORIZON)
    *biased_rate = FL_RARE_AUTO_EVENTS_PER_HORIZON / horizon;
  else
    return FALSE;
  return TRUE;
}

gboolean
fl_rare_group_bias(const FlScenario *sc, guint group, double horizon_s, double *base_rate,
                   double *biased_rate)
{
  g_return_val_if_fail(group < sc->failures->len && horizon_s > 0.0, FALSE);
  const FlFailureSpec *f = fl_scenario_failure(sc, group);
  if (f->ttf->kind != FL_DIST_EXPONENTIAL)
    return FALSE;
  double base = 1.0 / fl_dist_mean(f->ttf);
  if (!fl_rare_poisson_bias(base, horizon_s, f->rare_rate_per_year / FL_SECONDS_PER_YEAR,
                            biased_rate))
    return FALSE;
  *base_rate = base;
  return TRUE;
}

gboolean
fl_rare_hazard_bias(const FlScenario *sc, guint hazard, double horizon_s, double *base_rate,
                    double *biased_rate, double *magnitude_b)
{
  g_return_val_if_fail(hazard < sc->hazards->len && horizon_s > 0.0, FALSE);
  const FlHazardSpec *h = fl_scenario_hazard(sc, hazard);
  double base = h->rate_per_year / FL_SECONDS_PER_YEAR;
  if (!fl_rare_poisson_bias(base, horizon_s, h->rare_rate_per_year / FL_SECONDS_PER_YEAR,
                            biased_rate))
    return FALSE;
  *base_rate = base;
  if (h->kind == FL_HAZARD_EARTHQUAKE)
    *magnitude_b = h->rare_magnitude_b > 0 ? h->rare_magnitude_b
                                           : FL_RARE_AUTO_MAGNITUDE_TILT * h->magnitude.b;
  return TRUE;
}

guint
fl_rare_n_drivers(const FlScenario *sc, double horizon_s)
{
  guint n = 0;
  double base, biased, b;
  for (guint g = 0; g < sc->failures->len; g++)
    n += fl_rare_group_bias(sc, g, horizon_s, &base, &biased);
  for (guint h = 0; sc->hazards && h < sc->hazards->len; h++)
    n += fl_rare_hazard_bias(sc, h, horizon_s, &base, &biased, &b);
  return n;
}

double
fl_rare_ess(const double *log_w, gsize n)
{
  if (n == 0)
    return NAN;
  double top = -INFINITY;
  for (gsize i = 0; i < n; i++) {
    if (!isfinite(log_w[i]))
      return NAN;
    top = MAX(top, log_w[i]);
  }
  /* ESS is invariant to scaling every weight: divide by the largest, so each term is in (0, 1]
   * and the largest is exactly 1. */
  double s = 0.0, s2 = 0.0;
  for (gsize i = 0; i < n; i++) {
    double v = exp(log_w[i] - top);
    s += v;
    s2 += v * v;
  }
  return s * s / s2;
}

gboolean
fl_rare_ess_collapsed(double ess, guint64 n)
{
  return !(ess >= FL_RARE_ESS_MIN && ess >= FL_RARE_ESS_MIN_FRACTION * (double)n);
}

void
fl_is_estimate(const double *y, const double *log_w, gsize n, double level, FlIsEstimate *out)
{
  double sum = 0.0, sum2 = 0.0, sum_w = 0.0, moment2 = 0.0;
  for (gsize i = 0; i < n; i++) {
    double w = log_w ? exp(log_w[i]) : 1.0, v = w * y[i];
    sum += v;
    sum_w += w;
    moment2 += v * y[i];
  }
  double mean = n ? sum / (double)n : NAN;
  /* Two passes for the variance: the one-pass formula cancels badly when every w y is tiny and
   * nearly equal. */
  for (gsize i = 0; i < n; i++) {
    double d = (log_w ? exp(log_w[i]) : 1.0) * y[i] - mean;
    sum2 += d * d;
  }
  out->n = n;
  out->mean = mean;
  out->half_width =
    n >= 2 ? fl_t_quantile(0.5 + level / 2.0, (double)(n - 1)) * sqrt(sum2 / (double)(n - 1))
               / sqrt((double)n)
           : NAN;
  out->rel_half_width = mean != 0.0 ? out->half_width / fabs(mean) : NAN;
  out->second_moment = n ? moment2 / (double)n : NAN;
  out->mean_weight = n ? sum_w / (double)n : NAN;
  out->ess = log_w ? fl_rare_ess(log_w, n) : (double)n;
  out->collapsed = log_w ? fl_rare_ess_collapsed(out->ess, n) : FALSE;
}

double
fl_rare_plain_replications(double mean, double second_moment, double rel_half_width)
{
  if (!(mean > 0.0) || !(rel_half_width > 0.0))
    return NAN;
  const double z = 1.959963984540054;
  double var = MAX(0.0, second_moment - mean * mean);
  return z * z * var / (rel_half_width * rel_half_width * mean * mean);
}
