/*
 * /api/v2 endpoints of concessions and resolutions: proposals on a ticket,
 * approve/deny/counter, limits, alerts, the report, held replies, similar
 * solved tickets and per-group resolution policies; and the ticket wire
 * additions (comment.hold_for_concession_id, ticket.resolution).
 */
#include "api/concessions.h"
#include "api/concessions_int.h"
#include "app/concessions.h"
#include "core/str.h"
#include "core/time.h"

#include <string.h>

/* ---- rendering ------------------------------------------------------------- */

static int currency_digits(const char *currency)
{
    char code[4];
    int digits = 2;
    return desk_currency_check(currency, code, &digits) == 0 ? digits : 2;
}

static json_t *amount_json(struct desk_req *req, int64_t minor, const char *currency)
{
    return json_string(desk_money_format(req->arena, minor, currency_digits(currency)));
}

static json_t *held_json(struct desk_req *req, const struct desk_held_reply *h)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(h->id));
    json_object_set_new(o, "concession_id", json_integer(h->concession_id));
    json_object_set_new(o, "ticket_id", json_integer(h->ticket_id));
    json_object_set_new(o, "author_id", api_id(h->author_id));
    json_object_set_new(o, "body", api_str(h->body));
    json_object_set_new(o, "state", json_string(desk_hold_state_name(h->state)));
    json_object_set_new(o, "comment_id", api_id(h->comment_id));
    json_object_set_new(o, "created_at", api_time(h->created_at));
    json_object_set_new(o, "updated_at", api_time(h->updated_at));
    (void)req;
    return o;
}

static json_t *concession_json(struct desk_req *req, const struct desk_concession *k)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(k->id));
    json_object_set_new(o, "url",
                        json_string(api_url(req, "concessions/%lld.json", (long long)k->id)));
    json_object_set_new(o, "ticket_id", json_integer(k->ticket_id));
    json_object_set_new(o, "type", json_string(desk_ctype_name(k->type)));
    json_object_set_new(o, "amount", amount_json(req, k->amount_minor, k->currency));
    json_object_set_new(o, "amount_minor", json_integer(k->amount_minor));
    json_object_set_new(o, "currency", json_string(k->currency));
    json_object_set_new(o, "reason", api_str(k->reason));
    json_object_set_new(o, "note", api_str(k->note));
    json_object_set_new(o, "state", json_string(desk_cstate_name(k->state)));
    json_object_set_new(o, "approval_level",
                        k->level ? json_string(desk_role_name(k->level)) : json_null());
    json_object_set_new(o, "proposed_by_id", api_id(k->proposed_by));
    json_object_set_new(o, "granted_amount",
                        k->granted_minor ? amount_json(req, k->granted_minor, k->currency)
                                         : json_null());
    json_object_set_new(o, "granted_minor", api_id(k->granted_minor));
    json_object_set_new(o, "decided_by_id", api_id(k->decided_by));
    json_object_set_new(o, "decision_note", api_str(k->decision_note));
    json_object_set_new(o, "expires_at", api_time(k->expires_at));
    json_object_set_new(o, "decided_at", api_time(k->decided_at));
    json_object_set_new(o, "created_at", api_time(k->created_at));
    json_object_set_new(o, "updated_at", api_time(k->updated_at));
    struct desk_held_reply h;
    bool found = false;
    desk_app_held_reply_of(req->app, req->arena, k->id, &h, &found);
    json_object_set_new(o, "held_reply", found ? held_json(req, &h) : json_null());
    return o;
}

static json_t *limit_json(struct desk_req *req, const struct desk_concession_limit *l)
{
    json_t *o = json_object();
    bool none = l->max_minor == DESK_LIMIT_NONE;
    json_object_set_new(o, "id", json_integer(l->id));
    json_object_set_new(o, "url",
                        json_string(api_url(req, "concession_limits/%lld.json", (long long)l->id)));
    json_object_set_new(o, "role", l->user_id ? json_null() : json_string(desk_role_name(l->role)));
    json_object_set_new(o, "user_id", api_id(l->user_id));
    json_object_set_new(o, "currency", json_string(l->currency));
    json_object_set_new(o, "amount",
                        none ? json_null() : amount_json(req, l->max_minor, l->currency));
    json_object_set_new(o, "amount_minor", none ? json_null() : json_integer(l->max_minor));
    json_object_set_new(o, "unlimited", json_boolean(none));
    json_object_set_new(o, "updated_by_id", api_id(l->updated_by));
    json_object_set_new(o, "created_at", api_time(l->created_at));
    json_object_set_new(o, "updated_at", api_time(l->updated_at));
    return o;
}

