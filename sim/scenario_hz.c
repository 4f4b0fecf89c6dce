/* scenario_hz.c - the correlated-failure part of the scenario language (docs/hazards.md):
 * geography (`location`, `spread`, [zone NAME]), `include =`, links between regions
 * (`target = link`, `between = A B`) and [hazard NAME] groups (earthquake, shock, rollout).
 *
 * Physics lives in seismic.c and geo.c; this file only reads, checks and resolves names, with
 * the helpers and the message shape of scenario_private.h.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "faultline/errors.h"
#include "faultline/geo.h"
#include "faultline/seismic.h"
#include "faultline/textio.h"
#include "faultline/units.h"
#include "scenario_private.h"

#ifndef FL_SCENARIODIR
#define FL_SCENARIODIR "/usr/local/share/faultline/scenarios"
#endif

#define MAX_INCLUDE_DEPTH 16
#define FL_MAX_HAZARD_RATE_PER_YEAR 1e6
#define FL_MAX_HAZARDS 200 /* the report lists every zone and region for each */

/* ---- include = ---- */

typedef struct {
  GPtrArray *stack;     /* canonical paths being included, outermost first */
  GHashTable *done;     /* canonical paths already merged */
  FlScenario *sc;
} IncludeState;

/* "file:line, [group] key" of @key in @group of @ini. (transfer full) */
static char *
ini_where(const FlIni *ini, const char *group, const char *key)
{
  return g_strdup_printf("%s:%u, [%s] %s", fl_ini_group_file(ini, group),
                         fl_ini_line(ini, group, key), group, key);
}

/* The first existing file for @name: absolute as is; relative beside @base_dir, then under
 * $FAULTLINE_SCENARIODIR, then in the installed scenario folder. Lists the places tried in
 * *@tried. (transfer full) or NULL. */
static char *
find_include(const char *name, const char *base_dir, GString *tried)
{
  if (g_path_is_absolute(name)) {
    g_string_append(tried, name);
    return g_file_test(name, G_FILE_TEST_IS_REGULAR) ? g_strdup(name) : NULL;
  }
  const char *dirs[] = { base_dir ? base_dir : ".", g_getenv("FAULTLINE_SCENARIODIR"),
                         FL_SCENARIODIR };
  for (guint i = 0; i < G_N_ELEMENTS(dirs); i++) {
    if (dirs[i] == NULL || *dirs[i] == '\0')
      continue;
    g_autofree char *path = g_build_filename(dirs[i], name, NULL);
    g_string_append_printf(tried, "%s%s", tried->len ? ", " : "", path);
    if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
      return g_steal_pointer(&path);
  }
  return NULL;
}

static gboolean merge_includes(FlIni *root, const FlIni *from, const char *base_dir,
                               IncludeState *st, GError **error);

