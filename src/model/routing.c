/*
 * The routing choice and its explanation (see routing.h). The candidate
 * loop is the hot path: cheap byte checks first, then the language and
 * skill scans, then capacity, and a comparison by cross-multiplication so
 * that no division happens per agent.
 */
#include "model/routing.h"
#include "core/buf.h"
#include "model/staff.h"

#include <string.h>

/* True when every id of need (ascending) is in have (ascending). */
static bool has_all(const int64_t *have, size_t n_have, const int64_t *need, size_t n_need)
{
    size_t i = 0;
    for (size_t k = 0; k < n_need; k++) {
        while (i < n_have && have[i] < need[k]) {
            i++;
        }
        if (i == n_have || have[i] != need[k]) {
            return false;
        }
        i++;
    }
    return true;
}

static bool speaks(const struct desk_route_agent *a, uint32_t lang)
{
    for (uint32_t i = 0; i < a->n_langs; i++) {
        if (a->langs[i] == lang) {
            return true;
        }
    }
    return false;
}

static int skip_of(const struct desk_route_ticket *t, const struct desk_route_agent *a)
{
    if (a->avail != DESK_AVAIL_ONLINE) {
        return DESK_SKIP_AWAY;
    }
    if (!a->on_shift) {
        return DESK_SKIP_OFF_SHIFT;
    }
    if (a->paused) {
        return DESK_SKIP_PAUSED;
    }
    if (a->excluded) {
        return DESK_SKIP_EXCLUDED;
    }
    if (t->lang && !t->any_language && !speaks(a, t->lang)) {
        return DESK_SKIP_LANGUAGE;
    }
    if (t->n_skills && !has_all(a->skills, a->n_skills, t->skills, t->n_skills)) {
        return DESK_SKIP_SKILLS;
    }
    if (!a->capacity) {
        return DESK_SKIP_NO_CAPACITY;
    }
    if (a->load >= a->capacity) {
        return DESK_SKIP_AT_CAPACITY;
    }
    return DESK_SKIP_NONE;
}

/* True when a is a better choice than b: lower load/capacity, then longer idle, then lower id. */
static bool better(const struct desk_route_agent *a, const struct desk_route_agent *b)
{
    uint64_t la = (uint64_t)a->load * b->capacity, lb = (uint64_t)b->load * a->capacity;
    if (la != lb) {
        return la < lb;
    }
    if (a->last_assigned_at != b->last_assigned_at) {
        return a->last_assigned_at < b->last_assigned_at;
    }
    return a->id < b->id;
}

void desk_route_choose(const struct desk_route_ticket *t, const struct desk_route_agent *agents,
                       size_t n, uint8_t *skips, struct desk_route_result *out)
{
    size_t best = n;
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < n; i++) {
        int s = skip_of(t, &agents[i]);
        out->skipped[s]++;
        if (skips) {
            skips[i] = (uint8_t)s;
        }
        if (s == DESK_SKIP_NONE && (best == n || better(&agents[i], &agents[best]))) {
            best = i;
        }
    }
    out->n_eligible = out->skipped[DESK_SKIP_NONE];
    if (best < n) {
        out->outcome = DESK_ROUTE_ASSIGNED;
        out->chosen = best;
        out->agent_id = agents[best].id;
        return;
    }
    /* Nobody: say which rule left the ticket waiting, by how far agents got. */
    size_t reached_lang = n - out->skipped[DESK_SKIP_AWAY] - out->skipped[DESK_SKIP_OFF_SHIFT] -
                          out->skipped[DESK_SKIP_PAUSED] - out->skipped[DESK_SKIP_EXCLUDED];
    size_t passed_lang = reached_lang - out->skipped[DESK_SKIP_LANGUAGE];
    size_t passed_skills = passed_lang - out->skipped[DESK_SKIP_SKILLS];
    if (reached_lang == 0) {
        out->outcome = DESK_ROUTE_NO_AGENT;
    } else if (passed_lang == 0) {
        out->outcome = DESK_ROUTE_LANGUAGE_UNMATCHED;
    } else if (passed_skills == 0) {
        out->outcome = DESK_ROUTE_SKILLS_UNMATCHED;
    } else {
        out->outcome = DESK_ROUTE_AT_CAPACITY;
    }
}

const char *desk_route_outcome_name(int outcome)
{
    static const char *const names[] = {"assigned", "no_agent", "language_unmatched",
                                        "skills_unmatched", "at_capacity"};
    return outcome >= 0 && outcome < DESK_ROUTE__COUNT ? names[outcome] : "unknown";
}

static void who(struct desk_buf *b, const struct desk_route_agent *a)
{
    if (a->name) {
        desk_buf_addf(b, "%s (agent %lld)", a->name, (long long)a->id);
    } else {
        desk_buf_addf(b, "agent %lld", (long long)a->id);
    }
}

static void lang_text(char out[4], uint32_t key)
{
    size_t k = 0;
    for (int shift = 16; shift >= 0; shift -= 8) {
        char c = (char)((key >> shift) & 0xff);
        if (c) {
            out[k++] = c;
        }
    }
    out[k] = '\0';
}

