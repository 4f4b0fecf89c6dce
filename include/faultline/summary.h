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

  /* The real view (docs/multi-region.md), when @real was asked for: */
  gboolean has_real;
  double real_availability, real_availability_lo, real_availability_hi; /* time-based */
  double real_nines;
  double real_down_min_mean, real_down_min_p50, real_down_min_p95, real_down_min_p99;
  double real_sla_miss;
  guint64 real_outages;
  double real_outages_per_year;
  double request_availability, request_availability_lo, request_availability_hi;
  double mechanics_cost_min;   /* real minus ideal downtime, minutes per year */
  guint64 failovers;
  double failovers_per_year;
  double rto_mean_s, rto_p50_s, rto_p95_s, rto_p99_s; /* NAN without failovers that ended an
                                                         outage */
  guint64 rto_count;
  double rpo_mean_s, rpo_p50_s, rpo_p95_s, rpo_p99_s; /* NAN without a data figure */
  guint64 rpo_count;
  guint64 blocked;             /* API failovers that waited for the control plane */
  double blocked_min_per_year; /* the time their waits kept clients on a region that was down
                                  (FlServiceAccum.blocked_us), minutes per year */

  /* The estimator (issue 5, rare.h, docs/rare-events.md). Weighted (importance sampling): every
   * figure from per-replication rows above is a weighted mean (availability, downtime per year
   * and its quantiles, outages and failovers per year, SLA misses, causes); outage, RTO and RPO
   * durations come from the biased sample unweighted. */
  gboolean weighted;           /* importance sampling; FALSE: plain Monte Carlo */
  double unavailability;       /* 1 - availability, computed directly (no cancellation) */
  double unavailability_lo, unavailability_hi; /* its 95% interval */
  double ess;                  /* effective sample size (sum w)^2 / sum w^2; replications
                                  without weights */
  gboolean ess_collapsed;      /* the ESS warning of rare.h */
  double mean_weight;          /* mean likelihood ratio; 1 without weights */
  double plain_replications;   /* weighted: replications plain Monte Carlo would need for the
                                  same relative half-width (rare.h); NAN otherwise */
} FlServiceSummary;

/* Summarises service @service of @result against objective @sla; with @real, also its real
 * view (DNS, load balancer, DR). (transfer full) */
FlServiceSummary *fl_summary_new(const FlRunResult *result, guint service, double sla,
                                 gboolean real);
void fl_summary_free(FlServiceSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FlServiceSummary, fl_summary_free)

#endif
