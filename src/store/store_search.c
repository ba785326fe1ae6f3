/*
 * Search in SQLite: turns a parsed query (model/search.h) into one SELECT
 * per result type, joined with UNION ALL, ordered and paged, plus a count.
 * The SQL text is built only from fixed fragments here; every value the
 * user typed reaches SQLite as a bound parameter, and text for the FTS5
 * index is always a quoted string, so user input is never FTS5 syntax.
 */
#include "model/fold.h"
#include "store/store_int.h"
#include "core/buf.h"
#include "core/str.h"
#include "core/time.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

/* Result types, as bits for the keyword table. */
enum { B_TICKET = 1, B_USER = 2, B_ORG = 4, B_GROUP = 8, B_ALL = 15 };

enum kw {
    KW_STATUS,
    KW_PRIORITY,
    KW_TTYPE,
    KW_TAGS,
    KW_SUBJECT,
    KW_DESCRIPTION,
    KW_COMMENT,
    KW_ASSIGNEE,
    KW_REQUESTER,
    KW_SUBMITTER,
    KW_COMMENTER,
    KW_CC,
    KW_GROUP,
    KW_ORGANIZATION,
    KW_VIA,
    KW_EXTERNAL_ID,
    KW_RECIPIENT,
    KW_CREATED,
    KW_UPDATED,
    KW_SOLVED,
    KW_DUE,
    KW_NAME,
    KW_EMAIL,
    KW_ROLE,
    KW_PHONE
};

/* Every keyword and the result types it applies to. */
static const struct kwdef {
    const char *name;
    enum kw kw;
    unsigned types;
} keywords[] = {
    {"status", KW_STATUS, B_TICKET},
    {"priority", KW_PRIORITY, B_TICKET},
    {"ticket_type", KW_TTYPE, B_TICKET},
    {"tags", KW_TAGS, B_TICKET | B_USER | B_ORG},
    {"tag", KW_TAGS, B_TICKET | B_USER | B_ORG},
    {"subject", KW_SUBJECT, B_TICKET},
    {"description", KW_DESCRIPTION, B_TICKET},
    {"comment", KW_COMMENT, B_TICKET},
    {"assignee", KW_ASSIGNEE, B_TICKET},
    {"requester", KW_REQUESTER, B_TICKET},
    {"submitter", KW_SUBMITTER, B_TICKET},
    {"commenter", KW_COMMENTER, B_TICKET},
    {"cc", KW_CC, B_TICKET},
    {"group", KW_GROUP, B_TICKET | B_USER},
    {"organization", KW_ORGANIZATION, B_TICKET | B_USER},
    {"via", KW_VIA, B_TICKET},
    {"external_id", KW_EXTERNAL_ID, B_TICKET | B_USER | B_ORG},
    {"recipient", KW_RECIPIENT, B_TICKET},
    {"created", KW_CREATED, B_ALL},
    {"updated", KW_UPDATED, B_ALL},
    {"solved", KW_SOLVED, B_TICKET},
    {"due_date", KW_DUE, B_TICKET},
    {"name", KW_NAME, B_USER | B_ORG | B_GROUP},
    {"email", KW_EMAIL, B_USER},
    {"role", KW_ROLE, B_USER},
    {"phone", KW_PHONE, B_USER},
};

static const struct kwdef *kw_find(const char *field)
{
    for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
        if (strcmp(keywords[i].name, field) == 0) {
            return &keywords[i];
        }
    }
    return NULL;
}

/* One bound parameter, in the order its '?' appears in the SQL text. */
struct bindv {
    enum { BV_NULL, BV_INT, BV_TEXT } kind;
    int64_t i;
    const char *s;
};

/* The query being built: SQL text and the values for its placeholders. */
struct qb {
    struct desk_arena *a;
    struct desk_buf sql;
    struct bindv *v;
    size_t n, cap;
    const struct desk_search_scope *scope;
    bool end_user;
    int64_t now_ms;
    struct desk_fail *fail;
};

static void add(struct qb *b, const char *s)
{
    desk_buf_adds(&b->sql, s); /* unbounded internal text: cannot fail */
}

static void push(struct qb *b, struct bindv v)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 32;
        struct bindv *nv = desk_arena_alloc(b->a, cap * sizeof(*nv));
        if (b->n) {
            memcpy(nv, b->v, b->n * sizeof(*nv));
        }
        b->v = nv;
        b->cap = cap;
    }
    b->v[b->n++] = v;
    add(b, "?");
}

static void p_int(struct qb *b, int64_t i)
{
    push(b, (struct bindv){.kind = BV_INT, .i = i});
}

static void p_text(struct qb *b, const char *s)
{
    push(b, (struct bindv){.kind = BV_TEXT, .s = s});
}

/* An id typed as digits, or NULL (which matches no id). */
static void p_id(struct qb *b, const char *s)
{
    int64_t id;
    if (s[0] != '-' && desk_str_to_i64(s, strlen(s), &id) == 0 && id > 0) {
        p_int(b, id);
    } else {
        push(b, (struct bindv){.kind = BV_NULL});
    }
}

static int bad(struct qb *b, const char *why)
{
    return desk_fail(b->fail, DESK_EQUERY, "query", "InvalidQuery", why);
}

