/*
 * Unit tests for model/concession, model/resolution and model/similar:
 * exact money parsing and formatting, ISO 4217 through ICU, the approval
 * chain, required resolution fields and similar-ticket terms. Table-driven.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/concession.h"
#include "model/resolution.h"
#include "model/similar.h"

#include <string.h>

static void test_money_parse(void **state)
{
    static const struct {
        const char *in;
        int digits;
        int want_rc;
        int64_t want;
    } cases[] = {
        {"300", 2, 0, 30000},
        {"300.5", 2, 0, 30050},
        {"300.50", 2, 0, 30050},
        {"0.01", 2, 0, 1},
        {"007", 2, 0, 700},
        {"5000", 0, 0, 5000},
        {"1.005", 3, 0, 1005},
        {"10000000000", 2, 0, 1000000000000LL}, /* DESK_MONEY_MAX exactly */
        {"10000000000.01", 2, DESK_EINVAL, 0},
        {"99999999999999999999999", 2, DESK_EINVAL, 0},
        {"12.345", 2, DESK_EINVAL, 0},
        {"10.5", 0, DESK_EINVAL, 0},
        {"0", 2, DESK_EINVAL, 0},
        {"0.00", 2, DESK_EINVAL, 0},
        {"-5", 2, DESK_EINVAL, 0},
        {"+5", 2, DESK_EINVAL, 0},
        {"5.", 2, DESK_EINVAL, 0},
        {".5", 2, 0, 50},
        {".", 2, DESK_EINVAL, 0},
        {"", 2, DESK_EINVAL, 0},
        {"1e3", 2, DESK_EINVAL, 0},
        {"1,000", 2, DESK_EINVAL, 0},
        {" 5", 2, DESK_EINVAL, 0},
        {"5 ", 2, DESK_EINVAL, 0},
        {"1.2.3", 2, DESK_EINVAL, 0},
        {"abc", 2, DESK_EINVAL, 0},
        {"NaN", 2, DESK_EINVAL, 0},
        {"١٢", 2, DESK_EINVAL, 0}, /* Arabic-Indic digits are not ASCII digits */
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t got = -1;
        const char *why = NULL;
        int rc = desk_money_parse(cases[i].in, cases[i].digits, &got, &why);
        if (rc != cases[i].want_rc) {
            fail_msg("case %zu \"%s\": rc %d, want %d", i, cases[i].in, rc, cases[i].want_rc);
        }
        if (rc == 0) {
            assert_int_equal(got, cases[i].want);
        } else {
            assert_non_null(why);
            assert_int_equal(got, -1); /* out-parameter untouched on failure */
        }
    }
    assert_int_equal(desk_money_parse(NULL, 2, &(int64_t){0}, &(const char *){NULL}), DESK_EINVAL);
}

static void test_money_format(void **state)
{
    struct desk_arena a;
    (void)state;
    desk_arena_init(&a);
    assert_string_equal(desk_money_format(&a, 30000, 2), "300.00");
    assert_string_equal(desk_money_format(&a, 5, 2), "0.05");
    assert_string_equal(desk_money_format(&a, 5000, 0), "5000");
    assert_string_equal(desk_money_format(&a, 1005, 3), "1.005");
    assert_string_equal(desk_money_format(&a, -150, 2), "-1.50");
    desk_arena_release(&a);
}

