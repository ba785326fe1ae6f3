/*
 * Inside api/: what the concessions capability adds to the ticket wire
 * format, for the shared ticket reader (tickets.c) and the extension table
 * (extensions.c).
 */
#ifndef DESK_API_CONCESSIONS_INT_H
#define DESK_API_CONCESSIONS_INT_H

#include "api/api_int.h"

/*
 * Reads comment.hold_for_concession_id and ticket.resolution ({category,
 * note, custom_fields}, or null to clear) from a ticket object into in.
 * DESK_EINVALID naming the field on a wrong type. Strings in req's arena.
 */
int api_concessions_ticket_input(struct desk_req *req, json_t *o, struct desk_ticket_input *in,
                                 struct desk_fail *f);

/*
 * Reads a proposal ({type, amount, currency, reason, note, expires_in}) into
 * in; the amount as text (a string, or a JSON integer in whole units; a JSON
 * real is DESK_EINVALID). The use case validates the values.
 */
struct desk_concession_input;
int api_concession_input(struct desk_req *req, json_t *o, struct desk_concession_input *in,
                         struct desk_fail *f);

/* Ticket JSON extension: "resolution" (null, or the object), for staff only. */
void api_concessions_ticket_ext(struct desk_req *req, const struct desk_ticket *t, json_t *o);

#endif
