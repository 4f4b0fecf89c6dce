/* summary.c - from per-replication rows to reported figures. See summary.h. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "faultline/rare.h"
#include "faultline/stats.h"
#include "faultline/summary.h"
#include "faultline/units.h"

void
fl_summary_free(FlServiceSummary *s)
{
  if (s == NULL)
    return;
  g_free(s->cause_share);
  g_free(s->cause_min_per_year);
  g_free(s);
}

/* Availability and per-year downtime of one service from rows of year chunks ([rep][service]
 * [chunk] layout), over finished replications in replication order (so sums do not depend on
 * the thread count). */
typedef struct {
  double mean, lo, hi, nines, rel_half;
  double min_mean, p50, p95, p99, p999;
  double sla_miss, sla_lo, sla_hi;
  FlIsEstimate est;  /* of the unavailability; weighted runs only */
} Downtime;

/* Log weights of the finished replications, in replication order (transfer full). */
static double *
finished_log_weights(const FlRunResult *r)
{
  double *lw = g_new(double, MAX(1u, r->completed));
  guint64 k = 0;
  for (guint64 rep = 0; rep < r->replications; rep++)
    if (r->done[rep])
      lw[k++] = r->log_weight[rep];
  return lw;
}

typedef struct {
  double value, weight;
} Weighted;

static int
cmp_weighted(const void *a, const void *b)
{
  double x = ((const Weighted *)a)->value, y = ((const Weighted *)b)->value;
  return (x > y) - (x < y);
}

/* Quantile p of the weighted sample @x (sorted by value, @total its weight): the smallest value
 * whose cumulative weight reaches p x total (the inverse of the weighted empirical CDF). */
static double
weighted_quantile(const Weighted *x, guint64 n, double total, double p)
{
  double cum = 0.0;
  for (guint64 i = 0; i < n; i++) {
    cum += x[i].weight;
    if (cum >= p * total)
      return x[i].value;
  }
  return n ? x[n - 1].value : NAN;
}

/* The weighted counterpart of summarise_rows (importance sampling, rare.h): the unavailability
 * is the mean of w_i Y_i with its t-interval; per-year figures are weighted means, quantiles
 * those of the weighted empirical distribution. */
static void
summarise_rows_weighted(const FlRunResult *r, const double *rows, guint service, double sla,
                        Downtime *d)
{
  guint64 n = r->completed, years = n * r->n_chunks;
  g_autofree double *lw = finished_log_weights(r);
  g_autofree double *unavail = g_new(double, MAX(1u, n));
  g_autofree double *year_lw = g_new(double, MAX(1u, years));
  g_autofree double *year_miss = g_new(double, MAX(1u, years));
  g_autofree Weighted *year_min = g_new(Weighted, MAX(1u, years));
  double year_scale = FL_SECONDS_PER_YEAR / r->chunk_s / FL_SECONDS_PER_MINUTE;
  double sum_min = 0.0, total_w = 0.0;
  guint64 k = 0, y = 0;
  for (guint64 rep = 0; rep < r->replications; rep++) {
    if (!r->done[rep])
      continue;
    const double *row = rows + (rep * r->n_services + service) * r->n_chunks;
    double w = exp(lw[k]), down = 0.0;
    for (guint c = 0; c < r->n_chunks; c++, y++) {
      down += row[c];
      year_min[y] = (Weighted){ row[c] * year_scale, w };
      year_lw[y] = lw[k];
      year_miss[y] = 1.0 - row[c] / r->chunk_s < sla;
      sum_min += w * year_min[y].value;
      total_w += w;
    }
    unavail[k++] = down / r->horizon_s;
  }
  fl_is_estimate(unavail, lw, n, 0.95, &d->est);
  double u = d->est.mean, half = d->est.half_width;
  d->mean = 1.0 - u;
  d->lo = MAX(0.0, d->mean - half);
  d->hi = MIN(1.0, d->mean + half);
  d->nines = u > 0 ? -log10(u) : INFINITY;
  d->rel_half = u > 0 ? half / u : NAN;
  d->min_mean = years ? sum_min / (double)years : NAN;
  qsort(year_min, years, sizeof(Weighted), cmp_weighted);
  d->p50 = weighted_quantile(year_min, years, total_w, 0.50);
  d->p95 = weighted_quantile(year_min, years, total_w, 0.95);
  d->p99 = weighted_quantile(year_min, years, total_w, 0.99);
  d->p999 = weighted_quantile(year_min, years, total_w, 0.999);
  FlIsEstimate miss;
  fl_is_estimate(year_miss, year_lw, years, 0.95, &miss);
  d->sla_miss = miss.mean;
  d->sla_lo = MAX(0.0, miss.mean - miss.half_width);
  d->sla_hi = MIN(1.0, miss.mean + miss.half_width);
}

