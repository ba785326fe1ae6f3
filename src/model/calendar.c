/*
 * Business-hours arithmetic (see calendar.h). A zone is read from ICU once
 * per process: the UTC offset in force from each transition between 1900
 * and 2200, kept in a sorted table shared by every schedule in that zone.
 * From then on an instant's wall time is a table lookup plus an addition,
 * and the walk from one working span to the next is integer arithmetic on
 * local days: a span never crosses a local midnight (intervals are split
 * there) nor an offset change (the walk re-reads the offset at each
 * transition), so 23- and 25-hour days need no special case. Whole weeks
 * without holidays or offset changes are counted in one step.
 */
#include "model/calendar.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ucal.h>
#include <unicode/udat.h>
#include <unicode/ustring.h>

#define DAY_MS  86400000LL
#define WEEK_MS (7 * DAY_MS)

/* Offsets are read for [1900, 2200); the last one holds after that. */
#define RANGE_START_MS (-2208988800000LL) /* 1900-01-01T00:00Z */
#define RANGE_END_MS   7258118400000LL    /* 2200-01-01T00:00Z */
#define ZONE_MAX_SEGS  8192

/* Holidays are kept as a bitmap of local days 1970-01-01 .. 2199-12-31. */
#define HOL_DAYS 84006

/* How far add() looks for working time before answering "never". */
#define NEVER_HORIZON_MS (3653 * DAY_MS)

/* A zone's offsets: segment i starts at start[i] (start[0] is INT64_MIN) with offset[i]. */
struct bh_zone {
    char name[DESK_BH_ZONE_MAX];
    size_t n;
    int64_t *start;
    int32_t *offset;
    struct bh_zone *next;
};

struct desk_bh {
    const struct bh_zone *zone;
    size_t n_iv;
    int64_t *iv_s; /* ms from Sunday 00:00 wall time; sorted, each within one day */
    int64_t *iv_e;
    size_t day_first[8]; /* intervals of weekday d are [day_first[d], day_first[d+1]) */
    int64_t *cum_end;    /* business ms from Sunday 00:00 to the end of interval k */
    int64_t week_ms;
    uint64_t *hol; /* NULL: no holidays */
};

/* ---- small arithmetic --------------------------------------------------- */

static int64_t fdiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static int64_t fmod_pos(int64_t a, int64_t b)
{
    int64_t r = a % b;
    return r < 0 ? r + b : r;
}

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = fdiv(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = fdiv(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static bool leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
    static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : n[m - 1];
}

/* ---- zones (ICU) -------------------------------------------------------- */

static pthread_mutex_t zones_lock = PTHREAD_MUTEX_INITIALIZER;
static struct bh_zone *zones;

static bool zone_chars_ok(const char *zone)
{
    size_t n = strlen(zone);
    if (n == 0 || n >= DESK_BH_ZONE_MAX) {
        return false;
    }
    for (const char *p = zone; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '/' || c == '_' || c == '-' || c == '+')) {
            return false;
        }
    }
    return true;
}

bool desk_bh_zone_valid(const char *zone)
{
    if (!zone || !zone_chars_ok(zone) || strcmp(zone, "Etc/Unknown") == 0) {
        return false;
    }
    UChar uz[DESK_BH_ZONE_MAX], canon[128];
    UBool system = 0;
    UErrorCode st = U_ZERO_ERROR;
    u_uastrcpy(uz, zone);
    ucal_getCanonicalTimeZoneID(uz, -1, canon, 128, &system, &st);
    return U_SUCCESS(st) && system;
}

static int32_t cal_offset(UCalendar *cal, UErrorCode *st)
{
    return ucal_get(cal, UCAL_ZONE_OFFSET, st) + ucal_get(cal, UCAL_DST_OFFSET, st);
}

/* Reads zone's offset table from ICU. NULL when ICU cannot open it. */
static struct bh_zone *zone_read(const char *name)
{
    UChar uz[DESK_BH_ZONE_MAX];
    UErrorCode st = U_ZERO_ERROR;
    u_uastrcpy(uz, name);
    UCalendar *cal = ucal_open(uz, -1, "en_US", UCAL_GREGORIAN, &st);
    if (U_FAILURE(st)) {
        return NULL;
    }
    size_t cap = 64;
    struct bh_zone *z = calloc(1, sizeof(*z));
    if (!z) {
        abort();
    }
    snprintf(z->name, sizeof(z->name), "%s", name);
    z->start = malloc(cap * sizeof(*z->start));
    z->offset = malloc(cap * sizeof(*z->offset));
    if (!z->start || !z->offset) {
        abort();
    }
    ucal_setMillis(cal, (UDate)RANGE_START_MS, &st);
    z->start[0] = INT64_MIN;
    z->offset[0] = cal_offset(cal, &st);
    z->n = 1;
    while (U_SUCCESS(st) && z->n < ZONE_MAX_SEGS) {
        UDate tr;
        if (!ucal_getTimeZoneTransitionDate(cal, UCAL_TZ_TRANSITION_NEXT, &tr, &st) ||
            U_FAILURE(st) || tr >= (UDate)RANGE_END_MS) {
            break;
        }
        ucal_setMillis(cal, tr, &st);
        int32_t off = cal_offset(cal, &st);
        if (U_FAILURE(st) || off == z->offset[z->n - 1]) {
            continue; /* a change of name or of the DST/standard split only */
        }
        if (z->n == cap) {
            cap *= 2;
            z->start = realloc(z->start, cap * sizeof(*z->start));
            z->offset = realloc(z->offset, cap * sizeof(*z->offset));
            if (!z->start || !z->offset) {
                abort();
            }
        }
        z->start[z->n] = (int64_t)tr;
        z->offset[z->n] = off;
        z->n++;
    }
    ucal_close(cal);
    if (U_FAILURE(st)) {
        free(z->start);
        free(z->offset);
        free(z);
        return NULL;
    }
    return z;
}

