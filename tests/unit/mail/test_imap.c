/*
 * The IMAP SEARCH answer parser (mail/imap.c): what a server may send,
 * well-formed or not, as a table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/error.h"
#include "mail/imap.h"

#include <string.h>

static void test_parse_search(void **state)
{
    static const struct {
        const char *text;
        int rc;
        size_t n;
        uint64_t want[4];
    } cases[] = {
        {"* SEARCH 1 2 3\r\n", 0, 3, {1, 2, 3}},
        {"* SEARCH\r\n", 0, 0, {0}},
        {"", 0, 0, {0}},
        {"* OK [UIDVALIDITY 7] ok\r\n* SEARCH 9 3 3 7\r\n", 0, 3, {3, 7, 9}},
        {"* SEARCH 8 7 6 5 4 3 2 1\r\n", 0, 4, {1, 2, 3, 4}}, /* the lowest four kept */
        {"* SEARCH  4   5\n* SEARCH 6", 0, 3, {4, 5, 6}},
        {"* SEARCH 4294967295\r\n", 0, 1, {4294967295u}},
        {"* SEARCH 4294967296\r\n", DESK_EINVAL, 0, {0}},
        {"* SEARCH 99999999999999999999999\r\n", DESK_EINVAL, 0, {0}},
        {"* SEARCH 1 x\r\n", DESK_EINVAL, 0, {0}},
        {"* SEARCH 0\r\n", DESK_EINVAL, 0, {0}},
        {"* SEARCH 1 (MODSEQ 5)\r\n", DESK_EINVAL, 0, {0}},
        {"* SEARCHING 1\r\n* ESEARCH (TAG \"A1\") UID ALL 1:3\r\n", 0, 0, {0}},
        {"* FLAGS (\\Seen)\r\n* 3 EXISTS\r\n", 0, 0, {0}},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint64_t uids[4] = {0};
        size_t n = 99;
        int rc = desk_imap_parse_search(cases[i].text, strlen(cases[i].text), uids, 4, &n);
        if (rc != cases[i].rc) {
            fail_msg("case %zu: rc %d, want %d", i, rc, cases[i].rc);
        }
        if (rc) {
            continue;
        }
        if (n != cases[i].n) {
            fail_msg("case %zu: %zu uids, want %zu", i, n, cases[i].n);
        }
        for (size_t k = 0; k < n; k++) {
            if (uids[k] != cases[i].want[k]) {
                fail_msg("case %zu: uid %zu is %llu", i, k, (unsigned long long)uids[k]);
            }
        }
    }
}

static void test_config(void **state)
{
    static const char *bad_hosts[] = {"", "a b", "host/path", "h@x", "x\r\ny", NULL};
    struct desk_imap *im;
    (void)state;
    for (size_t i = 0; i < sizeof(bad_hosts) / sizeof(bad_hosts[0]); i++) {
        struct desk_imap_config c = {
            .host = bad_hosts[i], .port = 993, .user = "u", .password = "p"};
        assert_int_equal(desk_imap_new(&c, &im), DESK_EINVAL);
    }
    struct desk_imap_config c = {.host = "127.0.0.1", .port = 0, .user = "u", .password = "p"};
    assert_int_equal(desk_imap_new(&c, &im), DESK_EINVAL);
    c.port = 143;
    c.folder = "Support\r\nA1 LOGOUT";
    assert_int_equal(desk_imap_new(&c, &im), DESK_EINVAL);
    c.folder = "Podpora/\"Přijaté\"";
    assert_int_equal(desk_imap_new(&c, &im), 0);
    desk_imap_free(im);
    int tls;
    assert_int_equal(desk_imap_tls_parse("starttls", &tls), 0);
    assert_int_equal(tls, DESK_IMAP_TLS_STARTTLS);
    assert_string_equal(desk_imap_tls_name(tls), "starttls");
    assert_int_equal(desk_imap_tls_parse("ssl", &tls), DESK_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_search),
        cmocka_unit_test(test_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
