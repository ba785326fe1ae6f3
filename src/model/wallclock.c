/*
 * Wall-clock conversions through ICU's ucal (see wallclock.h). Each call
 * opens a Gregorian calendar in the zone, so nothing is shared between
 * threads; the zone name is checked first, because ucal_open silently
 * falls back to GMT for a name it does not know.
 */
#include "model/wallclock.h"
#include "core/error.h"

#include <stdio.h>
#include <string.h>
#include <unicode/ucal.h>
#include <unicode/ustring.h>

/* Copies an ASCII zone name into UTF-16; false for anything that is not a plausible name. */
static bool zone_uchars(const char *zone, UChar out[DESK_TZ_NAME_MAX + 1])
{
    size_t n = zone ? strlen(zone) : 0;
    if (n == 0 || n > DESK_TZ_NAME_MAX) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = zone[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '/' || c == '_' || c == '-' || c == '+')) {
            return false;
        }
        out[i] = (UChar)c;
    }
    out[n] = 0;
    return true;
}

bool desk_tz_valid(const char *zone)
{
    UChar id[DESK_TZ_NAME_MAX + 1], canon[DESK_TZ_NAME_MAX + 1];
    UBool is_system = 0;
    UErrorCode st = U_ZERO_ERROR;
    if (!zone_uchars(zone, id)) {
        return false;
    }
    ucal_getCanonicalTimeZoneID(id, -1, canon, DESK_TZ_NAME_MAX + 1, &is_system, &st);
    return U_SUCCESS(st) && is_system && strcmp(zone, "Etc/Unknown") != 0;
}

static int open_cal(const char *zone, UCalendar **out)
{
    UChar id[DESK_TZ_NAME_MAX + 1];
    UErrorCode st = U_ZERO_ERROR;
    if (!desk_tz_valid(zone) || !zone_uchars(zone, id)) {
        return DESK_EINVAL;
    }
    UCalendar *cal = ucal_open(id, -1, "en_US_POSIX", UCAL_GREGORIAN, &st);
    if (U_FAILURE(st)) {
        ucal_close(cal);
        return DESK_EINVAL;
    }
    *out = cal;
    return 0;
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

static bool wall_ok(const struct desk_wall *w)
{
    return w->year >= 1970 && w->year <= 9999 && w->month >= 1 && w->month <= 12 && w->day >= 1 &&
           w->day <= days_in_month(w->year, w->month) && w->hour >= 0 && w->hour <= 23 &&
           w->minute >= 0 && w->minute <= 59 && w->second >= 0 && w->second <= 59;
}

static int num(const char *s, size_t len, size_t at, size_t n, int *out)
{
    int v = 0;
    if (at + n > len) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[at + i] < '0' || s[at + i] > '9') {
            return -1;
        }
        v = v * 10 + (s[at + i] - '0');
    }
    *out = v;
    return 0;
}

int desk_wall_parse(const char *s, size_t len, struct desk_wall *out)
{
    struct desk_wall w = {0};
    if (!s || (len != 16 && len != 19) || s[4] != '-' || s[7] != '-' ||
        (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || (len == 19 && s[16] != ':')) {
        return DESK_EINVAL;
    }
    if (num(s, len, 0, 4, &w.year) || num(s, len, 5, 2, &w.month) || num(s, len, 8, 2, &w.day) ||
        num(s, len, 11, 2, &w.hour) || num(s, len, 14, 2, &w.minute) ||
        (len == 19 && num(s, len, 17, 2, &w.second))) {
        return DESK_EINVAL;
    }
    if (!wall_ok(&w)) {
        return DESK_EINVAL;
    }
    *out = w;
    return 0;
}

void desk_wall_format(const struct desk_wall *w, char out[20])
{
    char tmp[64];
    snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d", w->year, w->month, w->day, w->hour,
             w->minute, w->second);
    memcpy(out, tmp, 19);
    out[19] = '\0';
}

