/* check_scenario_hz.c - the correlated-failure part of the scenario language (issue 4,
 * docs/hazards.md, sim/scenario_hz.c): `location`, `spread` and [zone NAME]; links
 * (`target = link`, `between`); [hazard NAME] of each kind with its defaults; and `include =`
 * with its lookup order (beside the including file, then $FAULTLINE_SCENARIODIR), cycles,
 * missing files, redefined groups and run settings in an included file. Valid files must load
 * with every value right; every class of bad input must fail with its error code and a message
 * naming the file, line, [group] and key (STYLE.md rule 10).
 */
#include "config.h"

#include "faultline/scenario.h"

#include <check.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "faultline/errors.h"
#include "faultline/geo.h"
#include "faultline/units.h"
#include "scenario_checks.h"

/* ---- helpers ---- */


static FlScenario *
load_file_ok_at(int line, const char *path)
{
  g_autoptr(GError) error = NULL;
  FlScenario *sc = fl_scenario_load(path, &error);
  ck_assert_msg(sc != NULL, "line %d: unexpected error: %s", line, error ? error->message : "?");
  return sc;
}
#define LOAD_FILE_OK(path) load_file_ok_at(__LINE__, (path))

/* Loads the file at @path, which must fail like EXPECT_ERROR says. */
static void
expect_file_error(int line, const char *path, int code, const char *const *needles)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlScenario) sc = fl_scenario_load(path, &error);
  ck_assert_msg(sc == NULL, "line %d: loaded but should have failed", line);
  check_error(line, error, code, needles);
}
#define EXPECT_FILE_ERROR(path, code, ...)                                                      \
  expect_file_error(__LINE__, (path), (code), (const char *const[]){ __VA_ARGS__, NULL })

static const FlHazardSpec *
hazard_named(const FlScenario *sc, const char *name)
{
  for (guint i = 0; i < sc->hazards->len; i++)
    if (strcmp(fl_scenario_hazard(sc, i)->name, name) == 0)
      return fl_scenario_hazard(sc, i);
  ck_abort_msg("no hazard '%s'", name);
  return NULL;
}

static const FlRegionSpec *
region_named(const FlScenario *sc, const char *name)
{
  for (guint i = 0; i < sc->regions->len; i++)
    if (strcmp(fl_scenario_region(sc, i)->name, name) == 0)
      return fl_scenario_region(sc, i);
  ck_abort_msg("no region '%s'", name);
  return NULL;
}

/* A scratch folder for scenario files, removed by cleanup_dir (transfer full). */
static char *
make_dir(void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp("fl-check-hz-XXXXXX", &error);
  ck_assert_msg(dir != NULL, "%s", error ? error->message : "?");
  return dir;
}

