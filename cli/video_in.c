/* Demuxing and decoding the video stream of a file; other streams' packets are handed to a
 * callback (retime copies audio). Pictures come out in a layout weft accepts, converted with
 * libswscale only when the decoder's layout has no weft equivalent. */
#include <string.h>

#include <libavutil/pixdesc.h>

#include "video_in.h"

static int report(Cli *cli, const VideoInput *in, const char *what, int err)
{
    char buf[128];
    if (err == AVERROR_EXIT || cli_interrupted())
        cli_error(cli, "interrupted");
    else
        cli_error(cli, "cannot %s '%s': %s", what, in->path, cli_av_error(err, buf, sizeof(buf)));
    return err < 0 ? err : AVERROR(EINVAL);
}

int video_input_open(Cli *cli, VideoInput *in, const char *path, WeftPixelFormat want,
                     const char *input_rate, int strict)
{
    AVDictionary *options = NULL;
    memset(in, 0, sizeof(*in));
    in->path = path;
    in->next_pts = AV_NOPTS_VALUE;
    int err;
    in->format = avformat_alloc_context();
    if (!in->format)
        return report(cli, in, "open", AVERROR(ENOMEM));
    in->format->interrupt_callback = (AVIOInterruptCB){cli_interrupt_callback, NULL};
    /* the rate of an image sequence or a raw stream, which carry none */
    if (input_rate && (err = av_dict_set(&options, "framerate", input_rate, 0)) < 0)
        return report(cli, in, "open", err);
    /* "-" is standard input (a pipe: y4m, or any format libavformat can probe) */
    const char *url = path;
    if (!strcmp(path, "-")) {
        url = "pipe:0";
        in->path = "standard input";
    }
    err = avformat_open_input(&in->format, url, NULL, &options);
    int rate_unused = av_dict_count(options) > 0;
    av_dict_free(&options);
    if (err < 0)
        return report(cli, in, "open", err); /* frees and NULLs in->format */
    if (rate_unused) {
        cli_error(cli,
                  "'%s' has its own frame rate: --input-rate is only for image sequences "
                  "and raw video",
                  in->path);
        return AVERROR(EINVAL);
    }
    if ((err = avformat_find_stream_info(in->format, NULL)) < 0)
        return report(cli, in, "read", err);
    const AVCodec *codec = NULL;
    int index = av_find_best_stream(in->format, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (index == AVERROR_STREAM_NOT_FOUND) {
        cli_error(cli, "'%s' has no video stream", in->path);
        return AVERROR(EINVAL);
    }
    if (index < 0 || !codec) {
        cli_error(cli, "cannot decode '%s': no decoder for its video", in->path);
        return AVERROR_DECODER_NOT_FOUND;
    }
    in->stream = in->format->streams[index];
    /* the other video streams (cover art, alternate angles) are not read */
    for (unsigned i = 0; i < in->format->nb_streams; i++)
        if ((int)i != index && in->format->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_VIDEO)
            in->format->streams[i]->discard = AVDISCARD_ALL;
    in->decoder = avcodec_alloc_context3(codec);
    in->packet = av_packet_alloc();
    in->decoded = av_frame_alloc();
    in->converted = av_frame_alloc();
    if (!in->decoder || !in->packet || !in->decoded || !in->converted)
        return report(cli, in, "open", AVERROR(ENOMEM));
    if ((err = avcodec_parameters_to_context(in->decoder, in->stream->codecpar)) < 0)
        return report(cli, in, "decode", err);
    in->decoder->pkt_timebase = in->stream->time_base;
    in->decoder->thread_count = 0; /* as many as useful */
    /* A damaged image is an error. In a video, a damaged picture is left out (with a
     * note): the library then spans the gap from the pictures around it, by their times. */
    in->strict = strict;
    if (strict)
        in->decoder->err_recognition |= AV_EF_EXPLODE | AV_EF_CRCCHECK;
    if ((err = avcodec_open2(in->decoder, codec, NULL)) < 0)
        return report(cli, in, "decode", err);
    in->weft_format = want;
    return 0;
}

/* Brings the decoded picture into in->weft_format. */
static int convert(Cli *cli, VideoInput *in, AVFrame **out)
{
    AVFrame *src = in->decoded;
    if (in->weft_format == WEFT_PIX_NONE)
        in->weft_format = pixfmt_nearest_weft(src->format);
    if (in->weft_format == WEFT_PIX_NONE) {
        cli_error(cli, "cannot decode '%s': unsupported pixel format", in->path);
        return AVERROR(ENOSYS);
    }
    if (pixfmt_to_weft(src->format) == in->weft_format) {
        *out = src;
        return 0;
    }
    enum AVPixelFormat dst_format = pixfmt_from_weft(in->weft_format);
    const char *src_name = av_get_pix_fmt_name(src->format);
    cli_verbose(cli, 1, "'%s': converting %s to %s", in->path, src_name ? src_name : "?",
                av_get_pix_fmt_name(dst_format));
    in->sws = sws_getCachedContext(
        in->sws, src->width, src->height, src->format, src->width, src->height, dst_format,
        SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, NULL, NULL, NULL);
    if (!in->sws) {
        cli_error(cli, "cannot convert the pictures of '%s' to %s", in->path,
                  av_get_pix_fmt_name(dst_format));
        return AVERROR(ENOSYS);
    }
    AVFrame *dst = in->converted;
    av_frame_unref(dst);
    dst->format = dst_format;
    dst->width = src->width;
    dst->height = src->height;
    int err = av_frame_get_buffer(dst, 0);
    if (err >= 0)
        err = av_frame_copy_props(dst, src);
    if (err < 0)
        return report(cli, in, "convert", err);
    sws_scale(in->sws, (const uint8_t *const *)src->data, src->linesize, 0, src->height, dst->data,
              dst->linesize);
    *out = dst;
    return 0;
}

/* Fills in pts and duration where the file gives none. */
static void fix_timing(VideoInput *in, AVFrame *f)
{
    int64_t pts = f->best_effort_timestamp;
    if (pts == AV_NOPTS_VALUE)
        pts = f->pts;
    if (pts == AV_NOPTS_VALUE)
        pts = in->next_pts != AV_NOPTS_VALUE ? in->next_pts : 0;
    f->pts = pts;
    if (f->pkt_duration <= 0) {
        /* the stream's nominal frame interval */
        AVRational rate = in->stream->avg_frame_rate.num > 0 ? in->stream->avg_frame_rate
                                                             : in->stream->r_frame_rate;
        if (rate.num > 0 && rate.den > 0)
            f->pkt_duration = av_rescale_q(1, av_inv_q(rate), in->stream->time_base);
    }
    in->next_pts = f->pkt_duration > 0 ? pts + f->pkt_duration : AV_NOPTS_VALUE;
}

/* Colour the decoder left unspecified, from the container's stream parameters. */
static void fix_color(const VideoInput *in, AVFrame *f)
{
    const AVCodecParameters *par = in->stream->codecpar;
    if (f->color_primaries == AVCOL_PRI_UNSPECIFIED)
        f->color_primaries = par->color_primaries;
    if (f->color_trc == AVCOL_TRC_UNSPECIFIED)
        f->color_trc = par->color_trc;
    if (f->colorspace == AVCOL_SPC_UNSPECIFIED)
        f->colorspace = par->color_space;
    if (f->color_range == AVCOL_RANGE_UNSPECIFIED)
        f->color_range = par->color_range;
    if (f->chroma_location == AVCHROMA_LOC_UNSPECIFIED)
        f->chroma_location = par->chroma_location;
}

static void skipped_picture(const Cli *cli, VideoInput *in)
{
    /* counted here, reported once by the caller at the end of a successful run (a note now
     * would break the one-line rule if the run then fails) */
    in->skipped++;
    cli_verbose(cli, 1, "'%s': a damaged picture left out (%d so far)", in->path, in->skipped);
}

int video_input_read(Cli *cli, VideoInput *in, AVFrame **frame)
{
    for (;;) {
        if (cli_interrupted())
            return report(cli, in, "read", AVERROR_EXIT);
        av_frame_unref(in->decoded);
        int err = avcodec_receive_frame(in->decoder, in->decoded);
        if (err == 0) {
            if (in->decoded->decode_error_flags || (in->decoded->flags & AV_FRAME_FLAG_CORRUPT)) {
                if (in->strict)
                    return report(cli, in, "decode", AVERROR_INVALIDDATA);
                skipped_picture(cli, in);
                continue;
            }
            fix_timing(in, in->decoded);
            fix_color(in, in->decoded);
            return convert(cli, in, frame);
        }
        if (err == AVERROR_EOF)
            return AVERROR_EOF;
        if (err != AVERROR(EAGAIN))
            return report(cli, in, "decode", err);
        if (in->draining)
            return AVERROR_EOF;
        err = av_read_frame(in->format, in->packet);
        if (err == AVERROR_EOF) {
            in->draining = 1;
            if ((err = avcodec_send_packet(in->decoder, NULL)) < 0)
                return report(cli, in, "decode", err);
            continue;
        }
        if (err < 0)
            return report(cli, in, "read", err);
        if (in->packet->stream_index == in->stream->index) {
            err = avcodec_send_packet(in->decoder, in->packet);
            av_packet_unref(in->packet);
            if (err == AVERROR_INVALIDDATA && !in->strict)
                skipped_picture(cli, in);
            else if (err < 0 && err != AVERROR(EAGAIN))
                return report(cli, in, "decode", err);
        } else {
            err = in->other_packet ? in->other_packet(in->other_opaque, in->packet) : 0;
            av_packet_unref(in->packet);
            if (err < 0)
                return err; /* the callback reported it */
        }
    }
}

void video_input_close(VideoInput *in)
{
    if (!in)
        return;
    avcodec_free_context(&in->decoder);
    avformat_close_input(&in->format);
    av_packet_free(&in->packet);
    av_frame_free(&in->decoded);
    av_frame_free(&in->converted);
    sws_freeContext(in->sws);
    memset(in, 0, sizeof(*in));
}
