/*
 * SQLite side of the web console (see store_console.h): sessions, macros
 * and their variants, saved views, and the live wall's counters, which the
 * triggers of migration 0009 keep in each ticket's own transaction.
 */
#include "store/store_console.h"
#include "core/buf.h"
#include "store/store_int.h"

#include <stdlib.h>
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

/* ---- sessions ---------------------------------------------------------- */

int desk_store_session_insert(struct desk_conn *c, struct desk_session *s,
                              const unsigned char hash[32], const char *user_agent,
                              const char *peer)
{
    static const char sql[] = "INSERT INTO console_sessions (user_id, token_hash, created_at, "
                              "expires_at, user_agent, peer) VALUES (?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, s->user_id);
    sqlite3_bind_blob(st, 2, hash, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, s->created_at);
    sqlite3_bind_int64(st, 4, s->expires_at);
    desk_bind_text(st, 5, user_agent);
    desk_bind_text(st, 6, peer);
    int rc = desk_step_done(c, st, "session_insert");
    if (!rc) {
        s->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

int desk_store_session_get(struct desk_conn *c, const unsigned char hash[32], int64_t now,
                           struct desk_session *out)
{
    static const char sql[] =
        "SELECT s.id, s.user_id, s.created_at, s.expires_at FROM console_sessions s "
        "JOIN users u ON u.id = s.user_id "
        "WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1 AND u.suspended = 0";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    int rc = row_or_notfound(c, st, "session_get");
    if (!rc) {
        out->id = sqlite3_column_int64(st, 0);
        out->user_id = sqlite3_column_int64(st, 1);
        out->created_at = sqlite3_column_int64(st, 2);
        out->expires_at = sqlite3_column_int64(st, 3);
        sqlite3_reset(st);
    }
    return rc;
}

int desk_store_session_delete(struct desk_conn *c, const unsigned char hash[32])
{
    static const char sql[] = "DELETE FROM console_sessions WHERE token_hash = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
    return desk_step_done(c, st, "session_delete");
}

int desk_store_session_revoke_user(struct desk_conn *c, int64_t user_id)
{
    static const char sql[] = "DELETE FROM console_sessions WHERE user_id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, user_id);
    return desk_step_done(c, st, "session_revoke_user");
}

int desk_store_session_purge(struct desk_conn *c, int64_t now)
{
    static const char sql[] = "DELETE FROM console_sessions WHERE expires_at <= ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, now);
    return desk_step_done(c, st, "session_purge");
}

int desk_store_user_touch_login(struct desk_conn *c, int64_t user_id, int64_t now)
{
    static const char sql[] = "UPDATE users SET last_login_at = ? WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, user_id);
    return desk_step_done(c, st, "user_touch_login");
}

/* ---- macros ------------------------------------------------------------ */

#define MACRO_COLS                                                                                 \
    "id, title, description, active, comment, public, status, priority, type, group_id, "          \
    "assignee, add_tags, remove_tags, position, created_by, created_at, updated_at"

static int col_enum(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int(st, i);
}

static void read_macro(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_macro *m = item;
    memset(m, 0, sizeof(*m));
    m->id = desk_col_i64(st, 0);
    m->title = desk_col_text(a, st, 1);
    m->description = desk_col_text(a, st, 2);
    m->active = desk_col_i64(st, 3) != 0;
    m->comment = desk_col_text(a, st, 4);
    m->comment_public = desk_col_i64(st, 5) != 0;
    m->status = col_enum(st, 6);
    m->priority = col_enum(st, 7);
    m->type = col_enum(st, 8);
    m->group_id = desk_col_i64(st, 9);
    m->assignee = desk_col_text(a, st, 10);
    m->add_tags = desk_strv_split(a, (const char *)sqlite3_column_text(st, 11));
    m->remove_tags = desk_strv_split(a, (const char *)sqlite3_column_text(st, 12));
    m->position = desk_col_i64(st, 13);
    m->created_by = desk_col_i64(st, 14);
    m->created_at = desk_col_i64(st, 15);
    m->updated_at = desk_col_i64(st, 16);
}

static int read_variants(struct desk_conn *c, struct desk_arena *a, struct desk_macro *m)
{
    static const char sql[] =
        "SELECT language, comment FROM macro_variants WHERE macro_id = ? ORDER BY language";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, m->id);
    size_t cap = 4, n = 0;
    struct desk_macro_variant *v = desk_arena_alloc(a, cap * sizeof(*v));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            struct desk_macro_variant *nv = desk_arena_alloc(a, cap * 2 * sizeof(*v));
            memcpy(nv, v, n * sizeof(*v));
            v = nv;
            cap *= 2;
        }
        v[n].language = desk_col_text(a, st, 0);
        v[n].comment = desk_col_text(a, st, 1);
        n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "macro_variants");
    }
    m->variants = v;
    m->n_variants = n;
    return 0;
}

