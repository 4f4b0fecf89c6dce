/* fuzz_scenario.c - libFuzzer target: the scenario language, then one short replication.
 *
 * Feeds the input bytes to fl_scenario_load_data() as "fuzz.ini". A rejected input must come
 * with an FL_SCENARIO_ERROR whose message is one non-empty line of printable UTF-8 (the command
 * line prints it as exactly one line on stderr). An accepted one must meet the invariants
 * scenario.h promises; it is then built into a model and simulated for one replication, and
 * both reports are rendered from the result, so the model, engine, statistics and report code
 * see every odd scenario the parser lets through. Everything is freed: the build runs with
 * LeakSanitizer.
 *
 * Bounds that keep one input well under a millisecond or so (libFuzzer's -timeout and -rss_limit
 * would otherwise flag slow but correct inputs):
 *  - at most MAX_INSTANCES instances (counted from the scenario, before the model is built);
 *  - the horizon is capped at 30 days, and further so that the expected number of events stays
 *    under MAX_EVENTS: by the renewal theorem a component alternating up ~ TTF and down ~ TTR
 *    changes state 2 / (E[TTF] + E[TTR]) times per second in the long run, whatever the laws;
 *    a [hazard] event costs its own timer plus at most two outage intervals (an earthquake's
 *    facility and grid) of two firings each per component it can reach.
 *
 * Relative empirical(file=...) paths resolve in a private temporary folder holding one small
 * durations file, "durations.txt", which the seed corpus uses.
 *
 * Build: configure --enable-fuzzing CC=clang CFLAGS='-g -O1 -fsanitize=fuzzer-no-link,address,
 * undefined'; run: scripts/fuzz.
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faultline/errors.h"
#include "faultline/model.h"
#include "faultline/report.h"
#include "faultline/results.h"
#include "faultline/scenario.h"
#include "faultline/units.h"

#define MAX_INSTANCES 2000u
#define MAX_EVENTS 20000.0
#define MAX_HORIZON_S (30.0 * FL_SECONDS_PER_DAY)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints which promise the input broke, then aborts: libFuzzer reports a crash and keeps the
 * input. */
static void G_GNUC_NORETURN G_GNUC_PRINTF(1, 2)
broken(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "fuzz_scenario: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  va_end(ap);
  abort();
}

/* Set once by LLVMFuzzerInitialize, read-only afterwards (libFuzzer runs inputs on one thread). */
static char *base_dir;   /* private folder for empirical(file=...) (owned) */
static FILE *devnull;    /* sink for the text report */

static void
remove_base_dir(void)
{
  g_autofree char *durations = g_build_filename(base_dir, "durations.txt", NULL);
  g_unlink(durations);
  g_rmdir(base_dir);
  g_free(base_dir);
  if (devnull)
    fclose(devnull);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
  base_dir = g_dir_make_tmp("fuzz-scenario-XXXXXX", NULL);
  if (base_dir == NULL)
    abort();
  g_autofree char *durations = g_build_filename(base_dir, "durations.txt", NULL);
  if (!g_file_set_contents(durations, "# minutes to repair\n12min\n45min\n2h\n0s\n3d\n", -1,
                           NULL))
    abort();
  devnull = fopen("/dev/null", "w");
  if (devnull == NULL)
    abort();
  atexit(remove_base_dir);
  return 0;
}

/* TRUE when @s is one line of printable text: UTF-8 without control characters but tab. */
static gboolean
is_one_line(const char *s)
{
  for (const char *p = s; *p; p++)
    if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f)
      return FALSE;
  return g_utf8_validate(s, -1, NULL);
}

/* Aborts unless a rejected input has a proper error: FL_SCENARIO_ERROR, one non-empty line. */
static void
check_error(const GError *error)
{
  if (error == NULL || error->domain != FL_SCENARIO_ERROR || error->code < 1
      || error->message == NULL || error->message[0] == '\0' || !is_one_line(error->message)) {
    broken("bad error for a rejected scenario: %s", error ? error->message : "(no error set)");
  }
}

