/*
 * /api/v2/tickets and its neighbours: create, show, show_many, list (also
 * by organization and by user), update (with safe_update), delete, the bulk
 * endpoints with job statuses, comments, audits and the incremental export.
 */
#include "api/api_int.h"
#include "api/uploads.h"
#include "app/escalations.h"
#include "api/concessions_int.h"
#include "core/str.h"
#include "core/time.h"

#include <stdio.h>
#include <string.h>

int api_ticket_input(struct desk_req *req, json_t *o, struct desk_ticket_input *in,
                     struct desk_fail *f)
{
    int rc = 0;
    bool ignored;
    memset(in, 0, sizeof(*in));
    in->comment_public = true;
    rc = rc ? rc : api_in_str(req, o, "subject", 0, &in->subject, &in->has_subject, f);
    rc =
        rc ? rc : api_in_enum(req, o, "status", desk_status_parse, &in->status, &in->has_status, f);
    rc = rc ? rc
            : api_in_enum(req, o, "priority", desk_priority_parse, &in->priority, &in->has_priority,
                          f);
    rc = rc ? rc : api_in_enum(req, o, "type", desk_ttype_parse, &in->type, &in->has_type, f);
    rc = rc ? rc : api_in_id(req, o, "requester_id", &in->requester_id, &in->has_requester_id, f);
    rc = rc ? rc : api_in_id(req, o, "assignee_id", &in->assignee_id, &in->has_assignee_id, f);
    rc = rc ? rc : api_in_str(req, o, "assignee_email", 254, &in->assignee_email, &ignored, f);
    rc = rc ? rc : api_in_id(req, o, "group_id", &in->group_id, &in->has_group_id, f);
    rc = rc ? rc
            : api_in_id(req, o, "organization_id", &in->organization_id, &in->has_organization_id,
                        f);
    rc = rc ? rc : api_in_id(req, o, "problem_id", &in->problem_id, &in->has_problem_id, f);
    rc =
        rc ? rc : api_in_str(req, o, "external_id", 255, &in->external_id, &in->has_external_id, f);
    rc = rc ? rc : api_in_str(req, o, "language", 35, &in->language, &in->has_language, f);
    rc = rc ? rc : api_in_time(req, o, "due_at", &in->due_at, &in->has_due_at, f);
    rc = rc ? rc : api_in_strv(req, o, "tags", &in->tags, &in->has_tags, f);
    rc = rc ? rc : api_in_strv(req, o, "additional_tags", &in->additional_tags, &ignored, f);
    rc = rc ? rc : api_in_strv(req, o, "remove_tags", &in->remove_tags, &ignored, f);
    rc = rc ? rc
            : api_in_ids(req, o, "collaborator_ids", &in->collaborator_ids, &in->n_collaborator_ids,
                         &in->has_collaborator_ids, f);
    rc = rc ? rc : api_in_str(req, o, "recipient", 254, &in->recipient, &ignored, f);
    rc = rc ? rc : api_in_bool(req, o, "safe_update", &in->safe_update, &ignored, f);
    rc = rc ? rc : api_in_time(req, o, "updated_stamp", &in->updated_stamp, &ignored, f);
    rc = rc ? rc
            : api_in_id(req, o, "complaint_agent_id", &in->complaint_agent_id,
                        &in->has_complaint_agent_id, f);
    if (rc) {
        return rc;
    }
    if (in->safe_update && !in->updated_stamp) {
        return desk_fail(f, DESK_EINVALID, "updated_stamp", "BlankValue",
                         "updated_stamp: is required with safe_update");
    }
    json_t *requester = json_object_get(o, "requester");
    if (requester && !json_is_null(requester)) {
        if (!json_is_object(requester)) {
            return desk_fail(f, DESK_EINVALID, "requester", "InvalidType",
                             "requester: must be an object with name and email");
        }
        rc = rc ? rc : api_in_str(req, requester, "email", 254, &in->requester_email, &ignored, f);
        rc = rc ? rc : api_in_str(req, requester, "name", 255, &in->requester_name, &ignored, f);
        rc = rc ? rc : api_in_str(req, requester, "locale", 35, &in->requester_locale, &ignored, f);
        if (rc) {
            return rc;
        }
        if (!in->requester_email) {
            return desk_fail(f, DESK_EINVALID, "requester", "BlankValue",
                             "requester: email is required");
        }
    }
    json_t *comment = json_object_get(o, "comment");
    if (comment && !json_is_null(comment)) {
        if (!json_is_object(comment)) {
            return desk_fail(f, DESK_EINVALID, "comment", "InvalidType",
                             "comment: must be an object with a body");
        }
        const char *html = NULL;
        rc = rc ? rc : api_in_str(req, comment, "body", 0, &in->comment_body, &ignored, f);
        rc = rc ? rc : api_in_str(req, comment, "html_body", 0, &html, &ignored, f);
        rc = rc ? rc : api_in_bool(req, comment, "public", &in->comment_public, &ignored, f);
        rc = rc ? rc : api_in_id(req, comment, "author_id", &in->comment_author_id, &ignored, f);
        if (rc) {
            return rc;
        }
        if ((rc = api_uploads_comment_input(req, comment, in, f)) != 0) {
            return rc;
        }
        if (!in->comment_body) {
            in->comment_body = html;
        }
        if (!in->comment_body || !*in->comment_body) {
            return desk_fail(f, DESK_EINVALID, "comment", "BlankValue",
                             "comment: body cannot be blank");
        }
        if (!desk_str_utf8_valid(in->comment_body, strlen(in->comment_body))) {
            return desk_fail(f, DESK_EINVALID, "comment", "InvalidEncoding",
                             "comment: body is not valid UTF-8");
        }
    } else {
        const char *desc = NULL;
        if ((rc = api_in_str(req, o, "description", 0, &desc, &ignored, f)) != 0) {
            return rc;
        }
        in->comment_body = desc && *desc ? desc : NULL;
    }
    return api_concessions_ticket_input(req, o, in, f); /* held replies, resolution */
}

