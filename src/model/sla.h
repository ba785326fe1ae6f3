/*
 * SLA policies and clocks as pure rules: which policy applies to a ticket,
 * what each change to a ticket does to the seven metrics (start a cycle,
 * pause, resume, fulfil), and the arithmetic of a clock (elapsed time, due
 * and at-risk times, breaches) over a business-hours schedule. Events are
 * the record: every clock is the state after its last event plus the time
 * since, measured under the rules in force (see docs/sla.md).
 */
#ifndef DESK_MODEL_SLA_H
#define DESK_MODEL_SLA_H

#include "core/arena.h"
#include "core/error.h"
#include "model/calendar.h"
#include "model/records.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The seven metrics (CONTACT_CENTER.md "Ticket SLA metrics"). */
enum desk_sla_metric {
    DESK_SLA_FIRST_REPLY,
    DESK_SLA_NEXT_REPLY,
    DESK_SLA_PERIODIC_UPDATE,
    DESK_SLA_PAUSABLE_UPDATE,
    DESK_SLA_REQUESTER_WAIT,
    DESK_SLA_AGENT_WORK,
    DESK_SLA_TOTAL_RESOLUTION,
    DESK_SLA_N_METRICS
};

/* Metric event types, as stored and as /ticket_metric_events names them. */
enum desk_sla_event_type {
    DESK_SLA_EV_ACTIVATE = 1,
    DESK_SLA_EV_PAUSE,
    DESK_SLA_EV_FULFILL,
    DESK_SLA_EV_APPLY_SLA,
    DESK_SLA_EV_BREACH,
    DESK_SLA_EV_AT_RISK
};

/* A clock's state in its current cycle. */
enum desk_sla_state { DESK_SLA_NONE, DESK_SLA_ACTIVE, DESK_SLA_PAUSED, DESK_SLA_FULFILLED };

/* What a policy action reacts to, and what it does. */
enum desk_sla_trigger { DESK_SLA_ON_AT_RISK = 1, DESK_SLA_ON_BREACH };
enum desk_sla_action_kind {
    DESK_SLA_ACT_ADD_TAGS = 1,
    DESK_SLA_ACT_SET_PRIORITY,
    DESK_SLA_ACT_RAISE_PRIORITY,
    DESK_SLA_ACT_SET_GROUP,
    DESK_SLA_ACT_NOTIFY
};

#define DESK_SLA_MAX_CONDITIONS 32
#define DESK_SLA_MAX_TARGETS    (4 * DESK_SLA_N_METRICS)
#define DESK_SLA_MAX_ACTIONS    16
#define DESK_SLA_TARGET_MAX_S   (366LL * 24 * 3600) /* a year */
#define DESK_SLA_RISK_DEFAULT   75                  /* percent of the target */

/*
 * Wire names. *_name return static strings; *_parse match exactly, set
 * *out and return 0, or return DESK_EINVAL.
 */
const char *desk_sla_metric_name(int metric);
int desk_sla_metric_parse(const char *s, int *out);
const char *desk_sla_event_name(int type);
const char *desk_sla_state_name(int state);
const char *desk_sla_trigger_name(int on);
int desk_sla_trigger_parse(const char *s, int *out);
const char *desk_sla_action_name(int kind);
int desk_sla_action_parse(const char *s, int *out);

/* One filter condition: field, operator, value (Zendesk's {field, operator, value}). */
struct desk_sla_condition {
    bool any; /* in filter.any (else filter.all) */
    const char *field;
    const char *op;
    const char *value;
};

/* A target: for tickets of priority, metric must be met within target_s. */
struct desk_sla_target {
    int priority; /* DESK_PRIORITY_LOW..URGENT */
    int metric;
    int64_t target_s;
    bool business_hours;
};

struct desk_sla_action {
    int on;   /* DESK_SLA_ON_* */
    int kind; /* DESK_SLA_ACT_* */
    const char *value;
};

struct desk_sla_policy {
    int64_t id;
    const char *title;
    const char *description;
    int64_t position;
    int64_t schedule_id; /* 0: the ticket's organization, group or default schedule */
    int at_risk_pct;     /* 1..99: a target is at risk once this share has elapsed */
    struct desk_sla_condition *conditions;
    size_t n_conditions;
    struct desk_sla_target *targets;
    size_t n_targets;
    struct desk_sla_action *actions;
    size_t n_actions;
    int64_t created_at;
    int64_t updated_at;
};

