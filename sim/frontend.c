/* frontend.c - what clients see: load balancers, Route 53, DNS caches, DR strategies, EIPs.
 *
 * The model (model.c) decides which components are up and whether a service could serve in a
 * region (the structure function, ideal failover). This file adds the mechanics between a
 * client and that capacity, as specified in docs/multi-region.md:
 *   - per instance of a service behind a load balancer, whether the LB believes it healthy
 *     (target health checks lag the truth, in both directions);
 *   - per (service, region) cell, the Route 53 verdict (it lags the endpoint's true state by a
 *     delay sampled from the checkers' mechanics, healthcheck.h) and the DR readiness;
 *   - per service, the DNS answer (policy over verdicts, or API edits through the control
 *     plane), the clients' shares over regions (clients.h: TTL and stale-client windows), the
 *     request-weighted integral of what is served, and the time-based "real" state.
 *
 * Cost: work per event that touches a frontend service, O(regions of that service) plus
 * O(instances of a zone) on zone events; nothing at all for services without mechanics (the
 * large benchmark topology never enters this file). Timers are engine slots the model reserved
 * for the frontend: one per LB target, two per cell (verdict, readiness), two per service (API
 * action, EIP remap).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "faultline/clients.h"
#include "faultline/healthcheck.h"
#include "faultline/units.h"
#include "model_private.h"

enum { SLOT_TARGET = 1, SLOT_VERDICT, SLOT_READY, SLOT_API, SLOT_EIP };
enum { DR_STANDBY = 0, DR_PREPARING, DR_READY, DR_RETURNING };
enum { API_IDLE = 0, API_DECIDING, API_WAIT_CP, API_PROPAGATING };

/* ALB defaults, used as the EIP pair's monitor when the service has no load balancer. */
#define EIP_MONITOR_INTERVAL_S 30.0
#define EIP_MONITOR_THRESHOLD 2u

typedef struct {
  guint32 service;
  const FlServiceSpec *spec;
  const FlDnsSpec *dns;            /* (nullable) */
  const FlLoadBalancerSpec *lb;    /* (nullable) */
  guint32 n;                       /* regions of the service; cells sr0 .. sr0 + n - 1 */
  guint32 sr0;
  gint primary;                    /* index among the service's regions, or -1 */
  gint secondary;                  /* failover policy, or -1 */
  double *weight;                  /* weighted: per region (owned) */
  double *home_share;              /* latency: per region (owned) */
  guint32 *near;                   /* latency: n x n, regions by distance from each home */
  guint8 *recovery;                /* per region: the DR strategy prepares it on failover */
  guint8 *has_record;              /* per region: weighted and latency answer only regions
                                      their record set names (scenario.h) (owned) */
  guint32 inst0, n_inst;           /* the service's instances (contiguous) */
  guint32 *sz0;                    /* per region: its first sz cell (a region's cells are
                                      contiguous, one per zone) (owned) */
  guint32 target_slot0;            /* LB target timers, NO_SLOT without LB (or EIP) */
  guint32 verdict_slot0, ready_slot0, api_slot, eip_slot;
} FeService;

struct FlFrontend {
  guint32 n_fs;
  FeService *fs;
  guint32 *service_fs;             /* per service: index into fs, or NO_SLOT */
  guint32 n_slots;
  guint8 *slot_kind;               /* per frontend slot */
  guint32 *slot_fs, *slot_arg;     /* which service, which region/instance */
};

typedef struct {
  FlClients *clients;              /* (owned) */
  double last_t;                   /* integrated up to here */
  guint8 dirty;
  guint8 real_up;
  double real_down_since;
  guint8 failover_in_outage;       /* the current real outage saw a failover */
  guint8 api_state;
  gint api_target;                 /* region the pending edit will answer */
  gint record;                     /* API mode: the region the record answers */
  double api_wait_since;
  double drained_at;               /* clients all follow the current answer from here on */
  guint8 answer_dirty;             /* a verdict or the API record changed since the answer was
                                      last computed (settle's tail must run) */
  guint8 serving_all;              /* every answered region takes all its clients' requests */
  guint32 holder;                  /* EIP: instance (local index) holding the address */
  guint8 eip_waiting;              /* EIP: no live instance to remap to yet */
  double *answer;                  /* scratch: per region (owned) */
} FeSvcState;

typedef struct {
  guint32 routed, routed_live, live; /* sums over the region's zones of z_routed, ... */
  guint32 zones_routed, zones_live;  /* zones with z_routed_live > 0, with z_live > 0 */
} CellCounts;

struct FlFrontendState {
  guint32 n_fs;
  FeSvcState *fs;                  /* per frontend service (owned) */
  /* per cell, indexed by sr */
  guint8 *verdict, *ok, *full, *dr_state, *image_here;
  guint8 *cell_dirty;              /* inputs changed since the cell was last evaluated */
  double *readiness, *q, *cap;
  /* per instance of LB/EIP services, indexed by global instance index */
  guint8 *believed, *live;
  /* per sz cell */
  guint32 *z_live, *z_routed, *z_routed_live;
  /* per cell, indexed by sr: the sums of its zones' counts above, kept in step with them so
   * that eval_cell need not add up the zones */
  CellCounts *cc;
};

static const char *const strategy_names[] = {
  [FL_STRATEGY_NONE] = "none", [FL_STRATEGY_BACKUP_RESTORE] = "backup-restore",
  [FL_STRATEGY_PILOT_LIGHT] = "pilot-light", [FL_STRATEGY_WARM_STANDBY] = "warm-standby",
  [FL_STRATEGY_ACTIVE_ACTIVE] = "active-active",
};

gboolean
fl_service_has_mechanics(const FlServiceSpec *sv)
{
  return sv->dns >= 0 || sv->load_balancer >= 0 || sv->eip
         || (sv->strategy != FL_STRATEGY_NONE && sv->strategy != FL_STRATEGY_ACTIVE_ACTIVE);
}

/* ---- building ---- */

static double
distance_km(const FlRegionSpec *a, const FlRegionSpec *b)
{
  /* Great-circle (haversine) distance on a sphere of radius 6371 km. */
  double la1 = a->lat_deg * G_PI / 180, la2 = b->lat_deg * G_PI / 180;
  double dla = la2 - la1, dlo = (b->lon_deg - a->lon_deg) * G_PI / 180;
  double h = sin(dla / 2) * sin(dla / 2) + cos(la1) * cos(la2) * sin(dlo / 2) * sin(dlo / 2);
  return 2 * 6371.0 * asin(MIN(1.0, sqrt(h)));
}

