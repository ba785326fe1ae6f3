/*
 * The supervisor's desk (escalations.h): the ticket hook that scores
 * customer messages and escalates on their behalf, the escalation use
 * cases, the roster, settings, alerts and complaints about staff. Changes
 * to a ticket made here go through desk_app_ticket_update_in, inside the
 * same transaction as the rows of this capability.
 */
#include "app/escalations.h"
#include "app/app_int.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/time.h"
#include "model/staff.h"
#include "store/store_sla.h"

#include <stdio.h>
#include <string.h>

static bool is_supervisor(int role)
{
    return role == DESK_ROLE_SUPERVISOR || role == DESK_ROLE_ADMIN;
}

int desk_app_ticket_hidden(struct desk_conn *c, const struct desk_actor *who, int64_t ticket_id,
                           bool *out)
{
    *out = false;
    if (!who->user_id || !desk_role_is_staff(who->role)) {
        return 0;
    }
    return desk_store_ticket_hidden(c, who->user_id, ticket_id, out);
}

/* ---- choosing a supervisor ------------------------------------------------- */

/* Whether a work schedule (text form) in zone covers now; a broken one never does. */
static bool schedule_covers(const char *schedule, const char *zone, int64_t now)
{
    struct desk_work_schedule s;
    int m;
    if (!schedule || desk_schedule_parse(schedule, &s, NULL, NULL) != 0 ||
        desk_zone_minute_of_week(zone ? zone : "UTC", now, &m) != 0) {
        return false;
    }
    return desk_schedule_covers(&s, m);
}

/*
 * Who is on duty now for group_id (every group when 0): the hand-set
 * roster of a group while it is in force, else the group's supervisors
 * whose work schedule covers now. Rows per group and supervisor.
 */
static int on_duty(struct desk_conn *c, struct desk_arena *a, int64_t group_id, int64_t now,
                   struct desk_roster_duty **out, size_t *n)
{
    struct desk_roster_duty *v;
    size_t k = 0, m;
    int rc = desk_store_roster_duty(c, a, group_id, now, &v, &m);
    if (rc) {
        return rc;
    }
    for (size_t i = 0; i < m; i++) {
        if (v[i].manual || schedule_covers(v[i].schedule, v[i].zone, now)) {
            v[k++] = v[i];
        }
    }
    *out = v;
    *n = k;
    return 0;
}

/* The on-duty supervisor an escalation of a ticket in group_id goes to, or 0. */
static int choose_supervisor(struct desk_conn *c, struct desk_arena *a, int64_t group_id,
                             int64_t now, int64_t avoid, int64_t *out)
{
    struct desk_roster_duty *duty;
    size_t n;
    int rc = on_duty(c, a, group_id, now, &duty, &n);
    if (rc) {
        return rc;
    }
    /* Each supervisor once (a ticket without a group sees every group's roster); a
     * complaint never goes to the supervisor it is about. */
    struct desk_esc_candidate *cand = desk_arena_alloc(a, (n ? n : 1) * sizeof(*cand));
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        bool dup = duty[i].cand.supervisor_id == avoid;
        for (size_t j = 0; j < k && !dup; j++) {
            dup = cand[j].supervisor_id == duty[i].cand.supervisor_id;
        }
        if (!dup) {
            cand[k++] = duty[i].cand;
        }
    }
    long i = desk_esc_choose(cand, k);
    *out = i >= 0 ? cand[i].supervisor_id : 0;
    return 0;
}

static const char *user_name(struct desk_conn *c, struct desk_arena *a, int64_t id)
{
    struct desk_user u;
    if (id && desk_store_user_get(c, a, id, &u) == 0 && u.name) {
        return u.name;
    }
    return id ? desk_arena_printf(a, "user %lld", (long long)id) : "nobody";
}

/* Nobody on duty: the group's escalation contact (or every supervisor) hears of it. */
static int alert_unstaffed(struct desk_conn *c, struct desk_arena *a,
                           const struct desk_escalation *e, int64_t contact)
{
    struct desk_supervisor_alert al = {0};
    al.kind = "unstaffed";
    al.ticket_id = e->ticket_id;
    al.group_id = e->group_id;
    al.escalation_id = e->id;
    al.recipient_id = contact;
    al.message = desk_arena_printf(a,
                                   "Ticket #%lld was escalated (%s, %s) but no supervisor is on "
                                   "duty for its group",
                                   (long long)e->ticket_id, desk_esc_source_name(e->source),
                                   desk_esc_reason_name(e->reason));
    al.created_at = e->created_at;
    return desk_store_supervisor_alert_insert(c, &al);
}

/* ---- the ticket hook -------------------------------------------------------- */

/*
 * What prepare decided for the write in progress, kept for written. Both
 * run on the writer thread, one write after another, so one slot keyed by
 * the change suffices; a stale slot (a later hook failed) is never matched.
 */
struct pending {
    const struct desk_ticket_change *ch;
    bool scored;
    struct desk_signals sig;
    bool escalate;
    struct desk_escalation esc;
    int64_t contact;
    bool complaint;
    int64_t complaint_agent;
    int prev_mood; /* -1: no earlier score */
    bool reopened; /* this write takes the ticket from solved back to work */
    size_t n_triggers;
    const char *triggers[DESK_SLA_N_METRICS + 1]; /* automatic triggers seen for the first time */
    const char *cause;                            /* the trigger behind the escalation, if any */
};

static _Thread_local struct pending pend;

/* Set while an escalation's own hand-off is written (it reopens a solved ticket on purpose). */
static _Thread_local bool in_handoff;

/* A public message written by the ticket's requester who is not staff. */
static int customer_message(struct desk_conn *c, struct desk_ticket_change *ch, bool *out)
{
    *out = false;
    if (!ch->comment || !ch->comment_public || ch->comment_author != ch->after->requester_id) {
        return 0;
    }
    if (ch->who->user_id == ch->comment_author) {
        *out = !desk_role_is_staff(ch->who->role);
        return 0;
    }
    struct desk_user u;
    int rc = desk_store_user_get(c, ch->a, ch->comment_author, &u);
    if (rc == DESK_ENOTFOUND) {
        return 0;
    }
    if (!rc) {
        *out = !desk_role_is_staff(u.role);
    }
    return rc;
}

