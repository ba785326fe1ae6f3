/*
 * The uploads' pieces other API files use: the comment.uploads reader for
 * the ticket and request input, and the comment field listing attachments.
 */
#ifndef DESK_API_UPLOADS_H
#define DESK_API_UPLOADS_H

#include "api/api_int.h"

/* Comment extension: "attachments" of comments not made from mail (an empty array when none). */
void desk_api_upload_comment_ext(struct desk_req *req, const struct desk_comment *c, json_t *o);

/*
 * Reads comment.uploads (an array of at most 20 upload tokens) into
 * in->comment_uploads (arena copies). DESK_EINVALID naming
 * "comment.uploads" otherwise.
 */
int api_uploads_comment_input(struct desk_req *req, json_t *comment, struct desk_ticket_input *in,
                              struct desk_fail *f);

#endif
