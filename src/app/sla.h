/*
 * SLA use cases: business-hours schedules and SLA policies (admin), the
 * ticket hook that turns every ticket change into metric events and
 * clocks, what the breach scheduler calls when a deadline comes, and the
 * read side (a ticket's clocks with their explanation, ticket metrics,
 * metric events, alerts, and the due times other capabilities show, such
 * as the calendar feeds). Definitions and decisions: docs/sla.md.
 */
#ifndef DESK_APP_SLA_H
#define DESK_APP_SLA_H

#include "app/app.h"
#include "app/hooks.h"
#include "model/sla.h"
#include "store/store_sla.h"

/* ---- lifecycle (app.c) -------------------------------------------------------- */

struct desk_sla;

/* The SLA state an app keeps (cached rules, the scheduler's wake-up). Returns owned. */
struct desk_sla *desk_sla_new(void);

/* Frees it. NULL is a no-op. */
void desk_sla_free(struct desk_sla *s);

/*
 * Called after every committed write that may have moved ticket_id's next
 * deadline, with that ticket's earliest next_at (0: none). Must not block.
 */
typedef void (*desk_sla_wake_fn)(void *ctx, int64_t ticket_id, int64_t next_at);

/* Registers (or with fn NULL, removes) the scheduler's wake-up. */
void desk_app_sla_set_wake(struct desk_app *app, desk_sla_wake_fn fn, void *ctx);

/* ---- the ticket hook ---------------------------------------------------------- */

/* prepare: runs the policy's actions for deadlines passed by now (tags, priority, group). */
int desk_sla_prepare(struct desk_conn *c, struct desk_ticket_change *ch);

/* written: metric events, clocks, marks and alerts for the change. */
int desk_sla_written(struct desk_conn *c, struct desk_ticket_change *ch);

/* committed: tells the scheduler the ticket's next deadline. */
void desk_sla_committed(const struct desk_ticket_change *ch);

/* The entry for desk_ticket_hooks[] (hooks.c). */
#define DESK_SLA_HOOK                                                                              \
    {                                                                                              \
        "sla", desk_sla_prepare, desk_sla_written, desk_sla_committed                              \
    }

/* ---- the scheduler's side ------------------------------------------------------- */

/*
 * A deadline of ticket_id came at or before now: runs the policy's actions
 * through the ticket update use case (so they are audited and every hook
 * sees them), then records the at-risk and breach events and alerts.
 * Sets *next_at to the ticket's next deadline (0: none). Errors are logged
 * and returned; the scheduler carries on.
 */
int desk_app_sla_fire(struct desk_app *app, int64_t ticket_id, int64_t now, int64_t *next_at);

/*
 * The scheduler's view of the next_at index: up to limit (next_at,
 * ticket_id) keys after `after`, in order (desk_store_sla_next).
 */
int desk_app_sla_next(struct desk_app *app, struct desk_sla_due_key after, size_t limit,
                      struct desk_sla_due_key *out, size_t *n);

/* ---- schedules (admins) ------------------------------------------------------------ */

/* Every schedule with its parts. */
int desk_app_schedule_list(struct desk_app *app, struct desk_arena *a, struct desk_schedule **out,
                           size_t *n);

/* One schedule. DESK_ENOTFOUND when none. */
int desk_app_schedule_get(struct desk_app *app, struct desk_arena *a, int64_t id,
                          struct desk_schedule *out);

/*
 * Creates a schedule (intervals default to Monday-Friday 09:00-17:00 when
 * none are given) or updates one (fields marked in has_* of the input).
 * Validates zone, intervals and attachments (groups and organizations must
 * exist); 422 naming the field. Open targets measured in the schedule
 * switch to the new hours from now on; time already counted stays.
 */
struct desk_schedule_input {
    const char *name;
    bool has_name;
    const char *time_zone;
    bool has_time_zone;
    bool is_default;
    bool has_default;
    struct desk_bh_interval *intervals;
    size_t n_intervals;
    bool has_intervals;
    int64_t *group_ids;
    size_t n_group_ids;
    bool has_group_ids;
    int64_t *organization_ids;
    size_t n_organization_ids;
    bool has_organization_ids;
};

int desk_app_schedule_create(struct desk_app *app, const struct desk_actor *who,
                             struct desk_arena *a, const struct desk_schedule_input *in,
                             struct desk_schedule *out, struct desk_fail *fail);
int desk_app_schedule_update(struct desk_app *app, const struct desk_actor *who,
                             struct desk_arena *a, int64_t id, const struct desk_schedule_input *in,
                             struct desk_schedule *out, struct desk_fail *fail);
