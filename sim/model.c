/* model.c - component graph, failure processes and the incremental structure function.
 * See model.h for the semantics and the speed-ups.
 *
 * Component ids: regions [0, R), zones [R, R+Z), instances [R+Z, R+Z+I), then one regional
 * load balancer per (service, region) cell whose service has one, then Route 53's control
 * plane (one component).
 * Cells: an "sz" cell is (service, zone) and counts that service's live instances in the zone;
 * an "sr" cell is (service, region) and counts live instances and live zones in the region.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "faultline/engine.h"
#include "faultline/model.h"
#include "faultline/rng.h"
#include "model_private.h"

#define STOP_CHECK_MASK 4095u   /* check the stop flag every 4096 events */

/* ---- building ---- */

static void
build_cells(FlModel *m)
{
  const FlScenario *sc = m->sc;
  GArray *sz_zone = g_array_new(FALSE, FALSE, 4), *sz_sr = g_array_new(FALSE, FALSE, 4);
  GArray *sz_cap = g_array_new(FALSE, FALSE, 4), *inst_sz = g_array_new(FALSE, FALSE, 4);
  GArray *sr_svc = g_array_new(FALSE, FALSE, 4), *sr_reg = g_array_new(FALSE, FALSE, 4);
  GArray *sr_needs = g_array_new(FALSE, FALSE, 4), *sr_cap = g_array_new(FALSE, FALSE, 4);
  GArray *sr_zt = g_array_new(FALSE, FALSE, 4), *sr_nz = g_array_new(FALSE, FALSE, 1);
  m->n_services = sc->services->len;
  m->svc_n_regions = g_new0(guint32, MAX(1u, m->n_services));
  for (guint32 s = 0; s < m->n_services; s++) {
    const FlServiceSpec *sv = fl_scenario_service(sc, s);
    m->svc_n_regions[s] = sv->n_regions;
    for (guint k = 0; k < sv->n_regions; k++) {
      const FlRegionSpec *r = fl_scenario_region(sc, sv->regions[k]);
      guint32 sr = sr_svc->len, cap = r->n_zones * sv->instances_per_zone;
      guint8 nz = sv->needs_kind == FL_NEEDS_ZONES;
      g_array_append_val(sr_svc, s);
      g_array_append_val(sr_reg, sv->regions[k]);
      g_array_append_val(sr_needs, sv->needs);
      g_array_append_val(sr_cap, cap);
      g_array_append_val(sr_zt, r->n_zones);
      g_array_append_val(sr_nz, nz);
      for (guint z = r->first_zone; z < r->first_zone + r->n_zones; z++) {
        guint32 sz = sz_zone->len, zz = z;
        g_array_append_val(sz_zone, zz);
        g_array_append_val(sz_sr, sr);
        g_array_append_val(sz_cap, sv->instances_per_zone);
        for (guint j = 0; j < sv->instances_per_zone; j++)
          g_array_append_val(inst_sz, sz);
      }
    }
  }
  m->n_sz = sz_zone->len;
  m->n_sr = sr_svc->len;
  m->n_instances = inst_sz->len;
  m->sz_zone = (guint32 *)g_array_free(sz_zone, FALSE);
  m->sz_sr = (guint32 *)g_array_free(sz_sr, FALSE);
  m->sz_capacity = (guint32 *)g_array_free(sz_cap, FALSE);
  m->inst_sz = (guint32 *)g_array_free(inst_sz, FALSE);
  m->sr_service = (guint32 *)g_array_free(sr_svc, FALSE);
  m->sr_region = (guint32 *)g_array_free(sr_reg, FALSE);
  m->sr_needs = (guint32 *)g_array_free(sr_needs, FALSE);
  m->sr_capacity = (guint32 *)g_array_free(sr_cap, FALSE);
  m->sr_zones_total = (guint32 *)g_array_free(sr_zt, FALSE);
  m->sr_needs_zones = (guint8 *)g_array_free(sr_nz, FALSE);

  /* Load balancers: one component per sr cell whose service names one. */
  m->lb_base = m->n_regions + m->n_zones + m->n_instances;
  m->sr_lb = g_new(guint32, MAX(1u, m->n_sr));
  m->lb_sr = g_new(guint32, MAX(1u, m->n_sr));
  for (guint32 sr = 0; sr < m->n_sr; sr++) {
    m->sr_lb[sr] = NO_COMPONENT;
    if (fl_scenario_service(sc, m->sr_service[sr])->load_balancer >= 0) {
      m->lb_sr[m->n_lbs] = sr;
      m->sr_lb[sr] = m->lb_base + m->n_lbs++;
    }
  }
  m->control_plane_id = m->lb_base + m->n_lbs;

  /* CSR indexes: zone -> sz cells, region -> sr cells (counting sort keeps cell order). */
  m->zone_sz_start = g_new0(guint32, m->n_zones + 1);
  m->zone_sz = g_new(guint32, MAX(1u, m->n_sz));
  for (guint32 c = 0; c < m->n_sz; c++)
    m->zone_sz_start[m->sz_zone[c] + 1]++;
  for (guint32 z = 0; z < m->n_zones; z++)
    m->zone_sz_start[z + 1] += m->zone_sz_start[z];
  g_autofree guint32 *fill = g_memdup2(m->zone_sz_start, sizeof(guint32) * (m->n_zones + 1));
  for (guint32 c = 0; c < m->n_sz; c++)
    m->zone_sz[fill[m->sz_zone[c]]++] = c;

  m->region_sr_start = g_new0(guint32, m->n_regions + 1);
  m->region_sr = g_new(guint32, MAX(1u, m->n_sr));
  for (guint32 c = 0; c < m->n_sr; c++)
    m->region_sr_start[m->sr_region[c] + 1]++;
  for (guint32 r = 0; r < m->n_regions; r++)
    m->region_sr_start[r + 1] += m->region_sr_start[r];
  g_autofree guint32 *rfill = g_memdup2(m->region_sr_start, sizeof(guint32) * (m->n_regions + 1));
  for (guint32 c = 0; c < m->n_sr; c++)
    m->region_sr[rfill[m->sr_region[c]]++] = c;
}

