/* Pixel formats and colour metadata between libav (AVPixelFormat, AVFrame) and weft. */
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include "cli.h"

/* Formats with the same memory layout on both sides (weft's wide formats are
 * little-endian, as FFmpeg's *LE). */
static const struct {
    enum AVPixelFormat av;
    WeftPixelFormat weft;
} same_layout[] = {
    {AV_PIX_FMT_GRAY8, WEFT_PIX_GRAY8},
    {AV_PIX_FMT_GRAY16LE, WEFT_PIX_GRAY16},
    {AV_PIX_FMT_RGB24, WEFT_PIX_RGB24},
    {AV_PIX_FMT_RGBA, WEFT_PIX_RGBA32},
    {AV_PIX_FMT_GBRP, WEFT_PIX_GBRP},
    {AV_PIX_FMT_YUV420P, WEFT_PIX_YUV420P},
    {AV_PIX_FMT_YUV422P, WEFT_PIX_YUV422P},
    {AV_PIX_FMT_YUV444P, WEFT_PIX_YUV444P},
    {AV_PIX_FMT_YUVA420P, WEFT_PIX_YUVA420P},
    {AV_PIX_FMT_YUV420P10LE, WEFT_PIX_YUV420P10},
    {AV_PIX_FMT_YUV422P10LE, WEFT_PIX_YUV422P10},
    {AV_PIX_FMT_YUV444P10LE, WEFT_PIX_YUV444P10},
    {AV_PIX_FMT_YUV420P12LE, WEFT_PIX_YUV420P12},
    {AV_PIX_FMT_YUV422P12LE, WEFT_PIX_YUV422P12},
    {AV_PIX_FMT_YUV444P12LE, WEFT_PIX_YUV444P12},
    {AV_PIX_FMT_YUV420P16LE, WEFT_PIX_YUV420P16},
    {AV_PIX_FMT_YUV444P16LE, WEFT_PIX_YUV444P16},
    {AV_PIX_FMT_YUVA444P16LE, WEFT_PIX_YUVA444P16},
    /* JPEG-range variants: the same samples; the range travels in WeftColor */
    {AV_PIX_FMT_YUVJ420P, WEFT_PIX_YUV420P},
    {AV_PIX_FMT_YUVJ422P, WEFT_PIX_YUV422P},
    {AV_PIX_FMT_YUVJ444P, WEFT_PIX_YUV444P},
};

#define NUM_SAME_LAYOUT (int)(sizeof(same_layout) / sizeof(same_layout[0]))

WeftPixelFormat pixfmt_to_weft(enum AVPixelFormat format)
{
    for (int i = 0; i < NUM_SAME_LAYOUT; i++)
        if (same_layout[i].av == format)
            return same_layout[i].weft;
    return WEFT_PIX_NONE;
}

enum AVPixelFormat pixfmt_from_weft(WeftPixelFormat format)
{
    for (int i = 0; i < NUM_SAME_LAYOUT; i++)
        if (same_layout[i].weft == format)
            return same_layout[i].av;
    return AV_PIX_FMT_NONE;
}