static bool ieq(const char *s, const char *lit)
{
    return desk_str_ieq(s, strlen(s), lit);
}

static bool all_digits(const char *s)
{
    if (!*s) {
        return false;
    }
    for (; *s; s++) {
        if (*s < '0' || *s > '9') {
            return false;
        }
    }
    return true;
}

static const char *op_sql(enum desk_sq_op op)
{
    switch (op) {
    case DESK_SQ_LT:
        return " < ";
    case DESK_SQ_LE:
        return " <= ";
    case DESK_SQ_GT:
        return " > ";
    case DESK_SQ_GE:
        return " >= ";
    case DESK_SQ_EQ:
        break;
    }
    return " = ";
}

/* ---- text ------------------------------------------------------------- */

/*
 * True when s has a character the unicode61 tokenizer keeps (letters and
 * digits). A word of punctuation only would be an empty FTS5 phrase, which
 * matches nothing and so would empty every AND; such words are dropped.
 * Non-ASCII counts as a letter except the common punctuation, symbol and
 * emoji blocks (an approximation of unicode61's categories).
 */
static bool has_token(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    while (*s) {
        unsigned c = *s;
        if (c < 0x80) {
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                return true;
            }
            s++;
            continue;
        }
        /* Valid UTF-8 (the parser checked it): decode one code point. */
        size_t n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
        unsigned cp = c & (0x3F >> n);
        for (size_t k = 1; k <= n && s[k]; k++) {
            cp = (cp << 6) | (s[k] & 0x3F);
        }
        bool punct = (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
                     (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
                     (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
                     (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0x1F000 && cp <= 0x1FAFF);
        if (!punct) {
            return true;
        }
        for (size_t k = 0; k <= n && *s; k++) {
            s++;
        }
    }
    return false;
}

/*
 * An FTS5 query for value: one quoted string (inner quotes doubled), so
 * whatever the user typed is only ever tokens; optionally a prefix query
 * and restricted to cols ("{subject public_text}").
 */
static const char *fts_query(struct qb *b, const char *cols, const char *value, bool prefix)
{
    struct desk_buf q;
    desk_buf_init(&q, 0);
    if (cols) {
        desk_buf_adds(&q, cols);
        desk_buf_adds(&q, " : ");
    }
    desk_buf_adds(&q, "\"");
    for (const char *p = value; *p; p++) {
        desk_buf_add(&q, p, 1);
        if (*p == '"') {
            desk_buf_add(&q, p, 1);
        }
    }
    desk_buf_adds(&q, prefix ? "\"*" : "\"");
    const char *out = desk_arena_strdup(b->a, q.data);
    desk_buf_release(&q);
    return out;
}

/* s folded for comparison with desk_fold(column), in the query's arena. */
static const char *folded(struct qb *b, const char *s)
{
    size_t n = strlen(s);
    char *out = desk_arena_alloc(b->a, 3 * n + 1);
    desk_fold(s, n, out, 3 * n + 1);
    return out;
}

/* A LIKE pattern (escape '\') for s, with '%' before and/or after. */
static const char *like_pat(struct qb *b, const char *pre, const char *s, const char *post)
{
    size_t n = strlen(s);
    char *out = desk_arena_alloc(b->a, strlen(pre) + 2 * n + strlen(post) + 1);
    char *o = out;
    for (const char *p = pre; *p; p++) {
        *o++ = *p;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' || s[i] == '_' || s[i] == '\\') {
            *o++ = '\\';
        }
        *o++ = s[i];
    }
    for (const char *p = post; *p; p++) {
        *o++ = *p;
    }
    *o = '\0';
    return out;
}

static void fts_in(struct qb *b, const char *query)
{
    add(b, "t.id IN (SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH ");
    p_text(b, query);
    add(b, ")");
}

/* Columns a bare word may match: end users never see internal notes. */
static const char *text_cols(const struct qb *b)
{
    return b->end_user ? "{subject public_text}" : NULL;
}

/*
 * Words and phrases in a plain-text column (names): a word must start at
 * the beginning or after a space; prefix matches a word prefix, else the
 * word must also end at a space or the end.
 */
static void words_like(struct qb *b, const char *col, const char *v, bool prefix)
{
    /* Both sides folded (model/fold.h): "novak" finds "Novák", "lukasz" "Łukasz". */
    v = folded(b, v);
    if (prefix) {
        add(b, "(desk_fold(");
        add(b, col);
        add(b, ") LIKE ");
        p_text(b, like_pat(b, "", v, "%"));
        add(b, " ESCAPE '\\' OR desk_fold(");
        add(b, col);
        add(b, ") LIKE ");
        p_text(b, like_pat(b, "% ", v, "%"));
        add(b, " ESCAPE '\\')");
    } else {
        add(b, "(' ' || desk_fold(");
        add(b, col);
        add(b, ") || ' ') LIKE ");
        p_text(b, like_pat(b, "% ", v, " %"));
        add(b, " ESCAPE '\\'");
    }
}

/* A word or phrase for result type bit (the condition only, no AND). */
static void text_term(struct qb *b, unsigned type, const struct desk_sq_term *t)
{
    bool word = t->kind == DESK_SQ_WORD;
    /* Bare words match whole words or word prefixes (Zendesk: "top" finds "topology"). */
    bool prefix = word || t->wildcard;
    switch (type) {
    case B_TICKET:
        add(b, "(");
        fts_in(b, fts_query(b, text_cols(b), t->value, prefix));
        if (word && !t->wildcard && all_digits(t->value)) {
            add(b, " OR t.id = "); /* a number alone is also that ticket */
            p_id(b, t->value);
        }
        if (word && !b->end_user) {
            add(b, " OR t.id IN (SELECT ticket_id FROM ticket_tags WHERE tag LIKE ");
            p_text(b, like_pat(b, "", t->value, "%"));
            add(b, " ESCAPE '\\')");
        }
        add(b, ")");
        break;
    case B_USER:
        add(b, "(");
        words_like(b, "u.name", t->value, prefix);
        if (word) {
            add(b, " OR u.id IN (SELECT user_id FROM identities WHERE value LIKE ");
            p_text(b, like_pat(b, "", t->value, "%"));
            add(b, " ESCAPE '\\')");
        }
        add(b, ")");
        break;
    case B_ORG:
        words_like(b, "o.name", t->value, prefix);
        break;
    default:
        words_like(b, "g.name", t->value, prefix);
        break;
    }
}

/* ---- values ----------------------------------------------------------- */

/* SQL for the set of user ids named by v: id, email, name, or a prefix of a name or email. */
static void user_set(struct qb *b, const struct desk_sq_term *t)
{
    if (ieq(t->value, "me")) {
        add(b, "(");
        if (b->scope->viewer_id > 0) {
            p_int(b, b->scope->viewer_id);
        } else {
            add(b, "NULL");
        }
        add(b, ")");
    } else if (t->wildcard) {
        add(b, "(SELECT id FROM users WHERE desk_fold(name) LIKE ");
        p_text(b, like_pat(b, "", folded(b, t->value), "%"));
        add(b, " ESCAPE '\\' UNION SELECT user_id FROM identities WHERE type = 'email' AND "
               "value LIKE ");
        p_text(b, like_pat(b, "", t->value, "%"));
        add(b, " ESCAPE '\\')");
    } else {
        add(b, "(SELECT id FROM users WHERE id = ");
        p_id(b, t->value);
        add(b, " OR desk_fold(name) = ");
        p_text(b, folded(b, t->value));
        add(b, " UNION SELECT user_id FROM identities WHERE type = 'email' AND "
               "value = lower(");
        p_text(b, t->value);
        add(b, "))");
    }
}

/* SQL for the ids of organizations (table "organizations") or groups named by v. */
static void named_set(struct qb *b, const char *table, const struct desk_sq_term *t)
{
    add(b, "(SELECT id FROM ");
    add(b, table);
    if (t->wildcard) {
        add(b, " WHERE desk_fold(name) LIKE ");
        p_text(b, like_pat(b, "", folded(b, t->value), "%"));
        add(b, " ESCAPE '\\')");
    } else {
        add(b, " WHERE id = ");
        p_id(b, t->value);
        add(b, " OR desk_fold(name) = ");
        p_text(b, folded(b, t->value));
        add(b, ")");
    }
}

/* col IN (set) for a user reference; "none" is NULL. */
static void user_ref(struct qb *b, const char *col, const struct desk_sq_term *t)
{
    add(b, col);
    if (ieq(t->value, "none")) {
        add(b, " IS NULL");
        return;
    }
    add(b, " IN ");
    user_set(b, t);
}

static void named_ref(struct qb *b, const char *col, const char *table,
                      const struct desk_sq_term *t)
{
    add(b, col);
    if (ieq(t->value, "none")) {
        add(b, " IS NULL");
        return;
    }
    add(b, " IN ");
    named_set(b, table, t);
}

/* Plain equality on a text column (case-insensitive); wildcard is a prefix; "none" is NULL. */
static void text_eq(struct qb *b, const char *col, const struct desk_sq_term *t)
{
    add(b, col);
    if (ieq(t->value, "none")) {
        add(b, " IS NULL");
    } else if (t->wildcard) {
        add(b, " LIKE ");
        p_text(b, like_pat(b, "", t->value, "%"));
        add(b, " ESCAPE '\\'");
    } else {
        add(b, " = ");
        p_text(b, t->value);
        add(b, " COLLATE NOCASE");
    }
}

/* A tag in a space-separated tags column (users, organizations). */
static void tags_col(struct qb *b, const char *col, const struct desk_sq_term *t)
{
    if (ieq(t->value, "none")) {
        add(b, col);
        add(b, " = ''");
        return;
    }
    add(b, "(' ' || ");
    add(b, col);
    add(b, " || ' ') LIKE ");
    p_text(b, like_pat(b, "% ", t->value, t->wildcard ? "%" : " %"));
    add(b, " ESCAPE '\\'");
}

/* ---- dates ------------------------------------------------------------ */

#define MINUTE_MS 60000LL
#define DAY_MS    86400000LL
/* An instant before anything desk stores, for relative values past the calendar. */
#define DISTANT_PAST (-(1LL << 60))

/* now minus n calendar months, day clamped to the month's end (Mar 31 - 1 month = Feb 28/29). */
static int64_t months_ago(int64_t now, int64_t n)
{
    char iso[21];
    desk_time_iso(now, iso); /* YYYY-MM-DDTHH:MM:SSZ */
    int y = (iso[0] - '0') * 1000 + (iso[1] - '0') * 100 + (iso[2] - '0') * 10 + (iso[3] - '0');
    int m = (iso[5] - '0') * 10 + (iso[6] - '0');
    int d = (iso[8] - '0') * 10 + (iso[9] - '0');
    int64_t total = (int64_t)y * 12 + (m - 1) - n;
    if (n > (int64_t)12 * 10000 || total < 12) {
        return DISTANT_PAST;
    }
    int ny = (int)(total / 12), nm = (int)(total % 12) + 1;
    for (int dd = d; dd >= d - 3; dd--) { /* 31 → 28 at worst (February) */
        char buf[40];
        int64_t ms;
        int len = snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%.8sZ", ny, nm, dd, iso + 11);
        if (len > 0 && desk_time_parse(buf, (size_t)len, &ms) == 0) {
            return ms + (now % 1000 + 1000) % 1000;
        }
    }
    return DISTANT_PAST; /* unreachable: day 28 exists in every month */
}

/*
 * Relative values ("4hours", "2days", "1weeks", "3months", "1years",
 * "30minutes", singular or plural) name the instant that long before now.
 * Zendesk's search reference ("Searching by date and time") reads
 * created>4hours as "created in the last four hours" and created<4hours as
 * "created more than four hours ago"; that is what comparing against the
 * instant gives, and it is how clients use it (updated>24hours,
 * created>1week for "the last week"). A relative value with ':' means the
 * same as '>=' (within the last ...).
 */
static bool relative(const char *v, int64_t now, int64_t *at)
{
    static const struct {
        const char *unit;
        int64_t ms; /* 0: calendar months, with months_per */
        int months_per;
    } units[] = {{"minute", MINUTE_MS, 0},
                 {"minutes", MINUTE_MS, 0},
                 {"hour", 60 * MINUTE_MS, 0},
                 {"hours", 60 * MINUTE_MS, 0},
                 {"day", DAY_MS, 0},
                 {"days", DAY_MS, 0},
                 {"week", 7 * DAY_MS, 0},
                 {"weeks", 7 * DAY_MS, 0},
                 {"month", 0, 1},
                 {"months", 0, 1},
                 {"year", 0, 12},
                 {"years", 0, 12}};
    size_t nd = 0;
    while (v[nd] >= '0' && v[nd] <= '9') {
        nd++;
    }
    int64_t n;
    if (nd == 0 || desk_str_to_i64(v, nd, &n) != 0) {
        return false;
    }
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (!ieq(v + nd, units[i].unit)) {
            continue;
        }
        if (units[i].ms) {
            *at = n > (INT64_C(1) << 58) / units[i].ms ? DISTANT_PAST : now - n * units[i].ms;
        } else {
            *at = n > (int64_t)12 * 10000 ? DISTANT_PAST : months_ago(now, n * units[i].months_per);
        }
        return true;
    }
    return false;
}