/* Writes @text to @dir/@name (creating @name's folders) and returns the path (transfer full). */
static char *
put(const char *dir, const char *name, const char *text)
{
  char *path = g_build_filename(dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname(path);
  ck_assert_int_eq(g_mkdir_with_parents(parent, 0755), 0);
  g_autoptr(GError) error = NULL;
  ck_assert_msg(g_file_set_contents(path, text, -1, &error), "%s", error ? error->message : "?");
  return path;
}

static void
cleanup_dir(const char *dir)
{
  g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
}

/* Two located regions and a service over both: the hazards below refer to them. */
#define TWO_REGIONS                                                                             \
  "[region us-west-1]\n"                                                                        \
  "location = 37.35,-121.96\n"                                                                  \
  "spread = 40km\n"                                                                             \
  "[region us-west-2]\n"                                                                        \
  "location = 45.84,-119.70\n"                                                                  \
  "zones = 2\n"                                                                                 \
  "[service api]\n"                                                                             \
  "regions = us-west-1, us-west-2\n"                                                            \
  "instances-per-zone = 1\n"                                                                    \
  "needs = 1 zone\n"
/* Line numbers in TWO_REGIONS: 1 [region us-west-1], 2 location, 3 spread, 4 [region
 * us-west-2], 5 location, 6 zones, 7 [service api]; a group appended starts at line 11. */

#define SHOCK "[hazard grid]\nkind = shock\nrate = 0.5/y\nhits = 60%\ntime-to-repair = fixed(2h)\n"
#define ROLLOUT                                                                                 \
  "[hazard deploy]\nkind = rollout\nrate = 4/y\nwaves = us-west-1, us-west-2\n"                 \
  "bake-time = 2h\ndetect = fixed(45min)\ntime-to-repair = fixed(1h)\n"
#define QUAKE                                                                                   \
  "[hazard quake]\nkind = earthquake\nsource = 37.87,-122.25\nrate = 72% in 30y\n"              \
  "magnitude = gutenberg-richter(min=6.7, max=8.0, b=1.0)\n"

/* ---- valid files ---- */

START_TEST(test_issue_example)
{
  /* scenarios/bay-area-hazards.ini is issue 4's example verbatim; it includes the catalog's
   * hazards/sf-bay-area.ini beside it. */
  g_autofree char *path = g_build_filename(FL_TEST_SRCDIR, "scenarios", "bay-area-hazards.ini",
                                           NULL);
  g_autoptr(FlScenario) sc = LOAD_FILE_OK(path);
  ck_assert_uint_eq(sc->includes->len, 1);
  ck_assert(g_str_has_suffix(g_ptr_array_index(sc->includes, 0), "hazards/sf-bay-area.ini"));
  ck_assert_uint_eq(sc->hazards->len, 3);
  /* The included hazard names its file; the example's own name the example. */
  const FlHazardSpec *q = hazard_named(sc, "sf-bay-area");
  ck_assert(g_str_has_suffix(q->file, "hazards/sf-bay-area.ini"));
  ck_assert_str_eq(hazard_named(sc, "grid")->file, path);
  ck_assert_int_eq(q->kind, FL_HAZARD_EARTHQUAKE);
  ck_assert_uint_eq(q->n_source, 8);
  ck_assert_double_eq_tol(q->source[0].lat_deg, 38.44, 1e-12);
  ck_assert_double_eq_tol(q->source[7].lon_deg, -121.88, 1e-12);
  /* 72% in 30y: 1 - e^(-30 rate) = 0.72, rate = -ln(0.28) / 30 = 0.0424313 per year. */
  ck_assert_double_eq_tol(q->rate_per_year, -log(0.28) / 30.0, 1e-12);
  ck_assert_double_eq_tol(q->magnitude.m0, 6.7, 1e-12);
  ck_assert_double_eq_tol(q->magnitude.mmax, 8.0, 1e-12);
  ck_assert_double_eq_tol(q->magnitude.b, 1.0, 1e-12);
  ck_assert_int_eq(q->mechanism, FL_MECHANISM_STRIKE_SLIP);
  /* Regions: zones default to 3; spread places them 40 km and 30 km around the location. */
  const FlRegionSpec *w1 = region_named(sc, "us-west-1"), *w2 = region_named(sc, "us-west-2");
  ck_assert_uint_eq(w1->n_zones, 3);
  ck_assert_uint_eq(w2->n_zones, 3);
  ck_assert_double_eq_tol(w1->spread_km, 40.0, 1e-12);
  for (guint k = 0; k < 3; k++) {
    const FlZoneSpec *z = fl_scenario_zone(sc, w2->first_zone + k);
    ck_assert(z->has_location);
    ck_assert_double_eq_tol(fl_geo_distance_km(z->location, (FlLatLon){ 45.84, -119.70 }), 30.0,
                            1e-6);
  }
  const FlHazardSpec *d = hazard_named(sc, "bad-deploy");
  ck_assert_uint_eq(d->n_waves, 2);
  ck_assert_double_eq_tol(d->bake_s, 7200.0, 1e-9);
  ck_assert_double_eq_tol(hazard_named(sc, "grid")->hits, 0.6, 1e-12);
}
END_TEST

START_TEST(test_earthquake_defaults)
{
  g_autoptr(FlScenario) sc = LOAD_OK(TWO_REGIONS QUAKE);
  const FlHazardSpec *q = hazard_named(sc, "quake");
  ck_assert_int_eq(q->kind, FL_HAZARD_EARTHQUAKE);
  ck_assert_int_eq(q->target, FL_TARGET_ZONE);
  ck_assert_str_eq(q->file, "test.ini");
  ck_assert_uint_eq(q->n_source, 1);
  ck_assert_int_eq(q->mechanism, FL_MECHANISM_UNSPECIFIED);
  ck_assert_double_eq(q->vs30_m_s, 760.0);         /* BC boundary rock */
  ck_assert_double_eq(q->generator_h, 72.0);       /* FL_DEFAULT_GENERATOR_HOURS */
  ck_assert_int_eq(q->facility, FL_FRAGILITY_BUILDING);
  ck_assert_int_eq(q->grid, FL_FRAGILITY_SUBSTATION_230KV);
  FlRestoration fr = fl_restoration_facility_default(), gr = fl_restoration_grid_default();
  for (int ds = 0; ds < FL_DAMAGE_N_STATES; ds++) {
    ck_assert_double_eq(q->facility_restore.hours[ds], fr.hours[ds]);
    ck_assert_double_eq(q->grid_restore.hours[ds], gr.hours[ds]);
  }
  /* No where: every zone (and region) is in scope. */
  for (guint z = 0; z < sc->zones->len; z++)
    ck_assert_uint_eq(q->zone_in_scope[z], 1);
  ck_assert_ptr_null(q->ttr);
  ck_assert_ptr_null(q->waves);
}
END_TEST

START_TEST(test_earthquake_every_key)
{
  g_autoptr(FlScenario) sc =
    LOAD_OK(TWO_REGIONS "[hazard q]\n"
                        "kind = earthquake\n"
                        "source = 47.0,-122.5; 46.5,-122.6; 46.0,-122.7\n"
                        "rate = 0.042/y\n"
                        "magnitude = gutenberg-richter(min=6.0, max=7.5, b=0.9)\n"
                        "mechanism = reverse\n"
                        "where = us-west-2\n"
                        "vs30 = 400m/s\n"
                        "generator-hours = 24h\n"
                        "facility-fragility = building\n"
                        "grid-fragility = substation-500kv\n"
                        "facility-restoration = 0, 0, 1d, 2d, 3d\n"
                        "grid-restoration = 0, 2h, 1d, 7d, 30d\n");
  const FlHazardSpec *q = hazard_named(sc, "q");
  ck_assert_uint_eq(q->n_source, 3);
  ck_assert_double_eq_tol(q->source[2].lat_deg, 46.0, 1e-12);
  ck_assert_double_eq_tol(q->rate_per_year, 0.042, 1e-12);
  ck_assert_double_eq_tol(q->magnitude.b, 0.9, 1e-12);
  ck_assert_int_eq(q->mechanism, FL_MECHANISM_REVERSE);
  ck_assert_double_eq(q->vs30_m_s, 400.0);
  ck_assert_double_eq_tol(q->generator_h, 24.0, 1e-12);
  ck_assert_int_eq(q->grid, FL_FRAGILITY_SUBSTATION_500KV);
  const double fac[] = { 0, 0, 24, 48, 72 }, grid[] = { 0, 2, 24, 168, 720 };
  for (int ds = 0; ds < FL_DAMAGE_N_STATES; ds++) {
    ck_assert_double_eq_tol(q->facility_restore.hours[ds], fac[ds], 1e-12);
    ck_assert_double_eq_tol(q->grid_restore.hours[ds], grid[ds], 1e-12);
  }
  /* where = us-west-2: its two zones only. */
  const FlRegionSpec *w2 = region_named(sc, "us-west-2");
  for (guint z = 0; z < sc->zones->len; z++)
    ck_assert_uint_eq(q->zone_in_scope[z], z >= w2->first_zone);
}
END_TEST

START_TEST(test_shock_values)
{
  g_autoptr(FlScenario) sc =
    LOAD_OK(TWO_REGIONS SHOCK "[hazard heat]\nkind = shock\ntarget = region\nwhere = us-west-2\n"
                              "rate = 25% in 1y\nhits = 100%\ntime-to-repair = fixed(6h)\n"
                              "[hazard zonal]\nkind = shock\ntarget = zone\n"
                              "where = us-west-1b, us-west-2\nrate = 1/y\nhits = 0%\n"
                              "time-to-repair = exponential(mean=1h)\n");
  /* Defaults: target zone, every zone in scope. */
  const FlHazardSpec *g = hazard_named(sc, "grid");
  ck_assert_int_eq(g->kind, FL_HAZARD_SHOCK);
  ck_assert_int_eq(g->target, FL_TARGET_ZONE);
  ck_assert_double_eq_tol(g->rate_per_year, 0.5, 1e-12);
  ck_assert_double_eq_tol(g->hits, 0.6, 1e-12);
  ck_assert_double_eq_tol(fl_dist_mean(g->ttr), 7200.0, 1e-9);
  for (guint z = 0; z < sc->zones->len; z++)
    ck_assert_uint_eq(g->zone_in_scope[z], 1);
  /* target = region, one region in scope; 25% in 1y is -ln(0.75) per year. */
  const FlHazardSpec *h = hazard_named(sc, "heat");
  ck_assert_int_eq(h->target, FL_TARGET_REGION);
  ck_assert_double_eq_tol(h->rate_per_year, -log(0.75), 1e-12);
  ck_assert_double_eq(h->hits, 1.0);
  ck_assert_uint_eq(h->region_in_scope[0], 0);
  ck_assert_uint_eq(h->region_in_scope[1], 1);
  /* A zone and a region in where; hits = 0% is allowed (a shock that never hits). */
  const FlHazardSpec *z = hazard_named(sc, "zonal");
  ck_assert_double_eq(z->hits, 0.0);
  const guint8 expect[] = { 0, 1, 0, 1, 1 };
  ck_assert_uint_eq(sc->zones->len, G_N_ELEMENTS(expect));
  for (guint k = 0; k < G_N_ELEMENTS(expect); k++)
    ck_assert_uint_eq(z->zone_in_scope[k], expect[k]);
}
END_TEST

START_TEST(test_rollout_values)
{
  g_autoptr(FlScenario) sc =
    LOAD_OK(TWO_REGIONS "[hazard deploy]\nkind = rollout\nrate = 4/y\n"
                        "waves = us-west-2, us-west-1\nbake-time = 90min\n"
                        "detect = lognormal(median=45min, sigma=0.7)\n"
                        "time-to-repair = fixed(1h)\n");
  const FlHazardSpec *d = hazard_named(sc, "deploy");
  ck_assert_int_eq(d->kind, FL_HAZARD_ROLLOUT);
  ck_assert_int_eq(d->target, FL_TARGET_REGION);
  /* Waves in deploy order, not file order. */
  ck_assert_uint_eq(d->n_waves, 2);
  ck_assert_uint_eq(d->waves[0], 1);
  ck_assert_uint_eq(d->waves[1], 0);
  ck_assert_uint_eq(d->region_in_scope[0], 1);
  ck_assert_uint_eq(d->region_in_scope[1], 1);
  ck_assert_double_eq_tol(d->bake_s, 5400.0, 1e-9);
  /* lognormal mean = median e^(sigma^2 / 2) */
  ck_assert_double_eq_tol(fl_dist_mean(d->detect), 2700.0 * exp(0.245), 1e-6);
  ck_assert_double_eq_tol(fl_dist_mean(d->ttr), 3600.0, 1e-9);
}
END_TEST

START_TEST(test_geography)
{
  g_autoptr(FlScenario) sc = LOAD_OK("[region a]\n"
                                     "location = 10,20\n"
                                     "spread = 50km\n"
                                     "zones = 4\n"
                                     "[region b]\n"
                                     "location = -33.9,151.2\n"
                                     "[region c]\n"
                                     "zones = 2\n"
                                     "[zone ab]\n"
                                     "location = 11,21\n"
                                     "[service s]\n"
                                     "regions = a, b, c\n"
                                     "instances-per-zone = 1\n"
                                     "needs = 1 zone\n");
  /* zones = 4 names them aa..ad; b takes the default 3 (ba..bc). */
  ck_assert_uint_eq(sc->zones->len, 4 + 3 + 2);
  ck_assert_str_eq(fl_scenario_zone(sc, 0)->name, "aa");
  ck_assert_str_eq(fl_scenario_zone(sc, 6)->name, "bc");
  /* a: 4 zones evenly on a 50 km circle, except ab, which has its own location. */
  const FlRegionSpec *a = region_named(sc, "a");
  ck_assert(a->has_location);
  FlLatLon centre = { 10, 20 };
  for (guint k = 0; k < 4; k++) {
    const FlZoneSpec *z = fl_scenario_zone(sc, a->first_zone + k);
    ck_assert(z->has_location);
    if (k == 1) {
      ck_assert_double_eq(z->location.lat_deg, 11);
      ck_assert_double_eq(z->location.lon_deg, 21);
      continue;
    }
    ck_assert_double_eq_tol(fl_geo_distance_km(z->location, centre), 50.0, 1e-6);
  }
  /* Evenly: opposite zones aa and ac are a diameter apart, neighbours aa and ad r sqrt(2). */
  ck_assert_double_eq_tol(fl_geo_distance_km(fl_scenario_zone(sc, 0)->location,
                                             fl_scenario_zone(sc, 2)->location), 100.0, 0.1);
  ck_assert_double_eq_tol(fl_geo_distance_km(fl_scenario_zone(sc, 0)->location,
                                             fl_scenario_zone(sc, 3)->location),
                          50.0 * sqrt(2.0), 0.1);
  /* b: zones default to 3 and, without spread, all sit at the region's location. */
  const FlRegionSpec *b = region_named(sc, "b");
  ck_assert_uint_eq(b->n_zones, 3);
  ck_assert_double_eq(b->spread_km, 0.0);
  for (guint k = 0; k < 3; k++) {
    const FlZoneSpec *z = fl_scenario_zone(sc, b->first_zone + k);
    ck_assert(z->has_location);
    ck_assert_double_eq_tol(z->location.lat_deg, -33.9, 1e-12);
    ck_assert_double_eq_tol(z->location.lon_deg, 151.2, 1e-12);
  }
  /* c: no location anywhere. */
  const FlRegionSpec *c = region_named(sc, "c");
  ck_assert(!c->has_location);
  for (guint k = 0; k < c->n_zones; k++)
    ck_assert(!fl_scenario_zone(sc, c->first_zone + k)->has_location);
}
END_TEST

START_TEST(test_links)
{
  g_autoptr(FlScenario) sc =
    LOAD_OK(TWO_REGIONS "[region us-east-1]\n"
                        "[failure cut]\ntarget = link\nbetween = us-west-2 us-west-1\n"
                        "time-to-failure = exponential(mean=1y)\ntime-to-repair = fixed(1h)\n"
                        "[failure flap]\ntarget = link\nbetween = us-west-1, us-west-2\n"
                        "time-to-failure = exponential(mean=30d)\ntime-to-repair = fixed(5min)\n"
                        "[failure east]\ntarget = link\nbetween = us-east-1 us-west-1\n"
                        "time-to-failure = exponential(mean=1y)\ntime-to-repair = fixed(1h)\n");
  /* One link per unordered pair, a < b, shared by the groups that name it in either order. */
  ck_assert_uint_eq(sc->links->len, 2);
  ck_assert_uint_eq(fl_scenario_link(sc, 0)->a, 0);
  ck_assert_uint_eq(fl_scenario_link(sc, 0)->b, 1);
  ck_assert_uint_eq(fl_scenario_link(sc, 1)->a, 0);
  ck_assert_uint_eq(fl_scenario_link(sc, 1)->b, 2);
  ck_assert_int_eq(fl_scenario_failure(sc, 0)->target, FL_TARGET_LINK);
  ck_assert_int_eq(fl_scenario_failure(sc, 0)->link, 0);
  ck_assert_int_eq(fl_scenario_failure(sc, 1)->link, 0);
  ck_assert_int_eq(fl_scenario_failure(sc, 2)->link, 1);
}
END_TEST

/* ---- include = ---- */

#define MAIN_INCLUDING(list)                                                                    \
  "[scenario]\ninclude = " list "\n[region r]\nzones = 1\n"                                     \
  "[service s]\ninstances-per-zone = 1\nneeds = 1 instance\n"
/* An included file holding one shock named @name. */
#define SHOCK_FILE(name)                                                                        \
  "[hazard " name "]\nkind = shock\nrate = 1/y\nhits = 50%\ntime-to-repair = fixed(1h)\n"

START_TEST(test_include_lookup_order)
{
  g_autofree char *dir = make_dir();
  g_autofree char *env = g_build_filename(dir, "env", NULL);
  g_autofree char *main_path = put(dir, "main/main.ini", MAIN_INCLUDING("extra.ini"));
  g_autofree char *in_env = put(dir, "env/extra.ini", SHOCK_FILE("from-env"));
  g_setenv("FAULTLINE_SCENARIODIR", env, TRUE);
  {
    /* Not beside the file: $FAULTLINE_SCENARIODIR. */
    g_autoptr(FlScenario) sc = LOAD_FILE_OK(main_path);
    ck_assert_uint_eq(sc->hazards->len, 1);
    ck_assert_str_eq(fl_scenario_hazard(sc, 0)->name, "from-env");
    ck_assert_str_eq(fl_scenario_hazard(sc, 0)->file, in_env);
    ck_assert_str_eq(g_ptr_array_index(sc->includes, 0), in_env);
  }
  g_autofree char *beside = put(dir, "main/extra.ini", SHOCK_FILE("beside"));
  {
    /* Beside the including file wins over $FAULTLINE_SCENARIODIR. */
    g_autoptr(FlScenario) sc = LOAD_FILE_OK(main_path);
    ck_assert_uint_eq(sc->hazards->len, 1);
    ck_assert_str_eq(fl_scenario_hazard(sc, 0)->name, "beside");
    ck_assert_str_eq(g_ptr_array_index(sc->includes, 0), beside);
  }
  g_unsetenv("FAULTLINE_SCENARIODIR");
  cleanup_dir(dir);
}
END_TEST

START_TEST(test_include_nested_and_shared)
{
  /* main includes sub/a.ini and sub/b.ini; each includes c.ini, found beside *them* (sub/),
   * not beside main; c.ini, reached twice, is merged once. */
  g_autofree char *dir = make_dir();
  g_autofree char *main_path = put(dir, "main.ini", MAIN_INCLUDING("sub/a.ini, sub/b.ini"));
  g_autofree char *a = put(dir, "sub/a.ini", "[scenario]\ninclude = c.ini\n" SHOCK_FILE("a"));
  g_autofree char *b = put(dir, "sub/b.ini", "[scenario]\ninclude = c.ini\n" SHOCK_FILE("b"));
  g_autofree char *c = put(dir, "sub/c.ini", SHOCK_FILE("c"));
  g_autoptr(FlScenario) sc = LOAD_FILE_OK(main_path);
  ck_assert_uint_eq(sc->hazards->len, 3);
  ck_assert_uint_eq(sc->includes->len, 3);
  ck_assert_str_eq(hazard_named(sc, "c")->file, c);
  ck_assert_str_eq(hazard_named(sc, "a")->file, a);
  ck_assert_str_eq(hazard_named(sc, "b")->file, b);
  cleanup_dir(dir);
}
END_TEST

START_TEST(test_include_cycles)
{
  g_autofree char *dir = make_dir();
  g_autofree char *self = put(dir, "self.ini", MAIN_INCLUDING("self.ini"));
  EXPECT_FILE_ERROR(self, FL_SCENARIO_ERROR_REFERENCE, "'self.ini' includes itself",
                    "self.ini:2, [scenario] include", "cycle");
  /* a includes b includes a: the message points at b's include and shows the chain. */
  g_autofree char *a = put(dir, "a.ini", MAIN_INCLUDING("b.ini"));
  g_free(put(dir, "b.ini", "[scenario]\n\ninclude = a.ini\n"));
  EXPECT_FILE_ERROR(a, FL_SCENARIO_ERROR_REFERENCE, "'a.ini' is already being included",
                    "b.ini:3, [scenario] include", "a.ini -> ", "b.ini -> ", "remove one include");
  cleanup_dir(dir);
}
END_TEST

START_TEST(test_include_missing)
{
  g_autofree char *dir = make_dir();
  g_autofree char *env = g_build_filename(dir, "env", NULL);
  g_setenv("FAULTLINE_SCENARIODIR", env, TRUE);
  g_autofree char *main_path = put(dir, "main.ini", MAIN_INCLUDING("nowhere.ini"));
  g_autofree char *beside = g_build_filename(dir, "nowhere.ini", NULL);
  g_autofree char *in_env = g_build_filename(env, "nowhere.ini", NULL);
  /* Every place tried is listed, in lookup order. */
  g_autofree char *tried = g_strdup_printf("looked for %s, %s", beside, in_env);
  EXPECT_FILE_ERROR(main_path, FL_SCENARIO_ERROR_IO, "'nowhere.ini' not found",
                    "main.ini:2, [scenario] include", tried);
  g_unsetenv("FAULTLINE_SCENARIODIR");
  cleanup_dir(dir);
}
END_TEST

START_TEST(test_include_redefines_group)
{
  g_autofree char *dir = make_dir();
  g_autofree char *main_path = put(dir, "main.ini", MAIN_INCLUDING("inc.ini"));
  g_free(put(dir, "inc.ini",
             "# a region the main file has\n" SHOCK_FILE("x") "[region r]\nzones = 2\n"));
  EXPECT_FILE_ERROR(main_path, FL_SCENARIO_ERROR_DUPLICATE, "group [region r]",
                    "main.ini:3", "inc.ini:7", "may not redefine");
  /* Two included files defining the same hazard conflict too. */
  g_autofree char *main2 = put(dir, "main2.ini", MAIN_INCLUDING("one.ini, two.ini"));
  g_free(put(dir, "one.ini", SHOCK_FILE("same")));
  g_free(put(dir, "two.ini", "\n" SHOCK_FILE("same")));
  EXPECT_FILE_ERROR(main2, FL_SCENARIO_ERROR_DUPLICATE, "group [hazard same]", "one.ini:1",
                    "two.ini:2");
  cleanup_dir(dir);
}
END_TEST

START_TEST(test_include_run_settings)
{
  g_autofree char *dir = make_dir();
  g_autofree char *main_path = put(dir, "main.ini", MAIN_INCLUDING("inc.ini"));
  g_free(put(dir, "inc.ini", "[scenario]\ninclude = more.ini\nhorizon = 2y\n" SHOCK_FILE("x")));
  g_free(put(dir, "more.ini", SHOCK_FILE("y")));
  EXPECT_FILE_ERROR(main_path, FL_SCENARIO_ERROR_VALUE, "cannot set 'horizon'",
                    "inc.ini:3, [scenario] horizon", "only include");
  /* An empty item in the list. */
  g_free(put(dir, "inc.ini", SHOCK_FILE("x")));
  g_autofree char *empty = put(dir, "empty.ini", MAIN_INCLUDING("inc.ini, , more.ini"));
  EXPECT_FILE_ERROR(empty, FL_SCENARIO_ERROR_VALUE, "empty item", "empty.ini:2");
  cleanup_dir(dir);
}
END_TEST

/* ---- bad input ---- */

START_TEST(test_bad_locations)
{
  EXPECT_ERROR("[region r]\nlocation = 90.5,0\n[service s]\ninstances-per-zone = 1\n"
               "needs = 1 zone\n",
               FL_SCENARIO_ERROR_VALUE, "test.ini:2, [region r] location", "-90 to 90");
  EXPECT_ERROR("[region r]\nlocation = 0,-180.5\n[service s]\ninstances-per-zone = 1\n"
               "needs = 1 zone\n",
               FL_SCENARIO_ERROR_VALUE, "test.ini:2, [region r] location", "-180 to 180");
  EXPECT_ERROR("[region r]\nlocation = 45\n[service s]\ninstances-per-zone = 1\n"
               "needs = 1 zone\n",
               FL_SCENARIO_ERROR_VALUE, "test.ini:2, [region r] location", "latitude,longitude");
  EXPECT_ERROR(TWO_REGIONS "[zone us-west-1a]\nlocation = -91,0\n", FL_SCENARIO_ERROR_VALUE,
               "test.ini:12, [zone us-west-1a] location", "-90 to 90");
  EXPECT_ERROR(TWO_REGIONS "[zone us-west-1a]\nlocation = 0,181\n", FL_SCENARIO_ERROR_VALUE,
               "test.ini:12, [zone us-west-1a] location", "-180 to 180");
  EXPECT_ERROR(TWO_REGIONS "[hazard q]\nkind = earthquake\nsource = 37,-122; 91,-122\n"
                           "rate = 1/y\nmagnitude = gutenberg-richter(min=6, max=7, b=1)\n",
               FL_SCENARIO_ERROR_VALUE, "test.ini:13, [hazard q] source", "point 2", "-90 to 90");
  EXPECT_ERROR(TWO_REGIONS "[hazard q]\nkind = earthquake\nsource = 37,-200\n"
                           "rate = 1/y\nmagnitude = gutenberg-richter(min=6, max=7, b=1)\n",
               FL_SCENARIO_ERROR_VALUE, "test.ini:13, [hazard q] source", "-180 to 180");
  /* Antipodal (or merely far) consecutive trace points, and absurd magnitudes. */
  EXPECT_ERROR(TWO_REGIONS "[hazard q]\nkind = earthquake\nsource = 0,0; 0,180\n"
                           "rate = 1/y\nmagnitude = gutenberg-richter(min=6, max=7, b=1)\n",
               FL_SCENARIO_ERROR_VALUE, "test.ini:13, [hazard q] source", "km apart");
  EXPECT_ERROR(TWO_REGIONS "[hazard q]\nkind = earthquake\nsource = 37,-122\nrate = 1/y\n"
                           "magnitude = gutenberg-richter(min=6, max=1e300, b=1)\n",
               FL_SCENARIO_ERROR_VALUE, "test.ini:15, [hazard q] magnitude", "0 to 10");
  /* A value holding "; " (a list written with the trace's separator): the location goes after
   * the quoted value, not inside it. */
  EXPECT_ERROR(TWO_REGIONS "[hazard s]\nkind = shock\nrate = 1/y\n"
                           "where = us-west-1; us-west-2\nhits = 50%\ntime-to-repair = fixed(1h)\n",
               FL_SCENARIO_ERROR_REFERENCE, "'us-west-1; us-west-2' (test.ini:14, [hazard s] where)");
  /* spread needs a location; a [zone] must name a zone. */
  EXPECT_ERROR("[region r]\nspread = 40km\n[service s]\ninstances-per-zone = 1\n"
               "needs = 1 zone\n",
               FL_SCENARIO_ERROR_MISSING, "test.ini:2, [region r] spread", "location = lat,lon");
  EXPECT_ERROR(TWO_REGIONS "[zone us-west-1z]\nlocation = 1,2\n", FL_SCENARIO_ERROR_REFERENCE,
               "test.ini:11, [zone us-west-1z]", "unknown zone 'us-west-1z'");
  EXPECT_ERROR(TWO_REGIONS "[zone us-west-1]\nlocation = 1,2\n", FL_SCENARIO_ERROR_REFERENCE,
               "is a region, not a zone");
}
END_TEST

START_TEST(test_bad_rates)
{
  /* Line 13 is the rate of the appended [hazard grid]. */
  static const char *const bad[][2] = {
    { "3 per year", "is not a rate" },          { "72% per 30y", "has no period" },
    { "100% in 30y", "less than 100%" },        { "0% in 30y", "more than 0%" },
    { "0/y", "more than zero" },                { "-1/y", "more than zero" },
    { "0.5", "'P% in T'" },                     { "", "rate" },
  };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autofree char *text = g_strdup_printf(TWO_REGIONS "[hazard grid]\nkind = shock\n"
                                            "rate = %s\nhits = 50%%\n"
                                            "time-to-repair = fixed(1h)\n", bad[i][0]);
    EXPECT_ERROR(text, FL_SCENARIO_ERROR_VALUE, "test.ini:13, [hazard grid] rate", bad[i][1]);
  }
}
END_TEST

