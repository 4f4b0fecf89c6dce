/* scenario_mr.c - the multi-region part of the scenario language (issue 3). See
 * scenario_private.h for how it shares the parser with scenario.c, and docs/multi-region.md
 * for what every value means.
 *
 * Parses [load-balancer NAME], [dns NAME], [image NAME], [inject NAME], the DR keys of
 * [service NAME] and [scenario] random-failures into the structs of scenario.h, then checks
 * them against each other: a record or an image in a region the service does not run in, a
 * failover without two regions, an Elastic IP asked to cross regions, a key that belongs to
 * another DR strategy, an injection of a component the scenario does not have (an injected
 * link is added to the scenario's links, as a target = link group's is). A default with a
 * source comes from shared/reference/aws-mechanics.md and is named beside it; one without
 * (launch, the backup-restore keys, eip-remap) is marked unconfirmed there and in
 * docs/multi-region.md.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "faultline/clients.h"
#include "faultline/errors.h"
#include "faultline/units.h"
#include "scenario_private.h"

/* Sizes are held in GB (10^9 bytes); the largest accepted, an exabyte, only stops typos. */
#define MAX_SIZE_GB 1e9
#define SIZE_HINT "a number and a unit: MB, GB, TB, MiB, GiB or TiB (for example 100GB)"
#define RATE_HINT                                                                               \
  "a size per time like 100GB/h, 500MiB/s or 2TB/d (sizes in MB, GB, TB, MiB, GiB or TiB; "     \
  "times in s, min, h or d)"
/* docs/multi-region.md: `launch` defaults to fixed(5min). Unconfirmed: AWS publishes no launch
 * time (the DR whitepaper's pilot light recovers in "tens of minutes", an order of magnitude). */
#define DEFAULT_LAUNCH "fixed(5min)"

static const struct {
  const char *name;
  double gb;
} size_units[] = {
  { "MB", 1e-3 },
  { "GB", 1.0 },
  { "TB", 1e3 },
  { "MiB", 1048576.0 / 1e9 },
  { "GiB", 1073741824.0 / 1e9 },
  { "TiB", 1099511627776.0 / 1e9 },
};

static const struct {
  const char *name;
  double per_hour; /* how many of the unit make an hour */
} rate_units[] = {
  { "s", 3600.0 },
  { "min", 60.0 },
  { "h", 1.0 },
  { "d", 1.0 / 24.0 },
};

/* Names in the order of their enums, from 1 (index + 1 is the enum value). */
static const char *const policy_names[] = { "failover", "weighted", "latency", "multivalue",
                                            NULL };
static const char *const strategy_names[] = { "backup-restore", "pilot-light", "warm-standby",
                                              "active-active", NULL };

/* ---- small value parsers, without locations (the caller adds them) ---- */

/* Reads an unsigned decimal number at the start of @text (no sign, hex, inf or nan). */

/* Parses "100GB" (units in size_units) into GB; zero only when @allow_zero. */
static gboolean
parse_size_gb(const char *text, gboolean allow_zero, double *out_gb, GError **error)
{
  double v;
  const char *rest;
  if (!fl_read_number(text, &v, &rest) || !isfinite(v) || v < 0) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "'%s' is not a size; expected %s", text, SIZE_HINT);
    return FALSE;
  }
  g_autofree char *unit = g_strstrip(g_strdup(rest));
  double scale = 0.0;
  for (gsize i = 0; i < G_N_ELEMENTS(size_units); i++)
    if (strcmp(unit, size_units[i].name) == 0)
      scale = size_units[i].gb;
  if (scale == 0.0) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                *unit ? "unknown size unit in '%s'; expected %s" : "size '%s' has no unit; "
                "expected %s", text, SIZE_HINT);
    return FALSE;
  }
  double gb = v * scale;
  if (!isfinite(gb) || gb > MAX_SIZE_GB) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "size '%s' is too large; the most is 1000000TB", text);
    return FALSE;
  }
  if (gb == 0.0 && !allow_zero) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "size '%s' must be more than zero; expected %s", text, SIZE_HINT);
    return FALSE;
  }
  *out_gb = gb;
  return TRUE;
}

/* Parses "100GB/h" into GB per hour, > 0. */
static gboolean
parse_rate_gb_per_h(const char *text, double *out, GError **error)
{
  const char *slash = strchr(text, '/');
  double gb = 0.0;
  g_autofree char *size = slash ? g_strndup(text, (gsize)(slash - text)) : NULL;
  if (slash != NULL && parse_size_gb(size, TRUE, &gb, NULL) && gb == 0.0) { /* a well-formed 0 */
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "rate '%s' must be more than zero: nothing would ever be copied", text);
    return FALSE;
  }
  if (slash == NULL || !parse_size_gb(size, FALSE, &gb, NULL)) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "'%s' is not a transfer rate; expected %s", text, RATE_HINT);
    return FALSE;
  }
  g_autofree char *unit = g_strstrip(g_strdup(slash + 1));
  for (gsize i = 0; i < G_N_ELEMENTS(rate_units); i++)
    if (strcmp(unit, rate_units[i].name) == 0) {
      *out = gb * rate_units[i].per_hour;
      return TRUE;
    }
  g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
              "unknown time unit '%s' in rate '%s'; expected %s", unit, text, RATE_HINT);
  return FALSE;
}

/* If @text is "NAME(INNER)", returns INNER trimmed (transfer full); else NULL. */
static char *
call_argument(const char *text, const char *name)
{
  gsize n = strlen(name), len = strlen(text);
  if (strncmp(text, name, n) != 0)
    return NULL;
  const char *p = text + n;
  while (g_ascii_isspace(*p))
    p++;
  if (*p != '(' || len == 0 || text[len - 1] != ')')
    return NULL;
  return g_strstrip(g_strndup(p + 1, (gsize)(text + len - 1 - (p + 1))));
}

/* If @text is "KEY=VALUE" (spaces allowed around '='), returns VALUE trimmed (transfer full). */
static char *
named_argument(const char *text, const char *key)
{
  gsize n = strlen(key);
  if (strncmp(text, key, n) != 0)
    return NULL;
  const char *p = text + n;
  while (g_ascii_isspace(*p))
    p++;
  if (*p != '=')
    return NULL;
  return g_strstrip(g_strdup(p + 1));
}

/* ---- values with locations ---- */

static gboolean
get_bool(FlScnCtx *c, GError **error, const char *group, const char *key, gboolean *out)
{
  const char *v = fl_scn_get(c, group, key);
  if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0)
    *out = TRUE;
  else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0)
    *out = FALSE;
  else
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, key),
                          "'%s' is not yes or no; expected yes, no, true or false", v);
  return TRUE;
}

/* Parses present @key as a duration, zero allowed when @allow_zero, into seconds. */
static gboolean
get_duration0(FlScnCtx *c, GError **error, const char *group, const char *key,
              gboolean allow_zero, double *out)
{
  g_autoptr(GError) e = NULL;
  if (fl_parse_duration(fl_scn_get(c, group, key), allow_zero, out, &e))
    return TRUE;
  return fl_scn_wrap_value_error(c, error, group, key, e);
}

static gboolean
get_percent(FlScnCtx *c, GError **error, const char *group, const char *key, double *out)
{
  g_autoptr(GError) e = NULL;
  if (fl_parse_percent(fl_scn_get(c, group, key), FALSE, out, &e))
    return TRUE;
  return fl_scn_wrap_value_error(c, error, group, key, e);
}

static gboolean
get_size(FlScnCtx *c, GError **error, const char *group, const char *key, gboolean allow_zero,
         double *out_gb)
{
  g_autoptr(GError) e = NULL;
  if (parse_size_gb(fl_scn_get(c, group, key), allow_zero, out_gb, &e))
    return TRUE;
  return fl_scn_wrap_value_error(c, error, group, key, e);
}

static gboolean
get_rate(FlScnCtx *c, GError **error, const char *group, const char *key, double *out)
{
  g_autoptr(GError) e = NULL;
  if (parse_rate_gb_per_h(fl_scn_get(c, group, key), out, &e))
    return TRUE;
  return fl_scn_wrap_value_error(c, error, group, key, e);
}

