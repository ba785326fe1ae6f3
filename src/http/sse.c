/*
 * SSE streams (see sse.h). The content reader runs on the connection's
 * I/O thread: it copies queued bytes, or suspends the connection from
 * inside the reader (which libmicrohttpd allows) and returns 0; the bus
 * resumes it under the subscriber's lock when the next event is queued,
 * so a wake-up can never slip between the check and the suspension.
 */
#include "http/sse.h"
#include "live/bus.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

struct stream {
    struct MHD_Connection *conn;
    struct desk_live_sub *sub;
};

static void wake(void *ctx)
{
    struct stream *s = ctx;
    MHD_resume_connection(s->conn);
}

static void sleep_conn(void *ctx)
{
    struct stream *s = ctx;
    MHD_suspend_connection(s->conn);
}

static ssize_t reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct stream *s = cls;
    (void)pos;
    ssize_t n = desk_live_read(s->sub, buf, max, sleep_conn, s);
    return n < 0 ? MHD_CONTENT_READER_END_OF_STREAM : n;
}

static void release(void *cls)
{
    struct stream *s = cls;
    desk_live_unsubscribe(s->sub);
    free(s);
}

int desk_http_sse_open(struct MHD_Connection *conn, int64_t user_id, const char *first, size_t len,
                       int *status)
{
    struct stream *s = calloc(1, sizeof(*s));
    if (!s) {
        abort();
    }
    s->conn = conn;
    if (desk_live_subscribe_as(user_id, first, len, wake, s, &s->sub) != 0) {
        static const char busy[] =
            "{\"error\":\"ServiceUnavailable\",\"description\":\"live events are not running\"}";
        free(s);
        struct MHD_Response *r =
            MHD_create_response_from_buffer(sizeof(busy) - 1, (void *)busy, MHD_RESPMEM_PERSISTENT);
        if (!r) {
            return MHD_NO;
        }
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
        int ret = MHD_queue_response(conn, MHD_HTTP_SERVICE_UNAVAILABLE, r);
        MHD_destroy_response(r);
        *status = 503;
        return ret;
    }
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, (size_t)16 * 1024, reader, s, release);
    if (!r) {
        release(s);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream; charset=utf-8");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(r, "X-Accel-Buffering", "no");
    int ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    *status = 200;
    return ret;
}
