/* hazard.c - correlated failures in a replication: [hazard NAME] event streams (earthquakes,
 * shocks, rollouts) and the outage intervals they hold components down for.
 *
 * Owns: the static part of every hazard (its members, precomputed once per scenario: which
 * zones an earthquake can reach at all, where they are), the per-world pool of outage
 * intervals, and the per-event statistics written to the tally (results.h "hazards").
 * Semantics and sources: docs/hazards.md; physics in seismic.c and geo.c.
 *
 * How an event becomes downtime: each hazard is a Poisson stream (one timer, exponential gaps
 * of mean 1 / rate). An event draws its damage and turns it into outage intervals
 * [from, until) on components (zones or regions). Each interval is one timer of a pool: it fires
 * at `from` to hold its component down (model.c counts holds, so overlapping intervals from
 * any source simply add) and at `until` to release it. The pool grows when a replication needs
 * more intervals than it has (fl_engine_grow), so nothing is ever merged or dropped.
 *
 * Cost: an event costs O(members in reach), never O(zones in the world): an earthquake's
 * members are only the zones that a largest-magnitude event with five-sigma shaking could
 * damage at all (see reach_km), computed once from the distances to the source.
 *
 * Must not call: reports, I/O. Called only by model.c, through model_private.h.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "faultline/dist.h"
#include "faultline/geo.h"
#include "faultline/rare.h"
#include "faultline/seismic.h"
#include "faultline/units.h"
#include "model_private.h"

/* A zone is in an earthquake's reach when the largest magnitude, at the zone's distance, gives
 * a chance of outage-causing damage of at least Phi(-REACH_SIGMAS) ~ 3e-7 per event: for a
 * lognormal capacity (theta, beta) and ln PGA ~ N(mu, sigma^2), P(damage) =
 * Phi((mu - ln theta) / sqrt(sigma^2 + beta^2)). Leaving farther zones out changes no figure
 * a report prints. */
#define REACH_SIGMAS 5.0

typedef struct {
  const FlHazardSpec *spec;
  guint32 cause;
  double mean_gap_s;          /* 1 / rate, seconds */
  guint32 *members;           /* component ids: zones (earthquake, zone shock) or regions */
  guint32 n_members;
  FlLatLon *member_at;        /* earthquake: each member zone's location */
  double trace_length_km;     /* earthquake: 0 for a point source */
  const FlFragility *facility, *grid;
  /* Importance sampling (rare.h): the clock runs at biased_rate instead of base_rate (per s),
   * and an earthquake draws magnitudes with b-value magnitude_b. */
  gboolean rare;
  double base_rate, biased_rate, magnitude_b;
} Hazard;

struct FlHazards {
  Hazard *h;
  guint32 n;
  guint32 n_zones, n_regions, n_services;
  guint32 stride;             /* counters per hazard (FL_HZ_* offsets) */
  guint32 initial_pool;
  guint32 n_rare;             /* hazards biased for importance sampling */
  guint32 **svc_regions;      /* per service: its region indices */
  guint32 *svc_n_regions;
};

/* One interval an event produced, before it is scheduled. */
typedef struct {
  guint32 id;                 /* component */
  double from, until;         /* absolute times, from < until */
} Interval;

struct FlHazardState {
  guint32 cap;                /* pool size */
  guint32 *free_list, n_free;
  guint32 *comp;              /* per pool slot: component */
  guint32 *cause;             /* per pool slot: cause index */
  double *until;              /* per pool slot: release time, while waiting to start */
  guint8 *holding;            /* per pool slot: 1 once it holds its component */
  GArray *event;              /* Interval, the current event's */
  FlRupture rupture;          /* the current earthquake's; its trace storage is reused */
  double last_magnitude;      /* the last earthquake's, for the timeline */
  FlLatLon last_epicentre;
  double last_detect_s;       /* the last rollout's halt, for the timeline */
  /* Scratch for the event statistics, all zero between events (count_event clears what it
   * set, so an event costs what it touched, not the size of the world). */
  guint8 *zone_down, *zone_hit, *region_hit, *svc_hit;
  guint32 *region_zones_down, *svc_regions_down;
  guint32 *down_regions, n_down_regions;
  guint32 *touched_zones, n_touched_zones;
  guint32 *touched_regions, n_touched_regions;
  guint32 *touched_svcs, n_touched_svcs;
};

