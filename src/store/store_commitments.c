/*
 * Commitments in SQLite (see store_commitments.h). The scheduler time
 * (next_at) is derived here from the model's rule on every write, so the
 * partial index the reminder thread reads can never disagree with a row.
 */
#include "store/store_commitments.h"
#include "core/buf.h"
#include "store/store_int.h"

#include <string.h>

#define CMT_COLS                                                                                   \
    "m.id, m.ticket_id, m.owner_id, m.creator_id, m.due_at, m.time_zone, m.due_fit, m.note, "      \
    "m.state, m.remind_at, m.reminded_at, m.resolved_at, m.resolved_by, m.created_at, "            \
    "m.updated_at"
#define CMT_NCOLS 15

static void read_commitment(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_commitment *cm = item;
    memset(cm, 0, sizeof(*cm));
    cm->id = desk_col_i64(st, 0);
    cm->ticket_id = desk_col_i64(st, 1);
    cm->owner_id = desk_col_i64(st, 2);
    cm->creator_id = desk_col_i64(st, 3);
    cm->due_at = desk_col_i64(st, 4);
    cm->time_zone = desk_col_text(a, st, 5);
    cm->due_fit = desk_col_text(a, st, 6);
    cm->note = desk_col_text(a, st, 7);
    cm->state = (int)desk_col_i64(st, 8);
    cm->remind_at = desk_col_i64(st, 9);
    cm->reminded_at = desk_col_i64(st, 10);
    cm->resolved_at = desk_col_i64(st, 11);
    cm->resolved_by = desk_col_i64(st, 12);
    cm->created_at = desk_col_i64(st, 13);
    cm->updated_at = desk_col_i64(st, 14);
}

/* Binds the mutable fields from parameter 1 (the same order in insert and update). */
static void bind_mutable(sqlite3_stmt *st, const struct desk_commitment *cm)
{
    sqlite3_bind_int64(st, 1, cm->owner_id);
    sqlite3_bind_int64(st, 2, cm->due_at);
    desk_bind_text(st, 3, cm->time_zone);
    desk_bind_text(st, 4, cm->due_fit);
    desk_bind_text(st, 5, cm->note ? cm->note : "");
    sqlite3_bind_int(st, 6, cm->state);
    desk_bind_id(st, 7, cm->remind_at);
    desk_bind_id(st, 8, cm->reminded_at);
    desk_bind_id(st, 9, desk_commitment_next_at(cm));
    desk_bind_id(st, 10, cm->resolved_at);
    desk_bind_id(st, 11, cm->resolved_by);
    sqlite3_bind_int64(st, 12, cm->updated_at);
}

