/* check_rare.c - unit tests for rare.h (likelihood ratios, bias choice, ESS, estimators), the
 * tilted Gutenberg-Richter sampler of seismic.h, the model's weighted replications and the
 * scenario keys rare-events and rare-rate.
 *
 * Stochastic tests use fixed seeds. Every likelihood ratio tested is bounded (the biased rate is
 * above the base rate, so L <= e^{(biased - base) x exposure}, and a tilted magnitude's weight
 * is largest at m0), so Hoeffding's inequality gives a bound that holds whatever the law:
 *   P(|mean of M draws - 1| >= B sqrt(ln(2/delta) / (2M))) <= delta,  weights in [0, B],
 * with delta = 1e-9 here: a failure means a bug, not bad luck. Each test says what a plausible
 * bug would shift the mean by, so the bound is tight enough to catch it.
 */
#include "config.h"

#include <check.h>
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "faultline/errors.h"
#include "faultline/model.h"
#include "faultline/montecarlo.h"
#include "faultline/rare.h"
#include "faultline/rng.h"
#include "faultline/scenario.h"
#include "faultline/seismic.h"
#include "faultline/units.h"

#define EXACT 1e-12
#define DELTA 1e-9

/* Hoeffding half-width for the mean of @m draws in [0, @bound] at false-alarm DELTA. */
static double
hoeffding(double bound, double m)
{
  return bound * sqrt(log(2.0 / DELTA) / (2.0 * m));
}

/* --- likelihood ratio formulas, against hand computation --- */

START_TEST(test_lr_hand_values)
{
  FlLr lr;
  fl_lr_init(&lr);
  ck_assert(lr.log_w == 0.0 && fl_lr_weight(&lr) == 1.0);
  /* 2 members at rate 0.1 biased to 1.0 for 0.5: -(0.1 - 1.0) x 2 x 0.5 = +0.9. */
  fl_lr_poisson_exposure(&lr, 0.1, 1.0, 2.0, 0.5);
  ck_assert_msg(fabs(lr.log_w - 0.9) < EXACT, "%.17g", lr.log_w);
  /* One event: ln(0.1 / 1.0) = -2.302585092994046. */
  fl_lr_poisson_event(&lr, 0.1, 1.0);
  ck_assert_msg(fabs(lr.log_w - (0.9 - 2.302585092994046)) < EXACT, "%.17g", lr.log_w);
  /* Then 1 member for 1.5: +1.35; weight e^{0.9 - 2.302585 + 1.35} = e^{-0.0525851} =
   * 0.9487735836. */
  fl_lr_poisson_exposure(&lr, 0.1, 1.0, 1.0, 1.5);
  ck_assert_msg(fabs(fl_lr_weight(&lr) - 0.9487735836) < 1e-10, "%.12g", fl_lr_weight(&lr));
  /* The closed form over the whole replication: 1 event, 2 x 0.5 + 1 x 1.5 = 2.5 member-time. */
  double closed = fl_lr_poisson_log_weight(0.1, 1.0, 1.0, 2.5);
  ck_assert_msg(fabs(closed - lr.log_w) < EXACT, "%.17g vs %.17g", closed, lr.log_w);
  /* No bias: weight 1 whatever happens. */
  ck_assert(fl_lr_poisson_log_weight(0.3, 0.3, 7.0, 123.0) == 0.0);
  /* A mark's ratio adds as it is. */
  fl_lr_add_log_ratio(&lr, 0.25);
  ck_assert_msg(fabs(lr.log_w - (closed + 0.25)) < EXACT, "%.17g", lr.log_w);
  /* Two drivers multiply: 3 events of 0.2 -> 0.5 over 4, and none of 1e-3 -> 0.25 over 2:
   * 3 ln 0.4 + 0.3 x 4 + 0.249 x 2 = -2.748872 + 1.2 + 0.498 = -1.050872. */
  fl_lr_init(&lr);
  for (int i = 0; i < 3; i++)
    fl_lr_poisson_event(&lr, 0.2, 0.5);
  fl_lr_poisson_exposure(&lr, 0.2, 0.5, 4.0, 1.0);
  fl_lr_poisson_exposure(&lr, 1e-3, 0.25, 2.0, 1.0);
  ck_assert_msg(fabs(lr.log_w - (3.0 * log(0.4) + 1.2 + 0.498)) < EXACT, "%.17g", lr.log_w);
  ck_assert_msg(fabs(lr.log_w - (-1.0508721)) < 1e-6, "%.10g", lr.log_w);
}
END_TEST

