/* scenario.c - loading and validating scenario files. See scenario.h.
 *
 * Passes over the groups, each referring only to names defined by an earlier one: first
 * [scenario] and every [region] (so names are known); then [load-balancer], [dns] and [image];
 * then [failure] and [service], which refer to regions, zones and those groups by name; then
 * [inject], which refers to what the services run. Each group kind has a fixed list of keys;
 * anything else is an error with the nearest valid name suggested. The multi-region groups
 * and keys (issue 3) are parsed in scenario_mr.c with the helpers scenario_private.h shares.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "faultline/errors.h"
#include "faultline/ini.h"
#include "faultline/scenario.h"
#include "faultline/seismic.h"
#include "faultline/textio.h"
#include "faultline/units.h"
#include "scenario_private.h"

/* Upper bounds that keep memory and event times sane; each error message states them. */
#define MAX_REPLICATIONS G_GINT64_CONSTANT(1000000000)
#define MAX_HORIZON_Y 10000.0
#define MAX_COMPONENTS 10000000u
#define MAX_ZONES_PER_REGION 26
#define MAX_FAILURE_GROUPS 1000 /* a component's hold count is 16-bit (model.c) */
#define MAX_INJECTS 1000        /* the same count, which injections add to */
/* Each service keeps four histograms of 1,701 bins per worker thread (about 160 KB): 60,000
 * services ran out of 24 GB. 1,000 keep a run on 8 threads near 1.3 GB. */
#define MAX_SERVICES 1000

typedef struct {
  const char *kind;
  gboolean named;              /* [kind NAME] rather than [kind] */
  const char *const *keys;     /* NULL-terminated */
} GroupKind;

static const char *const scenario_keys[] = { "name", "horizon", "replications", "seed",
                                             "random-failures", "include", "rare-events",
                                             NULL };
static const char *const region_keys[] = { "zones", "location", "spread", NULL };
static const char *const zone_keys[] = { "location", NULL };
static const char *const failure_keys[] = { "target", "where", "between", "time-to-failure",
                                            "time-to-repair", "rare-rate", NULL };
/* The union of every hazard kind's keys; scenario_hz.c checks which apply to the kind. */
static const char *const hazard_keys[] = {
  "kind", "rate", "where", "target", "hits", "time-to-repair", "waves", "bake-time", "detect",
  "source", "magnitude", "mechanism", "vs30", "generator-hours", "facility-fragility",
  "grid-fragility", "facility-restoration", "grid-restoration", "rare-rate", "rare-magnitude-b",
  NULL
};
static const char *const service_keys[] = {
  "regions", "instances-per-zone", "needs", "sla",
  /* issue 3, docs/multi-region.md */
  "load-balancer", "dns", "strategy", "standby-capacity", "scale-up", "launch", "image",
  "replication", "writes-per-second", "eip", "eip-remap", "backup-interval", "restore-rate",
  "data-size", NULL
};
static const char *const load_balancer_keys[] = { "health-check", "cross-zone", NULL };
static const char *const dns_keys[] = { "policy", "primary", "secondary", "weights", "clients",
                                        "ttl", "health-check", "stale-clients", "failover",
                                        "propagation", NULL };
static const char *const image_keys[] = { "size", "home", "copied-to", "copy-rate", "copy",
                                          NULL };
static const char *const inject_keys[] = { "at", "fail", "for", "magnitude", NULL };

static const GroupKind group_kinds[] = {
  { "scenario", FALSE, scenario_keys },
  { "region", TRUE, region_keys },
  { "zone", TRUE, zone_keys },
  { "failure", TRUE, failure_keys },
  { "service", TRUE, service_keys },
  { "load-balancer", TRUE, load_balancer_keys },
  { "dns", TRUE, dns_keys },
  { "image", TRUE, image_keys },
  { "inject", TRUE, inject_keys },
  { "hazard", TRUE, hazard_keys },
};

/* See scenario_private.h. */
gboolean
fl_scn_fail_at(FlScnCtx *c, GError **error, int code, const char *const where[2],
               const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *what = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  const char *group = where[0], *key = where[1];
  guint line = group ? fl_ini_line(c->ini, group, key) : 0;
  if (line == 0 && group)
    line = fl_ini_line(c->ini, group, NULL);
  g_autoptr(GString) loc = g_string_new(fl_ini_group_file(c->ini, group));
  if (line)
    g_string_append_printf(loc, ":%u", line);
  if (group)
    g_string_append_printf(loc, ", [%s]", group);
  if (key)
    g_string_append_printf(loc, " %s", key);
  /* Put the location right after the first clause so the hint stays last: the first "; "
   * outside quotes, as a quoted value may hold one (a fault trace, "r1; r2"). */
  const char *semi = NULL;
  gboolean quoted = FALSE;
  for (const char *p = what; *p && semi == NULL; p++) {
    if (*p == '\'')
      quoted = !quoted;
    else if (!quoted && p[0] == ';' && p[1] == ' ')
      semi = p;
  }
  if (semi)
    g_set_error(error, FL_SCENARIO_ERROR, code, "%.*s (%s)%s", (int)(semi - what), what,
                loc->str, semi);
  else
    g_set_error(error, FL_SCENARIO_ERROR, code, "%s (%s)", what, loc->str);
  return FALSE;
}

