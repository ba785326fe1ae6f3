/*
 * Outgoing mail through the real write path (app/outbox.c with SQLite): a
 * public reply by staff queues one notice per requester and follower in
 * the ticket's own transaction, in the right language, and nobody else
 * hears of it; the outbox's state changes; Message-IDs for threading.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "app/outbox.h"
#include "core/time.h"
#include "store/store_outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fixture {
    char dir[64];
    struct desk_app *app;
    struct desk_arena a;
    int64_t agent, agent2, cs_customer, pl_customer, follower, suspended, gone, no_locale;
};

static int64_t add_user(struct fixture *f, const char *email, const char *name, int role,
                        const char *locale)
{
    struct desk_user_input in = {0};
    struct desk_user u;
    struct desk_fail fail = {0};
    in.email = email;
    in.has_email = true;
    in.name = name;
    in.has_name = true;
    in.role = role;
    in.has_role = true;
    in.locale = locale;
    in.has_locale = locale != NULL;
    assert_int_equal(desk_app_user_create(f->app, &desk_actor_system, &f->a, &in, &u, &fail), 0);
    return u.id;
}

static void set_user_flag(struct fixture *f, int64_t id, bool suspended, bool deleted)
{
    struct desk_user_input in = {0};
    struct desk_user u;
    struct desk_fail fail = {0};
    if (suspended) {
        in.suspended = true;
        in.has_suspended = true;
        assert_int_equal(
            desk_app_user_update(f->app, &desk_actor_system, &f->a, id, &in, &u, &fail), 0);
    }
    if (deleted) {
        assert_int_equal(desk_app_user_delete(f->app, &desk_actor_system, &f->a, id, &u, &fail), 0);
    }
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    char path[128];
    snprintf(f->dir, sizeof(f->dir), "/tmp/desk-test-outbox-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(path, sizeof(path), "%s/desk.db", f->dir);
    assert_int_equal(desk_app_open(path, &f->app), 0);
    desk_arena_init(&f->a);
    f->agent = add_user(f, "alice@desk.test", "Alice Agent", DESK_ROLE_AGENT, "en-US");
    f->agent2 = add_user(f, "bob@desk.test", "Bob Agent", DESK_ROLE_AGENT, "de");
    f->cs_customer = add_user(f, "jan@example.cz", "Jan Novák", DESK_ROLE_END_USER, "cs-CZ");
    f->pl_customer = add_user(f, "ola@example.pl", "Ola Kowalska", DESK_ROLE_END_USER, "pl");
    f->follower = add_user(f, "eva@example.cz", "Eva Dvořáková", DESK_ROLE_END_USER, "en-GB");
    f->suspended = add_user(f, "sus@example.com", "Sue Suspended", DESK_ROLE_END_USER, NULL);
    f->gone = add_user(f, "gone@example.com", "Gus Gone", DESK_ROLE_END_USER, NULL);
    f->no_locale = add_user(f, "nol@example.com", "Nora", DESK_ROLE_END_USER, NULL);
    set_user_flag(f, f->suspended, true, false);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char cmd[160];
    desk_arena_release(&f->a);
    desk_app_close(f->app);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static struct desk_actor actor(int64_t id, int role)
{
    struct desk_actor a = {.user_id = id, .role = role, .via = DESK_VIA_API, .request_id = "t"};
    return a;
}

/* Text language detection cannot judge: the ticket keeps the language it is given. */
static const char *neutral_body = "#4711 / 0x2F / 12:30";

static int64_t new_ticket(struct fixture *f, int64_t requester, const char *language,
                          int64_t *followers, size_t n_followers)
{
    struct desk_ticket_input in = {0};
    struct desk_ticket t;
    struct desk_audit au;
    struct desk_fail fail = {0};
    struct desk_actor who = actor(requester, DESK_ROLE_END_USER);
    in.subject = "Tiskárna nefunguje";
    in.has_subject = true;
    in.comment_body = language ? "Dobrý den, tiskárna netiskne." : neutral_body;
    in.comment_public = true;
    in.language = language;
    in.has_language = language != NULL;
    assert_int_equal(desk_app_ticket_create(f->app, &who, &f->a, &in, &t, &au, &fail), 0);
    if (n_followers) {
        struct desk_ticket_input up = {0};
        struct desk_actor ag = actor(f->agent, DESK_ROLE_AGENT);
        up.collaborator_ids = followers;
        up.n_collaborator_ids = n_followers;
        up.has_collaborator_ids = true;
        assert_int_equal(desk_app_ticket_update(f->app, &ag, &f->a, t.id, &up, &t, &au, &fail), 0);
    }
    return t.id;
}

