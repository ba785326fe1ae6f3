/*
 * /api/v2/mailboxes (see mailboxes.h).
 */
#include "api/mailboxes.h"
#include "api/api_int.h"
#include "app/mailbox.h"

#include <string.h>

static json_t *mailbox_json(struct desk_req *req, const struct desk_mailbox *m)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(m->id));
    json_object_set_new(o, "url",
                        json_string(api_url(req, "mailboxes/%lld.json", (long long)m->id)));
    json_object_set_new(o, "name", api_str(m->name));
    json_object_set_new(o, "host", api_str(m->host));
    json_object_set_new(o, "port", json_integer(m->port));
    json_object_set_new(o, "tls", api_str(m->tls));
    json_object_set_new(o, "username", api_str(m->username));
    json_object_set_new(o, "folder", api_str(m->folder));
    json_object_set_new(o, "active", json_boolean(m->active));
    json_object_set_new(o, "poll_interval", json_integer(m->poll_interval));
    json_object_set_new(o, "last_poll_at", api_time(m->last_poll_at));
    json_object_set_new(o, "last_success_at", api_time(m->last_success_at));
    json_object_set_new(o, "last_error", api_str(m->last_error));
    json_object_set_new(o, "failures", json_integer(m->failures));
    json_object_set_new(o, "messages_stored", json_integer(m->messages_stored));
    json_object_set_new(o, "created_at", api_time(m->created_at));
    json_object_set_new(o, "updated_at", api_time(m->updated_at));
    return o;
}

static int mailbox_input(struct desk_req *req, json_t *o, struct desk_mailbox_input *in,
                         struct desk_fail *f)
{
    int rc = 0;
    bool has_port = false, has_interval = false;
    memset(in, 0, sizeof(*in));
    rc = rc ? rc : api_in_str(req, o, "name", 255, &in->name, &in->has_name, f);
    rc = rc ? rc : api_in_str(req, o, "host", 253, &in->host, &in->has_host, f);
    rc = rc ? rc : api_in_str(req, o, "tls", 16, &in->tls, &in->has_tls, f);
    rc = rc ? rc : api_in_str(req, o, "username", 255, &in->username, &in->has_username, f);
    rc = rc ? rc : api_in_str(req, o, "password", 1024, &in->password, &in->has_password, f);
    rc = rc ? rc : api_in_str(req, o, "folder", 255, &in->folder, &in->has_folder, f);
    rc = rc ? rc : api_in_bool(req, o, "active", &in->active, &in->has_active, f);
    json_t *port = json_object_get(o, "port"), *interval = json_object_get(o, "poll_interval");
    if (!rc && port && !json_is_null(port)) {
        if (!json_is_integer(port)) {
            return desk_fail(f, DESK_EINVALID, "port", "InvalidType", "Port: must be a number");
        }
        in->port = json_integer_value(port);
        has_port = true;
    }
    if (!rc && interval && !json_is_null(interval)) {
        if (!json_is_integer(interval)) {
            return desk_fail(f, DESK_EINVALID, "poll_interval", "InvalidType",
                             "Poll interval: must be a number of seconds");
        }
        in->poll_interval = json_integer_value(interval);
        has_interval = true;
    }
    in->has_port = has_port;
    in->has_poll_interval = has_interval;
    return rc;
}

static void send_mailbox(struct desk_req *req, struct desk_resp *resp, int status,
                         const struct desk_mailbox *m)
{
    if (status == 201) {
        resp->location = api_url(req, "mailboxes/%lld.json", (long long)m->id);
    }
    api_send(req, resp, status, json_pack("{s:o}", "mailbox", mailbox_json(req, m)));
}

void desk_api_mailboxes_list(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_mailbox *items;
    if (api_page(req, resp, &p)) {
        return;
    }
    int rc = desk_app_mailbox_list(req->app, &req->who, req->arena, &p, &items, &out);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < out.n; i++) {
        json_array_append_new(arr, mailbox_json(req, &items[i]));
    }
    api_send_list(req, resp, "mailboxes", arr, &p, &out, out.n ? items[0].id : 0,
                  out.n ? items[out.n - 1].id : 0);
}

void desk_api_mailboxes_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_mailbox m;
    int rc = desk_app_mailbox_get(req->app, &req->who, req->arena, req->ids[0], &m);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    send_mailbox(req, resp, 200, &m);
}

static void write_mailbox(struct desk_req *req, struct desk_resp *resp, bool create)
{
    json_t *doc, *o;
    struct desk_mailbox_input in;
    struct desk_fail fail = {0};
    struct desk_mailbox m;
    if (api_body(req, resp, "mailbox", &doc, &o)) {
        return;
    }
    int rc = mailbox_input(req, o, &in, &fail);
    json_decref(doc);
    if (!rc) {
        rc = create ? desk_app_mailbox_create(req->app, &req->who, req->arena, &in, &m, &fail)
                    : desk_app_mailbox_update(req->app, &req->who, req->arena, req->ids[0], &in, &m,
                                              &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    send_mailbox(req, resp, create ? 201 : 200, &m);
}

void desk_api_mailboxes_create(struct desk_req *req, struct desk_resp *resp)
{
    write_mailbox(req, resp, true);
}

void desk_api_mailboxes_update(struct desk_req *req, struct desk_resp *resp)
{
    write_mailbox(req, resp, false);
}

void desk_api_mailboxes_delete(struct desk_req *req, struct desk_resp *resp)
{
    int rc = desk_app_mailbox_delete(req->app, &req->who, req->ids[0]);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_no_content(resp);
}