static void
build_groups(FlModel *m)
{
  const FlScenario *sc = m->sc;
  m->n_groups = sc->failures->len;
  m->groups = g_new0(Group, MAX(1u, m->n_groups));
  guint32 next_slot = 0;
  for (guint32 g = 0; g < m->n_groups; g++) {
    Group *grp = &m->groups[g];
    grp->spec = fl_scenario_failure(sc, g);
    GArray *members = g_array_new(FALSE, FALSE, sizeof(guint32));
    switch (grp->spec->target) {
    case FL_TARGET_REGION:
      for (guint32 r = 0; r < m->n_regions; r++)
        if (grp->spec->region_in_scope[r])
          g_array_append_val(members, r);
      break;
    case FL_TARGET_ZONE:
      for (guint32 z = 0; z < m->n_zones; z++)
        if (grp->spec->zone_in_scope[z]) {
          guint32 id = m->n_regions + z;
          g_array_append_val(members, id);
        }
      break;
    case FL_TARGET_INSTANCE:
      for (guint32 i = 0; i < m->n_instances; i++)
        if (grp->spec->zone_in_scope[m->sz_zone[m->inst_sz[i]]]) {
          guint32 id = m->n_regions + m->n_zones + i;
          g_array_append_val(members, id);
        }
      break;
    case FL_TARGET_LOAD_BALANCER:
      for (guint32 k = 0; k < m->n_lbs; k++)
        if (grp->spec->region_in_scope[m->sr_region[m->lb_sr[k]]]) {
          guint32 id = m->lb_base + k;
          g_array_append_val(members, id);
        }
      break;
    case FL_TARGET_DNS_CONTROL_PLANE:
      g_array_append_val(members, m->control_plane_id);
      break;
    case FL_TARGET_LINK: {
      guint32 id = m->link_base + (guint32)grp->spec->link;
      g_array_append_val(members, id);
      break;
    }
    }
    grp->n_members = members->len;
    grp->members = (guint32 *)g_array_free(members, FALSE);
    grp->superposed = grp->spec->ttf->kind == FL_DIST_EXPONENTIAL;
    grp->ttf_mean_s = fl_dist_mean(grp->spec->ttf);
    if (grp->superposed)
      grp->clock_slot = next_slot++;
    grp->slot_base = next_slot;
    next_slot += grp->n_members;
  }
  m->n_slots = next_slot; /* group slots only; injections and frontend follow (see below) */
  m->slot_group = g_new(guint32, MAX(1u, m->n_slots));
  m->slot_member = g_new(guint32, MAX(1u, m->n_slots));
  m->slot_rearms = g_new(guint8, MAX(1u, m->n_slots));
  m->n_rearm_slots = 0;
  for (guint32 g = 0; g < m->n_groups; g++) {
    Group *grp = &m->groups[g];
    if (grp->superposed) {
      m->slot_group[grp->clock_slot] = g;
      m->slot_member[grp->clock_slot] = CLOCK_MEMBER;
      m->slot_rearms[grp->clock_slot] = 1; /* drawn again after each failure */
    }
    for (guint32 k = 0; k < grp->n_members; k++) {
      m->slot_group[grp->slot_base + k] = g;
      m->slot_member[grp->slot_base + k] = k;
      /* A member's failure arms its repair, and without a shared clock its repair arms its
       * next failure, on the same slot; a superposed member's repair arms nothing of its own. */
      m->slot_rearms[grp->slot_base + k] = !grp->superposed;
    }
    /* Re-arming in place pays for its bookkeeping only where every event of a group re-arms
     * its own timer, deep in a heap of per-member timers (28% fewer instructions for the large
     * topology with per-instance clocks); with superposed clocks alone the queue holds a few
     * timers and the saving is smaller than the bookkeeping, so such a model pops them all. */
    if (!grp->superposed)
      m->n_rearm_slots = m->n_slots;
  }
}

