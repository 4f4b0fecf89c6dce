/* check_scenario_mr.c - the multi-region scenario language (issue 3, docs/multi-region.md):
 * [load-balancer], [dns], [image], [inject], the DR keys of [service], [scenario]
 * random-failures and the new failure targets. Valid files must load with every value right;
 * every class of bad input must fail with its error code and a message that names the file,
 * the line, the [group], the key and what would be valid (scenario.h, STYLE.md rule 10).
 */
#include "config.h"

#include "faultline/scenario.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "faultline/errors.h"
#include "faultline/units.h"
#include "scenario_checks.h"

/* ---- helpers ---- */


/* The example of issue 3, exactly as written there. */
static const char issue_example[] =
  "[scenario]\n"
  "name = Two regions, warm standby behind Route 53 failover\n"
  "horizon = 1y\n"
  "replications = 2000\n"
  "seed = 11\n"
  "\n"
  "[region us-west-1]\n"
  "zones = 3\n"
  "\n"
  "[region us-east-1]\n"
  "zones = 3\n"
  "\n"
  "[failure zone-outage]\n"
  "target = zone\n"
  "time-to-failure = exponential(mean=2y)\n"
  "time-to-repair = lognormal(median=3h, sigma=1)\n"
  "\n"
  "[failure region-outage]\n"
  "target = region\n"
  "time-to-failure = exponential(mean=5y)\n"
  "time-to-repair = lognormal(median=6h, sigma=1)\n"
  "\n"
  "[load-balancer web-alb]           # one per region the service runs in; spans only that "
  "region's zones\n"
  "health-check = interval=30s, unhealthy-threshold=2, healthy-threshold=5\n"
  "cross-zone = yes\n"
  "\n"
  "[dns web-dns]\n"
  "policy = failover                 # failover | weighted | latency | multivalue\n"
  "primary = us-west-1\n"
  "secondary = us-east-1\n"
  "ttl = 60s\n"
  "health-check = interval=30s, failure-threshold=3\n"
  "stale-clients = 5% for 1h         # clients that ignore the TTL (a JVM caching until "
  "restart, say)\n"
  "\n"
  "[image web-ami]\n"
  "size = 100GB\n"
  "home = us-west-1\n"
  "copy-rate = 100GB/h               # not pre-copied anywhere: a recovery in us-east-1 waits "
  "for it\n"
  "\n"
  "[service web]\n"
  "regions = us-west-1, us-east-1\n"
  "instances-per-zone = 2\n"
  "needs = 3 instances\n"
  "load-balancer = web-alb\n"
  "dns = web-dns\n"
  "strategy = warm-standby           # backup-restore | pilot-light | warm-standby | "
  "active-active\n"
  "standby-capacity = 25%\n"
  "scale-up = fixed(10min)\n"
  "image = web-ami\n"
  "replication = async(lag=lognormal(median=1s, sigma=1))\n"
  "writes-per-second = 200\n";

/* Building blocks; the comments give the lines they occupy when a test starts with them. */
#define TWO_REGIONS "[region us-west-1]\nzones = 3\n[region us-east-1]\nzones = 3\n" /* 1-4 */
#define DNS_FAILOVER                                                                            \
  "[dns d]\npolicy = failover\nprimary = us-west-1\nsecondary = us-east-1\n" /* 5-8 */
#define SERVICE_HEAD "[service web]\ninstances-per-zone = 2\nneeds = 3 instances\n"
/* TWO_REGIONS DNS_FAILOVER SERVICE_HEAD puts [service web] on line 9, its next key on 12. */
#define WITH_DNS TWO_REGIONS DNS_FAILOVER SERVICE_HEAD "dns = d\n"   /* dns on line 12 */

/* ---- valid files ---- */

START_TEST(test_issue_example)
{
  g_autoptr(FlScenario) sc = LOAD_OK(issue_example);
  ck_assert_str_eq(sc->name, "Two regions, warm standby behind Route 53 failover");
  ck_assert_double_eq(sc->horizon_s, FL_SECONDS_PER_YEAR);
  ck_assert_uint_eq(sc->replications, 2000);
  ck_assert_uint_eq(sc->seed, 11);
  ck_assert(sc->random_failures); /* default yes */
  ck_assert_uint_eq(sc->regions->len, 2);
  ck_assert_uint_eq(sc->failures->len, 2);
  ck_assert_uint_eq(sc->injects->len, 0);

  ck_assert_uint_eq(sc->load_balancers->len, 1);
  const FlLoadBalancerSpec *lb = fl_scenario_load_balancer(sc, 0);
  ck_assert_str_eq(lb->name, "web-alb");
  ck_assert_double_eq(lb->hc_interval_s, 30.0);
  ck_assert_uint_eq(lb->unhealthy_threshold, 2);
  ck_assert_uint_eq(lb->healthy_threshold, 5);
  ck_assert_double_eq(lb->hc_timeout_s, 5.0); /* ALB default */
  ck_assert(lb->cross_zone);

  ck_assert_uint_eq(sc->dns->len, 1);
  const FlDnsSpec *d = fl_scenario_dns(sc, 0);
  ck_assert_str_eq(d->name, "web-dns");
  ck_assert_int_eq(d->policy, FL_DNS_FAILOVER);
  ck_assert_int_eq(d->primary, 0);   /* us-west-1 */
  ck_assert_int_eq(d->secondary, 1); /* us-east-1 */
  ck_assert_ptr_null(d->weights);
  ck_assert_ptr_null(d->client_share);
  ck_assert_ptr_null(d->has_record);
  ck_assert_double_eq(d->ttl_s, 60.0);
  ck_assert(d->has_health_check);
  ck_assert_double_eq(d->hc_interval_s, 30.0);
  ck_assert_uint_eq(d->failure_threshold, 3);
  ck_assert_uint_eq(d->checkers, 15);
  ck_assert_double_eq_tol(d->healthy_above, 0.18, 1e-15);
  ck_assert_double_eq_tol(d->stale_share, 0.05, 1e-15);
  ck_assert_double_eq(d->stale_for_s, 3600.0);
  ck_assert_int_eq(d->failover, FL_FAILOVER_HEALTH_CHECK);
  ck_assert_double_eq(d->propagation_s, 60.0);

  ck_assert_uint_eq(sc->images->len, 1);
  const FlImageSpec *im = fl_scenario_image(sc, 0);
  ck_assert_str_eq(im->name, "web-ami");
  ck_assert_double_eq(im->size_gb, 100.0);
  ck_assert_uint_eq(im->home, 0);
  ck_assert_uint_eq(im->present[0], 1); /* only at home */
  ck_assert_uint_eq(im->present[1], 0);
  ck_assert_double_eq(im->copy_rate_gb_per_h, 100.0);
  ck_assert_double_eq(im->copy_time_s, 0.0);

  const FlServiceSpec *s = fl_scenario_service(sc, 0);
  ck_assert_uint_eq(s->n_regions, 2);
  ck_assert_int_eq(s->load_balancer, 0);
  ck_assert_int_eq(s->dns, 0);
  ck_assert_int_eq(s->strategy, FL_STRATEGY_WARM_STANDBY);
  ck_assert_double_eq_tol(s->standby_capacity, 0.25, 1e-15);
  ck_assert_ptr_nonnull(s->scale_up);
  ck_assert_int_eq(s->scale_up->kind, FL_DIST_FIXED);
  ck_assert_double_eq(s->scale_up->p1, 600.0);
  ck_assert_ptr_null(s->launch); /* a warm standby scales up, it does not launch */
  ck_assert_int_eq(s->image, 0);
  ck_assert_int_eq(s->replication, FL_REPLICATION_ASYNC);
  ck_assert_ptr_nonnull(s->lag);
  ck_assert_int_eq(s->lag->kind, FL_DIST_LOGNORMAL);
  ck_assert_double_eq_tol(s->lag->p1, 0.0, 1e-15); /* mu = ln(median 1 s) */
  ck_assert_double_eq(s->lag->p2, 1.0);
  ck_assert_double_eq(s->writes_per_second, 200.0);
  ck_assert(!s->eip);
  ck_assert_double_eq(s->eip_remap_s, 10.0);
  ck_assert_double_eq(s->backup_interval_s, 86400.0);
  ck_assert_double_eq(s->restore_rate_gb_per_h, 100.0);
  ck_assert_double_eq(s->data_size_gb, 0.0);
}
END_TEST

/* Every shipped multi-region scenario loads; warm-standby.ini holds the issue's example
 * verbatim. */
START_TEST(test_shipped_scenarios)
{
  static const char *const files[] = { "warm-standby", "backup-restore", "pilot-light",
                                       "active-active", "eip-pair", "control-plane-outage" };
  for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
    g_autofree char *path = g_strdup_printf("%s/scenarios/%s.ini", FL_TEST_SRCDIR, files[i]);
    g_autoptr(GError) error = NULL;
    g_autoptr(FlScenario) sc = fl_scenario_load(path, &error);
    ck_assert_msg(sc != NULL, "%s: %s", path, error ? error->message : "?");
  }
  g_autofree char *text = NULL;
  ck_assert(g_file_get_contents(FL_TEST_SRCDIR "/scenarios/warm-standby.ini", &text, NULL,
                                NULL));
  ck_assert_msg(strstr(text, issue_example) != NULL,
                "scenarios/warm-standby.ini does not hold the example of issue 3 verbatim");
}
END_TEST

START_TEST(test_load_balancer_values)
{
  g_autoptr(FlScenario) sc = LOAD_OK(TWO_REGIONS
                                     "[load-balancer a]\n" /* nothing given: ALB defaults */
                                     "[load-balancer b]\n"
                                     "health-check = timeout=4s, interval=10s\n"
                                     "cross-zone = no\n"
                                     "[load-balancer c]\n"
                                     "health-check = unhealthy-threshold=10, healthy-threshold=2\n"
                                     "cross-zone = false\n"
                                     "[load-balancer e]\n"
                                     "health-check = interval=300s, timeout=120s\n"
                                     "cross-zone = true\n"
                                     SERVICE_HEAD "load-balancer = b\n");
  ck_assert_uint_eq(sc->load_balancers->len, 4);
  const FlLoadBalancerSpec *a = fl_scenario_load_balancer(sc, 0);
  ck_assert_double_eq(a->hc_interval_s, 30.0);
  ck_assert_uint_eq(a->unhealthy_threshold, 2);
  ck_assert_uint_eq(a->healthy_threshold, 5);
  ck_assert_double_eq(a->hc_timeout_s, 5.0);
  ck_assert(a->cross_zone);
  const FlLoadBalancerSpec *b = fl_scenario_load_balancer(sc, 1);
  ck_assert_double_eq(b->hc_interval_s, 10.0);
  ck_assert_double_eq(b->hc_timeout_s, 4.0);
  ck_assert_uint_eq(b->unhealthy_threshold, 2);
  ck_assert(!b->cross_zone);
  const FlLoadBalancerSpec *c = fl_scenario_load_balancer(sc, 2);
  ck_assert_uint_eq(c->unhealthy_threshold, 10);
  ck_assert_uint_eq(c->healthy_threshold, 2);
  ck_assert(!c->cross_zone);
  const FlLoadBalancerSpec *e = fl_scenario_load_balancer(sc, 3);
  ck_assert_double_eq(e->hc_interval_s, 300.0);
  ck_assert_double_eq(e->hc_timeout_s, 120.0);
  ck_assert(e->cross_zone);
  ck_assert_int_eq(fl_scenario_service(sc, 0)->load_balancer, 1);
  ck_assert_int_eq(fl_scenario_service(sc, 0)->dns, -1); /* no DNS: ideal failover */
  ck_assert_int_eq(fl_scenario_service(sc, 0)->strategy, FL_STRATEGY_NONE);
}
END_TEST