/* Re-raises a value error from units.c/dist.c with the location added. */
gboolean
fl_scn_wrap_value_error(FlScnCtx *c, GError **error, const char *group, const char *key,
                        GError *inner)
{
  int code = inner->domain == FL_SCENARIO_ERROR ? inner->code : FL_SCENARIO_ERROR_VALUE;
  return fl_scn_fail_at(c, error, code, WHERE(group, key), "%s", inner->message);
}

static guint
levenshtein(const char *a, const char *b)
{
  size_t la = strlen(a), lb = strlen(b);
  if (la > 64 || lb > 64)
    return G_MAXUINT;
  guint row[65];
  for (size_t j = 0; j <= lb; j++)
    row[j] = (guint)j;
  for (size_t i = 1; i <= la; i++) {
    guint diag = row[0];
    row[0] = (guint)i;
    for (size_t j = 1; j <= lb; j++) {
      guint up = row[j];
      guint cost = g_ascii_tolower(a[i - 1]) == g_ascii_tolower(b[j - 1]) ? 0 : 1;
      row[j] = MIN(MIN(row[j] + 1, row[j - 1] + 1), diag + cost);
      diag = up;
    }
  }
  return row[lb];
}

const char *
fl_nearest_name(const char *word, const char *const *candidates)
{
  const char *best = NULL;
  guint best_d = G_MAXUINT;
  for (guint i = 0; candidates[i]; i++) {
    guint d = levenshtein(word, candidates[i]);
    if (d < best_d) {
      best_d = d;
      best = candidates[i];
    }
  }
  guint limit = MAX(2u, (guint)strlen(word) / 3);
  return best_d <= limit ? best : NULL;
}

char *
fl_scn_join_names(const char *const *names)
{
  return g_strjoinv(", ", (char **)names);
}

/* ---- small value parsers with locations ---- */

const char *
fl_scn_get(FlScnCtx *c, const char *group, const char *key)
{
  return fl_ini_get(c->ini, group, key);
}

const char *
fl_scn_require(FlScnCtx *c, GError **error, const char *group, const char *key, const char *example)
{
  const char *v = fl_scn_get(c, group, key);
  if (v == NULL)
    fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_MISSING, WHERE(group, NULL),
                   "missing key '%s'; add for example: %s", key, example);
  else if (*v == '\0') {
    fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, key),
                   "'%s' is empty; for example: %s", key, example);
    v = NULL;
  }
  return v;
}

/* Splits a comma-separated list; rejects empty items. (transfer full) */
GStrv
fl_scn_split_list(FlScnCtx *c, GError **error, const char *group, const char *key,
                  const char *value)
{
  g_auto(GStrv) parts = g_strsplit(value, ",", -1);
  if (parts[0] == NULL) { /* "" splits into no items: a group with no scope, a service nowhere */
    fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, key),
                   "'%s' is empty; list names separated by commas, like a, b, c, or leave the "
                   "key out", key);
    return NULL;
  }
  for (guint i = 0; parts[i]; i++) {
    g_strstrip(parts[i]);
    if (*parts[i] == '\0') {
      fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, key),
                     "empty item in list '%s'; separate names with commas, like a, b, c", value);
      return NULL;
    }
    for (guint j = 0; j < i; j++)
      if (strcmp(parts[i], parts[j]) == 0) {
        fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_DUPLICATE, WHERE(group, key),
                       "'%s' is listed twice in '%s'; list each name once", parts[i], value);
        return NULL;
      }
  }
  return g_steal_pointer(&parts);
}

gboolean
fl_scn_get_duration(FlScnCtx *c, GError **error, const char *group, const char *key, double *out)
{
  g_autoptr(GError) e = NULL;
  if (fl_parse_duration(fl_scn_get(c, group, key), FALSE, out, &e))
    return TRUE;
  return fl_scn_wrap_value_error(c, error, group, key, e);
}

/* @example is a whole line to add, like "time-to-failure = exponential(mean=30d)". */
FlDist *
fl_scn_get_dist(FlScnCtx *c, GError **error, const char *group, const char *key,
                const char *example)
{
  const char *v = fl_scn_require(c, error, group, key, example);
  if (v == NULL)
    return NULL;
  g_autoptr(GError) e = NULL;
  FlDist *d = fl_dist_parse(v, c->sc->base_dir, &e);
  if (d == NULL)
    fl_scn_wrap_value_error(c, error, group, key, e);
  return d;
}

/* ---- groups ---- */

static gboolean
parse_scenario_group(FlScnCtx *c, const char *group, GError **error)
{
  FlScenario *sc = c->sc;
  const char *v;
  if ((v = fl_scn_get(c, group, "name")) != NULL && *v) {
    g_free(sc->name);
    sc->name = g_strdup(v);
  }
  if (fl_scn_get(c, group, "horizon") != NULL) {
    if (!fl_scn_get_duration(c, error, group, "horizon", &sc->horizon_s))
      return FALSE;
    if (sc->horizon_s > MAX_HORIZON_Y * FL_SECONDS_PER_YEAR)
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "horizon"),
                            "horizon '%s' is too long; the most is 10000y (run more replications "
                            "instead)", fl_scn_get(c, group, "horizon"));
  }
  g_autoptr(GError) e = NULL;
  gint64 n;
  if ((v = fl_scn_get(c, group, "replications")) != NULL) {
    if (!fl_parse_int(v, 1, MAX_REPLICATIONS, &n, &e))
      return fl_scn_wrap_value_error(c, error, group, "replications", e);
    sc->replications = (guint64)n;
  }
  if ((v = fl_scn_get(c, group, "seed")) != NULL) {
    if (!fl_parse_int(v, 0, G_MAXINT64, &n, &e))
      return fl_scn_wrap_value_error(c, error, group, "seed", e);
    sc->seed = (guint64)n;
  }
  return fl_scn_parse_scenario_mr(c, group, error);
}

