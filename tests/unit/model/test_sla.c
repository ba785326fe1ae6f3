/*
 * Unit tests for model/sla: the metric lifecycle (which change starts,
 * pauses, resumes or fulfils which metric) as scenarios; clock arithmetic
 * with pauses across closing time, reopen after solve and a target changed
 * mid-flight; marks; policy validation and matching.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/sla.h"

#include <stdio.h>
#include <string.h>

#define MIN 60000LL

static const char *const short_names[] = {"frt", "nrt", "periodic", "pausable",
                                          "rwt", "awt", "total"};
static const char *const op_names[] = {"", "start", "resume", "pause", "fulfill"};

/* Applies a change to st and renders its ops as "frt:start rwt:pause ...". */
static void run(int st[DESK_SLA_N_METRICS], const struct desk_sla_change *ch, char *out, size_t cap)
{
    struct desk_sla_op ops[DESK_SLA_OPS_MAX];
    size_t n = desk_sla_ops(ch, st, ops), len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        len += (size_t)snprintf(out + len, cap - len, "%s%s:%s", i ? " " : "",
                                short_names[ops[i].metric], op_names[ops[i].kind]);
        st[ops[i].metric] = ops[i].kind == DESK_SLA_OP_PAUSE     ? DESK_SLA_PAUSED
                            : ops[i].kind == DESK_SLA_OP_FULFILL ? DESK_SLA_FULFILLED
                                                                 : DESK_SLA_ACTIVE;
        assert_non_null(ops[i].reason);
    }
}

static void test_lifecycle(void **state)
{
    /* One ticket's life, step by step: {created, before, after, public, agent, expected ops}. */
    static const struct {
        const char *what;
        struct desk_sla_change ch;
        const char *ops;
    } steps[] = {
        {"customer opens a ticket",
         {true, 0, DESK_STATUS_NEW, true, false},
         "frt:start rwt:start awt:start total:start"},
        {"agent replies and sets pending",
         {false, DESK_STATUS_NEW, DESK_STATUS_PENDING, true, true},
         "frt:fulfill periodic:start pausable:start pausable:pause rwt:pause awt:pause"},
        {"customer answers (the ticket reopens)",
         {false, DESK_STATUS_PENDING, DESK_STATUS_OPEN, true, false},
         "nrt:start pausable:resume rwt:resume awt:resume"},
        {"customer writes again: next reply keeps its oldest start",
         {false, DESK_STATUS_OPEN, DESK_STATUS_OPEN, true, false},
         ""},
        {"internal note changes nothing",
         {false, DESK_STATUS_OPEN, DESK_STATUS_OPEN, false, true},
         ""},
        {"on hold pauses agent work only",
         {false, DESK_STATUS_OPEN, DESK_STATUS_HOLD, false, false},
         "awt:pause"},
        {"agent replies and solves",
         {false, DESK_STATUS_HOLD, DESK_STATUS_SOLVED, true, true},
         "nrt:fulfill periodic:fulfill pausable:fulfill rwt:fulfill awt:fulfill total:fulfill"},
        {"customer reopens",
         {false, DESK_STATUS_SOLVED, DESK_STATUS_OPEN, true, false},
         "nrt:start rwt:resume awt:resume total:resume"},
        {"agent replies, ticket stays open",
         {false, DESK_STATUS_OPEN, DESK_STATUS_OPEN, true, true},
         "nrt:fulfill periodic:start pausable:start"},
        {"agent updates again: a new periodic cycle",
         {false, DESK_STATUS_OPEN, DESK_STATUS_OPEN, true, true},
         "periodic:fulfill periodic:start pausable:fulfill pausable:start"},
    };
    (void)state;
    int st[DESK_SLA_N_METRICS] = {0};
    char out[512];
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        run(st, &steps[i].ch, out, sizeof(out));
        print_message("%s: %s\n", steps[i].what, out);
        assert_string_equal(out, steps[i].ops);
    }
}