static gint
local_region(const FlServiceSpec *sv, gint region)
{
  for (guint k = 0; k < sv->n_regions; k++)
    if ((gint)sv->regions[k] == region)
      return (gint)k;
  return -1;
}

static guint32
add_slot(FlFrontend *fe, GArray *kinds, GArray *fss, GArray *args, guint8 kind, guint32 f,
         guint32 arg)
{
  g_array_append_val(kinds, kind);
  g_array_append_val(fss, f);
  g_array_append_val(args, arg);
  return fe->n_slots++;
}

static void
build_service(const FlModel *m, FlFrontend *fe, guint32 f, guint32 s, GArray *kinds, GArray *fss,
              GArray *args)
{
  const FlScenario *sc = m->sc;
  FeService *x = &fe->fs[f];
  x->service = s;
  x->spec = fl_scenario_service(sc, s);
  x->dns = x->spec->dns >= 0 ? fl_scenario_dns(sc, x->spec->dns) : NULL;
  x->lb = x->spec->load_balancer >= 0 ? fl_scenario_load_balancer(sc, x->spec->load_balancer)
                                      : NULL;
  x->n = x->spec->n_regions;
  x->sr0 = NO_SLOT;
  for (guint32 sr = 0; sr < m->n_sr && x->sr0 == NO_SLOT; sr++)
    if (m->sr_service[sr] == s)
      x->sr0 = sr;
  x->inst0 = NO_SLOT;
  for (guint32 i = 0; i < m->n_instances; i++)
    if (m->sr_service[m->sz_sr[m->inst_sz[i]]] == s) {
      if (x->inst0 == NO_SLOT)
        x->inst0 = i;
      x->n_inst++;
    }
  x->primary = 0;
  x->secondary = -1;
  x->weight = g_new0(double, x->n);
  x->home_share = g_new0(double, x->n);
  x->near = g_new0(guint32, x->n * x->n);
  x->recovery = g_new0(guint8, x->n);
  x->has_record = g_new0(guint8, x->n);
  x->sz0 = g_new0(guint32, x->n);
  for (guint32 k = 0; k < x->n; k++)
    for (guint32 c = m->n_sz; c-- > 0;)
      if (m->sz_sr[c] == x->sr0 + k)
        x->sz0[k] = c;
  if (x->dns && x->dns->policy == FL_DNS_FAILOVER) {
    x->primary = local_region(x->spec, x->dns->primary);
    x->secondary = local_region(x->spec, x->dns->secondary);
  }
  for (guint32 k = 0; k < x->n; k++) {
    guint32 r = x->spec->regions[k];
    x->weight[k] = x->dns && x->dns->weights ? x->dns->weights[r] : 1.0;
    x->home_share[k] = x->dns && x->dns->client_share ? x->dns->client_share[r] : 0.0;
    x->has_record[k] = x->dns == NULL || x->dns->has_record == NULL || x->dns->has_record[r];
    /* Latency routing falls back to the nearest healthy region: by distance when both have a
     * location, else in the service's list order. */
    for (guint32 j = 0; j < x->n; j++)
      x->near[k * x->n + j] = j;
    const FlRegionSpec *home = fl_scenario_region(sc, r);
    for (guint32 a = 1; a < x->n; a++)
      for (guint32 b = a; b > 0; b--) {
        guint32 *row = x->near + k * x->n;
        const FlRegionSpec *rb = fl_scenario_region(sc, x->spec->regions[row[b]]);
        const FlRegionSpec *ra = fl_scenario_region(sc, x->spec->regions[row[b - 1]]);
        double db = row[b] == k ? -1 : (home->has_location && rb->has_location)
                                         ? distance_km(home, rb) : G_MAXDOUBLE - 1 + row[b];
        double da = row[b - 1] == k ? -1 : (home->has_location && ra->has_location)
                                             ? distance_km(home, ra) : G_MAXDOUBLE - 1 + row[b - 1];
        if (db < da) {
          guint32 t = row[b];
          row[b] = row[b - 1];
          row[b - 1] = t;
        }
      }
    gboolean preparing = x->spec->strategy != FL_STRATEGY_NONE
                         && x->spec->strategy != FL_STRATEGY_ACTIVE_ACTIVE;
    x->recovery[k] = preparing && (gint)k != x->primary;
  }
  x->target_slot0 = NO_SLOT;
  if (x->lb || x->spec->eip)
    for (guint32 i = 0; i < x->n_inst; i++) {
      guint32 slot = add_slot(fe, kinds, fss, args, SLOT_TARGET, f, x->inst0 + i);
      if (i == 0)
        x->target_slot0 = slot;
    }
  x->verdict_slot0 = fe->n_slots;
  for (guint32 k = 0; k < x->n; k++)
    add_slot(fe, kinds, fss, args, SLOT_VERDICT, f, k);
  x->ready_slot0 = fe->n_slots;
  for (guint32 k = 0; k < x->n; k++)
    add_slot(fe, kinds, fss, args, SLOT_READY, f, k);
  x->api_slot = add_slot(fe, kinds, fss, args, SLOT_API, f, 0);
  x->eip_slot = add_slot(fe, kinds, fss, args, SLOT_EIP, f, 0);
}

FlFrontend *
fl_frontend_new(const FlModel *m, guint32 *n_slots)
{
  *n_slots = 0;
  guint32 n_fs = 0;
  for (guint32 s = 0; s < m->n_services; s++)
    n_fs += fl_service_has_mechanics(fl_scenario_service(m->sc, s));
  if (n_fs == 0)
    return NULL;
  FlFrontend *fe = g_new0(FlFrontend, 1);
  fe->n_fs = n_fs;
  fe->fs = g_new0(FeService, n_fs);
  fe->service_fs = g_new(guint32, m->n_services);
  GArray *kinds = g_array_new(FALSE, FALSE, 1), *fss = g_array_new(FALSE, FALSE, 4);
  GArray *args = g_array_new(FALSE, FALSE, 4);
  guint32 f = 0;
  for (guint32 s = 0; s < m->n_services; s++) {
    fe->service_fs[s] = NO_SLOT;
    if (fl_service_has_mechanics(fl_scenario_service(m->sc, s))) {
      fe->service_fs[s] = f;
      build_service(m, fe, f++, s, kinds, fss, args);
    }
  }
  fe->slot_kind = (guint8 *)g_array_free(kinds, FALSE);
  fe->slot_fs = (guint32 *)g_array_free(fss, FALSE);
  fe->slot_arg = (guint32 *)g_array_free(args, FALSE);
  *n_slots = fe->n_slots;
  return fe;
}