void desk_api_tickets_create(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_ticket_input in;
    struct desk_fail fail = {0};
    struct desk_ticket t;
    struct desk_audit au;
    if (api_body(req, resp, "ticket", &doc, &o)) {
        return;
    }
    int rc = api_ticket_input(req, o, &in, &fail);
    json_decref(doc);
    if (!rc) {
        rc = desk_app_ticket_create(req->app, &req->who, req->arena, &in, &t, &au, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    resp->location = api_url(req, "tickets/%lld.json", (long long)t.id);
    api_send(req, resp, 201,
             json_pack("{s:o,s:o}", "ticket", api_ticket_json(req, &t), "audit",
                       api_audit_json(req, &au)));
}

void desk_api_tickets_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_ticket t;
    int rc = desk_app_ticket_get(req->app, &req->who, req->arena, req->ids[0], &t);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "ticket", api_ticket_json(req, &t)));
}

void desk_api_tickets_update(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_ticket_input in;
    struct desk_fail fail = {0};
    struct desk_ticket t;
    struct desk_audit au = {0};
    if (api_body(req, resp, "ticket", &doc, &o)) {
        return;
    }
    int rc = api_ticket_input(req, o, &in, &fail);
    json_decref(doc);
    if (!rc) {
        rc = desk_app_ticket_update(req->app, &req->who, req->arena, req->ids[0], &in, &t, &au,
                                    &fail);
    }
    if (rc == DESK_ECONFLICT) {
        /* Stale safe_update: send the current state so the client can merge. */
        api_send(req, resp, 409,
                 json_pack("{s:s,s:s,s:o}", "error", desk_err_name(rc), "description",
                           "Safe Update prevented the update due to outdated ticket data. "
                           "Please fetch the latest ticket data and try again.",
                           "ticket", api_ticket_json(req, &t)));
        return;
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    api_send(req, resp, 200,
             json_pack("{s:o,s:o}", "ticket", api_ticket_json(req, &t), "audit",
                       api_audit_json(req, &au)));
}

void desk_api_tickets_delete(struct desk_req *req, struct desk_resp *resp)
{
    int rc = desk_app_ticket_delete(req->app, &req->who, req->ids[0]);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_no_content(resp);
}

static void send_tickets(struct desk_req *req, struct desk_resp *resp, struct desk_ticket *items,
                         const struct desk_page *p, const struct desk_page_out *out,
                         bool as_requests)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < out->n; i++) {
        json_array_append_new(arr, as_requests ? api_request_json(req, &items[i])
                                               : api_ticket_json(req, &items[i]));
    }
    api_send_list(req, resp, as_requests ? "requests" : "tickets", arr, p, out,
                  out->n ? items[0].id : 0, out->n ? items[out->n - 1].id : 0);
}

void api_ticket_list(struct desk_req *req, struct desk_resp *resp, struct desk_ticket_filter *f,
                     bool as_requests)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_ticket *items;
    struct desk_conn *c;
    if (api_page(req, resp, &p)) {
        return;
    }
    const char *sort = desk_api_param(req, "sort_order");
    const char *sort2 = desk_api_param(req, "sort");
    p.desc = (sort && strcmp(sort, "desc") == 0) || (sort2 && sort2[0] == '-');
    desk_app_ticket_scope(&req->who, f);
    int rc = desk_app_reader(req->app, &c);
    if (!rc) {
        rc = desk_store_ticket_list(c, req->arena, f, &p, &items, &out);
    }
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    send_tickets(req, resp, items, &p, &out, as_requests);
}

