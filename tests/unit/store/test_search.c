/*
 * Search against a real SQLite store (src/store/store_search.c): a fresh
 * database in a temp dir, fixture rows written with raw SQL, then one
 * table of queries with the hits each must give, per viewer. Covers every
 * keyword, comparisons, negation, phrases, prefixes, diacritics, the end
 * user's scope, ordering, paging and hostile input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "model/search.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 2024-06-15T12:00:00Z: the fixture's "now". */
#define NOW 1718452800000LL

/* Viewers. Users: 1 Alice (agent), 2 Bob and 3 Carol (end users of org 1), 4 Dave (end user). */
enum viewer { AGENT, BOB, BOB_NOORG, DAVE, NOBODY };

static const struct desk_search_scope scopes[] = {
    [AGENT] = {.viewer_id = 1, .viewer_role = DESK_ROLE_AGENT},
    [BOB] = {.viewer_id = 2, .viewer_role = DESK_ROLE_END_USER, .viewer_org = 1},
    [BOB_NOORG] = {.viewer_id = 2, .viewer_role = DESK_ROLE_END_USER},
    [DAVE] = {.viewer_id = 4, .viewer_role = DESK_ROLE_END_USER},
    [NOBODY] = {.viewer_id = 99, .viewer_role = DESK_ROLE_END_USER},
};

/*
 * Live tickets 1, 2, 3, 4, 5, 7, 8; ticket 6 is deleted. Times are minutes
 * (m), hours (h) or days (d) before NOW unless written as dates.
 *  id status  prio   type     req   asg   group org via   tags          created     updated
 *  1  open    urgent incident Bob   Alice Supp  1   email fire hardware 10d         1h
 *  2  new     low    question Carol -     -     1   web   -             2h          2h
 *  3  pending normal problem  Dave  Alice Bill  -   api   hardware      2024-01-01  3d  due 07-01
 *  4  solved  high   task     Bob   Sam   Supp  1   chat  -             2024-03-10  5d  solved 5d
 *  5  closed  none   none     Dave  -     -     -   api   -             400d        300d solved
 * 300d 6  open (deleted)          Bob 7  hold    normal none     Carol Alice -     -   web   vip
 * 30m         30m (by Alice) 8  open    low    none     Dave  -     -     -   web   - 20d 20d
 */
