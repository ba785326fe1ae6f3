/*
 * bench/mail: email in, parse and store. Builds a corpus of typical
 * messages (about 5 KB: transport headers, the text once as plain text and
 * once as HTML in English, Spanish, Czech or Polish, UTF-8 or ISO-8859-2,
 * every fifth with a small PDF, every third a reply quoting the message it
 * answers; or with -c text the text-heavy corpus: 4.6 KB of plain text each)
 * and stores it on a fresh database in-process with desk_mail_ingest from
 * several threads — the same path `desk mailgate` and IMAP polling take —
 * then writes a share of it as .eml files for bench/mail.sh to pipe through
 * `desk mailgate`. With -l DIR it then measures two limits on the same
 * corpus: GMime parsing alone (one thread) and SQLite storing each message
 * as one row with desk's writer settings, as many messages per commit as
 * there are threads. Prints "name value unit" lines.
 */
#include "app/app.h"
#include "mail/mail.h"
#include "store/store.h"

#include <gmime/gmime.h>
#include <sqlite3.h>

#include <malloc.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

struct corpus {
    char **msg;
    size_t *len;
    size_t n;
};

struct worker {
    struct desk_app *app;
    const struct corpus *c;
    size_t from, to;
    size_t outcomes[5];
    int failures;
    double cpu; /* the thread's CPU seconds */
};

static const char *const paragraphs[] = {
    "Hello, I ordered a pair of running shoes two weeks ago and the parcel has still not "
    "arrived. The tracking page says it left the warehouse on Monday but nothing has changed "
    "since then. Could you please check with the carrier what happened and tell me when I can "
    "expect it? I need them for a race next weekend.",
    "Buenos días, les escribo porque el producto que recibí ayer no funciona. Lo conecté "
    "siguiendo las instrucciones del manual, pero la pantalla no se enciende. He probado con "
    "otro cable y en otro enchufe, sin ningún resultado. ¿Pueden enviarme uno nuevo o "
    "indicarme cómo devolverlo? Muchas gracias de antemano.",
    "Dobrý den, včera mi přišla faktura za březen, ale částka neodpovídá objednávce. Účtovali "
    "jste mi dvě licence, přestože jsme si objednali jen jednu. Prosím o opravu faktury a o "
    "vrácení rozdílu na účet, ze kterého jsme platili. Děkuji za rychlé vyřízení.",
    "Dzień dobry, od wczoraj nie mogę zalogować się do swojego konta. Po wpisaniu hasła strona "
    "przeładowuje się i wraca do ekranu logowania. Próbowałem w innej przeglądarce i na "
    "telefonie, niestety bez skutku. Czy mogą Państwo sprawdzić, co się dzieje?",
};
static const char *const langs[] = {"en", "es", "cs", "pl"};
/* A closing line in each language, for the typical messages. */
static const char *const thanks[] = {
    "Thank you in advance for your help, and have a nice day.",
    "Muchas gracias de antemano por su ayuda, que tengan un buen día.",
    "Předem děkuji za pomoc a přeji hezký den.",
    "Z góry dziękuję za pomoc i życzę miłego dnia.",
};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double thread_cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU seconds (user + system) of the whole process so far. */
static double process_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void add(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(*buf + *len, *cap - *len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < *cap - *len) {
            *len += (size_t)n;
            return;
        }
        *cap *= 2;
        *buf = realloc(*buf, *cap);
        if (!*buf) {
            abort();
        }
    }
}

/* Re-encodes the UTF-8 text b[from, *len) as ISO-8859-2 in place (the letters used here). */
static void to_latin2(char *b, size_t from, size_t *len)
{
    static const struct {
        unsigned cp;
        unsigned char byte;
    } map[] = {{0x159, 0xF8}, {0x11B, 0xEC}, {0x161, 0xB9}, {0x17E, 0xBE}, {0x10D, 0xE8},
               {0xE1, 0xE1},  {0xED, 0xED},  {0xE9, 0xE9},  {0xFD, 0xFD},  {0xFA, 0xFA},
               {0x16F, 0xF9}, {0x119, 0xEA}, {0x105, 0xB1}, {0x142, 0xB3}, {0x144, 0xF1},
               {0x15B, 0xB6}, {0x17C, 0xBF}, {0xF3, 0xF3},  {0x107, 0xE6}, {0x17A, 0xBC},
               {0x10C, 0xC8}, {0x158, 0xD8}, {0x160, 0xA9}, {0x17D, 0xAE}, {0x141, 0xA3},
               {0xDA, 0xDA},  {0x15A, 0xA6}, {0x10F, 0xEF}, {0x148, 0xF2}, {0x165, 0xBB}};
    size_t k = from;
    for (size_t p = from; p < *len;) {
        unsigned char c = (unsigned char)b[p];
        if (c < 0x80) {
            b[k++] = (char)c;
            p++;
            continue;
        }
        unsigned cp = ((c & 0x1Fu) << 6) | ((unsigned char)b[p + 1] & 0x3Fu);
        p += 2;
        unsigned char out = '?';
        for (size_t m = 0; m < sizeof(map) / sizeof(map[0]); m++) {
            if (map[m].cp == cp) {
                out = map[m].byte;
            }
        }
        b[k++] = (char)out;
    }
    *len = k;
}

