/*
 * Tickets, their tags, collaborators, comments and audits, the full-text
 * rows that follow them, the incremental change feed, and job statuses.
 * Queue counters are kept by the schema's triggers in the same transaction.
 */
#include "store/store_int.h"
#include "core/buf.h"

#include <string.h>

#define TICKET_COLS                                                                                \
    "t.id, t.subject, t.description, t.status, t.priority, t.type, t.requester_id, "               \
    "t.submitter_id, t.assignee_id, t.group_id, t.organization_id, t.problem_id, "                 \
    "t.external_id, t.recipient, t.via, t.language, t.tags, t.is_public, t.due_at, "               \
    "t.created_at, t.updated_at, t.solved_at, t.deleted_at, t.version"

static void read_ticket(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_ticket *t = item;
    memset(t, 0, sizeof(*t));
    t->id = desk_col_i64(st, 0);
    t->subject = desk_col_text(a, st, 1);
    t->description = desk_col_text(a, st, 2);
    t->status = (int)desk_col_i64(st, 3);
    t->priority = (int)desk_col_i64(st, 4);
    t->type = (int)desk_col_i64(st, 5);
    t->requester_id = desk_col_i64(st, 6);
    t->submitter_id = desk_col_i64(st, 7);
    t->assignee_id = desk_col_i64(st, 8);
    t->group_id = desk_col_i64(st, 9);
    t->organization_id = desk_col_i64(st, 10);
    t->problem_id = desk_col_i64(st, 11);
    t->external_id = desk_col_text(a, st, 12);
    t->recipient = desk_col_text(a, st, 13);
    t->via = (int)desk_col_i64(st, 14);
    t->language = desk_col_text(a, st, 15);
    t->tags = desk_strv_split(a, (const char *)sqlite3_column_text(st, 16));
    t->is_public = desk_col_i64(st, 17) != 0;
    t->due_at = desk_col_i64(st, 18);
    t->created_at = desk_col_i64(st, 19);
    t->updated_at = desk_col_i64(st, 20);
    t->solved_at = desk_col_i64(st, 21);
    t->deleted_at = desk_col_i64(st, 22);
    t->version = desk_col_i64(st, 23);
}

static int read_collaborators(struct desk_conn *c, struct desk_arena *a, struct desk_ticket *t)
{
    static const char sql[] =
        "SELECT user_id FROM ticket_collaborators WHERE ticket_id = ? ORDER BY user_id";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, t->id);
    size_t cap = 0;
    int rc;
    t->n_collaborator_ids = 0;
    t->collaborator_ids = NULL;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (t->n_collaborator_ids == cap) {
            size_t ncap = cap ? cap * 2 : 4;
            int64_t *n = desk_arena_alloc(a, ncap * sizeof(*n));
            if (cap) {
                memcpy(n, t->collaborator_ids, cap * sizeof(*n));
            }
            t->collaborator_ids = n;
            cap = ncap;
        }
        t->collaborator_ids[t->n_collaborator_ids++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : desk_sqlite_err(c, rc, "collaborators");
}

int desk_store_ticket_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                          struct desk_ticket *out)
{
    static const char sql[] = "SELECT " TICKET_COLS " FROM tickets t WHERE t.id = ?";
    int rc = desk_row_by_id(c, a, sql, id, read_ticket, out, "ticket_get");
    return rc ? rc : read_collaborators(c, a, out);
}

static int write_tags(struct desk_conn *c, int64_t id, const struct desk_strv *tags, bool replace)
{
    static const char del[] = "DELETE FROM ticket_tags WHERE ticket_id = ?";
    static const char ins[] = "INSERT OR IGNORE INTO ticket_tags (ticket_id, tag) VALUES (?, ?)";
    int rc = 0;
    sqlite3_stmt *st;
    if (replace) {
        if (!(st = desk_stmt(c, del))) {
            return DESK_EINTERNAL;
        }
        sqlite3_bind_int64(st, 1, id);
        if ((rc = desk_step_done(c, st, "tags_delete")) != 0) {
            return rc;
        }
    }
    for (size_t i = 0; i < tags->n && !rc; i++) {
        if (!(st = desk_stmt(c, ins))) {
            return DESK_EINTERNAL;
        }
        sqlite3_bind_int64(st, 1, id);
        desk_bind_text(st, 2, tags->v[i]);
        rc = desk_step_done(c, st, "tags_insert");
    }
    return rc;
}

