/* check_clients.c - unit tests for clients.h: client shares after DNS answer changes and the
 * exact request integrals.
 *
 * Hand-computed cases (a change from [1, 0] to [0, 1] at tau = 100 s; region 0 dead, so
 * q = [0, 1]):
 *   - TTL 60 s, no stale clients: s_1(tau + x) = x/60 for 0 <= x <= 60, so the requests lost
 *     over [tau, tau + 60] are integral_0^60 (1 - x/60) dx = 30 s of demand ("half a TTL");
 *   - plus 5% stale clients refreshing over 1 h: lost = 0.95·30 + 0.05·3600/2 = 118.5 s;
 *   - capacity 0.25 on region 1: served = integral_0^15 x/60 dx + 0.25·45 = 1.875 + 11.25 =
 *     13.125 s; with the stale clients s_1 = 57.05·x/3600 up to the crossing, then above 0.25,
 *     so served over [tau, tau + 3600] = 0.25·3600 - 0.25·x_c/2 = 900 - 112.5/57.05 with
 *     x_c = 900/57.05 the crossing.
 *
 * Everything else is checked against a reference written here from the definition, not from
 * the module's ramp decomposition: W_L(t) = (1/L) sum_i a_i·|[tau_i, tau_{i+1}) ∩ [t-L, t]|
 * (overlap lengths), integrated piece by piece between the candidate breakpoints with the
 * crossing of the capacity located from interior samples, each linear piece by its midpoint
 * value; and, for the failover-then-failback case, also by a plain midpoint Riemann sum with
 * the error bound derived where it is used.
 */
#include "config.h"

#include <check.h>
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "faultline/clients.h"
#include "faultline/rng.h"

#define EXACT 1e-9

/* --- the reference: the definition, computed independently --- */

#define REF_MAX 512

typedef struct {
  guint R;
  double L1, p, L2;
  double base[FL_CLIENTS_MAX_REGIONS];
  guint h;
  double tau[REF_MAX];
  double a[REF_MAX][FL_CLIENTS_MAX_REGIONS];
} Ref;

static void
ref_init(Ref *ref, guint R, double L1, double p, double L2, const double *answer)
{
  memset(ref, 0, sizeof *ref);
  ref->R = R;
  ref->L1 = L1;
  ref->p = p;
  ref->L2 = L2;
  memcpy(ref->base, answer, R * sizeof(double));
}

/* Records a change, applying the module's documented rules independently: no-ops dropped,
 * a change at the same instant replaces the last. */
static void
ref_set(Ref *ref, double t, const double *answer)
{
  const double *cur = ref->h ? ref->a[ref->h - 1] : ref->base;
  if (memcmp(cur, answer, ref->R * sizeof(double)) == 0)
    return;
  if (ref->h > 0 && ref->tau[ref->h - 1] == t) {
    const double *prev = ref->h > 1 ? ref->a[ref->h - 2] : ref->base;
    if (memcmp(prev, answer, ref->R * sizeof(double)) == 0)
      ref->h--; /* back to the answer before: the change vanishes */
    else
      memcpy(ref->a[ref->h - 1], answer, ref->R * sizeof(double));
    return;
  }
  g_assert(ref->h < REF_MAX);
  ref->tau[ref->h] = t;
  memcpy(ref->a[ref->h], answer, ref->R * sizeof(double));
  ref->h++;
}

/* a_r(t), the answer in force at t. */
static double
ref_answer(const Ref *ref, guint r, double t)
{
  double v = ref->base[r];
  for (guint i = 0; i < ref->h && ref->tau[i] <= t; i++)
    v = ref->a[i][r];
  return v;
}

/* W_L(r, t) from overlap lengths. */
static double
ref_window(const Ref *ref, guint r, double t, double L)
{
  if (L == 0.0)
    return ref_answer(ref, r, t);
  double lo = t - L, sum = 0.0;
  for (guint i = 0; i <= ref->h; i++) {
    double start = i == 0 ? -INFINITY : ref->tau[i - 1];
    double end = i == ref->h ? INFINITY : ref->tau[i];
    double value = i == 0 ? ref->base[r] : ref->a[i - 1][r];
    double overlap = MIN(t, end) - MAX(lo, start);
    if (overlap > 0.0)
      sum += value * overlap;
  }
  return sum / L;
}

static double
ref_share(const Ref *ref, guint r, double t)
{
  double s = 0.0;
  if (ref->p < 1.0)
    s += (1.0 - ref->p) * ref_window(ref, r, t, ref->L1);
  if (ref->p > 0.0)
    s += ref->p * ref_window(ref, r, t, ref->L2);
  return s;
}

static int
cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* integral over [t0, t1] of min(s_r q_r, cap_r), summed over r. Between consecutive candidate
 * breakpoints (tau_i, tau_i + L1, tau_i + L2) s_r is linear; its values at the piece's ends are
 * extrapolated from two interior samples (so a jump at an end, L = 0, is seen from the
 * inside), the capacity crossing is placed on that line, and each of the (at most two) linear
 * pieces of min(s q, cap) is integrated by its midpoint value, which is exact for a linear
 * function. */
