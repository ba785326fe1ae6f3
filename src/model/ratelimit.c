/*
 * Fixed-window failure counting in an open-addressed table (see
 * ratelimit.h).
 */
#include "model/ratelimit.h"

#include <string.h>

void desk_rl_init(struct desk_ratelimit *rl, uint32_t max, int64_t window_ms)
{
    memset(rl, 0, sizeof(*rl));
    rl->max = max;
    rl->window_ms = window_ms;
}

static uint64_t norm(uint64_t key)
{
    return key ? key : 1; /* 0 marks a free slot */
}

static const struct desk_rl_slot *find(const struct desk_ratelimit *rl, uint64_t key)
{
    for (int i = 0; i < DESK_RL_PROBE; i++) {
        const struct desk_rl_slot *s = &rl->slots[(key + (uint64_t)i) % DESK_RL_SLOTS];
        if (s->key == key) {
            return s;
        }
    }
    return NULL;
}

int64_t desk_rl_wait(const struct desk_ratelimit *rl, uint64_t key, int64_t now)
{
    const struct desk_rl_slot *s = find(rl, norm(key));
    if (!s || s->count < rl->max || now >= s->window_start + rl->window_ms) {
        return 0;
    }
    return s->window_start + rl->window_ms - now;
}

void desk_rl_fail(struct desk_ratelimit *rl, uint64_t key, int64_t now)
{
    key = norm(key);
    struct desk_rl_slot *s = (struct desk_rl_slot *)find(rl, key);
    if (!s) {
        /* A free slot, else one whose window is over, else the oldest. */
        struct desk_rl_slot *pick = NULL;
        for (int i = 0; i < DESK_RL_PROBE; i++) {
            struct desk_rl_slot *c = &rl->slots[(key + (uint64_t)i) % DESK_RL_SLOTS];
            if (c->key == 0 || now >= c->window_start + rl->window_ms) {
                pick = c;
                break;
            }
            if (!pick || c->window_start < pick->window_start) {
                pick = c;
            }
        }
        s = pick;
        s->key = key;
        s->count = 0;
        s->window_start = now;
    }
    if (now >= s->window_start + rl->window_ms) {
        s->window_start = now;
        s->count = 0;
    }
    s->count++;
}

void desk_rl_reset(struct desk_ratelimit *rl, uint64_t key)
{
    struct desk_rl_slot *s = (struct desk_rl_slot *)find(rl, norm(key));
    if (s) {
        s->key = 0;
        s->count = 0;
    }
}