static int write_collaborators(struct desk_conn *c, const struct desk_ticket *t, bool replace)
{
    static const char del[] = "DELETE FROM ticket_collaborators WHERE ticket_id = ?";
    static const char ins[] =
        "INSERT OR IGNORE INTO ticket_collaborators (ticket_id, user_id) VALUES (?, ?)";
    int rc = 0;
    sqlite3_stmt *st;
    if (replace) {
        if (!(st = desk_stmt(c, del))) {
            return DESK_EINTERNAL;
        }
        sqlite3_bind_int64(st, 1, t->id);
        if ((rc = desk_step_done(c, st, "collab_delete")) != 0) {
            return rc;
        }
    }
    for (size_t i = 0; i < t->n_collaborator_ids && !rc; i++) {
        if (!(st = desk_stmt(c, ins))) {
            return DESK_EINTERNAL;
        }
        sqlite3_bind_int64(st, 1, t->id);
        sqlite3_bind_int64(st, 2, t->collaborator_ids[i]);
        rc = desk_step_done(c, st, "collab_insert");
    }
    return rc;
}

/* Binds the mutable columns in the order both INSERT and UPDATE list them. */
static void bind_ticket(struct desk_arena *a, sqlite3_stmt *st, const struct desk_ticket *t)
{
    desk_bind_text(st, 1, t->subject ? t->subject : "");
    sqlite3_bind_int(st, 2, t->status);
    sqlite3_bind_int(st, 3, t->priority);
    sqlite3_bind_int(st, 4, t->type);
    sqlite3_bind_int64(st, 5, t->requester_id);
    desk_bind_id(st, 6, t->assignee_id);
    desk_bind_id(st, 7, t->group_id);
    desk_bind_id(st, 8, t->organization_id);
    desk_bind_id(st, 9, t->problem_id);
    desk_bind_text(st, 10, t->external_id);
    desk_bind_text(st, 11, t->language);
    sqlite3_bind_text(st, 12, desk_strv_join(a, &t->tags), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 13, t->is_public);
    desk_bind_id(st, 14, t->due_at);
    sqlite3_bind_int64(st, 15, t->updated_at);
    desk_bind_id(st, 16, t->solved_at);
    desk_bind_id(st, 17, t->deleted_at);
}

int desk_store_ticket_insert(struct desk_conn *c, struct desk_ticket *t)
{
    static const char sql[] =
        "INSERT INTO tickets (subject, status, priority, type, requester_id, assignee_id, "
        "group_id, organization_id, problem_id, external_id, language, tags, is_public, due_at, "
        "updated_at, solved_at, deleted_at, description, submitter_id, recipient, via, "
        "created_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)";
    struct desk_arena a;
    desk_arena_init(&a);
    sqlite3_stmt *st = desk_stmt(c, sql);
    int rc = DESK_EINTERNAL;
    if (st) {
        bind_ticket(&a, st, t);
        desk_bind_text(st, 18, t->description ? t->description : "");
        sqlite3_bind_int64(st, 19, t->submitter_id);
        desk_bind_text(st, 20, t->recipient);
        sqlite3_bind_int(st, 21, t->via);
        sqlite3_bind_int64(st, 22, t->created_at);
        rc = desk_step_done(c, st, "ticket_insert");
    }
    desk_arena_release(&a);
    if (rc) {
        return rc;
    }
    t->id = sqlite3_last_insert_rowid(c->db);
    t->version = 1;
    if ((rc = write_tags(c, t->id, &t->tags, false)) != 0 ||
        (rc = write_collaborators(c, t, false)) != 0) {
        return rc;
    }
    const char *desc = t->description ? t->description : "";
    return desk_fts_insert(c, t->id, t->subject, t->is_public ? desc : "",
                           t->is_public ? "" : desc);
}