static double
ref_served(const Ref *ref, double t0, double t1, const double *q, const double *cap)
{
  double *cut = g_new(double, 3 * ref->h + 2);
  guint nc = 0;
  cut[nc++] = t0;
  cut[nc++] = t1;
  for (guint i = 0; i < ref->h; i++) {
    double cand[3] = { ref->tau[i], ref->tau[i] + ref->L1, ref->tau[i] + ref->L2 };
    for (guint j = 0; j < 3; j++)
      if (cand[j] > t0 && cand[j] < t1)
        cut[nc++] = cand[j];
  }
  qsort(cut, nc, sizeof(double), cmp_double);
  double total = 0.0;
  for (guint j = 0; j + 1 < nc; j++) {
    double u = cut[j], v = cut[j + 1], len = v - u;
    if (len <= 0.0)
      continue;
    for (guint r = 0; r < ref->R; r++) {
      double qr = q ? q[r] : 1.0, cr = cap ? cap[r] : INFINITY;
      double y1 = ref_share(ref, r, u + 0.25 * len) * qr;
      double y3 = ref_share(ref, r, u + 0.75 * len) * qr;
      double yu = 1.5 * y1 - 0.5 * y3, yv = 1.5 * y3 - 0.5 * y1;
      double cross = v;
      if ((yu - cr) * (yv - cr) < 0.0)
        cross = u + (cr - yu) / (yv - yu) * len;
      double pieces[3] = { u, cross, v };
      for (guint k = 0; k < 2; k++) {
        double a = pieces[k], b = pieces[k + 1];
        if (b > a)
          total += (b - a) * MIN(ref_share(ref, r, 0.5 * (a + b)) * qr, cr);
      }
    }
  }
  g_free(cut);
  return total;
}

/* Applies one change to both the module and the reference. */
static void
both_set(FlClients *c, Ref *ref, double t, const double *answer)
{
  fl_clients_set_answer(c, t, answer);
  ref_set(ref, t, answer);
}

static void
assert_close(double got, double expected, double tol, const char *what)
{
  ck_assert_msg(fabs(got - expected) <= tol, "%s: got %.17g, expected %.17g (diff %.3g > %.3g)",
                what, got, expected, fabs(got - expected), tol);
}

static guint criticals;

static void
count_criticals(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
  (void)domain;
  (void)message;
  (void)data;
  if (level & G_LOG_LEVEL_CRITICAL)
    criticals++;
}

static const double ONLY0[2] = { 1.0, 0.0 }, ONLY1[2] = { 0.0, 1.0 };
static const double DEAD0[2] = { 0.0, 1.0 }; /* q: region 0 serves nothing */
#define TAU 100.0

/* --- the hand-computed cases --- */

START_TEST(test_ttl_ramp)
{
  g_autoptr(FlClients) c = fl_clients_new(2, 60, 0, 0);
  fl_clients_reset(c, ONLY0);
  fl_clients_set_answer(c, TAU, ONLY1);
  double s[2];
  for (double x = 0; x <= 60; x += 7.5) {
    fl_clients_shares(c, TAU + x, s);
    assert_close(s[0], 1 - x / 60, 1e-12, "old region");
    assert_close(s[1], x / 60, 1e-12, "new region");
    assert_close(fl_clients_stale_share(c, TAU + x), 1 - x / 60, 1e-12, "stale share");
  }
  fl_clients_shares(c, TAU - 10, s);
  ck_assert(s[0] == 1.0 && s[1] == 0.0);
  ck_assert_double_eq(fl_clients_stale_share(c, TAU - 10), 0.0);
  fl_clients_shares(c, TAU + 1000, s);
  ck_assert(s[0] == 0.0 && s[1] == 1.0);
  ck_assert_double_eq(fl_clients_stale_share(c, TAU + 1000), 0.0);
  ck_assert(memcmp(fl_clients_answer(c), ONLY1, sizeof ONLY1) == 0);
}
END_TEST

START_TEST(test_half_ttl_lost)
{
  g_autoptr(FlClients) c = fl_clients_new(2, 60, 0, 0);
  fl_clients_reset(c, ONLY0);
  const double cap[2] = { 1, 1 };
  /* Before the change everyone is on the dead region. */
  assert_close(fl_clients_served(c, 0, TAU, DEAD0, cap), 0.0, EXACT, "before");
  fl_clients_set_answer(c, TAU, ONLY1);
  double served = fl_clients_served(c, TAU, TAU + 60, DEAD0, cap);
  assert_close(60 - served, 30.0, EXACT, "lost over one TTL");
  assert_close(3600 - fl_clients_served(c, TAU, TAU + 3600, DEAD0, cap), 30.0, EXACT,
               "lost over an hour");
  /* Part of the ramp: integral_0^20 (1 - x/60) dx = 20 - 400/120. */
  assert_close(20 - fl_clients_served(c, TAU, TAU + 20, DEAD0, cap), 20 - 400.0 / 120, EXACT,
               "lost over 20 s");
  /* A live old region loses nothing. */
  assert_close(fl_clients_served(c, TAU, TAU + 60, NULL, NULL), 60.0, EXACT, "nothing dead");
  ck_assert_double_eq(fl_clients_served(c, TAU + 5, TAU + 5, DEAD0, cap), 0.0);
}
END_TEST

