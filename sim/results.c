/* results.c - per-replication rows and per-worker accumulators. See results.h. */
#include "config.h"

#include <math.h>
#include <string.h>
#ifdef HAVE_SYS_MMAN_H
#include <sys/mman.h>
#endif

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
  fl_hist_clear(&a->real_outage_hist);
  fl_hist_clear(&a->rto_hist);
  fl_hist_clear(&a->rpo_hist);
  a->cause_us = g_new0(FlTimeSum, MAX(1u, n_causes));
}

/* Row blocks at least this large go in transparent huge pages, where the system has them. */
#define ROWS_HUGE_MIN (4u << 20)
#define HUGE_PAGE (2u << 20)

/* Allocates the zeroed row arrays of sizes @bytes[0 .. n - 1] as one block, each part aligned
 * to a cache line, into @part; FALSE when memory is short. Why one block, and huge pages: the
 * rows are the one thing a run's memory grows with (37 bytes a replication of a service), and
 * a replication writes its own once, so a run of a million short replications (issue 3's
 * example) first-touches 35 MiB as it goes. In 4 KiB pages that is one page fault per 110
 * replications, about 2% of such a run's time on the machine of docs/performance.md; a large
 * block in 2 MiB pages (madvise(MADV_HUGEPAGE), which Linux honours under its default
 * "madvise" setting) takes one fault per 2 MiB. Elsewhere, or for a small block: g_malloc0. */
static gboolean
rows_alloc(FlRunResult *r, const gsize *bytes, void **part, guint n)
{
  gsize total = 0;
  for (guint i = 0; i < n; i++)
    total += (bytes[i] + 63) & ~(gsize)63;
  guint8 *block = NULL;
#if defined(HAVE_SYS_MMAN_H) && defined(MADV_HUGEPAGE)
  if (total >= ROWS_HUGE_MIN) {
    /* Mapped one huge page longer than needed, and used from its first 2 MiB boundary: the
     * kernel backs only aligned 2 MiB ranges with huge pages. Anonymous memory is zeroed. */
    gsize len = total + HUGE_PAGE;
    void *map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED)
      return FALSE;
    block = (guint8 *)(((guintptr)map + HUGE_PAGE - 1) & ~(guintptr)(HUGE_PAGE - 1));
    (void)madvise(block, total, MADV_HUGEPAGE); /* advice: 4 KiB pages if refused */
    r->rows_map = map;
    r->rows_map_len = len;
  }
#endif
  if (block == NULL) {
    block = g_try_malloc0(total);
    if (block == NULL)
      return FALSE;
    r->rows_heap = block;
  }
  for (guint i = 0; i < n; i++) {
    part[i] = block;
    block += (bytes[i] + 63) & ~(gsize)63;
  }
  return TRUE;
}

