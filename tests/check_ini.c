/* check_ini.c - the key-file layer: order, lines, comments, line endings, every way the text
 * can be malformed, and merging one file's groups into another's (fl_ini_merge, ini.h). */
#include "config.h"

#include "faultline/ini.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "faultline/errors.h"

/* ---- helpers ---- */

static FlIni *
parse_ok(const char *text)
{
  g_autoptr(GError) error = NULL;
  FlIni *ini = fl_ini_parse(text, strlen(text), "test.ini", &error);
  ck_assert_msg(ini != NULL, "unexpected error: %s", error ? error->message : "?");
  ck_assert_ptr_null(error);
  return ini;
}

/* Parses @length bytes that must fail with FL_SCENARIO_ERROR @code and a message containing
 * every string of @needles (NULL-terminated). */
static void
expect_error_len(const char *text, gsize length, int code, const char *const *needles)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlIni) ini = fl_ini_parse(text, length, "test.ini", &error);
  ck_assert_msg(ini == NULL, "parsed but should have failed: %s", text);
  ck_assert_ptr_nonnull(error);
  ck_assert_msg(error->domain == FL_SCENARIO_ERROR, "domain %s", g_quark_to_string(error->domain));
  ck_assert_msg(error->code == code, "code %d, expected %d: %s", error->code, code,
                error->message);
  for (guint i = 0; needles[i]; i++)
    ck_assert_msg(strstr(error->message, needles[i]) != NULL, "'%s' not in message: %s",
                  needles[i], error->message);
}

#define EXPECT_ERROR(text, code, ...)                                                           \
  expect_error_len((text), strlen(text), (code), (const char *const[]){ __VA_ARGS__, NULL })

static guint
count(const char *const *v)
{
  guint n = 0;
  while (v[n])
    n++;
  return n;
}

/* ---- structure ---- */

START_TEST(test_groups_and_keys_in_file_order)
{
  g_autoptr(FlIni) ini = parse_ok("[zeta]\n"
                                  "b = 1\n"
                                  "a = 2\n"
                                  "c = 3\n"
                                  "\n"
                                  "[alpha]\n"
                                  "z = 4\n"
                                  "y = 5\n"
                                  "[mid]\n");
  ck_assert_str_eq(fl_ini_name(ini), "test.ini");
  const char *const *groups = fl_ini_groups(ini);
  ck_assert_uint_eq(count(groups), 3);
  ck_assert_str_eq(groups[0], "zeta");
  ck_assert_str_eq(groups[1], "alpha");
  ck_assert_str_eq(groups[2], "mid");
  const char *const *keys = fl_ini_keys(ini, "zeta");
  ck_assert_uint_eq(count(keys), 3);
  ck_assert_str_eq(keys[0], "b");
  ck_assert_str_eq(keys[1], "a");
  ck_assert_str_eq(keys[2], "c");
  keys = fl_ini_keys(ini, "alpha");
  ck_assert_uint_eq(count(keys), 2);
  ck_assert_str_eq(keys[0], "z");
  ck_assert_str_eq(keys[1], "y");
  ck_assert_uint_eq(count(fl_ini_keys(ini, "mid")), 0); /* a group with no keys */
  ck_assert_ptr_null(fl_ini_keys(ini, "nope"));
  ck_assert_str_eq(fl_ini_get(ini, "zeta", "a"), "2");
  ck_assert_str_eq(fl_ini_get(ini, "alpha", "y"), "5");
  ck_assert_ptr_null(fl_ini_get(ini, "alpha", "b"));
  ck_assert_ptr_null(fl_ini_get(ini, "nope", "b"));
}
END_TEST

START_TEST(test_line_numbers)
{
  g_autoptr(FlIni) ini = parse_ok("# a comment on line 1\n"
                                  "\n"
                                  "[one]\n"          /* 3 */
                                  "  key = value\n"  /* 4 */
                                  "; another comment\n"
                                  "\n"
                                  "  [two]  \n"      /* 7 */
                                  "other=x\n");      /* 8 */
  ck_assert_uint_eq(fl_ini_line(ini, "one", NULL), 3);
  ck_assert_uint_eq(fl_ini_line(ini, "one", "key"), 4);
  ck_assert_uint_eq(fl_ini_line(ini, "two", NULL), 7);
  ck_assert_uint_eq(fl_ini_line(ini, "two", "other"), 8);
  ck_assert_uint_eq(fl_ini_line(ini, "two", "key"), 0);
  ck_assert_uint_eq(fl_ini_line(ini, "three", NULL), 0);
  ck_assert_str_eq(fl_ini_get(ini, "one", "key"), "value");
}
END_TEST

