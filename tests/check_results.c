/* check_results.c - unit tests for results.h: chunking of the horizon, how an outage is split
 * over year chunks, cause accounting, abandoned replications and merging; and for jsonout.h,
 * which writes the results out as JSON.
 *
 * All times below are whole seconds (and whole microseconds in the cause sums), so the
 * expected sums are exact; only the uneven 2.5 y horizon, whose chunk length is not a whole
 * number, is compared to rounding.
 */
#include "config.h"

#include <check.h>
#include <float.h>
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "faultline/jsonout.h"
#include "faultline/results.h"
#include "faultline/units.h"

#define Y FL_SECONDS_PER_YEAR
#define H FL_SECONDS_PER_HOUR

static const char *const two_causes[] = { "zone-outage", "disk", NULL };

/* The downtime of (rep, service, chunk): rows are [rep][service][chunk]. */
static double
cell(const FlRunResult *r, guint64 rep, guint service, guint chunk)
{
  return r->chunk_down_s[(rep * r->n_services + service) * r->n_chunks + chunk];
}

static guint32
outages(const FlRunResult *r, guint64 rep, guint service)
{
  return r->outages[rep * r->n_services + service];
}

START_TEST(test_chunks_for_horizon)
{
  ck_assert_uint_eq(fl_chunks_for_horizon(0.0), 1);
  ck_assert_uint_eq(fl_chunks_for_horizon(90 * FL_SECONDS_PER_DAY), 1);
  ck_assert_uint_eq(fl_chunks_for_horizon(0.3 * Y), 1);
  ck_assert_uint_eq(fl_chunks_for_horizon(Y), 1);
  ck_assert_uint_eq(fl_chunks_for_horizon(1.4 * Y), 1);
  ck_assert_uint_eq(fl_chunks_for_horizon(1.5 * Y), 2);
  ck_assert_uint_eq(fl_chunks_for_horizon(2.5 * Y), 3);
  ck_assert_uint_eq(fl_chunks_for_horizon(3 * Y), 3);
  ck_assert_uint_eq(fl_chunks_for_horizon(10 * Y), 10);
  ck_assert_uint_eq(fl_chunks_for_horizon(3 * Y - 1.0), 3);
  ck_assert_uint_eq(fl_chunks_for_horizon(FL_MAX_DURATION_S), 1000000);
}
END_TEST

START_TEST(test_result_new)
{
  g_autoptr(FlRunResult) r = fl_run_result_new(2, two_causes, 3 * Y, 4);
  ck_assert_ptr_nonnull(r);
  ck_assert_uint_eq(r->n_services, 2);
  ck_assert_uint_eq(r->n_causes, 2);
  ck_assert_uint_eq(r->n_chunks, 3);
  ck_assert_double_eq(r->horizon_s, 3 * Y);
  ck_assert_double_eq(r->chunk_s, Y);
  ck_assert_uint_eq(r->replications, 4);
  /* Cause names are copied. */
  ck_assert_ptr_ne(r->cause_names, (char **)two_causes);
  ck_assert_ptr_ne(r->cause_names[0], two_causes[0]);
  ck_assert_str_eq(r->cause_names[0], "zone-outage");
  ck_assert_str_eq(r->cause_names[1], "disk");
  ck_assert_ptr_null(r->cause_names[2]);
  /* Everything starts at zero. */
  for (guint64 rep = 0; rep < 4; rep++) {
    ck_assert_uint_eq(r->done[rep], 0);
    for (guint s = 0; s < 2; s++) {
      ck_assert_uint_eq(outages(r, rep, s), 0);
      for (guint c = 0; c < 3; c++)
        ck_assert_double_eq(cell(r, rep, s, c), 0.0);
    }
  }
  for (guint s = 0; s < 2; s++) {
    ck_assert_uint_eq(r->svc[s].outage_hist.total, 0);
    for (guint c = 0; c < 2; c++)
      ck_assert(r->svc[s].cause_us[c] == 0);
  }
  ck_assert_uint_eq(r->events, 0);

  /* An uneven horizon: round(2.5) = 3 chunks of 2.5 y / 3. */
  g_autoptr(FlRunResult) uneven = fl_run_result_new(1, two_causes, 2.5 * Y, 1);
  ck_assert_uint_eq(uneven->n_chunks, 3);
  ck_assert_double_eq(uneven->chunk_s, 2.5 * Y / 3);

  /* No causes at all is a valid (if odd) result. */
  static const char *const none[] = { NULL };
  g_autoptr(FlRunResult) empty = fl_run_result_new(1, none, Y, 1);
  ck_assert_ptr_nonnull(empty);
  ck_assert_uint_eq(empty->n_causes, 0);
}
END_TEST