WeftPixelFormat pixfmt_nearest_weft(enum AVPixelFormat format)
{
    WeftPixelFormat direct = pixfmt_to_weft(format);
    if (direct != WEFT_PIX_NONE)
        return direct;
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(format);
    if (!d)
        return WEFT_PIX_NONE;
    int depth = d->comp[0].depth;
    int alpha = (d->flags & AV_PIX_FMT_FLAG_ALPHA) != 0;
    int rgb = (d->flags & AV_PIX_FMT_FLAG_RGB) != 0 || (d->flags & AV_PIX_FMT_FLAG_PAL);
    if (d->nb_components <= 2 && !(d->flags & AV_PIX_FMT_FLAG_PAL)) {
        /* grey (an alpha channel of grey+alpha is kept through RGBA) */
        if (alpha)
            return WEFT_PIX_RGBA32;
        return depth > 8 ? WEFT_PIX_GRAY16 : WEFT_PIX_GRAY8;
    }
    if (rgb) /* weft has no deep RGB: 8 bits per component */
        return alpha ? WEFT_PIX_RGBA32 : WEFT_PIX_RGB24;
    if (alpha)
        return depth > 8 ? WEFT_PIX_YUVA444P16 : WEFT_PIX_YUVA420P;
    int cw = d->log2_chroma_w, ch = d->log2_chroma_h;
    int layout = cw == 1 && ch == 1 ? 420 : cw == 1 && ch == 0 ? 422 : 444;
    if (cw > 1 || ch > 1) /* 4:1:1, 4:1:0: up to 4:2:0 */
        layout = 420;
    if (depth <= 8)
        return layout == 420   ? WEFT_PIX_YUV420P
               : layout == 422 ? WEFT_PIX_YUV422P
                               : WEFT_PIX_YUV444P;
    if (depth <= 10)
        return layout == 420   ? WEFT_PIX_YUV420P10
               : layout == 422 ? WEFT_PIX_YUV422P10
                               : WEFT_PIX_YUV444P10;
    if (depth <= 12)
        return layout == 420   ? WEFT_PIX_YUV420P12
               : layout == 422 ? WEFT_PIX_YUV422P12
                               : WEFT_PIX_YUV444P12;
    return layout == 420 ? WEFT_PIX_YUV420P16 : WEFT_PIX_YUV444P16;
}

void pixfmt_color_from_frame(const AVFrame *frame, WeftColor *color)
{
    /* WeftColor uses the same H.273 / FFmpeg numbering */
    color->primaries = frame->color_primaries;
    color->transfer = frame->color_trc;
    color->matrix = frame->colorspace;
    color->range = frame->color_range;
    color->chroma_location = frame->chroma_location;
    enum AVPixelFormat f = frame->format;
    if (color->range == AVCOL_RANGE_UNSPECIFIED &&
        (f == AV_PIX_FMT_YUVJ420P || f == AV_PIX_FMT_YUVJ422P || f == AV_PIX_FMT_YUVJ444P))
        color->range = AVCOL_RANGE_JPEG;
}

void pixfmt_wrap_frame(const AVFrame *frame, WeftPicture *pic)
{
    memset(pic, 0, sizeof(*pic));
    pic->width = frame->width;
    pic->height = frame->height;
    pic->format = pixfmt_to_weft(frame->format);
    for (int i = 0; i < 4; i++) {
        pic->data[i] = frame->data[i];
        pic->stride[i] = frame->linesize[i];
    }
    pixfmt_color_from_frame(frame, &pic->color);
    pic->time_base = (WeftRational){1, 1};
}

enum AVPixelFormat pixfmt_for_encoder(const AVCodec *codec, enum AVPixelFormat source)
{
    if (!codec->pix_fmts)
        return source;
    for (const enum AVPixelFormat *f = codec->pix_fmts; *f != AV_PIX_FMT_NONE; f++)
        if (*f == source)
            return source;
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(source);
    int alpha = d && (d->flags & AV_PIX_FMT_FLAG_ALPHA);
    return avcodec_find_best_pix_fmt_of_list(codec->pix_fmts, source, alpha, NULL);
}

int pixfmt_picture_to_frame(struct SwsContext **sws, const WeftPicture *pic, AVFrame *dst)
{
    enum AVPixelFormat src_format = pixfmt_from_weft(pic->format);
    const uint8_t *src_data[4] = {NULL};
    int src_linesize[4] = {0};
    for (int i = 0; i < 4; i++) {
        src_data[i] = pic->data[i];
        src_linesize[i] = (int)pic->stride[i];
    }
    if (dst->format == src_format && dst->width == pic->width && dst->height == pic->height) {
        av_image_copy(dst->data, dst->linesize, src_data, src_linesize, src_format, pic->width,
                      pic->height);
        return 0;
    }
    *sws = sws_getCachedContext(*sws, pic->width, pic->height, src_format, dst->width, dst->height,
                                dst->format, SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT,
                                NULL, NULL, NULL);
    if (!*sws)
        return AVERROR(ENOSYS);
    sws_scale(*sws, src_data, src_linesize, 0, pic->height, dst->data, dst->linesize);
    return 0;
}
