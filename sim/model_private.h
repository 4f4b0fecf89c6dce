/* model_private.h - the model's internals, shared by model.c and frontend.c only.
 *
 * Owns nothing itself: it lays out FlModel (the immutable component graph) and FlWorld (one
 * replication's state) so that the frontend — what clients see through load balancers, DNS
 * and DR strategies (docs/multi-region.md) — can read the live counts the structure function
 * keeps, without a layer of accessors on the hot path. Nothing outside sim/model.c and
 * sim/frontend.c may include it.
 */
#ifndef FAULTLINE_MODEL_PRIVATE_H
#define FAULTLINE_MODEL_PRIVATE_H

#include <glib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "faultline/engine.h"
#include "faultline/model.h"
#include "faultline/rare.h"
#include "faultline/rng.h"

#define CLOCK_MEMBER UINT32_MAX /* slot_member value of a group's superposed clock */
#define NO_COMPONENT UINT32_MAX
#define NO_SLOT UINT32_MAX

typedef struct FlFrontend FlFrontend;           /* frontend.c: static part */
typedef struct FlFrontendState FlFrontendState; /* frontend.c: per-world part */
typedef struct FlHazards FlHazards;             /* hazard.c: static part */
typedef struct FlHazardState FlHazardState;     /* hazard.c: per-world part */

typedef struct {
  const FlFailureSpec *spec;
  guint32 *members;     /* component ids (owned) */
  guint32 n_members;
  gboolean superposed;  /* exponential time to failure: one clock for all up members */
  double ttf_mean_s;    /* when superposed */
  guint32 slot_base;    /* member m's timer is slot_base + m */
  guint32 clock_slot;   /* when superposed */
  /* Importance sampling (rare.h), when the scenario asks for rare events and the group is a
   * rare driver: ttf_mean_s above is then the biased mean 1 / rare_rate. */
  gboolean rare;
  double rare_base_rate;  /* the scenario's failure rate, per s per member */
  double rare_rate;       /* the biased rate the clock runs at, per s per member */
} Group;

struct FlModel {
  const FlScenario *sc;
  guint32 n_regions, n_zones, n_instances, n_components;
  guint32 lb_base;            /* first load-balancer component id */
  guint32 n_lbs;              /* load-balancer components */
  guint32 control_plane_id;   /* Route 53's control plane */
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
  guint32 *sr_lb;             /* per sr: its load balancer's component id, or NO_COMPONENT */
  guint32 *lb_sr;             /* per load balancer (id - lb_base): its sr cell */
  guint32 *region_sr_start;   /* CSR: cells of region r */
  guint32 *region_sr;
  guint32 n_services;
  guint32 *svc_n_regions;
  guint32 n_groups;
  Group *groups;
  guint32 n_slots;             /* failure-group slots, then injections, then the frontend's */
  guint32 *slot_group, *slot_member;
  guint8 *slot_rearms;         /* per group slot: its handler usually re-arms it at once, so the
                                  engine leaves it in place (fl_engine_fire_until) */
  guint32 n_rearm_slots;       /* slots below this may be left in place: the group slots when
                                  some group has per-member timers, else 0 (pop them all) */
  guint32 inject_slot_base;    /* injection i's timer is inject_slot_base + i */
  guint32 n_injects;
  guint32 **inject_members;    /* per injection: component ids it holds down (owned) */
  guint32 *inject_n_members;
  guint32 frontend_slot_base;  /* frontend slot f is frontend_slot_base + f */
  FlFrontend *frontend;        /* NULL when no service uses the mechanics (owned) */
  /* Correlated failures (hazard.c, docs/hazards.md). */
  guint32 link_base;           /* first link component id (after the control plane) */
  guint32 n_links;
  FlHazards *hazards;          /* NULL without [hazard] groups (owned) */
  guint32 hazard_slot_base;    /* hazard h's arrival timer, after the frontend's slots */
  guint32 pool_slot_base;      /* outage-interval timers from here on; the pool grows */
  guint32 n_rare;              /* groups with Group.rare set: replications carry weights */
};

/* Reserves @n elements of @size bytes (a power of two up to 8) at *@off in a block laid out
 * from offset 0; returns their offset. For the blocks of state that a replication starts by
 * copying (FlWorld.state, the frontend's arena). */
static inline gsize
fl_carve(gsize *off, gsize n, gsize size)
{
  gsize at = (*off + size - 1) & ~(size - 1);
  *off = at + n * size;
  return at;
}

