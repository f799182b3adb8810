/* The progress line of long commands: frames, speed and time left, redrawn in place on a
 * terminal (only when stderr is one). */
#ifndef WEFT_CLI_PROGRESS_H
#define WEFT_CLI_PROGRESS_H

#include <stdint.h>

#include "cli.h"

typedef struct Progress {
    int enabled;
    int64_t start_us, last_draw_us;
    int64_t total_frames; /* 0 = unknown */
} Progress;

void progress_start(Cli *cli, Progress *p, int64_t total_frames);
/* Redraws at most a few times a second. */
void progress_update(Cli *cli, Progress *p, int64_t frames);
/* Draws the final state and ends the line. */
void progress_finish(Cli *cli, Progress *p, int64_t frames);

#endif
