/* The Vulkan path's picture conversions (libplacebo, lib/placebo) against the C path's
 * (lib/core/convert.c), on random pictures of odd sizes in every pixel format (8/10/12/16
 * bits, 4:2:0/4:2:2/4:4:4, RGB packed and planar, grey, alpha), with padded and bottom-up
 * (negative) strides:
 *   picture -> float planes + luma: the largest difference to the C path's floats;
 *   float planes -> picture: every sample must equal the C path's (the floats include
 *   values out of [0, 1] and exactly between two levels, so clamping and rounding count).
 * Both must be exact: the shader does the C code's float operations in the same order.
 * A context on the Vulkan device must take this path (not fall back to the host without a
 * word), and its in-between must be byte-identical to the one made with WEFT_PLACEBO=0.
 * Exit 77 without a Vulkan device or without libplacebo. WEFT_VALIDATION=1 runs it under
 * the validation layer (its errors fail the test). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/context.h"
#include "core/convert.h"
#include "core/device.h"
#include "gpu/gpu_device.h"
#include "placebo/placebo_convert.h"
#include "weft/weft.h"

enum { PAD = 6 }; /* a whole number of 16-bit samples: libplacebo uploads whole texels */

typedef struct Owned {
    WeftPicture pic;
    uint8_t *planes[4];
} Owned;

static void plane_dims(const WeftFormatInfo *fi, int w, int h, int p, size_t *row_bytes,
                       int *rows)
{
    int chroma = !fi->is_rgb && (p == 1 || p == 2);
    int pw = chroma ? (w + (1 << fi->log2_chroma_w) - 1) >> fi->log2_chroma_w : w;
    *rows = chroma ? (h + (1 << fi->log2_chroma_h) - 1) >> fi->log2_chroma_h : h;
    *row_bytes = (size_t)pw * (fi->bits > 8 ? 2 : 1) * (fi->planes == 1 ? fi->components : 1);
}

/* A random picture in a caller-owned buffer with padded rows, bottom-up when flip. */
static int owned_random(Owned *o, const WeftFormatInfo *fi, WeftPixelFormat format, int w, int h,
                        int flip, TestRng *rng)
{
    memset(o, 0, sizeof(*o));
    o->pic = (WeftPicture){.width = w, .height = h, .format = format};
    for (int p = 0; p < fi->planes; p++) {
        size_t row_bytes;
        int rows;
        plane_dims(fi, w, h, p, &row_bytes, &rows);
        size_t stride = row_bytes + PAD;
        if (!(o->planes[p] = malloc(stride * rows)))
            return -1;
        o->pic.stride[p] = flip ? -(ptrdiff_t)stride : (ptrdiff_t)stride;
        o->pic.data[p] = flip ? o->planes[p] + stride * (rows - 1) : o->planes[p];
        for (int y = 0; y < rows; y++) {
            uint8_t *row = o->pic.data[p] + (ptrdiff_t)y * o->pic.stride[p];
            for (size_t i = 0; i < row_bytes / (fi->bits > 8 ? 2 : 1); i++) {
                uint32_t v = rng_below(rng, 1u << fi->bits);
                if (fi->bits > 8)
                    ((uint16_t *)(void *)row)[i] = (uint16_t)v;
                else
                    row[i] = (uint8_t)v;
            }
        }
    }
    return 0;
}

static void owned_free(Owned *o)
{
    for (int p = 0; p < 4; p++)
        free(o->planes[p]);
}

static float max_abs_diff(const float *a, const float *b, size_t n)
{
    float m = 0.0f;
    for (size_t i = 0; i < n; i++) {
        float d = fabsf(a[i] - b[i]);
        m = d > m || d != d ? d : m;
    }
    return m;
}