START_TEST(test_bad_earthquake)
{
#define Q_HEAD TWO_REGIONS "[hazard q]\nkind = earthquake\nsource = 37.87,-122.25\nrate = 1/y\n"
  EXPECT_ERROR(Q_HEAD "magnitude = gutenberg-richter(min=7, max=6, b=1)\n",
               FL_SCENARIO_ERROR_VALUE, "test.ini:15, [hazard q] magnitude", "min < max");
  EXPECT_ERROR(Q_HEAD "magnitude = gutenberg-richter(min=7, max=7, b=1)\n",
               FL_SCENARIO_ERROR_VALUE, "test.ini:15, [hazard q] magnitude", "min < max");
  EXPECT_ERROR(Q_HEAD "magnitude = gutenberg-richter(min=6, max=7, b=0)\n",
               FL_SCENARIO_ERROR_VALUE, "test.ini:15, [hazard q] magnitude", "b > 0");
  EXPECT_ERROR(Q_HEAD "magnitude = gutenberg-richter(min=6, max=7, b=-0.5)\n",
               FL_SCENARIO_ERROR_VALUE, "test.ini:15, [hazard q] magnitude", "b > 0");
  EXPECT_ERROR(Q_HEAD, FL_SCENARIO_ERROR_MISSING, "[hazard q]", "magnitude",
               "gutenberg-richter(min=");
  EXPECT_ERROR(Q_HEAD "magnitude = gutenberg-richter(min=6, max=7, b=1)\nvs30 = 50\n",
               FL_SCENARIO_ERROR_VALUE, "test.ini:16, [hazard q] vs30", "100 to 2500");
  EXPECT_ERROR(Q_HEAD "magnitude = gutenberg-richter(min=6, max=7, b=1)\nhits = 50%\n",
               FL_SCENARIO_ERROR_UNKNOWN, "test.ini:16, [hazard q] hits",
               "does not apply to kind = earthquake", "; an earthquake takes: kind, source");
  EXPECT_ERROR(Q_HEAD "magnitude = gutenberg-richter(min=6, max=7, b=1)\n"
                      "grid-fragility = concrete\n",
               FL_SCENARIO_ERROR_VALUE, "test.ini:16, [hazard q] grid-fragility",
               "substation-230kv");
  EXPECT_ERROR(Q_HEAD "magnitude = gutenberg-richter(min=6, max=7, b=1)\n"
                      "grid-restoration = 0, 1d, 3d\n",
               FL_SCENARIO_ERROR_VALUE, "test.ini:16, [hazard q] grid-restoration",
               "one per damage state");
  /* Over zones without a location: the zone, its region and the fix are named. */
  EXPECT_ERROR("[region r]\n[service s]\ninstances-per-zone = 1\nneeds = 1 zone\n"
               "[hazard q]\nkind = earthquake\nsource = 37.87,-122.25\nrate = 1/y\n"
               "magnitude = gutenberg-richter(min=6, max=7, b=1)\n",
               FL_SCENARIO_ERROR_MISSING, "test.ini:5, [hazard q]", "zone 'ra' has no location",
               "[region r]");
  /* ... unless where leaves them out. */
  g_autoptr(FlScenario) sc =
    LOAD_OK("[region r]\n" Q_HEAD "magnitude = gutenberg-richter(min=6, max=7, b=1)\n"
                        "where = us-west-1\n");
#undef Q_HEAD
}
END_TEST

