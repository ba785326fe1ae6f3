/*
 * Users, identities, API tokens, organizations, groups and group
 * memberships in SQLite. Every function here is one statement or a short
 * fixed sequence; rules about who may do what live in app/.
 */
#include "store/store_int.h"
#include "core/buf.h"

#include <string.h>

#define USER_COLS                                                                                  \
    "u.id, u.name, u.email, u.role, u.locale, u.time_zone, u.organization_id, "                    \
    "u.default_group_id, u.phone, u.external_id, u.alias, u.details, u.notes, u.signature, "       \
    "u.tags, u.verified, u.active, u.suspended, u.only_private_comments, u.last_login_at, "        \
    "u.created_at, u.updated_at"

static void read_user(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_user *u = item;
    memset(u, 0, sizeof(*u));
    u->id = desk_col_i64(st, 0);
    u->name = desk_col_text(a, st, 1);
    u->email = desk_col_text(a, st, 2);
    u->role = (int)desk_col_i64(st, 3);
    u->locale = desk_col_text(a, st, 4);
    u->time_zone = desk_col_text(a, st, 5);
    u->organization_id = desk_col_i64(st, 6);
    u->default_group_id = desk_col_i64(st, 7);
    u->phone = desk_col_text(a, st, 8);
    u->external_id = desk_col_text(a, st, 9);
    u->alias = desk_col_text(a, st, 10);
    u->details = desk_col_text(a, st, 11);
    u->notes = desk_col_text(a, st, 12);
    u->signature = desk_col_text(a, st, 13);
    u->tags = desk_strv_split(a, (const char *)sqlite3_column_text(st, 14));
    u->verified = desk_col_i64(st, 15) != 0;
    u->active = desk_col_i64(st, 16) != 0;
    u->suspended = desk_col_i64(st, 17) != 0;
    u->only_private_comments = desk_col_i64(st, 18) != 0;
    u->last_login_at = desk_col_i64(st, 19);
    u->created_at = desk_col_i64(st, 20);
    u->updated_at = desk_col_i64(st, 21);
}

static int get_one(struct desk_conn *c, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        return 0;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? DESK_ENOTFOUND : desk_sqlite_err(c, rc, what);
}

int desk_store_user_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                        struct desk_user *out)
{
    static const char sql[] = "SELECT " USER_COLS " FROM users u WHERE u.id = ?";
    return desk_row_by_id(c, a, sql, id, read_user, out, "user_get");
}

int desk_store_user_by_email(struct desk_conn *c, struct desk_arena *a, const char *email,
                             struct desk_user *out)
{
    static const char sql[] = "SELECT " USER_COLS " FROM identities i JOIN users u ON "
                              "u.id = i.user_id WHERE i.type = 'email' AND i.value = lower(?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, email);
    int rc = get_one(c, st, "user_by_email");
    if (!rc) {
        read_user(a, st, out);
        sqlite3_reset(st);
    }
    return rc;
}

int desk_store_user_password(struct desk_conn *c, struct desk_arena *a, int64_t id,
                             const char **out)
{
    static const char sql[] = "SELECT password_hash FROM users WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc = get_one(c, st, "user_password");
    if (!rc) {
        *out = desk_col_text(a, st, 0);
        sqlite3_reset(st);
    }
    return rc;
}

static void bind_user(struct desk_arena *a, sqlite3_stmt *st, const struct desk_user *u)
{
    desk_bind_text(st, 1, u->name);
    desk_bind_text(st, 2, u->email);
    sqlite3_bind_int(st, 3, u->role);
    desk_bind_text(st, 4, u->locale ? u->locale : "en-US");
    desk_bind_text(st, 5, u->time_zone ? u->time_zone : "UTC");
    desk_bind_id(st, 6, u->organization_id);
    desk_bind_id(st, 7, u->default_group_id);
    desk_bind_text(st, 8, u->phone);
    desk_bind_text(st, 9, u->external_id);
    desk_bind_text(st, 10, u->alias);
    desk_bind_text(st, 11, u->details);
    desk_bind_text(st, 12, u->notes);
    desk_bind_text(st, 13, u->signature);
    sqlite3_bind_text(st, 14, desk_strv_join(a, &u->tags), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 15, u->verified);
    sqlite3_bind_int(st, 16, u->active);
    sqlite3_bind_int(st, 17, u->suspended);
    sqlite3_bind_int(st, 18, u->only_private_comments);
    sqlite3_bind_int64(st, 19, u->updated_at);
}

