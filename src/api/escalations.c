/*
 * /api/v2/tickets/{id}/escalate, /api/v2/escalations (list, show, accept,
 * resolve, return, roster, settings), /api/v2/supervisor_alerts,
 * /api/v2/tickets/{id}/complaint and /api/v2/users/{id}/complaints, and
 * the staff-only fields the supervisor's desk adds to tickets and users.
 */
#include "api/escalations.h"
#include "api/api_int.h"
#include "app/escalations.h"
#include "core/str.h"

#include <string.h>

/* ---- records ------------------------------------------------------------ */

static json_t *escalation_json(struct desk_req *req, const struct desk_escalation *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(e->id));
    json_object_set_new(o, "url",
                        json_string(api_url(req, "escalations/%lld.json", (long long)e->id)));
    json_object_set_new(o, "ticket_id", json_integer(e->ticket_id));
    json_object_set_new(o, "group_id", api_id(e->group_id));
    json_object_set_new(o, "state", json_string(desk_esc_state_name(e->state)));
    json_object_set_new(o, "source", json_string(desk_esc_source_name(e->source)));
    json_object_set_new(o, "reason", json_string(desk_esc_reason_name(e->reason)));
    json_object_set_new(o, "note", api_str(e->note));
    json_object_set_new(o, "requested_by_id", api_id(e->requested_by));
    json_object_set_new(o, "supervisor_id", api_id(e->supervisor_id));
    json_object_set_new(o, "previous_assignee_id", api_id(e->previous_assignee_id));
    json_object_set_new(o, "previous_priority", api_str(desk_priority_name(e->previous_priority)));
    json_object_set_new(o, "created_at", api_time(e->created_at));
    json_object_set_new(o, "accepted_at", api_time(e->accepted_at));
    json_object_set_new(o, "accepted_by_id", api_id(e->accepted_by));
    json_object_set_new(o, "time_to_accept_seconds",
                        e->accepted_at ? json_integer((e->accepted_at - e->created_at) / 1000)
                                       : json_null());
    json_object_set_new(o, "closed_at", api_time(e->closed_at));
    json_object_set_new(o, "closed_by_id", api_id(e->closed_by));
    json_object_set_new(o, "resolution", api_str(e->resolution));
    json_object_set_new(o, "updated_at", api_time(e->updated_at));
    return o;
}

static json_t *complaint_json(const struct desk_complaint *k)
{
    return json_pack("{s:I,s:I,s:o,s:o,s:o,s:o,s:o}", "ticket_id", (json_int_t)k->ticket_id,
                     "agent_id", (json_int_t)k->agent_id, "outcome",
                     api_str(desk_complaint_outcome_name(k->outcome)), "outcome_note",
                     api_str(k->outcome_note), "decided_by_id", api_id(k->decided_by), "decided_at",
                     api_time(k->decided_at), "created_at", api_time(k->created_at));
}

static json_t *alert_json(const struct desk_supervisor_alert *al)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(al->id));
    json_object_set_new(o, "kind", api_str(al->kind));
    json_object_set_new(o, "ticket_id", api_id(al->ticket_id));
    json_object_set_new(o, "group_id", api_id(al->group_id));
    json_object_set_new(o, "escalation_id", api_id(al->escalation_id));
    json_object_set_new(o, "recipient_id", api_id(al->recipient_id));
    json_object_set_new(o, "message", api_str(al->message));
    json_object_set_new(o, "created_at", api_time(al->created_at));
    json_object_set_new(o, "acknowledged_at", api_time(al->acknowledged_at));
    json_object_set_new(o, "acknowledged_by_id", api_id(al->acknowledged_by));
    return o;
}

/* The stored "kind<TAB>phrase" lines as a list of phrases. */
static json_t *triggers_json(const char *text)
{
    json_t *arr = json_array();
    for (const char *p = text; p && *p;) {
        const char *eol = strchr(p, '\n'), *tab = strchr(p, '\t');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (tab && tab < p + len) {
            json_array_append_new(arr, json_stringn(tab + 1, (size_t)(p + len - tab - 1)));
        }
        p = eol ? eol + 1 : p + len;
    }
    return arr;
}

/* ---- extensions ------------------------------------------------------------- */

