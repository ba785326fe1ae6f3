/*
 * Fuzz target: a due time as a person types it — "ZONE\nLOCAL" where ZONE
 * is the time_zone field and LOCAL the due_local field of a commitment —
 * through zone validation, local-time parsing and the ICU conversions both
 * ways. A parsed time that converts must convert back to a valid wall time.
 */
#include "model/wallclock.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *nl = memchr(data, '\n', size);
    size_t zlen = nl ? (size_t)(nl - (const char *)data) : size;
    char *zone = malloc(zlen + 1);
    memcpy(zone, data, zlen);
    zone[zlen] = '\0';
    const char *local = nl ? nl + 1 : "";
    size_t llen = nl ? size - zlen - 1 : 0;
    struct desk_wall w, back;
    int64_t ms;
    int off;
    enum desk_wall_fit fit;
    (void)desk_tz_valid(zone);
    if (desk_wall_parse(local, llen, &w) == 0 && desk_wall_to_utc(&w, zone, &ms, &fit) == 0) {
        if (desk_wall_from_utc(ms, zone, &back, &off) != 0 || back.month < 1 || back.month > 12 ||
            back.hour < 0 || back.hour > 23) {
            abort();
        }
        if (fit == DESK_WALL_EXACT && memcmp(&w, &back, sizeof(w)) != 0) {
            abort(); /* an existing wall time must round-trip */
        }
        char out[20], offs[7];
        desk_wall_format(&back, out);
        desk_wall_offset_format(off, offs);
    }
    free(zone);
    return 0;
}
