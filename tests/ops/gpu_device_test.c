/*
 * The Vulkan device beyond single ops:
 *   gpu_device_test device   transfers (bit-exact round trips, staging growth), long
 *                            chains of ops in one batch with uploads in between (barriers:
 *                            run it under WEFT_VALIDATION=1, whose synchronisation
 *                            validation reports a missing one), a tensor freed while the
 *                            batch uses it, more dispatches than one profiled batch holds,
 *                            no matching device -> -ENODEV; the results against the CPU
 *                            device.
 *   gpu_device_test api      weft_open() with device "vulkan" through the public API, and
 *                            one in-between against the same on the CPU.
 *   gpu_device_test no-icd   run with no Vulkan driver visible: -ENODEV, no crash.
 * Exit 77 when there is no Vulkan device (device, api).
 */
#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/device.h"
#include "core/half.h"
#include "gpu/gpu_device.h"
#include "ops/add_scaled.h"
#include "ops/downsample.h"
#include "ops/median.h"
#include "ops/nn_unary.h"
#include "ops/resize.h"
#include "ops/warp.h"
#include "weft/weft.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                                 \
            failures++;                                                                            \
            goto done;                                                                             \
        }                                                                                          \
    } while (0)

static int validation_errors;

static void log_line(void *opaque, int level, const char *msg)
{
    (void)opaque;
    if (level == WEFT_LOG_ERROR && !strncmp(msg, "vulkan validation:", 18))
        validation_errors++;
    fprintf(stderr, "[%d] %s\n", level, msg);
}

static uint64_t rng_state = 0x1234567u;

static float rnd(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (float)(rng_state >> 40) / (float)(1 << 24);
}

static float *random_floats(size_t n, float lo, float hi)
{
    float *v = malloc(n * sizeof(float));
    if (v)
        for (size_t i = 0; i < n; i++)
            v[i] = lo + (hi - lo) * rnd();
    return v;
}

/* Upload then download; must come back bit for bit. */
static int round_trip(Device *d, int c, int h, int w)
{
    int failures = 0;
    size_t n = (size_t)c * h * w;
    WeftTensor t = {0};
    float *in = random_floats(n, -10, 10), *out = calloc(n, sizeof(float));
    CHECK(in && out);
    CHECK(device_tensor(d, &t, c, h, w) == 0);
    CHECK(device_upload(d, &t, in) == 0);
    CHECK(device_download(d, &t, out) == 0);
    CHECK(!memcmp(in, out, n * sizeof(float)));
done:
    device_tensor_free(&t);
    free(in);
    free(out);
    return failures;
}

/* fp16 tensors (Device.storage16): uploads round each float to the nearest half, downloads
 * give exactly those values back; device_copy counts elements of 2 bytes (odd offsets
 * too); mixing element types is refused, and the C path has no fp16 tensors. */
static int half_tensors(Device *gpu, Device *cpu, int c, int h, int w)
{
    int failures = 0;
    const size_t plane = (size_t)h * w, n = c * plane;
    WeftTensor a = {0}, b = {0}, f32 = {0}, on_cpu = {0};
    float *in = random_floats(n, -70000, 70000), *out = calloc(n, sizeof(float));
    CHECK(in && out);
    in[0] = 1.0f + 1.0f / 4096; /* a tie: rounds to even (1.0) */
    in[n - 1] = 3e-8f;          /* a subnormal half */
    CHECK(device_tensor_typed(gpu, &a, c, h, w, TENSOR_F16) == 0 && a.type == TENSOR_F16);
    CHECK(device_tensor_typed(gpu, &b, c, h, w, TENSOR_F16) == 0);
    CHECK(device_upload(gpu, &a, in) == 0 && device_download(gpu, &a, out) == 0);
    for (size_t i = 0; i < n; i++)
        CHECK(out[i] == half_to_float(float_to_half(in[i])));
    CHECK(out[0] == 1.0f && out[n - 1] > 0.0f && (fabsf(out[1]) < 65505.0f || isinf(out[1])));
    /* b = a shifted by one element, in two ranges from an odd element offset */
    CHECK(device_upload(gpu, &b, in) == 0);
    CHECK(device_copy(gpu, &a, 1, &b, 0, plane) == 0);
    CHECK(device_copy(gpu, &a, plane + 1, &b, plane, n - plane - 1) == 0);
    CHECK(device_download(gpu, &b, in) == 0);
    for (size_t i = 0; i + 1 < n; i++)
        CHECK(in[i] == out[i + 1]);
    CHECK(device_tensor(gpu, &f32, c, h, w) == 0);
    CHECK(device_copy(gpu, &a, 0, &f32, 0, plane) == -EINVAL);
    CHECK(op_nn_unary(gpu, &a, NN_UNARY_LEAKY, 0.5f, &f32) == -EINVAL); /* types differ */
    CHECK(device_tensor_typed(cpu, &on_cpu, c, h, w, TENSOR_F16) == -ENOTSUP && !on_cpu.dev);
done:
    device_tensor_free(&a);
    device_tensor_free(&b);
    device_tensor_free(&f32);
    free(in);
    free(out);
    return failures;
}

