/*
 * The commitment scheduler's cost per round against how many commitments
 * are open: the same round (read the head of the pending-work index, handle
 * what is due, read the next time) on a store holding a small and a large
 * number of open commitments, all due later. The claim under test is that
 * a round costs what is due, not what exists: no scan. Prints "name value
 * unit" lines (bench/run.sh format) and the large/small ratio.
 * Usage: commitments SMALL LARGE DIR (a fresh directory for the stores).
 */
#include "app/commitments.h"
#include "core/time.h"
#include "store/store_commitments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROUNDS 2000
#define BATCH  20000

struct fill {
    int64_t ticket, owner, due0;
    long from, count;
};

static int fill_write(struct desk_conn *c, void *arg)
{
    struct fill *f = arg;
    for (long i = 0; i < f->count; i++) {
        struct desk_commitment cm;
        memset(&cm, 0, sizeof(cm));
        cm.ticket_id = f->ticket;
        cm.owner_id = cm.creator_id = f->owner;
        cm.due_at = f->due0 + (f->from + i) * 1000;
        cm.note = "call back";
        cm.created_at = cm.updated_at = f->due0;
        int rc = desk_store_commitment_insert(c, &cm);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median microseconds of an idle round on a store with n open commitments. */
static double measure(const char *dir, long n)
{
    char path[512];
    struct desk_app *app;
    struct desk_arena a;
    snprintf(path, sizeof(path), "%s/commitments-%ld.db", dir, n);
    if (desk_app_open(path, &app) != 0) {
        fprintf(stderr, "bench/commitments: cannot open %s\n", path);
        exit(1);
    }
    desk_arena_init(&a);
    struct desk_user_input ui = {.name = "Bench",
                                 .has_name = true,
                                 .email = "bench@desk.test",
                                 .has_email = true,
                                 .role = DESK_ROLE_AGENT,
                                 .has_role = true};
    struct desk_user u;
    struct desk_fail fail = {0};
    struct desk_ticket_input ti = {
        .subject = "Bench", .has_subject = true, .comment_body = "bench", .comment_public = true};
    struct desk_ticket t;
    struct desk_audit au;
    if (desk_app_user_create(app, &desk_actor_system, &a, &ui, &u, &fail) != 0) {
        fprintf(stderr, "bench/commitments: cannot create the user\n");
        exit(1);
    }
    struct desk_actor who = {.user_id = u.id, .role = DESK_ROLE_AGENT};
    if (desk_app_ticket_create(app, &who, &a, &ti, &t, &au, &fail) != 0) {
        fprintf(stderr, "bench/commitments: cannot create the ticket\n");
        exit(1);
    }
    int64_t now = desk_time_now_ms();
    for (long from = 0; from < n; from += BATCH) {
        struct fill f = {t.id, u.id, now + 24 * 3600 * 1000LL, from,
                         n - from < BATCH ? n - from : BATCH};
        if (desk_store_write(desk_app_store(app), fill_write, &f) != 0) {
            fprintf(stderr, "bench/commitments: cannot fill\n");
            exit(1);
        }
    }
    static double us[ROUNDS];
    int64_t next = 0;
    for (int i = 0; i < ROUNDS; i++) {
        int64_t t0 = desk_time_mono_ns();
        if (desk_app_commitments_run_due(app, now, &next) != 0) {
            fprintf(stderr, "bench/commitments: round failed\n");
            exit(1);
        }
        us[i] = (double)(desk_time_mono_ns() - t0) / 1e3;
    }
    if (next != now + 24 * 3600 * 1000LL) {
        fprintf(stderr, "bench/commitments: the round saw the wrong next time\n");
        exit(1);
    }
    qsort(us, ROUNDS, sizeof(us[0]), cmp);
    desk_arena_release(&a);
    desk_app_commitments_release(app);
    desk_app_close(app);
    return us[ROUNDS / 2];
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: commitments SMALL LARGE DIR\n");
        return 2;
    }
    long small = strtol(argv[1], NULL, 10), large = strtol(argv[2], NULL, 10);
    double s = measure(argv[3], small), l = measure(argv[3], large);
    printf("commitments_round_open_%ld %.2f us\n", small, s);
    printf("commitments_round_open_%ld %.2f us\n", large, l);
    printf("commitments_round_ratio %.2f x\n", l / s);
    return 0;
}
