/*
 * The only way to persistence. A store is a database plus its writer
 * thread; a connection is either this thread's reader or, inside a write,
 * the writer. Nothing here names the backend: SQLite (sqlite.c) today, and
 * the same contract for PostgreSQL.
 *
 * Writes: desk_store_write() queues a function that runs on the writer
 * thread inside its own SAVEPOINT; queued writes are committed together
 * (group commit, one fsync for the batch) and the caller returns only once
 * its batch is durable. A failing write rolls back alone.
 *
 * Reads: desk_store_reader() gives the calling thread its own connection.
 * Records returned by reads have their strings in the caller's arena.
 */
#ifndef DESK_STORE_STORE_H
#define DESK_STORE_STORE_H

#include "core/arena.h"
#include "core/error.h"
#include "model/records.h"
#include "model/search.h"

#include <stdbool.h>
#include <stdint.h>

struct desk_store;
struct desk_conn;

/*
 * Opens (creating if needed) the database at path and applies pending
 * migrations; starts the writer thread. Returns 0 and *out (owned, freed
 * with desk_store_close), or DESK_EIO with a log line naming the cause.
 */
int desk_store_open(const char *path, struct desk_store **out);

/* Stops the writer after its queue drains, closes every connection. NULL is a no-op. */
void desk_store_close(struct desk_store *s);

/*
 * The calling thread's read connection, opened on first use. Returns
 * borrowed *out, valid until desk_store_close; DESK_EIO if it cannot open.
 */
int desk_store_reader(struct desk_store *s, struct desk_conn **out);

/*
 * Read snapshots. Between desk_store_snapshot_begin and _end, every read on
 * the calling thread's connection shares one read transaction: one set of
 * WAL locks for a request instead of one per statement, and one consistent
 * view. desk_store_write ends the calling thread's snapshot before queueing,
 * so what the thread reads after its own write includes it; the next read
 * opens a new one. _end is a no-op on a thread without a snapshot.
 */
void desk_store_snapshot_begin(struct desk_store *s);
void desk_store_snapshot_end(struct desk_store *s);

typedef int (*desk_store_write_fn)(struct desk_conn *c, void *arg);

/*
 * A watcher of what writes leave behind: called on the writer thread with
 * the writer's connection, outside any transaction, after every batch that
 * committed (its callers already woken). For following small change feeds
 * (the live wall's counters); it must be quick and must not write. Set once
 * before writes begin; NULL removes it.
 */
typedef void (*desk_store_commit_fn)(struct desk_conn *c, void *ctx);
void desk_store_on_commit(struct desk_store *s, desk_store_commit_fn fn, void *ctx);

/*
 * Runs fn(writer connection, arg) on the writer thread in its own
 * savepoint and waits until the batch holding it is committed. Returns
 * fn's result (its changes are rolled back when it is non-zero), or
 * DESK_EIO when the commit failed. fn must not block on other writes.
 * Borrows arg for the duration of the call.
 */
int desk_store_write(struct desk_store *s, desk_store_write_fn fn, void *arg);

/* Write-path statistics for /metrics. */
struct desk_store_stats {
    uint64_t writes;
    uint64_t batches;
    uint64_t batch_hist[8]; /* batch sizes: 1, 2-3, 4-7, 8-15, 16-31, 32-63, 64-127, 128+ */
};
void desk_store_stats(struct desk_store *s, struct desk_store_stats *out);

/* ---- pagination ------------------------------------------------------- */

/* Which page of a list ordered by id. Offset mode unless cursor is set. */
struct desk_page {
    bool cursor;
    bool desc;      /* newest first */
    int64_t after;  /* cursor: rows past this id in list order (0: from the start) */
    int64_t before; /* cursor: rows before this id in list order (0: unused) */
    int64_t offset; /* offset mode: rows to skip */
    int limit;      /* 1..100 */
};

/* A page of results: items (arena), whether more follow, and the total (offset mode). */
struct desk_page_out {
    size_t n;
    bool more;
    int64_t total; /* -1 when not counted (cursor mode) */
};

/* ---- users and credentials ------------------------------------------ */

/* Fills *out from user id. DESK_ENOTFOUND when there is none. */
int desk_store_user_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                        struct desk_user *out);

/* Finds the user with this email identity (case-insensitive). DESK_ENOTFOUND when none. */
int desk_store_user_by_email(struct desk_conn *c, struct desk_arena *a, const char *email,
                             struct desk_user *out);

/* Returns the stored argon2id hash for user id (arena), or NULL in *out when unset. */
int desk_store_user_password(struct desk_conn *c, struct desk_arena *a, int64_t id,
                             const char **out);

