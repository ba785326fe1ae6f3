/*
 * Commitment use cases (see commitments.h). Each change is one store
 * transaction holding the commitment and an audit on its ticket, with one
 * event per field it set ("commitment_12" for the state,
 * "commitment_12_due_at", ...). The server's settings and the reminder
 * scheduler's wake-up live in a small table keyed by app, so app/ needs no
 * knowledge of the thread that jobs/ runs.
 */
#include "app/commitments.h"
#include "app/app_int.h"
#include "app/calendar.h"
#include "core/log.h"
#include "core/time.h"
#include "model/ticket.h"
#include "model/wallclock.h"

#include <sodium.h>
#include <string.h>

/* ---- per-app settings and watcher ------------------------------------ */

#define MAX_APPS 8

struct app_slot {
    struct desk_app *app;
    struct desk_commitments_config cfg;
    unsigned char feed_key[32];
    bool has_feed_key;
    desk_app_wake_fn wake;
    void *wake_arg;
};

static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
static struct app_slot slots[MAX_APPS];

/* The slot of app, claimed when absent (the lock is held). NULL when the table is full. */
static struct app_slot *slot_of(struct desk_app *app, bool claim)
{
    struct app_slot *free_slot = NULL;
    for (size_t i = 0; i < MAX_APPS; i++) {
        if (slots[i].app == app) {
            return &slots[i];
        }
        if (!slots[i].app && !free_slot) {
            free_slot = &slots[i];
        }
    }
    if (!claim || !free_slot) {
        return NULL;
    }
    memset(free_slot, 0, sizeof(*free_slot));
    free_slot->app = app;
    free_slot->cfg.reminder_lead_ms = DESK_CMT_DEFAULT_LEAD_MS;
    return free_slot;
}

void desk_app_commitments_configure(struct desk_app *app, const struct desk_commitments_config *cfg)
{
    pthread_mutex_lock(&slots_lock);
    struct app_slot *s = slot_of(app, true);
    if (s) {
        s->cfg = *cfg;
    }
    pthread_mutex_unlock(&slots_lock);
}

void desk_app_commitments_release(struct desk_app *app)
{
    pthread_mutex_lock(&slots_lock);
    struct app_slot *s = slot_of(app, false);
    if (s) {
        sodium_memzero(s, sizeof(*s));
    }
    pthread_mutex_unlock(&slots_lock);
}

void desk_app_calendar_set_key(struct desk_app *app, const unsigned char key[32])
{
    pthread_mutex_lock(&slots_lock);
    struct app_slot *s = slot_of(app, true);
    if (s) {
        memcpy(s->feed_key, key, sizeof(s->feed_key));
        s->has_feed_key = true;
    }
    pthread_mutex_unlock(&slots_lock);
}

bool desk_app_calendar_key(struct desk_app *app, unsigned char key[32])
{
    pthread_mutex_lock(&slots_lock);
    struct app_slot *s = slot_of(app, false);
    bool ok = s && s->has_feed_key;
    if (ok) {
        memcpy(key, s->feed_key, sizeof(s->feed_key));
    }
    pthread_mutex_unlock(&slots_lock);
    return ok;
}

void desk_app_commitments_watch(struct desk_app *app, desk_app_wake_fn fn, void *arg)
{
    pthread_mutex_lock(&slots_lock);
    struct app_slot *s = slot_of(app, fn != NULL);
    if (s) {
        s->wake = fn;
        s->wake_arg = arg;
    }
    pthread_mutex_unlock(&slots_lock);
}

static struct desk_commitments_config config_of(struct desk_app *app)
{
    struct desk_commitments_config cfg = {DESK_CMT_DEFAULT_LEAD_MS};
    pthread_mutex_lock(&slots_lock);
    struct app_slot *s = slot_of(app, false);
    if (s) {
        cfg = s->cfg;
    }
    pthread_mutex_unlock(&slots_lock);
    return cfg;
}

/* Tells the scheduler that the index head may have moved (under the lock, see watch). */
static void wake(struct desk_app *app)
{
    pthread_mutex_lock(&slots_lock);
    struct app_slot *s = slot_of(app, false);
    if (s && s->wake) {
        s->wake(s->wake_arg);
    }
    pthread_mutex_unlock(&slots_lock);
}

/* ---- helpers --------------------------------------------------------- */

static const char *iso(struct desk_arena *a, int64_t ms)
{
    char buf[21];
    desk_time_iso(ms, buf);
    return desk_arena_strdup(a, buf);
}

/* An audit on ticket_id by the actor (the owner when the system acts), holding events. */
struct audit_draft {
    struct desk_audit au;
    struct desk_audit_event ev[8];
    size_t n;
};

static void draft_event(struct audit_draft *d, const char *type, const char *field,
                        const char *old_value, const char *new_value)
{
    if (d->n < sizeof(d->ev) / sizeof(d->ev[0])) {
        struct desk_audit_event *e = &d->ev[d->n++];
        memset(e, 0, sizeof(*e));
        e->type = type;
        e->field = field;
        e->old_value = old_value;
        e->new_value = new_value;
    }
}

