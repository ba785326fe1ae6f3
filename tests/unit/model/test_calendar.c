/*
 * Unit tests for model/calendar: due times and elapsed business time across
 * DST changes (Europe/Prague, America/New_York, Australia/Sydney), holidays
 * (single, ranges, yearly), overnight and split intervals, closing-time
 * edges, a brute-force minute-by-minute cross-check, the hours language and
 * the validation errors. Expected wall times are converted to UTC by ICU
 * (desk_bh_local_parse), independently of the arithmetic under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/calendar.h"

#include <stdio.h>
#include <string.h>

#define MIN  60000LL
#define HOUR (60 * MIN)

struct hol {
    const char *from, *to;
    bool yearly;
};

/* Compiles zone + hours text + holidays, failing the test on any error. */
static struct desk_bh *make(const char *zone, const char *hours, const struct hol *hols)
{
    struct desk_bh_interval iv[DESK_BH_MAX_IVS];
    struct desk_bh_holiday h[16];
    size_t n_iv = 0, n_h = 0;
    struct desk_fail fail = {0};
    assert_int_equal(desk_bh_hours_parse(NULL, hours, iv, DESK_BH_MAX_IVS, &n_iv, &fail), 0);
    for (; hols && hols[n_h].from; n_h++) {
        assert_int_equal(desk_bh_date_parse(hols[n_h].from, &h[n_h].start_day), 0);
        assert_int_equal(desk_bh_date_parse(hols[n_h].to, &h[n_h].end_day), 0);
        h[n_h].yearly = hols[n_h].yearly;
    }
    struct desk_bh_spec spec = {zone, iv, n_iv, h, n_h};
    struct desk_bh *bh = NULL;
    int rc = desk_bh_compile(&spec, NULL, &bh, &fail);
    if (rc) {
        print_message("compile %s '%s': %s\n", zone, hours, fail.items[0].description);
    }
    assert_int_equal(rc, 0);
    return bh;
}

static int64_t wall(const char *zone, const char *text)
{
    int64_t t;
    assert_int_equal(desk_bh_local_parse(zone, text, &t), 0);
    return t;
}

