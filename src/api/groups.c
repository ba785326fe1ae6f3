/*
 * /api/v2/groups and /api/v2/group_memberships (also under users/{id} and
 * groups/{id}): the queues agents work in and who belongs to them.
 */
#include "api/api_int.h"

#include <string.h>

static int group_input(struct desk_req *req, json_t *o, struct desk_group_input *in,
                       struct desk_fail *f)
{
    int rc = 0;
    memset(in, 0, sizeof(*in));
    rc = rc ? rc : api_in_str(req, o, "name", 0, &in->name, &in->has_name, f);
    rc = rc ? rc
            : api_in_str(req, o, "description", 65536, &in->description, &in->has_description, f);
    rc = rc ? rc : api_in_bool(req, o, "is_public", &in->is_public, &in->has_is_public, f);
    return rc;
}

static void send_group(struct desk_req *req, struct desk_resp *resp, int status,
                       const struct desk_group *g)
{
    if (status == 201) {
        resp->location = api_url(req, "groups/%lld.json", (long long)g->id);
    }
    api_send(req, resp, status, json_pack("{s:o}", "group", api_group_json(req, g)));
}

void desk_api_groups_list(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_group *items;
    struct desk_conn *c;
    if (api_page(req, resp, &p)) {
        return;
    }
    int64_t user = strncmp(req->resource, "users/", 6) == 0 ? req->ids[0] : 0;
    if (api_parent_exists(req, resp)) {
        return;
    }
    int rc = desk_app_reader(req->app, &c);
    if (!rc) {
        rc = desk_store_group_list(c, req->arena, user, &p, &items, &out);
    }
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < out.n; i++) {
        json_array_append_new(arr, api_group_json(req, &items[i]));
    }
    api_send_list(req, resp, "groups", arr, &p, &out, out.n ? items[0].id : 0,
                  out.n ? items[out.n - 1].id : 0);
}

void desk_api_groups_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_group g;
    struct desk_conn *c;
    int rc = desk_app_reader(req->app, &c);
    if (!rc) {
        rc = desk_store_group_get(c, req->arena, req->ids[0], &g);
    }
    if (!rc && g.deleted) {
        rc = DESK_ENOTFOUND;
    }
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    send_group(req, resp, 200, &g);
}

void desk_api_groups_create(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_group_input in;
    struct desk_fail fail = {0};
    struct desk_group g;
    if (api_body(req, resp, "group", &doc, &o)) {
        return;
    }
    int rc = group_input(req, o, &in, &fail);
    json_decref(doc);
    if (!rc) {
        rc = desk_app_group_create(req->app, &req->who, req->arena, &in, &g, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    send_group(req, resp, 201, &g);
}

void desk_api_groups_update(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_group_input in;
    struct desk_fail fail = {0};
    struct desk_group g;
    if (api_body(req, resp, "group", &doc, &o)) {
        return;
    }
    int rc = group_input(req, o, &in, &fail);
    json_decref(doc);
    if (!rc) {
        rc = desk_app_group_update(req->app, &req->who, req->arena, req->ids[0], &in, &g, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    send_group(req, resp, 200, &g);
}

void desk_api_groups_delete(struct desk_req *req, struct desk_resp *resp)
{
    int rc = desk_app_group_delete(req->app, &req->who, req->ids[0]);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_no_content(resp);
}

void desk_api_memberships_list(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_membership *items;
    struct desk_conn *c;
    if (api_page(req, resp, &p)) {
        return;
    }
    int64_t user = strncmp(req->resource, "users/", 6) == 0 ? req->ids[0] : 0;
    int64_t group = strncmp(req->resource, "groups/", 7) == 0 ? req->ids[0] : 0;
    if (api_parent_exists(req, resp)) {
        return;
    }
    int rc = desk_app_reader(req->app, &c);
    if (!rc) {
        rc = desk_store_membership_list(c, req->arena, user, group, &p, &items, &out);
    }
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < out.n; i++) {
        json_array_append_new(arr, api_membership_json(req, &items[i]));
    }
    api_send_list(req, resp, "group_memberships", arr, &p, &out, out.n ? items[0].id : 0,
                  out.n ? items[out.n - 1].id : 0);
}

void desk_api_memberships_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_membership m;
    struct desk_conn *c;
    int rc = desk_app_reader(req->app, &c);
    if (!rc) {
        rc = desk_store_membership_get(c, req->ids[req->n_ids - 1], &m);
    }
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "group_membership", api_membership_json(req, &m)));
}

void desk_api_memberships_create(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_fail fail = {0};
    struct desk_membership m;
    int64_t user_id = 0, group_id = 0;
    bool is_default = false, has_user = false, has_group = false;
    if (api_body(req, resp, "group_membership", &doc, &o)) {
        return;
    }
    int rc = api_in_id(req, o, "user_id", &user_id, &has_user, &fail);
    rc = rc ? rc : api_in_id(req, o, "group_id", &group_id, &has_group, &fail);
    rc = rc ? rc : api_in_bool(req, o, "default", &is_default, NULL, &fail);
    json_decref(doc);
    if (!rc && strncmp(req->resource, "users/", 6) == 0) {
        user_id = req->ids[0];
    }
    if (!rc && !user_id) {
        rc = desk_fail(&fail, DESK_EINVALID, "user_id", "BlankValue", "user_id: is required");
    }
    if (!rc && !group_id) {
        rc = desk_fail(&fail, DESK_EINVALID, "group_id", "BlankValue", "group_id: is required");
    }
    if (!rc) {
        rc = desk_app_membership_create(req->app, &req->who, user_id, group_id, is_default, &m,
                                        &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    resp->location = api_url(req, "group_memberships/%lld.json", (long long)m.id);
    api_send(req, resp, 201, json_pack("{s:o}", "group_membership", api_membership_json(req, &m)));
}

void desk_api_memberships_delete(struct desk_req *req, struct desk_resp *resp)
{
    int rc = desk_app_membership_delete(req->app, &req->who, req->ids[req->n_ids - 1]);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_no_content(resp);
}

void desk_api_memberships_make_default(struct desk_req *req, struct desk_resp *resp)
{
    int rc = desk_app_membership_make_default(req->app, &req->who, req->ids[0], req->ids[1]);
    if (!rc) {
        desk_api_memberships_list(req, resp);
        return;
    }
    desk_api_error(req, resp, rc, NULL);
}
