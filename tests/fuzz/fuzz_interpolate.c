/* Fuzz target: the one-shot calls of the public API (weft_interpolate, weft_compute_flow)
 * on the C path, with small pictures of every format and odd sizes (down to 1x1), any t,
 * both methods and every flow quality. Input: format, width, height, t, mode in the first
 * 5 bytes; the rest fills the samples of A and then B (repeated as needed).
 * Properties:
 * - valid arguments never fail, and the output has A's size and format;
 * - flows are finite;
 * - when A and B are the same picture, the in-between is that picture (within one step of
 *   the least significant bit) and the flow is near zero. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_target.h"
#include "weft/weft.h"

enum { MAX_SIDE = 48 };

static void quiet_log(void *opaque, int level, const char *msg)
{
    (void)opaque;
    (void)level;
    (void)msg;
}

static void fill(WeftPicture *pic, const WeftFormatInfo *fi, const uint8_t *samples,
                 size_t num_samples, size_t *next)
{
    const uint16_t mask = (uint16_t)((1u << fi->bits) - 1);
    for (int p = 0; p < fi->planes; p++) {
        int chroma = !fi->is_rgb && (p == 1 || p == 2);
        int pw = chroma ? -((-pic->width) >> fi->log2_chroma_w) : pic->width;
        int ph = chroma ? -((-pic->height) >> fi->log2_chroma_h) : pic->height;
        size_t count = (size_t)pw * (fi->planes == 1 ? fi->components : 1);
        for (int y = 0; y < ph; y++) {
            uint8_t *row = pic->data[p] + (ptrdiff_t)y * pic->stride[p];
            for (size_t i = 0; i < count; i++) {
                uint8_t v = num_samples ? samples[(*next)++ % num_samples] : (uint8_t)i;
                if (fi->bits > 8)
                    ((uint16_t *)(void *)row)[i] = (uint16_t)((v * 257u) & mask);
                else
                    row[i] = v;
            }
        }
    }
}

/* Largest difference between two pictures of the same size and format, in sample steps. */
static int max_difference(const WeftPicture *a, const WeftPicture *b, const WeftFormatInfo *fi)
{
    int worst = 0;
    for (int p = 0; p < fi->planes; p++) {
        int chroma = !fi->is_rgb && (p == 1 || p == 2);
        int pw = chroma ? -((-a->width) >> fi->log2_chroma_w) : a->width;
        int ph = chroma ? -((-a->height) >> fi->log2_chroma_h) : a->height;
        size_t count = (size_t)pw * (fi->planes == 1 ? fi->components : 1);
        for (int y = 0; y < ph; y++) {
            const uint8_t *ra = a->data[p] + (ptrdiff_t)y * a->stride[p];
            const uint8_t *rb = b->data[p] + (ptrdiff_t)y * b->stride[p];
            for (size_t i = 0; i < count; i++) {
                int va = fi->bits > 8 ? ((const uint16_t *)(const void *)ra)[i] : ra[i];
                int vb = fi->bits > 8 ? ((const uint16_t *)(const void *)rb)[i] : rb[i];
                int d = abs(va - vb);
                worst = d > worst ? d : worst;
            }
        }
    }
    return worst;
}

static void check_flow(const WeftFlow *f, int w, int h, int same)
{
    FUZZ_ASSERT(f->width == w && f->height == h && f->u && f->v);
    for (size_t i = 0; i < (size_t)w * h; i++) {
        FUZZ_ASSERT(isfinite(f->u[i]) && isfinite(f->v[i]));
        if (same)
            FUZZ_ASSERT(fabsf(f->u[i]) <= 0.5f && fabsf(f->v[i]) <= 0.5f);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 5)
        return 0;
    WeftPixelFormat format = (WeftPixelFormat)(1 + data[0] % (WEFT_PIX_COUNT - 1));
    int w = 1 + data[1] % MAX_SIDE, h = 1 + data[2] % MAX_SIDE;
    double t = (data[3] + 1) / 257.0; /* in (0, 1) */
    int mode = data[4];
    int same = mode & 1, method = (mode >> 1) & 1, quality = ((mode >> 2) & 3) % 3;
    const uint8_t *samples = data + 5;
    size_t num_samples = size - 5, next = 0;

    WeftFormatInfo fi;
    FUZZ_ASSERT(weft_format_info(format, &fi) == 0);
    WeftSettings s;
    weft_default_settings(&s);
    s.device = WEFT_DEVICE_CPU;
    s.threads = 1 + (mode >> 4) % 3;
    s.method = method ? WEFT_METHOD_BLEND : WEFT_METHOD_FLOW;
    s.quality = quality;
    s.log = quiet_log;
    WeftContext *c = NULL;
    WeftPicture a = {0}, b = {0}, out = {0};
    WeftFlow forward = {0}, backward = {0};
    if (weft_open(&c, &s) < 0 || weft_picture_alloc(&a, w, h, format) < 0 ||
        weft_picture_alloc(&b, w, h, format) < 0)
        goto done; /* out of memory: nothing to check */
    fill(&a, &fi, samples, num_samples, &next);
    if (same)
        next = 0;
    fill(&b, &fi, samples, num_samples, &next);

    int err = weft_interpolate(c, &a, &b, t, &out);
    if (err == -ENOSYS)
        goto done; /* the documented answer of a part not built yet; nothing to check */
    FUZZ_ASSERT(err == 0 || err == -ENOMEM);
    if (err == 0) {
        FUZZ_ASSERT(out.width == w && out.height == h && out.format == format);
        if (same)
            FUZZ_ASSERT(max_difference(&a, &out, &fi) <= 1);
    }
    if (method == 0) {
        err = weft_compute_flow(c, &a, &b, &forward, &backward);
        FUZZ_ASSERT(err == 0 || err == -ENOMEM || err == -ENOSYS);
        if (err == 0) {
            check_flow(&forward, w, h, same);
            check_flow(&backward, w, h, same);
        }
    }
done:
    weft_flow_unref(&forward);
    weft_flow_unref(&backward);
    weft_picture_unref(&out);
    weft_picture_unref(&a);
    weft_picture_unref(&b);
    weft_close(&c);
    return 0;
}
