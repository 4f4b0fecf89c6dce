/* check_model.c - failure processes and the structure function (model.h).
 *
 * The exact tests use fixed(D) laws only, so every failure and repair time is known and the
 * downtime, outage count and attribution follow in closed form; each test states its timeline.
 * All those times are whole seconds far below 2^53, so the doubles are exact and the
 * assertions are equalities. The stochastic tests use fixed seeds and bounds derived from the
 * renewal-process laws, stated beside them. */
#include "config.h"

#include "faultline/model.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "faultline/units.h"

#define DAY FL_SECONDS_PER_DAY
#define US_PER_DAY G_GINT64_CONSTANT(86400000000)

/* One scenario with its model and world, and the result of its last run. */
typedef struct {
  FlScenario *sc;
  FlModel *model;
  FlWorld *world;
  FlRunResult *result; /* one replication's rows */
  FlTally *tally;      /* fresh for every run, so its accumulators are that run's */
  gboolean finished;   /* what fl_world_run returned */
} Sim;

static void
sim_free(Sim *s)
{
  fl_tally_free(s->tally);
  fl_run_result_free(s->result);
  fl_world_free(s->world);
  fl_model_free(s->model);
  fl_scenario_free(s->sc);
  g_free(s);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Sim, sim_free)

static Sim *
sim_new_from(FlScenario *sc)
{
  Sim *s = g_new0(Sim, 1);
  s->sc = sc;
  s->model = fl_model_new(sc);
  s->world = fl_world_new(s->model);
  return s;
}

static Sim *
sim_new(const char *text)
{
  g_autoptr(GError) error = NULL;
  FlScenario *sc = fl_scenario_load_data(text, strlen(text), "test.ini", NULL, &error);
  ck_assert_msg(sc != NULL, "scenario does not load: %s", error ? error->message : "?");
  return sim_new_from(sc);
}

/* Runs replication @rep of @seed over the scenario's horizon into fresh rows and tally. */
static void
sim_run_stop(Sim *s, guint64 seed, guint64 rep, const gint *stop)
{
  fl_tally_free(s->tally);
  fl_run_result_free(s->result);
  g_auto(GStrv) causes = fl_model_cause_names(s->model);
  s->result = fl_run_result_new(fl_model_n_services(s->model), (const char *const *)causes,
                                s->sc->horizon_s, 1);
  ck_assert_ptr_nonnull(s->result);
  s->tally = fl_tally_new(s->result);
  fl_tally_begin(s->tally, s->result, 0);
  s->finished = fl_world_run(s->world, seed, rep, s->sc->horizon_s, s->tally, stop);
}

static void
sim_run(Sim *s)
{
  sim_run_stop(s, 1, 0, NULL);
  ck_assert(s->finished);
}

/* Service @svc's downtime over the whole horizon, s. */
static double
down_s(const Sim *s, guint svc)
{
  double sum = 0.0;
  for (guint c = 0; c < s->result->n_chunks; c++)
    sum += s->result->chunk_down_s[svc * s->result->n_chunks + c];
  return sum;
}

static guint
outages(const Sim *s, guint svc)
{
  return s->result->outages[svc];
}

/* Downtime of @svc attributed to failure group @cause, us. */
static gint64
cause_us(const Sim *s, guint svc, guint cause)
{
  return (gint64)s->tally->svc[svc].cause_us[cause];
}

/* Asserts service @svc had @n outages totalling @days days, all charged to group @cause. */
static void
expect_outages(const Sim *s, guint svc, guint n, double days, guint cause)
{
  ck_assert_msg(outages(s, svc) == n, "service %u: %u outages, expected %u", svc,
                outages(s, svc), n);
  ck_assert_msg(down_s(s, svc) == days * DAY, "service %u: down %.17g s, expected %.17g s", svc,
                down_s(s, svc), days * DAY);
  for (guint g = 0; g < s->result->n_causes; g++) {
    gint64 want = g == cause ? (gint64)(days * US_PER_DAY) : 0;
    ck_assert_msg(cause_us(s, svc, g) == want, "service %u, cause %u: %" G_GINT64_FORMAT
                  " us, expected %" G_GINT64_FORMAT, svc, g, cause_us(s, svc, g), want);
  }
}