static void skip_text(struct desk_buf *b, int s, const struct desk_route_agent *a, const char *lang)
{
    switch (s) {
    case DESK_SKIP_AWAY:
        desk_buf_adds(b, desk_avail_name(a->avail) ? desk_avail_name(a->avail) : "unavailable");
        break;
    case DESK_SKIP_OFF_SHIFT:
        desk_buf_adds(b, "off shift");
        break;
    case DESK_SKIP_PAUSED:
        desk_buf_adds(b, "routing paused");
        break;
    case DESK_SKIP_EXCLUDED:
        desk_buf_adds(b, "just unassigned from this ticket");
        break;
    case DESK_SKIP_LANGUAGE:
        desk_buf_addf(b, "does not speak %s", lang ? lang : "the ticket's language");
        break;
    case DESK_SKIP_SKILLS:
        desk_buf_adds(b, "lacks a required skill");
        break;
    case DESK_SKIP_NO_CAPACITY:
        desk_buf_adds(b, "no capacity for this channel");
        break;
    case DESK_SKIP_AT_CAPACITY:
        desk_buf_addf(b, "at capacity %u/%u", a->load, a->capacity);
        break;
    default:
        desk_buf_addf(b, "load %u/%u", a->load, a->capacity);
        break;
    }
}

static void idle_text(struct desk_buf *b, const struct desk_route_agent *a, int64_t now_ms)
{
    if (!a->last_assigned_at) {
        desk_buf_adds(b, "no assignment yet");
        return;
    }
    int64_t min = (now_ms - a->last_assigned_at) / 60000;
    desk_buf_addf(b, "idle %lld min", (long long)(min > 0 ? min : 0));
}

void desk_route_explain(struct desk_buf *b, const struct desk_route_ticket *t, const char *lang,
                        const struct desk_route_agent *agents, size_t n, const uint8_t *skips,
                        const struct desk_route_result *r, int64_t now_ms, size_t max_listed)
{
    static const char *const reasons[] = {"eligible",       "unavailable",         "off shift",
                                          "paused",         "just unassigned",     "other language",
                                          "missing skills", "no channel capacity", "at capacity"};
    char primary[4];
    lang_text(primary, t->lang);
    const char *spoken = lang ? lang : (t->lang ? primary : NULL);
    if (r->outcome == DESK_ROUTE_ASSIGNED) {
        const struct desk_route_agent *a = &agents[r->chosen];
        desk_buf_adds(b, "assigned to ");
        who(b, a);
        desk_buf_adds(b, ": ");
        if (t->lang && !t->any_language) {
            desk_buf_addf(b, "speaks %s, ", spoken);
        } else if (t->lang) {
            desk_buf_addf(b, "no %s speaker available, language fallback, ", spoken);
        }
        if (t->n_skills) {
            desk_buf_addf(b, "has the %zu required skill%s, ", t->n_skills,
                          t->n_skills == 1 ? "" : "s");
        }
        desk_buf_addf(b, "load %u/%u, ", a->load, a->capacity);
        idle_text(b, a, now_ms);
    } else {
        switch (r->outcome) {
        case DESK_ROUTE_LANGUAGE_UNMATCHED:
            desk_buf_addf(b, "kept in queue: language unmatched, no available agent speaks %s",
                          spoken ? spoken : "the ticket's language");
            break;
        case DESK_ROUTE_SKILLS_UNMATCHED:
            desk_buf_adds(b, "kept in queue: no available agent has the required skills");
            break;
        case DESK_ROUTE_AT_CAPACITY:
            desk_buf_adds(b, "kept in queue: every matching agent is at capacity");
            break;
        default:
            desk_buf_adds(b, "kept in queue: no agent is online and on shift");
            break;
        }
    }
    size_t listed = 0, rest[DESK_SKIP__COUNT] = {0}, n_rest = 0;
    for (size_t i = 0; i < n; i++) {
        if (r->outcome == DESK_ROUTE_ASSIGNED && i == r->chosen) {
            continue;
        }
        int s = skips ? skips[i] : DESK_SKIP_NONE;
        if (listed < max_listed) {
            desk_buf_adds(b, "; skipped ");
            who(b, &agents[i]);
            desk_buf_adds(b, ": ");
            if (s == DESK_SKIP_NONE) {
                /* Eligible but beaten: say by what. */
                desk_buf_addf(b, "load %u/%u, ", agents[i].load, agents[i].capacity);
                idle_text(b, &agents[i], now_ms);
            } else {
                skip_text(b, s, &agents[i], spoken);
            }
            listed++;
        } else {
            rest[s]++;
            n_rest++;
        }
    }
    if (n_rest) {
        desk_buf_addf(b, "; and %zu more (", n_rest);
        bool first = true;
        for (int s = 0; s < DESK_SKIP__COUNT; s++) {
            if (rest[s]) {
                desk_buf_addf(b, "%s%zu %s", first ? "" : ", ", rest[s], reasons[s]);
                first = false;
            }
        }
        desk_buf_adds(b, ")");
    }
}
