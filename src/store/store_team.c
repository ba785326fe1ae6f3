/*
 * The team's tables in SQLite (see store_team.h): staff profiles and their
 * lists, availability history, lifecycle events, invitations, skills,
 * routing settings, state and decisions, the routing pool read inside the
 * writer for each decision, offboarding's lock-out, and drafts. Rules
 * about who may do what live in app/team_*.c.
 */
#include "store/store_team.h"
#include "core/buf.h"
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

/* ---- small helpers ------------------------------------------------------ */

static sqlite3_stmt *stmt_or(struct desk_conn *c, const char *sql, int *rc)
{
    sqlite3_stmt *st = desk_stmt(c, sql);
    *rc = st ? 0 : DESK_EINTERNAL;
    return st;
}

/* Steps a prepared, bound statement expecting one row; DESK_ENOTFOUND on none. */
static int one_row(struct desk_conn *c, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        return 0;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? DESK_ENOTFOUND : desk_sqlite_err(c, rc, what);
}

/* Reads every row of a bound statement into a growing arena array. */
static int collect(struct desk_conn *c, struct desk_arena *a, sqlite3_stmt *st, size_t item_size,
                   desk_row_read_fn read, void **items, size_t *n, const char *what)
{
    size_t cap = 0, k = 0;
    char *arr = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            char *next = desk_arena_alloc(a, ncap * item_size);
            if (k) {
                memcpy(next, arr, k * item_size);
            }
            arr = next;
            cap = ncap;
        }
        read(a, st, arr + k * item_size);
        k++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, what);
    }
    *items = arr;
    *n = k;
    return 0;
}

static int bind_user_ctx(sqlite3_stmt *st, int i, const void *ctx)
{
    sqlite3_bind_int64(st, i++, *(const int64_t *)ctx);
    return i;
}

static void read_id(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    (void)a;
    *(int64_t *)item = sqlite3_column_int64(st, 0);
}

/* ---- staff profiles ------------------------------------------------------ */

#define STAFF_COLS                                                                                 \
    "user_id, state, hire_date, schedule_zone, schedule, mentor_id, trainee, supervisor_notes, "   \
    "routing_paused, availability, availability_at, last_assigned_at, created_at, updated_at, "    \
    "auto_offline"

static void read_staff(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_staff_profile *p = item;
    memset(p, 0, sizeof(*p));
    p->user_id = desk_col_i64(st, 0);
    p->state = (int)desk_col_i64(st, 1);
    p->hire_date = desk_col_text(a, st, 2);
    p->schedule_zone = desk_col_text(a, st, 3);
    p->schedule = desk_col_text(a, st, 4);
    p->mentor_id = desk_col_i64(st, 5);
    p->trainee = desk_col_i64(st, 6) != 0;
    p->supervisor_notes = desk_col_text(a, st, 7);
    p->routing_paused = desk_col_i64(st, 8) != 0;
    p->availability = (int)desk_col_i64(st, 9);
    p->availability_at = desk_col_i64(st, 10);
    p->last_assigned_at = desk_col_i64(st, 11);
    p->created_at = desk_col_i64(st, 12);
    p->updated_at = desk_col_i64(st, 13);
    p->auto_offline = desk_col_i64(st, 14) != 0;
}

static void read_lang(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_staff_lang *l = item;
    l->tag = desk_col_text(a, st, 0);
    l->primary = desk_col_text(a, st, 1);
    l->proficiency = (int)desk_col_i64(st, 2);
}

static void read_cap(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_staff_capacity *cp = item;
    cp->channel = desk_col_text(a, st, 0);
    cp->capacity = (int)desk_col_i64(st, 1);
}

static void read_training(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_staff_training *t = item;
    t->id = desk_col_i64(st, 0);
    t->course = desk_col_text(a, st, 1);
    t->completed_at = desk_col_i64(st, 2);
    t->created_at = desk_col_i64(st, 3);
}

static int user_list(struct desk_conn *c, struct desk_arena *a, const char *sql, int64_t id,
                     size_t size, desk_row_read_fn read, void **items, size_t *n, const char *what)
{
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, id);
    return collect(c, a, st, size, read, items, n, what);
}

int desk_store_staff_get(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                         struct desk_staff_profile *out)
{
    static const char sql[] = "SELECT " STAFF_COLS " FROM staff_profiles WHERE user_id = ?";
    static const char langs[] = "SELECT tag, primary_tag, proficiency FROM staff_languages "
                                "WHERE user_id = ? ORDER BY proficiency DESC, tag";
    static const char caps[] =
        "SELECT channel, capacity FROM staff_capacity WHERE user_id = ? ORDER BY channel";
    static const char training[] = "SELECT id, course, completed_at, created_at FROM "
                                   "staff_training WHERE user_id = ? ORDER BY id";
    static const char skills[] =
        "SELECT v.id FROM routing_agent_values av JOIN routing_attribute_values v "
        "ON v.id = av.value_id WHERE av.user_id = ? AND v.deleted_at IS NULL ORDER BY v.id";
    struct desk_staff_profile p;
    int rc = desk_row_by_id(c, a, sql, user_id, read_staff, &p, "staff_get");
    if (!rc) {
        rc = user_list(c, a, langs, user_id, sizeof(struct desk_staff_lang), read_lang,
                       (void **)&p.langs, &p.n_langs, "staff_langs");
    }
    if (!rc) {
        rc = user_list(c, a, caps, user_id, sizeof(struct desk_staff_capacity), read_cap,
                       (void **)&p.caps, &p.n_caps, "staff_caps");
    }
    if (!rc) {
        rc = user_list(c, a, training, user_id, sizeof(struct desk_staff_training), read_training,
                       (void **)&p.training, &p.n_training, "staff_training");
    }
    if (!rc) {
        rc = user_list(c, a, skills, user_id, sizeof(int64_t), read_id, (void **)&p.skills,
                       &p.n_skills, "staff_skills");
    }
    if (!rc) {
        *out = p;
    }
    return rc;
}

