/*
 * SLA clocks at work: the cached rules, the engine that turns ticket
 * changes into metric events and clocks (run by the ticket hook on every
 * write, by the scheduler when a deadline comes, and after a schedule or
 * policy changes), and the policy actions on risk and breach. The rules
 * of what starts, pauses and fulfils a metric are model/sla.c's; this file
 * applies them to stored clocks under the right schedule.
 */
#include "app/sla_int.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/time.h"
#include "model/ticket.h"

#include <stdlib.h>
#include <string.h>

/* The scheduler acts as the system, through the rule channel. */
static const struct desk_actor sla_actor = {
    .user_id = 0, .role = DESK_ROLE_ADMIN, .via = DESK_VIA_RULE, .request_id = "sla"};

#define REAPPLY_BATCH 200

/* ---- lifecycle and wake-up ------------------------------------------------------------ */

struct desk_sla *desk_sla_new(void)
{
    struct desk_sla *s = calloc(1, sizeof(*s));
    if (!s) {
        abort();
    }
    pthread_mutex_init(&s->lock, NULL);
    return s;
}

static void rules_free(struct sla_rules *r)
{
    for (size_t i = 0; i < r->n_scheds; i++) {
        desk_bh_free(r->scheds[i].bh);
    }
    desk_arena_release(&r->arena);
    free(r);
}

void desk_sla_free(struct desk_sla *s)
{
    if (!s) {
        return;
    }
    if (s->rules && --s->rules->refs == 0) {
        rules_free(s->rules);
    }
    pthread_mutex_destroy(&s->lock);
    free(s);
}

void desk_app_sla_set_wake(struct desk_app *app, desk_sla_wake_fn fn, void *ctx)
{
    pthread_mutex_lock(&app->sla->lock);
    app->sla->wake = fn;
    app->sla->wake_ctx = ctx;
    pthread_mutex_unlock(&app->sla->lock);
}

void sla_wake(struct desk_app *app, int64_t ticket_id, int64_t next_at)
{
    pthread_mutex_lock(&app->sla->lock);
    desk_sla_wake_fn fn = app->sla->wake;
    void *ctx = app->sla->wake_ctx;
    pthread_mutex_unlock(&app->sla->lock);
    if (fn) {
        fn(ctx, ticket_id, next_at);
    }
}

static bool wake_wanted(struct desk_app *app)
{
    pthread_mutex_lock(&app->sla->lock);
    bool yes = app->sla->wake != NULL;
    pthread_mutex_unlock(&app->sla->lock);
    return yes;
}

/* ---- rules ------------------------------------------------------------------------------ */

static int attach_cmp(const void *a, const void *b)
{
    const struct sla_attach *x = a, *y = b;
    return x->target_id < y->target_id ? -1 : x->target_id > y->target_id;
}

static struct sla_rules *rules_build(struct desk_conn *c, int64_t version)
{
    struct sla_rules *r = calloc(1, sizeof(*r));
    struct desk_schedule *recs = NULL;
    size_t n = 0;
    if (!r) {
        abort();
    }
    r->version = version;
    desk_arena_init(&r->arena);
    if (desk_store_policy_list(c, &r->arena, &r->policies, &r->n_policies) != 0 ||
        desk_store_schedule_list(c, &r->arena, &recs, &n) != 0) {
        rules_free(r);
        return NULL;
    }
    size_t n_groups = 0, n_orgs = 0;
    for (size_t i = 0; i < n; i++) {
        n_groups += recs[i].n_group_ids;
        n_orgs += recs[i].n_organization_ids;
    }
    r->scheds = desk_arena_alloc(&r->arena, (n ? n : 1) * sizeof(*r->scheds));
    r->groups = desk_arena_alloc(&r->arena, (n_groups ? n_groups : 1) * sizeof(*r->groups));
    r->orgs = desk_arena_alloc(&r->arena, (n_orgs ? n_orgs : 1) * sizeof(*r->orgs));
    for (size_t i = 0; i < n; i++) {
        struct sla_sched *s = &r->scheds[r->n_scheds++];
        s->id = recs[i].id;
        s->name = recs[i].name;
        s->zone = recs[i].time_zone;
        if (desk_schedule_compile(&recs[i], &r->arena, &s->bh, NULL) != 0) {
            s->bh = NULL;
            desk_log(DESK_LOG_WARN, "event=sla_schedule_invalid schedule=%lld", (long long)s->id);
        }
        if (recs[i].is_default) {
            r->default_schedule = s->id;
        }
        for (size_t g = 0; g < recs[i].n_group_ids; g++) {
            r->groups[r->n_groups++] = (struct sla_attach){recs[i].group_ids[g], s->id};
        }
        for (size_t o = 0; o < recs[i].n_organization_ids; o++) {
            r->orgs[r->n_orgs++] = (struct sla_attach){recs[i].organization_ids[o], s->id};
        }
    }
    qsort(r->groups, r->n_groups, sizeof(*r->groups), attach_cmp);
    qsort(r->orgs, r->n_orgs, sizeof(*r->orgs), attach_cmp);
    return r;
}