START_TEST(test_policy_failover)
{
  g_autoptr(FlScenario) sc = LOAD_OK(WITH_DNS);
  const FlDnsSpec *d = fl_scenario_dns(sc, 0);
  ck_assert_int_eq(d->policy, FL_DNS_FAILOVER);
  ck_assert_int_eq(d->primary, 0);
  ck_assert_int_eq(d->secondary, 1);
  /* Without a health-check key the records are always healthy (Route 53's rule). */
  ck_assert(!d->has_health_check);
  ck_assert_double_eq(d->ttl_s, 60.0);
  ck_assert_double_eq(d->stale_share, 0.0);
  ck_assert_int_eq(d->failover, FL_FAILOVER_HEALTH_CHECK);
  ck_assert_int_eq(fl_scenario_service(sc, 0)->dns, 0);
}
END_TEST

START_TEST(test_policy_weighted)
{
  g_autoptr(FlScenario) sc = LOAD_OK(TWO_REGIONS "[region eu-west-1]\nzones = 2\n"
                                     "[dns w]\npolicy = weighted\n"
                                     "weights = us-west-1=1, us-east-1 = 3, eu-west-1=0\n"
                                     "ttl = 0s\n" /* zero is allowed */
                                     SERVICE_HEAD "dns = w\nstrategy = active-active\n");
  const FlDnsSpec *d = fl_scenario_dns(sc, 0);
  ck_assert_int_eq(d->policy, FL_DNS_WEIGHTED);
  ck_assert_int_eq(d->primary, -1);
  ck_assert_int_eq(d->secondary, -1);
  ck_assert_ptr_nonnull(d->weights);
  ck_assert_double_eq(d->weights[0], 1.0);
  ck_assert_double_eq(d->weights[1], 3.0);
  ck_assert_double_eq(d->weights[2], 0.0);
  ck_assert_uint_eq(d->has_record[2], 1); /* a weight-0 record is still a record */
  ck_assert_ptr_null(d->client_share);
  ck_assert_double_eq(d->ttl_s, 0.0);
  ck_assert_int_eq(fl_scenario_service(sc, 0)->strategy, FL_STRATEGY_ACTIVE_ACTIVE);
}
END_TEST

START_TEST(test_policy_latency)
{
  /* Both spellings, "REGION P%" and "REGION=P%". */
  static const char *const clients[] = { "us-west-1 60%, us-east-1 40%",
                                         "us-west-1=60%, us-east-1 = 40%",
                                         "us-west-1 33.333%, us-east-1 66.667%" };
  static const double west[] = { 0.6, 0.6, 0.33333 };
  for (gsize i = 0; i < G_N_ELEMENTS(clients); i++) {
    g_autofree char *text = g_strdup_printf(TWO_REGIONS "[dns l]\npolicy = latency\n"
                                            "clients = %s\n" SERVICE_HEAD "dns = l\n",
                                            clients[i]);
    g_autoptr(FlScenario) sc = LOAD_OK(text);
    const FlDnsSpec *d = fl_scenario_dns(sc, 0);
    ck_assert_int_eq(d->policy, FL_DNS_LATENCY);
    ck_assert_ptr_nonnull(d->client_share);
    ck_assert_double_eq_tol(d->client_share[0], west[i], 1e-12);
    ck_assert_double_eq_tol(d->client_share[0] + d->client_share[1], 1.0, 1e-4);
    ck_assert_ptr_null(d->weights);
    ck_assert_int_eq(d->primary, -1);
  }
}
END_TEST

START_TEST(test_policy_multivalue)
{
  g_autoptr(FlScenario) sc = LOAD_OK(TWO_REGIONS "[dns m]\npolicy = multivalue\n"
                                     "health-check = interval=10s, failure-threshold=1, "
                                     "checkers=3, healthy-above=50%\n"
                                     SERVICE_HEAD "dns = m\n");
  const FlDnsSpec *d = fl_scenario_dns(sc, 0);
  ck_assert_int_eq(d->policy, FL_DNS_MULTIVALUE);
  ck_assert_ptr_null(d->weights);
  ck_assert_ptr_null(d->client_share);
  ck_assert_ptr_null(d->has_record);
  ck_assert(d->has_health_check);
  ck_assert_double_eq(d->hc_interval_s, 10.0);
  ck_assert_uint_eq(d->failure_threshold, 1);
  ck_assert_uint_eq(d->checkers, 3);
  ck_assert_double_eq(d->healthy_above, 0.5);
}
END_TEST

START_TEST(test_api_failover)
{
  g_autoptr(FlScenario) sc = LOAD_OK(TWO_REGIONS DNS_FAILOVER
                                     "health-check = failure-threshold=10\n"
                                     "failover = api(decision=15min)\n"
                                     "propagation = 2min\n"
                                     "stale-clients = 0% for 1s\n"
                                     "[failure r53]\ntarget = dns-control-plane\n"
                                     "time-to-failure = exponential(mean=3y)\n"
                                     "time-to-repair = fixed(4h)\n"
                                     SERVICE_HEAD "dns = d\n");
  const FlDnsSpec *d = fl_scenario_dns(sc, 0);
  ck_assert_int_eq(d->failover, FL_FAILOVER_API);
  ck_assert_double_eq(d->decision_s, 900.0);
  ck_assert_double_eq(d->propagation_s, 120.0);
  ck_assert_double_eq(d->hc_interval_s, 30.0); /* not given: the standard interval */
  ck_assert_uint_eq(d->failure_threshold, 10);
  ck_assert_double_eq(d->stale_share, 0.0);
  ck_assert_double_eq(d->stale_for_s, 1.0);
  ck_assert_int_eq(fl_scenario_failure(sc, 0)->target, FL_TARGET_DNS_CONTROL_PLANE);

  /* A decision of zero: a script edits the record as soon as the verdict comes. */
  g_autoptr(FlScenario) sc2 = LOAD_OK(TWO_REGIONS DNS_FAILOVER
                                      "health-check = interval=30s\n"
                                      "failover = api(decision=0s)\n" SERVICE_HEAD "dns = d\n");
  ck_assert_double_eq(fl_scenario_dns(sc2, 0)->decision_s, 0.0);
  ck_assert_double_eq(fl_scenario_dns(sc2, 0)->propagation_s, 60.0);
}
END_TEST

START_TEST(test_image_values)
{
  g_autoptr(FlScenario) sc = LOAD_OK("[region a]\nzones = 1\n[region b]\nzones = 1\n"
                                     "[region c]\nzones = 1\n"
                                     "[image i1]\nsize = 2TiB\nhome = b\ncopied-to = a, c\n"
                                     "copy-rate = 500MiB/s\n"
                                     "[image i2]\nsize = 512MB\nhome = a\n"
                                     "copy = time-based(2h)\n"
                                     "[image i3]\nsize = 1.5 GiB\nhome = c\ncopy-rate = 2TB/d\n"
                                     "[image i4]\nsize = 1TB\nhome = a\ncopy-rate = 10GB/min\n"
                                     "[service web]\ninstances-per-zone = 1\n"
                                     "needs = 1 instance\nimage = i2\n");
  const FlImageSpec *i1 = fl_scenario_image(sc, 0);
  ck_assert_double_eq_tol(i1->size_gb, 2.0 * 1099511627776.0 / 1e9, 1e-9);
  ck_assert_uint_eq(i1->home, 1);
  ck_assert_uint_eq(i1->present[0], 1);
  ck_assert_uint_eq(i1->present[1], 1);
  ck_assert_uint_eq(i1->present[2], 1);
  /* 500 MiB/s = 0.524288 GB/s = 1887.4368 GB/h */
  ck_assert_double_eq_tol(i1->copy_rate_gb_per_h, 500.0 * 1048576.0 / 1e9 * 3600.0, 1e-9);
  const FlImageSpec *i2 = fl_scenario_image(sc, 1);
  ck_assert_double_eq_tol(i2->size_gb, 0.512, 1e-12);
  ck_assert_uint_eq(i2->present[1], 0);
  ck_assert_double_eq(i2->copy_time_s, 7200.0);
  ck_assert_double_eq(i2->copy_rate_gb_per_h, 0.0);
  const FlImageSpec *i3 = fl_scenario_image(sc, 2);
  ck_assert_double_eq_tol(i3->size_gb, 1.5 * 1.073741824, 1e-12);
  ck_assert_double_eq_tol(i3->copy_rate_gb_per_h, 2000.0 / 24.0, 1e-9);
  ck_assert_double_eq_tol(fl_scenario_image(sc, 3)->copy_rate_gb_per_h, 600.0, 1e-9);
  ck_assert_int_eq(fl_scenario_service(sc, 0)->image, 1);
  /* The bounds of time-based copies: 15 min and 48 h. */
  g_autoptr(FlScenario) lo = LOAD_OK("[region a]\nzones = 1\n[image i]\nsize = 1GB\nhome = a\n"
                                     "copy = time-based(15min)\n[service s]\n"
                                     "instances-per-zone = 1\nneeds = 1 instance\n");
  ck_assert_double_eq(fl_scenario_image(lo, 0)->copy_time_s, 900.0);
  g_autoptr(FlScenario) hi = LOAD_OK("[region a]\nzones = 1\n[image i]\nsize = 1GB\nhome = a\n"
                                     "copy = time-based(48h)\n[service s]\n"
                                     "instances-per-zone = 1\nneeds = 1 instance\n");
  ck_assert_double_eq(fl_scenario_image(hi, 0)->copy_time_s, 48.0 * 3600.0);
}
END_TEST

