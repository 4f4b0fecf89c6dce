/* geo.c - great-circle geometry on a sphere of mean Earth radius (see geo.h for the model). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "faultline/errors.h"
#include "faultline/units.h"
#include "faultline/geo.h"

#define DEG (G_PI / 180.0)

typedef struct {
  double x, y, z;
} Vec3;

static Vec3
to_vec(FlLatLon p)
{
  double lat = p.lat_deg * DEG, lon = p.lon_deg * DEG;
  return (Vec3){ cos(lat) * cos(lon), cos(lat) * sin(lon), sin(lat) };
}

static Vec3
cross(Vec3 a, Vec3 b)
{
  return (Vec3){ a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x };
}

static double
dot(Vec3 a, Vec3 b)
{
  return a.x * b.x + a.y * b.y + a.z * b.z;
}

static double
norm(Vec3 a)
{
  return sqrt(dot(a, a));
}

static double
normalize_lon(double lon_deg)
{
  double l = fmod(lon_deg + 180.0, 360.0);
  if (l < 0.0)
    l += 360.0;
  l -= 180.0;
  return l >= 180.0 ? -180.0 : l;
}

double
fl_geo_distance_km(FlLatLon a, FlLatLon b)
{
  double lat1 = a.lat_deg * DEG, lat2 = b.lat_deg * DEG;
  double sdlat = sin((lat2 - lat1) / 2.0);
  double sdlon = sin((b.lon_deg - a.lon_deg) * DEG / 2.0);
  double h = sdlat * sdlat + cos(lat1) * cos(lat2) * sdlon * sdlon;
  if (h > 1.0) /* rounding near antipodes */
    h = 1.0;
  return 2.0 * FL_EARTH_RADIUS_KM * asin(sqrt(h));
}

double
fl_geo_bearing_deg(FlLatLon from, FlLatLon to)
{
  double lat1 = from.lat_deg * DEG, lat2 = to.lat_deg * DEG;
  double dlon = (to.lon_deg - from.lon_deg) * DEG;
  double y = sin(dlon) * cos(lat2);
  double x = cos(lat1) * sin(lat2) - sin(lat1) * cos(lat2) * cos(dlon);
  if (fabs(y) < 1e-15 && fabs(x) < 1e-15)
    return 0.0;
  double b = atan2(y, x) / DEG;
  b = fmod(b + 360.0, 360.0);
  return b >= 360.0 ? 0.0 : b;
}

FlLatLon
fl_geo_destination(FlLatLon from, double bearing_deg, double dist_km)
{
  g_return_val_if_fail(dist_km >= 0.0, from);
  double lat1 = from.lat_deg * DEG, lon1 = from.lon_deg * DEG;
  double th = bearing_deg * DEG, d = dist_km / FL_EARTH_RADIUS_KM;
  double sin_lat2 = sin(lat1) * cos(d) + cos(lat1) * sin(d) * cos(th);
  if (sin_lat2 > 1.0)
    sin_lat2 = 1.0;
  if (sin_lat2 < -1.0)
    sin_lat2 = -1.0;
  double lat2 = asin(sin_lat2);
  double lon2 = lon1 + atan2(sin(th) * sin(d) * cos(lat1), cos(d) - sin(lat1) * sin_lat2);
  return (FlLatLon){ lat2 / DEG, normalize_lon(lon2 / DEG) };
}

void
fl_geo_spread(FlLatLon center, double radius_km, size_t n, FlLatLon *out)
{
  g_return_if_fail(radius_km >= 0.0);
  g_return_if_fail(n == 0 || out != NULL);
  if (n == 1) {
    out[0] = (FlLatLon){ center.lat_deg, normalize_lon(center.lon_deg) };
    return;
  }
  for (size_t i = 0; i < n; i++)
    out[i] = fl_geo_destination(center, 360.0 * (double)i / (double)n, radius_km);
}