int desk_store_macro_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                         struct desk_macro *out)
{
    static const char sql[] = "SELECT " MACRO_COLS " FROM macros WHERE id = ?";
    struct desk_macro m;
    int rc = desk_row_by_id(c, a, sql, id, read_macro, &m, "macro_get");
    if (!rc && (rc = read_variants(c, a, &m)) == 0) {
        *out = m;
    }
    return rc;
}

static void bind_enum(sqlite3_stmt *st, int i, int v)
{
    if (v < 0) {
        sqlite3_bind_null(st, i);
    } else {
        sqlite3_bind_int(st, i, v);
    }
}

static int write_variants(struct desk_conn *c, const struct desk_macro *m)
{
    static const char del[] = "DELETE FROM macro_variants WHERE macro_id = ?";
    static const char ins[] =
        "INSERT INTO macro_variants (macro_id, language, comment) VALUES (?, lower(?), ?)";
    sqlite3_stmt *st = desk_stmt(c, del);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, m->id);
    int rc = desk_step_done(c, st, "macro_variants_delete");
    for (size_t i = 0; !rc && i < m->n_variants; i++) {
        if (!(st = desk_stmt(c, ins))) {
            return DESK_EINTERNAL;
        }
        sqlite3_bind_int64(st, 1, m->id);
        desk_bind_text(st, 2, m->variants[i].language);
        desk_bind_text(st, 3, m->variants[i].comment);
        rc = desk_step_done(c, st, "macro_variant_insert");
    }
    return rc;
}

/* Binds the macro's fields from parameter 1 (17 columns less id). */
static void bind_macro(struct desk_arena *a, sqlite3_stmt *st, const struct desk_macro *m)
{
    desk_bind_text(st, 1, m->title);
    desk_bind_text(st, 2, m->description);
    sqlite3_bind_int(st, 3, m->active);
    desk_bind_text(st, 4, m->comment);
    sqlite3_bind_int(st, 5, m->comment_public);
    bind_enum(st, 6, m->status);
    bind_enum(st, 7, m->priority);
    bind_enum(st, 8, m->type);
    desk_bind_id(st, 9, m->group_id);
    desk_bind_text(st, 10, m->assignee);
    desk_bind_text(st, 11, desk_strv_join(a, &m->add_tags));
    desk_bind_text(st, 12, desk_strv_join(a, &m->remove_tags));
    sqlite3_bind_int64(st, 13, m->position);
    desk_bind_id(st, 14, m->created_by);
    sqlite3_bind_int64(st, 15, m->created_at);
    sqlite3_bind_int64(st, 16, m->updated_at);
}

int desk_store_macro_insert(struct desk_conn *c, struct desk_macro *m)
{
    static const char sql[] =
        "INSERT INTO macros (title, description, active, comment, public, status, priority, "
        "type, group_id, assignee, add_tags, remove_tags, position, created_by, created_at, "
        "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    struct desk_arena a;
    desk_arena_init(&a);
    bind_macro(&a, st, m);
    int rc = desk_step_done(c, st, "macro_insert");
    desk_arena_release(&a);
    if (!rc) {
        m->id = sqlite3_last_insert_rowid(c->db);
        rc = write_variants(c, m);
    }
    return rc;
}

int desk_store_macro_update(struct desk_conn *c, const struct desk_macro *m)
{
    static const char sql[] =
        "UPDATE macros SET title = ?, description = ?, active = ?, comment = ?, public = ?, "
        "status = ?, priority = ?, type = ?, group_id = ?, assignee = ?, add_tags = ?, "
        "remove_tags = ?, position = ?, created_by = ?, created_at = ?, updated_at = ? "
        "WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    struct desk_arena a;
    desk_arena_init(&a);
    bind_macro(&a, st, m);
    sqlite3_bind_int64(st, 17, m->id);
    int rc = desk_step_done(c, st, "macro_update");
    desk_arena_release(&a);
    return rc ? rc : write_variants(c, m);
}

