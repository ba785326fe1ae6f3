/*
 * Zendesk's uploads: POST /uploads?filename=NAME[&token=T] with the raw
 * bytes as the body answers a token for comment.uploads; DELETE
 * /uploads/{token} discards one. Plus the comment field that lists the
 * attachments of comments not made from mail (mail's own extension lists
 * those of mail comments).
 */
#include "api/api_int.h"
#include "api/console.h"
#include "api/mail_in.h"
#include "api/uploads.h"
#include "app/app_mail.h"
#include "app/uploads.h"
#include "core/time.h"

#include <string.h>

/* A token is what desk makes: base64url, at most 64 characters. */
static bool token_ok(const char *s)
{
    size_t n = strlen(s);
    if (!n || n > 64) {
        return false;
    }
    return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == n;
}

int api_uploads_comment_input(struct desk_req *req, json_t *comment, struct desk_ticket_input *in,
                              struct desk_fail *f)
{
    json_t *up = json_object_get(comment, "uploads");
    if (!up || json_is_null(up)) {
        return 0;
    }
    if (!json_is_array(up) || json_array_size(up) > 20) {
        return desk_fail(f, DESK_EINVALID, "comment.uploads", "InvalidType",
                         "comment.uploads: must be an array of at most 20 upload tokens");
    }
    size_t n = json_array_size(up);
    in->comment_uploads.v = desk_arena_alloc(req->arena, (n ? n : 1) * sizeof(char *));
    in->comment_uploads.n = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(up, i);
        if (!json_is_string(v) || !token_ok(json_string_value(v))) {
            return desk_fail(f, DESK_EINVALID, "comment.uploads", "InvalidValue",
                             "comment.uploads: each item must be an upload token");
        }
        in->comment_uploads.v[in->comment_uploads.n++] =
            desk_arena_strdup(req->arena, json_string_value(v));
    }
    return 0;
}

void desk_api_uploads_create(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_fail fail = {0};
    const char *name = desk_api_param(req, "filename");
    const char *token = desk_api_param(req, "token");
    const char *new_token;
    struct desk_attachment at, *all;
    size_t n;
    int rc = 0;
    if (token && *token && !token_ok(token)) {
        rc = desk_fail(&fail, DESK_EINVALID, "token", "InvalidValue", "token: not an upload token");
    }
    if (!rc) {
        rc = desk_app_upload_add(req->app, &req->who, req->arena, token && *token ? token : NULL,
                                 name, req->body, req->body_len, &new_token, &at, &fail);
    }
    if (!rc) {
        rc = desk_app_upload_list(req->app, &req->who, req->arena, new_token, &all, &n);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    json_t *atts = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(atts, api_attachment_json(req, &all[i]));
    }
    json_t *u = json_pack("{s:s,s:o,s:o,s:o}", "token", new_token, "expires_at",
                          api_time(at.created_at + DESK_UPLOAD_TTL_MS), "attachments", atts,
                          "attachment", api_attachment_json(req, &at));
    api_send(req, resp, 201, json_pack("{s:o}", "upload", u));
}

void desk_api_uploads_delete(struct desk_req *req, struct desk_resp *resp)
{
    int rc =
        token_ok(req->sid) ? desk_app_upload_delete(req->app, &req->who, req->sid) : DESK_ENOTFOUND;
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_no_content(resp);
}

void desk_api_upload_comment_ext(struct desk_req *req, const struct desk_comment *c, json_t *o)
{
    struct desk_attachment *atts;
    size_t n = 0;
    if (c->via == DESK_VIA_EMAIL) {
        return; /* mail's extension lists them */
    }
    json_t *arr = json_array();
    if (desk_app_comment_attachments(req->app, req->arena, c->id, &atts, &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            json_array_append_new(arr, api_attachment_json(req, &atts[i]));
        }
    }
    json_object_set_new(o, "attachments", arr);
}