static gboolean
parse_location(FlScnCtx *c, GError **error, const char *group, double *lat, double *lon)
{
  const char *v = fl_scn_get(c, group, "location");
  g_auto(GStrv) parts = g_strsplit(v, ",", -1);
  g_autoptr(GError) e = NULL;
  if (g_strv_length(parts) != 2)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "location"),
                          "'%s' is not a location; expected latitude,longitude in degrees like "
                          "38.9,-77.4", v);
  if (!fl_parse_real(g_strstrip(parts[0]), -90.0, 90.0, lat, &e))
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "location"),
                          "latitude '%s' is not a number from -90 to 90; expected "
                          "latitude,longitude like 38.9,-77.4", parts[0]);
  if (!fl_parse_real(g_strstrip(parts[1]), -180.0, 180.0, lon, &e))
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "location"),
                          "longitude '%s' is not a number from -180 to 180; expected "
                          "latitude,longitude like 38.9,-77.4", parts[1]);
  return TRUE;
}

static gboolean
add_zone(FlScnCtx *c, GError **error, const char *group, const char *name, guint region)
{
  if (g_hash_table_contains(c->zone_by_name, name)
      || g_hash_table_contains(c->region_by_name, name))
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_DUPLICATE, WHERE(group, "zones"),
                          "zone name '%s' is already used; zone and region names must be unique",
                          name);
  FlZoneSpec z = { g_strdup(name), region };
  g_array_append_val(c->sc->zones, z);
  g_hash_table_insert(c->zone_by_name, g_strdup(name), GUINT_TO_POINTER(c->sc->zones->len));
  return TRUE;
}

static gboolean
parse_region_group(FlScnCtx *c, const char *group, const char *name, GError **error)
{
  FlScenario *sc = c->sc;
  if (g_hash_table_contains(c->zone_by_name, name))
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_DUPLICATE, WHERE(group, NULL),
                          "region name '%s' is already a zone name; names must be unique", name);
  FlRegionSpec r = { g_strdup(name), sc->zones->len, 0, FALSE, 0, 0 };
  guint index = sc->regions->len;
  g_array_append_val(sc->regions, r);
  g_hash_table_insert(c->region_by_name, g_strdup(name), GUINT_TO_POINTER(index + 1));
  FlRegionSpec *rp = fl_scenario_region(sc, index);

  const char *zones = fl_scn_get(c, group, "zones");
  if (zones == NULL) /* AWS regions launched since 2019 have at least three zones */
    zones = "3";
  if (g_ascii_isdigit(zones[0]) || zones[0] == '-' || zones[0] == '+') {
    gint64 n;
    g_autoptr(GError) e = NULL;
    if (!fl_parse_int(zones, 1, MAX_ZONES_PER_REGION, &n, &e))
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "zones"),
                            "zone count '%s' is not a whole number from 1 to %d; or list zone "
                            "names like %sa, %sb", zones, MAX_ZONES_PER_REGION, name, name);
    for (gint64 i = 0; i < n; i++) {
      g_autofree char *zname = g_strdup_printf("%s%c", name, (char)('a' + i));
      if (!add_zone(c, error, group, zname, index))
        return FALSE;
    }
  } else {
    g_auto(GStrv) names = fl_scn_split_list(c, error, group, "zones", zones);
    if (names == NULL)
      return FALSE;
    if (g_strv_length(names) > MAX_ZONES_PER_REGION)
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "zones"),
                            "%u zones is too many; a region has at most %d", g_strv_length(names),
                            MAX_ZONES_PER_REGION);
    for (guint i = 0; names[i]; i++)
      if (!add_zone(c, error, group, names[i], index))
        return FALSE;
  }
  rp = fl_scenario_region(sc, index);
  rp->n_zones = sc->zones->len - rp->first_zone;
  if (fl_scn_get(c, group, "location") != NULL) {
    if (!parse_location(c, error, group, &rp->lat_deg, &rp->lon_deg))
      return FALSE;
    rp->has_location = TRUE;
  }
  return fl_scn_parse_region_geo(c, group, rp, error);
}

/* The names of the places @accepts takes, regions before zones, NULL-terminated.
 * (transfer container) */
static GPtrArray *
place_names(FlScnCtx *c, FlScnPlace accepts)
{
  GPtrArray *names = g_ptr_array_new();
  if (accepts != FL_SCN_PLACE_ZONE)
    for (guint i = 0; i < c->sc->regions->len; i++)
      g_ptr_array_add(names, fl_scenario_region(c->sc, i)->name);
  if (accepts != FL_SCN_PLACE_REGION)
    for (guint i = 0; i < c->sc->zones->len; i++)
      g_ptr_array_add(names, fl_scenario_zone(c->sc, i)->name);
  g_ptr_array_add(names, NULL);
  return names;
}