int desk_store_ticket_update(struct desk_conn *c, const struct desk_ticket *t)
{
    static const char sql[] =
        "UPDATE tickets SET subject=?, status=?, priority=?, type=?, requester_id=?, "
        "assignee_id=?, group_id=?, organization_id=?, problem_id=?, external_id=?, language=?, "
        "tags=?, is_public=?, due_at=?, updated_at=?, solved_at=?, deleted_at=?, "
        "version = version + 1 WHERE id=?";
    struct desk_arena a;
    desk_arena_init(&a);
    sqlite3_stmt *st = desk_stmt(c, sql);
    int rc = DESK_EINTERNAL;
    if (st) {
        bind_ticket(&a, st, t);
        sqlite3_bind_int64(st, 18, t->id);
        rc = desk_step_done(c, st, "ticket_update");
    }
    desk_arena_release(&a);
    if (rc) {
        return rc;
    }
    if (sqlite3_changes(c->db) == 0) {
        return DESK_ENOTFOUND;
    }
    if ((rc = write_tags(c, t->id, &t->tags, true)) != 0 ||
        (rc = write_collaborators(c, t, true)) != 0) {
        return rc;
    }
    return desk_fts_set_subject(c, t->id, t->subject);
}

static int bind_ticket_filter(sqlite3_stmt *st, int i, const void *ctx)
{
    const struct desk_ticket_filter *f = ctx;
    if (f->requester_id) {
        sqlite3_bind_int64(st, i++, f->requester_id);
    }
    if (f->assignee_id) {
        sqlite3_bind_int64(st, i++, f->assignee_id);
    }
    if (f->group_id) {
        sqlite3_bind_int64(st, i++, f->group_id);
    }
    if (f->organization_id) {
        sqlite3_bind_int64(st, i++, f->organization_id);
    }
    if (f->collaborator_id) {
        sqlite3_bind_int64(st, i++, f->collaborator_id);
    }
    if (f->external_id) {
        desk_bind_text(st, i++, f->external_id);
    }
    if (f->status_max > 0) {
        sqlite3_bind_int(st, i++, f->status_max);
    }
    if (f->status_eq > 0) {
        sqlite3_bind_int(st, i++, f->status_eq - 1);
    }
    if (f->visible_to_user) {
        sqlite3_bind_int64(st, i++, f->visible_to_user);
        sqlite3_bind_int64(st, i++, f->visible_org);
    }
    if (f->hidden_from) {
        sqlite3_bind_int64(st, i++, f->hidden_from);
    }
    for (size_t k = 0; k < f->n_ids; k++) {
        sqlite3_bind_int64(st, i++, f->ids[k]);
    }
    return i;
}

static void ticket_filter_sql(struct desk_buf *b, const struct desk_ticket_filter *f)
{
    desk_buf_adds(b, " AND t.deleted_at IS NULL");
    if (f->requester_id) {
        desk_buf_adds(b, " AND t.requester_id = ?");
    }
    if (f->assignee_id) {
        desk_buf_adds(b, " AND t.assignee_id = ?");
    }
    if (f->group_id) {
        desk_buf_adds(b, " AND t.group_id = ?");
    }
    if (f->organization_id) {
        desk_buf_adds(b, " AND t.organization_id = ?");
    }
    if (f->collaborator_id) {
        desk_buf_adds(b, " AND t.id IN (SELECT ticket_id FROM ticket_collaborators "
                         "WHERE user_id = ?)");
    }
    if (f->external_id) {
        desk_buf_adds(b, " AND t.external_id = ?");
    }
    if (f->status_max > 0) {
        desk_buf_adds(b, " AND t.status < ?");
    }
    if (f->status_eq > 0) {
        desk_buf_adds(b, " AND t.status = ?");
    }
    if (f->visible_to_user) {
        desk_buf_adds(b, " AND (t.requester_id = ? OR (t.organization_id = ? AND "
                         "t.organization_id IS NOT NULL))");
    }
    if (f->hidden_from) {
        desk_buf_adds(b, " AND t.id NOT IN "
                         "(SELECT ticket_id FROM ticket_hidden WHERE user_id = ?)");
    }
    if (f->n_ids) {
        desk_ids_sql(b, "t.id", f->n_ids);
    }
}

