/*
 * /api/v2/macros (Zendesk's subset: list, active, show, create, update,
 * delete, apply) with desk's language variants, and /api/v2/views (list,
 * active, show, create, update, delete, tickets, count) whose conditions
 * are a search query. Actions use Zendesk's shape:
 * [{"field":"comment_value","value":"..."}, {"field":"status","value":"solved"}, ...].
 */
#include "api/api_int.h"
#include "api/console.h"
#include "app/macros.h"
#include "core/str.h"
#include "model/ticket.h"

#include <stdio.h>
#include <string.h>

static void action(json_t *arr, const char *field, json_t *value)
{
    json_array_append_new(arr, json_pack("{s:s,s:o}", "field", field, "value", value));
}

static json_t *macro_json(struct desk_req *req, const struct desk_macro *m)
{
    json_t *actions = json_array();
    if (m->comment) {
        action(actions, "comment_value", json_string(m->comment));
    }
    action(actions, "comment_mode_is_public", json_string(m->comment_public ? "true" : "false"));
    if (m->status >= 0) {
        action(actions, "status", json_string(desk_status_name(m->status)));
    }
    if (m->priority >= 0) {
        action(actions, "priority", api_str(desk_priority_name(m->priority)));
    }
    if (m->type >= 0) {
        action(actions, "type", api_str(desk_ttype_name(m->type)));
    }
    if (m->group_id) {
        action(actions, "group_id",
               json_string(desk_arena_printf(req->arena, "%lld", (long long)m->group_id)));
    }
    if (m->assignee) {
        action(actions, "assignee_id", json_string(m->assignee));
    }
    if (m->add_tags.n) {
        action(actions, "current_tags", json_string(desk_strv_join(req->arena, &m->add_tags)));
    }
    if (m->remove_tags.n) {
        action(actions, "remove_tags", json_string(desk_strv_join(req->arena, &m->remove_tags)));
    }
    json_t *variants = json_array();
    for (size_t i = 0; i < m->n_variants; i++) {
        json_array_append_new(variants, json_pack("{s:s,s:s}", "language", m->variants[i].language,
                                                  "comment", m->variants[i].comment));
    }
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(m->id));
    json_object_set_new(o, "url", json_string(api_url(req, "macros/%lld.json", (long long)m->id)));
    json_object_set_new(o, "title", api_str(m->title));
    json_object_set_new(o, "raw_title", api_str(m->title));
    json_object_set_new(o, "description", api_str(m->description));
    json_object_set_new(o, "active", json_boolean(m->active));
    json_object_set_new(o, "position", json_integer(m->position));
    json_object_set_new(o, "actions", actions);
    json_object_set_new(o, "variants", variants);
    json_object_set_new(o, "restriction", json_null());
    json_object_set_new(o, "default", json_false());
    json_object_set_new(o, "created_at", api_time(m->created_at));
    json_object_set_new(o, "updated_at", api_time(m->updated_at));
    return o;
}

static int bad(struct desk_fail *f, const char *field, const char *msg)
{
    return desk_fail(f, DESK_EINVALID, field, "InvalidValue", msg);
}

/* The value of an action as text: a string, a number, a boolean, or [channel, text] for comments.
 */
static const char *action_text(struct desk_req *req, json_t *v)
{
    if (json_is_string(v)) {
        return desk_arena_strdup(req->arena, json_string_value(v));
    }
    if (json_is_integer(v)) {
        return desk_arena_printf(req->arena, "%lld", (long long)json_integer_value(v));
    }
    if (json_is_boolean(v)) {
        return json_is_true(v) ? "true" : "false";
    }
    if (json_is_array(v) && json_array_size(v) == 2 && json_is_string(json_array_get(v, 1))) {
        return desk_arena_strdup(req->arena, json_string_value(json_array_get(v, 1)));
    }
    return NULL;
}

