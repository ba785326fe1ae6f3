/*
 * Ticket hooks: how the capabilities built on tickets (language, routing,
 * SLA clocks, escalations, sentiment, notifications, live events) join every
 * ticket write, whichever channel made it (API, portal, email, CLI, jobs).
 *
 * A write runs the hooks of desk_ticket_hooks[] in table order, in three
 * phases:
 *   prepare    on the writer thread, before the ticket is stored: may check
 *              the change (fail with a DESK_E* code and ch->fail filled, and
 *              the whole write rolls back), set fields on ch->after (they
 *              are audited like any other change), or hold back the comment
 *              (set ch->comment to NULL after keeping it elsewhere), or add
 *              audit events (ch->events) for what it changed itself;
 *   written    on the writer thread, after the ticket, its comment and its
 *              audit are stored, in the same transaction: rows the
 *              capability keeps (clock events, outbox mail, routing log);
 *              failing rolls the whole write back;
 *   committed  on the calling thread once the transaction is durable:
 *              wake a thread, publish an event. Cannot fail.
 * Any phase may be NULL. Hooks do not run for deletions.
 *
 * Before all three, the analyzers of desk_ticket_analyzers[] run on the
 * calling thread, before the write is queued: pure work on the request's
 * input that needs no store (a language guess over the comment). The one
 * writer thread serializes every write, so what can be computed outside it
 * is computed outside it; prepare reads the results from ch->analysis.
 */
#ifndef DESK_APP_HOOKS_H
#define DESK_APP_HOOKS_H

#include "app/app.h"
#include "model/lang.h"

#include <stdbool.h>
#include <stdint.h>

struct desk_conn;

/* What the analyzers found, kept for the prepare phase. Zeroed, it means
 * "not analyzed": a prepare hook then does the work itself. */
struct desk_ticket_analysis {
    bool language_done;             /* language: the comment was judged */
    int language_rc;                /* desk_lang_detect's result */
    struct desk_lang_guess language; /* its guess when language_rc is 0 */
};

struct desk_ticket_change {
    struct desk_app *app;
    const struct desk_actor *who;
    struct desk_arena *a;              /* the request's arena: allocate here */
    const struct desk_ticket_input *in;
    const struct desk_ticket *before;  /* NULL when the ticket is being created */
    struct desk_ticket *after;         /* as it will be (prepare) or was (later) stored */
    const char *comment;               /* the comment this write adds, or NULL */
    bool comment_public;
    int64_t comment_author;
    int64_t comment_id;                /* set once stored (written, committed) */
    const struct desk_audit *audit;    /* set once stored (written, committed) */
    int64_t now;                       /* the write's time, ms UTC */
    struct desk_fail *fail;
    /* Audit events a prepare hook adds for what it changed beyond the ticket's own
     * fields (a resolution, a concession): stored with the write's audit, after the
     * field changes; a write with such events is never a no-op. Allocate in a. */
    struct desk_audit_event *events;
    size_t n_events;
    /* The analyzers' results, or NULL when the write was made inside another
     * writer transaction (desk_app_ticket_update_in) and nothing ran before. */
    const struct desk_ticket_analysis *analysis;
};

struct desk_ticket_hook {
    const char *name;
    int (*prepare)(struct desk_conn *c, struct desk_ticket_change *ch);
    int (*written)(struct desk_conn *c, struct desk_ticket_change *ch);
    void (*committed)(const struct desk_ticket_change *ch);
};

struct desk_ticket_analyzer {
    const char *name;
    /* Fills its part of out from in and who. Must not touch the store or
     * any shared state: it runs on many threads at once. */
    void (*analyze)(const struct desk_actor *who, const struct desk_ticket_input *in,
                    bool create, struct desk_ticket_analysis *out);
};

/* The analyzers, ending with an entry whose name is NULL. Defined in hooks.c. */
extern const struct desk_ticket_analyzer desk_ticket_analyzers[];

/* Zeroes out and runs every analyzer on a write about to be queued
 * (create: a new ticket, else an update). */
void desk_ticket_analyze(const struct desk_actor *who, const struct desk_ticket_input *in,
                         bool create, struct desk_ticket_analysis *out);

/* The hooks, ending with an entry whose name is NULL. Defined in hooks.c. */
extern const struct desk_ticket_hook desk_ticket_hooks[];

/* Runs one phase's hooks in order; stops at and returns the first failure. */
int desk_ticket_hooks_prepare(struct desk_conn *c, struct desk_ticket_change *ch);
int desk_ticket_hooks_written(struct desk_conn *c, struct desk_ticket_change *ch);
void desk_ticket_hooks_committed(const struct desk_ticket_change *ch);

#endif
