/*
 * The mailboxes table on SQLite (see store_mailbox.h).
 */
#include "store/store_mailbox.h"
#include "store/store_int.h"

#include <string.h>

#define MAILBOX_COLS                                                                               \
    "id, name, host, port, tls, username, folder, active, poll_interval, last_poll_at, "           \
    "last_success_at, last_error, failures, messages_stored, created_at, updated_at"

static void read_mailbox(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_mailbox *m = item;
    memset(m, 0, sizeof(*m));
    m->id = desk_col_i64(st, 0);
    m->name = desk_col_text(a, st, 1);
    m->host = desk_col_text(a, st, 2);
    m->port = desk_col_i64(st, 3);
    m->tls = desk_col_text(a, st, 4);
    m->username = desk_col_text(a, st, 5);
    m->folder = desk_col_text(a, st, 6);
    m->active = desk_col_i64(st, 7) != 0;
    m->poll_interval = desk_col_i64(st, 8);
    m->last_poll_at = desk_col_i64(st, 9);
    m->last_success_at = desk_col_i64(st, 10);
    m->last_error = desk_col_text(a, st, 11);
    m->failures = desk_col_i64(st, 12);
    m->messages_stored = desk_col_i64(st, 13);
    m->created_at = desk_col_i64(st, 14);
    m->updated_at = desk_col_i64(st, 15);
}

static void read_mailbox_secret(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_mailbox *m = item;
    read_mailbox(a, st, item);
    m->password = desk_col_text(a, st, 16);
}

static void bind_settings(sqlite3_stmt *st, const struct desk_mailbox *m)
{
    desk_bind_text(st, 1, m->name ? m->name : "");
    desk_bind_text(st, 2, m->host);
    sqlite3_bind_int64(st, 3, m->port);
    desk_bind_text(st, 4, m->tls);
    desk_bind_text(st, 5, m->username);
    desk_bind_text(st, 6, m->folder);
    sqlite3_bind_int(st, 7, m->active);
    sqlite3_bind_int64(st, 8, m->poll_interval);
    sqlite3_bind_int64(st, 9, m->updated_at);
}

int desk_store_mailbox_insert(struct desk_conn *c, struct desk_mailbox *m)
{
    static const char sql[] =
        "INSERT INTO mailboxes (name, host, port, tls, username, folder, active, poll_interval, "
        "updated_at, password, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    bind_settings(st, m);
    desk_bind_text(st, 10, m->password ? m->password : "");
    sqlite3_bind_int64(st, 11, m->created_at);
    int rc = desk_step_done(c, st, "mailbox_insert");
    if (!rc) {
        m->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

int desk_store_mailbox_update(struct desk_conn *c, const struct desk_mailbox *m)
{
    static const char sql[] =
        "UPDATE mailboxes SET name = ?, host = ?, port = ?, tls = ?, username = ?, folder = ?, "
        "active = ?, poll_interval = ?, updated_at = ?, password = coalesce(?, password) "
        "WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    bind_settings(st, m);
    desk_bind_text(st, 10, m->password);
    sqlite3_bind_int64(st, 11, m->id);
    int rc = desk_step_done(c, st, "mailbox_update");
    if (!rc && sqlite3_changes(c->db) == 0) {
        rc = DESK_ENOTFOUND;
    }
    return rc;
}

int desk_store_mailbox_delete(struct desk_conn *c, int64_t id)
{
    static const char sql[] = "DELETE FROM mailboxes WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc = desk_step_done(c, st, "mailbox_delete");
    if (!rc && sqlite3_changes(c->db) == 0) {
        rc = DESK_ENOTFOUND;
    }
    return rc;
}

int desk_store_mailbox_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                           bool with_password, struct desk_mailbox *out)
{
    static const char sql[] = "SELECT " MAILBOX_COLS ", password FROM mailboxes WHERE id = ?";
    int rc = desk_row_by_id(c, a, sql, id, read_mailbox_secret, out, "mailbox_get");
    if (!rc && !with_password) {
        out->password = NULL;
    }
    return rc;
}

static int bind_none(sqlite3_stmt *st, int i, const void *ctx)
{
    (void)st, (void)ctx;
    return i;
}

int desk_store_mailbox_list(struct desk_conn *c, struct desk_arena *a, const struct desk_page *p,
                            struct desk_mailbox **items, struct desk_page_out *out)
{
    static const char sel[] = "SELECT " MAILBOX_COLS " FROM mailboxes WHERE 1";
    static const char cnt[] = "SELECT count(*) FROM mailboxes WHERE 1";
    struct desk_lister l = {c, a, p, sizeof(struct desk_mailbox), read_mailbox, bind_none, NULL};
    return desk_list_run(&l, sel, cnt, "id", (void **)items, out);
}

int desk_store_mailbox_active(struct desk_conn *c, struct desk_arena *a, int limit,
                              struct desk_mailbox **items, size_t *n)
{
    static const char sql[] = "SELECT " MAILBOX_COLS ", password FROM mailboxes "
                              "WHERE active = 1 ORDER BY id LIMIT ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int(st, 1, limit);
    struct desk_mailbox *v = desk_arena_alloc(a, (size_t)(limit > 0 ? limit : 1) * sizeof(*v));
    size_t k = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < (size_t)limit) {
        read_mailbox_secret(a, st, &v[k++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "mailbox_active");
    }
    *items = v;
    *n = k;
    return 0;
}

int desk_store_mailbox_polled(struct desk_conn *c, int64_t id, int64_t now, const char *error,
                              int64_t stored)
{
    static const char ok[] = "UPDATE mailboxes SET last_poll_at = ?1, last_success_at = ?1, "
                             "last_error = NULL, failures = 0, "
                             "messages_stored = messages_stored + ?2 WHERE id = ?3";
    static const char bad[] = "UPDATE mailboxes SET last_poll_at = ?1, last_error = ?4, "
                              "failures = failures + 1, "
                              "messages_stored = messages_stored + ?2 WHERE id = ?3";
    sqlite3_stmt *st = desk_stmt(c, error ? bad : ok);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, stored);
    sqlite3_bind_int64(st, 3, id);
    if (error) {
        desk_bind_text(st, 4, error);
    }
    int rc = desk_step_done(c, st, "mailbox_polled");
    if (!rc && sqlite3_changes(c->db) == 0) {
        rc = DESK_ENOTFOUND;
    }
    return rc;
}
