/* Encoding and muxing the retimed video, with stream copies of the input's audio. The file
 * is written under a temporary name (output_file.c) and renamed by video_output_finish(). */
#include <string.h>

#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>

#include "video_out.h"

static int report(Cli *cli, const VideoOutput *out, const char *what, int err)
{
    char buf[128];
    if (err == AVERROR_EXIT || cli_interrupted())
        cli_error(cli, "interrupted");
    else
        cli_error(cli, "cannot %s '%s': %s", what, out->path, cli_av_error(err, buf, sizeof(buf)));
    return err < 0 ? err : AVERROR(EINVAL);
}

static int is_one_of(const char *name, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        if (!strcmp(name, names[i]))
            return 1;
    return 0;
}

int video_output_create(Cli *cli, VideoOutput *out, const char *path, const AVFormatContext *input,
                        int copy_streams)
{
    memset(out, 0, sizeof(*out));
    out->path = path;
    for (int i = 0; i < VIDEO_OUT_MAX_COPIES; i++)
        out->copy_map[i] = -1;
    /* the container comes from the final name; the bytes go to the temporary one */
    /* "-" is standard output, as y4m: the format every encoder and player reads from a pipe */
    int to_stdout = !strcmp(path, "-");
    const char *file_name = path;
    if (to_stdout)
        out->path = path = "standard output (y4m)";
    int err = avformat_alloc_output_context2(&out->mux, NULL, to_stdout ? "yuv4mpegpipe" : NULL,
                                             to_stdout ? NULL : path);
    if (err < 0 || !out->mux) {
        cli_error(cli,
                  "cannot write '%s': unknown container (use .mp4, .mkv, .mov, .y4m or "
                  "frames/%%05d.png)",
                  path);
        return err < 0 ? err : AVERROR(EINVAL);
    }
    if ((err = output_file_begin(cli, &out->file, file_name)) < 0)
        return err;
    av_freep(&out->mux->url);
    out->mux->url = av_strdup(out->file.temp_path);
    out->packet = av_packet_alloc();
    out->frame = av_frame_alloc();
    if (!out->mux->url || !out->packet || !out->frame)
        return report(cli, out, "write", AVERROR(ENOMEM));
    out->mux->interrupt_callback = (AVIOInterruptCB){cli_interrupt_callback, NULL};
    /* the container's title, date, etc. still describe the retimed file */
    if ((err = av_dict_copy(&out->mux->metadata, input->metadata, 0)) < 0)
        return report(cli, out, "write", err);
    av_dict_set(&out->mux->metadata, "encoder", NULL, 0);
    /* y4m's deep formats (yuv420p10 etc.) are "unofficial" but read by every y4m reader
     * that matters (x264, x265, aomenc, FFmpeg); keep the 10-bit samples */
    if (!strcmp(out->mux->oformat->name, "yuv4mpegpipe"))
        out->mux->strict_std_compliance = FF_COMPLIANCE_UNOFFICIAL;

    /* the video stream first, as players expect; it is described in video_output_start() */
    if (!(out->video = avformat_new_stream(out->mux, NULL)))
        return report(cli, out, "write", AVERROR(ENOMEM));

    /* Audio (and subtitles) are kept as they are, by stream copy: retiming changes the
     * frame rate, not the duration, so they still fit. */
    for (unsigned i = 0; copy_streams && i < input->nb_streams && i < VIDEO_OUT_MAX_COPIES;
         i++) {
        const AVStream *in_stream = input->streams[i];
        const AVCodecParameters *par = in_stream->codecpar;
        if (par->codec_type != AVMEDIA_TYPE_AUDIO && par->codec_type != AVMEDIA_TYPE_SUBTITLE)
            continue;
        int is_audio = par->codec_type == AVMEDIA_TYPE_AUDIO;
        int takes_kind = is_audio ? out->mux->oformat->audio_codec != AV_CODEC_ID_NONE
                                  : out->mux->oformat->subtitle_codec != AV_CODEC_ID_NONE;
        if (!takes_kind ||
            avformat_query_codec(out->mux->oformat, par->codec_id, FF_COMPLIANCE_NORMAL) != 1) {
            cli_note(cli, "'%s' cannot hold the %s %s of stream %u; it is left out", path,
                     avcodec_get_name(par->codec_id), is_audio ? "audio" : "subtitles", i);
            continue;
        }
        AVStream *copy = avformat_new_stream(out->mux, NULL);
        if (!copy || (err = avcodec_parameters_copy(copy->codecpar, par)) < 0)
            return report(cli, out, "write", copy ? err : AVERROR(ENOMEM));
        copy->codecpar->codec_tag = 0;
        copy->time_base = in_stream->time_base;
        copy->disposition = in_stream->disposition;
        av_dict_copy(&copy->metadata, in_stream->metadata, 0);
        av_dict_set(&copy->metadata, "DURATION", NULL, 0);
        out->copy_map[i] = copy->index;
        out->copy_time_base[i] = in_stream->time_base;
    }
    return 0;
}

