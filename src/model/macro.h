/*
 * Macros: a canned reply with field changes, and a reply text per language.
 * The pure rules of applying one: which language variant fits a ticket, and
 * how placeholders are filled. No I/O; app/macros.c stores and applies them.
 */
#ifndef DESK_MODEL_MACRO_H
#define DESK_MODEL_MACRO_H

#include "core/arena.h"
#include "model/records.h"

#include <stdbool.h>
#include <stdint.h>

#define DESK_MACRO_TITLE_MAX    255 /* code points */
#define DESK_MACRO_VARIANTS_MAX 32

struct desk_macro_variant {
    const char *language; /* BCP 47, in ICU's canonical case: "cs", "pt-BR" */
    const char *comment;
};

/* A macro; -1 in status/priority/type means "leave as is". */
struct desk_macro {
    int64_t id;
    const char *title;
    const char *description;
    bool active;
    const char *comment; /* default reply text, or NULL */
    bool comment_public;
    int status;
    int priority;
    int type;
    int64_t group_id;     /* 0: leave */
    const char *assignee; /* NULL: leave; "current_user"; or a decimal user id */
    struct desk_strv add_tags;
    struct desk_strv remove_tags;
    int64_t position;
    int64_t created_by;
    int64_t created_at;
    int64_t updated_at;
    struct desk_macro_variant *variants;
    size_t n_variants;
};

/*
 * The reply text for a ticket in language (may be NULL): the variant whose
 * language equals it (case-insensitive), else one with the same primary
 * subtag ("cs" for "cs-CZ" and the reverse), else the default comment.
 * Sets *picked to the variant's language, or NULL for the default. Returns
 * a string borrowed from m, or NULL when the macro has no reply text.
 */
const char *desk_macro_pick(const struct desk_macro *m, const char *language, const char **picked);

/* What placeholders are filled with; NULL fields render as empty text. */
struct desk_macro_vars {
    int64_t ticket_id;
    const char *ticket_subject;
    const char *requester_name;
    const char *requester_email;
    const char *agent_name;
    const char *agent_email;
};

/*
 * Fills {{ticket.id}}, {{ticket.title}}, {{ticket.subject}},
 * {{ticket.requester.name}}, {{ticket.requester.first_name}},
 * {{ticket.requester.email}}, {{current_user.name}},
 * {{current_user.first_name}}, {{current_user.email}} (spaces inside the
 * braces allowed). Unknown placeholders are left as written, so a typo is
 * visible to the agent before sending. Returns a string owned by a.
 */
char *desk_macro_render(struct desk_arena *a, const char *text, const struct desk_macro_vars *v);

#endif
