/*
 * weft-conform: does this Vulkan device compute weft correctly?
 *
 *   weft-conform [--device N|NAME] [--vectors DIR] [--verbose] [--strict]
 *   (--strict: a stale vector fails too; the project's own test uses it, so a changed op
 *   contract cannot leave its vector silently unchecked)
 *       replays every committed vector (conformance/vectors/) on the Vulkan device and
 *       compares with the C path's results stored in it, each within its tolerance.
 *       Exit 0: conformant; 1: a vector failed; 77: no Vulkan device. A vector the C path
 *       itself no longer reproduces (an op or algorithm changed since it was made) is
 *       reported STALE and not held against the device.
 *   weft-conform --generate DIR      (maintainers) writes the vectors with the C path
 *   weft-conform --write-testnet FILE   writes the test network (.weft, random weights)
 *
 * Vectors: one file per op of the op table (its case generator from tests/ops at a small
 * odd size: parameters, every tensor's initial and final contents), the test network
 * (conformance/testnet.c) run by the graph executor, and the flow method end to end (two
 * generated frames, the in-between at t = 0.5 through the public API).
 * File format (gzip-compressed; inside, little-endian): "WEFTVEC1", u32 kind (0 op, 1 network, 2
 * flow method), u32 name length + name, f32 tolerance, u32 params size + params, u32 tensor count,
 * per tensor: u32 c, h, w, then c*h*w f32 initial contents and c*h*w f32 expected contents.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/device.h"
#include "nn/nn_graph.h"
#include "nn/nn_model.h"
#include "op_case.h"
#include "testnet.h"
#include "weft/weft.h"

#define MAX_VEC_TENSORS 8

enum { VEC_OP = 0, VEC_NET = 1, VEC_FLOW = 2 };

typedef struct Vector {
    int kind;
    char name[64];
    float tolerance;
    unsigned char params[OP_MAX_PARAMS_SIZE];
    uint32_t params_size;
    int n;
    int shape[MAX_VEC_TENSORS][3];
    float *init[MAX_VEC_TENSORS], *expect[MAX_VEC_TENSORS];
} Vector;

static size_t count3(const int s[3])
{
    return (size_t)s[0] * s[1] * s[2];
}

static void vec_free(Vector *v)
{
    for (int i = 0; i < MAX_VEC_TENSORS; i++) {
        free(v->init[i]);
        free(v->expect[i]);
    }
    memset(v, 0, sizeof(*v));
}

/* Reads n bytes; returns how many came (short on end of file or error). */
static size_t rd(gzFile f, void *dst, size_t n)
{
    int got = gzread(f, dst, (unsigned)n);
    return got < 0 ? 0 : (size_t)got;
}

static int rd_all(gzFile f, void *dst, size_t n)
{
    return rd(f, dst, n) == n;
}

static void wr(gzFile f, const void *src, size_t n)
{
    gzwrite(f, src, (unsigned)n);
}

static int vec_write(const Vector *v, const char *dir)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s.vec", dir, v->name);
    gzFile f = gzopen(path, "wb9");
    if (!f)
        return -errno;
    uint32_t kind = (uint32_t)v->kind, len = (uint32_t)strlen(v->name), n = (uint32_t)v->n;
    wr(f, "WEFTVEC1", (size_t)1 * 8);
    wr(f, &kind, (size_t)4 * 1);
    wr(f, &len, (size_t)4 * 1);
    wr(f, v->name, (size_t)1 * len);
    wr(f, &v->tolerance, (size_t)4 * 1);
    wr(f, &v->params_size, (size_t)4 * 1);
    wr(f, v->params, (size_t)1 * v->params_size);
    wr(f, &n, (size_t)4 * 1);
    for (int i = 0; i < v->n; i++) {
        uint32_t s[3] = {(uint32_t)v->shape[i][0], (uint32_t)v->shape[i][1],
                         (uint32_t)v->shape[i][2]};
        wr(f, s, (size_t)4 * 3);
        wr(f, v->init[i], (size_t)sizeof(float) * count3(v->shape[i]));
        wr(f, v->expect[i], (size_t)sizeof(float) * count3(v->shape[i]));
    }
    return gzclose(f) == Z_OK ? 0 : -EIO;
}

