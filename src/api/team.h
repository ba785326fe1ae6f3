/*
 * The team's API: staff profiles, availability and lifecycle under
 * /api/v2/staff, skills in Zendesk's /api/v2/routing shapes, desk's routing
 * settings and decision log, trainees' drafts under /api/v2/drafts, and the
 * fields the team adds to ticket and user JSON.
 */
#ifndef DESK_API_TEAM_H
#define DESK_API_TEAM_H

#include "api/api.h"
#include "app/team.h"

/* staff */
void desk_api_staff_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_staff_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_staff_update(struct desk_req *req, struct desk_resp *resp);
void desk_api_staff_availability_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_staff_availability_update(struct desk_req *req, struct desk_resp *resp);
void desk_api_staff_availability_history(struct desk_req *req, struct desk_resp *resp);
void desk_api_staff_events(struct desk_req *req, struct desk_resp *resp);
void desk_api_staff_offboard(struct desk_req *req, struct desk_resp *resp);
void desk_api_staff_suspend(struct desk_req *req, struct desk_resp *resp);
void desk_api_staff_reinstate(struct desk_req *req, struct desk_resp *resp);
void desk_api_staff_graduate(struct desk_req *req, struct desk_resp *resp);
void desk_api_staff_invite(struct desk_req *req, struct desk_resp *resp);
void desk_api_staff_invitations(struct desk_req *req, struct desk_resp *resp);
void desk_api_staff_invite_accept(struct desk_req *req, struct desk_resp *resp);

/* skills (Zendesk skill-based routing) */
void desk_api_routing_attributes(struct desk_req *req, struct desk_resp *resp);
void desk_api_routing_attribute_create(struct desk_req *req, struct desk_resp *resp);
void desk_api_routing_attribute_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_routing_attribute_update(struct desk_req *req, struct desk_resp *resp);
void desk_api_routing_attribute_delete(struct desk_req *req, struct desk_resp *resp);
void desk_api_routing_values(struct desk_req *req, struct desk_resp *resp);
void desk_api_routing_value_create(struct desk_req *req, struct desk_resp *resp);
void desk_api_routing_value_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_routing_value_update(struct desk_req *req, struct desk_resp *resp);
void desk_api_routing_value_delete(struct desk_req *req, struct desk_resp *resp);
void desk_api_routing_agent_values(struct desk_req *req, struct desk_resp *resp);
void desk_api_routing_agent_values_set(struct desk_req *req, struct desk_resp *resp);
void desk_api_routing_ticket_values(struct desk_req *req, struct desk_resp *resp);
void desk_api_routing_ticket_values_set(struct desk_req *req, struct desk_resp *resp);

/* routing settings and decisions */
void desk_api_routing_group_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_routing_group_update(struct desk_req *req, struct desk_resp *resp);
void desk_api_tickets_routing(struct desk_req *req, struct desk_resp *resp);

/* drafts */
void desk_api_drafts_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_drafts_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_drafts_approve(struct desk_req *req, struct desk_resp *resp);
void desk_api_drafts_return(struct desk_req *req, struct desk_resp *resp);

/*
 * Reads a staff profile object from the wire (PUT /staff/{id} and the
 * invitation body): languages, capacity, schedule, mentor, trainee, hire
 * date, training, supervisor notes, routing pause, skills. Type errors are
 * DESK_EINVALID naming the field; values are checked by the use case.
 * Everything is allocated in req's arena. (Also the fuzz target's entry.)
 */
struct json_t;
int desk_api_staff_input(struct desk_req *req, struct json_t *o, struct desk_staff_input *in,
                         struct desk_fail *f);

/* Extensions (extensions.c): "routing" and "pending_drafts" on tickets, "staff" on users. */
struct json_t;
void desk_api_team_ticket_ext(struct desk_req *req, const struct desk_ticket *t, struct json_t *o);
void desk_api_team_user_ext(struct desk_req *req, const struct desk_user *u, struct json_t *o);

#endif
