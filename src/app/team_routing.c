/*
 * Routing in the ticket write path. The hook's prepare phase runs inside
 * the writer's transaction, so each decision sees every assignment made
 * before it and none is made twice: it gathers the group's pool (agents,
 * languages, skills, capacities, loads), lets model/routing.c choose, and
 * sets the assignee on the ticket being written (audited like any change).
 * The written phase records the decision and its reason; the committed
 * phase wakes the router when an agent freed capacity. The router drains
 * queues by offering each waiting ticket, most urgent first, through the
 * ticket update use case.
 */
#include "app/team_int.h"
#include "store/store_commitments.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/time.h"
#include "model/routing.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#define TAG_UNMATCHED "language_unmatched"
#define DRAIN_BATCH   100
#define DRAIN_MISSES  10 /* consecutive tickets nobody could take before a drain stops */
#define EXPLAIN_MAX   8  /* agents named one by one in a reason */

const struct desk_actor team_router_actor = {
    .user_id = 0, .role = DESK_ROLE_ADMIN, .via = DESK_VIA_RULE, .request_id = "routing"};

/* ---- the request registry ------------------------------------------------- */

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct team_req *reg_head;

void team_req_push(struct team_req *r)
{
    pthread_mutex_lock(&reg_lock);
    r->next = reg_head;
    reg_head = r;
    pthread_mutex_unlock(&reg_lock);
}

void team_req_pop(struct team_req *r)
{
    pthread_mutex_lock(&reg_lock);
    for (struct team_req **p = &reg_head; *p; p = &(*p)->next) {
        if (*p == r) {
            *p = r->next;
            break;
        }
    }
    pthread_mutex_unlock(&reg_lock);
}

struct team_req *team_req_find(const struct desk_ticket_input *in)
{
    struct team_req *found = NULL;
    pthread_mutex_lock(&reg_lock);
    for (struct team_req *r = reg_head; r && !found; r = r->next) {
        if (r->in == in) {
            found = r;
        }
    }
    pthread_mutex_unlock(&reg_lock);
    return found;
}

/* ---- what prepare leaves for written -------------------------------------- */

/*
 * Prepare and written of one write run back to back on the writer thread,
 * and a writer runs one write at a time: a note per writer thread carries
 * the decision across, keyed by the change so a stale note is never used.
 */
struct route_note {
    const struct desk_ticket_change *ch;
    bool decided;
    const char *trigger;
    const char *outcome;
    int64_t agent_id;
    const char *reason;
    bool unmatched;
    int64_t assigned_to; /* a new assignee: their last assignment time moves */
};
static _Thread_local struct route_note note;

/* ---- building the pool ---------------------------------------------------- */

struct zone_minute {
    const char *zone;
    int minute; /* -1: unknown zone */
};

/* Minute of the week in zone now, computed once per zone and decision. */
static int zone_minute(struct zone_minute *cache, size_t *n, size_t cap, const char *zone,
                       int64_t now)
{
    for (size_t i = 0; i < *n; i++) {
        if (strcmp(cache[i].zone, zone) == 0) {
            return cache[i].minute;
        }
    }
    int m = -1;
    if (desk_zone_minute_of_week(zone, now, &m) != 0) {
        m = -1;
    }
    if (*n < cap) {
        cache[(*n)++] = (struct zone_minute){zone, m};
    }
    return m;
}

/* The slice of a pool list (ordered by user id) that belongs to user_id, advancing *pos. */
static size_t slice(const struct desk_route_pair *v, size_t n, size_t *pos, int64_t user_id)
{
    while (*pos < n && v[*pos].user_id < user_id) {
        (*pos)++;
    }
    size_t start = *pos;
    while (*pos < n && v[*pos].user_id == user_id) {
        (*pos)++;
    }
    return start;
}

/*
 * The pools of recently routed groups, kept in memory between writes and
 * reread when the store's pool generation moved (any change to membership,
 * profiles, languages, capacity, skills or user status): a decision then
 * costs one query for the loads instead of four more over the whole group.
 * Guarded by pool_lock, held for a whole decision (the writer is the only
 * user, so the lock is uncontended).
 */