int video_output_add_encoded(Cli *cli, VideoOutput *out, int in_index,
                             const AVCodecContext *encoder, const AVStream *source)
{
    if (in_index < 0 || in_index >= VIDEO_OUT_MAX_COPIES)
        return report(cli, out, "write", AVERROR(EINVAL));
    AVStream *stream = avformat_new_stream(out->mux, NULL);
    int err = stream ? avcodec_parameters_from_context(stream->codecpar, encoder)
                     : AVERROR(ENOMEM);
    if (err < 0)
        return report(cli, out, "write", err);
    stream->time_base = encoder->time_base;
    stream->disposition = source->disposition;
    av_dict_copy(&stream->metadata, source->metadata, 0);
    av_dict_set(&stream->metadata, "DURATION", NULL, 0);
    out->copy_map[in_index] = stream->index;
    out->copy_time_base[in_index] = encoder->time_base;
    return 0;
}

static const AVCodec *choose_encoder(Cli *cli, VideoOutput *out, const char *name)
{
    static const char *const x264_containers[] = {"mp4", "matroska", "mov", NULL};
    const AVCodec *codec = NULL;
    if (name) {
        codec = avcodec_find_encoder_by_name(name);
        if (!codec || codec->type != AVMEDIA_TYPE_VIDEO) {
            cli_error(cli, "unknown video encoder '%s' for -c:v", name);
            return NULL;
        }
        return codec;
    }
    const AVOutputFormat *format = out->mux->oformat;
    if (is_one_of(format->name, x264_containers))
        codec = avcodec_find_encoder_by_name("libx264");
    if (!codec) {
        enum AVCodecID id = av_guess_codec(format, NULL, out->path, NULL, AVMEDIA_TYPE_VIDEO);
        codec = id != AV_CODEC_ID_NONE ? avcodec_find_encoder(id) : NULL;
    }
    if (!codec)
        cli_error(cli, "cannot write '%s': no video encoder for %s", out->path, format->name);
    return codec;
}

static int configure_encoder(Cli *cli, VideoOutput *out, const VideoOutputParams *params,
                             const AVCodec *codec)
{
    AVCodecContext *enc = out->encoder;
    enc->width = params->width;
    enc->height = params->height;
    out->source_format = pixfmt_from_weft(params->format);
    enc->pix_fmt = pixfmt_for_encoder(codec, out->source_format);
    if (enc->pix_fmt == AV_PIX_FMT_NONE) {
        cli_error(cli, "encoder '%s' takes no pixel format near %s", codec->name,
                  av_get_pix_fmt_name(out->source_format));
        return AVERROR(EINVAL);
    }
    if (enc->pix_fmt != out->source_format)
        cli_verbose(cli, 1, "encoding %s as %s for %s", av_get_pix_fmt_name(out->source_format),
                    av_get_pix_fmt_name(enc->pix_fmt), codec->name);
    enc->time_base = params->time_base;
    enc->framerate = params->frame_rate;
    enc->sample_aspect_ratio = params->sample_aspect_ratio;
    enc->color_primaries = params->color.primaries;
    enc->color_trc = params->color.transfer;
    enc->colorspace = params->color.matrix;
    enc->color_range = params->color.range;
    enc->chroma_sample_location = params->color.chroma_location;
    enc->thread_count = 0;
    if (out->mux->oformat->flags & AVFMT_GLOBALHEADER)
        enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;

    int is_x26x = !strcmp(codec->name, "libx264") || !strcmp(codec->name, "libx265");
    int crf = params->crf >= 0 ? params->crf : is_x26x ? 18 : -1;
    if (crf >= 0) {
        int err = enc->priv_data ? av_opt_set_int(enc->priv_data, "crf", crf, 0)
                                 : AVERROR_OPTION_NOT_FOUND;
        /* x264 takes crf as a float option; set_int converts */
        if (err < 0) {
            cli_error(cli, "encoder '%s' has no crf setting (drop --crf)", codec->name);
            return AVERROR(EINVAL);
        }
    }
    if (is_x26x && enc->priv_data)
        av_opt_set(enc->priv_data, "preset", "medium", 0);
    return 0;
}

/* Stream metadata (language, title) and the side data that still holds after retiming:
 * display rotation, stereo mode, HDR mastering display and content light levels. */