static int set_email(struct desk_conn *c, int64_t user_id, const char *email, int64_t now)
{
    static const char del[] =
        "DELETE FROM identities WHERE user_id = ? AND type = 'email' AND is_primary = 1";
    static const char ins[] = "INSERT INTO identities (user_id, type, value, is_primary, "
                              "created_at) VALUES (?, 'email', lower(?), 1, ?)";
    sqlite3_stmt *st = desk_stmt(c, del);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, user_id);
    int rc = desk_step_done(c, st, "identity_delete");
    if (rc || !email) {
        return rc;
    }
    st = desk_stmt(c, ins);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, user_id);
    desk_bind_text(st, 2, email);
    sqlite3_bind_int64(st, 3, now);
    return desk_step_done(c, st, "identity_insert");
}

int desk_store_user_insert(struct desk_conn *c, struct desk_user *u)
{
    static const char sql[] =
        "INSERT INTO users (name, email, role, locale, time_zone, organization_id, "
        "default_group_id, phone, external_id, alias, details, notes, signature, tags, verified, "
        "active, suspended, only_private_comments, updated_at, created_at) "
        "VALUES (?,lower(?),?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    struct desk_arena a;
    desk_arena_init(&a);
    sqlite3_stmt *st = desk_stmt(c, sql);
    int rc = DESK_EINTERNAL;
    if (st) {
        bind_user(&a, st, u);
        sqlite3_bind_int64(st, 20, u->created_at);
        rc = desk_step_done(c, st, "user_insert");
    }
    desk_arena_release(&a);
    if (rc) {
        return rc;
    }
    u->id = sqlite3_last_insert_rowid(c->db);
    return set_email(c, u->id, u->email, u->created_at);
}

int desk_store_user_update(struct desk_conn *c, const struct desk_user *u)
{
    static const char sql[] =
        "UPDATE users SET name=?, email=lower(?), role=?, locale=?, time_zone=?, "
        "organization_id=?, default_group_id=?, phone=?, external_id=?, alias=?, details=?, "
        "notes=?, signature=?, tags=?, verified=?, active=?, suspended=?, "
        "only_private_comments=?, updated_at=? WHERE id=?";
    struct desk_arena a;
    desk_arena_init(&a);
    sqlite3_stmt *st = desk_stmt(c, sql);
    int rc = DESK_EINTERNAL;
    if (st) {
        bind_user(&a, st, u);
        sqlite3_bind_int64(st, 20, u->id);
        rc = desk_step_done(c, st, "user_update");
    }
    desk_arena_release(&a);
    if (rc) {
        return rc;
    }
    if (sqlite3_changes(c->db) == 0) {
        return DESK_ENOTFOUND;
    }
    return set_email(c, u->id, u->email, u->updated_at);
}

int desk_store_user_set_password(struct desk_conn *c, int64_t id, const char *hash)
{
    static const char sql[] = "UPDATE users SET password_hash = ? WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, hash);
    sqlite3_bind_int64(st, 2, id);
    return desk_step_done(c, st, "user_set_password");
}

static int bind_user_filter(sqlite3_stmt *st, int i, const void *ctx)
{
    const struct desk_user_filter *f = ctx;
    if (f->role >= 0) {
        sqlite3_bind_int(st, i++, f->role);
    }
    if (f->organization_id) {
        sqlite3_bind_int64(st, i++, f->organization_id);
    }
    if (f->group_id) {
        sqlite3_bind_int64(st, i++, f->group_id);
    }
    if (f->external_id) {
        desk_bind_text(st, i++, f->external_id);
    }
    for (size_t k = 0; k < f->n_ids; k++) {
        sqlite3_bind_int64(st, i++, f->ids[k]);
    }
    return i;
}

static void user_filter_sql(struct desk_buf *b, const struct desk_user_filter *f)
{
    if (f->role == DESK_ROLE_AGENT) {
        /* Zendesk's agents: desk's supervisors are agents there too; admins are not. */
        desk_buf_adds(b, " AND u.role IN (?, 2)");
    } else if (f->role >= 0) {
        desk_buf_adds(b, " AND u.role = ?");
    }
    if (f->organization_id) {
        desk_buf_adds(b, " AND u.organization_id = ?");
    }
    if (f->group_id) {
        desk_buf_adds(b, " AND u.id IN (SELECT user_id FROM group_memberships WHERE group_id = ?)");
    }
    if (f->external_id) {
        desk_buf_adds(b, " AND u.external_id = ?");
    }
    if (f->n_ids) {
        desk_ids_sql(b, "u.id", f->n_ids);
    }
}

