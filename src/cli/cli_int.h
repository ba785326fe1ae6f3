/*
 * Inside cli/: the parsed options every subcommand shares, and the
 * subcommands themselves.
 */
#ifndef DESK_CLI_CLI_INT_H
#define DESK_CLI_CLI_INT_H

#include "cli/cli.h"

#include <stddef.h>

struct cli_opts {
    const char *db;
    const char *listen;
    long io_threads;
    long workers;
    long max_body;
    int demo;
    const char *email;
    const char *name;
    const char *role;
    int password_stdin;
    const char *description;
    /* email in */
    /* email out */
    /* SLA */
    /* commitments */
    /* team */
    /* supervisor */
    /* concessions */
    long concession_sweep_ms;
    const char *currency;
    const char *amount;
    /* console */
    const char *log_level;
    int help;
};

/* Positional words after the subcommand (e.g. "create" in "desk user create"). */
struct cli_args {
    const char *pos[4];
    size_t n_pos;
};

int desk_cli_serve(const struct cli_opts *o, const struct cli_args *a);
int desk_cli_init(const struct cli_opts *o, const struct cli_args *a);
int desk_cli_user(const struct cli_opts *o, const struct cli_args *a);
int desk_cli_token(const struct cli_opts *o, const struct cli_args *a);
/* email in */
/* email out */
/* SLA */
/* commitments */
/* team */
/* supervisor */
/* concessions */
int desk_cli_concession_limit(const struct cli_opts *o, const struct cli_args *a);
/* console */

/* Loads the demo data set into an empty store. Returns 0 or a DESK_E* code. */
struct desk_app;
int desk_cli_demo_load(struct desk_app *app);

#endif
