/*
 * SQLite side of concessions and resolutions (store_concessions.h): limits,
 * concession rows and their report, held replies, alerts, resolutions with
 * their full-text refresh, group policies, and the similar-ticket query
 * (FTS5 bm25 over the ticket index the foundation keeps).
 */
#include "store/store_concessions.h"
#include "core/buf.h"
#include "store/store_int.h"

#include <string.h>

/* ---- helpers ---------------------------------------------------------------- */

static void col_currency(sqlite3_stmt *st, int i, char out[4])
{
    const unsigned char *t = sqlite3_column_text(st, i);
    memset(out, 0, 4);
    if (t) {
        strncpy(out, (const char *)t, 3);
    }
}

/* Grows an arena array by doubling; returns the (possibly new) array. */
static void *grow(struct desk_arena *a, void *arr, size_t n, size_t *cap, size_t size)
{
    if (n < *cap) {
        return arr;
    }
    size_t ncap = *cap ? *cap * 2 : 8;
    void *na = desk_arena_alloc(a, ncap * size);
    if (n) {
        memcpy(na, arr, n * size);
    }
    *cap = ncap;
    return na;
}

/* ---- limits ----------------------------------------------------------------- */

#define LIMIT_COLS "id, role, user_id, currency, max_minor, updated_by, created_at, updated_at"

static void read_limit(sqlite3_stmt *st, struct desk_concession_limit *l)
{
    memset(l, 0, sizeof(*l));
    l->id = desk_col_i64(st, 0);
    l->role = sqlite3_column_type(st, 1) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 1);
    l->user_id = desk_col_i64(st, 2);
    col_currency(st, 3, l->currency);
    l->max_minor =
        sqlite3_column_type(st, 4) == SQLITE_NULL ? DESK_LIMIT_NONE : desk_col_i64(st, 4);
    l->updated_by = desk_col_i64(st, 5);
    l->created_at = desk_col_i64(st, 6);
    l->updated_at = desk_col_i64(st, 7);
}

int desk_store_climit_list(struct desk_conn *c, struct desk_arena *a,
                           struct desk_concession_limit **items, size_t *n)
{
    static const char sql[] = "SELECT " LIMIT_COLS " FROM concession_limits ORDER BY currency, "
                              "role IS NULL, role, user_id";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    struct desk_concession_limit *arr = NULL;
    size_t k = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        arr = grow(a, arr, k, &cap, sizeof(*arr));
        read_limit(st, &arr[k++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "climit_list");
    }
    *items = arr;
    *n = k;
    return 0;
}

int desk_store_climit_get(struct desk_conn *c, int64_t id, struct desk_concession_limit *out)
{
    static const char sql[] = "SELECT " LIMIT_COLS " FROM concession_limits WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_limit(st, out);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW    ? 0
           : rc == SQLITE_DONE ? DESK_ENOTFOUND
                               : desk_sqlite_err(c, rc, "climit_get");
}

int desk_store_climit_find(struct desk_conn *c, int role, int64_t user_id, const char *currency,
                           bool *found, int64_t *max)
{
    static const char by_user[] =
        "SELECT max_minor FROM concession_limits WHERE user_id = ? AND currency = ?";
    static const char by_role[] =
        "SELECT max_minor FROM concession_limits WHERE role = ? AND currency = ?";
    sqlite3_stmt *st = desk_stmt(c, user_id ? by_user : by_role);
    if (!st) {
        return DESK_EINTERNAL;
    }
    if (user_id) {
        sqlite3_bind_int64(st, 1, user_id);
    } else {
        sqlite3_bind_int(st, 1, role);
    }
    desk_bind_text(st, 2, currency);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW) {
        *max = sqlite3_column_type(st, 0) == SQLITE_NULL ? DESK_LIMIT_NONE : desk_col_i64(st, 0);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : desk_sqlite_err(c, rc, "climit_find");
}

