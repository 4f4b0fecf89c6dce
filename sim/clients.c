/* clients.c - client shares and request integrals over a DNS answer history. See clients.h.
 *
 * Each refresh window w (L1 = ttl with weight 1 - p, L2 = stale-for with weight p) turns the
 * history into W_w(t) = A + sum over "rising" changes of d_i·(t - tau_i)/L_w, where A is the
 * answer of the last change whose ramp is done (tau + L_w <= t; or the base answer) and the
 * rising changes are the ones after it that are in force (tau <= t). Because all ramps of one
 * window have the same length they finish in the order they started, so the rising changes
 * are always a contiguous run [done, started) of the history. fl_clients_served() walks the
 * breakpoints of both windows in order, keeping for each window and region the sums of the
 * rising ramps (an offset and a slope), so each breakpoint costs O(R) and a call O(R·(h + b)).
 * A ramp leaves the sums by subtracting exactly the terms it added, the sums are rebased when a
 * new run of ramps begins and reset to exactly 0 when the run empties, so rounding stays at a
 * few ulps of the shares.
 *
 * Only changes that are still rising at the start of a query are ever summed, and forget()
 * drops only changes that are done in every window by its horizon, copying the answer of the
 * last one into the base, so forgetting leaves every later result bitwise unchanged.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "faultline/clients.h"

/* How far an answer's shares may sum from 1: the rounding of weights / sum of weights over
 * 16 regions is ~1e-15, so 1e-9 only rejects answers that are really wrong. */
#define ANSWER_SUM_TOL 1e-9

typedef struct {
  double at_s;                         /* when this answer came into force, s */
  double answer[FL_CLIENTS_MAX_REGIONS]; /* shares per region; [n_regions..] unused */
} Change;

struct FlClients {
  guint n_regions;                     /* R, 1..FL_CLIENTS_MAX_REGIONS */
  guint n_windows;                     /* refresh windows with a positive weight: 1 or 2 */
  double window_s[2];                  /* their lengths L, s, >= 0 */
  double weight[2];                    /* their client shares, > 0, summing to 1 */
  double base[FL_CLIENTS_MAX_REGIONS]; /* the answer in force before the first stored change */
  double base_share[FL_CLIENTS_MAX_REGIONS]; /* s_r with every client on base: the windows'
                                          weighted sum, clamped (see set_base()) */
  GArray *changes;                     /* of Change, at_s strictly increasing; consecutive
                                          answers differ (owned) */
  double horizon_s;                    /* no query before this time; -INFINITY after reset */
};

/* Running state of one refresh window over a sweep of increasing times. The rising part at
 * time t is sum over rising i of d_i·(t - tau_i)/L = offset + slope·(t - ref): both sums are
 * taken relative to @ref, the time the current run of rising changes began (or the sweep's
 * start), so their terms stay of the size of the shares and a change leaves them by
 * subtracting exactly what it added. */
typedef struct {
  guint done;                           /* changes whose ramp is over: tau + L <= t */
  guint started;                        /* changes in force: tau <= t; done <= started */
  const double *settled;                /* the answer of change done - 1, or the base */
  double ref_s;                         /* reference time of the sums below, s */
  double offset[FL_CLIENTS_MAX_REGIONS]; /* sum over rising i of d_i·(ref - tau_i)/L */
  double slope[FL_CLIENTS_MAX_REGIONS]; /* sum over rising i of d_i / L, 1/s */
} Window;

static inline const Change *
change_at(const FlClients *c, guint i)
{
  return &g_array_index(c->changes, Change, i);
}

/* The answer before change @i: change i - 1's, or the base. */
static inline const double *
answer_before(const FlClients *c, guint i)
{
  return i == 0 ? c->base : change_at(c, i - 1)->answer;
}

static gboolean
answer_valid(const FlClients *c, const double *answer)
{
  if (answer == NULL)
    return FALSE;
  double sum = 0.0;
  for (guint r = 0; r < c->n_regions; r++) {
    if (!(answer[r] >= 0.0 && answer[r] <= 1.0))
      return FALSE;
    sum += answer[r];
  }
  return fabs(sum - 1.0) <= ANSWER_SUM_TOL;
}

static gboolean
answers_equal(const FlClients *c, const double *a, const double *b)
{
  for (guint r = 0; r < c->n_regions; r++)
    if (a[r] != b[r])
      return FALSE;
  return TRUE;
}