/* ---- exact: one component ---- */

START_TEST(test_region_fixed_cycle)
{
  /* The region fails at 10 d and then every 11 d (10 d up + 1 d down): failures at 10 + 11k d
   * for k = 0..32 (10 + 11 x 32 = 362 <= 365 < 373), each repaired 1 d later (the last at
   * 363 d < 365 d). So 33 outages, 33 d down, all charged to `outage`; 66 events. */
  g_autoptr(Sim) s = sim_new("[region r]\nzones = 1\n"
                             "[failure outage]\ntarget = region\n"
                             "time-to-failure = fixed(10d)\ntime-to-repair = fixed(1d)\n"
                             "[service web]\ninstances-per-zone = 1\nneeds = 1 instance\n");
  ck_assert_double_eq(s->sc->horizon_s, 365 * DAY);
  ck_assert_uint_eq(fl_model_group_size(s->model, 0), 1);
  sim_run(s);
  expect_outages(s, 0, 33, 33.0, 0);
  ck_assert_uint_eq(s->tally->events, 66);
}
END_TEST

START_TEST(test_censored_at_horizon)
{
  /* 4 d up, 4 d down: failures at 4 + 8k d for k = 0..45 (4 + 8 x 45 = 364 <= 365). The first
   * 45 are repaired in time (4 d each = 180 d); the last, at 364 d, would end at 368 d and is
   * cut at the 365 d horizon (1 d). So 46 outages, 181 d. */
  g_autoptr(Sim) s = sim_new("[region r]\nzones = 1\n"
                             "[failure outage]\ntarget = region\n"
                             "time-to-failure = fixed(4d)\ntime-to-repair = fixed(4d)\n"
                             "[service web]\ninstances-per-zone = 1\nneeds = 1 instance\n");
  sim_run(s);
  expect_outages(s, 0, 46, 181.0, 0);
  /* 46 failures + 45 repairs handled before the horizon. */
  ck_assert_uint_eq(s->tally->events, 91);
}
END_TEST

START_TEST(test_overlapping_holds)
{
  /* A component is down while ANY group holds it. Horizon 20 d; next failures all after it.
   *   big   (region): down [10, 15)
   *   small (region): down [12, 13)  - inside `big`: its repair at 13 must not bring r up
   *   zone  (zone):   down [14, 16)  - overlaps the end of `big`
   * The service (one instance) is down over the union [10, 16): one outage of 6 d, charged
   * to `big`, whose failure took it down. */
  g_autoptr(Sim) s = sim_new("[scenario]\nhorizon = 20d\n"
                             "[region r]\nzones = 1\n"
                             "[failure big]\ntarget = region\n"
                             "time-to-failure = fixed(10d)\ntime-to-repair = fixed(5d)\n"
                             "[failure small]\ntarget = region\n"
                             "time-to-failure = fixed(12d)\ntime-to-repair = fixed(1d)\n"
                             "[failure zone]\ntarget = zone\n"
                             "time-to-failure = fixed(14d)\ntime-to-repair = fixed(2d)\n"
                             "[service web]\ninstances-per-zone = 1\nneeds = 1 instance\n");
  sim_run(s);
  expect_outages(s, 0, 1, 6.0, 0);
}
END_TEST

/* ---- exact: zones ---- */

