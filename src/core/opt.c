/*
 * Option parsing driven by a table (see opt.h). Accepts "--name value",
 * "--name=value" and bare "--flag"; a list option may be repeated.
 */
#include "core/opt.h"
#include "core/error.h"
#include "core/str.h"

#include <stdlib.h>
#include <string.h>

static int set(const struct desk_opt *o, void *dst, const char *val, FILE *err)
{
    char *field = (char *)dst + o->offset;
    switch (o->kind) {
    case DESK_OPT_STR:
        memcpy(field, &val, sizeof(val));
        return 0;
    case DESK_OPT_INT: {
        int64_t v;
        if (desk_str_to_i64(val, strlen(val), &v)) {
            fprintf(err, "desk: --%s expects a whole number, not '%s'\n", o->name, val);
            return DESK_EINVAL;
        }
        long lv = (long)v;
        memcpy(field, &lv, sizeof(lv));
        return 0;
    }
    case DESK_OPT_FLAG: {
        int on = !(strcmp(val, "0") == 0 || strcmp(val, "false") == 0 || strcmp(val, "") == 0);
        memcpy(field, &on, sizeof(on));
        return 0;
    }
    case DESK_OPT_LIST: {
        struct desk_opt_list *l = (struct desk_opt_list *)(void *)field;
        if (l->n == DESK_OPT_LIST_MAX) {
            fprintf(err, "desk: --%s may be given at most %d times\n", o->name, DESK_OPT_LIST_MAX);
            return DESK_EINVAL;
        }
        l->v[l->n++] = val;
        return 0;
    }
    }
    return DESK_EINTERNAL;
}

int desk_opt_parse(const struct desk_opt *opts, size_t n_opts, void *dst, int argc, char **argv,
                   const char **pos, size_t max_pos, size_t *n_pos, FILE *err)
{
    *n_pos = 0;
    for (size_t i = 0; i < n_opts; i++) {
        const char *v = opts[i].def;
        const char *e = opts[i].env ? getenv(opts[i].env) : NULL;
        if (e && *e) {
            v = e;
        }
        if (v && set(&opts[i], dst, v, err)) {
            return DESK_EINVAL;
        }
    }
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
            if (*n_pos >= max_pos) {
                fprintf(err, "desk: unexpected argument '%s'\n", a);
                return DESK_EINVAL;
            }
            pos[(*n_pos)++] = a;
            continue;
        }
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
        const struct desk_opt *o = NULL;
        for (size_t k = 0; k < n_opts; k++) {
            if (strlen(opts[k].name) == nlen && memcmp(opts[k].name, name, nlen) == 0) {
                o = &opts[k];
                break;
            }
        }
        if (!o) {
            fprintf(err, "desk: unknown option '--%.*s' (see --help)\n", (int)nlen, name);
            return DESK_EINVAL;
        }
        const char *val;
        if (eq) {
            val = eq + 1;
        } else if (o->kind == DESK_OPT_FLAG) {
            val = "1";
        } else if (i + 1 < argc) {
            val = argv[++i];
        } else {
            fprintf(err, "desk: --%s needs a value\n", o->name);
            return DESK_EINVAL;
        }
        if (set(o, dst, val, err)) {
            return DESK_EINVAL;
        }
    }
    return 0;
}

void desk_opt_usage(const struct desk_opt *opts, size_t n_opts, FILE *out)
{
    for (size_t i = 0; i < n_opts; i++) {
        char flag[64];
        snprintf(flag, sizeof(flag), "--%s%s", opts[i].name,
                 opts[i].kind == DESK_OPT_FLAG   ? ""
                 : opts[i].kind == DESK_OPT_LIST ? " V..."
                                                 : " V");
        fprintf(out, "  %-22s %s", flag, opts[i].help);
        if (opts[i].env) {
            fprintf(out, " [%s]", opts[i].env);
        }
        if (opts[i].def && opts[i].kind != DESK_OPT_FLAG) {
            fprintf(out, " (default %s)", opts[i].def);
        }
        fputc('\n', out);
    }
}
