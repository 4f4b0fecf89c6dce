/* check_frontend.c - what clients see (sim/frontend.c, docs/multi-region.md): load-balancer
 * target lag, Route 53 verdicts and routing policies, client TTLs, API failover through the
 * control plane, disaster-recovery readiness, Elastic IP remaps and the request accounting.
 *
 * Every scenario here has `random-failures = no`: only its [inject] groups happen, at exact
 * times. What is still random is the phase of the health checkers, so each test reads the
 * times of the verdicts from an observer (fl_world_set_timeline), asserts that each delay lies
 * in its exact support:
 *   Route 53 verdict (either way):  [(T - 1)·I, T·I]        = [60, 90] s for 30 s x 3
 *   LB target marked unhealthy:     [(unhealthy - 1)·I, unhealthy·I] = [30, 60] s for 30 s x 2
 *   LB target marked healthy:       [(healthy - 1)·I, healthy·I]     = [120, 150] s for 30 s x 5
 * and then that everything derived from those times follows exactly: the real (client-view)
 * outages to the bit (they are differences of the same event times), the request-seconds lost
 * to 1e-6 (a sum of trapezoids; rounding is ~1e-11 here). Each test runs several replications
 * (independent phase draws) of one replication's worth of rows (fl_run_result_new with 1 row,
 * as tests/check_model.c does). */
#include "config.h"

#include "faultline/model.h"

#include <check.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "faultline/montecarlo.h"
#include "faultline/stats.h"
#include "faultline/timeline.h"
#include "faultline/units.h"

#define MAX_REGIONS 8
#define REPS 16      /* replications per exact test: 16 independent draws of every phase */
#define SEED 20240601
#define TOL 1e-6     /* request-seconds: sums of closed-form trapezoids */

/* One line of the timeline, with service 0's state right after it. */
typedef struct {
  double t_s;
  char *component, *event, *detail;
  gboolean real, ideal;
  gboolean has_shares;
  double shares[MAX_REGIONS]; /* service 0's clients per region, in its region order */
} Ev;

static void
ev_clear(gpointer p)
{
  Ev *e = p;
  g_free(e->component);
  g_free(e->event);
  g_free(e->detail);
}

typedef struct {
  FlScenario *sc;
  FlModel *model;
  FlWorld *world;
  FlRunResult *result; /* one replication's rows */
  FlTally *tally;      /* fresh for every run, so its accumulators are that run's */
  GArray *events;      /* of Ev, the last run's timeline */
} Sim;

static void
sim_free(Sim *s)
{
  g_array_unref(s->events);
  fl_tally_free(s->tally);
  fl_run_result_free(s->result);
  fl_world_free(s->world);
  fl_model_free(s->model);
  fl_scenario_free(s->sc);
  g_free(s);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Sim, sim_free)

static void
observe(const FlWorld *world, const FlTimelineEvent *event, gpointer data)
{
  Sim *s = data;
  Ev e = { 0 };
  e.t_s = event->t_s;
  e.component = g_strdup(event->component);
  e.event = g_strdup(event->event);
  e.detail = g_strdup(event->detail);
  e.real = fl_world_service_up_real(world, 0);
  e.ideal = fl_world_service_up_ideal(world, 0);
  double stale = 0.0;
  e.has_shares = fl_world_service_clients(world, 0, event->t_s, e.shares, &stale);
  g_array_append_val(s->events, e);
}

static Sim *
sim_new(const char *text)
{
  g_autoptr(GError) error = NULL;
  FlScenario *sc = fl_scenario_load_data(text, strlen(text), "test.ini", NULL, &error);
  ck_assert_msg(sc != NULL, "scenario does not load: %s", error ? error->message : "?");
  ck_assert(fl_scenario_service(sc, 0)->n_regions <= MAX_REGIONS);
  Sim *s = g_new0(Sim, 1);
  s->sc = sc;
  s->model = fl_model_new(sc);
  s->world = fl_world_new(s->model);
  s->events = g_array_new(FALSE, TRUE, sizeof(Ev));
  g_array_set_clear_func(s->events, ev_clear);
  fl_world_set_timeline(s->world, observe, s);
  return s;
}

/* Runs replication @rep of SEED over the scenario's horizon into fresh rows, tally and
 * timeline. */
static void
sim_run(Sim *s, guint64 rep)
{
  fl_tally_free(s->tally);
  fl_run_result_free(s->result);
  g_array_set_size(s->events, 0);
  g_auto(GStrv) causes = fl_model_cause_names(s->model);
  s->result = fl_run_result_new(fl_model_n_services(s->model), (const char *const *)causes,
                                s->sc->horizon_s, 1);
  ck_assert_ptr_nonnull(s->result);
  s->tally = fl_tally_new(s->result);
  fl_tally_begin(s->tally, s->result, 0);
  ck_assert(fl_world_run(s->world, SEED, rep, s->sc->horizon_s, s->tally, NULL));
}

/* The first event at or after @from_s with this component and event (exact strings), or NULL. */
static const Ev *
find(const Sim *s, double from_s, const char *component, const char *event)
{
  for (guint i = 0; i < s->events->len; i++) {
    const Ev *e = &g_array_index(s->events, Ev, i);
    if (e->t_s >= from_s && strcmp(e->component, component) == 0
        && strcmp(e->event, event) == 0)
      return e;
  }
  return NULL;
}

/* Like find(), but the event must exist: returns its time. */
static double
at(const Sim *s, double from_s, const char *component, const char *event)
{
  const Ev *e = find(s, from_s, component, event);
  ck_assert_msg(e != NULL, "no '%s: %s' at or after %.17g s", component, event, from_s);
  return e->t_s;
}

/* Events with this component and (unless NULL) event. */
static guint
count(const Sim *s, const char *component, const char *event)
{
  guint n = 0;
  for (guint i = 0; i < s->events->len; i++) {
    const Ev *e = &g_array_index(s->events, Ev, i);
    n += strcmp(e->component, component) == 0 && (event == NULL || strcmp(e->event, event) == 0);
  }
  return n;
}

/* Events whose event text starts with @prefix, for any component. */
static guint
count_prefix(const Sim *s, const char *component, const char *prefix)
{
  guint n = 0;
  for (guint i = 0; i < s->events->len; i++) {
    const Ev *e = &g_array_index(s->events, Ev, i);
    n += strcmp(e->component, component) == 0 && g_str_has_prefix(e->event, prefix);
  }
  return n;
}

static double
real_down(const Sim *s)
{
  double sum = 0.0;
  for (guint c = 0; c < s->result->n_chunks; c++)
    sum += s->result->real_chunk_down_s[c];
  return sum;
}

static double
ideal_down(const Sim *s)
{
  double sum = 0.0;
  for (guint c = 0; c < s->result->n_chunks; c++)
    sum += s->result->chunk_down_s[c];
  return sum;
}

#define unserved(s) ((s)->result->unserved_s[0])
#define failovers(s) ((s)->result->failovers[0])
#define real_outages(s) ((s)->result->real_outages[0])
#define ideal_outages(s) ((s)->result->outages[0])

/* Asserts lo <= x <= hi. */
#define ck_assert_within(x, lo, hi)                                                            \
  do {                                                                                         \
    double x_ = (x);                                                                           \
    ck_assert_msg(x_ >= (lo) && x_ <= (hi), "%s = %.17g not in [%g, %g]", #x, x_,             \
                  (double)(lo), (double)(hi));                                                 \
  } while (0)

/* Two regions p and s, one instance each, a Route 53 failover record set over them with the
 * default health check (30 s x 3, 15 checkers, 18%), then @extra (dns keys), the service web
 * (with @svc keys) and @injects. */
#define TWO_REGIONS(dns_extra, svc_extra, injects)                                             \
  "[scenario]\nhorizon = 2d\nrandom-failures = no\n"                                           \
  "[region p]\nzones = 1\n[region s]\nzones = 1\n"                                             \
  "[dns web-dns]\npolicy = failover\nprimary = p\nsecondary = s\n" dns_extra                  \
  "[service web]\nregions = p, s\ninstances-per-zone = 1\nneeds = 1 instance\n"                \
  "dns = web-dns\n" svc_extra injects

#define HC "health-check = interval=30s, failure-threshold=3\n"

/* ---- Route 53 failover policy ---- */

