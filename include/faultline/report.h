/* report.h - availability reports: text for people, JSON for programs.
 *
 * Owns: the layout of both reports. Reads a scenario and a finished FlRunResult through
 * summary.h; never the live simulation.
 */
#ifndef FAULTLINE_REPORT_H
#define FAULTLINE_REPORT_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "faultline/results.h"
#include "faultline/scenario.h"

/* Writes the text report to @out. Cannot fail (stdio errors are the caller's to check). */
void fl_report_text(FILE *out, const FlScenario *scenario, const FlRunResult *result);

/* The JSON report as a string (transfer full); see README "JSON report" for its shape.
 * Everything under "services" depends only on the scenario, seed and replications. */
char *fl_report_json(const FlScenario *scenario, const FlRunResult *result);

/* Adds member @name with number @v to the object @builder is in; JSON numbers must be finite,
 * so NaN and infinity become null. For every section of the JSON report. */
void fl_report_json_number(JsonBuilder *builder, const char *name, double v);

/* "99.9712%" style with as many decimals as the value's nines need. (transfer full) */
char *fl_format_availability(double availability);

#endif