/*
 * An absolute value: YYYY-MM-DD is that whole UTC day; a timestamp is its
 * second (or minute, or millisecond, as precise as written). Sets the start
 * and the span.
 */
static bool absolute(const char *v, int64_t *at, int64_t *span)
{
    size_t len = strlen(v);
    if (desk_time_parse(v, len, at) != 0) {
        return false;
    }
    if (len == 10) {
        *span = DAY_MS;
    } else if (len > 16 && v[16] == ':') {
        *span = len > 19 && v[19] == '.' ? 1 : 1000;
    } else {
        *span = MINUTE_MS;
    }
    return true;
}

static int date_cond(struct qb *b, const char *col, const struct desk_sq_term *t)
{
    int64_t at, span = 0;
    if (ieq(t->value, "none") && t->op == DESK_SQ_EQ) {
        add(b, col);
        add(b, " IS NULL");
        return 0;
    }
    if (!relative(t->value, b->now_ms, &at) && !absolute(t->value, &at, &span)) {
        return bad(b, desk_arena_printf(b->a,
                                        "invalid date for %s: use YYYY-MM-DD, an ISO 8601 time "
                                        "or a relative time such as 4hours or 2days",
                                        t->field));
    }
    add(b, col);
    switch (t->op) {
    case DESK_SQ_EQ:
        add(b, " >= ");
        p_int(b, at);
        if (span) {
            add(b, " AND ");
            add(b, col);
            add(b, " < ");
            p_int(b, at + span);
        }
        break;
    case DESK_SQ_LT:
        add(b, " < ");
        p_int(b, at);
        break;
    case DESK_SQ_LE:
        add(b, span ? " < " : " <= ");
        p_int(b, at + span);
        break;
    case DESK_SQ_GT:
        add(b, span ? " >= " : " > ");
        p_int(b, at + span);
        break;
    case DESK_SQ_GE:
        add(b, " >= ");
        p_int(b, at);
        break;
    }
    return 0;
}