struct cached_agent {
    struct desk_route_agent base; /* id, name, langs, skills, availability, pause */
    const char *zone;             /* schedule zone; NULL: always on shift */
    bool schedule_ok;
    struct desk_work_schedule schedule;
    const struct desk_route_pair *caps; /* text = channel, n = capacity */
    size_t n_caps;
};

struct pool_entry {
    const struct desk_conn *conn; /* the writer it was read on */
    int64_t group_id;
    int64_t generation;
    uint64_t used_at;
    bool loaded;
    struct desk_arena arena;
    struct cached_agent *agents;
    size_t n;
};

#define POOL_CACHE 16

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pool_entry pools[POOL_CACHE];
static uint64_t pool_clock;

static int pool_read(struct desk_conn *c, struct pool_entry *e)
{
    struct desk_route_pool p;
    struct desk_arena *a = &e->arena;
    size_t il = 0, is = 0, ic = 0;
    int rc = desk_store_route_pool(c, a, e->group_id, DESK_PROF_ROUTABLE, &p);
    if (rc) {
        return rc;
    }
    e->agents = desk_arena_alloc(a, (p.n_agents + 1) * sizeof(*e->agents));
    e->n = p.n_agents;
    for (size_t i = 0; i < p.n_agents; i++) {
        const struct desk_route_row *r = &p.agents[i];
        struct cached_agent *ca = &e->agents[i];
        struct desk_route_agent *ag = &ca->base;
        ag->id = r->user_id;
        ag->name = r->name;
        ag->avail = (uint8_t)r->availability;
        ag->paused = r->paused;
        if (r->schedule) {
            ca->zone = r->schedule_zone ? r->schedule_zone : r->time_zone ? r->time_zone : "UTC";
            ca->schedule_ok = desk_schedule_parse(r->schedule, &ca->schedule, NULL, NULL) == 0;
        }
        size_t from = slice(p.langs, p.n_langs, &il, r->user_id);
        uint32_t *langs = desk_arena_alloc(a, (il - from + 1) * sizeof(*langs));
        for (size_t k = from; k < il; k++) {
            langs[ag->n_langs++] = desk_lang_key(p.langs[k].text);
        }
        ag->langs = langs;
        from = slice(p.skills, p.n_skills, &is, r->user_id);
        int64_t *skills = desk_arena_alloc(a, (is - from + 1) * sizeof(*skills));
        for (size_t k = from; k < is; k++) {
            skills[ag->n_skills++] = p.skills[k].value;
        }
        ag->skills = skills;
        from = slice(p.caps, p.n_caps, &ic, r->user_id);
        ca->caps = p.caps + from;
        ca->n_caps = ic - from;
    }
    return 0;
}

/* The cached pool of group_id, reread when stale. Called with pool_lock held. */
static int pool_get(struct desk_conn *c, int64_t group_id, struct pool_entry **out)
{
    int64_t gen;
    int rc = desk_store_route_generation(c, &gen);
    if (rc) {
        return rc;
    }
    struct pool_entry *e = NULL, *victim = NULL;
    for (size_t i = 0; i < POOL_CACHE && !e; i++) {
        struct pool_entry *p = &pools[i];
        if (p->loaded && p->conn == c && p->group_id == group_id) {
            e = p;
        } else if (!victim || !p->loaded || (victim->loaded && p->used_at < victim->used_at)) {
            victim = p;
        }
    }
    if (!e || e->generation != gen) {
        e = e ? e : victim;
        desk_arena_release(&e->arena);
        desk_arena_init(&e->arena);
        e->loaded = false;
        e->conn = c;
        e->group_id = group_id;
        if ((rc = pool_read(c, e)) != 0) {
            desk_arena_release(&e->arena);
            return rc;
        }
        e->generation = gen;
        e->loaded = true;
    }
    e->used_at = ++pool_clock;
    *out = e;
    return 0;
}