/* Writer only. Inserts u (id ignored) with its email identity; sets u->id. DESK_ECONFLICT when
 * the email is taken. */
int desk_store_user_insert(struct desk_conn *c, struct desk_user *u);

/* Writer only. Replaces every field of user u->id; updates the primary email identity. */
int desk_store_user_update(struct desk_conn *c, const struct desk_user *u);

/* Writer only. Sets (or clears, with NULL) the password hash. */
int desk_store_user_set_password(struct desk_conn *c, int64_t id, const char *hash);

/* Filters for listing users; zero means "any". */
struct desk_user_filter {
    int role; /* -1 any; else DESK_ROLE_* (agent includes supervisors) */
    int64_t organization_id;
    int64_t group_id;
    const char *external_id;
    const int64_t *ids; /* show_many */
    size_t n_ids;
};

/* Lists users in id order. Returns *items (arena) and *out. */
int desk_store_user_list(struct desk_conn *c, struct desk_arena *a,
                         const struct desk_user_filter *f, const struct desk_page *p,
                         struct desk_user **items, struct desk_page_out *out);

/* Writer only. Stores a new token's hash for user id. */
int desk_store_token_insert(struct desk_conn *c, int64_t user_id, const unsigned char hash[32],
                            const char *description);

/* Who an API token speaks for: what a request's actor needs, in one read. */
struct desk_token_owner {
    int64_t user_id;
    int role;
    int64_t organization_id;
    bool org_shared;   /* the organization shares tickets */
    const char *email; /* primary email, or NULL; in the caller's arena */
};

/*
 * Finds the active, unsuspended user owning an unrevoked token hash, into
 * *out (strings in a). DESK_ENOTFOUND when none.
 */
int desk_store_token_owner(struct desk_conn *c, struct desk_arena *a, const unsigned char hash[32],
                           struct desk_token_owner *out);

/* Writer only. Revokes every token of user id. */
int desk_store_token_revoke_all(struct desk_conn *c, int64_t user_id);

/* ---- organizations, groups, memberships ------------------------------ */

int desk_store_org_get(struct desk_conn *c, struct desk_arena *a, int64_t id, struct desk_org *out);
/* Writer only. DESK_ECONFLICT when the name is taken (case-insensitive). Sets o->id. */
int desk_store_org_insert(struct desk_conn *c, struct desk_org *o);
int desk_store_org_update(struct desk_conn *c, const struct desk_org *o);
int desk_store_org_delete(struct desk_conn *c, int64_t id);
/* Finds by exact name (case-insensitive) or external id (whichever is non-NULL). */
int desk_store_org_find(struct desk_conn *c, struct desk_arena *a, const char *name,
                        const char *external_id, struct desk_org *out);
int desk_store_org_list(struct desk_conn *c, struct desk_arena *a, const int64_t *ids, size_t n_ids,
                        const struct desk_page *p, struct desk_org **items,
                        struct desk_page_out *out);

int desk_store_group_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                         struct desk_group *out);
int desk_store_group_insert(struct desk_conn *c, struct desk_group *g);
int desk_store_group_update(struct desk_conn *c, const struct desk_group *g);
/* Lists live groups; with user_id, only the groups that user belongs to. */
int desk_store_group_list(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                          const struct desk_page *p, struct desk_group **items,
                          struct desk_page_out *out);

int desk_store_membership_get(struct desk_conn *c, int64_t id, struct desk_membership *out);
/* Writer only. DESK_ECONFLICT when the user is already in the group. Sets m->id. */
int desk_store_membership_insert(struct desk_conn *c, struct desk_membership *m);
int desk_store_membership_delete(struct desk_conn *c, int64_t id);
/* Writer only. Removes every membership of group_id (when the group is deleted). */
int desk_store_membership_delete_group(struct desk_conn *c, int64_t group_id);
/* Writer only. Makes membership id the user's default (and no other). */
int desk_store_membership_make_default(struct desk_conn *c, int64_t user_id, int64_t id);
/* True in *out when user_id is a member of group_id. */
int desk_store_membership_exists(struct desk_conn *c, int64_t user_id, int64_t group_id, bool *out);
/* Lists memberships, optionally of one user and/or one group (0 = any). */
int desk_store_membership_list(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                               int64_t group_id, const struct desk_page *p,
                               struct desk_membership **items, struct desk_page_out *out);

/* ---- tickets, comments, audits --------------------------------------- */

int desk_store_ticket_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                          struct desk_ticket *out);

/*
 * Writer only. Inserts t (id ignored; sets t->id), its tags and
 * collaborators, and its full-text row: the subject and the description
 * (the first comment), as public or private text by t->is_public.
 */