START_TEST(test_stale_clients)
{
  g_autoptr(FlClients) c = fl_clients_new(2, 60, 0.05, 3600);
  fl_clients_reset(c, ONLY0);
  fl_clients_set_answer(c, TAU, ONLY1);
  const double cap[2] = { 1, 1 };
  assert_close(3600 - fl_clients_served(c, TAU, TAU + 3600, DEAD0, cap), 118.5, EXACT,
               "lost with 5% stale for 1 h");
  /* Nothing more is lost once the stale clients have refreshed. */
  assert_close(7200 - fl_clients_served(c, TAU, TAU + 7200, DEAD0, cap), 118.5, EXACT,
               "lost over 2 h");
  double s[2];
  fl_clients_shares(c, TAU + 30, s);
  assert_close(s[1], 0.95 * 0.5 + 0.05 * 30 / 3600, 1e-12, "share at 30 s");
  fl_clients_shares(c, TAU + 600, s);
  assert_close(s[1], 0.95 + 0.05 * 600 / 3600, 1e-12, "share at 10 min");
  assert_close(fl_clients_stale_share(c, TAU + 600), 0.05 * 3000 / 3600, 1e-12, "stale share");
}
END_TEST

START_TEST(test_capacity_clip)
{
  const double cap[2] = { 1, 0.25 };
  {
    g_autoptr(FlClients) c = fl_clients_new(2, 60, 0, 0);
    fl_clients_reset(c, ONLY0);
    fl_clients_set_answer(c, TAU, ONLY1);
    assert_close(fl_clients_served(c, TAU, TAU + 60, DEAD0, cap), 13.125, EXACT, "cap 0.25");
    /* q = 0.5 as well: s_1·0.5 reaches 0.25 at x = 30: 0.5·900/120 + 0.25·30 = 11.25. */
    const double half[2] = { 0, 0.5 };
    assert_close(fl_clients_served(c, TAU, TAU + 60, half, cap), 11.25, EXACT, "q 0.5 cap 0.25");
    /* Capacity 0: nothing served; capacity above the share: no clipping. */
    const double zero[2] = { 1, 0 };
    ck_assert_double_eq(fl_clients_served(c, TAU, TAU + 60, DEAD0, zero), 0.0);
  }
  {
    g_autoptr(FlClients) c = fl_clients_new(2, 60, 0.05, 3600);
    fl_clients_reset(c, ONLY0);
    fl_clients_set_answer(c, TAU, ONLY1);
    assert_close(fl_clients_served(c, TAU, TAU + 3600, DEAD0, cap), 900 - 112.5 / 57.05, EXACT,
                 "cap 0.25 with stale clients");
  }
}
END_TEST

/* Failover at 100 s, failback at 130 s (inside one TTL), TTL 60 s, 5% stale for 1 h; region
 * 0 degraded (q = 0.2) and region 1 capped at 0.3. */
