/*
 * Calendar feeds on the wire (see calendar.h): app/calendar.c gathers the
 * items, core/ical.c writes the RFC 5545 lines. Times are UTC ("Z"), so
 * the feed needs no VTIMEZONE; every entry links to its ticket.
 */
#include "api/calendar.h"
#include "api/api_int.h"
#include "app/calendar.h"
#include "core/buf.h"
#include "core/ical.h"
#include "core/time.h"

#include <string.h>

/* Writes cal as a VCALENDAR into resp (text/calendar). */
static void send_ics(struct desk_req *req, struct desk_resp *resp, const struct desk_cal *cal)
{
    struct desk_buf b;
    desk_buf_init(&b, 0);
    desk_buf_adds(&b, "BEGIN:VCALENDAR\r\n");
    desk_ical_raw(&b, "VERSION", "2.0");
    desk_ical_text(&b, "PRODID", "-//desk//calendar feed//EN");
    desk_ical_raw(&b, "CALSCALE", "GREGORIAN");
    desk_ical_text(&b, "X-WR-CALNAME", cal->name);
    desk_ical_raw(&b, "X-PUBLISHED-TTL", "PT15M");
    desk_ical_raw(&b, "REFRESH-INTERVAL;VALUE=DURATION", "PT15M");
    for (size_t i = 0; i < cal->n; i++) {
        const struct desk_cal_item *it = &cal->items[i];
        const char *link =
            it->ticket_id ? api_url(req, "tickets/%lld.json", (long long)it->ticket_id) : NULL;
        desk_buf_adds(&b, "BEGIN:VEVENT\r\n");
        desk_ical_text(&b, "UID", it->uid);
        /* No METHOD: DTSTAMP is then when the entry last changed (RFC 5545 3.8.7.2), so an
         * unchanged entry reads the same on every fetch. */
        desk_ical_time(&b, "DTSTAMP", it->updated_at);
        desk_ical_time(&b, "DTSTART", it->start);
        desk_ical_time(&b, "DTEND", it->end);
        desk_ical_text(&b, "SUMMARY", it->summary);
        desk_ical_text(&b, "DESCRIPTION",
                       link ? desk_arena_printf(req->arena, "%s\n%s", it->description, link)
                            : it->description);
        if (link) {
            desk_ical_raw(&b, "URL;VALUE=URI", link);
        }
        desk_ical_text(&b, "CATEGORIES", it->kind);
        desk_ical_raw(&b, "STATUS", it->cancelled ? "CANCELLED" : "CONFIRMED");
        desk_ical_raw(&b, "TRANSP", "TRANSPARENT");
        desk_ical_time(&b, "CREATED", it->created_at);
        desk_ical_time(&b, "LAST-MODIFIED", it->updated_at);
        if (it->alarm_before_ms > 0) {
            desk_buf_adds(&b, "BEGIN:VALARM\r\n");
            desk_ical_raw(&b, "ACTION", "DISPLAY");
            desk_ical_text(&b, "DESCRIPTION", it->summary);
            desk_ical_duration(&b, "TRIGGER", -it->alarm_before_ms);
            desk_buf_adds(&b, "END:VALARM\r\n");
        }
        desk_buf_adds(&b, "END:VEVENT\r\n");
    }
    desk_buf_adds(&b, "END:VCALENDAR\r\n");
    resp->status = 200;
    resp->body = desk_arena_strndup(req->arena, b.data, b.len);
    resp->body_len = b.len;
    resp->content_type = "text/calendar; charset=utf-8";
    desk_buf_release(&b);
}

static void calendar(struct desk_req *req, struct desk_resp *resp, const struct desk_actor *who,
                     int scope, int64_t id)
{
    struct desk_cal cal;
    int rc = desk_app_calendar(req->app, who, req->arena, scope, id, desk_time_now_ms(), &cal);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    send_ics(req, resp, &cal);
}

void desk_api_calendar_agent(struct desk_req *req, struct desk_resp *resp)
{
    calendar(req, resp, &req->who, DESK_CAL_AGENT, req->ids[0]);
}

void desk_api_calendar_group(struct desk_req *req, struct desk_resp *resp)
{
    calendar(req, resp, &req->who, DESK_CAL_GROUP, req->ids[0]);
}

void desk_api_calendar_team(struct desk_req *req, struct desk_resp *resp)
{
    calendar(req, resp, &req->who, DESK_CAL_SUPERVISOR, req->ids[0]);
}

/* The person a secret URL speaks for; renders a 404 (nothing more) when the token is not one. */
static int feed_actor(struct desk_req *req, struct desk_resp *resp, struct desk_actor *who)
{
    int rc = desk_app_calendar_feed_actor(req->app, req->sid, who);
    if (rc) {
        desk_api_error(req, resp, rc == DESK_ENOTFOUND ? DESK_ENOTFOUND : rc, NULL);
        return -1;
    }
    who->request_id = req->who.request_id;
    return 0;
}

void desk_api_calendar_feed(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_actor who;
    if (!feed_actor(req, resp, &who)) {
        calendar(req, resp, &who, desk_app_calendar_own_scope(&who), who.user_id);
    }
}

void desk_api_calendar_feed_user(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_actor who;
    if (!feed_actor(req, resp, &who)) {
        calendar(req, resp, &who, DESK_CAL_AGENT, req->ids[0]);
    }
}

void desk_api_calendar_feed_group(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_actor who;
    if (!feed_actor(req, resp, &who)) {
        calendar(req, resp, &who, DESK_CAL_GROUP, req->ids[0]);
    }
}

static const char *feed_url(struct desk_req *req, const char *token)
{
    return api_url(req, "calendar_feeds/%s/calendar.ics", token);
}

void desk_api_calendar_feed_rotate(struct desk_req *req, struct desk_resp *resp)
{
    const char *token;
    int rc = desk_app_calendar_feed_token(req->app, &req->who, req->arena, true, &token);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:s}", "calendar_feed_url", feed_url(req, token)));
}

void api_calendar_user_ext(struct desk_req *req, const struct desk_user *u, json_t *o)
{
    const char *token;
    /* Only the owner, only on GET /users/me: never when someone else views the user. */
    if (req->method != DESK_GET || !req->resource || strcmp(req->resource, "users/me") != 0 ||
        u->id != req->who.user_id || !desk_role_is_staff(req->who.role)) {
        return;
    }
    if (desk_app_calendar_feed_token(req->app, &req->who, req->arena, false, &token) == 0) {
        json_object_set_new(o, "calendar_feed_url", json_string(feed_url(req, token)));
    } else {
        json_object_set_new(o, "calendar_feed_url", json_null());
    }
}
