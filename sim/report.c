/* report.c - text and JSON availability reports. See report.h. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include "faultline/errors.h"
#include "faultline/hazard_report.h"
#include "faultline/jsonout.h"
#include "faultline/rare.h"
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
  if (f > 1e-12 && f < 0.001) /* 0.0019%, not 0.0%: a small share is not none */
    return g_strdup_printf("%.2g%%", f * 100.0);
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

static const char *const policy_names[] = { [FL_DNS_FAILOVER] = "failover",
                                             [FL_DNS_WEIGHTED] = "weighted",
                                             [FL_DNS_LATENCY] = "latency",
                                             [FL_DNS_MULTIVALUE] = "multivalue" };
static const char *const strategy_names[] = {
  [FL_STRATEGY_NONE] = "none", [FL_STRATEGY_BACKUP_RESTORE] = "backup-restore",
  [FL_STRATEGY_PILOT_LIGHT] = "pilot-light", [FL_STRATEGY_WARM_STANDBY] = "warm-standby",
  [FL_STRATEGY_ACTIVE_ACTIVE] = "active-active",
};

/* One line on what stands between clients and the service. (transfer full) */
static char *
describe_mechanics(const FlScenario *sc, const FlServiceSpec *sv)
{
  GString *g = g_string_new(NULL);
  if (sv->dns >= 0) {
    const FlDnsSpec *d = fl_scenario_dns(sc, sv->dns);
    g_string_append_printf(g, "Route 53 %s", policy_names[d->policy]);
    if (d->policy == FL_DNS_FAILOVER)
      g_string_append_printf(g, " %s -> %s", fl_scenario_region(sc, d->primary)->name,
                             fl_scenario_region(sc, d->secondary)->name);
    if (d->has_health_check)
      g_string_append_printf(g, ", health checks every %.0f s x %u", d->hc_interval_s,
                             d->failure_threshold);
    else
      g_string_append(g, ", no health check (records always healthy)");
    g_string_append_printf(g, ", TTL %.0f s", d->ttl_s);
    if (d->stale_share > 0) {
      g_autofree char *f = fl_format_duration(d->stale_for_s);
      g_string_append_printf(g, ", %.3g%% stale clients for %s", d->stale_share * 100, f);
    }
    if (d->failover == FL_FAILOVER_API) {
      g_autofree char *f = fl_format_duration(d->decision_s);
      g_string_append_printf(g, ", failover by API edit after %s", f);
    }
  }
  if (sv->load_balancer >= 0)
    g_string_append_printf(g, "%sload balancer %s", g->len ? "; " : "",
                           fl_scenario_load_balancer(sc, sv->load_balancer)->name);
  if (sv->eip)
    g_string_append_printf(g, "%sElastic IP remapped in %.0f s", g->len ? "; " : "",
                           sv->eip_remap_s);
  if (sv->strategy != FL_STRATEGY_NONE)
    g_string_append_printf(g, "%s%s", g->len ? "; " : "", strategy_names[sv->strategy]);
  return g_string_free(g, FALSE);
}

static const char *sla_label(const FlRunResult *r);