int desk_store_ticket_list(struct desk_conn *c, struct desk_arena *a,
                           const struct desk_ticket_filter *f, const struct desk_page *p,
                           struct desk_ticket **items, struct desk_page_out *out)
{
    struct desk_buf where, sel, cnt;
    desk_buf_init(&where, 0);
    desk_buf_init(&sel, 0);
    desk_buf_init(&cnt, 0);
    ticket_filter_sql(&where, f);
    desk_buf_addf(&sel, "SELECT " TICKET_COLS " FROM tickets t WHERE 1%s", where.data);
    desk_buf_addf(&cnt, "SELECT count(*) FROM tickets t WHERE 1%s", where.data);
    struct desk_lister l = {c, a, p, sizeof(struct desk_ticket), read_ticket, bind_ticket_filter,
                            f};
    int rc = desk_list_run(&l, sel.data, cnt.data, "t.id", (void **)items, out);
    desk_buf_release(&where);
    desk_buf_release(&sel);
    desk_buf_release(&cnt);
    for (size_t i = 0; !rc && i < out->n; i++) {
        rc = read_collaborators(c, a, &(*items)[i]);
    }
    return rc;
}

int desk_store_audit_insert(struct desk_conn *c, struct desk_audit *au)
{
    static const char sql[] =
        "INSERT INTO audits (ticket_id, author_id, via, created_at) VALUES (?, ?, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, au->ticket_id);
    sqlite3_bind_int64(st, 2, au->author_id);
    sqlite3_bind_int(st, 3, au->via);
    sqlite3_bind_int64(st, 4, au->created_at);
    int rc = desk_step_done(c, st, "audit_insert");
    if (rc) {
        return rc;
    }
    au->id = sqlite3_last_insert_rowid(c->db);
    return 0;
}

int desk_store_audit_events_insert(struct desk_conn *c, struct desk_audit *au)
{
    static const char ev[] = "INSERT INTO audit_events (audit_id, type, field, old_value, "
                             "new_value, comment_id) VALUES (?, ?, ?, ?, ?, ?)";
    int rc;
    for (size_t i = 0; i < au->n_events; i++) {
        sqlite3_stmt *st;
        struct desk_audit_event *e = &au->events[i];
        if (!(st = desk_stmt(c, ev))) {
            return DESK_EINTERNAL;
        }
        sqlite3_bind_int64(st, 1, au->id);
        desk_bind_text(st, 2, e->type);
        desk_bind_text(st, 3, e->field);
        desk_bind_text(st, 4, e->old_value);
        desk_bind_text(st, 5, e->new_value);
        desk_bind_id(st, 6, e->comment_id);
        if ((rc = desk_step_done(c, st, "audit_event")) != 0) {
            return rc;
        }
        e->id = sqlite3_last_insert_rowid(c->db);
    }
    return 0;
}

static void read_audit(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_audit *au = item;
    (void)a;
    memset(au, 0, sizeof(*au));
    au->id = desk_col_i64(st, 0);
    au->ticket_id = desk_col_i64(st, 1);
    au->author_id = desk_col_i64(st, 2);
    au->via = (int)desk_col_i64(st, 3);
    au->created_at = desk_col_i64(st, 4);
}

