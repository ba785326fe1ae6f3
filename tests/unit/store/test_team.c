/*
 * The team's store against a real SQLite database: the routing pool and its
 * generation (moved by every change the pool reads, never by assignments,
 * and never back to a value a rolled-back write saw), per-decision loads by
 * channel, the waiting queue's order (priority, SLA due time, age), invitations used once, and the
 * draft list's viewer scopes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/staff.h"
#include "store/store_int.h"
#include "store/store_team.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Users 1 Ann (agent, cs+en, group 1), 2 Ben (agent, pl, groups 1 and 2), 3 Cid (admin,
 * no profile), 4 Dee (end user), 5 Eve (inactive agent with a profile, group 1). */
static const char *const fixture_sql[] = {
    "INSERT INTO users (id, name, email, role, active, created_at, updated_at) VALUES"
    " (1, 'Ann', 'ann@x.test', 1, 1, 1, 1), (2, 'Ben', 'ben@x.test', 1, 1, 1, 1),"
    " (3, 'Cid', 'cid@x.test', 3, 1, 1, 1), (4, 'Dee', 'dee@x.test', 0, 1, 1, 1),"
    " (5, 'Eve', 'eve@x.test', 1, 0, 1, 1);",
    "INSERT INTO groups (id, name, created_at, updated_at) VALUES (1, 'One', 1, 1), (2, 'Two', 1, "
    "1);",
    "INSERT INTO group_memberships (user_id, group_id, created_at, updated_at) VALUES"
    " (1, 1, 1, 1), (2, 1, 1, 1), (2, 2, 1, 1), (5, 1, 1, 1), (3, 2, 1, 1);",
    "INSERT INTO staff_profiles (user_id, state, availability, mentor_id, created_at, "
    "updated_at) VALUES (1, 1, 0, NULL, 1, 1), (2, 1, 3, 1, 1, 1), (5, 1, 0, NULL, 1, 1);",
    "INSERT INTO staff_languages VALUES (1, 'cs', 'cs', 3), (1, 'en', 'en', 2), (2, 'pl', 'pl', "
    "3), (2, 'de', 'de', 0);",
    "INSERT INTO staff_capacity VALUES (1, 'default', 5), (1, 'chat', 2), (2, 'default', 3);",
    "INSERT INTO tickets (id, subject, status, priority, requester_id, submitter_id, "
    "assignee_id, group_id, via, created_at, updated_at, due_at, deleted_at) VALUES"
    " (1, 'a', 1, 2, 4, 4, 1, 1, 2, 10, 10, NULL, NULL),"      /* Ann, email, open */
    " (2, 'b', 0, 2, 4, 4, 1, 1, 3, 11, 11, NULL, NULL),"      /* Ann, chat, new */
    " (3, 'c', 2, 2, 4, 4, 1, 1, 2, 12, 12, NULL, NULL),"      /* Ann, pending: not load */
    " (4, 'd', 1, 2, 4, 4, 1, 1, 2, 13, 13, NULL, 99),"        /* Ann, deleted: not load */
    " (5, 'e', 0, 1, 4, 4, NULL, 1, 0, 5, 5, NULL, NULL),"     /* waiting, low */
    " (6, 'f', 1, 4, 4, 4, NULL, 1, 0, 9, 9, NULL, NULL),"     /* waiting, urgent */
    " (7, 'g', 1, 4, 4, 4, NULL, 1, 0, 8, 8, 50, NULL),"       /* waiting, urgent, due */
    " (8, 'h', 3, 4, 4, 4, NULL, 1, 0, 1, 1, NULL, NULL),"     /* hold: not waiting */
    " (9, 'i', 0, 2, 4, 4, NULL, NULL, 0, 1, 1, NULL, NULL);", /* waiting, no group */
};

struct fx {
    char dir[64];
    struct desk_store *store;
};

