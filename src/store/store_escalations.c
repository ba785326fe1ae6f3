/*
 * SQLite side of store_escalations.h: scored messages, escalation settings,
 * the on-duty roster, escalations, supervisor alerts, complaints and
 * hidden tickets (schema in migrations/0007_escalations.sql).
 */
#include "store/store_escalations.h"
#include "core/buf.h"
#include "store/store_int.h"

#include <string.h>

/* ---- scored messages ---------------------------------------------------- */

int desk_store_signal_insert(struct desk_conn *c, struct desk_msg_signal *s)
{
    static const char sql[] =
        "INSERT INTO message_signals (ticket_id, comment_id, author_id, score, mood, abusive, "
        "supervisor_request, triggers, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, s->ticket_id);
    desk_bind_id(st, 2, s->comment_id);
    sqlite3_bind_int64(st, 3, s->author_id);
    sqlite3_bind_double(st, 4, s->score);
    sqlite3_bind_int(st, 5, s->mood);
    sqlite3_bind_int(st, 6, s->abusive);
    sqlite3_bind_int(st, 7, s->supervisor_request);
    desk_bind_text(st, 8, s->triggers ? s->triggers : "");
    sqlite3_bind_int64(st, 9, s->created_at);
    int rc = desk_step_done(c, st, "signal_insert");
    if (!rc) {
        s->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

int desk_store_signal_recent(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                             size_t max, struct desk_msg_signal **items, size_t *n)
{
    static const char sql[] =
        "SELECT id, ticket_id, comment_id, author_id, score, mood, abusive, supervisor_request, "
        "triggers, created_at FROM message_signals WHERE ticket_id = ? ORDER BY id DESC LIMIT ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, ticket_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
    struct desk_msg_signal *v = desk_arena_alloc(a, (max ? max : 1) * sizeof(*v));
    size_t k = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < max) {
        struct desk_msg_signal *s = &v[k++];
        s->id = desk_col_i64(st, 0);
        s->ticket_id = desk_col_i64(st, 1);
        s->comment_id = desk_col_i64(st, 2);
        s->author_id = desk_col_i64(st, 3);
        s->score = sqlite3_column_double(st, 4);
        s->mood = (int)desk_col_i64(st, 5);
        s->abusive = desk_col_i64(st, 6) != 0;
        s->supervisor_request = desk_col_i64(st, 7) != 0;
        s->triggers = desk_col_text(a, st, 8);
        s->created_at = desk_col_i64(st, 9);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        return desk_sqlite_err(c, rc, "signal_recent");
    }
    *items = v;
    *n = k;
    return 0;
}

static int count_one(struct desk_conn *c, const char *sql, int64_t a1, int64_t a2, int64_t *out,
                     const char *what)
{
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, a1);
    if (sqlite3_bind_parameter_count(st) > 1) {
        sqlite3_bind_int64(st, 2, a2);
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        rc = 0;
    } else {
        rc = desk_sqlite_err(c, rc, what);
    }
    sqlite3_reset(st);
    return rc;
}

int desk_store_signal_abusive_count(struct desk_conn *c, int64_t ticket_id, int64_t *out)
{
    static const char sql[] =
        "SELECT count(*) FROM message_signals WHERE ticket_id = ? AND abusive = 1";
    return count_one(c, sql, ticket_id, 0, out, "signal_abusive");
}

/* ---- settings and roster ------------------------------------------------- */

int desk_store_esc_settings_get(struct desk_conn *c, int64_t group_id,
                                struct desk_esc_settings *out)
{
    static const char sql[] = "SELECT contact_id, raise_priority, auto_customer, auto_irate, "
                              "updated_at, auto_sla_breach, auto_sla_at_risk, reopen_threshold "
                              "FROM escalation_settings WHERE group_id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    struct desk_esc_settings s = {.group_id = group_id,
                                  .raise_priority = DESK_PRIORITY_HIGH,
                                  .auto_customer = true,
                                  .auto_irate = false,
                                  .auto_sla_breach = true,
                                  .auto_sla_at_risk = false,
                                  .reopen_threshold = 2};
    sqlite3_bind_int64(st, 1, group_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        s.contact_id = desk_col_i64(st, 0);
        s.raise_priority = (int)desk_col_i64(st, 1);
        s.auto_customer = desk_col_i64(st, 2) != 0;
        s.auto_irate = desk_col_i64(st, 3) != 0;
        s.updated_at = desk_col_i64(st, 4);
        s.auto_sla_breach = desk_col_i64(st, 5) != 0;
        s.auto_sla_at_risk = desk_col_i64(st, 6) != 0;
        s.reopen_threshold = (int)desk_col_i64(st, 7);
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "esc_settings_get");
    }
    *out = s;
    return 0;
}

