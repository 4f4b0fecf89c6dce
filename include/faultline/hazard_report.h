/* hazard_report.h - what each [hazard] did over a run, for the text and JSON reports.
 *
 * Owns: FlHazardSummary and the "hazard" sections of both reports (docs/hazards.md "Report"):
 * events per year; the annual probability that a hazard takes down each zone, each region (all
 * its zones at once) and all of a service's regions at once; downtime per event and its share
 * of each service's downtime; how many members an event hits. Reads a finished FlRunResult
 * (results.h hazard counters) and the scenario; never a live simulation.
 */
#ifndef FAULTLINE_HAZARD_REPORT_H
#define FAULTLINE_HAZARD_REPORT_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "faultline/results.h"
#include "faultline/scenario.h"

/* Under importance sampling every count is a weighted one (the sum over replications of count
 * x likelihood ratio, an unbiased estimate of replications x E[count]), hence doubles. */
typedef struct {
  const FlHazardSpec *spec;    /* (transfer none) */
  gboolean weighted;           /* counts are weighted estimates (importance sampling) */
  double years;                /* simulated years (finished replications x horizon) */
  double events;
  double events_per_year;
  double *zone_events;         /* per zone: events that took it down (owned) */
  double *zone_p;              /* per zone: annual probability, 1 - e^(-events/years) (owned) */
  double *region_events;       /* per region: events that took every zone down at once */
  double *region_p;
  double *svc_all_events;      /* per service: events that took all its regions down at once */
  double *svc_all_p;
  double *svc_min_per_event;   /* per service: downtime charged to the hazard per event, min */
  double *svc_min_per_year;    /* per service: the same per year */
  double *svc_share;           /* per service: share of its (ideal) downtime */
  double *hist;                /* events by members hit (0, 1, ...), trailing zeros cut */
  guint n_hist;
  gboolean magnitude_clamped;  /* earthquake magnitudes outside BJF97's 5.5-7.5 */
} FlHazardSummary;

/* Summary of hazard @hazard (< result->n_hazards). (transfer full) */
FlHazardSummary *fl_hazard_summary_new(const FlScenario *scenario, const FlRunResult *result,
                                       guint hazard);
void fl_hazard_summary_free(FlHazardSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FlHazardSummary, fl_hazard_summary_free)

/* "earthquake", "shock" or "rollout" (transfer none). */
const char *fl_hazard_kind_name(FlHazardKind kind);

/* The hazard sections of the text report; nothing without hazards. */
void fl_hazard_report_text(FILE *out, const FlScenario *scenario, const FlRunResult *result);

/* Adds "hazards": { NAME: {...} } to the object @builder is in (README "JSON report"). */
void fl_hazard_report_json(JsonBuilder *builder, const FlScenario *scenario,
                           const FlRunResult *result);

#endif