/* The "as clients see it" block of a service with mechanics. */
static void
print_real(FILE *out, const FlScenario *sc, const FlRunResult *r, const FlServiceSpec *sv,
           const FlServiceSummary *sum)
{
  int decimals = availability_decimals(sum->real_availability);
  g_autofree char *a = format_availability_with(sum->real_availability, decimals);
  g_autofree char *lo = format_availability_with(sum->real_availability_lo, decimals + 1);
  g_autofree char *hi = format_availability_with(sum->real_availability_hi, decimals + 1);
  int rdec = availability_decimals(sum->request_availability);
  g_autofree char *ra = format_availability_with(sum->request_availability, rdec);
  g_autofree char *rlo = format_availability_with(sum->request_availability_lo, rdec + 1);
  g_autofree char *rhi = format_availability_with(sum->request_availability_hi, rdec + 1);
  fprintf(out, "  as clients see it (DNS, health checks, TTLs, DR):\n");
  fprintf(out, "  availability (time)   %s  (95%% CI %s .. %s)\n", a, lo, hi);
  fprintf(out, "  availability (reqs)   %s  (95%% CI %s .. %s)  share of requests served\n", ra,
          rlo, rhi);
  g_autofree char *mean = format_minutes(sum->real_down_min_mean);
  g_autofree char *p50 = format_minutes(sum->real_down_min_p50);
  g_autofree char *p95 = format_minutes(sum->real_down_min_p95);
  g_autofree char *p99 = format_minutes(sum->real_down_min_p99);
  fprintf(out, "  downtime per year     mean %s min   p50 %s   p95 %s   p99 %s min\n", mean, p50,
          p95, p99);
  /* The time view counts a client resolving now; the TTL and stale clients cost requests: say
   * how much, in the same unit. */
  g_autofree char *lost = format_minutes((1.0 - sum->request_availability) * FL_SECONDS_PER_YEAR
                                         / 60.0);
  fprintf(out, "  requests lost         as many as %s min of full outage per year would lose (TTLs "
               "and stale clients included)\n", lost);
  fprintf(out, "  mechanics cost        %+.1f min of downtime per year over ideal failover\n",
          sum->mechanics_cost_min);
  /* Every outage as clients see it, failovers or not (a region that still passes its health
   * checks while short of needs keeps its clients). */
  fprintf(out, "  outages per year      %.3g  (%" G_GUINT64_FORMAT " %s)\n",
          sum->real_outages_per_year, sum->real_outages,
          r->weighted ? "simulated at the biased rates" : "in all");
  g_autofree char *miss = format_percent(sum->real_sla_miss);
  fprintf(out, "  %s  %s\n", sla_label(r), miss);
  g_autofree char *m50 = format_duration_or_na(sum->rto_p50_s);
  g_autofree char *m95 = format_duration_or_na(sum->rto_p95_s);
  g_autofree char *m99 = format_duration_or_na(sum->rto_p99_s);
  fprintf(out, "  %s %.3g  (RTO p50 %s   p95 %s   p99 %s)\n",
          sv->eip ? "EIP remaps per year  " : "failovers per year   ", sum->failovers_per_year,
          m50, m95, m99);
  if (sum->rpo_count > 0) {
    g_autofree char *q50 = format_duration_or_na(sum->rpo_p50_s);
    g_autofree char *q95 = format_duration_or_na(sum->rpo_p95_s);
    g_autofree char *q99 = format_duration_or_na(sum->rpo_p99_s);
    fprintf(out, "  data lost per failover RPO p50 %s   p95 %s   p99 %s", q50, q95, q99);
    if (sv->writes_per_second > 0)
      fprintf(out, "; %.0f writes on average", sum->rpo_mean_s * sv->writes_per_second);
    fprintf(out, "\n");
  }
  if (sv->dns >= 0 && fl_scenario_dns(sc, sv->dns)->failover == FL_FAILOVER_API) {
    fprintf(out, "  API failovers blocked %" G_GUINT64_FORMAT " by the Route 53 control plane; "
                 "the waits kept clients on a region that was down %.2f min per year\n",
            sum->blocked, sum->blocked_min_per_year);
    fprintf(out, "  note: failing over by editing records needs Route 53's control plane "
                 "(us-east-1); health-check failover runs on the data plane and does not "
                 "(AWS: static stability)\n");
  }
}

/* Above this relative half-width of the unavailability a plain run's figure is called loose
 * (and a hint suggests more replications, or --rare-events when there is a rare driver). */
#define LOOSE_REL_HALF 0.2

/* Whether a plain run's unavailability is loose: wider than LOOSE_REL_HALF, or no downtime
 * seen at all (no interval). */
static gboolean
loose(const FlServiceSummary *sum)
{
  return isnan(sum->unavailability_rel_half) || sum->unavailability_rel_half > LOOSE_REL_HALF;
}

/* Whether the hint to try --rare-events applies: a plain run, loose, with a rare driver. */
static gboolean
suggest_rare(const FlScenario *sc, const FlRunResult *r, const FlServiceSummary *sum)
{
  return !r->weighted && loose(sum) && sc->random_failures
         && fl_rare_n_drivers(sc, r->horizon_s) > 0;
}

/* What the year samples are (docs/model.md): a replication's horizon is cut into k chunks of
 * about a year (k = 1 under a year and a half). They are years when a chunk is a year to 1%;
 * otherwise replications (k = 1) or periods, of their own length. */
typedef enum { SAMPLES_YEARS, SAMPLES_REPLICATIONS, SAMPLES_PERIODS } SampleKind;

