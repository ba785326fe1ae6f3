/*
 * The calendar (see calendar.h): who may read which calendar, the sources
 * that fill it, and the secret feed tokens. A source is one function that
 * appends items for a scope: commitments, task due dates, and the SLA due
 * times app/sla.h gives (desk_app_sla_due_list); each reads on its own, so
 * one source's absence or emptiness never affects another's.
 */
#include "app/calendar.h"
#include "app/app_int.h"
#include "app/commitments.h"
#include "app/sla.h"
#include "core/log.h"
#include "core/str.h"
#include "core/time.h"
#include "model/wallclock.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SLOT_MS (15LL * 60 * 1000) /* how long an entry lasts on the calendar */

/* What a source is asked for, and where its items go. */
struct cal_ctx {
    struct desk_app *app;
    struct desk_conn *c;
    struct desk_arena *a;
    int scope;
    int64_t id; /* the user (AGENT, SUPERVISOR) or group (GROUP) */
    int64_t from, to;
    struct desk_cal_item *items;
    size_t n, cap;
};

static struct desk_cal_item *add_item(struct cal_ctx *x)
{
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 64;
        struct desk_cal_item *v = desk_arena_alloc(x->a, cap * sizeof(*v));
        if (x->n) {
            memcpy(v, x->items, x->n * sizeof(*v));
        }
        x->items = v;
        x->cap = cap;
    }
    struct desk_cal_item *it = &x->items[x->n++];
    memset(it, 0, sizeof(*it));
    return it;
}

static const char *iso(struct desk_arena *a, int64_t ms)
{
    char buf[21];
    desk_time_iso(ms, buf);
    return desk_arena_strdup(a, buf);
}

/* The first line of text, at most 80 bytes (cut between UTF-8 characters, marked with "…"). */
static const char *first_line(struct desk_arena *a, const char *s)
{
    s = s ? s : "";
    size_t n = strcspn(s, "\r\n");
    if (n <= 80) {
        return desk_arena_strndup(a, s, n);
    }
    n = 80;
    while (n && ((unsigned char)s[n] & 0xC0) == 0x80) {
        n--;
    }
    return desk_arena_printf(a, "%.*s…", (int)n, s);
}

static int source_commitments(struct cal_ctx *x)
{
    struct desk_commitment_filter f = {.state = -1, .due_after = x->from, .due_before = x->to};
    if (x->scope == DESK_CAL_AGENT) {
        f.owner_id = x->id;
    } else if (x->scope == DESK_CAL_GROUP) {
        f.group_id = x->id;
    } else {
        f.team_of = x->id;
    }
    struct desk_commitment_entry *e;
    size_t n;
    int rc = desk_store_commitment_entries(x->c, x->a, &f, DESK_CAL_SOURCE_ITEMS, &e, &n);
    for (size_t i = 0; !rc && i < n; i++) {
        const struct desk_commitment *cm = &e[i].cm;
        struct desk_cal_item *it = add_item(x);
        const char *what = cm->note && *cm->note ? first_line(x->a, cm->note) : "Follow up";
        static const char *const prefix[] = {"", "Done: ", "Missed: ", "Cancelled: "};
        bool others = x->scope != DESK_CAL_AGENT;
        it->uid = desk_arena_printf(x->a, "commitment-%lld@desk", (long long)cm->id);
        it->kind = "commitment";
        it->start = cm->due_at;
        it->end = cm->due_at + SLOT_MS;
        it->summary = desk_arena_printf(x->a, "%s%s (#%lld%s%s)", prefix[cm->state & 3], what,
                                        (long long)cm->ticket_id, others ? ", " : "",
                                        others ? e[i].owner_name : "");
        const char *local = "";
        struct desk_wall w;
        int off;
        char wall[20], offs[7];
        if (cm->time_zone && desk_wall_from_utc(cm->due_at, cm->time_zone, &w, &off) == 0) {
            desk_wall_format(&w, wall);
            desk_wall_offset_format(off, offs);
            local = desk_arena_printf(x->a, " (%s%s %s)", wall, offs, cm->time_zone);
        }
        it->description = desk_arena_printf(
            x->a, "Commitment #%lld on ticket #%lld: %s\nOwner: %s\nDue: %s%s\nState: %s\n%s",
            (long long)cm->id, (long long)cm->ticket_id, e[i].ticket_subject, e[i].owner_name,
            iso(x->a, cm->due_at), local, desk_commitment_state_name(cm->state),
            cm->note ? cm->note : "");
        it->ticket_id = cm->ticket_id;
        it->cancelled = cm->state == DESK_CMT_CANCELLED;
        it->created_at = cm->created_at;
        it->updated_at = cm->updated_at;
        if (cm->state == DESK_CMT_OPEN && cm->remind_at && cm->remind_at < cm->due_at) {
            it->alarm_before_ms = cm->due_at - cm->remind_at;
        }
    }
    return rc;
}

