/* engine.c - indexed binary heap of timers. See engine.h.
 *
 * Entries carry their key (time, seq) inline so sift loops compare without chasing pointers;
 * pos[] lets the model re-arm a timer in place (decrease- or increase-key) instead of leaving
 * stale events behind, so the heap never holds more than one entry per slot.
 */
#include "config.h"

#include "faultline/engine.h"

#include <string.h>

static inline gboolean
before(const FlHeapEntry *a, const FlHeapEntry *b)
{
  return a->at_s < b->at_s || (a->at_s == b->at_s && a->seq < b->seq);
}

static inline void
place(FlEngine *e, uint32_t i, FlHeapEntry entry)
{
  e->heap[i] = entry;
  e->pos[entry.slot] = i;
}

static void
sift_up(FlEngine *e, uint32_t i, FlHeapEntry entry)
{
  while (i > 0) {
    uint32_t parent = (i - 1) / 2;
    if (!before(&entry, &e->heap[parent]))
      break;
    place(e, i, e->heap[parent]);
    i = parent;
  }
  place(e, i, entry);
}

static void
sift_down(FlEngine *e, uint32_t i, FlHeapEntry entry)
{
  for (;;) {
    uint32_t child = 2 * i + 1;
    if (child >= e->size)
      break;
    if (child + 1 < e->size && before(&e->heap[child + 1], &e->heap[child]))
      child++;
    if (!before(&e->heap[child], &entry))
      break;
    place(e, i, e->heap[child]);
    i = child;
  }
  place(e, i, entry);
}

FlEngine *
fl_engine_new(uint32_t n_slots)
{
  g_return_val_if_fail(n_slots < FL_ENGINE_IDLE - FL_ENGINE_LANE_CAP, NULL);
  FlEngine *e = g_new0(FlEngine, 1);
  e->n_slots = n_slots;
  e->heap = g_new(FlHeapEntry, n_slots + FL_ENGINE_LANE_CAP);
  e->lane = e->heap + n_slots;
  e->pos = g_new(uint32_t, MAX(1u, n_slots));
  for (uint32_t s = 0; s < n_slots; s++)
    e->pos[s] = FL_ENGINE_IDLE;
  e->fired = FL_ENGINE_IDLE;
  return e;
}

void
fl_engine_grow(FlEngine *e, uint32_t n_slots)
{
  g_return_if_fail(n_slots < FL_ENGINE_IDLE - FL_ENGINE_LANE_CAP);
  if (n_slots <= e->n_slots)
    return;
  e->heap = g_renew(FlHeapEntry, e->heap, n_slots + FL_ENGINE_LANE_CAP);
  e->pos = g_renew(uint32_t, e->pos, n_slots);
  for (uint32_t s = e->n_slots; s < n_slots; s++)
    e->pos[s] = FL_ENGINE_IDLE;
  /* The lane follows the heap's end: move it, and its slots' positions. */
  memmove(e->heap + n_slots, e->heap + e->n_slots, sizeof(FlHeapEntry) * e->lane_len);
  e->lane = e->heap + n_slots;
  for (uint32_t k = 0; k < e->lane_len; k++)
    e->pos[e->lane[k].slot] = n_slots + k;
  e->n_slots = n_slots;
}

void
fl_engine_free(FlEngine *e)
{
  if (e == NULL)
    return;
  g_free(e->heap);
  g_free(e->pos);
  g_free(e);
}

void
fl_engine_reset(FlEngine *e)
{
  for (uint32_t i = 0; i < e->size; i++)
    e->pos[e->heap[i].slot] = FL_ENGINE_IDLE;
  for (uint32_t k = 0; k < e->lane_len; k++)
    e->pos[e->lane[k].slot] = FL_ENGINE_IDLE;
  e->size = 0;
  e->lane_len = 0;
  e->next_seq = 0;
  e->now_s = 0.0;
  e->fired = FL_ENGINE_IDLE;
}

void
fl_engine_arm(FlEngine *e, uint32_t slot, double at_s)
{
  g_assert(slot < e->n_slots);
  g_assert(at_s >= e->now_s); /* the clock never goes back */
  FlHeapEntry entry = { at_s, e->next_seq++, slot };
  if (slot == e->fired) { /* the spent entry at the root, re-armed where it stands */
    g_assert(e->pos[slot] == 0);
    e->fired = FL_ENGINE_IDLE;
    sift_down(e, 0, entry);
    return;
  }
  uint32_t i = e->pos[slot];
  if (i == FL_ENGINE_IDLE) {
    sift_up(e, e->size++, entry);
    return;
  }
  if (i >= e->n_slots) { /* in the lane: moved to the heap */
    fl_engine_lane_remove_(e, i - e->n_slots);
    sift_up(e, e->size++, entry);
    return;
  }
  if (before(&entry, &e->heap[i]))
    sift_up(e, i, entry);
  else
    sift_down(e, i, entry);
}