/* About 2.2 KB of base64, unique per message (content-addressed storage dedups). */
static void add_pdf(char **b, size_t *len, size_t *cap, size_t i, const char *boundary)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    add(b, len, cap,
        "\r\n--%s\r\nContent-Type: application/pdf; name=\"invoice-%zu.pdf\"\r\n"
        "Content-Disposition: attachment; filename=\"invoice-%zu.pdf\"\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n",
        boundary, i, i);
    unsigned x = (unsigned)i * 2654435761u + 1;
    for (int line = 0; line < 30; line++) {
        char row[77];
        for (int c = 0; c < 76; c++) {
            x = x * 1103515245u + 12345u;
            row[c] = b64[(x >> 16) & 63];
        }
        row[76] = '\0';
        add(b, len, cap, "%s\r\n", row);
    }
    add(b, len, cap, "--%s--\r\n", boundary);
}

/*
 * A text-heavy message (-c text): i picks the language, sender, whether it replies and
 * whether it has a file; the body is ~4.6 KB of plain text (1.8 KB with a file).
 */
static void make_text(size_t i, char **out, size_t *out_len)
{
    size_t cap = 8192, len = 0;
    char *b = malloc(cap);
    size_t l = i % 4, sender = i % 500;
    bool reply = i >= 500 && i % 3 == 0, attach = i % 5 == 0, latin2 = l >= 2 && i % 2 == 0;
    if (!b) {
        abort();
    }
    add(&b, &len, &cap,
        "Return-Path: <customer%zu@example.org>\r\nFrom: Customer %zu <customer%zu@example.org>\r\n"
        "To: support@desk.test\r\nSubject: %s request %zu (%s)\r\n"
        "Message-ID: <bench-%zu@example.org>\r\nDate: Tue, 4 Jun 2024 10:00:00 +0200\r\n"
        "MIME-Version: 1.0\r\n",
        sender, sender, sender, reply ? "Re:" : "New", i, langs[l], i);
    if (reply) {
        add(&b, &len, &cap, "In-Reply-To: <bench-%zu@example.org>\r\n", i - 500);
    }
    const char *boundary = "=_bench_boundary_";
    if (attach) {
        add(&b, &len, &cap, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n--%s\r\n",
            boundary, boundary);
    }
    add(&b, &len, &cap,
        "Content-Type: text/plain; charset=%s\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
        latin2 ? "iso-8859-2" : "utf-8");
    size_t body_start = len;
    size_t target = attach ? 1800 : 4600;
    while (len - body_start < target) {
        add(&b, &len, &cap, "%s\r\n\r\n", paragraphs[l]);
    }
    add(&b, &len, &cap, "-- \r\nCustomer %zu\r\n", sender);
    if (latin2) {
        to_latin2(b, body_start, &len); /* the corpus has legacy charsets too */
    }
    if (attach) {
        add_pdf(&b, &len, &cap, i, boundary);
    }
    *out = b;
    *out_len = len;
}

/*
 * A typical message (the default): what a webmail client sends through a provider —
 * ~2 KB of transport headers (Received, DKIM and the provider's own), a
 * multipart/alternative body with the text once as plain text and once as HTML, a
 * signature, and in a reply the quoted earlier message (plain "> " lines, HTML
 * blockquote). i picks the language (cs and pl half in ISO-8859-2, quoted-printable),
 * sender, whether it replies and whether it has a PDF (then multipart/mixed).
 */