/* Weighted sum over finished replications of @counts[rep][service] (rare.h). */
static double
weighted_count(const FlRunResult *r, const guint32 *counts, guint service)
{
  double total = 0.0;
  for (guint64 rep = 0; rep < r->replications; rep++)
    if (r->done[rep])
      total += exp(r->log_weight[rep]) * counts[rep * r->n_services + service];
  return total;
}

static void
summarise_rows(const FlRunResult *r, const double *rows, guint service, double sla, Downtime *d)
{
  if (r->weighted) {
    summarise_rows_weighted(r, rows, service, sla, d);
    return;
  }
  guint64 n = r->completed, years = n * r->n_chunks;
  g_autofree double *avail = g_new(double, MAX(1u, n));
  g_autofree double *year_min = g_new(double, MAX(1u, years));
  double year_scale = FL_SECONDS_PER_YEAR / r->chunk_s / FL_SECONDS_PER_MINUTE;
  guint64 k = 0, y = 0, miss = 0;
  for (guint64 rep = 0; rep < r->replications; rep++) {
    if (!r->done[rep])
      continue;
    const double *row = rows + (rep * r->n_services + service) * r->n_chunks;
    double down = 0.0;
    for (guint c = 0; c < r->n_chunks; c++) {
      down += row[c];
      year_min[y++] = row[c] * year_scale;
      miss += 1.0 - row[c] / r->chunk_s < sla;
    }
    avail[k++] = 1.0 - down / r->horizon_s;
  }
  double half;
  fl_mean_ci(avail, n, 0.95, &d->mean, &half);
  d->lo = MAX(0.0, d->mean - half);
  d->hi = MIN(1.0, d->mean + half);
  double u = 1.0 - d->mean;
  d->nines = u > 0 ? -log10(u) : INFINITY;
  d->rel_half = u > 0 ? half / u : NAN;
  double sum = 0.0;
  for (guint64 i = 0; i < years; i++)
    sum += year_min[i];
  d->min_mean = years ? sum / (double)years : NAN;
  /* Four quantiles by selection, not a sort: a million replication-years sorted took most of
   * a report's time after the run. */
  static const double quantile_p[] = { 0.50, 0.95, 0.99, 0.999 };
  double q[G_N_ELEMENTS(quantile_p)] = { NAN, NAN, NAN, NAN };
  if (years)
    fl_quantiles_unsorted(year_min, years, quantile_p, q, G_N_ELEMENTS(quantile_p));
  d->p50 = q[0];
  d->p95 = q[1];
  d->p99 = q[2];
  d->p999 = q[3];
  d->sla_miss = years ? (double)miss / (double)years : NAN;
  fl_wilson(miss, years, 1.959963984540054, &d->sla_lo, &d->sla_hi);
}

static guint64
sum_counts(const FlRunResult *r, const guint32 *counts, guint service)
{
  guint64 total = 0;
  for (guint64 rep = 0; rep < r->replications; rep++)
    if (r->done[rep])
      total += counts[rep * r->n_services + service];
  return total;
}

