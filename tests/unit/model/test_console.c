/*
 * Unit tests for the console's pure rules: macro language variants and
 * placeholders (model/macro), and the login limiter (model/ratelimit).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/macro.h"
#include "model/ratelimit.h"

#include <stdlib.h>
#include <string.h>

static void test_macro_pick(void **state)
{
    struct desk_macro_variant v[] = {{"cs", "Dobrý den"}, {"pt-br", "Olá"}, {"es-mx", "Hola"}};
    struct desk_macro m = {.comment = "Hello", .variants = v, .n_variants = 3};
    static const struct {
        const char *language;
        const char *want;
        const char *want_picked;
    } cases[] = {
        {"cs", "Dobrý den", "cs"}, {"CS", "Dobrý den", "cs"}, {"cs-CZ", "Dobrý den", "cs"},
        {"pt-BR", "Olá", "pt-br"}, {"pt", "Olá", "pt-br"},    {"es", "Hola", "es-mx"},
        {"pl", "Hello", NULL},     {NULL, "Hello", NULL},     {"", "Hello", NULL},
        {"c", "Hello", NULL},      {"csx", "Hello", NULL},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *picked = "unset";
        const char *got = desk_macro_pick(&m, cases[i].language, &picked);
        assert_string_equal(got, cases[i].want);
        if (cases[i].want_picked) {
            assert_string_equal(picked, cases[i].want_picked);
        } else {
            assert_null(picked);
        }
    }
    struct desk_macro empty = {0};
    const char *picked;
    assert_null(desk_macro_pick(&empty, "cs", &picked));
}

static void test_macro_render(void **state)
{
    struct desk_arena a;
    struct desk_macro_vars v = {.ticket_id = 42,
                                .ticket_subject = "Refund",
                                .requester_name = "Jana Nováková",
                                .requester_email = "jana@example.cz",
                                .agent_name = "Petr Svoboda"};
    static const struct {
        const char *in;
        const char *want;
    } cases[] = {
        {"Dobrý den {{ticket.requester.name}},", "Dobrý den Jana Nováková,"},
        {"{{ ticket.requester.first_name }} #{{ticket.id}}", "Jana #42"},
        {"{{current_user.name}} / {{current_user.first_name}}", "Petr Svoboda / Petr"},
        {"re: {{ticket.title}} {{ticket.subject}}", "re: Refund Refund"},
        {"{{current_user.email}}|", "|"},
        {"{{ticket.unknown}} stays", "{{ticket.unknown}} stays"},
        {"unclosed {{ticket.id", "unclosed {{ticket.id"},
        {"<b>{{ticket.requester.email}}</b>", "<b>jana@example.cz</b>"},
        {"", ""},
    };
    (void)state;
    desk_arena_init(&a);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_string_equal(desk_macro_render(&a, cases[i].in, &v), cases[i].want);
    }
    assert_string_equal(desk_macro_render(&a, NULL, &v), "");
    desk_arena_release(&a);
}

static void test_ratelimit(void **state)
{
    struct desk_ratelimit *rl = malloc(sizeof(*rl));
    (void)state;
    desk_rl_init(rl, 3, 1000);
    assert_int_equal(desk_rl_wait(rl, 7, 0), 0);
    desk_rl_fail(rl, 7, 0);
    desk_rl_fail(rl, 7, 100);
    assert_int_equal(desk_rl_wait(rl, 7, 200), 0);
    desk_rl_fail(rl, 7, 200);
    assert_int_equal(desk_rl_wait(rl, 7, 300), 700); /* the window started at 0 */
    assert_int_equal(desk_rl_wait(rl, 8, 300), 0);   /* other keys are free */
    assert_int_equal(desk_rl_wait(rl, 7, 1000), 0);  /* window over */
    desk_rl_fail(rl, 7, 1000);                       /* a new window starts */
    assert_int_equal(desk_rl_wait(rl, 7, 1001), 0);
    desk_rl_reset(rl, 7);
    assert_int_equal(desk_rl_wait(rl, 7, 1001), 0);
    /* Key 0 is usable, and a full table forgets the oldest entry, never grows. */
    for (int i = 0; i < 3; i++) {
        desk_rl_fail(rl, 0, 5000);
    }
    assert_true(desk_rl_wait(rl, 0, 5001) > 0);
    for (uint64_t k = 1; k <= 4 * DESK_RL_SLOTS; k++) {
        desk_rl_fail(rl, k * 7919, 6000 + (int64_t)k);
    }
    desk_rl_init(rl, 1, 1000);
    desk_rl_fail(rl, 99, 0);
    assert_true(desk_rl_wait(rl, 99, 1) > 0);
    free(rl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_macro_pick),
        cmocka_unit_test(test_macro_render),
        cmocka_unit_test(test_ratelimit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