/* A run large enough for its rows to go in one huge-page mapping (results.c, rows_alloc(),
 * from 4 MiB): each array starts zeroed, on a cache line, and none overlaps the next. */
START_TEST(test_result_rows_large)
{
  const guint64 n = 200003; /* 2 services x 3 chunks: about 25 MiB of rows; sizes not 64-aligned */
  g_autoptr(FlRunResult) r = fl_run_result_new(2, two_causes, 3 * Y, n);
  ck_assert_ptr_nonnull(r);
  const guint64 per_svc = n * 2, per_cell = n * 2 * 3;
  struct {
    guint8 *start;
    gsize bytes;
  } arrays[] = {
    { r->done, n },
    { (guint8 *)r->chunk_down_s, per_cell * sizeof(double) },
    { (guint8 *)r->outages, per_svc * sizeof(guint32) },
    { (guint8 *)r->real_chunk_down_s, per_cell * sizeof(double) },
    { (guint8 *)r->unserved_s, per_svc * sizeof(double) },
    { (guint8 *)r->failovers, per_svc * sizeof(guint32) },
    { (guint8 *)r->real_outages, per_svc * sizeof(guint32) },
  };
  for (guint i = 0; i < G_N_ELEMENTS(arrays); i++) {
    ck_assert_uint_eq((guintptr)arrays[i].start % 64, 0);
    for (gsize b = 0; b < arrays[i].bytes; b += 4093) /* a byte in every page, and the last */
      ck_assert_uint_eq(arrays[i].start[b], 0);
    ck_assert_uint_eq(arrays[i].start[arrays[i].bytes - 1], 0);
    memset(arrays[i].start, 0xa5, arrays[i].bytes); /* all of it writable */
  }
  /* Disjoint, in this order: each array ends at or before the next one starts. */
  for (guint i = 0; i + 1 < G_N_ELEMENTS(arrays); i++)
    ck_assert(arrays[i].start + arrays[i].bytes <= arrays[i + 1].start);
  r->unserved_s[per_svc - 1] = 1.5;
  ck_assert_double_eq(r->unserved_s[per_svc - 1], 1.5);
  ck_assert_uint_eq(r->failovers[0], 0xa5a5a5a5u);
}
END_TEST

/* Arrays that cannot fit give NULL rather than an abort. */
START_TEST(test_result_too_large)
{
  ck_assert_ptr_null(fl_run_result_new(1, two_causes, Y, G_GUINT64_CONSTANT(1) << 40));
  ck_assert_ptr_null(fl_run_result_new(100, two_causes, 100 * Y, G_GUINT64_CONSTANT(1) << 30));
  ck_assert_ptr_null(fl_run_result_new(1, two_causes, Y, G_MAXUINT64));
}
END_TEST

/* Horizon 3 y, so chunks [0, 1y), [1y, 2y), [2y, 3y). Outages that straddle one boundary, two
 * boundaries, start exactly on one, end exactly on the horizon, fill a chunk exactly, and have
 * zero length. */
