/* textio.h - reading the small text inputs faultline takes (scenarios, duration lists).
 *
 * Owns: bounded reads. A scenario or a list of durations is a small text file; reading
 * /dev/zero or a multi-gigabyte file by mistake must end in a clear error, not in memory
 * exhaustion, so every read stops at FL_TEXT_MAX_BYTES.
 */
#ifndef FAULTLINE_TEXTIO_H
#define FAULTLINE_TEXTIO_H

#include <glib.h>

#define FL_TEXT_MAX_BYTES (64u * 1024 * 1024)

/* Reads all of @path ("-" for standard input), at most FL_TEXT_MAX_BYTES. @what names the
 * input in messages ("scenario", "empirical durations"). On success *@out (transfer full,
 * NUL-terminated) and *@length are set; otherwise FALSE with FL_SCENARIO_ERROR_IO. */
gboolean fl_read_text(const char *path, const char *what, char **out, gsize *length,
                      GError **error);

#endif
