/* clients.h - where clients' requests go, given the history of DNS answers.
 *
 * Owns: FlClients, the answer history of one DNS name (a service's record set) and the
 * closed-form client shares and request integrals built on it (docs/multi-region.md, "Clients
 * and TTLs").
 *
 * Model. An answer is a vector of shares over the service's R regions (R <= FL_CLIENTS_MAX_REGIONS,
 * each >= 0, summing to 1); a(tau) is the answer in force at tau (a change at tau is in force
 * from tau on; before time 0 the initial answer). Caches expire uniformly, so a client's answer
 * is the answer at its last refresh, uniform over the last refresh period L. A share 1 - p of
 * clients refresh within L1 = ttl, a share p ("stale clients", e.g. a JVM caching lookups)
 * within L2 = stale-for (aws-mechanics.md, "Clients and DNS caches"). The share of clients on
 * region r at time t is
 *
 *     s_r(t) = (1 - p)·W_L1(r, t) + p·W_L2(r, t),   W_L(r, t) = (1/L)·∫_{t-L}^{t} a_r(tau) dtau
 *
 * and W_0(r, t) = a_r(t) (clients follow at once). Writing d_i = a_i - a_{i-1} for the change
 * at tau_i, W_L(r, t) = a_{r,0} + sum_i d_{i,r}·clamp((t - tau_i)/L, 0, 1): each change moves
 * clients linearly over L, so s_r is piecewise linear in t with breakpoints at tau_i,
 * tau_i + L1 and tau_i + L2, and request integrals are exact in closed form.
 *
 * Invariants: change times are non-decreasing; consecutive answers in the history differ (a
 * no-op change is dropped); every stored answer is a valid share vector. The history holds
 * only what times >= the last fl_clients_forget() horizon need: the answer in force before the
 * first stored change (the base) and the changes after it. Queries before that horizon are
 * programmer errors.
 *
 * Cost: the history is a GArray that grows only when it holds more changes than ever before;
 * with fl_clients_forget() called as time advances it stays at the changes of the last
 * max(L1, L2), so in the steady state no call allocates. Queries cost O(R·h) with h the
 * number of stored changes.
 *
 * Not thread-safe: one FlClients per replication. Must not call anything above it (no model,
 * engine or scenario).
 */
#ifndef FAULTLINE_CLIENTS_H
#define FAULTLINE_CLIENTS_H

#include <glib.h>

/* Most regions a DNS answer may span (a scenario with more is rejected before this). */
#define FL_CLIENTS_MAX_REGIONS 16

typedef struct FlClients FlClients;

/* Creates the client model of one DNS name, its history holding a single answer: everything on
 * region 0 ([1, 0, ..., 0]) from the beginning of time. Call fl_clients_reset() to start a
 * replication with the real initial answer.
 *
 * @n_regions: R, 1..FL_CLIENTS_MAX_REGIONS.
 * @ttl_s: L1, the record's TTL in s, >= 0 and finite (0: clients follow at once).
 * @stale_share: p, the share of clients that ignore the TTL, 0..1.
 * @stale_for_s: L2, how long those keep an answer, s, >= 0 and finite (ignored when p = 0).
 *
 * Returns: (transfer full) a new FlClients; free with fl_clients_free(). Programmer errors
 * (a parameter out of range or NaN) log a critical and return NULL. O(1).
 */
FlClients *fl_clients_new(guint n_regions, double ttl_s, double stale_share, double stale_for_s);

/* Frees @c and its history. NULL is allowed. O(1). */
void fl_clients_free(FlClients *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FlClients, fl_clients_free)

/* Starts over at t = 0: clears the history (keeping its memory) and makes @answer the answer
 * in force from the beginning of time, so every client holds it at t = 0. Also clears the
 * forget horizon.
 *
 * @answer: (transfer none) R shares, each >= 0 and finite, summing to 1 within 1e-9; copied.
 *
 * Programmer errors (invalid answer) log a critical and leave @c unchanged. O(R).
 */
void fl_clients_reset(FlClients *c, const double *answer);

/* Records that Route 53 answers @answer from @t_s on.
 *
 * A no-op if @answer equals (bitwise) the answer in force: nothing is stored. A second change
 * at the same instant as the last one replaces it (the earlier answer was in force for no
 * time), and is dropped altogether if that brings back the answer before it.
 *
 * @t_s: time of the change, s; >= the last change's time and >= the forget horizon.
 * @answer: (transfer none) R shares, each >= 0 and finite, summing to 1 within 1e-9; copied.
 *
 * Programmer errors (time going back, invalid answer) log a critical and leave @c unchanged.
 * O(R), amortized; allocates only when the history outgrows its largest size so far.
 */