int desk_store_staff_put(struct desk_conn *c, const struct desk_staff_profile *p)
{
    static const char sql[] =
        "INSERT INTO staff_profiles (" STAFF_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT (user_id) DO UPDATE SET state = excluded.state, hire_date = "
        "excluded.hire_date, schedule_zone = excluded.schedule_zone, schedule = "
        "excluded.schedule, mentor_id = excluded.mentor_id, trainee = excluded.trainee, "
        "supervisor_notes = excluded.supervisor_notes, routing_paused = excluded.routing_paused, "
        "availability = excluded.availability, availability_at = excluded.availability_at, "
        "last_assigned_at = excluded.last_assigned_at, updated_at = excluded.updated_at, "
        "auto_offline = excluded.auto_offline";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, p->user_id);
    sqlite3_bind_int(st, 2, p->state);
    desk_bind_text(st, 3, p->hire_date);
    desk_bind_text(st, 4, p->schedule_zone);
    desk_bind_text(st, 5, p->schedule);
    desk_bind_id(st, 6, p->mentor_id);
    sqlite3_bind_int(st, 7, p->trainee);
    desk_bind_text(st, 8, p->supervisor_notes);
    sqlite3_bind_int(st, 9, p->routing_paused);
    sqlite3_bind_int(st, 10, p->availability);
    desk_bind_id(st, 11, p->availability_at);
    desk_bind_id(st, 12, p->last_assigned_at);
    sqlite3_bind_int64(st, 13, p->created_at);
    sqlite3_bind_int64(st, 14, p->updated_at);
    sqlite3_bind_int(st, 15, p->auto_offline);
    return desk_step_done(c, st, "staff_put");
}

static int delete_for(struct desk_conn *c, const char *sql, int64_t id, const char *what)
{
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, id);
    return desk_step_done(c, st, what);
}

int desk_store_staff_langs_set(struct desk_conn *c, int64_t user_id,
                               const struct desk_staff_lang *v, size_t n)
{
    static const char del[] = "DELETE FROM staff_languages WHERE user_id = ?";
    static const char ins[] = "INSERT INTO staff_languages (user_id, tag, primary_tag, "
                              "proficiency) VALUES (?, ?, ?, ?)";
    int rc = delete_for(c, del, user_id, "staff_langs_delete");
    for (size_t i = 0; !rc && i < n; i++) {
        sqlite3_stmt *st = stmt_or(c, ins, &rc);
        if (rc) {
            break;
        }
        sqlite3_bind_int64(st, 1, user_id);
        desk_bind_text(st, 2, v[i].tag);
        desk_bind_text(st, 3, v[i].primary);
        sqlite3_bind_int(st, 4, v[i].proficiency);
        rc = desk_step_done(c, st, "staff_lang_insert");
    }
    return rc;
}

int desk_store_staff_caps_set(struct desk_conn *c, int64_t user_id,
                              const struct desk_staff_capacity *v, size_t n)
{
    static const char del[] = "DELETE FROM staff_capacity WHERE user_id = ?";
    static const char ins[] =
        "INSERT INTO staff_capacity (user_id, channel, capacity) VALUES (?, ?, ?)";
    int rc = delete_for(c, del, user_id, "staff_caps_delete");
    for (size_t i = 0; !rc && i < n; i++) {
        sqlite3_stmt *st = stmt_or(c, ins, &rc);
        if (rc) {
            break;
        }
        sqlite3_bind_int64(st, 1, user_id);
        desk_bind_text(st, 2, v[i].channel);
        sqlite3_bind_int(st, 3, v[i].capacity);
        rc = desk_step_done(c, st, "staff_cap_insert");
    }
    return rc;
}

int desk_store_staff_training_set(struct desk_conn *c, int64_t user_id,
                                  const struct desk_staff_training *v, size_t n, int64_t now)
{
    static const char del[] = "DELETE FROM staff_training WHERE user_id = ?";
    static const char ins[] = "INSERT INTO staff_training (user_id, course, completed_at, "
                              "created_at) VALUES (?, ?, ?, ?)";
    int rc = delete_for(c, del, user_id, "staff_training_delete");
    for (size_t i = 0; !rc && i < n; i++) {
        sqlite3_stmt *st = stmt_or(c, ins, &rc);
        if (rc) {
            break;
        }
        sqlite3_bind_int64(st, 1, user_id);
        desk_bind_text(st, 2, v[i].course);
        desk_bind_id(st, 3, v[i].completed_at);
        sqlite3_bind_int64(st, 4, v[i].created_at ? v[i].created_at : now);
        rc = desk_step_done(c, st, "staff_training_insert");
    }
    return rc;
}

int desk_store_agent_values_set(struct desk_conn *c, int64_t user_id, const int64_t *ids, size_t n)
{
    static const char del[] = "DELETE FROM routing_agent_values WHERE user_id = ?";
    static const char ins[] =
        "INSERT OR IGNORE INTO routing_agent_values (user_id, value_id) VALUES (?, ?)";
    int rc = delete_for(c, del, user_id, "agent_values_delete");
    for (size_t i = 0; !rc && i < n; i++) {
        sqlite3_stmt *st = stmt_or(c, ins, &rc);
        if (rc) {
            break;
        }
        sqlite3_bind_int64(st, 1, user_id);
        sqlite3_bind_int64(st, 2, ids[i]);
        rc = desk_step_done(c, st, "agent_value_insert");
    }
    return rc;
}

int desk_store_staff_assigned(struct desk_conn *c, int64_t user_id, int64_t at)
{
    static const char sql[] = "UPDATE staff_profiles SET last_assigned_at = ? WHERE user_id = ?";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, at);
    sqlite3_bind_int64(st, 2, user_id);
    return desk_step_done(c, st, "staff_assigned");
}

int desk_store_staff_load(struct desk_conn *c, int64_t user_id, int64_t *out)
{
    static const char sql[] = "SELECT count(*) FROM tickets WHERE assignee_id = ? AND status IN "
                              "(0, 1) AND deleted_at IS NULL";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, user_id);
    rc = one_row(c, st, "staff_load");
    if (!rc) {
        *out = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    return rc;
}

static int bind_state(sqlite3_stmt *st, int i, const void *ctx)
{
    int state = *(const int *)ctx;
    if (state >= 0) {
        sqlite3_bind_int(st, i++, state);
    }
    return i;
}

int desk_store_staff_list(struct desk_conn *c, struct desk_arena *a, int state,
                          const struct desk_page *p, struct desk_staff_profile **items,
                          struct desk_page_out *out)
{
    const char *sel = state >= 0 ? "SELECT " STAFF_COLS " FROM staff_profiles WHERE state = ?"
                                 : "SELECT " STAFF_COLS " FROM staff_profiles WHERE 1";
    const char *cnt = state >= 0 ? "SELECT count(*) FROM staff_profiles WHERE state = ?"
                                 : "SELECT count(*) FROM staff_profiles WHERE 1";
    struct desk_lister l = {c,          a,          p,     sizeof(struct desk_staff_profile),
                            read_staff, bind_state, &state};
    return desk_list_run(&l, sel, cnt, "user_id", (void **)items, out);
}