void desk_api_supervisor_ticket_ext(struct desk_req *req, const struct desk_ticket *t, json_t *o)
{
    if (!desk_role_is_staff(req->who.role)) {
        return; /* customers never see how they were scored or escalated */
    }
    struct desk_ticket_sentiment s;
    if (desk_app_ticket_sentiment(req->app, &req->who, req->arena, t->id, &s) == 0) {
        json_t *hist = json_array();
        for (size_t i = 0; i < s.n_history; i++) {
            json_array_append_new(hist, json_pack("{s:f,s:s,s:o}", "score", s.history[i].score,
                                                  "label", desk_mood_name(s.history[i].mood), "at",
                                                  api_time(s.history[i].created_at)));
        }
        json_object_set_new(
            o, "sentiment",
            json_pack("{s:f,s:s,s:b,s:o,s:s,s:I,s:b,s:o}", "score", s.latest.score, "label",
                      desk_mood_name(s.latest.mood), "abusive", s.abusive_messages > 0, "triggers",
                      triggers_json(s.latest.triggers), "trend", s.trend, "abusive_messages",
                      (json_int_t)s.abusive_messages, "supervisor_request",
                      s.latest.supervisor_request, "history", hist));
    } else {
        json_object_set_new(o, "sentiment", json_null());
    }
    struct desk_escalation e;
    if (desk_app_ticket_escalation(req->app, &req->who, req->arena, t->id, &e) == 0) {
        json_object_set_new(o, "escalation", escalation_json(req, &e));
    } else {
        json_object_set_new(o, "escalation", json_null());
    }
    struct desk_complaint k;
    if (t->type == DESK_TTYPE_COMPLAINT &&
        desk_app_ticket_complaint(req->app, &req->who, req->arena, t->id, &k) == 0) {
        json_object_set_new(o, "complaint_agent_id", json_integer(k.agent_id));
        json_object_set_new(o, "complaint", complaint_json(&k));
    }
}

void desk_api_supervisor_user_ext(struct desk_req *req, const struct desk_user *u, json_t *o)
{
    struct desk_complaint *items;
    size_t n;
    if (!desk_role_is_staff(u->role) ||
        desk_app_complaint_list(req->app, &req->who, req->arena, u->id, 1000, &items, &n) != 0) {
        return;
    }
    json_int_t by[4] = {0}, pending = 0;
    for (size_t i = 0; i < n; i++) {
        if (items[i].outcome >= 0 && items[i].outcome < 4) {
            by[items[i].outcome]++;
        } else {
            pending++;
        }
    }
    json_object_set_new(
        o, "complaints",
        json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "total", (json_int_t)n, "pending", pending, "upheld",
                  by[DESK_OUTCOME_UPHELD], "not_upheld", by[DESK_OUTCOME_NOT_UPHELD], "coaching",
                  by[DESK_OUTCOME_COACHING], "formal_warning", by[DESK_OUTCOME_FORMAL_WARNING]));
}

/* ---- escalations -------------------------------------------------------------- */

