/*
 * SLA on the wire: Zendesk's business-hours schedules (intervals in minutes
 * from Sunday 00:00, holidays as dates), SLA policies (filter all/any,
 * policy_metrics per priority with targets in minutes or seconds), ticket
 * metrics, metric events and include=slas; desk's GET /tickets/{id}/sla
 * with explanations, and alerts. Fields desk adds to Zendesk's objects:
 * schedule default/group_ids/organization_ids, holiday yearly, policy
 * schedule_id/at_risk_percent/actions.
 */
#include "api/sla.h"
#include "api/sla_int.h"
#include "core/str.h"
#include "core/time.h"

#include <stdio.h>
#include <string.h>

/* ---- schedules --------------------------------------------------------------------------- */

static json_t *interval_json(const struct desk_bh_interval *iv)
{
    return json_pack("{s:i,s:i}", "start_time", iv->start_min, "end_time", iv->end_min);
}

static json_t *intervals_json(const struct desk_bh_interval *iv, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(arr, interval_json(&iv[i]));
    }
    return arr;
}

static json_t *ids_json(const int64_t *ids, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(arr, json_integer(ids[i]));
    }
    return arr;
}

static json_t *holiday_json(struct desk_req *req, const struct desk_holiday *h)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(h->id));
    json_object_set_new(o, "url",
                        json_string(api_url(req, "business_hours/schedules/%lld/holidays/%lld.json",
                                            (long long)h->schedule_id, (long long)h->id)));
    json_object_set_new(o, "name", api_str(h->name));
    json_object_set_new(o, "start_date", api_str(h->start_date));
    json_object_set_new(o, "end_date", api_str(h->end_date));
    json_object_set_new(o, "yearly", json_boolean(h->yearly));
    json_object_set_new(o, "created_at", api_time(h->created_at));
    json_object_set_new(o, "updated_at", api_time(h->updated_at));
    return o;
}

static json_t *schedule_json(struct desk_req *req, const struct desk_schedule *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(s->id));
    json_object_set_new(
        o, "url",
        json_string(api_url(req, "business_hours/schedules/%lld.json", (long long)s->id)));
    json_object_set_new(o, "name", api_str(s->name));
    json_object_set_new(o, "time_zone", api_str(s->time_zone));
    json_object_set_new(o, "intervals", intervals_json(s->intervals, s->n_intervals));
    json_object_set_new(o, "default", json_boolean(s->is_default));
    json_object_set_new(o, "group_ids", ids_json(s->group_ids, s->n_group_ids));
    json_object_set_new(o, "organization_ids",
                        ids_json(s->organization_ids, s->n_organization_ids));
    json_t *hol = json_array();
    for (size_t i = 0; i < s->n_holidays; i++) {
        json_array_append_new(hol, holiday_json(req, &s->holidays[i]));
    }
    json_object_set_new(o, "holidays", hol);
    json_object_set_new(o, "created_at", api_time(s->created_at));
    json_object_set_new(o, "updated_at", api_time(s->updated_at));
    return o;
}

/* Reads Zendesk's intervals: [{start_time, end_time}], minutes from Sunday 00:00. */
static int intervals_input(struct desk_req *req, json_t *v, struct desk_bh_interval **out,
                           size_t *n, struct desk_fail *f)
{
    if (!json_is_array(v) || json_array_size(v) > DESK_BH_MAX_IVS) {
        return desk_fail(f, DESK_EINVALID, "intervals", "InvalidType",
                         "Intervals: must be an array of at most 128 {start_time, end_time}");
    }
    size_t cnt = json_array_size(v);
    *out = desk_arena_alloc(req->arena, (cnt ? cnt : 1) * sizeof(**out));
    for (size_t i = 0; i < cnt; i++) {
        json_t *x = json_array_get(v, i);
        json_t *s = json_object_get(x, "start_time"), *e = json_object_get(x, "end_time");
        if (!json_is_object(x) || !json_is_integer(s) || !json_is_integer(e) ||
            json_integer_value(s) < -1000000 || json_integer_value(s) > 1000000 ||
            json_integer_value(e) < -1000000 || json_integer_value(e) > 1000000) {
            return desk_fail(f, DESK_EINVALID, "intervals", "InvalidType",
                             desk_arena_printf(req->arena,
                                               "Intervals: item %zu needs integer start_time "
                                               "and end_time (minutes from Sunday 00:00)",
                                               i + 1));
        }
        (*out)[i] =
            (struct desk_bh_interval){(int)json_integer_value(s), (int)json_integer_value(e)};
    }
    *n = cnt;
    return 0;
}