START_TEST(test_strategies)
{
  /* backup-restore: launch defaults to fixed(5min); its own keys. */
  g_autoptr(FlScenario) br = LOAD_OK(WITH_DNS "strategy = backup-restore\n"
                                     "backup-interval = 12h\nrestore-rate = 50GB/h\n"
                                     "data-size = 1TB\nreplication = sync\n");
  const FlServiceSpec *s = fl_scenario_service(br, 0);
  ck_assert_int_eq(s->strategy, FL_STRATEGY_BACKUP_RESTORE);
  ck_assert_ptr_nonnull(s->launch);
  ck_assert_int_eq(s->launch->kind, FL_DIST_FIXED);
  ck_assert_double_eq(s->launch->p1, 300.0);
  ck_assert_double_eq(s->backup_interval_s, 43200.0);
  ck_assert_double_eq(s->restore_rate_gb_per_h, 50.0);
  ck_assert_double_eq(s->data_size_gb, 1000.0);
  ck_assert_int_eq(s->replication, FL_REPLICATION_SYNC);
  ck_assert_ptr_null(s->lag);
  ck_assert_ptr_null(s->scale_up);

  /* pilot-light with its own launch time. */
  g_autoptr(FlScenario) pl = LOAD_OK(WITH_DNS "strategy = pilot-light\n"
                                     "launch = uniform(min=5min, max=15min)\n"
                                     "writes-per-second = 0\n");
  s = fl_scenario_service(pl, 0);
  ck_assert_int_eq(s->strategy, FL_STRATEGY_PILOT_LIGHT);
  ck_assert_int_eq(s->launch->kind, FL_DIST_UNIFORM);
  ck_assert_double_eq(s->launch->p2, 900.0);
  ck_assert_int_eq(s->replication, FL_REPLICATION_NONE);
  ck_assert_double_eq(s->writes_per_second, 0.0);

  /* warm-standby at the bounds of standby-capacity. */
  g_autoptr(FlScenario) ws = LOAD_OK(WITH_DNS "strategy = warm-standby\n"
                                     "standby-capacity = 100%\n"
                                     "scale-up = exponential(mean=10min)\n");
  s = fl_scenario_service(ws, 0);
  ck_assert_double_eq(s->standby_capacity, 1.0);
  ck_assert_ptr_null(s->launch);

  /* active-active with latency routing. */
  g_autoptr(FlScenario) aa = LOAD_OK(TWO_REGIONS "[dns l]\npolicy = latency\n"
                                     "clients = us-west-1 50%, us-east-1 50%\n"
                                     SERVICE_HEAD "dns = l\nstrategy = active-active\n");
  s = fl_scenario_service(aa, 0);
  ck_assert_int_eq(s->strategy, FL_STRATEGY_ACTIVE_ACTIVE);
  ck_assert_ptr_null(s->launch);
  ck_assert_ptr_null(s->scale_up);
}
END_TEST

START_TEST(test_eip_single_region)
{
  g_autoptr(FlScenario) sc = LOAD_OK(TWO_REGIONS "[service web]\nregions = us-east-1\n"
                                     "instances-per-zone = 1\nneeds = 1 instance\n"
                                     "eip = yes\neip-remap = 30s\n");
  const FlServiceSpec *s = fl_scenario_service(sc, 0);
  ck_assert(s->eip);
  ck_assert_double_eq(s->eip_remap_s, 30.0);
  /* eip = no on a service in two regions is fine. */
  g_autoptr(FlScenario) no = LOAD_OK(TWO_REGIONS SERVICE_HEAD "eip = no\n");
  ck_assert(!fl_scenario_service(no, 0)->eip);
}
END_TEST

START_TEST(test_injects)
{
  g_autoptr(FlScenario) sc = LOAD_OK(TWO_REGIONS DNS_FAILOVER
                                     "[load-balancer alb]\n"
                                     SERVICE_HEAD "dns = d\nload-balancer = alb\n"
                                     "[inject a]\nat = 0s\nfail = region us-east-1\nfor = 6h\n"
                                     "[inject b]\nat = 10d\nfail = zone us-west-1b\nfor = 1h\n"
                                     "[inject c]\nat = 1d\nfail = 3 instances us-west-1\n"
                                     "for = 30min\n"
                                     "[inject d]\nat = 2d\nfail = 1 instance us-east-1\n"
                                     "for = 1min\n"
                                     "[inject e]\nat = 3d\nfail = load-balancer us-west-1\n"
                                     "for = 2h\n"
                                     "[inject f]\nat = 364d\nfail = dns-control-plane\n"
                                     "for = 30d\n" /* may outlast the horizon */
                                     "[scenario]\nrandom-failures = no\n");
  ck_assert(!sc->random_failures);
  ck_assert_uint_eq(sc->injects->len, 6);
  const FlInjectSpec *in = fl_scenario_inject(sc, 0);
  ck_assert_str_eq(in->name, "a");
  ck_assert_double_eq(in->at_s, 0.0);
  ck_assert_double_eq(in->for_s, 6 * 3600.0);
  ck_assert_int_eq(in->target, FL_TARGET_REGION);
  ck_assert_int_eq(in->region, 1);
  ck_assert_int_eq(in->zone, -1);
  in = fl_scenario_inject(sc, 1);
  ck_assert_int_eq(in->target, FL_TARGET_ZONE);
  ck_assert_int_eq(in->zone, 1); /* us-west-1b */
  ck_assert_int_eq(in->region, -1);
  ck_assert_double_eq(in->at_s, 10 * 86400.0);
  in = fl_scenario_inject(sc, 2);
  ck_assert_int_eq(in->target, FL_TARGET_INSTANCE);
  ck_assert_int_eq(in->region, 0);
  ck_assert_uint_eq(in->count, 3);
  in = fl_scenario_inject(sc, 3);
  ck_assert_int_eq(in->target, FL_TARGET_INSTANCE);
  ck_assert_int_eq(in->region, 1);
  ck_assert_uint_eq(in->count, 1);
  in = fl_scenario_inject(sc, 4);
  ck_assert_int_eq(in->target, FL_TARGET_LOAD_BALANCER);
  ck_assert_int_eq(in->region, 0);
  in = fl_scenario_inject(sc, 5);
  ck_assert_int_eq(in->target, FL_TARGET_DNS_CONTROL_PLANE);
  ck_assert_int_eq(in->region, -1);
  ck_assert_double_eq(in->for_s, 30 * 86400.0);

  g_autoptr(FlScenario) yes = LOAD_OK("[scenario]\nrandom-failures = yes\n" TWO_REGIONS
                                      SERVICE_HEAD);
  ck_assert(yes->random_failures);

  /* "N instances of R" and "N instances in R" read as "N instances R". */
  g_autoptr(FlScenario) of = LOAD_OK(TWO_REGIONS SERVICE_HEAD
                                     "[inject g]\nat = 1h\nfail = 2 instances of us-west-1\n"
                                     "for = 1h\n"
                                     "[inject h]\nat = 1h\nfail = 1 instance in us-east-1\n"
                                     "for = 1h\n");
  in = fl_scenario_inject(of, 0);
  ck_assert_int_eq(in->target, FL_TARGET_INSTANCE);
  ck_assert_int_eq(in->region, 0);
  ck_assert_uint_eq(in->count, 2);
  in = fl_scenario_inject(of, 1);
  ck_assert_int_eq(in->target, FL_TARGET_INSTANCE);
  ck_assert_int_eq(in->region, 1);
  ck_assert_uint_eq(in->count, 1);
}
END_TEST

START_TEST(test_new_failure_targets)
{
  g_autoptr(FlScenario) sc = LOAD_OK("[region a]\nzones = 2\n[region b]\nzones = 2\n"
                                     "[region c]\nzones = 1\n"
                                     "[load-balancer alb]\n"
                                     "[failure lb]\ntarget = load-balancer\nwhere = b\n"
                                     "time-to-failure = exponential(mean=1y)\n"
                                     "time-to-repair = fixed(1h)\n"
                                     "[failure lb-all]\ntarget = load-balancer\n"
                                     "time-to-failure = exponential(mean=1y)\n"
                                     "time-to-repair = fixed(1h)\n"
                                     "[service web]\nregions = a, b\ninstances-per-zone = 1\n"
                                     "needs = 1 instance\nload-balancer = alb\n");
  const FlFailureSpec *f = fl_scenario_failure(sc, 0);
  ck_assert_int_eq(f->target, FL_TARGET_LOAD_BALANCER);
  ck_assert_uint_eq(f->region_in_scope[0], 0);
  ck_assert_uint_eq(f->region_in_scope[1], 1);
  ck_assert_uint_eq(f->region_in_scope[2], 0);
  f = fl_scenario_failure(sc, 1);
  for (guint r = 0; r < 3; r++)
    ck_assert_uint_eq(f->region_in_scope[r], 1);
}
END_TEST

/* ---- [load-balancer] errors ---- */

#define LB_HEAD TWO_REGIONS "[load-balancer alb]\n" /* header line 5, first key line 6 */

