/*
 * API handlers for concessions (proposals, decisions, limits, alerts, the
 * report), held replies, similar solved tickets and resolution policies,
 * plus the ticket JSON's "resolution" and the wire fields this capability
 * reads on ticket writes. See docs/concessions.md.
 */
#ifndef DESK_API_CONCESSIONS_H
#define DESK_API_CONCESSIONS_H

#include "api/api.h"

void desk_api_concessions_propose(struct desk_req *req, struct desk_resp *resp);
void desk_api_concessions_of_ticket(struct desk_req *req, struct desk_resp *resp);
void desk_api_concessions_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_concessions_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_concessions_approve(struct desk_req *req, struct desk_resp *resp);
void desk_api_concessions_deny(struct desk_req *req, struct desk_resp *resp);
void desk_api_concessions_counter(struct desk_req *req, struct desk_resp *resp);
void desk_api_concessions_report(struct desk_req *req, struct desk_resp *resp);
void desk_api_concession_limits_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_concession_limits_set(struct desk_req *req, struct desk_resp *resp);
void desk_api_concession_limits_delete(struct desk_req *req, struct desk_resp *resp);
void desk_api_concession_alerts_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_concession_alerts_read(struct desk_req *req, struct desk_resp *resp);
void desk_api_held_replies_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_tickets_similar(struct desk_req *req, struct desk_resp *resp);
void desk_api_resolution_policy_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_resolution_policy_update(struct desk_req *req, struct desk_resp *resp);

#endif
