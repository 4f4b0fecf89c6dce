/* cli.h - the command line's commands.
 *
 * Owns: one handler per command (cmd_<name>.c), each returning a process exit code from
 * errors.h. main.c holds the {name, handler} table; handlers parse their own options.
 * Only this layer prints to the terminal or maps errors to exit codes.
 */
#ifndef FAULTLINE_CLI_H
#define FAULTLINE_CLI_H

#include <glib.h>

typedef int (*FlCommandFunc)(int argc, char **argv);

typedef struct {
  const char *name;
  FlCommandFunc run;
  const char *summary;     /* one line for `faultline help` */
  const char *usage;       /* parameter string for --help */
} FlCommand;

int fl_cmd_run(int argc, char **argv);
int fl_cmd_check(int argc, char **argv);
int fl_cmd_help(int argc, char **argv);

/* The command table (NULL-name terminated) and lookup. */
const FlCommand *fl_commands(void);
const FlCommand *fl_command_find(const char *name);

/* Prints "faultline: <message>" on stderr and returns the exit code for @error. */
int fl_cli_fail(const char *command, const GError *error);

#endif
