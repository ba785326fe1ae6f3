/*
 * Reading SLA clocks: a ticket's targets derived from their events, each
 * with a plain-English account of how its due time came about (when it
 * started, what paused it and for how long, which policy and schedule
 * apply, which intervals count until it is due, holidays skipped), ticket
 * metrics, metric events and alerts.
 */
#include "app/sla_int.h"
#include "core/buf.h"

#include <string.h>

static bool staff(const struct desk_actor *who)
{
    return desk_role_is_staff(who->role);
}

/* A time as the clock's schedule shows it ("Mon 2026-03-30 09:30"), or in UTC. */
static const char *when(struct desk_arena *a, const struct desk_bh *bh, int64_t t)
{
    char buf[48];
    desk_bh_format(bh, t, true, buf, sizeof(buf));
    return bh ? desk_arena_strdup(a, buf) : desk_arena_printf(a, "%s UTC", buf);
}

static char *explain(struct desk_arena *a, const struct desk_sla_event *ev, size_t n,
                     const struct desk_sla_clock *stored, const struct desk_sla_clock *live,
                     const struct desk_bh *bh)
{
    struct desk_buf b;
    desk_buf_init(&b, 0);
    int64_t paused = 0;
    bool started = false;
    for (size_t i = 0; i < n; i++) {
        const struct desk_sla_event *e = &ev[i];
        const char *t = when(a, bh, e->at);
        const char *el = desk_sla_duration_text(a, e->elapsed_ms);
        const char *reason = e->reason ? e->reason : "";
        switch (e->type) {
        case DESK_SLA_EV_ACTIVATE:
            if (!started) {
                desk_buf_addf(&b, "Started %s (%s). ", t, reason);
            } else {
                desk_buf_addf(&b, "Resumed %s (%s) after %s paused. ", t, reason,
                              desk_sla_duration_text(a, e->paused_ms - paused));
            }
            started = true;
            break;
        case DESK_SLA_EV_PAUSE:
            paused = e->paused_ms;
            desk_buf_addf(&b, "Paused %s (%s) with %s elapsed. ", t, reason, el);
            break;
        case DESK_SLA_EV_FULFILL:
            desk_buf_addf(&b, "Fulfilled %s (%s) with %s elapsed%s%s. ", t, reason, el,
                          e->target_s ? " of " : "",
                          e->target_s ? desk_sla_duration_text(a, e->target_s * 1000) : "");
            break;
        case DESK_SLA_EV_APPLY_SLA:
            desk_buf_addf(&b, "%s: %s; %s. ", t, reason,
                          e->elapsed_ms ? desk_arena_printf(a, "%s counted by then", el)
                                        : "nothing counted yet");
            break;
        case DESK_SLA_EV_AT_RISK:
            desk_buf_addf(&b, "At risk %s (%s). ", t, reason);
            break;
        case DESK_SLA_EV_BREACH:
            desk_buf_addf(&b, "Breached %s: the target ran out. ", t);
            break;
        default:
            break;
        }
    }
    int64_t target = live->target_s * 1000;
    if (!live->target_s) {
        desk_buf_adds(&b, "No SLA target applies to this metric.");
    } else if (live->state == DESK_SLA_ACTIVE) {
        int64_t left = target - live->elapsed_ms;
        int64_t rest = target - stored->elapsed_ms;
        if (left > 0 && rest > 0) {
            /* The due time is the rest of the target counted from the clock's last event. */
            struct desk_bh_explain ex;
            int64_t due = desk_bh_add_explain(bh, stored->last_at, rest, &ex);
            desk_buf_addf(&b, "Due %s: %s of the %s target remained%s at %s; %s.", when(a, bh, due),
                          desk_sla_duration_text(a, rest), desk_sla_duration_text(a, target),
                          bh ? " in business hours" : "", when(a, bh, stored->last_at),
                          desk_bh_explain_text(a, bh, &ex));
        } else {
            desk_buf_addf(&b, "Overdue since %s by %s.", when(a, bh, live->due_at),
                          desk_sla_duration_text(a, -left));
        }
    } else if (live->state == DESK_SLA_PAUSED) {
        int64_t left = target - live->elapsed_ms;
        desk_buf_addf(&b,
                      "Paused now: %s of the %s target %s; the clock runs again when the "
                      "ticket leaves %s.",
                      desk_sla_duration_text(a, left > 0 ? left : -left),
                      desk_sla_duration_text(a, target), left > 0 ? "remain" : "overrun",
                      live->metric == DESK_SLA_AGENT_WORK ? "pending or on-hold" : "pending");
    }
    char *out = desk_arena_strndup(a, b.data ? b.data : "", b.len);
    desk_buf_release(&b);
    size_t len = strlen(out);
    while (len && out[len - 1] == ' ') {
        out[--len] = '\0';
    }
    return out;
}

