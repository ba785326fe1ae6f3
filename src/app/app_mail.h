/*
 * Use cases of email in that are not the ticket write itself: what a
 * received message leaves beside its comment (raw bytes, Message-ID,
 * attachments, bounce marks) through the "email in" ticket hook, suspended
 * tickets, and reading raw messages and attachments with the actor's rights.
 */
#ifndef DESK_APP_APP_MAIL_H
#define DESK_APP_APP_MAIL_H

#include "app/hooks.h"
#include "store/store_mail.h"

#define DESK_APP_MAIL_MAGIC 0x6d61696cu /* "mail" */

/*
 * What a ticket write made from a received message carries to the hook
 * (desk_ticket_input.channel_ctx, with via email): the hook stores it in
 * the write's own transaction, so a message and its ticket change commit
 * together or not at all. Everything borrowed.
 */
struct desk_app_mail_in {
    unsigned magic; /* DESK_APP_MAIL_MAGIC */
    const char *message_id;
    const char *from_address;
    const char *subject;
    unsigned flags; /* enum desk_mail_flag */
    const char *charset;
    const char *html;
    const char *source;
    const void *raw;
    size_t raw_len;
    const struct desk_attachment *attachments; /* ids, ticket and comment set by the hook */
    size_t n_attachments;
    /* Bounces: addresses to mark undeliverable, with the DSN's status and diagnostic. */
    const char *const *undeliverable;
    const char *const *undeliverable_status;
    const char *const *undeliverable_diag;
    size_t n_undeliverable;
    /* An ordinary message from from_address (not automatic, bulk or a bounce): the
     * address evidently works, so an undeliverable mark on it is cleared. */
    bool sender_reachable;
};

/*
 * written: for a write whose input carries a desk_app_mail_in, records the
 * Message-ID (DESK_ECONFLICT when it was stored before: the write rolls
 * back), the raw message, the attachments and the undeliverable marks.
 */
int desk_mail_in_written(struct desk_conn *c, struct desk_ticket_change *ch);

/* The entry for desk_ticket_hooks[] (hooks.c). */
#define DESK_MAIL_IN_HOOK                                                                          \
    {                                                                                              \
        "email in", NULL, desk_mail_in_written, NULL                                               \
    }

/* Stores a suspended ticket with its raw bytes (borrowed); sets s->id. */
int desk_app_mail_suspend(struct desk_app *app, struct desk_suspended *s, const void *raw,
                          size_t raw_len);

/* Staff: lists suspended tickets; one; its raw bytes; deletes one. */
int desk_app_suspended_list(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, const struct desk_page *p,
                            struct desk_suspended **items, struct desk_page_out *out);
int desk_app_suspended_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                           int64_t id, struct desk_suspended *out);
int desk_app_suspended_raw(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                           int64_t id, const void **raw, size_t *len);
int desk_app_suspended_delete(struct desk_app *app, const struct desk_actor *who, int64_t id);

/*
 * The mail a comment was made from, if the actor may see the comment
 * (end users: public comments of tickets they see). DESK_ENOTFOUND else.
 */
int desk_app_mail_for_comment(struct desk_app *app, const struct desk_actor *who,
                              struct desk_arena *a, int64_t ticket_id, int64_t comment_id,
                              struct desk_mail_record *out);

/*
 * Staff: the undeliverable mark on user u's email address (strings in a).
 * DESK_ENOTFOUND when the address has none or u has no address,
 * DESK_EFORBIDDEN for anyone else.
 */
int desk_app_mail_undeliverable_get(struct desk_app *app, const struct desk_actor *who,
                                    struct desk_arena *a, const struct desk_user *u,
                                    struct desk_mail_undeliverable *out);

/*
 * Staff: clears the undeliverable mark on user user_id's email address (the
 * mailbox was fixed), so mail goes to it again. DESK_ENOTFOUND when the user
 * is unknown or the address has no mark, DESK_EFORBIDDEN for anyone else.
 */
int desk_app_mail_undeliverable_clear(struct desk_app *app, const struct desk_actor *who,
                                      int64_t user_id);

/* The raw bytes of a comment's mail, same rights as desk_app_mail_for_comment. */
int desk_app_mail_raw(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                      int64_t ticket_id, int64_t comment_id, const void **raw, size_t *len);

/* An attachment the actor may see (its comment is visible to them). */
int desk_app_attachment_get(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t id, struct desk_attachment *out);

/* The bytes of attachment at (from desk_app_attachment_get). DESK_ENOTFOUND when not stored. */
int desk_app_attachment_content(struct desk_app *app, struct desk_arena *a,
                                const struct desk_attachment *at, const void **data, size_t *len);

/* Attachments of a comment (no rights check: the caller rendered the comment already). */
int desk_app_comment_attachments(struct desk_app *app, struct desk_arena *a, int64_t comment_id,
                                 struct desk_attachment **items, size_t *n);

#endif