/* Region index of the zone called @zone, which must exist. */
guint
fl_scn_zone_region(FlScnCtx *c, const char *zone)
{
  guint z = GPOINTER_TO_UINT(g_hash_table_lookup(c->zone_by_name, zone));
  g_assert(z > 0);
  return fl_scenario_zone(c->sc, z - 1)->region;
}

gboolean
fl_scn_unknown_name(FlScnCtx *c, GError **error, const char *group, const char *key,
                    const char *kind, const char *name, const char *const *valid,
                    const char *listed_as, const char *const *listed)
{
  const char *near = fl_nearest_name(name, valid);
  if (near)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_REFERENCE, WHERE(group, key),
                          "unknown %s '%s'; did you mean '%s'?", kind, name, near);
  g_autofree char *list = fl_scn_join_names(listed);
  return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_REFERENCE, WHERE(group, key),
                        "unknown %s '%s'; %s: %s", kind, name, listed_as, list);
}

gboolean
fl_scn_unknown_place(FlScnCtx *c, GError **error, const char *group, const char *key,
                     const char *name, FlScnPlace accepts)
{
  /* Suggest only names the key accepts: never a zone where only regions are valid, nor a
   * region where only zones are ("us-west-1z" is as near to us-west-1 as to us-west-1a). */
  g_autoptr(GPtrArray) valid = place_names(c, accepts);
  const char *kind = accepts == FL_SCN_PLACE_REGION ? "region"
                     : accepts == FL_SCN_PLACE_ZONE ? "zone"
                                                    : "region or zone";
  /* The list: the zones where only zones are valid, else the regions (for a key that also
   * takes zones, the regions are the shorter list). */
  gboolean zones = accepts == FL_SCN_PLACE_ZONE;
  g_autoptr(GPtrArray) listed = place_names(c, zones ? FL_SCN_PLACE_ZONE : FL_SCN_PLACE_REGION);
  return fl_scn_unknown_name(c, error, group, key, kind, name,
                             (const char *const *)valid->pdata,
                             zones ? "zones are" : "regions are",
                             (const char *const *)listed->pdata);
}

/* See scenario_private.h. */
gboolean
fl_scn_parse_scope(FlScnCtx *c, GError **error, const char *group, FlTarget target,
                   guint8 *zone_in_scope, guint8 *region_in_scope)
{
  FlScenario *sc = c->sc;
  const char *where = fl_scn_get(c, group, "where");
  if (where == NULL) {
    memset(zone_in_scope, 1, sc->zones->len);
    memset(region_in_scope, 1, sc->regions->len);
    return TRUE;
  }
  g_auto(GStrv) names = fl_scn_split_list(c, error, group, "where", where);
  if (names == NULL)
    return FALSE;
  for (guint i = 0; names[i]; i++) {
    guint r = GPOINTER_TO_UINT(g_hash_table_lookup(c->region_by_name, names[i]));
    guint z = GPOINTER_TO_UINT(g_hash_table_lookup(c->zone_by_name, names[i]));
    if (r) {
      const FlRegionSpec *rs = fl_scenario_region(sc, r - 1);
      region_in_scope[r - 1] = 1;
      memset(zone_in_scope + rs->first_zone, 1, rs->n_zones);
    } else if (z) {
      if (target == FL_TARGET_REGION)
        return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "where"),
                              "'%s' is a zone, but this group targets regions; name its "
                              "region '%s' or use target = zone", names[i],
                              fl_scenario_region(sc, fl_scenario_zone(sc, z - 1)->region)->name);
      zone_in_scope[z - 1] = 1;
    } else {
      return fl_scn_unknown_place(c, error, group, "where", names[i],
                                  target == FL_TARGET_REGION ? FL_SCN_PLACE_REGION
                                                             : FL_SCN_PLACE_REGION_OR_ZONE);
    }
  }
  return TRUE;
}

/* `rare-rate`: the biased failure rate per member under --rare-events (rare.h). Only an
 * exponential time to failure is a Poisson clock with a rate to bias. */
static gboolean
parse_rare_rate(FlScnCtx *c, const char *group, FlFailureSpec *fp, GError **error)
{
  const char *v = fl_scn_get(c, group, "rare-rate");
  if (v == NULL)
    return TRUE;
  if (fp->ttf->kind != FL_DIST_EXPONENTIAL)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "rare-rate"),
                          "rare-rate needs an exponential time-to-failure; '%s' is not a Poisson "
                          "clock, so it has no rate to bias: write time-to-failure = "
                          "exponential(mean=D) or remove rare-rate", fp->ttf->text);
  g_autoptr(GError) e = NULL;
  if (!fl_seismic_parse_rate(v, &fp->rare_rate_per_year, &e))
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "rare-rate"),
                          "%s (biased failures per member per year, like 1/y)", e->message);
  return TRUE;
}