void desk_api_tickets_list(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_ticket_filter f = {0};
    const char *r = req->resource;
    if (api_parent_exists(req, resp)) {
        return;
    }
    f.external_id = desk_api_param(req, "external_id");
    if (strncmp(r, "organizations/", 14) == 0) {
        f.organization_id = req->ids[0];
    } else if (strncmp(r, "groups/", 7) == 0) {
        f.group_id = req->ids[0];
    } else if (strncmp(r, "users/", 6) == 0) {
        const char *kind = strrchr(r, '/') + 1;
        if (strcmp(kind, "assigned") == 0) {
            f.assignee_id = req->ids[0];
        } else if (strcmp(kind, "ccd") == 0) {
            f.collaborator_id = req->ids[0];
        } else {
            f.requester_id = req->ids[0];
        }
    }
    api_ticket_list(req, resp, &f, false);
}

void desk_api_tickets_show_many(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_ticket_filter f = {0};
    int64_t *ids;
    size_t n;
    if (api_ids_param(req, resp, &ids, &n)) {
        return;
    }
    f.ids = ids;
    f.n_ids = n;
    api_ticket_list(req, resp, &f, false);
}

void desk_api_tickets_comments(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_comment *items;
    if (api_page(req, resp, &p)) {
        return;
    }
    const char *order = desk_api_param(req, "sort_order");
    const char *sort = desk_api_param(req, "sort");
    p.desc = (order && strcmp(order, "desc") == 0) || (sort && strcmp(sort, "-created_at") == 0);
    int rc = desk_app_comment_list(req->app, &req->who, req->arena, req->ids[0], &p, &items, &out);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < out.n; i++) {
        json_array_append_new(arr, api_comment_json(req, &items[i]));
    }
    api_send_list(req, resp, "comments", arr, &p, &out, out.n ? items[0].id : 0,
                  out.n ? items[out.n - 1].id : 0);
}

void desk_api_tickets_audits(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_audit *items;
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
        rc = desk_store_audit_list(c, req->arena, t.id, &p, &items, &out);
    }
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < out.n; i++) {
        json_array_append_new(arr, api_audit_json(req, &items[i]));
    }
    api_send_list(req, resp, "audits", arr, &p, &out, out.n ? items[0].id : 0,
                  out.n ? items[out.n - 1].id : 0);
}

/* ---- bulk endpoints --------------------------------------------------------- */

static json_t *item_error(int rc, const struct desk_fail *fail)
{
    json_t *o = json_pack("{s:s,s:b}", "error", desk_err_name(rc), "success", 0);
    if (fail->n) {
        json_object_set_new(o, "details", json_string(fail->items[0].description));
    }
    return o;
}

/* {"job_status":{...}} with the stored per-item results. */
static void send_job_status(struct desk_req *req, struct desk_resp *resp,
                            const struct desk_job *job)
{
    json_error_t err;
    json_t *res = json_loads(job->results, 0, &err);
    api_send(req, resp, 200,
             json_pack("{s:{s:s,s:s,s:I,s:I,s:s,s:s,s:o}}", "job_status", "id", job->id, "url",
                       api_url(req, "job_statuses/%s.json", job->id), "total",
                       (json_int_t)job->total, "progress", (json_int_t)job->progress, "status",
                       job->status, "message", job->message ? job->message : "", "results",
                       res ? res : json_array()));
}

static void send_job(struct desk_req *req, struct desk_resp *resp, const char *type,
                     json_t *results)
{
    struct desk_job job;
    char *dumped = json_dumps(results, JSON_COMPACT);
    char *text = desk_arena_strdup(req->arena, dumped ? dumped : "[]");
    size_t total = json_array_size(results);
    free(dumped);
    json_decref(results);
    int rc = desk_app_job_save(req->app, &req->who, req->arena, type, (int64_t)total, text, &job);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    send_job_status(req, resp, &job);
}

void desk_api_job_status_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_job job;
    int rc = desk_app_job_get(req->app, &req->who, req->arena, req->sid, &job);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    send_job_status(req, resp, &job);
}

