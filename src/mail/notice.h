/*
 * Renders a queued notice into the RFC 5322 message desk sends: phrases in
 * the recipient's language (templates.h), a multipart/alternative body
 * with a text and an HTML part in UTF-8, encoded headers, a Message-ID of
 * desk's own form, In-Reply-To (the customer's latest message) and
 * References (the ticket's first and latest messages) so the customer's
 * client threads it, and the loop-protection headers. Built
 * with GMime; pure apart from the random part of the Message-ID.
 */
#ifndef DESK_MAIL_NOTICE_H
#define DESK_MAIL_NOTICE_H

#include "core/arena.h"
#include "model/records.h"
#include "store/store_outbox.h"

#include <stddef.h>
#include <stdint.h>

/* Who desk's mail is from. */
struct desk_notice_sender {
    const char *address; /* the support address: From, Reply-To, X-Loop, Message-ID domain */
    const char *name;    /* display name, e.g. "Example Support" */
};

/* Everything a notice says, read from the store by the caller. */
struct desk_notice_in {
    const struct desk_outbox_msg *msg; /* kind, recipient, language, ids */
    const struct desk_ticket *ticket;
    const struct desk_comment *comment; /* the reply, or the request acknowledged */
    const char *author_name;            /* the comment's author */
    const char *requester_name;
    const struct desk_mail_id *refs; /* the ticket's earlier Message-IDs, oldest first */
    size_t n_refs;
    int64_t now; /* Date:, ms UTC */
};

/* Calls g_mime_init once per process; safe from any thread. */
void desk_mail_gmime_init(void);

/*
 * A new Message-ID (without angle brackets) for a notice on ticket_id:
 * "desk.T<ticket>.<outbox id>.<16 hex random>@<domain of address>".
 * Returns a string owned by a.
 */
const char *desk_notice_message_id(struct desk_arena *a, const char *address, int64_t ticket_id,
                                   int64_t outbox_id);

/*
 * Renders in->msg: fills out->subject, out->message_id, out->raw (CRLF
 * line ends), out->raw_len and out->language (the template used), all
 * owned by a; other fields of out are copied from in->msg. Returns 0, or
 * DESK_EINVAL when the sender or recipient address cannot be used.
 */
int desk_notice_render(struct desk_arena *a, const struct desk_notice_sender *from,
                       const struct desk_notice_in *in, struct desk_outbox_msg *out);

#endif
