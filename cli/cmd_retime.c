/* weft retime IN -o OUT (--fps R | --factor N) [--speed S]: a video (or image sequence) at
 * a new frame rate, through the library's stream API (weft_send_picture/weft_get_picture).
 * Audio is copied: retiming changes the frame rate, not the duration. With --speed or
 * --curve the duration changes, so audio is dropped with a notice, or with --audio stretch
 * follows a constant --speed through atempo (audio_stretch.c); either alone keeps the
 * input's rate (it is passed to the library as fps). */
#include <string.h>

#include "audio_stretch.h"
#include "progress.h"
#include "video_in.h"
#include "video_out.h"

typedef struct Retime {
    Cli *cli;
    VideoInput in;
    VideoOutput out;
    WeftContext *ctx;
    Progress progress;
    AudioStretch audio; /* --audio stretch with a --speed */
    int64_t last_pts; /* of the last picture sent, AV_NOPTS_VALUE before the first */
    int audio_dropped_noted;
} Retime;

static int copy_other_packet(void *opaque, AVPacket *packet)
{
    Retime *r = opaque;
    return video_output_copy_packet(r->cli, &r->out, packet);
}

/* --speed or --curve: the duration changes */
static int has_speed(const WeftSettings *s)
{
    return (s->speed.num > 0 && s->speed.num != s->speed.den) || s->curve[0];
}

/* With a speed change the duration changes: copied audio would fall out of sync, so it is
 * dropped (once noted) rather than kept wrong. */
static int drop_other_packet(void *opaque, AVPacket *packet)
{
    Retime *r = opaque;
    (void)packet;
    if (!r->audio_dropped_noted) {
        cli_note(r->cli, "--speed/--curve change the duration: %s of '%s' are left out",
                 r->audio.in_index >= 0 ? "the streams other than the stretched audio"
                                        : "audio and subtitles",
                 r->in.path);
        r->audio_dropped_noted = 1;
    }
    return 0;
}

/* --audio drop: nothing of the other streams is kept. */
static int skip_other_packet(void *opaque, AVPacket *packet)
{
    (void)opaque;
    (void)packet;
    return 0;
}

static int stretch_other_packet(void *opaque, AVPacket *packet)
{
    Retime *r = opaque;
    if (packet->stream_index != r->audio.in_index)
        return drop_other_packet(opaque, packet); /* other audio, subtitles: noted, left out */
    return audio_stretch_packet(r->cli, &r->audio, &r->out, packet);
}

/* Which of the other streams' handlers applies; sets up the stretch (after the output is
 * created, before its header). */
static int choose_other_packet(Retime *r)
{
    Cli *cli = r->cli;
    const WeftSettings *s = &cli->settings;
    r->in.other_opaque = r;
    r->in.other_packet = has_speed(s) ? drop_other_packet : copy_other_packet;
    if (cli->audio == CLI_AUDIO_DROP) {
        r->in.other_packet = skip_other_packet;
    } else if (cli->audio == CLI_AUDIO_STRETCH && has_speed(s)) {
        if (s->curve[0])
            return cli_error(cli, "--audio stretch follows a constant --speed, not a --curve");
        const AVStream *v = r->in.stream;
        double start = v->start_time != AV_NOPTS_VALUE ? v->start_time * av_q2d(v->time_base) : 0;
        if (audio_stretch_open(cli, &r->audio, r->in.format, start, s->speed, &r->out) < 0)
            return 1;
        r->in.other_packet = stretch_other_packet;
    }
    return 0;
}

/* --speed or --curve alone: the output keeps the input's rate (the library needs an fps to
 * map); --dup smooth/drop without --fps: the input's rate x --factor (merged repeats leave
 * no source interval to divide). */
static int speed_rate(Retime *r, int factor)
{
    AVRational in_rate = r->in.stream->r_frame_rate;
    if (in_rate.num <= 0 || in_rate.den <= 0)
        in_rate = r->in.stream->avg_frame_rate;
    if (in_rate.num <= 0 || in_rate.den <= 0)
        return cli_error(r->cli, "'%s' has no known frame rate: give --fps with --speed/--curve",
                         r->in.path);
    AVRational rate = av_mul_q(in_rate, (AVRational){factor, 1});
    r->cli->settings.fps = (WeftRational){rate.num, rate.den};
    return 0;
}