START_TEST(test_values_trimmed_and_empty)
{
  g_autoptr(FlIni) ini = parse_ok("[g]\n"
                                  "spaced   =    a b  c   \n"
                                  "tabbed\t=\tv\t\n"
                                  "empty =\n"
                                  "eq = x=y\n"
                                  "escape = a\\tb\n");
  ck_assert_str_eq(fl_ini_get(ini, "g", "spaced"), "a b  c");
  ck_assert_str_eq(fl_ini_get(ini, "g", "tabbed"), "v");
  ck_assert_str_eq(fl_ini_get(ini, "g", "empty"), "");
  ck_assert_str_eq(fl_ini_get(ini, "g", "eq"), "x=y"); /* only the first '=' splits */
  ck_assert_str_eq(fl_ini_get(ini, "g", "escape"), "a\tb"); /* GKeyFile escapes processed */
  /* Asking twice gives the same (cached) string. */
  ck_assert_ptr_eq(fl_ini_get(ini, "g", "spaced"), fl_ini_get(ini, "g", "spaced"));
}
END_TEST

/* ---- comments ---- */

START_TEST(test_inline_comments)
{
  g_autoptr(FlIni) ini = parse_ok("[g]   # a comment after a header\n"
                                  "a = value   # comment\n"
                                  "b = a#b\n"
                                  "c = x\t# tab before the hash\n"
                                  "d = one # two # three\n"
                                  "e = # only a comment\n"
                                  "f = 50%#not a comment\n"
                                  "h =#tight\n");
  ck_assert_str_eq(fl_ini_get(ini, "g", "a"), "value");
  ck_assert_str_eq(fl_ini_get(ini, "g", "b"), "a#b"); /* '#' not after whitespace: kept */
  ck_assert_str_eq(fl_ini_get(ini, "g", "c"), "x");
  ck_assert_str_eq(fl_ini_get(ini, "g", "d"), "one"); /* from the first comment on */
  ck_assert_str_eq(fl_ini_get(ini, "g", "e"), ""); /* the blank after '=' counts */
  ck_assert_str_eq(fl_ini_get(ini, "g", "h"), "#tight"); /* no blank before '#': a value */
  ck_assert_str_eq(fl_ini_get(ini, "g", "f"), "50%#not a comment");
  ck_assert_uint_eq(count(fl_ini_groups(ini)), 1);
  ck_assert_str_eq(fl_ini_groups(ini)[0], "g");
}
END_TEST

START_TEST(test_whole_line_comments)
{
  g_autoptr(FlIni) ini = parse_ok("# top\n"
                                  "; semicolon too\n"
                                  "[g]\n"
                                  "   # indented comment with = sign\n"
                                  "\t; and [brackets]\n"
                                  "k = v\n"
                                  "#k2 = commented out\n");
  ck_assert_uint_eq(count(fl_ini_groups(ini)), 1);
  ck_assert_uint_eq(count(fl_ini_keys(ini, "g")), 1);
  ck_assert_str_eq(fl_ini_get(ini, "g", "k"), "v");
  ck_assert_ptr_null(fl_ini_get(ini, "g", "#k2"));
  ck_assert_uint_eq(fl_ini_line(ini, "g", "k"), 6);
}
END_TEST

/* ---- line endings and names ---- */

START_TEST(test_crlf)
{
  g_autoptr(FlIni) ini = parse_ok("[g]\r\n"
                                  "a = 1\r\n"
                                  "b = two words   # c\r\n"
                                  "\r\n"
                                  "[h]\r\n"
                                  "c = 3"); /* no final newline */
  ck_assert_str_eq(fl_ini_get(ini, "g", "a"), "1");
  ck_assert_str_eq(fl_ini_get(ini, "g", "b"), "two words");
  ck_assert_str_eq(fl_ini_get(ini, "h", "c"), "3");
  ck_assert_str_eq(fl_ini_groups(ini)[1], "h");
  ck_assert_uint_eq(fl_ini_line(ini, "h", "c"), 6);
}
END_TEST

START_TEST(test_group_names_fold_blanks)
{
  g_autoptr(FlIni) ini = parse_ok("[  region   us-east-1 ]\n"
                                  "zones = 3\n"
                                  "[failure\t\tzone-outage]\n"
                                  "target = zone\n");
  const char *const *groups = fl_ini_groups(ini);
  ck_assert_str_eq(groups[0], "region us-east-1");
  ck_assert_str_eq(groups[1], "failure zone-outage");
  ck_assert_str_eq(fl_ini_get(ini, "region us-east-1", "zones"), "3");
  ck_assert_uint_eq(fl_ini_line(ini, "failure zone-outage", "target"), 4);
}
END_TEST

