/* check_geo.c - unit tests for geo.h: great-circle distances, destinations, spread, distances
 * to segments and polylines, and the location / distance / trace parsers.
 *
 * Tolerances: formulas that are exact on the sphere are checked to TIGHT_KM (1 micrometre over
 * thousands of km: a few hundred ulps of double arithmetic through trigonometric functions);
 * published airport-to-airport figures are rounded to the kilometre and measured on the
 * ellipsoid, so they get the rounding plus the sphere's 0.5% error bound where stated.
 */
#include "config.h"

#include <check.h>
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "faultline/errors.h"
#include "faultline/geo.h"
#include "faultline/rng.h"

#define TIGHT_KM 1e-6
#define TIGHT_DEG 1e-9
#define R FL_EARTH_RADIUS_KM
#define DEG (G_PI / 180.0)

/* Independent check: the spherical law of cosines (a different formula from the haversine the
 * module uses); fine at the distances it is used for here (> 100 km). */
static double
law_of_cosines_km(FlLatLon a, FlLatLon b)
{
  double c = sin(a.lat_deg * DEG) * sin(b.lat_deg * DEG) +
             cos(a.lat_deg * DEG) * cos(b.lat_deg * DEG) * cos((b.lon_deg - a.lon_deg) * DEG);
  return R * acos(CLAMP(c, -1.0, 1.0));
}

static FlLatLon
random_point(FlRng *rng, double max_abs_lat)
{
  return (FlLatLon){ (2.0 * fl_rng_uniform(rng) - 1.0) * max_abs_lat,
                     (2.0 * fl_rng_uniform(rng) - 1.0) * 180.0 };
}

/* --- distances --- */

START_TEST(test_known_distances)
{
  /* SFO (37.6189 N, 122.3750 W) to JFK (40.6398 N, 73.7789 W): 4151.8 km on this sphere; the
   * commonly quoted great-circle figure is about 4152 km. */
  FlLatLon sfo = { 37.6189, -122.3750 }, jfk = { 40.6398, -73.7789 };
  double d = fl_geo_distance_km(sfo, jfk);
  ck_assert_msg(fabs(d - law_of_cosines_km(sfo, jfk)) < 1e-6, "SFO-JFK %.9f", d);
  ck_assert_msg(fabs(d - 4152.0) < 1.0, "SFO-JFK %.3f km, expected about 4152", d);

  /* A quarter meridian: equator to pole is pi/2 R = 10007.557 km. */
  FlLatLon eq = { 0.0, 0.0 }, pole = { 90.0, 0.0 };
  ck_assert_msg(fabs(fl_geo_distance_km(eq, pole) - G_PI / 2 * R) < TIGHT_KM, "quarter %.9f",
                fl_geo_distance_km(eq, pole));
  ck_assert(fabs(fl_geo_distance_km(eq, pole) - 10007.557) < 1e-3);
  /* Along the equator, 1 degree of longitude is R * pi / 180. */
  ck_assert(fabs(fl_geo_distance_km(eq, (FlLatLon){ 0.0, 1.0 }) - R * DEG) < TIGHT_KM);

  /* Antipodes: half the circumference, the maximum. */
  FlLatLon a = { 10.0, 20.0 }, b = { -10.0, -160.0 };
  ck_assert_msg(fabs(fl_geo_distance_km(a, b) - FL_GEO_MAX_DISTANCE_KM) < 1e-3, "antipodes %.9f",
                fl_geo_distance_km(a, b));
  ck_assert(fabs(fl_geo_distance_km((FlLatLon){ 90, 0 }, (FlLatLon){ -90, 0 }) - G_PI * R) <
            TIGHT_KM);

  /* Identity and the date line: 179.5 E to 179.5 W is 1 degree, not 359. */
  ck_assert(fl_geo_distance_km(sfo, sfo) == 0.0);
  ck_assert(fabs(fl_geo_distance_km((FlLatLon){ 0, 179.5 }, (FlLatLon){ 0, -179.5 }) - R * DEG) <
            TIGHT_KM);
}
END_TEST

