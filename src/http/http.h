/*
 * The HTTP server: libmicrohttpd with a thread pool on epoll, a route
 * table with one permission per route, authentication, request limits,
 * logging and metrics. Reads run on the I/O threads; writes are handed to a
 * worker pool (the connection is suspended meanwhile) so that a request
 * waiting for its group commit never blocks other connections. Only this
 * module includes microhttpd.h.
 */
#ifndef DESK_HTTP_HTTP_H
#define DESK_HTTP_HTTP_H

#include "app/app.h"

#include <stddef.h>

struct desk_http;

struct desk_http_config {
    const char *listen; /* "127.0.0.1:8080"; port 0 picks a free one */
    long io_threads;    /* 0: one per core */
    long workers;       /* threads running writes */
    long max_body;      /* bytes */
};

/*
 * Starts serving app. Logs "event=listening url=http://host:port" once
 * ready. Returns 0 and *out (desk_http_stop), or DESK_EINVAL for a bad
 * listen address, DESK_EIO when the socket cannot be bound.
 */
int desk_http_start(struct desk_app *app, const struct desk_http_config *cfg,
                    struct desk_http **out);

/* Stops accepting, finishes requests in flight, frees everything. NULL is a no-op. */
void desk_http_stop(struct desk_http *h);

#endif
