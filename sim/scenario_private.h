/* scenario_private.h - what scenario.c shares with scenario_mr.c, and with nothing else.
 *
 * Owns: the parsing context of one scenario load and the helpers that read values with their
 * location. scenario.c owns the driver (the passes over the groups), the schema table (which
 * keys each group kind takes) and the groups of issue 2; scenario_mr.c parses the multi-region
 * groups and keys of issue 3 (docs/multi-region.md) with these same helpers, so every message
 * has one shape: what is wrong (file:line, [group] key); what would be valid.
 *
 * Order of the passes, which the functions below rely on: (1) [scenario] and every [region];
 * (2) [load-balancer], [dns], [image]; (3) [failure] and [service]; (4) [inject]; then the
 * cross-checks. So a function of pass n may look up any name defined in an earlier pass.
 *
 * Must not call: the model, engine or reports. Nothing outside sim/scenario*.c includes it.
 */
#ifndef FAULTLINE_SCENARIO_PRIVATE_H
#define FAULTLINE_SCENARIO_PRIVATE_H

#include <glib.h>

#include "faultline/dist.h"
#include "faultline/ini.h"
#include "faultline/scenario.h"

/* One load: the key file and the scenario being filled. The tables map a name to its index
 * + 1 (so that 0, NULL, means absent); they own their keys. */
typedef struct {
  FlIni *ini;                 /* (transfer none) */
  FlScenario *sc;             /* being filled (transfer none) */
  GHashTable *region_by_name; /* [region NAME] */
  GHashTable *zone_by_name;   /* zone names, generated or listed */
  GHashTable *lb_by_name;     /* [load-balancer NAME] */
  GHashTable *dns_by_name;    /* [dns NAME] */
  GHashTable *image_by_name;  /* [image NAME] */
} FlScnCtx;

/* A location for fl_scn_fail_at(): group (nullable: the whole file) and key (nullable: the
 * group's header line). */
#define WHERE(g, k) ((const char *const[2]){ (g), (k) })

/* Sets @error (FL_SCENARIO_ERROR, @code) to "<what> (file:line, [group] key)[; hint]": the
 * location goes after the first clause of the message, before its first "; ". Always returns
 * FALSE, so callers can `return fl_scn_fail_at(...)`. */
gboolean fl_scn_fail_at(FlScnCtx *c, GError **error, int code, const char *const where[2],
                        const char *fmt, ...) G_GNUC_PRINTF(5, 6);

/* Re-raises a value error of units.c or dist.c (@inner, transfer none) at @group/@key.
 * Returns FALSE. */
gboolean fl_scn_wrap_value_error(FlScnCtx *c, GError **error, const char *group,
                                 const char *key, GError *inner);

/* "a, b, c" from a NULL-terminated list. (transfer full) */
char *fl_scn_join_names(const char *const *names);

/* The trimmed value of @key in @group, or NULL when absent (transfer none). Cannot fail. */
const char *fl_scn_get(FlScnCtx *c, const char *group, const char *key);

/* Same, but a missing or empty key is an error (MISSING or VALUE) whose hint is @example, a
 * whole line to add such as "target = zone". Returns NULL with @error set. */
const char *fl_scn_require(FlScnCtx *c, GError **error, const char *group, const char *key,
                           const char *example);

/* Splits the comma-separated @value of @key; rejects an empty list, empty items and an item
 * listed twice. Returns the trimmed items (transfer full) or NULL with @error set. */
GStrv fl_scn_split_list(FlScnCtx *c, GError **error, const char *group, const char *key,
                        const char *value);

/* Parses @key (which must be present) as a duration > 0 into *@out, seconds. */
gboolean fl_scn_get_duration(FlScnCtx *c, GError **error, const char *group, const char *key,
                             double *out);

/* Parses the required distribution @key; @example is a whole line to add when it is missing.
 * Returns a new FlDist (transfer full) or NULL with @error set. */
FlDist *fl_scn_get_dist(FlScnCtx *c, GError **error, const char *group, const char *key,
                        const char *example);

/* What a key that names a place accepts; a suggestion is drawn from these names only. */
typedef enum {
  FL_SCN_PLACE_REGION = 1,   /* regions only */
  FL_SCN_PLACE_ZONE,         /* zones only (fail = zone Z) */
  FL_SCN_PLACE_REGION_OR_ZONE,
} FlScnPlace;

/* Reports @name, found in @group/@key, as an unknown @kind ("region", ...): "did you mean" the
 * nearest of @valid (NULL-terminated) if one is near, else "@listed_as: " the whole of @listed
 * (NULL-terminated). Returns FALSE. */
gboolean fl_scn_unknown_name(FlScnCtx *c, GError **error, const char *group, const char *key,
                             const char *kind, const char *name, const char *const *valid,
                             const char *listed_as, const char *const *listed);