static gboolean
parse_failure_group(FlScnCtx *c, const char *group, const char *name, GError **error)
{
  FlScenario *sc = c->sc;
  if (sc->failures->len >= MAX_FAILURE_GROUPS)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, NULL),
                          "too many failure groups; the most is %d", MAX_FAILURE_GROUPS);
  FlFailureSpec f = { 0 };
  f.name = g_strdup(name);
  f.zone_in_scope = g_new0(guint8, MAX(1u, sc->zones->len));
  f.region_in_scope = g_new0(guint8, MAX(1u, sc->regions->len));
  f.link = -1;
  g_array_append_val(sc->failures, f);
  FlFailureSpec *fp = fl_scenario_failure(sc, sc->failures->len - 1);

  const char *target = fl_scn_require(c, error, group, "target", "target = zone");
  if (target == NULL)
    return FALSE;
  /* In FlTarget order, from FL_TARGET_INSTANCE. */
  static const char *const targets[] = { "instance", "zone", "region", "load-balancer",
                                         "dns-control-plane", "link", NULL };
  for (guint i = 0; targets[i]; i++)
    if (strcmp(target, targets[i]) == 0)
      fp->target = (FlTarget)(FL_TARGET_INSTANCE + i);
  if (fp->target == 0) {
    const char *near = fl_nearest_name(target, targets);
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "target"),
                          "unknown target '%s'; %s%s%sexpected instance, zone, region, "
                          "load-balancer, dns-control-plane or link", target,
                          near ? "did you mean '" : "", near ? near : "", near ? "'? " : "");
  }
  if (!fl_scn_check_failure_where(c, group, fp, error))
    return FALSE;
  if (fp->target == FL_TARGET_LINK) {
    if (!fl_scn_parse_link(c, group, fp, error))
      return FALSE;
  } else if (fl_scn_get(c, group, "between") != NULL) {
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "between"),
                          "'between' names the two regions of a link; it needs target = link");
  } else if (!fl_scn_parse_scope(c, error, group, fp->target, fp->zone_in_scope,
                                 fp->region_in_scope)) {
    return FALSE;
  }
  fp->ttf = fl_scn_get_dist(c, error, group, "time-to-failure",
                            "time-to-failure = exponential(mean=30d)");
  if (fp->ttf == NULL)
    return FALSE;
  fp->ttr = fl_scn_get_dist(c, error, group, "time-to-repair",
                            "time-to-repair = lognormal(median=2h, sigma=1.0)");
  return fp->ttr != NULL && parse_rare_rate(c, group, fp, error);
}

static gboolean
parse_needs(FlScnCtx *c, GError **error, const char *group, FlServiceSpec *s)
{
  const char *v = fl_scn_require(c, error, group, "needs",
                                 "needs = 2 instances   (or: needs = 2 zones)");
  if (v == NULL)
    return FALSE;
  g_auto(GStrv) words = g_strsplit_set(v, " \t", -1);
  GPtrArray *w = g_ptr_array_new();
  for (guint i = 0; words[i]; i++)
    if (*words[i])
      g_ptr_array_add(w, words[i]);
  gint64 n = 0;
  g_autoptr(GError) e = NULL;
  gboolean ok = w->len == 2 && fl_parse_int(g_ptr_array_index(w, 0), 1, G_MAXUINT32, &n, &e);
  const char *unit = ok ? g_ptr_array_index(w, 1) : "";
  g_ptr_array_free(w, TRUE);
  if (ok && (strcmp(unit, "instances") == 0 || strcmp(unit, "instance") == 0))
    s->needs_kind = FL_NEEDS_INSTANCES;
  else if (ok && (strcmp(unit, "zones") == 0 || strcmp(unit, "zone") == 0))
    s->needs_kind = FL_NEEDS_ZONES;
  else
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "needs"),
                          "'%s' is not a need; expected a positive count and instances or "
                          "zones, like '3 instances' or '2 zones'", v);
  s->needs = (guint)n;
  return TRUE;
}

guint
fl_service_capacity(const FlScenario *sc, const FlServiceSpec *svc, guint region_index)
{
  const FlRegionSpec *r = fl_scenario_region(sc, svc->regions[region_index]);
  return svc->needs_kind == FL_NEEDS_ZONES ? r->n_zones : r->n_zones * svc->instances_per_zone;
}

static gboolean
parse_service_group(FlScnCtx *c, const char *group, const char *name, GError **error)
{
  FlScenario *sc = c->sc;
  if (sc->services->len >= MAX_SERVICES)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, NULL),
                          "too many services; the most is %d", MAX_SERVICES);
  FlServiceSpec s = { 0 };
  s.name = g_strdup(name);
  s.sla = 0.999;
  s.load_balancer = -1;
  s.dns = -1;
  s.image = -1;
  s.eip_remap_s = 10.0;
  /* Unconfirmed: no published figure (docs/multi-region.md, "Data"). 100 GB/h is the image-copy
   * field report's rate, measured for a copy between regions, not a restore. */
  s.backup_interval_s = 24 * FL_SECONDS_PER_HOUR;
  s.restore_rate_gb_per_h = 100.0;
  g_array_append_val(sc->services, s);
  FlServiceSpec *sp = fl_scenario_service(sc, sc->services->len - 1);

  const char *regions = fl_scn_get(c, group, "regions");
  if (regions == NULL) {
    sp->n_regions = sc->regions->len;
    sp->regions = g_new(guint, sp->n_regions);
    for (guint i = 0; i < sp->n_regions; i++)
      sp->regions[i] = i;
  } else {
    g_auto(GStrv) names = fl_scn_split_list(c, error, group, "regions", regions);
    if (names == NULL)
      return FALSE;
    sp->n_regions = g_strv_length(names);
    sp->regions = g_new(guint, MAX(1u, sp->n_regions));
    for (guint i = 0; names[i]; i++) {
      guint r = GPOINTER_TO_UINT(g_hash_table_lookup(c->region_by_name, names[i]));
      if (r == 0) {
        if (g_hash_table_contains(c->zone_by_name, names[i]))
          return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_REFERENCE, WHERE(group, "regions"),
                                "'%s' is a zone, not a region; list its region '%s' instead",
                                names[i],
                                fl_scenario_region(sc, fl_scn_zone_region(c, names[i]))->name);
        return fl_scn_unknown_place(c, error, group, "regions", names[i], FL_SCN_PLACE_REGION);
      }
      sp->regions[i] = r - 1;
    }
  }
  const char *ipz = fl_scn_require(c, error, group, "instances-per-zone", "instances-per-zone = 2");
  if (ipz == NULL)
    return FALSE;
  gint64 n;
  g_autoptr(GError) e = NULL;
  if (!fl_parse_int(ipz, 1, 100000, &n, &e))
    return fl_scn_wrap_value_error(c, error, group, "instances-per-zone", e);
  sp->instances_per_zone = (guint)n;
  if (!parse_needs(c, error, group, sp))
    return FALSE;
  for (guint i = 0; i < sp->n_regions; i++) {
    guint cap = fl_service_capacity(sc, sp, i);
    if (sp->needs > cap)
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_IMPOSSIBLE, WHERE(group, "needs"),
                            "needs %u %s but region %s has only %u with everything up; lower "
                            "needs or add %s", sp->needs,
                            sp->needs_kind == FL_NEEDS_ZONES ? "zones" : "instances",
                            fl_scenario_region(sc, sp->regions[i])->name, cap,
                            sp->needs_kind == FL_NEEDS_ZONES ? "zones" : "instances-per-zone");
  }
  const char *sla = fl_scn_get(c, group, "sla");
  if (sla != NULL && !fl_parse_percent(sla, FALSE, &sp->sla, &e))
    return fl_scn_wrap_value_error(c, error, group, "sla", e);
  return fl_scn_parse_service_mr(c, group, sp, error);
}

