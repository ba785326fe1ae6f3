/*
 * Command-line and environment options from one table: each option names
 * its flag, its DESK_* variable, its default and its help line, and where in
 * the caller's struct the parsed value goes. The same table drives parsing,
 * defaults and --help, so they cannot disagree.
 */
#ifndef DESK_CORE_OPT_H
#define DESK_CORE_OPT_H

#include <stddef.h>
#include <stdio.h>

enum desk_opt_kind { DESK_OPT_STR, DESK_OPT_INT, DESK_OPT_FLAG, DESK_OPT_LIST };

/* A repeatable option's values (DESK_OPT_LIST), borrowed from argv or the environment. */
#define DESK_OPT_LIST_MAX 64
struct desk_opt_list {
    const char *v[DESK_OPT_LIST_MAX];
    size_t n;
};

struct desk_opt {
    const char *name; /* flag without "--" */
    const char *env;  /* environment variable or NULL */
    const char *def;  /* default as text, NULL = none */
    enum desk_opt_kind kind;
    size_t offset; /* into the caller's struct: const char *, long, int or struct desk_opt_list */
    const char *help;
};

/*
 * Applies defaults, then the environment, then argv[0..argc) (which must not
 * include the subcommand). Positional arguments are stored in pos (up to
 * max_pos, borrowed from argv) and counted in *n_pos. Returns 0, or
 * DESK_EINVAL after printing "desk: <reason>" to err.
 */
int desk_opt_parse(const struct desk_opt *opts, size_t n_opts, void *dst, int argc, char **argv,
                   const char **pos, size_t max_pos, size_t *n_pos, FILE *err);

/* Prints one line per option: flag, variable, default, help. */
void desk_opt_usage(const struct desk_opt *opts, size_t n_opts, FILE *out);

#endif
