/*
 * SQLite side of store_mail.h, and the content-addressed files directory
 * (attachment bytes) that sits next to the database file.
 */
#include "store/store_mail.h"
#include "core/log.h"
#include "store/store_int.h"

#include <sodium.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- Message-IDs ------------------------------------------------------------- */

int desk_store_mail_id_insert(struct desk_conn *c, const char *message_id, int64_t ticket_id,
                              int64_t comment_id, const char *direction, int64_t now)
{
    static const char sql[] = "INSERT INTO mail_ids(message_id, ticket_id, comment_id, direction, "
                              "created_at) VALUES (?, ?, ?, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, message_id);
    sqlite3_bind_int64(st, 2, ticket_id);
    desk_bind_id(st, 3, comment_id);
    desk_bind_text(st, 4, direction);
    sqlite3_bind_int64(st, 5, now);
    return desk_step_done(c, st, "mail_id_insert");
}

int desk_store_mail_id_find(struct desk_conn *c, const char *message_id, int64_t *ticket_id,
                            const char **direction)
{
    static const char sql[] = "SELECT ticket_id, direction FROM mail_ids WHERE message_id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, message_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *d = sqlite3_column_text(st, 1);
        *ticket_id = sqlite3_column_int64(st, 0);
        *direction = d && strcmp((const char *)d, "out") == 0 ? "out" : "in";
        sqlite3_reset(st);
        return 0;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? DESK_ENOTFOUND : desk_sqlite_err(c, rc, "mail_id_find");
}

/* ---- received messages ----------------------------------------------------------- */