void desk_api_tickets_escalate(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_fail fail = {0};
    struct desk_escalate_input in = {.source = DESK_ESC_SRC_AGENT};
    const char *reason = NULL;
    bool has_reason = false;
    if (api_body(req, resp, "escalation", &doc, &o)) {
        return;
    }
    int rc = api_in_str(req, o, "reason", 64, &reason, &has_reason, &fail);
    rc = rc ? rc : api_in_str(req, o, "note", 0, &in.note, NULL, &fail);
    json_decref(doc);
    if (!rc && !reason) {
        rc = desk_fail(&fail, DESK_EINVALID, "reason", "BlankValue",
                       "Reason: is required (difficult_customer, policy_exception, legal or "
                       "technical)");
    }
    if (!rc &&
        (desk_esc_reason_parse(reason, &in.reason) != 0 || !desk_esc_reason_manual(in.reason))) {
        rc = desk_fail(&fail, DESK_EINVALID, "reason", "InvalidValue",
                       "Reason: must be difficult_customer, policy_exception, legal or technical");
    }
    if (!rc && in.note && !desk_str_utf8_valid(in.note, strlen(in.note))) {
        rc = desk_fail(&fail, DESK_EINVALID, "note", "InvalidEncoding", "Note: is not valid UTF-8");
    }
    struct desk_escalation e;
    if (!rc) {
        rc = desk_app_escalate(req->app, &req->who, req->arena, req->ids[0], &in, &e, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    resp->location = api_url(req, "escalations/%lld.json", (long long)e.id);
    api_send(req, resp, 201, json_pack("{s:o}", "escalation", escalation_json(req, &e)));
}

/* Reads an optional positive id parameter; renders a 400 and returns -1 when malformed. */
static int id_param(struct desk_req *req, struct desk_resp *resp, const char *key, int64_t *out)
{
    const char *s = desk_api_param(req, key);
    struct desk_fail fail = {0};
    *out = 0;
    if (!s) {
        return 0;
    }
    if (desk_str_to_i64(s, strlen(s), out) || *out <= 0) {
        desk_fail(&fail, DESK_EINVAL, key, "InvalidValue",
                  desk_arena_printf(req->arena, "%s: must be an id", key));
        desk_api_error(req, resp, DESK_EINVAL, &fail);
        return -1;
    }
    return 0;
}

void desk_api_escalations_list(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_esc_filter f = {.state = -1};
    struct desk_page p;
    struct desk_page_out out;
    struct desk_escalation *items;
    struct desk_fail fail = {0};
    const char *state = desk_api_param(req, "state");
    if (api_page(req, resp, &p) || id_param(req, resp, "supervisor_id", &f.supervisor_id) ||
        id_param(req, resp, "group_id", &f.group_id) ||
        id_param(req, resp, "ticket_id", &f.ticket_id)) {
        return;
    }
    if (state && desk_esc_state_parse(state, &f.state) != 0) {
        desk_fail(&fail, DESK_EINVAL, "state", "InvalidValue",
                  "state: must be open, accepted, resolved or returned");
        desk_api_error(req, resp, DESK_EINVAL, &fail);
        return;
    }
    int rc = desk_app_escalation_list(req->app, &req->who, req->arena, &f, &p, &items, &out);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < out.n; i++) {
        json_array_append_new(arr, escalation_json(req, &items[i]));
    }
    api_send_list(req, resp, "escalations", arr, &p, &out, out.n ? items[0].id : 0,
                  out.n ? items[out.n - 1].id : 0);
}

void desk_api_escalations_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_escalation e;
    int rc = desk_app_escalation_get(req->app, &req->who, req->arena, req->ids[0], &e);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "escalation", escalation_json(req, &e)));
}

static void move(struct desk_req *req, struct desk_resp *resp, int to)
{
    struct desk_fail fail = {0};
    const char *note = NULL;
    if (req->body_len) {
        json_t *doc, *o;
        if (api_body(req, resp, "escalation", &doc, &o)) {
            return;
        }
        int rc = api_in_str(req, o, "note", 0, &note, NULL, &fail);
        json_decref(doc);
        if (!rc && note && !desk_str_utf8_valid(note, strlen(note))) {
            rc = desk_fail(&fail, DESK_EINVALID, "note", "InvalidEncoding",
                           "Note: is not valid UTF-8");
        }
        if (rc) {
            desk_api_error(req, resp, rc, &fail);
            return;
        }
    }
    struct desk_escalation e;
    int rc =
        desk_app_escalation_move(req->app, &req->who, req->arena, req->ids[0], to, note, &e, &fail);
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "escalation", escalation_json(req, &e)));
}

void desk_api_escalations_accept(struct desk_req *req, struct desk_resp *resp)
{
    move(req, resp, DESK_ESC_ACCEPTED);
}

void desk_api_escalations_resolve(struct desk_req *req, struct desk_resp *resp)
{
    move(req, resp, DESK_ESC_RESOLVED);
}

void desk_api_escalations_return(struct desk_req *req, struct desk_resp *resp)
{
    move(req, resp, DESK_ESC_RETURNED);
}

/* ---- roster and settings ---------------------------------------------------------- */

