/*
 * IMAP mailboxes as use cases: admins add, change, list and remove the
 * mailboxes desk polls (the password is write-only), and the poller reads
 * the active ones and records how each poll went.
 */
#ifndef DESK_APP_MAILBOX_H
#define DESK_APP_MAILBOX_H

#include "app/app.h"
#include "store/store_mailbox.h"

/* A create or update request; has_* says which fields were given. */
struct desk_mailbox_input {
    const char *name;
    bool has_name;
    const char *host;
    bool has_host;
    int64_t port;
    bool has_port;
    const char *tls;
    bool has_tls;
    const char *username;
    bool has_username;
    const char *password;
    bool has_password;
    const char *folder;
    bool has_folder;
    bool active;
    bool has_active;
    int64_t poll_interval;
    bool has_poll_interval;
};

/*
 * Adds a mailbox (admins only: DESK_EFORBIDDEN otherwise). host,
 * username and password are required; tls defaults to "imaps", port to
 * 993 (imaps) or 143, folder to "INBOX", poll_interval to 60 seconds.
 * DESK_EINVALID with fail naming the field; DESK_EINVALID on "username"
 * when the same account and folder is there already.
 */
int desk_app_mailbox_create(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, const struct desk_mailbox_input *in,
                            struct desk_mailbox *out, struct desk_fail *fail);

/* Changes the given fields of mailbox id; same rules. DESK_ENOTFOUND when none. */
int desk_app_mailbox_update(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t id, const struct desk_mailbox_input *in,
                            struct desk_mailbox *out, struct desk_fail *fail);

/* Removes mailbox id (admins). DESK_ENOTFOUND when none. */
int desk_app_mailbox_delete(struct desk_app *app, const struct desk_actor *who, int64_t id);

/* Reads one mailbox, never its password (admins). */
int desk_app_mailbox_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         int64_t id, struct desk_mailbox *out);

/* Lists mailboxes without passwords (admins). */
int desk_app_mailbox_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                          const struct desk_page *p, struct desk_mailbox **items,
                          struct desk_page_out *out);

/* ---- the poller ----------------------------------------------------------- */

/* The active mailboxes with their passwords, at most limit, into a. */
int desk_app_mailbox_active(struct desk_app *app, struct desk_arena *a, int limit,
                            struct desk_mailbox **items, size_t *n);

/* Records a poll: error NULL for success, else the reason; stored messages count. */
int desk_app_mailbox_polled(struct desk_app *app, int64_t id, const char *error, int64_t stored);

/*
 * Waits until mailboxes change in this process or deadline_ms (UTC)
 * passes; returns at once if they changed since the previous call.
 */
void desk_mailbox_wait(int64_t deadline_ms);

/* Wakes desk_mailbox_wait (a change, or shutdown). */
void desk_mailbox_kick(void);

#endif