static void test_currency(void **state)
{
    static const struct {
        const char *in;
        int want_rc;
        const char *code;
        int digits;
    } cases[] = {
        {"EUR", 0, "EUR", 2},          {"eur", 0, "EUR", 2},           {"JPY", 0, "JPY", 0},
        {"BHD", 0, "BHD", 3},          {"CZK", 0, "CZK", 2},           {"PLN", 0, "PLN", 2},
        {"XYZ", DESK_EINVAL, NULL, 0}, {"EURO", DESK_EINVAL, NULL, 0}, {"EU", DESK_EINVAL, NULL, 0},
        {"", DESK_EINVAL, NULL, 0},    {"E1R", DESK_EINVAL, NULL, 0},  {"€", DESK_EINVAL, NULL, 0},
        {"DEM", DESK_EINVAL, NULL, 0}, /* withdrawn: not a current currency */
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char code[4] = {0};
        int digits = -1;
        int rc = desk_currency_check(cases[i].in, code, &digits);
        if (rc != cases[i].want_rc) {
            fail_msg("case %zu \"%s\": rc %d, want %d", i, cases[i].in, rc, cases[i].want_rc);
        }
        if (!rc) {
            assert_string_equal(code, cases[i].code);
            assert_int_equal(digits, cases[i].digits);
        }
    }
    assert_int_equal(desk_currency_check(NULL, (char[4]){0}, &(int){0}), DESK_EINVAL);
}

static void test_chain(void **state)
{
    (void)state;
    /* supervisor 500.00, admin unlimited */
    assert_int_equal(desk_concession_level(30000, 50000, DESK_LIMIT_NONE), DESK_ROLE_SUPERVISOR);
    assert_int_equal(desk_concession_level(50000, 50000, DESK_LIMIT_NONE), DESK_ROLE_SUPERVISOR);
    assert_int_equal(desk_concession_level(50001, 50000, DESK_LIMIT_NONE), DESK_ROLE_ADMIN);
    assert_int_equal(desk_concession_level(50001, 50000, 100000), DESK_ROLE_ADMIN);
    assert_int_equal(desk_concession_level(100001, 50000, 100000), -1);
    assert_int_equal(desk_concession_level(1, 0, 0), -1);
    assert_true(desk_limit_covers(DESK_LIMIT_NONE, DESK_MONEY_MAX));
    assert_true(desk_limit_covers(5000, 5000));
    assert_false(desk_limit_covers(5000, 5001));
    assert_false(desk_limit_covers(0, 1));
}

static void test_names(void **state)
{
    int v;
    (void)state;
    assert_string_equal(desk_ctype_name(DESK_CTYPE_FEE_WAIVER), "fee_waiver");
    assert_null(desk_ctype_name(DESK_CTYPE__COUNT));
    assert_int_equal(desk_ctype_parse("policy_exception", &v), 0);
    assert_int_equal(v, DESK_CTYPE_POLICY_EXCEPTION);
    assert_int_equal(desk_ctype_parse("Refund", &v), DESK_EINVAL);
    assert_int_equal(desk_cstate_parse("countered", &v), 0);
    assert_int_equal(v, DESK_CSTATE_COUNTERED);
    assert_string_equal(desk_hold_state_name(DESK_HOLD_RETURNED), "returned");
}

static void test_resolution(void **state)
{
    const char *req[] = {DESK_RES_CATEGORY, DESK_RES_NOTE, "order_number", "refund_id"};
    struct desk_resolution_policy p = {.required = {req, 4}};
    struct desk_resolution_field f[] = {{"order_number", "A-17"}, {"refund_id", "  "}};
    struct desk_resolution r = {.category = "refund", .note = " \n", .fields = f, .n_fields = 2};
    const char *missing[8];
    (void)state;
    assert_int_equal(desk_resolution_missing(&p, &r, missing, 8), 2);
    assert_string_equal(missing[0], DESK_RES_NOTE);
    assert_string_equal(missing[1], "refund_id");
    assert_int_equal(desk_resolution_missing(&p, NULL, missing, 1), 4); /* counts past cap */
    assert_string_equal(missing[0], DESK_RES_CATEGORY);
    struct desk_resolution_policy none = {0};
    assert_int_equal(desk_resolution_missing(&none, NULL, missing, 8), 0);

    const char *cats[] = {"refund", "replacement"};
    struct desk_resolution_policy pc = {.categories = {cats, 2}};
    assert_true(desk_resolution_category_allowed(&pc, "refund"));
    assert_false(desk_resolution_category_allowed(&pc, "bribe"));
    assert_true(desk_resolution_category_allowed(&none, "anything"));

    static const struct {
        const char *s;
        bool ok;
    } names[] = {{"order_number", true}, {"a", true},      {"x-1", true},  {"", false},
                 {"_x", false},          {"Order", false}, {"a b", false}, {"ř", false},
                 {"0abc", true},         {"-abc", false}};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (desk_resolution_name_valid(names[i].s) != names[i].ok) {
            fail_msg("name \"%s\"", names[i].s);
        }
    }
    char longname[80];
    memset(longname, 'a', 65);
    longname[65] = '\0';
    assert_false(desk_resolution_name_valid(longname));
    longname[64] = '\0';
    assert_true(desk_resolution_name_valid(longname));
}