static int parse_actions(struct desk_req *req, json_t *arr, struct desk_macro_patch *p,
                         struct desk_fail *f)
{
    if (!json_is_array(arr)) {
        return bad(f, "actions", "Actions: must be an array of {field, value}");
    }
    p->has_actions = true;
    p->comment_public = true;
    p->status = p->priority = p->type = -1;
    size_t i;
    json_t *it;
    json_array_foreach(arr, i, it)
    {
        json_t *fv = json_object_get(it, "field");
        const char *field = json_is_string(fv) ? json_string_value(fv) : NULL;
        const char *value = action_text(req, json_object_get(it, "value"));
        if (!field || !value) {
            return bad(f, "actions", "Actions: each needs a field and a value");
        }
        int e;
        if (strcmp(field, "comment_value") == 0 || strcmp(field, "comment_value_html") == 0) {
            p->comment = *value ? value : NULL;
        } else if (strcmp(field, "comment_mode_is_public") == 0) {
            p->comment_public = strcmp(value, "false") != 0;
        } else if (strcmp(field, "status") == 0) {
            if (desk_status_parse(value, &e) != 0 || e == DESK_STATUS_NEW ||
                e == DESK_STATUS_DELETED) {
                return bad(f, "actions",
                           "Actions: status must be open, pending, hold, solved or "
                           "closed");
            }
            p->status = e;
        } else if (strcmp(field, "priority") == 0) {
            if (desk_priority_parse(value, &e) != 0) {
                return bad(f, "actions", "Actions: priority must be low, normal, high or urgent");
            }
            p->priority = e;
        } else if (strcmp(field, "type") == 0) {
            if (desk_ttype_parse(value, &e) != 0) {
                return bad(f, "actions",
                           "Actions: type must be question, incident, problem or task");
            }
            p->type = e;
        } else if (strcmp(field, "group_id") == 0) {
            if (desk_str_to_i64(value, strlen(value), &p->group_id) != 0 || p->group_id <= 0) {
                return bad(f, "actions", "Actions: group_id must be a group id");
            }
        } else if (strcmp(field, "assignee_id") == 0) {
            p->assignee = value;
        } else if (strcmp(field, "current_tags") == 0 || strcmp(field, "set_tags") == 0) {
            p->add_tags = desk_strv_split(req->arena, value);
        } else if (strcmp(field, "remove_tags") == 0) {
            p->remove_tags = desk_strv_split(req->arena, value);
        } else {
            return bad(f, "actions",
                       desk_arena_printf(req->arena, "Actions: unsupported field '%.60s'", field));
        }
    }
    return 0;
}

static int parse_variants(struct desk_req *req, json_t *arr, struct desk_macro_patch *p,
                          struct desk_fail *f)
{
    if (!json_is_array(arr)) {
        return bad(f, "variants", "Variants: must be an array of {language, comment}");
    }
    size_t n = json_array_size(arr), i;
    if (n > DESK_MACRO_VARIANTS_MAX) {
        return bad(f, "variants", "Variants: at most 32 languages");
    }
    p->variants = desk_arena_alloc(req->arena, (n ? n : 1) * sizeof(*p->variants));
    json_t *it;
    json_array_foreach(arr, i, it)
    {
        json_t *l = json_object_get(it, "language"), *c = json_object_get(it, "comment");
        if (!json_is_string(l) || !json_is_string(c)) {
            return bad(f, "variants", "Variants: each needs a language and a comment");
        }
        p->variants[i].language = desk_arena_strdup(req->arena, json_string_value(l));
        p->variants[i].comment = desk_arena_strdup(req->arena, json_string_value(c));
    }
    p->n_variants = n;
    p->has_variants = true;
    return 0;
}

static void macro_save(struct desk_req *req, struct desk_resp *resp, int64_t id)
{
    json_t *doc, *o;
    struct desk_macro_patch p = {0};
    struct desk_fail fail = {0};
    struct desk_macro m;
    if (api_body(req, resp, "macro", &doc, &o)) {
        return;
    }
    int rc = api_in_str(req, o, "title", 0, &p.title, &p.has_title, &fail);
    rc = rc ? rc : api_in_str(req, o, "description", 0, &p.description, &p.has_description, &fail);
    rc = rc ? rc : api_in_bool(req, o, "active", &p.active, &p.has_active, &fail);
    json_t *pos = json_object_get(o, "position");
    if (!rc && pos) {
        if (!json_is_integer(pos)) {
            rc = bad(&fail, "position", "Position: must be an integer");
        }
        p.position = json_integer_value(pos);
        p.has_position = true;
    }
    json_t *actions = json_object_get(o, "actions");
    if (!rc && actions) {
        rc = parse_actions(req, actions, &p, &fail);
    }
    json_t *variants = json_object_get(o, "variants");
    if (!rc && variants) {
        rc = parse_variants(req, variants, &p, &fail);
    }
    if (!rc && !id && !p.has_title) {
        rc = desk_fail(&fail, DESK_EINVALID, "title", "BlankValue", "Title: cannot be blank");
    }
    if (!rc) {
        rc = desk_app_macro_save(req->app, &req->who, req->arena, id, &p, &m, &fail);
    }
    json_decref(doc);
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    if (!id) {
        resp->location = api_url(req, "macros/%lld.json", (long long)m.id);
    }
    api_send(req, resp, id ? 200 : 201, json_pack("{s:o}", "macro", macro_json(req, &m)));
}

