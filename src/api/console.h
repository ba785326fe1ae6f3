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
/* POST /sessions/links {"session_link":{"email"}}: 202; mails a customer a one-time link. */
void desk_api_session_links_create(struct desk_req *req, struct desk_resp *resp);
/* GET /sessions/current: the signed-in user, the CSRF token (cookie sessions) and capabilities. */
void desk_api_sessions_current(struct desk_req *req, struct desk_resp *resp);
/* DELETE /sessions/current: signs out and clears the cookie. */
void desk_api_sessions_delete(struct desk_req *req, struct desk_resp *resp);

/* GET /live: Server-Sent Events for the live wall (snapshot first, then ticket events). */
void desk_api_live_stream(struct desk_req *req, struct desk_resp *resp);
/* PUT /tickets/:id/viewing {"viewing":{"typing"}}: tell the other agents on the ticket. */
void desk_api_live_viewing(struct desk_req *req, struct desk_resp *resp);
/* GET /live/queues: the wall's snapshot as JSON. */
void desk_api_live_queues(struct desk_req *req, struct desk_resp *resp);

/* Macros: list (and /active), show, create, update, delete, apply (with or without a ticket). */
void desk_api_macros_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_macros_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_macros_create(struct desk_req *req, struct desk_resp *resp);
void desk_api_macros_update(struct desk_req *req, struct desk_resp *resp);
void desk_api_macros_delete(struct desk_req *req, struct desk_resp *resp);
void desk_api_macros_apply(struct desk_req *req, struct desk_resp *resp);

/* Views: list (and /active), show, create, update, delete, their tickets and count. */
void desk_api_views_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_views_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_views_create(struct desk_req *req, struct desk_resp *resp);
void desk_api_views_update(struct desk_req *req, struct desk_resp *resp);
void desk_api_views_delete(struct desk_req *req, struct desk_resp *resp);
void desk_api_views_tickets(struct desk_req *req, struct desk_resp *resp);
void desk_api_views_count(struct desk_req *req, struct desk_resp *resp);

/* POST /uploads?filename=NAME[&token=T], raw bytes: 201 {upload:{token, attachments, ...}}. */
void desk_api_uploads_create(struct desk_req *req, struct desk_resp *resp);
/* DELETE /uploads/{token}: 204. */
void desk_api_uploads_delete(struct desk_req *req, struct desk_resp *resp);
/* POST /spellcheck {text, language | ticket_id}: misspellings with offsets and suggestions. */
void desk_api_spellcheck(struct desk_req *req, struct desk_resp *resp);

#endif