static void make_typical(size_t i, char **out, size_t *out_len)
{
    size_t cap = 8192, len = 0;
    char *b = malloc(cap);
    size_t l = i % 4, sender = i % 500;
    bool reply = i >= 500 && i % 3 == 0, attach = i % 5 == 0, latin2 = l >= 2 && i % 2 == 0;
    const char *cs = latin2 ? "iso-8859-2" : "UTF-8";
    if (!b) {
        abort();
    }
    unsigned h = (unsigned)i * 2246822519u + 3266489917u;
    char sig[345];
    for (size_t k = 0; k < sizeof(sig) - 1; k++) {
        h = h * 1103515245u + 12345u;
        sig[k] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[(h >> 16) & 63];
    }
    sig[sizeof(sig) - 1] = '\0';
    add(&b, &len, &cap,
        "Return-Path: <customer%zu@example.org>\r\n"
        "Delivered-To: support@desk.test\r\n"
        "Authentication-Results: mx.desk.test; dkim=pass (2048-bit key; unprotected)\r\n"
        " header.d=example.org header.i=@example.org header.a=rsa-sha256 header.s=20230601;\r\n"
        " spf=pass (mx.desk.test: domain of customer@example.org designates 192.0.2.41 as\r\n"
        " permitted sender) smtp.mailfrom=example.org; dmarc=pass (p=NONE sp=QUARANTINE\r\n"
        " dis=NONE) header.from=example.org\r\n"
        "ARC-Seal: i=1; a=rsa-sha256; t=1717488002; cv=none; d=desk.test; s=arc-2024;\r\n"
        "        b=%.70s\r\n         %.70s\r\n         %.70s\r\n         %.70s\r\n"
        "ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=desk.test;\r\n"
        "        s=arc-2024; t=1717488002; h=to:subject:message-id:date:from:mime-version;\r\n"
        "        bh=%.44s;\r\n"
        "        b=%.70s\r\n         %.70s\r\n         %.70s\r\n"
        "Received-SPF: Pass (mailfrom) identity=mailfrom; client-ip=192.0.2.41;\r\n"
        " helo=mail-ed1-f41.example.org; envelope-from=customer@example.org;\r\n"
        " receiver=support@desk.test\r\n"
        "Received: from mail-ed1-f41.example.org (mail-ed1-f41.example.org [192.0.2.41])\r\n"
        "\tby mx.desk.test (Postfix) with ESMTPS id 4Vt1Kx%05zuz9sRq\r\n"
        "\tfor <support@desk.test>; Tue,  4 Jun 2024 10:00:02 +0200 (CEST)\r\n"
        "Received: by mail-ed1-f41.example.org with SMTP id 4fb4d7f45d1cf-57a30dbdb7fso%zua12.1\r\n"
        "        for <support@desk.test>; Tue, 04 Jun 2024 01:00:01 -0700 (PDT)\r\n"
        "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=20230601;\r\n"
        "        t=1717488001; x=1718092801; darn=desk.test;\r\n"
        "        h=to:subject:message-id:date:from:in-reply-to:references:mime-version\r\n"
        "         :from:to:cc:subject:date:message-id:reply-to;\r\n"
        "        bh=%.44s;\r\n"
        "        b=%.70s\r\n         %.70s\r\n         %.70s\r\n         %.70s\r\n"
        "X-Google-DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n"
        "        d=1e100.net; s=20230601; t=1717488001; x=1718092801;\r\n"
        "        h=to:subject:message-id:date:from:in-reply-to:references:mime-version\r\n"
        "         :x-gm-message-state:from:to:cc:subject:date:message-id:reply-to;\r\n"
        "        bh=%.44s;\r\n"
        "        b=%.70s\r\n         %.70s\r\n"
        "X-Gm-Message-State: AOJu0Yw%.60s\r\n"
        "X-Google-Smtp-Source: AGHT+IF%.60s\r\n"
        "X-Received: by 2002:a05:6402:40c4:b0:57a:2e1b:1f0e with SMTP id z4-20020a05640240c4b;\r\n"
        "        Tue, 04 Jun 2024 01:00:01 -0700 (PDT)\r\n"
        "MIME-Version: 1.0\r\n"
        "From: Customer %zu <customer%zu@example.org>\r\n"
        "Date: Tue, 4 Jun 2024 10:00:00 +0200\r\n"
        "Message-ID: <bench-%zu@example.org>\r\n"
        "Subject: %s request %zu (%s)\r\n"
        "To: support@desk.test\r\n",
        sender, sig + 3, sig + 73, sig + 143, sig + 213, sig + 283, sig + 20, sig + 90, sig + 160,
        i, i, sig, sig + 44, sig + 114, sig + 184, sig + 254, sig + 10, sig + 60, sig + 130,
        sig + 200, sig + 260, sender, sender, i, reply ? "Re:" : "New", i, langs[l]);
    if (reply) {
        add(&b, &len, &cap,
            "In-Reply-To: <bench-%zu@example.org>\r\nReferences: <bench-%zu@example.org>\r\n",
            i - 500, i - 500);
    }
    const char *mixed = "000000000000f1e2d3c4b5a69788", *alt = "000000000000a1b2c3d4e5f60718";
    if (attach) {
        add(&b, &len, &cap, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n--%s\r\n", mixed,
            mixed);
    }
    add(&b, &len, &cap, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n--%s\r\n", alt,
        alt);
    /* The plain text: the paragraph, a line of thanks, a signature, the quoted message. */
    add(&b, &len, &cap,
        "Content-Type: text/plain; charset=\"%s\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n", cs);
    size_t part = len;
    add(&b, &len, &cap, "%s\r\n\r\n%s\r\n\r\n-- \r\nCustomer %zu\r\n+420 601 234 %03zu\r\n",
        paragraphs[l], thanks[l], sender, sender);
    if (reply) {
        add(&b, &len, &cap,
            "\r\nOn Mon, 3 Jun 2024 at 09:12, Desk Support <support@desk.test> wrote:\r\n\r\n"
            "> %.76s\r\n> %.76s\r\n> %.76s\r\n>\r\n> Desk Support\r\n",
            paragraphs[l], paragraphs[l] + 76, paragraphs[l] + 152);
    }
    if (latin2) {
        to_latin2(b, part, &len);
    }
    /* The same as HTML, as webmail writes it. */
    add(&b, &len, &cap,
        "\r\n--%s\r\nContent-Type: text/html; charset=\"%s\"\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n",
        alt, cs);
    part = len;
    add(&b, &len, &cap,
        "<div dir=\"ltr\"><div>%s</div><div><br></div><div>%s</div><div><br></div>"
        "<div>-- <br><div dir=\"ltr\" class=\"gmail_signature\">Customer %zu<br>"
        "+420 601 234 %03zu</div></div></div>\r\n",
        paragraphs[l], thanks[l], sender, sender);
    if (reply) {
        add(&b, &len, &cap,
            "<br><div class=\"gmail_quote\"><div dir=\"ltr\" class=\"gmail_attr\">On Mon, 3 Jun "
            "2024 at 09:12, Desk Support &lt;<a href=\"mailto:support@desk.test\">"
            "support@desk.test</a>&gt; wrote:<br></div><blockquote class=\"gmail_quote\" "
            "style=\"margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);"
            "padding-left:1ex\"><div>%s</div><div>Desk Support</div></blockquote></div>\r\n",
            paragraphs[l]);
    }
    if (latin2) {
        to_latin2(b, part, &len);
    }
    add(&b, &len, &cap, "\r\n--%s--\r\n", alt);
    if (attach) {
        add_pdf(&b, &len, &cap, i, mixed);
    }
    *out = b;
    *out_len = len;
}

