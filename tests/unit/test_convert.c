/* Conversion between pictures and planar float (lib/core/convert.h): for every pixel
 * format, random samples go picture -> float -> picture and must come back bit-exact;
 * the float values are checked against the samples directly (component order, scaling,
 * chroma replication); negative strides work; row padding is never written. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/convert.h"
#include "weft/weft.h"

/* Where component c of pixel (x, y) lives, from the format's documented meaning. */
static uint32_t read_component(const WeftPicture *pic, const WeftFormatInfo *fi, int c, int x,
                               int y)
{
    int plane = c, step = 1, offset = 0;
    if (fi->planes == 1) {
        plane = 0;
        step = fi->components;
        offset = c;
    } else if (pic->format == WEFT_PIX_GBRP) {
        static const int gbrp_plane_of[3] = {2, 0, 1}; /* R in plane 2, G in 0, B in 1 */
        plane = gbrp_plane_of[c];
    } else if (!fi->is_rgb && (c == 1 || c == 2)) {
        x >>= fi->log2_chroma_w;
        y >>= fi->log2_chroma_h;
    }
    const uint8_t *row = pic->data[plane] + (ptrdiff_t)y * pic->stride[plane];
    int i = x * step + offset;
    return fi->bits > 8 ? ((const uint16_t *)(const void *)row)[i] : row[i];
}

static void plane_dims(const WeftFormatInfo *fi, int w, int h, int p, size_t *row_bytes, int *rows)
{
    int chroma = !fi->is_rgb && (p == 1 || p == 2);
    int pw = chroma ? (w + (1 << fi->log2_chroma_w) - 1) >> fi->log2_chroma_w : w;
    *rows = chroma ? (h + (1 << fi->log2_chroma_h) - 1) >> fi->log2_chroma_h : h;
    *row_bytes = (size_t)pw * (fi->bits > 8 ? 2 : 1) * (fi->planes == 1 ? fi->components : 1);
}

enum { PAD = 14, PAD_BYTE = 0xEE };

/* A picture in a caller-owned buffer with PAD bytes of padding after every row; with
 * flip, rows are stored bottom-up and reached through a negative stride. */
typedef struct OwnedPicture {
    WeftPicture pic;
    uint8_t *planes[4];
    size_t plane_bytes[4];
} OwnedPicture;

static int owned_alloc(OwnedPicture *o, const WeftFormatInfo *fi, WeftPixelFormat format, int w,
                       int h, int flip)
{
    memset(o, 0, sizeof(*o));
    o->pic.width = w;
    o->pic.height = h;
    o->pic.format = format;
    for (int p = 0; p < fi->planes; p++) {
        size_t row_bytes;
        int rows;
        plane_dims(fi, w, h, p, &row_bytes, &rows);
        size_t stride = row_bytes + PAD;
        o->plane_bytes[p] = stride * rows;
        o->planes[p] = malloc(o->plane_bytes[p]);
        if (!o->planes[p])
            return -1;
        memset(o->planes[p], PAD_BYTE, o->plane_bytes[p]);
        o->pic.stride[p] = flip ? -(ptrdiff_t)stride : (ptrdiff_t)stride;
        o->pic.data[p] = flip ? o->planes[p] + stride * (rows - 1) : o->planes[p];
    }
    return 0;
}

static void owned_free(OwnedPicture *o)
{
    for (int p = 0; p < 4; p++)
        free(o->planes[p]);
}

/* Fills the samples (not the padding) with random values of the format's bit depth. */
static void fill_random(OwnedPicture *o, const WeftFormatInfo *fi, TestRng *rng)
{
    uint32_t levels = 1u << fi->bits;
    for (int p = 0; p < fi->planes; p++) {
        size_t row_bytes;
        int rows;
        plane_dims(fi, o->pic.width, o->pic.height, p, &row_bytes, &rows);
        for (int y = 0; y < rows; y++) {
            uint8_t *row = o->pic.data[p] + (ptrdiff_t)y * o->pic.stride[p];
            if (fi->bits > 8) {
                for (size_t i = 0; i < row_bytes / 2; i++)
                    ((uint16_t *)(void *)row)[i] = (uint16_t)rng_below(rng, levels);
            } else {
                for (size_t i = 0; i < row_bytes; i++)
                    row[i] = (uint8_t)rng_below(rng, levels);
            }
        }
    }
}

static int same_samples(const OwnedPicture *a, const OwnedPicture *b, const WeftFormatInfo *fi)
{
    for (int p = 0; p < fi->planes; p++) {
        size_t row_bytes;
        int rows;
        plane_dims(fi, a->pic.width, a->pic.height, p, &row_bytes, &rows);
        for (int y = 0; y < rows; y++)
            if (memcmp(a->pic.data[p] + (ptrdiff_t)y * a->pic.stride[p],
                       b->pic.data[p] + (ptrdiff_t)y * b->pic.stride[p], row_bytes))
                return 0;
    }
    return 1;
}

static int padding_intact(const OwnedPicture *o, const WeftFormatInfo *fi)
{
    for (int p = 0; p < fi->planes; p++) {
        size_t row_bytes;
        int rows;
        plane_dims(fi, o->pic.width, o->pic.height, p, &row_bytes, &rows);
        size_t stride = row_bytes + PAD;
        for (int r = 0; r < rows; r++)
            for (size_t i = row_bytes; i < stride; i++)
                if (o->planes[p][r * stride + i] != PAD_BYTE)
                    return 0;
    }
    return 1;
}

