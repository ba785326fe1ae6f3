/*
 * Output side of the API: records as Zendesk-shaped JSON (every documented
 * key present, null when empty), errors, absolute URLs and pagination.
 */
#include "api/api_int.h"
#include "core/buf.h"
#include "core/str.h"
#include "core/time.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void api_send(struct desk_req *req, struct desk_resp *resp, int status, json_t *root)
{
    char *text = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(10));
    json_decref(root);
    resp->status = status;
    if (!text) {
        resp->status = 500;
        resp->body = "{\"error\":\"InternalError\",\"description\":\"cannot render response\"}";
        resp->body_len = strlen(resp->body);
        return;
    }
    size_t len = strlen(text);
    resp->body = desk_arena_strndup(req->arena, text, len);
    resp->body_len = len;
    free(text);
}

void api_no_content(struct desk_resp *resp)
{
    resp->status = 204;
    resp->body = "";
    resp->body_len = 0;
}

char *api_url(struct desk_req *req, const char *fmt, ...)
{
    char path[512];
    va_list ap;
    va_start(ap, fmt);
    /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): ap was just set by va_start */
    vsnprintf(path, sizeof(path), fmt, ap);
    va_end(ap);
    return desk_arena_printf(req->arena, "%s/%s", req->base, path);
}

void desk_api_error(struct desk_req *req, struct desk_resp *resp, int code,
                    const struct desk_fail *fail)
{
    json_t *root;
    int status = desk_err_status(code);
    if (code == DESK_EAUTH) {
        root = json_pack("{s:s}", "error", desk_err_msg(code));
    } else if (code == DESK_EINVALID) {
        json_t *details = json_object();
        for (size_t i = 0; fail && i < fail->n; i++) {
            const struct desk_fail_item *it = &fail->items[i];
            const char *field = it->field ? it->field : "base";
            json_t *arr = json_object_get(details, field);
            if (!arr) {
                arr = json_array();
                json_object_set_new(details, field, arr);
            }
            json_array_append_new(arr, json_pack("{s:s,s:s}", "description",
                                                 it->description ? it->description : "invalid",
                                                 "error", it->error ? it->error : "InvalidValue"));
        }
        root = json_pack("{s:s,s:s,s:o}", "error", desk_err_name(code), "description",
                         desk_err_msg(code), "details", details);
    } else {
        const char *desc = desk_err_msg(code);
        if (code == DESK_ENOTFOUND) {
            desc = "Not found";
        } else if (code == DESK_EFORBIDDEN) {
            desc = "You do not have access to this page. Please contact the account owner of "
                   "this help desk for further help.";
        }
        char *text = NULL;
        if (fail && fail->n) {
            /* Name the field and the reason, as the bad-input rules ask. */
            struct desk_buf b;
            desk_buf_init(&b, 0);
            for (size_t i = 0; i < fail->n; i++) {
                desk_buf_addf(&b, "%s%s", i ? "; " : "", fail->items[i].description);
            }
            text = desk_arena_strndup(req->arena, b.data, b.len);
            desk_buf_release(&b);
            desc = text;
        }
        root = json_pack("{s:s,s:s}", "error", desk_err_name(code), "description", desc);
        if (fail && fail->n && fail->items[0].field) {
            json_object_set_new(root, "field", json_string(fail->items[0].field));
        }
    }
    api_send(req, resp, status, root);
}

json_t *api_id(int64_t id)
{
    return id ? json_integer(id) : json_null();
}

json_t *api_str(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *api_time(int64_t ms)
{
    char iso[21];
    if (!ms) {
        return json_null();
    }
    desk_time_iso(ms, iso);
    return json_string(iso);
}

json_t *api_strv(const struct desk_strv *v)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < v->n; i++) {
        json_array_append_new(arr, json_string(v->v[i]));
    }
    return arr;
}

static json_t *via_json(int via)
{
    return json_pack("{s:s,s:{s:{},s:{},s:n}}", "channel", desk_via_name(via), "source", "from",
                     "to", "rel");
}