/* Looks up region @name given in @group/@key; a zone or an unknown name is an error. */
static gboolean
lookup_region(FlScnCtx *c, GError **error, const char *group, const char *key, const char *name,
              guint *out)
{
  guint r = GPOINTER_TO_UINT(g_hash_table_lookup(c->region_by_name, name));
  if (r > 0) {
    *out = r - 1;
    return TRUE;
  }
  if (g_hash_table_contains(c->zone_by_name, name))
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_REFERENCE, WHERE(group, key),
                          "'%s' is a zone, not a region; name its region '%s'", name,
                          fl_scenario_region(c->sc, fl_scn_zone_region(c, name))->name);
  return fl_scn_unknown_place(c, error, group, key, name, FL_SCN_PLACE_REGION);
}

/* Matches @v against @names (NULL-terminated); returns index + 1, or 0 after reporting the
 * nearest name and the valid ones. */
static guint
get_choice(FlScnCtx *c, GError **error, const char *group, const char *key, const char *v,
           const char *const *names)
{
  for (guint i = 0; names[i]; i++)
    if (strcmp(v, names[i]) == 0)
      return i + 1;
  const char *near = fl_nearest_name(v, names);
  g_autofree char *list = fl_scn_join_names(names);
  if (near)
    fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, key),
                   "unknown %s '%s'; did you mean '%s'? Valid: %s", key, v, near, list);
  else
    fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, key),
                   "unknown %s '%s'; valid: %s", key, v, list);
  return 0;
}

/* The key @key is given but does not apply here: @what says why, @hint what would be valid. */
static gboolean
not_applicable(FlScnCtx *c, GError **error, const char *group, const char *key,
               const char *what, const char *hint)
{
  return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, key), "%s; %s", what,
                        hint);
}

/* ---- NAME=VALUE parameter lists: health-check = interval=30s, failure-threshold=3 ---- */

#define MAX_PARAMS 4

typedef struct {
  char *value[MAX_PARAMS]; /* by position in the names list; NULL when not given (owned) */
} Params;

static void
params_clear(Params *p)
{
  for (guint i = 0; i < MAX_PARAMS; i++)
    g_free(p->value[i]);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Params, params_clear)

/* Parses the value of @key as comma-separated NAME=VALUE pairs, each NAME one of @names (at
 * most MAX_PARAMS) and given once; any subset may be given. @example is a valid value. */
static gboolean
parse_params(FlScnCtx *c, GError **error, const char *group, const char *key,
             const char *const *names, const char *example, Params *out)
{
  const char *v = fl_scn_get(c, group, key);
  g_auto(GStrv) items = g_strsplit(v, ",", -1);
  g_autofree char *list = fl_scn_join_names(names);
  if (items[0] == NULL)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, key),
                          "'%s' is empty; give NAME=VALUE pairs like %s, or leave the key out",
                          key, example);
  for (guint i = 0; items[i]; i++) {
    char *item = g_strstrip(items[i]);
    char *eq = strchr(item, '=');
    if (eq == NULL || eq == item)
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, key),
                            "'%s' is not NAME=VALUE; %s takes pairs of %s, like %s", item, key,
                            list, example);
    *eq = '\0';
    char *name = g_strstrip(item), *value = g_strstrip(eq + 1);
    guint k = 0;
    while (names[k] && strcmp(names[k], name) != 0)
      k++;
    if (names[k] == NULL) {
      const char *near = fl_nearest_name(name, names);
      if (near)
        return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, key),
                              "unknown %s parameter '%s'; did you mean '%s'? %s takes: %s", key,
                              name, near, key, list);
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, key),
                            "unknown %s parameter '%s'; %s takes: %s", key, name, key, list);
    }
    g_assert(k < MAX_PARAMS);
    if (*value == '\0')
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, key),
                            "%s %s has no value; for example %s", key, name, example);
    if (out->value[k] != NULL)
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_DUPLICATE, WHERE(group, key),
                            "%s %s is given twice; give it once, like %s", key, name, example);
    out->value[k] = g_strdup(value);
  }
  return TRUE;
}

/* A duration parameter in [min_s, max_s]; @range says it for people, like "5s to 300s". */
static gboolean
param_duration(FlScnCtx *c, GError **error, const char *group, const char *key,
               const char *name, const char *text, double min_s, double max_s,
               const char *range, double *out)
{
  g_autoptr(GError) e = NULL;
  if (!fl_parse_duration(text, FALSE, out, &e))
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, key), "%s %s: %s",
                          key, name, e->message);
  if (*out < min_s || *out > max_s)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, key),
                          "%s %s '%s' is out of range; expected %s", key, name, text, range);
  return TRUE;
}

static gboolean
param_int(FlScnCtx *c, GError **error, const char *group, const char *key, const char *name,
          const char *text, gint64 min, gint64 max, guint *out)
{
  g_autoptr(GError) e = NULL;
  gint64 n;
  if (!fl_parse_int(text, min, max, &n, &e))
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, key), "%s %s: %s",
                          key, name, e->message);
  *out = (guint)n;
  return TRUE;
}

/* ---- [scenario] ---- */

gboolean
fl_scn_parse_scenario_mr(FlScnCtx *c, const char *group, GError **error)
{
  if (fl_scn_get(c, group, "rare-events") != NULL /* issue 5, rare.h */
      && !get_bool(c, error, group, "rare-events", &c->sc->rare_events))
    return FALSE;
  if (fl_scn_get(c, group, "random-failures") == NULL)
    return TRUE;
  return get_bool(c, error, group, "random-failures", &c->sc->random_failures);
}

/* ---- [load-balancer NAME] (ELB user guide, ALB defaults) ---- */

#define LB_HC_EXAMPLE "interval=30s, unhealthy-threshold=2, healthy-threshold=5"

static gboolean
parse_load_balancer(FlScnCtx *c, const char *group, const char *name, GError **error)
{
  FlScenario *sc = c->sc;
  FlLoadBalancerSpec lb = {
    .name = g_strdup(name),
    .hc_interval_s = 30.0,     /* ALB default interval */
    .unhealthy_threshold = 2,  /* ALB default */
    .healthy_threshold = 5,    /* ALB default */
    .cross_zone = TRUE,        /* on by default for ALBs */
    .hc_timeout_s = 5.0,       /* ALB default timeout */
  };
  g_array_append_val(sc->load_balancers, lb);
  g_hash_table_insert(c->lb_by_name, g_strdup(name),
                      GUINT_TO_POINTER(sc->load_balancers->len));
  FlLoadBalancerSpec *p = fl_scenario_load_balancer(sc, sc->load_balancers->len - 1);

  if (fl_scn_get(c, group, "health-check") != NULL) {
    static const char *const names[] = { "interval", "unhealthy-threshold",
                                         "healthy-threshold", "timeout", NULL };
    g_auto(Params) pr = { { NULL } };
    if (!parse_params(c, error, group, "health-check", names, LB_HC_EXAMPLE, &pr))
      return FALSE;
    /* Ranges: the ALB's target-group health-check settings. */
    if (pr.value[0] && !param_duration(c, error, group, "health-check", "interval", pr.value[0],
                                       5.0, 300.0, "5s to 300s (ALB target health checks)",
                                       &p->hc_interval_s))
      return FALSE;
    if (pr.value[1] && !param_int(c, error, group, "health-check", "unhealthy-threshold",
                                  pr.value[1], 2, 10, &p->unhealthy_threshold))
      return FALSE;
    if (pr.value[2] && !param_int(c, error, group, "health-check", "healthy-threshold",
                                  pr.value[2], 2, 10, &p->healthy_threshold))
      return FALSE;
    if (pr.value[3] && !param_duration(c, error, group, "health-check", "timeout", pr.value[3],
                                       2.0, 120.0, "2s to 120s (ALB target health checks)",
                                       &p->hc_timeout_s))
      return FALSE;
    if (pr.value[3] && p->hc_timeout_s >= p->hc_interval_s)
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "health-check"),
                            "health-check timeout %s is not shorter than the interval; the ALB "
                            "needs timeout < interval, like interval=30s, timeout=5s",
                            pr.value[3]);
  }
  if (fl_scn_get(c, group, "cross-zone") != NULL
      && !get_bool(c, error, group, "cross-zone", &p->cross_zone))
    return FALSE;
  return TRUE;
}

/* ---- [dns NAME] (Route 53 developer guide) ---- */

#define DNS_HC_EXAMPLE "interval=30s, failure-threshold=3"