int desk_store_esc_settings_put(struct desk_conn *c, const struct desk_esc_settings *s)
{
    static const char sql[] =
        "INSERT OR REPLACE INTO escalation_settings (group_id, contact_id, raise_priority, "
        "auto_customer, auto_irate, updated_at, auto_sla_breach, auto_sla_at_risk, "
        "reopen_threshold) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, s->group_id);
    desk_bind_id(st, 2, s->contact_id);
    sqlite3_bind_int(st, 3, s->raise_priority);
    sqlite3_bind_int(st, 4, s->auto_customer);
    sqlite3_bind_int(st, 5, s->auto_irate);
    sqlite3_bind_int64(st, 6, s->updated_at);
    sqlite3_bind_int(st, 7, s->auto_sla_breach);
    sqlite3_bind_int(st, 8, s->auto_sla_at_risk);
    sqlite3_bind_int(st, 9, s->reopen_threshold);
    return desk_step_done(c, st, "esc_settings_put");
}

int desk_store_roster_set(struct desk_conn *c, int64_t group_id, const int64_t *ids, size_t n,
                          int64_t until, int64_t set_by, int64_t now)
{
    /* An entry that had lapsed starts a new shift; one still on duty keeps its since. */
    static const char upsert[] =
        "INSERT INTO supervisor_roster (supervisor_id, group_id, since, until, set_by) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (group_id, supervisor_id) DO UPDATE SET "
        "since = CASE WHEN until IS NOT NULL AND until <= ?3 THEN ?3 ELSE since END, "
        "until = excluded.until, set_by = excluded.set_by";
    int rc;
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st = desk_stmt(c, upsert);
        if (!st) {
            return DESK_EINTERNAL;
        }
        sqlite3_bind_int64(st, 1, ids[i]);
        sqlite3_bind_int64(st, 2, group_id);
        sqlite3_bind_int64(st, 3, now);
        desk_bind_id(st, 4, until);
        desk_bind_id(st, 5, set_by);
        if ((rc = desk_step_done(c, st, "roster_upsert")) != 0) {
            return rc;
        }
    }
    struct desk_buf sql;
    desk_buf_init(&sql, 0);
    desk_buf_adds(&sql, "DELETE FROM supervisor_roster WHERE group_id = ?");
    if (n) {
        desk_buf_adds(&sql, " AND supervisor_id NOT IN (");
        for (size_t i = 0; i < n; i++) {
            desk_buf_adds(&sql, i ? ",?" : "?");
        }
        desk_buf_adds(&sql, ")");
    }
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v2(c->db, sql.data, -1, &st, NULL);
    desk_buf_release(&sql);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(st);
        return desk_sqlite_err(c, rc, "roster_drop_prepare");
    }
    sqlite3_bind_int64(st, 1, group_id);
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(st, (int)i + 2, ids[i]);
    }
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "roster_drop");
    }
    static const char over[] = "INSERT OR REPLACE INTO supervisor_roster_override (group_id, "
                               "until, set_by, set_at) VALUES (?, ?, ?, ?)";
    if (!(st = desk_stmt(c, over))) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, group_id);
    desk_bind_id(st, 2, until);
    desk_bind_id(st, 3, set_by);
    sqlite3_bind_int64(st, 4, now);
    return desk_step_done(c, st, "roster_override");
}

int desk_store_roster_clear(struct desk_conn *c, int64_t group_id)
{
    static const char *const sql[] = {"DELETE FROM supervisor_roster WHERE group_id = ?",
                                      "DELETE FROM supervisor_roster_override WHERE group_id = ?"};
    for (size_t i = 0; i < 2; i++) {
        sqlite3_stmt *st = desk_stmt(c, sql[i]);
        if (!st) {
            return DESK_EINTERNAL;
        }
        sqlite3_bind_int64(st, 1, group_id);
        int rc = desk_step_done(c, st, "roster_clear");
        if (rc) {
            return rc;
        }
    }
    return 0;
}

