/* engine.h - the discrete-event core: a clock and a queue of timers.
 *
 * Owns: FlEngine, an indexed binary min-heap of "timer slots". The model decides what a slot
 * means (a component's repair, a group's superposed failure clock, ...); the engine knows
 * nothing about clouds, only that slot s fires at time t.
 *
 * Ordering: by time, then by the order timers were (re)armed, so runs are deterministic (ties
 * are FIFO, as in Cimba's event queue and git's prio-queue). The clock never goes back: arming a
 * timer in the past is a programmer error (asserted).
 *
 * Cost: arm, re-arm, disarm and pop are O(log n) in the number of *armed* timers, not the
 * number of slots; there is no tick, so cost grows with events, never with horizon / step. A
 * timer re-armed by the handler of its own firing can stay in place (fl_engine_fire_until):
 * one sift instead of two. Short-lived timers armed with fl_engine_arm_short() wait in a lane
 * of at most FL_ENGINE_LANE_CAP, a sorted array beside the heap: O(lane) shifts, no sifts.
 * Memory: O(slots), fixed at creation (or fl_engine_grow); nothing is allocated while running.
 */
#ifndef FAULTLINE_ENGINE_H
#define FAULTLINE_ENGINE_H

#include <glib.h>
#include <stdint.h>

typedef struct {
  double at_s;     /* firing time, s since the start of the replication */
  uint64_t seq;    /* arming order: the tie-break */
  uint32_t slot;   /* which timer */
} FlHeapEntry;

#define FL_ENGINE_LANE_CAP 8

typedef struct {
  FlHeapEntry *heap;   /* heap[0] is the earliest; n_slots + FL_ENGINE_LANE_CAP entries, the
                          last FL_ENGINE_LANE_CAP of them the lane (owned) */
  uint32_t *pos;       /* per slot: index in heap (n_slots + k for lane entry k), or
                          FL_ENGINE_IDLE (owned) */
  uint32_t size;       /* armed timers */
  uint32_t n_slots;
  uint64_t next_seq;
  double now_s;        /* time of the last popped timer; never decreases */
  uint32_t fired;      /* the slot fl_engine_fire_until() returned last, while its spent entry
                          still sits at heap[0] (the slot counts as idle), or FL_ENGINE_IDLE */
  /* The lane (fl_engine_arm_short): up to FL_ENGINE_LANE_CAP timers sorted by (at_s, seq),
   * lane[0] the earliest. It lives at the end of the heap array, so that pos[] finds any
   * timer's time with one load. */
  FlHeapEntry *lane;   /* heap + n_slots */
  uint32_t lane_len;
} FlEngine;

#define FL_ENGINE_IDLE UINT32_MAX

/* A queue with @n_slots timers, all idle, clock at 0. (transfer full) */
FlEngine *fl_engine_new(uint32_t n_slots);

/* Raises the number of slots to @n_slots (no-op when it is not larger); the new slots are idle.
 * Pending timers keep their times and tie order. For models whose timers come from a pool that
 * grows during a replication (hazard outage intervals, model.c). O(n_slots). */
void fl_engine_grow(FlEngine *engine, uint32_t n_slots);
void fl_engine_free(FlEngine *engine);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FlEngine, fl_engine_free)

/* Disarms every timer and sets the clock to 0; O(armed). */
void fl_engine_reset(FlEngine *engine);

/* Arms @slot to fire at @at_s (>= now), or moves it there if already armed. */
void fl_engine_arm(FlEngine *engine, uint32_t slot, double at_s);

/* fl_engine_arm() for a timer armed a short while, a few at a time, and often (a load
 * balancer's health check of a target, a Route 53 verdict): it goes to the lane, a small
 * sorted array, while that has room (FL_ENGINE_LANE_CAP timers), else to the heap. An insertion
 * usually lands at the lane's end (a later time than those waiting) and a removal shifts a
 * few entries, which costs less than the heap's sifts and keeps the heap to the long timers.
 * The order of firing is unchanged: (time, arming order) across the heap and the lane. */
static inline void fl_engine_arm_short(FlEngine *engine, uint32_t slot, double at_s);
/* The out-of-line part of fl_engine_arm_short(): a re-arm, a full lane, or a slot in the heap. */
void fl_engine_arm_short_slow(FlEngine *engine, uint32_t slot, double at_s);

/* Disarms @slot if armed. */
void fl_engine_disarm(FlEngine *engine, uint32_t slot);

/* Pops the earliest timer if it fires at or before @until_s: sets *@slot, advances the clock
 * and returns TRUE. Otherwise leaves the queue alone and returns FALSE. */
