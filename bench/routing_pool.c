/*
 * What routing costs a ticket write in the server (bench/team.sh runs this
 * on a fresh store): ticket creates through the app into a group of 1,000
 * online agents with languages, skills and capacities, against creates into
 * a group nobody is routed in. Both pay the same durable commit; the
 * difference is reading the pool inside the writer and deciding. Prints
 * "name value unit" lines.
 */
#include "app/team.h"
#include "core/time.h"
#include "store/store_team.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AGENTS  1000
#define TICKETS 300

static const char *const tags[20] = {"en", "de", "fr", "es", "it", "pt", "nl", "pl", "cs", "sk",
                                     "hu", "ro", "sv", "fi", "da", "nb", "el", "tr", "ja", "zh"};

struct setup {
    int64_t routed, quiet; /* group ids */
    int64_t customer;
};

static int setup_write(struct desk_conn *c, void *arg)
{
    struct setup *s = arg;
    int64_t now = desk_time_now_ms();
    struct desk_group g = {0};
    g.name = "Routed";
    g.description = "";
    g.created_at = g.updated_at = now;
    int rc = desk_store_group_insert(c, &g);
    s->routed = g.id;
    g.id = 0;
    g.name = "Quiet";
    rc = rc ? rc : desk_store_group_insert(c, &g);
    s->quiet = g.id;
    struct desk_user cu = {0};
    cu.name = "Customer";
    cu.email = "customer@bench.example";
    cu.active = true;
    cu.created_at = cu.updated_at = now;
    rc = rc ? rc : desk_store_user_insert(c, &cu);
    s->customer = cu.id;
    int64_t values[100];
    struct desk_attr attr = {0};
    attr.name = "Skills";
    attr.created_at = attr.updated_at = now;
    rc = rc ? rc : desk_store_attr_put(c, false, &attr);
    for (int i = 0; !rc && i < 100; i++) {
        struct desk_attr v = {0};
        char name[16];
        snprintf(name, sizeof(name), "skill %d", i);
        v.attribute_id = attr.id;
        v.name = name;
        v.created_at = v.updated_at = now;
        rc = desk_store_attr_put(c, true, &v);
        values[i] = v.id;
    }
    for (int i = 0; !rc && i < AGENTS; i++) {
        char email[64], name[32];
        struct desk_user u = {0};
        snprintf(email, sizeof(email), "agent%d@bench.example", i);
        snprintf(name, sizeof(name), "Agent %d", i);
        u.name = name;
        u.email = email;
        u.role = DESK_ROLE_AGENT;
        u.active = true;
        u.created_at = u.updated_at = now;
        if ((rc = desk_store_user_insert(c, &u)) != 0) {
            break;
        }
        struct desk_membership m = {0, u.id, s->routed, true, now, now};
        struct desk_staff_profile p = {0};
        p.user_id = u.id;
        p.state = DESK_STAFF_ACTIVE;
        p.availability = i % 10 < 7 ? DESK_AVAIL_ONLINE : DESK_AVAIL_OFFLINE;
        p.availability_at = now;
        p.created_at = p.updated_at = now;
        struct desk_staff_lang langs[2] = {{tags[i % 20], tags[i % 20], DESK_PROF_NATIVE},
                                           {"en", "en", DESK_PROF_FLUENT}};
        struct desk_staff_capacity cap = {"default", 1000};
        int64_t sk[3] = {values[i % 100], values[(i + 7) % 100], values[(i + 31) % 100]};
        for (int a = 0; a < 3; a++) {
            for (int b = a + 1; b < 3; b++) {
                if (sk[b] < sk[a]) {
                    int64_t t = sk[a];
                    sk[a] = sk[b];
                    sk[b] = t;
                }
            }
        }
        if ((rc = desk_store_membership_insert(c, &m)) != 0 ||
            (rc = desk_store_staff_put(c, &p)) != 0 ||
            (rc = desk_store_staff_langs_set(c, u.id, langs, i % 20 ? 2 : 1)) != 0 ||
            (rc = desk_store_staff_caps_set(c, u.id, &cap, 1)) != 0 ||
            (rc = desk_store_agent_values_set(c, u.id, sk, 3)) != 0) {
            break;
        }
    }
    return rc;
}

static double ms_between(const struct timespec *t0, const struct timespec *t1)
{
    return (double)(t1->tv_sec - t0->tv_sec) * 1e3 + (double)(t1->tv_nsec - t0->tv_nsec) / 1e6;
}

/*
 * Creates n tickets in group; returns the mean wall milliseconds per create and
 * sets *cpu_ms to the process CPU time per create (the writer thread's work
 * included; on a shared machine wall time also counts other people's work).
 */
static double create_ms(struct desk_app *app, int64_t group, int64_t requester, int n,
                        int *assigned, double *cpu_ms)
{
    struct timespec t0, t1, c0, c1;
    *assigned = 0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    for (int i = 0; i < n; i++) {
        struct desk_arena a;
        struct desk_ticket_input in = {0};
        struct desk_ticket t;
        struct desk_audit au;
        struct desk_fail fail = {0};
        desk_arena_init(&a);
        in.subject = "Bench";
        in.has_subject = true;
        in.comment_body = "Please help";
        in.comment_public = true;
        in.group_id = group;
        in.has_group_id = true;
        in.language = tags[i % 20];
        in.requester_id = requester;
        in.has_requester_id = true;
        in.has_language = true;
        if (desk_app_ticket_create(app, &desk_actor_system, &a, &in, &t, &au, &fail) != 0) {
            fprintf(stderr, "routing_pool: ticket create failed\n");
            exit(1);
        }
        *assigned += t.assignee_id != 0;
        desk_arena_release(&a);
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    *cpu_ms = ms_between(&c0, &c1) / n;
    return ms_between(&t0, &t1) / n;
}

int main(int argc, char **argv)
{
    struct desk_app *app;
    struct setup s;
    int assigned;
    if (argc != 2) {
        fprintf(stderr, "usage: routing_pool DB\n");
        return 2;
    }
    if (desk_app_open(argv[1], &app) != 0 ||
        desk_store_write(desk_app_store(app), setup_write, &s) != 0) {
        fprintf(stderr, "routing_pool: cannot set up %s\n", argv[1]);
        return 1;
    }
    double cpu, quiet = 0, routed = 0, quiet_cpu = 0, routed_cpu = 0;
    int rounds = 3, total_assigned = 0;
    create_ms(app, s.quiet, s.customer, 20, &assigned, &cpu); /* warm-up */
    create_ms(app, s.routed, s.customer, 5, &assigned, &cpu);
    for (int r = 0; r < rounds; r++) { /* alternate, so drift hits both alike */
        quiet += create_ms(app, s.quiet, s.customer, TICKETS / rounds, &assigned, &cpu);
        quiet_cpu += cpu;
        routed += create_ms(app, s.routed, s.customer, TICKETS / rounds, &assigned, &cpu);
        routed_cpu += cpu;
        total_assigned += assigned;
    }
    printf("routing_write_cpu_no_pool %.3f ms\n", quiet_cpu / rounds);
    printf("routing_write_cpu_1000_agents %.3f ms\n", routed_cpu / rounds);
    printf("routing_write_cpu_overhead %.3f ms\n", (routed_cpu - quiet_cpu) / rounds);
    printf("routing_write_wall_no_pool %.3f ms\n", quiet / rounds);
    printf("routing_write_wall_1000_agents %.3f ms\n", routed / rounds);
    printf("routing_write_assigned %.2f share\n",
           (double)total_assigned / (TICKETS / rounds * rounds));
    desk_app_close(app);
    return 0;
}
