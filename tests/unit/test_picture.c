/* Pixel format facts and picture allocation: weft_format_info() against an independent
 * description of each format (FFmpeg's meaning of the names), plane sizes and alignment
 * for odd sizes, argument checks, and weft_picture_unref(). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "weft/weft.h"

typedef struct ExpectedFormat {
    WeftPixelFormat format;
    int planes, components, bits, log2_chroma_w, log2_chroma_h, has_alpha, is_rgb;
} ExpectedFormat;

static const ExpectedFormat expected_formats[] = {
    {WEFT_PIX_GRAY8, 1, 1, 8, 0, 0, 0, 0},      {WEFT_PIX_GRAY16, 1, 1, 16, 0, 0, 0, 0},
    {WEFT_PIX_RGB24, 1, 3, 8, 0, 0, 0, 1},      {WEFT_PIX_RGBA32, 1, 4, 8, 0, 0, 1, 1},
    {WEFT_PIX_GBRP, 3, 3, 8, 0, 0, 0, 1},       {WEFT_PIX_YUV420P, 3, 3, 8, 1, 1, 0, 0},
    {WEFT_PIX_YUV422P, 3, 3, 8, 1, 0, 0, 0},    {WEFT_PIX_YUV444P, 3, 3, 8, 0, 0, 0, 0},
    {WEFT_PIX_YUVA420P, 4, 4, 8, 1, 1, 1, 0},   {WEFT_PIX_YUV420P10, 3, 3, 10, 1, 1, 0, 0},
    {WEFT_PIX_YUV422P10, 3, 3, 10, 1, 0, 0, 0}, {WEFT_PIX_YUV444P10, 3, 3, 10, 0, 0, 0, 0},
    {WEFT_PIX_YUV420P12, 3, 3, 12, 1, 1, 0, 0}, {WEFT_PIX_YUV422P12, 3, 3, 12, 1, 0, 0, 0},
    {WEFT_PIX_YUV444P12, 3, 3, 12, 0, 0, 0, 0}, {WEFT_PIX_YUV420P16, 3, 3, 16, 1, 1, 0, 0},
    {WEFT_PIX_YUV444P16, 3, 3, 16, 0, 0, 0, 0}, {WEFT_PIX_YUVA444P16, 4, 4, 16, 0, 0, 1, 0},
};
#define NUM_EXPECTED (int)(sizeof(expected_formats) / sizeof(expected_formats[0]))

static void test_format_info(void)
{
    /* every format of the enum is described here, so a new one must be added to the test */
    CHECK(NUM_EXPECTED == WEFT_PIX_COUNT - 1);
    for (int i = 0; i < NUM_EXPECTED; i++) {
        const ExpectedFormat *e = &expected_formats[i];
        WeftFormatInfo fi;
        memset(&fi, 0, sizeof(fi));
        CHECK_MSG(weft_format_info(e->format, &fi) == 0, "format %d", e->format);
        CHECK_MSG(fi.name && fi.name[0], "format %d has no name", e->format);
        CHECK_MSG(fi.planes == e->planes && fi.components == e->components && fi.bits == e->bits &&
                      fi.log2_chroma_w == e->log2_chroma_w &&
                      fi.log2_chroma_h == e->log2_chroma_h && fi.has_alpha == e->has_alpha &&
                      fi.is_rgb == e->is_rgb,
                  "format %s described wrongly", fi.name ? fi.name : "?");
        for (int j = 0; j < i; j++) {
            WeftFormatInfo other;
            weft_format_info(expected_formats[j].format, &other);
            CHECK_MSG(strcmp(other.name, fi.name) != 0, "name %s twice", fi.name);
        }
    }
    WeftFormatInfo fi;
    CHECK(weft_format_info(WEFT_PIX_NONE, &fi) == -EINVAL);
    CHECK(weft_format_info(WEFT_PIX_COUNT, &fi) == -EINVAL);
    CHECK(weft_format_info((WeftPixelFormat)-1, &fi) == -EINVAL);
    CHECK(weft_format_info((WeftPixelFormat)1000, &fi) == -EINVAL);
    CHECK(weft_format_info(WEFT_PIX_YUV420P, NULL) == -EINVAL);
}

/* Bytes of one row and number of rows of plane p, worked out from the format's meaning. */
static void expected_plane(const ExpectedFormat *e, int w, int h, int p, size_t *row_bytes,
                           int *rows)
{
    int bytes = e->bits > 8 ? 2 : 1;
    int chroma = !e->is_rgb && (p == 1 || p == 2);
    int pw = chroma ? (w + (1 << e->log2_chroma_w) - 1) >> e->log2_chroma_w : w;
    int ph = chroma ? (h + (1 << e->log2_chroma_h) - 1) >> e->log2_chroma_h : h;
    *row_bytes = (size_t)pw * bytes * (e->planes == 1 ? e->components : 1);
    *rows = ph;
}

