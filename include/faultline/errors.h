/* errors.h - error domains and the exit codes of the command line.
 *
 * Owns: the GError domains (one per subsystem, codes from 1) and the documented exit codes.
 * Exit codes are a public contract: never renumber or reuse one (see README "Exit codes").
 */
#ifndef FAULTLINE_ERRORS_H
#define FAULTLINE_ERRORS_H

#include <glib.h>

/* Process exit codes. */
enum {
  FL_EXIT_OK = 0,        /* success */
  FL_EXIT_RUNTIME = 1,   /* I/O failure, interrupted run */
  FL_EXIT_USAGE = 2,     /* bad command line or bad scenario */
};

/* A scenario (or a value inside one) is malformed. Always exit code 2. */
#define FL_SCENARIO_ERROR (fl_scenario_error_quark())
GQuark fl_scenario_error_quark(void);
typedef enum {
  FL_SCENARIO_ERROR_SYNTAX = 1,    /* not a key file, binary, empty */
  FL_SCENARIO_ERROR_UNKNOWN,       /* unknown group kind or key */
  FL_SCENARIO_ERROR_DUPLICATE,     /* a group or key given twice */
  FL_SCENARIO_ERROR_MISSING,       /* a required group or key is missing */
  FL_SCENARIO_ERROR_VALUE,         /* a value does not parse or is out of range */
  FL_SCENARIO_ERROR_REFERENCE,     /* names a region, zone or group that does not exist */
  FL_SCENARIO_ERROR_IMPOSSIBLE,    /* well-formed but cannot be satisfied (needs > capacity) */
  FL_SCENARIO_ERROR_IO,            /* cannot read the file (or a file it names) */
} FlScenarioErrorCode;

/* A run failed for a reason that is not the input's fault. Exit code 1. */
#define FL_RUN_ERROR (fl_run_error_quark())
GQuark fl_run_error_quark(void);
typedef enum {
  FL_RUN_ERROR_IO = 1,         /* cannot write a report */
  FL_RUN_ERROR_INTERRUPTED,    /* SIGINT/SIGTERM during the run */
} FlRunErrorCode;

/* Maps an error to the exit code the command line must return for it. */
int fl_exit_code_for_error(const GError *error);

#endif
