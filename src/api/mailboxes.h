/*
 * /api/v2/mailboxes: desk's own endpoints for the IMAP mailboxes it polls
 * (admins): list, show, create, update, delete. The password is accepted,
 * never shown; each mailbox carries the state of its last poll.
 */
#ifndef DESK_API_MAILBOXES_H
#define DESK_API_MAILBOXES_H

#include "api/api.h"

void desk_api_mailboxes_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_mailboxes_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_mailboxes_create(struct desk_req *req, struct desk_resp *resp);
void desk_api_mailboxes_update(struct desk_req *req, struct desk_resp *resp);
void desk_api_mailboxes_delete(struct desk_req *req, struct desk_resp *resp);

#endif