START_TEST(test_bad_shock)
{
#define S_HEAD TWO_REGIONS "[hazard grid]\nkind = shock\nrate = 1/y\ntime-to-repair = fixed(1h)\n"
  EXPECT_ERROR(S_HEAD "hits = 101%\n", FL_SCENARIO_ERROR_VALUE, "test.ini:15, [hazard grid] hits",
               "0% to 100%");
  EXPECT_ERROR(S_HEAD "hits = -1%\n", FL_SCENARIO_ERROR_VALUE, "test.ini:15, [hazard grid] hits",
               "0% to 100%");
  EXPECT_ERROR(S_HEAD "hits = 0.5\n", FL_SCENARIO_ERROR_VALUE, "test.ini:15, [hazard grid] hits",
               "hits = 60%");
  EXPECT_ERROR(S_HEAD, FL_SCENARIO_ERROR_MISSING, "[hazard grid]", "hits");
  EXPECT_ERROR(S_HEAD "hits = 5%\ntarget = instance\n", FL_SCENARIO_ERROR_VALUE,
               "test.ini:16, [hazard grid] target", "zone (the default) or region");
  EXPECT_ERROR(S_HEAD "hits = 5%\ntarget = region\nwhere = us-west-1a\n",
               FL_SCENARIO_ERROR_VALUE, "test.ini:17, [hazard grid] where", "is a zone");
  EXPECT_ERROR(S_HEAD "hits = 5%\nwhere = eu-west-9\n", FL_SCENARIO_ERROR_REFERENCE,
               "test.ini:16, [hazard grid] where", "eu-west-9");
  EXPECT_ERROR(S_HEAD "hits = 5%\nwaves = us-west-1\n", FL_SCENARIO_ERROR_UNKNOWN,
               "test.ini:16, [hazard grid] waves", "does not apply to kind = shock");
#undef S_HEAD
}
END_TEST