static SampleKind
sample_kind(const FlRunResult *r)
{
  if (fabs(r->chunk_s - FL_SECONDS_PER_YEAR) <= 0.01 * FL_SECONDS_PER_YEAR)
    return SAMPLES_YEARS;
  return r->n_chunks == 1 ? SAMPLES_REPLICATIONS : SAMPLES_PERIODS;
}

/* A sample's name: "year", "replication" or "period". */
static const char *
sample_noun(SampleKind kind)
{
  return kind == SAMPLES_YEARS ? "year" : kind == SAMPLES_REPLICATIONS ? "replication" : "period";
}

/* "2000 simulated years", "200 replications of 1.00 h", "400 periods of 1.25 y" (transfer
 * full): never "years" that are hours. */
static char *
samples_phrase(const FlRunResult *r, guint64 n)
{
  SampleKind kind = sample_kind(r);
  if (kind == SAMPLES_YEARS)
    return g_strdup_printf("%" G_GUINT64_FORMAT " simulated years", n);
  g_autofree char *each = fl_format_duration(r->chunk_s);
  return g_strdup_printf("%" G_GUINT64_FORMAT " %ss of %s", n, sample_noun(kind), each);
}

/* The label of the "missing SLA" lines, padded to the report's column. */
static const char *
sla_label(const FlRunResult *r)
{
  switch (sample_kind(r)) {
  case SAMPLES_YEARS:
    return "years missing SLA   ";
  case SAMPLES_REPLICATIONS:
    return "reps missing SLA    ";
  case SAMPLES_PERIODS:
    break;
  }
  return "periods missing SLA ";
}

/* The estimator line (issue 5) and its warnings. */
static void
print_estimator(FILE *out, const FlScenario *sc, const FlRunResult *r, const FlServiceSummary *sum)
{
  g_autofree char *how =
    r->weighted ? g_strdup_printf("importance sampling: %" G_GUINT64_FORMAT " replications, ESS "
                                  "%.0f (%.2g%%), mean weight %.3f", sum->replications, sum->ess,
                                  100.0 * sum->ess / (double)MAX(sum->replications, 1),
                                  sum->mean_weight)
                : g_strdup_printf("plain Monte Carlo: %" G_GUINT64_FORMAT " replications",
                                  sum->replications);
  /* With mechanics the ideal view is only half the report: say which view each figure is of,
   * so that "no downtime seen" is not read as the clients' view. */
  const char *ideal = sum->has_real ? " with ideal failover" : "";
  fprintf(out, "  estimator             %s; ", how);
  if (isnan(sum->unavailability_rel_half))
    fprintf(out, "no downtime seen%s, so no interval", ideal);
  else
    fprintf(out, "unavailability%s %.3g +- %.1f%%", ideal, sum->unavailability,
            100.0 * sum->unavailability_rel_half);
  double real_unavailability = 1.0 - sum->real_availability;
  if (sum->has_real && real_unavailability > 0)
    fprintf(out, "; as clients see it %.3g +- %.1f%%", real_unavailability,
            100.0 * (sum->real_availability_hi - sum->real_availability_lo) / 2.0
              / real_unavailability);
  fprintf(out, "%s\n", isnan(sum->unavailability_rel_half)
                         && !(sum->has_real && real_unavailability > 0)
                       ? "" : " (95% CI half-width)");
  if (r->weighted && sum->ess_collapsed)
    fprintf(out, "  warning: the effective sample size collapsed (%.0f, below %.0f or %.0f%% of the "
                 "replications): a few weights carry the estimate and its interval is not to be "
                 "trusted; lower rare-rate or run more replications\n", sum->ess,
            FL_RARE_ESS_MIN, 100.0 * FL_RARE_ESS_MIN_FRACTION);
  if (r->weighted && isfinite(sum->plain_replications))
    fprintf(out, "  plain Monte Carlo     would need about %.2g replications for the same "
                 "precision\n", sum->plain_replications);
  const char *rare_hint = suggest_rare(sc, r, sum) ? ", or try --rare-events (importance "
                                                     "sampling of the rare failures)" : "";
  if (!isnan(sum->unavailability_rel_half) && sum->unavailability_rel_half > LOOSE_REL_HALF)
    fprintf(out, "  note: the 95%% CI half-width is %.0f%% of the unavailability; run more "
                 "replications for a firmer figure%s\n",
            100.0 * sum->unavailability_rel_half, rare_hint);
  else if (*rare_hint) {
    g_autofree char *seen = samples_phrase(r, sum->years);
    fprintf(out, "  note: no downtime%s in %s does not make it zero: run more replications%s\n",
            ideal, seen, rare_hint);
  }
}

