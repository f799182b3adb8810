/*
 * Op tests: every op in the op table, on random inputs of odd sizes with random
 * parameters from its case generator (op_cases.c).
 *
 *   op_test vulkan [OP...]   the C implementation (CPU device) against the shader (Vulkan
 *                            device): max |difference| per op within the op's tolerance;
 *                            with WEFT_VALIDATION=1, also no validation-layer errors.
 *                            Exit 77 when there is no Vulkan device.
 *   op_test threads [OP...]  the CPU device with 1, 2 and 3 threads: bit-identical outputs.
 *   op_test bench [OP...]    speed of each op on both devices (WEFT_BENCH_SIZE=WxH).
 *
 * Fails when an op has no case generator, or no shader (none embedded; or the Vulkan device
 * says -ENOSYS).
 * WEFT_TEST_DEVICE picks a Vulkan device by name (default: the first).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/device.h"
#include "gpu/gpu_device.h"
#include "gpu/gpu_shaders.h"
#include "op_case.h"

#define TRIALS 3

static const int sizes[][2] = {{1, 1}, {7, 5}, {33, 17}, {97, 61}, {129, 257}};
#define NUM_SIZES ((int)(sizeof(sizes) / sizeof(sizes[0])))

typedef struct CaseData {
    OpCase k;
    float *host[OP_MAX_TENSORS]; /* the random initial contents of every tensor */
} CaseData;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

/* CPU time of the whole process (all threads, the Vulkan driver's included). */
static double cpu_time_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-3;
}

static size_t shape_count(const int shape[3])
{
    return (size_t)shape[0] * shape[1] * shape[2];
}

static void case_data_free(CaseData *cd)
{
    for (int i = 0; i < OP_MAX_TENSORS; i++)
        free(cd->host[i]);
    memset(cd, 0, sizeof(*cd));
}

/* Builds case (size, trial) of op: parameters, shapes and random contents. */
static int case_data_make(const OpInfo *op, const OpCaseDef *def, int size, int trial, CaseData *cd)
{
    memset(cd, 0, sizeof(*cd));
    CaseRng rng = {.state = 0x5eed0000u + (uint64_t)size * 131 + (uint64_t)trial};
    for (const char *s = op->name; *s; s++)
        rng.state = rng.state * 31 + (unsigned char)*s;
    def->make(&rng, sizes[size][0], sizes[size][1], &cd->k);
    if (cd->k.params_size != op->params_size || cd->k.num_tensors != op->num_tensors) {
        printf("FAIL %s: case generator gives %zu param bytes and %d tensors; the op has %zu "
               "and %d\n",
               op->name, cd->k.params_size, cd->k.num_tensors, op->params_size, op->num_tensors);
        return -1;
    }
    for (int i = 0; i < cd->k.num_tensors; i++) {
        size_t n = shape_count(cd->k.shape[i]);
        if (!(cd->host[i] = malloc(n * sizeof(float))))
            return -1;
        case_fill(&rng, cd->k.shape[i], cd->k.lo[i], cd->k.hi[i], cd->k.smooth[i], cd->host[i]);
        if (cd->k.fill)
            cd->k.fill(&rng, &cd->k, i, cd->host);
        case_round_half(op, i, cd->k.shape[i], cd->host[i]);
    }
    return 0;
}

/* Runs the case on d; out[i] receives every tensor's final contents; time[0] is the wall
 * time and time[1] the process CPU time of the op (run and finish, transfers excluded). */
static int run_case(Device *d, const OpInfo *op, const CaseData *cd, float **out, double time[2])
{
    WeftTensor tensors[OP_MAX_TENSORS];
    WeftTensor *ptrs[OP_MAX_TENSORS];
    memset(tensors, 0, sizeof(tensors));
    int err = 0;
    for (int i = 0; i < cd->k.num_tensors && err >= 0; i++) {
        const int *s = cd->k.shape[i];
        ptrs[i] = &tensors[i];
        if ((err = device_tensor_typed(d, &tensors[i], s[0], s[1], s[2],
                                       device_op_tensor_type(d, op, i))) >= 0)
            err = device_upload(d, &tensors[i], cd->host[i]);
    }
    if (err >= 0 && (err = device_finish(d)) >= 0) {
        double t0 = now_ms(), c0 = cpu_time_ms();
        err = device_run(d, op, cd->k.params, ptrs);
        if (err >= 0)
            err = device_finish(d);
        time[0] = now_ms() - t0;
        time[1] = cpu_time_ms() - c0;
    }
    for (int i = 0; i < cd->k.num_tensors && err >= 0; i++)
        err = device_download(d, &tensors[i], out[i]);
    for (int i = 0; i < cd->k.num_tensors; i++)
        device_tensor_free(&tensors[i]);
    return err;
}

