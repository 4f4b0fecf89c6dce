/* check_scenario.c - the scenario language: what a valid file means, its defaults, and every
 * class of malformed input, each with its error code and a message that says what is wrong,
 * where (file:line, [group] key) and what would be valid (scenario.h, STYLE.md rule 10). */
#include "config.h"

#include "faultline/scenario.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "faultline/errors.h"
#include "faultline/units.h"
#include "scenario_checks.h"

/* ---- helpers ---- */


/* A valid tail that many error cases append after the group under test. */
#define REGION_R "[region r]\nzones = 3\n"
#define SERVICE_WEB "[service web]\ninstances-per-zone = 2\nneeds = 3 instances\n"

/* ---- valid files ---- */

START_TEST(test_quickstart)
{
  const char *path = FL_TEST_SRCDIR "/scenarios/quickstart.ini";
  g_autoptr(GError) error = NULL;
  g_autoptr(FlScenario) sc = fl_scenario_load(path, &error);
  ck_assert_msg(sc != NULL, "%s", error ? error->message : "?");
  ck_assert_str_eq(sc->name, "Web tier in one region, three zones");
  ck_assert_str_eq(sc->file, path);
  ck_assert_str_eq(sc->base_dir, FL_TEST_SRCDIR "/scenarios");
  ck_assert_uint_eq(strlen(sc->sha256), 64);
  ck_assert_double_eq(sc->horizon_s, 31536000.0); /* 1y = 365 d x 86400 s */
  ck_assert_uint_eq(sc->replications, 2000);
  ck_assert_uint_eq(sc->seed, 7);

  ck_assert_uint_eq(sc->regions->len, 1);
  const FlRegionSpec *r = fl_scenario_region(sc, 0);
  ck_assert_str_eq(r->name, "us-east-1");
  ck_assert_uint_eq(r->first_zone, 0);
  ck_assert_uint_eq(r->n_zones, 3);
  ck_assert(r->has_location);
  ck_assert_double_eq(r->lat_deg, 38.9);
  ck_assert_double_eq(r->lon_deg, -77.4);
  ck_assert_uint_eq(sc->zones->len, 3);
  const char *const zones[] = { "us-east-1a", "us-east-1b", "us-east-1c" };
  for (guint z = 0; z < 3; z++) {
    ck_assert_str_eq(fl_scenario_zone(sc, z)->name, zones[z]);
    ck_assert_uint_eq(fl_scenario_zone(sc, z)->region, 0);
  }

  ck_assert_uint_eq(sc->failures->len, 3);
  const FlFailureSpec *f = fl_scenario_failure(sc, 0);
  ck_assert_str_eq(f->name, "instance-crash");
  ck_assert_int_eq(f->target, FL_TARGET_INSTANCE);
  ck_assert_int_eq(f->ttf->kind, FL_DIST_EXPONENTIAL);
  ck_assert_double_eq(fl_dist_mean(f->ttf), 90.0 * 86400.0);
  ck_assert_int_eq(f->ttr->kind, FL_DIST_LOGNORMAL);
  f = fl_scenario_failure(sc, 1);
  ck_assert_str_eq(f->name, "zone-outage");
  ck_assert_int_eq(f->target, FL_TARGET_ZONE);
  /* where = us-east-1: the region and all of its zones are in scope */
  ck_assert_uint_eq(f->region_in_scope[0], 1);
  for (guint z = 0; z < 3; z++)
    ck_assert_uint_eq(f->zone_in_scope[z], 1);
  ck_assert_double_eq(fl_dist_mean(f->ttf), 2.0 * 31536000.0);
  f = fl_scenario_failure(sc, 2);
  ck_assert_str_eq(f->name, "region-outage");
  ck_assert_int_eq(f->target, FL_TARGET_REGION);
  ck_assert_double_eq(fl_dist_mean(f->ttf), 8.0 * 31536000.0);

  ck_assert_uint_eq(sc->services->len, 1);
  const FlServiceSpec *s = fl_scenario_service(sc, 0);
  ck_assert_str_eq(s->name, "web");
  ck_assert_uint_eq(s->n_regions, 1);
  ck_assert_uint_eq(s->regions[0], 0);
  ck_assert_uint_eq(s->instances_per_zone, 2);
  ck_assert_int_eq(s->needs_kind, FL_NEEDS_INSTANCES);
  ck_assert_uint_eq(s->needs, 3);
  ck_assert_double_eq_tol(s->sla, 0.9995, 1e-12); /* 99.95 / 100 need not be exact */
  ck_assert_uint_eq(fl_service_capacity(sc, s, 0), 6);
}
END_TEST

