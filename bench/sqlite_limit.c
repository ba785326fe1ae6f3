/*
 * The limit for bench/run.sh's ingest figures: how fast SQLite itself takes
 * the rows that one API ticket create writes (ticket, full-text row, audit,
 * comment, four audit events) when they all go into one transaction, on a
 * fresh database with the server's schema and writer PRAGMAs. Two more
 * figures commit every ticket, and every four tickets: what 1 and 4 clients
 * of a server that acknowledges only durable writes can at best get, since
 * each client has one write in flight. Links only SQLite.
 */
#define _POSIX_C_SOURCE 200809L /* NOLINT(readability-identifier-naming) */

#include <sqlite3.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PLACEHOLDER     "{{n}}"
#define MAX_SCHEMA      ((size_t)1024 * 1024)
#define MAX_DESCRIPTION ((size_t)64 * 1024)
#define SMALL_MAX       800 /* tickets written in small transactions, at most */
#define SMALL_SECONDS   1.5 /* and for at most this long */

/* The server's writer connection settings (src/store/sqlite.c, conn_open). */
static const char writer_pragmas[] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                     "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;"
                                     "PRAGMA temp_store=MEMORY;";

/* A growable string; never holds more than its owner's cap. */
struct text {
    char *data;
    size_t len;
    size_t cap;
};

/* The prepared statements of one ticket create, reused for every ticket. */
struct inserts {
    sqlite3_stmt *ticket;
    sqlite3_stmt *fts;
    sqlite3_stmt *audit;
    sqlite3_stmt *comment;
    sqlite3_stmt *event;
};

/* One ticket's texts, rebuilt for each ticket as the server would. */
struct ticket_text {
    struct text subject;
    struct text description;
    struct text html;
};

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static char tmp_dir[PATH_MAX];
static char db_path[PATH_MAX + 16];

static void usage(void)
{
    fprintf(stderr,
            "usage: sqlite_limit [-n tickets] [-s subject] schema.sql description.txt\n"
            "The subject and description may contain " PLACEHOLDER " for the ticket's number.\n");
    exit(2);
}

/* Removes the database and its temp dir, whatever state they are in. */
static void cleanup(void)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char path[sizeof(db_path) + 16];
    if (!db_path[0]) {
        return;
    }
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        snprintf(path, sizeof(path), "%s%s", db_path, suffixes[i]);
        unlink(path);
    }
    rmdir(tmp_dir);
}

static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("sqlite_limit: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    cleanup();
    exit(1);
}

static void text_add(struct text *t, const char *p, size_t n)
{
    if (t->cap - t->len < n + 1) {
        size_t cap = t->cap ? t->cap : 1024;
        while (cap - t->len < n + 1) {
            cap *= 2;
        }
        char *data = realloc(t->data, cap);
        if (!data) {
            fail("out of memory");
        }
        t->data = data;
        t->cap = cap;
    }
    memcpy(t->data + t->len, p, n);
    t->len += n;
    t->data[t->len] = '\0';
}

static void text_adds(struct text *t, const char *s)
{
    text_add(t, s, strlen(s));
}

/* Sets t to template with each PLACEHOLDER replaced by n. */
static void text_expand(struct text *t, const char *template, long n)
{
    char num[32];
    int num_len = snprintf(num, sizeof(num), "%ld", n);
    const char *p = template;
    const char *hit;
    t->len = 0;
    text_add(t, "", 0);
    while ((hit = strstr(p, PLACEHOLDER)) != NULL) {
        text_add(t, p, (size_t)(hit - p));
        text_add(t, num, (size_t)num_len);
        p = hit + strlen(PLACEHOLDER);
    }
    text_adds(t, p);
}

/* Sets t to the comment's html_body: the text HTML-escaped in one paragraph. */
static void text_html(struct text *t, const char *s, size_t len)
{
    t->len = 0;
    text_adds(t, "<div class=\"zd-comment\" dir=\"auto\"><p>");
    for (size_t i = 0; i < len; i++) {
        switch (s[i]) {
        case '&':
            text_adds(t, "&amp;");
            break;
        case '<':
            text_adds(t, "&lt;");
            break;
        case '>':
            text_adds(t, "&gt;");
            break;
        case '"':
            text_adds(t, "&quot;");
            break;
        case '\'':
            text_adds(t, "&#39;");
            break;
        default:
            text_add(t, s + i, 1);
        }
    }
    text_adds(t, "</p></div>");
}

/* Reads the file at path, at most max bytes, as a string. */
static char *read_file(const char *path, size_t max)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fail("cannot open %s: %s", path, strerror(errno));
    }
    struct text t = {0};
    char chunk[65536];
    size_t n;
    text_add(&t, "", 0);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (t.len + n > max) {
            fail("%s is larger than %zu bytes", path, max);
        }
        text_add(&t, chunk, n);
    }
    if (ferror(f)) {
        fail("cannot read %s", path);
    }
    fclose(f);
    return t.data;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fail("%.60s: %s", sql, err ? err : sqlite3_errmsg(db));
    }
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        fail("prepare %.60s: %s", sql, sqlite3_errmsg(db));
    }
    return st;
}

