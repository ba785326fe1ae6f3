/*
 * The commitment use cases against a real store in a temp dir, with the
 * scheduler's clock passed in rather than waited for: reminders at the
 * lead, misses at the due time (note, audit, alerts to the owner's
 * supervisors or else the admins), the index head the scheduler sleeps
 * on, orphans of deleted tickets, and the watcher that wakes it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "app/commitments.h"
#include "core/time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MIN 60000LL

struct fixture {
    char dir[64];
    struct desk_app *app;
    struct desk_arena a;
    int64_t admin, sup, agent, loner, customer, ticket;
    struct desk_actor agent_actor;
};

static int64_t user(struct fixture *f, const char *email, int role)
{
    struct desk_user_input in = {0};
    struct desk_user out;
    struct desk_fail fail = {0};
    in.name = email;
    in.has_name = true;
    in.email = email;
    in.has_email = true;
    in.role = role;
    in.has_role = true;
    assert_int_equal(desk_app_user_create(f->app, &desk_actor_system, &f->a, &in, &out, &fail), 0);
    return out.id;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    snprintf(f->dir, sizeof(f->dir), "/tmp/desk-test-cmt-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    char path[128];
    snprintf(path, sizeof(path), "%s/desk.db", f->dir);
    assert_int_equal(desk_app_open(path, &f->app), 0);
    desk_arena_init(&f->a);
    f->admin = user(f, "admin@t.test", DESK_ROLE_ADMIN);
    f->sup = user(f, "sup@t.test", DESK_ROLE_SUPERVISOR);
    f->agent = user(f, "agent@t.test", DESK_ROLE_AGENT);
    f->loner = user(f, "loner@t.test", DESK_ROLE_AGENT);
    f->customer = user(f, "customer@t.test", DESK_ROLE_END_USER);
    struct desk_group_input gi = {.name = "Callbacks", .has_name = true};
    struct desk_group g;
    struct desk_membership m;
    struct desk_fail fail = {0};
    assert_int_equal(desk_app_group_create(f->app, &desk_actor_system, &f->a, &gi, &g, &fail), 0);
    assert_int_equal(
        desk_app_membership_create(f->app, &desk_actor_system, f->agent, g.id, true, &m, &fail), 0);
    assert_int_equal(
        desk_app_membership_create(f->app, &desk_actor_system, f->sup, g.id, true, &m, &fail), 0);
    f->agent_actor = (struct desk_actor){.user_id = f->agent, .role = DESK_ROLE_AGENT};
    struct desk_ticket_input ti = {0};
    struct desk_ticket t;
    struct desk_audit au;
    ti.subject = "Call me";
    ti.has_subject = true;
    ti.comment_body = "Please call me back";
    ti.comment_public = true;
    ti.requester_id = f->customer;
    ti.has_requester_id = true;
    assert_int_equal(desk_app_ticket_create(f->app, &f->agent_actor, &f->a, &ti, &t, &au, &fail),
                     0);
    f->ticket = t.id;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char cmd[160];
    desk_arena_release(&f->a);
    desk_app_commitments_release(f->app);
    desk_app_close(f->app);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static struct desk_commitment make(struct fixture *f, int64_t owner, int64_t due_at)
{
    struct desk_commitment_input in = {0};
    struct desk_commitment out;
    struct desk_fail fail = {0};
    in.owner_id = owner;
    in.has_owner_id = true;
    in.due_at = due_at;
    in.has_due_at = true;
    in.note = "call back";
    in.has_note = true;
    int rc =
        desk_app_commitment_create(f->app, &f->agent_actor, &f->a, f->ticket, &in, &out, &fail);
    if (rc) {
        fail_msg("create: %d %s", rc, fail.n ? fail.items[0].description : "");
    }
    return out;
}

static struct desk_commitment reread(struct fixture *f, int64_t id)
{
    struct desk_commitment cm;
    assert_int_equal(desk_app_commitment_get(f->app, &f->agent_actor, &f->a, id, &cm), 0);
    return cm;
}

/* Alerts of recipient about commitment id, of kind. */
static size_t count_alerts(struct fixture *f, int64_t recipient, int64_t id, const char *kind)
{
    struct desk_actor who = {.user_id = recipient, .role = DESK_ROLE_AGENT};
    struct desk_page p = {.limit = 100, .desc = true};
    struct desk_alert *items;
    struct desk_page_out out;
    size_t n = 0;
    assert_int_equal(desk_app_alert_list(f->app, &who, &f->a, false, &p, &items, &out), 0);
    for (size_t i = 0; i < out.n; i++) {
        n += items[i].commitment_id == id && strcmp(items[i].kind, kind) == 0;
    }
    return n;
}