int api_sla_schedule_input(struct desk_req *req, json_t *o, struct desk_schedule_input *in,
                           struct desk_fail *f)
{
    int rc = 0;
    memset(in, 0, sizeof(*in));
    rc = rc ? rc : api_in_str(req, o, "name", 0, &in->name, &in->has_name, f);
    rc = rc ? rc : api_in_str(req, o, "time_zone", 64, &in->time_zone, &in->has_time_zone, f);
    rc = rc ? rc : api_in_bool(req, o, "default", &in->is_default, &in->has_default, f);
    rc = rc ? rc
            : api_in_ids(req, o, "group_ids", &in->group_ids, &in->n_group_ids, &in->has_group_ids,
                         f);
    rc = rc ? rc
            : api_in_ids(req, o, "organization_ids", &in->organization_ids, &in->n_organization_ids,
                         &in->has_organization_ids, f);
    json_t *iv = json_object_get(o, "intervals");
    if (!rc && iv) {
        rc = intervals_input(req, iv, &in->intervals, &in->n_intervals, f);
        in->has_intervals = true;
    }
    if (!rc && in->has_time_zone && !desk_bh_zone_valid(in->time_zone ? in->time_zone : "")) {
        rc = desk_fail(f, DESK_EINVALID, "time_zone", "InvalidValue",
                       desk_arena_printf(req->arena,
                                         "Time zone: %s is not a known IANA time zone (e.g. "
                                         "Europe/Prague)",
                                         in->time_zone ? in->time_zone : "null"));
    }
    return rc;
}

static void send_schedule(struct desk_req *req, struct desk_resp *resp, int status,
                          const struct desk_schedule *s)
{
    if (status == 201) {
        resp->location = api_url(req, "business_hours/schedules/%lld.json", (long long)s->id);
    }
    api_send(req, resp, status, json_pack("{s:o}", "schedule", schedule_json(req, s)));
}

void desk_api_schedules_list(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_schedule *items;
    size_t n;
    int rc = desk_app_schedule_list(req->app, req->arena, &items, &n);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(arr, schedule_json(req, &items[i]));
    }
    api_send(req, resp, 200,
             json_pack("{s:o,s:n,s:n,s:I}", "schedules", arr, "next_page", "previous_page", "count",
                       (json_int_t)n));
}

void desk_api_schedules_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_schedule s;
    int rc = desk_app_schedule_get(req->app, req->arena, req->ids[0], &s);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    send_schedule(req, resp, 200, &s);
}

static void schedule_save(struct desk_req *req, struct desk_resp *resp, bool create)
{
    json_t *doc, *o;
    struct desk_schedule_input in;
    struct desk_fail fail = {0};
    struct desk_schedule s;
    if (api_body(req, resp, "schedule", &doc, &o)) {
        return;
    }
    int rc = api_sla_schedule_input(req, o, &in, &fail);
    json_decref(doc);
    if (!rc && create && !in.has_time_zone) {
        rc = desk_fail(&fail, DESK_EINVALID, "time_zone", "BlankValue",
                       "Time zone: cannot be blank");
    }
    if (!rc) {
        rc = create ? desk_app_schedule_create(req->app, &req->who, req->arena, &in, &s, &fail)
                    : desk_app_schedule_update(req->app, &req->who, req->arena, req->ids[0], &in,
                                               &s, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    send_schedule(req, resp, create ? 201 : 200, &s);
}

void desk_api_schedules_create(struct desk_req *req, struct desk_resp *resp)
{
    schedule_save(req, resp, true);
}

void desk_api_schedules_update(struct desk_req *req, struct desk_resp *resp)
{
    schedule_save(req, resp, false);
}

void desk_api_schedules_delete(struct desk_req *req, struct desk_resp *resp)
{
    int rc = desk_app_schedule_delete(req->app, &req->who, req->ids[0]);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_no_content(resp);
}

void desk_api_schedules_workweek(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_schedule_input in = {0};
    struct desk_fail fail = {0};
    struct desk_schedule s;
    if (api_body(req, resp, "workweek", &doc, &o)) {
        return;
    }
    json_t *iv = json_object_get(o, "intervals");
    int rc = iv ? intervals_input(req, iv, &in.intervals, &in.n_intervals, &fail)
                : desk_fail(&fail, DESK_EINVALID, "intervals", "BlankValue",
                            "Intervals: the workweek needs intervals");
    in.has_intervals = true;
    json_decref(doc);
    if (!rc) {
        rc = desk_app_schedule_update(req->app, &req->who, req->arena, req->ids[0], &in, &s, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    api_send(req, resp, 200,
             json_pack("{s:{s:o}}", "workweek", "intervals",
                       intervals_json(s.intervals, s.n_intervals)));
}

/* ---- holidays ----------------------------------------------------------------------------------
 */

int api_sla_holiday_input(struct desk_req *req, json_t *o, struct desk_holiday_input *in,
                          struct desk_fail *f)
{
    int rc = 0;
    memset(in, 0, sizeof(*in));
    rc = rc ? rc : api_in_str(req, o, "name", 0, &in->name, &in->has_name, f);
    rc = rc ? rc : api_in_str(req, o, "start_date", 10, &in->start_date, &in->has_start_date, f);
    rc = rc ? rc : api_in_str(req, o, "end_date", 10, &in->end_date, &in->has_end_date, f);
    rc = rc ? rc : api_in_bool(req, o, "yearly", &in->yearly, &in->has_yearly, f);
    return rc;
}

void desk_api_holidays_list(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_schedule s;
    int rc = desk_app_schedule_get(req->app, req->arena, req->ids[0], &s);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < s.n_holidays; i++) {
        json_array_append_new(arr, holiday_json(req, &s.holidays[i]));
    }
    api_send(req, resp, 200, json_pack("{s:o}", "holidays", arr));
}

void desk_api_holidays_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_holiday h;
    int rc = desk_app_holiday_get(req->app, req->arena, req->ids[0], req->ids[1], &h);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "holiday", holiday_json(req, &h)));
}

