/*
 * Notice rendering with GMime (see notice.h). Text is UTF-8 throughout:
 * header words are RFC 2047 encoded as UTF-8, bodies are quoted-printable
 * UTF-8, so Czech or Polish diacritics survive every hop. Output uses CRLF
 * line ends, as SMTP carries them (RFC 5321 §2.3.8).
 */
#include "mail/notice.h"
#include "core/buf.h"
#include "mail/mail_int.h"
#include "mail/templates.h"
#include "model/ticket.h"

#include <gmime/gmime.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;

static void gmime_init_once(void)
{
    g_mime_init();
}

void desk_mail_gmime_init(void)
{
    pthread_once(&gmime_once, gmime_init_once);
}

/* An addr-spec desk will put in a header or an SMTP envelope: no spaces, controls or brackets. */
static bool addr_ok(const char *s)
{
    const char *at = s ? strchr(s, '@') : NULL;
    if (!at || at == s || !at[1] || strchr(at + 1, '@') || strlen(s) > 254) {
        return false;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p <= ' ' || *p == 0x7f || strchr("<>()[],;:\\\"", *p)) {
            return false;
        }
    }
    return true;
}

const char *desk_notice_message_id(struct desk_arena *a, const char *address, int64_t ticket_id,
                                   int64_t outbox_id)
{
    unsigned char rnd[8] = {0};
    char hex[17];
    const char *at = address ? strchr(address, '@') : NULL;
    if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
        /* Uniqueness still holds through the outbox id; the random part only hides counts. */
        memset(rnd, 0, sizeof(rnd));
    }
    for (size_t i = 0; i < sizeof(rnd); i++) {
        snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
    }
    return desk_arena_printf(a, "desk.T%lld.%lld.%s@%s", (long long)ticket_id, (long long)outbox_id,
                             hex, at && at[1] ? at + 1 : "localhost");
}

/* A text/SUBTYPE part holding UTF-8 text, quoted-printable; the caller owns the reference. */
static GMimeObject *text_part(const char *subtype, const char *text)
{
    GMimeTextPart *part = g_mime_text_part_new_with_subtype(subtype);
    g_mime_text_part_set_charset(part, "utf-8");
    GMimeStream *mem = g_mime_stream_mem_new_with_buffer(text, strlen(text));
    GMimeDataWrapper *content =
        g_mime_data_wrapper_new_with_stream(mem, GMIME_CONTENT_ENCODING_DEFAULT);
    g_mime_part_set_content(GMIME_PART(part), content);
    g_object_unref(content);
    g_object_unref(mem);
    g_mime_part_set_content_encoding(GMIME_PART(part), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
    return GMIME_OBJECT(part);
}

const char *mail_alternative_raw(struct desk_arena *a, GMimeMessage *msg, const char *text,
                                 const char *html, size_t *len)
{
    GMimeMultipart *alt = g_mime_multipart_new_with_subtype("alternative");
    GMimeObject *plain = text_part("plain", text);
    GMimeObject *rich = text_part("html", html);
    g_mime_multipart_add(alt, plain);
    g_mime_multipart_add(alt, rich);
    g_object_unref(plain);
    g_object_unref(rich);
    g_mime_message_set_mime_part(msg, GMIME_OBJECT(alt));
    g_object_unref(alt);
    GMimeFormatOptions *fo = g_mime_format_options_new();
    g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
    char *raw = g_mime_object_to_string(GMIME_OBJECT(msg), fo);
    g_mime_format_options_free(fo);
    *len = strlen(raw);
    const char *r = desk_arena_strndup(a, raw, *len);
    g_free(raw);
    return r;
}

void mail_add_mailbox(GMimeMessage *msg, GMimeAddressType type, const char *name, const char *addr)
{
    InternetAddress *ia = internet_address_mailbox_new(name && *name ? name : NULL, addr);
    internet_address_set_charset(ia, "utf-8");
    internet_address_list_add(g_mime_message_get_addresses(msg, type), ia);
    g_object_unref(ia);
}

/* Quotes text for the plain part: "> " before each line. */
static void add_quoted(struct desk_buf *b, const char *text)
{
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        size_t len = n && p[n - 1] == '\r' ? n - 1 : n;
        desk_buf_adds(b, len ? "> " : ">");
        desk_buf_add(b, p, len);
        desk_buf_adds(b, "\n");
        p += n + (p[n] ? 1 : 0);
    }
}

/* Appends text with CRLF line ends made LF (the writer adds CR to every line end). */
static void add_lf_text(struct desk_buf *b, const char *text)
{
    for (const char *p = text; *p; p++) {
        if (!(p[0] == '\r' && p[1] == '\n')) {
            desk_buf_add(b, p, 1);
        }
    }
}

static char *finish(struct desk_arena *a, struct desk_buf *b)
{
    char *s = desk_arena_strndup(a, b->data ? b->data : "", b->len);
    desk_buf_release(b);
    return s;
}

static char *text_body(struct desk_arena *a, const struct desk_mail_phrases *ph,
                       const struct desk_mail_vars *v, const struct desk_notice_in *in,
                       bool received)
{
    struct desk_buf b;
    desk_buf_init(&b, 0);
    desk_buf_addf(&b, "%s\n\n", ph->marker);
    if (received) {
        desk_buf_addf(&b, "%s\n\n%s\n\n", desk_mail_fill(a, ph->received_intro, v, false),
                      ph->you_wrote);
        add_quoted(&b, in->comment->body);
    } else {
        desk_buf_addf(&b, "%s\n\n", desk_mail_fill(a, ph->reply_intro, v, false));
        add_lf_text(&b, in->comment->body);
        desk_buf_adds(&b, "\n");
    }
    desk_buf_addf(&b, "\n-- \n%s\n", desk_mail_fill(a, ph->footer, v, false));
    return finish(a, &b);
}