/* Steps a bound INSERT to completion and resets it; returns the new rowid. */
static int64_t run(sqlite3 *db, sqlite3_stmt *st)
{
    if (sqlite3_step(st) != SQLITE_DONE) {
        fail("%s: %s", sqlite3_sql(st), sqlite3_errmsg(db));
    }
    sqlite3_reset(st);
    return sqlite3_last_insert_rowid(db);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s, size_t len)
{
    sqlite3_bind_text(st, i, s, (int)len, SQLITE_STATIC);
}

static void prepare_inserts(sqlite3 *db, struct inserts *ins)
{
    ins->ticket = prepare(db, "INSERT INTO tickets (subject, description, status, priority, type,"
                              " requester_id, submitter_id, via, tags, created_at, updated_at)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ins->fts = prepare(db, "INSERT INTO ticket_fts (rowid, subject, public_text, private_text)"
                           " VALUES (?, ?, ?, ?)");
    ins->audit = prepare(db, "INSERT INTO audits (ticket_id, author_id, via, created_at)"
                             " VALUES (?, ?, ?, ?)");
    ins->comment = prepare(db, "INSERT INTO comments (ticket_id, audit_id, author_id, public, body,"
                               " html_body, via, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    ins->event = prepare(db, "INSERT INTO audit_events (audit_id, type, field, old_value,"
                             " new_value, comment_id) VALUES (?, ?, ?, ?, ?, ?)");
}

static void finalize_inserts(struct inserts *ins)
{
    sqlite3_finalize(ins->ticket);
    sqlite3_finalize(ins->fts);
    sqlite3_finalize(ins->audit);
    sqlite3_finalize(ins->comment);
    sqlite3_finalize(ins->event);
}

static void insert_event(sqlite3 *db, sqlite3_stmt *st, int64_t audit_id, const char *type,
                         const char *field, const char *value, size_t value_len, int64_t comment_id)
{
    sqlite3_bind_int64(st, 1, audit_id);
    bind_text(st, 2, type, strlen(type));
    if (field) {
        bind_text(st, 3, field, strlen(field));
    } else {
        sqlite3_bind_null(st, 3);
    }
    sqlite3_bind_null(st, 4);
    if (value) {
        bind_text(st, 5, value, value_len);
    } else {
        sqlite3_bind_null(st, 5);
    }
    if (comment_id) {
        sqlite3_bind_int64(st, 6, comment_id);
    } else {
        sqlite3_bind_null(st, 6);
    }
    run(db, st);
}

/*
 * Writes ticket number n by user_id as POST /api/v2/tickets.json does:
 * the texts are built here, per ticket, because the server builds them too.
 */
static void insert_ticket(sqlite3 *db, const struct inserts *ins, struct ticket_text *tt,
                          const char *subject, const char *description, int64_t user_id, long n)
{
    text_expand(&tt->subject, subject, n);
    text_expand(&tt->description, description, n);
    text_html(&tt->html, tt->description.data, tt->description.len);
    int64_t at = now_ms();

    sqlite3_stmt *st = ins->ticket;
    bind_text(st, 1, tt->subject.data, tt->subject.len);
    bind_text(st, 2, tt->description.data, tt->description.len);
    sqlite3_bind_int(st, 3, 0); /* status new */
    sqlite3_bind_int(st, 4, 0); /* priority none */
    sqlite3_bind_int(st, 5, 0); /* type none */
    sqlite3_bind_int64(st, 6, user_id);
    sqlite3_bind_int64(st, 7, user_id);
    sqlite3_bind_int(st, 8, 0); /* via web/API */
    bind_text(st, 9, "", 0);
    sqlite3_bind_int64(st, 10, at);
    sqlite3_bind_int64(st, 11, at);
    int64_t ticket_id = run(db, st);

    st = ins->fts;
    sqlite3_bind_int64(st, 1, ticket_id);
    bind_text(st, 2, tt->subject.data, tt->subject.len);
    bind_text(st, 3, tt->description.data, tt->description.len);
    bind_text(st, 4, "", 0);
    run(db, st);

    st = ins->audit;
    sqlite3_bind_int64(st, 1, ticket_id);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_int(st, 3, 0);
    sqlite3_bind_int64(st, 4, at);
    int64_t audit_id = run(db, st);

    st = ins->comment;
    sqlite3_bind_int64(st, 1, ticket_id);
    sqlite3_bind_int64(st, 2, audit_id);
    sqlite3_bind_int64(st, 3, user_id);
    sqlite3_bind_int(st, 4, 1);
    bind_text(st, 5, tt->description.data, tt->description.len);
    bind_text(st, 6, tt->html.data, tt->html.len);
    sqlite3_bind_int(st, 7, 0);
    sqlite3_bind_int64(st, 8, at);
    int64_t comment_id = run(db, st);

    char requester[32];
    int requester_len = snprintf(requester, sizeof(requester), "%lld", (long long)user_id);
    insert_event(db, ins->event, audit_id, "Create", "subject", tt->subject.data, tt->subject.len,
                 0);
    insert_event(db, ins->event, audit_id, "Create", "status", "new", 3, 0);
    insert_event(db, ins->event, audit_id, "Create", "requester_id", requester,
                 (size_t)requester_len, 0);
    insert_event(db, ins->event, audit_id, "Comment", NULL, NULL, 0, comment_id);
}

static long parse_long(const char *s, const char *what, long min, long max)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max) {
        fprintf(stderr, "sqlite_limit: bad %s: %s (want %ld..%ld)\n", what, s, min, max);
        exit(2);
    }
    return v;
}

