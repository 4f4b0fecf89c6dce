/* cmd_check.c - `faultline check`: validate a scenario and summarise its model. */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "faultline/cli.h"
#include "faultline/errors.h"
#include "faultline/geo.h"
#include "faultline/hazard_report.h"
#include "faultline/model.h"
#include "faultline/rare.h"
#include "faultline/seismic.h"
#include "faultline/scenario.h"
#include "faultline/units.h"

static const char *const target_names[] = { [FL_TARGET_INSTANCE] = "instance",
                                            [FL_TARGET_ZONE] = "zone",
                                            [FL_TARGET_REGION] = "region",
                                            [FL_TARGET_LOAD_BALANCER] = "load-balancer",
                                            [FL_TARGET_DNS_CONTROL_PLANE] =
                                              "dns-control-plane",
                                            [FL_TARGET_LINK] = "link" };

static const char *
plural(guint n)
{
  return n == 1 ? "" : "s";
}

/* Each zone's distance to an earthquake source and the median shaking of a typical event: the
 * median magnitude of the source's law, its rupture as near the zone as the source allows
 * (centred on the nearest point of the trace; for a point source, a disc of radius L/2). */
static void
print_earthquake(const FlScenario *sc, const FlModel *model, guint h)
{
  const FlHazardSpec *hz = fl_scenario_hazard(sc, h);
  double mag = fl_gr_quantile(&hz->magnitude, 0.5);
  double half = fl_wc94_rupture_length_km(mag) / 2;
  printf("          source %s, M %.1f-%.1f (b = %.2f, median M %.2f), %s; %u zone%s in reach\n",
         hz->n_source == 1 ? "a point" : "a fault trace", hz->magnitude.m0, hz->magnitude.mmax,
         hz->magnitude.b, mag, fl_seismic_mechanism_name(hz->mechanism),
         fl_model_hazard_reach(model, h), plural(fl_model_hazard_reach(model, h)));
  if (hz->magnitude.mmax > FL_BJF97_M_MAX || hz->magnitude.m0 < FL_BJF97_M_MIN)
    printf("          note: magnitudes outside BJF97's %.1f-%.1f are clamped to it; the "
           "largest events' shaking is understated\n", FL_BJF97_M_MIN, FL_BJF97_M_MAX);
  for (guint z = 0; z < sc->zones->len; z++) {
    const FlZoneSpec *zs = fl_scenario_zone(sc, z);
    if (!hz->zone_in_scope[z])
      continue;
    double d = fl_geo_polyline_distance_km(zs->location, hz->source, hz->n_source);
    double rjb = hz->n_source == 1 ? MAX(0.0, d - half) : d;
    unsigned flags = 0;
    double pga = fl_bjf97_pga_median_g(mag, rjb, hz->vs30_m_s, hz->mechanism, &flags);
    printf("          zone %s at %.4f,%.4f: %.1f km from the source; median M %.2f: PGA "
           "%.3f g, MMI %.1f%s\n", zs->name, zs->location.lat_deg, zs->location.lon_deg, d, mag,
           pga, fl_aww12_mmi(mag, rjb),
           (flags & FL_GMPE_BEYOND_DISTANCE) ? " (beyond BJF97's 80 km)" : "");
  }
}

static void
print_hazards(const FlScenario *sc, const FlModel *model)
{
  for (guint i = 0; i < sc->includes->len; i++)
    printf("include   %s\n", (const char *)g_ptr_array_index(sc->includes, i));
  for (guint h = 0; h < sc->hazards->len; h++) {
    const FlHazardSpec *hz = fl_scenario_hazard(sc, h);
    printf("hazard    %s: %s, %.4g per year (one every %.3g years)", hz->name,
           fl_hazard_kind_name(hz->kind), hz->rate_per_year, 1.0 / hz->rate_per_year);
    if (hz->kind == FL_HAZARD_SHOCK)
      printf(", each %s in scope down with probability %.4g%%", target_names[hz->target],
             100 * hz->hits);
    if (hz->kind == FL_HAZARD_ROLLOUT) {
      g_autofree char *bake = fl_format_duration(hz->bake_s);
      printf(", %u wave%s %s apart", hz->n_waves, plural(hz->n_waves), bake);
    }
    printf("; from %s\n", hz->file);
    if (hz->kind == FL_HAZARD_EARTHQUAKE)
      print_earthquake(sc, model, h);
  }
}

