/*
 * SLA persistence in SQLite (see store_sla.h): schedules and policies with
 * their child rows, the metric event log, the per-ticket clock rows and the
 * next_at index the breach scheduler walks, and alerts.
 */
#include "store/store_int.h"
#include "store/store_sla.h"
#include "core/time.h"

#include <string.h>

static int row_or_notfound(struct desk_conn *c, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        return 0;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? DESK_ENOTFOUND : desk_sqlite_err(c, rc, what);
}

/* Runs a statement that changes rows; DESK_ENOTFOUND when it changed none. */
static int step_changed(struct desk_conn *c, sqlite3_stmt *st, const char *what)
{
    int rc = desk_step_done(c, st, what);
    return rc ? rc : sqlite3_changes(c->db) ? 0 : DESK_ENOTFOUND;
}

static int exec_id(struct desk_conn *c, const char *sql, int64_t id, const char *what)
{
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, id);
    return desk_step_done(c, st, what);
}

/* ---- version -------------------------------------------------------------------- */

int desk_store_sla_version(struct desk_conn *c, int64_t *out)
{
    static const char sql[] = "SELECT version FROM sla_meta WHERE id = 1";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    int rc = row_or_notfound(c, st, "sla_version");
    if (!rc) {
        *out = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    return rc;
}

int desk_store_sla_bump(struct desk_conn *c, int64_t *out)
{
    /* Versions are never reused, even by a bump whose transaction rolled back: a process
     * that cached rules read inside that transaction must not take them for current. */
    static const char sql[] = "UPDATE sla_meta SET version = max(version + 1, ?) WHERE id = 1";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, desk_time_now_ms() * 1000 + desk_time_mono_ns() / 1000 % 1000);
    int rc = desk_step_done(c, st, "sla_bump");
    return rc ? rc : desk_store_sla_version(c, out);
}

/* ---- schedules ------------------------------------------------------------------- */

#define SCHEDULE_COLS "id, name, time_zone, is_default, created_at, updated_at"

static void read_schedule(struct desk_arena *a, sqlite3_stmt *st, struct desk_schedule *s)
{
    memset(s, 0, sizeof(*s));
    s->id = desk_col_i64(st, 0);
    s->name = desk_col_text(a, st, 1);
    s->time_zone = desk_col_text(a, st, 2);
    s->is_default = desk_col_i64(st, 3) != 0;
    s->created_at = desk_col_i64(st, 4);
    s->updated_at = desk_col_i64(st, 5);
}

#define HOLIDAY_COLS "id, schedule_id, name, start_date, end_date, yearly, created_at, updated_at"

static void read_holiday(struct desk_arena *a, sqlite3_stmt *st, struct desk_holiday *h)
{
    h->id = desk_col_i64(st, 0);
    h->schedule_id = desk_col_i64(st, 1);
    h->name = desk_col_text(a, st, 2);
    h->start_date = desk_col_text(a, st, 3);
    h->end_date = desk_col_text(a, st, 4);
    h->yearly = desk_col_i64(st, 5) != 0;
    h->created_at = desk_col_i64(st, 6);
    h->updated_at = desk_col_i64(st, 7);
}

/* Grows an arena array: returns a copy of old (n items) with room for cap items. */
static void *grow(struct desk_arena *a, void *old, size_t n, size_t cap, size_t size)
{
    void *p = desk_arena_alloc(a, cap * size);
    if (n) {
        memcpy(p, old, n * size);
    }
    return p;
}

/* Reads a schedule's intervals, holidays and attachments. */
static int schedule_parts(struct desk_conn *c, struct desk_arena *a, struct desk_schedule *s)
{
    static const char iv_sql[] =
        "SELECT start_min, end_min FROM bh_intervals WHERE schedule_id = ? ORDER BY start_min, id";
    static const char hol_sql[] = "SELECT " HOLIDAY_COLS " FROM bh_holidays WHERE schedule_id = ? "
                                  "ORDER BY start_date, id";
    static const char att_sql[] =
        "SELECT kind, target_id FROM bh_attachments WHERE schedule_id = ? ORDER BY kind, target_id";
    sqlite3_stmt *st = desk_stmt(c, iv_sql);
    size_t cap = 0;
    int rc;
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, s->id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (s->n_intervals == cap) {
            cap = cap ? cap * 2 : 8;
            s->intervals = grow(a, s->intervals, s->n_intervals, cap, sizeof(*s->intervals));
        }
        s->intervals[s->n_intervals++] =
            (struct desk_bh_interval){sqlite3_column_int(st, 0), sqlite3_column_int(st, 1)};
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "schedule_intervals");
    }
    if (!(st = desk_stmt(c, hol_sql))) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, s->id);
    cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (s->n_holidays == cap) {
            cap = cap ? cap * 2 : 8;
            s->holidays = grow(a, s->holidays, s->n_holidays, cap, sizeof(*s->holidays));
        }
        read_holiday(a, st, &s->holidays[s->n_holidays++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "schedule_holidays");
    }
    if (!(st = desk_stmt(c, att_sql))) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, s->id);
    size_t gcap = 0, ocap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 1);
        if (sqlite3_column_int(st, 0) == 1) {
            if (s->n_group_ids == gcap) {
                gcap = gcap ? gcap * 2 : 8;
                s->group_ids = grow(a, s->group_ids, s->n_group_ids, gcap, sizeof(int64_t));
            }
            s->group_ids[s->n_group_ids++] = id;
        } else {
            if (s->n_organization_ids == ocap) {
                ocap = ocap ? ocap * 2 : 8;
                s->organization_ids =
                    grow(a, s->organization_ids, s->n_organization_ids, ocap, sizeof(int64_t));
            }
            s->organization_ids[s->n_organization_ids++] = id;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : desk_sqlite_err(c, rc, "schedule_attachments");
}