static int reply(struct fixture *f, int64_t ticket, int64_t author, int role, bool is_public)
{
    struct desk_ticket_input in = {0};
    struct desk_ticket t;
    struct desk_audit au;
    struct desk_fail fail = {0};
    struct desk_actor who = actor(author, role);
    /* A customer's short answer never changes the ticket's language (app_language.c). */
    in.comment_body =
        desk_role_is_staff(role) ? "Zkuste ji prosím vypnout a zapnout.\r\nDíky" : "ok, díky";
    in.comment_public = is_public;
    return desk_app_ticket_update(f->app, &who, &f->a, ticket, &in, &t, &au, &fail);
}

/* The outbox rows of a ticket, oldest first. */
static size_t notices(struct fixture *f, int64_t ticket, struct desk_outbox_msg **items)
{
    struct desk_page p = {.limit = 100};
    struct desk_page_out out;
    struct desk_outbox_filter flt = {.state = -1, .ticket_id = ticket};
    struct desk_actor ag = actor(f->agent, DESK_ROLE_AGENT);
    assert_int_equal(desk_app_outbox_list(f->app, &ag, &f->a, &flt, &p, items, &out), 0);
    return out.n;
}

static void test_language(void **state)
{
    static const struct {
        const char *ticket, *locale, *want;
    } cases[] = {
        {"cs", "en-US", "cs"}, {NULL, "pl-PL", "pl"}, {"", "es_ES", "es"},
        {NULL, NULL, "en"},    {"PT-br", NULL, "pt"}, {NULL, "", "en"},
        {"x1", "de", "en"},    {"zh-Hant", "", "zh"}, {"sr-Latn-RS", NULL, "sr"},
    };
    struct fixture *f = *state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *got = desk_outbox_language(&f->a, cases[i].ticket, cases[i].locale);
        if (strcmp(got, cases[i].want) != 0) {
            fail_msg("case %zu: %s/%s gave %s, want %s", i, cases[i].ticket, cases[i].locale, got,
                     cases[i].want);
        }
    }
}

static void test_reply_notifies_requester_and_followers(void **state)
{
    struct fixture *f = *state;
    int64_t fol[] = {f->follower, f->suspended, f->gone, f->agent2, f->agent, f->follower};
    int64_t t = new_ticket(f, f->cs_customer, "cs", fol, 6);
    struct desk_outbox_msg *m;
    set_user_flag(f, f->gone, false, true);
    assert_int_equal(notices(f, t, &m), 0); /* the customer's own message notifies nobody */
    assert_int_equal(reply(f, t, f->agent, DESK_ROLE_AGENT, true), 0);
    size_t n = notices(f, t, &m);
    /* requester, follower, agent2: not the author, not the suspended or deleted, nobody twice */
    assert_int_equal(n, 3);
    assert_int_equal(m[0].user_id, f->cs_customer); /* the requester first, then followers */
    assert_true((m[1].user_id == f->follower && m[2].user_id == f->agent2) ||
                (m[1].user_id == f->agent2 && m[2].user_id == f->follower));
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(m[i].kind, "reply");
        assert_string_equal(m[i].language, "cs"); /* the ticket's language wins */
        assert_int_equal(m[i].state, DESK_OUTBOX_QUEUED);
        assert_int_equal(m[i].attempts, 0);
        assert_non_null(m[i].comment_id);
        assert_null(m[i].message_id);
    }
    assert_string_equal(m[0].to_addr, "jan@example.cz");
    assert_string_equal(m[0].to_name, "Jan Novák");
}