/*
 * Writes the drafted audit; with note, also an internal note on the ticket
 * by the author, as a Comment event of the same audit (as a ticket update
 * with a comment would write it).
 */
static int draft_write_note(struct desk_conn *c, struct audit_draft *d, int64_t ticket_id,
                            int64_t author_id, int via, int64_t now, struct desk_arena *a,
                            const char *note)
{
    if (!d->n && !note) {
        return 0;
    }
    d->au.ticket_id = ticket_id;
    d->au.author_id = author_id;
    d->au.via = via;
    d->au.created_at = now;
    d->au.events = d->ev;
    int rc = desk_store_audit_insert(c, &d->au);
    if (rc) {
        return rc;
    }
    if (note) {
        struct desk_comment cm = {0};
        cm.ticket_id = ticket_id;
        cm.audit_id = d->au.id;
        cm.author_id = author_id;
        cm.public = false;
        cm.body = note;
        cm.html_body = desk_comment_html(a, note);
        cm.via = via;
        cm.created_at = now;
        if ((rc = desk_store_comment_insert(c, &cm, true)) != 0) {
            return rc;
        }
        draft_event(d, "Comment", NULL, NULL, "private");
        d->ev[d->n - 1].comment_id = cm.id;
        d->ev[d->n - 1].body = note;
    }
    d->au.n_events = d->n;
    return desk_store_audit_events_insert(c, &d->au);
}

static int draft_write(struct desk_conn *c, struct audit_draft *d, int64_t ticket_id,
                       int64_t author_id, int via, int64_t now)
{
    return draft_write_note(c, d, ticket_id, author_id, via, now, NULL, NULL);
}

static const char *field_name(struct desk_arena *a, int64_t id, const char *suffix)
{
    return desk_arena_printf(a, "commitment_%lld%s", (long long)id, suffix);
}

const char *desk_app_commitment_fit_text(struct desk_arena *a, const char *zone, const char *local,
                                         int fit, int64_t due_at)
{
    struct desk_wall w;
    int off = 0;
    char wall[20], offs[7];
    if (fit == DESK_WALL_EXACT || desk_wall_from_utc(due_at, zone, &w, &off) != 0) {
        return NULL;
    }
    desk_wall_format(&w, wall);
    desk_wall_offset_format(off, offs);
    if (fit == DESK_WALL_SKIPPED) {
        return desk_arena_printf(a,
                                 "%s does not exist in %s (the clocks go forward); it is read "
                                 "with the offset from before the change, as RFC 5545 does: "
                                 "due %s%s",
                                 local, zone, wall, offs);
    }
    return desk_arena_printf(a,
                             "%s occurs twice in %s (the clocks go back); the first occurrence "
                             "is meant, as RFC 5545 says: due %s%s",
                             local, zone, wall, offs);
}

/* ---- create and update ----------------------------------------------- */

struct cmt_job {
    struct desk_app *app;
    const struct desk_actor *who;
    struct desk_arena *a;
    const struct desk_commitment_input *in;
    int64_t ticket_id; /* create */
    int64_t id;        /* update */
    int64_t lead_ms;
    struct desk_commitment out;
    struct desk_fail *fail;
    bool changed;
};

/* Reads the ticket a commitment is made on; 422 on ticket_id when it cannot take one. */
static int usable_ticket(struct desk_conn *c, struct cmt_job *j, int64_t id, struct desk_ticket *t)
{
    if (!id) {
        return desk_fail(j->fail, DESK_EINVALID, "ticket_id", "BlankValue",
                         "Ticket: cannot be blank");
    }
    if (desk_store_ticket_get(c, j->a, id, t) != 0 || t->deleted_at) {
        return desk_fail(j->fail, DESK_EINVALID, "ticket_id", "InvalidValue",
                         desk_arena_printf(j->a, "Ticket: %lld does not exist", (long long)id));
    }
    if (t->status == DESK_STATUS_CLOSED) {
        return desk_fail(
            j->fail, DESK_EINVALID, "ticket_id", "InvalidValue",
            desk_arena_printf(j->a, "Ticket: %lld is closed; open a follow-up", (long long)id));
    }
    return 0;
}

static int check_owner(struct desk_conn *c, struct cmt_job *j, int64_t id, struct desk_user *u)
{
    if (!id) {
        return desk_fail(j->fail, DESK_EINVALID, "owner_id", "BlankValue",
                         "Owner: cannot be blank");
    }
    if (desk_store_user_get(c, j->a, id, u) != 0 || !u->active) {
        return desk_fail(j->fail, DESK_EINVALID, "owner_id", "InvalidValue",
                         desk_arena_printf(j->a, "Owner: user %lld does not exist", (long long)id));
    }
    if (!desk_role_is_staff(u->role) || u->suspended) {
        return desk_fail(
            j->fail, DESK_EINVALID, "owner_id", "InvalidValue",
            desk_arena_printf(j->a, "Owner: user %lld is not an agent", (long long)id));
    }
    return 0;
}