static void holiday_save(struct desk_req *req, struct desk_resp *resp, bool create)
{
    json_t *doc, *o;
    struct desk_holiday_input in;
    struct desk_fail fail = {0};
    struct desk_holiday h;
    if (api_body(req, resp, "holiday", &doc, &o)) {
        return;
    }
    int rc = api_sla_holiday_input(req, o, &in, &fail);
    json_decref(doc);
    if (!rc) {
        rc = create ? desk_app_holiday_create(req->app, &req->who, req->arena, req->ids[0], &in, &h,
                                              &fail)
                    : desk_app_holiday_update(req->app, &req->who, req->arena, req->ids[0],
                                              req->ids[1], &in, &h, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    if (create) {
        resp->location = api_url(req, "business_hours/schedules/%lld/holidays/%lld.json",
                                 (long long)h.schedule_id, (long long)h.id);
    }
    api_send(req, resp, create ? 201 : 200, json_pack("{s:o}", "holiday", holiday_json(req, &h)));
}

void desk_api_holidays_create(struct desk_req *req, struct desk_resp *resp)
{
    holiday_save(req, resp, true);
}

void desk_api_holidays_update(struct desk_req *req, struct desk_resp *resp)
{
    holiday_save(req, resp, false);
}

void desk_api_holidays_delete(struct desk_req *req, struct desk_resp *resp)
{
    int rc = desk_app_holiday_delete(req->app, &req->who, req->ids[0], req->ids[1]);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_no_content(resp);
}

/* ---- policies ----------------------------------------------------------------------------------
 */

static json_t *policy_json(struct desk_req *req, const struct desk_sla_policy *p)
{
    json_t *all = json_array(), *any = json_array(), *metrics = json_array(),
           *actions = json_array();
    for (size_t i = 0; i < p->n_conditions; i++) {
        const struct desk_sla_condition *c = &p->conditions[i];
        json_array_append_new(c->any ? any : all,
                              json_pack("{s:s,s:s,s:s}", "field", c->field, "operator", c->op,
                                        "value", c->value ? c->value : ""));
    }
    for (size_t i = 0; i < p->n_targets; i++) {
        const struct desk_sla_target *t = &p->targets[i];
        json_array_append_new(
            metrics, json_pack("{s:s,s:s,s:I,s:I,s:b}", "priority", desk_priority_name(t->priority),
                               "metric", desk_sla_metric_name(t->metric), "target",
                               (json_int_t)((t->target_s + 59) / 60), "target_in_seconds",
                               (json_int_t)t->target_s, "business_hours", t->business_hours));
    }
    for (size_t i = 0; i < p->n_actions; i++) {
        const struct desk_sla_action *x = &p->actions[i];
        json_array_append_new(
            actions, json_pack("{s:s,s:s,s:o}", "on", desk_sla_trigger_name(x->on), "action",
                               desk_sla_action_name(x->kind), "value", api_str(x->value)));
    }
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(p->id));
    json_object_set_new(o, "url",
                        json_string(api_url(req, "slas/policies/%lld.json", (long long)p->id)));
    json_object_set_new(o, "title", api_str(p->title));
    json_object_set_new(o, "description", api_str(p->description ? p->description : ""));
    json_object_set_new(o, "position", json_integer(p->position));
    json_object_set_new(o, "filter", json_pack("{s:o,s:o}", "all", all, "any", any));
    json_object_set_new(o, "policy_metrics", metrics);
    json_object_set_new(o, "schedule_id", api_id(p->schedule_id));
    json_object_set_new(o, "at_risk_percent", json_integer(p->at_risk_pct));
    json_object_set_new(o, "actions", actions);
    json_object_set_new(o, "created_at", api_time(p->created_at));
    json_object_set_new(o, "updated_at", api_time(p->updated_at));
    return o;
}

/* A condition or action value: strings as they are, numbers as text, arrays joined. */
static const char *value_text(struct desk_req *req, json_t *v)
{
    if (json_is_string(v)) {
        return desk_arena_strdup(req->arena, json_string_value(v));
    }
    if (json_is_integer(v)) {
        return desk_arena_printf(req->arena, "%lld", (long long)json_integer_value(v));
    }
    if (json_is_array(v)) {
        struct desk_strv sv = {
            desk_arena_alloc(req->arena, (json_array_size(v) + 1) * sizeof(char *)), 0};
        for (size_t i = 0; i < json_array_size(v); i++) {
            json_t *x = json_array_get(v, i);
            if (!json_is_string(x)) {
                return NULL;
            }
            sv.v[sv.n++] = json_string_value(x);
        }
        return desk_strv_join(req->arena, &sv);
    }
    return json_is_null(v) ? "" : NULL;
}

static int conditions_input(struct desk_req *req, json_t *filter, struct desk_sla_policy *p,
                            struct desk_fail *f)
{
    if (!filter || json_is_null(filter)) {
        return 0;
    }
    if (!json_is_object(filter)) {
        return desk_fail(f, DESK_EINVALID, "filter", "InvalidType",
                         "Filter: must be an object with \"all\" and \"any\" arrays");
    }
    json_t *lists[2] = {json_object_get(filter, "all"), json_object_get(filter, "any")};
    size_t n = 0;
    for (int k = 0; k < 2; k++) {
        if (lists[k] && !json_is_null(lists[k]) && !json_is_array(lists[k])) {
            return desk_fail(f, DESK_EINVALID, "filter", "InvalidType",
                             "Filter: \"all\" and \"any\" must be arrays of conditions");
        }
        n += json_array_size(lists[k]);
    }
    if (n > DESK_SLA_MAX_CONDITIONS) {
        return desk_fail(f, DESK_EINVALID, "filter", "TooMany", "Filter: at most 32 conditions");
    }
    p->conditions = desk_arena_alloc(req->arena, (n ? n : 1) * sizeof(*p->conditions));
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < json_array_size(lists[k]); i++) {
            json_t *c = json_array_get(lists[k], i);
            json_t *field = json_object_get(c, "field"), *op = json_object_get(c, "operator");
            const char *value = value_text(req, json_object_get(c, "value"));
            if (!json_is_object(c) || !json_is_string(field) || !json_is_string(op) || !value) {
                return desk_fail(f, DESK_EINVALID, "filter", "InvalidType",
                                 "Filter: each condition needs a field, an operator and a "
                                 "value");
            }
            p->conditions[p->n_conditions++] = (struct desk_sla_condition){
                k == 1, desk_arena_strdup(req->arena, json_string_value(field)),
                desk_arena_strdup(req->arena, json_string_value(op)), value};
        }
    }
    return 0;
}

