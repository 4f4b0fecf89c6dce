/* report.c - text and JSON availability reports. See report.h. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include "faultline/errors.h"
#include "faultline/report.h"
#include "faultline/summary.h"
#include "faultline/units.h"

/* Decimals (of a percentage) that show two significant digits of the unavailability. */
static int
availability_decimals(double a)
{
  double u = 1.0 - a;
  return u > 0 ? CLAMP((int)ceil(-log10(u)) - 1, 2, 9) : 2;
}

static char *
format_availability_with(double a, int decimals)
{
  if (isnan(a))
    return g_strdup("n/a");
  return g_strdup_printf("%.*f%%", decimals, a * 100.0);
}

char *
fl_format_availability(double a)
{
  return format_availability_with(a, availability_decimals(a));
}

static char *
format_percent(double f)
{
  if (isnan(f))
    return g_strdup("n/a");
  return g_strdup_printf("%.1f%%", f * 100.0);
}

static char *
format_minutes(double minutes)
{
  if (isnan(minutes))
    return g_strdup("n/a");
  if (minutes < 10)
    return g_strdup_printf("%.2f", minutes);
  return g_strdup_printf("%.1f", minutes);
}

static char *
format_duration_or_na(double s)
{
  return isnan(s) ? g_strdup("n/a") : fl_format_duration(s);
}

static void
print_service(FILE *out, const FlScenario *sc, const FlRunResult *r, guint s)
{
  const FlServiceSpec *sv = fl_scenario_service(sc, s);
  g_autoptr(FlServiceSummary) sum = fl_summary_new(r, s, sv->sla);
  g_autoptr(GString) regions = g_string_new(NULL);
  for (guint k = 0; k < sv->n_regions; k++)
    g_string_append_printf(regions, "%s%s", k ? ", " : "",
                           fl_scenario_region(sc, sv->regions[k])->name);
  g_autofree char *sla = g_strdup_printf("%.10g%%", sv->sla * 100.0);
  fprintf(out, "\nservice %s  (%s; needs %u %s per region; SLA %s)\n", sv->name, regions->str,
          sv->needs, sv->needs_kind == FL_NEEDS_ZONES ? "zones" : "instances", sla);
  if (sv->n_regions > 1)
    fprintf(out, "  failover              ideal (instant) between regions\n");

  int decimals = availability_decimals(sum->availability);
  g_autofree char *a = format_availability_with(sum->availability, decimals);
  g_autofree char *lo = format_availability_with(sum->availability_lo, decimals + 1);
  g_autofree char *hi = format_availability_with(sum->availability_hi, decimals + 1);
  if (isinf(sum->nines))
    fprintf(out, "  availability          100%%  (no downtime in %" G_GUINT64_FORMAT
                 " simulated years; 95%% upper bound on unavailability about %.2g)\n",
            sum->years, 3.0 / (double)MAX(sum->years, 1));
  else
    fprintf(out, "  availability          %s  (95%% CI %s .. %s)  %.2f nines\n", a, lo, hi,
            sum->nines);

  g_autofree char *mean = format_minutes(sum->down_min_mean);
  g_autofree char *p50 = format_minutes(sum->down_min_p50);
  g_autofree char *p95 = format_minutes(sum->down_min_p95);
  g_autofree char *p99 = format_minutes(sum->down_min_p99);
  fprintf(out, "  downtime per year     mean %s min   p50 %s   p95 %s   p99 %s min\n", mean, p50,
          p95, p99);
  fprintf(out, "  outages per year      %.3g  (%" G_GUINT64_FORMAT " in all)\n",
          sum->outages_per_year, sum->outages);
  g_autofree char *o50 = format_duration_or_na(sum->outage_p50_s);
  g_autofree char *o95 = format_duration_or_na(sum->outage_p95_s);
  g_autofree char *omax = format_duration_or_na(sum->outage_max_s);
  fprintf(out, "  outage duration       p50 %s   p95 %s   max %s\n", o50, o95, omax);
  g_autofree char *miss = format_percent(sum->sla_miss);
  g_autofree char *mlo = format_percent(sum->sla_miss_lo);
  g_autofree char *mhi = format_percent(sum->sla_miss_hi);
  fprintf(out, "  years missing SLA     %s  (95%% CI %s .. %s)\n", miss, mlo, mhi);

  /* Causes, largest share first. */
  g_autofree guint *order = g_new(guint, MAX(1u, r->n_causes));
  for (guint c = 0; c < r->n_causes; c++)
    order[c] = c;
  for (guint i = 1; i < r->n_causes; i++)
    for (guint j = i; j > 0 && sum->cause_share[order[j]] > sum->cause_share[order[j - 1]]; j--) {
      guint t = order[j];
      order[j] = order[j - 1];
      order[j - 1] = t;
    }
  fprintf(out, "  downtime by cause    ");
  if (sum->outages == 0)
    fprintf(out, " none");
  for (guint i = 0; i < r->n_causes && sum->outages > 0; i++) {
    guint c = order[i];
    g_autofree char *share = format_percent(sum->cause_share[c]);
    fprintf(out, " %s %s%s", r->cause_names[c], share, i + 1 < r->n_causes ? "," : "");
  }
  fprintf(out, "\n");
  if (!isnan(sum->unavailability_rel_half) && sum->unavailability_rel_half > 0.2)
    fprintf(out, "  note: the 95%% CI half-width is %.0f%% of the unavailability; run more "
                 "replications for a firmer figure\n",
            100.0 * sum->unavailability_rel_half);
}