/* Reads, checks and merges one included file named @name by @from's [scenario] include. */
static gboolean
include_one(FlIni *root, const FlIni *from, const char *name, const char *base_dir,
            IncludeState *st, GError **error)
{
  g_autofree char *where = ini_where(from, "scenario", "include");
  g_autoptr(GString) tried = g_string_new(NULL);
  g_autofree char *path = find_include(name, base_dir, tried);
  if (path == NULL) {
    /* A folder where a file was meant is a different mistake from a missing file. */
    gboolean folder = g_path_is_absolute(name) && g_file_test(name, G_FILE_TEST_IS_DIR);
    if (folder)
      g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_IO,
                  "included '%s' is a folder (%s); include a scenario file in it, like "
                  "%s/catalog.ini", name, where, name);
    else
      g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_IO,
                  "included file '%s' not found (%s); looked for %s%s", name, where, tried->str,
                  g_getenv("FAULTLINE_SCENARIODIR") ? ""
                  : " (set FAULTLINE_SCENARIODIR to a folder of scenarios to look there too)");
    return FALSE;
  }
  char *real = realpath(path, NULL);
  g_autofree char *canonical = real ? g_strdup(real) : g_canonicalize_filename(path, NULL);
  free(real);
  for (guint i = 0; i < st->stack->len; i++)
    if (strcmp(g_ptr_array_index(st->stack, i), canonical) == 0) {
      g_autoptr(GString) chain = g_string_new(NULL);
      for (guint j = i; j < st->stack->len; j++)
        g_string_append_printf(chain, "%s -> ", (char *)g_ptr_array_index(st->stack, j));
      g_string_append(chain, canonical);
      /* Only the innermost file on the stack can include itself; a match further out is a
       * longer cycle (a includes b includes a), which "includes itself" would misname. */
      g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_REFERENCE,
                  "'%s' %s (%s); includes form a cycle: %s; remove one include", name,
                  i + 1 == st->stack->len ? "includes itself" : "is already being included",
                  where, chain->str);
      return FALSE;
    }
  if (g_hash_table_contains(st->done, canonical))
    return TRUE; /* reached twice by different paths: its groups are already in */
  if (st->stack->len >= MAX_INCLUDE_DEPTH) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "includes nest deeper than %d files (%s); flatten them", MAX_INCLUDE_DEPTH,
                where);
    return FALSE;
  }
  g_autofree char *data = NULL;
  gsize length = 0;
  if (!fl_read_text(path, "included scenario", &data, &length, error))
    return FALSE;
  g_autoptr(FlIni) ini = fl_ini_parse(data, length, path, error);
  if (ini == NULL)
    return FALSE;
  const char *const *keys = fl_ini_keys(ini, "scenario");
  for (guint i = 0; keys && keys[i]; i++)
    if (strcmp(keys[i], "include") != 0) {
      g_autofree char *at = ini_where(ini, "scenario", keys[i]);
      g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                  "an included file cannot set '%s' (%s); only the main scenario sets run "
                  "settings, an included file's [scenario] may hold only include", keys[i], at);
      return FALSE;
    }
  g_hash_table_add(st->done, g_strdup(canonical));
  g_ptr_array_add(st->sc->includes, g_strdup(path));
  if (!fl_ini_merge(root, ini, "scenario", error))
    return FALSE;
  g_ptr_array_add(st->stack, g_strdup(canonical));
  g_autofree char *dir = g_path_get_dirname(path);
  gboolean ok = merge_includes(root, ini, dir, st, error);
  g_free(g_ptr_array_steal_index(st->stack, st->stack->len - 1));
  return ok;
}

/* Merges every file @from's [scenario] include names (and theirs) into @root. */
static gboolean
merge_includes(FlIni *root, const FlIni *from, const char *base_dir, IncludeState *st,
               GError **error)
{
  const char *value = fl_ini_get(from, "scenario", "include");
  if (value == NULL)
    return TRUE;
  /* "include =" splits into no items at all: an empty list, said as such. */
  g_auto(GStrv) names = *value ? g_strsplit(value, ",", -1) : g_strsplit(" ", ",", -1);
  for (guint i = 0; names[i]; i++) {
    char *name = g_strstrip(names[i]);
    if (*name == '\0') {
      g_autofree char *where = ini_where(from, "scenario", "include");
      g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                  "include %s (%s); list files separated by commas like include = "
                  "hazards/sf-bay-area.ini, grid.ini", *value ? "has an empty item" : "is empty",
                  where);
      return FALSE;
    }
    if (!include_one(root, from, name, base_dir, st, error))
      return FALSE;
  }
  return TRUE;
}

gboolean
fl_scn_resolve_includes(FlIni *ini, FlScenario *sc, const char *main_path, GError **error)
{
  IncludeState st = {
    .stack = g_ptr_array_new_with_free_func(g_free),
    .done = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
    .sc = sc,
  };
  if (main_path) {
    char *real = realpath(main_path, NULL);
    if (real) {
      g_ptr_array_add(st.stack, g_strdup(real));
      g_hash_table_add(st.done, g_strdup(real));
      free(real);
    }
  }
  gboolean ok = merge_includes(ini, ini, sc->base_dir, &st, error);
  g_ptr_array_unref(st.stack);
  g_hash_table_unref(st.done);
  return ok;
}

/* ---- geography ---- */

gboolean
fl_scn_parse_region_geo(FlScnCtx *c, const char *group, FlRegionSpec *rp, GError **error)
{
  const char *v = fl_scn_get(c, group, "spread");
  if (v == NULL)
    return TRUE;
  g_autoptr(GError) e = NULL;
  if (!fl_geo_parse_distance(v, &rp->spread_km, &e))
    return fl_scn_wrap_value_error(c, error, group, "spread", e);
  if (!rp->has_location && rp->spread_km > 0) /* spread = 0 places nothing: no location needed */
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_MISSING, WHERE(group, "spread"),
                          "spread places zones around the region's location, but the region "
                          "has none; add location = lat,lon like location = 37.35,-121.96");
  return TRUE;
}