static void
print_service(FILE *out, const FlScenario *sc, const FlRunResult *r, guint s)
{
  const FlServiceSpec *sv = fl_scenario_service(sc, s);
  gboolean real = fl_service_has_mechanics(sv);
  g_autoptr(FlServiceSummary) sum = fl_summary_new(r, s, sv->sla, real);
  g_autoptr(GString) regions = g_string_new(NULL);
  for (guint k = 0; k < sv->n_regions; k++)
    g_string_append_printf(regions, "%s%s", k ? ", " : "",
                           fl_scenario_region(sc, sv->regions[k])->name);
  g_autofree char *sla = g_strdup_printf("%.10g%%", sv->sla * 100.0);
  fprintf(out, "\nservice %s  (%s; needs %u %s per region; SLA %s)\n", sv->name, regions->str,
          sv->needs,
          sv->needs_kind == FL_NEEDS_ZONES ? (sv->needs == 1 ? "zone" : "zones")
                                           : (sv->needs == 1 ? "instance" : "instances"),
          sla);
  if (sv->n_regions > 1 && !real)
    fprintf(out, "  failover              ideal (instant) between regions\n");
  if (real) {
    g_autofree char *how = describe_mechanics(sc, sv);
    fprintf(out, "  mechanics             %s\n", how);
    fprintf(out, "  with ideal failover:\n");
  }

  int decimals = availability_decimals(sum->availability);
  g_autofree char *a = format_availability_with(sum->availability, decimals);
  g_autofree char *lo = format_availability_with(sum->availability_lo, decimals + 1);
  g_autofree char *hi = format_availability_with(sum->availability_hi, decimals + 1);
  g_autofree char *samples = samples_phrase(r, sum->years);
  /* The rule of three bounds the chance that a sample has any downtime (which also bounds its
   * unavailability, loosely): said as what it is. */
  SampleKind kind = sample_kind(r);
  if (isinf(sum->nines))
    fprintf(out, "  availability          100%%  (no downtime in %s; 95%% upper bound on the "
                 "chance of any downtime in a %s about %.2g)\n", samples,
            sample_noun(kind), MIN(1.0, 3.0 / (double)MAX(sum->years, 1)));
  else
    fprintf(out, "  availability          %s  (95%% CI %s .. %s)  %.2f nines\n", a, lo, hi,
            sum->nines);

  g_autofree char *mean = format_minutes(sum->down_min_mean);
  g_autofree char *p50 = format_minutes(sum->down_min_p50);
  g_autofree char *p95 = format_minutes(sum->down_min_p95);
  g_autofree char *p99 = format_minutes(sum->down_min_p99);
  fprintf(out, "  downtime per year     mean %s min   p50 %s   p95 %s   p99 %s min\n", mean, p50,
          p95, p99);
  g_autofree char *w99 = format_minutes(sum->down_min_p99);
  g_autofree char *w999 = format_minutes(sum->down_min_p999);
  g_autofree char *label = g_strdup_printf("worst %ss", sample_noun(kind));
  const char *unit = kind == SAMPLES_YEARS ? "min" : "min/y"; /* scaled to a year */
  if (sum->years >= 1000) {
    fprintf(out, "  %-21s 1 in 100: %s %s   1 in 1000: %s %s\n", label, w99, unit, w999, unit);
  } else {
    g_autofree char *need = samples_phrase(r, 1000);
    fprintf(out, "  %-21s 1 in 100: %s %s   1 in 1000: needs %s\n", label, w99, unit, need);
  }
  if (kind != SAMPLES_YEARS) {
    g_autofree char *each = fl_format_duration(r->chunk_s);
    fprintf(out, "  note: a %s is %s, not a year: its downtime is scaled to a year for the "
                 "figures per year, and SLA misses count %ss\n",
            sample_noun(kind), each, sample_noun(kind));
  }
  fprintf(out, "  outages per year      %.3g  (%" G_GUINT64_FORMAT " %s)\n",
          sum->outages_per_year, sum->outages,
          r->weighted ? "simulated at the biased rates" : "in all");
  g_autofree char *o50 = format_duration_or_na(sum->outage_p50_s);
  g_autofree char *o95 = format_duration_or_na(sum->outage_p95_s);
  g_autofree char *omax = format_duration_or_na(sum->outage_max_s);
  fprintf(out, "  outage duration       p50 %s   p95 %s   max %s%s\n", o50, o95, omax,
          r->weighted ? "  (biased sample, unweighted)" : "");
  g_autofree char *miss = format_percent(sum->sla_miss);
  g_autofree char *mlo = format_percent(sum->sla_miss_lo);
  g_autofree char *mhi = format_percent(sum->sla_miss_hi);
  if (r->weighted && sum->sla_miss == 0) /* a t-interval of nothing seen is [0, 0]: no interval */
    fprintf(out, "  %s  %s  (none seen, so no interval)\n", sla_label(r), miss);
  else
    fprintf(out, "  %s  %s  (95%% CI %s .. %s)\n", sla_label(r), miss, mlo, mhi);

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
  if (real)
    print_real(out, sc, r, sv, sum);
  print_estimator(out, sc, r, sum);
}