struct sla_rules *sla_rules_get(struct desk_app *app, struct desk_conn *c)
{
    struct desk_sla *s = app->sla;
    int64_t version;
    if (desk_store_sla_version(c, &version) != 0) {
        return NULL;
    }
    pthread_mutex_lock(&s->lock);
    struct sla_rules *r = s->rules;
    if (r && r->version == version) {
        r->refs++;
        pthread_mutex_unlock(&s->lock);
        return r;
    }
    pthread_mutex_unlock(&s->lock);
    struct sla_rules *fresh = rules_build(c, version);
    if (!fresh) {
        return NULL;
    }
    pthread_mutex_lock(&s->lock);
    struct sla_rules *old = NULL;
    if (s->rules && s->rules->version == version) {
        /* Another thread built the same version meanwhile: keep one. */
        r = s->rules;
        r->refs++;
        pthread_mutex_unlock(&s->lock);
        rules_free(fresh);
        return r;
    }
    old = s->rules;
    s->rules = fresh;
    fresh->refs = 2; /* the cache's and the caller's */
    bool free_old = old && --old->refs == 0;
    pthread_mutex_unlock(&s->lock);
    if (free_old) {
        rules_free(old);
    }
    return fresh;
}

void sla_rules_put(struct desk_app *app, struct sla_rules *r)
{
    if (!r) {
        return;
    }
    pthread_mutex_lock(&app->sla->lock);
    bool last = --r->refs == 0;
    pthread_mutex_unlock(&app->sla->lock);
    if (last) {
        rules_free(r);
    }
}

const struct sla_sched *sla_rules_sched(const struct sla_rules *r, int64_t id)
{
    for (size_t i = 0; id && i < r->n_scheds; i++) {
        if (r->scheds[i].id == id) {
            return &r->scheds[i];
        }
    }
    return NULL;
}

const struct desk_bh *sla_rules_bh(const struct sla_rules *r, int64_t schedule_id)
{
    const struct sla_sched *s = sla_rules_sched(r, schedule_id);
    return s ? s->bh : NULL;
}

const struct desk_sla_policy *sla_rules_policy(const struct sla_rules *r, int64_t id)
{
    for (size_t i = 0; id && i < r->n_policies; i++) {
        if (r->policies[i].id == id) {
            return &r->policies[i];
        }
    }
    return NULL;
}

const struct desk_sla_policy *sla_rules_match(const struct sla_rules *r,
                                              const struct desk_ticket *t)
{
    for (size_t i = 0; i < r->n_policies; i++) {
        if (desk_sla_policy_matches(&r->policies[i], t)) {
            return &r->policies[i];
        }
    }
    return NULL;
}

static int64_t attached(const struct sla_attach *v, size_t n, int64_t target)
{
    struct sla_attach key = {target, 0};
    const struct sla_attach *hit = target ? bsearch(&key, v, n, sizeof(*v), attach_cmp) : NULL;
    return hit ? hit->schedule_id : 0;
}

int64_t sla_rules_schedule_for(const struct sla_rules *r, const struct desk_sla_policy *p,
                               const struct desk_ticket *t)
{
    int64_t id = 0;
    if (p && p->schedule_id && sla_rules_sched(r, p->schedule_id)) {
        return p->schedule_id;
    }
    if ((id = attached(r->orgs, r->n_orgs, t->organization_id)) != 0 ||
        (id = attached(r->groups, r->n_groups, t->group_id)) != 0) {
        return id;
    }
    return r->default_schedule;
}

/* ---- the engine ----------------------------------------------------------------------------- */

struct clocks {
    struct desk_sla_clock k[DESK_SLA_N_METRICS];
    bool present[DESK_SLA_N_METRICS];
    bool dirty[DESK_SLA_N_METRICS];
};

static const struct desk_bh *clock_bh(const struct sla_run *r, const struct desk_sla_clock *k)
{
    return k->business_hours ? sla_rules_bh(r->rules, k->schedule_id) : NULL;
}

static int clock_risk(const struct sla_run *r, const struct desk_sla_clock *k)
{
    const struct desk_sla_policy *p = sla_rules_policy(r->rules, k->policy_id);
    return p ? p->at_risk_pct : DESK_SLA_RISK_DEFAULT;
}