static int copy_stream_extras(AVStream *dst, const AVStream *src)
{
    int err = av_dict_copy(&dst->metadata, src->metadata, 0);
    if (err < 0)
        return err;
    av_dict_set(&dst->metadata, "encoder", NULL, 0);  /* names the old encoder */
    av_dict_set(&dst->metadata, "DURATION", NULL, 0); /* Matroska's, of the old stream */
    static const enum AVPacketSideDataType kept[] = {
        AV_PKT_DATA_DISPLAYMATRIX,
        AV_PKT_DATA_STEREO3D,
        AV_PKT_DATA_MASTERING_DISPLAY_METADATA,
        AV_PKT_DATA_CONTENT_LIGHT_LEVEL,
        AV_PKT_DATA_SPHERICAL,
    };
    for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
        size_t size;
        const uint8_t *data = av_stream_get_side_data(src, kept[i], &size);
        if (!data)
            continue;
        uint8_t *copy = av_stream_new_side_data(dst, kept[i], size);
        if (!copy)
            return AVERROR(ENOMEM);
        memcpy(copy, data, size);
    }
    return 0;
}

/* HDR metadata carried in the first picture's bitstream (SEI) goes to the container, as
 * the encoder will not repeat it: mastering display and content light levels. */
static int copy_frame_hdr(AVStream *dst, const AVFrame *frame)
{
    static const struct {
        enum AVFrameSideDataType frame_type;
        enum AVPacketSideDataType stream_type;
    } kept[] = {
        {AV_FRAME_DATA_MASTERING_DISPLAY_METADATA, AV_PKT_DATA_MASTERING_DISPLAY_METADATA},
        {AV_FRAME_DATA_CONTENT_LIGHT_LEVEL, AV_PKT_DATA_CONTENT_LIGHT_LEVEL},
    };
    for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
        const AVFrameSideData *sd = av_frame_get_side_data(frame, kept[i].frame_type);
        if (!sd || av_stream_get_side_data(dst, kept[i].stream_type, NULL))
            continue;
        uint8_t *copy = av_stream_new_side_data(dst, kept[i].stream_type, sd->size);
        if (!copy)
            return AVERROR(ENOMEM);
        memcpy(copy, sd->data, sd->size);
    }
    return 0;
}

int video_output_start(Cli *cli, VideoOutput *out, const VideoOutputParams *params)
{
    const AVCodec *codec = choose_encoder(cli, out, params->codec_name);
    if (!codec)
        return AVERROR(EINVAL);
    out->encoder = avcodec_alloc_context3(codec);
    if (!out->encoder)
        return report(cli, out, "write", AVERROR(ENOMEM));
    int err = configure_encoder(cli, out, params, codec);
    if (err < 0)
        return err;
    if ((err = avcodec_open2(out->encoder, codec, NULL)) < 0) {
        char buf[128];
        cli_error(cli, "cannot open encoder '%s': %s", codec->name,
                  cli_av_error(err, buf, sizeof(buf)));
        return err;
    }
    if ((err = avcodec_parameters_from_context(out->video->codecpar, out->encoder)) < 0)
        return report(cli, out, "write", err);
    out->video->time_base = out->encoder->time_base;
    out->video->avg_frame_rate = params->frame_rate;
    out->video->r_frame_rate = params->frame_rate;
    out->video->sample_aspect_ratio = params->sample_aspect_ratio;
    if (params->source && (err = copy_stream_extras(out->video, params->source)) < 0)
        return report(cli, out, "write", err);
    if (params->first_frame && (err = copy_frame_hdr(out->video, params->first_frame)) < 0)
        return report(cli, out, "write", err);
    out->frame->format = out->encoder->pix_fmt;
    out->frame->width = params->width;
    out->frame->height = params->height;
    if ((err = av_frame_get_buffer(out->frame, 0)) < 0)
        return report(cli, out, "write", err);

    if (!(out->mux->oformat->flags & AVFMT_NOFILE) &&
        (err = avio_open2(&out->mux->pb, out->file.temp_path, AVIO_FLAG_WRITE,
                          &out->mux->interrupt_callback, NULL)) < 0)
        return report(cli, out, "write", err);
    if ((err = avformat_write_header(out->mux, NULL)) < 0)
        return report(cli, out, "write", err);
    out->header_written = 1;
    for (int i = 0; i < out->num_pending; i++) {
        AVPacket *pending = out->pending[i];
        av_packet_rescale_ts(pending, pending->time_base,
                             out->mux->streams[pending->stream_index]->time_base);
        err = av_interleaved_write_frame(out->mux, pending);
        av_packet_free(&out->pending[i]);
        if (err < 0)
            return report(cli, out, "write", err);
    }
    out->num_pending = 0;
    return 0;
}

