/* scenario.h - the scenario language: what a scenario file says, validated.
 *
 * Owns: FlScenario, the immutable description of one scenario (topology, failure groups,
 * services, run settings), and its loading from a GLib key file (see README "Scenario
 * language"). It resolves every name to an index, so nothing downstream looks names up.
 *
 * Invariants after a successful load: at least one region, every region has >= 1 zone, every
 * service runs in >= 1 region and its `needs` can be met in each of them with everything up;
 * every failure group targets >= 1 component. Zone indices are grouped by region, in order.
 * Multi-region (docs/multi-region.md, parsed by scenario_mr.c): a service with `dns` runs in
 * >= 2 regions and every region its record set or image home names is one of them; a strategy
 * has a record set (failover for the standby strategies, another policy for active-active) and
 * the keys it needs (warm-standby: scale_up; pilot-light, backup-restore: launch); eip only in
 * one region; an injection starts before the horizon and names a component that exists.
 *
 * Must not call: the model, engine or reports. Errors are FL_SCENARIO_ERROR (exit code 2) whose
 * message names what is wrong, then where (file:line, [group] key), then what would be valid.
 */
#ifndef FAULTLINE_SCENARIO_H
#define FAULTLINE_SCENARIO_H

#include <glib.h>
#include <stdint.h>

#include "faultline/dist.h"
#include "faultline/geo.h"
#include "faultline/seismic.h"

typedef struct {
  char *name;         /* "us-east-1a" (owned) */
  guint region;       /* index into FlScenario.regions */
  gboolean has_location; /* its own [zone NAME] location, or placed by its region's location
                            and spread (docs/hazards.md "Geography"); FALSE when neither */
  FlLatLon location;  /* when has_location */
} FlZoneSpec;

typedef struct {
  char *name;          /* "us-east-1" (owned) */
  guint first_zone;    /* zones first_zone .. first_zone + n_zones - 1 belong to this region */
  guint n_zones;       /* >= 1 */
  gboolean has_location;
  double lat_deg, lon_deg; /* WGS84 degrees, when has_location */
  double spread_km;    /* zones without a location of their own sit on a circle of this radius
                          around the region's location; default 0 (all at the location) */
} FlRegionSpec;

typedef enum {
  FL_TARGET_INSTANCE = 1,
  FL_TARGET_ZONE,
  FL_TARGET_REGION,
  FL_TARGET_LOAD_BALANCER,     /* every regional instance of the load balancers in scope */
  FL_TARGET_DNS_CONTROL_PLANE, /* Route 53's control plane (lives in us-east-1): one component */
  FL_TARGET_LINK,              /* the network between two regions (`between = A B`) */
} FlTarget;

/* A cross-region link some failure group targets; while it is down, asynchronous replication
 * between its regions pauses (docs/hazards.md "Partitions"). Unordered pair, a < b. */
typedef struct {
  guint a, b;                  /* region indices */
} FlLinkSpec;

/* [load-balancer NAME]: one per region a service using it runs in; spans only that region's
 * zones. Defaults are the ALB's (aws-mechanics.md, "Elastic Load Balancing"). */
typedef struct {
  char *name;                 /* (owned) */
  double hc_interval_s;       /* target health-check interval, 5..300 s; default 30 s */
  guint unhealthy_threshold;  /* 2..10; default 2 */
  guint healthy_threshold;    /* 2..10; default 5 */
  gboolean cross_zone;        /* default TRUE (ALB) */
  double hc_timeout_s;        /* target health-check timeout, 2..120 s, < interval when given;
                                 default 5 s */
} FlLoadBalancerSpec;

typedef enum {
  FL_DNS_FAILOVER = 1,
  FL_DNS_WEIGHTED,
  FL_DNS_LATENCY,
  FL_DNS_MULTIVALUE,
} FlDnsPolicy;

typedef enum {
  FL_FAILOVER_HEALTH_CHECK = 1, /* data plane: answers follow health-check status */
  FL_FAILOVER_API,              /* control plane: someone edits the records */
} FlFailoverMode;

/* [dns NAME]: a Route 53 record set (aws-mechanics.md, "Route 53 ..."). Region arrays are
 * indexed by scenario region; a region without a record has weight/share 0 and record 0. */