/* The agent's capacity figure for channel ("default" when they have none of its own; 0: none). */
static uint32_t capacity_of(const struct cached_agent *ca, const char *channel, bool *own)
{
    int64_t dflt = 0;
    *own = false;
    for (size_t i = 0; i < ca->n_caps; i++) {
        if (channel && strcmp(ca->caps[i].text, channel) == 0) {
            *own = true;
            return (uint32_t)ca->caps[i].n;
        }
        if (strcmp(ca->caps[i].text, "default") == 0) {
            dflt = ca->caps[i].n;
        }
    }
    return (uint32_t)dflt;
}

struct pool {
    struct desk_route_agent *agents;
    size_t n;
};

/*
 * The decision's candidates: the cached pool with this moment's facts — on
 * shift, excluded, last assignment, capacity for the ticket's channel, and
 * load (that channel's active tickets when the agent has a figure for it,
 * else the active tickets of every channel without one). Called with
 * pool_lock held: names, languages and skills point into the cache.
 */
static int build_pool(struct desk_conn *c, struct desk_arena *a, int64_t group_id, int via,
                      int64_t exclude, int64_t now, struct pool *out)
{
    struct pool_entry *e;
    struct desk_route_load *loads = NULL;
    struct zone_minute zones[32];
    size_t n_loads = 0, n_zones = 0, il = 0;
    int rc = pool_get(c, group_id, &e);
    if (rc || (e->n && (rc = desk_store_route_loads(c, a, group_id, &loads, &n_loads)) != 0)) {
        return rc;
    }
    const char *channel = desk_via_name(via);
    struct desk_route_agent *v = desk_arena_alloc(a, (e->n + 1) * sizeof(*v));
    for (size_t i = 0; i < e->n; i++) {
        const struct cached_agent *ca = &e->agents[i];
        struct desk_route_agent *ag = &v[i];
        bool own;
        *ag = ca->base;
        ag->excluded = ag->id == exclude;
        ag->on_shift = true;
        if (ca->zone) {
            int m = zone_minute(zones, &n_zones, 32, ca->zone, now);
            ag->on_shift = m >= 0 && ca->schedule_ok && desk_schedule_covers(&ca->schedule, m);
        }
        ag->capacity = capacity_of(ca, channel, &own);
        while (il < n_loads && loads[il].user_id < ag->id) {
            il++;
        }
        uint32_t load = 0;
        for (; il < n_loads && loads[il].user_id == ag->id; il++) {
            const struct desk_route_load *l = &loads[il];
            bool other_own;
            ag->last_assigned_at = l->last_assigned_at;
            if (l->via < 0) {
                continue;
            }
            capacity_of(ca, desk_via_name(l->via), &other_own);
            if (own ? l->via == via : !other_own) {
                load += (uint32_t)l->n;
            }
        }
        ag->load = load;
    }
    out->agents = v;
    out->n = e->n;
    return 0;
}

/* ---- the decision ---------------------------------------------------------- */

static bool has_tag(const struct desk_strv *tags, const char *tag)
{
    for (size_t i = 0; i < tags->n; i++) {
        if (strcmp(tags->v[i], tag) == 0) {
            return true;
        }
    }
    return false;
}

/* Adds or removes tag on t (a new vector in a; tags stay sorted by the store's normalizing). */
static void set_tag(struct desk_arena *a, struct desk_ticket *t, const char *tag, bool on)
{
    if (has_tag(&t->tags, tag) == on) {
        return;
    }
    const char **v = desk_arena_alloc(a, (t->tags.n + 1) * sizeof(*v));
    size_t n = 0;
    for (size_t i = 0; i < t->tags.n; i++) {
        if (strcmp(t->tags.v[i], tag) != 0) {
            v[n++] = t->tags.v[i];
        }
    }
    if (on) {
        /* Keep the sorted order the store writes tags in. */
        size_t k = n++;
        while (k > 0 && strcmp(v[k - 1], tag) > 0) {
            v[k] = v[k - 1];
            k--;
        }
        v[k] = tag;
    }
    t->tags.v = v;
    t->tags.n = n;
}

