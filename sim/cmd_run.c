/* cmd_run.c - `faultline run`: load, simulate, report.
 *
 * The one piece of mutable global state in faultline lives here: the stop flag a signal handler
 * raises on Ctrl-C (a signal handler cannot be given a context pointer). The workers only read
 * it, atomically, through FlRunOptions.stop.
 */
#include "config.h"

#include <math.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "faultline/cli.h"
#include "faultline/errors.h"
#include "faultline/model.h"
#include "faultline/montecarlo.h"
#include "faultline/outfile.h"
#include "faultline/rare.h"
#include "faultline/report.h"
#include "faultline/scenario.h"
#include "faultline/timeline.h"
#include "faultline/units.h"

/* Lines of the readable timeline the text report shows for scenarios with injections. */
#define TEXT_TIMELINE_LINES 80

static volatile gint stop_requested; /* set once by on_signal; read by the workers */
static gint64 first_signal_ms;         /* when it was set (on_signal's alone) */

/* The first SIGINT or SIGTERM asks the workers to stop after their replications, and the run
 * reports what it has. A second one ends the process at once, but only a second later: a
 * signal sent both to the process and to its group (GNU timeout does) arrives twice at once,
 * and must not cost the report. Async-signal-safe: clock_gettime, signal and raise only. */
static void
on_signal(int signo)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  gint64 ms = (gint64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
  if (!g_atomic_int_get(&stop_requested)) {
    first_signal_ms = ms;
    g_atomic_int_set(&stop_requested, 1);
    return;
  }
  if (ms - first_signal_ms < 1000)
    return;
  signal(signo, SIG_DFL);
  raise(signo);
}

typedef struct {
  gboolean shown;
} Progress;

static void
show_progress(guint64 done, guint64 total, double elapsed_s, gpointer data)
{
  Progress *p = data;
  if (elapsed_s < 0.5 && done < total)
    return; /* short runs stay quiet */
  const int width = 30;
  double frac = total ? (double)done / (double)total : 1.0;
  int filled = (int)(frac * width);
  char bar[64];
  for (int i = 0; i < width; i++)
    bar[i] = i < filled ? '#' : '.';
  bar[width] = '\0';
  g_autofree char *eta = NULL;
  if (done > 0 && done < total)
    eta = fl_format_duration(elapsed_s * (double)(total - done) / (double)done);
  fprintf(stderr, "\r[%s] %3.0f%%  %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT "  %s%s   ", bar,
          frac * 100, done, total, eta ? "ETA " : "", eta ? eta : "");
  p->shown = TRUE;
  fflush(stderr);
}

/* Applies one command-line override; FALSE with a usage error naming the option. */
static gboolean
override(const char *option, const char *value, FlScenario *sc, GError **error)
{
  g_autoptr(GError) e = NULL;
  gint64 n;
  gboolean ok = TRUE;
  if (strcmp(option, "--replications") == 0 && (ok = fl_parse_int(value, 1, 1000000000, &n, &e)))
    sc->replications = (guint64)n;
  else if (strcmp(option, "--seed") == 0 && (ok = fl_parse_int(value, 0, G_MAXINT64, &n, &e)))
    sc->seed = (guint64)n;
  else if (strcmp(option, "--horizon") == 0) {
    ok = fl_parse_duration(value, FALSE, &sc->horizon_s, &e);
    if (ok && sc->horizon_s > 10000 * FL_SECONDS_PER_YEAR) {
      g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                  "--horizon %s is too long; the most is 10000y", value);
      return FALSE;
    }
    /* The parser's rule for [scenario] horizon, for the new one: an injection must start
     * before it, or it would silently never happen. */
    for (guint i = 0; ok && i < sc->injects->len; i++) {
      const FlInjectSpec *in = fl_scenario_inject(sc, i);
      if (in->at_s >= sc->horizon_s) {
        g_autofree char *at = fl_format_duration(in->at_s);
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--horizon %s ends before [inject %s] starts (at %s), so it would never "
                    "happen; lengthen --horizon, or leave it to the scenario", value, in->name,
                    at);
        return FALSE;
      }
    }
  }
  if (!ok)
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s: %s", option, e->message);
  return ok;
}

/* Writes the JSON report and the timeline (each when asked for). When the second cannot be
 * written, the first is removed again if it is a file of its own (not /dev/null or a pipe),
 * so a failed run leaves no report file behind. */
static gboolean
write_outputs(const char *json, const char *json_text, const char *timeline, const char *lines,
              GError **error)
{
  const char *path[2] = { json, timeline }, *text[2] = { json_text, lines };
  const char *what[2] = { "JSON report", "timeline" };
  for (int i = 0; i < 2; i++) {
    g_autoptr(GError) io = NULL;
    if (path[i] == NULL || fl_outfile_write(path[i], text[i], strlen(text[i]), &io))
      continue;
    g_set_error(error, FL_RUN_ERROR, FL_RUN_ERROR_IO, "cannot write the %s: %s", what[i],
                io->message);
    if (i == 1 && json != NULL)
      fl_outfile_discard(json);
    return FALSE;
  }
  return TRUE;
}