void desk_api_macros_list(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_macro *items;
    if (api_page(req, resp, &p)) {
        return;
    }
    bool active_only = strstr(req->resource, "/active") != NULL;
    const char *active = desk_api_param(req, "active");
    if (active && strcmp(active, "true") == 0) {
        active_only = true;
    }
    int rc = desk_app_macro_list(req->app, &req->who, req->arena, active_only, &p, &items, &out);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < out.n; i++) {
        json_array_append_new(arr, macro_json(req, &items[i]));
    }
    api_send_list(req, resp, "macros", arr, &p, &out, out.n ? items[0].id : 0,
                  out.n ? items[out.n - 1].id : 0);
}

void desk_api_macros_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_macro m;
    int rc = desk_app_macro_get(req->app, &req->who, req->arena, req->ids[0], &m);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "macro", macro_json(req, &m)));
}

void desk_api_macros_create(struct desk_req *req, struct desk_resp *resp)
{
    macro_save(req, resp, 0);
}

void desk_api_macros_update(struct desk_req *req, struct desk_resp *resp)
{
    macro_save(req, resp, req->ids[0]);
}

void desk_api_macros_delete(struct desk_req *req, struct desk_resp *resp)
{
    int rc = desk_app_macro_delete(req->app, &req->who, req->ids[0]);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_no_content(resp);
}

void desk_api_macros_apply(struct desk_req *req, struct desk_resp *resp)
{
    /* tickets/:id/macros/:id/apply or macros/:id/apply */
    bool on_ticket = req->n_ids == 2;
    int64_t tid = on_ticket ? req->ids[0] : 0, mid = on_ticket ? req->ids[1] : req->ids[0];
    struct desk_macro_result r;
    int rc = desk_app_macro_apply(req->app, &req->who, req->arena, tid, mid, &r);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *ticket = json_object();
    if (tid) {
        json_object_set_new(ticket, "id", json_integer(tid));
    }
    if (r.status >= 0) {
        json_object_set_new(ticket, "status", json_string(desk_status_name(r.status)));
    }
    if (r.priority >= 0) {
        json_object_set_new(ticket, "priority", api_str(desk_priority_name(r.priority)));
    }
    if (r.type >= 0) {
        json_object_set_new(ticket, "type", api_str(desk_ttype_name(r.type)));
    }
    if (r.group_id) {
        json_object_set_new(ticket, "group_id", json_integer(r.group_id));
    }
    if (r.assignee_id) {
        json_object_set_new(ticket, "assignee_id", json_integer(r.assignee_id));
    }
    if (r.has_tags) {
        json_object_set_new(ticket, "tags", api_strv(&r.tags));
    }
    json_t *result = json_pack("{s:o}", "ticket", ticket);
    if (r.comment) {
        json_object_set_new(ticket, "comment",
                            json_pack("{s:s,s:b}", "body", r.comment, "public", r.comment_public));
        json_object_set_new(result, "comment",
                            json_pack("{s:s,s:s,s:s,s:b,s:o}", "body", r.comment, "html_body",
                                      desk_comment_html(req->arena, r.comment), "scoped_body",
                                      r.comment, "public", r.comment_public, "language",
                                      api_str(r.language)));
    }
    api_send(req, resp, 200, json_pack("{s:o}", "result", result));
}

/* ---- views ------------------------------------------------------------ */

static json_t *view_json(struct desk_req *req, const struct desk_view *v)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(v->id));
    json_object_set_new(o, "url", json_string(api_url(req, "views/%lld.json", (long long)v->id)));
    json_object_set_new(o, "title", api_str(v->title));
    json_object_set_new(o, "raw_title", api_str(v->title));
    json_object_set_new(o, "active", json_boolean(v->active));
    json_object_set_new(o, "position", json_integer(v->position));
    json_object_set_new(o, "description", json_null());
    json_object_set_new(o, "query", api_str(v->query));
    json_object_set_new(o, "conditions", json_pack("{s:[],s:[]}", "all", "any"));
    json_object_set_new(o, "execution",
                        json_pack("{s:s,s:s}", "sort_by", "updated_at", "sort_order", "desc"));
    json_object_set_new(o, "restriction",
                        v->owner_id
                            ? json_pack("{s:s,s:I}", "type", "User", "id", (json_int_t)v->owner_id)
                            : json_null());
    json_object_set_new(o, "default", json_false());
    json_object_set_new(o, "created_at", api_time(v->created_at));
    json_object_set_new(o, "updated_at", api_time(v->updated_at));
    return o;
}