/* The shared offset table of a valid zone, read on first use. */
static const struct bh_zone *zone_get(const char *name)
{
    pthread_mutex_lock(&zones_lock);
    struct bh_zone *z = zones;
    while (z && strcmp(z->name, name) != 0) {
        z = z->next;
    }
    if (!z && (z = zone_read(name)) != NULL) {
        z->next = zones;
        zones = z;
    }
    pthread_mutex_unlock(&zones_lock);
    return z;
}

static size_t zone_find(const struct bh_zone *z, int64_t t)
{
    size_t lo = 0, hi = z->n; /* start[lo] <= t < start[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->start[mid] <= t) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return lo;
}

int32_t desk_bh_offset(const struct desk_bh *bh, int64_t t)
{
    return bh ? bh->zone->offset[zone_find(bh->zone, t)] : 0;
}

const char *desk_bh_zone(const struct desk_bh *bh)
{
    return bh ? bh->zone->name : "UTC";
}

int64_t desk_bh_week_ms(const struct desk_bh *bh)
{
    return bh ? bh->week_ms : WEEK_MS;
}

/* ---- compile ------------------------------------------------------------ */

static const char *const wday_short[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

/* "Mon 09:00-17:00" for a weekly interval, for error messages. */
static void interval_text(const struct desk_bh_interval *iv, char *out, size_t cap)
{
    int s = iv->start_min, e = iv->end_min;
    int sd = (s / DESK_BH_DAY_MIN) % 7;
    snprintf(out, cap, "%s %02d:%02d-%02d:%02d", wday_short[sd < 0 ? 0 : sd],
             (s % DESK_BH_DAY_MIN) / 60, s % 60, (e % DESK_BH_DAY_MIN) / 60 + (e % 1440 == 0) * 24,
             e % 60);
}

struct piece {
    int64_t s, e;
    size_t src;
};

static int piece_cmp(const void *a, const void *b)
{
    const struct piece *x = a, *y = b;
    return x->s < y->s ? -1 : x->s > y->s;
}

static bool hol_get(const uint64_t *hol, int64_t day)
{
    return hol && day >= 0 && day < HOL_DAYS && (hol[day >> 6] >> (day & 63) & 1);
}

static void hol_set(uint64_t *hol, int64_t from, int64_t to)
{
    if (from < 0) {
        from = 0;
    }
    for (int64_t d = from; d <= to && d < HOL_DAYS; d++) {
        hol[d >> 6] |= 1ULL << (d & 63);
    }
}

/* A failure text kept in a (it must outlive the call), or generic without an arena. */
static const char *keep(struct desk_arena *a, const char *text, const char *generic)
{
    return a ? desk_arena_strdup(a, text) : generic;
}

static int compile_intervals(struct desk_bh *bh, const struct desk_bh_spec *spec,
                             struct desk_arena *a, struct desk_fail *fail)
{
    char t1[40], t2[40], msg[200];
    if (spec->n_intervals == 0) {
        return desk_fail(fail, DESK_EINVALID, "intervals", "BlankValue",
                         "Intervals: a schedule needs at least one working interval");
    }
    if (spec->n_intervals > DESK_BH_MAX_IVS) {
        return desk_fail(fail, DESK_EINVALID, "intervals", "TooMany",
                         "Intervals: at most 128 intervals per schedule");
    }
    struct piece *p = calloc(spec->n_intervals * 2, sizeof(*p));
    if (!p) {
        abort();
    }
    size_t n = 0;
    int rc = 0;
    for (size_t i = 0; i < spec->n_intervals && !rc; i++) {
        const struct desk_bh_interval *iv = &spec->intervals[i];
        int s = iv->start_min, e = iv->end_min;
        if (s < 0 || s >= DESK_BH_WEEK_MIN || e <= s || e > DESK_BH_WEEK_MIN + DESK_BH_DAY_MIN ||
            e - s > DESK_BH_WEEK_MIN) {
            snprintf(msg, sizeof(msg),
                     "Intervals: %d-%d is empty or outside the week (start_time and end_time are "
                     "minutes from Sunday 00:00, start before end)",
                     s, e);
            rc = desk_fail(fail, DESK_EINVALID, "intervals", "InvalidValue",
                           keep(a, msg, "Intervals: an interval is empty or outside the week"));
            break;
        }
        if (e - s < DESK_BH_MIN_LEN) {
            interval_text(iv, t1, sizeof(t1));
            snprintf(msg, sizeof(msg), "Intervals: %s is shorter than 15 minutes", t1);
            rc = desk_fail(fail, DESK_EINVALID, "intervals", "TooShort",
                           keep(a, msg, "Intervals: an interval is shorter than 15 minutes"));
            break;
        }
        int64_t sm = s * DESK_BH_MINUTE_MS, em = e * DESK_BH_MINUTE_MS;
        if (em > WEEK_MS) { /* Saturday night into Sunday morning */
            p[n++] = (struct piece){sm, WEEK_MS, i};
            p[n++] = (struct piece){0, em - WEEK_MS, i};
        } else {
            p[n++] = (struct piece){sm, em, i};
        }
    }
    if (!rc) {
        qsort(p, n, sizeof(*p), piece_cmp);
        for (size_t i = 1; i < n && !rc; i++) {
            if (p[i].s < p[i - 1].e) {
                interval_text(&spec->intervals[p[i - 1].src], t1, sizeof(t1));
                interval_text(&spec->intervals[p[i].src], t2, sizeof(t2));
                snprintf(msg, sizeof(msg), "Intervals: %s overlaps %s", t1, t2);
                rc = desk_fail(fail, DESK_EINVALID, "intervals", "Overlap",
                               keep(a, msg, "Intervals: two intervals overlap"));
            }
        }
    }
    if (rc) {
        free(p);
        return rc;
    }
    /* Join touching pieces, then cut at every midnight so that a span never crosses one. */
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m && p[m - 1].e == p[i].s) {
            p[m - 1].e = p[i].e;
        } else {
            p[m++] = p[i];
        }
    }
    size_t cap = m + 8;
    bh->iv_s = malloc(cap * sizeof(int64_t));
    bh->iv_e = malloc(cap * sizeof(int64_t));
    if (!bh->iv_s || !bh->iv_e) {
        abort();
    }
    for (size_t i = 0; i < m; i++) {
        int64_t s = p[i].s;
        while (s < p[i].e) {
            int64_t e = min64(p[i].e, (s / DAY_MS + 1) * DAY_MS);
            if (bh->n_iv == cap) {
                cap *= 2;
                bh->iv_s = realloc(bh->iv_s, cap * sizeof(int64_t));
                bh->iv_e = realloc(bh->iv_e, cap * sizeof(int64_t));
                if (!bh->iv_s || !bh->iv_e) {
                    abort();
                }
            }
            bh->iv_s[bh->n_iv] = s;
            bh->iv_e[bh->n_iv] = e;
            bh->n_iv++;
            bh->week_ms += e - s;
            s = e;
        }
    }
    free(p);
    size_t k = 0;
    for (int d = 0; d <= 7; d++) {
        while (k < bh->n_iv && bh->iv_s[k] < d * DAY_MS) {
            k++;
        }
        bh->day_first[d] = k;
    }
    bh->day_first[7] = bh->n_iv;
    bh->cum_end = malloc((bh->n_iv ? bh->n_iv : 1) * sizeof(int64_t));
    if (!bh->cum_end) {
        abort();
    }
    for (size_t i = 0, sum = 0; i < bh->n_iv; i++) {
        sum += (size_t)(bh->iv_e[i] - bh->iv_s[i]);
        bh->cum_end[i] = (int64_t)sum;
    }
    return 0;
}