int desk_store_climit_put(struct desk_conn *c, struct desk_concession_limit *l, bool *created)
{
    static const char find_user[] =
        "SELECT id, created_at FROM concession_limits WHERE user_id = ? AND currency = ?";
    static const char find_role[] =
        "SELECT id, created_at FROM concession_limits WHERE role = ? AND currency = ?";
    static const char ins[] = "INSERT INTO concession_limits (role, user_id, currency, max_minor, "
                              "updated_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
    static const char upd[] = "UPDATE concession_limits SET max_minor = ?, updated_by = ?, "
                              "updated_at = ? WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, l->user_id ? find_user : find_role);
    if (!st) {
        return DESK_EINTERNAL;
    }
    if (l->user_id) {
        sqlite3_bind_int64(st, 1, l->user_id);
    } else {
        sqlite3_bind_int(st, 1, l->role);
    }
    desk_bind_text(st, 2, l->currency);
    int rc = sqlite3_step(st);
    int64_t id = 0, created_at = 0;
    if (rc == SQLITE_ROW) {
        id = desk_col_i64(st, 0);
        created_at = desk_col_i64(st, 1);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "climit_find");
    }
    if (id) {
        if (!(st = desk_stmt(c, upd))) {
            return DESK_EINTERNAL;
        }
        if (l->max_minor == DESK_LIMIT_NONE) {
            sqlite3_bind_null(st, 1);
        } else {
            sqlite3_bind_int64(st, 1, l->max_minor);
        }
        desk_bind_id(st, 2, l->updated_by);
        sqlite3_bind_int64(st, 3, l->updated_at);
        sqlite3_bind_int64(st, 4, id);
        l->id = id;
        l->created_at = created_at;
        *created = false;
        return desk_step_done(c, st, "climit_update");
    }
    if (!(st = desk_stmt(c, ins))) {
        return DESK_EINTERNAL;
    }
    if (l->user_id) {
        sqlite3_bind_null(st, 1);
        sqlite3_bind_int64(st, 2, l->user_id);
    } else {
        sqlite3_bind_int(st, 1, l->role);
        sqlite3_bind_null(st, 2);
    }
    desk_bind_text(st, 3, l->currency);
    if (l->max_minor == DESK_LIMIT_NONE) {
        sqlite3_bind_null(st, 4);
    } else {
        sqlite3_bind_int64(st, 4, l->max_minor);
    }
    desk_bind_id(st, 5, l->updated_by);
    sqlite3_bind_int64(st, 6, l->updated_at);
    sqlite3_bind_int64(st, 7, l->updated_at);
    if ((rc = desk_step_done(c, st, "climit_insert")) != 0) {
        return rc;
    }
    l->id = sqlite3_last_insert_rowid(c->db);
    l->created_at = l->updated_at;
    *created = true;
    return 0;
}

int desk_store_climit_delete(struct desk_conn *c, int64_t id)
{
    static const char sql[] = "DELETE FROM concession_limits WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc = desk_step_done(c, st, "climit_delete");
    if (!rc && sqlite3_changes(c->db) == 0) {
        rc = DESK_ENOTFOUND;
    }
    return rc;
}

/* ---- concessions ---------------------------------------------------------------- */

#define CONCESSION_COLS                                                                            \
    "k.id, k.ticket_id, k.type, k.amount_minor, k.currency, k.reason, k.note, k.state, k.level, "  \
    "k.proposed_by, k.granted_minor, k.decided_by, k.decision_note, k.expires_at, k.decided_at, "  \
    "k.created_at, k.updated_at"

static void read_concession(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_concession *k = item;
    memset(k, 0, sizeof(*k));
    k->id = desk_col_i64(st, 0);
    k->ticket_id = desk_col_i64(st, 1);
    k->type = (int)desk_col_i64(st, 2);
    k->amount_minor = desk_col_i64(st, 3);
    col_currency(st, 4, k->currency);
    k->reason = desk_col_text(a, st, 5);
    k->note = desk_col_text(a, st, 6);
    k->state = (int)desk_col_i64(st, 7);
    k->level = (int)desk_col_i64(st, 8);
    k->proposed_by = desk_col_i64(st, 9);
    k->granted_minor = desk_col_i64(st, 10);
    k->decided_by = desk_col_i64(st, 11);
    k->decision_note = desk_col_text(a, st, 12);
    k->expires_at = desk_col_i64(st, 13);
    k->decided_at = desk_col_i64(st, 14);
    k->created_at = desk_col_i64(st, 15);
    k->updated_at = desk_col_i64(st, 16);
}