static int vec_read(Vector *v, const char *path)
{
    memset(v, 0, sizeof(*v));
    gzFile f = gzopen(path, "rb");
    if (!f)
        return -errno;
    char magic[8];
    uint32_t kind, len, n;
    int err = -EINVAL;
    if (!rd_all(f, magic, (size_t)1 * 8) || memcmp(magic, "WEFTVEC1", 8) ||
        !rd_all(f, &kind, (size_t)4 * 1) || !rd_all(f, &len, (size_t)4 * 1) ||
        len >= sizeof(v->name) || !rd_all(f, v->name, (size_t)1 * len) ||
        !rd_all(f, &v->tolerance, (size_t)4 * 1) || !rd_all(f, &v->params_size, (size_t)4 * 1) ||
        v->params_size > OP_MAX_PARAMS_SIZE || !rd_all(f, v->params, (size_t)1 * v->params_size) ||
        !rd_all(f, &n, (size_t)4 * 1) || n > MAX_VEC_TENSORS)
        goto done;
    v->kind = (int)kind;
    v->n = (int)n;
    for (int i = 0; i < v->n; i++) {
        uint32_t s[3];
        if (!rd_all(f, s, (size_t)4 * 3) || s[0] < 1 || s[1] < 1 || s[2] < 1 || s[0] > 4096 ||
            s[1] > 4096 || s[2] > 4096 || (size_t)s[0] * s[1] * s[2] > ((size_t)1 << 24))
            goto done;
        for (int k = 0; k < 3; k++)
            v->shape[i][k] = (int)s[k];
        size_t c = count3(v->shape[i]);
        v->init[i] = malloc(c * sizeof(float));
        v->expect[i] = malloc(c * sizeof(float));
        if (!v->init[i] || !v->expect[i]) {
            err = -ENOMEM;
            goto done;
        }
        if (!rd_all(f, v->init[i], (size_t)sizeof(float) * c) ||
            !rd_all(f, v->expect[i], (size_t)sizeof(float) * c))
            goto done;
    }
    err = 0;
done:
    gzclose(f);
    if (err < 0)
        vec_free(v);
    return err;
}

/* Runs op vector v on d: final contents of every tensor into out[i]. */
static int run_op(Device *d, const Vector *v, float **out)
{
    const OpInfo *op = op_find(v->name);
    if (!op || op->num_tensors != v->n || op->params_size != v->params_size)
        return -ENOSYS;
    WeftTensor t[OP_MAX_TENSORS];
    WeftTensor *ptrs[OP_MAX_TENSORS];
    memset(t, 0, sizeof(t));
    int err = 0;
    for (int i = 0; i < v->n && err >= 0; i++) {
        ptrs[i] = &t[i];
        if ((err = device_tensor_typed(d, &t[i], v->shape[i][0], v->shape[i][1], v->shape[i][2],
                                       device_op_tensor_type(d, op, i))) >= 0)
            err = device_upload(d, &t[i], v->init[i]);
    }
    if (err >= 0)
        err = device_run(d, op, v->params, ptrs);
    for (int i = 0; i < v->n && err >= 0; i++)
        err = device_download(d, &t[i], out[i]);
    for (int i = 0; i < v->n; i++)
        device_tensor_free(&t[i]);
    return err;
}

/* The test network: tensors 0, 1 = in0, in1; tensor 2 = out0. */
static int run_net(Device *d, const Vector *v, float **out)
{
    NnModel *m = NULL;
    NnGraph *g = NULL;
    int err = testnet_build(&m, 1);
    if (err >= 0)
        err = nn_graph_create(&g, d, m, NULL);
    if (err >= 0)
        err = nn_graph_plan(g, NULL, v->shape[0][1], v->shape[0][2]);
    if (err >= 0)
        err = device_upload(d, nn_graph_input(g, "in0"), v->init[0]);
    if (err >= 0)
        err = device_upload(d, nn_graph_input(g, "in1"), v->init[1]);
    if (err >= 0)
        err = nn_graph_run(g);
    if (err >= 0)
        err = device_download(d, nn_graph_output(g, "out0"), out[2]);
    if (err >= 0) {
        memcpy(out[0], v->init[0], count3(v->shape[0]) * sizeof(float));
        memcpy(out[1], v->init[1], count3(v->shape[1]) * sizeof(float));
    }
    nn_graph_destroy(&g);
    nn_model_free(&m);
    return err;
}

/* The flow method end to end through the API: tensors 0, 1 = frames (3 x H x W, 0..255),
 * tensor 2 = the in-between at t = 0.5 (0..255). */
