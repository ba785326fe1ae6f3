/*
 * Business-hours schedules and deadline arithmetic: an IANA time zone,
 * weekly working intervals and whole-day holidays, compiled once into a
 * form that answers "when are N business minutes up, counting from t?" and
 * "how much business time lies between a and b?" with integer arithmetic.
 * The zone's UTC offsets and their transitions come from ICU (ucal) when a
 * zone is first compiled; wall-clock rules (23- and 25-hour days, intervals
 * split at midnight, holidays in the zone's calendar) follow from them.
 * Everything here is pure: no I/O, and compiled schedules are immutable, so
 * any number of threads may share one.
 */
#ifndef DESK_MODEL_CALENDAR_H
#define DESK_MODEL_CALENDAR_H

#include "core/arena.h"
#include "core/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DESK_BH_MINUTE_MS   60000LL
#define DESK_BH_DAY_MIN     1440
#define DESK_BH_WEEK_MIN    10080
#define DESK_BH_MIN_LEN     15  /* shortest interval, minutes */
#define DESK_BH_MAX_IVS     128 /* intervals per schedule */
#define DESK_BH_MAX_HOLS    512 /* holidays per schedule */
#define DESK_BH_MAX_HOL_LEN 366 /* days one holiday may span */
#define DESK_BH_ZONE_MAX    64  /* bytes of an IANA zone name */
#define DESK_BH_NEVER       INT64_MAX

/* A weekly interval in minutes from Sunday 00:00 wall time (Zendesk's form). */
struct desk_bh_interval {
    int start_min;
    int end_min; /* > start_min; up to DESK_BH_WEEK_MIN + DESK_BH_DAY_MIN (Saturday overnight) */
};

/*
 * Whole days off, in the schedule's calendar: days since 1970-01-01 (see
 * desk_bh_date_parse), start and end inclusive. With yearly, the same
 * month/day span recurs every year from the start year on.
 */
struct desk_bh_holiday {
    int32_t start_day;
    int32_t end_day;
    bool yearly;
};

/* What a schedule is made of; strings and arrays are borrowed during compile. */
struct desk_bh_spec {
    const char *zone; /* IANA, e.g. "Europe/Prague" */
    const struct desk_bh_interval *intervals;
    size_t n_intervals;
    const struct desk_bh_holiday *holidays;
    size_t n_holidays;
};

struct desk_bh;

/*
 * Checks spec and compiles it: the zone must be known to ICU (field
 * "time_zone"), intervals non-empty, each at least 15 minutes long, no two
 * overlapping (field "intervals"), holidays ending on or after their start
 * and at most a year long (field "holidays"). Intervals that cross midnight
 * are split; touching ones are joined. Returns 0 and *out (owned; free with
 * desk_bh_free), or DESK_EINVALID with fail naming the field (its text in
 * a; with a NULL, a generic text).
 */
int desk_bh_compile(const struct desk_bh_spec *spec, struct desk_arena *a, struct desk_bh **out,
                    struct desk_fail *fail);

/* Frees a compiled schedule. NULL is a no-op. */
void desk_bh_free(struct desk_bh *bh);

/* The zone name, borrowed from bh. */
const char *desk_bh_zone(const struct desk_bh *bh);

/* Business minutes in a week without holidays or offset changes. */
int64_t desk_bh_week_ms(const struct desk_bh *bh);

/*
 * The instant at which business_ms of working time, counted from start_ms,
 * is used up. A start outside hours counts from the next opening; a target
 * that runs out exactly at a closing is due at that closing. business_ms
 * <= 0 gives start_ms. DESK_BH_NEVER when no working time is left within
 * the next ten years (a schedule made entirely of holidays). With bh NULL
 * the arithmetic is plain calendar time.
 */
int64_t desk_bh_add(const struct desk_bh *bh, int64_t start_ms, int64_t business_ms);

/* Working time in [from_ms, to_ms) (0 when to_ms <= from_ms); calendar time when bh is NULL. */
int64_t desk_bh_elapsed(const struct desk_bh *bh, int64_t from_ms, int64_t to_ms);

/* True when instant t lies inside working hours (always, for bh NULL). */
bool desk_bh_is_open(const struct desk_bh *bh, int64_t t);

/* ---- explanation ------------------------------------------------------- */