json_t *api_user_json(struct desk_req *req, const struct desk_user *u)
{
    /* Zendesk knows three roles; a supervisor is an agent there, and desk_role says more. */
    const char *role = u->role == DESK_ROLE_SUPERVISOR ? "agent" : desk_role_name(u->role);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(u->id));
    json_object_set_new(o, "url", json_string(api_url(req, "users/%lld.json", (long long)u->id)));
    json_object_set_new(o, "name", api_str(u->name));
    json_object_set_new(o, "email", api_str(u->email));
    json_object_set_new(o, "created_at", api_time(u->created_at));
    json_object_set_new(o, "updated_at", api_time(u->updated_at));
    json_object_set_new(o, "time_zone", api_str(u->time_zone));
    json_object_set_new(o, "iana_time_zone", api_str(u->time_zone));
    json_object_set_new(o, "phone", api_str(u->phone));
    json_object_set_new(o, "shared_phone_number", json_null());
    json_object_set_new(o, "photo", json_null());
    json_object_set_new(o, "locale", api_str(u->locale));
    json_object_set_new(o, "locale_id", json_integer(1));
    json_object_set_new(o, "organization_id", api_id(u->organization_id));
    json_object_set_new(o, "role", json_string(role));
    json_object_set_new(o, "desk_role", json_string(desk_role_name(u->role)));
    json_object_set_new(o, "role_type", json_null());
    json_object_set_new(o, "custom_role_id", json_null());
    json_object_set_new(o, "moderator", json_boolean(desk_role_is_staff(u->role)));
    json_object_set_new(o, "ticket_restriction",
                        desk_role_is_staff(u->role) ? json_null() : json_string("requested"));
    json_object_set_new(o, "only_private_comments", json_boolean(u->only_private_comments));
    json_object_set_new(o, "restricted_agent", json_false());
    json_object_set_new(o, "verified", json_boolean(u->verified));
    json_object_set_new(o, "external_id", api_str(u->external_id));
    json_object_set_new(o, "tags", api_strv(&u->tags));
    json_object_set_new(o, "alias", api_str(u->alias));
    json_object_set_new(o, "active", json_boolean(u->active));
    json_object_set_new(o, "shared", json_false());
    json_object_set_new(o, "shared_agent", json_false());
    json_object_set_new(o, "last_login_at", api_time(u->last_login_at));
    json_object_set_new(o, "two_factor_auth_enabled", json_false());
    json_object_set_new(o, "signature", api_str(u->signature));
    json_object_set_new(o, "details", api_str(u->details));
    json_object_set_new(o, "notes", api_str(u->notes));
    json_object_set_new(o, "suspended", json_boolean(u->suspended));
    json_object_set_new(o, "default_group_id", api_id(u->default_group_id));
    json_object_set_new(o, "report_csv", json_false());
    json_object_set_new(o, "user_fields", json_object());
    for (const api_user_ext_fn *f = api_user_exts; *f; f++) {
        (*f)(req, u, o);
    }
    return o;
}

json_t *api_org_json(struct desk_req *req, const struct desk_org *g)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(g->id));
    json_object_set_new(o, "url",
                        json_string(api_url(req, "organizations/%lld.json", (long long)g->id)));
    json_object_set_new(o, "name", api_str(g->name));
    json_object_set_new(o, "shared_tickets", json_boolean(g->shared_tickets));
    json_object_set_new(o, "shared_comments", json_boolean(g->shared_comments));
    json_object_set_new(o, "external_id", api_str(g->external_id));
    json_object_set_new(o, "created_at", api_time(g->created_at));
    json_object_set_new(o, "updated_at", api_time(g->updated_at));
    json_object_set_new(o, "domain_names", api_strv(&g->domain_names));
    json_object_set_new(o, "details", api_str(g->details));
    json_object_set_new(o, "notes", api_str(g->notes));
    json_object_set_new(o, "group_id", api_id(g->group_id));
    json_object_set_new(o, "tags", api_strv(&g->tags));
    json_object_set_new(o, "organization_fields", json_object());
    return o;
}