/* ---- driver ---- */

static const GroupKind *
find_kind(const char *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS(group_kinds); i++)
    if (strcmp(group_kinds[i].kind, kind) == 0)
      return &group_kinds[i];
  return NULL;
}

/* Checks the group header and its keys against the schema; returns the kind and the name. */
static const GroupKind *
check_group(FlScnCtx *c, const char *group, const char **out_name, GError **error)
{
  const char *space = strchr(group, ' ');
  g_autofree char *kind = space ? g_strndup(group, (gsize)(space - group)) : g_strdup(group);
  const char *name = space ? space + 1 : NULL;
  const GroupKind *gk = find_kind(kind);
  if (gk == NULL) {
    const char *kinds[G_N_ELEMENTS(group_kinds) + 1] = { 0 };
    for (guint i = 0; i < G_N_ELEMENTS(group_kinds); i++)
      kinds[i] = group_kinds[i].kind;
    const char *near = fl_nearest_name(kind, kinds);
    g_autofree char *list = fl_scn_join_names(kinds);
    if (near)
      fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_UNKNOWN, WHERE(group, NULL),
                     "unknown group kind '%s'; did you mean [%s%s%s]? Valid kinds: %s", kind, near,
                     name ? " " : "", name ? name : "", list);
    else
      fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_UNKNOWN, WHERE(group, NULL),
                     "unknown group kind '%s'; valid kinds: %s", kind, list);
    return NULL;
  }
  if (gk->named && name == NULL) {
    fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_SYNTAX, WHERE(group, NULL),
                   "group [%s] needs a name; write it like [%s NAME]", kind, kind);
    return NULL;
  }
  if (!gk->named && name != NULL) {
    fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_SYNTAX, WHERE(group, NULL),
                   "group [%s] takes no name; write it as [%s]", kind, kind);
    return NULL;
  }
  if (name && strpbrk(name, " \t")) {
    fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_SYNTAX, WHERE(group, NULL),
                   "name '%s' has a space; use a single word like %s-1", name, kind);
    return NULL;
  }
  /* Names are written in lists (regions = a, b), weights (a=1) and shares (a 60%): a name
   * holding one of those separators could be defined but never referred to. */
  const char *sep = name ? strpbrk(name, ",%") : NULL; /* '=': the header itself is refused */
  if (sep) {
    fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_SYNTAX, WHERE(group, NULL),
                   "name '%s' has '%c', which separates names and values in lists; use "
                   "letters, digits and '-', like %s-1", name, *sep, kind);
    return NULL;
  }
  const char *const *keys = fl_ini_keys(c->ini, group);
  for (guint i = 0; keys[i]; i++) {
    gboolean known = FALSE;
    for (guint j = 0; gk->keys[j]; j++)
      known |= strcmp(keys[i], gk->keys[j]) == 0;
    if (!known) {
      const char *near = fl_nearest_name(keys[i], gk->keys);
      g_autofree char *list = fl_scn_join_names(gk->keys);
      if (near)
        fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_UNKNOWN, WHERE(group, keys[i]),
                       "unknown key '%s'; did you mean '%s'? [%s] takes: %s", keys[i], near,
                       kind, list);
      else
        fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_UNKNOWN, WHERE(group, keys[i]),
                       "unknown key '%s'; [%s] takes: %s", keys[i], kind, list);
      return NULL;
    }
  }
  *out_name = name;
  return gk;
}