int desk_store_user_list(struct desk_conn *c, struct desk_arena *a,
                         const struct desk_user_filter *f, const struct desk_page *p,
                         struct desk_user **items, struct desk_page_out *out)
{
    struct desk_buf where, sel, cnt;
    desk_buf_init(&where, 0);
    desk_buf_init(&sel, 0);
    desk_buf_init(&cnt, 0);
    user_filter_sql(&where, f);
    desk_buf_addf(&sel, "SELECT " USER_COLS " FROM users u WHERE 1%s",
                  where.data ? where.data : "");
    desk_buf_addf(&cnt, "SELECT count(*) FROM users u WHERE 1%s", where.data ? where.data : "");
    struct desk_lister l = {c, a, p, sizeof(struct desk_user), read_user, bind_user_filter, f};
    int rc = desk_list_run(&l, sel.data, cnt.data, "u.id", (void **)items, out);
    desk_buf_release(&where);
    desk_buf_release(&sel);
    desk_buf_release(&cnt);
    return rc;
}

int desk_store_token_insert(struct desk_conn *c, int64_t user_id, const unsigned char hash[32],
                            const char *description)
{
    static const char sql[] = "INSERT INTO api_tokens (user_id, token_hash, description, "
                              "created_at) VALUES (?, ?, ?, strftime('%s','now') * 1000)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_blob(st, 2, hash, 32, SQLITE_STATIC);
    desk_bind_text(st, 3, description);
    return desk_step_done(c, st, "token_insert");
}

int desk_store_token_owner(struct desk_conn *c, struct desk_arena *a, const unsigned char hash[32],
                           struct desk_token_owner *out)
{
    static const char sql[] =
        "SELECT u.id, u.role, u.organization_id, u.email, ifnull(o.shared_tickets, 0) "
        "FROM api_tokens t JOIN users u ON u.id = t.user_id "
        "LEFT JOIN organizations o ON o.id = u.organization_id "
        "WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.active = 1 AND u.suspended = 0";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
    int rc = get_one(c, st, "token_owner");
    if (!rc) {
        out->user_id = sqlite3_column_int64(st, 0);
        out->role = sqlite3_column_int(st, 1);
        out->organization_id = sqlite3_column_int64(st, 2);
        out->email = desk_col_text(a, st, 3);
        out->org_shared = sqlite3_column_int(st, 4) != 0;
        sqlite3_reset(st);
    }
    return rc;
}

int desk_store_token_revoke_all(struct desk_conn *c, int64_t user_id)
{
    static const char sql[] = "UPDATE api_tokens SET revoked_at = strftime('%s','now') * 1000 "
                              "WHERE user_id = ? AND revoked_at IS NULL";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, user_id);
    return desk_step_done(c, st, "token_revoke");
}

/* ---- organizations ------------------------------------------------------ */

#define ORG_COLS                                                                                   \
    "id, name, external_id, details, notes, group_id, shared_tickets, shared_comments, "           \
    "domain_names, tags, created_at, updated_at"

static void read_org(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_org *o = item;
    memset(o, 0, sizeof(*o));
    o->id = desk_col_i64(st, 0);
    o->name = desk_col_text(a, st, 1);
    o->external_id = desk_col_text(a, st, 2);
    o->details = desk_col_text(a, st, 3);
    o->notes = desk_col_text(a, st, 4);
    o->group_id = desk_col_i64(st, 5);
    o->shared_tickets = desk_col_i64(st, 6) != 0;
    o->shared_comments = desk_col_i64(st, 7) != 0;
    o->domain_names = desk_strv_split(a, (const char *)sqlite3_column_text(st, 8));
    o->tags = desk_strv_split(a, (const char *)sqlite3_column_text(st, 9));
    o->created_at = desk_col_i64(st, 10);
    o->updated_at = desk_col_i64(st, 11);
}

int desk_store_org_get(struct desk_conn *c, struct desk_arena *a, int64_t id, struct desk_org *out)
{
    static const char sql[] = "SELECT " ORG_COLS " FROM organizations WHERE id = ?";
    return desk_row_by_id(c, a, sql, id, read_org, out, "org_get");
}