int desk_store_commitment_insert(struct desk_conn *c, struct desk_commitment *cm)
{
    static const char sql[] =
        "INSERT INTO commitments (owner_id, due_at, time_zone, due_fit, note, state, remind_at, "
        "reminded_at, next_at, resolved_at, resolved_by, updated_at, ticket_id, creator_id, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    bind_mutable(st, cm);
    sqlite3_bind_int64(st, 13, cm->ticket_id);
    sqlite3_bind_int64(st, 14, cm->creator_id);
    sqlite3_bind_int64(st, 15, cm->created_at);
    int rc = desk_step_done(c, st, "commitment_insert");
    if (!rc) {
        cm->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

int desk_store_commitment_update(struct desk_conn *c, const struct desk_commitment *cm)
{
    static const char sql[] =
        "UPDATE commitments SET owner_id = ?, due_at = ?, time_zone = ?, due_fit = ?, note = ?, "
        "state = ?, remind_at = ?, reminded_at = ?, next_at = ?, resolved_at = ?, "
        "resolved_by = ?, updated_at = ? WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    bind_mutable(st, cm);
    sqlite3_bind_int64(st, 13, cm->id);
    int rc = desk_step_done(c, st, "commitment_update");
    if (!rc && sqlite3_changes(c->db) == 0) {
        rc = DESK_ENOTFOUND;
    }
    return rc;
}

int desk_store_commitment_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                              struct desk_commitment *out)
{
    static const char sql[] = "SELECT " CMT_COLS " FROM commitments m WHERE m.id = ?";
    return desk_row_by_id(c, a, sql, id, read_commitment, out, "commitment_get");
}

static void filter_sql(struct desk_buf *b, const struct desk_commitment_filter *f)
{
    if (f->ticket_id) {
        desk_buf_adds(b, " AND m.ticket_id = ?");
    }
    if (f->owner_id) {
        desk_buf_adds(b, " AND m.owner_id = ?");
    }
    if (f->state >= 0) {
        desk_buf_adds(b, " AND m.state = ?");
    }
    if (f->due_before) {
        desk_buf_adds(b, " AND m.due_at < ?");
    }
    if (f->due_after) {
        desk_buf_adds(b, " AND m.due_at >= ?");
    }
    if (f->group_id) {
        desk_buf_adds(b, " AND m.ticket_id IN (SELECT id FROM tickets WHERE group_id = ?)");
    }
    if (f->team_of) {
        desk_buf_adds(b, " AND (m.owner_id = ? OR m.owner_id IN (SELECT g2.user_id FROM "
                         "group_memberships g1 JOIN group_memberships g2 ON g2.group_id = "
                         "g1.group_id WHERE g1.user_id = ?))");
    }
}

static int bind_filter(sqlite3_stmt *st, int i, const void *ctx)
{
    const struct desk_commitment_filter *f = ctx;
    if (f->ticket_id) {
        sqlite3_bind_int64(st, i++, f->ticket_id);
    }
    if (f->owner_id) {
        sqlite3_bind_int64(st, i++, f->owner_id);
    }
    if (f->state >= 0) {
        sqlite3_bind_int(st, i++, f->state);
    }
    if (f->due_before) {
        sqlite3_bind_int64(st, i++, f->due_before);
    }
    if (f->due_after) {
        sqlite3_bind_int64(st, i++, f->due_after);
    }
    if (f->group_id) {
        sqlite3_bind_int64(st, i++, f->group_id);
    }
    if (f->team_of) {
        sqlite3_bind_int64(st, i++, f->team_of);
        sqlite3_bind_int64(st, i++, f->team_of);
    }
    return i;
}

int desk_store_commitment_list(struct desk_conn *c, struct desk_arena *a,
                               const struct desk_commitment_filter *f, const struct desk_page *p,
                               struct desk_commitment **items, struct desk_page_out *out)
{
    struct desk_buf where, sel, cnt;
    desk_buf_init(&where, 0);
    desk_buf_init(&sel, 0);
    desk_buf_init(&cnt, 0);
    desk_buf_adds(&where, "");
    filter_sql(&where, f);
    desk_buf_addf(&sel, "SELECT " CMT_COLS " FROM commitments m WHERE 1%s", where.data);
    desk_buf_addf(&cnt, "SELECT count(*) FROM commitments m WHERE 1%s", where.data);
    struct desk_lister l = {c,           a, p, sizeof(struct desk_commitment), read_commitment,
                            bind_filter, f};
    int rc = desk_list_run(&l, sel.data, cnt.data, "m.id", (void **)items, out);
    desk_buf_release(&where);
    desk_buf_release(&sel);
    desk_buf_release(&cnt);
    return rc;
}

int desk_store_commitment_entries(struct desk_conn *c, struct desk_arena *a,
                                  const struct desk_commitment_filter *f, int limit,
                                  struct desk_commitment_entry **items, size_t *n)
{
    struct desk_buf sql;
    desk_buf_init(&sql, 0);
    desk_buf_adds(&sql, "SELECT " CMT_COLS ", t.subject, t.status, u.name FROM commitments m "
                        "JOIN tickets t ON t.id = m.ticket_id JOIN users u ON u.id = m.owner_id "
                        "WHERE t.deleted_at IS NULL");
    filter_sql(&sql, f);
    desk_buf_addf(&sql, " ORDER BY m.due_at, m.id LIMIT %d", limit > 0 ? limit : 1);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, sql.data, -1, &st, NULL);
    desk_buf_release(&sql);
    if (rc != SQLITE_OK) {
        return desk_sqlite_err(c, rc, "commitment_entries");
    }
    bind_filter(st, 1, f);
    size_t cap = (size_t)(limit > 0 ? limit : 1), k = 0;
    struct desk_commitment_entry *arr = desk_arena_alloc(a, cap * sizeof(*arr));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < cap) {
        read_commitment(a, st, &arr[k].cm);
        arr[k].ticket_subject = desk_col_text(a, st, CMT_NCOLS);
        arr[k].ticket_status = (int)desk_col_i64(st, CMT_NCOLS + 1);
        arr[k].owner_name = desk_col_text(a, st, CMT_NCOLS + 2);
        k++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        return desk_sqlite_err(c, rc, "commitment_entries");
    }
    *items = arr;
    *n = k;
    return 0;
}

