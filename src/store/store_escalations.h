/*
 * Persistence of the supervisor's desk (migration 0007): scored customer
 * messages, per-group escalation settings, the on-duty roster,
 * escalations, supervisor alerts, complaints about staff and the tickets
 * a member of staff must not see. Backend-neutral, like store.h; writes
 * are "writer only" (inside desk_store_write). Records returned by reads
 * have their strings in the caller's arena.
 */
#ifndef DESK_STORE_STORE_ESCALATIONS_H
#define DESK_STORE_STORE_ESCALATIONS_H

#include "model/escalation.h"
#include "store/store.h"

/* ---- scored messages ---------------------------------------------------- */

struct desk_msg_signal {
    int64_t id;
    int64_t ticket_id;
    int64_t comment_id;
    int64_t author_id;
    double score;
    int mood;
    bool abusive;
    bool supervisor_request;
    const char *triggers; /* lines of "kind<TAB>phrase" */
    int64_t created_at;
};

/* Writer only. Inserts s (sets s->id). */
int desk_store_signal_insert(struct desk_conn *c, struct desk_msg_signal *s);

/* The ticket's latest scored messages, newest first: up to max into *items (arena), *n. */
int desk_store_signal_recent(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                             size_t max, struct desk_msg_signal **items, size_t *n);

/* How many of the ticket's scored messages were abusive. */
int desk_store_signal_abusive_count(struct desk_conn *c, int64_t ticket_id, int64_t *out);

/* ---- settings and roster ------------------------------------------------- */

struct desk_esc_settings {
    int64_t group_id;
    int64_t contact_id; /* alerted when nobody is on duty; 0 none */
    int raise_priority; /* DESK_PRIORITY_*; 0 keeps the ticket's */
    bool auto_customer;
    bool auto_irate;
    bool auto_sla_breach;  /* an SLA target breached escalates */
    bool auto_sla_at_risk; /* an SLA target at risk escalates */
    int reopen_threshold;  /* reopenings that escalate; 0 never */
    int64_t updated_at;    /* 0: defaults, never stored */
};

/*
 * The group's settings, or the defaults when none are stored: high,
 * customer on, irate off, SLA breach on, SLA at risk off, two reopenings.
 */
int desk_store_esc_settings_get(struct desk_conn *c, int64_t group_id,
                                struct desk_esc_settings *out);

/* Writer only. Stores s for s->group_id (insert or replace). */
int desk_store_esc_settings_put(struct desk_conn *c, const struct desk_esc_settings *s);

struct desk_roster_entry {
    int64_t group_id;
    int64_t supervisor_id;
    int64_t since;
    int64_t until; /* 0: open-ended */
    int64_t set_by;
};

/*
 * Writer only. Makes ids[0..n) the group's supervisors on duty from now
 * (until, 0 for open-ended), set by hand: entries of others are removed,
 * existing ones keep their since, and the hand-set roster replaces the
 * schedules for the group until then.
 */
int desk_store_roster_set(struct desk_conn *c, int64_t group_id, const int64_t *ids, size_t n,
                          int64_t until, int64_t set_by, int64_t now);

/* Writer only. Drops the group's hand-set roster: the schedules decide again. */
int desk_store_roster_clear(struct desk_conn *c, int64_t group_id);

/*
 * Who may be on duty for a group: the hand-set entries in force when the
 * group's roster is set by hand, else every active supervisor or admin of
 * the group with a work schedule (the app checks whether it covers now).
 */
struct desk_roster_duty {
    int64_t group_id;
    struct desk_esc_candidate cand; /* with active escalations and latest assignment */
    bool manual;
    int64_t since, until, set_by; /* hand-set entries */
    const char *schedule;         /* text form (model/staff.h), scheduled ones */
    const char *zone;             /* the schedule's zone, else the user's */
};

/*
 * The rows above for group_id (every group when 0) at now, ordered by
 * group then supervisor. Strings in a.
 */
int desk_store_roster_duty(struct desk_conn *c, struct desk_arena *a, int64_t group_id, int64_t now,
                           struct desk_roster_duty **items, size_t *n);

/* Up to max users ticket_id is hidden from (ticket_hidden), into ids; *n how many. */
int desk_store_ticket_hidden_users(struct desk_conn *c, int64_t ticket_id, int64_t *ids, size_t max,
                                   size_t *n);