START_TEST(test_tally_split_over_chunks)
{
  g_autoptr(FlRunResult) r = fl_run_result_new(2, two_causes, 3 * Y, 2);
  g_autoptr(FlTally) t = fl_tally_new(r);
  ck_assert_uint_eq(t->n_chunks, 3);
  ck_assert_double_eq(t->chunk_s, Y);

  fl_tally_begin(t, r, 1);
  fl_tally_outage(t, 0, Y - 10 * H, Y + 5 * H, 0);   /* 10 h in chunk 0, 5 h in chunk 1 */
  fl_tally_outage(t, 0, 2 * Y, 2 * Y + H, 1);        /* starts on a boundary: chunk 2 only */
  fl_tally_outage(t, 0, 3 * Y - 1800.0, 3 * Y, 1);   /* ends at the horizon: chunk 2 */
  fl_tally_outage(t, 1, 0.5 * Y, 2.5 * Y, 1);        /* half, whole, half */
  fl_tally_outage(t, 1, Y, 2 * Y, 0);                /* exactly chunk 1, nothing in chunk 2 */
  fl_tally_outage(t, 1, 100.0, 100.0, 0);            /* zero length: no outage at all */

  ck_assert_double_eq(cell(r, 1, 0, 0), 10 * H);
  ck_assert_double_eq(cell(r, 1, 0, 1), 5 * H);
  ck_assert_double_eq(cell(r, 1, 0, 2), H + 1800.0);
  ck_assert_double_eq(cell(r, 1, 1, 0), 0.5 * Y);
  ck_assert_double_eq(cell(r, 1, 1, 1), 2 * Y);
  ck_assert_double_eq(cell(r, 1, 1, 2), 0.5 * Y);
  ck_assert_uint_eq(outages(r, 1, 0), 3);
  ck_assert_uint_eq(outages(r, 1, 1), 2);
  /* Replication 0's rows are untouched. */
  for (guint s = 0; s < 2; s++) {
    ck_assert_uint_eq(outages(r, 0, s), 0);
    for (guint c = 0; c < 3; c++)
      ck_assert_double_eq(cell(r, 0, s, c), 0.0);
  }

  /* Accumulators only change at fl_tally_end. */
  ck_assert_uint_eq(t->svc[0].outage_hist.total, 0);
  ck_assert(t->svc[0].cause_us[0] == 0 && t->svc[1].cause_us[1] == 0);
  fl_tally_end(t);

  /* Cause accounting, in exact microseconds: each outage's whole duration to its cause. */
  ck_assert(t->svc[0].cause_us[0] == (FlTimeSum)15 * 3600 * 1000000);
  ck_assert(t->svc[0].cause_us[1] == (FlTimeSum)(3600 + 1800) * 1000000);
  ck_assert(t->svc[1].cause_us[0] == (FlTimeSum)31536000 * 1000000);
  ck_assert(t->svc[1].cause_us[1] == (FlTimeSum)2 * 31536000 * 1000000);
  /* Per service, the causes add up to the downtime in the chunks. */
  for (guint s = 0; s < 2; s++) {
    double chunks = cell(r, 1, s, 0) + cell(r, 1, s, 1) + cell(r, 1, s, 2);
    ck_assert_double_eq(fl_time_sum_to_s(t->svc[s].cause_us[0] + t->svc[s].cause_us[1]), chunks);
  }
  /* Every outage goes to the duration histogram; the zero-length one was none. */
  ck_assert_uint_eq(t->svc[0].outage_hist.total, 3);
  ck_assert_uint_eq(t->svc[1].outage_hist.total, 2);
  ck_assert_double_eq(t->svc[0].outage_hist.max_s, 15 * H);
  ck_assert_double_eq(t->svc[1].outage_hist.max_s, 2 * Y);
  ck_assert_double_eq(fl_hist_quantile(&t->svc[0].outage_hist, 0.0), 1800.0);
  ck_assert_double_eq(fl_hist_quantile(&t->svc[1].outage_hist, 0.0), Y);

  /* Beginning a replication zeroes its rows (a retried replication starts clean). */
  fl_tally_begin(t, r, 1);
  for (guint s = 0; s < 2; s++) {
    ck_assert_uint_eq(outages(r, 1, s), 0);
    for (guint c = 0; c < 3; c++)
      ck_assert_double_eq(cell(r, 1, s, c), 0.0);
  }
}
END_TEST

/* With a 1 y horizon the chunk is the whole replication. */
START_TEST(test_tally_single_chunk)
{
  g_autoptr(FlRunResult) r = fl_run_result_new(1, two_causes, Y, 1);
  g_autoptr(FlTally) t = fl_tally_new(r);
  fl_tally_begin(t, r, 0);
  fl_tally_outage(t, 0, 0.2 * Y, 0.9 * Y, 1);
  fl_tally_outage(t, 0, 0.95 * Y, Y, 0);
  fl_tally_end(t);
  ck_assert_double_eq(cell(r, 0, 0, 0), (0.9 * Y - 0.2 * Y) + (Y - 0.95 * Y));
  ck_assert_uint_eq(outages(r, 0, 0), 2);
}
END_TEST

/* 2.5 y in 3 chunks of 2.5y/3: an outage over the whole horizon gives each chunk its length
 * (to rounding of k * chunk_s) and the pieces add up to the outage. */
