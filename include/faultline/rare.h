/* rare.h - rare-event estimation: importance sampling of Poisson drivers (issue 5).
 *
 * Owns: the likelihood-ratio bookkeeping of one replication whose Poisson clocks run at biased
 * rates (FlLr), the rule that says which failure groups are rare drivers and the biased rate
 * each gets, and the estimators a report prints from weighted replications: the unbiased
 * importance-sampling mean with its t-interval and relative half-width, and the effective
 * sample size (ESS) with its collapse warning. docs/rare-events.md gives every formula with its
 * source (shared reference hazards.md, "Rare events"; Heidelberger 1995, ACM TOMACS 5(1)).
 *
 * The likelihood ratio of a Poisson clock. A clock of rate `base` per member, with n(t)
 * members at risk, run instead at rate `biased` per member, gives each replication the weight
 *     L = prod over its events (base / biased) * exp(-(base - biased) * integral of n(t) dt),
 * so log L = N ln(base/biased) - (base - biased) * exposure. Which member fails is uniform under
 * both laws and whatever is not biased (repair times, other groups) has the same density under
 * both, so neither enters L. E_biased[L * Y] = E_base[Y] for any Y the replication computes:
 * the mean of L * Y over replications run under the biased law is unbiased for E[Y].
 * Marks (an earthquake's magnitude drawn from a tilted law) add their own log density ratio
 * with fl_lr_add_log_ratio() (see seismic.h, fl_gr_tilt_log_ratio).
 *
 * Units: rates and times in any one unit (the model uses per second and seconds; a hazard may
 * use per year and years), as long as every call on one FlLr uses the same.
 *
 * Invariants: an FlLr is plain data (no heap), one per replication being run, written by that
 * replication only, in event order, so its value is bit-identical for any thread count.
 *
 * Must not call: the model, the engine, threads or reports (it reads a scenario's failure
 * groups to choose biases; nothing else).
 */
#ifndef FAULTLINE_RARE_H
#define FAULTLINE_RARE_H

#include <glib.h>

#include "faultline/scenario.h"

/* ---- likelihood ratio of one replication ---- */

typedef struct {
  double log_w; /* log of the replication's likelihood ratio (base law / biased law); 0: w = 1 */
} FlLr;

/* Starts a replication: weight 1. Cannot fail. */
void fl_lr_init(FlLr *lr);

/* Adds @n_at_risk members exposed for @dt to a clock of rate @base_rate per member that runs
 * at @biased_rate: log_w -= (base - biased) * n_at_risk * dt. Call it for every stretch of
 * time over which the count at risk is constant (before the count changes and at the
 * horizon). Preconditions (g_return_if_fail): rates > 0, @n_at_risk >= 0, @dt >= 0. */
void fl_lr_poisson_exposure(FlLr *lr, double base_rate, double biased_rate, double n_at_risk,
                            double dt);

/* One event of that clock: log_w += ln(base / biased). Preconditions: rates > 0. */
void fl_lr_poisson_event(FlLr *lr, double base_rate, double biased_rate);

/* Adds the log density ratio of a mark, ln(f_base(x) / f_biased(x)). Must be finite. */
void fl_lr_add_log_ratio(FlLr *lr, double log_ratio);

/* The weight exp(log_w); may be 0 or infinite for absurd biases. Cannot fail. */
double fl_lr_weight(const FlLr *lr);

/* Closed form for a whole replication: the log weight of @n_events events over @exposure
 * member-time, N ln(base/biased) - (base - biased) exposure. What the incremental calls above
 * add up to (up to rounding). Preconditions: rates > 0. */
double fl_lr_poisson_log_weight(double base_rate, double biased_rate, double n_events,
                                double exposure);

/* ---- which drivers are rare, and their biased rates ---- */

/* A failure group is a rare driver when its time to failure is exponential (a Poisson clock per
 * member: the only law whose likelihood ratio is this simple) and each member is expected to
 * fail at most this many times per horizon: rate x horizon <= 0.25, so biasing to one event per
 * horizon raises its rate at least fourfold. */
#define FL_RARE_MAX_EVENTS_PER_HORIZON 0.25

/* Automatic bias: one event per member per horizon (biased rate x horizon = 1). For a failure
 * mode that needs k members of one group down together, the relative variance per replication
 * behaves as e^{n x} / x^k with x = biased rate x horizon and n members, smallest at n x = k:
 * one event per member is optimal when the mode needs the whole group (a single region; every
 * region of a pair) and keeps the relative error bounded as the true rate goes to zero
 * (hazards.md: relative error per replication near sqrt(e - 1) for one member). */
#define FL_RARE_AUTO_EVENTS_PER_HORIZON 1.0

