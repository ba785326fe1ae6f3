/*
 * Persistence of the IMAP mailboxes desk polls: their settings (as admins
 * give them) and the state of their last poll (as the poller records it).
 * Backend-neutral declarations; store_mailbox.c implements them on SQLite.
 */
#ifndef DESK_STORE_STORE_MAILBOX_H
#define DESK_STORE_STORE_MAILBOX_H

#include "store/store.h"

#include <stdbool.h>
#include <stdint.h>

struct desk_mailbox {
    int64_t id;
    const char *name;
    const char *host;
    int64_t port;
    const char *tls; /* "imaps", "starttls" or "none" */
    const char *username;
    const char *password; /* NULL unless read for the poller */
    const char *folder;
    bool active;
    int64_t poll_interval; /* seconds */
    int64_t last_poll_at;
    int64_t last_success_at;
    const char *last_error;
    int64_t failures;
    int64_t messages_stored;
    int64_t created_at;
    int64_t updated_at;
};

/* Writer only. Inserts m (id ignored; sets m->id). DESK_ECONFLICT when the same account and
 * folder exists. */
int desk_store_mailbox_insert(struct desk_conn *c, struct desk_mailbox *m);

/* Writer only. Replaces the settings of m->id (password too when m->password is non-NULL).
 * DESK_ENOTFOUND, DESK_ECONFLICT. */
int desk_store_mailbox_update(struct desk_conn *c, const struct desk_mailbox *m);

/* Writer only. Deletes mailbox id. DESK_ENOTFOUND when there is none. */
int desk_store_mailbox_delete(struct desk_conn *c, int64_t id);

/* Reads mailbox id; with_password fills password. DESK_ENOTFOUND when there is none. */
int desk_store_mailbox_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                           bool with_password, struct desk_mailbox *out);

/* Lists mailboxes (without passwords) in id order. */
int desk_store_mailbox_list(struct desk_conn *c, struct desk_arena *a, const struct desk_page *p,
                            struct desk_mailbox **items, struct desk_page_out *out);

/* Every active mailbox with its password, at most limit, in id order (for the poller). */
int desk_store_mailbox_active(struct desk_conn *c, struct desk_arena *a, int limit,
                              struct desk_mailbox **items, size_t *n);

/*
 * Writer only. Records a poll of mailbox id at now: error NULL is a
 * success (failures reset, last_success_at set), else the reason and one
 * more failure; stored messages are added to messages_stored. Settings
 * and updated_at are untouched. DESK_ENOTFOUND when it was deleted.
 */
int desk_store_mailbox_polled(struct desk_conn *c, int64_t id, int64_t now, const char *error,
                              int64_t stored);

#endif
