/* textio.c - bounded reads of small text inputs. See textio.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "faultline/errors.h"
#include "faultline/textio.h"

gboolean
fl_read_text(const char *path, const char *what, char **out, gsize *length, GError **error)
{
  gboolean from_stdin = strcmp(path, "-") == 0;
  const char *name = from_stdin ? "standard input" : path;
  if (!from_stdin && g_file_test(path, G_FILE_TEST_IS_DIR)) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_IO,
                "%s is a directory; give a %s file", path, what);
    return FALSE;
  }
  FILE *f = from_stdin ? stdin : fopen(path, "rb");
  if (f == NULL) {
    int saved = errno;
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_IO, "cannot read %s '%s': %s", what,
                path, g_strerror(saved));
    return FALSE;
  }
  g_autoptr(GString) buf = g_string_new(NULL);
  char chunk[65536];
  size_t n;
  gboolean too_big = FALSE;
  while (!too_big && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    g_string_append_len(buf, chunk, (gssize)n);
    too_big = buf->len > FL_TEXT_MAX_BYTES;
  }
  gboolean failed = ferror(f);
  if (!from_stdin)
    fclose(f);
  if (too_big) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_IO,
                "%s is larger than 64 MiB; a %s is a small text file", name, what);
    return FALSE;
  }
  if (failed) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_IO, "cannot read %s from %s", what,
                name);
    return FALSE;
  }
  *length = buf->len;
  *out = g_string_free(g_steal_pointer(&buf), FALSE);
  return TRUE;
}
