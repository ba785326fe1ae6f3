/*
 * Persistence for email in: Message-IDs for threading, received messages
 * kept whole, attachments (rows here, bytes in content-addressed files
 * next to the database), suspended tickets and undeliverable addresses.
 * Backend-neutral declarations; the SQLite side is store_mail.c.
 */
#ifndef DESK_STORE_STORE_MAIL_H
#define DESK_STORE_STORE_MAIL_H

#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Message-IDs --------------------------------------------------------- */

/*
 * Writer only. Records that message_id (without <>) belongs to ticket_id
 * (and comment_id, 0 for none), direction "in" or "out". DESK_ECONFLICT
 * when the Message-ID is already recorded.
 */
int desk_store_mail_id_insert(struct desk_conn *c, const char *message_id, int64_t ticket_id,
                              int64_t comment_id, const char *direction, int64_t now);

/*
 * The ticket a Message-ID belongs to and its direction ("in"/"out",
 * static). DESK_ENOTFOUND when desk never saw it.
 */
int desk_store_mail_id_find(struct desk_conn *c, const char *message_id, int64_t *ticket_id,
                            const char **direction);

/* ---- received messages ----------------------------------------------------- */

struct desk_mail_record {
    int64_t id;
    int64_t ticket_id;
    int64_t comment_id;
    const char *message_id;
    const char *from_address;
    const char *subject;
    unsigned flags; /* enum desk_mail_flag (mail/mail.h) */
    const char *charset;
    const char *html; /* sanitized HTML or NULL */
    const char *source;
    int64_t size;
    int64_t created_at;
};

/* Writer only. Inserts r with its raw bytes (borrowed); sets r->id. */
int desk_store_mail_message_insert(struct desk_conn *c, struct desk_mail_record *r, const void *raw,
                                   size_t raw_len);

/* The message a comment was made from (strings in a). DESK_ENOTFOUND for other comments. */
int desk_store_mail_message_by_comment(struct desk_conn *c, struct desk_arena *a,
                                       int64_t comment_id, struct desk_mail_record *out);

/*
 * True in *out when comment_id was made from automatic or bulk mail (an
 * out-of-office reply, a newsletter, a bounce, a message that looped, even
 * when recovered from the suspended tickets): nothing automatic may answer
 * it (RFC 3834).
 */
int desk_store_mail_comment_is_auto(struct desk_conn *c, int64_t comment_id, bool *out);

/* True in *out when comment_id is a public comment (false for notes and unknown ids). */
int desk_store_mail_comment_public(struct desk_conn *c, int64_t comment_id, bool *out);

/* Raw bytes of received message id (copied into a). DESK_ENOTFOUND when none. */
int desk_store_mail_message_raw(struct desk_conn *c, struct desk_arena *a, int64_t id,
                                const void **raw, size_t *len);

/* Messages and suspended tickets from address (lower case) received since since_ms. */
int desk_store_mail_sender_count(struct desk_conn *c, const char *address, int64_t since_ms,
                                 int64_t *out);

/* ---- attachments ------------------------------------------------------------ */

struct desk_attachment {
    int64_t id;
    int64_t ticket_id;
    int64_t comment_id;
    const char *file_name;
    const char *content_type;
    int64_t size;
    const char *sha256; /* hex; NULL when the bytes were over the limit */
    const void *data;   /* on insert: the bytes (size of them) to store in the database with
                           the row, or NULL when a file holds them already; borrowed */
    bool is_inline;
    const char *content_id;
    int64_t created_at;
};

/* Writer only. Inserts at (sets at->id). */
int desk_store_attachment_insert(struct desk_conn *c, struct desk_attachment *at);

/* Attachments of comment_id in order (arena). */
int desk_store_attachment_list(struct desk_conn *c, struct desk_arena *a, int64_t comment_id,
                               struct desk_attachment **items, size_t *n);