static int alloc_outputs(const CaseData *cd, float **out)
{
    for (int i = 0; i < cd->k.num_tensors; i++)
        if (!(out[i] = malloc(shape_count(cd->k.shape[i]) * sizeof(float))))
            return -1;
    return 0;
}

static void free_outputs(float **out)
{
    for (int i = 0; i < OP_MAX_TENSORS; i++) {
        free(out[i]);
        out[i] = NULL;
    }
}

/* Speed of one op on both devices at a size given by WEFT_BENCH_SIZE (default 640x480):
 * the best of 5 runs, wall and process CPU time (on a loaded machine the CPU time is the
 * steadier figure). */
static int bench_op(Device *cpu, Device *gpu, const OpInfo *op, const OpCaseDef *def)
{
    int w = 640, h = 480;
    const char *size = getenv("WEFT_BENCH_SIZE");
    if (size && sscanf(size, "%dx%d", &w, &h) != 2)
        return 1;
    CaseData cd;
    memset(&cd, 0, sizeof(cd));
    CaseRng rng = {.state = 0xbe4c4};
    def->make(&rng, w, h, &cd.k);
    float *out[OP_MAX_TENSORS] = {0};
    int err = 0;
    for (int i = 0; i < cd.k.num_tensors && err >= 0; i++) {
        cd.host[i] = malloc(shape_count(cd.k.shape[i]) * sizeof(float));
        if (!cd.host[i])
            err = -ENOMEM;
        else
            case_fill(&rng, cd.k.shape[i], cd.k.lo[i], cd.k.hi[i], cd.k.smooth[i], cd.host[i]);
        if (err >= 0 && cd.k.fill)
            cd.k.fill(&rng, &cd.k, i, cd.host);
        if (err >= 0)
            case_round_half(op, i, cd.k.shape[i], cd.host[i]);
    }
    if (err >= 0 && alloc_outputs(&cd, out) < 0)
        err = -ENOMEM;
    double best[2][2] = {{1e30, 1e30}, {1e30, 1e30}};
    Device *devs[2] = {cpu, gpu};
    for (int d = 0; d < 2 && err >= 0; d++) {
        for (int run = 0; run < 5 && err >= 0; run++) {
            double t[2];
            err = run_case(devs[d], op, &cd, out, t);
            best[d][0] = fmin(best[d][0], t[0]);
            best[d][1] = fmin(best[d][1], t[1]);
        }
    }
    if (err < 0)
        printf("FAIL %s: error %d\n", op->name, err);
    else
        printf("%-20s %dx%d  cpu device %8.2f ms (cpu time %8.2f)  vulkan %8.2f ms (cpu time "
               "%8.2f)\n",
               op->name, w, h, best[0][0], best[0][1], best[1][0], best[1][1]);
    free_outputs(out);
    case_data_free(&cd);
    return err < 0;
}

static int selected(const char *name, int argc, char **argv)
{
    if (argc <= 2)
        return 1;
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], name))
            return 1;
    return 0;
}

