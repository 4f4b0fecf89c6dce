/* check_engine.c - the timer queue: order, re-arming, disarming, limits, and a long random
 * run checked against a naive reference (engine.h). */
#include "config.h"

#include "faultline/engine.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

/* Pops everything (no limit) into @out; returns how many. */
static guint
drain(FlEngine *e, uint32_t *out, guint max)
{
  guint n = 0;
  uint32_t slot;
  while (n < max && fl_engine_pop_until(e, G_MAXDOUBLE, &slot))
    out[n++] = slot;
  return n;
}

/* The heap invariant, the pos[] index and the idle marks, checked exhaustively: O(slots).
 * Plain ifs with one ck_abort_msg, because every ck_assert costs a message to the Check
 * runner, which would dominate the random test's millions of checks. */
static void
check_heap(const FlEngine *e)
{
  guint armed = 0;
  for (uint32_t i = 0; i < e->size; i++) {
    const FlHeapEntry *h = &e->heap[i];
    if (h->slot >= e->n_slots || e->pos[h->slot] != i || h->at_s < e->now_s)
      ck_abort_msg("heap entry %u (slot %u at %g) is inconsistent", i, h->slot, h->at_s);
    if (i > 0) {
      const FlHeapEntry *p = &e->heap[(i - 1) / 2];
      if (!(p->at_s < h->at_s || (p->at_s == h->at_s && p->seq < h->seq)))
        ck_abort_msg("heap order broken at %u", i);
    }
  }
  /* The lane: sorted, at the heap array's end, indexed by pos[] as n_slots + k. */
  if (e->lane_len > FL_ENGINE_LANE_CAP || e->lane != e->heap + e->n_slots)
    ck_abort_msg("lane of %u entries at the wrong place", e->lane_len);
  for (uint32_t k = 0; k < e->lane_len; k++) {
    const FlHeapEntry *h = &e->lane[k];
    if (h->slot >= e->n_slots || e->pos[h->slot] != e->n_slots + k || h->at_s < e->now_s)
      ck_abort_msg("lane entry %u (slot %u at %g) is inconsistent", k, h->slot, h->at_s);
    const FlHeapEntry *p = k > 0 ? &e->lane[k - 1] : NULL;
    if (p && !(p->at_s < h->at_s || (p->at_s == h->at_s && p->seq < h->seq)))
      ck_abort_msg("lane order broken at %u", k);
  }
  for (uint32_t s = 0; s < e->n_slots; s++)
    if (e->pos[s] != FL_ENGINE_IDLE) {
      uint32_t i = e->pos[s];
      gboolean ok = i >= e->n_slots ? i - e->n_slots < e->lane_len && e->lane[i - e->n_slots].slot == s
                                    : i < e->size && e->heap[i].slot == s;
      if (!ok)
        ck_abort_msg("pos[%u] = %u is stale", s, i);
      armed++;
    }
  if (armed != e->size + e->lane_len)
    ck_abort_msg("%u slots marked armed but %u in the heap and %u in the lane", armed, e->size,
                 e->lane_len);
}

/* ---- order ---- */

START_TEST(test_new_is_idle)
{
  g_autoptr(FlEngine) e = fl_engine_new(4);
  uint32_t slot;
  ck_assert_double_eq(fl_engine_now(e), 0.0);
  for (uint32_t s = 0; s < 4; s++)
    ck_assert(!fl_engine_is_armed(e, s));
  ck_assert(!fl_engine_pop_until(e, G_MAXDOUBLE, &slot));

  g_autoptr(FlEngine) none = fl_engine_new(0); /* no timers at all is legal */
  ck_assert(!fl_engine_pop_until(none, G_MAXDOUBLE, &slot));
}
END_TEST