START_TEST(test_symmetry_and_agreement)
{
  FlRng rng;
  fl_rng_seed(&rng, 20240601, 0);
  for (int i = 0; i < 10000; i++) {
    FlLatLon a = random_point(&rng, 90.0), b = random_point(&rng, 90.0);
    double ab = fl_geo_distance_km(a, b), ba = fl_geo_distance_km(b, a);
    ck_assert_msg(fabs(ab - ba) < TIGHT_KM, "asymmetric %.12f %.12f", ab, ba);
    ck_assert(ab >= 0.0 && ab <= FL_GEO_MAX_DISTANCE_KM + TIGHT_KM);
    /* The law of cosines loses about sqrt(eps) ~ 1e-8 rad near 0 and pi; 1 mm is far above. */
    if (ab > 100.0 && ab < FL_GEO_MAX_DISTANCE_KM - 100.0)
      ck_assert_msg(fabs(ab - law_of_cosines_km(a, b)) < 1e-6, "haversine %.9f vs %.9f", ab,
                    law_of_cosines_km(a, b));
  }
}
END_TEST

/* --- destinations and bearings --- */

START_TEST(test_destination_round_trip)
{
  FlRng rng;
  fl_rng_seed(&rng, 20240601, 1);
  for (int i = 0; i < 10000; i++) {
    FlLatLon from = random_point(&rng, 80.0);
    double bearing = 360.0 * fl_rng_uniform(&rng);
    double dist = 1.0 + 9999.0 * fl_rng_uniform(&rng);
    FlLatLon to = fl_geo_destination(from, bearing, dist);
    ck_assert(to.lat_deg >= -90.0 && to.lat_deg <= 90.0);
    ck_assert(to.lon_deg >= -180.0 && to.lon_deg < 180.0);
    ck_assert_msg(fabs(fl_geo_distance_km(from, to) - dist) < TIGHT_KM, "dist %.12f vs %.12f",
                  fl_geo_distance_km(from, to), dist);
    double back = fl_geo_bearing_deg(from, to);
    double diff = fabs(back - bearing);
    diff = MIN(diff, 360.0 - diff);
    ck_assert_msg(diff < 1e-7, "bearing %.12f vs %.12f", back, bearing);
  }
  /* Cardinal cases computed by hand: 1 degree of arc north / east from the origin. */
  FlLatLon o = { 0.0, 0.0 };
  FlLatLon n = fl_geo_destination(o, 0.0, R * DEG);
  ck_assert(fabs(n.lat_deg - 1.0) < TIGHT_DEG && fabs(n.lon_deg) < TIGHT_DEG);
  FlLatLon e = fl_geo_destination(o, 90.0, R * DEG);
  ck_assert(fabs(e.lat_deg) < TIGHT_DEG && fabs(e.lon_deg - 1.0) < TIGHT_DEG);
  ck_assert(fabs(fl_geo_bearing_deg(o, (FlLatLon){ 0, -1 }) - 270.0) < TIGHT_DEG);
  ck_assert(fabs(fl_geo_bearing_deg(o, (FlLatLon){ -1, 0 }) - 180.0) < TIGHT_DEG);
  ck_assert(fl_geo_bearing_deg(o, o) == 0.0);
  /* Zero distance returns the start. */
  FlLatLon same = fl_geo_destination((FlLatLon){ 12.5, 45.0 }, 33.0, 0.0);
  ck_assert(fabs(same.lat_deg - 12.5) < TIGHT_DEG && fabs(same.lon_deg - 45.0) < TIGHT_DEG);
}
END_TEST

/* --- spread --- */

START_TEST(test_spread)
{
  FlLatLon center = { 37.35, -121.96 };
  for (size_t n = 2; n <= 6; n++) {
    FlLatLon pts[6];
    fl_geo_spread(center, 40.0, n, pts);
    double chord0 = fl_geo_distance_km(pts[0], pts[1]);
    for (size_t i = 0; i < n; i++) {
      ck_assert_msg(fabs(fl_geo_distance_km(center, pts[i]) - 40.0) < TIGHT_KM,
                    "n=%zu point %zu at %.12f km", n, i, fl_geo_distance_km(center, pts[i]));
      double expect = 360.0 * (double)i / (double)n;
      ck_assert_msg(fabs(fl_geo_bearing_deg(center, pts[i]) - expect) < 1e-7,
                    "n=%zu point %zu bearing %.9f", n, i, fl_geo_bearing_deg(center, pts[i]));
      /* Evenly spaced: every neighbour pair is the same distance apart (equal bearings from the
       * centre at equal radius give congruent spherical triangles). */
      double chord = fl_geo_distance_km(pts[i], pts[(i + 1) % n]);
      ck_assert_msg(fabs(chord - chord0) < TIGHT_KM, "n=%zu chord %zu %.12f vs %.12f", n, i,
                    chord, chord0);
    }
    if (n == 2) /* opposite: 80 km apart along one great circle through the centre */
      ck_assert(fabs(chord0 - 80.0) < TIGHT_KM);
  }
  /* n = 1 is the centre itself; radius 0 puts every point at the centre. */
  FlLatLon one;
  fl_geo_spread(center, 40.0, 1, &one);
  ck_assert(one.lat_deg == center.lat_deg && one.lon_deg == center.lon_deg);
  FlLatLon three[3];
  fl_geo_spread(center, 0.0, 3, three);
  for (int i = 0; i < 3; i++)
    ck_assert(fl_geo_distance_km(center, three[i]) < TIGHT_KM);
}
END_TEST

