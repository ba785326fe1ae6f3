/*
 * libmicrohttpd adapter: request intake with size limits, routing,
 * authentication and the permission check, the worker pool that runs
 * writes on suspended connections, response headers, one log line per
 * request, /healthz and /metrics.
 */
#include "http/http.h"
#include "http/http_int.h"
#include "app/uploads.h"
#include "http/session.h"
#include "http/sse.h"
#include "http/web.h"
#include "core/log.h"
#include "core/str.h"
#include "core/time.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MAX_HEADER_VALUE 8192

struct job;

struct desk_http {
    struct MHD_Daemon *mhd;
    struct desk_app *app;
    long max_body;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct job *head, *tail;
    bool stopping;
    pthread_t *workers;
    long n_workers;
    char listen_host[64];
    _Atomic uint64_t next_id;
    uint32_t id_prefix;
};

enum state { RECEIVING, QUEUED, READY };

/* POST /api/v2/uploads[.json]: a file upload (app/uploads.h). */
static bool is_upload(const char *url)
{
    return url && strncmp(url, "/api/v2/uploads", 15) == 0 &&
           (!url[15] || url[15] == '.' || url[15] == '?');
}

/* One request in flight; freed by the completion callback. */
struct job {
    struct desk_http *h;
    struct MHD_Connection *conn;
    struct desk_arena arena;
    struct desk_buf body;
    bool too_big;
    enum state state;
    int64_t start_ns;
    char id[32];
    const char *path; /* for the log line, without the query */
    const char *method_text;
    int route;
    struct desk_req req;
    struct desk_resp resp;
    struct job *next;
};

