/*
 * The event bus (see bus.h): a list of subscribers under one lock, each
 * with its own lock and byte queue. Publishing formats an event once and
 * appends it to every queue; a subscriber that was asleep (its stream
 * suspended) is woken. The heartbeat thread sends an SSE comment on a
 * fixed beat so that dead connections are noticed and proxies keep the
 * stream open.
 */
#include "live/bus.h"
#include "app/live_events.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/log.h"
#include "core/time.h"
#include "model/records.h"
#include "model/staff.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct desk_live_sub {
    pthread_mutex_t lock;
    struct desk_buf q; /* queued bytes; q.data[off..len) not yet read */
    size_t off;
    bool sleeping;
    bool closed;
    desk_live_wake_fn wake;
    void *wake_ctx;
    int64_t user_id; /* whose stream (0: anyone's) */
    struct desk_live_sub *prev, *next;
};

static pthread_mutex_t bus_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bus_cond = PTHREAD_COND_INITIALIZER;
static struct desk_live_sub *subs;
static size_t n_subs;
static bool running;
static bool stopped; /* once stopped, the bus never runs again in this process */
static pthread_t beat_thread;

/* Appends text to s (under its lock); closes a subscriber past the cap. */
static void push(struct desk_live_sub *s, const char *text, size_t len)
{
    pthread_mutex_lock(&s->lock);
    if (!s->closed) {
        if (s->off && s->off == s->q.len) {
            s->q.len = 0;
            s->off = 0;
        }
        if (s->q.len - s->off + len > DESK_LIVE_QUEUE_MAX || desk_buf_add(&s->q, text, len)) {
            s->closed = true; /* a reader this far behind reconnects and gets a fresh snapshot */
        }
        if (s->sleeping) {
            s->sleeping = false;
            s->wake(s->wake_ctx);
        }
    }
    pthread_mutex_unlock(&s->lock);
}

void desk_live_publish(const char *text, size_t len)
{
    pthread_mutex_lock(&bus_lock);
    for (struct desk_live_sub *s = subs; s; s = s->next) {
        push(s, text, len);
    }
    pthread_mutex_unlock(&bus_lock);
}

/* Like desk_live_publish, leaving out the streams of hidden[0..n). */
static void publish_except(const char *text, size_t len, const int64_t *hidden, size_t n)
{
    pthread_mutex_lock(&bus_lock);
    for (struct desk_live_sub *s = subs; s; s = s->next) {
        bool skip = false;
        for (size_t i = 0; i < n && !skip; i++) {
            skip = s->user_id && s->user_id == hidden[i];
        }
        if (!skip) {
            push(s, text, len);
        }
    }
    pthread_mutex_unlock(&bus_lock);
}

size_t desk_live_subscribers(void)
{
    pthread_mutex_lock(&bus_lock);
    size_t n = n_subs;
    pthread_mutex_unlock(&bus_lock);
    return n;
}

static void add_time(struct desk_buf *b, const char *key, int64_t ms)
{
    if (ms) {
        desk_buf_addf(b, ",\"%s\":%lld", key, (long long)ms);
    } else {
        desk_buf_addf(b, ",\"%s\":null", key);
    }
}

static void add_id(struct desk_buf *b, const char *key, int64_t id)
{
    if (id) {
        desk_buf_addf(b, ",\"%s\":%lld", key, (long long)id);
    } else {
        desk_buf_addf(b, ",\"%s\":null", key);
    }
}

/* A JSON string for the queue keys (digits or a BCP 47 tag); anything else is dropped. */
static void add_key(struct desk_buf *b, const char *s)
{
    desk_buf_adds(b, "\"");
    for (const char *p = s; *p; p++) {
        char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-') {
            desk_buf_add(b, &c, 1);
        }
    }
    desk_buf_adds(b, "\"");
}

static const char *name_or_null(const char *s)
{
    return s ? s : "";
}