/* What --rare-events would bias (rare.h), so users see it before they run. */
/* The scripted failures, in file order, and whether random failures happen beside them. */
static void
print_injections(const FlScenario *sc)
{
  for (guint i = 0; i < sc->injects->len; i++) {
    const FlInjectSpec *in = fl_scenario_inject(sc, i);
    g_autofree char *at = fl_format_clock(in->at_s);
    if (in->hazard >= 0) {
      const FlHazardSpec *h = fl_scenario_hazard(sc, (guint)in->hazard);
      g_autofree char *mag = isnan(in->magnitude) ? g_strdup("")
                                                  : g_strdup_printf(", M %.2f", in->magnitude);
      printf("inject    %s: one event of hazard %s (%s%s) at %s, its outages as the hazard "
             "draws them\n", in->name, h->name, fl_hazard_kind_name(h->kind), mag, at);
      continue;
    }
    g_autofree char *what = NULL;
    switch (in->target) {
    case FL_TARGET_INSTANCE:
      what = g_strdup_printf("%u instance%s in %s", in->count, plural(in->count),
                             fl_scenario_region(sc, (guint)in->region)->name);
      break;
    case FL_TARGET_ZONE:
      what = g_strdup_printf("zone %s", fl_scenario_zone(sc, (guint)in->zone)->name);
      break;
    case FL_TARGET_LINK: {
      const FlLinkSpec *l = fl_scenario_link(sc, (guint)in->link);
      what = g_strdup_printf("the link %s - %s (replication between them pauses)",
                             fl_scenario_region(sc, l->a)->name,
                             fl_scenario_region(sc, l->b)->name);
      break;
    }
    case FL_TARGET_DNS_CONTROL_PLANE:
      what = g_strdup("the Route 53 control plane");
      break;
    case FL_TARGET_REGION:
    case FL_TARGET_LOAD_BALANCER:
      what = g_strdup_printf("%s %s", target_names[in->target],
                             fl_scenario_region(sc, (guint)in->region)->name);
      break;
    }
    g_autofree char *span = fl_format_duration(in->for_s);
    /* "2 instances in r1 fail", "zone r1a fails" */
    gboolean many = in->target == FL_TARGET_INSTANCE && in->count != 1;
    printf("inject    %s: %s %s at %s for %s\n", in->name, what, many ? "fail" : "fails", at,
           span);
  }
  if (!sc->random_failures)
    printf("random    off (random-failures = no): only the injections happen\n");
}

/* The regions of service @sv that its DNS record set never answers: valid (a region kept for
 * something else), but its instances then take no traffic, which deserves a word. */
static void
print_unanswered(const FlScenario *sc, const FlServiceSpec *sv)
{
  if (sv->dns < 0)
    return;
  const FlDnsSpec *d = fl_scenario_dns(sc, (guint)sv->dns);
  g_autoptr(GString) list = g_string_new(NULL);
  for (guint k = 0; k < sv->n_regions; k++) {
    guint r = sv->regions[k];
    gboolean answered = d->policy == FL_DNS_FAILOVER
                          ? ((gint)r == d->primary || (gint)r == d->secondary)
                          : d->has_record == NULL || d->has_record[r] != 0;
    if (!answered)
      g_string_append_printf(list, "%s%s", list->len ? ", " : "",
                             fl_scenario_region(sc, r)->name);
  }
  if (list->len == 0)
    return;
  printf("note      [dns %s] never answers %s (%s), so %s's instances there take no traffic\n",
         d->name, list->str,
         d->policy == FL_DNS_FAILOVER ? "failover answers only its primary and secondary"
         : d->policy == FL_DNS_WEIGHTED ? "no weight names it" : "no clients name it",
         sv->name);
}

