/*
 * Commitment use cases: make, change, close and list the promises agents
 * make on tickets, each change audited on its ticket; the reminder and
 * missed-commitment work the scheduler thread (jobs/commitments.c) runs;
 * and the alerts that work leaves for owners and supervisors. Every
 * channel (API, CLI, jobs) goes through these functions.
 */
#ifndef DESK_APP_COMMITMENTS_H
#define DESK_APP_COMMITMENTS_H

#include "app/app.h"
#include "app/hooks.h"
#include "model/commitment.h"
#include "store/store_commitments.h"

/* A create or update request; has_* says which fields were given. */
struct desk_commitment_input {
    int64_t ticket_id; /* create through /commitments: the ticket */
    bool has_ticket_id;
    int64_t owner_id;
    bool has_owner_id;
    int64_t due_at; /* UTC ms */
    bool has_due_at;
    const char *due_local; /* "YYYY-MM-DDTHH:MM[:SS]" in time_zone */
    bool has_due_local;
    const char *time_zone; /* IANA name, or "requester" / "owner" for that person's zone */
    bool has_time_zone;
    const char *note;
    bool has_note;
    int state;
    bool has_state;
};

/* Settings the server gives the use cases (desk serve options). */
struct desk_commitments_config {
    int64_t reminder_lead_ms; /* how long before due the owner is reminded; 0: never */
};

/* The lead used until desk_app_commitments_configure is called: 15 minutes. */
#define DESK_CMT_DEFAULT_LEAD_MS (15LL * 60 * 1000)

/* Sets app's commitment settings (copied). */
void desk_app_commitments_configure(struct desk_app *app,
                                    const struct desk_commitments_config *cfg);

/*
 * The calendar feed key of app (set with desk_app_calendar_set_key, see
 * app/calendar.h), copied into key. False when none was set.
 */
bool desk_app_calendar_key(struct desk_app *app, unsigned char key[32]);

/* Forgets app's settings and watcher (before desk_app_close; the app may be freed after). */
void desk_app_commitments_release(struct desk_app *app);

/*
 * Called after a commitment change is durable, so the reminder scheduler
 * can re-read the head of its index. Must be quick and must not call back
 * into the commitment use cases.
 */
typedef void (*desk_app_wake_fn)(void *arg);

/*
 * Registers fn(arg) to be called after every committed commitment change
 * of app (one watcher per app; NULL fn removes it). Once this returns
 * with NULL, fn is not running and will not be called again.
 */
void desk_app_commitments_watch(struct desk_app *app, desk_app_wake_fn fn, void *arg);

/*
 * Makes a commitment on ticket_id (0: in->ticket_id). Staff only. The
 * owner defaults to the actor and must be an active agent, supervisor or
 * admin; the due time is either in->due_at (UTC) or in->due_local in
 * in->time_zone (default: the owner's zone; "requester" and "owner" name
 * those people's zones), and must lie ahead (at most about five years).
 * Writes the commitment and a ticket audit in one transaction. DESK_EINVALID
 * with fail naming the field (ticket_id, owner_id, due_at, due_local,
 * time_zone, note) for bad input; DESK_EFORBIDDEN for end users.
 */
int desk_app_commitment_create(struct desk_app *app, const struct desk_actor *who,
                               struct desk_arena *a, int64_t ticket_id,
                               const struct desk_commitment_input *in, struct desk_commitment *out,
                               struct desk_fail *fail);

/*
 * Changes commitment id: owner, due time (while open; re-arms the
 * reminder), note, state (desk_commitment_transition's rules). Agents
 * change only commitments they own or made; supervisors and admins any.
 * Audited on the ticket when something changed. DESK_ENOTFOUND,
 * DESK_EFORBIDDEN, DESK_EINVALID with fail.
 */
int desk_app_commitment_update(struct desk_app *app, const struct desk_actor *who,
                               struct desk_arena *a, int64_t id,
                               const struct desk_commitment_input *in, struct desk_commitment *out,
                               struct desk_fail *fail);