/* Appends to @ids the components injection @in holds down (scenario.h FlInjectSpec). */
static void
inject_components(const FlModel *m, const FlInjectSpec *in, GArray *ids)
{
  guint32 id;
  switch (in->target) {
  case FL_TARGET_REGION:
    id = (guint32)in->region;
    g_array_append_val(ids, id);
    break;
  case FL_TARGET_ZONE:
    id = m->n_regions + (guint32)in->zone;
    g_array_append_val(ids, id);
    break;
  case FL_TARGET_INSTANCE: /* the first `count` instances of the region, zone by zone */
    for (guint32 k = 0; k < m->n_instances && ids->len < in->count; k++)
      if (m->sr_region[m->sz_sr[m->inst_sz[k]]] == (guint32)in->region) {
        id = m->n_regions + m->n_zones + k;
        g_array_append_val(ids, id);
      }
    break;
  case FL_TARGET_LOAD_BALANCER:
    for (guint32 k = 0; k < m->n_lbs; k++)
      if (m->sr_region[m->lb_sr[k]] == (guint32)in->region) {
        id = m->lb_base + k;
        g_array_append_val(ids, id);
      }
    break;
  case FL_TARGET_DNS_CONTROL_PLANE:
    g_array_append_val(ids, m->control_plane_id);
    break;
  case FL_TARGET_LINK:
    id = m->link_base + (guint32)in->link;
    g_array_append_val(ids, id);
    break;
  }
}

/* Each injection's components; a hazard injection holds none itself (its event's intervals
 * do, through hazard.c). */
static void
build_injections(FlModel *m)
{
  const FlScenario *sc = m->sc;
  m->n_injects = sc->injects->len;
  m->inject_members = g_new0(guint32 *, MAX(1u, m->n_injects));
  m->inject_n_members = g_new0(guint32, MAX(1u, m->n_injects));
  for (guint32 i = 0; i < m->n_injects; i++) {
    const FlInjectSpec *in = fl_scenario_inject(sc, i);
    GArray *ids = g_array_new(FALSE, FALSE, sizeof(guint32));
    if (in->hazard < 0)
      inject_components(m, in, ids);
    m->inject_n_members[i] = ids->len;
    m->inject_members[i] = (guint32 *)g_array_free(ids, FALSE);
  }
}

/* Importance sampling (rare.h, docs/rare-events.md): a rare driver's clock runs at its biased
 * rate, and the replication keeps the likelihood ratio that undoes the bias. Only superposed
 * groups qualify (fl_rare_group_bias requires an exponential time to failure). */
static void
build_rare(FlModel *m)
{
  if (!m->sc->rare_events || !m->sc->random_failures)
    return;
  for (guint32 g = 0; g < m->n_groups; g++) {
    Group *grp = &m->groups[g];
    if (fl_rare_group_bias(m->sc, g, m->sc->horizon_s, &grp->rare_base_rate, &grp->rare_rate)) {
      grp->rare = TRUE;
      grp->ttf_mean_s = 1.0 / grp->rare_rate;
      m->n_rare++;
    }
  }
}

FlModel *
fl_model_new(const FlScenario *sc)
{
  FlModel *m = g_new0(FlModel, 1);
  m->sc = sc;
  m->n_regions = sc->regions->len;
  m->n_zones = sc->zones->len;
  build_cells(m);
  m->link_base = m->control_plane_id + 1;
  m->n_links = sc->links->len;
  m->n_components = m->link_base + m->n_links;
  build_groups(m);
  build_rare(m);
  build_injections(m);
  m->inject_slot_base = m->n_slots;
  m->frontend_slot_base = m->inject_slot_base + m->n_injects;
  guint32 n_frontend_slots = 0;
  m->frontend = fl_frontend_new(m, &n_frontend_slots);
  m->hazard_slot_base = m->frontend_slot_base + n_frontend_slots;
  m->hazards = sc->hazards->len ? fl_hazards_new(m) : NULL;
  m->pool_slot_base = m->hazard_slot_base + fl_hazards_count(m->hazards);
  m->n_rare += fl_hazards_n_rare(m->hazards);
  m->n_slots = m->pool_slot_base + fl_hazards_initial_pool(m->hazards);
  return m;
}

void
fl_model_free(FlModel *m)
{
  if (m == NULL)
    return;
  for (guint32 g = 0; g < m->n_groups; g++)
    g_free(m->groups[g].members);
  g_free(m->groups);
  for (guint32 i = 0; i < m->n_injects; i++)
    g_free(m->inject_members[i]);
  g_free(m->inject_members);
  g_free(m->inject_n_members);
  fl_frontend_free(m->frontend);
  fl_hazards_free(m->hazards);
  g_free(m->slot_group);
  g_free(m->slot_member);
  g_free(m->slot_rearms);
  g_free(m->inst_sz);
  g_free(m->sz_zone);
  g_free(m->sz_sr);
  g_free(m->sz_capacity);
  g_free(m->zone_sz_start);
  g_free(m->zone_sz);
  g_free(m->sr_service);
  g_free(m->sr_region);
  g_free(m->sr_needs);
  g_free(m->sr_capacity);
  g_free(m->sr_zones_total);
  g_free(m->sr_needs_zones);
  g_free(m->sr_lb);
  g_free(m->lb_sr);
  g_free(m->region_sr_start);
  g_free(m->region_sr);
  g_free(m->svc_n_regions);
  g_free(m);
}