static void round_trip(WeftPixelFormat format, int w, int h, int flip, TestRng *rng)
{
    WeftFormatInfo fi;
    CHECK(weft_format_info(format, &fi) == 0);
    CHECK(convert_components(format) == fi.components);
    OwnedPicture in, out;
    size_t n = (size_t)w * h;
    float *planes = malloc(n * fi.components * sizeof(float));
    float *luma = malloc(n * sizeof(float));
    if (owned_alloc(&in, &fi, format, w, h, flip) < 0 ||
        owned_alloc(&out, &fi, format, w, h, !flip) < 0 || !planes || !luma) {
        CHECK_MSG(0, "out of memory");
        goto done;
    }
    fill_random(&in, &fi, rng);
    convert_to_float(&in.pic, planes);

    /* every float is its sample / (2^bits - 1), chroma replicated over the block it covers */
    const double maxv = (double)((1u << fi.bits) - 1);
    int bad_values = 0;
    for (int c = 0; c < fi.components; c++)
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double want = read_component(&in.pic, &fi, c, x, y) / maxv;
                double got = planes[((size_t)c * h + y) * w + x];
                bad_values += fabs(got - want) > 1e-6;
            }
    CHECK_MSG(bad_values == 0, "%s %dx%d flip=%d: %d float values wrong", fi.name, w, h, flip,
              bad_values);

    /* luma: Y itself, or BT.601 weights of R, G, B; with alpha, over mid grey */
    convert_luma(format, planes, w, h, luma);
    int bad_luma = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double want = fi.is_rgb ? (0.299 * read_component(&in.pic, &fi, 0, x, y) +
                                       0.587 * read_component(&in.pic, &fi, 1, x, y) +
                                       0.114 * read_component(&in.pic, &fi, 2, x, y)) /
                                          maxv
                                    : read_component(&in.pic, &fi, 0, x, y) / maxv;
            if (fi.has_alpha) /* over mid grey */
                want = 0.5 + read_component(&in.pic, &fi, 3, x, y) / maxv * (want - 0.5);
            bad_luma += fabs(luma[(size_t)y * w + x] - want) > 1e-5;
        }
    CHECK_MSG(bad_luma == 0, "%s %dx%d: %d luma values wrong", fi.name, w, h, bad_luma);

    convert_from_float(planes, &out.pic);
    CHECK_MSG(same_samples(&in, &out, &fi), "%s %dx%d flip=%d: round trip not bit-exact", fi.name,
              w, h, flip);
    CHECK_MSG(padding_intact(&out, &fi), "%s %dx%d: row padding written", fi.name, w, h);
    CHECK_MSG(padding_intact(&in, &fi), "%s %dx%d: input padding written", fi.name, w, h);
done:
    free(planes);
    free(luma);
    owned_free(&in);
    owned_free(&out);
}

/* Values outside [0, 1] clamp to the ends of the range instead of wrapping. */
static void test_clamp(void)
{
    OwnedPicture o;
    WeftFormatInfo fi;
    weft_format_info(WEFT_PIX_YUV444P10, &fi);
    if (owned_alloc(&o, &fi, WEFT_PIX_YUV444P10, 4, 1, 0) < 0) {
        CHECK_MSG(0, "out of memory");
        owned_free(&o);
        return;
    }
    const float values[3 * 4] = {-1.0f, 2.0f,   0.0f,    1.0f,  -0.001f, 1.001f,
                                 0.5f,  100.0f, -100.0f, 0.25f, 1.0f,    0.0f};
    convert_from_float(values, &o.pic);
    const uint16_t *y = (const uint16_t *)(const void *)o.pic.data[0];
    const uint16_t *u = (const uint16_t *)(const void *)o.pic.data[1];
    const uint16_t *v = (const uint16_t *)(const void *)o.pic.data[2];
    CHECK(y[0] == 0 && y[1] == 1023 && y[2] == 0 && y[3] == 1023);
    CHECK(u[0] == 0 && u[1] == 1023 && (u[2] == 511 || u[2] == 512) && u[3] == 1023);
    CHECK(v[0] == 0 && v[1] == 256 && v[2] == 1023 && v[3] == 0);
    owned_free(&o);
}

/* A 2x2 chroma block that holds different values is stored as their mean. */
static void test_chroma_average(void)
{
    OwnedPicture o;
    WeftFormatInfo fi;
    weft_format_info(WEFT_PIX_YUV420P, &fi);
    if (owned_alloc(&o, &fi, WEFT_PIX_YUV420P, 2, 2, 0) < 0) {
        CHECK_MSG(0, "out of memory");
        owned_free(&o);
        return;
    }
    const float values[3 * 4] = {0,           0,           0, 0, 10 / 255.0f, 20 / 255.0f,
                                 30 / 255.0f, 40 / 255.0f, 1, 1, 0,           0};
    convert_from_float(values, &o.pic);
    CHECK(o.pic.data[1][0] == 25);
    CHECK(o.pic.data[2][0] == 128 || o.pic.data[2][0] == 127);
    owned_free(&o);
}

int main(void)
{
    static const int sizes[][2] = {{1, 1},   {2, 2},  {3, 3},  {7, 5},   {16, 16},
                                   {33, 17}, {64, 1}, {1, 31}, {101, 57}};
    TestRng rng = {0x9E3779B97F4A7C15ULL};
    for (int f = WEFT_PIX_NONE + 1; f < WEFT_PIX_COUNT; f++)
        for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
            for (int flip = 0; flip < 2; flip++)
                round_trip((WeftPixelFormat)f, sizes[s][0], sizes[s][1], flip, &rng);
    test_clamp();
    test_chroma_average();
    return check_result("test_convert");
}