START_TEST(test_bad_load_balancer)
{
  EXPECT_ERROR(LB_HEAD "health-check = interval=3s\n" SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE,
               "interval '3s' is out of range", "test.ini:6, [load-balancer alb] health-check",
               "5s to 300s");
  EXPECT_ERROR(LB_HEAD "health-check = interval=301s\n" SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE,
               "test.ini:6, [load-balancer alb] health-check", "5s to 300s");
  EXPECT_ERROR(LB_HEAD "health-check = unhealthy-threshold=11\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "unhealthy-threshold", "11 is out of range",
               "test.ini:6, [load-balancer alb] health-check", "2 to 10");
  EXPECT_ERROR(LB_HEAD "health-check = healthy-threshold=1\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "healthy-threshold", "test.ini:6", "2 to 10");
  EXPECT_ERROR(LB_HEAD "health-check = timeout=1s\n" SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE,
               "timeout '1s'", "test.ini:6, [load-balancer alb] health-check", "2s to 120s");
  EXPECT_ERROR(LB_HEAD "health-check = interval=10s, timeout=10s\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "timeout 10s is not shorter than the interval",
               "test.ini:6, [load-balancer alb] health-check", "timeout < interval");
  EXPECT_ERROR(LB_HEAD "health-check = intervall=30s\n" SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE,
               "unknown health-check parameter 'intervall'",
               "test.ini:6, [load-balancer alb] health-check", "did you mean 'interval'?",
               "interval, unhealthy-threshold, healthy-threshold, timeout");
  EXPECT_ERROR(LB_HEAD "health-check = 30s\n" SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE,
               "'30s' is not NAME=VALUE", "test.ini:6, [load-balancer alb] health-check",
               "interval=30s");
  EXPECT_ERROR(LB_HEAD "health-check = interval=30s, interval=10s\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_DUPLICATE, "interval is given twice", "test.ini:6",
               "give it once");
  EXPECT_ERROR(LB_HEAD "health-check = interval=\n" SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE,
               "interval has no value", "test.ini:6", "interval=30s");
  EXPECT_ERROR(LB_HEAD "cross-zone = maybe\n" SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE,
               "'maybe' is not yes or no", "test.ini:6, [load-balancer alb] cross-zone",
               "yes, no, true or false");
  EXPECT_ERROR(LB_HEAD "crosszone = yes\n" SERVICE_HEAD, FL_SCENARIO_ERROR_UNKNOWN,
               "unknown key 'crosszone'", "test.ini:6, [load-balancer alb] crosszone",
               "did you mean 'cross-zone'?");
}
END_TEST

/* ---- [dns] errors ---- */

#define DNS_HEAD TWO_REGIONS "[dns d]\n" /* header line 5, first key line 6 */

START_TEST(test_bad_dns_policy)
{
  EXPECT_ERROR(DNS_HEAD "ttl = 60s\n" SERVICE_HEAD, FL_SCENARIO_ERROR_MISSING,
               "missing key 'policy'", "test.ini:5, [dns d]", "policy = failover");
  EXPECT_ERROR(DNS_HEAD "policy = failvoer\n" SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE,
               "unknown policy 'failvoer'", "test.ini:6, [dns d] policy",
               "did you mean 'failover'?", "failover, weighted, latency, multivalue");
  EXPECT_ERROR(DNS_HEAD "policy = geolocation\n" SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE,
               "unknown policy 'geolocation'", "test.ini:6, [dns d] policy",
               "failover, weighted, latency, multivalue");
  EXPECT_ERROR(DNS_HEAD "policy = weighted\nprimary = us-west-1\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "primary applies only to policy = failover, not weighted",
               "test.ini:7, [dns d] primary", "change the policy");
  EXPECT_ERROR(DNS_HEAD "policy = failover\nprimary = us-west-1\nsecondary = us-east-1\n"
               "weights = us-west-1=1\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "weights applies only to policy = weighted",
               "test.ini:9, [dns d] weights");
  EXPECT_ERROR(DNS_HEAD "policy = multivalue\nclients = us-west-1 100%\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "clients applies only to policy = latency",
               "test.ini:7, [dns d] clients");
}
END_TEST

START_TEST(test_bad_failover_records)
{
  EXPECT_ERROR(DNS_HEAD "policy = failover\nprimary = us-west-1\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_MISSING, "missing key 'secondary'", "test.ini:5, [dns d]",
               "needs both primary and secondary", "secondary = us-east-1");
  EXPECT_ERROR(DNS_HEAD "policy = failover\nsecondary = us-east-1\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_MISSING, "missing key 'primary'", "test.ini:5, [dns d]",
               "needs both primary and secondary");
  EXPECT_ERROR(DNS_HEAD "policy = failover\n" SERVICE_HEAD, FL_SCENARIO_ERROR_MISSING,
               "missing key 'primary'", "test.ini:5, [dns d]", "primary = us-west-1");
  EXPECT_ERROR(DNS_HEAD "policy = failover\nprimary = us-west-1\nsecondary = us-west-1\n"
               SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE,
               "secondary is the same region as primary (us-west-1)",
               "test.ini:8, [dns d] secondary", "another region");
  EXPECT_ERROR(DNS_HEAD "policy = failover\nprimary = us-wset-1\nsecondary = us-east-1\n"
               SERVICE_HEAD, FL_SCENARIO_ERROR_REFERENCE, "unknown region 'us-wset-1'",
               "test.ini:7, [dns d] primary", "did you mean 'us-west-1'?");
  EXPECT_ERROR(DNS_HEAD "policy = failover\nprimary = us-west-1\nsecondary = mars\n"
               SERVICE_HEAD, FL_SCENARIO_ERROR_REFERENCE, "unknown region 'mars'",
               "test.ini:8, [dns d] secondary", "regions are: us-west-1, us-east-1");
  EXPECT_ERROR(DNS_HEAD "policy = failover\nprimary = us-west-1a\nsecondary = us-east-1\n"
               SERVICE_HEAD, FL_SCENARIO_ERROR_REFERENCE, "'us-west-1a' is a zone, not a region",
               "test.ini:7, [dns d] primary", "name its region 'us-west-1'");
}
END_TEST

START_TEST(test_bad_weights)
{
  EXPECT_ERROR(DNS_HEAD "policy = weighted\n" SERVICE_HEAD, FL_SCENARIO_ERROR_MISSING,
               "missing key 'weights'", "test.ini:5, [dns d]",
               "weights = us-west-1=1, us-east-1=3");
  EXPECT_ERROR(DNS_HEAD "policy = weighted\nweights = us-west-1=0, us-east-1=0\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "every weight is 0", "test.ini:7, [dns d] weights",
               "at least one region a positive weight");
  EXPECT_ERROR(DNS_HEAD "policy = weighted\nweights = us-west-1=-1, us-east-1=3\n"
               SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE,
               "weight '-1' of us-west-1 is not a whole number from 0 to 255",
               "test.ini:7, [dns d] weights", "like us-west-1=1, us-east-1=3");
  EXPECT_ERROR(DNS_HEAD "policy = weighted\nweights = us-west-1=256\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "weight '256'", "test.ini:7, [dns d] weights",
               "0 to 255");
  EXPECT_ERROR(DNS_HEAD "policy = weighted\nweights = us-west-1 1, us-east-1 3\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "'us-west-1 1' is not REGION=WEIGHT",
               "test.ini:7, [dns d] weights", "us-west-1=1, us-east-1=3");
  EXPECT_ERROR(DNS_HEAD "policy = weighted\nweights = us-west-1=1, us-west-1=2\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_DUPLICATE, "region us-west-1 has two weights",
               "test.ini:7, [dns d] weights", "give each region one");
  EXPECT_ERROR(DNS_HEAD "policy = weighted\nweights = eu-west-1=1\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_REFERENCE, "unknown region 'eu-west-1'",
               "test.ini:7, [dns d] weights", "did you mean 'us-west-1'?");
}
END_TEST

START_TEST(test_bad_clients)
{
  EXPECT_ERROR(DNS_HEAD "policy = latency\n" SERVICE_HEAD, FL_SCENARIO_ERROR_MISSING,
               "missing key 'clients'", "test.ini:5, [dns d]",
               "clients = us-west-1 60%, us-east-1 40%");
  EXPECT_ERROR(DNS_HEAD "policy = latency\nclients = us-west-1 60%, us-east-1 30%\n"
               SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE, "client shares add up to 90%",
               "test.ini:7, [dns d] clients", "must add up to 100%");
  /* 100% within 0.01%: 100.02% is too much. */
  EXPECT_ERROR(DNS_HEAD "policy = latency\nclients = us-west-1 60.02%, us-east-1 40%\n"
               SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE, "add up to 100.02%",
               "test.ini:7, [dns d] clients");
  EXPECT_ERROR(DNS_HEAD "policy = latency\nclients = us-west-1 140%, us-east-1 -40%\n"
               SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE, "'140%' is outside 0%..100%",
               "test.ini:7, [dns d] clients", "share of clients in us-west-1");
  EXPECT_ERROR(DNS_HEAD "policy = latency\nclients = us-west-1 0.6, us-east-1 0.4\n"
               SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE, "'0.6' is not a percentage",
               "test.ini:7, [dns d] clients", "99.95%");
  EXPECT_ERROR(DNS_HEAD "policy = latency\nclients = us-west-1\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "'us-west-1' is not a region and a share",
               "test.ini:7, [dns d] clients", "us-west-1 60%, us-east-1 40%");
  EXPECT_ERROR(DNS_HEAD "policy = latency\nclients = us-west-1 50%, us-west-1=50%\n"
               SERVICE_HEAD, FL_SCENARIO_ERROR_DUPLICATE, "us-west-1 has two client shares",
               "test.ini:7, [dns d] clients");
}
END_TEST

#define DNS_OK DNS_HEAD "policy = multivalue\n" /* next key on line 7 */

START_TEST(test_bad_dns_values)
{
  EXPECT_ERROR(DNS_OK "ttl = -60s\n" SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE, "'-60s'",
               "test.ini:7, [dns d] ttl", "zero or more");
  EXPECT_ERROR(DNS_OK "ttl = 60\n" SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE, "no unit",
               "test.ini:7, [dns d] ttl", "ms, s, min, h, d, w or y");
  EXPECT_ERROR(DNS_OK "health-check = interval=20s\n" SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE,
               "interval '20s' is not 10s or 30s", "test.ini:7, [dns d] health-check",
               "every 30s (standard) or 10s (fast)");
  EXPECT_ERROR(DNS_OK "health-check = failure-threshold=11\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "failure-threshold: 11 is out of range",
               "test.ini:7, [dns d] health-check", "1 to 10");
  EXPECT_ERROR(DNS_OK "health-check = failure-threshold=0\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "failure-threshold", "test.ini:7", "1 to 10");
  EXPECT_ERROR(DNS_OK "health-check = checkers=2\n" SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE,
               "checkers: 2 is out of range", "test.ini:7, [dns d] health-check", "3 to 64");
  EXPECT_ERROR(DNS_OK "health-check = healthy-above=100%\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "healthy-above '100%' can never be exceeded",
               "test.ini:7, [dns d] health-check", "below 100%");
  EXPECT_ERROR(DNS_OK "health-check = healthy-above=120%\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "'120%' is outside 0%..100%",
               "test.ini:7, [dns d] health-check");
  EXPECT_ERROR(DNS_OK "health-check = threshold=3\n" SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE,
               "unknown health-check parameter 'threshold'", "test.ini:7, [dns d] health-check",
               "interval, failure-threshold, checkers, healthy-above");
  EXPECT_ERROR(DNS_OK "stale-clients = 150% for 1h\n" SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE,
               "'150%' is outside 0%..100%", "test.ini:7, [dns d] stale-clients");
  EXPECT_ERROR(DNS_OK "stale-clients = -5% for 1h\n" SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE,
               "'-5%' is outside 0%..100%", "test.ini:7, [dns d] stale-clients");
  EXPECT_ERROR(DNS_OK "stale-clients = 5%\n" SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE,
               "'5%' is not P% for D", "test.ini:7, [dns d] stale-clients", "like 5% for 1h");
  EXPECT_ERROR(DNS_OK "stale-clients = 5% for 0s\n" SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE,
               "refresh time", "more than zero", "test.ini:7, [dns d] stale-clients");
  EXPECT_ERROR(DNS_OK "failover = manual\n" SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE,
               "'manual' is not a failover mode", "test.ini:7, [dns d] failover",
               "health-check", "api(decision=15min)");
  EXPECT_ERROR(DNS_OK "failover = api()\n" SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE,
               "'api()' is not a failover mode", "test.ini:7, [dns d] failover",
               "api(decision=D)");
  EXPECT_ERROR(DNS_OK "failover = api(decision=-1min)\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "api decision time", "'-1min'",
               "test.ini:7, [dns d] failover");
  EXPECT_ERROR(DNS_OK "health-check = interval=30s\nfailover = api(decision=5min)\n"
               SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE,
               "failover = api(...) needs policy = failover", "test.ini:8, [dns d] failover",
               "other policies follow health checks");
  EXPECT_ERROR(TWO_REGIONS DNS_FAILOVER "failover = api(decision=5min)\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_MISSING, "failover = api(...) without a health-check",
               "test.ini:9, [dns d] failover", "health-check = interval=30s");
  EXPECT_ERROR(TWO_REGIONS DNS_FAILOVER "propagation = 30s\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "propagation applies only to failover = api(...)",
               "test.ini:9, [dns d] propagation", "without an edit");
}
END_TEST

/* ---- [image] errors ---- */

#define IMAGE_HEAD TWO_REGIONS "[image ami]\n" /* header line 5, first key line 6 */

START_TEST(test_bad_image)
{
  EXPECT_ERROR(IMAGE_HEAD "home = us-west-1\n" SERVICE_HEAD, FL_SCENARIO_ERROR_MISSING,
               "missing key 'size'", "test.ini:5, [image ami]", "size = 100GB");
  EXPECT_ERROR(IMAGE_HEAD "size = 100GB\n" SERVICE_HEAD, FL_SCENARIO_ERROR_MISSING,
               "missing key 'home'", "test.ini:5, [image ami]", "home = us-east-1");
  EXPECT_ERROR(IMAGE_HEAD "size = 100\nhome = us-west-1\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "size '100' has no unit", "test.ini:6, [image ami] size",
               "MB, GB, TB, MiB, GiB or TiB");
  EXPECT_ERROR(IMAGE_HEAD "size = 100 gigs\nhome = us-west-1\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "unknown size unit in '100 gigs'",
               "test.ini:6, [image ami] size", "MB, GB, TB, MiB, GiB or TiB");
  EXPECT_ERROR(IMAGE_HEAD "size = 0GB\nhome = us-west-1\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "must be more than zero", "test.ini:6, [image ami] size");
  EXPECT_ERROR(IMAGE_HEAD "size = -5GB\nhome = us-west-1\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "'-5GB' is not a size", "test.ini:6, [image ami] size");
  EXPECT_ERROR(IMAGE_HEAD "size = 1GB\nhome = us-wset-1\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_REFERENCE, "unknown region 'us-wset-1'",
               "test.ini:7, [image ami] home", "did you mean 'us-west-1'?");
  EXPECT_ERROR(IMAGE_HEAD "size = 1GB\nhome = us-west-1\ncopied-to = us-west-1\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_DUPLICATE, "'us-west-1' is the image's home",
               "test.ini:8, [image ami] copied-to", "the other regions");
  EXPECT_ERROR(IMAGE_HEAD "size = 1GB\nhome = us-west-1\ncopied-to = us-east-1c\n"
               SERVICE_HEAD, FL_SCENARIO_ERROR_REFERENCE, "'us-east-1c' is a zone",
               "test.ini:8, [image ami] copied-to", "'us-east-1'");
  EXPECT_ERROR(IMAGE_HEAD "size = 1GB\nhome = us-west-1\ncopy-rate = 100GB/h\n"
               "copy = time-based(2h)\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "both copy-rate and copy are given",
               "test.ini:9, [image ami] copy", "copy-rate = 100GB/h", "time-based(2h)");
  EXPECT_ERROR(IMAGE_HEAD "size = 1GB\nhome = us-west-1\ncopy-rate = 100GB\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "'100GB' is not a transfer rate",
               "test.ini:8, [image ami] copy-rate", "100GB/h, 500MiB/s or 2TB/d");
  EXPECT_ERROR(IMAGE_HEAD "size = 1GB\nhome = us-west-1\ncopy-rate = 100GB/fortnight\n"
               SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE, "unknown time unit 'fortnight'",
               "test.ini:8, [image ami] copy-rate", "s, min, h or d");
  EXPECT_ERROR(IMAGE_HEAD "size = 1GB\nhome = us-west-1\ncopy-rate = 0GB/h\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "rate '0GB/h' must be more than zero",
               "test.ini:8, [image ami] copy-rate");
  EXPECT_ERROR(IMAGE_HEAD "size = 1GB\nhome = us-west-1\ncopy = time-based(10min)\n"
               SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE,
               "time-based copy time '10min' is not allowed", "test.ini:8, [image ami] copy",
               "15min to 48h in 15-minute steps");
  EXPECT_ERROR(IMAGE_HEAD "size = 1GB\nhome = us-west-1\ncopy = time-based(49h)\n"
               SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE, "'49h' is not allowed",
               "test.ini:8, [image ami] copy", "15min to 48h");
  EXPECT_ERROR(IMAGE_HEAD "size = 1GB\nhome = us-west-1\ncopy = time-based(20min)\n"
               SERVICE_HEAD, FL_SCENARIO_ERROR_VALUE, "'20min' is not allowed",
               "test.ini:8, [image ami] copy", "15-minute steps");
  EXPECT_ERROR(IMAGE_HEAD "size = 1GB\nhome = us-west-1\ncopy = fast\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "'fast' is not a copy mode",
               "test.ini:8, [image ami] copy", "time-based(2h)");
}
END_TEST

/* ---- [service] references and cross-checks ---- */

START_TEST(test_unknown_group_references)
{
  EXPECT_ERROR(TWO_REGIONS "[load-balancer web-alb]\n" SERVICE_HEAD
               "load-balancer = web-abl\n" /* 9 */,
               FL_SCENARIO_ERROR_REFERENCE, "no [load-balancer web-abl] group",
               "test.ini:9, [service web] load-balancer", "did you mean 'web-alb'?");
  EXPECT_ERROR(TWO_REGIONS "[load-balancer a]\n[load-balancer b]\n" SERVICE_HEAD
               "load-balancer = frontdoor\n" /* 10 */,
               FL_SCENARIO_ERROR_REFERENCE, "no [load-balancer frontdoor] group",
               "test.ini:10, [service web] load-balancer",
               "the [load-balancer] groups are: a, b");
  EXPECT_ERROR(TWO_REGIONS SERVICE_HEAD "dns = web-dns\n" /* 8 */, FL_SCENARIO_ERROR_REFERENCE,
               "no [dns web-dns] group", "test.ini:8, [service web] dns",
               "add a group [dns web-dns]");
  EXPECT_ERROR(TWO_REGIONS "[dns web-dns]\npolicy = multivalue\n" SERVICE_HEAD
               "dns = web-dsn\n" /* 10 */, FL_SCENARIO_ERROR_REFERENCE,
               "no [dns web-dsn] group", "test.ini:10, [service web] dns",
               "did you mean 'web-dns'?");
  EXPECT_ERROR(TWO_REGIONS "[image web-ami]\nsize = 1GB\nhome = us-west-1\n" SERVICE_HEAD
               "image = web-mai\n" /* 11 */,
               FL_SCENARIO_ERROR_REFERENCE, "no [image web-mai] group",
               "test.ini:11, [service web] image", "did you mean 'web-ami'?");
  /* An empty reference is said to be empty, not looked up as "[dns ]". */
  EXPECT_ERROR(TWO_REGIONS "[dns web-dns]\npolicy = multivalue\n" SERVICE_HEAD "dns =\n",
               FL_SCENARIO_ERROR_VALUE, "dns is empty", "test.ini:10, [service web] dns",
               "name a [dns NAME] group: web-dns");
}
END_TEST

START_TEST(test_dns_needs_two_regions)
{
  EXPECT_ERROR(TWO_REGIONS DNS_FAILOVER "[service web]\nregions = us-west-1\n"
               "instances-per-zone = 2\nneeds = 3 instances\ndns = d\n" /* 13 */,
               FL_SCENARIO_ERROR_IMPOSSIBLE, "service web runs in one region (us-west-1)",
               "test.ini:13, [service web] dns", "two or more regions");
}
END_TEST

START_TEST(test_record_outside_service)
{
  /* The record set names a region that exists but the service does not run in. */
  const char *three = "[region us-west-1]\nzones = 3\n[region us-east-1]\nzones = 3\n"
                      "[region eu-west-1]\nzones = 3\n"; /* 1-6 */
  g_autofree char *fo = g_strconcat(three, "[dns d]\npolicy = failover\n" /* 7-8 */
                                    "primary = us-west-1\nsecondary = eu-west-1\n" /* 9-10 */
                                    "[service web]\nregions = us-west-1, us-east-1\n"
                                    "instances-per-zone = 2\nneeds = 3 instances\n"
                                    "dns = d\n" /* 15 */, NULL);
  EXPECT_ERROR(fo, FL_SCENARIO_ERROR_REFERENCE,
               "[dns d] secondary (line 10) names eu-west-1, where service web does not run",
               "test.ini:15, [service web] dns", "add eu-west-1 to the service's regions",
               "us-west-1, us-east-1");
  g_autofree char *w = g_strconcat(three, "[dns d]\npolicy = weighted\n"
                                   "weights = us-west-1=1, eu-west-1=1\n" /* 9 */
                                   "[service web]\nregions = us-west-1, us-east-1\n"
                                   "instances-per-zone = 2\nneeds = 3 instances\n"
                                   "dns = d\n" /* 14 */, NULL);
  EXPECT_ERROR(w, FL_SCENARIO_ERROR_REFERENCE, "[dns d] weights (line 9) names eu-west-1",
               "test.ini:14, [service web] dns", "us-west-1, us-east-1");
  g_autofree char *l = g_strconcat(three, "[dns d]\npolicy = latency\n"
                                   "clients = us-west-1 50%, eu-west-1 50%\n" /* 9 */
                                   "[service web]\nregions = us-west-1, us-east-1\n"
                                   "instances-per-zone = 2\nneeds = 3 instances\n"
                                   "dns = d\n" /* 14 */, NULL);
  EXPECT_ERROR(l, FL_SCENARIO_ERROR_REFERENCE, "[dns d] clients (line 9) names eu-west-1",
               "test.ini:14, [service web] dns");
  g_autofree char *im = g_strconcat(three, "[image ami]\nsize = 10GB\nhome = eu-west-1\n" /* 9 */
                                    "[service web]\nregions = us-west-1, us-east-1\n"
                                    "instances-per-zone = 2\nneeds = 3 instances\n"
                                    "image = ami\n" /* 14 */, NULL);
  EXPECT_ERROR(im, FL_SCENARIO_ERROR_REFERENCE,
               "[image ami] home (line 9) names eu-west-1, where service web does not run",
               "test.ini:14, [service web] image", "us-west-1, us-east-1");
}
END_TEST

START_TEST(test_eip_multi_region)
{
  EXPECT_ERROR(TWO_REGIONS SERVICE_HEAD "eip = yes\n" /* 8 */, FL_SCENARIO_ERROR_IMPOSSIBLE,
               "Elastic IPs are regional and cannot move to another region",
               "test.ini:8, [service web] eip", "us-west-1, us-east-1", "[dns] failover",
               "policy = failover");
  EXPECT_ERROR(TWO_REGIONS SERVICE_HEAD "eip = sure\n", FL_SCENARIO_ERROR_VALUE,
               "'sure' is not yes or no", "test.ini:8, [service web] eip", "yes, no");
  EXPECT_ERROR(TWO_REGIONS SERVICE_HEAD "eip-remap = 5s\n", FL_SCENARIO_ERROR_VALUE,
               "eip-remap without eip = yes", "test.ini:8, [service web] eip-remap",
               "set eip = yes");
  /* One instance holds the address: any other needs is refused, not half-honoured. */
  EXPECT_ERROR(TWO_REGIONS "[service web]\nregions = us-east-1\ninstances-per-zone = 1\n"
               "needs = 2 zones\neip = yes\n" /* 9 */, FL_SCENARIO_ERROR_IMPOSSIBLE,
               "eip = yes, but needs = 2 zones", "test.ini:9, [service web] eip",
               "needs 1 instance", "[load-balancer]");
  EXPECT_ERROR(TWO_REGIONS "[service web]\nregions = us-east-1\ninstances-per-zone = 2\n"
               "needs = 2 instances\neip = yes\n", FL_SCENARIO_ERROR_IMPOSSIBLE,
               "eip = yes, but needs = 2 instances", "test.ini:9, [service web] eip");
  EXPECT_ERROR(TWO_REGIONS "[service web]\nregions = us-east-1\ninstances-per-zone = 1\n"
               "needs = 1 zone\neip = yes\n", FL_SCENARIO_ERROR_IMPOSSIBLE,
               "eip = yes, but needs = 1 zone", "test.ini:9, [service web] eip");
  /* Synchronous replication is in-region: a failover between regions needs async (only
   * backup-restore, which restores from backups, may keep sync). */
  EXPECT_ERROR(WITH_DNS "strategy = pilot-light\nreplication = sync\n",
               FL_SCENARIO_ERROR_IMPOSSIBLE, "replication = sync is in-region",
               "[service web] replication", "async(lag=");
}
END_TEST

START_TEST(test_strategy_keys)
{
  EXPECT_ERROR(WITH_DNS "strategy = pilot-light\nscale-up = fixed(10min)\n" /* 14 */,
               FL_SCENARIO_ERROR_VALUE, "scale-up without a strategy that scales",
               "the strategy is pilot-light", "test.ini:14, [service web] scale-up",
               "strategy = warm-standby", "launch = DIST");
  EXPECT_ERROR(WITH_DNS "scale-up = fixed(10min)\n" /* 13 */, FL_SCENARIO_ERROR_VALUE,
               "scale-up without a strategy that scales", "the strategy is none",
               "test.ini:13, [service web] scale-up");
  EXPECT_ERROR(WITH_DNS "strategy = pilot-light\nstandby-capacity = 25%\n",
               FL_SCENARIO_ERROR_VALUE, "standby-capacity without strategy = warm-standby",
               "the strategy is pilot-light",
               "test.ini:14, [service web] standby-capacity", "set strategy = warm-standby");
  EXPECT_ERROR(WITH_DNS "strategy = warm-standby\nstandby-capacity = 125%\n"
               "scale-up = fixed(1min)\n",
               FL_SCENARIO_ERROR_VALUE, "'125%' is outside 0%..100%",
               "test.ini:14, [service web] standby-capacity");
  EXPECT_ERROR(WITH_DNS "strategy = warm-standby\nscale-up = fixed(1min)\n",
               FL_SCENARIO_ERROR_MISSING, "missing key 'standby-capacity'",
               "test.ini:9, [service web]", "standby-capacity = 25%");
  EXPECT_ERROR(WITH_DNS "strategy = warm-standby\nstandby-capacity = 25%\n",
               FL_SCENARIO_ERROR_MISSING, "missing key 'scale-up'", "test.ini:9, [service web]",
               "scale-up = fixed(10min)");
  EXPECT_ERROR(WITH_DNS "strategy = warm-standby\nstandby-capacity = 25%\n"
               "scale-up = fast\n" /* 15 */,
               FL_SCENARIO_ERROR_VALUE, "'fast' is not a distribution",
               "test.ini:15, [service web] scale-up", "fixed(D)");
  EXPECT_ERROR(WITH_DNS "strategy = warm-standby\nlaunch = fixed(5min)\n",
               FL_SCENARIO_ERROR_VALUE, "launch without a strategy that launches",
               "test.ini:14, [service web] launch", "pilot-light or backup-restore");
  EXPECT_ERROR(WITH_DNS "strategy = pilot-light\nbackup-interval = 1h\n",
               FL_SCENARIO_ERROR_VALUE, "backup-interval without strategy = backup-restore",
               "test.ini:14, [service web] backup-interval", "set strategy = backup-restore");
  EXPECT_ERROR(WITH_DNS "data-size = 1TB\n", FL_SCENARIO_ERROR_VALUE,
               "data-size without strategy = backup-restore", "test.ini:13, [service web] "
               "data-size");
  EXPECT_ERROR(WITH_DNS "strategy = backup-restore\nrestore-rate = fast\n",
               FL_SCENARIO_ERROR_VALUE, "'fast' is not a transfer rate",
               "test.ini:14, [service web] restore-rate", "100GB/h");
  EXPECT_ERROR(WITH_DNS "strategy = backup-restore\ndata-size = 1 PB\n",
               FL_SCENARIO_ERROR_VALUE, "unknown size unit", "test.ini:14, [service web] "
               "data-size", "GB, TB");
}
END_TEST

START_TEST(test_bad_strategy)
{
  EXPECT_ERROR(WITH_DNS "strategy = warm-stanby\n" /* 13 */, FL_SCENARIO_ERROR_VALUE,
               "unknown strategy 'warm-stanby'", "test.ini:13, [service web] strategy",
               "did you mean 'warm-standby'?",
               "backup-restore, pilot-light, warm-standby, active-active");
  EXPECT_ERROR(TWO_REGIONS SERVICE_HEAD "strategy = pilot-light\n" /* 8 */,
               FL_SCENARIO_ERROR_MISSING, "strategy = pilot-light without dns",
               "test.ini:8, [service web] strategy", "add a [dns NAME] group and dns = NAME");
  EXPECT_ERROR(TWO_REGIONS "[dns w]\npolicy = weighted\nweights = us-west-1=1, us-east-1=1\n"
               SERVICE_HEAD "dns = w\nstrategy = warm-standby\n" /* 12 */,
               FL_SCENARIO_ERROR_VALUE, "strategy = warm-standby, but [dns w] has policy = "
               "weighted", "test.ini:12, [service web] strategy", "policy = failover",
               "strategy = active-active");
  EXPECT_ERROR(WITH_DNS "strategy = active-active\n" /* 13 */, FL_SCENARIO_ERROR_VALUE,
               "strategy = active-active, but [dns d] has policy = failover",
               "test.ini:13, [service web] strategy", "weighted, latency or multivalue");
}
END_TEST

START_TEST(test_bad_data_keys)
{
  EXPECT_ERROR(TWO_REGIONS SERVICE_HEAD "replication = async\n" /* 8 */,
               FL_SCENARIO_ERROR_VALUE, "'async' is not a replication",
               "test.ini:8, [service web] replication", "sync, or async(lag=DIST)",
               "async(lag=lognormal(median=1s, sigma=1))");
  EXPECT_ERROR(TWO_REGIONS SERVICE_HEAD "replication = async(delay=1s)\n",
               FL_SCENARIO_ERROR_VALUE, "is not a replication",
               "test.ini:8, [service web] replication");
  EXPECT_ERROR(TWO_REGIONS SERVICE_HEAD "replication = async(lag=1s)\n",
               FL_SCENARIO_ERROR_VALUE, "async lag: '1s' is not a distribution",
               "test.ini:8, [service web] replication", "fixed(D)");
  EXPECT_ERROR(TWO_REGIONS SERVICE_HEAD "replication = semi-sync\n", FL_SCENARIO_ERROR_VALUE,
               "'semi-sync' is not a replication", "test.ini:8, [service web] replication");
  EXPECT_ERROR(TWO_REGIONS SERVICE_HEAD "writes-per-second = -1\n", FL_SCENARIO_ERROR_VALUE,
               "'-1'", "test.ini:8, [service web] writes-per-second", "0 to");
  EXPECT_ERROR(TWO_REGIONS SERVICE_HEAD "writes-per-second = lots\n", FL_SCENARIO_ERROR_VALUE,
               "'lots' is not a number", "test.ini:8, [service web] writes-per-second");
}
END_TEST

/* ---- [failure] with the new targets ---- */

#define FAIL_TAIL "time-to-failure = exponential(mean=1y)\ntime-to-repair = fixed(1h)\n"

START_TEST(test_bad_new_failure_targets)
{
  EXPECT_ERROR(TWO_REGIONS DNS_FAILOVER "[failure r53]\ntarget = dns-control-plane\n"
               "where = us-east-1\n" /* 11 */ FAIL_TAIL SERVICE_HEAD "dns = d\n",
               FL_SCENARIO_ERROR_VALUE, "target = dns-control-plane takes no 'where'",
               "test.ini:11, [failure r53] where", "remove 'where'");
  EXPECT_ERROR(TWO_REGIONS "[load-balancer alb]\n[failure lb]\ntarget = load-balancer\n"
               "where = us-east-1b\n" /* 8 */ FAIL_TAIL SERVICE_HEAD "load-balancer = alb\n",
               FL_SCENARIO_ERROR_VALUE, "'us-east-1b' is a zone, but load balancers are regional",
               "test.ini:8, [failure lb] where", "name its region 'us-east-1'");
  EXPECT_ERROR(TWO_REGIONS "[load-balancer alb]\n[failure lb]\ntarget = load-balancer\n"
               "where = us-eats-1\n" FAIL_TAIL SERVICE_HEAD "load-balancer = alb\n",
               FL_SCENARIO_ERROR_REFERENCE, "unknown region 'us-eats-1'",
               "test.ini:8, [failure lb] where", "did you mean 'us-east-1'?");
  /* Nothing to fail. */
  EXPECT_ERROR(TWO_REGIONS "[failure lb]\ntarget = load-balancer\n" /* 6 */ FAIL_TAIL
               SERVICE_HEAD, FL_SCENARIO_ERROR_REFERENCE,
               "this group targets load balancers but no service has one",
               "test.ini:6, [failure lb] target", "load-balancer = NAME");
  EXPECT_ERROR(TWO_REGIONS "[load-balancer alb]\n[failure lb]\ntarget = load-balancer\n"
               "where = us-east-1\n" /* 8 */ FAIL_TAIL
               "[service web]\nregions = us-west-1\ninstances-per-zone = 1\n"
               "needs = 1 instance\nload-balancer = alb\n",
               FL_SCENARIO_ERROR_REFERENCE, "no service has one where it applies",
               "test.ini:8, [failure lb] where", "load balancers run in: us-west-1");
  EXPECT_ERROR(TWO_REGIONS "[failure r53]\ntarget = dns-control-plane\n" /* 6 */ FAIL_TAIL
               SERVICE_HEAD, FL_SCENARIO_ERROR_REFERENCE,
               "targets the DNS control plane but no service uses a [dns] group",
               "test.ini:6, [failure r53] target", "add dns = NAME");
  EXPECT_ERROR(TWO_REGIONS "[failure x]\ntarget = loadbalancer\n" /* 6 */ FAIL_TAIL SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "unknown target 'loadbalancer'",
               "test.ini:6, [failure x] target", "did you mean 'load-balancer'?",
               "instance, zone, region, load-balancer, dns-control-plane or link");
}
END_TEST

/* ---- [inject] ---- */

/* Two regions, a failover record set, an ALB in both: [inject x] on line 15, at 16, fail 17,
 * for 18. */
#define INJECT_BASE TWO_REGIONS DNS_FAILOVER "[load-balancer alb]\n" SERVICE_HEAD \
  "dns = d\nload-balancer = alb\n[inject x]\n"

START_TEST(test_bad_inject)
{
  EXPECT_ERROR(INJECT_BASE "at = 1y\nfail = region us-east-1\nfor = 1h\n",
               FL_SCENARIO_ERROR_VALUE, "starts at 1y, at or after the horizon (1.00 y)",
               "test.ini:16, [inject x] at", "lengthen [scenario] horizon");
  /* The horizon comes from [scenario], even when that group comes last. */
  EXPECT_ERROR(INJECT_BASE "at = 40d\nfail = region us-east-1\nfor = 1h\n"
               "[scenario]\nhorizon = 30d\n",
               FL_SCENARIO_ERROR_VALUE, "starts at 40d, at or after the horizon (30.0 d)",
               "test.ini:16, [inject x] at");
  EXPECT_ERROR(INJECT_BASE "at = -1d\nfail = region us-east-1\nfor = 1h\n",
               FL_SCENARIO_ERROR_VALUE, "'-1d'", "test.ini:16, [inject x] at", "zero or more");
  EXPECT_ERROR(INJECT_BASE "fail = region us-east-1\nfor = 1h\n", FL_SCENARIO_ERROR_MISSING,
               "missing key 'at'", "test.ini:15, [inject x]", "at = 30d");
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = region us-east-1\nfor = 0s\n",
               FL_SCENARIO_ERROR_VALUE, "'0s' must be more than zero",
               "test.ini:18, [inject x] for");
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = region us-east-1\n", FL_SCENARIO_ERROR_MISSING,
               "missing key 'for'", "test.ini:15, [inject x]", "for = 2h");
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfor = 1h\n", FL_SCENARIO_ERROR_MISSING,
               "missing key 'fail'", "test.ini:15, [inject x]", "fail = region us-east-1");
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = regoin us-east-1\nfor = 1h\n",
               FL_SCENARIO_ERROR_VALUE, "'regoin us-east-1' is not a component to fail",
               "test.ini:17, [inject x] fail", "did you mean 'region'?",
               "region REGION, zone ZONE, N instances REGION, load-balancer REGION, "
               "dns-control-plane, link REGION REGION or hazard NAME");
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = lnk us-west-1 us-east-1\nfor = 1h\n",
               FL_SCENARIO_ERROR_VALUE, "'lnk us-west-1 us-east-1' is not a component to fail",
               "test.ini:17, [inject x] fail", "did you mean 'link'?");
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = everything\nfor = 1h\n", FL_SCENARIO_ERROR_VALUE,
               "'everything' is not a component to fail", "test.ini:17, [inject x] fail",
               "N instances REGION");
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = region us-east-1 now please\nfor = 1h\n",
               FL_SCENARIO_ERROR_VALUE, "is not a component to fail", "test.ini:17");
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = instances us-east-1\nfor = 1h\n",
               FL_SCENARIO_ERROR_VALUE, "'instances us-east-1' is not a component to fail",
               "test.ini:17, [inject x] fail", "N instances REGION");
}
END_TEST