int desk_store_concession_insert(struct desk_conn *c, struct desk_concession *k)
{
    static const char sql[] =
        "INSERT INTO concessions (ticket_id, type, amount_minor, currency, reason, reason_key, "
        "note, state, level, proposed_by, granted_minor, expires_at, decided_at, created_at, "
        "updated_at, decided_by) VALUES (?, ?, ?, ?, ?, lower(trim(?)), ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, k->ticket_id);
    sqlite3_bind_int(st, 2, k->type);
    sqlite3_bind_int64(st, 3, k->amount_minor);
    desk_bind_text(st, 4, k->currency);
    desk_bind_text(st, 5, k->reason);
    desk_bind_text(st, 6, k->reason);
    desk_bind_text(st, 7, k->note);
    sqlite3_bind_int(st, 8, k->state);
    desk_bind_id(st, 9, k->level);
    sqlite3_bind_int64(st, 10, k->proposed_by);
    desk_bind_id(st, 11, k->granted_minor);
    desk_bind_id(st, 12, k->expires_at);
    desk_bind_id(st, 13, k->decided_at);
    sqlite3_bind_int64(st, 14, k->created_at);
    sqlite3_bind_int64(st, 15, k->updated_at);
    desk_bind_id(st, 16, k->decided_by);
    int rc = desk_step_done(c, st, "concession_insert");
    if (!rc) {
        k->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

int desk_store_concession_update(struct desk_conn *c, const struct desk_concession *k)
{
    static const char sql[] =
        "UPDATE concessions SET state = ?, level = ?, granted_minor = ?, decided_by = ?, "
        "decision_note = ?, expires_at = ?, decided_at = ?, updated_at = ? WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int(st, 1, k->state);
    desk_bind_id(st, 2, k->level);
    desk_bind_id(st, 3, k->granted_minor);
    desk_bind_id(st, 4, k->decided_by);
    desk_bind_text(st, 5, k->decision_note);
    desk_bind_id(st, 6, k->expires_at);
    desk_bind_id(st, 7, k->decided_at);
    sqlite3_bind_int64(st, 8, k->updated_at);
    sqlite3_bind_int64(st, 9, k->id);
    int rc = desk_step_done(c, st, "concession_update");
    if (!rc && sqlite3_changes(c->db) == 0) {
        rc = DESK_ENOTFOUND;
    }
    return rc;
}

int desk_store_concession_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                              struct desk_concession *out)
{
    static const char sql[] = "SELECT " CONCESSION_COLS " FROM concessions k WHERE k.id = ?";
    return desk_row_by_id(c, a, sql, id, read_concession, out, "concession_get");
}

static void concession_filter_sql(struct desk_buf *b, const struct desk_concession_filter *f)
{
    if (f->ticket_id) {
        desk_buf_adds(b, " AND k.ticket_id = ?");
    }
    if (f->proposed_by) {
        desk_buf_adds(b, " AND k.proposed_by = ?");
    }
    if (f->state > 0) {
        desk_buf_adds(b, " AND k.state = ?");
    }
    if (f->max_level > 0) {
        desk_buf_adds(b, " AND k.state = 0 AND k.level <= ? AND k.proposed_by <> ? AND "
                         "k.expires_at > ?");
    }
}

static int bind_concession_filter(sqlite3_stmt *st, int i, const void *ctx)
{
    const struct desk_concession_filter *f = ctx;
    if (f->ticket_id) {
        sqlite3_bind_int64(st, i++, f->ticket_id);
    }
    if (f->proposed_by) {
        sqlite3_bind_int64(st, i++, f->proposed_by);
    }
    if (f->state > 0) {
        sqlite3_bind_int(st, i++, f->state - 1);
    }
    if (f->max_level > 0) {
        sqlite3_bind_int(st, i++, f->max_level);
        sqlite3_bind_int64(st, i++, f->not_proposed_by);
        sqlite3_bind_int64(st, i++, f->now);
    }
    return i;
}

int desk_store_concession_list(struct desk_conn *c, struct desk_arena *a,
                               const struct desk_concession_filter *f, const struct desk_page *p,
                               struct desk_concession **items, struct desk_page_out *out)
{
    struct desk_buf where, sel, cnt;
    desk_buf_init(&where, 0);
    desk_buf_init(&sel, 0);
    desk_buf_init(&cnt, 0);
    concession_filter_sql(&where, f);
    const char *w = where.data ? where.data : ""; /* no filter: nothing was added */
    desk_buf_addf(&sel, "SELECT " CONCESSION_COLS " FROM concessions k WHERE 1%s", w);
    desk_buf_addf(&cnt, "SELECT count(*) FROM concessions k WHERE 1%s", w);
    struct desk_lister l = {
        c, a, p, sizeof(struct desk_concession), read_concession, bind_concession_filter, f};
    int rc = desk_list_run(&l, sel.data, cnt.data, "k.id", (void **)items, out);
    desk_buf_release(&where);
    desk_buf_release(&sel);
    desk_buf_release(&cnt);
    return rc;
}

int desk_store_concession_due(struct desk_conn *c, struct desk_arena *a, int64_t now, int limit,
                              struct desk_concession **items, size_t *n)
{
    static const char sql[] = "SELECT " CONCESSION_COLS " FROM concessions k WHERE k.state = 0 "
                              "AND k.expires_at <= ? ORDER BY k.expires_at, k.id LIMIT ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int(st, 2, limit);
    struct desk_concession *arr = NULL;
    size_t k = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        arr = grow(a, arr, k, &cap, sizeof(*arr));
        read_concession(a, st, &arr[k++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "concession_due");
    }
    *items = arr;
    *n = k;
    return 0;
}

int desk_store_concession_report(struct desk_conn *c, struct desk_arena *a, int by, int64_t from,
                                 int64_t to, struct desk_concession_report_row **rows, size_t *n)
{
    /* One literal per grouping, so each is a cached statement. */
#define REPORT_SQL(key, label)                                                                     \
    "SELECT " key ", " label ", currency, count(*), "                                              \
    "sum(state IN (1, 2, 4)), sum(state = 0), sum(state = 3), sum(state = 5), "                    \
    "sum(amount_minor), ifnull(sum(granted_minor), 0) FROM concessions "                           \
    "WHERE created_at >= ? AND created_at < ? GROUP BY " key ", currency ORDER BY " key            \
    ", currency"
    static const char by_agent[] = REPORT_SQL("proposed_by", "NULL");
    static const char by_type[] = REPORT_SQL("type", "NULL");
    static const char by_reason[] = REPORT_SQL("reason_key", "min(reason)");
#undef REPORT_SQL
    const char *sql = by == DESK_REPORT_AGENT  ? by_agent
                      : by == DESK_REPORT_TYPE ? by_type
                                               : by_reason;
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to ? to : INT64_MAX);
    struct desk_concession_report_row *arr = NULL;
    size_t k = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        arr = grow(a, arr, k, &cap, sizeof(*arr));
        struct desk_concession_report_row *r = &arr[k++];
        memset(r, 0, sizeof(*r));
        if (by == DESK_REPORT_AGENT) {
            r->agent_id = desk_col_i64(st, 0);
        } else if (by == DESK_REPORT_TYPE) {
            r->type = (int)desk_col_i64(st, 0);
        } else {
            r->reason = desk_col_text(a, st, 1);
        }
        col_currency(st, 2, r->currency);
        r->count = desk_col_i64(st, 3);
        r->granted_count = desk_col_i64(st, 4);
        r->pending_count = desk_col_i64(st, 5);
        r->denied_count = desk_col_i64(st, 6);
        r->expired_count = desk_col_i64(st, 7);
        r->proposed_minor = desk_col_i64(st, 8);
        r->granted_minor = desk_col_i64(st, 9);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "concession_report");
    }
    *rows = arr;
    *n = k;
    return 0;
}

