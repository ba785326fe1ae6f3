/*
 * The search query parser: turns a Zendesk-style query string (untrusted,
 * straight from the URL) into terms for the store. It only splits, unquotes
 * and classifies; which keywords exist and what values mean is the store's
 * business. Every read is bounded by the length given, so arbitrary bytes
 * are safe (tests/fuzz/fuzz_search.c).
 */
#include "model/search.h"
#include "core/str.h"

#include <assert.h>
#include <string.h>

#define FIELD       "query"
#define EQUERY_NAME "InvalidQuery"

/* The parse in progress; *out is only written once it succeeds. */
struct parser {
    struct desk_arena *a;
    const char *s;
    size_t len;
    size_t i;
    struct desk_sq q;
    bool type_set;
    struct desk_fail *fail;
};

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_ident(char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9') || c == '_';
}

static int bad(struct parser *p, const char *why)
{
    return desk_fail(p->fail, DESK_EQUERY, FIELD, EQUERY_NAME, why);
}

/* Length of the operator at s[i..len) (0 when there is none); sets *op. */
static size_t scan_op(const char *s, size_t len, size_t i, enum desk_sq_op *op)
{
    size_t start = i;
    bool colon = false;
    if (i < len && s[i] == ':') {
        colon = true;
        i++;
    }
    if (i < len && (s[i] == '<' || s[i] == '>')) {
        bool lt = s[i] == '<';
        i++;
        if (i < len && s[i] == '=') {
            *op = lt ? DESK_SQ_LE : DESK_SQ_GE;
            i++;
        } else {
            *op = lt ? DESK_SQ_LT : DESK_SQ_GT;
        }
        return i - start;
    }
    if (colon) {
        *op = DESK_SQ_EQ;
        return 1;
    }
    return 0;
}

/*
 * Reads a value at p->i: a "quoted string" (which may be followed by '*')
 * or a run up to white space or a quote, whose trailing '*'s mark a
 * wildcard. Sets *v (arena) and *wild; *v is "" for a missing value.
 */
static int scan_value(struct parser *p, const char **v, bool *wild)
{
    const char *s = p->s;
    size_t len = p->len;
    *wild = false;
    if (p->i < len && s[p->i] == '"') {
        size_t start = ++p->i;
        while (p->i < len && s[p->i] != '"') {
            p->i++;
        }
        if (p->i >= len) {
            return bad(p, "unterminated quote");
        }
        *v = desk_arena_strndup(p->a, s + start, p->i - start);
        p->i++; /* the closing quote */
        while (p->i < len && s[p->i] == '*') {
            *wild = true;
            p->i++;
        }
        return 0;
    }
    size_t start = p->i;
    while (p->i < len && !is_space(s[p->i]) && s[p->i] != '"') {
        p->i++;
    }
    size_t end = p->i;
    while (end > start && s[end - 1] == '*') {
        *wild = true;
        end--;
    }
    if (*wild && end == start) {
        return bad(p, "a wildcard needs a prefix, e.g. photo*");
    }
    *v = desk_arena_strndup(p->a, s + start, end - start);
    return 0;
}

static int add_term(struct parser *p, const struct desk_sq_term *t)
{
    if (p->q.n_terms >= DESK_SQ_MAX_TERMS) {
        return bad(p, "too many search terms (at most 32)");
    }
    p->q.terms[p->q.n_terms++] = *t;
    return 0;
}

/* type:ticket|user|organization|group, or a ticket type used as ticket_type. */
static int take_type(struct parser *p, struct desk_sq_term *t)
{
    static const struct {
        const char *name;
        enum desk_sq_type type;
    } types[] = {{"ticket", DESK_SQ_TICKET},
                 {"user", DESK_SQ_USER},
                 {"organization", DESK_SQ_ORG},
                 {"group", DESK_SQ_GROUP}};
    static const char *const ttypes[] = {"question", "incident", "problem", "task"};
    size_t n = strlen(t->value);
    for (size_t k = 0; k < sizeof(ttypes) / sizeof(ttypes[0]); k++) {
        if (desk_str_ieq(t->value, n, ttypes[k])) {
            t->field = "ticket_type";
            return add_term(p, t);
        }
    }
    for (size_t k = 0; k < sizeof(types) / sizeof(types[0]); k++) {
        if (!desk_str_ieq(t->value, n, types[k].name)) {
            continue;
        }
        if (t->negated || t->op != DESK_SQ_EQ || t->wildcard) {
            return bad(p, "type: takes one of ticket, user, organization, group and no operator");
        }
        if (p->type_set && p->q.type != types[k].type) {
            return bad(p, "conflicting type: keywords");
        }
        p->type_set = true;
        p->q.type = types[k].type;
        return 0;
    }
    return bad(p, "unknown type: use ticket, user, organization or group");
}