void
fl_frontend_free(FlFrontend *fe)
{
  if (fe == NULL)
    return;
  for (guint32 f = 0; f < fe->n_fs; f++) {
    g_free(fe->fs[f].weight);
    g_free(fe->fs[f].home_share);
    g_free(fe->fs[f].near);
    g_free(fe->fs[f].recovery);
    g_free(fe->fs[f].has_record);
    g_free(fe->fs[f].sz0);
  }
  g_free(fe->fs);
  g_free(fe->service_fs);
  g_free(fe->slot_kind);
  g_free(fe->slot_fs);
  g_free(fe->slot_arg);
  g_free(fe);
}

FlFrontendState *
fl_frontend_state_new(const FlModel *m)
{
  const FlFrontend *fe = m->frontend;
  FlFrontendState *st = g_new0(FlFrontendState, 1);
  st->n_fs = fe->n_fs;
  st->fs = g_new0(FeSvcState, fe->n_fs);
  for (guint32 f = 0; f < fe->n_fs; f++) {
    const FeService *x = &fe->fs[f];
    const FlDnsSpec *d = x->dns;
    st->fs[f].clients = fl_clients_new(x->n, d ? d->ttl_s : 0.0, d ? d->stale_share : 0.0,
                                       d ? d->stale_for_s : 0.0);
    st->fs[f].answer = g_new0(double, x->n);
  }
  guint32 nsr = MAX(1u, m->n_sr), ni = MAX(1u, m->n_instances), nsz = MAX(1u, m->n_sz);
  st->verdict = g_new0(guint8, nsr);
  st->ok = g_new0(guint8, nsr);
  st->full = g_new0(guint8, nsr);
  st->dr_state = g_new0(guint8, nsr);
  st->image_here = g_new0(guint8, nsr);
  st->cell_dirty = g_new0(guint8, nsr);
  st->readiness = g_new0(double, nsr);
  st->q = g_new0(double, nsr);
  st->cap = g_new0(double, nsr);
  st->believed = g_new0(guint8, ni);
  st->live = g_new0(guint8, ni);
  st->z_live = g_new0(guint32, nsz);
  st->z_routed = g_new0(guint32, nsz);
  st->z_routed_live = g_new0(guint32, nsz);
  st->cc = g_new0(CellCounts, nsr);
  return st;
}

void
fl_frontend_state_free(FlFrontendState *st)
{
  if (st == NULL)
    return;
  for (guint32 f = 0; f < st->n_fs; f++) {
    fl_clients_free(st->fs[f].clients);
    g_free(st->fs[f].answer);
  }
  g_free(st->fs);
  g_free(st->verdict);
  g_free(st->ok);
  g_free(st->full);
  g_free(st->dr_state);
  g_free(st->image_here);
  g_free(st->cell_dirty);
  g_free(st->readiness);
  g_free(st->q);
  g_free(st->cap);
  g_free(st->believed);
  g_free(st->live);
  g_free(st->z_live);
  g_free(st->z_routed);
  g_free(st->z_routed_live);
  g_free(st->cc);
  g_free(st);
}

/* ---- helpers ---- */

static inline FlFrontend *
frontend(FlWorld *w)
{
  return w->m->frontend;
}

static double
initial_readiness(const FeService *x, guint32 k)
{
  if (!x->recovery[k])
    return 1.0;
  return x->spec->strategy == FL_STRATEGY_WARM_STANDBY ? x->spec->standby_capacity : 0.0;
}

static const char *
region_name(const FlWorld *w, const FeService *x, guint32 k)
{
  return fl_scenario_region(w->m->sc, x->spec->regions[k])->name;
}

static void
emit_fs(FlWorld *w, const FeService *x, double now, const char *component_kind,
        const char *component, const char *event, const char *detail)
{
  if (w->timeline == NULL)
    return;
  g_autofree char *who = g_strdup_printf("%s %s", component_kind, component);
  fl_world_emit(w, now, who, event, detail);
  (void)x;
}

/* Recomputes cell k's success share q, capacity, endpoint truth and full-service flag. */
static void
eval_cell(FlWorld *w, const FeService *x, guint32 k)
{
  const FlModel *m = w->m;
  FlFrontendState *st = w->fe;
  guint32 sr = x->sr0 + k, lb = m->sr_lb[sr];
  gboolean reachable = w->holds[m->sr_region[sr]] == 0 && (lb == NO_COMPONENT || w->holds[lb] == 0);
  double serving = 0.0, serving_zones = 0.0, q = 0.0;
  if (reachable && x->spec->eip) {
    guint32 h = x->inst0 + w->fe->fs[m->frontend->service_fs[x->service]].holder;
    serving = st->live[h] ? x->spec->needs : 0; /* the holder alone carries the demand */
    serving_zones = st->live[h] ? x->spec->needs : 0;
    q = st->live[h] ? 1.0 : 0.0;
  } else if (reachable && x->lb) {
    const CellCounts *cc = &st->cc[sr];
    if (cc->routed > 0) {
      if (x->lb->cross_zone) {
        /* n / n is exactly 1: skip the division in the usual case, every routed target live. */
        q = cc->routed_live == cc->routed ? 1.0 : (double)cc->routed_live / cc->routed;
      } else { /* each zone with a routed target takes an equal share */
        guint32 zones_with_routed = 0;
        double q_zone_sum = 0.0;
        for (guint32 c = x->sz0[k]; c < x->sz0[k] + m->sr_zones_total[sr]; c++)
          if (st->z_routed[c] > 0) {
            zones_with_routed++;
            q_zone_sum += (double)st->z_routed_live[c] / st->z_routed[c];
          }
        q = q_zone_sum / zones_with_routed;
      }
      serving = cc->routed_live;
      serving_zones = cc->zones_routed;
    } else { /* every target believed unhealthy: the LB fails open and sends to all */
      guint32 total = m->sr_capacity[sr];
      q = total ? (double)cc->live / total : 0.0;
      serving = cc->live;
      serving_zones = cc->zones_live;
    }
  } else if (reachable) {
    serving = w->sr_inst[sr];
    serving_zones = w->sr_zones[sr];
    q = serving > 0 ? 1.0 : 0.0;
  }
  double units = m->sr_needs_zones[sr] ? serving_zones : serving;
  st->q[sr] = q;
  st->cap[sr] = st->readiness[sr] * units / m->sr_needs[sr];
  st->ok[sr] = reachable && serving >= 1 && st->readiness[sr] > 0;
  st->full[sr] = w->sr_up[sr] && st->readiness[sr] >= 1.0
                 && (!x->spec->eip || q > 0);
}