START_TEST(test_needs_zones_overlap)
{
  /* Three zones ra, rb, rc, each failed by its own group (horizon 20 d; every second failure
   * falls after it):
   *   za: ra down [10, 12)   zb: rb down [11, 13)   zc: rc down [15, 18)
   * Zones down at once: 1 on [10,11), 2 on [11,12), 1 on [12,13), 0 on [13,15), 1 on [15,18).
   *   two   (needs 2 zones of 3): down only while two zones are: [11, 12), 1 d, charged to zb
   *         whose failure at 11 d took it down.
   *   three (needs 3 zones): down whenever any zone is: [10, 13) charged to za (the trigger,
   *         for the whole outage although ra is back at 12) and [15, 18) to zc: 2 outages, 6 d.
   *   one   (needs 1 zone): never down. */
  g_autoptr(Sim) s = sim_new("[scenario]\nhorizon = 20d\n"
                             "[region r]\nzones = 3\n"
                             "[failure za]\ntarget = zone\nwhere = ra\n"
                             "time-to-failure = fixed(10d)\ntime-to-repair = fixed(2d)\n"
                             "[failure zb]\ntarget = zone\nwhere = rb\n"
                             "time-to-failure = fixed(11d)\ntime-to-repair = fixed(2d)\n"
                             "[failure zc]\ntarget = zone\nwhere = rc\n"
                             "time-to-failure = fixed(15d)\ntime-to-repair = fixed(3d)\n"
                             "[service two]\ninstances-per-zone = 2\nneeds = 2 zones\n"
                             "[service three]\ninstances-per-zone = 2\nneeds = 3 zones\n"
                             "[service one]\ninstances-per-zone = 2\nneeds = 1 zone\n");
  for (guint g = 0; g < 3; g++)
    ck_assert_uint_eq(fl_model_group_size(s->model, g), 1);
  sim_run(s);
  expect_outages(s, 0, 1, 1.0, 1);
  ck_assert_uint_eq(outages(s, 1), 2);
  ck_assert_double_eq(down_s(s, 1), 6 * DAY);
  ck_assert_int_eq(cause_us(s, 1, 0), 3 * US_PER_DAY);
  ck_assert_int_eq(cause_us(s, 1, 1), 0);
  ck_assert_int_eq(cause_us(s, 1, 2), 3 * US_PER_DAY);
  expect_outages(s, 2, 0, 0.0, 0);
  /* 6 events: three failures, three repairs. */
  ck_assert_uint_eq(s->tally->events, 6);
}
END_TEST

/* ---- exact: instances inside zones ---- */

/* Three services over zones ra, rb with 2 instances per zone each, differing only in needs. */
#define THREE_SERVICES                                                                          \
  "[service two]\ninstances-per-zone = 2\nneeds = 2 instances\n"                               \
  "[service three]\ninstances-per-zone = 2\nneeds = 3 instances\n"                             \
  "[service zones]\ninstances-per-zone = 2\nneeds = 2 zones\n"