START_TEST(test_inject_link)
{
  /* An injected partition names its link as a target = link group does (either order, commas
   * allowed), and shares the group's link: both hold the same component. A link no group names
   * is added, so the model has a component for it. */
  g_autoptr(FlScenario) sc = LOAD_OK(TWO_REGIONS "[region eu-west-1]\nzones = 3\n"
                                     "[failure cut]\ntarget = link\n"
                                     "between = us-east-1 us-west-1\n" FAIL_TAIL SERVICE_HEAD
                                     "[inject a]\nat = 1d\nfail = link us-west-1 us-east-1\n"
                                     "for = 2h\n"
                                     "[inject b]\nat = 2d\nfail = link eu-west-1, us-west-1\n"
                                     "for = 1h\n");
  ck_assert_uint_eq(sc->links->len, 2);
  const FlInjectSpec *a = fl_scenario_inject(sc, 0), *b = fl_scenario_inject(sc, 1);
  ck_assert_int_eq(a->target, FL_TARGET_LINK);
  ck_assert_int_eq(a->link, fl_scenario_failure(sc, 0)->link);
  ck_assert_int_eq(a->region, -1);
  ck_assert_int_eq(a->zone, -1);
  ck_assert_int_eq(b->target, FL_TARGET_LINK);
  ck_assert_int_eq(b->link, 1);
  ck_assert_uint_eq(fl_scenario_link(sc, 1)->a, 0); /* us-west-1 */
  ck_assert_uint_eq(fl_scenario_link(sc, 1)->b, 2); /* eu-west-1 */
  /* The other injections leave link at -1. */
  g_autoptr(FlScenario) r = LOAD_OK(TWO_REGIONS SERVICE_HEAD
                                    "[inject a]\nat = 1d\nfail = region us-west-1\nfor = 2h\n");
  ck_assert_int_eq(fl_scenario_inject(r, 0)->link, -1);
  ck_assert_uint_eq(r->links->len, 0);
}
END_TEST

