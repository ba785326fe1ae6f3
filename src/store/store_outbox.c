/*
 * The outbox and mail_ids tables on SQLite (see store_outbox.h). Every
 * state change is conditional on the message still being queued, so two
 * senders on one database never send a message twice on purpose.
 */
#include "store/store_outbox.h"
#include "store/store_int.h"
#include "core/str.h"

#include <string.h>

static const char *const state_names[] = {"queued", "sent", "failed"};

const char *desk_outbox_state_name(int state)
{
    return state >= 0 && state <= DESK_OUTBOX_FAILED ? state_names[state] : "queued";
}

int desk_outbox_state_parse(const char *s, int *out)
{
    for (int i = 0; s && i <= DESK_OUTBOX_FAILED; i++) {
        if (desk_str_ieq(s, strlen(s), state_names[i])) {
            *out = i;
            return 0;
        }
    }
    return DESK_EINVAL;
}

#define OUTBOX_COLS                                                                                \
    "id, kind, ticket_id, comment_id, user_id, to_addr, to_name, language, subject, message_id, "  \
    "state, attempts, next_attempt_at, last_error, created_at, updated_at, sent_at, payload"

static void read_msg(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_outbox_msg *m = item;
    memset(m, 0, sizeof(*m));
    m->id = desk_col_i64(st, 0);
    m->kind = desk_col_text(a, st, 1);
    m->ticket_id = desk_col_i64(st, 2);
    m->comment_id = desk_col_i64(st, 3);
    m->user_id = desk_col_i64(st, 4);
    m->to_addr = desk_col_text(a, st, 5);
    m->to_name = desk_col_text(a, st, 6);
    m->language = desk_col_text(a, st, 7);
    m->subject = desk_col_text(a, st, 8);
    m->message_id = desk_col_text(a, st, 9);
    const char *state = (const char *)sqlite3_column_text(st, 10);
    m->state = DESK_OUTBOX_QUEUED;
    desk_outbox_state_parse(state, &m->state);
    m->attempts = desk_col_i64(st, 11);
    m->next_attempt_at = desk_col_i64(st, 12);
    m->last_error = desk_col_text(a, st, 13);
    m->created_at = desk_col_i64(st, 14);
    m->updated_at = desk_col_i64(st, 15);
    m->sent_at = desk_col_i64(st, 16);
    m->payload = desk_col_text(a, st, 17);
}

/* Reads a row of OUTBOX_COLS followed by raw. */
static void read_msg_raw(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_outbox_msg *m = item;
    read_msg(a, st, item);
    const void *raw = sqlite3_column_blob(st, 18);
    if (raw) {
        m->raw_len = (size_t)sqlite3_column_bytes(st, 18);
        m->raw = desk_arena_strndup(a, raw, m->raw_len);
    }
}

