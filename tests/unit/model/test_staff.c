/*
 * Unit tests for model/staff: BCP 47 tags and IANA zones through ICU,
 * wire names, and working schedules (night shifts, week wrap, DST).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/staff.h"

#include <string.h>

static void test_lang_tags(void **state)
{
    static const struct {
        const char *tag;
        int want_rc;
        const char *canon;
        const char *primary;
    } cases[] = {
        {"cs", 0, "cs", "cs"},
        {"pl-PL", 0, "pl-PL", "pl"},
        {"PT-br", 0, "pt-BR", "pt"},
        {"zh-Hant-TW", 0, "zh-Hant-TW", "zh"},
        {"fil", 0, "fil", "fil"},
        {"de-CH-1996", 0, "de-CH-1996", "de"},
        {"es-419", 0, "es-419", "es"},
        {"xx", DESK_EINVAL, NULL, NULL},
        {"english", DESK_EINVAL, NULL, NULL},
        {"en_US", DESK_EINVAL, NULL, NULL},
        {"cs-", DESK_EINVAL, NULL, NULL},
        {"-cs", DESK_EINVAL, NULL, NULL},
        {"x-klingon", DESK_EINVAL, NULL, NULL},
        {"c", DESK_EINVAL, NULL, NULL},
        {"", DESK_EINVAL, NULL, NULL},
        {"cs CZ", DESK_EINVAL, NULL, NULL},
        {"1s", DESK_EINVAL, NULL, NULL},
        {"<script>", DESK_EINVAL, NULL, NULL},
        {"en-US-u-ca-gregory-xxxxxxxxxxxxxxxxxxxxxxx", DESK_EINVAL, NULL, NULL},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char canon[64], primary[4];
        print_message("case: %s\n", cases[i].tag);
        int rc = desk_lang_canon(cases[i].tag, canon, sizeof(canon), primary);
        assert_int_equal(rc, cases[i].want_rc);
        if (!rc) {
            assert_string_equal(canon, cases[i].canon);
            assert_string_equal(primary, cases[i].primary);
        }
    }
    assert_int_equal(desk_lang_canon(NULL, NULL, 0, NULL), DESK_EINVAL);
    assert_int_equal(desk_lang_key("cs"), desk_lang_key("CS-cz"));
    assert_int_not_equal(desk_lang_key("cs"), desk_lang_key("sk"));
    assert_int_equal(desk_lang_key("c"), 0);
    assert_int_equal(desk_lang_key("czech"), 0);
    assert_int_equal(desk_lang_key(NULL), 0);
}

static void test_names(void **state)
{
    int v = -1;
    (void)state;
    assert_int_equal(desk_proficiency_parse("native", &v), 0);
    assert_int_equal(v, DESK_PROF_NATIVE);
    assert_int_equal(desk_proficiency_parse("Native", &v), DESK_EINVAL);
    assert_string_equal(desk_proficiency_name(DESK_PROF_BASIC), "basic");
    assert_int_equal(desk_avail_parse("busy", &v), 0);
    assert_int_equal(v, DESK_AVAIL_BUSY);
    assert_int_equal(desk_avail_parse("lunch", &v), DESK_EINVAL);
    assert_null(desk_avail_name(9));
    assert_string_equal(desk_staff_state_name(DESK_STAFF_OFFBOARDED), "offboarded");
    assert_true(desk_channel_valid("email"));
    assert_true(desk_channel_valid("default"));
    assert_false(desk_channel_valid("fax"));
    assert_true(desk_zone_valid("Europe/Prague"));
    assert_true(desk_zone_valid("UTC"));
    assert_false(desk_zone_valid("Mars/Olympus"));
    assert_false(desk_zone_valid(""));
}

static void test_schedule(void **state)
{
    struct desk_work_schedule s;
    struct desk_shift sh[DESK_SHIFTS_MAX];
    size_t n = 0;
    char text[16];
    (void)state;
    assert_int_equal(desk_schedule_parse("mon 09:00-17:00,sun 22:00-06:00", &s, sh, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(s.n, 3); /* the night shift is split at midnight */
    assert_true(desk_schedule_covers(&s, 9 * 60));
    assert_false(desk_schedule_covers(&s, 17 * 60));
    assert_false(desk_schedule_covers(&s, 8 * 60 + 59));
    assert_true(desk_schedule_covers(&s, 6 * 1440 + 23 * 60)); /* Sunday 23:00 */
    assert_true(desk_schedule_covers(&s, 5 * 60));             /* Monday 05:00, wrapped */
    assert_false(desk_schedule_covers(&s, 6 * 60));
    desk_shift_format(&sh[1], text);
    assert_string_equal(text, "sun 22:00-06:00");
    assert_int_equal(desk_schedule_parse("", &s, NULL, NULL), 0);
    assert_int_equal(s.n, 0);
    assert_int_equal(desk_schedule_parse("fri 08:00-24:00", &s, NULL, NULL), 0);
    assert_true(desk_schedule_covers(&s, 4 * 1440 + 1439));
    static const char *const bad[] = {
        "mon 9:00-17:00",  "xyz 09:00-17:00",  "mon 09:00-09:00", "mon 09:60-10:00",
        "mon 25:00-26:00", "mon 09:00-17:00,", "mon 09:00 17:00", "mon 24:00-01:00",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        print_message("bad: %s\n", bad[i]);
        assert_int_equal(desk_schedule_parse(bad[i], &s, NULL, NULL), DESK_EINVAL);
    }
    int m = -1;
    assert_int_equal(desk_schedule_hhmm("24:00", &m), 0);
    assert_int_equal(m, 1440);
    assert_int_equal(desk_schedule_day("Sunday"), -1);
    assert_int_equal(desk_schedule_day("sunday"), 6);
}

static void test_zone_clock(void **state)
{
    int m = -1;
    (void)state;
    /* 2026-03-28T02:00:00Z is a Saturday: 03:00 in Prague (CET), 22:00 Friday in New York. */
    int64_t t = 1774663200000LL;
    assert_int_equal(desk_zone_minute_of_week("Europe/Prague", t, &m), 0);
    assert_int_equal(m, 5 * 1440 + 3 * 60);
    assert_int_equal(desk_zone_minute_of_week("America/New_York", t, &m), 0);
    assert_int_equal(m, 4 * 1440 + 22 * 60);
    /* A day later Prague has moved to summer time (CEST, +2). */
    assert_int_equal(desk_zone_minute_of_week("Europe/Prague", t + 86400000LL, &m), 0);
    assert_int_equal(m, 6 * 1440 + 4 * 60);
    assert_int_equal(desk_zone_minute_of_week("Nowhere/City", t, &m), DESK_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lang_tags),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_schedule),
        cmocka_unit_test(test_zone_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