START_TEST(test_failover_failback)
{
  g_autoptr(FlClients) c = fl_clients_new(2, 60, 0.05, 3600);
  Ref ref;
  ref_init(&ref, 2, 60, 0.05, 3600, ONLY0);
  fl_clients_reset(c, ONLY0);
  both_set(c, &ref, 100, ONLY1);
  both_set(c, &ref, 130, ONLY0);
  const double q[2] = { 0.2, 1.0 }, cap[2] = { 1.0, 0.3 };
  const double t0 = 0, t1 = 4000;

  double exact = ref_served(&ref, t0, t1, q, cap);
  double got = fl_clients_served(c, t0, t1, q, cap);
  assert_close(got, exact, EXACT, "against the exact reference");

  /* Midpoint Riemann sum with N steps of width h. On a step where f = sum_r min(s_r q_r,
   * cap_r) is linear the midpoint rule is exact; on any step it errs by at most M h^2 / 4,
   * M a Lipschitz constant of f: |ds_r/dt| <= 0.95·2/60 + 0.05·2/3600 (at most two changes
   * ramping at once, each |d| <= 1), so M <= 2·(0.95·2/60 + 0.05·2/3600) < 0.064 over both
   * regions. f has at most 2·(6 + 7) kinks in [0, 4000] (per region: 100, 130, 160, 190,
   * 3700, 3730 and at most one capacity crossing per linear piece), each touching at most 2
   * steps. Kahan summation keeps the rounding of the sum far below the bound. */
  const guint N = 2000000;
  const double h = (t1 - t0) / N;
  double sum = 0.0, comp = 0.0;
  for (guint i = 0; i < N; i++) {
    double t = t0 + (i + 0.5) * h, f = 0.0;
    for (guint r = 0; r < 2; r++)
      f += MIN(ref_share(&ref, r, t) * q[r], cap[r]);
    double y = f * h - comp, tot = sum + y;
    comp = (tot - sum) - y;
    sum = tot;
  }
  double bound = 2 * 26 * 0.064 * h * h / 4 + EXACT;
  assert_close(got, sum, bound, "against the Riemann sum");

  /* Additivity across the changes, and the documented use: one call per interval between
   * events. */
  double parts = fl_clients_served(c, 0, 100, q, cap) + fl_clients_served(c, 100, 130, q, cap)
                 + fl_clients_served(c, 130, 160, q, cap)
                 + fl_clients_served(c, 160, 4000, q, cap);
  assert_close(parts, got, EXACT, "additivity");
  /* Shares along the way, against the definition. */
  for (double t = 90; t < 3800; t += 13.7) {
    double s[2];
    fl_clients_shares(c, t, s);
    for (guint r = 0; r < 2; r++)
      assert_close(s[r], ref_share(&ref, r, t), 1e-12, "share");
  }
  /* At 160 s half the TTL clients hold the failover answer (30 of the last 60 s); at 190 s
   * they are all back on region 0, the stale ones still 30/3600 on region 1. */
  double s[2];
  fl_clients_shares(c, 160, s);
  assert_close(s[1], 0.95 * 0.5 + 0.05 * 30 / 3600, 1e-12, "share at 160 s");
  fl_clients_shares(c, 190, s);
  assert_close(s[1], 0.05 * 30 / 3600, 1e-12, "share at 190 s");
}
END_TEST

START_TEST(test_ttl_zero)
{
  const double cap[2] = { 1, 1 };
  {
    g_autoptr(FlClients) c = fl_clients_new(2, 0, 0, 0);
    fl_clients_reset(c, ONLY0);
    fl_clients_set_answer(c, TAU, ONLY1);
    double s[2];
    fl_clients_shares(c, TAU, s);
    ck_assert(s[0] == 0.0 && s[1] == 1.0);
    fl_clients_shares(c, nextafter(TAU, 0), s);
    ck_assert(s[0] == 1.0 && s[1] == 0.0);
    ck_assert_double_eq(fl_clients_stale_share(c, TAU), 0.0);
    assert_close(fl_clients_served(c, TAU, TAU + 60, DEAD0, cap), 60.0, EXACT, "after");
    /* The jump inside the interval: 100 s on the dead region, 100 s on the live one. */
    assert_close(fl_clients_served(c, 0, 200, DEAD0, cap), 100.0, EXACT, "across the jump");
  }
  {
    /* TTL 0 but 5% stale for 1 h: only the stale clients lose, 0.05·1800. */
    g_autoptr(FlClients) c = fl_clients_new(2, 0, 0.05, 3600);
    fl_clients_reset(c, ONLY0);
    fl_clients_set_answer(c, TAU, ONLY1);
    assert_close(3600 - fl_clients_served(c, TAU, TAU + 3600, DEAD0, cap), 90.0, EXACT,
                 "stale only");
  }
  {
    /* Stale clients that follow at once (stale-for 0) behave like TTL-0 clients. */
    g_autoptr(FlClients) c = fl_clients_new(2, 60, 0.05, 0);
    fl_clients_reset(c, ONLY0);
    fl_clients_set_answer(c, TAU, ONLY1);
    assert_close(60 - fl_clients_served(c, TAU, TAU + 60, DEAD0, cap), 0.95 * 30, EXACT,
                 "stale-for 0");
  }
  {
    /* Everyone stale (p = 1): the TTL does not matter. */
    g_autoptr(FlClients) c = fl_clients_new(2, 60, 1.0, 600);
    fl_clients_reset(c, ONLY0);
    fl_clients_set_answer(c, TAU, ONLY1);
    assert_close(600 - fl_clients_served(c, TAU, TAU + 600, DEAD0, cap), 300.0, EXACT, "p = 1");
  }
}
END_TEST