double
fl_geo_segment_distance_km(FlLatLon p, FlLatLon a, FlLatLon b)
{
  double to_a = fl_geo_distance_km(p, a);
  double to_b = fl_geo_distance_km(p, b);
  double ends = MIN(to_a, to_b);
  Vec3 va = to_vec(a), vb = to_vec(b), vp = to_vec(p);
  Vec3 n = cross(va, vb);
  double nn = norm(n);
  if (nn < 1e-12) /* a == b (or antipodal, excluded by contract): a point */
    return ends;
  n = (Vec3){ n.x / nn, n.y / nn, n.z / nn };
  double s = dot(vp, n); /* sine of the cross-track angle */
  Vec3 proj = { vp.x - s * n.x, vp.y - s * n.y, vp.z - s * n.z };
  double pn = norm(proj);
  if (pn < 1e-12) /* p at a pole of the great circle: every point of it is 90 degrees away */
    return ends;
  /* The foot of the perpendicular lies on the minor arc a..b exactly when it is on the same
   * side of a and of b as the arc's interior, measured around the circle's normal. */
  if (dot(cross(va, proj), n) >= 0.0 && dot(cross(proj, vb), n) >= 0.0) {
    double xt = atan2(fabs(s), pn) * FL_EARTH_RADIUS_KM;
    return MIN(xt, ends);
  }
  return ends;
}

double
fl_geo_polyline_distance_km(FlLatLon p, const FlLatLon *points, size_t n)
{
  g_return_val_if_fail(points != NULL && n >= 1, INFINITY);
  if (n == 1)
    return fl_geo_distance_km(p, points[0]);
  double best = INFINITY;
  for (size_t i = 0; i + 1 < n; i++) {
    double d = fl_geo_segment_distance_km(p, points[i], points[i + 1]);
    if (d < best)
      best = d;
  }
  return best;
}

double
fl_geo_polyline_length_km(const FlLatLon *points, size_t n)
{
  double len = 0.0;
  for (size_t i = 0; i + 1 < n; i++)
    len += fl_geo_distance_km(points[i], points[i + 1]);
  return len;
}

FlLatLon
fl_geo_polyline_point_at(const FlLatLon *points, size_t n, double s_km)
{
  static const FlLatLon origin = { 0.0, 0.0 };
  g_return_val_if_fail(points != NULL && n >= 1, origin);
  if (!(s_km > 0.0))
    return points[0];
  for (size_t i = 0; i + 1 < n; i++) {
    double seg = fl_geo_distance_km(points[i], points[i + 1]);
    if (s_km <= seg) {
      if (s_km == seg)
        return points[i + 1];
      return fl_geo_destination(points[i], fl_geo_bearing_deg(points[i], points[i + 1]), s_km);
    }
    s_km -= seg;
  }
  return points[n - 1];
}

GArray *
fl_geo_polyline_slice(const FlLatLon *points, size_t n, double from_km, double to_km)
{
  g_return_val_if_fail(points != NULL && n >= 1, NULL);
  GArray *out = g_array_new(FALSE, FALSE, sizeof(FlLatLon));
  fl_geo_polyline_slice_into(out, points, n, from_km, to_km);
  return out;
}

void
fl_geo_polyline_slice_into(GArray *out, const FlLatLon *points, size_t n, double from_km,
                           double to_km)
{
  g_return_if_fail(out != NULL && points != NULL && n >= 1);
  g_array_set_size(out, 0);
  double len = fl_geo_polyline_length_km(points, n);
  if (from_km > to_km) {
    double t = from_km;
    from_km = to_km;
    to_km = t;
  }
  from_km = CLAMP(from_km, 0.0, len);
  to_km = CLAMP(to_km, 0.0, len);
  FlLatLon first = fl_geo_polyline_point_at(points, n, from_km);
  g_array_append_val(out, first);
  double at = 0.0;
  for (size_t i = 1; i + 1 < n; i++) {
    at += fl_geo_distance_km(points[i - 1], points[i]);
    if (at > from_km && at < to_km)
      g_array_append_val(out, points[i]);
  }
  if (to_km > from_km) {
    FlLatLon last = fl_geo_polyline_point_at(points, n, to_km);
    g_array_append_val(out, last);
  }
}

/* --- parsing --- */

/* A finite number at the start of @text: fl_read_number (units.h), the one number reader. */
static gboolean
parse_number(const char *text, double *out, const char **rest)
{
  return fl_read_number(text, out, rest) && isfinite(*out);
}

#define LATLON_HINT "expected 'latitude,longitude' in decimal degrees, for example 37.35,-121.96"

