/*
 * Persistence of outgoing mail: the outbox (notices queued with the ticket
 * change that causes them, rendered once, sent with retries) and the
 * Message-IDs desk sent, which thread later mail. Backend-neutral
 * declarations; store_outbox.c implements them on SQLite.
 */
#ifndef DESK_STORE_STORE_OUTBOX_H
#define DESK_STORE_STORE_OUTBOX_H

#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum desk_outbox_state { DESK_OUTBOX_QUEUED, DESK_OUTBOX_SENT, DESK_OUTBOX_FAILED };

/* Wire names of the states ("queued", "sent", "failed") and their inverse (0 or DESK_EINVAL). */
const char *desk_outbox_state_name(int state);
int desk_outbox_state_parse(const char *s, int *out);

/* One outgoing message. Strings and raw are borrowed like a record's (usually an arena). */
struct desk_outbox_msg {
    int64_t id;
    const char *kind; /* "reply" (a public reply from staff) or "received" (acknowledgement) */
    int64_t ticket_id;
    int64_t comment_id;
    int64_t user_id;
    const char *to_addr;
    const char *to_name;
    const char *language;
    const char *subject;    /* NULL until rendered */
    const char *message_id; /* without angle brackets; NULL until rendered */
    const char *raw;        /* RFC 5322 bytes; NULL until rendered (list reads leave it NULL) */
    size_t raw_len;
    int state;
    int64_t attempts;
    int64_t next_attempt_at;
    const char *last_error;
    int64_t created_at;
    int64_t updated_at;
    int64_t sent_at;
    /* Mail that belongs to no ticket (kind "invitation", ticket_id 0): what it says, JSON,
     * until it is sent; NULL otherwise. */
    const char *payload;
};

/*
 * Writer only. Queues m (id, state, attempts, subject, message_id, raw
 * ignored; payload kept); sets m->id.
 */
int desk_store_outbox_insert(struct desk_conn *c, struct desk_outbox_msg *m);

/* Reads message id with its raw bytes. DESK_ENOTFOUND when there is none. */
int desk_store_outbox_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                          struct desk_outbox_msg *out);

/* Filters for listing; zero/-1 means any. */
struct desk_outbox_filter {
    int state; /* -1 any, else DESK_OUTBOX_* */
    int64_t ticket_id;
};

/* Lists messages (without raw) in id order. Returns *items (arena) and *out. */
int desk_store_outbox_list(struct desk_conn *c, struct desk_arena *a,
                           const struct desk_outbox_filter *f, const struct desk_page *p,
                           struct desk_outbox_msg **items, struct desk_page_out *out);

/*
 * Queued messages not yet rendered, oldest first, at most limit (without
 * raw). Returns *items (arena) and their count in *n.
 */
int desk_store_outbox_unrendered(struct desk_conn *c, struct desk_arena *a, int limit,
                                 struct desk_outbox_msg **items, size_t *n);

/*
 * Rendered queued messages due at now_ms, oldest due first, at most limit,
 * with raw. Returns *items (arena) and their count in *n.
 */
int desk_store_outbox_due(struct desk_conn *c, struct desk_arena *a, int64_t now_ms, int limit,
                          struct desk_outbox_msg **items, size_t *n);

/* The earliest next_attempt_at of a rendered queued message, or 0 in *out when none. */
int desk_store_outbox_next_due(struct desk_conn *c, int64_t *out);

/* How many messages are queued and how many failed (sent ones are not counted: they pile up). */
int desk_store_outbox_pending(struct desk_conn *c, int64_t *queued, int64_t *failed);

/*
 * Writer only. Stores the rendered message m->id (subject, message_id,
 * raw, language) and records its Message-ID in mail_ids as sent on its
 * ticket (mail of no ticket is not recorded there). Returns
 * DESK_ENOTFOUND when the message is no longer queued or already rendered.
 */
int desk_store_outbox_rendered(struct desk_conn *c, const struct desk_outbox_msg *m, int64_t now);

/*
 * Writer only. Records the outcome of an attempt on a queued message:
 * state, attempts, next_attempt_at, last_error (NULL clears), sent_at.
 * An invitation leaving the queue loses its rendered source (it carries a
 * password link), and its payload too once sent; a failed one is rendered
 * again from the payload if retried. DESK_ENOTFOUND when it is no longer
 * queued.
 */
int desk_store_outbox_outcome(struct desk_conn *c, const struct desk_outbox_msg *m, int64_t now);

/*
 * Writer only. Puts failed message id back in the queue, due now, with its
 * attempts reset. DESK_ENOTFOUND when there is no such message,
 * DESK_ECONFLICT when it is not failed.
 */
int desk_store_outbox_requeue(struct desk_conn *c, int64_t id, int64_t now);

/* Reads comment id (what a notice carries). DESK_ENOTFOUND when there is none. */
int desk_store_outbox_comment(struct desk_conn *c, struct desk_arena *a, int64_t id,
                              struct desk_comment *out);

/* ---- Message-IDs -------------------------------------------------------- */

/* One row of mail_ids. */
struct desk_mail_id {
    const char *message_id; /* without angle brackets */
    int64_t ticket_id;
    int64_t comment_id;
    bool inbound;
    int64_t created_at;
};

/*
 * The Message-IDs a new message on a ticket refers to: the ticket's first
 * and its latest limit - 1, oldest first. Ids that went out with comment
 * skip_comment are left out (the siblings of a notice sent to several
 * people). Returns *items (arena) and their count in *n.
 */
int desk_store_mail_ids_of_ticket(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                                  int64_t skip_comment, int limit, struct desk_mail_id **items,
                                  size_t *n);

#endif
