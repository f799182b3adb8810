/* The convolution tile kernels (lib/ops/nn_conv_kernel.h): every kernel this machine can run
 * (the op tests only reach the one chosen for it) against a double-precision sum of the
 * kernel's contract, for tap counts and channel counts as the ops use them (1: Winograd
 * products, 4: deconvolution, 9: 3x3), with strided channel rows and scattered taps. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "ops/nn_conv_kernel.h"

static float uniform(TestRng *r)
{
    return (float)rng_next(r) / 4294967296.0f * 2.0f - 1.0f;
}

static void check_kernel(const NnConvKernel *k, int index, int ntaps, int cin, TestRng *r)
{
    CHECK_MSG(k->px > 0 && k->px <= NN_CONV_TILE_MAX && k->px % 4 == 0, "kernel %d: px %d",
              index, k->px);
    if (k->px <= 0 || k->px > NN_CONV_TILE_MAX)
        return;
    int tap_off[9];
    for (int t = 0; t < ntaps; t++)
        tap_off[t] = (int)rng_below(r, 40);
    const size_t ic_stride = 40 + (size_t)k->px + rng_below(r, 8);
    float *src = malloc((size_t)cin * ic_stride * sizeof(float));
    float *w = malloc((size_t)cin * ntaps * NN_CONV_OB * sizeof(float));
    float *out = malloc((size_t)NN_CONV_OB * k->px * sizeof(float));
    if (!src || !w || !out) {
        CHECK_MSG(0, "out of memory");
        free(src);
        free(w);
        free(out);
        return;
    }
    for (size_t i = 0; i < (size_t)cin * ic_stride; i++)
        src[i] = uniform(r);
    for (size_t i = 0; i < (size_t)cin * ntaps * NN_CONV_OB; i++)
        w[i] = uniform(r);
    k->tile(src, tap_off, ntaps, ic_stride, cin, w, out);
    double worst = 0;
    for (int o = 0; o < NN_CONV_OB; o++)
        for (int x = 0; x < k->px; x++) {
            double sum = 0;
            for (int ic = 0; ic < cin; ic++)
                for (int t = 0; t < ntaps; t++)
                    sum += (double)src[ic * ic_stride + tap_off[t] + x] *
                           w[((size_t)ic * ntaps + t) * NN_CONV_OB + o];
            double err = fabs(out[o * k->px + x] - sum);
            if (err > worst)
                worst = err;
        }
    /* float sums of cin * ntaps terms of size <= 1: a few ulps of the partial sums */
    CHECK_MSG(worst <= 1e-5 * cin * ntaps, "kernel %d (px %d), %d taps, %d channels: error %g",
              index, k->px, ntaps, cin, worst);
    free(src);
    free(w);
    free(out);
}

int main(void)
{
    NnConvKernel kernels[8];
    int n = nn_conv_kernels(kernels, 8);
    CHECK(n >= 1);
    NnConvKernel chosen = nn_conv_kernel();
    CHECK(n >= 1 && chosen.tile == kernels[0].tile && chosen.px == kernels[0].px);
    TestRng r = {0x9e3779b97f4a7c15ULL};
    static const int taps[] = {1, 4, 9};
    static const int channels[] = {1, 3, 16, 67};
    for (int i = 0; i < n; i++) {
        printf("kernel %d: %d pixels per tile\n", i, kernels[i].px);
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 4; b++)
                check_kernel(&kernels[i], i, taps[a], channels[b], &r);
    }
    return check_result("test_nn_conv_kernel");
}