static int source_due_dates(struct cal_ctx *x)
{
    struct desk_due_filter f = {.from = x->from, .to = x->to};
    if (x->scope == DESK_CAL_AGENT) {
        f.assignee_id = x->id;
    } else if (x->scope == DESK_CAL_GROUP) {
        f.group_id = x->id;
    } else {
        f.groups_of = x->id;
    }
    struct desk_ticket *t;
    size_t n;
    int rc = desk_store_tickets_due(x->c, x->a, &f, DESK_CAL_SOURCE_ITEMS, &t, &n);
    for (size_t i = 0; !rc && i < n; i++) {
        struct desk_cal_item *it = add_item(x);
        it->uid = desk_arena_printf(x->a, "ticket-%lld-due@desk", (long long)t[i].id);
        it->kind = "due_date";
        it->start = t[i].due_at - SLOT_MS; /* the entry ends at the deadline */
        it->end = t[i].due_at;
        it->summary = desk_arena_printf(x->a, "Due: #%lld %s", (long long)t[i].id,
                                        first_line(x->a, t[i].subject));
        it->description = desk_arena_printf(
            x->a, "Ticket #%lld is due %s.\nSubject: %s\nStatus: %s, priority: %s",
            (long long)t[i].id, iso(x->a, t[i].due_at), t[i].subject ? t[i].subject : "",
            desk_status_name(t[i].status),
            desk_priority_name(t[i].priority) ? desk_priority_name(t[i].priority) : "none");
        it->ticket_id = t[i].id;
        it->created_at = t[i].created_at;
        it->updated_at = t[i].updated_at;
    }
    return rc;
}

/* "first_reply_time" → "first reply time" */
static const char *metric_words(struct desk_arena *a, int metric)
{
    char *s = desk_arena_strdup(a, desk_sla_metric_name(metric));
    for (char *p = s; *p; p++) {
        if (*p == '_') {
            *p = ' ';
        }
    }
    return s;
}

/* Appends the SLA due times of tickets assigned to assignee or in group. */
static int sla_dues(struct cal_ctx *x, int64_t assignee, int64_t group)
{
    struct desk_sla_due *d;
    size_t n;
    int rc = desk_app_sla_due_list(x->app, x->a, assignee, group, x->from, x->to,
                                   DESK_CAL_SOURCE_ITEMS, &d, &n);
    int64_t *ids = desk_arena_alloc(x->a, (n ? n : 1) * sizeof(*ids));
    for (size_t i = 0; i < n; i++) {
        ids[i] = d[i].ticket_id;
    }
    struct desk_ticket_times *times = NULL;
    if (!rc && n) {
        rc = desk_store_ticket_times(x->c, x->a, ids, n, &times);
    }
    for (size_t i = 0; !rc && i < n; i++) {
        struct desk_cal_item *it = add_item(x);
        const char *metric = metric_words(x->a, d[i].metric);
        const char *mark = d[i].breached ? "Breached: " : d[i].at_risk ? "At risk: " : "SLA: ";
        it->uid = desk_arena_printf(x->a, "ticket-%lld-sla-%s-%d@desk", (long long)d[i].ticket_id,
                                    desk_sla_metric_name(d[i].metric), d[i].cycle);
        it->kind = "sla";
        it->start = d[i].due_at - SLOT_MS; /* the entry ends at the deadline */
        it->end = d[i].due_at;
        it->summary = desk_arena_printf(x->a, "%s%s due, #%lld %s", mark, metric,
                                        (long long)d[i].ticket_id, first_line(x->a, d[i].subject));
        it->description = desk_arena_printf(
            x->a, "The %s target of ticket #%lld is due %s%s.\nSubject: %s\nPriority: %s", metric,
            (long long)d[i].ticket_id, iso(x->a, d[i].due_at),
            d[i].breached  ? " (breached)"
            : d[i].at_risk ? " (at risk)"
                           : "",
            d[i].subject ? d[i].subject : "",
            desk_priority_name(d[i].priority) ? desk_priority_name(d[i].priority) : "none");
        it->ticket_id = d[i].ticket_id;
        it->created_at = times[i].created_at;
        it->updated_at = times[i].updated_at;
        if (d[i].risk_at && d[i].risk_at < d[i].due_at && !d[i].breached) {
            it->alarm_before_ms = d[i].due_at - d[i].risk_at;
        }
    }
    return rc;
}