int desk_store_commitment_summary(struct desk_conn *c, int64_t ticket_id,
                                  struct desk_commitment_summary *out)
{
    static const char counts[] =
        "SELECT state, count(*) FROM commitments WHERE ticket_id = ? GROUP BY state";
    static const char next[] = "SELECT id, due_at, owner_id FROM commitments WHERE ticket_id = ? "
                               "AND state = 0 ORDER BY due_at, id LIMIT 1";
    struct desk_commitment_summary s;
    memset(&s, 0, sizeof(s));
    sqlite3_stmt *st = desk_stmt(c, counts);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, ticket_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int state = sqlite3_column_int(st, 0);
        if (state >= 0 && state < 4) {
            s.count[state] = sqlite3_column_int64(st, 1);
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "commitment_summary");
    }
    if (s.count[DESK_CMT_OPEN]) {
        if (!(st = desk_stmt(c, next))) {
            return DESK_EINTERNAL;
        }
        sqlite3_bind_int64(st, 1, ticket_id);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            s.next_id = sqlite3_column_int64(st, 0);
            s.next_due_at = sqlite3_column_int64(st, 1);
            s.next_owner_id = sqlite3_column_int64(st, 2);
            rc = SQLITE_DONE;
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            return desk_sqlite_err(c, rc, "commitment_summary");
        }
    }
    *out = s;
    return 0;
}

int desk_store_commitment_next_at(struct desk_conn *c, int64_t *out)
{
    /* The head of the partial index commitments_next: one seek, however many rows there are. */
    static const char sql[] = "SELECT next_at FROM commitments WHERE next_at IS NOT NULL "
                              "ORDER BY next_at LIMIT 1";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    int rc = sqlite3_step(st);
    int64_t v = 0;
    if (rc == SQLITE_ROW) {
        v = sqlite3_column_int64(st, 0);
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "commitment_next_at");
    }
    *out = v;
    return 0;
}

int desk_store_commitment_due(struct desk_conn *c, struct desk_arena *a, int64_t now, int limit,
                              struct desk_commitment **items, size_t *n)
{
    static const char sql[] = "SELECT " CMT_COLS " FROM commitments m WHERE m.next_at IS NOT NULL "
                              "AND m.next_at <= ? ORDER BY m.next_at, m.id LIMIT ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    size_t cap = (size_t)(limit > 0 ? limit : 1), k = 0;
    struct desk_commitment *arr = desk_arena_alloc(a, cap * sizeof(*arr));
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int(st, 2, (int)cap);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < cap) {
        read_commitment(a, st, &arr[k++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        return desk_sqlite_err(c, rc, "commitment_due");
    }
    *items = arr;
    *n = k;
    return 0;
}

/* Runs st (bound) and collects up to max ids from column 0. */
static int collect_ids(struct desk_conn *c, sqlite3_stmt *st, struct desk_arena *a, size_t max,
                       int64_t **ids, size_t *n)
{
    int64_t *arr = desk_arena_alloc(a, (max ? max : 1) * sizeof(*arr));
    size_t k = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < max) {
        arr[k++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        return desk_sqlite_err(c, rc, "supervisors_of");
    }
    *ids = arr;
    *n = k;
    return 0;
}

int desk_store_supervisors_of(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                              size_t max, int64_t **ids, size_t *n)
{
    static const char sups[] =
        "SELECT DISTINCT u.id FROM group_memberships g1 JOIN group_memberships g2 ON "
        "g2.group_id = g1.group_id JOIN groups g ON g.id = g1.group_id AND g.deleted = 0 "
        "JOIN users u ON u.id = g2.user_id WHERE g1.user_id = ? AND u.role = 2 AND "
        "u.active = 1 AND u.id <> ? ORDER BY u.id";
    static const char admins[] =
        "SELECT id FROM users WHERE role = 3 AND active = 1 AND id <> ? ORDER BY id";
    sqlite3_stmt *st = desk_stmt(c, sups);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, user_id);
    int rc = collect_ids(c, st, a, max, ids, n);
    if (rc || *n) {
        return rc;
    }
    if (!(st = desk_stmt(c, admins))) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, user_id);
    return collect_ids(c, st, a, max, ids, n);
}

