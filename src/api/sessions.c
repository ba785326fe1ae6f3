/*
 * /api/v2/sessions: signing a browser in and out. The cookie is HttpOnly,
 * SameSite=Lax, and Secure when the client reached us over TLS (directly or
 * through a proxy saying X-Forwarded-Proto: https); the CSRF token comes in
 * the body and must accompany every write made with the cookie.
 */
#include "api/api_int.h"
#include "api/console.h"
#include "app/sessions.h"
#include "core/log.h"
#include "core/time.h"
#include "mail/signin.h"

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

/* Answers a new session: the cookie and {session:{user, csrf_token, expires_at}}. */
static void send_session(struct desk_req *req, struct desk_resp *resp,
                         const struct desk_session_new *s)
{
    req->who = s->who;
    struct desk_user u;
    int rc = desk_app_user_get(req->app, &s->who, req->arena, s->who.user_id, &u);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    resp->set_cookie = cookie(req, s->token, DESK_SESSION_TTL_MS / 1000);
    api_send(req, resp, 201, session_json(req, &u, s->csrf_token, s->expires_at));
}

void desk_api_sessions_create(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_fail fail = {0};
    const char *email = NULL, *password = NULL, *link = NULL;
    bool has;
    if (api_body(req, resp, "session", &doc, &o)) {
        return;
    }
    int rc = api_in_str(req, o, "email", 254, &email, &has, &fail);
    rc = rc ? rc : api_in_str(req, o, "password", 1024, &password, &has, &fail);
    rc = rc ? rc : api_in_str(req, o, "link_token", 128, &link, &has, &fail);
    json_decref(doc);
    struct desk_session_new s;
    int64_t retry_ms = 0;
    if (!rc && link) {
        /* A one-time link from the sign-in mail instead of a password. */
        if (!*link) {
            rc = desk_fail(&fail, DESK_EINVALID, "link_token", "BlankValue",
                           "Link token: cannot be blank");
        } else {
            rc = desk_app_session_login_link(req->app, req->arena, link, req->peer, req->user_agent,
                                             &s, &retry_ms);
        }
        if (rc == DESK_ERATE) {
            resp->retry_after_ms = retry_ms;
        }
        if (rc) {
            desk_api_error(req, resp, rc, &fail);
            return;
        }
        send_session(req, resp, &s);
        return;
    }
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
    send_session(req, resp, &s);
}

void desk_api_session_links_create(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_fail fail = {0};
    const char *email = NULL;
    bool has;
    if (api_body(req, resp, "session_link", &doc, &o)) {
        return;
    }
    int rc = api_in_str(req, o, "email", 254, &email, &has, &fail);
    json_decref(doc);
    if (!rc && (!email || !strchr(email, '@'))) {
        rc = desk_fail(
            &fail, DESK_EINVALID, "email", email && *email ? "InvalidValue" : "BlankValue",
            email && *email ? "Email: is not an email address" : "Email: cannot be blank");
    }
    struct desk_signin_link l;
    int64_t retry_ms = 0;
    if (!rc) {
        rc = desk_app_signin_link_request(req->app, req->arena, email, req->peer, &l, &retry_ms);
    }
    if (!rc && l.user_id) {
        /* The link opens the portal, which trades the token for a session (the fragment never
         * reaches a server log or a Referer). */
        const char *base = desk_mail_signin_public_url();
        if (!base) {
            size_t n = strlen(req->base);
            base = desk_arena_strndup(req->arena, req->base, n > 7 ? n - 7 : n); /* "/api/v2" */
        }
        struct desk_outbox_msg m = {.kind = "signin",
                                    .user_id = l.user_id,
                                    .to_addr = l.to_addr,
                                    .to_name = l.to_name,
                                    .language = l.language ? l.language : "en"};
        const char *url = desk_arena_printf(req->arena, "%s/portal/#/link/%s", base, l.token);
        rc = desk_mail_signin_render(req->arena, url, (int)(DESK_SIGNIN_LINK_TTL_MS / 60000), &m);
        if (rc == DESK_EINVAL) {
            desk_log(DESK_LOG_ERROR,
                     "event=signin_link_unsent error=\"no mail sender (--mail-from)\"");
            rc = desk_fail(&fail, DESK_EINVALID, "email", "Unavailable",
                           "Email: sign-in links cannot be sent (no outgoing mail configured)");
        } else if (!rc) {
            rc = desk_app_signin_link_queue(req->app, &l, &m);
        }
    }
    if (rc == DESK_ERATE) {
        resp->retry_after_ms = retry_ms;
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    /* The same answer whether or not the address has an account. */
    api_send(req, resp, 202,
             json_pack("{s:{s:s,s:I}}", "session_link", "email", email, "expires_in_seconds",
                       (json_int_t)(DESK_SIGNIN_LINK_TTL_MS / 1000)));
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