json_t *api_group_json(struct desk_req *req, const struct desk_group *g)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:b,s:b,s:b,s:o,s:o}", "id", (json_int_t)g->id, "url",
                     api_url(req, "groups/%lld.json", (long long)g->id), "name",
                     g->name ? g->name : "", "description", g->description ? g->description : "",
                     "default", g->is_default, "deleted", g->deleted, "is_public", g->is_public,
                     "created_at", api_time(g->created_at), "updated_at", api_time(g->updated_at));
}

json_t *api_membership_json(struct desk_req *req, const struct desk_membership *m)
{
    return json_pack("{s:I,s:s,s:I,s:I,s:b,s:o,s:o}", "id", (json_int_t)m->id, "url",
                     api_url(req, "group_memberships/%lld.json", (long long)m->id), "user_id",
                     (json_int_t)m->user_id, "group_id", (json_int_t)m->group_id, "default",
                     m->is_default, "created_at", api_time(m->created_at), "updated_at",
                     api_time(m->updated_at));
}

static json_t *ids_json(const int64_t *ids, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(arr, json_integer(ids[i]));
    }
    return arr;
}

json_t *api_ticket_json(struct desk_req *req, const struct desk_ticket *t)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(t->id));
    json_object_set_new(o, "url", json_string(api_url(req, "tickets/%lld.json", (long long)t->id)));
    json_object_set_new(o, "external_id", api_str(t->external_id));
    json_object_set_new(o, "via", via_json(t->via));
    json_object_set_new(o, "created_at", api_time(t->created_at));
    json_object_set_new(o, "updated_at", api_time(t->updated_at));
    json_object_set_new(o, "generated_timestamp", json_integer(t->updated_at / 1000));
    json_object_set_new(o, "type", api_str(desk_ttype_name(t->type)));
    json_object_set_new(o, "subject", api_str(t->subject));
    json_object_set_new(o, "raw_subject", api_str(t->subject));
    json_object_set_new(o, "description", api_str(t->description));
    json_object_set_new(o, "priority", api_str(desk_priority_name(t->priority)));
    json_object_set_new(
        o, "status",
        json_string(desk_status_name(t->deleted_at ? DESK_STATUS_DELETED : t->status)));
    json_object_set_new(o, "custom_status_id", json_null());
    json_object_set_new(o, "recipient", api_str(t->recipient));
    json_object_set_new(o, "requester_id", api_id(t->requester_id));
    json_object_set_new(o, "submitter_id", api_id(t->submitter_id));
    json_object_set_new(o, "assignee_id", api_id(t->assignee_id));
    json_object_set_new(o, "organization_id", api_id(t->organization_id));
    json_object_set_new(o, "group_id", api_id(t->group_id));
    json_object_set_new(o, "collaborator_ids",
                        ids_json(t->collaborator_ids, t->n_collaborator_ids));
    json_object_set_new(o, "follower_ids", ids_json(t->collaborator_ids, t->n_collaborator_ids));
    json_object_set_new(o, "email_cc_ids", json_array());
    json_object_set_new(o, "followup_ids", json_array());
    json_object_set_new(o, "sharing_agreement_ids", json_array());
    json_object_set_new(o, "forum_topic_id", json_null());
    json_object_set_new(o, "problem_id", api_id(t->problem_id));
    json_object_set_new(o, "has_incidents", json_false());
    json_object_set_new(o, "is_public", json_boolean(t->is_public));
    json_object_set_new(o, "due_at", api_time(t->due_at));
    json_object_set_new(o, "tags", api_strv(&t->tags));
    json_object_set_new(o, "custom_fields", json_array());
    json_object_set_new(o, "fields", json_array());
    json_object_set_new(o, "satisfaction_rating", json_null());
    json_object_set_new(o, "ticket_form_id", json_null());
    json_object_set_new(o, "brand_id", json_null());
    json_object_set_new(o, "allow_channelback", json_false());
    json_object_set_new(o, "allow_attachments", json_true());
    json_object_set_new(o, "from_messaging_channel", json_false());
    json_object_set_new(o, "language", api_str(t->language));
    json_object_set_new(o, "solved_at", api_time(t->solved_at));
    json_object_set_new(o, "version", json_integer(t->version));
    for (const api_ticket_ext_fn *f = api_ticket_exts; *f; f++) {
        (*f)(req, t, o);
    }
    return o;
}

