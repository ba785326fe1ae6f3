/*
 * The full-text index's writes, kept for the end of the writer's batch.
 *
 * SQLite's FTS5 (3.40) writes its pending terms out as a new index segment
 * whenever a savepoint opens in the transaction, and the writer opens one
 * per job: every ticket write left a segment of its own, and the merges
 * that followed, instead of one per commit. While the writer runs a batch
 * (desk_conn.batching), each write here is recorded instead, dropped with
 * its job when the job rolls back (desk_fts_drop), and all of them run in
 * order after the batch's last job, before COMMIT (desk_fts_flush). Outside
 * a batch (migrations, maintenance) they run at once.
 *
 * Nothing in a write job reads the index, so no job misses a write still
 * waiting here.
 */
#include "store/store_int.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>

enum fts_kind { FTS_INSERT, FTS_SUBJECT, FTS_APPEND_PUBLIC, FTS_APPEND_PRIVATE, FTS_PRIVATE };

struct desk_fts_op {
    enum fts_kind kind;
    int64_t rowid;
    char *text[3]; /* owned copies; NULL reads as "" */
};

static char *copy(const char *s)
{
    char *r = strdup(s ? s : "");
    if (!r) {
        abort();
    }
    return r;
}

static const char *text_or_empty(const char *s)
{
    return s ? s : "";
}

/* Runs one write now. */
static int run(struct desk_conn *c, const struct desk_fts_op *op)
{
    static const char insert[] =
        "INSERT INTO ticket_fts (rowid, subject, public_text, private_text) VALUES (?, ?, ?, ?)";
    static const char subject[] =
        "UPDATE ticket_fts SET subject = ?2 WHERE rowid = ?1 AND subject <> ?2";
    static const char append_public[] =
        "UPDATE ticket_fts SET public_text = public_text || char(10) || ?2 WHERE rowid = ?1";
    static const char append_private[] =
        "UPDATE ticket_fts SET private_text = private_text || char(10) || ?2 WHERE rowid = ?1";
    static const char private_text[] = "UPDATE ticket_fts SET private_text = ?2 WHERE rowid = ?1";
    static const char *const sql[] = {insert, subject, append_public, append_private, private_text};
    static const char *const what[] = {"fts_insert", "fts_subject", "fts_comment", "fts_comment",
                                       "resolution_fts"};
    sqlite3_stmt *st = desk_stmt(c, sql[op->kind]);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, op->rowid);
    for (int i = 0; i < 3 && (op->kind == FTS_INSERT || i == 0); i++) {
        sqlite3_bind_text(st, 2 + i, text_or_empty(op->text[i]), -1, SQLITE_STATIC);
    }
    return desk_step_done(c, st, what[op->kind]);
}

/* Runs op now outside a batch; else records it (copying its texts). */
static int submit(struct desk_conn *c, enum fts_kind kind, int64_t rowid, const char *a,
                  const char *b, const char *d)
{
    struct desk_fts_op op = {kind, rowid, {(char *)a, (char *)b, (char *)d}};
    if (!c->batching) {
        return run(c, &op);
    }
    if (c->n_fts == c->cap_fts) {
        size_t cap = c->cap_fts ? c->cap_fts * 2 : 64;
        struct desk_fts_op *v = realloc(c->fts, cap * sizeof(*v));
        if (!v) {
            abort();
        }
        c->fts = v;
        c->cap_fts = cap;
    }
    struct desk_fts_op *slot = &c->fts[c->n_fts++];
    slot->kind = kind;
    slot->rowid = rowid;
    slot->text[0] = copy(a);
    slot->text[1] = kind == FTS_INSERT ? copy(b) : NULL;
    slot->text[2] = kind == FTS_INSERT ? copy(d) : NULL;
    return 0;
}

int desk_fts_insert(struct desk_conn *c, int64_t rowid, const char *subject,
                    const char *public_text, const char *private_text)
{
    return submit(c, FTS_INSERT, rowid, subject, public_text, private_text);
}

int desk_fts_set_subject(struct desk_conn *c, int64_t rowid, const char *subject)
{
    return submit(c, FTS_SUBJECT, rowid, subject, NULL, NULL);
}

int desk_fts_append(struct desk_conn *c, int64_t rowid, bool public_text, const char *text)
{
    return submit(c, public_text ? FTS_APPEND_PUBLIC : FTS_APPEND_PRIVATE, rowid, text, NULL, NULL);
}

int desk_fts_set_private(struct desk_conn *c, int64_t rowid, const char *tail)
{
    /* The staff-only column holds the internal notes (oldest first, as they were appended)
     * and then tail, so bare words and comment: find a resolution for staff and never for
     * customers. Rewritten whole, so an edited note leaves no stale words; read now, so a
     * note added later in the batch is appended after it, as it would have been. */
    static const char notes[] = "SELECT ifnull(group_concat(body, char(10)), '') FROM "
                                "(SELECT body FROM comments WHERE ticket_id = ? AND public = 0 "
                                "ORDER BY id)";
    sqlite3_stmt *st = desk_stmt(c, notes);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, rowid);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return desk_sqlite_err(c, rc, "resolution_fts");
    }
    const char *n = (const char *)sqlite3_column_text(st, 0);
    size_t nl = n ? strlen(n) : 0, tl = strlen(text_or_empty(tail));
    char *text = malloc(nl + tl + 2);
    if (!text) {
        abort();
    }
    memcpy(text, n ? n : "", nl);
    text[nl] = '\n';
    memcpy(text + nl + 1, text_or_empty(tail), tl + 1);
    sqlite3_reset(st);
    rc = submit(c, FTS_PRIVATE, rowid, text, NULL, NULL);
    free(text);
    return rc;
}

size_t desk_fts_mark(const struct desk_conn *c)
{
    return c->n_fts;
}

void desk_fts_drop(struct desk_conn *c, size_t mark)
{
    while (c->n_fts > mark) {
        struct desk_fts_op *op = &c->fts[--c->n_fts];
        for (int i = 0; i < 3; i++) {
            free(op->text[i]);
        }
    }
}

int desk_fts_flush(struct desk_conn *c)
{
    int rc = 0;
    for (size_t i = 0; i < c->n_fts && !rc; i++) {
        rc = run(c, &c->fts[i]);
    }
    desk_fts_drop(c, 0);
    return rc;
}

void desk_fts_release(struct desk_conn *c)
{
    desk_fts_drop(c, 0);
    free(c->fts);
    c->fts = NULL;
    c->cap_fts = 0;
}