static gboolean
parse_dns_health_check(FlScnCtx *c, const char *group, FlDnsSpec *d, GError **error)
{
  static const char *const names[] = { "interval", "failure-threshold", "checkers",
                                       "healthy-above", NULL };
  g_auto(Params) pr = { { NULL } };
  if (!parse_params(c, error, group, "health-check", names, DNS_HC_EXAMPLE, &pr))
    return FALSE;
  d->has_health_check = TRUE;
  if (pr.value[0]) {
    g_autoptr(GError) e = NULL;
    double s;
    if (!fl_parse_duration(pr.value[0], FALSE, &s, &e))
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "health-check"),
                            "health-check interval: %s", e->message);
    if (s != 10.0 && s != 30.0)
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "health-check"),
                            "health-check interval '%s' is not 10s or 30s; Route 53 checks "
                            "every 30s (standard) or 10s (fast)", pr.value[0]);
    d->hc_interval_s = s;
  }
  if (pr.value[1] && !param_int(c, error, group, "health-check", "failure-threshold",
                                pr.value[1], 1, 10, &d->failure_threshold))
    return FALSE;
  /* At least 3 checker regions (Route 53: a custom list needs >= 3); 64 bounds the cost. */
  if (pr.value[2] && !param_int(c, error, group, "health-check", "checkers", pr.value[2], 3,
                                64, &d->checkers))
    return FALSE;
  if (pr.value[3]) {
    g_autoptr(GError) e = NULL;
    if (!fl_parse_percent(pr.value[3], FALSE, &d->healthy_above, &e))
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "health-check"),
                            "health-check healthy-above: %s", e->message);
    if (d->healthy_above >= 1.0)
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "health-check"),
                            "health-check healthy-above '%s' can never be exceeded; expected "
                            "0%% to below 100%% (Route 53 uses 18%%)", pr.value[3]);
  }
  return TRUE;
}

static gboolean
parse_dns_weights(FlScnCtx *c, const char *group, FlDnsSpec *d, GError **error)
{
  const char *v = fl_scn_require(c, error, group, "weights",
                                 "weights = us-west-1=1, us-east-1=3");
  if (v == NULL)
    return FALSE;
  g_auto(GStrv) items = fl_scn_split_list(c, error, group, "weights", v);
  if (items == NULL)
    return FALSE;
  guint n = c->sc->regions->len;
  d->weights = g_new0(double, n);
  d->has_record = g_new0(guint8, n);
  double sum = 0.0;
  for (guint i = 0; items[i]; i++) {
    char *eq = strchr(items[i], '=');
    if (eq == NULL)
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "weights"),
                            "'%s' is not REGION=WEIGHT; expected pairs like us-west-1=1, "
                            "us-east-1=3", items[i]);
    *eq = '\0';
    char *region = g_strstrip(items[i]), *w = g_strstrip(eq + 1);
    guint r = 0; /* set by lookup_region() when it succeeds */
    if (!lookup_region(c, error, group, "weights", region, &r))
      return FALSE;
    if (d->has_record[r])
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_DUPLICATE, WHERE(group, "weights"),
                            "region %s has two weights; give each region one", region);
    gint64 k;
    g_autoptr(GError) e = NULL;
    if (!fl_parse_int(w, 0, 255, &k, &e))
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "weights"),
                            "weight '%s' of %s is not a whole number from 0 to 255; Route 53 "
                            "weights are 0 to 255, like us-west-1=1, us-east-1=3", w, region);
    d->weights[r] = (double)k;
    d->has_record[r] = 1;
    sum += (double)k;
  }
  if (sum == 0.0)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "weights"),
                          "every weight is 0; give at least one region a positive weight (a "
                          "weight-0 record answers only when every other record is unhealthy)");
  return TRUE;
}

static gboolean
parse_dns_clients(FlScnCtx *c, const char *group, FlDnsSpec *d, GError **error)
{
  const char *v = fl_scn_require(c, error, group, "clients",
                                 "clients = us-west-1 60%, us-east-1 40%");
  if (v == NULL)
    return FALSE;
  g_auto(GStrv) items = fl_scn_split_list(c, error, group, "clients", v);
  if (items == NULL)
    return FALSE;
  guint n = c->sc->regions->len;
  d->client_share = g_new0(double, n);
  d->has_record = g_new0(guint8, n);
  double sum = 0.0;
  for (guint i = 0; items[i]; i++) {
    /* "REGION=P%" or "REGION P%": split at '=' or else at the last blank. */
    char *sep = strchr(items[i], '=');
    if (sep == NULL)
      sep = strrchr(items[i], ' ');
    if (sep == NULL)
      sep = strrchr(items[i], '\t');
    if (sep == NULL)
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "clients"),
                            "'%s' is not a region and a share; expected pairs like "
                            "us-west-1 60%%, us-east-1 40%%", items[i]);
    *sep = '\0';
    char *region = g_strstrip(items[i]), *share = g_strstrip(sep + 1);
    guint r;
    if (!lookup_region(c, error, group, "clients", region, &r))
      return FALSE;
    if (d->has_record[r])
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_DUPLICATE, WHERE(group, "clients"),
                            "region %s has two client shares; give each region one", region);
    g_autoptr(GError) e = NULL;
    if (!fl_parse_percent(share, FALSE, &d->client_share[r], &e))
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "clients"),
                            "share of clients in %s: %s", region, e->message);
    d->has_record[r] = 1;
    sum += d->client_share[r];
  }
  if (fabs(sum - 1.0) > 1e-4) /* 100% within 0.01% */
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "clients"),
                          "client shares add up to %.6g%%; they must add up to 100%%, like "
                          "us-west-1 60%%, us-east-1 40%%", 100.0 * sum);
  return TRUE;
}

/* stale-clients = P% for D */
static gboolean
parse_stale_clients(FlScnCtx *c, const char *group, FlDnsSpec *d, GError **error)
{
  const char *v = fl_scn_get(c, group, "stale-clients");
  const char *hint = "expected the share of clients that ignore the TTL and how long they keep "
                     "an answer, like 5% for 1h";
  const char *f = strstr(v, " for ");
  if (f == NULL)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "stale-clients"),
                          "'%s' is not P%% for D; %s", v, hint);
  g_autofree char *share = g_strstrip(g_strndup(v, (gsize)(f - v)));
  g_autofree char *span = g_strstrip(g_strdup(f + 5));
  g_autoptr(GError) e = NULL;
  if (!fl_parse_percent(share, FALSE, &d->stale_share, &e))
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "stale-clients"),
                          "stale share: %s", e->message);
  if (!fl_parse_duration(span, FALSE, &d->stale_for_s, &e))
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "stale-clients"),
                          "stale clients' refresh time: %s", e->message);
  return TRUE;
}

/* failover = health-check | api(decision=D) */
static gboolean
parse_failover_mode(FlScnCtx *c, const char *group, FlDnsSpec *d, GError **error)
{
  const char *v = fl_scn_get(c, group, "failover");
  const char *hint = "expected health-check (answers follow health checks, Route 53's data "
                     "plane) or api(decision=D) (someone edits the record D after the primary "
                     "is declared unhealthy, through the control plane), like api(decision=15min)";
  if (strcmp(v, "health-check") == 0) {
    d->failover = FL_FAILOVER_HEALTH_CHECK;
    return TRUE;
  }
  g_autofree char *inner = call_argument(v, "api");
  g_autofree char *decision = inner ? named_argument(inner, "decision") : NULL;
  if (decision == NULL)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "failover"),
                          "'%s' is not a failover mode; %s", v, hint);
  g_autoptr(GError) e = NULL;
  if (!fl_parse_duration(decision, TRUE, &d->decision_s, &e))
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "failover"),
                          "api decision time: %s", e->message);
  d->failover = FL_FAILOVER_API;
  return TRUE;
}

