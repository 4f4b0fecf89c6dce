/* montecarlo.h - independent replications of a model, in parallel.
 *
 * Owns: the worker threads. Replication i always uses random stream (seed, i) and writes its
 * own rows of the result, and workers add only to order-independent accumulators, so results
 * are bit-identical for any thread count (results.h).
 *
 * Must not call: reports, or the command line's I/O; progress is reported through a callback
 * run on the calling thread.
 */
#ifndef FAULTLINE_MONTECARLO_H
#define FAULTLINE_MONTECARLO_H

#include <glib.h>

#include "faultline/model.h"
#include "faultline/results.h"

/* Called on the calling thread about ten times a second: @done of @total replications. */
typedef void (*FlProgressFunc)(guint64 done, guint64 total, double elapsed_s, gpointer data);

typedef struct {
  guint64 replications;   /* >= 1 */
  guint64 seed;
  double horizon_s;       /* > 0 */
  guint threads;          /* >= 1 */
  const gint *stop;       /* (nullable) set to nonzero (atomically) to stop early */
  FlProgressFunc progress;/* (nullable) */
  gpointer progress_data;
} FlRunOptions;

/* Runs the replications. Returns the result (transfer full), with ->interrupted set when
 * *stop was raised (only finished replications count). Returns NULL with FL_RUN_ERROR_IO when
 * the result arrays do not fit in memory. */
FlRunResult *fl_montecarlo_run(const FlModel *model, const FlRunOptions *options,
                               GError **error);

#endif
