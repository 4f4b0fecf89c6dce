/* hazard_report.c - the per-hazard part of the reports (docs/hazards.md "Report").
 *
 * Owns: FlHazardSummary (what each [hazard] did over the run) and its text and JSON forms,
 * computed from the hazard counters of an FlRunResult (results.h FL_HZ_*) and the downtime
 * charged to each hazard as a cause. report.c calls it; nothing here reads a live simulation.
 *
 * Annual probabilities: a hazard's events form a Poisson stream and each event independently
 * takes a given zone (region, service) down or not, so the events that do are a thinned
 * Poisson stream of rate n / years; the chance of at least one in a year is 1 - e^(-n/years).
 * This holds for any horizon, not only 1y.
 */
#include "config.h"

#include <math.h>

#include "faultline/hazard_report.h"
#include "faultline/jsonout.h"
#include "faultline/report.h"
#include "faultline/summary.h"
#include "faultline/units.h"

static double
annual_probability(double count, double years)
{
  return years > 0 ? -expm1(-count / years) : NAN;
}

/* Counter @i of hazard row @row: the weighted estimate in a weighted run, else the count. */
static double
counter(const FlRunResult *r, gsize row, guint i)
{
  gsize k = row * r->hz_stride + i;
  return r->hazard_w ? fl_weight_sum_to(r->hazard_w[k]) : (double)r->hazard[k];
}

FlHazardSummary *
fl_hazard_summary_new(const FlScenario *sc, const FlRunResult *r, guint h)
{
  g_return_val_if_fail(h < r->n_hazards, NULL);
  FlHazardSummary *hs = g_new0(FlHazardSummary, 1);
  guint nz = sc->zones->len, nr = sc->regions->len, ns = r->n_services;
  hs->spec = fl_scenario_hazard(sc, h);
  hs->weighted = r->hazard_w != NULL;
  hs->years = (double)r->completed * r->horizon_s / FL_SECONDS_PER_YEAR;
  hs->events = counter(r, h, FL_HZ_EVENTS);
  hs->events_per_year = hs->years > 0 ? hs->events / hs->years : NAN;
  hs->zone_events = g_new0(double, MAX(1u, nz));
  hs->zone_p = g_new0(double, MAX(1u, nz));
  hs->region_events = g_new0(double, MAX(1u, nr));
  hs->region_p = g_new0(double, MAX(1u, nr));
  for (guint z = 0; z < nz; z++) {
    hs->zone_events[z] = counter(r, h, FL_HZ_ZONE + z);
    hs->zone_p[z] = annual_probability(hs->zone_events[z], hs->years);
  }
  for (guint k = 0; k < nr; k++) {
    hs->region_events[k] = counter(r, h, FL_HZ_ZONE + nz + k);
    hs->region_p[k] = annual_probability(hs->region_events[k], hs->years);
  }
  guint cause = r->n_causes - r->n_hazards + h; /* hazards are the last causes (model.c) */
  hs->svc_all_events = g_new0(double, MAX(1u, ns));
  hs->svc_all_p = g_new0(double, MAX(1u, ns));
  hs->svc_min_per_event = g_new0(double, MAX(1u, ns));
  hs->svc_min_per_year = g_new0(double, MAX(1u, ns));
  hs->svc_share = g_new0(double, MAX(1u, ns));
  for (guint s = 0; s < ns; s++) {
    hs->svc_all_events[s] = counter(r, h, FL_HZ_ZONE + nz + nr + s);
    hs->svc_all_p[s] = annual_probability(hs->svc_all_events[s], hs->years);
    /* Downtime by cause as the service's summary has it (weighted under importance
     * sampling). */
    const FlServiceSpec *sv = fl_scenario_service(sc, s);
    g_autoptr(FlServiceSummary) sum = fl_summary_new(r, s, sv->sla, FALSE);
    double minutes = sum->cause_min_per_year[cause] * hs->years;
    hs->svc_min_per_event[s] = hs->events > 0 ? minutes / hs->events : NAN;
    hs->svc_min_per_year[s] = sum->cause_min_per_year[cause];
    hs->svc_share[s] = sum->cause_share[cause];
  }
  hs->n_hist = r->hz_stride - (FL_HZ_ZONE + nz + nr + ns);
  hs->hist = g_new0(double, MAX(1u, hs->n_hist));
  for (guint k = 0; k < hs->n_hist; k++)
    hs->hist[k] = counter(r, h, FL_HZ_ZONE + nz + nr + ns + k);
  while (hs->n_hist > 1 && hs->hist[hs->n_hist - 1] == 0) /* trailing members never hit */
    hs->n_hist--;
  const FlGutenbergRichter *gr = &hs->spec->magnitude;
  hs->magnitude_clamped = hs->spec->kind == FL_HAZARD_EARTHQUAKE
                          && (gr->mmax > FL_BJF97_M_MAX || gr->m0 < FL_BJF97_M_MIN);
  return hs;
}