gboolean
fl_scn_parse_zone_group(FlScnCtx *c, const char *group, const char *name, GError **error)
{
  guint z = GPOINTER_TO_UINT(g_hash_table_lookup(c->zone_by_name, name));
  if (z == 0) {
    if (g_hash_table_contains(c->region_by_name, name))
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_REFERENCE, WHERE(group, NULL),
                            "'%s' is a region, not a zone; put its location in [region %s]",
                            name, name);
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    for (guint i = 0; i < c->sc->zones->len; i++)
      g_ptr_array_add(names, fl_scenario_zone(c->sc, i)->name);
    g_ptr_array_add(names, NULL);
    const char *near = fl_nearest_name(name, (const char *const *)names->pdata);
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_REFERENCE, WHERE(group, NULL),
                          "unknown zone '%s'; %s%s%szones are named by their region's zones key "
                          "(us-east-1a, ... for zones = 3)", name, near ? "did you mean '" : "",
                          near ? near : "", near ? "'? " : "");
  }
  const char *v = fl_scn_require(c, error, group, "location", "location = 37.40,-121.95");
  if (v == NULL)
    return FALSE;
  FlZoneSpec *zs = fl_scenario_zone(c->sc, z - 1);
  g_autoptr(GError) e = NULL;
  if (!fl_geo_parse_latlon(v, &zs->location, &e))
    return fl_scn_wrap_value_error(c, error, group, "location", e);
  zs->has_location = TRUE;
  return TRUE;
}

void
fl_scn_place_zones(FlScnCtx *c)
{
  FlScenario *sc = c->sc;
  for (guint r = 0; r < sc->regions->len; r++) {
    const FlRegionSpec *rs = fl_scenario_region(sc, r);
    if (!rs->has_location)
      continue;
    g_autofree FlLatLon *at = g_new(FlLatLon, rs->n_zones);
    fl_geo_spread((FlLatLon){ rs->lat_deg, rs->lon_deg }, rs->spread_km, rs->n_zones, at);
    for (guint k = 0; k < rs->n_zones; k++) {
      FlZoneSpec *zs = fl_scenario_zone(sc, rs->first_zone + k);
      if (!zs->has_location) {
        zs->location = at[k];
        zs->has_location = TRUE;
      }
    }
  }
}

/* ---- links ---- */

gboolean
fl_scn_link_between(FlScnCtx *c, GError **error, const char *group, const char *key,
                    const char *a, const char *b, gint *link)
{
  FlScenario *sc = c->sc;
  const char *names[2] = { a, b };
  guint r[2];
  for (guint i = 0; i < 2; i++) {
    r[i] = GPOINTER_TO_UINT(g_hash_table_lookup(c->region_by_name, names[i]));
    if (r[i] == 0) {
      if (g_hash_table_contains(c->zone_by_name, names[i]))
        return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, key),
                              "'%s' is a zone; links join regions, so name its region '%s'",
                              names[i],
                              fl_scenario_region(sc, fl_scn_zone_region(c, names[i]))->name);
      return fl_scn_unknown_place(c, error, group, key, names[i], FL_SCN_PLACE_REGION);
    }
    r[i]--;
  }
  if (r[0] == r[1])
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, key),
                          "a link between region '%s' and itself; name two different regions",
                          names[0]);
  FlLinkSpec spec = { MIN(r[0], r[1]), MAX(r[0], r[1]) };
  for (guint i = 0; i < sc->links->len; i++)
    if (fl_scenario_link(sc, i)->a == spec.a && fl_scenario_link(sc, i)->b == spec.b) {
      *link = (gint)i;
      return TRUE;
    }
  g_array_append_val(sc->links, spec);
  *link = (gint)sc->links->len - 1;
  return TRUE;
}

