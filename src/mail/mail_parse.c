/*
 * desk_mail_parse: raw bytes to a desk_mail_msg. GMime reads the MIME
 * tree (loose about broken encoded words, addresses and parameters, as
 * mail clients need); this file chooses the body and its charset, decodes
 * headers that carry raw 8-bit text, lists attachments, reads delivery
 * status notifications (RFC 3464) and the headers of automatic mail
 * (RFC 3834, RFC 2919, and the non-standard ones mail servers use).
 */
#include "mail/mail_int.h"
#include "core/str.h"

#include <gmime/gmime.h>
#include <libxml/parser.h>

#include <ctype.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

/* Distinct MIME boundaries beyond this make a message unreadable: a bomb, not mail. */
#define BOUNDARIES_MAX 200

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

static void lib_init_once(void)
{
    g_mime_init();
    xmlInitParser();
}

void mail_lib_init(void)
{
    pthread_once(&lib_once, lib_init_once);
}

struct walk {
    struct desk_arena *a;
    GMimeParserOptions *opts;
    struct desk_mail_msg *m;
    const char *text_raw; /* chosen text/plain body, converted */
    const char *html_raw; /* chosen text/html body, converted */
    bool in_report;
    bool too_deep;
    size_t n_att, cap_att;
    size_t n_dsn, cap_dsn;
};

/* ---- small helpers ------------------------------------------------------ */

static bool has_8bit(const char *s)
{
    for (; s && *s; s++) {
        if ((unsigned char)*s >= 0x80) {
            return true;
        }
    }
    return false;
}

static char *lower(struct desk_arena *a, const char *s)
{
    char *r = desk_arena_strdup(a, s);
    for (char *p = r; p && *p; p++) {
        *p = (char)tolower((unsigned char)*p);
    }
    return r;
}

/* The bytes of a leaf part after transfer decoding (base64, quoted-printable), in a. */
static const unsigned char *part_bytes(struct desk_arena *a, GMimePart *part, size_t *len)
{
    GMimeDataWrapper *w = g_mime_part_get_content(part);
    *len = 0;
    if (!w) {
        return (const unsigned char *)"";
    }
    GMimeStream *out = g_mime_stream_mem_new();
    g_mime_data_wrapper_write_to_stream(w, out);
    GByteArray *arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
    unsigned char *r = desk_arena_alloc(a, arr->len + 1);
    if (arr->len) {
        memcpy(r, arr->data, arr->len);
    }
    *len = arr->len;
    g_object_unref(out);
    return r;
}

/* A whole object (an attached message) written out as bytes, in a. */
static const unsigned char *object_bytes(struct desk_arena *a, GMimeObject *obj, size_t *len)
{
    GMimeStream *out = g_mime_stream_mem_new();
    g_mime_object_write_to_stream(obj, NULL, out);
    GByteArray *arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
    unsigned char *r = desk_arena_alloc(a, arr->len + 1);
    if (arr->len) {
        memcpy(r, arr->data, arr->len);
    }
    *len = arr->len;
    g_object_unref(out);
    return r;
}

/* The raw (undecoded, unfolded) value of header name, or NULL. */
static const char *raw_header(GMimeObject *obj, const char *name)
{
    GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
    GMimeHeader *h = hl ? g_mime_header_list_get_header(hl, name) : NULL;
    return h ? g_mime_header_get_raw_value(h) : NULL;
}

/*
 * A header's text as UTF-8: raw 8-bit bytes (mail that ignores RFC 2047)
 * are read in the body's charset or the best fallback, then encoded words
 * are decoded (GMime, loose about the broken ones mail clients write).
 */
