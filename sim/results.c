/* results.c - per-replication rows and per-worker accumulators. See results.h. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "faultline/results.h"
#include "faultline/units.h"

guint
fl_chunks_for_horizon(double horizon_s)
{
  double years = round(horizon_s / FL_SECONDS_PER_YEAR);
  return years < 1.0 ? 1u : (guint)years;
}

static void
accum_init(FlServiceAccum *a, guint n_causes)
{
  fl_hist_clear(&a->outage_hist);
  a->cause_us = g_new0(FlTimeSum, MAX(1u, n_causes));
}

FlRunResult *
fl_run_result_new(guint n_services, const char *const *cause_names, double horizon_s,
                  guint64 replications)
{
  guint n_chunks = fl_chunks_for_horizon(horizon_s);
  /* Refuse rather than let g_new abort on an impossible allocation; divide, so the product
   * cannot wrap before it is compared. */
  const guint64 max_cells = G_GUINT64_CONSTANT(1) << 28; /* 2 GiB of doubles */
  if (replications > max_cells / MAX(1u, n_services) / n_chunks)
    return NULL;
  guint64 cells = replications * n_services * n_chunks;
  FlRunResult *r = g_new0(FlRunResult, 1);
  r->n_services = n_services;
  r->n_causes = g_strv_length((char **)cause_names);
  r->n_chunks = n_chunks;
  r->horizon_s = horizon_s;
  r->chunk_s = horizon_s / n_chunks;
  r->replications = replications;
  r->done = g_try_new0(guint8, replications);
  r->chunk_down_s = g_try_new0(double, MAX(1u, cells));
  r->outages = g_try_new0(guint32, MAX(1u, replications * n_services));
  r->cause_names = g_strdupv((char **)cause_names);
  r->svc = g_new0(FlServiceAccum, MAX(1u, n_services));
  for (guint s = 0; s < n_services; s++)
    accum_init(&r->svc[s], r->n_causes);
  if (r->done == NULL || r->chunk_down_s == NULL || r->outages == NULL) {
    fl_run_result_free(r);
    return NULL;
  }
  return r;
}

void
fl_run_result_free(FlRunResult *r)
{
  if (r == NULL)
    return;
  for (guint s = 0; s < r->n_services; s++)
    g_free(r->svc[s].cause_us);
  g_free(r->svc);
  g_free(r->done);
  g_free(r->chunk_down_s);
  g_free(r->outages);
  g_strfreev(r->cause_names);
  g_free(r);
}

FlTally *
fl_tally_new(const FlRunResult *result)
{
  FlTally *t = g_new0(FlTally, 1);
  t->n_services = result->n_services;
  t->n_causes = result->n_causes;
  t->n_chunks = result->n_chunks;
  t->horizon_s = result->horizon_s;
  t->chunk_s = result->chunk_s;
  t->svc = g_new0(FlServiceAccum, MAX(1u, t->n_services));
  for (guint s = 0; s < t->n_services; s++)
    accum_init(&t->svc[s], t->n_causes);
  t->pending = g_array_new(FALSE, FALSE, sizeof(FlPendingOutage));
  return t;
}

void
fl_tally_free(FlTally *t)
{
  if (t == NULL)
    return;
  for (guint s = 0; s < t->n_services; s++)
    g_free(t->svc[s].cause_us);
  g_free(t->svc);
  g_array_unref(t->pending);
  g_free(t);
}

void
fl_tally_begin(FlTally *t, FlRunResult *result, guint64 rep)
{
  t->rep_chunk_down_s = result->chunk_down_s + rep * t->n_services * t->n_chunks;
  t->rep_outages = result->outages + rep * t->n_services;
  memset(t->rep_chunk_down_s, 0, sizeof(double) * t->n_services * t->n_chunks);
  memset(t->rep_outages, 0, sizeof(guint32) * t->n_services);
  g_array_set_size(t->pending, 0);
}

void
fl_tally_outage(FlTally *t, guint service, double start_s, double end_s, guint cause)
{
  g_assert(service < t->n_services && cause < t->n_causes && end_s >= start_s);
  double duration = end_s - start_s;
  t->rep_outages[service]++;
  FlPendingOutage p = { service, cause, duration };
  g_array_append_val(t->pending, p);
  /* Split the interval over the year-long chunks it spans (usually one). */
  double *row = t->rep_chunk_down_s + (gsize)service * t->n_chunks;
  if (t->n_chunks == 1) {
    row[0] += duration;
    return;
  }
  guint c = MIN((guint)(start_s / t->chunk_s), t->n_chunks - 1);
  double s = start_s;
  while (s < end_s) {
    double chunk_end = c + 1 < t->n_chunks ? (c + 1) * t->chunk_s : end_s;
    double e = MIN(end_s, chunk_end);
    row[c] += e - s;
    s = e;
    c++;
  }
}

void
fl_tally_end(FlTally *t)
{
  for (guint i = 0; i < t->pending->len; i++) {
    const FlPendingOutage *p = &g_array_index(t->pending, FlPendingOutage, i);
    FlServiceAccum *a = &t->svc[p->service];
    fl_hist_add(&a->outage_hist, p->duration_s);
    a->cause_us[p->cause] += fl_time_sum_from_s(p->duration_s);
  }
  g_array_set_size(t->pending, 0);
}

void
fl_run_result_merge(FlRunResult *r, const FlTally *t)
{
  for (guint s = 0; s < r->n_services; s++) {
    fl_hist_merge(&r->svc[s].outage_hist, &t->svc[s].outage_hist);
    for (guint c = 0; c < r->n_causes; c++)
      r->svc[s].cause_us[c] += t->svc[s].cause_us[c];
  }
  r->events += t->events;
}