/* Adds (@sign = 1) or removes (@sign = -1) change @i's ramp to or from @win's sums. Only for
 * windows of positive length. */
static void
window_ramp(const FlClients *c, guint w, Window *win, guint i, double sign)
{
  double len = c->window_s[w];
  const double *now = change_at(c, i)->answer, *before = answer_before(c, i);
  double lag = (win->ref_s - change_at(c, i)->at_s) / len;
  for (guint r = 0; r < c->n_regions; r++) {
    double d = sign * (now[r] - before[r]);
    win->offset[r] += d * lag;
    win->slope[r] += d / len;
  }
}

/* Zeroes the sums of the first R regions, the only ones ever read or written. */
static void
window_clear_sums(const FlClients *c, Window *win)
{
  memset(win->offset, 0, c->n_regions * sizeof(double));
  memset(win->slope, 0, c->n_regions * sizeof(double));
}

/* Sets @win to window @w's state at time @t (>= the horizon). O(R·h). */
static void
window_init(const FlClients *c, guint w, double t, Window *win)
{
  double len = c->window_s[w];
  guint h = c->changes->len;
  win->started = 0;
  while (win->started < h && change_at(c, win->started)->at_s <= t)
    win->started++;
  win->done = 0;
  while (win->done < win->started && change_at(c, win->done)->at_s + len <= t)
    win->done++;
  win->settled = answer_before(c, win->done);
  win->ref_s = t;
  window_clear_sums(c, win);
  /* Rising changes exist only when len > 0: with len = 0, tau <= t gives tau + len <= t. */
  for (guint i = win->done; i < win->started; i++)
    window_ramp(c, w, win, i, 1.0);
}

/* Moves @win to time @t, which must not lie past window_next() (no change starts or finishes
 * strictly between the current time and @t). O(R) per change that starts or finishes. */
static void
window_advance(const FlClients *c, guint w, double t, Window *win)
{
  double len = c->window_s[w];
  guint h = c->changes->len;
  while (win->started < h && change_at(c, win->started)->at_s <= t) {
    if (len > 0.0) {
      if (win->done == win->started) { /* a new run begins: rebase on it */
        win->ref_s = t;
        window_clear_sums(c, win);
      }
      window_ramp(c, w, win, win->started, 1.0);
    }
    win->started++;
  }
  while (win->done < win->started && change_at(c, win->done)->at_s + len <= t) {
    if (len > 0.0)
      window_ramp(c, w, win, win->done, -1.0); /* its ramp is at 1: into the settled answer */
    win->done++;
  }
  win->settled = answer_before(c, win->done);
  if (win->done == win->started) /* nothing rising: drop the rounding residue */
    window_clear_sums(c, win);
}

/* The earliest event of @win after its current time: the next change to start or the next
 * ramp to finish; INFINITY if none. */
static double
window_next(const FlClients *c, guint w, const Window *win)
{
  double next = INFINITY;
  if (win->started < c->changes->len)
    next = change_at(c, win->started)->at_s;
  if (win->done < win->started)
    next = MIN(next, change_at(c, win->done)->at_s + c->window_s[w]);
  return next;
}

/* s_r(@t) from the window states (valid between their last event and the next), clamped to
 * [0, 1] against rounding. */
static inline double
share_at(const FlClients *c, const Window *win, guint r, double t)
{
  double s = 0.0;
  for (guint w = 0; w < c->n_windows; w++)
    s += c->weight[w]
         * (win[w].settled[r] + win[w].offset[r] + win[w].slope[r] * (t - win[w].ref_s));
  return CLAMP(s, 0.0, 1.0);
}

/* Integral over a piece of length @len of min(y, cap) where y runs linearly from @y0 to @y1:
 * a trapezoid, a rectangle, or both split where y crosses @cap. */
static double
piece_integral(double y0, double y1, double cap, double len)
{
  if (y0 <= cap && y1 <= cap)
    return 0.5 * (y0 + y1) * len;
  if (y0 >= cap && y1 >= cap)
    return cap * len;
  /* Here y0 < cap < y1 or y1 < cap < y0, so y1 != y0 and x lies in (0, 1). */
  double x = (cap - y0) / (y1 - y0);
  if (y0 < cap)
    return len * (x * 0.5 * (y0 + cap) + (1.0 - x) * cap);
  return len * (x * cap + (1.0 - x) * 0.5 * (cap + y1));
}

