/*
 * The documentation of a solution: a ticket's resolution (category, note
 * and named custom fields) and a group's policy of what solving requires.
 * Pure rules over these records: name and category shapes, and which
 * required fields a resolution still lacks. No I/O.
 */
#ifndef DESK_MODEL_RESOLUTION_H
#define DESK_MODEL_RESOLUTION_H

#include "core/arena.h"
#include "model/records.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The two built-in field names a policy may require; any other name is a custom field. */
#define DESK_RES_CATEGORY "resolution_category"
#define DESK_RES_NOTE     "resolution_note"

#define DESK_RES_NAME_MAX   64    /* bytes of a field name or category */
#define DESK_RES_VALUE_MAX  1024  /* bytes of a custom field value */
#define DESK_RES_NOTE_MAX   65536 /* bytes of the note */
#define DESK_RES_FIELDS_MAX 50    /* custom fields per ticket, required names per policy */

struct desk_resolution_field {
    const char *name;
    const char *value;
};

/* A ticket's resolution; strings borrowed from whoever filled it. NULL: not given. */
struct desk_resolution {
    int64_t ticket_id;
    const char *category;
    const char *note;
    struct desk_resolution_field *fields; /* sorted by name */
    size_t n_fields;
    int64_t updated_by;
    int64_t updated_at;
};

/* A group's resolution policy; an empty policy requires nothing and allows any category. */
struct desk_resolution_policy {
    int64_t group_id;
    struct desk_strv required;   /* field names, in the order the policy lists them */
    struct desk_strv categories; /* allowed categories; none: any */
    int64_t updated_by;
    int64_t updated_at;
};

/*
 * True when s is a field name or category: 1 to DESK_RES_NAME_MAX bytes of
 * lower-case ASCII letters, digits, '_' and '-', starting with a letter or
 * digit.
 */
bool desk_resolution_name_valid(const char *s);

/* The value of custom field name in r, or NULL. */
const char *desk_resolution_field(const struct desk_resolution *r, const char *name);

/*
 * The policy's required fields that r lacks (absent or only white space),
 * in the policy's order: up to cap names into missing (borrowed from p).
 * Returns how many are missing in all. r may be NULL (nothing given).
 */
size_t desk_resolution_missing(const struct desk_resolution_policy *p,
                               const struct desk_resolution *r, const char **missing, size_t cap);

/* True when the policy allows category (any category when it lists none). */
bool desk_resolution_category_allowed(const struct desk_resolution_policy *p, const char *category);

#endif