/* Checks the complaint a change names, if any; sets pend.complaint(_agent). */
static int prepare_complaint(struct desk_conn *c, struct desk_ticket_change *ch)
{
    const struct desk_ticket_input *in = ch->in;
    struct desk_ticket *t = ch->after;
    int64_t agent = 0;
    int rc;
    if (in->has_complaint_agent_id && desk_role_is_staff(ch->who->role)) {
        agent = in->complaint_agent_id;
        if (!agent) {
            return desk_fail(ch->fail, DESK_EINVALID, "complaint_agent_id", "BlankValue",
                             "Complaint agent: cannot be removed from a complaint");
        }
        struct desk_user u;
        if (desk_store_user_get(c, ch->a, agent, &u) != 0 || !u.active) {
            return desk_fail(ch->fail, DESK_EINVALID, "complaint_agent_id", "InvalidValue",
                             desk_arena_printf(ch->a, "Complaint agent: user %lld does not exist",
                                               (long long)agent));
        }
        if (!desk_role_is_staff(u.role)) {
            return desk_fail(ch->fail, DESK_EINVALID, "complaint_agent_id", "InvalidValue",
                             desk_arena_printf(ch->a,
                                               "Complaint agent: user %lld is not a member of "
                                               "staff",
                                               (long long)agent));
        }
        if (in->has_type && t->type != DESK_TTYPE_COMPLAINT) {
            return desk_fail(ch->fail, DESK_EINVALID, "type", "InvalidValue",
                             "Type: a ticket naming a complaint agent must be a complaint");
        }
        t->type = DESK_TTYPE_COMPLAINT;
        pend.complaint = true;
        pend.complaint_agent = agent;
    } else if (ch->before && t->type == DESK_TTYPE_COMPLAINT) {
        struct desk_complaint k;
        rc = desk_store_complaint_get(c, ch->a, t->id, &k);
        if (rc && rc != DESK_ENOTFOUND) {
            return rc;
        }
        agent = rc ? 0 : k.agent_id;
    }
    if (!agent) {
        return 0;
    }
    if (ch->before && ch->before->type == DESK_TTYPE_COMPLAINT && t->type != DESK_TTYPE_COMPLAINT) {
        return desk_fail(ch->fail, DESK_EINVALID, "type", "InvalidValue",
                         "Type: a complaint about staff stays a complaint");
    }
    /* Nor do they follow it: followers hear of every public reply. */
    for (size_t i = 0; i < t->n_collaborator_ids; i++) {
        if (t->collaborator_ids[i] == agent) {
            return desk_fail(ch->fail, DESK_EINVALID, "collaborator_ids", "InvalidValue",
                             "Followers: a complaint about staff is never followed by the person "
                             "it names");
        }
    }
    /* Complaints about staff are for supervisors only, never the person they name. */
    bool assignee_set = in->has_assignee_id || in->assignee_email;
    if (t->assignee_id && (assignee_set || pend.complaint)) {
        struct desk_user u;
        if ((rc = desk_store_user_get(c, ch->a, t->assignee_id, &u)) != 0) {
            return rc;
        }
        if (!is_supervisor(u.role) || u.id == agent) {
            if (assignee_set) {
                return desk_fail(ch->fail, DESK_EINVALID, "assignee_id", "InvalidValue",
                                 "Assignee: a complaint about staff goes to supervisors only, "
                                 "never to the person it names");
            }
            t->assignee_id = 0;
        }
    }
    return 0;
}

static int active_escalation(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                             bool *out)
{
    struct desk_escalation e;
    *out = false;
    if (!ticket_id) {
        return 0;
    }
    int rc = desk_store_esc_latest(c, a, ticket_id, &e);
    if (rc == DESK_ENOTFOUND) {
        return 0;
    }
    if (!rc) {
        *out = desk_esc_active(e.state);
    }
    return rc;
}

/* Decides an automatic escalation and applies it to the ticket being written. */
static int prepare_escalation(struct desk_conn *c, struct desk_ticket_change *ch, int source,
                              int reason, const char *note)
{
    struct desk_ticket *t = ch->after;
    struct desk_esc_settings s;
    bool active;
    int rc = active_escalation(c, ch->a, ch->before ? ch->before->id : 0, &active);
    if (rc || active || t->status == DESK_STATUS_CLOSED) {
        return rc;
    }
    if ((rc = desk_store_esc_settings_get(c, t->group_id, &s)) != 0) {
        return rc;
    }
    if ((source == DESK_ESC_SRC_CUSTOMER && !s.auto_customer) ||
        (source == DESK_ESC_SRC_SENTIMENT && !s.auto_irate)) {
        return 0;
    }
    struct desk_escalation *e = &pend.esc;
    memset(e, 0, sizeof(*e));
    e->group_id = t->group_id;
    e->state = DESK_ESC_OPEN;
    e->source = source;
    e->reason = reason;
    e->note = note;
    e->previous_assignee_id = ch->before ? ch->before->assignee_id : t->assignee_id;
    e->previous_priority = ch->before ? ch->before->priority : t->priority;
    e->created_at = e->updated_at = ch->now;
    if ((rc = choose_supervisor(c, ch->a, t->group_id, ch->now, pend.complaint_agent,
                                &e->supervisor_id)) != 0) {
        return rc;
    }
    if (e->supervisor_id) {
        t->assignee_id = e->supervisor_id;
    }
    /* An SLA policy raises priority by its own breach and at-risk actions: an escalation
     * for the same deadline does not raise it a second time. */
    if (s.raise_priority > t->priority && source != DESK_ESC_SRC_SLA) {
        t->priority = s.raise_priority;
    }
    pend.contact = s.contact_id;
    pend.escalate = true;
    /* The escalation is a change of its own: even when it moves no field (nobody on duty,
     * priority already high) the write is not a no-op and is audited. */
    struct desk_audit_event *ev = desk_arena_alloc(ch->a, (ch->n_events + 1) * sizeof(*ev));
    if (ch->n_events) {
        memcpy(ev, ch->events, ch->n_events * sizeof(*ev));
    }
    memset(&ev[ch->n_events], 0, sizeof(*ev));
    ev[ch->n_events].type = ch->before ? "Change" : "Create";
    ev[ch->n_events].field = "escalation";
    ev[ch->n_events].new_value =
        desk_arena_printf(ch->a, "%s (%s, %s)%s%s", e->supervisor_id ? "open" : "open, unstaffed",
                          desk_esc_reason_name(reason), desk_esc_source_name(source),
                          note ? ": " : "", note ? note : "");
    ch->events = ev;
    ch->n_events++;
    return 0;
}