static int put_event(struct sla_run *r, const struct desk_sla_clock *k, int type, int64_t at,
                     int64_t elapsed, const char *reason)
{
    struct desk_sla_event e = {0};
    e.ticket_id = k->ticket_id;
    e.metric = k->metric;
    e.cycle = k->cycle;
    e.type = type;
    e.at = at;
    e.elapsed_ms = elapsed;
    e.paused_ms = k->paused_ms;
    e.policy_id = k->policy_id;
    e.target_s = k->target_s;
    e.business_hours = k->business_hours;
    e.schedule_id = k->schedule_id;
    e.due_at = k->state == DESK_SLA_ACTIVE ? k->due_at : 0;
    e.reason = reason;
    e.created_at = r->now;
    return desk_store_sla_event_insert(r->c, &e);
}

static bool has_action(const struct desk_sla_policy *p, int on, bool fields_only)
{
    for (size_t i = 0; p && i < p->n_actions; i++) {
        if (p->actions[i].on == on && (!fields_only || p->actions[i].kind != DESK_SLA_ACT_NOTIFY)) {
            return true;
        }
    }
    return false;
}

/*
 * Notifies with an alert row each: the assignee and the supervisors of the
 * group the ticket was in when the deadline came (every supervisor when it
 * had none), and those of the group an escalation moved it to; records the
 * notification on the ticket's audit trail.
 */