#define D "86400000"
#define H "3600000"
#define M "60000"
static const char *const fixture_sql[] = {
    "INSERT INTO organizations (id, name, name_key, external_id, tags, created_at, updated_at) "
    "VALUES (1, 'MD Photo', 'md photo', 'org-md', 'photo vip', 1, 1),"
    " (2, 'Acme Topology', 'acme topology', NULL, '', 1, 1),"
    " (3, 'Desktop Solutions', 'desktop solutions', NULL, '', 1, 1);",
    "INSERT INTO groups (id, name, deleted, created_at, updated_at) VALUES"
    " (1, 'Support', 0, 1, 1), (2, 'Billing', 0, 1, 1), (3, 'Old Group', 1, 1, 1);",
    "INSERT INTO users (id, name, email, role, organization_id, phone, external_id, tags, active,"
    " created_at, updated_at) VALUES"
    " (1, 'Alice Agent', 'alice@desk.test', 1, NULL, NULL, NULL, '', 1, 1, 1),"
    " (2, 'Bob Requester', 'bob@example.com', 0, 1, NULL, NULL, '', 1, 1, 1),"
    " (3, 'Carol Customer', 'carol@example.com', 0, 1, NULL, NULL, '', 1, 1, 1),"
    " (4, 'Dave Outsider', 'dave@other.test', 0, NULL, NULL, NULL, '', 1, 1, 1),"
    " (5, 'Eve Admin', 'eve@desk.test', 3, NULL, '+420123456', 'ext-eve', 'vip premium_support',"
    "  1, 1718452800000 - 1 * " D ", 1),"
    " (6, 'Sam Supervisor', 'sam@desk.test', 2, NULL, NULL, NULL, '', 1, 1, 1),"
    " (7, 'Ian Inactive', 'ian@example.com', 0, NULL, NULL, NULL, '', 0, 1, 1);",
    "INSERT INTO identities (user_id, type, value, is_primary, created_at) VALUES"
    " (1, 'email', 'alice@desk.test', 1, 1), (2, 'email', 'bob@example.com', 1, 1),"
    " (3, 'email', 'carol@example.com', 1, 1), (4, 'email', 'dave@other.test', 1, 1),"
    " (5, 'email', 'eve@desk.test', 1, 1), (6, 'email', 'sam@desk.test', 1, 1),"
    " (7, 'email', 'ian@example.com', 1, 1), (5, 'phone_number', '+420999', 0, 1);",
    "INSERT INTO group_memberships (user_id, group_id, created_at, updated_at) VALUES"
    " (1, 1, 1, 1), (6, 2, 1, 1);",
    "INSERT INTO tickets (id, subject, description, status, priority, type, requester_id,"
    " submitter_id, assignee_id, group_id, organization_id, external_id, via, tags, due_at,"
    " created_at, updated_at, solved_at, deleted_at) VALUES"
    " (1, 'Printer on fire', 'The printer in room 12 caught fire.', 1, 4, 2, 2, 2, 1, 1, 1,"
    "  'ext-1', 2, 'fire hardware', NULL, 1718452800000 - 10 * " D ", 1718452800000 - 1 * " H
    ", NULL, NULL),"
    " (2, 'Topology question', 'What is the network topology?', 0, 1, 1, 3, 3, NULL, NULL, 1,"
    "  NULL, 1, '', NULL, 1718452800000 - 2 * " H ", 1718452800000 - 2 * " H ", NULL, NULL),"
    " (3, 'Desktop crashes', 'My desktop reboots every hour', 2, 2, 3, 4, 4, 1, 2, NULL, NULL,"
    "  0, 'hardware', 1719792000000, 1704096000000, 1718452800000 - 3 * " D ", NULL, NULL),"
    " (4, 'Příliš žluťoučký kůň', 'úpěl ďábelské ódy', 4, 3, 4, 2, 2, 6, 1, 1, NULL, 3, '',"
    "  NULL, 1710072000000, 1718452800000 - 5 * " D ", 1718452800000 - 5 * " D ", NULL),"
    " (5, 'Señor García escribe', 'El señor pide ayuda con la factura', 5, 0, 0, 4, 4, NULL,"
    "  NULL, NULL, NULL, 0, '', NULL, 1718452800000 - 400 * " D ", 1718452800000 - 300 * " D
    ", 1718452800000 - 300 * " D ", NULL),"
    " (6, 'Deleted printer ticket', 'printer', 1, 0, 0, 2, 2, NULL, NULL, 1, NULL, 0, '', NULL,"
    "  1, 1, NULL, 1718452800000),"
    " (7, 'Hold the line', 'Please hold, ''quoted'' and \"double\" NEAR things', 3, 2, 0, 3, 1,"
    "  1, NULL, NULL, NULL, 1, 'vip', NULL, 1718452800000 - 30 * " M ", 1718452800000 - 30 * " M
    ", NULL, NULL),"
    " (8, 'Quarterly report', 'Quarterly report for the team: the fire alarm test went fine,"
    " nothing else to report here at all today, the rest of the quarter looks calm and quiet.',"
    "  1, 1, 0, 4, 4, NULL, NULL, NULL, NULL, 1, '', NULL, 1718452800000 - 20 * " D
    ", 1718452800000 - 20 * " D ", NULL, NULL);",
    "INSERT INTO ticket_tags (ticket_id, tag) VALUES (1, 'fire'), (1, 'hardware'), (3, 'hardware'),"
    " (7, 'vip');",
    "INSERT INTO ticket_collaborators (ticket_id, user_id) VALUES (1, 3);",
    "INSERT INTO comments (ticket_id, audit_id, author_id, public, body, html_body, via, "
    "created_at)"
    " VALUES (1, 1, 2, 1, 'x', 'x', 2, 1718452800000 - 9 * " D "),"
    " (1, 2, 1, 0, 'note', 'note', 1, 1718452800000 - 8 * " D "),"
    " (3, 3, 4, 1, 'y', 'y', 0, 1718452800000 - 3 * " D "),"
    " (8, 4, 4, 1, 'z', 'z', 1, 1718452800000 - 1 * " D ");",
    /* The index: subject, public conversation (description first), internal notes. */
    "INSERT INTO ticket_fts (rowid, subject, public_text, private_text) VALUES"
    " (1, 'Printer on fire', 'The printer in room 12 caught fire. Smoke everywhere.',"
    "  'internal: replace the fuser unit secretword'),"
    " (2, 'Topology question', 'What is the network topology?', ''),"
    " (3, 'Desktop crashes', 'My desktop reboots every hour', 'escalate to vendor'),"
    " (4, 'Příliš žluťoučký kůň', 'úpěl ďábelské ódy', ''),"
    " (5, 'Señor García escribe', 'El señor pide ayuda con la factura', ''),"
    " (6, 'Deleted printer ticket', 'printer', ''),"
    " (7, 'Hold the line', 'Please hold, ''quoted'' and \"double\" NEAR things',"
    "  'customer is vip'),"
    " (8, 'Quarterly report', 'Quarterly report for the team: the fire alarm test went fine,"
    " nothing else to report here at all today, the rest of the quarter looks calm and quiet.',"
    "  '');",
    NULL,
};