/* Why this write asks for routing, or NULL when it does not. */
static const char *trigger_of(const struct desk_ticket_change *ch, const struct team_req *r)
{
    const struct desk_ticket *b = ch->before, *t = ch->after;
    if (t->assignee_id || t->status > DESK_STATUS_OPEN || t->deleted_at) {
        return NULL;
    }
    if (!b) {
        return "created";
    }
    if (r && r->kind == TEAM_REQ_ROUTE) {
        return "offered";
    }
    if (b->assignee_id) {
        return "unassigned";
    }
    if (b->status > DESK_STATUS_OPEN) {
        return "reopened";
    }
    if (b->group_id != t->group_id) {
        return "group_changed";
    }
    return NULL;
}

/* Builds the pool, chooses, explains and applies the choice to the ticket. Under pool_lock. */
static int decide(struct desk_conn *c, struct desk_ticket_change *ch,
                  const struct desk_route_group *g, struct desk_route_ticket *rt,
                  int64_t unmatched_before, int64_t exclude, struct team_req *r)
{
    struct desk_ticket *t = ch->after;
    struct desk_arena *a = ch->a;
    struct pool pool;
    int rc = build_pool(c, a, t->group_id, t->via, exclude, ch->now, &pool);
    if (rc) {
        return rc;
    }
    uint8_t *skips = desk_arena_alloc(a, pool.n + 1);
    struct desk_route_result res;
    desk_route_choose(rt, pool.agents, pool.n, skips, &res);
    int64_t unmatched_since = unmatched_before ? unmatched_before : ch->now;
    if (res.outcome == DESK_ROUTE_LANGUAGE_UNMATCHED && g->fallback_seconds >= 0 &&
        ch->now - unmatched_since >= (int64_t)g->fallback_seconds * 1000) {
        /* Nobody speaks it and the group waited long enough: anyone may take it. */
        rt->any_language = true;
        desk_route_choose(rt, pool.agents, pool.n, skips, &res);
    }
    struct desk_buf b;
    desk_buf_init(&b, 0);
    desk_route_explain(&b, rt, t->language, pool.agents, pool.n, skips, &res, ch->now, EXPLAIN_MAX);
    note.reason = desk_arena_strndup(a, b.data ? b.data : "", b.len);
    desk_buf_release(&b);
    note.outcome = desk_route_outcome_name(res.outcome);
    if (r) {
        r->outcome = res.outcome;
    }
    if (res.outcome == DESK_ROUTE_ASSIGNED) {
        t->assignee_id = res.agent_id;
        if (t->status == DESK_STATUS_NEW) {
            t->status = DESK_STATUS_OPEN;
        }
        set_tag(a, t, TAG_UNMATCHED, false);
        note.agent_id = res.agent_id;
        note.assigned_to = res.agent_id;
    } else if (res.outcome == DESK_ROUTE_LANGUAGE_UNMATCHED) {
        set_tag(a, t, TAG_UNMATCHED, true);
        note.unmatched = true;
    }
    return 0;
}

static int route(struct desk_conn *c, struct desk_ticket_change *ch, const char *trigger,
                 struct team_req *r)
{
    struct desk_ticket *t = ch->after;
    struct desk_arena *a = ch->a;
    struct desk_route_group g;
    struct desk_route_state st = {0};
    int rc = desk_store_route_group_get(c, t->group_id, &g);
    if (rc) {
        return rc;
    }
    note.decided = true;
    note.trigger = trigger;
    if (t->group_id && g.paused) {
        note.outcome = "paused";
        note.reason = "kept in queue: routing is paused for this group";
        return 0;
    }
    bool have_state = ch->before && desk_store_route_state_get(c, a, t->id, &st) == 0;
    int64_t exclude = ch->before && ch->before->assignee_id ? ch->before->assignee_id : 0;
    struct desk_route_ticket rt = {desk_lang_key(t->language), false, NULL, 0};
    if (ch->before) {
        struct desk_attr *vals;
        size_t n;
        if ((rc = desk_store_ticket_values(c, a, t->id, &vals, &n)) != 0) {
            return rc;
        }
        int64_t *ids = desk_arena_alloc(a, (n + 1) * sizeof(*ids));
        for (size_t i = 0; i < n; i++) {
            ids[i] = vals[i].id;
        }
        rt.skills = ids;
        rt.n_skills = n;
    }
    /* The cached pool and the names in the reason stay valid while the lock is held. */
    pthread_mutex_lock(&pool_lock);
    rc = decide(c, ch, &g, &rt, have_state ? st.unmatched_since : 0, exclude, r);
    pthread_mutex_unlock(&pool_lock);
    return rc;
}