/* ---- building ---- */

/* The least damage state of @f whose restoration keeps the site down (> @threshold_h hours), or
 * FL_DAMAGE_N_STATES when none does. */
static FlDamageState
first_costly_state(const FlRestoration *restore, double threshold_h)
{
  for (int ds = FL_DAMAGE_SLIGHT; ds < FL_DAMAGE_N_STATES; ds++)
    if (restore->hours[ds] > threshold_h)
      return (FlDamageState)ds;
  return FL_DAMAGE_N_STATES;
}

/* Distance beyond which no event of @h causes an outage with probability above
 * Phi(-REACH_SIGMAS): the facility counts from its first state with any downtime, the grid
 * from its first state that outlasts the generators' fuel. 0 when no damage costs anything. */
static double
reach_km(const FlHazardSpec *h, const FlFragility *facility, const FlFragility *grid)
{
  const FlFragility *f[2] = { facility, grid };
  FlDamageState ds[2] = { first_costly_state(&h->facility_restore, 0.0),
                          first_costly_state(&h->grid_restore, h->generator_h) };
  double reach = 0.0;
  for (int k = 0; k < 2; k++) {
    if (ds[k] == FL_DAMAGE_N_STATES)
      continue;
    double ln_theta = log(f[k]->theta_g[ds[k] - 1]), beta = f[k]->beta[ds[k] - 1];
    double spread = sqrt(FL_BJF97_SIGMA_TOTAL * FL_BJF97_SIGMA_TOTAL + beta * beta);
    double lo = 0.0, hi = FL_GEO_MAX_DISTANCE_KM;
    for (int it = 0; it < 60; it++) { /* PGA falls with distance: bisect the crossing */
      double mid = 0.5 * (lo + hi);
      double mu = fl_bjf97_ln_pga_median(h->magnitude.mmax, mid, h->vs30_m_s, h->mechanism,
                                         NULL);
      if ((mu - ln_theta) / spread >= -REACH_SIGMAS)
        lo = mid;
      else
        hi = mid;
    }
    reach = MAX(reach, hi);
  }
  return reach;
}

static void
build_earthquake(const FlModel *m, Hazard *hz, GArray *members)
{
  const FlHazardSpec *h = hz->spec;
  hz->facility = fl_fragility_get(h->facility);
  hz->grid = fl_fragility_get(h->grid);
  hz->trace_length_km = fl_geo_polyline_length_km(h->source, h->n_source);
  double reach = reach_km(h, hz->facility, hz->grid);
  /* A rupture is part of the trace (or a disc of radius L/2 around a point), so the distance
   * to the whole trace (less L/2) bounds every event's rupture distance from below. */
  double slack = h->n_source == 1 ? fl_wc94_rupture_length_km(h->magnitude.mmax) / 2 : 0.0;
  GArray *at = g_array_new(FALSE, FALSE, sizeof(FlLatLon));
  for (guint32 z = 0; z < m->n_zones; z++) {
    const FlZoneSpec *zs = fl_scenario_zone(m->sc, z);
    if (!h->zone_in_scope[z])
      continue;
    double d = fl_geo_polyline_distance_km(zs->location, h->source, h->n_source) - slack;
    if (d > reach)
      continue;
    guint32 id = m->n_regions + z;
    g_array_append_val(members, id);
    g_array_append_val(at, zs->location);
  }
  hz->member_at = (FlLatLon *)g_array_free(at, FALSE);
}

