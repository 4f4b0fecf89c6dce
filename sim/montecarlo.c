/* montecarlo.c - worker threads over replications. See montecarlo.h.
 *
 * Work is handed out in blocks of consecutive replications from a shared counter: up to
 * MAX_BLOCK at a time, fewer towards the end (a quarter of what is left per thread), so threads
 * stay busy whatever the spread of replication costs. Blocks matter when replications are
 * short (the multi-region example's last a few microseconds): taking the lock once per
 * replication, and two threads writing neighbouring result rows and done flags (the same cache
 * lines), cost more than the replications. Where a replication runs never changes what it
 * computes: it draws from its own stream (seed, replication) and writes its own rows.
 */
#include "config.h"

#include "faultline/errors.h"
#include "faultline/montecarlo.h"

#define MAX_BLOCK 64 /* replications per take; 64 done flags are one cache line */

typedef struct {
  const FlModel *model;
  const FlRunOptions *opt;
  FlRunResult *result;
  guint64 next64;      /* next replication to hand out; guarded by lock */
  GMutex lock;         /* guards next64 and merging into result */
  gint completed;      /* atomic: finished replications, for progress display only */
  gint workers_left;   /* guarded by lock */
  guint threads;       /* workers started */
  GCond all_done;      /* signalled when workers_left reaches 0 */
} Shared;

/* Takes the next block of replications, [*first, *end); FALSE when none is left. */
static gboolean
take(Shared *sh, guint64 *first, guint64 *end)
{
  g_mutex_lock(&sh->lock);
  guint64 left = sh->opt->replications - sh->next64;
  guint64 n = MIN((guint64)MAX_BLOCK, MAX(G_GUINT64_CONSTANT(1), left / (4u * sh->threads)));
  gboolean ok = left > 0;
  if (ok) {
    *first = sh->next64;
    *end = sh->next64 += MIN(n, left);
  }
  g_mutex_unlock(&sh->lock);
  return ok;
}

static gpointer
worker(gpointer data)
{
  Shared *sh = data;
  g_autoptr(FlWorld) world = fl_world_new(sh->model);
  g_autoptr(FlTally) tally = fl_tally_new(sh->result);
  guint64 first, end;
  gboolean stopped = FALSE;
  while (!stopped && take(sh, &first, &end)) {
    guint64 rep = first;
    for (; rep < end; rep++) {
      stopped = sh->opt->stop && g_atomic_int_get(sh->opt->stop);
      if (stopped)
        break;
      fl_tally_begin(tally, sh->result, rep);
      if (!fl_world_run(world, sh->opt->seed, rep, sh->opt->horizon_s, tally, sh->opt->stop)) {
        stopped = TRUE; /* interrupted mid-replication: its rows are incomplete, not done */
        break;
      }
      sh->result->done[rep] = 1;
    }
    g_atomic_int_add(&sh->completed, (gint)(rep - first));
  }
  g_mutex_lock(&sh->lock);
  fl_run_result_merge(sh->result, tally);
  if (--sh->workers_left == 0)
    g_cond_signal(&sh->all_done);
  g_mutex_unlock(&sh->lock);
  return NULL;
}

FlRunResult *
fl_montecarlo_run(const FlModel *model, const FlRunOptions *opt, GError **error)
{
  g_return_val_if_fail(opt->replications >= 1 && opt->threads >= 1, NULL);
  g_auto(GStrv) causes = fl_model_cause_names(model);
  FlRunResult *result = fl_run_result_new(fl_model_n_services(model),
                                          (const char *const *)causes, opt->horizon_s,
                                          opt->replications);
  if (result == NULL) {
    g_set_error(error, FL_RUN_ERROR, FL_RUN_ERROR_IO,
                "%" G_GUINT64_FORMAT " replications of this horizon need more memory than "
                "this machine can give; run fewer replications or a shorter horizon",
                opt->replications);
    return NULL;
  }
  if (fl_model_n_rare(model) > 0 && !fl_run_result_enable_weights(result)) {
    fl_run_result_free(result);
    g_set_error(error, FL_RUN_ERROR, FL_RUN_ERROR_IO,
                "%" G_GUINT64_FORMAT " weighted replications need more memory than this "
                "machine can give; run fewer replications", opt->replications);
    return NULL;
  }
  fl_run_result_set_hazards(result, fl_model_n_hazards(model), fl_model_hazard_stride(model));
  Shared sh = { .model = model, .opt = opt, .result = result };
  g_mutex_init(&sh.lock);
  g_cond_init(&sh.all_done);
  guint threads = (guint)MIN((guint64)opt->threads, opt->replications);
  sh.workers_left = (gint)threads;
  sh.threads = threads;
  gint64 t0 = g_get_monotonic_time();
  GThread **pool = g_new(GThread *, threads);
  for (guint i = 0; i < threads; i++)
    pool[i] = g_thread_new("faultline-worker", worker, &sh);
  /* Report progress from this thread about ten times a second until the workers are done;
   * the wait ends the moment the last one finishes, so short runs pay no polling delay. */
  g_mutex_lock(&sh.lock);
  while (sh.workers_left > 0) {
    if (opt->progress) {
      g_mutex_unlock(&sh.lock);
      opt->progress((guint64)(guint)g_atomic_int_get(&sh.completed), opt->replications,
                    (double)(g_get_monotonic_time() - t0) / 1e6, opt->progress_data);
      g_mutex_lock(&sh.lock);
    }
    if (sh.workers_left > 0)
      g_cond_wait_until(&sh.all_done, &sh.lock, g_get_monotonic_time() + 100000);
  }
  g_mutex_unlock(&sh.lock);
  for (guint i = 0; i < threads; i++)
    g_thread_join(pool[i]);
  g_free(pool);
  g_mutex_clear(&sh.lock);
  g_cond_clear(&sh.all_done);
  result->elapsed_s = (double)(g_get_monotonic_time() - t0) / 1e6;
  result->threads = threads;
  for (guint64 r = 0; r < result->replications; r++)
    result->completed += result->done[r];
  result->interrupted = result->completed < result->replications;
  if (opt->progress)
    opt->progress(result->completed, opt->replications, result->elapsed_s, opt->progress_data);
  return result;
}
