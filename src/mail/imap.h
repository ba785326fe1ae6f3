/*
 * An IMAP client for one mailbox folder, through libcurl: find the unseen
 * messages, fetch each without marking it (the folder is opened read-only
 * with EXAMINE, so FETCH BODY[] leaves \Seen alone), and mark the ones
 * desk has stored as \Seen afterwards. One connection is kept between
 * calls. Every call has its own timeouts and can be abandoned through a
 * stop flag, so a slow server holds up only its own mailbox.
 */
#ifndef DESK_MAIL_IMAP_H
#define DESK_MAIL_IMAP_H

#include "core/buf.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum desk_imap_tls {
    DESK_IMAP_TLS_IMAPS,    /* implicit TLS (imaps://, usually port 993) */
    DESK_IMAP_TLS_STARTTLS, /* imap:// upgraded with STARTTLS, required */
    DESK_IMAP_TLS_NONE      /* plain imap://, for a server on loopback */
};

/* Wire names "imaps", "starttls", "none" and their inverse (0 or DESK_EINVAL). */
const char *desk_imap_tls_name(int tls);
int desk_imap_tls_parse(const char *s, int *out);

struct desk_imap_config {
    const char *host;
    int port;
    int tls; /* enum desk_imap_tls */
    const char *user;
    const char *password;
    const char *folder;       /* "INBOX" when NULL */
    const char *ca_file;      /* CA bundle for a private certificate, or NULL */
    long timeout_ms;          /* per command; a stalled transfer fails after this long */
    size_t max_message;       /* bytes fetched at most per message */
    const _Atomic bool *stop; /* polled during transfers; true abandons them */
};

struct desk_imap;

/*
 * Prepares a client (strings copied). Returns 0 and *out (owned;
 * desk_imap_free), or DESK_EINVAL when the host or folder cannot be put
 * in a URL.
 */
int desk_imap_new(const struct desk_imap_config *cfg, struct desk_imap **out);

/* Logs out, closes the connection and frees everything (the password wiped). NULL is a no-op. */
void desk_imap_free(struct desk_imap *im);

/*
 * The UIDs of unseen, undeleted messages, lowest first, at most max in
 * uids[]; *n is how many. Returns 0, or DESK_EIO with a reason in err
 * (no secrets) when the server cannot be reached, refuses the login or
 * the folder.
 */
int desk_imap_unseen(struct desk_imap *im, uint64_t *uids, size_t max, size_t *n, char *err,
                     size_t err_len);

/*
 * Fetches message uid whole into out (reset first; capped at
 * max_message, *truncated set when the message was longer) without
 * setting \Seen. Returns 0, or DESK_EIO with a reason in err.
 */
int desk_imap_fetch(struct desk_imap *im, uint64_t uid, struct desk_buf *out, bool *truncated,
                    char *err, size_t err_len);

/* Sets \Seen on the n messages uids. Returns 0, or DESK_EIO with a reason in err. */
int desk_imap_mark_seen(struct desk_imap *im, const uint64_t *uids, size_t n, char *err,
                        size_t err_len);

/*
 * Parses the untagged "* SEARCH n n n" lines of text[0..len) (a server's
 * answer, untrusted) into uids, at most max, sorted and without
 * duplicates; *n is how many. Other lines are ignored. Returns 0, or
 * DESK_EINVAL when a SEARCH line holds anything but numbers.
 */
int desk_imap_parse_search(const char *text, size_t len, uint64_t *uids, size_t max, size_t *n);

#endif