static int bind_one_id(sqlite3_stmt *st, int i, const void *ctx)
{
    sqlite3_bind_int64(st, i++, *(const int64_t *)ctx);
    return i;
}

int desk_store_audit_list(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                          const struct desk_page *p, struct desk_audit **items,
                          struct desk_page_out *out)
{
    static const char sel[] =
        "SELECT id, ticket_id, author_id, via, created_at FROM audits WHERE ticket_id = ?";
    static const char cnt[] = "SELECT count(*) FROM audits WHERE ticket_id = ?";
    static const char ev[] = "SELECT e.id, e.type, e.field, e.old_value, e.new_value, "
                             "e.comment_id, c.body FROM audit_events e LEFT JOIN comments c "
                             "ON c.id = e.comment_id WHERE e.audit_id = ? ORDER BY e.id";
    struct desk_lister l = {c,          a,           p,         sizeof(struct desk_audit),
                            read_audit, bind_one_id, &ticket_id};
    int rc = desk_list_run(&l, sel, cnt, "id", (void **)items, out);
    for (size_t i = 0; !rc && i < out->n; i++) {
        struct desk_audit *au = &(*items)[i];
        sqlite3_stmt *st = desk_stmt(c, ev);
        if (!st) {
            return DESK_EINTERNAL;
        }
        sqlite3_bind_int64(st, 1, au->id);
        size_t cap = 8;
        au->events = desk_arena_alloc(a, cap * sizeof(*au->events));
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (au->n_events == cap) {
                struct desk_audit_event *n = desk_arena_alloc(a, 2 * cap * sizeof(*n));
                memcpy(n, au->events, cap * sizeof(*n));
                au->events = n;
                cap *= 2;
            }
            struct desk_audit_event *e = &au->events[au->n_events++];
            e->id = desk_col_i64(st, 0);
            e->type = desk_col_text(a, st, 1);
            e->field = desk_col_text(a, st, 2);
            e->old_value = desk_col_text(a, st, 3);
            e->new_value = desk_col_text(a, st, 4);
            e->comment_id = desk_col_i64(st, 5);
            e->body = desk_col_text(a, st, 6);
        }
        sqlite3_reset(st);
        rc = rc == SQLITE_DONE ? 0 : desk_sqlite_err(c, rc, "audit_events");
    }
    return rc;
}