int desk_store_staff_is_mentor_of(struct desk_conn *c, int64_t mentor_id, int64_t trainee_id,
                                  bool *out)
{
    static const char sql[] = "SELECT 1 FROM staff_profiles WHERE user_id = ? AND mentor_id = ?";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, trainee_id);
    sqlite3_bind_int64(st, 2, mentor_id);
    rc = one_row(c, st, "staff_is_mentor_of");
    if (rc == 0 || rc == DESK_ENOTFOUND) {
        *out = rc == 0;
        sqlite3_reset(st);
        return 0;
    }
    return rc;
}

/* ---- availability history and events ------------------------------------ */

int desk_store_staff_avail_since(struct desk_conn *c, int64_t after,
                                 struct desk_staff_avail_change *out, size_t max, size_t *n)
{
    static const char sql[] = "SELECT id, user_id, status, created_at FROM staff_availability_log "
                              "WHERE id > ? ORDER BY id LIMIT ?";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
    size_t k = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < max) {
        out[k] = (struct desk_staff_avail_change){0};
        out[k].id = sqlite3_column_int64(st, 0);
        out[k].user_id = sqlite3_column_int64(st, 1);
        out[k].status = sqlite3_column_int(st, 2);
        out[k].previous = -1;
        out[k].created_at = sqlite3_column_int64(st, 3);
        k++;
    }
    sqlite3_reset(st);
    *n = k;
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : desk_sqlite_err(c, rc, "avail_since");
}

int desk_store_staff_avail_last(struct desk_conn *c, int64_t *out)
{
    static const char sql[] = "SELECT ifnull(max(id), 0) FROM staff_availability_log";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : desk_sqlite_err(c, rc, "avail_last");
}

