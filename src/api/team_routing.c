/*
 * Skills in Zendesk's skill-based routing shapes (/api/v2/routing/
 * attributes, their values, agent and ticket instance values; ids are
 * strings on the wire as Zendesk sends them), desk's routing settings per
 * group, a ticket's routing decisions, and the "routing" field that staff
 * see on every ticket.
 */
#include "api/api_int.h"
#include "api/team.h"
#include "core/str.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static json_t *sid(int64_t id)
{
    char s[24];
    snprintf(s, sizeof(s), "%lld", (long long)id);
    return json_string(s);
}

static json_t *attr_json(struct desk_req *req, const struct desk_attr *x, bool value)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", sid(x->id));
    json_object_set_new(o, "name", api_str(x->name));
    if (value) {
        json_object_set_new(o, "attribute_id", sid(x->attribute_id));
        json_object_set_new(o, "url",
                            json_string(api_url(req, "routing/attributes/%lld/values/%lld.json",
                                                (long long)x->attribute_id, (long long)x->id)));
    } else {
        json_object_set_new(
            o, "url", json_string(api_url(req, "routing/attributes/%lld.json", (long long)x->id)));
    }
    json_object_set_new(o, "created_at", api_time(x->created_at));
    json_object_set_new(o, "updated_at", api_time(x->updated_at));
    return o;
}

static void send_attrs(struct desk_req *req, struct desk_resp *resp, const char *key,
                       const struct desk_attr *items, size_t n, bool value, bool counted)
{
    json_t *arr = json_array(), *root = json_object();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(arr, attr_json(req, &items[i], value));
    }
    json_object_set_new(root, key, arr);
    if (counted) {
        json_object_set_new(root, "next_page", json_null());
        json_object_set_new(root, "previous_page", json_null());
        json_object_set_new(root, "count", json_integer((json_int_t)n));
    }
    api_send(req, resp, 200, root);
}

static void send_one(struct desk_req *req, struct desk_resp *resp, int status, int rc,
                     const struct desk_attr *x, bool value, const struct desk_fail *fail)
{
    if (rc) {
        desk_api_error(req, resp, rc, fail);
        return;
    }
    if (status == 201) {
        resp->location = value ? api_url(req, "routing/attributes/%lld/values/%lld.json",
                                         (long long)x->attribute_id, (long long)x->id)
                               : api_url(req, "routing/attributes/%lld.json", (long long)x->id);
    }
    api_send(req, resp, status,
             json_pack("{s:o}", value ? "attribute_value" : "attribute", attr_json(req, x, value)));
}

/* ---- attributes and values --------------------------------------------------- */

void desk_api_routing_attributes(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_attr *items;
    size_t n;
    int rc = desk_app_skill_list(req->app, &req->who, req->arena, 0, &items, &n);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    send_attrs(req, resp, "attributes", items, n, false, true);
}

static void put_attr(struct desk_req *req, struct desk_resp *resp, bool value, int64_t attr,
                     int64_t id, int status)
{
    json_t *doc, *o;
    struct desk_fail fail = {0};
    struct desk_attr x;
    const char *name = NULL;
    if (api_body(req, resp, value ? "attribute_value" : "attribute", &doc, &o)) {
        return;
    }
    int rc = api_in_str(req, o, "name", 0, &name, NULL, &fail);
    json_decref(doc);
    if (!rc) {
        rc = desk_app_skill_put(req->app, &req->who, req->arena, value, attr, id, name, &x, &fail);
    }
    send_one(req, resp, status, rc, &x, value, &fail);
}

void desk_api_routing_attribute_create(struct desk_req *req, struct desk_resp *resp)
{
    put_attr(req, resp, false, 0, 0, 201);
}

void desk_api_routing_attribute_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_attr x;
    int rc = desk_app_skill_get(req->app, &req->who, req->arena, false, 0, req->ids[0], &x);
    send_one(req, resp, 200, rc, &x, false, NULL);
}

void desk_api_routing_attribute_update(struct desk_req *req, struct desk_resp *resp)
{
    put_attr(req, resp, false, 0, req->ids[0], 200);
}

void desk_api_routing_attribute_delete(struct desk_req *req, struct desk_resp *resp)
{
    int rc = desk_app_skill_delete(req->app, &req->who, false, 0, req->ids[0]);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_no_content(resp);
}

void desk_api_routing_values(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_attr *items;
    size_t n;
    int rc = desk_app_skill_list(req->app, &req->who, req->arena, req->ids[0], &items, &n);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    send_attrs(req, resp, "attribute_values", items, n, true, false);
}

