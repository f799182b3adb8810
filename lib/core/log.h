/* Logging: a small object passed everywhere (as libplacebo's pl_log), carrying the user's
 * callback and level. A NULL Log writes nothing. */
#ifndef WEFT_CORE_LOG_H
#define WEFT_CORE_LOG_H

#include <errno.h>

#include "weft/weft.h"

typedef struct Log {
    void (*callback)(void *opaque, int level, const char *msg); /* NULL: stderr */
    void *opaque;
    int level;
} Log;

#if defined(__GNUC__)
#define WEFT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define WEFT_PRINTF(a, b)
#endif

void log_msg(const Log *log, int level, const char *fmt, ...) WEFT_PRINTF(3, 4);

#define log_error(log, ...) log_msg(log, WEFT_LOG_ERROR, __VA_ARGS__)
#define log_warn(log, ...) log_msg(log, WEFT_LOG_WARNING, __VA_ARGS__)
#define log_info(log, ...) log_msg(log, WEFT_LOG_INFO, __VA_ARGS__)
#define log_verbose(log, ...) log_msg(log, WEFT_LOG_VERBOSE, __VA_ARGS__)
#define log_debug(log, ...) log_msg(log, WEFT_LOG_DEBUG, __VA_ARGS__)

/* Argument check at an entry point: logs the failed condition and returns -EINVAL
 * (as dav1d's validate_input). */
#define CHECK_ARG(log, cond)                                                               \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            log_error(log, "%s: invalid argument: '%s' is false", __func__, #cond);        \
            return -EINVAL;                                                                \
        }                                                                                  \
    } while (0)

#endif
