/*
 * Counting failures per key in a fixed window, in a fixed-size table: the
 * login limiter's rule (so many failed sign-ins per account and per
 * address, then a pause until the window ends). Pure: the caller supplies
 * the time and the 64-bit key (a keyed hash of the email or address), and
 * locks the table if threads share it. Memory never grows: when the table
 * is full the entry whose window started first is forgotten.
 */
#ifndef DESK_MODEL_RATELIMIT_H
#define DESK_MODEL_RATELIMIT_H

#include <stdint.h>

#define DESK_RL_SLOTS 2048
#define DESK_RL_PROBE 8

struct desk_rl_slot {
    uint64_t key; /* 0: free */
    int64_t window_start;
    uint32_t count;
};

struct desk_ratelimit {
    uint32_t max;      /* failures allowed within a window */
    int64_t window_ms; /* window length */
    struct desk_rl_slot slots[DESK_RL_SLOTS];
};

/* Prepares an empty limiter allowing max failures per window_ms. */
void desk_rl_init(struct desk_ratelimit *rl, uint32_t max, int64_t window_ms);

/* 0 when key may try now, else the milliseconds until it may. */
int64_t desk_rl_wait(const struct desk_ratelimit *rl, uint64_t key, int64_t now);

/* Counts one failure of key at now. */
void desk_rl_fail(struct desk_ratelimit *rl, uint64_t key, int64_t now);

/* Forgets key's failures (after a successful sign-in). */
void desk_rl_reset(struct desk_ratelimit *rl, uint64_t key);

#endif