static gboolean
parse_dns(FlScnCtx *c, const char *group, const char *name, GError **error)
{
  FlScenario *sc = c->sc;
  FlDnsSpec dns = {
    .name = g_strdup(name),
    .primary = -1,
    .secondary = -1,
    .ttl_s = 60.0,            /* ELB's DNS TTL; AWS suggests 60-120 s for failover records */
    .hc_interval_s = 30.0,    /* Route 53 standard interval */
    .failure_threshold = 3,   /* Route 53 default */
    .checkers = 15,           /* inferred, unconfirmed (aws-mechanics.md) */
    .healthy_above = 0.18,    /* Route 53: healthy when more than 18% of checkers agree */
    .failover = FL_FAILOVER_HEALTH_CHECK,
    .propagation_s = 60.0,    /* "changes propagate in under about 60 s" */
  };
  g_array_append_val(sc->dns, dns);
  g_hash_table_insert(c->dns_by_name, g_strdup(name), GUINT_TO_POINTER(sc->dns->len));
  FlDnsSpec *d = fl_scenario_dns(sc, sc->dns->len - 1);

  const char *v = fl_scn_require(c, error, group, "policy", "policy = failover");
  if (v == NULL)
    return FALSE;
  guint p = get_choice(c, error, group, "policy", v, policy_names);
  if (p == 0)
    return FALSE;
  d->policy = (FlDnsPolicy)p;

  /* Keys that belong to one policy only. */
  static const struct {
    const char *key;
    FlDnsPolicy policy;
  } own[] = { { "primary", FL_DNS_FAILOVER },
              { "secondary", FL_DNS_FAILOVER },
              { "weights", FL_DNS_WEIGHTED },
              { "clients", FL_DNS_LATENCY } };
  for (gsize i = 0; i < G_N_ELEMENTS(own); i++)
    if (fl_scn_get(c, group, own[i].key) != NULL && d->policy != own[i].policy) {
      g_autofree char *what = g_strdup_printf("%s applies only to policy = %s, not %s",
                                              own[i].key, policy_names[own[i].policy - 1], v);
      return not_applicable(c, error, group, own[i].key, what,
                            "remove it, or change the policy");
    }

  switch (d->policy) {
  case FL_DNS_FAILOVER: {
    const char *primary = fl_scn_get(c, group, "primary");
    const char *secondary = fl_scn_get(c, group, "secondary");
    if (primary == NULL || secondary == NULL)
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_MISSING, WHERE(group, NULL),
                            "missing key '%s'; policy = failover needs both primary and "
                            "secondary, like primary = us-west-1 and secondary = us-east-1",
                            primary == NULL ? "primary" : "secondary");
    guint r;
    if (!lookup_region(c, error, group, "primary", primary, &r))
      return FALSE;
    d->primary = (gint)r;
    if (!lookup_region(c, error, group, "secondary", secondary, &r))
      return FALSE;
    d->secondary = (gint)r;
    if (d->primary == d->secondary)
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "secondary"),
                            "secondary is the same region as primary (%s); fail over to another "
                            "region", primary);
    break;
  }
  case FL_DNS_WEIGHTED:
    if (!parse_dns_weights(c, group, d, error))
      return FALSE;
    break;
  case FL_DNS_LATENCY:
    if (!parse_dns_clients(c, group, d, error))
      return FALSE;
    break;
  case FL_DNS_MULTIVALUE:
    break;
  }

  if (fl_scn_get(c, group, "ttl") != NULL
      && !get_duration0(c, error, group, "ttl", TRUE, &d->ttl_s))
    return FALSE;
  if (fl_scn_get(c, group, "health-check") != NULL && !parse_dns_health_check(c, group, d, error))
    return FALSE;
  if (fl_scn_get(c, group, "stale-clients") != NULL && !parse_stale_clients(c, group, d, error))
    return FALSE;
  if (fl_scn_get(c, group, "failover") != NULL && !parse_failover_mode(c, group, d, error))
    return FALSE;
  if (d->failover == FL_FAILOVER_API && d->policy != FL_DNS_FAILOVER)
    return not_applicable(c, error, group, "failover",
                          "failover = api(...) needs policy = failover",
                          "an API edit moves the answer from the primary to the secondary; "
                          "other policies follow health checks");
  if (d->failover == FL_FAILOVER_API && !d->has_health_check)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_MISSING, WHERE(group, "failover"),
                          "failover = api(...) without a health-check; the decision clock "
                          "starts when the primary is declared unhealthy, so add for example: "
                          "health-check = %s", DNS_HC_EXAMPLE);
  if (fl_scn_get(c, group, "propagation") != NULL) {
    if (d->failover != FL_FAILOVER_API)
      return not_applicable(c, error, group, "propagation",
                            "propagation applies only to failover = api(...)",
                            "with failover = health-check the answer changes without an edit");
    if (!get_duration0(c, error, group, "propagation", TRUE, &d->propagation_s))
      return FALSE;
  }
  return TRUE;
}

/* ---- [image NAME] ---- */

static gboolean
parse_image(FlScnCtx *c, const char *group, const char *name, GError **error)
{
  FlScenario *sc = c->sc;
  FlImageSpec img = {
    .name = g_strdup(name),
    .present = g_new0(guint8, MAX(1u, sc->regions->len)),
    .copy_rate_gb_per_h = 100.0, /* field report: a 100 GB image took about 1 h */
  };
  g_array_append_val(sc->images, img);
  g_hash_table_insert(c->image_by_name, g_strdup(name), GUINT_TO_POINTER(sc->images->len));
  FlImageSpec *im = fl_scenario_image(sc, sc->images->len - 1);

  if (fl_scn_require(c, error, group, "size", "size = 100GB") == NULL
      || !get_size(c, error, group, "size", FALSE, &im->size_gb))
    return FALSE;
  const char *home = fl_scn_require(c, error, group, "home", "home = us-east-1");
  if (home == NULL || !lookup_region(c, error, group, "home", home, &im->home))
    return FALSE;
  im->present[im->home] = 1;
  const char *copied = fl_scn_get(c, group, "copied-to");
  if (copied != NULL) {
    g_auto(GStrv) names = fl_scn_split_list(c, error, group, "copied-to", copied);
    if (names == NULL)
      return FALSE;
    for (guint i = 0; names[i]; i++) {
      guint r;
      if (!lookup_region(c, error, group, "copied-to", names[i], &r))
        return FALSE;
      if (r == im->home)
        return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_DUPLICATE, WHERE(group, "copied-to"),
                              "'%s' is the image's home; copied-to lists the other regions that "
                              "already hold a copy", names[i]);
      im->present[r] = 1;
    }
  }
  const char *rate = fl_scn_get(c, group, "copy-rate"), *copy = fl_scn_get(c, group, "copy");
  if (rate != NULL && copy != NULL)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "copy"),
                          "both copy-rate and copy are given; give copy-rate = 100GB/h for a "
                          "standard copy, or copy = time-based(2h) for a time-based one");
  if (rate != NULL && !get_rate(c, error, group, "copy-rate", &im->copy_rate_gb_per_h))
    return FALSE;
  if (copy != NULL) {
    /* AWS time-based copies: a completion time of 15 min to 48 h, in 15-minute steps. */
    const char *hint = "expected time-based(D) with D from 15min to 48h in 15-minute steps "
                       "(AWS time-based copies), like time-based(2h)";
    g_autofree char *inner = call_argument(copy, "time-based");
    if (inner == NULL)
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "copy"),
                            "'%s' is not a copy mode; %s", copy, hint);
    g_autoptr(GError) e = NULL;
    double s = 0.0;
    if (!fl_parse_duration(inner, FALSE, &s, &e))
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "copy"),
                            "time-based copy time: %s", e->message);
    double steps = s / (15.0 * FL_SECONDS_PER_MINUTE);
    if (s < 15.0 * FL_SECONDS_PER_MINUTE || s > 48.0 * FL_SECONDS_PER_HOUR
        || fabs(steps - round(steps)) > 1e-9)
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "copy"),
                            "time-based copy time '%s' is not allowed; %s", inner, hint);
    im->copy_time_s = s;
    im->copy_rate_gb_per_h = 0.0;
  }
  return TRUE;
}

gboolean
fl_scn_parse_mr_group(FlScnCtx *c, const char *kind, const char *group, const char *name,
                      GError **error)
{
  if (strcmp(kind, "load-balancer") == 0)
    return parse_load_balancer(c, group, name, error);
  if (strcmp(kind, "dns") == 0)
    return parse_dns(c, group, name, error);
  if (strcmp(kind, "image") == 0)
    return parse_image(c, group, name, error);
  g_return_val_if_reached(FALSE);
}

/* ---- [service NAME]: the DR keys ---- */