/* --- distance to segments and polylines --- */

START_TEST(test_segment_distance_equator)
{
  /* Segment on the equator from 0 E to 10 E. The great circle is the equator itself, so the
   * distance from a point above it is its latitude in radians times R (along its meridian). */
  FlLatLon a = { 0.0, 0.0 }, b = { 0.0, 10.0 };
  ck_assert(fabs(fl_geo_segment_distance_km((FlLatLon){ 1.0, 5.0 }, a, b) - R * DEG) < TIGHT_KM);
  ck_assert(fabs(fl_geo_segment_distance_km((FlLatLon){ -2.5, 0.5 }, a, b) - 2.5 * R * DEG) <
            TIGHT_KM);
  ck_assert(fabs(fl_geo_segment_distance_km((FlLatLon){ 30.0, 9.9 }, b, a) - 30.0 * R * DEG) <
            TIGHT_KM);
  /* On the segment: zero. */
  ck_assert(fl_geo_segment_distance_km((FlLatLon){ 0.0, 3.0 }, a, b) < TIGHT_KM);
  /* Beyond either end: the distance to that end, not to the extended great circle. */
  FlLatLon west = { 1.0, -2.0 }, east = { -3.0, 12.0 };
  ck_assert(fabs(fl_geo_segment_distance_km(west, a, b) - fl_geo_distance_km(west, a)) < TIGHT_KM);
  ck_assert(fabs(fl_geo_segment_distance_km(east, a, b) - fl_geo_distance_km(east, b)) < TIGHT_KM);
  ck_assert(fl_geo_segment_distance_km(west, a, b) > R * DEG); /* farther than the cross track */
  /* Degenerate segment: a point. */
  ck_assert(fabs(fl_geo_segment_distance_km(west, a, a) - fl_geo_distance_km(west, a)) < TIGHT_KM);
  /* A meridian segment: distance from a point on the equator 1 degree east is R * pi/180. */
  ck_assert(fabs(fl_geo_segment_distance_km((FlLatLon){ 0.0, 1.0 }, (FlLatLon){ -5.0, 0.0 },
                                            (FlLatLon){ 5.0, 0.0 }) - R * DEG) < TIGHT_KM);
}
END_TEST

START_TEST(test_segment_distance_brute_force)
{
  /* Against a brute-force minimum over 20001 points along the segment (spacing <= 1/20000 of the
   * segment; the error of the sampled minimum is at most half a spacing, below 0.05 km for
   * segments under 2000 km). */
  FlRng rng;
  fl_rng_seed(&rng, 20240601, 2);
  for (int t = 0; t < 50; t++) {
    FlLatLon a = random_point(&rng, 60.0);
    FlLatLon b = fl_geo_destination(a, 360.0 * fl_rng_uniform(&rng),
                                    10.0 + 1990.0 * fl_rng_uniform(&rng));
    FlLatLon p = fl_geo_destination(a, 360.0 * fl_rng_uniform(&rng),
                                    3000.0 * fl_rng_uniform(&rng));
    double len = fl_geo_distance_km(a, b), brg = fl_geo_bearing_deg(a, b);
    double best = INFINITY;
    for (int k = 0; k <= 20000; k++) {
      double d = fl_geo_distance_km(p, fl_geo_destination(a, brg, len * k / 20000.0));
      best = MIN(best, d);
    }
    double got = fl_geo_segment_distance_km(p, a, b);
    ck_assert_msg(got <= best + TIGHT_KM && got >= best - len / 40000.0 - TIGHT_KM,
                  "case %d: %.6f vs brute force %.6f", t, got, best);
  }
}
END_TEST

