/*
 * Persistence of commitments (model/commitment.h) and the reads the
 * reminder scheduler and the calendar need: the head of the pending-work
 * index, the commitments due by a time, a ticket's summary, and who
 * supervises an agent. Backend-neutral: callers never see SQL.
 */
#ifndef DESK_STORE_STORE_COMMITMENTS_H
#define DESK_STORE_STORE_COMMITMENTS_H

#include "model/commitment.h"
#include "store/store.h"

/* Writer only. Inserts cm (id ignored; sets cm->id) with its scheduler time. */
int desk_store_commitment_insert(struct desk_conn *c, struct desk_commitment *cm);

/* Writer only. Replaces every mutable field of commitment cm->id and its scheduler time. */
int desk_store_commitment_update(struct desk_conn *c, const struct desk_commitment *cm);

/* Fills *out (strings in a) from commitment id. DESK_ENOTFOUND when there is none. */
int desk_store_commitment_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                              struct desk_commitment *out);

/* Filters for listing commitments; zero means "any". */
struct desk_commitment_filter {
    int64_t ticket_id;
    int64_t owner_id;
    int state;          /* -1 any, else DESK_CMT_* */
    int64_t due_before; /* due_at < due_before */
    int64_t due_after;  /* due_at >= due_after */
    int64_t group_id;   /* on tickets of this group */
    int64_t team_of;    /* owned by someone sharing a group with this user (or the user) */
};

/* Lists commitments in id order (newest first with p->desc). *items in a. */
int desk_store_commitment_list(struct desk_conn *c, struct desk_arena *a,
                               const struct desk_commitment_filter *f, const struct desk_page *p,
                               struct desk_commitment **items, struct desk_page_out *out);

/* A commitment with what a calendar entry shows of its ticket and owner. */
struct desk_commitment_entry {
    struct desk_commitment cm;
    const char *ticket_subject;
    int ticket_status;
    const char *owner_name;
};

/*
 * Commitments under f (every state) ordered by due time, at most limit,
 * each with its ticket's subject and status and its owner's name; deleted
 * tickets are left out. *items in a.
 */
int desk_store_commitment_entries(struct desk_conn *c, struct desk_arena *a,
                                  const struct desk_commitment_filter *f, int limit,
                                  struct desk_commitment_entry **items, size_t *n);

/* A ticket's commitments at a glance. */
struct desk_commitment_summary {
    int64_t count[4];      /* by state */
    int64_t next_id;       /* the open commitment due first, or 0 */
    int64_t next_due_at;   /* its due time */
    int64_t next_owner_id; /* its owner */
};

int desk_store_commitment_summary(struct desk_conn *c, int64_t ticket_id,
                                  struct desk_commitment_summary *out);

/* The earliest time any open commitment needs the scheduler, or 0 in *out when none does. */
int desk_store_commitment_next_at(struct desk_conn *c, int64_t *out);

/*
 * Up to limit commitments whose scheduler time is at or before now, the
 * earliest first. *items in a.
 */
int desk_store_commitment_due(struct desk_conn *c, struct desk_arena *a, int64_t now, int limit,
                              struct desk_commitment **items, size_t *n);

/*
 * Who supervises user_id: active supervisors who share a group with them;
 * when there are none, the active admins. The user is never their own
 * supervisor. Returns at most max ids in *ids (a) and their number in *n.
 */
int desk_store_supervisors_of(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                              size_t max, int64_t **ids, size_t *n);

/* ---- the calendar ---------------------------------------------------- */

/* Which tickets' due dates a calendar shows; zero means "any". */
struct desk_due_filter {
    int64_t assignee_id;
    int64_t group_id;
    int64_t groups_of; /* tickets in any group this user belongs to */
    int64_t from;      /* due_at >= from */
    int64_t to;        /* due_at < to */
};

/*
 * Live, unsolved tickets with a due date (Zendesk's task due_at) under f,
 * by due date, at most limit. Filled: id, subject, status, priority,
 * assignee_id, group_id, due_at, created_at, updated_at. *items in a.
 */
int desk_store_tickets_due(struct desk_conn *c, struct desk_arena *a,
                           const struct desk_due_filter *f, int limit, struct desk_ticket **items,
                           size_t *n);

/* A user's secret calendar feed: the token is derived from salt; only its hash is kept. */
struct desk_calendar_feed {
    int64_t user_id;
    unsigned char salt[16];
    unsigned char token_hash[32];
    int64_t created_at;
};

/* Reads user_id's feed. DESK_ENOTFOUND when they have none. */
int desk_store_calendar_feed_get(struct desk_conn *c, int64_t user_id,
                                 struct desk_calendar_feed *out);

/* Writer only. Stores f, replacing the user's previous feed (rotation). */
int desk_store_calendar_feed_put(struct desk_conn *c, const struct desk_calendar_feed *f);

/* The user whose feed token hashes to hash. DESK_ENOTFOUND when none. */
int desk_store_calendar_feed_user(struct desk_conn *c, const unsigned char hash[32],
                                  int64_t *user_id);

/* ---- alerts ------------------------------------------------------------ */

/* Writer only. Inserts al (id ignored; sets al->id). */
int desk_store_alert_insert(struct desk_conn *c, struct desk_alert *al);

/* Fills *out from alert id. DESK_ENOTFOUND when there is none. */
int desk_store_alert_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                         struct desk_alert *out);

/* Lists recipient_id's alerts in id order (newest first with p->desc); unread only on request. */
int desk_store_alert_list(struct desk_conn *c, struct desk_arena *a, int64_t recipient_id,
                          bool unread_only, const struct desk_page *p, struct desk_alert **items,
                          struct desk_page_out *out);

/* Writer only. Sets read_at of alert id (0: unread again). */
int desk_store_alert_set_read(struct desk_conn *c, int64_t id, int64_t read_at);

#endif
