/* errors.c - error domains and their exit codes. */
#include "config.h"

#include "faultline/errors.h"

G_DEFINE_QUARK(faultline-scenario-error-quark, fl_scenario_error)
G_DEFINE_QUARK(faultline-run-error-quark, fl_run_error)

int
fl_exit_code_for_error(const GError *error)
{
  if (error == NULL)
    return FL_EXIT_OK;
  if (error->domain == FL_SCENARIO_ERROR)
    return FL_EXIT_USAGE;
  if (error->domain == G_OPTION_ERROR)
    return FL_EXIT_USAGE;
  return FL_EXIT_RUNTIME;
}
