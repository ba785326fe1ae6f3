/*
 * Unit tests for model/routing: who is eligible, who wins among the
 * eligible, what the outcome says when nobody can take the ticket, the
 * explanation text, and fairness and capacity over many decisions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/buf.h"
#include "model/routing.h"
#include "model/staff.h"

#include <string.h>

#define NOW 1795341600000LL
#define MIN 60000LL

static const uint32_t *cs_de(void)
{
    static uint32_t v[2];
    v[0] = desk_lang_key("cs");
    v[1] = desk_lang_key("de");
    return v;
}

static struct desk_route_agent agent(int64_t id, uint32_t load, uint32_t cap, int64_t idle_min)
{
    struct desk_route_agent a = {0};
    a.id = id;
    a.load = load;
    a.capacity = cap;
    a.avail = DESK_AVAIL_ONLINE;
    a.on_shift = true;
    a.last_assigned_at = idle_min < 0 ? 0 : NOW - idle_min * MIN;
    a.langs = cs_de();
    a.n_langs = 2;
    return a;
}

static void test_eligibility(void **state)
{
    static const int64_t skills_12[] = {1, 2}, skills_1[] = {1}, need_2[] = {2};
    static const struct {
        const char *name;
        int field; /* which property the case changes */
        int want_skip;
    } cases[] = {
        {"online, speaking, capable", 0, DESK_SKIP_NONE},
        {"away", 1, DESK_SKIP_AWAY},
        {"offline", 2, DESK_SKIP_AWAY},
        {"off shift", 3, DESK_SKIP_OFF_SHIFT},
        {"paused", 4, DESK_SKIP_PAUSED},
        {"just unassigned", 5, DESK_SKIP_EXCLUDED},
        {"speaks only pl", 6, DESK_SKIP_LANGUAGE},
        {"lacks skill 2", 7, DESK_SKIP_SKILLS},
        {"no capacity for channel", 8, DESK_SKIP_NO_CAPACITY},
        {"at capacity", 9, DESK_SKIP_AT_CAPACITY},
        {"above capacity", 10, DESK_SKIP_AT_CAPACITY},
    };
    (void)state;
    static uint32_t pl[1];
    pl[0] = desk_lang_key("pl");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct desk_route_agent a = agent(7, 1, 8, 5);
        a.skills = skills_12;
        a.n_skills = 2;
        switch (cases[i].field) {
        case 1:
            a.avail = DESK_AVAIL_AWAY;
            break;
        case 2:
            a.avail = DESK_AVAIL_OFFLINE;
            break;
        case 3:
            a.on_shift = false;
            break;
        case 4:
            a.paused = true;
            break;
        case 5:
            a.excluded = true;
            break;
        case 6:
            a.langs = pl;
            a.n_langs = 1;
            break;
        case 7:
            a.skills = skills_1;
            a.n_skills = 1;
            break;
        case 8:
            a.capacity = 0;
            break;
        case 9:
            a.load = 8;
            break;
        case 10:
            a.load = 9;
            break;
        default:
            break;
        }
        struct desk_route_ticket t = {desk_lang_key("cs-CZ"), false, need_2, 1};
        struct desk_route_result r;
        uint8_t skip = 99;
        desk_route_choose(&t, &a, 1, &skip, &r);
        print_message("case: %s\n", cases[i].name);
        assert_int_equal(skip, cases[i].want_skip);
        assert_int_equal(r.outcome == DESK_ROUTE_ASSIGNED, cases[i].want_skip == DESK_SKIP_NONE);
        assert_int_equal(r.agent_id, cases[i].want_skip == DESK_SKIP_NONE ? 7 : 0);
    }
}

static void test_choice_order(void **state)
{
    (void)state;
    /* Lowest load relative to capacity first: 1/8 beats 1/4 beats 3/8. */
    struct desk_route_agent a[] = {agent(1, 3, 8, 60), agent(2, 1, 4, 60), agent(3, 1, 8, 1)};
    struct desk_route_ticket t = {0};
    struct desk_route_result r;
    desk_route_choose(&t, a, 3, NULL, &r);
    assert_int_equal(r.agent_id, 3);
    /* Equal ratio: the longest idle wins; never assigned counts as longest. */
    struct desk_route_agent b[] = {agent(1, 2, 8, 5), agent(2, 1, 4, 30), agent(3, 2, 8, -1)};
    desk_route_choose(&t, b, 3, NULL, &r);
    assert_int_equal(r.agent_id, 3);
    b[2].last_assigned_at = NOW;
    desk_route_choose(&t, b, 3, NULL, &r);
    assert_int_equal(r.agent_id, 2);
    /* Full tie: lowest id, so the decision does not depend on row order. */
    struct desk_route_agent c[] = {agent(9, 0, 5, 10), agent(4, 0, 5, 10)};
    desk_route_choose(&t, c, 2, NULL, &r);
    assert_int_equal(r.agent_id, 4);
    assert_int_equal(r.chosen, 1);
    assert_int_equal(r.n_eligible, 2);
}