START_TEST(test_zone_count_naming)
{
  g_autoptr(FlScenario) sc = LOAD_OK("[region eu-west-1]\n"
                                     "zones = 3\n"
                                     "[region b]\n"
                                     "zones = x, y\n"
                                     "[service web]\n"
                                     "instances-per-zone = 1\n"
                                     "needs = 2 zones\n");
  ck_assert_uint_eq(sc->zones->len, 5);
  ck_assert_str_eq(fl_scenario_zone(sc, 0)->name, "eu-west-1a");
  ck_assert_str_eq(fl_scenario_zone(sc, 1)->name, "eu-west-1b");
  ck_assert_str_eq(fl_scenario_zone(sc, 2)->name, "eu-west-1c");
  ck_assert_str_eq(fl_scenario_zone(sc, 3)->name, "x");
  ck_assert_str_eq(fl_scenario_zone(sc, 4)->name, "y");
  /* Zone indices are grouped by region, in file order. */
  ck_assert_uint_eq(fl_scenario_region(sc, 1)->first_zone, 3);
  ck_assert_uint_eq(fl_scenario_region(sc, 1)->n_zones, 2);
  ck_assert_uint_eq(fl_scenario_zone(sc, 4)->region, 1);
  ck_assert(!fl_scenario_region(sc, 0)->has_location);
  const FlServiceSpec *s = fl_scenario_service(sc, 0);
  ck_assert_int_eq(s->needs_kind, FL_NEEDS_ZONES);
  ck_assert_uint_eq(fl_service_capacity(sc, s, 0), 3);
  ck_assert_uint_eq(fl_service_capacity(sc, s, 1), 2);
}
END_TEST

START_TEST(test_defaults)
{
  /* No [scenario] group, no regions/sla keys: everything takes its documented default. */
  g_autoptr(GError) error = NULL;
  const char *text = "[region a]\nzones = 1\n"
                     "[region b]\nzones = 2\n"
                     "[service web]\ninstances-per-zone = 1\nneeds = 1 instance\n";
  g_autoptr(FlScenario) sc =
    fl_scenario_load_data(text, strlen(text), "dir/my-scenario.ini", NULL, &error);
  ck_assert_msg(sc != NULL, "%s", error ? error->message : "?");
  ck_assert_str_eq(sc->name, "my-scenario"); /* the file's base name */
  ck_assert_double_eq(sc->horizon_s, FL_SECONDS_PER_YEAR);
  ck_assert_uint_eq(sc->replications, 1000);
  ck_assert_uint_eq(sc->seed, 1);
  ck_assert_uint_eq(sc->failures->len, 0);
  const FlServiceSpec *s = fl_scenario_service(sc, 0);
  ck_assert_double_eq(s->sla, 0.999);
  ck_assert_uint_eq(s->n_regions, 2); /* regions = all, in file order */
  ck_assert_uint_eq(s->regions[0], 0);
  ck_assert_uint_eq(s->regions[1], 1);
  ck_assert_int_eq(s->needs_kind, FL_NEEDS_INSTANCES);
}
END_TEST

START_TEST(test_scenario_group_values)
{
  g_autoptr(FlScenario) sc = LOAD_OK("[scenario]\n"
                                     "name = custom name\n"
                                     "horizon = 90d\n"
                                     "replications = 1000000000\n" /* the most allowed */
                                     "seed = 0\n"
                                     REGION_R
                                     "[failure f]\n"
                                     "target = zone\n"
                                     "where = ra, rc\n"
                                     "time-to-failure = weibull(shape=1.5, scale=1y)\n"
                                     "time-to-repair = fixed(30min)\n"
                                     "[service web]\n"
                                     "regions = r\n"
                                     "instances-per-zone = 2\n"
                                     "needs = 6 instances\n" /* exactly the capacity */
                                     "sla = 99.99%\n");
  ck_assert_str_eq(sc->name, "custom name");
  ck_assert_double_eq(sc->horizon_s, 90.0 * 86400.0);
  ck_assert_uint_eq(sc->replications, 1000000000);
  ck_assert_uint_eq(sc->seed, 0);
  const FlFailureSpec *f = fl_scenario_failure(sc, 0);
  ck_assert_uint_eq(f->zone_in_scope[0], 1);
  ck_assert_uint_eq(f->zone_in_scope[1], 0);
  ck_assert_uint_eq(f->zone_in_scope[2], 1);
  ck_assert_uint_eq(f->region_in_scope[0], 0); /* zones named, not the region */
  ck_assert_int_eq(f->ttr->kind, FL_DIST_FIXED);
  ck_assert_double_eq(f->ttr->p1, 1800.0);
  ck_assert_uint_eq(fl_scenario_service(sc, 0)->needs, 6);
  ck_assert_double_eq_tol(fl_scenario_service(sc, 0)->sla, 0.9999, 1e-12);
}
END_TEST

START_TEST(test_load_io_errors)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlScenario) sc = fl_scenario_load(FL_TEST_SRCDIR "/no/such/file.ini", &error);
  ck_assert_ptr_null(sc);
  ck_assert(g_error_matches(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_IO));
  ck_assert_ptr_nonnull(strstr(error->message, "file.ini"));
  g_clear_error(&error);
  g_autoptr(FlScenario) dir = fl_scenario_load(FL_TEST_SRCDIR "/scenarios", &error);
  ck_assert_ptr_null(dir);
  ck_assert(g_error_matches(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_IO));
  ck_assert_ptr_nonnull(strstr(error->message, "directory"));
}
END_TEST

