/*
 * Unit tests for repeatable options (DESK_OPT_LIST in core/opt): each
 * occurrence appends, both "--x v" and "--x=v" forms, and the cap is an
 * error rather than an overflow.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/opt.h"

#include <stdio.h>
#include <string.h>

struct opts {
    struct desk_opt_list holiday;
    const char *tz;
};

static const struct desk_opt table[] = {
    {"holiday", NULL, NULL, DESK_OPT_LIST, offsetof(struct opts, holiday), "a day"},
    {"tz", NULL, "UTC", DESK_OPT_STR, offsetof(struct opts, tz), "a zone"},
};

static void test_list_appends(void **state)
{
    (void)state;
    struct opts o;
    memset(&o, 0, sizeof(o));
    char *argv[] = {"--holiday",     "2026-12-24",           "--tz",
                    "Europe/Prague", "--holiday=2026-12-25", "due"};
    const char *pos[2];
    size_t n_pos;
    FILE *err = fopen("/dev/null", "w");
    assert_int_equal(desk_opt_parse(table, 2, &o, 6, argv, pos, 2, &n_pos, err), 0);
    assert_int_equal(o.holiday.n, 2);
    assert_string_equal(o.holiday.v[0], "2026-12-24");
    assert_string_equal(o.holiday.v[1], "2026-12-25");
    assert_string_equal(o.tz, "Europe/Prague");
    assert_int_equal(n_pos, 1);
    fclose(err);
}

static void test_list_cap(void **state)
{
    (void)state;
    struct opts o;
    memset(&o, 0, sizeof(o));
    char *argv[2 * (DESK_OPT_LIST_MAX + 1)];
    for (int i = 0; i <= DESK_OPT_LIST_MAX; i++) {
        argv[2 * i] = "--holiday";
        argv[2 * i + 1] = "2026-01-01";
    }
    const char *pos[1];
    size_t n_pos;
    FILE *err = fopen("/dev/null", "w");
    assert_int_equal(desk_opt_parse(table, 2, &o, 2 * DESK_OPT_LIST_MAX, argv, pos, 1, &n_pos, err),
                     0);
    assert_int_equal(o.holiday.n, DESK_OPT_LIST_MAX);
    memset(&o, 0, sizeof(o));
    assert_int_equal(
        desk_opt_parse(table, 2, &o, 2 * (DESK_OPT_LIST_MAX + 1), argv, pos, 1, &n_pos, err),
        DESK_EINVAL);
    fclose(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_appends),
        cmocka_unit_test(test_list_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