/* Parts of the scenario that are valid but can change nothing: a region no service runs in, a
 * control-plane failure with no API failover to block, an image no recovery launches from.
 * Each gets a note, as each was once somebody's mistake. */
static void
print_idle_parts(const FlScenario *sc)
{
  gboolean api = FALSE;
  for (guint r = 0; r < sc->regions->len; r++) {
    gboolean used = FALSE;
    for (guint s = 0; s < sc->services->len && !used; s++) {
      const FlServiceSpec *sv = fl_scenario_service(sc, s);
      for (guint k = 0; k < sv->n_regions; k++)
        used |= sv->regions[k] == r;
    }
    if (!used)
      printf("note      region %s: no service runs here, so its failures change nothing "
             "(and --rare-events would still bias them)\n", fl_scenario_region(sc, r)->name);
  }
  for (guint s = 0; s < sc->services->len; s++) {
    const FlServiceSpec *sv = fl_scenario_service(sc, s);
    api |= sv->dns >= 0 && fl_scenario_dns(sc, (guint)sv->dns)->failover == FL_FAILOVER_API;
    if (sv->image >= 0
        && (sv->strategy == FL_STRATEGY_NONE || sv->strategy == FL_STRATEGY_ACTIVE_ACTIVE))
      printf("note      [image %s] of %s is not used: only a recovery that launches instances "
             "(pilot-light, backup-restore, warm-standby's scale-up) copies it\n",
             fl_scenario_image(sc, (guint)sv->image)->name, sv->name);
  }
  gboolean cp = FALSE;
  for (guint i = 0; i < sc->injects->len; i++)
    cp |= fl_scenario_inject(sc, i)->target == FL_TARGET_DNS_CONTROL_PLANE
          && fl_scenario_inject(sc, i)->hazard < 0;
  for (guint f = 0; f < sc->failures->len; f++)
    cp |= fl_scenario_failure(sc, f)->target == FL_TARGET_DNS_CONTROL_PLANE;
  if (cp && !api)
    printf("note      the Route 53 control plane fails, but no service fails over through the "
           "API (failover = api(...)): health-check failover runs without it, so this changes "
           "nothing\n");
}

static void
print_rare_drivers(const FlScenario *sc)
{
  if (!sc->random_failures) {
    printf("rare      random failures are off: --rare-events has nothing to bias\n");
    return;
  }
  g_autoptr(GString) list = g_string_new(NULL);
  double base, biased, b = 0;
  for (guint g = 0; g < sc->failures->len; g++)
    if (fl_rare_group_bias(sc, g, sc->horizon_s, &base, &biased))
      g_string_append_printf(list, "%s%s %.3g/y -> %.3g/y per member", list->len ? ", " : "",
                             fl_scenario_failure(sc, g)->name, base * FL_SECONDS_PER_YEAR,
                             biased * FL_SECONDS_PER_YEAR);
  for (guint h = 0; h < sc->hazards->len; h++)
    if (fl_rare_hazard_bias(sc, h, sc->horizon_s, &base, &biased, &b))
      g_string_append_printf(list, "%shazard %s %.3g/y -> %.3g/y", list->len ? ", " : "",
                             fl_scenario_hazard(sc, h)->name, base * FL_SECONDS_PER_YEAR,
                             biased * FL_SECONDS_PER_YEAR);
  if (list->len)
    printf("rare      --rare-events would bias: %s%s\n", list->str,
           sc->rare_events ? " (rare-events = yes)" : "");
  else
    printf("rare      no rare driver: --rare-events would run plain Monte Carlo\n");
}