static int compile_holidays(struct desk_bh *bh, const struct desk_bh_spec *spec,
                            struct desk_arena *a, struct desk_fail *fail)
{
    char t1[11], t2[11], msg[160];
    if (spec->n_holidays == 0) {
        return 0;
    }
    if (spec->n_holidays > DESK_BH_MAX_HOLS) {
        return desk_fail(fail, DESK_EINVALID, "holidays", "TooMany",
                         "Holidays: at most 512 holidays per schedule");
    }
    for (size_t i = 0; i < spec->n_holidays; i++) {
        const struct desk_bh_holiday *h = &spec->holidays[i];
        desk_bh_date_format(h->start_day, t1);
        desk_bh_date_format(h->end_day, t2);
        if (h->end_day < h->start_day) {
            snprintf(msg, sizeof(msg), "Holidays: the holiday from %s ends before it starts (%s)",
                     t1, t2);
            return desk_fail(fail, DESK_EINVALID, "holidays", "InvalidValue",
                             keep(a, msg, "Holidays: a holiday ends before it starts"));
        }
        if (h->end_day - h->start_day >= DESK_BH_MAX_HOL_LEN) {
            snprintf(msg, sizeof(msg), "Holidays: the holiday from %s to %s is longer than a year",
                     t1, t2);
            return desk_fail(fail, DESK_EINVALID, "holidays", "TooLong",
                             keep(a, msg, "Holidays: a holiday is longer than a year"));
        }
    }
    bh->hol = calloc((HOL_DAYS + 63) / 64, sizeof(uint64_t));
    if (!bh->hol) {
        abort();
    }
    int64_t first = HOL_DAYS;
    for (size_t i = 0; i < spec->n_holidays; i++) {
        const struct desk_bh_holiday *h = &spec->holidays[i];
        first = h->start_day < first ? h->start_day : first;
        if (!h->yearly) {
            hol_set(bh->hol, h->start_day, h->end_day);
            continue;
        }
        /* The same month/day span every year: a holiday set for 1 January to 31 December
         * covers leap years too; one starting on 29 February recurs in leap years only. */
        int64_t y0, y1;
        int m0, d0, m1, d1;
        civil_from_days(h->start_day, &y0, &m0, &d0);
        civil_from_days(h->end_day, &y1, &m1, &d1);
        for (int64_t y = y0 < 1969 ? 1969 : y0; y < 2200; y++) {
            if (d0 > month_days(y, m0)) {
                continue;
            }
            int64_t ye = y + (y1 - y0);
            int de = d1 > month_days(ye, m1) ? month_days(ye, m1) : d1;
            hol_set(bh->hol, days_from_civil(y, m0, d0), days_from_civil(ye, m1, de));
        }
    }
    /* A schedule whose every working day from its first holiday on is a holiday could never
     * let a clock run out. */
    for (int64_t day = first < 0 ? 0 : first; day < HOL_DAYS; day++) {
        int dow = (int)fmod_pos(day + 4, 7);
        if (bh->day_first[dow + 1] > bh->day_first[dow] && !hol_get(bh->hol, day)) {
            return 0;
        }
    }
    return desk_fail(fail, DESK_EINVALID, "holidays", "NoWorkingTime",
                     "Holidays: they cover every working day, so the schedule has no working time");
}

int desk_bh_compile(const struct desk_bh_spec *spec, struct desk_arena *a, struct desk_bh **out,
                    struct desk_fail *fail)
{
    if (!spec->zone || !desk_bh_zone_valid(spec->zone)) {
        return desk_fail(fail, DESK_EINVALID, "time_zone", "InvalidValue",
                         "Time zone: is not a known IANA time zone (e.g. Europe/Prague)");
    }
    const struct bh_zone *z = zone_get(spec->zone);
    if (!z) {
        return desk_fail(fail, DESK_EINVALID, "time_zone", "InvalidValue",
                         "Time zone: ICU cannot open this time zone");
    }
    struct desk_bh *bh = calloc(1, sizeof(*bh));
    if (!bh) {
        abort();
    }
    bh->zone = z;
    int rc = compile_intervals(bh, spec, a, fail);
    if (!rc) {
        rc = compile_holidays(bh, spec, a, fail);
    }
    if (rc) {
        desk_bh_free(bh);
        return rc;
    }
    *out = bh;
    return 0;
}