int desk_store_roster_duty(struct desk_conn *c, struct desk_arena *a, int64_t group_id, int64_t now,
                           struct desk_roster_duty **items, size_t *n)
{
    /* Hand-set entries of groups whose hand-set roster is in force, then the scheduled
     * supervisors of the other groups. */
    static const char sql[] =
        "WITH over AS (SELECT group_id FROM supervisor_roster_override "
        "WHERE (?1 = 0 OR group_id = ?1) AND (until IS NULL OR until > ?2)), "
        "duty AS ("
        "SELECT r.group_id AS gid, r.supervisor_id AS uid, 1 AS manual, r.since, r.until, "
        "r.set_by, NULL AS schedule, NULL AS zone FROM supervisor_roster r "
        "WHERE r.group_id IN (SELECT group_id FROM over) AND (r.until IS NULL OR r.until > ?2) "
        "UNION ALL "
        "SELECT m.group_id, m.user_id, 0, NULL, NULL, NULL, p.schedule, "
        "coalesce(p.schedule_zone, u.time_zone, 'UTC') FROM group_memberships m "
        "JOIN staff_profiles p ON p.user_id = m.user_id AND p.schedule IS NOT NULL AND "
        "p.state = 1 JOIN users u ON u.id = m.user_id "
        "WHERE (?1 = 0 OR m.group_id = ?1) AND m.group_id NOT IN (SELECT group_id FROM over)) "
        "SELECT d.gid, d.uid, d.manual, d.since, d.until, d.set_by, d.schedule, d.zone, "
        "(SELECT count(*) FROM escalations e WHERE e.supervisor_id = d.uid "
        "AND e.state IN (0, 1)), "
        "(SELECT ifnull(max(e.created_at), 0) FROM escalations e WHERE e.supervisor_id = d.uid) "
        "FROM duty d JOIN users u ON u.id = d.uid JOIN groups g ON g.id = d.gid AND g.deleted = 0 "
        "WHERE u.active = 1 AND u.suspended = 0 AND u.role >= 2 ORDER BY d.gid, d.uid";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, group_id);
    sqlite3_bind_int64(st, 2, now);
    size_t cap = 16, k = 0;
    struct desk_roster_duty *v = desk_arena_alloc(a, cap * sizeof(*v));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap) {
            struct desk_roster_duty *nv = desk_arena_alloc(a, 2 * cap * sizeof(*nv));
            memcpy(nv, v, cap * sizeof(*v));
            v = nv;
            cap *= 2;
        }
        memset(&v[k], 0, sizeof(v[k]));
        v[k].group_id = desk_col_i64(st, 0);
        v[k].cand.supervisor_id = desk_col_i64(st, 1);
        v[k].manual = desk_col_i64(st, 2) != 0;
        v[k].since = desk_col_i64(st, 3);
        v[k].until = desk_col_i64(st, 4);
        v[k].set_by = desk_col_i64(st, 5);
        v[k].schedule = desk_col_text(a, st, 6);
        v[k].zone = desk_col_text(a, st, 7);
        v[k].cand.active = desk_col_i64(st, 8);
        v[k].cand.last_assigned_at = desk_col_i64(st, 9);
        k++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "roster_duty");
    }
    *items = v;
    *n = k;
    return 0;
}

/* ---- automatic triggers and reopenings ----------------------------------------- */

int desk_store_esc_trigger_seen(struct desk_conn *c, int64_t ticket_id, const char *trigger,
                                bool *out)
{
    static const char sql[] =
        "SELECT 1 FROM escalation_triggers WHERE ticket_id = ? AND trigger = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, ticket_id);
    desk_bind_text(st, 2, trigger);
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : desk_sqlite_err(c, rc, "trigger_seen");
}