static void *work(void *arg)
{
    struct worker *w = arg;
    struct desk_mail_limits lim;
    struct desk_mail_source src = {"bench", "support@desk.test"};
    desk_mail_limits_default(&lim);
    lim.rate_per_hour = 0;
    for (size_t i = w->from; i < w->to; i++) {
        struct desk_mail_result res;
        if (desk_mail_ingest(w->app, w->c->msg[i], w->c->len[i], &src, &lim, &res) != 0) {
            w->failures++;
        } else {
            w->outcomes[res.outcome]++;
        }
    }
    w->cpu = thread_cpu();
    return NULL;
}

/*
 * Limit 1: GMime alone, one thread: messages/s that only parsing the corpus
 * (the MIME tree, no decoding, nothing stored) reaches.
 */
static double limit_parse(const struct corpus *c)
{
    g_mime_init();
    double t0 = now();
    for (size_t i = 0; i < c->n; i++) {
        GMimeStream *st = g_mime_stream_mem_new_with_buffer(c->msg[i], c->len[i]);
        GMimeParser *p = g_mime_parser_new_with_stream(st);
        GMimeMessage *m = g_mime_parser_construct_message(p, NULL);
        if (!m) {
            fprintf(stderr, "mail: GMime cannot parse message %zu\n", i);
            exit(1);
        }
        g_object_unref(m);
        g_object_unref(p);
        g_object_unref(st);
    }
    return (double)c->n / (now() - t0);
}

