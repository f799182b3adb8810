/* The C path: tensors in host memory, ops run by their C implementation, threaded over
 * rows by the pool. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/device.h"
#include "cpu/thread_pool.h"

/* Ops whose tensors all hold fewer elements run on the calling thread alone. */
#define CPU_INLINE_ELEMENTS 4096

typedef struct CpuDevice {
    ThreadPool *pool;
} CpuDevice;

static int cpu_tensor_create(Device *d, WeftTensor *t)
{
    (void)d;
    size_t bytes = tensor_count(t) * sizeof(float);
    /* 64-byte alignment for vector loads; rounded up as aligned_alloc requires. */
    t->host = aligned_alloc(64, (bytes + 63) & ~(size_t)63);
    if (!t->host)
        return -ENOMEM;
    return 0;
}

static void cpu_tensor_destroy(Device *d, WeftTensor *t)
{
    (void)d;
    free(t->host);
    t->host = NULL;
}

static int cpu_upload(Device *d, WeftTensor *t, const float *src)
{
    (void)d;
    memcpy(t->host, src, tensor_count(t) * sizeof(float));
    return 0;
}

static int cpu_download(Device *d, const WeftTensor *t, float *dst)
{
    (void)d;
    memcpy(dst, t->host, tensor_count(t) * sizeof(float));
    return 0;
}

typedef struct OpJob {
    const OpInfo *op;
    const void *params;
    WeftTensor *const *tensors;
} OpJob;

static void run_rows(void *ctx, int begin, int end)
{
    const OpJob *job = ctx;
    job->op->cpu(job->params, job->tensors, begin, end);
}

static int cpu_run(Device *d, const OpInfo *op, const void *params, WeftTensor *const *tensors)
{
    CpuDevice *cpu = d->priv;
    const int rows = op->rows(params, tensors);
    /* tiny tensors (the coarse pyramid levels): the job costs less than a worker's wake-up */
    size_t largest = 0;
    for (int i = 0; i < op->num_tensors; i++)
        if (tensor_count(tensors[i]) > largest)
            largest = tensor_count(tensors[i]);
    if (largest < CPU_INLINE_ELEMENTS) {
        if (rows > 0)
            op->cpu(params, tensors, 0, rows);
        return 0;
    }
    OpJob job = {.op = op, .params = params, .tensors = tensors};
    pool_run(cpu->pool, rows, run_rows, &job);
    return 0;
}

static int cpu_finish(Device *d)
{
    (void)d;
    return 0;
}

static void cpu_destroy(Device *d)
{
    CpuDevice *cpu = d->priv;
    if (cpu)
        pool_destroy(&cpu->pool);
    free(cpu);
    free(d);
}

static const DeviceImpl cpu_impl = {
    .kind = "cpu",
    .tensor_create = cpu_tensor_create,
    .tensor_destroy = cpu_tensor_destroy,
    .upload = cpu_upload,
    .download = cpu_download,
    .run = cpu_run,
    .finish = cpu_finish,
    .destroy = cpu_destroy,
};

int cpu_device_create(Device **out, Log *log, int threads)
{
    if (!out || threads < 0)
        return -EINVAL;
    if (threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (int)(n > 256 ? 256 : n) : 1;
    }
    Device *d = calloc(1, sizeof(*d));
    CpuDevice *cpu = calloc(1, sizeof(*cpu));
    if (!d || !cpu) {
        free(d);
        free(cpu);
        return -ENOMEM;
    }
    d->impl = &cpu_impl;
    d->log = log;
    d->priv = cpu;
    int err = pool_create(&cpu->pool, threads);
    if (err < 0) {
        cpu_destroy(d);
        return err;
    }
    snprintf(d->name, sizeof(d->name), "cpu (%d threads)", pool_threads(cpu->pool));
    *out = d;
    return 0;
}