int desk_app_schedule_delete(struct desk_app *app, const struct desk_actor *who, int64_t id);

/* Holidays of schedule_id: create, update (has_* fields), delete, read. */
struct desk_holiday_input {
    const char *name;
    bool has_name;
    const char *start_date;
    bool has_start_date;
    const char *end_date;
    bool has_end_date;
    bool yearly;
    bool has_yearly;
};

int desk_app_holiday_create(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t schedule_id,
                            const struct desk_holiday_input *in, struct desk_holiday *out,
                            struct desk_fail *fail);
int desk_app_holiday_update(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t schedule_id, int64_t id,
                            const struct desk_holiday_input *in, struct desk_holiday *out,
                            struct desk_fail *fail);
int desk_app_holiday_delete(struct desk_app *app, const struct desk_actor *who, int64_t schedule_id,
                            int64_t id);
int desk_app_holiday_get(struct desk_app *app, struct desk_arena *a, int64_t schedule_id,
                         int64_t id, struct desk_holiday *out);

/* ---- policies (admins) --------------------------------------------------------------- */

int desk_app_policy_list(struct desk_app *app, struct desk_arena *a, struct desk_sla_policy **out,
                         size_t *n);
int desk_app_policy_get(struct desk_app *app, struct desk_arena *a, int64_t id,
                        struct desk_sla_policy *out);

/*
 * Creates (position defaults to last) or replaces a policy after
 * desk_sla_policy_check; a schedule_id must exist. Open targets under the
 * policy take its new rules from now on. For update, p->id names it.
 */
int desk_app_policy_save(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         struct desk_sla_policy *p, bool create, struct desk_fail *fail);

/* Deletes a policy; its open targets stop (an apply_sla event with no target). */
int desk_app_policy_delete(struct desk_app *app, const struct desk_actor *who, int64_t id);

/* ---- reading -------------------------------------------------------------------------- */

/* One metric's current cycle as a supervisor reads it. */
struct desk_sla_view {
    int metric;
    int cycle;
    int state; /* DESK_SLA_ACTIVE, _PAUSED, _FULFILLED */
    bool breached;
    bool at_risk;
    int64_t policy_id;
    const char *policy_title;
    int64_t target_s; /* 0: no target applies */
    bool business_hours;
    int64_t schedule_id;
    const char *time_zone; /* the zone times are explained in */
    int64_t started_at;
    int64_t due_at;     /* 0 when none (no target, or paused) */
    int64_t elapsed_ms; /* up to now, under the rules in force */
    int64_t paused_ms;
    int64_t remaining_ms; /* target - elapsed (negative once breached) */
    int64_t fulfilled_at;
    const char *explanation;
};

/*
 * The clocks of a ticket the actor may see (staff only): one view per
 * metric that ever started, in metric order, measured at now.
 */
int desk_app_sla_ticket(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        int64_t ticket_id, int64_t now, struct desk_sla_view **out, size_t *n);

/*
 * A ticket's metrics (staff), derived at now from its metric events,
 * comments and audits: reply and resolution times, waits in calendar and
 * business minutes (the ticket's schedule), stations, reopens, replies.
 */
int desk_app_ticket_metrics(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t ticket_id, int64_t now,
                            struct desk_ticket_metrics *out);

/* The metrics of live tickets in id order, paged like the ticket list. */
int desk_app_ticket_metrics_list(struct desk_app *app, const struct desk_actor *who,
                                 struct desk_arena *a, const struct desk_page *p, int64_t now,
                                 struct desk_ticket_metrics **items, struct desk_page_out *out);

/*
 * Metric events written at or after since_ms (staff), after the
 * (since_ms, after_id) position, at most limit.
 */
int desk_app_sla_events_since(struct desk_app *app, struct desk_arena *a, int64_t since_ms,
                              int64_t after_id, size_t limit, struct desk_sla_event **out,
                              size_t *n);

/*
 * Next SLA due times for tickets assigned to assignee_id and/or in group_id
 * (0 = any, at least one given): active targets due in [from_ms, to_ms),
 * earliest first, at most limit (≤ 1000). For calendars and queues. *out
 * in a.
 */
int desk_app_sla_due_list(struct desk_app *app, struct desk_arena *a, int64_t assignee_id,
                          int64_t group_id, int64_t from_ms, int64_t to_ms, size_t limit,
                          struct desk_sla_due **out, size_t *n);

/* Alerts for the actor (supervisors and admins may ask for user_id 0: everyone's). */
int desk_app_sla_alerts(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        int64_t user_id, const struct desk_page *p, struct desk_sla_alert **items,
                        struct desk_page_out *out);

#endif
