/* cmd_help.c - `faultline help [COMMAND]`. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "faultline/cli.h"
#include "faultline/errors.h"

int
fl_cmd_help(int argc, char **argv)
{
  if (argc >= 2 && strcmp(argv[1], "--help") != 0 && strcmp(argv[1], "-h") != 0) {
    const FlCommand *cmd = fl_command_find(argv[1]);
    if (cmd == NULL) {
      fprintf(stderr, "faultline help: unknown command '%s'; commands are run, check and help\n",
              argv[1]);
      return FL_EXIT_USAGE;
    }
    char *sub[] = { (char *)cmd->name, (char *)"--help", NULL };
    return cmd->run(2, sub);
  }
  printf("faultline %s - resilience simulator for regions, zones and their failures\n\n",
         PACKAGE_VERSION);
  printf("Usage: faultline COMMAND [OPTIONS]\n\nCommands:\n");
  for (const FlCommand *c = fl_commands(); c->name; c++)
    printf("  %-8s %s\n", c->name, c->summary);
  printf("\nOptions:\n  --version  print the version\n  --help     print this help\n");
  printf("\nRun 'faultline help COMMAND' or 'faultline COMMAND --help' for a command's options.\n"
         "Exit codes: 0 success, 1 runtime failure or interrupted, 2 bad usage or scenario.\n");
  return FL_EXIT_OK;
}