START_TEST(test_utf8_values)
{
  g_autoptr(FlIni) ini = parse_ok("[scenario]\nname = Zürich → Genève\n");
  ck_assert_str_eq(fl_ini_get(ini, "scenario", "name"), "Zürich → Genève");
}
END_TEST

/* ---- errors ---- */

START_TEST(test_duplicate_group)
{
  EXPECT_ERROR("[a]\nx = 1\n\n[b]\n[a]\n", FL_SCENARIO_ERROR_DUPLICATE, "[a]", "line 1",
               "test.ini:5");
  /* Blank-folded names are the same group. */
  EXPECT_ERROR("[region  a]\n[region a]\n", FL_SCENARIO_ERROR_DUPLICATE, "[region a]",
               "line 1", "test.ini:2");
}
END_TEST

START_TEST(test_duplicate_key)
{
  EXPECT_ERROR("[g]\nk = 1\nother = 2\nk = 3\n", FL_SCENARIO_ERROR_DUPLICATE, "'k'", "[g]",
               "line 2", "test.ini:4");
  /* The same key in two different groups is fine. */
  g_autoptr(FlIni) ini = parse_ok("[g]\nk = 1\n[h]\nk = 2\n");
  ck_assert_str_eq(fl_ini_get(ini, "h", "k"), "2");
}
END_TEST

START_TEST(test_key_before_group)
{
  EXPECT_ERROR("# comment\nzones = 3\n[region a]\n", FL_SCENARIO_ERROR_SYNTAX, "zones",
               "before any group", "test.ini:2");
}
END_TEST

START_TEST(test_not_key_value)
{
  EXPECT_ERROR("[g]\nk = 1\njust some words\n", FL_SCENARIO_ERROR_SYNTAX, "just some words",
               "key = value", "test.ini:3");
  EXPECT_ERROR("[g]\n= value\n", FL_SCENARIO_ERROR_SYNTAX, "test.ini:2"); /* empty key */
  EXPECT_ERROR("[g]\nmy key = v\n", FL_SCENARIO_ERROR_SYNTAX, "my key", "[g]", "test.ini:2");
}
END_TEST

/* A line over FL_INI_MAX_LINE is refused with a message that does not quote it; one at the cap
 * parses. */