int desk_store_schedule_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                            struct desk_schedule *out)
{
    static const char sql[] = "SELECT " SCHEDULE_COLS " FROM bh_schedules WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc = row_or_notfound(c, st, "schedule_get");
    if (rc) {
        return rc;
    }
    struct desk_schedule s;
    read_schedule(a, st, &s);
    sqlite3_reset(st);
    if ((rc = schedule_parts(c, a, &s)) == 0) {
        *out = s;
    }
    return rc;
}

int desk_store_schedule_list(struct desk_conn *c, struct desk_arena *a, struct desk_schedule **out,
                             size_t *n)
{
    static const char sql[] = "SELECT " SCHEDULE_COLS " FROM bh_schedules ORDER BY id";
    sqlite3_stmt *st = desk_stmt(c, sql);
    struct desk_schedule *items = NULL;
    size_t k = 0, cap = 0;
    int rc;
    if (!st) {
        return DESK_EINTERNAL;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap) {
            cap = cap ? cap * 2 : 8;
            items = grow(a, items, k, cap, sizeof(*items));
        }
        read_schedule(a, st, &items[k++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "schedule_list");
    }
    for (size_t i = 0; i < k; i++) {
        if ((rc = schedule_parts(c, a, &items[i])) != 0) {
            return rc;
        }
    }
    *out = items;
    *n = k;
    return 0;
}

/* Replaces the intervals and attachments of s->id. */
static int schedule_write_parts(struct desk_conn *c, const struct desk_schedule *s)
{
    static const char del_iv[] = "DELETE FROM bh_intervals WHERE schedule_id = ?";
    static const char del_att[] = "DELETE FROM bh_attachments WHERE schedule_id = ?";
    static const char ins_iv[] =
        "INSERT INTO bh_intervals(schedule_id, start_min, end_min) VALUES(?, ?, ?)";
    /* A group or organization has one schedule: attaching it here moves it. */
    static const char ins_att[] =
        "INSERT OR REPLACE INTO bh_attachments(kind, target_id, schedule_id) VALUES(?, ?, ?)";
    int rc = exec_id(c, del_iv, s->id, "schedule_intervals_delete");
    if (!rc) {
        rc = exec_id(c, del_att, s->id, "schedule_attachments_delete");
    }
    for (size_t i = 0; !rc && i < s->n_intervals; i++) {
        sqlite3_stmt *st = desk_stmt(c, ins_iv);
        if (!st) {
            return DESK_EINTERNAL;
        }
        sqlite3_bind_int64(st, 1, s->id);
        sqlite3_bind_int(st, 2, s->intervals[i].start_min);
        sqlite3_bind_int(st, 3, s->intervals[i].end_min);
        rc = desk_step_done(c, st, "schedule_interval_insert");
    }
    for (size_t k = 0; !rc && k < 2; k++) {
        const int64_t *ids = k == 0 ? s->group_ids : s->organization_ids;
        size_t n = k == 0 ? s->n_group_ids : s->n_organization_ids;
        for (size_t i = 0; !rc && i < n; i++) {
            sqlite3_stmt *st = desk_stmt(c, ins_att);
            if (!st) {
                return DESK_EINTERNAL;
            }
            sqlite3_bind_int(st, 1, (int)k + 1);
            sqlite3_bind_int64(st, 2, ids[i]);
            sqlite3_bind_int64(st, 3, s->id);
            rc = desk_step_done(c, st, "schedule_attachment_insert");
        }
    }
    return rc;
}

static int clear_default(struct desk_conn *c, int64_t except)
{
    static const char sql[] = "UPDATE bh_schedules SET is_default = 0 WHERE is_default = 1 "
                              "AND id <> ?";
    return exec_id(c, sql, except, "schedule_clear_default");
}