static struct desk_store *store;
static char dir[64];
static int64_t run_now = NOW; /* "now" for relative dates */

static int fixture(struct desk_conn *c, void *arg)
{
    (void)arg;
    for (size_t i = 0; fixture_sql[i]; i++) {
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
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/desk-search-XXXXXX");
    if (!mkdtemp(dir)) {
        return -1;
    }
    char path[128];
    snprintf(path, sizeof(path), "%s/desk.db", dir);
    if (desk_store_open(path, &store) != 0) {
        return -1;
    }
    return desk_store_write(store, fixture, NULL) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    desk_store_close(store);
    static const char *const files[] = {"desk.db", "desk.db-wal", "desk.db-shm"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char path[128];
        snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        unlink(path); /* the WAL files may already be gone */
    }
    return rmdir(dir);
}

/*
 * Runs query as viewer and renders the result: "t1 t8 u5 o1 g1" (tickets,
 * users, organizations, groups), in result order, or sorted when sorted is
 * set; an error renders as "!<code name>: <reason>".
 */
static const char *run(struct desk_arena *a, const char *query, enum viewer v, bool sorted,
                       int64_t offset, int limit, int64_t *total_out)
{
    struct desk_conn *c;
    assert_int_equal(desk_store_reader(store, &c), 0);
    struct desk_sq q;
    struct desk_fail fail = {0};
    int rc = desk_sq_parse(a, query, strlen(query), &q, &fail);
    struct desk_search_hit *hits = NULL;
    size_t n = 0;
    int64_t total = -1;
    if (rc == 0) {
        rc = desk_store_search(c, a, &q, &scopes[v], run_now, offset, limit, &hits, &n, &total,
                               &fail);
    }
    if (rc) {
        return desk_arena_printf(a, "!%s: %s", desk_err_name(rc),
                                 fail.n ? fail.items[0].description : "(no reason)");
    }
    if (total_out) {
        *total_out = total;
    }
    if (sorted) {
        for (size_t i = 1; i < n; i++) { /* insertion sort by (type, id) */
            struct desk_search_hit h = hits[i];
            size_t j = i;
            while (j > 0 && (hits[j - 1].type > h.type ||
                             (hits[j - 1].type == h.type && hits[j - 1].id > h.id))) {
                hits[j] = hits[j - 1];
                j--;
            }
            hits[j] = h;
        }
    }
    struct desk_buf b;
    desk_buf_init(&b, 0);
    for (size_t i = 0; i < n; i++) {
        static const char tag[] = {'?', 't', 'u', 'o', 'g'};
        desk_buf_addf(&b, "%s%c%lld", i ? " " : "", tag[hits[i].type], (long long)hits[i].id);
    }
    const char *out = desk_arena_strdup(a, b.data ? b.data : "");
    desk_buf_release(&b);
    return out;
}

struct hit_case {
    const char *q;
    enum viewer v;
    const char *want; /* hits sorted tickets, users, orgs, groups; or "!Code: <reason part>" */
};

static const struct hit_case cases[] = {
    /* ---- status, priority, ticket_type: equality and order ---- */
    {"status:open", AGENT, "t1 t8"},
    {"status:OPEN", AGENT, "t1 t8"},
    {"status<solved", AGENT, "t1 t2 t3 t7 t8"},
    {"status<=hold", AGENT, "t1 t2 t3 t7 t8"},
    {"status>=solved", AGENT, "t4 t5"},
    {"status>pending", AGENT, "t4 t5 t7"},
    {"status:new", AGENT, "t2"},
    {"-status:open type:ticket", AGENT, "t2 t3 t4 t5 t7"},
    {"priority:urgent", AGENT, "t1"},
    {"priority>normal", AGENT, "t1 t4"},
    {"priority>=normal", AGENT, "t1 t3 t4 t7"},
    {"priority<high", AGENT, "t2 t3 t7 t8"},
    {"priority<=low", AGENT, "t2 t8"},
    {"priority:none", AGENT, "t5"},
    {"ticket_type:incident", AGENT, "t1"},
    {"type:question", AGENT, "t2"},
    {"type:task", AGENT, "t4"},
    {"ticket_type:none", AGENT, "t5 t7 t8"},
    {"-type:incident type:ticket", AGENT, "t2 t3 t4 t5 t7 t8"},
    /* ---- tags ---- */
    {"tags:hardware", AGENT, "t1 t3"},
    {"tag:fire", AGENT, "t1"},
    {"tags:HARDWARE", AGENT, "t1 t3"},
    {"tags:hard*", AGENT, "t1 t3"},
    {"tags:hard", AGENT, ""},
    {"tags:none type:ticket", AGENT, "t2 t4 t5 t8"},
    {"-tags:hardware type:ticket", AGENT, "t2 t4 t5 t7 t8"},
    /* ---- text fields ---- */
    {"subject:printer", AGENT, "t1"},
    {"subject:print", AGENT, ""},
    {"subject:print*", AGENT, "t1"},
    {"subject:\"on fire\"", AGENT, "t1"},
    {"subject:\"fire on\"", AGENT, ""},
    {"subject:smoke", AGENT, ""},
    {"description:smoke", AGENT, "t1"},
    {"description:secretword", AGENT, ""},
    {"comment:secretword", AGENT, "t1"},
    {"comment:secretword", BOB, ""},
    {"comment:smoke", BOB, "t1"},
    /* ---- people ---- */
    {"assignee:alice@desk.test", AGENT, "t1 t3 t7"},
    {"assignee:ALICE@DESK.TEST", AGENT, "t1 t3 t7"},
    {"assignee:\"Alice Agent\"", AGENT, "t1 t3 t7"},
    {"assignee:1", AGENT, "t1 t3 t7"},
    {"assignee:me", AGENT, "t1 t3 t7"},
    {"assignee:ali*", AGENT, "t1 t3 t7"},
    {"assignee:none", AGENT, "t2 t5 t8"},
    {"-assignee:none type:ticket", AGENT, "t1 t3 t4 t7"},
    {"-assignee:me type:ticket", AGENT, "t2 t4 t5 t8"},
    {"assignee:nobody@nowhere.test", AGENT, ""},
    {"assignee:\"No Such Person\"", AGENT, ""},
    {"requester:bob@example.com", AGENT, "t1 t4"},
    {"requester:dave@other.test", AGENT, "t3 t5 t8"},
    {"requester:me", BOB, "t1 t4"},
    {"requester:none", AGENT, ""},
    {"submitter:1", AGENT, "t7"},
    {"submitter:alice@desk.test", AGENT, "t7"},
    {"cc:carol@example.com", AGENT, "t1"},
    {"cc:none type:ticket", AGENT, "t2 t3 t4 t5 t7 t8"},
    {"commenter:dave@other.test", AGENT, "t3 t8"},
    {"commenter:alice@desk.test", AGENT, "t1"},
    {"commenter:alice@desk.test", BOB, ""}, /* her only comment is an internal note */
    {"group:support", AGENT, "t1 t4 u1"},
    {"group:2", AGENT, "t3 u6"},
    {"group:none type:ticket", AGENT, "t2 t5 t7 t8"},
    {"group:\"No Such Group\"", AGENT, ""},
    {"organization:\"MD Photo\"", AGENT, "t1 t2 t4 u2 u3"},
    {"organization:\"md photo\" type:ticket", AGENT, "t1 t2 t4"},
    {"organization:1 type:ticket", AGENT, "t1 t2 t4"},
    {"organization:none type:ticket", AGENT, "t3 t5 t7 t8"},
    {"organization:nonexistent", AGENT, ""},
    /* ---- other ticket fields ---- */
    {"via:email", AGENT, "t1"},
    {"via:web", AGENT, "t2 t7 t8"},
    {"external_id:ext-1", AGENT, "t1"},
    {"external_id:EXT-1 type:ticket", AGENT, "t1"},
    {"external_id:ext* type:ticket", AGENT, "t1"},
    /* ---- dates (NOW = 2024-06-15T12:00Z) ---- */
    {"created>4hours type:ticket", AGENT, "t2 t7"},
    {"created<4hours type:ticket", AGENT, "t1 t3 t4 t5 t8"},
    {"created>90minutes type:ticket", AGENT, "t7"},
    {"created>1hour type:ticket", AGENT, "t7"},
    {"created:4hours type:ticket", AGENT, "t2 t7"}, /* ':' with a relative time: within */
    {"created>=4hours type:ticket", AGENT, "t2 t7"},
    {"created<=30minutes type:ticket", AGENT, "t1 t2 t3 t4 t5 t7 t8"},
    {"created<30minutes type:ticket", AGENT, "t1 t2 t3 t4 t5 t8"},
    {"created>2024-03-10 type:ticket", AGENT, "t1 t2 t7 t8"},
    {"created>=2024-03-10 type:ticket", AGENT, "t1 t2 t4 t7 t8"},
    {"created:2024-03-10 type:ticket", AGENT, "t4"},
    {"created<2024-03-10 type:ticket", AGENT, "t3 t5"},
    {"created<=2024-03-10 type:ticket", AGENT, "t3 t4 t5"},
    {"-created:2024-03-10 type:ticket", AGENT, "t1 t2 t3 t5 t7 t8"},
    {"created:2024-03-10T12:00:00Z type:ticket", AGENT, "t4"},
    {"created:2024-03-10T12:00:01Z type:ticket", AGENT, ""},
    {"created>2024-03-10T11:00:00Z type:ticket", AGENT, "t1 t2 t4 t7 t8"},
    {"created>2024-03-10T13:00:00+02:00 type:ticket", AGENT, "t1 t2 t4 t7 t8"},
    {"created>1months type:ticket", AGENT, "t1 t2 t7 t8"},
    {"created<1years type:ticket", AGENT, "t5"},
    {"created>2years type:ticket", AGENT, "t1 t2 t3 t4 t5 t7 t8"},
    {"created>999999999years type:ticket", AGENT, "t1 t2 t3 t4 t5 t7 t8"},
    {"updated<2days type:ticket", AGENT, "t3 t4 t5 t8"},
    {"updated>1weeks type:ticket", AGENT, "t1 t2 t3 t4 t7"},
    {"updated>1week type:ticket", AGENT, "t1 t2 t3 t4 t7"},
    {"solved:none type:ticket", AGENT, "t1 t2 t3 t7 t8"},
    {"solved>1weeks", AGENT, "t4"},
    {"due_date<2024-08-01", AGENT, "t3"},
    {"due_date:2024-07-01", AGENT, "t3"},
    {"due_date:none type:ticket", AGENT, "t1 t2 t4 t5 t7 t8"},
    /* ---- full text: words, phrases, prefixes, diacritics, numbers ---- */
    {"printer", AGENT, "t1"},
    {"PRINTER", AGENT, "t1"},
    {"printer fire", AGENT, "t1"},
    {"printer -smoke", AGENT, ""},
    {"-printer type:ticket", AGENT, "t2 t3 t4 t5 t7 t8"},
    {"fire", AGENT, "t1 t8"},
    {"fire -\"caught fire\"", AGENT, "t8"},
    {"\"caught fire\"", AGENT, "t1"},
    {"\"fire caught\"", AGENT, ""},
    {"\"caught fi\"*", AGENT, "t1"},
    {"\"caught fi\"", AGENT, ""},
    {"top", AGENT, "t2 o2"},
    {"topo* type:ticket", AGENT, "t2"},
    {"desk type:ticket", AGENT, "t3"},
    {"prilis", AGENT, "t4"},
    {"příliš", AGENT, "t4"},
    {"PŘÍLIŠ", AGENT, "t4"},
    {"zlutoucky kun", AGENT, "t4"},
    {"\"prilis zlutoucky\"", AGENT, "t4"},
    {"dabelske", AGENT, "t4"},
    {"senor", AGENT, "t5"},
    {"señor", AGENT, "t5"},
    {"garcia", AGENT, "t5"},
    {"3", AGENT, "t3"},
    {"12", AGENT, "t1"},
    {"6", AGENT, ""},       /* deleted */
    {"deleted", AGENT, ""}, /* deleted */
    {"secretword", AGENT, "t1"},
    {"vendor", AGENT, "t3"},
    {"hardware", AGENT, "t1 t3"}, /* bare words match tags too, for agents */
    {"hard", AGENT, "t1 t3"},
    /* ---- the end user's scope ---- */
    {"printer", BOB, "t1"},
    {"secretword", BOB, ""},
    {"vendor", DAVE, ""},
    {"desktop", DAVE, "t3"},
    {"printer", DAVE, ""},
    {"topology", BOB, "t2"}, /* shared organization */
    {"topology", BOB_NOORG, ""},
    {"hardware", BOB, ""}, /* tags are not text for end users */
    {"fire", BOB, "t1"},
    {"printer fire", BOB, "t1"},
    {"printer \"caught fire\" smoke", BOB, "t1"},
    {"fire", DAVE, "t8"},
    {"type:ticket", BOB, "t1 t2 t4"},
    {"type:ticket", BOB_NOORG, "t1 t4"},
    {"type:ticket", DAVE, "t3 t5 t8"},
    {"type:ticket", NOBODY, ""},
    {"status:open", BOB, "t1"},
    {"-status:open", DAVE, "t3 t5"},
    {"vip", BOB, ""},
    {"vip", AGENT, "t7"}, /* o1 and u5 are tagged vip, but bare words match names */
    {"3", BOB, ""},
    {"type:user", BOB, ""},
    {"type:organization photo", BOB, ""},
    {"photo", BOB, ""},
    {"alice", DAVE, ""},
    /* ---- users ---- */
    {"type:user", AGENT, "u1 u2 u3 u4 u5 u6"},
    {"type:user name:alice", AGENT, "u1"},
    {"type:user name:ali", AGENT, ""},
    {"type:user name:ali*", AGENT, "u1"},
    {"type:user name:\"Carol Customer\"", AGENT, "u3"},
    {"type:user email:bob@example.com", AGENT, "u2"},
    {"type:user email:*", AGENT, "!InvalidQuery: wildcard needs a prefix"},
    {"type:user email:eve*", AGENT, "u5"},
    {"type:user role:agent", AGENT, "u1 u6"},
    {"type:user role:admin", AGENT, "u5"},
    {"type:user role:end-user", AGENT, "u2 u3 u4"},
    {"type:user -role:end-user", AGENT, "u1 u5 u6"},
    {"type:user organization:\"MD Photo\"", AGENT, "u2 u3"},
    {"type:user organization:none", AGENT, "u1 u4 u5 u6"},
    {"type:user group:support", AGENT, "u1"},
    {"type:user group:none", AGENT, "u2 u3 u4 u5"},
    {"type:user tags:vip", AGENT, "u5"},
    {"type:user tags:premium_support", AGENT, "u5"},
    {"type:user tags:premium", AGENT, ""},
    {"type:user tags:premium*", AGENT, "u5"},
    {"type:user external_id:ext-eve", AGENT, "u5"},
    {"type:user phone:+420123456", AGENT, "u5"},
    {"type:user phone:+420999", AGENT, "u5"},
    {"type:user created>1weeks", AGENT, "u5"},
    {"type:user carol", AGENT, "u3"},
    {"type:user cust", AGENT, "u3"},
    {"type:user bob@ex", AGENT, "u2"},
    {"type:user -carol", AGENT, "u1 u2 u4 u5 u6"},
    {"type:user ian", AGENT, ""}, /* inactive */
    {"alice", AGENT, "u1"},
    /* ---- organizations and groups ---- */
    {"type:organization", AGENT, "o1 o2 o3"},
    {"type:organization name:photo", AGENT, "o1"},
    {"type:organization tags:vip", AGENT, "o1"},
    {"type:organization external_id:org-md", AGENT, "o1"},
    {"type:organization top", AGENT, "o2"},
    {"type:organization desk", AGENT, "o3"},
    {"photo", AGENT, "o1"},
    {"type:group", AGENT, "g1 g2"},
    {"type:group name:support", AGENT, "g1"},
    {"type:group billing", AGENT, "g2"},
    {"type:group old", AGENT, ""}, /* deleted */
    {"support", AGENT, "g1"},
    {"tags:vip", AGENT, "t7 u5 o1"},
    {"created>1weeks", AGENT, "t2 t7 u5"},
    /* ---- errors ---- */
    {"colour:red", AGENT, "!InvalidQuery: unknown search keyword: colour"},
    {"colour:red", BOB, "!InvalidQuery: unknown search keyword: colour"},
    {"brand:x", AGENT, "!InvalidQuery: unknown search keyword: brand"},
    {"type:user status:open", AGENT, "!InvalidQuery: keyword status does not apply"},
    {"type:group email:x", AGENT, "!InvalidQuery: keyword email does not apply"},
    {"status:bogus", AGENT, "!InvalidQuery: invalid status"},
    {"priority:bogus", AGENT, "!InvalidQuery: invalid priority"},
    {"ticket_type:bogus", AGENT, "!InvalidQuery: invalid ticket_type"},
    {"ticket_type<incident", AGENT, "!InvalidQuery: ticket_type takes ':' only"},
    {"via:pigeon", AGENT, "!InvalidQuery: invalid via"},
    {"type:user role:king", AGENT, "!InvalidQuery: invalid role"},
    {"created>yesterday", AGENT, "!InvalidQuery: invalid date for created"},
    {"created>2024-02-30", AGENT, "!InvalidQuery: invalid date for created"},
    {"created>4fortnights", AGENT, "!InvalidQuery: invalid date for created"},
    {"assignee>alice", AGENT, "!InvalidQuery: assignee takes ':' only"},
    {"\"unterminated", AGENT, "!InvalidQuery: unterminated quote"},
    /* ---- hostile input: never an error or a wrong match ---- */
    {"'; DROP TABLE tickets; --", AGENT, ""},
    {"printer'; DROP TABLE tickets; --", AGENT, ""},
    {"printer OR desktop", AGENT, ""},
    {"printer AND desktop", AGENT, ""},
    {"NOT printer", AGENT, ""},
    {"NEAR(printer fire)", AGENT, ""},
    {"NEAR", AGENT, "t7"},
    {"^printer", AGENT, "t1"},
    {"printer^", AGENT, "t1"},
    {"{subject}:printer", AGENT, ""},
    {"subject:printer:fire", AGENT, ""},
    {"subject:\"printer OR desktop\"", AGENT, ""},
    {"subject:\"printer\" NOT", AGENT, ""},
    {"'quoted'", AGENT, "t7"},
    {"\"double\"", AGENT, "t7"},
    {"( ) : ^ + ~ ' ; -- type:ticket", AGENT, "t1 t2 t3 t4 t5 t7 t8"},
    {"- printer", AGENT, "t1"},
    {"type:user a%", AGENT, ""},
    {"type:user _lice", AGENT, ""},
    {"type:user name:%*", AGENT, ""},
    {"type:user name:a_ice*", AGENT, ""},
    {"tags:%*", AGENT, ""},
    {"tags:_ire", AGENT, ""},
    {"requester:\"x' OR '1'='1\"", AGENT, ""},
    {"external_id:1' OR 1=1 --", AGENT, ""},
    {"organization:\"' OR 1=1 --\"", AGENT, ""},
    {"assignee:1 OR 1=1", AGENT, ""},
    {"12 OR 1=1", AGENT, ""},
    {"created>1'; DROP TABLE tickets", AGENT, "!InvalidQuery: invalid date for created"},
    {"printer*", AGENT, "t1"},
    {"printer**", AGENT, "t1"},
    {"日本語", AGENT, ""},
    {"«printer»", AGENT, "t1"},
    {"— printer", AGENT, "t1"},
    {"«» type:ticket", AGENT, "t1 t2 t3 t4 t5 t7 t8"},
    {"😀 printer ©", AGENT, "t1"},
    {"printer", AGENT, "t1"}, /* and the tables are all still there */
};

static void test_cases(void **state)
{
    (void)state;
    int failed = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct desk_arena a;
        desk_arena_init(&a);
        const char *got = run(&a, cases[i].q, cases[i].v, true, 0, 100, NULL);
        bool ok;
        if (cases[i].want[0] == '!') {
            /* "!Code: reason": the code exactly, the reason as a substring. */
            const char *reason = strstr(cases[i].want, ": ") + 2;
            size_t n = (size_t)(reason - cases[i].want);
            ok = strncmp(got, cases[i].want, n) == 0 && strstr(got + n, reason);
        } else {
            ok = strcmp(got, cases[i].want) == 0;
        }
        if (!ok) {
            print_error("case %zu <%s> as viewer %d:\n  got  %s\n  want %s\n", i + 1, cases[i].q,
                        (int)cases[i].v, got, cases[i].want);
            failed++;
        }
        desk_arena_release(&a);
    }
    assert_int_equal(failed, 0);
}

