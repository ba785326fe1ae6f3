/*
 * The route table and the permission policy. Adding an endpoint means one
 * line here naming its handler and the permission it needs.
 */
#include "http/http_int.h"
#include "core/str.h"
/* Each capability's handlers are declared in its own header under api/. */
#include "api/calendar.h"
#include "api/commitments.h"
#include "api/escalations.h"
#include "api/concessions.h"
#include "api/mailboxes.h"
#include "api/outbox.h"
#include "api/console.h"
#include "api/mail_in.h"
#include "api/sla.h"
#include "api/team.h"

#include <string.h>

#define R(m, p, perm, fn)                                                                          \
    {                                                                                              \
        DESK_##m, p, DESK_PERM_##perm, fn                                                          \
    }

const struct desk_route desk_routes[] = {
    R(GET, "users/me", SELF, desk_api_users_me),
    R(PUT, "users/me", SELF, desk_api_users_update),
    R(GET, "users", PEOPLE_READ, desk_api_users_list),
    R(POST, "users", PEOPLE_WRITE, desk_api_users_create),
    R(GET, "users/show_many", PEOPLE_READ, desk_api_users_show_many),
    R(GET, "users/search", PEOPLE_READ, desk_api_users_search),
    R(POST, "users/create_or_update", PEOPLE_WRITE, desk_api_users_create_or_update),
    R(GET, "users/:id", SELF, desk_api_users_show),
    R(PUT, "users/:id", SELF, desk_api_users_update),
    R(DELETE, "users/:id", ADMIN, desk_api_users_delete),
    R(GET, "users/:id/tickets/requested", TICKETS, desk_api_tickets_list),
    R(GET, "users/:id/tickets/assigned", TICKETS, desk_api_tickets_list),
    R(GET, "users/:id/tickets/ccd", TICKETS, desk_api_tickets_list),
    R(GET, "users/:id/group_memberships", PEOPLE_READ, desk_api_memberships_list),
    R(POST, "users/:id/group_memberships", QUEUES, desk_api_memberships_create),
    R(GET, "users/:id/group_memberships/:id", PEOPLE_READ, desk_api_memberships_show),
    R(DELETE, "users/:id/group_memberships/:id", QUEUES, desk_api_memberships_delete),
    R(PUT, "users/:id/group_memberships/:id/make_default", QUEUES,
      desk_api_memberships_make_default),
    R(GET, "users/:id/groups", PEOPLE_READ, desk_api_groups_list),

    R(GET, "organizations", PEOPLE_READ, desk_api_orgs_list),
    R(POST, "organizations", PEOPLE_WRITE, desk_api_orgs_create),
    R(GET, "organizations/show_many", PEOPLE_READ, desk_api_orgs_show_many),
    R(GET, "organizations/search", PEOPLE_READ, desk_api_orgs_search),
    R(GET, "organizations/autocomplete", PEOPLE_READ, desk_api_orgs_search),
    R(GET, "organizations/:id", PEOPLE_READ, desk_api_orgs_show),
    R(PUT, "organizations/:id", PEOPLE_WRITE, desk_api_orgs_update),
    R(DELETE, "organizations/:id", QUEUES, desk_api_orgs_delete),
    R(GET, "organizations/:id/tickets", TICKETS, desk_api_tickets_list),
    R(GET, "organizations/:id/users", PEOPLE_READ, desk_api_users_list),

    R(GET, "groups", PEOPLE_READ, desk_api_groups_list),
    R(GET, "groups/assignable", PEOPLE_READ, desk_api_groups_list),
    R(POST, "groups", QUEUES, desk_api_groups_create),
    R(GET, "groups/:id", PEOPLE_READ, desk_api_groups_show),
    R(PUT, "groups/:id", QUEUES, desk_api_groups_update),
    R(DELETE, "groups/:id", QUEUES, desk_api_groups_delete),
    R(GET, "groups/:id/memberships", PEOPLE_READ, desk_api_memberships_list),
    R(GET, "groups/:id/users", PEOPLE_READ, desk_api_users_list),
    R(GET, "groups/:id/tickets", TICKETS, desk_api_tickets_list),
    R(GET, "group_memberships", PEOPLE_READ, desk_api_memberships_list),
    R(POST, "group_memberships", QUEUES, desk_api_memberships_create),
    R(GET, "group_memberships/:id", PEOPLE_READ, desk_api_memberships_show),
    R(DELETE, "group_memberships/:id", QUEUES, desk_api_memberships_delete),

    R(GET, "tickets", TICKETS, desk_api_tickets_list),
    R(POST, "tickets", TICKETS, desk_api_tickets_create),
    R(GET, "tickets/show_many", TICKETS, desk_api_tickets_show_many),
    R(POST, "tickets/create_many", TICKETS, desk_api_tickets_create_many),
    R(PUT, "tickets/update_many", TICKETS, desk_api_tickets_update_many),
    R(DELETE, "tickets/destroy_many", QUEUES, desk_api_tickets_destroy_many),
    R(GET, "tickets/:id", TICKETS, desk_api_tickets_show),
    R(PUT, "tickets/:id", TICKETS, desk_api_tickets_update),
    R(DELETE, "tickets/:id", QUEUES, desk_api_tickets_delete),
    R(GET, "tickets/:id/comments", TICKETS, desk_api_tickets_comments),
    R(GET, "tickets/:id/audits", TICKETS, desk_api_tickets_audits),
    R(GET, "job_statuses/:sid", TICKETS, desk_api_job_status_show),
    R(GET, "incremental/tickets", TICKETS, desk_api_tickets_incremental),
    R(GET, "incremental/tickets/cursor", TICKETS, desk_api_tickets_incremental_cursor),

    R(GET, "requests", SELF, desk_api_requests_list),
    R(GET, "requests/open", SELF, desk_api_requests_list),
    R(GET, "requests/solved", SELF, desk_api_requests_list),
    R(GET, "requests/ccd", SELF, desk_api_requests_list),
    R(POST, "requests", SELF, desk_api_requests_create),
    R(GET, "requests/:id", SELF, desk_api_requests_show),
    R(PUT, "requests/:id", SELF, desk_api_requests_update),
    R(GET, "requests/:id/comments", SELF, desk_api_requests_comments),

    R(GET, "search", TICKETS, desk_api_search),
    R(GET, "search/count", TICKETS, desk_api_search_count),

    /* email in */
    R(GET, "suspended_tickets", TICKETS, desk_api_suspended_list),
    R(PUT, "suspended_tickets/recover_many", QUEUES, desk_api_suspended_recover_many),
    R(DELETE, "suspended_tickets/destroy_many", QUEUES, desk_api_suspended_destroy_many),
    R(GET, "suspended_tickets/:id", TICKETS, desk_api_suspended_show),
    R(GET, "suspended_tickets/:id/raw", TICKETS, desk_api_suspended_raw),
    R(PUT, "suspended_tickets/:id/recover", QUEUES, desk_api_suspended_recover),
    R(DELETE, "suspended_tickets/:id", QUEUES, desk_api_suspended_delete),
    R(GET, "tickets/:id/comments/:id/raw", TICKETS, desk_api_comment_raw),
    R(GET, "attachments/:id", SELF, desk_api_attachment_show),
    R(GET, "attachments/:id/content", SELF, desk_api_attachment_content),
    R(DELETE, "users/:id/email_undeliverable", TICKETS, desk_api_mail_undeliverable_clear),

    /* email out */
    R(GET, "outbox", TICKETS, desk_api_outbox_list),
    R(GET, "outbox/:id", TICKETS, desk_api_outbox_show),
    R(POST, "outbox/:id/retry", QUEUES, desk_api_outbox_retry),
    R(GET, "mailboxes", ADMIN, desk_api_mailboxes_list),
    R(POST, "mailboxes", ADMIN, desk_api_mailboxes_create),
    R(GET, "mailboxes/:id", ADMIN, desk_api_mailboxes_show),
    R(PUT, "mailboxes/:id", ADMIN, desk_api_mailboxes_update),
    R(DELETE, "mailboxes/:id", ADMIN, desk_api_mailboxes_delete),

    /* SLA */
    R(GET, "business_hours/schedules", TICKETS, desk_api_schedules_list),
    R(POST, "business_hours/schedules", ADMIN, desk_api_schedules_create),
    R(GET, "business_hours/schedules/:id", TICKETS, desk_api_schedules_show),
    R(PUT, "business_hours/schedules/:id", ADMIN, desk_api_schedules_update),
    R(DELETE, "business_hours/schedules/:id", ADMIN, desk_api_schedules_delete),
    R(PUT, "business_hours/schedules/:id/workweek", ADMIN, desk_api_schedules_workweek),
    R(GET, "business_hours/schedules/:id/holidays", TICKETS, desk_api_holidays_list),
    R(POST, "business_hours/schedules/:id/holidays", ADMIN, desk_api_holidays_create),
    R(GET, "business_hours/schedules/:id/holidays/:id", TICKETS, desk_api_holidays_show),
    R(PUT, "business_hours/schedules/:id/holidays/:id", ADMIN, desk_api_holidays_update),
    R(DELETE, "business_hours/schedules/:id/holidays/:id", ADMIN, desk_api_holidays_delete),
    R(GET, "slas/policies", TICKETS, desk_api_policies_list),
    R(POST, "slas/policies", ADMIN, desk_api_policies_create),
    R(PUT, "slas/policies/reorder", ADMIN, desk_api_policies_reorder),
    R(GET, "slas/policies/:id", TICKETS, desk_api_policies_show),
    R(PUT, "slas/policies/:id", ADMIN, desk_api_policies_update),
    R(DELETE, "slas/policies/:id", ADMIN, desk_api_policies_delete),
    R(GET, "tickets/:id/sla", TICKETS, desk_api_ticket_sla),
    R(GET, "tickets/:id/metrics", TICKETS, desk_api_ticket_metrics_of_ticket),
    R(GET, "ticket_metrics", TICKETS, desk_api_ticket_metrics_list),
    R(GET, "ticket_metrics/:id", TICKETS, desk_api_ticket_metrics_show),
    R(GET, "ticket_metric_events", TICKETS, desk_api_ticket_metric_events),
    R(GET, "incremental/ticket_metric_events", TICKETS, desk_api_ticket_metric_events),
    R(GET, "sla/alerts", TICKETS, desk_api_sla_alerts),

    /* commitments */
    R(GET, "tickets/:id/commitments", TICKETS, desk_api_ticket_commitments_list),
    R(POST, "tickets/:id/commitments", TICKETS, desk_api_ticket_commitments_create),
    R(GET, "commitments", TICKETS, desk_api_commitments_list),
    R(POST, "commitments", TICKETS, desk_api_commitments_create),
    R(GET, "commitments/:id", TICKETS, desk_api_commitments_show),
    R(PUT, "commitments/:id", TICKETS, desk_api_commitments_update),
    R(DELETE, "commitments/:id", TICKETS, desk_api_commitments_delete),
    R(GET, "alerts", SELF, desk_api_alerts_list),
    R(PUT, "alerts/:id", SELF, desk_api_alerts_update),
    R(GET, "users/:id/calendar.ics", TICKETS, desk_api_calendar_agent),
    R(GET, "users/:id/team_calendar.ics", TICKETS, desk_api_calendar_team),
    R(GET, "groups/:id/calendar.ics", TICKETS, desk_api_calendar_group),
    R(POST, "users/me/calendar_feed/rotate", SELF, desk_api_calendar_feed_rotate),
    R(GET, "calendar_feeds/:sid/calendar.ics", PUBLIC, desk_api_calendar_feed),
    R(GET, "calendar_feeds/:sid/users/:id/calendar.ics", PUBLIC, desk_api_calendar_feed_user),
    R(GET, "calendar_feeds/:sid/groups/:id/calendar.ics", PUBLIC, desk_api_calendar_feed_group),

    /* team */
    R(GET, "staff", TICKETS, desk_api_staff_list),
    R(GET, "staff/invitations", QUEUES, desk_api_staff_invitations),
    R(POST, "staff/invitations", QUEUES, desk_api_staff_invite),
    R(POST, "staff/invitations/:sid/accept", PUBLIC, desk_api_staff_invite_accept),
    R(GET, "staff/:id", TICKETS, desk_api_staff_show),
    R(PUT, "staff/:id", QUEUES, desk_api_staff_update),
    R(GET, "staff/:id/availability", TICKETS, desk_api_staff_availability_show),
    R(PUT, "staff/:id/availability", TICKETS, desk_api_staff_availability_update),
    R(GET, "staff/:id/availability/history", TICKETS, desk_api_staff_availability_history),
    R(GET, "staff/:id/events", TICKETS, desk_api_staff_events),
    R(POST, "staff/:id/offboard", QUEUES, desk_api_staff_offboard),
    R(POST, "staff/:id/suspend", QUEUES, desk_api_staff_suspend),
    R(POST, "staff/:id/reinstate", QUEUES, desk_api_staff_reinstate),
    R(POST, "staff/:id/graduate", QUEUES, desk_api_staff_graduate),
    R(GET, "routing/attributes", TICKETS, desk_api_routing_attributes),
    R(POST, "routing/attributes", QUEUES, desk_api_routing_attribute_create),
    R(GET, "routing/attributes/:id", TICKETS, desk_api_routing_attribute_show),
    R(PUT, "routing/attributes/:id", QUEUES, desk_api_routing_attribute_update),
    R(PATCH, "routing/attributes/:id", QUEUES, desk_api_routing_attribute_update),
    R(DELETE, "routing/attributes/:id", QUEUES, desk_api_routing_attribute_delete),
    R(GET, "routing/attributes/:id/values", TICKETS, desk_api_routing_values),
    R(POST, "routing/attributes/:id/values", QUEUES, desk_api_routing_value_create),
    R(GET, "routing/attributes/:id/values/:id", TICKETS, desk_api_routing_value_show),
    R(PATCH, "routing/attributes/:id/values/:id", QUEUES, desk_api_routing_value_update),
    R(PUT, "routing/attributes/:id/values/:id", QUEUES, desk_api_routing_value_update),
    R(DELETE, "routing/attributes/:id/values/:id", QUEUES, desk_api_routing_value_delete),
    R(GET, "routing/agents/:id/instance_values", TICKETS, desk_api_routing_agent_values),
    R(POST, "routing/agents/:id/instance_values", QUEUES, desk_api_routing_agent_values_set),
    R(GET, "routing/tickets/:id/instance_values", TICKETS, desk_api_routing_ticket_values),
    R(POST, "routing/tickets/:id/instance_values", TICKETS, desk_api_routing_ticket_values_set),
    R(GET, "routing/groups/:id", TICKETS, desk_api_routing_group_show),
    R(PUT, "routing/groups/:id", QUEUES, desk_api_routing_group_update),
    R(GET, "tickets/:id/routing", TICKETS, desk_api_tickets_routing),
    R(GET, "drafts", TICKETS, desk_api_drafts_list),
    R(GET, "drafts/:id", TICKETS, desk_api_drafts_show),
    R(POST, "drafts/:id/approve", TICKETS, desk_api_drafts_approve),
    R(POST, "drafts/:id/return", TICKETS, desk_api_drafts_return),

    /* supervisor */
    R(POST, "tickets/:id/escalate", TICKETS, desk_api_tickets_escalate),
    R(GET, "escalations", TICKETS, desk_api_escalations_list),
    R(GET, "escalations/roster", TICKETS, desk_api_roster_show),
    R(PUT, "escalations/roster", QUEUES, desk_api_roster_update),
    R(DELETE, "escalations/roster", QUEUES, desk_api_roster_clear),
    R(GET, "escalations/settings/:id", TICKETS, desk_api_esc_settings_show),
    R(PUT, "escalations/settings/:id", QUEUES, desk_api_esc_settings_update),
    R(GET, "escalations/:id", TICKETS, desk_api_escalations_show),
    R(PUT, "escalations/:id/accept", QUEUES, desk_api_escalations_accept),
    R(PUT, "escalations/:id/resolve", QUEUES, desk_api_escalations_resolve),
    R(PUT, "escalations/:id/return", QUEUES, desk_api_escalations_return),
    R(GET, "supervisor_alerts", QUEUES, desk_api_supervisor_alerts_list),
    R(PUT, "supervisor_alerts/:id/acknowledge", QUEUES, desk_api_supervisor_alerts_ack),
    R(GET, "tickets/:id/complaint", QUEUES, desk_api_tickets_complaint_show),
    R(PUT, "tickets/:id/complaint", QUEUES, desk_api_tickets_complaint_update),
    R(GET, "users/:id/complaints", QUEUES, desk_api_users_complaints),

    /* concessions */
    R(POST, "tickets/:id/concessions", TICKETS, desk_api_concessions_propose),
    R(GET, "tickets/:id/concessions", TICKETS, desk_api_concessions_of_ticket),
    R(GET, "tickets/:id/held_replies", TICKETS, desk_api_held_replies_list),
    R(GET, "tickets/:id/similar", TICKETS, desk_api_tickets_similar),
    R(GET, "concessions", TICKETS, desk_api_concessions_list),
    R(GET, "concessions/report", QUEUES, desk_api_concessions_report),
    R(GET, "concessions/:id", TICKETS, desk_api_concessions_show),
    R(POST, "concessions/:id/approve", QUEUES, desk_api_concessions_approve),
    R(POST, "concessions/:id/deny", QUEUES, desk_api_concessions_deny),
    R(POST, "concessions/:id/counter", QUEUES, desk_api_concessions_counter),
    R(GET, "concession_limits", TICKETS, desk_api_concession_limits_list),
    R(POST, "concession_limits", ADMIN, desk_api_concession_limits_set),
    R(DELETE, "concession_limits/:id", ADMIN, desk_api_concession_limits_delete),
    R(GET, "concession_alerts", TICKETS, desk_api_concession_alerts_list),
    R(POST, "concession_alerts/mark_read", TICKETS, desk_api_concession_alerts_read),
    R(GET, "groups/:id/resolution_policy", TICKETS, desk_api_resolution_policy_show),
    R(PUT, "groups/:id/resolution_policy", QUEUES, desk_api_resolution_policy_update),

    /* console */
    R(POST, "sessions", PUBLIC, desk_api_sessions_create),
    R(POST, "sessions/links", PUBLIC, desk_api_session_links_create),
    R(GET, "sessions/current", SELF, desk_api_sessions_current),
    R(DELETE, "sessions/current", SELF, desk_api_sessions_delete),
    R(GET, "live", TICKETS, desk_api_live_stream),
    R(GET, "live/queues", TICKETS, desk_api_live_queues),
    R(PUT, "tickets/:id/viewing", TICKETS, desk_api_live_viewing),
    R(GET, "macros", TICKETS, desk_api_macros_list),
    R(GET, "macros/active", TICKETS, desk_api_macros_list),
    R(POST, "macros", QUEUES, desk_api_macros_create),
    R(GET, "macros/:id", TICKETS, desk_api_macros_show),
    R(PUT, "macros/:id", QUEUES, desk_api_macros_update),
    R(DELETE, "macros/:id", QUEUES, desk_api_macros_delete),
    R(GET, "macros/:id/apply", TICKETS, desk_api_macros_apply),
    R(GET, "tickets/:id/macros/:id/apply", TICKETS, desk_api_macros_apply),
    R(GET, "views", TICKETS, desk_api_views_list),
    R(GET, "views/active", TICKETS, desk_api_views_list),
    R(POST, "views", TICKETS, desk_api_views_create),
    R(GET, "views/:id", TICKETS, desk_api_views_show),
    R(PUT, "views/:id", TICKETS, desk_api_views_update),
    R(DELETE, "views/:id", TICKETS, desk_api_views_delete),
    R(GET, "views/:id/tickets", TICKETS, desk_api_views_tickets),
    R(GET, "views/:id/execute", TICKETS, desk_api_views_tickets),
    R(GET, "views/:id/count", TICKETS, desk_api_views_count),
    R(POST, "spellcheck", TICKETS, desk_api_spellcheck),
    R(POST, "uploads", SELF, desk_api_uploads_create),
    R(DELETE, "uploads/:sid", SELF, desk_api_uploads_delete),
};