START_TEST(test_bad_rollout)
{
#define R_HEAD TWO_REGIONS "[hazard d]\nkind = rollout\nrate = 4/y\nbake-time = 2h\n"      \
                           "detect = fixed(1h)\ntime-to-repair = fixed(1h)\n"
  EXPECT_ERROR(R_HEAD "waves = us-west-1, eu-west-9\n", FL_SCENARIO_ERROR_REFERENCE,
               "test.ini:17, [hazard d] waves", "unknown region 'eu-west-9'");
  EXPECT_ERROR(R_HEAD "waves = us-west-1a\n", FL_SCENARIO_ERROR_VALUE,
               "test.ini:17, [hazard d] waves", "is a zone", "us-west-1");
  EXPECT_ERROR(R_HEAD "waves = us-west-1\nhits = 5%\n", FL_SCENARIO_ERROR_UNKNOWN,
               "test.ini:18, [hazard d] hits", "does not apply to kind = rollout", "bake-time");
  EXPECT_ERROR(TWO_REGIONS "[hazard d]\nkind = rollout\nrate = 4/y\nwaves = us-west-1\n"
                           "time-to-repair = fixed(1h)\nbake-time = 2h\n",
               FL_SCENARIO_ERROR_MISSING, "[hazard d]", "detect");
#undef R_HEAD
}
END_TEST