/* ---- field terms ------------------------------------------------------ */

static int need_eq(struct qb *b, const struct desk_sq_term *t)
{
    if (t->op != DESK_SQ_EQ) {
        return bad(b, desk_arena_printf(b->a, "%s takes ':' only, not < or >", t->field));
    }
    return 0;
}

static int ticket_field(struct qb *b, const struct kwdef *k, const struct desk_sq_term *t)
{
    int v, rc;
    switch (k->kw) {
    case KW_STATUS:
        if (desk_status_parse(t->value, &v) != 0) {
            return bad(b, "invalid status: use new, open, pending, hold, solved or closed");
        }
        add(b, "t.status");
        add(b, op_sql(t->op));
        p_int(b, v);
        return 0;
    case KW_PRIORITY:
        if (ieq(t->value, "none")) {
            v = DESK_PRIORITY_NONE;
        } else if (desk_priority_parse(t->value, &v) != 0) {
            return bad(b, "invalid priority: use low, normal, high, urgent or none");
        }
        /* low < normal < high < urgent; tickets without a priority are outside that order. */
        if (t->op != DESK_SQ_EQ && v != DESK_PRIORITY_NONE) {
            add(b, "t.priority > 0 AND ");
        }
        add(b, "t.priority");
        add(b, op_sql(t->op));
        p_int(b, v);
        return 0;
    case KW_TTYPE:
        if ((rc = need_eq(b, t)) != 0) {
            return rc;
        }
        if (ieq(t->value, "none")) {
            v = DESK_TTYPE_NONE;
        } else if (desk_ttype_parse(t->value, &v) != 0) {
            return bad(b, "invalid ticket_type: use question, incident, problem, task or none");
        }
        add(b, "t.type = ");
        p_int(b, v);
        return 0;
    case KW_VIA:
        if ((rc = need_eq(b, t)) != 0) {
            return rc;
        }
        if (desk_via_parse(t->value, &v) != 0) {
            return bad(b, "invalid via: use api, web, email, chat, voice, portal, rule or cli");
        }
        add(b, "t.via = ");
        p_int(b, v);
        return 0;
    case KW_CREATED:
        return date_cond(b, "t.created_at", t);
    case KW_UPDATED:
        return date_cond(b, "t.updated_at", t);
    case KW_SOLVED:
        return date_cond(b, "t.solved_at", t);
    case KW_DUE:
        return date_cond(b, "t.due_at", t);
    default:
        break;
    }
    /* Everything below compares names or text: equality only. */
    if ((rc = need_eq(b, t)) != 0) {
        return rc;
    }
    switch (k->kw) {
    case KW_TAGS:
        if (ieq(t->value, "none")) {
            add(b, "NOT EXISTS (SELECT 1 FROM ticket_tags tt WHERE tt.ticket_id = t.id)");
        } else if (t->wildcard) {
            add(b, "t.id IN (SELECT ticket_id FROM ticket_tags WHERE tag LIKE ");
            p_text(b, like_pat(b, "", t->value, "%"));
            add(b, " ESCAPE '\\')");
        } else {
            add(b, "t.id IN (SELECT ticket_id FROM ticket_tags WHERE tag = lower(");
            p_text(b, t->value);
            add(b, "))");
        }
        break;
    case KW_SUBJECT:
        fts_in(b, fts_query(b, "{subject}", t->value, t->wildcard));
        break;
    case KW_DESCRIPTION:
        /* The description is the first public comment, kept in public_text. */
        fts_in(b, fts_query(b, "{public_text}", t->value, t->wildcard));
        break;
    case KW_COMMENT:
        fts_in(b, fts_query(b, b->end_user ? "{public_text}" : "{public_text private_text}",
                            t->value, t->wildcard));
        break;
    case KW_ASSIGNEE:
        user_ref(b, "t.assignee_id", t);
        break;
    case KW_REQUESTER:
        user_ref(b, "t.requester_id", t);
        break;
    case KW_SUBMITTER:
        user_ref(b, "t.submitter_id", t);
        break;
    case KW_COMMENTER:
        if (ieq(t->value, "none")) {
            add(b, "NOT EXISTS (SELECT 1 FROM comments cm WHERE cm.ticket_id = t.id)");
            break;
        }
        /* End users must not learn who wrote internal notes. */
        add(b, b->end_user ? "t.id IN (SELECT ticket_id FROM comments WHERE public = 1 AND "
                             "author_id IN "
                           : "t.id IN (SELECT ticket_id FROM comments WHERE author_id IN ");
        user_set(b, t);
        add(b, ")");
        break;
    case KW_CC:
        if (ieq(t->value, "none")) {
            add(b, "NOT EXISTS (SELECT 1 FROM ticket_collaborators tc WHERE tc.ticket_id = t.id)");
            break;
        }
        add(b, "t.id IN (SELECT ticket_id FROM ticket_collaborators WHERE user_id IN ");
        user_set(b, t);
        add(b, ")");
        break;
    case KW_GROUP:
        named_ref(b, "t.group_id", "groups", t);
        break;
    case KW_ORGANIZATION:
        named_ref(b, "t.organization_id", "organizations", t);
        break;
    case KW_EXTERNAL_ID:
        text_eq(b, "t.external_id", t);
        break;
    case KW_RECIPIENT:
        text_eq(b, "t.recipient", t);
        break;
    default:
        return bad(b, "keyword does not apply to tickets"); /* excluded by the keyword table */
    }
    return 0;
}