START_TEST(test_bad_inject_link)
{
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = link us-west-1\nfor = 1h\n",
               FL_SCENARIO_ERROR_VALUE, "'link us-west-1' does not name two regions",
               "test.ini:17, [inject x] fail", "fail = link us-west-1 us-east-1");
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = link\nfor = 1h\n", FL_SCENARIO_ERROR_VALUE,
               "'link' does not name two regions", "test.ini:17, [inject x] fail");
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = link us-west-1 us-east-1 eu-west-1\nfor = 1h\n",
               FL_SCENARIO_ERROR_VALUE, "does not name two regions", "test.ini:17");
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = link us-east-1 us-east-1\nfor = 1h\n",
               FL_SCENARIO_ERROR_VALUE, "a link between region 'us-east-1' and itself",
               "test.ini:17, [inject x] fail", "two different regions");
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = link us-west-1 us-east-1b\nfor = 1h\n",
               FL_SCENARIO_ERROR_VALUE, "'us-east-1b' is a zone", "test.ini:17, [inject x] fail",
               "links join regions, so name its region 'us-east-1'");
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = link us-west-1 eu-west-1\nfor = 1h\n",
               FL_SCENARIO_ERROR_REFERENCE, "unknown region 'eu-west-1'",
               "test.ini:17, [inject x] fail");
}
END_TEST

