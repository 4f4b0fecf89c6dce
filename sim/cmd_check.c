/* cmd_check.c - `faultline check`: validate a scenario and summarise its model. */
#include "config.h"

#include <stdio.h>

#include "faultline/cli.h"
#include "faultline/errors.h"
#include "faultline/model.h"
#include "faultline/scenario.h"
#include "faultline/units.h"

static const char *const target_names[] = { [FL_TARGET_INSTANCE] = "instance",
                                            [FL_TARGET_ZONE] = "zone",
                                            [FL_TARGET_REGION] = "region",
                                            [FL_TARGET_LOAD_BALANCER] = "load-balancer",
                                            [FL_TARGET_DNS_CONTROL_PLANE] =
                                              "dns-control-plane" };

static const char *
plural(guint n)
{
  return n == 1 ? "" : "s";
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
    printf("\n");
  }
  for (guint f = 0; f < sc->failures->len; f++) {
    const FlFailureSpec *fs = fl_scenario_failure(sc, f);
    double mttf = fl_dist_mean(fs->ttf), mttr = fl_dist_mean(fs->ttr);
    g_autofree char *a = fl_format_duration(mttf);
    g_autofree char *b = fl_format_duration(mttr);
    guint n = fl_model_group_size(model, f);
    printf("failure   %s: %u %s%s, mean up %s, mean repair %s, each up %.6f%% of the time\n",
           fs->name, n, target_names[fs->target], plural(n), a, b,
           100.0 * mttf / (mttf + mttr));
  }
  for (guint s = 0; s < sc->services->len; s++) {
    const FlServiceSpec *sv = fl_scenario_service(sc, s);
    printf("service   %s: %u region%s, %u instance%s per zone, needs %u %s per region, SLA "
           "%.4g%%\n", sv->name, sv->n_regions, plural(sv->n_regions),
           sv->instances_per_zone, plural(sv->instances_per_zone), sv->needs,
           sv->needs_kind == FL_NEEDS_ZONES ? "zones" : "instances", sv->sla * 100);
  }
  return FL_EXIT_OK;
}
