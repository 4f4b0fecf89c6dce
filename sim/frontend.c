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
 * Cost: work per event that touches a frontend service, O(cells the event touched) plus
 * O(regions of that service) when what clients see may have changed, plus O(instances of a
 * zone) on zone events; nothing at all for services without mechanics (the large benchmark
 * topology never enters this file). A target check, and a failure group's zone event, settle
 * their one cell in place (cell_settle()) unless its endpoint health flips; everything else
 * goes through settle_service(). A replication starts from a copy of a snapshot of the
 * initial state, taken once per world. Timers are engine slots the model reserved for the
 * frontend: one per LB target, two per cell (verdict, readiness), two per service (API action,
 * EIP remap). docs/performance.md, "(c) the multi-region example", says what each costs.
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

/* What eval_cell needs of a (service, region) cell that never changes, in one place. */
typedef struct {
  guint32 region_id;               /* component id of its region */
  guint32 endpoint_id;             /* component id of its load balancer, or region_id without
                                      one: the cell is reachable when neither is held */
  double needs;                    /* instances (or zones) the service needs in the region */
  guint32 capacity;                /* the service's instances in the region */
  guint8 kind;                     /* CELL_*: how its success share q is found */
  guint8 needs_zones;              /* needs counts zones, not instances */
  double r0;                       /* the readiness a replication starts it at */
  const double *cap_r0, *cap_full; /* per whole number u of units (instances or zones, up to
                                      the most it has): r0·u / needs and 1·u / needs, the
                                      capacity at either readiness, the only two a non-EIP
                                      cell takes. The same operations done once, so bitwise
                                      the same, without a division on the hot path (FlFrontend's
                                      cap_table) */
} FeCell;

typedef struct {
  guint32 service;
  guint8 tracks_backlog;           /* async replication in a model with links: a region that
                                      stops serving notes the partitions then (note_stop) */
  guint8 truth_hooks;              /* tracks_backlog, or API failover (a blocked edit's cost
                                      follows the truth): truth_changed() must run when a
                                      region's truth changes. Both in what was padding, as the
                                      struct's size is hot */
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
  double target_interval_s;        /* target checks: the LB's interval (or the EIP monitor's) */
  guint target_up_threshold;       /* checks to see a target healthy again */
  guint target_down_threshold;     /* checks to see a target unhealthy */
  double target_up_checks;         /* target_up_threshold - 1, and target_down_threshold - 1:
                                      whole checks before the one that flips the target */
  double target_down_checks;
  double verdict_checks;           /* failure_threshold - 1: whole checks before the flip */
  FlOrderStat verdict_unhealthy_os; /* for an unhealthy verdict, and for a healthy one: k, the
                                      Route 53 checkers that must flip, of n, prepared for
                                      fl_order_stat_draw() (k = 0 without a health check, or if
                                      invalid: fl_r53_verdict_delay() decides) */
  FlOrderStat verdict_healthy_os;
  const FeCell *cell;              /* FlFrontend's cells sr0 .. sr0 + n - 1: a target check
                                      reaches its cell in two loads instead of four */
  gboolean one_hot_answers;        /* every DNS answer puts one region at exactly 1.0 (the
                                      failover policy), so clients' shares sum to 1 */
  gboolean cell_settles_alone;     /* settling a change of one cell's counts can be the cell's
                                      alone (no EIP, and recovery follows verdicts, not the
                                      truth): cell_settle() */
} FeService;

enum { CELL_PLAIN = 0, CELL_EIP, CELL_LB_CROSS_ZONE, CELL_LB_ZONAL };

/* An sz cell of a zone as a zone event sees it (one per entry of the model's zone_sz CSR, in
 * its order): what fl_frontend_component() would otherwise find through five arrays. */
typedef struct {
  guint32 f;                       /* its frontend service, or NO_SLOT */
  guint32 sz, sr;
  guint32 i0;                      /* its first instance (a service's sz cells are contiguous
                                      from sz0[0], each holding instances-per-zone of them) */
  guint32 n_inst;                  /* instances-per-zone; 0 without target checks (no LB, EIP) */
  guint32 k;                       /* sr's index among the service's regions */
} FeZoneCell;

/* A frontend timer: what it is for, in one record (a target check reads all of it at once). */
typedef struct {
  guint32 f;                       /* its service (index into fs) */
  guint32 arg;                     /* SLOT_TARGET: the instance; else the region's index among
                                      the service's (or 0) */
  guint32 sz, sr;                  /* SLOT_TARGET: the instance's sz and sr cells */
  guint8 kind;                     /* SLOT_* */
  guint8 k;                        /* SLOT_TARGET: sr's index among the service's regions */
} FeSlot;

struct FlFrontend {
  guint32 n_fs;
  FeService *fs;
  guint32 *service_fs;             /* per service: index into fs, or NO_SLOT */
  guint32 n_slots;
  FeSlot *slot;                    /* per frontend slot (owned) */
  FeZoneCell *zone_cell;           /* per entry of the model's zone_sz (owned) */
  guint32 *sr_fs;                  /* per sr cell: its frontend service, or NO_SLOT */
  guint32 *sr_bit;                 /* per sr cell: 1 << (its index among the service's) */
  FeCell *cell;                    /* per sr cell of a frontend service (owned) */
  double *cap_table;               /* every cell's cap_r0 and cap_full rows (owned) */
};

typedef struct {
  FlClients *clients;              /* (owned) */
  double last_t;                   /* integrated up to here */
  guint8 dirty;                    /* settle must look at this service */
  guint8 clients_moved;            /* the answer changed in this replication, so clients
                                      must be reset for the next (in dirty's padding) */
  guint32 cell_mask;               /* bit k: cell sr0 + k's inputs changed since it was last
                                      evaluated (services span at most 16 regions) */
  guint8 real_up;
  double real_down_since;
  guint8 failover_in_outage;       /* the current real outage saw a failover */
  guint8 api_state;
  gint api_target;                 /* region the pending edit will answer */
  gint record;                     /* API mode: the region the record answers */
  double api_cost_since;           /* API_WAIT_CP: since when the wait keeps clients on a
                                      region that is down, which the edit would replace with one
                                      that serves (api_wait_costs), or NAN */
  double api_cost_s;               /* API_WAIT_CP: that time so far in this wait, s */
  double drained_at;               /* clients all follow the current answer from here on */
  guint8 answer_dirty;             /* a verdict or the API record changed since the answer was
                                      last computed (settle's tail must run) */
  guint8 serving_all;              /* every answered region takes all its clients' requests */
  guint32 holder;                  /* EIP: instance (local index) holding the address */
  guint8 eip_waiting;              /* EIP: no live instance to remap to yet */
  double *answer;                  /* per region: the answer computed last (in the state's
                                      arena) */
} FeSvcState;

/* A service's partition backlog, with tracks_backlog (in the arena; apart from FeSvcState,
 * whose size is hot): per region k, when it last stopped serving (ok went 0; NAN while it
 * serves), and link_since[k * n + j], since when the link between k and region j had been
 * partitioned at that moment (NAN: up). A region that stopped serving took no writes after:
 * its backlog is what the partition held back until then (failover_rpo). */
typedef struct {
  double *stopped_at, *link_since;
} FeBacklog;

typedef struct {
  guint32 routed, routed_live, live; /* sums over the region's zones of z_routed, ... */
  guint32 zones_routed, zones_live;  /* zones with z_routed_live > 0, with z_live > 0 */
} CellCounts;

/* What changes of a (service, region) cell, in one record: settling reads and writes most of
 * it at once, and a record is one pointer where an array per field was one load each. */
typedef struct {
  double q;                        /* success share of requests sent to the region */
  double cap;                      /* capacity, in shares of the service's demand */
  double readiness;                /* DR: the fraction of full capacity it runs at */
  CellCounts cc;                   /* its zones' counts summed, kept in step with them so that
                                      eval_cell need not add up the zones */
  guint8 ok;                       /* the endpoint's truth: reachable and serving */
  guint8 full;                     /* serves its full share: up, ready (and the EIP's holder
                                      live) */
  guint8 verdict;                  /* Route 53's verdict on it */
  guint8 dr_state;                 /* DR_* */
  guint8 reachable;                /* neither its region nor its load balancer is held down:
                                      kept in step by reach_cell() when either changes, so
                                      that evaluating the cell reads no holds */
} FeCellState;
G_STATIC_ASSERT(sizeof(FeCellState) % 8 == 0);