START_TEST(test_noop_set_answer)
{
  g_autoptr(FlClients) c = fl_clients_new(2, 60, 0.05, 3600);
  fl_clients_reset(c, ONLY0);
  fl_clients_set_answer(c, 50, ONLY0); /* the answer in force: nothing stored */
  ck_assert_uint_eq(fl_clients_history_length(c), 0);
  fl_clients_set_answer(c, TAU, ONLY1);
  double before = fl_clients_served(c, TAU, TAU + 3600, DEAD0, NULL);
  fl_clients_set_answer(c, TAU + 10, ONLY1);
  ck_assert_uint_eq(fl_clients_history_length(c), 1);
  ck_assert(fl_clients_served(c, TAU, TAU + 3600, DEAD0, NULL) == before);
  /* -0.0 equals 0.0: still a no-op. */
  const double negzero[2] = { -0.0, 1.0 };
  fl_clients_set_answer(c, TAU + 20, negzero);
  ck_assert_uint_eq(fl_clients_history_length(c), 1);
  /* Two changes at one instant: the second replaces the first... */
  const double half[2] = { 0.5, 0.5 };
  fl_clients_set_answer(c, TAU + 30, half);
  fl_clients_set_answer(c, TAU + 30, ONLY0);
  ck_assert_uint_eq(fl_clients_history_length(c), 2);
  ck_assert(memcmp(fl_clients_answer(c), ONLY0, sizeof ONLY0) == 0);
  /* ...and vanishes when it restores the answer before it. */
  fl_clients_set_answer(c, TAU + 40, half);
  fl_clients_set_answer(c, TAU + 40, ONLY0);
  ck_assert_uint_eq(fl_clients_history_length(c), 2);
  fl_clients_set_answer(c, TAU + 50, ONLY1);
  ck_assert_uint_eq(fl_clients_history_length(c), 3);
  fl_clients_set_answer(c, TAU + 50, ONLY0);
  ck_assert_uint_eq(fl_clients_history_length(c), 2);
}
END_TEST

START_TEST(test_new_and_reset)
{
  g_autoptr(FlClients) c = fl_clients_new(3, 60, 0, 0);
  const double *a = fl_clients_answer(c);
  ck_assert(a[0] == 1.0 && a[1] == 0.0 && a[2] == 0.0); /* documented default */
  const double w[3] = { 0.5, 0.3, 0.2 }, x[3] = { 0, 0, 1 };
  fl_clients_set_answer(c, 10, x);
  fl_clients_forget(c, 1000);
  fl_clients_reset(c, w);
  ck_assert_uint_eq(fl_clients_history_length(c), 0);
  ck_assert(memcmp(fl_clients_answer(c), w, sizeof w) == 0);
  double s[3];
  fl_clients_shares(c, 0, s); /* the horizon is cleared too */
  for (guint r = 0; r < 3; r++)
    ck_assert_double_eq(s[r], w[r]);
  /* Regions whose share does not change keep their clients. */
  const double w2[3] = { 0.7, 0.3, 0.0 };
  fl_clients_set_answer(c, 100, w2);
  fl_clients_shares(c, 130, s);
  assert_close(s[0], 0.6, 1e-12, "region 0");
  assert_close(s[1], 0.3, 1e-12, "region 1");
  assert_close(s[2], 0.1, 1e-12, "region 2");
  assert_close(fl_clients_stale_share(c, 130), 0.1, 1e-12, "stale share");
  g_autoptr(FlClients) none = NULL; /* g_autoptr of NULL is fine */
  (void)none;
}
END_TEST

/* forget() leaves every later result bitwise unchanged and keeps the history to the changes of
 * the last max(L1, L2). */
START_TEST(test_forget_identical)
{
  static const struct {
    double L1, p, L2;
  } cfg[] = { { 60, 0.05, 3600 }, { 60, 0, 0 }, { 0, 0, 0 }, { 300, 0.2, 30 }, { 0, 1.0, 600 } };
  for (guint k = 0; k < G_N_ELEMENTS(cfg); k++) {
    const guint R = 4;
    g_autoptr(FlClients) kept = fl_clients_new(R, cfg[k].L1, cfg[k].p, cfg[k].L2);
    g_autoptr(FlClients) trimmed = fl_clients_new(R, cfg[k].L1, cfg[k].p, cfg[k].L2);
    const double start[4] = { 0.25, 0.25, 0.25, 0.25 };
    fl_clients_reset(kept, start);
    fl_clients_reset(trimmed, start);
    double longest = MAX(cfg[k].p < 1 ? cfg[k].L1 : 0, cfg[k].p > 0 ? cfg[k].L2 : 0);
    FlRng rng;
    fl_rng_seed(&rng, 555, k);
    double t = 0, q[4], cap[4], taus[400];
    guint mismatches = 0, max_len = 0, stored = 0;
    for (guint ev = 0; ev < 400; ev++) {
      double next = t + 200 * fl_rng_exp(&rng);
      for (guint r = 0; r < R; r++) {
        q[r] = fl_rng_uniform(&rng);
        cap[r] = 0.5 * fl_rng_uniform(&rng);
      }
      double a = fl_clients_served(kept, t, next, q, cap);
      double b = fl_clients_served(trimmed, t, next, q, cap);
      mismatches += a != b;
      double sa[4], sb[4];
      double probe = t + (next - t) * fl_rng_uniform(&rng);
      fl_clients_shares(kept, probe, sa);
      fl_clients_shares(trimmed, probe, sb);
      mismatches += memcmp(sa, sb, sizeof sa) != 0;
      mismatches += fl_clients_stale_share(kept, probe) != fl_clients_stale_share(trimmed, probe);
      t = next;
      fl_clients_forget(trimmed, t);
      /* What remains is exactly the stored changes some client may still be moving away
       * from: tau + longest > t. */
      guint ramping = 0;
      for (guint i = 0; i < stored; i++)
        ramping += taus[i] + longest > t;
      ck_assert_uint_eq(fl_clients_history_length(trimmed), ramping);
      max_len = MAX(max_len, ramping);
      double answer[4], sum = 0;
      for (guint r = 0; r < R; r++)
        sum += answer[r] = fl_rng_uniform(&rng) < 0.3 ? 0.0 : fl_rng_uniform(&rng);
      if (sum == 0)
        answer[0] = sum = 1;
      for (guint r = 0; r < R; r++)
        answer[r] /= sum;
      guint len_before = fl_clients_history_length(kept);
      fl_clients_set_answer(kept, t, answer);
      fl_clients_set_answer(trimmed, t, answer);
      if (fl_clients_history_length(kept) > len_before) /* not a repeat of the answer */
        taus[stored++] = t;
    }
    ck_assert_msg(mismatches == 0, "config %u: %u results differ after forget()", k, mismatches);
    ck_assert_uint_eq(fl_clients_history_length(kept), stored);
    ck_assert_uint_ge(stored, 390); /* repeats (all-zero draws twice running) are rare */
    if (longest == 0)
      ck_assert_uint_eq(max_len, 0);
    else
      ck_assert_uint_gt(max_len, 0);
  }
}
END_TEST