/* Arms or disarms cell k's Route 53 verdict timer so that it fires when the verdict catches up
 * with the truth. Records without a health check are always healthy. */
static void
update_verdict_timer(FlWorld *w, const FeService *x, guint32 k, double now)
{
  FlFrontendState *st = w->fe;
  guint32 sr = x->sr0 + k, slot = w->m->frontend_slot_base + x->verdict_slot0 + k;
  const FlDnsSpec *d = x->dns;
  if (d == NULL || !d->has_health_check) {
    st->verdict[sr] = 1;
    return;
  }
  if (st->verdict[sr] == st->ok[sr]) {
    fl_engine_disarm(w->engine, slot);
    return;
  }
  if (fl_engine_is_armed(w->engine, slot))
    return; /* already counting towards this verdict */
  double delay = fl_r53_verdict_delay(&w->rng, d->hc_interval_s, d->failure_threshold,
                                      d->checkers, d->healthy_above, !st->ok[sr]);
  fl_engine_arm(w->engine, slot, now + delay);
}

static gboolean
uses_api(const FeService *x)
{
  return x->dns && x->dns->policy == FL_DNS_FAILOVER && x->dns->failover == FL_FAILOVER_API;
}

/* The answer Route 53 gives now, from the verdicts (docs/multi-region.md, "Route 53"). */
static void
compute_answer(FlWorld *w, const FeService *x, FeSvcState *ss, double *a)
{
  FlFrontendState *st = w->fe;
  memset(a, 0, sizeof(double) * x->n);
  const guint8 *v = st->verdict + x->sr0;
  if (x->dns == NULL) { /* no DNS: ideal routing to the regions that truly serve */
    guint32 n_ok = 0;
    for (guint32 k = 0; k < x->n; k++)
      n_ok += st->ok[x->sr0 + k];
    for (guint32 k = 0; k < x->n; k++)
      a[k] = n_ok ? (st->ok[x->sr0 + k] ? 1.0 / n_ok : 0.0) : 1.0 / x->n;
    return;
  }
  switch (x->dns->policy) {
  case FL_DNS_FAILOVER:
    if (uses_api(x))
      a[ss->record] = 1.0;
    else if (v[x->primary] || !v[x->secondary])
      a[x->primary] = 1.0; /* both unhealthy: Route 53 answers the primary */
    else
      a[x->secondary] = 1.0;
    return;
  case FL_DNS_WEIGHTED: {
    double sum = 0.0, zero_healthy = 0.0;
    for (guint32 k = 0; k < x->n; k++) {
      sum += v[k] ? x->weight[k] : 0.0;
      zero_healthy += v[k] && x->weight[k] == 0.0 && x->has_record[k];
    }
    for (guint32 k = 0; k < x->n; k++) {
      if (sum > 0)
        a[k] = v[k] ? x->weight[k] / sum : 0.0;
      else if (zero_healthy > 0) /* weight-0 records serve when every other is unhealthy */
        a[k] = v[k] && x->has_record[k] ? 1.0 / zero_healthy : 0.0;
      else /* every record unhealthy: Route 53 treats them all as healthy */
        a[k] = x->weight[k];
    }
    if (sum == 0 && zero_healthy == 0) {
      double total = 0.0;
      for (guint32 k = 0; k < x->n; k++)
        total += a[k];
      for (guint32 k = 0; k < x->n; k++)
        a[k] = total > 0 ? a[k] / total : 1.0 / x->n;
    }
    return;
  }
  case FL_DNS_LATENCY:
    for (guint32 h = 0; h < x->n; h++) {
      if (x->home_share[h] <= 0)
        continue;
      guint32 target = h; /* none healthy: fail open to the home region */
      for (guint32 j = 0; j < x->n; j++)
        if (v[x->near[h * x->n + j]] && x->has_record[x->near[h * x->n + j]]) {
          target = x->near[h * x->n + j];
          break;
        }
      a[target] += x->home_share[h];
    }
    return;
  case FL_DNS_MULTIVALUE: {
    guint32 healthy = 0;
    for (guint32 k = 0; k < x->n; k++)
      healthy += v[k];
    for (guint32 k = 0; k < x->n; k++)
      a[k] = healthy ? (v[k] ? 1.0 / healthy : 0.0) : 1.0 / x->n;
    return;
  }
  }
}

/* Data lost by a regional failover: the replication lag at that moment, or the time since the
 * last backup for backup-restore; NAN when the scenario says nothing about data. */
static double
failover_rpo(FlWorld *w, const FeService *x, const double *old, const double *answer,
             double now)
{
  if (x->spec->strategy == FL_STRATEGY_BACKUP_RESTORE)
    return fl_rng_uniform(&w->rng) * x->spec->backup_interval_s;
  switch (x->spec->replication) {
  case FL_REPLICATION_ASYNC: {
    /* A partition (target = link) between a region clients leave and one they move to has
     * paused replication since it began: those writes are lost too (docs/hazards.md). */
    double paused = 0.0;
    for (guint32 k = 0; k < x->n && w->m->n_links; k++)
      for (guint32 j = 0; j < x->n; j++)
        if (old[k] > 0 && answer[k] == 0 && answer[j] > 0)
          paused = MAX(paused, fl_world_link_paused(w, w->m->sr_region[x->sr0 + k],
                                                    w->m->sr_region[x->sr0 + j], now));
    return fl_dist_sample(x->spec->lag, &w->rng) + paused;
  }
  case FL_REPLICATION_SYNC:
    return 0.0;
  case FL_REPLICATION_NONE:
    break;
  }
  return NAN;
}