static int user_field(struct qb *b, const struct kwdef *k, const struct desk_sq_term *t)
{
    int rc;
    if (k->kw == KW_CREATED) {
        return date_cond(b, "u.created_at", t);
    }
    if (k->kw == KW_UPDATED) {
        return date_cond(b, "u.updated_at", t);
    }
    if ((rc = need_eq(b, t)) != 0) {
        return rc;
    }
    switch (k->kw) {
    case KW_NAME:
        words_like(b, "u.name", t->value, t->wildcard);
        break;
    case KW_EMAIL:
        if (ieq(t->value, "none")) {
            add(b, "u.id NOT IN (SELECT user_id FROM identities WHERE type = 'email')");
        } else if (t->wildcard) {
            add(b, "u.id IN (SELECT user_id FROM identities WHERE type = 'email' AND value LIKE ");
            p_text(b, like_pat(b, "", t->value, "%"));
            add(b, " ESCAPE '\\')");
        } else {
            add(b, "u.id IN (SELECT user_id FROM identities WHERE type = 'email' AND value = "
                   "lower(");
            p_text(b, t->value);
            add(b, "))");
        }
        break;
    case KW_ROLE: {
        int role;
        if (desk_role_parse(t->value, &role) != 0) {
            return bad(b, "invalid role: use end-user, agent or admin");
        }
        /* Zendesk has end-user, agent and admin; desk's supervisors are agents there. */
        add(b, role == DESK_ROLE_AGENT ? "u.role IN (1, 2)" : "u.role = ");
        if (role != DESK_ROLE_AGENT) {
            p_int(b, role);
        }
        break;
    }
    case KW_ORGANIZATION:
        named_ref(b, "u.organization_id", "organizations", t);
        break;
    case KW_GROUP:
        if (ieq(t->value, "none")) {
            add(b, "u.id NOT IN (SELECT user_id FROM group_memberships)");
            break;
        }
        add(b, "u.id IN (SELECT user_id FROM group_memberships WHERE group_id IN ");
        named_set(b, "groups", t);
        add(b, ")");
        break;
    case KW_TAGS:
        tags_col(b, "u.tags", t);
        break;
    case KW_EXTERNAL_ID:
        text_eq(b, "u.external_id", t);
        break;
    case KW_PHONE:
        if (ieq(t->value, "none")) {
            add(b, "u.phone IS NULL");
            break;
        }
        add(b, "(u.phone = ");
        p_text(b, t->value);
        add(b, " OR u.id IN (SELECT user_id FROM identities WHERE type = 'phone_number' AND "
               "value = ");
        p_text(b, t->value);
        add(b, "))");
        break;
    default:
        return bad(b, "keyword does not apply to users");
    }
    return 0;
}