static int64_t count_tickets(sqlite3 *db)
{
    sqlite3_stmt *st = prepare(db, "SELECT count(*) FROM tickets");
    if (sqlite3_step(st) != SQLITE_ROW) {
        fail("count tickets: %s", sqlite3_errmsg(db));
    }
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

int main(int argc, char **argv)
{
    long n_tickets = 5000;
    const char *subject = "Bench ticket " PLACEHOLDER;
    int opt;
    while ((opt = getopt(argc, argv, "n:s:")) != -1) {
        switch (opt) {
        case 'n':
            n_tickets = parse_long(optarg, "tickets", 1, 100000000);
            break;
        case 's':
            subject = optarg;
            break;
        default:
            usage();
        }
    }
    if (argc - optind != 2) {
        usage();
    }
    char *schema = read_file(argv[optind], MAX_SCHEMA);
    char *description = read_file(argv[optind + 1], MAX_DESCRIPTION);
    /* The file ends in a newline that the HTTP bench does not send either. */
    size_t len = strlen(description);
    while (len && (description[len - 1] == '\n' || description[len - 1] == '\r')) {
        description[--len] = '\0';
    }

    const char *base = getenv("TMPDIR");
    int n = snprintf(tmp_dir, sizeof(tmp_dir), "%s/desk-sqlite-limit-XXXXXX",
                     base && *base ? base : "/tmp");
    if (n < 0 || (size_t)n >= sizeof(tmp_dir) || !mkdtemp(tmp_dir)) {
        fail("cannot create %s: %s", tmp_dir, strerror(errno));
    }
    snprintf(db_path, sizeof(db_path), "%s/limit.db", tmp_dir);

    sqlite3 *db;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        fail("cannot open %s: %s", db_path, sqlite3_errmsg(db));
    }
    exec(db, writer_pragmas);
    exec(db, "BEGIN IMMEDIATE");
    exec(db, schema);
    exec(db, "COMMIT");

    int64_t at = now_ms();
    char sql[256];
    snprintf(sql, sizeof(sql),
             "INSERT INTO users (name, email, role, verified, created_at, updated_at)"
             " VALUES ('Bench', 'bench@example.com', 3, 1, %lld, %lld)",
             (long long)at, (long long)at);
    exec(db, sql);
    int64_t user_id = sqlite3_last_insert_rowid(db);

    struct inserts ins;
    prepare_inserts(db, &ins);
    struct ticket_text tt = {0};

    /* The limit: every ticket in one transaction, one fsync at the end. */
    double t0 = now_s();
    exec(db, "BEGIN IMMEDIATE");
    for (long i = 1; i <= n_tickets; i++) {
        insert_ticket(db, &ins, &tt, subject, description, user_id, i);
    }
    exec(db, "COMMIT");
    double batch_s = now_s() - t0;

    /* One commit (and fsync) per 1 or 4 tickets: the group-commit ceiling
     * for 1 or 4 clients. */
    static const long batches[] = {1, 4};
    double small_rate[2];
    long n_written = n_tickets;
    for (size_t b = 0; b < 2; b++) {
        long n_small = 0;
        double small_s = 0;
        t0 = now_s();
        while (n_small < SMALL_MAX && small_s < SMALL_SECONDS) {
            exec(db, "BEGIN IMMEDIATE");
            for (long k = 0; k < batches[b]; k++) {
                insert_ticket(db, &ins, &tt, subject, description, user_id, ++n_written);
            }
            exec(db, "COMMIT");
            n_small += batches[b];
            small_s = now_s() - t0;
        }
        small_rate[b] = (double)n_small / small_s;
    }

    if (count_tickets(db) != n_written) {
        fail("expected %ld tickets in the database", n_written);
    }
    finalize_inserts(&ins);
    if (sqlite3_close(db) != SQLITE_OK) {
        fail("cannot close the database");
    }
    printf("ingest_sqlite_limit %.0f tickets/s\n", (double)n_tickets / batch_s);
    printf("ingest_sqlite_1_per_commit %.0f tickets/s\n", small_rate[0]);
    printf("ingest_sqlite_4_per_commit %.0f tickets/s\n", small_rate[1]);
    cleanup();
    free(tt.subject.data);
    free(tt.description.data);
    free(tt.html.data);
    free(schema);
    free(description);
    return 0;
}
