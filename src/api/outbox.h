/*
 * /api/v2/outbox: desk's own endpoints for the mail it sends, for staff:
 * list (filter by state or ticket), show one (with its RFC 5322 source),
 * and retry a failed message.
 */
#ifndef DESK_API_OUTBOX_H
#define DESK_API_OUTBOX_H

#include "api/api.h"

void desk_api_outbox_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_outbox_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_outbox_retry(struct desk_req *req, struct desk_resp *resp);

#endif