static int org_field(struct qb *b, const struct kwdef *k, const struct desk_sq_term *t)
{
    int rc;
    if (k->kw == KW_CREATED) {
        return date_cond(b, "o.created_at", t);
    }
    if (k->kw == KW_UPDATED) {
        return date_cond(b, "o.updated_at", t);
    }
    if ((rc = need_eq(b, t)) != 0) {
        return rc;
    }
    switch (k->kw) {
    case KW_NAME:
        words_like(b, "o.name", t->value, t->wildcard);
        break;
    case KW_TAGS:
        tags_col(b, "o.tags", t);
        break;
    case KW_EXTERNAL_ID:
        text_eq(b, "o.external_id", t);
        break;
    default:
        return bad(b, "keyword does not apply to organizations");
    }
    return 0;
}

static int group_field(struct qb *b, const struct kwdef *k, const struct desk_sq_term *t)
{
    int rc;
    if (k->kw == KW_CREATED) {
        return date_cond(b, "g.created_at", t);
    }
    if (k->kw == KW_UPDATED) {
        return date_cond(b, "g.updated_at", t);
    }
    if ((rc = need_eq(b, t)) != 0) {
        return rc;
    }
    if (k->kw != KW_NAME) {
        return bad(b, "keyword does not apply to groups");
    }
    words_like(b, "g.name", t->value, t->wildcard);
    return 0;
}

/* ---- one SELECT per result type ----------------------------------------- */

/* True when the term adds a condition (words without letters or digits add none). */
static bool term_counts(const struct desk_sq_term *t)
{
    return t->kind == DESK_SQ_FIELD || has_token(t->value);
}

/*
 * Appends the rank source for tickets: the positive text terms OR'ed into
 * one FTS5 query, whose bm25 rank orders by relevance. Only called when
 * there is at least one such term.
 */
static void rank_join(struct qb *b, const struct desk_sq *q)
{
    struct desk_buf m;
    desk_buf_init(&m, 0);
    for (size_t i = 0; i < q->n_terms; i++) {
        const struct desk_sq_term *t = &q->terms[i];
        if (t->kind == DESK_SQ_FIELD || t->negated || !has_token(t->value)) {
            continue;
        }
        bool prefix = t->kind == DESK_SQ_WORD || t->wildcard;
        desk_buf_adds(&m, m.len ? " OR (" : "(");
        desk_buf_adds(&m, fts_query(b, text_cols(b), t->value, prefix));
        desk_buf_adds(&m, ")");
    }
    assert(m.len > 0);
    add(b, " LEFT JOIN (SELECT rowid AS fid, rank AS frank FROM ticket_fts WHERE ticket_fts "
           "MATCH ");
    p_text(b, desk_arena_strdup(b->a, m.data));
    add(b, ") f ON f.fid = t.id");
    desk_buf_release(&m);
}