/* The sink registered with app/: one "ticket" event per committed change. */
static void on_event(const struct desk_live_event *ev)
{
    struct desk_buf b;
    desk_buf_init(&b, 0);
    desk_buf_addf(&b, "event: ticket\ndata: {\"id\":%lld,\"status\":\"%s\",\"priority\":",
                  (long long)ev->ticket_id, name_or_null(desk_status_name(ev->status)));
    if (desk_priority_name(ev->priority)) {
        desk_buf_addf(&b, "\"%s\"", desk_priority_name(ev->priority));
    } else {
        desk_buf_adds(&b, "null");
    }
    desk_buf_addf(&b, ",\"channel\":\"%s\"", name_or_null(desk_via_name(ev->via)));
    add_id(&b, "group_id", ev->group_id);
    add_id(&b, "assignee_id", ev->assignee_id);
    desk_buf_adds(&b, ",\"language\":");
    add_key(&b, ev->language);
    add_time(&b, "created_ms", ev->created_at);
    add_time(&b, "updated_ms", ev->updated_at);
    desk_buf_addf(&b, ",\"created\":%s", ev->created ? "true" : "false");
    desk_buf_addf(&b, ",\"deleted\":%s", ev->deleted ? "true" : "false");
    if (!ev->created) {
        desk_buf_addf(&b, ",\"previous\":{\"status\":\"%s\"",
                      name_or_null(desk_status_name(ev->prev_status)));
        add_id(&b, "group_id", ev->prev_group_id);
        add_id(&b, "assignee_id", ev->prev_assignee_id);
        desk_buf_adds(&b, "}");
    }
    add_id(&b, "actor_id", ev->actor_id);
    desk_buf_addf(&b, ",\"comment\":%s,\"public_comment\":%s", ev->comment ? "true" : "false",
                  ev->comment_public ? "true" : "false");
    desk_buf_adds(&b, ",\"queues\":[");
    for (size_t i = 0; i < ev->n_queues; i++) {
        const struct desk_live_count *q = &ev->queues[i];
        desk_buf_addf(&b, "%s{\"dim\":", i ? "," : "");
        add_key(&b, q->dim);
        desk_buf_adds(&b, ",\"key\":");
        add_key(&b, q->key);
        desk_buf_addf(&b, ",\"waiting\":%lld,\"open\":%lld", (long long)q->waiting,
                      (long long)q->open);
        add_time(&b, "oldest_ms", q->oldest_at);
        desk_buf_adds(&b, "}");
    }
    desk_buf_adds(&b, "],\"loads\":[");
    for (size_t i = 0; i < ev->n_loads; i++) {
        const struct desk_live_load *l = &ev->loads[i];
        desk_buf_addf(&b, "%s{\"assignee_id\":%lld,\"open\":%lld,\"pending\":%lld}", i ? "," : "",
                      (long long)l->assignee_id, (long long)l->open, (long long)l->pending);
    }
    const struct desk_live_attention *at = &ev->attention;
    desk_buf_addf(
        &b,
        "],\"attention\":{\"sla_at_risk\":%lld,\"sla_breached\":%lld,\"escalations\":%lld,"
        "\"approvals\":%lld,\"drafts\":%lld,\"irate\":%lld}",
        (long long)at->sla_at_risk, (long long)at->sla_breached, (long long)at->escalations,
        (long long)at->approvals, (long long)at->drafts, (long long)at->irate);
    desk_buf_addf(&b, ",\"committed_ms\":%lld}\n\n", (long long)ev->committed_ms);
    publish_except(b.data, b.len, ev->hidden_from, ev->n_hidden);
    desk_buf_release(&b);
}

/* The floor sink: the attention counters, and an agent's new availability if any. */
static void on_floor(const struct desk_live_floor *ev)
{
    char text[512];
    const struct desk_live_attention *at = &ev->attention;
    int n = snprintf(
        text, sizeof(text),
        "event: floor\ndata: {\"attention\":{\"sla_at_risk\":%lld,\"sla_breached\":%lld,"
        "\"escalations\":%lld,\"approvals\":%lld,\"drafts\":%lld,\"irate\":%lld}",
        (long long)at->sla_at_risk, (long long)at->sla_breached, (long long)at->escalations,
        (long long)at->approvals, (long long)at->drafts, (long long)at->irate);
    if (n > 0 && ev->agent_id && (size_t)n < sizeof(text)) {
        n += snprintf(text + n, sizeof(text) - (size_t)n,
                      ",\"agent\":{\"id\":%lld,\"status\":\"%s\",\"since_ms\":%lld}",
                      (long long)ev->agent_id, name_or_null(desk_avail_name(ev->status)),
                      (long long)ev->status_since);
    }
    if (n > 0 && (size_t)n + 4 < sizeof(text)) {
        memcpy(text + n, "}\n\n", 4);
        desk_live_publish(text, (size_t)n + 3);
    }
}

/* The viewing sink: who is looking at (or replying to) which ticket, for collision notices. */
static void on_viewing(int64_t ticket_id, int64_t user_id, bool typing, int64_t at_ms,
                       const int64_t *hidden, size_t n_hidden)
{
    char text[192];
    int n = snprintf(text, sizeof(text),
                     "event: viewing\ndata: {\"ticket_id\":%lld,\"user_id\":%lld,\"typing\":%s,"
                     "\"at_ms\":%lld}\n\n",
                     (long long)ticket_id, (long long)user_id, typing ? "true" : "false",
                     (long long)at_ms);
    if (n > 0 && (size_t)n < sizeof(text)) {
        publish_except(text, (size_t)n, hidden, n_hidden);
    }
}