FlHazards *
fl_hazards_new(const FlModel *m)
{
  const FlScenario *sc = m->sc;
  FlHazards *hs = g_new0(FlHazards, 1);
  hs->n = sc->hazards->len;
  hs->n_zones = m->n_zones;
  hs->n_regions = m->n_regions;
  hs->n_services = m->n_services;
  hs->h = g_new0(Hazard, MAX(1u, hs->n));
  guint32 max_members = 0;
  for (guint32 i = 0; i < hs->n; i++) {
    Hazard *hz = &hs->h[i];
    hz->spec = fl_scenario_hazard(sc, i);
    hz->cause = m->n_groups + m->n_injects + i;
    hz->mean_gap_s = FL_SECONDS_PER_YEAR / hz->spec->rate_per_year;
    if (sc->rare_events && sc->random_failures
        && fl_rare_hazard_bias(sc, i, sc->horizon_s, &hz->base_rate, &hz->biased_rate,
                               &hz->magnitude_b)) {
      hz->rare = TRUE;
      hz->mean_gap_s = 1.0 / hz->biased_rate;
      hs->n_rare++;
    }
    GArray *members = g_array_new(FALSE, FALSE, sizeof(guint32));
    if (hz->spec->kind == FL_HAZARD_EARTHQUAKE) {
      build_earthquake(m, hz, members);
    } else if (hz->spec->kind == FL_HAZARD_ROLLOUT) {
      for (guint k = 0; k < hz->spec->n_waves; k++) {
        guint32 id = hz->spec->waves[k];
        g_array_append_val(members, id);
      }
    } else if (hz->spec->target == FL_TARGET_REGION) {
      for (guint32 r = 0; r < m->n_regions; r++)
        if (hz->spec->region_in_scope[r])
          g_array_append_val(members, r);
    } else {
      for (guint32 z = 0; z < m->n_zones; z++)
        if (hz->spec->zone_in_scope[z]) {
          guint32 id = m->n_regions + z;
          g_array_append_val(members, id);
        }
    }
    hz->n_members = members->len;
    hz->members = (guint32 *)g_array_free(members, FALSE);
    max_members = MAX(max_members, hz->n_members);
    hs->initial_pool += 2 * hz->n_members;
  }
  hs->initial_pool = MAX(16u, hs->initial_pool);
  hs->stride = FL_HZ_ZONE + m->n_zones + m->n_regions + m->n_services + max_members + 1;
  hs->svc_regions = g_new0(guint32 *, MAX(1u, m->n_services));
  hs->svc_n_regions = g_new0(guint32, MAX(1u, m->n_services));
  for (guint32 s = 0; s < m->n_services; s++) {
    const FlServiceSpec *sv = fl_scenario_service(sc, s);
    hs->svc_n_regions[s] = sv->n_regions;
    hs->svc_regions[s] = g_new(guint32, MAX(1u, sv->n_regions));
    for (guint k = 0; k < sv->n_regions; k++)
      hs->svc_regions[s][k] = sv->regions[k];
  }
  return hs;
}

void
fl_hazards_free(FlHazards *hs)
{
  if (hs == NULL)
    return;
  for (guint32 i = 0; i < hs->n; i++) {
    g_free(hs->h[i].members);
    g_free(hs->h[i].member_at);
  }
  for (guint32 s = 0; s < hs->n_services; s++)
    g_free(hs->svc_regions[s]);
  g_free(hs->svc_regions);
  g_free(hs->svc_n_regions);
  g_free(hs->h);
  g_free(hs);
}

guint32
fl_hazards_count(const FlHazards *hs)
{
  return hs ? hs->n : 0;
}

guint32
fl_hazards_stride(const FlHazards *hs)
{
  return hs ? hs->stride : 0;
}

guint32
fl_hazards_n_rare(const FlHazards *hs)
{
  return hs ? hs->n_rare : 0;
}

void
fl_hazard_finish_lr(FlWorld *w, double horizon_s)
{
  const FlHazards *hs = w->m->hazards;
  for (guint32 i = 0; hs && i < hs->n; i++)
    if (hs->h[i].rare) /* one clock, always at risk, over the whole horizon */
      fl_lr_poisson_exposure(&w->lr, hs->h[i].base_rate, hs->h[i].biased_rate, 1.0, horizon_s);
}

guint32
fl_hazards_initial_pool(const FlHazards *hs)
{
  return hs ? hs->initial_pool : 0;
}

guint32
fl_hazards_reach(const FlHazards *hs, guint32 hazard)
{
  return hs->h[hazard].n_members;
}

/* ---- per world ---- */