void desk_api_tickets_create_many(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_fail fail = {0};
    json_error_t err;
    json_t *doc = req->body_len ? json_loadb(req->body, req->body_len, 0, &err) : NULL;
    json_t *arr = doc ? json_object_get(doc, "tickets") : NULL;
    if (!arr || !json_is_array(arr) || json_array_size(arr) == 0 ||
        json_array_size(arr) > API_IDS_MAX) {
        json_decref(doc);
        desk_fail(&fail, DESK_EINVALID, "tickets", "InvalidValue",
                  "tickets: must be an array of 1 to 100 tickets");
        desk_api_error(req, resp, DESK_EINVALID, &fail);
        return;
    }
    json_t *results = json_array();
    for (size_t i = 0; i < json_array_size(arr); i++) {
        struct desk_ticket_input in;
        struct desk_ticket t;
        struct desk_audit au;
        struct desk_fail f = {0};
        json_t *o = json_array_get(arr, i);
        int rc = json_is_object(o) ? api_ticket_input(req, o, &in, &f) : DESK_EINVALID;
        if (!rc) {
            rc = desk_app_ticket_create(req->app, &req->who, req->arena, &in, &t, &au, &f);
        }
        json_t *r = rc ? item_error(rc, &f)
                       : json_pack("{s:I,s:s,s:b}", "id", (json_int_t)t.id, "status", "Created",
                                   "success", 1);
        json_object_set_new(r, "index", json_integer((json_int_t)i));
        json_array_append_new(results, r);
    }
    json_decref(doc);
    send_job(req, resp, "bulk_create_tickets", results);
}

void desk_api_tickets_update_many(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_fail fail = {0};
    json_error_t err;
    json_t *doc = req->body_len ? json_loadb(req->body, req->body_len, 0, &err) : NULL;
    json_t *one = doc ? json_object_get(doc, "ticket") : NULL;
    json_t *many = doc ? json_object_get(doc, "tickets") : NULL;
    json_t *results = json_array();
    if (one && json_is_object(one)) {
        int64_t *ids;
        size_t n;
        if (api_ids_param(req, resp, &ids, &n)) {
            json_decref(doc);
            json_decref(results);
            return;
        }
        for (size_t i = 0; i < n; i++) {
            struct desk_ticket_input in;
            struct desk_ticket t;
            struct desk_audit au;
            struct desk_fail f = {0};
            int rc = api_ticket_input(req, one, &in, &f);
            if (!rc) {
                rc = desk_app_ticket_update(req->app, &req->who, req->arena, ids[i], &in, &t, &au,
                                            &f);
            }
            json_t *r = rc ? item_error(rc, &f)
                           : json_pack("{s:s,s:s,s:b}", "action", "update", "status", "Updated",
                                       "success", 1);
            json_object_set_new(r, "id", json_integer(ids[i]));
            json_array_append_new(results, r);
        }
    } else if (many && json_is_array(many) && json_array_size(many) <= API_IDS_MAX) {
        for (size_t i = 0; i < json_array_size(many); i++) {
            struct desk_ticket_input in;
            struct desk_ticket t;
            struct desk_audit au;
            struct desk_fail f = {0};
            json_t *o = json_array_get(many, i);
            json_t *idv = json_is_object(o) ? json_object_get(o, "id") : NULL;
            int64_t id = json_is_integer(idv) ? json_integer_value(idv) : 0;
            int rc = id > 0 ? api_ticket_input(req, o, &in, &f) : DESK_EINVALID;
            if (!rc) {
                rc = desk_app_ticket_update(req->app, &req->who, req->arena, id, &in, &t, &au, &f);
            }
            json_t *r = rc ? item_error(rc, &f)
                           : json_pack("{s:s,s:s,s:b}", "action", "update", "status", "Updated",
                                       "success", 1);
            json_object_set_new(r, "id", json_integer(id));
            json_array_append_new(results, r);
        }
    } else {
        json_decref(doc);
        json_decref(results);
        desk_fail(&fail, DESK_EINVALID, "ticket", "InvalidValue",
                  "give {\"ticket\":{...}} with ?ids=, or {\"tickets\":[{\"id\":...}]} (at most "
                  "100)");
        desk_api_error(req, resp, DESK_EINVALID, &fail);
        return;
    }
    json_decref(doc);
    send_job(req, resp, "bulk_update_tickets", results);
}

void desk_api_tickets_destroy_many(struct desk_req *req, struct desk_resp *resp)
{
    int64_t *ids;
    size_t n;
    if (api_ids_param(req, resp, &ids, &n)) {
        return;
    }
    json_t *results = json_array();
    for (size_t i = 0; i < n; i++) {
        struct desk_fail f = {0};
        int rc = desk_app_ticket_delete(req->app, &req->who, ids[i]);
        json_t *r =
            rc ? item_error(rc, &f)
               : json_pack("{s:s,s:s,s:b}", "action", "delete", "status", "Deleted", "success", 1);
        json_object_set_new(r, "id", json_integer(ids[i]));
        json_array_append_new(results, r);
    }
    send_job(req, resp, "bulk_delete_tickets", results);
}

