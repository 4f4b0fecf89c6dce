/* seismic.c - earthquake rates, magnitudes, ruptures, shaking and damage (see seismic.h).
 *
 * Every formula below is re-implemented from the paper named beside it (figures collected in
 * /work/shared/reference/hazards.md); no code was copied from other hazard libraries.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "faultline/errors.h"
#include "faultline/seismic.h"
#include "faultline/units.h"

#define G_CM_S2 980.665 /* 1 g in cm/s^2 (standard gravity) */

/* A finite number at the start of @text: fl_read_number (units.h), the one number reader. */
static gboolean
read_number(const char *text, double *out, const char **rest)
{
  return fl_read_number(text, out, rest) && isfinite(*out);
}

/* ------------------------------------------------------------------ rates */

double
fl_seismic_rate_from_probability(double p, double years)
{
  g_return_val_if_fail(p > 0.0 && p < 1.0, NAN);
  g_return_val_if_fail(years > 0.0, NAN);
  return -log1p(-p) / years;
}

#define RATE_HINT "expected 'P% in T' with 0% < P < 100% (for example 72% in 30y) or 'N/y' " \
                  "with N > 0 (for example 0.042/y)"

gboolean
fl_seismic_parse_rate(const char *text, double *out_per_year, GError **error)
{
  const char *shown = text ? text : "";
  double v;
  const char *rest;
  if (text == NULL || !read_number(text, &v, &rest)) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE, "'%s' is not a rate; %s",
                shown, RATE_HINT);
    return FALSE;
  }
  if (*rest == '%') {
    rest++;
    while (g_ascii_isspace(*rest))
      rest++;
    if (strncmp(rest, "in", 2) != 0) {
      g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                  "probability '%s' has no period; %s", shown, RATE_HINT);
      return FALSE;
    }
    if (!(v > 0.0 && v < 100.0)) {
      g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                  "probability %g%% in '%s' is out of range; expected more than 0%% and less "
                  "than 100%%",
                  v, shown);
      return FALSE;
    }
    g_autoptr(GError) local = NULL;
    double period_s;
    if (!fl_parse_duration(rest + 2, FALSE, &period_s, &local)) {
      g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE, "bad period in rate '%s': %s",
                  shown, local->message);
      return FALSE;
    }
    *out_per_year = fl_seismic_rate_from_probability(v / 100.0, period_s / FL_SECONDS_PER_YEAR);
    return TRUE;
  }
  if (*rest == '/') {
    rest++;
    while (g_ascii_isspace(*rest))
      rest++;
    size_t len = strlen(rest);
    while (len > 0 && g_ascii_isspace(rest[len - 1]))
      len--;
    if (len != 1 || rest[0] != 'y') {
      g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                  "rate '%s' must be per year; %s", shown, RATE_HINT);
      return FALSE;
    }
    if (!(v > 0.0)) {
      g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                  "rate '%s' must be more than zero; %s", shown, RATE_HINT);
      return FALSE;
    }
    *out_per_year = v;
    return TRUE;
  }
  g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE, "'%s' is not a rate; %s", shown,
              RATE_HINT);
  return FALSE;
}

/* ------------------------------------------------------------- mechanism */

static const char *const mechanism_names[] = { "unspecified", "strike-slip", "reverse" };

gboolean
fl_seismic_parse_mechanism(const char *text, FlMechanism *out, GError **error)
{
  for (size_t i = 0; text != NULL && i < G_N_ELEMENTS(mechanism_names); i++) {
    if (strcmp(text, mechanism_names[i]) == 0) {
      *out = (FlMechanism)i;
      return TRUE;
    }
  }
  g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
              "unknown mechanism '%s'; expected unspecified, strike-slip or reverse",
              text ? text : "");
  return FALSE;
}

const char *
fl_seismic_mechanism_name(FlMechanism mechanism)
{
  g_return_val_if_fail((size_t)mechanism < G_N_ELEMENTS(mechanism_names), "unspecified");
  return mechanism_names[mechanism];
}

/* ------------------------------------------- truncated Gutenberg-Richter */