static void test_lifecycle_outbound(void **state)
{
    (void)state;
    int st[DESK_SLA_N_METRICS] = {0};
    char out[512];
    /* An agent opens the ticket with a public message: no first reply is owed. */
    struct desk_sla_change c1 = {true, 0, DESK_STATUS_OPEN, true, true};
    run(st, &c1, out, sizeof(out));
    assert_string_equal(out, "periodic:start pausable:start rwt:start awt:start total:start");
    /* The customer answers: a next reply is owed, not a first reply. */
    struct desk_sla_change c2 = {false, DESK_STATUS_OPEN, DESK_STATUS_OPEN, true, false};
    run(st, &c2, out, sizeof(out));
    assert_string_equal(out, "nrt:start");
    /* Created already solved by an agent with a private note. */
    int s2[DESK_SLA_N_METRICS] = {0};
    struct desk_sla_change c3 = {true, 0, DESK_STATUS_SOLVED, false, true};
    run(s2, &c3, out, sizeof(out));
    assert_string_equal(out, "rwt:start rwt:fulfill awt:start awt:fulfill total:start "
                             "total:fulfill");
    /* Created pending: the clocks that pause there start paused. */
    int s3[DESK_SLA_N_METRICS] = {0};
    struct desk_sla_change c4 = {true, 0, DESK_STATUS_PENDING, true, false};
    run(s3, &c4, out, sizeof(out));
    assert_string_equal(out, "frt:start rwt:start rwt:pause awt:start awt:pause total:start");
}

static struct desk_bh *prague_office(void)
{
    struct desk_bh_interval iv[8];
    size_t n;
    struct desk_bh *bh;
    assert_int_equal(desk_bh_hours_parse(NULL, "mon-fri 09:00-17:00", iv, 8, &n, NULL), 0);
    struct desk_bh_spec spec = {"Europe/Prague", iv, n, NULL, 0};
    assert_int_equal(desk_bh_compile(&spec, NULL, &bh, NULL), 0);
    return bh;
}

static int64_t wall(const char *text)
{
    int64_t t;
    assert_int_equal(desk_bh_local_parse("Europe/Prague", text, &t), 0);
    return t;
}

static void test_pause_across_closing(void **state)
{
    (void)state;
    struct desk_bh *bh = prague_office();
    /* Two business hours of requester wait, started Monday 16:00. */
    struct desk_sla_clock c = {.state = DESK_SLA_ACTIVE,
                               .started_at = wall("2026-06-01T16:00"),
                               .last_at = wall("2026-06-01T16:00"),
                               .target_s = 2 * 3600,
                               .business_hours = true};
    desk_sla_clock_deadlines(&c, bh, 75);
    assert_int_equal(c.due_at, wall("2026-06-02T10:00"));
    assert_int_equal(c.risk_at, wall("2026-06-02T09:30"));
    assert_int_equal(c.next_at, c.risk_at);
    /* Pending at 16:30: 30 min elapsed, no next deadline while paused. */
    desk_sla_clock_advance(&c, bh, wall("2026-06-01T16:30"));
    c.state = DESK_SLA_PAUSED;
    desk_sla_clock_deadlines(&c, bh, 75);
    assert_int_equal(c.elapsed_ms, 30 * MIN);
    assert_int_equal(c.next_at, 0);
    /* The customer answers Tuesday 10:00: paused 1 business hour (16:30-17:00, 09:00-10:00). */
    desk_sla_clock_advance(&c, bh, wall("2026-06-02T10:00"));
    assert_int_equal(c.paused_ms, 90 * MIN);
    c.state = DESK_SLA_ACTIVE;
    desk_sla_clock_deadlines(&c, bh, 75);
    assert_int_equal(c.due_at, wall("2026-06-02T11:30"));
    /* No marks before the risk time; both once past the due time. */
    struct desk_sla_event ev[2];
    assert_int_equal(desk_sla_clock_marks(&c, wall("2026-06-02T10:30"), 75, ev), 0);
    assert_int_equal(desk_sla_clock_marks(&c, wall("2026-06-02T12:00"), 75, ev), 2);
    assert_int_equal(ev[0].type, DESK_SLA_EV_AT_RISK);
    assert_int_equal(ev[0].at, wall("2026-06-02T11:00"));
    assert_int_equal(ev[1].type, DESK_SLA_EV_BREACH);
    assert_int_equal(ev[1].at, wall("2026-06-02T11:30"));
    assert_true(c.breached);
    assert_int_equal(c.next_at, 0);
    assert_int_equal(desk_sla_clock_marks(&c, wall("2026-06-02T13:00"), 75, ev), 0);
    desk_bh_free(bh);
}