START_TEST(test_long_line)
{
  GString *t = g_string_new("[g]\nk = ");
  while (t->len < 4 + FL_INI_MAX_LINE)
    g_string_append_c(t, 'x');
  g_autoptr(FlIni) ok = parse_ok(t->str);
  g_string_append(t, "xx\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(FlIni) ini = fl_ini_parse(t->str, t->len, "test.ini", &error);
  ck_assert_ptr_null(ini);
  ck_assert_int_eq(error->code, FL_SCENARIO_ERROR_SYNTAX);
  ck_assert_msg(strstr(error->message, "test.ini:2") && strstr(error->message, "the most is 4096"),
                "%s", error->message);
  ck_assert_uint_lt(strlen(error->message), 300);
  g_string_free(t, TRUE);
}
END_TEST

START_TEST(test_unterminated_header)
{
  EXPECT_ERROR("[g]\nk = 1\n[region a\n", FL_SCENARIO_ERROR_SYNTAX, "[region a", "']'",
               "test.ini:3");
}
END_TEST

START_TEST(test_text_after_header)
{
  EXPECT_ERROR("[region a] zones = 3\n", FL_SCENARIO_ERROR_SYNTAX, "zones = 3",
               "after group header", "test.ini:1");
  EXPECT_ERROR("[g]\n[]\n", FL_SCENARIO_ERROR_SYNTAX, "test.ini:2"); /* empty name */
}
END_TEST

START_TEST(test_empty_file)
{
  EXPECT_ERROR("", FL_SCENARIO_ERROR_SYNTAX, "test.ini", "empty");
}
END_TEST

START_TEST(test_whitespace_only_file)
{
  EXPECT_ERROR("  \n\t\r\n\n   ", FL_SCENARIO_ERROR_SYNTAX, "test.ini", "empty");
}
END_TEST

START_TEST(test_comment_only_file)
{
  /* Only comments: valid text, no groups. The layer accepts it; scenario.c then reports the
   * missing [region] and [service] groups. */
  g_autoptr(FlIni) ini = parse_ok("# nothing here\n; nor here\n");
  ck_assert_uint_eq(count(fl_ini_groups(ini)), 0);
}
END_TEST

START_TEST(test_binary_file)
{
  static const char data[] = "[g]\nk = v\0\x01\x02\n";
  expect_error_len(data, sizeof data - 1, FL_SCENARIO_ERROR_SYNTAX,
                   (const char *const[]){ "test.ini", "not a text file", NULL });
}
END_TEST

START_TEST(test_invalid_utf8)
{
  EXPECT_ERROR("[g]\nname = caf\xe9\n", FL_SCENARIO_ERROR_SYNTAX, "test.ini", "UTF-8");
}
END_TEST

/* ---- merging (include =) ---- */

static FlIni *
parse_named(const char *text, const char *name)
{
  g_autoptr(GError) error = NULL;
  FlIni *ini = fl_ini_parse(text, strlen(text), name, &error);
  ck_assert_msg(ini != NULL, "unexpected error: %s", error ? error->message : "?");
  return ini;
}

START_TEST(test_merge_appends_groups_with_their_places)
{
  g_autoptr(FlIni) dest = parse_named("[scenario]\n"
                                      "include = b.ini\n"
                                      "[region a]\n"
                                      "zones = 2\n",
                                      "main.ini");
  g_autoptr(FlIni) src = parse_named("# an included file\n"
                                     "[scenario]\n"
                                     "include = c.ini\n"
                                     "\n"
                                     "[hazard h]\n"
                                     "kind = shock   # inline comment\n"
                                     "rate = 0.5/y\n"
                                     "[region b]\n"
                                     "zones = 3\n",
                                     "b.ini");
  g_autoptr(GError) error = NULL;
  ck_assert(fl_ini_merge(dest, src, "scenario", &error));
  ck_assert_ptr_null(error);
  /* dest's groups first, then src's in its order, the skipped group left out. */
  const char *const *groups = fl_ini_groups(dest);
  ck_assert_uint_eq(count(groups), 4);
  ck_assert_str_eq(groups[0], "scenario");
  ck_assert_str_eq(groups[1], "region a");
  ck_assert_str_eq(groups[2], "hazard h");
  ck_assert_str_eq(groups[3], "region b");
  /* dest's [scenario] is its own: src's include did not replace it. */
  ck_assert_str_eq(fl_ini_get(dest, "scenario", "include"), "b.ini");
  /* Values as src read them (comment stripped), keys in order, lines of src. */
  ck_assert_str_eq(fl_ini_get(dest, "hazard h", "kind"), "shock");
  ck_assert_str_eq(fl_ini_get(dest, "hazard h", "rate"), "0.5/y");
  ck_assert_ptr_null(fl_ini_get(dest, "hazard h", "hits"));
  const char *const *keys = fl_ini_keys(dest, "hazard h");
  ck_assert_uint_eq(count(keys), 2);
  ck_assert_str_eq(keys[0], "kind");
  ck_assert_str_eq(keys[1], "rate");
  ck_assert_uint_eq(fl_ini_line(dest, "hazard h", NULL), 5);
  ck_assert_uint_eq(fl_ini_line(dest, "hazard h", "rate"), 7);
  ck_assert_uint_eq(fl_ini_line(dest, "region b", "zones"), 9);
  ck_assert_uint_eq(fl_ini_line(dest, "region a", "zones"), 4);
  /* Each group names the file it came from; dest's own and NULL name dest. */
  ck_assert_str_eq(fl_ini_group_file(dest, "hazard h"), "b.ini");
  ck_assert_str_eq(fl_ini_group_file(dest, "region b"), "b.ini");
  ck_assert_str_eq(fl_ini_group_file(dest, "region a"), "main.ini");
  ck_assert_str_eq(fl_ini_group_file(dest, NULL), "main.ini");
  ck_assert_str_eq(fl_ini_name(dest), "main.ini");
}
END_TEST

START_TEST(test_merge_keeps_nested_provenance)
{
  /* c.ini merged into b.ini, then b.ini into main.ini: c's group still names c.ini. */
  g_autoptr(FlIni) a = parse_named("[region a]\nzones = 1\n", "main.ini");
  g_autoptr(FlIni) b = parse_named("[region b]\nzones = 1\n", "b.ini");
  g_autoptr(FlIni) c = parse_named("\n\n[region c]\nzones = 1\n", "c.ini");
  ck_assert(fl_ini_merge(b, c, NULL, NULL));
  ck_assert(fl_ini_merge(a, b, NULL, NULL));
  ck_assert_str_eq(fl_ini_group_file(a, "region b"), "b.ini");
  ck_assert_str_eq(fl_ini_group_file(a, "region c"), "c.ini");
  ck_assert_uint_eq(fl_ini_line(a, "region c", NULL), 3);
  ck_assert_str_eq(fl_ini_get(a, "region c", "zones"), "1");
  ck_assert_uint_eq(count(fl_ini_groups(a)), 3);
}
END_TEST

START_TEST(test_merge_redefined_group)
{
  g_autoptr(FlIni) dest = parse_named("[region a]\nzones = 2\n\n[region b]\nzones = 1\n",
                                      "main.ini");
  g_autoptr(FlIni) src = parse_named("[hazard new]\nkind = shock\n\n[region b]\nzones = 3\n",
                                     "inc.ini");
  g_autoptr(GError) error = NULL;
  ck_assert(!fl_ini_merge(dest, src, "scenario", &error));
  ck_assert_ptr_nonnull(error);
  ck_assert(g_error_matches(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_DUPLICATE));
  /* Both places: the redefinition (inc.ini:4) and the first definition (main.ini:4). */
  ck_assert_msg(strstr(error->message, "[region b]") != NULL, "%s", error->message);
  ck_assert_msg(strstr(error->message, "inc.ini:4") != NULL, "%s", error->message);
  ck_assert_msg(strstr(error->message, "main.ini:4") != NULL, "%s", error->message);
  /* dest is unchanged: not even the groups before the conflict went in. */
  ck_assert_uint_eq(count(fl_ini_groups(dest)), 2);
  ck_assert_ptr_null(fl_ini_keys(dest, "hazard new"));
  ck_assert_str_eq(fl_ini_get(dest, "region b", "zones"), "1");
}
END_TEST

START_TEST(test_merge_skip_group)
{
  /* Both have [scenario]: skipped, no conflict. Without a skip group it conflicts. */
  g_autoptr(FlIni) dest = parse_named("[scenario]\nseed = 1\n", "main.ini");
  g_autoptr(FlIni) src = parse_named("[scenario]\ninclude = x.ini\n[region r]\n", "inc.ini");
  g_autoptr(GError) error = NULL;
  ck_assert(!fl_ini_merge(dest, src, NULL, &error));
  ck_assert(g_error_matches(error, FL_SCENARIO_ERROR, FL_SCENARIO_ERROR_DUPLICATE));
  ck_assert_uint_eq(count(fl_ini_groups(dest)), 1);
  ck_assert(fl_ini_merge(dest, src, "scenario", NULL));
  ck_assert_uint_eq(count(fl_ini_groups(dest)), 2);
  ck_assert_str_eq(fl_ini_groups(dest)[1], "region r");
  ck_assert_uint_eq(count(fl_ini_keys(dest, "region r")), 0);
  ck_assert_ptr_null(fl_ini_get(dest, "scenario", "include"));
}
END_TEST

static Suite *
ini_suite(void)
{
  Suite *s = suite_create("ini");
  TCase *tc = tcase_create("structure");
  tcase_add_test(tc, test_groups_and_keys_in_file_order);
  tcase_add_test(tc, test_line_numbers);
  tcase_add_test(tc, test_values_trimmed_and_empty);
  tcase_add_test(tc, test_inline_comments);
  tcase_add_test(tc, test_whole_line_comments);
  tcase_add_test(tc, test_crlf);
  tcase_add_test(tc, test_group_names_fold_blanks);
  tcase_add_test(tc, test_utf8_values);
  tcase_add_test(tc, test_comment_only_file);
  suite_add_tcase(s, tc);

  tc = tcase_create("errors");
  tcase_add_test(tc, test_duplicate_group);
  tcase_add_test(tc, test_duplicate_key);
  tcase_add_test(tc, test_key_before_group);
  tcase_add_test(tc, test_not_key_value);
  tcase_add_test(tc, test_long_line);
  tcase_add_test(tc, test_unterminated_header);
  tcase_add_test(tc, test_text_after_header);
  tcase_add_test(tc, test_empty_file);
  tcase_add_test(tc, test_whitespace_only_file);
  tcase_add_test(tc, test_binary_file);
  tcase_add_test(tc, test_invalid_utf8);
  suite_add_tcase(s, tc);

  tc = tcase_create("merge");
  tcase_add_test(tc, test_merge_appends_groups_with_their_places);
  tcase_add_test(tc, test_merge_keeps_nested_provenance);
  tcase_add_test(tc, test_merge_redefined_group);
  tcase_add_test(tc, test_merge_skip_group);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(ini_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