int desk_store_outbox_insert(struct desk_conn *c, struct desk_outbox_msg *m)
{
    static const char sql[] =
        "INSERT INTO outbox (kind, ticket_id, comment_id, user_id, to_addr, to_name, language, "
        "state, attempts, next_attempt_at, created_at, updated_at, payload) "
        "VALUES (?,?,?,?,?,?,?,'queued',0,?,?,?,?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, m->kind);
    sqlite3_bind_int64(st, 2, m->ticket_id);
    desk_bind_id(st, 3, m->comment_id);
    desk_bind_id(st, 4, m->user_id);
    desk_bind_text(st, 5, m->to_addr);
    desk_bind_text(st, 6, m->to_name);
    desk_bind_text(st, 7, m->language);
    sqlite3_bind_int64(st, 8, m->next_attempt_at);
    sqlite3_bind_int64(st, 9, m->created_at);
    sqlite3_bind_int64(st, 10, m->created_at);
    desk_bind_text(st, 11, m->payload);
    int rc = desk_step_done(c, st, "outbox_insert");
    if (!rc) {
        m->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

int desk_store_outbox_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                          struct desk_outbox_msg *out)
{
    static const char sql[] = "SELECT " OUTBOX_COLS ", raw FROM outbox WHERE id = ?";
    return desk_row_by_id(c, a, sql, id, read_msg_raw, out, "outbox_get");
}

static int bind_filter(sqlite3_stmt *st, int i, const void *ctx)
{
    const struct desk_outbox_filter *f = ctx;
    if (f->state >= 0) {
        sqlite3_bind_text(st, i++, desk_outbox_state_name(f->state), -1, SQLITE_STATIC);
    }
    if (f->ticket_id) {
        sqlite3_bind_int64(st, i++, f->ticket_id);
    }
    return i;
}

int desk_store_outbox_list(struct desk_conn *c, struct desk_arena *a,
                           const struct desk_outbox_filter *f, const struct desk_page *p,
                           struct desk_outbox_msg **items, struct desk_page_out *out)
{
    /* Four fixed texts rather than built SQL: the filters are two optional equalities. */
    static const char *const sel[4] = {
        "SELECT " OUTBOX_COLS " FROM outbox WHERE 1",
        "SELECT " OUTBOX_COLS " FROM outbox WHERE state = ?",
        "SELECT " OUTBOX_COLS " FROM outbox WHERE ticket_id = ?",
        "SELECT " OUTBOX_COLS " FROM outbox WHERE state = ? AND ticket_id = ?",
    };
    static const char *const cnt[4] = {
        "SELECT count(*) FROM outbox WHERE 1",
        "SELECT count(*) FROM outbox WHERE state = ?",
        "SELECT count(*) FROM outbox WHERE ticket_id = ?",
        "SELECT count(*) FROM outbox WHERE state = ? AND ticket_id = ?",
    };
    int k = (f->state >= 0 ? 1 : 0) + (f->ticket_id ? 2 : 0);
    struct desk_lister l = {c, a, p, sizeof(struct desk_outbox_msg), read_msg, bind_filter, f};
    return desk_list_run(&l, sel[k], cnt[k], "id", (void **)items, out);
}

/* Runs a cached statement with one int64 bound per value, reading rows into an arena array. */
static int read_rows(struct desk_conn *c, struct desk_arena *a, const char *sql,
                     const int64_t *args, int n_args, int limit, desk_row_read_fn read,
                     size_t item_size, void **items, size_t *n)
{
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    for (int i = 0; i < n_args; i++) {
        sqlite3_bind_int64(st, i + 1, args[i]);
    }
    char *arr = desk_arena_alloc(a, (size_t)(limit > 0 ? limit : 1) * item_size);
    size_t k = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < (size_t)limit) {
        read(a, st, arr + k * item_size);
        k++;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        rc = desk_sqlite_err(c, rc, "outbox_read");
        sqlite3_reset(st);
        return rc;
    }
    sqlite3_reset(st);
    *items = arr;
    *n = k;
    return 0;
}

int desk_store_outbox_unrendered(struct desk_conn *c, struct desk_arena *a, int limit,
                                 struct desk_outbox_msg **items, size_t *n)
{
    static const char sql[] = "SELECT " OUTBOX_COLS " FROM outbox "
                              "WHERE state = 'queued' AND raw IS NULL ORDER BY id LIMIT ?";
    int64_t args[1] = {limit};
    return read_rows(c, a, sql, args, 1, limit, read_msg, sizeof(**items), (void **)items, n);
}

int desk_store_outbox_due(struct desk_conn *c, struct desk_arena *a, int64_t now_ms, int limit,
                          struct desk_outbox_msg **items, size_t *n)
{
    static const char sql[] =
        "SELECT " OUTBOX_COLS ", raw FROM outbox WHERE state = 'queued' AND "
        "next_attempt_at <= ? AND raw IS NOT NULL ORDER BY next_attempt_at, id LIMIT ?";
    int64_t args[2] = {now_ms, limit};
    return read_rows(c, a, sql, args, 2, limit, read_msg_raw, sizeof(**items), (void **)items, n);
}