int desk_store_mail_message_insert(struct desk_conn *c, struct desk_mail_record *r, const void *raw,
                                   size_t raw_len)
{
    static const char sql[] =
        "INSERT INTO mail_messages(ticket_id, comment_id, message_id, from_address, subject, "
        "flags, charset, html, source, size, raw, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, r->ticket_id);
    desk_bind_id(st, 2, r->comment_id);
    desk_bind_text(st, 3, r->message_id);
    desk_bind_text(st, 4, r->from_address ? r->from_address : "");
    desk_bind_text(st, 5, r->subject ? r->subject : "");
    sqlite3_bind_int64(st, 6, r->flags);
    desk_bind_text(st, 7, r->charset);
    desk_bind_text(st, 8, r->html);
    desk_bind_text(st, 9, r->source);
    sqlite3_bind_int64(st, 10, r->size);
    sqlite3_bind_blob64(st, 11, raw_len ? raw : "", raw_len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 12, r->created_at);
    int rc = desk_step_done(c, st, "mail_message_insert");
    if (!rc) {
        r->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

#define MAIL_COLS                                                                                  \
    "id, ticket_id, comment_id, message_id, from_address, subject, flags, charset, html, source, " \
    "size, created_at"

static void read_mail(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_mail_record *r = item;
    r->id = desk_col_i64(st, 0);
    r->ticket_id = desk_col_i64(st, 1);
    r->comment_id = desk_col_i64(st, 2);
    r->message_id = desk_col_text(a, st, 3);
    r->from_address = desk_col_text(a, st, 4);
    r->subject = desk_col_text(a, st, 5);
    r->flags = (unsigned)desk_col_i64(st, 6);
    r->charset = desk_col_text(a, st, 7);
    r->html = desk_col_text(a, st, 8);
    r->source = desk_col_text(a, st, 9);
    r->size = desk_col_i64(st, 10);
    r->created_at = desk_col_i64(st, 11);
}

int desk_store_mail_message_by_comment(struct desk_conn *c, struct desk_arena *a,
                                       int64_t comment_id, struct desk_mail_record *out)
{
    static const char sql[] = "SELECT " MAIL_COLS " FROM mail_messages WHERE comment_id = ?";
    return desk_row_by_id(c, a, sql, comment_id, read_mail, out, "mail_by_comment");
}

int desk_store_mail_comment_is_auto(struct desk_conn *c, int64_t comment_id, bool *out)
{
    static const char sql[] = "SELECT flags FROM mail_messages WHERE comment_id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, comment_id);
    int rc = sqlite3_step(st);
    /* Automatic reply 1, bulk 2, loop 4, delivery status notification 8 (mail/mail.h). */
    *out = rc == SQLITE_ROW && (sqlite3_column_int64(st, 0) & 15) != 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : desk_sqlite_err(c, rc, "mail_is_auto");
}

int desk_store_mail_comment_public(struct desk_conn *c, int64_t comment_id, bool *out)
{
    static const char sql[] = "SELECT public FROM comments WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, comment_id);
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW && sqlite3_column_int(st, 0) != 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : desk_sqlite_err(c, rc, "comment_public");
}

static int read_blob(struct desk_conn *c, struct desk_arena *a, const char *sql, int64_t id,
                     const void **raw, size_t *len)
{
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        void *copy = desk_arena_alloc(a, n + 1);
        if (n) {
            memcpy(copy, sqlite3_column_blob(st, 0), n);
        }
        *raw = copy;
        *len = n;
        sqlite3_reset(st);
        return 0;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? DESK_ENOTFOUND : desk_sqlite_err(c, rc, "mail_raw");
}

int desk_store_mail_message_raw(struct desk_conn *c, struct desk_arena *a, int64_t id,
                                const void **raw, size_t *len)
{
    static const char sql[] = "SELECT raw FROM mail_messages WHERE id = ?";
    return read_blob(c, a, sql, id, raw, len);
}

int desk_store_mail_sender_count(struct desk_conn *c, const char *address, int64_t since_ms,
                                 int64_t *out)
{
    static const char sql[] =
        "SELECT (SELECT count(*) FROM mail_messages WHERE from_address = ?1 AND created_at >= ?2)"
        " + (SELECT count(*) FROM suspended_tickets WHERE from_address = ?1 AND created_at >= ?2)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, address);
    sqlite3_bind_int64(st, 2, since_ms);
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : desk_sqlite_err(c, rc, "mail_sender_count");
}

/* ---- attachments ------------------------------------------------------------------ */

int desk_store_attachment_insert(struct desk_conn *c, struct desk_attachment *at)
{
    static const char sql[] =
        "INSERT INTO mail_attachments(ticket_id, comment_id, file_name, content_type, size, "
        "sha256, inline, content_id, created_at) VALUES (?,?,?,?,?,?,?,?,?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, at->ticket_id);
    sqlite3_bind_int64(st, 2, at->comment_id);
    desk_bind_text(st, 3, at->file_name);
    desk_bind_text(st, 4, at->content_type);
    sqlite3_bind_int64(st, 5, at->size);
    desk_bind_text(st, 6, at->sha256);
    sqlite3_bind_int(st, 7, at->is_inline);
    desk_bind_text(st, 8, at->content_id);
    sqlite3_bind_int64(st, 9, at->created_at);
    int rc = desk_step_done(c, st, "attachment_insert");
    if (!rc) {
        at->id = sqlite3_last_insert_rowid(c->db);
    }
    if (!rc && at->data && at->sha256) {
        static const char blob[] = "INSERT OR IGNORE INTO blobs(sha256, data) VALUES (?, ?)";
        if (!(st = desk_stmt(c, blob))) {
            return DESK_EINTERNAL;
        }
        desk_bind_text(st, 1, at->sha256);
        sqlite3_bind_blob64(st, 2, at->data, (sqlite3_uint64)at->size, SQLITE_STATIC);
        rc = desk_step_done(c, st, "blob_insert");
    }
    return rc;
}

#define ATT_COLS                                                                                   \
    "id, ticket_id, comment_id, file_name, content_type, size, sha256, inline, content_id, "       \
    "created_at"

static void read_att(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_attachment *at = item;
    memset(at, 0, sizeof(*at)); /* data stays NULL: bytes are read by desk_store_blob_read */
    at->id = desk_col_i64(st, 0);
    at->ticket_id = desk_col_i64(st, 1);
    at->comment_id = desk_col_i64(st, 2);
    at->file_name = desk_col_text(a, st, 3);
    at->content_type = desk_col_text(a, st, 4);
    at->size = desk_col_i64(st, 5);
    at->sha256 = desk_col_text(a, st, 6);
    at->is_inline = desk_col_i64(st, 7) != 0;
    at->content_id = desk_col_text(a, st, 8);
    at->created_at = desk_col_i64(st, 9);
}

int desk_store_attachment_list(struct desk_conn *c, struct desk_arena *a, int64_t comment_id,
                               struct desk_attachment **items, size_t *n)
{
    static const char sql[] = "SELECT " ATT_COLS " FROM mail_attachments WHERE comment_id = ? "
                              "ORDER BY id LIMIT 200";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, comment_id);
    size_t cap = 0, k = 0;
    struct desk_attachment *v = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap) {
            size_t ncap = cap ? cap * 2 : 4;
            struct desk_attachment *nv = desk_arena_alloc(a, ncap * sizeof(*nv));
            if (k) {
                memcpy(nv, v, k * sizeof(*nv));
            }
            v = nv;
            cap = ncap;
        }
        read_att(a, st, &v[k++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return desk_sqlite_err(c, rc, "attachment_list");
    }
    *items = v;
    *n = k;
    return 0;
}

int desk_store_attachment_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                              struct desk_attachment *out)
{
    static const char sql[] = "SELECT " ATT_COLS " FROM mail_attachments WHERE id = ?";
    return desk_row_by_id(c, a, sql, id, read_att, out, "attachment_get");
}