struct order_case {
    const char *q;
    const char *want; /* hits in result order */
};

static const struct order_case orders[] = {
    {"type:ticket", "t7 t1 t2 t3 t4 t8 t5"}, /* updated desc */
    {"type:ticket sort:asc", "t5 t8 t4 t3 t2 t1 t7"},
    {"type:ticket order_by:created sort:asc", "t5 t3 t4 t8 t1 t2 t7"},
    {"type:ticket order_by:created", "t7 t2 t1 t8 t4 t3 t5"},
    {"type:ticket order_by:created_at sort:desc", "t7 t2 t1 t8 t4 t3 t5"},
    {"type:ticket order_by:updated sort:asc", "t5 t8 t4 t3 t2 t1 t7"},
    {"type:ticket order_by:priority", "t1 t4 t7 t3 t8 t2 t5"},
    {"type:ticket order_by:priority sort:asc", "t5 t2 t8 t3 t7 t4 t1"},
    {"type:ticket order_by:status sort:asc", "t2 t1 t8 t3 t7 t4 t5"},
    {"type:ticket order_by:ticket_type", "t4 t3 t1 t2 t8 t7 t5"},
    {"type:ticket order_by:commented", "t8 t3 t1 t7 t5 t4 t2"},
    {"fire", "t1 t8"},                  /* relevance: bm25 */
    {"fire order_by:created", "t1 t8"}, /* 06-05 before 05-26 in desc */
    {"fire order_by:created sort:asc", "t8 t1"},
    {"report OR fire", ""},
};

