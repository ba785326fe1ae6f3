/*
 * Email in's API (see mail_in.h). Suspended tickets have Zendesk's shape
 * (author, cause, cause_id, content, via.source.from) plus desk's size and
 * truncated; recovering one runs the message through mail/'s ingest again,
 * without the checks that suspended it, and answers with the ticket.
 */
#include "api/mail_in.h"
#include "api/api_int.h"
#include "app/app_mail.h"
#include "mail/mail.h"

#include <string.h>

static json_t *suspended_json(struct desk_req *req, const struct desk_suspended *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(s->id));
    json_object_set_new(o, "url",
                        json_string(api_url(req, "suspended_tickets/%lld.json", (long long)s->id)));
    json_object_set_new(o, "author",
                        json_pack("{s:n,s:o,s:o}", "id", "name", api_str(s->from_name), "email",
                                  api_str(s->from_address)));
    json_object_set_new(o, "subject", api_str(s->subject));
    json_object_set_new(o, "content", api_str(s->content));
    json_object_set_new(o, "cause", api_str(s->cause));
    json_object_set_new(o, "cause_id", json_integer(s->cause_id));
    json_object_set_new(o, "message_id", api_str(s->message_id));
    json_object_set_new(o, "ticket_id", api_id(s->ticket_id));
    json_object_set_new(o, "recipient", api_str(s->recipient));
    json_object_set_new(o, "created_at", api_time(s->created_at));
    json_object_set_new(o, "updated_at", api_time(s->updated_at));
    json_object_set_new(o, "via",
                        json_pack("{s:s,s:{s:{s:o,s:o},s:{s:o,s:n},s:n}}", "channel", "email",
                                  "source", "from", "address", api_str(s->from_address), "name",
                                  api_str(s->from_name), "to", "address", api_str(s->recipient),
                                  "name", "rel"));
    json_object_set_new(o, "brand_id", json_null());
    json_object_set_new(o, "attachments", json_array());
    json_object_set_new(o, "error_messages", json_null());
    json_object_set_new(o, "size", json_integer(s->size));
    json_object_set_new(o, "truncated", json_boolean(s->truncated));
    json_object_set_new(o, "raw_url",
                        json_string(api_url(req, "suspended_tickets/%lld/raw", (long long)s->id)));
    return o;
}

void desk_api_suspended_list(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_suspended *items;
    if (api_page(req, resp, &p)) {
        return;
    }
    /* Newest first, as Zendesk lists them, unless sort_order=asc. */
    const char *order = desk_api_param(req, "sort_order");
    p.desc = !(order && strcmp(order, "asc") == 0);
    int rc = desk_app_suspended_list(req->app, &req->who, req->arena, &p, &items, &out);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < out.n; i++) {
        json_array_append_new(arr, suspended_json(req, &items[i]));
    }
    api_send_list(req, resp, "suspended_tickets", arr, &p, &out, out.n ? items[0].id : 0,
                  out.n ? items[out.n - 1].id : 0);
}

void desk_api_suspended_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_suspended s;
    int rc = desk_app_suspended_get(req->app, &req->who, req->arena, req->ids[0], &s);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "suspended_ticket", suspended_json(req, &s)));
}

static void send_eml(struct desk_resp *resp, const void *raw, size_t len)
{
    resp->status = 200;
    resp->body = raw;
    resp->body_len = len;
    resp->content_type = "message/rfc822";
}

void desk_api_suspended_raw(struct desk_req *req, struct desk_resp *resp)
{
    const void *raw;
    size_t len;
    int rc = desk_app_suspended_raw(req->app, &req->who, req->arena, req->ids[0], &raw, &len);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    send_eml(resp, raw, len);
}

/* Recovers one: 0 and *t, or an error with fail naming why. */
static int recover_one(struct desk_req *req, int64_t id, struct desk_ticket *t,
                       struct desk_fail *fail)
{
    struct desk_mail_result res;
    int rc = desk_mail_recover(req->app, &req->who, id, NULL, &res, fail);
    for (size_t i = 0; i < fail->n; i++) {
        if (fail->items[i].description == res.reason) {
            /* It pointed into res, which ends here: keep a copy with the request. */
            fail->items[i].description = desk_arena_strdup(req->arena, res.reason);
        }
    }
    if (rc) {
        return rc;
    }
    return desk_app_ticket_get(req->app, &req->who, req->arena, res.ticket_id, t);
}

void desk_api_suspended_recover(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_fail fail = {0};
    struct desk_ticket t;
    int rc = recover_one(req, req->ids[0], &t, &fail);
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "ticket", api_ticket_json(req, &t)));
}

void desk_api_suspended_recover_many(struct desk_req *req, struct desk_resp *resp)
{
    int64_t *ids;
    size_t n;
    if (api_ids_param(req, resp, &ids, &n)) {
        return;
    }
    json_t *tickets = json_array(), *failed = json_array();
    for (size_t i = 0; i < n; i++) {
        struct desk_fail fail = {0};
        struct desk_ticket t;
        int rc = recover_one(req, ids[i], &t, &fail);
        if (rc) {
            json_array_append_new(failed,
                                  json_pack("{s:I,s:s,s:s}", "id", (json_int_t)ids[i], "error",
                                            desk_err_name(rc), "description",
                                            fail.n ? fail.items[0].description : desk_err_msg(rc)));
        } else {
            json_array_append_new(tickets, api_ticket_json(req, &t));
        }
    }
    api_send(req, resp, 200, json_pack("{s:o,s:o}", "tickets", tickets, "failed", failed));
}