static void send_roster(struct desk_req *req, struct desk_resp *resp, int64_t group_id)
{
    struct desk_roster_duty *items;
    size_t n;
    int rc = desk_app_roster_list(req->app, &req->who, req->arena, group_id, &items, &n);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct desk_roster_duty *d = &items[i];
        json_array_append_new(
            arr, json_pack("{s:I,s:I,s:s,s:o,s:o,s:o,s:I,s:I}", "group_id", (json_int_t)d->group_id,
                           "supervisor_id", (json_int_t)d->cand.supervisor_id, "source",
                           d->manual ? "manual" : "schedule", "since", api_time(d->since), "until",
                           api_time(d->until), "set_by_id", api_id(d->set_by), "active_escalations",
                           (json_int_t)d->cand.active, "last_escalation_at_ms",
                           (json_int_t)d->cand.last_assigned_at));
    }
    api_send(req, resp, 200, json_pack("{s:o}", "roster", arr));
}

void desk_api_roster_show(struct desk_req *req, struct desk_resp *resp)
{
    int64_t group_id;
    if (id_param(req, resp, "group_id", &group_id)) {
        return;
    }
    send_roster(req, resp, group_id);
}

void desk_api_roster_clear(struct desk_req *req, struct desk_resp *resp)
{
    int64_t group_id;
    if (id_param(req, resp, "group_id", &group_id)) {
        return;
    }
    if (!group_id) {
        struct desk_fail fail = {0};
        desk_fail(&fail, DESK_EINVALID, "group_id", "BlankValue", "Group: is required");
        desk_api_error(req, resp, DESK_EINVALID, &fail);
        return;
    }
    int rc = desk_app_roster_clear(req->app, &req->who, req->arena, group_id);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    send_roster(req, resp, group_id);
}

void desk_api_roster_update(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_fail fail = {0};
    int64_t group_id = 0, until = 0, *ids = NULL;
    size_t n = 0;
    bool has_group = false, has_ids = false;
    if (api_body(req, resp, "roster", &doc, &o)) {
        return;
    }
    int rc = api_in_id(req, o, "group_id", &group_id, &has_group, &fail);
    rc = rc ? rc : api_in_ids(req, o, "supervisor_ids", &ids, &n, &has_ids, &fail);
    rc = rc ? rc : api_in_time(req, o, "until", &until, NULL, &fail);
    json_decref(doc);
    if (!rc && !group_id) {
        rc = desk_fail(&fail, DESK_EINVALID, "group_id", "BlankValue", "Group: is required");
    }
    if (!rc && !has_ids) {
        rc = desk_fail(&fail, DESK_EINVALID, "supervisor_ids", "BlankValue",
                       "Supervisors: supervisor_ids is required (an empty list takes everyone "
                       "off duty)");
    }
    if (!rc) {
        rc = desk_app_roster_set(req->app, &req->who, req->arena, group_id, ids, n, until, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    send_roster(req, resp, group_id);
}

static void send_settings(struct desk_req *req, struct desk_resp *resp,
                          const struct desk_esc_settings *s)
{
    api_send(req, resp, 200,
             json_pack("{s:{s:I,s:o,s:o,s:b,s:b,s:b,s:b,s:i,s:o}}", "settings", "group_id",
                       (json_int_t)s->group_id, "contact_id", api_id(s->contact_id),
                       "raise_priority", api_str(desk_priority_name(s->raise_priority)),
                       "auto_customer", s->auto_customer, "auto_irate", s->auto_irate,
                       "auto_sla_breach", s->auto_sla_breach, "auto_sla_at_risk",
                       s->auto_sla_at_risk, "reopen_threshold", s->reopen_threshold, "updated_at",
                       api_time(s->updated_at)));
}

void desk_api_esc_settings_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_esc_settings s;
    int rc = desk_app_esc_settings_get(req->app, &req->who, req->ids[0], &s);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    send_settings(req, resp, &s);
}

void desk_api_esc_settings_update(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_fail fail = {0};
    struct desk_esc_settings s;
    int rc = desk_app_esc_settings_get(req->app, &req->who, req->ids[0], &s);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    if (api_body(req, resp, "settings", &doc, &o)) {
        return;
    }
    rc = api_in_id(req, o, "contact_id", &s.contact_id, NULL, &fail);
    rc = rc ? rc
            : api_in_enum(req, o, "raise_priority", desk_priority_parse, &s.raise_priority, NULL,
                          &fail);
    rc = rc ? rc : api_in_bool(req, o, "auto_customer", &s.auto_customer, NULL, &fail);
    rc = rc ? rc : api_in_bool(req, o, "auto_irate", &s.auto_irate, NULL, &fail);
    rc = rc ? rc : api_in_bool(req, o, "auto_sla_breach", &s.auto_sla_breach, NULL, &fail);
    rc = rc ? rc : api_in_bool(req, o, "auto_sla_at_risk", &s.auto_sla_at_risk, NULL, &fail);
    json_t *rt = json_object_get(o, "reopen_threshold");
    if (!rc && rt) {
        if (!json_is_integer(rt) || json_integer_value(rt) < 0 || json_integer_value(rt) > 100) {
            rc = desk_fail(&fail, DESK_EINVALID, "reopen_threshold", "InvalidValue",
                           "Reopen threshold: must be a whole number from 0 (never) to 100");
        } else {
            s.reopen_threshold = (int)json_integer_value(rt);
        }
    }
    json_decref(doc);
    if (!rc) {
        rc = desk_app_esc_settings_put(req->app, &req->who, &s, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    send_settings(req, resp, &s);
}

/* ---- alerts ---------------------------------------------------------------------- */

void desk_api_supervisor_alerts_list(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_supervisor_alert *items;
    const char *open = desk_api_param(req, "open");
    if (api_page(req, resp, &p)) {
        return;
    }
    p.desc = true; /* newest first */
    bool open_only = open && (strcmp(open, "true") == 0 || strcmp(open, "1") == 0);
    int rc = desk_app_supervisor_alert_list(req->app, &req->who, req->arena, open_only, &p, &items,
                                            &out);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < out.n; i++) {
        json_array_append_new(arr, alert_json(&items[i]));
    }
    api_send_list(req, resp, "supervisor_alerts", arr, &p, &out, out.n ? items[0].id : 0,
                  out.n ? items[out.n - 1].id : 0);
}

void desk_api_supervisor_alerts_ack(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_supervisor_alert al;
    int rc = desk_app_supervisor_alert_ack(req->app, &req->who, req->arena, req->ids[0], &al);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "supervisor_alert", alert_json(&al)));
}