/* A Poisson clock with constant n at risk, sampled at the biased rate: N ~ Poisson(n l' T) and
 * L = (l/l')^N e^{-(l - l') n T}. E'[L] = 1 and E'[L^2] = e^{n T (l - l')^2 / l'} exactly, so
 * this test uses the normal bound with the exact variance (z = 6, two-sided 2e-9). */
START_TEST(test_lr_poisson_mean_one)
{
  const double base = 0.1, biased = 1.0, n = 2.0, horizon = 1.0;
  const int draws = 200000;
  FlRng rng;
  fl_rng_seed(&rng, 20261128, 5);
  double sum = 0.0;
  for (int i = 0; i < draws; i++) {
    /* Events of the superposed clock (rate n l') up to the horizon. */
    double t = fl_rng_exp(&rng) / (n * biased);
    int events = 0;
    for (; t < horizon; t += fl_rng_exp(&rng) / (n * biased))
      events++;
    FlLr lr;
    fl_lr_init(&lr);
    for (int k = 0; k < events; k++)
      fl_lr_poisson_event(&lr, base, biased);
    fl_lr_poisson_exposure(&lr, base, biased, n, horizon);
    sum += fl_lr_weight(&lr);
  }
  double mean = sum / draws;
  double var = exp(n * horizon * (base - biased) * (base - biased) / biased) - 1.0; /* 3.05 */
  double bound = 6.0 * sqrt(var / draws);                                           /* 0.023 */
  ck_assert_msg(fabs(mean - 1.0) <= bound, "mean weight %.5f, bound 1 +- %.4f", mean, bound);
}
END_TEST

/* The model's bookkeeping, replayed: a group of 2 members failing at biased rate l' per up
 * member, each repaired after a fixed d (unbiased). Exposure must follow n(t), the members up.
 * Weights lie in [0, e^{(l' - l) n T}] = [0, e^{1.8}]: Hoeffding, 200000 draws, bound 0.063.
 * Charging exposure for members under repair (n instead of n(t)) would wrongly multiply each
 * weight by about e^{-0.9 x 0.1} per event, moving the mean by about 0.2: caught. */
START_TEST(test_lr_with_repairs_mean_one)
{
  const double base = 0.1, biased = 1.0, repair = 0.1, horizon = 1.0;
  const guint members = 2;
  const int draws = 200000;
  FlRng rng;
  fl_rng_seed(&rng, 20261128, 6);
  double sum = 0.0;
  for (int i = 0; i < draws; i++) {
    double back[2] = { -1.0, -1.0 }; /* when each member is repaired; < 0: up */
    double now = 0.0, since = 0.0;
    FlLr lr;
    fl_lr_init(&lr);
    for (;;) {
      guint up = 0;
      double next_repair = INFINITY;
      for (guint k = 0; k < members; k++) {
        if (back[k] < 0)
          up++;
        else
          next_repair = MIN(next_repair, back[k]);
      }
      double next_fail = up ? now + fl_rng_exp(&rng) / (up * biased) : INFINITY;
      double next = MIN(next_fail, next_repair);
      if (next >= horizon) {
        fl_lr_poisson_exposure(&lr, base, biased, up, horizon - since);
        break;
      }
      fl_lr_poisson_exposure(&lr, base, biased, up, next - since);
      since = now = next;
      if (next_fail < next_repair) {
        fl_lr_poisson_event(&lr, base, biased);
        guint pick = (guint)fl_rng_below(&rng, up); /* the pick-th member that is up */
        for (guint k = 0; k < members; k++)
          if (back[k] < 0 && pick-- == 0) {
            back[k] = now + repair;
            break;
          }
      } else {
        for (guint k = 0; k < members; k++)
          if (back[k] == next_repair)
            back[k] = -1.0;
      }
    }
    sum += fl_lr_weight(&lr);
  }
  double mean = sum / draws;
  double bound = hoeffding(exp((biased - base) * members * horizon), draws);
  ck_assert_msg(fabs(mean - 1.0) <= bound, "mean weight %.5f, bound 1 +- %.4f", mean, bound);
}
END_TEST