/* The first comment's text when it is public; a private first note stays with the team. */
static const char *public_description(struct desk_req *req, const struct desk_ticket *t)
{
    struct desk_conn *c;
    struct desk_page p = {.limit = 1};
    struct desk_page_out out;
    struct desk_comment *first;
    if (desk_app_reader(req->app, &c) != 0 ||
        desk_store_comment_list(c, req->arena, t->id, false, &p, &first, &out) != 0 || !out.n) {
        return NULL;
    }
    return first[0].public ? first[0].body : NULL;
}

json_t *api_request_json(struct desk_req *req, const struct desk_ticket *t)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(t->id));
    json_object_set_new(o, "url",
                        json_string(api_url(req, "requests/%lld.json", (long long)t->id)));
    json_object_set_new(o, "subject", api_str(t->subject));
    json_object_set_new(o, "description", api_str(public_description(req, t)));
    json_object_set_new(o, "status", json_string(desk_status_name(t->status)));
    json_object_set_new(o, "priority", api_str(desk_priority_name(t->priority)));
    json_object_set_new(o, "type", api_str(desk_ttype_name(t->type)));
    json_object_set_new(o, "requester_id", api_id(t->requester_id));
    json_object_set_new(o, "assignee_id", api_id(t->assignee_id));
    json_object_set_new(o, "organization_id", api_id(t->organization_id));
    json_object_set_new(o, "group_id", api_id(t->group_id));
    json_object_set_new(o, "collaborator_ids",
                        ids_json(t->collaborator_ids, t->n_collaborator_ids));
    json_object_set_new(o, "email_cc_ids", json_array());
    json_object_set_new(o, "via", via_json(t->via));
    json_object_set_new(o, "custom_fields", json_array());
    json_object_set_new(o, "is_public", json_boolean(t->is_public));
    json_object_set_new(o, "can_be_solved_by_me",
                        json_boolean(t->status < DESK_STATUS_SOLVED && t->assignee_id != 0));
    json_object_set_new(o, "solved", json_boolean(t->status >= DESK_STATUS_SOLVED));
    json_object_set_new(o, "due_at", api_time(t->due_at));
    json_object_set_new(o, "recipient", api_str(t->recipient));
    json_object_set_new(o, "language", api_str(t->language));
    json_object_set_new(o, "created_at", api_time(t->created_at));
    json_object_set_new(o, "updated_at", api_time(t->updated_at));
    return o;
}

json_t *api_comment_json(struct desk_req *req, const struct desk_comment *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(c->id));
    json_object_set_new(o, "type", json_string("Comment"));
    json_object_set_new(o, "author_id", api_id(c->author_id));
    json_object_set_new(o, "body", api_str(c->body));
    json_object_set_new(o, "html_body", api_str(c->html_body));
    json_object_set_new(o, "plain_body", api_str(c->body));
    json_object_set_new(o, "public", json_boolean(c->public));
    json_object_set_new(o, "attachments", json_array());
    json_object_set_new(o, "audit_id", api_id(c->audit_id));
    json_object_set_new(o, "via", via_json(c->via));
    json_object_set_new(o, "metadata", json_pack("{s:{},s:{}}", "system", "custom"));
    json_object_set_new(o, "created_at", api_time(c->created_at));
    for (const api_comment_ext_fn *f = api_comment_exts; *f; f++) {
        (*f)(req, c, o);
    }
    return o;
}

