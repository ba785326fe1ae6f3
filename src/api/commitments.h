/*
 * Handlers for commitments (desk's own API, not Zendesk's): per ticket
 * (/tickets/{id}/commitments), one by one (/commitments/{id}) and across
 * tickets for supervisors (/commitments?owner_id=&state=&due_before=); the
 * alerts their reminders and misses leave (/alerts); and the ticket JSON
 * extension that sums a ticket's commitments up for staff.
 */
#ifndef DESK_API_COMMITMENTS_H
#define DESK_API_COMMITMENTS_H

#include "api/api.h"

void desk_api_ticket_commitments_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_ticket_commitments_create(struct desk_req *req, struct desk_resp *resp);
void desk_api_commitments_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_commitments_create(struct desk_req *req, struct desk_resp *resp);
void desk_api_commitments_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_commitments_update(struct desk_req *req, struct desk_resp *resp);
void desk_api_commitments_delete(struct desk_req *req, struct desk_resp *resp);

/* /api/v2/alerts: the caller's own alerts (?unread=true), and PUT {"alert":{"read":true}}. */
void desk_api_alerts_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_alerts_update(struct desk_req *req, struct desk_resp *resp);

struct desk_ticket;
typedef struct json_t json_t;

/*
 * Ticket extension: "commitments": {"open", "done", "missed", "cancelled",
 * "next": {id, owner_id, due_at} or null} for staff; nothing for end users.
 */
void api_commitments_ticket_ext(struct desk_req *req, const struct desk_ticket *t, json_t *o);

#endif