START_TEST(test_bad_kind_and_names)
{
  EXPECT_ERROR(TWO_REGIONS "[hazard h]\nkind = flood\n", FL_SCENARIO_ERROR_VALUE,
               "test.ini:12, [hazard h] kind", "unknown hazard kind 'flood'",
               "earthquake, shock or rollout");
  EXPECT_ERROR(TWO_REGIONS "[hazard h]\nkind = rolout\n", FL_SCENARIO_ERROR_VALUE,
               "did you mean 'rollout'?");
  EXPECT_ERROR(TWO_REGIONS "[hazard h]\nrate = 1/y\n", FL_SCENARIO_ERROR_MISSING, "[hazard h]",
               "kind");
  EXPECT_ERROR(TWO_REGIONS SHOCK "[failure grid]\ntarget = zone\n"
                                 "time-to-failure = exponential(mean=1y)\n"
                                 "time-to-repair = fixed(1h)\n",
               FL_SCENARIO_ERROR_DUPLICATE, "[hazard grid]", "name of a failure group");
}
END_TEST

START_TEST(test_bad_links)
{
#define LINK(between)                                                                           \
  TWO_REGIONS "[failure cut]\ntarget = link\nbetween = " between "\n"                           \
              "time-to-failure = exponential(mean=1y)\ntime-to-repair = fixed(1h)\n"
  EXPECT_ERROR(LINK("us-west-1 us-west-1"), FL_SCENARIO_ERROR_VALUE,
               "test.ini:13, [failure cut] between", "'us-west-1' and itself");
  EXPECT_ERROR(LINK("us-west-1 eu-west-9"), FL_SCENARIO_ERROR_REFERENCE,
               "test.ini:13, [failure cut] between", "unknown region 'eu-west-9'");
  EXPECT_ERROR(LINK("us-west-1a us-west-2"), FL_SCENARIO_ERROR_VALUE,
               "test.ini:13, [failure cut] between", "is a zone", "'us-west-1'");
  EXPECT_ERROR(LINK("us-west-1"), FL_SCENARIO_ERROR_VALUE, "test.ini:13, [failure cut] between",
               "does not name two regions");
  EXPECT_ERROR(LINK("us-west-1 us-west-2 us-west-1"), FL_SCENARIO_ERROR_VALUE,
               "test.ini:13, [failure cut] between", "more than two");
  EXPECT_ERROR(TWO_REGIONS "[failure cut]\ntarget = link\n"
                           "time-to-failure = exponential(mean=1y)\ntime-to-repair = fixed(1h)\n",
               FL_SCENARIO_ERROR_MISSING, "[failure cut]", "between");
#undef LINK
}
END_TEST