int desk_store_schedule_insert(struct desk_conn *c, struct desk_schedule *s)
{
    static const char sql[] = "INSERT INTO bh_schedules(name, time_zone, is_default, created_at, "
                              "updated_at) VALUES(?, ?, ?, ?, ?)";
    int rc = s->is_default ? clear_default(c, 0) : 0;
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (rc || !st) {
        return rc ? rc : DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, s->name);
    desk_bind_text(st, 2, s->time_zone);
    sqlite3_bind_int(st, 3, s->is_default);
    sqlite3_bind_int64(st, 4, s->created_at);
    sqlite3_bind_int64(st, 5, s->updated_at);
    if ((rc = desk_step_done(c, st, "schedule_insert")) != 0) {
        return rc;
    }
    s->id = sqlite3_last_insert_rowid(c->db);
    return schedule_write_parts(c, s);
}

int desk_store_schedule_update(struct desk_conn *c, const struct desk_schedule *s)
{
    static const char sql[] = "UPDATE bh_schedules SET name = ?, time_zone = ?, is_default = ?, "
                              "updated_at = ? WHERE id = ?";
    int rc = s->is_default ? clear_default(c, s->id) : 0;
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (rc || !st) {
        return rc ? rc : DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, s->name);
    desk_bind_text(st, 2, s->time_zone);
    sqlite3_bind_int(st, 3, s->is_default);
    sqlite3_bind_int64(st, 4, s->updated_at);
    sqlite3_bind_int64(st, 5, s->id);
    if ((rc = step_changed(c, st, "schedule_update")) != 0) {
        return rc;
    }
    return schedule_write_parts(c, s);
}

int desk_store_schedule_delete(struct desk_conn *c, int64_t id)
{
    static const char sql[] = "DELETE FROM bh_schedules WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, id);
    return step_changed(c, st, "schedule_delete");
}

static void bind_holiday(sqlite3_stmt *st, const struct desk_holiday *h)
{
    desk_bind_text(st, 1, h->name);
    desk_bind_text(st, 2, h->start_date);
    desk_bind_text(st, 3, h->end_date);
    sqlite3_bind_int(st, 4, h->yearly);
    sqlite3_bind_int64(st, 5, h->updated_at);
}

int desk_store_holiday_insert(struct desk_conn *c, struct desk_holiday *h)
{
    static const char sql[] = "INSERT INTO bh_holidays(name, start_date, end_date, yearly, "
                              "updated_at, schedule_id, created_at) VALUES(?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    bind_holiday(st, h);
    sqlite3_bind_int64(st, 6, h->schedule_id);
    sqlite3_bind_int64(st, 7, h->created_at);
    int rc = desk_step_done(c, st, "holiday_insert");
    if (!rc) {
        h->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

int desk_store_holiday_update(struct desk_conn *c, const struct desk_holiday *h)
{
    static const char sql[] = "UPDATE bh_holidays SET name = ?, start_date = ?, end_date = ?, "
                              "yearly = ?, updated_at = ? WHERE schedule_id = ? AND id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    bind_holiday(st, h);
    sqlite3_bind_int64(st, 6, h->schedule_id);
    sqlite3_bind_int64(st, 7, h->id);
    return step_changed(c, st, "holiday_update");
}

int desk_store_holiday_delete(struct desk_conn *c, int64_t schedule_id, int64_t id)
{
    static const char sql[] = "DELETE FROM bh_holidays WHERE schedule_id = ? AND id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, schedule_id);
    sqlite3_bind_int64(st, 2, id);
    return step_changed(c, st, "holiday_delete");
}

int desk_store_holiday_get(struct desk_conn *c, struct desk_arena *a, int64_t schedule_id,
                           int64_t id, struct desk_holiday *out)
{
    static const char sql[] =
        "SELECT " HOLIDAY_COLS " FROM bh_holidays WHERE schedule_id = ? AND id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, schedule_id);
    sqlite3_bind_int64(st, 2, id);
    int rc = row_or_notfound(c, st, "holiday_get");
    if (!rc) {
        read_holiday(a, st, out);
        sqlite3_reset(st);
    }
    return rc;
}

/* ---- policies ---------------------------------------------------------------------- */

#define POLICY_COLS                                                                                \
    "id, title, description, position, schedule_id, at_risk_pct, created_at, updated_at"

static void read_policy(struct desk_arena *a, sqlite3_stmt *st, struct desk_sla_policy *p)
{
    memset(p, 0, sizeof(*p));
    p->id = desk_col_i64(st, 0);
    p->title = desk_col_text(a, st, 1);
    p->description = desk_col_text(a, st, 2);
    p->position = desk_col_i64(st, 3);
    p->schedule_id = desk_col_i64(st, 4);
    p->at_risk_pct = (int)desk_col_i64(st, 5);
    p->created_at = desk_col_i64(st, 6);
    p->updated_at = desk_col_i64(st, 7);
}

static int policy_parts(struct desk_conn *c, struct desk_arena *a, struct desk_sla_policy *p)
{
    static const char cond_sql[] = "SELECT is_any, field, operator, value FROM "
                                   "sla_policy_conditions WHERE policy_id = ? ORDER BY id";
    static const char tgt_sql[] =
        "SELECT priority, metric, target_s, business_hours FROM sla_policy_targets "
        "WHERE policy_id = ? ORDER BY priority, metric";
    static const char act_sql[] = "SELECT on_event, action, value FROM sla_policy_actions "
                                  "WHERE policy_id = ? ORDER BY id";
    sqlite3_stmt *st = desk_stmt(c, cond_sql);
    size_t cap = 0;
    int rc;
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, p->id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (p->n_conditions == cap) {
            cap = cap ? cap * 2 : 8;
            p->conditions = grow(a, p->conditions, p->n_conditions, cap, sizeof(*p->conditions));
        }
        struct desk_sla_condition *x = &p->conditions[p->n_conditions++];
        x->any = sqlite3_column_int(st, 0) != 0;
        x->field = desk_col_text(a, st, 1);
        x->op = desk_col_text(a, st, 2);
        x->value = desk_col_text(a, st, 3);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "policy_conditions");
    }
    if (!(st = desk_stmt(c, tgt_sql))) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, p->id);
    cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (p->n_targets == cap) {
            cap = cap ? cap * 2 : 8;
            p->targets = grow(a, p->targets, p->n_targets, cap, sizeof(*p->targets));
        }
        p->targets[p->n_targets++] =
            (struct desk_sla_target){sqlite3_column_int(st, 0), sqlite3_column_int(st, 1),
                                     sqlite3_column_int64(st, 2), sqlite3_column_int(st, 3) != 0};
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "policy_targets");
    }
    if (!(st = desk_stmt(c, act_sql))) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, p->id);
    cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (p->n_actions == cap) {
            cap = cap ? cap * 2 : 4;
            p->actions = grow(a, p->actions, p->n_actions, cap, sizeof(*p->actions));
        }
        p->actions[p->n_actions++] = (struct desk_sla_action){
            sqlite3_column_int(st, 0), sqlite3_column_int(st, 1), desk_col_text(a, st, 2)};
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : desk_sqlite_err(c, rc, "policy_actions");
}