/* ---- held replies ------------------------------------------------------------------ */

#define HELD_COLS                                                                                  \
    "id, concession_id, ticket_id, author_id, body, state, comment_id, created_at, updated_at"

static void read_held(struct desk_arena *a, sqlite3_stmt *st, struct desk_held_reply *h)
{
    memset(h, 0, sizeof(*h));
    h->id = desk_col_i64(st, 0);
    h->concession_id = desk_col_i64(st, 1);
    h->ticket_id = desk_col_i64(st, 2);
    h->author_id = desk_col_i64(st, 3);
    h->body = desk_col_text(a, st, 4);
    h->state = (int)desk_col_i64(st, 5);
    h->comment_id = desk_col_i64(st, 6);
    h->created_at = desk_col_i64(st, 7);
    h->updated_at = desk_col_i64(st, 8);
}

int desk_store_held_insert(struct desk_conn *c, struct desk_held_reply *h)
{
    static const char sql[] =
        "INSERT INTO held_replies (concession_id, ticket_id, author_id, body, state, "
        "comment_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, h->concession_id);
    sqlite3_bind_int64(st, 2, h->ticket_id);
    sqlite3_bind_int64(st, 3, h->author_id);
    desk_bind_text(st, 4, h->body);
    sqlite3_bind_int(st, 5, h->state);
    desk_bind_id(st, 6, h->comment_id);
    sqlite3_bind_int64(st, 7, h->created_at);
    sqlite3_bind_int64(st, 8, h->updated_at);
    int rc = desk_step_done(c, st, "held_insert");
    if (!rc) {
        h->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

int desk_store_held_update(struct desk_conn *c, const struct desk_held_reply *h)
{
    static const char sql[] =
        "UPDATE held_replies SET state = ?, comment_id = ?, updated_at = ? WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int(st, 1, h->state);
    desk_bind_id(st, 2, h->comment_id);
    sqlite3_bind_int64(st, 3, h->updated_at);
    sqlite3_bind_int64(st, 4, h->id);
    return desk_step_done(c, st, "held_update");
}

int desk_store_held_by_concession(struct desk_conn *c, struct desk_arena *a, int64_t concession_id,
                                  struct desk_held_reply *out)
{
    static const char sql[] = "SELECT " HELD_COLS " FROM held_replies WHERE concession_id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, concession_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_held(a, st, out);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW    ? 0
           : rc == SQLITE_DONE ? DESK_ENOTFOUND
                               : desk_sqlite_err(c, rc, "held_get");
}

int desk_store_held_list(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                         struct desk_held_reply **items, size_t *n)
{
    static const char sql[] =
        "SELECT " HELD_COLS " FROM held_replies WHERE ticket_id = ? ORDER BY id";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, ticket_id);
    struct desk_held_reply *arr = NULL;
    size_t k = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        arr = grow(a, arr, k, &cap, sizeof(*arr));
        read_held(a, st, &arr[k++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "held_list");
    }
    *items = arr;
    *n = k;
    return 0;
}

/* ---- alerts ---------------------------------------------------------------------- */

int desk_store_calert_insert(struct desk_conn *c, struct desk_concession_alert *al)
{
    static const char sql[] =
        "INSERT INTO concession_alerts (user_id, concession_id, ticket_id, kind, message, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, al->user_id);
    sqlite3_bind_int64(st, 2, al->concession_id);
    sqlite3_bind_int64(st, 3, al->ticket_id);
    desk_bind_text(st, 4, al->kind);
    desk_bind_text(st, 5, al->message);
    sqlite3_bind_int64(st, 6, al->created_at);
    int rc = desk_step_done(c, st, "calert_insert");
    if (!rc) {
        al->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

static void read_alert(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_concession_alert *al = item;
    memset(al, 0, sizeof(*al));
    al->id = desk_col_i64(st, 0);
    al->user_id = desk_col_i64(st, 1);
    al->concession_id = desk_col_i64(st, 2);
    al->ticket_id = desk_col_i64(st, 3);
    al->kind = desk_col_text(a, st, 4);
    al->message = desk_col_text(a, st, 5);
    al->created_at = desk_col_i64(st, 6);
    al->read_at = desk_col_i64(st, 7);
}

static int bind_user(sqlite3_stmt *st, int i, const void *ctx)
{
    sqlite3_bind_int64(st, i++, *(const int64_t *)ctx);
    return i;
}

int desk_store_calert_list(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                           bool unread_only, const struct desk_page *p,
                           struct desk_concession_alert **items, struct desk_page_out *out)
{
    static const char sel[] = "SELECT id, user_id, concession_id, ticket_id, kind, message, "
                              "created_at, read_at FROM concession_alerts WHERE user_id = ?";
    static const char cnt[] = "SELECT count(*) FROM concession_alerts WHERE user_id = ?";
    static const char sel_unread[] =
        "SELECT id, user_id, concession_id, ticket_id, kind, message, created_at, read_at FROM "
        "concession_alerts WHERE user_id = ? AND read_at IS NULL";
    static const char cnt_unread[] =
        "SELECT count(*) FROM concession_alerts WHERE user_id = ? AND read_at IS NULL";
    struct desk_lister l = {c,          a,         p,       sizeof(struct desk_concession_alert),
                            read_alert, bind_user, &user_id};
    return desk_list_run(&l, unread_only ? sel_unread : sel, unread_only ? cnt_unread : cnt, "id",
                         (void **)items, out);
}

int desk_store_calert_read(struct desk_conn *c, int64_t user_id, int64_t now, int64_t *n)
{
    static const char sql[] =
        "UPDATE concession_alerts SET read_at = ? WHERE user_id = ? AND read_at IS NULL";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, user_id);
    int rc = desk_step_done(c, st, "calert_read");
    if (!rc) {
        *n = sqlite3_changes(c->db);
    }
    return rc;
}

/* ---- resolutions ---------------------------------------------------------------------- */

int desk_store_resolution_get(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                              struct desk_resolution *out, bool *found)
{
    static const char sql[] = "SELECT category, note, updated_by, updated_at FROM "
                              "ticket_resolutions WHERE ticket_id = ?";
    static const char fields[] = "SELECT name, value FROM ticket_resolution_fields WHERE "
                                 "ticket_id = ? ORDER BY name";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    memset(out, 0, sizeof(*out));
    out->ticket_id = ticket_id;
    sqlite3_bind_int64(st, 1, ticket_id);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW) {
        out->category = desk_col_text(a, st, 0);
        out->note = desk_col_text(a, st, 1);
        out->updated_by = desk_col_i64(st, 2);
        out->updated_at = desk_col_i64(st, 3);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) {
        return rc == SQLITE_DONE ? 0 : desk_sqlite_err(c, rc, "resolution_get");
    }
    if (!(st = desk_stmt(c, fields))) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, ticket_id);
    size_t cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        out->fields = grow(a, out->fields, out->n_fields, &cap, sizeof(*out->fields));
        out->fields[out->n_fields].name = desk_col_text(a, st, 0);
        out->fields[out->n_fields].value = desk_col_text(a, st, 1);
        out->n_fields++;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : desk_sqlite_err(c, rc, "resolution_fields");
}