int desk_store_macro_delete(struct desk_conn *c, int64_t id)
{
    static const char sql[] = "DELETE FROM macros WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc = desk_step_done(c, st, "macro_delete");
    if (!rc && sqlite3_changes(c->db) == 0) {
        rc = DESK_ENOTFOUND;
    }
    return rc;
}

static int bind_active(sqlite3_stmt *st, int i, const void *ctx)
{
    (void)st;
    (void)ctx;
    return i;
}

int desk_store_macro_list(struct desk_conn *c, struct desk_arena *a, bool active_only,
                          const struct desk_page *p, struct desk_macro **items,
                          struct desk_page_out *out)
{
    struct desk_lister l = {c, a, p, sizeof(struct desk_macro), read_macro, bind_active, NULL};
    int rc = desk_list_run(&l,
                           active_only ? "SELECT " MACRO_COLS " FROM macros WHERE active = 1"
                                       : "SELECT " MACRO_COLS " FROM macros WHERE 1",
                           active_only ? "SELECT count(*) FROM macros WHERE active = 1"
                                       : "SELECT count(*) FROM macros",
                           "id", (void **)items, out);
    for (size_t i = 0; !rc && i < out->n; i++) {
        rc = read_variants(c, a, &(*items)[i]);
    }
    return rc;
}

/* ---- views ------------------------------------------------------------- */

#define VIEW_COLS "id, title, query, owner_id, active, position, created_at, updated_at"

static void read_view(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_view *v = item;
    memset(v, 0, sizeof(*v));
    v->id = desk_col_i64(st, 0);
    v->title = desk_col_text(a, st, 1);
    v->query = desk_col_text(a, st, 2);
    v->owner_id = desk_col_i64(st, 3);
    v->active = desk_col_i64(st, 4) != 0;
    v->position = desk_col_i64(st, 5);
    v->created_at = desk_col_i64(st, 6);
    v->updated_at = desk_col_i64(st, 7);
}

int desk_store_view_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                        struct desk_view *out)
{
    static const char sql[] = "SELECT " VIEW_COLS " FROM console_views WHERE id = ?";
    return desk_row_by_id(c, a, sql, id, read_view, out, "view_get");
}

static void bind_view(sqlite3_stmt *st, const struct desk_view *v)
{
    desk_bind_text(st, 1, v->title);
    desk_bind_text(st, 2, v->query);
    desk_bind_id(st, 3, v->owner_id);
    sqlite3_bind_int(st, 4, v->active);
    sqlite3_bind_int64(st, 5, v->position);
    sqlite3_bind_int64(st, 6, v->created_at);
    sqlite3_bind_int64(st, 7, v->updated_at);
}

