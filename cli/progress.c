/* The progress line: "frame 120/240  37.5 fps  ETA 0:03", redrawn with a carriage return. */
#include <stdio.h>
#include <unistd.h>

#include <libavutil/time.h>

#include "progress.h"

#define REDRAW_INTERVAL_US 250000

void progress_start(Cli *cli, Progress *p, int64_t total_frames)
{
    p->enabled = isatty(STDERR_FILENO) && !cli->verbose;
    p->start_us = av_gettime_relative();
    p->last_draw_us = 0;
    p->total_frames = total_frames > 0 ? total_frames : 0;
}

static void draw(Cli *cli, Progress *p, int64_t frames, int64_t now)
{
    double seconds = (double)(now - p->start_us) / 1e6;
    double fps = seconds > 0 ? (double)frames / seconds : 0.0;
    char line[160];
    int n;
    if (p->total_frames > 0) {
        int64_t left = p->total_frames > frames ? p->total_frames - frames : 0;
        int eta = fps > 0 ? (int)((double)left / fps + 0.5) : 0;
        n = snprintf(line, sizeof(line), "frame %lld/%lld  %.1f fps  ETA %d:%02d:%02d",
                     (long long)frames, (long long)p->total_frames, fps, eta / 3600, eta / 60 % 60,
                     eta % 60);
    } else {
        n = snprintf(line, sizeof(line), "frame %lld  %.1f fps", (long long)frames, fps);
    }
    (void)n;
    /* \r and erase-to-end-of-line redraw in place */
    fprintf(stderr, "\r%s\033[K", line);
    fflush(stderr);
    cli->progress_active = 1;
    p->last_draw_us = now;
}

void progress_update(Cli *cli, Progress *p, int64_t frames)
{
    if (!p->enabled)
        return;
    int64_t now = av_gettime_relative();
    if (now - p->last_draw_us >= REDRAW_INTERVAL_US)
        draw(cli, p, frames, now);
}

void progress_finish(Cli *cli, Progress *p, int64_t frames)
{
    if (!p->enabled)
        return;
    draw(cli, p, frames, av_gettime_relative());
    fputc('\n', stderr);
    cli->progress_active = 0;
}