static void test_remind_then_miss(void **state)
{
    struct fixture *f = *state;
    struct desk_commitments_config cfg = {15 * MIN};
    desk_app_commitments_configure(f->app, &cfg);
    int64_t now = desk_time_now_ms();
    int64_t due = now + 60 * MIN;
    struct desk_commitment cm = make(f, f->agent, due);
    struct desk_commitment other = make(f, f->agent, due + 60 * MIN);
    assert_int_equal(cm.remind_at, due - 15 * MIN);

    /* Before the reminder nothing happens; the scheduler sleeps until the reminder. */
    int64_t next = 0;
    assert_int_equal(desk_app_commitments_run_due(f->app, now, &next), 0);
    assert_int_equal(next, due - 15 * MIN);
    assert_int_equal(count_alerts(f, f->agent, cm.id, "commitment_reminder"), 0);

    /* At the reminder: one alert to the owner, then it sleeps until the due time. */
    assert_int_equal(desk_app_commitments_run_due(f->app, due - 15 * MIN, &next), 0);
    assert_int_equal(count_alerts(f, f->agent, cm.id, "commitment_reminder"), 1);
    assert_int_equal(next, due);
    assert_int_equal(reread(f, cm.id).reminded_at, due - 15 * MIN);
    assert_int_equal(desk_app_commitments_run_due(f->app, due - 1, &next), 0);
    assert_int_equal(count_alerts(f, f->agent, cm.id, "commitment_reminder"), 1);

    /* At the due time: missed, alerts to the owner and the group's supervisor, not the admin. */
    assert_int_equal(desk_app_commitments_run_due(f->app, due, &next), 0);
    struct desk_commitment missed = reread(f, cm.id);
    assert_int_equal(missed.state, DESK_CMT_MISSED);
    assert_int_equal(missed.resolved_at, due);
    assert_int_equal(count_alerts(f, f->agent, cm.id, "commitment_missed"), 1);
    assert_int_equal(count_alerts(f, f->sup, cm.id, "commitment_missed"), 1);
    assert_int_equal(count_alerts(f, f->admin, cm.id, "commitment_missed"), 0);
    assert_int_equal(next, other.remind_at);

    /* Running again changes nothing. */
    assert_int_equal(desk_app_commitments_run_due(f->app, due + 1, &next), 0);
    assert_int_equal(count_alerts(f, f->sup, cm.id, "commitment_missed"), 1);

    /* The note is on the ticket, private, by the owner; the summary counts the miss. */
    struct desk_page p = {.limit = 100};
    struct desk_comment *cms;
    struct desk_page_out out;
    assert_int_equal(
        desk_app_comment_list(f->app, &f->agent_actor, &f->a, f->ticket, &p, &cms, &out), 0);
    assert_int_equal(out.n, 2);
    assert_false(cms[1].public);
    assert_int_equal(cms[1].author_id, f->agent);
    assert_non_null(strstr(cms[1].body, "was missed"));
    struct desk_commitment_summary s;
    assert_int_equal(desk_app_commitment_summary(f->app, &f->agent_actor, f->ticket, &s), 0);
    assert_int_equal(s.count[DESK_CMT_MISSED], 1);
    assert_int_equal(s.count[DESK_CMT_OPEN], 1);
    assert_int_equal(s.next_id, other.id);
}

