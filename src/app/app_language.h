/*
 * The language hook: detects the language customers write in and keeps it
 * on the ticket (`language`) and on the requester (`locale`, when unknown),
 * whichever channel the words came through.
 */
#ifndef DESK_APP_APP_LANGUAGE_H
#define DESK_APP_APP_LANGUAGE_H

#include "app/hooks.h"

/*
 * prepare: on a new ticket without a caller-given language, sets it from
 * the first comment; on a public comment by the requester that is clearly
 * in another language (model/lang.h's confident guess, 30+ characters),
 * changes it. A new ticket's language (given or detected) and a change
 * also become the requester's locale when it was never chosen (the
 * requester was created by this write, or still has the default locale
 * and was never edited). Fails only when the store does: text that cannot
 * be judged leaves everything as it was.
 */
int desk_language_prepare(struct desk_conn *c, struct desk_ticket_change *ch);

/*
 * The analyzer (hooks.h): judges the comment a write brings, off the
 * writer thread, when prepare may need it (a new ticket without a given
 * language, or a public comment long enough to change one). Staff updates
 * are judged too: whether the author is the requester is known only later.
 */
void desk_language_analyze(const struct desk_actor *who, const struct desk_ticket_input *in,
                           bool create, struct desk_ticket_analysis *out);

/* The entry for desk_ticket_hooks[] (hooks.c). */
#define DESK_LANGUAGE_HOOK                                                                         \
    {                                                                                              \
        "language", desk_language_prepare, NULL, NULL                                              \
    }

#endif
