/*
 * Table-driven tests of the search query parser (src/model/search.c): each
 * good query with the terms it must produce, rendered as text so a case is
 * one line, and each bad query with its error code and reason.
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

#include <stdio.h>
#include <string.h>

/*
 * Rendering: "type order dir | term | term ...", a term being
 * [-]w:value[*] (word), [-]p:value[*] (phrase) or [-]field<op>value[*]
 * with op one of : < <= > >=.
 */
static const char *render(struct desk_arena *a, const struct desk_sq *q)
{
    static const char *const types[] = {"any", "ticket", "user", "organization", "group"};
    static const char *const ops[] = {":", "<", "<=", ">", ">="};
    struct desk_buf b;
    desk_buf_init(&b, 0);
    desk_buf_addf(&b, "%s %s %s", types[q->type], q->order_by ? q->order_by : "-",
                  q->desc ? "desc" : "asc");
    for (size_t i = 0; i < q->n_terms; i++) {
        const struct desk_sq_term *t = &q->terms[i];
        desk_buf_adds(&b, " | ");
        if (t->negated) {
            desk_buf_adds(&b, "-");
        }
        switch (t->kind) {
        case DESK_SQ_WORD:
            desk_buf_addf(&b, "w:%s", t->value);
            break;
        case DESK_SQ_PHRASE:
            desk_buf_addf(&b, "p:%s", t->value);
            break;
        case DESK_SQ_FIELD:
            desk_buf_addf(&b, "%s%s%s", t->field, ops[t->op], t->value);
            break;
        }
        if (t->wildcard) {
            desk_buf_adds(&b, "*");
        }
    }
    const char *out = desk_arena_strdup(a, b.data);
    desk_buf_release(&b);
    return out;
}

struct good_case {
    const char *q;
    const char *want;
};

static const struct good_case good[] = {
    /* 1 */ {"", "any - desc"},
    /* 2 */ {"   \t\n ", "any - desc"},
    /* 3 */ {"printer", "any - desc | w:printer"},
    /* 4 */ {"printer on fire", "any - desc | w:printer | w:on | w:fire"},
    /* 5 */ {"\"printer on fire\"", "any - desc | p:printer on fire"},
    /* 6 */ {"status:open", "any - desc | status:open"},
    /* 7 */ {"STATUS:Open", "any - desc | status:Open"},
    /* 8 */ {"status<solved", "any - desc | status<solved"},
    /* 9 */ {"status<=pending priority>=high", "any - desc | status<=pending | priority>=high"},
    /* 10 */ {"priority>normal", "any - desc | priority>normal"},
    /* 11 */ {"status:<solved", "any - desc | status<solved"},
    /* 12 */ {"created:>=2024-01-01", "any - desc | created>=2024-01-01"},
    /* 13 */ {"-printer", "any - desc | -w:printer"},
    /* 14 */ {"-\"on fire\"", "any - desc | -p:on fire"},
    /* 15 */ {"-status:closed", "any - desc | -status:closed"},
    /* 16 */ {"photo*", "any - desc | w:photo*"},
    /* 17 */ {"subject:photo*", "any - desc | subject:photo*"},
    /* 18 */ {"\"printer fi\"*", "any - desc | p:printer fi*"},
    /* 19 */ {"type:ticket", "ticket - desc"},
    /* 20 */ {"TYPE:User tags:premium", "user - desc | tags:premium"},
    /* 21 */ {"type:organization", "organization - desc"},
    /* 22 */ {"type:group name:support", "group - desc | name:support"},
    /* 23 */ {"type:incident", "any - desc | ticket_type:incident"},
    /* 24 */ {"-type:question", "any - desc | -ticket_type:question"},
    /* 25 */ {"type:ticket type:ticket", "ticket - desc"},
    /* 26 */ {"order_by:created", "any created desc"},
    /* 27 */ {"order_by:created sort:asc", "any created asc"},
    /* 28 */ {"sort:ASC order_by:Priority", "any priority asc"},
    /* 29 */ {"order_by:updated_at sort:desc", "any updated desc"},
    /* 30 */ {"order_by:ticket_type", "any ticket_type desc"},
    /* 31 */ {"order_by:commented", "any commented desc"},
    /* 32 */ {"organization:\"MD Photo\"", "any - desc | organization:MD Photo"},
    /* 33 */
    {"created>2024-01-01 type:ticket organization:\"MD Photo\"",
     "ticket - desc | created>2024-01-01 | organization:MD Photo"},
    /* 34 */
    {"type:ticket status<solved requester:jo@example.com",
     "ticket - desc | status<solved | requester:jo@example.com"},
    /* 35 */ {"created>4hours updated<2days", "any - desc | created>4hours | updated<2days"},
    /* 36 */ {"created>2024-05-01T10:00:00Z", "any - desc | created>2024-05-01T10:00:00Z"},
    /* 37 */ {"assignee:me -assignee:none", "any - desc | assignee:me | -assignee:none"},
    /* 38 */ {"12345", "any - desc | w:12345"},
    /* 39 */ {"10:30", "any - desc | w:10:30"},
    /* 40 */ {"foo:bar:baz", "any - desc | foo:bar:baz"},
    /* 41 */ {"příliš žluťoučký kůň", "any - desc | w:příliš | w:žluťoučký | w:kůň"},
    /* 42 */ {"señor", "any - desc | w:señor"},
    /* 43 */ {"a - b", "any - desc | w:a | w:b"},
    /* 44 */ {"\"\" x", "any - desc | w:x"},
    /* 45 */ {"foo\"bar baz\"", "any - desc | w:foo | p:bar baz"},
    /* 46 */ {"--x", "any - desc | -w:-x"},
    /* 47 */ {"NEAR(a b) OR c^d", "any - desc | w:NEAR(a | w:b) | w:OR | w:c^d"},
    /* 48 */
    {"'; DROP TABLE tickets; --", "any - desc | w:'; | w:DROP | w:TABLE | w:tickets; | -w:-"},
    /* 49 */ {"tags:vip*** x", "any - desc | tags:vip* | w:x"},
    /* 50 */ {"custom_field_123:abc", "any - desc | custom_field_123:abc"},
    /* 51 */ {"\"quoted \"\"twice\"\"\"", "any - desc | p:quoted  | p:twice"}, /* quotes pair left
                                                                                  to right */
    /* 52 */ {"external_id:\"a b\"", "any - desc | external_id:a b"},
    /* 53 */ {"priority<high*", "any - desc | priority<high*"},
    /* 54 */ {"_x:y", "any - desc | w:_x:y"},
    /* 55 */ {"日本語 テスト", "any - desc | w:日本語 | w:テスト"},
};

