/*
 * bench/mail: email in, parse and store. Builds a corpus of typical
 * messages (about 5 KB: a few paragraphs in English, Spanish, Czech or
 * Polish, UTF-8 or ISO-8859-2, every fifth with a small attachment, every
 * third a reply to an earlier one) and stores it on a fresh database
 * in-process with desk_mail_ingest from several threads — the same path
 * `desk mailgate` and IMAP polling take — then writes a share of it as
 * .eml files for bench/mail.sh to pipe through `desk mailgate`. With -l DIR
 * it then measures two limits on the same corpus: GMime parsing alone (one
 * thread) and SQLite storing each message as one row with desk's writer
 * settings, as many messages per commit as there are threads.
 * Prints "name value unit" lines.
 */
#include "app/app.h"
#include "mail/mail.h"

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

/* One message: i picks the language, sender, whether it replies and whether it has a file. */
static void make(size_t i, char **out, size_t *out_len)
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
        /* Re-encode the body: the corpus has legacy charsets too. */
        char *tmp = strndup(b + body_start, len - body_start);
        size_t k = body_start;
        for (size_t p = 0; tmp[p];) {
            unsigned char c = (unsigned char)tmp[p];
            if (c < 0x80) {
                b[k++] = (char)c;
                p++;
                continue;
            }
            unsigned cp = ((c & 0x1Fu) << 6) | ((unsigned char)tmp[p + 1] & 0x3Fu);
            p += 2;
            static const struct {
                unsigned cp;
                unsigned char byte;
            } map[] = {{0x159, 0xF8}, {0x11B, 0xEC}, {0x161, 0xB9}, {0x17E, 0xBE}, {0x10D, 0xE8},
                       {0xE1, 0xE1},  {0xED, 0xED},  {0xE9, 0xE9},  {0xFD, 0xFD},  {0xFA, 0xFA},
                       {0x16F, 0xF9}, {0x119, 0xEA}, {0x105, 0xB1}, {0x142, 0xB3}, {0x144, 0xF1},
                       {0x15B, 0xB6}, {0x17C, 0xBF}, {0xF3, 0xF3},  {0x107, 0xE6}, {0x17A, 0xBC},
                       {0x10C, 0xC8}, {0x158, 0xD8}, {0x160, 0xA9}, {0x17D, 0xAE}, {0x141, 0xA3},
                       {0xDA, 0xDA},  {0x15A, 0xA6}, {0x10F, 0xEF}, {0x148, 0xF2}, {0x165, 0xBB}};
            unsigned char out = '?';
            for (size_t m = 0; m < sizeof(map) / sizeof(map[0]); m++) {
                if (map[m].cp == cp) {
                    out = map[m].byte;
                }
            }
            b[k++] = (char)out;
        }
        len = k;
        free(tmp);
    }
    if (attach) {
        add(&b, &len, &cap,
            "\r\n--%s\r\nContent-Type: application/pdf; name=\"invoice-%zu.pdf\"\r\n"
            "Content-Disposition: attachment; filename=\"invoice-%zu.pdf\"\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n",
            boundary, i, i);
        /* About 2.2 KB of base64, unique per message (content-addressed storage dedups). */
        static const char b64[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        unsigned x = (unsigned)i * 2654435761u + 1;
        for (int line = 0; line < 30; line++) {
            char row[77];
            for (int c = 0; c < 76; c++) {
                x = x * 1103515245u + 12345u;
                row[c] = b64[(x >> 16) & 63];
            }
            row[76] = '\0';
            add(&b, &len, &cap, "%s\r\n", row);
        }
        add(&b, &len, &cap, "--%s--\r\n", boundary);
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
    const char *db = NULL, *dir = NULL, *limits = NULL;
    int opt;
    /* The same heap settings as the desk binary (src/main.c). */
    mallopt(M_TRIM_THRESHOLD, 16 << 20);
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    while ((opt = getopt(argc, argv, "n:t:d:o:f:l:")) != -1) {
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
        default:
            fprintf(
                stderr,
                "usage: mail -d DB [-n MESSAGES] [-t THREADS] [-o DIR -f FILES] [-l LIMIT_DIR]\n");
            return 2;
        }
    }
    if (!db || !n || !threads || threads > 64) {
        fprintf(stderr,
                "usage: mail -d DB [-n MESSAGES] [-t THREADS] [-o DIR -f FILES] [-l LIMIT_DIR]\n");
        return 2;
    }
    struct corpus c = {calloc(n + files, sizeof(char *)), calloc(n + files, sizeof(size_t)), n};
    size_t bytes = 0, with_files = 0;
    for (size_t i = 0; i < n + files; i++) {
        make(i, &c.msg[i], &c.len[i]);
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
    for (size_t k = 0; k < threads; k++) {
        worker_cpu += w[k].cpu;
    }
    desk_app_close(app);
    printf("mail_corpus_messages %zu messages\n", n);
    printf("mail_corpus_mean_size %.0f bytes\n", (double)bytes / (double)n);
    printf("mail_corpus_with_attachment %zu messages\n", with_files);
    printf("mail_inprocess_threads %zu threads\n", threads);
    printf("mail_inprocess_created %zu tickets\n", outcomes[DESK_MAIL_CREATED]);
    printf("mail_inprocess_threaded %zu comments\n", outcomes[DESK_MAIL_UPDATED]);
    printf("mail_inprocess_failed %d messages\n", failures + (int)outcomes[DESK_MAIL_SUSPENDED]);
    printf("mail_inprocess_seconds %.2f s\n", secs);
    printf("mail_inprocess_rate %.0f msgs/s\n", (double)n / secs);
    /* CPU per message: the process, and the share not on the ingesting threads (the store's
     * writer thread, which runs one write at a time, and its checkpointer). On a machine
     * others use too, these say more than the rate: 2 cores give at most 2 / cpu and
     * 1 / writer messages/s. */
    printf("mail_inprocess_cpu_per_msg %.3f ms\n", cpu * 1e3 / (double)n);
    printf("mail_inprocess_writer_cpu_per_msg %.3f ms\n", (cpu - worker_cpu) * 1e3 / (double)n);
    double bound = 2.0 / (cpu / (double)n), wbound = (double)n / (cpu - worker_cpu);
    printf("mail_inprocess_2core_bound %.0f msgs/s\n", bound < wbound ? bound : wbound);
    if (limits) {
        double parse = limit_parse(&c);
        double store = limit_store(&c, limits, threads);
        printf("mail_limit_gmime_parse_rate %.0f msgs/s\n", parse);
        printf("mail_limit_sqlite_store_rate %.0f msgs/s\n", store);
        printf("mail_inprocess_share_of_sqlite_store %.2f ratio\n", (double)n / secs / store);
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