START_TEST(test_nearest_name)
{
  const char *const kinds[] = { "scenario", "region", "failure", "service", NULL };
  ck_assert_str_eq(fl_nearest_name("regoin", kinds), "region");
  ck_assert_str_eq(fl_nearest_name("Service", kinds), "service"); /* case-insensitive */
  ck_assert_ptr_null(fl_nearest_name("banana", kinds));
  const char *const none[] = { NULL };
  ck_assert_ptr_null(fl_nearest_name("x", none));
}
END_TEST

/* ---- syntax and schema ---- */

START_TEST(test_empty_and_binary)
{
  EXPECT_ERROR("", FL_SCENARIO_ERROR_SYNTAX, "test.ini", "empty");
  EXPECT_ERROR(" \n\n", FL_SCENARIO_ERROR_SYNTAX, "test.ini", "empty");
  static const char bin[] = "[region r]\nzones = 3\n\0\xff\xfe";
  expect_error_len(__LINE__, bin, sizeof bin - 1, FL_SCENARIO_ERROR_SYNTAX,
                   (const char *const[]){ "test.ini", "not a text file", NULL });
  EXPECT_ERROR("[region r]\nzones = 3\n\xc3\x28\n", FL_SCENARIO_ERROR_SYNTAX, "test.ini",
               "UTF-8");
}
END_TEST

START_TEST(test_unknown_group_kind)
{
  EXPECT_ERROR(REGION_R             /* 1-2 */
               "[regoin x]\n"       /* 3 */
               "zones = 2\n" SERVICE_WEB,
               FL_SCENARIO_ERROR_UNKNOWN, "unknown group kind 'regoin'", "test.ini:3",
               "[regoin x]", "did you mean [region x]?");
  EXPECT_ERROR(REGION_R SERVICE_WEB "[banana split]\n", FL_SCENARIO_ERROR_UNKNOWN,
               "unknown group kind 'banana'", "test.ini:6", "[banana split]",
               "scenario, region, zone, failure, service");
}
END_TEST

START_TEST(test_group_names)
{
  EXPECT_ERROR(REGION_R "[service]\ninstances-per-zone = 1\nneeds = 1 instance\n",
               FL_SCENARIO_ERROR_SYNTAX, "[service]", "test.ini:3", "[service NAME]");
  EXPECT_ERROR("[scenario main]\n" REGION_R SERVICE_WEB, FL_SCENARIO_ERROR_SYNTAX,
               "[scenario]", "test.ini:1", "takes no name");
  EXPECT_ERROR("[region us east]\nzones = 1\n" SERVICE_WEB, FL_SCENARIO_ERROR_SYNTAX,
               "'us east'", "test.ini:1", "single word");
  /* List separators in a name: it could be defined but never referred to. */
  EXPECT_ERROR("[region a,b]\nzones = 1\n" SERVICE_WEB, FL_SCENARIO_ERROR_SYNTAX,
               "name 'a,b' has ','", "test.ini:1", "letters, digits and '-'");
  EXPECT_ERROR("[region r%]\nzones = 1\n" SERVICE_WEB, FL_SCENARIO_ERROR_SYNTAX,
               "name 'r%' has '%'", "test.ini:1");
}
END_TEST

START_TEST(test_unknown_key)
{
  EXPECT_ERROR(REGION_R                                 /* 1-2 */
               "[failure crash]\n"                      /* 3 */
               "target = instance\n"                    /* 4 */
               "time-to-fail = exponential(mean=30d)\n" /* 5 */
               "time-to-repair = fixed(1h)\n" SERVICE_WEB,
               FL_SCENARIO_ERROR_UNKNOWN, "unknown key 'time-to-fail'",
               "test.ini:5, [failure crash] time-to-fail", "did you mean 'time-to-failure'?");
  EXPECT_ERROR("[scenario]\nreplicatons = 10\n" REGION_R SERVICE_WEB,
               FL_SCENARIO_ERROR_UNKNOWN, "test.ini:2, [scenario] replicatons",
               "did you mean 'replications'?");
  /* Nothing close: list what the group takes. */
  EXPECT_ERROR(REGION_R "colour = blue\n" SERVICE_WEB, FL_SCENARIO_ERROR_UNKNOWN,
               "unknown key 'colour'", "test.ini:3, [region r] colour", "zones, location");
}
END_TEST

START_TEST(test_duplicate_group)
{
  EXPECT_ERROR(REGION_R SERVICE_WEB "[region r]\nzones = 2\n", FL_SCENARIO_ERROR_DUPLICATE,
               "[region r]", "line 1", "test.ini:6");
}
END_TEST

START_TEST(test_duplicate_key)
{
  EXPECT_ERROR("[region r]\nzones = 3\nzones = 2\n" SERVICE_WEB, FL_SCENARIO_ERROR_DUPLICATE,
               "'zones'", "[region r]", "line 2", "test.ini:3");
}
END_TEST

START_TEST(test_no_region_no_service)
{
  EXPECT_ERROR("[scenario]\nseed = 3\n[service web]\ninstances-per-zone = 1\n"
               "needs = 1 instance\n",
               FL_SCENARIO_ERROR_MISSING, "no [region ...] group", "test.ini", "zones = 3");
  EXPECT_ERROR("# only comments\n", FL_SCENARIO_ERROR_MISSING, "no [region ...] group",
               "test.ini");
  EXPECT_ERROR(REGION_R, FL_SCENARIO_ERROR_MISSING, "no [service ...] group", "test.ini",
               "instances-per-zone and needs");
}
END_TEST