static void test_good(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        struct desk_arena a;
        desk_arena_init(&a);
        struct desk_sq q;
        struct desk_fail fail = {0};
        int rc = desk_sq_parse(&a, good[i].q, strlen(good[i].q), &q, &fail);
        if (rc != 0) {
            fail_msg("case %zu <%s>: rc %d (%s)", i + 1, good[i].q, rc,
                     fail.n ? fail.items[0].description : "?");
        }
        const char *got = render(&a, &q);
        if (strcmp(got, good[i].want) != 0) {
            fail_msg("case %zu <%s>:\n  got  %s\n  want %s", i + 1, good[i].q, got, good[i].want);
        }
        assert_int_equal(fail.n, 0);
        desk_arena_release(&a);
    }
}

struct bad_case {
    const char *q;
    size_t len; /* 0: strlen */
    int rc;
    const char *reason; /* substring of the fail description */
};

static const struct bad_case bad[] = {
    /* 1 */ {"\"printer", 0, DESK_EQUERY, "unterminated quote"},
    /* 2 */ {"subject:\"printer", 0, DESK_EQUERY, "unterminated quote"},
    /* 3 */ {"status:", 0, DESK_EQUERY, "empty value for status"},
    /* 4 */ {"status: open", 0, DESK_EQUERY, "empty value for status"},
    /* 5 */ {"subject:\"\"", 0, DESK_EQUERY, "empty value for subject"},
    /* 6 */ {"created>", 0, DESK_EQUERY, "empty value for created"},
    /* 7 */ {"type:ticketz", 0, DESK_EQUERY, "unknown type"},
    /* 8 */ {"type:ticket type:user", 0, DESK_EQUERY, "conflicting type"},
    /* 9 */ {"-type:ticket", 0, DESK_EQUERY, "type: takes"},
    /* 10 */ {"type>ticket", 0, DESK_EQUERY, "type: takes"},
    /* 11 */ {"order_by:colour", 0, DESK_EQUERY, "unknown order_by"},
    /* 12 */ {"sort:sideways", 0, DESK_EQUERY, "unknown sort"},
    /* 13 */ {"-order_by:created", 0, DESK_EQUERY, "order_by: takes"},
    /* 14 */ {"*", 0, DESK_EQUERY, "wildcard needs a prefix"},
    /* 15 */ {"subject:*", 0, DESK_EQUERY, "wildcard needs a prefix"},
    /* 16 */ {"a\xff", 0, DESK_EQUERY, "not valid UTF-8"},
    /* 17 */ {"\xc3", 0, DESK_EQUERY, "not valid UTF-8"},
    /* 18 */ {"a\0b", 3, DESK_EQUERY, "not valid UTF-8"},
    /* 19 */ {"\xed\xa0\x80", 0, DESK_EQUERY, "not valid UTF-8"}, /* a surrogate */
    /* 20 */ {"sort:asc*", 0, DESK_EQUERY, "sort: takes"},
};