static void test_due_times(void **state)
{
    static const struct hol easter[] = {{"2026-04-06", "2026-04-06", false}, {NULL, NULL, false}};
    static const struct hol xmas[] = {{"2019-12-25", "2019-12-26", true}, {NULL, NULL, false}};
    static const struct hol range[] = {{"2026-12-24", "2026-12-31", false}, {NULL, NULL, false}};
    static const struct {
        const char *name, *zone, *hours;
        const struct hol *hols;
        const char *start;
        int64_t minutes;
        const char *due;
    } cases[] = {
        {"same day", "Europe/Prague", "mon-fri 09:00-17:00", NULL, "2026-03-24T10:00", 90,
         "2026-03-24T11:30"},
        {"over the weekend of the spring change", "Europe/Prague", "mon-fri 09:00-17:00", NULL,
         "2026-03-27T16:30", 60, "2026-03-30T09:30"},
        {"runs out exactly at closing: due at closing", "Europe/Prague", "mon-fri 09:00-17:00",
         NULL, "2026-03-30T09:00", 480, "2026-03-30T17:00"},
        {"one minute more: next opening", "Europe/Prague", "mon-fri 09:00-17:00", NULL,
         "2026-03-30T09:00", 481, "2026-03-31T09:01"},
        {"started outside hours: next opening", "Europe/Prague", "mon-fri 09:00-17:00", NULL,
         "2026-03-28T12:00", 30, "2026-03-30T09:30"},
        {"started before opening", "Europe/Prague", "mon-fri 09:00-17:00", NULL, "2026-03-31T06:15",
         15, "2026-03-31T09:15"},
        {"lunch break", "Europe/Prague", "mon-fri 09:00-12:00 13:00-17:00", NULL,
         "2026-03-30T11:30", 60, "2026-03-30T13:30"},
        {"saturday hours", "Europe/Prague", "mon-fri 09:00-17:00,sat 10:00-14:00", NULL,
         "2026-03-27T16:00", 120, "2026-03-28T11:00"},
        {"23-hour day counted in full", "Europe/Prague", "sun 00:00-24:00", NULL,
         "2026-03-29T00:00", 23 * 60, "2026-03-30T00:00"},
        {"23-hour day: one hour more is next week", "Europe/Prague", "sun 00:00-24:00", NULL,
         "2026-03-29T00:00", 24 * 60, "2026-04-05T01:00"},
        {"25-hour day", "Europe/Prague", "sun 00:00-24:00", NULL, "2026-10-25T00:00", 25 * 60,
         "2026-10-26T00:00"},
        {"Easter Monday skipped", "Europe/Prague", "mon-fri 09:00-17:00", easter,
         "2026-04-03T16:00", 120, "2026-04-07T10:00"},
        {"yearly Christmas (set in 2019) skipped in 2026", "Europe/Prague", "mon-fri 09:00-17:00",
         xmas, "2026-12-24T16:00", 120, "2026-12-28T10:00"},
        {"a holiday range", "Europe/Prague", "mon-fri 09:00-17:00", range, "2026-12-23T16:00", 120,
         "2027-01-01T10:00"},
        {"New York overnight across the spring change", "America/New_York", "mon-sun 22:00-06:00",
         NULL, "2026-03-07T23:00", 7 * 60, "2026-03-08T23:00"},
        {"New York across the autumn change", "America/New_York", "mon-fri 09:00-17:00", NULL,
         "2026-10-30T16:00", 120, "2026-11-02T10:00"},
        {"Sydney across the April change", "Australia/Sydney", "mon-fri 09:00-17:00", NULL,
         "2026-04-03T16:00", 120, "2026-04-06T10:00"},
        {"Sydney 25-hour Sunday", "Australia/Sydney", "sun 00:00-24:00", NULL, "2026-04-05T00:00",
         25 * 60, "2026-04-06T00:00"},
        {"Sydney 23-hour Sunday in October", "Australia/Sydney", "sun 00:00-24:00", NULL,
         "2026-10-04T00:00", 23 * 60, "2026-10-05T00:00"},
        {"saturday overnight into sunday", "Europe/Prague", "sat 22:00-02:00", NULL,
         "2026-03-28T21:00", 270, "2026-04-04T22:30"},
        {"five weeks at once", "Europe/Prague", "mon-fri 09:00-17:00", NULL, "2026-05-04T09:00",
         25 * 480, "2026-06-05T17:00"},
        {"weeks across a change and a holiday", "Europe/Prague", "mon-fri 09:00-17:00", easter,
         "2026-03-02T09:00", 30 * 480, "2026-04-13T17:00"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        print_message("case: %s\n", cases[i].name);
        struct desk_bh *bh = make(cases[i].zone, cases[i].hours, cases[i].hols);
        int64_t start = wall(cases[i].zone, cases[i].start);
        int64_t want = wall(cases[i].zone, cases[i].due);
        int64_t got = desk_bh_add(bh, start, cases[i].minutes * MIN);
        if (got != want) {
            char g[40], w[40];
            desk_bh_format(bh, got, false, g, sizeof(g));
            desk_bh_format(bh, want, false, w, sizeof(w));
            print_message("  got %s want %s\n", g, w);
        }
        assert_int_equal(got, want);
        /* The fast path and the explained walk agree. */
        struct desk_bh_explain ex;
        assert_int_equal(desk_bh_add_explain(bh, start, cases[i].minutes * MIN, &ex), want);
        assert_int_equal(desk_bh_elapsed_explain(bh, start, got, &ex), cases[i].minutes * MIN);
        /* The inverse: exactly the target lies between start and due. */
        assert_int_equal(desk_bh_elapsed(bh, start, got), cases[i].minutes * MIN);
        /* Chained small steps give the same answer as one big one. */
        int64_t t = start, left = cases[i].minutes * MIN;
        while (left > 0) {
            int64_t step = left < 37 * MIN ? left : 37 * MIN;
            t = desk_bh_add(bh, t, step);
            left -= step;
        }
        assert_int_equal(t, want);
        desk_bh_free(bh);
    }
}

static void test_elapsed_on_change_days(void **state)
{
    static const struct {
        const char *zone, *hours, *from, *to;
        int64_t minutes;
    } cases[] = {
        {"Europe/Prague", "sun 01:00-04:00", "2026-03-29T00:00", "2026-03-30T00:00", 120},
        {"Europe/Prague", "sun 01:00-04:00", "2026-10-25T00:00", "2026-10-26T00:00", 240},
        {"Europe/Prague", "mon-sun 00:00-24:00", "2026-03-29T00:00", "2026-03-30T00:00", 23 * 60},
        {"America/New_York", "sun 00:00-24:00", "2026-11-01T00:00", "2026-11-02T00:00", 25 * 60},
        {"America/New_York", "sun 00:00-24:00", "2026-03-08T00:00", "2026-03-09T00:00", 23 * 60},
        {"Australia/Sydney", "mon-fri 09:00-17:00", "2026-04-01T00:00", "2026-04-09T00:00",
         6 * 480},
        {"Europe/Prague", "mon-fri 09:00-17:00", "2026-03-30T17:00", "2026-03-31T09:00", 0},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct desk_bh *bh = make(cases[i].zone, cases[i].hours, NULL);
        int64_t got = desk_bh_elapsed(bh, wall(cases[i].zone, cases[i].from),
                                      wall(cases[i].zone, cases[i].to));
        print_message("elapsed %s %s: %lld min\n", cases[i].zone, cases[i].from,
                      (long long)(got / MIN));
        assert_int_equal(got, cases[i].minutes * MIN);
        desk_bh_free(bh);
    }
}

/* Brute force: walk minute by minute, reading the wall time through the offset table. */
static int64_t brute_elapsed(const struct desk_bh *bh, int64_t from, int64_t to, bool open[7][1440],
                             const int32_t *hol_days, size_t n_hol)
{
    int64_t n = 0;
    for (int64_t t = from; t < to; t += MIN) {
        int64_t local = t + desk_bh_offset(bh, t);
        int64_t day = local >= 0 ? local / 86400000 : -((-local + 86399999) / 86400000);
        int dow = (int)(((day + 4) % 7 + 7) % 7);
        int tod = (int)((local - day * 86400000) / MIN);
        bool holiday = false;
        for (size_t k = 0; k < n_hol; k++) {
            holiday |= hol_days[k] == day;
        }
        if (open[dow][tod] && !holiday) {
            n += MIN;
        }
    }
    return n;
}

static void test_brute_force(void **state)
{
    static const struct hol hols[] = {{"2026-04-06", "2026-04-06", false},
                                      {"2026-10-26", "2026-10-27", false},
                                      {NULL, NULL, false}};
    static const char *const zones[] = {"Europe/Prague", "America/New_York", "Australia/Sydney"};
    static const char *const hours[] = {"mon-fri 09:00-17:00",
                                        "mon-fri 08:00-12:00 12:30-18:00,sat 10:00-14:00",
                                        "mon-sun 22:00-06:00", "tue 01:30-03:30,sun 00:00-24:00"};
    (void)state;
    int32_t hol_days[3];
    assert_int_equal(desk_bh_date_parse("2026-04-06", &hol_days[0]), 0);
    assert_int_equal(desk_bh_date_parse("2026-10-26", &hol_days[1]), 0);
    hol_days[2] = hol_days[1] + 1;
    uint64_t seed = 42;
    for (size_t z = 0; z < 3; z++) {
        for (size_t h = 0; h < 4; h++) {
            bool open[7][1440];
            struct desk_bh_interval iv[64];
            size_t n = 0;
            memset(open, 0, sizeof(open));
            assert_int_equal(desk_bh_hours_parse(NULL, hours[h], iv, 64, &n, NULL), 0);
            for (size_t k = 0; k < n; k++) {
                for (int m = iv[k].start_min; m < iv[k].end_min; m++) {
                    int w = m % DESK_BH_WEEK_MIN;
                    open[w / 1440][w % 1440] = true;
                }
            }
            struct desk_bh *bh = make(zones[z], hours[h], hols);
            /* Ranges around the spring and autumn changes of each hemisphere. */
            static const char *const around[] = {"2026-03-05T07:13", "2026-03-26T19:00",
                                                 "2026-04-02T10:41", "2026-09-30T00:00",
                                                 "2026-10-22T13:07"};
            for (size_t r = 0; r < 5; r++) {
                seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
                int64_t from = wall(zones[z], around[r]) + (int64_t)(seed >> 40) % (3 * 24) * HOUR;
                int64_t to = from + (int64_t)(10 + (seed >> 20) % 12) * 24 * HOUR;
                int64_t want = brute_elapsed(bh, from, to, open, hol_days, 3);
                struct desk_bh_explain ex;
                assert_int_equal(desk_bh_elapsed(bh, from, to), want);
                assert_int_equal(desk_bh_elapsed_explain(bh, from, to, &ex), want);
                if (want > 0) {
                    /* add() lands on the first instant that completes the same amount. */
                    int64_t due = desk_bh_add(bh, from, want);
                    assert_int_equal(desk_bh_add_explain(bh, from, want, &ex), due);
                    assert_true(due <= to);
                    assert_int_equal(desk_bh_elapsed(bh, from, due), want);
                }
            }
            desk_bh_free(bh);
        }
    }
}

static void test_validation(void **state)
{
    static const struct {
        const char *name, *zone;
        struct desk_bh_interval iv[3];
        size_t n_iv;
        const char *hol_from, *hol_to;
        bool yearly;
        const char *field;
    } cases[] = {
        {"unknown zone", "Mars/Olympus", {{1980, 2460}}, 1, NULL, NULL, false, "time_zone"},
        {"not IANA",
         "Eastern Time (US & Canada)",
         {{1980, 2460}},
         1,
         NULL,
         NULL,
         false,
         "time_zone"},
        {"no intervals", "UTC", {{0, 0}}, 0, NULL, NULL, false, "intervals"},
        {"empty interval", "UTC", {{1980, 1980}}, 1, NULL, NULL, false, "intervals"},
        {"under 15 minutes", "UTC", {{1980, 1990}}, 1, NULL, NULL, false, "intervals"},
        {"overlap", "UTC", {{1980, 2460}, {2400, 2500}}, 2, NULL, NULL, false, "intervals"},
        {"overlap through the week's wrap",
         "UTC",
         {{10000, 10200}, {60, 300}},
         2,
         NULL,
         NULL,
         false,
         "intervals"},
        {"outside the week", "UTC", {{-5, 100}}, 1, NULL, NULL, false, "intervals"},
        {"holiday ends before it starts",
         "UTC",
         {{1980, 2460}},
         1,
         "2026-12-26",
         "2026-12-24",
         false,
         "holidays"},
        {"holidays cover every working day",
         "UTC",
         {{1980, 2460}},
         1,
         "2026-01-01",
         "2026-12-31",
         true,
         "holidays"},
    };
    (void)state;
    struct desk_arena a;
    desk_arena_init(&a);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct desk_bh_holiday h;
        struct desk_fail fail = {0};
        struct desk_bh *bh = NULL;
        size_t n_h = 0;
        if (cases[i].hol_from) {
            assert_int_equal(desk_bh_date_parse(cases[i].hol_from, &h.start_day), 0);
            assert_int_equal(desk_bh_date_parse(cases[i].hol_to, &h.end_day), 0);
            h.yearly = cases[i].yearly;
            n_h = 1;
        }
        struct desk_bh_spec spec = {cases[i].zone, cases[i].iv, cases[i].n_iv, &h, n_h};
        int rc = desk_bh_compile(&spec, &a, &bh, &fail);
        print_message("case: %s -> %s\n", cases[i].name, fail.n ? fail.items[0].description : "ok");
        assert_int_equal(rc, DESK_EINVALID);
        assert_null(bh);
        assert_int_equal(fail.n, 1);
        assert_string_equal(fail.items[0].field, cases[i].field);
    }
    desk_arena_release(&a);
}