/* Starts preparing every recovery region still on standby (the primary was declared down). */
static void
start_recovery(FlWorld *w, const FeService *x, double now)
{
  FlFrontendState *st = w->fe;
  const FlServiceSpec *sv = x->spec;
  for (guint32 k = 0; k < x->n; k++) {
    guint32 sr = x->sr0 + k, slot = w->m->frontend_slot_base + x->ready_slot0 + k;
    if (!x->recovery[k])
      continue;
    if (st->dr_state[sr] == DR_RETURNING) { /* not back on standby yet: still serving */
      fl_engine_disarm(w->engine, slot);
      st->dr_state[sr] = DR_READY;
      continue;
    }
    if (st->dr_state[sr] != DR_STANDBY)
      continue;
    double copy = 0.0;
    if (sv->image >= 0 && !st->image_here[sr]) {
      const FlImageSpec *im = fl_scenario_image(w->m->sc, sv->image);
      copy = im->copy_time_s > 0 ? im->copy_time_s
                                 : im->size_gb / im->copy_rate_gb_per_h * FL_SECONDS_PER_HOUR;
    }
    double launch = sv->launch ? fl_dist_sample(sv->launch, &w->rng) : 300.0;
    double delay = 0.0;
    switch (sv->strategy) {
    case FL_STRATEGY_WARM_STANDBY:
      delay = sv->scale_up ? fl_dist_sample(sv->scale_up, &w->rng) : 0.0;
      break;
    case FL_STRATEGY_PILOT_LIGHT:
      delay = copy + launch;
      break;
    case FL_STRATEGY_BACKUP_RESTORE: {
      double restore = sv->restore_rate_gb_per_h > 0
                         ? sv->data_size_gb / sv->restore_rate_gb_per_h * FL_SECONDS_PER_HOUR
                         : 0.0;
      delay = MAX(copy, restore) + launch;
      break;
    }
    case FL_STRATEGY_NONE:
    case FL_STRATEGY_ACTIVE_ACTIVE:
      break;
    }
    st->dr_state[sr] = DR_PREPARING;
    fl_engine_arm(w->engine, slot, now + delay);
    if (w->timeline) {
      g_autofree char *what = g_strdup_printf("%s recovery starts", strategy_names[sv->strategy]);
      g_autofree char *detail = fl_format_duration(delay);
      g_autofree char *d2 = g_strdup_printf("full capacity in %s", detail);
      emit_fs(w, x, now, "region", region_name(w, x, k), what, d2);
    }
  }
}

/* How long after an answer change clients may still use the old answer. */
static double
client_drain_s(const FeService *x)
{
  if (x->dns == NULL)
    return 0.0;
  return MAX(x->dns->ttl_s, x->dns->stale_share > 0 ? x->dns->stale_for_s : 0.0);
}

/* The primary is healthy and answered again: recovery regions go back to standby once the
 * clients that still use them have moved (the longer of TTL and the stale window). */
static void
end_recovery(FlWorld *w, const FeService *x, double now)
{
  FlFrontendState *st = w->fe;
  double drain = client_drain_s(x);
  for (guint32 k = 0; k < x->n; k++) {
    guint32 sr = x->sr0 + k, slot = w->m->frontend_slot_base + x->ready_slot0 + k;
    if (!x->recovery[k])
      continue;
    if (st->dr_state[sr] == DR_PREPARING) {
      fl_engine_disarm(w->engine, slot);
      st->dr_state[sr] = DR_STANDBY;
    } else if (st->dr_state[sr] == DR_READY) {
      st->dr_state[sr] = DR_RETURNING;
      fl_engine_arm(w->engine, slot, now + drain);
    }
  }
}

/* API failover: decide what the record should answer, now. */
static gint
api_desired(FlWorld *w, const FeService *x)
{
  const guint8 *v = w->fe->verdict + x->sr0;
  return (v[x->primary] || !v[x->secondary]) ? x->primary : x->secondary;
}

static void
api_start(FlWorld *w, const FeService *x, FeSvcState *ss, double now)
{
  if (ss->api_state != API_IDLE)
    return;
  ss->api_state = API_DECIDING;
  fl_engine_arm(w->engine, w->m->frontend_slot_base + x->api_slot, now + x->dns->decision_s);
}

static void
api_edit(FlWorld *w, const FeService *x, FeSvcState *ss, double now)
{
  ss->api_state = API_PROPAGATING;
  fl_engine_arm(w->engine, w->m->frontend_slot_base + x->api_slot, now + x->dns->propagation_s);
  emit_fs(w, x, now, "dns", x->dns->name, "record edited through the API",
          region_name(w, x, (guint32)ss->api_target));
}

/* ---- LB targets ---- */

static void
target_live_changed(FlWorld *w, const FeService *x, guint32 inst, gboolean live, double now)
{
  FlFrontendState *st = w->fe;
  const FlModel *m = w->m;
  if (st->live[inst] == live)
    return;
  guint32 sz = m->inst_sz[inst];
  CellCounts *cc = &st->cc[m->sz_sr[sz]];
  guint32 step = live ? 1u : (guint32)-1;
  st->live[inst] = live;
  st->z_live[sz] += step;
  cc->live += step;
  cc->zones_live += st->z_live[sz] == (live ? 1u : 0u) ? step : 0u;
  if (st->believed[inst]) {
    st->z_routed_live[sz] += step;
    cc->routed_live += step;
    cc->zones_routed += st->z_routed_live[sz] == (live ? 1u : 0u) ? step : 0u;
  }
  guint32 slot = m->frontend_slot_base + x->target_slot0 + (inst - x->inst0);
  if (st->believed[inst] == live) {
    fl_engine_disarm(w->engine, slot);
    return;
  }
  double interval = x->lb ? x->lb->hc_interval_s : EIP_MONITOR_INTERVAL_S;
  guint threshold = x->lb ? (live ? x->lb->healthy_threshold : x->lb->unhealthy_threshold)
                          : EIP_MONITOR_THRESHOLD;
  fl_engine_arm(w->engine, slot, now + fl_lb_target_delay(&w->rng, interval, threshold));
}

static void
target_verdict(FlWorld *w, const FeService *x, guint32 inst, double now)
{
  FlFrontendState *st = w->fe;
  guint32 sz = w->m->inst_sz[inst];
  gboolean live = st->live[inst];
  CellCounts *cc = &st->cc[w->m->sz_sr[sz]];
  st->believed[inst] = live;
  st->z_routed[sz] += live ? 1 : -1;
  cc->routed += live ? 1 : -1;
  if (live) {
    cc->routed_live++;
    if (++st->z_routed_live[sz] == 1)
      cc->zones_routed++;
  }
  if (w->timeline) {
    g_autofree char *who = g_strdup_printf("%u in %s", inst,
                                           fl_scenario_zone(w->m->sc, w->m->sz_zone[sz])->name);
    emit_fs(w, x, now, "target", who, live ? "healthy" : "unhealthy",
            live ? "the load balancer sends it traffic again"
                 : "the load balancer stops sending it traffic");
  }
}