/* ---- content-addressed files -------------------------------------------------------- */

/* "<db>.files" for the store's database, into buf. */
static int files_dir(struct desk_store *s, char *buf, size_t size)
{
    struct desk_conn *c;
    int rc = desk_store_reader(s, &c);
    if (rc) {
        return rc;
    }
    const char *db = sqlite3_db_filename(c->db, "main");
    if (!db || !*db || (size_t)snprintf(buf, size, "%s.files", db) >= size) {
        return DESK_EIO;
    }
    return 0;
}

static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0) {
        return -1;
    }
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static int ensure_dir(const char *dir)
{
    if (mkdir(dir, 0750) == 0) {
        /* A new directory is durable only once its parent's entry is. */
        char parent[4096];
        snprintf(parent, sizeof(parent), "%s", dir);
        char *slash = strrchr(parent, '/');
        if (slash && slash != parent) {
            *slash = '\0';
            fsync_dir(parent);
        } else {
            fsync_dir(".");
        }
        return 0;
    }
    return errno == EEXIST ? 0 : -1;
}

void desk_store_blob_digest(const void *data, size_t len, char hex[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, data, len);
    sodium_bin2hex(hex, 65, digest, sizeof(digest));
}

int desk_store_blob_put(struct desk_store *s, const void *data, size_t len, char hex[65])
{
    char root[4096], dir[4200], path[4300], tmp[4400];
    desk_store_blob_digest(data, len, hex);
    int rc = files_dir(s, root, sizeof(root));
    if (rc) {
        return rc;
    }
    snprintf(dir, sizeof(dir), "%s/%.2s", root, hex);
    snprintf(path, sizeof(path), "%s/%s", dir, hex);
    struct stat sb;
    if (stat(path, &sb) == 0 && (size_t)sb.st_size == len) {
        return 0; /* stored once: the same bytes are already there */
    }
    if (ensure_dir(root) != 0 || ensure_dir(dir) != 0) {
        desk_log(DESK_LOG_ERROR, "event=blob_put dir=\"%s\" error=\"%s\"", dir, strerror(errno));
        return DESK_EIO;
    }
    static unsigned long counter;
    snprintf(tmp, sizeof(tmp), "%s/.tmp-%s-%ld-%lu", dir, hex, (long)getpid(),
             __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED));
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0) {
        desk_log(DESK_LOG_ERROR, "event=blob_put path=\"%s\" error=\"%s\"", tmp, strerror(errno));
        return DESK_EIO;
    }
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            break;
        }
        p += w;
        left -= (size_t)w;
    }
    bool ok = left == 0 && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0 || fsync_dir(dir) != 0) {
        desk_log(DESK_LOG_ERROR, "event=blob_put path=\"%s\" error=\"%s\"", path,
                 strerror(errno ? errno : EIO));
        unlink(tmp);
        return DESK_EIO;
    }
    return 0;
}