void desk_wall_offset_format(int offset_s, char out[7])
{
    char tmp[32];
    int a = offset_s < 0 ? -offset_s : offset_s;
    snprintf(tmp, sizeof(tmp), "%c%02d:%02d", offset_s < 0 ? '-' : '+', a / 3600 % 100,
             a / 60 % 60);
    memcpy(out, tmp, 6);
    out[6] = '\0';
}

/* The instant of w under the given resolution of repeated times; reads back the wall fields. */
static int instant(UCalendar *cal, const struct desk_wall *w, UCalendarWallTimeOption repeated,
                   double *ms, struct desk_wall *back)
{
    UErrorCode st = U_ZERO_ERROR;
    ucal_setAttribute(cal, UCAL_REPEATED_WALL_TIME, repeated);
    /* RFC 5545 3.3.5: a nonexistent local time takes the offset from before the gap. */
    ucal_setAttribute(cal, UCAL_SKIPPED_WALL_TIME, UCAL_WALLTIME_LAST);
    ucal_clear(cal);
    ucal_setDateTime(cal, w->year, w->month - 1, w->day, w->hour, w->minute, w->second, &st);
    ucal_set(cal, UCAL_MILLISECOND, 0);
    *ms = ucal_getMillis(cal, &st);
    back->year = ucal_get(cal, UCAL_YEAR, &st);
    back->month = ucal_get(cal, UCAL_MONTH, &st) + 1;
    back->day = ucal_get(cal, UCAL_DATE, &st);
    back->hour = ucal_get(cal, UCAL_HOUR_OF_DAY, &st);
    back->minute = ucal_get(cal, UCAL_MINUTE, &st);
    back->second = ucal_get(cal, UCAL_SECOND, &st);
    return U_SUCCESS(st) ? 0 : DESK_EINVAL;
}

int desk_wall_to_utc(const struct desk_wall *w, const char *zone, int64_t *ms,
                     enum desk_wall_fit *fit)
{
    UCalendar *cal;
    if (!wall_ok(w) || open_cal(zone, &cal) != 0) {
        return DESK_EINVAL;
    }
    double first, last;
    struct desk_wall back, ignored;
    int rc = instant(cal, w, UCAL_WALLTIME_FIRST, &first, &back);
    if (!rc) {
        rc = instant(cal, w, UCAL_WALLTIME_LAST, &last, &ignored);
    }
    ucal_close(cal);
    if (rc) {
        return rc;
    }
    if (back.year != w->year || back.month != w->month || back.day != w->day ||
        back.hour != w->hour || back.minute != w->minute || back.second != w->second) {
        *fit = DESK_WALL_SKIPPED;
    } else if (first != last) {
        *fit = DESK_WALL_REPEATED;
    } else {
        *fit = DESK_WALL_EXACT;
    }
    *ms = (int64_t)first;
    return 0;
}

int desk_wall_from_utc(int64_t ms, const char *zone, struct desk_wall *out, int *offset_s)
{
    UCalendar *cal;
    UErrorCode st = U_ZERO_ERROR;
    if (open_cal(zone, &cal) != 0) {
        return DESK_EINVAL;
    }
    ucal_setMillis(cal, (UDate)ms, &st);
    struct desk_wall w;
    w.year = ucal_get(cal, UCAL_YEAR, &st);
    w.month = ucal_get(cal, UCAL_MONTH, &st) + 1;
    w.day = ucal_get(cal, UCAL_DATE, &st);
    w.hour = ucal_get(cal, UCAL_HOUR_OF_DAY, &st);
    w.minute = ucal_get(cal, UCAL_MINUTE, &st);
    w.second = ucal_get(cal, UCAL_SECOND, &st);
    int32_t off = ucal_get(cal, UCAL_ZONE_OFFSET, &st) + ucal_get(cal, UCAL_DST_OFFSET, &st);
    ucal_close(cal);
    if (U_FAILURE(st)) {
        return DESK_EINVAL;
    }
    *out = w;
    *offset_s = off / 1000;
    return 0;
}
