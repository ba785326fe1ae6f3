/*
 * HTTP/1.1 load generator for the benchmarks in bench/run.sh. One thread per
 * client, each holding one keep-alive connection and sending requests one
 * after another, timing each until its response has been read in full. It
 * prints the rate and latency percentiles as "name value unit" lines, and
 * exits 1 on a connection error or an unexpected status so that a benchmark
 * never reports figures from a failing server. Only libc and pthreads.
 */
#define _POSIX_C_SOURCE 200809L /* NOLINT(readability-identifier-naming) */

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define PLACEHOLDER    "{{n}}"
#define MAX_HEADER     ((size_t)64 * 1024)        /* response head, status line to blank line */
#define MAX_BODY       ((size_t)16 * 1024 * 1024) /* response body, and the request body file */
#define MAX_CLIENTS    1024
#define MAX_SAMPLES    ((size_t)64 * 1024 * 1024) /* latencies kept per client */
#define ERR_BODY_SHOWN 400                        /* bytes of an unexpected response shown */

/* What to send, how often, and what to expect; filled from the command line. */
struct config {
    char *host;
    char *port;
    const char *method;
    const char *path;
    const char *auth; /* Authorization value, or NULL */
    char *body;       /* template, or NULL; PLACEHOLDER replaced by the counter */
    size_t body_len;
    long n_clients;
    long n_requests;   /* 0: no limit */
    double duration_s; /* 0: no limit */
    long status;       /* expected status code */
    long first;        /* counter value of the first request */
    double timeout_s;  /* per send or receive */
    const char *prefix;
    const char *unit;
};

/* A growable byte buffer; the caller checks sizes against the caps above. */
struct bytes {
    char *data;
    size_t len;
    size_t cap;
};

/* One client: its connection, its buffers and the latencies it measured. */
struct client {
    const struct config *cfg;
    pthread_t thread;
    int fd;
    struct bytes req;
    struct bytes body;
    struct bytes in; /* bytes received and not yet consumed */
    float *lat_ms;
    size_t n_lat;
    size_t cap_lat;
    long reconnects;
};

/* The parts of a response head this client cares about. */
struct head {
    int status;
    size_t head_len;
    bool has_length;
    size_t length;
    bool chunked;
    bool close;
};

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void bytes_addf(struct bytes *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static atomic_long next_request;
static atomic_int failing;
static pthread_barrier_t start_line;
static struct timespec deadline;
static bool has_deadline;
static const char *fail_prefix = "load";

static void usage(void)
{
    fprintf(stderr,
            "usage: load [-c clients] [-n requests] [-d seconds] [-m method] [-a authorization]\n"
            "            [-b body-file] [-s status] [-p prefix] [-u unit] [-f first]\n"
            "            [-t timeout-seconds] host:port path\n"
            "The body may contain " PLACEHOLDER " for a counter that starts at -f (default 1).\n"
            "With both -n and -d, load stops at whichever comes first.\n");
    exit(2);
}

/* Prints "load: <prefix>: <message>" and exits 1; other threads failing meanwhile wait. */
static void fail(const char *fmt, ...)
{
    if (atomic_exchange(&failing, 1)) {
        for (;;) {
            pause();
        }
    }
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "load: %s: ", fail_prefix);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size);
    if (!q) {
        fail("out of memory");
    }
    return q;
}

static void bytes_reserve(struct bytes *b, size_t extra)
{
    if (b->cap - b->len >= extra) {
        return;
    }
    size_t cap = b->cap ? b->cap : 4096;
    while (cap - b->len < extra) {
        cap *= 2;
    }
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

static void bytes_add(struct bytes *b, const void *p, size_t n)
{
    bytes_reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void bytes_addf(struct bytes *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        fail("cannot format request");
    }
    bytes_reserve(b, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool past_deadline(void)
{
    if (!has_deadline) {
        return false;
    }
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec > deadline.tv_sec ||
           (ts.tv_sec == deadline.tv_sec && ts.tv_nsec >= deadline.tv_nsec);
}

static long parse_long(const char *s, const char *what, long min, long max)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max) {
        fprintf(stderr, "load: bad %s: %s (want %ld..%ld)\n", what, s, min, max);
        exit(2);
    }
    return v;
}

static double parse_seconds(const char *s, const char *what)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v > 0) || v > 1e6) {
        fprintf(stderr, "load: bad %s: %s\n", what, s);
        exit(2);
    }
    return v;
}