/* Checks the output paths now, not after the replications (a typo in a folder name is a usage
 * error found at once): each can be written, they are not one file, and neither is the
 * scenario @input itself. */
static gboolean
check_outputs(const char *json, const char *timeline, const char *input, GError **error)
{
  const char *path[2] = { json, timeline }, *option[2] = { "--json", "--timeline" };
  for (int i = 0; i < 2; i++) {
    if (path[i] == NULL)
      continue;
    if (!fl_outfile_check(path[i], option[i], error))
      return FALSE;
    if (strcmp(input, "-") != 0 && fl_outfile_same(path[i], input)) {
      g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                  "%s %s is the scenario file itself, which the report would overwrite; write "
                  "it elsewhere", option[i], path[i]);
      return FALSE;
    }
  }
  if (json && timeline && fl_outfile_same(json, timeline)) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "--json and --timeline both name %s; one would overwrite the other, so give "
                "them different files", json);
    return FALSE;
  }
  return TRUE;
}

/* Rare events asked for: TRUE when the scenario has a rare driver to bias (rare.h); otherwise
 * says on stderr why there is none (the run goes on, plainly) and returns FALSE. */
static gboolean
explain_no_rare_driver(const FlScenario *sc)
{
  if (!sc->random_failures) {
    fprintf(stderr, "faultline run: rare events: random-failures = no leaves no random failure "
                    "to bias; running plain Monte Carlo\n");
    return FALSE;
  }
  if (fl_rare_n_drivers(sc, sc->horizon_s) > 0)
    return TRUE;
  g_autofree char *horizon = fl_format_duration(sc->horizon_s);
  fprintf(stderr, "faultline run: rare events: no rare driver to bias in %s; a failure group is "
                  "one when its time-to-failure is exponential and each member fails at most "
                  "%.2g times per horizon (%s) on average, or when it sets rare-rate; running "
                  "plain Monte Carlo\n", sc->file, FL_RARE_MAX_EVENTS_PER_HORIZON, horizon);
  return FALSE;
}

