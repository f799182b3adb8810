/*
 * nn_bench: speed and memory of the RIFE runtime (lib/nn) for one in-between.
 *
 *   nn_bench MODEL.weft WIDTH HEIGHT [cpu|vulkan] [RUNS]
 *
 * Random frames of WIDTH x HEIGHT (RGB), t = 0.5; one warm-up run (planning, pipelines),
 * then RUNS timed runs (default 3). Prints the min and median milliseconds per in-between,
 * the process CPU time per in-between (all threads; the steadier figure on a shared machine),
 * the achieved GFLOP/s of the (de)convolutions (2 x nominal multiply-adds per wall second,
 * and per CPU second: the figure to compare on a loaded machine), the planned
 * tensor memory, and the process's peak RSS (whole process: model, weights, frames; on
 * lavapipe the "GPU" buffers too). With WEFT_GPU_PROFILE=1 the Vulkan device's per-op times
 * are logged (verbose level; the totals when the device closes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_clock.h"
#include "core/device.h"
#include "nn/nn_rife.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: nn_bench MODEL.weft WIDTH HEIGHT [cpu|vulkan] [RUNS]\n");
        return 2;
    }
    int w = atoi(argv[2]), h = atoi(argv[3]);
    int vulkan = argc > 4 && !strcmp(argv[4], "vulkan");
    int runs = argc > 5 ? atoi(argv[5]) : 3;
    if (w < 8 || h < 8 || w > 8192 || h > 8192 || runs < 1 || runs > 100) {
        fprintf(stderr, "nn_bench: bad size or run count\n");
        return 2;
    }
    /* WEFT_GPU_PROFILE=1: the per-op totals the Vulkan device logs at verbose level */
    const char *profile = getenv("WEFT_GPU_PROFILE");
    Log log = {.level = profile && *profile && strcmp(profile, "0") ? WEFT_LOG_VERBOSE
                                                                   : WEFT_LOG_WARNING};
    Device *d = NULL;
    NnRife *rife = NULL;
    WeftTensor a = {0}, b = {0}, out = {0};
    float *host = NULL;
    double times[100], cpu_times[100];
    int status = 1, err;
    if ((err = vulkan ? gpu_device_create(&d, &log, -1, NULL) : cpu_device_create(&d, &log, 0)) <
        0) {
        fprintf(stderr, "nn_bench: no %s device (%d)\n", vulkan ? "Vulkan" : "CPU", err);
        return vulkan ? 77 : 1;
    }
    size_t n = (size_t)3 * w * h;
    if (!(host = malloc(n * sizeof(float))))
        goto done;
    srand(1);
    for (size_t i = 0; i < n; i++)
        host[i] = (float)rand() / (float)RAND_MAX;
    if (nn_rife_create(&rife, d, &log, argv[1]) < 0 || device_tensor(d, &a, 3, h, w) < 0 ||
        device_tensor(d, &b, 3, h, w) < 0 || device_tensor(d, &out, 3, h, w) < 0 ||
        device_upload(d, &a, host) < 0 || device_upload(d, &b, host) < 0)
        goto done;
    for (int r = -1; r < runs; r++) {
        double t0 = now_ms(), c0 = cpu_ms();
        if (nn_rife_frame(rife, &a, &b, 0.5f, WEFT_PIX_RGB24, NULL, &out) < 0 ||
            device_download(d, &out, host) < 0)
            goto done;
        if (r >= 0) {
            times[r] = now_ms() - t0;
            cpu_times[r] = cpu_ms() - c0;
        }
    }
    qsort(times, (size_t)runs, sizeof(double), cmp_double);
    qsort(cpu_times, (size_t)runs, sizeof(double), cmp_double);
    size_t bytes;
    double macs;
    nn_rife_stats(rife, &bytes, &macs);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%s %dx%d: min %.0f ms, median %.0f ms per in-between (%d runs; CPU time min %.0f "
           "ms); %.1f GMAC, %.1f GFLOP/s (%.1f per CPU-s); planned tensors %.0f MiB; peak RSS "
           "%.0f MiB\n",
           vulkan ? "vulkan" : "cpu", w, h, times[0], times[runs / 2], runs, cpu_times[0],
           macs * 1e-9, 2 * macs / (times[0] * 1e-3) * 1e-9,
           2 * macs / (cpu_times[0] * 1e-3) * 1e-9, bytes / 1048576.0, ru.ru_maxrss / 1024.0);
    status = 0;
done:
    if (status)
        fprintf(stderr, "nn_bench: failed\n");
    device_tensor_free(&a);
    device_tensor_free(&b);
    device_tensor_free(&out);
    nn_rife_destroy(&rife);
    device_destroy(&d);
    free(host);
    return status;
}