/* --- ESS and its warning --- */

START_TEST(test_ess_values)
{
  double equal[5] = { 0.3, 0.3, 0.3, 0.3, 0.3 };
  ck_assert_msg(fabs(fl_rare_ess(equal, 5) - 5.0) < EXACT, "%.17g", fl_rare_ess(equal, 5));
  /* Weights 1, 2, 3: (1 + 2 + 3)^2 / (1 + 4 + 9) = 36 / 14. */
  double lw[3] = { 0.0, log(2.0), log(3.0) };
  ck_assert_msg(fabs(fl_rare_ess(lw, 3) - 36.0 / 14.0) < EXACT, "%.17g", fl_rare_ess(lw, 3));
  /* Huge log weights must not overflow: the largest is factored out. */
  double big[2] = { 1000.0, 1000.0 };
  ck_assert_msg(fabs(fl_rare_ess(big, 2) - 2.0) < EXACT, "%.17g", fl_rare_ess(big, 2));
  /* One weight dominating 999 others by e^20: (e^20 + 999)^2 / (e^40 + 999) = 1.0000041182. */
  g_autofree double *one = g_new0(double, 1000);
  one[17] = 20.0;
  double e = fl_rare_ess(one, 1000);
  ck_assert_msg(fabs(e - 1.0000041181891732) < 1e-12, "%.17g", e);
  double bad[2] = { 0.0, NAN };
  ck_assert(isnan(fl_rare_ess(bad, 2)));
  ck_assert(isnan(fl_rare_ess(equal, 0)));
}
END_TEST

START_TEST(test_ess_warning_threshold)
{
  /* Below 100 effective replications, or below 1% of them. */
  ck_assert(fl_rare_ess_collapsed(99.9, 1000));
  ck_assert(!fl_rare_ess_collapsed(100.0, 1000));
  ck_assert(fl_rare_ess_collapsed(199.0, 20000));
  ck_assert(!fl_rare_ess_collapsed(200.0, 20000));
  ck_assert(!fl_rare_ess_collapsed(1000.0, 1000));
  ck_assert(fl_rare_ess_collapsed(NAN, 1000));
  /* Through the estimator: 1000 replications with one weight e^20 above the rest collapse;
   * equal weights do not; plain Monte Carlo (no weights) never warns. */
  g_autofree double *y = g_new(double, 1000);
  g_autofree double *lw = g_new0(double, 1000);
  for (int i = 0; i < 1000; i++)
    y[i] = i % 7 == 0;
  FlIsEstimate est;
  fl_is_estimate(y, lw, 1000, 0.95, &est);
  ck_assert(!est.collapsed && fabs(est.ess - 1000.0) < 1e-9);
  lw[3] = 20.0;
  fl_is_estimate(y, lw, 1000, 0.95, &est);
  ck_assert_msg(est.collapsed && est.ess < 2.0, "ess %.3f", est.ess);
  fl_is_estimate(y, NULL, 50, 0.95, &est);
  ck_assert(!est.collapsed && est.ess == 50.0 && est.mean_weight == 1.0);
}
END_TEST

/* --- the estimator, by hand --- */