void desk_bh_free(struct desk_bh *bh)
{
    if (!bh) {
        return;
    }
    free(bh->iv_s);
    free(bh->iv_e);
    free(bh->cum_end);
    free(bh->hol);
    free(bh);
}

/* ---- the walk ----------------------------------------------------------- */

struct walker {
    const struct desk_bh *bh;
    size_t seg; /* last segment used: the walk moves forward, so usually still right */
    struct desk_bh_explain *ex;
    int64_t last_hol; /* last holiday recorded, so a day split by a transition shows once */
};

static void record(struct walker *w, struct desk_bh_step st)
{
    struct desk_bh_explain *ex = w->ex;
    if (!ex) {
        return;
    }
    if (ex->n == DESK_BH_STEPS_MAX) {
        ex->dropped++;
        return;
    }
    /* Adjacent spans (the two halves of an interval split by a transition) read as one. */
    if (st.kind == DESK_BH_STEP_SPAN && ex->n && ex->steps[ex->n - 1].kind == DESK_BH_STEP_SPAN &&
        ex->steps[ex->n - 1].to == st.from) {
        ex->steps[ex->n - 1].to = st.to;
        ex->steps[ex->n - 1].ms += st.ms;
        return;
    }
    ex->steps[ex->n++] = st;
}

static size_t seg_for(struct walker *w, int64_t t)
{
    const struct bh_zone *z = w->bh->zone;
    size_t i = w->seg;
    if (z->start[i] <= t && (i + 1 == z->n || t < z->start[i + 1])) {
        return i;
    }
    size_t j = (i + 1 < z->n && z->start[i + 1] <= t && (i + 2 >= z->n || t < z->start[i + 2]))
                   ? i + 1
                   : zone_find(z, t);
    if (w->ex && j == i + 1) {
        record(w, (struct desk_bh_step){.kind = DESK_BH_STEP_OFFSET,
                                        .from = z->start[j],
                                        .offset_before = z->offset[i],
                                        .offset_after = z->offset[j]});
    }
    w->seg = j;
    return j;
}

static int64_t seg_end(const struct bh_zone *z, size_t s)
{
    return s + 1 < z->n ? z->start[s + 1] : INT64_MAX;
}

/*
 * The first working span [*a, *b) with *a >= t, looking no further than
 * limit. A span lies within one local day and one offset segment.
 */
static bool next_span(struct walker *w, int64_t t, int64_t limit, int64_t *a, int64_t *b)
{
    const struct desk_bh *bh = w->bh;
    const struct bh_zone *z = bh->zone;
    while (t < limit) {
        size_t s = seg_for(w, t);
        int64_t o = z->offset[s], end = seg_end(z, s);
        int64_t local = t + o, day = fdiv(local, DAY_MS), day0 = day * DAY_MS;
        int64_t next_day = min64(day0 + DAY_MS - o, end);
        if (hol_get(bh->hol, day)) {
            if (w->ex && w->last_hol != day) {
                w->last_hol = day;
                record(w, (struct desk_bh_step){
                              .kind = DESK_BH_STEP_HOLIDAY, .day = (int32_t)day, .from = t});
            }
            t = next_day;
            continue;
        }
        int dow = (int)fmod_pos(day + 4, 7); /* 1970-01-01 was a Thursday */
        int64_t tod = local - day0, base = day0 - (int64_t)dow * DAY_MS - o;
        bool found = false;
        for (size_t k = bh->day_first[dow]; k < bh->day_first[dow + 1]; k++) {
            if (bh->iv_e[k] - (int64_t)dow * DAY_MS <= tod) {
                continue;
            }
            int64_t start = base + bh->iv_s[k];
            if (start < t) {
                start = t;
            }
            if (start >= end) {
                break; /* opens after the offset changes: look again in the next segment */
            }
            *a = start;
            *b = min64(base + bh->iv_e[k], end);
            found = true;
            break;
        }
        if (found) {
            return true;
        }
        t = next_day;
    }
    return false;
}

/* First holiday in local days [from, to], or -1. */
static int64_t next_holiday(const uint64_t *hol, int64_t from, int64_t to)
{
    if (!hol) {
        return -1;
    }
    if (from < 0) {
        from = 0;
    }
    if (to >= HOL_DAYS) {
        to = HOL_DAYS - 1;
    }
    for (int64_t d = from; d <= to;) {
        uint64_t word = hol[d >> 6] >> (d & 63);
        if (word) {
            int64_t h = d + __builtin_ctzll(word);
            return h <= to ? h : -1;
        }
        d = (d | 63) + 1;
    }
    return -1;
}

/* How many whole weeks from t (at most k) contain no holiday and no offset change. */
static int64_t free_weeks(struct walker *w, int64_t t, int64_t k)
{
    const struct bh_zone *z = w->bh->zone;
    size_t s = seg_for(w, t);
    int64_t end = seg_end(z, s);
    if (end != INT64_MAX) {
        k = min64(k, (end - t) / WEEK_MS);
    }
    if (k > 0 && w->bh->hol) {
        int64_t day = fdiv(t + z->offset[s], DAY_MS);
        int64_t h = next_holiday(w->bh->hol, day, day + 7 * k);
        if (h >= 0) {
            k = min64(k, (h - day - 1) / 7);
        }
    }
    return k < 0 ? 0 : k;
}

