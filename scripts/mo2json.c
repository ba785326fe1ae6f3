/*
 * Build tool: turns a gettext .mo catalog (compiled and checked by msgfmt)
 * into the JSON the web console reads: {"language", "plural_forms",
 * "messages": {msgid: msgstr | [msgstr[0], ...]}}. Contexts are joined to
 * the msgid with "\u0004", as gettext does. Usage: mo2json LANG FILE.mo.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *data;
static size_t size;
static int swap;

static uint32_t u32(size_t off)
{
    if (off + 4 > size) {
        fprintf(stderr, "mo2json: truncated catalog\n");
        exit(1);
    }
    uint32_t v;
    memcpy(&v, data + off, 4);
    return swap ? __builtin_bswap32(v) : v;
}

static void put_str(const unsigned char *s, size_t n)
{
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (c == '"' || c == '\\') {
            printf("\\%c", c);
        } else if (c == '\n') {
            printf("\\n");
        } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            printf("\\u%04x", c);
        } else {
            putchar(c);
        }
    }
    putchar('"');
}

/* Writes the n bytes at s, which hold NUL-separated strings, as a string or an array. */
static void put_value(const unsigned char *s, size_t n, int plural)
{
    if (!plural) {
        put_str(s, n);
        return;
    }
    putchar('[');
    size_t start = 0;
    int k = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '\0') {
            if (k++) {
                putchar(',');
            }
            put_str(s + start, i - start);
            start = i + 1;
        }
    }
    putchar(']');
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: mo2json LANG FILE.mo\n");
        return 2;
    }
    FILE *f = fopen(argv[2], "rb");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = malloc((size_t)len + 1);
    if (!data || fread(data, 1, (size_t)len, f) != (size_t)len) {
        fprintf(stderr, "mo2json: cannot read %s\n", argv[2]);
        return 1;
    }
    fclose(f);
    size = (size_t)len;
    uint32_t magic;
    memcpy(&magic, data, 4);
    if (magic == 0x950412de) {
        swap = 0;
    } else if (magic == 0xde120495) {
        swap = 1;
    } else {
        fprintf(stderr, "mo2json: %s is not a .mo file\n", argv[2]);
        return 1;
    }
    uint32_t n = u32(8), orig = u32(12), trans = u32(16);
    const char *plural = "nplurals=2; plural=(n != 1);";
    char pf[256];
    printf("{\"language\":");
    put_str((const unsigned char *)argv[1], strlen(argv[1]));
    printf(",\"messages\":{");
    int first = 1;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t ol = u32(orig + i * 8), oo = u32(orig + i * 8 + 4);
        uint32_t tl = u32(trans + i * 8), to = u32(trans + i * 8 + 4);
        if ((size_t)oo + ol > size || (size_t)to + tl > size) {
            fprintf(stderr, "mo2json: bad offsets\n");
            return 1;
        }
        if (ol == 0) {
            /* The header: find Plural-Forms. */
            const char *h = (const char *)data + to, *p = strstr(h, "Plural-Forms:");
            if (p) {
                p += strlen("Plural-Forms:");
                while (*p == ' ') {
                    p++;
                }
                size_t k = strcspn(p, "\n");
                if (k >= sizeof(pf)) {
                    k = sizeof(pf) - 1;
                }
                memcpy(pf, p, k);
                pf[k] = '\0';
                plural = pf;
            }
            continue;
        }
        size_t idlen = strnlen((const char *)data + oo, ol);
        int is_plural = idlen < ol;
        if (!first) {
            putchar(',');
        }
        first = 0;
        put_str(data + oo, idlen);
        putchar(':');
        put_value(data + to, tl, is_plural);
    }
    printf("},\"plural_forms\":");
    put_str((const unsigned char *)plural, strlen(plural));
    printf("}\n");
    free(data);
    return 0;
}