static const char *header_text(struct walk *w, const char *raw, const char *hint)
{
    if (!raw) {
        return NULL;
    }
    char *unfolded = g_mime_utils_header_unfold(raw);
    const char *utf8 = unfolded;
    if (has_8bit(unfolded)) {
        const char *used;
        bool guessed;
        utf8 = mail_to_utf8(w->a, unfolded, strlen(unfolded), hint, &used, &guessed);
    }
    char *decoded = g_mime_utils_header_decode_text(w->opts, utf8);
    const char *r = NULL;
    if (decoded) {
        const char *ignored;
        bool guessed;
        /* Decoded words in a charset that lies can still give invalid text. */
        r = desk_str_utf8_valid(decoded, strlen(decoded))
                ? desk_arena_strdup(w->a, decoded)
                : mail_to_utf8(w->a, decoded, strlen(decoded), NULL, &ignored, &guessed);
        g_free(decoded);
    }
    g_free(unfolded);
    /* Whitespace runs (folding leftovers, tabs) become single spaces. */
    if (r) {
        char *o = desk_arena_alloc(w->a, strlen(r) + 1), *p = o;
        bool sp = true;
        for (const char *s = r; *s; s++) {
            bool ws = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';
            if (ws && !sp) {
                *p++ = ' ';
            } else if (!ws) {
                *p++ = *s;
            }
            sp = ws;
        }
        while (p > o && p[-1] == ' ') {
            p--;
        }
        *p = '\0';
        r = o;
    }
    return r;
}

static size_t addresses(struct walk *w, const char *raw, const char *hint,
                        struct desk_mail_addr **out)
{
    *out = NULL;
    if (!raw) {
        return 0;
    }
    const char *text = raw;
    if (has_8bit(raw)) {
        const char *used;
        bool guessed;
        text = mail_to_utf8(w->a, raw, strlen(raw), hint, &used, &guessed);
    }
    InternetAddressList *list = internet_address_list_parse(w->opts, text);
    if (!list) {
        return 0;
    }
    int n = internet_address_list_length(list);
    struct desk_mail_addr *v = desk_arena_alloc(w->a, (size_t)(n > 0 ? n : 1) * sizeof(*v));
    size_t k = 0;
    for (int i = 0; i < n && k < 100; i++) {
        InternetAddress *ia = internet_address_list_get_address(list, i);
        if (!INTERNET_ADDRESS_IS_MAILBOX(ia)) {
            continue; /* groups name nobody desk can write to */
        }
        const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
        const char *name = internet_address_get_name(ia);
        if (!addr || !strchr(addr, '@') || strlen(addr) > 254 ||
            !desk_str_utf8_valid(addr, strlen(addr))) {
            continue;
        }
        v[k].email = lower(w->a, addr);
        v[k].name = name && *name && desk_str_utf8_valid(name, strlen(name))
                        ? desk_arena_strdup(w->a, name)
                        : NULL;
        k++;
    }
    g_object_unref(list);
    *out = v;
    return k;
}

static const char *strip_id(struct desk_arena *a, const char *id)
{
    if (!id || !*id || strlen(id) > 998) {
        return NULL;
    }
    return desk_str_utf8_valid(id, strlen(id)) ? desk_arena_strdup(a, id) : NULL;
}

/* ---- the MIME tree ------------------------------------------------------ */

static void add_attachment(struct walk *w, const char *name, const char *type, const char *cid,
                           bool is_inline, const unsigned char *data, size_t size)
{
    struct desk_mail_msg *m = w->m;
    if (w->n_att == MAIL_ATTACHMENTS_MAX) {
        return;
    }
    if (w->n_att == w->cap_att) {
        size_t cap = w->cap_att ? w->cap_att * 2 : 8;
        struct desk_mail_attachment *v = desk_arena_alloc(w->a, cap * sizeof(*v));
        if (w->n_att) {
            memcpy(v, m->attachments, w->n_att * sizeof(*v));
        }
        m->attachments = v;
        w->cap_att = cap;
    }
    struct desk_mail_attachment *at = &m->attachments[w->n_att++];
    at->file_name = name;
    at->content_type = type;
    at->content_id = cid;
    at->is_inline = is_inline;
    at->data = data;
    at->size = size;
    m->n_attachments = w->n_att;
}