void desk_api_routing_value_create(struct desk_req *req, struct desk_resp *resp)
{
    put_attr(req, resp, true, req->ids[0], 0, 201);
}

void desk_api_routing_value_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_attr x;
    int rc =
        desk_app_skill_get(req->app, &req->who, req->arena, true, req->ids[0], req->ids[1], &x);
    send_one(req, resp, 200, rc, &x, true, NULL);
}

void desk_api_routing_value_update(struct desk_req *req, struct desk_resp *resp)
{
    put_attr(req, resp, true, req->ids[0], req->ids[1], 200);
}

void desk_api_routing_value_delete(struct desk_req *req, struct desk_resp *resp)
{
    int rc = desk_app_skill_delete(req->app, &req->who, true, req->ids[0], req->ids[1]);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_no_content(resp);
}

/* ---- instance values ------------------------------------------------------------ */

static void send_values(struct desk_req *req, struct desk_resp *resp, int rc,
                        const struct desk_attr *items, size_t n, const struct desk_fail *fail)
{
    if (rc) {
        desk_api_error(req, resp, rc, fail);
        return;
    }
    send_attrs(req, resp, "attribute_values", items, n, true, false);
}

void desk_api_routing_agent_values(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_attr *items = NULL;
    size_t n = 0;
    int rc = desk_app_skill_agent(req->app, &req->who, req->arena, req->ids[0], &items, &n);
    send_values(req, resp, rc, items, n, NULL);
}

/*
 * Reads Zendesk's body for setting instance values, {"attribute_value_ids":
 * ["1", "2"]} (numbers accepted too). Renders the error and returns -1 on
 * anything else.
 */
static int read_ids(struct desk_req *req, struct desk_resp *resp, int64_t **ids, size_t *n)
{
    struct desk_fail fail = {0};
    json_error_t err;
    json_t *d = req->body_len && desk_str_utf8_valid(req->body, req->body_len)
                    ? json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &err)
                    : NULL;
    json_t *v = d && json_is_object(d) ? json_object_get(d, "attribute_value_ids") : NULL;
    int code = DESK_EINVALID;
    if (!d || !json_is_object(d)) {
        code = DESK_EJSON;
        desk_fail(&fail, code, "body", "InvalidJSON",
                  "the body must be {\"attribute_value_ids\": [ids]}");
    } else if (!json_is_array(v) || json_array_size(v) > 100) {
        desk_fail(&fail, code, "attribute_value_ids", "InvalidType",
                  "attribute_value_ids: must be an array of at most 100 skill ids");
    } else {
        *n = json_array_size(v);
        *ids = desk_arena_alloc(req->arena, (*n + 1) * sizeof(int64_t));
        for (size_t i = 0; i < *n && !fail.n; i++) {
            json_t *x = json_array_get(v, i);
            int64_t id = 0;
            if (json_is_integer(x)) {
                id = json_integer_value(x);
            } else if (json_is_string(x) &&
                       desk_str_to_i64(json_string_value(x), json_string_length(x), &id) != 0) {
                id = 0;
            }
            if (id <= 0) {
                desk_fail(&fail, code, "attribute_value_ids", "InvalidType",
                          "attribute_value_ids: must be an array of skill ids");
            }
            (*ids)[i] = id;
        }
    }
    json_decref(d);
    if (fail.n) {
        desk_api_error(req, resp, code, &fail);
        return -1;
    }
    return 0;
}

void desk_api_routing_agent_values_set(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_attr *items = NULL;
    size_t n = 0, n_ids = 0;
    int64_t *ids = NULL;
    struct desk_fail fail = {0};
    if (read_ids(req, resp, &ids, &n_ids)) {
        return;
    }
    int rc = desk_app_skill_set_agent(req->app, &req->who, req->arena, req->ids[0], ids, n_ids,
                                      &items, &n, &fail);
    send_values(req, resp, rc, items, n, &fail);
}

void desk_api_routing_ticket_values(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_attr *items = NULL;
    size_t n = 0;
    int rc = desk_app_skill_ticket(req->app, &req->who, req->arena, req->ids[0], &items, &n);
    send_values(req, resp, rc, items, n, NULL);
}

void desk_api_routing_ticket_values_set(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_attr *items = NULL;
    size_t n = 0, n_ids = 0;
    int64_t *ids = NULL;
    struct desk_fail fail = {0};
    if (read_ids(req, resp, &ids, &n_ids)) {
        return;
    }
    int rc = desk_app_skill_set_ticket(req->app, &req->who, req->arena, req->ids[0], ids, n_ids,
                                       &items, &n, &fail);
    send_values(req, resp, rc, items, n, &fail);
}