static Suite *
scenario_hz_suite(void)
{
  Suite *s = suite_create("scenario_hz");
  TCase *tc = tcase_create("valid");
  tcase_add_test(tc, test_issue_example);
  tcase_add_test(tc, test_earthquake_defaults);
  tcase_add_test(tc, test_earthquake_every_key);
  tcase_add_test(tc, test_shock_values);
  tcase_add_test(tc, test_rollout_values);
  tcase_add_test(tc, test_geography);
  tcase_add_test(tc, test_links);
  suite_add_tcase(s, tc);

  tc = tcase_create("include");
  tcase_add_test(tc, test_include_lookup_order);
  tcase_add_test(tc, test_include_nested_and_shared);
  tcase_add_test(tc, test_include_cycles);
  tcase_add_test(tc, test_include_missing);
  tcase_add_test(tc, test_include_redefines_group);
  tcase_add_test(tc, test_include_run_settings);
  suite_add_tcase(s, tc);

  tc = tcase_create("bad input");
  tcase_add_test(tc, test_bad_locations);
  tcase_add_test(tc, test_bad_rates);
  tcase_add_test(tc, test_bad_earthquake);
  tcase_add_test(tc, test_bad_shock);
  tcase_add_test(tc, test_bad_rollout);
  tcase_add_test(tc, test_bad_kind_and_names);
  tcase_add_test(tc, test_bad_links);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(scenario_hz_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
