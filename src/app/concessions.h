/*
 * The supervisor's side of a solution: concessions (propose within one's
 * limit or ask up the approval chain; approve, deny, counter; expiry),
 * replies held until their concession is approved ("send on approval"),
 * similar solved tickets to weigh the options, and the documentation every
 * solution needs (resolutions and per-group policies).
 *
 * Every change to a concession or a resolution is a ticket write through
 * desk_app_ticket_update: the ticket hook below does the capability's part
 * inside that write's transaction and adds its audit events, so everything
 * is audited on the ticket and a failure leaves nothing half-written.
 */
#ifndef DESK_APP_CONCESSIONS_H
#define DESK_APP_CONCESSIONS_H

#include "app/app.h"
#include "app/hooks.h"
#include "model/concession.h"
#include "model/resolution.h"
#include "store/store_concessions.h"

/* ---- ticket hook (hooks.c) -------------------------------------------------- */

/*
 * prepare: performs a concession operation carried by the write, holds a
 * public reply that promises a pending concession (comment.hold_for_
 * concession_id), validates a resolution and refuses to solve a ticket
 * whose group requires fields it lacks (422 naming each).
 * written: stores the resolution, links a sent held reply to its comment.
 */
int desk_concessions_prepare(struct desk_conn *c, struct desk_ticket_change *ch);
int desk_concessions_written(struct desk_conn *c, struct desk_ticket_change *ch);

/* ---- concessions -------------------------------------------------------------- */

/* Default and largest time an approval request waits before it expires. */
#define DESK_CONCESSION_EXPIRY_S     (72 * 3600)
#define DESK_CONCESSION_EXPIRY_MAX_S (30 * 86400)
#define DESK_CONCESSION_REASON_MAX   200
#define DESK_CONCESSION_NOTE_MAX     4096

/* A proposal as the wire gives it; the use case validates every field. */
struct desk_concession_input {
    const char *type;
    const char *amount; /* decimal string */
    const char *currency;
    const char *reason;
    const char *note;
    int64_t expires_in_s; /* 0: the default */
};

enum desk_concession_action {
    DESK_COP_PROPOSE,
    DESK_COP_APPROVE,
    DESK_COP_DENY,
    DESK_COP_COUNTER,
    DESK_COP_EXPIRE
};

/* What a concession use case asks the ticket hook to do (desk_ticket_input.concession_op). */
struct desk_concession_op {
    int action;
    int64_t id;                  /* the concession (decisions) */
    struct desk_concession new_; /* propose: the validated proposal */
    int64_t wait_ms;             /* propose: how long an approval request waits */
    int64_t counter_minor;       /* counter: the amount offered instead */
    const char *note;            /* deny reason, counter or approval note */
    int64_t held_reply_id;       /* set by the hook: a held reply this write sends */
};

/*
 * An agent proposes a concession on ticket_id: within their limit (their
 * own, else their role's, per currency) it is granted; above it an
 * approval request waits for the lowest level whose limit covers it
 * (supervisor, then admin as manager) until it expires. Audited on the
 * ticket. DESK_EINVALID naming the field for a bad type, amount, currency or
 * reason, or an amount no level may approve; DESK_ENOTFOUND for a ticket
 * the actor cannot see.
 */
int desk_app_concession_propose(struct desk_app *app, const struct desk_actor *who,
                                struct desk_arena *a, int64_t ticket_id,
                                const struct desk_concession_input *in, struct desk_concession *out,
                                struct desk_fail *fail);

/*
 * Decides a pending request: approve (and send its held reply as a public
 * comment by its author), deny with a reason, or counter with another
 * amount (a held reply then goes back to its author). The proposer is
 * alerted and the ticket gets an internal note and audit events.
 * DESK_EFORBIDDEN: one's own proposal, a level above one's role, or an
 * amount above one's own limit; DESK_ECONFLICT: already decided or
 * expired; DESK_EINVALID: missing reason, bad counter amount.
 */
int desk_app_concession_decide(struct desk_app *app, const struct desk_actor *who,
                               struct desk_arena *a, int64_t id, int action, const char *amount,
                               const char *note, struct desk_concession *out,
                               struct desk_fail *fail);

/* Reads one concession (staff only). A pending one past its expiry reads as expired. */
int desk_app_concession_get(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t id, struct desk_concession *out);

/*
 * Lists concessions under f (staff only); with awaiting_me, the requests
 * the actor may decide now (their level or below, not their own).
 */
int desk_app_concession_list(struct desk_app *app, const struct desk_actor *who,
                             struct desk_arena *a, struct desk_concession_filter *f,
                             bool awaiting_me, const struct desk_page *p,
                             struct desk_concession **items, struct desk_page_out *out);