int desk_app_sla_ticket(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        int64_t ticket_id, int64_t now, struct desk_sla_view **out, size_t *n)
{
    struct desk_ticket t;
    struct desk_conn *c;
    int rc;
    if (!staff(who)) {
        return DESK_ENOTFOUND;
    }
    if ((rc = desk_app_ticket_get(app, who, a, ticket_id, &t)) != 0 ||
        (rc = desk_store_reader(app->store, &c)) != 0) {
        return rc;
    }
    struct desk_sla_clock k[DESK_SLA_N_METRICS];
    bool present[DESK_SLA_N_METRICS];
    struct desk_sla_event *ev;
    size_t n_ev;
    if ((rc = desk_store_sla_clocks(c, ticket_id, k, present)) != 0 ||
        (rc = desk_store_sla_events(c, a, ticket_id, -1, 0, &ev, &n_ev)) != 0) {
        return rc;
    }
    struct sla_rules *rules = sla_rules_get(app, c);
    if (!rules) {
        return DESK_EIO;
    }
    struct desk_sla_view *v = desk_arena_alloc(a, DESK_SLA_N_METRICS * sizeof(*v));
    size_t k_out = 0;
    for (int m = 0; m < DESK_SLA_N_METRICS; m++) {
        if (!present[m]) {
            continue;
        }
        struct desk_sla_clock live = k[m];
        const struct desk_bh *bh =
            live.business_hours ? sla_rules_bh(rules, live.schedule_id) : NULL;
        const struct sla_sched *sched = sla_rules_sched(rules, live.schedule_id);
        const struct desk_sla_policy *p = sla_rules_policy(rules, live.policy_id);
        /* The cycle's events, oldest first (the store returns them in id order). */
        size_t first = n_ev, count = 0;
        for (size_t i = 0; i < n_ev; i++) {
            if (ev[i].metric == m && ev[i].cycle == live.cycle) {
                first = first == n_ev ? i : first;
                count++;
            }
        }
        struct desk_sla_event *cyc = desk_arena_alloc(a, (count ? count : 1) * sizeof(*cyc));
        for (size_t i = first, j = 0; i < n_ev && j < count; i++) {
            if (ev[i].metric == m && ev[i].cycle == live.cycle) {
                cyc[j++] = ev[i];
            }
        }
        desk_sla_clock_advance(&live, bh, now);
        struct desk_sla_view *x = &v[k_out++];
        memset(x, 0, sizeof(*x));
        x->metric = m;
        x->cycle = live.cycle;
        x->state = live.state;
        x->policy_id = live.policy_id;
        x->policy_title = p ? p->title : NULL;
        x->target_s = live.target_s;
        x->business_hours = live.business_hours;
        x->schedule_id = live.schedule_id;
        x->time_zone = bh && sched ? sched->zone : "UTC";
        x->started_at = live.started_at;
        x->due_at = live.state == DESK_SLA_ACTIVE ? live.due_at : 0;
        x->elapsed_ms = live.elapsed_ms;
        x->paused_ms = live.paused_ms;
        x->remaining_ms = live.target_s ? live.target_s * 1000 - live.elapsed_ms : 0;
        x->breached = live.breached ||
                      (live.target_s && x->remaining_ms <= 0 && live.state != DESK_SLA_FULFILLED);
        x->at_risk = live.at_risk || x->breached;
        for (size_t i = 0; i < count; i++) {
            if (cyc[i].type == DESK_SLA_EV_FULFILL) {
                x->fulfilled_at = cyc[i].at;
            }
        }
        if (live.state != DESK_SLA_FULFILLED) {
            x->fulfilled_at = 0;
        }
        x->explanation = explain(a, cyc, count, &k[m], &live, bh);
    }
    sla_rules_put(app, rules);
    *out = v;
    *n = k_out;
    return 0;
}

/* Whether user id is staff, remembered across one computation. */
struct role_cache {
    int64_t id[16];
    bool staff[16];
    size_t n;
};

static bool is_staff(struct desk_conn *c, struct desk_arena *a, struct role_cache *rc, int64_t id)
{
    for (size_t i = 0; i < rc->n; i++) {
        if (rc->id[i] == id) {
            return rc->staff[i];
        }
    }
    struct desk_user u;
    bool staff = desk_store_user_get(c, a, id, &u) == 0 && desk_role_is_staff(u.role);
    if (rc->n < 16) {
        rc->id[rc->n] = id;
        rc->staff[rc->n++] = staff;
    }
    return staff;
}

