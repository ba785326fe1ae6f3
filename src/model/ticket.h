/*
 * Ticket rules (Zendesk's "system ticket rules" as desk applies them) and
 * the audit trail of a change: pure functions over records, no I/O, so
 * every channel gets the same behaviour and the rules are unit-tested alone.
 */
#ifndef DESK_MODEL_TICKET_H
#define DESK_MODEL_TICKET_H

#include "core/arena.h"
#include "core/error.h"
#include "model/records.h"

/* Caps on ticket text, checked on every channel. */
#define DESK_SUBJECT_MAX     255   /* code points */
#define DESK_COMMENT_MAX     65536 /* bytes */
#define DESK_TAG_MAX         80    /* bytes per tag */
#define DESK_TAGS_MAX        100   /* tags per ticket */
#define DESK_EXTERNAL_ID_MAX 255

/* Who is making a change, as the rules need to know it. */
struct desk_change_ctx {
    int64_t actor_id;
    int actor_role;
    bool public_comment;       /* the change adds a public comment */
    bool comment_by_requester; /* ... written by the ticket's requester */
    int64_t now_ms;
};

/*
 * Completes a new ticket t before it is stored: status defaults to new, or
 * open when an assignee is set; solved/closed need an assignee (an agent
 * creating a solved ticket is assigned it). Validates subject and tag
 * limits. Returns 0 or DESK_EINVALID with fail filled.
 */
int desk_ticket_prepare_new(struct desk_ticket *t, const struct desk_change_ctx *ctx,
                            struct desk_fail *fail);

/*
 * Checks and completes the change from cur to next (next starts as a copy
 * of cur with the requested fields set): closed tickets take no change; a
 * ticket never returns to new; solving without an assignee assigns the
 * acting agent, or fails for others; a requester's public comment on a
 * pending, on-hold or solved ticket reopens it; solved_at follows status;
 * updated_at moves forward at least to the next whole second, so a
 * second-resolution updated_stamp always changes. Returns 0 or
 * DESK_EINVALID with fail filled.
 */
int desk_ticket_prepare_update(const struct desk_ticket *cur, struct desk_ticket *next,
                               const struct desk_change_ctx *ctx, struct desk_fail *fail);

/*
 * Audit events for a change: for a new ticket (cur NULL) one "Create"
 * event per field that is set; else one "Change" event per field whose
 * value differs. Events and their strings are allocated in a; the caller
 * adds the "Comment" event. Returns the number of events in *out.
 */
size_t desk_ticket_diff(struct desk_arena *a, const struct desk_ticket *cur,
                        const struct desk_ticket *next, struct desk_audit_event **out);

/*
 * Normalizes tags in place: lower case, spaces removed, duplicates dropped,
 * sorted. Returns 0, or DESK_EINVALID (with fail) when one is too long or
 * there are too many.
 */
int desk_tags_normalize(struct desk_arena *a, struct desk_strv *tags, struct desk_fail *fail);

/*
 * Renders a comment body (plain text) as Zendesk-style HTML: escaped,
 * paragraphs at blank lines, <br> at single newlines, inside
 * <div class="zd-comment" dir="auto">. Returns a string owned by a.
 */
char *desk_comment_html(struct desk_arena *a, const char *body);

#endif
