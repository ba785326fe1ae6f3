/*
 * Inside http/: the route table with its permission policy, and metrics.
 */
#ifndef DESK_HTTP_HTTP_INT_H
#define DESK_HTTP_HTTP_INT_H

#include "api/api.h"
#include "core/buf.h"

#include <stdbool.h>
#include <stdint.h>

/*
 * Permissions, and which roles hold them: one row per permission, one
 * column per role (anonymous, end-user, agent, supervisor, admin). Every
 * route names the permission it needs; record-level rules (whose ticket,
 * which role may be granted) are app/'s.
 */
#define DESK_PERMS(X)                                                                              \
    X(PUBLIC, 1, 1, 1, 1, 1)       /* health and metrics */                                        \
    X(SELF, 0, 1, 1, 1, 1)         /* one's own profile and requests */                            \
    X(TICKETS, 0, 0, 1, 1, 1)      /* read and work tickets, search, exports */                    \
    X(PEOPLE_READ, 0, 0, 1, 1, 1)  /* users, organizations, groups, memberships */                 \
    X(PEOPLE_WRITE, 0, 0, 1, 1, 1) /* create/update users (app limits the roles) and orgs */       \
    X(QUEUES, 0, 0, 0, 1, 1)       /* groups, memberships, deleting tickets and orgs */            \
    X(ADMIN, 0, 0, 0, 0, 1)        /* deleting users */

enum desk_perm {
#define DESK_X_PERM(name, anon, eu, ag, sup, adm) DESK_PERM_##name,
    DESK_PERMS(DESK_X_PERM)
#undef DESK_X_PERM
        DESK_PERM__COUNT
};

struct desk_route {
    int method;
    const char *pattern; /* below /api/v2, without .json; ":id" numeric, ":sid" text */
    enum desk_perm perm;
    desk_api_fn fn;
};

extern const struct desk_route desk_routes[];
extern const size_t n_desk_routes;

/*
 * Finds the route for method and path (below /api/v2, ".json" removed),
 * filling req->ids / req->sid. Returns its index, -1 when no pattern
 * matches the path (404), or -2 when the path exists for other methods (405).
 */
int desk_http_route(int method, const char *path, struct desk_req *req);

/* True when role (-1 for anonymous) holds perm. */
bool desk_http_allowed(enum desk_perm perm, int role);

/* Counts a finished request: route index (-1 none), status, duration. Thread-safe. */
void desk_http_metrics_observe(int route, int status, int64_t ns);

/* Appends the Prometheus text exposition to out. */
void desk_http_metrics_render(struct desk_app *app, struct desk_buf *out);

#endif