struct FlFrontendState {
  guint32 n_fs;
  FeSvcState *fs;                  /* per frontend service (owned) */
  FeBacklog *backlog;              /* per frontend service (owned; its arrays in arena) */
  /* The arrays below are carved out of one block, arena (owned), so that starting a
   * replication is one copy of the snapshot taken after the first full reset (snap; see
   * fl_frontend_reset()). */
  FeCellState *cell;               /* per cell, indexed by sr */
  double *image_at;                /* per cell: when the service's image is (or will be) in the
                                      region: 0 where it starts (home, copied-to), the end of the
                                      copy once a recovery started one (it runs on to its end
                                      whatever the recovery does), +inf before that */
  /* per instance of LB/EIP services, indexed by global instance index */
  guint8 *believed, *live;
  /* per sz cell */
  guint32 *z_live, *z_routed, *z_routed_live;
  gpointer arena;                  /* every array above, and each service's answer (owned) */
  gsize arena_size;                /* bytes */
  gpointer snap;                   /* arena's contents at the start of a replication, or NULL
                                      before the first reset (owned) */
  FeSvcState *fs_snap;             /* fs at the start of a replication (owned; its pointers are
                                      fs's own: the same clients and answer arrays) */
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
add_slot(FlFrontend *fe, GArray *slots, guint8 kind, guint32 f, guint32 arg)
{
  FeSlot sl = { .f = f, .arg = arg, .kind = kind };
  g_array_append_val(slots, sl);
  return fe->n_slots++;
}

/* Whether service @x fails over by editing its record through the Route 53 API. */
static gboolean
uses_api(const FeService *x)
{
  return x->dns && x->dns->policy == FL_DNS_FAILOVER && x->dns->failover == FL_FAILOVER_API;
}

static void
build_service(const FlModel *m, FlFrontend *fe, guint32 f, guint32 s, GArray *slots)
{
  const FlScenario *sc = m->sc;
  FeService *x = &fe->fs[f];
  x->service = s;
  x->spec = fl_scenario_service(sc, s);
  x->dns = x->spec->dns >= 0 ? fl_scenario_dns(sc, x->spec->dns) : NULL;
  x->lb = x->spec->load_balancer >= 0 ? fl_scenario_load_balancer(sc, x->spec->load_balancer)
                                      : NULL;
  x->n = x->spec->n_regions;
  /* fl_clients_new() takes at most FL_CLIENTS_MAX_REGIONS (16) regions, and settling keeps a
   * service's dirty cells as bits of a 32-bit mask; the parser rejects more (scenario_mr.c). */
  g_assert(x->n <= FL_CLIENTS_MAX_REGIONS);
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
  x->target_interval_s = x->lb ? x->lb->hc_interval_s : EIP_MONITOR_INTERVAL_S;
  x->target_up_threshold = x->lb ? x->lb->healthy_threshold : EIP_MONITOR_THRESHOLD;
  x->target_down_threshold = x->lb ? x->lb->unhealthy_threshold : EIP_MONITOR_THRESHOLD;
  x->target_up_checks = (double)(x->target_up_threshold - 1);
  x->target_down_checks = (double)(x->target_down_threshold - 1);
  if (x->dns && x->dns->has_health_check && x->dns->failure_threshold >= 1
      && isfinite(x->dns->hc_interval_s) && x->dns->hc_interval_s > 0.0
      && x->dns->checkers >= 1 && x->dns->checkers <= FL_HC_MAX_CHECKERS
      && x->dns->healthy_above >= 0.0 && x->dns->healthy_above < 1.0) {
    x->verdict_checks = (double)(x->dns->failure_threshold - 1);
    /* A flip of 0 (invalid) stays unprepared, k = 0, for fl_r53_verdict_delay() to report. */
    for (int unhealthy = 0; unhealthy <= 1; unhealthy++) {
      guint flip = fl_r53_checkers_to_flip(x->dns->checkers, x->dns->healthy_above, unhealthy);
      if (flip >= 1)
        fl_order_stat_prepare(unhealthy ? &x->verdict_unhealthy_os : &x->verdict_healthy_os,
                              flip, x->dns->checkers);
    }
  }
  x->one_hot_answers = x->dns != NULL && x->dns->policy == FL_DNS_FAILOVER;
  x->cell_settles_alone = !x->spec->eip && (x->dns != NULL || x->primary < 0);
  x->tracks_backlog = x->spec->replication == FL_REPLICATION_ASYNC && m->n_links > 0;
  x->truth_hooks = x->tracks_backlog || uses_api(x);
  x->target_slot0 = NO_SLOT;
  if (x->lb || x->spec->eip)
    for (guint32 i = 0; i < x->n_inst; i++) {
      guint32 slot = add_slot(fe, slots, SLOT_TARGET, f, x->inst0 + i);
      FeSlot *sl = &g_array_index(slots, FeSlot, slot);
      sl->sz = m->inst_sz[x->inst0 + i];
      sl->sr = m->sz_sr[sl->sz];
      sl->k = (guint8)(sl->sr - x->sr0);
      if (i == 0)
        x->target_slot0 = slot;
    }
  x->verdict_slot0 = fe->n_slots;
  for (guint32 k = 0; k < x->n; k++)
    add_slot(fe, slots, SLOT_VERDICT, f, k);
  x->ready_slot0 = fe->n_slots;
  for (guint32 k = 0; k < x->n; k++)
    add_slot(fe, slots, SLOT_READY, f, k);
  x->api_slot = add_slot(fe, slots, SLOT_API, f, 0);
  x->eip_slot = add_slot(fe, slots, SLOT_EIP, f, 0);
}

static double initial_readiness(const FeService *x, guint32 k);

/* Fills the cells' capacity rows (FeCell.cap_r0, cap_full) from one block. */
static void
build_cap_table(const FlModel *m, FlFrontend *fe)
{
  gsize n = 0;
  for (guint32 sr = 0; sr < m->n_sr; sr++)
    if (fe->sr_fs[sr] != NO_SLOT)
      n += 2 * ((gsize)MAX(m->sr_capacity[sr], m->sr_zones_total[sr]) + 1);
  double *row = fe->cap_table = g_new(double, MAX((gsize)1, n));
  for (guint32 sr = 0; sr < m->n_sr; sr++) {
    if (fe->sr_fs[sr] == NO_SLOT)
      continue;
    FeCell *c = &fe->cell[sr];
    const FeService *x = &fe->fs[fe->sr_fs[sr]];
    guint32 most = MAX(m->sr_capacity[sr], m->sr_zones_total[sr]);
    c->r0 = initial_readiness(x, sr - x->sr0);
    c->cap_r0 = row;
    c->cap_full = row + most + 1;
    for (guint32 u = 0; u <= most; u++) {
      double units = u; /* as cell_value_of() computes it, operand for operand */
      row[u] = c->r0 * units / c->needs;
      row[most + 1 + u] = 1.0 * units / c->needs;
    }
    row += 2 * ((gsize)most + 1);
  }
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
  GArray *slots = g_array_new(FALSE, FALSE, sizeof(FeSlot));
  guint32 f = 0;
  for (guint32 s = 0; s < m->n_services; s++) {
    fe->service_fs[s] = NO_SLOT;
    if (fl_service_has_mechanics(fl_scenario_service(m->sc, s))) {
      fe->service_fs[s] = f;
      build_service(m, fe, f++, s, slots);
    }
  }
  fe->slot = (FeSlot *)g_array_free(slots, FALSE);
  fe->sr_fs = g_new(guint32, MAX(1u, m->n_sr));
  fe->sr_bit = g_new0(guint32, MAX(1u, m->n_sr));
  fe->cell = g_new0(FeCell, MAX(1u, m->n_sr));
  for (guint32 sr = 0; sr < m->n_sr; sr++) {
    fe->sr_fs[sr] = fe->service_fs[m->sr_service[sr]];
    if (fe->sr_fs[sr] == NO_SLOT)
      continue;
    const FeService *x = &fe->fs[fe->sr_fs[sr]];
    FeCell *c = &fe->cell[sr];
    fe->sr_bit[sr] = 1u << (sr - x->sr0);
    c->region_id = m->sr_region[sr];
    c->endpoint_id = m->sr_lb[sr] != NO_COMPONENT ? m->sr_lb[sr] : c->region_id;
    c->needs = m->sr_needs[sr];
    c->capacity = m->sr_capacity[sr];
    c->kind = x->spec->eip ? CELL_EIP
              : x->lb     ? (x->lb->cross_zone ? CELL_LB_CROSS_ZONE : CELL_LB_ZONAL)
                          : CELL_PLAIN;
    c->needs_zones = m->sr_needs_zones[sr];
  }
  build_cap_table(m, fe);
  for (guint32 i = 0; i < n_fs; i++)
    fe->fs[i].cell = fe->cell + fe->fs[i].sr0;
  fe->zone_cell = g_new0(FeZoneCell, MAX(1u, m->n_sz));
  for (guint32 c = 0; c < m->n_sz; c++) {
    FeZoneCell *zc = &fe->zone_cell[c];
    zc->sz = m->zone_sz[c];
    zc->sr = m->sz_sr[zc->sz];
    zc->f = fe->sr_fs[zc->sr];
    if (zc->f == NO_SLOT)
      continue;
    const FeService *x = &fe->fs[zc->f];
    zc->k = zc->sr - x->sr0;
    if (x->target_slot0 != NO_SLOT) {
      zc->n_inst = x->spec->instances_per_zone;
      zc->i0 = x->inst0 + (zc->sz - x->sz0[0]) * zc->n_inst;
    }
  }
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
  g_free(fe->slot);
  g_free(fe->zone_cell);
  g_free(fe->sr_fs);
  g_free(fe->sr_bit);
  g_free(fe->cell);
  g_free(fe->cap_table);
  g_free(fe);
}

FlFrontendState *
fl_frontend_state_new(const FlModel *m)
{
  const FlFrontend *fe = m->frontend;
  FlFrontendState *st = g_new0(FlFrontendState, 1);
  st->n_fs = fe->n_fs;
  st->fs = g_malloc0(FL_BLOCK_SIZE(sizeof(FeSvcState) * fe->n_fs));
  st->backlog = g_new0(FeBacklog, MAX(1u, fe->n_fs));
  st->fs_snap = g_malloc0(FL_BLOCK_SIZE(sizeof(FeSvcState) * fe->n_fs));
  guint32 nsr = MAX(1u, m->n_sr), ni = MAX(1u, m->n_instances), nsz = MAX(1u, m->n_sz);
  /* Lay the arena out (doubles first, then 32-bit counts, then bytes), then point into it. */
  gsize off = 0;
  g_autofree gsize *o_answer = g_new(gsize, MAX(1u, fe->n_fs));
  g_autofree gsize *o_stop = g_new(gsize, MAX(1u, fe->n_fs));
  gsize o_cell = fl_carve(&off, nsr * (sizeof(FeCellState) / 8), 8);
  gsize o_image_at = fl_carve(&off, nsr, 8);
  for (guint32 f = 0; f < fe->n_fs; f++) {
    o_answer[f] = fl_carve(&off, fe->fs[f].n, 8);
    o_stop[f] = fe->fs[f].tracks_backlog ? fl_carve(&off, fe->fs[f].n * (1 + fe->fs[f].n), 8) : 0;
  }
  gsize o_z_live = fl_carve(&off, nsz, 4), o_z_routed = fl_carve(&off, nsz, 4);
  gsize o_z_routed_live = fl_carve(&off, nsz, 4);
  gsize o_believed = fl_carve(&off, ni, 1), o_live = fl_carve(&off, ni, 1);
  st->arena_size = off;
  char *a = st->arena = g_malloc0(FL_BLOCK_SIZE(off));
  st->cell = (FeCellState *)(a + o_cell);
  st->image_at = (double *)(a + o_image_at);
  st->z_live = (guint32 *)(a + o_z_live);
  st->z_routed = (guint32 *)(a + o_z_routed);
  st->z_routed_live = (guint32 *)(a + o_z_routed_live);
  st->believed = (guint8 *)(a + o_believed);
  st->live = (guint8 *)(a + o_live);
  for (guint32 f = 0; f < fe->n_fs; f++) {
    const FeService *x = &fe->fs[f];
    const FlDnsSpec *d = x->dns;
    st->fs[f].clients = fl_clients_new(x->n, d ? d->ttl_s : 0.0, d ? d->stale_share : 0.0,
                                       d ? d->stale_for_s : 0.0);
    st->fs[f].answer = (double *)(a + o_answer[f]);
    if (x->tracks_backlog) {
      st->backlog[f].stopped_at = (double *)(a + o_stop[f]);
      st->backlog[f].link_since = st->backlog[f].stopped_at + x->n;
    }
  }
  return st;
}

void
fl_frontend_state_free(FlFrontendState *st)
{
  if (st == NULL)
    return;
  for (guint32 f = 0; f < st->n_fs; f++)
    fl_clients_free(st->fs[f].clients);
  g_free(st->fs);
  g_free(st->backlog);
  g_free(st->fs_snap);
  g_free(st->arena);
  g_free(st->snap);
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

/* What eval_cell computes of a cell: its success share, capacity, endpoint truth and
 * full-service flag. */
typedef struct {
  double q, cap;
  guint8 ok, full;
} CellValue;

/* Cell k's value from the current state, stored nowhere (a target check compares it with the
 * stored one first). @kind is the cell's FeCell.kind, passed so that a caller that knows it
 * gets code for that kind alone; without @want_full, v.full is left 0. O(1) (O(zones) without
 * cross-zone load balancing); inlined. */
static inline __attribute__((always_inline)) CellValue
cell_value_of(FlWorld *w, const FeService *x, guint32 k, guint8 kind, gboolean want_full)
{
  FlFrontendState *st = w->fe;
  guint32 sr = x->sr0 + k;
  const FeCell *c = &x->cell[k];
  gboolean reachable = st->cell[sr].reachable;
  double serving = 0.0, serving_zones = 0.0, q = 0.0;
  guint32 whole = 0, whole_zones = 0; /* serving and serving_zones as counts (not for EIPs) */
  if (reachable) {
    const CellCounts *cc = &st->cell[sr].cc;
    switch (kind) {
    case CELL_EIP: {
      guint32 h = x->inst0 + st->fs[x - w->m->frontend->fs].holder;
      serving = st->live[h] ? x->spec->needs : 0; /* the holder alone carries the demand */
      serving_zones = st->live[h] ? x->spec->needs : 0;
      q = st->live[h] ? 1.0 : 0.0;
      break;
    }
    case CELL_LB_CROSS_ZONE:
    case CELL_LB_ZONAL:
      if (cc->routed == 0) { /* every target believed unhealthy: the LB fails open */
        q = c->capacity ? (double)cc->live / c->capacity : 0.0;
        whole = cc->live;
        whole_zones = cc->zones_live;
      } else if (kind == CELL_LB_CROSS_ZONE) {
        /* n / n is exactly 1: skip the division in the usual case, every routed target live. */
        q = cc->routed_live == cc->routed ? 1.0 : (double)cc->routed_live / cc->routed;
        whole = cc->routed_live;
        whole_zones = cc->zones_routed;
      } else { /* each zone with a routed target takes an equal share */
        guint32 zones_with_routed = 0;
        double q_zone_sum = 0.0;
        for (guint32 z = x->sz0[k]; z < x->sz0[k] + w->m->sr_zones_total[sr]; z++)
          if (st->z_routed[z] > 0) {
            zones_with_routed++;
            q_zone_sum += (double)st->z_routed_live[z] / st->z_routed[z];
          }
        q = q_zone_sum / zones_with_routed;
        whole = cc->routed_live;
        whole_zones = cc->zones_routed;
      }
      break;
    default:
      whole = w->sr_inst[sr];
      whole_zones = w->sr_zones[sr];
      q = whole > 0 ? 1.0 : 0.0;
      break;
    }
    if (kind != CELL_EIP) {
      serving = whole;
      serving_zones = whole_zones;
    }
  }
  double units = c->needs_zones ? serving_zones : serving, readiness = st->cell[sr].readiness;
  CellValue v;
  v.q = q;
  /* readiness · units / needs; from the cell's rows at the two readinesses it takes (a
   * division's latency is much of a target check's time otherwise). */
  guint32 u = c->needs_zones ? whole_zones : whole;
  if (kind != CELL_EIP && readiness == c->r0)
    v.cap = c->cap_r0[u];
  else if (kind != CELL_EIP && readiness == 1.0)
    v.cap = c->cap_full[u];
  else
    v.cap = readiness * units / c->needs;
  v.ok = reachable && serving >= 1 && readiness > 0;
  /* Full: the region meets needs with live instances (and the EIP's holder is live). Whether
   * that serves the clients sent to it is settle_served()'s test, cap against its share: a
   * standby at 99% of a fleet twice the needs serves everyone, and one whose load balancer has
   * not yet readmitted recovered targets may not. */
  v.full = want_full && w->sr_up[sr] && (kind != CELL_EIP || q > 0);
  return v;
}

/* cell_value_of() for any cell: the whole value. */
static inline __attribute__((always_inline)) CellValue
cell_value(FlWorld *w, const FeService *x, guint32 k)
{
  return cell_value_of(w, x, k, x->cell[k].kind, TRUE);
}

/* Recomputes and stores cell k's value; inlined into settling, its only hot caller. */
static inline __attribute__((always_inline)) void
eval_cell(FlWorld *w, const FeService *x, guint32 k)
{
  FeCellState *cs = &w->fe->cell[x->sr0 + k];
  CellValue v = cell_value(w, x, k);
  cs->q = v.q;
  cs->cap = v.cap;
  cs->ok = v.ok;
  cs->full = v.full;
}

/* The truth of cell @k of service @x (ok) became @ok at @now. When it stops serving, notes the
 * time and the partitions then (FeBacklog). Out of line: only with async replication and
 * links, and only when a region stops serving or returns. */
static __attribute__((noinline)) void
note_stop(FlWorld *w, const FeService *x, guint32 k, guint8 ok, double now)
{
  FeBacklog *bl = &w->fe->backlog[x - w->m->frontend->fs];
  bl->stopped_at[k] = ok ? NAN : now;
  if (ok)
    return;
  for (guint32 j = 0; j < x->n; j++)
    bl->link_since[k * x->n + j] =
      j == k ? NAN : fl_world_link_down_since(w, w->m->sr_region[x->sr0 + k],
                                               w->m->sr_region[x->sr0 + j]);
}

static void api_wait_update(FlWorld *w, const FeService *x, FeSvcState *ss, double now);

/* Region @k of service @x (one with truth_hooks) started or stopped serving at @now: the
 * partition backlog's note, and a blocked API edit's cost. Out of line: rare. */
static __attribute__((noinline)) void
truth_changed(FlWorld *w, const FeService *x, guint32 k, double now)
{
  FlFrontendState *st = w->fe;
  if (x->tracks_backlog)
    note_stop(w, x, k, st->cell[x->sr0 + k].ok, now);
  FeSvcState *ss = &st->fs[x - w->m->frontend->fs];
  if (ss->api_state == API_WAIT_CP)
    api_wait_update(w, x, ss, now);
}

/* Arms or disarms cell k's Route 53 verdict timer so that it fires when the verdict catches up
 * with the truth. Records without a health check are always healthy. Called when the cell's
 * truth (ok) has just changed, so it also runs truth_changed(). */
static void
update_verdict_timer(FlWorld *w, const FeService *x, guint32 k, double now)
{
  FlFrontendState *st = w->fe;
  guint32 sr = x->sr0 + k, slot = w->m->frontend_slot_base + x->verdict_slot0 + k;
  const FlDnsSpec *d = x->dns;
  if (G_UNLIKELY(x->truth_hooks))
    truth_changed(w, x, k, now);
  if (d == NULL || !d->has_health_check) {
    st->cell[sr].verdict = 1;
    return;
  }
  if (st->cell[sr].verdict == st->cell[sr].ok) {
    fl_engine_disarm(w->engine, slot);
    return;
  }
  if (fl_engine_is_armed(w->engine, slot))
    return; /* already counting towards this verdict */
  /* fl_r53_verdict_delay()'s arithmetic with its per-service part (the checkers that must
   * flip, its argument checks) done once in build_service(): bitwise the same delay. */
  const FlOrderStat *os = st->cell[sr].ok ? &x->verdict_healthy_os : &x->verdict_unhealthy_os;
  double delay = G_LIKELY(os->k >= 1)
                   ? (x->verdict_checks + fl_order_stat_draw(os, &w->rng)) * d->hc_interval_s
                   : fl_r53_verdict_delay(&w->rng, d->hc_interval_s, d->failure_threshold,
                                          d->checkers, d->healthy_above, !st->cell[sr].ok);
  fl_engine_arm_short(w->engine, slot, now + delay);
}


/* The answer Route 53 gives now, from the verdicts (docs/multi-region.md, "Route 53"). */
static void
compute_answer(FlWorld *w, const FeService *x, FeSvcState *ss, double *a)
{
  FlFrontendState *st = w->fe;
  for (guint32 k = 0; k < x->n; k++) /* a loop, not memset: two or three regions */
    a[k] = 0.0;
  const FeCellState *c = st->cell + x->sr0;
  if (x->dns == NULL) { /* no DNS: ideal routing to the regions that truly serve */
    guint32 n_ok = 0;
    for (guint32 k = 0; k < x->n; k++)
      n_ok += st->cell[x->sr0 + k].ok;
    for (guint32 k = 0; k < x->n; k++)
      a[k] = n_ok ? (st->cell[x->sr0 + k].ok ? 1.0 / n_ok : 0.0) : 1.0 / x->n;
    return;
  }
  switch (x->dns->policy) {
  case FL_DNS_FAILOVER:
    if (uses_api(x))
      a[ss->record] = 1.0;
    else if (c[x->primary].verdict || !c[x->secondary].verdict)
      a[x->primary] = 1.0; /* both unhealthy: Route 53 answers the primary */
    else
      a[x->secondary] = 1.0;
    return;
  case FL_DNS_WEIGHTED: {
    double sum = 0.0, zero_healthy = 0.0;
    for (guint32 k = 0; k < x->n; k++) {
      sum += c[k].verdict ? x->weight[k] : 0.0;
      zero_healthy += c[k].verdict && x->weight[k] == 0.0 && x->has_record[k];
    }
    for (guint32 k = 0; k < x->n; k++) {
      if (sum > 0)
        a[k] = c[k].verdict ? x->weight[k] / sum : 0.0;
      else if (zero_healthy > 0) /* weight-0 records serve when every other is unhealthy */
        a[k] = c[k].verdict && x->has_record[k] ? 1.0 / zero_healthy : 0.0;
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
        if (c[x->near[h * x->n + j]].verdict && x->has_record[x->near[h * x->n + j]]) {
          target = x->near[h * x->n + j];
          break;
        }
      a[target] += x->home_share[h];
    }
    return;
  case FL_DNS_MULTIVALUE: {
    guint32 healthy = 0;
    for (guint32 k = 0; k < x->n; k++)
      healthy += c[k].verdict;
    for (guint32 k = 0; k < x->n; k++)
      a[k] = healthy ? (c[k].verdict ? 1.0 / healthy : 0.0) : 1.0 / x->n;
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
     * held back the writes the region took since the partition began, up to when it stopped
     * taking writes: when it stopped serving (it took none while down, so the detection
     * delay loses nothing more), or now if it still serves (docs/hazards.md). */
    double paused = 0.0;
    const FeBacklog *bl = &w->fe->backlog[x - w->m->frontend->fs];
    for (guint32 k = 0; k < x->n && x->tracks_backlog; k++)
      for (guint32 j = 0; j < x->n; j++) {
        if (!(old[k] > 0 && answer[k] == 0 && answer[j] > 0))
          continue;
        double stop = bl->stopped_at[k];
        double since = isnan(stop) ? fl_world_link_down_since(w, w->m->sr_region[x->sr0 + k],
                                                              w->m->sr_region[x->sr0 + j])
                                   : bl->link_since[k * x->n + j];
        if (!isnan(since))
          paused = MAX(paused, (isnan(stop) ? now : stop) - since);
      }
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
    if (st->cell[sr].dr_state == DR_RETURNING) { /* not back on standby yet: still serving */
      fl_engine_disarm(w->engine, slot);
      st->cell[sr].dr_state = DR_READY;
      continue;
    }
    if (st->cell[sr].dr_state != DR_STANDBY)
      continue;
    /* The image copy: started by the first recovery that needs it, and left to finish when
     * a recovery stands down before it is ready (an AMI copy, once started, runs to its end;
     * the region then keeps the image), so a later recovery waits only for what is left. */
    double copy = 0.0;
    if (sv->image >= 0 && st->image_at[sr] > now) {
      if (isinf(st->image_at[sr])) {
        const FlImageSpec *im = fl_scenario_image(w->m->sc, sv->image);
        copy = im->copy_time_s > 0 ? im->copy_time_s
                                   : im->size_gb / im->copy_rate_gb_per_h * FL_SECONDS_PER_HOUR;
        st->image_at[sr] = now + copy;
      } else {
        copy = st->image_at[sr] - now;
      }
    }
    double launch = sv->launch ? fl_dist_sample(sv->launch, &w->rng) : 300.0;
    double delay = 0.0;
    switch (sv->strategy) {
    case FL_STRATEGY_WARM_STANDBY: /* scaling up launches instances: from the image, copied
                                      first if the region lacks it (issue 3's example) */
      delay = copy + (sv->scale_up ? fl_dist_sample(sv->scale_up, &w->rng) : 0.0);
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
    st->cell[sr].dr_state = DR_PREPARING;
    fl_engine_arm(w->engine, slot, now + delay);
    if (w->timeline) {
      g_autofree char *what = g_strdup_printf("%s recovery starts", strategy_names[sv->strategy]);
      g_autofree char *detail = fl_format_duration(delay);
      g_autofree char *copying = fl_format_duration(copy);
      g_autofree char *d2 = copy > 0 ? g_strdup_printf("full capacity in %s, %s of it copying "
                                                       "the image", detail, copying)
                                     : g_strdup_printf("full capacity in %s", detail);
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

/* Timeline line for a recovery region that stands down before it was ready; out of line. */
static __attribute__((noinline)) void
emit_stand_down(FlWorld *w, const FeService *x, guint32 k, double now)
{
  double due = w->fe->image_at[x->sr0 + k];
  g_autofree char *clock = due > now && !isinf(due) ? fl_format_clock(due) : NULL;
  g_autofree char *detail = clock ? g_strdup_printf("the image copy runs on, due at %s", clock)
                                  : NULL;
  emit_fs(w, x, now, "region", region_name(w, x, k), "recovery stands down before it was ready",
          detail);
}

/* The primary is healthy and answered again: recovery regions go back to standby once the
 * clients that still use them have moved (the longer of TTL and the stale window). */
static void
end_recovery(FlWorld *w, const FeService *x, double now)
{
  FlFrontendState *st = w->fe;
  for (guint32 k = 0; k < x->n; k++) {
    guint32 sr = x->sr0 + k, slot = w->m->frontend_slot_base + x->ready_slot0 + k;
    if (!x->recovery[k] || st->cell[sr].dr_state == DR_STANDBY) /* the usual case: nothing */
      continue;
    if (st->cell[sr].dr_state == DR_PREPARING) {
      fl_engine_disarm(w->engine, slot);
      st->cell[sr].dr_state = DR_STANDBY;
      if (G_UNLIKELY(w->timeline != NULL))
        emit_stand_down(w, x, k, now);
    } else if (st->cell[sr].dr_state == DR_READY) {
      st->cell[sr].dr_state = DR_RETURNING;
      fl_engine_arm(w->engine, slot, now + client_drain_s(x));
    }
  }
}

/* API failover: decide what the record should answer, now. */
static gint
api_desired(FlWorld *w, const FeService *x)
{
  const FeCellState *c = w->fe->cell + x->sr0;
  return (c[x->primary].verdict || !c[x->secondary].verdict) ? x->primary : x->secondary;
}

/* Whether a waiting edit costs clients now: the record answers a region that is down, and the
 * edit would move it to one that serves. The wait costs no more than that: not a failback
 * (clients are on a region that serves), nor an edit no longer wanted, nor the time between a
 * primary's recovery and its healthy verdict. The record cannot change while the edit waits,
 * so this moves only with a verdict (what is wanted) or a region's truth (api_wait_update's
 * two callers). */
static gboolean
api_wait_costs(FlWorld *w, const FeService *x, const FeSvcState *ss)
{
  const FeCellState *c = w->fe->cell + x->sr0;
  gint want = api_desired(w, x);
  return want != ss->record && !c[ss->record].ok && c[want].ok;
}

/* Brings the cost of a waiting edit up to @now, after a verdict or a region's truth moved (or
 * as the wait starts). */
static void
api_wait_update(FlWorld *w, const FeService *x, FeSvcState *ss, double now)
{
  gboolean costs = api_wait_costs(w, x, ss);
  if (costs && isnan(ss->api_cost_since)) {
    ss->api_cost_since = now;
  } else if (!costs && !isnan(ss->api_cost_since)) {
    ss->api_cost_s += now - ss->api_cost_since;
    ss->api_cost_since = NAN;
  }
}

/* The wait of a blocked edit ends at @now (the control plane is back, or the horizon): it is
 * tallied with what it cost. */
static void
api_wait_end(FlWorld *w, const FeService *x, FeSvcState *ss, double now)
{
  if (!isnan(ss->api_cost_since))
    ss->api_cost_s += now - ss->api_cost_since;
  ss->api_cost_since = NAN;
  fl_tally_blocked(w->tally, x->service, ss->api_cost_s);
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

/* Instances @i0 .. @i0 + @n - 1 of service @x, all in sz cell @sz (counts @cc of its region's
 * cell), may have changed liveness: each is live when @zone_up and not itself held. For each
 * that changed: the counts, and the LB's target check that will notice (or, if the LB already
 * believes it, none). Inlined into the zone loop; the arrays are read into locals once, as a
 * byte store would otherwise make the compiler reload them for every instance. */
static inline __attribute__((always_inline)) void
targets_changed(FlWorld *w, const FeService *x, guint32 i0, guint32 n, guint32 sz,
                CellCounts *cc, gboolean zone_up, double now)
{
  FlFrontendState *st = w->fe;
  const FlModel *m = w->m;
  const guint16 *inst_holds = w->holds + m->n_regions + m->n_zones;
  guint8 *live_of = st->live, *believed_of = st->believed;
  guint32 *z_live = &st->z_live[sz], *z_routed_live = &st->z_routed_live[sz];
  guint32 slot0 = m->frontend_slot_base + x->target_slot0 - x->inst0; /* + instance = slot */
  for (guint32 inst = i0; inst < i0 + n; inst++) {
    gboolean live = zone_up && inst_holds[inst] == 0;
    if (live_of[inst] == live)
      continue;
    guint32 step = live ? 1u : (guint32)-1;
    live_of[inst] = live;
    *z_live += step;
    cc->live += step;
    cc->zones_live += *z_live == (live ? 1u : 0u) ? step : 0u;
    if (believed_of[inst]) {
      *z_routed_live += step;
      cc->routed_live += step;
      cc->zones_routed += *z_routed_live == (live ? 1u : 0u) ? step : 0u;
    }
    if (believed_of[inst] == live) {
      fl_engine_disarm(w->engine, slot0 + inst);
      continue;
    }
    /* fl_lb_target_delay()'s arithmetic, without its argument checks (the parser bounds the
     * interval and thresholds): bitwise the same delay. */
    double checks = live ? x->target_up_checks : x->target_down_checks;
    fl_engine_arm_short(w->engine, slot0 + inst,
                  now + (checks + fl_rng_uniform(&w->rng)) * x->target_interval_s);
  }
}

/* Timeline line for a target check; out of line, off the hot path. */
static __attribute__((noinline)) void
emit_target(FlWorld *w, const FeService *x, guint32 inst, gboolean live, double now)
{
  g_autofree char *who = g_strdup_printf("%u in %s", inst,
                                         fl_scenario_zone(w->m->sc,
                                                          w->m->sz_zone[w->m->inst_sz[inst]])->name);
  /* Without a load balancer the check is the Elastic IP's monitor (eip_check). */
  emit_fs(w, x, now, "target", who, live ? "healthy" : "unhealthy",
          x->lb ? (live ? "the load balancer sends it traffic again"
                        : "the load balancer stops sending it traffic")
                : (live ? "the Elastic IP monitor sees it up again"
                        : "the Elastic IP monitor sees it down"));
}

/* LB target check @sl (of an instance of service @x): the LB now believes what is true. */
static inline void
target_verdict(FlWorld *w, const FeService *x, const FeSlot *sl, double now)
{
  FlFrontendState *st = w->fe;
  guint32 inst = sl->arg, sz = sl->sz, sr = sl->sr;
  gboolean live = st->live[inst];
  CellCounts *cc = &st->cell[sr].cc;
  st->believed[inst] = live;
  st->z_routed[sz] += live ? 1 : -1;
  cc->routed += live ? 1 : -1;
  if (live) {
    cc->routed_live++;
    if (++st->z_routed_live[sz] == 1)
      cc->zones_routed++;
  }
  if (G_UNLIKELY(w->timeline != NULL))
    emit_target(w, x, inst, live, now);
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
  /* The holder is dead. The monitor that notices is the holder's target check (the load
   * balancer's, or one with the ALB defaults): until its verdict, wait; from it, the address
   * moves in eip-remap. One check, so the timeline's "unhealthy" and the remap agree. */
  if (st->believed[x->inst0 + ss->holder])
    return;
  if (!ss->eip_waiting)
    fl_engine_arm(w->engine, slot, now + x->spec->eip_remap_s);
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
  /* A failover inside the region (issue 3): counted as one, with its RTO when the service is
   * fully served again; no data figure (the instances share the region's storage). */
  fl_tally_failover(w->tally, x->service, NAN);
  if (!ss->real_up)
    ss->failover_in_outage = 1;
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
  const FlFrontend *fe = w->m->frontend;
  guint32 f = fe->sr_fs[sr];
  if (f == NO_SLOT)
    return;
  w->fe->fs[f].cell_mask |= fe->sr_bit[sr];
  w->fe->fs[f].dirty = 1;
  w->fe_unsettled = 1;
}

/* The region or load balancer of cell @sr went down or came back: its reachability, then
 * mark_cell(). */
static void
reach_cell(FlWorld *w, guint32 sr)
{
  const FlFrontend *fe = w->m->frontend;
  if (fe->sr_fs[sr] == NO_SLOT)
    return;
  const FeCell *c = &fe->cell[sr];
  w->fe->cell[sr].reachable = (w->holds[c->region_id] | w->holds[c->endpoint_id]) == 0;
  mark_cell(w, sr);
}

/* ---- the interface model.c calls ---- */

/* Computes the state at the start of a replication from scratch: every instance live and
 * believed healthy, every cell evaluated, the answer and the clients on it. Reads only the
 * model's freshly reset world (nothing is down), never the stream. */
static void
reset_full(FlWorld *w)
{
  const FlModel *m = w->m;
  FlFrontend *fe = frontend(w);
  FlFrontendState *st = w->fe;
  memset(st->z_live, 0, sizeof(guint32) * m->n_sz);
  memset(st->z_routed, 0, sizeof(guint32) * m->n_sz);
  memset(st->z_routed_live, 0, sizeof(guint32) * m->n_sz);
  for (guint32 sr = 0; sr < m->n_sr; sr++)
    memset(&st->cell[sr].cc, 0, sizeof(CellCounts));
  for (guint32 f = 0; f < fe->n_fs; f++) {
    const FeService *x = &fe->fs[f];
    FeSvcState *ss = &st->fs[f];
    for (guint32 i = x->inst0; i < x->inst0 + x->n_inst; i++) {
      guint32 sz = m->inst_sz[i];
      CellCounts *cc = &st->cell[m->sz_sr[sz]].cc;
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
      st->cell[sr].reachable = (w->holds[x->cell[k].region_id] | w->holds[x->cell[k].endpoint_id])
                               == 0;
      st->cell[sr].readiness = initial_readiness(x, k);
      st->cell[sr].dr_state = DR_STANDBY;
      st->image_at[sr] = x->spec->image < 0
                             || fl_scenario_image(m->sc, x->spec->image)->present[x->spec->regions[k]]
                           ? 0.0 : INFINITY;
      eval_cell(w, x, k);
      st->cell[sr].verdict = st->cell[sr].ok || x->dns == NULL || !x->dns->has_health_check;
      if (x->tracks_backlog) { /* no link is down at the start */
        st->backlog[f].stopped_at[k] = st->cell[sr].ok ? NAN : 0.0;
        for (guint32 j = 0; j < x->n; j++)
          st->backlog[f].link_since[k * x->n + j] = NAN;
      }
    }
    ss->last_t = 0.0;
    ss->dirty = 0;
    ss->cell_mask = 0;
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
      if (ss->answer[k] > 0 && (st->cell[x->sr0 + k].q < 1.0 || st->cell[x->sr0 + k].cap < ss->answer[k]))
        ss->serving_all = 0;
    ss->real_up = 1;
    for (guint32 k = 0; k < x->n; k++)
      if (ss->answer[k] > 0
          && !(st->cell[x->sr0 + k].full && st->cell[x->sr0 + k].cap >= ss->answer[k]))
        ss->real_up = 0;
    ss->real_down_since = 0.0;
    ss->failover_in_outage = 0;
  }
}

void
fl_frontend_reset(FlWorld *w)
{
  FlFrontendState *st = w->fe;
  w->fe_idle = 0; /* the first event advances, and finds out */
  /* The start of every replication is the same state (reset_full reads no random numbers and
   * only the model's reset world), so it is computed once per world and copied after that: a
   * few hundred bytes instead of a walk over every instance and cell. */
  if (G_UNLIKELY(st->snap == NULL)) {
    reset_full(w);
    st->snap = g_memdup2(st->arena, FL_BLOCK_SIZE(st->arena_size));
    memcpy(st->fs_snap, st->fs, sizeof(FeSvcState) * st->n_fs);
    return;
  }
  fl_copy_block(st->arena, st->snap, st->arena_size);
  /* Clients that never moved are still as reset left them: with no change in their history
   * they were never asked to forget either. (The answers are the start's again.) */
  for (guint32 f = 0; f < st->n_fs; f++)
    if (st->fs[f].clients_moved)
      fl_clients_reset(st->fs[f].clients, st->fs[f].answer);
  fl_copy_block(st->fs, st->fs_snap, sizeof(FeSvcState) * st->n_fs);
}

/* Whether each of the @n cells from @c succeeds with every request (q >= 1) and could take all
 * of the service's demand (cap >= 1). */
static inline gboolean
takes_every_request(const FeCellState *c, guint32 n)
{
  for (guint32 k = 0; k < n; k++)
    if (!(c[k].q >= 1.0 && c[k].cap >= 1.0))
      return FALSE;
  return TRUE;
}

/* Integrates service @x's requests from its last_t to @now while clients are moving (a DNS
 * answer changed less than the longest refresh window ago): out of line, a few times a
 * replication at most, so that advance_from() keeps a small frame. */
static __attribute__((noinline)) void
integrate_moving(FlWorld *w, const FeService *x, FeSvcState *ss, double now)
{
  const FeCellState *c = w->fe->cell + x->sr0;
  double len = now - ss->last_t, served;
  if (x->one_hot_answers && takes_every_request(c, x->n)) {
    /* Every region of the service succeeds with every request it gets (q = 1) and could take
     * all of them (cap >= 1): the integral is that of the shares, which sum to 1 as each
     * answer does exactly (one region at 1.0, failover policy), so fl_clients_served() would
     * return len to rounding, a few ulps, and nothing would be counted lost (the threshold
     * below is 1e-9 of len). Skipped, as it costs a thousand instructions; the history is
     * forgotten as after it, so clients keep the same state. */
    fl_clients_forget(ss->clients, now);
    ss->last_t = now;
    return;
  }
  double q[FL_CLIENTS_MAX_REGIONS], cap[FL_CLIENTS_MAX_REGIONS]; /* as fl_clients_served takes them */
  for (guint32 k = 0; k < x->n; k++) {
    q[k] = c[k].q;
    cap[k] = c[k].cap;
  }
  served = fl_clients_served(ss->clients, ss->last_t, now, q, cap);
  fl_clients_forget(ss->clients, now);
  double lost = len - served;
  if (lost > 1e-9 * len)
    fl_tally_unserved(w->tally, x->service, lost);
  ss->last_t = now;
}

/* fl_frontend_advance() from service @f on, once one needs integrating. With clients settled
 * on an answer (requests lost while a load balancer has not yet noticed dead targets, say)
 * the shares are constant, and the integral is fl_clients_served()'s own sum, written out
 * here because the call and its checks cost more than the sum; nothing is stored, so there
 * is nothing to forget. Moving clients: integrate_moving(). */
static __attribute__((noinline)) void
advance_from(FlWorld *w, guint32 f, double now)
{
  FlFrontendState *st = w->fe;
  for (; f < st->n_fs; f++) {
    FeSvcState *ss = &st->fs[f];
    if (now <= ss->last_t)
      continue;
    if (ss->serving_all && ss->last_t >= ss->drained_at) {
      ss->last_t = now;
      continue;
    }
    const FeService *x = &frontend(w)->fs[f];
    const double *share = fl_clients_settled_shares(ss->clients);
    if (G_UNLIKELY(share == NULL)) {
      integrate_moving(w, x, ss, now);
      continue;
    }
    const FeCellState *c = st->cell + x->sr0;
    double len = now - ss->last_t, served = 0.0;
    for (guint32 k = 0; k < x->n; k++) {
      double y = share[k] * c[k].q;
      served += (y <= c[k].cap ? y : c[k].cap) * len;
    }
    double lost = len - served;
    if (lost > 1e-9 * len)
      fl_tally_unserved(w->tally, x->service, lost);
    ss->last_t = now;
  }
}

static inline __attribute__((always_inline)) void
advance(FlWorld *w, double now)
{
  FlFrontendState *st = w->fe;
  /* Fast path, the usual case: clients settled on an answer whose regions serve all of their
   * requests, so nothing is lost and there is nothing to integrate. A leaf loop; the first
   * service that needs more hands the rest to advance_from(). */
  guint8 idle = 1;
  w->fe_idle = 0;
  for (guint32 f = 0; f < st->n_fs; f++) {
    FeSvcState *ss = &st->fs[f];
    gboolean fast = ss->serving_all && ss->last_t >= ss->drained_at;
    if (now <= ss->last_t) {
      idle &= fast;
      continue;
    }
    if (G_UNLIKELY(!fast)) {
      advance_from(w, f, now);
      return;
    }
    ss->last_t = now;
  }
  w->fe_idle = idle; /* every service on the fast path: the next group event need not call */
}

/* A service is about to leave advancing's fast path at @now (not every request served, or
 * clients moving). If the model skipped advancing at this event (fe_idle), advance now: every
 * service is still on the fast path, so this only moves their clocks to @now, as the skipped
 * call would have, and the integral then starts here. Call before the change is stored. */
static inline __attribute__((always_inline)) void
wake(FlWorld *w, double now)
{
  if (G_UNLIKELY(w->fe_idle)) {
    advance(w, now);
    w->fe_idle = 0;
  }
}

void
fl_frontend_advance(FlWorld *w, double now)
{
  advance(w, now);
}

static inline __attribute__((always_inline)) gboolean cell_settle(FlWorld *w, const FeService *x,
                                                                 FeSvcState *ss, guint32 k,
                                                                 double now, gboolean want_full);

static __attribute__((noinline)) void component_other(FlWorld *w, guint32 id, gboolean down,
                                                      double now);

void
fl_frontend_component(FlWorld *w, guint32 id, gboolean down, gboolean alone, double now)
{
  const FlModel *m = w->m;
  FlFrontend *fe = frontend(w);
  FlFrontendState *st = w->fe;
  if (id - m->n_regions < m->n_zones) { /* zone events first: the usual ones */
    guint32 z = id - m->n_regions;
    gboolean zone_up = w->holds[id] == 0;
    for (guint32 c = m->zone_sz_start[z]; c < m->zone_sz_start[z + 1]; c++) {
      const FeZoneCell *zc = &fe->zone_cell[c];
      if (zc->f == NO_SLOT)
        continue;
      FeSvcState *ss = &st->fs[zc->f];
      ss->cell_mask |= 1u << zc->k;
      ss->dirty = 1;
      const FeService *x = &fe->fs[zc->f];
      if (zc->n_inst > 0)
        targets_changed(w, x, zc->i0, zc->n_inst, zc->sz, &st->cell[zc->sr].cc, zone_up, now);
      /* Settled here when nothing else changes in this event (@alone) and it can be: a zone
       * moves only its cells' counts and the model's view of them. Once one service is left
       * to fl_frontend_settle(), so are the rest, which keeps settling in service order. */
      alone = alone && x->cell_settles_alone && cell_settle(w, x, ss, zc->k, now, TRUE);
    }
    w->fe_unsettled |= !alone; /* settled in place, every one: nothing for settling to do */
    return;
  }
  component_other(w, id, down, now);
}

/* fl_frontend_component() for anything but a zone: out of line, so that the zone path, the
 * usual one, keeps its registers. */
static __attribute__((noinline)) void
component_other(FlWorld *w, guint32 id, gboolean down, double now)
{
  const FlModel *m = w->m;
  FlFrontend *fe = frontend(w);
  FlFrontendState *st = w->fe;
  if (id == m->control_plane_id) {
    for (guint32 f = 0; f < fe->n_fs; f++) {
      FeSvcState *ss = &st->fs[f];
      if (!down && ss->api_state == API_WAIT_CP) {
        api_wait_end(w, &fe->fs[f], ss, now);
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
      reach_cell(w, m->region_sr[k]);
    return;
  }
  if (id >= m->lb_base) {
    reach_cell(w, m->lb_sr[id - m->lb_base]);
    return;
  }
  guint32 inst = id - m->n_regions - m->n_zones;
  guint32 f = fe->service_fs[m->sr_service[m->sz_sr[m->inst_sz[inst]]]];
  if (f == NO_SLOT)
    return;
  guint32 sz = m->inst_sz[inst];
  mark_cell(w, m->sz_sr[sz]);
  if (fe->fs[f].target_slot0 != NO_SLOT)
    targets_changed(w, &fe->fs[f], inst, 1, sz, &st->cell[m->sz_sr[sz]].cc,
                    w->holds[m->n_regions + m->sz_zone[sz]] == 0, now);
}

static inline __attribute__((always_inline)) void settle_service(FlWorld *w, const FeService *x,
                                                                 FeSvcState *ss, double now);
static __attribute__((noinline)) void settle_one(FlWorld *w, const FeService *x, FeSvcState *ss,
                                                 double now);
static __attribute__((noinline)) void fire_mechanics(FlWorld *w, const FeService *x,
                                                     FeSvcState *ss, guint8 kind, guint32 arg,
                                                     double now);

void
fl_frontend_fire(FlWorld *w, guint32 slot, double now)
{
  if (!w->fe_idle) /* else advancing would only move the services' clocks (see wake()) */
    advance(w, now);
  FlFrontend *fe = frontend(w);
  const FeSlot *sl = &fe->slot[slot];
  const FeService *x = &fe->fs[sl->f];
  FeSvcState *ss = &w->fe->fs[sl->f];
  /* Target checks are most of the mechanics' timers (four per zone outage): kept inline. */
  if (G_LIKELY(sl->kind == SLOT_TARGET)) {
    target_verdict(w, x, sl, now);
    ss->cell_mask |= 1u << sl->k;
    if (G_LIKELY(x->cell_settles_alone) && cell_settle(w, x, ss, sl->k, now, FALSE))
      return;
  } else {
    fire_mechanics(w, x, ss, sl->kind, sl->arg, now);
  }
  /* A frontend timer touches its own service only, so settling is that service's. */
  settle_one(w, x, ss, now);
}

/* settle_service() out of line, for fl_frontend_fire(): so that a target check settled in
 * place does not pay for its frame. */
static __attribute__((noinline)) void
settle_one(FlWorld *w, const FeService *x, FeSvcState *ss, double now)
{
  settle_service(w, x, ss, now);
}

/* The timers of fl_frontend_fire() other than target checks: Route 53 verdicts, DR readiness,
 * API edits and EIP remaps. Out of line, so that a target check does not pay for its frame. */
static __attribute__((noinline)) void
fire_mechanics(FlWorld *w, const FeService *x, FeSvcState *ss, guint8 kind, guint32 arg,
               double now)
{
  FlFrontendState *st = w->fe;
  switch (kind) {
  case SLOT_VERDICT: {
    guint32 sr = x->sr0 + arg;
    st->cell[sr].verdict = st->cell[sr].ok;
    ss->answer_dirty = 1;
    if (ss->api_state == API_WAIT_CP)
      api_wait_update(w, x, ss, now);
    if (w->timeline) {
      g_autofree char *what = st->cell[sr].ok
        ? g_strdup_printf("health check passed %u/%u -> %s healthy", x->dns->failure_threshold,
                          x->dns->failure_threshold, region_name(w, x, arg))
        : g_strdup_printf("health check failed %u/%u -> %s unhealthy", x->dns->failure_threshold,
                          x->dns->failure_threshold, region_name(w, x, arg));
      emit_fs(w, x, now, "dns", x->dns->name, what, NULL);
    }
    if ((gint)arg == x->primary && !st->cell[sr].ok) {
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
    if (st->cell[sr].dr_state == DR_PREPARING) {
      st->cell[sr].dr_state = DR_READY;
      st->cell[sr].readiness = 1.0;
      ss->cell_mask |= 1u << arg;
      st->image_at[sr] = MIN(st->image_at[sr], now); /* here, to the rounding of its end */
      emit_fs(w, x, now, "region", region_name(w, x, arg), "recovery region at full capacity",
              strategy_names[x->spec->strategy]);
    } else if (st->cell[sr].dr_state == DR_RETURNING) {
      st->cell[sr].dr_state = DR_STANDBY;
      st->cell[sr].readiness = initial_readiness(x, arg);
      ss->cell_mask |= 1u << arg;
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
        ss->api_cost_s = 0.0;
        ss->api_cost_since = NAN;
        api_wait_update(w, x, ss, now);
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

/* Timeline line for a new DNS answer; after a failover that loses data, what it loses (a
 * partition's backlog shows here: docs/hazards.md). Out of line, off the hot path. */
static __attribute__((noinline)) void
emit_answer(FlWorld *w, const FeService *x, const FeSvcState *ss, double now, double rpo)
{
  g_autoptr(GString) to = g_string_new(NULL);
  for (guint32 k = 0; k < x->n; k++)
    if (ss->answer[k] > 0)
      g_string_append_printf(to, "%s%s", to->len ? ", " : "", region_name(w, x, k));
  g_autofree char *what = g_strdup_printf("DNS answers %s", to->str);
  g_autofree char *lost = NULL;
  if (!isnan(rpo)) {
    g_autofree char *span = fl_format_duration(rpo);
    lost = x->spec->writes_per_second > 0
             ? g_strdup_printf("failover: the last %s of writes are lost, %.0f writes", span,
                               rpo * x->spec->writes_per_second)
             : g_strdup_printf("failover: the last %s of writes are lost", span);
  }
  emit_fs(w, x, now, "dns", x->dns ? x->dns->name : x->spec->name, what, lost);
}

/* The answer part of settling service @x: recomputes the DNS answer and, if it changed, moves
 * the clients onto it and counts a failover; stands recovery regions down when the primary is
 * answered and healthy. Returns whether the change was a failover. */
static __attribute__((noinline)) gboolean
settle_answer(FlWorld *w, const FeService *x, FeSvcState *ss, double now)
{
  FlFrontendState *st = w->fe;
  compute_answer(w, x, ss, ss->answer);
  const double *old = fl_clients_answer(ss->clients);
  gboolean changed = FALSE, failover = FALSE;
  for (guint32 k = 0; k < x->n; k++) {
    changed |= fabs(old[k] - ss->answer[k]) > 1e-12;
    /* A failover moves clients off a region the health checks (or, without DNS, the truth)
     * say is down; a failback onto a healthy primary is not one. */
    failover |= old[k] > 0 && ss->answer[k] == 0
                && !(x->dns ? st->cell[x->sr0 + k].verdict : st->cell[x->sr0 + k].ok);
  }
  /* On the primary with the primary healthy: recovery regions stand down, whether the answer
   * just moved back (failback) or never left it (the primary was declared healthy again
   * before a recovery region was ready to take the clients). A no-op on standby. */
  if (x->primary >= 0 && ss->answer[x->primary] == 1.0 && st->cell[x->sr0 + x->primary].verdict)
    end_recovery(w, x, now);
  if (changed) {
    double rpo = NAN;
    if (failover) {
      rpo = failover_rpo(w, x, old, ss->answer, now);
      fl_tally_failover(w->tally, x->service, rpo);
      if (!ss->real_up)
        ss->failover_in_outage = 1;
    }
    fl_clients_set_answer(ss->clients, now, ss->answer);
    if (w->timeline) /* after the change, so that its line shows the new answer in force */
      emit_answer(w, x, ss, now, rpo);
    ss->clients_moved = 1;
    wake(w, now);
    ss->drained_at = now + client_drain_s(x);
  }
  return failover;
}

/* Whether a settled client population of service @x would lose nothing now (advance's fast
 * path), and the real, time-based state: a client resolving now is fully served. @failover:
 * the answer just failed over (settle_answer()). */
static __attribute__((noinline)) void real_up_changed(FlWorld *w, const FeService *x,
                                                      FeSvcState *ss, double now,
                                                      gboolean failover, guint8 up);

static inline __attribute__((always_inline)) void
settle_served(FlWorld *w, const FeService *x, FeSvcState *ss, double now, gboolean failover)
{
  const FeCellState *c = w->fe->cell + x->sr0;
  guint8 serving_all = 1, up = 1;
  for (guint32 k = 0; k < x->n; k++)
    if (ss->answer[k] > 0) {
      serving_all &= !(c[k].q < 1.0 || c[k].cap < ss->answer[k]);
      up &= c[k].full & (c[k].cap >= ss->answer[k]);
    }
  if (!serving_all)
    wake(w, now);
  ss->serving_all = serving_all;
  if (G_LIKELY(up == ss->real_up))
    return;
  real_up_changed(w, x, ss, now, failover, up);
}

/* The real state of service @x turned @up (or down): its outage accounting. Out of line: a few
 * times per replication at most. */
static __attribute__((noinline)) void
real_up_changed(FlWorld *w, const FeService *x, FeSvcState *ss, double now, gboolean failover,
                guint8 up)
{
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

/* Settles service @x (state @ss) when the event changed only cell @k's counts, and that is all
 * settling would do: returns TRUE, with the service settled; returns FALSE, having changed
 * nothing, when settle_service() must run. The cell's reachability and readiness did not move
 * (no region, load balancer or DR timer changed), so of its value only q, cap, ok and full
 * may change; when ok stays, settle_service() would re-evaluate this one cell, leave the
 * verdict timer and the answer alone (drawing no random number and arming no timer), and run
 * settle_served() when q, cap or full of an answered region moved: exactly what this does,
 * without the walk over dirty cells. Only for services whose settling has no other part
 * (FeService.cell_settles_alone: no EIP to check, no recovery that follows the truth), and
 * only while @k is the one dirty cell and the answer is clean. A target check cannot move
 * full (without EIP it reads neither counts nor q): it passes @want_full FALSE, and full is
 * neither computed nor stored. */
static inline __attribute__((always_inline)) gboolean
cell_settle(FlWorld *w, const FeService *x, FeSvcState *ss, guint32 k, double now,
            gboolean want_full)
{
  if (ss->answer_dirty || ss->cell_mask != 1u << k)
    return FALSE;
  FeCellState *cs = &w->fe->cell[x->sr0 + k];
  /* Cross-zone load balancing is the usual kind: code of its own. */
  guint8 kind = x->cell[k].kind;
  CellValue v = kind == CELL_LB_CROSS_ZONE
                  ? cell_value_of(w, x, k, CELL_LB_CROSS_ZONE, want_full)
                  : cell_value_of(w, x, k, kind, want_full);
  if (v.ok != cs->ok)
    return FALSE;
  gboolean moved = v.q != cs->q || v.cap != cs->cap || (want_full && v.full != cs->full);
  cs->q = v.q;
  cs->cap = v.cap;
  if (want_full)
    cs->full = v.full;
  ss->cell_mask = 0;
  ss->dirty = 0;
  if (moved && ss->answer[k] > 0)
    settle_served(w, x, ss, now, FALSE);
  return TRUE;
}

/* Settles service @x (state @ss) after an event touched it: the body of fl_frontend_settle()'s
 * loop, and all of a frontend timer's settling (fl_frontend_fire()). */
static inline __attribute__((always_inline)) void
settle_service(FlWorld *w, const FeService *x, FeSvcState *ss, double now)
{
  FlFrontendState *st = w->fe;
  ss->dirty = 0;
  if (x->spec->eip) {
    eip_check(w, x, ss, now);
    ss->cell_mask = (guint32)((G_GUINT64_CONSTANT(1) << x->n) - 1); /* the holder may have moved */
  }
  /* Only cells whose inputs changed: a cell's verdict timer follows its truth, so it needs
   * a look only when ok changed (after each look the timer is disarmed with the verdict
   * equal to ok, or armed towards ok; a verdict that fires keeps that so).
   * The rest of settling reads, for the answer (settle_answer), the verdicts, the API record
   * and the cells' ok flags (the answer's inputs without DNS); and for whether clients are
   * served (settle_served), of the regions answered, q, cap and full. Each part runs only
   * when its inputs changed: otherwise it would recompute exactly what it has (a zone event
   * in a region no client is sent to, a target check in the standby region, say). The
   * answer part's end_recovery() is then a no-op too: the last answer run left no recovery
   * region preparing or ready while the primary is answered and healthy, and only a verdict
   * (which forces the answer part) starts a recovery. Anything added to either part must be
   * a function of its inputs, or set answer_dirty. */
  gboolean answer_in = ss->answer_dirty, served_in = FALSE;
  for (guint32 mask = ss->cell_mask; mask != 0; mask &= mask - 1) { /* dirty cells, in order */
    guint32 k = (guint32)__builtin_ctz(mask);
    FeCellState *cs = &st->cell[x->sr0 + k];
    double q0 = cs->q, cap0 = cs->cap;
    guint8 ok0 = cs->ok, full0 = cs->full;
    /* eval_cell(), keeping the new value at hand; the usual kind gets code of its own. */
    guint8 kind = x->cell[k].kind;
    CellValue v = kind == CELL_LB_CROSS_ZONE ? cell_value_of(w, x, k, CELL_LB_CROSS_ZONE, TRUE)
                                             : cell_value_of(w, x, k, kind, TRUE);
    cs->q = v.q;
    cs->cap = v.cap;
    cs->ok = v.ok;
    cs->full = v.full;
    if (v.ok != ok0) {
      update_verdict_timer(w, x, k, now); /* also notes a stop (note_stop), out of line */
      answer_in = TRUE;
    }
    /* settle_served uses q and cap only in comparisons, so == is the right test (and NaN,
     * were there one, would count as a change). */
    served_in |= ss->answer[k] > 0 && (v.q != q0 || v.cap != cap0 || v.full != full0);
  }
  ss->cell_mask = 0;
  if (x->dns == NULL && x->primary >= 0) { /* no DNS: recovery follows the truth */
    if (!st->cell[x->sr0 + x->primary].ok)
      start_recovery(w, x, now);
    else
      end_recovery(w, x, now);
  }
  gboolean failover = FALSE;
  if (answer_in) {
    ss->answer_dirty = 0;
    failover = settle_answer(w, x, ss, now);
  } else if (!served_in) {
    return;
  }
  settle_served(w, x, ss, now, failover);
}

/* fl_frontend_settle() from service @f on, once one is dirty. */
static __attribute__((noinline)) void
settle_from(FlWorld *w, guint32 f, double now)
{
  FlFrontend *fe = frontend(w);
  FlFrontendState *st = w->fe;
  for (; f < fe->n_fs; f++)
    if (st->fs[f].dirty)
      settle_service(w, &fe->fs[f], &st->fs[f], now);
}

void
fl_frontend_settle(FlWorld *w, double now)
{
  FlFrontendState *st = w->fe;
  /* A leaf loop: after most group events fl_frontend_component() has settled already. */
  w->fe_unsettled = 0;
  for (guint32 f = 0; f < st->n_fs; f++)
    if (st->fs[f].dirty) {
      settle_from(w, f, now);
      return;
    }
}

void
fl_frontend_finish(FlWorld *w, double horizon_s)
{
  FlFrontend *fe = frontend(w);
  if (!w->fe_idle) /* else it would only move the services' clocks, which nothing reads now */
    fl_frontend_advance(w, horizon_s);
  for (guint32 f = 0; f < fe->n_fs; f++) {
    FeSvcState *ss = &w->fe->fs[f];
    if (!ss->real_up) /* censored at the horizon, like the ideal view */
      fl_tally_real_outage(w->tally, fe->fs[f].service, ss->real_down_since, horizon_s);
    if (ss->api_state == API_WAIT_CP) /* still blocked at the horizon: censored too */
      api_wait_end(w, &fe->fs[f], ss, horizon_s);
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
fl_world_service_dns(const FlWorld *w, guint service, double *answer)
{
  const FlFrontend *fe = w->m->frontend;
  if (fe == NULL || fe->service_fs[service] == NO_SLOT)
    return FALSE;
  guint32 f = fe->service_fs[service];
  if (fe->fs[f].dns == NULL)
    return FALSE;
  memcpy(answer, fl_clients_answer(w->fe->fs[f].clients), sizeof(double) * fe->fs[f].n);
  return TRUE;
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