int desk_store_esc_trigger_put(struct desk_conn *c, int64_t ticket_id, const char *trigger,
                               int64_t escalation_id, int64_t now)
{
    static const char sql[] = "INSERT OR IGNORE INTO escalation_triggers (ticket_id, trigger, "
                              "escalation_id, created_at) VALUES (?, ?, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, ticket_id);
    desk_bind_text(st, 2, trigger);
    desk_bind_id(st, 3, escalation_id);
    sqlite3_bind_int64(st, 4, now);
    return desk_step_done(c, st, "trigger_put");
}

int desk_store_reopens_get(struct desk_conn *c, int64_t ticket_id, int64_t *out)
{
    static const char sql[] = "SELECT reopens FROM ticket_reopens WHERE ticket_id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, ticket_id);
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? desk_col_i64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : desk_sqlite_err(c, rc, "reopens_get");
}

int desk_store_reopens_add(struct desk_conn *c, int64_t ticket_id, int64_t now)
{
    static const char sql[] =
        "INSERT INTO ticket_reopens (ticket_id, reopens, updated_at) VALUES (?1, 1, ?2) "
        "ON CONFLICT (ticket_id) DO UPDATE SET reopens = reopens + 1, updated_at = ?2";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, ticket_id);
    sqlite3_bind_int64(st, 2, now);
    return desk_step_done(c, st, "reopens_add");
}

/* ---- escalations ----------------------------------------------------------- */

#define ESC_COLS                                                                                   \
    "id, ticket_id, group_id, state, source, reason, note, requested_by, supervisor_id, "          \
    "previous_assignee_id, previous_priority, created_at, accepted_at, accepted_by, closed_at, "   \
    "closed_by, resolution, updated_at"

static void read_esc(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_escalation *e = item;
    memset(e, 0, sizeof(*e));
    e->id = desk_col_i64(st, 0);
    e->ticket_id = desk_col_i64(st, 1);
    e->group_id = desk_col_i64(st, 2);
    e->state = (int)desk_col_i64(st, 3);
    e->source = (int)desk_col_i64(st, 4);
    e->reason = (int)desk_col_i64(st, 5);
    e->note = desk_col_text(a, st, 6);
    e->requested_by = desk_col_i64(st, 7);
    e->supervisor_id = desk_col_i64(st, 8);
    e->previous_assignee_id = desk_col_i64(st, 9);
    e->previous_priority = (int)desk_col_i64(st, 10);
    e->created_at = desk_col_i64(st, 11);
    e->accepted_at = desk_col_i64(st, 12);
    e->accepted_by = desk_col_i64(st, 13);
    e->closed_at = desk_col_i64(st, 14);
    e->closed_by = desk_col_i64(st, 15);
    e->resolution = desk_col_text(a, st, 16);
    e->updated_at = desk_col_i64(st, 17);
}