json_t *api_audit_json(struct desk_req *req, const struct desk_audit *a)
{
    (void)req;
    json_t *events = json_array();
    for (size_t i = 0; i < a->n_events; i++) {
        const struct desk_audit_event *e = &a->events[i];
        json_t *ev = json_object();
        json_object_set_new(ev, "id", json_integer(e->id));
        json_object_set_new(ev, "type", json_string(e->type));
        if (strcmp(e->type, "Comment") == 0) {
            json_object_set_new(ev, "comment_id", api_id(e->comment_id));
            json_object_set_new(ev, "author_id", api_id(a->author_id));
            json_object_set_new(ev, "body", api_str(e->body));
            json_object_set_new(ev, "plain_body", api_str(e->body));
            json_object_set_new(ev, "public",
                                json_boolean(e->new_value && strcmp(e->new_value, "public") == 0));
            json_object_set_new(ev, "attachments", json_array());
            json_object_set_new(ev, "audit_id", api_id(a->id));
        } else {
            json_object_set_new(ev, "field_name", api_str(e->field));
            json_object_set_new(ev, "value", api_str(e->new_value));
            if (strcmp(e->type, "Change") == 0) {
                json_object_set_new(ev, "previous_value", api_str(e->old_value));
            }
        }
        json_array_append_new(events, ev);
    }
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:{s:{},s:{}},s:o}", "id", api_id(a->id), "ticket_id",
                     api_id(a->ticket_id), "author_id", api_id(a->author_id), "created_at",
                     api_time(a->created_at), "via", via_json(a->via), "metadata", "system",
                     "custom", "events", events);
}

/* ---- pagination ----------------------------------------------------------- */

/* The request's own parameters minus the paging ones, URL-encoded, for next/prev links. */
static void kept_params(struct desk_req *req, struct desk_buf *b)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < req->n_params; i++) {
        const char *k = req->params[i].key;
        if (strcmp(k, "page") == 0 || strncmp(k, "page[", 5) == 0 || strcmp(k, "per_page") == 0) {
            continue;
        }
        const char *parts[2] = {k, req->params[i].value};
        for (int p = 0; p < 2; p++) {
            for (const unsigned char *s = (const unsigned char *)parts[p]; *s; s++) {
                if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.' || *s == '~') {
                    desk_buf_add(b, s, 1);
                } else {
                    char esc[3] = {'%', hex[*s >> 4], hex[*s & 15]};
                    desk_buf_add(b, esc, 3);
                }
            }
            desk_buf_adds(b, p == 0 ? "=" : "&");
        }
    }
}

static char *page_url(struct desk_req *req, const char *paging)
{
    struct desk_buf b;
    desk_buf_init(&b, 0);
    desk_buf_addf(&b, "%s/%s.json?", req->base, req->resource);
    kept_params(req, &b);
    desk_buf_adds(&b, paging);
    char *s = desk_arena_strndup(req->arena, b.data, b.len);
    desk_buf_release(&b);
    return s;
}

int api_page(struct desk_req *req, struct desk_resp *resp, struct desk_page *p)
{
    memset(p, 0, sizeof(*p));
    p->limit = 100;
    const char *size = desk_api_param(req, "page[size]");
    const char *after = desk_api_param(req, "page[after]");
    const char *before = desk_api_param(req, "page[before]");
    const char *page = desk_api_param(req, "page");
    const char *per = desk_api_param(req, "per_page");
    struct desk_fail fail = {0};
    int64_t v;
    if (size || after || before) {
        p->cursor = true;
        if (size) {
            if (desk_str_to_i64(size, strlen(size), &v) || v < 1 || v > 100) {
                desk_fail(&fail, DESK_EINVAL, "page[size]", "InvalidValue",
                          "page[size]: must be a whole number from 1 to 100");
                desk_api_error(req, resp, DESK_EINVAL, &fail);
                return -1;
            }
            p->limit = (int)v;
        }
        /* Cursors are opaque to clients, but one we never issued is a client bug worth
         * reporting rather than silently restarting the walk. */
        const char *cur = after ? after : before;
        if (cur && *cur) {
            if (*cur != 'i' || desk_str_to_i64(cur + 1, strlen(cur + 1), &v) || v <= 0) {
                desk_fail(&fail, DESK_EINVAL, after ? "page[after]" : "page[before]",
                          "InvalidValue", "page cursor: is not a cursor this server issued");
                desk_api_error(req, resp, DESK_EINVAL, &fail);
                return -1;
            }
            if (after) {
                p->after = v;
            } else {
                p->before = v;
            }
        }
        return 0;
    }
    if (per) {
        if (desk_str_to_i64(per, strlen(per), &v) || v < 1 || v > 100) {
            desk_fail(&fail, DESK_EINVAL, "per_page", "InvalidValue",
                      "per_page: must be a whole number from 1 to 100");
            desk_api_error(req, resp, DESK_EINVAL, &fail);
            return -1;
        }
        p->limit = (int)v;
    }
    if (page) {
        if (desk_str_to_i64(page, strlen(page), &v) || v < 1 || v > 100000) {
            desk_fail(&fail, DESK_EINVAL, "page", "InvalidValue",
                      "page: must be a whole number from 1");
            desk_api_error(req, resp, DESK_EINVAL, &fail);
            return -1;
        }
        p->offset = (v - 1) * p->limit;
    }
    return 0;
}

