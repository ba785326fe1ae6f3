/*
 * /api/v2/outbox (see outbox.h): one JSON object per outgoing message,
 * with its state, attempts and last error, so a failing relay shows.
 */
#include "api/outbox.h"
#include "api/api_int.h"
#include "app/outbox.h"
#include "core/str.h"

#include <string.h>

static json_t *outbox_json(struct desk_req *req, const struct desk_outbox_msg *m, bool with_raw)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(m->id));
    json_object_set_new(o, "url", json_string(api_url(req, "outbox/%lld.json", (long long)m->id)));
    json_object_set_new(o, "kind", api_str(m->kind));
    json_object_set_new(o, "ticket_id", api_id(m->ticket_id));
    json_object_set_new(o, "comment_id", api_id(m->comment_id));
    json_object_set_new(o, "recipient_id", api_id(m->user_id));
    json_object_set_new(o, "to", api_str(m->to_addr));
    json_object_set_new(o, "to_name", api_str(m->to_name));
    json_object_set_new(o, "language", api_str(m->language));
    json_object_set_new(o, "subject", api_str(m->subject));
    json_object_set_new(o, "message_id", api_str(m->message_id));
    json_object_set_new(o, "state", json_string(desk_outbox_state_name(m->state)));
    json_object_set_new(o, "attempts", json_integer(m->attempts));
    json_object_set_new(o, "next_attempt_at",
                        m->state == DESK_OUTBOX_QUEUED ? api_time(m->next_attempt_at)
                                                       : json_null());
    json_object_set_new(o, "last_error", api_str(m->last_error));
    json_object_set_new(o, "created_at", api_time(m->created_at));
    json_object_set_new(o, "updated_at", api_time(m->updated_at));
    json_object_set_new(o, "sent_at", api_time(m->sent_at));
    if (with_raw) {
        /* The raw message is 7-bit (encoded by GMime), so it is valid JSON text as is. */
        bool text = m->raw && desk_str_utf8_valid(m->raw, m->raw_len);
        json_object_set_new(o, "raw", text ? json_stringn(m->raw, m->raw_len) : json_null());
    }
    return o;
}

void desk_api_outbox_list(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_outbox_msg *items;
    struct desk_outbox_filter f = {.state = -1};
    struct desk_fail fail = {0};
    if (api_page(req, resp, &p)) {
        return;
    }
    const char *state = desk_api_param(req, "state");
    const char *ticket = desk_api_param(req, "ticket_id");
    const char *order = desk_api_param(req, "sort_order");
    int rc = 0;
    if (state && desk_outbox_state_parse(state, &f.state) != 0) {
        rc = desk_fail(&fail, DESK_EINVAL, "state", "InvalidValue",
                       "state: must be queued, sent or failed");
    } else if (ticket &&
               (desk_str_to_i64(ticket, strlen(ticket), &f.ticket_id) != 0 || f.ticket_id <= 0)) {
        rc = desk_fail(&fail, DESK_EINVAL, "ticket_id", "InvalidValue",
                       "ticket_id: must be a ticket id");
    } else if (order && strcmp(order, "asc") != 0 && strcmp(order, "desc") != 0) {
        rc = desk_fail(&fail, DESK_EINVAL, "sort_order", "InvalidValue",
                       "sort_order: must be asc or desc");
    }
    p.desc = order && strcmp(order, "desc") == 0;
    if (!rc) {
        rc = desk_app_outbox_list(req->app, &req->who, req->arena, &f, &p, &items, &out);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < out.n; i++) {
        json_array_append_new(arr, outbox_json(req, &items[i], false));
    }
    api_send_list(req, resp, "outbox", arr, &p, &out, out.n ? items[0].id : 0,
                  out.n ? items[out.n - 1].id : 0);
}

void desk_api_outbox_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_outbox_msg m;
    int rc = desk_app_outbox_get(req->app, &req->who, req->arena, req->ids[0], &m);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "message", outbox_json(req, &m, true)));
}

void desk_api_outbox_retry(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_outbox_msg m;
    struct desk_fail fail = {0};
    int rc = desk_app_outbox_retry(req->app, &req->who, req->arena, req->ids[0], &m, &fail);
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "message", outbox_json(req, &m, false)));
}
