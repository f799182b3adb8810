#include <stdarg.h>
#include <stdio.h>

#include "core/log.h"

void log_msg(const Log *log, int level, const char *fmt, ...)
{
    if (!log || level > log->level)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (log->callback) {
        log->callback(log->opaque, level, msg);
    } else {
        static const char *const prefix[] = { "error", "warning", "info", "verbose", "debug" };
        fprintf(stderr, "weft %s: %s\n", prefix[level < 0 ? 0 : level > 4 ? 4 : level], msg);
    }
}
