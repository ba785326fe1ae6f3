/*
 * The SLA breach scheduler: one thread that keeps the next deadlines (at
 * risk and breach times of active targets) in a min-heap and acts on each
 * when it comes, through desk_app_sla_fire. The heap holds a window of the
 * earliest deadlines read from the next_at index, so its cost follows the
 * deadlines that come due, not the number of open tickets; writes that move
 * a deadline wake it (desk_app_sla_set_wake). Nothing scans all tickets.
 */
#ifndef DESK_JOBS_SLA_SCHEDULER_H
#define DESK_JOBS_SLA_SCHEDULER_H

#include "app/app.h"

#include <stddef.h>
#include <stdint.h>

struct desk_sla_sched;

/*
 * What the scheduler does when a deadline comes: fire(ctx, ticket, now,
 * &next) acts on the ticket and sets its next deadline (0: none). The
 * default (ops NULL) is desk_app_sla_fire.
 */
struct desk_sla_sched_ops {
    int (*fire)(void *ctx, int64_t ticket_id, int64_t now, int64_t *next_at);
    void *ctx;
};

#define DESK_SLA_SCHED_WINDOW 4096 /* deadlines read from the index at a time */

/*
 * Makes a scheduler over app's deadlines with a window of `window`
 * deadlines (0: DESK_SLA_SCHED_WINDOW). Registers for wake-ups. Returns 0
 * and *out (owned; desk_sla_sched_free), no thread yet.
 */
int desk_sla_sched_new(struct desk_app *app, const struct desk_sla_sched_ops *ops, size_t window,
                       struct desk_sla_sched **out);

/*
 * Acts on every deadline at or before now, in order; returns how many
 * were fired in *fired. For the thread, tests and benchmarks. Returns 0 or
 * the store's error reading the index.
 */
int desk_sla_sched_tick(struct desk_sla_sched *s, int64_t now, size_t *fired);

/* A write moved ticket_id's next deadline to next_at (0: none). Thread-safe, never blocks long. */
void desk_sla_sched_wake(struct desk_sla_sched *s, int64_t ticket_id, int64_t next_at);

/* Deadlines held in memory now (for tests and benchmarks). */
size_t desk_sla_sched_size(struct desk_sla_sched *s);

/* Starts the thread. Returns 0 or DESK_EINTERNAL. */
int desk_sla_sched_start(struct desk_sla_sched *s);

/* Unregisters, stops the thread (if started) and frees. NULL is a no-op. */
void desk_sla_sched_free(struct desk_sla_sched *s);

#endif