START_TEST(test_tally_uneven_chunks)
{
  g_autoptr(FlRunResult) r = fl_run_result_new(1, two_causes, 2.5 * Y, 1);
  g_autoptr(FlTally) t = fl_tally_new(r);
  double chunk = r->chunk_s, rounding = 4 * DBL_EPSILON * 2.5 * Y;
  fl_tally_begin(t, r, 0);
  fl_tally_outage(t, 0, 0.0, 2.5 * Y, 0);
  for (guint c = 0; c < 3; c++)
    ck_assert_double_eq_tol(cell(r, 0, 0, c), chunk, rounding);
  ck_assert_double_eq_tol(cell(r, 0, 0, 0) + cell(r, 0, 0, 1) + cell(r, 0, 0, 2), 2.5 * Y,
                          rounding);

  fl_tally_begin(t, r, 0);
  fl_tally_outage(t, 0, 2.4 * Y, 2.5 * Y, 0); /* wholly in the last chunk */
  fl_tally_outage(t, 0, chunk - H, chunk + 2 * H, 1);
  ck_assert_double_eq_tol(cell(r, 0, 0, 0), H, rounding);
  ck_assert_double_eq_tol(cell(r, 0, 0, 1), 2 * H, rounding);
  ck_assert_double_eq_tol(cell(r, 0, 0, 2), 0.1 * Y, rounding);
}
END_TEST

/* A replication abandoned before fl_tally_end (Ctrl-C) leaves nothing in the accumulators;
 * the next fl_tally_begin discards its pending outages. */
START_TEST(test_tally_abandoned)
{
  g_autoptr(FlRunResult) r = fl_run_result_new(1, two_causes, Y, 2);
  g_autoptr(FlTally) t = fl_tally_new(r);
  fl_tally_begin(t, r, 0);
  fl_tally_outage(t, 0, 10.0, 1000.0, 0);
  fl_tally_begin(t, r, 1);
  fl_tally_outage(t, 0, 20.0, 50.0, 1);
  fl_tally_end(t);
  ck_assert_uint_eq(t->svc[0].outage_hist.total, 1);
  ck_assert(t->svc[0].cause_us[0] == 0);
  ck_assert(t->svc[0].cause_us[1] == (FlTimeSum)30 * 1000000);
  ck_assert_double_eq(t->svc[0].outage_hist.max_s, 30.0);
}
END_TEST

/* Runs replication @rep's outages for the merge test; outage k of rep r lasts (r + 1) (k + 1)
 * minutes and starts on the hour. */
static void
run_rep(FlTally *t, FlRunResult *r, guint64 rep)
{
  fl_tally_begin(t, r, rep);
  for (guint k = 0; k < 5; k++) {
    double start = (double)(rep * 50 + k) * H;
    fl_tally_outage(t, k % 2, start, start + (double)((rep + 1) * (k + 1)) * 60.0, k % 2);
  }
  fl_tally_end(t);
  t->events += 2 * 5;
}

static void
assert_accum_identical(const FlRunResult *a, const FlRunResult *b)
{
  ck_assert_uint_eq(a->events, b->events);
  for (guint s = 0; s < a->n_services; s++) {
    const FlLogHist *ha = &a->svc[s].outage_hist, *hb = &b->svc[s].outage_hist;
    ck_assert_uint_eq(ha->total, hb->total);
    ck_assert(ha->max_s == hb->max_s);
    ck_assert_int_eq(memcmp(ha->count, hb->count, sizeof ha->count), 0);
    ck_assert_int_eq(memcmp(ha->sum_us, hb->sum_us, sizeof ha->sum_us), 0);
    for (guint c = 0; c < a->n_causes; c++)
      ck_assert(a->svc[s].cause_us[c] == b->svc[s].cause_us[c]);
  }
}

/* Three workers' tallies merged in different orders give identical results, equal to one
 * worker having run every replication; the sums are the exact totals. */
