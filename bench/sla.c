/*
 * SLA benchmarks (bench/sla.sh runs this): business-hours due-time
 * computations per second on one core, and the breach scheduler's cost per
 * tick with 10,000 and 1,000,000 open targets in the store (the same number
 * of deadlines coming due per tick), to show that its cost follows the
 * deadlines, not the ticket count. Times are the thread's CPU time (the
 * machine is shared; wall time is shown beside the due rate). Prints
 * "name value unit" lines.
 *
 * usage: sla DIR   (DIR: an empty scratch directory for the two databases)
 */
#include "app/sla.h"
#include "core/time.h"
#include "jobs/sla_scheduler.h"
#include "model/calendar.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DUE_N        2000000
#define TICKS        80
#define DUE_PER_TICK 100
#define TICK_GAP_MS  1000
#define SCHED_WINDOW 4096

static uint64_t seed = 0x9E3779B97F4A7C15ULL;

static uint64_t rnd(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

/* CPU time of this thread: on a shared machine, what one core really spent. */
static int64_t cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int due_rate(void)
{
    struct desk_bh_interval iv[32];
    size_t n = 0;
    struct desk_fail fail = {0};
    struct desk_bh_holiday hol[3];
    if (desk_bh_hours_parse(NULL, "mon-fri 08:00-12:00 13:00-17:30,sat 09:00-13:00", iv, 32, &n,
                            &fail) ||
        desk_bh_date_parse("2026-12-24", &hol[0].start_day) ||
        desk_bh_date_parse("2026-12-26", &hol[0].end_day) ||
        desk_bh_date_parse("2026-01-01", &hol[1].start_day) ||
        desk_bh_date_parse("2026-05-01", &hol[2].start_day)) {
        fprintf(stderr, "sla bench: bad schedule\n");
        return 1;
    }
    hol[0].yearly = hol[1].yearly = hol[2].yearly = true;
    hol[1].end_day = hol[1].start_day;
    hol[2].end_day = hol[2].start_day;
    struct desk_bh_spec spec = {"Europe/Prague", iv, n, hol, 3};
    struct desk_bh *bh;
    int64_t t0 = desk_time_mono_ns();
    if (desk_bh_compile(&spec, NULL, &bh, &fail)) {
        fprintf(stderr, "sla bench: schedule does not compile\n");
        return 1;
    }
    printf("sla_schedule_compile_ms %.2f ms\n", (double)(desk_time_mono_ns() - t0) / 1e6);
    /* Starts over two years (both DST changes, holidays), targets from 15 minutes to a
     * business week. */
    int64_t base = 1767225600000LL; /* 2026-01-01T00:00Z */
    int64_t sum = 0;
    t0 = desk_time_mono_ns();
    int64_t c0 = cpu_ns();
    for (int i = 0; i < DUE_N; i++) {
        uint64_t r = rnd();
        int64_t start = base + (int64_t)(r % (730ULL * 86400000ULL));
        int64_t minutes = 15 + (int64_t)((r >> 40) % (5 * 510));
        sum += desk_bh_add(bh, start, minutes * 60000) & 1;
    }
    double cpu = (double)(cpu_ns() - c0) / 1e9, wall = (double)(desk_time_mono_ns() - t0) / 1e9;
    double rate = DUE_N / cpu;
    printf("sla_due_rate %.0f due/s\n", rate);
    printf("sla_due_rate_wall %.0f due/s\n", DUE_N / wall);
    printf("sla_due_checksum %lld odd\n", (long long)sum);
    printf("sla_due_target_1000000 %s\n", rate >= 1e6 ? "met" : "missed");
    desk_bh_free(bh);
    return 0;
}

/* A store with n open targets: the schema from desk, n clock rows straight into SQLite. */
static int make_store(const char *path, int64_t n, int64_t first_due)
{
    struct desk_app *app;
    if (desk_app_open(path, &app) != 0) {
        fprintf(stderr, "sla bench: cannot create %s\n", path);
        return 1;
    }
    desk_app_close(app);
    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA foreign_keys=OFF; PRAGMA synchronous=OFF; BEGIN", NULL, NULL,
                     NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO sla_clocks(ticket_id, metric, cycle, state, started_at, "
                           "last_at, elapsed_ms, paused_ms, policy_id, target_s, due_at, "
                           "risk_at, next_at) VALUES(?, 0, 1, 1, ?, ?, 0, 0, 1, 3600, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "sla bench: %s\n", sqlite3_errmsg(db));
        sqlite3_close(db);
        return 1;
    }
    /* The first deadlines come due tick after tick; the rest spread over the next week
     * (written in deadline order, so building a million rows stays quick). */
    int64_t step = 7 * 86400000LL / (n > 1 ? n : 1);
    for (int64_t i = 1; i <= n; i++) {
        int64_t due = i <= TICKS * DUE_PER_TICK ? first_due + (i - 1) / DUE_PER_TICK * TICK_GAP_MS
                                                : first_due + TICKS * TICK_GAP_MS + i * step;
        sqlite3_bind_int64(st, 1, i);
        sqlite3_bind_int64(st, 2, first_due - 3600000);
        sqlite3_bind_int64(st, 3, first_due - 3600000);
        sqlite3_bind_int64(st, 4, due);
        sqlite3_bind_int64(st, 5, due - 900000);
        sqlite3_bind_int64(st, 6, due);
        if (sqlite3_step(st) != SQLITE_DONE) {
            fprintf(stderr, "sla bench: %s\n", sqlite3_errmsg(db));
            sqlite3_finalize(st);
            sqlite3_close(db);
            return 1;
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    int rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : 1;
    sqlite3_close(db);
    return rc;
}

struct counter {
    int64_t fired;
};

static int count_fire(void *ctx, int64_t ticket_id, int64_t now, int64_t *next_at)
{
    struct counter *c = ctx;
    (void)ticket_id;
    (void)now;
    c->fired++;
    *next_at = 0;
    return 0;
}

/* Mean cost of one scheduler tick (µs) that fires DUE_PER_TICK deadlines from a store of n. */
static int tick_cost(const char *dir, const char *name, int64_t n, double *us)
{
    char path[512];
    int64_t first_due = 1800000000000LL;
    snprintf(path, sizeof(path), "%s/%s.db", dir, name);
    int64_t t0 = desk_time_mono_ns();
    if (make_store(path, n, first_due)) {
        return 1;
    }
    printf("sla_store_%s_build_s %.1f s\n", name, (double)(desk_time_mono_ns() - t0) / 1e9);
    struct desk_app *app;
    struct desk_sla_sched *s;
    struct counter c = {0};
    struct desk_sla_sched_ops ops = {count_fire, &c};
    if (desk_app_open(path, &app) != 0 || desk_sla_sched_new(app, &ops, SCHED_WINDOW, &s) != 0) {
        fprintf(stderr, "sla bench: cannot open %s\n", path);
        return 1;
    }
    size_t fired;
    /* Nothing due yet: the first window is read (start-up, not counted). */
    desk_sla_sched_tick(s, first_due - 1, &fired);
    int64_t busy = 0;
    for (int k = 0; k < TICKS; k++) {
        int64_t now = first_due + (int64_t)k * TICK_GAP_MS;
        t0 = cpu_ns();
        if (desk_sla_sched_tick(s, now, &fired) != 0 || fired != DUE_PER_TICK) {
            fprintf(stderr, "sla bench: tick %d fired %zu, expected %d\n", k, fired, DUE_PER_TICK);
            desk_sla_sched_free(s);
            desk_app_close(app);
            return 1;
        }
        busy += cpu_ns() - t0;
    }
    *us = (double)busy / TICKS / 1000.0;
    printf("sla_tick_%s_us %.1f us\n", name, *us);
    printf("sla_tick_%s_heap %zu deadlines\n", name, desk_sla_sched_size(s));
    desk_sla_sched_free(s);
    desk_app_close(app);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: sla DIR\n");
        return 2;
    }
    double small, large;
    if (due_rate() || tick_cost(argv[1], "10k", 10000, &small) ||
        tick_cost(argv[1], "1m", 1000000, &large)) {
        return 1;
    }
    double ratio = small > 0 ? large / small : 0;
    printf("sla_tick_ratio_1m_to_10k %.2f ratio\n", ratio);
    printf("sla_tick_target_ratio_1.5 %s\n", ratio <= 1.5 ? "met" : "missed");
    return 0;
}