void desk_api_suspended_delete(struct desk_req *req, struct desk_resp *resp)
{
    int rc = desk_app_suspended_delete(req->app, &req->who, req->ids[0]);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_no_content(resp);
}

void desk_api_suspended_destroy_many(struct desk_req *req, struct desk_resp *resp)
{
    int64_t *ids;
    size_t n;
    if (api_ids_param(req, resp, &ids, &n)) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        int rc = desk_app_suspended_delete(req->app, &req->who, ids[i]);
        if (rc && rc != DESK_ENOTFOUND) {
            desk_api_error(req, resp, rc, NULL);
            return;
        }
    }
    api_no_content(resp);
}

void desk_api_comment_raw(struct desk_req *req, struct desk_resp *resp)
{
    const void *raw;
    size_t len;
    int rc =
        desk_app_mail_raw(req->app, &req->who, req->arena, req->ids[0], req->ids[1], &raw, &len);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    send_eml(resp, raw, len);
}

json_t *api_attachment_json(struct desk_req *req, const struct desk_attachment *at)
{
    json_t *o = json_object();
    char *content = at->sha256 ? api_url(req, "attachments/%lld/content", (long long)at->id) : NULL;
    json_object_set_new(o, "id", json_integer(at->id));
    json_object_set_new(o, "url",
                        json_string(api_url(req, "attachments/%lld.json", (long long)at->id)));
    json_object_set_new(o, "file_name", api_str(at->file_name));
    json_object_set_new(o, "content_url", api_str(content));
    json_object_set_new(o, "mapped_content_url", api_str(content));
    json_object_set_new(o, "content_type", api_str(at->content_type));
    json_object_set_new(o, "size", json_integer(at->size));
    json_object_set_new(o, "width", json_null());
    json_object_set_new(o, "height", json_null());
    json_object_set_new(o, "inline", json_boolean(at->is_inline));
    json_object_set_new(o, "deleted", json_false());
    json_object_set_new(o, "malware_scan_result", json_string("not_scanned"));
    json_object_set_new(o, "thumbnails", json_array());
    /* desk's own: the bytes were over the size limit and live only in the .eml. */
    json_object_set_new(o, "stored", json_boolean(at->sha256 != NULL));
    return o;
}

void desk_api_attachment_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_attachment at;
    int rc = desk_app_attachment_get(req->app, &req->who, req->arena, req->ids[0], &at);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "attachment", api_attachment_json(req, &at)));
}

/* Types a browser may render from the API's origin; anything else is a download. */
static const char *served_type(const char *type)
{
    static const char *const safe[] = {"image/png",  "image/jpeg",      "image/gif",
                                       "image/webp", "application/pdf", "text/plain"};
    for (size_t i = 0; i < sizeof(safe) / sizeof(safe[0]); i++) {
        if (type && strcmp(type, safe[i]) == 0) {
            return strcmp(type, "text/plain") == 0 ? "text/plain; charset=utf-8" : safe[i];
        }
    }
    return "application/octet-stream";
}

void desk_api_attachment_content(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_attachment at;
    const void *data;
    size_t len;
    int rc = desk_app_attachment_get(req->app, &req->who, req->arena, req->ids[0], &at);
    if (!rc) {
        rc = desk_app_attachment_content(req->app, req->arena, &at, &data, &len);
    }
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    resp->status = 200;
    resp->body = data;
    resp->body_len = len;
    resp->content_type = served_type(at.content_type);
}

void desk_api_mail_comment_ext(struct desk_req *req, const struct desk_comment *c, json_t *o)
{
    struct desk_mail_record r;
    struct desk_attachment *atts;
    size_t n;
    if (c->via != DESK_VIA_EMAIL ||
        desk_app_mail_for_comment(req->app, &req->who, req->arena, c->ticket_id, c->id, &r) != 0) {
        return;
    }
    if (desk_app_comment_attachments(req->app, req->arena, c->id, &atts, &n) == 0 && n) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            json_array_append_new(arr, api_attachment_json(req, &atts[i]));
        }
        json_object_set_new(o, "attachments", arr);
    }
    json_t *meta = json_object_get(o, "metadata");
    json_t *sys = meta ? json_object_get(meta, "system") : NULL;
    if (sys) {
        json_object_set_new(sys, "message_id", api_str(r.message_id));
        json_object_set_new(sys, "email_from", api_str(r.from_address));
        json_object_set_new(sys, "email_charset", api_str(r.charset));
        json_object_set_new(sys, "automatic", json_boolean((r.flags & 15) != 0));
        json_object_set_new(sys, "raw_email_url",
                            json_string(api_url(req, "tickets/%lld/comments/%lld/raw",
                                                (long long)c->ticket_id, (long long)c->id)));
    }
}

void desk_api_mail_undeliverable_clear(struct desk_req *req, struct desk_resp *resp)
{
    int rc = desk_app_mail_undeliverable_clear(req->app, &req->who, req->ids[0]);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_no_content(resp);
}

void desk_api_mail_user_ext(struct desk_req *req, const struct desk_user *u, json_t *o)
{
    struct desk_mail_undeliverable m;
    int rc = desk_app_mail_undeliverable_get(req->app, &req->who, req->arena, u, &m);
    if (rc == DESK_ENOTFOUND) {
        json_object_set_new(o, "email_undeliverable", json_null());
    } else if (!rc) {
        json_object_set_new(o, "email_undeliverable",
                            json_pack("{s:o,s:o,s:o,s:o,s:o}", "address", api_str(m.address),
                                      "since", api_time(m.created_at), "status", api_str(m.status),
                                      "diagnostic", api_str(m.diagnostic), "ticket_id",
                                      api_id(m.ticket_id)));
    }
}