/* One attachment. DESK_ENOTFOUND when none. */
int desk_store_attachment_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                              struct desk_attachment *out);

/* Blobs up to this size are stored in the database (desk_attachment.data), larger
 * ones as files (desk_store_blob_put): a file costs a create, two fsyncs and a rename,
 * a small row a few pages of the write it belongs to. */
#define DESK_BLOB_INLINE_MAX ((size_t)256 * 1024)

/* Writes the lowercase hex SHA-256 of data[0..len) into hex. */
void desk_store_blob_digest(const void *data, size_t len, char hex[65]);

/*
 * Stores data[0..len) once under its SHA-256 in the files directory next
 * to the database ("<db>.files/ab/abcd..."), durably (written to a
 * temporary file, fsynced, renamed, directory fsynced) before returning;
 * an existing file is reused. Writes the hex digest into hex. Returns 0,
 * or DESK_EIO (logged) when the file cannot be written (disk full).
 * Any thread; no transaction needed.
 */
int desk_store_blob_put(struct desk_store *s, const void *data, size_t len, char hex[65]);

/* Reads the blob with this digest (from the database or its file) into a.
 * DESK_ENOTFOUND when missing. */
int desk_store_blob_read(struct desk_store *s, struct desk_arena *a, const char *hex,
                         const void **data, size_t *len);

/* ---- suspended tickets ---------------------------------------------------------- */

struct desk_suspended {
    int64_t id;
    const char *subject;
    const char *from_address;
    const char *from_name;
    const char *message_id;
    const char *recipient;
    const char *cause;
    int cause_id;
    const char *content;
    int64_t ticket_id;
    const char *source;
    int64_t size;
    bool truncated;
    int64_t created_at;
    int64_t updated_at;
};

/* Writer only. Inserts s with its raw bytes (borrowed); sets s->id. */
int desk_store_suspended_insert(struct desk_conn *c, struct desk_suspended *s, const void *raw,
                                size_t raw_len);

int desk_store_suspended_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                             struct desk_suspended *out);

/* Raw bytes of suspended ticket id (into a). */
int desk_store_suspended_raw(struct desk_conn *c, struct desk_arena *a, int64_t id,
                             const void **raw, size_t *len);

/* Lists suspended tickets, newest first unless p->desc is false... in id order of p. */
int desk_store_suspended_list(struct desk_conn *c, struct desk_arena *a, const struct desk_page *p,
                              struct desk_suspended **items, struct desk_page_out *out);

/* Writer only. Removes suspended ticket id. DESK_ENOTFOUND when none. */
int desk_store_suspended_delete(struct desk_conn *c, int64_t id);

/* ---- undeliverable addresses ------------------------------------------------------ */

/* Writer only. Marks address (lower case) undeliverable (replacing an earlier mark). */
int desk_store_mail_undeliverable_set(struct desk_conn *c, const char *address, int64_t user_id,
                                      const char *status, const char *diagnostic, int64_t ticket_id,
                                      int64_t now);

/* True in *out when mail to address bounced for good. */
int desk_store_mail_undeliverable(struct desk_conn *c, const char *address, bool *out);

/* An address's undeliverable mark: the bounce's DSN status and diagnostic, and when. */
struct desk_mail_undeliverable {
    const char *address; /* lower case */
    int64_t user_id;     /* the user it belonged to when it bounced; 0: none */
    const char *status;  /* "5.1.1", or NULL */
    const char *diagnostic;
    int64_t ticket_id; /* the ticket whose mail bounced */
    int64_t created_at;
};

/* The mark on address (strings in a). DESK_ENOTFOUND when it has none. */
int desk_store_mail_undeliverable_get(struct desk_conn *c, struct desk_arena *a,
                                      const char *address, struct desk_mail_undeliverable *out);

/* Writer only. Removes address's mark; 0 also when it had none, *cleared says which. */
int desk_store_mail_undeliverable_clear(struct desk_conn *c, const char *address, bool *cleared);

#endif