static json_t *resolution_json(const struct desk_resolution *r)
{
    json_t *fields = json_object();
    for (size_t i = 0; i < r->n_fields; i++) {
        json_object_set_new(fields, r->fields[i].name, json_string(r->fields[i].value));
    }
    return json_pack("{s:o,s:o,s:o,s:o,s:o}", "category", api_str(r->category), "note",
                     api_str(r->note), "custom_fields", fields, "updated_at",
                     api_time(r->updated_at), "updated_by_id", api_id(r->updated_by));
}

static json_t *policy_json(const struct desk_resolution_policy *p)
{
    return json_pack("{s:I,s:o,s:o,s:o,s:o}", "group_id", (json_int_t)p->group_id,
                     "required_fields", api_strv(&p->required), "categories",
                     api_strv(&p->categories), "updated_at", api_time(p->updated_at),
                     "updated_by_id", api_id(p->updated_by));
}

/* ---- input ------------------------------------------------------------------- */

/*
 * An amount: a decimal string, or a JSON integer (whole units). A JSON real
 * is refused: it has already been through a binary float and may not be the
 * amount the client meant.
 */
static int in_amount(struct desk_req *req, json_t *o, const char *key, const char **out,
                     struct desk_fail *f)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v)) {
        return 0;
    }
    if (json_is_string(v)) {
        *out = desk_arena_strdup(req->arena, json_string_value(v));
        return 0;
    }
    if (json_is_integer(v)) {
        json_int_t x = json_integer_value(v);
        if (x <= 0) {
            return desk_fail(f, DESK_EINVALID, key, "InvalidValue",
                             "Amount: must be greater than zero");
        }
        *out = desk_arena_printf(req->arena, "%lld", (long long)x);
        return 0;
    }
    return desk_fail(f, DESK_EINVALID, key, "InvalidType",
                     "Amount: give a decimal string such as \"300.00\" (not a JSON float)");
}

int api_concessions_ticket_input(struct desk_req *req, json_t *o, struct desk_ticket_input *in,
                                 struct desk_fail *f)
{
    int rc;
    json_t *comment = json_object_get(o, "comment");
    if (json_is_object(comment) && (rc = api_in_id(req, comment, "hold_for_concession_id",
                                                   &in->hold_for_concession_id, NULL, f)) != 0) {
        return rc;
    }
    json_t *res = json_object_get(o, "resolution");
    if (!res) {
        return 0;
    }
    struct desk_resolution_input *r = desk_arena_alloc(req->arena, sizeof(*r));
    memset(r, 0, sizeof(*r));
    in->resolution = r;
    if (json_is_null(res)) {
        r->clear = true;
        return 0;
    }
    if (!json_is_object(res)) {
        return desk_fail(f, DESK_EINVALID, "resolution", "InvalidType",
                         "resolution: must be an object with category, note and custom_fields");
    }
    if ((rc = api_in_str(req, res, "category", DESK_RES_NAME_MAX, &r->category, &r->has_category,
                         f)) != 0 ||
        (rc = api_in_str(req, res, "note", DESK_RES_NOTE_MAX, &r->note, &r->has_note, f)) != 0) {
        return rc;
    }
    if (r->category) {
        char *low = desk_arena_strdup(req->arena, r->category);
        desk_str_lower(low);
        r->category = *low ? low : NULL;
    }
    json_t *fields = json_object_get(res, "custom_fields");
    if (!fields || json_is_null(fields)) {
        return 0;
    }
    if (!json_is_object(fields) || json_object_size(fields) > DESK_RES_FIELDS_MAX) {
        return desk_fail(f, DESK_EINVALID, "custom_fields", "InvalidType",
                         "resolution.custom_fields: must be an object of at most 50 named values");
    }
    r->fields = desk_arena_alloc(req->arena, (json_object_size(fields) + 1) * sizeof(*r->fields));
    const char *name;
    json_t *v;
    json_object_foreach(fields, name, v)
    {
        struct desk_resolution_field *fl = &r->fields[r->n_fields++];
        fl->name = desk_arena_strdup(req->arena, name);
        if (json_is_null(v)) {
            fl->value = NULL;
        } else if (json_is_string(v)) {
            fl->value = desk_arena_strdup(req->arena, json_string_value(v));
        } else if (json_is_integer(v)) {
            fl->value = desk_arena_printf(req->arena, "%lld", (long long)json_integer_value(v));
        } else if (json_is_boolean(v)) {
            fl->value = json_is_true(v) ? "true" : "false";
        } else {
            return desk_fail(f, DESK_EINVALID, fl->name, "InvalidType",
                             desk_arena_printf(req->arena,
                                               "resolution.custom_fields.%s: must be a string, "
                                               "an integer, true, false or null",
                                               fl->name));
        }
    }
    return 0;
}