static void test_order(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
        struct desk_arena a;
        desk_arena_init(&a);
        const char *got = run(&a, orders[i].q, AGENT, false, 0, 100, NULL);
        if (strcmp(got, orders[i].want) != 0) {
            fail_msg("order %zu <%s>:\n  got  %s\n  want %s", i + 1, orders[i].q, got,
                     orders[i].want);
        }
        desk_arena_release(&a);
    }
}

/* Offset and limit cut the ordered list; total is always the full count. */
static void test_paging(void **state)
{
    (void)state;
    static const struct {
        const char *q;
        int64_t offset;
        int limit;
        const char *want;
        int64_t total;
    } pages[] = {
        {"type:ticket", 0, 3, "t7 t1 t2", 7}, {"type:ticket", 2, 3, "t2 t3 t4", 7},
        {"type:ticket", 6, 5, "t5", 7},       {"type:ticket", 7, 5, "", 7},
        {"type:ticket", 100, 5, "", 7},       {"type:ticket", 0, 0, "", 7},
        {"type:ticket", -5, 1, "t7", 7},      {"fire", 1, 1, "t8", 2},
        {"nothingmatches", 0, 10, "", 0},     {"type:user", 4, 100, "u2 u1", 6},
    };
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
        struct desk_arena a;
        desk_arena_init(&a);
        int64_t total = -1;
        const char *got =
            run(&a, pages[i].q, AGENT, false, pages[i].offset, pages[i].limit, &total);
        if (strcmp(got, pages[i].want) != 0 || total != pages[i].total) {
            fail_msg("page %zu <%s> offset %lld limit %d: got %s (total %lld), want %s (%lld)",
                     i + 1, pages[i].q, (long long)pages[i].offset, pages[i].limit, got,
                     (long long)total, pages[i].want, (long long)pages[i].total);
        }
        desk_arena_release(&a);
    }
}

