/* scenario.h - the scenario language: what a scenario file says, validated.
 *
 * Owns: FlScenario, the immutable description of one scenario (topology, failure groups,
 * services, run settings), and its loading from a GLib key file (see README "Scenario
 * language"). It resolves every name to an index, so nothing downstream looks names up.
 *
 * Invariants after a successful load: at least one region, every region has >= 1 zone, every
 * service runs in >= 1 region and its `needs` can be met in each of them with everything up;
 * every failure group targets >= 1 component. Zone indices are grouped by region, in order.
 *
 * Must not call: the model, engine or reports. Errors are FL_SCENARIO_ERROR (exit code 2) whose
 * message names what is wrong, then where (file:line, [group] key), then what would be valid.
 */
#ifndef FAULTLINE_SCENARIO_H
#define FAULTLINE_SCENARIO_H

#include <glib.h>
#include <stdint.h>

#include "faultline/dist.h"

typedef struct {
  char *name;         /* "us-east-1a" (owned) */
  guint region;       /* index into FlScenario.regions */
} FlZoneSpec;

typedef struct {
  char *name;          /* "us-east-1" (owned) */
  guint first_zone;    /* zones first_zone .. first_zone + n_zones - 1 belong to this region */
  guint n_zones;       /* >= 1 */
  gboolean has_location;
  double lat_deg, lon_deg; /* WGS84 degrees, when has_location */
} FlRegionSpec;

typedef enum {
  FL_TARGET_INSTANCE = 1,
  FL_TARGET_ZONE,
  FL_TARGET_REGION,
} FlTarget;

typedef struct {
  char *name;           /* the group's name, e.g. "zone-outage" (owned); a stable fault name */
  FlTarget target;
  FlDist *ttf;          /* time to failure, s (owned) */
  FlDist *ttr;          /* time to repair, s (owned) */
  guint8 *zone_in_scope;   /* per zone: 1 if `where` covers it (all 1 without `where`) (owned) */
  guint8 *region_in_scope; /* per region: 1 if `where` names it (all 1 without `where`) (owned) */
} FlFailureSpec;

typedef enum {
  FL_NEEDS_INSTANCES = 1, /* at least `needs` live instances in the region */
  FL_NEEDS_ZONES,         /* at least `needs` zones with >= 1 live instance */
} FlNeedsKind;

typedef struct {
  char *name;              /* (owned) */
  guint *regions;          /* region indices the service runs in (owned) */
  guint n_regions;         /* >= 1 */
  guint instances_per_zone;/* >= 1 */
  FlNeedsKind needs_kind;
  guint needs;             /* >= 1, and satisfiable in every region of the service */
  double sla;              /* availability objective as a fraction, default 0.999 */
} FlServiceSpec;

typedef struct {
  char *name;              /* [scenario] name, or the file's base name (owned) */
  char *file;              /* path as given, or "<stdin>" (owned) */
  char *sha256;            /* hex digest of the file's bytes (owned) */
  char *base_dir;          /* folder of the file, for relative paths (owned) */
  double horizon_s;        /* simulated time per replication, s; default 1y */
  guint64 replications;    /* default 1000 */
  guint64 seed;            /* default 1 */
  GArray *regions;         /* FlRegionSpec */
  GArray *zones;           /* FlZoneSpec, grouped by region */
  GArray *failures;        /* FlFailureSpec, in file order */
  GArray *services;        /* FlServiceSpec, in file order */
} FlScenario;

/* Reads and validates the scenario at @path ("-" reads standard input). Returns a new
 * FlScenario (transfer full) or NULL with @error set (FL_SCENARIO_ERROR). */
FlScenario *fl_scenario_load(const char *path, GError **error);

/* Same, from bytes in memory; @display_name names it in messages, @base_dir resolves relative
 * paths (NULL: current directory). */
FlScenario *fl_scenario_load_data(const char *data, gsize length, const char *display_name,
                                  const char *base_dir, GError **error);

void fl_scenario_free(FlScenario *scenario);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FlScenario, fl_scenario_free)

/* Accessors by index (transfer none). */
#define fl_scenario_region(sc, i) (&g_array_index((sc)->regions, FlRegionSpec, (i)))
#define fl_scenario_zone(sc, i) (&g_array_index((sc)->zones, FlZoneSpec, (i)))
#define fl_scenario_failure(sc, i) (&g_array_index((sc)->failures, FlFailureSpec, (i)))
#define fl_scenario_service(sc, i) (&g_array_index((sc)->services, FlServiceSpec, (i)))

/* Number of instances of service @svc in region @region-th of its regions. */
guint fl_service_capacity(const FlScenario *sc, const FlServiceSpec *svc, guint region_index);

/* Edit distance helper, shared with the command line's suggestions: the entry of @candidates
 * (NULL-terminated) nearest to @word, or NULL when none is close. (transfer none) */
const char *fl_nearest_name(const char *word, const char *const *candidates);

#endif