/*
 * The fast path: within a stretch of one offset and no holiday, business time
 * is a difference of W, the cumulative business time since a Sunday at the
 * epoch's week boundary, and a due time is W's inverse; both are a binary
 * search over the week's intervals. Local weeks are counted from Sunday
 * 1970-01-04 (local day 3), so local ms x sits at x + 4 days into its week.
 */
#define WEEK_SHIFT (4 * DAY_MS)

/* Business ms in [0, p) of a week (p in [0, WEEK_MS]). */
static int64_t cum_week(const struct desk_bh *bh, int64_t p)
{
    size_t lo = 0, hi = bh->n_iv; /* first interval starting after p */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (bh->iv_s[mid] <= p) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo == 0) {
        return 0;
    }
    size_t k = lo - 1;
    return p < bh->iv_e[k] ? bh->cum_end[k] - (bh->iv_e[k] - p) : bh->cum_end[k];
}

static int64_t cum_at(const struct desk_bh *bh, int64_t local)
{
    int64_t y = local + WEEK_SHIFT, wk = fdiv(y, WEEK_MS);
    return wk * bh->week_ms + cum_week(bh, y - wk * WEEK_MS);
}

/* The earliest local time at which the cumulative business time reaches c. */
static int64_t cum_inverse(const struct desk_bh *bh, int64_t c)
{
    int64_t wk = fdiv(c - 1, bh->week_ms), rem = c - wk * bh->week_ms; /* rem in (0, week] */
    size_t lo = 0, hi = bh->n_iv - 1; /* first interval whose cumulative end reaches rem */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (bh->cum_end[mid] >= rem) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return wk * WEEK_MS + bh->iv_e[lo] - (bh->cum_end[lo] - rem) - WEEK_SHIFT;
}

/* From t (in segment s, not on a holiday): where the stretch of the same offset and no
 * holiday ends, as an instant. */
static int64_t stretch_end(const struct desk_bh *bh, size_t s, int64_t day)
{
    const struct bh_zone *z = bh->zone;
    int64_t o = z->offset[s], end = seg_end(z, s);
    int64_t h = next_holiday(bh->hol, day + 1, day + 400);
    int64_t stop = (h >= 0 ? h : day + 401) * DAY_MS - o;
    return stop < end ? stop : end;
}

static int64_t add_fast(const struct desk_bh *bh, int64_t t, int64_t remaining)
{
    const struct bh_zone *z = bh->zone;
    int64_t limit = t > INT64_MAX - NEVER_HORIZON_MS ? INT64_MAX : t + NEVER_HORIZON_MS;
    size_t s = zone_find(z, t);
    while (t < limit) {
        while (s + 1 < z->n && z->start[s + 1] <= t) {
            s++;
        }
        int64_t o = z->offset[s], local = t + o, day = fdiv(local, DAY_MS);
        if (hol_get(bh->hol, day)) {
            t = min64((day + 1) * DAY_MS - o, seg_end(z, s));
            continue;
        }
        int64_t stop = stretch_end(bh, s, day);
        int64_t c0 = cum_at(bh, local), avail = cum_at(bh, stop + o) - c0;
        if (avail >= remaining) {
            return cum_inverse(bh, c0 + remaining) - o;
        }
        remaining -= avail;
        t = stop;
    }
    return DESK_BH_NEVER;
}

static int64_t elapsed_fast(const struct desk_bh *bh, int64_t t, int64_t to)
{
    const struct bh_zone *z = bh->zone;
    size_t s = zone_find(z, t);
    int64_t total = 0;
    while (t < to) {
        while (s + 1 < z->n && z->start[s + 1] <= t) {
            s++;
        }
        int64_t o = z->offset[s], local = t + o, day = fdiv(local, DAY_MS);
        if (hol_get(bh->hol, day)) {
            t = min64((day + 1) * DAY_MS - o, seg_end(z, s));
            continue;
        }
        int64_t stop = min64(stretch_end(bh, s, day), to);
        total += cum_at(bh, stop + o) - cum_at(bh, local);
        t = stop;
    }
    return total;
}

static int64_t add_walk(const struct desk_bh *bh, int64_t start, int64_t remaining,
                        struct desk_bh_explain *ex)
{
    if (ex) {
        memset(ex, 0, sizeof(*ex));
    }
    if (remaining <= 0) {
        return start;
    }
    if (!bh) {
        if (ex) {
            ex->steps[ex->n++] = (struct desk_bh_step){
                .kind = DESK_BH_STEP_SPAN, .from = start, .to = start + remaining, .ms = remaining};
        }
        return start + remaining;
    }
    struct walker w = {bh, zone_find(bh->zone, start), ex, INT64_MIN};
    int64_t t = start,
            limit = start > INT64_MAX - NEVER_HORIZON_MS ? INT64_MAX : start + NEVER_HORIZON_MS;
    bool first = true;
    size_t mark = 0;
    for (;;) {
        if (remaining > bh->week_ms) {
            int64_t k = free_weeks(&w, t, (remaining - 1) / bh->week_ms);
            if (k > 0) {
                record(&w, (struct desk_bh_step){.kind = DESK_BH_STEP_WEEKS,
                                                 .from = t,
                                                 .to = t + k * WEEK_MS,
                                                 .count = k,
                                                 .ms = k * bh->week_ms});
                t += k * WEEK_MS;
                remaining -= k * bh->week_ms;
                first = false;
            }
        }
        int64_t a, b;
        if (ex && first) {
            mark = ex->n;
        }
        if (!next_span(&w, t, limit, &a, &b)) {
            return DESK_BH_NEVER;
        }
        if (ex && first && a > t) {
            /* The wait reads first, before the holidays and changes met on the way. */
            if (ex->n == DESK_BH_STEPS_MAX) {
                ex->n--;
                ex->dropped++;
            }
            memmove(&ex->steps[mark + 1], &ex->steps[mark], (ex->n - mark) * sizeof(ex->steps[0]));
            ex->steps[mark] = (struct desk_bh_step){.kind = DESK_BH_STEP_WAIT, .from = t, .to = a};
            ex->n++;
        }
        first = false;
        if (b - a >= remaining) {
            record(&w,
                   (struct desk_bh_step){
                       .kind = DESK_BH_STEP_SPAN, .from = a, .to = a + remaining, .ms = remaining});
            return a + remaining;
        }
        record(&w,
               (struct desk_bh_step){.kind = DESK_BH_STEP_SPAN, .from = a, .to = b, .ms = b - a});
        remaining -= b - a;
        t = b;
    }
}

