/* rng.c - xoshiro256** and ziggurat samplers. See rng.h for what this module owns. */
#include "config.h"

#include <glib.h>
#include <math.h>

#include "faultline/rng.h"

/* Ziggurat tables (Doornik 2005, "An improved ziggurat method to generate normal random
 * samples"). x[i] are the layer edges, x[0] the pseudo-width of the base layer (V / f(R)),
 * ratio[i] = x[i+1] / x[i] the fraction of layer i that lies wholly under the curve. Written
 * once under g_once, read-only afterwards. */
#define NOR_LAYERS 128
#define NOR_R 3.442619855899
#define NOR_V 9.91256303526217e-3
#define EXP_LAYERS 256
#define EXP_R 7.69711747013104972
#define EXP_V 3.949659822581572e-3

static double nor_x[NOR_LAYERS + 1], nor_ratio[NOR_LAYERS];
static double exp_x[EXP_LAYERS + 1], exp_ratio[EXP_LAYERS];

static gpointer
build_tables(gpointer unused)
{
  double f = exp(-0.5 * NOR_R * NOR_R);
  nor_x[0] = NOR_V / f;
  nor_x[1] = NOR_R;
  nor_x[NOR_LAYERS] = 0.0;
  for (int i = 2; i < NOR_LAYERS; i++) {
    nor_x[i] = sqrt(-2.0 * log(NOR_V / nor_x[i - 1] + f));
    f = exp(-0.5 * nor_x[i] * nor_x[i]);
  }
  for (int i = 0; i < NOR_LAYERS; i++)
    nor_ratio[i] = nor_x[i + 1] / nor_x[i];

  f = exp(-EXP_R);
  exp_x[0] = EXP_V / f;
  exp_x[1] = EXP_R;
  exp_x[EXP_LAYERS] = 0.0;
  for (int i = 2; i < EXP_LAYERS; i++) {
    exp_x[i] = -log(EXP_V / exp_x[i - 1] + f);
    f = exp(-exp_x[i]);
  }
  for (int i = 0; i < EXP_LAYERS; i++)
    exp_ratio[i] = exp_x[i + 1] / exp_x[i];
  return NULL;
}

void
fl_rng_global_init(void)
{
  static GOnce once = G_ONCE_INIT;
  g_once(&once, build_tables, NULL);
}

static uint64_t
splitmix64(uint64_t *state)
{
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void
fl_rng_seed(FlRng *rng, uint64_t seed, uint64_t stream)
{
  /* Two rounds of splitmix decorrelate (seed, stream) pairs that differ in one bit. */
  uint64_t sm = seed;
  uint64_t mixed = splitmix64(&sm) ^ (stream * 0xd1342543de82ef95ULL + 0x2545f4914f6cdd1dULL);
  for (int i = 0; i < 4; i++)
    rng->s[i] = splitmix64(&mixed);
  if ((rng->s[0] | rng->s[1] | rng->s[2] | rng->s[3]) == 0)
    rng->s[0] = 1;
  fl_rng_global_init();
}

uint64_t
fl_rng_below(FlRng *rng, uint64_t n)
{
  g_assert(n >= 1);
  unsigned __int128 m = (unsigned __int128)fl_rng_u64(rng) * n;
  uint64_t low = (uint64_t)m;
  if (low < n) {
    uint64_t threshold = -n % n;
    while (low < threshold) {
      m = (unsigned __int128)fl_rng_u64(rng) * n;
      low = (uint64_t)m;
    }
  }
  return (uint64_t)(m >> 64);
}

double
fl_rng_exp(FlRng *rng)
{
  for (;;) {
    uint64_t bits = fl_rng_u64(rng);
    unsigned i = (unsigned)(bits & (EXP_LAYERS - 1));
    double u = ((double)(bits >> 11) + 0.5) * 0x1.0p-53; /* (0,1); independent of i's bits */
    if (u < exp_ratio[i])
      return u * exp_x[i];
    if (i == 0) /* base layer's tail: memoryless, so R plus a fresh exponential */
      return EXP_R - log(fl_rng_uniform(rng));
    double x = u * exp_x[i];
    double f0 = exp(-(exp_x[i] - x));     /* f(x_i)/f(x) */
    double f1 = exp(-(exp_x[i + 1] - x)); /* f(x_{i+1})/f(x) */
    if (f1 + fl_rng_uniform(rng) * (f0 - f1) < 1.0)
      return x;
  }
}

static double
normal_tail(FlRng *rng, int negative)
{
  double x, y;
  do {
    x = log(fl_rng_uniform(rng)) / NOR_R;
    y = log(fl_rng_uniform(rng));
  } while (-2.0 * y < x * x);
  return negative ? x - NOR_R : NOR_R - x;
}

double
fl_rng_normal(FlRng *rng)
{
  for (;;) {
    uint64_t bits = fl_rng_u64(rng);
    unsigned i = (unsigned)(bits & (NOR_LAYERS - 1));
    double u = 2.0 * (((double)(bits >> 11) + 0.5) * 0x1.0p-53) - 1.0; /* (-1,1) */
    if (fabs(u) < nor_ratio[i])
      return u * nor_x[i];
    if (i == 0)
      return normal_tail(rng, u < 0);
    double x = u * nor_x[i];
    double f0 = exp(-0.5 * (nor_x[i] * nor_x[i] - x * x));
    double f1 = exp(-0.5 * (nor_x[i + 1] * nor_x[i + 1] - x * x));
    if (f1 + fl_rng_uniform(rng) * (f0 - f1) < 1.0)
      return x;
  }
}

double
fl_rng_gamma_mt(FlRng *rng, double d, double c)
{
  /* Marsaglia & Tsang (2000), "A simple method for generating gamma variables", ACM TOMS 26(3):
   * x normal, v = (1 + c x)^3, accept d v when log(u) < x^2/2 + d (1 - v + log v); the first
   * test is their cheap squeeze, which accepts most tries without a logarithm. */
  for (;;) {
    double x = fl_rng_normal(rng);
    double v = 1.0 + c * x;
    if (v <= 0.0)
      continue;
    v = v * v * v;
    double u = fl_rng_uniform(rng);
    double x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2)
      return d * v;
    if (log(u) < 0.5 * x2 + d * (1.0 - v + log(v)))
      return d * v;
  }
}
