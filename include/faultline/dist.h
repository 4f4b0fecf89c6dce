/* dist.h - probability distributions of durations: their syntax, moments and samplers.
 *
 * Owns: FlDist, parsed from the scenario syntax
 *   exponential(mean=D)  weibull(shape=K, scale=D)  lognormal(median=D, sigma=S)
 *   gamma(shape=K, scale=D)  uniform(min=D, max=D)  fixed(D)  empirical(file=PATH)
 * where D is a duration (units.h). Values are seconds.
 *
 * Invariants: a parsed FlDist is immutable and may be sampled from many threads at once (each
 * with its own FlRng). Its mean is finite and positive (a failure or repair process whose mean
 * time is zero would never advance the clock).
 */
#ifndef FAULTLINE_DIST_H
#define FAULTLINE_DIST_H

#include <glib.h>

#include "faultline/rng.h"

typedef enum {
  FL_DIST_EXPONENTIAL = 1,
  FL_DIST_WEIBULL,
  FL_DIST_LOGNORMAL,
  FL_DIST_GAMMA,
  FL_DIST_UNIFORM,
  FL_DIST_FIXED,
  FL_DIST_EMPIRICAL,
} FlDistKind;

typedef struct {
  FlDistKind kind;
  char *text;      /* the spec as written, trimmed (owned) */
  double p1;       /* exponential: mean s; weibull/gamma: shape; lognormal: mu = ln(median s);
                      uniform: min s; fixed: value s */
  double p2;       /* weibull/gamma: scale s; lognormal: sigma; uniform: max s */
  double gamma_d;  /* gamma: Marsaglia–Tsang d = k' - 1/3 with k' = max(k, k + 1 if k < 1) */
  double gamma_c;  /* gamma: 1 / sqrt(9 d) */
  double *samples; /* empirical: durations in s (owned) */
  gsize n_samples; /* empirical: how many; >= 1 */
} FlDist;

/* Parses @text. @base_dir resolves a relative empirical(file=...) path (the scenario's folder;
 * NULL means the current directory). Returns a new FlDist (transfer full) or NULL with
 * FL_SCENARIO_ERROR_VALUE, _IO (unreadable file) or _SYNTAX (binary file) set; the message names what is wrong and lists valid forms. */
FlDist *fl_dist_parse(const char *text, const char *base_dir, GError **error);

void fl_dist_free(FlDist *dist);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FlDist, fl_dist_free)

/* Draws one duration in seconds, >= 0. Cannot fail. */
double fl_dist_sample(const FlDist *dist, FlRng *rng);

/* Exact mean and variance (s, s^2) of the law; for empirical, of the listed sample. */
double fl_dist_mean(const FlDist *dist);
double fl_dist_variance(const FlDist *dist);

/* Returns the valid-forms hint used in error messages (static string). */
const char *fl_dist_syntax_hint(void);

#endif