static int load(struct desk_conn *c, void *arg)
{
    (void)arg;
    for (size_t i = 0; i < sizeof(fixture_sql) / sizeof(fixture_sql[0]); i++) {
        char *err = NULL;
        if (sqlite3_exec(c->db, fixture_sql[i], NULL, NULL, &err) != SQLITE_OK) {
            fprintf(stderr, "fixture %zu: %s\n", i, err);
            sqlite3_free(err);
            return DESK_EIO;
        }
    }
    return 0;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    char path[96];
    snprintf(f->dir, sizeof(f->dir), "%s", "/tmp/desk-test-team-XXXXXX");
    if (!mkdtemp(f->dir)) {
        return -1;
    }
    snprintf(path, sizeof(path), "%s/t.db", f->dir);
    if (desk_store_open(path, &f->store) != 0 || desk_store_write(f->store, load, NULL) != 0) {
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char cmd[128];
    desk_store_close(f->store);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    if (system(cmd) != 0) {
        return -1;
    }
    free(f);
    return 0;
}

static int64_t generation(struct desk_store *s)
{
    struct desk_conn *c;
    int64_t g = 0;
    assert_int_equal(desk_store_reader(s, &c), 0);
    assert_int_equal(desk_store_route_generation(c, &g), 0);
    return g;
}

static int run_sql(struct desk_conn *c, void *arg)
{
    return sqlite3_exec(c->db, arg, NULL, NULL, NULL) == SQLITE_OK ? 0 : DESK_EIO;
}

static int fail_after_sql(struct desk_conn *c, void *arg)
{
    run_sql(c, arg);
    return DESK_EINVALID; /* rolled back */
}

static int assigned(struct desk_conn *c, void *arg)
{
    (void)arg;
    return desk_store_staff_assigned(c, 1, 12345);
}

static void test_generation(void **state)
{
    struct fx *f = *state;
    static const char *const moves[] = {
        "INSERT INTO group_memberships (user_id, group_id, created_at, updated_at) VALUES (1, 2, "
        "2, 2)",
        "DELETE FROM group_memberships WHERE user_id = 1 AND group_id = 2",
        "UPDATE users SET suspended = 1 WHERE id = 2",
        "UPDATE staff_profiles SET availability = 1 WHERE user_id = 1",
        "UPDATE staff_profiles SET routing_paused = 1 WHERE user_id = 1",
        "INSERT INTO staff_languages VALUES (1, 'fr', 'fr', 2)",
        "DELETE FROM staff_capacity WHERE user_id = 1 AND channel = 'chat'",
        "INSERT INTO routing_attributes (id, name, created_at, updated_at) VALUES (1, 'T', 1, 1)",
    };
    int64_t g = generation(f->store);
    for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
        print_message("move: %s\n", moves[i]);
        assert_int_equal(desk_store_write(f->store, run_sql, (void *)moves[i]), 0);
        int64_t next = generation(f->store);
        if (i + 1 < sizeof(moves) / sizeof(moves[0])) {
            assert_true(next != g);
        } else {
            assert_true(next == g); /* a new attribute alone is not in any pool */
        }
        g = next;
    }
    /* Assignments and ticket changes do not move it: loads are read per decision. */
    assert_int_equal(desk_store_write(f->store, assigned, NULL), 0);
    assert_int_equal(
        desk_store_write(f->store, run_sql, "UPDATE tickets SET assignee_id = 2 WHERE id = 5"), 0);
    assert_true(generation(f->store) == g);
    /* A rolled-back change leaves the value as it was. */
    assert_int_equal(desk_store_write(f->store, fail_after_sql,
                                      "UPDATE staff_profiles SET availability = 0 WHERE "
                                      "user_id = 1"),
                     DESK_EINVALID);
    assert_true(generation(f->store) == g);
}

