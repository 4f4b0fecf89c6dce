/* healthcheck.h - how long health checks take to notice a change.
 *
 * Owns: the detection delays of Route 53 health checks and of load-balancer (ALB) target
 * health checks, sampled once per change of state (never by ticking every interval), their
 * closed-form means, and the order statistic of uniforms they are built on
 * (docs/multi-region.md, "Route 53" and "Regional endpoint and load balancer").
 *
 * Model (aws-mechanics.md, "Route 53 health checks"; Route 53 developer guide):
 *   - n checkers (about 15, *unconfirmed*) each probe every `interval` with an independent
 *     phase, uniform over one interval; they do not coordinate.
 *   - A checker changes its view after `threshold` consecutive failed probes (or as many
 *     successful ones). After a change at time 0 its first probe falls at U·interval, so it
 *     flips at (threshold - 1)·interval + U·interval.
 *   - The endpoint is healthy while MORE than healthy_above·n checkers say healthy (18% today;
 *     AWS says this may change). From a state where all checkers agree, the verdict flips when
 *     the k-th checker flips, k = fl_r53_checkers_to_flip(): the k-th smallest of n uniform
 *     phases, U_(k:n), which is Beta(k, n - k + 1).
 *   - An ALB target is one checker with thresholds of its own (unhealthy 2, healthy 5 by
 *     default): (threshold - 1)·interval + U·interval.
 *
 * Known limit: each delay assumes every checker agreed before the change (the endpoint had
 * been in its old state for at least threshold·interval). A change that follows another one
 * sooner is modelled as if the checkers had all settled; an outage shorter than the sampled
 * delay is simply never detected (the caller compares the two).
 *
 * Invariants: pure functions; the only state is the caller's FlRng, from which each sampler
 * draws its variates (a fixed number, or for the order statistic a number set by rejection
 * sampling; either way a function of the stream's state). Must not call anything above rng (no model, engine or
 * scenario).
 */
#ifndef FAULTLINE_HEALTHCHECK_H
#define FAULTLINE_HEALTHCHECK_H

#include <glib.h>
#include <math.h>

#include "faultline/rng.h"

/* Largest n accepted by fl_uniform_order_stat() and so the most Route 53 checkers a health
 * check may have (the scenario parser must reject more). */
#define FL_HC_MAX_CHECKERS 64

/* The @k-th smallest of @n independent uniforms on (0, 1), i.e. a Beta(k, n - k + 1) draw.
 *
 * Sampled exactly (no approximation beyond the normal, exponential and uniform samplers'): with
 * E_1..E_{n+1} independent standard exponentials and S_j their partial sums, (S_1/S_{n+1}, ...,
 * S_n/S_{n+1}) has the law of the sorted uniforms (Devroye 1986, "Non-Uniform Random Variate
 * Generation", V.2), so U_(k) = S_k / S_{n+1} = G / (G + H) with G = S_k ~ Gamma(k) and
 * H = S_{n+1} - S_k ~ Gamma(n + 1 - k) independent. Each gamma is drawn directly (an
 * exponential for shape 1, else Marsaglia & Tsang's method, rng.h), so a draw costs about two
 * normals and two uniforms whatever n is: about 350 instructions for Route 53's 15 checkers,
 * against 1,070 for the n + 1 = 16 exponentials it used to sum. O(1), no allocation.
 *
 * @rng: the stream to draw from (transfer none); advanced by the gamma draws, a number of
 *   variates that depends on the rejections (deterministic for a given stream state).
 * @k: rank, 1 <= k <= n.
 * @n: number of uniforms, 1 <= n <= FL_HC_MAX_CHECKERS.
 *
 * Returns: a value in the open interval (0, 1) (clamped away from the ends should rounding
 * reach them). Programmer errors (k or n out of range, NULL rng) log a critical and return
 * NAN.
 */
double fl_uniform_order_stat(FlRng *rng, guint k, guint n);

/* fl_uniform_order_stat() for a (k, n) drawn many times, with its per-(k, n) arithmetic done
 * once: each gamma's Marsaglia-Tsang constants d = shape - 1/3 and c = 1/sqrt(9d), a square
 * root and two divisions that cost about as much as the rest of a draw. Correctly rounded
 * either way, so a prepared draw is bitwise the unprepared one and reads the same variates. */
typedef struct {
  guint k, n;                      /* rank and count, as fl_uniform_order_stat() takes them */
  double head_d, head_c;           /* Gamma(k)'s constants (unused for k = 1) */
  double tail_d, tail_c;           /* Gamma(n + 1 - k)'s (unused for n + 1 - k = 1) */
} FlOrderStat;

/* Prepares @os for rank @k of @n (the ranges of fl_uniform_order_stat()). FALSE, with @os
 * zeroed, when they are out of range. */
gboolean fl_order_stat_prepare(FlOrderStat *os, guint k, guint n);

