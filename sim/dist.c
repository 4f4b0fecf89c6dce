/* dist.c - duration distributions. See dist.h. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "faultline/dist.h"
#include "faultline/errors.h"
#include "faultline/textio.h"
#include "faultline/units.h"

#define SYNTAX_HINT                                                                             \
  "exponential(mean=D), weibull(shape=K, scale=D), lognormal(median=D, sigma=S), "              \
  "gamma(shape=K, scale=D), uniform(min=D, max=D), fixed(D) or empirical(file=PATH)"

const char *
fl_dist_syntax_hint(void)
{
  return SYNTAX_HINT;
}

/* One "key=value" (or positional "value") argument inside the parentheses. */
typedef struct {
  char *key; /* NULL when positional */
  char *value;
} Arg;

static const char *const dist_names[] = {
  [FL_DIST_EXPONENTIAL] = "exponential", [FL_DIST_WEIBULL] = "weibull",
  [FL_DIST_LOGNORMAL] = "lognormal",     [FL_DIST_GAMMA] = "gamma",
  [FL_DIST_UNIFORM] = "uniform",         [FL_DIST_FIXED] = "fixed",
  [FL_DIST_EMPIRICAL] = "empirical",
};

/* Which keys each kind takes, in canonical order; "" marks the positional argument. */
static const char *const dist_keys[][2] = {
  [FL_DIST_EXPONENTIAL] = { "mean", NULL },  [FL_DIST_WEIBULL] = { "shape", "scale" },
  [FL_DIST_LOGNORMAL] = { "median", "sigma" }, [FL_DIST_GAMMA] = { "shape", "scale" },
  [FL_DIST_UNIFORM] = { "min", "max" },       [FL_DIST_FIXED] = { "", NULL },
  [FL_DIST_EMPIRICAL] = { "file", NULL },
};

void
fl_dist_free(FlDist *dist)
{
  if (dist == NULL)
    return;
  g_free(dist->text);
  g_free(dist->samples);
  g_free(dist);
}

static void
args_free(GPtrArray *args)
{
  for (guint i = 0; i < args->len; i++) {
    Arg *a = g_ptr_array_index(args, i);
    g_free(a->key);
    g_free(a->value);
    g_free(a);
  }
  g_ptr_array_free(args, TRUE);
}

/* Finds argument @key (or the positional one when @key is ""). */
static const char *
arg_get(GPtrArray *args, const char *key)
{
  for (guint i = 0; i < args->len; i++) {
    Arg *a = g_ptr_array_index(args, i);
    if ((a->key == NULL && key[0] == '\0') || (a->key && strcmp(a->key, key) == 0))
      return a->value;
  }
  return NULL;
}

static gboolean
load_empirical(FlDist *d, const char *path, const char *base_dir, GError **error)
{
  g_autofree char *full = g_path_is_absolute(path) || base_dir == NULL
                              ? g_strdup(path)
                              : g_build_filename(base_dir, path, NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) io_error = NULL;
  if (!fl_read_text(full, "list of durations", &contents, &length, &io_error)) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_IO,
                "%s; empirical(file=PATH) takes a path relative to the scenario file, one "
                "duration per line", io_error->message);
    return FALSE;
  }
  if (memchr(contents, '\0', length) != NULL) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_SYNTAX,
                "'%s' is not a text file; expected one duration per line (like 45min)", full);
    return FALSE;
  }
  g_autoptr(GArray) values = g_array_new(FALSE, FALSE, sizeof(double));
  g_auto(GStrv) lines = g_strsplit(contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++) {
    char *line = g_strstrip(lines[i]);
    char *hash = strchr(line, '#');
    if (hash)
      *hash = '\0';
    g_strstrip(line);
    if (*line == '\0')
      continue;
    double v;
    g_autoptr(GError) e = NULL;
    if (!fl_parse_duration(line, TRUE, &v, &e)) {
      g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE, "%s (%s:%u)", e->message,
                  full, i + 1);
      return FALSE;
    }
    g_array_append_val(values, v);
  }
  if (values->len == 0) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "'%s' lists no durations; expected one per line (like 45min)", full);
    return FALSE;
  }
  d->n_samples = values->len;
  d->samples = (double *)g_array_free(g_steal_pointer(&values), FALSE);
  return TRUE;
}

