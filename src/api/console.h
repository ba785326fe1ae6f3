/*
 * The web console's API handlers: browser sessions, macros with language
 * variants, saved views, spell-checking and the live wall's snapshot. The
 * route table in http/routes.c names them.
 */
#ifndef DESK_API_CONSOLE_H
#define DESK_API_CONSOLE_H

#include "api/api.h"

/* Name of the session cookie. */
#define DESK_SESSION_COOKIE "desk_session"

/* POST /sessions {"session":{"email","password"}}: 201, a session cookie and the CSRF token. */
void desk_api_sessions_create(struct desk_req *req, struct desk_resp *resp);
/* GET /sessions/current: the signed-in user, the CSRF token (cookie sessions) and capabilities. */
void desk_api_sessions_current(struct desk_req *req, struct desk_resp *resp);
/* DELETE /sessions/current: signs out and clears the cookie. */
void desk_api_sessions_delete(struct desk_req *req, struct desk_resp *resp);

#endif