/* Names of the groups of @kind ("load-balancer", "dns" or "image"), in file order, NULL-
 * terminated. (transfer container) */
static GPtrArray *
group_names(FlScnCtx *c, const char *kind)
{
  FlScenario *sc = c->sc;
  GPtrArray *names = g_ptr_array_new();
  if (strcmp(kind, "load-balancer") == 0)
    for (guint i = 0; i < sc->load_balancers->len; i++)
      g_ptr_array_add(names, fl_scenario_load_balancer(sc, i)->name);
  else if (strcmp(kind, "dns") == 0)
    for (guint i = 0; i < sc->dns->len; i++)
      g_ptr_array_add(names, fl_scenario_dns(sc, i)->name);
  else
    for (guint i = 0; i < sc->images->len; i++)
      g_ptr_array_add(names, fl_scenario_image(sc, i)->name);
  g_ptr_array_add(names, NULL);
  return names;
}

/* Resolves the group named by @key (which is also the group kind) into an index. */
static gboolean
lookup_group(FlScnCtx *c, GError **error, const char *group, const char *key,
             GHashTable *by_name, gint *out)
{
  const char *v = fl_scn_get(c, group, key);
  guint i = GPOINTER_TO_UINT(g_hash_table_lookup(by_name, v));
  if (i > 0) {
    *out = (gint)(i - 1);
    return TRUE;
  }
  g_autoptr(GPtrArray) names = group_names(c, key);
  if (*v == '\0') {
    g_autofree char *list = fl_scn_join_names((const char *const *)names->pdata);
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, key),
                          "%s is empty; name a [%s NAME] group%s%s, or remove the key", key,
                          key, names->len > 1 ? ": " : "", names->len > 1 ? list : "");
  }
  const char *near = fl_nearest_name(v, (const char *const *)names->pdata);
  g_autofree char *list = fl_scn_join_names((const char *const *)names->pdata);
  if (near)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_REFERENCE, WHERE(group, key),
                          "no [%s %s] group; did you mean '%s'?", key, v, near);
  if (names->len > 1)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_REFERENCE, WHERE(group, key),
                          "no [%s %s] group; the [%s] groups are: %s", key, v, key, list);
  return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_REFERENCE, WHERE(group, key),
                        "no [%s %s] group; add a group [%s %s]", key, v, key, v);
}

static gboolean
service_runs_in(const FlServiceSpec *sp, guint region)
{
  for (guint i = 0; i < sp->n_regions; i++)
    if (sp->regions[i] == region)
      return TRUE;
  return FALSE;
}

/* "us-west-1, us-east-1": the service's regions. (transfer full) */
static char *
service_region_list(FlScnCtx *c, const FlServiceSpec *sp)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < sp->n_regions; i++)
    g_string_append_printf(s, "%s%s", i ? ", " : "",
                           fl_scenario_region(c->sc, sp->regions[i])->name);
  return g_string_free(s, FALSE);
}

/* A region that the group @ref_group names in @ref_key must be one the service runs in. */
static gboolean
check_runs_in(FlScnCtx *c, GError **error, const char *group, const char *key,
              const FlServiceSpec *sp, const char *ref_group, const char *ref_key, guint region)
{
  if (service_runs_in(sp, region))
    return TRUE;
  g_autofree char *list = service_region_list(c, sp);
  const char *rname = fl_scenario_region(c->sc, region)->name;
  return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_REFERENCE, WHERE(group, key),
                        "[%s] %s (line %u) names %s, where service %s does not run; add %s to "
                        "the service's regions, or name one of its regions there: %s",
                        ref_group, ref_key, fl_ini_line(c->ini, ref_group, ref_key), rname,
                        sp->name, rname, list);
}

/* Every region the service's record set answers with must be one of its regions. */
static gboolean
check_dns_regions(FlScnCtx *c, const char *group, const FlServiceSpec *sp, GError **error)
{
  const FlDnsSpec *d = fl_scenario_dns(c->sc, (guint)sp->dns);
  g_autofree char *dgroup = g_strconcat("dns ", d->name, NULL);
  if (d->primary >= 0 && !check_runs_in(c, error, group, "dns", sp, dgroup, "primary",
                                        (guint)d->primary))
    return FALSE;
  if (d->secondary >= 0 && !check_runs_in(c, error, group, "dns", sp, dgroup, "secondary",
                                          (guint)d->secondary))
    return FALSE;
  const char *key = d->policy == FL_DNS_WEIGHTED ? "weights" : "clients";
  for (guint r = 0; d->has_record && r < c->sc->regions->len; r++)
    if (d->has_record[r] && !check_runs_in(c, error, group, "dns", sp, dgroup, key, r))
      return FALSE;
  return TRUE;
}

/* replication = sync | async(lag=DIST) */
static gboolean
parse_replication(FlScnCtx *c, const char *group, FlServiceSpec *sp, GError **error)
{
  const char *v = fl_scn_get(c, group, "replication");
  if (strcmp(v, "sync") == 0) {
    sp->replication = FL_REPLICATION_SYNC;
    return TRUE;
  }
  g_autofree char *inner = call_argument(v, "async");
  g_autofree char *lag = inner ? named_argument(inner, "lag") : NULL;
  if (lag == NULL)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "replication"),
                          "'%s' is not a replication; expected sync, or async(lag=DIST) with DIST "
                          "a distribution, like async(lag=lognormal(median=1s, sigma=1))", v);
  g_autoptr(GError) e = NULL;
  sp->lag = fl_dist_parse(lag, c->sc->base_dir, &e);
  if (sp->lag == NULL)
    return fl_scn_fail_at(c, error, e->code, WHERE(group, "replication"), "async lag: %s",
                          e->message);
  sp->replication = FL_REPLICATION_ASYNC;
  return TRUE;
}

/* The keys that belong to one DR strategy, checked against the service's strategy. */
static gboolean
parse_strategy_keys(FlScnCtx *c, const char *group, FlServiceSpec *sp, GError **error)
{
  const char *sname = sp->strategy ? strategy_names[sp->strategy - 1] : "none";
  gboolean warm = sp->strategy == FL_STRATEGY_WARM_STANDBY;
  gboolean launches = sp->strategy == FL_STRATEGY_PILOT_LIGHT
                      || sp->strategy == FL_STRATEGY_BACKUP_RESTORE;
  gboolean backups = sp->strategy == FL_STRATEGY_BACKUP_RESTORE;

  if (fl_scn_get(c, group, "standby-capacity") != NULL && !warm) {
    g_autofree char *what = g_strdup_printf("standby-capacity without strategy = warm-standby "
                                            "(the strategy is %s)", sname);
    return not_applicable(c, error, group, "standby-capacity", what,
                          "only a warm standby serves at reduced capacity before it scales up; "
                          "set strategy = warm-standby or remove the key");
  }
  if (fl_scn_get(c, group, "scale-up") != NULL && !warm) {
    g_autofree char *what = g_strdup_printf("scale-up without a strategy that scales (the "
                                            "strategy is %s)", sname);
    return not_applicable(c, error, group, "scale-up", what,
                          "only strategy = warm-standby scales up; pilot-light and "
                          "backup-restore take launch = DIST instead");
  }
  if (fl_scn_get(c, group, "launch") != NULL && !launches) {
    g_autofree char *what = g_strdup_printf("launch without a strategy that launches (the "
                                            "strategy is %s)", sname);
    return not_applicable(c, error, group, "launch", what,
                          "launch applies to strategy = pilot-light or backup-restore; a warm "
                          "standby takes scale-up = DIST instead");
  }
  static const char *const backup_keys[] = { "backup-interval", "restore-rate", "data-size",
                                             NULL };
  for (guint i = 0; backup_keys[i]; i++)
    if (fl_scn_get(c, group, backup_keys[i]) != NULL && !backups) {
      g_autofree char *what = g_strdup_printf("%s without strategy = backup-restore (the "
                                              "strategy is %s)", backup_keys[i], sname);
      return not_applicable(c, error, group, backup_keys[i], what,
                            "only a backup-restore recovery restores data from backups; set "
                            "strategy = backup-restore or remove the key");
    }

  if (warm) {
    if (fl_scn_require(c, error, group, "standby-capacity", "standby-capacity = 25%") == NULL
        || !get_percent(c, error, group, "standby-capacity", &sp->standby_capacity))
      return FALSE;
    sp->scale_up = fl_scn_get_dist(c, error, group, "scale-up", "scale-up = fixed(10min)");
    if (sp->scale_up == NULL)
      return FALSE;
  }
  if (launches) {
    if (fl_scn_get(c, group, "launch") != NULL) {
      sp->launch = fl_scn_get_dist(c, error, group, "launch", "launch = fixed(5min)");
      if (sp->launch == NULL)
        return FALSE;
    } else {
      sp->launch = fl_dist_parse(DEFAULT_LAUNCH, NULL, NULL);
      g_assert(sp->launch != NULL);
    }
  }
  if (backups) {
    if (fl_scn_get(c, group, "backup-interval") != NULL
        && !fl_scn_get_duration(c, error, group, "backup-interval", &sp->backup_interval_s))
      return FALSE;
    if (fl_scn_get(c, group, "restore-rate") != NULL
        && !get_rate(c, error, group, "restore-rate", &sp->restore_rate_gb_per_h))
      return FALSE;
    if (fl_scn_get(c, group, "data-size") != NULL
        && !get_size(c, error, group, "data-size", TRUE, &sp->data_size_gb))
      return FALSE;
  }
  return TRUE;
}