gboolean
fl_gr_init(FlGutenbergRichter *gr, double m0, double mmax, double b, GError **error)
{
  if (!isfinite(m0) || !isfinite(mmax) || !isfinite(b)) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "gutenberg-richter values must be finite numbers");
    return FALSE;
  }
  if (!(m0 < mmax)) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "gutenberg-richter min=%g is not below max=%g; expected min < max", m0, mmax);
    return FALSE;
  }
  if (!(b > 0.0)) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "gutenberg-richter b=%g is not positive; expected b > 0 (usually near 1)", b);
    return FALSE;
  }
  /* Moment magnitudes of earthquakes that matter to a data centre lie well inside 0..10 (the
   * largest recorded is 9.5, Chile 1960); outside, the rupture-length law overflows. Observed
   * b-values lie near 1 (0.5 to 1.5). */
  if (m0 < FL_GR_MIN_MAGNITUDE || mmax > FL_GR_MAX_MAGNITUDE) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "gutenberg-richter min=%g, max=%g: moment magnitudes run from %g to %g here "
                "(the largest recorded is 9.5)", m0, mmax, FL_GR_MIN_MAGNITUDE,
                FL_GR_MAX_MAGNITUDE);
    return FALSE;
  }
  if (b < FL_GR_MIN_B || b > FL_GR_MAX_B) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "gutenberg-richter b=%g is out of range; expected %g to %g (observed b-values "
                "lie near 1)", b, FL_GR_MIN_B, FL_GR_MAX_B);
    return FALSE;
  }
  gr->m0 = m0;
  gr->mmax = mmax;
  gr->b = b;
  gr->beta = b * G_LN10;
  return TRUE;
}

#define GR_HINT "expected gutenberg-richter(min=M, max=M, b=B), for example " \
                "gutenberg-richter(min=6.7, max=8.0, b=1.0)"

gboolean
fl_gr_parse(const char *text, FlGutenbergRichter *out, GError **error)
{
  static const char prefix[] = "gutenberg-richter";
  const char *shown = text ? text : "";
  const char *p = shown;
  while (g_ascii_isspace(*p))
    p++;
  if (strncmp(p, prefix, sizeof prefix - 1) != 0) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "unknown magnitude law '%s'; %s", shown, GR_HINT);
    return FALSE;
  }
  p += sizeof prefix - 1;
  while (g_ascii_isspace(*p))
    p++;
  const char *close = strrchr(p, ')');
  const char *after = close ? close + 1 : NULL;
  while (after && g_ascii_isspace(*after))
    after++;
  if (*p != '(' || close == NULL || *after != '\0') {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "'%s' is not a magnitude law; %s", shown, GR_HINT);
    return FALSE;
  }
  g_autofree char *inner = g_strndup(p + 1, (gsize)(close - p - 1));
  g_auto(GStrv) items = g_strsplit(inner, ",", -1);
  double value[3] = { 0.0, 0.0, 1.0 }; /* min, max, b */
  gboolean seen[3] = { FALSE, FALSE, FALSE };
  static const char *const keys[3] = { "min", "max", "b" };
  for (guint i = 0; items[i] != NULL; i++) {
    char *eq = strchr(items[i], '=');
    if (eq == NULL) {
      g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                  "'%s' in '%s' is not key=value; %s", g_strstrip(items[i]), shown, GR_HINT);
      return FALSE;
    }
    *eq = '\0';
    const char *key = g_strstrip(items[i]);
    int k = -1;
    for (int j = 0; j < 3; j++) {
      if (strcmp(key, keys[j]) == 0)
        k = j;
    }
    if (k < 0) {
      g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                  "unknown parameter '%s' in '%s'; expected min, max and b", key, shown);
      return FALSE;
    }
    if (seen[k]) {
      g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                  "parameter '%s' is given twice in '%s'", key, shown);
      return FALSE;
    }
    const char *rest;
    if (!read_number(eq + 1, &value[k], &rest) || *rest != '\0') {
      g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                  "%s='%s' in '%s' is not a number; %s", key, g_strstrip(eq + 1), shown, GR_HINT);
      return FALSE;
    }
    seen[k] = TRUE;
  }
  for (int j = 0; j < 2; j++) {
    if (!seen[j]) {
      g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                  "'%s' has no %s; %s", shown, keys[j], GR_HINT);
      return FALSE;
    }
  }
  return fl_gr_init(out, value[0], value[1], value[2], error);
}

double
fl_gr_cdf(const FlGutenbergRichter *gr, double m)
{
  if (m <= gr->m0)
    return 0.0;
  if (m >= gr->mmax)
    return 1.0;
  return expm1(-gr->beta * (m - gr->m0)) / expm1(-gr->beta * (gr->mmax - gr->m0));
}

