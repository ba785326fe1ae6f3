/*
 * Inside http/: signing requests in from the session cookie, with the CSRF
 * check on writes, and the client's address for rate limits.
 */
#ifndef DESK_HTTP_SESSION_H
#define DESK_HTTP_SESSION_H

#include "api/api.h"

struct MHD_Connection;

/*
 * Signs req in from its session cookie when it has one: sets req->who and
 * req->session. An absent, unknown or expired cookie leaves req anonymous
 * (role -1) and returns 0, so a stale cookie never blocks signing in again.
 * A write (any method but GET) signed in by cookie must carry the
 * session's X-CSRF-Token header: DESK_ECSRF otherwise. Signing in (POST
 * /sessions) is exempt and always anonymous.
 */
int desk_http_session_auth(struct desk_app *app, struct MHD_Connection *conn, struct desk_req *req);

/* The client's address as text (arena), or NULL when unknown. */
const char *desk_http_peer(struct desk_arena *a, struct MHD_Connection *conn);

#endif