static void test_reopen_and_retarget(void **state)
{
    (void)state;
    /* Calendar hours: total resolution of 8 h. */
    int64_t t0 = 1790000000000LL;
    struct desk_sla_clock c = {
        .state = DESK_SLA_ACTIVE, .started_at = t0, .last_at = t0, .target_s = 8 * 3600};
    desk_sla_clock_deadlines(&c, NULL, 75);
    assert_int_equal(c.due_at, t0 + 8 * 60 * MIN);
    /* Solved after 3 h: fulfilled, the due time stays for "was due". */
    desk_sla_clock_advance(&c, NULL, t0 + 3 * 60 * MIN);
    c.state = DESK_SLA_FULFILLED;
    desk_sla_clock_deadlines(&c, NULL, 75);
    assert_int_equal(c.next_at, 0);
    assert_int_equal(c.due_at, t0 + 8 * 60 * MIN);
    /* Reopened a day later: the 3 h count, the day solved does not. */
    desk_sla_clock_advance(&c, NULL, t0 + 27 * 60 * MIN);
    assert_int_equal(c.elapsed_ms, 3 * 60 * MIN);
    c.state = DESK_SLA_ACTIVE;
    desk_sla_clock_deadlines(&c, NULL, 75);
    assert_int_equal(c.due_at, t0 + 32 * 60 * MIN);
    /* Policy changed mid-flight: 2 h target now, already exceeded: due at once, a breach. */
    c.target_s = 2 * 3600;
    c.due_at = c.risk_at = 0;
    desk_sla_clock_deadlines(&c, NULL, 75);
    assert_int_equal(c.due_at, t0 + 27 * 60 * MIN);
    struct desk_sla_event ev[2];
    assert_int_equal(desk_sla_clock_marks(&c, t0 + 27 * 60 * MIN, 75, ev), 2);
    assert_int_equal(ev[1].type, DESK_SLA_EV_BREACH);
}

static void test_remeasure(void **state)
{
    (void)state;
    struct desk_bh *bh = prague_office();
    /* Activated Friday 16:00, paused Friday 16:45, resumed Monday 09:30. */
    struct desk_sla_event ev[3] = {
        {.type = DESK_SLA_EV_ACTIVATE, .at = wall("2026-06-05T16:00")},
        {.type = DESK_SLA_EV_PAUSE, .at = wall("2026-06-05T16:45")},
        {.type = DESK_SLA_EV_ACTIVATE, .at = wall("2026-06-08T09:30")},
    };
    int64_t el, pa;
    desk_sla_remeasure(ev, 3, bh, wall("2026-06-08T10:00"), &el, &pa);
    assert_int_equal(el, 75 * MIN);
    assert_int_equal(pa, 45 * MIN);
    desk_sla_remeasure(ev, 3, NULL, wall("2026-06-08T10:00"), &el, &pa);
    assert_int_equal(el, 75 * MIN);
    assert_int_equal(pa, (2 * 24 * 60 + 16 * 60 + 45) * MIN);
    desk_bh_free(bh);
}

static void test_policy_check(void **state)
{
    static const struct {
        const char *name;
        struct desk_sla_condition cond;
        struct desk_sla_target target;
        struct desk_sla_action action;
        int risk;
        const char *field;
    } cases[] = {
        {"valid",
         {false, "priority", "greater_than", "low"},
         {DESK_PRIORITY_HIGH, DESK_SLA_FIRST_REPLY, 3600, true},
         {DESK_SLA_ON_BREACH, DESK_SLA_ACT_ADD_TAGS, "late"},
         75,
         NULL},
        {"unknown field",
         {false, "mood", "is", "grumpy"},
         {DESK_PRIORITY_HIGH, DESK_SLA_FIRST_REPLY, 3600, true},
         {DESK_SLA_ON_BREACH, DESK_SLA_ACT_NOTIFY, NULL},
         75,
         "filter"},
        {"bad operator",
         {false, "current_tags", "is", "vip"},
         {DESK_PRIORITY_HIGH, DESK_SLA_FIRST_REPLY, 3600, true},
         {DESK_SLA_ON_BREACH, DESK_SLA_ACT_NOTIFY, NULL},
         75,
         "filter"},
        {"zero target",
         {false, "type", "is", "incident"},
         {DESK_PRIORITY_HIGH, DESK_SLA_FIRST_REPLY, 0, true},
         {DESK_SLA_ON_BREACH, DESK_SLA_ACT_NOTIFY, NULL},
         75,
         "policy_metrics"},
        {"negative target",
         {false, "type", "is", "incident"},
         {DESK_PRIORITY_HIGH, DESK_SLA_FIRST_REPLY, -60, false},
         {DESK_SLA_ON_BREACH, DESK_SLA_ACT_NOTIFY, NULL},
         75,
         "policy_metrics"},
        {"no priority",
         {false, "type", "is", "incident"},
         {DESK_PRIORITY_NONE, DESK_SLA_FIRST_REPLY, 60, false},
         {DESK_SLA_ON_BREACH, DESK_SLA_ACT_NOTIFY, NULL},
         75,
         "policy_metrics"},
        {"group action without id",
         {false, "group_id", "is", "5"},
         {DESK_PRIORITY_HIGH, DESK_SLA_FIRST_REPLY, 60, false},
         {DESK_SLA_ON_AT_RISK, DESK_SLA_ACT_SET_GROUP, "x"},
         75,
         "actions"},
        {"risk share",
         {false, "via", "is", "email"},
         {DESK_PRIORITY_HIGH, DESK_SLA_FIRST_REPLY, 60, false},
         {DESK_SLA_ON_AT_RISK, DESK_SLA_ACT_RAISE_PRIORITY, NULL},
         100,
         "at_risk_percent"},
    };
    (void)state;
    struct desk_arena a;
    desk_arena_init(&a);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct desk_sla_condition cond = cases[i].cond;
        struct desk_sla_target target = cases[i].target;
        struct desk_sla_action action = cases[i].action;
        struct desk_sla_policy p = {.title = "Gold",
                                    .at_risk_pct = cases[i].risk,
                                    .conditions = &cond,
                                    .n_conditions = 1,
                                    .targets = &target,
                                    .n_targets = 1,
                                    .actions = &action,
                                    .n_actions = 1};
        struct desk_fail fail = {0};
        int rc = desk_sla_policy_check(&p, &a, &fail);
        print_message("%s: %s\n", cases[i].name, fail.n ? fail.items[0].description : "ok");
        if (!cases[i].field) {
            assert_int_equal(rc, 0);
        } else {
            assert_int_equal(rc, DESK_EINVALID);
            assert_string_equal(fail.items[0].field, cases[i].field);
        }
    }
    desk_arena_release(&a);
}