static void test_outcomes(void **state)
{
    (void)state;
    static const int64_t need[] = {5};
    struct desk_route_ticket pl = {desk_lang_key("pl"), false, NULL, 0};
    struct desk_route_result r;
    /* Two online agents, neither speaks Polish: language unmatched. */
    struct desk_route_agent a[] = {agent(1, 0, 8, 5), agent(2, 8, 8, 5)};
    desk_route_choose(&pl, a, 2, NULL, &r);
    assert_int_equal(r.outcome, DESK_ROUTE_LANGUAGE_UNMATCHED);
    /* The group's fallback lets any language through. */
    pl.any_language = true;
    desk_route_choose(&pl, a, 2, NULL, &r);
    assert_int_equal(r.outcome, DESK_ROUTE_ASSIGNED);
    assert_int_equal(r.agent_id, 1);
    /* A speaker who is at capacity: the ticket waits for capacity, it is not unmatched. */
    struct desk_route_ticket cs = {desk_lang_key("cs"), false, NULL, 0};
    a[0].load = 8;
    desk_route_choose(&cs, a, 2, NULL, &r);
    assert_int_equal(r.outcome, DESK_ROUTE_AT_CAPACITY);
    /* Speakers without the skill. */
    a[0].load = 0;
    struct desk_route_ticket sk = {desk_lang_key("cs"), false, need, 1};
    desk_route_choose(&sk, a, 2, NULL, &r);
    assert_int_equal(r.outcome, DESK_ROUTE_SKILLS_UNMATCHED);
    /* Nobody online. */
    a[0].avail = a[1].avail = DESK_AVAIL_OFFLINE;
    desk_route_choose(&cs, a, 2, NULL, &r);
    assert_int_equal(r.outcome, DESK_ROUTE_NO_AGENT);
    desk_route_choose(&cs, NULL, 0, NULL, &r);
    assert_int_equal(r.outcome, DESK_ROUTE_NO_AGENT);
    assert_string_equal(desk_route_outcome_name(DESK_ROUTE_LANGUAGE_UNMATCHED),
                        "language_unmatched");
}

static void test_explain(void **state)
{
    (void)state;
    struct desk_route_agent a[] = {agent(1, 2, 8, 14), agent(2, 8, 8, 3), agent(3, 0, 8, 0)};
    a[0].name = "Alice";
    a[1].name = "Bob";
    a[2].avail = DESK_AVAIL_AWAY;
    struct desk_route_ticket t = {desk_lang_key("cs"), false, NULL, 0};
    struct desk_route_result r;
    uint8_t skips[3];
    struct desk_buf b;
    desk_buf_init(&b, 0);
    desk_route_choose(&t, a, 3, skips, &r);
    desk_route_explain(&b, &t, "cs", a, 3, skips, &r, NOW, 1);
    assert_string_equal(b.data,
                        "assigned to Alice (agent 1): speaks cs, load 2/8, idle 14 min; "
                        "skipped Bob (agent 2): at capacity 8/8; and 1 more (1 unavailable)");
    desk_buf_release(&b);
    desk_buf_init(&b, 0);
    struct desk_route_ticket pl = {desk_lang_key("pl"), false, NULL, 0};
    desk_route_choose(&pl, a, 3, skips, &r);
    desk_route_explain(&b, &pl, "pl", a, 3, skips, &r, NOW, 5);
    assert_string_equal(b.data,
                        "kept in queue: language unmatched, no available agent speaks pl; "
                        "skipped Alice (agent 1): does not speak pl; skipped Bob (agent 2): "
                        "does not speak pl; skipped agent 3: away");
    desk_buf_release(&b);
}

/* Ten equal agents take 10,000 tickets that are solved at random: shares stay equal. */
static void test_fairness(void **state)
{
    (void)state;
    enum { N = 10, TICKETS = 10000, CAP = 4 };
    struct desk_route_agent a[N];
    uint32_t assigned[N] = {0};
    uint64_t rng = 42;
    for (int i = 0; i < N; i++) {
        a[i] = agent(i + 1, 0, CAP, -1);
    }
    struct desk_route_ticket t = {desk_lang_key("cs"), false, NULL, 0};
    int64_t now = NOW;
    for (int k = 0; k < TICKETS;) {
        struct desk_route_result r;
        desk_route_choose(&t, a, N, NULL, &r);
        if (r.outcome == DESK_ROUTE_ASSIGNED) {
            a[r.chosen].load++;
            a[r.chosen].last_assigned_at = ++now;
            assigned[r.chosen]++;
            k++;
        }
        for (int i = 0; i < N; i++) {
            assert_true(a[i].load <= CAP);
            rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
            if (a[i].load && (rng >> 33) % 3 == 0) {
                a[i].load--;
            }
        }
    }
    uint32_t lo = TICKETS, hi = 0;
    for (int i = 0; i < N; i++) {
        lo = assigned[i] < lo ? assigned[i] : lo;
        hi = assigned[i] > hi ? assigned[i] : hi;
    }
    assert_true((double)hi / lo <= 1.05);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eligibility), cmocka_unit_test(test_choice_order),
        cmocka_unit_test(test_outcomes),    cmocka_unit_test(test_explain),
        cmocka_unit_test(test_fairness),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