/* Sets the base answer, and the shares it gives when no change is stored: the sweep's own
 * arithmetic (with nothing rising, share_at() adds exact zeros to the base answer), done once
 * per base instead of once per query. */
static void
set_base(FlClients *c, const double *answer)
{
  memcpy(c->base, answer, c->n_regions * sizeof(double));
  for (guint r = 0; r < c->n_regions; r++) {
    double s = 0.0;
    for (guint w = 0; w < c->n_windows; w++)
      s += c->weight[w] * c->base[r];
    c->base_share[r] = CLAMP(s, 0.0, 1.0);
  }
}

/* fl_clients_served() over an interval of length @len > 0 when no change is stored: every
 * client holds the base answer, so each share is constant (base_share) and the interval is
 * one piece. The frontend's usual case (requests lost while a load balancer has not yet
 * noticed dead targets), so it skips the window sweep; the result is bitwise the sweep's. */
static double
served_settled(const FlClients *c, double len, const double *q, const double *cap)
{
  double total = 0.0;
  for (guint r = 0; r < c->n_regions; r++) {
    double qr = q != NULL ? q[r] : 1.0, capr = cap != NULL ? cap[r] : INFINITY;
    double y = c->base_share[r] * qr;
    total += piece_integral(y, y, capr, len);
  }
  return total;
}

FlClients *
fl_clients_new(guint n_regions, double ttl_s, double stale_share, double stale_for_s)
{
  g_return_val_if_fail(n_regions >= 1 && n_regions <= FL_CLIENTS_MAX_REGIONS, NULL);
  g_return_val_if_fail(isfinite(ttl_s) && ttl_s >= 0.0, NULL);
  g_return_val_if_fail(stale_share >= 0.0 && stale_share <= 1.0, NULL);
  g_return_val_if_fail(isfinite(stale_for_s) && stale_for_s >= 0.0, NULL);
  FlClients *c = g_new0(FlClients, 1);
  c->n_regions = n_regions;
  /* A window with weight 0 changes nothing (0·x adds an exact 0), so it is left out. */
  if (stale_share < 1.0) {
    c->window_s[c->n_windows] = ttl_s;
    c->weight[c->n_windows++] = 1.0 - stale_share;
  }
  if (stale_share > 0.0) {
    c->window_s[c->n_windows] = stale_for_s;
    c->weight[c->n_windows++] = stale_share;
  }
  c->changes = g_array_new(FALSE, FALSE, sizeof(Change));
  set_base(c, (const double[FL_CLIENTS_MAX_REGIONS]){ 1.0 });
  c->horizon_s = -INFINITY;
  return c;
}

void
fl_clients_free(FlClients *c)
{
  if (c == NULL)
    return;
  g_array_unref(c->changes);
  g_free(c);
}

void
fl_clients_reset(FlClients *c, const double *answer)
{
  g_return_if_fail(c != NULL);
  /* The usual case: no change since the last reset, so the base (valid, and with its shares
   * already computed) is kept; a replication of the multi-region example starts with this. */
  if (c->changes->len == 0 && answer != NULL && answers_equal(c, answer, c->base)) {
    c->horizon_s = -INFINITY;
    return;
  }
  g_return_if_fail(answer_valid(c, answer));
  g_array_set_size(c->changes, 0);
  set_base(c, answer);
  c->horizon_s = -INFINITY;
}

const double *
fl_clients_answer(const FlClients *c)
{
  g_return_val_if_fail(c != NULL, NULL);
  return answer_before(c, c->changes->len);
}

guint
fl_clients_history_length(const FlClients *c)
{
  g_return_val_if_fail(c != NULL, 0);
  return c->changes->len;
}

void
fl_clients_set_answer(FlClients *c, double t_s, const double *answer)
{
  g_return_if_fail(c != NULL);
  g_return_if_fail(answer_valid(c, answer));
  guint h = c->changes->len;
  double last_s = h > 0 ? change_at(c, h - 1)->at_s : -INFINITY;
  g_return_if_fail(isfinite(t_s) && t_s >= last_s && t_s >= c->horizon_s);
  if (answers_equal(c, answer, answer_before(c, h)))
    return;
  if (t_s == last_s) {
    /* Two changes at one instant: the first was never in force. */
    if (answers_equal(c, answer, answer_before(c, h - 1)))
      g_array_set_size(c->changes, h - 1);
    else
      memcpy(g_array_index(c->changes, Change, h - 1).answer, answer,
             c->n_regions * sizeof(double));
    return;
  }
  /* Written in place: a Change on the stack would be zeroed whole (136 bytes, the unused
   * regions too) and then copied whole, about as dear as the rest of this call. */
  g_array_set_size(c->changes, h + 1);
  Change *ch = &g_array_index(c->changes, Change, h);
  ch->at_s = t_s;
  memcpy(ch->answer, answer, c->n_regions * sizeof(double));
}

