/* weft stabilize IN -o OUT [--smooth N] [--path gauss|l1|tripod] [--border crop|adaptive|fill]:
 * the camera of a video held still or moved smoothly. Two passes over the input in one
 * command: the first measures the camera path (weft_stabilize_analyse), the second renders
 * through the stream API, which is retime's (at the input's rate: each output picture is
 * one source picture, stabilised). retime --stabilize runs the same first pass. */
#include <string.h>

#include "progress.h"
#include "video_in.h"

int cli_stabilize_analyse(Cli *cli, WeftContext *ctx)
{
    if (!strcmp(cli->inputs[0], "-"))
        return cli_error(cli, "stabilize reads its input twice: give a file, not standard input");
    VideoInput in;
    Progress progress;
    AVFrame *frame = NULL;
    int status = -1, err;
    if (video_input_open(cli, &in, cli->inputs[0], WEFT_PIX_NONE, cli->input_rate, 0) < 0)
        goto done;
    cli_verbose(cli, 1, "'%s': measuring the camera path", in.path);
    progress_start(cli, &progress, 0);
    int64_t count = 0;
    while ((err = video_input_read(cli, &in, &frame)) >= 0) {
        WeftPicture pic;
        pixfmt_wrap_frame(frame, &pic);
        pic.pts = frame->pts;
        pic.time_base = (WeftRational){in.stream->time_base.num, in.stream->time_base.den};
        if ((err = weft_stabilize_analyse(ctx, &pic)) < 0) {
            cli_library_error(cli, err, "cannot stabilise '%s'", in.path);
            goto done;
        }
        progress_update(cli, &progress, ++count);
    }
    if (err != AVERROR_EOF)
        goto done;
    if (count == 0) {
        cli_error(cli, "'%s' has no pictures", in.path);
        goto done;
    }
    if ((err = weft_stabilize_analyse(ctx, NULL)) < 0) {
        cli_library_error(cli, err, "cannot stabilise '%s'", in.path);
        goto done;
    }
    progress_finish(cli, &progress, count);
    status = 0;
done:
    video_input_close(&in);
    return status;
}

int cmd_stabilize(Cli *cli)
{
    /* one output picture per source picture, at the source's times */
    cli->settings.stabilize = 1;
    cli->settings.factor = 1;
    cli->settings.fps = (WeftRational){0, 0};
    cli->rate_given = 2;
    return cmd_retime(cli);
}