/* ---- trainees' replies -------------------------------------------------------- */

/*
 * Tells the reviewer a draft waits, in the same write: an alert (GET
 * /alerts) for the trainee's mentor when they can still act, else for a
 * supervisor of the ticket's group, else an admin.
 */
static int notify_reviewer(struct desk_conn *c, struct desk_ticket_change *ch,
                           const struct desk_staff_profile *p, const struct desk_draft *d)
{
    struct desk_user mentor, author;
    int64_t to = 0;
    int rc;
    if (p->mentor_id && desk_store_user_get(c, ch->a, p->mentor_id, &mentor) == 0 &&
        mentor.active && !mentor.suspended && desk_role_is_staff(mentor.role)) {
        to = mentor.id;
    } else if ((rc = desk_store_commitment_heir(c, ch->before->group_id, d->author_id, &to)) != 0) {
        return rc;
    }
    if (!to) {
        return 0;
    }
    const char *name =
        desk_store_user_get(c, ch->a, d->author_id, &author) == 0 && author.name ? author.name : "";
    struct desk_alert al = {0};
    al.recipient_id = to;
    al.kind = "draft_pending";
    al.ticket_id = d->ticket_id;
    al.about_user_id = d->author_id;
    al.message =
        desk_arena_printf(ch->a, "%s's reply on ticket #%lld awaits your approval (draft %lld)",
                          name, (long long)d->ticket_id, (long long)d->id);
    al.created_at = ch->now;
    return desk_store_alert_insert(c, &al);
}

/* A trainee writing a public reply themselves: keep it as a draft, out of the ticket. */
static int hold_reply(struct desk_conn *c, struct desk_ticket_change *ch, bool *held)
{
    struct desk_staff_profile p;
    bool stored;
    *held = false;
    if (!ch->before || !ch->comment || !ch->comment_public || !desk_role_is_staff(ch->who->role) ||
        ch->comment_author != ch->who->user_id || !ch->who->user_id) {
        return 0;
    }
    int rc = team_profile_load(c, ch->a, ch->who->user_id, &p, &stored);
    if (rc || !p.trainee) {
        return rc;
    }
    struct desk_ticket *t = ch->after;
    struct desk_draft d = {0};
    d.ticket_id = ch->before->id;
    d.author_id = ch->comment_author;
    d.body = ch->comment;
    d.status = t->status != ch->before->status ? t->status : -1;
    d.created_at = ch->now;
    /* Stored now, inside this write: it rolls back with the write if anything later fails. */
    if ((rc = desk_store_draft_insert(c, &d)) != 0) {
        return rc;
    }
    if ((rc = notify_reviewer(c, ch, &p, &d)) != 0) {
        return rc;
    }
    /* The status waits with the reply: a ticket is not solved by an unsent answer. */
    t->status = ch->before->status;
    t->solved_at = ch->before->solved_at;
    ch->comment = NULL;
    *held = true;
    desk_log(DESK_LOG_INFO, "event=reply_held ticket=%lld draft=%lld author=%lld request=%s",
             (long long)d.ticket_id, (long long)d.id, (long long)d.author_id,
             ch->who->request_id ? ch->who->request_id : "-");
    return 0;
}

/* ---- the hook --------------------------------------------------------------- */