static void test_similar_terms(void **state)
{
    struct desk_arena a;
    const char *terms[DESK_SIMILAR_TERMS_MAX];
    size_t n = 0;
    (void)state;
    desk_arena_init(&a);
    desk_similar_terms(&a, "The KETTLE is broken, the kettle LID too!", terms, &n, 8);
    assert_int_equal(n, 3);
    assert_string_equal(terms[0], "kettle");
    assert_string_equal(terms[1], "broken");
    assert_string_equal(terms[2], "lid");
    /* Appends, across scripts and with diacritics kept (the index folds them). */
    desk_similar_terms(&a, "Příliš žluťoučký kůň; order 12345 — 注文", terms, &n, 8);
    assert_int_equal(n, 8);
    assert_string_equal(terms[3], "prilis"); /* folded as the index folds */
    assert_string_equal(terms[4], "zlutoucky");
    assert_string_equal(terms[5], "kun");
    assert_string_equal(terms[6], "order");
    assert_string_equal(terms[7], "12345");
    /* Full: nothing more is added. */
    desk_similar_terms(&a, "another sentence", terms, &n, 8);
    assert_int_equal(n, 8);
    n = 0;
    desk_similar_terms(&a, NULL, terms, &n, 8);
    desk_similar_terms(&a, "a an to of ?!", terms, &n, 8);
    assert_int_equal(n, 0);
    desk_arena_release(&a);
}

static void test_similar_pick(void **state)
{
    const char *terms[] = {"kettle", "the", "lid", "nowhere", "cracked", "arrival"};
    int64_t docs[] = {40, 900, 12, 0, 12, 300};
    (void)state;
    /* 1000 documents: "the" (90 %) and "arrival" (30 %) are common, "nowhere" absent. */
    size_t k = desk_similar_pick(terms, docs, 6, 1000, 12);
    assert_int_equal(k, 3);
    assert_string_equal(terms[0], "lid"); /* ties keep text order */
    assert_string_equal(terms[1], "cracked");
    assert_string_equal(terms[2], "kettle");
    /* Only common words: the 3 least common are kept anyway. */
    const char *c2[] = {"a1", "a2", "a3", "a4"};
    int64_t d2[] = {900, 500, 700, 600};
    assert_int_equal(desk_similar_pick(c2, d2, 4, 1000, 12), 3);
    assert_string_equal(c2[0], "a2");
    assert_string_equal(c2[1], "a4");
    assert_string_equal(c2[2], "a3");
    /* The cap. */
    const char *c3[] = {"b1", "b2", "b3"};
    int64_t d3[] = {1, 2, 3};
    assert_int_equal(desk_similar_pick(c3, d3, 3, 1000, 2), 2);
    assert_int_equal(desk_similar_pick(c3, d3, 0, 0, 2), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_money_parse),   cmocka_unit_test(test_money_format),
        cmocka_unit_test(test_currency),      cmocka_unit_test(test_chain),
        cmocka_unit_test(test_names),         cmocka_unit_test(test_resolution),
        cmocka_unit_test(test_similar_terms), cmocka_unit_test(test_similar_pick),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