START_TEST(test_instances_fail_in_down_zone)
{
  /* Zone down, then its instances fail, then the zone comes back with them still down: the
   * instances must be subtracted once, not once for the zone and again for themselves.
   * Horizon 20 d; the next failures (25 d, 30 d, 33 d) fall after it.
   *   zone-a (zone ra):         down [10, 15)
   *   inst-a (ra's instances):  down [12, 18)
   *   inst-b (rb's instances):  down [16, 17)
   * Live instances per service (ra + rb): 4 on [0,10); 0+2 on [10,16) (ra's zone down from
   * 10, its instances too from 12, the zone back at 15 with no live instance); 0 on [16,17);
   * 2 on [17,18); 4 from 18. Zones with a live instance: 2, then 1 on [10,16), 0, 1, 2.
   *   two   (needs 2 instances): down [16, 17) only: 1 outage, 1 d, charged to inst-b.
   *   three (needs 3 instances): down [10, 18): 1 outage, 8 d, charged to zone-a.
   *   zones (needs 2 zones):     down [10, 18): 1 outage, 8 d, charged to zone-a. */
  g_autoptr(Sim) s = sim_new("[scenario]\nhorizon = 20d\n"
                             "[region r]\nzones = ra, rb\n"
                             "[failure zone-a]\ntarget = zone\nwhere = ra\n"
                             "time-to-failure = fixed(10d)\ntime-to-repair = fixed(5d)\n"
                             "[failure inst-a]\ntarget = instance\nwhere = ra\n"
                             "time-to-failure = fixed(12d)\ntime-to-repair = fixed(6d)\n"
                             "[failure inst-b]\ntarget = instance\nwhere = rb\n"
                             "time-to-failure = fixed(16d)\ntime-to-repair = fixed(1d)\n"
                             THREE_SERVICES);
  ck_assert_uint_eq(fl_model_n_services(s->model), 3);
  ck_assert_uint_eq(fl_model_n_instances(s->model), 12); /* 3 services x 2 zones x 2 */
  ck_assert_uint_eq(fl_model_group_size(s->model, 0), 1);
  ck_assert_uint_eq(fl_model_group_size(s->model, 1), 6); /* ra's instances, all services */
  ck_assert_uint_eq(fl_model_group_size(s->model, 2), 6);
  g_auto(GStrv) names = fl_model_cause_names(s->model);
  ck_assert_uint_eq(g_strv_length(names), 3);
  ck_assert_str_eq(names[0], "zone-a");
  ck_assert_str_eq(names[1], "inst-a");
  ck_assert_str_eq(names[2], "inst-b");
  sim_run(s);
  expect_outages(s, 0, 1, 1.0, 2);
  expect_outages(s, 1, 1, 8.0, 0);
  expect_outages(s, 2, 1, 8.0, 0);
}
END_TEST

START_TEST(test_instances_repaired_in_down_zone)
{
  /* The other order: instances fail, then their zone, then the instances are repaired while
   * the zone is still down (they must not count until the zone is back). Horizon 20 d; next
   * failures at 23 d, 28.5 d and 30 d.
   *   inst-a (ra's instances):  down [10, 13)
   *   zone-a (zone ra):         down [11, 15)
   *   inst-b (rb's instances):  down [14, 14.5)
   * Live instances: 4 on [0,10); 2 on [10,14) (ra's instances or ra's zone down throughout);
   * 0 on [14,14.5); 2 on [14.5,15); 4 from 15. Zones with a live instance: 2, 1, 0, 1, 2.
   *   two   (needs 2 instances): down [14, 14.5): 1 outage, 12 h, charged to inst-b.
   *   three (needs 3 instances): down [10, 15): 1 outage, 5 d, charged to inst-a.
   *   zones (needs 2 zones):     down [10, 15): 1 outage, 5 d, charged to inst-a. */
  g_autoptr(Sim) s = sim_new("[scenario]\nhorizon = 20d\n"
                             "[region r]\nzones = ra, rb\n"
                             "[failure inst-a]\ntarget = instance\nwhere = ra\n"
                             "time-to-failure = fixed(10d)\ntime-to-repair = fixed(3d)\n"
                             "[failure zone-a]\ntarget = zone\nwhere = ra\n"
                             "time-to-failure = fixed(11d)\ntime-to-repair = fixed(4d)\n"
                             "[failure inst-b]\ntarget = instance\nwhere = rb\n"
                             "time-to-failure = fixed(14d)\ntime-to-repair = fixed(12h)\n"
                             THREE_SERVICES);
  sim_run(s);
  expect_outages(s, 0, 1, 0.5, 2);
  expect_outages(s, 1, 1, 5.0, 0);
  expect_outages(s, 2, 1, 5.0, 0);
}
END_TEST

/* ---- exact: regions ---- */