static void test_alloc(void)
{
    static const int sizes[][2] = {{1, 1},    {2, 2},       {3, 5},   {17, 9}, {64, 48},
                                   {101, 67}, {1920, 1080}, {1, 333}, {333, 1}};
    for (int i = 0; i < NUM_EXPECTED; i++) {
        const ExpectedFormat *e = &expected_formats[i];
        for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
            int w = sizes[s][0], h = sizes[s][1];
            WeftPicture pic;
            memset(&pic, 0x77, sizeof(pic));
            int err = weft_picture_alloc(&pic, w, h, e->format);
            CHECK_MSG(err == 0, "alloc %dx%d format %d: %d", w, h, e->format, err);
            if (err < 0)
                continue;
            CHECK(pic.width == w && pic.height == h && pic.format == e->format);
            CHECK(pic.buffer != NULL && pic.free_buffer != NULL);
            CHECK(pic.time_base.den > 0);
            for (int p = 0; p < 4; p++) {
                if (p >= e->planes) {
                    CHECK_MSG(pic.data[p] == NULL, "plane %d of a %d-plane format", p, e->planes);
                    continue;
                }
                size_t row_bytes;
                int rows;
                expected_plane(e, w, h, p, &row_bytes, &rows);
                CHECK(pic.data[p] != NULL);
                CHECK_MSG(pic.stride[p] >= (ptrdiff_t)row_bytes, "stride %td < row %zu",
                          pic.stride[p], row_bytes);
                CHECK_MSG(pic.stride[p] % 32 == 0 && (uintptr_t)pic.data[p] % 32 == 0,
                          "plane %d not 32-byte aligned", p);
                /* the whole plane is writable (ASan catches an overrun) */
                for (int y = 0; y < rows; y++)
                    memset(pic.data[p] + (ptrdiff_t)y * pic.stride[p], 0xab, row_bytes);
                /* planes do not overlap: each starts after the previous one ends */
                if (p > 0) {
                    size_t prev_row;
                    int prev_rows;
                    expected_plane(e, w, h, p - 1, &prev_row, &prev_rows);
                    CHECK(pic.data[p] >= pic.data[p - 1] +
                                             (ptrdiff_t)(prev_rows - 1) * pic.stride[p - 1] +
                                             (ptrdiff_t)prev_row);
                }
            }
            weft_picture_unref(&pic);
            CHECK(pic.data[0] == NULL && pic.buffer == NULL && pic.width == 0);
            weft_picture_unref(&pic); /* twice is harmless */
        }
    }
}

static void test_alloc_errors(void)
{
    WeftPicture pic;
    CHECK(weft_picture_alloc(NULL, 16, 16, WEFT_PIX_YUV420P) == -EINVAL);
    CHECK(weft_picture_alloc(&pic, 0, 16, WEFT_PIX_YUV420P) == -EINVAL);
    CHECK(weft_picture_alloc(&pic, 16, 0, WEFT_PIX_YUV420P) == -EINVAL);
    CHECK(weft_picture_alloc(&pic, -16, 16, WEFT_PIX_YUV420P) == -EINVAL);
    CHECK(weft_picture_alloc(&pic, 16, -1, WEFT_PIX_YUV420P) == -EINVAL);
    CHECK(weft_picture_alloc(&pic, 32769, 16, WEFT_PIX_YUV420P) == -EINVAL);
    CHECK(weft_picture_alloc(&pic, 16, 1 << 30, WEFT_PIX_YUV420P) == -EINVAL);
    CHECK(weft_picture_alloc(&pic, 16, 16, WEFT_PIX_NONE) == -EINVAL);
    CHECK(weft_picture_alloc(&pic, 16, 16, WEFT_PIX_COUNT) == -EINVAL);
    weft_picture_unref(NULL);

    /* a picture the caller owns (no buffer): unref must not free the caller's planes */
    uint8_t plane[64];
    WeftPicture mine;
    memset(&mine, 0, sizeof(mine));
    mine.width = mine.height = 8;
    mine.format = WEFT_PIX_GRAY8;
    mine.data[0] = plane;
    mine.stride[0] = 8;
    weft_picture_unref(&mine);
    CHECK(mine.data[0] == NULL);
    plane[0] = 1; /* still ours; ASan would flag a free */

    WeftFlow flow = {0};
    weft_flow_unref(&flow);
    weft_flow_unref(NULL);
}

static void test_strerror(void)
{
    static const int codes[] = {0,       -EINVAL, -ENOMEM,  -ENODEV, -EAGAIN, -EIO,
                                -ERANGE, -ENOSYS, WEFT_EOF, -12345,  1,       -1};
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        const char *text = weft_strerror(codes[i]);
        CHECK_MSG(text != NULL && text[0], "weft_strerror(%d)", codes[i]);
    }
    CHECK(strcmp(weft_strerror(-EINVAL), weft_strerror(-ENOMEM)) != 0);
    CHECK(strcmp(weft_strerror(WEFT_EOF), weft_strerror(-EAGAIN)) != 0);
    CHECK(weft_version() != NULL && weft_version()[0] >= '0' && weft_version()[0] <= '9');
}

int main(void)
{
    test_format_info();
    test_alloc();
    test_alloc_errors();
    test_strerror();
    return check_result("test_picture");
}