void api_concessions_ticket_ext(struct desk_req *req, const struct desk_ticket *t, json_t *o)
{
    struct desk_resolution r;
    bool found = false;
    if (!desk_role_is_staff(req->who.role)) {
        return;
    }
    if (desk_app_resolution_get(req->app, &req->who, req->arena, t->id, &r, &found) != 0 ||
        !found || (!r.category && !r.note && !r.n_fields)) {
        json_object_set_new(o, "resolution", json_null());
        return;
    }
    json_object_set_new(o, "resolution", resolution_json(&r));
}

/* The optional body of an action: {"concession": {...}}; NULL obj when there is none. */
static int action_body(struct desk_req *req, struct desk_resp *resp, json_t **doc, json_t **obj)
{
    *doc = *obj = NULL;
    if (!req->body_len) {
        return 0;
    }
    return api_body(req, resp, "concession", doc, obj);
}

/* ---- concessions ----------------------------------------------------------------- */

static void send_one(struct desk_req *req, struct desk_resp *resp, int status,
                     const struct desk_concession *k)
{
    if (status == 201) {
        resp->location = api_url(req, "concessions/%lld.json", (long long)k->id);
    }
    api_send(req, resp, status, json_pack("{s:o}", "concession", concession_json(req, k)));
}

int api_concession_input(struct desk_req *req, json_t *o, struct desk_concession_input *in,
                         struct desk_fail *f)
{
    bool has;
    memset(in, 0, sizeof(*in));
    int rc = api_in_str(req, o, "type", 64, &in->type, &has, f);
    rc = rc ? rc : in_amount(req, o, "amount", &in->amount, f);
    rc = rc ? rc : api_in_str(req, o, "currency", 16, &in->currency, &has, f);
    rc = rc ? rc : api_in_str(req, o, "reason", 0, &in->reason, &has, f);
    rc = rc ? rc : api_in_str(req, o, "note", 0, &in->note, &has, f);
    json_t *exp = json_object_get(o, "expires_in");
    if (!rc && exp && !json_is_null(exp)) {
        if (!json_is_integer(exp) || json_integer_value(exp) <= 0) {
            rc = desk_fail(f, DESK_EINVALID, "expires_in", "InvalidType",
                           "Expires in: must be a whole number of seconds");
        } else {
            in->expires_in_s = json_integer_value(exp);
        }
    }
    return rc;
}

void desk_api_concessions_propose(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_fail fail = {0};
    struct desk_concession_input in;
    struct desk_concession k;
    if (api_body(req, resp, "concession", &doc, &o)) {
        return;
    }
    int rc = api_concession_input(req, o, &in, &fail);
    if (!rc) {
        rc = desk_app_concession_propose(req->app, &req->who, req->arena, req->ids[0], &in, &k,
                                         &fail);
    }
    json_decref(doc);
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    send_one(req, resp, 201, &k);
}

