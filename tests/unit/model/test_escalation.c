/*
 * Unit tests for model/escalation: wire names round-trip, the allowed state
 * moves, and the fair choice among supervisors on duty.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/escalation.h"

#include <string.h>

static void test_names(void **state)
{
    (void)state;
    for (int i = 0; i <= DESK_ESC_REOPENED; i++) {
        int back = -1;
        assert_non_null(desk_esc_reason_name(i));
        assert_int_equal(desk_esc_reason_parse(desk_esc_reason_name(i), &back), 0);
        assert_int_equal(back, i);
        assert_int_equal(desk_esc_reason_manual(i), i < 4);
    }
    assert_null(desk_esc_reason_name(DESK_ESC_REOPENED + 1));
    for (int i = 0; i < 4; i++) {
        int back = -1;
        assert_int_equal(desk_esc_state_parse(desk_esc_state_name(i), &back), 0);
        assert_int_equal(back, i);
        assert_int_equal(desk_complaint_outcome_parse(desk_complaint_outcome_name(i), &back), 0);
        assert_int_equal(back, i);
    }
    int v;
    assert_int_not_equal(desk_esc_reason_parse("bored", &v), 0);
    assert_int_not_equal(desk_esc_reason_parse(NULL, &v), 0);
    assert_int_not_equal(desk_esc_source_parse("", &v), 0);
    assert_null(desk_esc_state_name(4));
    assert_null(desk_complaint_outcome_name(-1));
    assert_string_equal(desk_esc_source_name(DESK_ESC_SRC_SENTIMENT), "sentiment");
}

static void test_transitions(void **state)
{
    static const struct {
        int from, to;
        bool ok;
    } cases[] = {
        {DESK_ESC_OPEN, DESK_ESC_ACCEPTED, true},
        {DESK_ESC_OPEN, DESK_ESC_RESOLVED, true},
        {DESK_ESC_OPEN, DESK_ESC_RETURNED, true},
        {DESK_ESC_ACCEPTED, DESK_ESC_ACCEPTED, false},
        {DESK_ESC_ACCEPTED, DESK_ESC_RESOLVED, true},
        {DESK_ESC_ACCEPTED, DESK_ESC_RETURNED, true},
        {DESK_ESC_RESOLVED, DESK_ESC_ACCEPTED, false},
        {DESK_ESC_RESOLVED, DESK_ESC_RETURNED, false},
        {DESK_ESC_RETURNED, DESK_ESC_RESOLVED, false},
        {DESK_ESC_OPEN, DESK_ESC_OPEN, false},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (desk_esc_transition_ok(cases[i].from, cases[i].to) != cases[i].ok) {
            fail_msg("case %zu: %d → %d", i, cases[i].from, cases[i].to);
        }
    }
}

static void test_choose(void **state)
{
    (void)state;
    assert_int_equal(desk_esc_choose(NULL, 0), -1);
    /* Fewest active first. */
    struct desk_esc_candidate a[] = {{10, 2, 100}, {11, 1, 900}, {12, 3, 0}};
    assert_int_equal(desk_esc_choose(a, 3), 1);
    /* Equal load: the longest since their last escalation (never counts as longest). */
    struct desk_esc_candidate b[] = {{10, 1, 500}, {11, 1, 0}, {12, 1, 100}};
    assert_int_equal(desk_esc_choose(b, 3), 1);
    /* Full tie: the lowest id, whatever the order. */
    struct desk_esc_candidate c[] = {{12, 0, 0}, {10, 0, 0}, {11, 0, 0}};
    assert_int_equal(desk_esc_choose(c, 3), 1);
    /* Round robin emerges: after each choice the chosen one's load grows. */
    struct desk_esc_candidate d[] = {{1, 0, 0}, {2, 0, 0}, {3, 0, 0}};
    int64_t order[6];
    for (int i = 0; i < 6; i++) {
        long k = desk_esc_choose(d, 3);
        order[i] = d[k].supervisor_id;
        d[k].active++;
        d[k].last_assigned_at = 1000 + i;
    }
    int64_t want[] = {1, 2, 3, 1, 2, 3};
    assert_memory_equal(order, want, sizeof(want));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_transitions),
        cmocka_unit_test(test_choose),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