int desk_store_esc_insert(struct desk_conn *c, struct desk_escalation *e)
{
    static const char sql[] =
        "INSERT INTO escalations (ticket_id, group_id, state, source, reason, note, requested_by, "
        "supervisor_id, previous_assignee_id, previous_priority, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, e->ticket_id);
    desk_bind_id(st, 2, e->group_id);
    sqlite3_bind_int(st, 3, e->state);
    sqlite3_bind_int(st, 4, e->source);
    sqlite3_bind_int(st, 5, e->reason);
    desk_bind_text(st, 6, e->note);
    desk_bind_id(st, 7, e->requested_by);
    desk_bind_id(st, 8, e->supervisor_id);
    desk_bind_id(st, 9, e->previous_assignee_id);
    sqlite3_bind_int(st, 10, e->previous_priority);
    sqlite3_bind_int64(st, 11, e->created_at);
    sqlite3_bind_int64(st, 12, e->updated_at);
    int rc = desk_step_done(c, st, "esc_insert");
    if (!rc) {
        e->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

int desk_store_esc_update(struct desk_conn *c, const struct desk_escalation *e)
{
    static const char sql[] =
        "UPDATE escalations SET state = ?, supervisor_id = ?, accepted_at = ?, accepted_by = ?, "
        "closed_at = ?, closed_by = ?, resolution = ?, updated_at = ? WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int(st, 1, e->state);
    desk_bind_id(st, 2, e->supervisor_id);
    desk_bind_id(st, 3, e->accepted_at);
    desk_bind_id(st, 4, e->accepted_by);
    desk_bind_id(st, 5, e->closed_at);
    desk_bind_id(st, 6, e->closed_by);
    desk_bind_text(st, 7, e->resolution);
    sqlite3_bind_int64(st, 8, e->updated_at);
    sqlite3_bind_int64(st, 9, e->id);
    int rc = desk_step_done(c, st, "esc_update");
    if (!rc && sqlite3_changes(c->db) == 0) {
        rc = DESK_ENOTFOUND;
    }
    return rc;
}

int desk_store_esc_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                       struct desk_escalation *out)
{
    static const char sql[] = "SELECT " ESC_COLS " FROM escalations WHERE id = ?";
    return desk_row_by_id(c, a, sql, id, read_esc, out, "esc_get");
}

int desk_store_esc_latest(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                          struct desk_escalation *out)
{
    static const char sql[] = "SELECT " ESC_COLS " FROM escalations WHERE id = "
                              "(SELECT max(id) FROM escalations WHERE ticket_id = ?)";
    return desk_row_by_id(c, a, sql, ticket_id, read_esc, out, "esc_latest");
}

static int bind_esc_filter(sqlite3_stmt *st, int i, const void *ctx)
{
    const struct desk_esc_filter *f = ctx;
    if (f->state >= 0) {
        sqlite3_bind_int(st, i++, f->state);
    }
    if (f->supervisor_id) {
        sqlite3_bind_int64(st, i++, f->supervisor_id);
    }
    if (f->group_id) {
        sqlite3_bind_int64(st, i++, f->group_id);
    }
    if (f->ticket_id) {
        sqlite3_bind_int64(st, i++, f->ticket_id);
    }
    if (f->hidden_from) {
        sqlite3_bind_int64(st, i++, f->hidden_from);
    }
    return i;
}

int desk_store_esc_list(struct desk_conn *c, struct desk_arena *a, const struct desk_esc_filter *f,
                        const struct desk_page *p, struct desk_escalation **items,
                        struct desk_page_out *out)
{
    struct desk_buf where, sel, cnt;
    desk_buf_init(&where, 0);
    desk_buf_init(&sel, 0);
    desk_buf_init(&cnt, 0);
    if (f->state >= 0) {
        desk_buf_adds(&where, " AND state = ?");
    }
    if (f->supervisor_id) {
        desk_buf_adds(&where, " AND supervisor_id = ?");
    }
    if (f->group_id) {
        desk_buf_adds(&where, " AND group_id = ?");
    }
    if (f->ticket_id) {
        desk_buf_adds(&where, " AND ticket_id = ?");
    }
    if (f->hidden_from) {
        desk_buf_adds(&where, " AND ticket_id NOT IN (SELECT ticket_id FROM ticket_hidden "
                              "WHERE user_id = ?)");
    }
    desk_buf_adds(&where, " AND ticket_id IN (SELECT id FROM tickets WHERE deleted_at IS NULL)");
    desk_buf_addf(&sel, "SELECT " ESC_COLS " FROM escalations WHERE 1%s", where.data);
    desk_buf_addf(&cnt, "SELECT count(*) FROM escalations WHERE 1%s", where.data);
    struct desk_lister l = {c, a, p, sizeof(struct desk_escalation), read_esc, bind_esc_filter, f};
    int rc = desk_list_run(&l, sel.data, cnt.data, "id", (void **)items, out);
    desk_buf_release(&where);
    desk_buf_release(&sel);
    desk_buf_release(&cnt);
    return rc;
}

/* ---- alerts ------------------------------------------------------------------ */

#define ALERT_COLS                                                                                 \
    "id, kind, ticket_id, group_id, escalation_id, recipient_id, message, created_at, "            \
    "acknowledged_at, acknowledged_by"

static void read_alert(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_supervisor_alert *al = item;
    memset(al, 0, sizeof(*al));
    al->id = desk_col_i64(st, 0);
    al->kind = desk_col_text(a, st, 1);
    al->ticket_id = desk_col_i64(st, 2);
    al->group_id = desk_col_i64(st, 3);
    al->escalation_id = desk_col_i64(st, 4);
    al->recipient_id = desk_col_i64(st, 5);
    al->message = desk_col_text(a, st, 6);
    al->created_at = desk_col_i64(st, 7);
    al->acknowledged_at = desk_col_i64(st, 8);
    al->acknowledged_by = desk_col_i64(st, 9);
}

int desk_store_supervisor_alert_insert(struct desk_conn *c, struct desk_supervisor_alert *al)
{
    static const char sql[] =
        "INSERT INTO supervisor_alerts (kind, ticket_id, group_id, escalation_id, recipient_id, "
        "message, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, al->kind);
    desk_bind_id(st, 2, al->ticket_id);
    desk_bind_id(st, 3, al->group_id);
    desk_bind_id(st, 4, al->escalation_id);
    desk_bind_id(st, 5, al->recipient_id);
    desk_bind_text(st, 6, al->message);
    sqlite3_bind_int64(st, 7, al->created_at);
    int rc = desk_step_done(c, st, "alert_insert");
    if (!rc) {
        al->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

struct alert_filter {
    int64_t recipient;
    bool open_only;
    int64_t hidden_from;
};

static int bind_alert_filter(sqlite3_stmt *st, int i, const void *ctx)
{
    const struct alert_filter *f = ctx;
    if (f->recipient) {
        sqlite3_bind_int64(st, i++, f->recipient);
    }
    if (f->hidden_from) {
        sqlite3_bind_int64(st, i++, f->hidden_from);
    }
    return i;
}

int desk_store_supervisor_alert_list(struct desk_conn *c, struct desk_arena *a, int64_t recipient,
                                     bool open_only, int64_t hidden_from, const struct desk_page *p,
                                     struct desk_supervisor_alert **items,
                                     struct desk_page_out *out)
{
    struct alert_filter f = {recipient, open_only, hidden_from};
    struct desk_buf where, sel, cnt;
    desk_buf_init(&where, 0);
    desk_buf_init(&sel, 0);
    desk_buf_init(&cnt, 0);
    if (recipient) {
        desk_buf_adds(&where, " AND (recipient_id IS NULL OR recipient_id = ?)");
    }
    if (open_only) {
        desk_buf_adds(&where, " AND acknowledged_at IS NULL");
    }
    if (hidden_from) {
        desk_buf_adds(&where, " AND (ticket_id IS NULL OR ticket_id NOT IN (SELECT ticket_id "
                              "FROM ticket_hidden WHERE user_id = ?))");
    }
    desk_buf_addf(&sel, "SELECT " ALERT_COLS " FROM supervisor_alerts WHERE 1%s", where.data);
    desk_buf_addf(&cnt, "SELECT count(*) FROM supervisor_alerts WHERE 1%s", where.data);
    struct desk_lister l = {
        c, a, p, sizeof(struct desk_supervisor_alert), read_alert, bind_alert_filter, &f};
    int rc = desk_list_run(&l, sel.data, cnt.data, "id", (void **)items, out);
    desk_buf_release(&where);
    desk_buf_release(&sel);
    desk_buf_release(&cnt);
    return rc;
}

int desk_store_supervisor_alert_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                                    struct desk_supervisor_alert *out)
{
    static const char sql[] = "SELECT " ALERT_COLS " FROM supervisor_alerts WHERE id = ?";
    return desk_row_by_id(c, a, sql, id, read_alert, out, "alert_get");
}

int desk_store_supervisor_alert_ack(struct desk_conn *c, int64_t id, int64_t by, int64_t now)
{
    static const char sql[] = "UPDATE supervisor_alerts SET acknowledged_at = ?, "
                              "acknowledged_by = ? WHERE id = ? AND acknowledged_at IS NULL";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, now);
    desk_bind_id(st, 2, by);
    sqlite3_bind_int64(st, 3, id);
    return desk_step_done(c, st, "alert_ack");
}

/* ---- complaints and hidden tickets ------------------------------------------- */

int desk_store_complaint_put(struct desk_conn *c, int64_t ticket_id, int64_t agent_id, int64_t now)
{
    static const char up[] =
        "INSERT INTO complaints (ticket_id, agent_id, created_at, updated_at) VALUES (?1, ?2, ?3, "
        "?3) ON CONFLICT (ticket_id) DO UPDATE SET agent_id = excluded.agent_id, updated_at = ?3";
    static const char unhide[] = "DELETE FROM ticket_hidden WHERE ticket_id = ?";
    static const char hide[] = "INSERT OR IGNORE INTO ticket_hidden (user_id, ticket_id) "
                               "VALUES (?, ?)";
    sqlite3_stmt *st = desk_stmt(c, up);
    int rc;
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, ticket_id);
    sqlite3_bind_int64(st, 2, agent_id);
    sqlite3_bind_int64(st, 3, now);
    if ((rc = desk_step_done(c, st, "complaint_put")) != 0) {
        return rc;
    }
    if (!(st = desk_stmt(c, unhide))) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, ticket_id);
    if ((rc = desk_step_done(c, st, "complaint_unhide")) != 0) {
        return rc;
    }
    if (!(st = desk_stmt(c, hide))) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, agent_id);
    sqlite3_bind_int64(st, 2, ticket_id);
    return desk_step_done(c, st, "complaint_hide");
}