/* The header line naming the biased groups of a weighted run. */
static void
print_rare_header(FILE *out, const FlScenario *sc, const FlRunResult *r)
{
  if (!r->weighted)
    return;
  fprintf(out, "rare      importance sampling (docs/rare-events.md):");
  double base, biased, b = 0;
  guint k = 0;
  for (guint g = 0; g < sc->failures->len; g++)
    if (fl_rare_group_bias(sc, g, r->horizon_s, &base, &biased))
      fprintf(out, "%s %s %.3g/y -> %.3g/y per member", k++ ? "," : "",
              fl_scenario_failure(sc, g)->name, base * FL_SECONDS_PER_YEAR,
              biased * FL_SECONDS_PER_YEAR);
  for (guint h = 0; h < sc->hazards->len; h++)
    if (fl_rare_hazard_bias(sc, h, r->horizon_s, &base, &biased, &b)) {
      const FlHazardSpec *hz = fl_scenario_hazard(sc, h);
      fprintf(out, "%s hazard %s %.3g/y -> %.3g/y", k++ ? "," : "", hz->name,
              base * FL_SECONDS_PER_YEAR, biased * FL_SECONDS_PER_YEAR);
      if (hz->kind == FL_HAZARD_EARTHQUAKE)
        fprintf(out, " (magnitudes b = %.3g -> %.3g)", hz->magnitude.b, b);
    }
  fprintf(out, "\n");
}

void
fl_report_text(FILE *out, const FlScenario *sc, const FlRunResult *r)
{
  fprintf(out, "faultline %s: %s\n", PACKAGE_VERSION, sc->name);
  fprintf(out, "scenario  %s (sha256 %.12s)\n", sc->file, sc->sha256);
  g_autofree char *horizon = fl_format_duration(r->horizon_s);
  fprintf(out, "run       %" G_GUINT64_FORMAT " replications x %s, seed %" G_GUINT64_FORMAT
               ", %u thread%s, %" G_GUINT64_FORMAT " events in %.2f s\n",
          r->completed, horizon, sc->seed, r->threads, r->threads == 1 ? "" : "s", r->events,
          r->elapsed_s);
  if (r->interrupted)
    fprintf(out, "INTERRUPTED after %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                 " replications: figures cover the finished ones only\n",
            r->completed, r->replications);
  if (!sc->random_failures) /* a drill: "per year" is one incident scaled, not a rate */
    fprintf(out, "scripted  random failures off: every replication replays the same injections, "
                 "so a figure per year is one replication (%s) scaled to a year\n", horizon);
  print_rare_header(out, sc, r);
  for (guint s = 0; s < r->n_services; s++)
    print_service(out, sc, r, s);
  fl_hazard_report_text(out, sc, r);
}

/* See report.h. */
void
fl_report_json_number(JsonBuilder *b, const char *name, double v)
{
  json_builder_set_member_name(b, name);
  fl_json_add_number(b, v);
}

#define add_number fl_report_json_number