static void test_pool_and_loads(void **state)
{
    struct fx *f = *state;
    struct desk_conn *c;
    struct desk_arena a;
    struct desk_route_pool p;
    struct desk_route_load *loads;
    size_t n;
    desk_arena_init(&a);
    assert_int_equal(desk_store_reader(f->store, &c), 0);
    /* Group 1: Ann and Ben (Eve is inactive), routable languages only (Ben's basic de is out). */
    assert_int_equal(desk_store_route_pool(c, &a, 1, DESK_PROF_ROUTABLE, &p), 0);
    assert_int_equal(p.n_agents, 2);
    assert_int_equal(p.agents[0].user_id, 1);
    assert_int_equal(p.agents[1].user_id, 2);
    assert_int_equal(p.agents[0].availability, DESK_AVAIL_ONLINE);
    assert_int_equal(p.n_langs, 3);
    assert_string_equal(p.langs[2].text, "pl");
    assert_int_equal(p.n_caps, 3);
    /* Group 2: Ben only (Cid, an admin, has no profile). Group 0: every profile holder. */
    assert_int_equal(desk_store_route_pool(c, &a, 2, DESK_PROF_ROUTABLE, &p), 0);
    assert_int_equal(p.n_agents, 1);
    assert_int_equal(desk_store_route_pool(c, &a, 0, DESK_PROF_ROUTABLE, &p), 0);
    assert_int_equal(p.n_agents, 2);
    /* Ann's loads: one email (via 2) and one chat (via 3); pending and deleted do not count. */
    assert_int_equal(desk_store_route_loads(c, &a, 1, &loads, &n), 0);
    int64_t email = 0, chat = 0, ben = -1;
    for (size_t i = 0; i < n; i++) {
        if (loads[i].user_id == 1 && loads[i].via == 2) {
            email = loads[i].n;
        } else if (loads[i].user_id == 1 && loads[i].via == 3) {
            chat = loads[i].n;
        } else if (loads[i].user_id == 2) {
            ben = loads[i].via < 0 ? 0 : loads[i].n;
        }
    }
    assert_int_equal(email, 1);
    assert_int_equal(chat, 1);
    assert_int_equal(ben, 0);
    int64_t load;
    assert_int_equal(desk_store_staff_load(c, 1, &load), 0);
    assert_int_equal(load, 2);
    desk_arena_release(&a);
}

static int exec_sql(struct desk_conn *c, void *arg)
{
    char *err = NULL;
    if (sqlite3_exec(c->db, arg, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "%s\n", err);
        sqlite3_free(err);
        return DESK_EIO;
    }
    return 0;
}