/* Notes a trigger seen on this ticket for the first time (kept by written). */
static int first_time(struct desk_conn *c, struct desk_ticket_change *ch, const char *trigger,
                      bool *out)
{
    bool seen;
    int rc = desk_store_esc_trigger_seen(c, ch->before->id, trigger, &seen);
    *out = false;
    if (rc || seen || pend.n_triggers == sizeof(pend.triggers) / sizeof(pend.triggers[0])) {
        return rc;
    }
    pend.triggers[pend.n_triggers++] = trigger;
    *out = true;
    return 0;
}

/* The group's escalation settings, read once per write and only when a rule needs them. */
struct lazy_settings {
    bool loaded;
    struct desk_esc_settings s;
};

static int settings_of(struct desk_conn *c, const struct desk_ticket_change *ch,
                       struct lazy_settings *l, const struct desk_esc_settings **out)
{
    if (!l->loaded) {
        int rc = desk_store_esc_settings_get(c, ch->after->group_id, &l->s);
        if (rc) {
            return rc;
        }
        l->loaded = true;
    }
    *out = &l->s;
    return 0;
}

/*
 * SLA targets of the ticket being written that have run out (or are at
 * risk) by now and were not seen before: *note says which, when the group
 * escalates on them.
 */
static int sla_trigger(struct desk_conn *c, struct desk_ticket_change *ch, struct lazy_settings *ls,
                       const char **note, const char **cause)
{
    struct desk_sla_clock k[DESK_SLA_N_METRICS];
    bool present[DESK_SLA_N_METRICS];
    int rc = desk_store_sla_clocks(c, ch->before->id, k, present);
    *note = NULL;
    for (int m = 0; !rc && m < DESK_SLA_N_METRICS; m++) {
        if (!present[m] || k[m].state != DESK_SLA_ACTIVE || k[m].target_s <= 0) {
            continue;
        }
        bool breach = k[m].due_at && k[m].due_at <= ch->now;
        bool risk = !breach && k[m].risk_at && k[m].risk_at <= ch->now;
        if (!breach && !risk) {
            continue;
        }
        const char *name = desk_sla_metric_name(m);
        const char *key = desk_arena_printf(
            ch->a, "%s:%s:%d", breach ? "sla_breach" : "sla_at_risk", name, k[m].cycle);
        bool first;
        if ((rc = first_time(c, ch, key, &first)) != 0 || !first || *note) {
            continue;
        }
        const struct desk_esc_settings *s;
        if ((rc = settings_of(c, ch, ls, &s)) != 0) {
            break;
        }
        if (breach ? s->auto_sla_breach : s->auto_sla_at_risk) {
            *note = desk_arena_printf(ch->a, "%s %s", name, breach ? "breached" : "at risk");
            *cause = key;
        }
    }
    return rc;
}

/* A reopening (solved back to work) counted; *out when it reaches the group's threshold. */
static int reopen_trigger(struct desk_conn *c, struct desk_ticket_change *ch,
                          struct lazy_settings *ls, const char **note)
{
    const struct desk_esc_settings *s;
    int64_t n;
    bool first;
    *note = NULL;
    if (in_handoff || ch->before->status != DESK_STATUS_SOLVED ||
        ch->after->status >= DESK_STATUS_SOLVED) {
        return 0;
    }
    pend.reopened = true;
    int rc = settings_of(c, ch, ls, &s);
    if (rc || (rc = desk_store_reopens_get(c, ch->before->id, &n)) != 0 || !s->reopen_threshold ||
        n + 1 < s->reopen_threshold || (rc = first_time(c, ch, "reopened", &first)) != 0 ||
        !first) {
        return rc;
    }
    *note = desk_arena_printf(ch->a, "reopened %lld times", (long long)n + 1);
    return 0;
}