/* Splits "name(a=1, b=2)" into name and arguments. */
static gboolean
split_call(const char *text, char **out_name, GPtrArray **out_args, GError **error)
{
  const char *open = strchr(text, '(');
  size_t tlen = strlen(text);
  if (open == NULL || tlen == 0 || text[tlen - 1] != ')') {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "'%s' is not a distribution; expected %s", text, SYNTAX_HINT);
    return FALSE;
  }
  g_autofree char *name = g_strstrip(g_strndup(text, (gsize)(open - text)));
  g_autofree char *inner = g_strndup(open + 1, (gsize)(text + tlen - 1 - (open + 1)));
  if (strchr(inner, '(') || strchr(inner, ')')) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "'%s' has nested parentheses; expected %s", text, SYNTAX_HINT);
    return FALSE;
  }
  GPtrArray *args = g_ptr_array_new();
  g_auto(GStrv) parts = g_strsplit(inner, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++) {
    char *part = g_strstrip(parts[i]);
    if (*part == '\0' && parts[1] == NULL)
      break; /* "fixed()" — reported as missing below */
    Arg *a = g_new0(Arg, 1);
    char *eq = strchr(part, '=');
    if (eq) {
      *eq = '\0';
      a->key = g_strdup(g_strstrip(part));
      a->value = g_strdup(g_strstrip(eq + 1));
    } else {
      a->value = g_strdup(part);
    }
    g_ptr_array_add(args, a);
  }
  *out_name = g_steal_pointer(&name);
  *out_args = args;
  return TRUE;
}

static gboolean
check_args(FlDistKind kind, GPtrArray *args, const char *text, GError **error)
{
  const char *const *keys = dist_keys[kind];
  for (guint i = 0; i < args->len; i++) {
    Arg *a = g_ptr_array_index(args, i);
    const char *k = a->key ? a->key : "";
    gboolean known = FALSE;
    for (int j = 0; j < 2 && keys[j]; j++)
      known |= strcmp(keys[j], k) == 0;
    if (!known) {
      if (a->key)
        g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                    "%s() takes no parameter '%s' in '%s'; expected %s", dist_names[kind], a->key,
                    text, SYNTAX_HINT);
      else
        g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                    "%s() needs named parameters in '%s' (like %s=...); expected %s",
                    dist_names[kind], text, keys[0], SYNTAX_HINT);
      return FALSE;
    }
    for (guint j = 0; j < i; j++) {
      Arg *b = g_ptr_array_index(args, j);
      if (g_strcmp0(a->key, b->key) == 0) {
        g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                    "parameter '%s' is given twice in '%s'", k[0] ? k : "value", text);
        return FALSE;
      }
    }
  }
  for (int j = 0; j < 2 && keys[j]; j++) {
    if (arg_get(args, keys[j]) == NULL) {
      g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                  "%s() is missing %s%s in '%s'; expected %s", dist_names[kind],
                  keys[j][0] ? "parameter " : "its duration", keys[j], text, SYNTAX_HINT);
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean
param_duration(GPtrArray *args, const char *key, gboolean allow_zero, const char *text,
               double *out, GError **error)
{
  g_autoptr(GError) e = NULL;
  if (fl_parse_duration(arg_get(args, key), allow_zero, out, &e))
    return TRUE;
  g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE, "in '%s', %s: %s", text,
              key[0] ? key : "value", e->message);
  return FALSE;
}

static gboolean
param_real(GPtrArray *args, const char *key, double min, double max, const char *text,
           double *out, GError **error)
{
  g_autoptr(GError) e = NULL;
  if (fl_parse_real(arg_get(args, key), min, max, out, &e))
    return TRUE;
  g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE, "in '%s', %s: %s", text, key,
              e->message);
  return FALSE;
}

static gboolean
parse_params(FlDist *d, GPtrArray *args, const char *text, const char *base_dir, GError **error)
{
  double median;
  switch (d->kind) {
  case FL_DIST_EXPONENTIAL:
    return param_duration(args, "mean", FALSE, text, &d->p1, error);
  case FL_DIST_WEIBULL:
  case FL_DIST_GAMMA:
    /* Shapes below 0.05 give means of order Gamma(21) scale: reject rather than overflow. */
    if (!param_real(args, "shape", 0.05, 1e4, text, &d->p1, error)
        || !param_duration(args, "scale", FALSE, text, &d->p2, error))
      return FALSE;
    if (d->kind == FL_DIST_GAMMA) {
      double k = d->p1 < 1.0 ? d->p1 + 1.0 : d->p1;
      d->gamma_d = k - 1.0 / 3.0;
      d->gamma_c = 1.0 / sqrt(9.0 * d->gamma_d);
    }
    return TRUE;
  case FL_DIST_LOGNORMAL:
    if (!param_duration(args, "median", FALSE, text, &median, error)
        || !param_real(args, "sigma", 0.0, 5.0, text, &d->p2, error))
      return FALSE;
    d->p1 = log(median);
    return TRUE;
  case FL_DIST_UNIFORM:
    if (!param_duration(args, "min", TRUE, text, &d->p1, error)
        || !param_duration(args, "max", FALSE, text, &d->p2, error))
      return FALSE;
    if (d->p1 > d->p2) {
      g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                  "in '%s', min is larger than max; expected min <= max", text);
      return FALSE;
    }
    return TRUE;
  case FL_DIST_FIXED:
    return param_duration(args, "", FALSE, text, &d->p1, error);
  case FL_DIST_EMPIRICAL:
    return load_empirical(d, arg_get(args, "file"), base_dir, error);
  }
  g_assert_not_reached();
}