void
fl_report_text(FILE *out, const FlScenario *sc, const FlRunResult *r)
{
  fprintf(out, "faultline %s: %s\n", PACKAGE_VERSION, sc->name);
  fprintf(out, "scenario  %s (sha256 %.12s)\n", sc->file, sc->sha256);
  g_autofree char *horizon = fl_format_duration(r->horizon_s);
  fprintf(out, "run       %" G_GUINT64_FORMAT " replications x %s, seed %" G_GUINT64_FORMAT
               ", %u threads, %" G_GUINT64_FORMAT " events in %.2f s\n",
          r->completed, horizon, sc->seed, r->threads, r->events, r->elapsed_s);
  if (r->interrupted)
    fprintf(out, "INTERRUPTED after %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                 " replications: figures cover the finished ones only\n",
            r->completed, r->replications);
  for (guint s = 0; s < r->n_services; s++)
    print_service(out, sc, r, s);
}

/* JSON numbers must be finite: NaN and infinity become null. */
static void
add_number(JsonBuilder *b, const char *name, double v)
{
  json_builder_set_member_name(b, name);
  if (isfinite(v))
    json_builder_add_double_value(b, v);
  else
    json_builder_add_null_value(b);
}

static void
add_service_json(JsonBuilder *b, const FlScenario *sc, const FlRunResult *r, guint s)
{
  const FlServiceSpec *sv = fl_scenario_service(sc, s);
  g_autoptr(FlServiceSummary) sum = fl_summary_new(r, s, sv->sla);
  json_builder_set_member_name(b, sv->name);
  json_builder_begin_object(b);

  json_builder_set_member_name(b, "regions");
  json_builder_begin_array(b);
  for (guint k = 0; k < sv->n_regions; k++)
    json_builder_add_string_value(b, fl_scenario_region(sc, sv->regions[k])->name);
  json_builder_end_array(b);
  json_builder_set_member_name(b, "failover");
  json_builder_add_string_value(b, "ideal");

  json_builder_set_member_name(b, "availability");
  json_builder_begin_object(b);
  add_number(b, "mean", sum->availability);
  json_builder_set_member_name(b, "ci95");
  json_builder_begin_array(b);
  json_builder_add_double_value(b, sum->availability_lo);
  json_builder_add_double_value(b, sum->availability_hi);
  json_builder_end_array(b);
  add_number(b, "nines", sum->nines);
  add_number(b, "unavailability_relative_half_width", sum->unavailability_rel_half);
  json_builder_end_object(b);

  json_builder_set_member_name(b, "downtime_minutes_per_year");
  json_builder_begin_object(b);
  add_number(b, "mean", sum->down_min_mean);
  add_number(b, "p50", sum->down_min_p50);
  add_number(b, "p95", sum->down_min_p95);
  add_number(b, "p99", sum->down_min_p99);
  add_number(b, "p999", sum->down_min_p999);
  json_builder_end_object(b);

  json_builder_set_member_name(b, "outages_per_year");
  json_builder_begin_object(b);
  add_number(b, "mean", sum->outages_per_year);
  json_builder_set_member_name(b, "total");
  json_builder_add_int_value(b, (gint64)sum->outages);
  json_builder_end_object(b);

  json_builder_set_member_name(b, "outage_minutes");
  json_builder_begin_object(b);
  add_number(b, "p50", sum->outage_p50_s / 60.0);
  add_number(b, "p95", sum->outage_p95_s / 60.0);
  add_number(b, "max", sum->outage_max_s / 60.0);
  json_builder_end_object(b);

  add_number(b, "sla", sv->sla);
  add_number(b, "sla_miss_probability", sum->sla_miss);
  json_builder_set_member_name(b, "sla_miss_ci95");
  json_builder_begin_array(b);
  json_builder_add_double_value(b, sum->sla_miss_lo);
  json_builder_add_double_value(b, sum->sla_miss_hi);
  json_builder_end_array(b);

  json_builder_set_member_name(b, "causes");
  json_builder_begin_object(b);
  for (guint c = 0; c < r->n_causes; c++) {
    json_builder_set_member_name(b, r->cause_names[c]);
    json_builder_begin_object(b);
    add_number(b, "share", sum->cause_share[c]);
    add_number(b, "minutes_per_year", sum->cause_min_per_year[c]);
    json_builder_end_object(b);
  }
  json_builder_end_object(b);
  json_builder_end_object(b);
}