/* Random histories against the reference: any R, TTLs, stale shares, intervals that span
 * changes and intervals between them. */
START_TEST(test_random_against_reference)
{
  FlRng rng;
  fl_rng_seed(&rng, 2024, 11);
  double worst = 0.0;
  guint checks = 0;
  for (guint trial = 0; trial < 300; trial++) {
    guint R = 1 + (guint)fl_rng_below(&rng, 6);
    if (trial % 50 == 0)
      R = FL_CLIENTS_MAX_REGIONS;
    double L1 = fl_rng_uniform(&rng) < 0.15 ? 0.0 : 5 + 300 * fl_rng_uniform(&rng);
    double p = fl_rng_uniform(&rng) < 0.3 ? 0.0 : fl_rng_uniform(&rng) < 0.1 ? 1.0 : 0.3 * fl_rng_uniform(&rng);
    double L2 = fl_rng_uniform(&rng) < 0.15 ? 0.0 : 60 + 3600 * fl_rng_uniform(&rng);
    g_autoptr(FlClients) c = fl_clients_new(R, L1, p, L2);
    Ref ref;
    double answer[FL_CLIENTS_MAX_REGIONS] = { 0 };
    answer[0] = 1;
    fl_clients_reset(c, answer);
    ref_init(&ref, R, L1, p, L2, answer);
    double t = 0;
    guint n_changes = 1 + (guint)fl_rng_below(&rng, 25);
    double times[32];
    for (guint i = 0; i < n_changes; i++) {
      /* Mostly close together (within a TTL), sometimes far apart, sometimes simultaneous. */
      double u = fl_rng_uniform(&rng);
      t += u < 0.1 ? 0.0 : u < 0.8 ? 100 * fl_rng_exp(&rng) : 2000 * fl_rng_exp(&rng);
      double sum = 0;
      if (fl_rng_uniform(&rng) < 0.3) { /* one region takes all */
        memset(answer, 0, sizeof answer);
        answer[fl_rng_below(&rng, R)] = 1;
      } else {
        for (guint r = 0; r < R; r++)
          sum += answer[r] = fl_rng_uniform(&rng) < 0.25 ? 0.0 : fl_rng_uniform(&rng);
        if (sum == 0)
          answer[0] = sum = 1;
        for (guint r = 0; r < R; r++)
          answer[r] /= sum;
      }
      both_set(c, &ref, t, answer);
      times[i] = t;
    }
    ck_assert_uint_eq(fl_clients_history_length(c), ref.h);
    double q[FL_CLIENTS_MAX_REGIONS], cap[FL_CLIENTS_MAX_REGIONS];
    for (guint r = 0; r < R; r++) {
      q[r] = fl_rng_uniform(&rng) < 0.2 ? 0.0 : fl_rng_uniform(&rng) < 0.3 ? 1.0 : fl_rng_uniform(&rng);
      cap[r] = fl_rng_uniform(&rng) < 0.2 ? INFINITY : fl_rng_uniform(&rng) * 0.8;
    }
    double end = t + 4000;
    for (guint k = 0; k < 12; k++) {
      double t0, t1;
      if (k < n_changes && k < 6) { /* between two changes (the documented use) */
        t0 = times[k];
        t1 = k + 1 < n_changes ? times[k + 1] : end;
      } else { /* anywhere, spanning changes */
        t0 = end * fl_rng_uniform(&rng);
        t1 = t0 + (end - t0) * fl_rng_uniform(&rng);
      }
      double got = fl_clients_served(c, t0, t1, q, cap);
      double expect = ref_served(&ref, t0, t1, q, cap);
      /* Exact to 1e-9 per 1000 s of interval (the integrand is at most 1). */
      double tol = EXACT * MAX(1.0, (t1 - t0) / 1000);
      if (!(fabs(got - expect) <= tol))
        ck_abort_msg("trial %u (R %u, L1 %g, p %g, L2 %g) [%.17g, %.17g]: %.17g vs %.17g", trial,
                     R, L1, p, L2, t0, t1, got, expect);
      ck_assert_double_le(got, t1 - t0 + EXACT);
      worst = MAX(worst, fabs(got - expect) / MAX(1.0, (t1 - t0) / 1000));
      checks++;
      /* Shares against the definition, summing to 1; the stale share from them. */
      double probe = end * fl_rng_uniform(&rng), s[FL_CLIENTS_MAX_REGIONS], sum = 0, tv = 0;
      fl_clients_shares(c, probe, s);
      for (guint r = 0; r < R; r++) {
        double want = ref_share(&ref, r, probe);
        if (!(fabs(s[r] - want) <= 1e-12 && s[r] >= 0 && s[r] <= 1))
          ck_abort_msg("trial %u: s_%u(%.17g) = %.17g, expected %.17g", trial, r, probe, s[r],
                       want);
        sum += s[r];
        tv += fabs(want - ref_answer(&ref, r, probe));
      }
      ck_assert_double_le(fabs(sum - 1), 1e-12);
      assert_close(fl_clients_stale_share(c, probe), 0.5 * tv, 1e-12, "stale share");
    }
  }
  ck_assert_uint_ge(checks, 3600);
  ck_assert_double_le(worst, EXACT);
}
END_TEST

