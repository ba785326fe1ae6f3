/*
 * /api/v2/drafts: trainees' held replies for their reviewers — list
 * (?state=pending&ticket_id=), show, approve (optionally edited), return
 * with a comment.
 */
#include "api/api_int.h"
#include "api/team.h"
#include "core/str.h"

#include <string.h>

static json_t *draft_json(struct desk_req *req, const struct desk_draft *d)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(d->id));
    json_object_set_new(o, "url", json_string(api_url(req, "drafts/%lld.json", (long long)d->id)));
    json_object_set_new(o, "ticket_id", json_integer(d->ticket_id));
    json_object_set_new(o, "author_id", json_integer(d->author_id));
    json_object_set_new(o, "body", api_str(d->body));
    json_object_set_new(o, "status",
                        d->status >= 0 ? api_str(desk_status_name(d->status)) : json_null());
    json_object_set_new(o, "state", api_str(d->state));
    json_object_set_new(o, "sent_body", api_str(d->sent_body));
    json_object_set_new(o, "reviewer_id", api_id(d->reviewer_id));
    json_object_set_new(o, "review_comment", api_str(d->review_comment));
    json_object_set_new(o, "comment_id", api_id(d->comment_id));
    json_object_set_new(o, "created_at", api_time(d->created_at));
    json_object_set_new(o, "reviewed_at", api_time(d->reviewed_at));
    return o;
}

static void send_draft(struct desk_req *req, struct desk_resp *resp, int rc,
                       const struct desk_draft *d, const struct desk_fail *fail)
{
    if (rc == DESK_ECONFLICT) {
        struct desk_fail f = {0};
        desk_fail(&f, rc, "state", "InvalidValue", "Draft: is no longer pending");
        desk_api_error(req, resp, rc, &f);
        return;
    }
    if (rc) {
        desk_api_error(req, resp, rc, fail);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "draft", draft_json(req, d)));
}

void desk_api_drafts_list(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_draft *items;
    const char *state = desk_api_param(req, "state"), *ticket = desk_api_param(req, "ticket_id");
    int64_t ticket_id = 0;
    struct desk_fail fail = {0};
    if (api_page(req, resp, &p)) {
        return;
    }
    if (state && strcmp(state, "pending") != 0 && strcmp(state, "approved") != 0 &&
        strcmp(state, "returned") != 0) {
        desk_fail(&fail, DESK_EINVAL, "state", "InvalidValue",
                  "state: must be pending, approved or returned");
    } else if (ticket &&
               (desk_str_to_i64(ticket, strlen(ticket), &ticket_id) != 0 || ticket_id <= 0)) {
        desk_fail(&fail, DESK_EINVAL, "ticket_id", "InvalidValue", "ticket_id: must be an id");
    }
    if (fail.n) {
        desk_api_error(req, resp, DESK_EINVAL, &fail);
        return;
    }
    int rc =
        desk_app_draft_list(req->app, &req->who, req->arena, state, ticket_id, &p, &items, &out);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < out.n; i++) {
        json_array_append_new(arr, draft_json(req, &items[i]));
    }
    api_send_list(req, resp, "drafts", arr, &p, &out, out.n ? items[0].id : 0,
                  out.n ? items[out.n - 1].id : 0);
}

void desk_api_drafts_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_draft d;
    int rc = desk_app_draft_get(req->app, &req->who, req->arena, req->ids[0], &d);
    send_draft(req, resp, rc, &d, NULL);
}

/* Reads an optional {"draft": {key: "..."}} body. */
static int draft_text(struct desk_req *req, struct desk_resp *resp, const char *key,
                      const char **out, struct desk_fail *fail)
{
    json_t *doc, *o;
    *out = NULL;
    if (!req->body_len) {
        return 0;
    }
    if (api_body(req, resp, "draft", &doc, &o)) {
        return -1;
    }
    int rc = api_in_str(req, o, key, 0, out, NULL, fail);
    json_decref(doc);
    if (rc) {
        desk_api_error(req, resp, rc, fail);
        return -1;
    }
    return 0;
}

void desk_api_drafts_approve(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_fail fail = {0};
    struct desk_draft d;
    const char *body;
    if (draft_text(req, resp, "body", &body, &fail)) {
        return;
    }
    int rc = desk_app_draft_approve(req->app, &req->who, req->arena, req->ids[0], body, &d, &fail);
    send_draft(req, resp, rc, &d, &fail);
}

void desk_api_drafts_return(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_fail fail = {0};
    struct desk_draft d;
    const char *comment;
    if (draft_text(req, resp, "comment", &comment, &fail)) {
        return;
    }
    int rc =
        desk_app_draft_return(req->app, &req->who, req->arena, req->ids[0], comment, &d, &fail);
    send_draft(req, resp, rc, &d, &fail);
}