/* The report (supervisors and admins): see desk_store_concession_report. */
int desk_app_concession_report(struct desk_app *app, const struct desk_actor *who,
                               struct desk_arena *a, int by, int64_t from, int64_t to,
                               struct desk_concession_report_row **rows, size_t *n);

/*
 * Expires every pending request past its time (at most 100 per call): the
 * request's ticket gets an internal note from its proposer via "rule", any
 * held reply goes back to its author, the proposer is alerted. Sets *n.
 */
int desk_app_concession_expire_due(struct desk_app *app, int64_t now, size_t *n);

/* The concession's held reply, if any (*found). */
int desk_app_held_reply_of(struct desk_app *app, struct desk_arena *a, int64_t concession_id,
                           struct desk_held_reply *out, bool *found);

/* The held replies of a ticket the actor may see (staff only). */
int desk_app_held_reply_list(struct desk_app *app, const struct desk_actor *who,
                             struct desk_arena *a, int64_t ticket_id,
                             struct desk_held_reply **items, size_t *n);

/* ---- limits -------------------------------------------------------------------- */

/* Every limit (staff may read them: agents see what they may grant). */
int desk_app_climit_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         struct desk_concession_limit **items, size_t *n);

/*
 * Sets the limit of a role (role agent, supervisor or admin; user_id 0) or
 * of one staff member (user_id), in currency, to amount (a decimal string;
 * NULL: unlimited). Admins only. Sets *created. DESK_EINVALID naming the
 * field for a bad role, person, currency or amount.
 */
int desk_app_climit_set(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        const char *role, int64_t user_id, const char *currency, const char *amount,
                        struct desk_concession_limit *out, bool *created, struct desk_fail *fail);

/* Removes a limit. Admins only. DESK_ENOTFOUND when none. */
int desk_app_climit_delete(struct desk_app *app, const struct desk_actor *who, int64_t id);

/* The limit that applies to a person in currency (DESK_LIMIT_NONE: unlimited). */
int desk_app_climit_effective(struct desk_conn *c, int64_t user_id, int role, const char *currency,
                              int64_t *out);

/* ---- alerts ---------------------------------------------------------------------- */

/* The actor's alerts, newest first. */
int desk_app_calert_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         bool unread_only, struct desk_page *p,
                         struct desk_concession_alert **items, struct desk_page_out *out);

/* Marks all of the actor's alerts read; *n how many were unread. */
int desk_app_calert_read(struct desk_app *app, const struct desk_actor *who, int64_t *n);

/* ---- background expiry ------------------------------------------------------------ */

struct desk_concession_sweeper;

/*
 * Starts a thread that runs desk_app_concession_expire_due every period_ms.
 * Returns 0 and *out (stop with desk_concession_sweeper_stop), or
 * DESK_EINTERNAL when the thread cannot start.
 */
int desk_concession_sweeper_start(struct desk_app *app, int64_t period_ms,
                                  struct desk_concession_sweeper **out);

/* Stops and joins the thread. NULL is a no-op. */
void desk_concession_sweeper_stop(struct desk_concession_sweeper *s);

/* ---- resolutions -------------------------------------------------------------------- */

/*
 * ticket.resolution on a ticket write: absent pieces stay as they are;
 * clear (resolution: null) removes everything given before. Custom fields
 * merge by name; a NULL value removes that field.
 */
struct desk_resolution_input {
    bool clear;
    const char *category;
    bool has_category;
    const char *note;
    bool has_note;
    struct desk_resolution_field *fields;
    size_t n_fields;
};

/* A ticket's resolution (staff only): *found false when none. */
int desk_app_resolution_get(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t ticket_id, struct desk_resolution *out,
                            bool *found);

/* A group's policy (staff only); DESK_ENOTFOUND for an unknown or deleted group. */
int desk_app_rpolicy_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         int64_t group_id, struct desk_resolution_policy *out);

/*
 * Replaces a group's policy (supervisors and admins). Required names are
 * resolution_category, resolution_note or custom field names; categories
 * are names too (desk_resolution_name_valid). DESK_EINVALID naming the field.
 */
int desk_app_rpolicy_set(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         struct desk_resolution_policy *p, struct desk_fail *fail);

/* ---- similar tickets ------------------------------------------------------------------ */

/* A solved ticket like the one asked about, with what was done there. */
struct desk_similar {
    struct desk_ticket ticket;
    double score;
    bool same_language;
    bool has_resolution;
    struct desk_resolution resolution;
    bool has_reply; /* no resolution: the last public reply from staff */
    struct desk_comment reply;
};

/*
 * Solved and closed tickets similar to ticket_id (staff only), same
 * language first, then by full-text similarity of subject and description;
 * at most limit (1..50).
 */
int desk_app_ticket_similar(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t ticket_id, int limit,
                            struct desk_similar **items, size_t *n);

#endif
