/*
 * SLA rules (see sla.h): policy validation and matching, the metric
 * lifecycle of CONTACT_CENTER.md as a function from a change to a list of
 * operations, and clock arithmetic over model/calendar.
 */
#include "model/sla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const metric_names[DESK_SLA_N_METRICS] = {
    "first_reply_time",    "next_reply_time", "periodic_update_time", "pausable_update_time",
    "requester_wait_time", "agent_work_time", "total_resolution_time"};

const char *desk_sla_metric_name(int metric)
{
    return metric >= 0 && metric < DESK_SLA_N_METRICS ? metric_names[metric] : "unknown";
}

int desk_sla_metric_parse(const char *s, int *out)
{
    for (int i = 0; s && i < DESK_SLA_N_METRICS; i++) {
        if (strcmp(s, metric_names[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    return DESK_EINVAL;
}

const char *desk_sla_event_name(int type)
{
    static const char *const names[] = {"",          "activate", "pause",  "fulfill",
                                        "apply_sla", "breach",   "at_risk"};
    return type >= 1 && type <= DESK_SLA_EV_AT_RISK ? names[type] : "unknown";
}

const char *desk_sla_state_name(int state)
{
    static const char *const names[] = {"none", "active", "paused", "fulfilled"};
    return state >= 0 && state <= DESK_SLA_FULFILLED ? names[state] : "unknown";
}

const char *desk_sla_trigger_name(int on)
{
    return on == DESK_SLA_ON_AT_RISK ? "at_risk" : on == DESK_SLA_ON_BREACH ? "breach" : "unknown";
}

int desk_sla_trigger_parse(const char *s, int *out)
{
    if (s && strcmp(s, "at_risk") == 0) {
        *out = DESK_SLA_ON_AT_RISK;
    } else if (s && strcmp(s, "breach") == 0) {
        *out = DESK_SLA_ON_BREACH;
    } else {
        return DESK_EINVAL;
    }
    return 0;
}

static const char *const action_names[] = {
    "", "add_tags", "set_priority", "raise_priority", "set_group", "notify"};

const char *desk_sla_action_name(int kind)
{
    return kind >= 1 && kind <= DESK_SLA_ACT_NOTIFY ? action_names[kind] : "unknown";
}

int desk_sla_action_parse(const char *s, int *out)
{
    for (int i = 1; s && i <= DESK_SLA_ACT_NOTIFY; i++) {
        if (strcmp(s, action_names[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    return DESK_EINVAL;
}

/* ---- policies ---------------------------------------------------------------- */

enum field_kind { F_PRIORITY, F_TYPE, F_GROUP, F_ORG, F_TAGS, F_VIA, F_LANGUAGE, F_UNKNOWN };

static int field_kind(const char *f)
{
    static const struct {
        const char *name;
        int kind;
    } fields[] = {{"priority", F_PRIORITY},   {"type", F_TYPE},
                  {"ticket_type_id", F_TYPE}, {"group_id", F_GROUP},
                  {"organization_id", F_ORG}, {"current_tags", F_TAGS},
                  {"tags", F_TAGS},           {"via", F_VIA},
                  {"channel", F_VIA},         {"language", F_LANGUAGE}};
    for (size_t i = 0; f && i < sizeof(fields) / sizeof(fields[0]); i++) {
        if (strcmp(f, fields[i].name) == 0) {
            return fields[i].kind;
        }
    }
    return F_UNKNOWN;
}

static bool op_is(const char *op, const char *name)
{
    return op && strcmp(op, name) == 0;
}

/* Parses a whole positive id (or "" for none). */
static bool id_value(const char *v, int64_t *out)
{
    if (!v || !*v) {
        *out = 0;
        return true;
    }
    char *end;
    long long n = strtoll(v, &end, 10);
    if (*end || n <= 0) {
        return false;
    }
    *out = n;
    return true;
}

static int cond_fail(struct desk_arena *a, struct desk_fail *fail, size_t i,
                     const struct desk_sla_condition *c, const char *why)
{
    return desk_fail(fail, DESK_EINVALID, "filter", "InvalidValue",
                     desk_arena_printf(a, "Filter: condition %zu (%s %s %s) %s", i + 1,
                                       c->field ? c->field : "?", c->op ? c->op : "?",
                                       c->value ? c->value : "", why));
}

static int check_condition(struct desk_arena *a, struct desk_fail *fail, size_t i,
                           const struct desk_sla_condition *c)
{
    int kind = field_kind(c->field), v;
    int64_t id;
    bool eq = op_is(c->op, "is") || op_is(c->op, "is_not");
    switch (kind) {
    case F_PRIORITY:
        if (!eq && !op_is(c->op, "less_than") && !op_is(c->op, "greater_than")) {
            return cond_fail(a, fail, i, c, "needs is, is_not, less_than or greater_than");
        }
        if (desk_priority_parse(c->value ? c->value : "", &v) || v == DESK_PRIORITY_NONE) {
            return cond_fail(a, fail, i, c, "needs a priority: low, normal, high or urgent");
        }
        return 0;
    case F_TYPE:
        if (!eq) {
            return cond_fail(a, fail, i, c, "needs is or is_not");
        }
        if (desk_ttype_parse(c->value ? c->value : "", &v)) {
            return cond_fail(a, fail, i, c, "needs a type: question, incident, problem or task");
        }
        return 0;
    case F_GROUP:
    case F_ORG:
        if (!eq) {
            return cond_fail(a, fail, i, c, "needs is or is_not");
        }
        if (!id_value(c->value, &id)) {
            return cond_fail(a, fail, i, c, "needs an id");
        }
        return 0;
    case F_TAGS:
        if (!op_is(c->op, "includes") && !op_is(c->op, "not_includes")) {
            return cond_fail(a, fail, i, c, "needs includes or not_includes");
        }
        if (!c->value || !*c->value) {
            return cond_fail(a, fail, i, c, "needs one or more tags");
        }
        return 0;
    case F_VIA:
        if (!eq) {
            return cond_fail(a, fail, i, c, "needs is or is_not");
        }
        if (desk_via_parse(c->value ? c->value : "", &v)) {
            return cond_fail(a, fail, i, c, "needs a channel: api, web, email, chat, voice, ...");
        }
        return 0;
    case F_LANGUAGE:
        if (!eq) {
            return cond_fail(a, fail, i, c, "needs is or is_not");
        }
        if (!c->value || !*c->value || strlen(c->value) > 35) {
            return cond_fail(a, fail, i, c, "needs a language tag, e.g. es or pt-BR");
        }
        return 0;
    default:
        return cond_fail(a, fail, i, c,
                         "names an unknown field (priority, type, group_id, organization_id, "
                         "current_tags, via, language)");
    }
}

int desk_sla_policy_check(const struct desk_sla_policy *p, struct desk_arena *a,
                          struct desk_fail *fail)
{
    int rc;
    if (!p->title || !*p->title) {
        return desk_fail(fail, DESK_EINVALID, "title", "BlankValue", "Title: cannot be blank");
    }
    if (p->n_conditions > DESK_SLA_MAX_CONDITIONS) {
        return desk_fail(fail, DESK_EINVALID, "filter", "TooMany", "Filter: at most 32 conditions");
    }
    for (size_t i = 0; i < p->n_conditions; i++) {
        if ((rc = check_condition(a, fail, i, &p->conditions[i])) != 0) {
            return rc;
        }
    }
    if (p->n_targets > (size_t)DESK_SLA_MAX_TARGETS) {
        return desk_fail(fail, DESK_EINVALID, "policy_metrics", "TooMany",
                         "Policy metrics: at most one per priority and metric");
    }
    for (size_t i = 0; i < p->n_targets; i++) {
        const struct desk_sla_target *t = &p->targets[i];
        const char *why = NULL;
        if (t->priority < DESK_PRIORITY_LOW || t->priority > DESK_PRIORITY_URGENT) {
            why = "needs a priority: low, normal, high or urgent";
        } else if (t->metric < 0 || t->metric >= DESK_SLA_N_METRICS) {
            why = "needs a metric: first_reply_time, next_reply_time, periodic_update_time, "
                  "pausable_update_time, requester_wait_time, agent_work_time or "
                  "total_resolution_time";
        } else if (t->target_s <= 0) {
            why = "needs a target longer than zero";
        } else if (t->target_s > DESK_SLA_TARGET_MAX_S) {
            why = "has a target longer than a year";
        }
        for (size_t j = 0; !why && j < i; j++) {
            if (p->targets[j].priority == t->priority && p->targets[j].metric == t->metric) {
                why = "repeats a priority and metric given before";
            }
        }
        if (why) {
            return desk_fail(fail, DESK_EINVALID, "policy_metrics", "InvalidValue",
                             desk_arena_printf(a, "Policy metrics: item %zu (%s, %s) %s", i + 1,
                                               desk_priority_name(t->priority)
                                                   ? desk_priority_name(t->priority)
                                                   : "no priority",
                                               desk_sla_metric_name(t->metric), why));
        }
    }
    if (p->n_actions > DESK_SLA_MAX_ACTIONS) {
        return desk_fail(fail, DESK_EINVALID, "actions", "TooMany", "Actions: at most 16");
    }
    for (size_t i = 0; i < p->n_actions; i++) {
        const struct desk_sla_action *x = &p->actions[i];
        const char *why = NULL;
        int v;
        int64_t id;
        if (x->on != DESK_SLA_ON_AT_RISK && x->on != DESK_SLA_ON_BREACH) {
            why = "needs \"on\": at_risk or breach";
        } else if (x->kind == DESK_SLA_ACT_ADD_TAGS && (!x->value || !*x->value)) {
            why = "needs the tags to add";
        } else if (x->kind == DESK_SLA_ACT_SET_PRIORITY &&
                   (desk_priority_parse(x->value ? x->value : "", &v) || v == DESK_PRIORITY_NONE)) {
            why = "needs a priority: low, normal, high or urgent";
        } else if (x->kind == DESK_SLA_ACT_SET_GROUP && (!id_value(x->value, &id) || !id)) {
            why = "needs a group id";
        } else if (x->kind < DESK_SLA_ACT_ADD_TAGS || x->kind > DESK_SLA_ACT_NOTIFY) {
            why = "needs an action: add_tags, set_priority, raise_priority, set_group or notify";
        }
        if (why) {
            return desk_fail(fail, DESK_EINVALID, "actions", "InvalidValue",
                             desk_arena_printf(a, "Actions: item %zu %s", i + 1, why));
        }
    }
    if (p->at_risk_pct < 1 || p->at_risk_pct > 99) {
        return desk_fail(fail, DESK_EINVALID, "at_risk_percent", "InvalidValue",
                         "At risk percent: must be between 1 and 99");
    }
    return 0;
}

/* True when the ticket has any of the space-separated tags in list. */
static bool has_any_tag(const struct desk_ticket *t, const char *list)
{
    const char *p = list;
    while (*p) {
        while (*p == ' ') {
            p++;
        }
        size_t n = strcspn(p, " ");
        for (size_t i = 0; n && i < t->tags.n; i++) {
            if (strlen(t->tags.v[i]) == n && strncasecmp(t->tags.v[i], p, n) == 0) {
                return true;
            }
        }
        p += n;
    }
    return false;
}

static bool language_is(const char *lang, const char *want)
{
    if (!lang) {
        return false;
    }
    size_t n = strlen(want);
    /* "es" matches "es" and "es-MX"; "es-MX" only itself. */
    return strncasecmp(lang, want, n) == 0 && (lang[n] == '\0' || lang[n] == '-');
}

static bool condition_holds(const struct desk_sla_condition *c, const struct desk_ticket *t)
{
    int v = 0;
    int64_t id = 0;
    bool neg = op_is(c->op, "is_not") || op_is(c->op, "not_includes");
    bool r = false;
    switch (field_kind(c->field)) {
    case F_PRIORITY: {
        desk_priority_parse(c->value, &v);
        int p = t->priority == DESK_PRIORITY_NONE ? DESK_PRIORITY_NORMAL : t->priority;
        if (op_is(c->op, "less_than")) {
            return p < v;
        }
        if (op_is(c->op, "greater_than")) {
            return p > v;
        }
        r = p == v;
        break;
    }
    case F_TYPE:
        desk_ttype_parse(c->value, &v);
        r = t->type == v;
        break;
    case F_GROUP:
        id_value(c->value, &id);
        r = t->group_id == id;
        break;
    case F_ORG:
        id_value(c->value, &id);
        r = t->organization_id == id;
        break;
    case F_TAGS:
        r = has_any_tag(t, c->value);
        break;
    case F_VIA:
        desk_via_parse(c->value, &v);
        r = t->via == v;
        break;
    case F_LANGUAGE:
        r = language_is(t->language, c->value);
        break;
    default:
        return false;
    }
    return neg ? !r : r;
}

bool desk_sla_policy_matches(const struct desk_sla_policy *p, const struct desk_ticket *t)
{
    bool any_seen = false, any_hit = false;
    for (size_t i = 0; i < p->n_conditions; i++) {
        const struct desk_sla_condition *c = &p->conditions[i];
        bool ok = condition_holds(c, t);
        if (!c->any && !ok) {
            return false;
        }
        if (c->any) {
            any_seen = true;
            any_hit |= ok;
        }
    }
    return !any_seen || any_hit;
}

const struct desk_sla_target *desk_sla_policy_target(const struct desk_sla_policy *p, int priority,
                                                     int metric)
{
    if (priority == DESK_PRIORITY_NONE) {
        priority = DESK_PRIORITY_NORMAL;
    }
    for (size_t i = 0; i < p->n_targets; i++) {
        if (p->targets[i].priority == priority && p->targets[i].metric == metric) {
            return &p->targets[i];
        }
    }
    return NULL;
}

/* ---- schedules -------------------------------------------------------------------- */

int desk_schedule_compile(const struct desk_schedule *s, struct desk_arena *a, struct desk_bh **out,
                          struct desk_fail *fail)
{
    struct desk_bh_holiday *h =
        desk_arena_alloc(a, (s->n_holidays ? s->n_holidays : 1) * sizeof(*h));
    for (size_t i = 0; i < s->n_holidays; i++) {
        const struct desk_holiday *x = &s->holidays[i];
        if (desk_bh_date_parse(x->start_date, &h[i].start_day) ||
            desk_bh_date_parse(x->end_date, &h[i].end_day)) {
            return desk_fail(fail, DESK_EINVALID, "holidays", "InvalidValue",
                             desk_arena_printf(a, "Holidays: %s needs dates as YYYY-MM-DD",
                                               x->name ? x->name : "a holiday"));
        }
        h[i].yearly = x->yearly;
    }
    struct desk_bh_spec spec = {s->time_zone, s->intervals, s->n_intervals, h, s->n_holidays};
    return desk_bh_compile(&spec, a, out, fail);
}

/* ---- lifecycle ----------------------------------------------------------------- */

struct ops {
    struct desk_sla_op *out;
    size_t n;
    int st[DESK_SLA_N_METRICS];
};

static void emit(struct ops *o, int metric, int kind, const char *reason)
{
    if (o->n == (size_t)DESK_SLA_OPS_MAX) {
        return;
    }
    o->out[o->n++] = (struct desk_sla_op){metric, kind, reason};
    o->st[metric] = kind == DESK_SLA_OP_PAUSE     ? DESK_SLA_PAUSED
                    : kind == DESK_SLA_OP_FULFILL ? DESK_SLA_FULFILLED
                                                  : DESK_SLA_ACTIVE;
}

static bool running(int st)
{
    return st == DESK_SLA_ACTIVE || st == DESK_SLA_PAUSED;
}

/* Whether metric stands still while the ticket has status s. */
static bool paused_in(int metric, int s)
{
    switch (metric) {
    case DESK_SLA_PAUSABLE_UPDATE:
    case DESK_SLA_REQUESTER_WAIT:
        return s == DESK_STATUS_PENDING;
    case DESK_SLA_AGENT_WORK:
        return s == DESK_STATUS_PENDING || s == DESK_STATUS_HOLD;
    default:
        return false;
    }
}

static const char *status_reason(int s)
{
    switch (s) {
    case DESK_STATUS_PENDING:
        return "status changed to pending";
    case DESK_STATUS_HOLD:
        return "status changed to on-hold";
    case DESK_STATUS_OPEN:
        return "status changed to open";
    case DESK_STATUS_NEW:
        return "status is new";
    default:
        return "status changed";
    }
}

/* Pauses or resumes a running metric to follow the status. */
static void follow_status(struct ops *o, int metric, int s)
{
    if (o->st[metric] == DESK_SLA_ACTIVE && paused_in(metric, s)) {
        emit(o, metric, DESK_SLA_OP_PAUSE, status_reason(s));
    } else if (o->st[metric] == DESK_SLA_PAUSED && !paused_in(metric, s)) {
        emit(o, metric, DESK_SLA_OP_RESUME, status_reason(s));
    }
}

size_t desk_sla_ops(const struct desk_sla_change *ch, const int state[DESK_SLA_N_METRICS],
                    struct desk_sla_op out[DESK_SLA_OPS_MAX])
{
    struct ops o = {.out = out};
    memcpy(o.st, state, sizeof(o.st));
    int s = ch->status_after;
    bool closed = s >= DESK_STATUS_SOLVED;
    bool was_closed = !ch->created && ch->status_before >= DESK_STATUS_SOLVED;
    bool reopened = was_closed && !closed;
    bool pub_agent = ch->public_comment && ch->agent_comment;
    bool pub_user = ch->public_comment && !ch->agent_comment;
    const char *solved = s == DESK_STATUS_CLOSED ? "ticket closed" : "ticket solved";

    /* First reply: from the first public end-user comment (normally the ticket's creation)
     * to the first public agent comment; never once an agent has replied publicly. */
    int m = DESK_SLA_FIRST_REPLY;
    if (running(o.st[m]) && pub_agent) {
        emit(&o, m, DESK_SLA_OP_FULFILL, DESK_SLA_WHY_FIRST_REPLY);
    } else if (running(o.st[m]) && closed) {
        emit(&o, m, DESK_SLA_OP_FULFILL, solved);
    } else if (o.st[m] == DESK_SLA_NONE && pub_user && !closed &&
               o.st[DESK_SLA_PERIODIC_UPDATE] == DESK_SLA_NONE) {
        emit(&o, m, DESK_SLA_OP_START,
             ch->created ? "ticket created by an end user" : "first public end-user comment");
    }

    /* Next reply: from the oldest unanswered public end-user comment (while first reply is
     * not the one waiting) to the next public agent comment. */
    m = DESK_SLA_NEXT_REPLY;
    if (running(o.st[m]) && pub_agent) {
        emit(&o, m, DESK_SLA_OP_FULFILL, "public reply by an agent");
    } else if (running(o.st[m]) && closed) {
        emit(&o, m, DESK_SLA_OP_FULFILL, solved);
    } else if (!running(o.st[m]) && pub_user && !closed && !running(o.st[DESK_SLA_FIRST_REPLY])) {
        emit(&o, m, DESK_SLA_OP_START, "public end-user comment awaiting a reply");
    }

    /* Periodic and pausable update: each public agent comment ends one cycle and starts the
     * next; the pausable one stands still while pending. */
    for (m = DESK_SLA_PERIODIC_UPDATE; m <= DESK_SLA_PAUSABLE_UPDATE; m++) {
        if (pub_agent) {
            if (running(o.st[m])) {
                emit(&o, m, DESK_SLA_OP_FULFILL, "public update by an agent");
            }
            if (!closed) {
                emit(&o, m, DESK_SLA_OP_START, "public update by an agent");
            }
        } else if (running(o.st[m]) && closed) {
            emit(&o, m, DESK_SLA_OP_FULFILL, solved);
        }
        if (m == DESK_SLA_PAUSABLE_UPDATE && !closed) {
            follow_status(&o, m, s);
        }
    }

    /* Requester wait, agent work, total resolution: from creation to solved, one cycle that
     * a reopen resumes. */
    for (m = DESK_SLA_REQUESTER_WAIT; m <= DESK_SLA_TOTAL_RESOLUTION; m++) {
        if (ch->created) {
            emit(&o, m, DESK_SLA_OP_START, "ticket created");
        } else if (reopened && o.st[m] == DESK_SLA_FULFILLED) {
            emit(&o, m, DESK_SLA_OP_RESUME, DESK_SLA_WHY_REOPENED);
        }
        if (closed) {
            if (running(o.st[m])) {
                emit(&o, m, DESK_SLA_OP_FULFILL, solved);
            }
        } else {
            follow_status(&o, m, s);
        }
    }
    return o.n;
}

/* ---- clocks ------------------------------------------------------------------------ */

void desk_sla_clock_advance(struct desk_sla_clock *c, const struct desk_bh *bh, int64_t now)
{
    if (now <= c->last_at) {
        return;
    }
    const struct desk_bh *rules = c->business_hours ? bh : NULL;
    if (c->state == DESK_SLA_ACTIVE) {
        c->elapsed_ms += desk_bh_elapsed(rules, c->last_at, now);
    } else if (c->state == DESK_SLA_PAUSED) {
        c->paused_ms += desk_bh_elapsed(rules, c->last_at, now);
    }
    c->last_at = now;
}

void desk_sla_clock_deadlines(struct desk_sla_clock *c, const struct desk_bh *bh, int risk_pct)
{
    const struct desk_bh *rules = c->business_hours ? bh : NULL;
    if (c->state != DESK_SLA_ACTIVE || c->target_s <= 0) {
        c->next_at = 0; /* due_at stays: "was due at" for a fulfilled or paused clock */
        return;
    }
    int64_t target = c->target_s * 1000, risk = target * risk_pct / 100;
    if (c->elapsed_ms < target) {
        c->due_at = desk_bh_add(rules, c->last_at, target - c->elapsed_ms);
    } else if (!c->due_at) {
        c->due_at = c->last_at;
    }
    if (c->elapsed_ms < risk) {
        c->risk_at = desk_bh_add(rules, c->last_at, risk - c->elapsed_ms);
    } else if (!c->risk_at) {
        c->risk_at = c->last_at;
    }
    if (c->due_at == DESK_BH_NEVER) {
        c->due_at = 0;
    }
    if (c->risk_at == DESK_BH_NEVER) {
        c->risk_at = 0;
    }
    c->next_at = !c->at_risk && c->risk_at ? c->risk_at : !c->breached ? c->due_at : 0;
}

size_t desk_sla_clock_marks(struct desk_sla_clock *c, int64_t now, int risk_pct,
                            struct desk_sla_event out[2])
{
    size_t n = 0;
    if (c->state != DESK_SLA_ACTIVE || c->target_s <= 0) {
        return 0;
    }
    int64_t target = c->target_s * 1000;
    if (!c->at_risk && c->risk_at && c->risk_at <= now) {
        c->at_risk = true;
        memset(&out[n], 0, sizeof(out[n]));
        out[n].type = DESK_SLA_EV_AT_RISK;
        out[n].at = c->risk_at;
        out[n].elapsed_ms = target * risk_pct / 100;
        n++;
    }
    if (!c->breached && c->due_at && c->due_at <= now) {
        c->breached = true;
        c->at_risk = true;
        memset(&out[n], 0, sizeof(out[n]));
        out[n].type = DESK_SLA_EV_BREACH;
        out[n].at = c->due_at;
        out[n].elapsed_ms = target > c->elapsed_ms ? target : c->elapsed_ms;
        n++;
    }
    if (n) {
        c->next_at = !c->at_risk && c->risk_at ? c->risk_at : !c->breached ? c->due_at : 0;
    }
    return n;
}

void desk_sla_remeasure(const struct desk_sla_event *ev, size_t n, const struct desk_bh *bh,
                        int64_t now, int64_t *elapsed_ms, int64_t *paused_ms)
{
    int64_t el = 0, pa = 0, since = 0;
    int st = DESK_SLA_NONE;
    for (size_t i = 0; i <= n; i++) {
        int64_t at = i < n ? ev[i].at : now;
        if (i < n && ev[i].type != DESK_SLA_EV_ACTIVATE && ev[i].type != DESK_SLA_EV_PAUSE &&
            ev[i].type != DESK_SLA_EV_FULFILL) {
            continue;
        }
        if (st == DESK_SLA_ACTIVE) {
            el += desk_bh_elapsed(bh, since, at);
        } else if (st == DESK_SLA_PAUSED) {
            pa += desk_bh_elapsed(bh, since, at);
        }
        if (i < n) {
            st = ev[i].type == DESK_SLA_EV_ACTIVATE ? DESK_SLA_ACTIVE
                 : ev[i].type == DESK_SLA_EV_PAUSE  ? DESK_SLA_PAUSED
                                                    : DESK_SLA_FULFILLED;
            since = at;
        }
    }
    *elapsed_ms = el;
    *paused_ms = pa;
}

char *desk_sla_duration_text(struct desk_arena *a, int64_t ms)
{
    if (ms < 0) {
        return desk_arena_printf(a, "-%s", desk_sla_duration_text(a, -ms));
    }
    long long s = (long long)(ms / 1000), m = s / 60, h = m / 60, d = h / 24;
    if (s < 60) {
        return desk_arena_printf(a, "%lld s", s);
    }
    if (m < 60) {
        return s % 60 ? desk_arena_printf(a, "%lld min %lld s", m, s % 60)
                      : desk_arena_printf(a, "%lld min", m);
    }
    if (h < 48) {
        return m % 60 ? desk_arena_printf(a, "%lld h %lld min", h, m % 60)
                      : desk_arena_printf(a, "%lld h", h);
    }
    return h % 24 ? desk_arena_printf(a, "%lld d %lld h", d, h % 24)
                  : desk_arena_printf(a, "%lld d", d);
}
