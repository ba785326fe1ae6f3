/*
 * SLA breach scheduler (see sla_scheduler.h). The heap holds deadlines up
 * to a horizon: every (next_at, ticket_id) key at or before the horizon
 * that the index held when the window was read, plus any write's new key
 * at or before it since. Keys past the horizon stay in the index until the
 * heap drains to it and the next window is read. A deadline that moved
 * leaves a stale entry behind; firing it is harmless (the app finds
 * nothing due and answers the ticket's real next deadline). When stale
 * entries pile up past twice the window the heap is rebuilt from the
 * index, so memory stays bounded.
 */
#include "jobs/sla_scheduler.h"
#include "app/sla.h"
#include "core/log.h"
#include "core/time.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct desk_sla_sched {
    struct desk_app *app;
    struct desk_sla_sched_ops ops;
    size_t window;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct desk_sla_due_key *heap;
    size_t n, cap;
    struct desk_sla_due_key horizon; /* last key read from the index */
    bool complete;                   /* the index held nothing past the horizon */
    bool loaded;                     /* a window was read since the last reset */
    bool stop;
    bool started;
    pthread_t thread;
    struct desk_sla_due_key *buf; /* window read buffer */
};

static bool key_less(struct desk_sla_due_key a, struct desk_sla_due_key b)
{
    return a.next_at < b.next_at || (a.next_at == b.next_at && a.ticket_id < b.ticket_id);
}

static void heap_push(struct desk_sla_sched *s, struct desk_sla_due_key k)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->heap = realloc(s->heap, s->cap * sizeof(*s->heap));
        if (!s->heap) {
            abort();
        }
    }
    size_t i = s->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!key_less(k, s->heap[p])) {
            break;
        }
        s->heap[i] = s->heap[p];
        i = p;
    }
    s->heap[i] = k;
}

static struct desk_sla_due_key heap_pop(struct desk_sla_sched *s)
{
    struct desk_sla_due_key top = s->heap[0], last = s->heap[--s->n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        struct desk_sla_due_key best = last;
        if (l < s->n && key_less(s->heap[l], best)) {
            m = l;
            best = s->heap[l];
        }
        if (r < s->n && key_less(s->heap[r], best)) {
            m = r;
        }
        if (m == i) {
            break;
        }
        s->heap[i] = s->heap[m];
        i = m;
    }
    if (s->n) {
        s->heap[i] = last;
    }
    return top;
}

/* Forgets the heap; the next window is read from the start of the index. */
static void reset(struct desk_sla_sched *s)
{
    s->n = 0;
    s->horizon = (struct desk_sla_due_key){INT64_MIN, 0};
    s->complete = false;
    s->loaded = false;
}

/* Reads the next window from the index (lock held, so no wake-up slips between). */
static int load(struct desk_sla_sched *s)
{
    size_t n = 0;
    int rc = desk_app_sla_next(s->app, s->horizon, s->window, s->buf, &n);
    if (rc) {
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        heap_push(s, s->buf[i]);
    }
    if (n) {
        s->horizon = s->buf[n - 1];
    }
    s->complete = n < s->window;
    s->loaded = true;
    return 0;
}

/* Whether key belongs in the heap now (else the index will yield it in its turn). */
static bool in_window(const struct desk_sla_sched *s, struct desk_sla_due_key k)
{
    return s->complete || !key_less(s->horizon, k);
}

static int default_fire(void *ctx, int64_t ticket_id, int64_t now, int64_t *next_at)
{
    return desk_app_sla_fire(ctx, ticket_id, now, next_at);
}

static void on_wake(void *ctx, int64_t ticket_id, int64_t next_at)
{
    desk_sla_sched_wake(ctx, ticket_id, next_at);
}

int desk_sla_sched_new(struct desk_app *app, const struct desk_sla_sched_ops *ops, size_t window,
                       struct desk_sla_sched **out)
{
    struct desk_sla_sched *s = calloc(1, sizeof(*s));
    if (!s) {
        abort();
    }
    s->app = app;
    s->ops = ops ? *ops : (struct desk_sla_sched_ops){default_fire, app};
    s->window = window ? window : DESK_SLA_SCHED_WINDOW;
    s->buf = malloc(s->window * sizeof(*s->buf));
    if (!s->buf) {
        abort();
    }
    pthread_mutex_init(&s->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cond, &ca);
    pthread_condattr_destroy(&ca);
    reset(s);
    desk_app_sla_set_wake(app, on_wake, s);
    *out = s;
    return 0;
}