int desk_store_resolution_put(struct desk_conn *c, const struct desk_resolution *r)
{
    static const char put[] =
        "INSERT INTO ticket_resolutions (ticket_id, category, note, updated_by, updated_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (ticket_id) DO UPDATE SET category = "
        "excluded.category, "
        "note = excluded.note, updated_by = excluded.updated_by, updated_at = excluded.updated_at";
    static const char del[] = "DELETE FROM ticket_resolution_fields WHERE ticket_id = ?";
    static const char ins[] =
        "INSERT INTO ticket_resolution_fields (ticket_id, name, value) VALUES (?, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, put);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, r->ticket_id);
    desk_bind_text(st, 2, r->category);
    desk_bind_text(st, 3, r->note);
    desk_bind_id(st, 4, r->updated_by);
    sqlite3_bind_int64(st, 5, r->updated_at);
    int rc = desk_step_done(c, st, "resolution_put");
    if (rc) {
        return rc;
    }
    if (!(st = desk_stmt(c, del))) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, r->ticket_id);
    if ((rc = desk_step_done(c, st, "resolution_fields_delete")) != 0) {
        return rc;
    }
    struct desk_buf text;
    desk_buf_init(&text, 0);
    if (r->category) {
        desk_buf_addf(&text, "%s\n", r->category);
    }
    if (r->note) {
        desk_buf_addf(&text, "%s\n", r->note);
    }
    for (size_t i = 0; i < r->n_fields && !rc; i++) {
        if (!(st = desk_stmt(c, ins))) {
            rc = DESK_EINTERNAL;
            break;
        }
        sqlite3_bind_int64(st, 1, r->ticket_id);
        desk_bind_text(st, 2, r->fields[i].name);
        desk_bind_text(st, 3, r->fields[i].value);
        rc = desk_step_done(c, st, "resolution_field");
        desk_buf_addf(&text, "%s\n", r->fields[i].value);
    }
    if (!rc) {
        /* The resolution is searchable by staff, after the ticket's internal notes. */
        rc = desk_fts_set_private(c, r->ticket_id, text.data ? text.data : "");
    }
    desk_buf_release(&text);
    return rc;
}

