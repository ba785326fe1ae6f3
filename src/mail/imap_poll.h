/*
 * IMAP polling: one thread per active mailbox (app/mailbox.h), each with
 * its own connection, timeouts and backoff, so a slow or broken mailbox
 * never delays the others. A poll takes the folder's unseen messages,
 * hands each to inbound mail (desk_mail_ingest in mail.h) and marks it
 * \Seen only once it is stored; a message that could not be stored stays
 * unseen and is taken again next time. A manager thread follows changes
 * to the mailboxes (added, changed, removed) within a few seconds.
 */
#ifndef DESK_MAIL_IMAP_POLL_H
#define DESK_MAIL_IMAP_POLL_H

#include "app/app.h"
#include "core/buf.h"
#include "mail/mail.h"

struct desk_imap_poll_config {
    const char *ca_file;            /* CA bundle for private certificates, or NULL */
    long timeout_ms;                /* a server silent this long fails the poll */
    const char *our_address;        /* desk's support address, for loop checks, or NULL */
    long reload_ms;                 /* how often to look for mailboxes changed elsewhere */
    struct desk_mail_limits limits; /* for the ingest (size, attachments, rate) */
};

struct desk_imap_poll;

/*
 * Starts the manager thread on app (borrowed; must outlive the poller).
 * Copies cfg's strings. Returns 0 and *out (desk_imap_poll_stop), or
 * DESK_EINTERNAL when the thread cannot start.
 */
int desk_imap_poll_start(struct desk_app *app, const struct desk_imap_poll_config *cfg,
                         struct desk_imap_poll **out);

/* Stops every mailbox thread (abandoning transfers in progress) and frees. NULL
 * is a no-op. */
void desk_imap_poll_stop(struct desk_imap_poll *p);

/* Appends the polling metrics (Prometheus text) to out. */
void desk_imap_poll_metrics(struct desk_buf *out);

#endif