static void bind_org(struct desk_arena *a, sqlite3_stmt *st, const struct desk_org *o)
{
    desk_bind_text(st, 1, o->name);
    desk_bind_text(st, 2, o->name);
    desk_bind_text(st, 3, o->external_id);
    desk_bind_text(st, 4, o->details);
    desk_bind_text(st, 5, o->notes);
    desk_bind_id(st, 6, o->group_id);
    sqlite3_bind_int(st, 7, o->shared_tickets);
    sqlite3_bind_int(st, 8, o->shared_comments);
    sqlite3_bind_text(st, 9, desk_strv_join(a, &o->domain_names), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 10, desk_strv_join(a, &o->tags), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 11, o->updated_at);
}

int desk_store_org_insert(struct desk_conn *c, struct desk_org *o)
{
    static const char sql[] =
        "INSERT INTO organizations (name, name_key, external_id, details, notes, group_id, "
        "shared_tickets, shared_comments, domain_names, tags, updated_at, created_at) "
        "VALUES (?, lower(?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    struct desk_arena a;
    desk_arena_init(&a);
    sqlite3_stmt *st = desk_stmt(c, sql);
    int rc = DESK_EINTERNAL;
    if (st) {
        bind_org(&a, st, o);
        sqlite3_bind_int64(st, 12, o->created_at);
        rc = desk_step_done(c, st, "org_insert");
    }
    desk_arena_release(&a);
    if (!rc) {
        o->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

int desk_store_org_update(struct desk_conn *c, const struct desk_org *o)
{
    static const char sql[] =
        "UPDATE organizations SET name=?, name_key=lower(?), external_id=?, details=?, notes=?, "
        "group_id=?, shared_tickets=?, shared_comments=?, domain_names=?, tags=?, updated_at=? "
        "WHERE id=?";
    struct desk_arena a;
    desk_arena_init(&a);
    sqlite3_stmt *st = desk_stmt(c, sql);
    int rc = DESK_EINTERNAL;
    if (st) {
        bind_org(&a, st, o);
        sqlite3_bind_int64(st, 12, o->id);
        rc = desk_step_done(c, st, "org_update");
    }
    desk_arena_release(&a);
    if (!rc && sqlite3_changes(c->db) == 0) {
        rc = DESK_ENOTFOUND;
    }
    return rc;
}

int desk_store_org_delete(struct desk_conn *c, int64_t id)
{
    /* Tickets keep their history; they just lose the organization link. */
    static const char unlink_sql[] = "UPDATE tickets SET organization_id = NULL "
                                     "WHERE organization_id = ?";
    static const char sql[] = "DELETE FROM organizations WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, unlink_sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc = desk_step_done(c, st, "org_unlink");
    if (rc) {
        return rc;
    }
    st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, id);
    rc = desk_step_done(c, st, "org_delete");
    if (!rc && sqlite3_changes(c->db) == 0) {
        rc = DESK_ENOTFOUND;
    }
    return rc;
}

int desk_store_org_find(struct desk_conn *c, struct desk_arena *a, const char *name,
                        const char *external_id, struct desk_org *out)
{
    static const char by_name[] =
        "SELECT " ORG_COLS " FROM organizations WHERE name_key = lower(?)";
    static const char by_ext[] = "SELECT " ORG_COLS " FROM organizations WHERE external_id = ? "
                                 "ORDER BY id LIMIT 1";
    sqlite3_stmt *st = desk_stmt(c, name ? by_name : by_ext);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, name ? name : external_id);
    int rc = get_one(c, st, "org_find");
    if (!rc) {
        read_org(a, st, out);
        sqlite3_reset(st);
    }
    return rc;
}

struct ids_ctx {
    const int64_t *ids;
    size_t n;
    int64_t extra; /* an optional leading id parameter, 0 = none */
    int64_t extra2;
};

static int bind_ids(sqlite3_stmt *st, int i, const void *ctx)
{
    const struct ids_ctx *x = ctx;
    if (x->extra) {
        sqlite3_bind_int64(st, i++, x->extra);
    }
    if (x->extra2) {
        sqlite3_bind_int64(st, i++, x->extra2);
    }
    for (size_t k = 0; k < x->n; k++) {
        sqlite3_bind_int64(st, i++, x->ids[k]);
    }
    return i;
}