static void
add_interval(JsonBuilder *b, const char *name, double mean, double lo, double hi)
{
  json_builder_set_member_name(b, name);
  json_builder_begin_object(b);
  add_number(b, "mean", mean);
  json_builder_set_member_name(b, "ci95");
  json_builder_begin_array(b);
  fl_json_add_number(b, lo);
  fl_json_add_number(b, hi);
  json_builder_end_array(b);
  json_builder_end_object(b);
}

/* "real": the service as clients see it; only for services with mechanics. */
static void
add_real_json(JsonBuilder *b, const FlScenario *sc, const FlServiceSpec *sv,
              const FlServiceSummary *sum)
{
  g_autofree char *how = describe_mechanics(sc, sv);
  json_builder_set_member_name(b, "real");
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "mechanics");
  json_builder_add_string_value(b, how);
  add_interval(b, "availability", sum->real_availability, sum->real_availability_lo,
               sum->real_availability_hi);
  add_interval(b, "request_availability", sum->request_availability,
               sum->request_availability_lo, sum->request_availability_hi);
  json_builder_set_member_name(b, "downtime_minutes_per_year");
  json_builder_begin_object(b);
  add_number(b, "mean", sum->real_down_min_mean);
  add_number(b, "p50", sum->real_down_min_p50);
  add_number(b, "p95", sum->real_down_min_p95);
  add_number(b, "p99", sum->real_down_min_p99);
  json_builder_end_object(b);
  add_number(b, "mechanics_cost_minutes_per_year", sum->mechanics_cost_min);
  add_number(b, "sla_miss_probability", sum->real_sla_miss);
  add_number(b, "outages_per_year", sum->real_outages_per_year);
  add_number(b, "failovers_per_year", sum->failovers_per_year);
  json_builder_set_member_name(b, "rto_minutes");
  json_builder_begin_object(b);
  add_number(b, "mean", sum->rto_mean_s / 60.0);
  add_number(b, "p50", sum->rto_p50_s / 60.0);
  add_number(b, "p95", sum->rto_p95_s / 60.0);
  add_number(b, "p99", sum->rto_p99_s / 60.0);
  json_builder_set_member_name(b, "count");
  json_builder_add_int_value(b, (gint64)sum->rto_count);
  json_builder_end_object(b);
  json_builder_set_member_name(b, "rpo_seconds");
  json_builder_begin_object(b);
  add_number(b, "mean", sum->rpo_mean_s);
  add_number(b, "p50", sum->rpo_p50_s);
  add_number(b, "p95", sum->rpo_p95_s);
  add_number(b, "p99", sum->rpo_p99_s);
  json_builder_set_member_name(b, "count");
  json_builder_add_int_value(b, (gint64)sum->rpo_count);
  json_builder_end_object(b);
  add_number(b, "writes_lost_per_failover", sum->rpo_mean_s * sv->writes_per_second);
  json_builder_set_member_name(b, "api_failovers_blocked");
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "count");
  json_builder_add_int_value(b, (gint64)sum->blocked);
  add_number(b, "minutes_per_year", sum->blocked_min_per_year);
  json_builder_end_object(b);
  json_builder_end_object(b);
}

/* "estimator" (issue 5): how the figures were estimated and how firm they are. */
static void
add_estimator_json(JsonBuilder *b, const FlScenario *sc, const FlRunResult *r,
                   const FlServiceSummary *sum)
{
  json_builder_set_member_name(b, "estimator");
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "method");
  json_builder_add_string_value(b, r->weighted ? "importance sampling" : "plain Monte Carlo");
  json_builder_set_member_name(b, "replications");
  json_builder_add_int_value(b, (gint64)sum->replications);
  add_interval(b, "unavailability", sum->unavailability, sum->unavailability_lo,
               sum->unavailability_hi);
  add_number(b, "relative_half_width", sum->unavailability_rel_half);
  add_number(b, "effective_sample_size", sum->ess);
  json_builder_set_member_name(b, "ess_warning");
  json_builder_add_boolean_value(b, sum->ess_collapsed);
  add_number(b, "mean_weight", sum->mean_weight);
  add_number(b, "plain_replications_for_same_precision", sum->plain_replications);
  json_builder_set_member_name(b, "hint");
  if (suggest_rare(sc, r, sum))
    json_builder_add_string_value(b, "try --rare-events");
  else if (!r->weighted && !isnan(sum->unavailability_rel_half)
           && sum->unavailability_rel_half > LOOSE_REL_HALF)
    json_builder_add_string_value(b, "run more replications");
  else
    json_builder_add_null_value(b);
  json_builder_end_object(b);
}

