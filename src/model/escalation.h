/*
 * Escalation rules, pure: the states, sources and reasons of an escalation
 * and their wire names, which state changes are allowed, how an escalation
 * is shared fairly among the supervisors on duty, and the outcomes of a
 * complaint about staff. The use cases are in app/escalations.h.
 */
#ifndef DESK_MODEL_ESCALATION_H
#define DESK_MODEL_ESCALATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum desk_esc_state { DESK_ESC_OPEN, DESK_ESC_ACCEPTED, DESK_ESC_RESOLVED, DESK_ESC_RETURNED };

enum desk_esc_source {
    DESK_ESC_SRC_AGENT,
    DESK_ESC_SRC_CUSTOMER,
    DESK_ESC_SRC_SLA,
    DESK_ESC_SRC_SENTIMENT,
    DESK_ESC_SRC_RULE
};

enum desk_esc_reason {
    DESK_ESC_DIFFICULT_CUSTOMER,
    DESK_ESC_POLICY_EXCEPTION,
    DESK_ESC_LEGAL,
    DESK_ESC_TECHNICAL,
    DESK_ESC_CUSTOMER_REQUEST, /* the customer asked for a supervisor */
    DESK_ESC_IRATE,            /* sentiment turned irate */
    DESK_ESC_SLA_RISK,         /* an SLA target at risk or breached */
    DESK_ESC_COMPLAINT,        /* a complaint about a member of staff */
    DESK_ESC_REOPENED          /* reopened as often as the group allows */
};

enum desk_complaint_outcome {
    DESK_OUTCOME_UPHELD,
    DESK_OUTCOME_NOT_UPHELD,
    DESK_OUTCOME_COACHING,
    DESK_OUTCOME_FORMAL_WARNING
};

/*
 * Wire names ("open", "agent", "difficult_customer", "formal_warning", ...)
 * as static strings, NULL for an unknown value; the parsers return 0 and
 * set *out, or DESK_EINVAL. Reasons an agent may give by hand are the
 * first four (desk_esc_reason_manual).
 */
const char *desk_esc_state_name(int state);
int desk_esc_state_parse(const char *s, int *out);
const char *desk_esc_source_name(int source);
int desk_esc_source_parse(const char *s, int *out);
const char *desk_esc_reason_name(int reason);
int desk_esc_reason_parse(const char *s, int *out);
bool desk_esc_reason_manual(int reason);
const char *desk_complaint_outcome_name(int outcome);
int desk_complaint_outcome_parse(const char *s, int *out);

/* True while an escalation waits for or is with a supervisor (open, accepted). */
bool desk_esc_active(int state);

/*
 * Whether an escalation in state from may move to state to: open → accepted,
 * open or accepted → resolved or returned. Nothing leaves resolved or
 * returned.
 */
bool desk_esc_transition_ok(int from, int to);

/* A supervisor on duty, as the fair choice sees them. */
struct desk_esc_candidate {
    int64_t supervisor_id;
    int64_t active;           /* escalations open or accepted with them now */
    int64_t last_assigned_at; /* ms of their latest escalation, 0 when never */
};

/*
 * Index of the supervisor the next escalation goes to: fewest active
 * escalations, then the longest since their last one (never first), then
 * the lowest id, so the choice is deterministic. Returns -1 when n is 0.
 * Borrows c.
 */
long desk_esc_choose(const struct desk_esc_candidate *c, size_t n);

/* One escalation of a ticket (strings borrowed like any record's). */
struct desk_escalation {
    int64_t id;
    int64_t ticket_id;
    int64_t group_id;
    int state;  /* enum desk_esc_state */
    int source; /* enum desk_esc_source */
    int reason; /* enum desk_esc_reason */
    const char *note;
    int64_t requested_by;  /* 0 for automatic escalations */
    int64_t supervisor_id; /* 0: nobody was on duty */
    int64_t previous_assignee_id;
    int previous_priority;
    int64_t created_at;
    int64_t accepted_at;
    int64_t accepted_by;
    int64_t closed_at; /* resolved or returned */
    int64_t closed_by;
    const char *resolution;
    int64_t updated_at;
};

/* A complaint about a member of staff; outcome -1 while pending. */
struct desk_complaint {
    int64_t ticket_id;
    int64_t agent_id;
    int outcome; /* enum desk_complaint_outcome, or -1 */
    const char *outcome_note;
    int64_t decided_by;
    int64_t decided_at;
    int64_t created_at;
    int64_t updated_at;
};

#endif
