/*
 * The supervisor's desk: each customer message scored for sentiment,
 * abuse and a request for a supervisor (model/signals.h); escalations of
 * tickets to the on-duty supervisors of their group, by an agent's hand,
 * the customer's request, an irate customer or a rule (model/escalation.h);
 * the on-duty roster and per-group settings; alerts for supervisors; and
 * complaints about staff, hidden from the member of staff they name.
 * Everything joins the ticket write path through DESK_SUPERVISOR_HOOK.
 */
#ifndef DESK_APP_ESCALATIONS_H
#define DESK_APP_ESCALATIONS_H

#include "app/hooks.h"
#include "model/escalation.h"
#include "model/signals.h"
#include "store/store_escalations.h"

/* ---- the ticket hook ------------------------------------------------------ */

/*
 * prepare: scores a public message by the requester (an end user); a
 * request for a supervisor (or an irate message, when the group says so)
 * hands the ticket to the chosen on-duty supervisor and raises its
 * priority; checks and routes a complaint naming a member of staff
 * (in->complaint_agent_id: 422 when that user is not staff), which may
 * then be assigned to supervisors and admins only.
 * written: stores the score, the escalation, the complaint, and alerts
 * (abuse, a customer turning irate, nobody on duty).
 */
int desk_supervisor_prepare(struct desk_conn *c, struct desk_ticket_change *ch);
int desk_supervisor_written(struct desk_conn *c, struct desk_ticket_change *ch);

/* The entry for desk_ticket_hooks[] (hooks.c). */
#define DESK_SUPERVISOR_HOOK                                                                       \
    {                                                                                              \
        "supervisor", desk_supervisor_prepare, desk_supervisor_written, NULL                       \
    }

/* ---- what a ticket shows staff ------------------------------------------------ */

#define DESK_SENTIMENT_HISTORY 5

struct desk_ticket_sentiment {
    struct desk_msg_signal latest;
    const char *trend; /* "worsening", "improving", "steady" (static) */
    int64_t abusive_messages;
    size_t n_history; /* latest first, at most DESK_SENTIMENT_HISTORY */
    struct desk_msg_signal history[DESK_SENTIMENT_HISTORY];
};

/*
 * The ticket's sentiment for staff. DESK_ENOTFOUND when no customer
 * message was scored, or for end users (they never see it).
 */
int desk_app_ticket_sentiment(struct desk_app *app, const struct desk_actor *who,
                              struct desk_arena *a, int64_t ticket_id,
                              struct desk_ticket_sentiment *out);

/* The ticket's latest escalation for staff; DESK_ENOTFOUND when none or for end users. */
int desk_app_ticket_escalation(struct desk_app *app, const struct desk_actor *who,
                               struct desk_arena *a, int64_t ticket_id,
                               struct desk_escalation *out);

/* The complaint a ticket holds, for supervisors and admins; DESK_ENOTFOUND otherwise. */
int desk_app_ticket_complaint(struct desk_app *app, const struct desk_actor *who,
                              struct desk_arena *a, int64_t ticket_id, struct desk_complaint *out);

/*
 * True in *out when the ticket must look absent to the actor (a complaint
 * about them). conn: the caller's reader or writer connection.
 */
int desk_app_ticket_hidden(struct desk_conn *c, const struct desk_actor *who, int64_t ticket_id,
                           bool *out);

/* ---- escalations ------------------------------------------------------------ */

struct desk_escalate_input {
    int reason; /* enum desk_esc_reason; agents give one of the manual four */
    int source; /* enum desk_esc_source: agent by hand; sla or rule from jobs */
    const char *note;
};

/*
 * Hands ticket_id to the on-duty supervisor of its group (fewest active
 * escalations, then longest since the last): assigns it to them, raises
 * the priority as the group's settings say, adds an internal note with
 * who and why, in one transaction with the escalation record. Nobody on
 * duty: the escalation stays open without a supervisor and the group's
 * escalation contact (else every supervisor) is alerted. Staff only.
 * 422: a closed ticket, a reason not allowed for the source, a ticket
 * already escalated. 404: a ticket the actor cannot see.
 */