static void view_save(struct desk_req *req, struct desk_resp *resp, int64_t id)
{
    json_t *doc, *o;
    struct desk_view_patch p = {0};
    struct desk_fail fail = {0};
    struct desk_view v;
    if (api_body(req, resp, "view", &doc, &o)) {
        return;
    }
    int rc = api_in_str(req, o, "title", 0, &p.title, &p.has_title, &fail);
    rc = rc ? rc : api_in_str(req, o, "query", DESK_SQ_MAX_LEN, &p.query, &p.has_query, &fail);
    rc = rc ? rc : api_in_bool(req, o, "active", &p.active, &p.has_active, &fail);
    json_t *pos = json_object_get(o, "position");
    if (!rc && pos) {
        if (!json_is_integer(pos)) {
            rc = bad(&fail, "position", "Position: must be an integer");
        }
        p.position = json_integer_value(pos);
        p.has_position = true;
    }
    json_t *restriction = json_object_get(o, "restriction");
    if (!rc && restriction) {
        p.has_shared = true;
        p.shared = json_is_null(restriction);
    }
    if (!rc && json_object_get(o, "conditions") && !p.has_query) {
        rc = bad(&fail, "conditions",
                 "Conditions: desk views are defined by a search \"query\" instead");
    }
    if (!rc && !id && !p.has_query) {
        rc = desk_fail(&fail, DESK_EINVALID, "query", "BlankValue", "Query: cannot be blank");
    }
    if (!rc) {
        rc = desk_app_view_save(req->app, &req->who, req->arena, id, &p, &v, &fail);
    }
    json_decref(doc);
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    if (!id) {
        resp->location = api_url(req, "views/%lld.json", (long long)v.id);
    }
    api_send(req, resp, id ? 200 : 201, json_pack("{s:o}", "view", view_json(req, &v)));
}

void desk_api_views_list(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_view *items;
    if (api_page(req, resp, &p)) {
        return;
    }
    bool active_only = strstr(req->resource, "/active") != NULL;
    int rc = desk_app_view_list(req->app, &req->who, req->arena, active_only, &p, &items, &out);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < out.n; i++) {
        json_array_append_new(arr, view_json(req, &items[i]));
    }
    api_send_list(req, resp, "views", arr, &p, &out, out.n ? items[0].id : 0,
                  out.n ? items[out.n - 1].id : 0);
}

void desk_api_views_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_view v;
    int rc = desk_app_view_get(req->app, &req->who, req->arena, req->ids[0], &v);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "view", view_json(req, &v)));
}

void desk_api_views_create(struct desk_req *req, struct desk_resp *resp)
{
    view_save(req, resp, 0);
}

void desk_api_views_update(struct desk_req *req, struct desk_resp *resp)
{
    view_save(req, resp, req->ids[0]);
}

void desk_api_views_delete(struct desk_req *req, struct desk_resp *resp)
{
    int rc = desk_app_view_delete(req->app, &req->who, req->ids[0]);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_no_content(resp);
}

/* Runs the view's query for tickets, newest change first, one offset page. */
static int view_run(struct desk_req *req, struct desk_resp *resp, struct desk_view *v,
                    struct desk_search_hit **hits, size_t *n, int64_t *total, struct desk_page *p)
{
    struct desk_fail fail = {0};
    int rc = desk_app_view_get(req->app, &req->who, req->arena, req->ids[0], v);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return rc;
    }
    const char *q = desk_arena_printf(req->arena, "type:ticket %s", v->query);
    rc = desk_app_search(req->app, &req->who, req->arena, q, strlen(q), p->offset, p->limit,
                         "updated_at", "desc", hits, n, total, &fail);
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
    }
    return rc;
}

void desk_api_views_tickets(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_view v;
    struct desk_search_hit *hits;
    size_t n;
    int64_t total;
    struct desk_page p;
    if (api_page(req, resp, &p)) {
        return;
    }
    p.cursor = false;
    if (view_run(req, resp, &v, &hits, &n, &total, &p)) {
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        struct desk_ticket t;
        if (desk_app_ticket_get(req->app, &req->who, req->arena, hits[i].id, &t) == 0) {
            json_array_append_new(arr, api_ticket_json(req, &t));
        }
    }
    struct desk_page_out out = {.n = n, .more = p.offset + (int64_t)n < total, .total = total};
    api_send_list(req, resp, "tickets", arr, &p, &out, 0, 0);
}

void desk_api_views_count(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_view v;
    struct desk_search_hit *hits;
    size_t n;
    int64_t total;
    struct desk_page p = {.limit = 1};
    if (view_run(req, resp, &v, &hits, &n, &total, &p)) {
        return;
    }
    api_send(req, resp, 200,
             json_pack("{s:{s:I,s:s,s:I,s:s,s:b}}", "view_count", "view_id", (json_int_t)v.id,
                       "url", api_url(req, "views/%lld/count.json", (long long)v.id), "value",
                       (json_int_t)total, "pretty",
                       desk_arena_printf(req->arena, "%lld", (long long)total), "fresh", 1));
}