static int run_flow(int device, const char *device_name, const Vector *v, float **out)
{
    const int h = v->shape[0][1], w = v->shape[0][2];
    WeftSettings s;
    weft_default_settings(&s);
    s.device = device;
    if (device_name)
        snprintf(s.device_name, sizeof(s.device_name), "%s", device_name);
    s.log_level = WEFT_LOG_ERROR;
    WeftContext *c = NULL;
    WeftPicture pic[2] = {0}, res = {0};
    int err = weft_open(&c, &s);
    for (int k = 0; k < 2 && err >= 0; k++) {
        if ((err = weft_picture_alloc(&pic[k], w, h, WEFT_PIX_RGB24)) < 0)
            break;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int ch = 0; ch < 3; ch++)
                    pic[k].data[0][(ptrdiff_t)y * pic[k].stride[0] + 3 * x + ch] =
                        (uint8_t)v->init[k][((size_t)ch * h + y) * w + x];
        pic[k].pts = k;
        pic[k].time_base = (WeftRational){1, 25};
    }
    if (err >= 0)
        err = weft_interpolate(c, &pic[0], &pic[1], 0.5, &res);
    if (err >= 0) {
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int ch = 0; ch < 3; ch++)
                    out[2][((size_t)ch * h + y) * w + x] =
                        res.data[0][(ptrdiff_t)y * res.stride[0] + 3 * x + ch];
        memcpy(out[0], v->init[0], count3(v->shape[0]) * sizeof(float));
        memcpy(out[1], v->init[1], count3(v->shape[1]) * sizeof(float));
    }
    weft_picture_unref(&res);
    weft_picture_unref(&pic[0]);
    weft_picture_unref(&pic[1]);
    weft_close(&c);
    return err;
}

static int run_vector(Device *d, int device, const char *device_name, const Vector *v, float **out)
{
    switch (v->kind) {
    case VEC_OP:
        return run_op(d, v, out);
    case VEC_NET:
        return run_net(d, v, out);
    case VEC_FLOW:
        return run_flow(device, device_name, v, out);
    }
    return -EINVAL;
}

/* --generate: the C path's results. */
static int make_op_vector(const OpInfo *op, const OpCaseDef *def, Vector *v)
{
    memset(v, 0, sizeof(*v));
    OpCase k;
    memset(&k, 0, sizeof(k));
    CaseRng rng = {.state = 0xc0f0u};
    for (const char *s = op->name; *s; s++)
        rng.state = rng.state * 31 + (unsigned char)*s;
    def->make(&rng, 19, 13, &k);
    v->kind = VEC_OP;
    snprintf(v->name, sizeof(v->name), "%s", op->name);
    v->tolerance = def->tolerance;
    v->params_size = (uint32_t)k.params_size;
    memcpy(v->params, k.params, k.params_size);
    v->n = k.num_tensors;
    for (int i = 0; i < v->n; i++) {
        memcpy(v->shape[i], k.shape[i], sizeof(v->shape[i]));
        size_t c = count3(k.shape[i]);
        if (!(v->init[i] = malloc(c * sizeof(float))) ||
            !(v->expect[i] = malloc(c * sizeof(float))))
            return -ENOMEM;
        case_fill(&rng, k.shape[i], k.lo[i], k.hi[i], k.smooth[i], v->init[i]);
        if (k.fill)
            k.fill(&rng, &k, i, v->init);
        case_round_half(op, i, k.shape[i], v->init[i]);
    }
    return 0;
}

static int make_frames_vector(Vector *v, int kind, const char *name, float tolerance, int c0,
                              int c1, int c_out, int h, int w, float scale)
{
    memset(v, 0, sizeof(*v));
    v->kind = kind;
    snprintf(v->name, sizeof(v->name), "%s", name);
    v->tolerance = tolerance;
    v->n = 3;
    int chans[3] = {c0, c1, c_out};
    for (int i = 0; i < 3; i++) {
        v->shape[i][0] = chans[i];
        v->shape[i][1] = h;
        v->shape[i][2] = w;
        size_t c = count3(v->shape[i]);
        if (!(v->init[i] = calloc(c, sizeof(float))) || !(v->expect[i] = calloc(c, sizeof(float))))
            return -ENOMEM;
    }
    /* a textured scene; the second frame moves it by (3, 2) pixels */
    for (int k = 0; k < 2; k++)
        for (int ch = 0; ch < chans[k]; ch++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    float X = (float)(x - 3 * k), Y = (float)(y - 2 * k);
                    float val = 0.5f + 0.25f * sinf(0.31f * X + 0.7f * ch) * cosf(0.23f * Y) +
                                0.2f * sinf(0.05f * (X + 2 * Y));
                    v->init[k][((size_t)ch * h + y) * w + x] =
                        scale > 1.0f ? floorf(val * scale + 0.5f) : val;
                }
    return 0;
}