/* A shock (no geography needed) and, for magnitudes, an earthquake under region a. */
#define SHOCK_HAZARD "[hazard grid]\nkind = shock\nrate = 1/y\nhits = 50%\n"                  \
  "time-to-repair = fixed(1h)\n"
#define QUAKE_BASE "[region a]\nlocation = 37.8,-122.2\nzones = 1\n[hazard quake]\n"           \
  "kind = earthquake\nsource = 37.8,-122.2\nrate = 1/y\n"                                   \
  "magnitude = gutenberg-richter(min=6.0, max=7.5)\n[service web]\ninstances-per-zone = 1\n"  \
  "needs = 1 instance\n[inject x]\nat = 1h\nfail = hazard quake\n" /* magnitude on line 15 */

START_TEST(test_inject_hazard)
{
  g_autoptr(FlScenario) sc = LOAD_OK(TWO_REGIONS SHOCK_HAZARD SERVICE_HEAD
                                     "[inject flash]\nat = 2h\nfail = hazard grid\n");
  const FlInjectSpec *in = fl_scenario_inject(sc, 0);
  ck_assert_int_eq(in->hazard, 0);
  ck_assert(isnan(in->magnitude));
  ck_assert_double_eq(in->at_s, 7200.0);
  ck_assert_int_eq(in->region, -1);
  ck_assert_int_eq(in->link, -1);
  /* Other injections have no hazard. */
  g_autoptr(FlScenario) r = LOAD_OK(TWO_REGIONS SERVICE_HEAD
                                    "[inject a]\nat = 1d\nfail = region us-west-1\nfor = 2h\n");
  ck_assert_int_eq(fl_scenario_inject(r, 0)->hazard, -1);
  /* An earthquake's magnitude, anywhere in its law's range, ends included. */
  g_autoptr(FlScenario) q = LOAD_OK(QUAKE_BASE "magnitude = 7.5\n");
  ck_assert_double_eq(fl_scenario_inject(q, 0)->magnitude, 7.5);
  g_autoptr(FlScenario) q0 = LOAD_OK(QUAKE_BASE "magnitude = 6\n");
  ck_assert_double_eq(fl_scenario_inject(q0, 0)->magnitude, 6.0);
  g_autoptr(FlScenario) qd = LOAD_OK(QUAKE_BASE);
  ck_assert(isnan(fl_scenario_inject(qd, 0)->magnitude));
}
END_TEST

START_TEST(test_bad_inject_hazard)
{
  /* Lines: regions 1-4, [hazard grid] 5-9, [service web] 10-12, [inject x] 13, at 14, fail 15,
   * then 16. */
  EXPECT_ERROR(TWO_REGIONS SHOCK_HAZARD SERVICE_HEAD
               "[inject x]\nat = 1h\nfail = hazard gird\n",
               FL_SCENARIO_ERROR_REFERENCE, "unknown hazard 'gird'", "did you mean 'grid'?",
               "test.ini:15, [inject x] fail", "Hazards here: grid");
  EXPECT_ERROR(TWO_REGIONS SHOCK_HAZARD SERVICE_HEAD
               "[inject x]\nat = 1h\nfail = hazard tsunami\n",
               FL_SCENARIO_ERROR_REFERENCE, "unknown hazard 'tsunami'", "hazards here: grid");
  EXPECT_ERROR(TWO_REGIONS SERVICE_HEAD "[inject x]\nat = 1h\nfail = hazard grid\n",
               FL_SCENARIO_ERROR_REFERENCE, "no [hazard grid] group, and no hazard at all",
               "test.ini:10, [inject x] fail", "scenarios/hazards/");
  EXPECT_ERROR(TWO_REGIONS SHOCK_HAZARD SERVICE_HEAD
               "[inject x]\nat = 1h\nfail = hazard grid\nfor = 2h\n",
               FL_SCENARIO_ERROR_VALUE, "lasts as long as the hazard draws",
               "test.ini:16, [inject x] for", "remove for");
  EXPECT_ERROR(TWO_REGIONS SHOCK_HAZARD SERVICE_HEAD
               "[inject x]\nat = 1h\nfail = hazard grid\nmagnitude = 7\n",
               FL_SCENARIO_ERROR_VALUE, "[hazard grid] is not an earthquake",
               "test.ini:16, [inject x] magnitude", "remove magnitude");
  EXPECT_ERROR(TWO_REGIONS SERVICE_HEAD
               "[inject x]\nat = 1h\nfail = region us-west-1\nfor = 1h\nmagnitude = 7\n",
               FL_SCENARIO_ERROR_VALUE, "magnitude sets the size of an injected earthquake",
               "[inject x] magnitude", "fail = hazard NAME");
  EXPECT_ERROR(QUAKE_BASE "magnitude = 7.6\n", FL_SCENARIO_ERROR_VALUE,
               "'7.6' is not a magnitude of [hazard quake]", "test.ini:15, [inject x] magnitude",
               "from 6.00 to 7.50");
  EXPECT_ERROR(QUAKE_BASE "magnitude = big\n", FL_SCENARIO_ERROR_VALUE,
               "'big' is not a magnitude", "from 6.00 to 7.50");
  EXPECT_ERROR(QUAKE_BASE "magnitude = 5.9\n", FL_SCENARIO_ERROR_VALUE,
               "'5.9' is not a magnitude");
  /* The injection's name is a cause name: not a hazard's either. */
  EXPECT_ERROR(TWO_REGIONS SHOCK_HAZARD SERVICE_HEAD
               "[inject grid]\nat = 1h\nfail = region us-west-1\nfor = 1h\n",
               FL_SCENARIO_ERROR_DUPLICATE, "[inject grid] has the name of [hazard grid]",
               "test.ini:13, [inject grid]", "give the injection another one");
}
END_TEST