static int needs_rate(const Cli *cli)
{
    return (has_speed(&cli->settings) || cli->settings.dup != WEFT_DUP_KEEP) &&
           !(cli->rate_given & 1);
}

/* Encodes every picture the library has ready. Returns 0 when it needs more input, 1 at the
 * end of the stream, or a negative error (reported). */
static int drain(Retime *r)
{
    for (;;) {
        WeftPicture pic;
        int err = weft_get_picture(r->ctx, &pic);
        if (err == -EAGAIN)
            return 0;
        if (err == WEFT_EOF)
            return 1;
        if (err < 0) {
            cli_library_error(r->cli, err, "cannot make pictures for '%s'", r->out.path);
            return err;
        }
        /* the encoder runs in the library's output time base; rescale in case it was
         * written in other (equal) terms */
        AVRational from = {(int)pic.time_base.num, (int)pic.time_base.den};
        pic.pts = av_rescale_q(pic.pts, from, r->out.encoder->time_base);
        err = video_output_write(r->cli, &r->out, &pic);
        weft_picture_unref(&pic);
        if (err < 0)
            return err;
        progress_update(r->cli, &r->progress, r->out.frames_written);
    }
}

/* Sends one picture (NULL: the end), encoding output whenever the library asks for room. */
static int send(Retime *r, const WeftPicture *pic)
{
    for (;;) {
        int err = weft_send_picture(r->ctx, pic);
        if (err == -EAGAIN) {
            if ((err = drain(r)) < 0)
                return err;
            continue;
        }
        if (err < 0) {
            cli_library_error(r->cli, err, "cannot retime '%s'", r->in.path);
            return err;
        }
        return drain(r) < 0 ? -1 : 0;
    }
}

static int send_frame(Retime *r, const AVFrame *frame)
{
    if (r->last_pts != AV_NOPTS_VALUE && frame->pts <= r->last_pts) {
        /* the library needs strictly increasing times; a repeated stamp is a broken file */
        cli_verbose(r->cli, 1, "'%s': dropping a picture at pts %lld (not after %lld)", r->in.path,
                    (long long)frame->pts, (long long)r->last_pts);
        return 0;
    }
    WeftPicture pic;
    pixfmt_wrap_frame(frame, &pic);
    pic.pts = frame->pts;
    pic.duration = frame->pkt_duration > 0 ? frame->pkt_duration : 0;
    pic.time_base = (WeftRational){r->in.stream->time_base.num, r->in.stream->time_base.den};
    r->last_pts = frame->pts;
    return send(r, &pic);
}

/* The output's time base and nominal rate, as the stream API defines them. */
static int output_timing(Retime *r, AVRational *time_base, AVRational *rate)
{
    const WeftSettings *s = &r->cli->settings;
    if (s->fps.num > 0) {
        *rate = (AVRational){(int)s->fps.num, (int)s->fps.den};
        *time_base = av_inv_q(*rate);
        return 0;
    }
    /* r_frame_rate is the base rate (exact, e.g. 24000/1001); avg_frame_rate can be a
     * rounded average of millisecond timestamps */
    AVRational in_rate = r->in.stream->r_frame_rate;
    if (in_rate.num <= 0 || in_rate.den <= 0)
        in_rate = r->in.stream->avg_frame_rate;
    AVRational tb = r->in.stream->time_base;
    int64_t den = (int64_t)tb.den * s->factor;
    if (den > INT32_MAX) {
        cli_error(r->cli, "'%s': its time base 1/%d is too fine for --factor %d", r->in.path,
                  tb.den, s->factor);
        return AVERROR(ERANGE);
    }
    av_reduce(&time_base->num, &time_base->den, tb.num, den, INT32_MAX);
    if (in_rate.num > 0 && in_rate.den > 0)
        *rate = av_mul_q(in_rate, (AVRational){s->factor, 1});
    else
        *rate = (AVRational){0, 1};
    return 0;
}

static int64_t expected_frames(const Retime *r, AVRational rate)
{
    const AVFormatContext *f = r->in.format;
    double seconds = 0;
    if (r->in.stream->duration > 0)
        seconds = (double)r->in.stream->duration * av_q2d(r->in.stream->time_base);
    else if (f->duration > 0)
        seconds = (double)f->duration / AV_TIME_BASE;
    return rate.num > 0 ? (int64_t)(seconds * av_q2d(rate) + 0.5) : 0;
}