/* device_copy between dispatches: a copy reads what an op wrote and an op reads what the
 * copy wrote (both orders within one batch); bad ranges are refused. */
static int copy_between_ops(Device *gpu, Device *cpu)
{
    int failures = 0;
    const int c = 3, h = 17, w = 33;
    const size_t plane = (size_t)h * w, n = c * plane;
    WeftTensor a = {0}, b = {0}, d = {0}, e = {0}, on_cpu = {0};
    float *in = random_floats(n, -10, 10), *zeros = calloc(n, sizeof(float)),
          *out = calloc(n, sizeof(float));
    CHECK(in && zeros && out);
    CHECK(device_tensor(gpu, &a, c, h, w) == 0 && device_tensor(gpu, &b, c, h, w) == 0 &&
          device_tensor(gpu, &d, c, h, w) == 0 && device_tensor(gpu, &e, c, h, w) == 0);
    CHECK(device_upload(gpu, &a, in) == 0 && device_upload(gpu, &d, zeros) == 0);
    CHECK(op_add_scaled(gpu, &a, &a, 1.0f, &b) == 0);               /* b = 2 a */
    CHECK(device_copy(gpu, &b, plane, &d, 2 * plane, plane) == 0);  /* d[2] = b[1] */
    CHECK(op_add_scaled(gpu, &d, &d, 1.0f, &e) == 0);               /* e = 2 d */
    CHECK(device_download(gpu, &e, out) == 0);
    for (size_t i = 0; i < n; i++)
        CHECK(out[i] == (i >= 2 * plane ? 4.0f * in[i - plane] : 0.0f));
    CHECK(device_copy(gpu, &b, 2 * plane + 1, &d, 0, plane) == -EINVAL); /* past the end */
    CHECK(device_copy(gpu, &b, 0, &b, plane / 2, plane) == -EINVAL);     /* overlapping */
    CHECK(device_copy(gpu, &b, 0, &d, 0, 0) == -EINVAL);
    CHECK(device_tensor(cpu, &on_cpu, c, h, w) == 0);
    CHECK(device_copy(gpu, &b, 0, &on_cpu, 0, plane) == -EINVAL); /* another device */
    CHECK(device_copy(cpu, &on_cpu, 0, &on_cpu, plane, plane) == -ENOSYS);
done:
    device_tensor_free(&a);
    device_tensor_free(&b);
    device_tensor_free(&d);
    device_tensor_free(&e);
    device_tensor_free(&on_cpu);
    free(in);
    free(zeros);
    free(out);
    return failures;
}

/* A chain of ops recorded into one batch, with an upload into a tensor the batch already
 * read (write after read) and a tensor freed while in use; the final result from both
 * devices. */
