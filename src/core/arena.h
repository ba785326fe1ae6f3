/*
 * A region allocator: many small allocations, freed all at once. Each HTTP
 * request, mail message and CLI command owns one, so handlers never free
 * piecemeal. Allocation aborts on out-of-memory (sizes here are bounded by
 * the request limits checked before allocating).
 */
#ifndef DESK_CORE_ARENA_H
#define DESK_CORE_ARENA_H

#include <stddef.h>
#include <stdint.h>

struct desk_arena_block;

/* Caller's storage; zero it with desk_arena_init. */
struct desk_arena {
    struct desk_arena_block *head;
    size_t used; /* bytes handed out, for metrics */
};

/* Prepares an empty arena. Allocates nothing until first use. */
void desk_arena_init(struct desk_arena *a);

/* Frees every block; the arena is empty and reusable afterwards. */
void desk_arena_release(struct desk_arena *a);

/* Returns n bytes, 16-byte aligned, zeroed. Owned by the arena. */
void *desk_arena_alloc(struct desk_arena *a, size_t n);

/* Returns a NUL-terminated copy of s[0..len). Owned by the arena. */
char *desk_arena_strndup(struct desk_arena *a, const char *s, size_t len);

/* Returns a NUL-terminated copy of s, or NULL when s is NULL. */
char *desk_arena_strdup(struct desk_arena *a, const char *s);

/* printf into the arena. Returns the formatted string, owned by the arena. */
char *desk_arena_printf(struct desk_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
