/* jsonout.h - writing JSON that every parser accepts.
 *
 * Owns: the two places where json-glib's output is not valid JSON as it stands. A double that
 * is not finite has no JSON form (json-glib writes nan.0); and json-glib 1.6 appends ".0" to
 * any double its shortest form prints without a '.', exponents included, so 1e-13 comes out
 * as 1e-13.0, which JSON does not allow. Reports and timelines build with json-glib and go
 * through here.
 */
#ifndef FAULTLINE_JSONOUT_H
#define FAULTLINE_JSONOUT_H

#include <json-glib/json-glib.h>

/* Adds @v as the next array element or member value: a number, or null when not finite. */
void fl_json_add_number(JsonBuilder *builder, double v);

/* @root as JSON text (transfer full), pretty-printed or on one line, with numbers json-glib
 * would write as 1e-13.0 written as 1e-13. */
char *fl_json_to_text(JsonNode *root, gboolean pretty);

#endif