void
fl_scenario_free(FlScenario *sc)
{
  if (sc == NULL)
    return;
  g_free(sc->name);
  g_free(sc->file);
  g_free(sc->sha256);
  g_free(sc->base_dir);
  for (guint i = 0; sc->regions && i < sc->regions->len; i++)
    g_free(fl_scenario_region(sc, i)->name);
  for (guint i = 0; sc->zones && i < sc->zones->len; i++)
    g_free(fl_scenario_zone(sc, i)->name);
  for (guint i = 0; sc->failures && i < sc->failures->len; i++) {
    FlFailureSpec *f = fl_scenario_failure(sc, i);
    g_free(f->name);
    fl_dist_free(f->ttf);
    fl_dist_free(f->ttr);
    g_free(f->zone_in_scope);
    g_free(f->region_in_scope);
  }
  for (guint i = 0; sc->services && i < sc->services->len; i++) {
    FlServiceSpec *sv = fl_scenario_service(sc, i);
    g_free(sv->name);
    g_free(sv->regions);
    fl_dist_free(sv->scale_up);
    fl_dist_free(sv->launch);
    fl_dist_free(sv->lag);
  }
  for (guint i = 0; sc->load_balancers && i < sc->load_balancers->len; i++)
    g_free(fl_scenario_load_balancer(sc, i)->name);
  for (guint i = 0; sc->dns && i < sc->dns->len; i++) {
    FlDnsSpec *d = fl_scenario_dns(sc, i);
    g_free(d->name);
    g_free(d->weights);
    g_free(d->client_share);
    g_free(d->has_record);
  }
  for (guint i = 0; sc->images && i < sc->images->len; i++) {
    g_free(fl_scenario_image(sc, i)->name);
    g_free(fl_scenario_image(sc, i)->present);
  }
  for (guint i = 0; sc->injects && i < sc->injects->len; i++)
    g_free(fl_scenario_inject(sc, i)->name);
  if (sc->load_balancers)
    g_array_unref(sc->load_balancers);
  if (sc->dns)
    g_array_unref(sc->dns);
  if (sc->images)
    g_array_unref(sc->images);
  if (sc->injects)
    g_array_unref(sc->injects);
  fl_scn_free_hazards(sc);
  if (sc->regions)
    g_array_unref(sc->regions);
  if (sc->zones)
    g_array_unref(sc->zones);
  if (sc->failures)
    g_array_unref(sc->failures);
  if (sc->services)
    g_array_unref(sc->services);
  g_free(sc);
}

/* Counts the components the model will build, to refuse absurd sizes before allocating. */
static gboolean
check_size(FlScnCtx *c, GError **error)
{
  FlScenario *sc = c->sc;
  guint64 comps = sc->regions->len + sc->zones->len;
  for (guint s = 0; s < sc->services->len; s++) {
    const FlServiceSpec *sv = fl_scenario_service(sc, s);
    for (guint i = 0; i < sv->n_regions; i++)
      comps += (guint64)fl_scenario_region(sc, sv->regions[i])->n_zones * sv->instances_per_zone;
  }
  if (comps > MAX_COMPONENTS)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(NULL, NULL),
                          "the scenario has %" G_GUINT64_FORMAT " components; the most is %u",
                          comps, MAX_COMPONENTS);
  return TRUE;
}

/* Every failure group must reach something; a group that covers nothing is almost surely a
 * misspelt `where` or a target no service has there. */
static gboolean
check_failure_reach(FlScnCtx *c, GError **error)
{
  FlScenario *sc = c->sc;
  for (guint i = 0; i < sc->failures->len; i++) {
    const FlFailureSpec *f = fl_scenario_failure(sc, i);
    if (f->target != FL_TARGET_INSTANCE)
      continue;
    gboolean reach = FALSE;
    for (guint s = 0; s < sc->services->len && !reach; s++) {
      const FlServiceSpec *sv = fl_scenario_service(sc, s);
      for (guint k = 0; k < sv->n_regions && !reach; k++) {
        const FlRegionSpec *r = fl_scenario_region(sc, sv->regions[k]);
        for (guint z = 0; z < r->n_zones && !reach; z++)
          reach = f->zone_in_scope[r->first_zone + z];
      }
    }
    if (!reach) {
      g_autofree char *group = g_strconcat("failure ", f->name, NULL);
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_REFERENCE,
                            WHERE(group, fl_scn_get(c, group, "where") ? "where" : "target"),
                            "this group targets instances but no service runs instances where it "
                            "applies; widen 'where' or run a service there");
    }
  }
  return TRUE;
}

