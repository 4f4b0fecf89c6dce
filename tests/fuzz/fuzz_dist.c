/* fuzz_dist.c - libFuzzer target: the distribution syntax and its samplers.
 *
 * Feeds a NUL-terminated copy of the input to fl_dist_parse(). A rejection must come with an
 * FL_SCENARIO_ERROR, and a one-line message when the input has no control characters (which
 * the scenario's key-file layer refuses before a value reaches fl_dist_parse). An accepted
 * distribution must keep dist.h's promises: a finite positive mean, a finite non-negative
 * variance, and samples that are durations (>= 0, not NaN, not infinite); anything else
 * aborts, which libFuzzer reports as a crash with the input that caused it.
 *
 * Relative empirical(file=...) paths resolve in a private temporary folder holding one small
 * durations file, "durations.txt", which the seed corpus uses.
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faultline/dist.h"
#include "faultline/errors.h"
#include "faultline/rng.h"

#define SAMPLES 64

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *base_dir; /* set once by LLVMFuzzerInitialize (owned) */

static void
remove_base_dir(void)
{
  g_autofree char *durations = g_build_filename(base_dir, "durations.txt", NULL);
  g_unlink(durations);
  g_rmdir(base_dir);
  g_free(base_dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
  base_dir = g_dir_make_tmp("fuzz-dist-XXXXXX", NULL);
  if (base_dir == NULL)
    abort();
  g_autofree char *durations = g_build_filename(base_dir, "durations.txt", NULL);
  if (!g_file_set_contents(durations, "# minutes to repair\n12min\n45min\n2h\n0s\n3d\n", -1,
                           NULL))
    abort();
  atexit(remove_base_dir);
  return 0;
}

static void G_GNUC_NORETURN
fail(const FlDist *d, const char *what, double value)
{
  fprintf(stderr, "%s: %s = %g\n", d->text ? d->text : "?", what, value);
  abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  g_autofree char *text = g_malloc(size + 1);
  memcpy(text, data, size);
  text[size] = '\0';
  g_autoptr(GError) error = NULL;
  g_autoptr(FlDist) d = fl_dist_parse(text, base_dir, &error);
  /* ini.c refuses control characters but tab in values, so the message of an input free of
   * them must be one line: it quotes the input, and nothing else adds a line break. */
  gboolean plain = TRUE;
  for (size_t i = 0; i < size; i++)
    plain &= (data[i] >= 0x20 || data[i] == '\t') && data[i] != 0x7f;
  if (d == NULL) {
    if (error == NULL || error->domain != FL_SCENARIO_ERROR || error->message[0] == '\0'
        || (plain && (strchr(error->message, '\n') || strchr(error->message, '\r')))) {
      fprintf(stderr, "bad error for a rejected distribution: %s\n",
              error ? error->message : "(no error set)");
      abort();
    }
    return 0;
  }
  if (error != NULL) {
    fprintf(stderr, "parsed, yet the error is set: %s\n", error->message);
    abort();
  }
  double mean = fl_dist_mean(d), variance = fl_dist_variance(d);
  if (!isfinite(mean) || mean <= 0.0)
    fail(d, "mean", mean);
  if (!isfinite(variance) || variance < 0.0)
    fail(d, "variance", variance);
  FlRng rng;
  fl_rng_seed(&rng, (uint64_t)size, 0);
  for (int i = 0; i < SAMPLES; i++) {
    double x = fl_dist_sample(d, &rng);
    if (isnan(x) || x < 0.0 || isinf(x))
      fail(d, "sample", x);
  }
  return 0;
}