START_TEST(test_pop_order_by_time)
{
  g_autoptr(FlEngine) e = fl_engine_new(6);
  const double at[6] = { 50.0, 10.0, 40.0, 0.0, 30.0, 20.0 };
  for (uint32_t s = 0; s < 6; s++)
    fl_engine_arm(e, s, at[s]);
  const uint32_t want[6] = { 3, 1, 5, 4, 2, 0 };
  uint32_t got[6];
  ck_assert_uint_eq(drain(e, got, 6), 6);
  for (guint i = 0; i < 6; i++) {
    ck_assert_uint_eq(got[i], want[i]);
  }
  ck_assert_double_eq(fl_engine_now(e), 50.0);
  ck_assert_uint_eq(e->size, 0);
}
END_TEST

START_TEST(test_ties_are_fifo)
{
  /* Arm in the order 4, 0, 3, 1, 2, all at t = 7: they must come out in that order, whatever
   * the slot numbers, because the tie-break is the arming sequence. */
  g_autoptr(FlEngine) e = fl_engine_new(5);
  const uint32_t order[5] = { 4, 0, 3, 1, 2 };
  for (guint i = 0; i < 5; i++)
    fl_engine_arm(e, order[i], 7.0);
  uint32_t got[5];
  ck_assert_uint_eq(drain(e, got, 5), 5);
  for (guint i = 0; i < 5; i++)
    ck_assert_uint_eq(got[i], order[i]);
}
END_TEST

START_TEST(test_rearm_same_time_goes_last)
{
  /* 0, 1, 2 armed at t = 5; re-arming 0 at the same time gives it a new sequence number, so it
   * now ties after 1 and 2. Then re-arm 2 (at the same time): order 1, 0, 2. */
  g_autoptr(FlEngine) e = fl_engine_new(3);
  for (uint32_t s = 0; s < 3; s++)
    fl_engine_arm(e, s, 5.0);
  fl_engine_arm(e, 0, 5.0);
  fl_engine_arm(e, 2, 5.0);
  check_heap(e);
  uint32_t got[3];
  ck_assert_uint_eq(drain(e, got, 3), 3);
  ck_assert_uint_eq(got[0], 1);
  ck_assert_uint_eq(got[1], 0);
  ck_assert_uint_eq(got[2], 2);
}
END_TEST

START_TEST(test_rearm_earlier_and_later)
{
  g_autoptr(FlEngine) e = fl_engine_new(8);
  for (uint32_t s = 0; s < 8; s++)
    fl_engine_arm(e, s, 10.0 * (s + 1)); /* 10, 20, ..., 80 */
  fl_engine_arm(e, 6, 5.0);   /* decrease-key of a leaf to the front */
  check_heap(e);
  fl_engine_arm(e, 6, 25.0);  /* increase-key of the root into the middle */
  check_heap(e);
  fl_engine_arm(e, 7, 1.0);   /* the last one to the front */
  check_heap(e);
  fl_engine_arm(e, 0, 100.0); /* a middle node to the back */
  check_heap(e);
  ck_assert_uint_eq(e->size, 8); /* re-arming never duplicates a timer */
  /* Times now: 7@1, 1@20, 6@25, 2@30, 3@40, 4@50, 5@60, 0@100. */
  const uint32_t want[8] = { 7, 1, 6, 2, 3, 4, 5, 0 };
  uint32_t got[8];
  ck_assert_uint_eq(drain(e, got, 8), 8);
  for (guint i = 0; i < 8; i++)
    ck_assert_uint_eq(got[i], want[i]);
}
END_TEST

/* ---- disarm ---- */

/* Arms slots 0..6 at 1..7 (slot s at s + 1, so the heap is already in order: 0 is the root,
 * 3 is a middle node, 6 is the last entry), disarms @victim, and checks the rest come out in
 * order without it. */