static void
pool_resize(FlHazardState *st, guint32 cap)
{
  st->comp = g_renew(guint32, st->comp, cap);
  st->cause = g_renew(guint32, st->cause, cap);
  st->until = g_renew(double, st->until, cap);
  st->holding = g_renew(guint8, st->holding, cap);
  st->free_list = g_renew(guint32, st->free_list, cap);
  st->cap = cap;
}

FlHazardState *
fl_hazard_state_new(const FlModel *m)
{
  FlHazardState *st = g_new0(FlHazardState, 1);
  pool_resize(st, m->hazards->initial_pool);
  st->event = g_array_new(FALSE, FALSE, sizeof(Interval));
  st->zone_down = g_new0(guint8, MAX(1u, m->n_zones));
  st->zone_hit = g_new0(guint8, MAX(1u, m->n_zones));
  st->region_hit = g_new0(guint8, MAX(1u, m->n_regions));
  st->svc_hit = g_new0(guint8, MAX(1u, m->n_services));
  st->region_zones_down = g_new0(guint32, MAX(1u, m->n_regions));
  st->svc_regions_down = g_new0(guint32, MAX(1u, m->n_services));
  st->down_regions = g_new0(guint32, MAX(1u, m->n_regions));
  st->touched_zones = g_new0(guint32, MAX(1u, m->n_zones));
  st->touched_regions = g_new0(guint32, MAX(1u, m->n_regions));
  st->touched_svcs = g_new0(guint32, MAX(1u, m->n_services));
  return st;
}

void
fl_hazard_state_free(FlHazardState *st)
{
  if (st == NULL)
    return;
  g_free(st->comp);
  g_free(st->cause);
  g_free(st->until);
  g_free(st->holding);
  g_free(st->free_list);
  g_array_unref(st->event);
  fl_rupture_clear(&st->rupture);
  g_free(st->zone_down);
  g_free(st->zone_hit);
  g_free(st->region_hit);
  g_free(st->svc_hit);
  g_free(st->region_zones_down);
  g_free(st->svc_regions_down);
  g_free(st->down_regions);
  g_free(st->touched_zones);
  g_free(st->touched_regions);
  g_free(st->touched_svcs);
  g_free(st);
}

void
fl_hazard_reset(FlWorld *w)
{
  const FlModel *m = w->m;
  FlHazardState *st = w->hz;
  /* Lowest slot handed out first, so a replication's slots do not depend on the last one. */
  st->n_free = st->cap;
  for (guint32 k = 0; k < st->cap; k++)
    st->free_list[k] = st->cap - 1 - k;
  if (!m->sc->random_failures) /* only injections: no hazard events either */
    return;
  for (guint32 i = 0; i < m->hazards->n; i++)
    fl_engine_arm(w->engine, m->hazard_slot_base + i,
                  m->hazards->h[i].mean_gap_s * fl_rng_exp(&w->rng));
}

/* Schedules one outage interval of component @id. */
static void
schedule(FlWorld *w, guint32 id, guint32 cause, double from, double until, double now)
{
  const FlModel *m = w->m;
  FlHazardState *st = w->hz;
  if (st->n_free == 0) { /* grow the pool and the engine's slots with it */
    guint32 old = st->cap, cap = 2 * old;
    pool_resize(st, cap);
    fl_engine_grow(w->engine, m->pool_slot_base + cap);
    for (guint32 k = cap; k > old; k--)
      st->free_list[st->n_free++] = k - 1;
  }
  guint32 p = st->free_list[--st->n_free];
  st->comp[p] = id;
  st->cause[p] = cause;
  if (from <= now) {
    st->holding[p] = 1;
    fl_world_hold(w, id, cause, now);
    fl_engine_arm(w->engine, m->pool_slot_base + p, until);
  } else {
    st->holding[p] = 0;
    st->until[p] = until;
    fl_engine_arm(w->engine, m->pool_slot_base + p, from);
  }
}

void
fl_hazard_pool_fire(FlWorld *w, guint32 p, double now)
{
  FlHazardState *st = w->hz;
  if (!st->holding[p]) {
    st->holding[p] = 1;
    fl_world_hold(w, st->comp[p], st->cause[p], now);
    fl_engine_arm(w->engine, w->m->pool_slot_base + p, st->until[p]);
    return;
  }
  st->holding[p] = 0;
  st->free_list[st->n_free++] = p;
  fl_world_release(w, st->comp[p], st->cause[p], now);
}