gboolean
fl_scn_parse_service_mr(FlScnCtx *c, const char *group, FlServiceSpec *sp, GError **error)
{
  FlScenario *sc = c->sc;
  /* Elastic IP first: with several regions its message explains more than the DNS one would. */
  if (fl_scn_get(c, group, "eip") != NULL && !get_bool(c, error, group, "eip", &sp->eip))
    return FALSE;
  if (sp->eip && sp->n_regions > 1) {
    g_autofree char *list = service_region_list(c, sp);
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_IMPOSSIBLE, WHERE(group, "eip"),
                          "eip = yes, but Elastic IPs are regional and cannot move to another "
                          "region, and service %s runs in %u regions (%s); fail over between "
                          "regions with [dns] failover instead (a [dns NAME] group with policy = "
                          "failover, and dns = NAME here), keeping eip for a service in one "
                          "region", sp->name, sp->n_regions, list);
  }
  /* One instance holds the address and carries all the demand (docs/multi-region.md): any
   * other needs would be honoured by the time-based view and not by the requests. */
  if (sp->eip && !(sp->needs_kind == FL_NEEDS_INSTANCES && sp->needs == 1))
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_IMPOSSIBLE, WHERE(group, "eip"),
                          "eip = yes, but needs = %s: one instance holds an Elastic IP and "
                          "carries the whole demand, so the service needs 1 instance; to spread "
                          "demand over several instances, put them behind a [load-balancer]",
                          fl_scn_get(c, group, "needs"));
  if (fl_scn_get(c, group, "eip-remap") != NULL) {
    if (!sp->eip)
      return not_applicable(c, error, group, "eip-remap", "eip-remap without eip = yes",
                            "the remap time applies to an Elastic IP; set eip = yes or remove "
                            "the key");
    if (!get_duration0(c, error, group, "eip-remap", TRUE, &sp->eip_remap_s))
      return FALSE;
  }

  if (fl_scn_get(c, group, "load-balancer") != NULL
      && !lookup_group(c, error, group, "load-balancer", c->lb_by_name, &sp->load_balancer))
    return FALSE;

  if (fl_scn_get(c, group, "dns") != NULL) {
    if (!lookup_group(c, error, group, "dns", c->dns_by_name, &sp->dns))
      return FALSE;
    if (sp->n_regions < 2) {
      g_autofree char *list = service_region_list(c, sp);
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_IMPOSSIBLE, WHERE(group, "dns"),
                            "dns = %s, but service %s runs in one region (%s); DNS failover "
                            "needs two or more regions: list them in regions, or remove dns",
                            fl_scn_get(c, group, "dns"), sp->name, list);
    }
    if (!check_dns_regions(c, group, sp, error))
      return FALSE;
  }

  const char *v = fl_scn_get(c, group, "strategy");
  if (v != NULL) {
    guint s = get_choice(c, error, group, "strategy", v, strategy_names);
    if (s == 0)
      return FALSE;
    sp->strategy = (FlStrategy)s;
    if (sp->dns < 0)
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_MISSING, WHERE(group, "strategy"),
                            "strategy = %s without dns; recovery starts when Route 53 declares "
                            "a region unhealthy, so add a [dns NAME] group and dns = NAME", v);
    const FlDnsSpec *d = fl_scenario_dns(sc, (guint)sp->dns);
    gboolean active = sp->strategy == FL_STRATEGY_ACTIVE_ACTIVE;
    if (!active && d->policy != FL_DNS_FAILOVER)
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "strategy"),
                            "strategy = %s, but [dns %s] has policy = %s; a standby strategy "
                            "recovers into the secondary region of policy = failover (or use "
                            "strategy = active-active)", v, d->name,
                            policy_names[d->policy - 1]);
    if (active && d->policy == FL_DNS_FAILOVER)
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "strategy"),
                            "strategy = active-active, but [dns %s] has policy = failover, "
                            "which sends every client to one region; use policy = weighted, "
                            "latency or multivalue (or a standby strategy)", d->name);
  }
  if (!parse_strategy_keys(c, group, sp, error))
    return FALSE;

  if (fl_scn_get(c, group, "image") != NULL) {
    if (!lookup_group(c, error, group, "image", c->image_by_name, &sp->image))
      return FALSE;
    const FlImageSpec *im = fl_scenario_image(sc, (guint)sp->image);
    g_autofree char *igroup = g_strconcat("image ", im->name, NULL);
    if (!check_runs_in(c, error, group, "image", sp, igroup, "home", im->home))
      return FALSE;
  }
  if (fl_scn_get(c, group, "replication") != NULL && !parse_replication(c, group, sp, error))
    return FALSE;
  /* Synchronous replication is in-region: it spares a zone failover, but a recovery region
   * would hold no copy at all (backup-restore restores from its backups instead). */
  if (sp->replication == FL_REPLICATION_SYNC && sp->n_regions > 1
      && sp->strategy != FL_STRATEGY_BACKUP_RESTORE)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_IMPOSSIBLE, WHERE(group, "replication"),
                          "replication = sync is in-region, but service %s fails over between "
                          "%u regions, which needs a copy of the data in the other region; use "
                          "async(lag=DIST) across regions, like async(lag=lognormal(median=1s, "
                          "sigma=1))", sp->name, sp->n_regions);
  if (fl_scn_get(c, group, "writes-per-second") != NULL) {
    g_autoptr(GError) e = NULL;
    if (!fl_parse_real(fl_scn_get(c, group, "writes-per-second"), 0.0, 1e12,
                       &sp->writes_per_second, &e))
      return fl_scn_wrap_value_error(c, error, group, "writes-per-second", e);
  }
  /* The client model keeps one share per region in fixed-size vectors (clients.h). */
  if (fl_service_has_mechanics(sp) && sp->n_regions > FL_CLIENTS_MAX_REGIONS)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "regions"),
                          "service %s runs in %u regions with DNS, load-balancer or DR "
                          "mechanics; at most %d are modelled: split it into services of up to "
                          "%d regions", sp->name, sp->n_regions, FL_CLIENTS_MAX_REGIONS,
                          FL_CLIENTS_MAX_REGIONS);
  return TRUE;
}

/* ---- [failure NAME]: the new targets ---- */

gboolean
fl_scn_check_failure_where(FlScnCtx *c, const char *group, const FlFailureSpec *f,
                           GError **error)
{
  const char *where = fl_scn_get(c, group, "where");
  if (where == NULL)
    return TRUE;
  if (f->target == FL_TARGET_DNS_CONTROL_PLANE)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "where"),
                          "target = dns-control-plane takes no 'where'; Route 53 has one "
                          "control plane (in us-east-1) for every record, so remove 'where'");
  if (f->target != FL_TARGET_LOAD_BALANCER)
    return TRUE;
  g_auto(GStrv) names = fl_scn_split_list(c, error, group, "where", where);
  if (names == NULL)
    return FALSE;
  for (guint i = 0; names[i]; i++) {
    if (g_hash_table_contains(c->zone_by_name, names[i]))
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "where"),
                            "'%s' is a zone, but load balancers are regional; name its region "
                            "'%s'", names[i],
                            fl_scenario_region(c->sc, fl_scn_zone_region(c, names[i]))->name);
    if (!g_hash_table_contains(c->region_by_name, names[i]))
      return fl_scn_unknown_place(c, error, group, "where", names[i], FL_SCN_PLACE_REGION);
  }
  return TRUE;
}

