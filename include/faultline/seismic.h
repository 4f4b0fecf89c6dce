/* seismic.h - earthquake physics: how often, how big, how hard the ground shakes, what breaks
 * and for how long.
 *
 * Owns, each with its published source (figures gathered in /work/shared/reference/hazards.md,
 * documented for users in docs/hazards.md):
 *   - rates: "72% in 30y" or "0.042/y" to a Poisson rate, lambda = -ln(1 - P) / T;
 *   - magnitudes: the truncated Gutenberg-Richter law on [m0, mmax] (CDF, inverse-transform
 *     sampler, exceedance rates);
 *   - rupture size: Wells & Coppersmith (1994, BSSA 84:974) surface rupture length and rupture
 *     area, all mechanisms, and the rupture distance from a zone to a rupture placed on a trace;
 *   - ground motion: Boore, Joyner & Fumal (1997, SRL 68:128) peak ground acceleration with its
 *     between-event and within-event terms; Allen, Wald & Worden (2012, J. Seismol. 16:409)
 *     intensity; Worden et al. (2012, BSSA 102:204) PGA <-> MMI;
 *   - damage: HAZUS v5.1 lognormal fragility curves (electric power substations, distribution
 *     circuits, a low-rise concrete building as the facility), damage-state sampling, restoration
 *     time by damage state and the generator rule.
 *
 * Invariants: functions are pure and thread-safe; random draws come only from the FlRng the
 * caller passes (one stream per replication), so results replay exactly. Magnitudes in moment
 * magnitude Mw; distances in km; PGA in g (1 g = 9.80665 m/s^2); times in hours; rates per year.
 * Validity ranges are never silently extrapolated: BJF97 clamps M to [5.5, 7.5] and raises
 * FL_GMPE_MAG_CLAMPED; distances beyond 80 km are evaluated but raise FL_GMPE_BEYOND_DISTANCE.
 *
 * Must not call: anything above it (scenario, model, engine). Uses geo (distances) and rng.
 * Parse errors are FL_SCENARIO_ERROR_VALUE with "what is wrong; what would be valid".
 */
#ifndef FAULTLINE_SEISMIC_H
#define FAULTLINE_SEISMIC_H

#include <glib.h>
#include <stddef.h>

#include "faultline/geo.h"
#include "faultline/rng.h"

/* ------------------------------------------------------------------ rates */

/* Poisson rate per year of an event with probability @p (0 < p < 1) of at least one occurrence
 * in @years (> 0): -ln(1 - p) / years, computed with log1p so small p keep their digits.
 * Example: 72% in 30 y -> 0.04243 per year. Preconditions (g_return_val_if_fail, returns NAN):
 * 0 < @p < 1, @years > 0. */
double fl_seismic_rate_from_probability(double p, double years);

/* Parses a rate as scenario files write it: "P% in T" (P a percentage above 0% and below 100%,
 * T a duration as units.h reads it, e.g. "72% in 30y", "37% in 50 y") or "N/y" (N > 0 events per
 * year, e.g. "0.042/y"), into events per year. Returns FALSE and sets @error
 * (FL_SCENARIO_ERROR_VALUE) otherwise; *@out_per_year is untouched then. */
gboolean fl_seismic_parse_rate(const char *text, double *out_per_year, GError **error);

/* ------------------------------------------------------------- mechanism */

typedef enum {
  FL_MECHANISM_UNSPECIFIED = 0, /* "unspecified": BJF97 b1 for all mechanisms */
  FL_MECHANISM_STRIKE_SLIP,     /* "strike-slip" */
  FL_MECHANISM_REVERSE,         /* "reverse" (thrust, including subduction interface) */
} FlMechanism;

/* Parses "unspecified", "strike-slip" or "reverse". Returns FALSE and sets @error
 * (FL_SCENARIO_ERROR_VALUE) for anything else. */
gboolean fl_seismic_parse_mechanism(const char *text, FlMechanism *out, GError **error);

/* The scenario spelling of @mechanism (transfer none, static). Cannot fail. */
const char *fl_seismic_mechanism_name(FlMechanism mechanism);

