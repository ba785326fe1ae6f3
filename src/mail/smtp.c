/*
 * SMTP through libcurl (see smtp.h). libcurl speaks the protocol, TLS and
 * AUTH; this file sets it up, feeds it the message from memory and sorts
 * its outcome into sent / retry / refused / relay unreachable.
 */
#include "mail/smtp.h"
#include "core/error.h"
#include "mail/mail_curl.h"

#include <curl/curl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct desk_smtp {
    CURL *curl;
    char *url;
    char *url_safe;
    char *user;
    char *password;
    char *ca_file;
    int tls;
    long timeout_ms;
    char errbuf[CURL_ERROR_SIZE];
};

int desk_smtp_tls_parse(const char *s, int *out)
{
    static const char *names[] = {"try", "require", "none"};
    for (int i = 0; s && i < 3; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    return DESK_EINVAL;
}

static char *dup_or_null(const char *s)
{
    char *d = s && *s ? strdup(s) : NULL;
    if (s && *s && !d) {
        abort();
    }
    return d;
}

/* The URL with any password in its userinfo removed. */
static char *redact(const char *url)
{
    char *out = strdup(url);
    if (!out) {
        abort();
    }
    char *scheme = strstr(out, "://");
    if (!scheme) {
        return out;
    }
    char *host = scheme + 3, *end = host + strcspn(host, "/?#"), *at = NULL;
    for (char *p = host; p < end; p++) {
        if (*p == '@') {
            at = p;
        }
    }
    char *colon = at ? memchr(host, ':', (size_t)(at - host)) : NULL;
    if (colon) {
        memmove(colon, at, strlen(at) + 1);
    }
    return out;
}

int desk_smtp_new(const struct desk_smtp_config *cfg, struct desk_smtp **out)
{
    if (!cfg->url ||
        (strncmp(cfg->url, "smtp://", 7) != 0 && strncmp(cfg->url, "smtps://", 8) != 0)) {
        return DESK_EINVAL;
    }
    desk_mail_curl_init();
    struct desk_smtp *s = calloc(1, sizeof(*s));
    if (!s) {
        abort();
    }
    s->curl = curl_easy_init();
    if (!s->curl) {
        free(s);
        return DESK_EINTERNAL;
    }
    s->url = dup_or_null(cfg->url);
    s->url_safe = redact(cfg->url);
    s->user = dup_or_null(cfg->user);
    s->password = dup_or_null(cfg->password);
    s->ca_file = dup_or_null(cfg->ca_file);
    s->tls = cfg->tls;
    s->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : 60000;
    *out = s;
    return 0;
}

static void wipe_free(char *p)
{
    if (p) {
        explicit_bzero(p, strlen(p));
        free(p);
    }
}

void desk_smtp_free(struct desk_smtp *s)
{
    if (!s) {
        return;
    }
    curl_easy_cleanup(s->curl);
    wipe_free(s->url);
    free(s->url_safe);
    free(s->user);
    wipe_free(s->password);
    free(s->ca_file);
    free(s);
}

const char *desk_smtp_url_safe(const struct desk_smtp *s)
{
    return s->url_safe;
}

struct upload {
    const char *data;
    size_t len, pos;
};

static size_t read_cb(char *buf, size_t size, size_t n, void *arg)
{
    struct upload *u = arg;
    size_t room = size * n, left = u->len - u->pos;
    size_t k = left < room ? left : room;
    memcpy(buf, u->data + u->pos, k);
    u->pos += k;
    return k;
}

static int progress_cb(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    const _Atomic bool *stop = arg;
    (void)dt, (void)dn, (void)ut, (void)un;
    return stop && atomic_load(stop) ? 1 : 0;
}

/* An address for the envelope: "<addr>", nothing that could end the command line. */
static bool envelope_ok(const char *a)
{
    if (!a || !*a || strlen(a) > 254 || !strchr(a, '@')) {
        return false;
    }
    for (const unsigned char *p = (const unsigned char *)a; *p; p++) {
        if (*p <= ' ' || *p == 0x7f || *p == '<' || *p == '>') {
            return false;
        }
    }
    return true;
}

static int classify(CURLcode rc, long code)
{
    switch (rc) {
    case CURLE_OK:
        return DESK_SMTP_SENT;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_USE_SSL_FAILED:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_LOGIN_DENIED:
    case CURLE_GOT_NOTHING:
        return DESK_SMTP_RELAY;
    default:
        break;
    }
    if (code == 421 || code == 0) {
        /* 421: the service is closing (RFC 5321 §3.8); no code: the connection failed early. */
        return rc == CURLE_ABORTED_BY_CALLBACK ? DESK_SMTP_TEMPORARY : DESK_SMTP_RELAY;
    }
    if (code >= 500 && code < 600) {
        return DESK_SMTP_PERMANENT;
    }
    return DESK_SMTP_TEMPORARY;
}

int desk_smtp_send(struct desk_smtp *s, const char *from, const char *to, const char *raw,
                   size_t len, const _Atomic bool *stop, char *err, size_t err_len)
{
    if (!envelope_ok(from) || !envelope_ok(to)) {
        snprintf(err, err_len, "address cannot be used in an SMTP envelope");
        return DESK_SMTP_PERMANENT;
    }
    CURL *c = s->curl;
    char from_env[260], to_env[260];
    snprintf(from_env, sizeof(from_env), "<%s>", from);
    snprintf(to_env, sizeof(to_env), "<%s>", to);
    struct curl_slist *rcpt = curl_slist_append(NULL, to_env);
    struct upload up = {raw, len, 0};
    s->errbuf[0] = '\0';
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, s->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from_env);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_READDATA, &up);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, s->errbuf);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, s->timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, s->timeout_ms / 3 > 0 ? s->timeout_ms / 3 : 1);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress_cb);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)stop);
    curl_easy_setopt(c, CURLOPT_USE_SSL,
                     s->tls == DESK_SMTP_TLS_REQUIRE ? (long)CURLUSESSL_ALL
                     : s->tls == DESK_SMTP_TLS_NONE  ? (long)CURLUSESSL_NONE
                                                     : (long)CURLUSESSL_TRY);
    if (s->user) {
        curl_easy_setopt(c, CURLOPT_USERNAME, s->user);
    }
    if (s->password) {
        curl_easy_setopt(c, CURLOPT_PASSWORD, s->password);
    }
    if (s->ca_file) {
        curl_easy_setopt(c, CURLOPT_CAINFO, s->ca_file);
    }
    CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(rcpt);
    int result = classify(rc, code);
    if (result != DESK_SMTP_SENT) {
        const char *why = s->errbuf[0] ? s->errbuf : curl_easy_strerror(rc);
        if (code) {
            snprintf(err, err_len, "%s (SMTP %ld)", why, code);
        } else {
            snprintf(err, err_len, "%s", why);
        }
    }
    return result;
}
