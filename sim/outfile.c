/* outfile.c - the files `faultline run` writes. See outfile.h.
 *
 * GLib's g_file_set_contents_full() gives the atomic replace; what it does not do, and this
 * adds, is tell a file it may replace from one it must write into: it renames a temporary file
 * over whatever the path names, so given /dev/null it would leave a regular file there (as
 * root, that breaks the machine), and given a symbolic link it replaces the link.
 */
#include "config.h"

#include "faultline/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Symbolic links followed this many times at most (the kernel's own limit). */
#define MAX_LINK_HOPS 40

/* The file descriptor a path names outright: /dev/stdout, /dev/stderr, /dev/fd/N,
 * /proc/self/fd/N. Written to as it is: reopening it would start at offset 0 and overwrite
 * what the text report already wrote there. -1 for any other path. */
static int
named_descriptor(const char *path)
{
  if (strcmp(path, "/dev/stdout") == 0)
    return STDOUT_FILENO;
  if (strcmp(path, "/dev/stderr") == 0)
    return STDERR_FILENO;
  const char *n = NULL;
  if (g_str_has_prefix(path, "/dev/fd/"))
    n = path + strlen("/dev/fd/");
  else if (g_str_has_prefix(path, "/proc/self/fd/"))
    n = path + strlen("/proc/self/fd/");
  if (n == NULL || *n == '\0')
    return -1;
  char *end;
  long fd = strtol(n, &end, 10);
  return *end == '\0' && fd >= 0 && fd <= G_MAXINT ? (int)fd : -1;
}

/* @path with every symbolic link along the last component followed (transfer full): the file
 * that a rename must replace. A missing target is returned as it is (the file to create). */
static char *
follow_links(const char *path)
{
  char *p = g_strdup(path);
  for (int hop = 0; hop < MAX_LINK_HOPS; hop++) {
    GStatBuf st;
    if (g_lstat(p, &st) != 0 || !S_ISLNK(st.st_mode))
      return p;
    g_autofree char *target = g_file_read_link(p, NULL);
    if (target == NULL)
      return p;
    char *next;
    if (g_path_is_absolute(target)) {
      next = g_strdup(target);
    } else {
      g_autofree char *dir = g_path_get_dirname(p);
      next = g_build_filename(dir, target, NULL);
    }
    g_free(p);
    p = next;
  }
  return p; /* a loop: the write fails with ELOOP and says so */
}

/* Whether @path exists and is something to write into rather than replace. */
static gboolean
is_special(const char *path)
{
  GStatBuf st;
  return named_descriptor(path) >= 0
         || (g_stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode));
}

gboolean
fl_outfile_check(const char *path, const char *option, GError **error)
{
  if (path == NULL || *path == '\0') {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "%s needs a file name, like %s=report.json", option, option);
    return FALSE;
  }
  GStatBuf st;
  if (g_stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "%s %s is a folder; give a file name, like %s/report.json", option, path, path);
    return FALSE;
  }
  if (is_special(path)) {
    int fd = named_descriptor(path);
    if ((fd >= 0 && fcntl(fd, F_GETFD) == -1) || (fd < 0 && g_access(path, W_OK) != 0)) {
      g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s %s cannot be written: %s",
                  option, path, g_strerror(errno));
      return FALSE;
    }
    return TRUE;
  }
  /* A new file, or one to replace: the rename needs the folder to exist and be writable. */
  g_autofree char *target = follow_links(path);
  g_autofree char *dir = g_path_get_dirname(target);
  if (g_stat(dir, &st) != 0) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "%s %s: the folder %s does not exist; create it first, or write elsewhere",
                option, path, dir);
    return FALSE;
  }
  if (!S_ISDIR(st.st_mode)) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s %s: %s is not a folder",
                option, path, dir);
    return FALSE;
  }
  if (g_access(dir, W_OK | X_OK) != 0) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "%s %s: cannot create files in the folder %s: %s", option, path, dir,
                g_strerror(errno));
    return FALSE;
  }
  return TRUE;
}

gboolean
fl_outfile_same(const char *a, const char *b)
{
  if (is_special(a) || is_special(b))
    return FALSE;
  GStatBuf sa, sb;
  if (g_stat(a, &sa) == 0 && g_stat(b, &sb) == 0)
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  g_autofree char *fa = follow_links(a), *fb = follow_links(b);
  g_autofree char *ca = g_canonicalize_filename(fa, NULL), *cb = g_canonicalize_filename(fb, NULL);
  return strcmp(ca, cb) == 0;
}

/* Writes all of @data to the open descriptor @fd. */
static gboolean
write_all(int fd, const char *path, const char *data, gsize length, GError **error)
{
  while (length > 0) {
    ssize_t n = write(fd, data, length);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int saved = errno;
      g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot write %s: %s",
                  path, g_strerror(saved));
      return FALSE;
    }
    data += n;
    length -= (gsize)n;
  }
  return TRUE;
}

gboolean
fl_outfile_write(const char *path, const char *data, gsize length, GError **error)
{
  int fd = named_descriptor(path);
  if (fd >= 0)
    return write_all(fd, path, data, length, error);
  if (is_special(path)) {
    fd = g_open(path, O_WRONLY | O_CLOEXEC, 0);
    if (fd < 0) {
      int saved = errno;
      g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot open %s: %s",
                  path, g_strerror(saved));
      return FALSE;
    }
    gboolean ok = write_all(fd, path, data, length, error);
    if (close(fd) != 0 && ok) {
      int saved = errno;
      g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot write %s: %s",
                  path, g_strerror(saved));
      ok = FALSE;
    }
    return ok;
  }
  g_autofree char *target = follow_links(path);
  return g_file_set_contents_full(target, data, (gssize)length, G_FILE_SET_CONTENTS_CONSISTENT,
                                  0644, error);
}

void
fl_outfile_discard(const char *path)
{
  if (is_special(path))
    return;
  g_autofree char *target = follow_links(path);
  g_unlink(target);
}
