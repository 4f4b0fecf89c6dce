/* model.c - component graph, failure processes and the incremental structure function.
 * See model.h for the semantics and the speed-ups.
 *
 * Component ids: regions [0, R), zones [R, R+Z), instances [R+Z, R+Z+I).
 * Cells: an "sz" cell is (service, zone) and counts that service's live instances in the zone;
 * an "sr" cell is (service, region) and counts live instances and live zones in the region.
 */
#include "config.h"

#include <string.h>

#include "faultline/engine.h"
#include "faultline/model.h"
#include "faultline/rng.h"

#define CLOCK_MEMBER UINT32_MAX /* slot_member value of a group's superposed clock */
#define STOP_CHECK_MASK 4095u   /* check the stop flag every 4096 events */

typedef struct {
  const FlFailureSpec *spec;
  guint32 *members;     /* component ids (owned) */
  guint32 n_members;
  gboolean superposed;  /* exponential time to failure: one clock for all up members */
  double ttf_mean_s;    /* when superposed */
  guint32 slot_base;    /* member m's timer is slot_base + m */
  guint32 clock_slot;   /* when superposed */
} Group;

struct FlModel {
  const FlScenario *sc;
  guint32 n_regions, n_zones, n_instances, n_components;
  guint32 *inst_sz;           /* per instance: its sz cell */
  guint32 n_sz;
  guint32 *sz_zone;           /* per sz: zone index */
  guint32 *sz_sr;             /* per sz: its sr cell */
  guint32 *sz_capacity;       /* per sz: instances of the service in the zone */
  guint32 *zone_sz_start;     /* CSR: cells of zone z are zone_sz[zone_sz_start[z] ..) */
  guint32 *zone_sz;
  guint32 n_sr;
  guint32 *sr_service, *sr_region, *sr_needs, *sr_capacity, *sr_zones_total;
  guint8 *sr_needs_zones;     /* 1: needs counts zones; 0: instances */
  guint32 *region_sr_start;   /* CSR: cells of region r */
  guint32 *region_sr;
  guint32 n_services;
  guint32 *svc_n_regions;
  guint32 n_groups;
  Group *groups;
  guint32 n_slots;
  guint32 *slot_group, *slot_member;
};