/* Reports @name, found in @group/@key, as an unknown place of the kind @accepts, suggesting
 * the nearest name of that kind (never a region where only zones are valid, or the reverse),
 * or else listing the valid names (regions, or zones for FL_SCN_PLACE_ZONE). Returns FALSE. */
gboolean fl_scn_unknown_place(FlScnCtx *c, GError **error, const char *group, const char *key,
                              const char *name, FlScnPlace accepts);

/* Region index of the zone called @zone, which must exist. */
guint fl_scn_zone_region(FlScnCtx *c, const char *zone);

/* ---- scenario_mr.c: the multi-region groups and keys (docs/multi-region.md) ---- */

/* Pass 1, from the [scenario] group: random-failures. */
gboolean fl_scn_parse_scenario_mr(FlScnCtx *c, const char *group, GError **error);

/* Pass 2: one [load-balancer NAME], [dns NAME] or [image NAME] group (@kind is the group kind)
 * appended to the scenario. Refers to regions only. */
gboolean fl_scn_parse_mr_group(FlScnCtx *c, const char *kind, const char *group,
                               const char *name, GError **error);

/* Pass 3, at the end of [service NAME] (issue 2's keys already in *@sp, which must stay valid:
 * nothing is appended to sc->services meanwhile): load-balancer, dns, strategy, standby,
 * scale-up, launch, image, replication, writes, eip and backups, with the cross-checks between
 * the service and the groups it names. */
gboolean fl_scn_parse_service_mr(FlScnCtx *c, const char *group, FlServiceSpec *sp,
                                 GError **error);

/* Pass 3, inside [failure NAME] once its target is known: rejects a `where` the target cannot
 * take (dns-control-plane takes none; load balancers are regional). */
gboolean fl_scn_check_failure_where(FlScnCtx *c, const char *group, const FlFailureSpec *f,
                                    GError **error);

/* Pass 4: one [inject NAME] group; needs every service. */
gboolean fl_scn_parse_inject(FlScnCtx *c, const char *group, const char *name, GError **error);

/* After every group: failure groups that target load balancers or the DNS control plane must
 * reach one. */
gboolean fl_scn_check_mr(FlScnCtx *c, GError **error);

/* Parses the `where` of @group (absent: everything) into the per-zone and per-region scope
 * arrays, which the caller allocated zeroed; a zone where @target is a region is an error. */
gboolean fl_scn_parse_scope(FlScnCtx *c, GError **error, const char *group, FlTarget target,
                            guint8 *zone_in_scope, guint8 *region_in_scope);

/* ---- scenario_hz.c: correlated failures (docs/hazards.md) ---- */

/* Before any pass: merges the groups of every file the [scenario] include key names (looked up
 * beside the including file, then under $FAULTLINE_SCENARIODIR, then in the installed scenario
 * folder), recursively, into @ini. An included file's [scenario] may hold only include. Cycles,
 * missing files and redefined groups are errors. Records the files in sc->includes.
 * @main_path (nullable) is the main file, so that including it is a cycle. */
gboolean fl_scn_resolve_includes(FlIni *ini, FlScenario *sc, const char *main_path,
                                 GError **error);

/* Pass 1, in [region NAME] after location: spread. */
gboolean fl_scn_parse_region_geo(FlScnCtx *c, const char *group, FlRegionSpec *rp,
                                 GError **error);

/* Pass 2: [zone NAME] (location of a zone some region defines). */
gboolean fl_scn_parse_zone_group(FlScnCtx *c, const char *group, const char *name,
                                 GError **error);

/* After pass 2: places zones without a location of their own by their region's location and
 * spread (geo.h fl_geo_spread). */
void fl_scn_place_zones(FlScnCtx *c);

/* The link between regions @a and @b (names, read from @key of @group): its index in sc->links
 * in @link, appended when new. FALSE with @error set when either is not a region, or both are
 * the same one. */
gboolean fl_scn_link_between(FlScnCtx *c, GError **error, const char *group, const char *key,
                             const char *a, const char *b, gint *link);

/* Pass 3, in [failure NAME] with target = link: between = A B, appending the link to sc->links
 * when new and setting fp->link. */
gboolean fl_scn_parse_link(FlScnCtx *c, const char *group, FlFailureSpec *fp, GError **error);

/* Pass 3: one [hazard NAME] group. */
gboolean fl_scn_parse_hazard(FlScnCtx *c, const char *group, const char *name, GError **error);

/* After every group: hazard names differ from failure-group names; every zone an earthquake
 * reaches has a location. */
gboolean fl_scn_check_hazards(FlScnCtx *c, GError **error);

/* Frees sc->hazards, sc->links and sc->includes (fl_scenario_free). */
void fl_scn_free_hazards(FlScenario *sc);

#endif