static int metrics_input(struct desk_req *req, json_t *arr, struct desk_sla_policy *p,
                         struct desk_fail *f)
{
    if (!arr || json_is_null(arr)) {
        return 0;
    }
    if (!json_is_array(arr) || json_array_size(arr) > (size_t)DESK_SLA_MAX_TARGETS) {
        return desk_fail(f, DESK_EINVALID, "policy_metrics", "InvalidType",
                         "Policy metrics: must be an array of {priority, metric, target, "
                         "business_hours}, one per priority and metric");
    }
    size_t n = json_array_size(arr);
    p->targets = desk_arena_alloc(req->arena, (n ? n : 1) * sizeof(*p->targets));
    for (size_t i = 0; i < n; i++) {
        json_t *x = json_array_get(arr, i);
        json_t *prio = json_object_get(x, "priority"), *metric = json_object_get(x, "metric");
        json_t *target = json_object_get(x, "target"),
               *secs = json_object_get(x, "target_in_seconds");
        json_t *bh = json_object_get(x, "business_hours");
        struct desk_sla_target t = {.priority = -1, .metric = -1};
        if (!json_is_object(x) || !json_is_string(prio) || !json_is_string(metric) ||
            (!json_is_integer(target) && !json_is_integer(secs)) || (bh && !json_is_boolean(bh))) {
            return desk_fail(f, DESK_EINVALID, "policy_metrics", "InvalidType",
                             desk_arena_printf(req->arena,
                                               "Policy metrics: item %zu needs priority and "
                                               "metric (strings), target (minutes) or "
                                               "target_in_seconds, and business_hours (boolean)",
                                               i + 1));
        }
        if (desk_priority_parse(json_string_value(prio), &t.priority)) {
            t.priority = -1;
        }
        if (desk_sla_metric_parse(json_string_value(metric), &t.metric)) {
            t.metric = -1;
        }
        json_int_t v =
            json_is_integer(secs) ? json_integer_value(secs) : json_integer_value(target) * 60;
        if (json_is_integer(target) && !json_is_integer(secs) &&
            (json_integer_value(target) > DESK_SLA_TARGET_MAX_S / 60 ||
             json_integer_value(target) < -DESK_SLA_TARGET_MAX_S / 60)) {
            v = DESK_SLA_TARGET_MAX_S + 1;
        }
        t.target_s = v;
        t.business_hours = json_is_true(bh);
        p->targets[p->n_targets++] = t;
    }
    return 0;
}