/* A draw of the prepared order statistic: fl_uniform_order_stat(@rng, @os->k, @os->n). */
double fl_order_stat_draw(const FlOrderStat *os, FlRng *rng);

/* How many of @checkers checkers must change their view for the endpoint's verdict to change,
 * starting from all checkers agreeing.
 *
 * The endpoint is healthy while the number h of checkers saying healthy satisfies
 * h > healthy_above·n. With m = floor(healthy_above·n):
 *   - @to_unhealthy TRUE (all said healthy): it turns unhealthy when h drops to m, after
 *     n - m flips (13 of 15 at 18%: 0.18·15 = 2.7, m = 2);
 *   - @to_unhealthy FALSE (all said unhealthy): it turns healthy when h reaches m + 1, after
 *     m + 1 flips (3 of 15).
 * The two counts always add up to n + 1.
 *
 * Floating point: healthy_above is meant as a decimal share, so a product within 1e-9 of an
 * integer counts as that integer: 0.18·50 gives m = 9 ("more than 9" healthy means healthy
 * needs 10; 41 flips to turn unhealthy) whichever way the double product rounds.
 *
 * @checkers: n, 1..10^6 (the delay samplers need n <= FL_HC_MAX_CHECKERS).
 * @healthy_above: the share, 0 <= healthy_above < 1 (Route 53: 0.18).
 * @to_unhealthy: direction of the change.
 *
 * Returns: the count, in 1..n. O(1). Programmer errors (n out of range, share out of range or
 * so close to 1 that the endpoint could never be healthy) log a critical and return 0.
 */
guint fl_r53_checkers_to_flip(guint checkers, double healthy_above, gboolean to_unhealthy);

/* Time from a change of the endpoint's state (dead, or alive again) to Route 53's verdict
 * following it: (threshold - 1)·interval + U_(k:n)·interval with k from
 * fl_r53_checkers_to_flip(). Lies in [(threshold - 1)·interval, threshold·interval].
 *
 * @rng: the stream (transfer none); advanced as by fl_uniform_order_stat().
 * @interval_s: probe interval, s, > 0 and finite (Route 53: 10 or 30).
 * @threshold: consecutive failures (or successes) a checker needs, >= 1 (Route 53: 1..10,
 *   default 3; the same count both ways).
 * @checkers: n, 1..FL_HC_MAX_CHECKERS (default 15, *unconfirmed*).
 * @healthy_above: as for fl_r53_checkers_to_flip() (0.18).
 * @to_unhealthy: TRUE for detection of a failure, FALSE for detection of a recovery.
 *
 * Returns: the delay, s. O(1), no allocation. Programmer errors log a critical and return NAN.
 */
double fl_r53_verdict_delay(FlRng *rng, double interval_s, guint threshold, guint checkers,
                            double healthy_above, gboolean to_unhealthy);

/* The mean of fl_r53_verdict_delay(): (threshold - 1)·interval + k/(n + 1)·interval, since
 * E[U_(k:n)] = k/(n + 1). With the defaults (30 s, 3, 15, 0.18) detection takes on average
 * 60 + 30·13/16 = 84.375 s and recovery 60 + 30·3/16 = 65.625 s.
 *
 * Parameters as for fl_r53_verdict_delay(). Returns: the mean, s. O(1). Programmer errors log
 * a critical and return NAN. */
double fl_r53_verdict_delay_mean(double interval_s, guint threshold, guint checkers,
                                 double healthy_above, gboolean to_unhealthy);

/* Time from a load-balancer target's change of state (died, or recovered) to the LB marking it
 * so: U·interval + (threshold - 1)·interval with U uniform on (0, 1), the phase of the target's
 * check cycle. Lies in [(threshold - 1)·interval, threshold·interval].
 *
 * @rng: the stream (transfer none); advanced by one uniform draw.
 * @interval_s: target health-check interval, s, > 0 and finite (ALB: 5..300, default 30).
 * @threshold: unhealthy-threshold when the target died (ALB default 2), healthy-threshold when
 *   it recovered (ALB default 5); >= 1.
 *
 * Returns: the delay, s. O(1). Programmer errors log a critical and return NAN. Inline: a
 * zone outage draws one for each of its targets, twice, so the call would cost more than the
 * draw.
 */
static inline double
fl_lb_target_delay(FlRng *rng, double interval_s, guint threshold)
{
  g_return_val_if_fail(rng != NULL, NAN);
  g_return_val_if_fail(isfinite(interval_s) && interval_s > 0.0 && threshold >= 1, NAN);
  return ((double)(threshold - 1) + fl_rng_uniform(rng)) * interval_s;
}

/* The mean of fl_lb_target_delay(): (threshold - 0.5)·interval (45 s for a dead target and
 * 135 s for a recovered one with the ALB defaults). O(1). Programmer errors log a critical and
 * return NAN. */
double fl_lb_target_delay_mean(double interval_s, guint threshold);

#endif
