/*
 * A growable byte buffer with a size cap, for text built piece by piece
 * (SQL, JSON, log lines) and for input read from the network, where the cap
 * keeps a client from growing memory without bound.
 */
#ifndef DESK_CORE_BUF_H
#define DESK_CORE_BUF_H

#include <stddef.h>

/* Caller's storage. data is always NUL-terminated when non-NULL. */
struct desk_buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max; /* 0 = unbounded (internal text); else appends past it fail */
};

/* Prepares an empty buffer that may grow to max bytes (0: no cap). */
void desk_buf_init(struct desk_buf *b, size_t max);

/* Frees the storage; the buffer is empty and reusable. */
void desk_buf_release(struct desk_buf *b);

/* Appends n bytes. Returns 0, or DESK_ETOOBIG past the cap (buffer unchanged). */
int desk_buf_add(struct desk_buf *b, const void *p, size_t n);

/* Appends a NUL-terminated string. Errors as desk_buf_add. */
int desk_buf_adds(struct desk_buf *b, const char *s);

/* Appends printf output. Errors as desk_buf_add. */
int desk_buf_addf(struct desk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Returns the contents and leaves the buffer empty; the caller frees it. */
char *desk_buf_detach(struct desk_buf *b, size_t *len);

#endif
