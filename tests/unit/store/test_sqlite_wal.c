/*
 * The "desk" VFS (store/sqlite_wal.c): commits written through it are
 * complete in the file before another connection can see them, whatever
 * their size, and survive the writer's death.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store/sqlite_wal.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[64], path[96];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/desk-wal-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/t.db", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static sqlite3 *open_sync(const char *vfs, const char *sync)
{
    sqlite3 *db;
    char sql[80];
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs),
                     SQLITE_OK);
    snprintf(sql, sizeof(sql), "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s;", sync);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    return db;
}

static sqlite3 *open_db(const char *vfs)
{
    return open_sync(vfs, "FULL");
}

static int64_t count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Each commit, small or far past the buffer and the 128 KiB write limit, is
 * whole for a connection of the default VFS as soon as it returns, also
 * when no sync follows it (synchronous=OFF): the commit frame flushes. */
static void visible_after_each_commit(const char *sync)
{
    assert_non_null(desk_sqlite_vfs());
    sqlite3 *w = open_sync(desk_sqlite_vfs(), sync);
    sqlite3 *r = open_db(NULL);
    assert_int_equal(
        sqlite3_exec(w, "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB); CREATE INDEX tb ON t(b);",
                     NULL, NULL, NULL),
        SQLITE_OK);
    /* Rows per commit: one page, many pages, more than the 4 MiB buffer. */
    static const int sizes[] = {1, 3, 40, 200, 1, 1500, 2};
    int64_t total = 0;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        char sql[160];
        snprintf(sql, sizeof(sql),
                 "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < %d) "
                 "INSERT INTO t(b) SELECT randomblob(3000) FROM n",
                 sizes[i]);
        assert_int_equal(sqlite3_exec(w, sql, NULL, NULL, NULL), SQLITE_OK);
        total += sizes[i];
        assert_int_equal(count(r, "SELECT count(*) FROM t"), total);
        assert_int_equal(count(r, "SELECT count(*) FROM t INDEXED BY tb WHERE b IS NOT NULL"),
                         total);
    }
    sqlite3 *chk = open_db(NULL);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(chk, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    sqlite3_close(chk);
    sqlite3_close(r);
    sqlite3_close(w);
}

static void test_visible_after_each_commit(void **state)
{
    (void)state;
    visible_after_each_commit("FULL");
}

static void test_visible_without_sync(void **state)
{
    (void)state;
    visible_after_each_commit("OFF");
}

/* A writer killed mid-stream loses nothing it reported committed. */
static void test_kill_keeps_commits(void **state)
{
    (void)state;
    sqlite3 *db = open_db(desk_sqlite_vfs());
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE k(id INTEGER PRIMARY KEY, b BLOB)", NULL,
                                  NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        sqlite3 *c = open_db(desk_sqlite_vfs());
        for (int i = 1;; i++) {
            if (sqlite3_exec(c, "INSERT INTO k(b) VALUES (randomblob(20000))", NULL, NULL,
                             NULL) != SQLITE_OK ||
                write(fds[1], &i, sizeof(i)) != (ssize_t)sizeof(i)) {
                _exit(1);
            }
        }
    }
    close(fds[1]);
    int acked = 0, n;
    while (acked < 300 && read(fds[0], &n, sizeof(n)) == (ssize_t)sizeof(n)) {
        acked = n;
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    close(fds[0]);
    assert_true(acked >= 300);
    db = open_db(NULL);
    assert_true(count(db, "SELECT count(*) FROM k") >= acked);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_visible_after_each_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visible_without_sync, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kill_keeps_commits, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