static void test_bad(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct desk_arena a;
        desk_arena_init(&a);
        struct desk_sq q = {.n_terms = 777};
        struct desk_fail fail = {0};
        size_t len = bad[i].len ? bad[i].len : strlen(bad[i].q);
        int rc = desk_sq_parse(&a, bad[i].q, len, &q, &fail);
        if (rc != bad[i].rc) {
            fail_msg("case %zu: rc %d, want %d", i + 1, rc, bad[i].rc);
        }
        assert_int_equal(fail.n, 1);
        assert_string_equal(fail.items[0].field, "query");
        if (!strstr(fail.items[0].description, bad[i].reason)) {
            fail_msg("case %zu: reason \"%s\", want \"%s\"", i + 1, fail.items[0].description,
                     bad[i].reason);
        }
        assert_int_equal(q.n_terms, 777); /* out untouched on failure */
        desk_arena_release(&a);
    }
}

/* The caps: DESK_SQ_MAX_LEN bytes (ETOOBIG) and DESK_SQ_MAX_TERMS terms (EQUERY). */
static void test_limits(void **state)
{
    (void)state;
    struct desk_arena a;
    desk_arena_init(&a);
    char buf[DESK_SQ_MAX_LEN + 2];
    struct desk_sq q;
    struct desk_fail fail = {0};

    memset(buf, 'a', sizeof(buf));
    assert_int_equal(desk_sq_parse(&a, buf, DESK_SQ_MAX_LEN, &q, &fail), 0);
    assert_int_equal(q.n_terms, 1);
    assert_int_equal(desk_sq_parse(&a, buf, DESK_SQ_MAX_LEN + 1, &q, &fail), DESK_ETOOBIG);
    assert_int_equal(fail.n, 1);
    assert_non_null(strstr(fail.items[0].description, "longer than"));

    /* Exactly the maximum number of terms parses; one more does not. */
    struct desk_buf b;
    desk_buf_init(&b, 0);
    for (int i = 0; i < DESK_SQ_MAX_TERMS; i++) {
        desk_buf_addf(&b, "w%d ", i);
    }
    /* Consumed keywords do not count as terms. */
    desk_buf_adds(&b, "type:ticket order_by:created sort:asc");
    fail.n = 0;
    assert_int_equal(desk_sq_parse(&a, b.data, b.len, &q, &fail), 0);
    assert_int_equal(q.n_terms, DESK_SQ_MAX_TERMS);
    desk_buf_adds(&b, " one-more");
    assert_int_equal(desk_sq_parse(&a, b.data, b.len, &q, &fail), DESK_EQUERY);
    assert_non_null(strstr(fail.items[0].description, "too many"));
    desk_buf_release(&b);

    /* The length given is obeyed even when the buffer goes on: "status:open" cut at "stat". */
    fail.n = 0;
    assert_int_equal(desk_sq_parse(&a, "status:open", 4, &q, &fail), 0);
    assert_int_equal(q.n_terms, 1);
    assert_string_equal(q.terms[0].value, "stat");
    /* And a cut inside a quote is an unterminated quote. */
    assert_int_equal(desk_sq_parse(&a, "\"ab\"", 3, &q, &fail), DESK_EQUERY);
    desk_arena_release(&a);
}

/* A NULL fail is allowed (desk_fail ignores it). */
static void test_null_fail(void **state)
{
    (void)state;
    struct desk_arena a;
    desk_arena_init(&a);
    struct desk_sq q;
    assert_int_equal(desk_sq_parse(&a, "\"x", 2, &q, NULL), DESK_EQUERY);
    assert_int_equal(desk_sq_parse(&a, "x", 1, &q, NULL), 0);
    desk_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_null_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