/* Columns of a user, organization or group row; the same names as the ticket SELECT's. */
#define OTHER_COLS(x)                                                                              \
    "AS rtype, " x ".id AS id, 0.0 AS rnk, " x ".created_at AS created, " x ".updated_at AS "      \
    "updated, NULL AS prio, NULL AS st, NULL AS ttype, NULL AS commented"

static int select_type(struct qb *b, unsigned type, const struct desk_sq *q, bool relevance)
{
    switch (type) {
    case B_TICKET: {
        desk_buf_addf(&b->sql, "SELECT %d AS rtype, t.id AS id, ", DESK_SQ_TICKET);
        add(b, relevance ? "ifnull(f.frank, 0.0)" : "0.0");
        add(b, " AS rnk, t.created_at AS created, t.updated_at AS updated, t.priority AS prio, "
               "t.status AS st, t.type AS ttype, ");
        add(b, q->order_by && strcmp(q->order_by, "commented") == 0
                   ? "(SELECT max(cm.created_at) FROM comments cm WHERE cm.ticket_id = t.id)"
                   : "NULL");
        add(b, " AS commented FROM tickets t");
        if (relevance) {
            rank_join(b, q);
        }
        add(b, " WHERE t.deleted_at IS NULL");
        if (b->end_user) {
            add(b, " AND (t.requester_id = ");
            p_int(b, b->scope->viewer_id);
            if (b->scope->viewer_org) {
                add(b, " OR t.organization_id = ");
                p_int(b, b->scope->viewer_org);
            }
            add(b, ")");
        }
        if (b->scope->hidden_from) {
            add(b, " AND t.id NOT IN (SELECT ticket_id FROM ticket_hidden WHERE user_id = ");
            p_int(b, b->scope->hidden_from);
            add(b, ")");
        }
        break;
    }
    case B_USER:
        desk_buf_addf(&b->sql, "SELECT %d %s FROM users u WHERE u.active = 1", DESK_SQ_USER,
                      OTHER_COLS("u"));
        break;
    case B_ORG:
        desk_buf_addf(&b->sql, "SELECT %d %s FROM organizations o WHERE 1", DESK_SQ_ORG,
                      OTHER_COLS("o"));
        break;
    default:
        desk_buf_addf(&b->sql, "SELECT %d %s FROM groups g WHERE g.deleted = 0", DESK_SQ_GROUP,
                      OTHER_COLS("g"));
        break;
    }
    for (size_t i = 0; i < q->n_terms; i++) {
        const struct desk_sq_term *t = &q->terms[i];
        if (!term_counts(t)) {
            continue;
        }
        /* Negation keeps rows where the condition is false or unknown (NULL columns). */
        add(b, t->negated ? " AND NOT ifnull((" : " AND (");
        int rc = 0;
        if (t->kind != DESK_SQ_FIELD) {
            text_term(b, type, t);
        } else {
            const struct kwdef *k = kw_find(t->field);
            assert(k && (k->types & type)); /* types_for() checked every keyword */
            switch (type) {
            case B_TICKET:
                rc = ticket_field(b, k, t);
                break;
            case B_USER:
                rc = user_field(b, k, t);
                break;
            case B_ORG:
                rc = org_field(b, k, t);
                break;
            default:
                rc = group_field(b, k, t);
                break;
            }
        }
        if (rc) {
            return rc;
        }
        add(b, t->negated ? "), 0)" : ")");
    }
    return 0;
}

/* ---- running ---------------------------------------------------------- */

static void bind_all(sqlite3_stmt *st, const struct qb *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int at = (int)i + 1;
        switch (b->v[i].kind) {
        case BV_INT:
            sqlite3_bind_int64(st, at, b->v[i].i);
            break;
        case BV_TEXT:
            sqlite3_bind_text(st, at, b->v[i].s, -1, SQLITE_STATIC);
            break;
        case BV_NULL:
            sqlite3_bind_null(st, at);
            break;
        }
    }
}

static const char *order_col(const char *order_by)
{
    static const struct {
        const char *key, *col;
    } cols[] = {{"created", "created"}, {"updated", "updated"},   {"priority", "prio"},
                {"status", "st"},       {"ticket_type", "ttype"}, {"commented", "commented"}};
    for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
        if (order_by && strcmp(order_by, cols[i].key) == 0) {
            return cols[i].col;
        }
    }
    return NULL;
}

/* Which result types the query and the viewer allow, checking every keyword exists for them. */
static int types_for(struct qb *b, const struct desk_sq *q, unsigned *out)
{
    static const unsigned bits[] = {[DESK_SQ_ANY] = B_ALL,
                                    [DESK_SQ_TICKET] = B_TICKET,
                                    [DESK_SQ_USER] = B_USER,
                                    [DESK_SQ_ORG] = B_ORG,
                                    [DESK_SQ_GROUP] = B_GROUP};
    unsigned asked = (unsigned)q->type < sizeof(bits) / sizeof(bits[0]) ? bits[q->type] : 0;
    unsigned types = asked;
    for (size_t i = 0; i < q->n_terms; i++) {
        const struct desk_sq_term *t = &q->terms[i];
        if (t->kind != DESK_SQ_FIELD) {
            continue;
        }
        const struct kwdef *k = kw_find(t->field);
        if (!k) {
            return bad(b, desk_arena_printf(b->a, "unknown search keyword: %.40s", t->field));
        }
        if (!(k->types & asked)) {
            return bad(b,
                       desk_arena_printf(b->a, "keyword %s does not apply to this type", k->name));
        }
        /* A keyword a type lacks (status for users) leaves that type out, negated or not. */
        types &= k->types;
    }
    if (b->end_user) {
        types &= B_TICKET; /* end users find only tickets they may see */
    }
    *out = types;
    return 0;
}