gboolean
fl_geo_parse_latlon(const char *text, FlLatLon *out, GError **error)
{
  const char *shown = text ? text : "";
  double lat, lon;
  const char *rest;
  if (text == NULL || !parse_number(text, &lat, &rest) || *rest != ',' ||
      !parse_number(rest + 1, &lon, &rest) || *rest != '\0') {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE, "'%s' is not a location; %s",
                shown, LATLON_HINT);
    return FALSE;
  }
  if (lat < -90.0 || lat > 90.0) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "latitude %.10g in '%s' is out of range; expected -90 to 90 (degrees north)", lat,
                shown);
    return FALSE;
  }
  if (lon < -180.0 || lon > 180.0) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "longitude %.10g in '%s' is out of range; expected -180 to 180 (degrees east)", lon,
                shown);
    return FALSE;
  }
  out->lat_deg = lat;
  out->lon_deg = lon;
  return TRUE;
}

#define DISTANCE_HINT "a number and a unit, km or m (for example 40km, 100 m)"

gboolean
fl_geo_parse_distance(const char *text, double *out_km, GError **error)
{
  const char *shown = text ? text : "";
  double v;
  const char *rest;
  if (text == NULL || !parse_number(text, &v, &rest)) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "'%s' is not a distance; expected %s", shown, DISTANCE_HINT);
    return FALSE;
  }
  size_t len = strlen(rest);
  while (len > 0 && g_ascii_isspace(rest[len - 1]))
    len--;
  double scale;
  if (len == 2 && strncmp(rest, "km", 2) == 0) {
    scale = 1.0;
  } else if (len == 1 && rest[0] == 'm') {
    scale = 1e-3;
  } else if (len == 0 && v == 0.0) { /* zero is zero in any unit, as for durations */
    scale = 1.0;
  } else if (len == 0) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "distance '%s' has no unit; expected %s", shown, DISTANCE_HINT);
    return FALSE;
  } else {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "unknown unit '%.*s' in distance '%s'; expected %s", (int)len, rest, shown,
                DISTANCE_HINT);
    return FALSE;
  }
  double km = v * scale;
  if (km < 0.0) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "distance '%s' is negative; expected zero or more", shown);
    return FALSE;
  }
  if (km > FL_GEO_MAX_DISTANCE_KM) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "distance '%s' is longer than half the Earth's circumference; expected at most "
                "20015km",
                shown);
    return FALSE;
  }
  *out_km = km;
  return TRUE;
}

gboolean
fl_geo_parse_trace(const char *text, GArray **out_points, GError **error)
{
  g_return_val_if_fail(out_points != NULL, FALSE);
  const char *shown = text ? text : "";
  g_auto(GStrv) items = g_strsplit(shown, ";", -1);
  g_autoptr(GArray) pts = g_array_new(FALSE, FALSE, sizeof(FlLatLon));
  for (guint i = 0; items[i] != NULL; i++) {
    g_autoptr(GError) local = NULL;
    FlLatLon ll;
    g_strstrip(items[i]);
    if (items[i][0] == '\0') {
      g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                  "point %u of '%s' is empty; expected 'lat,lon; lat,lon; ...'", i + 1, shown);
      return FALSE;
    }
    if (!fl_geo_parse_latlon(items[i], &ll, &local)) {
      g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE, "point %u: %s", i + 1,
                  local->message);
      return FALSE;
    }
    /* A trace follows its fault: a segment across half the globe is a mistake, and an
     * antipodal one has no defined great circle (fl_geo_segment_distance_km). */
    if (pts->len > 0) {
      double km = fl_geo_distance_km(g_array_index(pts, FlLatLon, pts->len - 1), ll);
      if (km > FL_GEO_MAX_SEGMENT_KM) {
        g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                    "points %u and %u of the trace are %.0f km apart; consecutive points of a "
                    "fault trace lie within %.0f km of each other (add points along the fault)",
                    i, i + 1, km, FL_GEO_MAX_SEGMENT_KM);
        return FALSE;
      }
    }
    g_array_append_val(pts, ll);
  }
  if (pts->len == 0) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "'%s' has no points; expected 'lat,lon' or 'lat,lon; lat,lon; ...'", shown);
    return FALSE;
  }
  *out_points = g_steal_pointer(&pts);
  return TRUE;
}