double
fl_gr_quantile(const FlGutenbergRichter *gr, double u)
{
  /* m = m0 - ln(1 - u (1 - e^{-beta D})) / beta; written with log1p/expm1 so u near 0 keeps
   * its digits. */
  double trunc = -expm1(-gr->beta * (gr->mmax - gr->m0)); /* 1 - e^{-beta D} */
  double m = gr->m0 - log1p(-u * trunc) / gr->beta;
  return CLAMP(m, gr->m0, gr->mmax);
}

double
fl_gr_sample(const FlGutenbergRichter *gr, FlRng *rng)
{
  return fl_gr_quantile(gr, fl_rng_uniform(rng));
}

double
fl_gr_mean(const FlGutenbergRichter *gr)
{
  double d = gr->mmax - gr->m0;
  double e = exp(-gr->beta * d);
  return gr->m0 + 1.0 / gr->beta - d * e / -expm1(-gr->beta * d);
}

double
fl_gr_exceedance_rate(const FlGutenbergRichter *gr, double rate_m0_per_year, double m)
{
  return rate_m0_per_year * (1.0 - fl_gr_cdf(gr, m));
}

/* ---------------------------------------------- rupture (Wells & Coppersmith 1994) */

double
fl_wc94_rupture_length_km(double magnitude)
{
  return pow(10.0, -3.22 + 0.69 * magnitude);
}

double
fl_wc94_rupture_area_km2(double magnitude)
{
  return pow(10.0, -3.49 + 0.91 * magnitude);
}

void
fl_rupture_init(FlRupture *rup, const FlLatLon *trace, size_t n, double epicentre_s_km,
                double magnitude)
{
  g_return_if_fail(rup != NULL && trace != NULL && n >= 1);
  double len = fl_wc94_rupture_length_km(magnitude);
  rup->length_km = len;
  if (rup->trace == NULL)
    rup->trace = g_array_new(FALSE, FALSE, sizeof(FlLatLon));
  if (n == 1) {
    g_array_set_size(rup->trace, 0);
    g_array_append_val(rup->trace, trace[0]);
    rup->epicentre = trace[0];
    rup->radius_km = len / 2.0;
    return;
  }
  double total = fl_geo_polyline_length_km(trace, n);
  double s = CLAMP(epicentre_s_km, 0.0, total);
  rup->epicentre = fl_geo_polyline_point_at(trace, n, s);
  rup->radius_km = 0.0;
  double from, to;
  if (len >= total) {
    from = 0.0;
    to = total;
    rup->length_km = total;
  } else {
    from = s - len / 2.0;
    to = s + len / 2.0;
    if (from < 0.0) {
      from = 0.0;
      to = len;
    } else if (to > total) {
      from = total - len;
      to = total;
    }
  }
  fl_geo_polyline_slice_into(rup->trace, trace, n, from, to);
}

void
fl_rupture_clear(FlRupture *rup)
{
  if (rup->trace != NULL)
    g_array_unref(rup->trace);
  rup->trace = NULL;
}

double
fl_rupture_distance_km(const FlRupture *rup, FlLatLon site)
{
  g_return_val_if_fail(rup != NULL && rup->trace != NULL, NAN);
  double d = fl_geo_polyline_distance_km(site, (const FlLatLon *)(void *)rup->trace->data,
                                         rup->trace->len);
  return MAX(0.0, d - rup->radius_km);
}

/* -------------------------------------------------------- ground motion */

/* BJF97 coefficients for PGA (Boore, Joyner & Fumal 1997, Table 8, via hazards.md). */
static const double bjf97_b1[] = { -0.242, -0.313, -0.117 }; /* unspecified, strike-slip, reverse */
#define BJF97_B2 0.527
#define BJF97_B3 0.0
#define BJF97_B5 (-0.778)
#define BJF97_BV (-0.371)
#define BJF97_VA_M_S 1396.0
#define BJF97_H_KM 5.57

double
fl_bjf97_ln_pga_median(double magnitude, double rjb_km, double vs30_m_s, FlMechanism mechanism,
                       unsigned *flags)
{
  g_return_val_if_fail(rjb_km >= 0.0 && vs30_m_s > 0.0, NAN);
  g_return_val_if_fail((size_t)mechanism < G_N_ELEMENTS(bjf97_b1), NAN);
  unsigned f = 0;
  if (magnitude < FL_BJF97_M_MIN || magnitude > FL_BJF97_M_MAX) {
    magnitude = CLAMP(magnitude, FL_BJF97_M_MIN, FL_BJF97_M_MAX);
    f |= FL_GMPE_MAG_CLAMPED;
  }
  if (rjb_km > FL_BJF97_R_MAX_KM)
    f |= FL_GMPE_BEYOND_DISTANCE;
  if (flags != NULL)
    *flags |= f;
  double dm = magnitude - 6.0;
  double r = sqrt(rjb_km * rjb_km + BJF97_H_KM * BJF97_H_KM);
  return bjf97_b1[mechanism] + BJF97_B2 * dm + BJF97_B3 * dm * dm + BJF97_B5 * log(r) +
         BJF97_BV * log(vs30_m_s / BJF97_VA_M_S);
}

