/*
 * /api/v2/users: me, list (with role filters), show, show_many, create,
 * create_or_update, update, delete (deactivation) and search.
 */
#include "api/api_int.h"
#include "core/str.h"

#include <string.h>

static int user_input(struct desk_req *req, json_t *o, struct desk_user_input *in,
                      struct desk_fail *f)
{
    int rc = 0;
    memset(in, 0, sizeof(*in));
    rc = rc ? rc : api_in_str(req, o, "name", 0, &in->name, &in->has_name, f);
    rc = rc ? rc : api_in_str(req, o, "email", 254, &in->email, &in->has_email, f);
    rc = rc ? rc : api_in_str(req, o, "locale", 35, &in->locale, &in->has_locale, f);
    rc = rc ? rc : api_in_str(req, o, "iana_time_zone", 64, &in->time_zone, &in->has_time_zone, f);
    rc = rc ? rc : api_in_str(req, o, "time_zone", 64, &in->time_zone, &in->has_time_zone, f);
    rc = rc ? rc
            : api_in_id(req, o, "organization_id", &in->organization_id, &in->has_organization_id,
                        f);
    rc = rc ? rc : api_in_str(req, o, "phone", 64, &in->phone, &in->has_phone, f);
    rc =
        rc ? rc : api_in_str(req, o, "external_id", 255, &in->external_id, &in->has_external_id, f);
    rc = rc ? rc : api_in_str(req, o, "alias", 255, &in->alias, &in->has_alias, f);
    rc = rc ? rc : api_in_str(req, o, "details", 65536, &in->details, &in->has_details, f);
    rc = rc ? rc : api_in_str(req, o, "notes", 65536, &in->notes, &in->has_notes, f);
    rc = rc ? rc : api_in_str(req, o, "signature", 65536, &in->signature, &in->has_signature, f);
    rc = rc ? rc : api_in_strv(req, o, "tags", &in->tags, &in->has_tags, f);
    rc = rc ? rc : api_in_bool(req, o, "verified", &in->verified, &in->has_verified, f);
    rc = rc ? rc : api_in_bool(req, o, "suspended", &in->suspended, &in->has_suspended, f);
    rc = rc ? rc
            : api_in_id(req, o, "default_group_id", &in->default_group_id,
                        &in->has_default_group_id, f);
    if (rc) {
        return rc;
    }
    /* desk_role (desk's own, with supervisor) wins over Zendesk's role. */
    bool has = false;
    rc = api_in_enum(req, o, "desk_role", desk_role_parse, &in->role, &has, f);
    if (!rc && !has) {
        rc = api_in_enum(req, o, "role", desk_role_parse, &in->role, &has, f);
    }
    in->has_role = has;
    return rc;
}

static void send_user(struct desk_req *req, struct desk_resp *resp, int status,
                      const struct desk_user *u)
{
    if (status == 201) {
        resp->location = api_url(req, "users/%lld.json", (long long)u->id);
    }
    api_send(req, resp, status, json_pack("{s:o}", "user", api_user_json(req, u)));
}

void desk_api_users_me(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_user u;
    int rc = desk_app_user_get(req->app, &req->who, req->arena, req->who.user_id, &u);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    send_user(req, resp, 200, &u);
}

void desk_api_users_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_user u;
    int rc = desk_app_user_get(req->app, &req->who, req->arena, req->ids[0], &u);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    send_user(req, resp, 200, &u);
}

static void list_users(struct desk_req *req, struct desk_resp *resp, struct desk_user_filter *f)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_user *items;
    struct desk_conn *c;
    if (api_page(req, resp, &p)) {
        return;
    }
    int rc = desk_app_reader(req->app, &c);
    if (!rc) {
        rc = desk_store_user_list(c, req->arena, f, &p, &items, &out);
    }
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < out.n; i++) {
        json_array_append_new(arr, api_user_json(req, &items[i]));
    }
    api_send_list(req, resp, "users", arr, &p, &out, out.n ? items[0].id : 0,
                  out.n ? items[out.n - 1].id : 0);
}