GStrv
fl_model_cause_names(const FlModel *m)
{
  /* Failure groups, then injections, then hazards: cause index = group, n_groups + injection,
   * or n_groups + n_injects + hazard. */
  guint32 n_hazards = fl_hazards_count(m->hazards);
  GStrv names = g_new0(char *, m->n_groups + m->n_injects + n_hazards + 1);
  for (guint32 g = 0; g < m->n_groups; g++)
    names[g] = g_strdup(m->groups[g].spec->name);
  for (guint32 i = 0; i < m->n_injects; i++)
    names[m->n_groups + i] = g_strdup(fl_scenario_inject(m->sc, i)->name);
  for (guint32 h = 0; h < n_hazards; h++)
    names[m->n_groups + m->n_injects + h] = g_strdup(fl_scenario_hazard(m->sc, h)->name);
  return names;
}

guint
fl_model_n_instances(const FlModel *m)
{
  return m->n_instances;
}

guint
fl_model_n_services(const FlModel *m)
{
  return m->n_services;
}

guint
fl_model_n_hazards(const FlModel *m)
{
  return fl_hazards_count(m->hazards);
}

guint
fl_model_hazard_stride(const FlModel *m)
{
  return fl_hazards_stride(m->hazards);
}

guint
fl_model_hazard_reach(const FlModel *m, guint hazard)
{
  g_return_val_if_fail(hazard < fl_hazards_count(m->hazards), 0);
  return fl_hazards_reach(m->hazards, hazard);
}

guint
fl_model_n_rare(const FlModel *m)
{
  return m->n_rare;
}

guint
fl_model_group_size(const FlModel *m, guint group)
{
  g_return_val_if_fail(group < m->n_groups, 0);
  return m->groups[group].n_members;
}

static void initial_state(FlWorld *w);

FlWorld *
fl_world_new(const FlModel *m)
{
  FlWorld *w = g_new0(FlWorld, 1);
  w->m = m;
  w->engine = fl_engine_new(m->n_slots);
  /* The state block: doubles, then 32-bit counts, then 16 and 8 bits. */
  /* Per-slot arrays cover the failure groups' slots only, [0, inject_slot_base): no other
   * timer reads them, and a replication starts by copying the whole block (the multi-region
   * example's 28 slots include 18 of the frontend's). */
  guint32 nc = MAX(1u, m->n_components), nslot = MAX(1u, m->inject_slot_base);
  guint32 ng = MAX(1u, m->n_groups);
  guint32 nsz = MAX(1u, m->n_sz), nsr = MAX(1u, m->n_sr), ns = MAX(1u, m->n_services);
  gsize off = 0;
  gsize o_down_since = fl_carve(&off, ns, 8), o_link = fl_carve(&off, MAX(1u, m->n_links), 8);
  gsize o_rare_since = fl_carve(&off, ng, 8);
  gsize o_up_items = fl_carve(&off, nslot, 4), o_up_pos = fl_carve(&off, nslot, 4);
  gsize o_up_len = fl_carve(&off, ng, 4), o_sz_live = fl_carve(&off, nsz, 4);
  gsize o_sr_inst = fl_carve(&off, nsr, 4), o_sr_zones = fl_carve(&off, nsr, 4);
  gsize o_regions_up = fl_carve(&off, ns, 4), o_cause = fl_carve(&off, ns, 4);
  gsize o_holds = fl_carve(&off, nc, 2);
  gsize o_repairing = fl_carve(&off, nslot, 1), o_sr_up = fl_carve(&off, nsr, 1);
  gsize o_inject = fl_carve(&off, MAX(1u, m->n_injects), 1);
  w->state_size = off;
  char *a = w->state = g_malloc0(FL_BLOCK_SIZE(off));
  w->svc_down_since = (double *)(a + o_down_since);
  w->link_down_since = (double *)(a + o_link);
  w->rare_since = (double *)(a + o_rare_since);
  w->up_items = (guint32 *)(a + o_up_items);
  w->up_pos = (guint32 *)(a + o_up_pos);
  w->up_len = (guint32 *)(a + o_up_len);
  w->sz_live = (guint32 *)(a + o_sz_live);
  w->sr_inst = (guint32 *)(a + o_sr_inst);
  w->sr_zones = (guint32 *)(a + o_sr_zones);
  w->svc_regions_up = (guint32 *)(a + o_regions_up);
  w->svc_cause = (guint32 *)(a + o_cause);
  w->holds = (guint16 *)(a + o_holds);
  w->repairing = (guint8 *)(a + o_repairing);
  w->sr_up = (guint8 *)(a + o_sr_up);
  w->inject_active = (guint8 *)(a + o_inject);
  initial_state(w);
  w->start = g_memdup2(w->state, FL_BLOCK_SIZE(off));
  w->fe = m->frontend ? fl_frontend_state_new(m) : NULL;
  w->hz = m->hazards ? fl_hazard_state_new(m) : NULL;
  return w;
}