double
fl_bjf97_pga_median_g(double magnitude, double rjb_km, double vs30_m_s, FlMechanism mechanism,
                      unsigned *flags)
{
  return exp(fl_bjf97_ln_pga_median(magnitude, rjb_km, vs30_m_s, mechanism, flags));
}

double
fl_bjf97_sample_between(FlRng *rng)
{
  return FL_BJF97_SIGMA_BETWEEN * fl_rng_normal(rng);
}

double
fl_bjf97_ln_pga_sample(double magnitude, double rjb_km, double vs30_m_s, FlMechanism mechanism,
                       double between_ln, FlRng *rng, unsigned *flags)
{
  double median = fl_bjf97_ln_pga_median(magnitude, rjb_km, vs30_m_s, mechanism, flags);
  return median + between_ln + FL_BJF97_SIGMA_WITHIN * fl_rng_normal(rng);
}

double
fl_aww12_mmi(double magnitude, double rrup_km)
{
  g_return_val_if_fail(rrup_km >= 0.0, NAN);
  double near = 1.0 + 0.813 * exp(magnitude - 5.0);
  return 3.950 + 0.913 * magnitude - 1.107 * log(sqrt(rrup_km * rrup_km + near * near));
}

double
fl_aww12_sigma(double rrup_km)
{
  double x = rrup_km / 44.7;
  return 0.72 + 0.23 / (1.0 + x * x);
}

double
fl_worden12_mmi_from_pga_g(double pga_g)
{
  g_return_val_if_fail(pga_g > 0.0, NAN);
  double ly = log10(pga_g * G_CM_S2);
  return ly <= 1.57 ? 1.78 + 1.55 * ly : -1.60 + 3.70 * ly;
}

double
fl_worden12_pga_g_from_mmi(double mmi)
{
  double ly = mmi <= 4.22 ? (mmi - 1.78) / 1.55 : (mmi + 1.60) / 3.70;
  return pow(10.0, ly) / G_CM_S2;
}

/* ----------------------------------------------------- damage and outage */

static const char *const damage_names[FL_DAMAGE_N_STATES] = { "none", "slight", "moderate",
                                                              "extensive", "complete" };

const char *
fl_damage_state_name(FlDamageState ds)
{
  g_return_val_if_fail((unsigned)ds < FL_DAMAGE_N_STATES, "?");
  return damage_names[ds];
}

/* HAZUS v5.1 (FEMA Earthquake Model Technical Manual), electric power facilities and a low-rise
 * concrete shear-wall (C2L) high-code building, as tabulated in hazards.md. The building row's
 * column meaning (structural PGA fragility) is unconfirmed there. */
static const FlFragility fragilities[FL_FRAGILITY_N_CLASSES] = {
  [FL_FRAGILITY_SUBSTATION_230KV] = { "substation-230kv",
                                      { 0.15, 0.25, 0.35, 0.70 }, { 0.60, 0.50, 0.40, 0.40 } },
  [FL_FRAGILITY_SUBSTATION_500KV] = { "substation-500kv",
                                      { 0.11, 0.15, 0.20, 0.47 }, { 0.50, 0.45, 0.35, 0.40 } },
  [FL_FRAGILITY_DISTRIBUTION] = { "distribution",
                                  { 0.28, 0.40, 0.72, 1.10 }, { 0.30, 0.55, 0.15, 0.15 } },
  [FL_FRAGILITY_BUILDING] = { "building",
                              { 0.24, 0.45, 0.90, 1.55 }, { 0.64, 0.64, 0.64, 0.64 } },
};

const FlFragility *
fl_fragility_get(FlFragilityClass cls)
{
  g_return_val_if_fail((unsigned)cls < FL_FRAGILITY_N_CLASSES, NULL);
  return &fragilities[cls];
}

gboolean
fl_fragility_lookup(const char *name, FlFragilityClass *out, GError **error)
{
  for (unsigned i = 0; name != NULL && i < FL_FRAGILITY_N_CLASSES; i++) {
    if (strcmp(name, fragilities[i].name) == 0) {
      *out = (FlFragilityClass)i;
      return TRUE;
    }
  }
  g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
              "unknown fragility class '%s'; expected substation-230kv, substation-500kv, "
              "distribution or building",
              name ? name : "");
  return FALSE;
}