int desk_store_view_insert(struct desk_conn *c, struct desk_view *v)
{
    static const char sql[] = "INSERT INTO console_views (title, query, owner_id, active, "
                              "position, created_at, updated_at) VALUES (?,?,?,?,?,?,?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    bind_view(st, v);
    int rc = desk_step_done(c, st, "view_insert");
    if (!rc) {
        v->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

int desk_store_view_update(struct desk_conn *c, const struct desk_view *v)
{
    static const char sql[] = "UPDATE console_views SET title = ?, query = ?, owner_id = ?, "
                              "active = ?, position = ?, created_at = ?, updated_at = ? "
                              "WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    bind_view(st, v);
    sqlite3_bind_int64(st, 8, v->id);
    return desk_step_done(c, st, "view_update");
}

int desk_store_view_delete(struct desk_conn *c, int64_t id)
{
    static const char sql[] = "DELETE FROM console_views WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc = desk_step_done(c, st, "view_delete");
    if (!rc && sqlite3_changes(c->db) == 0) {
        rc = DESK_ENOTFOUND;
    }
    return rc;
}

struct view_filter {
    int64_t user_id;
};

static int bind_view_filter(sqlite3_stmt *st, int i, const void *ctx)
{
    const struct view_filter *f = ctx;
    sqlite3_bind_int64(st, i++, f->user_id);
    return i;
}

int desk_store_view_list(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                         bool active_only, const struct desk_page *p, struct desk_view **items,
                         struct desk_page_out *out)
{
    struct view_filter f = {user_id};
    struct desk_lister l = {c, a, p, sizeof(struct desk_view), read_view, bind_view_filter, &f};
    return desk_list_run(
        &l,
        active_only ? "SELECT " VIEW_COLS " FROM console_views WHERE (owner_id IS NULL OR "
                      "owner_id = ?) AND active = 1"
                    : "SELECT " VIEW_COLS " FROM console_views WHERE (owner_id IS NULL OR "
                      "owner_id = ?)",
        active_only ? "SELECT count(*) FROM console_views WHERE (owner_id IS NULL OR "
                      "owner_id = ?) AND active = 1"
                    : "SELECT count(*) FROM console_views WHERE (owner_id IS NULL OR "
                      "owner_id = ?)",
        "id", (void **)items, out);
}

/* ---- live counters ----------------------------------------------------- */

/* The oldest waiting ticket of one queue: a seek on the partial indexes of 0009. */
static int oldest(struct desk_conn *c, const char *dim, const char *key, int64_t *out)
{
    static const char by_group[] =
        "SELECT min(created_at) FROM tickets WHERE ifnull(group_id, 0) = ? "
        "AND status < 2 AND assignee_id IS NULL AND deleted_at IS NULL";
    static const char by_language[] =
        "SELECT min(created_at) FROM tickets WHERE ifnull(language, '') = ? "
        "AND status < 2 AND assignee_id IS NULL AND deleted_at IS NULL";
    static const char by_channel[] =
        "SELECT min(created_at) FROM tickets WHERE via = CAST(? AS INTEGER) "
        "AND status < 2 AND assignee_id IS NULL AND deleted_at IS NULL";
    const char *sql = strcmp(dim, "group") == 0      ? by_group
                      : strcmp(dim, "language") == 0 ? by_language
                                                     : by_channel;
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    /* The group's key binds as an integer: the expression index only matches
     * a plain parameter, and a CAST around it turns the seek into a scan. */
    if (sql == by_group) {
        sqlite3_bind_int64(st, 1, strtoll(key, NULL, 10));
    } else {
        desk_bind_text(st, 1, key);
    }
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : desk_sqlite_err(c, rc, "live_oldest");
}

int desk_store_live_counts(struct desk_conn *c, struct desk_arena *a,
                           struct desk_live_count **items, size_t *n)
{
    static const char sql[] = "SELECT dim, key, waiting, open FROM live_counts "
                              "WHERE open > 0 ORDER BY dim, key";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    size_t cap = 16, k = 0;
    struct desk_live_count *v = desk_arena_alloc(a, cap * sizeof(*v));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap) {
            struct desk_live_count *nv = desk_arena_alloc(a, cap * 2 * sizeof(*v));
            memcpy(nv, v, k * sizeof(*v));
            v = nv;
            cap *= 2;
        }
        v[k].dim = desk_col_text(a, st, 0);
        v[k].key = desk_col_text(a, st, 1);
        v[k].waiting = desk_col_i64(st, 2);
        v[k].open = desk_col_i64(st, 3);
        v[k].oldest_at = 0;
        k++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "live_counts");
    }
    for (size_t i = 0; i < k; i++) {
        if (v[i].waiting > 0 && (rc = oldest(c, v[i].dim, v[i].key, &v[i].oldest_at)) != 0) {
            return rc;
        }
    }
    *items = v;
    *n = k;
    return 0;
}

int desk_store_live_count(struct desk_conn *c, struct desk_arena *a, const char *dim,
                          const char *key, struct desk_live_count *out)
{
    static const char sql[] = "SELECT waiting, open FROM live_counts WHERE dim = ? AND key = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, dim);
    desk_bind_text(st, 2, key);
    memset(out, 0, sizeof(*out));
    out->dim = desk_arena_strdup(a, dim);
    out->key = desk_arena_strdup(a, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->waiting = sqlite3_column_int64(st, 0);
        out->open = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "live_count");
    }
    return out->waiting > 0 ? oldest(c, dim, key, &out->oldest_at) : 0;
}