static void *beat_main(void *arg)
{
    (void)arg;
    static const char ping[] = ": ping\n\n";
    pthread_mutex_lock(&bus_lock);
    while (running) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += DESK_LIVE_HEARTBEAT_S;
        pthread_cond_timedwait(&bus_cond, &bus_lock, &ts);
        if (!running) {
            break;
        }
        for (struct desk_live_sub *s = subs; s; s = s->next) {
            push(s, ping, sizeof(ping) - 1);
        }
    }
    pthread_mutex_unlock(&bus_lock);
    return NULL;
}

/* Starts the bus under bus_lock. */
static int start_locked(void)
{
    if (running) {
        return 0;
    }
    if (stopped) {
        return DESK_EBUSY;
    }
    running = true;
    if (pthread_create(&beat_thread, NULL, beat_main, NULL) != 0) {
        running = false;
        return DESK_EINTERNAL;
    }
    desk_app_live_set_sink(on_event, desk_live_subscribers);
    desk_app_live_set_viewing_sink(on_viewing);
    desk_app_live_set_floor_sink(on_floor, desk_live_subscribers);
    desk_log(DESK_LOG_INFO, "event=live_started");
    return 0;
}

int desk_live_start(void)
{
    pthread_mutex_lock(&bus_lock);
    int rc = start_locked();
    pthread_mutex_unlock(&bus_lock);
    return rc;
}

void desk_live_stop(void)
{
    desk_app_live_set_sink(NULL, NULL);
    desk_app_live_set_viewing_sink(NULL);
    desk_app_live_set_floor_sink(NULL, NULL);
    pthread_mutex_lock(&bus_lock);
    if (!running) {
        pthread_mutex_unlock(&bus_lock);
        return;
    }
    running = false;
    stopped = true;
    pthread_cond_broadcast(&bus_cond);
    for (struct desk_live_sub *s = subs; s; s = s->next) {
        pthread_mutex_lock(&s->lock);
        s->closed = true;
        if (s->sleeping) {
            s->sleeping = false;
            s->wake(s->wake_ctx);
        }
        pthread_mutex_unlock(&s->lock);
    }
    pthread_mutex_unlock(&bus_lock);
    pthread_join(beat_thread, NULL);
}

int desk_live_subscribe(const char *first, size_t len, desk_live_wake_fn wake, void *ctx,
                        struct desk_live_sub **out)
{
    return desk_live_subscribe_as(0, first, len, wake, ctx, out);
}

int desk_live_subscribe_as(int64_t user_id, const char *first, size_t len, desk_live_wake_fn wake,
                           void *ctx, struct desk_live_sub **out)
{
    struct desk_live_sub *s = calloc(1, sizeof(*s));
    if (!s) {
        abort();
    }
    pthread_mutex_init(&s->lock, NULL);
    desk_buf_init(&s->q, 0);
    s->wake = wake;
    s->wake_ctx = ctx;
    s->user_id = user_id;
    if (len) {
        desk_buf_add(&s->q, first, len);
    }
    pthread_mutex_lock(&bus_lock);
    if (start_locked() != 0) { /* the first stream may come before serve starts the bus */
        pthread_mutex_unlock(&bus_lock);
        desk_buf_release(&s->q);
        pthread_mutex_destroy(&s->lock);
        free(s);
        return DESK_EBUSY;
    }
    s->next = subs;
    if (subs) {
        subs->prev = s;
    }
    subs = s;
    n_subs++;
    pthread_mutex_unlock(&bus_lock);
    *out = s;
    return 0;
}

ssize_t desk_live_read(struct desk_live_sub *s, char *buf, size_t max, desk_live_sleep_fn sleep,
                       void *ctx)
{
    ssize_t n;
    pthread_mutex_lock(&s->lock);
    size_t avail = s->q.len - s->off;
    if (avail) {
        size_t k = avail < max ? avail : max;
        memcpy(buf, s->q.data + s->off, k);
        s->off += k;
        n = (ssize_t)k;
    } else if (s->closed) {
        n = -1;
    } else {
        s->sleeping = true;
        sleep(ctx);
        n = 0;
    }
    pthread_mutex_unlock(&s->lock);
    return n;
}

void desk_live_unsubscribe(struct desk_live_sub *s)
{
    if (!s) {
        return;
    }
    pthread_mutex_lock(&bus_lock);
    if (s->prev) {
        s->prev->next = s->next;
    } else {
        subs = s->next;
    }
    if (s->next) {
        s->next->prev = s->prev;
    }
    n_subs--;
    pthread_mutex_unlock(&bus_lock);
    desk_buf_release(&s->q);
    pthread_mutex_destroy(&s->lock);
    free(s);
}
