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
typedef enum {
  FL_PENDING_OUTAGE = 0,   /* value: outage duration, s (ideal view) */
  FL_PENDING_REAL_OUTAGE,  /* value: outage duration, s (real view: DNS, LB, DR) */
  FL_PENDING_RTO,          /* value: recovery time of a failover, s */
  FL_PENDING_RPO,          /* value: data lost at a failover, s of writes */
  FL_PENDING_BLOCKED,      /* value: time an API failover waited for the control plane, s */
} FlPendingKind;

typedef struct {
  guint service, cause;
  FlPendingKind kind;
  double duration_s;
} FlPendingOutage;

/* Per-worker accumulators for one service. */
typedef struct {
  FlLogHist outage_hist;   /* durations of finished and censored outages, s */
  FlTimeSum *cause_us;     /* per cause: downtime attributed to it, us (owned) */
  /* Real view (services with DNS, load-balancer or DR mechanics; docs/multi-region.md). */
  FlLogHist real_outage_hist; /* durations of real (client-view) outages, s */
  FlLogHist rto_hist;      /* recovery time per failover, s */
  FlTimeSum rto_sum_us;    /* sum of RTOs, us */
  FlLogHist rpo_hist;      /* data loss window per failover, s */
  FlTimeSum rpo_sum_us;    /* sum of RPOs, us */
  guint64 blocked;         /* API failovers that waited for the control plane */
  FlTimeSum blocked_us;    /* of their waits, the time the record answered a region that was
                              down while the edit would have moved it to one that served (the
                              downtime the block added), us */
} FlServiceAccum;

/* Hazard counters (docs/hazards.md "Report"): one row of `hz_stride` guint64 per hazard:
 * [FL_HZ_EVENTS] events; then, from FL_HZ_ZONE, per zone the events that took it down, per
 * region the events that took all its zones down at once, per service the events that took
 * all its regions down at once; then the histogram of members hit per event (0, 1, ...). */
enum { FL_HZ_EVENTS = 0, FL_HZ_ZONE = 1 };

typedef struct {
  guint n_services, n_causes, n_chunks;
  double horizon_s, chunk_s;
  FlServiceAccum *svc;     /* per service (owned) */
  guint n_hazards, hz_stride;
  guint64 *hazard;         /* [hazard][hz_stride] accumulators (owned; NULL without hazards) */
  guint64 *rep_hazard;     /* the same, for the replication being run (owned; NULL without) */
  FlWeightSum *hazard_w;   /* weighted runs: the counters times each replication's likelihood
                              ratio (owned; NULL unless weighted with hazards) */
  guint32 *hz_touched;     /* indices of rep_hazard that are nonzero, so that a replication
                              costs what it counted, not the size of the rows (owned) */
  guint32 n_hz_touched;
  guint64 events;          /* failures + repairs processed */
  GArray *pending;         /* FlPendingOutage of the replication being run (owned) */
  /* Rows of the replication being run (transfer none; set by fl_tally_begin). */
  double *rep_chunk_down_s;   /* [service][chunk] downtime, s */
  guint32 *rep_outages;       /* [service] outages started */
  double *rep_real_chunk_down_s; /* [service][chunk] real downtime, s */
  double *rep_unserved_s;     /* [service] request-seconds not served (share of demand x s) */
  guint32 *rep_failovers;     /* [service] regional failovers */
  guint32 *rep_real_outages;  /* [service] real outages */
  double *rep_log_weight;     /* the replication's log likelihood ratio (NULL unless weighted) */
  double *rep_cause_down_s;   /* [service][cause] downtime, s (NULL unless weighted) */
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
  double *real_chunk_down_s; /* [rep][service][chunk], real view, s (owned) */
  double *unserved_s;      /* [rep][service]: request-seconds lost (owned) */
  guint32 *failovers;      /* [rep][service] (owned) */
  guint32 *real_outages;   /* [rep][service] (owned) */
  void *rows_map, *rows_heap; /* the seven arrays above are carved from one block: a mapping
                              (huge pages) or a heap block, whichever is set (owned) */
  gsize rows_map_len;
  FlServiceAccum *svc;     /* merged accumulators, per service (owned) */
  guint n_hazards, hz_stride;
  guint64 *hazard;         /* [hazard][hz_stride] merged counters (FL_HZ_*) (owned; NULL
                              without hazards) */
  FlWeightSum *hazard_w;   /* weighted runs: sum over replications of weight x counter, which
                              estimates replications x E[counter] (owned; NULL unless weighted
                              with hazards) */
  char **cause_names;      /* per cause (owned, NULL-terminated) */
  guint64 events;
  double elapsed_s;        /* wall-clock time of the run */
  guint threads;
  /* Importance sampling (rare.h): replications ran under biased rates and each carries the log
   * of its likelihood ratio; figures are weighted means (summary.c). */
  gboolean weighted;
  double *log_weight;      /* [rep] (owned; NULL unless weighted) */
  double *cause_down_s;    /* [rep][service][cause], s: weighted cause shares (owned; NULL
                              unless weighted) */
} FlRunResult;

/* A result for @replications replications; @cause_names is copied. NULL if the arrays would
 * not fit in memory (the caller reports it). (transfer full) */
FlRunResult *fl_run_result_new(guint n_services, const char *const *cause_names,
                               double horizon_s, guint64 replications);
void fl_run_result_free(FlRunResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FlRunResult, fl_run_result_free)

/* Gives @result @n_hazards rows of @stride hazard counters (FL_HZ_*), and their weighted
 * counterparts when the result is weighted (either call may come first); call before any
 * tally is made. */
void fl_run_result_set_hazards(FlRunResult *result, guint n_hazards, guint stride);
/* Makes @result weighted: allocates the per-replication log weights (all 0: weight 1) and
 * cause rows. Call before any replication runs. FALSE when they do not fit in memory. */
gboolean fl_run_result_enable_weights(FlRunResult *result);

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

/* The real (client-view) counterparts, for services with DNS, load-balancer or DR mechanics:
 * an outage as a client resolving now sees it; request-seconds not served (a share of demand
 * times seconds); a regional failover with its data-loss window (@rpo_s, NAN when the service
 * has no replication figure); a failover's recovery time; an API failover that had to wait
 * @waited_s for the control plane. */
void fl_tally_real_outage(FlTally *tally, guint service, double start_s, double end_s);
void fl_tally_unserved(FlTally *tally, guint service, double request_seconds);
void fl_tally_failover(FlTally *tally, guint service, double rpo_s);
void fl_tally_rto(FlTally *tally, guint service, double rto_s);
void fl_tally_blocked(FlTally *tally, guint service, double waited_s);

/* Records the replication's log likelihood ratio when the result is weighted; a no-op on an
 * unweighted result (a timeline replays one replication of a weighted run without its rows). */
void fl_tally_weight(FlTally *tally, double log_weight);

/* Adds one to hazard counter @index (hazard x hz_stride + FL_HZ_* offset) of the replication
 * being run; needs a result with hazard rows. O(1). */
static inline void
fl_tally_hazard_count(FlTally *t, gsize index)
{
  if (t->rep_hazard[index]++ == 0)
    t->hz_touched[t->n_hz_touched++] = (guint32)index;
}

/* Adds the finished replication's outages to the worker's accumulators. A replication that is
 * abandoned (Ctrl-C) never reaches this, so it leaves no trace in the accumulators. */
void fl_tally_end(FlTally *tally);

/* Adds a worker's accumulators into @result (order-independent). */
void fl_run_result_merge(FlRunResult *result, const FlTally *tally);

#endif
