/*
 * Growable, capped byte buffer. Growth doubles; the cap is checked before
 * any allocation so oversize input never costs memory.
 */
#include "core/buf.h"
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void desk_buf_init(struct desk_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void desk_buf_release(struct desk_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

static int reserve(struct desk_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need < b->len || (b->max && b->len + extra > b->max)) {
        return DESK_ETOOBIG;
    }
    if (need <= b->cap) {
        return 0;
    }
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need) {
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p) {
        abort();
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

int desk_buf_add(struct desk_buf *b, const void *p, size_t n)
{
    int rc = reserve(b, n);
    if (rc) {
        return rc;
    }
    if (n) {
        memcpy(b->data + b->len, p, n);
    }
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int desk_buf_adds(struct desk_buf *b, const char *s)
{
    return desk_buf_add(b, s, strlen(s));
}

int desk_buf_addf(struct desk_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): ap was just set by va_start */
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return DESK_EINTERNAL;
    }
    int rc = reserve(b, (size_t)n);
    if (rc) {
        return rc;
    }
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

char *desk_buf_detach(struct desk_buf *b, size_t *len)
{
    char *p = b->data;
    if (!p) {
        p = calloc(1, 1);
        if (!p) {
            abort();
        }
    }
    if (len) {
        *len = b->len;
    }
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}
