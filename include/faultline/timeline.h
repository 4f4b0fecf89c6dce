/* timeline.h - the event log of one replication, for people and for programs.
 *
 * Owns: re-running one replication (the same random stream as in the Monte Carlo run, so the
 * same events) with an observer, and formatting what it saw as JSON lines or readable text.
 * Reads the model through its observer interface only.
 */
#ifndef FAULTLINE_TIMELINE_H
#define FAULTLINE_TIMELINE_H

#include <glib.h>

#include "faultline/model.h"
#include "faultline/scenario.h"

/* Runs replication @rep of @model (seed @seed, horizon @horizon_s). With @json, returns its
 * timeline as JSON lines, one object per state change: {"t": s, "clock": "HH:MM:SS",
 * "component", "event", "detail", "services": {NAME: {"ideal", "real", "clients": {REGION:
 * share}, "stale_share"}}} (transfer full); without, returns NULL and builds none (a busy
 * replication's log runs to hundreds of MB). With @text, also fills *@text with readable lines
 * "HH:MM:SS component: event (detail)": the first @max_text_lines events, then up to as many
 * more that are not single instances or load-balancer targets, then a count of the rest. */
char *fl_timeline_run(const FlScenario *scenario, const FlModel *model, guint64 seed,
                      guint64 rep, double horizon_s, gboolean json, char **text,
                      guint max_text_lines);

#endif
