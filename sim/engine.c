/* engine.c - indexed binary heap of timers. See engine.h.
 *
 * Entries carry their key (time, seq) inline so sift loops compare without chasing pointers;
 * pos[] lets the model re-arm a timer in place (decrease- or increase-key) instead of leaving
 * stale events behind, so the heap never holds more than one entry per slot.
 */
#include "config.h"

#include "faultline/engine.h"

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
  g_return_val_if_fail(n_slots < FL_ENGINE_IDLE, NULL);
  FlEngine *e = g_new0(FlEngine, 1);
  e->n_slots = n_slots;
  e->heap = g_new(FlHeapEntry, MAX(1u, n_slots));
  e->pos = g_new(uint32_t, MAX(1u, n_slots));
  for (uint32_t s = 0; s < n_slots; s++)
    e->pos[s] = FL_ENGINE_IDLE;
  return e;
}

void
fl_engine_grow(FlEngine *e, uint32_t n_slots)
{
  g_return_if_fail(n_slots < FL_ENGINE_IDLE);
  if (n_slots <= e->n_slots)
    return;
  e->heap = g_renew(FlHeapEntry, e->heap, n_slots);
  e->pos = g_renew(uint32_t, e->pos, n_slots);
  for (uint32_t s = e->n_slots; s < n_slots; s++)
    e->pos[s] = FL_ENGINE_IDLE;
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
  e->size = 0;
  e->next_seq = 0;
  e->now_s = 0.0;
}

void
fl_engine_arm(FlEngine *e, uint32_t slot, double at_s)
{
  g_assert(slot < e->n_slots);
  g_assert(at_s >= e->now_s); /* the clock never goes back */
  FlHeapEntry entry = { at_s, e->next_seq++, slot };
  uint32_t i = e->pos[slot];
  if (i == FL_ENGINE_IDLE) {
    sift_up(e, e->size++, entry);
    return;
  }
  if (before(&entry, &e->heap[i]))
    sift_up(e, i, entry);
  else
    sift_down(e, i, entry);
}

void
fl_engine_disarm(FlEngine *e, uint32_t slot)
{
  uint32_t i = e->pos[slot];
  if (i == FL_ENGINE_IDLE)
    return;
  e->pos[slot] = FL_ENGINE_IDLE;
  FlHeapEntry last = e->heap[--e->size];
  if (i == e->size)
    return;
  if (i > 0 && before(&last, &e->heap[(i - 1) / 2]))
    sift_up(e, i, last);
  else
    sift_down(e, i, last);
}

gboolean
fl_engine_pop_until(FlEngine *e, double until_s, uint32_t *slot)
{
  if (e->size == 0 || e->heap[0].at_s > until_s)
    return FALSE;
  FlHeapEntry top = e->heap[0];
  e->pos[top.slot] = FL_ENGINE_IDLE;
  FlHeapEntry last = e->heap[--e->size];
  if (e->size > 0)
    sift_down(e, 0, last);
  e->now_s = top.at_s;
  *slot = top.slot;
  return TRUE;
}