int desk_store_staff_avail_log(struct desk_conn *c, struct desk_staff_avail_change *ch)
{
    static const char sql[] = "INSERT INTO staff_availability_log (user_id, status, previous, "
                              "actor_id, reason, created_at) VALUES (?, ?, ?, ?, ?, ?)";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, ch->user_id);
    sqlite3_bind_int(st, 2, ch->status);
    if (ch->previous >= 0) {
        sqlite3_bind_int(st, 3, ch->previous);
    } else {
        sqlite3_bind_null(st, 3);
    }
    desk_bind_id(st, 4, ch->actor_id);
    desk_bind_text(st, 5, ch->reason);
    sqlite3_bind_int64(st, 6, ch->created_at);
    rc = desk_step_done(c, st, "avail_log");
    if (!rc) {
        ch->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

static void read_avail(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_staff_avail_change *ch = item;
    ch->id = desk_col_i64(st, 0);
    ch->user_id = desk_col_i64(st, 1);
    ch->status = (int)desk_col_i64(st, 2);
    ch->previous = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 : (int)desk_col_i64(st, 3);
    ch->actor_id = desk_col_i64(st, 4);
    ch->reason = desk_col_text(a, st, 5);
    ch->created_at = desk_col_i64(st, 6);
}

int desk_store_staff_avail_list(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                                const struct desk_page *p, struct desk_staff_avail_change **items,
                                struct desk_page_out *out)
{
    struct desk_lister l = {
        c, a, p, sizeof(struct desk_staff_avail_change), read_avail, bind_user_ctx, &user_id};
    return desk_list_run(&l,
                         "SELECT id, user_id, status, previous, actor_id, reason, created_at "
                         "FROM staff_availability_log WHERE user_id = ?",
                         "SELECT count(*) FROM staff_availability_log WHERE user_id = ?", "id",
                         (void **)items, out);
}

int desk_store_staff_event_add(struct desk_conn *c, struct desk_staff_event *e)
{
    static const char sql[] = "INSERT INTO staff_events (user_id, actor_id, type, detail, "
                              "created_at) VALUES (?, ?, ?, ?, ?)";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, e->user_id);
    desk_bind_id(st, 2, e->actor_id);
    desk_bind_text(st, 3, e->type);
    desk_bind_text(st, 4, e->detail);
    sqlite3_bind_int64(st, 5, e->created_at);
    rc = desk_step_done(c, st, "staff_event");
    if (!rc) {
        e->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

static void read_event(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_staff_event *e = item;
    e->id = desk_col_i64(st, 0);
    e->user_id = desk_col_i64(st, 1);
    e->actor_id = desk_col_i64(st, 2);
    e->type = desk_col_text(a, st, 3);
    e->detail = desk_col_text(a, st, 4);
    e->created_at = desk_col_i64(st, 5);
}

int desk_store_staff_event_list(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                                const struct desk_page *p, struct desk_staff_event **items,
                                struct desk_page_out *out)
{
    struct desk_lister l = {
        c, a, p, sizeof(struct desk_staff_event), read_event, bind_user_ctx, &user_id};
    return desk_list_run(&l,
                         "SELECT id, user_id, actor_id, type, detail, created_at FROM "
                         "staff_events WHERE user_id = ?",
                         "SELECT count(*) FROM staff_events WHERE user_id = ?", "id",
                         (void **)items, out);
}

/* ---- invitations ---------------------------------------------------------- */

#define INV_COLS "id, user_id, invited_by, created_at, expires_at, accepted_at, revoked_at"

static void read_inv(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_staff_invitation *inv = item;
    (void)a;
    inv->id = desk_col_i64(st, 0);
    inv->user_id = desk_col_i64(st, 1);
    inv->invited_by = desk_col_i64(st, 2);
    inv->created_at = desk_col_i64(st, 3);
    inv->expires_at = desk_col_i64(st, 4);
    inv->accepted_at = desk_col_i64(st, 5);
    inv->revoked_at = desk_col_i64(st, 6);
}

int desk_store_invitation_insert(struct desk_conn *c, struct desk_staff_invitation *inv,
                                 const unsigned char hash[32])
{
    static const char sql[] = "INSERT INTO staff_invitations (user_id, token_hash, invited_by, "
                              "created_at, expires_at) VALUES (?, ?, ?, ?, ?)";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, inv->user_id);
    sqlite3_bind_blob(st, 2, hash, 32, SQLITE_STATIC);
    desk_bind_id(st, 3, inv->invited_by);
    sqlite3_bind_int64(st, 4, inv->created_at);
    sqlite3_bind_int64(st, 5, inv->expires_at);
    rc = desk_step_done(c, st, "invitation_insert");
    if (!rc) {
        inv->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

int desk_store_invitation_by_hash(struct desk_conn *c, const unsigned char hash[32],
                                  struct desk_staff_invitation *out)
{
    static const char sql[] = "SELECT " INV_COLS " FROM staff_invitations WHERE token_hash = ?";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
    rc = one_row(c, st, "invitation_by_hash");
    if (!rc) {
        read_inv(NULL, st, out);
        sqlite3_reset(st);
    }
    return rc;
}

int desk_store_invitation_accept(struct desk_conn *c, int64_t id, int64_t at)
{
    static const char sql[] = "UPDATE staff_invitations SET accepted_at = ? WHERE id = ? AND "
                              "accepted_at IS NULL AND revoked_at IS NULL";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, at);
    sqlite3_bind_int64(st, 2, id);
    rc = desk_step_done(c, st, "invitation_accept");
    return rc ? rc : sqlite3_changes(c->db) == 1 ? 0 : DESK_ECONFLICT;
}

int desk_store_invitation_revoke_user(struct desk_conn *c, int64_t user_id, int64_t at)
{
    static const char sql[] = "UPDATE staff_invitations SET revoked_at = ? WHERE user_id = ? AND "
                              "accepted_at IS NULL AND revoked_at IS NULL";
    /* Its mail, if not sent yet, must not go out with a dead link: failed, link removed. */
    static const char mail[] =
        "UPDATE outbox SET state = 'failed', last_error = 'the invitation was revoked', "
        "raw = NULL, payload = NULL, updated_at = ? "
        "WHERE kind = 'invitation' AND user_id = ? AND state = 'queued'";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, at);
    sqlite3_bind_int64(st, 2, user_id);
    if ((rc = desk_step_done(c, st, "invitation_revoke")) != 0 ||
        (st = stmt_or(c, mail, &rc)) == NULL || rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, at);
    sqlite3_bind_int64(st, 2, user_id);
    return desk_step_done(c, st, "invitation_revoke_mail");
}

int desk_store_invitation_open_list(struct desk_conn *c, struct desk_arena *a,
                                    struct desk_staff_invitation **items, size_t *n)
{
    static const char sql[] = "SELECT " INV_COLS " FROM staff_invitations WHERE accepted_at IS "
                              "NULL AND revoked_at IS NULL ORDER BY id DESC LIMIT 100";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    return collect(c, a, st, sizeof(**items), read_inv, (void **)items, n, "invitation_list");
}

/* ---- skills ------------------------------------------------------------------ */

static void read_attr(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_attr *x = item;
    x->id = desk_col_i64(st, 0);
    x->attribute_id = desk_col_i64(st, 1);
    x->name = desk_col_text(a, st, 2);
    x->created_at = desk_col_i64(st, 3);
    x->updated_at = desk_col_i64(st, 4);
    x->deleted_at = desk_col_i64(st, 5);
}

int desk_store_attr_list(struct desk_conn *c, struct desk_arena *a, int64_t attribute_id,
                         struct desk_attr **items, size_t *n)
{
    static const char attrs[] = "SELECT id, 0, name, created_at, updated_at, deleted_at FROM "
                                "routing_attributes WHERE deleted_at IS NULL ORDER BY id";
    static const char values[] =
        "SELECT id, attribute_id, name, created_at, updated_at, deleted_at FROM "
        "routing_attribute_values WHERE attribute_id = ? AND deleted_at IS NULL ORDER BY id";
    int rc;
    sqlite3_stmt *st = stmt_or(c, attribute_id ? values : attrs, &rc);
    if (rc) {
        return rc;
    }
    if (attribute_id) {
        sqlite3_bind_int64(st, 1, attribute_id);
    }
    return collect(c, a, st, sizeof(**items), read_attr, (void **)items, n, "attr_list");
}

int desk_store_attr_get(struct desk_conn *c, struct desk_arena *a, bool value, int64_t id,
                        struct desk_attr *out)
{
    static const char attr[] = "SELECT id, 0, name, created_at, updated_at, deleted_at FROM "
                               "routing_attributes WHERE id = ?";
    static const char val[] = "SELECT id, attribute_id, name, created_at, updated_at, deleted_at "
                              "FROM routing_attribute_values WHERE id = ?";
    return desk_row_by_id(c, a, value ? val : attr, id, read_attr, out, "attr_get");
}

int desk_store_attr_put(struct desk_conn *c, bool value, struct desk_attr *x)
{
    static const char ins_attr[] = "INSERT INTO routing_attributes (name, created_at, updated_at) "
                                   "VALUES (?, ?, ?)";
    static const char ins_val[] = "INSERT INTO routing_attribute_values (attribute_id, name, "
                                  "created_at, updated_at) VALUES (?, ?, ?, ?)";
    static const char upd_attr[] =
        "UPDATE routing_attributes SET name = ?, updated_at = ?, deleted_at = ? WHERE id = ?";
    static const char upd_val[] = "UPDATE routing_attribute_values SET name = ?, updated_at = ?, "
                                  "deleted_at = ? WHERE id = ?";
    int rc;
    sqlite3_stmt *st;
    if (!x->id) {
        st = stmt_or(c, value ? ins_val : ins_attr, &rc);
        if (rc) {
            return rc;
        }
        int i = 1;
        if (value) {
            sqlite3_bind_int64(st, i++, x->attribute_id);
        }
        desk_bind_text(st, i++, x->name);
        sqlite3_bind_int64(st, i++, x->created_at);
        sqlite3_bind_int64(st, i, x->updated_at);
        rc = desk_step_done(c, st, "attr_insert");
        if (!rc) {
            x->id = sqlite3_last_insert_rowid(c->db);
        }
        return rc;
    }
    st = stmt_or(c, value ? upd_val : upd_attr, &rc);
    if (rc) {
        return rc;
    }
    desk_bind_text(st, 1, x->name);
    sqlite3_bind_int64(st, 2, x->updated_at);
    desk_bind_id(st, 3, x->deleted_at);
    sqlite3_bind_int64(st, 4, x->id);
    return desk_step_done(c, st, "attr_update");
}

int desk_store_attr_delete_values(struct desk_conn *c, int64_t attribute_id, int64_t at)
{
    static const char sql[] = "UPDATE routing_attribute_values SET deleted_at = ?, updated_at = ? "
                              "WHERE attribute_id = ? AND deleted_at IS NULL";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, at);
    sqlite3_bind_int64(st, 2, at);
    sqlite3_bind_int64(st, 3, attribute_id);
    return desk_step_done(c, st, "attr_delete_values");
}