/* CPU against Vulkan for one op; returns the number of failures. */
static int test_vulkan_op(Device *cpu, Device *gpu, const OpInfo *op, const OpCaseDef *def)
{
    double worst = 0, ms[2][2] = {{0, 0}, {0, 0}}, cpu_ms = 0, gpu_ms = 0;
    int failures = 0;
    for (int size = 0; size < NUM_SIZES && !failures; size++) {
        for (int trial = 0; trial < TRIALS && !failures; trial++) {
            CaseData cd;
            float *a[OP_MAX_TENSORS] = {0}, *b[OP_MAX_TENSORS] = {0};
            int err;
            if (case_data_make(op, def, size, trial, &cd) < 0 || alloc_outputs(&cd, a) < 0 ||
                alloc_outputs(&cd, b) < 0) {
                failures++;
            } else if ((err = run_case(cpu, op, &cd, a, ms[0])) < 0) {
                printf("FAIL %s: CPU device: error %d\n", op->name, err);
                failures++;
            } else if ((err = run_case(gpu, op, &cd, b, ms[1])) < 0) {
                printf("FAIL %s: Vulkan device: error %d%s\n", op->name, err,
                       err == -ENOSYS ? " (no shader for this op)" : "");
                failures++;
            } else {
                if (size == NUM_SIZES - 1) { /* the largest size: time its trials */
                    cpu_ms += ms[0][0] / TRIALS;
                    gpu_ms += ms[1][0] / TRIALS;
                }
                for (int i = 0; i < cd.k.num_tensors; i++) {
                    size_t n = shape_count(cd.k.shape[i]);
                    for (size_t j = 0; j < n; j++) {
                        double diff = fabs((double)a[i][j] - (double)b[i][j]) /
                                      fmax(1.0, fabs((double)a[i][j]));
                        if (isnan(a[i][j]) != isnan(b[i][j]))
                            diff = INFINITY;
                        else if (isnan(a[i][j]))
                            diff = 0;
                        if (diff > worst)
                            worst = diff;
                        if (diff > def->tolerance && !failures++) {
                            const int *s = cd.k.shape[i];
                            size_t plane = (size_t)s[1] * s[2];
                            printf("FAIL %s: size %dx%d trial %d tensor %d (%dx%dx%d) at "
                                   "c=%zu y=%zu x=%zu: cpu %.9g vulkan %.9g\n",
                                   op->name, sizes[size][0], sizes[size][1], trial, i, s[0], s[1],
                                   s[2], j / plane, j % plane / s[2], j % s[2], a[i][j], b[i][j]);
                        }
                    }
                }
            }
            free_outputs(a);
            free_outputs(b);
            case_data_free(&cd);
        }
    }
    printf("%s %-20s max diff %.3g (tolerance %.1g); %dx%d: cpu %.2f ms, vulkan %.2f ms "
           "(mean of %d)\n",
           failures ? "FAIL" : "ok  ", op->name, worst, def->tolerance, sizes[NUM_SIZES - 1][0],
           sizes[NUM_SIZES - 1][1], cpu_ms, gpu_ms, TRIALS);
    return failures;
}

/* CPU with 1 thread against 2 and 3 threads, bit for bit; returns the number of failures. */
static int test_threads_op(Device *const cpus[3], const OpInfo *op, const OpCaseDef *def)
{
    int failures = 0;
    double ms[2];
    for (int size = 0; size < NUM_SIZES && !failures; size++) {
        for (int trial = 0; trial < TRIALS && !failures; trial++) {
            CaseData cd;
            float *out[3][OP_MAX_TENSORS] = {{0}};
            if (case_data_make(op, def, size, trial, &cd) < 0) {
                failures++;
                case_data_free(&cd);
                continue;
            }
            for (int d = 0; d < 3 && !failures; d++) {
                int err;
                if (alloc_outputs(&cd, out[d]) < 0) {
                    failures++;
                } else if ((err = run_case(cpus[d], op, &cd, out[d], ms)) < 0) {
                    printf("FAIL %s: CPU device (%d threads): error %d\n", op->name, d + 1, err);
                    failures++;
                } else if (d > 0) {
                    for (int i = 0; i < cd.k.num_tensors; i++) {
                        size_t bytes = shape_count(cd.k.shape[i]) * sizeof(float);
                        if (memcmp(out[0][i], out[d][i], bytes) != 0 && !failures++)
                            printf("FAIL %s: size %dx%d trial %d tensor %d differs between 1 "
                                   "and %d threads\n",
                                   op->name, sizes[size][0], sizes[size][1], trial, i, d + 1);
                    }
                }
            }
            for (int d = 0; d < 3; d++)
                free_outputs(out[d]);
            case_data_free(&cd);
        }
    }
    printf("%s %-20s 1, 2, 3 threads %s\n", failures ? "FAIL" : "ok  ", op->name,
           failures ? "differ" : "bit-identical");
    return failures;
}

