/*
 * /api/v2/search and /api/v2/search/count: the query language over tickets,
 * users, organizations and groups. Offset pagination only, at most 1000
 * results reachable, as Zendesk does.
 */
#include "api/api_int.h"

#include <string.h>

#define SEARCH_MAX_RESULTS 1000

static int run(struct desk_req *req, struct desk_resp *resp, int64_t offset, int limit,
               struct desk_search_hit **hits, size_t *n, int64_t *total)
{
    const char *q = desk_api_param(req, "query");
    struct desk_fail fail = {0};
    if (!q) {
        desk_fail(&fail, DESK_EINVAL, "query", "BlankValue", "query: is required");
        desk_api_error(req, resp, DESK_EINVAL, &fail);
        return -1;
    }
    int rc = desk_app_search(req->app, &req->who, req->arena, q, strlen(q), offset, limit,
                             desk_api_param(req, "sort_by"), desk_api_param(req, "sort_order"),
                             hits, n, total, &fail);
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return -1;
    }
    return 0;
}

void desk_api_search(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_page p;
    struct desk_fail fail = {0};
    if (desk_api_param(req, "page[size]")) {
        /* Search is offset-paginated only, as Zendesk answers. */
        desk_fail(&fail, DESK_EINVAL, "page[size]", "InvalidAttribute",
                  "page[size]: cursor pagination is not supported for search; use page and "
                  "per_page");
        desk_api_error(req, resp, DESK_EINVAL, &fail);
        return;
    }
    if (api_page(req, resp, &p)) {
        return;
    }
    if (p.offset + p.limit > SEARCH_MAX_RESULTS) {
        desk_fail(&fail, DESK_EINVALID, "base", "InvalidValue",
                  "Search: at most 1000 results are reachable; narrow the query");
        desk_api_error(req, resp, DESK_EINVALID, &fail);
        return;
    }
    struct desk_search_hit *hits;
    size_t n;
    int64_t total;
    if (run(req, resp, p.offset, p.limit, &hits, &n, &total)) {
        return;
    }
    struct desk_conn *c;
    json_t *arr = json_array();
    int rc = desk_app_reader(req->app, &c);
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *o = NULL;
        const char *type = NULL;
        switch (hits[i].type) {
        case DESK_SQ_TICKET: {
            struct desk_ticket t;
            if (desk_store_ticket_get(c, req->arena, hits[i].id, &t) == 0) {
                o = api_ticket_json(req, &t);
                type = "ticket";
            }
            break;
        }
        case DESK_SQ_USER: {
            struct desk_user u;
            if (desk_store_user_get(c, req->arena, hits[i].id, &u) == 0) {
                o = api_user_json(req, &u);
                type = "user";
            }
            break;
        }
        case DESK_SQ_ORG: {
            struct desk_org g;
            if (desk_store_org_get(c, req->arena, hits[i].id, &g) == 0) {
                o = api_org_json(req, &g);
                type = "organization";
            }
            break;
        }
        case DESK_SQ_GROUP: {
            struct desk_group g;
            if (desk_store_group_get(c, req->arena, hits[i].id, &g) == 0) {
                o = api_group_json(req, &g);
                type = "group";
            }
            break;
        }
        default:
            break;
        }
        if (o) {
            json_object_set_new(o, "result_type", json_string(type));
            json_array_append_new(arr, o);
        }
    }
    if (rc) {
        json_decref(arr);
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    int64_t reachable = total < SEARCH_MAX_RESULTS ? total : SEARCH_MAX_RESULTS;
    struct desk_page_out out = {n, p.offset + (int64_t)n < reachable, total};
    json_t *root = json_object();
    json_object_set_new(root, "results", arr);
    json_object_set_new(root, "facets", json_null());
    api_page_links(req, root, &p, &out, 0, 0);
    api_send(req, resp, 200, root);
}

void desk_api_search_count(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_search_hit *hits;
    size_t n;
    int64_t total;
    if (run(req, resp, 0, 1, &hits, &n, &total)) {
        return;
    }
    api_send(req, resp, 200, json_pack("{s:I}", "count", (json_int_t)total));
}
