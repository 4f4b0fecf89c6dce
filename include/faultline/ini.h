/* ini.h - the key-file layer under the scenario language.
 *
 * Owns: reading a scenario's bytes into a GKeyFile while keeping what GKeyFile throws away:
 * the line of every group and key (for error messages), inline comments (whitespace then '#',
 * which GKeyFile would keep as part of the value), and duplicate groups or keys (which
 * GKeyFile silently merges). It knows nothing about what the groups mean; scenario.c does.
 *
 * Invariants: group and key order is the file's order; every group and key is unique.
 */
#ifndef FAULTLINE_INI_H
#define FAULTLINE_INI_H

#include <glib.h>

typedef struct FlIni FlIni;

/* The longest line a scenario may have, in bytes (messages quote lines and values). */
#define FL_INI_MAX_LINE 4096u

/* Parses @length bytes of @data; @display_name names the source in messages (a path, or
 * "<stdin>"). Rejects empty input, NUL bytes, invalid UTF-8, lines over FL_INI_MAX_LINE,
 * lines that are neither a group,
 * a key = value pair nor a comment, keys outside a group, and duplicate groups or keys, each
 * with FL_SCENARIO_ERROR and the line number. Returns a new FlIni (transfer full) or NULL. */
FlIni *fl_ini_parse(const char *data, gsize length, const char *display_name, GError **error);

void fl_ini_free(FlIni *ini);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FlIni, fl_ini_free)

/* The display name given to fl_ini_parse (transfer none). */
const char *fl_ini_name(const FlIni *ini);

/* The display name of the file @group came from: @ini's own name, or that of the file it was
 * merged from (fl_ini_merge). NULL @group gives @ini's name. (transfer none) */
const char *fl_ini_group_file(const FlIni *ini, const char *group);

/* Appends every group of @src except @skip_group (nullable) to @dest, after @dest's groups,
 * keeping each group's and key's file and line for messages (scenario `include =`). A group
 * @dest already has is an error (FL_SCENARIO_ERROR_DUPLICATE naming both places) and leaves
 * @dest unchanged. */
gboolean fl_ini_merge(FlIni *dest, const FlIni *src, const char *skip_group, GError **error);

/* Groups in file order (transfer none; NULL-terminated). */
const char *const *fl_ini_groups(const FlIni *ini);

/* Keys of @group in file order (transfer none; NULL-terminated), or NULL if no such group. */
const char *const *fl_ini_keys(const FlIni *ini, const char *group);

/* The value of @key in @group with escapes processed, inline comment removed and whitespace
 * trimmed (transfer none), or NULL when absent. */
const char *fl_ini_get(const FlIni *ini, const char *group, const char *key);

/* Line (1-based) of @key in @group, or of the group header when @key is NULL; 0 if unknown. */
guint fl_ini_line(const FlIni *ini, const char *group, const char *key);

#endif