int desk_team_prepare(struct desk_conn *c, struct desk_ticket_change *ch)
{
    struct team_req *r = team_req_find(ch->in);
    bool held = false;
    memset(&note, 0, sizeof(note));
    note.ch = ch;
    int rc = hold_reply(c, ch, &held);
    if (rc) {
        return rc;
    }
    const struct desk_ticket *b = ch->before;
    struct desk_ticket *t = ch->after;
    if (t->assignee_id && (!b || b->assignee_id != t->assignee_id)) {
        note.assigned_to = t->assignee_id;
        if (ch->who != &team_router_actor) {
            /* Someone chose the assignee: that wins, and is on record. */
            note.decided = true;
            note.trigger = b ? "assigned" : "created";
            note.outcome = "manual";
            note.agent_id = t->assignee_id;
            note.reason =
                desk_arena_printf(ch->a, "assigned by %s: manual assignment wins",
                                  ch->who->user_id ? desk_arena_printf(ch->a, "user %lld",
                                                                       (long long)ch->who->user_id)
                                                   : "the system");
            set_tag(ch->a, t, TAG_UNMATCHED, false);
        }
        return 0;
    }
    const char *trigger = trigger_of(ch, r);
    return trigger ? route(c, ch, trigger, r) : 0;
}

int desk_team_written(struct desk_conn *c, struct desk_ticket_change *ch)
{
    int rc = 0;
    struct team_req *r = team_req_find(ch->in);
    if (r && r->kind == TEAM_REQ_APPROVE) {
        struct desk_draft d = {0};
        d.id = r->draft_id;
        d.state = "approved";
        d.sent_body = r->sent_body;
        d.reviewer_id = r->reviewer_id;
        d.comment_id = ch->comment_id;
        d.reviewed_at = ch->now;
        /* Marked in the same transaction as the comment: approved once, sent once. */
        if ((rc = desk_store_draft_review(c, &d)) != 0) {
            return rc;
        }
    }
    if (note.ch != ch) {
        return 0;
    }
    if (note.decided) {
        struct desk_route_decision d = {
            0, ch->after->id, note.trigger, note.outcome, note.agent_id, note.reason, ch->now};
        struct desk_route_state prev, st = {ch->after->id, note.outcome, 0, 0, ch->now};
        bool had = desk_store_route_state_get(c, ch->a, ch->after->id, &prev) == 0;
        if (note.unmatched) {
            st.unmatched_since = had && prev.unmatched_since ? prev.unmatched_since : ch->now;
        }
        if ((rc = desk_store_route_decision_add(c, &d)) != 0) {
            return rc;
        }
        st.decision_id = d.id;
        if ((rc = desk_store_route_state_put(c, &st)) != 0) {
            return rc;
        }
    }
    if (note.assigned_to) {
        rc = desk_store_staff_assigned(c, note.assigned_to, ch->now);
    }
    return rc;
}

void desk_team_committed(const struct desk_ticket_change *ch)
{
    const struct desk_ticket *b = ch->before, *t = ch->after;
    if (!b || !b->assignee_id || b->status > DESK_STATUS_OPEN) {
        return;
    }
    /* The previous assignee has one ticket less to work on: their queues may move. */
    if (t->assignee_id != b->assignee_id || t->status > DESK_STATUS_OPEN) {
        team_router_kick(b->assignee_id);
    }
}

/* ---- draining queues --------------------------------------------------------- */

int desk_app_routing_drain(struct desk_app *app, int64_t group_id)
{
    struct desk_conn *c;
    struct desk_arena a;
    int64_t *ids;
    size_t n;
    int rc = desk_app_reader(app, &c);
    if (rc) {
        return rc;
    }
    desk_arena_init(&a);
    if ((rc = desk_store_route_waiting(c, &a, group_id, DRAIN_BATCH, &ids, &n)) != 0) {
        desk_arena_release(&a);
        return rc;
    }
    int assigned = 0, misses = 0;
    for (size_t i = 0; i < n && misses < DRAIN_MISSES; i++) {
        struct desk_ticket_input in = {0};
        struct desk_ticket t;
        struct desk_audit au;
        struct desk_fail fail = {0};
        struct team_req r = {.in = &in, .kind = TEAM_REQ_ROUTE, .outcome = -1};
        team_req_push(&r);
        rc = desk_app_ticket_update(app, &team_router_actor, &a, ids[i], &in, &t, &au, &fail);
        team_req_pop(&r);
        if (rc || r.outcome < 0) {
            continue; /* taken or closed meanwhile */
        }
        if (r.outcome == DESK_ROUTE_ASSIGNED) {
            assigned++;
            misses = 0;
        } else if (r.outcome == DESK_ROUTE_NO_AGENT) {
            break; /* nobody in this queue is online: the rest wait too */
        } else {
            misses++;
        }
    }
    desk_arena_release(&a);
    return assigned;
}

