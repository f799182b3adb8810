/* Picture descriptors: format facts, allocation, release. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "weft/weft.h"

static const WeftFormatInfo format_table[WEFT_PIX_COUNT] = {
    [WEFT_PIX_GRAY8] = { "gray", 1, 1, 8, 0, 0, 0, 0 },
    [WEFT_PIX_GRAY16] = { "gray16le", 1, 1, 16, 0, 0, 0, 0 },
    [WEFT_PIX_RGB24] = { "rgb24", 1, 3, 8, 0, 0, 0, 1 },
    [WEFT_PIX_RGBA32] = { "rgba", 1, 4, 8, 0, 0, 1, 1 },
    [WEFT_PIX_GBRP] = { "gbrp", 3, 3, 8, 0, 0, 0, 1 },
    [WEFT_PIX_YUV420P] = { "yuv420p", 3, 3, 8, 1, 1, 0, 0 },
    [WEFT_PIX_YUV422P] = { "yuv422p", 3, 3, 8, 1, 0, 0, 0 },
    [WEFT_PIX_YUV444P] = { "yuv444p", 3, 3, 8, 0, 0, 0, 0 },
    [WEFT_PIX_YUVA420P] = { "yuva420p", 4, 4, 8, 1, 1, 1, 0 },
    [WEFT_PIX_YUV420P10] = { "yuv420p10le", 3, 3, 10, 1, 1, 0, 0 },
    [WEFT_PIX_YUV422P10] = { "yuv422p10le", 3, 3, 10, 1, 0, 0, 0 },
    [WEFT_PIX_YUV444P10] = { "yuv444p10le", 3, 3, 10, 0, 0, 0, 0 },
    [WEFT_PIX_YUV420P12] = { "yuv420p12le", 3, 3, 12, 1, 1, 0, 0 },
    [WEFT_PIX_YUV422P12] = { "yuv422p12le", 3, 3, 12, 1, 0, 0, 0 },
    [WEFT_PIX_YUV444P12] = { "yuv444p12le", 3, 3, 12, 0, 0, 0, 0 },
    [WEFT_PIX_YUV420P16] = { "yuv420p16le", 3, 3, 16, 1, 1, 0, 0 },
    [WEFT_PIX_YUV444P16] = { "yuv444p16le", 3, 3, 16, 0, 0, 0, 0 },
    [WEFT_PIX_YUVA444P16] = { "yuva444p16le", 4, 4, 16, 0, 0, 1, 0 },
};

int weft_format_info(WeftPixelFormat format, WeftFormatInfo *out)
{
    if (format <= WEFT_PIX_NONE || format >= WEFT_PIX_COUNT || !out)
        return -EINVAL;
    *out = format_table[format];
    return 0;
}

/* Width in bytes of plane p's rows, and its height. */
void picture_plane_size(const WeftFormatInfo *fi, int width, int height, int plane,
                        size_t *row_bytes, int *rows)
{
    int bytes = fi->bits > 8 ? 2 : 1;
    int per_pixel = fi->planes == 1 ? fi->components : 1;
    int chroma = !fi->is_rgb && (plane == 1 || plane == 2);
    int w = chroma ? -((-width) >> fi->log2_chroma_w) : width;
    int h = chroma ? -((-height) >> fi->log2_chroma_h) : height;
    *row_bytes = (size_t)w * per_pixel * bytes;
    *rows = h;
}

static void free_planes(void *opaque, void *buffer)
{
    (void)opaque;
    free(buffer);
}

int weft_picture_alloc(WeftPicture *pic, int width, int height, WeftPixelFormat format)
{
    WeftFormatInfo fi;
    if (!pic || width <= 0 || height <= 0 || width > 32768 || height > 32768 ||
        weft_format_info(format, &fi) < 0)
        return -EINVAL;
    memset(pic, 0, sizeof(*pic));
    size_t offsets[4], total = 0;
    for (int p = 0; p < fi.planes; p++) {
        size_t row_bytes;
        int rows;
        picture_plane_size(&fi, width, height, p, &row_bytes, &rows);
        size_t stride = (row_bytes + 31) & ~(size_t)31;
        pic->stride[p] = (ptrdiff_t)stride;
        offsets[p] = total;
        total += stride * (size_t)rows;
    }
    uint8_t *buf = aligned_alloc(32, (total + 31) & ~(size_t)31);
    if (!buf)
        return -ENOMEM;
    memset(buf, 0, total);
    for (int p = 0; p < fi.planes; p++)
        pic->data[p] = buf + offsets[p];
    pic->width = width;
    pic->height = height;
    pic->format = format;
    pic->time_base = (WeftRational){ 1, 1 };
    pic->color = (WeftColor){ 2, 2, 2, 0, 0 };
    pic->buffer = buf;
    pic->free_buffer = free_planes;
    return 0;
}

void weft_picture_unref(WeftPicture *pic)
{
    if (!pic)
        return;
    if (pic->buffer && pic->free_buffer)
        pic->free_buffer(pic->free_opaque, pic->buffer);
    memset(pic, 0, sizeof(*pic));
}

void weft_flow_unref(WeftFlow *flow)
{
    if (!flow)
        return;
    free(flow->u);
    free(flow->v);
    memset(flow, 0, sizeof(*flow));
}

const char *weft_strerror(int err)
{
    switch (err) {
    case 0: return "success";
    case -EINVAL: return "invalid argument";
    case -ENOMEM: return "out of memory";
    case -ENODEV: return "no such device";
    case -EAGAIN: return "more input needed";
    case -EIO: return "device or I/O error";
    case -ERANGE: return "value out of range";
    case -ENOSYS: return "not implemented";
    case -ENOENT: return "no such file";
    case WEFT_EOF: return "end of stream";
    default: return "unknown error";
    }
}

int picture_clone(WeftPicture *dst, const WeftPicture *src)
{
    WeftFormatInfo fi;
    int err = weft_format_info(src->format, &fi);
    if (err < 0)
        return err;
    if ((err = weft_picture_alloc(dst, src->width, src->height, src->format)) < 0)
        return err;
    for (int p = 0; p < fi.planes; p++) {
        size_t row_bytes;
        int rows;
        picture_plane_size(&fi, src->width, src->height, p, &row_bytes, &rows);
        for (int y = 0; y < rows; y++)
            memcpy(dst->data[p] + (ptrdiff_t)y * dst->stride[p],
                   src->data[p] + (ptrdiff_t)y * src->stride[p], row_bytes);
    }
    dst->pts = src->pts;
    dst->duration = src->duration;
    dst->time_base = src->time_base;
    dst->color = src->color;
    return 0;
}