/*
 * Validates a policy: title present, conditions on known fields with an
 * operator and value that fit, targets with a priority, a metric, a length
 * of 1 s to a year, each (priority, metric) once, actions known with the
 * value they need, at_risk_pct 1..99. Returns 0 or DESK_EINVALID with fail
 * naming the field ("title", "filter", "policy_metrics", "actions",
 * "at_risk_percent"); texts in a.
 */
int desk_sla_policy_check(const struct desk_sla_policy *p, struct desk_arena *a,
                          struct desk_fail *fail);

/* True when ticket t meets every "all" condition and at least one "any" (if there are any). */
bool desk_sla_policy_matches(const struct desk_sla_policy *p, const struct desk_ticket *t);

/*
 * The target for metric on a ticket of this priority (no priority counts
 * as normal), or NULL. Borrowed from p.
 */
const struct desk_sla_target *desk_sla_policy_target(const struct desk_sla_policy *p, int priority,
                                                     int metric);

/* ---- schedules ----------------------------------------------------------- */

/* A holiday as stored: whole days in the schedule's zone, end inclusive. */
struct desk_holiday {
    int64_t id;
    int64_t schedule_id;
    const char *name;
    const char *start_date; /* YYYY-MM-DD */
    const char *end_date;
    bool yearly;
    int64_t created_at;
    int64_t updated_at;
};

/* A business-hours schedule as stored, with what it is attached to. */
struct desk_schedule {
    int64_t id;
    const char *name;
    const char *time_zone;
    bool is_default;
    struct desk_bh_interval *intervals;
    size_t n_intervals;
    struct desk_holiday *holidays;
    size_t n_holidays;
    int64_t *group_ids;
    size_t n_group_ids;
    int64_t *organization_ids;
    size_t n_organization_ids;
    int64_t created_at;
    int64_t updated_at;
};

/*
 * Compiles a stored schedule (see desk_bh_compile): a holiday date that is
 * not YYYY-MM-DD is DESK_EINVALID on "holidays". Returns 0 and *out (owned,
 * desk_bh_free), or DESK_EINVALID with fail (texts in a).
 */
int desk_schedule_compile(const struct desk_schedule *s, struct desk_arena *a, struct desk_bh **out,
                          struct desk_fail *fail);

/* ---- what a change does to the metrics ----------------------------------- */

/* A ticket change as the metric rules see it. */
struct desk_sla_change {
    bool created;
    int status_before; /* ignored when created */
    int status_after;
    bool public_comment; /* the change adds a public comment */
    bool agent_comment;  /* ... written by staff (else by an end user) */
};

/* Reasons the rules give, which the metrics read back. */
#define DESK_SLA_WHY_FIRST_REPLY "first public reply by an agent"
#define DESK_SLA_WHY_REOPENED    "ticket reopened"

enum desk_sla_op_kind {
    DESK_SLA_OP_START = 1, /* a new cycle begins, active */
    DESK_SLA_OP_RESUME,    /* the current cycle runs again */
    DESK_SLA_OP_PAUSE,
    DESK_SLA_OP_FULFILL
};

struct desk_sla_op {
    int metric;
    int kind;
    const char *reason; /* static text for the event */
};

#define DESK_SLA_OPS_MAX (3 * DESK_SLA_N_METRICS)

/*
 * The operations a change causes, in order, given each metric's state in
 * its current cycle (DESK_SLA_NONE when it never started). Writes at most
 * DESK_SLA_OPS_MAX ops to out and returns how many.
 */
size_t desk_sla_ops(const struct desk_sla_change *ch, const int state[DESK_SLA_N_METRICS],
                    struct desk_sla_op out[DESK_SLA_OPS_MAX]);

/* ---- events and clocks ------------------------------------------------------ */