static int actions_input(struct desk_req *req, json_t *arr, struct desk_sla_policy *p,
                         struct desk_fail *f)
{
    if (!arr || json_is_null(arr)) {
        return 0;
    }
    if (!json_is_array(arr) || json_array_size(arr) > DESK_SLA_MAX_ACTIONS) {
        return desk_fail(f, DESK_EINVALID, "actions", "InvalidType",
                         "Actions: must be an array of at most 16 {on, action, value}");
    }
    size_t n = json_array_size(arr);
    p->actions = desk_arena_alloc(req->arena, (n ? n : 1) * sizeof(*p->actions));
    for (size_t i = 0; i < n; i++) {
        json_t *x = json_array_get(arr, i);
        json_t *on = json_object_get(x, "on"), *act = json_object_get(x, "action");
        json_t *val = json_object_get(x, "value");
        struct desk_sla_action a = {0};
        const char *value = val ? value_text(req, val) : NULL;
        if (!json_is_object(x) || !json_is_string(on) || !json_is_string(act) || (val && !value) ||
            desk_sla_trigger_parse(json_string_value(on), &a.on) ||
            desk_sla_action_parse(json_string_value(act), &a.kind)) {
            return desk_fail(f, DESK_EINVALID, "actions", "InvalidValue",
                             desk_arena_printf(req->arena,
                                               "Actions: item %zu needs \"on\" (at_risk or "
                                               "breach) and \"action\" (add_tags, "
                                               "set_priority, raise_priority, set_group or "
                                               "notify) with its value",
                                               i + 1));
        }
        a.value = value && *value ? value : NULL;
        p->actions[p->n_actions++] = a;
    }
    return 0;
}

/* Reads a policy; with base (update), absent fields keep base's values. */
int api_sla_policy_input(struct desk_req *req, json_t *o, const struct desk_sla_policy *base,
                         struct desk_sla_policy *p, struct desk_fail *f)
{
    bool has;
    int rc = 0;
    int64_t pos = 0, risk = 0;
    if (base) {
        *p = *base;
    } else {
        memset(p, 0, sizeof(*p));
        p->at_risk_pct = DESK_SLA_RISK_DEFAULT;
    }
    rc = rc ? rc : api_in_str(req, o, "title", 255, &p->title, &has, f);
    rc = rc ? rc : api_in_str(req, o, "description", 65536, &p->description, &has, f);
    json_t *v = json_object_get(o, "position");
    if (!rc && v && !json_is_null(v)) {
        if (!json_is_integer(v) || (pos = json_integer_value(v)) < 1 || pos > 1000000) {
            rc = desk_fail(f, DESK_EINVALID, "position", "InvalidValue",
                           "Position: must be a whole number from 1");
        }
        p->position = pos;
    }
    rc = rc ? rc : api_in_id(req, o, "schedule_id", &p->schedule_id, &has, f);
    v = json_object_get(o, "at_risk_percent");
    if (!rc && v && !json_is_null(v)) {
        if (!json_is_integer(v)) {
            rc = desk_fail(f, DESK_EINVALID, "at_risk_percent", "InvalidType",
                           "At risk percent: must be a whole number between 1 and 99");
        } else {
            risk = json_integer_value(v);
            p->at_risk_pct = risk < 0 || risk > 100 ? 0 : (int)risk;
        }
    }
    if (!rc && (v = json_object_get(o, "filter")) != NULL) {
        p->conditions = NULL;
        p->n_conditions = 0;
        rc = conditions_input(req, v, p, f);
    }
    if (!rc && (v = json_object_get(o, "policy_metrics")) != NULL) {
        p->targets = NULL;
        p->n_targets = 0;
        rc = metrics_input(req, v, p, f);
    }
    if (!rc && (v = json_object_get(o, "actions")) != NULL) {
        p->actions = NULL;
        p->n_actions = 0;
        rc = actions_input(req, v, p, f);
    }
    return rc;
}

void desk_api_policies_list(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_sla_policy *items;
    size_t n;
    int rc = desk_app_policy_list(req->app, req->arena, &items, &n);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(arr, policy_json(req, &items[i]));
    }
    api_send(req, resp, 200,
             json_pack("{s:o,s:n,s:n,s:I}", "sla_policies", arr, "next_page", "previous_page",
                       "count", (json_int_t)n));
}

void desk_api_policies_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_sla_policy p;
    int rc = desk_app_policy_get(req->app, req->arena, req->ids[0], &p);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "sla_policy", policy_json(req, &p)));
}