int desk_store_rpolicy_get(struct desk_conn *c, struct desk_arena *a, int64_t group_id,
                           struct desk_resolution_policy *out, bool *found)
{
    static const char sql[] = "SELECT required_fields, categories, updated_by, updated_at FROM "
                              "resolution_policies WHERE group_id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    memset(out, 0, sizeof(*out));
    out->group_id = group_id;
    sqlite3_bind_int64(st, 1, group_id);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW) {
        out->required = desk_strv_split(a, (const char *)sqlite3_column_text(st, 0));
        out->categories = desk_strv_split(a, (const char *)sqlite3_column_text(st, 1));
        out->updated_by = desk_col_i64(st, 2);
        out->updated_at = desk_col_i64(st, 3);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : desk_sqlite_err(c, rc, "rpolicy_get");
}

int desk_store_rpolicy_put(struct desk_conn *c, struct desk_arena *a,
                           const struct desk_resolution_policy *p)
{
    static const char sql[] =
        "INSERT INTO resolution_policies (group_id, required_fields, categories, updated_by, "
        "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (group_id) DO UPDATE SET "
        "required_fields = excluded.required_fields, categories = excluded.categories, "
        "updated_by = excluded.updated_by, updated_at = excluded.updated_at";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, p->group_id);
    desk_bind_text(st, 2, desk_strv_join(a, &p->required));
    desk_bind_text(st, 3, desk_strv_join(a, &p->categories));
    desk_bind_id(st, 4, p->updated_by);
    sqlite3_bind_int64(st, 5, p->updated_at);
    return desk_step_done(c, st, "rpolicy_put");
}