/* The zone named by in->time_zone: an IANA name, or a person's zone by keyword. */
static int resolve_zone(struct desk_conn *c, struct cmt_job *j, const struct desk_ticket *t,
                        const struct desk_user *owner, const char **zone)
{
    const char *z = j->in->time_zone;
    const char *whose = NULL;
    if (!z || strcmp(z, "owner") == 0) {
        z = owner->time_zone ? owner->time_zone : "UTC";
        whose = "the owner's";
    } else if (strcmp(z, "requester") == 0) {
        struct desk_user r;
        if (desk_store_user_get(c, j->a, t->requester_id, &r) != 0) {
            return desk_fail(j->fail, DESK_EINVALID, "time_zone", "InvalidValue",
                             "Time zone: the ticket's requester cannot be read");
        }
        z = r.time_zone ? r.time_zone : "UTC";
        whose = "the requester's";
    }
    if (!desk_tz_valid(z)) {
        return desk_fail(
            j->fail, DESK_EINVALID, "time_zone", "InvalidValue",
            whose ? desk_arena_printf(j->a,
                                      "Time zone: %s zone \"%s\" is not an IANA time zone; "
                                      "give one by name",
                                      whose, z)
                  : desk_arena_printf(j->a,
                                      "Time zone: \"%s\" is not an IANA time zone (e.g. "
                                      "Europe/Prague)",
                                      z));
    }
    *zone = z;
    return 0;
}

/*
 * Applies the due-time fields of the input onto cm: exactly one of due_at
 * and due_local (required when `required`), the zone, and the check that
 * the time lies ahead. Sets *due_changed.
 */
static int apply_due(struct desk_conn *c, struct cmt_job *j, const struct desk_ticket *t,
                     const struct desk_user *owner, int64_t now, bool required,
                     struct desk_commitment *cm, bool *due_changed)
{
    const struct desk_commitment_input *in = j->in;
    const char *field = in->has_due_local ? "due_local" : "due_at";
    *due_changed = false;
    if (in->has_due_at && in->has_due_local) {
        return desk_fail(j->fail, DESK_EINVALID, "due_local", "InvalidValue",
                         "Due: give either due_at (UTC) or due_local with time_zone, not both");
    }
    if ((in->has_due_at && !in->due_at) || (in->has_due_local && !in->due_local) ||
        (required && !in->has_due_at && !in->has_due_local)) {
        return desk_fail(j->fail, DESK_EINVALID, field, "BlankValue",
                         "Due: cannot be blank (due_at in UTC, or due_local with time_zone)");
    }
    const char *zone = NULL;
    int rc;
    if (in->has_due_local || in->has_time_zone) {
        if (in->has_time_zone && !in->time_zone && !in->has_due_local) {
            zone = NULL; /* time_zone: null clears the display zone */
        } else if ((rc = resolve_zone(c, j, t, owner, &zone)) != 0) {
            return rc;
        }
        cm->time_zone = zone;
        cm->due_fit = NULL;
    }
    if (in->has_due_at) {
        cm->due_at = in->due_at;
        cm->due_fit = NULL;
        *due_changed = true;
    } else if (in->has_due_local) {
        struct desk_wall w;
        enum desk_wall_fit fit;
        int64_t ms;
        if (desk_wall_parse(in->due_local, strlen(in->due_local), &w) != 0) {
            return desk_fail(j->fail, DESK_EINVALID, "due_local", "InvalidFormat",
                             "Due (local): must be a local date and time YYYY-MM-DDTHH:MM, "
                             "without a zone");
        }
        if (desk_wall_to_utc(&w, zone, &ms, &fit) != 0) {
            return desk_fail(j->fail, DESK_EINVALID, "due_local", "InvalidValue",
                             "Due (local): cannot be placed in the time zone");
        }
        cm->due_at = ms;
        cm->due_fit = desk_app_commitment_fit_text(j->a, zone, in->due_local, (int)fit, ms);
        *due_changed = true;
    }
    if (*due_changed) {
        if (cm->due_at <= now) {
            return desk_fail(
                j->fail, DESK_EINVALID, field, "InvalidValue",
                desk_arena_printf(j->a, "Due: %s is in the past", iso(j->a, cm->due_at)));
        }
        if (cm->due_at - now > DESK_CMT_HORIZON_MS) {
            return desk_fail(j->fail, DESK_EINVALID, field, "InvalidValue",
                             "Due: is more than five years ahead");
        }
    }
    return 0;
}

static int check_note(struct cmt_job *j, const char *note)
{
    if (note && strlen(note) > DESK_CMT_NOTE_MAX) {
        return desk_fail(j->fail, DESK_EINVALID, "note", "TooLong",
                         "Note: is too long (maximum is 2000 bytes)");
    }
    return 0;
}