int desk_store_blob_read(struct desk_store *s, struct desk_arena *a, const char *hex,
                         const void **data, size_t *len)
{
    char root[4096], path[4300];
    if (strlen(hex) != 64 || strspn(hex, "0123456789abcdef") != 64) {
        return DESK_ENOTFOUND;
    }
    struct desk_conn *c;
    int rc = desk_store_reader(s, &c);
    if (rc) {
        return rc;
    }
    static const char sql[] = "SELECT data FROM blobs WHERE sha256 = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, hex);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        char *buf = desk_arena_alloc(a, n + 1);
        if (n) {
            memcpy(buf, sqlite3_column_blob(st, 0), n);
        }
        buf[n] = '\0';
        *data = buf;
        *len = n;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return rc == SQLITE_ROW ? 0 : desk_sqlite_err(c, rc, "blob_read");
    }
    /* Not in the database: a file. */
    rc = files_dir(s, root, sizeof(root));
    if (rc) {
        return rc;
    }
    snprintf(path, sizeof(path), "%s/%.2s/%s", root, hex, hex);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return errno == ENOENT ? DESK_ENOTFOUND : DESK_EIO;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        close(fd);
        return DESK_EIO;
    }
    size_t n = (size_t)sb.st_size, got = 0;
    char *buf = desk_arena_alloc(a, n + 1);
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            break;
        }
        got += (size_t)r;
    }
    close(fd);
    if (got != n) {
        return DESK_EIO;
    }
    *data = buf;
    *len = n;
    return 0;
}

/* ---- suspended tickets ------------------------------------------------------------- */

