/*
 * Benchmark of the text signals (model/signals.h): analyzes the labelled
 * messages of tests/unit/model/data/signals/ (and the same messages
 * repeated into a 4 KiB email-sized text) for about a second each and
 * prints "name value unit" lines. Scoring runs inside each customer's
 * ticket write, so bench/signals.sh compares its rate with the ingest rate.
 */
#include "core/arena.h"
#include "model/signals.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_MSGS 1024

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t load(const char *dir, char **msgs)
{
    static const char *const files[] = {"dev_en", "dev_es", "dev_cs", "dev_pl"};
    size_t n = 0;
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char path[512], line[2048];
        snprintf(path, sizeof(path), "%s/%s.tsv", dir, files[i]);
        FILE *f = fopen(path, "r");
        if (!f) {
            fprintf(stderr, "bench signals: cannot read %s\n", path);
            exit(1);
        }
        while (fgets(line, sizeof(line), f) && n < MAX_MSGS) {
            char *text = line;
            for (int tabs = 0; tabs < 3 && text; tabs++) {
                text = strchr(text, '\t');
                text = text ? text + 1 : NULL;
            }
            if (line[0] == '#' || !text) {
                continue;
            }
            text[strcspn(text, "\n")] = '\0';
            msgs[n++] = strdup(text);
        }
        fclose(f);
    }
    return n;
}

/* Messages per second over about a second of repeated analysis. */
static double rate(char **msgs, size_t n)
{
    struct desk_arena a;
    struct desk_signals s;
    size_t done = 0;
    double t0 = now_s(), t;
    desk_arena_init(&a);
    do {
        for (size_t i = 0; i < n; i++) {
            if (i) {
                desk_arena_release(&a);
            }
            if (desk_signals_analyze(&a, msgs[i], strlen(msgs[i]), &s) != 0) {
                fprintf(stderr, "bench signals: analysis failed\n");
                exit(1);
            }
        }
        done += n;
        desk_arena_release(&a); /* one arena per message, as one per request */
        t = now_s();
    } while (t - t0 < 1.0);
    return (double)done / (t - t0);
}

int main(int argc, char **argv)
{
    char *msgs[MAX_MSGS];
    /* A long-running server keeps its heap; do not time pages going back to the kernel. */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    size_t n = load(argc > 1 ? argv[1] : "tests/unit/model/data/signals", msgs);
    char *big = malloc(4097), *one[1] = {big};
    size_t len = 0;
    for (size_t i = 0; len < 4000; i = (i + 1) % n) {
        size_t l = strlen(msgs[i]);
        if (len + l + 2 > 4096) {
            break;
        }
        memcpy(big + len, msgs[i], l);
        len += l;
        big[len++] = '\n';
    }
    big[len] = '\0';
    rate(msgs, n); /* warm-up: ICU data, lexicon index */
    printf("signals_message_rate %.0f messages/s\n", rate(msgs, n));
    printf("signals_4k_rate %.0f messages/s\n", rate(one, 1));
    for (size_t i = 0; i < n; i++) {
        free(msgs[i]);
    }
    free(big);
    return 0;
}