static void test_who_is_not_notified(void **state)
{
    struct fixture *f = *state;
    struct desk_outbox_msg *m;
    int64_t t = new_ticket(f, f->pl_customer, NULL, NULL, 0);
    assert_int_equal(reply(f, t, f->agent, DESK_ROLE_AGENT, false), 0); /* internal note */
    assert_int_equal(notices(f, t, &m), 0);
    assert_int_equal(reply(f, t, f->pl_customer, DESK_ROLE_END_USER, true), 0); /* customer */
    assert_int_equal(notices(f, t, &m), 0);
    assert_int_equal(reply(f, t, f->agent, DESK_ROLE_AGENT, true), 0);
    assert_int_equal(notices(f, t, &m), 1);
    assert_string_equal(m[0].language, "pl"); /* no ticket language: the requester's locale */

    /* A ticket an agent requested for themselves: the author is the requester. */
    int64_t own = new_ticket(f, f->no_locale, NULL, NULL, 0);
    assert_int_equal(notices(f, own, &m), 0);
    struct desk_ticket_input in = {0};
    struct desk_ticket tk;
    struct desk_audit au;
    struct desk_fail fail = {0};
    struct desk_actor ag = actor(f->agent, DESK_ROLE_AGENT);
    in.comment_body = "Internal work";
    in.comment_public = true;
    in.requester_id = f->agent;
    in.has_requester_id = true;
    assert_int_equal(desk_app_ticket_create(f->app, &ag, &f->a, &in, &tk, &au, &fail), 0);
    assert_int_equal(notices(f, tk.id, &m), 0);

    /* An agent opening a ticket for a customer with a public comment tells the customer. */
    memset(&in, 0, sizeof(in));
    in.comment_body = "We noticed your order is late.";
    in.comment_public = true;
    in.requester_id = f->no_locale;
    in.has_requester_id = true;
    assert_int_equal(desk_app_ticket_create(f->app, &ag, &f->a, &in, &tk, &au, &fail), 0);
    assert_int_equal(notices(f, tk.id, &m), 1);
    assert_string_equal(m[0].language, "en"); /* the default en-US locale */
}

static void test_rollback_takes_the_notice_too(void **state)
{
    struct fixture *f = *state;
    struct desk_outbox_msg *m;
    int64_t t = new_ticket(f, f->pl_customer, NULL, NULL, 0);
    struct desk_ticket_input in = {0};
    struct desk_ticket tk;
    struct desk_audit au;
    struct desk_fail fail = {0};
    struct desk_actor ag = actor(f->agent, DESK_ROLE_AGENT);
    in.comment_body = "Reply that fails validation";
    in.comment_public = true;
    in.has_group_id = true;
    in.group_id = 999; /* no such group: the whole change is refused */
    assert_int_equal(desk_app_ticket_update(f->app, &ag, &f->a, t, &in, &tk, &au, &fail),
                     DESK_EINVALID);
    assert_int_equal(notices(f, t, &m), 0);
}