static int run_chain(Device *d, int c, int h, int w, const float *img, const float *flow,
                     const float *img2, float *result)
{
    int failures = 0;
    WeftTensor a = {0}, f = {0}, b = {0}, s = {0}, half = {0}, m = {0};
    WeftTensor up = {0};
    int hh = (h + 1) / 2, hw = (w + 1) / 2;
    CHECK(device_tensor(d, &a, c, h, w) == 0 && device_tensor(d, &f, 2, h, w) == 0);
    CHECK(device_tensor(d, &b, c, h, w) == 0 && device_tensor(d, &s, c, h, w) == 0);
    CHECK(device_tensor(d, &half, c, hh, hw) == 0 && device_tensor(d, &m, c, hh, hw) == 0);
    CHECK(device_tensor(d, &up, c, h, w) == 0);
    CHECK(device_upload(d, &a, img) == 0 && device_upload(d, &f, flow) == 0);
    CHECK(op_warp(d, &a, &f, 0.75f, &b) == 0);       /* reads a */
    CHECK(device_upload(d, &a, img2) == 0);          /* then a is overwritten */
    CHECK(op_add_scaled(d, &b, &a, -0.5f, &s) == 0); /* reads b (RAW) and new a */
    for (int i = 0; i < 40; i++) {                   /* ping-pong: RAW and WAR */
        CHECK(op_add_scaled(d, &s, &a, 0.01f, &b) == 0);
        CHECK(op_warp(d, &b, &f, 0.05f, &s) == 0);
    }
    CHECK(op_downsample(d, &s, &half) == 0);
    CHECK(op_median(d, &half, 1, &m) == 0);
    device_tensor_free(&half); /* freed while the batch uses it */
    CHECK(op_resize(d, &m, &up, 1.0f, 1.0f) == 0);
    CHECK(device_download(d, &up, result) == 0);
    CHECK(device_finish(d) == 0);
done:
    device_tensor_free(&a);
    device_tensor_free(&f);
    device_tensor_free(&b);
    device_tensor_free(&s);
    device_tensor_free(&half);
    device_tensor_free(&m);
    device_tensor_free(&up);
    return failures;
}

/* Overwrites every pipelines-*.bin in dir with bytes that are no pipeline cache; returns
 * how many. */
static int damage_cache_files(const char *dir)
{
    DIR *listing = opendir(dir);
    int damaged = 0;
    struct dirent *e;
    while (listing && (e = readdir(listing))) {
        if (strncmp(e->d_name, "pipelines-", 10))
            continue;
        char file[4400];
        snprintf(file, sizeof(file), "%s/%s", dir, e->d_name);
        FILE *f = fopen(file, "wb");
        if (!f)
            continue;
        for (int i = 0; i < 48; i++)
            fputc((int)(rnd() * 256) & 255, f);
        damaged += fclose(f) == 0;
    }
    if (listing)
        closedir(listing);
    return damaged;
}

/* The persisted pipeline cache: written when a device closes, and a damaged file is
 * ignored (a device must still work). Needs XDG_CACHE_HOME (meson test sets it). */
static int test_pipeline_cache(Log *log)
{
    int failures = 0;
    const char *dir = getenv("XDG_CACHE_HOME");
    const char *cache = getenv("WEFT_GPU_CACHE");
    if (!dir || !*dir || (cache && !strcmp(cache, "0")))
        return 0;
    char path[4096];
    snprintf(path, sizeof(path), "%s/weft", dir);
    Device *d = NULL;
    WeftTensor a = {0}, b = {0}, f = {0};
    float in[12], flow[8] = {0}, out[12];
    for (int i = 0; i < 12; i++)
        in[i] = (float)i;
    for (int round = 0; round < 2; round++) {
        CHECK(gpu_device_create(&d, log, -1, getenv("WEFT_TEST_DEVICE")) == 0);
        CHECK(device_tensor(d, &a, 3, 2, 2) == 0 && device_tensor(d, &b, 3, 2, 2) == 0 &&
              device_tensor(d, &f, 2, 2, 2) == 0);
        CHECK(device_upload(d, &a, in) == 0 && device_upload(d, &f, flow) == 0);
        CHECK(op_warp(d, &a, &f, 1.0f, &b) == 0 && device_download(d, &b, out) == 0);
        CHECK(!memcmp(in, out, sizeof(in))); /* zero flow: a copy */
        device_tensor_free(&a);
        device_tensor_free(&b);
        device_tensor_free(&f);
        device_destroy(&d);
        /* damage every cache file, then the second round must still work */
        if (round == 0)
            CHECK(damage_cache_files(path) > 0);
    }
done:
    device_tensor_free(&a);
    device_tensor_free(&b);
    device_tensor_free(&f);
    device_destroy(&d);
    return failures;
}