static int run_count(struct desk_conn *c, struct qb *b, const char *unions, size_t n_binds,
                     int64_t *total)
{
    struct desk_buf sql;
    desk_buf_init(&sql, 0);
    desk_buf_addf(&sql, "SELECT count(*) FROM (%s)", unions);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, sql.data, (int)sql.len, &st, NULL);
    desk_buf_release(&sql);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(st);
        return desk_sqlite_err(c, rc, "search_count_prepare");
    }
    bind_all(st, b, n_binds);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *total = sqlite3_column_int64(st, 0);
        rc = 0;
    } else {
        rc = desk_sqlite_err(c, rc, "search_count");
    }
    sqlite3_finalize(st);
    return rc;
}

int desk_store_search(struct desk_conn *c, struct desk_arena *a, const struct desk_sq *q,
                      const struct desk_search_scope *scope, int64_t now_ms, int64_t offset,
                      int limit, struct desk_search_hit **hits, size_t *n, int64_t *total,
                      struct desk_fail *fail)
{
    assert(c && a && q && scope && hits && n && total);
    assert(q->n_terms == 0 || q->terms);
    struct qb b = {.a = a, .scope = scope, .now_ms = now_ms, .fail = fail};
    b.end_user = scope->viewer_role == DESK_ROLE_END_USER;
    desk_buf_init(&b.sql, 0);
    unsigned types = 0;
    int rc = types_for(&b, q, &types);
    if (rc) {
        desk_buf_release(&b.sql);
        return rc;
    }
    if (!types) {
        desk_buf_release(&b.sql);
        *hits = NULL;
        *n = 0;
        *total = 0;
        return 0;
    }

    const char *ocol = order_col(q->order_by);
    bool text = false;
    for (size_t i = 0; i < q->n_terms; i++) {
        const struct desk_sq_term *t = &q->terms[i];
        text |= t->kind != DESK_SQ_FIELD && !t->negated && has_token(t->value);
    }
    bool relevance = !ocol && text;

    /* Ticket, user, organization, group: one SELECT each, in that order. */
    static const unsigned order[] = {B_TICKET, B_USER, B_ORG, B_GROUP};
    bool first = true;
    for (size_t i = 0; i < 4 && !rc; i++) {
        if (!(types & order[i])) {
            continue;
        }
        if (!first) {
            add(&b, " UNION ALL ");
        }
        first = false;
        rc = select_type(&b, order[i], q, relevance && order[i] == B_TICKET);
    }
    if (rc) {
        desk_buf_release(&b.sql);
        return rc;
    }

    char *unions = desk_arena_strdup(a, b.sql.data);
    size_t n_binds = b.n;
    int64_t count = 0;
    if ((rc = run_count(c, &b, unions, n_binds, &count)) != 0) {
        desk_buf_release(&b.sql);
        return rc;
    }
    if (offset < 0) {
        offset = 0;
    }
    struct desk_search_hit *out = NULL;
    size_t got = 0;
    if (limit > 0 && offset < count) {
        const char *dir = q->desc ? "DESC" : "ASC";
        desk_buf_release(&b.sql);
        desk_buf_init(&b.sql, 0);
        desk_buf_addf(&b.sql, "SELECT rtype, id FROM (%s) ORDER BY ", unions);
        if (ocol) {
            desk_buf_addf(&b.sql, "%s %s, ", ocol, dir);
        } else if (relevance) {
            add(&b, "rnk ASC, "); /* bm25: lower is better */
        } else {
            desk_buf_addf(&b.sql, "updated %s, ", dir);
        }
        desk_buf_addf(&b.sql, "id %s, rtype LIMIT ", dir);
        p_int(&b, limit);
        add(&b, " OFFSET ");
        p_int(&b, offset);
        /* The page's own binds follow the union's, so b.v is in placeholder order. */

        int64_t room = count - offset < limit ? count - offset : limit;
        out = desk_arena_alloc(a, (size_t)room * sizeof(*out));
        sqlite3_stmt *st = NULL;
        rc = sqlite3_prepare_v2(c->db, b.sql.data, (int)b.sql.len, &st, NULL);
        if (rc != SQLITE_OK) {
            rc = desk_sqlite_err(c, rc, "search_prepare");
        } else {
            bind_all(st, &b, b.n);
            while ((rc = sqlite3_step(st)) == SQLITE_ROW && got < (size_t)room) {
                out[got].type = sqlite3_column_int(st, 0);
                out[got].id = sqlite3_column_int64(st, 1);
                got++;
            }
            rc = rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : desk_sqlite_err(c, rc, "search");
        }
        sqlite3_finalize(st);
    }
    desk_buf_release(&b.sql);
    if (rc) {
        return rc;
    }
    *hits = out;
    *n = got;
    *total = count;
    return 0;
}