void
fl_world_free(FlWorld *w)
{
  if (w == NULL)
    return;
  fl_engine_free(w->engine);
  g_free(w->state);
  g_free(w->start);
  g_free(w->hold_overflow);
  fl_frontend_state_free(w->fe);
  fl_hazard_state_free(w->hz);
  g_free(w);
}

/* ---- structure function ---- */

/* Timeline line for a cell that starts or stops serving; out of line so that eval_cell stays
 * small enough to inline into the hot path. */
static __attribute__((noinline)) void
emit_cell(FlWorld *w, guint32 sr, gboolean up, double now)
{
  const FlModel *m = w->m;
  g_autofree char *who =
    g_strdup_printf("service %s", fl_scenario_service(m->sc, m->sr_service[sr])->name);
  g_autofree char *what = g_strdup_printf("%s %s", up ? "serves in" : "stops serving in",
                                          fl_scenario_region(m->sc, m->sr_region[sr])->name);
  fl_world_emit(w, now, who, what, NULL);
}

/* Re-evaluates one (service, region) cell after its counts or its region changed; on a change
 * of the service as a whole, opens or closes an outage. O(1). */
static inline G_GNUC_UNUSED void eval_cell(FlWorld *w, guint32 sr, guint32 cause, double now)
  __attribute__((always_inline));

static inline void
eval_cell(FlWorld *w, guint32 sr, guint32 cause, double now)
{
  const FlModel *m = w->m;
  guint32 have = m->sr_needs_zones[sr] ? w->sr_zones[sr] : w->sr_inst[sr];
  guint32 lb = m->sr_lb[sr];
  guint8 up = w->holds[m->sr_region[sr]] == 0 && have >= m->sr_needs[sr]
              && (lb == NO_COMPONENT || w->holds[lb] == 0);
  if (up == w->sr_up[sr])
    return;
  w->sr_up[sr] = up;
  guint32 s = m->sr_service[sr];
  if (up) {
    if (w->svc_regions_up[s]++ == 0)
      fl_tally_outage(w->tally, s, w->svc_down_since[s], now, w->svc_cause[s]);
  } else if (--w->svc_regions_up[s] == 0) {
    w->svc_down_since[s] = now;
    w->svc_cause[s] = cause;
  }
  if (G_UNLIKELY(w->timeline != NULL))
    emit_cell(w, sr, up, now);
}

/* Component @id changed state (down when @down). Cost: O(1) for an instance, O(services in
 * the zone) for a zone, O(services in the region) for a region. */
static void
structure_changed(FlWorld *w, guint32 id, gboolean down, guint32 cause, double now)
{
  const FlModel *m = w->m;
  if (id < m->n_regions) {
    for (guint32 k = m->region_sr_start[id]; k < m->region_sr_start[id + 1]; k++)
      eval_cell(w, m->region_sr[k], cause, now);
    return;
  }
  if (id >= m->lb_base) {
    if (id < m->control_plane_id) /* a regional load balancer: its cell's endpoint */
      eval_cell(w, m->lb_sr[id - m->lb_base], cause, now);
    return; /* the control plane matters only to API failover (docs/multi-region.md) */
  }
  if (id < m->n_regions + m->n_zones) {
    guint32 z = id - m->n_regions;
    for (guint32 k = m->zone_sz_start[z]; k < m->zone_sz_start[z + 1]; k++) {
      guint32 sz = m->zone_sz[k], sr = m->sz_sr[sz], live = w->sz_live[sz];
      if (down) {
        w->sr_inst[sr] -= live;
        w->sr_zones[sr] -= live > 0;
      } else {
        w->sr_inst[sr] += live;
        w->sr_zones[sr] += live > 0;
      }
      eval_cell(w, sr, cause, now);
    }
    return;
  }
  guint32 sz = m->inst_sz[id - m->n_regions - m->n_zones];
  guint32 zone_id = m->n_regions + m->sz_zone[sz], sr = m->sz_sr[sz];
  if (down) {
    w->sz_live[sz]--;
    if (w->holds[zone_id] == 0) {
      w->sr_inst[sr]--;
      w->sr_zones[sr] -= w->sz_live[sz] == 0;
      eval_cell(w, sr, cause, now);
    }
  } else {
    w->sz_live[sz]++;
    if (w->holds[zone_id] == 0) {
      w->sr_inst[sr]++;
      w->sr_zones[sr] += w->sz_live[sz] == 1;
      eval_cell(w, sr, cause, now);
    }
  }
}

