/*
 * Persistence for SLA: business-hours schedules with their intervals,
 * holidays and attachments, SLA policies, metric events, each ticket's
 * clocks (with the next_at index the breach scheduler reads) and
 * alerts. Backend-neutral declarations; the SQLite
 * implementation is store_sla.c. "Writer only" functions run inside
 * desk_store_write. Records read are allocated in the caller's arena.
 */
#ifndef DESK_STORE_STORE_SLA_H
#define DESK_STORE_STORE_SLA_H

#include "model/sla.h"
#include "store/store.h"

/* ---- rules version ------------------------------------------------------ */

/* The version of schedules and policies, bumped by every change to them. */
int desk_store_sla_version(struct desk_conn *c, int64_t *out);

/* Writer only. Moves the version to a value never used before; sets *out to it. */
int desk_store_sla_bump(struct desk_conn *c, int64_t *out);

/* ---- schedules ---------------------------------------------------------- */

/* Reads schedule id with intervals, holidays and attachments. DESK_ENOTFOUND when none. */
int desk_store_schedule_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                            struct desk_schedule *out);

/* Every schedule, in id order, with their parts. */
int desk_store_schedule_list(struct desk_conn *c, struct desk_arena *a, struct desk_schedule **out,
                             size_t *n);

/*
 * Writer only. Inserts s with its intervals and attachments (holidays are
 * added separately); sets s->id. A default schedule takes the flag from
 * any other.
 */
int desk_store_schedule_insert(struct desk_conn *c, struct desk_schedule *s);

/*
 * Writer only. Replaces name, zone, default flag, intervals and
 * attachments of schedule s->id. DESK_ENOTFOUND when none.
 */
int desk_store_schedule_update(struct desk_conn *c, const struct desk_schedule *s);

/* Writer only. Deletes schedule id and its parts. DESK_ENOTFOUND when none. */
int desk_store_schedule_delete(struct desk_conn *c, int64_t id);

/* Writer only. Inserts a holiday; sets h->id. */
int desk_store_holiday_insert(struct desk_conn *c, struct desk_holiday *h);

/* Writer only. Replaces holiday h->id of schedule h->schedule_id. DESK_ENOTFOUND when none. */
int desk_store_holiday_update(struct desk_conn *c, const struct desk_holiday *h);

/* Writer only. Deletes holiday id of schedule_id. DESK_ENOTFOUND when none. */
int desk_store_holiday_delete(struct desk_conn *c, int64_t schedule_id, int64_t id);

/* Holiday id of schedule_id. DESK_ENOTFOUND when none. */
int desk_store_holiday_get(struct desk_conn *c, struct desk_arena *a, int64_t schedule_id,
                           int64_t id, struct desk_holiday *out);

/* ---- policies ------------------------------------------------------------- */

/* Policy id with its conditions, targets and actions. DESK_ENOTFOUND when none. */
int desk_store_policy_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                          struct desk_sla_policy *out);

/* Every policy in (position, id) order, with their parts. */
int desk_store_policy_list(struct desk_conn *c, struct desk_arena *a, struct desk_sla_policy **out,
                           size_t *n);

/* Writer only. Inserts p and its parts; sets p->id. */
int desk_store_policy_insert(struct desk_conn *c, struct desk_sla_policy *p);

/* Writer only. Replaces policy p->id and its parts. DESK_ENOTFOUND when none. */
int desk_store_policy_update(struct desk_conn *c, const struct desk_sla_policy *p);

/* Writer only. Deletes policy id. DESK_ENOTFOUND when none. */
int desk_store_policy_delete(struct desk_conn *c, int64_t id);

/* ---- clocks and events ------------------------------------------------------ */

/*
 * The clocks of ticket_id: out[m] for each metric m, with present[m] true
 * when the metric ever started.
 */
int desk_store_sla_clocks(struct desk_conn *c, int64_t ticket_id,
                          struct desk_sla_clock out[DESK_SLA_N_METRICS],
                          bool present[DESK_SLA_N_METRICS]);

/* Writer only. Inserts or replaces the clock (ticket_id, metric). */
int desk_store_sla_clock_put(struct desk_conn *c, const struct desk_sla_clock *k);

/* A clock's place in the scheduler's order. */
struct desk_sla_due_key {
    int64_t next_at;
    int64_t ticket_id;
};

/*
 * Up to limit (next_at, ticket_id) pairs after (after.next_at,
 * after.ticket_id) in that order, from the next_at index: one ticket may
 * appear once per clock. Sets *n.
 */
int desk_store_sla_next(struct desk_conn *c, struct desk_sla_due_key after, size_t limit,
                        struct desk_sla_due_key *out, size_t *n);

/*
 * Up to limit tickets with a live clock under schedule_id (active clocks)
 * or policy_id (active or paused), whose rules are older than version.
 * Exactly one of schedule_id and policy_id is non-zero. Sets *n.
 */
int desk_store_sla_stale(struct desk_conn *c, int64_t schedule_id, int64_t policy_id,
                         int64_t version, size_t limit, int64_t *ticket_ids, size_t *n);

/* Writer only. Inserts e (its created_at set by the caller); sets e->id. */
int desk_store_sla_event_insert(struct desk_conn *c, struct desk_sla_event *e);

/*
 * Events of ticket_id, oldest first; metric -1 and cycle 0 for all of them.
 * *out allocated in a.
 */
int desk_store_sla_events(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id, int metric,
                          int cycle, struct desk_sla_event **out, size_t *n);

/*
 * Up to limit events in id order: with after_id 0, from the first written
 * at or after since_ms; else those after after_id.
 */
int desk_store_sla_events_since(struct desk_conn *c, struct desk_arena *a, int64_t since_ms,
                                int64_t after_id, size_t limit, struct desk_sla_event **out,
                                size_t *n);

/* An open target as the calendar shows it. */
struct desk_sla_due {
    int64_t ticket_id;
    int metric;
    int cycle;
    int64_t due_at;
    int64_t risk_at;
    bool breached;
    bool at_risk;
    const char *subject;
    int priority;
    int64_t assignee_id;
    int64_t group_id;
};

/*
 * Active targets with a due time in [from_ms, to_ms) on live tickets
 * assigned to assignee_id and/or in group_id (0 = any; at least one set),
 * earliest first, at most limit. *out in a.
 */
int desk_store_sla_due_list(struct desk_conn *c, struct desk_arena *a, int64_t assignee_id,
                            int64_t group_id, int64_t from_ms, int64_t to_ms, size_t limit,
                            struct desk_sla_due **out, size_t *n);

/* ---- alerts ------------------------------------------------------------------------ */

/* Writer only. Inserts an alert; sets al->id. */
int desk_store_sla_alert_insert(struct desk_conn *c, struct desk_sla_alert *al);

/* Alerts for user_id (0: everyone's), newest first, paged. */
int desk_store_sla_alert_list(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                              const struct desk_page *p, struct desk_sla_alert **items,
                              struct desk_page_out *out);

#endif