/* ---- missing keys ---- */

START_TEST(test_missing_zones)
{
  /* Without zones a region has three (r a, r b, r c), as AWS regions since 2019 do. */
  g_autoptr(FlScenario) sc = LOAD_OK("[region r]\nlocation = 1,2\n" SERVICE_WEB);
  ck_assert_uint_eq(sc->zones->len, 3);
  ck_assert_str_eq(fl_scenario_zone(sc, 2)->name, "rc");
  EXPECT_ERROR("[region r]\nzones =\n" SERVICE_WEB, FL_SCENARIO_ERROR_VALUE,
               "'zones' is empty", "test.ini:2, [region r] zones", "a, b, c");
}
END_TEST

#define FAILURE_HEAD REGION_R "[failure f]\n" /* the group header is line 3 */

START_TEST(test_missing_failure_keys)
{
  EXPECT_ERROR(FAILURE_HEAD "time-to-failure = fixed(1d)\ntime-to-repair = fixed(1h)\n"
               SERVICE_WEB,
               FL_SCENARIO_ERROR_MISSING, "missing key 'target'", "test.ini:3, [failure f]",
               "target = zone");
  EXPECT_ERROR(FAILURE_HEAD "target = zone\ntime-to-repair = fixed(1h)\n" SERVICE_WEB,
               FL_SCENARIO_ERROR_MISSING, "missing key 'time-to-failure'",
               "test.ini:3, [failure f]", "time-to-failure = exponential(mean=30d)");
  EXPECT_ERROR(FAILURE_HEAD "target = zone\ntime-to-failure = fixed(1d)\n" SERVICE_WEB,
               FL_SCENARIO_ERROR_MISSING, "missing key 'time-to-repair'",
               "test.ini:3, [failure f]", "time-to-repair = lognormal(");
}
END_TEST

START_TEST(test_missing_service_keys)
{
  EXPECT_ERROR(REGION_R "[service web]\nneeds = 1 instance\n", FL_SCENARIO_ERROR_MISSING,
               "missing key 'instances-per-zone'", "test.ini:3, [service web]",
               "instances-per-zone = 2");
  EXPECT_ERROR(REGION_R "[service web]\ninstances-per-zone = 1\n", FL_SCENARIO_ERROR_MISSING,
               "missing key 'needs'", "test.ini:3, [service web]", "needs = 2 instances");
}
END_TEST

/* ---- values ---- */

START_TEST(test_bad_replications)
{
  EXPECT_ERROR("[scenario]\nreplications = 0\n" REGION_R SERVICE_WEB, FL_SCENARIO_ERROR_VALUE,
               "0 is out of range", "test.ini:2, [scenario] replications", "1 to 1000000000");
  EXPECT_ERROR("[scenario]\nreplications = -5\n" REGION_R SERVICE_WEB, FL_SCENARIO_ERROR_VALUE,
               "-5", "test.ini:2, [scenario] replications", "1 to 1000000000");
  EXPECT_ERROR("[scenario]\nreplications = 1e99\n" REGION_R SERVICE_WEB,
               FL_SCENARIO_ERROR_VALUE, "'1e99' is not a whole number",
               "test.ini:2, [scenario] replications", "1 to 1000000000");
  EXPECT_ERROR("[scenario]\nreplications = 99999999999999999999\n" REGION_R SERVICE_WEB,
               FL_SCENARIO_ERROR_VALUE, "99999999999999999999",
               "test.ini:2, [scenario] replications", "1 to 1000000000");
  EXPECT_ERROR("[scenario]\nreplications = 1000000001\n" REGION_R SERVICE_WEB,
               FL_SCENARIO_ERROR_VALUE, "out of range", "1 to 1000000000");
  EXPECT_ERROR("[scenario]\nreplications = nan\n" REGION_R SERVICE_WEB,
               FL_SCENARIO_ERROR_VALUE, "'nan'", "[scenario] replications");
  EXPECT_ERROR("[scenario]\nseed = -1\n" REGION_R SERVICE_WEB, FL_SCENARIO_ERROR_VALUE,
               "-1", "test.ini:2, [scenario] seed", "0 to");
}
END_TEST