/* ------------------------------------------- truncated Gutenberg-Richter */

/* log10 N(>= M) = a - b M on [m0, mmax]: magnitudes are m0 plus an exponential with rate
 * beta = b ln 10, truncated at mmax. Valid when m0 < mmax and b > 0 (see fl_gr_init). */
typedef struct {
  double m0;   /* minimum magnitude (Mw): the rate of the hazard counts events at or above it */
  double mmax; /* maximum magnitude (Mw), > m0 */
  double b;    /* Gutenberg-Richter b-value, > 0 (near 1 for most regions) */
  double beta; /* b ln 10, set by fl_gr_init */
} FlGutenbergRichter;

/* The magnitudes and b-values fl_gr_init accepts. */
#define FL_GR_MIN_MAGNITUDE 0.0
#define FL_GR_MAX_MAGNITUDE 10.0
#define FL_GR_MIN_B 0.1
#define FL_GR_MAX_B 5.0

/* Validates and fills @gr. Returns FALSE and sets @error (FL_SCENARIO_ERROR_VALUE) when a value
 * is not finite, @m0 >= @mmax, @b <= 0, or a value lies outside the ranges above; @gr is
 * untouched then. */
gboolean fl_gr_init(FlGutenbergRichter *gr, double m0, double mmax, double b, GError **error);

/* Parses "gutenberg-richter(min=6.7, max=8.0, b=1.0)" (keys in any order, spaces allowed; b
 * defaults to 1.0; min and max are required) and validates it as fl_gr_init. Returns FALSE and
 * sets @error (FL_SCENARIO_ERROR_VALUE) otherwise. */
gboolean fl_gr_parse(const char *text, FlGutenbergRichter *out, GError **error);

/* P(M <= @m) = (1 - e^{-beta (m - m0)}) / (1 - e^{-beta (mmax - m0)}); 0 below m0, 1 above mmax.
 * Cannot fail. */
double fl_gr_cdf(const FlGutenbergRichter *gr, double m);

/* Inverse CDF: m0 - ln(1 - u (1 - e^{-beta (mmax - m0)})) / beta for @u in [0, 1] (clamped to
 * [m0, mmax] against rounding). Cannot fail. */
double fl_gr_quantile(const FlGutenbergRichter *gr, double u);

/* One magnitude by inverse transform of one fl_rng_uniform draw. Cannot fail. */
double fl_gr_sample(const FlGutenbergRichter *gr, FlRng *rng);

/* Mean magnitude: m0 + 1/beta - D e^{-beta D} / (1 - e^{-beta D}), D = mmax - m0. */
double fl_gr_mean(const FlGutenbergRichter *gr);

/* Rate per year of events with M >= @m, given @rate_m0_per_year for M >= m0:
 * rate_m0 (e^{-beta (m - m0)} - e^{-beta D}) / (1 - e^{-beta D}); rate_m0 below m0, 0 at or
 * above mmax. Cannot fail. */
double fl_gr_exceedance_rate(const FlGutenbergRichter *gr, double rate_m0_per_year, double m);

/* ---------------------------------------------- rupture (Wells & Coppersmith 1994) */

/* Surface rupture length, all mechanisms: log10 SRL[km] = -3.22 + 0.69 M (W&C 1994, Table 2A).
 * Median; not clamped (the regression was fitted on M 5.6-8.1). Cannot fail. */
double fl_wc94_rupture_length_km(double magnitude);

/* Rupture area, all mechanisms: log10 RA[km^2] = -3.49 + 0.91 M (W&C 1994, Table 2A; fitted on
 * M 4.8-7.9). Cannot fail. */
double fl_wc94_rupture_area_km2(double magnitude);

/* One event's rupture: a piece of the source's trace, or a disc around a point source. */
typedef struct {
  GArray *trace;     /* FlLatLon, owned; the ruptured part of the fault trace (>= 1 point) */
  FlLatLon epicentre; /* where the rupture nucleated */
  double length_km;  /* rupture length actually placed (<= the trace's length for a trace) */
  double radius_km;  /* point source only: L/2, the conservative disc radius; 0 for a trace */
} FlRupture;