/*
 * Months and years are calendar ones, not 30 or 365 days: a month before
 * 2024-04-10T12:00Z is exactly ticket 4's creation, 2024-03-10T12:00Z. A
 * month before March 31 clamps to February 29.
 */
static void test_calendar(void **state)
{
    (void)state;
    static const struct {
        int64_t now;
        const char *q;
        const char *want;
    } cal[] = {
        {1712750400000, "created>=1months type:ticket", "t1 t2 t4 t7 t8"},
        {1712750400000, "created>1months type:ticket", "t1 t2 t7 t8"},
        {1741608000000, "created>=1years type:ticket", "t1 t2 t4 t7 t8"}, /* now 2025-03-10 */
        {1741608000000, "created>1years type:ticket", "t1 t2 t7 t8"},
        {1711886400000, "created>1months type:ticket", "t1 t2 t4 t7 t8"}, /* now 2024-03-31 */
        {1711886400000, "created<10months type:ticket", "t5"},            /* 2023-05-31 */
        {1711886400000, "created<13months type:ticket", ""},              /* 2023-02-28 */
        {1711886400000, "created<=14months type:ticket", ""},             /* 2023-01-31 */
        {1711886400000, "created>15months type:ticket", "t1 t2 t3 t4 t5 t7 t8"},
    };
    for (size_t i = 0; i < sizeof(cal) / sizeof(cal[0]); i++) {
        struct desk_arena a;
        desk_arena_init(&a);
        run_now = cal[i].now;
        const char *got = run(&a, cal[i].q, AGENT, true, 0, 100, NULL);
        run_now = NOW;
        if (strcmp(got, cal[i].want) != 0) {
            print_error("calendar %zu <%s>: got %s, want %s\n", i + 1, cal[i].q, got, cal[i].want);
            fail();
        }
        desk_arena_release(&a);
    }
}