START_TEST(test_polyline)
{
  /* An L-shaped line: along the equator 0..10 E, then north along 10 E to 10 N. */
  FlLatLon line[] = { { 0.0, 0.0 }, { 0.0, 10.0 }, { 10.0, 10.0 } };
  double deg_km = R * DEG;
  ck_assert(fabs(fl_geo_polyline_length_km(line, 3) - 20.0 * deg_km) < TIGHT_KM);
  ck_assert(fl_geo_polyline_length_km(line, 1) == 0.0);
  /* (5 N, 9 E) is 1 degree west of the second leg and 5 degrees north of the first. */
  ck_assert(fabs(fl_geo_polyline_distance_km((FlLatLon){ 5.0, 9.0 }, line, 3) -
                 fl_geo_segment_distance_km((FlLatLon){ 5.0, 9.0 }, line[1], line[2])) < TIGHT_KM);
  ck_assert(fl_geo_polyline_distance_km((FlLatLon){ 5.0, 9.0 }, line, 3) < 1.01 * deg_km);
  ck_assert(fabs(fl_geo_polyline_distance_km((FlLatLon){ 2.0, 3.0 }, line, 3) - 2.0 * deg_km) <
            TIGHT_KM);
  ck_assert(fabs(fl_geo_polyline_distance_km((FlLatLon){ 2.0, 3.0 }, line, 1) -
                 fl_geo_distance_km((FlLatLon){ 2.0, 3.0 }, line[0])) < TIGHT_KM);

  /* Points along it. */
  FlLatLon p = fl_geo_polyline_point_at(line, 3, 5.0 * deg_km);
  ck_assert(fabs(p.lat_deg) < TIGHT_DEG && fabs(p.lon_deg - 5.0) < TIGHT_DEG);
  p = fl_geo_polyline_point_at(line, 3, 13.0 * deg_km);
  ck_assert(fabs(p.lat_deg - 3.0) < TIGHT_DEG && fabs(p.lon_deg - 10.0) < TIGHT_DEG);
  p = fl_geo_polyline_point_at(line, 3, -1.0);
  ck_assert(p.lat_deg == 0.0 && p.lon_deg == 0.0);
  p = fl_geo_polyline_point_at(line, 3, 1e9);
  ck_assert(p.lat_deg == 10.0 && p.lon_deg == 10.0);

  /* A slice across the corner keeps the corner; its length is what was asked for. */
  GArray *s = fl_geo_polyline_slice(line, 3, 8.0 * deg_km, 12.0 * deg_km);
  ck_assert_uint_eq(s->len, 3);
  ck_assert(fabs(fl_geo_polyline_length_km((FlLatLon *)(void *)s->data, s->len) - 4.0 * deg_km) <
            TIGHT_KM);
  g_array_unref(s);
  s = fl_geo_polyline_slice(line, 3, 3.0 * deg_km, 1.0 * deg_km); /* reversed: swapped */
  ck_assert_uint_eq(s->len, 2);
  ck_assert(fabs(fl_geo_polyline_length_km((FlLatLon *)(void *)s->data, s->len) - 2.0 * deg_km) <
            TIGHT_KM);
  g_array_unref(s);
  s = fl_geo_polyline_slice(line, 3, 4.0, 4.0); /* empty range: one point */
  ck_assert_uint_eq(s->len, 1);
  g_array_unref(s);
}
END_TEST

/* --- parsing --- */

static void
assert_value_error(gboolean ok, GError *error, const char *text, const char *needle)
{
  ck_assert_msg(!ok, "'%s' should be rejected", text);
  ck_assert_ptr_nonnull(error);
  ck_assert_msg(g_error_matches(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE),
                "'%s': wrong error code %d", text, error->code);
  ck_assert_msg(strstr(error->message, needle) != NULL, "'%s': message '%s' lacks '%s'", text,
                error->message, needle);
}

