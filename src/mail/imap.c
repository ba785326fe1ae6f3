/*
 * IMAP through libcurl (see imap.h). libcurl logs in, speaks TLS and reads
 * FETCH literals; this file builds the URLs and commands, keeps the folder
 * read-only between fetches, and parses SEARCH answers.
 *
 * libcurl SELECTs a folder (read-write) before the first command on it and
 * then remembers it is selected; an EXAMINE sent as a custom command right
 * after makes the folder read-only on the server, so the next FETCH
 * BODY[] (libcurl never sends BODY.PEEK[]) does not set \Seen (RFC 3501
 * §6.3.2). Marking seen re-SELECTs, STOREs, and EXAMINEs again.
 */
#include "mail/imap.h"
#include "core/error.h"
#include "mail/mail_curl.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct desk_imap {
    CURL *curl;
    char *base;       /* "imaps://host:port/" */
    char *folder_q;   /* the folder as an IMAP quoted string, for commands */
    char *folder_url; /* base + URL-escaped folder */
    char *user;
    char *password;
    char *ca_file;
    int tls;
    long timeout_ms;
    size_t max_message;
    const _Atomic bool *stop;
    char errbuf[CURL_ERROR_SIZE];
};

static const char *const tls_names[] = {"imaps", "starttls", "none"};

const char *desk_imap_tls_name(int tls)
{
    return tls >= 0 && tls <= DESK_IMAP_TLS_NONE ? tls_names[tls] : "imaps";
}

int desk_imap_tls_parse(const char *s, int *out)
{
    for (int i = 0; s && i <= DESK_IMAP_TLS_NONE; i++) {
        if (strcmp(s, tls_names[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    return DESK_EINVAL;
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d) {
        abort();
    }
    return d;
}

/* a, b and c concatenated, in a new string. */
static char *concat(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *s = malloc(la + lb + lc + 1);
    if (!s) {
        abort();
    }
    stpcpy(stpcpy(stpcpy(s, a), b), c);
    return s;
}

/* A host name or IP literal desk puts in a URL: letters, digits, - . : [ ] only. */
static bool host_ok(const char *h)
{
    if (!h || !*h || strlen(h) > 253) {
        return false;
    }
    for (const char *p = h; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("-.:[]", *p))) {
            return false;
        }
    }
    return true;
}

int desk_imap_new(const struct desk_imap_config *cfg, struct desk_imap **out)
{
    const char *folder = cfg->folder && *cfg->folder ? cfg->folder : "INBOX";
    if (!host_ok(cfg->host) || cfg->port <= 0 || cfg->port > 65535 || strlen(folder) > 255) {
        return DESK_EINVAL;
    }
    for (const unsigned char *p = (const unsigned char *)folder; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            return DESK_EINVAL;
        }
    }
    desk_mail_curl_init();
    struct desk_imap *im = calloc(1, sizeof(*im));
    if (!im) {
        abort();
    }
    if (!(im->curl = curl_easy_init())) {
        free(im);
        return DESK_EINTERNAL;
    }
    char port[24];
    snprintf(port, sizeof(port), ":%d/", cfg->port);
    im->base = concat(cfg->tls == DESK_IMAP_TLS_IMAPS ? "imaps://" : "imap://", cfg->host, port);
    char *esc = curl_easy_escape(im->curl, folder, 0);
    im->folder_url = concat(im->base, esc ? esc : "INBOX", "");
    curl_free(esc);
    /* RFC 3501 quoted string: backslash and double quote escaped. */
    im->folder_q = malloc(2 * strlen(folder) + 3);
    if (!im->folder_q) {
        abort();
    }
    char *q = im->folder_q;
    *q++ = '"';
    for (const char *p = folder; *p; p++) {
        if (*p == '"' || *p == '\\') {
            *q++ = '\\';
        }
        *q++ = *p;
    }
    *q++ = '"';
    *q = '\0';
    im->user = xstrdup(cfg->user);
    im->password = xstrdup(cfg->password);
    im->ca_file = cfg->ca_file && *cfg->ca_file ? xstrdup(cfg->ca_file) : NULL;
    im->tls = cfg->tls;
    im->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : 60000;
    im->max_message = cfg->max_message ? cfg->max_message : (size_t)32 << 20;
    im->stop = cfg->stop;
    *out = im;
    return 0;
}