int
fl_cmd_run(int argc, char **argv)
{
  g_autofree char *replications = NULL, *horizon = NULL, *seed = NULL, *threads = NULL;
  g_autofree char *json = NULL, *timeline = NULL, *timeline_rep = NULL;
  gboolean quiet = FALSE, rare_events = FALSE;
  GOptionEntry entries[] = {
    { "replications", 'n', 0, G_OPTION_ARG_STRING, &replications,
      "replications to run (overrides [scenario] replications)", "N" },
    { "horizon", 0, 0, G_OPTION_ARG_STRING, &horizon,
      "simulated time per replication, like 1y or 90d (overrides [scenario] horizon)",
      "DURATION" },
    { "seed", 's', 0, G_OPTION_ARG_STRING, &seed, "random seed (overrides [scenario] seed)",
      "N" },
    { "threads", 'j', 0, G_OPTION_ARG_STRING, &threads,
      "worker threads (default: the number of CPUs); results do not depend on it", "N" },
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &json, "also write the report as JSON to FILE",
      "FILE" },
    { "timeline", 0, 0, G_OPTION_ARG_FILENAME, &timeline,
      "write one replication's event log to FILE as JSON lines", "FILE" },
    { "timeline-replication", 0, 0, G_OPTION_ARG_STRING, &timeline_rep,
      "which replication --timeline and the text timeline show (default 0)", "N" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "no progress bar and no text report", NULL },
    { "rare-events", 0, 0, G_OPTION_ARG_NONE, &rare_events,
      "importance sampling of rare failures, for five and six nines (docs/rare-events.md)",
      NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  /* GOption wants "-j 4"; people also write "-j4": split those before parsing. */
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (i > 0 && a[0] == '-' && a[1] != '\0' && strchr("njs", a[1]) && a[2] != '\0') {
      g_ptr_array_add(args, g_strndup(a, 2));
      g_ptr_array_add(args, g_strdup(a + 2));
    } else {
      g_ptr_array_add(args, g_strdup(a));
    }
  }
  argc = (int)args->len;
  g_ptr_array_add(args, NULL);
  /* GOption removes what it parses from argv without freeing it: give it a shallow copy and
   * keep ownership in args. */
  g_autofree char **shallow = g_memdup2(args->pdata, sizeof(char *) * args->len);
  argv = shallow;
  g_autoptr(GOptionContext) ctx =
    g_option_context_new("SCENARIO - simulate a scenario and report its availability");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_option_context_set_description(ctx,
    "SCENARIO is a scenario file, or - for standard input.\n"
    "Exit codes: 0 success, 1 runtime failure or interrupted, 2 bad usage or scenario.");
  g_autoptr(GError) error = NULL;
  g_set_prgname("faultline run"); /* the help's "Usage:" line; set once (argv[0] is "run") */
  if (!g_option_context_parse(ctx, &argc, &argv, &error))
    return fl_cli_fail("run", error);
  if (argc != 2) {
    g_set_error(&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                argc < 2 ? "missing SCENARIO; usage: faultline run SCENARIO [OPTIONS]"
                         : "expected one SCENARIO, got %d arguments; usage: faultline run "
                           "SCENARIO [OPTIONS]", argc - 1);
    return fl_cli_fail("run", error);
  }

  guint n_threads = g_get_num_processors();
  if (threads) {
    gint64 n;
    g_autoptr(GError) e = NULL;
    if (!fl_parse_int(threads, 1, 1024, &n, &e)) {
      g_set_error(&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--threads: %s", e->message);
      return fl_cli_fail("run", error);
    }
    n_threads = (guint)n;
  }

  g_autoptr(FlScenario) sc = fl_scenario_load(argv[1], &error);
  if (sc == NULL)
    return fl_cli_fail(NULL, error);
  if ((replications && !override("--replications", replications, sc, &error))
      || (horizon && !override("--horizon", horizon, sc, &error))
      || (seed && !override("--seed", seed, sc, &error)))
    return fl_cli_fail("run", error);

  guint64 shown_rep = 0;
  if (timeline_rep) {
    gint64 n;
    g_autoptr(GError) e = NULL;
    if (!fl_parse_int(timeline_rep, 0, (gint64)sc->replications - 1, &n, &e)) {
      g_set_error(&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--timeline-replication: %s",
                  e->message);
      return fl_cli_fail("run", error);
    }
    shown_rep = (guint64)n;
  }
  if (!check_outputs(json, timeline, argv[1], &error))
    return fl_cli_fail("run", error);

  sc->rare_events |= rare_events;
  if (sc->rare_events && !explain_no_rare_driver(sc))
    sc->rare_events = FALSE;
  g_autoptr(FlModel) model = fl_model_new(sc);
  Progress progress = { FALSE };
  FlRunOptions opt = {
    .replications = sc->replications,
    .seed = sc->seed,
    .horizon_s = sc->horizon_s,
    .threads = n_threads,
    .stop = (const gint *)&stop_requested,
    .progress = (!quiet && isatty(STDERR_FILENO)) ? show_progress : NULL,
    .progress_data = &progress,
  };
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  /* The handlers stay until the end: a signal while the report is written lets it finish (the
   * replications are done), and only a second one ends the process. */
  g_autoptr(FlRunResult) result = fl_montecarlo_run(model, &opt, &error);
  if (progress.shown)
    fprintf(stderr, "\n");
  if (result == NULL)
    return fl_cli_fail("run", error);
  if (result->completed == 0) {
    fprintf(stderr, "faultline run: interrupted before any replication finished (seed %"
                    G_GUINT64_FORMAT "); no report written\n", sc->seed);
    return FL_EXIT_RUNTIME;
  }
  /* Everything is made in memory first, then the text report goes out, then the files: a run
   * that fails to write one of them leaves none of its files behind. The timeline re-runs one
   * replication with an observer: same stream, same events. */
  g_autofree char *json_text = json ? fl_report_json(sc, result) : NULL;
  g_autofree char *text_timeline = NULL, *lines = NULL;
  gboolean want_text = !quiet && sc->injects->len > 0;
  if (timeline || want_text)
    lines = fl_timeline_run(sc, model, sc->seed, shown_rep, sc->horizon_s, timeline != NULL,
                            want_text ? &text_timeline : NULL, TEXT_TIMELINE_LINES);
  if (!quiet) {
    fl_report_text(stdout, sc, result);
    if (text_timeline)
      printf("\ntimeline of replication %" G_GUINT64_FORMAT " (seed %" G_GUINT64_FORMAT
             "):\n%s", shown_rep, sc->seed, text_timeline);
    fflush(stdout);
    if (ferror(stdout)) {
      fprintf(stderr, "faultline run: cannot write the report to standard output; no report "
                      "file written\n");
      return FL_EXIT_RUNTIME;
    }
  }
  if (!write_outputs(json, json_text, timeline, lines, &error))
    return fl_cli_fail("run", error);
  if (result->interrupted) {
    fprintf(stderr, "faultline run: interrupted after %" G_GUINT64_FORMAT " of %"
                    G_GUINT64_FORMAT " replications (seed %" G_GUINT64_FORMAT ")\n",
            result->completed, result->replications, sc->seed);
    return FL_EXIT_RUNTIME;
  }
  return FL_EXIT_OK;
}