int desk_store_ticket_insert(struct desk_conn *c, struct desk_ticket *t);

/* Writer only. Replaces every mutable field of ticket t->id (tags too) and bumps its version. */
int desk_store_ticket_update(struct desk_conn *c, const struct desk_ticket *t);

/* Filters for listing tickets; zero/NULL means "any". Deleted tickets are never listed. */
struct desk_ticket_filter {
    int64_t requester_id;
    int64_t assignee_id;
    int64_t group_id;
    int64_t organization_id;
    int64_t collaborator_id;
    const char *external_id;
    const int64_t *ids;
    size_t n_ids;
    int status_max; /* when > 0: only status < status_max (e.g. unsolved) */
    int status_eq;  /* when > 0: status == status_eq - 1 */
    /* Viewer restriction for end users: their own tickets, plus visible_org's when set. */
    int64_t visible_to_user;
    int64_t visible_org; /* organization whose tickets the user may also see, or 0 */
    /* Leave out tickets hidden from this member of staff (ticket_hidden), or 0. */
    int64_t hidden_from;
};

int desk_store_ticket_list(struct desk_conn *c, struct desk_arena *a,
                           const struct desk_ticket_filter *f, const struct desk_page *p,
                           struct desk_ticket **items, struct desk_page_out *out);

/* Writer only. Inserts the audit header (sets au->id); events go in separately. */
int desk_store_audit_insert(struct desk_conn *c, struct desk_audit *au);

/* Writer only. Inserts au->events for audit au->id (sets their ids). */
int desk_store_audit_events_insert(struct desk_conn *c, struct desk_audit *au);

/* Lists a ticket's audits with their events, oldest first. */
int desk_store_audit_list(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                          const struct desk_page *p, struct desk_audit **items,
                          struct desk_page_out *out);

/*
 * Writer only. Inserts a comment (sets id); with index, appends its text to
 * the ticket's full-text row (the first comment is indexed by
 * desk_store_ticket_insert already, so one FTS write serves a new ticket).
 */
int desk_store_comment_insert(struct desk_conn *c, struct desk_comment *cm, bool index);

/* Lists a ticket's comments oldest first; public_only hides internal notes. */
int desk_store_comment_list(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                            bool public_only, const struct desk_page *p,
                            struct desk_comment **items, struct desk_page_out *out);

/*
 * Tickets changed at or after since_ms (deleted ones too), ordered by
 * (updated_at, id) and starting after the (since_ms, after_id) position.
 */
int desk_store_ticket_changes(struct desk_conn *c, struct desk_arena *a, int64_t since_ms,
                              int64_t after_id, int limit, struct desk_ticket **items, size_t *n);

/* Sum of the maintained queue counters for tickets below solved (what /metrics shows). */
int desk_store_open_count(struct desk_conn *c, int status, int64_t *out);

/* ---- search ---------------------------------------------------------- */

/* Who is searching: end users only ever match their own (and shared-org) tickets. */
struct desk_search_scope {
    int64_t viewer_id;
    int viewer_role;
    int64_t viewer_org; /* shared organization for end users, else 0 */
    /* Leave out tickets hidden from this member of staff (ticket_hidden), or 0. */
    int64_t hidden_from;
};

struct desk_search_hit {
    int type; /* DESK_SQ_TICKET, DESK_SQ_USER, DESK_SQ_ORG, DESK_SQ_GROUP */
    int64_t id;
};

/*
 * Runs a parsed query: returns hits [offset, offset+limit) in the query's
 * order and the total number of matches. Values reach SQL only as bound
 * parameters. An unknown user, group or organization name simply matches
 * nothing; DESK_EQUERY (with fail) for a query that cannot be run, e.g.
 * an unknown keyword or a bad date.
 */
int desk_store_search(struct desk_conn *c, struct desk_arena *a, const struct desk_sq *q,
                      const struct desk_search_scope *scope, int64_t now_ms, int64_t offset,
                      int limit, struct desk_search_hit **hits, size_t *n, int64_t *total,
                      struct desk_fail *fail);

/* ---- job statuses ---------------------------------------------------- */

struct desk_job {
    const char *id;
    int64_t user_id;
    const char *job_type;
    const char *status;
    int64_t total;
    int64_t progress;
    const char *message;
    const char *results; /* JSON array text */
    int64_t created_at;
    int64_t updated_at;
};

int desk_store_job_insert(struct desk_conn *c, const struct desk_job *j);
int desk_store_job_get(struct desk_conn *c, struct desk_arena *a, const char *id,
                       struct desk_job *out);

#endif