static int take_order(struct parser *p, const struct desk_sq_term *t)
{
    /* Canonical names (static strings) first; the API's *_at spellings map onto them. */
    static const struct {
        const char *name;
        const char *canon;
    } keys[] = {
        {"created", "created"},    {"updated", "updated"},         {"priority", "priority"},
        {"status", "status"},      {"ticket_type", "ticket_type"}, {"commented", "commented"},
        {"created_at", "created"}, {"updated_at", "updated"},      {"type", "ticket_type"}};
    if (t->negated || t->op != DESK_SQ_EQ || t->wildcard) {
        return bad(p, "order_by: takes a field and no operator");
    }
    size_t n = strlen(t->value);
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        if (desk_str_ieq(t->value, n, keys[k].name)) {
            p->q.order_by = keys[k].canon;
            return 0;
        }
    }
    return bad(p, "unknown order_by: use created, updated, priority, status, ticket_type or "
                  "commented");
}

static int take_sort(struct parser *p, const struct desk_sq_term *t)
{
    size_t n = strlen(t->value);
    if (t->negated || t->op != DESK_SQ_EQ || t->wildcard) {
        return bad(p, "sort: takes asc or desc and no operator");
    }
    if (desk_str_ieq(t->value, n, "asc")) {
        p->q.desc = false;
    } else if (desk_str_ieq(t->value, n, "desc")) {
        p->q.desc = true;
    } else {
        return bad(p, "unknown sort: use asc or desc");
    }
    return 0;
}

/* One term starting at p->i (not white space). */
static int parse_term(struct parser *p)
{
    const char *s = p->s;
    size_t len = p->len;
    struct desk_sq_term t = {.kind = DESK_SQ_WORD, .op = DESK_SQ_EQ};

    if (s[p->i] == '-') {
        p->i++;
        if (p->i >= len || is_space(s[p->i])) {
            return 0; /* a lone dash negates nothing: ignore it */
        }
        t.negated = true;
    }

    if (s[p->i] == '"') {
        int rc = scan_value(p, &t.value, &t.wildcard);
        if (rc) {
            return rc;
        }
        /* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): set by scan_value (rc was 0) */
        if (t.value[0] == '\0') {
            return 0; /* "" says nothing */
        }
        t.kind = DESK_SQ_PHRASE;
        return add_term(p, &t);
    }

    /* field op value: a keyword is a letter then letters, digits or '_'. */
    size_t k = p->i;
    if (is_alpha(s[k])) {
        while (k < len && is_ident(s[k])) {
            k++;
        }
        enum desk_sq_op op = DESK_SQ_EQ;
        size_t oplen = scan_op(s, len, k, &op);
        if (oplen) {
            char *field = desk_arena_strndup(p->a, s + p->i, k - p->i);
            desk_str_lower(field);
            p->i = k + oplen;
            t.kind = DESK_SQ_FIELD;
            t.field = field;
            t.op = op;
            int rc = scan_value(p, &t.value, &t.wildcard);
            if (rc) {
                return rc;
            }
            /* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): set by scan_value (rc was 0) */
            if (t.value[0] == '\0') {
                return bad(p, desk_arena_printf(p->a, "empty value for %.40s", field));
            }
            if (strcmp(field, "type") == 0) {
                return take_type(p, &t);
            }
            if (strcmp(field, "order_by") == 0) {
                return take_order(p, &t);
            }
            if (strcmp(field, "sort") == 0) {
                return take_sort(p, &t);
            }
            return add_term(p, &t);
        }
    }

    int rc = scan_value(p, &t.value, &t.wildcard);
    if (rc) {
        return rc;
    }
    /* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): set by scan_value (rc was 0) */
    if (t.value[0] == '\0') {
        return 0; /* nothing before a quote: the quote starts the next term */
    }
    return add_term(p, &t);
}

int desk_sq_parse(struct desk_arena *a, const char *q, size_t len, struct desk_sq *out,
                  struct desk_fail *fail)
{
    assert(a && out && (q || len == 0));
    struct parser p = {.a = a, .s = q, .len = len, .fail = fail};
    if (len > DESK_SQ_MAX_LEN) {
        return desk_fail(fail, DESK_ETOOBIG, FIELD, "RequestTooLarge",
                         "query longer than 1024 bytes");
    }
    if (len && !desk_str_utf8_valid(q, len)) {
        return bad(&p, "query is not valid UTF-8");
    }
    p.q.terms = desk_arena_alloc(a, DESK_SQ_MAX_TERMS * sizeof(struct desk_sq_term));
    p.q.type = DESK_SQ_ANY;
    p.q.desc = true;
    while (p.i < len) {
        if (is_space(q[p.i])) {
            p.i++;
            continue;
        }
        size_t before = p.i;
        int rc = parse_term(&p);
        if (rc) {
            return rc;
        }
        if (p.i == before) {
            p.i++; /* cannot happen: every term consumes input; stay finite regardless */
        }
    }
    *out = p.q;
    return 0;
}
