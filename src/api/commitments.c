/*
 * /api/v2/tickets/{id}/commitments, /api/v2/commitments[/{id}]: commitments
 * on the wire. A commitment renders its due time in UTC and, when it was
 * given in a zone, as the local wall time and offset in that zone, with
 * the explanation when a DST change moved it.
 */
#include "api/commitments.h"
#include "api/api_int.h"
#include "app/commitments.h"
#include "core/str.h"
#include "core/time.h"
#include "model/wallclock.h"

#include <string.h>

static json_t *commitment_json(struct desk_req *req, const struct desk_commitment *cm)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(cm->id));
    json_object_set_new(o, "url",
                        json_string(api_url(req, "commitments/%lld.json", (long long)cm->id)));
    json_object_set_new(o, "ticket_id", api_id(cm->ticket_id));
    json_object_set_new(o, "owner_id", api_id(cm->owner_id));
    json_object_set_new(o, "created_by_id", api_id(cm->creator_id));
    json_object_set_new(o, "state", json_string(desk_commitment_state_name(cm->state)));
    json_object_set_new(o, "note", json_string(cm->note ? cm->note : ""));
    json_object_set_new(o, "due_at", api_time(cm->due_at));
    json_object_set_new(o, "time_zone", api_str(cm->time_zone));
    struct desk_wall w;
    int off;
    if (cm->time_zone && desk_wall_from_utc(cm->due_at, cm->time_zone, &w, &off) == 0) {
        char wall[20], offs[7];
        desk_wall_format(&w, wall);
        desk_wall_offset_format(off, offs);
        json_object_set_new(o, "due_local", json_string(wall));
        json_object_set_new(o, "due_offset", json_string(offs));
    } else {
        json_object_set_new(o, "due_local", json_null());
        json_object_set_new(o, "due_offset", json_null());
    }
    json_object_set_new(o, "due_explanation", api_str(cm->due_fit));
    json_object_set_new(o, "remind_at", api_time(cm->remind_at));
    json_object_set_new(o, "reminded_at", api_time(cm->reminded_at));
    json_object_set_new(o, "resolved_at", api_time(cm->resolved_at));
    json_object_set_new(o, "resolved_by_id", api_id(cm->resolved_by));
    json_object_set_new(o, "created_at", api_time(cm->created_at));
    json_object_set_new(o, "updated_at", api_time(cm->updated_at));
    return o;
}

static int commitment_input(struct desk_req *req, json_t *o, struct desk_commitment_input *in,
                            struct desk_fail *f)
{
    int rc = 0;
    memset(in, 0, sizeof(*in));
    rc = rc ? rc : api_in_id(req, o, "ticket_id", &in->ticket_id, &in->has_ticket_id, f);
    rc = rc ? rc : api_in_id(req, o, "owner_id", &in->owner_id, &in->has_owner_id, f);
    rc = rc ? rc : api_in_time(req, o, "due_at", &in->due_at, &in->has_due_at, f);
    rc = rc ? rc : api_in_str(req, o, "due_local", 32, &in->due_local, &in->has_due_local, f);
    rc = rc ? rc
            : api_in_str(req, o, "time_zone", DESK_TZ_NAME_MAX, &in->time_zone, &in->has_time_zone,
                         f);
    rc = rc ? rc : api_in_str(req, o, "note", 0, &in->note, &in->has_note, f);
    rc = rc ? rc
            : api_in_enum(req, o, "state", desk_commitment_state_parse, &in->state, &in->has_state,
                          f);
    if (!rc && in->note && !desk_str_utf8_valid(in->note, strlen(in->note))) {
        rc = desk_fail(f, DESK_EINVALID, "note", "InvalidEncoding", "Note: is not valid UTF-8");
    }
    return rc;
}

static void send_one(struct desk_req *req, struct desk_resp *resp, int status,
                     const struct desk_commitment *cm)
{
    if (status == 201) {
        resp->location = api_url(req, "commitments/%lld.json", (long long)cm->id);
    }
    api_send(req, resp, status, json_pack("{s:o}", "commitment", commitment_json(req, cm)));
}

