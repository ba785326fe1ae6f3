/*
 * The error table's lookups. The codes themselves are defined in error.h so
 * that names, statuses and messages cannot drift apart.
 */
#include "core/error.h"

struct err_row {
    int code;
    int status;
    const char *name;
    const char *msg;
};

static const struct err_row rows[] = {
#define DESK_X_ROW(n, status, zname, msg) {DESK_E##n, status, zname, msg},
    DESK_ERRORS(DESK_X_ROW)
#undef DESK_X_ROW
};

static const struct err_row *find(int code)
{
    for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        if (rows[i].code == code) {
            return &rows[i];
        }
    }
    return 0;
}

int desk_err_status(int code)
{
    const struct err_row *r = find(code);
    if (code == 0) {
        return 200;
    }
    return r ? r->status : 500;
}

const char *desk_err_name(int code)
{
    const struct err_row *r = find(code);
    return r ? r->name : "InternalError";
}

const char *desk_err_msg(int code)
{
    const struct err_row *r = find(code);
    return r ? r->msg : "internal error";
}

int desk_fail(struct desk_fail *f, int code, const char *field, const char *error,
              const char *description)
{
    if (f && f->n < DESK_FAIL_MAX) {
        f->items[f->n].field = field;
        f->items[f->n].error = error;
        f->items[f->n].description = description;
        f->n++;
    }
    return code;
}