void
fl_engine_arm_short_slow(FlEngine *e, uint32_t slot, double at_s)
{
  g_assert(slot < e->n_slots);
  g_assert(at_s >= e->now_s);
  uint32_t i = e->pos[slot];
  if (i != FL_ENGINE_IDLE && i >= e->n_slots) /* re-armed: out, then in where it belongs */
    fl_engine_lane_remove_(e, i - e->n_slots);
  else if (i != FL_ENGINE_IDLE || slot == e->fired || e->lane_len == FL_ENGINE_LANE_CAP) {
    fl_engine_arm(e, slot, at_s); /* in the heap already, or no room: the heap's arm */
    return;
  }
  FlHeapEntry entry = { at_s, e->next_seq++, slot };
  fl_engine_lane_insert_(e, entry);
}

void
fl_engine_disarm(FlEngine *e, uint32_t slot)
{
  uint32_t i = e->pos[slot];
  if (i == FL_ENGINE_IDLE || slot == e->fired) /* a spent entry is idle already */
    return;
  if (i >= e->n_slots) {
    fl_engine_lane_remove_(e, i - e->n_slots);
    return;
  }
  e->pos[slot] = FL_ENGINE_IDLE;
  FlHeapEntry last = e->heap[--e->size];
  if (i == e->size)
    return;
  if (i > 0 && before(&last, &e->heap[(i - 1) / 2]))
    sift_up(e, i, last);
  else
    sift_down(e, i, last);
}

/* Removes the entry at the root. */
static inline void
remove_root(FlEngine *e)
{
  e->pos[e->heap[0].slot] = FL_ENGINE_IDLE;
  FlHeapEntry last = e->heap[--e->size];
  if (e->size > 0)
    sift_down(e, 0, last);
}

/* Removes the spent entry fl_engine_fire_until() left at the root, unless it was re-armed. */
static inline void
drop_fired(FlEngine *e)
{
  if (e->fired == FL_ENGINE_IDLE)
    return;
  e->fired = FL_ENGINE_IDLE;
  remove_root(e);
}

/* Whether the lane holds the earliest timer (the heap's spent entry already dropped). */
static inline gboolean
lane_first(const FlEngine *e)
{
  return e->lane_len > 0 && (e->size == 0 || before(&e->lane[0], &e->heap[0]));
}

/* Pops the lane's earliest timer if it fires at or before @until_s. */
static inline gboolean
pop_lane(FlEngine *e, double until_s, uint32_t *slot)
{
  if (e->lane[0].at_s > until_s)
    return FALSE;
  e->now_s = e->lane[0].at_s;
  *slot = e->lane[0].slot;
  fl_engine_lane_remove_(e, 0);
  return TRUE;
}

/* Takes the earliest timer if it fires at or before @until_s, from the lane or the heap; a
 * heap timer whose @keep flag is set (slot below @n_keep) stays at the root as the spent
 * entry. Inlined into both callers, so pop_until's constant n_keep = 0 drops the keep test. */
static inline __attribute__((always_inline)) gboolean
take_next(FlEngine *e, double until_s, const guint8 *keep, uint32_t n_keep, uint32_t *slot)
{
  drop_fired(e);
  if (lane_first(e))
    return pop_lane(e, until_s, slot);
  if (e->size == 0 || e->heap[0].at_s > until_s)
    return FALSE;
  e->now_s = e->heap[0].at_s;
  *slot = e->heap[0].slot;
  if (*slot < n_keep && keep[*slot])
    e->fired = *slot; /* left at the root for its handler to re-arm */
  else
    remove_root(e);
  return TRUE;
}

gboolean
fl_engine_fire_until(FlEngine *e, double until_s, const guint8 *keep, uint32_t n_keep,
                     uint32_t *slot)
{
  return take_next(e, until_s, keep, n_keep, slot);
}

gboolean
fl_engine_pop_until_slow(FlEngine *e, double until_s, uint32_t *slot)
{
  return take_next(e, until_s, NULL, 0, slot);
}
