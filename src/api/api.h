/*
 * The JSON API: one handler per resource action, translating between the
 * Zendesk-compatible wire format and app/ use cases. The HTTP layer (http/)
 * parses the request into a desk_req, picks the handler from its route
 * table, and sends the desk_resp back. Only this module includes jansson.h.
 */
#ifndef DESK_API_API_H
#define DESK_API_API_H

#include "app/app.h"
#include "core/arena.h"
#include "core/error.h"

#include <stddef.h>
#include <stdint.h>

enum desk_method { DESK_GET, DESK_POST, DESK_PUT, DESK_DELETE, DESK_PATCH };

struct desk_param {
    const char *key;
    const char *value;
};

/* One request, as the handlers see it. Everything is owned by arena. */
struct desk_req {
    struct desk_arena *arena;
    struct desk_app *app;
    int method;
    const char *base;     /* "http://host:port/api/v2", for absolute URLs */
    const char *resource; /* the path below /api/v2 without ".json", e.g. "tickets/5/comments" */
    int64_t ids[3];       /* numeric path parameters in order */
    size_t n_ids;
    const char *sid; /* a string path parameter (job status id) */
    struct desk_param *params;
    size_t n_params;
    const char *body;
    size_t body_len;
    struct desk_actor who;
    const char *peer;       /* the client's address, for rate limits */
    const char *session;    /* the session token when signed in by cookie, else NULL */
    const char *user_agent; /* the User-Agent header, or NULL */
};

/* The answer: status, JSON body (arena), and an optional Location. */
struct desk_resp {
    int status;
    const char *body;
    size_t body_len;
    const char *location;
    const char *content_type; /* NULL: JSON */
    const char *set_cookie;   /* a Set-Cookie header value, or NULL */
    int64_t retry_after_ms;   /* with 429: sent as Retry-After (seconds, rounded up) */
    int64_t stream_user_id; /* a text/event-stream: whose (events hidden from them are left out) */
};

typedef void (*desk_api_fn)(struct desk_req *req, struct desk_resp *resp);

/*
 * Fills resp with a Zendesk-shaped error for code: 401 {"error":"Couldn't
 * authenticate you"}, 404 {"error":"RecordNotFound","description":"Not
 * found"}, 422 with "details" from fail, others {"error","description"}.
 * fail may be NULL.
 */
void desk_api_error(struct desk_req *req, struct desk_resp *resp, int code,
                    const struct desk_fail *fail);

/* Value of query parameter key (already decoded), or NULL. Borrowed from req. */
const char *desk_api_param(const struct desk_req *req, const char *key);

/* Handlers, grouped by resource (the route table in http/ names them). */
void desk_api_users_me(struct desk_req *req, struct desk_resp *resp);
void desk_api_users_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_users_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_users_show_many(struct desk_req *req, struct desk_resp *resp);
void desk_api_users_create(struct desk_req *req, struct desk_resp *resp);
void desk_api_users_create_or_update(struct desk_req *req, struct desk_resp *resp);
void desk_api_users_update(struct desk_req *req, struct desk_resp *resp);
void desk_api_users_delete(struct desk_req *req, struct desk_resp *resp);
void desk_api_users_search(struct desk_req *req, struct desk_resp *resp);

void desk_api_orgs_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_orgs_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_orgs_show_many(struct desk_req *req, struct desk_resp *resp);
void desk_api_orgs_create(struct desk_req *req, struct desk_resp *resp);
void desk_api_orgs_update(struct desk_req *req, struct desk_resp *resp);
void desk_api_orgs_delete(struct desk_req *req, struct desk_resp *resp);
void desk_api_orgs_search(struct desk_req *req, struct desk_resp *resp);

void desk_api_groups_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_groups_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_groups_create(struct desk_req *req, struct desk_resp *resp);
void desk_api_groups_update(struct desk_req *req, struct desk_resp *resp);
void desk_api_groups_delete(struct desk_req *req, struct desk_resp *resp);
void desk_api_memberships_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_memberships_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_memberships_create(struct desk_req *req, struct desk_resp *resp);
void desk_api_memberships_delete(struct desk_req *req, struct desk_resp *resp);
void desk_api_memberships_make_default(struct desk_req *req, struct desk_resp *resp);

void desk_api_tickets_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_tickets_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_tickets_show_many(struct desk_req *req, struct desk_resp *resp);
void desk_api_tickets_create(struct desk_req *req, struct desk_resp *resp);
void desk_api_tickets_update(struct desk_req *req, struct desk_resp *resp);
void desk_api_tickets_delete(struct desk_req *req, struct desk_resp *resp);
void desk_api_tickets_create_many(struct desk_req *req, struct desk_resp *resp);
void desk_api_tickets_update_many(struct desk_req *req, struct desk_resp *resp);
void desk_api_tickets_destroy_many(struct desk_req *req, struct desk_resp *resp);
void desk_api_tickets_comments(struct desk_req *req, struct desk_resp *resp);
void desk_api_tickets_audits(struct desk_req *req, struct desk_resp *resp);
void desk_api_tickets_incremental(struct desk_req *req, struct desk_resp *resp);
void desk_api_tickets_incremental_cursor(struct desk_req *req, struct desk_resp *resp);
void desk_api_job_status_show(struct desk_req *req, struct desk_resp *resp);

void desk_api_requests_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_requests_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_requests_create(struct desk_req *req, struct desk_resp *resp);
void desk_api_requests_update(struct desk_req *req, struct desk_resp *resp);
void desk_api_requests_comments(struct desk_req *req, struct desk_resp *resp);

void desk_api_search(struct desk_req *req, struct desk_resp *resp);
void desk_api_search_count(struct desk_req *req, struct desk_resp *resp);

#endif