static int source_sla(struct cal_ctx *x)
{
    if (x->scope == DESK_CAL_AGENT) {
        return sla_dues(x, x->id, 0);
    }
    if (x->scope == DESK_CAL_GROUP) {
        return sla_dues(x, 0, x->id);
    }
    /* A supervisor's team calendar: every group they belong to (the first 100). */
    struct desk_page p = {.limit = 100};
    struct desk_group *g;
    struct desk_page_out out;
    int rc = desk_store_group_list(x->c, x->a, x->id, &p, &g, &out);
    for (size_t i = 0; !rc && i < out.n; i++) {
        rc = sla_dues(x, 0, g[i].id);
    }
    return rc;
}

/* The sources, in the order their items are gathered. */
static int (*const sources[])(struct cal_ctx *) = {
    source_commitments,
    source_due_dates,
    source_sla,
};

static int by_start(const void *pa, const void *pb)
{
    const struct desk_cal_item *a = pa, *b = pb;
    if (a->start != b->start) {
        return a->start < b->start ? -1 : 1;
    }
    return strcmp(a->uid, b->uid);
}

/* Checks who may read scope/id and names the calendar. */
static int allowed(struct desk_conn *c, const struct desk_actor *who, struct desk_arena *a,
                   int scope, int64_t id, const char **name)
{
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    if (scope == DESK_CAL_GROUP) {
        struct desk_group g;
        bool member = false;
        int rc = desk_store_group_get(c, a, id, &g);
        if (rc || g.deleted) {
            return DESK_ENOTFOUND;
        }
        if (who->role < DESK_ROLE_SUPERVISOR &&
            ((rc = desk_store_membership_exists(c, who->user_id, id, &member)) != 0 || !member)) {
            return rc ? rc : DESK_EFORBIDDEN;
        }
        *name = desk_arena_printf(a, "desk: group %s", g.name);
        return 0;
    }
    struct desk_user u;
    if (desk_store_user_get(c, a, id, &u) != 0 || !u.active ||
        (scope == DESK_CAL_AGENT && !desk_role_is_staff(u.role)) ||
        (scope == DESK_CAL_SUPERVISOR && u.role < DESK_ROLE_SUPERVISOR)) {
        return DESK_ENOTFOUND;
    }
    bool self = who->user_id == id;
    if (scope == DESK_CAL_AGENT && !self && who->role < DESK_ROLE_SUPERVISOR) {
        return DESK_EFORBIDDEN;
    }
    if (scope == DESK_CAL_SUPERVISOR && !self && who->role < DESK_ROLE_ADMIN) {
        return DESK_EFORBIDDEN;
    }
    *name = scope == DESK_CAL_AGENT ? desk_arena_printf(a, "desk: %s", u.name)
                                    : desk_arena_printf(a, "desk: %s's team", u.name);
    return 0;
}

int desk_app_calendar(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                      int scope, int64_t id, int64_t now, struct desk_cal *out)
{
    struct cal_ctx x = {.app = app, .a = a, .scope = scope, .id = id};
    const char *name = NULL;
    int rc = desk_store_reader(app->store, &x.c);
    if (rc || (rc = allowed(x.c, who, a, scope, id, &name)) != 0) {
        return rc;
    }
    x.from = now - DESK_CAL_PAST_MS;
    x.to = now + DESK_CAL_AHEAD_MS;
    for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]) && !rc; i++) {
        rc = sources[i](&x);
    }
    if (rc) {
        return rc;
    }
    if (x.n) {
        qsort(x.items, x.n, sizeof(*x.items), by_start);
    }
    out->name = name;
    out->items = x.items;
    out->n = x.n;
    return 0;
}

int desk_app_calendar_own_scope(const struct desk_actor *who)
{
    return who->role >= DESK_ROLE_SUPERVISOR ? DESK_CAL_SUPERVISOR : DESK_CAL_AGENT;
}

/* ---- feed tokens ----------------------------------------------------------- */

#define TOKEN_LEN 43 /* 32 bytes, base64url without padding */