static int test_device(Log *log)
{
    int failures = 0;
    Device *gpu = NULL, *cpu = NULL, *none = NULL;
    float *img = NULL, *img2 = NULL, *flow = NULL, *r_cpu = NULL, *r_gpu = NULL;
    int err = gpu_device_create(&gpu, log, -1, getenv("WEFT_TEST_DEVICE"));
    if (err < 0) {
        printf("skip: no Vulkan device (error %d)\n", err);
        return 77;
    }
    printf("Vulkan device: %s%s\n", gpu->name,
           gpu_device_is_software(gpu) ? " (runs on the CPU)" : "");
    CHECK(cpu_device_create(&cpu, log, 2) == 0);
    CHECK(gpu_device_is_software(cpu) == -1 && gpu_device_validation_errors(cpu) == -1);

    /* no such device: -ENODEV, *out stays NULL */
    CHECK(gpu_device_create(&none, log, 99, NULL) == -ENODEV && !none);
    CHECK(gpu_device_create(&none, log, -1, "no such device, surely") == -ENODEV && !none);

    /* by name: a part of the name, in other case, finds the same device */
    {
        char part[8] = "";
        for (int i = 0; i < 6 && gpu->name[i]; i++)
            part[i] = (char)(i % 2 ? toupper((unsigned char)gpu->name[i])
                                   : tolower((unsigned char)gpu->name[i]));
        Device *same = NULL;
        int found = gpu_device_create(&same, log, -1, part) == 0 && !strcmp(same->name, gpu->name);
        device_destroy(&same);
        CHECK(found);
    }

    CHECK(test_pipeline_cache(log) == 0);

    /* transfers: tiny, odd, and larger than the first staging buffer (4 MiB) */
    CHECK(round_trip(gpu, 1, 1, 1) == 0);
    CHECK(round_trip(gpu, 3, 17, 33) == 0);
    CHECK(round_trip(gpu, 3, 1100, 1000) == 0);
    CHECK(round_trip(gpu, 2, 61, 97) == 0);
    CHECK(copy_between_ops(gpu, cpu) == 0);
    if (gpu->storage16) {
        CHECK(half_tensors(gpu, cpu, 3, 17, 33) == 0);
        CHECK(half_tensors(gpu, cpu, 3, 1100, 1000) == 0); /* staging growth */
    } else {
        printf("fp16 tensors: not tested (the device has no 16-bit storage buffers)\n");
    }

    /* a batch of chained ops, against the CPU */
    const int c = 3, h = 61, w = 97;
    size_t n = (size_t)c * h * w;
    img = random_floats(n, 0, 1);
    img2 = random_floats(n, 0, 1);
    flow = random_floats(2 * (size_t)h * w, -20, 20);
    r_cpu = calloc(n, sizeof(float));
    r_gpu = calloc(n, sizeof(float));
    CHECK(img && img2 && flow && r_cpu && r_gpu);
    CHECK(run_chain(cpu, c, h, w, img, flow, img2, r_cpu) == 0);
    CHECK(run_chain(gpu, c, h, w, img, flow, img2, r_gpu) == 0);
    double worst = 0;
    for (size_t i = 0; i < n; i++)
        worst = fmax(worst, fabs((double)r_cpu[i] - r_gpu[i]));
    printf("chain of %d ops: max diff %.3g\n", 86, worst);
    CHECK(worst <= 1e-5);

    /* more dispatches than one batch holds timestamps for (WEFT_GPU_PROFILE=1) */
    {
        WeftTensor x = {0}, y = {0};
        float *back = calloc((size_t)h * w, sizeof(float));
        int ok = back && device_tensor(gpu, &x, 1, h, w) == 0 &&
                 device_tensor(gpu, &y, 1, h, w) == 0 && device_upload(gpu, &x, img) == 0 &&
                 device_upload(gpu, &y, img2) == 0;
        WeftTensor z = {0};
        ok = ok && device_tensor(gpu, &z, 1, h, w) == 0;
        for (int i = 0; ok && i < 300; i++)
            ok = op_add_scaled(gpu, i % 2 ? &z : &x, &y, 1.0f / 1024, i % 2 ? &x : &z) == 0;
        ok = ok && device_download(gpu, &x, back) == 0;
        /* x = img + 300 / 1024 img2, up to float rounding */
        for (int i = 0; ok && i < h * w; i++)
            ok = fabsf(back[i] - (img[i] + 300.0f / 1024 * img2[i])) < 1e-4f;
        device_tensor_free(&x);
        device_tensor_free(&y);
        device_tensor_free(&z);
        free(back);
        CHECK(ok);
    }
done:
    device_destroy(&gpu);
    device_destroy(&cpu);
    free(img);
    free(img2);
    free(flow);
    free(r_cpu);
    free(r_gpu);
    if (validation_errors) {
        printf("FAIL: the validation layer reported %d errors\n", validation_errors);
        failures++;
    }
    return failures ? 1 : 0;
}

