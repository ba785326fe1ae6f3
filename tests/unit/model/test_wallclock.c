/*
 * Unit tests for model/wallclock: zone names, local-time parsing, and the
 * conversions across DST changes in Europe/Prague, America/New_York and
 * Australia/Sydney (gaps read with the offset before the change, repeated
 * times as their first occurrence: RFC 5545 section 3.3.5). Table-driven.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/time.h"
#include "model/wallclock.h"

#include <string.h>

static void test_zone_names(void **state)
{
    static const struct {
        const char *zone;
        bool valid;
    } cases[] = {
        {"Europe/Prague", true},
        {"America/New_York", true},
        {"Australia/Sydney", true},
        {"UTC", true},
        {"US/Eastern", true},
        {"Asia/Kolkata", true},
        {"Etc/GMT+5", true},
        {"europe/prague", false},
        {"Mars/Olympus_Mons", false},
        {"GMT+3", false},
        {"Etc/Unknown", false},
        {"", false},
        {"Europe/Prague\n", false},
        {"../../etc/passwd", false},
        {NULL, false},
        {"Europe/Prague Europe/Prague Europe/Prague Europe/Prague Europe", false},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (desk_tz_valid(cases[i].zone) != cases[i].valid) {
            fail_msg("case %zu (%s): want %d", i, cases[i].zone ? cases[i].zone : "NULL",
                     cases[i].valid);
        }
    }
}

static void test_parse(void **state)
{
    static const struct {
        const char *text;
        int rc;
        struct desk_wall want;
    } cases[] = {
        {"2027-03-28T02:30", 0, {2027, 3, 28, 2, 30, 0}},
        {"2027-03-28 02:30:15", 0, {2027, 3, 28, 2, 30, 15}},
        {"2028-02-29T00:00", 0, {2028, 2, 29, 0, 0, 0}},
        {"2027-02-29T00:00", DESK_EINVAL, {0}},
        {"2027-04-31T10:00", DESK_EINVAL, {0}},
        {"2027-13-01T10:00", DESK_EINVAL, {0}},
        {"2027-12-01T24:00", DESK_EINVAL, {0}},
        {"2027-12-01T23:60", DESK_EINVAL, {0}},
        {"2027-12-01T10:00Z", DESK_EINVAL, {0}},
        {"2027-12-01T10:00+01:00", DESK_EINVAL, {0}},
        {"2027-12-01", DESK_EINVAL, {0}},
        {"1969-12-31T23:59", DESK_EINVAL, {0}},
        {"2027-1-01T10:00", DESK_EINVAL, {0}},
        {"2027-12-01X10:00", DESK_EINVAL, {0}},
        {"", DESK_EINVAL, {0}},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct desk_wall w = {0};
        int rc = desk_wall_parse(cases[i].text, strlen(cases[i].text), &w);
        if (rc != cases[i].rc) {
            fail_msg("case %zu (%s): rc %d, want %d", i, cases[i].text, rc, cases[i].rc);
        }
        if (!rc && memcmp(&w, &cases[i].want, sizeof(w)) != 0) {
            fail_msg("case %zu (%s): fields differ", i, cases[i].text);
        }
    }
}

static void test_to_utc(void **state)
{
    static const struct {
        const char *zone;
        const char *local;
        const char *utc;
        enum desk_wall_fit fit;
    } cases[] = {
        /* Ordinary winter and summer times. */
        {"Europe/Prague", "2027-01-12T10:00", "2027-01-12T09:00:00Z", DESK_WALL_EXACT},
        {"Europe/Prague", "2027-07-12T10:00", "2027-07-12T08:00:00Z", DESK_WALL_EXACT},
        /* Prague springs forward at 02:00 on 2027-03-28: 02:30 is read at +01:00 (03:30 CEST). */
        {"Europe/Prague", "2027-03-28T02:30", "2027-03-28T01:30:00Z", DESK_WALL_SKIPPED},
        {"Europe/Prague", "2027-03-28T02:00", "2027-03-28T01:00:00Z", DESK_WALL_SKIPPED},
        {"Europe/Prague", "2027-03-28T03:00", "2027-03-28T01:00:00Z", DESK_WALL_EXACT},
        {"Europe/Prague", "2027-03-28T01:59:59", "2027-03-28T00:59:59Z", DESK_WALL_EXACT},
        /* Prague falls back at 03:00 on 2027-10-31: 02:30 happens twice, the CEST one counts. */
        {"Europe/Prague", "2027-10-31T02:30", "2027-10-31T00:30:00Z", DESK_WALL_REPEATED},
        {"Europe/Prague", "2027-10-31T03:00", "2027-10-31T02:00:00Z", DESK_WALL_EXACT},
        /* New York: forward on 2027-03-14 at 02:00, back on 2027-11-07 at 02:00. */
        {"America/New_York", "2027-03-14T02:15", "2027-03-14T07:15:00Z", DESK_WALL_SKIPPED},
        {"America/New_York", "2027-11-07T01:30", "2027-11-07T05:30:00Z", DESK_WALL_REPEATED},
        {"America/New_York", "2027-11-07T02:30", "2027-11-07T07:30:00Z", DESK_WALL_EXACT},
        {"America/New_York", "2027-11-08T10:00", "2027-11-08T15:00:00Z", DESK_WALL_EXACT},
        /* Sydney (southern hemisphere): back on 2027-04-04 at 03:00, forward on 2027-10-03. */
        {"Australia/Sydney", "2027-04-04T02:30", "2027-04-03T15:30:00Z", DESK_WALL_REPEATED},
        {"Australia/Sydney", "2027-10-03T02:30", "2027-10-02T16:30:00Z", DESK_WALL_SKIPPED},
        {"Australia/Sydney", "2027-01-05T10:00", "2027-01-04T23:00:00Z", DESK_WALL_EXACT},
        /* Midnight and the year's end. */
        {"Europe/Prague", "2027-12-31T23:59:59", "2027-12-31T22:59:59Z", DESK_WALL_EXACT},
        {"UTC", "2028-02-29T00:00", "2028-02-29T00:00:00Z", DESK_WALL_EXACT},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct desk_wall w;
        int64_t ms = 0;
        enum desk_wall_fit fit = DESK_WALL_EXACT;
        char iso[21];
        assert_int_equal(desk_wall_parse(cases[i].local, strlen(cases[i].local), &w), 0);
        int rc = desk_wall_to_utc(&w, cases[i].zone, &ms, &fit);
        desk_time_iso(ms, iso);
        if (rc || strcmp(iso, cases[i].utc) != 0 || fit != cases[i].fit) {
            fail_msg("case %zu (%s %s): rc %d, got %s fit %d, want %s fit %d", i, cases[i].zone,
                     cases[i].local, rc, iso, fit, cases[i].utc, cases[i].fit);
        }
    }
}

