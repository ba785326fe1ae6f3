/*
 * Inside http/: the web console, portal and their assets, embedded in the
 * binary at build time (web/ and the compiled po/ catalogs), served with
 * their content types, precompressed gzip, ETags and a Content-Security-
 * Policy that allows no inline script on every HTML page.
 */
#ifndef DESK_HTTP_WEB_H
#define DESK_HTTP_WEB_H

#include <stdbool.h>
#include <stddef.h>

struct MHD_Connection;

/* What was sent, for the request's log line. */
struct desk_web_sent {
    int status;
    size_t bytes;
};

/*
 * Answers url when it is a web page or asset ("/", "/console/...",
 * "/portal/...", "/assets/NAME"): queues the response on conn, fills *sent
 * and *ret (the MHD result to return), and returns true. Returns false,
 * queuing nothing, for any other url. method_text GET and HEAD are served;
 * other methods get 405.
 */
bool desk_http_web(struct MHD_Connection *conn, const char *url, const char *method_text,
                   struct desk_web_sent *sent, int *ret);

/* The Content-Security-Policy sent with every HTML page. */
extern const char desk_http_csp[];

#endif