gboolean
fl_scn_parse_link(FlScnCtx *c, const char *group, FlFailureSpec *fp, GError **error)
{
  const char *v = fl_scn_require(c, error, group, "between", "between = us-west-1 us-east-1");
  if (v == NULL)
    return FALSE;
  if (fl_scn_get(c, group, "where") != NULL)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "where"),
                          "a link takes 'between', not 'where'; write between = REGION REGION");
  g_auto(GStrv) words = g_strsplit_set(v, " \t,", -1);
  const char *names[3] = { NULL, NULL, NULL };
  guint n = 0;
  for (guint i = 0; words[i]; i++)
    if (*words[i] != '\0') {
      if (n == 2)
        return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "between"),
                              "'%s' names more than two regions; a link joins exactly two, like "
                              "between = us-west-1 us-east-1", v);
      names[n++] = words[i];
    }
  if (n != 2)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "between"),
                          "'%s' does not name two regions; write between = us-west-1 us-east-1",
                          v);
  return fl_scn_link_between(c, error, group, "between", names[0], names[1], &fp->link);
}

/* ---- hazards ---- */

/* Keys each hazard kind takes (beyond kind); the schema in scenario.c accepts their union. */
static const char *const earthquake_keys[] = {
  "kind", "source", "rate", "magnitude", "mechanism", "where", "vs30", "generator-hours",
  "facility-fragility", "grid-fragility", "facility-restoration", "grid-restoration",
  "rare-rate", "rare-magnitude-b", NULL
};
static const char *const shock_keys[] = { "kind", "target", "where", "rate", "hits",
                                          "time-to-repair", "rare-rate", NULL };
static const char *const rollout_keys[] = { "kind", "rate", "waves", "bake-time", "detect",
                                            "time-to-repair", "rare-rate", NULL };

static gboolean
check_hazard_keys(FlScnCtx *c, const char *group, const char *kind,
                  const char *const *allowed, GError **error)
{
  const char *const *keys = fl_ini_keys(c->ini, group);
  for (guint i = 0; keys[i]; i++) {
    gboolean ok = FALSE;
    for (guint j = 0; allowed[j] && !ok; j++)
      ok = strcmp(keys[i], allowed[j]) == 0;
    if (!ok) {
      g_autofree char *list = fl_scn_join_names(allowed);
      /* "an earthquake", "a shock", "a rollout" */
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_UNKNOWN, WHERE(group, keys[i]),
                            "key '%s' does not apply to kind = %s; %s %s takes: %s", keys[i],
                            kind, strchr("aeiou", kind[0]) ? "an" : "a", kind, list);
    }
  }
  return TRUE;
}

static gboolean
parse_rate(FlScnCtx *c, const char *group, FlHazardSpec *h, const char *example,
           GError **error)
{
  const char *v = fl_scn_require(c, error, group, "rate", example);
  if (v == NULL)
    return FALSE;
  g_autoptr(GError) e = NULL;
  if (!fl_seismic_parse_rate(v, &h->rate_per_year, &e))
    return fl_scn_wrap_value_error(c, error, group, "rate", e);
  /* Beyond this the gaps between events shrink toward the clock's resolution (a rate of 1e20/y
   * would stop simulated time), and such a stream is no longer a rare correlated hazard. */
  if (h->rate_per_year > FL_MAX_HAZARD_RATE_PER_YEAR)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "rate"),
                          "rate '%s' is %.3g events per year, more than the %g a hazard may "
                          "have (one every 32 s); model frequent failures as a [failure] group",
                          v, h->rate_per_year, FL_MAX_HAZARD_RATE_PER_YEAR);
  return TRUE;
}

/* "0, 0, 7d, 60d, 365d": hours out of service for none..complete. */
static gboolean
parse_restoration(FlScnCtx *c, const char *group, const char *key, FlRestoration *out,
                  GError **error)
{
  const char *v = fl_scn_get(c, group, key);
  if (v == NULL)
    return TRUE;
  g_auto(GStrv) items = g_strsplit(v, ",", -1);
  if (g_strv_length(items) != FL_DAMAGE_N_STATES)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, key),
                          "'%s' is not %d durations; give one per damage state none, slight, "
                          "moderate, extensive, complete, like %s = 0, 1d, 3d, 7d, 30d", v,
                          FL_DAMAGE_N_STATES, key);
  for (guint i = 0; i < FL_DAMAGE_N_STATES; i++) {
    const char *item = g_strstrip(items[i]);
    double s = 0;
    g_autoptr(GError) e = NULL;
    if (strcmp(item, "0") != 0 && !fl_parse_duration(item, TRUE, &s, &e))
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, key),
                            "damage state '%s': %s", fl_damage_state_name((FlDamageState)i),
                            e->message);
    out->hours[i] = s / 3600.0;
  }
  return TRUE;
}