/* The bias rule for any Poisson driver (a failure group's member, a hazard's clock): given its
 * @base_rate, the @horizon (same time unit) and a user rate @user_rate (0: none), sets
 * *@biased_rate and returns TRUE when the driver is to be biased: @user_rate when it is > 0,
 * else 1 / horizon when base_rate x horizon <= FL_RARE_MAX_EVENTS_PER_HORIZON. FALSE (and
 * *@biased_rate untouched) otherwise. Preconditions: @base_rate > 0, @horizon > 0. */
gboolean fl_rare_poisson_bias(double base_rate, double horizon, double user_rate,
                              double *biased_rate);

/* How failure group @group of @sc is biased over a horizon of @horizon_s seconds: sets
 * *@base_rate and *@biased_rate (per second, per member) and returns TRUE when the group is
 * biased: it has an exponential time to failure and either its `rare-rate` key is set (the user's
 * rate, whatever the base rate) or it is rare by the rule above (automatic rate). FALSE (and
 * the outputs untouched) otherwise. Cannot fail. */
gboolean fl_rare_group_bias(const FlScenario *sc, guint group, double horizon_s,
                            double *base_rate, double *biased_rate);

/* How hazard @hazard of @sc (a Poisson stream of events) is biased over @horizon_s seconds, by
 * the same rule: sets *@base_rate and *@biased_rate (events per second) and returns TRUE when it
 * is; for an earthquake also *@magnitude_b, the b-value its magnitudes are then drawn with (its
 * `rare-magnitude-b`, or FL_RARE_AUTO_MAGNITUDE_TILT x b: large events are what takes a region
 * down, so they are drawn more often and weighted down). FALSE (outputs untouched) otherwise.
 * Cannot fail. */
gboolean fl_rare_hazard_bias(const FlScenario *sc, guint hazard, double horizon_s,
                             double *base_rate, double *biased_rate, double *magnitude_b);

/* Automatic magnitude tilt: b' = b / 2. The weight of a magnitude is then bounded on the
 * truncated law (between (beta / beta') e^{-(beta - beta') D} c and (beta / beta') c, c =
 * (1 - e^{-beta' D}) / (1 - e^{-beta D})): for b = 1 over 6.7-8.0, from 0.47 to 2.2. */
#define FL_RARE_AUTO_MAGNITUDE_TILT 0.5

/* Number of failure groups and hazards fl_rare_group_bias() and fl_rare_hazard_bias() bias.
 * Cannot fail. */
guint fl_rare_n_drivers(const FlScenario *sc, double horizon_s);

/* ---- estimators over weighted replications ---- */

/* ESS warning: the weights have collapsed (a few replications carry the estimate) when the
 * ESS is below FL_RARE_ESS_MIN replications or below FL_RARE_ESS_MIN_FRACTION of them. 100 is
 * where a t-interval over the effective sample stops being trustworthy for skewed data; 1% is
 * log-weight variance about ln 100 = 4.6, a bias that is several times too strong. */
#define FL_RARE_ESS_MIN 100.0
#define FL_RARE_ESS_MIN_FRACTION 0.01

typedef struct {
  guint64 n;               /* replications */
  double mean;             /* (1/n) sum w_i y_i: unbiased for E[y] under the base law */
  double half_width;       /* t(level, n-1) * sd(w_i y_i) / sqrt(n); NAN with n < 2 */
  double rel_half_width;   /* half_width / |mean|; NAN when mean == 0 */
  double second_moment;    /* (1/n) sum w_i y_i^2: unbiased for E[y^2] under the base law */
  double ess;              /* (sum w)^2 / sum w^2; n without weights */
  double mean_weight;      /* (1/n) sum w_i: should be near 1 (a check on the bookkeeping) */
  gboolean collapsed;      /* fl_rare_ess_collapsed(ess, n) */
} FlIsEstimate;

/* Estimates E[y] from @n replications' values @y and log weights @log_w ((nullable): all
 * weights 1, plain Monte Carlo) at confidence @level (0.95). Sums run in index order, so the
 * result depends only on the arrays. Cannot fail. */
void fl_is_estimate(const double *y, const double *log_w, gsize n, double level,
                    FlIsEstimate *out);

/* ESS of @n log weights: (sum w)^2 / sum w^2, computed with the largest weight factored out so
 * that it never overflows; NAN when n == 0 or a weight is not finite. Cannot fail. */
double fl_rare_ess(const double *log_w, gsize n);

/* TRUE when @ess is below FL_RARE_ESS_MIN or FL_RARE_ESS_MIN_FRACTION x @n (or not a number). */
gboolean fl_rare_ess_collapsed(double ess, guint64 n);

/* Replications plain Monte Carlo needs for a relative half-width @rel_half_width at 95%:
 * z^2 Var(y) / (rel_half_width^2 E[y]^2), z = 1.96, with E[y] = @mean and E[y^2] =
 * @second_moment (both estimated under any law, e.g. by importance sampling). For y an
 * indicator this is the 1/(p RE^2) law of the issue. NAN when @mean <= 0. */
double fl_rare_plain_replications(double mean, double second_moment, double rel_half_width);

#endif
