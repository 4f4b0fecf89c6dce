/* montecarlo.c - worker threads over replications. See montecarlo.h.
 *
 * Work is handed out one replication at a time from an atomic counter, so threads stay busy
 * whatever the spread of replication costs; where a replication runs never changes what it
 * computes.
 */
#include "config.h"

#include "faultline/errors.h"
#include "faultline/montecarlo.h"

typedef struct {
  const FlModel *model;
  const FlRunOptions *opt;
  FlRunResult *result;
  guint64 next64;      /* next replication to hand out; guarded by lock */
  GMutex lock;         /* guards next64 and merging into result */
  gint completed;      /* atomic: finished replications, for progress display only */
  gint workers_left;   /* guarded by lock */
  GCond all_done;      /* signalled when workers_left reaches 0 */
} Shared;

static gboolean
take(Shared *sh, guint64 *rep)
{
  g_mutex_lock(&sh->lock);
  gboolean ok = sh->next64 < sh->opt->replications;
  if (ok)
    *rep = sh->next64++;
  g_mutex_unlock(&sh->lock);
  return ok;
}

static gpointer
worker(gpointer data)
{
  Shared *sh = data;
  g_autoptr(FlWorld) world = fl_world_new(sh->model);
  g_autoptr(FlTally) tally = fl_tally_new(sh->result);
  guint64 rep;
  while (!(sh->opt->stop && g_atomic_int_get(sh->opt->stop)) && take(sh, &rep)) {
    fl_tally_begin(tally, sh->result, rep);
    if (!fl_world_run(world, sh->opt->seed, rep, sh->opt->horizon_s, tally, sh->opt->stop))
      break; /* interrupted mid-replication: its rows are incomplete and not marked done */
    sh->result->done[rep] = 1;
    g_atomic_int_inc(&sh->completed);
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
  /* After the weights: a weighted result also keeps weighted hazard counters. */
  fl_run_result_set_hazards(result, fl_model_n_hazards(model), fl_model_hazard_stride(model));
  Shared sh = { model, opt, result, 0, { 0 }, 0, 0, { 0 } };
  g_mutex_init(&sh.lock);
  g_cond_init(&sh.all_done);
  guint threads = (guint)MIN((guint64)opt->threads, opt->replications);
  sh.workers_left = (gint)threads;
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