/* Reads the whole file at path (at most MAX_BODY bytes) into *out; returns its length. */
static size_t read_file(const char *path, char **out)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "load: cannot open %s: %s\n", path, strerror(errno));
        exit(2);
    }
    struct bytes b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (b.len + n > MAX_BODY) {
            fprintf(stderr, "load: %s is larger than %zu bytes\n", path, MAX_BODY);
            exit(2);
        }
        bytes_add(&b, chunk, n);
    }
    if (ferror(f)) {
        fprintf(stderr, "load: cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    bytes_add(&b, "", 1);
    *out = b.data;
    return b.len - 1;
}

/* Splits "host:port" or "[v6]:port" in place. */
static void parse_target(char *s, struct config *cfg)
{
    char *colon = strrchr(s, ':');
    if (!colon || colon == s || !colon[1]) {
        fprintf(stderr, "load: want host:port, got %s\n", s);
        exit(2);
    }
    *colon = '\0';
    cfg->port = colon + 1;
    cfg->host = s;
    size_t n = strlen(s);
    if (s[0] == '[' && n > 2 && s[n - 1] == ']') {
        s[n - 1] = '\0';
        cfg->host = s + 1;
    }
}

static void client_connect(struct client *c)
{
    const struct config *cfg = c->cfg;
    struct addrinfo hints = {0};
    struct addrinfo *res;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(cfg->host, cfg->port, &hints, &res);
    if (rc) {
        fail("cannot resolve %s:%s: %s", cfg->host, cfg->port, gai_strerror(rc));
    }
    int fd = -1;
    int err = 0;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            break;
        }
        err = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        fail("cannot connect to %s:%s: %s", cfg->host, cfg->port, strerror(err));
    }
    /* Requests go out in one write each; without this, Nagle would hold
     * back the tail of a request behind the previous response's ACK. */
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    struct timeval tv;
    tv.tv_sec = (time_t)cfg->timeout_s;
    tv.tv_usec = (suseconds_t)((cfg->timeout_s - (double)tv.tv_sec) * 1e6);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    c->fd = fd;
    c->in.len = 0;
}

static void client_reconnect(struct client *c)
{
    close(c->fd);
    c->reconnects++;
    client_connect(c);
}

/* Builds request number n into c->req. */
static void build_request(struct client *c, long n)
{
    const struct config *cfg = c->cfg;
    c->req.len = 0;
    c->body.len = 0;
    if (cfg->body) {
        const char *p = cfg->body;
        const char *end = cfg->body + cfg->body_len;
        const char *hit;
        char num[32];
        int num_len = snprintf(num, sizeof(num), "%ld", n);
        while ((hit = strstr(p, PLACEHOLDER)) != NULL) {
            bytes_add(&c->body, p, (size_t)(hit - p));
            bytes_add(&c->body, num, (size_t)num_len);
            p = hit + strlen(PLACEHOLDER);
        }
        bytes_add(&c->body, p, (size_t)(end - p));
    }
    bytes_addf(&c->req, "%s %s HTTP/1.1\r\nHost: %s:%s\r\nUser-Agent: desk-bench-load\r\n",
               cfg->method, cfg->path, cfg->host, cfg->port);
    if (cfg->auth) {
        bytes_addf(&c->req, "Authorization: %s\r\n", cfg->auth);
    }
    if (cfg->body) {
        bytes_addf(&c->req, "Content-Type: application/json\r\nContent-Length: %zu\r\n",
                   c->body.len);
    }
    bytes_add(&c->req, "\r\n", 2);
    if (c->body.len) {
        bytes_add(&c->req, c->body.data, c->body.len);
    }
}

/* Sends c->req in full; false when the peer has closed the connection. */
static bool send_request(struct client *c)
{
    size_t off = 0;
    while (off < c->req.len) {
        ssize_t n = send(c->fd, c->req.data + off, c->req.len - off, 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EPIPE || errno == ECONNRESET) && off == 0) {
            return false;
        }
        if (n < 0) {
            fail("send: %s", errno == EAGAIN ? "timed out" : strerror(errno));
        }
        off += (size_t)n;
    }
    return true;
}