int desk_store_policy_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                          struct desk_sla_policy *out)
{
    static const char sql[] = "SELECT " POLICY_COLS " FROM sla_policies WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc = row_or_notfound(c, st, "policy_get");
    if (rc) {
        return rc;
    }
    struct desk_sla_policy p;
    read_policy(a, st, &p);
    sqlite3_reset(st);
    if ((rc = policy_parts(c, a, &p)) == 0) {
        *out = p;
    }
    return rc;
}

int desk_store_policy_list(struct desk_conn *c, struct desk_arena *a, struct desk_sla_policy **out,
                           size_t *n)
{
    static const char sql[] = "SELECT " POLICY_COLS " FROM sla_policies ORDER BY position, id";
    sqlite3_stmt *st = desk_stmt(c, sql);
    struct desk_sla_policy *items = NULL;
    size_t k = 0, cap = 0;
    int rc;
    if (!st) {
        return DESK_EINTERNAL;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap) {
            cap = cap ? cap * 2 : 8;
            items = grow(a, items, k, cap, sizeof(*items));
        }
        read_policy(a, st, &items[k++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "policy_list");
    }
    for (size_t i = 0; i < k; i++) {
        if ((rc = policy_parts(c, a, &items[i])) != 0) {
            return rc;
        }
    }
    *out = items;
    *n = k;
    return 0;
}