int desk_app_escalate(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                      int64_t ticket_id, const struct desk_escalate_input *in,
                      struct desk_escalation *out, struct desk_fail *fail);

/*
 * Moves escalation id to state to (accepted, resolved or returned) with an
 * optional note, by a supervisor or admin. Accepting takes the ticket (it
 * is assigned to the actor); returning gives it back to the agent who had
 * it; each step adds an internal note. 422 for a move the state does not
 * allow; 404 for an unknown escalation.
 */
int desk_app_escalation_move(struct desk_app *app, const struct desk_actor *who,
                             struct desk_arena *a, int64_t id, int to, const char *note,
                             struct desk_escalation *out, struct desk_fail *fail);

int desk_app_escalation_get(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t id, struct desk_escalation *out);

/* Lists escalations for staff (never tickets hidden from the actor). */
int desk_app_escalation_list(struct desk_app *app, const struct desk_actor *who,
                             struct desk_arena *a, const struct desk_esc_filter *f,
                             const struct desk_page *p, struct desk_escalation **items,
                             struct desk_page_out *out);

/* ---- roster, settings, alerts ---------------------------------------------- */

/*
 * Puts supervisor ids[0..n) on duty for group_id (and takes everyone else
 * off it) until until (0: open-ended); while in force this hand-set
 * roster replaces the schedules for the group. Supervisors and admins. 422 when a
 * user is not an active supervisor or admin, or not in the group; 404 for
 * an unknown group.
 */
int desk_app_roster_set(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        int64_t group_id, const int64_t *ids, size_t n, int64_t until,
                        struct desk_fail *fail);

/*
 * Who is on duty now for group_id (every group when 0), per group and
 * supervisor: the hand-set roster of a group while it is in force, else
 * the group's supervisors and admins whose work schedule (team staff
 * profile) covers now. Staff only.
 */
int desk_app_roster_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         int64_t group_id, struct desk_roster_duty **items, size_t *n);

/* Drops group_id's hand-set roster: schedules decide again. Supervisors and admins; 404 unknown
 * group. */
int desk_app_roster_clear(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                          int64_t group_id);

int desk_app_esc_settings_get(struct desk_app *app, const struct desk_actor *who, int64_t group_id,
                              struct desk_esc_settings *out);

/* Stores s (s->group_id) after checking the group, the contact (staff) and the priority. */
int desk_app_esc_settings_put(struct desk_app *app, const struct desk_actor *who,
                              struct desk_esc_settings *s, struct desk_fail *fail);

/* Alerts for the actor (theirs and every supervisor's; admins see all). */
int desk_app_supervisor_alert_list(struct desk_app *app, const struct desk_actor *who,
                                   struct desk_arena *a, bool open_only, const struct desk_page *p,
                                   struct desk_supervisor_alert **items, struct desk_page_out *out);

/* Acknowledges alert id. 404 when unknown or not the actor's. */
int desk_app_supervisor_alert_ack(struct desk_app *app, const struct desk_actor *who,
                                  struct desk_arena *a, int64_t id,
                                  struct desk_supervisor_alert *out);

/* ---- complaints about staff ------------------------------------------------ */

/* Records the outcome of the complaint on ticket_id. Supervisors and admins; never about oneself.
 */
int desk_app_complaint_decide(struct desk_app *app, const struct desk_actor *who,
                              struct desk_arena *a, int64_t ticket_id, int outcome,
                              const char *note, struct desk_complaint *out, struct desk_fail *fail);

/* Complaints about agent_id (newest first, at most max), for supervisors and admins. */
int desk_app_complaint_list(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t agent_id, size_t max,
                            struct desk_complaint **items, size_t *n);

#endif
