/*
 * The calendar: every deadline and promise a person, a group or a
 * supervisor's team has, as items an iCalendar feed (RFC 5545) shows.
 * Items come from sources that each capability contributes: commitments,
 * the due dates of tasks (the ticket's due_at), and SLA due times. Also
 * the secret per-user feed URLs: a random token derived from a salt with a
 * server key, stored only as a hash, rotatable.
 */
#ifndef DESK_APP_CALENDAR_H
#define DESK_APP_CALENDAR_H

#include "app/app.h"

#include <stdbool.h>
#include <stdint.h>

/* Whose calendar. */
enum desk_cal_scope {
    DESK_CAL_AGENT,      /* a person's commitments and their assigned tickets' deadlines */
    DESK_CAL_GROUP,      /* a group's tickets' commitments and deadlines */
    DESK_CAL_SUPERVISOR, /* a supervisor's groups' deadlines and their team's commitments */
};

/* One calendar entry. Strings in the request arena. */
struct desk_cal_item {
    const char *uid;  /* stable per item, e.g. "commitment-7@desk" */
    const char *kind; /* "commitment", "due_date", "sla" */
    int64_t start;    /* UTC ms */
    int64_t end;
    const char *summary;
    const char *description;
    int64_t ticket_id;
    bool cancelled;
    int64_t created_at;
    int64_t updated_at;
    int64_t alarm_before_ms; /* > 0: remind this long before start */
};

struct desk_cal {
    const char *name; /* "desk: Alice Agent" */
    struct desk_cal_item *items;
    size_t n;
};

/* What a feed holds: items from 30 days back to a year ahead, at most this many per source. */
#define DESK_CAL_PAST_MS      (30LL * 24 * 3600 * 1000)
#define DESK_CAL_AHEAD_MS     (366LL * 24 * 3600 * 1000)
#define DESK_CAL_SOURCE_ITEMS 2000

/*
 * The calendar of scope for id (a user for AGENT and SUPERVISOR, a group
 * for GROUP) as seen at now, sorted by start. Who may read it: a person
 * their own; members a group's; supervisors and admins any agent's or
 * group's; a supervisor their own team's, admins any. DESK_ENOTFOUND for an
 * unknown user or group (or an AGENT scope on an end user, a SUPERVISOR
 * scope on someone below supervisor), DESK_EFORBIDDEN otherwise.
 */
int desk_app_calendar(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                      int scope, int64_t id, int64_t now, struct desk_cal *out);

/* The scope a person's own feed URL shows: SUPERVISOR for supervisors and admins, else AGENT. */
int desk_app_calendar_own_scope(const struct desk_actor *who);

/*
 * The actor's secret feed token (43 URL-safe characters), made on first
 * use; with rotate, a new one replaces it (the old one stops working).
 * Staff only (DESK_EFORBIDDEN). DESK_EBUSY when the server has no feed key
 * (desk_app_calendar_set_key). Returns the token in *token (arena).
 */
int desk_app_calendar_feed_token(struct desk_app *app, const struct desk_actor *who,
                                 struct desk_arena *a, bool rotate, const char **token);

/*
 * The actor a feed token speaks for (an active staff user). DESK_ENOTFOUND
 * for an unknown, rotated or malformed token, or a user no longer active.
 */
int desk_app_calendar_feed_actor(struct desk_app *app, const char *token, struct desk_actor *out);

/*
 * Sets the server key feed tokens are derived from (copied; 32 bytes) for
 * app. Without one, no feed token can be made or checked.
 */
void desk_app_calendar_set_key(struct desk_app *app, const unsigned char key[32]);

/*
 * Loads the feed key from path, creating it (32 random bytes, mode 0600)
 * when it does not exist. Returns 0 and key, or DESK_EIO after logging.
 */
int desk_app_calendar_load_key(const char *path, unsigned char key[32]);

#endif