static void test_hours_language(void **state)
{
    static const struct {
        const char *text;
        int ok;
        size_t n;
        int first_start, first_end;
    } cases[] = {
        {"mon-fri 09:00-17:00", 1, 5, 1440 + 540, 1440 + 1020},
        {"Mon-Fri 09:00-12:00 13:00-17:00, sat 10:00-14:00", 1, 11, 1440 + 540, 1440 + 720},
        {"sun 00:00-24:00", 1, 1, 0, 1440},
        {"fri-mon 22:00-06:00", 1, 4, 5 * 1440 + 1320, 5 * 1440 + 1800},
        {"saturday 10:00-14:00", 1, 1, 6 * 1440 + 600, 6 * 1440 + 840},
        {"", 0, 0, 0, 0},
        {"mon", 0, 0, 0, 0},
        {"funday 09:00-17:00", 0, 0, 0, 0},
        {"mon-fri 9:00-17:00", 0, 0, 0, 0},
        {"mon-fri 09:00-25:00", 0, 0, 0, 0},
        {"mon-fri 24:00-09:00", 0, 0, 0, 0},
        {"mon-fri 09:00-09:00", 0, 0, 0, 0},
        {"mon-fri 09:00-17:00,", 0, 0, 0, 0},
        {"mon-fri09:00-17:00", 0, 0, 0, 0},
        {"mon-fri 09:60-17:00", 0, 0, 0, 0},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct desk_bh_interval iv[32];
        size_t n = 0;
        struct desk_fail fail = {0};
        int rc = desk_bh_hours_parse(NULL, cases[i].text, iv, 32, &n, &fail);
        print_message("hours '%s' -> %d %s\n", cases[i].text, rc,
                      fail.n ? fail.items[0].description : "");
        if (cases[i].ok) {
            assert_int_equal(rc, 0);
            assert_int_equal(n, cases[i].n);
            assert_int_equal(iv[0].start_min, cases[i].first_start);
            assert_int_equal(iv[0].end_min, cases[i].first_end);
        } else {
            assert_int_equal(rc, DESK_EINVALID);
            assert_string_equal(fail.items[0].field, "hours");
        }
    }
}

