/* ini.c - GKeyFile plus line numbers, inline comments and duplicate detection. See ini.h. */
#include "config.h"

#include <string.h>

#include "faultline/errors.h"
#include "faultline/ini.h"

struct FlIni {
  char *name;             /* display name of the source */
  GKeyFile *keyfile;      /* the cleaned text, parsed by GLib */
  GPtrArray *groups;      /* char* in file order, NULL-terminated */
  GHashTable *keys;       /* group -> GPtrArray of char* keys, NULL-terminated */
  GHashTable *lines;      /* "group\x1fkey" or "group" -> line number */
  GHashTable *values;     /* "group\x1fkey" -> value with escapes processed (cache) */
  GHashTable *group_file; /* group -> display name of the file it came from, for groups merged
                             from another file by fl_ini_merge (absent: this file) */
};

static char *
line_key(const char *group, const char *key)
{
  return key ? g_strconcat(group, "\x1f", key, NULL) : g_strdup(group);
}

void
fl_ini_free(FlIni *ini)
{
  if (ini == NULL)
    return;
  g_free(ini->name);
  if (ini->keyfile)
    g_key_file_unref(ini->keyfile);
  g_ptr_array_unref(ini->groups);
  g_hash_table_unref(ini->keys);
  g_hash_table_unref(ini->lines);
  g_hash_table_unref(ini->values);
  g_hash_table_unref(ini->group_file);
  g_free(ini);
}

/* Removes an inline comment: the first '#' that follows whitespace. */
static void
strip_inline_comment(char *value)
{
  for (char *p = value; *p; p++) {
    if (*p == '#' && p > value && (p[-1] == ' ' || p[-1] == '\t')) {
      *p = '\0';
      break;
    }
  }
  g_strchomp(value);
}

static gboolean
fail(GError **error, int code, const char *name, guint line, const char *fmt, ...)
  G_GNUC_PRINTF(5, 6);

static gboolean
fail(GError **error, int code, const char *name, guint line, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *what = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  /* As in scenario.c: what is wrong, then where, then (after "; ") what would be valid. */
  const char *semi = strstr(what, "; ");
  if (semi)
    g_set_error(error, FL_SCENARIO_ERROR, code, "%.*s (%s:%u)%s", (int)(semi - what), what, name,
                line, semi);
  else
    g_set_error(error, FL_SCENARIO_ERROR, code, "%s (%s:%u)", what, name, line);
  return FALSE;
}

static gboolean
is_valid_name(const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (const char *p = s; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == '[' || *p == ']' || *p == '=')
      return FALSE;
  return TRUE;
}