static int notify(struct sla_run *r, const struct desk_sla_clock *k, int on)
{
    const struct desk_ticket *t = r->ticket;
    /* Who was responsible when the deadline came (before this change moved the ticket),
     * and the supervisors of the group it is in now. */
    const struct desk_ticket *was = r->before ? r->before : t;
    int64_t ids[101];
    size_t n = 0;
    int rc;
    if (was->assignee_id) {
        ids[n++] = was->assignee_id;
    }
    if (t->assignee_id && t->assignee_id != was->assignee_id) {
        ids[n++] = t->assignee_id;
    }
    int64_t groups[2] = {was->group_id, t->group_id != was->group_id ? t->group_id : -1};
    for (int g = 0; g < 2; g++) {
        if (groups[g] < 0 || (g == 1 && !groups[g])) {
            continue;
        }
        struct desk_user_filter f = {.role = DESK_ROLE_SUPERVISOR, .group_id = groups[g]};
        struct desk_page p = {.limit = 50};
        struct desk_page_out po;
        struct desk_user *sups;
        if ((rc = desk_store_user_list(r->c, r->a, &f, &p, &sups, &po)) != 0) {
            return rc;
        }
        for (size_t i = 0; i < po.n && n < 101; i++) {
            bool dup = !sups[i].active;
            for (size_t j = 0; j < n && !dup; j++) {
                dup = ids[j] == sups[i].id;
            }
            if (!dup) {
                ids[n++] = sups[i].id;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        struct desk_sla_alert al = {.ticket_id = t->id,
                                    .user_id = ids[i],
                                    .metric = k->metric,
                                    .kind = on,
                                    .due_at = k->due_at,
                                    .created_at = r->now};
        if ((rc = desk_store_sla_alert_insert(r->c, &al)) != 0) {
            return rc;
        }
    }
    struct desk_buf b;
    desk_buf_init(&b, 0);
    desk_buf_addf(&b, "%s %s: notified", desk_sla_metric_name(k->metric),
                  on == DESK_SLA_ON_BREACH ? "breached" : "at risk");
    for (size_t i = 0; i < n; i++) {
        desk_buf_addf(&b, "%s user %lld", i ? "," : "", (long long)ids[i]);
    }
    if (!n) {
        desk_buf_adds(&b, " nobody (no assignee, no supervisor)");
    }
    struct desk_audit_event ev = {.type = "Notification",
                                  .field = on == DESK_SLA_ON_BREACH ? "sla_breach" : "sla_at_risk",
                                  .new_value = desk_arena_strndup(r->a, b.data, b.len)};
    desk_buf_release(&b);
    struct desk_audit au = {.id = r->audit_id, .events = &ev, .n_events = 1};
    if (!au.id) {
        au.ticket_id = t->id;
        au.author_id = t->requester_id;
        au.via = DESK_VIA_RULE;
        au.created_at = r->now;
        if ((rc = desk_store_audit_insert(r->c, &au)) != 0) {
            return rc;
        }
        r->audit_id = au.id; /* later notifications of this run join the same audit */
    }
    return desk_store_audit_events_insert(r->c, &au);
}

/* Records the at-risk and breach marks clock m has passed by now. */
static int mark(struct sla_run *r, struct clocks *cs, int m)
{
    struct desk_sla_clock *k = &cs->k[m];
    if (!cs->present[m] || k->state != DESK_SLA_ACTIVE || k->target_s <= 0) {
        return 0;
    }
    const struct desk_sla_policy *p = sla_rules_policy(r->rules, k->policy_id);
    bool risk = !k->at_risk && k->risk_at && k->risk_at <= r->now;
    bool breach = !k->breached && k->due_at && k->due_at <= r->now;
    if (!risk && !breach) {
        return 0;
    }
    /* Outside a ticket update the actions cannot run: leave the marks for the scheduler's
     * fire, which runs them through the update use case first. */
    if (!r->in_update && !r->force_marks &&
        ((risk && has_action(p, DESK_SLA_ON_AT_RISK, true)) ||
         (breach && has_action(p, DESK_SLA_ON_BREACH, true)))) {
        return 0;
    }
    struct desk_sla_event ev[2];
    size_t n = desk_sla_clock_marks(k, r->now, clock_risk(r, k), ev);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        bool is_breach = ev[i].type == DESK_SLA_EV_BREACH;
        const char *why =
            is_breach
                ? "target missed"
                : desk_arena_printf(r->a, "at risk: %d %% of the target elapsed", clock_risk(r, k));
        rc = put_event(r, k, ev[i].type, ev[i].at, ev[i].elapsed_ms, why);
        int on = is_breach ? DESK_SLA_ON_BREACH : DESK_SLA_ON_AT_RISK;
        for (size_t j = 0; !rc && p && j < p->n_actions; j++) {
            if (p->actions[j].on == on && p->actions[j].kind == DESK_SLA_ACT_NOTIFY) {
                rc = notify(r, k, on);
                break;
            }
        }
    }
    cs->dirty[m] = true;
    return rc;
}

/* The rules a metric should run under now, for ticket t. */
struct wanted {
    int64_t policy_id;
    int64_t target_s;
    bool business_hours;
    int64_t schedule_id;
    const struct desk_sla_policy *policy;
};

static struct wanted wanted_for(const struct sla_run *r, const struct desk_sla_policy *p, int m)
{
    struct wanted w = {0};
    const struct desk_sla_target *tg = p ? desk_sla_policy_target(p, r->ticket->priority, m) : NULL;
    if (tg) {
        w.policy = p;
        w.policy_id = p->id;
        w.target_s = tg->target_s;
        w.business_hours = tg->business_hours;
        w.schedule_id = tg->business_hours ? sla_rules_schedule_for(r->rules, p, r->ticket) : 0;
    }
    return w;
}

static const char *apply_reason(const struct sla_run *r, const struct wanted *w, int m)
{
    if (!w->policy_id) {
        return "no SLA policy applies";
    }
    const char *target = desk_sla_duration_text(r->a, w->target_s * 1000);
    const char *prio = desk_priority_name(r->ticket->priority);
    prio = prio ? desk_arena_printf(r->a, "%s priority", prio) : "no priority: normal targets";
    if (!w->business_hours) {
        return desk_arena_printf(r->a,
                                 "policy \"%s\" applies: %s within %s (%s), "
                                 "in calendar hours",
                                 w->policy->title, desk_sla_metric_name(m), target, prio);
    }
    const struct sla_sched *s = sla_rules_sched(r->rules, w->schedule_id);
    if (!s) {
        return desk_arena_printf(r->a,
                                 "policy \"%s\" applies: %s within %s of business hours, "
                                 "but no schedule exists, so calendar hours count",
                                 w->policy->title, desk_sla_metric_name(m), target);
    }
    return desk_arena_printf(r->a,
                             "policy \"%s\" applies: %s within %s (%s) of "
                             "business hours on schedule \"%s\" (%s)",
                             w->policy->title, desk_sla_metric_name(m), target, prio, s->name,
                             s->zone);
}

/* Switches clock m to the rules wanted now, when they differ. */
static int reapply(struct sla_run *r, struct clocks *cs, int m, const struct desk_sla_policy *p)
{
    struct desk_sla_clock *k = &cs->k[m];
    if (!cs->present[m] || (k->state != DESK_SLA_ACTIVE && k->state != DESK_SLA_PAUSED)) {
        return 0;
    }
    if (k->rules_version != r->rules->version) {
        k->rules_version = r->rules->version;
        cs->dirty[m] = true;
    }
    struct wanted w = wanted_for(r, p, m);
    if (w.policy_id == k->policy_id && w.target_s == k->target_s &&
        w.business_hours == k->business_hours && w.schedule_id == k->schedule_id) {
        return 0;
    }
    const struct desk_bh *new_bh = w.business_hours ? sla_rules_bh(r->rules, w.schedule_id) : NULL;
    if (k->target_s > 0) {
        /* Time already counted stays as counted; the new rules count from now. */
        desk_sla_clock_advance(k, clock_bh(r, k), r->now);
    } else {
        /* The cycle had no target: measure it from its start under the rules it gets. */
        struct desk_sla_event *ev;
        size_t n;
        int rc = desk_store_sla_events(r->c, r->a, k->ticket_id, m, k->cycle, &ev, &n);
        if (rc) {
            return rc;
        }
        desk_sla_remeasure(ev, n, new_bh, r->now, &k->elapsed_ms, &k->paused_ms);
        k->last_at = r->now;
    }
    k->policy_id = w.policy_id;
    k->target_s = w.target_s;
    k->business_hours = w.business_hours;
    k->schedule_id = w.schedule_id;
    k->due_at = k->risk_at = 0;
    desk_sla_clock_deadlines(k, new_bh, w.policy ? w.policy->at_risk_pct : DESK_SLA_RISK_DEFAULT);
    cs->dirty[m] = true;
    return put_event(r, k, DESK_SLA_EV_APPLY_SLA, r->now, k->elapsed_ms, apply_reason(r, &w, m));
}

static int apply_op(struct sla_run *r, struct clocks *cs, const struct desk_sla_op *op)
{
    int m = op->metric;
    struct desk_sla_clock *k = &cs->k[m];
    int type = DESK_SLA_EV_ACTIVATE;
    if (op->kind == DESK_SLA_OP_START) {
        int cycle = cs->present[m] ? k->cycle + 1 : 1;
        memset(k, 0, sizeof(*k));
        k->ticket_id = r->ticket->id;
        k->metric = m;
        k->cycle = cycle;
        k->started_at = k->last_at = r->now;
        k->rules_version = r->rules->version;
        cs->present[m] = true;
    } else {
        desk_sla_clock_advance(k, clock_bh(r, k), r->now);
        type = op->kind == DESK_SLA_OP_PAUSE     ? DESK_SLA_EV_PAUSE
               : op->kind == DESK_SLA_OP_FULFILL ? DESK_SLA_EV_FULFILL
                                                 : DESK_SLA_EV_ACTIVATE;
    }
    k->state = op->kind == DESK_SLA_OP_PAUSE     ? DESK_SLA_PAUSED
               : op->kind == DESK_SLA_OP_FULFILL ? DESK_SLA_FULFILLED
                                                 : DESK_SLA_ACTIVE;
    desk_sla_clock_deadlines(k, clock_bh(r, k), clock_risk(r, k));
    cs->dirty[m] = true;
    return put_event(r, k, type, r->now, k->elapsed_ms, op->reason);
}

int sla_run(struct sla_run *r, const struct desk_sla_change *change)
{
    struct clocks cs;
    int rc = desk_store_sla_clocks(r->c, r->ticket->id, cs.k, cs.present);
    memset(cs.dirty, 0, sizeof(cs.dirty));
    if (rc) {
        return rc;
    }
    /* A schedule changed: what ran until the change counts under its old hours. */
    for (int m = 0; r->ck_schedule && m < DESK_SLA_N_METRICS; m++) {
        struct desk_sla_clock *k = &cs.k[m];
        if (cs.present[m] && k->state == DESK_SLA_ACTIVE && k->business_hours &&
            k->schedule_id == r->ck_schedule && k->last_at < r->ck_at) {
            desk_sla_clock_advance(k, r->ck_old_bh, r->ck_at);
            cs.dirty[m] = true;
            if ((rc = put_event(r, k, DESK_SLA_EV_APPLY_SLA, r->ck_at, k->elapsed_ms,
                                r->ck_reason)) != 0) {
                return rc;
            }
        }
    }
    for (int m = 0; m < DESK_SLA_N_METRICS; m++) {
        if ((rc = mark(r, &cs, m)) != 0) {
            return rc;
        }
    }
    if (change) {
        int st[DESK_SLA_N_METRICS];
        struct desk_sla_op ops[DESK_SLA_OPS_MAX];
        for (int m = 0; m < DESK_SLA_N_METRICS; m++) {
            st[m] = cs.present[m] ? cs.k[m].state : DESK_SLA_NONE;
        }
        size_t n = desk_sla_ops(change, st, ops);
        for (size_t i = 0; i < n; i++) {
            if ((rc = apply_op(r, &cs, &ops[i])) != 0) {
                return rc;
            }
        }
    }
    const struct desk_sla_policy *p = sla_rules_match(r->rules, r->ticket);
    r->next_at = 0;
    for (int m = 0; m < DESK_SLA_N_METRICS; m++) {
        struct desk_sla_clock *k = &cs.k[m];
        if ((rc = reapply(r, &cs, m, p)) != 0) {
            return rc;
        }
        if (cs.dirty[m] && k->state == DESK_SLA_ACTIVE) {
            desk_sla_clock_advance(k, clock_bh(r, k), r->now);
            desk_sla_clock_deadlines(k, clock_bh(r, k), clock_risk(r, k));
        }
        if ((rc = mark(r, &cs, m)) != 0) { /* a shorter target may be missed already */
            return rc;
        }
        if (cs.dirty[m] && (rc = desk_store_sla_clock_put(r->c, k)) != 0) {
            return rc;
        }
        if (cs.present[m] && k->next_at && (!r->next_at || k->next_at < r->next_at)) {
            r->next_at = k->next_at;
        }
    }
    return 0;
}

/* ---- the hook ---------------------------------------------------------------------------- */

/* Adds the space-separated tags in list to t (normalized like any tag). */
static void add_tags(struct desk_ticket_change *ch, const char *list)
{
    struct desk_strv more = desk_strv_split(ch->a, list);
    size_t n = ch->after->tags.n + more.n;
    const char **v = desk_arena_alloc(ch->a, (n ? n : 1) * sizeof(*v));
    for (size_t i = 0; i < ch->after->tags.n; i++) {
        v[i] = ch->after->tags.v[i];
    }
    for (size_t i = 0; i < more.n; i++) {
        v[ch->after->tags.n + i] = more.v[i];
    }
    struct desk_strv all = {v, n};
    struct desk_fail ignored = {0};
    if (desk_tags_normalize(ch->a, &all, &ignored) == 0) {
        ch->after->tags = all;
    }
}

static int run_action(struct desk_conn *c, struct desk_ticket_change *ch,
                      const struct desk_sla_action *x)
{
    struct desk_ticket *t = ch->after;
    int v;
    switch (x->kind) {
    case DESK_SLA_ACT_ADD_TAGS:
        add_tags(ch, x->value);
        break;
    case DESK_SLA_ACT_SET_PRIORITY:
        if (desk_priority_parse(x->value, &v) == 0) {
            t->priority = v;
        }
        break;
    case DESK_SLA_ACT_RAISE_PRIORITY: {
        int p = t->priority == DESK_PRIORITY_NONE ? DESK_PRIORITY_NORMAL : t->priority;
        t->priority = p < DESK_PRIORITY_URGENT ? p + 1 : DESK_PRIORITY_URGENT;
        break;
    }
    case DESK_SLA_ACT_SET_GROUP: {
        struct desk_group g;
        int64_t id = strtoll(x->value ? x->value : "0", NULL, 10);
        bool member = true;
        if (desk_store_group_get(c, ch->a, id, &g) != 0 || g.deleted) {
            desk_log(DESK_LOG_WARN,
                     "event=sla_action_skipped ticket=%lld action=set_group "
                     "group=%lld reason=\"no such group\"",
                     (long long)t->id, (long long)id);
            break;
        }
        t->group_id = id;
        /* An assignee outside the escalation group leaves it to that group's queue. */
        if (t->assignee_id &&
            (desk_store_membership_exists(c, t->assignee_id, id, &member) != 0 || !member)) {
            t->assignee_id = 0;
        }
        break;
    }
    default:
        break;
    }
    return 0;
}

int desk_sla_prepare(struct desk_conn *c, struct desk_ticket_change *ch)
{
    if (!ch->before) {
        return 0; /* a new ticket has no deadline yet */
    }
    struct desk_sla_clock k[DESK_SLA_N_METRICS];
    bool present[DESK_SLA_N_METRICS];
    int rc = desk_store_sla_clocks(c, ch->after->id, k, present);
    if (rc) {
        return rc;
    }
    struct sla_rules *rules = NULL;
    for (int m = 0; m < DESK_SLA_N_METRICS; m++) {
        if (!present[m] || k[m].state != DESK_SLA_ACTIVE || !k[m].target_s || !k[m].next_at ||
            k[m].next_at > ch->now) {
            continue;
        }
        if (!rules && !(rules = sla_rules_get(ch->app, c))) {
            return DESK_EIO;
        }
        const struct desk_sla_policy *p = sla_rules_policy(rules, k[m].policy_id);
        bool risk = !k[m].at_risk && k[m].risk_at && k[m].risk_at <= ch->now;
        bool breach = !k[m].breached && k[m].due_at && k[m].due_at <= ch->now;
        for (size_t i = 0; p && i < p->n_actions; i++) {
            const struct desk_sla_action *x = &p->actions[i];
            if ((x->on == DESK_SLA_ON_AT_RISK && risk) || (x->on == DESK_SLA_ON_BREACH && breach)) {
                run_action(c, ch, x);
            }
        }
    }
    sla_rules_put(ch->app, rules);
    return 0;
}

/* Whether the change's comment was written by staff. */
static bool author_is_staff(struct desk_conn *c, const struct desk_ticket_change *ch)
{
    if (!ch->comment_author || ch->comment_author == ch->who->user_id) {
        return desk_role_is_staff(ch->who->role);
    }
    struct desk_user u;
    return desk_store_user_get(c, ch->a, ch->comment_author, &u) == 0 && desk_role_is_staff(u.role);
}

int desk_sla_written(struct desk_conn *c, struct desk_ticket_change *ch)
{
    struct sla_rules *rules = sla_rules_get(ch->app, c);
    if (!rules) {
        return DESK_EIO;
    }
    struct desk_sla_change sc = {
        .created = ch->before == NULL,
        .status_before = ch->before ? ch->before->status : 0,
        .status_after = ch->after->status,
        .public_comment = ch->comment && ch->comment_public,
    };
    sc.agent_comment = sc.public_comment && author_is_staff(c, ch);
    struct sla_run run = {.app = ch->app,
                          .c = c,
                          .a = ch->a,
                          .rules = rules,
                          .now = ch->now,
                          .ticket = ch->after,
                          .before = ch->before,
                          .audit_id = ch->audit ? ch->audit->id : 0,
                          .in_update = true};
    int rc = sla_run(&run, &sc);
    sla_rules_put(ch->app, rules);
    return rc;
}

/* The earliest next_at among a ticket's stored clocks (0: none). */
static int64_t next_of(struct desk_conn *c, int64_t ticket_id)
{
    struct desk_sla_clock k[DESK_SLA_N_METRICS];
    bool present[DESK_SLA_N_METRICS];
    int64_t next = 0;
    if (desk_store_sla_clocks(c, ticket_id, k, present) != 0) {
        return 0;
    }
    for (int m = 0; m < DESK_SLA_N_METRICS; m++) {
        if (present[m] && k[m].next_at && (!next || k[m].next_at < next)) {
            next = k[m].next_at;
        }
    }
    return next;
}

void desk_sla_committed(const struct desk_ticket_change *ch)
{
    struct desk_conn *c;
    if (!wake_wanted(ch->app) || desk_app_reader(ch->app, &c) != 0) {
        return;
    }
    sla_wake(ch->app, ch->after->id, next_of(c, ch->after->id));
}

/* ---- deadlines reached, rules changed ------------------------------------------------------- */

int sla_touch(struct desk_app *app, struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
              int64_t now, bool force, struct sla_rules *rules, const struct sla_run *checkpoint,
              int64_t *next_at)
{
    struct desk_ticket t;
    int rc = desk_store_ticket_get(c, a, ticket_id, &t);
    *next_at = 0;
    if (rc == DESK_ENOTFOUND) {
        return 0;
    }
    if (rc) {
        return rc;
    }
    if (t.deleted_at) {
        /* Hooks do not run for deletions: the clocks of a deleted ticket stop here. */
        struct desk_sla_clock k[DESK_SLA_N_METRICS];
        bool present[DESK_SLA_N_METRICS];
        if ((rc = desk_store_sla_clocks(c, ticket_id, k, present)) != 0) {
            return rc;
        }
        for (int m = 0; m < DESK_SLA_N_METRICS && !rc; m++) {
            if (present[m] && (k[m].next_at || k[m].rules_version != rules->version)) {
                k[m].next_at = 0;
                k[m].rules_version = rules->version;
                rc = desk_store_sla_clock_put(c, &k[m]);
            }
        }
        return rc;
    }
    struct sla_run run = {
        .app = app, .c = c, .a = a, .rules = rules, .now = now, .ticket = &t, .force_marks = force};
    if (checkpoint) {
        run.ck_schedule = checkpoint->ck_schedule;
        run.ck_old_bh = checkpoint->ck_old_bh;
        run.ck_at = checkpoint->ck_at;
        run.ck_reason = checkpoint->ck_reason;
    }
    rc = sla_run(&run, NULL);
    if (!rc) {
        *next_at = run.next_at;
    }
    return rc;
}

struct touch_job {
    struct desk_app *app;
    struct desk_arena *a;
    int64_t ticket_id;
    int64_t now;
    int64_t next_at;
};

static int touch_write(struct desk_conn *c, void *arg)
{
    struct touch_job *j = arg;
    struct sla_rules *rules = sla_rules_get(j->app, c);
    if (!rules) {
        return DESK_EIO;
    }
    int rc = sla_touch(j->app, c, j->a, j->ticket_id, j->now, true, rules, NULL, &j->next_at);
    sla_rules_put(j->app, rules);
    return rc;
}

int desk_app_sla_fire(struct desk_app *app, int64_t ticket_id, int64_t now, int64_t *next_at)
{
    struct desk_arena a;
    struct desk_ticket_input in = {0};
    struct desk_ticket t;
    struct desk_audit au;
    struct desk_fail fail = {0};
    desk_arena_init(&a);
    /* The actions first, as an audited update every hook sees; the SLA hook records the
     * marks in the same transaction. Nothing to change (or a closed ticket) is no error. */
    int rc = desk_app_ticket_update(app, &sla_actor, &a, ticket_id, &in, &t, &au, &fail);
    if (rc && rc != DESK_EINVALID && rc != DESK_ENOTFOUND) {
        desk_log(DESK_LOG_WARN, "event=sla_fire ticket=%lld step=update error=\"%s\"",
                 (long long)ticket_id, desk_err_msg(rc));
    }
    struct touch_job j = {app, &a, ticket_id, now, 0};
    rc = desk_store_write(app->store, touch_write, &j);
    if (rc) {
        desk_log(DESK_LOG_WARN, "event=sla_fire ticket=%lld step=mark error=\"%s\"",
                 (long long)ticket_id, desk_err_msg(rc));
    }
    *next_at = j.next_at;
    desk_arena_release(&a);
    return rc;
}

struct reapply_job {
    struct desk_app *app;
    struct desk_arena *a;
    int64_t schedule_id;
    int64_t policy_id;
    struct sla_run checkpoint;
    bool has_checkpoint;
    int64_t now;
    int64_t ids[REAPPLY_BATCH];
    int64_t next[REAPPLY_BATCH];
    size_t n;
};

static int reapply_write(struct desk_conn *c, void *arg)
{
    struct reapply_job *j = arg;
    struct sla_rules *rules = sla_rules_get(j->app, c);
    if (!rules) {
        return DESK_EIO;
    }
    int rc = desk_store_sla_stale(c, j->schedule_id, j->policy_id, rules->version, REAPPLY_BATCH,
                                  j->ids, &j->n);
    for (size_t i = 0; !rc && i < j->n; i++) {
        rc = sla_touch(j->app, c, j->a, j->ids[i], j->now, false, rules,
                       j->has_checkpoint ? &j->checkpoint : NULL, &j->next[i]);
    }
    sla_rules_put(j->app, rules);
    return rc;
}

int sla_reapply(struct desk_app *app, int64_t schedule_id, int64_t policy_id,
                const struct desk_bh *old_bh, int64_t changed_at, const char *reason)
{
    struct desk_arena a;
    struct reapply_job *j = calloc(1, sizeof(*j));
    int rc = 0;
    if (!j) {
        abort();
    }
    desk_arena_init(&a);
    j->app = app;
    j->a = &a;
    j->schedule_id = schedule_id;
    j->policy_id = policy_id;
    if (schedule_id) {
        j->has_checkpoint = true;
        j->checkpoint.ck_schedule = schedule_id;
        j->checkpoint.ck_old_bh = old_bh;
        j->checkpoint.ck_at = changed_at;
        j->checkpoint.ck_reason = reason;
    }
    int64_t prev_first = 0;
    for (;;) {
        j->now = desk_time_now_ms();
        if ((rc = desk_store_write(app->store, reapply_write, j)) != 0) {
            break;
        }
        if (j->n && j->ids[0] == prev_first) {
            /* A batch that made no progress would come back forever. */
            desk_log(DESK_LOG_WARN, "event=sla_reapply_stuck ticket=%lld", (long long)prev_first);
            break;
        }
        prev_first = j->n ? j->ids[0] : 0;
        for (size_t i = 0; i < j->n; i++) {
            sla_wake(app, j->ids[i], j->next[i]);
        }
        desk_arena_release(&a);
        desk_arena_init(&a);
        if (j->n < REAPPLY_BATCH) {
            break;
        }
    }
    desk_arena_release(&a);
    free(j);
    return rc;
}

int desk_app_sla_next(struct desk_app *app, struct desk_sla_due_key after, size_t limit,
                      struct desk_sla_due_key *out, size_t *n)
{
    struct desk_conn *c;
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_sla_next(c, after, limit, out, n);
}

/* ---- due times for others ------------------------------------------------------------------ */

int desk_app_sla_due_list(struct desk_app *app, struct desk_arena *a, int64_t assignee_id,
                          int64_t group_id, int64_t from_ms, int64_t to_ms, size_t limit,
                          struct desk_sla_due **out, size_t *n)
{
    struct desk_conn *c;
    if (!assignee_id && !group_id) {
        return DESK_EINVAL;
    }
    if (limit > 1000) {
        limit = 1000;
    }
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc
              : desk_store_sla_due_list(c, a, assignee_id, group_id, from_ms, to_ms, limit, out, n);
}