int64_t desk_bh_add(const struct desk_bh *bh, int64_t start_ms, int64_t business_ms)
{
    if (!bh || business_ms <= 0) {
        return add_walk(bh, start_ms, business_ms, NULL);
    }
    return add_fast(bh, start_ms, business_ms);
}

int64_t desk_bh_add_explain(const struct desk_bh *bh, int64_t start_ms, int64_t business_ms,
                            struct desk_bh_explain *ex)
{
    return add_walk(bh, start_ms, business_ms, ex);
}

static int64_t elapsed_walk(const struct desk_bh *bh, int64_t from, int64_t to,
                            struct desk_bh_explain *ex)
{
    if (ex) {
        memset(ex, 0, sizeof(*ex));
    }
    if (to <= from) {
        return 0;
    }
    if (!bh) {
        if (ex) {
            ex->steps[ex->n++] = (struct desk_bh_step){
                .kind = DESK_BH_STEP_SPAN, .from = from, .to = to, .ms = to - from};
        }
        return to - from;
    }
    struct walker w = {bh, zone_find(bh->zone, from), ex, INT64_MIN};
    int64_t total = 0, t = from;
    while (t < to) {
        if (to - t > WEEK_MS) {
            int64_t k = free_weeks(&w, t, (to - t) / WEEK_MS);
            if (k > 0) {
                record(&w, (struct desk_bh_step){.kind = DESK_BH_STEP_WEEKS,
                                                 .from = t,
                                                 .to = t + k * WEEK_MS,
                                                 .count = k,
                                                 .ms = k * bh->week_ms});
                total += k * bh->week_ms;
                t += k * WEEK_MS;
            }
        }
        int64_t a, b;
        if (!next_span(&w, t, to, &a, &b) || a >= to) {
            break;
        }
        int64_t e = min64(b, to);
        record(&w,
               (struct desk_bh_step){.kind = DESK_BH_STEP_SPAN, .from = a, .to = e, .ms = e - a});
        total += e - a;
        t = b;
    }
    return total;
}

int64_t desk_bh_elapsed(const struct desk_bh *bh, int64_t from_ms, int64_t to_ms)
{
    if (!bh || to_ms <= from_ms) {
        return elapsed_walk(bh, from_ms, to_ms, NULL);
    }
    return elapsed_fast(bh, from_ms, to_ms);
}

int64_t desk_bh_elapsed_explain(const struct desk_bh *bh, int64_t from_ms, int64_t to_ms,
                                struct desk_bh_explain *ex)
{
    return elapsed_walk(bh, from_ms, to_ms, ex);
}

bool desk_bh_is_open(const struct desk_bh *bh, int64_t t)
{
    if (!bh) {
        return true;
    }
    struct walker w = {bh, zone_find(bh->zone, t), NULL, INT64_MIN};
    int64_t a, b;
    return t < INT64_MAX && next_span(&w, t, t + 1, &a, &b) && a == t;
}

/* ---- text --------------------------------------------------------------- */

void desk_bh_date_format(int32_t day, char out[11])
{
    int64_t y;
    int m, d;
    char buf[48];
    civil_from_days(day, &y, &m, &d);
    snprintf(buf, sizeof(buf), "%04d-%02d-%02d", (int)(y % 10000), m, d);
    memcpy(out, buf, 10);
    out[10] = '\0';
}

int desk_bh_date_parse(const char *s, int32_t *day)
{
    int y, m, d;
    char tail;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) {
        return DESK_EINVAL;
    }
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) {
            return DESK_EINVAL;
        }
    }
    if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > month_days(y, m)) {
        return DESK_EINVAL;
    }
    *day = (int32_t)days_from_civil(y, m, d);
    return 0;
}

void desk_bh_format(const struct desk_bh *bh, int64_t t, bool with_weekday, char *out, size_t cap)
{
    int32_t off = desk_bh_offset(bh, t);
    int64_t local = t + off, day = fdiv(local, DAY_MS), tod = local - day * DAY_MS;
    int64_t y;
    int m, d;
    civil_from_days(day, &y, &m, &d);
    int hh = (int)(tod / 3600000), mm = (int)(tod / 60000 % 60), ss = (int)(tod / 1000 % 60);
    if (with_weekday) {
        if (ss) {
            snprintf(out, cap, "%s %04d-%02d-%02d %02d:%02d:%02d", wday_short[fmod_pos(day + 4, 7)],
                     (int)y, m, d, hh, mm, ss);
        } else {
            snprintf(out, cap, "%s %04d-%02d-%02d %02d:%02d", wday_short[fmod_pos(day + 4, 7)],
                     (int)y, m, d, hh, mm);
        }
        return;
    }
    int aoff = off < 0 ? -off : off;
    snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d%c%02d:%02d", (int)y, m, d, hh, mm,
             off < 0 ? '-' : '+', aoff / 3600000, aoff / 60000 % 60);
}