/* Receives more bytes into c->in; returns how many, 0 at end of stream. */
static size_t recv_more(struct client *c, size_t cap)
{
    if (c->in.len >= cap) {
        fail("response larger than %zu bytes", cap);
    }
    bytes_reserve(&c->in, 65536);
    for (;;) {
        ssize_t n = recv(c->fd, c->in.data + c->in.len, c->in.cap - c->in.len, 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno == ECONNRESET) {
            return 0;
        }
        if (n < 0) {
            fail("recv: %s", errno == EAGAIN || errno == EWOULDBLOCK ? "timed out waiting for "
                                                                       "the response"
                                                                     : strerror(errno));
        }
        c->in.len += (size_t)n;
        return (size_t)n;
    }
}

/* Makes sure c->in holds at least n bytes; fails if the stream ends first. */
static void need(struct client *c, size_t n)
{
    while (c->in.len < n) {
        if (recv_more(c, MAX_HEADER + MAX_BODY) == 0) {
            fail("connection closed in the middle of a response");
        }
    }
}

/* Returns the offset of the CRLF at or after from, receiving until there is one. */
static size_t need_line(struct client *c, size_t from)
{
    for (;;) {
        for (size_t i = from; i + 1 < c->in.len; i++) {
            if (c->in.data[i] == '\r' && c->in.data[i + 1] == '\n') {
                return i;
            }
        }
        if (recv_more(c, MAX_HEADER + MAX_BODY) == 0) {
            fail("connection closed in the middle of a chunked response");
        }
    }
}

static bool header_is(const char *line, size_t len, const char *name, const char **value)
{
    size_t n = strlen(name);
    if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':') {
        return false;
    }
    const char *v = line + n + 1;
    while (v < line + len && (*v == ' ' || *v == '\t')) {
        v++;
    }
    *value = v;
    return true;
}

/* Parses the status line and the headers of a complete head of head_len bytes. */
static void parse_head(const char *p, size_t head_len, struct head *h)
{
    memset(h, 0, sizeof(*h));
    h->head_len = head_len;
    /* RFC 9112 section 4: HTTP-version SP 3DIGIT SP [ reason-phrase ] */
    if (head_len < 12 || memcmp(p, "HTTP/1.", 7) != 0 || p[8] != ' ' || p[9] < '1' || p[9] > '5' ||
        p[10] < '0' || p[10] > '9' || p[11] < '0' || p[11] > '9') {
        fail("malformed status line: %.40s", p);
    }
    h->status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
    h->close = p[7] == '0';
    const char *line = memchr(p, '\n', head_len);
    const char *end = p + head_len;
    while (line && ++line < end) {
        const char *eol = memchr(line, '\n', (size_t)(end - line));
        size_t len = (size_t)((eol ? eol : end) - line);
        const char *v;
        if (header_is(line, len, "Content-Length", &v)) {
            char *stop;
            errno = 0;
            unsigned long long n = strtoull(v, &stop, 10);
            if (errno || stop == v || n > MAX_BODY) {
                fail("bad or too large Content-Length: %.20s", v);
            }
            h->has_length = true;
            h->length = (size_t)n;
        } else if (header_is(line, len, "Transfer-Encoding", &v)) {
            h->chunked = strncasecmp(v, "chunked", 7) == 0;
        } else if (header_is(line, len, "Connection", &v)) {
            h->close = strncasecmp(v, "close", 5) == 0;
        }
        line = eol;
    }
}

/* Removes the first n bytes of c->in. */
static void consume(struct client *c, size_t n)
{
    memmove(c->in.data, c->in.data + n, c->in.len - n);
    c->in.len -= n;
}

/*
 * Decodes a chunked body that starts at c->in offset at, in place, so that the
 * data follows the head; returns the data length (RFC 9112 section 7.1).
 */
static size_t read_chunked(struct client *c, size_t at)
{
    size_t out = at;
    size_t pos = at;
    for (;;) {
        size_t eol = need_line(c, pos);
        char *stop;
        errno = 0;
        unsigned long long size = strtoull(c->in.data + pos, &stop, 16);
        if (errno || stop == c->in.data + pos || size > MAX_BODY || out - at + size > MAX_BODY) {
            fail("bad chunk size");
        }
        pos = eol + 2;
        if (size == 0) {
            break;
        }
        need(c, pos + (size_t)size + 2);
        memmove(c->in.data + out, c->in.data + pos, (size_t)size);
        out += (size_t)size;
        pos += (size_t)size + 2;
    }
    /* trailer fields, up to the empty line */
    for (;;) {
        size_t eol = need_line(c, pos);
        bool empty = eol == pos;
        pos = eol + 2;
        if (empty) {
            break;
        }
    }
    memmove(c->in.data + out, c->in.data + pos, c->in.len - pos);
    c->in.len -= pos - out;
    return out - at;
}