int desk_store_org_list(struct desk_conn *c, struct desk_arena *a, const int64_t *ids, size_t n_ids,
                        const struct desk_page *p, struct desk_org **items,
                        struct desk_page_out *out)
{
    struct desk_buf where, sel, cnt;
    desk_buf_init(&where, 0);
    desk_buf_init(&sel, 0);
    desk_buf_init(&cnt, 0);
    desk_buf_adds(&where, "");
    if (n_ids) {
        desk_ids_sql(&where, "id", n_ids);
    }
    desk_buf_addf(&sel, "SELECT " ORG_COLS " FROM organizations WHERE 1%s", where.data);
    desk_buf_addf(&cnt, "SELECT count(*) FROM organizations WHERE 1%s", where.data);
    struct ids_ctx x = {ids, n_ids, 0, 0};
    struct desk_lister l = {c, a, p, sizeof(struct desk_org), read_org, bind_ids, &x};
    int rc = desk_list_run(&l, sel.data, cnt.data, "id", (void **)items, out);
    desk_buf_release(&where);
    desk_buf_release(&sel);
    desk_buf_release(&cnt);
    return rc;
}

/* ---- groups --------------------------------------------------------------- */

#define GROUP_COLS                                                                                 \
    "g.id, g.name, g.description, g.is_public, g.is_default, g.deleted, "                          \
    "g.created_at, g.updated_at"

static void read_group(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_group *g = item;
    memset(g, 0, sizeof(*g));
    g->id = desk_col_i64(st, 0);
    g->name = desk_col_text(a, st, 1);
    g->description = desk_col_text(a, st, 2);
    g->is_public = desk_col_i64(st, 3) != 0;
    g->is_default = desk_col_i64(st, 4) != 0;
    g->deleted = desk_col_i64(st, 5) != 0;
    g->created_at = desk_col_i64(st, 6);
    g->updated_at = desk_col_i64(st, 7);
}

int desk_store_group_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                         struct desk_group *out)
{
    static const char sql[] = "SELECT " GROUP_COLS " FROM groups g WHERE g.id = ?";
    return desk_row_by_id(c, a, sql, id, read_group, out, "group_get");
}

