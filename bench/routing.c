/*
 * Routing benchmarks (bench/run.sh builds and runs this): the time of one
 * routing decision over 1,000 agents with 100 skills and 20 languages, and
 * fairness — 10,000 tickets to 10 equal agents with equal capacity, tickets
 * solved at random meanwhile: the most and least assigned agents' ratio, and
 * whether any agent ever went above capacity. Prints "name value unit" lines.
 */
#include "model/routing.h"
#include "model/staff.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AGENTS    1000
#define SKILLS    100
#define LANGS     20
#define DECISIONS 20000

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t next(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/* CPU time of this thread: on a shared machine, wall time also counts other people's work. */
static int64_t cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int64_t wall_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Up to n distinct ids from [1, max], ascending; returns how many. */
static uint32_t pick(int64_t *out, uint32_t n, uint32_t max)
{
    uint32_t k = 0;
    while (k < n) {
        int64_t v = 1 + next(max);
        bool dup = false;
        for (uint32_t i = 0; i < k && !dup; i++) {
            dup = out[i] == v;
        }
        if (!dup) {
            out[k++] = v;
        }
    }
    qsort(out, k, sizeof(*out), cmp_i64);
    return k;
}

static double decision_time(double *wall_us)
{
    static const char *const tags[LANGS] = {"en", "de", "fr", "es", "it", "pt", "nl",
                                            "pl", "cs", "sk", "hu", "ro", "sv", "fi",
                                            "da", "nb", "el", "tr", "ja", "zh"};
    static struct desk_route_agent agents[AGENTS];
    static uint32_t langs[AGENTS][3];
    static int64_t skills[AGENTS][15];
    static uint8_t skips[AGENTS];
    uint32_t keys[LANGS];
    for (int i = 0; i < LANGS; i++) {
        keys[i] = desk_lang_key(tags[i]);
    }
    for (uint32_t i = 0; i < AGENTS; i++) {
        struct desk_route_agent *a = &agents[i];
        a->id = i + 1;
        a->avail = next(10) < 7 ? DESK_AVAIL_ONLINE : DESK_AVAIL_OFFLINE;
        a->on_shift = next(10) < 8;
        a->paused = next(50) == 0;
        a->capacity = 5 + next(6);
        a->load = next(a->capacity + 1);
        a->last_assigned_at = 1795341600000LL - (int64_t)next(3600000);
        a->n_langs = 1 + next(3);
        for (uint32_t k = 0; k < a->n_langs; k++) {
            langs[i][k] = keys[next(LANGS)];
        }
        a->langs = langs[i];
        a->n_skills = pick(skills[i], 5 + next(11), SKILLS);
        a->skills = skills[i];
    }
    /* Tickets ask for their language and 0-2 skills: a realistic mix of easy and rare. */
    static int64_t need[DECISIONS][2];
    static struct desk_route_ticket tickets[DECISIONS];
    for (uint32_t k = 0; k < DECISIONS; k++) {
        tickets[k].lang = keys[next(LANGS)];
        tickets[k].n_skills = pick(need[k], next(3), SKILLS);
        tickets[k].skills = need[k];
    }
    size_t assigned = 0;
    struct desk_route_result r;
    for (uint32_t k = 0; k < 2000; k++) { /* warm-up */
        desk_route_choose(&tickets[k], agents, AGENTS, skips, &r);
    }
    int64_t t0 = cpu_ns(), w0 = wall_ns();
    for (uint32_t k = 0; k < DECISIONS; k++) {
        desk_route_choose(&tickets[k], agents, AGENTS, skips, &r);
        assigned += r.outcome == DESK_ROUTE_ASSIGNED;
    }
    int64_t ns = cpu_ns() - t0;
    *wall_us = (double)(wall_ns() - w0) / DECISIONS / 1000.0;
    printf("routing_decisions %d decisions\n", DECISIONS);
    printf("routing_decisions_assigned %.2f share\n", (double)assigned / DECISIONS);
    return (double)ns / DECISIONS / 1000.0;
}

/* 10 equal agents, 10,000 tickets; each step a ticket arrives and each agent may finish one. */
static int fairness(double *ratio, uint32_t *peak_over)
{
    enum { N = 10, TICKETS = 10000, CAP = 8 };
    struct desk_route_agent a[N];
    uint32_t assigned[N] = {0};
    uint32_t lang = desk_lang_key("en");
    memset(a, 0, sizeof(a));
    for (int i = 0; i < N; i++) {
        a[i].id = i + 1;
        a[i].avail = DESK_AVAIL_ONLINE;
        a[i].on_shift = true;
        a[i].capacity = CAP;
        a[i].langs = &lang;
        a[i].n_langs = 1;
    }
    struct desk_route_ticket t = {lang, false, NULL, 0};
    int64_t clock = 1795341600000LL;
    *peak_over = 0;
    for (int done = 0; done < TICKETS;) {
        struct desk_route_result r;
        desk_route_choose(&t, a, N, NULL, &r);
        if (r.outcome == DESK_ROUTE_ASSIGNED) {
            a[r.chosen].load++;
            a[r.chosen].last_assigned_at = ++clock;
            assigned[r.chosen]++;
            done++;
        }
        for (int i = 0; i < N; i++) {
            if (a[i].load > a[i].capacity && a[i].load - a[i].capacity > *peak_over) {
                *peak_over = a[i].load - a[i].capacity;
            }
            if (a[i].load && next(4) == 0) {
                a[i].load--;
            }
        }
    }
    uint32_t lo = TICKETS, hi = 0;
    for (int i = 0; i < N; i++) {
        lo = assigned[i] < lo ? assigned[i] : lo;
        hi = assigned[i] > hi ? assigned[i] : hi;
    }
    printf("routing_fairness_min %u tickets\n", lo);
    printf("routing_fairness_max %u tickets\n", hi);
    *ratio = lo ? (double)hi / lo : 1e9;
    return 0;
}

int main(void)
{
    double wall, us = decision_time(&wall), ratio;
    uint32_t over;
    printf("routing_decision_time %.2f us\n", us);
    printf("routing_decision_wall_time %.2f us\n", wall);
    printf("routing_decision_time_target_10us %s\n", us <= 10.0 ? "met" : "missed");
    fairness(&ratio, &over);
    printf("routing_fairness_max_over_min %.3f ratio\n", ratio);
    printf("routing_fairness_above_capacity %u tickets\n", over);
    printf("routing_fairness_target_1.05 %s\n", ratio <= 1.05 && over == 0 ? "met" : "missed");
    return 0;
}
