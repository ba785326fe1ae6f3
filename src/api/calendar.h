/*
 * iCalendar feeds (RFC 5545) over HTTP: a person's, a group's and a
 * supervisor's team's calendar for signed-in staff, the same through a
 * secret per-user URL that calendar clients can subscribe to without other
 * credentials, the rotation of that URL, and the user JSON extension that
 * shows the URL to its owner in GET /users/me.
 */
#ifndef DESK_API_CALENDAR_H
#define DESK_API_CALENDAR_H

#include "api/api.h"

void desk_api_calendar_agent(struct desk_req *req, struct desk_resp *resp);
void desk_api_calendar_group(struct desk_req *req, struct desk_resp *resp);
void desk_api_calendar_team(struct desk_req *req, struct desk_resp *resp);
/* calendar_feeds/{token}/calendar.ics (and .../users/{id}/..., .../groups/{id}/...) */
void desk_api_calendar_feed(struct desk_req *req, struct desk_resp *resp);
void desk_api_calendar_feed_user(struct desk_req *req, struct desk_resp *resp);
void desk_api_calendar_feed_group(struct desk_req *req, struct desk_resp *resp);
/* POST users/me/calendar_feed/rotate */
void desk_api_calendar_feed_rotate(struct desk_req *req, struct desk_resp *resp);

struct desk_user;
typedef struct json_t json_t;

/* User extension: "calendar_feed_url" in the caller's own GET /users/me (staff only). */
void api_calendar_user_ext(struct desk_req *req, const struct desk_user *u, json_t *o);

#endif