/* Reads commitment id (staff only; DESK_ENOTFOUND for others). */
int desk_app_commitment_get(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t id, struct desk_commitment *out);

/*
 * Lists commitments under f. Staff only. Agents see a ticket's
 * commitments, and otherwise only their own (f->owner_id defaults to
 * them; someone else's is DESK_EFORBIDDEN); supervisors and admins anyone's.
 * With f->ticket_id, DESK_ENOTFOUND when the ticket does not exist.
 */
int desk_app_commitment_list(struct desk_app *app, const struct desk_actor *who,
                             struct desk_arena *a, struct desk_commitment_filter *f,
                             const struct desk_page *p, struct desk_commitment **items,
                             struct desk_page_out *out);

/*
 * Writer only, inside another use case's transaction (offboarding an
 * agent): hands every open commitment of from_id over to to_id, who must be
 * an active agent, supervisor or admin (DESK_EINVALID with fail naming
 * "owner_id" otherwise), each audited on its ticket as by who. Sets *moved.
 * Once the transaction is durable, call desk_app_commitments_changed.
 */
int desk_commitments_hand_over(struct desk_conn *c, const struct desk_actor *who,
                               struct desk_arena *a, int64_t from_id, int64_t to_id, int64_t now,
                               size_t *moved, struct desk_fail *fail);

/*
 * Writer only, like desk_commitments_hand_over, for one open commitment:
 * hands commitment id over to to_id (an active agent, supervisor or admin;
 * DESK_EINVALID with fail naming "owner_id" otherwise), audited on its
 * ticket as by who. Sets *moved to false when it is not open any more or
 * already belongs to to_id.
 */
int desk_commitment_hand_over_one(struct desk_conn *c, const struct desk_actor *who,
                                  struct desk_arena *a, int64_t id, int64_t to_id, int64_t now,
                                  bool *moved, struct desk_fail *fail);

/* Tells the reminder scheduler that commitments changed outside these use cases. */
void desk_app_commitments_changed(struct desk_app *app);

/* A ticket's commitment counts and next open one. Staff only (DESK_EFORBIDDEN otherwise). */
int desk_app_commitment_summary(struct desk_app *app, const struct desk_actor *who,
                                int64_t ticket_id, struct desk_commitment_summary *out);

/*
 * The scheduler's work at now: sends the reminders that are due (an alert
 * to the owner) and marks missed every open commitment whose due time has
 * passed. A miss is one transaction: the state change and an internal
 * note on the ticket in one audit (by the owner, via rule), and an alert
 * to the owner and to each of the owner's supervisors (supervisors who
 * share a group with them, else the admins). A commitment whose ticket was
 * deleted is cancelled instead. Works through everything due in batches,
 * then sets *next_at to the earliest time anything needs it again (0:
 * nothing pending). Returns 0 or a store error.
 */
int desk_app_commitments_run_due(struct desk_app *app, int64_t now, int64_t *next_at);

/*
 * The actor's own alerts (newest first unless the page says otherwise),
 * unread only on request. Anyone signed in may ask; they get their own.
 */
int desk_app_alert_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        bool unread_only, const struct desk_page *p, struct desk_alert **items,
                        struct desk_page_out *out);

/*
 * Marks alert id read (or unread) for its recipient. DESK_ENOTFOUND when it
 * is someone else's or does not exist.
 */
int desk_app_alert_mark(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        int64_t id, bool read, struct desk_alert *out);

/*
 * How a due time given in a zone met DST, in words for the API
 * ("02:30 does not exist in Europe/Prague on 2026-03-29 ..."); stored with
 * the commitment as due_fit. Exposed for tests.
 */
const char *desk_app_commitment_fit_text(struct desk_arena *a, const char *zone, const char *local,
                                         int fit, int64_t due_at);

/*
 * The ticket hook's phases (hooks.h): when a ticket is closed, its open
 * commitments are cancelled in the same transaction, audited; once that is
 * durable the scheduler is told.
 */
int desk_commitments_hook_written(struct desk_conn *c, struct desk_ticket_change *ch);
void desk_commitments_hook_committed(const struct desk_ticket_change *ch);

#endif