START_TEST(test_is_estimate_hand)
{
  /* y = 0, 1, 2 with weights 1, 2, 1/2: w y = 0, 2, 1; mean 1, sample sd 1; t(0.975, 2) =
   * 4.302652729911275 (exact for 2 degrees of freedom), half-width 4.302652729911275 / sqrt 3.
   * Mean weight 3.5 / 3; second moment (0 + 2 + 2) / 3; ESS 3.5^2 / 5.25 = 7/3. */
  double y[3] = { 0.0, 1.0, 2.0 }, lw[3] = { 0.0, log(2.0), log(0.5) };
  FlIsEstimate est;
  fl_is_estimate(y, lw, 3, 0.95, &est);
  ck_assert(est.n == 3);
  ck_assert_msg(fabs(est.mean - 1.0) < EXACT, "%.17g", est.mean);
  ck_assert_msg(fabs(est.half_width - 4.302652729911275 / sqrt(3.0)) < 1e-9, "%.17g",
                est.half_width);
  ck_assert_msg(fabs(est.rel_half_width - est.half_width) < EXACT, "%.17g", est.rel_half_width);
  ck_assert_msg(fabs(est.mean_weight - 3.5 / 3.0) < EXACT, "%.17g", est.mean_weight);
  ck_assert_msg(fabs(est.second_moment - 4.0 / 3.0) < EXACT, "%.17g", est.second_moment);
  ck_assert_msg(fabs(est.ess - 7.0 / 3.0) < EXACT, "%.17g", est.ess);
  /* Without weights it is the plain mean and t-interval. */
  fl_is_estimate(y, NULL, 3, 0.95, &est);
  ck_assert(fabs(est.mean - 1.0) < EXACT && est.ess == 3.0);
  ck_assert_msg(fabs(est.half_width - 4.302652729911275 / sqrt(3.0)) < 1e-9, "%.17g",
                est.half_width);
  /* Zero everywhere: no relative half-width. */
  double zero[2] = { 0.0, 0.0 };
  fl_is_estimate(zero, NULL, 2, 0.95, &est);
  ck_assert(est.mean == 0.0 && isnan(est.rel_half_width));
}
END_TEST

START_TEST(test_plain_replications)
{
  /* An indicator with p = 1e-6 at 10%: 1.96^2 (1 - p) / (p 0.01) = 3.84e8 (the issue's
   * "a hundred million" order). */
  double p = 1e-6, want = 1.959963984540054 * 1.959963984540054 * (1.0 - p) / (p * 0.01);
  double got = fl_rare_plain_replications(p, p, 0.1);
  ck_assert_msg(fabs(got / want - 1.0) < 1e-12, "%.10g vs %.10g", got, want);
  ck_assert(isnan(fl_rare_plain_replications(0.0, 0.0, 0.1)));
}
END_TEST

/* --- which groups are rare --- */

static FlScenario *
load(const char *text, GError **error)
{
  return fl_scenario_load_data(text, strlen(text), "rare.ini", NULL, error);
}

#define TOPOLOGY "[region east]\nzones = 3\n[region west]\nzones = 3\n" \
                 "[service web]\ninstances-per-zone = 1\nneeds = 2 zones\n"

START_TEST(test_rare_choice)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlScenario) sc = load(
    "[scenario]\nhorizon = 1y\n" TOPOLOGY
    "[failure disaster]\ntarget = region\ntime-to-failure = exponential(mean=10y)\n"
    "time-to-repair = fixed(3d)\n"
    "[failure at-threshold]\ntarget = region\ntime-to-failure = exponential(mean=4y)\n"
    "time-to-repair = fixed(1h)\n"
    "[failure zone]\ntarget = zone\ntime-to-failure = exponential(mean=2y)\n"
    "time-to-repair = fixed(3h)\n"
    "[failure aging]\ntarget = region\ntime-to-failure = weibull(shape=2, scale=100y)\n"
    "time-to-repair = fixed(1h)\n"
    "[failure forced]\ntarget = zone\ntime-to-failure = exponential(mean=30d)\n"
    "time-to-repair = fixed(1h)\nrare-rate = 50/y\n", &error);
  ck_assert_msg(sc != NULL, "%s", error ? error->message : "");
  const double year = FL_SECONDS_PER_YEAR;
  double base = -1, biased = -1;
  /* 0.1 failures per member per year: rare, biased to one per horizon. */
  ck_assert(fl_rare_group_bias(sc, 0, year, &base, &biased));
  ck_assert(fabs(base * year - 0.1) < EXACT && fabs(biased * year - 1.0) < EXACT);
  /* 0.25 per horizon: the rule's edge, still rare. */
  ck_assert(fl_rare_group_bias(sc, 1, year, &base, &biased));
  /* 0.5 per horizon: not rare; over a quarter-year horizon it is (0.125), biased to 4/y. */
  ck_assert(!fl_rare_group_bias(sc, 2, year, &base, &biased));
  ck_assert(fl_rare_group_bias(sc, 2, year / 4, &base, &biased));
  ck_assert(fabs(biased * year - 4.0) < EXACT);
  /* Weibull: no Poisson rate to bias. */
  ck_assert(!fl_rare_group_bias(sc, 3, year, &base, &biased));
  /* rare-rate: the user's rate even on a frequent group. */
  ck_assert(fl_rare_group_bias(sc, 4, year, &base, &biased));
  ck_assert(fabs(biased * year - 50.0) < 1e-9 && fabs(base * year - 365.0 / 30.0) < 1e-9);
  ck_assert_uint_eq(fl_rare_n_drivers(sc, year), 3);
  /* The rule itself, in years (a hazard's units): 0.02/y over 10y is 0.2, biased to 0.1/y; over
   * 20y (0.4) it is not rare unless a rate is given. */
  double b = -1;
  ck_assert(fl_rare_poisson_bias(0.02, 10.0, 0.0, &b) && fabs(b - 0.1) < EXACT);
  b = -1;
  ck_assert(!fl_rare_poisson_bias(0.02, 20.0, 0.0, &b) && b == -1);
  ck_assert(fl_rare_poisson_bias(0.02, 20.0, 0.5, &b) && b == 0.5);
  ck_assert_uint_eq(fl_rare_n_drivers(sc, 10 * year), 1); /* only `forced` over 10 years */
  ck_assert(!sc->rare_events);
}
END_TEST