static void fill_picture(WeftPicture *pic, int shift)
{
    for (int y = 0; y < pic->height; y++)
        for (int x = 0; x < pic->width; x++) {
            uint8_t *px = pic->data[0] + y * pic->stride[0] + 3 * x;
            int xs = x - shift;
            px[0] = (uint8_t)(128 + 100 * sin(xs * 0.3) * cos(y * 0.2));
            px[1] = (uint8_t)(128 + 90 * sin(xs * 0.17 + y * 0.11));
            px[2] = (uint8_t)((xs * 7 + y * 3) & 255);
        }
}

static int interpolate_on(const char *device, const WeftPicture *a, const WeftPicture *b,
                          WeftPicture *out, char *name, size_t name_size)
{
    WeftSettings s;
    weft_default_settings(&s);
    s.log_level = WEFT_LOG_WARNING;
    int err = weft_settings_set(&s, "device", device);
    WeftContext *ctx = NULL;
    if (err >= 0)
        err = weft_open(&ctx, &s);
    if (err >= 0) {
        snprintf(name, name_size, "%s", weft_device_name(ctx));
        err = weft_interpolate(ctx, a, b, 0.5, out);
    }
    weft_close(&ctx);
    return err;
}

static int test_api(void)
{
    int failures = 0;
    WeftPicture a = {0}, b = {0}, out_cpu = {0}, out_gpu = {0};
    char cpu_name[128] = "", gpu_name[128] = "";
    CHECK(weft_picture_alloc(&a, 67, 45, WEFT_PIX_RGB24) == 0);
    CHECK(weft_picture_alloc(&b, 67, 45, WEFT_PIX_RGB24) == 0);
    fill_picture(&a, 0);
    fill_picture(&b, 3);
    int err = interpolate_on("vulkan", &a, &b, &out_gpu, gpu_name, sizeof(gpu_name));
    if (err == -ENODEV) {
        printf("skip: no Vulkan device\n");
        failures = -1;
        goto done;
    }
    CHECK(err == 0);
    CHECK(interpolate_on("cpu", &a, &b, &out_cpu, cpu_name, sizeof(cpu_name)) == 0);
    printf("devices: '%s' and '%s'\n", gpu_name, cpu_name);
    CHECK(strncmp(gpu_name, "cpu", 3) != 0);
    CHECK(out_gpu.width == 67 && out_gpu.height == 45 && out_gpu.format == WEFT_PIX_RGB24);
    int worst = 0;
    for (int y = 0; y < 45; y++)
        for (int x = 0; x < 3 * 67; x++) {
            int d = abs(out_gpu.data[0][y * out_gpu.stride[0] + x] -
                        out_cpu.data[0][y * out_cpu.stride[0] + x]);
            worst = d > worst ? d : worst;
        }
    printf("weft_interpolate vulkan vs cpu: max difference %d (8-bit levels)\n", worst);
    CHECK(worst <= 1);
done:
    weft_picture_unref(&a);
    weft_picture_unref(&b);
    weft_picture_unref(&out_cpu);
    weft_picture_unref(&out_gpu);
    return failures < 0 ? 77 : failures ? 1 : 0;
}

static int test_no_icd(Log *log)
{
    int failures = 0;
    Device *d = NULL;
    int err = gpu_device_create(&d, log, -1, NULL);
    printf("gpu_device_create without a driver: %d\n", err);
    CHECK(err == -ENODEV && !d);
done:
    device_destroy(&d);
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    Log log = {.callback = log_line, .level = WEFT_LOG_WARNING};
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "device"))
        return test_device(&log);
    if (!strcmp(mode, "api"))
        return test_api();
    if (!strcmp(mode, "no-icd"))
        return test_no_icd(&log);
    fprintf(stderr, "usage: %s device|api|no-icd\n", argv[0]);
    return 2;
}