/* ---- alerts ---------------------------------------------------------------- */

#define ALERT_COLS                                                                                 \
    "id, recipient_id, kind, ticket_id, commitment_id, about_user_id, message, created_at, "       \
    "read_at"

static void read_alert(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_alert *al = item;
    memset(al, 0, sizeof(*al));
    al->id = desk_col_i64(st, 0);
    al->recipient_id = desk_col_i64(st, 1);
    al->kind = desk_col_text(a, st, 2);
    al->ticket_id = desk_col_i64(st, 3);
    al->commitment_id = desk_col_i64(st, 4);
    al->about_user_id = desk_col_i64(st, 5);
    al->message = desk_col_text(a, st, 6);
    al->created_at = desk_col_i64(st, 7);
    al->read_at = desk_col_i64(st, 8);
}

int desk_store_alert_insert(struct desk_conn *c, struct desk_alert *al)
{
    static const char sql[] = "INSERT INTO alerts (recipient_id, kind, ticket_id, commitment_id, "
                              "about_user_id, message, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, al->recipient_id);
    desk_bind_text(st, 2, al->kind);
    desk_bind_id(st, 3, al->ticket_id);
    desk_bind_id(st, 4, al->commitment_id);
    desk_bind_id(st, 5, al->about_user_id);
    desk_bind_text(st, 6, al->message ? al->message : "");
    sqlite3_bind_int64(st, 7, al->created_at);
    int rc = desk_step_done(c, st, "alert_insert");
    if (!rc) {
        al->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

int desk_store_alert_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                         struct desk_alert *out)
{
    static const char sql[] = "SELECT " ALERT_COLS " FROM alerts WHERE id = ?";
    return desk_row_by_id(c, a, sql, id, read_alert, out, "alert_get");
}

struct alert_filter {
    int64_t recipient_id;
    bool unread_only;
};

static int bind_alert_filter(sqlite3_stmt *st, int i, const void *ctx)
{
    const struct alert_filter *f = ctx;
    sqlite3_bind_int64(st, i++, f->recipient_id);
    return i;
}

int desk_store_alert_list(struct desk_conn *c, struct desk_arena *a, int64_t recipient_id,
                          bool unread_only, const struct desk_page *p, struct desk_alert **items,
                          struct desk_page_out *out)
{
    static const char sel_all[] = "SELECT " ALERT_COLS " FROM alerts WHERE recipient_id = ?";
    static const char cnt_all[] = "SELECT count(*) FROM alerts WHERE recipient_id = ?";
    static const char sel_unread[] =
        "SELECT " ALERT_COLS " FROM alerts WHERE recipient_id = ? AND read_at IS NULL";
    static const char cnt_unread[] =
        "SELECT count(*) FROM alerts WHERE recipient_id = ? AND read_at IS NULL";
    struct alert_filter f = {recipient_id, unread_only};
    struct desk_lister l = {c, a, p, sizeof(struct desk_alert), read_alert, bind_alert_filter, &f};
    return desk_list_run(&l, unread_only ? sel_unread : sel_all, unread_only ? cnt_unread : cnt_all,
                         "id", (void **)items, out);
}

int desk_store_alert_set_read(struct desk_conn *c, int64_t id, int64_t read_at)
{
    static const char sql[] = "UPDATE alerts SET read_at = ? WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_id(st, 1, read_at);
    sqlite3_bind_int64(st, 2, id);
    return desk_step_done(c, st, "alert_set_read");
}

/* ---- the calendar ---------------------------------------------------------- */

int desk_store_tickets_due(struct desk_conn *c, struct desk_arena *a,
                           const struct desk_due_filter *f, int limit, struct desk_ticket **items,
                           size_t *n)
{
    struct desk_buf sql;
    desk_buf_init(&sql, 0);
    desk_buf_adds(&sql, "SELECT id, subject, status, priority, assignee_id, group_id, due_at, "
                        "created_at, updated_at FROM tickets WHERE deleted_at IS NULL AND "
                        "status < 4 AND due_at IS NOT NULL AND due_at >= ? AND due_at < ?");
    if (f->assignee_id) {
        desk_buf_adds(&sql, " AND assignee_id = ?");
    }
    if (f->group_id) {
        desk_buf_adds(&sql, " AND group_id = ?");
    }
    if (f->groups_of) {
        desk_buf_adds(&sql, " AND group_id IN (SELECT group_id FROM group_memberships WHERE "
                            "user_id = ?)");
    }
    desk_buf_addf(&sql, " ORDER BY due_at, id LIMIT %d", limit > 0 ? limit : 1);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, sql.data, -1, &st, NULL);
    desk_buf_release(&sql);
    if (rc != SQLITE_OK) {
        return desk_sqlite_err(c, rc, "tickets_due");
    }
    int i = 1;
    sqlite3_bind_int64(st, i++, f->from);
    sqlite3_bind_int64(st, i++, f->to);
    if (f->assignee_id) {
        sqlite3_bind_int64(st, i++, f->assignee_id);
    }
    if (f->group_id) {
        sqlite3_bind_int64(st, i++, f->group_id);
    }
    if (f->groups_of) {
        sqlite3_bind_int64(st, i++, f->groups_of);
    }
    size_t cap = (size_t)(limit > 0 ? limit : 1), k = 0;
    struct desk_ticket *arr = desk_arena_alloc(a, cap * sizeof(*arr));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < cap) {
        struct desk_ticket *t = &arr[k++];
        t->id = desk_col_i64(st, 0);
        t->subject = desk_col_text(a, st, 1);
        t->status = (int)desk_col_i64(st, 2);
        t->priority = (int)desk_col_i64(st, 3);
        t->assignee_id = desk_col_i64(st, 4);
        t->group_id = desk_col_i64(st, 5);
        t->due_at = desk_col_i64(st, 6);
        t->created_at = desk_col_i64(st, 7);
        t->updated_at = desk_col_i64(st, 8);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        return desk_sqlite_err(c, rc, "tickets_due");
    }
    *items = arr;
    *n = k;
    return 0;
}

