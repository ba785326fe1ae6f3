/*
 * /api/v2/live: the supervisor wall's data. GET /live is a Server-Sent
 * Events stream (its first event is the snapshot, then one "ticket" event
 * per committed change, see live/bus.c); GET /live/queues is the same
 * snapshot as plain JSON. Both read only maintained counters.
 */
#include "api/api_int.h"
#include "api/console.h"
#include "app/live_events.h"
#include "core/time.h"

#include <stdlib.h>
#include <string.h>

static json_t *snapshot_json(struct desk_req *req, int *rc)
{
    struct desk_live_count *q;
    struct desk_live_load *l;
    size_t nq, nl;
    *rc = desk_app_live_snapshot(req->app, &req->who, req->arena, &q, &nq, &l, &nl);
    if (*rc) {
        return NULL;
    }
    json_t *queues = json_array(), *loads = json_array();
    for (size_t i = 0; i < nq; i++) {
        json_array_append_new(
            queues, json_pack("{s:s,s:s,s:I,s:I,s:o}", "dim", q[i].dim, "key", q[i].key, "waiting",
                              (json_int_t)q[i].waiting, "open", (json_int_t)q[i].open, "oldest_ms",
                              q[i].oldest_at ? json_integer(q[i].oldest_at) : json_null()));
    }
    for (size_t i = 0; i < nl; i++) {
        json_array_append_new(
            loads, json_pack("{s:I,s:I,s:I}", "assignee_id", (json_int_t)l[i].assignee_id, "open",
                             (json_int_t)l[i].open, "pending", (json_int_t)l[i].pending));
    }
    struct desk_live_attention at;
    if ((*rc = desk_app_live_attention(req->app, &req->who, &at)) != 0) {
        json_decref(queues);
        json_decref(loads);
        return NULL;
    }
    json_t *attention = json_pack(
        "{s:I,s:I,s:I,s:I,s:I,s:I}", "sla_at_risk", (json_int_t)at.sla_at_risk, "sla_breached",
        (json_int_t)at.sla_breached, "escalations", (json_int_t)at.escalations, "approvals",
        (json_int_t)at.approvals, "drafts", (json_int_t)at.drafts, "irate", (json_int_t)at.irate);
    return json_pack("{s:o,s:o,s:o,s:I}", "queues", queues, "loads", loads, "attention", attention,
                     "now_ms", (json_int_t)desk_time_now_ms());
}

void desk_api_live_queues(struct desk_req *req, struct desk_resp *resp)
{
    int rc;
    json_t *o = snapshot_json(req, &rc);
    if (!o) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "live", o));
}

void desk_api_live_stream(struct desk_req *req, struct desk_resp *resp)
{
    int rc;
    json_t *o = snapshot_json(req, &rc);
    if (!o) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!text) {
        desk_api_error(req, resp, DESK_EINTERNAL, NULL);
        return;
    }
    /* retry: how long a browser waits before reconnecting after the stream ends. */
    const char *body =
        desk_arena_printf(req->arena, "retry: 2000\nevent: snapshot\ndata: %s\n\n", text);
    free(text);
    resp->status = 200;
    resp->body = body;
    resp->body_len = strlen(body);
    resp->content_type = "text/event-stream";
    resp->stream_user_id = req->who.user_id;
}

void desk_api_live_viewing(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_fail fail = {0};
    bool typing = false, has = false;
    if (req->body_len) {
        json_t *doc, *o;
        if (api_body(req, resp, "viewing", &doc, &o)) {
            return;
        }
        int rc = api_in_bool(req, o, "typing", &typing, &has, &fail);
        json_decref(doc);
        if (rc) {
            desk_api_error(req, resp, rc, &fail);
            return;
        }
    }
    int rc = desk_app_live_viewing(req->app, &req->who, req->arena, req->ids[0], typing);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_send(req, resp, 200,
             json_pack("{s:{s:I,s:I,s:b}}", "viewing", "ticket_id", (json_int_t)req->ids[0],
                       "user_id", (json_int_t)req->who.user_id, "typing", typing));
}
