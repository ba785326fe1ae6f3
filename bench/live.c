/*
 * Live-wall latency benchmark for bench/live.sh: opens N Server-Sent
 * Events streams (GET /api/v2/live) on one thread with poll(), then
 * creates M tickets through the API at a steady pace from a second thread,
 * and measures for every (event, stream) pair the time from the server's
 * commit (the event's committed_ms, taken after the transaction is
 * durable) to the moment the event is read on that stream, on the same
 * machine's clock. Prints "name value unit" lines. Only libc and pthreads.
 */
#define _POSIX_C_SOURCE 200809L /* NOLINT(readability-identifier-naming) */

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_STREAMS 2048
#define BUF_MAX     (1 << 20)

struct stream {
    int fd;
    char *buf;
    size_t len;
    bool snapshot;
    long events;
};

static const char *host = "127.0.0.1", *port, *auth;
static long n_streams = 200, n_events = 200, pace_ms = 20;
static double *samples;
static size_t n_samples, cap_samples;
static atomic_bool writer_done;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void die(const char *msg)
{
    fprintf(stderr, "live: %s (%s)\n", msg, errno ? strerror(errno) : "");
    exit(1);
}

static int dial(void)
{
    struct addrinfo hints = {0}, *res;
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, port, &hints, &res) != 0) {
        die("cannot resolve the server");
    }
    int fd = socket(res->ai_family, res->ai_socktype, 0);
    if (fd < 0 || connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
        die("cannot connect");
    }
    freeaddrinfo(res);
    return fd;
}

static void send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k <= 0) {
            die("write failed");
        }
        p += k;
        n -= (size_t)k;
    }
}

/* One blocking POST; returns the status. */
static int post_ticket(int fd, long i)
{
    char body[256], req[1024], resp[16384];
    int bl = snprintf(body, sizeof(body),
                      "{\"ticket\":{\"subject\":\"live %ld\",\"comment\":{\"body\":\"x\"}}}", i);
    int rl = snprintf(req, sizeof(req),
                      "POST /api/v2/tickets.json HTTP/1.1\r\nHost: %s:%s\r\nAuthorization: %s\r\n"
                      "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
                      host, port, auth, bl, body);
    send_all(fd, req, (size_t)rl);
    size_t got = 0;
    long want = -1;
    for (;;) {
        ssize_t k = read(fd, resp + got, sizeof(resp) - 1 - got);
        if (k <= 0) {
            die("read failed");
        }
        got += (size_t)k;
        resp[got] = '\0';
        char *end = strstr(resp, "\r\n\r\n");
        if (end && want < 0) {
            char *cl = strstr(resp, "Content-Length: ");
            want = (long)(end + 4 - resp) + (cl ? atol(cl + 16) : 0);
        }
        if (want >= 0 && (long)got >= want) {
            break;
        }
        if (got == sizeof(resp) - 1) {
            die("response too large");
        }
    }
    return atoi(resp + 9);
}

static void *writer(void *arg)
{
    (void)arg;
    int fd = dial();
    for (long i = 0; i < n_events; i++) {
        int st = post_ticket(fd, i);
        if (st != 201) {
            fprintf(stderr, "live: create answered %d\n", st);
            exit(1);
        }
        struct timespec ts = {0, pace_ms * 1000000L};
        nanosleep(&ts, NULL);
    }
    close(fd);
    atomic_store(&writer_done, true);
    return NULL;
}

static void add_sample(double v)
{
    if (n_samples == cap_samples) {
        cap_samples = cap_samples ? cap_samples * 2 : 4096;
        samples = realloc(samples, cap_samples * sizeof(*samples));
        if (!samples) {
            die("out of memory");
        }
    }
    samples[n_samples++] = v;
}