static gboolean
instance_live(const FlWorld *w, guint32 inst)
{
  const FlModel *m = w->m;
  return w->holds[m->n_regions + m->n_zones + inst] == 0
         && w->holds[m->n_regions + m->sz_zone[m->inst_sz[inst]]] == 0;
}

/* ---- EIP ---- */

static void
eip_check(FlWorld *w, const FeService *x, FeSvcState *ss, double now)
{
  FlFrontendState *st = w->fe;
  guint32 slot = w->m->frontend_slot_base + x->eip_slot;
  if (st->live[x->inst0 + ss->holder]) {
    fl_engine_disarm(w->engine, slot);
    ss->eip_waiting = FALSE;
    return;
  }
  if (fl_engine_is_armed(w->engine, slot))
    return;
  /* The holder is dead: the monitor notices (an LB-style check), then the address moves. */
  double interval = x->lb ? x->lb->hc_interval_s : EIP_MONITOR_INTERVAL_S;
  guint threshold = x->lb ? x->lb->unhealthy_threshold : EIP_MONITOR_THRESHOLD;
  if (!ss->eip_waiting)
    fl_engine_arm(w->engine, slot,
                  now + fl_lb_target_delay(&w->rng, interval, threshold) + x->spec->eip_remap_s);
  else {
    for (guint32 i = 0; i < x->n_inst; i++)
      if (st->live[x->inst0 + i]) {
        fl_engine_arm(w->engine, slot, now + x->spec->eip_remap_s);
        return;
      }
  }
}

static void
eip_remap(FlWorld *w, const FeService *x, FeSvcState *ss, double now)
{
  FlFrontendState *st = w->fe;
  const FlModel *m = w->m;
  guint32 old_zone = m->sz_zone[m->inst_sz[x->inst0 + ss->holder]];
  gint best = -1;
  for (guint32 i = 0; i < x->n_inst; i++) {
    guint32 inst = x->inst0 + i;
    if (!st->live[inst])
      continue;
    if (best < 0 || (m->sz_zone[m->inst_sz[inst]] != old_zone
                     && m->sz_zone[m->inst_sz[x->inst0 + (guint32)best]] == old_zone))
      best = (gint)i;
  }
  if (best < 0) {
    ss->eip_waiting = TRUE; /* nothing alive to move to: wait for a repair */
    return;
  }
  ss->eip_waiting = FALSE;
  ss->holder = (guint32)best;
  if (w->timeline) {
    g_autofree char *to = g_strdup_printf("instance %u in %s", x->inst0 + (guint32)best,
                                          fl_scenario_zone(m->sc, m->sz_zone[m->inst_sz[x->inst0 + (guint32)best]])->name);
    emit_fs(w, x, now, "eip", x->spec->name, "remapped", to);
  }
}

/* Marks cell @sr for re-evaluation and its service for settling. */
static inline void
mark_cell(FlWorld *w, guint32 sr)
{
  guint32 f = w->m->frontend->service_fs[w->m->sr_service[sr]];
  if (f == NO_SLOT)
    return;
  w->fe->cell_dirty[sr] = 1;
  w->fe->fs[f].dirty = 1;
}

/* ---- the interface model.c calls ---- */

void
fl_frontend_reset(FlWorld *w)
{
  const FlModel *m = w->m;
  FlFrontend *fe = frontend(w);
  FlFrontendState *st = w->fe;
  memset(st->z_live, 0, sizeof(guint32) * m->n_sz);
  memset(st->z_routed, 0, sizeof(guint32) * m->n_sz);
  memset(st->z_routed_live, 0, sizeof(guint32) * m->n_sz);
  memset(st->cc, 0, sizeof(CellCounts) * m->n_sr);
  for (guint32 f = 0; f < fe->n_fs; f++) {
    const FeService *x = &fe->fs[f];
    FeSvcState *ss = &st->fs[f];
    for (guint32 i = x->inst0; i < x->inst0 + x->n_inst; i++) {
      guint32 sz = m->inst_sz[i];
      CellCounts *cc = &st->cc[m->sz_sr[sz]];
      st->live[i] = st->believed[i] = 1;
      st->z_live[sz]++;
      st->z_routed[sz]++;
      st->z_routed_live[sz]++;
      cc->routed++;
      cc->routed_live++;
      cc->live++;
      if (st->z_live[sz] == 1) {
        cc->zones_routed++;
        cc->zones_live++;
      }
    }
    for (guint32 k = 0; k < x->n; k++) {
      guint32 sr = x->sr0 + k;
      st->readiness[sr] = initial_readiness(x, k);
      st->dr_state[sr] = DR_STANDBY;
      st->image_here[sr] = x->spec->image < 0
                           || fl_scenario_image(m->sc, x->spec->image)->present[x->spec->regions[k]];
      eval_cell(w, x, k);
      st->cell_dirty[sr] = 0;
      st->verdict[sr] = st->ok[sr] || x->dns == NULL || !x->dns->has_health_check;
    }
    ss->last_t = 0.0;
    ss->dirty = 0;
    ss->api_state = API_IDLE;
    ss->record = x->primary;
    ss->holder = 0;
    ss->eip_waiting = FALSE;
    ss->answer_dirty = 0;
    compute_answer(w, x, ss, ss->answer);
    fl_clients_reset(ss->clients, ss->answer);
    ss->drained_at = 0.0;
    ss->serving_all = 1;
    for (guint32 k = 0; k < x->n; k++)
      if (ss->answer[k] > 0 && (st->q[x->sr0 + k] < 1.0 || st->cap[x->sr0 + k] < ss->answer[k]))
        ss->serving_all = 0;
    ss->real_up = 1;
    for (guint32 k = 0; k < x->n; k++)
      if (ss->answer[k] > 0 && !st->full[x->sr0 + k])
        ss->real_up = 0;
    ss->real_down_since = 0.0;
    ss->failover_in_outage = 0;
  }
}

void
fl_frontend_advance(FlWorld *w, double now)
{
  FlFrontend *fe = frontend(w);
  FlFrontendState *st = w->fe;
  for (guint32 f = 0; f < fe->n_fs; f++) {
    FeSvcState *ss = &st->fs[f];
    const FeService *x = &fe->fs[f];
    if (now <= ss->last_t)
      continue;
    /* Fast path, the usual case: clients settled on an answer whose regions serve all of
     * their requests, so nothing is lost and there is nothing to integrate. */
    if (ss->serving_all && ss->last_t >= ss->drained_at) {
      ss->last_t = now;
      continue;
    }
    double served = fl_clients_served(ss->clients, ss->last_t, now, st->q + x->sr0,
                                      st->cap + x->sr0);
    double lost = (now - ss->last_t) - served;
    if (lost > 1e-9 * (now - ss->last_t))
      fl_tally_unserved(w->tally, x->service, lost);
    ss->last_t = now;
    fl_clients_forget(ss->clients, now);
  }
}