static int create_write(struct desk_conn *c, void *arg)
{
    struct cmt_job *j = arg;
    const struct desk_commitment_input *in = j->in;
    int64_t now = desk_time_now_ms();
    struct desk_ticket t;
    struct desk_user owner;
    struct desk_commitment cm = {0};
    bool due_changed;
    int rc;
    if ((rc = usable_ticket(c, j, j->ticket_id, &t)) != 0 ||
        (rc = check_owner(c, j, in->has_owner_id ? in->owner_id : j->who->user_id, &owner)) != 0 ||
        (rc = apply_due(c, j, &t, &owner, now, true, &cm, &due_changed)) != 0 ||
        (rc = check_note(j, in->note)) != 0) {
        return rc;
    }
    if (in->has_state && in->state != DESK_CMT_OPEN) {
        return desk_fail(j->fail, DESK_EINVALID, "state", "InvalidValue",
                         "State: a new commitment is open");
    }
    /* NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Assign): usable_ticket filled it (rc 0) */
    cm.ticket_id = t.id;
    /* NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Assign): check_owner filled it (rc 0) */
    cm.owner_id = owner.id;
    cm.creator_id = j->who->user_id ? j->who->user_id : owner.id;
    cm.note = in->note ? in->note : "";
    cm.state = DESK_CMT_OPEN;
    cm.remind_at = desk_commitment_remind_at(cm.due_at, j->lead_ms, now);
    cm.created_at = cm.updated_at = now;
    if ((rc = desk_store_commitment_insert(c, &cm)) != 0) {
        return rc;
    }
    struct audit_draft d = {0};
    draft_event(&d, "Create", field_name(j->a, cm.id, ""), NULL, "open");
    draft_event(&d, "Create", field_name(j->a, cm.id, "_due_at"), NULL, iso(j->a, cm.due_at));
    draft_event(&d, "Create", field_name(j->a, cm.id, "_owner_id"), NULL,
                desk_arena_printf(j->a, "%lld", (long long)cm.owner_id));
    if (cm.time_zone) {
        draft_event(&d, "Create", field_name(j->a, cm.id, "_time_zone"), NULL, cm.time_zone);
    }
    if (*cm.note) {
        draft_event(&d, "Create", field_name(j->a, cm.id, "_note"), NULL, cm.note);
    }
    if ((rc = draft_write(c, &d, t.id, cm.creator_id, j->who->via, now)) != 0) {
        return rc;
    }
    j->out = cm;
    j->changed = true;
    return 0;
}

int desk_app_commitment_create(struct desk_app *app, const struct desk_actor *who,
                               struct desk_arena *a, int64_t ticket_id,
                               const struct desk_commitment_input *in, struct desk_commitment *out,
                               struct desk_fail *fail)
{
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    struct cmt_job j = {.app = app, .who = who, .a = a, .in = in, .fail = fail};
    j.ticket_id = ticket_id ? ticket_id : in->ticket_id;
    j.lead_ms = config_of(app).reminder_lead_ms;
    int rc = desk_store_write(app->store, create_write, &j);
    if (!rc) {
        *out = j.out;
        wake(app);
    }
    return rc;
}

/* Agents change the commitments they own or made; supervisors and admins any. */
static bool may_change(const struct desk_actor *who, const struct desk_commitment *cm)
{
    if (!desk_role_is_staff(who->role)) {
        return false;
    }
    return who->role >= DESK_ROLE_SUPERVISOR || who->user_id == 0 || cm->owner_id == who->user_id ||
           cm->creator_id == who->user_id;
}