static void
disarm_and_check(uint32_t victim)
{
  g_autoptr(FlEngine) e = fl_engine_new(8);
  for (uint32_t s = 0; s < 7; s++)
    fl_engine_arm(e, s, (double)(s + 1));
  fl_engine_disarm(e, victim);
  ck_assert(!fl_engine_is_armed(e, victim));
  ck_assert_uint_eq(e->size, 6);
  check_heap(e);
  uint32_t got[7];
  ck_assert_uint_eq(drain(e, got, 7), 6);
  guint k = 0;
  for (uint32_t s = 0; s < 7; s++) {
    if (s == victim)
      continue;
    ck_assert_uint_eq(got[k], s);
    k++;
  }
}

START_TEST(test_disarm_root)
{
  disarm_and_check(0);
}
END_TEST

START_TEST(test_disarm_middle)
{
  disarm_and_check(1);
  disarm_and_check(3);
}
END_TEST

START_TEST(test_disarm_last)
{
  disarm_and_check(6);
}
END_TEST

START_TEST(test_disarm_needs_sift_up)
{
  /* Disarming a node in one subtree moves the last entry (from the other subtree) into its
   * place; when that entry is smaller than the new parent it must go *up*. Heap by arming:
   *            s0@0
   *       s1@10      s2@1
   *     s3@11 s4@12 s5@2 s6@3
   * Disarm s4 (index 4): the last entry s6@3 moves to index 4 under s1@10 and must sift up. */
  g_autoptr(FlEngine) e = fl_engine_new(7);
  const double at[7] = { 0, 10, 1, 11, 12, 2, 3 };
  for (uint32_t s = 0; s < 7; s++)
    fl_engine_arm(e, s, at[s]);
  check_heap(e);
  ck_assert_uint_eq(e->pos[4], 4);
  ck_assert_uint_eq(e->pos[6], 6);
  fl_engine_disarm(e, 4);
  check_heap(e);
  const uint32_t want[6] = { 0, 2, 5, 6, 1, 3 };
  uint32_t got[6];
  ck_assert_uint_eq(drain(e, got, 6), 6);
  for (guint i = 0; i < 6; i++)
    ck_assert_uint_eq(got[i], want[i]);
}
END_TEST

START_TEST(test_disarm_idle)
{
  g_autoptr(FlEngine) e = fl_engine_new(4);
  fl_engine_disarm(e, 2); /* never armed: a no-op */
  ck_assert_uint_eq(e->size, 0);
  fl_engine_arm(e, 1, 3.0);
  fl_engine_arm(e, 3, 4.0);
  fl_engine_disarm(e, 2);
  fl_engine_disarm(e, 1);
  fl_engine_disarm(e, 1); /* twice: the second is a no-op */
  ck_assert_uint_eq(e->size, 1);
  check_heap(e);
  uint32_t slot;
  ck_assert(fl_engine_pop_until(e, 100.0, &slot));
  ck_assert_uint_eq(slot, 3);
  fl_engine_disarm(e, 3); /* popped: idle again */
  ck_assert(!fl_engine_pop_until(e, 100.0, &slot));
}
END_TEST

/* ---- limits, reset, clock ---- */

START_TEST(test_pop_until_limit)
{
  g_autoptr(FlEngine) e = fl_engine_new(3);
  fl_engine_arm(e, 0, 10.0);
  fl_engine_arm(e, 1, 20.0);
  uint32_t slot;
  ck_assert(!fl_engine_pop_until(e, 9.999, &slot));
  /* Nothing moved: same size, same clock, both still armed. */
  ck_assert_uint_eq(e->size, 2);
  ck_assert_double_eq(fl_engine_now(e), 0.0);
  ck_assert(fl_engine_is_armed(e, 0) && fl_engine_is_armed(e, 1));
  check_heap(e);
  /* The limit is inclusive: a timer at exactly until_s fires. */
  ck_assert(fl_engine_pop_until(e, 10.0, &slot));
  ck_assert_uint_eq(slot, 0);
  ck_assert_double_eq(fl_engine_now(e), 10.0);
  ck_assert(!fl_engine_is_armed(e, 0));
  ck_assert(!fl_engine_pop_until(e, 15.0, &slot));
  ck_assert_double_eq(fl_engine_now(e), 10.0); /* the clock only moves on a pop */
  ck_assert(fl_engine_pop_until(e, 20.0, &slot));
  ck_assert_uint_eq(slot, 1);
}
END_TEST