void
fl_frontend_component(FlWorld *w, guint32 id, gboolean down, double now)
{
  const FlModel *m = w->m;
  FlFrontend *fe = frontend(w);
  FlFrontendState *st = w->fe;
  if (id == m->control_plane_id) {
    for (guint32 f = 0; f < fe->n_fs; f++) {
      FeSvcState *ss = &st->fs[f];
      if (!down && ss->api_state == API_WAIT_CP) {
        fl_tally_blocked(w->tally, fe->fs[f].service, now - ss->api_wait_since);
        /* Decide again: the primary may have recovered while the edit waited. */
        ss->api_target = api_desired(w, &fe->fs[f]);
        if (ss->api_target == ss->record)
          ss->api_state = API_IDLE;
        else
          api_edit(w, &fe->fs[f], ss, now);
      }
    }
    return;
  }
  if (id < m->n_regions) {
    for (guint32 k = m->region_sr_start[id]; k < m->region_sr_start[id + 1]; k++)
      mark_cell(w, m->region_sr[k]);
    return;
  }
  if (id >= m->lb_base) {
    mark_cell(w, m->lb_sr[id - m->lb_base]);
    return;
  }
  if (id < m->n_regions + m->n_zones) {
    guint32 z = id - m->n_regions;
    for (guint32 c = m->zone_sz_start[z]; c < m->zone_sz_start[z + 1]; c++) {
      guint32 sz = m->zone_sz[c], f = fe->service_fs[m->sr_service[m->sz_sr[sz]]];
      if (f == NO_SLOT)
        continue;
      mark_cell(w, m->sz_sr[sz]);
      const FeService *x = &fe->fs[f];
      if (x->target_slot0 == NO_SLOT)
        continue;
      /* The zone's instances of this service: a service's sz cells are contiguous from
       * sz0[0], each holding instances-per-zone consecutive instances from inst0. */
      guint32 ipz = x->spec->instances_per_zone, i0 = x->inst0 + (sz - x->sz0[0]) * ipz;
      for (guint32 i = i0; i < i0 + ipz; i++)
        target_live_changed(w, x, i, instance_live(w, i), now);
    }
    return;
  }
  guint32 inst = id - m->n_regions - m->n_zones;
  guint32 f = fe->service_fs[m->sr_service[m->sz_sr[m->inst_sz[inst]]]];
  if (f == NO_SLOT)
    return;
  mark_cell(w, m->sz_sr[m->inst_sz[inst]]);
  if (fe->fs[f].target_slot0 != NO_SLOT)
    target_live_changed(w, &fe->fs[f], inst, instance_live(w, inst), now);
}

void
fl_frontend_fire(FlWorld *w, guint32 slot, double now)
{
  FlFrontend *fe = frontend(w);
  FlFrontendState *st = w->fe;
  guint32 f = fe->slot_fs[slot], arg = fe->slot_arg[slot];
  const FeService *x = &fe->fs[f];
  FeSvcState *ss = &st->fs[f];
  ss->dirty = 1;
  switch (fe->slot_kind[slot]) {
  case SLOT_TARGET:
    target_verdict(w, x, arg, now);
    st->cell_dirty[w->m->sz_sr[w->m->inst_sz[arg]]] = 1;
    return;
  case SLOT_VERDICT: {
    guint32 sr = x->sr0 + arg;
    st->verdict[sr] = st->ok[sr];
    ss->answer_dirty = 1;
    if (w->timeline) {
      g_autofree char *what = st->ok[sr]
        ? g_strdup_printf("health check passed %u/%u -> %s healthy", x->dns->failure_threshold,
                          x->dns->failure_threshold, region_name(w, x, arg))
        : g_strdup_printf("health check failed %u/%u -> %s unhealthy", x->dns->failure_threshold,
                          x->dns->failure_threshold, region_name(w, x, arg));
      emit_fs(w, x, now, "dns", x->dns->name, what, NULL);
    }
    if ((gint)arg == x->primary && !st->ok[sr]) {
      start_recovery(w, x, now);
      if (uses_api(x))
        api_start(w, x, ss, now);
    } else if ((gint)arg == x->primary && uses_api(x) && ss->record != x->primary) {
      api_start(w, x, ss, now); /* fail back the same way */
    }
    return;
  }
  case SLOT_READY: {
    guint32 sr = x->sr0 + arg;
    if (st->dr_state[sr] == DR_PREPARING) {
      st->dr_state[sr] = DR_READY;
      st->readiness[sr] = 1.0;
      st->cell_dirty[sr] = 1;
      st->image_here[sr] = 1;
      emit_fs(w, x, now, "region", region_name(w, x, arg), "recovery region at full capacity",
              strategy_names[x->spec->strategy]);
    } else if (st->dr_state[sr] == DR_RETURNING) {
      st->dr_state[sr] = DR_STANDBY;
      st->readiness[sr] = initial_readiness(x, arg);
      st->cell_dirty[sr] = 1;
      emit_fs(w, x, now, "region", region_name(w, x, arg), "back on standby", NULL);
    }
    return;
  }
  case SLOT_API:
    if (ss->api_state == API_DECIDING) {
      gint want = api_desired(w, x);
      if (want == ss->record) {
        ss->api_state = API_IDLE;
        return;
      }
      ss->api_target = want;
      if (w->holds[w->m->control_plane_id] == 0) {
        api_edit(w, x, ss, now);
      } else {
        ss->api_state = API_WAIT_CP;
        ss->api_wait_since = now;
        emit_fs(w, x, now, "dns", x->dns->name,
                "API failover blocked: the Route 53 control plane is down", NULL);
      }
    } else if (ss->api_state == API_PROPAGATING) {
      ss->record = ss->api_target;
      ss->answer_dirty = 1;
      ss->api_state = API_IDLE;
      if (api_desired(w, x) != ss->record) /* things changed while the edit propagated */
        api_start(w, x, ss, now);
    }
    return;
  case SLOT_EIP:
    eip_remap(w, x, ss, now);
    return;
  }
}