static int update_write(struct desk_conn *c, void *arg)
{
    struct cmt_job *j = arg;
    const struct desk_commitment_input *in = j->in;
    int64_t now = desk_time_now_ms();
    struct desk_commitment cur, cm;
    struct desk_ticket t;
    struct desk_user owner = {0};
    int rc = desk_store_commitment_get(c, j->a, j->id, &cur);
    if (rc) {
        return rc;
    }
    if (!may_change(j->who, &cur)) {
        return DESK_EFORBIDDEN;
    }
    if (in->has_ticket_id && in->ticket_id != cur.ticket_id) {
        return desk_fail(j->fail, DESK_EINVALID, "ticket_id", "InvalidValue",
                         "Ticket: a commitment stays on its ticket");
    }
    if ((rc = desk_store_ticket_get(c, j->a, cur.ticket_id, &t)) != 0) {
        return rc;
    }
    cm = cur;
    int64_t owner_id = in->has_owner_id ? in->owner_id : cur.owner_id;
    if (in->has_owner_id) {
        if ((rc = check_owner(c, j, owner_id, &owner)) != 0) {
            return rc;
        }
    } else if (desk_store_user_get(c, j->a, owner_id, &owner) != 0) {
        memset(&owner, 0, sizeof(owner)); /* a departed owner's commitment may still be closed */
    }
    bool reschedule = in->has_due_at || in->has_due_local || in->has_owner_id;
    if (reschedule && cur.state != DESK_CMT_OPEN) {
        return desk_fail(j->fail, DESK_EINVALID, in->has_owner_id ? "owner_id" : "due_at",
                         "InvalidValue",
                         desk_arena_printf(j->a,
                                           "Commitment: is %s; only an open one can be "
                                           "rescheduled or handed over",
                                           desk_commitment_state_name(cur.state)));
    }
    bool due_changed;
    if ((rc = apply_due(c, j, &t, &owner, now, false, &cm, &due_changed)) != 0 ||
        (rc = check_note(j, in->has_note ? in->note : NULL)) != 0) {
        return rc;
    }
    cm.owner_id = owner_id;
    if (in->has_note) {
        cm.note = in->note ? in->note : "";
    }
    if (due_changed) {
        cm.remind_at = desk_commitment_remind_at(cm.due_at, j->lead_ms, now);
        cm.reminded_at = 0;
    }
    if (in->has_state &&
        (rc = desk_commitment_transition(cur.state, in->state, false, j->fail)) != 0) {
        return rc;
    }
    if (in->has_state && in->state != cur.state) {
        cm.state = in->state;
        cm.resolved_at = now;
        cm.resolved_by = j->who->user_id;
    }
    struct audit_draft d = {0};
    if (cm.state != cur.state) {
        draft_event(&d, "Change", field_name(j->a, cm.id, ""),
                    desk_commitment_state_name(cur.state), desk_commitment_state_name(cm.state));
    }
    if (cm.due_at != cur.due_at) {
        draft_event(&d, "Change", field_name(j->a, cm.id, "_due_at"), iso(j->a, cur.due_at),
                    iso(j->a, cm.due_at));
    }
    if (cm.owner_id != cur.owner_id) {
        draft_event(&d, "Change", field_name(j->a, cm.id, "_owner_id"),
                    desk_arena_printf(j->a, "%lld", (long long)cur.owner_id),
                    desk_arena_printf(j->a, "%lld", (long long)cm.owner_id));
    }
    bool zone_changed = (cm.time_zone == NULL) != (cur.time_zone == NULL) ||
                        (cm.time_zone && strcmp(cm.time_zone, cur.time_zone) != 0);
    if (zone_changed) {
        draft_event(&d, "Change", field_name(j->a, cm.id, "_time_zone"), cur.time_zone,
                    cm.time_zone);
    }
    if (strcmp(cm.note ? cm.note : "", cur.note ? cur.note : "") != 0) {
        draft_event(&d, "Change", field_name(j->a, cm.id, "_note"), cur.note, cm.note);
    }
    if (!d.n && !due_changed) {
        j->out = cur; /* nothing changed */
        return 0;
    }
    cm.updated_at = now;
    int64_t author = j->who->user_id ? j->who->user_id : cm.owner_id;
    if ((rc = desk_store_commitment_update(c, &cm)) != 0 ||
        (rc = draft_write(c, &d, cm.ticket_id, author, j->who->via, now)) != 0) {
        return rc;
    }
    j->out = cm;
    j->changed = true;
    return 0;
}

int desk_app_commitment_update(struct desk_app *app, const struct desk_actor *who,
                               struct desk_arena *a, int64_t id,
                               const struct desk_commitment_input *in, struct desk_commitment *out,
                               struct desk_fail *fail)
{
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    struct cmt_job j = {.app = app, .who = who, .a = a, .in = in, .id = id, .fail = fail};
    j.lead_ms = config_of(app).reminder_lead_ms;
    int rc = desk_store_write(app->store, update_write, &j);
    if (!rc) {
        *out = j.out;
        if (j.changed) {
            wake(app);
        }
    }
    return rc;
}

int desk_commitments_hand_over(struct desk_conn *c, const struct desk_actor *who,
                               struct desk_arena *a, int64_t from_id, int64_t to_id, int64_t now,
                               size_t *moved, struct desk_fail *fail)
{
    struct cmt_job j = {.who = who, .a = a, .fail = fail};
    struct desk_user to;
    struct desk_commitment_filter f = {.owner_id = from_id, .state = DESK_CMT_OPEN};
    struct desk_page p = {.limit = 100};
    struct desk_commitment *items;
    struct desk_page_out out;
    int rc = check_owner(c, &j, to_id, &to);
    size_t n = 0;
    if (rc) {
        return rc;
    }
    if (from_id == to_id) {
        *moved = 0;
        return 0;
    }
    const char *old_owner = desk_arena_printf(a, "%lld", (long long)from_id);
    const char *new_owner = desk_arena_printf(a, "%lld", (long long)to_id);
    int64_t author = who->user_id ? who->user_id : to_id;
    /* The open ones leave the filter as they move, so the first page is always the next. */
    do {
        if ((rc = desk_store_commitment_list(c, a, &f, &p, &items, &out)) != 0) {
            return rc;
        }
        for (size_t i = 0; i < out.n && !rc; i++) {
            struct desk_commitment cm = items[i];
            struct audit_draft d = {0};
            cm.owner_id = to_id;
            cm.updated_at = now;
            draft_event(&d, "Change", field_name(a, cm.id, "_owner_id"), old_owner, new_owner);
            if ((rc = desk_store_commitment_update(c, &cm)) == 0) {
                rc = draft_write(c, &d, cm.ticket_id, author, who->via, now);
            }
            n++;
        }
    } while (!rc && out.more);
    if (!rc) {
        *moved = n;
    }
    return rc;
}