/* `needle` must be in the error of loading @text. */
static void
expect_error(const char *text, const char *const *needles)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlScenario) sc = load(text, &error);
  ck_assert_msg(sc == NULL, "accepted: %s", text);
  ck_assert(g_error_matches(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE));
  ck_assert_int_eq(fl_exit_code_for_error(error), FL_EXIT_USAGE);
  for (guint i = 0; needles[i]; i++)
    ck_assert_msg(strstr(error->message, needles[i]) != NULL, "'%s' lacks '%s'", error->message,
                  needles[i]);
}

#define GROUP(RATE) TOPOLOGY "[failure disaster]\ntarget = region\n" \
  "time-to-failure = exponential(mean=10y)\ntime-to-repair = fixed(3d)\nrare-rate = " RATE "\n"

START_TEST(test_rare_keys)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlScenario) sc = load("[scenario]\nrare-events = yes\n" GROUP("2/y"), &error);
  ck_assert_msg(sc != NULL, "%s", error ? error->message : "");
  ck_assert(sc->rare_events);
  ck_assert(fabs(fl_scenario_failure(sc, 0)->rare_rate_per_year - 2.0) < EXACT);
  /* Line 11 is rare-rate in GROUP. */
  expect_error(GROUP("0/y"), (const char *const[]){ "rare.ini:12", "[failure disaster] rare-rate",
                                                    "more than zero", "like 1/y", NULL });
  expect_error(GROUP("-1/y"), (const char *const[]){ "rare.ini:12", "rare-rate", "more than zero",
                                                     NULL });
  expect_error(GROUP("lots"), (const char *const[]){ "rare.ini:12", "rare-rate", "not a rate",
                                                     "0.042/y", NULL });
  expect_error(GROUP("1/d"), (const char *const[]){ "rare.ini:12", "per year", NULL });
  expect_error(TOPOLOGY "[failure wear]\ntarget = region\n"
               "time-to-failure = weibull(shape=2, scale=10y)\ntime-to-repair = fixed(3d)\n"
               "rare-rate = 1/y\n",
               (const char *const[]){ "rare.ini:12", "[failure wear] rare-rate",
                                      "needs an exponential time-to-failure", "weibull",
                                      "remove rare-rate", NULL });
  expect_error("[scenario]\nrare-events = often\n" GROUP("1/y"),
               (const char *const[]){ "rare.ini:2", "[scenario] rare-events", "yes or no", NULL });
}
END_TEST

/* --- the model's weights --- */

/* Runs @n replications of scenario @text (which must ask for rare events and have exactly one
 * rare driver) on @threads threads and checks that the mean weight is within @bound of 1.
 * Returns the result (transfer full). */
