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

int desk_app_ticket_metrics(struct desk_app *app, const struct desk_actor *who, int64_t ticket_id,
                            struct desk_ticket_metrics *out)
{
    struct desk_arena a;
    struct desk_ticket t;
    struct desk_conn *c;
    if (!staff(who)) {
        return DESK_ENOTFOUND;
    }
    desk_arena_init(&a);
    int rc = desk_app_ticket_get(app, who, &a, ticket_id, &t);
    desk_arena_release(&a);
    if (rc || (rc = desk_store_reader(app->store, &c)) != 0) {
        return rc;
    }
    return desk_store_ticket_metrics_get(c, ticket_id, out);
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
