/* summary.h - the figures a report shows, computed from a run's results.
 *
 * Owns: FlServiceSummary and its computation. Reads an FlRunResult (only finished
 * replications); never touches a live simulation. Both the text and the JSON report print
 * these same numbers, so they cannot disagree.
 */
#ifndef FAULTLINE_SUMMARY_H
#define FAULTLINE_SUMMARY_H

#include <glib.h>

#include "faultline/results.h"

typedef struct {
  guint64 replications;        /* finished replications used */
  guint64 years;               /* year samples (replications x chunks) */
  double availability;         /* mean time-based availability */
  double availability_lo, availability_hi; /* 95% t-interval over replications */
  double nines;                /* -log10(1 - availability); INFINITY with no downtime */
  double unavailability_rel_half; /* CI half-width / (1 - availability); NAN if no downtime */
  double down_min_mean;        /* downtime minutes per year */
  double down_min_p50, down_min_p95, down_min_p99, down_min_p999;
  guint64 outages;             /* total outages seen */
  double outages_per_year;
  double outage_p50_s, outage_p95_s, outage_max_s; /* NAN without outages */
  double sla;                  /* the objective, fraction */
  double sla_miss;             /* fraction of year samples below the SLA */
  double sla_miss_lo, sla_miss_hi; /* 95% Wilson interval */
  double *cause_share;         /* per cause, fraction of downtime (owned); 0 without downtime */
  double *cause_min_per_year;  /* per cause, minutes per year (owned) */
} FlServiceSummary;

/* Summarises service @service of @result against objective @sla. (transfer full) */
FlServiceSummary *fl_summary_new(const FlRunResult *result, guint service, double sla);
void fl_summary_free(FlServiceSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FlServiceSummary, fl_summary_free)

#endif
