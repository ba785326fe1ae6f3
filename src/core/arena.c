/*
 * Region allocator: a list of blocks, bump-pointer inside each. Large
 * requests get a block of their own so that a big body does not waste the
 * rest of a standard block.
 */
#include "core/arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE 8192

struct desk_arena_block {
    struct desk_arena_block *next;
    size_t cap;
    size_t off;
    _Alignas(16) unsigned char data[];
};

void desk_arena_init(struct desk_arena *a)
{
    a->head = NULL;
    a->used = 0;
}

void desk_arena_release(struct desk_arena *a)
{
    struct desk_arena_block *b = a->head;
    while (b) {
        struct desk_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used = 0;
}

static struct desk_arena_block *block_new(size_t cap)
{
    struct desk_arena_block *b = malloc(sizeof(*b) + cap);
    if (!b) {
        abort();
    }
    b->cap = cap;
    b->off = 0;
    b->next = NULL;
    return b;
}

void *desk_arena_alloc(struct desk_arena *a, size_t n)
{
    size_t need = (n + 15) & ~(size_t)15;
    struct desk_arena_block *b = a->head;
    if (need < n) {
        abort();
    }
    if (!b || b->cap - b->off < need) {
        if (need > BLOCK_SIZE / 4) {
            /* A big allocation gets its own block, kept behind the current one. */
            struct desk_arena_block *big = block_new(need);
            big->off = need;
            if (b) {
                big->next = b->next;
                b->next = big;
            } else {
                a->head = big;
            }
            a->used += need;
            memset(big->data, 0, need);
            return big->data;
        }
        b = block_new(BLOCK_SIZE);
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->off;
    b->off += need;
    a->used += need;
    memset(p, 0, need);
    return p;
}

char *desk_arena_strndup(struct desk_arena *a, const char *s, size_t len)
{
    char *p = desk_arena_alloc(a, len + 1);
    if (len) {
        memcpy(p, s, len);
    }
    p[len] = '\0';
    return p;
}

char *desk_arena_strdup(struct desk_arena *a, const char *s)
{
    return s ? desk_arena_strndup(a, s, strlen(s)) : NULL;
}

char *desk_arena_printf(struct desk_arena *a, const char *fmt, ...)
{
    va_list ap;
    char small[256];
    va_start(ap, fmt);
    /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): ap was just set by va_start */
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        return desk_arena_strdup(a, "");
    }
    char *p = desk_arena_alloc(a, (size_t)n + 1);
    if ((size_t)n < sizeof(small)) {
        memcpy(p, small, (size_t)n + 1);
    } else {
        va_start(ap, fmt);
        vsnprintf(p, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return p;
}