char *
fl_report_json(const FlScenario *sc, const FlRunResult *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "faultline_version");
  json_builder_add_string_value(b, PACKAGE_VERSION);
  json_builder_set_member_name(b, "scenario");
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "name");
  json_builder_add_string_value(b, sc->name);
  json_builder_set_member_name(b, "file");
  json_builder_add_string_value(b, sc->file);
  json_builder_set_member_name(b, "sha256");
  json_builder_add_string_value(b, sc->sha256);
  json_builder_end_object(b);
  json_builder_set_member_name(b, "seed");
  json_builder_add_int_value(b, (gint64)sc->seed);
  json_builder_set_member_name(b, "replications");
  json_builder_add_int_value(b, (gint64)r->completed);
  json_builder_set_member_name(b, "replications_requested");
  json_builder_add_int_value(b, (gint64)r->replications);
  json_builder_set_member_name(b, "interrupted");
  json_builder_add_boolean_value(b, r->interrupted);
  add_number(b, "horizon_hours", r->horizon_s / FL_SECONDS_PER_HOUR);
  json_builder_set_member_name(b, "services");
  json_builder_begin_object(b);
  for (guint s = 0; s < r->n_services; s++)
    add_service_json(b, sc, r, s);
  json_builder_end_object(b);
  json_builder_set_member_name(b, "run");
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "events");
  json_builder_add_int_value(b, (gint64)r->events);
  add_number(b, "elapsed_seconds", r->elapsed_s);
  json_builder_set_member_name(b, "threads");
  json_builder_add_int_value(b, r->threads);
  json_builder_end_object(b);
  json_builder_end_object(b);

  g_autoptr(JsonGenerator) gen = json_generator_new();
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  json_generator_set_root(gen, root);
  json_generator_set_pretty(gen, TRUE);
  char *text = json_generator_to_data(gen, NULL);
  char *with_newline = g_strconcat(text, "\n", NULL);
  g_free(text);
  return with_newline;
}

gboolean
fl_report_json_write(const char *path, const FlScenario *sc, const FlRunResult *r,
                     GError **error)
{
  g_autofree char *text = fl_report_json(sc, r);
  g_autoptr(GError) io = NULL;
  /* g_file_set_contents_full writes a temporary file in the same folder, then renames it. */
  if (!g_file_set_contents_full(path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &io)) {
    g_set_error(error, FL_RUN_ERROR, FL_RUN_ERROR_IO, "cannot write JSON report: %s",
                io->message);
    return FALSE;
  }
  return TRUE;
}
