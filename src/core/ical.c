/*
 * RFC 5545 content lines (see ical.h). Each line is built unfolded in a
 * scratch buffer, then copied out in chunks of at most 75 octets, each
 * continuation starting with one space (which counts in its 75), cutting
 * only between UTF-8 characters.
 */
#include "core/ical.h"
#include "core/error.h"
#include "core/time.h"

#include <stdio.h>
#include <string.h>

/* Length of the UTF-8 sequence starting at s[0..n), or 0 when it is not a valid one. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (len > n) {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
        return 0;
    }
    return len;
}

/* Copies the unfolded line to b, folded, with CRLF. */
static int emit(struct desk_buf *b, const struct desk_buf *line)
{
    const unsigned char *s = (const unsigned char *)(line->data ? line->data : "");
    size_t n = line->len, at = 0, width = DESK_ICAL_LINE_MAX;
    int rc = 0;
    while (!rc && at < n) {
        size_t take = 0;
        while (at + take < n) {
            size_t k = utf8_seq(s + at + take, n - at - take);
            k = k ? k : 1; /* the line was sanitized: this does not happen */
            if (take + k > width) {
                break;
            }
            take += k;
        }
        rc = desk_buf_add(b, s + at, take);
        at += take;
        if (!rc && at < n) {
            rc = desk_buf_add(b, "\r\n ", 3);
            width = DESK_ICAL_LINE_MAX - 1; /* the leading space counts */
        }
    }
    return rc ? rc : desk_buf_add(b, "\r\n", 2);
}

static int line_name(struct desk_buf *line, const char *name)
{
    desk_buf_adds(line, name);
    return desk_buf_add(line, ":", 1);
}

int desk_ical_text(struct desk_buf *b, const char *name, const char *value)
{
    struct desk_buf line;
    desk_buf_init(&line, 0);
    line_name(&line, name);
    const unsigned char *s = (const unsigned char *)(value ? value : "");
    size_t n = strlen((const char *)s);
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        if (c == '\\' || c == ';' || c == ',') {
            char esc[2] = {'\\', (char)c};
            desk_buf_add(&line, esc, 2);
            i++;
        } else if (c == '\r' || c == '\n') {
            desk_buf_add(&line, "\\n", 2);
            i += c == '\r' && i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
        } else if (c < 0x20 || c == 0x7F) {
            desk_buf_add(&line, c == '\t' ? "\t" : " ", 1);
            i++;
        } else {
            size_t k = utf8_seq(s + i, n - i);
            if (k) {
                desk_buf_add(&line, s + i, k);
                i += k;
            } else {
                desk_buf_add(&line, "\xEF\xBF\xBD", 3);
                i++;
            }
        }
    }
    int rc = emit(b, &line);
    desk_buf_release(&line);
    return rc;
}

int desk_ical_raw(struct desk_buf *b, const char *name, const char *value)
{
    struct desk_buf line;
    desk_buf_init(&line, 0);
    line_name(&line, name);
    for (const unsigned char *s = (const unsigned char *)(value ? value : ""); *s; s++) {
        if (*s >= 0x20 && *s != 0x7F) {
            desk_buf_add(&line, s, 1);
        }
    }
    int rc = emit(b, &line);
    desk_buf_release(&line);
    return rc;
}

int desk_ical_time(struct desk_buf *b, const char *name, int64_t ms)
{
    char iso[21], out[17];
    desk_time_iso(ms, iso); /* YYYY-MM-DDTHH:MM:SSZ */
    memcpy(out, iso, 4);
    memcpy(out + 4, iso + 5, 2);
    memcpy(out + 6, iso + 8, 2);
    out[8] = 'T';
    memcpy(out + 9, iso + 11, 2);
    memcpy(out + 11, iso + 14, 2);
    memcpy(out + 13, iso + 17, 2);
    out[15] = 'Z';
    out[16] = '\0';
    return desk_ical_raw(b, name, out);
}

int desk_ical_duration(struct desk_buf *b, const char *name, int64_t ms)
{
    char out[64];
    int64_t s = (ms < 0 ? -ms : ms) / 1000;
    int64_t d = s / 86400, h = s / 3600 % 24, m = s / 60 % 60, sec = s % 60;
    int k = snprintf(out, sizeof(out), "%sP", ms < 0 ? "-" : "");
    if (d) {
        k += snprintf(out + k, sizeof(out) - (size_t)k, "%lldD", (long long)d);
    }
    if (h || m || sec || !d) {
        k += snprintf(out + k, sizeof(out) - (size_t)k, "T");
        if (h) {
            k += snprintf(out + k, sizeof(out) - (size_t)k, "%lldH", (long long)h);
        }
        if (m) {
            k += snprintf(out + k, sizeof(out) - (size_t)k, "%lldM", (long long)m);
        }
        if (sec || (!h && !m)) {
            snprintf(out + k, sizeof(out) - (size_t)k, "%lldS", (long long)sec);
        }
    }
    return desk_ical_raw(b, name, out);
}