/*
 * Reads one whole response; sets *h and leaves its body at c->in.data +
 * h->head_len for body_len bytes. Returns false if the connection was closed
 * before any byte of it arrived (a keep-alive connection the server dropped).
 */
static bool read_response(struct client *c, struct head *h, size_t *body_len)
{
    size_t scanned = 0;
    size_t head_len = 0;
    while (!head_len) {
        for (size_t i = scanned; i + 3 < c->in.len; i++) {
            if (memcmp(c->in.data + i, "\r\n\r\n", 4) == 0) {
                head_len = i + 4;
                break;
            }
        }
        if (head_len) {
            break;
        }
        scanned = c->in.len > 3 ? c->in.len - 3 : 0;
        if (recv_more(c, MAX_HEADER) == 0) {
            if (c->in.len == 0) {
                return false;
            }
            fail("connection closed in the middle of a response head");
        }
    }
    parse_head(c->in.data, head_len, h);
    bool no_body = h->status < 200 || h->status == 204 || h->status == 304;
    if (no_body) {
        *body_len = 0;
    } else if (h->chunked) {
        *body_len = read_chunked(c, head_len);
    } else if (h->has_length) {
        need(c, head_len + h->length);
        *body_len = h->length;
    } else {
        /* RFC 9112 section 6.3: no length, so the body runs to the close. */
        while (recv_more(c, MAX_HEADER + MAX_BODY) > 0) {
        }
        *body_len = c->in.len - head_len;
        h->close = true;
    }
    return true;
}

static void record(struct client *c, double ms)
{
    if (c->n_lat == c->cap_lat) {
        if (c->n_lat >= MAX_SAMPLES) {
            fail("more than %zu requests on one client", MAX_SAMPLES);
        }
        c->cap_lat = c->cap_lat ? c->cap_lat * 2 : 4096;
        c->lat_ms = xrealloc(c->lat_ms, c->cap_lat * sizeof(*c->lat_ms));
    }
    c->lat_ms[c->n_lat++] = (float)ms;
}

/* Sends one request and reads its response, reconnecting once if the server
 * had closed the idle connection; fails on any status but the expected one. */
static void exchange(struct client *c, long n)
{
    const struct config *cfg = c->cfg;
    build_request(c, n);
    double t0 = now_s();
    struct head h;
    size_t body_len;
    if (!send_request(c) || !read_response(c, &h, &body_len)) {
        client_reconnect(c);
        t0 = now_s();
        if (!send_request(c) || !read_response(c, &h, &body_len)) {
            fail("connection closed before a response, twice");
        }
    }
    double ms = (now_s() - t0) * 1e3;
    if (h.status != cfg->status) {
        size_t shown = body_len < ERR_BODY_SHOWN ? body_len : ERR_BODY_SHOWN;
        fail("%s %s (request %ld): status %d, want %ld: %.*s", cfg->method, cfg->path, n, h.status,
             cfg->status, (int)shown, c->in.data + h.head_len);
    }
    record(c, ms);
    consume(c, h.head_len + body_len);
    if (h.close) {
        client_reconnect(c);
    }
}

