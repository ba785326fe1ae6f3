/*
 * Email in's API: suspended tickets (Zendesk's /suspended_tickets: list,
 * show, recover, delete), the raw message of a mail comment, attachments,
 * and the fields mail adds to a comment (attachments, the message's
 * metadata).
 */
#ifndef DESK_API_MAIL_IN_H
#define DESK_API_MAIL_IN_H

#include "api/api.h"
#include "store/store_mail.h"

#include <jansson.h>

void desk_api_suspended_list(struct desk_req *req, struct desk_resp *resp);
void desk_api_suspended_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_suspended_raw(struct desk_req *req, struct desk_resp *resp);
void desk_api_suspended_recover(struct desk_req *req, struct desk_resp *resp);
void desk_api_suspended_recover_many(struct desk_req *req, struct desk_resp *resp);
void desk_api_suspended_delete(struct desk_req *req, struct desk_resp *resp);
void desk_api_suspended_destroy_many(struct desk_req *req, struct desk_resp *resp);
void desk_api_comment_raw(struct desk_req *req, struct desk_resp *resp);
void desk_api_attachment_show(struct desk_req *req, struct desk_resp *resp);
void desk_api_attachment_content(struct desk_req *req, struct desk_resp *resp);

/* A Zendesk attachment object. */
json_t *api_attachment_json(struct desk_req *req, const struct desk_attachment *at);

/* DELETE /users/{id}/email_undeliverable: staff clear a bounce mark (the mailbox works). */
void desk_api_mail_undeliverable_clear(struct desk_req *req, struct desk_resp *resp);

/* User extension (staff viewers): "email_undeliverable", the address's bounce mark or null. */
void desk_api_mail_user_ext(struct desk_req *req, const struct desk_user *u, json_t *o);

/* Comment extension: the mail's attachments and metadata.system fields. */
void desk_api_mail_comment_ext(struct desk_req *req, const struct desk_comment *c, json_t *o);

#endif
