/*
 * nn_conv_bench: one network layer's speed on a device, for tuning the conv kernels and
 * shaders without running a whole network.
 *
 *   nn_conv_bench cpu|vulkan OP CIN COUT WIDTH HEIGHT [STRIDE] [RUNS]
 *
 * OP: conv or deconv (the op the network runs on this device), or an op of the table by
 * name (nn_conv, nn_conv_sg, nn_deconv, nn_deconv_sg; nn_conv_wino with a residual, as
 * RIFE's residual units run, stride 1) to compare variants.
 * Random input and weights; one warm-up run (pipeline creation), then RUNS runs (default 3).
 * Prints min wall and min process CPU milliseconds per run and GFLOP/s (2 x multiply-adds
 * per wall time and per CPU time).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_clock.h"
#include "core/device.h"
#include "ops/nn_conv.h"
#include "ops/nn_conv_wino.h"
#include "ops/nn_deconv.h"
#include "ops/op.h"

static int fill(Device *d, WeftTensor *t, int c, int h, int w, float scale)
{
    size_t n = (size_t)c * h * w;
    float *host = malloc(n * sizeof(float));
    if (!host || device_tensor(d, t, c, h, w) < 0) {
        free(host);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        host[i] = scale * ((float)rand() / (float)RAND_MAX - 0.5f);
    int err = device_upload(d, t, host);
    free(host);
    return err;
}

int main(int argc, char **argv)
{
    if (argc < 7) {
        fprintf(stderr, "usage: nn_conv_bench cpu|vulkan OP CIN COUT WIDTH HEIGHT "
                        "[STRIDE] [RUNS]\n");
        return 2;
    }
    int vulkan = !strcmp(argv[1], "vulkan");
    const OpInfo *op = op_find(argv[2]); /* NULL: the wrapper's choice */
    int deconv = !strcmp(argv[2], "deconv") || (op && strstr(op->name, "deconv"));
    if (!op && strcmp(argv[2], "conv") && !deconv) {
        fprintf(stderr, "nn_conv_bench: unknown op %s\n", argv[2]);
        return 2;
    }
    int cin = atoi(argv[3]), cout = atoi(argv[4]), w = atoi(argv[5]), h = atoi(argv[6]);
    int stride = argc > 7 ? atoi(argv[7]) : 1, runs = argc > 8 ? atoi(argv[8]) : 3;
    if (cin < 1 || cout < 1 || cin > 4096 || cout > 4096 || w < 1 || h < 1 || w > 8192 ||
        h > 8192 || (stride != 1 && stride != 2) || runs < 1 || runs > 1000) {
        fprintf(stderr, "nn_conv_bench: bad arguments\n");
        return 2;
    }
    Log log = {.level = WEFT_LOG_WARNING};
    Device *d = NULL;
    int err = vulkan ? gpu_device_create(&d, &log, -1, NULL) : cpu_device_create(&d, &log, 0);
    if (err < 0) {
        fprintf(stderr, "nn_conv_bench: no %s device (%d)\n", vulkan ? "Vulkan" : "CPU", err);
        return vulkan ? 77 : 1;
    }
    int oh = deconv ? 2 * h : (h - 1) / stride + 1, ow = deconv ? 2 * w : (w - 1) / stride + 1;
    int wino = op && !strcmp(op->name, "nn_conv_wino");
    size_t nw = deconv ? nn_deconv_packed_count(cout, cin)
                : wino ? nn_conv_wino_packed_count(cout, cin)
                       : nn_conv_packed_count(cout, cin);
    WeftTensor in = {0}, wt = {0}, bias = {0}, out = {0}, res = {0};
    int status = 1;
    if (wino && stride != 1) {
        fprintf(stderr, "nn_conv_bench: %s has stride 1 only\n", op->name);
        goto done;
    }
    if (fill(d, &in, cin, h, w, 2.0f) < 0 || fill(d, &wt, 1, 1, (int)nw, 0.1f) < 0 ||
        fill(d, &bias, 1, 1, (cout + 7) / 8 * 8, 0.1f) < 0 ||
        device_tensor(d, &out, cout, oh, ow) < 0 || fill(d, &res, cout, oh, ow, 2.0f) < 0)
        goto done;
    double best = 1e30, best_cpu = 1e30;
    for (int r = -1; r < runs; r++) {
        double t0 = now_ms(), c0 = cpu_ms();
        if (wino) {
            OpNnConvWinoParams pw = {.cin = cin,
                                     .h = h,
                                     .w = w,
                                     .cout = cout,
                                     .act = 2,
                                     .slope = 0.2f,
                                     .has_res = 1,
                                     .res_act = 2,
                                     .res_slope = 0.2f};
            err = device_run(d, op, &pw, (WeftTensor *[]){&in, &wt, &bias, &res, &out});
        } else if (op && deconv) {
            OpNnDeconvParams pd = {
                .cin = cin, .h = h, .w = w, .cout = cout, .act = 2, .slope = 0.2f};
            err = device_run(d, op, &pd, (WeftTensor *[]){&in, &wt, &bias, &out});
        } else if (op) {
            OpNnConvParams pc = {.cin = cin,
                                 .h = h,
                                 .w = w,
                                 .cout = cout,
                                 .oh = oh,
                                 .ow = ow,
                                 .stride = stride,
                                 .act = 2,
                                 .slope = 0.2f};
            err = device_run(d, op, &pc, (WeftTensor *[]){&in, &wt, &bias, &in, &out});
        } else {
            err = deconv ? op_nn_deconv(d, &in, &wt, &bias, 2, 0.2f, &out)
                         : op_nn_conv(d, &in, &wt, &bias, stride, 2, 0.2f, &out);
        }
        if (err < 0 || device_finish(d) < 0)
            goto done;
        double t = now_ms() - t0, c = cpu_ms() - c0;
        if (r >= 0 && t < best)
            best = t;
        if (r >= 0 && c < best_cpu)
            best_cpu = c;
    }
    double macs = (double)cout * cin * oh * ow * (deconv ? 4 : 9);
    printf("%s %s %dx%dx%d -> %dx%dx%d: min %.1f ms wall, %.1f ms CPU; %.2f GFLOP/s wall, "
           "%.2f per CPU-s\n",
           argv[1], argv[2], cin, h, w, cout, oh, ow, best, best_cpu, 2 * macs / best * 1e-6,
           2 * macs / best_cpu * 1e-6);
    status = 0;
done:
    if (status)
        fprintf(stderr, "nn_conv_bench: failed\n");
    device_tensor_free(&in);
    device_tensor_free(&wt);
    device_tensor_free(&bias);
    device_tensor_free(&out);
    device_tensor_free(&res);
    device_destroy(&d);
    return status;
}