static int policy_write_parts(struct desk_conn *c, const struct desk_sla_policy *p)
{
    static const char del_c[] = "DELETE FROM sla_policy_conditions WHERE policy_id = ?";
    static const char del_t[] = "DELETE FROM sla_policy_targets WHERE policy_id = ?";
    static const char del_a[] = "DELETE FROM sla_policy_actions WHERE policy_id = ?";
    static const char ins_c[] = "INSERT INTO sla_policy_conditions(policy_id, is_any, field, "
                                "operator, value) VALUES(?, ?, ?, ?, ?)";
    static const char ins_t[] = "INSERT INTO sla_policy_targets(policy_id, priority, metric, "
                                "target_s, business_hours) VALUES(?, ?, ?, ?, ?)";
    static const char ins_a[] =
        "INSERT INTO sla_policy_actions(policy_id, on_event, action, value) VALUES(?, ?, ?, ?)";
    int rc = exec_id(c, del_c, p->id, "policy_conditions_delete");
    rc = rc ? rc : exec_id(c, del_t, p->id, "policy_targets_delete");
    rc = rc ? rc : exec_id(c, del_a, p->id, "policy_actions_delete");
    for (size_t i = 0; !rc && i < p->n_conditions; i++) {
        sqlite3_stmt *st = desk_stmt(c, ins_c);
        if (!st) {
            return DESK_EINTERNAL;
        }
        sqlite3_bind_int64(st, 1, p->id);
        sqlite3_bind_int(st, 2, p->conditions[i].any);
        desk_bind_text(st, 3, p->conditions[i].field);
        desk_bind_text(st, 4, p->conditions[i].op);
        desk_bind_text(st, 5, p->conditions[i].value ? p->conditions[i].value : "");
        rc = desk_step_done(c, st, "policy_condition_insert");
    }
    for (size_t i = 0; !rc && i < p->n_targets; i++) {
        sqlite3_stmt *st = desk_stmt(c, ins_t);
        if (!st) {
            return DESK_EINTERNAL;
        }
        sqlite3_bind_int64(st, 1, p->id);
        sqlite3_bind_int(st, 2, p->targets[i].priority);
        sqlite3_bind_int(st, 3, p->targets[i].metric);
        sqlite3_bind_int64(st, 4, p->targets[i].target_s);
        sqlite3_bind_int(st, 5, p->targets[i].business_hours);
        rc = desk_step_done(c, st, "policy_target_insert");
    }
    for (size_t i = 0; !rc && i < p->n_actions; i++) {
        sqlite3_stmt *st = desk_stmt(c, ins_a);
        if (!st) {
            return DESK_EINTERNAL;
        }
        sqlite3_bind_int64(st, 1, p->id);
        sqlite3_bind_int(st, 2, p->actions[i].on);
        sqlite3_bind_int(st, 3, p->actions[i].kind);
        desk_bind_text(st, 4, p->actions[i].value);
        rc = desk_step_done(c, st, "policy_action_insert");
    }
    return rc;
}

static void bind_policy(sqlite3_stmt *st, const struct desk_sla_policy *p)
{
    desk_bind_text(st, 1, p->title);
    desk_bind_text(st, 2, p->description ? p->description : "");
    sqlite3_bind_int64(st, 3, p->position);
    desk_bind_id(st, 4, p->schedule_id);
    sqlite3_bind_int(st, 5, p->at_risk_pct);
    sqlite3_bind_int64(st, 6, p->updated_at);
}

int desk_store_policy_insert(struct desk_conn *c, struct desk_sla_policy *p)
{
    static const char sql[] = "INSERT INTO sla_policies(title, description, position, schedule_id, "
                              "at_risk_pct, updated_at, created_at) VALUES(?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    bind_policy(st, p);
    sqlite3_bind_int64(st, 7, p->created_at);
    int rc = desk_step_done(c, st, "policy_insert");
    if (rc) {
        return rc;
    }
    p->id = sqlite3_last_insert_rowid(c->db);
    return policy_write_parts(c, p);
}

int desk_store_policy_update(struct desk_conn *c, const struct desk_sla_policy *p)
{
    static const char sql[] = "UPDATE sla_policies SET title = ?, description = ?, position = ?, "
                              "schedule_id = ?, at_risk_pct = ?, updated_at = ? WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    bind_policy(st, p);
    sqlite3_bind_int64(st, 7, p->id);
    int rc = step_changed(c, st, "policy_update");
    return rc ? rc : policy_write_parts(c, p);
}

int desk_store_policy_delete(struct desk_conn *c, int64_t id)
{
    static const char sql[] = "DELETE FROM sla_policies WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, id);
    return step_changed(c, st, "policy_delete");
}

/* ---- clocks ---------------------------------------------------------------------------- */

#define CLOCK_COLS                                                                                 \
    "ticket_id, metric, cycle, state, started_at, last_at, elapsed_ms, paused_ms, policy_id, "     \
    "target_s, business_hours, schedule_id, due_at, risk_at, breached, at_risk, next_at, "         \
    "rules_version"