START_TEST(test_reset)
{
  g_autoptr(FlEngine) e = fl_engine_new(5);
  for (uint32_t s = 0; s < 5; s++)
    fl_engine_arm(e, s, 100.0 + s);
  uint32_t slot;
  ck_assert(fl_engine_pop_until(e, 100.0, &slot));
  ck_assert_double_eq(fl_engine_now(e), 100.0);
  fl_engine_reset(e);
  ck_assert_uint_eq(e->size, 0);
  ck_assert_double_eq(fl_engine_now(e), 0.0);
  for (uint32_t s = 0; s < 5; s++)
    ck_assert(!fl_engine_is_armed(e, s));
  ck_assert(!fl_engine_pop_until(e, G_MAXDOUBLE, &slot));
  /* Usable again from t = 0, and ties are FIFO from scratch. */
  fl_engine_arm(e, 4, 1.0);
  fl_engine_arm(e, 2, 1.0);
  check_heap(e);
  ck_assert(fl_engine_pop_until(e, 1.0, &slot));
  ck_assert_uint_eq(slot, 4);
  ck_assert(fl_engine_pop_until(e, 1.0, &slot));
  ck_assert_uint_eq(slot, 2);
}
END_TEST

START_TEST(test_arm_at_now_is_allowed)
{
  g_autoptr(FlEngine) e = fl_engine_new(2);
  fl_engine_arm(e, 0, 5.0);
  uint32_t slot;
  ck_assert(fl_engine_pop_until(e, 5.0, &slot));
  fl_engine_arm(e, 1, 5.0); /* at the current time: fine */
  ck_assert(fl_engine_pop_until(e, 5.0, &slot));
  ck_assert_uint_eq(slot, 1);
  ck_assert_double_eq(fl_engine_now(e), 5.0);
}
END_TEST

START_TEST(test_arm_in_past_aborts)
{
  /* The clock never goes back: arming before now is a programmer error (g_assert, SIGABRT). */
  FlEngine *e = fl_engine_new(2);
  fl_engine_arm(e, 0, 5.0);
  uint32_t slot;
  ck_assert(fl_engine_pop_until(e, 5.0, &slot));
  /* GLib's assertion text ("Bail out! ...") would look like a TAP abort in the test log; the
   * expected signal is what this test checks, so silence this forked child's output. */
  ck_assert_ptr_nonnull(freopen("/dev/null", "w", stdout));
  ck_assert_ptr_nonnull(freopen("/dev/null", "w", stderr));
  fl_engine_arm(e, 1, 4.0);
  fl_engine_free(e); /* not reached */
}
END_TEST

/* ---- fire_until: the spent timer stays at the root until re-armed or dropped ---- */

static const guint8 keep4[4] = { 1, 1, 1, 1 };

