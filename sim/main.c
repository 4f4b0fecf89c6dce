/* main.c - faultline's entry point: find the command, run its handler.
 *
 * Reading order for newcomers: this file, then cmd_run.c (the main job), montecarlo.c (threads),
 * model.c (the cloud), engine.c (the event queue). See README "File tour".
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "faultline/cli.h"
#include "faultline/errors.h"

static const FlCommand commands[] = {
  { "run", fl_cmd_run, "simulate a scenario and print its availability report",
    "SCENARIO - simulate a scenario (use - for standard input)" },
  { "check", fl_cmd_check, "validate a scenario and summarise its model",
    "SCENARIO - validate a scenario and summarise its model" },
  { "help", fl_cmd_help, "show help for faultline or one of its commands",
    "[COMMAND] - show help" },
  { NULL, NULL, NULL, NULL },
};

const FlCommand *
fl_commands(void)
{
  return commands;
}

const FlCommand *
fl_command_find(const char *name)
{
  for (const FlCommand *c = commands; c->name; c++)
    if (strcmp(c->name, name) == 0)
      return c;
  return NULL;
}

int
fl_cli_fail(const char *command, const GError *error)
{
  /* Messages start in lowercase (STYLE rule 10), GLib's option errors included. */
  g_autofree char *msg = g_strdup(error->message);
  if (error->domain == G_OPTION_ERROR && g_ascii_isupper(msg[0]) && !g_ascii_isupper(msg[1]))
    msg[0] = g_ascii_tolower(msg[0]);
  if (command)
    fprintf(stderr, "faultline %s: %s\n", command, msg);
  else
    fprintf(stderr, "faultline: %s\n", msg);
  return fl_exit_code_for_error(error);
}

int
main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  if (argc < 2) {
    fprintf(stderr, "faultline: missing command; usage: faultline run|check|help ... "
                    "(try 'faultline help')\n");
    return FL_EXIT_USAGE;
  }
  const char *name = argv[1];
  if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
    printf("faultline %s\n", PACKAGE_VERSION);
    return FL_EXIT_OK;
  }
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
    return fl_cmd_help(1, (char *[]){ "help", NULL });
  const FlCommand *cmd = fl_command_find(name);
  if (cmd == NULL) {
    fprintf(stderr, "faultline: unknown command '%s'; commands are run, check and help "
                    "(try 'faultline help')\n", name);
    return FL_EXIT_USAGE;
  }
  return cmd->run(argc - 1, argv + 1);
}
