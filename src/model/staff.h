/*
 * Staff rules: the words of a staff profile (language tags and
 * proficiencies, availability states, capacity channels) and working
 * schedules (weekly intervals in an IANA zone). Pure: ICU answers what a
 * language tag or a time zone is, nothing here does I/O.
 */
#ifndef DESK_MODEL_STAFF_H
#define DESK_MODEL_STAFF_H

#include "core/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How well an agent speaks a language. Routing counts DESK_PROF_ROUTABLE and above. */
enum desk_proficiency {
    DESK_PROF_BASIC,
    DESK_PROF_INTERMEDIATE,
    DESK_PROF_FLUENT,
    DESK_PROF_NATIVE
};
#define DESK_PROF_ROUTABLE DESK_PROF_INTERMEDIATE

/* An agent's availability, set by the agent or a supervisor. Only online agents are routed to. */
enum desk_avail { DESK_AVAIL_ONLINE, DESK_AVAIL_AWAY, DESK_AVAIL_BUSY, DESK_AVAIL_OFFLINE };

/* A staff member's lifecycle state. */
enum desk_staff_state {
    DESK_STAFF_INVITED,
    DESK_STAFF_ACTIVE,
    DESK_STAFF_SUSPENDED,
    DESK_STAFF_OFFBOARDED
};

/*
 * Wire names and their inverses, as in model/records.h: the *_name
 * functions return static strings; the *_parse functions match exactly
 * (lower case), set *out and return 0, or return DESK_EINVAL.
 */
const char *desk_proficiency_name(int p);
int desk_proficiency_parse(const char *s, int *out);
const char *desk_avail_name(int a);
int desk_avail_parse(const char *s, int *out);
const char *desk_staff_state_name(int s);

/*
 * Checks that tag is a well-formed BCP 47 tag whose language subtag ICU
 * knows (ISO 639), e.g. "cs", "pt-BR", "zh-Hant-TW"; "xx", "english" and
 * private-use tags are refused. On success writes the canonical form
 * (language lower case, region upper case, as ICU gives it) into canon
 * (cap bytes) and the primary language subtag into primary (4 bytes:
 * 2 or 3 letters and NUL). Returns 0 or DESK_EINVAL.
 */
int desk_lang_canon(const char *tag, char *canon, size_t cap, char primary[4]);

/*
 * The primary language subtag of a tag, packed into an integer for fast
 * comparison ("cs" and "cs-CZ" pack alike; case-insensitive). 0 when tag
 * is NULL or does not start with 2-3 letters.
 */
uint32_t desk_lang_key(const char *tag);

/* True when zone is an IANA time zone ICU knows (e.g. "Europe/Prague"). */
bool desk_zone_valid(const char *zone);

/*
 * Capacity channels: a ticket's channel is its via name (email, chat,
 * voice, web, api, ...); "default" stands for every channel an agent has
 * no own capacity for. True when name is one of them.
 */
bool desk_channel_valid(const char *name);

/* ---- working schedules ------------------------------------------------ */

#define DESK_SHIFTS_MAX   14                    /* shifts per week as given */
#define DESK_SCHEDULE_MAX (2 * DESK_SHIFTS_MAX) /* intervals, after overnight splits */
#define DESK_MINUTES_WEEK (7 * 24 * 60)

/* One shift as a person gives it: day 0-6 (Monday first), minutes of the day. */
struct desk_shift {
    int day;
    int start;
    int end; /* at or before start: the shift ends the next day */
};

/* A weekly working schedule: minute-of-week intervals [start, end), Monday 00:00 = 0. */
struct desk_work_schedule {
    size_t n;
    struct {
        uint16_t start;
        uint16_t end;
    } iv[DESK_SCHEDULE_MAX];
};

/*
 * Adds one working interval: day 0-6 (Monday first), start and end as
 * minutes of the day (0-1440). An end at or before the start crosses
 * midnight into the next day (a night shift), Sunday wrapping to Monday.
 * DESK_EINVAL when the values are out of range, the interval is empty, or
 * the schedule is full.
 */
int desk_schedule_add(struct desk_work_schedule *s, int day, int start_min, int end_min);

/* Parses a day name ("mon".."sun", or the full English name). Returns 0-6 or -1. */
int desk_schedule_day(const char *s);

/* Parses "HH:MM" (00:00-24:00) into minutes of the day. Returns 0 or DESK_EINVAL. */
int desk_schedule_hhmm(const char *s, int *out);

/*
 * The stored text form, "mon 09:00-17:00,tue 22:00-06:00": parses text
 * into *out and, when shifts is not NULL, the shifts as given (room for
 * DESK_SHIFTS_MAX; *n_shifts set). Returns 0 or DESK_EINVAL on any
 * malformed part or more than DESK_SHIFTS_MAX shifts; "" is an empty
 * schedule (never on shift).
 */
int desk_schedule_parse(const char *text, struct desk_work_schedule *out, struct desk_shift *shifts,
                        size_t *n_shifts);

/* Writes the text form of one shift ("mon 09:00-17:00", at most 16 bytes with NUL) into out. */
void desk_shift_format(const struct desk_shift *sh, char out[16]);

/* True when minute-of-week m falls inside the schedule. */
bool desk_schedule_covers(const struct desk_work_schedule *s, int m);

/*
 * Minute of the week (Monday 00:00 = 0) at now_ms in zone's wall-clock
 * time, through ICU (DST included). Returns 0 and *out, or DESK_EINVAL for
 * an unknown zone.
 */
int desk_zone_minute_of_week(const char *zone, int64_t now_ms, int *out);

#endif
