/*
 * Macro rules: language variant choice and placeholder filling (see
 * macro.h). Pure functions over records.
 */
#include "model/macro.h"
#include "core/buf.h"

#include <string.h>
#include <strings.h>

/* Length of the primary language subtag ("cs" in "cs-CZ"). */
static size_t primary_len(const char *tag)
{
    size_t n = strcspn(tag, "-_");
    return n;
}

const char *desk_macro_pick(const struct desk_macro *m, const char *language, const char **picked)
{
    *picked = NULL;
    if (language && *language) {
        for (size_t i = 0; i < m->n_variants; i++) {
            if (strcasecmp(m->variants[i].language, language) == 0) {
                *picked = m->variants[i].language;
                return m->variants[i].comment;
            }
        }
        size_t pl = primary_len(language);
        for (size_t i = 0; i < m->n_variants; i++) {
            const char *vl = m->variants[i].language;
            if (primary_len(vl) == pl && strncasecmp(vl, language, pl) == 0) {
                *picked = vl;
                return m->variants[i].comment;
            }
        }
    }
    return m->comment;
}

static const char *first_name(struct desk_arena *a, const char *name)
{
    if (!name) {
        return NULL;
    }
    size_t n = strcspn(name, " ");
    return desk_arena_strndup(a, name, n);
}

/* The value for one placeholder name, or NULL (*known false) when unknown. */
static const char *lookup(struct desk_arena *a, const char *key, size_t len,
                          const struct desk_macro_vars *v, bool *known)
{
    static const char *const names[] = {
        "ticket.id",
        "ticket.title",
        "ticket.subject",
        "ticket.requester.name",
        "ticket.requester.first_name",
        "ticket.requester.email",
        "current_user.name",
        "current_user.first_name",
        "current_user.email",
    };
    int which = -1;
    for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++) {
        if (strlen(names[i]) == len && memcmp(names[i], key, len) == 0) {
            which = i;
        }
    }
    *known = which >= 0;
    switch (which) {
    case 0:
        return v->ticket_id ? desk_arena_printf(a, "%lld", (long long)v->ticket_id) : NULL;
    case 1:
    case 2:
        return v->ticket_subject;
    case 3:
        return v->requester_name;
    case 4:
        return first_name(a, v->requester_name);
    case 5:
        return v->requester_email;
    case 6:
        return v->agent_name;
    case 7:
        return first_name(a, v->agent_name);
    case 8:
        return v->agent_email;
    default:
        return NULL;
    }
}

char *desk_macro_render(struct desk_arena *a, const char *text, const struct desk_macro_vars *v)
{
    struct desk_buf b;
    desk_buf_init(&b, 0);
    const char *p = text ? text : "";
    for (;;) {
        const char *open = strstr(p, "{{");
        if (!open) {
            desk_buf_adds(&b, p);
            break;
        }
        const char *close = strstr(open + 2, "}}");
        if (!close) {
            desk_buf_adds(&b, p);
            break;
        }
        desk_buf_add(&b, p, (size_t)(open - p));
        const char *k = open + 2, *e = close;
        while (k < e && *k == ' ') {
            k++;
        }
        while (e > k && e[-1] == ' ') {
            e--;
        }
        bool known;
        const char *val = lookup(a, k, (size_t)(e - k), v, &known);
        if (known) {
            desk_buf_adds(&b, val ? val : "");
        } else {
            desk_buf_add(&b, open, (size_t)(close + 2 - open));
        }
        p = close + 2;
    }
    char *out = desk_arena_strndup(a, b.data ? b.data : "", b.len);
    desk_buf_release(&b);
    return out;
}
