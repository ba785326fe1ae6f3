/*
 * Inside the SQLite backend: the connection and store structs and the
 * statement helpers every store_*.c file uses. Only src/store/ includes this
 * (and sqlite3.h).
 */
#ifndef DESK_STORE_STORE_INT_H
#define DESK_STORE_STORE_INT_H

#include "store/store.h"

#include <sqlite3.h>

#define STMT_CACHE 512

struct stmt_slot {
    const char *sql; /* identity: a string literal's address */
    sqlite3_stmt *st;
};

struct desk_fts_op;

struct desk_conn {
    sqlite3 *db;
    struct desk_store *store;
    bool writer;
    bool batching;           /* writer: running a batch; full-text writes wait for its end */
    struct desk_fts_op *fts; /* writer: the batch's full-text writes, in order (store_fts.c) */
    size_t n_fts, cap_fts;
    struct desk_conn *next_reader; /* list of readers, for close */
    bool snapshot;                 /* reader: between desk_store_snapshot_begin and _end */
    bool in_txn;                   /* reader: its snapshot's read transaction is open */
    struct stmt_slot cache[STMT_CACHE];
};

/*
 * Returns the cached prepared statement for sql (a string literal: the
 * cache is keyed by its address), reset and with bindings cleared. Returns
 * NULL after logging when it cannot be prepared (a bug: SQL is static).
 */
sqlite3_stmt *desk_stmt(struct desk_conn *c, const char *sql);

/* Maps a SQLite result code to a DESK_E* code (BUSY → DESK_EBUSY, CONSTRAINT → DESK_ECONFLICT). */
int desk_sqlite_err(struct desk_conn *c, int rc, const char *what);

/*
 * The full-text index's writes (store_fts.c): run at once, or, while the
 * writer runs a batch, recorded and run in order before its COMMIT, so FTS5
 * writes one index segment a commit rather than one a job. Texts are
 * copied. Each returns 0 or a DESK_E* code.
 */
int desk_fts_insert(struct desk_conn *c, int64_t rowid, const char *subject,
                    const char *public_text, const char *private_text);
/* A ticket's subject, when it changed. */
int desk_fts_set_subject(struct desk_conn *c, int64_t rowid, const char *subject);
/* A comment's text, after the ticket's public or staff-only text. */
int desk_fts_append(struct desk_conn *c, int64_t rowid, bool public_text, const char *text);
/* The staff-only text rewritten: the ticket's internal notes as they are now, then tail. */
int desk_fts_set_private(struct desk_conn *c, int64_t rowid, const char *tail);
/* Writer: how many writes wait; desk_fts_drop(c, mark) forgets those recorded after. */
size_t desk_fts_mark(const struct desk_conn *c);
void desk_fts_drop(struct desk_conn *c, size_t mark);
/* Writer: runs the waiting writes in order and forgets them (also on failure). */
int desk_fts_flush(struct desk_conn *c);
/* Frees the queue (a connection closing). */
void desk_fts_release(struct desk_conn *c);

/* Binding helpers: 0 (an id or a time) and NULL text bind SQL NULL. */
void desk_bind_id(sqlite3_stmt *st, int i, int64_t id);
void desk_bind_text(sqlite3_stmt *st, int i, const char *s);

/* Column helpers: text copied into a (NULL stays NULL); NULL ints read as 0. */
const char *desk_col_text(struct desk_arena *a, sqlite3_stmt *st, int i);
int64_t desk_col_i64(sqlite3_stmt *st, int i);

/* Runs a statement to completion (no rows expected). Returns 0 or a DESK_E* code. */
int desk_step_done(struct desk_conn *c, sqlite3_stmt *st, const char *what);

/* Appends the ORDER BY/LIMIT clause for a page over column col; binds nothing. */
struct desk_buf;
void desk_page_sql(struct desk_buf *sql, const struct desk_page *p, const char *col);

/* Appends " AND col IN (?,...)" with n placeholders. */
void desk_ids_sql(struct desk_buf *sql, const char *col, size_t n);

/* One list query: how to bind its filters and read its rows. */
typedef void (*desk_row_read_fn)(struct desk_arena *a, sqlite3_stmt *st, void *item);
typedef int (*desk_filter_bind_fn)(sqlite3_stmt *st, int i, const void *ctx);

struct desk_lister {
    struct desk_conn *c;
    struct desk_arena *a;
    const struct desk_page *p;
    size_t item_size;
    desk_row_read_fn read;
    desk_filter_bind_fn bind; /* binds filters from parameter i; returns the next index */
    const void *ctx;
};

/*
 * Reads the one row that sql (a cached literal with a single "id = ?")
 * selects for id into out with read. DESK_ENOTFOUND when there is none.
 */
int desk_row_by_id(struct desk_conn *c, struct desk_arena *a, const char *sql, int64_t id,
                   desk_row_read_fn read, void *out, const char *what);

/*
 * Runs select_sql (whose WHERE clause ends with the filters) as page l->p
 * ordered by order_col: binds filters then the cursor, reads up to limit
 * rows into *items (arena), sets out->more from a look-ahead row, restores
 * list order after a backwards cursor, and in offset mode counts the total
 * with count_sql (same filters). Returns 0 or a DESK_E* code.
 */
int desk_list_run(const struct desk_lister *l, const char *select_sql, const char *count_sql,
                  const char *order_col, void **items, struct desk_page_out *out);

#endif