int desk_commitment_hand_over_one(struct desk_conn *c, const struct desk_actor *who,
                                  struct desk_arena *a, int64_t id, int64_t to_id, int64_t now,
                                  bool *moved, struct desk_fail *fail)
{
    struct cmt_job j = {.who = who, .a = a, .fail = fail};
    struct desk_user to;
    struct desk_commitment cm;
    struct audit_draft d = {0};
    int rc = check_owner(c, &j, to_id, &to);
    *moved = false;
    if (rc || (rc = desk_store_commitment_get(c, a, id, &cm)) != 0) {
        return rc;
    }
    if (cm.state != DESK_CMT_OPEN || cm.owner_id == to_id) {
        return 0;
    }
    draft_event(&d, "Change", field_name(a, cm.id, "_owner_id"),
                desk_arena_printf(a, "%lld", (long long)cm.owner_id),
                desk_arena_printf(a, "%lld", (long long)to_id));
    cm.owner_id = to_id;
    cm.updated_at = now;
    if ((rc = desk_store_commitment_update(c, &cm)) == 0 &&
        (rc = draft_write(c, &d, cm.ticket_id, who->user_id ? who->user_id : to_id, who->via,
                          now)) == 0) {
        *moved = true;
    }
    return rc;
}

void desk_app_commitments_changed(struct desk_app *app)
{
    wake(app);
}

/* ---- reads ----------------------------------------------------------- */

int desk_app_commitment_get(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t id, struct desk_commitment *out)
{
    struct desk_conn *c;
    struct desk_ticket t;
    struct desk_commitment cm;
    if (!desk_role_is_staff(who->role)) {
        return DESK_ENOTFOUND;
    }
    int rc = desk_store_reader(app->store, &c);
    if (rc || (rc = desk_store_commitment_get(c, a, id, &cm)) != 0) {
        return rc;
    }
    if (desk_store_ticket_get(c, a, cm.ticket_id, &t) != 0 || t.deleted_at) {
        return DESK_ENOTFOUND;
    }
    *out = cm;
    return 0;
}

int desk_app_commitment_list(struct desk_app *app, const struct desk_actor *who,
                             struct desk_arena *a, struct desk_commitment_filter *f,
                             const struct desk_page *p, struct desk_commitment **items,
                             struct desk_page_out *out)
{
    struct desk_conn *c;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_store_reader(app->store, &c);
    if (rc) {
        return rc;
    }
    if (f->ticket_id) {
        struct desk_ticket t;
        if (desk_store_ticket_get(c, a, f->ticket_id, &t) != 0 || t.deleted_at) {
            return DESK_ENOTFOUND;
        }
    } else if (who->role == DESK_ROLE_AGENT) {
        if (f->owner_id && f->owner_id != who->user_id) {
            return DESK_EFORBIDDEN;
        }
        f->owner_id = who->user_id;
    }
    return desk_store_commitment_list(c, a, f, p, items, out);
}

int desk_app_commitment_summary(struct desk_app *app, const struct desk_actor *who,
                                int64_t ticket_id, struct desk_commitment_summary *out)
{
    struct desk_conn *c;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_commitment_summary(c, ticket_id, out);
}

/* ---- the ticket hook: closing a ticket cancels its open commitments --- */

int desk_commitments_hook_written(struct desk_conn *c, struct desk_ticket_change *ch)
{
    if (!ch->before || ch->after->status != DESK_STATUS_CLOSED ||
        ch->before->status == DESK_STATUS_CLOSED) {
        return 0;
    }
    struct desk_commitment_filter f = {.ticket_id = ch->after->id, .state = DESK_CMT_OPEN};
    struct desk_page p = {.limit = 100};
    struct desk_commitment *items;
    struct desk_page_out out;
    int rc;
    do {
        if ((rc = desk_store_commitment_list(c, ch->a, &f, &p, &items, &out)) != 0) {
            return rc;
        }
        struct audit_draft d = {0};
        int64_t author = ch->who->user_id ? ch->who->user_id : ch->after->requester_id;
        for (size_t i = 0; i < out.n; i++) {
            struct desk_commitment cm = items[i];
            cm.state = DESK_CMT_CANCELLED;
            cm.resolved_at = cm.updated_at = ch->now;
            cm.resolved_by = ch->who->user_id;
            if ((rc = desk_store_commitment_update(c, &cm)) != 0) {
                return rc;
            }
            draft_event(&d, "Change", field_name(ch->a, cm.id, ""), "open", "cancelled");
            if (d.n == sizeof(d.ev) / sizeof(d.ev[0]) || i + 1 == out.n) {
                if ((rc = draft_write(c, &d, ch->after->id, author, ch->who->via, ch->now)) != 0) {
                    return rc;
                }
                memset(&d, 0, sizeof(d));
            }
        }
    } while (out.more);
    return 0;
}

