/*
 * The outbound mail thread: renders the notices the ticket hook queued
 * (app/outbox.h) and sends them through the configured relay, retrying
 * with exponential backoff while the relay is down or answers 4xx, and
 * failing a message when the relay refuses it (5xx) or it has waited too
 * long. Everything it does is recorded in the outbox, so a restart
 * resumes where it stopped.
 */
#ifndef DESK_MAIL_MAIL_OUT_H
#define DESK_MAIL_MAIL_OUT_H

#include "app/app.h"
#include "core/buf.h"
#include "mail/smtp.h"

struct desk_mail_out_config {
    struct desk_smtp_config smtp; /* smtp.url NULL or "": render only, send nothing */
    const char *from_address;     /* the support address (From, Reply-To, envelope) */
    const char *from_name;        /* display name */
    long retry_ms;                /* first retry delay; doubles with each failed attempt */
    long retry_max_ms;            /* the longest delay */
    long max_age_ms;              /* a message not sent this long after it was queued fails */
    long poll_ms;                 /* how often to look for mail queued by other processes */
};

struct desk_mail_out;

/*
 * Starts the thread on app (borrowed; must outlive the thread). Copies
 * cfg's strings. Returns 0 and *out (desk_mail_out_stop), DESK_EINVAL
 * when the relay URL or the support address is unusable (logged), or
 * DESK_EINTERNAL when the thread cannot start.
 */
int desk_mail_out_start(struct desk_app *app, const struct desk_mail_out_config *cfg,
                        struct desk_mail_out **out);

/*
 * Stops the thread (abandoning a transfer in progress, which stays queued)
 * and frees it. NULL is a no-op.
 */
void desk_mail_out_stop(struct desk_mail_out *m);

/* Appends the outbound mail metrics (Prometheus text) to out. */
void desk_mail_out_metrics(struct desk_app *app, struct desk_buf *out);

#endif