/* Aborts unless @sc meets the invariants scenario.h states for a loaded scenario. */
static void
check_invariants(const FlScenario *sc)
{
  if (sc->regions->len == 0 || sc->services->len == 0 || !(sc->horizon_s > 0.0)
      || sc->replications < 1)
    broken("no region, no service, no horizon or no replication");
  guint next_zone = 0;
  for (guint r = 0; r < sc->regions->len; r++) {
    const FlRegionSpec *rs = fl_scenario_region(sc, r);
    if (rs->n_zones == 0 || rs->first_zone != next_zone)
      broken("region %s has no zones, or its zones are out of order", rs->name);
    for (guint z = 0; z < rs->n_zones; z++)
      if (fl_scenario_zone(sc, rs->first_zone + z)->region != r)
        broken("a zone of region %s points at another region", rs->name);
    next_zone += rs->n_zones;
  }
  if (next_zone != sc->zones->len)
    broken("zones that belong to no region");
  for (guint s = 0; s < sc->services->len; s++) {
    const FlServiceSpec *sv = fl_scenario_service(sc, s);
    if (sv->n_regions == 0 || sv->instances_per_zone == 0 || sv->needs == 0
        || !(sv->sla >= 0.0 && sv->sla <= 1.0))
      broken("service %s: no region, instance or need, or an SLA outside [0, 1]", sv->name);
    for (guint i = 0; i < sv->n_regions; i++)
      if (sv->regions[i] >= sc->regions->len || sv->needs > fl_service_capacity(sc, sv, i))
        broken("service %s: a bad region, or needs more than region %u has", sv->name, i);
  }
  for (guint f = 0; f < sc->failures->len; f++) {
    const FlFailureSpec *fs = fl_scenario_failure(sc, f);
    if (fs->ttf == NULL || fs->ttr == NULL || fl_dist_mean(fs->ttf) <= 0.0
        || fl_dist_mean(fs->ttr) <= 0.0)
      broken("failure %s: a missing law or a mean that is not positive", fs->name);
  }
}

/* Instances the model will build: every zone of every region of every service. */
static guint64
count_instances(const FlScenario *sc)
{
  guint64 n = 0;
  for (guint s = 0; s < sc->services->len; s++) {
    const FlServiceSpec *sv = fl_scenario_service(sc, s);
    for (guint i = 0; i < sv->n_regions; i++)
      n += (guint64)fl_scenario_region(sc, sv->regions[i])->n_zones * sv->instances_per_zone;
  }
  return n;
}

/* The horizon, s, that keeps the expected events of one replication under MAX_EVENTS. */
static double
capped_horizon(const FlScenario *sc, const FlModel *model)
{
  double rate = 0.0; /* expected state changes per second, all components */
  for (guint f = 0; f < sc->failures->len; f++) {
    const FlFailureSpec *fs = fl_scenario_failure(sc, f);
    double cycle_s = fl_dist_mean(fs->ttf) + fl_dist_mean(fs->ttr);
    rate += 2.0 * fl_model_group_size(model, f) / cycle_s;
  }
  for (guint h = 0; h < fl_model_n_hazards(model); h++)
    rate += fl_scenario_hazard(sc, h)->rate_per_year / FL_SECONDS_PER_YEAR
            * (1.0 + 4.0 * fl_model_hazard_reach(model, h));
  double horizon = MIN(sc->horizon_s, MAX_HORIZON_S);
  if (rate > 0.0)
    horizon = MIN(horizon, MAX_EVENTS / rate);
  return horizon;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlScenario) sc =
    fl_scenario_load_data((const char *)data, size, "fuzz.ini", base_dir, &error);
  if (sc == NULL) {
    check_error(error);
    return 0;
  }
  if (error != NULL)
    broken("loaded, yet the error is set: %s", error->message);
  check_invariants(sc);
  if (count_instances(sc) > MAX_INSTANCES)
    return 0;

  g_autoptr(FlModel) model = fl_model_new(sc);
  if (fl_model_n_instances(model) > MAX_INSTANCES
      || fl_model_n_services(model) != sc->services->len)
    broken("the model has %u instances and %u services, the scenario %" G_GUINT64_FORMAT
           " and %u", fl_model_n_instances(model), fl_model_n_services(model),
           count_instances(sc), sc->services->len);
  for (guint f = 0; f < sc->failures->len; f++)
    if (fl_model_group_size(model, f) == 0)
      broken("failure group %s targets nothing (scenario.h promises >= 1 component)",
             fl_scenario_failure(sc, f)->name);
  double horizon_s = capped_horizon(sc, model);
  if (!(horizon_s > 0.0))
    return 0;
  sc->horizon_s = horizon_s;
  sc->replications = 1;

  g_auto(GStrv) causes = fl_model_cause_names(model);
  g_autoptr(FlRunResult) result = fl_run_result_new(
    fl_model_n_services(model), (const char *const *)causes, horizon_s, 1);
  if (result == NULL)
    broken("no result for one replication");
  /* As montecarlo.c does, so the per-hazard counters and their report run too. */
  fl_run_result_set_hazards(result, fl_model_n_hazards(model), fl_model_hazard_stride(model));
  g_autoptr(FlTally) tally = fl_tally_new(result);
  g_autoptr(FlWorld) world = fl_world_new(model);
  gint stop = 0;
  fl_tally_begin(tally, result, 0);
  if (!fl_world_run(world, sc->seed, 0, horizon_s, tally, &stop))
    broken("the replication stopped, yet nothing asked it to");
  result->done[0] = 1;
  fl_run_result_merge(result, tally);
  result->completed = 1;
  result->threads = 1;

  g_autofree char *json = fl_report_json(sc, result);
  if (json == NULL || json[0] != '{')
    broken("no JSON report");
  fl_report_text(devnull, sc, result);
  return 0;
}