int desk_supervisor_prepare(struct desk_conn *c, struct desk_ticket_change *ch)
{
    memset(&pend, 0, sizeof(pend));
    pend.ch = ch;
    pend.prev_mood = -1;
    int rc = prepare_complaint(c, ch);
    if (rc) {
        return rc;
    }
    bool customer;
    if ((rc = customer_message(c, ch, &customer)) != 0) {
        return rc;
    }
    if (customer) {
        if (ch->in->comment_signals && ch->comment == ch->in->comment_body) {
            pend.sig = *ch->in->comment_signals; /* analyzed by the caller, off this thread */
            pend.scored = true;
        } else if (desk_signals_analyze(ch->a, ch->comment, strlen(ch->comment), &pend.sig) != 0) {
            /* A broken ICU must not stop customers from writing: the message goes unscored. */
            desk_log(DESK_LOG_ERROR, "event=signals_failed request_id=%s",
                     ch->who->request_id ? ch->who->request_id : "-");
        } else {
            pend.scored = true;
        }
        if (pend.scored && ch->before) {
            struct desk_msg_signal *prev;
            size_t n;
            if ((rc = desk_store_signal_recent(c, ch->a, ch->before->id, 1, &prev, &n)) != 0) {
                return rc;
            }
            pend.prev_mood = n ? prev[0].mood : -1;
        }
    }
    /* Rules on an existing ticket: SLA targets run out, repeated reopening. */
    const char *sla_note = NULL, *sla_cause = NULL, *reopen_note = NULL;
    if (ch->before && ch->after->status != DESK_STATUS_CLOSED) {
        struct lazy_settings ls = {0};
        if ((rc = sla_trigger(c, ch, &ls, &sla_note, &sla_cause)) != 0 ||
            (rc = reopen_trigger(c, ch, &ls, &reopen_note)) != 0) {
            return rc;
        }
    }
    if (pend.complaint && !(ch->before && ch->before->type == DESK_TTYPE_COMPLAINT)) {
        rc = prepare_escalation(c, ch, DESK_ESC_SRC_RULE, DESK_ESC_COMPLAINT, NULL);
    } else if (pend.scored && pend.sig.supervisor_request) {
        rc = prepare_escalation(c, ch, DESK_ESC_SRC_CUSTOMER, DESK_ESC_CUSTOMER_REQUEST, NULL);
    } else if (sla_note) {
        pend.cause = sla_cause;
        rc = prepare_escalation(c, ch, DESK_ESC_SRC_SLA, DESK_ESC_SLA_RISK, sla_note);
    } else if (reopen_note) {
        pend.cause = "reopened";
        rc = prepare_escalation(c, ch, DESK_ESC_SRC_RULE, DESK_ESC_REOPENED, reopen_note);
    } else if (pend.scored && pend.sig.mood == DESK_MOOD_IRATE &&
               pend.prev_mood != DESK_MOOD_IRATE) {
        /* Turning irate, not staying so: one escalation per turn. */
        rc = prepare_escalation(c, ch, DESK_ESC_SRC_SENTIMENT, DESK_ESC_IRATE, NULL);
    }
    return rc;
}

/* "kind<TAB>phrase" lines of the triggers (tabs and newlines in a phrase become spaces). */
static const char *triggers_text(struct desk_arena *a, const struct desk_signals *s)
{
    struct desk_buf b;
    desk_buf_init(&b, 0);
    for (size_t i = 0; i < s->n_triggers; i++) {
        desk_buf_addf(&b, "%s%s\t", i ? "\n" : "", s->trigger_kinds[i]);
        for (const char *p = s->triggers[i]; *p; p++) {
            char ch = ' ';
            if (*p != '\t' && *p != '\n' && *p != '\r') {
                ch = *p;
            }
            desk_buf_add(&b, &ch, 1);
        }
    }
    char *out = desk_arena_strndup(a, b.data ? b.data : "", b.len);
    desk_buf_release(&b);
    return out;
}

static int alert(struct desk_conn *c, struct desk_ticket_change *ch, const char *kind,
                 int64_t recipient, const char *message)
{
    struct desk_supervisor_alert al = {0};
    al.kind = kind;
    al.ticket_id = ch->after->id;
    al.group_id = ch->after->group_id;
    al.escalation_id = pend.escalate ? pend.esc.id : 0;
    al.recipient_id = recipient;
    al.message = message;
    al.created_at = ch->now;
    return desk_store_supervisor_alert_insert(c, &al);
}

/* The phrases of one kind, quoted and joined, for alert messages. */
static const char *phrases(struct desk_arena *a, const struct desk_signals *s, const char *kind)
{
    const char *out = "";
    for (size_t i = 0; i < s->n_triggers; i++) {
        if (strcmp(s->trigger_kinds[i], kind) == 0) {
            out = desk_arena_printf(a, "%s%s\"%s\"", out, *out ? ", " : "", s->triggers[i]);
        }
    }
    return out;
}

int desk_supervisor_written(struct desk_conn *c, struct desk_ticket_change *ch)
{
    int rc = 0;
    if (pend.ch != ch) {
        return 0;
    }
    int64_t id = ch->after->id;
    if (pend.complaint && (rc = desk_store_complaint_put(c, id, pend.complaint_agent, ch->now))) {
        return rc;
    }
    if (pend.escalate) {
        pend.esc.ticket_id = id;
        if ((rc = desk_store_esc_insert(c, &pend.esc)) != 0) {
            return rc;
        }
        if (!pend.esc.supervisor_id && (rc = alert_unstaffed(c, ch->a, &pend.esc, pend.contact))) {
            return rc;
        }
    }
    for (size_t i = 0; i < pend.n_triggers; i++) {
        bool caused = pend.escalate && pend.cause && strcmp(pend.cause, pend.triggers[i]) == 0;
        if ((rc = desk_store_esc_trigger_put(c, id, pend.triggers[i], caused ? pend.esc.id : 0,
                                             ch->now)) != 0) {
            return rc;
        }
    }
    if (pend.reopened && (rc = desk_store_reopens_add(c, id, ch->now)) != 0) {
        return rc;
    }
    if (!pend.scored) {
        return 0;
    }
    struct desk_msg_signal s = {0};
    s.ticket_id = id;
    s.comment_id = ch->comment_id;
    s.author_id = ch->comment_author;
    s.score = pend.sig.score;
    s.mood = pend.sig.mood;
    s.abusive = pend.sig.abusive;
    s.supervisor_request = pend.sig.supervisor_request;
    s.triggers = triggers_text(ch->a, &pend.sig);
    s.created_at = ch->now;
    if ((rc = desk_store_signal_insert(c, &s)) != 0) {
        return rc;
    }
    /* Agents do not have to take abuse: the supervisor hears of it at once. */
    int64_t sup = pend.escalate ? pend.esc.supervisor_id : 0;
    if (pend.sig.abusive &&
        (rc = alert(c, ch, "abuse", sup,
                    desk_arena_printf(ch->a,
                                      "Abusive language from the customer on ticket #%lld: %s",
                                      (long long)id, phrases(ch->a, &pend.sig, "abuse")))) != 0) {
        return rc;
    }
    if (pend.sig.mood == DESK_MOOD_IRATE && pend.prev_mood != DESK_MOOD_IRATE &&
        !pend.sig.abusive) {
        rc = alert(c, ch, "irate", sup,
                   desk_arena_printf(ch->a, "The customer on ticket #%lld is irate (score %.2f)",
                                     (long long)id, pend.sig.score));
    }
    return rc;
}