/* ---- incremental export ------------------------------------------------------ */

#define EXPORT_PAGE 1000

static int export_start(struct desk_req *req, struct desk_resp *resp, int64_t *start_ms)
{
    const char *s = desk_api_param(req, "start_time");
    struct desk_fail fail = {0};
    int64_t v;
    if (!s || desk_str_to_i64(s, strlen(s), &v) || v < 0) {
        desk_fail(&fail, DESK_EINVAL, "start_time", "InvalidValue",
                  "start_time: must be a Unix time in seconds");
        desk_api_error(req, resp, DESK_EINVAL, &fail);
        return -1;
    }
    if (v > desk_time_now_ms() / 1000 - 60) {
        desk_fail(&fail, DESK_EINVAL, "start_time", "TooRecent",
                  "start_time: use a start_time older than 1 minute");
        desk_api_error(req, resp, DESK_EINVAL, &fail);
        return -1;
    }
    *start_ms = v * 1000;
    return 0;
}

void desk_api_tickets_incremental(struct desk_req *req, struct desk_resp *resp)
{
    int64_t start;
    struct desk_ticket *items;
    size_t n;
    struct desk_conn *c;
    if (export_start(req, resp, &start)) {
        return;
    }
    int rc = desk_app_reader(req->app, &c);
    if (!rc) {
        /* Start just before start_time so tickets at exactly start_time are included. */
        rc =
            desk_store_ticket_changes(c, req->arena, start - 1, INT64_MAX, EXPORT_PAGE, &items, &n);
    }
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        bool hidden = false;
        if (desk_app_ticket_hidden(c, &req->who, items[i].id, &hidden) == 0 && !hidden) {
            json_array_append_new(arr, api_ticket_json(req, &items[i]));
        }
    }
    int64_t end = n ? items[n - 1].updated_at / 1000 : start / 1000;
    bool eos = n < EXPORT_PAGE;
    api_send(req, resp, 200,
             json_pack("{s:o,s:s,s:I,s:I,s:b}", "tickets", arr, "next_page",
                       api_url(req, "incremental/tickets.json?start_time=%lld", (long long)end),
                       "count", (json_int_t)n, "end_time", (json_int_t)end, "end_of_stream", eos));
}

void desk_api_tickets_incremental_cursor(struct desk_req *req, struct desk_resp *resp)
{
    const char *cursor = desk_api_param(req, "cursor");
    long long ms = 0, id = 0;
    int used = 0;
    struct desk_ticket *items;
    size_t n;
    struct desk_conn *c;
    /* Cursor "t<ms>.<id>"; node-zendesk sends cursor=undefined first, which means start. */
    if (!cursor || sscanf(cursor, "t%lld.%lld%n", &ms, &id, &used) != 2 ||
        (size_t)used != strlen(cursor) || ms < 0 || id < 0) {
        int64_t start;
        if (export_start(req, resp, &start)) {
            return;
        }
        ms = start - 1;
        id = INT64_MAX;
    }
    int limit = EXPORT_PAGE;
    const char *size = desk_api_param(req, "page[size]");
    int64_t v;
    if (size && !desk_str_to_i64(size, strlen(size), &v) && v >= 1 && v <= EXPORT_PAGE) {
        limit = (int)v;
    }
    int rc = desk_app_reader(req->app, &c);
    if (!rc) {
        rc = desk_store_ticket_changes(c, req->arena, ms, id, limit, &items, &n);
    }
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        bool hidden = false;
        if (desk_app_ticket_hidden(c, &req->who, items[i].id, &hidden) == 0 && !hidden) {
            json_array_append_new(arr, api_ticket_json(req, &items[i]));
        }
    }
    char *after =
        n ? desk_arena_printf(req->arena, "t%lld.%lld", (long long)items[n - 1].updated_at,
                              (long long)items[n - 1].id)
          : desk_arena_printf(req->arena, "t%lld.%lld", ms, id);
    api_send(req, resp, 200,
             json_pack("{s:o,s:s,s:s,s:n,s:n,s:b}", "tickets", arr, "after_cursor", after,
                       "after_url",
                       api_url(req, "incremental/tickets/cursor.json?cursor=%s", after),
                       "before_cursor", "before_url", "end_of_stream", n < (size_t)limit));
}