static gboolean
parse_fragility(FlScnCtx *c, const char *group, const char *key, FlFragilityClass *out,
                GError **error)
{
  const char *v = fl_scn_get(c, group, key);
  g_autoptr(GError) e = NULL;
  if (v != NULL && !fl_fragility_lookup(v, out, &e))
    return fl_scn_wrap_value_error(c, error, group, key, e);
  return TRUE;
}

static gboolean
parse_earthquake(FlScnCtx *c, const char *group, FlHazardSpec *h, GError **error)
{
  if (!check_hazard_keys(c, group, "earthquake", earthquake_keys, error))
    return FALSE;
  h->target = FL_TARGET_ZONE;
  const char *v = fl_scn_require(c, error, group, "source",
                                 "source = 37.87,-122.25   (or a trace: lat,lon; lat,lon; ...)");
  if (v == NULL)
    return FALSE;
  g_autoptr(GError) e = NULL;
  GArray *trace = NULL;
  if (!fl_geo_parse_trace(v, &trace, &e))
    return fl_scn_wrap_value_error(c, error, group, "source", e);
  h->n_source = trace->len;
  h->source = (FlLatLon *)g_array_free(trace, FALSE);
  if (!parse_rate(c, group, h, "rate = 72% in 30y   (or 0.042/y)", error))
    return FALSE;
  v = fl_scn_require(c, error, group, "magnitude",
                     "magnitude = gutenberg-richter(min=6.7, max=8.0, b=1.0)");
  if (v == NULL)
    return FALSE;
  if (!fl_gr_parse(v, &h->magnitude, &e))
    return fl_scn_wrap_value_error(c, error, group, "magnitude", e);
  if ((v = fl_scn_get(c, group, "mechanism")) != NULL
      && !fl_seismic_parse_mechanism(v, &h->mechanism, &e))
    return fl_scn_wrap_value_error(c, error, group, "mechanism", e);
  h->vs30_m_s = 760.0;
  if ((v = fl_scn_get(c, group, "vs30")) != NULL) {
    const char *rest = v;
    double x = 0;
    if (!fl_read_number(v, &x, &rest) || !(x >= 100.0 && x <= 2500.0)
        || (*rest != '\0' && strcmp(rest, "m/s") != 0))
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "vs30"),
                            "'%s' is not a shear-wave velocity; expected 100 to 2500 m/s like "
                            "vs30 = 760m/s (BJF97 was fitted on about 150-1500)", v);
    h->vs30_m_s = x;
  }
  h->generator_h = FL_DEFAULT_GENERATOR_HOURS;
  if ((v = fl_scn_get(c, group, "generator-hours")) != NULL) {
    double s = 0;
    if (!fl_parse_duration(v, TRUE, &s, &e))
      return fl_scn_wrap_value_error(c, error, group, "generator-hours", e);
    h->generator_h = s / 3600.0;
  }
  h->facility = FL_FRAGILITY_BUILDING;
  h->grid = FL_FRAGILITY_SUBSTATION_230KV;
  h->facility_restore = fl_restoration_facility_default();
  h->grid_restore = fl_restoration_grid_default();
  return parse_fragility(c, group, "facility-fragility", &h->facility, error)
         && parse_fragility(c, group, "grid-fragility", &h->grid, error)
         && parse_restoration(c, group, "facility-restoration", &h->facility_restore, error)
         && parse_restoration(c, group, "grid-restoration", &h->grid_restore, error)
         && fl_scn_parse_scope(c, error, group, FL_TARGET_ZONE, h->zone_in_scope,
                               h->region_in_scope);
}

