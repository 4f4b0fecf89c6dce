/* model.h - the cloud model: components, failure processes and the structure function.
 *
 * Owns: FlModel, the immutable component graph built from a scenario (regions, zones,
 * instances; failure groups with their members; which service counts which instance), and
 * FlWorld, the mutable state of one replication (who is down, live counts, service states).
 * It drives the engine (engine.h) and writes what it sees to a tally (results.h).
 *
 * Semantics (README "Scenario language"): every failure group gives each component it targets
 * an independent alternating renewal process (up ~ time-to-failure, down ~ time-to-repair).
 * A component is down while any group holds it down. An instance serves when it, its zone and
 * its region are up. A service is up in a region when its `needs` holds there, and up while
 * at least one of its regions is (ideal failover).
 *
 * What makes it fast (docs/performance.md):
 *  - a group whose time-to-failure is exponential keeps ONE clock for all its up members
 *    (superposition: the minimum of n exponential clocks of rate r is exponential with rate
 *    n r, and by memorylessness the one that fires is uniform among them), so only members under
 *    repair have a timer of their own;
 *  - live-instance and live-zone counts per (service, region) are updated incrementally: a zone
 *    event costs O(services in the zone), an instance event O(1), never a rescan.
 *
 * Downtime attribution: an outage is charged to the failure group whose event took the
 * service down (the trigger), for its whole duration.
 *
 * Must not call: threads, reports, I/O. An FlModel may be shared read-only by many worlds.
 */
#ifndef FAULTLINE_MODEL_H
#define FAULTLINE_MODEL_H

#include <glib.h>

#include "faultline/results.h"
#include "faultline/scenario.h"

typedef struct FlModel FlModel;
typedef struct FlWorld FlWorld;

/* One line of a replication's timeline (faultline run --timeline). Strings are (transfer none)
 * and valid during the callback only. */
typedef struct {
  double t_s;            /* when, s since the start of the replication */
  const char *component; /* "region us-west-1", "dns web-dns", "service web", ... */
  const char *event;     /* "down", "up", "unhealthy", "answers us-east-1", ... */
  const char *detail;    /* (nullable) people-readable explanation */
} FlTimelineEvent;

typedef void (*FlTimelineFunc)(const FlWorld *world, const FlTimelineEvent *event,
                               gpointer data);

/* Builds the component graph of @scenario, which must outlive the model. (transfer full) */
FlModel *fl_model_new(const FlScenario *scenario);
void fl_model_free(FlModel *model);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FlModel, fl_model_free)

/* Names of the causes downtime is attributed to, in cause-index order (transfer full). */
GStrv fl_model_cause_names(const FlModel *model);

guint fl_model_n_instances(const FlModel *model);
guint fl_model_n_services(const FlModel *model);
/* [hazard] groups, and the counters per hazard the results need (fl_run_result_set_hazards). */
guint fl_model_n_hazards(const FlModel *model);
guint fl_model_hazard_stride(const FlModel *model);
/* Components hazard @hazard can take down (an earthquake: the zones in its reach). */
guint fl_model_hazard_reach(const FlModel *model, guint hazard);

/* Components failure group @group targets. */
guint fl_model_group_size(const FlModel *model, guint group);

/* A world for replications of @model. (transfer full) */
FlWorld *fl_world_new(const FlModel *model);
void fl_world_free(FlWorld *world);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FlWorld, fl_world_free)

/* Sets (or clears, with NULL) an observer called on every state change of the replications
 * this world runs. For one replication's timeline; costs nothing when unset. */
void fl_world_set_timeline(FlWorld *world, FlTimelineFunc func, gpointer data);

/* For timeline observers: service @service's state now. Ideal: up while a region serves.
 * Real: the view of a client resolving now (equal to ideal without DNS mechanics). */
gboolean fl_world_service_up_ideal(const FlWorld *world, guint service);
gboolean fl_world_service_up_real(const FlWorld *world, guint service);
/* The share of @service's clients on each of its regions (in the service's region order) at
 * time @t_s, and the share still on a stale answer; FALSE without DNS mechanics. */
gboolean fl_world_service_clients(const FlWorld *world, guint service, double t_s,
                                  double *shares, double *stale_share);
/* Where DNS points for @service now: the answer in force, as the share of new resolutions each
 * of its regions gets (in the service's region order; one region at 1.0 under failover
 * routing); FALSE for a service without a [dns] record set. */
gboolean fl_world_service_dns(const FlWorld *world, guint service, double *answer);

/* Runs replication @rep (random stream (seed, rep)) over [0, horizon_s], writing to @tally,
 * which fl_tally_begin() has pointed at this replication, and ends with fl_tally_end(). Checks
 * *@stop (atomically) every few thousand events and returns FALSE when it is set, leaving the
 * replication's rows partial and the tally's accumulators untouched. */
gboolean fl_world_run(FlWorld *world, guint64 seed, guint64 rep, double horizon_s,
                      FlTally *tally, const gint *stop);

/* Failure groups the model runs at biased rates (importance sampling, rare.h): 0 unless the
 * scenario asks for rare events and has a rare driver. Replications of a model with any must
 * run on a weighted result (fl_run_result_enable_weights). */
guint fl_model_n_rare(const FlModel *model);

#endif