static void test_explanation(void **state)
{
    static const struct hol easter[] = {{"2026-04-06", "2026-04-06", false}, {NULL, NULL, false}};
    (void)state;
    struct desk_arena a;
    desk_arena_init(&a);
    struct desk_bh *bh = make("Europe/Prague", "mon-fri 09:00-17:00", easter);
    struct desk_bh_explain ex;
    int64_t start = wall("Europe/Prague", "2026-03-28T12:00");
    int64_t due = desk_bh_add_explain(bh, start, 9 * 480 * MIN, &ex);
    assert_int_equal(due, wall("Europe/Prague", "2026-04-10T17:00"));
    const char *text = desk_bh_explain_text(&a, bh, &ex);
    print_message("%s\n", text);
    assert_non_null(strstr(text, "Sat 2026-03-28 12:00 is outside business hours"));
    assert_non_null(
        strstr(text, "clocks changed at Sun 2026-03-29 03:00 (UTC+01:00 to UTC+02:00)"));
    assert_non_null(strstr(text, "skipped holiday Mon 2026-04-06"));
    assert_non_null(strstr(text, "counted Mon 2026-03-30 09:00-17:00 (8 h)"));
    assert_non_null(strstr(text, "counted Thu 2026-04-09 09:00-17:00 (8 h)"));
    /* Without a schedule, calendar time. */
    assert_int_equal(desk_bh_add(NULL, start, 90 * MIN), start + 90 * MIN);
    assert_int_equal(desk_bh_elapsed(NULL, start, start + 5), 5);
    assert_true(desk_bh_is_open(bh, wall("Europe/Prague", "2026-03-30T09:00")));
    assert_false(desk_bh_is_open(bh, wall("Europe/Prague", "2026-03-30T17:00")));
    desk_bh_free(bh);
    desk_arena_release(&a);
}