static gboolean
parse_shock(FlScnCtx *c, const char *group, FlHazardSpec *h, GError **error)
{
  if (!check_hazard_keys(c, group, "shock", shock_keys, error))
    return FALSE;
  h->target = FL_TARGET_ZONE;
  const char *v = fl_scn_get(c, group, "target");
  if (v != NULL) {
    if (strcmp(v, "region") == 0)
      h->target = FL_TARGET_REGION;
    else if (strcmp(v, "zone") != 0)
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "target"),
                            "a shock cannot target '%s'; expected zone (the default) or region",
                            v);
  }
  if (!fl_scn_parse_scope(c, error, group, h->target, h->zone_in_scope, h->region_in_scope)
      || !parse_rate(c, group, h, "rate = 0.5/y", error))
    return FALSE;
  v = fl_scn_require(c, error, group, "hits", "hits = 60%");
  if (v == NULL)
    return FALSE;
  g_autoptr(GError) e = NULL;
  if (!fl_parse_percent(v, FALSE, &h->hits, &e))
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "hits"),
                          "'%s' is not a percentage from 0%% to 100%%; write the chance that "
                          "each %s in scope goes down, like hits = 60%%", v,
                          h->target == FL_TARGET_REGION ? "region" : "zone");
  h->ttr = fl_scn_get_dist(c, error, group, "time-to-repair",
                           "time-to-repair = lognormal(median=2h, sigma=1)");
  return h->ttr != NULL;
}

static gboolean
parse_rollout(FlScnCtx *c, const char *group, FlHazardSpec *h, GError **error)
{
  if (!check_hazard_keys(c, group, "rollout", rollout_keys, error))
    return FALSE;
  h->target = FL_TARGET_REGION;
  if (!parse_rate(c, group, h, "rate = 4/y", error))
    return FALSE;
  const char *v = fl_scn_require(c, error, group, "waves", "waves = us-west-1, us-east-1");
  if (v == NULL)
    return FALSE;
  g_auto(GStrv) names = fl_scn_split_list(c, error, group, "waves", v);
  if (names == NULL)
    return FALSE;
  h->n_waves = g_strv_length(names);
  h->waves = g_new(guint, h->n_waves);
  for (guint i = 0; names[i]; i++) {
    guint r = GPOINTER_TO_UINT(g_hash_table_lookup(c->region_by_name, names[i]));
    if (r == 0) {
      if (g_hash_table_contains(c->zone_by_name, names[i]))
        return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "waves"),
                              "wave '%s' is a zone; a rollout deploys region by region, so name "
                              "its region '%s'", names[i],
                              fl_scenario_region(c->sc, fl_scn_zone_region(c, names[i]))->name);
      return fl_scn_unknown_place(c, error, group, "waves", names[i], FL_SCN_PLACE_REGION);
    }
    h->waves[i] = r - 1;
    h->region_in_scope[r - 1] = 1;
  }
  v = fl_scn_require(c, error, group, "bake-time", "bake-time = 2h");
  if (v == NULL)
    return FALSE;
  g_autoptr(GError) e = NULL;
  if (!fl_parse_duration(v, TRUE, &h->bake_s, &e))
    return fl_scn_wrap_value_error(c, error, group, "bake-time", e);
  h->detect = fl_scn_get_dist(c, error, group, "detect",
                              "detect = lognormal(median=45min, sigma=0.7)");
  if (h->detect == NULL)
    return FALSE;
  h->ttr = fl_scn_get_dist(c, error, group, "time-to-repair",
                           "time-to-repair = lognormal(median=1h, sigma=0.5)");
  return h->ttr != NULL;
}

/* rare-rate (any kind) and rare-magnitude-b (earthquakes): importance-sampling overrides
 * (rare.h). Zero or negative rates, and b-values outside (0, b], are errors. */
static gboolean
parse_rare_keys(FlScnCtx *c, const char *group, FlHazardSpec *h, GError **error)
{
  const char *v = fl_scn_get(c, group, "rare-rate");
  g_autoptr(GError) e = NULL;
  if (v != NULL) {
    if (!fl_seismic_parse_rate(v, &h->rare_rate_per_year, &e))
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "rare-rate"),
                            "%s (the biased events per year under --rare-events, like 1/y)",
                            e->message);
    if (h->rare_rate_per_year > FL_MAX_HAZARD_RATE_PER_YEAR)
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "rare-rate"),
                            "rare-rate '%s' is more than %g events per year; a biased rate of "
                            "about one event per horizon is what rare events need", v,
                            FL_MAX_HAZARD_RATE_PER_YEAR);
  }
  if ((v = fl_scn_get(c, group, "rare-magnitude-b")) != NULL
      && (!fl_parse_real(v, 1e-3, h->magnitude.b, &h->rare_magnitude_b, &e)))
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "rare-magnitude-b"),
                          "'%s' is not a b-value from 0.001 to the source's b = %g; a "
                          "smaller b draws large magnitudes more often (like "
                          "rare-magnitude-b = %g)", v, h->magnitude.b, h->magnitude.b / 2);
  return TRUE;
}

