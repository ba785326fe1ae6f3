/*
 * Fuzz target: any bytes as a TEXT property of a calendar feed (a ticket
 * subject or a commitment note lands there). The output must keep RFC 5545's
 * shape whatever the input: CRLF-ended lines of at most 75 octets, each
 * valid UTF-8 on its own, continuations starting with a space, and no
 * unescaped comma, semicolon or control character in the value.
 */
#include "core/ical.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool utf8_ok(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        size_t len = c < 0x80                 ? 1
                     : c >= 0xC2 && c <= 0xDF ? 2
                     : c >= 0xE0 && c <= 0xEF ? 3
                     : c >= 0xF0 && c <= 0xF4 ? 4
                                              : 0;
        if (!len || i + len > n) {
            return false;
        }
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) {
                return false;
            }
        }
        i += len;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *value = malloc(size + 1);
    memcpy(value, data, size);
    value[size] = '\0';
    struct desk_buf b;
    desk_buf_init(&b, 0);
    if (desk_ical_text(&b, "DESCRIPTION", value) != 0) {
        abort();
    }
    const unsigned char *s = (const unsigned char *)b.data;
    size_t at = 0;
    bool first = true, escaped = false;
    while (at < b.len) {
        const char *crlf = strstr((const char *)s + at, "\r\n");
        if (!crlf) {
            abort();
        }
        size_t len = (size_t)((const unsigned char *)crlf - (s + at));
        if (len == 0 || len > 75 || !utf8_ok(s + at, len) || (!first && s[at] != ' ')) {
            abort();
        }
        for (size_t i = first ? strlen("DESCRIPTION:") : 1; i < len; i++) {
            unsigned char c = s[at + i];
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                abort();
            }
            if (!escaped && (c == ',' || c == ';')) {
                abort();
            }
            escaped = !escaped && c == '\\';
        }
        first = false;
        at += len + 2;
    }
    desk_buf_release(&b);
    free(value);
    return 0;
}