/* "1 h 30 min", "45 min", "20 s", "3 d 2 h". */
static void duration_text(int64_t ms, char *out, size_t cap)
{
    long long s = (long long)(ms / 1000), m = s / 60, h = m / 60, d = h / 24;
    if (ms % 60000) {
        if (m) {
            snprintf(out, cap, "%lld min %lld s", m, s % 60);
        } else {
            snprintf(out, cap, "%lld s", s);
        }
    } else if (d >= 2) {
        if (m % 60) {
            snprintf(out, cap, "%lld d %lld h %lld min", d, h % 24, m % 60);
        } else {
            snprintf(out, cap, "%lld d %lld h", d, h % 24);
        }
    } else if (h) {
        if (m % 60) {
            snprintf(out, cap, "%lld h %lld min", h, m % 60);
        } else {
            snprintf(out, cap, "%lld h", h);
        }
    } else {
        snprintf(out, cap, "%lld min", m);
    }
}

static void offset_text(int32_t off, char *out, size_t cap)
{
    int a = off < 0 ? -off : off;
    snprintf(out, cap, "UTC%c%02d:%02d", off < 0 ? '-' : '+', a / 3600000, a / 60000 % 60);
}

char *desk_bh_explain_text(struct desk_arena *a, const struct desk_bh *bh,
                           const struct desk_bh_explain *ex)
{
    char out[4096];
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < ex->n && len < sizeof(out) - 200; i++) {
        const struct desk_bh_step *s = &ex->steps[i];
        char t1[40], t2[40], d[48];
        const char *sep = i ? "; " : "";
        switch (s->kind) {
        case DESK_BH_STEP_SPAN:
            desk_bh_format(bh, s->from, true, t1, sizeof(t1));
            desk_bh_format(bh, s->to - 1, true, t2, sizeof(t2));
            duration_text(s->ms, d, sizeof(d));
            /* Within one day (spans never cross a midnight): show only the end's time,
             * "24:00" for a span that runs to midnight. */
            if (strncmp(t1, t2, 14) == 0) {
                desk_bh_format(bh, s->to, true, t2, sizeof(t2));
                len += (size_t)snprintf(out + len, sizeof(out) - len, "%scounted %s-%s (%s)", sep,
                                        t1, strcmp(t2 + 15, "00:00") == 0 ? "24:00" : t2 + 15, d);
            } else {
                desk_bh_format(bh, s->to, true, t2, sizeof(t2));
                len += (size_t)snprintf(out + len, sizeof(out) - len, "%scounted %s-%s (%s)", sep,
                                        t1, t2, d);
            }
            break;
        case DESK_BH_STEP_WEEKS:
            desk_bh_format(bh, s->from, true, t1, sizeof(t1));
            desk_bh_format(bh, s->to, true, t2, sizeof(t2));
            duration_text(s->ms, d, sizeof(d));
            len += (size_t)snprintf(out + len, sizeof(out) - len,
                                    "%scounted %lld whole week%s %s-%s (%s)", sep,
                                    (long long)s->count, s->count == 1 ? "" : "s", t1, t2, d);
            break;
        case DESK_BH_STEP_HOLIDAY: {
            char day[11];
            desk_bh_date_format(s->day, day);
            len += (size_t)snprintf(out + len, sizeof(out) - len, "%sskipped holiday %s %s", sep,
                                    wday_short[fmod_pos(s->day + 4, 7)], day);
            break;
        }
        case DESK_BH_STEP_OFFSET:
            desk_bh_format(bh, s->from, true, t1, sizeof(t1));
            offset_text(s->offset_before, t2, sizeof(t2));
            offset_text(s->offset_after, d, sizeof(d));
            len += (size_t)snprintf(out + len, sizeof(out) - len,
                                    "%sclocks changed at %s (%s to %s)", sep, t1, t2, d);
            break;
        case DESK_BH_STEP_WAIT:
            desk_bh_format(bh, s->from, true, t1, sizeof(t1));
            desk_bh_format(bh, s->to, true, t2, sizeof(t2));
            len += (size_t)snprintf(out + len, sizeof(out) - len,
                                    "%s%s is outside business hours, so counting starts at the "
                                    "next opening, %s",
                                    sep, t1, t2);
            break;
        }
    }
    if (ex->dropped && len < sizeof(out) - 64) {
        len += (size_t)snprintf(out + len, sizeof(out) - len, "; and %zu more steps", ex->dropped);
    }
    return desk_arena_strndup(a, out, len < sizeof(out) ? len : sizeof(out) - 1);
}

/* ---- ICU wall time ------------------------------------------------------ */

int desk_bh_local_parse(const char *zone, const char *text, int64_t *out)
{
    int y, mo, d, h, mi;
    char tail;
    if (!desk_bh_zone_valid(zone) || !text || strlen(text) != 16 || text[4] != '-' ||
        text[7] != '-' || (text[10] != 'T' && text[10] != ' ') || text[13] != ':' ||
        sscanf(text, "%4d-%2d-%2d%*c%2d:%2d%c", &y, &mo, &d, &h, &mi, &tail) != 5) {
        return DESK_EINVAL;
    }
    if (y < 1900 || y > 2199 || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) || h < 0 ||
        h > 23 || mi < 0 || mi > 59) {
        return DESK_EINVAL;
    }
    UChar uz[DESK_BH_ZONE_MAX];
    UErrorCode st = U_ZERO_ERROR;
    u_uastrcpy(uz, zone);
    UCalendar *cal = ucal_open(uz, -1, "en_US", UCAL_GREGORIAN, &st);
    if (U_FAILURE(st)) {
        return DESK_EINVAL;
    }
    ucal_setAttribute(cal, UCAL_SKIPPED_WALL_TIME, UCAL_WALLTIME_NEXT_VALID);
    ucal_setAttribute(cal, UCAL_REPEATED_WALL_TIME, UCAL_WALLTIME_FIRST);
    ucal_clear(cal);
    ucal_setDateTime(cal, y, mo - 1, d, h, mi, 0, &st);
    ucal_set(cal, UCAL_MILLISECOND, 0);
    UDate ms = ucal_getMillis(cal, &st);
    ucal_close(cal);
    if (U_FAILURE(st)) {
        return DESK_EINVAL;
    }
    *out = (int64_t)ms;
    return 0;
}