/* Prints log lines and counts the validation layer's errors, including those reported while
 * the device is destroyed (leaked objects). */
static void log_line(void *opaque, int level, const char *msg)
{
    int *validation_errors = opaque;
    if (level == WEFT_LOG_ERROR && !strncmp(msg, "vulkan validation:", 18))
        (*validation_errors)++;
    fprintf(stderr, "[%d] %s\n", level, msg);
}

int main(int argc, char **argv)
{
    if (argc < 2 ||
        (strcmp(argv[1], "vulkan") && strcmp(argv[1], "threads") && strcmp(argv[1], "bench"))) {
        fprintf(stderr, "usage: %s vulkan|threads|bench [OP...]\n", argv[0]);
        return 2;
    }
    int bench = !strcmp(argv[1], "bench");
    int vulkan = bench || !strcmp(argv[1], "vulkan");
    int validation_errors = 0;
    Log log = {.callback = log_line, .opaque = &validation_errors, .level = WEFT_LOG_WARNING};
    const char *level = getenv("WEFT_TEST_LOG_LEVEL");
    if (level)
        log.level = atoi(level);
    Device *cpus[3] = {NULL, NULL, NULL};
    Device *gpu = NULL;
    int failures = 0, err;
    for (int d = 0; d < (vulkan ? 1 : 3); d++) {
        if ((err = cpu_device_create(&cpus[d], &log, vulkan ? 2 : d + 1)) < 0) {
            printf("FAIL: cannot create the CPU device: %d\n", err);
            return 1;
        }
    }
    if (vulkan) {
        const char *name = getenv("WEFT_TEST_DEVICE");
        if ((err = gpu_device_create(&gpu, &log, -1, name)) < 0) {
            printf("skip: no Vulkan device%s%s (error %d)\n", name ? " matching " : "",
                   name ? name : "", err);
            device_destroy(&cpus[0]);
            return 77;
        }
        const char *v = getenv("WEFT_VALIDATION");
        if (v && strcmp(v, "0") && gpu_device_validation_errors(gpu) < 0) {
            printf("skip: WEFT_VALIDATION is set but the validation layer is not available\n");
            device_destroy(&gpu);
            device_destroy(&cpus[0]);
            return 77;
        }
        printf("Vulkan device: %s%s\n", gpu->name,
               gpu_device_validation_errors(gpu) >= 0 ? " (validation layer on)" : "");
    }

    int tested = 0;
    for (int i = 0; op_table[i]; i++) {
        const OpInfo *op = op_table[i];
        if (!selected(op->name, argc, argv))
            continue;
        tested++;
        /* checked here too so that a machine without Vulkan notices a missing shader */
        if (!gpu_shader_find(op->name)) {
            printf("FAIL %s: no shader embedded (shaders/%s.comp, shaders/meson.build)\n", op->name,
                   op->name);
            failures++;
        }
        const OpCaseDef *def = op_case_find(op->name);
        if (!def) {
            printf("FAIL %s: no case generator in tests/ops/op_cases.c\n", op->name);
            failures++;
            continue;
        }
        if (vulkan && !device_supports(gpu, op)) {
            printf("skip %-20s %s\n", op->name, case_unsupported_reason(op));
            continue;
        }
        if (bench)
            failures += bench_op(cpus[0], gpu, op, def);
        else if (vulkan)
            failures += test_vulkan_op(cpus[0], gpu, op, def);
        else
            failures += test_threads_op(cpus, op, def);
    }
    if (!tested) {
        printf("FAIL: no op selected\n");
        failures++;
    }
    device_destroy(&gpu);
    if (validation_errors > 0) {
        printf("FAIL: the validation layer reported %d errors\n", validation_errors);
        failures++;
    }
    for (int d = 0; d < 3; d++)
        device_destroy(&cpus[d]);
    printf("%s\n", failures ? "FAILED" : "all ops passed");
    return failures ? 1 : 0;
}
