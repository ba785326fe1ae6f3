/*
 * The "live events" ticket hook and the wall's snapshot (see
 * live_events.h). The counters it reads are kept by the triggers of
 * migration 0009 inside each ticket's own transaction, so what an event
 * carries is the state right after its commit.
 */
#include "app/live_events.h"
#include "app/app_int.h"
#include "core/log.h"
#include "core/time.h"
#include "store/store_escalations.h"
#include "store/store_team.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

static _Atomic(desk_live_sink_fn) sink;
static _Atomic(desk_live_listeners_fn) sink_listeners;
static _Atomic(desk_live_viewing_fn) viewing_sink;
static _Atomic(desk_live_floor_fn) floor_sink;
static _Atomic(desk_live_listeners_fn) floor_listeners;

void desk_app_live_set_floor_sink(desk_live_floor_fn fn, desk_live_listeners_fn listeners)
{
    atomic_store(&floor_listeners, listeners);
    atomic_store(&floor_sink, fn);
}

/* What the watcher last saw; touched only by the writer thread. */
static struct {
    bool current; /* last and avail_id are what the store holds (false: resync first) */
    struct desk_live_attention last;
    int64_t avail_id;
} watch;

/* The commit watcher (desk_app_live_watch): cheap when nobody listens, two index reads else. */
static void on_commit(struct desk_conn *c, void *ctx)
{
    (void)ctx;
    desk_live_floor_fn fn = atomic_load(&floor_sink);
    desk_live_listeners_fn listeners = atomic_load(&floor_listeners);
    if (!fn || !listeners || listeners() == 0) {
        watch.current = false; /* a new stream starts from a snapshot anyway */
        return;
    }
    struct desk_live_floor ev = {0};
    if (desk_store_live_attention(c, &ev.attention) != 0) {
        return;
    }
    if (!watch.current) {
        /* Listening again: today's state is the baseline, history is not replayed. */
        if (desk_store_staff_avail_last(c, &watch.avail_id) != 0) {
            return;
        }
        watch.last = ev.attention;
        watch.current = true;
        fn(&ev);
        return;
    }
    struct desk_staff_avail_change ch[16];
    size_t n = 0;
    if (desk_store_staff_avail_since(c, watch.avail_id, ch, 16, &n) != 0) {
        n = 0;
    }
    bool moved = memcmp(&ev.attention, &watch.last, sizeof(ev.attention)) != 0;
    watch.last = ev.attention;
    for (size_t i = 0; i < n; i++) {
        ev.agent_id = ch[i].user_id;
        ev.status = ch[i].status;
        ev.status_since = ch[i].created_at;
        watch.avail_id = ch[i].id;
        fn(&ev);
        moved = false;
    }
    if (n == 16) {
        watch.current = false; /* a burst (a shift change): resync at the next commit */
    }
    if (moved) {
        ev.agent_id = 0;
        fn(&ev);
    }
}

void desk_app_live_watch(struct desk_app *app)
{
    desk_store_on_commit(app->store, on_commit, NULL);
}

void desk_app_live_set_viewing_sink(desk_live_viewing_fn fn)
{
    atomic_store(&viewing_sink, fn);
}

int desk_app_live_viewing(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                          int64_t ticket_id, bool typing)
{
    struct desk_ticket t;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_app_ticket_get(app, who, a, ticket_id, &t);
    desk_live_viewing_fn fn = atomic_load(&viewing_sink);
    if (!rc && fn) {
        /* Who looks at a complaint about a member of staff is not theirs to see. */
        int64_t hidden[DESK_LIVE_MAX_HIDDEN];
        size_t n_hidden = 0;
        struct desk_conn *c;
        if (t.type == DESK_TTYPE_COMPLAINT && desk_app_reader(app, &c) == 0) {
            desk_store_ticket_hidden_users(c, ticket_id, hidden, DESK_LIVE_MAX_HIDDEN, &n_hidden);
        }
        fn(ticket_id, who->user_id, typing, desk_time_now_ms(), hidden, n_hidden);
    }
    return rc;
}

void desk_app_live_set_sink(desk_live_sink_fn fn, desk_live_listeners_fn listeners)
{
    atomic_store(&sink_listeners, listeners);
    atomic_store(&sink, fn);
}