int desk_store_agent_values(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                            struct desk_attr **items, size_t *n)
{
    static const char sql[] =
        "SELECT v.id, v.attribute_id, v.name, v.created_at, v.updated_at, v.deleted_at FROM "
        "routing_agent_values av JOIN routing_attribute_values v ON v.id = av.value_id "
        "WHERE av.user_id = ? AND v.deleted_at IS NULL ORDER BY v.id";
    return user_list(c, a, sql, user_id, sizeof(**items), read_attr, (void **)items, n,
                     "agent_values");
}

int desk_store_ticket_values(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                             struct desk_attr **items, size_t *n)
{
    static const char sql[] =
        "SELECT v.id, v.attribute_id, v.name, v.created_at, v.updated_at, v.deleted_at FROM "
        "routing_ticket_values tv JOIN routing_attribute_values v ON v.id = tv.value_id "
        "WHERE tv.ticket_id = ? AND v.deleted_at IS NULL ORDER BY v.id";
    return user_list(c, a, sql, ticket_id, sizeof(**items), read_attr, (void **)items, n,
                     "ticket_values");
}

int desk_store_ticket_values_set(struct desk_conn *c, int64_t ticket_id, const int64_t *ids,
                                 size_t n)
{
    static const char del[] = "DELETE FROM routing_ticket_values WHERE ticket_id = ?";
    static const char ins[] =
        "INSERT OR IGNORE INTO routing_ticket_values (ticket_id, value_id) VALUES (?, ?)";
    int rc = delete_for(c, del, ticket_id, "ticket_values_delete");
    for (size_t i = 0; !rc && i < n; i++) {
        sqlite3_stmt *st = stmt_or(c, ins, &rc);
        if (rc) {
            break;
        }
        sqlite3_bind_int64(st, 1, ticket_id);
        sqlite3_bind_int64(st, 2, ids[i]);
        rc = desk_step_done(c, st, "ticket_value_insert");
    }
    return rc;
}

/* ---- routing ------------------------------------------------------------------ */

int desk_store_route_group_get(struct desk_conn *c, int64_t group_id, struct desk_route_group *out)
{
    static const char sql[] = "SELECT paused, fallback_seconds, updated_at FROM routing_groups "
                              "WHERE group_id = ?";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    memset(out, 0, sizeof(*out));
    out->group_id = group_id;
    out->fallback_seconds = -1;
    sqlite3_bind_int64(st, 1, group_id);
    rc = one_row(c, st, "route_group_get");
    if (rc == DESK_ENOTFOUND) {
        return 0;
    }
    if (!rc) {
        out->paused = sqlite3_column_int(st, 0) != 0;
        out->fallback_seconds =
            sqlite3_column_type(st, 1) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 1);
        out->updated_at = sqlite3_column_int64(st, 2);
        sqlite3_reset(st);
    }
    return rc;
}

int desk_store_route_group_put(struct desk_conn *c, const struct desk_route_group *g)
{
    static const char sql[] =
        "INSERT INTO routing_groups (group_id, paused, fallback_seconds, updated_at) VALUES "
        "(?, ?, ?, ?) ON CONFLICT (group_id) DO UPDATE SET paused = excluded.paused, "
        "fallback_seconds = excluded.fallback_seconds, updated_at = excluded.updated_at";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, g->group_id);
    sqlite3_bind_int(st, 2, g->paused);
    if (g->fallback_seconds >= 0) {
        sqlite3_bind_int(st, 3, g->fallback_seconds);
    } else {
        sqlite3_bind_null(st, 3);
    }
    sqlite3_bind_int64(st, 4, g->updated_at);
    return desk_step_done(c, st, "route_group_put");
}

/* The members of the pool: ?1 = group (0: any group), staff with an active profile. */
#define POOL_MEMBERS                                                                               \
    "SELECT u.id FROM users u JOIN staff_profiles p ON p.user_id = u.id WHERE u.active = 1 AND "   \
    "u.suspended = 0 AND u.role >= 1 AND p.state = 1 AND (?1 = 0 OR u.id IN (SELECT user_id "      \
    "FROM group_memberships WHERE group_id = ?1))"

static void read_route_row(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_route_row *r = item;
    r->user_id = desk_col_i64(st, 0);
    r->name = desk_col_text(a, st, 1);
    r->time_zone = desk_col_text(a, st, 2);
    r->schedule_zone = desk_col_text(a, st, 3);
    r->schedule = desk_col_text(a, st, 4);
    r->availability = (int)desk_col_i64(st, 5);
    r->paused = desk_col_i64(st, 6) != 0;
    r->last_assigned_at = desk_col_i64(st, 7);
}

static void read_pair(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_route_pair *p = item;
    p->user_id = desk_col_i64(st, 0);
    p->value = desk_col_i64(st, 1);
    p->text = desk_col_text(a, st, 2);
    p->n = desk_col_i64(st, 3);
}

static int pool_query(struct desk_conn *c, struct desk_arena *a, const char *sql, int64_t group_id,
                      int extra, size_t size, desk_row_read_fn read, void **items, size_t *n)
{
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, group_id);
    if (extra >= 0) {
        sqlite3_bind_int(st, 2, extra);
    }
    return collect(c, a, st, size, read, items, n, "route_pool");
}