static void
add_interval(FlHazardState *st, guint32 id, double from, double until)
{
  if (!(until > from))
    return;
  Interval iv = { id, from, until };
  g_array_append_val(st->event, iv);
}

/* The magnitude of an event of the stream of earthquake @hz. */
static double
stream_magnitude(FlWorld *w, const Hazard *hz)
{
  const FlHazardSpec *h = hz->spec;
  if (!hz->rare)
    return fl_gr_sample(&h->magnitude, &w->rng);
  /* Larger magnitudes more often, each weighted by its density ratio. */
  double mag = fl_gr_tilted_sample(&h->magnitude, hz->magnitude_b, &w->rng);
  fl_lr_add_log_ratio(&w->lr, fl_gr_tilt_log_ratio(&h->magnitude, hz->magnitude_b, mag));
  return mag;
}

/* An earthquake of magnitude @mag: rupture, shaking and damage at every zone in reach. */
static void
earthquake(FlWorld *w, const Hazard *hz, double now, double mag)
{
  const FlHazardSpec *h = hz->spec;
  FlHazardState *st = w->hz;
  double s = fl_rng_uniform(&w->rng) * hz->trace_length_km;
  FlRupture *rup = &st->rupture;
  fl_rupture_init(rup, h->source, h->n_source, s, mag);
  st->last_magnitude = mag;
  st->last_epicentre = rup->epicentre;
  double between = fl_bjf97_sample_between(&w->rng);
  for (guint32 k = 0; k < hz->n_members; k++) {
    double rjb = fl_rupture_distance_km(rup, hz->member_at[k]);
    double ln_pga = fl_bjf97_ln_pga_sample(mag, rjb, h->vs30_m_s, h->mechanism, between,
                                           &w->rng, NULL);
    double pga = exp(ln_pga);
    FlDamageState own = fl_fragility_sample(hz->facility, pga, fl_rng_uniform(&w->rng));
    FlDamageState grid = fl_fragility_sample(hz->grid, pga, fl_rng_uniform(&w->rng));
    FlSiteOutage out = { 0 }; /* fl_site_outage() fills it (its argument checks aside) */
    fl_site_outage(h->facility_restore.hours[own], h->grid_restore.hours[grid],
                   h->generator_h, &out);
    add_interval(st, hz->members[k], now, now + out.own_down_h * 3600.0);
    add_interval(st, hz->members[k], now + out.grid_from_h * 3600.0,
                 now + out.grid_until_h * 3600.0);
  }
}

static void
shock(FlWorld *w, const Hazard *hz, double now)
{
  for (guint32 k = 0; k < hz->n_members; k++)
    if (fl_rng_uniform(&w->rng) < hz->spec->hits)
      add_interval(w->hz, hz->members[k], now, now + fl_dist_sample(hz->spec->ttr, &w->rng));
}

/* A bad deploy: wave k reaches its region at k x bake-time unless the halt came first; every
 * region reached stays down until the halt plus its own rollback time. */
static void
rollout(FlWorld *w, const Hazard *hz, double now)
{
  const FlHazardSpec *h = hz->spec;
  double detect = fl_dist_sample(h->detect, &w->rng);
  w->hz->last_detect_s = detect;
  for (guint32 k = 0; k < hz->n_members && k * h->bake_s < detect; k++)
    add_interval(w->hz, hz->members[k], now + k * h->bake_s,
                 now + detect + fl_dist_sample(h->ttr, &w->rng));
}

/* Marks what the event's intervals hold down at instant @t: zones (directly, or through their
 * region) and regions (directly, or every zone at once), and the services with every region
 * down; each newly marked thing is also counted as hit. Touches only what the event touched. */