/* A long run with forget() at every event keeps the history at the changes of the last
 * max(L1, L2). */
START_TEST(test_history_bounded)
{
  g_autoptr(FlClients) c = fl_clients_new(2, 60, 0.05, 3600);
  fl_clients_reset(c, ONLY0);
  double t = 0, lost = 0;
  guint max_len = 0;
  for (guint i = 0; i < 100000; i++) {
    double next = t + 900; /* a flap every 15 min for ~3 years */
    lost += (next - t) - fl_clients_served(c, t, next, DEAD0, NULL);
    t = next;
    fl_clients_forget(c, t);
    fl_clients_set_answer(c, t, i % 2 ? ONLY0 : ONLY1);
    max_len = MAX(max_len, fl_clients_history_length(c));
  }
  /* Changes at 900 s steps, kept while within 3600 s: at most 5 (4 old plus the new one). */
  ck_assert_uint_le(max_len, 5);
  ck_assert(isfinite(lost) && lost > 0);
}
END_TEST

START_TEST(test_invalid)
{
  criticals = 0;
  g_log_set_default_handler(count_criticals, NULL);
  ck_assert_ptr_null(fl_clients_new(0, 60, 0, 0));
  ck_assert_ptr_null(fl_clients_new(FL_CLIENTS_MAX_REGIONS + 1, 60, 0, 0));
  ck_assert_ptr_null(fl_clients_new(2, -1, 0, 0));
  ck_assert_ptr_null(fl_clients_new(2, NAN, 0, 0));
  ck_assert_ptr_null(fl_clients_new(2, 60, 1.5, 0));
  ck_assert_ptr_null(fl_clients_new(2, 60, 0.1, INFINITY));
  ck_assert_uint_eq(criticals, 6);

  g_autoptr(FlClients) c = fl_clients_new(2, 60, 0, 0);
  const double bad_sum[2] = { 0.5, 0.4 }, negative[2] = { -0.5, 1.5 }, nan[2] = { NAN, 1 };
  fl_clients_reset(c, bad_sum);
  fl_clients_set_answer(c, 10, negative);
  fl_clients_set_answer(c, 10, nan);
  fl_clients_set_answer(c, 10, NULL);
  ck_assert_uint_eq(criticals, 10);
  ck_assert_uint_eq(fl_clients_history_length(c), 0);
  fl_clients_set_answer(c, 100, ONLY1);
  fl_clients_set_answer(c, 50, ONLY0); /* time going back */
  fl_clients_set_answer(c, NAN, ONLY0);
  ck_assert_uint_eq(criticals, 12);
  ck_assert_uint_eq(fl_clients_history_length(c), 1);
  fl_clients_forget(c, 500);
  double s[2] = { -1, -1 };
  fl_clients_shares(c, 400, s); /* before the horizon */
  ck_assert(s[0] == -1 && s[1] == -1);
  ck_assert(isnan(fl_clients_stale_share(c, 400)));
  ck_assert(isnan(fl_clients_served(c, 400, 600, NULL, NULL)));
  fl_clients_set_answer(c, 400, ONLY0); /* before the horizon */
  ck_assert_uint_eq(criticals, 16);
  ck_assert(isnan(fl_clients_served(c, 700, 600, NULL, NULL)));
  const double q_bad[2] = { 1.5, 1 }, cap_bad[2] = { 1, -1 };
  ck_assert(isnan(fl_clients_served(c, 600, 700, q_bad, NULL)));
  ck_assert(isnan(fl_clients_served(c, 600, 700, NULL, cap_bad)));
  ck_assert(isnan(fl_clients_served(c, 600, INFINITY, NULL, NULL)));
  fl_clients_forget(c, NAN);
  ck_assert_uint_eq(criticals, 21);
  /* A smaller horizon forgets nothing more and does not lower it. */
  fl_clients_forget(c, 10);
  ck_assert(isnan(fl_clients_stale_share(c, 400)));
  ck_assert_uint_eq(criticals, 22);
  assert_close(fl_clients_served(c, 600, 700, NULL, NULL), 100.0, EXACT, "still usable");
  fl_clients_free(NULL);
}
END_TEST