void
fl_frontend_settle(FlWorld *w, double now)
{
  FlFrontend *fe = frontend(w);
  FlFrontendState *st = w->fe;
  for (guint32 f = 0; f < fe->n_fs; f++) {
    FeSvcState *ss = &st->fs[f];
    if (!ss->dirty)
      continue;
    ss->dirty = 0;
    const FeService *x = &fe->fs[f];
    if (x->spec->eip) {
      eip_check(w, x, ss, now);
      memset(st->cell_dirty + x->sr0, 1, x->n); /* the holder may have moved */
    }
    /* Only cells whose inputs changed: a cell's verdict timer follows its truth. The rest of
     * settling (the "tail": the answer, the clients, whether they are served) reads the
     * verdicts, the API record, the cells' ok flags (the answer's inputs without DNS) and, of
     * the regions answered, q, cap and full; when none of these changed it would recompute
     * exactly what it has, so it is skipped (a zone event in a region no client is sent to, a
     * target check in the standby region, say). Its end_recovery() is then a no-op too: the
     * last tail run left no recovery region preparing or ready while the primary is answered
     * and healthy, and only a verdict (which forces the tail) starts a recovery. Anything
     * added to the tail must be a function of these inputs, or set answer_dirty. */
    gboolean tail = ss->answer_dirty;
    for (guint32 k = 0; k < x->n; k++) {
      guint32 sr = x->sr0 + k;
      if (!st->cell_dirty[sr])
        continue;
      st->cell_dirty[sr] = 0;
      double q0 = st->q[sr], cap0 = st->cap[sr];
      guint8 ok0 = st->ok[sr], full0 = st->full[sr], verdict0 = st->verdict[sr];
      eval_cell(w, x, k);
      update_verdict_timer(w, x, k, now);
      /* The tail uses q and cap only in comparisons, so == is the right test (and NaN, were
       * there one, would count as a change). */
      tail |= st->ok[sr] != ok0 || st->verdict[sr] != verdict0
              || (ss->answer[k] > 0
                  && (st->q[sr] != q0 || st->cap[sr] != cap0 || st->full[sr] != full0));
    }
    if (x->dns == NULL && x->primary >= 0) { /* no DNS: recovery follows the truth */
      if (!st->ok[x->sr0 + x->primary])
        start_recovery(w, x, now);
      else
        end_recovery(w, x, now);
    }
    if (!tail)
      continue;
    ss->answer_dirty = 0;
    /* The answer, and what changed for clients. */
    compute_answer(w, x, ss, ss->answer);
    const double *old = fl_clients_answer(ss->clients);
    gboolean changed = FALSE, failover = FALSE;
    for (guint32 k = 0; k < x->n; k++) {
      changed |= fabs(old[k] - ss->answer[k]) > 1e-12;
      /* A failover moves clients off a region the health checks (or, without DNS, the truth)
       * say is down; a failback onto a healthy primary is not one. */
      failover |= old[k] > 0 && ss->answer[k] == 0
                  && !(x->dns ? st->verdict[x->sr0 + k] : st->ok[x->sr0 + k]);
    }
    /* On the primary with the primary healthy: recovery regions stand down, whether the answer
     * just moved back (failback) or never left it (the primary was declared healthy again
     * before a recovery region was ready to take the clients). A no-op on standby. */
    if (x->primary >= 0 && ss->answer[x->primary] == 1.0 && st->verdict[x->sr0 + x->primary])
      end_recovery(w, x, now);
    if (changed) {
      if (failover) {
        fl_tally_failover(w->tally, x->service, failover_rpo(w, x, old, ss->answer, now));
        if (!ss->real_up)
          ss->failover_in_outage = 1;
      }
      if (w->timeline) {
        g_autoptr(GString) to = g_string_new(NULL);
        for (guint32 k = 0; k < x->n; k++)
          if (ss->answer[k] > 0)
            g_string_append_printf(to, "%s%s", to->len ? ", " : "", region_name(w, x, k));
        g_autofree char *what = g_strdup_printf("DNS answers %s", to->str);
        emit_fs(w, x, now, "dns", x->dns ? x->dns->name : x->spec->name, what, NULL);
      }
      fl_clients_set_answer(ss->clients, now, ss->answer);
      ss->drained_at = now + client_drain_s(x);
    }
    /* Whether a settled client population would lose nothing now (advance's fast path). */
    ss->serving_all = 1;
    for (guint32 k = 0; k < x->n; k++) {
      guint32 sr = x->sr0 + k;
      if (ss->answer[k] > 0 && (st->q[sr] < 1.0 || st->cap[sr] < ss->answer[k]))
        ss->serving_all = 0;
    }
    /* The real, time-based state: a client resolving now is fully served. */
    guint8 up = 1;
    for (guint32 k = 0; k < x->n; k++)
      if (ss->answer[k] > 0 && !st->full[x->sr0 + k])
        up = 0;
    if (up != ss->real_up) {
      ss->real_up = up;
      if (!up) {
        ss->real_down_since = now;
        ss->failover_in_outage = failover;
      } else {
        fl_tally_real_outage(w->tally, x->service, ss->real_down_since, now);
        if (ss->failover_in_outage)
          fl_tally_rto(w->tally, x->service, now - ss->real_down_since);
      }
      if (w->timeline)
        emit_fs(w, x, now, "service", x->spec->name,
                up ? "serves clients fully again" : "clients are not fully served", NULL);
    }
  }
}

void
fl_frontend_finish(FlWorld *w, double horizon_s)
{
  FlFrontend *fe = frontend(w);
  fl_frontend_advance(w, horizon_s);
  for (guint32 f = 0; f < fe->n_fs; f++) {
    FeSvcState *ss = &w->fe->fs[f];
    if (!ss->real_up) /* censored at the horizon, like the ideal view */
      fl_tally_real_outage(w->tally, fe->fs[f].service, ss->real_down_since, horizon_s);
  }
}

gboolean
fl_world_service_up_real(const FlWorld *w, guint service)
{
  const FlFrontend *fe = w->m->frontend;
  if (fe == NULL || fe->service_fs[service] == NO_SLOT)
    return fl_world_service_up_ideal(w, service);
  return w->fe->fs[fe->service_fs[service]].real_up;
}

gboolean
fl_world_service_clients(const FlWorld *w, guint service, double t_s, double *shares,
                         double *stale_share)
{
  const FlFrontend *fe = w->m->frontend;
  if (fe == NULL || fe->service_fs[service] == NO_SLOT)
    return FALSE;
  FlClients *c = w->fe->fs[fe->service_fs[service]].clients;
  fl_clients_shares(c, t_s, shares);
  *stale_share = fl_clients_stale_share(c, t_s);
  return TRUE;
}
