/*
 * Unit tests for core/ical: TEXT escaping, folding at 75 octets without
 * cutting UTF-8 characters, UTC times and durations. Table-driven: each
 * case gives the property and the exact bytes expected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/ical.h"

#include <stdbool.h>
#include <string.h>

static void test_text(void **state)
{
    static const struct {
        const char *name, *value, *want;
    } cases[] = {
        {"SUMMARY", "plain", "SUMMARY:plain\r\n"},
        {"SUMMARY", "a, b; c\\d", "SUMMARY:a\\, b\\; c\\\\d\r\n"},
        {"DESCRIPTION", "one\ntwo\r\nthree\rfour", "DESCRIPTION:one\\ntwo\\nthree\\nfour\r\n"},
        {"SUMMARY", "tab\there\x01\x7f!", "SUMMARY:tab\there  !\r\n"},
        {"SUMMARY", "bad \xff byte", "SUMMARY:bad \xEF\xBF\xBD byte\r\n"},
        {"SUMMARY", "cut \xC5", "SUMMARY:cut \xEF\xBF\xBD\r\n"},
        {"SUMMARY", "", "SUMMARY:\r\n"},
        {"SUMMARY", NULL, "SUMMARY:\r\n"},
        {"SUMMARY", "Příliš žluťoučký kůň", "SUMMARY:Příliš žluťoučký kůň\r\n"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct desk_buf b;
        desk_buf_init(&b, 0);
        assert_int_equal(desk_ical_text(&b, cases[i].name, cases[i].value), 0);
        if (strcmp(b.data, cases[i].want) != 0) {
            fail_msg("case %zu: got [%s] want [%s]", i, b.data, cases[i].want);
        }
        desk_buf_release(&b);
    }
}

/* Checks the folding rules on out and returns the unfolded text. */
static void check_folded(const char *out, char *unfolded)
{
    size_t k = 0;
    const char *line = out;
    bool first = true;
    while (*line) {
        const char *crlf = strstr(line, "\r\n");
        assert_non_null(crlf);
        size_t len = (size_t)(crlf - line);
        assert_true(len <= 75);
        assert_true(len > 0);
        /* no UTF-8 continuation byte opens a line (after the fold's space) */
        assert_false(((unsigned char)line[first ? 0 : 1] & 0xC0) == 0x80);
        if (!first) {
            assert_int_equal(line[0], ' ');
        }
        memcpy(unfolded + k, line + (first ? 0 : 1), len - (first ? 0 : 1));
        k += len - (first ? 0 : 1);
        first = false;
        line = crlf + 2;
    }
    unfolded[k] = '\0';
}

static void test_folding(void **state)
{
    char value[600], unfolded[1200];
    (void)state;
    /* 75 octets exactly: not folded; 76: folded once. */
    for (size_t total = 60; total <= 200; total++) {
        struct desk_buf b;
        desk_buf_init(&b, 0);
        memset(value, 'x', total - 8);
        value[total - 8] = '\0';
        desk_ical_text(&b, "SUMMARY", value); /* "SUMMARY:" is 8 octets */
        size_t lines = 0;
        for (const char *p = b.data; (p = strstr(p, "\r\n")); p += 2) {
            lines++;
        }
        size_t want = total <= 75 ? 1 : 1 + (total - 75 + 73) / 74;
        if (lines != want) {
            fail_msg("total %zu: %zu lines, want %zu", total, lines, want);
        }
        check_folded(b.data, unfolded);
        assert_string_equal(unfolded + 8, value);
        desk_buf_release(&b);
    }
    /* Two- and three-byte characters at every offset are never cut. */
    static const char *const chars[] = {"ž", "€", "😀"};
    for (size_t c = 0; c < 3; c++) {
        for (size_t shift = 0; shift < 4; shift++) {
            struct desk_buf b;
            desk_buf_init(&b, 0);
            size_t k = 0;
            for (size_t i = 0; i < shift; i++) {
                value[k++] = 'a';
            }
            for (size_t i = 0; i < 100; i++) {
                memcpy(value + k, chars[c], strlen(chars[c]));
                k += strlen(chars[c]);
            }
            value[k] = '\0';
            desk_ical_text(&b, "DESCRIPTION", value);
            check_folded(b.data, unfolded);
            assert_string_equal(unfolded + strlen("DESCRIPTION:"), value);
            desk_buf_release(&b);
        }
    }
}

static void test_times(void **state)
{
    struct desk_buf b;
    (void)state;
    desk_buf_init(&b, 0);
    desk_ical_time(&b, "DTSTART", 1799946000000LL); /* 2027-01-14T17:00:00Z */
    desk_ical_duration(&b, "TRIGGER", -15 * 60000);
    desk_ical_duration(&b, "TRIGGER", -2000);
    desk_ical_duration(&b, "DURATION", (26 * 3600 + 61) * 1000LL);
    desk_ical_duration(&b, "DURATION", 0);
    desk_ical_duration(&b, "DURATION", 2 * 86400000LL);
    desk_ical_raw(&b, "URL;VALUE=URI", "http://h/a\r\nb");
    assert_string_equal(b.data, "DTSTART:20270114T170000Z\r\n"
                                "TRIGGER:-PT15M\r\n"
                                "TRIGGER:-PT2S\r\n"
                                "DURATION:P1DT2H1M1S\r\n"
                                "DURATION:PT0S\r\n"
                                "DURATION:P2D\r\n"
                                "URL;VALUE=URI:http://h/ab\r\n");
    desk_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_folding),
        cmocka_unit_test(test_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