/* A file name a person can use: valid UTF-8, no path, no control characters. */
static const char *file_name(struct walk *w, const char *given, const char *type, size_t index)
{
    if (given && *given) {
        const char *name = given, *used;
        bool guessed;
        if (!desk_str_utf8_valid(given, strlen(given))) {
            name = mail_to_utf8(w->a, given, strlen(given), NULL, &used, &guessed);
        }
        const char *slash = strrchr(name, '/'), *bslash = strrchr(name, '\\');
        if (slash && (!bslash || slash > bslash)) {
            name = slash + 1;
        } else if (bslash) {
            name = bslash + 1;
        }
        char *r = desk_arena_strdup(w->a, name);
        for (char *p = r; *p; p++) {
            if ((unsigned char)*p < 0x20) {
                *p = '_';
            }
        }
        if (*r && strlen(r) <= 255) {
            return r;
        }
    }
    const char *ext = strcmp(type, "message/rfc822") == 0 ? "eml"
                      : strncmp(type, "image/", 6) == 0   ? type + 6
                      : strcmp(type, "text/plain") == 0   ? "txt"
                      : strcmp(type, "text/html") == 0    ? "html"
                                                          : "bin";
    return desk_arena_printf(w->a, "attachment-%zu.%.10s", index + 1, ext);
}

/* Reads one RFC 3464 per-recipient block list. */
static void parse_dsn(struct walk *w, const char *text)
{
    struct desk_mail_msg *m = w->m;
    struct desk_mail_dsn cur = {0};
    const char *p = text;
    for (;;) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        while (n && (p[n - 1] == '\r' || p[n - 1] == ' ')) {
            n--;
        }
        if (n == 0 || !eol) {
            if (cur.recipient && w->n_dsn < 16) {
                if (w->n_dsn == w->cap_dsn) {
                    struct desk_mail_dsn *v = desk_arena_alloc(w->a, 16 * sizeof(*v));
                    w->cap_dsn = 16;
                    m->dsn = v;
                }
                m->dsn[w->n_dsn++] = cur;
                m->n_dsn = w->n_dsn;
            }
            memset(&cur, 0, sizeof(cur));
            if (!eol) {
                break;
            }
        } else {
            const char *colon = memchr(p, ':', n);
            if (colon) {
                size_t kl = (size_t)(colon - p);
                const char *v = colon + 1;
                size_t vl = n - kl - 1;
                while (vl && *v == ' ') {
                    v++;
                    vl--;
                }
                if (strncasecmp(p, "Final-Recipient", kl) == 0 && kl == 15) {
                    const char *semi = memchr(v, ';', vl);
                    if (semi) {
                        vl -= (size_t)(semi + 1 - v);
                        v = semi + 1;
                        while (vl && *v == ' ') {
                            v++;
                            vl--;
                        }
                    }
                    if (vl && vl < 255 && memchr(v, '@', vl)) {
                        char *r = lower(w->a, desk_arena_strndup(w->a, v, vl));
                        if (r[0] == '<' && r[strlen(r) - 1] == '>') {
                            r[strlen(r) - 1] = '\0';
                            r++;
                        }
                        cur.recipient = r;
                    }
                } else if (kl == 6 && strncasecmp(p, "Action", 6) == 0) {
                    cur.action = lower(w->a, desk_arena_strndup(w->a, v, vl < 32 ? vl : 32));
                } else if (kl == 6 && strncasecmp(p, "Status", 6) == 0) {
                    cur.status = desk_arena_strndup(w->a, v, vl < 16 ? vl : 16);
                } else if (kl == 15 && strncasecmp(p, "Diagnostic-Code", 15) == 0) {
                    cur.diagnostic = desk_arena_strndup(w->a, v, vl < 500 ? vl : 500);
                }
            }
        }
        p = eol + 1;
    }
}

