/*
 * Prometheus metrics: requests by route and status, a latency histogram,
 * the store's write batches and the open-ticket gauges (read from the
 * maintained queue counters, never a scan).
 */
#include "http/http_int.h"
#include "mail/imap_poll.h"
#include "mail/mail_out.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#define MAX_ROUTES 128
static const int statuses[] = {200, 201, 204, 400, 401, 403, 404, 405, 409, 422, 429, 500, 503};
#define N_STATUS (sizeof(statuses) / sizeof(statuses[0]))
static const double bounds_ms[] = {0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500};
#define N_BOUNDS (sizeof(bounds_ms) / sizeof(bounds_ms[0]))

/* Route slot MAX_ROUTES - 1 holds requests that matched no route (or /healthz, /metrics). */
static _Atomic uint64_t counts[MAX_ROUTES][N_STATUS + 1];
static _Atomic uint64_t hist[N_BOUNDS + 1];
static _Atomic uint64_t lat_sum_us;
static _Atomic uint64_t lat_count;

void desk_http_metrics_observe(int route, int status, int64_t ns)
{
    size_t r = route >= 0 && route < MAX_ROUTES - 1 ? (size_t)route : MAX_ROUTES - 1;
    size_t s = N_STATUS;
    for (size_t i = 0; i < N_STATUS; i++) {
        if (statuses[i] == status) {
            s = i;
            break;
        }
    }
    atomic_fetch_add_explicit(&counts[r][s], 1, memory_order_relaxed);
    double ms = (double)ns / 1e6;
    size_t b = 0;
    while (b < N_BOUNDS && ms > bounds_ms[b]) {
        b++;
    }
    atomic_fetch_add_explicit(&hist[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&lat_sum_us, (uint64_t)(ns / 1000), memory_order_relaxed);
    atomic_fetch_add_explicit(&lat_count, 1, memory_order_relaxed);
}

static const char *method_name(int m)
{
    static const char *names[] = {"GET", "POST", "PUT", "DELETE", "PATCH"};
    return m >= 0 && m <= DESK_PATCH ? names[m] : "?";
}

void desk_http_metrics_render(struct desk_app *app, struct desk_buf *out)
{
    desk_buf_adds(out, "# HELP desk_http_requests_total HTTP requests by route and status.\n"
                       "# TYPE desk_http_requests_total counter\n");
    for (size_t r = 0; r < MAX_ROUTES; r++) {
        for (size_t s = 0; s <= N_STATUS; s++) {
            uint64_t v = atomic_load_explicit(&counts[r][s], memory_order_relaxed);
            if (!v) {
                continue;
            }
            char status[8];
            snprintf(status, sizeof(status), "%d", s < N_STATUS ? statuses[s] : 0);
            if (r < n_desk_routes) {
                desk_buf_addf(out,
                              "desk_http_requests_total{method=\"%s\",route=\"/api/v2/%s\","
                              "status=\"%s\"} %llu\n",
                              method_name(desk_routes[r].method), desk_routes[r].pattern,
                              s < N_STATUS ? status : "other", (unsigned long long)v);
            } else {
                desk_buf_addf(out, "desk_http_requests_total{route=\"other\",status=\"%s\"} %llu\n",
                              s < N_STATUS ? status : "other", (unsigned long long)v);
            }
        }
    }
    desk_buf_adds(out, "# HELP desk_http_request_duration_seconds Request latency.\n"
                       "# TYPE desk_http_request_duration_seconds histogram\n");
    uint64_t cum = 0;
    for (size_t b = 0; b <= N_BOUNDS; b++) {
        cum += atomic_load_explicit(&hist[b], memory_order_relaxed);
        if (b < N_BOUNDS) {
            desk_buf_addf(out, "desk_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                          bounds_ms[b] / 1000, (unsigned long long)cum);
        } else {
            desk_buf_addf(out, "desk_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
                          (unsigned long long)cum);
        }
    }
    desk_buf_addf(out, "desk_http_request_duration_seconds_sum %.6f\n",
                  (double)atomic_load(&lat_sum_us) / 1e6);
    desk_buf_addf(out, "desk_http_request_duration_seconds_count %llu\n",
                  (unsigned long long)atomic_load(&lat_count));

    struct desk_store_stats st;
    desk_store_stats(desk_app_store(app), &st);
    static const char *le[] = {"1", "3", "7", "15", "31", "63", "127", "+Inf"};
    desk_buf_adds(out, "# HELP desk_store_write_batch_size Writes committed per group commit.\n"
                       "# TYPE desk_store_write_batch_size histogram\n");
    cum = 0;
    for (size_t b = 0; b < 8; b++) {
        cum += st.batch_hist[b];
        desk_buf_addf(out, "desk_store_write_batch_size_bucket{le=\"%s\"} %llu\n", le[b],
                      (unsigned long long)cum);
    }
    desk_buf_addf(out, "desk_store_write_batch_size_sum %llu\n", (unsigned long long)st.writes);
    desk_buf_addf(out, "desk_store_write_batch_size_count %llu\n", (unsigned long long)st.batches);

    desk_buf_adds(out, "# HELP desk_tickets Tickets by status (maintained counters).\n"
                       "# TYPE desk_tickets gauge\n");
    struct desk_conn *c;
    if (desk_app_reader(app, &c) == 0) {
        for (int s = DESK_STATUS_NEW; s <= DESK_STATUS_CLOSED; s++) {
            int64_t n = 0;
            if (desk_store_open_count(c, s, &n) == 0) {
                desk_buf_addf(out, "desk_tickets{status=\"%s\"} %lld\n", desk_status_name(s),
                              (long long)n);
            }
        }
    }
    desk_mail_out_metrics(app, out);
    desk_imap_poll_metrics(out);
}