/* A component id as people read it in a timeline: "zone us-east-1a". (transfer full) */
static char *
component_name(const FlModel *m, guint32 id)
{
  const FlScenario *sc = m->sc;
  if (id < m->n_regions)
    return g_strdup_printf("region %s", fl_scenario_region(sc, id)->name);
  if (id < m->n_regions + m->n_zones)
    return g_strdup_printf("zone %s", fl_scenario_zone(sc, id - m->n_regions)->name);
  if (id < m->lb_base) {
    guint32 i = id - m->n_regions - m->n_zones, sz = m->inst_sz[i];
    return g_strdup_printf("instance %u of %s in %s", i,
                           fl_scenario_service(sc, m->sr_service[m->sz_sr[sz]])->name,
                           fl_scenario_zone(sc, m->sz_zone[sz])->name);
  }
  if (id < m->control_plane_id) {
    guint32 sr = m->lb_sr[id - m->lb_base];
    const FlServiceSpec *sv = fl_scenario_service(sc, m->sr_service[sr]);
    return g_strdup_printf("load-balancer %s in %s",
                           fl_scenario_load_balancer(sc, sv->load_balancer)->name,
                           fl_scenario_region(sc, m->sr_region[sr])->name);
  }
  if (id == m->control_plane_id)
    return g_strdup("dns-control-plane");
  const FlLinkSpec *l = fl_scenario_link(sc, id - m->link_base);
  return g_strdup_printf("link %s - %s", fl_scenario_region(sc, l->a)->name,
                         fl_scenario_region(sc, l->b)->name);
}

void
fl_world_emit(FlWorld *w, double now, const char *component, const char *event,
              const char *detail)
{
  if (w->timeline == NULL)
    return;
  FlTimelineEvent ev = { now, component, event, detail };
  w->timeline(w, &ev, w->timeline_data);
}

/* Component @id went down or came back: the structure function, then the frontend. */
static void
component_changed(FlWorld *w, guint32 id, gboolean down, guint32 cause, double now)
{
  if (G_UNLIKELY(w->timeline != NULL)) { /* the event first, then what it causes */
    g_autofree char *name = component_name(w->m, id);
    g_auto(GStrv) causes = fl_model_cause_names(w->m);
    g_autofree char *why = down ? g_strdup_printf("cause: %s", causes[cause]) : NULL;
    fl_world_emit(w, now, name, down ? "down" : "up", why);
  }
  if (G_UNLIKELY(id >= w->m->link_base)) { /* only replication reads a link (frontend.c) */
    w->link_down_since[id - w->m->link_base] = down ? now : NAN;
    return;
  }
  structure_changed(w, id, down, cause, now);
  if (w->fe)
    fl_frontend_component(w, id, down, cause < w->m->n_groups, now);
}

double
fl_world_link_down_since(const FlWorld *w, guint32 a, guint32 b)
{
  const FlModel *m = w->m;
  for (guint32 l = 0; l < m->n_links; l++) {
    const FlLinkSpec *link = fl_scenario_link(m->sc, l);
    if (link->a == MIN(a, b) && link->b == MAX(a, b))
      return w->link_down_since[l];
  }
  return NAN;
}

/* Hazard holds stop adding to the 16-bit count here, leaving room for the 2000 that groups
 * and injections may add on top: a hazard whose outages overlap by the tens of thousands
 * (a high rate and long repairs) would otherwise wrap the count and bring a down component
 * back up. */
#define HAZARD_HOLD_CAP 60000u
G_STATIC_ASSERT(HAZARD_HOLD_CAP + 2 * 1000u < G_MAXUINT16);

void
fl_world_hold(FlWorld *w, guint32 id, guint32 cause, double now)
{
  if (G_UNLIKELY(w->holds[id] >= HAZARD_HOLD_CAP)) {
    if (w->hold_overflow == NULL)
      w->hold_overflow = g_new0(guint32, MAX(1u, w->m->n_components));
    w->hold_overflow[id]++; /* already down, and stays down while these last */
    return;
  }
  if (w->holds[id]++ == 0)
    component_changed(w, id, TRUE, cause, now);
}

void
fl_world_release(FlWorld *w, guint32 id, guint32 cause, double now)
{
  if (G_UNLIKELY(w->hold_overflow != NULL && w->hold_overflow[id] > 0)) {
    w->hold_overflow[id]--;
    return;
  }
  if (--w->holds[id] == 0)
    component_changed(w, id, FALSE, cause, now);
}

/* ---- failure processes ---- */

/* A rare group's count at risk is about to change at @now: charge the likelihood ratio for the
 * member-time since the last change (rare.h). One predictable branch for other groups. */
static inline void
rare_exposure(FlWorld *w, const Group *grp, guint32 g, double now)
{
  if (G_LIKELY(!grp->rare))
    return;
  fl_lr_poisson_exposure(&w->lr, grp->rare_base_rate, grp->rare_rate, w->up_len[g],
                         now - w->rare_since[g]);
  w->rare_since[g] = now;
}

static inline void
arm_clock(FlWorld *w, const Group *grp, guint32 g, double now)
{
  guint32 n = w->up_len[g];
  if (n == 0)
    fl_engine_disarm(w->engine, grp->clock_slot);
  else
    fl_engine_arm(w->engine, grp->clock_slot, now + grp->ttf_mean_s * fl_rng_exp(&w->rng) / n);
}

