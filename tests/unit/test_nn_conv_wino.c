/* The Winograd convolution of the C path (nn_conv_wino, F(6x6, 3x3)) against the direct one
 * (nn_conv, stride 1) with the same 3x3 weights, each packed by its op's own packer: sizes
 * that leave partial tiles, groups of tiles that span rows of tiles and pictures of one group
 * (split over output blocks), 1 to 19 channels, activations and residuals. (The op test
 * compares the op's C path with its shader, which share the transforms; this checks that the
 * transforms compute the convolution.) */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "core/device.h"
#include "ops/nn_conv.h"
#include "ops/nn_conv_kernel.h"
#include "ops/nn_conv_wino.h"

static float uniform(TestRng *r, float lo, float hi)
{
    return lo + (hi - lo) * ((float)rng_next(r) / 4294967296.0f);
}

static int upload_random(Device *d, WeftTensor *t, int c, int h, int w, TestRng *r, float lo,
                         float hi)
{
    size_t n = (size_t)c * h * w;
    float *v = malloc(n * sizeof(float));
    if (!v)
        return -1;
    for (size_t i = 0; i < n; i++)
        v[i] = uniform(r, lo, hi);
    int err = device_tensor(d, t, c, h, w) < 0 || device_upload(d, t, v) < 0 ? -1 : 0;
    free(v);
    return err;
}

static int upload_packed(Device *d, WeftTensor *t, const float *w, int cout, int cin, int wino)
{
    size_t n = wino ? nn_conv_wino_packed_count(cout, cin) : nn_conv_packed_count(cout, cin);
    float *packed = malloc(n * sizeof(float));
    if (!packed)
        return -1;
    if (wino)
        nn_conv_wino_pack(w, cout, cin, packed);
    else
        nn_conv_pack(w, cout, cin, packed);
    int err = device_tensor(d, t, 1, 1, (int)n) < 0 || device_upload(d, t, packed) < 0 ? -1 : 0;
    free(packed);
    return err;
}

static void check_case(Device *d, int cin, int cout, int h, int w, int act, int with_res,
                       TestRng *r)
{
    WeftTensor in = {0}, bias = {0}, res = {0}, wd = {0}, ww = {0}, od = {0}, ow = {0};
    float *weights = malloc((size_t)cout * cin * 9 * sizeof(float));
    size_t n = (size_t)cout * h * w;
    float *ref = malloc(n * sizeof(float)), *got = malloc(n * sizeof(float));
    int ok = weights && ref && got;
    if (ok) {
        for (size_t i = 0; i < (size_t)cout * cin * 9; i++)
            weights[i] = uniform(r, -0.5f, 0.5f);
        ok = upload_random(d, &in, cin, h, w, r, -1, 1) == 0 &&
             upload_random(d, &bias, 1, 1, nn_round_up(cout, NN_CONV_OB), r, -0.1f, 0.1f) == 0 &&
             upload_random(d, &res, cout, h, w, r, -1, 1) == 0 &&
             upload_packed(d, &wd, weights, cout, cin, 0) == 0 &&
             upload_packed(d, &ww, weights, cout, cin, 1) == 0 &&
             device_tensor(d, &od, cout, h, w) == 0 && device_tensor(d, &ow, cout, h, w) == 0;
    }
    CHECK_MSG(ok, "setup of %d -> %d channels, %dx%d", cin, cout, w, h);
    WeftTensor *rp = with_res ? &res : NULL;
    if (ok) {
        CHECK(op_nn_conv_res(d, &in, &wd, &bias, 1, act, 0.1f, rp, act, 0.2f, &od) == 0);
        CHECK(op_nn_conv_wino(d, &in, &ww, &bias, act, 0.1f, rp, act, 0.2f, &ow) == 0);
        CHECK(device_download(d, &od, ref) == 0);
        CHECK(device_download(d, &ow, got) == 0);
        double worst = 0;
        for (size_t i = 0; i < n; i++) {
            double e = fabs((double)got[i] - ref[i]);
            if (!(e <= worst)) /* NaN too */
                worst = e;
        }
        /* terms of size <= 0.5 (9 cin of them) and a residual <= 1: a few float ulps of that
         * bound (measured: 6e-7 of it; a wrong coefficient errs by ~0.1) */
        const double tol = 3e-6 * (0.5 * 9 * cin + 1);
        CHECK_MSG(worst <= tol,
                  "%d -> %d channels, %dx%d, act %d, res %d: max error %g (tolerance %g)", cin,
                  cout, w, h, act, with_res, worst, tol);
    }
    WeftTensor *all[] = {&in, &bias, &res, &wd, &ww, &od, &ow};
    for (int i = 0; i < 7; i++)
        device_tensor_free(all[i]);
    free(weights);
    free(ref);
    free(got);
}

int main(void)
{
    Log log = {.level = WEFT_LOG_WARNING};
    Device *d = NULL;
    CHECK(cpu_device_create(&d, &log, 2) == 0);
    if (!d)
        return check_result("test_nn_conv_wino");
    TestRng r = {0x2545f4914f6cdd1dULL};
    static const int sizes[][2] = {{1, 1}, {5, 7}, {23, 37}, {61, 50}, {8, 200}};
    static const int chans[][2] = {{1, 1}, {3, 9}, {19, 8}, {8, 19}};
    for (int s = 0; s < 5; s++)
        for (int c = 0; c < 4; c++)
            check_case(d, chans[c][0], chans[c][1], sizes[s][0], sizes[s][1], (s + c) % 3,
                       (s + c) % 2, &r);
    device_destroy(&d);
    return check_result("test_nn_conv_wino");
}
