/*
 * Inside api/: JSON rendering of records, type-checked reading of request
 * bodies, pagination and URLs, shared by the resource files.
 */
#ifndef DESK_API_API_INT_H
#define DESK_API_API_INT_H

#include "api/api.h"

#include <jansson.h>

/* Caps on request structure; past them the request is a 400. */
#define API_JSON_MAX_DEPTH 32
#define API_IDS_MAX        100

/* Sends root (reference stolen) with status. */
void api_send(struct desk_req *req, struct desk_resp *resp, int status, json_t *root);

/* An empty 204 answer (deletes). */
void api_no_content(struct desk_resp *resp);

/* Absolute URL under the API base, printf-style: api_url(req, "tickets/%lld.json", id). */
char *api_url(struct desk_req *req, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Scalars: 0 ids and 0 times and NULL strings become JSON null. */
json_t *api_id(int64_t id);
json_t *api_str(const char *s);
json_t *api_time(int64_t ms);
json_t *api_strv(const struct desk_strv *v);

/* Records in Zendesk's shape, every documented key present. */
json_t *api_user_json(struct desk_req *req, const struct desk_user *u);
json_t *api_org_json(struct desk_req *req, const struct desk_org *o);
json_t *api_group_json(struct desk_req *req, const struct desk_group *g);
json_t *api_membership_json(struct desk_req *req, const struct desk_membership *m);
json_t *api_ticket_json(struct desk_req *req, const struct desk_ticket *t);

/*
 * Extensions: a capability that keeps more about a ticket or a user (its
 * escalation, SLA clocks, a staff profile) adds its fields to every ticket
 * or user object the API renders, reading through app/ with req->who's
 * rights (an extension must not show a customer what only staff may see).
 * The tables live in extensions.c and end with NULL.
 */
typedef void (*api_ticket_ext_fn)(struct desk_req *req, const struct desk_ticket *t, json_t *o);
typedef void (*api_user_ext_fn)(struct desk_req *req, const struct desk_user *u, json_t *o);
extern const api_ticket_ext_fn api_ticket_exts[];
extern const api_user_ext_fn api_user_exts[];
/* Comment extensions (same rules): fields a capability adds to every comment object. */
typedef void (*api_comment_ext_fn)(struct desk_req *req, const struct desk_comment *c, json_t *o);
extern const api_comment_ext_fn api_comment_exts[];
json_t *api_comment_json(struct desk_req *req, const struct desk_comment *c);
json_t *api_audit_json(struct desk_req *req, const struct desk_audit *a);
json_t *api_request_json(struct desk_req *req, const struct desk_ticket *t);

/*
 * Parses the body as a JSON object and returns its member root_key (an
 * object) in *obj, with *doc holding the document (decref it). On any
 * problem renders the error into resp and returns non-zero.
 */
int api_body(struct desk_req *req, struct desk_resp *resp, const char *root_key, json_t **doc,
             json_t **obj);

/*
 * Type-checked field readers: absent leaves *has false; null clears
 * (NULL / 0); a wrong type or value is DESK_EINVALID with fail naming the
 * field. Strings are copied into the request arena.
 */
int api_in_str(struct desk_req *req, json_t *obj, const char *key, size_t max_len, const char **out,
               bool *has, struct desk_fail *fail);
int api_in_id(struct desk_req *req, json_t *obj, const char *key, int64_t *out, bool *has,
              struct desk_fail *fail);
int api_in_bool(struct desk_req *req, json_t *obj, const char *key, bool *out, bool *has,
                struct desk_fail *fail);
int api_in_enum(struct desk_req *req, json_t *obj, const char *key,
                int (*parse)(const char *, int *), int *out, bool *has, struct desk_fail *fail);
int api_in_time(struct desk_req *req, json_t *obj, const char *key, int64_t *out, bool *has,
                struct desk_fail *fail);
int api_in_strv(struct desk_req *req, json_t *obj, const char *key, struct desk_strv *out,
                bool *has, struct desk_fail *fail);
int api_in_ids(struct desk_req *req, json_t *obj, const char *key, int64_t **out, size_t *n,
               bool *has, struct desk_fail *fail);

/*
 * Reads page, per_page, page[size], page[after], page[before] into *p
 * (offset mode unless page[size] is given; default and maximum 100). On a
 * bad value renders a 400 and returns non-zero.
 */
int api_page(struct desk_req *req, struct desk_resp *resp, struct desk_page *p);

/*
 * Adds pagination to root: offset mode next_page/previous_page/count,
 * cursor mode meta/links. first_id/last_id are the ids at the page's ends.
 */
void api_page_links(struct desk_req *req, json_t *root, const struct desk_page *p,
                    const struct desk_page_out *out, int64_t first_id, int64_t last_id);

/* Parses the "ids" parameter (comma separated, at most API_IDS_MAX). Renders 400 on error. */
int api_ids_param(struct desk_req *req, struct desk_resp *resp, int64_t **ids, size_t *n);

/* A list response: {key: items, pagination}. */
void api_send_list(struct desk_req *req, struct desk_resp *resp, const char *key, json_t *items,
                   const struct desk_page *p, const struct desk_page_out *out, int64_t first_id,
                   int64_t last_id);

/*
 * For nested lists (users/{id}/..., organizations/{id}/..., groups/{id}/...):
 * renders a 404 and returns non-zero when the parent record does not exist.
 */
int api_parent_exists(struct desk_req *req, struct desk_resp *resp);

/* Lists tickets under f within the caller's visibility, as tickets or as requests. */
void api_ticket_list(struct desk_req *req, struct desk_resp *resp, struct desk_ticket_filter *f,
                     bool as_requests);

/* Reads a ticket object from the wire (shared by tickets and requests). */
int api_ticket_input(struct desk_req *req, json_t *o, struct desk_ticket_input *in,
                     struct desk_fail *f);

#endif