int desk_store_route_pool(struct desk_conn *c, struct desk_arena *a, int64_t group_id, int min_prof,
                          struct desk_route_pool *out)
{
    static const char agents[] =
        "SELECT u.id, u.name, u.time_zone, p.schedule_zone, p.schedule, p.availability, "
        "p.routing_paused, p.last_assigned_at FROM users u JOIN staff_profiles p ON p.user_id = "
        "u.id WHERE u.id IN (" POOL_MEMBERS ") ORDER BY u.id";
    static const char langs[] = "SELECT user_id, 0, primary_tag, proficiency FROM staff_languages "
                                "WHERE proficiency >= ?2 AND user_id IN (" POOL_MEMBERS ") "
                                "ORDER BY user_id";
    static const char skills[] =
        "SELECT av.user_id, av.value_id, NULL, 0 FROM routing_agent_values av JOIN "
        "routing_attribute_values v ON v.id = av.value_id WHERE v.deleted_at IS NULL AND "
        "av.user_id IN (" POOL_MEMBERS ") ORDER BY av.user_id, av.value_id";
    static const char caps[] = "SELECT user_id, 0, channel, capacity FROM staff_capacity WHERE "
                               "user_id IN (" POOL_MEMBERS ") ORDER BY user_id";
    struct desk_route_pool p = {0};
    int rc = pool_query(c, a, agents, group_id, -1, sizeof(struct desk_route_row), read_route_row,
                        (void **)&p.agents, &p.n_agents);
    if (!rc && !p.n_agents) {
        *out = p; /* nobody to route to: the other lists would be empty too */
        return 0;
    }
    if (!rc) {
        rc = pool_query(c, a, langs, group_id, min_prof, sizeof(struct desk_route_pair), read_pair,
                        (void **)&p.langs, &p.n_langs);
    }
    if (!rc) {
        rc = pool_query(c, a, skills, group_id, -1, sizeof(struct desk_route_pair), read_pair,
                        (void **)&p.skills, &p.n_skills);
    }
    if (!rc) {
        rc = pool_query(c, a, caps, group_id, -1, sizeof(struct desk_route_pair), read_pair,
                        (void **)&p.caps, &p.n_caps);
    }
    if (!rc) {
        *out = p;
    }
    return rc;
}

int desk_store_route_generation(struct desk_conn *c, int64_t *out)
{
    static const char sql[] = "SELECT n FROM team_generation WHERE id = 1";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    rc = one_row(c, st, "route_generation");
    if (!rc) {
        *out = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    return rc;
}

static void read_load(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_route_load *l = item;
    (void)a;
    l->user_id = desk_col_i64(st, 0);
    l->last_assigned_at = desk_col_i64(st, 1);
    l->via = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 : (int)desk_col_i64(st, 2);
    l->n = desk_col_i64(st, 3);
}

int desk_store_route_loads(struct desk_conn *c, struct desk_arena *a, int64_t group_id,
                           struct desk_route_load **items, size_t *n)
{
    /* One row per member and channel; the ticket index (assignee_id, status) does the work. */
    static const char sql[] =
        "SELECT p.user_id, p.last_assigned_at, t.via, count(t.id) FROM staff_profiles p "
        "LEFT JOIN tickets t ON t.assignee_id = p.user_id AND t.status IN (0, 1) AND "
        "t.deleted_at IS NULL WHERE p.state = 1 AND (?1 = 0 OR p.user_id IN (SELECT user_id "
        "FROM group_memberships WHERE group_id = ?1)) GROUP BY p.user_id, t.via "
        "ORDER BY p.user_id";
    return pool_query(c, a, sql, group_id, -1, sizeof(**items), read_load, (void **)items, n);
}

int desk_store_route_state_get(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                               struct desk_route_state *out)
{
    static const char sql[] = "SELECT state, unmatched_since, decision_id, updated_at FROM "
                              "routing_tickets WHERE ticket_id = ?";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, ticket_id);
    rc = one_row(c, st, "route_state_get");
    if (!rc) {
        out->ticket_id = ticket_id;
        out->state = desk_col_text(a, st, 0);
        out->unmatched_since = desk_col_i64(st, 1);
        out->decision_id = desk_col_i64(st, 2);
        out->updated_at = desk_col_i64(st, 3);
        sqlite3_reset(st);
    }
    return rc;
}

int desk_store_route_state_put(struct desk_conn *c, const struct desk_route_state *s)
{
    static const char sql[] =
        "INSERT INTO routing_tickets (ticket_id, state, unmatched_since, decision_id, updated_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (ticket_id) DO UPDATE SET state = excluded.state, "
        "unmatched_since = excluded.unmatched_since, decision_id = excluded.decision_id, "
        "updated_at = excluded.updated_at";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, s->ticket_id);
    desk_bind_text(st, 2, s->state);
    desk_bind_id(st, 3, s->unmatched_since);
    desk_bind_id(st, 4, s->decision_id);
    sqlite3_bind_int64(st, 5, s->updated_at);
    return desk_step_done(c, st, "route_state_put");
}

int desk_store_route_decision_add(struct desk_conn *c, struct desk_route_decision *d)
{
    static const char sql[] = "INSERT INTO routing_decisions (ticket_id, trigger, outcome, "
                              "agent_id, reason, created_at) VALUES (?, ?, ?, ?, ?, ?)";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, d->ticket_id);
    desk_bind_text(st, 2, d->trigger);
    desk_bind_text(st, 3, d->outcome);
    desk_bind_id(st, 4, d->agent_id);
    desk_bind_text(st, 5, d->reason);
    sqlite3_bind_int64(st, 6, d->created_at);
    rc = desk_step_done(c, st, "route_decision_add");
    if (!rc) {
        d->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

#define DECISION_COLS "id, ticket_id, trigger, outcome, agent_id, reason, created_at"

static void read_decision(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_route_decision *d = item;
    d->id = desk_col_i64(st, 0);
    d->ticket_id = desk_col_i64(st, 1);
    d->trigger = desk_col_text(a, st, 2);
    d->outcome = desk_col_text(a, st, 3);
    d->agent_id = desk_col_i64(st, 4);
    d->reason = desk_col_text(a, st, 5);
    d->created_at = desk_col_i64(st, 6);
}

int desk_store_route_decision_list(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                                   const struct desk_page *p, struct desk_route_decision **items,
                                   struct desk_page_out *out)
{
    struct desk_lister l = {
        c, a, p, sizeof(struct desk_route_decision), read_decision, bind_user_ctx, &ticket_id};
    return desk_list_run(&l, "SELECT " DECISION_COLS " FROM routing_decisions WHERE ticket_id = ?",
                         "SELECT count(*) FROM routing_decisions WHERE ticket_id = ?", "id",
                         (void **)items, out);
}

int desk_store_route_decision_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                                  struct desk_route_decision *out)
{
    static const char sql[] = "SELECT " DECISION_COLS " FROM routing_decisions WHERE id = ?";
    return desk_row_by_id(c, a, sql, id, read_decision, out, "route_decision_get");
}