static void
summarise_real(const FlRunResult *r, guint service, double sla, FlServiceSummary *s)
{
  Downtime d;
  summarise_rows(r, r->real_chunk_down_s, service, sla, &d);
  s->has_real = TRUE;
  s->real_availability = d.mean;
  s->real_availability_lo = d.lo;
  s->real_availability_hi = d.hi;
  s->real_nines = d.nines;
  s->real_down_min_mean = d.min_mean;
  s->real_down_min_p50 = d.p50;
  s->real_down_min_p95 = d.p95;
  s->real_down_min_p99 = d.p99;
  s->real_sla_miss = d.sla_miss;
  s->mechanics_cost_min = d.min_mean - s->down_min_mean;
  double total_years = (double)r->completed * r->horizon_s / FL_SECONDS_PER_YEAR;
  s->real_outages = sum_counts(r, r->real_outages, service);
  s->real_outages_per_year = total_years > 0 ? s->real_outages / total_years : NAN;
  s->failovers = sum_counts(r, r->failovers, service);
  s->failovers_per_year = total_years > 0 ? s->failovers / total_years : NAN;
  if (r->weighted) {
    s->real_outages_per_year = total_years > 0 ? weighted_count(r, r->real_outages, service)
                                                   / total_years : NAN;
    s->failovers_per_year =
      total_years > 0 ? weighted_count(r, r->failovers, service) / total_years : NAN;
  }

  /* Request-weighted: the share of demand served, per replication, with its t-interval. */
  g_autofree double *served = g_new(double, MAX(1u, r->completed));
  guint64 k = 0;
  for (guint64 rep = 0; rep < r->replications; rep++)
    if (r->done[rep])
      served[k++] = 1.0 - r->unserved_s[rep * r->n_services + service] / r->horizon_s;
  double half;
  if (r->weighted) { /* the mean of w_i (unserved_i / H), as the time-based figure */
    g_autofree double *lw = finished_log_weights(r);
    for (guint64 i = 0; i < k; i++)
      served[i] = 1.0 - served[i];
    FlIsEstimate e;
    fl_is_estimate(served, lw, k, 0.95, &e);
    for (guint64 i = 0; i < k; i++)
      served[i] = 1.0 - served[i];
    s->request_availability = 1.0 - e.mean;
    half = e.half_width;
  } else {
    fl_mean_ci(served, k, 0.95, &s->request_availability, &half);
  }
  s->request_availability_lo = MAX(0.0, s->request_availability - half);
  s->request_availability_hi = MIN(1.0, s->request_availability + half);

  const FlServiceAccum *a = &r->svc[service];
  s->rto_count = a->rto_hist.total;
  s->rto_mean_s = a->rto_hist.total ? fl_time_sum_to_s(a->rto_sum_us) / a->rto_hist.total : NAN;
  s->rto_p50_s = fl_hist_quantile(&a->rto_hist, 0.50);
  s->rto_p95_s = fl_hist_quantile(&a->rto_hist, 0.95);
  s->rto_p99_s = fl_hist_quantile(&a->rto_hist, 0.99);
  s->rpo_count = a->rpo_hist.total;
  s->rpo_mean_s = a->rpo_hist.total ? fl_time_sum_to_s(a->rpo_sum_us) / a->rpo_hist.total : NAN;
  s->rpo_p50_s = fl_hist_quantile(&a->rpo_hist, 0.50);
  s->rpo_p95_s = fl_hist_quantile(&a->rpo_hist, 0.95);
  s->rpo_p99_s = fl_hist_quantile(&a->rpo_hist, 0.99);
  s->blocked = a->blocked;
  s->blocked_min_per_year =
    total_years > 0 ? fl_time_sum_to_s(a->blocked_us) / 60.0 / total_years : NAN;
}

/* The estimator fields of a plain run: the t-interval of the availability, turned round. */
static void
summarise_plain(const Downtime *d, guint64 n, FlServiceSummary *s)
{
  s->unavailability = 1.0 - d->mean;
  s->unavailability_lo = MAX(0.0, 1.0 - d->hi);
  s->unavailability_hi = MIN(1.0, 1.0 - d->lo);
  s->ess = (double)n;
  s->ess_collapsed = FALSE;
  s->mean_weight = 1.0;
  s->plain_replications = NAN;
}

