/*
 * SLA API handlers: Zendesk's business-hours schedules (with workweek and
 * holidays), SLA policies, ticket metrics and metric events, desk's own
 * GET /tickets/{id}/sla and /sla/alerts, and the ticket JSON extension that
 * answers include=slas. The route table in http/routes.c names them.
 */
#ifndef DESK_API_SLA_H
#define DESK_API_SLA_H

#include "api/api.h"

/* /business_hours/schedules[/{id}] and /business_hours/schedules/{id}/workweek. */
void desk_api_schedules_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_schedules_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_schedules_create(struct desk_req *req, struct desk_resp *resp);
void desk_api_schedules_update(struct desk_req *req, struct desk_resp *resp);
void desk_api_schedules_delete(struct desk_req *req, struct desk_resp *resp);
void desk_api_schedules_workweek(struct desk_req *req, struct desk_resp *resp);

/* /business_hours/schedules/{id}/holidays[/{id}]. */
void desk_api_holidays_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_holidays_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_holidays_create(struct desk_req *req, struct desk_resp *resp);
void desk_api_holidays_update(struct desk_req *req, struct desk_resp *resp);
void desk_api_holidays_delete(struct desk_req *req, struct desk_resp *resp);

/* /slas/policies[/{id}] and /slas/policies/reorder. */
void desk_api_policies_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_policies_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_policies_create(struct desk_req *req, struct desk_resp *resp);
void desk_api_policies_update(struct desk_req *req, struct desk_resp *resp);
void desk_api_policies_delete(struct desk_req *req, struct desk_resp *resp);
void desk_api_policies_reorder(struct desk_req *req, struct desk_resp *resp);

/* GET /tickets/{id}/sla: every clock of the ticket with its explanation. */
void desk_api_ticket_sla(struct desk_req *req, struct desk_resp *resp);

/* /ticket_metrics[/{id}] and /tickets/{id}/metrics. */
void desk_api_ticket_metrics_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_ticket_metrics_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_ticket_metrics_of_ticket(struct desk_req *req, struct desk_resp *resp);

/* /incremental/ticket_metric_events and /ticket_metric_events (start_time). */
void desk_api_ticket_metric_events(struct desk_req *req, struct desk_resp *resp);

/* GET /sla/alerts: the caller's at-risk and breach notices (user_id= or all=true: supervisors). */
void desk_api_sla_alerts(struct desk_req *req, struct desk_resp *resp);

/*
 * Ticket extension (extensions.c): with include=slas, adds Zendesk's
 * "slas": {"policy_metrics": [...]} for staff.
 */
struct desk_ticket;
struct json_t;
void desk_api_sla_ticket_ext(struct desk_req *req, const struct desk_ticket *t, struct json_t *o);

#endif
