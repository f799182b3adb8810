/* Cost of the Vulkan path's picture conversions per 1920x1080 picture: the host C
 * conversions + tensor upload/download (what the Vulkan path did before lib/placebo), against
 * libplacebo on the device (lib/placebo). For each: wall time, the CPU time of the calling
 * thread (the host's own share of the work) and of the whole process (which includes the
 * driver's threads: on lavapipe, the shaders themselves), min and median over the reps.
 *   convert_bench [reps]     exits 77 without a Vulkan device or libplacebo */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/convert.h"
#include "core/device.h"
#include "core/picture.h"
#include "gpu/gpu_device.h"
#include "placebo/placebo_convert.h"
#include "weft/weft.h"

enum { W = 1920, H = 1080, MAX_REPS = 101 };

static double seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct Sample {
    double wall[MAX_REPS], thread[MAX_REPS], process[MAX_REPS];
} Sample;

static void report(const char *what, Sample *s, int reps)
{
    qsort(s->wall, reps, sizeof(double), cmp_double);
    qsort(s->thread, reps, sizeof(double), cmp_double);
    qsort(s->process, reps, sizeof(double), cmp_double);
    printf("| %-34s | %7.2f / %7.2f | %7.2f / %7.2f | %7.2f / %7.2f |\n", what,
           1e3 * s->wall[0], 1e3 * s->wall[reps / 2], 1e3 * s->thread[0],
           1e3 * s->thread[reps / 2], 1e3 * s->process[0], 1e3 * s->process[reps / 2]);
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 15;
    reps = reps < 1 ? 1 : reps > MAX_REPS ? MAX_REPS : reps;
    Log log = {.level = WEFT_LOG_WARNING};
    Device *dev = NULL;
    PlaceboConvert *pc = NULL;
    if (gpu_device_create(&dev, &log, -1, NULL) < 0 ||
        placebo_convert_create(&pc, dev, &log) < 0) {
        printf("convert_bench: no Vulkan device or no libplacebo; skipped\n");
        device_destroy(&dev);
        return 77;
    }
    printf("device: %s, %dx%d, %d reps; ms per picture, min / median\n", dev->name, W, H, reps);
    printf("| %-34s | %-17s | %-17s | %-17s |\n", "conversion", "wall", "thread CPU",
           "process CPU");
    printf("|---|---|---|---|\n");
    static const WeftPixelFormat formats[] = {WEFT_PIX_YUV420P, WEFT_PIX_YUV420P10,
                                              WEFT_PIX_RGBA32};
    for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
        WeftFormatInfo fi;
        weft_format_info(formats[f], &fi);
        const int nc = fi.components;
        WeftPicture in, out;
        WeftTensor planes = {0}, luma = {0};
        float *host = malloc((size_t)W * H * nc * sizeof(float));
        float *host_luma = malloc((size_t)W * H * sizeof(float));
        if (!host || !host_luma || weft_picture_alloc(&in, W, H, formats[f]) < 0 ||
            weft_picture_alloc(&out, W, H, formats[f]) < 0 ||
            device_tensor(dev, &planes, nc, H, W) < 0 || device_tensor(dev, &luma, 1, H, W) < 0)
            return 1;
        for (int p = 0; p < fi.planes; p++) { /* any content: the cost does not depend on it */
            size_t row_bytes;
            int rows;
            picture_plane_size(&fi, W, H, p, &row_bytes, &rows);
            for (int y = 0; y < rows; y++)
                for (size_t x = 0; x < row_bytes; x++)
                    in.data[p][(ptrdiff_t)y * in.stride[p] + (ptrdiff_t)x] =
                        (uint8_t)(fi.bits > 8 && (x & 1) ? x & 3 : x * 7 + (size_t)y * 3);
        }
        for (int path = 0; path < 2; path++) {
            Sample load, store;
            for (int r = 0; r < reps + 1; r++) { /* the first builds the shaders: not counted */
                double w0 = seconds(CLOCK_MONOTONIC), t0 = seconds(CLOCK_THREAD_CPUTIME_ID),
                       p0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
                if (path == 0) {
                    convert_to_float(&in, host);
                    convert_luma(formats[f], host, W, H, host_luma);
                    device_upload(dev, &planes, host);
                    device_upload(dev, &luma, host_luma);
                    device_finish(dev);
                } else if (placebo_convert_load(pc, &in, &planes, &luma) < 0) {
                    return 1;
                }
                double w1 = seconds(CLOCK_MONOTONIC), t1 = seconds(CLOCK_THREAD_CPUTIME_ID),
                       p1 = seconds(CLOCK_PROCESS_CPUTIME_ID);
                if (path == 0) {
                    device_download(dev, &planes, host);
                    convert_from_float(host, &out);
                } else if (placebo_convert_store(pc, &planes, &out) < 0) {
                    return 1;
                }
                double w2 = seconds(CLOCK_MONOTONIC), t2 = seconds(CLOCK_THREAD_CPUTIME_ID),
                       p2 = seconds(CLOCK_PROCESS_CPUTIME_ID);
                if (r == 0)
                    continue;
                load.wall[r - 1] = w1 - w0, load.thread[r - 1] = t1 - t0;
                load.process[r - 1] = p1 - p0;
                store.wall[r - 1] = w2 - w1, store.thread[r - 1] = t2 - t1;
                store.process[r - 1] = p2 - p1;
            }
            char name[64];
            snprintf(name, sizeof(name), "%s %s in", fi.bits > 8 ? "yuv420p10" : nc == 4 ? "rgba" : "yuv420p",
                     path ? "libplacebo" : "host C");
            report(name, &load, reps);
            snprintf(name, sizeof(name), "%s %s out", fi.bits > 8 ? "yuv420p10" : nc == 4 ? "rgba" : "yuv420p",
                     path ? "libplacebo" : "host C");
            report(name, &store, reps);
        }
        device_tensor_free(&planes);
        device_tensor_free(&luma);
        weft_picture_unref(&in);
        weft_picture_unref(&out);
        free(host);
        free(host_luma);
    }
    placebo_convert_destroy(&pc);
    device_destroy(&dev);
    return 0;
}