static void policy_save(struct desk_req *req, struct desk_resp *resp, bool create)
{
    json_t *doc, *o;
    struct desk_fail fail = {0};
    struct desk_sla_policy base, p;
    int rc = 0;
    if (!create && (rc = desk_app_policy_get(req->app, req->arena, req->ids[0], &base)) != 0) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    if (api_body(req, resp, "sla_policy", &doc, &o)) {
        return;
    }
    rc = api_sla_policy_input(req, o, create ? NULL : &base, &p, &fail);
    json_decref(doc);
    if (!rc) {
        rc = desk_app_policy_save(req->app, &req->who, req->arena, &p, create, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    if (create) {
        resp->location = api_url(req, "slas/policies/%lld.json", (long long)p.id);
    }
    api_send(req, resp, create ? 201 : 200, json_pack("{s:o}", "sla_policy", policy_json(req, &p)));
}

void desk_api_policies_create(struct desk_req *req, struct desk_resp *resp)
{
    policy_save(req, resp, true);
}

void desk_api_policies_update(struct desk_req *req, struct desk_resp *resp)
{
    policy_save(req, resp, false);
}

void desk_api_policies_delete(struct desk_req *req, struct desk_resp *resp)
{
    int rc = desk_app_policy_delete(req->app, &req->who, req->ids[0]);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_no_content(resp);
}

void desk_api_policies_reorder(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc = NULL;
    json_error_t err;
    struct desk_fail fail = {0};
    int64_t *ids = NULL;
    size_t n = 0;
    bool has = false;
    doc = json_loadb(req->body ? req->body : "", req->body_len, 0, &err);
    int rc = json_is_object(doc) ? api_in_ids(req, doc, "sla_policy_ids", &ids, &n, &has, &fail)
                                 : DESK_EJSON;
    json_decref(doc);
    if (!rc && !has) {
        rc = desk_fail(&fail, DESK_EINVALID, "sla_policy_ids", "BlankValue",
                       "sla_policy_ids: the policies in their new order");
    }
    for (size_t i = 0; !rc && i < n; i++) {
        struct desk_sla_policy p;
        if ((rc = desk_app_policy_get(req->app, req->arena, ids[i], &p)) != 0) {
            if (rc == DESK_ENOTFOUND) {
                rc = desk_fail(&fail, DESK_EINVALID, "sla_policy_ids", "InvalidValue",
                               desk_arena_printf(req->arena, "sla_policy_ids: no policy %lld",
                                                 (long long)ids[i]));
            }
            break;
        }
        p.position = (int64_t)i + 1;
        rc = desk_app_policy_save(req->app, &req->who, req->arena, &p, false, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    desk_api_policies_list(req, resp);
}

/* ---- a ticket's clocks -------------------------------------------------------------------------
 */

static const char *state_text(const struct desk_sla_view *v)
{
    return v->state == DESK_SLA_ACTIVE   ? "active"
           : v->state == DESK_SLA_PAUSED ? "paused"
                                         : "fulfilled";
}

void desk_api_ticket_sla(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_sla_view *v;
    size_t n;
    int64_t now = desk_time_now_ms();
    int rc = desk_app_sla_ticket(req->app, &req->who, req->arena, req->ids[0], now, &v, &n);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct desk_sla_view *x = &v[i];
        json_t *o = json_object();
        json_object_set_new(o, "metric", json_string(desk_sla_metric_name(x->metric)));
        json_object_set_new(o, "cycle", json_integer(x->cycle));
        /* A breached target stays breached; its state still says where the clock is. */
        json_object_set_new(o, "state",
                            json_string(x->breached && x->state != DESK_SLA_FULFILLED
                                            ? "breached"
                                            : state_text(x)));
        json_object_set_new(o, "clock", json_string(state_text(x)));
        json_object_set_new(o, "breached", json_boolean(x->breached));
        json_object_set_new(o, "at_risk", json_boolean(x->at_risk));
        json_object_set_new(o, "policy",
                            x->policy_id
                                ? json_pack("{s:I,s:s}", "id", (json_int_t)x->policy_id, "title",
                                            x->policy_title ? x->policy_title : "")
                                : json_null());
        json_object_set_new(o, "target_in_seconds",
                            x->target_s ? json_integer(x->target_s) : json_null());
        json_object_set_new(o, "business_hours", json_boolean(x->business_hours));
        json_object_set_new(o, "schedule_id", api_id(x->schedule_id));
        json_object_set_new(o, "time_zone", json_string(x->time_zone));
        json_object_set_new(o, "started_at", api_time(x->started_at));
        json_object_set_new(o, "due_at", api_time(x->due_at));
        json_object_set_new(o, "fulfilled_at", api_time(x->fulfilled_at));
        json_object_set_new(o, "elapsed_seconds", json_integer(x->elapsed_ms / 1000));
        json_object_set_new(o, "paused_seconds", json_integer(x->paused_ms / 1000));
        json_object_set_new(o, "remaining_seconds",
                            x->target_s ? json_integer(x->remaining_ms / 1000) : json_null());
        json_object_set_new(o, "explanation", json_string(x->explanation));
        json_array_append_new(arr, o);
    }
    api_send(req, resp, 200,
             json_pack("{s:I,s:o,s:o}", "ticket_id", (json_int_t)req->ids[0], "measured_at",
                       api_time(now), "slas", arr));
}

/* True when the comma-separated include parameter names what. */
static bool included(struct desk_req *req, const char *what)
{
    const char *inc = desk_api_param(req, "include");
    size_t n = strlen(what);
    for (const char *p = inc; p && *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, what, n) == 0) {
            return true;
        }
        p += len + (p[len] == ',');
    }
    return false;
}

void desk_api_sla_ticket_ext(struct desk_req *req, const struct desk_ticket *t, json_t *o)
{
    struct desk_sla_view *v;
    size_t n;
    if (!included(req, "slas") || !desk_role_is_staff(req->who.role)) {
        return;
    }
    int64_t now = desk_time_now_ms();
    json_t *pm = json_array();
    if (desk_app_sla_ticket(req->app, &req->who, req->arena, t->id, now, &v, &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            const struct desk_sla_view *x = &v[i];
            if (!x->target_s) {
                continue;
            }
            /* Zendesk's stages: active, paused, achieved; the time left split in parts. */
            int64_t left = x->remaining_ms / 60000;
            json_array_append_new(
                pm, json_pack("{s:o,s:s,s:s,s:I,s:I,s:I,s:b}", "breach_at", api_time(x->due_at),
                              "stage", x->state == DESK_SLA_FULFILLED ? "achieved" : state_text(x),
                              "metric", desk_sla_metric_name(x->metric), "days",
                              (json_int_t)(left / 1440), "hours", (json_int_t)(left / 60 % 24),
                              "minutes", (json_int_t)(left % 60), "breached", x->breached));
            /* desk's own: past the policy's at_risk_percent (the console's "SLA at risk"). */
            json_object_set_new(json_array_get(pm, json_array_size(pm) - 1), "at_risk",
                                json_boolean(x->at_risk));
        }
    }
    json_object_set_new(o, "slas", json_pack("{s:o}", "policy_metrics", pm));
}

/* ---- ticket metrics ---------------------------------------------------------------------------
 */

static json_t *pair(int64_t cal, int64_t bus)
{
    if (cal < 0) {
        return json_pack("{s:n,s:n}", "calendar", "business");
    }
    return json_pack("{s:I,s:I}", "calendar", (json_int_t)(cal / 60000), "business",
                     (json_int_t)(bus / 60000));
}

static json_t *metrics_json(struct desk_req *req, const struct desk_ticket_metrics *m)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(m->id));
    json_object_set_new(o, "url",
                        json_string(api_url(req, "ticket_metrics/%lld.json", (long long)m->id)));
    json_object_set_new(o, "ticket_id", json_integer(m->ticket_id));
    json_object_set_new(o, "created_at", api_time(m->created_at));
    json_object_set_new(o, "updated_at", api_time(m->updated_at));
    json_object_set_new(o, "group_stations", json_integer(m->group_stations));
    json_object_set_new(o, "assignee_stations", json_integer(m->assignee_stations));
    json_object_set_new(o, "reopens", json_integer(m->reopens));
    json_object_set_new(o, "replies", json_integer(m->replies));
    json_object_set_new(o, "assignee_updated_at", api_time(m->assignee_updated_at));
    json_object_set_new(o, "requester_updated_at", api_time(m->requester_updated_at));
    json_object_set_new(o, "status_updated_at", api_time(m->status_updated_at));
    json_object_set_new(o, "initially_assigned_at", api_time(m->initially_assigned_at));
    json_object_set_new(o, "assigned_at", api_time(m->assigned_at));
    json_object_set_new(o, "solved_at", api_time(m->solved_at));
    json_object_set_new(o, "latest_comment_added_at", api_time(m->latest_comment_added_at));
    json_object_set_new(o, "reply_time_in_minutes", pair(m->reply_cal, m->reply_bus));
    json_object_set_new(o, "first_resolution_time_in_minutes",
                        pair(m->first_resolution_cal, m->first_resolution_bus));
    json_object_set_new(o, "full_resolution_time_in_minutes",
                        pair(m->full_resolution_cal, m->full_resolution_bus));
    json_object_set_new(o, "agent_wait_time_in_minutes",
                        pair(m->agent_wait_cal, m->agent_wait_bus));
    json_object_set_new(o, "requester_wait_time_in_minutes",
                        pair(m->requester_wait_cal, m->requester_wait_bus));
    json_object_set_new(o, "on_hold_time_in_minutes", pair(m->on_hold_cal, m->on_hold_bus));
    return o;
}