static int start_output(Retime *r, const AVFrame *first)
{
    VideoOutputParams params = {
        .width = first->width,
        .height = first->height,
        .format = pixfmt_to_weft(first->format),
        .sample_aspect_ratio = r->in.stream->sample_aspect_ratio.num
                                   ? r->in.stream->sample_aspect_ratio
                                   : first->sample_aspect_ratio,
        .codec_name = r->cli->video_codec,
        .crf = r->cli->crf,
        .source = r->in.stream,
        .first_frame = first,
    };
    pixfmt_color_from_frame(first, &params.color);
    int err = output_timing(r, &params.time_base, &params.frame_rate);
    if (err < 0)
        return err;
    if ((err = video_output_start(r->cli, &r->out, &params)) < 0)
        return err;
    progress_start(r->cli, &r->progress, expected_frames(r, params.frame_rate));
    return 0;
}

int cmd_retime(Cli *cli)
{
    /* neither --fps nor --factor: the library's default factor (its settings table) */
    if (cli->rate_given == 3)
        return cli_error(cli, "give --fps or --factor, not both");
    if (cli->rate_given == 2)
        cli->settings.fps = (WeftRational){0, 0};
    if (has_speed(&cli->settings) && cli->rate_given == 2)
        return cli_error(cli, "--speed and --curve work with --fps (or alone), not with --factor");

    Retime r;
    memset(&r, 0, sizeof(r));
    r.cli = cli;
    r.last_pts = AV_NOPTS_VALUE;
    r.audio.in_index = -1;
    int status = 1, err;
    AVFrame *frame = NULL;
    if (video_input_open(cli, &r.in, cli->inputs[0], WEFT_PIX_NONE, cli->input_rate, 0) < 0 ||
        video_output_create(cli, &r.out, cli->output, r.in.format,
                            !has_speed(&cli->settings) && cli->audio != CLI_AUDIO_DROP) < 0 ||
        choose_other_packet(&r) ||
        (needs_rate(cli) && speed_rate(&r, has_speed(&cli->settings) ? 1 : cli->settings.factor)) ||
        cli_open_context(cli, &r.ctx) ||
        ((cli->settings.stabilize || cli->settings.camera == WEFT_CAMERA_SMOOTH) &&
         cli_stabilize_analyse(cli, r.ctx) < 0))
        goto done;

    err = video_input_read(cli, &r.in, &frame);
    if (err == AVERROR_EOF) {
        if (r.in.skipped)
            cli_error(cli, "cannot decode '%s': invalid data (no undamaged picture)", r.in.path);
        else
            cli_error(cli, "'%s' has no pictures", r.in.path);
        goto done;
    }
    if (err < 0 || start_output(&r, frame) < 0)
        goto done;
    while (err >= 0) {
        if (send_frame(&r, frame) < 0)
            goto done;
        err = video_input_read(cli, &r.in, &frame);
        if (err < 0 && err != AVERROR_EOF)
            goto done;
        /* a changed size mid-stream would need a new context; say so plainly */
        if (err >= 0 &&
            (frame->width != r.out.frame->width || frame->height != r.out.frame->height)) {
            cli_error(cli, "'%s' changes picture size mid-stream (%dx%d to %dx%d)", r.in.path,
                      r.out.frame->width, r.out.frame->height, frame->width, frame->height);
            goto done;
        }
    }
    if (send(&r, NULL) < 0)
        goto done;
    err = drain(&r);
    if (err == 0) {
        /* more input asked for after the end: the library has nothing more to give */
        cli_error(cli, "the library stopped before the end of '%s'", r.in.path);
        goto done;
    }
    if (err < 0 || audio_stretch_finish(cli, &r.audio, &r.out) < 0 ||
        video_output_finish(cli, &r.out) < 0)
        goto done;
    progress_finish(cli, &r.progress, r.out.frames_written);
    if (r.in.skipped)
        cli_note(cli,
                 "'%s': %d damaged pictures were left out (the pictures around them were "
                 "used instead)",
                 r.in.path, r.in.skipped);
    cli_verbose(cli, 1, "wrote %lld pictures to '%s'", (long long)r.out.frames_written,
                cli->output);
    status = 0;
done:
    weft_close(&r.ctx);
    audio_stretch_close(&r.audio);
    video_output_close(&r.out);
    video_input_close(&r.in);
    return status;
}