static void test_from_utc(void **state)
{
    static const struct {
        const char *zone;
        const char *utc;
        const char *local;
        const char *offset;
    } cases[] = {
        {"Europe/Prague", "2027-03-28T01:30:00Z", "2027-03-28T03:30:00", "+02:00"},
        {"Europe/Prague", "2027-10-31T00:30:00Z", "2027-10-31T02:30:00", "+02:00"},
        {"Europe/Prague", "2027-10-31T01:30:00Z", "2027-10-31T02:30:00", "+01:00"},
        {"America/New_York", "2027-11-07T05:30:00Z", "2027-11-07T01:30:00", "-04:00"},
        {"America/New_York", "2027-11-07T06:30:00Z", "2027-11-07T01:30:00", "-05:00"},
        {"Australia/Sydney", "2027-10-02T16:30:00Z", "2027-10-03T03:30:00", "+11:00"},
        {"Asia/Kolkata", "2027-01-01T00:00:00Z", "2027-01-01T05:30:00", "+05:30"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t ms;
        struct desk_wall w;
        int off;
        char wall[20], offs[7];
        assert_int_equal(desk_time_parse(cases[i].utc, strlen(cases[i].utc), &ms), 0);
        assert_int_equal(desk_wall_from_utc(ms, cases[i].zone, &w, &off), 0);
        desk_wall_format(&w, wall);
        desk_wall_offset_format(off, offs);
        if (strcmp(wall, cases[i].local) != 0 || strcmp(offs, cases[i].offset) != 0) {
            fail_msg("case %zu (%s %s): got %s%s, want %s%s", i, cases[i].zone, cases[i].utc, wall,
                     offs, cases[i].local, cases[i].offset);
        }
    }
    struct desk_wall w;
    int off;
    assert_int_equal(desk_wall_from_utc(0, "Nowhere/Land", &w, &off), DESK_EINVAL);
    int64_t ms;
    enum desk_wall_fit fit;
    struct desk_wall ok = {2027, 1, 1, 10, 0, 0};
    assert_int_equal(desk_wall_to_utc(&ok, "Nowhere/Land", &ms, &fit), DESK_EINVAL);
    struct desk_wall bad = {2027, 2, 30, 10, 0, 0};
    assert_int_equal(desk_wall_to_utc(&bad, "UTC", &ms, &fit), DESK_EINVAL);
}

static void test_offset_format(void **state)
{
    char out[7];
    (void)state;
    desk_wall_offset_format(0, out);
    assert_string_equal(out, "+00:00");
    desk_wall_offset_format(-(4 * 3600 + 30 * 60), out);
    assert_string_equal(out, "-04:30");
    desk_wall_offset_format(14 * 3600, out);
    assert_string_equal(out, "+14:00");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zone_names),    cmocka_unit_test(test_parse),
        cmocka_unit_test(test_to_utc),        cmocka_unit_test(test_from_utc),
        cmocka_unit_test(test_offset_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