void desk_api_ticket_metrics_list(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_ticket_metrics *items;
    if (api_page(req, resp, &p)) {
        return;
    }
    int rc = desk_app_ticket_metrics_list(req->app, &req->who, req->arena, &p, desk_time_now_ms(),
                                          &items, &out);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < out.n; i++) {
        json_array_append_new(arr, metrics_json(req, &items[i]));
    }
    api_send_list(req, resp, "ticket_metrics", arr, &p, &out, out.n ? items[0].id : 0,
                  out.n ? items[out.n - 1].id : 0);
}

/* The metric object of a ticket; its id is the ticket's. */
static void metrics_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_ticket_metrics m;
    int rc = desk_app_ticket_metrics(req->app, &req->who, req->arena, req->ids[0],
                                     desk_time_now_ms(), &m);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "ticket_metric", metrics_json(req, &m)));
}

void desk_api_ticket_metrics_show(struct desk_req *req, struct desk_resp *resp)
{
    metrics_show(req, resp);
}

void desk_api_ticket_metrics_of_ticket(struct desk_req *req, struct desk_resp *resp)
{
    metrics_show(req, resp);
}

/* ---- metric events --------------------------------------------------------------------------- */

#define EVENTS_PAGE 1000

/* Zendesk's event names: first and next replies are one "reply_time" metric by instance. */
static void event_metric(const struct desk_sla_event *e, const char **metric, int64_t *instance)
{
    switch (e->metric) {
    case DESK_SLA_FIRST_REPLY:
        *metric = "reply_time";
        *instance = 1;
        return;
    case DESK_SLA_NEXT_REPLY:
        *metric = "reply_time";
        *instance = e->cycle + 1;
        return;
    case DESK_SLA_TOTAL_RESOLUTION:
        *metric = "resolution_time";
        break;
    default:
        *metric = desk_sla_metric_name(e->metric);
        break;
    }
    *instance = e->cycle;
}