/* Runs a cached single-value query; *out is 0 when it yields NULL or no row. */
static int scalar(struct desk_conn *c, const char *sql, int64_t *out)
{
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : desk_sqlite_err(c, rc, "outbox_scalar");
}

int desk_store_outbox_next_due(struct desk_conn *c, int64_t *out)
{
    static const char sql[] = "SELECT min(next_attempt_at) FROM outbox "
                              "WHERE state = 'queued' AND raw IS NOT NULL";
    return scalar(c, sql, out);
}

int desk_store_outbox_pending(struct desk_conn *c, int64_t *queued, int64_t *failed)
{
    static const char q[] = "SELECT count(*) FROM outbox WHERE state = 'queued'";
    static const char f[] = "SELECT count(*) FROM outbox WHERE state = 'failed'";
    int rc = scalar(c, q, queued);
    return rc ? rc : scalar(c, f, failed);
}

int desk_store_outbox_rendered(struct desk_conn *c, const struct desk_outbox_msg *m, int64_t now)
{
    static const char upd[] =
        "UPDATE outbox SET subject = ?, message_id = ?, raw = ?, language = ?, updated_at = ? "
        "WHERE id = ? AND state = 'queued' AND raw IS NULL";
    static const char ins[] = "INSERT INTO mail_ids (message_id, ticket_id, comment_id, "
                              "direction, created_at) VALUES (?,?,?,'out',?)";
    sqlite3_stmt *st = desk_stmt(c, upd);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, m->subject);
    desk_bind_text(st, 2, m->message_id);
    sqlite3_bind_blob(st, 3, m->raw, (int)m->raw_len, SQLITE_STATIC);
    desk_bind_text(st, 4, m->language);
    sqlite3_bind_int64(st, 5, now);
    sqlite3_bind_int64(st, 6, m->id);
    int rc = desk_step_done(c, st, "outbox_rendered");
    if (rc) {
        return rc;
    }
    if (sqlite3_changes(c->db) == 0) {
        return DESK_ENOTFOUND;
    }
    if (!m->ticket_id) {
        return 0; /* mail of no ticket threads nothing */
    }
    if (!(st = desk_stmt(c, ins))) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, m->message_id);
    sqlite3_bind_int64(st, 2, m->ticket_id);
    desk_bind_id(st, 3, m->comment_id);
    sqlite3_bind_int64(st, 4, now);
    return desk_step_done(c, st, "mail_ids_insert");
}

int desk_store_outbox_outcome(struct desk_conn *c, const struct desk_outbox_msg *m, int64_t now)
{
    static const char sql[] =
        "UPDATE outbox SET state = ?1, attempts = ?2, next_attempt_at = ?3, "
        "last_error = ?4, sent_at = ?5, updated_at = ?6, "
        "raw = CASE WHEN kind = 'invitation' AND ?1 <> 'queued' THEN NULL ELSE raw END, "
        "payload = CASE WHEN kind = 'invitation' AND ?1 = 'sent' THEN NULL ELSE payload END "
        "WHERE id = ?7 AND state = 'queued'";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_text(st, 1, desk_outbox_state_name(m->state), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, m->attempts);
    sqlite3_bind_int64(st, 3, m->next_attempt_at);
    desk_bind_text(st, 4, m->last_error);
    desk_bind_id(st, 5, m->sent_at);
    sqlite3_bind_int64(st, 6, now);
    sqlite3_bind_int64(st, 7, m->id);
    int rc = desk_step_done(c, st, "outbox_outcome");
    if (!rc && sqlite3_changes(c->db) == 0) {
        rc = DESK_ENOTFOUND;
    }
    return rc;
}

