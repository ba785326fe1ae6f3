/*
 * The command line: subcommands over one option table (flags and DESK_*
 * variables). main() only dispatches here.
 */
#ifndef DESK_CLI_CLI_H
#define DESK_CLI_CLI_H

#define DESK_VERSION "0.1.0"

/* Runs "desk <argv...>"; returns the process exit status (0, 1 failure, 2 usage). */
int desk_cli_main(int argc, char **argv);

#endif