int desk_store_live_loads(struct desk_conn *c, struct desk_arena *a, struct desk_live_load **items,
                          size_t *n)
{
    static const char sql[] =
        "SELECT assignee_id, sum(CASE WHEN status < 2 THEN n ELSE 0 END), "
        "sum(CASE WHEN status IN (2, 3) THEN n ELSE 0 END) FROM queue_counts "
        "WHERE assignee_id <> 0 AND status < 4 GROUP BY assignee_id HAVING sum(n) > 0";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    size_t cap = 16, k = 0;
    struct desk_live_load *v = desk_arena_alloc(a, cap * sizeof(*v));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap) {
            struct desk_live_load *nv = desk_arena_alloc(a, cap * 2 * sizeof(*v));
            memcpy(nv, v, k * sizeof(*v));
            v = nv;
            cap *= 2;
        }
        v[k].assignee_id = desk_col_i64(st, 0);
        v[k].open = desk_col_i64(st, 1);
        v[k].pending = desk_col_i64(st, 2);
        k++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "live_loads");
    }
    *items = v;
    *n = k;
    return 0;
}

int desk_store_live_load(struct desk_conn *c, int64_t assignee_id, struct desk_live_load *out)
{
    static const char sql[] =
        "SELECT ifnull(sum(CASE WHEN status < 2 THEN n ELSE 0 END), 0), "
        "ifnull(sum(CASE WHEN status IN (2, 3) THEN n ELSE 0 END), 0) FROM queue_counts "
        "WHERE assignee_id = ? AND status < 4";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, assignee_id);
    memset(out, 0, sizeof(*out));
    out->assignee_id = assignee_id;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->open = sqlite3_column_int64(st, 0);
        out->pending = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : desk_sqlite_err(c, rc, "live_load");
}

int desk_store_live_attention(struct desk_conn *c, struct desk_live_attention *out)
{
    static const char sql[] = "SELECT kind, n FROM live_attention";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    *out = (struct desk_live_attention){0};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        int64_t n = sqlite3_column_int64(st, 1);
        int64_t *slot = !k                               ? NULL
                        : strcmp(k, "sla_at_risk") == 0  ? &out->sla_at_risk
                        : strcmp(k, "sla_breached") == 0 ? &out->sla_breached
                        : strcmp(k, "escalations") == 0  ? &out->escalations
                        : strcmp(k, "approvals") == 0    ? &out->approvals
                        : strcmp(k, "drafts") == 0       ? &out->drafts
                        : strcmp(k, "irate") == 0        ? &out->irate
                                                         : NULL;
        if (slot) {
            *slot = n > 0 ? n : 0;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : desk_sqlite_err(c, rc, "live_attention");
}

/* ---- uploads ------------------------------------------------------------ */

int desk_store_upload_insert(struct desk_conn *c, struct desk_attachment *at, const char *token,
                             int64_t user_id, int64_t expires_at)
{
    static const char purge_atts[] =
        "DELETE FROM mail_attachments WHERE comment_id = 0 AND id IN "
        "(SELECT attachment_id FROM console_uploads WHERE expires_at < ?)";
    static const char purge[] = "DELETE FROM console_uploads WHERE expires_at < ?";
    static const char ins[] =
        "INSERT INTO console_uploads (attachment_id, token, user_id, expires_at) VALUES (?,?,?,?)";
    sqlite3_stmt *st = desk_stmt(c, purge_atts);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, at->created_at);
    int rc = desk_step_done(c, st, "upload_purge");
    if (rc || !(st = desk_stmt(c, purge))) {
        return rc ? rc : DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, at->created_at);
    if ((rc = desk_step_done(c, st, "upload_purge")) != 0) {
        return rc;
    }
    at->ticket_id = 0;
    at->comment_id = 0;
    if ((rc = desk_store_attachment_insert(c, at)) != 0) {
        return rc;
    }
    if (!(st = desk_stmt(c, ins))) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, at->id);
    desk_bind_text(st, 2, token);
    sqlite3_bind_int64(st, 3, user_id);
    sqlite3_bind_int64(st, 4, expires_at);
    return desk_step_done(c, st, "upload_insert");
}

int desk_store_upload_owner(struct desk_conn *c, const char *token, int64_t now, int64_t *user_id)
{
    static const char sql[] =
        "SELECT user_id FROM console_uploads WHERE token = ? AND expires_at >= ? LIMIT 1";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, token);
    sqlite3_bind_int64(st, 2, now);
    int rc = row_or_notfound(c, st, "upload_owner");
    if (!rc) {
        *user_id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    return rc;
}

