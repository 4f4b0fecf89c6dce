/* rng.h - random streams for replications.
 *
 * Owns: the xoshiro256** generator (Blackman & Vigna 2018) and the fast samplers built on it
 * (uniform, exponential and standard normal by the ziggurat method, Marsaglia & Tsang 2000 in
 * Doornik's 2005 "ZIGNOR" form; gamma by Marsaglia & Tsang's 2000 rejection method on them).
 *
 * Invariants: an FlRng is plain data (copyable, no heap); its state is never all zero. A stream
 * is a pure function of (seed, stream index), so replication i draws the same numbers whatever
 * thread runs it — that is what makes results bit-identical for any --threads.
 *
 * Must not call: anything above it (dist, model, engine). The ziggurat tables are constant
 * after fl_rng_global_init(); they are the only static data and are read-only afterwards.
 */
#ifndef FAULTLINE_RNG_H
#define FAULTLINE_RNG_H

#include <stdint.h>

typedef struct {
  uint64_t s[4]; /* xoshiro256** state; never all zero */
} FlRng;

/* Builds the ziggurat tables. Idempotent and thread-safe (g_once); every sampler below calls
 * it lazily too, so callers need not, but doing it once up front keeps it out of timed loops.
 * Cannot fail. */
void fl_rng_global_init(void);

/* Seeds @rng with stream @stream of @seed: splitmix64 over a mix of both, so neighbouring seeds
 * and streams give unrelated sequences. Cannot fail. */
void fl_rng_seed(FlRng *rng, uint64_t seed, uint64_t stream);

/* Next 64 random bits. Cannot fail. */
static inline uint64_t
fl_rng_u64(FlRng *rng)
{
  uint64_t *s = rng->s;
  uint64_t x = s[1] * 5;
  uint64_t result = ((x << 7) | (x >> 57)) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = (s[3] << 45) | (s[3] >> 19);
  return result;
}

/* Uniform on the open interval (0, 1): never 0, so log() of it is always finite. The top 53
 * bits k give (k + 1/2) 2^-53; for k = 2^53 - 1 that sum needs 54 bits and rounds (to even) up to
 * exactly 1.0, so that one value (probability 2^-53) becomes the largest double below 1. */
static inline double
fl_rng_uniform(FlRng *rng)
{
  double u = ((double)(fl_rng_u64(rng) >> 11) + 0.5) * 0x1.0p-53;
  return u < 1.0 ? u : 0x1.fffffffffffffp-1;
}

/* Uniform integer in [0, n), n >= 1, without modulo bias (Lemire 2019). */
uint64_t fl_rng_below(FlRng *rng, uint64_t n);

/* Standard exponential (mean 1) by a 256-layer ziggurat: ~98.9% of draws cost one 64-bit
 * number, a multiply and a compare. */
double fl_rng_exp(FlRng *rng);

/* Standard normal by a 128-layer ziggurat. */
double fl_rng_normal(FlRng *rng);

/* Gamma(a) with scale 1, for a shape a >= 1, by Marsaglia & Tsang's (2000) rejection method:
 * exact (given the normal and uniform samplers). The caller passes d = a - 1/3 and
 * c = 1 / sqrt(9 d), computed once per shape where it can. Each try costs one normal and one
 * uniform draw; at a = 2 about 98% of tries are accepted, more for larger a, and most without
 * a logarithm. (For a < 1, draw Gamma(a + 1) and multiply by U^(1/a): dist.c.) */
double fl_rng_gamma_mt(FlRng *rng, double d, double c);

#endif