FlDist *
fl_dist_parse(const char *text, const char *base_dir, GError **error)
{
  g_autofree char *name = NULL;
  GPtrArray *args = NULL;
  g_autofree char *trimmed = g_strstrip(g_strdup(text ? text : ""));
  if (!split_call(trimmed, &name, &args, error))
    return NULL;
  g_autoptr(FlDist) d = g_new0(FlDist, 1);
  for (int k = FL_DIST_EXPONENTIAL; k <= FL_DIST_EMPIRICAL; k++)
    if (g_ascii_strcasecmp(name, dist_names[k]) == 0)
      d->kind = (FlDistKind)k;
  gboolean ok = FALSE;
  if (d->kind == 0)
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "unknown distribution '%s' in '%s'; expected %s", name, trimmed, SYNTAX_HINT);
  else
    ok = check_args(d->kind, args, trimmed, error)
         && parse_params(d, args, trimmed, base_dir, error);
  args_free(args);
  if (!ok)
    return NULL;
  double mean = fl_dist_mean(d);
  if (!isfinite(mean) || mean <= 0.0 || mean > FL_MAX_DURATION_S
      || !isfinite(fl_dist_variance(d))) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_VALUE,
                "'%s' has a mean of %g s; it must be more than zero and at most 1000000y", trimmed,
                mean);
    return NULL;
  }
  d->text = g_steal_pointer(&trimmed);
  return g_steal_pointer(&d);
}

double
fl_dist_sample(const FlDist *d, FlRng *rng)
{
  switch (d->kind) {
  case FL_DIST_EXPONENTIAL:
    return d->p1 * fl_rng_exp(rng);
  case FL_DIST_WEIBULL:
    return d->p2 * pow(fl_rng_exp(rng), 1.0 / d->p1);
  case FL_DIST_LOGNORMAL:
    return exp(d->p1 + d->p2 * fl_rng_normal(rng));
  case FL_DIST_GAMMA: {
    double g = fl_rng_gamma_mt(rng, d->gamma_d, d->gamma_c);
    if (d->p1 < 1.0) /* boost: Gamma(k) = Gamma(k+1) * U^(1/k) */
      g *= pow(fl_rng_uniform(rng), 1.0 / d->p1);
    return d->p2 * g;
  }
  case FL_DIST_UNIFORM:
    return d->p1 + (d->p2 - d->p1) * fl_rng_uniform(rng);
  case FL_DIST_FIXED:
    return d->p1;
  case FL_DIST_EMPIRICAL:
    return d->samples[fl_rng_below(rng, d->n_samples)];
  }
  g_assert_not_reached();
}

double
fl_dist_mean(const FlDist *d)
{
  switch (d->kind) {
  case FL_DIST_EXPONENTIAL:
  case FL_DIST_FIXED:
    return d->p1;
  case FL_DIST_WEIBULL:
    return d->p2 * tgamma(1.0 + 1.0 / d->p1);
  case FL_DIST_LOGNORMAL:
    return exp(d->p1 + 0.5 * d->p2 * d->p2);
  case FL_DIST_GAMMA:
    return d->p1 * d->p2;
  case FL_DIST_UNIFORM:
    return 0.5 * (d->p1 + d->p2);
  case FL_DIST_EMPIRICAL: {
    double sum = 0.0;
    for (gsize i = 0; i < d->n_samples; i++)
      sum += d->samples[i];
    return sum / (double)d->n_samples;
  }
  }
  g_assert_not_reached();
}

double
fl_dist_variance(const FlDist *d)
{
  switch (d->kind) {
  case FL_DIST_EXPONENTIAL:
    return d->p1 * d->p1;
  case FL_DIST_FIXED:
    return 0.0;
  case FL_DIST_WEIBULL: {
    double g1 = tgamma(1.0 + 1.0 / d->p1), g2 = tgamma(1.0 + 2.0 / d->p1);
    return d->p2 * d->p2 * (g2 - g1 * g1);
  }
  case FL_DIST_LOGNORMAL: {
    double s2 = d->p2 * d->p2;
    return expm1(s2) * exp(2.0 * d->p1 + s2);
  }
  case FL_DIST_GAMMA:
    return d->p1 * d->p2 * d->p2;
  case FL_DIST_UNIFORM:
    return (d->p2 - d->p1) * (d->p2 - d->p1) / 12.0;
  case FL_DIST_EMPIRICAL: {
    double mean = fl_dist_mean(d), ss = 0.0;
    for (gsize i = 0; i < d->n_samples; i++)
      ss += (d->samples[i] - mean) * (d->samples[i] - mean);
    return ss / (double)d->n_samples;
  }
  }
  g_assert_not_reached();
}