static void test_admins_when_no_supervisor(void **state)
{
    struct fixture *f = *state;
    int64_t now = desk_time_now_ms(), next;
    struct desk_commitment cm = make(f, f->loner, now + 5 * MIN);
    assert_int_equal(desk_app_commitments_run_due(f->app, now + 5 * MIN, &next), 0);
    assert_int_equal(reread(f, cm.id).state, DESK_CMT_MISSED);
    assert_int_equal(count_alerts(f, f->admin, cm.id, "commitment_missed"), 1);
    assert_int_equal(count_alerts(f, f->sup, cm.id, "commitment_missed"), 0);
    assert_int_equal(count_alerts(f, f->loner, cm.id, "commitment_reminder"), 0);
    assert_int_equal(next, 0);
}

static void test_done_and_deleted(void **state)
{
    struct fixture *f = *state;
    int64_t now = desk_time_now_ms(), next;
    struct desk_commitment kept = make(f, f->agent, now + 30 * MIN);
    struct desk_commitment orphan = make(f, f->agent, now + 30 * MIN);
    struct desk_commitment_input done = {.state = DESK_CMT_DONE, .has_state = true};
    struct desk_commitment out;
    struct desk_fail fail = {0};
    assert_int_equal(
        desk_app_commitment_update(f->app, &f->agent_actor, &f->a, kept.id, &done, &out, &fail), 0);
    assert_int_equal(desk_app_ticket_delete(f->app, &desk_actor_system, f->ticket), 0);
    assert_int_equal(desk_app_commitments_run_due(f->app, now + 31 * MIN, &next), 0);
    assert_int_equal(next, 0);
    struct desk_conn *c;
    struct desk_commitment cm;
    assert_int_equal(desk_app_reader(f->app, &c), 0);
    assert_int_equal(desk_store_commitment_get(c, &f->a, orphan.id, &cm), 0);
    assert_int_equal(cm.state, DESK_CMT_CANCELLED);
    assert_int_equal(desk_store_commitment_get(c, &f->a, kept.id, &cm), 0);
    assert_int_equal(cm.state, DESK_CMT_DONE);
    assert_int_equal(count_alerts(f, f->sup, orphan.id, "commitment_missed"), 0);
    assert_int_equal(count_alerts(f, f->sup, kept.id, "commitment_missed"), 0);
}

static int wakes;
static void on_wake(void *arg)
{
    (void)arg;
    wakes++;
}

static void test_watch(void **state)
{
    struct fixture *f = *state;
    wakes = 0;
    desk_app_commitments_watch(f->app, on_wake, NULL);
    struct desk_commitment cm = make(f, f->agent, desk_time_now_ms() + 10 * MIN);
    assert_int_equal(wakes, 1);
    struct desk_commitment_input note = {.note = "new words", .has_note = true};
    struct desk_commitment out;
    struct desk_fail fail = {0};
    assert_int_equal(
        desk_app_commitment_update(f->app, &f->agent_actor, &f->a, cm.id, &note, &out, &fail), 0);
    assert_int_equal(wakes, 2);
    assert_int_equal(
        desk_app_commitment_update(f->app, &f->agent_actor, &f->a, cm.id, &note, &out, &fail), 0);
    assert_int_equal(wakes, 2); /* nothing changed, nobody woken */
    desk_app_commitments_watch(f->app, NULL, NULL);
    make(f, f->agent, desk_time_now_ms() + 10 * MIN);
    assert_int_equal(wakes, 2);
}

static void test_many_due_in_batches(void **state)
{
    struct fixture *f = *state;
    struct desk_commitments_config cfg = {0};
    desk_app_commitments_configure(f->app, &cfg);
    int64_t now = desk_time_now_ms(), next;
    int64_t first = 0;
    for (int i = 0; i < 150; i++) {
        struct desk_commitment cm = make(f, f->agent, now + MIN + i);
        first = first ? first : cm.id;
        assert_int_equal(cm.remind_at, 0); /* no lead, no reminder */
    }
    assert_int_equal(desk_app_commitments_run_due(f->app, now + 2 * MIN, &next), 0);
    assert_int_equal(next, 0);
    assert_int_equal(reread(f, first + 149).state, DESK_CMT_MISSED);
    assert_int_equal(count_alerts(f, f->sup, first + 149, "commitment_missed"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_remind_then_miss, setup, teardown),
        cmocka_unit_test_setup_teardown(test_admins_when_no_supervisor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_done_and_deleted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_due_in_batches, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
