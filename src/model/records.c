/*
 * Wire names of the domain's enumerations, in one place so that parsing and
 * rendering agree.
 */
#include "model/records.h"
#include "core/error.h"
#include "core/str.h"
#include "core/arena.h"

#include <string.h>

static const char *const roles[] = {"end-user", "agent", "supervisor", "admin"};
static const char *const statuses[] = {"new",    "open",   "pending", "hold",
                                       "solved", "closed", "deleted"};
static const char *const priorities[] = {NULL, "low", "normal", "high", "urgent"};
static const char *const ttypes[] = {NULL, "question", "incident", "problem", "task", "complaint"};
static const char *const vias[] = {"api", "web", "email", "chat", "voice", "portal", "rule", "cli"};

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

static const char *name_of(const char *const *names, int n, int v)
{
    return v >= 0 && v < n ? names[v] : NULL;
}

static int parse_in(const char *const *names, int n, const char *s, int *out)
{
    if (!s) {
        return DESK_EINVAL;
    }
    for (int i = 0; i < n; i++) {
        if (names[i] && desk_str_ieq(s, strlen(s), names[i])) {
            *out = i;
            return 0;
        }
    }
    return DESK_EINVAL;
}

const char *desk_role_name(int role)
{
    return name_of(roles, N(roles), role);
}

int desk_role_parse(const char *s, int *out)
{
    /* "end_user" appears in some Zendesk payloads too. */
    if (s && desk_str_ieq(s, strlen(s), "end_user")) {
        *out = DESK_ROLE_END_USER;
        return 0;
    }
    return parse_in(roles, N(roles), s, out);
}

const char *desk_status_name(int status)
{
    return name_of(statuses, N(statuses), status);
}

int desk_status_parse(const char *s, int *out)
{
    /* "deleted" is never a status a client may set. */
    return parse_in(statuses, N(statuses) - 1, s, out);
}

const char *desk_priority_name(int priority)
{
    return name_of(priorities, N(priorities), priority);
}

int desk_priority_parse(const char *s, int *out)
{
    return parse_in(priorities, N(priorities), s, out);
}

const char *desk_ttype_name(int type)
{
    return name_of(ttypes, N(ttypes), type);
}

int desk_ttype_parse(const char *s, int *out)
{
    return parse_in(ttypes, N(ttypes), s, out);
}

const char *desk_via_name(int via)
{
    return name_of(vias, N(vias), via);
}

int desk_via_parse(const char *s, int *out)
{
    return parse_in(vias, N(vias), s, out);
}

bool desk_role_is_staff(int role)
{
    return role >= DESK_ROLE_AGENT;
}

struct desk_strv desk_strv_split(struct desk_arena *a, const char *s)
{
    struct desk_strv v = {NULL, 0};
    size_t n = 0;
    if (!s) {
        return v;
    }
    for (const char *p = s; *p;) {
        while (*p == ' ') {
            p++;
        }
        if (*p) {
            n++;
        }
        while (*p && *p != ' ') {
            p++;
        }
    }
    v.v = desk_arena_alloc(a, (n ? n : 1) * sizeof(char *));
    for (const char *p = s; *p;) {
        while (*p == ' ') {
            p++;
        }
        const char *start = p;
        while (*p && *p != ' ') {
            p++;
        }
        if (p > start) {
            v.v[v.n++] = desk_arena_strndup(a, start, (size_t)(p - start));
        }
    }
    return v;
}

char *desk_strv_join(struct desk_arena *a, const struct desk_strv *v)
{
    size_t len = 0;
    for (size_t i = 0; i < v->n; i++) {
        len += strlen(v->v[i]) + 1;
    }
    char *out = desk_arena_alloc(a, len + 1);
    char *p = out;
    for (size_t i = 0; i < v->n; i++) {
        size_t l = strlen(v->v[i]);
        if (p != out) {
            *p++ = ' ';
        }
        memcpy(p, v->v[i], l);
        p += l;
    }
    *p = '\0';
    return out;
}