START_TEST(test_bad_horizon)
{
  EXPECT_ERROR("[scenario]\nhorizon = -1y\n" REGION_R SERVICE_WEB, FL_SCENARIO_ERROR_VALUE,
               "'-1y'", "test.ini:2, [scenario] horizon", "more than zero");
  EXPECT_ERROR("[scenario]\nhorizon = 0y\n" REGION_R SERVICE_WEB, FL_SCENARIO_ERROR_VALUE,
               "'0y'", "test.ini:2, [scenario] horizon", "more than zero");
  EXPECT_ERROR("[scenario]\nhorizon = nan\n" REGION_R SERVICE_WEB, FL_SCENARIO_ERROR_VALUE,
               "'nan' is not a duration", "test.ini:2, [scenario] horizon", "90d");
  EXPECT_ERROR("[scenario]\nhorizon = nany\n" REGION_R SERVICE_WEB, FL_SCENARIO_ERROR_VALUE,
               "'nany' is not a duration", "[scenario] horizon");
  EXPECT_ERROR("[scenario]\nhorizon = infy\n" REGION_R SERVICE_WEB, FL_SCENARIO_ERROR_VALUE,
               "'infy' is not a duration", "[scenario] horizon");
  EXPECT_ERROR("[scenario]\nhorizon = 1e99y\n" REGION_R SERVICE_WEB, FL_SCENARIO_ERROR_VALUE,
               "'1e99y' is too large", "test.ini:2, [scenario] horizon", "1000000y");
  EXPECT_ERROR("[scenario]\nhorizon = 20000y\n" REGION_R SERVICE_WEB, FL_SCENARIO_ERROR_VALUE,
               "'20000y' is too long", "test.ini:2, [scenario] horizon", "10000y");
  EXPECT_ERROR("[scenario]\nhorizon = 12\n" REGION_R SERVICE_WEB, FL_SCENARIO_ERROR_VALUE,
               "no unit", "test.ini:2, [scenario] horizon", "ms, s, min, h, d, w or y");
  EXPECT_ERROR("[scenario]\nhorizon = 3 fortnights\n" REGION_R SERVICE_WEB,
               FL_SCENARIO_ERROR_VALUE, "unknown unit 'fortnights'",
               "test.ini:2, [scenario] horizon", "ms, s, min, h, d, w or y");
}
END_TEST

START_TEST(test_m_unit_is_ambiguous)
{
  EXPECT_ERROR("[scenario]\nhorizon = 10m\n" REGION_R SERVICE_WEB, FL_SCENARIO_ERROR_VALUE,
               "unit 'm' in '10m' is ambiguous", "test.ini:2, [scenario] horizon", "'min'");
  EXPECT_ERROR(FAILURE_HEAD "target = zone\n"           /* 4 */
               "time-to-failure = fixed(30d)\n"         /* 5 */
               "time-to-repair = fixed(30m)\n"          /* 6 */
               SERVICE_WEB,
               FL_SCENARIO_ERROR_VALUE, "ambiguous", "test.ini:6, [failure f] time-to-repair",
               "'min'");
}
END_TEST

START_TEST(test_bad_instances_per_zone)
{
  EXPECT_ERROR(REGION_R "[service web]\ninstances-per-zone = 0\nneeds = 1 instance\n",
               FL_SCENARIO_ERROR_VALUE, "0 is out of range",
               "test.ini:4, [service web] instances-per-zone", "1 to 100000");
  EXPECT_ERROR(REGION_R "[service web]\ninstances-per-zone = two\nneeds = 1 instance\n",
               FL_SCENARIO_ERROR_VALUE, "'two' is not a whole number",
               "test.ini:4, [service web] instances-per-zone");
}
END_TEST

START_TEST(test_bad_zone_count)
{
  EXPECT_ERROR("[region r]\nzones = 0\n" SERVICE_WEB, FL_SCENARIO_ERROR_VALUE, "'0'",
               "test.ini:2, [region r] zones", "1 to 26", "ra, rb");
  EXPECT_ERROR("[region r]\nzones = 27\n" SERVICE_WEB, FL_SCENARIO_ERROR_VALUE, "'27'",
               "test.ini:2, [region r] zones", "1 to 26");
  EXPECT_ERROR("[region r]\nzones = -3\n" SERVICE_WEB, FL_SCENARIO_ERROR_VALUE, "'-3'",
               "test.ini:2, [region r] zones", "1 to 26");
  EXPECT_ERROR("[region r]\nzones = a, , b\n" SERVICE_WEB, FL_SCENARIO_ERROR_VALUE,
               "empty item", "test.ini:2, [region r] zones", "a, b, c");
}
END_TEST

START_TEST(test_zone_listed_twice)
{
  EXPECT_ERROR("[region r]\nzones = a, b, a\n" SERVICE_WEB, FL_SCENARIO_ERROR_DUPLICATE,
               "'a' is listed twice", "test.ini:2, [region r] zones", "list each name once");
  /* The same zone name in two regions. */
  EXPECT_ERROR("[region r]\nzones = a, b\n[region s]\nzones = c, a\n" SERVICE_WEB,
               FL_SCENARIO_ERROR_DUPLICATE, "'a' is already used",
               "test.ini:4, [region s] zones", "must be unique");
  /* A zone named like a region (zones = 2 in region "r" makes "ra", "rb"). */
  EXPECT_ERROR("[region ra]\nzones = 1\n[region r]\nzones = 2\n" SERVICE_WEB,
               FL_SCENARIO_ERROR_DUPLICATE, "'ra' is already used",
               "test.ini:4, [region r] zones");
  /* The same name twice in `where`. */
  EXPECT_ERROR(FAILURE_HEAD "target = zone\nwhere = ra, ra\ntime-to-failure = fixed(1d)\n"
               "time-to-repair = fixed(1h)\n" SERVICE_WEB,
               FL_SCENARIO_ERROR_DUPLICATE, "'ra' is listed twice",
               "test.ini:5, [failure f] where");
}
END_TEST