/* Comments and audits: replies, stations, who touched the ticket last and when. */
static int metrics_trail(struct desk_conn *c, struct desk_arena *a, const struct desk_ticket *t,
                         struct desk_ticket_metrics *m)
{
    struct desk_page p = {.cursor = true, .limit = 100};
    struct desk_page_out po;
    struct role_cache roles = {0};
    bool first = true;
    int rc;
    do {
        struct desk_comment *cm;
        if ((rc = desk_store_comment_list(c, a, t->id, false, &p, &cm, &po)) != 0) {
            return rc;
        }
        for (size_t i = 0; i < po.n; i++) {
            m->latest_comment_added_at = cm[i].created_at;
            if (cm[i].author_id == t->requester_id) {
                m->requester_updated_at = cm[i].created_at;
            }
            /* The first comment is the ticket's description, not a reply. */
            if (!first && cm[i].public && is_staff(c, a, &roles, cm[i].author_id)) {
                m->replies++;
            }
            first = false;
        }
        p.after = po.n ? cm[po.n - 1].id : 0;
    } while (po.more);
    p = (struct desk_page){.cursor = true, .limit = 100};
    do {
        struct desk_audit *au;
        if ((rc = desk_store_audit_list(c, a, t->id, &p, &au, &po)) != 0) {
            return rc;
        }
        for (size_t i = 0; i < po.n; i++) {
            for (size_t k = 0; k < au[i].n_events; k++) {
                const struct desk_audit_event *e = &au[i].events[k];
                bool set = e->new_value && *e->new_value;
                if (!e->field || strcmp(e->type, "Comment") == 0) {
                    continue;
                }
                if (strcmp(e->field, "assignee_id") == 0) {
                    m->assignee_updated_at = au[i].created_at;
                    if (set) {
                        m->assignee_stations++;
                        m->assigned_at = au[i].created_at;
                        if (!m->initially_assigned_at) {
                            m->initially_assigned_at = au[i].created_at;
                        }
                    }
                } else if (strcmp(e->field, "group_id") == 0 && set) {
                    m->group_stations++;
                } else if (strcmp(e->field, "status") == 0) {
                    m->status_updated_at = au[i].created_at;
                }
            }
        }
        p.after = po.n ? au[po.n - 1].id : 0;
    } while (po.more);
    return 0;
}

static int metrics_of(struct desk_app *app, struct desk_conn *c, struct desk_arena *a,
                      const struct sla_rules *rules, const struct desk_ticket *t, int64_t now,
                      struct desk_ticket_metrics *m)
{
    struct desk_sla_event *ev;
    size_t n;
    int rc;
    (void)app;
    memset(m, 0, sizeof(*m));
    m->id = m->ticket_id = t->id;
    m->created_at = t->created_at;
    m->updated_at = t->updated_at;
    m->reply_cal = m->reply_bus = m->first_resolution_cal = m->first_resolution_bus = -1;
    m->full_resolution_cal = m->full_resolution_bus = -1;
    if ((rc = metrics_trail(c, a, t, m)) != 0 ||
        (rc = desk_store_sla_events(c, a, t->id, -1, 0, &ev, &n)) != 0) {
        return rc;
    }
    const struct desk_bh *bh = sla_rules_bh(rules, sla_rules_schedule_for(rules, NULL, t));
    int64_t last_solve = 0;
    for (size_t i = 0; i < n; i++) {
        const struct desk_sla_event *e = &ev[i];
        bool why_reply = e->reason && strcmp(e->reason, DESK_SLA_WHY_FIRST_REPLY) == 0;
        if (e->metric == DESK_SLA_FIRST_REPLY && e->type == DESK_SLA_EV_FULFILL && why_reply &&
            m->reply_cal < 0) {
            m->reply_cal = e->at - t->created_at;
            m->reply_bus = desk_bh_elapsed(bh, t->created_at, e->at);
        }
        if (e->metric != DESK_SLA_TOTAL_RESOLUTION) {
            continue;
        }
        if (e->type == DESK_SLA_EV_FULFILL) {
            last_solve = e->at;
            if (m->first_resolution_cal < 0) {
                m->first_resolution_cal = e->at - t->created_at;
                m->first_resolution_bus = desk_bh_elapsed(bh, t->created_at, e->at);
            }
        } else if (e->type == DESK_SLA_EV_ACTIVATE && e->reason &&
                   strcmp(e->reason, DESK_SLA_WHY_REOPENED) == 0) {
            m->reopens++;
        }
    }
    if (t->status >= DESK_STATUS_SOLVED && last_solve) {
        m->solved_at = last_solve;
        m->full_resolution_cal = last_solve - t->created_at;
        m->full_resolution_bus = desk_bh_elapsed(bh, t->created_at, last_solve);
    }
    /* Requester wait runs in new, open and on-hold and pauses in pending, so its paused
     * time is the agent's wait; agent work also pauses on hold, so the difference of the
     * two paused times is the time on hold. Measured up to now for open tickets. */
    struct desk_sla_event *rw = desk_arena_alloc(a, (n ? n : 1) * sizeof(*rw));
    struct desk_sla_event *aw = desk_arena_alloc(a, (n ? n : 1) * sizeof(*aw));
    size_t n_rw = 0, n_aw = 0;
    for (size_t i = 0; i < n; i++) {
        if (ev[i].cycle == 1 && ev[i].metric == DESK_SLA_REQUESTER_WAIT) {
            rw[n_rw++] = ev[i];
        } else if (ev[i].cycle == 1 && ev[i].metric == DESK_SLA_AGENT_WORK) {
            aw[n_aw++] = ev[i];
        }
    }
    int64_t el, pa_rw, pa_aw, el_b, pa_rw_b, pa_aw_b;
    desk_sla_remeasure(rw, n_rw, NULL, now, &el, &pa_rw);
    desk_sla_remeasure(rw, n_rw, bh, now, &el_b, &pa_rw_b);
    m->requester_wait_cal = el;
    m->requester_wait_bus = el_b;
    m->agent_wait_cal = pa_rw;
    m->agent_wait_bus = pa_rw_b;
    desk_sla_remeasure(aw, n_aw, NULL, now, &el, &pa_aw);
    desk_sla_remeasure(aw, n_aw, bh, now, &el_b, &pa_aw_b);
    m->on_hold_cal = pa_aw > pa_rw ? pa_aw - pa_rw : 0;
    m->on_hold_bus = pa_aw_b > pa_rw_b ? pa_aw_b - pa_rw_b : 0;
    return 0;
}