/* ---- what a ticket shows staff ----------------------------------------------- */

/* The ticket, if the actor may see it (staff only, not hidden from them). */
static int staff_ticket(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        int64_t ticket_id, struct desk_conn **c)
{
    bool hidden;
    if (!desk_role_is_staff(who->role)) {
        return DESK_ENOTFOUND;
    }
    int rc = desk_store_reader(app->store, c);
    if (rc || (rc = desk_app_ticket_hidden(*c, who, ticket_id, &hidden)) != 0) {
        return rc;
    }
    (void)a;
    return hidden ? DESK_ENOTFOUND : 0;
}

int desk_app_ticket_sentiment(struct desk_app *app, const struct desk_actor *who,
                              struct desk_arena *a, int64_t ticket_id,
                              struct desk_ticket_sentiment *out)
{
    struct desk_conn *c;
    struct desk_msg_signal *items;
    size_t n;
    int rc = staff_ticket(app, who, a, ticket_id, &c);
    if (rc ||
        (rc = desk_store_signal_recent(c, a, ticket_id, DESK_SENTIMENT_HISTORY, &items, &n))) {
        return rc;
    }
    if (!n) {
        return DESK_ENOTFOUND;
    }
    memset(out, 0, sizeof(*out));
    if ((rc = desk_store_signal_abusive_count(c, ticket_id, &out->abusive_messages)) != 0) {
        return rc;
    }
    out->latest = items[0];
    out->n_history = n;
    memcpy(out->history, items, n * sizeof(*items));
    /* Trend: the latest score against the mean of the ones before it. */
    out->trend = "steady";
    if (n > 1) {
        double mean = 0;
        for (size_t i = 1; i < n; i++) {
            mean += items[i].score;
        }
        mean /= (double)(n - 1);
        if (items[0].score < mean - 0.15) {
            out->trend = "worsening";
        } else if (items[0].score > mean + 0.15) {
            out->trend = "improving";
        }
    }
    return 0;
}

int desk_app_ticket_escalation(struct desk_app *app, const struct desk_actor *who,
                               struct desk_arena *a, int64_t ticket_id, struct desk_escalation *out)
{
    struct desk_conn *c;
    int rc = staff_ticket(app, who, a, ticket_id, &c);
    return rc ? rc : desk_store_esc_latest(c, a, ticket_id, out);
}

int desk_app_ticket_complaint(struct desk_app *app, const struct desk_actor *who,
                              struct desk_arena *a, int64_t ticket_id, struct desk_complaint *out)
{
    struct desk_conn *c;
    if (!is_supervisor(who->role)) {
        return DESK_ENOTFOUND;
    }
    int rc = staff_ticket(app, who, a, ticket_id, &c);
    return rc ? rc : desk_store_complaint_get(c, a, ticket_id, out);
}

/* ---- escalations ---------------------------------------------------------------- */

struct esc_job {
    struct desk_app *app;
    const struct desk_actor *who;
    struct desk_arena *a;
    int64_t id; /* ticket (escalate) or escalation (move) */
    const struct desk_escalate_input *in;
    int to;
    const char *note;
    struct desk_escalation out;
    struct desk_ticket_change *ch; /* the ticket change to announce once committed */
    struct desk_fail *fail;
};

/* Reads a ticket the actor may work on inside a write. */
static int load_ticket(struct desk_conn *c, const struct desk_actor *who, struct desk_arena *a,
                       int64_t id, struct desk_ticket *t)
{
    bool hidden;
    int rc = desk_store_ticket_get(c, a, id, t);
    if (rc) {
        return rc;
    }
    if (t->deleted_at || !desk_role_is_staff(who->role)) {
        return DESK_ENOTFOUND;
    }
    if ((rc = desk_app_ticket_hidden(c, who, id, &hidden)) != 0) {
        return rc;
    }
    return hidden ? DESK_ENOTFOUND : 0;
}

static int escalate_write(struct desk_conn *c, void *arg)
{
    struct esc_job *j = arg;
    const struct desk_escalate_input *in = j->in;
    struct desk_ticket t;
    struct desk_esc_settings s;
    bool active;
    int64_t now = desk_time_now_ms();
    int rc = load_ticket(c, j->who, j->a, j->id, &t);
    if (rc) {
        return rc;
    }
    if (t.status == DESK_STATUS_CLOSED) {
        return desk_fail(j->fail, DESK_EINVALID, "ticket_id", "InvalidValue",
                         "Ticket: a closed ticket cannot be escalated");
    }
    if ((rc = active_escalation(c, j->a, t.id, &active)) != 0) {
        return rc;
    }
    if (active) {
        return desk_fail(j->fail, DESK_EINVALID, "ticket_id", "AlreadyEscalated",
                         "Ticket: is already escalated");
    }
    if ((rc = desk_store_esc_settings_get(c, t.group_id, &s)) != 0) {
        return rc;
    }
    int64_t avoid = 0;
    if (t.type == DESK_TTYPE_COMPLAINT) {
        struct desk_complaint k;
        if (desk_store_complaint_get(c, j->a, t.id, &k) == 0) {
            avoid = k.agent_id;
        }
    }
    struct desk_escalation *e = &j->out;
    memset(e, 0, sizeof(*e));
    e->ticket_id = t.id;
    e->group_id = t.group_id;
    e->state = DESK_ESC_OPEN;
    e->source = in->source;
    e->reason = in->reason;
    e->note = in->note;
    e->requested_by = j->who->user_id;
    e->previous_assignee_id = t.assignee_id;
    e->previous_priority = t.priority;
    e->created_at = e->updated_at = now;
    if ((rc = choose_supervisor(c, j->a, t.group_id, now, avoid, &e->supervisor_id)) != 0) {
        return rc;
    }
    /* The hand-off itself is a ticket change like any other: audited, hooks run. */
    struct desk_ticket_input ti = {0};
    if (e->supervisor_id) {
        ti.assignee_id = e->supervisor_id;
        ti.has_assignee_id = true;
    }
    if (s.raise_priority > t.priority) {
        ti.priority = s.raise_priority;
        ti.has_priority = true;
    }
    if (t.status == DESK_STATUS_SOLVED) {
        ti.status = DESK_STATUS_OPEN;
        ti.has_status = true;
    }
    ti.comment_body = desk_arena_printf(
        j->a, "Escalated to %s (%s, %s)%s%s", user_name(c, j->a, e->supervisor_id),
        desk_esc_reason_name(e->reason), desk_esc_source_name(e->source),
        in->note && *in->note ? ": " : "", in->note && *in->note ? in->note : "");
    ti.comment_public = false;
    struct desk_ticket after;
    in_handoff = true;
    rc = desk_app_ticket_update_in(c, j->app, j->who, j->a, t.id, &ti, &after, &j->ch, j->fail);
    in_handoff = false;
    if (rc) {
        return rc;
    }
    if ((rc = desk_store_esc_insert(c, e)) != 0) {
        return rc == DESK_ECONFLICT ? desk_fail(j->fail, DESK_EINVALID, "ticket_id",
                                                "AlreadyEscalated", "Ticket: is already escalated")
                                    : rc;
    }
    return e->supervisor_id ? 0 : alert_unstaffed(c, j->a, e, s.contact_id);
}