static void
mark_down_at(const FlModel *m, FlHazardState *st, double t)
{
  const FlHazards *hs = m->hazards;
  st->n_down_regions = 0;
  for (guint i = 0; i < st->event->len; i++) {
    const Interval *iv = &g_array_index(st->event, Interval, i);
    if (!(iv->from <= t && t < iv->until))
      continue;
    guint32 r = iv->id < m->n_regions ? iv->id
                                      : fl_scenario_zone(m->sc, iv->id - m->n_regions)->region;
    const FlRegionSpec *rs = fl_scenario_region(m->sc, r);
    guint32 z0 = iv->id < m->n_regions ? rs->first_zone : iv->id - m->n_regions;
    guint32 nz = iv->id < m->n_regions ? rs->n_zones : 1;
    for (guint32 z = z0; z < z0 + nz; z++) {
      if (st->zone_down[z])
        continue;
      st->zone_down[z] = 1;
      if (!st->zone_hit[z]) {
        st->zone_hit[z] = 1;
        st->touched_zones[st->n_touched_zones++] = z;
      }
      if (++st->region_zones_down[r] == 1)
        st->down_regions[st->n_down_regions++] = r;
    }
  }
  for (guint32 k = 0; k < st->n_down_regions; k++) {
    guint32 r = st->down_regions[k];
    if (st->region_zones_down[r] < fl_scenario_region(m->sc, r)->n_zones)
      continue;
    if (!st->region_hit[r]) {
      st->region_hit[r] = 1;
      st->touched_regions[st->n_touched_regions++] = r;
    }
    for (guint32 c = m->region_sr_start[r]; c < m->region_sr_start[r + 1]; c++) {
      guint32 sv = m->sr_service[m->region_sr[c]];
      if (++st->svc_regions_down[sv] == hs->svc_n_regions[sv] && !st->svc_hit[sv]) {
        st->svc_hit[sv] = 1;
        st->touched_svcs[st->n_touched_svcs++] = sv;
      }
    }
  }
  /* Clear the per-instant marks (only what was set). */
  for (guint32 k = 0; k < st->n_down_regions; k++) {
    guint32 r = st->down_regions[k];
    const FlRegionSpec *rs = fl_scenario_region(m->sc, r);
    memset(st->zone_down + rs->first_zone, 0, rs->n_zones);
    if (st->region_zones_down[r] == rs->n_zones)
      for (guint32 c = m->region_sr_start[r]; c < m->region_sr_start[r + 1]; c++)
        st->svc_regions_down[m->sr_service[m->region_sr[c]]] = 0;
    st->region_zones_down[r] = 0;
  }
}

/* The event's statistics: what it took down, and what it took down at once. Candidate
 * instants are the intervals' starts: a set of intervals overlaps at some instant iff it
 * overlaps at the latest start among them, which is one of these. */
static void
count_event(FlWorld *w, guint32 h)
{
  const FlModel *m = w->m;
  const FlHazards *hs = m->hazards;
  FlHazardState *st = w->hz;
  st->n_touched_zones = st->n_touched_regions = st->n_touched_svcs = 0;
  for (guint i = 0; i < st->event->len; i++) {
    double t = g_array_index(st->event, Interval, i).from;
    gboolean seen = FALSE;
    for (guint j = 0; j < i && !seen; j++)
      seen = g_array_index(st->event, Interval, j).from == t;
    if (!seen)
      mark_down_at(m, st, t);
  }
  /* Intervals are appended member by member, so members hit = runs of equal ids. */
  guint32 members_hit = 0;
  for (guint i = 0; i < st->event->len; i++)
    members_hit += i == 0 || g_array_index(st->event, Interval, i).id
                               != g_array_index(st->event, Interval, i - 1).id;
  /* A result made without hazard rows (fl_run_result_set_hazards) counts nothing. */
  FlTally *t = w->tally->rep_hazard ? w->tally : NULL;
  gsize row = (gsize)h * hs->stride;
  guint32 region0 = FL_HZ_ZONE + m->n_zones, svc0 = region0 + m->n_regions;
  if (t) {
    fl_tally_hazard_count(t, row + FL_HZ_EVENTS);
    fl_tally_hazard_count(t, row + svc0 + m->n_services + members_hit);
  }
  for (guint32 k = 0; k < st->n_touched_zones; k++) {
    if (t)
      fl_tally_hazard_count(t, row + FL_HZ_ZONE + st->touched_zones[k]);
    st->zone_hit[st->touched_zones[k]] = 0;
  }
  for (guint32 k = 0; k < st->n_touched_regions; k++) {
    if (t)
      fl_tally_hazard_count(t, row + region0 + st->touched_regions[k]);
    st->region_hit[st->touched_regions[k]] = 0;
  }
  for (guint32 k = 0; k < st->n_touched_svcs; k++) {
    if (t)
      fl_tally_hazard_count(t, row + svc0 + st->touched_svcs[k]);
    st->svc_hit[st->touched_svcs[k]] = 0;
  }
}