int desk_store_suspended_insert(struct desk_conn *c, struct desk_suspended *s, const void *raw,
                                size_t raw_len)
{
    static const char sql[] =
        "INSERT INTO suspended_tickets(subject, from_address, from_name, message_id, recipient, "
        "cause, cause_id, content, ticket_id, source, size, truncated, raw, created_at, "
        "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, s->subject);
    desk_bind_text(st, 2, s->from_address);
    desk_bind_text(st, 3, s->from_name);
    desk_bind_text(st, 4, s->message_id);
    desk_bind_text(st, 5, s->recipient);
    desk_bind_text(st, 6, s->cause);
    sqlite3_bind_int(st, 7, s->cause_id);
    desk_bind_text(st, 8, s->content);
    desk_bind_id(st, 9, s->ticket_id);
    desk_bind_text(st, 10, s->source);
    sqlite3_bind_int64(st, 11, s->size);
    sqlite3_bind_int(st, 12, s->truncated);
    sqlite3_bind_blob64(st, 13, raw_len ? raw : "", raw_len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 14, s->created_at);
    sqlite3_bind_int64(st, 15, s->updated_at);
    int rc = desk_step_done(c, st, "suspended_insert");
    if (!rc) {
        s->id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

#define SUSP_COLS                                                                                  \
    "id, subject, from_address, from_name, message_id, recipient, cause, cause_id, content, "      \
    "ticket_id, source, size, truncated, created_at, updated_at"

static void read_susp(struct desk_arena *a, sqlite3_stmt *st, void *item)
{
    struct desk_suspended *s = item;
    s->id = desk_col_i64(st, 0);
    s->subject = desk_col_text(a, st, 1);
    s->from_address = desk_col_text(a, st, 2);
    s->from_name = desk_col_text(a, st, 3);
    s->message_id = desk_col_text(a, st, 4);
    s->recipient = desk_col_text(a, st, 5);
    s->cause = desk_col_text(a, st, 6);
    s->cause_id = (int)desk_col_i64(st, 7);
    s->content = desk_col_text(a, st, 8);
    s->ticket_id = desk_col_i64(st, 9);
    s->source = desk_col_text(a, st, 10);
    s->size = desk_col_i64(st, 11);
    s->truncated = desk_col_i64(st, 12) != 0;
    s->created_at = desk_col_i64(st, 13);
    s->updated_at = desk_col_i64(st, 14);
}

int desk_store_suspended_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                             struct desk_suspended *out)
{
    static const char sql[] = "SELECT " SUSP_COLS " FROM suspended_tickets WHERE id = ?";
    return desk_row_by_id(c, a, sql, id, read_susp, out, "suspended_get");
}

int desk_store_suspended_raw(struct desk_conn *c, struct desk_arena *a, int64_t id,
                             const void **raw, size_t *len)
{
    static const char sql[] = "SELECT raw FROM suspended_tickets WHERE id = ?";
    return read_blob(c, a, sql, id, raw, len);
}

static int bind_nothing(sqlite3_stmt *st, int i, const void *ctx)
{
    (void)st;
    (void)ctx;
    return i;
}

int desk_store_suspended_list(struct desk_conn *c, struct desk_arena *a, const struct desk_page *p,
                              struct desk_suspended **items, struct desk_page_out *out)
{
    static const char sel[] = "SELECT " SUSP_COLS " FROM suspended_tickets WHERE 1";
    static const char cnt[] = "SELECT count(*) FROM suspended_tickets";
    struct desk_lister l = {c, a, p, sizeof(struct desk_suspended), read_susp, bind_nothing, NULL};
    return desk_list_run(&l, sel, cnt, "id", (void **)items, out);
}

int desk_store_suspended_delete(struct desk_conn *c, int64_t id)
{
    static const char sql[] = "DELETE FROM suspended_tickets WHERE id = ?";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc = desk_step_done(c, st, "suspended_delete");
    return rc ? rc : sqlite3_changes(c->db) ? 0 : DESK_ENOTFOUND;
}

/* ---- undeliverable addresses --------------------------------------------------------- */

int desk_store_mail_undeliverable_set(struct desk_conn *c, const char *address, int64_t user_id,
                                      const char *status, const char *diagnostic, int64_t ticket_id,
                                      int64_t now)
{
    static const char sql[] =
        "INSERT OR REPLACE INTO mail_undeliverable(address, user_id, status, diagnostic, "
        "ticket_id, created_at) VALUES (lower(?), ?, ?, ?, ?, ?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, address);
    desk_bind_id(st, 2, user_id);
    desk_bind_text(st, 3, status);
    desk_bind_text(st, 4, diagnostic);
    desk_bind_id(st, 5, ticket_id);
    sqlite3_bind_int64(st, 6, now);
    return desk_step_done(c, st, "undeliverable_set");
}

int desk_store_mail_undeliverable(struct desk_conn *c, const char *address, bool *out)
{
    static const char sql[] = "SELECT 1 FROM mail_undeliverable WHERE address = lower(?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, address);
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : desk_sqlite_err(c, rc, "undeliverable");
}

int desk_store_mail_undeliverable_get(struct desk_conn *c, struct desk_arena *a,
                                      const char *address, struct desk_mail_undeliverable *out)
{
    static const char sql[] = "SELECT address, user_id, status, diagnostic, ticket_id, created_at "
                              "FROM mail_undeliverable WHERE address = lower(?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, address);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->address = desk_col_text(a, st, 0);
        out->user_id = desk_col_i64(st, 1);
        out->status = desk_col_text(a, st, 2);
        out->diagnostic = desk_col_text(a, st, 3);
        out->ticket_id = desk_col_i64(st, 4);
        out->created_at = desk_col_i64(st, 5);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW    ? 0
           : rc == SQLITE_DONE ? DESK_ENOTFOUND
                               : desk_sqlite_err(c, rc, "undeliverable_get");
}

int desk_store_mail_undeliverable_clear(struct desk_conn *c, const char *address, bool *cleared)
{
    static const char sql[] = "DELETE FROM mail_undeliverable WHERE address = lower(?)";
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return DESK_EINTERNAL;
    }
    desk_bind_text(st, 1, address);
    int rc = desk_step_done(c, st, "undeliverable_clear");
    *cleared = !rc && sqlite3_changes(c->db) > 0;
    return rc;
}
