/*
 * Commitments: promises an agent makes on a ticket ("call the customer back
 * Tuesday 10:00 their time"), with an owner, a due instant (UTC), the zone
 * it was said in, a note and a state. This file holds the records and the
 * pure rules (which state changes are allowed, when the reminder fires,
 * what the scheduler does next); store/ keeps them and app/ applies them.
 */
#ifndef DESK_MODEL_COMMITMENT_H
#define DESK_MODEL_COMMITMENT_H

#include "core/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum desk_commitment_state {
    DESK_CMT_OPEN,
    DESK_CMT_DONE,
    DESK_CMT_MISSED,
    DESK_CMT_CANCELLED,
};

#define DESK_CMT_NOTE_MAX   2000                           /* bytes */
#define DESK_CMT_HORIZON_MS (5LL * 366 * 24 * 3600 * 1000) /* furthest due: about 5 years ahead */

struct desk_commitment {
    int64_t id;
    int64_t ticket_id;
    int64_t owner_id;
    int64_t creator_id;
    int64_t due_at;        /* UTC ms */
    const char *time_zone; /* IANA zone the time was given in (display), or NULL for UTC */
    const char *due_fit;   /* how a local time mapped (DST gap/overlap), or NULL when exact */
    const char *note;
    int state;
    int64_t remind_at;   /* when the owner is reminded; 0: no reminder */
    int64_t reminded_at; /* 0 until the reminder went out */
    int64_t resolved_at; /* when it left open (done, missed, cancelled), else 0 */
    int64_t resolved_by; /* who closed it (0: the scheduler) */
    int64_t created_at;
    int64_t updated_at;
};

/* Wire names ("open", "done", "missed", "cancelled"); NULL for an unknown value. */
const char *desk_commitment_state_name(int state);

/* Parses a wire name (case-insensitive). Returns 0 and *out, or DESK_EINVAL. */
int desk_commitment_state_parse(const char *s, int *out);

/*
 * Whether a person may move a commitment from state `from` to `to`
 * (by_system: the scheduler). Open goes to done or cancelled, and to
 * missed only by the scheduler; a missed one may still be done (late) or
 * cancelled; done and cancelled are final. Moving to the same state is
 * not a change. Returns 0 or DESK_EINVALID with fail naming "state".
 */
int desk_commitment_transition(int from, int to, bool by_system, struct desk_fail *fail);

/*
 * The reminder instant for a commitment due at due_at with a lead of
 * lead_ms, created or rescheduled at now: due_at - lead_ms, or 0 (no
 * reminder) when that moment has already passed or the lead is not
 * positive.
 */
int64_t desk_commitment_remind_at(int64_t due_at, int64_t lead_ms, int64_t now);

/*
 * When the scheduler must next look at cm: its unsent reminder, else its
 * due time, while it is open; 0 when it needs no more attention.
 */
int64_t desk_commitment_next_at(const struct desk_commitment *cm);

/* What the scheduler does with an open commitment at now. */
enum desk_commitment_action {
    DESK_CMT_WAIT,   /* nothing yet */
    DESK_CMT_REMIND, /* send the reminder */
    DESK_CMT_MISS,   /* due has passed while open: missed */
};
enum desk_commitment_action desk_commitment_due_action(const struct desk_commitment *cm,
                                                       int64_t now);

/* ---- alerts ------------------------------------------------------------ */

/* Something desk tells one person: a reminder, a missed commitment. */
struct desk_alert {
    int64_t id;
    int64_t recipient_id;
    const char *kind; /* "commitment_reminder", "commitment_missed" */
    int64_t ticket_id;
    int64_t commitment_id;
    int64_t about_user_id; /* whom it concerns, e.g. the commitment's owner */
    const char *message;
    int64_t created_at;
    int64_t read_at; /* 0 while unread */
};

#endif
