/* results.h - what a Monte Carlo run measured, and how a replication writes it.
 *
 * Owns: FlRunResult (everything reports read) and FlTally (a worker's write handle). A
 * replication writes its own rows of the per-replication arrays (indexed by replication, so
 * the layout never depends on which thread ran it) and adds to its worker's order-independent
 * accumulators (integer counts and sums, maxima), which are merged after the run. Hence every
 * figure derived from an FlRunResult is bit-identical for any thread count.
 *
 * "Chunks": each replication's horizon is cut into n_chunks equal pieces of about a year; a
 * chunk's downtime, scaled to a year, is one sample of "downtime per year". With a 1y horizon a
 * chunk is the whole replication.
 *
 * Memory: O(replications x services x chunks) for the per-replication rows plus
 * O(threads x services x causes) for the accumulators; never O(events).
 */
#ifndef FAULTLINE_RESULTS_H
#define FAULTLINE_RESULTS_H

#include <glib.h>

#include "faultline/stats.h"

/* An outage seen by the replication being run, not yet added to the accumulators. */
typedef struct {
  guint service, cause;
  double duration_s;
} FlPendingOutage;

/* Per-worker accumulators for one service. */
typedef struct {
  FlLogHist outage_hist;   /* durations of finished and censored outages, s */
  FlTimeSum *cause_us;     /* per cause: downtime attributed to it, us (owned) */
} FlServiceAccum;

typedef struct {
  guint n_services, n_causes, n_chunks;
  double horizon_s, chunk_s;
  FlServiceAccum *svc;     /* per service (owned) */
  guint64 events;          /* failures + repairs processed */
  GArray *pending;         /* FlPendingOutage of the replication being run (owned) */
  /* Rows of the replication being run (transfer none; set by fl_tally_begin). */
  double *rep_chunk_down_s;   /* [service][chunk] downtime, s */
  guint32 *rep_outages;       /* [service] outages started */
} FlTally;

typedef struct {
  guint n_services, n_causes, n_chunks;
  double horizon_s, chunk_s;
  guint64 replications;    /* asked for */
  guint64 completed;       /* finished (== replications unless interrupted) */
  gboolean interrupted;
  guint8 *done;            /* per replication: 1 if finished (owned) */
  double *chunk_down_s;    /* [rep][service][chunk], s (owned) */
  guint32 *outages;        /* [rep][service] (owned) */
  FlServiceAccum *svc;     /* merged accumulators, per service (owned) */
  char **cause_names;      /* per cause (owned, NULL-terminated) */
  guint64 events;
  double elapsed_s;        /* wall-clock time of the run */
  guint threads;
} FlRunResult;

/* A result for @replications replications; @cause_names is copied. NULL if the arrays would
 * not fit in memory (the caller reports it). (transfer full) */
FlRunResult *fl_run_result_new(guint n_services, const char *const *cause_names,
                               double horizon_s, guint64 replications);
void fl_run_result_free(FlRunResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FlRunResult, fl_run_result_free)

/* Chunks per replication for a horizon: max(1, round(horizon / 1y)). */
guint fl_chunks_for_horizon(double horizon_s);

/* A worker's tally for @result. (transfer full) */
FlTally *fl_tally_new(const FlRunResult *result);
void fl_tally_free(FlTally *tally);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FlTally, fl_tally_free)

/* Points @tally at replication @rep's rows of @result and zeroes them. */
void fl_tally_begin(FlTally *tally, FlRunResult *result, guint64 rep);

/* Records that @service was down over [start_s, end_s) because of @cause: in the
 * replication's rows at once, in the worker's accumulators at fl_tally_end(). */
void fl_tally_outage(FlTally *tally, guint service, double start_s, double end_s, guint cause);

/* Adds the finished replication's outages to the worker's accumulators. A replication that is
 * abandoned (Ctrl-C) never reaches this, so it leaves no trace in the accumulators. */
void fl_tally_end(FlTally *tally);

/* Adds a worker's accumulators into @result (order-independent). */
void fl_run_result_merge(FlRunResult *result, const FlTally *tally);

#endif