START_TEST(test_bad_location)
{
  EXPECT_ERROR("[region r]\nzones = 1\nlocation = 91,0\n" SERVICE_WEB, FL_SCENARIO_ERROR_VALUE,
               "latitude '91'", "test.ini:3, [region r] location", "-90 to 90", "38.9,-77.4");
  EXPECT_ERROR("[region r]\nzones = 1\nlocation = 0, 181\n" SERVICE_WEB,
               FL_SCENARIO_ERROR_VALUE, "longitude '181'", "test.ini:3, [region r] location",
               "-180 to 180");
  EXPECT_ERROR("[region r]\nzones = 1\nlocation = 38.9\n" SERVICE_WEB, FL_SCENARIO_ERROR_VALUE,
               "'38.9' is not a location", "test.ini:3, [region r] location",
               "latitude,longitude");
  EXPECT_ERROR("[region r]\nzones = 1\nlocation = nan,0\n" SERVICE_WEB, FL_SCENARIO_ERROR_VALUE,
               "latitude 'nan'", "test.ini:3, [region r] location");
}
END_TEST

START_TEST(test_bad_target)
{
  EXPECT_ERROR(FAILURE_HEAD "target = zones\ntime-to-failure = fixed(1d)\n"
               "time-to-repair = fixed(1h)\n" SERVICE_WEB,
               FL_SCENARIO_ERROR_VALUE, "unknown target 'zones'", "test.ini:4, [failure f] target",
               "did you mean 'zone'?",
               "instance, zone, region, load-balancer, dns-control-plane or link");
}
END_TEST

START_TEST(test_unknown_distribution)
{
  EXPECT_ERROR(FAILURE_HEAD "target = zone\n"
               "time-to-failure = exponentail(mean=30d)\n" /* 5 */
               "time-to-repair = fixed(1h)\n" SERVICE_WEB,
               FL_SCENARIO_ERROR_VALUE, "unknown distribution 'exponentail'",
               "test.ini:5, [failure f] time-to-failure", "exponential(mean=D)");
  EXPECT_ERROR(FAILURE_HEAD "target = zone\ntime-to-failure = 30d\n"
               "time-to-repair = fixed(1h)\n" SERVICE_WEB,
               FL_SCENARIO_ERROR_VALUE, "'30d' is not a distribution",
               "test.ini:5, [failure f] time-to-failure", "fixed(D)");
}
END_TEST

START_TEST(test_missing_parameter)
{
  EXPECT_ERROR(FAILURE_HEAD "target = zone\ntime-to-failure = fixed(30d)\n"
               "time-to-repair = weibull(shape=2)\n" /* 6 */ SERVICE_WEB,
               FL_SCENARIO_ERROR_VALUE, "missing parameter scale",
               "test.ini:6, [failure f] time-to-repair", "weibull(shape=K, scale=D)");
  EXPECT_ERROR(FAILURE_HEAD "target = zone\ntime-to-failure = fixed()\n"
               "time-to-repair = fixed(1h)\n" SERVICE_WEB,
               FL_SCENARIO_ERROR_VALUE, "fixed() is missing its duration",
               "test.ini:5, [failure f] time-to-failure", "fixed(D)");
  EXPECT_ERROR(FAILURE_HEAD "target = zone\ntime-to-failure = exponential(mena=30d)\n"
               "time-to-repair = fixed(1h)\n" SERVICE_WEB,
               FL_SCENARIO_ERROR_VALUE, "no parameter 'mena'",
               "test.ini:5, [failure f] time-to-failure", "exponential(mean=D)");
}
END_TEST

START_TEST(test_bad_distribution_values)
{
  EXPECT_ERROR(FAILURE_HEAD "target = zone\ntime-to-failure = exponential(mean=0d)\n"
               "time-to-repair = fixed(1h)\n" SERVICE_WEB,
               FL_SCENARIO_ERROR_VALUE, "more than zero",
               "test.ini:5, [failure f] time-to-failure");
  EXPECT_ERROR(FAILURE_HEAD "target = zone\ntime-to-failure = fixed(-1d)\n"
               "time-to-repair = fixed(1h)\n" SERVICE_WEB,
               FL_SCENARIO_ERROR_VALUE, "'-1d'", "test.ini:5, [failure f] time-to-failure");
  EXPECT_ERROR(FAILURE_HEAD "target = zone\ntime-to-failure = fixed(1e300y)\n"
               "time-to-repair = fixed(1h)\n" SERVICE_WEB,
               FL_SCENARIO_ERROR_VALUE, "too large", "test.ini:5, [failure f] time-to-failure");
  EXPECT_ERROR(FAILURE_HEAD "target = zone\ntime-to-failure = lognormal(median=nan, sigma=1)\n"
               "time-to-repair = fixed(1h)\n" SERVICE_WEB,
               FL_SCENARIO_ERROR_VALUE, "'nan'", "test.ini:5, [failure f] time-to-failure");
}
END_TEST