int desk_store_sla_clocks(struct desk_conn *c, int64_t ticket_id,
                          struct desk_sla_clock out[DESK_SLA_N_METRICS],
                          bool present[DESK_SLA_N_METRICS])
{
    static const char sql[] = "SELECT " CLOCK_COLS " FROM sla_clocks WHERE ticket_id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    int rc;
    if (!st) {
        return DESK_EINTERNAL;
    }
    memset(out, 0, DESK_SLA_N_METRICS * sizeof(*out));
    memset(present, 0, DESK_SLA_N_METRICS * sizeof(*present));
    sqlite3_bind_int64(st, 1, ticket_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int m = sqlite3_column_int(st, 1);
        if (m < 0 || m >= DESK_SLA_N_METRICS) {
            continue;
        }
        struct desk_sla_clock *k = &out[m];
        k->ticket_id = desk_col_i64(st, 0);
        k->metric = m;
        k->cycle = sqlite3_column_int(st, 2);
        k->state = sqlite3_column_int(st, 3);
        k->started_at = desk_col_i64(st, 4);
        k->last_at = desk_col_i64(st, 5);
        k->elapsed_ms = desk_col_i64(st, 6);
        k->paused_ms = desk_col_i64(st, 7);
        k->policy_id = desk_col_i64(st, 8);
        k->target_s = desk_col_i64(st, 9);
        k->business_hours = desk_col_i64(st, 10) != 0;
        k->schedule_id = desk_col_i64(st, 11);
        k->due_at = desk_col_i64(st, 12);
        k->risk_at = desk_col_i64(st, 13);
        k->breached = desk_col_i64(st, 14) != 0;
        k->at_risk = desk_col_i64(st, 15) != 0;
        k->next_at = desk_col_i64(st, 16);
        k->rules_version = desk_col_i64(st, 17);
        present[m] = true;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : desk_sqlite_err(c, rc, "sla_clocks");
}

int desk_store_sla_clock_put(struct desk_conn *c, const struct desk_sla_clock *k)
{
    static const char sql[] = "INSERT OR REPLACE INTO sla_clocks(" CLOCK_COLS
                              ") VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, k->ticket_id);
    sqlite3_bind_int(st, 2, k->metric);
    sqlite3_bind_int(st, 3, k->cycle);
    sqlite3_bind_int(st, 4, k->state);
    sqlite3_bind_int64(st, 5, k->started_at);
    sqlite3_bind_int64(st, 6, k->last_at);
    sqlite3_bind_int64(st, 7, k->elapsed_ms);
    sqlite3_bind_int64(st, 8, k->paused_ms);
    desk_bind_id(st, 9, k->policy_id);
    desk_bind_id(st, 10, k->target_s);
    sqlite3_bind_int(st, 11, k->business_hours);
    desk_bind_id(st, 12, k->schedule_id);
    desk_bind_id(st, 13, k->due_at);
    desk_bind_id(st, 14, k->risk_at);
    sqlite3_bind_int(st, 15, k->breached);
    sqlite3_bind_int(st, 16, k->at_risk);
    desk_bind_id(st, 17, k->next_at);
    sqlite3_bind_int64(st, 18, k->rules_version);
    return desk_step_done(c, st, "sla_clock_put");
}

int desk_store_sla_next(struct desk_conn *c, struct desk_sla_due_key after, size_t limit,
                        struct desk_sla_due_key *out, size_t *n)
{
    static const char sql[] = "SELECT next_at, ticket_id FROM sla_clocks "
                              "WHERE next_at IS NOT NULL AND (next_at, ticket_id) > (?, ?) "
                              "ORDER BY next_at, ticket_id LIMIT ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    size_t k = 0;
    int rc;
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, after.next_at);
    sqlite3_bind_int64(st, 2, after.ticket_id);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < limit) {
        out[k].next_at = sqlite3_column_int64(st, 0);
        out[k].ticket_id = sqlite3_column_int64(st, 1);
        k++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        return desk_sqlite_err(c, rc, "sla_next");
    }
    *n = k;
    return 0;
}

int desk_store_sla_stale(struct desk_conn *c, int64_t schedule_id, int64_t policy_id,
                         int64_t version, size_t limit, int64_t *ticket_ids, size_t *n)
{
    static const char by_schedule[] =
        "SELECT DISTINCT ticket_id FROM sla_clocks WHERE schedule_id = ? AND rules_version < ? "
        "AND state = 1 LIMIT ?";
    static const char by_policy[] =
        "SELECT DISTINCT ticket_id FROM sla_clocks WHERE policy_id = ? AND rules_version < ? "
        "AND state IN (1, 2) LIMIT ?";
    sqlite3_stmt *st = desk_stmt(c, schedule_id ? by_schedule : by_policy);
    size_t k = 0;
    int rc;
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, schedule_id ? schedule_id : policy_id);
    sqlite3_bind_int64(st, 2, version);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < limit) {
        ticket_ids[k++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        return desk_sqlite_err(c, rc, "sla_stale");
    }
    *n = k;
    return 0;
}

/* ---- events ------------------------------------------------------------------------------ */

#define EVENT_COLS                                                                                 \
    "id, ticket_id, metric, cycle, type, at, elapsed_ms, paused_ms, policy_id, target_s, "         \
    "business_hours, schedule_id, due_at, reason, created_at"