static void decide(struct desk_req *req, struct desk_resp *resp, int action)
{
    json_t *doc, *o;
    struct desk_fail fail = {0};
    struct desk_concession k;
    const char *amount = NULL, *note = NULL, *reason = NULL;
    bool has;
    if (action_body(req, resp, &doc, &o)) {
        return;
    }
    int rc = 0;
    if (o) {
        rc = api_in_str(req, o, "note", 0, &note, &has, &fail);
        rc = rc ? rc : api_in_str(req, o, "reason", 0, &reason, &has, &fail);
        rc = rc ? rc : in_amount(req, o, "amount", &amount, &fail);
    }
    json_decref(doc);
    if (!rc) {
        /* A denial's "reason" and a note are the same text; either key is taken. */
        rc = desk_app_concession_decide(req->app, &req->who, req->arena, req->ids[0], action,
                                        amount, reason ? reason : note, &k, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    send_one(req, resp, 200, &k);
}

void desk_api_concessions_approve(struct desk_req *req, struct desk_resp *resp)
{
    decide(req, resp, DESK_COP_APPROVE);
}

void desk_api_concessions_deny(struct desk_req *req, struct desk_resp *resp)
{
    decide(req, resp, DESK_COP_DENY);
}

void desk_api_concessions_counter(struct desk_req *req, struct desk_resp *resp)
{
    decide(req, resp, DESK_COP_COUNTER);
}

void desk_api_concessions_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_concession k;
    int rc = desk_app_concession_get(req->app, &req->who, req->arena, req->ids[0], &k);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    send_one(req, resp, 200, &k);
}

static void list(struct desk_req *req, struct desk_resp *resp, struct desk_concession_filter *f,
                 bool awaiting)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_concession *items;
    if (api_page(req, resp, &p)) {
        return;
    }
    const char *order = desk_api_param(req, "sort_order");
    p.desc = order && strcmp(order, "desc") == 0;
    int rc =
        desk_app_concession_list(req->app, &req->who, req->arena, f, awaiting, &p, &items, &out);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < out.n; i++) {
        json_array_append_new(arr, concession_json(req, &items[i]));
    }
    api_send_list(req, resp, "concessions", arr, &p, &out, out.n ? items[0].id : 0,
                  out.n ? items[out.n - 1].id : 0);
}

void desk_api_concessions_of_ticket(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_concession_filter f = {0};
    struct desk_ticket t;
    int rc = desk_app_ticket_get(req->app, &req->who, req->arena, req->ids[0], &t);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    f.ticket_id = t.id;
    list(req, resp, &f, false);
}

static int param_fail(struct desk_req *req, struct desk_resp *resp, const char *key,
                      const char *why)
{
    struct desk_fail fail = {0};
    desk_fail(&fail, DESK_EINVAL, key, "InvalidValue", why);
    desk_api_error(req, resp, DESK_EINVAL, &fail);
    return -1;
}

static int id_param(struct desk_req *req, struct desk_resp *resp, const char *key, int64_t *out)
{
    const char *s = desk_api_param(req, key);
    if (s && (desk_str_to_i64(s, strlen(s), out) || *out <= 0)) {
        return param_fail(req, resp, key, desk_arena_printf(req->arena, "%s: must be an id", key));
    }
    return 0;
}

void desk_api_concessions_list(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_concession_filter f = {0};
    const char *state = desk_api_param(req, "state");
    const char *awaiting = desk_api_param(req, "awaiting");
    if (state) {
        int s;
        if (desk_cstate_parse(state, &s) != 0) {
            param_fail(req, resp, "state",
                       "state: must be pending, granted, approved, denied, countered or expired");
            return;
        }
        f.state = s + 1;
    }
    if (awaiting && strcmp(awaiting, "me") != 0) {
        param_fail(req, resp, "awaiting", "awaiting: the only value is me");
        return;
    }
    if (id_param(req, resp, "ticket_id", &f.ticket_id) ||
        id_param(req, resp, "proposed_by_id", &f.proposed_by)) {
        return;
    }
    list(req, resp, &f, awaiting != NULL);
}

static int time_param(struct desk_req *req, struct desk_resp *resp, const char *key, int64_t *out)
{
    const char *s = desk_api_param(req, key);
    *out = 0;
    if (s && desk_time_parse(s, strlen(s), out) != 0) {
        return param_fail(
            req, resp, key,
            desk_arena_printf(req->arena, "%s: must be a date such as 2026-11-01", key));
    }
    return 0;
}