static void sql(sqlite3 *db, const char *q)
{
    char *err = NULL;
    if (sqlite3_exec(db, q, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "mail: %s: %s\n", q, err ? err : "?");
        exit(1);
    }
}

/*
 * Limit 2: SQLite alone, with desk's writer settings (WAL, synchronous=FULL):
 * messages/s when each message is one row holding its raw bytes and its text
 * (what storing it needs at the least), committed `per_commit` messages at a
 * time as the group commit does with that many writers.
 */
static double limit_store(const struct corpus *c, const char *dir, size_t per_commit)
{
    char path[4096];
    sqlite3 *db;
    sqlite3_stmt *st;
    snprintf(path, sizeof(path), "%s/limit.db", dir);
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        fprintf(stderr, "mail: cannot open %s\n", path);
        exit(1);
    }
    sql(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536;"
            "CREATE TABLE m (id INTEGER PRIMARY KEY, message_id TEXT UNIQUE, raw BLOB, body TEXT)");
    sqlite3_prepare_v2(db, "INSERT INTO m (message_id, raw, body) VALUES (?, ?, ?)", -1, &st, NULL);
    double t0 = now();
    for (size_t i = 0; i < c->n; i++) {
        if (i % per_commit == 0) {
            sql(db, "BEGIN IMMEDIATE");
        }
        char mid[64];
        const char *body = strstr(c->msg[i], "\r\n\r\n");
        snprintf(mid, sizeof(mid), "bench-%zu@example.org", i);
        sqlite3_bind_text(st, 1, mid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob(st, 2, c->msg[i], (int)c->len[i], SQLITE_STATIC);
        sqlite3_bind_text(st, 3, body ? body + 4 : "", -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            fprintf(stderr, "mail: insert: %s\n", sqlite3_errmsg(db));
            exit(1);
        }
        sqlite3_reset(st);
        if ((i + 1) % per_commit == 0 || i + 1 == c->n) {
            sql(db, "COMMIT");
        }
    }
    double rate = (double)c->n / (now() - t0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rate;
}

int main(int argc, char **argv)
{
    size_t n = 6000, threads = 4, files = 300;
    const char *db = NULL, *dir = NULL, *limits = NULL, *prefix = "mail";
    bool text_heavy = false;
    int opt;
    /* The same heap settings as the desk binary (src/main.c). */
    mallopt(M_TRIM_THRESHOLD, 16 << 20);
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    while ((opt = getopt(argc, argv, "n:t:d:o:f:l:c:")) != -1) {
        switch (opt) {
        case 'n':
            n = (size_t)strtoul(optarg, NULL, 10);
            break;
        case 't':
            threads = (size_t)strtoul(optarg, NULL, 10);
            break;
        case 'd':
            db = optarg;
            break;
        case 'o':
            dir = optarg;
            break;
        case 'f':
            files = (size_t)strtoul(optarg, NULL, 10);
            break;
        case 'l':
            limits = optarg;
            break;
        case 'c':
            text_heavy = strcmp(optarg, "text") == 0;
            prefix = text_heavy ? "mail_textheavy" : "mail";
            break;
        default:
            fprintf(stderr, "usage: mail -d DB [-n MESSAGES] [-t THREADS] [-o DIR -f FILES] [-l "
                            "LIMIT_DIR] [-c typical|text]\n");
            return 2;
        }
    }
    if (!db || !n || !threads || threads > 64) {
        fprintf(stderr, "usage: mail -d DB [-n MESSAGES] [-t THREADS] [-o DIR -f FILES] [-l "
                        "LIMIT_DIR] [-c typical|text]\n");
        return 2;
    }
    struct corpus c = {calloc(n + files, sizeof(char *)), calloc(n + files, sizeof(size_t)), n};
    size_t bytes = 0, with_files = 0;
    for (size_t i = 0; i < n + files; i++) {
        (text_heavy ? make_text : make_typical)(i, &c.msg[i], &c.len[i]);
        if (i < n) {
            bytes += c.len[i];
            with_files += i % 5 == 0;
        }
    }
    struct desk_app *app;
    if (desk_app_open(db, &app) != 0) {
        fprintf(stderr, "mail: cannot open %s\n", db);
        return 1;
    }
    /* Warm up (profiles, ICU, GMime) outside the measured run. */
    struct worker warm = {.app = app, .c = &c, .from = 0, .to = 0};
    work(&warm);
    struct worker w[64];
    pthread_t tid[64];
    struct desk_store_stats st0, st1;
    desk_store_stats(desk_app_store(app), &st0);
    double cpu0 = process_cpu(), t0 = now();
    for (size_t k = 0; k < threads; k++) {
        w[k] = (struct worker){
            .app = app, .c = &c, .from = n * k / threads, .to = n * (k + 1) / threads};
        pthread_create(&tid[k], NULL, work, &w[k]);
    }
    size_t outcomes[5] = {0};
    int failures = 0;
    for (size_t k = 0; k < threads; k++) {
        pthread_join(tid[k], NULL);
        for (int o = 0; o < 5; o++) {
            outcomes[o] += w[k].outcomes[o];
        }
        failures += w[k].failures;
    }
    double secs = now() - t0, cpu = process_cpu() - cpu0, worker_cpu = 0;
    desk_store_stats(desk_app_store(app), &st1);
    for (size_t k = 0; k < threads; k++) {
        worker_cpu += w[k].cpu;
    }
    desk_app_close(app);
    printf("%s_corpus_messages %zu messages\n", prefix, n);
    printf("%s_corpus_mean_size %.0f bytes\n", prefix, (double)bytes / (double)n);
    printf("%s_corpus_with_attachment %zu messages\n", prefix, with_files);
    printf("%s_inprocess_threads %zu threads\n", prefix, threads);
    printf("%s_inprocess_created %zu tickets\n", prefix, outcomes[DESK_MAIL_CREATED]);
    printf("%s_inprocess_threaded %zu comments\n", prefix, outcomes[DESK_MAIL_UPDATED]);
    printf("%s_inprocess_failed %d messages\n", prefix,
           failures + (int)outcomes[DESK_MAIL_SUSPENDED]);
    printf("%s_inprocess_seconds %.2f s\n", prefix, secs);
    /* How many messages shared each commit (and so each fsync) of the store's writer. */
    if (st1.batches > st0.batches) {
        printf("%s_inprocess_writes_per_commit %.2f writes\n", prefix,
               (double)(st1.writes - st0.writes) / (double)(st1.batches - st0.batches));
    }
    printf("%s_inprocess_rate %.0f msgs/s\n", prefix, (double)n / secs);
    /* CPU per message: the process, and the share not on the ingesting threads (the store's
     * writer thread, which runs one write at a time, and its checkpointer). On a machine
     * others use too, these say more than the rate: 2 cores give at most 2 / cpu and
     * 1 / writer messages/s. */
    printf("%s_inprocess_cpu_per_msg %.3f ms\n", prefix, cpu * 1e3 / (double)n);
    printf("%s_inprocess_writer_cpu_per_msg %.3f ms\n", prefix,
           (cpu - worker_cpu) * 1e3 / (double)n);
    double bound = 2.0 / (cpu / (double)n), wbound = (double)n / (cpu - worker_cpu);
    printf("%s_inprocess_2core_bound %.0f msgs/s\n", prefix, bound < wbound ? bound : wbound);
    if (limits) {
        double parse = limit_parse(&c);
        double store = limit_store(&c, limits, threads);
        printf("%s_limit_gmime_parse_rate %.0f msgs/s\n", prefix, parse);
        printf("%s_limit_sqlite_store_rate %.0f msgs/s\n", prefix, store);
        printf("%s_inprocess_share_of_sqlite_store %.2f ratio\n", prefix, (double)n / secs / store);
    }
    /* The rest of the corpus, as files for the mailgate run. */
    for (size_t i = 0; dir && i < files; i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%05zu.eml", dir, i);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(c.msg[n + i], 1, c.len[n + i], f) != c.len[n + i]) {
            fprintf(stderr, "mail: cannot write %s\n", path);
            return 1;
        }
        fclose(f);
    }
    for (size_t i = 0; i < n + files; i++) {
        free(c.msg[i]);
    }
    free(c.msg);
    free(c.len);
    return failures ? 1 : 0;
}