/* The blocks a replication starts by copying (FlWorld.state, the frontend's arena and its
 * per-service records), a few hundred bytes each, are allocated with their size rounded up
 * to FL_BLOCK_ALIGN and copied by fl_copy_block(). */
#define FL_BLOCK_ALIGN 64
#define FL_BLOCK_SIZE(n) (((gsize)(n) + FL_BLOCK_ALIGN - 1) & ~(gsize)(FL_BLOCK_ALIGN - 1))

/* Copies FL_BLOCK_SIZE(@n) bytes from @src to @dst, both blocks allocated that large, 64 bytes
 * at a time in four 16-byte moves written out. Not memcpy: a profile-guided build
 * (scripts/build-pgo) expands a memcpy whose profiled length is 33 to 8192 bytes into
 * `rep movs` (GCC's generic tuning), slow for short copies on the AMD EPYC of
 * docs/performance.md (`flbench --copies`); and a call to the library's memcpy, made once a
 * replication, costs more in place than in a loop (docs/performance.md, "A twelfth look"). */
static inline void
fl_copy_block(void *restrict dst, const void *restrict src, gsize n)
{
#if defined(__SSE2__)
  for (gsize i = 0; i < FL_BLOCK_SIZE(n); i += 64) {
    const __m128i *s = (const __m128i *)((const char *)src + i);
    __m128i *d = (__m128i *)((char *)dst + i);
    __m128i a = _mm_loadu_si128(s), b = _mm_loadu_si128(s + 1);
    __m128i c = _mm_loadu_si128(s + 2), e = _mm_loadu_si128(s + 3);
    _mm_storeu_si128(d, a);
    _mm_storeu_si128(d + 1, b);
    _mm_storeu_si128(d + 2, c);
    _mm_storeu_si128(d + 3, e);
  }
#else
  memcpy(dst, src, FL_BLOCK_SIZE(n));
#endif
}

struct FlWorld {
  const FlModel *m;
  FlEngine *engine;       /* (owned) */
  FlRng rng;
  FlTally *tally;         /* (transfer none) during fl_world_run */
  /* The per-component, per-slot and per-cell arrays below (holds to inject_active, then
   * link_down_since and rare_since) live in one block, state, which every replication starts
   * as a copy of start: one memcpy for what reset() would otherwise rebuild with a dozen loops
   * and memsets, a fifth of a replication's fixed cost for the multi-region example's 20
   * events. hold_overflow stays apart (allocated only when needed, cleared on its own). */
  gpointer state, start;  /* (owned) the block and its initial contents */
  gsize state_size;
  guint16 *holds;         /* per component: groups, injections and hazard outages holding it
                             down; 16 bits keep the hot arrays small. Groups and injections
                             add at most 2000 (the parser's limits); hazard outages, which can
                             overlap without bound, stop at HAZARD_HOLD_CAP and count on in
                             hold_overflow */
  guint32 *hold_overflow; /* per component: hazard holds beyond the cap; NULL until needed */
  guint8 *repairing;      /* per group slot (below inject_slot_base): member is under repair */
  guint32 *up_items;      /* per superposed group, at slot_base: its up members */
  guint32 *up_pos;        /* per group slot: position of the member in up_items */
  guint32 *up_len;        /* per group */
  guint32 *sz_live;       /* per sz: instances up (ignoring zone and region) */
  guint32 *sr_inst;       /* per sr: live instances in zones that are up */
  guint32 *sr_zones;      /* per sr: zones that are up with >= 1 live instance */
  guint8 *sr_up;          /* per sr: needs holds and the region is up */
  guint32 *svc_regions_up;/* per service */
  double *svc_down_since; /* per service, s; valid while svc_regions_up == 0 */
  guint32 *svc_cause;     /* per service: cause of the current outage */
  guint8 *inject_active;  /* per injection: holding its components down */
  FlFrontendState *fe;    /* (owned; NULL without a frontend) */
  guint8 fe_unsettled;    /* a frontend service may await fl_frontend_settle(): set by the
                             frontend when it leaves a service dirty, cleared by settling, so
                             that the usual zone event, settled in place, costs no call */
  guint8 fe_idle;         /* every frontend service was on advancing's fast path (clients
                             settled, every request served) at the last advance: advancing
                             would only move their clocks, so a group event skips the call.
                             Set only by advancing; cleared, after advancing, by whatever moves
                             a service off the fast path (frontend.c, wake()) */
  FlTimelineFunc timeline;/* (nullable) observer of one replication's events */
  gpointer timeline_data;
  FlHazardState *hz;      /* (owned; NULL without hazards) */
  double *link_down_since;/* per link: when it went down, or NAN while it is up */
  FlLr lr;                /* the replication's likelihood ratio (rare groups only) */
  double *rare_since;     /* per group: when its count at risk last changed, s */
};