/* A weighted run's estimator fields, and its weighted outage rate and causes. */
static void
summarise_weighted(const FlRunResult *r, guint service, const Downtime *d, double total_years,
                   FlServiceSummary *s)
{
  s->unavailability = d->est.mean;
  s->unavailability_lo = MAX(0.0, d->est.mean - d->est.half_width);
  s->unavailability_hi = d->est.mean + d->est.half_width;
  s->ess = d->est.ess;
  s->ess_collapsed = d->est.collapsed;
  s->mean_weight = d->est.mean_weight;
  s->plain_replications =
    fl_rare_plain_replications(d->est.mean, d->est.second_moment, d->est.rel_half_width);
  s->outages_per_year =
    total_years > 0 ? weighted_count(r, r->outages, service) / total_years : NAN;
  /* Causes from the per-replication rows, weighted; the integer accumulators hold the biased
   * sample's shares. */
  double all = 0.0;
  for (guint c = 0; c < r->n_causes; c++) {
    double sum = 0.0;
    for (guint64 rep = 0; rep < r->replications; rep++)
      if (r->done[rep])
        sum += exp(r->log_weight[rep])
               * r->cause_down_s[(rep * r->n_services + service) * r->n_causes + c];
    s->cause_min_per_year[c] = total_years > 0 ? sum / 60.0 / total_years : NAN;
    all += sum;
  }
  for (guint c = 0; c < r->n_causes; c++)
    s->cause_share[c] =
      all > 0 ? s->cause_min_per_year[c] * 60.0 * total_years / all : 0.0;
}

FlServiceSummary *
fl_summary_new(const FlRunResult *r, guint service, double sla, gboolean real)
{
  FlServiceSummary *s = g_new0(FlServiceSummary, 1);
  s->sla = sla;
  s->cause_share = g_new0(double, MAX(1u, r->n_causes));
  s->cause_min_per_year = g_new0(double, MAX(1u, r->n_causes));
  guint64 n = r->completed;
  s->replications = n;
  s->years = n * r->n_chunks;
  Downtime d;
  summarise_rows(r, r->chunk_down_s, service, sla, &d);
  s->availability = d.mean;
  s->availability_lo = d.lo;
  s->availability_hi = d.hi;
  s->nines = d.nines;
  s->unavailability_rel_half = d.rel_half;
  s->down_min_mean = d.min_mean;
  s->down_min_p50 = d.p50;
  s->down_min_p95 = d.p95;
  s->down_min_p99 = d.p99;
  s->down_min_p999 = d.p999;
  s->sla_miss = d.sla_miss;
  s->sla_miss_lo = d.sla_lo;
  s->sla_miss_hi = d.sla_hi;
  s->outages = sum_counts(r, r->outages, service);
  double total_years = (double)n * r->horizon_s / FL_SECONDS_PER_YEAR;
  s->outages_per_year = total_years > 0 ? (double)s->outages / total_years : NAN;

  const FlServiceAccum *acc = &r->svc[service];
  s->outage_p50_s = fl_hist_quantile(&acc->outage_hist, 0.50);
  s->outage_p95_s = fl_hist_quantile(&acc->outage_hist, 0.95);
  s->outage_max_s = acc->outage_hist.total ? acc->outage_hist.max_s : NAN;

  FlTimeSum total = 0;
  for (guint c = 0; c < r->n_causes; c++)
    total += acc->cause_us[c];
  for (guint c = 0; c < r->n_causes; c++) {
    s->cause_share[c] = total > 0 ? (double)acc->cause_us[c] / (double)total : 0.0;
    s->cause_min_per_year[c] =
      total_years > 0 ? fl_time_sum_to_s(acc->cause_us[c]) / 60.0 / total_years : NAN;
  }
  s->weighted = r->weighted;
  if (r->weighted)
    summarise_weighted(r, service, &d, total_years, s);
  else
    summarise_plain(&d, n, s);
  if (real)
    summarise_real(r, service, sla, s);
  return s;
}