static inline void
up_remove(FlWorld *w, const Group *grp, guint32 g, guint32 member)
{
  guint32 *items = w->up_items + grp->slot_base;
  guint32 pos = w->up_pos[grp->slot_base + member];
  guint32 last = items[--w->up_len[g]];
  items[pos] = last;
  w->up_pos[grp->slot_base + last] = pos;
}

static inline void
up_add(FlWorld *w, const Group *grp, guint32 g, guint32 member)
{
  guint32 pos = w->up_len[g]++;
  w->up_items[grp->slot_base + pos] = member;
  w->up_pos[grp->slot_base + member] = pos;
}

static void
member_fails(FlWorld *w, const Group *grp, guint32 g, guint32 member, double now)
{
  guint32 slot = grp->slot_base + member;
  w->repairing[slot] = 1;
  fl_engine_arm(w->engine, slot, now + fl_dist_sample(grp->spec->ttr, &w->rng));
  guint32 id = grp->members[member];
  if (w->holds[id]++ == 0)
    component_changed(w, id, TRUE, g, now);
}

static void
member_repaired(FlWorld *w, const Group *grp, guint32 g, guint32 member, double now)
{
  guint32 slot = grp->slot_base + member;
  w->repairing[slot] = 0;
  guint32 id = grp->members[member];
  if (--w->holds[id] == 0)
    component_changed(w, id, FALSE, g, now);
  if (grp->superposed) {
    /* The pending clock is the minimum of the other up members' exponential clocks; by
     * memorylessness its residual is still exponential, so adding this member's fresh clock
     * only moves the group clock when the fresh one is earlier (probability 1/n_up): one
     * draw, and usually no heap operation. Which member fails is drawn when it fires. */
    rare_exposure(w, grp, g, now);
    up_add(w, grp, g, member);
    double at = now + grp->ttf_mean_s * fl_rng_exp(&w->rng);
    if (w->up_len[g] == 1 || at < fl_engine_time_of(w->engine, grp->clock_slot))
      fl_engine_arm(w->engine, grp->clock_slot, at);
  } else {
    fl_engine_arm(w->engine, slot, now + fl_dist_sample(grp->spec->ttf, &w->rng));
  }
}

/* Injection @i starts or ends at @now (a hazard injection only starts: its event's intervals
 * end by themselves). */
static void
inject_fires(FlWorld *w, guint32 i, double now)
{
  const FlModel *m = w->m;
  const FlInjectSpec *in = fl_scenario_inject(m->sc, i);
  guint32 cause = m->n_groups + i;
  if (in->hazard >= 0) {
    fl_hazard_inject(w, (guint32)in->hazard, cause, in->name, in->magnitude, now);
    return;
  }
  gboolean start = !w->inject_active[i];
  w->inject_active[i] = start;
  for (guint32 k = 0; k < m->inject_n_members[i]; k++) {
    guint32 id = m->inject_members[i][k];
    if (start && w->holds[id]++ == 0)
      component_changed(w, id, TRUE, cause, now);
    else if (!start && --w->holds[id] == 0)
      component_changed(w, id, FALSE, cause, now);
  }
  if (start)
    fl_engine_arm(w->engine, m->inject_slot_base + i, now + in->for_s);
}

/* Handles a failure-group timer. */
static inline void
fire_group(FlWorld *w, guint32 slot, double now)
{
  const FlModel *m = w->m;
  guint32 g = m->slot_group[slot], member = m->slot_member[slot];
  const Group *grp = &m->groups[g];
  if (member == CLOCK_MEMBER) {
    if (G_UNLIKELY(grp->rare)) {
      rare_exposure(w, grp, g, now);
      fl_lr_poisson_event(&w->lr, grp->rare_base_rate, grp->rare_rate);
    }
    member = w->up_items[grp->slot_base + fl_rng_below(&w->rng, w->up_len[g])];
    up_remove(w, grp, g, member);
    member_fails(w, grp, g, member, now);
    arm_clock(w, grp, g, now);
  } else if (w->repairing[slot]) {
    member_repaired(w, grp, g, member, now);
  } else {
    member_fails(w, grp, g, member, now);
  }
}

/* Handles the timer @slot that fired at @now. Without a frontend this is one branch on top of
 * fire_group; with one, the frontend integrates up to now before anything changes and
 * settles what changed afterwards (a frontend timer does both itself: one call). */
static inline void
fire(FlWorld *w, guint32 slot, double now)
{
  const FlModel *m = w->m;
  if (G_LIKELY(w->fe == NULL && slot < m->inject_slot_base)) {
    fire_group(w, slot, now);
    return;
  }
  if (slot - m->frontend_slot_base < m->hazard_slot_base - m->frontend_slot_base) {
    fl_frontend_fire(w, slot - m->frontend_slot_base, now);
    return;
  }
  if (w->fe && !w->fe_idle)
    fl_frontend_advance(w, now);
  if (slot < m->inject_slot_base)
    fire_group(w, slot, now);
  else if (slot < m->frontend_slot_base)
    inject_fires(w, slot - m->inject_slot_base, now);
  else if (slot < m->pool_slot_base)
    fl_hazard_fire(w, slot - m->hazard_slot_base, now);
  else
    fl_hazard_pool_fire(w, slot - m->pool_slot_base, now);
  if (w->fe_unsettled)
    fl_frontend_settle(w, now);
}