void desk_sla_sched_wake(struct desk_sla_sched *s, int64_t ticket_id, int64_t next_at)
{
    if (!next_at) {
        return; /* a stale entry, if any, fires harmlessly */
    }
    struct desk_sla_due_key k = {next_at, ticket_id};
    pthread_mutex_lock(&s->lock);
    if (s->loaded && in_window(s, k)) {
        bool earlier = !s->n || key_less(k, s->heap[0]);
        heap_push(s, k);
        if (s->n > 2 * s->window + 1024) {
            reset(s); /* mostly stale: read the truth again */
        }
        if (earlier) {
            pthread_cond_signal(&s->cond);
        }
    }
    pthread_mutex_unlock(&s->lock);
}

size_t desk_sla_sched_size(struct desk_sla_sched *s)
{
    pthread_mutex_lock(&s->lock);
    size_t n = s->n;
    pthread_mutex_unlock(&s->lock);
    return n;
}

int desk_sla_sched_tick(struct desk_sla_sched *s, int64_t now, size_t *fired)
{
    int rc = 0;
    size_t k = 0;
    pthread_mutex_lock(&s->lock);
    for (;;) {
        if (!s->n && !s->complete) {
            if ((rc = load(s)) != 0) {
                break;
            }
            if (!s->n) {
                break;
            }
        }
        if (!s->n || s->heap[0].next_at > now) {
            break;
        }
        struct desk_sla_due_key due = heap_pop(s);
        /* Entries for the same ticket due together fire once. */
        while (s->n && s->heap[0].ticket_id == due.ticket_id && s->heap[0].next_at <= now) {
            heap_pop(s);
        }
        pthread_mutex_unlock(&s->lock);
        int64_t next = 0;
        s->ops.fire(s->ops.ctx, due.ticket_id, now, &next);
        k++;
        pthread_mutex_lock(&s->lock);
        if (next) {
            struct desk_sla_due_key nk = {next > now ? next : now + 1000, due.ticket_id};
            if (in_window(s, nk)) {
                heap_push(s, nk);
            }
        }
    }
    pthread_mutex_unlock(&s->lock);
    *fired = k;
    return rc;
}

static void *run(void *arg)
{
    struct desk_sla_sched *s = arg;
    desk_log(DESK_LOG_INFO, "event=sla_scheduler_started window=%zu", s->window);
    pthread_mutex_lock(&s->lock);
    while (!s->stop) {
        pthread_mutex_unlock(&s->lock);
        size_t fired = 0;
        int rc = desk_sla_sched_tick(s, desk_time_now_ms(), &fired);
        if (fired) {
            desk_log(DESK_LOG_DEBUG, "event=sla_tick fired=%zu", fired);
        }
        pthread_mutex_lock(&s->lock);
        if (s->stop) {
            break;
        }
        /* Sleep until the earliest deadline, a wake-up, or a minute (the clock may jump);
         * after a store error, retry in a second. */
        int64_t wait_ms = 60000;
        if (rc) {
            wait_ms = 1000;
        } else if (s->n) {
            int64_t d = s->heap[0].next_at - desk_time_now_ms();
            wait_ms = d < 0 ? 0 : d < wait_ms ? d : wait_ms;
        }
        if (wait_ms > 0) {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            ts.tv_sec += (time_t)(wait_ms / 1000);
            ts.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            int w = pthread_cond_timedwait(&s->cond, &s->lock, &ts);
            (void)(w == ETIMEDOUT);
        }
    }
    pthread_mutex_unlock(&s->lock);
    desk_log(DESK_LOG_INFO, "event=sla_scheduler_stopped");
    return NULL;
}

int desk_sla_sched_start(struct desk_sla_sched *s)
{
    if (pthread_create(&s->thread, NULL, run, s) != 0) {
        return DESK_EINTERNAL;
    }
    s->started = true;
    return 0;
}

void desk_sla_sched_free(struct desk_sla_sched *s)
{
    if (!s) {
        return;
    }
    desk_app_sla_set_wake(s->app, NULL, NULL);
    if (s->started) {
        pthread_mutex_lock(&s->lock);
        s->stop = true;
        pthread_cond_signal(&s->cond);
        pthread_mutex_unlock(&s->lock);
        pthread_join(s->thread, NULL);
    }
    pthread_cond_destroy(&s->cond);
    pthread_mutex_destroy(&s->lock);
    free(s->heap);
    free(s->buf);
    free(s);
}
