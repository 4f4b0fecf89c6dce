/* summary.c - from per-replication rows to reported figures. See summary.h. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "faultline/stats.h"
#include "faultline/summary.h"
#include "faultline/units.h"

static int
cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

void
fl_summary_free(FlServiceSummary *s)
{
  if (s == NULL)
    return;
  g_free(s->cause_share);
  g_free(s->cause_min_per_year);
  g_free(s);
}

FlServiceSummary *
fl_summary_new(const FlRunResult *r, guint service, double sla)
{
  FlServiceSummary *s = g_new0(FlServiceSummary, 1);
  s->sla = sla;
  s->cause_share = g_new0(double, MAX(1u, r->n_causes));
  s->cause_min_per_year = g_new0(double, MAX(1u, r->n_causes));
  guint64 n = r->completed;
  s->replications = n;
  s->years = n * r->n_chunks;
  g_autofree double *avail = g_new(double, MAX(1u, n));
  g_autofree double *year_min = g_new(double, MAX(1u, s->years));
  double year_scale = FL_SECONDS_PER_YEAR / r->chunk_s / FL_SECONDS_PER_MINUTE;
  guint64 k = 0, y = 0, miss = 0;
  /* Replication order, never completion order: the sums are then the same on any thread
   * count. */
  for (guint64 rep = 0; rep < r->replications; rep++) {
    if (!r->done[rep])
      continue;
    const double *row = r->chunk_down_s + (rep * r->n_services + service) * r->n_chunks;
    double down = 0.0;
    for (guint c = 0; c < r->n_chunks; c++) {
      down += row[c];
      year_min[y++] = row[c] * year_scale;
      miss += 1.0 - row[c] / r->chunk_s < sla;
    }
    avail[k++] = 1.0 - down / r->horizon_s;
    s->outages += r->outages[rep * r->n_services + service];
  }
  double half;
  fl_mean_ci(avail, n, 0.95, &s->availability, &half);
  s->availability_lo = s->availability - half;
  s->availability_hi = MIN(1.0, s->availability + half);
  double u = 1.0 - s->availability;
  s->nines = u > 0 ? -log10(u) : INFINITY;
  s->unavailability_rel_half = u > 0 ? half / u : NAN;

  double sum = 0.0;
  for (guint64 i = 0; i < s->years; i++)
    sum += year_min[i];
  s->down_min_mean = s->years ? sum / (double)s->years : NAN;
  qsort(year_min, s->years, sizeof(double), cmp_double);
  if (s->years) {
    s->down_min_p50 = fl_quantile_sorted(year_min, s->years, 0.50);
    s->down_min_p95 = fl_quantile_sorted(year_min, s->years, 0.95);
    s->down_min_p99 = fl_quantile_sorted(year_min, s->years, 0.99);
    s->down_min_p999 = fl_quantile_sorted(year_min, s->years, 0.999);
  }
  double total_years = (double)n * r->horizon_s / FL_SECONDS_PER_YEAR;
  s->outages_per_year = total_years > 0 ? (double)s->outages / total_years : NAN;

  const FlServiceAccum *acc = &r->svc[service];
  s->outage_p50_s = fl_hist_quantile(&acc->outage_hist, 0.50);
  s->outage_p95_s = fl_hist_quantile(&acc->outage_hist, 0.95);
  s->outage_max_s = acc->outage_hist.total ? acc->outage_hist.max_s : NAN;

  s->sla_miss = s->years ? (double)miss / (double)s->years : NAN;
  fl_wilson(miss, s->years, 1.959963984540054, &s->sla_miss_lo, &s->sla_miss_hi);

  FlTimeSum total = 0;
  for (guint c = 0; c < r->n_causes; c++)
    total += acc->cause_us[c];
  for (guint c = 0; c < r->n_causes; c++) {
    s->cause_share[c] = total > 0 ? (double)acc->cause_us[c] / (double)total : 0.0;
    s->cause_min_per_year[c] =
      total_years > 0 ? fl_time_sum_to_s(acc->cause_us[c]) / 60.0 / total_years : NAN;
  }
  return s;
}
