/*
 * Search folding (src/model/fold.c): what customers type without their
 * diacritics meets what they wrote with them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/fold.h"

#include <string.h>

static void check(const char *in, const char *want)
{
    char out[256];
    size_t n = desk_fold(in, strlen(in), out, sizeof(out));
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
}

static void test_decomposable(void **state)
{
    (void)state;
    check("Příliš žluťoučký kůň", "prilis zlutoucky kun");
    check("SEÑOR Müller", "senor muller");
    check("zażółć gęślą jaźń", "zazolc gesla jazn");
}

static void test_without_decomposition(void **state)
{
    (void)state;
    check("Łukasz z Łodzi", "lukasz z lodzi");
    check("Søren Straße", "soren strasse");
    check("Ærøskøbing", "aeroskobing");
    check("Đorđe", "dorde");
    assert_string_equal(desk_fold_letter(0x0142), "l"); /* ł */
    assert_null(desk_fold_letter('a'));
    assert_null(desk_fold_letter(0x00E1)); /* á decomposes: not in the table */
}

static void test_other_scripts_and_bytes(void **state)
{
    (void)state;
    check("ΔΈΛΤΑ", "δελτα");
    check("Привет", "привет");
    char out[16];
    /* Invalid bytes are kept; a full buffer is cut at a character boundary. */
    assert_int_equal(desk_fold("a\xff" "b", 3, out, sizeof(out)), 3);
    assert_memory_equal(out, "a\xff" "b", 4);
    assert_int_equal(desk_fold("ßßß", strlen("ßßß"), out, 6), 4);
    assert_string_equal(out, "ssss");
    assert_int_equal(desk_fold("abc", 3, out, 1), 0);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decomposable),
        cmocka_unit_test(test_without_decomposition),
        cmocka_unit_test(test_other_scripts_and_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