typedef struct {
  char *name;                 /* (owned) */
  FlDnsPolicy policy;
  gint primary, secondary;    /* failover: region indices; -1 for other policies */
  double *weights;            /* weighted: per region, >= 0, not all 0 (owned); else NULL */
  double *client_share;       /* latency: per region, share of clients whose home it is,
                                 summing to 1 (owned); else NULL */
  guint8 *has_record;         /* weighted and latency: per region, 1 when `weights` or
                                 `clients` names it (a weight-0 record still answers when every
                                 non-zero one is unhealthy; a region without a record never
                                 does) (owned); else NULL. Every region it names, like primary
                                 and secondary, is one each service using the record runs in */
  double ttl_s;               /* >= 0; default 60 s */
  gboolean has_health_check;  /* FALSE: records are always healthy (Route 53's rule) */
  double hc_interval_s;       /* 10 or 30 s; default 30 */
  guint failure_threshold;    /* 1..10; default 3; also the successes needed to turn healthy */
  guint checkers;             /* independent checkers; default 15 (unconfirmed) */
  double healthy_above;       /* healthy when more than this share of checkers agree; 0.18 */
  double stale_share;         /* stale-clients share, 0..1; default 0 */
  double stale_for_s;         /* how long stale clients keep an answer; > 0 when share > 0 */
  FlFailoverMode failover;    /* default health-check */
  double decision_s;          /* api(decision=D): time from unhealthy verdict to the edit */
  double propagation_s;       /* an API edit reaches the resolvers after this; default 60 s */
} FlDnsSpec;

/* [image NAME]: a machine image and where it already is (aws-mechanics.md, "Images"). */
typedef struct {
  char *name;                 /* (owned) */
  double size_gb;             /* > 0 */
  guint home;                 /* region index */
  guint8 *present;            /* per region: 1 for home and copied-to (owned) */
  double copy_rate_gb_per_h;  /* default 100 GB/h (field report); 0 with time-based */
  double copy_time_s;         /* copy = time-based(D), 15 min..48 h; 0 otherwise */
} FlImageSpec;

typedef enum {
  FL_STRATEGY_NONE = 0,       /* no DR strategy: every region always at full capacity */
  FL_STRATEGY_BACKUP_RESTORE,
  FL_STRATEGY_PILOT_LIGHT,
  FL_STRATEGY_WARM_STANDBY,
  FL_STRATEGY_ACTIVE_ACTIVE,
} FlStrategy;

typedef enum {
  FL_REPLICATION_NONE = 0,
  FL_REPLICATION_SYNC,        /* in-region only: no loss on zone failover */
  FL_REPLICATION_ASYNC,       /* cross-region with a lag */
} FlReplication;

/* [inject NAME]: a scripted failure (a fixed fault point, STYLE.md rule 14): a component held
 * down over [at_s, at_s + for_s), or one event of a hazard at at_s (hazard >= 0; target then
 * unused). */
typedef struct {
  char *name;                 /* (owned); also the cause name downtime is charged to */
  double at_s;                /* start, < horizon */
  double for_s;               /* duration, > 0 */
  FlTarget target;            /* region, zone, instance, load-balancer, dns-control-plane,
                                 link */
  gint region;                /* region index (region, instance, load-balancer), else -1 */
  gint zone;                  /* zone index (zone), else -1 */
  gint link;                  /* index into FlScenario.links (link), else -1 */
  guint count;                /* instance: how many of the region's instances (first ones) */
  gint hazard;                /* fail = hazard H: one event of FlScenario.hazards[hazard] at
                                 at_s, its outages as the hazard's own (for_s unused); else -1 */
  double magnitude;           /* hazard earthquake: the event's Mw (`magnitude`), or NAN to
                                 draw it from the source's law */
} FlInjectSpec;

typedef struct {
  char *name;           /* the group's name, e.g. "zone-outage" (owned); a stable fault name */
  FlTarget target;
  FlDist *ttf;          /* time to failure, s (owned) */
  FlDist *ttr;          /* time to repair, s (owned) */
  guint8 *zone_in_scope;   /* per zone: 1 if `where` covers it (all 1 without `where`) (owned) */
  guint8 *region_in_scope; /* per region: 1 if `where` names it (all 1 without `where`) (owned) */
  gint link;               /* target = link: index into FlScenario.links; else -1 */
  double rare_rate_per_year; /* `rare-rate`: biased failures per member per year under
                                --rare-events (rare.h); 0: automatic */
} FlFailureSpec;

typedef enum {
  FL_HAZARD_EARTHQUAKE = 1, /* a seismic source: magnitude, shaking, damage (seismic.h) */
  FL_HAZARD_SHOCK,          /* common cause: each member in scope fails with probability hits */
  FL_HAZARD_ROLLOUT,        /* a bad deploy reaching regions wave by wave until detected */
} FlHazardKind;

/* [hazard NAME] (docs/hazards.md): a Poisson stream of events, each taking down a correlated set
 * of zones or regions. Every field not of its kind is zero/NULL. */
