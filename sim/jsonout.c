/* jsonout.c - writing JSON that every parser accepts. See jsonout.h. */
#include "config.h"

#include "faultline/jsonout.h"

#include <math.h>

void
fl_json_add_number(JsonBuilder *b, double v)
{
  if (isfinite(v))
    json_builder_add_double_value(b, v);
  else
    json_builder_add_null_value(b);
}

/* Drops the ".0" json-glib puts after an exponent ("1e-13.0"), outside strings. A hand-written
 * pass because no json-glib setting controls how it writes doubles. */
static void
fix_exponents(char *text)
{
  char *out = text;
  gboolean in_string = FALSE;
  for (const char *p = text; *p; p++) {
    *out++ = *p;
    if (in_string) {
      if (*p == '\\' && p[1] != '\0')
        *out++ = *++p; /* an escaped character, '"' included */
      else if (*p == '"')
        in_string = FALSE;
      continue;
    }
    if (*p == '"') {
      in_string = TRUE;
      continue;
    }
    if ((*p == 'e' || *p == 'E') && p > text && g_ascii_isdigit(p[-1])) {
      const char *q = p + 1;
      if (*q == '+' || *q == '-')
        q++;
      const char *digits = q;
      while (g_ascii_isdigit(*q))
        q++;
      if (q > digits && q[0] == '.' && q[1] == '0' && !g_ascii_isdigit(q[2])) {
        for (const char *c = p + 1; c < q; c++)
          *out++ = *c;
        p = q + 1; /* past ".0" */
      }
    }
  }
  *out = '\0';
}

char *
fl_json_to_text(JsonNode *root, gboolean pretty)
{
  g_autoptr(JsonGenerator) gen = json_generator_new();
  json_generator_set_root(gen, root);
  json_generator_set_pretty(gen, pretty);
  char *text = json_generator_to_data(gen, NULL);
  fix_exponents(text);
  return text;
}