static void create(struct desk_req *req, struct desk_resp *resp, int64_t ticket_id)
{
    json_t *doc, *o;
    struct desk_commitment_input in;
    struct desk_commitment cm;
    struct desk_fail fail = {0};
    if (api_body(req, resp, "commitment", &doc, &o)) {
        return;
    }
    int rc = commitment_input(req, o, &in, &fail);
    json_decref(doc);
    if (!rc && ticket_id && in.has_ticket_id && in.ticket_id != ticket_id) {
        rc = desk_fail(&fail, DESK_EINVALID, "ticket_id", "InvalidValue",
                       "Ticket: differs from the ticket in the path");
    }
    if (!rc) {
        rc =
            desk_app_commitment_create(req->app, &req->who, req->arena, ticket_id, &in, &cm, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    send_one(req, resp, 201, &cm);
}

void desk_api_ticket_commitments_create(struct desk_req *req, struct desk_resp *resp)
{
    create(req, resp, req->ids[0]);
}

void desk_api_commitments_create(struct desk_req *req, struct desk_resp *resp)
{
    create(req, resp, 0);
}

/* Reads an id or time query parameter; renders a 400 naming it when malformed. */
static int param_id(struct desk_req *req, struct desk_resp *resp, const char *key, int64_t *out)
{
    const char *s = desk_api_param(req, key);
    int64_t v;
    if (!s || !*s) {
        return 0;
    }
    if (desk_str_to_i64(s, strlen(s), &v) || v <= 0) {
        struct desk_fail fail = {0};
        desk_fail(&fail, DESK_EINVAL, key, "InvalidValue",
                  desk_arena_printf(req->arena, "%s: must be an id", key));
        desk_api_error(req, resp, DESK_EINVAL, &fail);
        return -1;
    }
    *out = v;
    return 0;
}

static int param_time(struct desk_req *req, struct desk_resp *resp, const char *key, int64_t *out)
{
    const char *s = desk_api_param(req, key);
    if (!s || !*s) {
        return 0;
    }
    if (desk_time_parse(s, strlen(s), out) != 0) {
        struct desk_fail fail = {0};
        desk_fail(&fail, DESK_EINVAL, key, "InvalidValue",
                  desk_arena_printf(req->arena,
                                    "%s: must be an ISO 8601 time such as 2026-11-22T10:00:00Z",
                                    key));
        desk_api_error(req, resp, DESK_EINVAL, &fail);
        return -1;
    }
    return 0;
}

static void list(struct desk_req *req, struct desk_resp *resp, int64_t ticket_id)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_commitment *items;
    struct desk_commitment_filter f = {.ticket_id = ticket_id, .state = -1};
    const char *state = desk_api_param(req, "state");
    if (api_page(req, resp, &p) || param_id(req, resp, "owner_id", &f.owner_id) ||
        param_id(req, resp, "group_id", &f.group_id) ||
        (!ticket_id && param_id(req, resp, "ticket_id", &f.ticket_id)) ||
        param_time(req, resp, "due_before", &f.due_before) ||
        param_time(req, resp, "due_after", &f.due_after)) {
        return;
    }
    if (state && *state && desk_commitment_state_parse(state, &f.state) != 0) {
        struct desk_fail fail = {0};
        desk_fail(&fail, DESK_EINVAL, "state", "InvalidValue",
                  "state: must be open, done, missed or cancelled");
        desk_api_error(req, resp, DESK_EINVAL, &fail);
        return;
    }
    int rc = desk_app_commitment_list(req->app, &req->who, req->arena, &f, &p, &items, &out);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < out.n; i++) {
        json_array_append_new(arr, commitment_json(req, &items[i]));
    }
    api_send_list(req, resp, "commitments", arr, &p, &out, out.n ? items[0].id : 0,
                  out.n ? items[out.n - 1].id : 0);
}

void desk_api_ticket_commitments_list(struct desk_req *req, struct desk_resp *resp)
{
    list(req, resp, req->ids[0]);
}

void desk_api_commitments_list(struct desk_req *req, struct desk_resp *resp)
{
    list(req, resp, 0);
}

void desk_api_commitments_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_commitment cm;
    int rc = desk_app_commitment_get(req->app, &req->who, req->arena, req->ids[0], &cm);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    send_one(req, resp, 200, &cm);
}