int desk_store_group_insert(struct desk_conn *c, struct desk_group *g)
{
    static const char sql[] = "INSERT INTO groups (name, description, is_public, is_default, "
                              "deleted, created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, g->name);
    desk_bind_text(st, 2, g->description ? g->description : "");
    sqlite3_bind_int(st, 3, g->is_public);
    sqlite3_bind_int(st, 4, g->is_default);
    sqlite3_bind_int64(st, 5, g->created_at);
    sqlite3_bind_int64(st, 6, g->updated_at);
    int rc = desk_step_done(c, st, "group_insert");
    if (!rc) {
        g->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

int desk_store_group_update(struct desk_conn *c, const struct desk_group *g)
{
    static const char sql[] = "UPDATE groups SET name=?, description=?, is_public=?, "
                              "is_default=?, deleted=?, updated_at=? WHERE id=?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, g->name);
    desk_bind_text(st, 2, g->description ? g->description : "");
    sqlite3_bind_int(st, 3, g->is_public);
    sqlite3_bind_int(st, 4, g->is_default);
    sqlite3_bind_int(st, 5, g->deleted);
    sqlite3_bind_int64(st, 6, g->updated_at);
    sqlite3_bind_int64(st, 7, g->id);
    int rc = desk_step_done(c, st, "group_update");
    if (!rc && sqlite3_changes(c->db) == 0) {
        rc = DESK_ENOTFOUND;
    }
    return rc;
}

int desk_store_group_list(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                          const struct desk_page *p, struct desk_group **items,
                          struct desk_page_out *out)
{
    static const char all_sel[] = "SELECT " GROUP_COLS " FROM groups g WHERE g.deleted = 0";
    static const char all_cnt[] = "SELECT count(*) FROM groups g WHERE g.deleted = 0";
    static const char user_sel[] = "SELECT " GROUP_COLS " FROM groups g WHERE g.deleted = 0 AND "
                                   "g.id IN (SELECT group_id FROM group_memberships WHERE "
                                   "user_id = ?)";
    static const char user_cnt[] = "SELECT count(*) FROM groups g WHERE g.deleted = 0 AND "
                                   "g.id IN (SELECT group_id FROM group_memberships WHERE "
                                   "user_id = ?)";
    struct ids_ctx x = {NULL, 0, user_id, 0};
    struct desk_lister l = {c, a, p, sizeof(struct desk_group), read_group, bind_ids, &x};
    return desk_list_run(&l, user_id ? user_sel : all_sel, user_id ? user_cnt : all_cnt, "g.id",
                         (void **)items, out);
}

/* ---- memberships ---------------------------------------------------------- */

#define MEMBERSHIP_COLS "id, user_id, group_id, is_default, created_at, updated_at"

static void read_membership(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_membership *m = item;
    (void)a;
    m->id = desk_col_i64(st, 0);
    m->user_id = desk_col_i64(st, 1);
    m->group_id = desk_col_i64(st, 2);
    m->is_default = desk_col_i64(st, 3) != 0;
    m->created_at = desk_col_i64(st, 4);
    m->updated_at = desk_col_i64(st, 5);
}

int desk_store_membership_get(struct desk_conn *c, int64_t id, struct desk_membership *out)
{
    static const char sql[] = "SELECT " MEMBERSHIP_COLS " FROM group_memberships WHERE id = ?";
    return desk_row_by_id(c, NULL, sql, id, read_membership, out, "membership_get");
}

int desk_store_membership_insert(struct desk_conn *c, struct desk_membership *m)
{
    static const char sql[] = "INSERT INTO group_memberships (user_id, group_id, is_default, "
                              "created_at, updated_at) VALUES (?, ?, ?, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, m->user_id);
    sqlite3_bind_int64(st, 2, m->group_id);
    sqlite3_bind_int(st, 3, m->is_default);
    sqlite3_bind_int64(st, 4, m->created_at);
    sqlite3_bind_int64(st, 5, m->updated_at);
    int rc = desk_step_done(c, st, "membership_insert");
    if (!rc) {
        m->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

int desk_store_membership_delete(struct desk_conn *c, int64_t id)
{
    static const char sql[] = "DELETE FROM group_memberships WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc = desk_step_done(c, st, "membership_delete");
    if (!rc && sqlite3_changes(c->db) == 0) {
        rc = DESK_ENOTFOUND;
    }
    return rc;
}

int desk_store_membership_delete_group(struct desk_conn *c, int64_t group_id)
{
    static const char sql[] = "DELETE FROM group_memberships WHERE group_id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, group_id);
    return desk_step_done(c, st, "membership_delete_group");
}

int desk_store_membership_make_default(struct desk_conn *c, int64_t user_id, int64_t id)
{
    static const char sql[] = "UPDATE group_memberships SET is_default = (id = ?), "
                              "updated_at = strftime('%s','now') * 1000 WHERE user_id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, user_id);
    return desk_step_done(c, st, "membership_default");
}

int desk_store_membership_exists(struct desk_conn *c, int64_t user_id, int64_t group_id, bool *out)
{
    static const char sql[] = "SELECT 1 FROM group_memberships WHERE user_id = ? AND group_id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, group_id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "membership_exists");
    }
    *out = rc == SQLITE_ROW;
    return 0;
}

int desk_store_membership_list(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                               int64_t group_id, const struct desk_page *p,
                               struct desk_membership **items, struct desk_page_out *out)
{
    struct desk_buf where, sel, cnt;
    desk_buf_init(&where, 0);
    desk_buf_init(&sel, 0);
    desk_buf_init(&cnt, 0);
    desk_buf_adds(&where, "");
    if (user_id) {
        desk_buf_adds(&where, " AND user_id = ?");
    }
    if (group_id) {
        desk_buf_adds(&where, " AND group_id = ?");
    }
    desk_buf_addf(&sel, "SELECT " MEMBERSHIP_COLS " FROM group_memberships WHERE 1%s", where.data);
    desk_buf_addf(&cnt, "SELECT count(*) FROM group_memberships WHERE 1%s", where.data);
    struct ids_ctx x = {NULL, 0, user_id ? user_id : group_id, user_id ? group_id : 0};
    struct desk_lister l = {c, a, p, sizeof(struct desk_membership), read_membership, bind_ids, &x};
    int rc = desk_list_run(&l, sel.data, cnt.data, "id", (void **)items, out);
    desk_buf_release(&where);
    desk_buf_release(&sel);
    desk_buf_release(&cnt);
    return rc;
}
