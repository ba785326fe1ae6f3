/*
 * Escalation rules (escalation.h): names, transitions, the fair choice.
 */
#include "model/escalation.h"
#include "core/error.h"

#include <strings.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const states[] = {"open", "accepted", "resolved", "returned"};
static const char *const sources[] = {"agent", "customer", "sla", "sentiment", "rule"};
static const char *const reasons[] = {"difficult_customer", "policy_exception", "legal",
                                      "technical",          "customer_request", "irate",
                                      "sla_risk",           "complaint",        "repeated_reopen"};
static const char *const outcomes[] = {"upheld", "not_upheld", "coaching", "formal_warning"};

static const char *name_of(const char *const *names, size_t n, int v)
{
    return v >= 0 && (size_t)v < n ? names[v] : NULL;
}

static int parse_in(const char *const *names, size_t n, const char *s, int *out)
{
    for (size_t i = 0; s && i < n; i++) {
        if (strcasecmp(s, names[i]) == 0) {
            *out = (int)i;
            return 0;
        }
    }
    return DESK_EINVAL;
}

const char *desk_esc_state_name(int state)
{
    return name_of(states, N(states), state);
}

int desk_esc_state_parse(const char *s, int *out)
{
    return parse_in(states, N(states), s, out);
}

const char *desk_esc_source_name(int source)
{
    return name_of(sources, N(sources), source);
}

int desk_esc_source_parse(const char *s, int *out)
{
    return parse_in(sources, N(sources), s, out);
}

const char *desk_esc_reason_name(int reason)
{
    return name_of(reasons, N(reasons), reason);
}

int desk_esc_reason_parse(const char *s, int *out)
{
    return parse_in(reasons, N(reasons), s, out);
}

bool desk_esc_reason_manual(int reason)
{
    return reason >= DESK_ESC_DIFFICULT_CUSTOMER && reason <= DESK_ESC_TECHNICAL;
}

const char *desk_complaint_outcome_name(int outcome)
{
    return name_of(outcomes, N(outcomes), outcome);
}

int desk_complaint_outcome_parse(const char *s, int *out)
{
    return parse_in(outcomes, N(outcomes), s, out);
}

bool desk_esc_active(int state)
{
    return state == DESK_ESC_OPEN || state == DESK_ESC_ACCEPTED;
}

bool desk_esc_transition_ok(int from, int to)
{
    switch (to) {
    case DESK_ESC_ACCEPTED:
        return from == DESK_ESC_OPEN;
    case DESK_ESC_RESOLVED:
    case DESK_ESC_RETURNED:
        return desk_esc_active(from);
    default:
        return false;
    }
}

long desk_esc_choose(const struct desk_esc_candidate *c, size_t n)
{
    long best = -1;
    for (size_t i = 0; i < n; i++) {
        if (best < 0) {
            best = (long)i;
            continue;
        }
        const struct desk_esc_candidate *b = &c[best], *x = &c[i];
        if (x->active != b->active) {
            if (x->active < b->active) {
                best = (long)i;
            }
        } else if (x->last_assigned_at != b->last_assigned_at) {
            if (x->last_assigned_at < b->last_assigned_at) {
                best = (long)i;
            }
        } else if (x->supervisor_id < b->supervisor_id) {
            best = (long)i;
        }
    }
    return best;
}