void desk_imap_free(struct desk_imap *im)
{
    if (!im) {
        return;
    }
    curl_easy_cleanup(im->curl); /* sends LOGOUT on a live connection */
    free(im->base);
    free(im->folder_q);
    free(im->folder_url);
    free(im->user);
    if (im->password) {
        explicit_bzero(im->password, strlen(im->password));
        free(im->password);
    }
    free(im->ca_file);
    free(im);
}

struct sink {
    struct desk_buf *buf;
    bool truncated;
};

static size_t write_cb(char *data, size_t size, size_t n, void *arg)
{
    struct sink *s = arg;
    size_t len = size * n;
    if (s->truncated) {
        return len; /* keep reading (and discarding) so the connection stays usable */
    }
    size_t room = s->buf->max > s->buf->len ? s->buf->max - s->buf->len : 0;
    if (len > room) {
        desk_buf_add(s->buf, data, room);
        s->truncated = true;
        return len;
    }
    desk_buf_add(s->buf, data, len);
    return len;
}

static int progress_cb(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    const _Atomic bool *stop = arg;
    (void)dt, (void)dn, (void)ut, (void)un;
    return stop && atomic_load(stop) ? 1 : 0;
}

/* Runs one libcurl transfer on url (with command as a custom request when non-NULL). */
static int perform(struct desk_imap *im, const char *url, const char *command, struct sink *body,
                   char *err, size_t err_len)
{
    CURL *c = im->curl;
    curl_easy_reset(c); /* options only: the connection and its selected folder stay */
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "imap,imaps");
    curl_easy_setopt(c, CURLOPT_USERNAME, im->user);
    curl_easy_setopt(c, CURLOPT_PASSWORD, im->password);
    curl_easy_setopt(c, CURLOPT_USE_SSL,
                     im->tls == DESK_IMAP_TLS_NONE ? (long)CURLUSESSL_NONE : (long)CURLUSESSL_ALL);
    if (im->ca_file) {
        curl_easy_setopt(c, CURLOPT_CAINFO, im->ca_file);
    }
    if (command) {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, command);
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, im->errbuf);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, im->timeout_ms);
    /* A transfer that stalls for timeout_ms fails; a large one that moves may take longer. */
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME,
                     im->timeout_ms / 1000 > 0 ? im->timeout_ms / 1000 : 1);
    curl_easy_setopt(c, CURLOPT_SERVER_RESPONSE_TIMEOUT,
                     im->timeout_ms / 1000 > 0 ? im->timeout_ms / 1000 : 1);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress_cb);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)im->stop);
    im->errbuf[0] = '\0';
    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
        snprintf(err, err_len, "%s", im->errbuf[0] ? im->errbuf : curl_easy_strerror(rc));
        return DESK_EIO;
    }
    return 0;
}

/* Makes the folder read-only on the server (and selected, for libcurl). */
static int examine(struct desk_imap *im, char *err, size_t err_len)
{
    char cmd[600];
    struct desk_buf discard;
    desk_buf_init(&discard, 1 << 16);
    struct sink s = {&discard, false};
    snprintf(cmd, sizeof(cmd), "EXAMINE %s", im->folder_q);
    int rc = perform(im, im->folder_url, cmd, &s, err, err_len);
    desk_buf_release(&discard);
    return rc;
}

