/* Single images in and out: decoding through libavformat's image demuxers (via video_in) and
 * encoding with the image encoder the output name's extension asks for. */
#include <string.h>

#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>

#include "video_in.h"

int image_load(Cli *cli, const char *path, WeftPixelFormat want, WeftPicture *out)
{
    VideoInput in;
    AVFrame *frame = NULL;
    memset(out, 0, sizeof(*out));
    int err = video_input_open(cli, &in, path, want, NULL, 1);
    if (err >= 0) {
        err = video_input_read(cli, &in, &frame);
        if (err == AVERROR_EOF) {
            cli_error(cli, "cannot decode '%s': no picture in it", path);
            err = AVERROR_INVALIDDATA;
        }
    }
    if (err < 0)
        goto fail;
    WeftPicture view;
    pixfmt_wrap_frame(frame, &view);
    if ((err = weft_picture_alloc(out, frame->width, frame->height, view.format)) < 0) {
        cli_error(cli, "cannot hold a %dx%d picture: %s", frame->width, frame->height,
                  weft_strerror(err));
        goto fail;
    }
    WeftFormatInfo info;
    weft_format_info(view.format, &info);
    int linesizes[4];
    av_image_fill_linesizes(linesizes, frame->format, frame->width);
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(frame->format);
    for (int p = 0; p < info.planes; p++) {
        int rows =
            p == 1 || p == 2 ? AV_CEIL_RSHIFT(frame->height, desc->log2_chroma_h) : frame->height;
        av_image_copy_plane(out->data[p], (int)out->stride[p], frame->data[p], frame->linesize[p],
                            linesizes[p], rows);
    }
    out->color = view.color;
    out->time_base = (WeftRational){1, 1};
    video_input_close(&in);
    return 0;
fail:
    video_input_close(&in);
    weft_picture_unref(out);
    return err < 0 ? err : AVERROR(EINVAL);
}

/* Encodes one picture into one packet. */
static int encode_picture(Cli *cli, const char *path, const WeftPicture *pic, const AVCodec *codec,
                          AVPacket *packet)
{
    char buf[128];
    enum AVPixelFormat src_format = pixfmt_from_weft(pic->format);
    enum AVPixelFormat dst_format = pixfmt_for_encoder(codec, src_format);
    AVCodecContext *enc = avcodec_alloc_context3(codec);
    AVFrame *frame = av_frame_alloc();
    struct SwsContext *sws = NULL;
    int err = AVERROR(ENOMEM);
    if (!enc || !frame)
        goto fail;
    enc->width = pic->width;
    enc->height = pic->height;
    enc->pix_fmt = dst_format;
    enc->time_base = (AVRational){1, 25};
    enc->color_primaries = pic->color.primaries;
    enc->color_trc = pic->color.transfer;
    enc->colorspace = pic->color.matrix;
    enc->color_range = pic->color.range;
    enc->chroma_sample_location = pic->color.chroma_location;
    if ((err = avcodec_open2(enc, codec, NULL)) < 0)
        goto fail;
    frame->format = dst_format;
    frame->width = pic->width;
    frame->height = pic->height;
    if ((err = av_frame_get_buffer(frame, 0)) < 0)
        goto fail;
    if (dst_format != src_format)
        cli_verbose(cli, 1, "'%s': writing %s as %s", path, av_get_pix_fmt_name(src_format),
                    av_get_pix_fmt_name(dst_format));
    if ((err = pixfmt_picture_to_frame(&sws, pic, frame)) < 0)
        goto fail;
    frame->pts = 0;
    if ((err = avcodec_send_frame(enc, frame)) < 0 || (err = avcodec_send_frame(enc, NULL)) < 0 ||
        (err = avcodec_receive_packet(enc, packet)) < 0)
        goto fail;
    err = 0;
fail:
    if (err < 0)
        cli_error(cli, "cannot encode '%s': %s", path, cli_av_error(err, buf, sizeof(buf)));
    sws_freeContext(sws);
    av_frame_free(&frame);
    avcodec_free_context(&enc);
    return err;
}

/* The image encoder for a file name, from its extension; NULL (reported) if none. */
static const AVCodec *image_encoder(Cli *cli, const char *path)
{
    /* "-" is standard output, as PNG */
    const char *name = strcmp(path, "-") ? path : "stdout.png";
    const AVOutputFormat *muxer = av_guess_format(NULL, name, NULL);
    enum AVCodecID id =
        muxer ? av_guess_codec(muxer, NULL, name, NULL, AVMEDIA_TYPE_VIDEO) : AV_CODEC_ID_NONE;
    const AVCodec *codec = id != AV_CODEC_ID_NONE ? avcodec_find_encoder(id) : NULL;
    /* image2 is libavformat's "one file per picture" muxer; its extensions name the codec */
    if (!muxer || strcmp(muxer->name, "image2") || !codec) {
        cli_error(cli, "cannot write '%s': unknown image type (use .png)", path);
        return NULL;
    }
    return codec;
}

int image_check_output(Cli *cli, const char *path)
{
    return image_encoder(cli, path) ? 0 : AVERROR(EINVAL);
}

int image_save(Cli *cli, const char *path, const WeftPicture *pic)
{
    char buf[128];
    OutputFile of;
    AVIOContext *io = NULL;
    AVPacket *packet = NULL;
    int err;
    const AVCodec *codec = image_encoder(cli, path);
    if (!codec)
        return AVERROR(EINVAL);
    if ((err = output_file_begin(cli, &of, path)) < 0)
        return err;
    packet = av_packet_alloc();
    if (!packet) {
        err = AVERROR(ENOMEM);
        cli_error(cli, "out of memory");
        goto fail;
    }
    if ((err = encode_picture(cli, path, pic, codec, packet)) < 0)
        goto fail;
    AVIOInterruptCB interrupt = {cli_interrupt_callback, NULL};
    if ((err = avio_open2(&io, of.temp_path, AVIO_FLAG_WRITE, &interrupt, NULL)) < 0)
        goto write_fail;
    avio_write(io, packet->data, packet->size);
    avio_flush(io);
    if ((err = io->error) < 0 || (err = avio_closep(&io)) < 0)
        goto write_fail;
    if ((err = output_file_commit(cli, &of)) < 0)
        goto fail;
    av_packet_free(&packet);
    output_file_abort(&of); /* frees the names; the file itself is committed */
    return 0;
write_fail:
    cli_error(cli, "cannot write '%s': %s", path, cli_av_error(err, buf, sizeof(buf)));
fail:
    avio_closep(&io);
    av_packet_free(&packet);
    output_file_abort(&of);
    return err;
}