void
fl_hazard_summary_free(FlHazardSummary *hs)
{
  if (hs == NULL)
    return;
  g_free(hs->zone_events);
  g_free(hs->zone_p);
  g_free(hs->region_events);
  g_free(hs->region_p);
  g_free(hs->svc_all_events);
  g_free(hs->svc_all_p);
  g_free(hs->svc_min_per_event);
  g_free(hs->svc_min_per_year);
  g_free(hs->svc_share);
  g_free(hs->hist);
  g_free(hs);
}

static const char *const kind_names[] = { [FL_HAZARD_EARTHQUAKE] = "earthquake",
                                          [FL_HAZARD_SHOCK] = "shock",
                                          [FL_HAZARD_ROLLOUT] = "rollout" };

const char *
fl_hazard_kind_name(FlHazardKind kind)
{
  return kind >= FL_HAZARD_EARTHQUAKE && kind <= FL_HAZARD_ROLLOUT ? kind_names[kind] : "?";
}

/* "1.2%" or "0.0031%" : enough digits to see small yearly chances. (transfer full) */
static char *
format_probability(double p)
{
  if (isnan(p))
    return g_strdup("n/a");
  if (p == 0)
    return g_strdup("0%");
  return g_strdup_printf("%.3g%%", 100.0 * p);
}

/* A line "  <label> name p, name p, ..." listing only nonzero entries. */
static void
print_places(FILE *out, const char *label, const char *const *names, const double *p,
             const double *events, guint n)
{
  g_autoptr(GString) line = g_string_new(NULL);
  for (guint i = 0; i < n; i++) {
    if (events[i] == 0)
      continue;
    g_autofree char *pp = format_probability(p[i]);
    g_string_append_printf(line, "%s%s %s", line->len ? ", " : "", names[i], pp);
  }
  fprintf(out, "  %-21s %s\n", label, line->len ? line->str : "none seen");
}

/* Zone and region names by index, for the per-place lists. (transfer container) */
static void
place_names(const FlScenario *sc, const char ***zones, const char ***regions)
{
  *zones = g_new(const char *, MAX(1u, sc->zones->len));
  *regions = g_new(const char *, MAX(1u, sc->regions->len));
  for (guint z = 0; z < sc->zones->len; z++)
    (*zones)[z] = fl_scenario_zone(sc, z)->name;
  for (guint k = 0; k < sc->regions->len; k++)
    (*regions)[k] = fl_scenario_region(sc, k)->name;
}

void
fl_hazard_report_text(FILE *out, const FlScenario *sc, const FlRunResult *r)
{
  if (r->n_hazards == 0)
    return;
  guint nz = sc->zones->len, nr = sc->regions->len;
  g_autofree const char **zone_names = NULL;
  g_autofree const char **region_names = NULL;
  place_names(sc, &zone_names, &region_names);
  for (guint h = 0; h < r->n_hazards; h++) {
    g_autoptr(FlHazardSummary) hs = fl_hazard_summary_new(sc, r, h);
    const FlHazardSpec *sp = hs->spec;
    fprintf(out, "\nhazard %s  (%s, %.4g per year%s; from %s)\n", sp->name,
            fl_hazard_kind_name(sp->kind), sp->rate_per_year,
            sp->kind == FL_HAZARD_EARTHQUAKE ? " at or above the minimum magnitude" : "",
            sp->file);
    if (hs->weighted)
      fprintf(out, "  events per year       %.4g  (weighted estimate over %.0f years)\n",
              hs->events_per_year, hs->years);
    else
      fprintf(out, "  events per year       %.4g  (%.0f in %.0f years)\n", hs->events_per_year,
              hs->events, hs->years);
    fprintf(out, "  a year with it taking down (annual probability):\n");
    print_places(out, "  a zone", zone_names, hs->zone_p, hs->zone_events, nz);
    print_places(out, "  a whole region", region_names, hs->region_p, hs->region_events, nr);
    for (guint s = 0; s < r->n_services; s++) {
      const FlServiceSpec *sv = fl_scenario_service(sc, s);
      g_autofree char *p = format_probability(hs->svc_all_p[s]);
      g_autofree char *label = g_strdup_printf("  all of %s", sv->name);
      fprintf(out, "  %-21s %s  (every region of the service at once)\n", label, p);
    }
    for (guint s = 0; s < r->n_services; s++) {
      const FlServiceSpec *sv = fl_scenario_service(sc, s);
      g_autofree char *share = g_strdup_printf("%.3g%%", 100.0 * hs->svc_share[s]);
      if (isnan(hs->svc_min_per_event[s]))
        fprintf(out, "  downtime of %-9s no events\n", sv->name);
      else
        fprintf(out, "  downtime of %-9s %.3g min per event, %.3g min per year, %s of its "
                     "downtime\n", sv->name, hs->svc_min_per_event[s], hs->svc_min_per_year[s],
                share);
    }
    g_autoptr(GString) hist = g_string_new(NULL);
    for (guint k = 0; k < hs->n_hist; k++)
      g_string_append_printf(hist, "%s%u: %.3g%%", k ? ", " : "", k,
                             hs->events > 0 ? 100.0 * hs->hist[k] / hs->events : 0.0);
    fprintf(out, "  %-21s %s\n",
            sp->target == FL_TARGET_REGION ? "regions hit per event" : "zones hit per event",
            hs->events > 0 ? hist->str : "-");
    if (hs->magnitude_clamped)
      fprintf(out, "  note: BJF97 was fitted on M %.1f-%.1f; magnitudes outside are evaluated "
                   "at the nearest end (clamped), so the largest events' shaking is "
                   "understated\n", FL_BJF97_M_MIN, FL_BJF97_M_MAX);
  }
}