int desk_store_route_waiting(struct desk_conn *c, struct desk_arena *a, int64_t group_id, int limit,
                             int64_t **ids, size_t *n)
{
    /* Most urgent first: priority, then the earliest due time, then the oldest. The due time
     * is the earliest of the ticket's running SLA targets (sla_clocks, state 1 = active; one
     * primary-key lookup per waiting ticket) and its own due date (task tickets). */
    static const char sql[] =
        "SELECT id FROM (SELECT t.id, t.priority, t.created_at, "
        "  (SELECT min(v) FROM (SELECT min(k.due_at) AS v FROM sla_clocks k "
        "    WHERE k.ticket_id = t.id AND k.state = 1 AND k.due_at IS NOT NULL "
        "    UNION ALL SELECT t.due_at)) AS due "
        " FROM tickets t WHERE t.assignee_id IS NULL AND t.status IN (0, 1) "
        " AND t.deleted_at IS NULL AND ifnull(t.group_id, 0) = ?) "
        "ORDER BY priority DESC, due IS NULL, due, created_at, id LIMIT ?";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, group_id);
    sqlite3_bind_int(st, 2, limit);
    return collect(c, a, st, sizeof(int64_t), read_id, (void **)ids, n, "route_waiting");
}

int desk_store_route_waiting_groups(struct desk_conn *c, struct desk_arena *a, int64_t **ids,
                                    size_t *n)
{
    /* The queue counters know which queues hold unassigned new or open tickets. */
    static const char sql[] = "SELECT DISTINCT group_id FROM queue_counts WHERE assignee_id = 0 "
                              "AND status IN (0, 1) AND n > 0 ORDER BY group_id LIMIT 1000";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    return collect(c, a, st, sizeof(int64_t), read_id, (void **)ids, n, "route_waiting_groups");
}

int desk_store_user_group_ids(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                              int64_t **ids, size_t *n)
{
    static const char sql[] =
        "SELECT group_id FROM group_memberships WHERE user_id = ? ORDER BY is_default DESC, id";
    return user_list(c, a, sql, user_id, sizeof(int64_t), read_id, (void **)ids, n,
                     "user_group_ids");
}

/* ---- offboarding -------------------------------------------------------------- */

int desk_store_open_assigned(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                             int64_t **ids, size_t *n)
{
    static const char sql[] = "SELECT id FROM tickets WHERE assignee_id = ? AND status < 4 AND "
                              "deleted_at IS NULL ORDER BY id";
    return user_list(c, a, sql, user_id, sizeof(int64_t), read_id, (void **)ids, n,
                     "open_assigned");
}

int desk_store_admin_count(struct desk_conn *c, int64_t except_id, int64_t *out)
{
    static const char sql[] = "SELECT count(*) FROM users WHERE role = 3 AND active = 1 AND "
                              "suspended = 0 AND id <> ?";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, except_id);
    rc = one_row(c, st, "admin_count");
    if (!rc) {
        *out = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    return rc;
}

int desk_store_default_group(struct desk_conn *c, int64_t *out)
{
    static const char sql[] =
        "SELECT id FROM groups WHERE is_default = 1 AND deleted = 0 ORDER BY id LIMIT 1";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    rc = one_row(c, st, "default_group");
    *out = 0;
    if (!rc) {
        *out = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    return rc == DESK_ENOTFOUND ? 0 : rc;
}

int desk_store_staff_auto_offline_due(struct desk_conn *c, struct desk_arena *a, int64_t **ids,
                                      size_t *n)
{
    static const char sql[] = "SELECT user_id FROM staff_profiles WHERE auto_offline = 1 AND "
                              "availability <> 3 ORDER BY user_id LIMIT 1000";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    return collect(c, a, st, sizeof(int64_t), read_id, (void **)ids, n, "auto_offline_due");
}

int desk_store_commitment_heir(struct desk_conn *c, int64_t group_id, int64_t except_id,
                               int64_t *out)
{
    static const char sql[] =
        "SELECT id FROM ("
        " SELECT u.id, 0 AS pref FROM group_memberships m JOIN users u ON u.id = m.user_id"
        " WHERE m.group_id = ?1 AND u.role = 2 AND u.active = 1 AND u.suspended = 0"
        " AND u.id <> ?2"
        " UNION ALL"
        " SELECT id, 1 FROM users WHERE role = 3 AND active = 1 AND suspended = 0 AND id <> ?2"
        ") ORDER BY pref, id LIMIT 1";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, group_id);
    sqlite3_bind_int64(st, 2, except_id);
    rc = one_row(c, st, "commitment_heir");
    *out = 0;
    if (!rc) {
        *out = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    return rc == DESK_ENOTFOUND ? 0 : rc;
}

/*
 * Sessions belong to whichever module signs people in through a browser;
 * whatever table it keeps them in, a "%session%" table keyed by user_id
 * is cleared here, so that offboarding ends them without knowing the module.
 */
static int clear_sessions(struct desk_conn *c, int64_t user_id)
{
    static const char tables[] =
        "SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND m.name LIKE '%session%' "
        "AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'user_id')";
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(c->db, tables, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        return desk_sqlite_err(c, rc, "session_tables");
    }
    char names[8][128];
    size_t n = 0;
    while (sqlite3_step(st) == SQLITE_ROW && n < 8) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        size_t len = name ? strlen(name) : 0;
        bool plain = len > 0 && len < sizeof(names[0]);
        for (size_t i = 0; plain && i < len; i++) {
            char ch = name[i];
            plain = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
        }
        if (plain) {
            memcpy(names[n++], name, len + 1);
        }
    }
    sqlite3_finalize(st);
    for (size_t i = 0; i < n; i++) {
        struct desk_buf sql;
        desk_buf_init(&sql, 0);
        desk_buf_addf(&sql, "DELETE FROM \"%s\" WHERE user_id = ?", names[i]);
        rc = sqlite3_prepare_v2(c->db, sql.data, -1, &st, NULL);
        desk_buf_release(&sql);
        if (rc != SQLITE_OK) {
            return desk_sqlite_err(c, rc, "session_delete");
        }
        sqlite3_bind_int64(st, 1, user_id);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            return desk_sqlite_err(c, rc, "session_delete");
        }
    }
    return 0;
}

int desk_store_staff_lock_out(struct desk_conn *c, int64_t user_id)
{
    static const char memberships[] = "DELETE FROM group_memberships WHERE user_id = ?";
    int rc = desk_store_token_revoke_all(c, user_id);
    if (!rc) {
        rc = desk_store_user_set_password(c, user_id, NULL);
    }
    if (!rc) {
        rc = clear_sessions(c, user_id);
    }
    if (!rc) {
        rc = delete_for(c, memberships, user_id, "memberships_delete_user");
    }
    return rc;
}

/* ---- drafts --------------------------------------------------------------------- */

