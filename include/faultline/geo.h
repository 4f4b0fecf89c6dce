/* geo.h - points on the Earth, great-circle distances and the "lat,lon" / "40km" syntax.
 *
 * Owns: FlLatLon (degrees, WGS84 latitude/longitude read on a sphere), great-circle distance,
 * bearings, destination points, the placement of a region's zones on a circle ("spread"), the
 * distance from a point to a polyline (a fault trace), walking along a polyline, and the parsers
 * for the scenario syntax of locations, distances and traces.
 *
 * Model: a sphere of radius FL_EARTH_RADIUS_KM, the IUGG mean radius R1 = (2a + b) / 3 of the
 * GRS80/WGS84 ellipsoid (Moritz 2000, "Geodetic Reference System 1980", J. Geodesy 74:128).
 * The sphere is within about 0.5% of the ellipsoid for any distance; for the tens to thousands of
 * kilometres between data centres and faults that is far inside the uncertainty of the hazard
 * models that consume these distances. Formulas: the haversine and spherical-trigonometry forms
 * of Sinnott (1984, Sky & Telescope 68:159) and Williams' "Aviation Formulary"; segment distances
 * use unit vectors (cross products), which stay accurate near the poles and for tiny segments.
 *
 * Invariants: every FlLatLon this module returns has lat_deg in [-90, 90] and lon_deg in
 * [-180, 180). Functions are pure (no state, no allocation unless the name says so) and
 * thread-safe. Distances are kilometres along the surface; bearings are degrees clockwise from
 * true north in [0, 360).
 *
 * Must not call: anything above it (scenario, model, engine). Errors are FL_SCENARIO_ERROR_VALUE
 * with a message that says what is wrong and what would be valid; the caller prefixes where.
 */
#ifndef FAULTLINE_GEO_H
#define FAULTLINE_GEO_H

#include <glib.h>
#include <stddef.h>

/* Mean Earth radius R1 of GRS80 (Moritz 2000), kilometres. */
#define FL_EARTH_RADIUS_KM 6371.0088

/* Half the circumference of the sphere: the largest great-circle distance, kilometres. */
#define FL_GEO_MAX_DISTANCE_KM (G_PI * FL_EARTH_RADIUS_KM)

typedef struct {
  double lat_deg; /* latitude, degrees north, -90..90 */
  double lon_deg; /* longitude, degrees east, -180..180 */
} FlLatLon;

/* Great-circle distance between @a and @b in kilometres by the haversine formula
 * (d = 2 R asin(sqrt(hav(dlat) + cos lat1 cos lat2 hav(dlon)))), which stays accurate for short
 * distances where the spherical law of cosines loses digits. Symmetric; 0 for equal points;
 * FL_GEO_MAX_DISTANCE_KM for antipodes. Cannot fail. */
double fl_geo_distance_km(FlLatLon a, FlLatLon b);

/* Initial bearing (forward azimuth) of the great circle from @from to @to, degrees clockwise
 * from north in [0, 360). Undefined direction (equal points, or @from at a pole) gives 0.
 * Cannot fail. */
double fl_geo_bearing_deg(FlLatLon from, FlLatLon to);

/* The point reached by travelling @dist_km (>= 0) along the great circle that leaves @from on
 * @bearing_deg (clockwise from north). Longitude is normalised to [-180, 180). Cannot fail;
 * a negative @dist_km is a programmer error (g_return_val_if_fail, returns @from). */
FlLatLon fl_geo_destination(FlLatLon from, double bearing_deg, double dist_km);

/* Places @n points evenly on the circle of great-circle radius @radius_km around @center:
 * point i is at bearing i * 360 / n degrees (i = 0 due north), distance @radius_km, written to
 * @out[i]. With @n == 1 the single point is @center itself: a region with one zone puts it at
 * the region's location, not at an arbitrary point due north of it. @radius_km == 0 puts every
 * point at @center. @out must hold @n elements (transfer none). Cannot fail; @n == 0 writes
 * nothing. Preconditions (g_return_if_fail): @radius_km >= 0 and @out != NULL when @n > 0. */