static char *html_body(struct desk_arena *a, const struct desk_mail_phrases *ph,
                       const struct desk_mail_vars *v, const struct desk_notice_in *in,
                       const char *subject, bool received)
{
    const char *comment = in->comment->html_body && *in->comment->html_body
                              ? in->comment->html_body
                              : desk_comment_html(a, in->comment->body);
    struct desk_buf b;
    desk_buf_init(&b, 0);
    desk_buf_addf(&b,
                  "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta http-equiv=\"Content-Type\" "
                  "content=\"text/html; charset=utf-8\"><title>%s</title></head>\n"
                  "<body style=\"font-family:sans-serif;font-size:14px\">\n"
                  "<p style=\"color:#b5b5b5\">%s</p>\n",
                  ph->lang, desk_mail_html_escape(a, subject),
                  desk_mail_html_escape(a, ph->marker));
    if (received) {
        desk_buf_addf(&b,
                      "<p>%s</p>\n<p>%s</p>\n<blockquote style=\"border-left:3px solid "
                      "#ddd;margin:0;padding-left:1em\">%s</blockquote>\n",
                      desk_mail_fill(a, ph->received_intro, v, true),
                      desk_mail_html_escape(a, ph->you_wrote), comment);
    } else {
        desk_buf_addf(&b, "<p>%s</p>\n%s\n", desk_mail_fill(a, ph->reply_intro, v, true), comment);
    }
    desk_buf_addf(&b,
                  "<hr style=\"border:none;border-top:1px solid #ddd\">\n"
                  "<p style=\"color:#888\">%s</p>\n</body></html>\n",
                  desk_mail_fill(a, ph->footer, v, true));
    return finish(a, &b);
}

/* "<a> <b> ..." for References. */
static char *id_list(struct desk_arena *a, const struct desk_mail_id *refs, size_t n)
{
    struct desk_buf b;
    desk_buf_init(&b, 0);
    for (size_t i = 0; i < n; i++) {
        desk_buf_addf(&b, "%s<%s>", i ? " " : "", refs[i].message_id);
    }
    return finish(a, &b);
}

int desk_notice_render(struct desk_arena *a, const struct desk_notice_sender *from,
                       const struct desk_notice_in *in, struct desk_outbox_msg *out)
{
    const struct desk_outbox_msg *m = in->msg;
    if (!addr_ok(from->address) || !addr_ok(m->to_addr)) {
        return DESK_EINVAL;
    }
    desk_mail_gmime_init();
    bool received = m->kind && strcmp(m->kind, "received") == 0;
    const struct desk_mail_phrases *ph = desk_mail_phrases_for(m->language);
    struct desk_mail_vars v = {
        .ticket_id = desk_arena_printf(a, "%lld", (long long)in->ticket->id),
        .subject = in->ticket->subject ? in->ticket->subject : "",
        .author = in->author_name ? in->author_name : from->name,
        .requester = in->requester_name,
    };
    const char *subject =
        desk_mail_fill(a, received ? ph->received_subject : ph->reply_subject, &v, false);
    const char *message_id = desk_notice_message_id(a, from->address, in->ticket->id, m->id);

    GMimeMessage *msg = g_mime_message_new(TRUE);
    GMimeObject *obj = GMIME_OBJECT(msg);
    /* A reply reads as from its author "at" the support team; an acknowledgement as the team. */
    const char *from_name =
        received || !in->author_name
            ? from->name
            : desk_arena_printf(a, "%s (%s)", in->author_name, from->name ? from->name : "");
    mail_add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM, from_name, from->address);
    mail_add_mailbox(msg, GMIME_ADDRESS_TYPE_REPLY_TO, from->name, from->address);
    mail_add_mailbox(msg, GMIME_ADDRESS_TYPE_TO, m->to_name, m->to_addr);
    g_mime_message_set_subject(msg, subject, "utf-8");
    GDateTime *date = g_date_time_new_from_unix_utc(in->now / 1000);
    g_mime_message_set_date(msg, date);
    g_date_time_unref(date);
    g_mime_message_set_message_id(msg, message_id);
    if (in->n_refs) {
        /* In reply to the customer's latest message when there is one (not to desk's own
         * acknowledgement or an earlier notice), else to the latest message of the ticket. */
        size_t parent = in->n_refs - 1;
        for (size_t i = in->n_refs; i-- > 0;) {
            if (in->refs[i].inbound) {
                parent = i;
                break;
            }
        }
        g_mime_object_set_header(obj, "In-Reply-To",
                                 desk_arena_printf(a, "<%s>", in->refs[parent].message_id), NULL);
        g_mime_object_set_header(obj, "References", id_list(a, in->refs, in->n_refs), NULL);
    }
    /* RFC 3834: automatic mail says so, and asks responders to stay quiet. */
    if (received) {
        g_mime_object_set_header(obj, "Auto-Submitted", "auto-replied", NULL);
    }
    g_mime_object_set_header(obj, "X-Auto-Response-Suppress", "OOF, AutoReply", NULL);
    g_mime_object_set_header(obj, "X-Loop", from->address, NULL);
    g_mime_object_set_header(obj, "X-Desk-Ticket-Id", v.ticket_id, NULL);
    g_mime_object_set_header(obj, "Content-Language", ph->lang, NULL);

    size_t raw_len;
    const char *raw = mail_alternative_raw(a, msg, text_body(a, ph, &v, in, received),
                                           html_body(a, ph, &v, in, subject, received), &raw_len);
    g_object_unref(msg);

    *out = *m;
    out->subject = subject;
    out->message_id = message_id;
    out->raw_len = raw_len;
    out->raw = raw;
    out->language = ph->lang;
    return 0;
}