/* Adds the queue (dim, key) unless it is already in ev. */
static void add_queue(struct desk_conn *c, struct desk_arena *a, struct desk_live_event *ev,
                      const char *dim, const char *key)
{
    for (size_t i = 0; i < ev->n_queues; i++) {
        if (strcmp(ev->queues[i].dim, dim) == 0 && strcmp(ev->queues[i].key, key) == 0) {
            return;
        }
    }
    if (ev->n_queues < DESK_LIVE_MAX_QUEUES &&
        desk_store_live_count(c, a, dim, key, &ev->queues[ev->n_queues]) == 0) {
        ev->n_queues++;
    }
}

static void add_queues(struct desk_conn *c, struct desk_arena *a, struct desk_live_event *ev,
                       const struct desk_ticket *t)
{
    add_queue(c, a, ev, "group", desk_arena_printf(a, "%lld", (long long)t->group_id));
    add_queue(c, a, ev, "language", t->language ? t->language : "");
    add_queue(c, a, ev, "channel", desk_arena_printf(a, "%d", t->via));
}

static void add_load(struct desk_conn *c, struct desk_live_event *ev, int64_t assignee)
{
    if (!assignee || ev->n_loads == DESK_LIVE_MAX_LOADS ||
        (ev->n_loads && ev->loads[0].assignee_id == assignee)) {
        return;
    }
    if (desk_store_live_load(c, assignee, &ev->loads[ev->n_loads]) == 0) {
        ev->n_loads++;
    }
}

/* Builds and hands one event to the sink: before is NULL for a new ticket. */
static void publish(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                    const struct desk_ticket *b, const struct desk_ticket *t, bool comment,
                    bool comment_public, bool deleted)
{
    desk_live_sink_fn fn = atomic_load(&sink);
    desk_live_listeners_fn listeners = atomic_load(&sink_listeners);
    struct desk_conn *c;
    /* Nobody watching: no event (its counts cost a few index reads a write). */
    if (!fn || !t || (listeners && listeners() == 0) || desk_app_reader(app, &c) != 0) {
        return;
    }
    struct desk_live_event ev = {
        .ticket_id = t->id,
        .status = t->status,
        .priority = t->priority,
        .via = t->via,
        .group_id = t->group_id,
        .assignee_id = t->assignee_id,
        .language = t->language ? t->language : "",
        .created_at = t->created_at,
        .updated_at = t->updated_at,
        .created = b == NULL,
        .actor_id = who ? who->user_id : 0,
        .comment = comment,
        .comment_public = comment && comment_public,
        .deleted = deleted,
    };
    if (b) {
        ev.prev_status = b->status;
        ev.prev_group_id = b->group_id;
        ev.prev_assignee_id = b->assignee_id;
        add_queues(c, a, &ev, b);
        add_load(c, &ev, b->assignee_id);
    }
    add_queues(c, a, &ev, t);
    add_load(c, &ev, t->assignee_id);
    (void)desk_store_live_attention(c, &ev.attention);
    /* A complaint about a member of staff never reaches their wall. */
    if (t->type == DESK_TTYPE_COMPLAINT || (b && b->type == DESK_TTYPE_COMPLAINT)) {
        desk_store_ticket_hidden_users(c, t->id, ev.hidden_from, DESK_LIVE_MAX_HIDDEN,
                                       &ev.n_hidden);
    }
    ev.committed_ms = desk_time_now_ms();
    fn(&ev);
}

void desk_app_live_committed(const struct desk_ticket_change *ch)
{
    publish(ch->app, ch->who, ch->a, ch->before, ch->after, ch->comment != NULL, ch->comment_public,
            false);
}

void desk_app_live_deleted(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                           const struct desk_ticket *before, const struct desk_ticket *after)
{
    publish(app, who, a, before, after, false, false, true);
}

int desk_app_live_attention(struct desk_app *app, const struct desk_actor *who,
                            struct desk_live_attention *out)
{
    struct desk_conn *c;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_app_reader(app, &c);
    return rc ? rc : desk_store_live_attention(c, out);
}

int desk_app_live_snapshot(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                           struct desk_live_count **queues, size_t *n_queues,
                           struct desk_live_load **loads, size_t *n_loads)
{
    struct desk_conn *c;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_app_reader(app, &c);
    if (!rc) {
        rc = desk_store_live_counts(c, a, queues, n_queues);
    }
    if (!rc) {
        rc = desk_store_live_loads(c, a, loads, n_loads);
    }
    return rc;
}