void fl_geo_spread(FlLatLon center, double radius_km, size_t n, FlLatLon *out);

/* Shortest great-circle distance, kilometres, from @p to the segment from @a to @b (the minor
 * arc; @a and @b must not be antipodal). The perpendicular (cross-track) distance when the foot
 * of the perpendicular falls between @a and @b, otherwise the distance to the nearer end.
 * @a == @b is a point. Cannot fail. */
double fl_geo_segment_distance_km(FlLatLon p, FlLatLon a, FlLatLon b);

/* Shortest distance, kilometres, from @p to the polyline @points[0..n-1] (consecutive points
 * joined by minor great-circle arcs): the minimum of fl_geo_segment_distance_km over the
 * segments; with @n == 1 the distance to that point. This is the rupture distance to a fault
 * trace (for a vertical fault, the Joyner-Boore distance). O(n). Precondition: @n >= 1
 * (g_return_val_if_fail, returns INFINITY). */
double fl_geo_polyline_distance_km(FlLatLon p, const FlLatLon *points, size_t n);

/* Length of the polyline @points[0..n-1], kilometres (0 for n <= 1). O(n). Cannot fail. */
double fl_geo_polyline_length_km(const FlLatLon *points, size_t n);

/* The point @s_km along the polyline from @points[0] (clamped to [0, length]). Precondition:
 * @n >= 1. Cannot fail. */
FlLatLon fl_geo_polyline_point_at(const FlLatLon *points, size_t n, double s_km);

/* The part of the polyline between arc lengths @from_km and @to_km (clamped to [0, length],
 * swapped if reversed), as a new GArray of FlLatLon: the point at @from_km, every vertex strictly
 * inside, and the point at @to_km (at least one point). Precondition: @n >= 1. Returns
 * (transfer full) a GArray the caller frees with g_array_unref. */
GArray *fl_geo_polyline_slice(const FlLatLon *points, size_t n, double from_km, double to_km);

/* The same, written into @out (emptied first, its storage reused): no allocation once @out is
 * large enough, for callers that slice once per event. */
void fl_geo_polyline_slice_into(GArray *out, const FlLatLon *points, size_t n, double from_km,
                                double to_km);

/* Parses "lat,lon" in decimal degrees ("37.35,-121.96", spaces allowed around each number).
 * Latitude must be in [-90, 90] and longitude in [-180, 180]. Returns FALSE and sets @error
 * (FL_SCENARIO_ERROR_VALUE) on a malformed or out-of-range value; @out is untouched then. */
gboolean fl_geo_parse_latlon(const char *text, FlLatLon *out, GError **error);

/* Parses a distance "<number> <unit>" with unit km or m ("40km", "100 m", "0.5 km") into
 * kilometres. Zero is allowed; negative, non-finite and more than FL_GEO_MAX_DISTANCE_KM (no two
 * points on Earth are farther apart) are rejected. Returns FALSE and sets @error
 * (FL_SCENARIO_ERROR_VALUE). */
gboolean fl_geo_parse_distance(const char *text, double *out_km, GError **error);

/* The longest segment a trace may have, km: the longest ruptures (Sumatra 2004, ~1,500 km) are
 * several segments, and an antipodal pair (~20,000 km) has no segment at all. */
#define FL_GEO_MAX_SEGMENT_KM 5000.0

/* Parses a point or a trace: "lat,lon" or "lat,lon; lat,lon; ..." (points separated by ';').
 * Each point as fl_geo_parse_latlon; an empty item ("a; ; b", trailing ';') is an error, and so
 * are consecutive points more than FL_GEO_MAX_SEGMENT_KM apart. On
 * success sets *@out_points to a new GArray of FlLatLon with at least one element
 * (transfer full, free with g_array_unref). Returns FALSE and sets @error otherwise, with the
 * 1-based index of the bad point in the message. */
gboolean fl_geo_parse_trace(const char *text, GArray **out_points, GError **error);

#endif