static inline gboolean fl_engine_pop_until(FlEngine *engine, double until_s, uint32_t *slot);
/* The out-of-line part of fl_engine_pop_until(): the heap's timers, and a spent entry. */
gboolean fl_engine_pop_until_slow(FlEngine *engine, double until_s, uint32_t *slot);

/* fl_engine_pop_until() for a loop whose handlers often re-arm the timer that just fired (a
 * member's failure arms its repair on the same slot, its repair its next failure, a superposed
 * clock is drawn again). For a slot below @n_keep whose @keep flag is set, the spent entry
 * stays at the root of the heap, the slot counting as idle (not armed, disarm a no-op), until
 * the handler re-arms it, which then moves it in place (one sift down from the root instead of
 * a removal and an insertion), or until the next call removes it; any other slot is popped as
 * pop_until does. A timer armed meanwhile fires at or after now and was armed later, so it
 * never passes the spent entry: events come out in exactly pop_until's order. Mixing the two
 * calls is allowed. */
gboolean fl_engine_fire_until(FlEngine *engine, double until_s, const guint8 *keep,
                              uint32_t n_keep, uint32_t *slot);

static inline double
fl_engine_now(const FlEngine *engine)
{
  return engine->now_s;
}

/* Whether @slot is armed (a spent entry left by fl_engine_fire_until() is not). */
static inline gboolean
fl_engine_is_armed(const FlEngine *engine, uint32_t slot)
{
  return engine->pos[slot] != FL_ENGINE_IDLE && slot != engine->fired;
}

/* Firing time of an armed @slot. */
static inline double
fl_engine_time_of(const FlEngine *engine, uint32_t slot)
{
  g_assert(fl_engine_is_armed(engine, slot));
  return engine->heap[engine->pos[slot]].at_s;
}

/* Inserts @entry, the newest timer, into the lane (which has room), from its end: a new timer
 * usually fires after those waiting, and being the newest it goes after any of equal time, so
 * the time alone decides. Internal to the engine and fl_engine_arm_short(). */
static inline void
fl_engine_lane_insert_(FlEngine *e, FlHeapEntry entry)
{
  uint32_t k = e->lane_len++;
  for (; k > 0 && entry.at_s < e->lane[k - 1].at_s; k--) {
    e->lane[k] = e->lane[k - 1];
    e->pos[e->lane[k].slot] = e->n_slots + k;
  }
  e->lane[k] = entry;
  e->pos[entry.slot] = e->n_slots + k;
}

/* Removes lane entry @k (its slot left idle): the later ones move up. Internal. */
static inline void
fl_engine_lane_remove_(FlEngine *e, uint32_t k)
{
  e->pos[e->lane[k].slot] = FL_ENGINE_IDLE;
  for (e->lane_len--; k < e->lane_len; k++) {
    e->lane[k] = e->lane[k + 1];
    e->pos[e->lane[k].slot] = e->n_slots + k;
  }
}

/* Inline for the lane's timers (the frontend's target checks and verdicts): when no spent
 * entry waits and the lane's earliest comes before the heap's root by (time, arming order),
 * it is taken here, as the out-of-line part would take it; anything else goes there. */
static inline gboolean
fl_engine_pop_until(FlEngine *e, double until_s, uint32_t *slot)
{
  if (e->lane_len > 0 && e->fired == FL_ENGINE_IDLE) {
    const FlHeapEntry *first = &e->lane[0], *root = &e->heap[0];
    if (e->size == 0 || first->at_s < root->at_s
        || (first->at_s == root->at_s && first->seq < root->seq)) {
      if (first->at_s > until_s)
        return FALSE;
      e->now_s = first->at_s;
      *slot = first->slot;
      fl_engine_lane_remove_(e, 0);
      return TRUE;
    }
  }
  return fl_engine_pop_until_slow(e, until_s, slot);
}

/* Inline for its usual case, an idle slot and a lane with room (a target check armed by a zone
 * event, say): no call. */
static inline void
fl_engine_arm_short(FlEngine *e, uint32_t slot, double at_s)
{
  g_assert(slot < e->n_slots);
  if (G_LIKELY(e->pos[slot] == FL_ENGINE_IDLE && slot != e->fired
               && e->lane_len < FL_ENGINE_LANE_CAP && at_s >= e->now_s)) {
    FlHeapEntry entry = { at_s, e->next_seq++, slot };
    fl_engine_lane_insert_(e, entry);
    return;
  }
  fl_engine_arm_short_slow(e, slot, at_s);
}

#endif