static void *client_run(void *arg)
{
    struct client *c = arg;
    const struct config *cfg = c->cfg;
    client_connect(c);
    pthread_barrier_wait(&start_line); /* connected */
    pthread_barrier_wait(&start_line); /* deadline set: go */
    for (;;) {
        if (past_deadline()) {
            break;
        }
        long i = atomic_fetch_add(&next_request, 1);
        if (cfg->n_requests && i >= cfg->n_requests) {
            break;
        }
        exchange(c, cfg->first + i);
    }
    close(c->fd);
    return NULL;
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a;
    float y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v[0..n). */
static double percentile(const float *v, size_t n, double p)
{
    double exact = p * (double)n;
    size_t rank = (size_t)exact;
    if ((double)rank < exact) {
        rank++;
    }
    return v[rank ? rank - 1 : 0];
}

/* CPU seconds this process has used, all threads, user and system. */
static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void report(const struct config *cfg, struct client *clients, double seconds, double cpu)
{
    size_t n = 0;
    long reconnects = 0;
    for (long i = 0; i < cfg->n_clients; i++) {
        n += clients[i].n_lat;
        reconnects += clients[i].reconnects;
    }
    if (n == 0) {
        fail("no request completed");
    }
    float *all = xrealloc(NULL, n * sizeof(*all));
    size_t k = 0;
    for (long i = 0; i < cfg->n_clients; i++) {
        memcpy(all + k, clients[i].lat_ms, clients[i].n_lat * sizeof(*all));
        k += clients[i].n_lat;
    }
    qsort(all, n, sizeof(*all), cmp_float);
    const char *p = cfg->prefix;
    printf("%s_rate %.0f %s\n", p, (double)n / seconds, cfg->unit);
    printf("%s_p50 %.2f ms\n", p, percentile(all, n, 0.50));
    printf("%s_p90 %.2f ms\n", p, percentile(all, n, 0.90));
    printf("%s_p99 %.2f ms\n", p, percentile(all, n, 0.99));
    printf("%s_requests %zu requests\n", p, n);
    printf("%s_reconnects %ld connections\n", p, reconnects);
    printf("%s_seconds %.2f s\n", p, seconds);
    printf("%s_client_cpu %.2f cores\n", p, cpu / seconds);
    free(all);
}

int main(int argc, char **argv)
{
    struct config cfg = {
        .method = "GET",
        .n_clients = 1,
        .status = 200,
        .first = 1,
        .timeout_s = 30,
        .prefix = "load",
        .unit = "requests/s",
    };
    const char *body_path = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "c:n:d:m:a:b:s:p:u:f:t:h")) != -1) {
        switch (opt) {
        case 'c':
            cfg.n_clients = parse_long(optarg, "clients", 1, MAX_CLIENTS);
            break;
        case 'n':
            cfg.n_requests = parse_long(optarg, "requests", 1, LONG_MAX / 2);
            break;
        case 'd':
            cfg.duration_s = parse_seconds(optarg, "duration");
            break;
        case 'm':
            cfg.method = optarg;
            break;
        case 'a':
            cfg.auth = optarg;
            break;
        case 'b':
            body_path = optarg;
            break;
        case 's':
            cfg.status = parse_long(optarg, "status", 100, 599);
            break;
        case 'p':
            cfg.prefix = optarg;
            break;
        case 'u':
            cfg.unit = optarg;
            break;
        case 'f':
            cfg.first = parse_long(optarg, "first", 0, LONG_MAX / 2);
            break;
        case 't':
            cfg.timeout_s = parse_seconds(optarg, "timeout");
            break;
        default:
            usage();
        }
    }
    if (argc - optind != 2 || (!cfg.n_requests && cfg.duration_s <= 0)) {
        usage();
    }
    parse_target(argv[optind], &cfg);
    cfg.path = argv[optind + 1];
    if (body_path) {
        cfg.body_len = read_file(body_path, &cfg.body);
    }
    fail_prefix = cfg.prefix;
    /* A server closing a connection must show up as an error, not kill us. */
    signal(SIGPIPE, SIG_IGN);

    struct client *clients = calloc((size_t)cfg.n_clients, sizeof(*clients));
    if (!clients) {
        fail("out of memory");
    }
    pthread_barrier_init(&start_line, NULL, (unsigned)cfg.n_clients + 1);
    for (long i = 0; i < cfg.n_clients; i++) {
        clients[i].cfg = &cfg;
        clients[i].fd = -1;
        if (pthread_create(&clients[i].thread, NULL, client_run, &clients[i]) != 0) {
            fail("cannot start client thread");
        }
    }
    /* The clock starts once every client holds a connection; the second
     * wait publishes the deadline to the clients. */
    pthread_barrier_wait(&start_line);
    double t0 = now_s();
    double cpu0 = cpu_s();
    if (cfg.duration_s > 0) {
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        time_t whole = (time_t)cfg.duration_s;
        deadline.tv_sec += whole;
        deadline.tv_nsec += (long)((cfg.duration_s - (double)whole) * 1e9);
        if (deadline.tv_nsec >= 1000000000L) {
            deadline.tv_sec++;
            deadline.tv_nsec -= 1000000000L;
        }
        has_deadline = true;
    }
    pthread_barrier_wait(&start_line);
    for (long i = 0; i < cfg.n_clients; i++) {
        pthread_join(clients[i].thread, NULL);
    }
    double seconds = now_s() - t0;
    report(&cfg, clients, seconds, cpu_s() - cpu0);
    for (long i = 0; i < cfg.n_clients; i++) {
        free(clients[i].req.data);
        free(clients[i].body.data);
        free(clients[i].in.data);
        free(clients[i].lat_ms);
    }
    free(clients);
    free(cfg.body);
    pthread_barrier_destroy(&start_line);
    return 0;
}