/* ---- similar tickets ---------------------------------------------------------------- */

int desk_store_similar(struct desk_conn *c, struct desk_arena *a, const char *const *terms,
                       size_t n_terms, const char *language, int64_t exclude_id, int limit,
                       struct desk_similar_hit **hits, size_t *n)
{
    /* Solved (4) and closed (5) tickets; the language test compares primary subtags. */
    static const char sql[] =
        "SELECT t.id, -bm25(ticket_fts, 2.0, 1.0, 0.0) AS score, "
        "(?1 IS NOT NULL AND lower(substr(t.language, 1, instr(t.language || '-', '-') - 1)) = ?1) "
        "AS same FROM ticket_fts JOIN tickets t ON t.id = ticket_fts.rowid "
        "WHERE ticket_fts MATCH ?2 AND t.status >= 4 AND t.deleted_at IS NULL AND t.id <> ?3 "
        "ORDER BY same DESC, score DESC, t.id DESC LIMIT ?4";
    *hits = NULL;
    *n = 0;
    if (!n_terms || limit <= 0) {
        return 0;
    }
    /* Each term is one quoted FTS5 string (quotes doubled): user text is never FTS5 syntax. */
    struct desk_buf q;
    desk_buf_init(&q, 0);
    desk_buf_adds(&q, "{subject public_text} : (");
    for (size_t i = 0; i < n_terms; i++) {
        desk_buf_adds(&q, i ? " OR \"" : "\"");
        for (const char *p = terms[i]; *p; p++) {
            desk_buf_add(&q, p, 1);
            if (*p == '"') {
                desk_buf_add(&q, p, 1);
            }
        }
        desk_buf_adds(&q, "\"");
    }
    desk_buf_adds(&q, ")");
    char primary[16] = {0};
    if (language) {
        size_t k = 0;
        for (; language[k] && language[k] != '-' && k < sizeof(primary) - 1; k++) {
            char ch = language[k];
            primary[k] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
        }
    }
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        desk_buf_release(&q);
        return DESK_EINTERNAL;
    }
    if (primary[0]) {
        sqlite3_bind_text(st, 1, primary, -1, SQLITE_TRANSIENT);
    }
    sqlite3_bind_text(st, 2, q.data, (int)q.len, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, exclude_id);
    sqlite3_bind_int(st, 4, limit);
    desk_buf_release(&q);
    struct desk_similar_hit *arr = desk_arena_alloc(a, (size_t)limit * sizeof(*arr));
    size_t k = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < (size_t)limit) {
        arr[k].ticket_id = desk_col_i64(st, 0);
        arr[k].score = sqlite3_column_double(st, 1);
        arr[k].same_language = sqlite3_column_int(st, 2) != 0;
        k++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        return desk_sqlite_err(c, rc, "similar");
    }
    *hits = arr;
    *n = k;
    return 0;
}

