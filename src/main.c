/*
 * The desk binary: everything happens in cli/.
 */
#include "cli/cli.h"

#include <malloc.h>

int main(int argc, char **argv)
{
    /* Every request and message allocates and frees a few hundred KB on its own thread.
     * glibc hands free memory at the top of a thread's heap back to the kernel (madvise,
     * a TLB shootdown on every core) as soon as 128 KB are free, and serves blocks over
     * 128 KB with mmap/munmap: keep up to 16 MB per heap and serve up to 4 MB from it. */
    mallopt(M_TRIM_THRESHOLD, 16 << 20);
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    return desk_cli_main(argc, argv);
}