struct desk_sla_event {
    int64_t id;
    int64_t ticket_id;
    int metric;
    int cycle;
    int type;
    int64_t at;         /* when it happened (a breach: when the target ran out) */
    int64_t elapsed_ms; /* the clock's elapsed time at `at`, under the rules then in force */
    int64_t paused_ms;  /* time spent paused so far in this cycle, same rules */
    int64_t policy_id;  /* the rules in force after this event: 0 = no target */
    int64_t target_s;
    bool business_hours;
    int64_t schedule_id;
    int64_t due_at; /* after this event; 0 when none (paused, fulfilled, no target) */
    const char *reason;
    int64_t created_at; /* when it was written */
};

/* A clock: its current cycle as of its last event, plus what the scheduler needs. */
struct desk_sla_clock {
    int64_t ticket_id;
    int metric;
    int cycle;
    int state;
    int64_t started_at;
    int64_t last_at;
    int64_t elapsed_ms;
    int64_t paused_ms;
    int64_t policy_id;
    int64_t target_s;
    bool business_hours;
    int64_t schedule_id;
    int64_t due_at;
    int64_t risk_at;
    bool breached;
    bool at_risk;
    int64_t next_at; /* the earliest of risk_at/due_at still to be marked, 0 when none */
    int64_t rules_version;
};

/*
 * Brings a clock to now: the time since its last event counts as elapsed
 * (active) or paused (paused) under bh (NULL: calendar time); last_at
 * becomes now. Times before last_at are ignored.
 */
void desk_sla_clock_advance(struct desk_sla_clock *c, const struct desk_bh *bh, int64_t now);

/*
 * Recomputes due_at, risk_at and next_at from the clock's state, elapsed
 * time and target: an active clock with a target is due when the rest of
 * the target has run (desk_bh_add from last_at); one already past its
 * target keeps the due time it had, or last_at when it had none (clear
 * due_at and risk_at first when the target changes). Paused and fulfilled
 * clocks keep their last due time for display and get no next_at.
 * risk_pct is the policy's share.
 */
void desk_sla_clock_deadlines(struct desk_sla_clock *c, const struct desk_bh *bh, int risk_pct);

/*
 * The marks a clock has reached by now and not yet recorded, in time
 * order: at most an at-risk and a breach. Sets c->at_risk/breached and
 * writes the events (type, at, elapsed_ms) into out; returns how many.
 */
size_t desk_sla_clock_marks(struct desk_sla_clock *c, int64_t now, int risk_pct,
                            struct desk_sla_event out[2]);

/*
 * Measures a cycle again under new rules, from its events (oldest first):
 * every active span counts as elapsed, every paused span as paused, up to
 * now when the last event leaves it running or paused. Used when a target
 * is first attached to a cycle that started without one.
 */
void desk_sla_remeasure(const struct desk_sla_event *ev, size_t n, const struct desk_bh *bh,
                        int64_t now, int64_t *elapsed_ms, int64_t *paused_ms);

/*
 * Zendesk's ticket metrics for one ticket, derived from its metric events
 * and audit trail when read; durations in ms, -1 while not reached. The id
 * is the ticket's.
 */
struct desk_ticket_metrics {
    int64_t id;
    int64_t ticket_id;
    int64_t created_at;
    int64_t updated_at;
    int64_t group_stations;
    int64_t assignee_stations;
    int64_t reopens;
    int64_t replies;
    int64_t assignee_updated_at;
    int64_t requester_updated_at;
    int64_t status_updated_at;
    int64_t initially_assigned_at;
    int64_t assigned_at;
    int64_t solved_at;
    int64_t latest_comment_added_at;
    int64_t reply_cal, reply_bus;
    int64_t first_resolution_cal, first_resolution_bus;
    int64_t full_resolution_cal, full_resolution_bus;
    int64_t agent_wait_cal, agent_wait_bus;
    int64_t requester_wait_cal, requester_wait_bus;
    int64_t on_hold_cal, on_hold_bus;
};

/* A notice that a ticket's target is at risk or breached, for one person. */
struct desk_sla_alert {
    int64_t id;
    int64_t ticket_id;
    int64_t user_id;
    int metric;
    int kind; /* DESK_SLA_ON_AT_RISK or DESK_SLA_ON_BREACH */
    int64_t due_at;
    int64_t created_at;
    int64_t read_at;
};

/*
 * A duration as people read it: "1 h 30 min", "45 min", "2 d 3 h",
 * "20 s". Returns a string owned by a.
 */
char *desk_sla_duration_text(struct desk_arena *a, int64_t ms);

#endif