/* Writes the state every replication starts from into w->state: every component up, every
 * count full, each superposed group's members all up. Reads no random number. */
static void
initial_state(FlWorld *w)
{
  const FlModel *m = w->m;
  memset(w->state, 0, w->state_size);
  for (guint32 sz = 0; sz < m->n_sz; sz++)
    w->sz_live[sz] = m->sz_capacity[sz];
  for (guint32 sr = 0; sr < m->n_sr; sr++) {
    w->sr_inst[sr] = m->sr_capacity[sr];
    w->sr_zones[sr] = m->sr_zones_total[sr];
    w->sr_up[sr] = 1;
  }
  for (guint32 s = 0; s < m->n_services; s++)
    w->svc_regions_up[s] = m->svc_n_regions[s];
  for (guint32 g = 0; g < m->n_groups && m->sc->random_failures; g++)
    if (m->groups[g].superposed)
      for (guint32 k = 0; k < m->groups[g].n_members; k++)
        up_add(w, &m->groups[g], g, k);
  for (guint32 l = 0; l < m->n_links; l++)
    w->link_down_since[l] = NAN;
}

static void
reset(FlWorld *w)
{
  const FlModel *m = w->m;
  fl_engine_reset(w->engine);
  fl_copy_block(w->state, w->start, w->state_size);
  if (G_UNLIKELY(w->hold_overflow != NULL))
    memset(w->hold_overflow, 0, sizeof(guint32) * m->n_components);
  fl_lr_init(&w->lr);
  for (guint32 i = 0; i < m->n_injects; i++)
    fl_engine_arm(w->engine, m->inject_slot_base + i, fl_scenario_inject(m->sc, i)->at_s);
  if (w->fe)
    fl_frontend_reset(w);
  /* The first failures, in group order (the order of the draws). */
  for (guint32 g = 0; g < m->n_groups && m->sc->random_failures; g++) {
    const Group *grp = &m->groups[g];
    if (grp->superposed) {
      arm_clock(w, grp, g, 0.0);
    } else {
      for (guint32 k = 0; k < grp->n_members; k++)
        fl_engine_arm(w->engine, grp->slot_base + k, fl_dist_sample(grp->spec->ttf, &w->rng));
    }
  }
  if (w->hz)
    fl_hazard_reset(w);
}

void
fl_world_set_timeline(FlWorld *w, FlTimelineFunc func, gpointer data)
{
  w->timeline = func;
  w->timeline_data = data;
}

gboolean
fl_world_service_up_ideal(const FlWorld *w, guint service)
{
  return w->svc_regions_up[service] > 0;
}

gboolean
fl_world_run(FlWorld *w, guint64 seed, guint64 rep, double horizon_s, FlTally *tally,
             const gint *stop)
{
  fl_rng_seed(&w->rng, seed, rep);
  w->tally = tally;
  reset(w);
  /* The main loop: take the next timer, let the model react. With per-member timers a handler
   * that re-arms the timer that fired moves it in place (fl_engine_fire_until); otherwise the
   * plain pop costs less (model_private.h, n_rearm_slots). */
  guint64 events = 0;
  guint32 slot;
  const FlModel *m = w->m;
  FlEngine *engine = w->engine;
  const guint8 *rearms = m->slot_rearms;
  guint32 n_rearm = m->n_rearm_slots; /* read once: the loop's test stays in registers */
  while (n_rearm > 0 ? fl_engine_fire_until(engine, horizon_s, rearms, n_rearm, &slot)
                     : fl_engine_pop_until(engine, horizon_s, &slot)) {
    fire(w, slot, fl_engine_now(engine));
    if ((++events & STOP_CHECK_MASK) == 0 && stop && g_atomic_int_get(stop))
      return FALSE;
  }
  for (guint32 s = 0; s < w->m->n_services; s++)
    if (w->svc_regions_up[s] == 0) /* censored at the horizon */
      fl_tally_outage(tally, s, w->svc_down_since[s], horizon_s, w->svc_cause[s]);
  if (w->fe)
    fl_frontend_finish(w, horizon_s);
  if (w->m->n_rare > 0) { /* the member-time at risk up to the horizon, then the weight */
    for (guint32 g = 0; g < w->m->n_groups; g++)
      rare_exposure(w, &w->m->groups[g], g, horizon_s);
    fl_hazard_finish_lr(w, horizon_s);
    fl_tally_weight(tally, w->lr.log_w);
  }
  tally->events += events;
  fl_tally_end(tally);
  w->tally = NULL;
  return TRUE;
}
