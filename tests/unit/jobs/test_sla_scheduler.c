/*
 * The SLA scheduler over a real store: deadlines come out of the next_at
 * index a window at a time, in (time, ticket) order, each once; wake-ups
 * add moved deadlines; firing through the app records at-risk and breach
 * events and leaves nothing more to do.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "app/sla.h"
#include "core/time.h"
#include "jobs/sla_scheduler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_TICKETS 10

struct fixture {
    char dir[64];
    struct desk_app *app;
    struct desk_arena a;
    int64_t tickets[N_TICKETS];
    int64_t created;
    int64_t fired[64];
    size_t n_fired;
};

static int64_t add_user(struct fixture *f, const char *email, int role)
{
    struct desk_user_input in = {0};
    struct desk_user u;
    struct desk_fail fail = {0};
    in.email = email;
    in.has_email = true;
    in.name = email;
    in.has_name = true;
    in.role = role;
    in.has_role = true;
    assert_int_equal(desk_app_user_create(f->app, &desk_actor_system, &f->a, &in, &u, &fail), 0);
    return u.id;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    char path[128];
    snprintf(f->dir, sizeof(f->dir), "%s/desk-sched-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(f->dir));
    snprintf(path, sizeof(path), "%s/desk.db", f->dir);
    assert_int_equal(desk_app_open(path, &f->app), 0);
    desk_arena_init(&f->a);
    int64_t customer = add_user(f, "c@example.test", DESK_ROLE_END_USER);
    /* One minute to the first reply, in calendar time; at risk at 75 %. */
    struct desk_sla_target target = {DESK_PRIORITY_NORMAL, DESK_SLA_FIRST_REPLY, 60, false};
    struct desk_sla_policy p = {
        .title = "minute", .at_risk_pct = 75, .targets = &target, .n_targets = 1};
    struct desk_fail fail = {0};
    assert_int_equal(desk_app_policy_save(f->app, &desk_actor_system, &f->a, &p, true, &fail), 0);
    struct desk_actor who = {.user_id = customer, .role = DESK_ROLE_END_USER, .via = DESK_VIA_WEB};
    f->created = desk_time_now_ms();
    for (int i = 0; i < N_TICKETS; i++) {
        struct desk_ticket_input in = {0};
        struct desk_ticket t;
        struct desk_audit au;
        in.comment_body = "help";
        in.comment_public = true;
        assert_int_equal(desk_app_ticket_create(f->app, &who, &f->a, &in, &t, &au, &fail), 0);
        f->tickets[i] = t.id;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char cmd[160];
    desk_app_close(f->app);
    desk_arena_release(&f->a);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static int record(void *ctx, int64_t ticket_id, int64_t now, int64_t *next_at)
{
    struct fixture *f = ctx;
    (void)now;
    if (f->n_fired < 64) {
        f->fired[f->n_fired++] = ticket_id;
    }
    *next_at = 0;
    return 0;
}

static void test_window_order_and_wake(void **state)
{
    struct fixture *f = *state;
    struct desk_sla_sched *s;
    struct desk_sla_sched_ops ops = {record, f};
    size_t fired;
    assert_int_equal(desk_sla_sched_new(f->app, &ops, 3, &s), 0);
    /* Nothing is due yet; the first window (3 deadlines) is in memory. */
    assert_int_equal(desk_sla_sched_tick(s, f->created, &fired), 0);
    assert_int_equal(fired, 0);
    assert_int_equal(desk_sla_sched_size(s), 3);
    /* An hour later every ticket is past its at-risk time: each fires once, in order,
     * read from the index three at a time. */
    int64_t later = f->created + 3600 * 1000;
    assert_int_equal(desk_sla_sched_tick(s, later, &fired), 0);
    assert_int_equal(fired, N_TICKETS);
    for (int i = 0; i < N_TICKETS; i++) {
        assert_int_equal(f->fired[i], f->tickets[i]);
    }
    assert_int_equal(desk_sla_sched_tick(s, later, &fired), 0);
    assert_int_equal(fired, 0);
    /* A write moves a deadline: the wake-up brings it back. */
    desk_sla_sched_wake(s, f->tickets[4], later + 10);
    assert_int_equal(desk_sla_sched_tick(s, later + 5, &fired), 0);
    assert_int_equal(fired, 0);
    assert_int_equal(desk_sla_sched_tick(s, later + 10, &fired), 0);
    assert_int_equal(fired, 1);
    assert_int_equal(f->fired[N_TICKETS], f->tickets[4]);
    desk_sla_sched_free(s);
}

static void test_fire_records_marks(void **state)
{
    struct fixture *f = *state;
    struct desk_sla_sched *s;
    size_t fired;
    assert_int_equal(desk_sla_sched_new(f->app, NULL, 0, &s), 0);
    /* Two minutes on: the real fire records at-risk and breach, then nothing is left. */
    int64_t later = f->created + 120 * 1000;
    assert_int_equal(desk_sla_sched_tick(s, later, &fired), 0);
    assert_int_equal(fired, N_TICKETS);
    assert_int_equal(desk_sla_sched_tick(s, later + 3600 * 1000, &fired), 0);
    assert_int_equal(fired, 0);
    struct desk_sla_view *v;
    size_t n;
    assert_int_equal(
        desk_app_sla_ticket(f->app, &desk_actor_system, &f->a, f->tickets[0], later, &v, &n), 0);
    assert_true(n >= 1);
    assert_int_equal(v[0].metric, DESK_SLA_FIRST_REPLY);
    assert_true(v[0].breached);
    assert_non_null(strstr(v[0].explanation, "Breached"));
    assert_non_null(strstr(v[0].explanation, "At risk"));
    struct desk_sla_due *due;
    assert_int_equal(desk_app_sla_due_list(f->app, &f->a, 0, 0, 0, INT64_MAX, 10, &due, &n),
                     DESK_EINVAL);
    desk_sla_sched_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_window_order_and_wake, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fire_records_marks, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