const size_t n_desk_routes = sizeof(desk_routes) / sizeof(desk_routes[0]);

static const signed char policy[DESK_PERM__COUNT][5] = {
#define DESK_X_ROW(name, anon, eu, ag, sup, adm) {anon, eu, ag, sup, adm},
    DESK_PERMS(DESK_X_ROW)
#undef DESK_X_ROW
};

bool desk_http_allowed(enum desk_perm perm, int role)
{
    int col = role + 1; /* -1 anonymous → column 0 */
    if (perm < 0 || perm >= DESK_PERM__COUNT || col < 0 || col > 4) {
        return false;
    }
    return policy[perm][col] != 0;
}

/* Matches one pattern against path; fills req on success. */
static bool match(const char *pattern, const char *path, struct desk_req *req)
{
    const char *p = pattern, *s = path;
    size_t n_ids = 0;
    const char *sid = NULL;
    int64_t ids[3];
    while (*p && *s) {
        const char *pe = strchr(p, '/'), *se = strchr(s, '/');
        size_t pl = pe ? (size_t)(pe - p) : strlen(p), sl = se ? (size_t)(se - s) : strlen(s);
        if (pl == 3 && memcmp(p, ":id", 3) == 0) {
            int64_t v;
            if (n_ids == 3 || desk_str_to_i64(s, sl, &v) || v <= 0) {
                return false;
            }
            ids[n_ids++] = v;
        } else if (pl == 4 && memcmp(p, ":sid", 4) == 0) {
            if (sl == 0 || sl > 64) {
                return false;
            }
            for (size_t i = 0; i < sl; i++) {
                char c = s[i];
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_')) {
                    return false;
                }
            }
            sid = s;
        } else if (pl != sl || memcmp(p, s, pl) != 0) {
            return false;
        }
        p += pl + (pe ? 1 : 0);
        s += sl + (se ? 1 : 0);
        if (!pe != !se) {
            return false;
        }
    }
    if (*p || *s) {
        return false;
    }
    memcpy(req->ids, ids, n_ids * sizeof(int64_t));
    req->n_ids = n_ids;
    if (sid) {
        req->sid = desk_arena_strndup(req->arena, sid, strcspn(sid, "/"));
    }
    return true;
}

int desk_http_route(int method, const char *path, struct desk_req *req)
{
    bool path_known = false;
    for (size_t i = 0; i < n_desk_routes; i++) {
        struct desk_req probe = *req;
        if (!match(desk_routes[i].pattern, path, &probe)) {
            continue;
        }
        if (desk_routes[i].method == method) {
            *req = probe;
            return (int)i;
        }
        path_known = true;
    }
    return path_known ? -2 : -1;
}