static void derive(const unsigned char key[32], const unsigned char salt[16],
                   char out[TOKEN_LEN + 1])
{
    static const char context[] = "desk calendar feed v1";
    unsigned char mac[32];
    crypto_generichash_state st;
    crypto_generichash_init(&st, key, 32, sizeof(mac));
    crypto_generichash_update(&st, (const unsigned char *)context, sizeof(context) - 1);
    crypto_generichash_update(&st, salt, 16);
    crypto_generichash_final(&st, mac, sizeof(mac));
    sodium_bin2base64(out, TOKEN_LEN + 1, mac, sizeof(mac),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(mac, sizeof(mac));
}

static void token_hash(const char *token, unsigned char out[32])
{
    crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

struct feed_job {
    const unsigned char *key;
    int64_t user_id;
    bool rotate;
    char token[TOKEN_LEN + 1];
};

static int feed_write(struct desk_conn *c, void *arg)
{
    struct feed_job *j = arg;
    struct desk_calendar_feed f;
    int rc = desk_store_calendar_feed_get(c, j->user_id, &f);
    if (rc == 0 && !j->rotate) {
        derive(j->key, f.salt, j->token); /* made meanwhile by another request */
        return 0;
    }
    if (rc && rc != DESK_ENOTFOUND) {
        return rc;
    }
    memset(&f, 0, sizeof(f));
    f.user_id = j->user_id;
    randombytes_buf(f.salt, sizeof(f.salt));
    derive(j->key, f.salt, j->token);
    token_hash(j->token, f.token_hash);
    f.created_at = desk_time_now_ms();
    return desk_store_calendar_feed_put(c, &f);
}

int desk_app_calendar_feed_token(struct desk_app *app, const struct desk_actor *who,
                                 struct desk_arena *a, bool rotate, const char **token)
{
    unsigned char key[32];
    struct desk_conn *c;
    struct desk_calendar_feed f;
    if (!desk_role_is_staff(who->role) || !who->user_id) {
        return DESK_EFORBIDDEN;
    }
    if (!desk_app_calendar_key(app, key)) {
        return DESK_EBUSY;
    }
    int rc = desk_store_reader(app->store, &c);
    if (!rc && !rotate && (rc = desk_store_calendar_feed_get(c, who->user_id, &f)) == 0) {
        char t[TOKEN_LEN + 1];
        unsigned char h[32];
        derive(key, f.salt, t);
        token_hash(t, h);
        /* A row made under another key (a lost key file) cannot be shown: make a new one. */
        rotate = !desk_str_ct_eq(h, f.token_hash, sizeof(h));
        if (!rotate) {
            *token = desk_arena_strdup(a, t);
            sodium_memzero(key, sizeof(key));
            return 0;
        }
    }
    if (rc && rc != DESK_ENOTFOUND) {
        sodium_memzero(key, sizeof(key));
        return rc;
    }
    struct feed_job j = {.key = key, .user_id = who->user_id, .rotate = rotate};
    rc = desk_store_write(app->store, feed_write, &j);
    sodium_memzero(key, sizeof(key));
    if (!rc) {
        *token = desk_arena_strdup(a, j.token);
    }
    sodium_memzero(j.token, sizeof(j.token));
    return rc;
}

int desk_app_calendar_feed_actor(struct desk_app *app, const char *token, struct desk_actor *out)
{
    struct desk_conn *c;
    struct desk_user u;
    struct desk_arena a;
    unsigned char h[32];
    int64_t uid;
    if (!token || strlen(token) != TOKEN_LEN) {
        return DESK_ENOTFOUND;
    }
    token_hash(token, h);
    int rc = desk_store_reader(app->store, &c);
    if (rc || (rc = desk_store_calendar_feed_user(c, h, &uid)) != 0) {
        return rc;
    }
    desk_arena_init(&a);
    rc = desk_store_user_get(c, &a, uid, &u);
    if (!rc && (!u.active || u.suspended || !desk_role_is_staff(u.role))) {
        rc = DESK_ENOTFOUND;
    }
    if (!rc) {
        desk_app_actor_from(c, &u, DESK_VIA_API, out);
    }
    desk_arena_release(&a);
    return rc;
}

int desk_app_calendar_load_key(const char *path, unsigned char key[32])
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        unsigned char fresh[32];
        randombytes_buf(fresh, sizeof(fresh));
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            bool ok = write(fd, fresh, sizeof(fresh)) == (ssize_t)sizeof(fresh) && fsync(fd) == 0;
            close(fd);
            sodium_memzero(fresh, sizeof(fresh));
            if (!ok) {
                unlink(path);
                desk_log(DESK_LOG_ERROR, "event=calendar_key path=\"%s\" error=\"cannot write\"",
                         path);
                return DESK_EIO;
            }
            desk_log(DESK_LOG_INFO, "event=calendar_key path=\"%s\" created=1", path);
        }
        fd = open(path, O_RDONLY | O_CLOEXEC); /* also when another process made it first */
    }
    if (fd < 0) {
        desk_log(DESK_LOG_ERROR, "event=calendar_key path=\"%s\" error=\"%s\"", path,
                 strerror(errno));
        return DESK_EIO;
    }
    ssize_t n = read(fd, key, 32);
    close(fd);
    if (n != 32) {
        desk_log(DESK_LOG_ERROR, "event=calendar_key path=\"%s\" error=\"not 32 bytes\"", path);
        return DESK_EIO;
    }
    return 0;
}
