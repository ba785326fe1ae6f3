/*
 * Listing in pages: the one driver every list query goes through, so that
 * cursor and offset pagination behave the same for every resource.
 */
#include "store/store_int.h"
#include "core/buf.h"

#include <string.h>

/* Adds " AND id IN (?,?,...)" for n ids, bound from *next. */
void desk_ids_sql(struct desk_buf *sql, const char *col, size_t n)
{
    desk_buf_addf(sql, " AND %s IN (", col);
    for (size_t i = 0; i < n; i++) {
        desk_buf_adds(sql, i ? ",?" : "?");
    }
    desk_buf_adds(sql, ")");
}

static void page_where(struct desk_buf *sql, const struct desk_page *p, const char *col)
{
    if (!p->cursor) {
        return;
    }
    if (p->after) {
        desk_buf_addf(sql, " AND %s %s ?", col, p->desc ? "<" : ">");
    } else if (p->before) {
        desk_buf_addf(sql, " AND %s %s ?", col, p->desc ? ">" : "<");
    }
}

static int bind_page(sqlite3_stmt *st, int i, const struct desk_page *p)
{
    if (p->cursor && (p->after || p->before)) {
        sqlite3_bind_int64(st, i++, p->after ? p->after : p->before);
    }
    return i;
}

int desk_list_run(const struct desk_lister *l, const char *select_sql, const char *count_sql,
                  const char *order_col, void **items, struct desk_page_out *out)
{
    struct desk_buf sql;
    desk_buf_init(&sql, 0);
    desk_buf_adds(&sql, select_sql);
    page_where(&sql, l->p, order_col);
    desk_page_sql(&sql, l->p, order_col);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(l->c->db, sql.data, -1, &st, NULL);
    desk_buf_release(&sql);
    if (rc != SQLITE_OK) {
        return desk_sqlite_err(l->c, rc, "list_prepare");
    }
    int i = l->bind(st, 1, l->ctx);
    bind_page(st, i, l->p);
    size_t cap = (size_t)l->p->limit + 1, n = 0;
    char *arr = desk_arena_alloc(l->a, cap * l->item_size);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < cap) {
        l->read(l->a, st, arr + n * l->item_size);
        n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        return desk_sqlite_err(l->c, rc, "list_step");
    }
    out->more = n > (size_t)l->p->limit;
    if (out->more) {
        n = (size_t)l->p->limit;
    }
    if (l->p->cursor && l->p->before && !l->p->after) {
        /* Fetched backwards: put the page back in list order. */
        char *tmp = desk_arena_alloc(l->a, l->item_size);
        for (size_t x = 0, y = n ? n - 1 : 0; x < y; x++, y--) {
            memcpy(tmp, arr + x * l->item_size, l->item_size);
            memcpy(arr + x * l->item_size, arr + y * l->item_size, l->item_size);
            memcpy(arr + y * l->item_size, tmp, l->item_size);
        }
    }
    out->n = n;
    out->total = -1;
    *items = arr;
    if (!l->p->cursor && count_sql) {
        rc = sqlite3_prepare_v2(l->c->db, count_sql, -1, &st, NULL);
        if (rc != SQLITE_OK) {
            return desk_sqlite_err(l->c, rc, "count_prepare");
        }
        l->bind(st, 1, l->ctx);
        if (sqlite3_step(st) == SQLITE_ROW) {
            out->total = sqlite3_column_int64(st, 0);
        }
        sqlite3_finalize(st);
    }
    return 0;
}

void desk_page_sql(struct desk_buf *sql, const struct desk_page *p, const char *col)
{
    /* In cursor mode "before" walks backwards: fetch in reverse, the caller flips. */
    bool reverse = p->cursor && p->before && !p->after;
    bool desc = p->desc != reverse;
    desk_buf_addf(sql, " ORDER BY %s %s LIMIT %d", col, desc ? "DESC" : "ASC", p->limit + 1);
    if (!p->cursor && p->offset > 0) {
        desk_buf_addf(sql, " OFFSET %lld", (long long)p->offset);
    }
}

int desk_row_by_id(struct desk_conn *c, struct desk_arena *a, const char *sql, int64_t id,
                   desk_row_read_fn read, void *out, const char *what)
{
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read(a, st, out);
        rc = SQLITE_DONE;
    } else if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        return DESK_ENOTFOUND;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : desk_sqlite_err(c, rc, what);
}