START_TEST(test_parse_latlon)
{
  FlLatLon ll = { 0, 0 };
  g_autoptr(GError) error = NULL;
  ck_assert(fl_geo_parse_latlon("37.35,-121.96", &ll, &error));
  ck_assert(ll.lat_deg == 37.35 && ll.lon_deg == -121.96);
  ck_assert(fl_geo_parse_latlon("  -33.87 , 151.21 ", &ll, &error));
  ck_assert(ll.lat_deg == -33.87 && ll.lon_deg == 151.21);
  ck_assert(fl_geo_parse_latlon("90,180", &ll, &error));
  ck_assert(fl_geo_parse_latlon("-90,-180", &ll, &error));
  ck_assert_ptr_null(error);

  static const struct {
    const char *text, *needle;
  } bad[] = {
    { "90.01,0", "latitude 90.01" },   { "-91,0", "expected -90 to 90" },
    { "0,180.5", "longitude 180.5" },  { "0,-181", "expected -180 to 180" },
    { "37.35", "not a location" },     { "37.35,", "not a location" },
    { "1,2,3", "not a location" },     { "abc", "not a location" },
    { "nan,0", "not a location" },     { "0x10,0", "not a location" },
    { "", "not a location" },          { "37.35 -121.96", "latitude,longitude" },
  };
  for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) e = NULL;
    FlLatLon keep = { 1.0, 2.0 };
    gboolean ok = fl_geo_parse_latlon(bad[i].text, &keep, &e);
    assert_value_error(ok, e, bad[i].text, bad[i].needle);
    ck_assert(keep.lat_deg == 1.0 && keep.lon_deg == 2.0); /* untouched on error */
  }
}
END_TEST

START_TEST(test_parse_distance)
{
  double km = -1;
  ck_assert(fl_geo_parse_distance("40km", &km, NULL) && km == 40.0);
  ck_assert(fl_geo_parse_distance("100 m", &km, NULL) && fabs(km - 0.1) < 1e-15);
  ck_assert(fl_geo_parse_distance(" 0.5 km ", &km, NULL) && km == 0.5);
  ck_assert(fl_geo_parse_distance("0km", &km, NULL) && km == 0.0);
  km = -1.0;
  ck_assert(fl_geo_parse_distance("0", &km, NULL) && km == 0.0); /* zero needs no unit */
  static const struct {
    const char *text, *needle;
  } bad[] = {
    { "40", "no unit" },          { "40 mi", "unknown unit 'mi'" }, { "-1km", "negative" },
    { "30000km", "at most" },     { "km", "not a distance" },       { "inf km", "not a distance" },
    { "40 kms", "unknown unit" }, { "40 M", "unknown unit" },
  };
  for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) e = NULL;
    gboolean ok = fl_geo_parse_distance(bad[i].text, &km, &e);
    assert_value_error(ok, e, bad[i].text, bad[i].needle);
  }
}
END_TEST

START_TEST(test_parse_trace)
{
  GArray *pts = NULL;
  g_autoptr(GError) error = NULL;
  ck_assert(fl_geo_parse_trace("37.0,-122.0; 38.0,-122.5 ;39,-123", &pts, &error));
  ck_assert_uint_eq(pts->len, 3);
  ck_assert(g_array_index(pts, FlLatLon, 2).lat_deg == 39.0);
  g_array_unref(pts);
  pts = NULL;
  ck_assert(fl_geo_parse_trace("35.68,139.77", &pts, &error));
  ck_assert_uint_eq(pts->len, 1);
  g_array_unref(pts);
  pts = NULL;
  static const struct {
    const char *text, *needle;
  } bad[] = {
    { "37,-122;", "point 2 of" },  { "37,-122; ; 38,-122", "point 2 of" },
    { "", "no points" },           { "37,-122; 95,0", "point 2: latitude 95" },
    { "37,-122; x", "point 2: 'x' is not a location" },
    { "0,0; 0,180", "points 1 and 2 of the trace are 20015 km apart" },
    { "37,-122; 38,-122; 38,-60", "points 2 and 3" },
  };
  for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) e = NULL;
    gboolean ok = fl_geo_parse_trace(bad[i].text, &pts, &e);
    assert_value_error(ok, e, bad[i].text, bad[i].needle);
    ck_assert_ptr_null(pts);
  }
}
END_TEST

static Suite *
geo_suite(void)
{
  Suite *s = suite_create("geo");
  TCase *tc = tcase_create("distance");
  tcase_add_test(tc, test_known_distances);
  tcase_add_test(tc, test_symmetry_and_agreement);
  tcase_add_test(tc, test_destination_round_trip);
  suite_add_tcase(s, tc);
  tc = tcase_create("spread");
  tcase_add_test(tc, test_spread);
  suite_add_tcase(s, tc);
  tc = tcase_create("segments");
  tcase_add_test(tc, test_segment_distance_equator);
  tcase_add_test(tc, test_segment_distance_brute_force);
  tcase_add_test(tc, test_polyline);
  suite_add_tcase(s, tc);
  tc = tcase_create("parse");
  tcase_add_test(tc, test_parse_latlon);
  tcase_add_test(tc, test_parse_distance);
  tcase_add_test(tc, test_parse_trace);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(geo_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failures = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