START_TEST(test_inject_name_is_a_failure_name)
{
  EXPECT_ERROR(TWO_REGIONS "[failure outage]\ntarget = region\n" /* 5-6 */ FAIL_TAIL /* 7-8 */
               SERVICE_HEAD /* 9-11 */ "[inject outage]\nat = 1d\nfail = region us-east-1\n"
               "for = 1h\n",
               FL_SCENARIO_ERROR_DUPLICATE, "[inject outage] has the name of [failure outage]",
               "test.ini:12, [inject outage]", "give the injection another one");
}
END_TEST

START_TEST(test_nothing_to_fail)
{
  /* random-failures = no with no injection: refused, not an unbroken 100%. */
  EXPECT_ERROR("[scenario]\nrandom-failures = no\n" TWO_REGIONS SERVICE_HEAD,
               FL_SCENARIO_ERROR_IMPOSSIBLE, "nothing would ever fail",
               "test.ini:2, [scenario] random-failures", "[inject drill]");
}
END_TEST

START_TEST(test_inject_missing_component)
{
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = region eu-west-1\nfor = 1h\n",
               FL_SCENARIO_ERROR_REFERENCE, "unknown region 'eu-west-1'",
               "test.ini:17, [inject x] fail", "did you mean 'us-west-1'?");
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = region us-east-1a\nfor = 1h\n",
               FL_SCENARIO_ERROR_REFERENCE, "'us-east-1a' is a zone, not a region",
               "test.ini:17, [inject x] fail", "'us-east-1'");
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = zone us-east-1\nfor = 1h\n",
               FL_SCENARIO_ERROR_REFERENCE, "'us-east-1' is a region, not a zone",
               "test.ini:17, [inject x] fail", "write region us-east-1", "us-east-1a");
  /* A bad zone name gets a zone as its hint, never the region it is as near to (us-east-1z
   * is one edit from us-east-1 and from us-east-1a), and the list of zones without one. */
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = zone us-east-1z\nfor = 1h\n",
               FL_SCENARIO_ERROR_REFERENCE, "unknown zone 'us-east-1z'",
               "test.ini:17, [inject x] fail", "did you mean 'us-east-1a'?");
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = zone us-west-1z\nfor = 1h\n",
               FL_SCENARIO_ERROR_REFERENCE, "unknown zone 'us-west-1z'",
               "test.ini:17, [inject x] fail", "did you mean 'us-west-1a'?");
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = zone mars\nfor = 1h\n",
               FL_SCENARIO_ERROR_REFERENCE, "unknown zone 'mars'", "test.ini:17, [inject x] fail",
               "zones are: us-west-1a, us-west-1b, us-west-1c, us-east-1a, us-east-1b, us-east-1c");
  /* A region's hint is a region, never a zone: us-west-1ab is nearer to us-west-1a. */
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = region us-west-1ab\nfor = 1h\n",
               FL_SCENARIO_ERROR_REFERENCE, "unknown region 'us-west-1ab'",
               "test.ini:17, [inject x] fail", "did you mean 'us-west-1'?");
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = 2 instances us-west-1ab\nfor = 1h\n",
               FL_SCENARIO_ERROR_REFERENCE, "unknown region 'us-west-1ab'",
               "test.ini:17, [inject x] fail", "did you mean 'us-west-1'?");
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = 7 instances us-east-1\nfor = 1h\n",
               FL_SCENARIO_ERROR_REFERENCE, "cannot fail 7 instances in us-east-1",
               "the services run 6", "test.ini:17, [inject x] fail", "at most 6");
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = 0 instances us-east-1\nfor = 1h\n",
               FL_SCENARIO_ERROR_VALUE, "'0' is not a positive count of instances",
               "test.ini:17, [inject x] fail");
  /* Instances where no service runs. */
  EXPECT_ERROR(TWO_REGIONS "[service web]\nregions = us-west-1\ninstances-per-zone = 1\n"
               "needs = 1 instance\n[inject x]\nat = 1d\nfail = 1 instance us-east-1\n" /* 11 */
               "for = 1h\n",
               FL_SCENARIO_ERROR_REFERENCE, "no service runs instances in us-east-1",
               "test.ini:11, [inject x] fail", "services run in: us-west-1");
  /* A load balancer's hint is a region that has one: us-eats-1 is nearest to us-east-1, which
   * has none, so the hint is us-west-1; with no region near, the line lists where load
   * balancers run. */
#define LB_WEST_ONLY                                                                            \
  TWO_REGIONS "[load-balancer alb]\n[service web]\nregions = us-west-1\n" /* 5-7 */           \
  "instances-per-zone = 2\nneeds = 3 instances\nload-balancer = alb\n" /* 8-10 */             \
  "[service batch]\nregions = us-east-1\ninstances-per-zone = 1\n" /* 11-13 */               \
  "needs = 1 instance\n[inject x]\nat = 1d\n" /* 14-16; fail on line 17 */
  EXPECT_ERROR(LB_WEST_ONLY "fail = load-balancer us-eats-1\nfor = 1h\n",
               FL_SCENARIO_ERROR_REFERENCE, "unknown region 'us-eats-1'",
               "test.ini:17, [inject x] fail", "did you mean 'us-west-1'?");
  EXPECT_ERROR(LB_WEST_ONLY "fail = load-balancer mars\nfor = 1h\n",
               FL_SCENARIO_ERROR_REFERENCE, "unknown region 'mars'",
               "test.ini:17, [inject x] fail", "load balancers run in: us-west-1");
#undef LB_WEST_ONLY
  EXPECT_ERROR(INJECT_BASE "at = 1d\nfail = load-balancer us-wets-1\nfor = 1h\n",
               FL_SCENARIO_ERROR_REFERENCE, "unknown region 'us-wets-1'",
               "test.ini:17, [inject x] fail", "did you mean 'us-west-1'?");
  /* A load balancer where there is none. */
  EXPECT_ERROR(TWO_REGIONS SERVICE_HEAD "[inject x]\nat = 1d\nfail = load-balancer us-east-1\n"
               /* 10 */ "for = 1h\n",
               FL_SCENARIO_ERROR_REFERENCE, "no service has a load balancer in us-east-1",
               "test.ini:10, [inject x] fail", "load-balancer = NAME");
  EXPECT_ERROR(TWO_REGIONS "[load-balancer alb]\n[service web]\nregions = us-west-1\n"
               "instances-per-zone = 1\nneeds = 1 instance\nload-balancer = alb\n"
               "[inject x]\nat = 1d\nfail = load-balancer us-east-1\n" /* 13 */ "for = 1h\n",
               FL_SCENARIO_ERROR_REFERENCE, "no service has a load balancer in us-east-1",
               "test.ini:13, [inject x] fail", "load balancers run in: us-west-1");
  /* The DNS control plane of a scenario without DNS. */
  EXPECT_ERROR(TWO_REGIONS SERVICE_HEAD "[inject x]\nat = 1d\nfail = dns-control-plane\n"
               /* 10 */ "for = 1h\n",
               FL_SCENARIO_ERROR_REFERENCE, "no service uses a [dns] group",
               "test.ini:10, [inject x] fail", "add dns = NAME");
}
END_TEST

START_TEST(test_bad_random_failures)
{
  EXPECT_ERROR("[scenario]\nrandom-failures = off\n" TWO_REGIONS SERVICE_HEAD,
               FL_SCENARIO_ERROR_VALUE, "'off' is not yes or no",
               "test.ini:2, [scenario] random-failures", "yes, no, true or false");
  EXPECT_ERROR("[scenario]\nrandom-failure = no\n" TWO_REGIONS SERVICE_HEAD,
               FL_SCENARIO_ERROR_UNKNOWN, "unknown key 'random-failure'",
               "test.ini:2, [scenario] random-failure", "did you mean 'random-failures'?");
}
END_TEST

START_TEST(test_group_kinds)
{
  /* The new kinds are named groups, suggested when misspelt. */
  EXPECT_ERROR(TWO_REGIONS "[load-balancer]\n" SERVICE_HEAD, FL_SCENARIO_ERROR_SYNTAX,
               "[load-balancer]", "test.ini:5", "[load-balancer NAME]");
  EXPECT_ERROR(TWO_REGIONS "[injcet x]\nat = 1d\n" SERVICE_HEAD, FL_SCENARIO_ERROR_UNKNOWN,
               "unknown group kind 'injcet'", "test.ini:5", "did you mean [inject x]?",
               "load-balancer, dns, image, inject");
  EXPECT_ERROR(TWO_REGIONS "[dns d]\npolicy = failover\nprimray = us-west-1\n" SERVICE_HEAD,
               FL_SCENARIO_ERROR_UNKNOWN, "unknown key 'primray'", "test.ini:7, [dns d] primray",
               "did you mean 'primary'?");
}
END_TEST

static Suite *
scenario_mr_suite(void)
{
  Suite *s = suite_create("scenario_mr");
  TCase *tc = tcase_create("valid");
  tcase_add_test(tc, test_issue_example);
  tcase_add_test(tc, test_shipped_scenarios);
  tcase_add_test(tc, test_load_balancer_values);
  tcase_add_test(tc, test_policy_failover);
  tcase_add_test(tc, test_policy_weighted);
  tcase_add_test(tc, test_policy_latency);
  tcase_add_test(tc, test_policy_multivalue);
  tcase_add_test(tc, test_api_failover);
  tcase_add_test(tc, test_image_values);
  tcase_add_test(tc, test_strategies);
  tcase_add_test(tc, test_eip_single_region);
  tcase_add_test(tc, test_injects);
  tcase_add_test(tc, test_new_failure_targets);
  suite_add_tcase(s, tc);

  tc = tcase_create("groups");
  tcase_add_test(tc, test_bad_load_balancer);
  tcase_add_test(tc, test_bad_dns_policy);
  tcase_add_test(tc, test_bad_failover_records);
  tcase_add_test(tc, test_bad_weights);
  tcase_add_test(tc, test_bad_clients);
  tcase_add_test(tc, test_bad_dns_values);
  tcase_add_test(tc, test_bad_image);
  tcase_add_test(tc, test_group_kinds);
  tcase_add_test(tc, test_bad_random_failures);
  suite_add_tcase(s, tc);

  tc = tcase_create("service");
  tcase_add_test(tc, test_unknown_group_references);
  tcase_add_test(tc, test_dns_needs_two_regions);
  tcase_add_test(tc, test_record_outside_service);
  tcase_add_test(tc, test_eip_multi_region);
  tcase_add_test(tc, test_nothing_to_fail);
  tcase_add_test(tc, test_strategy_keys);
  tcase_add_test(tc, test_bad_strategy);
  tcase_add_test(tc, test_bad_data_keys);
  suite_add_tcase(s, tc);

  tc = tcase_create("failures and injections");
  tcase_add_test(tc, test_bad_new_failure_targets);
  tcase_add_test(tc, test_bad_inject);
  tcase_add_test(tc, test_inject_missing_component);
  tcase_add_test(tc, test_inject_link);
  tcase_add_test(tc, test_bad_inject_link);
  tcase_add_test(tc, test_inject_hazard);
  tcase_add_test(tc, test_bad_inject_hazard);
  tcase_add_test(tc, test_inject_name_is_a_failure_name);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(scenario_mr_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