int desk_store_outbox_requeue(struct desk_conn *c, int64_t id, int64_t now)
{
    static const char sql[] =
        "UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = ?, updated_at = ? "
        "WHERE id = ? AND state = 'failed'";
    static const char probe[] = "SELECT 1 FROM outbox WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, id);
    int rc = desk_step_done(c, st, "outbox_requeue");
    if (rc || sqlite3_changes(c->db) > 0) {
        return rc;
    }
    if (!(st = desk_stmt(c, probe))) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? DESK_ECONFLICT : DESK_ENOTFOUND;
}

static void read_comment(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_comment *cm = item;
    memset(cm, 0, sizeof(*cm));
    cm->id = desk_col_i64(st, 0);
    cm->ticket_id = desk_col_i64(st, 1);
    cm->audit_id = desk_col_i64(st, 2);
    cm->author_id = desk_col_i64(st, 3);
    cm->public = desk_col_i64(st, 4) != 0;
    cm->body = desk_col_text(a, st, 5);
    cm->html_body = desk_col_text(a, st, 6);
    cm->via = (int)desk_col_i64(st, 7);
    cm->created_at = desk_col_i64(st, 8);
}

int desk_store_outbox_comment(struct desk_conn *c, struct desk_arena *a, int64_t id,
                              struct desk_comment *out)
{
    static const char sql[] = "SELECT id, ticket_id, audit_id, author_id, public, body, "
                              "html_body, via, created_at FROM comments WHERE id = ?";
    return desk_row_by_id(c, a, sql, id, read_comment, out, "outbox_comment");
}

/* ---- Message-IDs -------------------------------------------------------- */

static void read_mail_id(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_mail_id *m = item;
    m->message_id = desk_col_text(a, st, 0);
    m->ticket_id = desk_col_i64(st, 1);
    m->comment_id = desk_col_i64(st, 2);
    const unsigned char *dir = sqlite3_column_text(st, 3);
    m->inbound = dir && strcmp((const char *)dir, "in") == 0;
    m->created_at = desk_col_i64(st, 4);
}

int desk_store_mail_ids_of_ticket(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                                  int64_t skip_comment, int limit, struct desk_mail_id **items,
                                  size_t *n)
{
    /* The thread's root, then the latest ones: what References needs (RFC 5322 §3.6.4). */
    static const char first[] =
        "SELECT message_id, ticket_id, comment_id, direction, created_at FROM mail_ids "
        "WHERE ticket_id = ?1 AND NOT (direction = 'out' AND comment_id IS ?2) "
        "ORDER BY created_at, rowid LIMIT 1";
    static const char last[] =
        "SELECT message_id, ticket_id, comment_id, direction, created_at FROM mail_ids "
        "WHERE ticket_id = ?1 AND NOT (direction = 'out' AND comment_id IS ?2) "
        "ORDER BY created_at DESC, rowid DESC LIMIT ?3";
    struct desk_mail_id *root = NULL, *tail = NULL;
    size_t n_root = 0, n_tail = 0;
    int64_t skip = skip_comment ? skip_comment : -1;
    int64_t args[3] = {ticket_id, skip, limit > 1 ? limit - 1 : 1};
    int rc =
        read_rows(c, a, first, args, 2, 1, read_mail_id, sizeof(*root), (void **)&root, &n_root);
    if (rc || (rc = read_rows(c, a, last, args, 3, (int)args[2], read_mail_id, sizeof(*tail),
                              (void **)&tail, &n_tail)) != 0) {
        return rc;
    }
    struct desk_mail_id *v = desk_arena_alloc(a, (n_root + n_tail + 1) * sizeof(*v));
    size_t k = 0;
    if (n_root) {
        v[k++] = root[0];
    }
    for (size_t i = n_tail; i-- > 0;) {
        if (!n_root || strcmp(tail[i].message_id, root[0].message_id) != 0) {
            v[k++] = tail[i];
        }
    }
    *items = v;
    *n = k;
    return 0;
}