static void test_states_and_mail_ids(void **state)
{
    struct fixture *f = *state;
    struct desk_outbox_msg *m;
    struct desk_conn *c;
    int64_t fol[] = {f->follower};
    int64_t t = new_ticket(f, f->cs_customer, "cs", fol, 1);
    assert_int_equal(reply(f, t, f->agent, DESK_ROLE_AGENT, true), 0);
    assert_int_equal(notices(f, t, &m), 2);
    assert_int_equal(desk_app_reader(f->app, &c), 0);

    /* An inbound message recorded by the mail gate is the thread's root. */
    struct desk_mail_id *ids;
    size_t n;
    assert_int_equal(desk_store_mail_ids_of_ticket(c, &f->a, t, 0, 20, &ids, &n), 0);
    assert_int_equal(n, 0);

    struct desk_outbox_msg r = m[0];
    r.subject = "[#1] Re: x";
    r.message_id = "desk.a@desk.test";
    r.raw = "Subject: x\r\n\r\nbody\r\n";
    r.raw_len = strlen(r.raw);
    r.language = "cs";
    assert_int_equal(desk_app_outbox_rendered(f->app, &r), 0);
    assert_int_equal(desk_app_outbox_rendered(f->app, &r), DESK_ENOTFOUND); /* only once */
    struct desk_outbox_msg r2 = m[1];
    r2.subject = "[#1] Re: x";
    r2.message_id = "desk.b@desk.test";
    r2.raw = r.raw;
    r2.raw_len = r.raw_len;
    r2.language = "cs";
    assert_int_equal(desk_app_outbox_rendered(f->app, &r2), 0);

    /* The siblings of one notice do not refer to each other; a later message refers to both. */
    assert_int_equal(desk_store_mail_ids_of_ticket(c, &f->a, t, m[0].comment_id, 20, &ids, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(desk_store_mail_ids_of_ticket(c, &f->a, t, 0, 20, &ids, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(ids[0].message_id, "desk.a@desk.test");
    assert_string_equal(ids[1].message_id, "desk.b@desk.test");
    assert_false(ids[0].inbound);

    /* A refused message fails and can be retried by a supervisor, not by an agent. */
    struct desk_outbox_msg o = r;
    o.state = DESK_OUTBOX_FAILED;
    o.attempts = 1;
    o.last_error = "RCPT failed (SMTP 550)";
    assert_int_equal(desk_app_outbox_outcome(f->app, &o), 0);
    assert_int_equal(desk_app_outbox_outcome(f->app, &o), DESK_ENOTFOUND); /* no longer queued */
    /* The sender's batch form skips it, even alone: a message revoked while it was being
     * tried must not hold back the outcomes (and so the mail) after it. */
    assert_int_equal(desk_app_outbox_outcomes(f->app, &o, 1), 0);
    struct desk_outbox_msg got;
    struct desk_fail fail = {0};
    struct desk_actor ag = actor(f->agent, DESK_ROLE_AGENT);
    struct desk_actor sup = actor(f->agent, DESK_ROLE_SUPERVISOR);
    struct desk_actor cust = actor(f->cs_customer, DESK_ROLE_END_USER);
    assert_int_equal(desk_app_outbox_get(f->app, &ag, &f->a, r.id, &got), 0);
    assert_int_equal(got.state, DESK_OUTBOX_FAILED);
    assert_string_equal(got.last_error, "RCPT failed (SMTP 550)");
    assert_int_equal(got.raw_len, r.raw_len);
    assert_memory_equal(got.raw, r.raw, r.raw_len);
    assert_int_equal(desk_app_outbox_get(f->app, &cust, &f->a, r.id, &got), DESK_EFORBIDDEN);
    assert_int_equal(desk_app_outbox_retry(f->app, &ag, &f->a, r.id, &got, &fail), DESK_EFORBIDDEN);
    assert_int_equal(desk_app_outbox_retry(f->app, &sup, &f->a, r.id, &got, &fail), 0);
    assert_int_equal(got.state, DESK_OUTBOX_QUEUED);
    assert_int_equal(got.attempts, 0);
    assert_int_equal(desk_app_outbox_retry(f->app, &sup, &f->a, r.id, &got, &fail),
                     DESK_EINVALID); /* not failed any more */
    assert_int_equal(desk_app_outbox_retry(f->app, &sup, &f->a, 99999, &got, &fail),
                     DESK_ENOTFOUND);

    /* Sent: due lists and counts follow. */
    o = got;
    o.state = DESK_OUTBOX_SENT;
    o.attempts = 1;
    o.sent_at = desk_time_now_ms();
    o.last_error = NULL;
    assert_int_equal(desk_app_outbox_outcome(f->app, &o), 0);
    struct desk_outbox_msg *due;
    assert_int_equal(desk_store_outbox_due(c, &f->a, desk_time_now_ms() + 1000, 10, &due, &n), 0);
    for (size_t i = 0; i < n; i++) {
        assert_int_not_equal(due[i].id, o.id);
    }
    int64_t queued = -1, failed = -1;
    assert_int_equal(desk_store_outbox_pending(c, &queued, &failed), 0);
    assert_true(queued >= 1);
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_language),
        cmocka_unit_test(test_reply_notifies_requester_and_followers),
        cmocka_unit_test(test_who_is_not_notified),
        cmocka_unit_test(test_rollback_takes_the_notice_too),
        cmocka_unit_test(test_states_and_mail_ids),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