/* Samples of a and b (same format and size) that differ. */
static long differing_samples(const WeftPicture *a, const WeftPicture *b, const WeftFormatInfo *fi)
{
    long n = 0;
    for (int p = 0; p < fi->planes; p++) {
        size_t row_bytes;
        int rows;
        plane_dims(fi, a->width, a->height, p, &row_bytes, &rows);
        for (int y = 0; y < rows; y++) {
            const uint8_t *ra = a->data[p] + (ptrdiff_t)y * a->stride[p];
            const uint8_t *rb = b->data[p] + (ptrdiff_t)y * b->stride[p];
            for (size_t i = 0; i < row_bytes; i++)
                n += ra[i] != rb[i];
        }
    }
    return n;
}

static float worst_load = 0.0f;
static long worst_store = 0;

static void one_case(Device *dev, PlaceboConvert *pc, WeftPixelFormat format, int w, int h,
                     int flip, TestRng *rng)
{
    WeftFormatInfo fi;
    CHECK(weft_format_info(format, &fi) == 0);
    const int nc = fi.components;
    const size_t n = (size_t)w * h;
    float *want = malloc(n * nc * sizeof(float)), *got = malloc(n * nc * sizeof(float));
    float *want_luma = malloc(n * sizeof(float)), *got_luma = malloc(n * sizeof(float));
    WeftTensor planes = {0}, luma = {0};
    Owned in;
    WeftPicture out_c = {0}, out_pl = {0};
    if (!want || !got || !want_luma || !got_luma || owned_random(&in, &fi, format, w, h, flip, rng) < 0 ||
        device_tensor(dev, &planes, nc, h, w) < 0 || device_tensor(dev, &luma, 1, h, w) < 0) {
        CHECK(!"allocation");
        goto done;
    }

    /* picture -> floats */
    convert_to_float(&in.pic, want);
    convert_luma(format, want, w, h, want_luma);
    int err = placebo_convert_load(pc, &in.pic, &planes, &luma);
    CHECK_MSG(err == 0, "load: format %d %dx%d flip %d: error %d", format, w, h, flip, err);
    if (err == 0 && device_download(dev, &planes, got) == 0 &&
        device_download(dev, &luma, got_luma) == 0) {
        float d = max_abs_diff(want, got, n * nc), dl = max_abs_diff(want_luma, got_luma, n);
        CHECK_MSG(d == 0.0f && dl == 0.0f, "load: format %d %dx%d flip %d: planes differ by %g, "
                  "luma by %g", format, w, h, flip, d, dl);
        worst_load = fmaxf(worst_load, fmaxf(d, dl));
    }

    /* floats -> picture: levels, levels +- half a step, and out-of-range values */
    const float maxv = (float)((1 << fi.bits) - 1);
    for (size_t i = 0; i < n * nc; i++) {
        uint32_t r = rng_next(rng);
        float level = (float)rng_below(rng, 1u << fi.bits) / maxv;
        want[i] = r % 4 == 0 ? level : r % 4 == 1 ? level + 0.5f / maxv
                  : r % 4 == 2 ? -0.1f + 1.2f * (float)(r >> 8) / 16777216.0f
                               : (float)(r >> 8) / 16777216.0f;
    }
    if (device_upload(dev, &planes, want) < 0 || weft_picture_alloc(&out_c, w, h, format) < 0 ||
        weft_picture_alloc(&out_pl, w, h, format) < 0) {
        CHECK(!"allocation");
        goto done;
    }
    convert_from_float(want, &out_c);
    err = placebo_convert_store(pc, &planes, &out_pl);
    CHECK_MSG(err == 0, "store: format %d %dx%d: error %d", format, w, h, err);
    if (err == 0) {
        long bad = differing_samples(&out_c, &out_pl, &fi);
        CHECK_MSG(bad == 0, "store: format %d %dx%d: %ld bytes differ", format, w, h, bad);
        worst_store = bad > worst_store ? bad : worst_store;
    }
done:
    weft_picture_unref(&out_c);
    weft_picture_unref(&out_pl);
    device_tensor_free(&planes);
    device_tensor_free(&luma);
    owned_free(&in);
    free(want);
    free(got);
    free(want_luma);
    free(got_luma);
}