/* ---- automatic triggers and reopenings --------------------------------------- */

/* True in *out when ticket_id already had trigger (see escalation_triggers). */
int desk_store_esc_trigger_seen(struct desk_conn *c, int64_t ticket_id, const char *trigger,
                                bool *out);

/* Writer only. Records trigger for ticket_id (escalation_id 0: none opened). Ignores repeats. */
int desk_store_esc_trigger_put(struct desk_conn *c, int64_t ticket_id, const char *trigger,
                               int64_t escalation_id, int64_t now);

/* How many times ticket_id was reopened (0 when never). */
int desk_store_reopens_get(struct desk_conn *c, int64_t ticket_id, int64_t *out);

/* Writer only. Counts one more reopening of ticket_id. */
int desk_store_reopens_add(struct desk_conn *c, int64_t ticket_id, int64_t now);

/* ---- escalations ----------------------------------------------------------- */

/* Writer only. Inserts e (sets e->id). DESK_ECONFLICT when the ticket has an active one. */
int desk_store_esc_insert(struct desk_conn *c, struct desk_escalation *e);

/* Writer only. Replaces the mutable fields of escalation e->id. */
int desk_store_esc_update(struct desk_conn *c, const struct desk_escalation *e);

int desk_store_esc_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                       struct desk_escalation *out);

/* The ticket's latest escalation (any state). DESK_ENOTFOUND when it never had one. */
int desk_store_esc_latest(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                          struct desk_escalation *out);

struct desk_esc_filter {
    int state; /* -1 any */
    int64_t supervisor_id;
    int64_t group_id;
    int64_t ticket_id;
    int64_t hidden_from; /* leave out tickets hidden from this user */
};

int desk_store_esc_list(struct desk_conn *c, struct desk_arena *a, const struct desk_esc_filter *f,
                        const struct desk_page *p, struct desk_escalation **items,
                        struct desk_page_out *out);

/* ---- alerts ------------------------------------------------------------------ */

struct desk_supervisor_alert {
    int64_t id;
    const char *kind; /* "abuse", "irate", "unstaffed" */
    int64_t ticket_id;
    int64_t group_id;
    int64_t escalation_id;
    int64_t recipient_id; /* 0: every supervisor */
    const char *message;
    int64_t created_at;
    int64_t acknowledged_at;
    int64_t acknowledged_by;
};

/* Writer only. Inserts al (sets al->id). */
int desk_store_supervisor_alert_insert(struct desk_conn *c, struct desk_supervisor_alert *al);

/* Alerts for recipient (theirs and everyone's; 0: all), optionally unacknowledged only. */
int desk_store_supervisor_alert_list(struct desk_conn *c, struct desk_arena *a, int64_t recipient,
                                     bool open_only, int64_t hidden_from, const struct desk_page *p,
                                     struct desk_supervisor_alert **items,
                                     struct desk_page_out *out);

int desk_store_supervisor_alert_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                                    struct desk_supervisor_alert *out);

/* Writer only. Marks alert id acknowledged (first acknowledgement wins). */
int desk_store_supervisor_alert_ack(struct desk_conn *c, int64_t id, int64_t by, int64_t now);

/* ---- complaints and hidden tickets ------------------------------------------- */

/*
 * Writer only. Records that ticket_id complains about agent_id (or moves
 * the complaint to another agent), and hides the ticket from that agent
 * only.
 */
int desk_store_complaint_put(struct desk_conn *c, int64_t ticket_id, int64_t agent_id, int64_t now);

int desk_store_complaint_get(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                             struct desk_complaint *out);

/* Writer only. Stores the outcome of the complaint on ticket_id. */
int desk_store_complaint_decide(struct desk_conn *c, int64_t ticket_id, int outcome,
                                const char *note, int64_t by, int64_t now);

/* Complaints about agent_id, newest first (at most max). */
int desk_store_complaint_list(struct desk_conn *c, struct desk_arena *a, int64_t agent_id,
                              size_t max, struct desk_complaint **items, size_t *n);

/* True in *out when ticket_id is hidden from user_id. */
int desk_store_ticket_hidden(struct desk_conn *c, int64_t user_id, int64_t ticket_id, bool *out);

#endif