enum desk_bh_step_kind {
    DESK_BH_STEP_SPAN,    /* working time counted: [from, to), ms of it */
    DESK_BH_STEP_WEEKS,   /* whole weeks counted at once: count weeks, ms of them */
    DESK_BH_STEP_HOLIDAY, /* a holiday skipped: day */
    DESK_BH_STEP_OFFSET,  /* the zone's offset changed at from: offset_before → offset_after */
    DESK_BH_STEP_WAIT     /* from a start outside hours to the next opening at to */
};

struct desk_bh_step {
    int kind;
    int64_t from;
    int64_t to;
    int64_t ms;
    int32_t day;
    int64_t count;
    int32_t offset_before;
    int32_t offset_after;
};

#define DESK_BH_STEPS_MAX 48

/* How a due time or an elapsed time was found; filled by the _explain variants. */
struct desk_bh_explain {
    struct desk_bh_step steps[DESK_BH_STEPS_MAX];
    size_t n;
    size_t dropped; /* steps past the cap */
};

/* desk_bh_add, recording the steps in *ex (caller's storage; reset first). */
int64_t desk_bh_add_explain(const struct desk_bh *bh, int64_t start_ms, int64_t business_ms,
                            struct desk_bh_explain *ex);

/* desk_bh_elapsed, recording the steps in *ex. */
int64_t desk_bh_elapsed_explain(const struct desk_bh *bh, int64_t from_ms, int64_t to_ms,
                                struct desk_bh_explain *ex);

/*
 * The steps as one line of English in the schedule's wall time, e.g.
 * "counted Fri 2026-03-27 16:30-17:00 (30 min); skipped holiday Mon
 * 2026-03-30; ...". Returns a string owned by a.
 */
char *desk_bh_explain_text(struct desk_arena *a, const struct desk_bh *bh,
                           const struct desk_bh_explain *ex);

/* ---- wall time --------------------------------------------------------- */

/* UTC offset (ms) in force at instant t. 0 for bh NULL. */
int32_t desk_bh_offset(const struct desk_bh *bh, int64_t t);

/*
 * Formats instant t as wall time in the schedule's zone: "Fri 2026-03-27
 * 16:30" (with_weekday) or "2026-03-27T16:30+01:00". Writes at most cap
 * bytes (NUL included) into out.
 */
void desk_bh_format(const struct desk_bh *bh, int64_t t, bool with_weekday, char *out, size_t cap);

/* True when zone is an IANA zone ICU knows. */
bool desk_bh_zone_valid(const char *zone);

/*
 * Wall time "YYYY-MM-DDTHH:MM" in zone → UTC ms, through ICU. A wall time
 * skipped by a DST change moves forward to the first valid one; a repeated
 * one is its first occurrence. Returns 0 or DESK_EINVAL.
 */
int desk_bh_local_parse(const char *zone, const char *text, int64_t *out);

/*
 * Formats instant t in zone through ICU (udat), pattern as ICU's, e.g.
 * "yyyy-MM-dd'T'HH:mmxxx". Returns 0 or DESK_EINVAL (unknown zone).
 */
int desk_bh_local_format(const char *zone, int64_t t, const char *pattern, char *out, size_t cap);

/* ---- parsing ----------------------------------------------------------- */

/* "YYYY-MM-DD" → days since 1970-01-01. Returns 0 or DESK_EINVAL. */
int desk_bh_date_parse(const char *s, int32_t *day);

/* Days since 1970-01-01 → "YYYY-MM-DD" (11 bytes with NUL). */
void desk_bh_date_format(int32_t day, char out[11]);

/*
 * Parses a weekly hours text: groups separated by ',', each "DAYS RANGE
 * [RANGE...]" where DAYS is a day ("mon") or a span ("mon-fri", wrapping
 * "fri-mon" allowed) and RANGE is "HH:MM-HH:MM" (24:00 allowed as an end;
 * an end at or before the start runs past midnight). E.g. "mon-fri
 * 09:00-12:00 13:00-17:00,sat 10:00-14:00". Writes up to max intervals
 * into out and their count into *n. Returns 0 or DESK_EINVALID with fail
 * (field "hours", text in a).
 */
int desk_bh_hours_parse(struct desk_arena *a, const char *text, struct desk_bh_interval *out,
                        size_t max, size_t *n, struct desk_fail *fail);

#endif