static FlRunResult *
check_mean_weight(const char *text, guint64 n, guint threads, double bound, FlScenario **out_sc)
{
  g_autoptr(GError) error = NULL;
  FlScenario *sc = load(text, &error);
  ck_assert_msg(sc != NULL, "%s", error ? error->message : "");
  g_autoptr(FlModel) model = fl_model_new(sc);
  ck_assert_uint_eq(fl_model_n_rare(model), 1);
  FlRunOptions opt = { .replications = n, .seed = sc->seed, .horizon_s = sc->horizon_s,
                       .threads = threads };
  FlRunResult *r = fl_montecarlo_run(model, &opt, &error);
  ck_assert(r != NULL && r->weighted && r->completed == n);
  double sum = 0.0;
  for (guint64 i = 0; i < n; i++)
    sum += exp(r->log_weight[i]);
  ck_assert_msg(fabs(sum / n - 1.0) <= bound, "mean weight %.5f, bound 1 +- %.4f", sum / n, bound);
  *out_sc = sc;
  return r;
}

/* Two regions, one disaster group (0.1/y biased to 1/y per member) with fixed 30-day repairs,
 * and a frequent zone group that is not biased. Every replication's weight lies in
 * [0, e^{(1 - 0.1) x 2 members x 1y}] = [0, e^{1.8}]: the mean over 100000 replications is within
 * 0.089 of 1 (Hoeffding). The weights also must not depend on the thread count, and a plain
 * run of the same scenario must carry none. */
START_TEST(test_model_weights_mean_one)
{
  g_autoptr(FlScenario) sc = NULL;
  g_autoptr(FlRunResult) r = check_mean_weight(
    "[scenario]\nhorizon = 1y\nseed = 5\nrare-events = yes\n" TOPOLOGY
    "[failure disaster]\ntarget = region\ntime-to-failure = exponential(mean=10y)\n"
    "time-to-repair = fixed(30d)\n"
    "[failure zone]\ntarget = zone\ntime-to-failure = exponential(mean=30d)\n"
    "time-to-repair = fixed(3h)\n", 100000, 2, hoeffding(exp(0.9 * 2.0), 100000), &sc);

  g_autoptr(GError) error = NULL;
  g_autoptr(FlModel) model = fl_model_new(sc);
  FlRunOptions opt = { .replications = 2000, .seed = 5, .horizon_s = sc->horizon_s, .threads = 1 };
  g_autoptr(FlRunResult) one = fl_montecarlo_run(model, &opt, &error);
  opt.threads = 3;
  g_autoptr(FlRunResult) three = fl_montecarlo_run(model, &opt, &error);
  ck_assert(memcmp(one->log_weight, three->log_weight, 2000 * sizeof(double)) == 0);
  ck_assert(memcmp(one->log_weight, r->log_weight, 2000 * sizeof(double)) == 0);

  sc->rare_events = FALSE;
  g_autoptr(FlModel) plain = fl_model_new(sc);
  ck_assert_uint_eq(fl_model_n_rare(plain), 0);
  g_autoptr(FlRunResult) pr = fl_montecarlo_run(plain, &opt, &error);
  ck_assert(pr != NULL && !pr->weighted && pr->log_weight == NULL);
}
END_TEST

/* The same with a bias the weights feel: one region failing at 1/y, forced to 3/y by rare-rate,
 * down for a fixed half year after each failure. Weights lie in [0, e^{(3 - 1) x 1y}] = [0, e^2]:
 * Hoeffding over 100000 replications gives 0.077. Exposure must stop while the region is down;
 * charging it anyway (one member at risk all year) multiplies each weight by e^{2 x downtime},
 * and the mean weight comes out near 2 (measured: 1.985): caught. */
START_TEST(test_model_weights_long_repairs)
{
  g_autoptr(FlScenario) sc = NULL;
  g_autoptr(FlRunResult) r = check_mean_weight(
    "[scenario]\nhorizon = 1y\nseed = 9\nrare-events = yes\n[region east]\nzones = 1\n"
    "[service web]\ninstances-per-zone = 1\nneeds = 1 instance\n"
    "[failure disaster]\ntarget = region\ntime-to-failure = exponential(mean=1y)\n"
    "time-to-repair = fixed(182.5d)\nrare-rate = 3/y\n", 100000, 2, hoeffding(exp(2.0), 100000),
    &sc);
}
END_TEST