static int generate(const char *dir)
{
    Device *cpu = NULL;
    int err = cpu_device_create(&cpu, NULL, 1);
    int written = 0;
    for (int i = 0; err >= 0 && op_table[i]; i++) {
        const OpCaseDef *def = op_case_find(op_table[i]->name);
        if (!def)
            continue;
        Vector v;
        if ((err = make_op_vector(op_table[i], def, &v)) >= 0 &&
            (err = run_op(cpu, &v, v.expect)) >= 0 && (err = vec_write(&v, dir)) >= 0)
            written++;
        vec_free(&v);
    }
    Vector v = {0};
    if (err >= 0 &&
        (err = make_frames_vector(&v, VEC_NET, "testnet", 1e-4f, 3, 1, 4, 24, 36, 1.0f)) >= 0 &&
        (err = run_net(cpu, &v, v.expect)) >= 0 && (err = vec_write(&v, dir)) >= 0)
        written++;
    vec_free(&v);
    /* the flow method: 8-bit output; tolerance in levels (largest difference allowed) */
    if (err >= 0 &&
        (err = make_frames_vector(&v, VEC_FLOW, "flow_method", 3.0f, 3, 3, 3, 32, 48, 255.0f)) >=
            0 &&
        (err = run_flow(WEFT_DEVICE_CPU, NULL, &v, v.expect)) >= 0 &&
        (err = vec_write(&v, dir)) >= 0)
        written++;
    vec_free(&v);
    device_destroy(&cpu);
    if (err < 0)
        fprintf(stderr, "weft-conform: generating vectors failed: %s\n", weft_strerror(err));
    else
        printf("weft-conform: %d vectors written to %s\n", written, dir);
    return err < 0 ? 1 : 0;
}

static int write_testnet(const char *path)
{
    NnModel *m = NULL;
    uint8_t *file = NULL;
    size_t size = 0;
    int err = testnet_build(&m, 1);
    if (err >= 0)
        err = nn_model_write(m, &file, &size);
    FILE *f = err >= 0 ? fopen(path, "wb") : NULL;
    if (err >= 0 && (!f || fwrite(file, 1, size, f) != size))
        err = -EIO;
    if (f && fclose(f) != 0)
        err = -EIO;
    free(file);
    nn_model_free(&m);
    if (err < 0)
        fprintf(stderr, "weft-conform: cannot write %s\n", path);
    return err < 0 ? 1 : 0;
}

/* Largest difference between out and the vector's expectation, in its tolerance's terms. */
/* The test network's tolerance where the graph keeps fp16 activations (nn_graph_fp16():
 * GPUs with 16-bit storage by default): its vector is made on the C path in fp32, and every
 * layer's output is rounded to fp16 (2^-11 relative; 4.4e-4 measured on lavapipe). */
#define NET_F16_TOLERANCE 2e-3

