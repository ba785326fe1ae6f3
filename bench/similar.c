/*
 * Benchmark of "weigh the options": GET /tickets/{id}/similar's use case
 * (desk_app_ticket_similar: ICU terms, FTS5 bm25 over the ticket index,
 * same language first, resolutions) on a store of N solved tickets, against
 * the foundation's ticket search (desk_app_search) for two words on the
 * same store as the peer; target: at most twice the peer's p50. Prints "name value unit" lines.
 * Usage: similar DB_PATH N QUERIES
 */
#include "app/concessions.h"
#include "core/time.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Words of the synthetic tickets: VOCAB made-up words drawn log-uniformly
 * (rank r about as likely as 1/r, like words of real text), so a few are in
 * many tickets and most in few.
 */
#define VOCAB 4000
static char words[VOCAB][12];

static unsigned long long rng = 88172645463325252ULL;
static unsigned long long next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static const char *word(void)
{
    double u = (double)(next() % 1000000) / 1000000.0;
    size_t r = (size_t)exp(u * log((double)VOCAB));
    return words[r > 0 ? r - 1 : 0];
}

static void vocab_init(void)
{
    static const char *const syl[] = {"ka", "lo", "mi", "ne", "ru", "sa", "te", "vo",
                                      "pa", "di", "ge", "ho", "zu", "bi", "fa", "jo"};
    for (size_t i = 0; i < VOCAB; i++) {
        size_t x = i;
        char *w = words[i];
        for (int k = 0; k < 4 && (k < 2 || x); k++) {
            memcpy(w, syl[x % 16], 2);
            w += 2;
            x /= 16;
        }
        *w = '\0';
    }
}

struct fill {
    long n;
    int64_t requester;
};

static int fill_write(struct desk_conn *c, void *arg)
{
    struct fill *f = arg;
    struct desk_arena a;
    desk_arena_init(&a);
    int rc = 0;
    for (long i = 0; i < f->n && !rc; i++) {
        struct desk_ticket t = {0};
        t.subject = desk_arena_printf(&a, "%s %s %s %s", word(), word(), word(), word());
        t.description =
            desk_arena_printf(&a, "My %s is %s and the %s %s %s again; %s %s %s, ticket %ld.",
                              word(), word(), word(), word(), word(), word(), word(), word(), i);
        t.status = i % 5 ? DESK_STATUS_SOLVED : DESK_STATUS_OPEN;
        t.requester_id = t.submitter_id = f->requester;
        t.language = i % 3 ? "en" : "es";
        t.is_public = true;
        t.created_at = t.updated_at = desk_time_now_ms();
        rc = desk_store_ticket_insert(c, &t);
    }
    desk_arena_release(&a);
    return rc;
}

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

static int user_write(struct desk_conn *c, void *arg)
{
    struct desk_user *u = arg;
    return desk_store_user_insert(c, u);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: similar DB_PATH N QUERIES\n");
        return 2;
    }
    long n = strtol(argv[2], NULL, 10), q = strtol(argv[3], NULL, 10);
    vocab_init();
    struct desk_app *app;
    if (n < 1 || q < 1 || desk_app_open(argv[1], &app) != 0) {
        fprintf(stderr, "similar: bad arguments or cannot open %s\n", argv[1]);
        return 2;
    }
    struct desk_user u = {0};
    u.name = "Bench";
    u.email = "similar-bench@example.com";
    u.role = DESK_ROLE_ADMIN;
    u.active = true;
    u.created_at = u.updated_at = desk_time_now_ms();
    struct fill f = {n, 0};
    int rc = desk_store_write(desk_app_store(app), user_write, &u);
    f.requester = u.id;
    if (!rc) {
        rc = desk_store_write(desk_app_store(app), fill_write, &f);
    }
    if (rc) {
        fprintf(stderr, "similar: filling the store failed: %s\n", desk_err_msg(rc));
        desk_app_close(app);
        return 1;
    }
    struct desk_actor who = {.user_id = u.id, .role = DESK_ROLE_ADMIN, .via = DESK_VIA_API};
    int64_t *sim = calloc((size_t)q, sizeof(int64_t)), *srch = calloc((size_t)q, sizeof(int64_t));
    size_t hits = 0;
    for (long i = 0; i < q && !rc; i++) {
        struct desk_arena a;
        struct desk_similar *items;
        struct desk_search_hit *sh;
        struct desk_fail fail = {0};
        size_t k = 0, ns = 0;
        int64_t total;
        int64_t id = 1 + (int64_t)(next() % (unsigned long long)n);
        desk_arena_init(&a);
        int64_t t0 = desk_time_mono_ns();
        rc = desk_app_ticket_similar(app, &who, &a, id, 10, &items, &k);
        int64_t t1 = desk_time_mono_ns();
        const char *query = desk_arena_printf(&a, "%s %s", word(), word());
        if (!rc) {
            rc = desk_app_search(app, &who, &a, query, strlen(query), 0, 10, NULL, NULL, &sh, &ns,
                                 &total, &fail);
        }
        int64_t t2 = desk_time_mono_ns();
        sim[i] = t1 - t0;
        srch[i] = t2 - t1;
        hits += k;
        desk_arena_release(&a);
    }
    if (rc) {
        fprintf(stderr, "similar: query failed: %s\n", desk_err_msg(rc));
    } else {
        qsort(sim, (size_t)q, sizeof(int64_t), cmp_i64);
        qsort(srch, (size_t)q, sizeof(int64_t), cmp_i64);
        double p50 = sim[q / 2] / 1e6, p90 = sim[q * 9 / 10] / 1e6;
        double s50 = srch[q / 2] / 1e6;
        printf("similar_tickets %ld tickets\n", n);
        printf("similar_p50 %.2f ms\n", p50);
        printf("similar_p90 %.2f ms\n", p90);
        printf("similar_hits_per_query %.1f tickets\n", (double)hits / (double)q);
        printf("similar_search_peer_p50 %.2f ms\n", s50);
        printf("similar_ratio_to_search %.2f ratio\n", s50 > 0 ? p50 / s50 : 0);
        printf("similar_target_2x_search %s\n", p50 <= 2 * s50 ? "met" : "missed");
    }
    free(sim);
    free(srch);
    desk_app_close(app);
    return rc ? 1 : 0;
}
