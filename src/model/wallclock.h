/*
 * Wall-clock time in a named IANA zone, converted to and from UTC through
 * ICU's calendar (ucal). People say "Tuesday 10:00 my time"; desk stores
 * UTC milliseconds. Local times that do not exist (the hour skipped when
 * clocks go forward) or exist twice (the hour repeated when they go back)
 * are resolved as RFC 5545 section 3.3.5 resolves them, so desk and every
 * calendar client agree on the instant: a skipped time is read with the UTC
 * offset before the gap (02:30 becomes 03:30 on the spring-forward day), a
 * repeated time means its first occurrence (the one still in summer time).
 * Pure computation, no I/O; thread-safe (each call opens its own calendar).
 */
#ifndef DESK_MODEL_WALLCLOCK_H
#define DESK_MODEL_WALLCLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest zone name accepted (IANA names are far shorter). */
#define DESK_TZ_NAME_MAX 64

/* A local date and time, without a zone. Month 1-12, day 1-31. */
struct desk_wall {
    int year;
    int month;
    int day;
    int hour;
    int minute;
    int second;
};

/* How a wall time mapped to an instant. */
enum desk_wall_fit {
    DESK_WALL_EXACT,    /* the wall time exists once */
    DESK_WALL_SKIPPED,  /* in a DST gap: moved forward by the gap's length */
    DESK_WALL_REPEATED, /* in a DST overlap: the first occurrence was taken */
};

/*
 * True when zone names an IANA time zone ICU knows, spelled exactly
 * (case matters: ICU opens an unknown name as GMT without a word). Links
 * such as "US/Eastern" are accepted; custom ids ("GMT+3") and ICU's
 * "Etc/Unknown" are not. Names are kept as given, not canonicalized (ICU's
 * canonical names are CLDR's older spellings, "Asia/Calcutta").
 */
bool desk_tz_valid(const char *zone);

/*
 * Parses a local time "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS" (a space
 * may replace the T; no zone or offset), checking every field's range
 * including the days of the month. Years 1970-9999. Sets *out on success;
 * returns 0 or DESK_EINVAL.
 */
int desk_wall_parse(const char *s, size_t len, struct desk_wall *out);

/* Formats w as "YYYY-MM-DDTHH:MM:SS" into out. */
void desk_wall_format(const struct desk_wall *w, char out[20]);

/*
 * The UTC instant (ms) of wall time w in zone (an IANA name, validated as
 * by desk_tz_valid), with DST gaps and overlaps resolved as RFC 5545
 * says (see above); *fit tells which case applied. Returns 0 or DESK_EINVAL
 * (unknown zone or a field out of range).
 */
int desk_wall_to_utc(const struct desk_wall *w, const char *zone, int64_t *ms,
                     enum desk_wall_fit *fit);

/*
 * The wall time in zone at UTC instant ms, and the zone's total UTC offset
 * then in seconds (east positive). Returns 0 or DESK_EINVAL.
 */
int desk_wall_from_utc(int64_t ms, const char *zone, struct desk_wall *out, int *offset_s);

/* Formats an offset in seconds as "+HH:MM" / "-HH:MM" into out. */
void desk_wall_offset_format(int offset_s, char out[7]);

#endif