static double vec_compare(const Vector *v, float **out)
{
    double worst = 0;
    for (int i = 0; i < v->n; i++)
        for (size_t k = 0; k < count3(v->shape[i]); k++) {
            double ref = v->expect[i][k], diff = fabs((double)out[i][k] - ref);
            /* 8-bit flow output: levels; others: absolute up to 1, relative above */
            double rel = v->kind == VEC_FLOW ? diff : diff / fmax(1.0, fabs(ref));
            if (!(rel <= worst)) /* NaN counts as worst */
                worst = isnan(rel) ? INFINITY : rel;
        }
    return worst;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    const char *vectors = WEFT_CONFORM_VECTORS, *device_arg = NULL;
    int strict = 0;
    int verbose = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--generate") && i + 1 < argc)
            return generate(argv[i + 1]);
        if (!strcmp(argv[i], "--write-testnet") && i + 1 < argc)
            return write_testnet(argv[i + 1]);
        if (!strcmp(argv[i], "--device") && i + 1 < argc)
            device_arg = argv[++i];
        else if (!strcmp(argv[i], "--vectors") && i + 1 < argc)
            vectors = argv[++i];
        else if (!strcmp(argv[i], "--strict"))
            strict = 1;
        else if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v"))
            verbose = 1;
        else {
            fprintf(stderr, "usage: weft-conform [--device N|NAME] [--vectors DIR] [-v]\n"
                            "       weft-conform --generate DIR | --write-testnet FILE\n");
            return !strcmp(argv[i], "-h") || !strcmp(argv[i], "--help") ? 0 : 2;
        }
    }
    int index = 0;
    const char *name = NULL;
    if (device_arg) {
        char *end;
        long n = strtol(device_arg, &end, 10);
        if (*end || end == device_arg) {
            index = -1;
            name = device_arg;
        } else {
            index = (int)n;
        }
    }
    Log log = {.level = WEFT_LOG_ERROR};
    Device *gpu = NULL;
    if (gpu_device_create(&gpu, &log, index, name) < 0) {
        printf("SKIP: no Vulkan device %s\n", device_arg ? device_arg : "");
        return 77;
    }
    printf("weft-conform: device %s\n", gpu->name);
    DIR *dir = opendir(vectors);
    if (!dir) {
        fprintf(stderr, "weft-conform: cannot open %s\n", vectors);
        device_destroy(&gpu);
        return 1;
    }
    char *files[256];
    int n_files = 0;
    struct dirent *e;
    while ((e = readdir(dir)) && n_files < 256) {
        size_t len = strlen(e->d_name);
        if (len > 4 && !strcmp(e->d_name + len - 4, ".vec"))
            files[n_files++] = strdup(e->d_name);
    }
    closedir(dir);
    qsort(files, (size_t)n_files, sizeof(char *), cmp_names);
    /* The C path replays each vector too: a vector it no longer reproduces was made before
     * an op's contract or an algorithm changed, so it says nothing about the device; it is
     * reported as stale (regenerate with --generate) instead of failing the device. */
    Device *cpu = NULL;
    if (cpu_device_create(&cpu, &log, 1) < 0) {
        device_destroy(&gpu);
        return 1;
    }
    int failed = 0, passed = 0, stale = 0;
    for (int f = 0; f < n_files; f++) {
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", vectors, files[f]);
        Vector v;
        float *out[MAX_VEC_TENSORS] = {0};
        int err = vec_read(&v, path), cpu_err = 0;
        for (int i = 0; err >= 0 && i < v.n; i++)
            if (!(out[i] = malloc(count3(v.shape[i]) * sizeof(float))))
                err = -ENOMEM;
        double cpu_worst = INFINITY, worst = INFINITY;
        if (err >= 0 && (cpu_err = run_vector(cpu, WEFT_DEVICE_CPU, NULL, &v, out)) >= 0)
            cpu_worst = vec_compare(&v, out);
        const OpInfo *op = err >= 0 && v.kind == VEC_OP ? op_find(v.name) : NULL;
        if (op && !device_supports(gpu, op)) {
            /* a shader variant this device cannot run; ops choose another one for it */
            printf("skip  %-19s %s\n", v.name, case_unsupported_reason(op));
        } else if (err >= 0 && (cpu_err < 0 || cpu_worst > v.tolerance)) {
            printf("STALE %-19s the C path no longer reproduces it (%s); regenerate with "
                   "weft-conform --generate\n",
                   v.name, cpu_err < 0 ? weft_strerror(cpu_err) : "results differ");
            stale++;
        } else {
            if (err >= 0)
                err = run_vector(gpu, index, name, &v, out);
            if (err >= 0)
                worst = vec_compare(&v, out);
            double tolerance = v.tolerance;
            if (v.kind == VEC_NET && nn_graph_fp16(gpu))
                tolerance = fmax(tolerance, NET_F16_TOLERANCE);
            int ok = err >= 0 && worst <= tolerance;
            if (err < 0)
                printf("FAIL %-20s cannot run: %s\n", files[f], weft_strerror(err));
            else if (!ok || verbose)
                printf("%s %-20s max difference %.3g (tolerance %.3g)\n", ok ? "ok  " : "FAIL",
                       v.name, worst, tolerance);
            ok ? passed++ : failed++;
        }
        for (int i = 0; i < MAX_VEC_TENSORS; i++)
            free(out[i]);
        vec_free(&v);
        free(files[f]);
    }
    device_destroy(&cpu);
    device_destroy(&gpu);
    printf("weft-conform: %d vectors, %d passed, %d failed, %d stale: %s\n",
           passed + failed + stale, passed, failed, stale,
           failed || passed == 0 ? "NOT CONFORMANT" : "conformant");
    if (strict && stale)
        printf("weft-conform: --strict: %d stale vectors fail the run\n", stale);
    return failed || passed == 0 || (strict && stale) ? 1 : 0;
}