/* frontend.c, called by model.c. */
FlFrontend *fl_frontend_new(const FlModel *model, guint32 *n_slots);
void fl_frontend_free(FlFrontend *frontend);
FlFrontendState *fl_frontend_state_new(const FlModel *model);
void fl_frontend_state_free(FlFrontendState *state);
/* At the start of a replication, after the model's own reset. */
void fl_frontend_reset(FlWorld *world);
/* Integrates every frontend service's served requests up to @now with the current state;
 * call before changing anything at @now. */
void fl_frontend_advance(FlWorld *world, double now);
/* Component @id changed (down when @down) at @now; the model has updated its counts. @alone:
 * nothing else changes in this event (a failure group's timer: one component), so what the
 * change touched may be settled at once when settling would draw no random number, arm no
 * timer and emit nothing that another change could precede; fl_frontend_settle() does the
 * rest. */
void fl_frontend_component(FlWorld *world, guint32 id, gboolean down, gboolean alone,
                           double now);
/* Frontend timer @slot (0-based within the frontend) fired at @now: advances to @now first
 * (no fl_frontend_advance() before it) and settles what it touched (no fl_frontend_settle()
 * after it). */
void fl_frontend_fire(FlWorld *world, guint32 slot, double now);
/* Re-evaluates the services touched since the last call: health verdicts, DNS answers,
 * time-based state. */
void fl_frontend_settle(FlWorld *world, double now);
/* Closes open accounting at the horizon. */
void fl_frontend_finish(FlWorld *world, double horizon_s);

/* hazard.c, called by model.c. */
FlHazards *fl_hazards_new(const FlModel *model);
void fl_hazards_free(FlHazards *hazards);
guint32 fl_hazards_count(const FlHazards *hazards);
/* Counters per hazard in the tally's hazard rows (results.h FL_HZ_*). */
guint32 fl_hazards_stride(const FlHazards *hazards);
/* Hazards biased for importance sampling (rare.h); 0 for NULL. */
guint32 fl_hazards_n_rare(const FlHazards *hazards);
/* Adds the biased hazards' exposure over [0, @horizon_s] to the world's likelihood ratio. */
void fl_hazard_finish_lr(FlWorld *world, double horizon_s);
/* Interval timers each world starts with (the pool grows from there). 0 for NULL. */
guint32 fl_hazards_initial_pool(const FlHazards *hazards);
/* Components hazard @hazard can take down (for an earthquake: the zones in reach). */
guint32 fl_hazards_reach(const FlHazards *hazards, guint32 hazard);
FlHazardState *fl_hazard_state_new(const FlModel *model);
void fl_hazard_state_free(FlHazardState *state);
/* At the start of a replication, after the model's own reset: empties the interval pool and
 * arms every hazard's first arrival. */
void fl_hazard_reset(FlWorld *world);
/* Hazard @hazard's arrival timer fired: draws the event, schedules its intervals, re-arms. */
void fl_hazard_fire(FlWorld *world, guint32 hazard, double now);
/* Interval timer @pool_slot (0-based from pool_slot_base) fired: hold or release. */
void fl_hazard_pool_fire(FlWorld *world, guint32 pool_slot, double now);
/* One event of hazard @hazard at @now, scripted by the injection named @injection (cause index
 * @cause): drawn as the stream's events are, except an earthquake's magnitude, @magnitude
 * unless NAN (then from the untilted law). Not counted in the hazard's statistics. */
void fl_hazard_inject(FlWorld *world, guint32 hazard, guint32 cause, const char *injection,
                      double magnitude, double now);

/* model.c, for hazard.c: one more (or one fewer) hold on component @id, charged to @cause;
 * the structure function and the frontend see the change when the count leaves (or reaches)
 * zero. */
void fl_world_hold(FlWorld *world, guint32 id, guint32 cause, double now);
void fl_world_release(FlWorld *world, guint32 id, guint32 cause, double now);

/* model.c, for frontend.c: since when a partition of the link between regions @a and @b has
 * paused replication between them; NAN when the link is up or there is none. */
double fl_world_link_down_since(const FlWorld *world, guint32 a, guint32 b);

/* Emits a timeline record when an observer is set (cheap test otherwise). */
void fl_world_emit(FlWorld *world, double now, const char *component, const char *event,
                   const char *detail);

#endif