#define DRAFT_COLS                                                                                 \
    "d.id, d.ticket_id, d.author_id, d.body, d.status, d.state, d.sent_body, d.reviewer_id, "      \
    "d.review_comment, d.comment_id, d.created_at, d.reviewed_at"

static void read_draft(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_draft *d = item;
    d->id = desk_col_i64(st, 0);
    d->ticket_id = desk_col_i64(st, 1);
    d->author_id = desk_col_i64(st, 2);
    d->body = desk_col_text(a, st, 3);
    d->status = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 : (int)desk_col_i64(st, 4);
    d->state = desk_col_text(a, st, 5);
    d->sent_body = desk_col_text(a, st, 6);
    d->reviewer_id = desk_col_i64(st, 7);
    d->review_comment = desk_col_text(a, st, 8);
    d->comment_id = desk_col_i64(st, 9);
    d->created_at = desk_col_i64(st, 10);
    d->reviewed_at = desk_col_i64(st, 11);
}

int desk_store_draft_insert(struct desk_conn *c, struct desk_draft *d)
{
    static const char sql[] = "INSERT INTO drafts (ticket_id, author_id, body, status, state, "
                              "created_at) VALUES (?, ?, ?, ?, 'pending', ?)";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, d->ticket_id);
    sqlite3_bind_int64(st, 2, d->author_id);
    desk_bind_text(st, 3, d->body);
    if (d->status >= 0) {
        sqlite3_bind_int(st, 4, d->status);
    } else {
        sqlite3_bind_null(st, 4);
    }
    sqlite3_bind_int64(st, 5, d->created_at);
    rc = desk_step_done(c, st, "draft_insert");
    if (!rc) {
        d->id = sqlite3_last_insert_rowid(c->db);
        d->state = "pending";
    }
    return rc;
}

int desk_store_draft_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                         struct desk_draft *out)
{
    static const char sql[] = "SELECT " DRAFT_COLS " FROM drafts d WHERE d.id = ?";
    return desk_row_by_id(c, a, sql, id, read_draft, out, "draft_get");
}

int desk_store_draft_review(struct desk_conn *c, const struct desk_draft *d)
{
    static const char sql[] =
        "UPDATE drafts SET state = ?, sent_body = ?, reviewer_id = ?, review_comment = ?, "
        "comment_id = ?, reviewed_at = ? WHERE id = ? AND state = 'pending'";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    desk_bind_text(st, 1, d->state);
    desk_bind_text(st, 2, d->sent_body);
    desk_bind_id(st, 3, d->reviewer_id);
    desk_bind_text(st, 4, d->review_comment);
    desk_bind_id(st, 5, d->comment_id);
    sqlite3_bind_int64(st, 6, d->reviewed_at);
    sqlite3_bind_int64(st, 7, d->id);
    rc = desk_step_done(c, st, "draft_review");
    return rc ? rc : sqlite3_changes(c->db) == 1 ? 0 : DESK_ECONFLICT;
}

static int bind_draft_filter(sqlite3_stmt *st, int i, const void *ctx)
{
    const struct desk_draft_filter *f = ctx;
    if (f->state) {
        desk_bind_text(st, i++, f->state);
    }
    if (f->ticket_id) {
        sqlite3_bind_int64(st, i++, f->ticket_id);
    }
    if (f->scope != DESK_DRAFTS_ALL) {
        sqlite3_bind_int64(st, i++, f->viewer_id);
    }
    return i;
}

int desk_store_draft_list(struct desk_conn *c, struct desk_arena *a,
                          const struct desk_draft_filter *f, const struct desk_page *p,
                          struct desk_draft **items, struct desk_page_out *out)
{
    struct desk_buf where, sel, cnt;
    desk_buf_init(&where, 0);
    desk_buf_init(&sel, 0);
    desk_buf_init(&cnt, 0);
    if (f->state) {
        desk_buf_adds(&where, " AND d.state = ?");
    }
    if (f->ticket_id) {
        desk_buf_adds(&where, " AND d.ticket_id = ?");
    }
    if (f->scope == DESK_DRAFTS_MENTOR) {
        desk_buf_adds(&where, " AND (d.author_id = ?1_ OR d.author_id IN (SELECT user_id FROM "
                              "staff_profiles WHERE mentor_id = ?1_))");
    } else if (f->scope == DESK_DRAFTS_SUPERVISOR) {
        desk_buf_adds(&where,
                      " AND (d.author_id = ?1_ OR d.author_id IN (SELECT user_id FROM "
                      "staff_profiles WHERE mentor_id = ?1_) OR d.ticket_id IN (SELECT t.id FROM "
                      "tickets t JOIN group_memberships m ON m.group_id = t.group_id WHERE "
                      "m.user_id = ?1_))");
    }
    /* The viewer appears several times: one numbered parameter, bound once, after the others. */
    int viewer_index = 1 + (f->state != NULL) + (f->ticket_id != 0);
    char num[16];
    snprintf(num, sizeof(num), "?%d", viewer_index);
    struct desk_buf w2;
    desk_buf_init(&w2, 0);
    for (const char *s = where.data ? where.data : ""; *s; s++) {
        if (s[0] == '?' && s[1] == '1' && s[2] == '_') {
            desk_buf_adds(&w2, num);
            s += 2;
        } else {
            desk_buf_add(&w2, s, 1);
        }
    }
    desk_buf_addf(&sel, "SELECT " DRAFT_COLS " FROM drafts d WHERE 1%s", w2.data ? w2.data : "");
    desk_buf_addf(&cnt, "SELECT count(*) FROM drafts d WHERE 1%s", w2.data ? w2.data : "");
    struct desk_lister l = {c, a, p, sizeof(struct desk_draft), read_draft, bind_draft_filter, f};
    int rc = desk_list_run(&l, sel.data, cnt.data, "d.id", (void **)items, out);
    desk_buf_release(&where);
    desk_buf_release(&w2);
    desk_buf_release(&sel);
    desk_buf_release(&cnt);
    return rc;
}

int desk_store_draft_pending_count(struct desk_conn *c, int64_t ticket_id, int64_t *out)
{
    static const char sql[] =
        "SELECT count(*) FROM drafts WHERE ticket_id = ? AND state = 'pending'";
    int rc;
    sqlite3_stmt *st = stmt_or(c, sql, &rc);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, ticket_id);
    rc = one_row(c, st, "draft_pending_count");
    if (!rc) {
        *out = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    return rc;
}