/* "rare_events": whether the run was weighted and the rates of the groups it biased. */
static void
add_rare_json(JsonBuilder *b, const FlScenario *sc, const FlRunResult *r)
{
  json_builder_set_member_name(b, "rare_events");
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "enabled");
  json_builder_add_boolean_value(b, r->weighted);
  json_builder_set_member_name(b, "biased_groups");
  json_builder_begin_object(b);
  double base, biased, mb = 0;
  for (guint g = 0; r->weighted && g < sc->failures->len; g++)
    if (fl_rare_group_bias(sc, g, r->horizon_s, &base, &biased)) {
      json_builder_set_member_name(b, fl_scenario_failure(sc, g)->name);
      json_builder_begin_object(b);
      add_number(b, "rate_per_year", base * FL_SECONDS_PER_YEAR);
      add_number(b, "biased_rate_per_year", biased * FL_SECONDS_PER_YEAR);
      json_builder_end_object(b);
    }
  json_builder_end_object(b);
  json_builder_set_member_name(b, "biased_hazards");
  json_builder_begin_object(b);
  for (guint h = 0; r->weighted && h < sc->hazards->len; h++)
    if (fl_rare_hazard_bias(sc, h, r->horizon_s, &base, &biased, &mb)) {
      const FlHazardSpec *hz = fl_scenario_hazard(sc, h);
      json_builder_set_member_name(b, hz->name);
      json_builder_begin_object(b);
      add_number(b, "rate_per_year", base * FL_SECONDS_PER_YEAR);
      add_number(b, "biased_rate_per_year", biased * FL_SECONDS_PER_YEAR);
      if (hz->kind == FL_HAZARD_EARTHQUAKE) {
        add_number(b, "magnitude_b", hz->magnitude.b);
        add_number(b, "biased_magnitude_b", mb);
      }
      json_builder_end_object(b);
    }
  json_builder_end_object(b);
  json_builder_end_object(b);
}

static void
add_service_json(JsonBuilder *b, const FlScenario *sc, const FlRunResult *r, guint s)
{
  const FlServiceSpec *sv = fl_scenario_service(sc, s);
  gboolean real = fl_service_has_mechanics(sv);
  g_autoptr(FlServiceSummary) sum = fl_summary_new(r, s, sv->sla, real);
  json_builder_set_member_name(b, sv->name);
  json_builder_begin_object(b);

  json_builder_set_member_name(b, "regions");
  json_builder_begin_array(b);
  for (guint k = 0; k < sv->n_regions; k++)
    json_builder_add_string_value(b, fl_scenario_region(sc, sv->regions[k])->name);
  json_builder_end_array(b);
  json_builder_set_member_name(b, "failover");
  json_builder_add_string_value(b, real ? "mechanics" : "ideal");

  json_builder_set_member_name(b, "availability");
  json_builder_begin_object(b);
  add_number(b, "mean", sum->availability);
  json_builder_set_member_name(b, "ci95");
  json_builder_begin_array(b);
  fl_json_add_number(b, sum->availability_lo);
  fl_json_add_number(b, sum->availability_hi);
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
  fl_json_add_number(b, sum->sla_miss_lo);
  fl_json_add_number(b, sum->sla_miss_hi);
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
  if (real)
    add_real_json(b, sc, sv, sum);
  add_estimator_json(b, sc, r, sum);
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
  add_rare_json(b, sc, r);
  json_builder_set_member_name(b, "services");
  json_builder_begin_object(b);
  for (guint s = 0; s < r->n_services; s++)
    add_service_json(b, sc, r, s);
  json_builder_end_object(b);
  fl_hazard_report_json(b, sc, r);
  json_builder_set_member_name(b, "run");
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "events");
  json_builder_add_int_value(b, (gint64)r->events);
  add_number(b, "elapsed_seconds", r->elapsed_s);
  json_builder_set_member_name(b, "threads");
  json_builder_add_int_value(b, r->threads);
  json_builder_end_object(b);
  json_builder_end_object(b);

  g_autoptr(JsonNode) root = json_builder_get_root(b);
  char *text = fl_json_to_text(root, TRUE);
  char *with_newline = g_strconcat(text, "\n", NULL);
  g_free(text);
  return with_newline;
}