int video_output_copy_packet(Cli *cli, VideoOutput *out, const AVPacket *packet)
{
    int in_index = packet->stream_index;
    if (in_index < 0 || in_index >= VIDEO_OUT_MAX_COPIES || out->copy_map[in_index] < 0)
        return 0;
    AVPacket *copy = av_packet_clone(packet);
    if (!copy)
        return report(cli, out, "write", AVERROR(ENOMEM));
    AVStream *stream = out->mux->streams[out->copy_map[in_index]];
    copy->stream_index = stream->index;
    copy->pos = -1;
    copy->time_base = out->copy_time_base[in_index];
    if (!out->header_written) {
        /* the header waits for the first picture (its format and colour); keep the packet
         * in the input's time base and rescale it once the muxer fixed the stream's */
        if (out->num_pending == out->max_pending) {
            int size = out->max_pending ? 2 * out->max_pending : 64;
            AVPacket **grown = av_realloc_array(out->pending, size, sizeof(*grown));
            if (!grown) {
                av_packet_free(&copy);
                return report(cli, out, "write", AVERROR(ENOMEM));
            }
            out->pending = grown;
            out->max_pending = size;
        }
        out->pending[out->num_pending++] = copy;
        return 0;
    }
    av_packet_rescale_ts(copy, out->copy_time_base[in_index], stream->time_base);
    int err = av_interleaved_write_frame(out->mux, copy);
    av_packet_free(&copy);
    return err < 0 ? report(cli, out, "write", err) : 0;
}

/* Sends a frame (or NULL to flush) and writes every packet the encoder gives back. */
static int encode(Cli *cli, VideoOutput *out, const AVFrame *frame)
{
    int err = avcodec_send_frame(out->encoder, frame);
    if (err < 0)
        return report(cli, out, "encode", err);
    for (;;) {
        err = avcodec_receive_packet(out->encoder, out->packet);
        if (err == AVERROR(EAGAIN) || err == AVERROR_EOF)
            return 0;
        if (err < 0)
            return report(cli, out, "encode", err);
        av_packet_rescale_ts(out->packet, out->encoder->time_base, out->video->time_base);
        out->packet->stream_index = out->video->index;
        err = av_interleaved_write_frame(out->mux, out->packet);
        if (err < 0)
            return report(cli, out, "write", err);
    }
}

int video_output_write(Cli *cli, VideoOutput *out, const WeftPicture *pic)
{
    /* the encoder may still hold references to the last frame's buffers */
    int err = av_frame_make_writable(out->frame);
    if (err < 0)
        return report(cli, out, "encode", err);
    if ((err = pixfmt_picture_to_frame(&out->sws, pic, out->frame)) < 0)
        return report(cli, out, "convert pictures for", err);
    out->frame->pts = pic->pts;
    out->frame->color_primaries = pic->color.primaries;
    out->frame->color_trc = pic->color.transfer;
    out->frame->colorspace = pic->color.matrix;
    out->frame->color_range = pic->color.range;
    out->frame->chroma_location = pic->color.chroma_location;
    out->frame->sample_aspect_ratio = out->encoder->sample_aspect_ratio;
    if ((err = encode(cli, out, out->frame)) < 0)
        return err;
    out->frames_written++;
    return 0;
}

int video_output_finish(Cli *cli, VideoOutput *out)
{
    int err;
    if (!out->header_written) {
        cli_error(cli, "no pictures to write to '%s'", out->path);
        return AVERROR(EINVAL);
    }
    if ((err = encode(cli, out, NULL)) < 0)
        return err;
    if ((err = av_write_trailer(out->mux)) < 0)
        return report(cli, out, "write", err);
    if (out->mux->pb) {
        avio_flush(out->mux->pb);
        if ((err = out->mux->pb->error) < 0 || (err = avio_closep(&out->mux->pb)) < 0)
            return report(cli, out, "write", err);
    }
    return output_file_commit(cli, &out->file);
}

void video_output_close(VideoOutput *out)
{
    if (!out)
        return;
    if (out->mux && out->mux->pb && !(out->mux->oformat->flags & AVFMT_NOFILE))
        avio_closep(&out->mux->pb);
    avformat_free_context(out->mux);
    avcodec_free_context(&out->encoder);
    for (int i = 0; i < out->num_pending; i++)
        av_packet_free(&out->pending[i]);
    av_freep(&out->pending);
    av_packet_free(&out->packet);
    av_frame_free(&out->frame);
    sws_freeContext(out->sws);
    output_file_abort(&out->file); /* removes the temporary file unless committed */
    memset(out, 0, sizeof(*out));
}