static void
rows_free(FlRunResult *r)
{
#ifdef HAVE_SYS_MMAN_H
  if (r->rows_map != NULL)
    munmap(r->rows_map, r->rows_map_len);
#endif
  g_free(r->rows_heap);
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
  /* The seven row arrays, carved from one zeroed block (rows_alloc()). */
  gsize per_svc = MAX(1u, replications * n_services), per_cell = MAX(1u, cells);
  const gsize bytes[] = { replications,          per_cell * sizeof(double),
                          per_svc * sizeof(guint32), per_cell * sizeof(double),
                          per_svc * sizeof(double),  per_svc * sizeof(guint32),
                          per_svc * sizeof(guint32) };
  void *part[G_N_ELEMENTS(bytes)];
  if (rows_alloc(r, bytes, part, G_N_ELEMENTS(bytes))) {
    r->done = part[0];
    r->chunk_down_s = part[1];
    r->outages = part[2];
    r->real_chunk_down_s = part[3];
    r->unserved_s = part[4];
    r->failovers = part[5];
    r->real_outages = part[6];
  }
  r->cause_names = g_strdupv((char **)cause_names);
  r->svc = g_new0(FlServiceAccum, MAX(1u, n_services));
  for (guint s = 0; s < n_services; s++)
    accum_init(&r->svc[s], r->n_causes);
  if (r->done == NULL || r->chunk_down_s == NULL || r->outages == NULL
      || r->real_chunk_down_s == NULL || r->unserved_s == NULL || r->failovers == NULL
      || r->real_outages == NULL) {
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
  rows_free(r);
  g_free(r->log_weight);
  g_free(r->cause_down_s);
  g_strfreev(r->cause_names);
  g_free(r->hazard);
  g_free(r->hazard_w);
  g_free(r);
}

void
fl_run_result_set_hazards(FlRunResult *r, guint n_hazards, guint stride)
{
  r->n_hazards = n_hazards;
  r->hz_stride = stride;
  g_free(r->hazard);
  r->hazard = n_hazards ? g_new0(guint64, (gsize)n_hazards * stride) : NULL;
  g_free(r->hazard_w);
  r->hazard_w = n_hazards && r->weighted ? g_new0(FlWeightSum, (gsize)n_hazards * stride) : NULL;
}

gboolean
fl_run_result_enable_weights(FlRunResult *r)
{
  g_return_val_if_fail(r->log_weight == NULL, FALSE);
  guint64 cells = r->replications * r->n_services * MAX(1u, r->n_causes);
  r->log_weight = g_try_new0(double, MAX(1u, r->replications));
  r->cause_down_s = g_try_new0(double, MAX(1u, cells));
  r->weighted = r->log_weight != NULL && r->cause_down_s != NULL;
  if (r->weighted && r->n_hazards && r->hazard_w == NULL) /* hazard rows set first */
    r->hazard_w = g_new0(FlWeightSum, (gsize)r->n_hazards * r->hz_stride);
  return r->weighted;
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
  t->n_hazards = result->n_hazards;
  t->hz_stride = result->hz_stride;
  if (t->n_hazards) {
    t->hazard = g_new0(guint64, (gsize)t->n_hazards * t->hz_stride);
    t->rep_hazard = g_new0(guint64, (gsize)t->n_hazards * t->hz_stride);
    t->hz_touched = g_new0(guint32, (gsize)t->n_hazards * t->hz_stride);
    if (result->hazard_w)
      t->hazard_w = g_new0(FlWeightSum, (gsize)t->n_hazards * t->hz_stride);
  }
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
  g_free(t->hazard);
  g_free(t->rep_hazard);
  g_free(t->hazard_w);
  g_free(t->hz_touched);
  g_free(t);
}

void
fl_tally_begin(FlTally *t, FlRunResult *result, guint64 rep)
{
  gsize cells = (gsize)t->n_services * t->n_chunks;
  t->rep_chunk_down_s = result->chunk_down_s + rep * cells;
  t->rep_real_chunk_down_s = result->real_chunk_down_s + rep * cells;
  t->rep_outages = result->outages + rep * t->n_services;
  t->rep_unserved_s = result->unserved_s + rep * t->n_services;
  t->rep_failovers = result->failovers + rep * t->n_services;
  t->rep_real_outages = result->real_outages + rep * t->n_services;
  /* Plain loops rather than six memset calls: rows are usually a word or two long, and a
   * replication of the multi-region example is only about 20 events. GCC turns the chunk loop
   * back into two memset calls, so the one-cell case (one service, one chunk) is written out. */
  if (cells == 1)
    t->rep_chunk_down_s[0] = t->rep_real_chunk_down_s[0] = 0.0;
  else
    for (gsize i = 0; i < cells; i++)
      t->rep_chunk_down_s[i] = t->rep_real_chunk_down_s[i] = 0.0;
  for (guint s = 0; s < t->n_services; s++) {
    t->rep_outages[s] = t->rep_failovers[s] = t->rep_real_outages[s] = 0;
    t->rep_unserved_s[s] = 0.0;
  }
  if (result->weighted) {
    t->rep_log_weight = result->log_weight + rep;
    t->rep_cause_down_s = result->cause_down_s + rep * t->n_services * MAX(1u, t->n_causes);
    *t->rep_log_weight = 0.0;
    memset(t->rep_cause_down_s, 0, sizeof(double) * t->n_services * MAX(1u, t->n_causes));
  }
  if (t->pending->len > 0) /* a call only when there is something to drop (most replications) */
    g_array_set_size(t->pending, 0);
  for (guint32 k = 0; k < t->n_hz_touched; k++) /* only what the last replication counted */
    t->rep_hazard[t->hz_touched[k]] = 0;
  t->n_hz_touched = 0;
}

static void
pend(FlTally *t, guint service, guint cause, FlPendingKind kind, double value)
{
  FlPendingOutage p = { service, cause, kind, value };
  g_array_append_val(t->pending, p);
}

/* Adds [start_s, end_s) to a row of year chunks, split over the chunks it spans. */
static void
add_to_chunks(const FlTally *t, double *row, double start_s, double end_s)
{
  double duration = end_s - start_s;
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
fl_tally_outage(FlTally *t, guint service, double start_s, double end_s, guint cause)
{
  g_assert(service < t->n_services && cause < t->n_causes && end_s >= start_s);
  if (end_s == start_s) /* down and up at one instant (two events at the same time): none */
    return;
  t->rep_outages[service]++;
  pend(t, service, cause, FL_PENDING_OUTAGE, end_s - start_s);
  add_to_chunks(t, t->rep_chunk_down_s + (gsize)service * t->n_chunks, start_s, end_s);
}

void
fl_tally_real_outage(FlTally *t, guint service, double start_s, double end_s)
{
  g_assert(service < t->n_services && end_s >= start_s);
  if (end_s == start_s) /* as fl_tally_outage */
    return;
  t->rep_real_outages[service]++;
  pend(t, service, 0, FL_PENDING_REAL_OUTAGE, end_s - start_s);
  add_to_chunks(t, t->rep_real_chunk_down_s + (gsize)service * t->n_chunks, start_s, end_s);
}

void
fl_tally_unserved(FlTally *t, guint service, double request_seconds)
{
  t->rep_unserved_s[service] += request_seconds;
}

void
fl_tally_failover(FlTally *t, guint service, double rpo_s)
{
  t->rep_failovers[service]++;
  if (!isnan(rpo_s))
    pend(t, service, 0, FL_PENDING_RPO, rpo_s);
}

void
fl_tally_rto(FlTally *t, guint service, double rto_s)
{
  pend(t, service, 0, FL_PENDING_RTO, rto_s);
}

void
fl_tally_blocked(FlTally *t, guint service, double waited_s)
{
  pend(t, service, 0, FL_PENDING_BLOCKED, waited_s);
}

void
fl_tally_weight(FlTally *t, double log_weight)
{
  if (t->rep_log_weight != NULL)
    *t->rep_log_weight = log_weight;
}

void
fl_tally_end(FlTally *t)
{
  for (guint i = 0; i < t->pending->len; i++) {
    const FlPendingOutage *p = &g_array_index(t->pending, FlPendingOutage, i);
    FlServiceAccum *a = &t->svc[p->service];
    switch (p->kind) {
    case FL_PENDING_OUTAGE:
      fl_hist_add(&a->outage_hist, p->duration_s);
      a->cause_us[p->cause] += fl_time_sum_from_s(p->duration_s);
      if (t->rep_cause_down_s) /* weighted runs: per replication, in event order */
        t->rep_cause_down_s[p->service * t->n_causes + p->cause] += p->duration_s;
      break;
    case FL_PENDING_REAL_OUTAGE:
      fl_hist_add(&a->real_outage_hist, p->duration_s);
      break;
    case FL_PENDING_RTO:
      fl_hist_add(&a->rto_hist, p->duration_s);
      a->rto_sum_us += fl_time_sum_from_s(p->duration_s);
      break;
    case FL_PENDING_RPO:
      fl_hist_add(&a->rpo_hist, p->duration_s);
      a->rpo_sum_us += fl_time_sum_from_s(p->duration_s);
      break;
    case FL_PENDING_BLOCKED:
      a->blocked++;
      a->blocked_us += fl_time_sum_from_s(p->duration_s);
      break;
    }
  }
  if (t->pending->len > 0)
    g_array_set_size(t->pending, 0);
  double w = t->hazard_w && t->rep_log_weight ? exp(*t->rep_log_weight) : 1.0;
  for (guint32 k = 0; k < t->n_hz_touched; k++) {
    guint32 i = t->hz_touched[k];
    t->hazard[i] += t->rep_hazard[i];
    if (t->hazard_w)
      t->hazard_w[i] += fl_weight_sum_from(w * (double)t->rep_hazard[i]);
  }
}

void
fl_run_result_merge(FlRunResult *r, const FlTally *t)
{
  for (guint s = 0; s < r->n_services; s++) {
    fl_hist_merge(&r->svc[s].outage_hist, &t->svc[s].outage_hist);
    fl_hist_merge(&r->svc[s].real_outage_hist, &t->svc[s].real_outage_hist);
    fl_hist_merge(&r->svc[s].rto_hist, &t->svc[s].rto_hist);
    fl_hist_merge(&r->svc[s].rpo_hist, &t->svc[s].rpo_hist);
    r->svc[s].rpo_sum_us += t->svc[s].rpo_sum_us;
    r->svc[s].rto_sum_us += t->svc[s].rto_sum_us;
    r->svc[s].blocked += t->svc[s].blocked;
    r->svc[s].blocked_us += t->svc[s].blocked_us;
    for (guint c = 0; c < r->n_causes; c++)
      r->svc[s].cause_us[c] += t->svc[s].cause_us[c];
  }
  r->events += t->events;
  for (gsize i = 0; r->hazard && t->hazard && i < (gsize)r->n_hazards * r->hz_stride; i++)
    r->hazard[i] += t->hazard[i];
  for (gsize i = 0; r->hazard_w && t->hazard_w && i < (gsize)r->n_hazards * r->hz_stride; i++)
    r->hazard_w[i] += t->hazard_w[i];
}