static void test_policy_match(void **state)
{
    (void)state;
    const char *tags[] = {"billing", "vip"};
    struct desk_ticket t = {.priority = DESK_PRIORITY_HIGH,
                            .type = DESK_TTYPE_INCIDENT,
                            .group_id = 5,
                            .via = DESK_VIA_EMAIL,
                            .language = "es-MX",
                            .tags = {tags, 2}};
    struct desk_sla_condition all[] = {
        {false, "priority", "greater_than", "normal"},
        {false, "type", "is", "incident"},
        {false, "current_tags", "includes", "vip gold"},
        {false, "language", "is", "es"},
        {true, "group_id", "is", "7"},
        {true, "via", "is", "email"},
    };
    struct desk_sla_target tg[] = {{DESK_PRIORITY_NORMAL, DESK_SLA_FIRST_REPLY, 60, false}};
    struct desk_sla_policy p = {.title = "x",
                                .conditions = all,
                                .n_conditions = 6,
                                .targets = tg,
                                .n_targets = 1,
                                .at_risk_pct = 75};
    assert_true(desk_sla_policy_matches(&p, &t));
    all[5].value = "chat"; /* no "any" condition holds now */
    assert_false(desk_sla_policy_matches(&p, &t));
    all[5].value = "email";
    all[2].op = "not_includes";
    assert_false(desk_sla_policy_matches(&p, &t));
    struct desk_sla_policy empty = {.title = "all"};
    assert_true(desk_sla_policy_matches(&empty, &t));
    /* No priority counts as normal for targets. */
    assert_non_null(desk_sla_policy_target(&p, DESK_PRIORITY_NONE, DESK_SLA_FIRST_REPLY));
    assert_null(desk_sla_policy_target(&p, DESK_PRIORITY_HIGH, DESK_SLA_FIRST_REPLY));
}

static void test_names(void **state)
{
    (void)state;
    struct desk_arena a;
    desk_arena_init(&a);
    for (int m = 0; m < DESK_SLA_N_METRICS; m++) {
        int back;
        assert_int_equal(desk_sla_metric_parse(desk_sla_metric_name(m), &back), 0);
        assert_int_equal(back, m);
    }
    assert_string_equal(desk_sla_duration_text(&a, 90 * MIN), "1 h 30 min");
    assert_string_equal(desk_sla_duration_text(&a, 45 * MIN), "45 min");
    assert_string_equal(desk_sla_duration_text(&a, 20000), "20 s");
    assert_string_equal(desk_sla_duration_text(&a, 51 * 60 * MIN), "2 d 3 h");
    desk_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lifecycle),
        cmocka_unit_test(test_lifecycle_outbound),
        cmocka_unit_test(test_pause_across_closing),
        cmocka_unit_test(test_reopen_and_retarget),
        cmocka_unit_test(test_remeasure),
        cmocka_unit_test(test_policy_check),
        cmocka_unit_test(test_policy_match),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
