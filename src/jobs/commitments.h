/*
 * The commitment scheduler: one thread that sleeps until the next reminder
 * or due time an open commitment has (the head of an index ordered by that
 * time, read after each round), wakes early when a commitment changes, and
 * hands the due work to desk_app_commitments_run_due. No periodic scan: a
 * round costs what is due, not how many commitments exist.
 */
#ifndef DESK_JOBS_COMMITMENTS_H
#define DESK_JOBS_COMMITMENTS_H

#include "app/app.h"

struct desk_commitment_jobs;

/*
 * Starts the thread on app (borrowed; must outlive the thread) and makes
 * commitment changes wake it. Returns 0 and *out (owned; stop with
 * desk_jobs_commitments_stop) or DESK_EINTERNAL when the thread cannot start.
 */
int desk_jobs_commitments_start(struct desk_app *app, struct desk_commitment_jobs **out);

/* Stops the thread after its current round and frees it. NULL is a no-op. */
void desk_jobs_commitments_stop(struct desk_commitment_jobs *j);

#endif