int desk_app_escalate(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                      int64_t ticket_id, const struct desk_escalate_input *in,
                      struct desk_escalation *out, struct desk_fail *fail)
{
    if (!desk_role_is_staff(who->role)) {
        return DESK_ENOTFOUND;
    }
    bool manual = desk_esc_reason_manual(in->reason);
    if ((in->source == DESK_ESC_SRC_AGENT && !manual) ||
        (in->source == DESK_ESC_SRC_SLA && in->reason != DESK_ESC_SLA_RISK) ||
        in->source == DESK_ESC_SRC_CUSTOMER || in->source == DESK_ESC_SRC_SENTIMENT) {
        return desk_fail(fail, DESK_EINVALID, "reason", "InvalidValue",
                         "Reason: must be difficult_customer, policy_exception, legal or "
                         "technical");
    }
    if (in->note && strlen(in->note) > DESK_COMMENT_MAX / 2) {
        return desk_fail(fail, DESK_EINVALID, "note", "TooLong", "Note: is too long");
    }
    struct esc_job j = {.app = app, .who = who, .a = a, .id = ticket_id, .in = in, .fail = fail};
    int rc = desk_store_write(app->store, escalate_write, &j);
    if (!rc) {
        *out = j.out;
        if (j.ch) {
            desk_ticket_hooks_committed(j.ch);
        }
    }
    return rc;
}

static int move_write(struct desk_conn *c, void *arg)
{
    struct esc_job *j = arg;
    struct desk_escalation e;
    struct desk_ticket t;
    int64_t now = desk_time_now_ms();
    int rc = desk_store_esc_get(c, j->a, j->id, &e);
    if (rc || (rc = load_ticket(c, j->who, j->a, e.ticket_id, &t)) != 0) {
        return rc;
    }
    if (!desk_esc_transition_ok(e.state, j->to)) {
        return desk_fail(j->fail, DESK_EINVALID, "state", "InvalidTransition",
                         desk_arena_printf(j->a, "State: an escalation that is %s cannot be %s",
                                           desk_esc_state_name(e.state),
                                           desk_esc_state_name(j->to)));
    }
    struct desk_ticket_input ti = {0};
    const char *verb = "";
    e.state = j->to;
    e.updated_at = now;
    switch (j->to) {
    case DESK_ESC_ACCEPTED:
        e.accepted_at = now;
        e.accepted_by = j->who->user_id;
        e.supervisor_id = j->who->user_id;
        if (t.assignee_id != j->who->user_id && t.status != DESK_STATUS_CLOSED) {
            ti.assignee_id = j->who->user_id;
            ti.has_assignee_id = true;
        }
        verb = "accepted";
        break;
    case DESK_ESC_RETURNED:
        e.closed_at = now;
        e.closed_by = j->who->user_id;
        e.resolution = j->note;
        if (t.status != DESK_STATUS_CLOSED) {
            /* Back to the agent who had it, when they still can take it. */
            int64_t back = e.previous_assignee_id;
            bool ok = false;
            struct desk_user u;
            if (back && desk_store_user_get(c, j->a, back, &u) == 0 && u.active &&
                desk_role_is_staff(u.role)) {
                ok = !t.group_id;
                if (t.group_id && (rc = desk_store_membership_exists(c, back, t.group_id, &ok))) {
                    return rc;
                }
            }
            ti.assignee_id = ok ? back : 0;
            ti.has_assignee_id = true;
        }
        verb = "returned to the agent";
        break;
    default:
        e.closed_at = now;
        e.closed_by = j->who->user_id;
        e.resolution = j->note;
        verb = "resolved";
        break;
    }
    if ((rc = desk_store_esc_update(c, &e)) != 0) {
        return rc;
    }
    if (t.status != DESK_STATUS_CLOSED) {
        ti.comment_body = desk_arena_printf(
            j->a, "Escalation %s by %s%s%s", verb, user_name(c, j->a, j->who->user_id),
            j->note && *j->note ? ": " : "", j->note && *j->note ? j->note : "");
        ti.comment_public = false;
        struct desk_ticket after;
        if ((rc = desk_app_ticket_update_in(c, j->app, j->who, j->a, t.id, &ti, &after, &j->ch,
                                            j->fail)) != 0) {
            return rc;
        }
    }
    j->out = e;
    return 0;
}

