/*
 * Staff rules (see staff.h): wire names, BCP 47 tags and IANA zones checked
 * through ICU, and weekly working schedules.
 */
#include "model/staff.h"

#include <stdio.h>
#include <string.h>
#include <unicode/ucal.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>

static const char *const prof_names[] = {"basic", "intermediate", "fluent", "native"};
static const char *const avail_names[] = {"online", "away", "busy", "offline"};
static const char *const state_names[] = {"invited", "active", "suspended", "offboarded"};

static int parse_name(const char *const *names, int n, const char *s, int *out)
{
    for (int i = 0; s && i < n; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    return DESK_EINVAL;
}

const char *desk_proficiency_name(int p)
{
    return p >= 0 && p < 4 ? prof_names[p] : NULL;
}

int desk_proficiency_parse(const char *s, int *out)
{
    return parse_name(prof_names, 4, s, out);
}

const char *desk_avail_name(int a)
{
    return a >= 0 && a < 4 ? avail_names[a] : NULL;
}

int desk_avail_parse(const char *s, int *out)
{
    return parse_name(avail_names, 4, s, out);
}

const char *desk_staff_state_name(int s)
{
    return s >= 0 && s < 4 ? state_names[s] : NULL;
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int desk_lang_canon(const char *tag, char *canon, size_t cap, char primary[4])
{
    char locale[ULOC_FULLNAME_CAPACITY], lang[ULOC_LANG_CAPACITY];
    int32_t parsed = 0;
    UErrorCode err = U_ZERO_ERROR;
    size_t len = tag ? strlen(tag) : 0;
    if (len < 2 || len > 35 || !is_alpha(tag[0]) || !is_alpha(tag[1])) {
        return DESK_EINVAL;
    }
    /* ICU parses leniently and stops at what it cannot read: the whole tag must parse. */
    uloc_forLanguageTag(tag, locale, (int32_t)sizeof(locale), &parsed, &err);
    if (U_FAILURE(err) || err == U_STRING_NOT_TERMINATED_WARNING || parsed != (int32_t)len) {
        return DESK_EINVAL;
    }
    int32_t n = uloc_getLanguage(locale, lang, (int32_t)sizeof(lang), &err);
    if (U_FAILURE(err) || n < 2 || n > 3) {
        return DESK_EINVAL;
    }
    /* A language ICU has no ISO 639 entry for is not one desk can route on. */
    const char *iso3 = uloc_getISO3Language(locale);
    if (!iso3 || !*iso3) {
        return DESK_EINVAL;
    }
    int32_t m = uloc_toLanguageTag(locale, canon, (int32_t)cap, 1, &err);
    if (U_FAILURE(err) || err == U_STRING_NOT_TERMINATED_WARNING || m <= 0 || (size_t)m >= cap) {
        return DESK_EINVAL;
    }
    memcpy(primary, lang, (size_t)n);
    primary[n] = '\0';
    return 0;
}

uint32_t desk_lang_key(const char *tag)
{
    uint32_t k = 0;
    size_t i = 0;
    if (!tag) {
        return 0;
    }
    for (; i < 3 && is_alpha(tag[i]); i++) {
        k = (k << 8) | (uint32_t)(tag[i] | 0x20);
    }
    if (i < 2 || (tag[i] != '\0' && tag[i] != '-' && tag[i] != '_')) {
        return 0;
    }
    return k;
}

bool desk_zone_valid(const char *zone)
{
    UChar id[128], canon[128];
    UBool system = 0;
    UErrorCode err = U_ZERO_ERROR;
    if (!zone || !*zone || strlen(zone) >= 100) {
        return false;
    }
    u_uastrncpy(id, zone, 127);
    id[127] = 0;
    ucal_getCanonicalTimeZoneID(id, -1, canon, 128, &system, &err);
    return U_SUCCESS(err) && system;
}

bool desk_channel_valid(const char *name)
{
    static const char *const channels[] = {"default", "api",    "web",  "email", "chat",
                                           "voice",   "portal", "rule", "cli"};
    for (size_t i = 0; name && i < sizeof(channels) / sizeof(channels[0]); i++) {
        if (strcmp(name, channels[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* ---- working schedules ------------------------------------------------ */

static int push(struct desk_work_schedule *s, int start, int end)
{
    if (s->n == (size_t)DESK_SCHEDULE_MAX) {
        return DESK_EINVAL;
    }
    s->iv[s->n].start = (uint16_t)start;
    s->iv[s->n].end = (uint16_t)end;
    s->n++;
    return 0;
}

int desk_schedule_add(struct desk_work_schedule *s, int day, int start_min, int end_min)
{
    if (day < 0 || day > 6 || start_min < 0 || start_min >= 1440 || end_min < 0 || end_min > 1440 ||
        end_min == start_min) {
        return DESK_EINVAL;
    }
    int base = day * 1440, start = base + start_min;
    if (end_min > start_min) {
        return push(s, start, base + end_min);
    }
    /* A night shift: to midnight, then on the next day (Sunday night runs into Monday). */
    int rc = push(s, start, base + 1440);
    if (!rc && end_min > 0) {
        int next = ((day + 1) % 7) * 1440;
        rc = push(s, next, next + end_min);
    }
    return rc;
}

int desk_schedule_day(const char *s)
{
    static const char *const days[] = {"monday", "tuesday",  "wednesday", "thursday",
                                       "friday", "saturday", "sunday"};
    size_t len = s ? strlen(s) : 0;
    for (int d = 0; d < 7; d++) {
        if ((len == 3 && strncmp(s, days[d], 3) == 0) || strcmp(s ? s : "", days[d]) == 0) {
            return d;
        }
    }
    return -1;
}

static int hhmm(const char *s, size_t len, int *out)
{
    if (len != 5 || s[2] != ':') {
        return DESK_EINVAL;
    }
    for (size_t i = 0; i < 5; i++) {
        if (i != 2 && (s[i] < '0' || s[i] > '9')) {
            return DESK_EINVAL;
        }
    }
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0)) {
        return DESK_EINVAL;
    }
    *out = h * 60 + m;
    return 0;
}

int desk_schedule_hhmm(const char *s, int *out)
{
    return s ? hhmm(s, strlen(s), out) : DESK_EINVAL;
}

int desk_schedule_parse(const char *text, struct desk_work_schedule *out, struct desk_shift *shifts,
                        size_t *n_shifts)
{
    struct desk_work_schedule s = {0};
    size_t n = 0;
    const char *p = text ? text : "";
    while (*p) {
        /* "ddd HH:MM-HH:MM", then "," or the end */
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char day[4];
        int start, stop, d;
        if (len != 15 || p[3] != ' ' || p[9] != '-' || n == DESK_SHIFTS_MAX) {
            return DESK_EINVAL;
        }
        memcpy(day, p, 3);
        day[3] = '\0';
        if ((d = desk_schedule_day(day)) < 0 || hhmm(p + 4, 5, &start) != 0 ||
            hhmm(p + 10, 5, &stop) != 0 || desk_schedule_add(&s, d, start, stop) != 0) {
            return DESK_EINVAL;
        }
        if (shifts) {
            shifts[n] = (struct desk_shift){d, start, stop};
        }
        n++;
        p += len;
        if (*p == ',') {
            p++;
            if (!*p) {
                return DESK_EINVAL;
            }
        }
    }
    *out = s;
    if (n_shifts) {
        *n_shifts = n;
    }
    return 0;
}

void desk_shift_format(const struct desk_shift *sh, char out[16])
{
    static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    int day = sh->day >= 0 && sh->day < 7 ? sh->day : 0;
    int start = sh->start >= 0 && sh->start <= 1440 ? sh->start : 0;
    int end = sh->end >= 0 && sh->end <= 1440 ? sh->end : 0;
    snprintf(out, 16, "%s %02d:%02d-%02d:%02d", days[day], start / 60, start % 60, end / 60,
             end % 60);
}

bool desk_schedule_covers(const struct desk_work_schedule *s, int m)
{
    for (size_t i = 0; i < s->n; i++) {
        if (m >= s->iv[i].start && m < s->iv[i].end) {
            return true;
        }
    }
    return false;
}

int desk_zone_minute_of_week(const char *zone, int64_t now_ms, int *out)
{
    UChar id[128];
    UErrorCode err = U_ZERO_ERROR;
    if (!desk_zone_valid(zone)) {
        return DESK_EINVAL;
    }
    u_uastrncpy(id, zone, 127);
    id[127] = 0;
    UCalendar *cal = ucal_open(id, -1, "en_US_POSIX", UCAL_GREGORIAN, &err);
    if (U_FAILURE(err)) {
        return DESK_EINVAL;
    }
    ucal_setMillis(cal, (UDate)now_ms, &err);
    int dow = ucal_get(cal, UCAL_DAY_OF_WEEK, &err); /* 1 = Sunday */
    int hour = ucal_get(cal, UCAL_HOUR_OF_DAY, &err);
    int minute = ucal_get(cal, UCAL_MINUTE, &err);
    ucal_close(cal);
    if (U_FAILURE(err)) {
        return DESK_EINVAL;
    }
    *out = ((dow + 5) % 7) * 1440 + hour * 60 + minute;
    return 0;
}
