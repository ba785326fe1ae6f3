/*
 * The search query language (Zendesk's subset): bare words and "quoted
 * phrases" for full text, field:value, field<value / > / <= / >= on ordered
 * fields, -negation, trailing * wildcards, type:, order_by: and sort:.
 * Parsing is pure: it turns untrusted text into terms; the store turns
 * terms into SQL with bound parameters.
 */
#ifndef DESK_MODEL_SEARCH_H
#define DESK_MODEL_SEARCH_H

#include "core/arena.h"
#include "core/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest query accepted, in bytes; longer is DESK_ETOOBIG. */
#define DESK_SQ_MAX_LEN 1024
/* Most terms in one query. */
#define DESK_SQ_MAX_TERMS 32

enum desk_sq_type { DESK_SQ_ANY, DESK_SQ_TICKET, DESK_SQ_USER, DESK_SQ_ORG, DESK_SQ_GROUP };

enum desk_sq_kind {
    DESK_SQ_WORD,   /* bare word, full text (the store matches it as a word prefix) */
    DESK_SQ_PHRASE, /* "quoted words", full text */
    DESK_SQ_FIELD   /* field op value */
};

enum desk_sq_op { DESK_SQ_EQ, DESK_SQ_LT, DESK_SQ_LE, DESK_SQ_GT, DESK_SQ_GE };

struct desk_sq_term {
    enum desk_sq_kind kind;
    bool negated;
    bool wildcard;     /* value ended in '*' (removed from value) */
    const char *field; /* lower-case keyword for DESK_SQ_FIELD, else NULL */
    enum desk_sq_op op;
    const char *value; /* unquoted, NUL-terminated, arena */
};

struct desk_sq {
    struct desk_sq_term *terms; /* arena */
    size_t n_terms;
    enum desk_sq_type type;
    const char *order_by; /* static "created", "updated", ..., "commented"; or NULL */
    bool desc;            /* sort direction; Zendesk's default is desc (true unless sort:asc) */
};

/*
 * Parses q[0..len) into *out (arrays and strings in a; *out is set on
 * success only). Terms are separated by ASCII white space; keywords are
 * lower-cased, values kept as typed (the store compares them without case).
 * type:, order_by: and sort: are consumed into out->type, out->order_by
 * (a static string: "created", "updated", "priority", "status",
 * "ticket_type" or "commented"; created_at/updated_at are accepted) and
 * out->desc (true unless sort:asc); type:question|incident|problem|task
 * becomes a ticket_type term. ":<" and ":>" are read as "<" and ">". A
 * lone "-" and an empty "" phrase are ignored. Whether a keyword exists is
 * left to the store.
 * Errors: DESK_ETOOBIG past DESK_SQ_MAX_LEN bytes; DESK_EQUERY for invalid
 * UTF-8 (or a NUL), an unterminated quote, an empty value, a bare "*", an
 * unknown type:/order_by:/sort: value, conflicting type: keywords, and more
 * than DESK_SQ_MAX_TERMS terms. Each adds one reason to fail (field "query").
 * Never reads past len.
 */
int desk_sq_parse(struct desk_arena *a, const char *q, size_t len, struct desk_sq *out,
                  struct desk_fail *fail);

#endif
