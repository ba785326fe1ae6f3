/*
 * The routing choice: which agent takes a ticket. Pure and allocation-free
 * so that it can run inside the store's writer transaction for every
 * ticket write (and a thousand agents cost microseconds): the caller
 * gathers the candidates, this decides and says why.
 *
 * An agent is eligible when online, on shift, not paused, not just
 * unassigned from the ticket, speaking the ticket's language (unless the
 * language may be ignored), holding every skill the ticket requires, and
 * below capacity for the ticket's channel. Among the eligible the lowest
 * load relative to capacity wins, then the longest idle since the last
 * assignment (fair round robin), then the lowest id.
 */
#ifndef DESK_MODEL_ROUTING_H
#define DESK_MODEL_ROUTING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct desk_buf;

/* One agent as routing sees it for one ticket (load and capacity of that ticket's channel). */
struct desk_route_agent {
    int64_t id;
    const char *name;         /* for explanations; NULL: "agent <id>" */
    int64_t last_assigned_at; /* ms UTC; 0: never */
    const uint32_t *langs;    /* desk_lang_key of the languages spoken well enough */
    const int64_t *skills;    /* attribute value ids, ascending */
    uint32_t n_langs;
    uint32_t n_skills;
    uint32_t load;     /* active tickets counted against this channel's capacity */
    uint32_t capacity; /* for this channel; 0: none */
    uint8_t avail;     /* enum desk_avail */
    bool on_shift;
    bool paused;   /* routing paused for this agent (or offboarded, suspended) */
    bool excluded; /* the ticket just left this agent: not straight back */
};

/* What the ticket asks of its agent. */
struct desk_route_ticket {
    uint32_t lang;         /* desk_lang_key of the ticket's language; 0: any */
    bool any_language;     /* the group's fallback allows any language now */
    const int64_t *skills; /* required attribute value ids, ascending */
    size_t n_skills;
};

/* Why an agent was not chosen (the first rule it failed, in this order). */
enum desk_route_skip {
    DESK_SKIP_NONE, /* eligible (the chosen one, or beaten by a better candidate) */
    DESK_SKIP_AWAY, /* away, busy or offline */
    DESK_SKIP_OFF_SHIFT,
    DESK_SKIP_PAUSED,
    DESK_SKIP_EXCLUDED,
    DESK_SKIP_LANGUAGE,
    DESK_SKIP_SKILLS,
    DESK_SKIP_NO_CAPACITY, /* no capacity for this channel */
    DESK_SKIP_AT_CAPACITY,
    DESK_SKIP__COUNT
};

/* The decision's outcome. */
enum desk_route_outcome {
    DESK_ROUTE_ASSIGNED,
    DESK_ROUTE_NO_AGENT,           /* nobody online and on shift */
    DESK_ROUTE_LANGUAGE_UNMATCHED, /* agents are available, none speaks the language */
    DESK_ROUTE_SKILLS_UNMATCHED,   /* speakers are available, none has the skills */
    DESK_ROUTE_AT_CAPACITY,        /* matching agents exist, all at capacity */
    DESK_ROUTE__COUNT
};

struct desk_route_result {
    int outcome;       /* enum desk_route_outcome */
    size_t chosen;     /* index into agents when ASSIGNED */
    int64_t agent_id;  /* the chosen agent, or 0 */
    size_t n_eligible; /* agents that could have taken the ticket */
    size_t skipped[DESK_SKIP__COUNT];
};

/*
 * Decides who among agents[0..n) takes ticket t. When skips is not NULL it
 * receives each agent's enum desk_route_skip (n bytes). Never chooses an
 * agent at or above capacity. Borrows everything; allocates nothing.
 */
void desk_route_choose(const struct desk_route_ticket *t, const struct desk_route_agent *agents,
                       size_t n, uint8_t *skips, struct desk_route_result *out);

/* "assigned", "no_agent", "language_unmatched", "skills_unmatched", "at_capacity". */
const char *desk_route_outcome_name(int outcome);

/*
 * Appends the reason in words: "assigned to Alice (agent 7): speaks cs,
 * load 2/8, idle 14 min; skipped Bob (agent 9): at capacity 8/8; ..." for
 * up to max_listed skipped agents, then a count of the others by reason.
 * lang is the ticket's language tag as given (or NULL). now_ms gives idle
 * times. Borrows everything.
 */
void desk_route_explain(struct desk_buf *b, const struct desk_route_ticket *t, const char *lang,
                        const struct desk_route_agent *agents, size_t n, const uint8_t *skips,
                        const struct desk_route_result *r, int64_t now_ms, size_t max_listed);

#endif
