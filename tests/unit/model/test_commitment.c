/*
 * Unit tests for model/commitment: state names, which state changes a
 * person or the scheduler may make, reminder timing and what the
 * scheduler does at a given moment. Table-driven.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/commitment.h"

#include <string.h>

#define NOW    1795341600000LL
#define MINUTE 60000LL

static void test_names(void **state)
{
    int v = -1;
    (void)state;
    for (int s = DESK_CMT_OPEN; s <= DESK_CMT_CANCELLED; s++) {
        assert_int_equal(desk_commitment_state_parse(desk_commitment_state_name(s), &v), 0);
        assert_int_equal(v, s);
    }
    assert_int_equal(desk_commitment_state_parse("DONE", &v), 0);
    assert_int_equal(v, DESK_CMT_DONE);
    assert_int_equal(desk_commitment_state_parse("closed", &v), DESK_EINVAL);
    assert_int_equal(desk_commitment_state_parse(NULL, &v), DESK_EINVAL);
    assert_null(desk_commitment_state_name(4));
    assert_null(desk_commitment_state_name(-1));
}

static void test_transitions(void **state)
{
    static const struct {
        int from, to;
        bool system;
        int rc;
    } cases[] = {
        {DESK_CMT_OPEN, DESK_CMT_DONE, false, 0},
        {DESK_CMT_OPEN, DESK_CMT_CANCELLED, false, 0},
        {DESK_CMT_OPEN, DESK_CMT_MISSED, false, DESK_EINVALID},
        {DESK_CMT_OPEN, DESK_CMT_MISSED, true, 0},
        {DESK_CMT_OPEN, DESK_CMT_OPEN, false, 0},
        {DESK_CMT_MISSED, DESK_CMT_DONE, false, 0},
        {DESK_CMT_MISSED, DESK_CMT_CANCELLED, false, 0},
        {DESK_CMT_MISSED, DESK_CMT_OPEN, false, DESK_EINVALID},
        {DESK_CMT_DONE, DESK_CMT_OPEN, false, DESK_EINVALID},
        {DESK_CMT_DONE, DESK_CMT_CANCELLED, false, DESK_EINVALID},
        {DESK_CMT_DONE, DESK_CMT_DONE, false, 0},
        {DESK_CMT_CANCELLED, DESK_CMT_DONE, false, DESK_EINVALID},
        {DESK_CMT_CANCELLED, DESK_CMT_MISSED, true, DESK_EINVALID},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct desk_fail fail = {0};
        int rc = desk_commitment_transition(cases[i].from, cases[i].to, cases[i].system, &fail);
        if (rc != cases[i].rc) {
            fail_msg("case %zu: %d -> %d: rc %d, want %d", i, cases[i].from, cases[i].to, rc,
                     cases[i].rc);
        }
        if (rc) {
            assert_int_equal(fail.n, 1);
            assert_string_equal(fail.items[0].field, "state");
        }
    }
}

static void test_timing(void **state)
{
    static const struct {
        const char *name;
        int64_t due, lead, remind_want;
    } remind[] = {
        {"lead ahead", NOW + 60 * MINUTE, 15 * MINUTE, NOW + 45 * MINUTE},
        {"lead already passed", NOW + 10 * MINUTE, 15 * MINUTE, 0},
        {"lead exactly now", NOW + 15 * MINUTE, 15 * MINUTE, 0},
        {"no lead", NOW + 60 * MINUTE, 0, 0},
        {"seconds lead", NOW + 10000, 3000, NOW + 7000},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(remind) / sizeof(remind[0]); i++) {
        int64_t got = desk_commitment_remind_at(remind[i].due, remind[i].lead, NOW);
        if (got != remind[i].remind_want) {
            fail_msg("%s: got %lld", remind[i].name, (long long)got);
        }
    }

    static const struct {
        const char *name;
        int st;
        int64_t due, remind, reminded, at;
        int64_t next_want;
        enum desk_commitment_action action_want;
    } cases[] = {
        {"waiting for the reminder", DESK_CMT_OPEN, NOW + 60 * MINUTE, NOW + 45 * MINUTE, 0, NOW,
         NOW + 45 * MINUTE, DESK_CMT_WAIT},
        {"reminder due", DESK_CMT_OPEN, NOW + 60 * MINUTE, NOW + 45 * MINUTE, 0, NOW + 45 * MINUTE,
         NOW + 45 * MINUTE, DESK_CMT_REMIND},
        {"reminded, waiting for due", DESK_CMT_OPEN, NOW + 60 * MINUTE, NOW + 45 * MINUTE,
         NOW + 45 * MINUTE, NOW + 50 * MINUTE, NOW + 60 * MINUTE, DESK_CMT_WAIT},
        {"due passed", DESK_CMT_OPEN, NOW + 60 * MINUTE, NOW + 45 * MINUTE, NOW + 45 * MINUTE,
         NOW + 60 * MINUTE, NOW + 60 * MINUTE, DESK_CMT_MISS},
        {"due passed before the reminder went", DESK_CMT_OPEN, NOW, NOW - MINUTE, 0, NOW + 1,
         NOW - MINUTE, DESK_CMT_MISS},
        {"no reminder", DESK_CMT_OPEN, NOW + MINUTE, 0, 0, NOW, NOW + MINUTE, DESK_CMT_WAIT},
        {"done needs nothing", DESK_CMT_DONE, NOW, 0, 0, NOW + MINUTE, 0, DESK_CMT_WAIT},
        {"missed needs nothing", DESK_CMT_MISSED, NOW, 0, 0, NOW + MINUTE, 0, DESK_CMT_WAIT},
        {"cancelled needs nothing", DESK_CMT_CANCELLED, NOW, 0, 0, NOW + MINUTE, 0, DESK_CMT_WAIT},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct desk_commitment cm;
        memset(&cm, 0, sizeof(cm));
        cm.state = cases[i].st;
        cm.due_at = cases[i].due;
        cm.remind_at = cases[i].remind;
        cm.reminded_at = cases[i].reminded;
        if (desk_commitment_next_at(&cm) != cases[i].next_want) {
            fail_msg("%s: next_at %lld", cases[i].name, (long long)desk_commitment_next_at(&cm));
        }
        if (desk_commitment_due_action(&cm, cases[i].at) != cases[i].action_want) {
            fail_msg("%s: action %d", cases[i].name, desk_commitment_due_action(&cm, cases[i].at));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_transitions),
        cmocka_unit_test(test_timing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