START_TEST(test_two_regions_ideal_failover)
{
  /* r1 down [10, 13), r2 down [12, 14); horizon 20 d, next failures at 23 d and 26 d.
   *   both  (r1 and r2): down only while both are: [12, 13), 1 d, charged to r2-out, whose
   *         failure took the last region down.
   *   only1 (r1):        [10, 13), 3 d, r1-out.
   *   only2 (r2):        [12, 14), 2 d, r2-out. */
  g_autoptr(Sim) s = sim_new("[scenario]\nhorizon = 20d\n"
                             "[region r1]\nzones = 1\n"
                             "[region r2]\nzones = 1\n"
                             "[failure r1-out]\ntarget = region\nwhere = r1\n"
                             "time-to-failure = fixed(10d)\ntime-to-repair = fixed(3d)\n"
                             "[failure r2-out]\ntarget = region\nwhere = r2\n"
                             "time-to-failure = fixed(12d)\ntime-to-repair = fixed(2d)\n"
                             "[service both]\ninstances-per-zone = 1\nneeds = 1 instance\n"
                             "[service only1]\nregions = r1\ninstances-per-zone = 1\n"
                             "needs = 1 instance\n"
                             "[service only2]\nregions = r2\ninstances-per-zone = 1\n"
                             "needs = 1 instance\n");
  sim_run(s);
  expect_outages(s, 0, 1, 1.0, 1);
  expect_outages(s, 1, 1, 3.0, 0);
  expect_outages(s, 2, 1, 2.0, 1);
}
END_TEST

START_TEST(test_failover_outage_censored)
{
  /* Both regions go down and stay down past the horizon (1 y): r1 at 100 d, r2 at 200 d, each
   * repaired after 1000 d. The service is down from 200 d to the horizon, 165 d, as one
   * censored outage charged to r2-out. */
  g_autoptr(Sim) s = sim_new("[region r1]\nzones = 1\n[region r2]\nzones = 1\n"
                             "[failure r1-out]\ntarget = region\nwhere = r1\n"
                             "time-to-failure = fixed(100d)\ntime-to-repair = fixed(1000d)\n"
                             "[failure r2-out]\ntarget = region\nwhere = r2\n"
                             "time-to-failure = fixed(200d)\ntime-to-repair = fixed(1000d)\n"
                             "[service both]\ninstances-per-zone = 1\nneeds = 1 instance\n");
  sim_run(s);
  expect_outages(s, 0, 1, 165.0, 1);
}
END_TEST

/* ---- stochastic ---- */

/* Failures handled in the last run: events = failures + repairs, and every failure but those
 * still under repair at the horizon (at most one per member) has been repaired, so
 * failures = (events + in_repair) / 2 with 0 <= in_repair <= members. */
static void
failures_range(const Sim *s, guint members, double *lo, double *hi)
{
  *lo = (double)s->tally->events / 2.0;
  *hi = ((double)s->tally->events + members) / 2.0;
}

/* Runs 10 instances (needs all 10, so each failure is an outage) whose time to failure is
 * @ttf (mean 10 d) and repair a fixed 1 s, over 100 y, and checks the failure count.
 *
 * Each instance is an alternating renewal process with cycle C = U + 1 s, U of mean
 * mu = 10 d and variance 100 d^2 (exponential). Its failures in [0, H] number about H / E[C]
 * with variance about H Var(C) / E[C]^3 (renewal CLT, Cox 1962), i.e. Poisson-like: mean
 * 36500 d / (10 d + 1 s) = 3649.996 per instance. Over 10 independent instances the total has
 * mean 36499.96 and sd sqrt(36500) = 191.05; we allow 5 sd = 955 (a correct model falls
 * outside with probability 6e-7; the seed is fixed, so the outcome is too), widened by the
 * +-5 of failures_range. Using n instead of 1 in the rate, or dropping the 1/n of the
 * superposed clock, would miss by a factor of about 10. */
