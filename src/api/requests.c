/*
 * /api/v2/requests: the customer's view of their tickets. Private notes
 * never appear here, whoever asks; comments side-load their authors.
 */
#include "api/api_int.h"

#include <string.h>

static void send_request(struct desk_req *req, struct desk_resp *resp, int status,
                         const struct desk_ticket *t)
{
    if (status == 201) {
        resp->location = api_url(req, "requests/%lld.json", (long long)t->id);
    }
    api_send(req, resp, status, json_pack("{s:o}", "request", api_request_json(req, t)));
}

void desk_api_requests_list(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_ticket_filter f = {0};
    const char *kind = strrchr(req->resource, '/');
    const char *status = desk_api_param(req, "status");
    /* End users see their own (and shared-organization) requests through the
     * ticket scope; staff see the requests they made themselves, as in Zendesk. */
    if (desk_role_is_staff(req->who.role)) {
        f.requester_id = req->who.user_id;
    }
    if (kind && strcmp(kind, "/ccd") == 0) {
        f.requester_id = 0;
        f.collaborator_id = req->who.user_id;
    } else if (kind && strcmp(kind, "/solved") == 0) {
        f.status_eq = DESK_STATUS_SOLVED + 1;
    } else if (kind && strcmp(kind, "/open") == 0) {
        f.status_max = DESK_STATUS_SOLVED;
    }
    if (status) {
        int s;
        if (desk_status_parse(status, &s) != 0) {
            struct desk_fail fail = {0};
            desk_fail(&fail, DESK_EINVAL, "status", "InvalidValue",
                      "status: must be new, open, pending, hold, solved or closed");
            desk_api_error(req, resp, DESK_EINVAL, &fail);
            return;
        }
        f.status_eq = s + 1;
    }
    api_ticket_list(req, resp, &f, true);
}

void desk_api_requests_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_ticket t;
    int rc = desk_app_ticket_get(req->app, &req->who, req->arena, req->ids[0], &t);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    send_request(req, resp, 200, &t);
}

void desk_api_requests_create(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_ticket_input in;
    struct desk_fail fail = {0};
    struct desk_ticket t;
    struct desk_audit au;
    if (api_body(req, resp, "request", &doc, &o)) {
        return;
    }
    int rc = api_ticket_input(req, o, &in, &fail);
    json_decref(doc);
    if (!rc) {
        in.comment_public = true;
        rc = desk_app_ticket_create(req->app, &req->who, req->arena, &in, &t, &au, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    send_request(req, resp, 201, &t);
}

void desk_api_requests_update(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_ticket_input in;
    struct desk_fail fail = {0};
    struct desk_ticket t;
    struct desk_audit au;
    bool solved = false, has_solved = false;
    if (api_body(req, resp, "request", &doc, &o)) {
        return;
    }
    int rc = api_ticket_input(req, o, &in, &fail);
    if (!rc) {
        rc = api_in_bool(req, o, "solved", &solved, &has_solved, &fail);
    }
    json_decref(doc);
    if (!rc) {
        /* The request view only carries a comment and "solved"; other fields are not the
         * customer's to change and are dropped, as Zendesk does. */
        struct desk_ticket_input only = {0};
        only.comment_body = in.comment_body;
        only.comment_public = true;
        only.comment_uploads = in.comment_uploads;
        if (has_solved && solved) {
            only.status = DESK_STATUS_SOLVED;
            only.has_status = true;
        }
        rc = desk_app_ticket_update(req->app, &req->who, req->arena, req->ids[0], &only, &t, &au,
                                    &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    send_request(req, resp, 200, &t);
}

void desk_api_requests_comments(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_comment *items;
    struct desk_ticket t;
    struct desk_conn *c;
    if (api_page(req, resp, &p)) {
        return;
    }
    int rc = desk_app_ticket_get(req->app, &req->who, req->arena, req->ids[0], &t);
    if (!rc) {
        rc = desk_app_reader(req->app, &c);
    }
    if (!rc) {
        rc = desk_store_comment_list(c, req->arena, t.id, true, &p, &items, &out);
    }
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array(), *users = json_array();
    for (size_t i = 0; i < out.n; i++) {
        json_t *cm = api_comment_json(req, &items[i]);
        json_object_set_new(cm, "request_id", json_integer(t.id));
        json_array_append_new(arr, cm);
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++) {
            seen = items[k].author_id == items[i].author_id;
        }
        struct desk_user u;
        if (!seen && desk_store_user_get(c, req->arena, items[i].author_id, &u) == 0) {
            /* Side-loaded authors: only what a customer may know about a person. */
            json_array_append_new(
                users, json_pack("{s:I,s:s,s:b,s:o,s:o}", "id", (json_int_t)u.id, "name", u.name,
                                 "agent", desk_role_is_staff(u.role), "organization_id",
                                 api_id(u.organization_id), "photo", json_null()));
        }
    }
    json_t *root = json_object();
    json_object_set_new(root, "comments", arr);
    json_object_set_new(root, "users", users);
    api_page_links(req, root, &p, &out, out.n ? items[0].id : 0, out.n ? items[out.n - 1].id : 0);
    api_send(req, resp, 200, root);
}