void desk_api_concessions_report(struct desk_req *req, struct desk_resp *resp)
{
    static const char *const names[] = {"agent", "type", "reason"};
    const char *by_s = desk_api_param(req, "group_by");
    int by = -1;
    int64_t from, to;
    for (int i = 0; i < 3 && by_s; i++) {
        if (strcmp(by_s, names[i]) == 0) {
            by = i;
        }
    }
    if (!by_s) {
        by = DESK_REPORT_AGENT;
    }
    if (by < 0) {
        param_fail(req, resp, "group_by", "group_by: must be agent, type or reason");
        return;
    }
    if (time_param(req, resp, "created_from", &from) || time_param(req, resp, "created_to", &to)) {
        return;
    }
    struct desk_concession_report_row *rows;
    size_t n;
    int rc = desk_app_concession_report(req->app, &req->who, req->arena, by, from, to, &rows, &n);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    struct desk_conn *c = NULL;
    desk_app_reader(req->app, &c);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct desk_concession_report_row *r = &rows[i];
        json_t *o = json_object();
        if (by == DESK_REPORT_AGENT) {
            struct desk_user u;
            json_object_set_new(o, "agent_id", json_integer(r->agent_id));
            json_object_set_new(o, "agent_name",
                                c && desk_store_user_get(c, req->arena, r->agent_id, &u) == 0
                                    ? api_str(u.name)
                                    : json_null());
        } else if (by == DESK_REPORT_TYPE) {
            json_object_set_new(o, "type", json_string(desk_ctype_name(r->type)));
        } else {
            json_object_set_new(o, "reason", api_str(r->reason));
        }
        json_object_set_new(o, "currency", json_string(r->currency));
        json_object_set_new(o, "count", json_integer(r->count));
        json_object_set_new(o, "granted_count", json_integer(r->granted_count));
        json_object_set_new(o, "pending_count", json_integer(r->pending_count));
        json_object_set_new(o, "denied_count", json_integer(r->denied_count));
        json_object_set_new(o, "expired_count", json_integer(r->expired_count));
        json_object_set_new(o, "proposed_amount", amount_json(req, r->proposed_minor, r->currency));
        json_object_set_new(o, "granted_amount", amount_json(req, r->granted_minor, r->currency));
        json_object_set_new(o, "proposed_minor", json_integer(r->proposed_minor));
        json_object_set_new(o, "granted_minor", json_integer(r->granted_minor));
        json_array_append_new(arr, o);
    }
    api_send(
        req, resp, 200,
        json_pack("{s:s,s:o,s:I}", "group_by", names[by], "report", arr, "count", (json_int_t)n));
}

/* ---- limits ------------------------------------------------------------------------ */

void desk_api_concession_limits_list(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_concession_limit *items;
    size_t n;
    int rc = desk_app_climit_list(req->app, &req->who, req->arena, &items, &n);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(arr, limit_json(req, &items[i]));
    }
    api_send(req, resp, 200,
             json_pack("{s:o,s:I}", "concession_limits", arr, "count", (json_int_t)n));
}

void desk_api_concession_limits_set(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_fail fail = {0};
    struct desk_concession_limit l;
    const char *role = NULL, *currency = NULL, *amount = NULL;
    int64_t user_id = 0;
    bool has, created = false;
    if (api_body(req, resp, "concession_limit", &doc, &o)) {
        return;
    }
    int rc = api_in_str(req, o, "role", 32, &role, &has, &fail);
    rc = rc ? rc : api_in_id(req, o, "user_id", &user_id, &has, &fail);
    rc = rc ? rc : api_in_str(req, o, "currency", 16, &currency, &has, &fail);
    rc = rc ? rc : in_amount(req, o, "amount", &amount, &fail);
    if (!rc && !json_object_get(o, "amount")) {
        rc = desk_fail(&fail, DESK_EINVALID, "amount", "BlankValue",
                       "Amount: is required (null for no limit)");
    }
    json_decref(doc);
    if (!rc) {
        rc = desk_app_climit_set(req->app, &req->who, req->arena, role, user_id, currency, amount,
                                 &l, &created, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    if (created) {
        resp->location = api_url(req, "concession_limits/%lld.json", (long long)l.id);
    }
    api_send(req, resp, created ? 201 : 200,
             json_pack("{s:o}", "concession_limit", limit_json(req, &l)));
}

void desk_api_concession_limits_delete(struct desk_req *req, struct desk_resp *resp)
{
    int rc = desk_app_climit_delete(req->app, &req->who, req->ids[0]);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_no_content(resp);
}

/* ---- alerts -------------------------------------------------------------------------- */

void desk_api_concession_alerts_list(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_concession_alert *items;
    const char *unread = desk_api_param(req, "unread");
    if (api_page(req, resp, &p)) {
        return;
    }
    int rc = desk_app_calert_list(req->app, &req->who, req->arena,
                                  unread && strcmp(unread, "true") == 0, &p, &items, &out);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < out.n; i++) {
        const struct desk_concession_alert *al = &items[i];
        json_array_append_new(arr,
                              json_pack("{s:I,s:I,s:I,s:s,s:s,s:o,s:o}", "id", (json_int_t)al->id,
                                        "concession_id", (json_int_t)al->concession_id, "ticket_id",
                                        (json_int_t)al->ticket_id, "kind", al->kind, "message",
                                        al->message, "created_at", api_time(al->created_at),
                                        "read_at", api_time(al->read_at)));
    }
    api_send_list(req, resp, "concession_alerts", arr, &p, &out, out.n ? items[0].id : 0,
                  out.n ? items[out.n - 1].id : 0);
}

void desk_api_concession_alerts_read(struct desk_req *req, struct desk_resp *resp)
{
    int64_t n = 0;
    int rc = desk_app_calert_read(req->app, &req->who, &n);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:I}", "marked_read", (json_int_t)n));
}