void api_page_links(struct desk_req *req, json_t *root, const struct desk_page *p,
                    const struct desk_page_out *out, int64_t first_id, int64_t last_id)
{
    if (!p->cursor) {
        int64_t page = p->offset / p->limit + 1;
        char paging[96];
        json_t *next = json_null(), *prev = json_null();
        if (out->more) {
            snprintf(paging, sizeof(paging), "page=%lld&per_page=%d", (long long)page + 1,
                     p->limit);
            next = json_string(page_url(req, paging));
        }
        if (page > 1) {
            snprintf(paging, sizeof(paging), "page=%lld&per_page=%d", (long long)(page - 1),
                     p->limit);
            prev = json_string(page_url(req, paging));
        }
        json_object_set_new(root, "next_page", next);
        json_object_set_new(root, "previous_page", prev);
        json_object_set_new(root, "count", json_integer(out->total < 0 ? 0 : out->total));
        return;
    }
    /* Going forward, "more" comes from the look-ahead row; going backwards there is
     * always a next page (the one we came from). */
    bool backwards = p->before && !p->after;
    bool has_next = out->n && (backwards || out->more);
    bool has_prev = out->n && (backwards ? out->more : (p->after != 0));
    char paging[128];
    json_t *links = json_object(), *meta = json_object();
    char after_c[24], before_c[24];
    snprintf(after_c, sizeof(after_c), "i%lld", (long long)last_id);
    snprintf(before_c, sizeof(before_c), "i%lld", (long long)first_id);
    json_object_set_new(meta, "has_more", json_boolean(has_next));
    json_object_set_new(meta, "after_cursor", out->n ? json_string(after_c) : json_null());
    json_object_set_new(meta, "before_cursor", out->n ? json_string(before_c) : json_null());
    if (has_next) {
        snprintf(paging, sizeof(paging), "page%%5Bafter%%5D=%s&page%%5Bsize%%5D=%d", after_c,
                 p->limit);
        json_object_set_new(links, "next", json_string(page_url(req, paging)));
    } else {
        json_object_set_new(links, "next", json_null());
    }
    if (has_prev) {
        snprintf(paging, sizeof(paging), "page%%5Bbefore%%5D=%s&page%%5Bsize%%5D=%d", before_c,
                 p->limit);
        json_object_set_new(links, "prev", json_string(page_url(req, paging)));
    } else {
        json_object_set_new(links, "prev", json_null());
    }
    json_object_set_new(root, "meta", meta);
    json_object_set_new(root, "links", links);
}

void api_send_list(struct desk_req *req, struct desk_resp *resp, const char *key, json_t *items,
                   const struct desk_page *p, const struct desk_page_out *out, int64_t first_id,
                   int64_t last_id)
{
    json_t *root = json_object();
    json_object_set_new(root, key, items);
    api_page_links(req, root, p, out, first_id, last_id);
    api_send(req, resp, 200, root);
}