void desk_api_users_list(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_user_filter f = {.role = -1};
    if (api_parent_exists(req, resp)) {
        return;
    }
    const char *role = desk_api_param(req, "role");
    if (!role) {
        role = desk_api_param(req, "role[]");
    }
    if (role && desk_role_parse(role, &f.role) != 0) {
        struct desk_fail fail = {0};
        desk_fail(&fail, DESK_EINVAL, "role", "InvalidValue",
                  "role: must be end-user, agent, supervisor or admin");
        desk_api_error(req, resp, DESK_EINVAL, &fail);
        return;
    }
    if (strncmp(req->resource, "organizations/", 14) == 0) {
        f.organization_id = req->ids[0];
    } else if (strncmp(req->resource, "groups/", 7) == 0) {
        f.group_id = req->ids[0];
    }
    f.external_id = desk_api_param(req, "external_id");
    list_users(req, resp, &f);
}

void desk_api_users_show_many(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_user_filter f = {.role = -1};
    int64_t *ids;
    size_t n;
    if (api_ids_param(req, resp, &ids, &n)) {
        return;
    }
    f.ids = ids;
    f.n_ids = n;
    list_users(req, resp, &f);
}

void desk_api_users_create(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_user_input in;
    struct desk_fail fail = {0};
    struct desk_user u;
    if (api_body(req, resp, "user", &doc, &o)) {
        return;
    }
    int rc = user_input(req, o, &in, &fail);
    json_decref(doc);
    if (!rc) {
        rc = desk_app_user_create(req->app, &req->who, req->arena, &in, &u, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    send_user(req, resp, 201, &u);
}

void desk_api_users_create_or_update(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_user_input in;
    struct desk_fail fail = {0};
    struct desk_user u;
    bool created = false;
    if (api_body(req, resp, "user", &doc, &o)) {
        return;
    }
    int rc = user_input(req, o, &in, &fail);
    json_decref(doc);
    if (!rc) {
        rc = desk_app_user_upsert(req->app, &req->who, req->arena, &in, &u, &created, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    send_user(req, resp, created ? 201 : 200, &u);
}

void desk_api_users_update(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_user_input in;
    struct desk_fail fail = {0};
    struct desk_user u;
    if (api_body(req, resp, "user", &doc, &o)) {
        return;
    }
    int rc = user_input(req, o, &in, &fail);
    json_decref(doc);
    int64_t id = strcmp(req->resource, "users/me") == 0 ? req->who.user_id : req->ids[0];
    if (!rc) {
        rc = desk_app_user_update(req->app, &req->who, req->arena, id, &in, &u, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    send_user(req, resp, 200, &u);
}

void desk_api_users_delete(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_fail fail = {0};
    struct desk_user u;
    int rc = desk_app_user_delete(req->app, &req->who, req->arena, req->ids[0], &u, &fail);
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    send_user(req, resp, 200, &u);
}

void desk_api_users_search(struct desk_req *req, struct desk_resp *resp)
{
    const char *q = desk_api_param(req, "query");
    const char *ext = desk_api_param(req, "external_id");
    if (ext || !q) {
        struct desk_user_filter f = {.role = -1, .external_id = ext};
        if (!ext) {
            struct desk_fail fail = {0};
            desk_fail(&fail, DESK_EINVAL, "query", "BlankValue", "query: is required");
            desk_api_error(req, resp, DESK_EINVAL, &fail);
            return;
        }
        list_users(req, resp, &f);
        return;
    }
    struct desk_page p;
    if (api_page(req, resp, &p)) {
        return;
    }
    if (p.cursor) {
        p.cursor = false;
    }
    char *full = desk_arena_printf(req->arena, "type:user %s", q);
    struct desk_search_hit *hits;
    size_t n;
    int64_t total;
    struct desk_fail fail = {0};
    int rc = desk_app_search(req->app, &req->who, req->arena, full, strlen(full), p.offset, p.limit,
                             NULL, NULL, &hits, &n, &total, &fail);
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    struct desk_conn *c;
    json_t *arr = json_array();
    if (desk_app_reader(req->app, &c) == 0) {
        for (size_t i = 0; i < n; i++) {
            struct desk_user u;
            if (desk_store_user_get(c, req->arena, hits[i].id, &u) == 0) {
                json_array_append_new(arr, api_user_json(req, &u));
            }
        }
    }
    struct desk_page_out out = {n, p.offset + (int64_t)n < total, total};
    api_send_list(req, resp, "users", arr, &p, &out, 0, 0);
}