void fl_clients_set_answer(FlClients *c, double t_s, const double *answer);

/* The answer in force after the last change (what a client resolving now gets).
 *
 * Returns: (transfer none) R shares, owned by @c, valid until the next call that changes the
 * history (reset, set_answer, forget) or fl_clients_free(). O(1). Cannot fail.
 */
const double *fl_clients_answer(const FlClients *c);

/* Number of answer changes stored (not counting the base answer): what the history costs in
 * memory and what queries cost in time. O(1). Cannot fail. */
guint fl_clients_history_length(const FlClients *c);

/* The client shares s_r(@t_s) defined above: where clients' requests go at @t_s. They are each
 * in [0, 1] and sum to 1 (to rounding).
 *
 * @t_s: s, >= the forget horizon; may lie before the last change (the history answers for
 *   any such time) or after it (the last answer is taken to stay in force).
 * @out: (out caller-allocates) R doubles.
 *
 * Programmer errors (@t_s before the horizon) log a critical and leave @out untouched.
 * O(R·h).
 */
void fl_clients_shares(FlClients *c, double t_s, double *out);

/* The share of clients whose cached answer differs from the answer in force at @t_s:
 * 0.5·sum_r |s_r(t) - a_r(t)|, the total-variation distance between where clients send
 * requests and where Route 53 would send them now. 0 once every client has refreshed
 * (max(L1, L2) after the last change), 1 at most.
 *
 * @t_s: as for fl_clients_shares().
 *
 * Returns: the share in [0, 1]. Programmer errors log a critical and return NAN. O(R·h).
 */
double fl_clients_stale_share(FlClients *c, double t_s);

/* The requests served over [@t0_s, @t1_s], in units of total demand × seconds:
 *
 *     integral_{t0}^{t1} sum_r min(s_r(t)·q_r, cap_r) dt
 *
 * computed exactly (to rounding): the interval is split at the breakpoints of s (tau_i,
 * tau_i + L1, tau_i + L2) and where s_r·q_r crosses cap_r, and each linear piece is integrated
 * in closed form (trapezoid). @q and @cap are taken as constant over the interval: call once
 * per interval between events. Answer changes inside (t0, t1] are allowed and accounted for,
 * and the last answer is taken to stay in force up to t1, so call it for [t_prev, t_now] before
 * recording a change at t_now. The requests lost are (t1 - t0) minus the result.
 *
 * @t0_s, @t1_s: s, horizon <= t0 <= t1 (t0 = t1 gives 0).
 * @q: (nullable) (transfer none) per region, the share of requests reaching it that succeed,
 *   each in [0, 1] (e.g. 1 - d for undetected dead targets, 0 for a dead region); NULL means
 *   all 1.
 * @cap: (nullable) (transfer none) per region, its capacity in units of total demand, each
 *   >= 0 (INFINITY allowed); NULL means unlimited.
 *
 * Returns: the integral, in [0, t1 - t0] (to rounding). Programmer errors log a critical and
 * return NAN. O(R·(h + b)) with b <= 3h the breakpoints inside the interval; no allocation.
 */
double fl_clients_served(FlClients *c, double t0_s, double t1_s, const double *q,
                         const double *cap);

/* The shares s_r while no change is stored (every client holds the base answer, so the shares
 * are constant), or NULL while changes are stored. With them a caller can integrate a settled
 * interval itself, as fl_clients_served() would, bitwise:
 *
 *     total = 0; for r in 0 .. R-1: y = s[r]·q[r]; total += (y <= cap[r] ? y : cap[r])·(t1 - t0)
 *
 * (the frontend's per-event integral, where a function call and its argument checks would
 * cost more than the sum). The pointer stays valid for @c's life; its values change with
 * fl_clients_reset() and fl_clients_forget(). O(1).
 */
const double *fl_clients_settled_shares(const FlClients *c);

/* Drops the part of the history that no time >= @t_s needs: the changes at tau with
 * tau + max(L1, L2) <= t_s (every client had refreshed past them by t_s), folding the latest of
 * them into the base answer. Results of every later query for times >= t_s are bitwise the
 * same as without the call. Raises the horizon to @t_s (it never goes back: a smaller @t_s only
 * forgets less). Call it as simulated time advances (e.g. with the time of each event) so the
 * history stays at the changes of the last max(L1, L2).
 *
 * @t_s: the new horizon, s.
 *
 * Cannot fail (NaN is a programmer error: critical, nothing changes). O(R + h), no allocation.
 */
void fl_clients_forget(FlClients *c, double t_s);

#endif