static double
std_normal_cdf(double x)
{
  return 0.5 * erfc(-x / G_SQRT2);
}

double
fl_fragility_exceed(const FlFragility *f, FlDamageState ds, double pga_g)
{
  g_return_val_if_fail(f != NULL && (unsigned)ds < FL_DAMAGE_N_STATES, NAN);
  if (ds == FL_DAMAGE_NONE)
    return 1.0;
  if (!(pga_g > 0.0))
    return 0.0;
  int i = (int)ds - 1;
  return std_normal_cdf(log(pga_g / f->theta_g[i]) / f->beta[i]);
}

/* Monotone exceedance probabilities: q[ds] = max over k >= ds of the raw curve. */
static void
monotone_exceedance(const FlFragility *f, double pga_g, double q[FL_DAMAGE_N_STATES])
{
  double running = 0.0;
  for (int ds = FL_DAMAGE_N_STATES - 1; ds >= 0; ds--) {
    double e = fl_fragility_exceed(f, (FlDamageState)ds, pga_g);
    if (e > running)
      running = e;
    q[ds] = running;
  }
}

void
fl_fragility_probabilities(const FlFragility *f, double pga_g, double p_state[FL_DAMAGE_N_STATES])
{
  double q[FL_DAMAGE_N_STATES];
  monotone_exceedance(f, pga_g, q);
  for (int ds = 0; ds < FL_DAMAGE_N_STATES; ds++)
    p_state[ds] = q[ds] - (ds + 1 < FL_DAMAGE_N_STATES ? q[ds + 1] : 0.0);
}

FlDamageState
fl_fragility_sample(const FlFragility *f, double pga_g, double u)
{
  double q[FL_DAMAGE_N_STATES];
  monotone_exceedance(f, pga_g, q);
  int ds = FL_DAMAGE_N_STATES - 1;
  while (ds > 0 && !(u < q[ds]))
    ds--;
  return (FlDamageState)ds;
}

FlRestoration
fl_restoration_grid_default(void)
{
  return (FlRestoration){ { 0.0, 1.0 * 24, 3.0 * 24, 7.0 * 24, 30.0 * 24 } };
}

FlRestoration
fl_restoration_facility_default(void)
{
  return (FlRestoration){ { 0.0, 0.0, 7.0 * 24, 60.0 * 24, 365.0 * 24 } };
}

void
fl_site_outage(double facility_down_h, double grid_down_h, double generator_h, FlSiteOutage *out)
{
  g_return_if_fail(out != NULL);
  g_return_if_fail(facility_down_h >= 0.0 && grid_down_h >= 0.0 && generator_h >= 0.0);
  out->own_down_h = facility_down_h;
  if (grid_down_h > generator_h) {
    out->grid_from_h = generator_h;
    out->grid_until_h = grid_down_h;
  } else {
    out->grid_from_h = 0.0;
    out->grid_until_h = 0.0;
  }
  /* Union of [0, own) and [from, until): the grid part adds only what lies beyond own. */
  double extra = out->grid_until_h - MAX(out->grid_from_h, facility_down_h);
  out->total_down_h = facility_down_h + MAX(0.0, extra);
}

/* ------------------------- tilted Gutenberg-Richter (importance sampling, issue 5, rare.h) */

double
fl_gr_tilted_sample(const FlGutenbergRichter *gr, double b_biased, FlRng *rng)
{
  g_return_val_if_fail(b_biased > 0.0 && gr->beta > 0.0, NAN);
  FlGutenbergRichter tilted = *gr;
  tilted.b = b_biased;
  tilted.beta = b_biased * G_LN10;
  return fl_gr_sample(&tilted, rng);
}

double
fl_gr_tilt_log_ratio(const FlGutenbergRichter *gr, double b_biased, double m)
{
  g_return_val_if_fail(b_biased > 0.0 && gr->beta > 0.0, NAN);
  double beta = gr->beta, beta_b = b_biased * G_LN10, d = gr->mmax - gr->m0;
  /* ln[(1 - e^{-beta' D}) / (1 - e^{-beta D})] with expm1 for accuracy at small beta D. */
  return log(beta / beta_b) - (beta - beta_b) * (m - gr->m0) + log(-expm1(-beta_b * d))
         - log(-expm1(-beta * d));
}
