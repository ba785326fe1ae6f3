/*
 * Inside mail/: the pieces of parsing the public functions share —
 * choosing a charset, HTML to text and sanitized HTML, and separating a
 * reply's new text from its quoted history. Only mail/ includes GMime and
 * libxml2 headers.
 */
#ifndef DESK_MAIL_MAIL_INT_H
#define DESK_MAIL_MAIL_INT_H

#include "mail/mail.h"

#include <gmime/gmime.h>

/* Text parts larger than this are cut (the raw message keeps everything). */
#define MAIL_TEXT_MAX (2u << 20)
/* Parts nested deeper than this make a message unreadable (suspended). */
#define MAIL_DEPTH_MAX 32
/* At most this many attachments are listed on a comment. */
#define MAIL_ATTACHMENTS_MAX 100

/*
 * Gives msg a multipart/alternative body of UTF-8 text and html and returns
 * the whole message as CRLF text, copied into a (*len its length). Borrows
 * msg: the caller still drops its reference.
 */
const char *mail_alternative_raw(struct desk_arena *a, GMimeMessage *msg, const char *text,
                                 const char *html, size_t *len);

/* Adds name <addr> (name NULL or empty: the address alone) to msg's list of type. */
void mail_add_mailbox(GMimeMessage *msg, GMimeAddressType type, const char *name, const char *addr);

/* Initializes GMime and libxml2 once per process. Thread-safe. */
void mail_lib_init(void);

/*
 * Converts s[0..len) to UTF-8 (allocated in a). The declared charset is
 * tried first; when it is absent, unknown, or the bytes do not read as
 * it (invalid sequences, control characters, letters no language uses
 * together), the fallbacks are tried — UTF-8, Windows-1250, Windows-1252,
 * ISO-8859-2, ISO-8859-1, ISO-2022-JP, GB18030, KOI8-R — and the one whose
 * text is most plausibly language wins. Sets *used (static or arena) and
 * *guessed (the declared charset was not used). Never fails: the last
 * resort reads bytes as ISO-8859-1.
 */
const char *mail_to_utf8(struct desk_arena *a, const char *s, size_t len, const char *declared,
                         const char **used, bool *guessed);

/*
 * Reads UTF-8 HTML[0..len) with libxml2's HTML parser and writes its text
 * (block elements become lines, quoted blocks get "> ", links keep their
 * address) to *text and an allowlisted copy (no scripts, styles, event
 * handlers, remote images or non-http links) to *clean; both in a.
 */
void mail_html(struct desk_arena *a, const char *html, size_t len, const char **text,
               const char **clean);

/*
 * Splits a message's text into what the writer wrote now, the quoted
 * history ("On ... wrote:", "-----Original Message-----", "> " lines, in
 * the languages desk serves) and the signature ("-- "). Pointers into a;
 * *quoted and *signature are NULL when absent; *fresh is never NULL.
 */
void mail_split_reply(struct desk_arena *a, const char *text, const char **fresh,
                      const char **quoted, const char **signature);

#endif
