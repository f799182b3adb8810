/* Fuzz target: picture <-> planar float conversion (lib/core/convert.h) for every pixel
 * format, odd sizes and negative strides. Input: format, width, height and a flip flag in
 * the first 4 bytes; the rest fills the samples (repeated as needed). Properties:
 * - picture -> float -> picture is bit-exact (samples are masked to the format's depth);
 * - every float lies in [0, 1];
 * - nothing is read or written outside the planes (each plane is its own exact-size
 *   allocation, so ASan sees any overrun). */
#include <stdlib.h>
#include <string.h>

#include "core/convert.h"
#include "fuzz_target.h"
#include "weft/weft.h"

enum { MAX_SIDE = 96 };

static void plane_dims(const WeftFormatInfo *fi, int w, int h, int p, size_t *row_bytes, int *rows)
{
    int chroma = !fi->is_rgb && (p == 1 || p == 2);
    int pw = chroma ? (w + (1 << fi->log2_chroma_w) - 1) >> fi->log2_chroma_w : w;
    *rows = chroma ? (h + (1 << fi->log2_chroma_h) - 1) >> fi->log2_chroma_h : h;
    *row_bytes = (size_t)pw * (fi->bits > 8 ? 2 : 1) * (fi->planes == 1 ? fi->components : 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    WeftPixelFormat format = (WeftPixelFormat)(1 + data[0] % (WEFT_PIX_COUNT - 1));
    int w = 1 + data[1] % MAX_SIDE, h = 1 + data[2] % MAX_SIDE, flip = data[3] & 1;
    const uint8_t *samples = data + 4;
    size_t num_samples = size - 4;
    WeftFormatInfo fi;
    FUZZ_ASSERT(weft_format_info(format, &fi) == 0);
    FUZZ_ASSERT(convert_components(format) == fi.components);

    WeftPicture in = {.width = w, .height = h, .format = format};
    WeftPicture out = in;
    uint8_t *in_planes[4] = {0}, *out_planes[4] = {0};
    float *floats = malloc((size_t)w * h * fi.components * sizeof(float));
    size_t row_bytes[4];
    int rows[4];
    size_t next = 0;
    const uint16_t mask = (uint16_t)((1u << fi.bits) - 1);
    if (!floats)
        goto done;
    for (int p = 0; p < fi.planes; p++) {
        plane_dims(&fi, w, h, p, &row_bytes[p], &rows[p]);
        size_t bytes = row_bytes[p] * rows[p];
        in_planes[p] = malloc(bytes);
        out_planes[p] = malloc(bytes);
        if (!in_planes[p] || !out_planes[p])
            goto done;
        for (size_t i = 0; i < bytes; i++)
            in_planes[p][i] = num_samples ? samples[next++ % num_samples] : (uint8_t)i;
        if (fi.bits > 8)
            for (size_t i = 0; i < bytes / 2; i++)
                ((uint16_t *)(void *)in_planes[p])[i] &= mask;
        memset(out_planes[p], 0, bytes);
        ptrdiff_t stride = (ptrdiff_t)row_bytes[p];
        size_t last_row = row_bytes[p] * (rows[p] - 1);
        in.data[p] = flip ? in_planes[p] + last_row : in_planes[p];
        in.stride[p] = flip ? -stride : stride;
        out.data[p] = out_planes[p];
        out.stride[p] = stride;
    }
    convert_to_float(&in, floats);
    for (size_t i = 0; i < (size_t)w * h * fi.components; i++)
        FUZZ_ASSERT(floats[i] >= 0.0f && floats[i] <= 1.0f);
    convert_from_float(floats, &out);
    for (int p = 0; p < fi.planes; p++)
        for (int y = 0; y < rows[p]; y++)
            FUZZ_ASSERT(memcmp(in.data[p] + (ptrdiff_t)y * in.stride[p],
                               out.data[p] + (ptrdiff_t)y * out.stride[p], row_bytes[p]) == 0);
done:
    for (int p = 0; p < 4; p++) {
        free(in_planes[p]);
        free(out_planes[p]);
    }
    free(floats);
    return 0;
}