/*
 * Terms that did not come from the parser (the store must still be safe):
 * values with quotes and FTS5 syntax stay tokens.
 */
static void test_raw_terms(void **state)
{
    (void)state;
    static const char *const values[] = {
        "fi\"re",
        "printer\" OR \"desktop",
        "\"",
        "printer\"*",
        "*",
        "NEAR(\"a\" \"b\")",
        "subject:printer",
        "{private_text}: secretword",
        "",
    };
    struct desk_conn *c;
    assert_int_equal(desk_store_reader(store, &c), 0);
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        for (int kind = DESK_SQ_WORD; kind <= DESK_SQ_PHRASE; kind++) {
            struct desk_arena a;
            desk_arena_init(&a);
            struct desk_sq_term t = {.kind = kind, .value = values[i]};
            struct desk_sq q = {.terms = &t, .n_terms = 1, .type = DESK_SQ_TICKET, .desc = true};
            struct desk_search_hit *hits = NULL;
            size_t n = 99;
            int64_t total = -1;
            struct desk_fail fail = {0};
            int rc =
                desk_store_search(c, &a, &q, &scopes[BOB], NOW, 0, 10, &hits, &n, &total, &fail);
            if (rc != 0) {
                fail_msg("raw term <%s>: rc %d", values[i], rc);
            }
            /* Bob may never see internal notes or other requesters' tickets. */
            for (size_t k = 0; k < n; k++) {
                assert_true(hits[k].id == 1 || hits[k].id == 2 || hits[k].id == 4);
            }
            if (strcmp(values[i], "{private_text}: secretword") == 0) {
                assert_int_equal(n, 0);
            }
            desk_arena_release(&a);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),     cmocka_unit_test(test_order),
        cmocka_unit_test(test_paging),    cmocka_unit_test(test_calendar),
        cmocka_unit_test(test_raw_terms),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
