/* A log callback for unit tests of the public API: counts error lines, counts lines that
 * contain an expected phrase (when one is set) and keeps the last line, so a test can check
 * that a refused call said why. Zero-initialise, optionally set `match`, pass as log_opaque. */
#ifndef WEFT_TESTS_LOG_CAPTURE_H
#define WEFT_TESTS_LOG_CAPTURE_H

#include <stdio.h>
#include <string.h>

#include "weft/weft.h"

typedef struct LogCapture {
    const char *match; /* phrase to count, or NULL */
    int errors;        /* lines at WEFT_LOG_ERROR */
    int matches;       /* lines containing `match` */
    char last[512];
} LogCapture;

static void capture_log(void *opaque, int level, const char *msg)
{
    LogCapture *capture = opaque;
    if (!msg)
        msg = "(null)";
    if (level == WEFT_LOG_ERROR)
        capture->errors++;
    if (capture->match && strstr(msg, capture->match))
        capture->matches++;
    snprintf(capture->last, sizeof(capture->last), "%s", msg);
}

#endif