int desk_app_escalation_move(struct desk_app *app, const struct desk_actor *who,
                             struct desk_arena *a, int64_t id, int to, const char *note,
                             struct desk_escalation *out, struct desk_fail *fail)
{
    if (!is_supervisor(who->role)) {
        return DESK_EFORBIDDEN;
    }
    if (note && strlen(note) > DESK_COMMENT_MAX / 2) {
        return desk_fail(fail, DESK_EINVALID, "note", "TooLong", "Note: is too long");
    }
    struct esc_job j = {
        .app = app, .who = who, .a = a, .id = id, .to = to, .note = note, .fail = fail};
    int rc = desk_store_write(app->store, move_write, &j);
    if (!rc) {
        *out = j.out;
        if (j.ch) {
            desk_ticket_hooks_committed(j.ch);
        }
    }
    return rc;
}

int desk_app_escalation_get(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t id, struct desk_escalation *out)
{
    struct desk_conn *c;
    struct desk_escalation e;
    bool hidden;
    if (!desk_role_is_staff(who->role)) {
        return DESK_ENOTFOUND;
    }
    int rc = desk_store_reader(app->store, &c);
    if (rc || (rc = desk_store_esc_get(c, a, id, &e)) != 0 ||
        (rc = desk_app_ticket_hidden(c, who, e.ticket_id, &hidden)) != 0) {
        return rc;
    }
    if (hidden) {
        return DESK_ENOTFOUND;
    }
    *out = e;
    return 0;
}

int desk_app_escalation_list(struct desk_app *app, const struct desk_actor *who,
                             struct desk_arena *a, const struct desk_esc_filter *f,
                             const struct desk_page *p, struct desk_escalation **items,
                             struct desk_page_out *out)
{
    struct desk_conn *c;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    struct desk_esc_filter g = *f;
    g.hidden_from = who->user_id;
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_esc_list(c, a, &g, p, items, out);
}

/* ---- roster, settings, alerts ------------------------------------------------ */

struct roster_job {
    const struct desk_actor *who;
    struct desk_arena *a;
    int64_t group_id;
    const int64_t *ids;
    size_t n;
    int64_t until;
    struct desk_fail *fail;
};

static int roster_write(struct desk_conn *c, void *arg)
{
    struct roster_job *j = arg;
    struct desk_arena *a = j->a;
    struct desk_group g;
    int rc = 0;
    if (desk_store_group_get(c, a, j->group_id, &g) != 0 || g.deleted) {
        rc = DESK_ENOTFOUND;
    }
    for (size_t i = 0; !rc && i < j->n; i++) {
        struct desk_user u;
        bool member = false;
        if (desk_store_user_get(c, a, j->ids[i], &u) != 0 || !u.active || !is_supervisor(u.role)) {
            rc = desk_fail(j->fail, DESK_EINVALID, "supervisor_ids", "InvalidValue",
                           desk_arena_printf(a, "Supervisor: user %lld is not a supervisor",
                                             (long long)j->ids[i]));
        } else if ((rc = desk_store_membership_exists(c, u.id, j->group_id, &member)) == 0 &&
                   !member) {
            rc = desk_fail(j->fail, DESK_EINVALID, "supervisor_ids", "InvalidValue",
                           desk_arena_printf(a, "Supervisor: user %lld is not in the group",
                                             (long long)j->ids[i]));
        }
    }
    if (!rc) {
        rc = desk_store_roster_set(c, j->group_id, j->ids, j->n, j->until, j->who->user_id,
                                   desk_time_now_ms());
    }
    return rc;
}

int desk_app_roster_set(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        int64_t group_id, const int64_t *ids, size_t n, int64_t until,
                        struct desk_fail *fail)
{
    if (!is_supervisor(who->role)) {
        return DESK_EFORBIDDEN;
    }
    if (until && until <= desk_time_now_ms()) {
        return desk_fail(fail, DESK_EINVALID, "until", "InvalidValue",
                         "Until: must be in the future");
    }
    struct roster_job j = {who, a, group_id, ids, n, until, fail};
    return desk_store_write(app->store, roster_write, &j);
}

int desk_app_roster_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         int64_t group_id, struct desk_roster_duty **items, size_t *n)
{
    struct desk_conn *c;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : on_duty(c, a, group_id, desk_time_now_ms(), items, n);
}

struct clear_job {
    struct desk_arena *a;
    int64_t group_id;
};

static int clear_write(struct desk_conn *c, void *arg)
{
    struct clear_job *j = arg;
    struct desk_group g;
    if (desk_store_group_get(c, j->a, j->group_id, &g) != 0 || g.deleted) {
        return DESK_ENOTFOUND;
    }
    return desk_store_roster_clear(c, j->group_id);
}

int desk_app_roster_clear(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                          int64_t group_id)
{
    if (!is_supervisor(who->role)) {
        return DESK_EFORBIDDEN;
    }
    struct clear_job j = {a, group_id};
    return desk_store_write(app->store, clear_write, &j);
}

int desk_app_esc_settings_get(struct desk_app *app, const struct desk_actor *who, int64_t group_id,
                              struct desk_esc_settings *out)
{
    struct desk_conn *c;
    struct desk_arena a;
    struct desk_group g;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_store_reader(app->store, &c);
    if (rc) {
        return rc;
    }
    desk_arena_init(&a);
    rc = desk_store_group_get(c, &a, group_id, &g);
    desk_arena_release(&a);
    if (rc || g.deleted) {
        return DESK_ENOTFOUND;
    }
    return desk_store_esc_settings_get(c, group_id, out);
}

struct settings_job {
    struct desk_esc_settings *s;
    struct desk_fail *fail;
};

