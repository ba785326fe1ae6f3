/*
 * Uploads: files sent before the comment that carries them (Zendesk's
 * POST /uploads → token, then comment.uploads: [token]). The bytes go to
 * the same content-addressed file store as mail attachments, and the
 * attachment rows are the same, so every comment's attachments are read
 * and downloaded one way, with one rights check (app_mail.h).
 */
#ifndef DESK_APP_UPLOADS_H
#define DESK_APP_UPLOADS_H

#include "app/hooks.h"
#include "store/store_mail.h"

#define DESK_UPLOAD_MAX_BYTES (10L * 1024 * 1024) /* one file */
#define DESK_UPLOAD_TTL_MS    (3LL * 24 * 3600 * 1000)
#define DESK_UPLOAD_MAX_FILES 20 /* per token */

/*
 * Stores one file of len bytes (borrowed) named file_name for the actor.
 * With token NULL a new token is made; with a token the file joins it (the
 * token must be the actor's and unexpired, else DESK_ENOTFOUND). Sets
 * *token_out (arena) and *out (the new attachment). Errors: DESK_EINVALID
 * naming "filename" (blank, too long, not UTF-8, a path) or "file" (empty,
 * too many files on the token); DESK_ETOOBIG naming "file" past
 * DESK_UPLOAD_MAX_BYTES; DESK_EIO when the file cannot be written.
 */
int desk_app_upload_add(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        const char *token, const char *file_name, const void *data, size_t len,
                        const char **token_out, struct desk_attachment *out,
                        struct desk_fail *fail);

/* The attachments waiting under the actor's token (arena). DESK_ENOTFOUND for another's. */
int desk_app_upload_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         const char *token, struct desk_attachment **items, size_t *n);

/* Deletes the actor's upload token and its files' rows. DESK_ENOTFOUND for another's. */
int desk_app_upload_delete(struct desk_app *app, const struct desk_actor *who, const char *token);

/*
 * The written-phase ticket hook: gives the attachments of each token in
 * in->comment_uploads to the comment the write stored. A token that is
 * unknown, expired or someone else's, or uploads without a comment, fail
 * the write with DESK_EINVALID naming "comment.uploads".
 */
int desk_uploads_written(struct desk_conn *c, struct desk_ticket_change *ch);

#endif
