/*
 * The in-process event bus and its subscribers: ticket events from the
 * "live events" hook (app/live_events.h), turned into Server-Sent Events
 * text once and appended to every subscriber's queue. A subscriber is read
 * by whoever streams it (http/sse.c) and woken through a callback when it
 * was idle, so no thread waits per stream. One bus per process.
 */
#ifndef DESK_LIVE_BUS_H
#define DESK_LIVE_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct desk_live_sub;

/* Called under the subscriber's lock: resume the stream's connection. */
typedef void (*desk_live_wake_fn)(void *ctx);

/* Called under the subscriber's lock when it has nothing to send: suspend the connection. */
typedef void (*desk_live_sleep_fn)(void *ctx);

/* Most bytes a subscriber may have queued; a stream that falls further behind is closed. */
#define DESK_LIVE_QUEUE_MAX (1u << 20)

/* Seconds between keep-alive comments on every stream. */
#define DESK_LIVE_HEARTBEAT_S 15

/*
 * Starts the bus: registers the event sink with app/ and starts the
 * heartbeat thread. Returns 0, or DESK_EINTERNAL when the thread cannot
 * start. Streams may subscribe only while the bus runs.
 */
int desk_live_start(void);

/*
 * Stops the bus: no new subscribers, every stream is told to end (woken,
 * it drains and finishes), the heartbeat thread is joined. Subscribers
 * stay valid until their owners unsubscribe. Safe to call when not started.
 */
void desk_live_stop(void);

/*
 * Adds a subscriber whose queue starts with first[0..len) (the snapshot
 * event). wake(ctx) is called when an event arrives for a sleeping
 * subscriber. Returns 0 and *out (owned; desk_live_unsubscribe), or
 * DESK_EBUSY once the bus has stopped (it starts on first use).
 */
int desk_live_subscribe(const char *first, size_t len, desk_live_wake_fn wake, void *ctx,
                        struct desk_live_sub **out);

/*
 * Like desk_live_subscribe for the stream of user_id: ticket events
 * hidden from that user (a complaint about them) are left out of it.
 */
int desk_live_subscribe_as(int64_t user_id, const char *first, size_t len, desk_live_wake_fn wake,
                           void *ctx, struct desk_live_sub **out);

/*
 * Copies up to max queued bytes into buf and returns how many. When none
 * are queued: returns 0 after calling sleep(ctx) under the lock (the next
 * event wakes the subscriber), or -1 when the bus is stopped or the
 * subscriber fell too far behind (the stream should end).
 */
ssize_t desk_live_read(struct desk_live_sub *s, char *buf, size_t max, desk_live_sleep_fn sleep,
                       void *ctx);

/* Removes and frees a subscriber. NULL is a no-op. */
void desk_live_unsubscribe(struct desk_live_sub *s);

/* Appends raw SSE text (one or more complete events) to every subscriber. */
void desk_live_publish(const char *text, size_t len);

/* Number of current subscribers (for /metrics and tests). */
size_t desk_live_subscribers(void);

#endif