#define add_number fl_report_json_number

/* A count: an integer, or under importance sampling its weighted estimate. */
static void
add_count(JsonBuilder *b, const char *name, double v, gboolean weighted)
{
  if (weighted) {
    add_number(b, name, v);
    return;
  }
  json_builder_set_member_name(b, name);
  json_builder_add_int_value(b, (gint64)v);
}

static void
add_places(JsonBuilder *b, const char *member, const char *const *names, const double *p,
           const double *events, guint n, gboolean weighted)
{
  json_builder_set_member_name(b, member);
  json_builder_begin_object(b);
  for (guint i = 0; i < n; i++) {
    json_builder_set_member_name(b, names[i]);
    json_builder_begin_object(b);
    add_count(b, "events", events[i], weighted);
    add_number(b, "annual_probability", p[i]);
    json_builder_end_object(b);
  }
  json_builder_end_object(b);
}

void
fl_hazard_report_json(JsonBuilder *b, const FlScenario *sc, const FlRunResult *r)
{
  guint nz = sc->zones->len, nr = sc->regions->len;
  g_autofree const char **zone_names = NULL;
  g_autofree const char **region_names = NULL;
  place_names(sc, &zone_names, &region_names);
  json_builder_set_member_name(b, "hazards");
  json_builder_begin_object(b);
  for (guint h = 0; h < r->n_hazards; h++) {
    g_autoptr(FlHazardSummary) hs = fl_hazard_summary_new(sc, r, h);
    json_builder_set_member_name(b, hs->spec->name);
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "kind");
    json_builder_add_string_value(b, fl_hazard_kind_name(hs->spec->kind));
    json_builder_set_member_name(b, "file");
    json_builder_add_string_value(b, hs->spec->file);
    add_number(b, "rate_per_year", hs->spec->rate_per_year);
    add_count(b, "events", hs->events, hs->weighted);
    add_number(b, "events_per_year", hs->events_per_year);
    add_places(b, "zones", zone_names, hs->zone_p, hs->zone_events, nz, hs->weighted);
    add_places(b, "regions", region_names, hs->region_p, hs->region_events, nr, hs->weighted);
    json_builder_set_member_name(b, "services");
    json_builder_begin_object(b);
    for (guint s = 0; s < r->n_services; s++) {
      json_builder_set_member_name(b, fl_scenario_service(sc, s)->name);
      json_builder_begin_object(b);
      add_count(b, "all_regions_events", hs->svc_all_events[s], hs->weighted);
      add_number(b, "all_regions_annual_probability", hs->svc_all_p[s]);
      add_number(b, "downtime_minutes_per_event", hs->svc_min_per_event[s]);
      add_number(b, "downtime_minutes_per_year", hs->svc_min_per_year[s]);
      add_number(b, "share_of_downtime", hs->svc_share[s]);
      json_builder_end_object(b);
    }
    json_builder_end_object(b);
    json_builder_set_member_name(b, "members_hit_per_event");
    json_builder_begin_array(b);
    for (guint k = 0; k < hs->n_hist; k++)
      if (hs->weighted)
        fl_json_add_number(b, hs->hist[k]);
      else
        json_builder_add_int_value(b, (gint64)hs->hist[k]);
    json_builder_end_array(b);
    json_builder_set_member_name(b, "weighted");
    json_builder_add_boolean_value(b, hs->weighted);
    json_builder_set_member_name(b, "magnitude_clamped");
    json_builder_add_boolean_value(b, hs->magnitude_clamped);
    json_builder_end_object(b);
  }
  json_builder_end_object(b);
}
