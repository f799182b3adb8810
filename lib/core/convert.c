#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/convert.h"
#include "core/picture.h"

int convert_components(WeftPixelFormat format)
{
    WeftFormatInfo fi;
    if (weft_format_info(format, &fi) < 0)
        return 0;
    return fi.components;
}

static inline float load_sample(const uint8_t *row, int i, int wide)
{
    return wide ? (float)((const uint16_t *)row)[i] : (float)row[i];
}

void convert_component_layout(const WeftFormatInfo *fi, WeftPixelFormat f, int c, int *plane,
                             int *offset, int *step, int *chroma)
{
    if (fi->planes == 1) {
        *plane = 0;
        *offset = c;
        *step = fi->components;
        *chroma = 0;
        return;
    }
    *offset = 0;
    *step = 1;
    *chroma = !fi->is_rgb && (c == 1 || c == 2);
    if (f == WEFT_PIX_GBRP) /* planes are G, B, R; components are R, G, B */
        *plane = c == 0 ? 2 : c - 1;
    else
        *plane = c;
}

/* One row of 8-bit samples to floats; sw = 1: each sample covers two pixels (chroma). */
static void row_u8_to_float(const uint8_t *restrict row, int w, int sw, float scale,
                            float *restrict out)
{
    if (sw == 0) {
        for (int x = 0; x < w; x++)
            out[x] = (float)row[x] * scale;
        return;
    }
    for (int x = 0; x < w / 2; x++) {
        const float v = (float)row[x] * scale;
        out[2 * x] = v;
        out[2 * x + 1] = v;
    }
    if (w & 1)
        out[w - 1] = (float)row[w / 2] * scale;
}

void convert_to_float(const WeftPicture *pic, float *dst)
{
    WeftFormatInfo fi;
    weft_format_info(pic->format, &fi);
    const int w = pic->width, h = pic->height, wide = fi.bits > 8;
    const float scale = 1.0f / (float)((1 << fi.bits) - 1);
    for (int c = 0; c < fi.components; c++) {
        int plane, offset, step, chroma;
        convert_component_layout(&fi, pic->format, c, &plane, &offset, &step, &chroma);
        int sw = chroma ? fi.log2_chroma_w : 0, sh = chroma ? fi.log2_chroma_h : 0;
        for (int y = 0; y < h; y++) {
            const uint8_t *row = pic->data[plane] + (ptrdiff_t)(y >> sh) * pic->stride[plane];
            float *out = dst + ((size_t)c * h + y) * w;
            if (!wide && step == 1 && sw <= 1) { /* planar 8-bit: the common case */
                row_u8_to_float(row, w, sw, scale, out);
                continue;
            }
            for (int x = 0; x < w; x++)
                out[x] = load_sample(row, ((x >> sw) * step) + offset, wide) * scale;
        }
    }
}

void convert_luma(WeftPixelFormat format, const float *planes, int w, int h, float *dst)
{
    WeftFormatInfo fi;
    weft_format_info(format, &fi);
    size_t n = (size_t)w * h;
    if (fi.is_rgb) {
        for (size_t i = 0; i < n; i++)
            dst[i] = 0.299f * planes[i] + 0.587f * planes[n + i] + 0.114f * planes[2 * n + i];
    } else {
        memcpy(dst, planes, n * sizeof(float));
    }
    if (fi.has_alpha) {
        /* what is drawn, over mid grey: fully transparent pixels often store black (or
         * anything), and line art on a transparent background would otherwise give the
         * flow a uniform picture; mid grey keeps dark and light drawings visible alike */
        const float *alpha = planes + 3 * n;
        for (size_t i = 0; i < n; i++)
            dst[i] = 0.5f + alpha[i] * (dst[i] - 0.5f);
    }
}

static inline uint8_t float_to_u8(float v, float maxv)
{
    v = v * maxv + 0.5f;
    v = v < 0.0f ? 0.0f : v > maxv ? maxv : v;
    return (uint8_t)v;
}

/* Planar 8-bit rows from whole sample blocks: 1x1 (sw = sh = 0), 2x1 or 2x2 luma-resolution
 * samples per sample, box-averaged as the general loop does (the sum in the same order;
 * dividing by 2 or 4 equals multiplying by 0.5 or 0.25). Returns the samples written. */
static int row_float_to_u8(const float *restrict r0, const float *restrict r1, int w, int sw,
                           int sh, float maxv, uint8_t *restrict out)
{
    if (sw == 0 && sh == 0) {
        for (int x = 0; x < w; x++)
            out[x] = float_to_u8(r0[x], maxv);
        return w;
    }
    if (sw == 1 && sh == 0) {
        for (int x = 0; x < w / 2; x++)
            out[x] = float_to_u8((r0[2 * x] + r0[2 * x + 1]) * 0.5f, maxv);
        return w / 2;
    }
    if (sw == 1 && sh == 1) {
        for (int x = 0; x < w / 2; x++)
            out[x] =
                float_to_u8((r0[2 * x] + r0[2 * x + 1] + r1[2 * x] + r1[2 * x + 1]) * 0.25f, maxv);
        return w / 2;
    }
    return 0;
}

void convert_from_float(const float *src, WeftPicture *pic)
{
    WeftFormatInfo fi;
    weft_format_info(pic->format, &fi);
    const int w = pic->width, h = pic->height, wide = fi.bits > 8;
    const float maxv = (float)((1 << fi.bits) - 1);
    for (int c = 0; c < fi.components; c++) {
        int plane, offset, step, chroma;
        convert_component_layout(&fi, pic->format, c, &plane, &offset, &step, &chroma);
        int sw = chroma ? fi.log2_chroma_w : 0, sh = chroma ? fi.log2_chroma_h : 0;
        int pw = -((-w) >> sw), ph = -((-h) >> sh);
        const float *in = src + (size_t)c * h * w;
        for (int py = 0; py < ph; py++) {
            uint8_t *row = pic->data[plane] + (ptrdiff_t)py * pic->stride[plane];
            int px = 0;
            if (!wide && step == 1 && ((py + 1) << sh) <= h) {
                const float *r0 = in + (size_t)(py << sh) * w;
                px = row_float_to_u8(r0, sh ? r0 + w : r0, w, sw, sh, maxv, row);
            }
            for (; px < pw; px++) {
                /* box average of the luma-resolution samples this chroma sample covers */
                float sum = 0.0f;
                int count = 0;
                for (int dy = 0; dy < (1 << sh); dy++) {
                    int y = (py << sh) + dy;
                    if (y >= h)
                        break;
                    for (int dx = 0; dx < (1 << sw); dx++) {
                        int x = (px << sw) + dx;
                        if (x >= w)
                            break;
                        sum += in[(size_t)y * w + x];
                        count++;
                    }
                }
                float v = sum / (float)count * maxv + 0.5f;
                v = v < 0.0f ? 0.0f : v > maxv ? maxv : v;
                int i = px * step + offset;
                if (wide)
                    ((uint16_t *)row)[i] = (uint16_t)v;
                else
                    row[i] = (uint8_t)v;
            }
        }
    }
}