START_TEST(test_failover_detection_and_failback)
{
  /* p is down [1h, 3h). Route 53 declares it unhealthy D later, D in [60, 90]; the answer
   * moves to s at that instant; a client resolving then is served, so the real outage is
   * exactly D. The clients move over one TTL (60 s), so the requests lost are D + 60/2. After p
   * returns it is declared healthy D' later, D' in [60, 90], and the answer moves back: a
   * failback, not a failover, and it loses nothing (s serves the clients still on it). The
   * ideal view never goes down (s is up). */
  g_autoptr(Sim) s = sim_new(TWO_REGIONS("ttl = 60s\n" HC, "",
                                         "[inject p-down]\nat = 1h\nfail = region p\nfor = 2h\n"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double down = at(s, 0, "region p", "down"), up = at(s, 0, "region p", "up");
    ck_assert_double_eq(down, 3600.0);
    ck_assert_double_eq(up, 10800.0);
    double fail = at(s, 0, "dns web-dns", "health check failed 3/3 -> p unhealthy");
    double d = fail - down;
    ck_assert_within(d, 60.0, 90.0);
    ck_assert_double_eq(at(s, 0, "dns web-dns", "DNS answers s"), fail);
    ck_assert_double_eq(at(s, 0, "service web", "clients are not fully served"), down);
    ck_assert_double_eq(at(s, 0, "service web", "serves clients fully again"), fail);
    double pass = at(s, up, "dns web-dns", "health check passed 3/3 -> p healthy");
    ck_assert_within(pass - up, 60.0, 90.0);
    ck_assert_double_eq(at(s, up, "dns web-dns", "DNS answers p"), pass);
    /* Nothing else: two verdicts, two answers, one real outage. */
    ck_assert_uint_eq(count(s, "dns web-dns", NULL), 4);
    ck_assert_uint_eq(count(s, "service web", "clients are not fully served"), 1);
    ck_assert_double_eq(real_down(s), fail - down);
    ck_assert_uint_eq(real_outages(s), 1);
    ck_assert_uint_eq(failovers(s), 1);
    ck_assert_double_eq_tol(unserved(s), d + 30.0, TOL);
    ck_assert_uint_eq(ideal_outages(s), 0);
    /* The RTO of the failover is the real outage; no replication figure, no RPO. */
    ck_assert_uint_eq(s->tally->svc[0].rto_hist.total, 1);
    ck_assert_double_eq(s->tally->svc[0].rto_hist.max_s, fail - down);
    ck_assert_uint_eq(s->tally->svc[0].rpo_hist.total, 0);
  }
}
END_TEST

START_TEST(test_failover_stale_clients)
{
  /* As test_failover_detection_and_failback with 10% of clients ignoring the TTL and keeping
   * an answer for 10 min: after the answer moves at f = 3600 + D, 90% of the clients move over
   * the 60 s TTL and 10% over 600 s, so the requests lost are D + 0.9 x 30 + 0.1 x 300. On
   * failback the stale clients stay on s, which serves them: nothing more is lost. */
  g_autoptr(Sim) s = sim_new(TWO_REGIONS("ttl = 60s\n" HC "stale-clients = 10% for 10min\n", "",
                                         "[inject p-down]\nat = 1h\nfail = region p\nfor = 2h\n"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double f = at(s, 0, "dns web-dns", "health check failed 3/3 -> p unhealthy");
    ck_assert_within(f - 3600, 60, 90);
    ck_assert_double_eq_tol(unserved(s), (f - 3600) + 27.0 + 30.0, TOL);
    ck_assert_double_eq(real_down(s), f - 3600);
    /* When p returns, 2 h later, every client (stale ones too) has moved to s. */
    const Ev *e = find(s, 10800, "region p", "up");
    ck_assert_ptr_nonnull(e);
    ck_assert_double_eq_tol(e->shares[0], 0.0, 1e-12);
    ck_assert_double_eq_tol(e->shares[1], 1.0, 1e-12);
    ck_assert_uint_eq(failovers(s), 1);
  }
}
END_TEST

START_TEST(test_failover_both_unhealthy_answers_primary)
{
  /* p down [1h, 4h), s down [1.5h, 2.5h) inside it.
   *   f_p = 3600 + D1:  p unhealthy, s healthy      -> answers s (failover)
   *   f_s = 5400 + D2:  both unhealthy              -> answers the primary (Route 53's rule)
   *   h_s = 9000 + D3:  s healthy again, p not      -> answers s
   *   h_p = 14400 + D4: p healthy                   -> answers p (failback)
   * TTL 0, so clients follow at once. Real outages: [3600, f_p) and [5400, h_s), since from
   * 5400 the answer is a region that does not serve until s is answered again. Ideal: both
   * regions down over [5400, 9000). */
  g_autoptr(Sim) s = sim_new(TWO_REGIONS("ttl = 0s\n" HC, "",
                                         "[inject p-down]\nat = 1h\nfail = region p\nfor = 3h\n"
                                         "[inject s-down]\nat = 90min\nfail = region s\n"
                                         "for = 1h\n"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double f_p = at(s, 0, "dns web-dns", "health check failed 3/3 -> p unhealthy");
    double f_s = at(s, 0, "dns web-dns", "health check failed 3/3 -> s unhealthy");
    double h_s = at(s, 0, "dns web-dns", "health check passed 3/3 -> s healthy");
    double h_p = at(s, 0, "dns web-dns", "health check passed 3/3 -> p healthy");
    ck_assert_within(f_p - 3600, 60, 90);
    ck_assert_within(f_s - 5400, 60, 90);
    ck_assert_within(h_s - 9000, 60, 90);
    ck_assert_within(h_p - 14400, 60, 90);
    ck_assert_double_eq(at(s, 0, "dns web-dns", "DNS answers s"), f_p);
    ck_assert_double_eq(at(s, f_p, "dns web-dns", "DNS answers p"), f_s);
    ck_assert_double_eq(at(s, f_s, "dns web-dns", "DNS answers s"), h_s);
    ck_assert_double_eq(at(s, h_s, "dns web-dns", "DNS answers p"), h_p);
    ck_assert_uint_eq(count_prefix(s, "dns web-dns", "DNS answers"), 4);
    ck_assert_uint_eq(real_outages(s), 2);
    ck_assert_double_eq(real_down(s), (f_p - 3600) + (h_s - 5400));
    ck_assert_uint_eq(ideal_outages(s), 1);
    ck_assert_double_eq(ideal_down(s), 3600.0);
    /* All requests are lost while the answer is a region that is down: [3600, f_p) and
     * [5400, h_s). */
    ck_assert_double_eq_tol(unserved(s), (f_p - 3600) + (h_s - 5400), TOL);
  }
}
END_TEST

START_TEST(test_no_health_check_always_healthy)
{
  /* Without a health check the records are always healthy: the answer stays on p through its
   * whole outage [1h, 3h); there is no verdict, no failover, and the real downtime is the
   * primary's outage, with every request lost, although s is up all along (ideal: no outage). */
  g_autoptr(Sim) s = sim_new(TWO_REGIONS("ttl = 60s\n", "",
                                         "[inject p-down]\nat = 1h\nfail = region p\nfor = 2h\n"));
  for (guint64 rep = 0; rep < 4; rep++) {
    sim_run(s, rep);
    ck_assert_uint_eq(count(s, "dns web-dns", NULL), 0);
    ck_assert_uint_eq(failovers(s), 0);
    ck_assert_uint_eq(real_outages(s), 1);
    ck_assert_double_eq(real_down(s), 7200.0);
    ck_assert_double_eq_tol(unserved(s), 7200.0, TOL);
    ck_assert_uint_eq(ideal_outages(s), 0);
    ck_assert_uint_eq(s->tally->svc[0].rto_hist.total, 0);
  }
}
END_TEST

/* ---- Route 53 weighted policy ---- */

#define WEIGHTED(regions_text, weights, injects)                                               \
  "[scenario]\nhorizon = 2d\nrandom-failures = no\n" regions_text                             \
  "[dns web-dns]\npolicy = weighted\nweights = " weights "\nttl = 0s\n" HC                     \
  "[service web]\nregions = a, b, c\ninstances-per-zone = 1\nneeds = 1 instance\n"             \
  "dns = web-dns\nstrategy = active-active\n" injects

#define ABC "[region a]\nzones = 1\n[region b]\nzones = 1\n[region c]\nzones = 1\n"

START_TEST(test_weighted_fail_open)
{
  /* Records a = 1, b = 3, c = 0. c is down (and declared unhealthy) for the whole incident,
   * so the weight-0 rule never applies: a down [1h, 3h), b down [1.5h, 2h). TTL 0.
   *   f_a = 3600 + Da: a unhealthy          -> b
   *   f_b = 5400 + Db: every record unhealthy -> fail open: the weights, a 1/4, b 3/4
   *   h_b = 7200 + Hb: b healthy            -> b
   *   h_a = 10800 + Ha: a healthy           -> a 1/4, b 3/4
   * Requests lost: a's quarter until f_a (0.25 Da); everything over [5400, 7200) (both down,
   * whatever the answer); a's quarter over [7200, h_b) while the fail-open answer still sends
   * it to a (0.25 Hb). */
  g_autoptr(Sim) s = sim_new(WEIGHTED(ABC, "a=1, b=3, c=0",
                                      "[inject c-down]\nat = 1s\nfail = region c\nfor = 1d\n"
                                      "[inject a-down]\nat = 1h\nfail = region a\nfor = 2h\n"
                                      "[inject b-down]\nat = 90min\nfail = region b\n"
                                      "for = 30min\n"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double f_c = at(s, 0, "dns web-dns", "health check failed 3/3 -> c unhealthy");
    ck_assert_within(f_c - 1, 60, 90);
    double f_a = at(s, 0, "dns web-dns", "health check failed 3/3 -> a unhealthy");
    double f_b = at(s, 0, "dns web-dns", "health check failed 3/3 -> b unhealthy");
    double h_b = at(s, 0, "dns web-dns", "health check passed 3/3 -> b healthy");
    double h_a = at(s, 0, "dns web-dns", "health check passed 3/3 -> a healthy");
    ck_assert_within(f_a - 3600, 60, 90);
    ck_assert_within(f_b - 5400, 60, 90);
    ck_assert_within(h_b - 7200, 60, 90);
    ck_assert_within(h_a - 10800, 60, 90);
    /* c's weight is 0: its verdict never changes the answer. */
    ck_assert_ptr_null(find(s, 0, "dns web-dns", "DNS answers c"));
    ck_assert_double_eq(at(s, 0, "dns web-dns", "DNS answers b"), f_a);
    ck_assert_double_eq(at(s, f_a, "dns web-dns", "DNS answers a, b"), f_b);
    ck_assert_double_eq(at(s, f_b, "dns web-dns", "DNS answers b"), h_b);
    ck_assert_double_eq(at(s, h_b, "dns web-dns", "DNS answers a, b"), h_a);
    ck_assert_uint_eq(count_prefix(s, "dns web-dns", "DNS answers"), 4);
    ck_assert_double_eq_tol(unserved(s), 0.25 * (f_a - 3600) + 1800 + 0.25 * (h_b - 7200),
                            TOL);
    ck_assert_uint_eq(real_outages(s), 2);
    ck_assert_double_eq(real_down(s), (f_a - 3600) + (h_b - 5400));
    /* Failovers move clients off a region declared down: at f_a and at h_b (off a). */
    ck_assert_uint_eq(failovers(s), 2);
  }
}
END_TEST

START_TEST(test_weighted_zero_weight_record)
{
  /* Records a = 1, b = 3, c = 0. a down [1h, 5h), b down [2h, 3h). TTL 0.
   *   f_a = 3600 + Da: a unhealthy              -> b (c, weight 0, still takes nothing)
   *   f_b = 7200 + Db: every non-zero unhealthy -> c, the weight-0 record
   *   h_b = 10800 + Hb: b healthy               -> b
   *   h_a = 18000 + Ha: a healthy               -> a 1/4, b 3/4
   * Lost: 0.25 Da, then Db (all on b until f_b); nothing while c serves. */
  g_autoptr(Sim) s = sim_new(WEIGHTED(ABC, "a=1, b=3, c=0",
                                      "[inject a-down]\nat = 1h\nfail = region a\nfor = 4h\n"
                                      "[inject b-down]\nat = 2h\nfail = region b\nfor = 1h\n"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double f_a = at(s, 0, "dns web-dns", "health check failed 3/3 -> a unhealthy");
    double f_b = at(s, 0, "dns web-dns", "health check failed 3/3 -> b unhealthy");
    double h_b = at(s, 0, "dns web-dns", "health check passed 3/3 -> b healthy");
    double h_a = at(s, 0, "dns web-dns", "health check passed 3/3 -> a healthy");
    ck_assert_within(f_a - 3600, 60, 90);
    ck_assert_within(f_b - 7200, 60, 90);
    ck_assert_within(h_b - 10800, 60, 90);
    ck_assert_within(h_a - 18000, 60, 90);
    ck_assert_double_eq(at(s, 0, "dns web-dns", "DNS answers b"), f_a);
    ck_assert_double_eq(at(s, 0, "dns web-dns", "DNS answers c"), f_b);
    ck_assert_double_eq(at(s, f_b, "dns web-dns", "DNS answers b"), h_b);
    ck_assert_double_eq(at(s, h_b, "dns web-dns", "DNS answers a, b"), h_a);
    ck_assert_uint_eq(count_prefix(s, "dns web-dns", "DNS answers"), 4);
    ck_assert_double_eq_tol(unserved(s), 0.25 * (f_a - 3600) + (f_b - 7200), TOL);
    ck_assert_uint_eq(real_outages(s), 2);
    ck_assert_double_eq(real_down(s), (f_a - 3600) + (f_b - 7200));
    ck_assert_uint_eq(ideal_outages(s), 0);
  }
}
END_TEST

START_TEST(test_weighted_region_without_record)
{
  /* The service runs in a, b and c but the record set has records for a and b only
   * (scenario.h: "a region without a record never does" answer). a and b are both down
   * [1h, 3h): once both are declared unhealthy Route 53 fails open to the weights (a 1/4,
   * b 3/4); c, which has no record, is never answered, so every request of [1h, 3h) is lost
   * and nothing after (a and b are up again by the time any verdict turns healthy). */
  g_autoptr(Sim) s = sim_new(WEIGHTED(ABC, "a=1, b=3",
                                      "[inject a-down]\nat = 1h\nfail = region a\nfor = 2h\n"
                                      "[inject b-down]\nat = 1h\nfail = region b\nfor = 2h\n"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    ck_assert_ptr_null(find(s, 0, "dns web-dns", "DNS answers c"));
    double f_a = at(s, 0, "dns web-dns", "health check failed 3/3 -> a unhealthy");
    double f_b = at(s, 0, "dns web-dns", "health check failed 3/3 -> b unhealthy");
    ck_assert_double_eq(at(s, 0, "dns web-dns", "DNS answers a, b"), MAX(f_a, f_b));
    ck_assert_double_eq_tol(unserved(s), 7200.0, TOL);
    ck_assert_double_eq(real_down(s), 7200.0);
  }
}
END_TEST

START_TEST(test_multivalue_equal_shares)
{
  /* Multivalue: every healthy record, equal shares. a down [1h, 2h): a's third is lost until
   * it is declared unhealthy (TTL 0), then b and c take half each. */
  const char *text = "[scenario]\nhorizon = 1d\nrandom-failures = no\n" ABC
                     "[dns web-dns]\npolicy = multivalue\nttl = 0s\n" HC
                     "[service web]\nregions = a, b, c\ninstances-per-zone = 1\n"
                     "needs = 1 instance\ndns = web-dns\nstrategy = active-active\n"
                     "[inject a-down]\nat = 1h\nfail = region a\nfor = 1h\n";
  g_autoptr(Sim) s = sim_new(text);
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double f_a = at(s, 0, "dns web-dns", "health check failed 3/3 -> a unhealthy");
    ck_assert_within(f_a - 3600, 60, 90);
    ck_assert_double_eq(at(s, 0, "dns web-dns", "DNS answers b, c"), f_a);
    const Ev *e = find(s, f_a, "service web", "serves clients fully again");
    ck_assert_ptr_nonnull(e);
    ck_assert_double_eq_tol(e->shares[1], 0.5, 1e-12);
    ck_assert_double_eq_tol(e->shares[2], 0.5, 1e-12);
    double h_a = at(s, 0, "dns web-dns", "health check passed 3/3 -> a healthy");
    ck_assert_within(h_a - 7200, 60, 90);
    ck_assert_double_eq(at(s, 0, "dns web-dns", "DNS answers a, b, c"), h_a);
    ck_assert_double_eq_tol(unserved(s), (f_a - 3600) / 3.0, TOL);
    ck_assert_double_eq(real_down(s), f_a - 3600);
  }
}
END_TEST

/* ---- Route 53 latency policy ---- */

/* West (San Francisco), Tokyo and East (Washington), listed so that list order (west, tokyo,
 * east) differs from distance order: west-east 3,900 km < west-tokyo 8,300 km; tokyo-west
 * 8,300 km < tokyo-east 10,900 km. */
#define LATENCY(clients, injects)                                                              \
  "[scenario]\nhorizon = 2d\nrandom-failures = no\n"                                           \
  "[region west]\nzones = 1\nlocation = 37.8,-122.4\n"                                         \
  "[region tokyo]\nzones = 1\nlocation = 35.7,139.7\n"                                         \
  "[region east]\nzones = 1\nlocation = 38.9,-77.4\n"                                          \
  "[dns web-dns]\npolicy = latency\nclients = " clients "\nttl = 0s\n" HC                      \
  "[service web]\nregions = west, tokyo, east\ninstances-per-zone = 1\nneeds = 1 instance\n"   \
  "dns = web-dns\nstrategy = active-active\n" injects

START_TEST(test_latency_nearest_healthy)
{
  /* Clients: west 60%, tokyo 30%, east 10%; TTL 0 so client shares are the answer.
   * west down [1h, 2h): once it is unhealthy its clients go to the nearest healthy region by
   * great-circle distance, east (not tokyo, which comes first in the list): west 0, tokyo 0.3,
   * east 0.7. tokyo down [4h, 5h): its clients go to west (nearer than east): west 0.9,
   * tokyo 0, east 0.1. Lost: 0.6 D_west + 0.3 D_tokyo. */
  g_autoptr(Sim) s = sim_new(LATENCY("west 60%, tokyo 30%, east 10%",
                                     "[inject west-down]\nat = 1h\nfail = region west\nfor = 1h\n"
                                     "[inject tokyo-down]\nat = 4h\nfail = region tokyo\n"
                                     "for = 1h\n"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double f_w = at(s, 0, "dns web-dns", "health check failed 3/3 -> west unhealthy");
    double f_t = at(s, 0, "dns web-dns", "health check failed 3/3 -> tokyo unhealthy");
    ck_assert_within(f_w - 3600, 60, 90);
    ck_assert_within(f_t - 14400, 60, 90);
    const Ev *e = find(s, f_w, "service web", "serves clients fully again");
    ck_assert_ptr_nonnull(e);
    ck_assert_double_eq(e->t_s, f_w);
    ck_assert(e->has_shares);
    ck_assert_double_eq_tol(e->shares[0], 0.0, 1e-12);
    ck_assert_double_eq_tol(e->shares[1], 0.3, 1e-12);
    ck_assert_double_eq_tol(e->shares[2], 0.7, 1e-12);
    e = find(s, f_t, "service web", "serves clients fully again");
    ck_assert_ptr_nonnull(e);
    ck_assert_double_eq(e->t_s, f_t);
    ck_assert_double_eq_tol(e->shares[0], 0.9, 1e-12);
    ck_assert_double_eq_tol(e->shares[1], 0.0, 1e-12);
    ck_assert_double_eq_tol(e->shares[2], 0.1, 1e-12);
    ck_assert_double_eq_tol(unserved(s), 0.6 * (f_w - 3600) + 0.3 * (f_t - 14400), TOL);
    ck_assert_double_eq(real_down(s), (f_w - 3600) + (f_t - 14400));
  }
}
END_TEST

START_TEST(test_latency_list_order_without_locations)
{
  /* The same without locations: the fallback is the service's list order, so west's clients
   * go to tokyo (west 0, tokyo 0.9, east 0.1). */
  const char *text = "[scenario]\nhorizon = 1d\nrandom-failures = no\n"
                     "[region west]\nzones = 1\n[region tokyo]\nzones = 1\n"
                     "[region east]\nzones = 1\n"
                     "[dns web-dns]\npolicy = latency\nclients = west 60%, tokyo 30%, east 10%\n"
                     "ttl = 0s\n" HC
                     "[service web]\nregions = west, tokyo, east\ninstances-per-zone = 1\n"
                     "needs = 1 instance\ndns = web-dns\nstrategy = active-active\n"
                     "[inject west-down]\nat = 1h\nfail = region west\nfor = 1h\n";
  g_autoptr(Sim) s = sim_new(text);
  for (guint64 rep = 0; rep < 4; rep++) {
    sim_run(s, rep);
    double f_w = at(s, 0, "dns web-dns", "health check failed 3/3 -> west unhealthy");
    const Ev *e = find(s, f_w, "service web", "serves clients fully again");
    ck_assert_ptr_nonnull(e);
    ck_assert_double_eq(e->t_s, f_w);
    ck_assert_double_eq_tol(e->shares[0], 0.0, 1e-12);
    ck_assert_double_eq_tol(e->shares[1], 0.9, 1e-12);
    ck_assert_double_eq_tol(e->shares[2], 0.1, 1e-12);
  }
}
END_TEST

START_TEST(test_latency_region_without_record)
{
  /* Clients (and so records) in west 60% and tokyo 40% only; the service also runs in east,
   * which has no latency record and is never answered, although it is west's nearest region.
   * west down [1h, 2h): its clients go to tokyo. */
  g_autoptr(Sim) s = sim_new(LATENCY("west 60%, tokyo 40%",
                                     "[inject west-down]\nat = 1h\nfail = region west\n"
                                     "for = 1h\n"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double f_w = at(s, 0, "dns web-dns", "health check failed 3/3 -> west unhealthy");
    ck_assert_double_eq(at(s, 0, "dns web-dns", "DNS answers tokyo"), f_w);
    ck_assert_uint_eq(count_prefix(s, "dns web-dns", "DNS answers"), 2);
    const Ev *e = find(s, f_w, "service web", "serves clients fully again");
    ck_assert_ptr_nonnull(e);
    ck_assert_double_eq_tol(e->shares[1], 1.0, 1e-12);
    ck_assert_double_eq_tol(e->shares[2], 0.0, 1e-12);
  }
}
END_TEST

/* ---- API failover through the control plane ---- */

#define API_DNS "ttl = 60s\n" HC "failover = api(decision=15min)\npropagation = 60s\n"
/* The primary p down from @p_at for @p_for, the Route 53 control plane from @cp_at for @cp_for. */
#define API_INCIDENT(p_at, p_for, cp_at, cp_for)                                               \
  TWO_REGIONS(API_DNS, "",                                                                     \
              "[inject p-down]\nat = " p_at "\nfail = region p\nfor = " p_for "\n"            \
              "[inject cp]\nat = " cp_at "\nfail = dns-control-plane\nfor = " cp_for "\n")

/* The time the API edit was blocked, checked to be the decision's, 15 min after p's unhealthy
 * verdict. */
static double
edit_blocked(const Sim *s)
{
  double f = at(s, 0, "dns web-dns", "health check failed 3/3 -> p unhealthy");
  double blocked = at(s, 0, "dns web-dns",
                      "API failover blocked: the Route 53 control plane is down");
  ck_assert_double_eq(blocked, f + 900);
  return blocked;
}

START_TEST(test_api_failover_blocked_by_control_plane)
{
  /* p down [1h, 7h); the control plane down [1h, 3h).
   *   f = 3600 + D:    p unhealthy; the decision is due 15 min later
   *   f + 900:         the edit needs the control plane, which is down: it waits
   *   10800:           the control plane is back: the edit is made (blocked: 10800 - f - 900)
   *   10860:           it has propagated: the answer moves to s
   * Real outage [3600, 10860) = 7260 s exactly; requests lost 7260 + 60/2. Failback: p healthy
   * at 25200 + D', then decision 15 min and propagation 60 s; no failover counted. */
  g_autoptr(Sim) s = sim_new(API_INCIDENT("1h", "6h", "1h", "2h"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    ck_assert_within(at(s, 0, "dns web-dns", "health check failed 3/3 -> p unhealthy") - 3600,
                     60, 90);
    double blocked = edit_blocked(s);
    const Ev *edit = find(s, 0, "dns web-dns", "record edited through the API");
    ck_assert_ptr_nonnull(edit);
    ck_assert_double_eq(edit->t_s, 10800.0);
    ck_assert_str_eq(edit->detail, "s");
    ck_assert_double_eq(at(s, 0, "dns web-dns", "DNS answers s"), 10860.0);
    ck_assert_double_eq(real_down(s), 7260.0);
    ck_assert_uint_eq(real_outages(s), 1);
    ck_assert_double_eq_tol(unserved(s), 7260.0 + 30.0, TOL);
    ck_assert_uint_eq(s->tally->svc[0].blocked, 1);
    ck_assert(s->tally->svc[0].blocked_us == fl_time_sum_from_s(10800.0 - blocked));
    ck_assert_double_eq(s->tally->svc[0].rto_hist.max_s, 7260.0);
    /* Failback the same way, through the (working) control plane. */
    double pass = at(s, 25200, "dns web-dns", "health check passed 3/3 -> p healthy");
    ck_assert_within(pass - 25200, 60, 90);
    edit = find(s, pass, "dns web-dns", "record edited through the API");
    ck_assert_ptr_nonnull(edit);
    ck_assert_double_eq_tol(edit->t_s, pass + 900, 1e-9);
    ck_assert_str_eq(edit->detail, "p");
    ck_assert_double_eq_tol(at(s, pass, "dns web-dns", "DNS answers p"), pass + 960, 1e-9);
    ck_assert_uint_eq(count_prefix(s, "dns web-dns", "DNS answers"), 2);
    ck_assert_uint_eq(failovers(s), 1);
    ck_assert_uint_eq(s->tally->svc[0].blocked, 1);
  }
}
END_TEST

START_TEST(test_api_primary_recovers_while_edit_waits)
{
  /* p down [1h, 2h); the control plane down [1h, 4h). The edit decided at f + 900 waits for
   * the control plane; p is back and healthy long before the control plane returns at 14400,
   * so the edit is decided again then and not made: the answer never leaves p. The wait still
   * counts as a blocked failover, but it cost clients only until p served again: from f + 900
   * to 7200 (not to p's healthy verdict a minute later, nor to 14400). Real outage: p's own
   * [3600, 7200). */
  g_autoptr(Sim) s = sim_new(API_INCIDENT("1h", "1h", "1h", "3h"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double blocked = edit_blocked(s);
    double pass = at(s, 7200, "dns web-dns", "health check passed 3/3 -> p healthy");
    ck_assert_within(pass - 7200, 60, 90);
    ck_assert_uint_eq(count(s, "dns web-dns", "record edited through the API"), 0);
    ck_assert_uint_eq(count_prefix(s, "dns web-dns", "DNS answers"), 0);
    ck_assert_uint_eq(failovers(s), 0);
    ck_assert_uint_eq(real_outages(s), 1);
    ck_assert_double_eq(real_down(s), 3600.0);
    ck_assert_double_eq_tol(unserved(s), 3600.0, TOL);
    ck_assert_uint_eq(s->tally->svc[0].blocked, 1);
    ck_assert(s->tally->svc[0].blocked_us == fl_time_sum_from_s(7200.0 - blocked));
  }
}
END_TEST

START_TEST(test_api_failback_blocked_costs_nothing)
{
  /* p down [1h, 2h); the control plane down [2h, 5h). The failover edit (f + 900, control
   * plane up) goes through; the failback edit, decided 15 min after p's healthy verdict, finds
   * the control plane down and waits until 18000. It counts as blocked, but it costs nothing:
   * the clients are on s, which is healthy, all along. */
  g_autoptr(Sim) s = sim_new(API_INCIDENT("1h", "1h", "2h", "3h"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double f = at(s, 0, "dns web-dns", "health check failed 3/3 -> p unhealthy");
    const Ev *edit = find(s, 0, "dns web-dns", "record edited through the API");
    ck_assert_ptr_nonnull(edit);
    ck_assert_double_eq_tol(edit->t_s, f + 900, 1e-9);
    double pass = at(s, 7200, "dns web-dns", "health check passed 3/3 -> p healthy");
    ck_assert_double_eq_tol(at(s, pass, "dns web-dns",
                               "API failover blocked: the Route 53 control plane is down"),
                            pass + 900, 1e-9);
    edit = find(s, pass, "dns web-dns", "record edited through the API");
    ck_assert_ptr_nonnull(edit);
    ck_assert_double_eq(edit->t_s, 18000.0);
    ck_assert_str_eq(edit->detail, "p");
    ck_assert_uint_eq(failovers(s), 1);
    ck_assert_uint_eq(s->tally->svc[0].blocked, 1);
    ck_assert(s->tally->svc[0].blocked_us == 0);
  }
}
END_TEST

START_TEST(test_api_blocked_through_horizon)
{
  /* p and the control plane both down from 1d for longer than the 2 d horizon: the edit,
   * decided at f + 900, is still waiting at the horizon. That wait is censored there, as an
   * outage is: one blocked failover that cost 172800 - (f + 900), all of it on the dead p. */
  g_autoptr(Sim) s = sim_new(API_INCIDENT("1d", "2d", "1d", "2d"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double blocked = edit_blocked(s);
    ck_assert_uint_eq(count(s, "dns web-dns", "record edited through the API"), 0);
    ck_assert_uint_eq(s->tally->svc[0].blocked, 1);
    ck_assert(s->tally->svc[0].blocked_us == fl_time_sum_from_s(172800.0 - blocked));
    ck_assert_double_eq(real_down(s), 86400.0);
  }
}
END_TEST

START_TEST(test_api_primary_recovers_before_decision)
{
  /* p down [1h, 1h + 100 s): detected (D <= 90 < 100), healthy again by 3700 + 90 < f + 900,
   * so the decision finds nothing to do: no edit, no block, real outage 100 s. */
  g_autoptr(Sim) s = sim_new(TWO_REGIONS(API_DNS, "",
                                         "[inject p-down]\nat = 1h\nfail = region p\n"
                                         "for = 100s\n"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    ck_assert_within(at(s, 0, "dns web-dns", "health check failed 3/3 -> p unhealthy") - 3600,
                     60, 90);
    ck_assert_within(at(s, 0, "dns web-dns", "health check passed 3/3 -> p healthy") - 3700,
                     60, 90);
    ck_assert_uint_eq(count(s, "dns web-dns", "record edited through the API"), 0);
    ck_assert_uint_eq(count_prefix(s, "dns web-dns", "DNS answers"), 0);
    ck_assert_uint_eq(failovers(s), 0);
    ck_assert_uint_eq(s->tally->svc[0].blocked, 0);
    ck_assert_double_eq(real_down(s), 100.0);
  }
}
END_TEST

/* ---- DR strategies ---- */

START_TEST(test_warm_standby_scale_up)
{
  /* s runs at 25% until scale-up (fixed 10 min) after p is declared unhealthy at f = 3600 + D.
   * TTL 0: all clients move to s at f, which serves min(1, 0.25) of them until f + 600.
   * Lost: D (all on dead p) + 0.75 x 600 = 450 (scale-up). The real outage runs from 3600
   * until s is at full capacity, f + 600: the RTO sample is D + 600. RPO: a lag draw of
   * fixed(2 s). Failback at p's healthy verdict; with TTL 0 s returns to standby at once. */
  g_autoptr(Sim) s = sim_new(TWO_REGIONS("ttl = 0s\n" HC,
                                         "strategy = warm-standby\nstandby-capacity = 25%\n"
                                         "scale-up = fixed(10min)\n"
                                         "replication = async(lag=fixed(2s))\n"
                                         "writes-per-second = 100\n",
                                         "[inject p-down]\nat = 1h\nfail = region p\nfor = 4h\n"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double f = at(s, 0, "dns web-dns", "health check failed 3/3 -> p unhealthy");
    double d = f - 3600;
    ck_assert_within(d, 60, 90);
    ck_assert_double_eq(at(s, 0, "region s", "warm-standby recovery starts"), f);
    ck_assert_double_eq(at(s, 0, "dns web-dns", "DNS answers s"), f);
    double full = at(s, 0, "region s", "recovery region at full capacity");
    ck_assert_double_eq(full, f + 600);
    ck_assert_double_eq(at(s, 0, "service web", "serves clients fully again"), full);
    ck_assert_double_eq(real_down(s), full - 3600);
    ck_assert_double_eq_tol(real_down(s), d + 600, 1e-9);
    ck_assert_double_eq_tol(unserved(s), d + 0.75 * 600, TOL);
    ck_assert_uint_eq(s->tally->svc[0].rto_hist.total, 1);
    ck_assert_double_eq(s->tally->svc[0].rto_hist.max_s, full - 3600);
    ck_assert_uint_eq(s->tally->svc[0].rpo_hist.total, 1);
    ck_assert_double_eq(s->tally->svc[0].rpo_hist.max_s, 2.0);
    double pass = at(s, 18000, "dns web-dns", "health check passed 3/3 -> p healthy");
    ck_assert_double_eq(at(s, 18000, "dns web-dns", "DNS answers p"), pass);
    ck_assert_double_eq(at(s, 0, "region s", "back on standby"), pass);
    ck_assert_uint_eq(failovers(s), 1);
    ck_assert_uint_eq(real_outages(s), 1);
  }
}
END_TEST

/* Regions p and s of two zones with one instance each, Route 53 failover (TTL 0) and a warm
 * standby at 50% that scales up in 10 min; the service needs @needs; p is down [1h, 5h),
 * then @injects. */
#define WARM_TWO_ZONES(needs, injects)                                                         \
  "[scenario]\nhorizon = 2d\nrandom-failures = no\n"                                           \
  "[region p]\nzones = 2\n[region s]\nzones = 2\n"                                             \
  "[dns web-dns]\npolicy = failover\nprimary = p\nsecondary = s\nttl = 0s\n" HC                \
  "[service web]\nregions = p, s\ninstances-per-zone = 1\nneeds = " needs "\n"                 \
  "dns = web-dns\nstrategy = warm-standby\nstandby-capacity = 50%\n"                            \
  "scale-up = fixed(10min)\n[inject p-down]\nat = 1h\nfail = region p\nfor = 4h\n" injects

START_TEST(test_warm_standby_scaled_up_then_partial)
{
  /* Two zones of one instance per region, needs 2 instances, no load balancer. s runs at 50%
   * until scale-up (10 min) after p is declared unhealthy at f = 3600 + D; from f + 600 it
   * runs at full readiness, the capacity its cell looks up in a row of its own (frontend.c's
   * cap rows: readiness 1 in a region that started at 50%). Zone sa is down [2h, 2h30): one
   * instance of the two needed, so half the demand. TTL 0.
   *   [3600, f): every client on dead p                          -> lost D
   *   [f, f + 600): s at 50%                                     -> lost 0.5 x 600
   *   [7200, 9000): s at full readiness with one instance of two -> lost 0.5 x 1800 */
  g_autoptr(Sim) s = sim_new(WARM_TWO_ZONES("2 instances",
                                            "[inject sa-down]\nat = 2h\nfail = zone sa\n"
                                            "for = 30min\n"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double f = at(s, 0, "dns web-dns", "health check failed 3/3 -> p unhealthy");
    double d = f - 3600;
    ck_assert_within(d, 60, 90);
    ck_assert_double_eq(at(s, 0, "region s", "recovery region at full capacity"), f + 600);
    ck_assert_double_eq_tol(unserved(s), d + 0.5 * 600 + 0.5 * 1800, TOL);
  }
}
END_TEST

START_TEST(test_warm_standby_waits_for_image)
{
  /* The image is only in p: scaling s up launches instances from it, so the copy (10 GB at
   * 20 GB/h, 1800 s) comes first. s serves at 25% at once and fully at f + 1800 + 600. */
  g_autoptr(Sim) s = sim_new(TWO_REGIONS("ttl = 0s\n" HC,
                                         "strategy = warm-standby\nstandby-capacity = 25%\n"
                                         "scale-up = fixed(10min)\nimage = ami\n",
                                         "[image ami]\nsize = 10GB\nhome = p\ncopy-rate = 20GB/h\n"
                                         "[inject p-down]\nat = 1h\nfail = region p\nfor = 4h\n"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double f = at(s, 0, "dns web-dns", "health check failed 3/3 -> p unhealthy");
    ck_assert_double_eq(at(s, 0, "region s", "recovery region at full capacity"), f + 2400);
    ck_assert_double_eq(at(s, 0, "service web", "serves clients fully again"), f + 2400);
    ck_assert_double_eq(s->tally->svc[0].rto_hist.max_s, f + 2400 - 3600);
  }
}
END_TEST

START_TEST(test_warm_standby_enough_at_once)
{
  /* Two zones of one instance per region, needs 1 instance: the fleet is twice the needs, so a
   * standby at 50% of it already carries all the demand. The clients are fully served from
   * the failover at f = 3600 + D: the real outage and the RTO are D, not D + the scale-up,
   * though the region still scales up to full capacity 10 min later. */
  g_autoptr(Sim) s = sim_new(WARM_TWO_ZONES("1 instance", ""));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double f = at(s, 0, "dns web-dns", "health check failed 3/3 -> p unhealthy");
    ck_assert_double_eq(at(s, 0, "service web", "serves clients fully again"), f);
    ck_assert_double_eq(at(s, 0, "region s", "recovery region at full capacity"), f + 600);
    ck_assert_double_eq(real_down(s), f - 3600);
    ck_assert_double_eq(s->tally->svc[0].rto_hist.max_s, f - 3600);
    ck_assert_double_eq_tol(unserved(s), f - 3600, TOL);
  }
}
END_TEST

START_TEST(test_injected_partition_rpo)
{
  /* A partition injected over [30 min, 2h 30min) and p down over [1h, 3h): the failover at
   * f = 3600 + D crosses a link paused since 1800, so it loses the lag draw, fixed(2 s), plus
   * the 3600 - 1800 s of writes p took before it went down and never sent (docs/hazards.md,
   * "Partitions"): not the detection delay D, in which p took no writes. Route 53's checkers
   * do not cross the partition: detection and everything clients see are as without it. The
   * timeline shows the link's outage and, on the failover's answer, what it lost. */
  g_autoptr(Sim) s = sim_new(TWO_REGIONS("ttl = 60s\n" HC,
                                         "replication = async(lag=fixed(2s))\n"
                                         "writes-per-second = 100\n",
                                         "[inject cut]\nat = 30min\nfail = link p s\nfor = 2h\n"
                                         "[inject p-down]\nat = 1h\nfail = region p\nfor = 2h\n"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    ck_assert_double_eq(at(s, 0, "link p - s", "down"), 1800.0);
    ck_assert_double_eq(at(s, 0, "link p - s", "up"), 9000.0);
    ck_assert_uint_eq(count(s, "link p - s", NULL), 2);
    double f = at(s, 0, "dns web-dns", "health check failed 3/3 -> p unhealthy");
    ck_assert_within(f - 3600, 60, 90);
    const Ev *answer = find(s, 0, "dns web-dns", "DNS answers s");
    ck_assert_double_eq(answer->t_s, f);
    ck_assert_uint_eq(failovers(s), 1);
    ck_assert_uint_eq(s->tally->svc[0].rpo_hist.total, 1);
    double rpo = 2.0 + (3600.0 - 1800.0);
    ck_assert_double_eq(s->tally->svc[0].rpo_hist.max_s, rpo);
    g_autofree char *span = fl_format_duration(rpo);
    g_autofree char *want = g_strdup_printf("failover: the last %s of writes are lost, %.0f "
                                            "writes", span, rpo * 100);
    ck_assert_str_eq(answer->detail, want);
    ck_assert_double_eq(real_down(s), f - 3600);
    ck_assert_double_eq_tol(unserved(s), (f - 3600) + 30.0, TOL);
    /* The failback (after the partition healed) is no failover and says nothing of data. */
    const Ev *back = find(s, 10800, "dns web-dns", "DNS answers p");
    ck_assert_ptr_nonnull(back);
    ck_assert_ptr_null(back->detail);
  }
}
END_TEST

START_TEST(test_injected_partition_healed_during_detection)
{
  /* The partition over [30 min, 1h + 30 s) heals after p went down (1h) and before Route 53
   * notices (D >= 60 s): p could not send its backlog, being down, so the failover still loses
   * the 1800 s p took during the partition, plus the lag, 2 s. */
  g_autoptr(Sim) s = sim_new(TWO_REGIONS("ttl = 60s\n" HC,
                                         "replication = async(lag=fixed(2s))\n"
                                         "writes-per-second = 100\n",
                                         "[inject cut]\nat = 30min\nfail = link p s\nfor = 1830s\n"
                                         "[inject p-down]\nat = 1h\nfail = region p\nfor = 2h\n"));
  for (guint64 rep = 0; rep < 4; rep++) {
    sim_run(s, rep);
    ck_assert_double_eq(at(s, 0, "link p - s", "up"), 3630.0);
    ck_assert_double_gt(at(s, 0, "dns web-dns", "DNS answers s"), 3630.0);
    ck_assert_uint_eq(s->tally->svc[0].rpo_hist.total, 1);
    ck_assert_double_eq(s->tally->svc[0].rpo_hist.max_s, 1802.0);
  }
}
END_TEST

START_TEST(test_injected_partition_healed_before_failover)
{
  /* The same with the partition over [10 min, 40 min), healed before p fails: the failover
   * loses only the lag draw, 2 s exactly (200 writes). */
  g_autoptr(Sim) s = sim_new(TWO_REGIONS("ttl = 60s\n" HC,
                                         "replication = async(lag=fixed(2s))\n"
                                         "writes-per-second = 100\n",
                                         "[inject cut]\nat = 10min\nfail = link s p\nfor = 30min\n"
                                         "[inject p-down]\nat = 1h\nfail = region p\nfor = 2h\n"));
  for (guint64 rep = 0; rep < 4; rep++) {
    sim_run(s, rep);
    ck_assert_double_eq(at(s, 0, "link p - s", "up"), 2400.0);
    ck_assert_uint_eq(s->tally->svc[0].rpo_hist.total, 1);
    ck_assert_double_eq(s->tally->svc[0].rpo_hist.max_s, 2.0);
    ck_assert_str_eq(find(s, 0, "dns web-dns", "DNS answers s")->detail,
                     "failover: the last 2.0 s of writes are lost, 200 writes");
  }
}
END_TEST

START_TEST(test_warm_standby_scale_up_with_ttl)
{
  /* As above with TTL 60 s: clients move to s linearly over [f, f + 60], while s serves at
   * most 0.25. Over that minute the share on s is x = (t - f)/60:
   *   lost on p (dead):     integral of (1 - x) = 30
   *   lost on s (capacity): integral of max(0, x - 0.25) = 45 x 0.75 / 2 = 16.875
   * then 0.75 x 540 = 405 until full capacity at f + 600: D + 451.875 in all. Failback loses
   * nothing: s stays at full capacity until the clients have left it, a TTL after the answer
   * moved back (then it is back on standby). */
  g_autoptr(Sim) s = sim_new(TWO_REGIONS("ttl = 60s\n" HC,
                                         "strategy = warm-standby\nstandby-capacity = 25%\n"
                                         "scale-up = fixed(10min)\n",
                                         "[inject p-down]\nat = 1h\nfail = region p\nfor = 4h\n"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double f = at(s, 0, "dns web-dns", "health check failed 3/3 -> p unhealthy");
    ck_assert_double_eq_tol(unserved(s), (f - 3600) + 451.875, TOL);
    double pass = at(s, 18000, "dns web-dns", "health check passed 3/3 -> p healthy");
    ck_assert_double_eq_tol(at(s, 0, "region s", "back on standby"), pass + 60, 1e-9);
    ck_assert_double_eq(real_down(s), at(s, 0, "region s", "recovery region at full capacity")
                                        - 3600);
  }
}
END_TEST

#define PILOT(image, injects)                                                                  \
  TWO_REGIONS("ttl = 60s\n" HC,                                                                \
              "strategy = pilot-light\nlaunch = fixed(5min)\nimage = web-ami\n",             \
              "[image web-ami]\nsize = 100GB\nhome = p\ncopy-rate = 100GB/h\n" image injects)

/* Checks one pilot-light failover of p's outage starting at @down, whose recovery takes
 * @prepare_s after detection; returns the RTO observed. */
static double
check_pilot_failover(const Sim *s, double down, double prepare_s)
{
  double f = at(s, down, "dns web-dns", "health check failed 3/3 -> p unhealthy");
  ck_assert_within(f - down, 60, 90);
  ck_assert_double_eq(at(s, down, "region s", "pilot-light recovery starts"), f);
  double ready = at(s, down, "region s", "recovery region at full capacity");
  ck_assert_double_eq_tol(ready - f, prepare_s, 1e-9);
  /* s had no compute, so it was unhealthy; it is declared healthy D' after it is ready, and
   * the answer moves then: that is when clients are fully served again. */
  double pass = at(s, down, "dns web-dns", "health check passed 3/3 -> s healthy");
  ck_assert_within(pass - ready, 60, 90);
  ck_assert_double_eq(at(s, down, "dns web-dns", "DNS answers s"), pass);
  ck_assert_double_eq(at(s, down, "service web", "serves clients fully again"), pass);
  return pass - down;
}

START_TEST(test_pilot_light_image_copied)
{
  /* The image is already in s (copied-to): the recovery is the launch alone, 300 s; RTO =
   * D + 300 + D'. Two outages of p, [1h, 4h) and [12h, 15h): the second recovery is the same
   * (s went back on standby in between). */
  g_autoptr(Sim) s = sim_new(PILOT("copied-to = s\n",
                                   "[inject p-down]\nat = 1h\nfail = region p\nfor = 3h\n"
                                   "[inject p-down-again]\nat = 12h\nfail = region p\n"
                                   "for = 3h\n"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double rto1 = check_pilot_failover(s, 3600, 300);
    double rto2 = check_pilot_failover(s, 43200, 300);
    ck_assert_uint_eq(count(s, "region s", "back on standby"), 2);
    ck_assert_uint_eq(failovers(s), 2);
    ck_assert_uint_eq(real_outages(s), 2);
    ck_assert_uint_eq(s->tally->svc[0].rto_hist.total, 2);
    ck_assert_double_eq(s->tally->svc[0].rto_hist.max_s, MAX(rto1, rto2));
    ck_assert(s->tally->svc[0].rto_sum_us
              == fl_time_sum_from_s(rto1) + fl_time_sum_from_s(rto2));
    ck_assert_double_eq(real_down(s), rto1 + rto2);
  }
}
END_TEST

START_TEST(test_pilot_light_image_copied_once)
{
  /* The image is only in p: the first recovery copies it (100 GB at 100 GB/h = 3600 s) and
   * launches (300 s); the copy stays, so the second recovery is the launch alone. */
  g_autoptr(Sim) s = sim_new(PILOT("",
                                   "[inject p-down]\nat = 1h\nfail = region p\nfor = 3h\n"
                                   "[inject p-down-again]\nat = 12h\nfail = region p\n"
                                   "for = 3h\n"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double rto1 = check_pilot_failover(s, 3600, 3900);
    double rto2 = check_pilot_failover(s, 43200, 300);
    ck_assert_uint_eq(failovers(s), 2);
    ck_assert_double_eq(real_down(s), rto1 + rto2);
  }
}
END_TEST

START_TEST(test_pilot_light_stands_down_without_failover)
{
  /* p down [1h, 1h + 200 s): detected at f <= 3690, so the recovery starts; p is declared
   * healthy again at 3800 + D' <= 3890, before the launch is done (f + 300 >= 3960) and before
   * s could ever be answered. The primary is healthy and answered: the recovery region stands
   * down (docs/multi-region.md: recovery regions return to standby), so it never reaches full
   * capacity. A second outage [6h, 9h) must then recover from standby again: launch 300 s,
   * RTO = D + 300 + D', not just the detection delay of an already running region. */
  g_autoptr(Sim) s = sim_new(PILOT("copied-to = s\n",
                                   "[inject p-blip]\nat = 1h\nfail = region p\nfor = 200s\n"
                                   "[inject p-down]\nat = 6h\nfail = region p\nfor = 3h\n"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double f = at(s, 0, "dns web-dns", "health check failed 3/3 -> p unhealthy");
    ck_assert_within(f - 3600, 60, 90);
    ck_assert_double_eq(at(s, 0, "region s", "pilot-light recovery starts"), f);
    ck_assert_within(at(s, 0, "dns web-dns", "health check passed 3/3 -> p healthy") - 3800,
                     60, 90);
    ck_assert_double_ge(at(s, 0, "dns web-dns", "DNS answers s"), 21600);
    ck_assert_msg(at(s, 0, "region s", "recovery region at full capacity") > 21600,
                  "the recovery region reached full capacity after a failover that was "
                  "called off");
    double rto = check_pilot_failover(s, 21600, 300);
    ck_assert_uint_eq(failovers(s), 1);
    ck_assert_double_eq(real_down(s), 200.0 + rto);
  }
}
END_TEST

START_TEST(test_rpo_follows_lag_distribution)
{
  /* One regional failover per replication (p down [1h, 3h), the secondary never fails), async
   * replication with lag lognormal(median 1 s, sigma 1): each failover loses the lag drawn at
   * that moment, so the n RPOs are n independent lognormal draws. Kolmogorov-Smirnov against
   * F(x) = Phi(ln x), read at the upper edges of the RPO histogram's bins (cumulative count
   * over n: the empirical CDF there, and a maximum over a subset of points can only be
   * smaller, so the test stays valid): P(sqrt(n) D > 2.225) <= 2 exp(-2 * 2.225^2) = 1e-4.
   * A wrong law fails it: sigma 0.9 instead of 1 moves F by 0.025 at x = e^(+-1), 3.5 at
   * sqrt(n) with n = 20,000; a median of 1.1 s moves it by 0.038 at 1 s, 5.4 at sqrt(n). */
  const guint64 n = 20000;
  g_autoptr(GError) error = NULL;
  const char *text = TWO_REGIONS("ttl = 60s\n" HC,
                                 "replication = async(lag=lognormal(median=1s, sigma=1))\n",
                                 "[inject p-down]\nat = 1h\nfail = region p\nfor = 2h\n");
  g_autoptr(FlScenario) sc = fl_scenario_load_data(text, strlen(text), "test.ini", NULL, &error);
  ck_assert_msg(sc != NULL, "%s", error ? error->message : "");
  g_autoptr(FlModel) model = fl_model_new(sc);
  FlRunOptions opt = { .replications = n, .seed = SEED, .horizon_s = sc->horizon_s,
                       .threads = 2 };
  g_autoptr(FlRunResult) r = fl_montecarlo_run(model, &opt, &error);
  ck_assert(r != NULL && r->completed == n);
  const FlLogHist *h = &r->svc[0].rpo_hist;
  ck_assert_uint_eq(h->total, n);
  guint64 cum = h->count[0];
  double d_max = 0.0, worst_x = 0.0;
  for (guint b = 1; b < FL_HIST_BINS - 1; b++) {
    cum += h->count[b];
    double edge = pow(10.0, (double)b / FL_HIST_PER_DECADE - 3.0);
    double f = 0.5 * erfc(-log(edge) / G_SQRT2);
    double d = fabs((double)cum / (double)n - f);
    if (d > d_max) {
      d_max = d;
      worst_x = edge;
    }
  }
  ck_assert_msg(sqrt((double)n) * d_max <= 2.225,
                "RPO against lognormal(1 s, 1): KS D = %.4f at %.3g s (sqrt(n) D = %.3f > 2.225)",
                d_max, worst_x, sqrt((double)n) * d_max);
}
END_TEST

/* ---- load balancer ---- */

#define LB(cross_zone, ipz, injects)                                                           \
  "[scenario]\nhorizon = 1d\nrandom-failures = no\n"                                           \
  "[region r]\nzones = 2\n"                                                                    \
  "[load-balancer alb]\nhealth-check = interval=30s, unhealthy-threshold=2, "                  \
  "healthy-threshold=5\ncross-zone = " cross_zone "\n"                                         \
  "[service web]\nregions = r\ninstances-per-zone = " ipz "\nneeds = 1 instance\n"             \
  "load-balancer = alb\n" injects

START_TEST(test_lb_readmission_counts)
{
  /* Two zones of two instances (targets 0, 1 in ra; 2, 3 in rb), needs 2 instances. Zone ra
   * is down [1h, 3h) and the first three instances [1h, 1h + 5 min), so only target 3 lives.
   * At 3900 instance 2 lives again: the region has its 2 live instances, but the load
   * balancer sends target 2 nothing until its healthy verdict h (5 checks of 30 s: 120-150 s
   * later), so one routed target carries the demand of two. The clients are fully served
   * only from h: the real outage is [3600, h). */
  g_autoptr(Sim) s = sim_new("[scenario]\nhorizon = 1d\nrandom-failures = no\n"
                             "[region r]\nzones = 2\n"
                             "[load-balancer alb]\nhealth-check = interval=30s, "
                             "unhealthy-threshold=2, healthy-threshold=5\ncross-zone = yes\n"
                             "[service web]\nregions = r\ninstances-per-zone = 2\n"
                             "needs = 2 instances\nload-balancer = alb\n"
                             "[inject ra]\nat = 1h\nfail = zone ra\nfor = 2h\n"
                             "[inject i2]\nat = 1h\nfail = 3 instances r\nfor = 5min\n");
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double h = at(s, 3900, "target 2 in rb", "healthy");
    ck_assert_within(h - 3900, 120, 150);
    ck_assert_double_eq(at(s, 0, "service web", "serves clients fully again"), h);
    ck_assert_double_eq(real_down(s), h - 3600);
  }
}
END_TEST

START_TEST(test_lb_fail_open)
{
  /* Zones ra, rb with one target each (instances 0 and 1). Instance 0 dies at 1h (for 2h);
   * zone rb dies at 3900 for 10 min.
   *   [3600, 3600 + U0): half the requests go to dead target 0         -> lost 0.5 U0
   *   [3900, 4500): no live target at all                              -> lost 600
   *   [4500, 4500 + H1): target 1 is live but still believed unhealthy, as is target 0: the
   *     LB fails open and sends to both, half to the dead one          -> lost 0.5 H1
   * (without failing open it would send nowhere and lose everything). U0 in [30, 60] (2
   * failed checks), H1 in [120, 150] (5 passed checks). The time-based views see only
   * [3900, 4500) (needs 1 instance). */
  g_autoptr(Sim) s = sim_new(LB("yes", "1",
                                "[inject i0]\nat = 1h\nfail = 1 instance r\nfor = 2h\n"
                                "[inject rb]\nat = 3900s\nfail = zone rb\nfor = 10min\n"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double u0 = at(s, 0, "target 0 in ra", "unhealthy") - 3600;
    double u1 = at(s, 0, "target 1 in rb", "unhealthy") - 3900;
    double h1 = at(s, 0, "target 1 in rb", "healthy") - 4500;
    double h0 = at(s, 0, "target 0 in ra", "healthy") - 10800;
    ck_assert_within(u0, 30, 60);
    ck_assert_within(u1, 30, 60);
    ck_assert_within(h1, 120, 150);
    ck_assert_within(h0, 120, 150);
    ck_assert_double_eq_tol(unserved(s), 0.5 * u0 + 600 + 0.5 * h1, TOL);
    ck_assert_double_eq(real_down(s), 600.0);
    ck_assert_double_eq(ideal_down(s), 600.0);
    ck_assert_uint_eq(real_outages(s), 1);
  }
}
END_TEST

/* Zones ra (instances 0, 1) and rb (2, 3). Instance 0 dies at 1h (for 2h), instance 1 at 4000 s
 * (for 10 min). Returns U0 and U1, the times to mark them unhealthy. */
static void
lb_two_deaths(const Sim *s, double *u0, double *u1)
{
  *u0 = at(s, 0, "target 0 in ra", "unhealthy") - 3600;
  *u1 = at(s, 0, "target 1 in ra", "unhealthy") - 4000;
  ck_assert_within(*u0, 30, 60);
  ck_assert_within(*u1, 30, 60);
  ck_assert_within(at(s, 0, "target 1 in ra", "healthy") - 4600, 120, 150);
  ck_assert_within(at(s, 0, "target 0 in ra", "healthy") - 10800, 120, 150);
  ck_assert_double_eq(real_down(s), 0.0);
  ck_assert_uint_eq(real_outages(s), 0);
}

#define LB_TWO_DEATHS                                                                          \
  "[inject i0]\nat = 1h\nfail = 1 instance r\nfor = 2h\n"                                     \
  "[inject i01]\nat = 4000s\nfail = 2 instances r\nfor = 10min\n"

START_TEST(test_lb_cross_zone_off)
{
  /* Cross-zone off: each zone with a believed-healthy target takes half the requests.
   *   [3600, 3600 + U0): zone ra sends half of its half to dead target 0  -> lost 0.25 U0
   *   [4000, 4000 + U1): zone ra's only routed target (1) is dead: its whole half is lost
   *                                                                       -> lost 0.5 U1 */
  g_autoptr(Sim) s = sim_new(LB("no", "2", LB_TWO_DEATHS));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double u0, u1;
    lb_two_deaths(s, &u0, &u1);
    ck_assert_double_eq_tol(unserved(s), 0.25 * u0 + 0.5 * u1, TOL);
  }
}
END_TEST

START_TEST(test_lb_cross_zone_on)
{
  /* Cross-zone on: requests spread over the routed targets: 1 dead of 4, then 1 dead of 3.
   * Lost 0.25 U0 + U1 / 3. */
  g_autoptr(Sim) s = sim_new(LB("yes", "2", LB_TWO_DEATHS));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double u0, u1;
    lb_two_deaths(s, &u0, &u1);
    ck_assert_double_eq_tol(unserved(s), 0.25 * u0 + u1 / 3.0, TOL);
  }
}
END_TEST

START_TEST(test_lb_partial_capacity)
{
  /* Four zones of one target each (instances 0-3), needs 3 instances, cross-zone on. Zones ra
   * and rb are down [1h, 3h), so the two live instances carry at most 2/3 of the demand (the
   * capacity a cell looks up by its count of live routed targets, frontend.c's cap rows):
   *   [3600, 3600 + U1): four routed targets, two dead: q = 1/2 under the cap   -> lost U1 / 2
   *   [3600 + U1, 10800): three or two routed, q = 2/3 or 1: the cap 2/3 binds  -> lost 1/3
   *   [10800, 10800 + H1): both back, still unrouted: two routed, cap 2/3       -> lost 1/3
   *   from 10800 + H1: three live routed targets, cap 1                         -> none
   * U1 and H1: the earlier of the two targets' unhealthy and healthy verdicts. The ideal view
   * has the service down over [1h, 3h) (two instances, needs three). */
  g_autoptr(Sim) s = sim_new("[scenario]\nhorizon = 1d\nrandom-failures = no\n"
                             "[region r]\nzones = 4\n"
                             "[load-balancer alb]\nhealth-check = interval=30s, "
                             "unhealthy-threshold=2, healthy-threshold=5\ncross-zone = yes\n"
                             "[service web]\nregions = r\ninstances-per-zone = 1\n"
                             "needs = 3 instances\nload-balancer = alb\n"
                             "[inject ra]\nat = 1h\nfail = zone ra\nfor = 2h\n"
                             "[inject rb]\nat = 1h\nfail = zone rb\nfor = 2h\n");
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    double u1 = MIN(at(s, 0, "target 0 in ra", "unhealthy"), at(s, 0, "target 1 in rb", "unhealthy"))
                - 3600;
    double h1 = MIN(at(s, 0, "target 0 in ra", "healthy"), at(s, 0, "target 1 in rb", "healthy"))
                - 10800;
    ck_assert_within(u1, 30, 60);
    ck_assert_within(h1, 120, 150);
    ck_assert_double_eq_tol(unserved(s), u1 / 2 + (7200 - u1) / 3 + h1 / 3, TOL);
    ck_assert_double_eq(ideal_down(s), 7200.0);
  }
}
END_TEST

/* ---- Elastic IP ---- */

#define EIP(ipz, injects)                                                                      \
  "[scenario]\nhorizon = 1d\nrandom-failures = no\n"                                           \
  "[region r]\nzones = 2\n"                                                                    \
  "[service web]\nregions = r\ninstances-per-zone = " ipz "\nneeds = 1 instance\n"             \
  "eip = yes\neip-remap = 10s\n" injects

START_TEST(test_eip_zone_down_remaps)
{
  /* Instance 0 in ra holds the address; zone ra goes down [1h, 2h). The monitor (ALB
   * defaults: 30 s x 2) notices after M in [30, 60], the remap takes 10 s more, to instance 1
   * in rb. The real outage is exactly that; every request of it is lost. The ideal view never
   * goes down (instance 1 lives). Nothing moves when ra returns. */
  g_autoptr(Sim) s = sim_new(EIP("1", "[inject ra]\nat = 1h\nfail = zone ra\nfor = 1h\n"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    const Ev *e = find(s, 0, "eip web", "remapped");
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(e->detail, "instance 1 in rb");
    ck_assert_within(e->t_s - 3600 - 10, 30, 60);
    /* The monitor is the holder's target check: its verdict, then the remap, 10 s later. */
    ck_assert_double_eq(e->t_s, at(s, 0, "target 0 in ra", "unhealthy") + 10.0);
    /* A failover inside the region: counted, with the outage as its RTO, and no data figure. */
    ck_assert_uint_eq(failovers(s), 1);
    ck_assert_uint_eq(s->tally->svc[0].rto_hist.total, 1);
    ck_assert_double_eq(s->tally->svc[0].rto_hist.max_s, e->t_s - 3600);
    ck_assert_uint_eq(s->tally->svc[0].rpo_hist.total, 0);
    ck_assert_uint_eq(count(s, "eip web", NULL), 1);
    ck_assert_double_eq(real_down(s), e->t_s - 3600);
    ck_assert_uint_eq(real_outages(s), 1);
    ck_assert_double_eq_tol(unserved(s), e->t_s - 3600, TOL);
    ck_assert_uint_eq(ideal_outages(s), 0);
  }
}
END_TEST

START_TEST(test_eip_prefers_another_zone)
{
  /* Two instances per zone: instance 0 (ra) holds the address and dies [1h, 2h). Instance 1
   * (also ra) lives, but the address moves to another zone when it can: instance 2 in rb. */
  g_autoptr(Sim) s = sim_new(EIP("2", "[inject i0]\nat = 1h\nfail = 1 instance r\nfor = 1h\n"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    const Ev *e = find(s, 0, "eip web", "remapped");
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(e->detail, "instance 2 in rb");
    ck_assert_within(e->t_s - 3600 - 10, 30, 60);
    ck_assert_double_eq(real_down(s), e->t_s - 3600);
  }
}
END_TEST

START_TEST(test_eip_waits_for_repair)
{
  /* Instance 0 (ra, the holder) down [1h, 5h); zone rb (instance 1) down [1h, 1.5h). When the
   * monitor's remap comes due there is no live instance: it waits. Instance 1 is back at 5400
   * and the address moves to it 10 s later. Real outage [3600, 5410); ideal [3600, 5400). */
  g_autoptr(Sim) s = sim_new(EIP("1", "[inject i0]\nat = 1h\nfail = 1 instance r\nfor = 4h\n"
                                      "[inject rb]\nat = 1h\nfail = zone rb\nfor = 30min\n"));
  for (guint64 rep = 0; rep < REPS; rep++) {
    sim_run(s, rep);
    const Ev *e = find(s, 0, "eip web", "remapped");
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(e->detail, "instance 1 in rb");
    ck_assert_double_eq(e->t_s, 5410.0);
    ck_assert_uint_eq(count(s, "eip web", NULL), 1);
    ck_assert_double_eq(real_down(s), 1810.0);
    ck_assert_uint_eq(real_outages(s), 1);
    ck_assert_double_eq_tol(unserved(s), 1810.0, TOL);
    ck_assert_double_eq(ideal_down(s), 1800.0);
  }
}
END_TEST

/* ---- determinism ---- */

/* Random failures of every kind the frontend reacts to, frequent enough that a year has many
 * failovers: a warm standby behind health-check failover with stale clients and a load
 * balancer, and a pilot light behind API failover. */
static const char *const random_text =
  "[scenario]\nhorizon = 1y\n"
  "[region west]\nzones = 3\nlocation = 37.8,-122.4\n"
  "[region east]\nzones = 3\nlocation = 38.9,-77.4\n"
  "[failure zone-outage]\ntarget = zone\ntime-to-failure = exponential(mean=20d)\n"
  "time-to-repair = lognormal(median=3h, sigma=1)\n"
  "[failure region-outage]\ntarget = region\ntime-to-failure = exponential(mean=40d)\n"
  "time-to-repair = lognormal(median=6h, sigma=1)\n"
  "[failure crash]\ntarget = instance\ntime-to-failure = exponential(mean=30d)\n"
  "time-to-repair = lognormal(median=15min, sigma=0.8)\n"
  "[failure cp]\ntarget = dns-control-plane\ntime-to-failure = exponential(mean=60d)\n"
  "time-to-repair = fixed(2h)\n"
  "[load-balancer alb]\n"
  "[dns web-dns]\npolicy = failover\nprimary = west\nsecondary = east\nttl = 60s\n" HC
  "stale-clients = 5% for 1h\n"
  "[dns api-dns]\npolicy = failover\nprimary = east\nsecondary = west\nttl = 30s\n" HC
  "failover = api(decision=10min)\n"
  "[image ami]\nsize = 50GB\nhome = east\n"
  "[service web]\nregions = west, east\ninstances-per-zone = 2\nneeds = 3 instances\n"
  "load-balancer = alb\ndns = web-dns\nstrategy = warm-standby\nstandby-capacity = 25%\n"
  "scale-up = lognormal(median=10min, sigma=0.5)\n"
  "replication = async(lag=lognormal(median=1s, sigma=1))\nwrites-per-second = 10\n"
  "[service api]\nregions = east, west\ninstances-per-zone = 1\nneeds = 2 zones\n"
  "dns = api-dns\nstrategy = pilot-light\nimage = ami\n";

/* Asserts that two runs wrote bit-identical rows and accumulators for every service. */
static void
expect_same_rows(const Sim *a, const Sim *b)
{
  gsize chunks = a->result->n_chunks;
  ck_assert_uint_eq(chunks, b->result->n_chunks);
  for (guint svc = 0; svc < a->result->n_services; svc++) {
    ck_assert(memcmp(&a->result->chunk_down_s[svc * chunks],
                     &b->result->chunk_down_s[svc * chunks], chunks * sizeof(double)) == 0);
    ck_assert(memcmp(&a->result->real_chunk_down_s[svc * chunks],
                     &b->result->real_chunk_down_s[svc * chunks], chunks * sizeof(double)) == 0);
    ck_assert(memcmp(&a->result->unserved_s[svc], &b->result->unserved_s[svc],
                     sizeof(double)) == 0);
    ck_assert_uint_eq(a->result->outages[svc], b->result->outages[svc]);
    ck_assert_uint_eq(a->result->failovers[svc], b->result->failovers[svc]);
    ck_assert_uint_eq(a->result->real_outages[svc], b->result->real_outages[svc]);
    const FlServiceAccum *x = &a->tally->svc[svc], *y = &b->tally->svc[svc];
    ck_assert(memcmp(&x->real_outage_hist, &y->real_outage_hist, sizeof(FlLogHist)) == 0);
    ck_assert(memcmp(&x->rto_hist, &y->rto_hist, sizeof(FlLogHist)) == 0);
    ck_assert(memcmp(&x->rpo_hist, &y->rpo_hist, sizeof(FlLogHist)) == 0);
    ck_assert(x->blocked == y->blocked && x->blocked_us == y->blocked_us);
  }
  ck_assert_uint_eq(a->tally->events, b->tally->events);
}

START_TEST(test_determinism)
{
  /* The same (seed, rep) gives bit-identical rows and accumulators on a fresh world, on a
   * world that ran other replications before, and with or without an observer. */
  g_autoptr(Sim) a = sim_new(random_text);
  g_autoptr(Sim) b = sim_new(random_text);
  fl_world_set_timeline(b->world, NULL, NULL);
  sim_run(a, 7);
  /* Not vacuous: region outages every 40 d on average take west down ~4.5 times a year. */
  ck_assert_uint_gt(a->result->failovers[0], 0);
  ck_assert_uint_gt(a->result->real_outages[1], 0);
  sim_run(b, 8);
  ck_assert(memcmp(&a->result->unserved_s[0], &b->result->unserved_s[0], sizeof(double)) != 0);
  sim_run(b, 7);
  expect_same_rows(a, b);
  /* The observer's world, reused, gives the same run again. */
  guint n_events = a->events->len;
  sim_run(a, 9);
  sim_run(a, 7);
  ck_assert_uint_eq(a->events->len, n_events);
  expect_same_rows(a, b);
}
END_TEST

START_TEST(test_timeline_matches_replication)
{
  /* fl_timeline_run replays replication 7 with the same random stream: the same events in the
   * same order as this suite's observer saw, and the real and ideal states it reports add up
   * to the replication's rows (outage counts exactly; durations to 1e-6 s, as JSON carries
   * the times). */
  g_autoptr(Sim) s = sim_new(random_text);
  sim_run(s, 7);
  g_autofree char *json = fl_timeline_run(s->sc, s->model, SEED, 7, s->sc->horizon_s, TRUE, NULL, 0);
  ck_assert_ptr_nonnull(json);
  g_auto(GStrv) lines = g_strsplit(json, "\n", -1);
  guint n = 0;
  guint n_svc = s->result->n_services;
  gboolean real_up[2] = { TRUE, TRUE }, ideal_up[2] = { TRUE, TRUE };
  double real_since[2] = { 0 }, ideal_since[2] = { 0 };
  double real_sum[2] = { 0 }, ideal_sum[2] = { 0 };
  guint real_n[2] = { 0 }, ideal_n[2] = { 0 };
  ck_assert_uint_eq(n_svc, 2);
  for (guint i = 0; lines[i] && *lines[i]; i++, n++) {
    g_autoptr(JsonParser) parser = json_parser_new();
    ck_assert(json_parser_load_from_data(parser, lines[i], -1, NULL));
    JsonObject *o = json_node_get_object(json_parser_get_root(parser));
    ck_assert_uint_lt(n, s->events->len);
    const Ev *e = &g_array_index(s->events, Ev, n);
    double t = json_object_get_double_member(o, "t");
    ck_assert_double_eq_tol(t, e->t_s, 1e-9 * MAX(1.0, e->t_s));
    ck_assert_str_eq(json_object_get_string_member(o, "component"), e->component);
    ck_assert_str_eq(json_object_get_string_member(o, "event"), e->event);
    JsonObject *svcs = json_object_get_object_member(o, "services");
    for (guint k = 0; k < n_svc; k++) {
      JsonObject *so = json_object_get_object_member(
        svcs, fl_scenario_service(s->sc, k)->name);
      gboolean real = json_object_get_boolean_member(so, "real");
      gboolean ideal = json_object_get_boolean_member(so, "ideal");
      if (k == 0) {
        ck_assert_int_eq(real, e->real);
        ck_assert_int_eq(ideal, e->ideal);
      }
      if (real != real_up[k]) {
        if (!real) {
          real_since[k] = t;
          real_n[k]++;
        } else {
          real_sum[k] += t - real_since[k];
        }
        real_up[k] = real;
      }
      if (ideal != ideal_up[k]) {
        if (!ideal) {
          ideal_since[k] = t;
          ideal_n[k]++;
        } else {
          ideal_sum[k] += t - ideal_since[k];
        }
        ideal_up[k] = ideal;
      }
    }
  }
  ck_assert_uint_eq(n, s->events->len);
  for (guint k = 0; k < n_svc; k++) {
    if (!real_up[k])
      real_sum[k] += s->sc->horizon_s - real_since[k];
    if (!ideal_up[k])
      ideal_sum[k] += s->sc->horizon_s - ideal_since[k];
    ck_assert_uint_eq(real_n[k], s->result->real_outages[k]);
    ck_assert_uint_eq(ideal_n[k], s->result->outages[k]);
    ck_assert_double_eq_tol(real_sum[k], s->result->real_chunk_down_s[k], 1e-6);
    ck_assert_double_eq_tol(ideal_sum[k], s->result->chunk_down_s[k], 1e-6);
  }
  ck_assert_uint_gt(real_n[0] + real_n[1], 0);
}
END_TEST

static Suite *
frontend_suite(void)
{
  Suite *s = suite_create("frontend");
  TCase *tc = tcase_create("route53");
  tcase_add_test(tc, test_failover_detection_and_failback);
  tcase_add_test(tc, test_failover_stale_clients);
  tcase_add_test(tc, test_failover_both_unhealthy_answers_primary);
  tcase_add_test(tc, test_no_health_check_always_healthy);
  tcase_add_test(tc, test_weighted_fail_open);
  tcase_add_test(tc, test_weighted_zero_weight_record);
  tcase_add_test(tc, test_weighted_region_without_record);
  tcase_add_test(tc, test_multivalue_equal_shares);
  tcase_add_test(tc, test_latency_nearest_healthy);
  tcase_add_test(tc, test_latency_list_order_without_locations);
  tcase_add_test(tc, test_latency_region_without_record);
  suite_add_tcase(s, tc);

  tc = tcase_create("api");
  tcase_add_test(tc, test_api_failover_blocked_by_control_plane);
  tcase_add_test(tc, test_api_failback_blocked_costs_nothing);
  tcase_add_test(tc, test_api_blocked_through_horizon);
  tcase_add_test(tc, test_api_primary_recovers_while_edit_waits);
  tcase_add_test(tc, test_api_primary_recovers_before_decision);
  suite_add_tcase(s, tc);

  tc = tcase_create("dr");
  tcase_add_test(tc, test_warm_standby_scale_up);
  tcase_add_test(tc, test_warm_standby_scaled_up_then_partial);
  tcase_add_test(tc, test_warm_standby_waits_for_image);
  tcase_add_test(tc, test_warm_standby_enough_at_once);
  tcase_add_test(tc, test_injected_partition_rpo);
  tcase_add_test(tc, test_rpo_follows_lag_distribution);
  tcase_add_test(tc, test_injected_partition_healed_during_detection);
  tcase_add_test(tc, test_injected_partition_healed_before_failover);
  tcase_add_test(tc, test_warm_standby_scale_up_with_ttl);
  tcase_add_test(tc, test_pilot_light_image_copied);
  tcase_add_test(tc, test_pilot_light_image_copied_once);
  tcase_add_test(tc, test_pilot_light_stands_down_without_failover);
  suite_add_tcase(s, tc);

  tc = tcase_create("lb-eip");
  tcase_add_test(tc, test_lb_readmission_counts);
  tcase_add_test(tc, test_lb_fail_open);
  tcase_add_test(tc, test_lb_cross_zone_off);
  tcase_add_test(tc, test_lb_cross_zone_on);
  tcase_add_test(tc, test_lb_partial_capacity);
  tcase_add_test(tc, test_eip_zone_down_remaps);
  tcase_add_test(tc, test_eip_prefers_another_zone);
  tcase_add_test(tc, test_eip_waits_for_repair);
  suite_add_tcase(s, tc);

  tc = tcase_create("determinism");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_determinism);
  tcase_add_test(tc, test_timeline_matches_replication);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(frontend_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