struct FlWorld {
  const FlModel *m;
  FlEngine *engine;       /* (owned) */
  FlRng rng;
  FlTally *tally;         /* (transfer none) during fl_world_run */
  guint16 *holds;         /* per component: groups holding it down */
  guint8 *repairing;      /* per slot: member is under repair */
  guint32 *up_items;      /* per superposed group, at slot_base: its up members */
  guint32 *up_pos;        /* per slot: position of the member in up_items */
  guint32 *up_len;        /* per group */
  guint32 *sz_live;       /* per sz: instances up (ignoring zone and region) */
  guint32 *sr_inst;       /* per sr: live instances in zones that are up */
  guint32 *sr_zones;      /* per sr: zones that are up with >= 1 live instance */
  guint8 *sr_up;          /* per sr: needs holds and the region is up */
  guint32 *svc_regions_up;/* per service */
  double *svc_down_since; /* per service, s; valid while svc_regions_up == 0 */
  guint32 *svc_cause;     /* per service: cause of the current outage */
};

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
  m->n_slots = next_slot;
  m->slot_group = g_new(guint32, MAX(1u, m->n_slots));
  m->slot_member = g_new(guint32, MAX(1u, m->n_slots));
  for (guint32 g = 0; g < m->n_groups; g++) {
    Group *grp = &m->groups[g];
    if (grp->superposed) {
      m->slot_group[grp->clock_slot] = g;
      m->slot_member[grp->clock_slot] = CLOCK_MEMBER;
    }
    for (guint32 k = 0; k < grp->n_members; k++) {
      m->slot_group[grp->slot_base + k] = g;
      m->slot_member[grp->slot_base + k] = k;
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
  m->n_components = m->n_regions + m->n_zones + m->n_instances;
  build_groups(m);
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
  g_free(m->slot_group);
  g_free(m->slot_member);
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
  g_free(m->region_sr_start);
  g_free(m->region_sr);
  g_free(m->svc_n_regions);
  g_free(m);
}

GStrv
fl_model_cause_names(const FlModel *m)
{
  GStrv names = g_new0(char *, m->n_groups + 1);
  for (guint32 g = 0; g < m->n_groups; g++)
    names[g] = g_strdup(m->groups[g].spec->name);
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
fl_model_group_size(const FlModel *m, guint group)
{
  g_return_val_if_fail(group < m->n_groups, 0);
  return m->groups[group].n_members;
}

FlWorld *
fl_world_new(const FlModel *m)
{
  FlWorld *w = g_new0(FlWorld, 1);
  w->m = m;
  w->engine = fl_engine_new(m->n_slots);
  w->holds = g_new0(guint16, MAX(1u, m->n_components));
  w->repairing = g_new0(guint8, MAX(1u, m->n_slots));
  w->up_items = g_new0(guint32, MAX(1u, m->n_slots));
  w->up_pos = g_new0(guint32, MAX(1u, m->n_slots));
  w->up_len = g_new0(guint32, MAX(1u, m->n_groups));
  w->sz_live = g_new0(guint32, MAX(1u, m->n_sz));
  w->sr_inst = g_new0(guint32, MAX(1u, m->n_sr));
  w->sr_zones = g_new0(guint32, MAX(1u, m->n_sr));
  w->sr_up = g_new0(guint8, MAX(1u, m->n_sr));
  w->svc_regions_up = g_new0(guint32, MAX(1u, m->n_services));
  w->svc_down_since = g_new0(double, MAX(1u, m->n_services));
  w->svc_cause = g_new0(guint32, MAX(1u, m->n_services));
  return w;
}

void
fl_world_free(FlWorld *w)
{
  if (w == NULL)
    return;
  fl_engine_free(w->engine);
  g_free(w->holds);
  g_free(w->repairing);
  g_free(w->up_items);
  g_free(w->up_pos);
  g_free(w->up_len);
  g_free(w->sz_live);
  g_free(w->sr_inst);
  g_free(w->sr_zones);
  g_free(w->sr_up);
  g_free(w->svc_regions_up);
  g_free(w->svc_down_since);
  g_free(w->svc_cause);
  g_free(w);
}

/* ---- structure function ---- */

/* Re-evaluates one (service, region) cell after its counts or its region changed; on a change
 * of the service as a whole, opens or closes an outage. O(1). */
static inline void
eval_cell(FlWorld *w, guint32 sr, guint32 cause, double now)
{
  const FlModel *m = w->m;
  guint32 have = m->sr_needs_zones[sr] ? w->sr_zones[sr] : w->sr_inst[sr];
  guint8 up = w->holds[m->sr_region[sr]] == 0 && have >= m->sr_needs[sr];
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
}

/* Component @id changed state (down when @down). Cost: O(1) for an instance, O(services in
 * the zone) for a zone, O(services in the region) for a region. */
static void
component_changed(FlWorld *w, guint32 id, gboolean down, guint32 cause, double now)
{
  const FlModel *m = w->m;
  if (id < m->n_regions) {
    for (guint32 k = m->region_sr_start[id]; k < m->region_sr_start[id + 1]; k++)
      eval_cell(w, m->region_sr[k], cause, now);
    return;
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

/* ---- failure processes ---- */

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
    up_add(w, grp, g, member);
    double at = now + grp->ttf_mean_s * fl_rng_exp(&w->rng);
    if (w->up_len[g] == 1 || at < fl_engine_time_of(w->engine, grp->clock_slot))
      fl_engine_arm(w->engine, grp->clock_slot, at);
  } else {
    fl_engine_arm(w->engine, slot, now + fl_dist_sample(grp->spec->ttf, &w->rng));
  }
}

/* Handles the timer @slot that fired at @now. */
static inline void
fire(FlWorld *w, guint32 slot, double now)
{
  const FlModel *m = w->m;
  guint32 g = m->slot_group[slot], member = m->slot_member[slot];
  const Group *grp = &m->groups[g];
  if (member == CLOCK_MEMBER) {
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

static void
reset(FlWorld *w)
{
  const FlModel *m = w->m;
  fl_engine_reset(w->engine);
  memset(w->holds, 0, sizeof(guint16) * m->n_components);
  memset(w->repairing, 0, m->n_slots);
  for (guint32 sz = 0; sz < m->n_sz; sz++)
    w->sz_live[sz] = m->sz_capacity[sz];
  for (guint32 sr = 0; sr < m->n_sr; sr++) {
    w->sr_inst[sr] = m->sr_capacity[sr];
    w->sr_zones[sr] = m->sr_zones_total[sr];
    w->sr_up[sr] = 1;
  }
  for (guint32 s = 0; s < m->n_services; s++)
    w->svc_regions_up[s] = m->svc_n_regions[s];
  for (guint32 g = 0; g < m->n_groups; g++) {
    const Group *grp = &m->groups[g];
    if (grp->superposed) {
      w->up_len[g] = 0;
      for (guint32 k = 0; k < grp->n_members; k++)
        up_add(w, grp, g, k);
      arm_clock(w, grp, g, 0.0);
    } else {
      for (guint32 k = 0; k < grp->n_members; k++)
        fl_engine_arm(w->engine, grp->slot_base + k, fl_dist_sample(grp->spec->ttf, &w->rng));
    }
  }
}

gboolean
fl_world_run(FlWorld *w, guint64 seed, guint64 rep, double horizon_s, FlTally *tally,
             const gint *stop)
{
  fl_rng_seed(&w->rng, seed, rep);
  w->tally = tally;
  reset(w);
  /* The main loop: pop the next timer, let the model react. */
  guint64 events = 0;
  guint32 slot;
  while (fl_engine_pop_until(w->engine, horizon_s, &slot)) {
    fire(w, slot, fl_engine_now(w->engine));
    if ((++events & STOP_CHECK_MASK) == 0 && stop && g_atomic_int_get(stop))
      return FALSE;
  }
  for (guint32 s = 0; s < w->m->n_services; s++)
    if (w->svc_regions_up[s] == 0) /* censored at the horizon */
      fl_tally_outage(tally, s, w->svc_down_since[s], horizon_s, w->svc_cause[s]);
  tally->events += events;
  fl_tally_end(tally);
  w->tally = NULL;
  return TRUE;
}