static void test_waiting_order(void **state)
{
    struct fx *f = *state;
    struct desk_conn *c;
    struct desk_arena a;
    int64_t *ids;
    size_t n;
    desk_arena_init(&a);
    assert_int_equal(desk_store_reader(f->store, &c), 0);
    /* Urgent first, the one due first among them, then the low one; hold is not waiting. */
    assert_int_equal(desk_store_route_waiting(c, &a, 1, 10, &ids, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(ids[0], 7);
    assert_int_equal(ids[1], 6);
    assert_int_equal(ids[2], 5);
    /* A running SLA target due before ticket 7's own date puts ticket 6 first; a paused or
     * fulfilled clock does not count. Among low tickets, an SLA due beats the older one. */
    assert_int_equal(desk_store_write(f->store, exec_sql,
                                      "INSERT INTO sla_clocks (ticket_id, metric, cycle, state, "
                                      "started_at, last_at, elapsed_ms, paused_ms, due_at) VALUES "
                                      "(6, 1, 1, 1, 9, 9, 0, 0, 40), (7, 1, 1, 2, 8, 8, 0, 0, 1), "
                                      "(7, 2, 1, 3, 8, 8, 0, 0, 2), (5, 1, 1, 1, 5, 5, 0, 0, 900);"
                                      "INSERT INTO tickets (id, subject, status, priority, "
                                      "requester_id, submitter_id, group_id, via, created_at, "
                                      "updated_at) VALUES (10, 'j', 0, 1, 4, 4, 1, 0, 1, 1);"
                                      "INSERT INTO sla_clocks (ticket_id, metric, cycle, state, "
                                      "started_at, last_at, elapsed_ms, paused_ms, due_at) VALUES "
                                      "(10, 1, 1, 1, 1, 1, 0, 0, 1000);"),
                     0);
    assert_int_equal(desk_store_route_waiting(c, &a, 1, 10, &ids, &n), 0);
    assert_int_equal(n, 4);
    assert_int_equal(ids[0], 6);
    assert_int_equal(ids[1], 7);
    assert_int_equal(ids[2], 5);  /* low, due at 900 */
    assert_int_equal(ids[3], 10); /* low, older, but due at 1000 */
    assert_int_equal(desk_store_route_waiting(c, &a, 0, 10, &ids, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], 9);
    assert_int_equal(desk_store_route_waiting_groups(c, &a, &ids, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], 0);
    assert_int_equal(ids[1], 1);
    desk_arena_release(&a);
}

struct inv_job {
    unsigned char hash[32];
    struct desk_staff_invitation inv;
    int first, second;
};

static int invite(struct desk_conn *c, void *arg)
{
    struct inv_job *j = arg;
    j->inv.user_id = 2;
    j->inv.created_at = 1;
    j->inv.expires_at = 100;
    int rc = desk_store_invitation_insert(c, &j->inv, j->hash);
    if (!rc) {
        j->first = desk_store_invitation_accept(c, j->inv.id, 5);
        j->second = desk_store_invitation_accept(c, j->inv.id, 6);
    }
    return rc;
}

static void test_invitation_once(void **state)
{
    struct fx *f = *state;
    struct inv_job j;
    memset(&j, 0, sizeof(j));
    memset(j.hash, 7, sizeof(j.hash));
    assert_int_equal(desk_store_write(f->store, invite, &j), 0);
    assert_int_equal(j.first, 0);
    assert_int_equal(j.second, DESK_ECONFLICT);
    struct desk_conn *c;
    struct desk_staff_invitation got;
    assert_int_equal(desk_store_reader(f->store, &c), 0);
    assert_int_equal(desk_store_invitation_by_hash(c, j.hash, &got), 0);
    assert_int_equal(got.accepted_at, 5);
    unsigned char other[32] = {0};
    assert_int_equal(desk_store_invitation_by_hash(c, other, &got), DESK_ENOTFOUND);
}

static int drafts(struct desk_conn *c, void *arg)
{
    (void)arg;
    /* Ben (mentored by Ann) drafts on ticket 1 (group 1) and ticket 9 (no group). */
    struct desk_draft d = {0, 1, 2, "hello", -1, NULL, NULL, 0, NULL, 0, 20, 0};
    int rc = desk_store_draft_insert(c, &d);
    d.ticket_id = 9;
    d.status = DESK_STATUS_SOLVED;
    return rc ? rc : desk_store_draft_insert(c, &d);
}

static void test_draft_scopes(void **state)
{
    struct fx *f = *state;
    struct desk_conn *c;
    struct desk_arena a;
    struct desk_draft *items;
    struct desk_page_out out;
    struct desk_page p = {.limit = 100};
    desk_arena_init(&a);
    assert_int_equal(desk_store_write(f->store, drafts, NULL), 0);
    assert_int_equal(desk_store_reader(f->store, &c), 0);
    static const struct {
        int scope;
        int64_t viewer;
        const char *state;
        int64_t ticket;
        size_t want;
    } cases[] = {
        {DESK_DRAFTS_ALL, 0, "pending", 0, 2},        {DESK_DRAFTS_MENTOR, 1, "pending", 0, 2},
        {DESK_DRAFTS_MENTOR, 2, NULL, 0, 2},          {DESK_DRAFTS_MENTOR, 5, "pending", 0, 0},
        {DESK_DRAFTS_SUPERVISOR, 3, "pending", 0, 0}, {DESK_DRAFTS_ALL, 0, "pending", 9, 1},
        {DESK_DRAFTS_ALL, 0, "approved", 0, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct desk_draft_filter fl = {cases[i].state, cases[i].ticket, cases[i].scope,
                                       cases[i].viewer};
        print_message("case %zu\n", i);
        assert_int_equal(desk_store_draft_list(c, &a, &fl, &p, &items, &out), 0);
        assert_int_equal(out.n, cases[i].want);
    }
    /* Cid joins group 1 as a supervisor would: the draft on ticket 1 becomes theirs to see. */
    assert_int_equal(desk_store_write(f->store, run_sql,
                                      "INSERT INTO group_memberships (user_id, group_id, "
                                      "created_at, updated_at) VALUES (3, 1, 3, 3)"),
                     0);
    struct desk_draft_filter sup = {"pending", 0, DESK_DRAFTS_SUPERVISOR, 3};
    assert_int_equal(desk_store_draft_list(c, &a, &sup, &p, &items, &out), 0);
    assert_int_equal(out.n, 1);
    assert_int_equal(items[0].ticket_id, 1);
    assert_int_equal(items[0].status, -1);
    int64_t pending;
    assert_int_equal(desk_store_draft_pending_count(c, 9, &pending), 0);
    assert_int_equal(pending, 1);
    desk_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_generation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pool_and_loads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_waiting_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invitation_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_scopes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
