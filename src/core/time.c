/*
 * UTC conversions by civil-date arithmetic (Howard Hinnant's algorithm), so
 * nothing depends on the process time zone or on timegm's availability.
 */
#include "core/time.h"
#include "core/error.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t desk_time_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t desk_time_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

void desk_time_iso(int64_t ms, char out[21])
{
    int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    int64_t rem = secs - days * 86400;
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        y = y < 0 ? 0 : 9999;
    }
    char tmp[64];
    snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, m, d, (int)(rem / 3600),
             (int)(rem / 60 % 60), (int)(rem % 60));
    memcpy(out, tmp, 20);
    out[20] = '\0';
}

static int digits(const char *s, size_t len, size_t at, size_t n, int *out)
{
    int v = 0;
    if (at + n > len) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[at + i];
        if (c < '0' || c > '9') {
            return -1;
        }
        v = v * 10 + (c - '0');
    }
    *out = v;
    return 0;
}

int desk_time_parse(const char *s, size_t len, int64_t *ms)
{
    int y, mo, d, h = 0, mi = 0, se = 0, frac = 0, off = 0;
    size_t i = 10;
    if (digits(s, len, 0, 4, &y) || len < 10 || s[4] != '-' || digits(s, len, 5, 2, &mo) ||
        s[7] != '-' || digits(s, len, 8, 2, &d)) {
        return DESK_EINVAL;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31) {
        return DESK_EINVAL;
    }
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap)) {
        return DESK_EINVAL;
    }
    if (i < len && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
        if (digits(s, len, i + 1, 2, &h) || i + 3 >= len || s[i + 3] != ':' ||
            digits(s, len, i + 4, 2, &mi)) {
            return DESK_EINVAL;
        }
        i += 6;
        if (i < len && s[i] == ':') {
            if (digits(s, len, i + 1, 2, &se)) {
                return DESK_EINVAL;
            }
            i += 3;
            if (i < len && s[i] == '.') {
                int scale = 100;
                i++;
                if (i >= len || s[i] < '0' || s[i] > '9') {
                    return DESK_EINVAL;
                }
                while (i < len && s[i] >= '0' && s[i] <= '9') {
                    frac += (s[i] - '0') * scale;
                    scale /= 10;
                    i++;
                }
            }
        }
        if (h > 23 || mi > 59 || se > 60) {
            return DESK_EINVAL;
        }
        if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
            i++;
        } else if (i < len && (s[i] == '+' || s[i] == '-')) {
            int oh, om;
            int sign = s[i] == '-' ? -1 : 1;
            if (digits(s, len, i + 1, 2, &oh)) {
                return DESK_EINVAL;
            }
            i += 3;
            if (i < len && s[i] == ':') {
                i++;
            }
            if (digits(s, len, i, 2, &om) || oh > 23 || om > 59) {
                return DESK_EINVAL;
            }
            i += 2;
            off = sign * (oh * 60 + om);
        }
    }
    if (i != len) {
        return DESK_EINVAL;
    }
    int64_t secs = days_from_civil(y, mo, d) * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 + se -
                   (int64_t)off * 60;
    *ms = secs * 1000 + frac;
    return 0;
}