void desk_commitments_hook_committed(const struct desk_ticket_change *ch)
{
    if (ch->before && ch->after->status == DESK_STATUS_CLOSED &&
        ch->before->status != DESK_STATUS_CLOSED) {
        wake(ch->app);
    }
}

/* ---- the scheduler's work ------------------------------------------------ */

#define DUE_BATCH    64
#define MAX_NOTIFIED 32

struct due_job {
    struct desk_arena *a;
    int64_t now;
    size_t reminded, missed, cancelled;
};

/* "2027-01-12T15:00:00Z (2027-01-12T10:00:00-05:00 America/New_York)" */
static const char *due_words(struct desk_arena *a, const struct desk_commitment *cm)
{
    const char *utc = iso(a, cm->due_at);
    struct desk_wall w;
    int off;
    char wall[20], offs[7];
    if (cm->time_zone && desk_wall_from_utc(cm->due_at, cm->time_zone, &w, &off) == 0) {
        desk_wall_format(&w, wall);
        desk_wall_offset_format(off, offs);
        return desk_arena_printf(a, "%s (%s%s %s)", utc, wall, offs, cm->time_zone);
    }
    return utc;
}

static int alert_to(struct desk_conn *c, int64_t to, const char *kind,
                    const struct desk_commitment *cm, const char *message, int64_t now)
{
    struct desk_alert al = {.recipient_id = to,
                            .kind = kind,
                            .ticket_id = cm->ticket_id,
                            .commitment_id = cm->id,
                            .about_user_id = cm->owner_id,
                            .message = message,
                            .created_at = now};
    return desk_store_alert_insert(c, &al);
}

static const char *note_words(const struct desk_commitment *cm)
{
    return cm->note && *cm->note ? cm->note : "(no note)";
}

static int remind(struct desk_conn *c, struct due_job *j, struct desk_commitment *cm,
                  const struct desk_ticket *t)
{
    cm->reminded_at = j->now;
    cm->updated_at = j->now;
    int rc = desk_store_commitment_update(c, cm);
    if (rc) {
        return rc;
    }
    const char *msg =
        desk_arena_printf(j->a, "Reminder: commitment #%lld on ticket #%lld \"%s\" is due %s: %s",
                          (long long)cm->id, (long long)cm->ticket_id, t->subject ? t->subject : "",
                          due_words(j->a, cm), note_words(cm));
    return alert_to(c, cm->owner_id, "commitment_reminder", cm, msg, j->now);
}

/* The ticket was deleted: nobody can keep the promise, so it is cancelled, quietly. */
static int cancel_orphan(struct desk_conn *c, struct due_job *j, struct desk_commitment *cm)
{
    cm->state = DESK_CMT_CANCELLED;
    cm->resolved_at = cm->updated_at = j->now;
    cm->resolved_by = 0;
    int rc = desk_store_commitment_update(c, cm);
    if (rc) {
        return rc;
    }
    struct audit_draft d = {0};
    draft_event(&d, "Change", field_name(j->a, cm->id, ""), "open", "cancelled");
    return draft_write(c, &d, cm->ticket_id, cm->owner_id, DESK_VIA_RULE, j->now);
}

static int miss(struct desk_conn *c, struct due_job *j, struct desk_commitment *cm,
                const struct desk_ticket *t)
{
    struct desk_user owner;
    int rc;
    cm->state = DESK_CMT_MISSED;
    cm->resolved_at = cm->updated_at = j->now;
    cm->resolved_by = 0;
    if ((rc = desk_store_commitment_update(c, cm)) != 0) {
        return rc;
    }
    const char *owner_name = desk_store_user_get(c, j->a, cm->owner_id, &owner) == 0 && owner.name
                                 ? owner.name
                                 : desk_arena_printf(j->a, "user %lld", (long long)cm->owner_id);
    const char *due = due_words(j->a, cm);
    /* The note goes on the ticket like any change: the ticket's updated_at moves on (to the next
     * whole second at least, model/ticket.h), so views and exports see it. A closed ticket takes
     * no change: its open commitments were cancelled when it closed, so this is only a guard. */
    struct desk_ticket next = *t;
    struct desk_change_ctx ctx = {cm->owner_id, DESK_ROLE_AGENT, false, false, j->now};
    bool noted = t->status != DESK_STATUS_CLOSED;
    bool bump = noted && desk_ticket_prepare_update(t, &next, &ctx, NULL) == 0 &&
                next.status == t->status && next.assignee_id == t->assignee_id;
    const char *note =
        noted ? desk_arena_printf(j->a,
                                  "Commitment #%lld was missed: %s promised \"%s\" by %s, and "
                                  "that time passed while it was still open. Their supervisors "
                                  "have been alerted.",
                                  (long long)cm->id, owner_name, note_words(cm), due)
              : NULL;
    struct audit_draft d = {0};
    draft_event(&d, "Change", field_name(j->a, cm->id, ""), "open", "missed");
    if ((rc = draft_write_note(c, &d, t->id, cm->owner_id, DESK_VIA_RULE,
                               bump ? next.updated_at : j->now, j->a, note)) != 0) {
        return rc;
    }
    if (bump && (rc = desk_store_ticket_update(c, &next)) != 0) {
        return rc;
    }
    const char *msg = desk_arena_printf(
        j->a, "Missed: %s did not keep commitment #%lld on ticket #%lld \"%s\", due %s: %s",
        owner_name, (long long)cm->id, (long long)t->id, t->subject ? t->subject : "", due,
        note_words(cm));
    if ((rc = alert_to(c, cm->owner_id, "commitment_missed", cm, msg, j->now)) != 0) {
        return rc;
    }
    int64_t *sups;
    size_t n;
    if ((rc = desk_store_supervisors_of(c, j->a, cm->owner_id, MAX_NOTIFIED, &sups, &n)) != 0) {
        return rc;
    }
    for (size_t i = 0; i < n && !rc; i++) {
        rc = alert_to(c, sups[i], "commitment_missed", cm, msg, j->now);
    }
    return rc;
}