/* ---- held replies ----------------------------------------------------------------------- */

void desk_api_held_replies_list(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_held_reply *items;
    size_t n = 0;
    int rc = desk_app_held_reply_list(req->app, &req->who, req->arena, req->ids[0], &items, &n);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(arr, held_json(req, &items[i]));
    }
    api_send(req, resp, 200, json_pack("{s:o,s:I}", "held_replies", arr, "count", (json_int_t)n));
}

/* ---- similar tickets ------------------------------------------------------------------------ */

void desk_api_tickets_similar(struct desk_req *req, struct desk_resp *resp)
{
    const char *ls = desk_api_param(req, "limit");
    int64_t limit = 10;
    if (ls && (desk_str_to_i64(ls, strlen(ls), &limit) || limit < 1 || limit > 50)) {
        param_fail(req, resp, "limit", "limit: must be a whole number from 1 to 50");
        return;
    }
    struct desk_similar *items;
    size_t n;
    int rc = desk_app_ticket_similar(req->app, &req->who, req->arena, req->ids[0], (int)limit,
                                     &items, &n);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct desk_similar *s = &items[i];
        const struct desk_ticket *t = &s->ticket;
        json_t *ticket =
            json_pack("{s:I,s:s,s:o,s:s,s:o,s:o,s:o,s:o}", "id", (json_int_t)t->id, "url",
                      api_url(req, "tickets/%lld.json", (long long)t->id), "subject",
                      api_str(t->subject), "status", desk_status_name(t->status), "language",
                      api_str(t->language), "group_id", api_id(t->group_id), "assignee_id",
                      api_id(t->assignee_id), "solved_at", api_time(t->solved_at));
        json_t *res = json_null();
        if (s->has_resolution) {
            res = resolution_json(&s->resolution);
            json_object_set_new(res, "source", json_string("resolution"));
        } else if (s->has_reply) {
            res = json_pack("{s:s,s:o,s:I,s:I,s:s,s:o}", "source", "last_public_reply", "category",
                            json_null(), "comment_id", (json_int_t)s->reply.id, "author_id",
                            (json_int_t)s->reply.author_id, "note", s->reply.body, "created_at",
                            api_time(s->reply.created_at));
        }
        json_array_append_new(arr,
                              json_pack("{s:o,s:f,s:b,s:o}", "ticket", ticket, "score", s->score,
                                        "same_language", s->same_language, "resolution", res));
    }
    api_send(req, resp, 200,
             json_pack("{s:o,s:I}", "similar_tickets", arr, "count", (json_int_t)n));
}

/* ---- resolution policies ------------------------------------------------------------------------
 */

void desk_api_resolution_policy_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_resolution_policy p;
    int rc = desk_app_rpolicy_get(req->app, &req->who, req->arena, req->ids[0], &p);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "resolution_policy", policy_json(&p)));
}

void desk_api_resolution_policy_update(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_fail fail = {0};
    struct desk_resolution_policy p;
    /* Absent keys keep their current value. */
    int rc = desk_app_rpolicy_get(req->app, &req->who, req->arena, req->ids[0], &p);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    if (api_body(req, resp, "resolution_policy", &doc, &o)) {
        return;
    }
    rc = api_in_strv(req, o, "required_fields", &p.required, NULL, &fail);
    rc = rc ? rc : api_in_strv(req, o, "categories", &p.categories, NULL, &fail);
    json_decref(doc);
    if (!rc) {
        for (size_t i = 0; i < p.categories.n; i++) {
            char *low = desk_arena_strdup(req->arena, p.categories.v[i]);
            desk_str_lower(low);
            p.categories.v[i] = low;
        }
        p.group_id = req->ids[0];
        rc = desk_app_rpolicy_set(req->app, &req->who, req->arena, &p, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "resolution_policy", policy_json(&p)));
}