START_TEST(test_fire_until_rearm_in_place)
{
  g_autoptr(FlEngine) e = fl_engine_new(4);
  fl_engine_arm(e, 0, 1.0);
  fl_engine_arm(e, 1, 2.0);
  fl_engine_arm(e, 2, 3.0);
  uint32_t slot;
  ck_assert(fl_engine_fire_until(e, 10.0, keep4, 4, &slot));
  ck_assert_uint_eq(slot, 0);
  ck_assert_double_eq(fl_engine_now(e), 1.0);
  /* Fired: idle to every caller, though its entry is still in the heap. */
  ck_assert(!fl_engine_is_armed(e, 0));
  fl_engine_disarm(e, 0); /* a no-op */
  ck_assert_uint_eq(e->size, 3);
  /* Another timer armed now, at the same time as the spent one, does not pass it. */
  fl_engine_arm(e, 3, 1.0);
  check_heap(e);
  /* Re-armed after slot 1: moved in place, the heap keeps its size. */
  fl_engine_arm(e, 0, 2.5);
  ck_assert(fl_engine_is_armed(e, 0));
  ck_assert_double_eq(fl_engine_time_of(e, 0), 2.5);
  ck_assert_uint_eq(e->size, 4);
  check_heap(e);
  uint32_t order[4];
  guint n = 0;
  while (fl_engine_fire_until(e, 10.0, keep4, 4, &slot))
    order[n++] = slot; /* none re-armed: each is dropped by the next call */
  ck_assert_uint_eq(n, 4);
  ck_assert_uint_eq(order[0], 3);
  ck_assert_uint_eq(order[1], 1);
  ck_assert_uint_eq(order[2], 0);
  ck_assert_uint_eq(order[3], 2);
  ck_assert_uint_eq(e->size, 0);
  check_heap(e);
}
END_TEST

START_TEST(test_fire_until_then_pop_and_reset)
{
  g_autoptr(FlEngine) e = fl_engine_new(3);
  fl_engine_arm(e, 0, 1.0);
  fl_engine_arm(e, 1, 2.0);
  uint32_t slot;
  ck_assert(fl_engine_fire_until(e, 10.0, keep4, 4, &slot));
  ck_assert_uint_eq(slot, 0);
  /* pop_until drops the spent entry first. */
  ck_assert(fl_engine_pop_until(e, 10.0, &slot));
  ck_assert_uint_eq(slot, 1);
  ck_assert_uint_eq(e->size, 0);
  /* A limit before the next timer leaves it alone, and drops only the spent one. */
  fl_engine_arm(e, 2, 5.0);
  fl_engine_arm(e, 0, 4.0);
  ck_assert(fl_engine_fire_until(e, 4.5, keep4, 3, &slot));
  ck_assert_uint_eq(slot, 0);
  ck_assert(!fl_engine_fire_until(e, 4.5, keep4, 3, &slot));
  ck_assert_uint_eq(e->size, 1);
  ck_assert(fl_engine_is_armed(e, 2));
  /* A slot not kept (here: at or past n_keep) is popped at once, as by pop_until. */
  fl_engine_arm(e, 1, 6.0);
  ck_assert_uint_eq(e->size, 2);
  ck_assert(fl_engine_fire_until(e, 5.5, keep4, 2, &slot));
  ck_assert_uint_eq(slot, 2);
  ck_assert_uint_eq(e->size, 1);
  ck_assert(e->fired == FL_ENGINE_IDLE);
  /* A reset forgets a spent entry too. */
  ck_assert(fl_engine_fire_until(e, 10.0, keep4, 4, &slot));
  ck_assert_uint_eq(slot, 1);
  ck_assert(e->fired == 1);
  fl_engine_reset(e);
  ck_assert_uint_eq(e->size, 0);
  ck_assert(!fl_engine_is_armed(e, 1));
  fl_engine_arm(e, 1, 1.0);
  ck_assert(fl_engine_is_armed(e, 1));
  check_heap(e);
}
END_TEST

/* ---- many events against a reference ---- */

