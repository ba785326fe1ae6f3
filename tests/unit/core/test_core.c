/*
 * Unit tests for core/: time conversion and parsing, strict integers, UTF-8
 * validation, capped buffers, arenas. Table-driven.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/str.h"
#include "core/time.h"

#include <string.h>

static void test_time_iso(void **state)
{
    static const struct {
        int64_t ms;
        const char *iso;
    } cases[] = {
        {0, "1970-01-01T00:00:00Z"},
        {951782400000LL, "2000-02-29T00:00:00Z"},
        {1795341600999LL, "2026-11-22T10:00:00Z"},
        {-1000, "1969-12-31T23:59:59Z"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[21];
        int64_t back;
        desk_time_iso(cases[i].ms, out);
        assert_string_equal(out, cases[i].iso);
        assert_int_equal(desk_time_parse(out, strlen(out), &back), 0);
        assert_int_equal(back, cases[i].ms - (cases[i].ms % 1000 + 1000) % 1000);
    }
}

static void test_time_parse(void **state)
{
    static const struct {
        const char *s;
        int ok;
        int64_t ms;
    } cases[] = {
        {"2026-11-22", 1, 1795305600000LL},
        {"2026-11-22T10:00:00Z", 1, 1795341600000LL},
        {"2026-11-22T11:00:00+01:00", 1, 1795341600000LL},
        {"2026-11-22T10:00Z", 1, 1795341600000LL},
        {"2026-11-22T10:00:00.250Z", 1, 1795341600250LL},
        {"2024-02-29", 1, 1709164800000LL},
        {"2023-02-29", 0, 0},
        {"2026-13-01", 0, 0},
        {"2026-11-22T25:00:00Z", 0, 0},
        {"2026-11-22T10:00:00Zjunk", 0, 0},
        {"", 0, 0},
        {"yesterday", 0, 0},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t ms = -1;
        int rc = desk_time_parse(cases[i].s, strlen(cases[i].s), &ms);
        assert_int_equal(rc == 0, cases[i].ok);
        if (cases[i].ok) {
            assert_int_equal(ms, cases[i].ms);
        }
    }
}

static void test_i64(void **state)
{
    static const struct {
        const char *s;
        int ok;
        int64_t v;
    } cases[] = {
        {"0", 1, 0},
        {"42", 1, 42},
        {"-7", 1, -7},
        {"9223372036854775807", 1, INT64_MAX},
        {"9223372036854775808", 0, 0},
        {"99999999999999999999", 0, 0},
        {"12a", 0, 0},
        {"", 0, 0},
        {"-", 0, 0},
        {" 1", 0, 0},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t v = 0;
        assert_int_equal(desk_str_to_i64(cases[i].s, strlen(cases[i].s), &v) == 0, cases[i].ok);
        if (cases[i].ok) {
            assert_true(v == cases[i].v);
        }
    }
}

static void test_utf8(void **state)
{
    static const struct {
        const char *s;
        size_t len;
        int ok;
    } cases[] = {
        {"plain", 5, 1},
        {"p\xc5\x99\xc3\xadli\xc5\xa1", 9, 1}, /* příliš */
        {"\xf0\x9f\x98\x80", 4, 1},            /* emoji */
        {"\xc3", 1, 0},                        /* truncated */
        {"\xc0\xaf", 2, 0},                    /* overlong */
        {"\xed\xa0\x80", 3, 0},                /* surrogate */
        {"\xf4\x90\x80\x80", 4, 0},            /* past U+10FFFF */
        {"a\0b", 3, 0},                        /* NUL */
        {"\xff", 1, 0},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(desk_str_utf8_valid(cases[i].s, cases[i].len), cases[i].ok);
    }
    assert_int_equal(desk_str_utf8_len("p\xc5\x99\xc3\xadli\xc5\xa1", 9), 6);
}

static void test_buf_cap(void **state)
{
    struct desk_buf b;
    (void)state;
    desk_buf_init(&b, 8);
    assert_int_equal(desk_buf_adds(&b, "12345678"), 0);
    assert_int_equal(desk_buf_adds(&b, "9"), DESK_ETOOBIG);
    assert_int_equal(b.len, 8);
    assert_string_equal(b.data, "12345678");
    desk_buf_release(&b);
}

static void test_arena(void **state)
{
    struct desk_arena a;
    (void)state;
    desk_arena_init(&a);
    char *big = desk_arena_alloc(&a, 100000);
    char *s = desk_arena_printf(&a, "%s-%d", "x", 42);
    memset(big, 'a', 100000);
    assert_string_equal(s, "x-42");
    assert_true(((uintptr_t)desk_arena_alloc(&a, 3) & 15) == 0);
    assert_null(desk_arena_strdup(&a, NULL));
    desk_arena_release(&a);
}

static void test_errors(void **state)
{
    (void)state;
    assert_int_equal(desk_err_status(DESK_ENOTFOUND), 404);
    assert_string_equal(desk_err_name(DESK_ENOTFOUND), "RecordNotFound");
    assert_int_equal(desk_err_status(DESK_EINVALID), 422);
    assert_int_equal(desk_err_status(DESK_ETOOBIG), 400); /* node-zendesk ignores 413 */
    assert_int_equal(desk_err_status(0), 200);
    assert_int_equal(desk_err_status(-9999), 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_iso), cmocka_unit_test(test_time_parse),
        cmocka_unit_test(test_i64),      cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_buf_cap),  cmocka_unit_test(test_arena),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