/* Places the rupture of an event of @magnitude with epicentre @epicentre_s_km along the source
 * trace @trace[0..n-1] (n >= 1). Its length L = fl_wc94_rupture_length_km(magnitude).
 *   - Trace (n >= 2): the part [s - L/2, s + L/2], centred on the epicentre; when it would run
 *     past an end of the trace it is shifted back onto the trace (keeping length L), so the
 *     epicentre is then off-centre; if L exceeds the whole trace, the whole trace ruptures.
 *   - Point (n == 1): the epicentre is the point and the rupture is taken as a disc of radius
 *     L/2 around it, so a site's distance is max(0, R_epi - L/2): conservative, since the real
 *     rupture is a line of unknown strike through the point.
 * @rup must start zeroed ({ 0 }); its fields are overwritten, and the storage of a previous
 * call's trace is reused, so one FlRupture serves every event of a replication without
 * allocating (fl_rupture_clear frees it at the end). Cannot fail. */
void fl_rupture_init(FlRupture *rup, const FlLatLon *trace, size_t n, double epicentre_s_km,
                     double magnitude);

/* Frees what @rup owns; safe to call twice. */
void fl_rupture_clear(FlRupture *rup);

/* Distance from @site to the rupture, km: to the ruptured trace (the Joyner-Boore distance of a
 * vertical fault reaching the surface), or max(0, R_epi - radius) for a point source. Dipping
 * faults (subduction zones) would have a wider surface projection; this underestimates their
 * footprint. Cannot fail. */
double fl_rupture_distance_km(const FlRupture *rup, FlLatLon site);

/* -------------------------------------------------------- ground motion */

/* Flags raised by the ground-motion functions so callers can warn (never silent). */
enum {
  FL_GMPE_MAG_CLAMPED = 1u << 0,     /* M outside the validated range was clamped into it */
  FL_GMPE_BEYOND_DISTANCE = 1u << 1, /* distance beyond the validated range; still evaluated */
};

/* BJF97 validated range (Boore, Joyner & Fumal 1997). */
#define FL_BJF97_M_MIN 5.5
#define FL_BJF97_M_MAX 7.5
#define FL_BJF97_R_MAX_KM 80.0
/* Standard deviations of ln PGA: between-event (sigma_e, event-wide, shared by every site of an
 * event) and within-event (sigma_r, site-to-site). They are independent and add in quadrature:
 * sigma_total = sqrt(0.184^2 + 0.460^2) = 0.4954, the published 0.495. */
#define FL_BJF97_SIGMA_BETWEEN 0.184
#define FL_BJF97_SIGMA_WITHIN 0.460
#define FL_BJF97_SIGMA_TOTAL 0.495

/* Median ln PGA[g] by BJF97:
 *   ln PGA = b1 + b2 (M - 6) + b3 (M - 6)^2 + b5 ln r + bv ln(Vs30 / Va), r = sqrt(R_JB^2 + h^2)
 * with b1 = -0.242 (unspecified) / -0.313 (strike-slip) / -0.117 (reverse), b2 = 0.527, b3 = 0,
 * b5 = -0.778, bv = -0.371, Va = 1396 m/s, h = 5.57 km. @magnitude outside [5.5, 7.5] is clamped
 * into it and FL_GMPE_MAG_CLAMPED is OR-ed into *@flags; @rjb_km > 80 is evaluated as is and
 * FL_GMPE_BEYOND_DISTANCE is OR-ed in. @flags may be NULL; it is never cleared, only OR-ed, so
 * one variable can collect the flags of a whole event. Preconditions: @rjb_km >= 0,
 * @vs30_m_s > 0 (g_return_val_if_fail, NAN). Example: M7, 10 km, 760 m/s -> 0.250 g. */
double fl_bjf97_ln_pga_median(double magnitude, double rjb_km, double vs30_m_s,
                              FlMechanism mechanism, unsigned *flags);

/* exp(fl_bjf97_ln_pga_median(...)): the median PGA in g. Same contract. */
double fl_bjf97_pga_median_g(double magnitude, double rjb_km, double vs30_m_s,
                             FlMechanism mechanism, unsigned *flags);