/* --- tilted Gutenberg-Richter --- */

START_TEST(test_gr_tilt)
{
  FlGutenbergRichter gr;
  g_autoptr(GError) error = NULL;
  ck_assert(fl_gr_init(&gr, 6.0, 8.5, 1.0, &error));
  const double bb = 0.4, beta = G_LN10, beta_b = 0.4 * G_LN10, d = 2.5;
  /* The log density ratio, written out: f_b(m) = beta e^{-beta (m - m0)} / (1 - e^{-beta D}). */
  for (double m = 6.0; m <= 8.5; m += 0.25) {
    double fb = beta * exp(-beta * (m - 6.0)) / (1.0 - exp(-beta * d));
    double ft = beta_b * exp(-beta_b * (m - 6.0)) / (1.0 - exp(-beta_b * d));
    double got = fl_gr_tilt_log_ratio(&gr, bb, m);
    ck_assert_msg(fabs(got - log(fb / ft)) < 1e-12, "m %.2f: %.15g vs %.15g", m, got,
                  log(fb / ft));
  }
  ck_assert(fabs(fl_gr_tilt_log_ratio(&gr, 1.0, 7.3)) < 1e-15); /* no tilt, weight 1 */
  /* Under the tilted law the weights average 1. They are largest at m0: B = w(6.0) = 2.501;
   * Hoeffding over 200000 draws gives 0.026. Forgetting the truncation factors would scale
   * every weight by 0.9995/0.8991, a shift of 0.11: caught. Draws stay in [m0, mmax]. */
  FlRng rng;
  fl_rng_seed(&rng, 77, 1);
  const int draws = 200000;
  double sum = 0.0, big = 0.0;
  for (int i = 0; i < draws; i++) {
    double m = fl_gr_tilted_sample(&gr, bb, &rng);
    ck_assert(m >= 6.0 && m <= 8.5);
    sum += exp(fl_gr_tilt_log_ratio(&gr, bb, m));
    big += m >= 7.5;
  }
  double bound = hoeffding(exp(fl_gr_tilt_log_ratio(&gr, bb, 6.0)), draws);
  ck_assert_msg(fabs(sum / draws - 1.0) <= bound, "mean weight %.5f, bound %.4f", sum / draws,
                bound);
  /* And the tilt does what it is for: M >= 7.5 is drawn with probability 1 - F_b'(7.5) =
   * (e^{-0.6 ln10} - e^{-ln10}) / (1 - e^{-ln10}) = (0.25119 - 0.1) / 0.9 = 0.16799, against
   * 0.0316 untilted; 6 standard errors of a proportion over 200000 draws is 0.005. */
  double p = (pow(10, -0.6) - pow(10, -1.0)) / (1.0 - pow(10, -1.0));
  ck_assert_msg(fabs(big / draws - p) < 6.0 * sqrt(p * (1 - p) / draws), "%.5f vs %.5f",
                big / draws, p);
}
END_TEST

static Suite *
rare_suite(void)
{
  Suite *s = suite_create("rare");
  TCase *tc = tcase_create("likelihood ratio");
  tcase_add_test(tc, test_lr_hand_values);
  tcase_add_test(tc, test_lr_poisson_mean_one);
  tcase_add_test(tc, test_lr_with_repairs_mean_one);
  suite_add_tcase(s, tc);
  tc = tcase_create("estimators");
  tcase_add_test(tc, test_ess_values);
  tcase_add_test(tc, test_ess_warning_threshold);
  tcase_add_test(tc, test_is_estimate_hand);
  tcase_add_test(tc, test_plain_replications);
  suite_add_tcase(s, tc);
  tc = tcase_create("drivers");
  tcase_add_test(tc, test_rare_choice);
  tcase_add_test(tc, test_rare_keys);
  tcase_add_test(tc, test_model_weights_mean_one);
  tcase_add_test(tc, test_model_weights_long_repairs);
  suite_add_tcase(s, tc);
  tc = tcase_create("gutenberg-richter tilt");
  tcase_add_test(tc, test_gr_tilt);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(rare_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failures = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
