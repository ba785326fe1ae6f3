/*
 * /api/v2/sessions: signing a browser in and out. The cookie is HttpOnly,
 * SameSite=Lax, and Secure when the client reached us over TLS (directly or
 * through a proxy saying X-Forwarded-Proto: https); the CSRF token comes in
 * the body and must accompany every write made with the cookie.
 */
#include "api/api_int.h"
#include "api/console.h"
#include "app/sessions.h"
#include "core/time.h"

#include <string.h>

static const char *cookie(struct desk_req *req, const char *value, int64_t max_age_s)
{
    bool tls = strncmp(req->base, "https://", 8) == 0;
    return desk_arena_printf(req->arena, "%s=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Lax%s",
                             DESK_SESSION_COOKIE, value, (long long)max_age_s,
                             tls ? "; Secure" : "");
}

static json_t *session_json(struct desk_req *req, const struct desk_user *u, const char *csrf,
                            int64_t expires_at)
{
    return json_pack("{s:{s:o,s:o,s:o}}", "session", "user", api_user_json(req, u), "csrf_token",
                     api_str(csrf), "expires_at", api_time(expires_at));
}

void desk_api_sessions_create(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_fail fail = {0};
    const char *email = NULL, *password = NULL;
    bool has;
    if (api_body(req, resp, "session", &doc, &o)) {
        return;
    }
    int rc = api_in_str(req, o, "email", 254, &email, &has, &fail);
    rc = rc ? rc : api_in_str(req, o, "password", 1024, &password, &has, &fail);
    json_decref(doc);
    if (!rc && (!email || !*email)) {
        rc = desk_fail(&fail, DESK_EINVALID, "email", "BlankValue", "Email: cannot be blank");
    }
    if (!rc && (!password || !*password)) {
        rc = desk_fail(&fail, DESK_EINVALID, "password", "BlankValue", "Password: cannot be blank");
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    struct desk_session_new s;
    int64_t retry_ms = 0;
    rc = desk_app_session_login(req->app, req->arena, email, password, req->peer, req->user_agent,
                                &s, &retry_ms);
    explicit_bzero((char *)password, strlen(password));
    if (rc == DESK_ERATE) {
        resp->retry_after_ms = retry_ms;
    }
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    req->who = s.who;
    struct desk_user u;
    if ((rc = desk_app_user_get(req->app, &s.who, req->arena, s.who.user_id, &u)) != 0) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    resp->set_cookie = cookie(req, s.token, DESK_SESSION_TTL_MS / 1000);
    api_send(req, resp, 201, session_json(req, &u, s.csrf_token, s.expires_at));
}

void desk_api_sessions_current(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_user u;
    int rc = desk_app_user_get(req->app, &req->who, req->arena, req->who.user_id, &u);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    const char *csrf = req->session ? desk_app_session_csrf(req->arena, req->session) : NULL;
    api_send(req, resp, 200, session_json(req, &u, csrf, 0));
}

void desk_api_sessions_delete(struct desk_req *req, struct desk_resp *resp)
{
    if (!req->session) {
        struct desk_fail fail = {0};
        desk_fail(&fail, DESK_EINVALID, "base", "NoSession",
                  "Session: this request is not signed in with a session cookie");
        desk_api_error(req, resp, DESK_EINVALID, &fail);
        return;
    }
    int rc = desk_app_session_logout(req->app, req->session);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    resp->set_cookie = cookie(req, "", 0);
    api_no_content(resp);
}
