/*
 * The SQLite backend's lifecycle: opening and migrating the database, one
 * read connection per thread, and the writer thread that commits queued
 * writes in batches (group commit). The record-level operations live in the
 * other store_*.c files.
 */
#include "store/sqlite_fold.h"
#include "store/sqlite_wal.h"
#include "store/store_int.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/time.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct desk_embedded {
    const char *name;
    const unsigned char *data;
    size_t len;
};
extern const struct desk_embedded desk_migrations[];
extern const size_t n_desk_migrations;

#define MAX_BATCH 256

struct write_job {
    desk_store_write_fn fn;
    void *arg;
    int rc;
    bool done;
    struct write_job *next;
};

struct desk_store {
    char *path;
    pthread_key_t reader_key;
    pthread_mutex_t lock; /* guards queue, readers, stats, stopping */
    pthread_cond_t work;  /* writer waits for jobs */
    pthread_cond_t done;  /* callers wait for their batch */
    struct write_job *head, *tail;
    bool stopping;
    pthread_t writer_thread;
    struct desk_conn *writer;
    struct desk_conn *readers;
    struct desk_store_stats stats;
    desk_store_commit_fn on_commit; /* guarded by lock; called by the writer */
    void *on_commit_ctx;
    /* WAL checkpoints run on a thread of their own, not on the writer's (see wal_hook). */
    pthread_t ckpt_thread;
    pthread_cond_t ckpt; /* the checkpointer waits for a full WAL or stopping */
    bool ckpt_wanted, ckpt_stopping, ckpt_started;
};

/* WAL pages after which a checkpoint folds them into the database (SQLite's default). */
#define CHECKPOINT_PAGES 1000