/* ---- routing settings and decisions --------------------------------------------- */

static json_t *settings_json(const struct desk_route_group *g)
{
    return json_pack("{s:I,s:b,s:o,s:o}", "group_id", (json_int_t)g->group_id, "paused", g->paused,
                     "language_fallback_minutes",
                     g->fallback_seconds < 0 ? json_null()
                                             : json_real((double)g->fallback_seconds / 60.0),
                     "updated_at", api_time(g->updated_at));
}

void desk_api_routing_group_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_route_group g;
    int rc = desk_app_routing_group_get(req->app, &req->who, req->ids[0], &g);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "routing_settings", settings_json(&g)));
}

void desk_api_routing_group_update(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o, *fb;
    struct desk_fail fail = {0};
    struct desk_route_group g;
    bool paused = false, has_paused = false, has_fb = false;
    int seconds = -1;
    if (api_body(req, resp, "routing_settings", &doc, &o)) {
        return;
    }
    int rc = api_in_bool(req, o, "paused", &paused, &has_paused, &fail);
    if (!rc && (fb = json_object_get(o, "language_fallback_minutes")) != NULL) {
        has_fb = true;
        if (json_is_null(fb)) {
            seconds = -1;
        } else if (!json_is_number(fb) || json_number_value(fb) < 0 ||
                   json_number_value(fb) > 525600 || isnan(json_number_value(fb))) {
            rc = desk_fail(&fail, DESK_EINVALID, "language_fallback_minutes", "InvalidValue",
                           "language_fallback_minutes: must be null (never) or minutes from 0 "
                           "to 525600");
        } else {
            seconds = (int)lround(json_number_value(fb) * 60.0);
        }
    }
    json_decref(doc);
    if (!rc) {
        rc = desk_app_routing_group_put(req->app, &req->who, req->ids[0], paused, has_paused,
                                        seconds, has_fb, &g, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "routing_settings", settings_json(&g)));
}

static json_t *decision_json(const struct desk_route_decision *d)
{
    return json_pack("{s:I,s:s,s:s,s:o,s:s,s:o}", "id", (json_int_t)d->id, "trigger", d->trigger,
                     "outcome", d->outcome, "agent_id", api_id(d->agent_id), "reason", d->reason,
                     "created_at", api_time(d->created_at));
}

void desk_api_tickets_routing(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_route_state st;
    struct desk_route_decision *items;
    if (api_page(req, resp, &p)) {
        return;
    }
    int rc = desk_app_routing_ticket(req->app, &req->who, req->arena, req->ids[0], &p, &st, &items,
                                     &out);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array(), *root = json_object();
    for (size_t i = 0; i < out.n; i++) {
        json_array_append_new(arr, decision_json(&items[i]));
    }
    json_object_set_new(root, "routing",
                        json_pack("{s:I,s:o,s:b,s:o,s:o}", "ticket_id", (json_int_t)req->ids[0],
                                  "state", api_str(st.state), "language_unmatched",
                                  st.unmatched_since != 0, "unmatched_since",
                                  api_time(st.unmatched_since), "updated_at",
                                  api_time(st.updated_at)));
    json_object_set_new(root, "decisions", arr);
    api_page_links(req, root, &p, &out, out.n ? items[0].id : 0, out.n ? items[out.n - 1].id : 0);
    api_send(req, resp, 200, root);
}

/* ---- the ticket extension --------------------------------------------------------- */

void desk_api_team_ticket_ext(struct desk_req *req, const struct desk_ticket *t, json_t *o)
{
    struct desk_conn *c;
    struct desk_route_state st;
    struct desk_route_decision d;
    int64_t drafts = 0;
    /* Routing reasons name agents and loads: staff only. */
    if (!desk_role_is_staff(req->who.role) || desk_app_reader(req->app, &c) != 0) {
        return;
    }
    json_t *routing = json_null();
    if (desk_store_route_state_get(c, req->arena, t->id, &st) == 0) {
        bool have =
            st.decision_id && desk_store_route_decision_get(c, req->arena, st.decision_id, &d) == 0;
        routing = json_pack("{s:s,s:o,s:o,s:b,s:o}", "state", st.state, "reason",
                            have ? json_string(d.reason) : json_null(), "agent_id",
                            have ? api_id(d.agent_id) : json_null(), "language_unmatched",
                            st.unmatched_since != 0, "decided_at", api_time(st.updated_at));
    }
    json_object_set_new(o, "routing", routing);
    desk_store_draft_pending_count(c, t->id, &drafts);
    json_object_set_new(o, "pending_drafts", json_integer(drafts));
}