static void read_event(struct desk_arena *a, sqlite3_stmt *st, struct desk_sla_event *e)
{
    e->id = desk_col_i64(st, 0);
    e->ticket_id = desk_col_i64(st, 1);
    e->metric = sqlite3_column_int(st, 2);
    e->cycle = sqlite3_column_int(st, 3);
    e->type = sqlite3_column_int(st, 4);
    e->at = desk_col_i64(st, 5);
    e->elapsed_ms = desk_col_i64(st, 6);
    e->paused_ms = desk_col_i64(st, 7);
    e->policy_id = desk_col_i64(st, 8);
    e->target_s = desk_col_i64(st, 9);
    e->business_hours = desk_col_i64(st, 10) != 0;
    e->schedule_id = desk_col_i64(st, 11);
    e->due_at = desk_col_i64(st, 12);
    e->reason = desk_col_text(a, st, 13);
    e->created_at = desk_col_i64(st, 14);
}

int desk_store_sla_event_insert(struct desk_conn *c, struct desk_sla_event *e)
{
    static const char sql[] = "INSERT INTO sla_events(ticket_id, metric, cycle, type, at, "
                              "elapsed_ms, paused_ms, policy_id, target_s, business_hours, "
                              "schedule_id, due_at, reason, created_at) "
                              "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, e->ticket_id);
    sqlite3_bind_int(st, 2, e->metric);
    sqlite3_bind_int(st, 3, e->cycle);
    sqlite3_bind_int(st, 4, e->type);
    sqlite3_bind_int64(st, 5, e->at);
    sqlite3_bind_int64(st, 6, e->elapsed_ms);
    sqlite3_bind_int64(st, 7, e->paused_ms);
    desk_bind_id(st, 8, e->policy_id);
    desk_bind_id(st, 9, e->target_s);
    sqlite3_bind_int(st, 10, e->business_hours);
    desk_bind_id(st, 11, e->schedule_id);
    desk_bind_id(st, 12, e->due_at);
    desk_bind_text(st, 13, e->reason);
    sqlite3_bind_int64(st, 14, e->created_at);
    int rc = desk_step_done(c, st, "sla_event_insert");
    if (!rc) {
        e->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

/* Reads every row of st (bound by the caller) into a growing arena array. */
static int read_events(struct desk_conn *c, struct desk_arena *a, sqlite3_stmt *st, size_t limit,
                       struct desk_sla_event **out, size_t *n)
{
    struct desk_sla_event *items = NULL;
    size_t k = 0, cap = 0;
    int rc;
    while (k < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap) {
            cap = cap ? cap * 2 : 16;
            items = grow(a, items, k, cap, sizeof(*items));
        }
        read_event(a, st, &items[k++]);
    }
    if (k == limit) {
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "sla_events");
    }
    *out = items;
    *n = k;
    return 0;
}

int desk_store_sla_events(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id, int metric,
                          int cycle, struct desk_sla_event **out, size_t *n)
{
    static const char all[] =
        "SELECT " EVENT_COLS " FROM sla_events WHERE ticket_id = ? ORDER BY id";
    static const char one[] = "SELECT " EVENT_COLS " FROM sla_events WHERE ticket_id = ? "
                              "AND metric = ? AND cycle = ? ORDER BY id";
    sqlite3_stmt *st = desk_stmt(c, metric < 0 ? all : one);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, ticket_id);
    if (metric >= 0) {
        sqlite3_bind_int(st, 2, metric);
        sqlite3_bind_int(st, 3, cycle);
    }
    return read_events(c, a, st, SIZE_MAX, out, n);
}