/* Whether some service has a load balancer in region @r. */
static gboolean
lb_in_region(const FlScenario *sc, guint r)
{
  for (guint s = 0; s < sc->services->len; s++) {
    const FlServiceSpec *sp = fl_scenario_service(sc, s);
    if (sp->load_balancer >= 0 && service_runs_in(sp, r))
      return TRUE;
  }
  return FALSE;
}

static gboolean
any_service_uses_dns(const FlScenario *sc)
{
  for (guint s = 0; s < sc->services->len; s++)
    if (fl_scenario_service(sc, s)->dns >= 0)
      return TRUE;
  return FALSE;
}

/* "us-west-1, us-east-1": regions where some service has a load balancer. (transfer full) */
static char *
lb_region_list(const FlScenario *sc)
{
  GString *s = g_string_new(NULL);
  for (guint r = 0; r < sc->regions->len; r++)
    if (lb_in_region(sc, r))
      g_string_append_printf(s, "%s%s", s->len ? ", " : "", fl_scenario_region(sc, r)->name);
  return g_string_free(s, FALSE);
}

/* ---- [inject NAME] ---- */

#define FAIL_HINT                                                                               \
  "expected one of: region REGION, zone ZONE, N instances REGION, load-balancer REGION, "       \
  "dns-control-plane, link REGION REGION or hazard NAME (like fail = region us-east-1)"

/* Instances all services run in region @r. */
static guint64
instances_in_region(const FlScenario *sc, guint r)
{
  guint64 n = 0;
  for (guint s = 0; s < sc->services->len; s++) {
    const FlServiceSpec *sp = fl_scenario_service(sc, s);
    if (service_runs_in(sp, r))
      n += (guint64)fl_scenario_region(sc, r)->n_zones * sp->instances_per_zone;
  }
  return n;
}

/* "us-west-1, us-east-1": regions where some service runs. (transfer full) */
static char *
service_regions_list(const FlScenario *sc)
{
  GString *s = g_string_new(NULL);
  for (guint r = 0; r < sc->regions->len; r++)
    if (instances_in_region(sc, r) > 0)
      g_string_append_printf(s, "%s%s", s->len ? ", " : "", fl_scenario_region(sc, r)->name);
  return g_string_free(s, FALSE);
}

/* Looks up region @name of fail = region R, load-balancer R or N instances R (@target) as
 * lookup_region() does, but a name that is no place at all gets a suggestion from the regions
 * that have what is to fail, so a typo is not answered with a region the injection would then
 * reject. */
static gboolean
lookup_inject_region(FlScnCtx *c, GError **error, const char *group, FlTarget target,
                     const char *name, guint *out)
{
  FlScenario *sc = c->sc;
  if (target == FL_TARGET_REGION || g_hash_table_contains(c->region_by_name, name)
      || g_hash_table_contains(c->zone_by_name, name))
    return lookup_region(c, error, group, "fail", name, out);
  g_autoptr(GPtrArray) have = g_ptr_array_new();
  for (guint r = 0; r < sc->regions->len; r++)
    if (target == FL_TARGET_LOAD_BALANCER ? lb_in_region(sc, r) : instances_in_region(sc, r) > 0)
      g_ptr_array_add(have, fl_scenario_region(sc, r)->name);
  if (have->len == 0) /* nothing to fail anywhere: the caller's check says so, given a region */
    return fl_scn_unknown_place(c, error, group, "fail", name, FL_SCN_PLACE_REGION);
  g_ptr_array_add(have, NULL);
  const char *const *names = (const char *const *)have->pdata;
  return fl_scn_unknown_name(c, error, group, "fail", "region", name, names,
                             target == FL_TARGET_LOAD_BALANCER ? "load balancers run in"
                                                               : "services run in",
                             names);
}

/* One event of the hazard named @name at the injection's time: fail = hazard NAME. */
static gboolean
parse_inject_hazard(FlScnCtx *c, const char *group, FlInjectSpec *in, const char *name,
                    GError **error)
{
  FlScenario *sc = c->sc;
  g_autoptr(GPtrArray) names = g_ptr_array_new();
  for (guint h = 0; h < sc->hazards->len; h++) {
    if (strcmp(fl_scenario_hazard(sc, h)->name, name) == 0) {
      in->hazard = (gint)h;
      return TRUE;
    }
    g_ptr_array_add(names, fl_scenario_hazard(sc, h)->name);
  }
  if (names->len == 0)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_REFERENCE, WHERE(group, "fail"),
                          "no [hazard %s] group, and no hazard at all; define it (docs/hazards.md) "
                          "or include one from scenarios/hazards/", name);
  g_ptr_array_add(names, NULL);
  const char *near = fl_nearest_name(name, (const char *const *)names->pdata);
  g_autofree char *list = g_strjoinv(", ", (char **)names->pdata);
  if (near)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_REFERENCE, WHERE(group, "fail"),
                          "unknown hazard '%s'; did you mean '%s'? Hazards here: %s", name, near,
                          list);
  return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_REFERENCE, WHERE(group, "fail"),
                        "unknown hazard '%s'; hazards here: %s", name, list);
}

/* fail = region R | zone Z | N instances [of|in] R | load-balancer R | dns-control-plane |
 * link R R | hazard H */