/* In-between at t = 0.5 of two random yuva444p16 pictures, method blend, on the first
 * Vulkan device; *used: the context converted through libplacebo. */
static int context_inbetween(const WeftPicture *a, const WeftPicture *b, WeftPicture *out,
                             int *used)
{
    WeftSettings s;
    weft_default_settings(&s);
    s.method = WEFT_METHOD_BLEND;
    s.log_level = WEFT_LOG_ERROR;
    if (weft_settings_set(&s, "device", "vulkan") < 0)
        return -1;
    WeftContext *c = NULL;
    int err = weft_open(&c, &s);
    if (err < 0)
        return err;
    *used = c->placebo != NULL;
    err = weft_interpolate(c, a, b, 0.5, out);
    weft_close(&c);
    return err;
}

static void test_context(TestRng *rng)
{
    WeftFormatInfo fi;
    weft_format_info(WEFT_PIX_YUVA444P16, &fi);
    Owned a, b;
    WeftPicture with = {0}, without = {0};
    int used = 0, unused = 1;
    if (owned_random(&a, &fi, WEFT_PIX_YUVA444P16, 41, 23, 0, rng) < 0 ||
        owned_random(&b, &fi, WEFT_PIX_YUVA444P16, 41, 23, 1, rng) < 0) {
        CHECK(!"allocation");
        goto done;
    }
    CHECK(context_inbetween(&a.pic, &b.pic, &with, &used) == 0);
    CHECK_MSG(used, "a context on the Vulkan device converts on the host");
    setenv("WEFT_PLACEBO", "0", 1);
    CHECK(context_inbetween(&a.pic, &b.pic, &without, &unused) == 0);
    unsetenv("WEFT_PLACEBO");
    CHECK_MSG(!unused, "WEFT_PLACEBO=0 still converts through libplacebo");
    if (with.data[0] && without.data[0])
        CHECK_MSG(differing_samples(&with, &without, &fi) == 0,
                  "the in-between differs with and without libplacebo");
done:
    weft_picture_unref(&with);
    weft_picture_unref(&without);
    owned_free(&a);
    owned_free(&b);
}

int main(void)
{
    Log log = {.level = WEFT_LOG_WARNING};
    Device *dev = NULL;
    int err = gpu_device_create(&dev, &log, -1, NULL);
    if (err < 0) {
        printf("test_placebo_convert: no Vulkan device (%s); skipped\n", weft_strerror(err));
        return 77;
    }
    PlaceboConvert *pc = NULL;
    if ((err = placebo_convert_create(&pc, dev, &log)) < 0) {
        printf("test_placebo_convert: libplacebo cannot run on '%s' (%s); skipped\n", dev->name,
               err == -ENOSYS ? "built without libplacebo" : weft_strerror(err));
        device_destroy(&dev);
        return 77;
    }
    TestRng rng = {0x9e3779b97f4a7c15ull};
    static const int sizes[][2] = {{1, 1}, {7, 5}, {33, 18}, {64, 9}, {45, 31}};
    for (int f = WEFT_PIX_NONE + 1; f < WEFT_PIX_COUNT; f++)
        for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
            one_case(dev, pc, (WeftPixelFormat)f, sizes[s][0], sizes[s][1], s == 2, &rng);
    /* the same converter for a new size after others (textures are recreated) */
    one_case(dev, pc, WEFT_PIX_YUV420P10, 99, 57, 0, &rng);
    test_context(&rng);
    printf("largest float difference %g, most differing output bytes %ld\n", worst_load,
           worst_store);
    placebo_convert_destroy(&pc);
    int validation = gpu_device_validation_errors(dev);
    CHECK_MSG(validation <= 0, "%d validation errors", validation);
    device_destroy(&dev);
    return check_result("test_placebo_convert");
}