/* Draws an event's between-event residual, N(0, FL_BJF97_SIGMA_BETWEEN^2) in ln units: draw it
 * once per earthquake and pass it to fl_bjf97_ln_pga_sample for every site. Cannot fail. */
double fl_bjf97_sample_between(FlRng *rng);

/* One site's ln PGA[g]: the median plus @between_ln (the event's shared residual) plus an
 * independent within-event residual N(0, FL_BJF97_SIGMA_WITHIN^2) drawn from @rng. Sites tens of
 * km apart are treated as uncorrelated within the event (Jayaram & Baker 2009 correlation length
 * ~10-40 km). Same flags and preconditions as fl_bjf97_ln_pga_median. */
double fl_bjf97_ln_pga_sample(double magnitude, double rjb_km, double vs30_m_s,
                              FlMechanism mechanism, double between_ln, FlRng *rng,
                              unsigned *flags);

/* Median Modified Mercalli Intensity, Allen, Wald & Worden 2012 (active crust, rupture
 * distance): MMI = 3.950 + 0.913 M - 1.107 ln sqrt(R^2 + (1 + 0.813 e^{M - 5})^2). Not clamped
 * (it was fitted on about M 5-7.9, R <= 300 km). Example: M7 -> 7.57 at 10 km, 5.24 at 100 km.
 * Precondition @rrup_km >= 0. */
double fl_aww12_mmi(double magnitude, double rrup_km);

/* Standard deviation of the AWW12 MMI: 0.72 + 0.23 / (1 + (R / 44.7)^2). */
double fl_aww12_sigma(double rrup_km);

/* MMI from PGA by Worden et al. 2012 (Y = PGA in cm/s^2): 1.78 + 1.55 log10 Y when
 * log10 Y <= 1.57, else -1.60 + 3.70 log10 Y. Precondition @pga_g > 0. */
double fl_worden12_mmi_from_pga_g(double pga_g);

/* The inverse: PGA in g from MMI, using the branch boundary MMI = 4.22. */
double fl_worden12_pga_g_from_mmi(double mmi);

/* ----------------------------------------------------- damage and outage */

typedef enum {
  FL_DAMAGE_NONE = 0,
  FL_DAMAGE_SLIGHT,
  FL_DAMAGE_MODERATE,
  FL_DAMAGE_EXTENSIVE,
  FL_DAMAGE_COMPLETE,
  FL_DAMAGE_N_STATES
} FlDamageState;

/* Lowercase name ("none", "slight", ...) of @ds (transfer none, static). */
const char *fl_damage_state_name(FlDamageState ds);

/* A lognormal fragility: P(damage >= ds | PGA) = Phi(ln(PGA / theta_ds) / beta_ds) for
 * ds = slight..complete (index ds - 1). */
typedef struct {
  const char *name;   /* scenario spelling, e.g. "substation-230kv" (static) */
  double theta_g[4];  /* median PGA, g, for slight, moderate, extensive, complete */
  double beta[4];     /* lognormal standard deviation for each */
} FlFragility;

typedef enum {
  FL_FRAGILITY_SUBSTATION_230KV = 0, /* HAZUS medium-voltage substation, anchored */
  FL_FRAGILITY_SUBSTATION_500KV,     /* HAZUS high-voltage substation, anchored */
  FL_FRAGILITY_DISTRIBUTION,         /* HAZUS distribution circuits, anchored */
  FL_FRAGILITY_BUILDING,             /* HAZUS C2L high-code building, PGA-based (facility) */
  FL_FRAGILITY_N_CLASSES
} FlFragilityClass;

/* The HAZUS v5.1 table for @cls (transfer none, static). Cannot fail for a valid @cls. */
const FlFragility *fl_fragility_get(FlFragilityClass cls);

/* Looks a fragility class up by its scenario spelling: "substation-230kv", "substation-500kv",
 * "distribution", "building". Returns FALSE and sets @error (FL_SCENARIO_ERROR_VALUE) otherwise. */
gboolean fl_fragility_lookup(const char *name, FlFragilityClass *out, GError **error);

