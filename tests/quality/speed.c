/* speed: time of one in-between (flow both ways + synthesis + conversion) through the
 * public API, for tests/quality/score.py --speed.
 * usage: speed A.ppm B.ppm QUALITY THREADS [RUNS]
 * Prints the best wall time and the CPU time of the process per in-between (CPU time /
 * threads estimates the wall time on an otherwise idle machine). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "weft/weft.h"

static int load_ppm(const char *path, WeftPicture *pic)
{
    FILE *f = fopen(path, "rb");
    int w, h, maxval, err = -1;
    if (!f)
        return -1;
    if (fscanf(f, "P6 %d %d %d", &w, &h, &maxval) != 3 || maxval != 255 || fgetc(f) == EOF ||
        weft_picture_alloc(pic, w, h, WEFT_PIX_RGB24) < 0)
        goto done;
    for (int y = 0; y < h; y++)
        if (fread(pic->data[0] + y * pic->stride[0], 3, (size_t)w, f) != (size_t)w)
            goto done;
    err = 0;
done:
    fclose(f);
    return err;
}

static double seconds(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: speed A.ppm B.ppm fast|medium|high THREADS [RUNS]\n");
        return 2;
    }
    WeftPicture a = {0}, b = {0}, out = {0};
    WeftContext *ctx = NULL;
    WeftSettings s;
    int status = 1;
    const int threads = atoi(argv[4]), runs = argc > 5 ? atoi(argv[5]) : 3;
    if (load_ppm(argv[1], &a) < 0 || load_ppm(argv[2], &b) < 0) {
        fprintf(stderr, "speed: cannot read %s or %s\n", argv[1], argv[2]);
        goto done;
    }
    weft_default_settings(&s);
    if (weft_settings_set(&s, "device", "cpu") < 0 ||
        weft_settings_set(&s, "threads", argv[4]) < 0 ||
        weft_settings_set(&s, "quality", argv[3]) < 0 || weft_open(&ctx, &s) < 0)
        goto done;
    double best_wall = 1e30, best_cpu = 1e30;
    for (int i = 0; i <= runs; i++) {
        /* swap the frames each run so every run computes the flows anew */
        double w0 = seconds(CLOCK_MONOTONIC), c0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
        if (weft_interpolate(ctx, i & 1 ? &b : &a, i & 1 ? &a : &b, 0.5, &out) < 0)
            goto done;
        double wall = seconds(CLOCK_MONOTONIC) - w0;
        double cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
        weft_picture_unref(&out);
        if (i > 0 && wall < best_wall) /* run 0 warms up (allocation) */
            best_wall = wall;
        if (i > 0 && cpu < best_cpu)
            best_cpu = cpu;
    }
    printf("%s %dx%d threads %d: wall %.0f ms, cpu %.0f ms, cpu/threads %.0f ms per in-between\n",
           argv[3], a.width, a.height, threads, best_wall * 1e3, best_cpu * 1e3,
           best_cpu * 1e3 / (threads > 0 ? threads : 1));
    status = 0;
done:
    weft_close(&ctx);
    weft_picture_unref(&a);
    weft_picture_unref(&b);
    return status;
}
