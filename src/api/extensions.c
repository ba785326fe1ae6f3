/*
 * The fields each capability adds to the ticket and user JSON (see
 * api_ticket_exts in api_int.h): one line per extension under its
 * capability's marker, each declared in that capability's api header.
 */
#include "api/api_int.h"
#include "api/concessions_int.h"

#include <stddef.h>

const api_ticket_ext_fn api_ticket_exts[] = {
    /* email in */
    /* team */
    /* supervisor */
    /* concessions */
    api_concessions_ticket_ext,
    /* SLA */
    /* commitments */
    NULL,
};

const api_user_ext_fn api_user_exts[] = {
    /* team */
    /* commitments */
    /* console */
    NULL,
};
