/*
 * One table of every error desk can report. Fallible functions return 0 or a
 * negative DESK_E* code; the table gives each code its HTTP status, the
 * Zendesk error name that API clients match on, and a message. Depends on
 * nothing.
 */
#ifndef DESK_CORE_ERROR_H
#define DESK_CORE_ERROR_H

#include <stddef.h>

/*
 * X(name, http status, Zendesk error name, message). Statuses are limited to
 * the ones node-zendesk treats as failures (400 401 403 404 405 409 422 429
 * 500 503), so an oversized body is a 400, not a 413.
 */
#define DESK_ERRORS(X)                                                                             \
    X(INVAL, 400, "InvalidValue", "invalid value")                                                 \
    X(JSON, 400, "InvalidJSON", "malformed JSON")                                                  \
    X(UTF8, 400, "InvalidEncoding", "text is not valid UTF-8")                                     \
    X(TOOBIG, 400, "RequestTooLarge", "request exceeds a size limit")                              \
    X(QUERY, 400, "InvalidQuery", "invalid search query")                                          \
    X(AUTH, 401, "Unauthorized", "Couldn't authenticate you")                                      \
    X(FORBIDDEN, 403, "Forbidden", "You do not have access to this page")                          \
    X(NOTFOUND, 404, "RecordNotFound", "Not found")                                                \
    X(METHOD, 405, "MethodNotAllowed", "method not allowed on this resource")                      \
    X(CONFLICT, 409, "UpdateConflict", "the record was changed by someone else")                   \
    X(INVALID, 422, "RecordInvalid", "Record validation errors")                                   \
    X(BUSY, 503, "ServiceUnavailable", "the store is busy, retry")                                 \
    X(IO, 500, "InternalError", "storage failure")                                                 \
    X(INTERNAL, 500, "InternalError", "internal error")                                            \
    X(RATE, 429, "TooManyRequests", "too many attempts, retry later")                              \
    X(CSRF, 403, "InvalidCsrfToken", "missing or wrong X-CSRF-Token header")

enum desk_err {
    DESK_OK = 0,
#define DESK_X_ENUM(name, status, zname, msg) DESK_E##name,
    DESK__ERR_FIRST = -100,
    DESK_ERRORS(DESK_X_ENUM)
#undef DESK_X_ENUM
        DESK__ERR_LAST
};

/* HTTP status for code (0 → 200; unknown → 500). */
int desk_err_status(int code);

/* Zendesk error name for code, e.g. "RecordNotFound". Returns a static string. */
const char *desk_err_name(int code);

/* Human message for code. Returns a static string. */
const char *desk_err_msg(int code);

/*
 * What exactly was wrong, for errors a person must act on: up to
 * DESK_FAIL_MAX field-level reasons (Zendesk's "details"). Strings are
 * static or owned by the request's arena.
 */
#define DESK_FAIL_MAX 8

struct desk_fail_item {
    const char *field;       /* "subject", "requester_id", "base", ... */
    const char *error;       /* machine code, e.g. "BlankValue" */
    const char *description; /* "Subject: cannot be blank" */
};

struct desk_fail {
    size_t n;
    struct desk_fail_item items[DESK_FAIL_MAX];
};

/*
 * Records one reason in f (which may be NULL; extra reasons past the cap are
 * dropped). Returns code, so callers can write `return desk_fail(f, ...)`.
 * Borrows the strings: they must outlive f.
 */
int desk_fail(struct desk_fail *f, int code, const char *field, const char *error,
              const char *description);

#endif /* DESK_CORE_ERROR_H */