/* Scans the text line by line, filling @ini's tables and @clean with a GKeyFile-safe copy. */
static gboolean
scan(FlIni *ini, const char *data, GString *clean, GError **error)
{
  g_auto(GStrv) lines = g_strsplit(data, "\n", -1);
  const char *group = NULL;
  GPtrArray *group_keys = NULL;
  for (guint i = 0; lines[i] != NULL; i++) {
    guint lineno = i + 1;
    char *line = lines[i];
    size_t len = strlen(line);
    if (len > 0 && line[len - 1] == '\r')
      line[len - 1] = '\0';
    /* Messages quote the line or its value: a line of 100 KB would make a message of 100 KB.
     * No real scenario line comes near the cap. */
    if (len > FL_INI_MAX_LINE)
      return fail(error, FL_SCENARIO_ERROR_SYNTAX, ini->name, lineno,
                  "line is %zu characters long, which no scenario needs; the most is %u "
                  "(a list that long belongs in several groups or a file)", len,
                  (guint)FL_INI_MAX_LINE);
    /* Control characters (other than tab) would end up in names and in error messages, where a
     * CR or an escape sequence garbles the one-line message on a terminal. */
    for (const char *p = line; *p; p++)
      if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f)
        return fail(error, FL_SCENARIO_ERROR_SYNTAX, ini->name, lineno,
                    "control character 0x%02x at column %u; a scenario is plain text (only tabs "
                    "and spaces as blanks, one line ending per line)", (unsigned)*p,
                    (guint)(p - line) + 1);
    g_strstrip(line);
    if (*line == '\0' || *line == '#' || *line == ';') {
      g_string_append_c(clean, '\n'); /* keep line numbers aligned for GKeyFile's own errors */
      continue;
    }
    if (*line == '[') {
      char *close = strchr(line, ']');
      if (close == NULL)
        return fail(error, FL_SCENARIO_ERROR_SYNTAX, ini->name, lineno,
                    "group header '%s' has no closing ']'; expected [kind name]", line);
      char *after = close + 1;
      while (*after == ' ' || *after == '\t')
        after++;
      if (*after != '\0' && *after != '#')
        return fail(error, FL_SCENARIO_ERROR_SYNTAX, ini->name, lineno,
                    "unexpected text '%s' after group header; expected a comment (# ...) or "
                    "nothing", after);
      *close = '\0';
      char *name = g_strstrip(line + 1);
      /* Fold runs of blanks so "[region  a]" and "[region a]" are one group. */
      g_auto(GStrv) words = g_strsplit_set(name, " \t", -1);
      GString *f = g_string_new(NULL);
      for (guint w = 0; words[w]; w++) {
        if (*words[w] == '\0')
          continue;
        if (f->len)
          g_string_append_c(f, ' ');
        g_string_append(f, words[w]);
      }
      g_autofree char *folded = g_string_free(f, FALSE);
      if (!is_valid_name(folded) || !g_utf8_validate(folded, -1, NULL))
        return fail(error, FL_SCENARIO_ERROR_SYNTAX, ini->name, lineno,
                    "invalid group header [%s]; expected [kind name] like [region us-east-1]",
                    name);
      if (g_hash_table_contains(ini->keys, folded)) {
        guint first = GPOINTER_TO_UINT(g_hash_table_lookup(ini->lines, folded));
        return fail(error, FL_SCENARIO_ERROR_DUPLICATE, ini->name, lineno,
                    "group [%s] appears twice (first at line %u); merge the two into one",
                    folded, first);
      }
      group_keys = g_ptr_array_new_with_free_func(g_free);
      g_ptr_array_add(group_keys, NULL);
      g_ptr_array_add(ini->groups, g_strdup(folded));
      g_hash_table_insert(ini->keys, g_strdup(folded), group_keys);
      g_hash_table_insert(ini->lines, g_strdup(folded), GUINT_TO_POINTER(lineno));
      group = g_ptr_array_index(ini->groups, ini->groups->len - 1);
      g_string_append_printf(clean, "[%s]\n", folded);
      continue;
    }
    char *eq = strchr(line, '=');
    if (eq == NULL)
      return fail(error, FL_SCENARIO_ERROR_SYNTAX, ini->name, lineno,
                  "line '%s' is not a group, a key = value pair or a comment", line);
    *eq = '\0';
    char *key = g_strstrip(line);
    /* Strip the comment before trimming: in "key = # note" the '#' follows the blank after
     * '=', which trimming first would remove, leaving "# note" as the value. */
    char *value = eq + 1;
    strip_inline_comment(value);
    g_strstrip(value);
    if (group == NULL)
      return fail(error, FL_SCENARIO_ERROR_SYNTAX, ini->name, lineno,
                  "key '%s' comes before any group; start the file with [scenario]", key);
    if (!is_valid_name(key) || strchr(key, ' ') || !g_utf8_validate(key, -1, NULL))
      return fail(error, FL_SCENARIO_ERROR_SYNTAX, ini->name, lineno,
                  "invalid key name '%s' in [%s]; keys are words like time-to-failure", key,
                  group);
    g_autofree char *lk = line_key(group, key);
    if (g_hash_table_contains(ini->lines, lk)) {
      guint first = GPOINTER_TO_UINT(g_hash_table_lookup(ini->lines, lk));
      return fail(error, FL_SCENARIO_ERROR_DUPLICATE, ini->name, lineno,
                  "key '%s' appears twice in [%s] (first at line %u); keep one", key, group,
                  first);
    }
    g_hash_table_insert(ini->lines, g_steal_pointer(&lk), GUINT_TO_POINTER(lineno));
    g_ptr_array_insert(group_keys, (gint)group_keys->len - 1, g_strdup(key));
    g_string_append_printf(clean, "%s=%s\n", key, value);
  }
  return TRUE;
}

FlIni *
fl_ini_parse(const char *data, gsize length, const char *display_name, GError **error)
{
  g_autoptr(FlIni) ini = g_new0(FlIni, 1);
  ini->name = g_strdup(display_name ? display_name : "<scenario>");
  ini->groups = g_ptr_array_new_with_free_func(g_free);
  ini->keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify)g_ptr_array_unref);
  ini->lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  ini->values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  ini->group_file = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

  gboolean blank = TRUE;
  for (gsize i = 0; i < length && blank; i++)
    blank = g_ascii_isspace(data[i]);
  if (length == 0 || blank) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_SYNTAX,
                "%s is empty; a scenario needs at least a [region ...] and a [service ...] group",
                ini->name);
    return NULL;
  }
  /* With a length, g_utf8_validate() also stops at a NUL byte: @bad is the first offender. */
  const char *bad = NULL;
  if (!g_utf8_validate(data, (gssize)length, &bad)) {
    guint line = 1;
    for (const char *p = data; p < bad; p++)
      line += *p == '\n';
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_SYNTAX,
                "not a text file: %s at byte %" G_GSIZE_FORMAT " (%s:%u); a scenario is an "
                "INI-style key file in UTF-8", *bad ? "invalid UTF-8" : "a NUL byte",
                (gsize)(bad - data) + 1, ini->name, line);
    return NULL;
  }
  g_autofree char *text = g_strndup(data, length);
  g_autoptr(GString) clean = g_string_new(NULL);
  if (!scan(ini, text, clean, error))
    return NULL;
  g_ptr_array_add(ini->groups, NULL);

  ini->keyfile = g_key_file_new();
  g_autoptr(GError) kf_error = NULL;
  if (!g_key_file_load_from_data(ini->keyfile, clean->str, clean->len, G_KEY_FILE_NONE,
                                 &kf_error)) {
    g_set_error(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_SYNTAX, "%s: %s", ini->name,
                kf_error->message);
    return NULL;
  }
  /* Escapes like \n or \r would put control characters in values, hence in names and in
   * one-line error messages: refuse them like raw ones. */
  for (guint g = 0; g + 1 < ini->groups->len; g++) {
    const char *group = g_ptr_array_index(ini->groups, g);
    const char *const *keys = fl_ini_keys(ini, group);
    for (guint k = 0; keys[k]; k++) {
      const char *value = fl_ini_get(ini, group, keys[k]);
      for (const char *p = value ? value : ""; *p; p++)
        if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f) {
          fail(error, FL_SCENARIO_ERROR_SYNTAX, ini->name, fl_ini_line(ini, group, keys[k]),
               "the value of '%s' in [%s] holds control character 0x%02x (from an escape "
               "like \\n); write the value on one line without escapes", keys[k], group,
               (unsigned)*p);
          return NULL;
        }
    }
  }
  return g_steal_pointer(&ini);
}