void team_drain_for_agent(struct desk_app *app, int64_t user_id)
{
    struct desk_conn *c;
    struct desk_arena a;
    int64_t *groups;
    size_t n = 0;
    desk_arena_init(&a);
    if (desk_app_reader(app, &c) == 0 &&
        desk_store_user_group_ids(c, &a, user_id, &groups, &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            desk_app_routing_drain(app, groups[i]);
        }
    }
    desk_app_routing_drain(app, 0);
    desk_arena_release(&a);
}

/* ---- the router thread ------------------------------------------------------- */

#define KICKS_MAX 256

static struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    pthread_t thread;
    bool running;
    bool stopping;
    struct desk_app *app;
    int64_t interval_ms;
    int64_t kicks[KICKS_MAX]; /* agents who freed capacity */
    size_t n_kicks;
    bool overflow; /* more kicks than room: sweep everything */
} router = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

void team_router_kick(int64_t user_id)
{
    pthread_mutex_lock(&router.lock);
    if (router.running) {
        bool known = false;
        for (size_t i = 0; i < router.n_kicks && !known; i++) {
            known = router.kicks[i] == user_id;
        }
        if (!known && router.n_kicks < KICKS_MAX) {
            router.kicks[router.n_kicks++] = user_id;
        } else if (!known) {
            router.overflow = true;
        }
        pthread_cond_signal(&router.cond);
    }
    pthread_mutex_unlock(&router.lock);
}

static void sweep(struct desk_app *app)
{
    struct desk_conn *c;
    struct desk_arena a;
    int64_t *groups;
    size_t n = 0;
    /* Shifts that ended take their auto-offline people out first. */
    team_auto_offline(app);
    desk_arena_init(&a);
    if (desk_app_reader(app, &c) == 0 && desk_store_route_waiting_groups(c, &a, &groups, &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            desk_app_routing_drain(app, groups[i]);
        }
    }
    desk_arena_release(&a);
}

static void *router_main(void *arg)
{
    (void)arg;
    int64_t next_sweep = desk_time_now_ms() + router.interval_ms;
    pthread_mutex_lock(&router.lock);
    while (!router.stopping) {
        if (!router.n_kicks && !router.overflow) {
            struct timespec ts = {(time_t)(next_sweep / 1000),
                                  (long)(next_sweep % 1000) * 1000000L};
            pthread_cond_timedwait(&router.cond, &router.lock, &ts);
        }
        if (router.stopping) {
            break;
        }
        int64_t kicks[KICKS_MAX];
        size_t n = router.n_kicks;
        bool all = router.overflow || desk_time_now_ms() >= next_sweep;
        memcpy(kicks, router.kicks, n * sizeof(kicks[0]));
        router.n_kicks = 0;
        router.overflow = false;
        pthread_mutex_unlock(&router.lock);
        if (all) {
            sweep(router.app);
            next_sweep = desk_time_now_ms() + router.interval_ms;
        } else {
            for (size_t i = 0; i < n; i++) {
                team_drain_for_agent(router.app, kicks[i]);
            }
        }
        pthread_mutex_lock(&router.lock);
    }
    pthread_mutex_unlock(&router.lock);
    return NULL;
}

int desk_app_router_start(struct desk_app *app, int64_t interval_ms)
{
    pthread_condattr_t attr;
    pthread_mutex_lock(&router.lock);
    if (router.running) {
        pthread_mutex_unlock(&router.lock);
        return 0;
    }
    /* The timed wait is on the wall clock, like the sweep times it compares against. */
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_REALTIME);
    pthread_cond_destroy(&router.cond);
    pthread_cond_init(&router.cond, &attr);
    pthread_condattr_destroy(&attr);
    router.app = app;
    router.interval_ms = interval_ms > 0 ? interval_ms : 30000;
    router.stopping = false;
    router.n_kicks = 0;
    router.overflow = false;
    if (pthread_create(&router.thread, NULL, router_main, NULL) != 0) {
        pthread_mutex_unlock(&router.lock);
        return DESK_EINTERNAL;
    }
    router.running = true;
    pthread_mutex_unlock(&router.lock);
    return 0;
}