/* splitmix64: a self-contained generator so this test depends on nothing but the engine. */
static uint64_t
splitmix(uint64_t *state)
{
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

typedef struct {
  gboolean armed;
  double at_s;
  uint64_t seq;
} RefTimer;

/* The reference: an array of timers and a linear scan for the earliest (time, seq). */
static int
ref_earliest(const RefTimer *ref, uint32_t n)
{
  int best = -1;
  for (uint32_t s = 0; s < n; s++) {
    if (!ref[s].armed)
      continue;
    if (best < 0 || ref[s].at_s < ref[best].at_s
        || (ref[s].at_s == ref[best].at_s && ref[s].seq < ref[best].seq))
      best = (int)s;
  }
  return best;
}

/* 100,000 operations on 300 slots: arms of idle slots, re-arms (earlier and later), disarms,
 * bounded pops and unbounded pops. Times are now + a small whole number so ties are frequent
 * and the FIFO tie-break is exercised all the time. Every pop must match the reference exactly,
 * and the heap invariant is checked after every operation. With @fire, half the pops are
 * fl_engine_fire_until() and half the arms that follow one re-arm the slot it returned (the
 * in-place path), so the two calls are checked mixed, against the same reference. */
static void
random_against_reference(uint64_t seed, gboolean fire, gboolean short_arms)
{
  enum { SLOTS = 300, OPS = 100000 };
  uint64_t rs = seed;
  uint32_t last_fired = FL_ENGINE_IDLE;
  guint in_place = 0;
  guint8 keep[SLOTS]; /* two slots in three left in place when fired, the rest popped */
  for (guint s = 0; s < SLOTS; s++)
    keep[s] = s % 3 != 0;
  g_autoptr(FlEngine) e = fl_engine_new(SLOTS);
  RefTimer *ref = g_new0(RefTimer, SLOTS);
  uint64_t seq = 0;
  double now = 0.0;
  guint pops = 0, max_size = 0, lane_pops = 0, lane_full = 0;
  for (guint op = 0; op < OPS; op++) {
    uint64_t r = splitmix(&rs);
    uint32_t slot = (uint32_t)((r >> 8) % SLOTS);
    guint kind = (guint)(r % 10);
    if (op == OPS / 4 || op == 3 * OPS / 4) {
      /* Growing keeps every pending timer, the lane's too (it moves to the new end of the heap
       * array): check_heap below checks their positions, and the pops go on matching. The
       * new slots stay unused. */
      fl_engine_grow(e, e->n_slots + 37);
    }
    if (op == OPS / 2) {
      /* Halfway: a reset must bring both back to a clean t = 0. */
      fl_engine_reset(e);
      memset(ref, 0, sizeof(RefTimer) * SLOTS);
      now = 0.0;
      seq = 0;
    }
    if (kind < 5) { /* arm or re-arm */
      double at = now + (double)((r >> 32) % 16);
      if (last_fired != FL_ENGINE_IDLE && (r >> 40) % 2 == 0) {
        slot = last_fired; /* the timer that just fired, re-armed */
        in_place += e->fired == slot;
      }
      /* With @short_arms, slots s % 4 == 0 are armed short (to the lane while it has room),
       * and one arm in eight of any other slot too; the rest through the heap's arm, which
       * also moves a timer out of the lane. */
      if (short_arms && (slot % 4 == 0 || (r >> 48) % 8 == 0)) {
        lane_full += e->lane_len == FL_ENGINE_LANE_CAP;
        fl_engine_arm_short(e, slot, at);
      } else {
        fl_engine_arm(e, slot, at);
      }
      ref[slot] = (RefTimer){ TRUE, at, seq++ };
    } else if (kind < 7) { /* disarm (maybe idle) */
      fl_engine_disarm(e, slot);
      ref[slot].armed = FALSE;
    } else { /* pop, with a limit that sometimes stops it */
      double until = kind == 9 ? G_MAXDOUBLE : now + (double)((r >> 32) % 4);
      int want = ref_earliest(ref, SLOTS);
      uint32_t got = 0;
      gboolean by_fire = fire && (r >> 44) % 2 == 0;
      gboolean from_lane = e->lane_len > 0 && (e->size == 0 || e->lane[0].at_s < e->heap[0].at_s);
      gboolean popped = by_fire ? fl_engine_fire_until(e, until, keep, SLOTS, &got)
                                : fl_engine_pop_until(e, until, &got);
      last_fired = popped && by_fire ? got : FL_ENGINE_IDLE;
      if (want >= 0 && ref[want].at_s <= until) {
        if (!popped || got != (uint32_t)want)
          ck_abort_msg("op %u: expected slot %d at %g, got %s %u", op, want, ref[want].at_s,
                       popped ? "slot" : "nothing", got);
        if (ref[want].at_s < now)
          ck_abort_msg("op %u: the clock went back from %g to %g", op, now, ref[want].at_s);
        now = ref[want].at_s;
        ref[want].armed = FALSE;
        pops++;
        lane_pops += from_lane;
      } else if (popped) {
        ck_abort_msg("op %u: popped slot %u past %g", op, got, until);
      }
      if (fl_engine_now(e) != now)
        ck_abort_msg("op %u: clock %g, expected %g", op, fl_engine_now(e), now);
    }
    if (fl_engine_is_armed(e, slot) != ref[slot].armed)
      ck_abort_msg("op %u: slot %u armed is %d", op, slot, fl_engine_is_armed(e, slot));
    max_size = MAX(max_size, e->size);
    check_heap(e);
  }
  /* The run must really have exercised a deep heap, many pops and, with @fire, the in-place
   * re-arm. */
  ck_assert_uint_gt(max_size, 100);
  ck_assert_uint_gt(pops, 10000);
  if (fire)
    ck_assert_uint_gt(in_place, 1000);
  if (short_arms) { /* and the lane: popped from, and full (the heap taking the rest) */
    ck_assert_uint_gt(lane_pops, 200);
    ck_assert_uint_gt(lane_full, 1000);
  }
  /* Drain: the remainder comes out in reference order. */
  uint32_t got;
  while (fl_engine_pop_until(e, G_MAXDOUBLE, &got)) {
    int want = ref_earliest(ref, SLOTS);
    if ((int)got != want)
      ck_abort_msg("drain: got slot %u, expected %d", got, want);
    ref[want].armed = FALSE;
  }
  ck_assert_int_eq(ref_earliest(ref, SLOTS), -1);
  g_free(ref);
}

START_TEST(test_random_against_reference)
{
  random_against_reference(20240601, FALSE, FALSE);
}
END_TEST

START_TEST(test_random_lane_against_reference)
{
  random_against_reference(20261201, FALSE, TRUE);
  random_against_reference(20261202, TRUE, TRUE);
}
END_TEST

START_TEST(test_random_fire_against_reference)
{
  random_against_reference(20261128, TRUE, FALSE);
}
END_TEST

static Suite *
engine_suite(void)
{
  Suite *s = suite_create("engine");
  TCase *tc = tcase_create("order");
  tcase_add_test(tc, test_new_is_idle);
  tcase_add_test(tc, test_pop_order_by_time);
  tcase_add_test(tc, test_ties_are_fifo);
  tcase_add_test(tc, test_rearm_same_time_goes_last);
  tcase_add_test(tc, test_rearm_earlier_and_later);
  suite_add_tcase(s, tc);

  tc = tcase_create("disarm");
  tcase_add_test(tc, test_disarm_root);
  tcase_add_test(tc, test_disarm_middle);
  tcase_add_test(tc, test_disarm_last);
  tcase_add_test(tc, test_disarm_needs_sift_up);
  tcase_add_test(tc, test_disarm_idle);
  suite_add_tcase(s, tc);

  tc = tcase_create("limits");
  tcase_add_test(tc, test_pop_until_limit);
  tcase_add_test(tc, test_reset);
  tcase_add_test(tc, test_arm_at_now_is_allowed);
  tcase_add_test_raise_signal(tc, test_arm_in_past_aborts, SIGABRT);
  suite_add_tcase(s, tc);

  tc = tcase_create("fire");
  tcase_add_test(tc, test_fire_until_rearm_in_place);
  tcase_add_test(tc, test_fire_until_then_pop_and_reset);
  suite_add_tcase(s, tc);

  tc = tcase_create("stress");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_random_against_reference);
  tcase_add_test(tc, test_random_lane_against_reference);
  tcase_add_test(tc, test_random_fire_against_reference);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(engine_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