#define COMPLAINT_COLS                                                                             \
    "ticket_id, agent_id, outcome, outcome_note, decided_by, decided_at, created_at, updated_at"

static void read_complaint(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_complaint *k = item;
    memset(k, 0, sizeof(*k));
    k->ticket_id = desk_col_i64(st, 0);
    k->agent_id = desk_col_i64(st, 1);
    k->outcome = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 : (int)desk_col_i64(st, 2);
    k->outcome_note = desk_col_text(a, st, 3);
    k->decided_by = desk_col_i64(st, 4);
    k->decided_at = desk_col_i64(st, 5);
    k->created_at = desk_col_i64(st, 6);
    k->updated_at = desk_col_i64(st, 7);
}

int desk_store_complaint_get(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                             struct desk_complaint *out)
{
    static const char sql[] = "SELECT " COMPLAINT_COLS " FROM complaints WHERE ticket_id = ?";
    return desk_row_by_id(c, a, sql, ticket_id, read_complaint, out, "complaint_get");
}

int desk_store_complaint_decide(struct desk_conn *c, int64_t ticket_id, int outcome,
                                const char *note, int64_t by, int64_t now)
{
    static const char sql[] = "UPDATE complaints SET outcome = ?, outcome_note = ?, decided_by = "
                              "?, decided_at = ?, updated_at = ? WHERE ticket_id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int(st, 1, outcome);
    desk_bind_text(st, 2, note);
    desk_bind_id(st, 3, by);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, now);
    sqlite3_bind_int64(st, 6, ticket_id);
    int rc = desk_step_done(c, st, "complaint_decide");
    if (!rc && sqlite3_changes(c->db) == 0) {
        rc = DESK_ENOTFOUND;
    }
    return rc;
}

