/*
 * Runs a libFuzzer target over files named on the command line, without
 * libFuzzer: the corpus becomes a regression test in every build (and under
 * the sanitizers with `make asan`).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        static uint8_t buf[1 << 20];
        size_t n = fread(buf, 1, sizeof(buf), f);
        fclose(f);
        uint8_t *copy = malloc(n ? n : 1); /* exact size, so overreads are caught */
        for (size_t k = 0; k < n; k++) {
            copy[k] = buf[k];
        }
        LLVMFuzzerTestOneInput(copy, n);
        free(copy);
    }
    return 0;
}
