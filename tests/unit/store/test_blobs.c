/*
 * Blobs (store/store_mail.c): a small attachment's bytes are stored in the
 * database with its row, once per content; a large one as a file; both read
 * back the same by digest, and a blob rolled back with its write is gone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/error.h"
#include "store/store_int.h"
#include "store/store_mail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char dir[64], path[96];
static struct desk_store *store;

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/desk-blobs-XXXXXX");
    if (!mkdtemp(dir)) {
        return -1;
    }
    snprintf(path, sizeof(path), "%s/t.db", dir);
    return desk_store_open(path, &store) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    desk_store_close(store);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

struct put {
    struct desk_attachment at;
    int fail_after; /* 0, or the error to return after inserting (rolls the write back) */
};

static int put_write(struct desk_conn *c, void *arg)
{
    struct put *p = arg;
    int rc = desk_store_attachment_insert(c, &p->at);
    return rc ? rc : p->fail_after;
}

/* Stores data as an upload-style attachment (no ticket yet) with its bytes inline. */
static int put_inline(const void *data, size_t len, char hex[65], int fail_after)
{
    desk_store_blob_digest(data, len, hex);
    struct put p = {.at = {.file_name = "a.bin",
                           .content_type = "application/octet-stream",
                           .size = (int64_t)len,
                           .sha256 = hex,
                           .data = data,
                           .created_at = 1},
                    .fail_after = fail_after};
    return desk_store_write(store, put_write, &p);
}

static int64_t blob_rows(void)
{
    struct desk_conn *c;
    assert_int_equal(desk_store_reader(store, &c), 0);
    sqlite3_stmt *st = desk_stmt(c, "SELECT count(*) FROM blobs");
    assert_non_null(st);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return n;
}

static void test_inline(void **state)
{
    (void)state;
    static const char text[] = "%PDF-1.4 invoice 2024-118\n\0binary\xff tail";
    char hex[65], again[65];
    struct desk_arena a;
    const void *data;
    size_t len;
    desk_arena_init(&a);
    int64_t before = blob_rows();
    assert_int_equal(put_inline(text, sizeof(text), hex, 0), 0);
    assert_int_equal(blob_rows(), before + 1);
    /* The same bytes again: a second attachment row, the one blob. */
    assert_int_equal(put_inline(text, sizeof(text), again, 0), 0);
    assert_string_equal(hex, again);
    assert_int_equal(blob_rows(), before + 1);
    assert_int_equal(desk_store_blob_read(store, &a, hex, &data, &len), 0);
    assert_int_equal(len, sizeof(text));
    assert_memory_equal(data, text, sizeof(text));
    /* Nothing in the files directory. */
    char file[256];
    struct stat sb;
    snprintf(file, sizeof(file), "%s.files/%.2s/%s", path, hex, hex);
    assert_int_not_equal(stat(file, &sb), 0);
    desk_arena_release(&a);
}

static void test_rolled_back(void **state)
{
    (void)state;
    static const char text[] = "bytes of a write that failed";
    char hex[65];
    struct desk_arena a;
    const void *data;
    size_t len;
    desk_arena_init(&a);
    int64_t before = blob_rows();
    assert_int_equal(put_inline(text, sizeof(text), hex, DESK_ECONFLICT), DESK_ECONFLICT);
    assert_int_equal(blob_rows(), before);
    assert_int_equal(desk_store_blob_read(store, &a, hex, &data, &len), DESK_ENOTFOUND);
    desk_arena_release(&a);
}

static void test_file(void **state)
{
    (void)state;
    size_t n = DESK_BLOB_INLINE_MAX + 1;
    unsigned char *big = malloc(n);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++) {
        big[i] = (unsigned char)(i * 7 + i / 251);
    }
    char hex[65];
    struct desk_arena a;
    const void *data;
    size_t len;
    desk_arena_init(&a);
    assert_int_equal(desk_store_blob_put(store, big, n, hex), 0);
    assert_int_equal(desk_store_blob_read(store, &a, hex, &data, &len), 0);
    assert_int_equal(len, n);
    assert_memory_equal(data, big, n);
    assert_int_equal(desk_store_blob_read(store, &a, "00", &data, &len), DESK_ENOTFOUND);
    desk_arena_release(&a);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inline),
        cmocka_unit_test(test_rolled_back),
        cmocka_unit_test(test_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