int
fl_cmd_check(int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL, 0, 0, 0, NULL, NULL, NULL } };
  g_autoptr(GOptionContext) ctx =
    g_option_context_new("SCENARIO - validate a scenario and summarise its model");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_option_context_set_description(ctx, "Exit codes: 0 valid, 2 bad usage or scenario.");
  g_autoptr(GError) error = NULL;
  g_set_prgname("faultline check"); /* the help's "Usage:" line; set once (argv[0] is "check") */
  if (!g_option_context_parse(ctx, &argc, &argv, &error))
    return fl_cli_fail("check", error);
  if (argc != 2) {
    g_set_error(&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                "expected one SCENARIO; usage: faultline check SCENARIO");
    return fl_cli_fail("check", error);
  }
  g_autoptr(FlScenario) sc = fl_scenario_load(argv[1], &error);
  if (sc == NULL)
    return fl_cli_fail(NULL, error);
  g_autoptr(FlModel) model = fl_model_new(sc);

  g_autofree char *horizon = fl_format_duration(sc->horizon_s);
  printf("%s: valid\n", sc->file);
  printf("scenario  %s\n", sc->name);
  printf("run       %" G_GUINT64_FORMAT " replications x %s, seed %" G_GUINT64_FORMAT "\n",
         sc->replications, horizon, sc->seed);
  printf("model     %u region%s, %u zone%s, %u instance%s, %u failure group%s, %u service%s\n",
         sc->regions->len, plural(sc->regions->len), sc->zones->len, plural(sc->zones->len),
         fl_model_n_instances(model), plural(fl_model_n_instances(model)), sc->failures->len,
         plural(sc->failures->len), sc->services->len, plural(sc->services->len));
  for (guint r = 0; r < sc->regions->len; r++) {
    const FlRegionSpec *rs = fl_scenario_region(sc, r);
    printf("region    %s: zones", rs->name);
    for (guint z = 0; z < rs->n_zones; z++)
      printf("%s %s", z ? "," : "", fl_scenario_zone(sc, rs->first_zone + z)->name);
    if (rs->has_location)
      printf("; at %.4f,%.4f", rs->lat_deg, rs->lon_deg);
    if (rs->spread_km > 0)
      printf(", zones spread %.4g km around it", rs->spread_km);
    printf("\n");
  }
  for (guint f = 0; f < sc->failures->len; f++) {
    const FlFailureSpec *fs = fl_scenario_failure(sc, f);
    double mttf = fl_dist_mean(fs->ttf), mttr = fl_dist_mean(fs->ttr);
    g_autofree char *a = fl_format_duration(mttf);
    g_autofree char *b = fl_format_duration(mttr);
    guint n = fl_model_group_size(model, f);
    if (fs->target == FL_TARGET_LINK) {
      const FlLinkSpec *l = fl_scenario_link(sc, (guint)fs->link);
      printf("failure   %s: the link %s - %s (replication between them pauses while it is "
             "down), mean up %s, mean repair %s\n", fs->name, fl_scenario_region(sc, l->a)->name,
             fl_scenario_region(sc, l->b)->name, a, b);
      continue;
    }
    printf("failure   %s: %u %s%s, mean up %s, mean repair %s, each up %.6f%% of the time\n",
           fs->name, n, target_names[fs->target], plural(n), a, b,
           100.0 * mttf / (mttf + mttr));
  }
  for (guint s = 0; s < sc->services->len; s++) {
    const FlServiceSpec *sv = fl_scenario_service(sc, s);
    printf("service   %s: %u region%s, %u instance%s per zone, needs %u %s%s per region, SLA "
           "%.10g%%\n", sv->name, sv->n_regions, plural(sv->n_regions),
           sv->instances_per_zone, plural(sv->instances_per_zone), sv->needs,
           sv->needs_kind == FL_NEEDS_ZONES ? "zone" : "instance", plural(sv->needs),
           sv->sla * 100);
    print_unanswered(sc, sv);
  }
  print_idle_parts(sc);
  print_hazards(sc, model);
  print_injections(sc);
  print_rare_drivers(sc);
  return FL_EXIT_OK;
}
