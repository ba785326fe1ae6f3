/*
 * The fields each capability adds to the ticket and user JSON (see
 * api_ticket_exts in api_int.h): one line per extension under its
 * capability's marker, each declared in that capability's api header.
 */
#include "api/api_int.h"
#include "api/mail_in.h"
#include "api/sla.h"
#include "api/calendar.h"
#include "api/commitments.h"
#include "api/team.h"
#include "api/escalations.h"
#include "api/concessions_int.h"
#include "api/uploads.h"

#include <stddef.h>

const api_ticket_ext_fn api_ticket_exts[] = {
    /* email in */
    /* team */
    desk_api_team_ticket_ext,
    /* supervisor */
    desk_api_supervisor_ticket_ext,
    /* concessions */
    api_concessions_ticket_ext,
    /* SLA */
    desk_api_sla_ticket_ext,
    /* commitments */
    api_commitments_ticket_ext,
    NULL,
};

const api_user_ext_fn api_user_exts[] = {
    /* email in */
    desk_api_mail_user_ext,
    /* team */
    desk_api_team_user_ext,
    /* supervisor */
    desk_api_supervisor_user_ext,
    /* commitments */
    api_calendar_user_ext,
    /* console */
    NULL,
};

const api_comment_ext_fn api_comment_exts[] = {
    /* email in */
    desk_api_mail_comment_ext,
    /* console */
    desk_api_upload_comment_ext,
    NULL,
};