static json_t *event_json(const struct desk_sla_event *e)
{
    const char *metric;
    int64_t instance;
    event_metric(e, &metric, &instance);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(e->id));
    json_object_set_new(o, "ticket_id", json_integer(e->ticket_id));
    json_object_set_new(o, "metric", json_string(metric));
    json_object_set_new(o, "sla_metric", json_string(desk_sla_metric_name(e->metric)));
    json_object_set_new(o, "instance_id", json_integer(instance));
    json_object_set_new(o, "type", json_string(desk_sla_event_name(e->type)));
    json_object_set_new(o, "time", api_time(e->at));
    json_object_set_new(o, "reason", api_str(e->reason));
    if (e->type == DESK_SLA_EV_APPLY_SLA) {
        json_object_set_new(
            o, "sla",
            e->target_s
                ? json_pack("{s:I,s:I,s:b,s:{s:I},s:o}", "target",
                            (json_int_t)((e->target_s + 59) / 60), "target_in_seconds",
                            (json_int_t)e->target_s, "business_hours", e->business_hours, "policy",
                            "id", (json_int_t)e->policy_id, "schedule_id", api_id(e->schedule_id))
                : json_null());
    }
    if (e->type == DESK_SLA_EV_PAUSE || e->type == DESK_SLA_EV_FULFILL) {
        json_object_set_new(o, "status",
                            json_pack("{s:I,s:I}", "elapsed", (json_int_t)(e->elapsed_ms / 60000),
                                      "paused", (json_int_t)(e->paused_ms / 60000)));
    }
    return o;
}

void desk_api_ticket_metric_events(struct desk_req *req, struct desk_resp *resp)
{
    const char *s = desk_api_param(req, "start_time");
    const char *cursor = desk_api_param(req, "cursor");
    struct desk_fail fail = {0};
    int64_t since = 0, after = 0;
    if (cursor && !desk_str_to_i64(cursor, strlen(cursor), &after) && after > 0) {
        /* continue exactly after the last event of the previous page */
    } else if (s && !desk_str_to_i64(s, strlen(s), &since) && since >= 0 &&
               since < INT64_MAX / 1000) {
        since *= 1000;
        after = 0;
    } else {
        desk_fail(&fail, DESK_EINVAL, "start_time", "InvalidValue",
                  "start_time: must be a Unix time in seconds");
        desk_api_error(req, resp, DESK_EINVAL, &fail);
        return;
    }
    struct desk_sla_event *ev;
    size_t n;
    int rc = desk_app_sla_events_since(req->app, req->arena, since, after, EVENTS_PAGE, &ev, &n);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(arr, event_json(&ev[i]));
    }
    int64_t end_ms = n ? ev[n - 1].created_at : since;
    bool eos = n < EVENTS_PAGE;
    char *next =
        n ? api_url(req, "incremental/ticket_metric_events.json?start_time=%lld&cursor=%lld",
                    (long long)(end_ms / 1000), (long long)ev[n - 1].id)
          : NULL;
    api_send(req, resp, 200,
             json_pack("{s:o,s:o,s:I,s:I,s:b}", "ticket_metric_events", arr, "next_page",
                       eos || !next ? json_null() : json_string(next), "count", (json_int_t)n,
                       "end_time", (json_int_t)(end_ms / 1000), "end_of_stream", eos));
}

/* ---- alerts -----------------------------------------------------------------------------------
 */

void desk_api_sla_alerts(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_sla_alert *items;
    int64_t user = req->who.user_id;
    const char *u = desk_api_param(req, "user_id"), *all = desk_api_param(req, "all");
    if (api_page(req, resp, &p)) {
        return;
    }
    p.desc = true;
    if (all && strcmp(all, "true") == 0) {
        user = 0;
    } else if (u && (desk_str_to_i64(u, strlen(u), &user) || user <= 0)) {
        struct desk_fail fail = {0};
        desk_fail(&fail, DESK_EINVAL, "user_id", "InvalidValue", "user_id: must be an id");
        desk_api_error(req, resp, DESK_EINVAL, &fail);
        return;
    }
    int rc = desk_app_sla_alerts(req->app, &req->who, req->arena, user, &p, &items, &out);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < out.n; i++) {
        const struct desk_sla_alert *al = &items[i];
        json_array_append_new(
            arr,
            json_pack("{s:I,s:I,s:I,s:s,s:s,s:o,s:o,s:o}", "id", (json_int_t)al->id, "ticket_id",
                      (json_int_t)al->ticket_id, "user_id", (json_int_t)al->user_id, "metric",
                      desk_sla_metric_name(al->metric), "kind", desk_sla_trigger_name(al->kind),
                      "due_at", api_time(al->due_at), "created_at", api_time(al->created_at),
                      "read_at", api_time(al->read_at)));
    }
    api_send_list(req, resp, "sla_alerts", arr, &p, &out, out.n ? items[0].id : 0,
                  out.n ? items[out.n - 1].id : 0);
}