static void
check_poisson_count(const char *ttf)
{
  g_autofree char *text = g_strdup_printf(
    "[scenario]\nhorizon = 100y\n"
    "[region r]\nzones = 1\n"
    "[failure crash]\ntarget = instance\n"
    "time-to-failure = %s\ntime-to-repair = fixed(1s)\n"
    "[service web]\ninstances-per-zone = 10\nneeds = 10 instances\n", ttf);
  g_autoptr(Sim) s = sim_new(text);
  ck_assert_uint_eq(fl_model_group_size(s->model, 0), 10);
  sim_run_stop(s, 20240601, 0, NULL);
  ck_assert(s->finished);
  double lo, hi;
  failures_range(s, 10, &lo, &hi);
  const double mean = 10.0 * 36500.0 * DAY / (10.0 * DAY + 1.0), bound = 5.0 * sqrt(36500.0);
  if (g_getenv("FL_TEST_VERBOSE"))
    g_printerr("%s: %g..%g failures (expected %g +- %g), %u outages, %g s down\n", ttf, lo, hi,
               mean, bound, outages(s, 0), down_s(s, 0));
  ck_assert_msg(hi >= mean - bound && lo <= mean + bound, "%s: %g..%g failures, expected %g +- %g",
                ttf, lo, hi, mean, bound);
  /* Each outage is one failure, or several whose 1 s repairs overlap (expected number of
   * overlaps: 36500 failures x P(another of 9 fails within 1 s) = 36500 x 9 / 864000 = 0.38;
   * we allow 10). Every outage lasts at least its 1 s repair and at most 1 s per failure in
   * it; 1e-5 absorbs rounding of t + 1 s near t = 3e9 s (ulp 5e-7). */
  guint n_out = outages(s, 0);
  ck_assert_msg(n_out <= hi && n_out + 10 >= lo, "%u outages for %g..%g failures", n_out, lo, hi);
  double d = down_s(s, 0);
  ck_assert_msg(d >= n_out * (1 - 1e-5) && d <= hi * (1 + 1e-5), "down %g s for %u outages", d,
                n_out);
}

START_TEST(test_superposed_poisson)
{
  /* exponential: one superposed clock for the whole group */
  check_poisson_count("exponential(mean=10d)");
}
END_TEST

START_TEST(test_per_member_poisson)
{
  /* weibull with shape 1 is the same exponential law, sampled per member (no superposition):
   * both paths must agree with the same expectation. */
  check_poisson_count("weibull(shape=1, scale=10d)");
}
END_TEST

START_TEST(test_superposed_with_long_repairs)
{
  /* Repairs of a fixed 1 d while the time to failure is exponential with mean 9 d: the group
   * clock must run at (members up) / 9 d, not at 10 / 9 d. Cycle C = U + 1 d has mean 10 d and
   * variance 81 d^2, so over H = 36500 d each of the 10 instances fails about H / 10 d = 3650
   * times with variance H x 81 / 10^3 = 2956.5 (renewal CLT): total mean 36500, sd
   * sqrt(29565) = 171.9, bound 5 sd = 860. A clock that ignored members under repair would
   * give about 36500 x 10 / 9 = 40556, 23 sd away. */
  g_autoptr(Sim) s = sim_new("[scenario]\nhorizon = 100y\n"
                             "[region r]\nzones = 1\n"
                             "[failure crash]\ntarget = instance\n"
                             "time-to-failure = exponential(mean=9d)\n"
                             "time-to-repair = fixed(1d)\n"
                             "[service web]\ninstances-per-zone = 10\nneeds = 1 instance\n");
  sim_run_stop(s, 7, 3, NULL);
  ck_assert(s->finished);
  double lo, hi;
  failures_range(s, 10, &lo, &hi);
  const double mean = 36500.0, bound = 5.0 * sqrt(29565.0);
  if (g_getenv("FL_TEST_VERBOSE"))
    g_printerr("long repairs: %g..%g failures (expected %g +- %g)\n", lo, hi, mean, bound);
  ck_assert_msg(hi >= mean - bound && lo <= mean + bound, "%g..%g failures, expected %g +- %g",
                lo, hi, mean, bound);
}
END_TEST