void
fl_clients_shares(FlClients *c, double t_s, double *out)
{
  g_return_if_fail(c != NULL && out != NULL);
  g_return_if_fail(isfinite(t_s) && t_s >= c->horizon_s);
  Window win[2];
  for (guint w = 0; w < c->n_windows; w++)
    window_init(c, w, t_s, &win[w]);
  for (guint r = 0; r < c->n_regions; r++)
    out[r] = share_at(c, win, r, t_s);
}

double
fl_clients_stale_share(FlClients *c, double t_s)
{
  g_return_val_if_fail(c != NULL, NAN);
  g_return_val_if_fail(isfinite(t_s) && t_s >= c->horizon_s, NAN);
  Window win[2];
  for (guint w = 0; w < c->n_windows; w++)
    window_init(c, w, t_s, &win[w]);
  /* The answer in force at t: every window has started the same changes. */
  const double *now = answer_before(c, win[0].started);
  double dist = 0.0;
  for (guint r = 0; r < c->n_regions; r++)
    dist += fabs(share_at(c, win, r, t_s) - now[r]);
  return CLAMP(0.5 * dist, 0.0, 1.0);
}

double
fl_clients_served(FlClients *c, double t0_s, double t1_s, const double *q, const double *cap)
{
  g_return_val_if_fail(c != NULL, NAN);
  g_return_val_if_fail(isfinite(t0_s) && isfinite(t1_s), NAN);
  g_return_val_if_fail(t0_s >= c->horizon_s && t0_s <= t1_s, NAN);
  for (guint r = 0; r < c->n_regions; r++) {
    g_return_val_if_fail(q == NULL || (q[r] >= 0.0 && q[r] <= 1.0), NAN);
    g_return_val_if_fail(cap == NULL || cap[r] >= 0.0, NAN);
  }
  if (c->changes->len == 0 && t0_s < t1_s)
    return served_settled(c, t1_s - t0_s, q, cap);
  Window win[2];
  for (guint w = 0; w < c->n_windows; w++)
    window_init(c, w, t0_s, &win[w]);
  double total = 0.0, at = t0_s;
  while (at < t1_s) {
    double next = t1_s;
    for (guint w = 0; w < c->n_windows; w++)
      next = MIN(next, window_next(c, w, &win[w]));
    double len = next - at;
    for (guint r = 0; r < c->n_regions; r++) {
      double qr = q != NULL ? q[r] : 1.0, capr = cap != NULL ? cap[r] : INFINITY;
      double y0 = share_at(c, win, r, at) * qr, y1 = share_at(c, win, r, next) * qr;
      total += piece_integral(y0, y1, capr, len);
    }
    if (next >= t1_s)
      break;
    for (guint w = 0; w < c->n_windows; w++)
      window_advance(c, w, next, &win[w]);
    at = next;
  }
  return total;
}

const double *
fl_clients_settled_shares(const FlClients *c)
{
  g_return_val_if_fail(c != NULL, NULL);
  return c->changes->len == 0 ? c->base_share : NULL;
}

void
fl_clients_forget(FlClients *c, double t_s)
{
  g_return_if_fail(c != NULL);
  g_return_if_fail(!isnan(t_s));
  double longest = 0.0;
  for (guint w = 0; w < c->n_windows; w++)
    longest = MAX(longest, c->window_s[w]);
  /* tau + longest <= t implies tau + L <= t for every window (rounding is monotone), so what
   * is dropped is done in every window at every time >= t. */
  guint drop = 0;
  while (drop < c->changes->len && change_at(c, drop)->at_s + longest <= t_s)
    drop++;
  if (drop > 0) {
    set_base(c, change_at(c, drop - 1)->answer);
    g_array_remove_range(c->changes, 0, drop);
  }
  c->horizon_s = MAX(c->horizon_s, t_s);
}