START_TEST(test_merge)
{
  enum { REPS = 6 };
  g_autoptr(FlRunResult) one = fl_run_result_new(2, two_causes, 3 * Y, REPS);
  g_autoptr(FlRunResult) fwd = fl_run_result_new(2, two_causes, 3 * Y, REPS);
  g_autoptr(FlRunResult) rev = fl_run_result_new(2, two_causes, 3 * Y, REPS);
  g_autoptr(FlTally) single = fl_tally_new(one);
  for (guint64 rep = 0; rep < REPS; rep++)
    run_rep(single, one, rep);
  fl_run_result_merge(one, single);

  FlTally *w[3];
  for (int i = 0; i < 3; i++)
    w[i] = fl_tally_new(fwd);
  for (guint64 rep = 0; rep < REPS; rep++) /* replication rep ran on worker (rep * 5) % 3 */
    run_rep(w[(rep * 5) % 3], fwd, rep);
  for (int i = 0; i < 3; i++)
    fl_run_result_merge(fwd, w[i]);
  for (int i = 2; i >= 0; i--)
    fl_run_result_merge(rev, w[i]);

  assert_accum_identical(one, fwd);
  assert_accum_identical(one, rev);
  /* Rows are per replication, whoever ran it. */
  ck_assert_int_eq(memcmp(one->chunk_down_s, fwd->chunk_down_s,
                          sizeof(double) * REPS * 2 * one->n_chunks),
                   0);
  ck_assert_int_eq(memcmp(one->outages, fwd->outages, sizeof(guint32) * REPS * 2), 0);

  /* Exact totals: service 0 gets k = 0, 2, 4 (cause 0), service 1 gets k = 1, 3 (cause 1);
   * sum over reps of (rep + 1) = 21 and over k of (k + 1) = 9 and 6, in minutes. */
  ck_assert_uint_eq(one->events, 2 * 5 * REPS);
  ck_assert(one->svc[0].cause_us[0] == (FlTimeSum)21 * 9 * 60 * 1000000);
  ck_assert(one->svc[0].cause_us[1] == 0);
  ck_assert(one->svc[1].cause_us[1] == (FlTimeSum)21 * 6 * 60 * 1000000);
  ck_assert(one->svc[1].cause_us[0] == 0);
  ck_assert_uint_eq(one->svc[0].outage_hist.total, 3 * REPS);
  ck_assert_uint_eq(one->svc[1].outage_hist.total, 2 * REPS);
  ck_assert_double_eq(one->svc[0].outage_hist.max_s, 6 * 5 * 60.0);

  for (int i = 0; i < 3; i++)
    fl_tally_free(w[i]);
}
END_TEST

/* --- jsonout.h --- */

/* Numbers json-glib 1.6 would write as 1e-13.0 (not JSON) come out as 1e-13; non-finite ones
 * as null; strings that look like such numbers are left alone; and what is written parses back
 * to the same values. */
START_TEST(test_json_numbers)
{
  const double values[] = { 1e-13, 1e+22, 3e-300, 0.5, 1.0, -2e-7, 123456789.0 };
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "v");
  json_builder_begin_array(b);
  for (guint i = 0; i < G_N_ELEMENTS(values); i++)
    fl_json_add_number(b, values[i]);
  fl_json_add_number(b, NAN);
  fl_json_add_number(b, INFINITY);
  json_builder_end_array(b);
  json_builder_set_member_name(b, "s");
  json_builder_add_string_value(b, "a \"quoted\" 1e5.0 and 2e-3.0");
  json_builder_end_object(b);
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  for (int pretty = 0; pretty < 2; pretty++) {
    g_autofree char *text = fl_json_to_text(root, pretty);
    ck_assert_msg(strstr(text, "e-13.0") == NULL && strstr(text, "e+22.0") == NULL, "%s", text);
    ck_assert_msg(strstr(text, "nan") == NULL && strstr(text, "inf") == NULL, "%s", text);
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(GError) error = NULL;
    ck_assert_msg(json_parser_load_from_data(parser, text, -1, &error), "%s: %s", text,
                  error ? error->message : "?");
    JsonObject *o = json_node_get_object(json_parser_get_root(parser));
    JsonArray *a = json_object_get_array_member(o, "v");
    ck_assert_uint_eq(json_array_get_length(a), G_N_ELEMENTS(values) + 2);
    for (guint i = 0; i < G_N_ELEMENTS(values); i++)
      ck_assert(json_array_get_double_element(a, i) == values[i]);
    ck_assert(json_array_get_null_element(a, G_N_ELEMENTS(values)));
    ck_assert(json_array_get_null_element(a, G_N_ELEMENTS(values) + 1));
    ck_assert_str_eq(json_object_get_string_member(o, "s"), "a \"quoted\" 1e5.0 and 2e-3.0");
  }
}
END_TEST

static Suite *
results_suite(void)
{
  Suite *s = suite_create("results");

  TCase *tc = tcase_create("result");
  tcase_add_test(tc, test_chunks_for_horizon);
  tcase_add_test(tc, test_result_new);
  tcase_add_test(tc, test_result_too_large);
  tcase_add_test(tc, test_result_rows_large);
  suite_add_tcase(s, tc);

  tc = tcase_create("tally");
  tcase_add_test(tc, test_tally_split_over_chunks);
  tcase_add_test(tc, test_tally_single_chunk);
  tcase_add_test(tc, test_tally_uneven_chunks);
  tcase_add_test(tc, test_tally_abandoned);
  tcase_add_test(tc, test_merge);
  suite_add_tcase(s, tc);

  tc = tcase_create("json");
  tcase_add_test(tc, test_json_numbers);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(results_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failures = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
