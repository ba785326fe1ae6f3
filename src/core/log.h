/*
 * Logging: one line per event on stderr, "key=value" pairs after a
 * timestamp and level, written with a single write(2) so that lines from
 * different threads never interleave. Never pass secrets or bodies here.
 */
#ifndef DESK_CORE_LOG_H
#define DESK_CORE_LOG_H

enum desk_log_level { DESK_LOG_DEBUG, DESK_LOG_INFO, DESK_LOG_WARN, DESK_LOG_ERROR };

/* Lines below level are dropped. Default DESK_LOG_INFO. */
void desk_log_set_level(enum desk_log_level level);

/* Writes "ts=... level=... " followed by the formatted pairs and a newline. */
void desk_log(enum desk_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