static int method_of(const char *m)
{
    static const char *names[] = {"GET", "POST", "PUT", "DELETE", "PATCH"};
    for (int i = 0; i < 5; i++) {
        if (strcmp(m, names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

static const char *header(struct job *j, const char *name)
{
    return MHD_lookup_connection_value(j->conn, MHD_HEADER_KIND, name);
}

/* Host and scheme as the client used them (honouring a proxy), for absolute URLs. */
static const char *base_url(struct job *j)
{
    const char *host = header(j, "X-Forwarded-Host");
    const char *proto = header(j, "X-Forwarded-Proto");
    if (!host) {
        host = header(j, MHD_HTTP_HEADER_HOST);
    }
    bool ok = host && *host && strlen(host) < 256;
    for (const char *p = host; ok && *p; p++) {
        char c = *p;
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    }
    if (!ok) {
        host = j->h->listen_host;
    }
    if (!proto || (strcmp(proto, "https") != 0 && strcmp(proto, "http") != 0)) {
        proto = "http";
    }
    return desk_arena_printf(&j->arena, "%s://%s/api/v2", proto, host);
}

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    struct job *j = cls;
    (void)kind;
    struct desk_req *r = &j->req;
    if (r->n_params >= 64) {
        return MHD_NO;
    }
    struct desk_param *p = &r->params[r->n_params++];
    p->key = desk_arena_strdup(&j->arena, key ? key : "");
    p->value = desk_arena_strdup(&j->arena, value ? value : "");
    return MHD_YES;
}

static void set_error(struct job *j, int code, const char *field, const char *reason)
{
    struct desk_fail fail = {0};
    if (reason) {
        desk_fail(&fail, code, field, "InvalidValue", reason);
    }
    desk_api_error(&j->req, &j->resp, code, reason ? &fail : NULL);
}

/* Authenticates from the Authorization header; leaves who anonymous (role -1) when absent. */
static int authenticate(struct job *j)
{
    struct desk_http *h = j->h;
    const char *auth = header(j, MHD_HTTP_HEADER_AUTHORIZATION);
    j->req.who.role = -1;
    j->req.who.request_id = j->id;
    if (!auth) {
        int src = desk_http_session_auth(h->app, j->conn, &j->req);
        j->req.who.request_id = j->id;
        return src;
    }
    int rc = DESK_EAUTH;
    if (strncasecmp(auth, "Bearer ", 7) == 0) {
        rc = desk_app_auth_token(h->app, NULL, auth + 7, &j->req.who);
    } else if (strncasecmp(auth, "Basic ", 6) == 0) {
        char *pass = NULL;
        char *user = MHD_basic_auth_get_username_password(j->conn, &pass);
        if (user && pass) {
            size_t ulen = strlen(user);
            /* Zendesk's API token form: "email/token:TOKEN". */
            if (ulen > 6 && strcmp(user + ulen - 6, "/token") == 0) {
                user[ulen - 6] = '\0';
                rc = desk_app_auth_token(h->app, user, pass, &j->req.who);
            } else {
                rc = desk_app_auth_password(h->app, user, pass, &j->req.who);
            }
        }
        if (pass) {
            explicit_bzero(pass, strlen(pass));
        }
        MHD_free(user);
        MHD_free(pass);
    }
    if (rc) {
        j->req.who.role = -1;
    }
    j->req.who.request_id = j->id;
    return rc;
}

/* Routing, authentication, permission, handler: fills j->resp. */
static void handle_in_snapshot(struct job *j)
{
    struct desk_req *r = &j->req;
    int rc = authenticate(j);
    if (rc) {
        desk_api_error(r, &j->resp, rc == DESK_EAUTH ? DESK_EAUTH : rc, NULL);
        return;
    }
    const struct desk_route *route = &desk_routes[j->route];
    if (!desk_http_allowed(route->perm, r->who.role)) {
        desk_api_error(r, &j->resp, r->who.role < 0 ? DESK_EAUTH : DESK_EFORBIDDEN, NULL);
        return;
    }
    route->fn(r, &j->resp);
}

/* Authenticates and runs the route; its reads share one snapshot (app.h). */
static void handle(struct job *j)
{
    desk_app_snapshot_begin(j->h->app);
    handle_in_snapshot(j);
    desk_app_snapshot_end(j->h->app);
}

static void *worker_main(void *arg)
{
    struct desk_http *h = arg;
    for (;;) {
        pthread_mutex_lock(&h->lock);
        while (!h->head && !h->stopping) {
            pthread_cond_wait(&h->cond, &h->lock);
        }
        struct job *j = h->head;
        if (!j) {
            pthread_mutex_unlock(&h->lock);
            break;
        }
        h->head = j->next;
        if (!h->head) {
            h->tail = NULL;
        }
        pthread_mutex_unlock(&h->lock);
        handle(j);
        j->state = READY;
        MHD_resume_connection(j->conn);
    }
    return NULL;
}

static enum MHD_Result send_resp(struct job *j)
{
    struct desk_resp *resp = &j->resp;
    if (resp->status == 200 && resp->content_type &&
        strncmp(resp->content_type, "text/event-stream", 17) == 0) {
        /* A live stream: the body is its first event; the bus sends the rest. */
        return (enum MHD_Result)desk_http_sse_open(j->conn, resp->stream_user_id, resp->body,
                                                   resp->body_len, &resp->status);
    }
    struct MHD_Response *mr = MHD_create_response_from_buffer(
        resp->body_len, (void *)(resp->body ? resp->body : ""), MHD_RESPMEM_MUST_COPY);
    if (!mr) {
        return MHD_NO;
    }
    if (resp->status != 204) {
        MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE,
                                resp->content_type ? resp->content_type
                                                   : "application/json; charset=utf-8");
    }
    MHD_add_response_header(mr, "X-Request-Id", j->id);
    MHD_add_response_header(mr, "Cache-Control", "no-store");
    if (resp->location) {
        MHD_add_response_header(mr, MHD_HTTP_HEADER_LOCATION, resp->location);
    }
    if (resp->set_cookie) {
        MHD_add_response_header(mr, MHD_HTTP_HEADER_SET_COOKIE, resp->set_cookie);
    }
    if (resp->status == 429 && resp->retry_after_ms > 0) {
        char s[24];
        snprintf(s, sizeof(s), "%lld", (long long)((resp->retry_after_ms + 999) / 1000));
        MHD_add_response_header(mr, MHD_HTTP_HEADER_RETRY_AFTER, s);
    }
    enum MHD_Result ret = MHD_queue_response(j->conn, (unsigned)resp->status, mr);
    MHD_destroy_response(mr);
    return ret;
}

/* Requests outside /api/v2: health and metrics. Returns false when the path is not one. */
static bool handle_ops(struct job *j, const char *url, int method)
{
    if (strcmp(url, "/healthz") == 0) {
        j->resp.status = method == DESK_GET ? 200 : 405;
        j->resp.body = method == DESK_GET ? "{\"status\":\"ok\"}"
                                          : "{\"error\":\"MethodNotAllowed\",\"description\":"
                                            "\"use GET\"}";
        j->resp.body_len = strlen(j->resp.body);
        return true;
    }
    if (strcmp(url, "/metrics") == 0) {
        struct desk_buf b;
        desk_buf_init(&b, 0);
        desk_http_metrics_render(j->h->app, &b);
        j->resp.status = 200;
        j->resp.body = desk_arena_strndup(&j->arena, b.data ? b.data : "", b.len);
        j->resp.body_len = b.len;
        j->resp.content_type = "text/plain; version=0.0.4; charset=utf-8";
        desk_buf_release(&b);
        return true;
    }
    return false;
}

/* Turns "/api/v2/tickets/5.json" into "tickets/5"; NULL when not under /api/v2. */
static char *api_path(struct desk_arena *a, const char *url)
{
    static const char prefix[] = "/api/v2/";
    if (strncmp(url, prefix, sizeof(prefix) - 1) != 0) {
        return NULL;
    }
    char *p = desk_arena_strdup(a, url + sizeof(prefix) - 1);
    size_t len = strlen(p);
    while (len && p[len - 1] == '/') {
        p[--len] = '\0';
    }
    if (len > 5 && strcmp(p + len - 5, ".json") == 0) {
        p[len - 5] = '\0';
    }
    return p;
}

/*
 * True when the request signs in with a password: argon2id may run (on a
 * cache miss), which must not stall the other connections of an I/O thread,
 * so such requests go to the workers like writes do.
 */
static bool password_auth(struct job *j)
{
    const char *auth = header(j, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!auth || strncasecmp(auth, "Basic ", 6) != 0) {
        return false;
    }
    char *user = MHD_basic_auth_get_username_password(j->conn, NULL);
    size_t ulen = user ? strlen(user) : 0;
    bool token = ulen > 6 && strcmp(user + ulen - 6, "/token") == 0;
    MHD_free(user);
    return !token;
}

static enum MHD_Result dispatch(struct job *j, const char *url, int method)
{
    struct desk_http *h = j->h;
    struct desk_req *r = &j->req;
    if (handle_ops(j, url, method)) {
        return send_resp(j);
    }
    struct desk_web_sent sent;
    int web_ret;
    if (desk_http_web(j->conn, url, j->method_text, &sent, &web_ret)) {
        j->resp.status = sent.status;
        j->resp.body_len = sent.bytes;
        return (enum MHD_Result)web_ret;
    }
    char *path = api_path(&j->arena, url);
    if (!path || !desk_str_utf8_valid(url, strlen(url))) {
        set_error(j, DESK_ENOTFOUND, NULL, NULL);
        return send_resp(j);
    }
    r->resource = path;
    MHD_get_connection_values(j->conn, MHD_GET_ARGUMENT_KIND, collect_arg, j);
    for (size_t i = 0; i < r->n_params; i++) {
        if (!desk_str_utf8_valid(r->params[i].value, strlen(r->params[i].value)) ||
            !desk_str_utf8_valid(r->params[i].key, strlen(r->params[i].key))) {
            set_error(j, DESK_EUTF8, r->params[i].key, "query parameter is not valid UTF-8");
            return send_resp(j);
        }
    }
    if (j->too_big) {
        long limit = is_upload(url) && h->max_body < DESK_UPLOAD_MAX_BYTES ? DESK_UPLOAD_MAX_BYTES
                                                                           : h->max_body;
        set_error(j, DESK_ETOOBIG, is_upload(url) ? "file" : "body",
                  desk_arena_printf(&j->arena, "%s: larger than the limit of %ld bytes",
                                    is_upload(url) ? "file" : "body", limit));
        return send_resp(j);
    }
    r->body = j->body.data;
    r->body_len = j->body.len;
    j->route = method < 0 ? -2 : desk_http_route(method, path, r);
    if (j->route < 0) {
        /* Who asks comes first: strangers learn nothing about which paths exist. */
        int rc = authenticate(j);
        if (rc || r->who.role < 0) {
            set_error(j, DESK_EAUTH, NULL, NULL);
        } else {
            set_error(j, j->route == -2 ? DESK_EMETHOD : DESK_ENOTFOUND, NULL, NULL);
        }
        return send_resp(j);
    }
    if (method == DESK_GET && !password_auth(j)) {
        handle(j);
        return send_resp(j);
    }
    /* A write waits for its group commit (and a password check for argon2id): hand it to a
     * worker and free this thread. */
    pthread_mutex_lock(&h->lock);
    if (h->stopping) {
        /* Shutting down: the workers are gone; answer here. */
        pthread_mutex_unlock(&h->lock);
        handle(j);
        return send_resp(j);
    }
    MHD_suspend_connection(j->conn);
    j->state = QUEUED;
    if (h->tail) {
        h->tail->next = j;
    } else {
        h->head = j;
    }
    h->tail = j;
    pthread_cond_signal(&h->cond);
    pthread_mutex_unlock(&h->lock);
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method_text, const char *version,
                                  const char *upload_data, size_t *upload_data_size, void **ctx)
{
    struct desk_http *h = cls;
    struct job *j = *ctx;
    (void)version;
    if (!j) {
        j = calloc(1, sizeof(*j));
        if (!j) {
            abort();
        }
        j->h = h;
        j->conn = conn;
        j->route = -1;
        j->start_ns = desk_time_mono_ns();
        desk_arena_init(&j->arena);
        /* Uploads carry a file, not a JSON document: they get the file limit instead. */
        long limit = is_upload(url) && h->max_body < DESK_UPLOAD_MAX_BYTES ? DESK_UPLOAD_MAX_BYTES
                                                                           : h->max_body;
        desk_buf_init(&j->body, (size_t)limit);
        uint64_t n = atomic_fetch_add(&h->next_id, 1);
        snprintf(j->id, sizeof(j->id), "%08x-%llu", h->id_prefix, (unsigned long long)n);
        j->path = desk_arena_strdup(&j->arena, url);
        j->method_text = desk_arena_strdup(&j->arena, method_text);
        j->req.arena = &j->arena;
        j->req.app = h->app;
        j->req.params = desk_arena_alloc(&j->arena, 64 * sizeof(struct desk_param));
        j->req.who.role = -1;
        j->req.method = method_of(method_text);
        j->req.base = base_url(j);
        j->req.peer = desk_http_peer(&j->arena, conn);
        j->req.user_agent = desk_arena_strdup(&j->arena, header(j, MHD_HTTP_HEADER_USER_AGENT));
        const char *cl =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        int64_t len;
        if (cl && desk_str_to_i64(cl, strlen(cl), &len) == 0 && len > limit) {
            j->too_big = true;
        }
        *ctx = j;
        return MHD_YES;
    }
    if (j->state == READY) {
        return send_resp(j);
    }
    if (*upload_data_size) {
        if (!j->too_big && desk_buf_add(&j->body, upload_data, *upload_data_size) != 0) {
            j->too_big = true;
            desk_buf_release(&j->body);
        }
        *upload_data_size = 0; /* consumed (or dropped past the limit) */
        return MHD_YES;
    }
    if (j->state == QUEUED) {
        return MHD_YES;
    }
    return dispatch(j, url, j->req.method);
}

static void on_complete(void *cls, struct MHD_Connection *conn, void **ctx,
                        enum MHD_RequestTerminationCode toe)
{
    struct job *j = *ctx;
    (void)cls;
    (void)conn;
    if (!j) {
        return;
    }
    int64_t ns = desk_time_mono_ns() - j->start_ns;
    int status = j->resp.status ? j->resp.status : 0;
    desk_http_metrics_observe(j->route, status, ns);
    /* A public route whose path carries a secret (a calendar feed token) is logged by its
     * pattern, so the secret never reaches the log. */
    const char *shown = j->path;
    if (j->route >= 0 && desk_routes[j->route].perm == DESK_PERM_PUBLIC &&
        strstr(desk_routes[j->route].pattern, ":sid")) {
        shown = desk_arena_printf(&j->arena, "/api/v2/%s", desk_routes[j->route].pattern);
    }
    desk_log(toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? DESK_LOG_INFO : DESK_LOG_WARN,
             "event=request id=%s method=%s path=\"%.200s\" status=%d ms=%.2f user=%lld "
             "bytes=%zu%s",
             j->id, j->method_text, shown, status, (double)ns / 1e6,
             (long long)(j->req.who.role >= 0 ? j->req.who.user_id : 0), j->resp.body_len,
             toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
    desk_buf_release(&j->body);
    desk_arena_release(&j->arena);
    free(j);
    *ctx = NULL;
}

/*
 * Percent-decoding of paths and query values, refusing to decode %00: a NUL
 * would silently cut the string short ("tickets/1%00x" must not mean
 * ticket 1), so such text stays encoded and matches nothing.
 */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls;
    (void)conn;
    for (const char *p = s; (p = strchr(p, '%')) != NULL; p++) {
        if (p[1] == '0' && p[2] == '0') {
            return strlen(s);
        }
    }
    return MHD_http_unescape(s);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[512];
    (void)cls;
    vsnprintf(msg, sizeof(msg), fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    desk_log(DESK_LOG_WARN, "event=http_server msg=\"%s\"", msg);
}

static int parse_listen(const char *listen, struct sockaddr_in *sa)
{
    const char *colon = strrchr(listen, ':');
    char host[64];
    int64_t port;
    if (!colon || (size_t)(colon - listen) >= sizeof(host) ||
        desk_str_to_i64(colon + 1, strlen(colon + 1), &port) || port < 0 || port > 65535) {
        return DESK_EINVAL;
    }
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    memset(sa, 0, sizeof(*sa));
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (strcmp(host, "localhost") == 0) {
        snprintf(host, sizeof(host), "127.0.0.1");
    }
    if (inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &sa->sin_addr) != 1) {
        return DESK_EINVAL;
    }
    return 0;
}

int desk_http_start(struct desk_app *app, const struct desk_http_config *cfg,
                    struct desk_http **out)
{
    struct sockaddr_in sa;
    if (parse_listen(cfg->listen, &sa)) {
        desk_log(DESK_LOG_ERROR, "event=listen error=\"bad address '%s', want HOST:PORT\"",
                 cfg->listen);
        return DESK_EINVAL;
    }
    struct desk_http *h = calloc(1, sizeof(*h));
    if (!h) {
        abort();
    }
    h->app = app;
    h->max_body = cfg->max_body > 0 ? cfg->max_body : 1 << 20;
    h->id_prefix = (uint32_t)desk_time_now_ms() ^ (uint32_t)getpid() << 16;
    pthread_mutex_init(&h->lock, NULL);
    pthread_cond_init(&h->cond, NULL);
    long io = cfg->io_threads > 0 ? cfg->io_threads : sysconf(_SC_NPROCESSORS_ONLN);
    h->n_workers = cfg->workers > 0 ? cfg->workers : 32;
    h->workers = calloc((size_t)h->n_workers, sizeof(pthread_t));
    for (long i = 0; i < h->n_workers; i++) {
        pthread_create(&h->workers[i], NULL, worker_main, h);
    }
    h->mhd = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC | MHD_USE_ERROR_LOG,
        0, NULL, NULL, on_request, h,
        /* The logger first, so that messages about the other options reach it. */
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(io > 0 ? io : 1), MHD_OPTION_NOTIFY_COMPLETED,
        on_complete, h, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)4096, MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_END);
    if (!h->mhd) {
        desk_log(DESK_LOG_ERROR, "event=listen addr=%s error=\"cannot listen (in use?)\"",
                 cfg->listen);
        desk_http_stop(h);
        return DESK_EIO;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_BIND_PORT);
    char ip[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &sa.sin_addr, ip, sizeof(ip));
    snprintf(h->listen_host, sizeof(h->listen_host), "%s:%u", ip,
             info ? (unsigned)info->port : (unsigned)ntohs(sa.sin_port));
    desk_log(DESK_LOG_INFO, "event=listening url=http://%s io_threads=%ld workers=%ld",
             h->listen_host, io, h->n_workers);
    *out = h;
    return 0;
}

void desk_http_stop(struct desk_http *h)
{
    if (!h) {
        return;
    }
    /* Stop accepting, let the workers finish (and resume) every queued write, then
     * close: no suspended connection is left behind for the daemon to drop. */
    if (h->mhd) {
        MHD_quiesce_daemon(h->mhd);
    }
    pthread_mutex_lock(&h->lock);
    h->stopping = true;
    pthread_cond_broadcast(&h->cond);
    pthread_mutex_unlock(&h->lock);
    for (long i = 0; i < h->n_workers; i++) {
        pthread_join(h->workers[i], NULL);
    }
    if (h->mhd) {
        MHD_stop_daemon(h->mhd);
    }
    free(h->workers);
    pthread_mutex_destroy(&h->lock);
    pthread_cond_destroy(&h->cond);
    free(h);
}
