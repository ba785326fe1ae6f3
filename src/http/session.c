/*
 * Cookie sessions on the HTTP side: reading the session cookie, the CSRF
 * header check on writes, and the peer address (see session.h). The rules
 * themselves (hashing, expiry, revocation) are app/sessions.c's.
 */
#include "http/session.h"
#include "api/console.h"
#include "app/sessions.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <string.h>

int desk_http_session_auth(struct desk_app *app, struct MHD_Connection *conn, struct desk_req *req)
{
    req->who.role = -1;
    req->session = NULL;
    if (req->method == DESK_POST && req->resource && strcmp(req->resource, "sessions") == 0) {
        return 0;
    }
    const char *token = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, DESK_SESSION_COOKIE);
    if (!token || !*token || strlen(token) > 128) {
        return 0;
    }
    struct desk_actor who;
    int rc = desk_app_session_auth(app, token, &who);
    if (rc) {
        return rc == DESK_EAUTH ? 0 : rc;
    }
    if (req->method != DESK_GET) {
        const char *csrf = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-CSRF-Token");
        if (!desk_app_session_csrf_ok(token, csrf)) {
            return DESK_ECSRF;
        }
    }
    req->who = who;
    req->session = desk_arena_strdup(req->arena, token);
    return 0;
}

const char *desk_http_peer(struct desk_arena *a, struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char text[INET6_ADDRSTRLEN];
    if (!ci || !ci->client_addr) {
        return NULL;
    }
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET &&
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, text,
                  sizeof(text))) {
        return desk_arena_strdup(a, text);
    }
    if (sa->sa_family == AF_INET6 &&
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, text,
                  sizeof(text))) {
        return desk_arena_strdup(a, text);
    }
    return NULL;
}
