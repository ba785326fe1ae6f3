/*
 * API handlers of the supervisor's desk: escalating a ticket and moving
 * escalations along, the on-duty roster and per-group escalation
 * settings, supervisor alerts, complaint outcomes, and the ticket and user
 * JSON extensions (sentiment, escalation, complaint) shown to staff only.
 */
#ifndef DESK_API_ESCALATIONS_H
#define DESK_API_ESCALATIONS_H

#include "api/api.h"

void desk_api_tickets_escalate(struct desk_req *req, struct desk_resp *resp);
void desk_api_escalations_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_escalations_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_escalations_accept(struct desk_req *req, struct desk_resp *resp);
void desk_api_escalations_resolve(struct desk_req *req, struct desk_resp *resp);
void desk_api_escalations_return(struct desk_req *req, struct desk_resp *resp);
void desk_api_roster_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_roster_update(struct desk_req *req, struct desk_resp *resp);
/* DELETE /api/v2/escalations/roster?group_id=: back to the supervisors' schedules. */
void desk_api_roster_clear(struct desk_req *req, struct desk_resp *resp);
void desk_api_esc_settings_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_esc_settings_update(struct desk_req *req, struct desk_resp *resp);
void desk_api_supervisor_alerts_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_supervisor_alerts_ack(struct desk_req *req, struct desk_resp *resp);
void desk_api_tickets_complaint_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_tickets_complaint_update(struct desk_req *req, struct desk_resp *resp);
void desk_api_users_complaints(struct desk_req *req, struct desk_resp *resp);

/* Ticket extension: "sentiment", "escalation" and (supervisors) "complaint". */
struct desk_ticket;
struct desk_user;
typedef struct json_t json_t;
void desk_api_supervisor_ticket_ext(struct desk_req *req, const struct desk_ticket *t, json_t *o);

/* User extension: a staff member's complaint record, for supervisors and admins. */
void desk_api_supervisor_user_ext(struct desk_req *req, const struct desk_user *u, json_t *o);

#endif