/* The Message-ID header in a block of header text (the bounced message's). */
static const char *find_message_id(struct walk *w, const char *headers)
{
    for (const char *p = headers; p && *p;) {
        if (strncasecmp(p, "Message-ID:", 11) == 0) {
            const char *v = p + 11, *eol = strchr(v, '\n');
            char *line = desk_arena_strndup(w->a, v, eol ? (size_t)(eol - v) : strlen(v));
            GMimeReferences *refs = g_mime_references_parse(w->opts, line);
            const char *id = NULL;
            if (refs && g_mime_references_length(refs) > 0) {
                id = strip_id(w->a, g_mime_references_get_message_id(refs, 0));
            }
            if (refs) {
                g_mime_references_free(refs);
            }
            return id;
        }
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    return NULL;
}

static void walk_object(struct walk *w, GMimeObject *obj, int depth);

static void walk_part(struct walk *w, GMimePart *part)
{
    GMimeObject *obj = GMIME_OBJECT(part);
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    const char *type = ct ? g_mime_content_type_get_media_type(ct) : "text";
    const char *sub = ct ? g_mime_content_type_get_media_subtype(ct) : "plain";
    char *mime = lower(w->a, desk_arena_printf(w->a, "%s/%s", type ? type : "application",
                                               sub ? sub : "octet-stream"));
    bool attachment = g_mime_part_is_attachment(part);
    const char *given = g_mime_part_get_filename(part);
    size_t len;
    if (strcmp(mime, "message/delivery-status") == 0 ||
        strcmp(mime, "message/global-delivery-status") == 0) {
        const unsigned char *b = part_bytes(w->a, part, &len);
        parse_dsn(w, (const char *)b);
        return;
    }
    if (w->in_report && strcmp(mime, "text/rfc822-headers") == 0) {
        const unsigned char *b = part_bytes(w->a, part, &len);
        w->m->dsn_message_id = find_message_id(w, (const char *)b);
        return;
    }
    bool text = strcmp(mime, "text/plain") == 0, html = strcmp(mime, "text/html") == 0;
    if ((text && !w->text_raw && !attachment && !given) ||
        (html && !w->html_raw && !attachment && !given)) {
        const unsigned char *b = part_bytes(w->a, part, &len);
        if (len > MAIL_TEXT_MAX) {
            len = MAIL_TEXT_MAX;
        }
        const char *charset = g_mime_object_get_content_type_parameter(obj, "charset");
        const char *used;
        bool guessed;
        const char *utf8 = mail_to_utf8(w->a, (const char *)b, len, charset, &used, &guessed);
        if (text) {
            const char *flowed = g_mime_object_get_content_type_parameter(obj, "format");
            if (flowed && strcasecmp(flowed, "flowed") == 0) {
                /* RFC 3676: a line ending in a space continues on the next one. */
                const char *delsp = g_mime_object_get_content_type_parameter(obj, "delsp");
                bool del = delsp && strcasecmp(delsp, "yes") == 0;
                char *o = desk_arena_alloc(w->a, strlen(utf8) + 1), *q = o;
                for (const char *s = utf8; *s; s++) {
                    bool sig = s - 3 >= utf8 && (s - 3 == utf8 || s[-4] == '\n') &&
                               strncmp(s - 3, "-- ", 3) == 0;
                    if (*s == '\n' && q > o && q[-1] == ' ' && !sig) {
                        if (del) {
                            q--;
                        }
                        continue;
                    }
                    *q++ = *s;
                }
                *q = '\0';
                utf8 = o;
            }
            w->text_raw = utf8;
        } else {
            w->html_raw = utf8;
        }
        if (!w->m->charset || text) {
            w->m->charset = used;
            w->m->charset_guessed = guessed;
        }
        return;
    }
    const unsigned char *data = part_bytes(w->a, part, &len);
    const char *cid = g_mime_object_get_content_id(obj);
    GMimeContentDisposition *cd = g_mime_object_get_content_disposition(obj);
    bool is_inline = (cd && !attachment) || (cid && !attachment);
    add_attachment(w, file_name(w, given, mime, w->n_att), mime, cid ? strip_id(w->a, cid) : NULL,
                   is_inline, data, len);
}

static void walk_object(struct walk *w, GMimeObject *obj, int depth)
{
    if (depth > MAIL_DEPTH_MAX) {
        w->too_deep = true;
        return;
    }
    if (GMIME_IS_MULTIPART(obj)) {
        GMimeMultipart *mp = GMIME_MULTIPART(obj);
        GMimeContentType *ct = g_mime_object_get_content_type(obj);
        bool report = ct && g_mime_content_type_is_type(ct, "multipart", "report");
        if (report) {
            const char *rt = g_mime_object_get_content_type_parameter(obj, "report-type");
            if (rt && (strcasecmp(rt, "delivery-status") == 0 ||
                       strcasecmp(rt, "global-delivery-status") == 0)) {
                w->m->flags |= DESK_MAIL_DSN;
                w->in_report = true;
            }
        }
        int n = g_mime_multipart_get_count(mp);
        for (int i = 0; i < n; i++) {
            walk_object(w, g_mime_multipart_get_part(mp, i), depth + 1);
        }
        return;
    }
    if (GMIME_IS_MESSAGE_PART(obj)) {
        GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
        if (!inner) {
            return;
        }
        if (w->in_report) {
            const char *id = g_mime_message_get_message_id(inner);
            if (id && !w->m->dsn_message_id) {
                w->m->dsn_message_id = strip_id(w->a, id);
            }
        }
        size_t len;
        const unsigned char *data = object_bytes(w->a, GMIME_OBJECT(inner), &len);
        const char *subject = g_mime_message_get_subject(inner);
        const char *name = subject && *subject && desk_str_utf8_valid(subject, strlen(subject))
                               ? desk_arena_printf(w->a, "%.100s.eml", subject)
                               : NULL;
        add_attachment(w, file_name(w, name, "message/rfc822", w->n_att), "message/rfc822", NULL,
                       false, data, len);
        return;
    }
    if (GMIME_IS_PART(obj)) {
        walk_part(w, GMIME_PART(obj));
    }
}

/* ---- checks before GMime ------------------------------------------------ */

/* Returns a reason when raw is not a message at all, else NULL. */
static const char *precheck(const char *raw, size_t len)
{
    if (len == 0) {
        return "empty message";
    }
    size_t probe = len < 8192 ? len : 8192, bad = 0;
    for (size_t i = 0; i < probe; i++) {
        unsigned char c = (unsigned char)raw[i];
        bad += c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != 0x1B);
    }
    if (bad * 20 > probe) {
        return "binary data, not a message";
    }
    /* The first line must be a header field (or an mbox "From " line). */
    size_t i = 0;
    while (i < len && (raw[i] == '\r' || raw[i] == '\n')) {
        i++;
    }
    size_t k = i;
    while (k < len && k - i < 200 && raw[k] > 32 && raw[k] < 127 && raw[k] != ':') {
        k++;
    }
    bool field = k > i && k < len && raw[k] == ':';
    if (!field && !(len - i >= 5 && memcmp(raw + i, "From ", 5) == 0)) {
        return "no message header";
    }
    size_t boundaries = 0;
    for (const char *p = raw; (p = memmem(p, len - (size_t)(p - raw), "oundary", 7)) != NULL;
         p += 7) {
        if (++boundaries > BOUNDARIES_MAX) {
            return "too many nested MIME parts";
        }
    }
    return NULL;
}

