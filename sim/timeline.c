/* timeline.c - one replication's event log. See timeline.h. */
#include "config.h"

#include <json-glib/json-glib.h>

#include "faultline/jsonout.h"
#include "faultline/results.h"
#include "faultline/timeline.h"
#include "faultline/units.h"

typedef struct {
  const FlScenario *sc;
  GString *json;
  GString *text;
  guint max_text, text_lines, dropped;
  double *shares; /* scratch, per region of the largest service */
} Sink;

/* Adds @shares, one per region of service @sv, as an object keyed by region name. */
static void
add_region_shares(JsonBuilder *b, const FlScenario *sc, const FlServiceSpec *sv,
                  const double *shares)
{
  json_builder_begin_object(b);
  for (guint k = 0; k < sv->n_regions; k++) {
    json_builder_set_member_name(b, fl_scenario_region(sc, sv->regions[k])->name);
    fl_json_add_number(b, shares[k]);
  }
  json_builder_end_object(b);
}

/* Appends @ev, at @clock, to the JSON lines. */
static void
append_json(Sink *sink, const FlWorld *world, const FlTimelineEvent *ev, const char *clock)
{
  const FlScenario *sc = sink->sc;
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "t");
  fl_json_add_number(b, ev->t_s);
  json_builder_set_member_name(b, "clock");
  json_builder_add_string_value(b, clock);
  json_builder_set_member_name(b, "component");
  json_builder_add_string_value(b, ev->component);
  json_builder_set_member_name(b, "event");
  json_builder_add_string_value(b, ev->event);
  if (ev->detail) {
    json_builder_set_member_name(b, "detail");
    json_builder_add_string_value(b, ev->detail);
  }
  json_builder_set_member_name(b, "services");
  json_builder_begin_object(b);
  for (guint s = 0; s < sc->services->len; s++) {
    const FlServiceSpec *sv = fl_scenario_service(sc, s);
    json_builder_set_member_name(b, sv->name);
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "ideal");
    json_builder_add_boolean_value(b, fl_world_service_up_ideal(world, s));
    json_builder_set_member_name(b, "real");
    json_builder_add_boolean_value(b, fl_world_service_up_real(world, s));
    double stale = 0.0;
    if (fl_world_service_dns(world, s, sink->shares)) {
      json_builder_set_member_name(b, "dns");
      add_region_shares(b, sc, sv, sink->shares);
    }
    if (fl_world_service_clients(world, s, ev->t_s, sink->shares, &stale)) {
      json_builder_set_member_name(b, "clients");
      add_region_shares(b, sc, sv, sink->shares);
      json_builder_set_member_name(b, "stale_share");
      fl_json_add_number(b, stale);
    }
    json_builder_end_object(b);
  }
  json_builder_end_object(b);
  json_builder_end_object(b);
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  g_autofree char *line = fl_json_to_text(root, FALSE);
  g_string_append(sink->json, line);
  g_string_append_c(sink->json, '\n');
}

static void
observe(const FlWorld *world, const FlTimelineEvent *ev, gpointer data)
{
  Sink *sink = data;
  g_autofree char *clock = fl_format_clock(ev->t_s);
  if (sink->json != NULL)
    append_json(sink, world, ev, clock);
  if (sink->text == NULL)
    return;
  /* Past the first max_text lines, single instances and their load-balancer targets (many,
   * in a busy replication) give way to the rest, up to as many lines again, so that the
   * injections a drill is about still show after a morning of instance crashes. */
  gboolean minor = g_str_has_prefix(ev->component, "instance ")
                   || g_str_has_prefix(ev->component, "target ");
  if (sink->text_lines >= 2 * sink->max_text
      || (sink->text_lines >= sink->max_text && minor)) {
    sink->dropped++;
    return;
  }
  sink->text_lines++;
  g_string_append_printf(sink->text, "  %s  %s: %s%s%s%s\n", clock, ev->component, ev->event,
                         ev->detail ? " (" : "", ev->detail ? ev->detail : "",
                         ev->detail ? ")" : "");
}

char *
fl_timeline_run(const FlScenario *sc, const FlModel *model, guint64 seed, guint64 rep,
                double horizon_s, gboolean json, char **text, guint max_text_lines)
{
  guint max_regions = 1;
  for (guint s = 0; s < sc->services->len; s++)
    max_regions = MAX(max_regions, fl_scenario_service(sc, s)->n_regions);
  g_autofree double *shares = g_new0(double, max_regions);
  Sink sink = { sc, json ? g_string_new(NULL) : NULL, text ? g_string_new(NULL) : NULL,
                max_text_lines, 0, 0, shares };
  g_auto(GStrv) causes = fl_model_cause_names(model);
  /* A one-replication result whose row 0 this replication fills; the run is the same as
   * replication @rep of the Monte Carlo run because the random stream is (seed, rep). */
  g_autoptr(FlRunResult) result = fl_run_result_new(fl_model_n_services(model),
                                                    (const char *const *)causes, horizon_s, 1);
  fl_run_result_set_hazards(result, fl_model_n_hazards(model), fl_model_hazard_stride(model));
  g_autoptr(FlTally) tally = fl_tally_new(result);
  g_autoptr(FlWorld) world = fl_world_new(model);
  fl_world_set_timeline(world, observe, &sink);
  fl_tally_begin(tally, result, 0);
  fl_world_run(world, seed, rep, horizon_s, tally, NULL);
  if (text) {
    if (sink.dropped)
      g_string_append_printf(sink.text, "  ... %u more events not shown%s (see --timeline "
                             "FILE)\n", sink.dropped,
                             sink.text_lines < 2 * sink.max_text
                               ? ", of instances and load-balancer targets" : "");
    *text = g_string_free(sink.text, FALSE);
  }
  return sink.json ? g_string_free(sink.json, FALSE) : NULL;
}