int desk_bh_local_format(const char *zone, int64_t t, const char *pattern, char *out, size_t cap)
{
    if (!desk_bh_zone_valid(zone) || cap == 0) {
        return DESK_EINVAL;
    }
    UChar uz[DESK_BH_ZONE_MAX], up[64], buf[128];
    UErrorCode st = U_ZERO_ERROR;
    if (strlen(pattern) >= sizeof(up) / sizeof(up[0])) {
        return DESK_EINVAL;
    }
    u_uastrcpy(uz, zone);
    u_uastrcpy(up, pattern);
    UDateFormat *f = udat_open(UDAT_PATTERN, UDAT_PATTERN, "en_US_POSIX", uz, -1, up, -1, &st);
    if (U_FAILURE(st)) {
        return DESK_EINVAL;
    }
    int32_t n = udat_format(f, (UDate)t, buf, 128, NULL, &st);
    udat_close(f);
    if (U_FAILURE(st) || n >= 128) {
        return DESK_EINVAL;
    }
    int32_t len = 0;
    u_strToUTF8(out, (int32_t)cap, &len, buf, n, &st);
    if (U_FAILURE(st) || (size_t)len >= cap) {
        out[0] = '\0';
        return DESK_EINVAL;
    }
    out[len] = '\0';
    return 0;
}

/* ---- the hours language --------------------------------------------------- */

static const char *const wday_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
static const char *const wday_long[] = {"sunday",   "monday", "tuesday", "wednesday",
                                        "thursday", "friday", "saturday"};

static int day_word(const char *s, size_t n)
{
    for (int d = 0; d < 7; d++) {
        if ((n == 3 && strncasecmp(s, wday_names[d], 3) == 0) ||
            (n == strlen(wday_long[d]) && strncasecmp(s, wday_long[d], n) == 0)) {
            return d;
        }
    }
    return -1;
}

/* "HH:MM" at s (exactly 5 bytes) → minutes; allow24 permits "24:00". -1 when malformed. */
static int clock_word(const char *s, bool allow24)
{
    if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] == ':' && s[3] >= '0' &&
          s[3] <= '5' && s[4] >= '0' && s[4] <= '9')) {
        return -1;
    }
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 24 || (h == 24 && (m != 0 || !allow24))) {
        return -1;
    }
    return h * 60 + m;
}

static int hours_fail(struct desk_arena *a, struct desk_fail *fail, const char *what,
                      const char *at)
{
    char msg[200];
    size_t n = strcspn(at, ",");
    snprintf(msg, sizeof(msg), "Hours: %s at '%.*s' (e.g. \"mon-fri 09:00-17:00,sat 10:00-14:00\")",
             what, (int)(n < 20 ? n : 20), at);
    return desk_fail(fail, DESK_EINVALID, "hours", "InvalidValue",
                     keep(a, msg, "Hours: expected e.g. \"mon-fri 09:00-17:00,sat 10:00-14:00\""));
}

int desk_bh_hours_parse(struct desk_arena *a, const char *text, struct desk_bh_interval *out,
                        size_t max, size_t *n, struct desk_fail *fail)
{
    const char *p = text;
    size_t k = 0;
    if (!text || !*text) {
        return desk_fail(fail, DESK_EINVALID, "hours", "BlankValue", "Hours: cannot be blank");
    }
    for (;;) {
        while (*p == ' ' || *p == '\t') {
            p++;
        }
        /* DAYS */
        const char *w = p;
        while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) {
            p++;
        }
        int d0 = day_word(w, (size_t)(p - w)), d1 = d0;
        if (d0 < 0) {
            return hours_fail(a, fail, "expected a day (mon..sun)", w);
        }
        if (*p == '-') {
            const char *w2 = ++p;
            while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) {
                p++;
            }
            if ((d1 = day_word(w2, (size_t)(p - w2))) < 0) {
                return hours_fail(a, fail, "expected a day after '-'", w2);
            }
        }
        int n_days = (d1 - d0 + 7) % 7 + 1;
        /* RANGE [RANGE...] */
        int n_ranges = 0;
        for (;;) {
            const char *ws = p;
            while (*p == ' ' || *p == '\t') {
                p++;
            }
            if (*p == ',' || *p == '\0') {
                break;
            }
            if (p == ws) {
                return hours_fail(a, fail, "expected a space before the time range", p);
            }
            if (strlen(p) < 11 || p[5] != '-') {
                return hours_fail(a, fail, "expected HH:MM-HH:MM", p);
            }
            int s = clock_word(p, false), e = clock_word(p + 6, true);
            if (s < 0 || e < 0) {
                return hours_fail(a, fail, "expected HH:MM-HH:MM with a valid time", p);
            }
            if (e == s) {
                return hours_fail(a, fail, "the range is empty (start equals end)", p);
            }
            if (e < s) {
                e += DESK_BH_DAY_MIN; /* past midnight */
            }
            for (int i = 0; i < n_days; i++) {
                int d = (d0 + i) % 7;
                if (k == max) {
                    return desk_fail(fail, DESK_EINVALID, "hours", "TooMany",
                                     "Hours: too many intervals");
                }
                out[k++] =
                    (struct desk_bh_interval){d * DESK_BH_DAY_MIN + s, d * DESK_BH_DAY_MIN + e};
            }
            p += 11;
            n_ranges++;
        }
        if (n_ranges == 0) {
            return hours_fail(a, fail, "expected a time range after the days", p);
        }
        if (*p == '\0') {
            break;
        }
        p++; /* ',' */
    }
    *n = k;
    return 0;
}