int desk_store_upload_list(struct desk_conn *c, struct desk_arena *a, const char *token,
                           struct desk_attachment **items, size_t *n)
{
    static const char sql[] =
        "SELECT attachment_id FROM console_uploads WHERE token = ? ORDER BY attachment_id "
        "LIMIT 100";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, token);
    int64_t ids[100];
    size_t k = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < 100) {
        ids[k++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        return desk_sqlite_err(c, rc, "upload_list");
    }
    struct desk_attachment *v = desk_arena_alloc(a, (k ? k : 1) * sizeof(*v));
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        if ((rc = desk_store_attachment_get(c, a, ids[i], &v[m])) == 0) {
            m++;
        } else if (rc != DESK_ENOTFOUND) {
            return rc;
        }
    }
    *items = v;
    *n = m;
    return 0;
}

int desk_store_upload_attach(struct desk_conn *c, const char *token, int64_t ticket_id,
                             int64_t comment_id)
{
    static const char upd[] =
        "UPDATE mail_attachments SET ticket_id = ?, comment_id = ? WHERE comment_id = 0 AND id IN "
        "(SELECT attachment_id FROM console_uploads WHERE token = ?)";
    static const char del[] = "DELETE FROM console_uploads WHERE token = ?";
    sqlite3_stmt *st = desk_stmt(c, upd);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, ticket_id);
    sqlite3_bind_int64(st, 2, comment_id);
    desk_bind_text(st, 3, token);
    int rc = desk_step_done(c, st, "upload_attach");
    if (rc || !(st = desk_stmt(c, del))) {
        return rc ? rc : DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, token);
    return desk_step_done(c, st, "upload_attach");
}

int desk_store_upload_discard(struct desk_conn *c, const char *token)
{
    static const char atts[] = "DELETE FROM mail_attachments WHERE comment_id = 0 AND id IN "
                               "(SELECT attachment_id FROM console_uploads WHERE token = ?)";
    static const char del[] = "DELETE FROM console_uploads WHERE token = ?";
    sqlite3_stmt *st = desk_stmt(c, atts);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, token);
    int rc = desk_step_done(c, st, "upload_discard");
    if (rc || !(st = desk_stmt(c, del))) {
        return rc ? rc : DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, token);
    return desk_step_done(c, st, "upload_discard");
}

/* ---- one-time sign-in links ------------------------------------------------ */

int desk_store_signin_link_insert(struct desk_conn *c, int64_t user_id,
                                  const unsigned char hash[32], int64_t now, int64_t expires_at,
                                  struct desk_outbox_msg *msg)
{
    static const char purge[] = "DELETE FROM console_signin_links WHERE expires_at < ?";
    static const char ins[] = "INSERT INTO console_signin_links (user_id, token_hash, created_at, "
                              "expires_at) VALUES (?, ?, ?, ?)";
    static const char out[] =
        "INSERT INTO outbox (kind, ticket_id, user_id, to_addr, to_name, language, subject, "
        "message_id, raw, next_attempt_at, created_at, updated_at) "
        "VALUES ('signin', 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, purge);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, now);
    int rc = desk_step_done(c, st, "signin_purge");
    if (rc || !(st = desk_stmt(c, ins))) {
        return rc ? rc : DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_blob(st, 2, hash, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_int64(st, 4, expires_at);
    if ((rc = desk_step_done(c, st, "signin_insert")) != 0 || !(st = desk_stmt(c, out))) {
        return rc ? rc : DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, user_id);
    desk_bind_text(st, 2, msg->to_addr);
    desk_bind_text(st, 3, msg->to_name);
    desk_bind_text(st, 4, msg->language);
    desk_bind_text(st, 5, msg->subject);
    desk_bind_text(st, 6, msg->message_id);
    sqlite3_bind_blob(st, 7, msg->raw, (int)msg->raw_len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, now);
    sqlite3_bind_int64(st, 9, now);
    sqlite3_bind_int64(st, 10, now);
    if ((rc = desk_step_done(c, st, "signin_outbox")) == 0) {
        msg->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

int desk_store_signin_link_use(struct desk_conn *c, const unsigned char hash[32], int64_t now,
                               int64_t *user_id)
{
    static const char sql[] =
        "UPDATE console_signin_links SET used_at = ?1 WHERE token_hash = ?2 AND used_at IS NULL "
        "AND expires_at > ?1 AND user_id IN (SELECT id FROM users WHERE active = 1 AND "
        "suspended = 0) RETURNING user_id";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_blob(st, 2, hash, 32, SQLITE_STATIC);
    int rc = row_or_notfound(c, st, "signin_use");
    if (!rc) {
        *user_id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    return rc;
}