/* Draws an event of hazard @hz at @now into the state's event intervals; @mag is an
 * earthquake's magnitude (drawn by the caller), ignored otherwise. */
static void
draw_event(FlWorld *w, const Hazard *hz, double now, double mag)
{
  g_array_set_size(w->hz->event, 0);
  switch (hz->spec->kind) {
  case FL_HAZARD_EARTHQUAKE:
    earthquake(w, hz, now, mag);
    break;
  case FL_HAZARD_SHOCK:
    shock(w, hz, now);
    break;
  case FL_HAZARD_ROLLOUT:
    rollout(w, hz, now);
    break;
  }
}

/* The timeline line of the event just drawn; @injection names the [inject] that caused it, or
 * NULL for an event of the hazard's own stream. */
static void
emit_event(FlWorld *w, const Hazard *hz, double now, const char *injection)
{
  FlHazardState *st = w->hz;
  if (G_LIKELY(w->timeline == NULL))
    return;
  g_autofree char *who = g_strdup_printf("hazard %s", hz->spec->name);
  g_autoptr(GString) what = g_string_new(NULL);
  if (injection)
    g_string_append_printf(what, "injected by [inject %s]; ", injection);
  if (hz->spec->kind == FL_HAZARD_EARTHQUAKE)
    g_string_append_printf(what, "M %.2f, epicentre %.3f,%.3f; ", st->last_magnitude,
                           st->last_epicentre.lat_deg, st->last_epicentre.lon_deg);
  if (hz->spec->kind == FL_HAZARD_ROLLOUT) {
    g_autofree char *halt = fl_format_duration(st->last_detect_s);
    g_string_append_printf(what, "halted after %s; ", halt);
  }
  g_string_append_printf(what, "%u outage interval%s", st->event->len,
                         st->event->len == 1 ? "" : "s");
  fl_world_emit(w, now, who, "event", what->str);
}

/* Schedules the event's intervals, charged to @cause. */
static void
schedule_event(FlWorld *w, guint32 cause, double now)
{
  FlHazardState *st = w->hz;
  for (guint i = 0; i < st->event->len; i++) {
    const Interval *iv = &g_array_index(st->event, Interval, i);
    schedule(w, iv->id, cause, iv->from, iv->until, now);
  }
}

void
fl_hazard_fire(FlWorld *w, guint32 h, double now)
{
  const FlModel *m = w->m;
  const Hazard *hz = &m->hazards->h[h];
  if (hz->rare)
    fl_lr_poisson_event(&w->lr, hz->base_rate, hz->biased_rate);
  draw_event(w, hz, now, hz->spec->kind == FL_HAZARD_EARTHQUAKE ? stream_magnitude(w, hz) : NAN);
  emit_event(w, hz, now, NULL);
  count_event(w, h);
  schedule_event(w, hz->cause, now);
  fl_engine_arm(w->engine, m->hazard_slot_base + h, now + hz->mean_gap_s * fl_rng_exp(&w->rng));
}

void
fl_hazard_inject(FlWorld *w, guint32 h, guint32 cause, const char *injection, double magnitude,
                 double now)
{
  const Hazard *hz = &w->m->hazards->h[h];
  /* Not an event of the stream: the untilted magnitude law, no likelihood-ratio factor (the
   * injection happens under both laws), no count in the hazard's statistics (they describe
   * its random stream) and no re-arm of the stream's clock. */
  double mag = NAN;
  if (hz->spec->kind == FL_HAZARD_EARTHQUAKE)
    mag = isnan(magnitude) ? fl_gr_sample(&hz->spec->magnitude, &w->rng) : magnitude;
  draw_event(w, hz, now, mag);
  emit_event(w, hz, now, injection);
  schedule_event(w, cause, now);
}