void desk_api_commitments_update(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_commitment_input in;
    struct desk_commitment cm;
    struct desk_fail fail = {0};
    if (api_body(req, resp, "commitment", &doc, &o)) {
        return;
    }
    int rc = commitment_input(req, o, &in, &fail);
    json_decref(doc);
    if (!rc) {
        rc = desk_app_commitment_update(req->app, &req->who, req->arena, req->ids[0], &in, &cm,
                                        &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    send_one(req, resp, 200, &cm);
}

void desk_api_commitments_delete(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_commitment_input in = {.state = DESK_CMT_CANCELLED, .has_state = true};
    struct desk_commitment cm;
    struct desk_fail fail = {0};
    int rc =
        desk_app_commitment_update(req->app, &req->who, req->arena, req->ids[0], &in, &cm, &fail);
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    api_no_content(resp);
}

void api_commitments_ticket_ext(struct desk_req *req, const struct desk_ticket *t, json_t *o)
{
    struct desk_commitment_summary s;
    if (!desk_role_is_staff(req->who.role) ||
        desk_app_commitment_summary(req->app, &req->who, t->id, &s) != 0) {
        return;
    }
    json_t *next = json_null();
    if (s.next_id) {
        next = json_pack("{s:I,s:o,s:o}", "id", (json_int_t)s.next_id, "owner_id",
                         api_id(s.next_owner_id), "due_at", api_time(s.next_due_at));
    }
    json_object_set_new(o, "commitments",
                        json_pack("{s:I,s:I,s:I,s:I,s:o}", "open",
                                  (json_int_t)s.count[DESK_CMT_OPEN], "done",
                                  (json_int_t)s.count[DESK_CMT_DONE], "missed",
                                  (json_int_t)s.count[DESK_CMT_MISSED], "cancelled",
                                  (json_int_t)s.count[DESK_CMT_CANCELLED], "next", next));
}

/* ---- alerts ------------------------------------------------------------------ */

static json_t *alert_json(struct desk_req *req, const struct desk_alert *al)
{
    return json_pack("{s:I,s:s,s:s,s:o,s:o,s:o,s:o,s:s,s:o,s:o,s:b}", "id", (json_int_t)al->id,
                     "url", api_url(req, "alerts/%lld.json", (long long)al->id), "kind",
                     al->kind ? al->kind : "", "recipient_id", api_id(al->recipient_id),
                     "ticket_id", api_id(al->ticket_id), "commitment_id", api_id(al->commitment_id),
                     "about_user_id", api_id(al->about_user_id), "message",
                     al->message ? al->message : "", "created_at", api_time(al->created_at),
                     "read_at", api_time(al->read_at), "read", al->read_at != 0);
}

void desk_api_alerts_list(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_alert *items;
    const char *unread = desk_api_param(req, "unread");
    if (api_page(req, resp, &p)) {
        return;
    }
    if (unread && strcmp(unread, "true") != 0 && strcmp(unread, "false") != 0) {
        struct desk_fail fail = {0};
        desk_fail(&fail, DESK_EINVAL, "unread", "InvalidValue", "unread: must be true or false");
        desk_api_error(req, resp, DESK_EINVAL, &fail);
        return;
    }
    if (!desk_api_param(req, "sort_order") ||
        strcmp(desk_api_param(req, "sort_order"), "asc") != 0) {
        p.desc = true; /* newest first, as a notification list reads */
    }
    int rc = desk_app_alert_list(req->app, &req->who, req->arena, unread && !strcmp(unread, "true"),
                                 &p, &items, &out);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < out.n; i++) {
        json_array_append_new(arr, alert_json(req, &items[i]));
    }
    api_send_list(req, resp, "alerts", arr, &p, &out, out.n ? items[0].id : 0,
                  out.n ? items[out.n - 1].id : 0);
}

void desk_api_alerts_update(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_fail fail = {0};
    struct desk_alert al;
    bool read = true, has = false;
    if (api_body(req, resp, "alert", &doc, &o)) {
        return;
    }
    int rc = api_in_bool(req, o, "read", &read, &has, &fail);
    json_decref(doc);
    if (!rc && !has) {
        rc = desk_fail(&fail, DESK_EINVALID, "read", "BlankValue", "read: true or false is needed");
    }
    if (!rc) {
        rc = desk_app_alert_mark(req->app, &req->who, req->arena, req->ids[0], read, &al);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "alert", alert_json(req, &al)));
}