int desk_mail_parse(struct desk_arena *a, const char *raw, size_t len, struct desk_mail_msg *out,
                    const char **reason)
{
    const char *why = precheck(raw, len);
    if (why) {
        *reason = why;
        return DESK_EINVAL;
    }
    mail_lib_init();
    struct desk_mail_msg m;
    memset(&m, 0, sizeof(m));
    GMimeParserOptions *opts = g_mime_parser_options_new();
    g_mime_parser_options_set_rfc2047_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_address_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_parameter_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
    static const char *fallback[] = {"utf-8", "windows-1252", NULL};
    g_mime_parser_options_set_fallback_charsets(opts, fallback);
    GMimeStream *stream = g_mime_stream_mem_new_with_buffer(raw, len);
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
    g_mime_parser_set_respect_content_length(parser, FALSE);
    GMimeMessage *msg = g_mime_parser_construct_message(parser, opts);
    g_object_unref(parser);
    g_object_unref(stream);
    if (!msg) {
        g_mime_parser_options_free(opts);
        *reason = "not a MIME message";
        return DESK_EINVAL;
    }
    struct walk w = {.a = a, .opts = opts, .m = &m};
    GMimeObject *top = GMIME_OBJECT(msg);
    GMimeObject *body = g_mime_message_get_mime_part(msg);
    if (body) {
        walk_object(&w, body, 0);
    }
    if (w.too_deep) {
        g_object_unref(msg);
        g_mime_parser_options_free(opts);
        *reason = "MIME parts nested too deeply";
        return DESK_EINVAL;
    }
    /* Raw 8-bit header text is most likely in the body's charset. */
    const char *hint = m.charset;
    m.subject = header_text(&w, raw_header(top, "Subject"), hint);
    if (!m.subject) {
        m.subject = "";
    }
    struct desk_mail_addr *from;
    size_t n_from = addresses(&w, raw_header(top, "From"), hint, &from);
    if (!n_from) {
        n_from = addresses(&w, raw_header(top, "Sender"), hint, &from);
    }
    if (n_from) {
        m.from = from[0];
    } else {
        m.flags |= DESK_MAIL_NOFROM;
    }
    m.n_to = addresses(&w, raw_header(top, "To"), hint, &m.to);
    m.n_cc = addresses(&w, raw_header(top, "Cc"), hint, &m.cc);
    m.n_reply_to = addresses(&w, raw_header(top, "Reply-To"), hint, &m.reply_to);
    m.message_id = strip_id(a, g_mime_message_get_message_id(msg));
    const char *irt = raw_header(top, "In-Reply-To");
    if (irt) {
        GMimeReferences *refs = g_mime_references_parse(opts, irt);
        if (refs && g_mime_references_length(refs) > 0) {
            m.in_reply_to = strip_id(a, g_mime_references_get_message_id(refs, 0));
        }
        if (refs) {
            g_mime_references_free(refs);
        }
    }
    const char *refs_raw = raw_header(top, "References");
    if (refs_raw) {
        GMimeReferences *refs = g_mime_references_parse(opts, refs_raw);
        int n = refs ? g_mime_references_length(refs) : 0;
        if (n > 50) {
            n = 50; /* the oldest and the newest matter; a mailing list's 500 ids do not */
        }
        m.references = desk_arena_alloc(a, (size_t)(n > 0 ? n : 1) * sizeof(char *));
        for (int i = 0; i < n; i++) {
            const char *id = strip_id(a, g_mime_references_get_message_id(refs, i));
            if (id) {
                m.references[m.n_references++] = id;
            }
        }
        if (refs) {
            g_mime_references_free(refs);
        }
    }
    GDateTime *date = g_mime_message_get_date(msg);
    if (date) {
        m.date_ms = (int64_t)g_date_time_to_unix(date) * 1000;
    }
    /* Automatic mail (RFC 3834 and the headers servers use without it). */
    const char *v;
    if ((v = raw_header(top, "Auto-Submitted")) && !strstr(v, "no")) {
        m.flags |= DESK_MAIL_AUTO;
    }
    if (raw_header(top, "X-Autoreply") || raw_header(top, "X-Autorespond") ||
        raw_header(top, "X-Autogenerated") || raw_header(top, "X-AutoReply-From") ||
        raw_header(top, "X-Mail-Autoreply")) {
        m.flags |= DESK_MAIL_AUTO;
    }
    if ((v = raw_header(top, "Precedence"))) {
        if (strcasestr(v, "bulk") || strcasestr(v, "junk") || strcasestr(v, "list")) {
            m.flags |= DESK_MAIL_BULK;
        }
        if (strcasestr(v, "auto_reply")) {
            m.flags |= DESK_MAIL_AUTO;
        }
    }
    if (raw_header(top, "List-Id") || raw_header(top, "List-Unsubscribe")) {
        m.flags |= DESK_MAIL_BULK;
    }
    if ((v = raw_header(top, "Return-Path")) && strstr(v, "<>")) {
        m.flags |= DESK_MAIL_AUTO; /* the null sender: bounces and auto-replies only */
    }
    if ((v = raw_header(top, "X-Loop"))) {
        m.x_loop = header_text(&w, v, NULL);
    }
    /* The body: text/plain as sent, else the HTML's text. */
    const char *html_text = NULL;
    if (w.html_raw) {
        const char *clean;
        mail_html(a, w.html_raw, strlen(w.html_raw), &html_text, &clean);
        m.html = clean;
    }
    m.text = w.text_raw ? w.text_raw : html_text ? html_text : "";
    if (!m.charset) {
        m.charset = "us-ascii";
    }
    mail_split_reply(a, m.text, &m.new_text, &m.quoted, &m.signature);
    g_object_unref(msg);
    g_mime_parser_options_free(opts);
    *out = m;
    return 0;
}
