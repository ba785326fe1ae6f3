/*
 * The commitment scheduler thread (see commitments.h). It waits on a
 * condition variable with a deadline on the wall clock (due times are wall
 * clock), so a change can wake it at once. The wait is capped at a minute,
 * so a change made by another process on the same database (the CLI, a
 * second node) is picked up within that time.
 */
#include "jobs/commitments.h"
#include "app/commitments.h"
#include "core/log.h"
#include "core/time.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#define MAX_SLEEP_MS 60000
#define RETRY_MS     1000

struct desk_commitment_jobs {
    struct desk_app *app;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool stopping;
    bool woken;
};

static void on_change(void *arg)
{
    struct desk_commitment_jobs *j = arg;
    pthread_mutex_lock(&j->lock);
    j->woken = true;
    pthread_cond_signal(&j->cond);
    pthread_mutex_unlock(&j->lock);
}

static void *run(void *arg)
{
    struct desk_commitment_jobs *j = arg;
    pthread_mutex_lock(&j->lock);
    while (!j->stopping) {
        j->woken = false;
        pthread_mutex_unlock(&j->lock);
        int64_t now = desk_time_now_ms(), next = 0;
        int rc = desk_app_commitments_run_due(j->app, now, &next);
        int64_t until = now + MAX_SLEEP_MS;
        if (rc) {
            desk_log(DESK_LOG_ERROR, "event=commitments_round error=%s", desk_err_name(rc));
            until = now + RETRY_MS;
        } else if (next && next < until) {
            until = next;
        }
        pthread_mutex_lock(&j->lock);
        struct timespec ts = {(time_t)(until / 1000), (long)(until % 1000) * 1000000};
        while (!j->stopping && !j->woken) {
            if (pthread_cond_timedwait(&j->cond, &j->lock, &ts) == ETIMEDOUT) {
                break;
            }
        }
    }
    pthread_mutex_unlock(&j->lock);
    return NULL;
}

int desk_jobs_commitments_start(struct desk_app *app, struct desk_commitment_jobs **out)
{
    struct desk_commitment_jobs *j = calloc(1, sizeof(*j));
    if (!j) {
        abort();
    }
    j->app = app;
    pthread_mutex_init(&j->lock, NULL);
    pthread_cond_init(&j->cond, NULL); /* CLOCK_REALTIME: deadlines are wall-clock due times */
    /* Watch before the first round reads the index, so no change slips between the two. */
    desk_app_commitments_watch(app, on_change, j);
    if (pthread_create(&j->thread, NULL, run, j) != 0) {
        desk_app_commitments_watch(app, NULL, NULL);
        pthread_cond_destroy(&j->cond);
        pthread_mutex_destroy(&j->lock);
        free(j);
        return DESK_EINTERNAL;
    }
    *out = j;
    return 0;
}

void desk_jobs_commitments_stop(struct desk_commitment_jobs *j)
{
    if (!j) {
        return;
    }
    desk_app_commitments_watch(j->app, NULL, NULL);
    pthread_mutex_lock(&j->lock);
    j->stopping = true;
    pthread_cond_signal(&j->cond);
    pthread_mutex_unlock(&j->lock);
    pthread_join(j->thread, NULL);
    pthread_cond_destroy(&j->cond);
    pthread_mutex_destroy(&j->lock);
    free(j);
}