START_TEST(test_bad_needs_syntax)
{
  EXPECT_ERROR(REGION_R "[service web]\ninstances-per-zone = 2\nneeds = 3 apples\n",
               FL_SCENARIO_ERROR_VALUE, "'3 apples' is not a need",
               "test.ini:5, [service web] needs", "'3 instances' or '2 zones'");
  EXPECT_ERROR(REGION_R "[service web]\ninstances-per-zone = 2\nneeds = 3\n",
               FL_SCENARIO_ERROR_VALUE, "'3' is not a need", "test.ini:5, [service web] needs");
  EXPECT_ERROR(REGION_R "[service web]\ninstances-per-zone = 2\nneeds = 0 instances\n",
               FL_SCENARIO_ERROR_VALUE, "'0 instances'", "[service web] needs", "positive");
  EXPECT_ERROR(REGION_R "[service web]\ninstances-per-zone = 2\nneeds = three zones\n",
               FL_SCENARIO_ERROR_VALUE, "'three zones'", "[service web] needs");
  EXPECT_ERROR(REGION_R "[service web]\ninstances-per-zone = 2\nneeds = -1 zones\n",
               FL_SCENARIO_ERROR_VALUE, "'-1 zones'", "[service web] needs");
}
END_TEST

START_TEST(test_bad_sla)
{
  EXPECT_ERROR(REGION_R SERVICE_WEB "sla = 101%\n", FL_SCENARIO_ERROR_VALUE, "'101%'",
               "test.ini:6, [service web] sla", "0%..100%");
  EXPECT_ERROR(REGION_R SERVICE_WEB "sla = -1%\n", FL_SCENARIO_ERROR_VALUE, "'-1%'",
               "test.ini:6, [service web] sla", "0%..100%");
  EXPECT_ERROR(REGION_R SERVICE_WEB "sla = 0.9995\n", FL_SCENARIO_ERROR_VALUE,
               "'0.9995' is not a percentage", "test.ini:6, [service web] sla", "99.95%");
  EXPECT_ERROR(REGION_R SERVICE_WEB "sla = nan%\n", FL_SCENARIO_ERROR_VALUE, "'nan%'",
               "test.ini:6, [service web] sla");
}
END_TEST

/* ---- impossible and references ---- */

START_TEST(test_impossible_needs)
{
  EXPECT_ERROR(REGION_R "[service web]\ninstances-per-zone = 2\nneeds = 7 instances\n",
               FL_SCENARIO_ERROR_IMPOSSIBLE, "needs 7 instances but region r has only 6",
               "test.ini:5, [service web] needs", "lower needs or add instances-per-zone");
  EXPECT_ERROR(REGION_R "[service web]\ninstances-per-zone = 2\nneeds = 4 zones\n",
               FL_SCENARIO_ERROR_IMPOSSIBLE, "needs 4 zones but region r has only 3",
               "test.ini:5, [service web] needs", "add zones");
  /* Satisfiable in the big region but not the small one: name the small one. */
  EXPECT_ERROR("[region big]\nzones = 3\n[region small]\nzones = 1\n"
               "[service web]\ninstances-per-zone = 2\nneeds = 3 instances\n",
               FL_SCENARIO_ERROR_IMPOSSIBLE, "region small has only 2",
               "test.ini:7, [service web] needs");
}
END_TEST

#define US_EAST "[region us-east-1]\nzones = 3\n" /* zones us-east-1a, b, c */

START_TEST(test_unknown_where)
{
  EXPECT_ERROR(US_EAST "[failure f]\ntarget = zone\n"
               "where = us-esat-1\n" /* 5 */
               "time-to-failure = fixed(1d)\ntime-to-repair = fixed(1h)\n" SERVICE_WEB,
               FL_SCENARIO_ERROR_REFERENCE, "unknown region or zone 'us-esat-1'",
               "test.ini:5, [failure f] where", "did you mean 'us-east-1'?");
  EXPECT_ERROR(US_EAST "[failure f]\ntarget = zone\nwhere = us-east-1a, us-east-1q\n"
               "time-to-failure = fixed(1d)\ntime-to-repair = fixed(1h)\n" SERVICE_WEB,
               FL_SCENARIO_ERROR_REFERENCE, "'us-east-1q'", "test.ini:5, [failure f] where",
               "did you mean 'us-east-1");
  EXPECT_ERROR(US_EAST "[failure f]\ntarget = zone\nwhere = frobnicate\n"
               "time-to-failure = fixed(1d)\ntime-to-repair = fixed(1h)\n" SERVICE_WEB,
               FL_SCENARIO_ERROR_REFERENCE, "unknown region or zone 'frobnicate'",
               "test.ini:5, [failure f] where", "regions are: us-east-1");
  /* target = region takes regions only, so its hint is a region, though us-east-1ab is nearer
   * to the zone us-east-1a. */
  EXPECT_ERROR(US_EAST "[failure f]\ntarget = region\nwhere = us-east-1ab\n"
               "time-to-failure = fixed(1d)\ntime-to-repair = fixed(1h)\n" SERVICE_WEB,
               FL_SCENARIO_ERROR_REFERENCE, "unknown region 'us-east-1ab'",
               "test.ini:5, [failure f] where", "did you mean 'us-east-1'?");
}
END_TEST

