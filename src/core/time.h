/*
 * Time as desk stores it: int64 UTC milliseconds since the epoch, shown on
 * the wire as ISO 8601 with seconds and "Z" (Zendesk's form). Time zones are
 * not handled here; they belong to the edges (business hours, display).
 */
#ifndef DESK_CORE_TIME_H
#define DESK_CORE_TIME_H

#include <stddef.h>
#include <stdint.h>

/* Wall clock, UTC milliseconds. */
int64_t desk_time_now_ms(void);

/* Monotonic clock in nanoseconds, for durations. */
int64_t desk_time_mono_ns(void);

/* Writes "YYYY-MM-DDTHH:MM:SSZ" (21 bytes with NUL) into out. Fractions are dropped. */
void desk_time_iso(int64_t ms, char out[21]);

/*
 * Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" followed by "Z",
 * "+HH:MM" / "-HH:MM" or nothing (UTC). Sets *ms on success; returns 0 or
 * DESK_EINVAL naming nothing more (the caller knows the field).
 */
int desk_time_parse(const char *s, size_t len, int64_t *ms);

#endif