static int conn_open(struct desk_store *s, bool writer, struct desk_conn **out)
{
    struct desk_conn *c = calloc(1, sizeof(*c));
    if (!c) {
        abort();
    }
    c->store = s;
    c->writer = writer;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (writer ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(s->path, &c->db, flags, desk_sqlite_vfs());
    if (rc != SQLITE_OK) {
        desk_log(DESK_LOG_ERROR, "event=store_open path=\"%s\" error=\"%s\"", s->path,
                 c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
        sqlite3_close(c->db);
        free(c);
        return DESK_EIO;
    }
    sqlite3_busy_timeout(c->db, 10000);
    if ((rc = desk_sqlite_fold_register(c->db)) != SQLITE_OK) {
        desk_log(DESK_LOG_ERROR, "event=store_open path=\"%s\" error=\"search folding: %s\"",
                 s->path, sqlite3_errstr(rc));
        sqlite3_close(c->db);
        free(c);
        return DESK_EIO;
    }
    /* WAL lets readers run beside the writer; synchronous=FULL fsyncs the WAL
     * at every commit, so an acknowledged write survives power loss too. */
    const char *pragmas = writer ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                   "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;"
                                   "PRAGMA temp_store=MEMORY;"
                                 : "PRAGMA foreign_keys=ON; PRAGMA cache_size=-16384;"
                                   "PRAGMA temp_store=MEMORY; PRAGMA query_only=ON;";
    char *err = NULL;
    if (sqlite3_exec(c->db, pragmas, NULL, NULL, &err) != SQLITE_OK) {
        desk_log(DESK_LOG_ERROR, "event=store_open path=\"%s\" error=\"%s\"", s->path, err);
        sqlite3_free(err);
        sqlite3_close(c->db);
        free(c);
        return DESK_EIO;
    }
    *out = c;
    return 0;
}

static void conn_close(struct desk_conn *c)
{
    if (!c) {
        return;
    }
    for (int i = 0; i < STMT_CACHE; i++) {
        sqlite3_finalize(c->cache[i].st);
    }
    desk_fts_release(c);
    sqlite3_close(c->db);
    free(c);
}

/*
 * Applies, in file-name order, every embedded migration not yet recorded in
 * desk_migrations, each in its own transaction with its record. Migrations
 * are recorded by name, so one added between two applied ones still runs.
 * (Stores made before the table existed recorded a number in user_version.)
 */
static int migrate(struct desk_conn *c)
{
    sqlite3_stmt *st;
    int legacy = 0;
    char *err = NULL;
    if (sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        legacy = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    if (sqlite3_exec(c->db,
                     "CREATE TABLE IF NOT EXISTS desk_migrations("
                     "name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL) WITHOUT ROWID",
                     NULL, NULL, &err) != SQLITE_OK) {
        desk_log(DESK_LOG_ERROR, "event=migrate error=\"%s\"", err ? err : "?");
        sqlite3_free(err);
        return DESK_EIO;
    }
    for (size_t i = 0; i < n_desk_migrations; i++) {
        const char *name = desk_migrations[i].name;
        int done = 0;
        if (sqlite3_prepare_v2(c->db, "SELECT 1 FROM desk_migrations WHERE name = ?", -1, &st,
                               NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
            done = sqlite3_step(st) == SQLITE_ROW;
        }
        sqlite3_finalize(st);
        if (done) {
            continue;
        }
        bool applied_before = strtol(name, NULL, 10) <= legacy; /* "0001_init.sql" → 1 */
        int rc = sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, &err);
        if (rc == SQLITE_OK && !applied_before) {
            rc = sqlite3_exec(c->db, (const char *)desk_migrations[i].data, NULL, NULL, &err);
        }
        if (rc == SQLITE_OK &&
            sqlite3_prepare_v2(c->db, "INSERT INTO desk_migrations(name, applied_at) VALUES(?, ?)",
                               -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, desk_time_now_ms());
            rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
            sqlite3_finalize(st);
        }
        if (rc == SQLITE_OK) {
            rc = sqlite3_exec(c->db, "COMMIT", NULL, NULL, &err);
        }
        if (rc != SQLITE_OK) {
            desk_log(DESK_LOG_ERROR, "event=migrate file=%s error=\"%s\"", name,
                     err ? err : sqlite3_errmsg(c->db));
            sqlite3_free(err);
            sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
            return DESK_EIO;
        }
        if (!applied_before) {
            desk_log(DESK_LOG_INFO, "event=migrate file=%s", name);
        }
    }
    return 0;
}

/* Runs one of the writer's transaction-control statements (literals, so cached once). */
static int exec(struct desk_conn *c, const char *sql)
{
    sqlite3_stmt *st = desk_stmt(c, sql);
    return st ? desk_step_done(c, st, sql) : DESK_EINTERNAL;
}

static unsigned hist_bucket(size_t n)
{
    unsigned b = 0;
    while (n > 1 && b < 7) {
        n >>= 1;
        b++;
    }
    return b;
}

static void *writer_main(void *arg)
{
    struct desk_store *s = arg;
    struct desk_conn *c = s->writer;
    for (;;) {
        pthread_mutex_lock(&s->lock);
        while (!s->head && !s->stopping) {
            pthread_cond_wait(&s->work, &s->lock);
        }
        if (!s->head) {
            pthread_mutex_unlock(&s->lock);
            break;
        }
        struct write_job *batch = s->head, *last = s->head;
        size_t n = 1;
        while (last->next && n < MAX_BATCH) {
            last = last->next;
            n++;
        }
        s->head = last->next;
        if (!s->head) {
            s->tail = NULL;
        }
        last->next = NULL;
        pthread_mutex_unlock(&s->lock);

        int brc = exec(c, "BEGIN IMMEDIATE");
        c->batching = !brc;
        for (struct write_job *j = batch; j; j = j->next) {
            if (brc) {
                j->rc = brc;
                continue;
            }
            if ((j->rc = exec(c, "SAVEPOINT w")) != 0) {
                continue;
            }
            size_t fts_mark = desk_fts_mark(c);
            j->rc = j->fn(c, j->arg);
            if (j->rc) {
                exec(c, "ROLLBACK TO w");
                desk_fts_drop(c, fts_mark);
            }
            exec(c, "RELEASE w");
        }
        /* The batch's full-text writes, once, after its last savepoint (store_fts.c). */
        c->batching = false;
        bool committed = !brc;
        if (!brc && (desk_fts_flush(c) != 0 || exec(c, "COMMIT") != 0)) {
            committed = false;
            exec(c, "ROLLBACK");
            for (struct write_job *j = batch; j; j = j->next) {
                if (j->rc == 0) {
                    j->rc = DESK_EIO;
                }
            }
        }
        pthread_mutex_lock(&s->lock);
        s->stats.batches++;
        s->stats.writes += n;
        s->stats.batch_hist[hist_bucket(n)]++;
        for (struct write_job *j = batch, *next; j; j = next) {
            next = j->next; /* j lives on its caller's stack: read before marking done */
            j->done = true;
        }
        pthread_cond_broadcast(&s->done);
        desk_store_commit_fn watch = committed ? s->on_commit : NULL;
        void *watch_ctx = s->on_commit_ctx;
        pthread_mutex_unlock(&s->lock);
        if (watch) {
            watch(c, watch_ctx);
        }
    }
    return NULL;
}

void desk_store_on_commit(struct desk_store *s, desk_store_commit_fn fn, void *ctx)
{
    pthread_mutex_lock(&s->lock);
    s->on_commit = fn;
    s->on_commit_ctx = ctx;
    pthread_mutex_unlock(&s->lock);
}

/* Stops and joins the checkpointer, if it runs; the writer has stopped committing. */
static void stop_checkpointer(struct desk_store *s)
{
    if (!s->ckpt_started) {
        return;
    }
    pthread_mutex_lock(&s->lock);
    s->ckpt_stopping = true;
    pthread_cond_signal(&s->ckpt);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->ckpt_thread, NULL);
    s->ckpt_started = false;
}

/*
 * Called by SQLite on the writer thread after each commit, with the WAL's size in pages:
 * past CHECKPOINT_PAGES, wakes the checkpointer instead of checkpointing here, so the
 * writer goes on committing while the pages are copied and the database fsynced.
 */
static int wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
    struct desk_store *s = arg;
    (void)db;
    (void)name;
    if (pages >= CHECKPOINT_PAGES) {
        pthread_mutex_lock(&s->lock);
        s->ckpt_wanted = true;
        pthread_cond_signal(&s->ckpt);
        pthread_mutex_unlock(&s->lock);
    }
    return SQLITE_OK;
}

/*
 * The checkpointer: on its own connection, a PASSIVE checkpoint (never blocks the
 * writer or readers; what it cannot copy now is copied next time) whenever the WAL
 * has grown past CHECKPOINT_PAGES. Durability does not depend on it: every commit is
 * fsynced in the WAL first.
 */
static void *ckpt_main(void *arg)
{
    struct desk_store *s = arg;
    sqlite3 *db = NULL;
    pthread_mutex_lock(&s->lock);
    for (;;) {
        while (!s->ckpt_wanted && !s->ckpt_stopping) {
            pthread_cond_wait(&s->ckpt, &s->lock);
        }
        if (s->ckpt_stopping) {
            break;
        }
        s->ckpt_wanted = false;
        pthread_mutex_unlock(&s->lock);
        if (!db && sqlite3_open_v2(s->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                                   desk_sqlite_vfs()) != SQLITE_OK) {
            desk_log(DESK_LOG_ERROR, "event=store_checkpoint error=\"%s\"",
                     db ? sqlite3_errmsg(db) : "cannot open");
            sqlite3_close(db);
            db = NULL;
        }
        if (db) {
            sqlite3_busy_timeout(db, 1000);
            int rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
            if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
                desk_log(DESK_LOG_WARN, "event=store_checkpoint error=\"%s\"", sqlite3_errmsg(db));
            }
        }
        pthread_mutex_lock(&s->lock);
    }
    pthread_mutex_unlock(&s->lock);
    sqlite3_close(db);
    return NULL;
}

