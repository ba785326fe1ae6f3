/*
 * The log sink. Lines are capped at 2 KiB; longer ones are cut rather than
 * split, so a line is always one event.
 */
#include "core/log.h"
#include "core/time.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static enum desk_log_level min_level = DESK_LOG_INFO;

void desk_log_set_level(enum desk_log_level level)
{
    min_level = level;
}

void desk_log(enum desk_log_level level, const char *fmt, ...)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    char line[2048];
    char ts[21];
    if (level < min_level) {
        return;
    }
    desk_time_iso(desk_time_now_ms(), ts);
    int n = snprintf(line, sizeof(line), "ts=%s level=%s ", ts, names[level]);
    va_list ap;
    va_start(ap, fmt);
    /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): ap was just set by va_start */
    int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof(line) - 2) {
        len = sizeof(line) - 2;
    }
    line[len++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}
