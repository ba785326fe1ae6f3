/*
 * The invitation mail: a new member of staff receives a one-time link to
 * set their password, in their language (en, es, cs, pl, sk, de, fr; other
 * languages get English). The outbox queues it like any notice (kind
 * "invitation", no ticket) with the link in the row's payload; the mail
 * thread renders it here and sends it with the usual retries. Built with
 * GMime; pure apart from the random part of the Message-ID.
 */
#ifndef DESK_MAIL_INVITE_MAIL_H
#define DESK_MAIL_INVITE_MAIL_H

#include "core/arena.h"
#include "mail/notice.h"
#include "store/store_outbox.h"

#include <stdint.h>

/*
 * An invitation row's payload is lines of "key=value": link= (the absolute
 * http(s) URL to set the password), inviter= (display name, optional) and
 * expires_at= (ms UTC). The queuing side writes it; values hold no line
 * breaks.
 */

/*
 * Renders queued invitation m (its payload, recipient and language) into
 * out like desk_notice_render: subject, message_id, raw (CRLF), raw_len
 * and language owned by a, other fields copied from m. The Date is now
 * (ms UTC). Returns 0, or DESK_EINVAL when the payload is missing or
 * malformed or an address cannot be used.
 */
int desk_invite_mail_render(struct desk_arena *a, const struct desk_notice_sender *from,
                            const struct desk_outbox_msg *m, int64_t now,
                            struct desk_outbox_msg *out);

#endif