static void test_wall_time(void **state)
{
    (void)state;
    char out[64];
    int64_t t;
    /* 02:30 does not exist in Prague on 2026-03-29: the first valid time after it. */
    assert_int_equal(desk_bh_local_parse("Europe/Prague", "2026-03-29T02:30", &t), 0);
    assert_int_equal(
        desk_bh_local_format("Europe/Prague", t, "yyyy-MM-dd'T'HH:mmxxx", out, sizeof(out)), 0);
    assert_string_equal(out, "2026-03-29T03:00+02:00");
    /* 02:30 happens twice on 2026-10-25: the first one (summer time). */
    assert_int_equal(desk_bh_local_parse("Europe/Prague", "2026-10-25T02:30", &t), 0);
    assert_int_equal(t, 1792888200000LL); /* 2026-10-25T00:30:00Z */
    assert_int_equal(desk_bh_local_parse("Nowhere/Else", "2026-10-25T02:30", &t), DESK_EINVAL);
    assert_int_equal(desk_bh_local_parse("UTC", "2026-02-30T02:30", &t), DESK_EINVAL);
    int32_t day;
    assert_int_equal(desk_bh_date_parse("1970-01-02", &day), 0);
    assert_int_equal(day, 1);
    assert_int_equal(desk_bh_date_parse("2026-13-01", &day), DESK_EINVAL);
    assert_int_equal(desk_bh_date_parse("2026-1-01", &day), DESK_EINVAL);
    char d[11];
    desk_bh_date_format(20000, d);
    assert_string_equal(d, "2024-10-04");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_due_times),      cmocka_unit_test(test_elapsed_on_change_days),
        cmocka_unit_test(test_brute_force),    cmocka_unit_test(test_validation),
        cmocka_unit_test(test_hours_language), cmocka_unit_test(test_explanation),
        cmocka_unit_test(test_wall_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