static FlScenario *
parse(FlIni *ini, FlScenario *sc_in, GError **error)
{
  g_autoptr(FlScenario) sc = sc_in;
  FlScnCtx c = {
    .ini = ini,
    .sc = sc,
    .region_by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
    .zone_by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
    .lb_by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
    .dns_by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
    .image_by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
  };
  const char *const *groups = fl_ini_groups(ini);
  gboolean ok = TRUE;
  /* Pass 1: schema of every group, then [scenario] and regions. */
  for (guint i = 0; ok && groups[i]; i++) {
    const char *name;
    const GroupKind *gk = check_group(&c, groups[i], &name, error);
    if (gk == NULL)
      ok = FALSE;
    else if (strcmp(gk->kind, "scenario") == 0)
      ok = parse_scenario_group(&c, groups[i], error);
    else if (strcmp(gk->kind, "region") == 0)
      ok = parse_region_group(&c, groups[i], name, error);
  }
  /* Pass 2: load balancers, record sets and images, which refer to regions only. */
  for (guint i = 0; ok && groups[i]; i++) {
    const char *space = strchr(groups[i], ' ');
    if (space == NULL)
      continue;
    g_autofree char *kind = g_strndup(groups[i], (gsize)(space - groups[i]));
    if (strcmp(kind, "load-balancer") == 0 || strcmp(kind, "dns") == 0
        || strcmp(kind, "image") == 0)
      ok = fl_scn_parse_mr_group(&c, kind, groups[i], space + 1, error);
    else if (strcmp(kind, "zone") == 0)
      ok = fl_scn_parse_zone_group(&c, groups[i], space + 1, error);
  }
  if (ok)
    fl_scn_place_zones(&c);
  /* Pass 3: groups that refer to regions, zones and the groups of pass 2 by name. */
  for (guint i = 0; ok && groups[i]; i++) {
    const char *space = strchr(groups[i], ' ');
    if (space == NULL)
      continue;
    if (g_str_has_prefix(groups[i], "failure "))
      ok = parse_failure_group(&c, groups[i], space + 1, error);
    else if (g_str_has_prefix(groups[i], "service "))
      ok = parse_service_group(&c, groups[i], space + 1, error);
    else if (g_str_has_prefix(groups[i], "hazard "))
      ok = fl_scn_parse_hazard(&c, groups[i], space + 1, error);
  }
  /* Pass 4: injections, which refer to what the services run. */
  for (guint i = 0; ok && groups[i]; i++)
    if (g_str_has_prefix(groups[i], "inject ")) {
      if (sc->injects->len >= MAX_INJECTS)
        ok = fl_scn_fail_at(&c, error, FL_SCENARIO_ERROR_VALUE, WHERE(groups[i], NULL),
                            "too many [inject] groups; the most is %d", MAX_INJECTS);
      else
        ok = fl_scn_parse_inject(&c, groups[i], groups[i] + strlen("inject "), error);
    }
  if (ok && sc->regions->len == 0)
    ok = fl_scn_fail_at(&c, error, FL_SCENARIO_ERROR_MISSING, WHERE(NULL, NULL),
                        "no [region ...] group; add one, for example [region us-east-1] with "
                        "zones = 3");
  if (ok && sc->services->len == 0)
    ok = fl_scn_fail_at(&c, error, FL_SCENARIO_ERROR_MISSING, WHERE(NULL, NULL),
                        "no [service ...] group; add one with instances-per-zone and needs");
  ok = ok && check_size(&c, error) && check_failure_reach(&c, error)
       && fl_scn_check_mr(&c, error) && fl_scn_check_hazards(&c, error);
  g_hash_table_unref(c.region_by_name);
  g_hash_table_unref(c.zone_by_name);
  g_hash_table_unref(c.lb_by_name);
  g_hash_table_unref(c.dns_by_name);
  g_hash_table_unref(c.image_by_name);
  return ok ? g_steal_pointer(&sc) : NULL;
}

FlScenario *
fl_scenario_load_data(const char *data, gsize length, const char *display_name,
                      const char *base_dir, GError **error)
{
  g_autoptr(FlIni) ini = fl_ini_parse(data, length, display_name, error);
  if (ini == NULL)
    return NULL;
  FlScenario *sc = g_new0(FlScenario, 1);
  sc->file = g_strdup(display_name);
  sc->base_dir = g_strdup(base_dir ? base_dir : ".");
  sc->sha256 = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, length);
  g_autofree char *base = g_path_get_basename(display_name);
  char *dot = strrchr(base, '.');
  if (dot && dot != base)
    *dot = '\0';
  sc->name = g_strdup(base);
  sc->horizon_s = FL_SECONDS_PER_YEAR;
  sc->replications = 1000;
  sc->seed = 1;
  sc->regions = g_array_new(FALSE, TRUE, sizeof(FlRegionSpec));
  sc->zones = g_array_new(FALSE, TRUE, sizeof(FlZoneSpec));
  sc->failures = g_array_new(FALSE, TRUE, sizeof(FlFailureSpec));
  sc->services = g_array_new(FALSE, TRUE, sizeof(FlServiceSpec));
  sc->load_balancers = g_array_new(FALSE, TRUE, sizeof(FlLoadBalancerSpec));
  sc->dns = g_array_new(FALSE, TRUE, sizeof(FlDnsSpec));
  sc->images = g_array_new(FALSE, TRUE, sizeof(FlImageSpec));
  sc->injects = g_array_new(FALSE, TRUE, sizeof(FlInjectSpec));
  sc->hazards = g_array_new(FALSE, TRUE, sizeof(FlHazardSpec));
  sc->links = g_array_new(FALSE, TRUE, sizeof(FlLinkSpec));
  sc->includes = g_ptr_array_new_with_free_func(g_free);
  sc->random_failures = TRUE;
  if (!fl_scn_resolve_includes(ini, sc, base_dir ? display_name : NULL, error)) {
    fl_scenario_free(sc);
    return NULL;
  }
  return parse(ini, sc, error);
}

FlScenario *
fl_scenario_load(const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  if (!fl_read_text(path, "scenario", &data, &length, error))
    return NULL;
  if (strcmp(path, "-") == 0)
    return fl_scenario_load_data(data, length, "<stdin>", NULL, error);
  g_autofree char *dir = g_path_get_dirname(path);
  return fl_scenario_load_data(data, length, path, dir, error);
}