START_TEST(test_superposed_members_fail_evenly)
{
  /* One superposed clock picks which member fails uniformly among those up (memorylessness),
   * so each member is its own Poisson-like process. Four services of one instance each
   * (needs 1 instance), so service i's outages are exactly member i's failures. Each, as in
   * check_poisson_count: mean 36500 d / (10 d + 1 s) = 3649.996, sd sqrt(3650) = 60.4, bound
   * 5 sd = 302. Always taking the first member up, say, would give service 0 nearly all
   * 14600 failures. */
  g_autoptr(Sim) s = sim_new("[scenario]\nhorizon = 100y\n"
                             "[region r]\nzones = 1\n"
                             "[failure crash]\ntarget = instance\n"
                             "time-to-failure = exponential(mean=10d)\n"
                             "time-to-repair = fixed(1s)\n"
                             "[service s0]\ninstances-per-zone = 1\nneeds = 1 instance\n"
                             "[service s1]\ninstances-per-zone = 1\nneeds = 1 instance\n"
                             "[service s2]\ninstances-per-zone = 1\nneeds = 1 instance\n"
                             "[service s3]\ninstances-per-zone = 1\nneeds = 1 instance\n");
  ck_assert_uint_eq(fl_model_group_size(s->model, 0), 4);
  sim_run_stop(s, 99, 0, NULL);
  ck_assert(s->finished);
  const double mean = 36500.0 * DAY / (10.0 * DAY + 1.0), bound = 5.0 * sqrt(3650.0);
  for (guint i = 0; i < 4; i++) {
    if (g_getenv("FL_TEST_VERBOSE"))
      g_printerr("member %u: %u failures (expected %g +- %g)\n", i, outages(s, i), mean, bound);
    ck_assert_msg(fabs(outages(s, i) - mean) <= bound,
                  "service %u: %u failures, expected %g +- %g", i, outages(s, i), mean, bound);
  }
}
END_TEST

START_TEST(test_determinism)
{
  /* Same (seed, rep) => bit-identical rows and accumulators, whether the world is fresh or has
   * run other replications before (reset must be complete). Different rep or seed => a
   * different run: the repair times are continuous, so equal downtime would be a coincidence
   * of probability 0. */
  const char *text = "[scenario]\nhorizon = 1y\n"
                     "[region r]\nzones = 2\n"
                     "[failure crash]\ntarget = instance\n"
                     "time-to-failure = exponential(mean=10d)\n"
                     "time-to-repair = exponential(mean=1d)\n"
                     "[failure zone]\ntarget = zone\n"
                     "time-to-failure = weibull(shape=0.8, scale=60d)\n"
                     "time-to-repair = lognormal(median=6h, sigma=1)\n"
                     "[service web]\ninstances-per-zone = 3\nneeds = 4 instances\n";
  g_autoptr(Sim) a = sim_new(text);
  g_autoptr(Sim) b = sim_new(text);
  sim_run_stop(a, 42, 5, NULL);
  double a_down = down_s(a, 0);
  guint a_out = outages(a, 0);
  guint64 a_events = a->tally->events;
  gint64 a_cause0 = cause_us(a, 0, 0), a_cause1 = cause_us(a, 0, 1);
  /* Not vacuous: each zone alone fails about 5.4 times a year (weibull mean 60 d x
   * Gamma(2.25) = 68 d) and a zone down leaves 3 < 4 instances, so about 11 outages are
   * expected; none at all has probability about e^-11. */
  ck_assert_uint_gt(a_out, 0);

  sim_run_stop(b, 42, 6, NULL);  /* another replication first... */
  double other_rep = down_s(b, 0);
  sim_run_stop(b, 43, 5, NULL);
  double other_seed = down_s(b, 0);
  sim_run_stop(b, 42, 5, NULL);  /* ...then the same one on a used world */
  ck_assert(b->finished);
  ck_assert(memcmp(&a_down, &(double){ down_s(b, 0) }, sizeof(double)) == 0);
  ck_assert_uint_eq(outages(b, 0), a_out);
  ck_assert_uint_eq(b->tally->events, a_events);
  ck_assert_int_eq(cause_us(b, 0, 0), a_cause0);
  ck_assert_int_eq(cause_us(b, 0, 1), a_cause1);
  if (g_getenv("FL_TEST_VERBOSE"))
    g_printerr("determinism: %u outages, %g s down; other rep %g s, other seed %g s\n", a_out,
               a_down, other_rep, other_seed);
  ck_assert(other_rep != a_down);
  ck_assert(other_seed != a_down);
  ck_assert(other_rep != other_seed);
}
END_TEST