/* Consumes complete events from s's buffer. */
static void parse(struct stream *s, double at)
{
    char *p = s->buf, *end;
    while ((end = strstr(p, "\n\n")) != NULL) {
        *end = '\0';
        if (strstr(p, "event: snapshot")) {
            s->snapshot = true;
        } else if (strstr(p, "event: ticket")) {
            const char *c = strstr(p, "\"committed_ms\":");
            if (c) {
                add_sample(at - atof(c + 15));
                s->events++;
            }
        }
        p = end + 2;
    }
    size_t rest = s->len - (size_t)(p - s->buf);
    memmove(s->buf, p, rest);
    s->len = rest;
    s->buf[rest] = '\0';
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int opt;
    while ((opt = getopt(argc, argv, "n:m:p:a:h:")) != -1) {
        switch (opt) {
        case 'n':
            n_streams = atol(optarg);
            break;
        case 'm':
            n_events = atol(optarg);
            break;
        case 'p':
            pace_ms = atol(optarg);
            break;
        case 'a':
            auth = optarg;
            break;
        default:
            fprintf(stderr, "usage: live -a AUTH [-n streams] [-m events] [-p pace_ms] PORT\n");
            return 2;
        }
    }
    if (optind >= argc || !auth || n_streams < 1 || n_streams > MAX_STREAMS) {
        fprintf(stderr, "usage: live -a AUTH [-n streams] [-m events] [-p pace_ms] PORT\n");
        return 2;
    }
    port = argv[optind];
    struct stream *st = calloc((size_t)n_streams, sizeof(*st));
    struct pollfd *pf = calloc((size_t)n_streams, sizeof(*pf));
    for (long i = 0; i < n_streams; i++) {
        char req[512];
        int n = snprintf(req, sizeof(req),
                         "GET /api/v2/live HTTP/1.1\r\nHost: %s:%s\r\nAuthorization: %s\r\n"
                         "Accept: text/event-stream\r\n\r\n",
                         host, port, auth);
        st[i].fd = dial();
        st[i].buf = malloc(BUF_MAX + 1);
        send_all(st[i].fd, req, (size_t)n);
        fcntl(st[i].fd, F_SETFL, O_NONBLOCK);
        pf[i].fd = st[i].fd;
        pf[i].events = POLLIN;
    }
    pthread_t w;
    bool started = false;
    double t0 = now_ms(), deadline = 0;
    for (;;) {
        int r = poll(pf, (nfds_t)n_streams, 100);
        double at = now_ms();
        for (long i = 0; r > 0 && i < n_streams; i++) {
            if (!(pf[i].revents & (POLLIN | POLLHUP | POLLERR))) {
                continue;
            }
            ssize_t k = read(st[i].fd, st[i].buf + st[i].len, BUF_MAX - st[i].len);
            if (k <= 0) {
                if (k < 0 && errno == EAGAIN) {
                    continue;
                }
                die("a stream ended");
            }
            st[i].len += (size_t)k;
            st[i].buf[st[i].len] = '\0';
            parse(&st[i], at);
        }
        if (!started) {
            long ready = 0;
            for (long i = 0; i < n_streams; i++) {
                ready += st[i].snapshot;
            }
            if (ready == n_streams) {
                printf("live_streams %ld streams\n", n_streams);
                printf("live_connect_ms %.0f ms\n", at - t0);
                pthread_create(&w, NULL, writer, NULL);
                started = true;
            } else if (at - t0 > 30000) {
                die("streams did not all get their snapshot within 30 s");
            }
        } else if (atomic_load(&writer_done)) {
            if (!deadline) {
                deadline = at + 5000;
            }
            if ((long)n_samples >= n_streams * n_events || at > deadline) {
                break;
            }
        }
    }
    pthread_join(w, NULL);
    long expected = n_streams * n_events;
    printf("live_events %ld events\n", n_events);
    printf("live_deliveries %zu deliveries\n", n_samples);
    printf("live_missed %ld deliveries\n", expected - (long)n_samples);
    if (!n_samples) {
        die("no event arrived");
    }
    qsort(samples, n_samples, sizeof(*samples), cmp);
    printf("live_latency_p50 %.2f ms\n", samples[n_samples / 2]);
    printf("live_latency_p99 %.2f ms\n", samples[(size_t)((double)n_samples * 0.99)]);
    printf("live_latency_max %.2f ms\n", samples[n_samples - 1]);
    for (long i = 0; i < n_streams; i++) {
        close(st[i].fd);
        free(st[i].buf);
    }
    free(st);
    free(pf);
    free(samples);
    return expected == (long)n_samples ? 0 : 1;
}
