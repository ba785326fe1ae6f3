/*
 * Email in: turning one RFC 5322 message (raw bytes, as an MTA or an IMAP
 * server hands it over) into a ticket, a comment on a ticket, an internal
 * note about a bounce, or a suspended ticket — never nothing. Parsing is
 * GMime's (MIME trees, transfer encodings, RFC 2047 and 2231), HTML goes
 * through libxml2's parser; this module chooses charsets, separates the new
 * text from the quoted history, recognizes automatic mail and threads
 * replies. Every ticket write goes through app/'s use cases.
 */
#ifndef DESK_MAIL_MAIL_H
#define DESK_MAIL_MAIL_H

#include "app/app.h"
#include "core/arena.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- limits ------------------------------------------------------------ */

struct desk_mail_limits {
    size_t max_message;    /* bytes; larger messages are suspended (default 25 MiB) */
    size_t max_attachment; /* bytes; larger attachments stay only in the raw message (10 MiB) */
    int rate_per_hour;     /* messages one sender may open or add per hour (default 30) */
};

/* The defaults above. */
void desk_mail_limits_default(struct desk_mail_limits *out);

/* ---- parsing (no I/O) ---------------------------------------------------- */

struct desk_mail_addr {
    const char *name;  /* display name, UTF-8, or NULL */
    const char *email; /* lower case */
};

struct desk_mail_attachment {
    const char *file_name; /* UTF-8 (RFC 2231 and 2047 decoded); never NULL */
    const char *content_type;
    const char *content_id; /* without <>, or NULL */
    bool is_inline;
    const unsigned char *data; /* decoded bytes */
    size_t size;
};

/* What a message says about itself besides its content. */
enum desk_mail_flag {
    DESK_MAIL_AUTO = 1,    /* Auto-Submitted, X-Autoreply and the like: an automatic reply */
    DESK_MAIL_BULK = 2,    /* Precedence bulk/junk/list, List-Id: mass mail */
    DESK_MAIL_LOOP = 4,    /* X-Loop names desk: mail desk itself caused */
    DESK_MAIL_DSN = 8,     /* a delivery status notification (multipart/report) */
    DESK_MAIL_NOFROM = 16, /* no usable sender address */
};

/* One failed recipient of a delivery status notification (RFC 3464). */
struct desk_mail_dsn {
    const char *recipient; /* Final-Recipient address, lower case */
    const char *action;    /* "failed", "delayed", ... */
    const char *status;    /* "5.1.1" */
    const char *diagnostic;
};

struct desk_mail_msg {
    const char *subject; /* UTF-8, "" when absent */
    struct desk_mail_addr from;
    struct desk_mail_addr *to, *cc, *reply_to;
    size_t n_to, n_cc, n_reply_to;
    const char *message_id;  /* without <>, or NULL */
    const char *in_reply_to; /* without <>, or NULL */
    const char **references; /* without <>, oldest first */
    size_t n_references;
    int64_t date_ms;       /* Date header, 0 when absent or unreadable */
    const char *text;      /* the whole text body, UTF-8 ("" when none) */
    const char *new_text;  /* the text without quoted history and signature */
    const char *quoted;    /* the quoted history, or NULL */
    const char *signature; /* the signature, or NULL */
    const char *html;      /* sanitized HTML body, or NULL when the mail had none */
    const char *charset;   /* the charset the body was read in */
    bool charset_guessed;  /* ... chosen by desk because the declared one was wrong or absent */
    struct desk_mail_attachment *attachments;
    size_t n_attachments;
    unsigned flags; /* enum desk_mail_flag */
    struct desk_mail_dsn *dsn;
    size_t n_dsn;
    const char *dsn_message_id; /* Message-ID of the message that bounced, or NULL */
    const char *x_loop;         /* the X-Loop header, or NULL */
};

/*
 * Parses raw[0..len) into *out; every string and attachment is allocated
 * in a (raw is only borrowed). Returns 0, or DESK_EINVAL with *reason (a
 * static sentence) when the bytes are not a message desk can read: empty,
 * no header at all, nested deeper than the MIME limit, or binary garbage.
 * A message with problems GMime can work around (broken encoded words,
 * wrong charsets, missing boundaries) parses.
 */
int desk_mail_parse(struct desk_arena *a, const char *raw, size_t len, struct desk_mail_msg *out,
                    const char **reason);

/* ---- ingesting ------------------------------------------------------------ */

/* Where a message came from, for the record (and the log). */
struct desk_mail_source {
    const char *name;        /* "mailgate", "imap://support@host/INBOX", ... */
    const char *our_address; /* the desk address mail is sent to, for loop checks, or NULL */
};

enum desk_mail_outcome {
    DESK_MAIL_CREATED,   /* a new ticket */
    DESK_MAIL_UPDATED,   /* a comment on an existing ticket */
    DESK_MAIL_BOUNCE,    /* a bounce: internal note added, address marked undeliverable */
    DESK_MAIL_SUSPENDED, /* stored raw in suspended tickets with a reason */
    DESK_MAIL_DUPLICATE, /* this Message-ID was stored before: nothing new */
};

struct desk_mail_result {
    int outcome; /* enum desk_mail_outcome */
    int64_t ticket_id;
    int64_t comment_id;
    int64_t suspended_id;
    char reason[256]; /* why it was suspended ("" otherwise) */
};

/*
 * Stores one message durably and returns what became of it: the same
 * ticket use cases as the API (desk_app_ticket_create/update), raw bytes
 * kept whole, attachments content-addressed next to the database. Returns
 * 0 once the message is stored (as a ticket, comment, note or suspended
 * ticket) or was already stored, and fills *out. Returns DESK_EBUSY or
 * DESK_EIO when it could not be stored now (busy or failing store, disk
 * full): the caller must keep the message and retry — nothing was kept.
 * Borrows raw and src; lim NULL means the defaults. Safe from any thread.
 */
int desk_mail_ingest(struct desk_app *app, const char *raw, size_t len,
                     const struct desk_mail_source *src, const struct desk_mail_limits *lim,
                     struct desk_mail_result *out);

/*
 * Recovers suspended ticket id into a ticket (staff only): the message goes
 * through the ingest again without the checks that suspend mail on purpose
 * (sender rate, loops, a bounce about no known message), and the suspended
 * ticket is deleted. Returns 0 with *out (created, updated or duplicate);
 * DESK_EINVALID with fail naming why the message still cannot become a
 * ticket (unreadable, no sender, only its start was kept; the description
 * lives in out->reason); DESK_ENOTFOUND; DESK_EFORBIDDEN; or a store error.
 */
int desk_mail_recover(struct desk_app *app, const struct desk_actor *who, int64_t id,
                      const struct desk_mail_limits *lim, struct desk_mail_result *out,
                      struct desk_fail *fail);

/* The outcome's name for logs ("created", "suspended", ...). Static. */
const char *desk_mail_outcome_name(int outcome);

#endif