/* fl_clients_settled_shares(): the shares while nothing is stored, NULL while a change is, and
 * the documented sum over them equals fl_clients_served() bitwise (the frontend relies on it
 * for its per-event integral), for random q and capacities, clipped or not. */
static double
settled_sum(const double *share, guint n, const double *q, const double *cap, double len)
{
  double total = 0.0;
  for (guint r = 0; r < n; r++) {
    double y = share[r] * q[r];
    total += (y <= cap[r] ? y : cap[r]) * len;
  }
  return total;
}

START_TEST(test_settled_shares)
{
  g_autoptr(FlClients) c = fl_clients_new(3, 60, 0.05, 3600);
  const double start[3] = { 0.3, 0.7, 0.0 }, later[3] = { 0.0, 0.25, 0.75 };
  fl_clients_reset(c, start);
  const double *share = fl_clients_settled_shares(c);
  ck_assert_ptr_nonnull(share);
  FlRng rng;
  fl_rng_seed(&rng, 7, 0);
  for (int i = 0; i < 2000; i++) {
    double q[3], cap[3], t0 = 1000.0 * fl_rng_uniform(&rng), t1 = t0 + 500.0 * fl_rng_uniform(&rng);
    for (guint r = 0; r < 3; r++) {
      q[r] = fl_rng_uniform(&rng) < 0.3 ? 1.0 : fl_rng_uniform(&rng);
      cap[r] = fl_rng_uniform(&rng) < 0.3 ? INFINITY : fl_rng_uniform(&rng);
    }
    /* The length as fl_clients_served() takes it: t1 - t0, rounded. */
    ck_assert_double_eq(settled_sum(share, 3, q, cap, t1 - t0),
                        fl_clients_served(c, t0, t1, q, cap));
  }
  fl_clients_set_answer(c, 2000, later);
  ck_assert_ptr_null(fl_clients_settled_shares(c));
  fl_clients_forget(c, 2000 + 3599);
  ck_assert_ptr_null(fl_clients_settled_shares(c)); /* stale clients still moving */
  fl_clients_forget(c, 2000 + 3600);
  ck_assert_ptr_eq(fl_clients_settled_shares(c), share); /* the same storage, new values */
  for (guint r = 0; r < 3; r++)
    ck_assert_double_eq_tol(share[r], later[r], 1e-15);
  const double q[3] = { 1, 0.5, 0.9 }, cap[3] = { 1, 0.1, INFINITY };
  ck_assert_double_eq(settled_sum(share, 3, q, cap, 77.0),
                      fl_clients_served(c, 6000, 6077, q, cap));
}
END_TEST

static Suite *
clients_suite(void)
{
  Suite *s = suite_create("clients");

  TCase *tc = tcase_create("hand-computed");
  tcase_add_test(tc, test_ttl_ramp);
  tcase_add_test(tc, test_half_ttl_lost);
  tcase_add_test(tc, test_stale_clients);
  tcase_add_test(tc, test_capacity_clip);
  tcase_add_test(tc, test_ttl_zero);
  suite_add_tcase(s, tc);

  tc = tcase_create("history");
  tcase_add_test(tc, test_noop_set_answer);
  tcase_add_test(tc, test_new_and_reset);
  tcase_add_test(tc, test_forget_identical);
  tcase_add_test(tc, test_history_bounded);
  tcase_add_test(tc, test_settled_shares);
  tcase_add_test(tc, test_invalid);
  suite_add_tcase(s, tc);

  tc = tcase_create("against the definition");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_failover_failback);
  tcase_add_test(tc, test_random_against_reference);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(clients_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
