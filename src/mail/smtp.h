/*
 * An SMTP client for one relay, through libcurl: STARTTLS when the relay
 * offers it (or always, or never), implicit TLS with smtps://, AUTH from
 * the URL or the options. One connection is kept and reused between
 * messages. Outcomes are classified so the outbox knows whether to retry.
 */
#ifndef DESK_MAIL_SMTP_H
#define DESK_MAIL_SMTP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

enum desk_smtp_tls {
    DESK_SMTP_TLS_TRY,     /* STARTTLS when offered (smtp://) */
    DESK_SMTP_TLS_REQUIRE, /* STARTTLS or fail (smtp://); smtps:// is always TLS */
    DESK_SMTP_TLS_NONE     /* plain text, for a relay on loopback */
};

struct desk_smtp_config {
    const char *url;      /* smtp://[user:password@]host[:port] or smtps://... */
    const char *user;     /* or NULL (then the URL's, if any) */
    const char *password; /* or NULL */
    int tls;              /* enum desk_smtp_tls */
    const char *ca_file;  /* CA bundle to verify the relay with, or NULL for the system's */
    long timeout_ms;      /* whole transaction; connecting gets a third of it */
};

/* What became of an attempt. */
enum desk_smtp_result {
    DESK_SMTP_SENT,
    DESK_SMTP_TEMPORARY, /* relay down or said 4xx: retry later */
    DESK_SMTP_PERMANENT, /* the relay refused this message or recipient (5xx) */
    DESK_SMTP_RELAY      /* cannot reach or log in to the relay at all: pause every message */
};

struct desk_smtp;

/* Parses "try", "require" or "none". Returns 0 or DESK_EINVAL. */
int desk_smtp_tls_parse(const char *s, int *out);

/*
 * Prepares a client for cfg (strings copied). Returns 0 and *out (owned;
 * desk_smtp_free), or DESK_EINVAL when the URL is not smtp:// or smtps://.
 */
int desk_smtp_new(const struct desk_smtp_config *cfg, struct desk_smtp **out);

/* Closes the connection and frees everything. NULL is a no-op. */
void desk_smtp_free(struct desk_smtp *s);

/*
 * Sends raw[0..len) (an RFC 5322 message with CRLF line ends) from
 * envelope sender from to one recipient. Writes a one-line reason without
 * secrets into err on failure. Borrows everything. stop, when non-NULL, is
 * polled during the transfer: once it reads true the attempt is abandoned
 * (DESK_SMTP_TEMPORARY).
 */
int desk_smtp_send(struct desk_smtp *s, const char *from, const char *to, const char *raw,
                   size_t len, const _Atomic bool *stop, char *err, size_t err_len);

/* The relay URL without its password, for logs ("smtp://user@host:25"). Borrowed from s. */
const char *desk_smtp_url_safe(const struct desk_smtp *s);

#endif