int desk_store_term_docs(struct desk_conn *c, const char *const *terms, size_t n, int64_t *docs,
                         int64_t *total)
{
    static const char doc[] = "SELECT doc FROM ticket_fts_terms WHERE term = ?";
    static const char top[] = "SELECT ifnull(max(id), 0) FROM tickets";
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        sqlite3_stmt *st = desk_stmt(c, doc);
        if (!st) {
            return DESK_EINTERNAL;
        }
        desk_bind_text(st, 1, terms[i]);
        int s = sqlite3_step(st);
        docs[i] = s == SQLITE_ROW ? desk_col_i64(st, 0) : 0;
        sqlite3_reset(st);
        if (s != SQLITE_ROW && s != SQLITE_DONE) {
            rc = desk_sqlite_err(c, s, "term_docs");
        }
    }
    if (rc) {
        return rc;
    }
    sqlite3_stmt *st = desk_stmt(c, top);
    if (!st) {
        return DESK_EINTERNAL;
    }
    int s = sqlite3_step(st);
    *total = s == SQLITE_ROW ? desk_col_i64(st, 0) : 0;
    sqlite3_reset(st);
    return s == SQLITE_ROW ? 0 : desk_sqlite_err(c, s, "term_total");
}

int desk_store_last_staff_reply(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                                struct desk_comment *out, bool *found)
{
    static const char sql[] =
        "SELECT cm.id, cm.author_id, cm.body, cm.created_at FROM comments cm JOIN users u ON "
        "u.id = cm.author_id WHERE cm.ticket_id = ?1 AND cm.public = 1 AND u.role >= 1 AND "
        "cm.id > (SELECT min(id) FROM comments WHERE ticket_id = ?1) ORDER BY cm.id DESC LIMIT 1";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, ticket_id);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof(*out));
        out->id = desk_col_i64(st, 0);
        out->ticket_id = ticket_id;
        out->author_id = desk_col_i64(st, 1);
        out->body = desk_col_text(a, st, 2);
        out->public = true;
        out->created_at = desk_col_i64(st, 3);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : desk_sqlite_err(c, rc, "last_reply");
}