static int due_write(struct desk_conn *c, void *arg)
{
    struct due_job *j = arg;
    struct desk_commitment *items;
    size_t n;
    int rc = desk_store_commitment_due(c, j->a, j->now, DUE_BATCH, &items, &n);
    for (size_t i = 0; !rc && i < n; i++) {
        struct desk_commitment *cm = &items[i];
        struct desk_ticket t;
        bool live = desk_store_ticket_get(c, j->a, cm->ticket_id, &t) == 0 && !t.deleted_at;
        switch (desk_commitment_due_action(cm, j->now)) {
        case DESK_CMT_REMIND:
            rc = live ? remind(c, j, cm, &t) : cancel_orphan(c, j, cm);
            *(live ? &j->reminded : &j->cancelled) += 1;
            break;
        case DESK_CMT_MISS:
            rc = live ? miss(c, j, cm, &t) : cancel_orphan(c, j, cm);
            *(live ? &j->missed : &j->cancelled) += 1;
            break;
        case DESK_CMT_WAIT:
            /* Its scheduler time is stale (an older row): storing it again recomputes it. */
            rc = desk_store_commitment_update(c, cm);
            break;
        }
    }
    return rc;
}

int desk_app_commitments_run_due(struct desk_app *app, int64_t now, int64_t *next_at)
{
    struct desk_conn *c;
    int rc = desk_store_reader(app->store, &c);
    for (;;) {
        /* An idle round is this one index seek on the reader; the writer is asked only when
         * something is due. */
        int64_t next = 0;
        if (rc || (rc = desk_store_commitment_next_at(c, &next)) != 0) {
            return rc;
        }
        if (!next || next > now) {
            *next_at = next;
            return 0;
        }
        struct desk_arena a;
        desk_arena_init(&a);
        struct due_job j = {.a = &a, .now = now};
        rc = desk_store_write(app->store, due_write, &j);
        desk_arena_release(&a);
        if (rc) {
            return rc;
        }
        if (j.reminded || j.missed || j.cancelled) {
            desk_log(DESK_LOG_INFO, "event=commitments_due reminded=%zu missed=%zu cancelled=%zu",
                     j.reminded, j.missed, j.cancelled);
        }
    }
}

/* ---- alerts ---------------------------------------------------------------- */

int desk_app_alert_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        bool unread_only, const struct desk_page *p, struct desk_alert **items,
                        struct desk_page_out *out)
{
    struct desk_conn *c;
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_alert_list(c, a, who->user_id, unread_only, p, items, out);
}

struct mark_job {
    const struct desk_actor *who;
    struct desk_arena *a;
    int64_t id;
    bool read;
    struct desk_alert out;
};

static int mark_write(struct desk_conn *c, void *arg)
{
    struct mark_job *j = arg;
    struct desk_alert al;
    int rc = desk_store_alert_get(c, j->a, j->id, &al);
    if (rc) {
        return rc;
    }
    if (al.recipient_id != j->who->user_id) {
        return DESK_ENOTFOUND;
    }
    if (j->read != (al.read_at != 0)) {
        al.read_at = j->read ? desk_time_now_ms() : 0;
        if ((rc = desk_store_alert_set_read(c, al.id, al.read_at)) != 0) {
            return rc;
        }
    }
    j->out = al;
    return 0;
}

int desk_app_alert_mark(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        int64_t id, bool read, struct desk_alert *out)
{
    struct mark_job j = {.who = who, .a = a, .id = id, .read = read};
    int rc = desk_store_write(app->store, mark_write, &j);
    if (!rc) {
        *out = j.out;
    }
    return rc;
}
