/*
 * Unit tests for model/ticket: the system ticket rules, audit diffs, tag
 * normalization and comment HTML. Table-driven where cases are data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/ticket.h"

#include <string.h>

#define NOW      1795341600000LL
#define AGENT    7
#define CUSTOMER 9

static void test_update_rules(void **state)
{
    static const struct {
        const char *name;
        int cur_status;
        int64_t cur_assignee;
        int next_status;
        int actor_role;
        bool requester_comment;
        int want_rc;
        int want_status;
        int64_t want_assignee;
    } cases[] = {
        {"closed takes no change", DESK_STATUS_CLOSED, AGENT, DESK_STATUS_CLOSED, DESK_ROLE_AGENT,
         false, DESK_EINVALID, 0, 0},
        {"never back to new", DESK_STATUS_OPEN, 0, DESK_STATUS_NEW, DESK_ROLE_AGENT, false,
         DESK_EINVALID, 0, 0},
        {"agent solving unassigned takes it", DESK_STATUS_OPEN, 0, DESK_STATUS_SOLVED,
         DESK_ROLE_AGENT, false, 0, DESK_STATUS_SOLVED, AGENT},
        {"end user cannot solve unassigned", DESK_STATUS_OPEN, 0, DESK_STATUS_SOLVED,
         DESK_ROLE_END_USER, false, DESK_EINVALID, 0, 0},
        {"requester reply reopens pending", DESK_STATUS_PENDING, AGENT, DESK_STATUS_PENDING,
         DESK_ROLE_END_USER, true, 0, DESK_STATUS_OPEN, AGENT},
        {"requester reply reopens solved", DESK_STATUS_SOLVED, AGENT, DESK_STATUS_SOLVED,
         DESK_ROLE_END_USER, true, 0, DESK_STATUS_OPEN, AGENT},
        {"requester reply reopens hold", DESK_STATUS_HOLD, AGENT, DESK_STATUS_HOLD,
         DESK_ROLE_END_USER, true, 0, DESK_STATUS_OPEN, AGENT},
        {"agent reply keeps pending", DESK_STATUS_PENDING, AGENT, DESK_STATUS_PENDING,
         DESK_ROLE_AGENT, false, 0, DESK_STATUS_PENDING, AGENT},
        {"new with assignee opens", DESK_STATUS_NEW, 0, DESK_STATUS_NEW, DESK_ROLE_AGENT, false, 0,
         DESK_STATUS_NEW, 0},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct desk_ticket cur = {0}, next;
        struct desk_fail fail = {0};
        cur.id = 1;
        cur.status = cases[i].cur_status;
        cur.assignee_id = cases[i].cur_assignee;
        cur.requester_id = CUSTOMER;
        cur.updated_at = NOW - 5000;
        next = cur;
        next.status = cases[i].next_status;
        int64_t actor = cases[i].actor_role == DESK_ROLE_END_USER ? CUSTOMER : AGENT;
        struct desk_change_ctx ctx = {actor, cases[i].actor_role, cases[i].requester_comment,
                                      cases[i].requester_comment, NOW};
        int rc = desk_ticket_prepare_update(&cur, &next, &ctx, &fail);
        print_message("case: %s\n", cases[i].name);
        assert_int_equal(rc, cases[i].want_rc);
        if (rc == 0) {
            assert_int_equal(next.status, cases[i].want_status);
            assert_int_equal(next.assignee_id, cases[i].want_assignee);
            assert_true(next.updated_at >= NOW);
        } else {
            assert_int_equal(fail.n, 1);
            assert_string_equal(fail.items[0].field, "status");
        }
    }
}

static void test_updated_at_moves_a_second(void **state)
{
    struct desk_ticket cur = {0}, next;
    struct desk_fail fail = {0};
    (void)state;
    cur.status = DESK_STATUS_OPEN;
    cur.updated_at = NOW + 300; /* same second as "now" */
    next = cur;
    next.priority = DESK_PRIORITY_HIGH;
    struct desk_change_ctx ctx = {AGENT, DESK_ROLE_AGENT, false, false, NOW + 400};
    assert_int_equal(desk_ticket_prepare_update(&cur, &next, &ctx, &fail), 0);
    /* A second-resolution updated_stamp must see the change. */
    assert_true(next.updated_at / 1000 > cur.updated_at / 1000);
}

static void test_prepare_new(void **state)
{
    struct desk_ticket t = {0};
    struct desk_fail fail = {0};
    struct desk_change_ctx ctx = {AGENT, DESK_ROLE_AGENT, true, false, NOW};
    (void)state;
    t.assignee_id = AGENT;
    assert_int_equal(desk_ticket_prepare_new(&t, &ctx, &fail), 0);
    assert_int_equal(t.status, DESK_STATUS_OPEN);
    assert_int_equal(t.created_at, NOW);

    char subject[300];
    memset(subject, 'x', sizeof(subject) - 1);
    subject[sizeof(subject) - 1] = '\0';
    struct desk_ticket big = {0};
    big.subject = subject;
    assert_int_equal(desk_ticket_prepare_new(&big, &ctx, &fail), DESK_EINVALID);
    assert_string_equal(fail.items[0].field, "subject");
}

static void test_diff(void **state)
{
    struct desk_arena a;
    struct desk_audit_event *ev;
    struct desk_ticket cur = {0}, next;
    (void)state;
    desk_arena_init(&a);
    cur.subject = "Hello";
    cur.status = DESK_STATUS_NEW;
    cur.requester_id = CUSTOMER;
    size_t n = desk_ticket_diff(&a, NULL, &cur, &ev);
    assert_int_equal(n, 3); /* subject, status, requester_id */
    assert_string_equal(ev[0].type, "Create");
    next = cur;
    next.status = DESK_STATUS_OPEN;
    next.assignee_id = AGENT;
    n = desk_ticket_diff(&a, &cur, &next, &ev);
    assert_int_equal(n, 2);
    assert_string_equal(ev[0].field, "status");
    assert_string_equal(ev[0].old_value, "new");
    assert_string_equal(ev[0].new_value, "open");
    assert_string_equal(ev[1].field, "assignee_id");
    assert_null(ev[1].old_value);
    assert_int_equal(desk_ticket_diff(&a, &next, &next, &ev), 0);
    desk_arena_release(&a);
}

static void test_tags(void **state)
{
    struct desk_arena a;
    struct desk_fail fail = {0};
    const char *in[] = {"VIP", "b c", "vip", "Zeta", ""};
    struct desk_strv v = {in, 5};
    (void)state;
    desk_arena_init(&a);
    assert_int_equal(desk_tags_normalize(&a, &v, &fail), 0);
    assert_int_equal(v.n, 3);
    assert_string_equal(v.v[0], "bc");
    assert_string_equal(v.v[1], "vip");
    assert_string_equal(v.v[2], "zeta");
    desk_arena_release(&a);
}

static void test_comment_html(void **state)
{
    struct desk_arena a;
    (void)state;
    desk_arena_init(&a);
    assert_string_equal(desk_comment_html(&a, "<script>x</script> & \"q\"\nline\n\npara"),
                        "<div class=\"zd-comment\" dir=\"auto\"><p>&lt;script&gt;x&lt;/script&gt; "
                        "&amp; &quot;q&quot;<br>line</p><p>para</p></div>");
    desk_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_update_rules), cmocka_unit_test(test_updated_at_moves_a_second),
        cmocka_unit_test(test_prepare_new),  cmocka_unit_test(test_diff),
        cmocka_unit_test(test_tags),         cmocka_unit_test(test_comment_html),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