int desk_app_ticket_metrics(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t ticket_id, int64_t now,
                            struct desk_ticket_metrics *out)
{
    struct desk_ticket t;
    struct desk_conn *c;
    int rc;
    if (!staff(who)) {
        return DESK_ENOTFOUND;
    }
    if ((rc = desk_app_ticket_get(app, who, a, ticket_id, &t)) != 0 ||
        (rc = desk_store_reader(app->store, &c)) != 0) {
        return rc;
    }
    struct sla_rules *rules = sla_rules_get(app, c);
    if (!rules) {
        return DESK_EIO;
    }
    rc = metrics_of(app, c, a, rules, &t, now, out);
    sla_rules_put(app, rules);
    return rc;
}

int desk_app_ticket_metrics_list(struct desk_app *app, const struct desk_actor *who,
                                 struct desk_arena *a, const struct desk_page *p, int64_t now,
                                 struct desk_ticket_metrics **items, struct desk_page_out *out)
{
    struct desk_ticket_filter f = {0};
    struct desk_ticket *tickets;
    struct desk_conn *c;
    int rc;
    if (!staff(who)) {
        return DESK_EFORBIDDEN;
    }
    desk_app_ticket_scope(who, &f);
    if ((rc = desk_store_reader(app->store, &c)) != 0 ||
        (rc = desk_store_ticket_list(c, a, &f, p, &tickets, out)) != 0) {
        return rc;
    }
    struct sla_rules *rules = sla_rules_get(app, c);
    if (!rules) {
        return DESK_EIO;
    }
    struct desk_ticket_metrics *m = desk_arena_alloc(a, (out->n ? out->n : 1) * sizeof(*m));
    for (size_t i = 0; i < out->n && !rc; i++) {
        rc = metrics_of(app, c, a, rules, &tickets[i], now, &m[i]);
    }
    sla_rules_put(app, rules);
    if (!rc) {
        *items = m;
    }
    return rc;
}

int desk_app_sla_events_since(struct desk_app *app, struct desk_arena *a, int64_t since_ms,
                              int64_t after_id, size_t limit, struct desk_sla_event **out,
                              size_t *n)
{
    struct desk_conn *c;
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_sla_events_since(c, a, since_ms, after_id, limit, out, n);
}

int desk_app_sla_alerts(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        int64_t user_id, const struct desk_page *p, struct desk_sla_alert **items,
                        struct desk_page_out *out)
{
    struct desk_conn *c;
    if (!staff(who)) {
        return DESK_EFORBIDDEN;
    }
    if (user_id != who->user_id && who->role < DESK_ROLE_SUPERVISOR) {
        return DESK_EFORBIDDEN; /* agents read their own alerts */
    }
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_sla_alert_list(c, a, user_id, p, items, out);
}