int desk_store_complaint_list(struct desk_conn *c, struct desk_arena *a, int64_t agent_id,
                              size_t max, struct desk_complaint **items, size_t *n)
{
    static const char sql[] =
        "SELECT " COMPLAINT_COLS " FROM complaints k WHERE agent_id = ? AND ticket_id IN "
        "(SELECT id FROM tickets WHERE deleted_at IS NULL) ORDER BY ticket_id DESC LIMIT ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, agent_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
    struct desk_complaint *v = desk_arena_alloc(a, (max ? max : 1) * sizeof(*v));
    size_t k = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < max) {
        read_complaint(a, st, &v[k++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        return desk_sqlite_err(c, rc, "complaint_list");
    }
    *items = v;
    *n = k;
    return 0;
}

int desk_store_ticket_hidden(struct desk_conn *c, int64_t user_id, int64_t ticket_id, bool *out)
{
    static const char sql[] =
        "SELECT count(*) FROM ticket_hidden WHERE user_id = ? AND ticket_id = ?";
    int64_t n = 0;
    int rc = count_one(c, sql, user_id, ticket_id, &n, "ticket_hidden");
    if (!rc) {
        *out = n > 0;
    }
    return rc;
}

int desk_store_ticket_hidden_users(struct desk_conn *c, int64_t ticket_id, int64_t *ids, size_t max,
                                   size_t *n)
{
    static const char sql[] = "SELECT user_id FROM ticket_hidden WHERE ticket_id = ? LIMIT ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    *n = 0;
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, ticket_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
        ids[(*n)++] = desk_col_i64(st, 0);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0
                                                 : desk_sqlite_err(c, rc, "ticket_hidden_users");
}