START_TEST(test_unknown_regions)
{
  EXPECT_ERROR(US_EAST "[service web]\n"
               "regions = us-est-1\n" /* 4 */
               "instances-per-zone = 1\nneeds = 1 instance\n",
               FL_SCENARIO_ERROR_REFERENCE, "unknown region 'us-est-1'",
               "test.ini:4, [service web] regions", "did you mean 'us-east-1'?");
  /* Nearer to a zone than to the region, but only regions are valid here: suggest the region. */
  EXPECT_ERROR(US_EAST "[service web]\nregions = us-east-1ax\n"
               "instances-per-zone = 1\nneeds = 1 instance\n",
               FL_SCENARIO_ERROR_REFERENCE, "unknown region 'us-east-1ax'",
               "test.ini:4, [service web] regions", "did you mean 'us-east-1'?");
  EXPECT_ERROR(US_EAST "[service web]\nregions = mars\ninstances-per-zone = 1\n"
               "needs = 1 instance\n",
               FL_SCENARIO_ERROR_REFERENCE, "unknown region 'mars'",
               "test.ini:4, [service web] regions", "regions are: us-east-1");
  /* A zone where a region belongs: name the zone's region. */
  EXPECT_ERROR(US_EAST "[service web]\nregions = us-east-1b\ninstances-per-zone = 1\n"
               "needs = 1 instance\n",
               FL_SCENARIO_ERROR_REFERENCE, "'us-east-1b' is a zone, not a region",
               "test.ini:4, [service web] regions", "'us-east-1'");
  EXPECT_ERROR(US_EAST "[service web]\nregions = us-east-1, us-east-1\ninstances-per-zone = 1\n"
               "needs = 1 instance\n",
               FL_SCENARIO_ERROR_DUPLICATE, "listed twice", "test.ini:4, [service web] regions");
}
END_TEST

START_TEST(test_zone_in_region_group)
{
  EXPECT_ERROR(US_EAST "[failure f]\ntarget = region\n"
               "where = us-east-1b\n" /* 5 */
               "time-to-failure = fixed(1d)\ntime-to-repair = fixed(1h)\n" SERVICE_WEB,
               FL_SCENARIO_ERROR_VALUE, "'us-east-1b' is a zone, but this group targets regions",
               "test.ini:5, [failure f] where", "name its region 'us-east-1'", "target = zone");
}
END_TEST

START_TEST(test_instance_group_reaches_nothing)
{
  /* Instances fail only where a service runs them; here the service runs only in r. */
  EXPECT_ERROR(REGION_R "[region s]\nzones = 1\n"
               "[failure crash]\ntarget = instance\nwhere = s\n" /* 7 */
               "time-to-failure = fixed(1d)\ntime-to-repair = fixed(1h)\n"
               "[service web]\nregions = r\ninstances-per-zone = 1\nneeds = 1 instance\n",
               FL_SCENARIO_ERROR_REFERENCE, "no service runs instances",
               "test.ini:7, [failure crash] where", "widen 'where'");
}
END_TEST

static Suite *
scenario_suite(void)
{
  Suite *s = suite_create("scenario");
  TCase *tc = tcase_create("valid");
  tcase_add_test(tc, test_quickstart);
  tcase_add_test(tc, test_zone_count_naming);
  tcase_add_test(tc, test_defaults);
  tcase_add_test(tc, test_scenario_group_values);
  tcase_add_test(tc, test_load_io_errors);
  tcase_add_test(tc, test_nearest_name);
  suite_add_tcase(s, tc);

  tc = tcase_create("schema");
  tcase_add_test(tc, test_empty_and_binary);
  tcase_add_test(tc, test_unknown_group_kind);
  tcase_add_test(tc, test_group_names);
  tcase_add_test(tc, test_unknown_key);
  tcase_add_test(tc, test_duplicate_group);
  tcase_add_test(tc, test_duplicate_key);
  tcase_add_test(tc, test_no_region_no_service);
  tcase_add_test(tc, test_missing_zones);
  tcase_add_test(tc, test_missing_failure_keys);
  tcase_add_test(tc, test_missing_service_keys);
  suite_add_tcase(s, tc);

  tc = tcase_create("values");
  tcase_add_test(tc, test_bad_replications);
  tcase_add_test(tc, test_bad_horizon);
  tcase_add_test(tc, test_m_unit_is_ambiguous);
  tcase_add_test(tc, test_bad_instances_per_zone);
  tcase_add_test(tc, test_bad_zone_count);
  tcase_add_test(tc, test_zone_listed_twice);
  tcase_add_test(tc, test_bad_location);
  tcase_add_test(tc, test_bad_target);
  tcase_add_test(tc, test_unknown_distribution);
  tcase_add_test(tc, test_missing_parameter);
  tcase_add_test(tc, test_bad_distribution_values);
  tcase_add_test(tc, test_bad_needs_syntax);
  tcase_add_test(tc, test_bad_sla);
  suite_add_tcase(s, tc);

  tc = tcase_create("references");
  tcase_add_test(tc, test_impossible_needs);
  tcase_add_test(tc, test_unknown_where);
  tcase_add_test(tc, test_unknown_regions);
  tcase_add_test(tc, test_zone_in_region_group);
  tcase_add_test(tc, test_instance_group_reaches_nothing);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(scenario_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