void desk_app_router_stop(void)
{
    pthread_mutex_lock(&router.lock);
    if (!router.running) {
        pthread_mutex_unlock(&router.lock);
        return;
    }
    router.stopping = true;
    pthread_cond_signal(&router.cond);
    pthread_mutex_unlock(&router.lock);
    pthread_join(router.thread, NULL);
    pthread_mutex_lock(&router.lock);
    router.running = false;
    pthread_mutex_unlock(&router.lock);
}

/* ---- settings and views ------------------------------------------------------ */

static int group_exists(struct desk_conn *c, int64_t group_id)
{
    struct desk_arena a;
    struct desk_group g;
    desk_arena_init(&a);
    int rc = desk_store_group_get(c, &a, group_id, &g);
    if (!rc && g.deleted) {
        rc = DESK_ENOTFOUND;
    }
    desk_arena_release(&a);
    return rc;
}

int desk_app_routing_group_get(struct desk_app *app, const struct desk_actor *who, int64_t group_id,
                               struct desk_route_group *out)
{
    struct desk_conn *c;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_app_reader(app, &c);
    if (rc || (rc = group_exists(c, group_id)) != 0) {
        return rc;
    }
    return desk_store_route_group_get(c, group_id, out);
}

struct group_job {
    int64_t group_id;
    bool paused, has_paused;
    int fallback;
    bool has_fallback;
    struct desk_route_group out;
};

static int group_write(struct desk_conn *c, void *arg)
{
    struct group_job *j = arg;
    struct desk_route_group g;
    int rc = group_exists(c, j->group_id);
    if (rc || (rc = desk_store_route_group_get(c, j->group_id, &g)) != 0) {
        return rc;
    }
    if (j->has_paused) {
        g.paused = j->paused;
    }
    if (j->has_fallback) {
        g.fallback_seconds = j->fallback;
    }
    g.updated_at = desk_time_now_ms();
    if ((rc = desk_store_route_group_put(c, &g)) == 0) {
        j->out = g;
    }
    return rc;
}

int desk_app_routing_group_put(struct desk_app *app, const struct desk_actor *who, int64_t group_id,
                               bool paused, bool has_paused, int fallback_seconds,
                               bool has_fallback, struct desk_route_group *out,
                               struct desk_fail *fail)
{
    struct group_job j = {group_id, paused, has_paused, fallback_seconds, has_fallback, {0}};
    if (team_ceiling(who->role) < DESK_ROLE_AGENT) {
        return DESK_EFORBIDDEN;
    }
    if (has_fallback && fallback_seconds < -1) {
        return desk_fail(fail, DESK_EINVALID, "language_fallback_minutes", "InvalidValue",
                         "Language fallback: must be null (never) or 0 minutes or more");
    }
    int rc = desk_store_write(desk_app_store(app), group_write, &j);
    if (rc) {
        return rc;
    }
    *out = j.out;
    if (!j.out.paused) {
        desk_app_routing_drain(app, group_id); /* unpaused or a new fallback: try the queue */
    }
    return 0;
}

int desk_app_routing_ticket(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t ticket_id, const struct desk_page *p,
                            struct desk_route_state *state, struct desk_route_decision **items,
                            struct desk_page_out *out)
{
    struct desk_conn *c;
    struct desk_ticket t;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_app_ticket_get(app, who, a, ticket_id, &t);
    if (rc || (rc = desk_app_reader(app, &c)) != 0) {
        return rc;
    }
    memset(state, 0, sizeof(*state));
    state->ticket_id = ticket_id;
    rc = desk_store_route_state_get(c, a, ticket_id, state);
    if (rc && rc != DESK_ENOTFOUND) {
        return rc;
    }
    return desk_store_route_decision_list(c, a, ticket_id, p, items, out);
}
