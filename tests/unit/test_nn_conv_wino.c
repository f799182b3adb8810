/* The Winograd convolution of the C path (nn_conv_wino, F(6x6, 3x3)) against the direct one
 * (nn_conv, stride 1) with the same 3x3 weights, each packed by its op's own packer: sizes
 * that leave partial tiles, groups of tiles that span rows of tiles and pictures of one group
 * (split over output blocks), 1 to 19 channels, activations and residuals. (The op test
 * compares the op's C path with its shader, which share the transforms; this checks that the
 * transforms compute the convolution.) Also a deconvolution as the C path runs it
 * (nn_deconv_as_conv3x3, nn_conv_wino, pixel shuffle) against nn_deconv. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "core/device.h"
#include "ops/nn_conv.h"
#include "ops/nn_conv_kernel.h"
#include "ops/nn_conv_wino.h"
#include "ops/nn_deconv.h"
#include "ops/nn_pixel_shuffle.h"

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

static double max_diff(Device *d, WeftTensor *a, WeftTensor *b)
{
    size_t n = tensor_count(a);
    float *x = malloc(n * sizeof(float)), *y = malloc(n * sizeof(float));
    double worst = x && y ? 0 : 1e30;
    if (x && y && device_download(d, a, x) == 0 && device_download(d, b, y) == 0)
        for (size_t i = 0; i < n; i++) {
            double e = fabs((double)x[i] - y[i]);
            if (!(e <= worst)) /* NaN too */
                worst = e;
        }
    free(x);
    free(y);
    return worst;
}

static void check_deconv(Device *d, int cin, int cout, int h, int w, int act, TestRng *r)
{
    WeftTensor in = {0}, bias = {0}, bias4 = {0}, wd = {0}, w3p = {0}, tmp = {0}, od = {0};
    WeftTensor ow = {0};
    size_t nw = (size_t)cout * cin * 16, nd = nn_deconv_packed_count(cout, cin);
    size_t n3 = nn_conv_wino_packed_count(4 * cout, cin);
    float *wt = malloc(nw * sizeof(float)), *w3 = malloc(nw / 16 * 36 * sizeof(float));
    float *pd = malloc(nd * sizeof(float)), *p3 = malloc(n3 * sizeof(float));
    int b8 = nn_round_up(cout, NN_CONV_OB), b48 = nn_round_up(4 * cout, NN_CONV_OB);
    float *bv = calloc((size_t)b48, sizeof(float)), *bv4 = calloc((size_t)b48, sizeof(float));
    int ok = wt && w3 && pd && p3 && bv && bv4;
    if (ok) {
        for (size_t i = 0; i < nw; i++)
            wt[i] = uniform(r, -0.5f, 0.5f);
        for (int o = 0; o < cout; o++)
            bv[o] = uniform(r, -0.1f, 0.1f);
        for (int o = 0; o < 4 * cout; o++)
            bv4[o] = bv[o / 4];
        nn_deconv_pack(wt, cout, cin, pd);
        nn_deconv_as_conv3x3(wt, cout, cin, w3);
        nn_conv_wino_pack(w3, 4 * cout, cin, p3);
        ok = upload_random(d, &in, cin, h, w, r, -1, 1) == 0 &&
             device_tensor(d, &bias, 1, 1, b8) == 0 && device_upload(d, &bias, bv) == 0 &&
             device_tensor(d, &bias4, 1, 1, b48) == 0 && device_upload(d, &bias4, bv4) == 0 &&
             device_tensor(d, &wd, 1, 1, (int)nd) == 0 && device_upload(d, &wd, pd) == 0 &&
             device_tensor(d, &w3p, 1, 1, (int)n3) == 0 && device_upload(d, &w3p, p3) == 0 &&
             device_tensor(d, &tmp, 4 * cout, h, w) == 0 &&
             device_tensor(d, &od, cout, 2 * h, 2 * w) == 0 &&
             device_tensor(d, &ow, cout, 2 * h, 2 * w) == 0;
    }
    CHECK_MSG(ok, "deconvolution setup of %d -> %d channels, %dx%d", cin, cout, w, h);
    if (ok) {
        CHECK(op_nn_deconv(d, &in, &wd, &bias, act, 0.1f, &od) == 0);
        CHECK(op_nn_conv_wino(d, &in, &w3p, &bias4, act, 0.1f, NULL, 0, 0.0f, &tmp) == 0);
        CHECK(op_nn_pixel_shuffle(d, &tmp, 2, &ow) == 0);
        double worst = max_diff(d, &od, &ow), tol = 3e-6 * (0.5 * 4 * cin + 1);
        CHECK_MSG(worst <= tol,
                  "deconvolution %d -> %d channels, %dx%d, act %d: max error %g (tolerance %g)",
                  cin, cout, w, h, act, worst, tol);
    }
    WeftTensor *all[] = {&in, &bias, &bias4, &wd, &w3p, &tmp, &od, &ow};
    for (int i = 0; i < 8; i++)
        device_tensor_free(all[i]);
    free(wt);
    free(w3);
    free(pd);
    free(p3);
    free(bv);
    free(bv4);
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
    for (int s = 0; s < 5; s++)
        check_deconv(d, chans[s % 4][0], chans[s % 4][1], sizes[s][0], sizes[s][1], s % 3, &r);
    device_destroy(&d);
    return check_result("test_nn_conv_wino");
}