/* The smallest event id at or after id, and its created_at; false when none. */
static int event_at_or_after(struct desk_conn *c, int64_t id, int64_t *found, int64_t *created,
                             bool *any)
{
    static const char sql[] =
        "SELECT id, created_at FROM sla_events WHERE id >= ? ORDER BY id LIMIT 1";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    *any = rc == SQLITE_ROW;
    if (*any) {
        *found = sqlite3_column_int64(st, 0);
        *created = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : desk_sqlite_err(c, rc, "sla_event_seek");
}

int desk_store_sla_events_since(struct desk_conn *c, struct desk_arena *a, int64_t since_ms,
                                int64_t after_id, size_t limit, struct desk_sla_event **out,
                                size_t *n)
{
    static const char sql[] = "SELECT " EVENT_COLS " FROM sla_events WHERE id > ? "
                              "ORDER BY id LIMIT ?";
    static const char max_sql[] = "SELECT ifnull(max(id), 0) FROM sla_events";
    int rc;
    if (!after_id) {
        /* created_at grows with id (one writer stamps each event with its write's time),
         * so the first event at or after since_ms is found by bisecting the ids. */
        sqlite3_stmt *st = desk_stmt(c, max_sql);
        if (!st) {
            return DESK_EINTERNAL;
        }
        if ((rc = row_or_notfound(c, st, "sla_event_max")) != 0) {
            return rc;
        }
        int64_t lo = 1, hi = sqlite3_column_int64(st, 0) + 1;
        sqlite3_reset(st);
        while (lo < hi) {
            int64_t mid = lo + (hi - lo) / 2, found, created;
            bool any;
            if ((rc = event_at_or_after(c, mid, &found, &created, &any)) != 0) {
                return rc;
            }
            if (!any || created >= since_ms) {
                hi = mid;
            } else {
                lo = found + 1;
            }
        }
        after_id = lo - 1;
    }
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, after_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
    return read_events(c, a, st, limit, out, n);
}

int desk_store_sla_due_list(struct desk_conn *c, struct desk_arena *a, int64_t assignee_id,
                            int64_t group_id, int64_t from_ms, int64_t to_ms, size_t limit,
                            struct desk_sla_due **out, size_t *n)
{
    static const char sql[] =
        "SELECT k.ticket_id, k.metric, k.cycle, k.due_at, k.risk_at, k.breached, k.at_risk, "
        "t.subject, t.priority, t.assignee_id, t.group_id FROM tickets t "
        "JOIN sla_clocks k ON k.ticket_id = t.id "
        "WHERE (?1 = 0 OR t.assignee_id = ?1) AND (?2 = 0 OR t.group_id = ?2) "
        "AND t.deleted_at IS NULL AND t.status < 4 AND k.state = 1 AND k.due_at IS NOT NULL "
        "AND k.due_at >= ?3 AND k.due_at < ?4 ORDER BY k.due_at, k.ticket_id LIMIT ?5";
    sqlite3_stmt *st = desk_stmt(c, sql);
    struct desk_sla_due *items = NULL;
    size_t k = 0, cap = 0;
    int rc;
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, assignee_id);
    sqlite3_bind_int64(st, 2, group_id);
    sqlite3_bind_int64(st, 3, from_ms);
    sqlite3_bind_int64(st, 4, to_ms);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)limit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap) {
            cap = cap ? cap * 2 : 16;
            items = grow(a, items, k, cap, sizeof(*items));
        }
        struct desk_sla_due *d = &items[k++];
        d->ticket_id = desk_col_i64(st, 0);
        d->metric = sqlite3_column_int(st, 1);
        d->cycle = sqlite3_column_int(st, 2);
        d->due_at = desk_col_i64(st, 3);
        d->risk_at = desk_col_i64(st, 4);
        d->breached = desk_col_i64(st, 5) != 0;
        d->at_risk = desk_col_i64(st, 6) != 0;
        d->subject = desk_col_text(a, st, 7);
        d->priority = sqlite3_column_int(st, 8);
        d->assignee_id = desk_col_i64(st, 9);
        d->group_id = desk_col_i64(st, 10);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "sla_due_list");
    }
    *out = items;
    *n = k;
    return 0;
}

/* ---- alerts -----------------------------------------------------------------------------------
 */

int desk_store_sla_alert_insert(struct desk_conn *c, struct desk_sla_alert *al)
{
    static const char sql[] = "INSERT INTO sla_alerts(ticket_id, user_id, metric, kind, due_at, "
                              "created_at) VALUES(?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, al->ticket_id);
    sqlite3_bind_int64(st, 2, al->user_id);
    sqlite3_bind_int(st, 3, al->metric);
    sqlite3_bind_int(st, 4, al->kind);
    desk_bind_id(st, 5, al->due_at);
    sqlite3_bind_int64(st, 6, al->created_at);
    int rc = desk_step_done(c, st, "sla_alert_insert");
    if (!rc) {
        al->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

static void read_alert(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_sla_alert *al = item;
    (void)a;
    al->id = desk_col_i64(st, 0);
    al->ticket_id = desk_col_i64(st, 1);
    al->user_id = desk_col_i64(st, 2);
    al->metric = sqlite3_column_int(st, 3);
    al->kind = sqlite3_column_int(st, 4);
    al->due_at = desk_col_i64(st, 5);
    al->created_at = desk_col_i64(st, 6);
    al->read_at = desk_col_i64(st, 7);
}

static int bind_user(sqlite3_stmt *st, int i, const void *ctx)
{
    sqlite3_bind_int64(st, i, *(const int64_t *)ctx);
    sqlite3_bind_int64(st, i + 1, *(const int64_t *)ctx);
    return i + 2;
}

int desk_store_sla_alert_list(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                              const struct desk_page *p, struct desk_sla_alert **items,
                              struct desk_page_out *out)
{
    static const char sql[] = "SELECT id, ticket_id, user_id, metric, kind, due_at, created_at, "
                              "read_at FROM sla_alerts WHERE (? = 0 OR user_id = ?)";
    static const char count[] = "SELECT count(*) FROM sla_alerts WHERE (? = 0 OR user_id = ?)";
    struct desk_lister l = {c,          a,         p,       sizeof(struct desk_sla_alert),
                            read_alert, bind_user, &user_id};
    return desk_list_run(&l, sql, count, "id", (void **)items, out);
}
