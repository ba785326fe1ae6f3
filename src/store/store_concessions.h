/*
 * Persistence of concessions (limits, requests, held replies, alerts) and
 * of resolutions (per-ticket documentation, per-group policies), plus the
 * similar-ticket and report queries. Backend-neutral declarations; the
 * SQLite implementation is store_concessions.c. Records returned by reads
 * have their strings in the caller's arena; "writer only" functions run
 * inside desk_store_write.
 */
#ifndef DESK_STORE_STORE_CONCESSIONS_H
#define DESK_STORE_STORE_CONCESSIONS_H

#include "model/concession.h"
#include "model/resolution.h"
#include "store/store.h"

/* ---- limits --------------------------------------------------------------- */

/* Every limit, by currency, then role limits (agent first), then people. *items in a. */
int desk_store_climit_list(struct desk_conn *c, struct desk_arena *a,
                           struct desk_concession_limit **items, size_t *n);

/* One limit by id. DESK_ENOTFOUND when none. */
int desk_store_climit_get(struct desk_conn *c, int64_t id, struct desk_concession_limit *out);

/*
 * Writer only. Creates the limit for (role or user_id, currency) or replaces
 * its amount; sets l->id, l->created_at. Sets *created.
 */
int desk_store_climit_put(struct desk_conn *c, struct desk_concession_limit *l, bool *created);

/* Writer only. DESK_ENOTFOUND when there is no such limit. */
int desk_store_climit_delete(struct desk_conn *c, int64_t id);

/*
 * The limit row for a person (user_id > 0) or a role (user_id 0) in
 * currency: *found, and *max (DESK_LIMIT_NONE when unlimited).
 */
int desk_store_climit_find(struct desk_conn *c, int role, int64_t user_id, const char *currency,
                           bool *found, int64_t *max);

/* ---- concessions ------------------------------------------------------------ */

/* Writer only. Inserts k (id ignored; sets k->id). */
int desk_store_concession_insert(struct desk_conn *c, struct desk_concession *k);

/* Writer only. Stores k's state, level, grant, decision and times. */
int desk_store_concession_update(struct desk_conn *c, const struct desk_concession *k);

int desk_store_concession_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                              struct desk_concession *out);

/* Filters for listing concessions; zero/NULL means any. */
struct desk_concession_filter {
    int64_t ticket_id;
    int64_t proposed_by;
    int state;               /* when > 0: state == state - 1 */
    int max_level;           /* when > 0: pending requests whose level is at most this role */
    int64_t not_proposed_by; /* with max_level: leave out this person's own */
    int64_t now;             /* with max_level: only requests not yet expired */
};

/* Lists concessions, in id order as page p says. */
int desk_store_concession_list(struct desk_conn *c, struct desk_arena *a,
                               const struct desk_concession_filter *f, const struct desk_page *p,
                               struct desk_concession **items, struct desk_page_out *out);

/* Pending concessions whose expires_at is at or before now, oldest first, at most limit. */
int desk_store_concession_due(struct desk_conn *c, struct desk_arena *a, int64_t now, int limit,
                              struct desk_concession **items, size_t *n);

/* One row of the report: a group (agent id, type or reason) in one currency. */
struct desk_concession_report_row {
    int64_t agent_id;
    int type;
    const char *reason;
    char currency[4];
    int64_t count;
    int64_t granted_count; /* granted, approved or countered */
    int64_t pending_count;
    int64_t denied_count;
    int64_t expired_count;
    int64_t proposed_minor;
    int64_t granted_minor;
};

enum desk_report_by { DESK_REPORT_AGENT, DESK_REPORT_TYPE, DESK_REPORT_REASON };

/*
 * Counts and sums of concessions created in [from, to) (0: unbounded),
 * grouped by agent, type or reason, and by currency. *rows in a.
 */
int desk_store_concession_report(struct desk_conn *c, struct desk_arena *a, int by, int64_t from,
                                 int64_t to, struct desk_concession_report_row **rows, size_t *n);

/* ---- held replies ----------------------------------------------------------- */

/* Writer only. Sets h->id. DESK_ECONFLICT when the concession already has one. */
int desk_store_held_insert(struct desk_conn *c, struct desk_held_reply *h);

/* Writer only. Stores h's state, comment_id and updated_at. */
int desk_store_held_update(struct desk_conn *c, const struct desk_held_reply *h);

/* The held reply of a concession (any state). DESK_ENOTFOUND when none. */
int desk_store_held_by_concession(struct desk_conn *c, struct desk_arena *a, int64_t concession_id,
                                  struct desk_held_reply *out);

/* Every held reply of a ticket, oldest first (a ticket has few). */
int desk_store_held_list(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                         struct desk_held_reply **items, size_t *n);

/* ---- alerts ------------------------------------------------------------------ */

/* Writer only. Sets al->id. */
int desk_store_calert_insert(struct desk_conn *c, struct desk_concession_alert *al);

/* A person's alerts, newest first as page p says (unread_only: read_at unset). */
int desk_store_calert_list(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                           bool unread_only, const struct desk_page *p,
                           struct desk_concession_alert **items, struct desk_page_out *out);

/* Writer only. Marks a person's unread alerts read at now; *n how many. */
int desk_store_calert_read(struct desk_conn *c, int64_t user_id, int64_t now, int64_t *n);

/* ---- resolutions --------------------------------------------------------------- */

/* A ticket's resolution: *found false when none was ever written. Fields sorted by name. */
int desk_store_resolution_get(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                              struct desk_resolution *out, bool *found);

/*
 * Writer only. Replaces the ticket's resolution with r (fields too) and
 * rewrites the ticket's staff-only full-text column so that the resolution
 * is searchable: the internal notes, then category, note and field values.
 */
int desk_store_resolution_put(struct desk_conn *c, const struct desk_resolution *r);

/* A group's policy; an empty one (found false) when none is stored. */
int desk_store_rpolicy_get(struct desk_conn *c, struct desk_arena *a, int64_t group_id,
                           struct desk_resolution_policy *out, bool *found);

/* Writer only. Creates or replaces the group's policy. */
int desk_store_rpolicy_put(struct desk_conn *c, struct desk_arena *a,
                           const struct desk_resolution_policy *p);

/* ---- similar tickets ------------------------------------------------------------ */

struct desk_similar_hit {
    int64_t ticket_id;
    double score; /* higher is more similar (negated bm25) */
    bool same_language;
};

/*
 * Solved and closed tickets other than exclude_id whose subject or public
 * text matches any of terms, those in language's primary subtag first
 * (language may be NULL), then by bm25 (subject weighs double). At most
 * limit hits in *hits (arena).
 */
int desk_store_similar(struct desk_conn *c, struct desk_arena *a, const char *const *terms,
                       size_t n_terms, const char *language, int64_t exclude_id, int limit,
                       struct desk_similar_hit **hits, size_t *n);

/*
 * How many tickets hold each term in their indexed text (docs[i], 0 when
 * none; terms folded as the index folds them), and *total, the number of
 * tickets (an upper bound: the highest ticket id).
 */
int desk_store_term_docs(struct desk_conn *c, const char *const *terms, size_t n, int64_t *docs,
                         int64_t *total);

/*
 * The last public reply written by staff on a ticket (never its first comment, the
 * description, even when staff logged it): *found false when none.
 */
int desk_store_last_staff_reply(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                                struct desk_comment *out, bool *found);

#endif