static gboolean
parse_inject_fail(FlScnCtx *c, const char *group, FlInjectSpec *in, GError **error)
{
  FlScenario *sc = c->sc;
  const char *v = fl_scn_require(c, error, group, "fail", "fail = region us-east-1");
  if (v == NULL)
    return FALSE;
  g_auto(GStrv) all = g_strsplit_set(v, " \t,", -1); /* commas too: link A, B as between = */
  const char *w[4] = { NULL };
  guint n = 0;
  for (guint i = 0; all[i]; i++)
    if (*all[i]) {
      if (n == G_N_ELEMENTS(w))
        return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "fail"),
                              "'%s' is not a component to fail; %s", v, FAIL_HINT);
      w[n++] = all[i];
    }
  static const char *const kinds[] = { "region", "zone", "instances", "load-balancer",
                                       "dns-control-plane", "link", "hazard", NULL };
  if (n == 1 && strcmp(w[0], "dns-control-plane") == 0) {
    in->target = FL_TARGET_DNS_CONTROL_PLANE;
    if (!any_service_uses_dns(sc))
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_REFERENCE, WHERE(group, "fail"),
                            "no service uses a [dns] group, so there is no DNS control plane to "
                            "fail; add dns = NAME to a service, or inject another component");
    return TRUE;
  }
  gboolean instances = n >= 3 && (strcmp(w[1], "instances") == 0 || strcmp(w[1], "instance") == 0);
  if (instances && n == 4 && (strcmp(w[2], "of") == 0 || strcmp(w[2], "in") == 0)) {
    w[2] = w[3]; /* "2 instances of us-east-1", as one would say it */
    n = 3;
  }
  if (instances && n == 3) {
    gint64 k;
    g_autoptr(GError) e = NULL;
    if (!fl_parse_int(w[0], 1, G_MAXUINT32, &k, &e))
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "fail"),
                            "'%s' is not a positive count of instances; %s", w[0], FAIL_HINT);
    guint r;
    if (!lookup_inject_region(c, error, group, FL_TARGET_INSTANCE, w[2], &r))
      return FALSE;
    guint64 have = instances_in_region(sc, r);
    if (have == 0) {
      g_autofree char *list = service_regions_list(sc);
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_REFERENCE, WHERE(group, "fail"),
                            "no service runs instances in %s; services run in: %s", w[2], list);
    }
    if ((guint64)k > have)
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_REFERENCE, WHERE(group, "fail"),
                            "cannot fail %" G_GINT64_FORMAT " instance%s in %s, where the "
                            "services run %" G_GUINT64_FORMAT "; inject at most %"
                            G_GUINT64_FORMAT, k, k == 1 ? "" : "s", w[2], have, have);
    in->target = FL_TARGET_INSTANCE;
    in->region = (gint)r;
    in->count = (guint)k;
    return TRUE;
  }
  if (n == 2 && (strcmp(w[0], "region") == 0 || strcmp(w[0], "load-balancer") == 0)) {
    in->target = w[0][0] == 'r' ? FL_TARGET_REGION : FL_TARGET_LOAD_BALANCER;
    guint r;
    if (!lookup_inject_region(c, error, group, in->target, w[1], &r))
      return FALSE;
    in->region = (gint)r;
    if (in->target == FL_TARGET_LOAD_BALANCER && !lb_in_region(sc, r)) {
      g_autofree char *list = lb_region_list(sc);
      if (*list)
        return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_REFERENCE, WHERE(group, "fail"),
                              "no service has a load balancer in %s; load balancers run in: %s",
                              w[1], list);
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_REFERENCE, WHERE(group, "fail"),
                            "no service has a load balancer in %s; give a service "
                            "load-balancer = NAME, or inject region %s", w[1], w[1]);
    }
    return TRUE;
  }
  if (n == 2 && strcmp(w[0], "hazard") == 0)
    return parse_inject_hazard(c, group, in, w[1], error);
  if (n > 0 && strcmp(w[0], "link") == 0) { /* a partition: replication between the two pauses */
    if (n != 3)
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "fail"),
                            "'%s' does not name two regions; a link joins exactly two, like "
                            "fail = link us-west-1 us-east-1", v);
    in->target = FL_TARGET_LINK;
    return fl_scn_link_between(c, error, group, "fail", w[1], w[2], &in->link);
  }
  if (n == 2 && strcmp(w[0], "zone") == 0) {
    guint z = GPOINTER_TO_UINT(g_hash_table_lookup(c->zone_by_name, w[1]));
    guint r = GPOINTER_TO_UINT(g_hash_table_lookup(c->region_by_name, w[1]));
    if (z == 0 && r > 0) {
      const FlZoneSpec *first = fl_scenario_zone(sc, fl_scenario_region(sc, r - 1)->first_zone);
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_REFERENCE, WHERE(group, "fail"),
                            "'%s' is a region, not a zone; write region %s, or name one of its "
                            "zones, like %s", w[1], w[1], first->name);
    }
    if (z == 0)
      return fl_scn_unknown_place(c, error, group, "fail", w[1], FL_SCN_PLACE_ZONE);
    in->target = FL_TARGET_ZONE;
    in->zone = (gint)(z - 1);
    return TRUE;
  }
  const char *near = n > 0 ? fl_nearest_name(w[0], kinds) : NULL;
  if (near && strcmp(near, w[0]) != 0)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "fail"),
                          "'%s' is not a component to fail; did you mean '%s'? %s", v, near,
                          FAIL_HINT);
  return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "fail"),
                        "'%s' is not a component to fail; %s", v, FAIL_HINT);
}

/* The keys of a hazard injection: no `for` (the hazard's own draws set how long each outage
 * lasts), and for an earthquake an optional `magnitude` within its source's law. */
static gboolean
parse_inject_hazard_keys(FlScnCtx *c, const char *group, FlInjectSpec *in, GError **error)
{
  const FlHazardSpec *h = fl_scenario_hazard(c->sc, (guint)in->hazard);
  if (fl_scn_get(c, group, "for") != NULL)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "for"),
                          "an injected event of [hazard %s] lasts as long as the hazard draws; "
                          "remove for (docs/hazards.md)", h->name);
  const char *v = fl_scn_get(c, group, "magnitude");
  if (v == NULL)
    return TRUE;
  if (h->kind != FL_HAZARD_EARTHQUAKE)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "magnitude"),
                          "[hazard %s] is not an earthquake, so its events have no magnitude; "
                          "remove magnitude", h->name);
  g_autoptr(GError) e = NULL;
  if (!fl_parse_real(v, h->magnitude.m0, h->magnitude.mmax, &in->magnitude, &e))
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "magnitude"),
                          "'%s' is not a magnitude of [hazard %s]; give Mw from %.2f to %.2f, "
                          "its law's range", v, h->name, h->magnitude.m0, h->magnitude.mmax);
  return TRUE;
}

gboolean
fl_scn_parse_inject(FlScnCtx *c, const char *group, const char *name, GError **error)
{
  FlScenario *sc = c->sc;
  /* The name is also the cause downtime is charged to: it must not be a failure group's or a
   * hazard's. */
  for (guint i = 0; i < sc->failures->len; i++)
    if (strcmp(fl_scenario_failure(sc, i)->name, name) == 0)
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_DUPLICATE, WHERE(group, NULL),
                            "[inject %s] has the name of [failure %s]; reports charge downtime "
                            "to these names, so give the injection another one", name, name);
  for (guint i = 0; i < sc->hazards->len; i++)
    if (strcmp(fl_scenario_hazard(sc, i)->name, name) == 0)
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_DUPLICATE, WHERE(group, NULL),
                            "[inject %s] has the name of [hazard %s]; reports charge downtime "
                            "to these names, so give the injection another one", name, name);
  FlInjectSpec inj = { .name = g_strdup(name), .region = -1, .zone = -1, .link = -1,
                       .hazard = -1, .magnitude = NAN };
  g_array_append_val(sc->injects, inj);
  FlInjectSpec *in = fl_scenario_inject(sc, sc->injects->len - 1);

  if (fl_scn_require(c, error, group, "at", "at = 30d") == NULL
      || !get_duration0(c, error, group, "at", TRUE, &in->at_s))
    return FALSE;
  if (in->at_s >= sc->horizon_s) {
    g_autofree char *horizon = fl_format_duration(sc->horizon_s);
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "at"),
                          "the injection starts at %s, at or after the horizon (%s), so it "
                          "would never happen; start it earlier, or lengthen [scenario] horizon",
                          fl_scn_get(c, group, "at"), horizon);
  }
  if (!parse_inject_fail(c, group, in, error))
    return FALSE;
  if (in->hazard >= 0)
    return parse_inject_hazard_keys(c, group, in, error);
  if (fl_scn_get(c, group, "magnitude") != NULL)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_VALUE, WHERE(group, "magnitude"),
                          "magnitude sets the size of an injected earthquake; it goes with "
                          "fail = hazard NAME, naming a [hazard] of kind = earthquake");
  return fl_scn_require(c, error, group, "for", "for = 2h") != NULL
         && fl_scn_get_duration(c, error, group, "for", &in->for_s);
}

/* ---- after every group ---- */

gboolean
fl_scn_check_mr(FlScnCtx *c, GError **error)
{
  FlScenario *sc = c->sc;
  /* Nothing random and nothing scripted: every replication would be an unbroken 100%. */
  if (!sc->random_failures && sc->injects->len == 0)
    return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_IMPOSSIBLE,
                          WHERE("scenario", "random-failures"),
                          "random-failures = no and no [inject NAME] group: nothing would ever "
                          "fail; add one (like [inject drill] with at = 2h, fail = region R, "
                          "for = 6h), or remove random-failures = no");
  for (guint i = 0; i < sc->failures->len; i++) {
    const FlFailureSpec *f = fl_scenario_failure(sc, i);
    g_autofree char *group = g_strconcat("failure ", f->name, NULL);
    if (f->target == FL_TARGET_LOAD_BALANCER) {
      gboolean reach = FALSE;
      for (guint r = 0; r < sc->regions->len && !reach; r++)
        reach = f->region_in_scope[r] && lb_in_region(sc, r);
      if (!reach) {
        g_autofree char *list = lb_region_list(sc);
        const char *key = fl_scn_get(c, group, "where") ? "where" : "target";
        if (*list)
          return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_REFERENCE, WHERE(group, key),
                                "this group targets load balancers but no service has one "
                                "where it applies; load balancers run in: %s", list);
        return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_REFERENCE, WHERE(group, key),
                              "this group targets load balancers but no service has one; give "
                              "a service load-balancer = NAME");
      }
    } else if (f->target == FL_TARGET_DNS_CONTROL_PLANE && !any_service_uses_dns(sc)) {
      return fl_scn_fail_at(c, error, FL_SCENARIO_ERROR_REFERENCE, WHERE(group, "target"),
                            "this group targets the DNS control plane but no service uses a "
                            "[dns] group; add dns = NAME to a service, or remove the group");
    }
  }
  return TRUE;
}