const char *
fl_ini_name(const FlIni *ini)
{
  return ini->name;
}

const char *const *
fl_ini_groups(const FlIni *ini)
{
  return (const char *const *)ini->groups->pdata;
}

const char *const *
fl_ini_keys(const FlIni *ini, const char *group)
{
  GPtrArray *keys = g_hash_table_lookup(ini->keys, group);
  return keys ? (const char *const *)keys->pdata : NULL;
}

const char *
fl_ini_get(const FlIni *ini, const char *group, const char *key)
{
  g_autofree char *lk = line_key(group, key);
  const char *cached = g_hash_table_lookup(ini->values, lk);
  if (cached)
    return cached;
  if (!g_hash_table_contains(ini->lines, lk))
    return NULL;
  char *value = g_key_file_get_string(ini->keyfile, group, key, NULL);
  if (value == NULL) /* an invalid escape: fall back to the raw text */
    value = g_key_file_get_value(ini->keyfile, group, key, NULL);
  if (value == NULL)
    return NULL;
  g_strstrip(value);
  g_hash_table_insert(((FlIni *)ini)->values, g_steal_pointer(&lk), value);
  return value;
}

guint
fl_ini_line(const FlIni *ini, const char *group, const char *key)
{
  g_autofree char *lk = line_key(group, key);
  return GPOINTER_TO_UINT(g_hash_table_lookup(ini->lines, lk));
}

const char *
fl_ini_group_file(const FlIni *ini, const char *group)
{
  const char *file = group ? g_hash_table_lookup(ini->group_file, group) : NULL;
  return file ? file : ini->name;
}

gboolean
fl_ini_merge(FlIni *dest, const FlIni *src, const char *skip_group, GError **error)
{
  const char *const *groups = fl_ini_groups(src);
  for (guint g = 0; groups[g]; g++) {
    const char *group = groups[g];
    if (skip_group && strcmp(group, skip_group) == 0)
      continue;
    if (g_hash_table_contains(dest->keys, group))
      return fail(error, FL_SCENARIO_ERROR_DUPLICATE, fl_ini_group_file(src, group),
                  fl_ini_line(src, group, NULL),
                  "group [%s] is already defined in %s:%u; an included file may not redefine "
                  "a group: rename one of them or include only one", group,
                  fl_ini_group_file(dest, group), fl_ini_line(dest, group, NULL));
  }
  for (guint g = 0; groups[g]; g++) {
    const char *group = groups[g];
    if (skip_group && strcmp(group, skip_group) == 0)
      continue;
    const char *const *keys = fl_ini_keys(src, group);
    GPtrArray *copy = g_ptr_array_new_with_free_func(g_free);
    for (guint k = 0; keys[k]; k++) {
      g_ptr_array_add(copy, g_strdup(keys[k]));
      char *lk = line_key(group, keys[k]);
      g_hash_table_insert(dest->lines, g_strdup(lk),
                          GUINT_TO_POINTER(fl_ini_line(src, group, keys[k])));
      /* The values live in src's key file; the cache makes fl_ini_get find them here. */
      g_hash_table_insert(dest->values, lk, g_strdup(fl_ini_get(src, group, keys[k])));
    }
    g_ptr_array_add(copy, NULL);
    g_hash_table_insert(dest->keys, g_strdup(group), copy);
    g_hash_table_insert(dest->lines, g_strdup(group),
                        GUINT_TO_POINTER(fl_ini_line(src, group, NULL)));
    g_hash_table_insert(dest->group_file, g_strdup(group),
                        g_strdup(fl_ini_group_file(src, group)));
    /* Keep the NULL terminator last. */
    g_ptr_array_insert(dest->groups, (gint)dest->groups->len - 1, g_strdup(group));
  }
  return TRUE;
}