typedef struct {
  char *name;                /* (owned); also the cause name downtime is charged to */
  char *file;                /* the file that defined it, as the user named it (owned) */
  FlHazardKind kind;
  double rate_per_year;      /* > 0: events per year (earthquake: with M >= magnitude min) */
  /* earthquake */
  FlLatLon *source;          /* point (n = 1) or fault trace (owned) */
  guint n_source;
  FlGutenbergRichter magnitude;
  FlMechanism mechanism;
  double vs30_m_s;           /* site condition of every zone; default 760 (BC boundary) */
  double generator_h;        /* fuel autonomy; default 72 h */
  FlFragilityClass facility; /* default building */
  FlFragilityClass grid;     /* default substation-230kv */
  FlRestoration facility_restore, grid_restore; /* hours by damage state */
  /* shock */
  FlTarget target;           /* earthquake: zone; shock: zone or region; rollout: region */
  guint8 *zone_in_scope;     /* per zone (owned): earthquake and shock scope */
  guint8 *region_in_scope;   /* per region (owned) */
  double hits;               /* shock: probability per member, 0..1 */
  FlDist *ttr;               /* shock, rollout: time to repair (owned) */
  /* rollout */
  guint *waves;              /* region indices in deploy order (owned) */
  guint n_waves;
  double bake_s;             /* time between waves, >= 0 */
  FlDist *detect;            /* time from the first wave to the halt (owned) */
  /* Importance sampling (rare.h, docs/rare-events.md). */
  double rare_rate_per_year; /* `rare-rate`: biased events per year; 0: automatic */
  double rare_magnitude_b;   /* earthquake `rare-magnitude-b`: the tilted law's b-value,
                                0 < b' <= b; 0: automatic (b / 2) */
} FlHazardSpec;

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
  /* Multi-region mechanics (docs/multi-region.md); all optional. */
  gint load_balancer;      /* index into load_balancers, or -1 */
  gint dns;                /* index into dns, or -1 (then failover is ideal) */
  FlStrategy strategy;     /* default none */
  double standby_capacity; /* warm-standby: fraction 0..1 served before scale-up */
  FlDist *scale_up;        /* warm-standby: time to full capacity (owned, nullable) */
  FlDist *launch;          /* pilot-light / backup-restore: time to launch compute; default
                              fixed(5min), unconfirmed (owned, nullable) */
  gint image;              /* index into images, or -1 */
  FlReplication replication;
  FlDist *lag;             /* async: replication lag, s (owned, nullable) */
  double writes_per_second;/* >= 0; default 0 */
  gboolean eip;            /* Elastic IP failover inside the (single) region */
  double eip_remap_s;      /* default 10 s (unconfirmed: AWS publishes no figure) */
  double backup_interval_s;/* backup-restore: time between backups; default 24 h
                              (unconfirmed: no published figure) */
  double restore_rate_gb_per_h; /* backup-restore: default 100 GB/h (unconfirmed) */
  double data_size_gb;     /* backup-restore: default 0 (unconfirmed: nothing to restore) */
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
  GArray *load_balancers;  /* FlLoadBalancerSpec */
  GArray *dns;             /* FlDnsSpec */
  GArray *images;          /* FlImageSpec */
  GArray *injects;         /* FlInjectSpec, in file order */
  GArray *hazards;         /* FlHazardSpec, in file order (included files where included) */
  GArray *links;           /* FlLinkSpec, distinct pairs named by target = link groups
                              and by injections of a link */
  GPtrArray *includes;     /* paths of the files pulled in by include = (owned strings) */
  gboolean random_failures;/* [scenario] random-failures; FALSE: only injections; default TRUE */
  gboolean rare_events;    /* [scenario] rare-events or run --rare-events: importance sampling
                              of the rare drivers (rare.h); default FALSE */
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
#define fl_scenario_load_balancer(sc, i) \
  (&g_array_index((sc)->load_balancers, FlLoadBalancerSpec, (i)))
#define fl_scenario_dns(sc, i) (&g_array_index((sc)->dns, FlDnsSpec, (i)))
#define fl_scenario_image(sc, i) (&g_array_index((sc)->images, FlImageSpec, (i)))
#define fl_scenario_inject(sc, i) (&g_array_index((sc)->injects, FlInjectSpec, (i)))
#define fl_scenario_hazard(sc, i) (&g_array_index((sc)->hazards, FlHazardSpec, (i)))
#define fl_scenario_link(sc, i) (&g_array_index((sc)->links, FlLinkSpec, (i)))

/* Whether @svc uses any multi-region mechanics (DNS, load balancer, Elastic IP, a DR strategy
 * that prepares regions): then reports show its real view beside the ideal one. */
gboolean fl_service_has_mechanics(const FlServiceSpec *svc);

/* Number of instances of service @svc in region @region-th of its regions. */
guint fl_service_capacity(const FlScenario *sc, const FlServiceSpec *svc, guint region_index);

/* Edit distance helper, shared with the command line's suggestions: the entry of @candidates
 * (NULL-terminated) nearest to @word, or NULL when none is close. (transfer none) */
const char *fl_nearest_name(const char *word, const char *const *candidates);

#endif
