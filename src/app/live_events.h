/*
 * Ticket events for the live wall: after a ticket write commits, the
 * "live events" ticket hook reads the maintained counters of the queues
 * the ticket left and joined, and hands one event to the sink that the
 * live module registered (src/live/). No sink or nobody listening, no
 * work: the hook costs nothing in processes that serve no event streams
 * (CLI, mail gate) or while no stream is open.
 */
#ifndef DESK_APP_LIVE_EVENTS_H
#define DESK_APP_LIVE_EVENTS_H

#include "app/hooks.h"
#include "store/store_console.h"

#define DESK_LIVE_MAX_QUEUES 6
#define DESK_LIVE_MAX_LOADS  2
#define DESK_LIVE_MAX_HIDDEN 4

/* One committed ticket change, as the wall needs it: ids and queue keys, no customer text. */
struct desk_live_event {
    int64_t ticket_id;
    int status;
    int priority;
    int via;
    int64_t group_id;
    int64_t assignee_id;
    const char *language; /* "" when unknown */
    int64_t created_at;
    int64_t updated_at;
    bool created;
    int prev_status;          /* when !created */
    int64_t prev_group_id;    /* when !created */
    int64_t prev_assignee_id; /* when !created */
    int64_t actor_id;
    bool comment;                                        /* the change added a comment */
    bool comment_public;                                 /* ... a public one */
    struct desk_live_count queues[DESK_LIVE_MAX_QUEUES]; /* the queues it left and joined, now */
    size_t n_queues;
    struct desk_live_load loads[DESK_LIVE_MAX_LOADS]; /* the assignees it left and joined, now */
    size_t n_loads;
    int64_t committed_ms; /* when the hook ran (wall clock), for latency measurements */
    int64_t hidden_from[DESK_LIVE_MAX_HIDDEN]; /* users whose streams must not carry it */
    size_t n_hidden;
    bool deleted; /* the ticket was deleted: it leaves every list and queue */
    struct desk_live_attention attention; /* the wall's "needs attention" counters, now */
};

/*
 * A change on the floor that is no ticket's: the "needs attention" counters
 * moved (a trainee draft held or reviewed, an escalation accepted, a
 * concession decided), or a person's availability changed.
 */
struct desk_live_floor {
    struct desk_live_attention attention; /* the counters, now */
    int64_t agent_id;                     /* 0: no availability change in this event */
    int status;                           /* DESK_AVAIL_* of agent_id */
    int64_t status_since;                 /* when it took that status, ms UTC */
};

/* Receives floor events on the writer thread (after its commit); must not block. */
typedef void (*desk_live_floor_fn)(const struct desk_live_floor *ev);
/* How many streams listen now: the watcher reads nothing while nobody does. */
typedef size_t (*desk_live_listeners_fn)(void);

/* Registers the floor-event sink and its listener count (NULL, NULL: none). */
void desk_app_live_set_floor_sink(desk_live_floor_fn fn, desk_live_listeners_fn listeners);

/*
 * Follows every commit of app's store (desk_store_on_commit) for floor
 * events: after each one it reads the attention counters and the new rows
 * of the availability log, and hands what changed to the floor sink. Call
 * once, before serving.
 */
void desk_app_live_watch(struct desk_app *app);

/* Receives events on the committing thread; must not block on the store. */
typedef void (*desk_live_sink_fn)(const struct desk_live_event *ev);

/* Registers the process's event sink and its listener count (NULL, NULL: none). No
 * event is built while the count is 0. */
void desk_app_live_set_sink(desk_live_sink_fn fn, desk_live_listeners_fn listeners);

/* The committed-phase ticket hook (hooks.c). */
void desk_app_live_committed(const struct desk_ticket_change *ch);

/*
 * Publishes the deletion of a ticket (before: as it was, after: as stored
 * with its deleted_at) once the deletion committed. Ticket hooks do not run
 * for deletions, so the delete use case calls this itself. Borrows all.
 */
void desk_app_live_deleted(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                           const struct desk_ticket *before, const struct desk_ticket *after);

/*
 * Receives "someone is viewing or replying to a ticket" notices; must not
 * block. hidden[0..n_hidden): users whose streams must not carry it.
 */
typedef void (*desk_live_viewing_fn)(int64_t ticket_id, int64_t user_id, bool typing, int64_t at_ms,
                                     const int64_t *hidden, size_t n_hidden);

/* Registers the process's viewing-notice sink (NULL: none). */
void desk_app_live_set_viewing_sink(desk_live_viewing_fn fn);

/*
 * Announces that the actor is viewing ticket_id (typing: writing a reply),
 * so other agents on that ticket see it: an ephemeral notice, never
 * stored. Staff only (DESK_EFORBIDDEN); DESK_ENOTFOUND for a ticket the
 * actor cannot see.
 */
int desk_app_live_viewing(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                          int64_t ticket_id, bool typing);

/*
 * The wall's starting point for a staff actor: every queue with unsolved
 * tickets and every assignee's load, from the maintained counters (arena).
 * DESK_EFORBIDDEN for end users.
 */
int desk_app_live_snapshot(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                           struct desk_live_count **queues, size_t *n_queues,
                           struct desk_live_load **loads, size_t *n_loads);

/* The wall's "needs attention" counters for a staff actor (DESK_EFORBIDDEN for end users). */
int desk_app_live_attention(struct desk_app *app, const struct desk_actor *who,
                            struct desk_live_attention *out);

#endif