int desk_store_comment_insert(struct desk_conn *c, struct desk_comment *cm, bool index)
{
    static const char sql[] = "INSERT INTO comments (ticket_id, audit_id, author_id, public, body, "
                              "html_body, via, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, cm->ticket_id);
    sqlite3_bind_int64(st, 2, cm->audit_id);
    sqlite3_bind_int64(st, 3, cm->author_id);
    sqlite3_bind_int(st, 4, cm->public);
    desk_bind_text(st, 5, cm->body);
    desk_bind_text(st, 6, cm->html_body);
    sqlite3_bind_int(st, 7, cm->via);
    sqlite3_bind_int64(st, 8, cm->created_at);
    int rc = desk_step_done(c, st, "comment_insert");
    if (rc) {
        return rc;
    }
    cm->id = sqlite3_last_insert_rowid(c->db);
    if (!index) {
        return 0;
    }
    return desk_fts_append(c, cm->ticket_id, cm->public, cm->body);
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

int desk_store_comment_list(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                            bool public_only, const struct desk_page *p,
                            struct desk_comment **items, struct desk_page_out *out)
{
    static const char sel_all[] = "SELECT id, ticket_id, audit_id, author_id, public, body, "
                                  "html_body, via, created_at FROM comments WHERE ticket_id = ?";
    static const char cnt_all[] = "SELECT count(*) FROM comments WHERE ticket_id = ?";
    static const char sel_pub[] =
        "SELECT id, ticket_id, audit_id, author_id, public, body, html_body, via, created_at "
        "FROM comments WHERE ticket_id = ? AND public = 1";
    static const char cnt_pub[] =
        "SELECT count(*) FROM comments WHERE ticket_id = ? AND public = 1";
    struct desk_lister l = {c,           a,         p, sizeof(struct desk_comment), read_comment,
                            bind_one_id, &ticket_id};
    return desk_list_run(&l, public_only ? sel_pub : sel_all, public_only ? cnt_pub : cnt_all, "id",
                         (void **)items, out);
}

int desk_store_ticket_changes(struct desk_conn *c, struct desk_arena *a, int64_t since_ms,
                              int64_t after_id, int limit, struct desk_ticket **items, size_t *n)
{
    static const char sql[] = "SELECT " TICKET_COLS " FROM tickets t WHERE t.updated_at > ? OR "
                              "(t.updated_at = ? AND t.id > ?) ORDER BY t.updated_at, t.id "
                              "LIMIT ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, since_ms);
    sqlite3_bind_int64(st, 2, since_ms);
    sqlite3_bind_int64(st, 3, after_id);
    sqlite3_bind_int(st, 4, limit);
    struct desk_ticket *arr = desk_arena_alloc(a, (size_t)(limit > 0 ? limit : 1) * sizeof(*arr));
    size_t k = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < (size_t)limit) {
        read_ticket(a, st, &arr[k++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        return desk_sqlite_err(c, rc, "ticket_changes");
    }
    for (size_t i = 0; i < k; i++) {
        if ((rc = read_collaborators(c, a, &arr[i])) != 0) {
            return rc;
        }
    }
    *items = arr;
    *n = k;
    return 0;
}

int desk_store_open_count(struct desk_conn *c, int status, int64_t *out)
{
    static const char sql[] = "SELECT ifnull(sum(n), 0) FROM queue_counts WHERE status = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int(st, 1, status);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : desk_sqlite_err(c, rc, "open_count");
}

int desk_store_job_insert(struct desk_conn *c, const struct desk_job *j)
{
    static const char sql[] =
        "INSERT INTO job_statuses (id, user_id, job_type, status, total, progress, message, "
        "results, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static const char purge[] = "DELETE FROM job_statuses WHERE created_at < ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, j->id);
    sqlite3_bind_int64(st, 2, j->user_id);
    desk_bind_text(st, 3, j->job_type);
    desk_bind_text(st, 4, j->status);
    sqlite3_bind_int64(st, 5, j->total);
    sqlite3_bind_int64(st, 6, j->progress);
    desk_bind_text(st, 7, j->message);
    desk_bind_text(st, 8, j->results ? j->results : "[]");
    sqlite3_bind_int64(st, 9, j->created_at);
    sqlite3_bind_int64(st, 10, j->updated_at);
    int rc = desk_step_done(c, st, "job_insert");
    if (rc) {
        return rc;
    }
    /* Job statuses are readable for a day (Zendesk keeps them about as long). */
    if (!(st = desk_stmt(c, purge))) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, j->created_at - 86400000LL);
    return desk_step_done(c, st, "job_purge");
}

int desk_store_job_get(struct desk_conn *c, struct desk_arena *a, const char *id,
                       struct desk_job *out)
{
    static const char sql[] = "SELECT id, user_id, job_type, status, total, progress, message, "
                              "results, created_at, updated_at FROM job_statuses WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? DESK_ENOTFOUND : desk_sqlite_err(c, rc, "job_get");
    }
    out->id = desk_col_text(a, st, 0);
    out->user_id = desk_col_i64(st, 1);
    out->job_type = desk_col_text(a, st, 2);
    out->status = desk_col_text(a, st, 3);
    out->total = desk_col_i64(st, 4);
    out->progress = desk_col_i64(st, 5);
    out->message = desk_col_text(a, st, 6);
    out->results = desk_col_text(a, st, 7);
    out->created_at = desk_col_i64(st, 8);
    out->updated_at = desk_col_i64(st, 9);
    sqlite3_reset(st);
    return 0;
}
