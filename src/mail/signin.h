/*
 * The one-time sign-in link message for the customer portal: its words in
 * several languages and its rendering with GMime. The API renders it when
 * a customer asks for a link, and the outbox delivers it like any other
 * message (docs/console.md).
 */
#ifndef DESK_MAIL_SIGNIN_H
#define DESK_MAIL_SIGNIN_H

#include "core/arena.h"
#include "store/store_outbox.h"

/*
 * Sets the process's sender (the support address and its display name)
 * and the public base URL links point at ("https://help.example.com";
 * NULL: the address the request came to). Copies the strings. Called by
 * desk serve at start; NULL address: no links can be sent.
 */
void desk_mail_signin_configure(const char *from_address, const char *from_name,
                                const char *public_url);

/* The configured public base URL, or NULL. Returns borrowed (process lifetime). */
const char *desk_mail_signin_public_url(void);

/*
 * Renders the message carrying link to msg->to_addr / msg->to_name in
 * msg->language (primary subtag; English when there is no row for it),
 * saying it expires after ttl_minutes. Fills msg->subject,
 * msg->message_id, msg->raw, msg->raw_len and msg->language (the template
 * used), owned by a. DESK_EINVAL when no sender is configured or an
 * address is unusable.
 */
int desk_mail_signin_render(struct desk_arena *a, const char *link, int ttl_minutes,
                            struct desk_outbox_msg *msg);

#endif