START_TEST(test_determinism_quickstart)
{
  g_autoptr(GError) error = NULL;
  FlScenario *sc = fl_scenario_load(FL_TEST_SRCDIR "/scenarios/quickstart.ini", &error);
  ck_assert_msg(sc != NULL, "%s", error ? error->message : "?");
  g_autoptr(Sim) s = sim_new_from(sc);
  double down[3];
  guint64 events[3];
  const guint64 reps[3] = { 11, 12, 11 };
  for (guint i = 0; i < 3; i++) {
    sim_run_stop(s, s->sc->seed, reps[i], NULL);
    ck_assert(s->finished);
    down[i] = down_s(s, 0);
    events[i] = s->tally->events;
  }
  ck_assert_uint_gt(events[0], 0);
  ck_assert_uint_eq(events[0], events[2]);
  ck_assert(memcmp(&down[0], &down[2], sizeof(double)) == 0);
}
END_TEST

START_TEST(test_stop_flag)
{
  /* About 73,000 events: the stop flag, checked every 4096 events, must end the run early and
   * leave the worker's accumulators untouched (model.h). */
  g_autoptr(Sim) s = sim_new("[scenario]\nhorizon = 100y\n[region r]\nzones = 1\n"
                             "[failure crash]\ntarget = instance\n"
                             "time-to-failure = exponential(mean=10d)\n"
                             "time-to-repair = fixed(1s)\n"
                             "[service web]\ninstances-per-zone = 10\nneeds = 10 instances\n");
  gint stop = 1;
  sim_run_stop(s, 1, 0, &stop);
  ck_assert(!s->finished);
  ck_assert_int_eq(cause_us(s, 0, 0), 0);
  ck_assert_uint_eq(s->tally->svc[0].outage_hist.total, 0);
  stop = 0;
  sim_run_stop(s, 1, 0, &stop);
  ck_assert(s->finished);
  ck_assert_uint_gt(s->tally->events, 4096);
}
END_TEST

static Suite *
model_suite(void)
{
  Suite *s = suite_create("model");
  TCase *tc = tcase_create("exact");
  tcase_add_test(tc, test_region_fixed_cycle);
  tcase_add_test(tc, test_censored_at_horizon);
  tcase_add_test(tc, test_overlapping_holds);
  tcase_add_test(tc, test_needs_zones_overlap);
  tcase_add_test(tc, test_instances_fail_in_down_zone);
  tcase_add_test(tc, test_instances_repaired_in_down_zone);
  tcase_add_test(tc, test_two_regions_ideal_failover);
  tcase_add_test(tc, test_failover_outage_censored);
  suite_add_tcase(s, tc);

  tc = tcase_create("stochastic");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_superposed_poisson);
  tcase_add_test(tc, test_per_member_poisson);
  tcase_add_test(tc, test_superposed_with_long_repairs);
  tcase_add_test(tc, test_superposed_members_fail_evenly);
  tcase_add_test(tc, test_determinism);
  tcase_add_test(tc, test_determinism_quickstart);
  tcase_add_test(tc, test_stop_flag);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(model_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
