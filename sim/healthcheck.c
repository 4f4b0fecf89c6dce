/* healthcheck.c - detection delays of Route 53 and load-balancer health checks. See
 * healthcheck.h for the model and its sources.
 */
#include "config.h"

#include <float.h>
#include <math.h>

#include "faultline/healthcheck.h"

/* A product healthy_above·n within this (absolute) of an integer is taken as that integer.
 * Writing the share as a double and multiplying each err by under 2^-53 relative, so for any
 * n below 10^6 the product of a share that is "really" d/10^p lies within 2.3e-10 of d·n/10^p;
 * and a share with at most 8 decimals times an integer is either an integer or at least 1e-8
 * from one. 1e-9 separates the two cases with room on both sides. */
#define FLIP_SNAP 1e-9

/* Marsaglia & Tsang's constants for an integer shape >= 2: d = shape - 1/3, c = 1/sqrt(9d). */
static void
gamma_constants(guint shape, double *d, double *c)
{
  *d = (double)shape - 1.0 / 3.0;
  *c = 1.0 / sqrt(9.0 * *d);
}

/* A Gamma(@shape) draw, scale 1, for an integer shape >= 1: one exponential for shape 1 (the
 * exponential is Gamma(1)), else Marsaglia & Tsang's rejection sampler with the constants
 * gamma_constants() gave (exact; accepts about 98% of tries at shape 2 and more above, each
 * try one normal and one uniform). */
static inline double
gamma_int(FlRng *rng, guint shape, double d, double c)
{
  if (shape == 1)
    return fl_rng_exp(rng);
  return fl_rng_gamma_mt(rng, d, c);
}

gboolean
fl_order_stat_prepare(FlOrderStat *os, guint k, guint n)
{
  g_return_val_if_fail(os != NULL, FALSE);
  *os = (FlOrderStat){ 0 };
  g_return_val_if_fail(n >= 1 && n <= FL_HC_MAX_CHECKERS, FALSE);
  g_return_val_if_fail(k >= 1 && k <= n, FALSE);
  os->k = k;
  os->n = n;
  if (k > 1)
    gamma_constants(k, &os->head_d, &os->head_c);
  if (n + 1 - k > 1)
    gamma_constants(n + 1 - k, &os->tail_d, &os->tail_c);
  return TRUE;
}

double
fl_order_stat_draw(const FlOrderStat *os, FlRng *rng)
{
  /* U_(k) = G / (G + H) with G ~ Gamma(k) and H ~ Gamma(n + 1 - k) independent: G is the sum
   * of the first k of n + 1 exponentials and H of the others, so this is S_k / S_{n+1}, drawn
   * as two gammas instead of n + 1 exponentials. Keeping the two parts apart keeps
   * 1 - U_(k) = H / (G + H) accurate too. */
  double head = gamma_int(rng, os->k, os->head_d, os->head_c);
  double tail = gamma_int(rng, os->n + 1 - os->k, os->tail_d, os->tail_c);
  double u = head / (head + tail);
  if (!(u > 0.0)) /* neither sampler returns 0, but keep the promise whatever they do */
    u = DBL_MIN;
  if (u >= 1.0)
    u = 0x1.fffffffffffffp-1;
  return u;
}

double
fl_uniform_order_stat(FlRng *rng, guint k, guint n)
{
  g_return_val_if_fail(rng != NULL, NAN);
  FlOrderStat os;
  if (!fl_order_stat_prepare(&os, k, n))
    return NAN;
  return fl_order_stat_draw(&os, rng);
}

guint
fl_r53_checkers_to_flip(guint checkers, double healthy_above, gboolean to_unhealthy)
{
  g_return_val_if_fail(checkers >= 1 && checkers <= 1000000, 0);
  g_return_val_if_fail(healthy_above >= 0.0 && healthy_above < 1.0, 0);
  double x = healthy_above * (double)checkers;
  double r = nearbyint(x);
  double m = fabs(x - r) <= FLIP_SNAP ? r : floor(x);
  /* m healthy checkers or fewer: unhealthy. m >= n would mean it can never be healthy. */
  g_return_val_if_fail(m < (double)checkers, 0);
  guint mi = (guint)m;
  return to_unhealthy ? checkers - mi : mi + 1;
}

/* Shared validation of the delay functions' parameters: TRUE when valid. */
static gboolean
interval_ok(double interval_s, guint threshold)
{
  return isfinite(interval_s) && interval_s > 0.0 && threshold >= 1;
}

double
fl_r53_verdict_delay(FlRng *rng, double interval_s, guint threshold, guint checkers,
                     double healthy_above, gboolean to_unhealthy)
{
  g_return_val_if_fail(interval_ok(interval_s, threshold), NAN);
  g_return_val_if_fail(checkers >= 1 && checkers <= FL_HC_MAX_CHECKERS, NAN);
  guint k = fl_r53_checkers_to_flip(checkers, healthy_above, to_unhealthy);
  g_return_val_if_fail(k >= 1, NAN);
  return ((double)(threshold - 1) + fl_uniform_order_stat(rng, k, checkers)) * interval_s;
}

double
fl_r53_verdict_delay_mean(double interval_s, guint threshold, guint checkers,
                          double healthy_above, gboolean to_unhealthy)
{
  g_return_val_if_fail(interval_ok(interval_s, threshold), NAN);
  g_return_val_if_fail(checkers >= 1 && checkers <= FL_HC_MAX_CHECKERS, NAN);
  guint k = fl_r53_checkers_to_flip(checkers, healthy_above, to_unhealthy);
  g_return_val_if_fail(k >= 1, NAN);
  return ((double)(threshold - 1) + (double)k / (double)(checkers + 1)) * interval_s;
}

double
fl_lb_target_delay_mean(double interval_s, guint threshold)
{
  g_return_val_if_fail(interval_ok(interval_s, threshold), NAN);
  return ((double)threshold - 0.5) * interval_s;
}
