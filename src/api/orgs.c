/*
 * /api/v2/organizations: list, show, show_many, create, update, delete,
 * search by external id or name, autocomplete.
 */
#include "api/api_int.h"

#include <string.h>

static int org_input(struct desk_req *req, json_t *o, struct desk_org_input *in,
                     struct desk_fail *f)
{
    int rc = 0;
    memset(in, 0, sizeof(*in));
    rc = rc ? rc : api_in_str(req, o, "name", 0, &in->name, &in->has_name, f);
    rc =
        rc ? rc : api_in_str(req, o, "external_id", 255, &in->external_id, &in->has_external_id, f);
    rc = rc ? rc : api_in_str(req, o, "details", 65536, &in->details, &in->has_details, f);
    rc = rc ? rc : api_in_str(req, o, "notes", 65536, &in->notes, &in->has_notes, f);
    rc = rc ? rc : api_in_id(req, o, "group_id", &in->group_id, &in->has_group_id, f);
    rc =
        rc ? rc
           : api_in_bool(req, o, "shared_tickets", &in->shared_tickets, &in->has_shared_tickets, f);
    rc = rc ? rc
            : api_in_bool(req, o, "shared_comments", &in->shared_comments, &in->has_shared_comments,
                          f);
    rc = rc ? rc : api_in_strv(req, o, "domain_names", &in->domain_names, &in->has_domain_names, f);
    rc = rc ? rc : api_in_strv(req, o, "tags", &in->tags, &in->has_tags, f);
    return rc;
}

static void send_org(struct desk_req *req, struct desk_resp *resp, int status,
                     const struct desk_org *o)
{
    if (status == 201) {
        resp->location = api_url(req, "organizations/%lld.json", (long long)o->id);
    }
    api_send(req, resp, status, json_pack("{s:o}", "organization", api_org_json(req, o)));
}

static void list_orgs(struct desk_req *req, struct desk_resp *resp, const int64_t *ids, size_t n)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_org *items;
    struct desk_conn *c;
    if (api_page(req, resp, &p)) {
        return;
    }
    int rc = desk_app_reader(req->app, &c);
    if (!rc) {
        rc = desk_store_org_list(c, req->arena, ids, n, &p, &items, &out);
    }
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < out.n; i++) {
        json_array_append_new(arr, api_org_json(req, &items[i]));
    }
    api_send_list(req, resp, "organizations", arr, &p, &out, out.n ? items[0].id : 0,
                  out.n ? items[out.n - 1].id : 0);
}

void desk_api_orgs_list(struct desk_req *req, struct desk_resp *resp)
{
    list_orgs(req, resp, NULL, 0);
}

void desk_api_orgs_show_many(struct desk_req *req, struct desk_resp *resp)
{
    int64_t *ids;
    size_t n;
    if (api_ids_param(req, resp, &ids, &n)) {
        return;
    }
    list_orgs(req, resp, ids, n);
}

void desk_api_orgs_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_org o;
    struct desk_conn *c;
    int rc = desk_app_reader(req->app, &c);
    if (!rc) {
        rc = desk_store_org_get(c, req->arena, req->ids[0], &o);
    }
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    send_org(req, resp, 200, &o);
}

void desk_api_orgs_create(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_org_input in;
    struct desk_fail fail = {0};
    struct desk_org org;
    if (api_body(req, resp, "organization", &doc, &o)) {
        return;
    }
    int rc = org_input(req, o, &in, &fail);
    json_decref(doc);
    if (!rc) {
        rc = desk_app_org_create(req->app, &req->who, req->arena, &in, &org, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    send_org(req, resp, 201, &org);
}

void desk_api_orgs_update(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_org_input in;
    struct desk_fail fail = {0};
    struct desk_org org;
    if (api_body(req, resp, "organization", &doc, &o)) {
        return;
    }
    int rc = org_input(req, o, &in, &fail);
    json_decref(doc);
    if (!rc) {
        rc = desk_app_org_update(req->app, &req->who, req->arena, req->ids[0], &in, &org, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    send_org(req, resp, 200, &org);
}

void desk_api_orgs_delete(struct desk_req *req, struct desk_resp *resp)
{
    int rc = desk_app_org_delete(req->app, &req->who, req->ids[0]);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_no_content(resp);
}

void desk_api_orgs_search(struct desk_req *req, struct desk_resp *resp)
{
    const char *ext = desk_api_param(req, "external_id");
    const char *name = desk_api_param(req, "name");
    struct desk_org o;
    struct desk_conn *c;
    json_t *arr = json_array();
    if (!ext && !name) {
        json_decref(arr);
        struct desk_fail fail = {0};
        desk_fail(&fail, DESK_EINVAL, "external_id", "BlankValue",
                  "give external_id or name to search organizations");
        desk_api_error(req, resp, DESK_EINVAL, &fail);
        return;
    }
    int rc = desk_app_reader(req->app, &c);
    if (!rc) {
        rc = desk_store_org_find(c, req->arena, ext ? NULL : name, ext, &o);
    }
    if (rc && rc != DESK_ENOTFOUND) {
        json_decref(arr);
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    if (!rc) {
        json_array_append_new(arr, api_org_json(req, &o));
    }
    api_send(req, resp, 200,
             json_pack("{s:o,s:n,s:n,s:I}", "organizations", arr, "next_page", "previous_page",
                       "count", (json_int_t)(rc ? 0 : 1)));
}
