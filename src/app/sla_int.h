/*
 * Inside the SLA use cases (app/sla*.c): the cached rules (policies and
 * compiled schedules, shared read-only by every thread and replaced when
 * the stored version changes) and the clock engine every path runs: a
 * ticket change, a deadline reached, a rules change.
 */
#ifndef DESK_APP_SLA_INT_H
#define DESK_APP_SLA_INT_H

#include "app/app_int.h"
#include "app/sla.h"

#include <pthread.h>

struct sla_sched {
    int64_t id;
    const char *name;
    const char *zone;
    struct desk_bh *bh; /* NULL if it no longer compiles (then calendar time) */
};

struct sla_attach {
    int64_t target_id;
    int64_t schedule_id;
};

/* One version of the rules; immutable once built, freed with its last reference. */
struct sla_rules {
    int64_t version;
    int refs; /* guarded by desk_sla.lock */
    struct desk_arena arena;
    struct desk_sla_policy *policies; /* in position order */
    size_t n_policies;
    struct sla_sched *scheds;
    size_t n_scheds;
    int64_t default_schedule;
    struct sla_attach *groups; /* sorted by target_id */
    size_t n_groups;
    struct sla_attach *orgs;
    size_t n_orgs;
};

struct desk_sla {
    pthread_mutex_t lock;
    struct sla_rules *rules;
    desk_sla_wake_fn wake;
    void *wake_ctx;
};

/*
 * The rules as stored now (read through c), from the cache when its
 * version is current. Returns a reference (sla_rules_put), or NULL on a
 * store error.
 */
struct sla_rules *sla_rules_get(struct desk_app *app, struct desk_conn *c);
void sla_rules_put(struct desk_app *app, struct sla_rules *r);

const struct sla_sched *sla_rules_sched(const struct sla_rules *r, int64_t id);
const struct desk_bh *sla_rules_bh(const struct sla_rules *r, int64_t schedule_id);
const struct desk_sla_policy *sla_rules_policy(const struct sla_rules *r, int64_t id);

/* The first policy (in position order) whose conditions t meets, or NULL. */
const struct desk_sla_policy *sla_rules_match(const struct sla_rules *r,
                                              const struct desk_ticket *t);

/*
 * The schedule a ticket is measured in: the policy's own, else the
 * ticket's organization's, else its group's, else the default; 0 when
 * there is none (calendar time).
 */
int64_t sla_rules_schedule_for(const struct sla_rules *r, const struct desk_sla_policy *p,
                               const struct desk_ticket *t);

/* What one run of the engine works on. */
struct sla_run {
    struct desk_app *app;
    struct desk_conn *c;
    struct desk_arena *a;
    struct sla_rules *rules;
    int64_t now;
    const struct desk_ticket *ticket; /* as stored after the change */
    const struct desk_ticket *before; /* before it (NULL: none): who was responsible */
    int64_t audit_id; /* the change's audit (notifications are added to it); 0: make one */
    bool in_update;   /* inside a ticket update: the prepare hook ran the actions */
    bool force_marks; /* record deadlines passed even when their actions did not run */
    /* A schedule changed: clocks on ck_schedule count up to ck_at under ck_old_bh. */
    int64_t ck_schedule;
    const struct desk_bh *ck_old_bh;
    int64_t ck_at;
    const char *ck_reason;
    int64_t next_at; /* out: the ticket's earliest next_at after the run (0: none) */
};

/*
 * Runs the clocks of run->ticket: records deadlines passed by now, applies
 * change (NULL: none) to the metrics, re-applies the rules, recomputes due
 * times and stores clocks and events. Writer only.
 */
int sla_run(struct sla_run *run, const struct desk_sla_change *change);

/* Brings ticket_id's clocks up to date (writer only); see desk_app_sla_fire. */
int sla_touch(struct desk_app *app, struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
              int64_t now, bool force, struct sla_rules *rules, const struct sla_run *checkpoint,
              int64_t *next_at);

/* Re-applies current rules to the open clocks under schedule_id or policy_id, in batches. */
int sla_reapply(struct desk_app *app, int64_t schedule_id, int64_t policy_id,
                const struct desk_bh *old_bh, int64_t changed_at, const char *reason);

/* Tells the scheduler (if any) about ticket_id's next deadline. */
void sla_wake(struct desk_app *app, int64_t ticket_id, int64_t next_at);

#endif