gboolean
fl_scn_parse_hazard(FlScnCtx *c, const char *group, const char *name, GError **error)
{
  FlScenario *sc = c->sc;
  /* The hazard report lists every place for every hazard: 3,000 hazards on 1,300 zones made a
   * 444 MB JSON report. */
  if (sc->hazards->len >= FL_MAX_HAZARDS)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, NULL),
                          "too many hazards; the most is %d", FL_MAX_HAZARDS);
  FlHazardSpec h = { 0 };
  h.name = g_strdup(name);
  h.file = g_strdup(fl_ini_group_file(c->ini, group));
  h.zone_in_scope = g_new0(guint8, MAX(1u, sc->zones->len));
  h.region_in_scope = g_new0(guint8, MAX(1u, sc->regions->len));
  g_array_append_val(sc->hazards, h);
  FlHazardSpec *hp = fl_scenario_hazard(sc, sc->hazards->len - 1);
  const char *kind = fl_scn_require(c, error, group, "kind", "kind = shock");
  if (kind == NULL)
    return FALSE;
  if (strcmp(kind, "earthquake") == 0) {
    hp->kind = FL_HAZARD_EARTHQUAKE;
    return parse_earthquake(c, group, hp, error) && parse_rare_keys(c, group, hp, error);
  }
  if (strcmp(kind, "shock") == 0) {
    hp->kind = FL_HAZARD_SHOCK;
    return parse_shock(c, group, hp, error) && parse_rare_keys(c, group, hp, error);
  }
  if (strcmp(kind, "rollout") == 0) {
    hp->kind = FL_HAZARD_ROLLOUT;
    return parse_rollout(c, group, hp, error) && parse_rare_keys(c, group, hp, error);
  }
  static const char *const kinds[] = { "earthquake", "shock", "rollout", NULL };
  const char *near = fl_nearest_name(kind, kinds);
  return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "kind"),
                        "unknown hazard kind '%s'; %s%s%sexpected earthquake, shock or rollout",
                        kind, near ? "did you mean '" : "", near ? near : "",
                        near ? "'? " : "");
}

gboolean
fl_scn_check_hazards(FlScnCtx *c, GError **error)
{
  FlScenario *sc = c->sc;
  for (guint i = 0; i < sc->hazards->len; i++) {
    const FlHazardSpec *h = fl_scenario_hazard(sc, i);
    g_autofree char *hgroup = g_strconcat("hazard ", h->name, NULL);
    for (guint f = 0; f < sc->failures->len; f++)
      if (strcmp(fl_scenario_failure(sc, f)->name, h->name) == 0)
        return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_DUPLICATE, WHERE(hgroup, NULL),
                              "hazard '%s' has the name of a failure group; downtime is charged "
                              "by name, so rename one", h->name);
    if (h->kind != FL_HAZARD_EARTHQUAKE)
      continue;
    for (guint z = 0; z < sc->zones->len; z++) {
      const FlZoneSpec *zs = fl_scenario_zone(sc, z);
      if (!h->zone_in_scope[z] || zs->has_location)
        continue;
      g_autofree char *group = g_strconcat("hazard ", h->name, NULL);
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_MISSING, WHERE(group, NULL),
                            "zone '%s' has no location, so its shaking cannot be computed; add "
                            "location = lat,lon to [region %s] (and spread = 40km to spread its "
                            "zones) or to [zone %s]", zs->name,
                            fl_scenario_region(sc, zs->region)->name, zs->name);
    }
  }
  return TRUE;
}

void
fl_scn_free_hazards(FlScenario *sc)
{
  for (guint i = 0; sc->hazards && i < sc->hazards->len; i++) {
    FlHazardSpec *h = fl_scenario_hazard(sc, i);
    g_free(h->name);
    g_free(h->file);
    g_free(h->source);
    g_free(h->zone_in_scope);
    g_free(h->region_in_scope);
    fl_dist_free(h->ttr);
    fl_dist_free(h->detect);
    g_free(h->waves);
  }
  if (sc->hazards)
    g_array_unref(sc->hazards);
  if (sc->links)
    g_array_unref(sc->links);
  if (sc->includes)
    g_ptr_array_unref(sc->includes);
}
