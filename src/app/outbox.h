/*
 * Outgoing mail, as use cases: the ticket hook that queues notices in the
 * same transaction as the ticket change that causes them (a public reply
 * from staff goes to the requester and the followers), the steps the mail
 * thread takes (render once, record each attempt), and what staff read or
 * retry through the API. Rendering and sending live in mail/.
 */
#ifndef DESK_APP_OUTBOX_H
#define DESK_APP_OUTBOX_H

#include "app/app.h"
#include "app/hooks.h"
#include "store/store_outbox.h"

#include <stdint.h>

/*
 * The ticket hook (hooks.h). written: a public comment by staff queues a
 * notice to the requester and each follower except the comment's author,
 * skipping people who are suspended, deleted or without an address; the
 * language is chosen by desk_outbox_language. committed: wakes the mail
 * thread.
 */
int desk_outbox_written(struct desk_conn *c, struct desk_ticket_change *ch);
void desk_outbox_committed(const struct desk_ticket_change *ch);

/* The entry for desk_ticket_hooks[] (hooks.c). */
#define DESK_OUTBOX_HOOK                                                                           \
    {                                                                                              \
        "notifications", NULL, desk_outbox_written, desk_outbox_committed                          \
    }

/*
 * The template language for a notice: the primary subtag, lower case, of
 * the ticket's language when set, else of the recipient's locale, else
 * "en" ("cs-CZ" → "cs"). Returns a string owned by a.
 */
const char *desk_outbox_language(struct desk_arena *a, const char *ticket_language,
                                 const char *locale);

/*
 * Waits until a notice is queued in this process or deadline_ms (UTC ms)
 * passes, whichever comes first. Returns at once if one was queued since
 * the previous call.
 */
void desk_outbox_wait(int64_t deadline_ms);

/* Wakes desk_outbox_wait (shutdown, or a message requeued). */
void desk_outbox_kick(void);

/* ---- the mail thread's steps --------------------------------------------- */

/*
 * Stores a rendered message (m->subject, message_id, raw, language) and its
 * Message-ID. DESK_ENOTFOUND when it is no longer queued or was rendered.
 */
int desk_app_outbox_rendered(struct desk_app *app, const struct desk_outbox_msg *m);

/* Stores n rendered messages in one write; those no longer waiting are skipped. */
int desk_app_outbox_rendered_many(struct desk_app *app, const struct desk_outbox_msg *m, size_t n);

/*
 * Records an attempt's outcome on queued message m: m->state, attempts,
 * next_attempt_at, last_error and sent_at as they now are.
 */
int desk_app_outbox_outcome(struct desk_app *app, const struct desk_outbox_msg *m);

/* Records n outcomes in one write; messages no longer queued are skipped. */
int desk_app_outbox_outcomes(struct desk_app *app, const struct desk_outbox_msg *m, size_t n);

/* ---- staff --------------------------------------------------------------- */

/*
 * Lists outgoing messages (staff only: DESK_EFORBIDDEN otherwise), newest
 * first when p->desc. Returns *items (a) and *out.
 */
int desk_app_outbox_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         const struct desk_outbox_filter *f, const struct desk_page *p,
                         struct desk_outbox_msg **items, struct desk_page_out *out);

/*
 * Reads one message with its raw bytes (staff only); an invitation comes
 * without them (they carry a password link). DESK_ENOTFOUND when none.
 */
int desk_app_outbox_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        int64_t id, struct desk_outbox_msg *out);

/*
 * Sends failed message id again: back in the queue, due now, attempts
 * reset (supervisors and admins). DESK_ECONFLICT with fail when it is not
 * failed. Returns the message as it now is in *out.
 */
int desk_app_outbox_retry(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                          int64_t id, struct desk_outbox_msg *out, struct desk_fail *fail);

#endif
