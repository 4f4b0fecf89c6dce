/* outfile.h - the files `faultline run` writes (--json, --timeline).
 *
 * Owns: checking an output path before a run, so that a path that cannot be written is a usage
 * error (exit 2) found in a moment rather than after an hour of replications; and writing a
 * finished file whole. A regular file (or a new one) is replaced atomically: written beside it,
 * then renamed over it, so a reader never sees half a report. A symbolic link is followed, so
 * the file it points to is replaced and the link stays. A device or a pipe (/dev/null,
 * /dev/stdout, a FIFO) is written into: renaming a file over it would destroy it.
 */
#ifndef FAULTLINE_OUTFILE_H
#define FAULTLINE_OUTFILE_H

#include <glib.h>

/* Checks that @path can be written, naming @option ("--json") in the message. FALSE with
 * G_OPTION_ERROR_BAD_VALUE when the path is empty, is a folder, lies in a folder that does not
 * exist or cannot be written, or is a file that cannot be written. */
gboolean fl_outfile_check(const char *path, const char *option, GError **error);

/* Whether @a and @b would write the same file (after symbolic links; hard links included). A
 * device or pipe is never "the same": writing both into /dev/null is fine. */
gboolean fl_outfile_same(const char *a, const char *b);

/* Writes @length bytes of @data as the whole content of @path (see above for how). On
 * failure FALSE with a G_FILE_ERROR naming the file; a replaced file is then left as it was. */
gboolean fl_outfile_write(const char *path, const char *data, gsize length, GError **error);

/* Removes the file fl_outfile_write() wrote at @path (after symbolic links), to leave nothing
 * behind when a later step fails; a device or pipe, written into, is left alone. */
void fl_outfile_discard(const char *path);

#endif