int desk_store_calendar_feed_get(struct desk_conn *c, int64_t user_id,
                                 struct desk_calendar_feed *out)
{
    static const char sql[] =
        "SELECT salt, token_hash, created_at FROM calendar_feeds WHERE user_id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, user_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != sizeof(out->salt) ||
            sqlite3_column_bytes(st, 1) != sizeof(out->token_hash)) {
            sqlite3_reset(st);
            return DESK_ENOTFOUND; /* not a row this code wrote: treat as none, a new one replaces
                                      it */
        }
        out->user_id = user_id;
        memcpy(out->salt, sqlite3_column_blob(st, 0), sizeof(out->salt));
        memcpy(out->token_hash, sqlite3_column_blob(st, 1), sizeof(out->token_hash));
        out->created_at = sqlite3_column_int64(st, 2);
        rc = SQLITE_DONE;
    } else if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        return DESK_ENOTFOUND;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : desk_sqlite_err(c, rc, "calendar_feed_get");
}

int desk_store_calendar_feed_put(struct desk_conn *c, const struct desk_calendar_feed *f)
{
    static const char sql[] = "INSERT OR REPLACE INTO calendar_feeds (user_id, salt, token_hash, "
                              "created_at) VALUES (?, ?, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, f->user_id);
    sqlite3_bind_blob(st, 2, f->salt, sizeof(f->salt), SQLITE_STATIC);
    sqlite3_bind_blob(st, 3, f->token_hash, sizeof(f->token_hash), SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, f->created_at);
    return desk_step_done(c, st, "calendar_feed_put");
}

int desk_store_calendar_feed_user(struct desk_conn *c, const unsigned char hash[32],
                                  int64_t *user_id)
{
    static const char sql[] = "SELECT user_id FROM calendar_feeds WHERE token_hash = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *user_id = sqlite3_column_int64(st, 0);
        rc = SQLITE_DONE;
    } else if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        return DESK_ENOTFOUND;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : desk_sqlite_err(c, rc, "calendar_feed_user");
}