static int settings_write(struct desk_conn *c, void *arg)
{
    struct settings_job *j = arg;
    struct desk_arena a;
    struct desk_group g;
    struct desk_user u;
    int rc = 0;
    desk_arena_init(&a);
    if (desk_store_group_get(c, &a, j->s->group_id, &g) != 0 || g.deleted) {
        rc = DESK_ENOTFOUND;
    } else if (j->s->contact_id && (desk_store_user_get(c, &a, j->s->contact_id, &u) != 0 ||
                                    !u.active || !desk_role_is_staff(u.role))) {
        rc = desk_fail(j->fail, DESK_EINVALID, "contact_id", "InvalidValue",
                       "Contact: must be an active member of staff");
    } else {
        rc = desk_store_esc_settings_put(c, j->s);
    }
    desk_arena_release(&a);
    return rc;
}

int desk_app_esc_settings_put(struct desk_app *app, const struct desk_actor *who,
                              struct desk_esc_settings *s, struct desk_fail *fail)
{
    if (!is_supervisor(who->role)) {
        return DESK_EFORBIDDEN;
    }
    if (s->raise_priority < DESK_PRIORITY_NONE || s->raise_priority > DESK_PRIORITY_URGENT) {
        return desk_fail(fail, DESK_EINVALID, "raise_priority", "InvalidValue",
                         "Raise priority: must be low, normal, high, urgent or null");
    }
    if (s->reopen_threshold < 0 || s->reopen_threshold > 100) {
        return desk_fail(fail, DESK_EINVALID, "reopen_threshold", "InvalidValue",
                         "Reopen threshold: must be a whole number from 0 (never) to 100");
    }
    s->updated_at = desk_time_now_ms();
    struct settings_job j = {s, fail};
    return desk_store_write(app->store, settings_write, &j);
}

int desk_app_supervisor_alert_list(struct desk_app *app, const struct desk_actor *who,
                                   struct desk_arena *a, bool open_only, const struct desk_page *p,
                                   struct desk_supervisor_alert **items, struct desk_page_out *out)
{
    struct desk_conn *c;
    if (!is_supervisor(who->role)) {
        return DESK_EFORBIDDEN;
    }
    int64_t recipient = who->role == DESK_ROLE_ADMIN ? 0 : who->user_id;
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc
              : desk_store_supervisor_alert_list(c, a, recipient, open_only, who->user_id, p, items,
                                                 out);
}

struct ack_job {
    const struct desk_actor *who;
    struct desk_arena *a;
    int64_t id;
    struct desk_supervisor_alert out;
};

static int ack_write(struct desk_conn *c, void *arg)
{
    struct ack_job *j = arg;
    struct desk_supervisor_alert al;
    bool hidden = false;
    int rc = desk_store_supervisor_alert_get(c, j->a, j->id, &al);
    if (rc) {
        return rc;
    }
    if ((al.recipient_id && al.recipient_id != j->who->user_id &&
         j->who->role != DESK_ROLE_ADMIN) ||
        (al.ticket_id && (rc = desk_app_ticket_hidden(c, j->who, al.ticket_id, &hidden)) != 0) ||
        hidden) {
        return rc ? rc : DESK_ENOTFOUND;
    }
    int64_t now = desk_time_now_ms();
    if ((rc = desk_store_supervisor_alert_ack(c, j->id, j->who->user_id, now)) != 0) {
        return rc;
    }
    return desk_store_supervisor_alert_get(c, j->a, j->id, &j->out);
}

int desk_app_supervisor_alert_ack(struct desk_app *app, const struct desk_actor *who,
                                  struct desk_arena *a, int64_t id,
                                  struct desk_supervisor_alert *out)
{
    if (!is_supervisor(who->role)) {
        return DESK_EFORBIDDEN;
    }
    struct ack_job j = {who, a, id, {0}};
    int rc = desk_store_write(app->store, ack_write, &j);
    if (!rc) {
        *out = j.out;
    }
    return rc;
}

/* ---- complaints about staff ---------------------------------------------------- */

struct decide_job {
    const struct desk_actor *who;
    struct desk_arena *a;
    int64_t ticket_id;
    int outcome;
    const char *note;
    struct desk_complaint out;
};

static int decide_write(struct desk_conn *c, void *arg)
{
    struct decide_job *j = arg;
    struct desk_ticket t;
    int rc = load_ticket(c, j->who, j->a, j->ticket_id, &t);
    if (rc || (rc = desk_store_complaint_get(c, j->a, t.id, &j->out)) != 0) {
        return rc;
    }
    if (j->out.agent_id == j->who->user_id) {
        return DESK_ENOTFOUND;
    }
    int64_t now = desk_time_now_ms();
    if ((rc = desk_store_complaint_decide(c, t.id, j->outcome, j->note, j->who->user_id, now))) {
        return rc;
    }
    return desk_store_complaint_get(c, j->a, t.id, &j->out);
}

int desk_app_complaint_decide(struct desk_app *app, const struct desk_actor *who,
                              struct desk_arena *a, int64_t ticket_id, int outcome,
                              const char *note, struct desk_complaint *out, struct desk_fail *fail)
{
    if (!is_supervisor(who->role)) {
        return DESK_EFORBIDDEN;
    }
    if (!desk_complaint_outcome_name(outcome)) {
        return desk_fail(fail, DESK_EINVALID, "outcome", "InvalidValue",
                         "Outcome: must be upheld, not_upheld, coaching or formal_warning");
    }
    if (note && strlen(note) > DESK_COMMENT_MAX / 2) {
        return desk_fail(fail, DESK_EINVALID, "note", "TooLong", "Note: is too long");
    }
    struct decide_job j = {who, a, ticket_id, outcome, note, {0}};
    int rc = desk_store_write(app->store, decide_write, &j);
    if (!rc) {
        *out = j.out;
    }
    return rc;
}

int desk_app_complaint_list(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t agent_id, size_t max,
                            struct desk_complaint **items, size_t *n)
{
    struct desk_conn *c;
    /* A staff record's complaints are for supervisors and admins, never its subject. */
    if (!is_supervisor(who->role) || who->user_id == agent_id) {
        return DESK_ENOTFOUND;
    }
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_complaint_list(c, a, agent_id, max, items, n);
}