/*
 * Process-wide settings, before SQLite initializes. Memory statistics are
 * off: with them on, every allocation SQLite makes, on every connection,
 * takes one global mutex, which the request threads and the writer then
 * contend for; desk never reads the statistics.
 */
static void configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int desk_store_open(const char *path, struct desk_store **out)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, configure);
    struct desk_store *s = calloc(1, sizeof(*s));
    if (!s) {
        abort();
    }
    s->path = strdup(path);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->work, NULL);
    pthread_cond_init(&s->done, NULL);
    pthread_cond_init(&s->ckpt, NULL);
    pthread_key_create(&s->reader_key, NULL);
    int rc = conn_open(s, true, &s->writer);
    if (!rc) {
        rc = migrate(s->writer);
    }
    if (!rc && pthread_create(&s->ckpt_thread, NULL, ckpt_main, s) == 0) {
        s->ckpt_started = true;
        sqlite3_wal_autocheckpoint(s->writer->db, 0);
        sqlite3_wal_hook(s->writer->db, wal_hook, s);
    }
    if (!rc && pthread_create(&s->writer_thread, NULL, writer_main, s) != 0) {
        rc = DESK_EINTERNAL;
    }
    if (rc) {
        stop_checkpointer(s);
        conn_close(s->writer);
        pthread_key_delete(s->reader_key);
        free(s->path);
        free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void desk_store_close(struct desk_store *s)
{
    if (!s) {
        return;
    }
    pthread_mutex_lock(&s->lock);
    s->stopping = true;
    pthread_cond_signal(&s->work);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->writer_thread, NULL);
    stop_checkpointer(s);
    for (struct desk_conn *c = s->readers, *next; c; c = next) {
        next = c->next_reader;
        conn_close(c);
    }
    /* Leave the database in a compact state: fold the WAL into the main file. */
    sqlite3_exec(s->writer->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    conn_close(s->writer);
    pthread_key_delete(s->reader_key);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->work);
    pthread_cond_destroy(&s->done);
    pthread_cond_destroy(&s->ckpt);
    free(s->path);
    free(s);
}

/* Steps a statement without results from the connection's cache (every
 * request's read transaction begins and ends: no parsing each time). */