static int cmp_uid(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int desk_imap_parse_search(const char *text, size_t len, uint64_t *uids, size_t max, size_t *n)
{
    size_t k = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *le = eol ? eol : end;
        size_t ll = (size_t)(le - p);
        if (ll && p[ll - 1] == '\r') {
            ll--;
        }
        if (ll >= 8 && memcmp(p, "* SEARCH", 8) == 0 && (ll == 8 || p[8] == ' ')) {
            const char *q = p + 8, *qe = p + ll;
            while (q < qe) {
                while (q < qe && *q == ' ') {
                    q++;
                }
                if (q == qe) {
                    break;
                }
                uint64_t v = 0;
                const char *start = q;
                while (q < qe && *q >= '0' && *q <= '9') {
                    v = v * 10 + (uint64_t)(*q - '0');
                    if (v > UINT32_MAX) {
                        return DESK_EINVAL; /* UIDs are 32-bit (RFC 3501 §9, nz-number) */
                    }
                    q++;
                }
                if (q == start || (q < qe && *q != ' ') || v == 0) {
                    return DESK_EINVAL; /* ESEARCH, MODSEQ or junk: not what was asked */
                }
                if (k < max) {
                    uids[k++] = v;
                } else {
                    /* Keep the lowest max: the oldest messages go first. */
                    size_t hi = 0;
                    for (size_t i = 1; i < k; i++) {
                        hi = uids[i] > uids[hi] ? i : hi;
                    }
                    if (k && v < uids[hi]) {
                        uids[hi] = v;
                    }
                }
            }
        }
        p = eol ? eol + 1 : end;
    }
    qsort(uids, k, sizeof(*uids), cmp_uid);
    size_t u = 0;
    for (size_t i = 0; i < k; i++) {
        if (u == 0 || uids[u - 1] != uids[i]) {
            uids[u++] = uids[i];
        }
    }
    *n = u;
    return 0;
}

int desk_imap_unseen(struct desk_imap *im, uint64_t *uids, size_t max, size_t *n, char *err,
                     size_t err_len)
{
    struct desk_buf out;
    desk_buf_init(&out, (size_t)8 << 20);
    struct sink s = {&out, false};
    int rc = perform(im, im->folder_url, "UID SEARCH UNSEEN UNDELETED", &s, err, err_len);
    if (!rc && s.truncated) {
        snprintf(err, err_len, "SEARCH answer too long");
        rc = DESK_EIO;
    }
    if (!rc && desk_imap_parse_search(out.data ? out.data : "", out.len, uids, max, n) != 0) {
        snprintf(err, err_len, "unexpected SEARCH answer");
        rc = DESK_EIO;
    }
    desk_buf_release(&out);
    return rc;
}

int desk_imap_fetch(struct desk_imap *im, uint64_t uid, struct desk_buf *out, bool *truncated,
                    char *err, size_t err_len)
{
    int rc = examine(im, err, err_len);
    if (rc) {
        return rc;
    }
    char url[1024];
    snprintf(url, sizeof(url), "%s/;UID=%llu", im->folder_url, (unsigned long long)uid);
    desk_buf_release(out);
    desk_buf_init(out, im->max_message);
    struct sink s = {out, false};
    rc = perform(im, url, NULL, &s, err, err_len);
    *truncated = s.truncated;
    if (!rc && out->len == 0) {
        snprintf(err, err_len, "message %llu is gone", (unsigned long long)uid);
        rc = DESK_EIO;
    }
    return rc;
}

int desk_imap_mark_seen(struct desk_imap *im, const uint64_t *uids, size_t n, char *err,
                        size_t err_len)
{
    if (!n) {
        return 0;
    }
    struct desk_buf cmd, discard;
    desk_buf_init(&cmd, 0);
    desk_buf_init(&discard, 1 << 16);
    struct sink s = {&discard, false};
    desk_buf_addf(&cmd, "SELECT %s", im->folder_q);
    int rc = perform(im, im->folder_url, cmd.data, &s, err, err_len);
    cmd.len = 0;
    desk_buf_adds(&cmd, "UID STORE ");
    for (size_t i = 0; i < n; i++) {
        desk_buf_addf(&cmd, "%s%llu", i ? "," : "", (unsigned long long)uids[i]);
    }
    desk_buf_adds(&cmd, " +FLAGS.SILENT (\\Seen)");
    if (!rc) {
        rc = perform(im, im->folder_url, cmd.data, &s, err, err_len);
    }
    desk_buf_release(&cmd);
    desk_buf_release(&discard);
    return rc;
}
