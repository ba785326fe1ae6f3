/*
 * Inside http/: Server-Sent Events streams on suspended connections. A
 * stream's response reads its subscriber's queue (live/bus.h); when the
 * queue is empty the connection is suspended and the next event resumes
 * it, so an idle stream costs no thread and no polling.
 */
#ifndef DESK_HTTP_SSE_H
#define DESK_HTTP_SSE_H

#include <stddef.h>
#include <stdint.h>

struct MHD_Connection;

/*
 * Queues a text/event-stream response on conn that starts with
 * first[0..len) and then carries every bus event meant for user_id (0:
 * all). Returns the MHD result; *status is 200, or 503 (with a JSON
 * error) when the bus is not running.
 */
int desk_http_sse_open(struct MHD_Connection *conn, int64_t user_id, const char *first, size_t len,
                       int *status);

#endif