static int run_once(struct desk_conn *c, const char *sql)
{
    sqlite3_stmt *st = desk_stmt(c, sql);
    if (!st) {
        return SQLITE_ERROR;
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int desk_store_reader(struct desk_store *s, struct desk_conn **out)
{
    struct desk_conn *c = pthread_getspecific(s->reader_key);
    if (!c) {
        int rc = conn_open(s, false, &c);
        if (rc) {
            return rc;
        }
        pthread_setspecific(s->reader_key, c);
        pthread_mutex_lock(&s->lock);
        c->next_reader = s->readers;
        s->readers = c;
        pthread_mutex_unlock(&s->lock);
    }
    if (c->snapshot && !c->in_txn) {
        /* Deferred: the read transaction starts with the first statement. */
        c->in_txn = run_once(c, "BEGIN") == SQLITE_OK;
    }
    *out = c;
    return 0;
}

/* Ends the open read transaction of the calling thread's reader, if any. */
static void snapshot_close(struct desk_conn *c)
{
    if (c && c->in_txn) {
        if (run_once(c, "COMMIT") != SQLITE_OK) {
            desk_log(DESK_LOG_ERROR, "event=snapshot_end error=\"%s\"", sqlite3_errmsg(c->db));
            sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
        }
        c->in_txn = false;
    }
}

void desk_store_snapshot_begin(struct desk_store *s)
{
    struct desk_conn *c;
    if (desk_store_reader(s, &c) == 0) {
        c->snapshot = true;
    }
}

void desk_store_snapshot_end(struct desk_store *s)
{
    struct desk_conn *c = pthread_getspecific(s->reader_key);
    if (c) {
        snapshot_close(c);
        c->snapshot = false;
    }
}

int desk_store_write(struct desk_store *s, desk_store_write_fn fn, void *arg)
{
    struct write_job j = {.fn = fn, .arg = arg};
    snapshot_close(pthread_getspecific(s->reader_key));
    pthread_mutex_lock(&s->lock);
    if (s->stopping) {
        pthread_mutex_unlock(&s->lock);
        return DESK_EBUSY;
    }
    if (s->tail) {
        s->tail->next = &j;
    } else {
        s->head = &j;
    }
    s->tail = &j;
    pthread_cond_signal(&s->work);
    while (!j.done) {
        pthread_cond_wait(&s->done, &s->lock);
    }
    pthread_mutex_unlock(&s->lock);
    return j.rc;
}

void desk_store_stats(struct desk_store *s, struct desk_store_stats *out)
{
    pthread_mutex_lock(&s->lock);
    *out = s->stats;
    pthread_mutex_unlock(&s->lock);
}

/* ---- helpers shared by the store_*.c files ---------------------------- */

sqlite3_stmt *desk_stmt(struct desk_conn *c, const char *sql)
{
    size_t h = ((uintptr_t)sql >> 4) % STMT_CACHE;
    for (size_t k = 0; k < STMT_CACHE; k++) {
        struct stmt_slot *slot = &c->cache[(h + k) % STMT_CACHE];
        if (slot->sql == sql) {
            sqlite3_reset(slot->st);
            sqlite3_clear_bindings(slot->st);
            return slot->st;
        }
        if (!slot->sql) {
            if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &slot->st, NULL) !=
                SQLITE_OK) {
                desk_log(DESK_LOG_ERROR, "event=prepare error=\"%s\" sql=\"%.80s\"",
                         sqlite3_errmsg(c->db), sql);
                slot->st = NULL;
                return NULL;
            }
            slot->sql = sql;
            return slot->st;
        }
    }
    desk_log(DESK_LOG_ERROR, "event=prepare error=\"statement cache full\"");
    return NULL;
}

int desk_sqlite_err(struct desk_conn *c, int rc, const char *what)
{
    int primary = rc & 0xff;
    if (primary == SQLITE_CONSTRAINT) {
        return DESK_ECONFLICT;
    }
    desk_log(DESK_LOG_ERROR, "event=sqlite what=\"%.60s\" rc=%d error=\"%s\"", what, rc,
             sqlite3_errmsg(c->db));
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
        return DESK_EBUSY;
    }
    return DESK_EIO;
}

void desk_bind_id(sqlite3_stmt *st, int i, int64_t id)
{
    if (id) {
        sqlite3_bind_int64(st, i, id);
    } else {
        sqlite3_bind_null(st, i);
    }
}

void desk_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s) {
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(st, i);
    }
}

const char *desk_col_text(struct desk_arena *a, sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    if (!t) {
        return NULL;
    }
    return desk_arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i));
}

int64_t desk_col_i64(sqlite3_stmt *st, int i)
{
    return sqlite3_column_int64(st, i);
}

int desk_step_done(struct desk_conn *c, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
        sqlite3_reset(st);
        return 0;
    }
    rc = desk_sqlite_err(c, rc, what);
    sqlite3_reset(st);
    return rc;
}