/* ---- complaints -------------------------------------------------------------------- */

void desk_api_tickets_complaint_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_complaint k;
    int rc = desk_app_ticket_complaint(req->app, &req->who, req->arena, req->ids[0], &k);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "complaint", complaint_json(&k)));
}

void desk_api_tickets_complaint_update(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_fail fail = {0};
    const char *outcome = NULL, *note = NULL;
    int value = -1;
    if (api_body(req, resp, "complaint", &doc, &o)) {
        return;
    }
    int rc = api_in_str(req, o, "outcome", 64, &outcome, NULL, &fail);
    rc = rc ? rc : api_in_str(req, o, "note", 0, &note, NULL, &fail);
    json_decref(doc);
    if (!rc && (!outcome || desk_complaint_outcome_parse(outcome, &value) != 0)) {
        rc = desk_fail(&fail, DESK_EINVALID, "outcome", outcome ? "InvalidValue" : "BlankValue",
                       "Outcome: must be upheld, not_upheld, coaching or formal_warning");
    }
    if (!rc && note && !desk_str_utf8_valid(note, strlen(note))) {
        rc = desk_fail(&fail, DESK_EINVALID, "note", "InvalidEncoding", "Note: is not valid UTF-8");
    }
    struct desk_complaint k;
    if (!rc) {
        rc = desk_app_complaint_decide(req->app, &req->who, req->arena, req->ids[0], value, note,
                                       &k, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "complaint", complaint_json(&k)));
}

void desk_api_users_complaints(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_complaint *items;
    size_t n;
    struct desk_user u;
    int rc = desk_app_user_get(req->app, &req->who, req->arena, req->ids[0], &u);
    if (!rc) {
        rc = desk_app_complaint_list(req->app, &req->who, req->arena, u.id, 1000, &items, &n);
    }
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(arr, complaint_json(&items[i]));
    }
    api_send(req, resp, 200, json_pack("{s:o,s:I}", "complaints", arr, "count", (json_int_t)n));
}