/* The raw curve P(damage >= @ds | @pga_g) for @ds in slight..complete; 1 for FL_DAMAGE_NONE.
 * 0 for @pga_g <= 0. Cannot fail. */
double fl_fragility_exceed(const FlFragility *f, FlDamageState ds, double pga_g);

/* Probability of each damage state none..complete at @pga_g, written to @p_state (sums to 1).
 * HAZUS curves with different betas can cross (distribution circuits: extensive above moderate
 * at high PGA); exceedance probabilities are therefore made non-increasing in ds by taking, for
 * each ds, the largest raw exceedance of ds and every worse state. Cannot fail. */
void fl_fragility_probabilities(const FlFragility *f, double pga_g,
                                double p_state[FL_DAMAGE_N_STATES]);

/* Samples a damage state from one uniform @u in (0, 1): the worst ds whose (monotone)
 * exceedance probability is above @u. Equal @u give equal states, so one uniform per site can
 * be shared across classes to model fully correlated components if a caller wants that. */
FlDamageState fl_fragility_sample(const FlFragility *f, double pga_g, double u);

/* Hours out of service by damage state (index FlDamageState). */
typedef struct {
  double hours[FL_DAMAGE_N_STATES];
} FlRestoration;

/* HAZUS power substations, mean restoration 0 / 1 / 3 / 7 / 30 days for none..complete
 * (*unconfirmed* per hazards.md; a documented default, override it). Distribution circuits use
 * the same default until a source is found. */
FlRestoration fl_restoration_grid_default(void);

/* The facility (data-centre building): 0 / 0 / 7 / 60 / 365 days for none..complete. These are
 * faultline's placeholder defaults, NOT from HAZUS: slight (cosmetic) damage does not stop a
 * data centre; the others are order-of-magnitude guesses. Override in the scenario. */
FlRestoration fl_restoration_facility_default(void);

/* Default generator autonomy, hours: data centres typically hold >= 72 h of fuel (weak source,
 * hazards.md). */
#define FL_DEFAULT_GENERATOR_HOURS 72.0

/* How long one site is down after an earthquake, time 0 being the shaking. */
typedef struct {
  double own_down_h;    /* [0, own_down_h): down from its own damage */
  double grid_from_h;   /* [grid_from_h, grid_until_h): down because the fuel ran out before the */
  double grid_until_h;  /*   grid came back; both 0 when the generators bridge the grid loss */
  double total_down_h;  /* length of the union of both intervals */
} FlSiteOutage;

/* The generator rule. The facility is down for @facility_down_h from its own damage. The grid is
 * lost for @grid_down_h; the generators carry the load for @generator_h. Grid loss no longer than
 * the fuel costs nothing; a longer one takes the site down from fuel exhaustion (@generator_h)
 * until the grid returns (@grid_down_h). total_down_h is the length of the union of the two
 * intervals. Preconditions (g_return_if_fail): all three >= 0, @out != NULL. */
void fl_site_outage(double facility_down_h, double grid_down_h, double generator_h,
                    FlSiteOutage *out);

/* ------------------------- tilted Gutenberg-Richter (importance sampling, issue 5, rare.h) */

/* Magnitudes for importance sampling: the same truncated law on [m0, mmax] with a smaller
 * b-value @b_biased (0 < b' < b), so large events are drawn more often. Each draw must then be
 * weighted by the density ratio f_b(m) / f_b'(m) (hazards.md, "Rare events"):
 *   w(m) = (beta / beta') e^{-(beta - beta')(m - m0)} (1 - e^{-beta' D}) / (1 - e^{-beta D}),
 * D = mmax - m0, beta = b ln 10. Add its log to the replication's FlLr (fl_lr_add_log_ratio).
 * Preconditions (g_return_val_if_fail, NAN): @gr initialised, @b_biased > 0. */
double fl_gr_tilted_sample(const FlGutenbergRichter *gr, double b_biased, FlRng *rng);

/* ln w(@m) above for @m in [m0, mmax]; its mean under the tilted law is exactly 1 (a check). */
double fl_gr_tilt_log_ratio(const FlGutenbergRichter *gr, double b_biased, double m);

#endif
