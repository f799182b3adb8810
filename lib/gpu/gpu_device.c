/* The Vulkan device: the DeviceImpl over instance, memory, pipelines and commands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/half.h"
#include "gpu/gpu_device.h"
#include "gpu/gpu_internal.h"
#include "weft/weft_vulkan.h"
#include "gpu/gpu_vulkan.h"

static int gpu_tensor_create(Device *d, WeftTensor *t)
{
    GpuContext *g = d->priv;
    VkDeviceSize bytes = (VkDeviceSize)tensor_count(t) * tensor_elem_size(t);
    if (bytes > g->props.limits.maxStorageBufferRange) {
        log_error(d->log,
                  "vulkan: tensor %dx%dx%d (%llu bytes) exceeds this device's largest "
                  "storage buffer (%u bytes)",
                  t->c, t->h, t->w, (unsigned long long)bytes,
                  g->props.limits.maxStorageBufferRange);
        return -E2BIG;
    }
    GpuBuffer *b = calloc(1, sizeof(*b));
    if (!b)
        return -ENOMEM;
    int err = gpu_buffer_create(g, b, bytes, 0);
    if (err < 0) {
        free(b);
        return err;
    }
    b->half = t->type == TENSOR_F16;
    t->gpu = b;
    return 0;
}

static void gpu_tensor_destroy(Device *d, WeftTensor *t)
{
    GpuContext *g = d->priv;
    GpuBuffer *b = t->gpu;
    if (!b)
        return;
    /* Commands recorded in the open batch may still use it. */
    if (gpu_cmd_uses(g, b))
        gpu_cmd_flush(g);
    gpu_buffer_destroy(g, b);
    free(b);
    t->gpu = NULL;
}

/* Host floats into a tensor's storage (fp16 tensors: converted, round to nearest even). */
static void store_elements(const WeftTensor *t, void *dst, const float *src)
{
    size_t n = tensor_count(t);
    if (t->type != TENSOR_F16) {
        memcpy(dst, src, n * sizeof(float));
        return;
    }
    uint16_t *h = dst;
    for (size_t i = 0; i < n; i++)
        h[i] = float_to_half(src[i]);
}

static void load_elements(const WeftTensor *t, float *dst, const void *src)
{
    size_t n = tensor_count(t);
    if (t->type != TENSOR_F16) {
        memcpy(dst, src, n * sizeof(float));
        return;
    }
    const uint16_t *h = src;
    for (size_t i = 0; i < n; i++)
        dst[i] = half_to_float(h[i]);
}

static int gpu_upload(Device *d, WeftTensor *t, const float *src)
{
    GpuContext *g = d->priv;
    GpuBuffer *b = t->gpu;
    int err;
    if (b->mapped) {
        /* Earlier recorded commands may read the old contents: let them run first. */
        if (gpu_cmd_uses(g, b) && (err = gpu_cmd_flush(g)) < 0)
            return err;
        store_elements(t, b->mapped, src);
        return 0;
    }
    VkDeviceSize offset;
    if ((err = gpu_staging_reserve(g, b->size, &offset)) < 0)
        return err;
    store_elements(t, (char *)g->staging.mapped + offset, src);
    return gpu_cmd_copy(g, &g->staging, offset, b, 0, b->size);
}

static int gpu_download(Device *d, const WeftTensor *t, float *dst)
{
    GpuContext *g = d->priv;
    GpuBuffer *b = t->gpu;
    int err;
    if (b->mapped) {
        if (gpu_cmd_uses(g, b) && (err = gpu_cmd_flush(g)) < 0)
            return err;
        load_elements(t, dst, b->mapped);
        return 0;
    }
    VkDeviceSize offset;
    if ((err = gpu_staging_reserve(g, b->size, &offset)) < 0 ||
        (err = gpu_cmd_copy(g, b, 0, &g->staging, offset, b->size)) < 0 ||
        (err = gpu_cmd_flush(g)) < 0)
        return err;
    load_elements(t, dst, (const char *)g->staging.mapped + offset);
    return 0;
}

static int gpu_run(Device *d, const OpInfo *op, const void *params, WeftTensor *const *tensors)
{
    GpuContext *g = d->priv;
    if (g->lost)
        return -EIO;
    GpuPipeline *p;
    int err = gpu_pipeline_get(g, op, &p);
    if (err < 0)
        return err;
    GpuBuffer *buffers[OP_MAX_TENSORS];
    for (int i = 0; i < op->num_tensors; i++)
        buffers[i] = tensors[i]->gpu;
    uint32_t grid[3];
    op->grid(params, tensors, grid);
    return gpu_cmd_dispatch(g, p, params, buffers, grid);
}

static int gpu_copy(Device *d, const WeftTensor *src, size_t src_at, WeftTensor *dst,
                    size_t dst_at, size_t count)
{
    GpuContext *g = d->priv;
    if (g->lost)
        return -EIO;
    VkDeviceSize size = tensor_elem_size(src); /* dst's too (device_copy checks) */
    return gpu_cmd_copy(g, src->gpu, (VkDeviceSize)src_at * size, dst->gpu,
                        (VkDeviceSize)dst_at * size, (VkDeviceSize)count * size);
}

static int gpu_finish(Device *d)
{
    return gpu_cmd_flush(d->priv);
}

static void gpu_destroy(Device *d)
{
    GpuContext *g = d->priv;
    if (g) {
        if (g->device) {
            /* flushing waits for our last submission; waiting for the whole device would
             * need every queue of a shared device, which are the caller's */
            gpu_cmd_flush(g);
            if (!g->external)
                vkDeviceWaitIdle(g->device);
        }
        gpu_commands_uninit(g);
        gpu_pipelines_uninit(g);
        if (g->device)
            gpu_memory_uninit(g);
        if (g->validation && g->validation_errors)
            log_error(d->log, "vulkan: the validation layer reported %d errors",
                      g->validation_errors);
        gpu_instance_destroy(g);
        free(g);
    }
    free(d);
}

static const DeviceImpl gpu_impl = {
    .kind = "vulkan",
    .tensor_create = gpu_tensor_create,
    .tensor_destroy = gpu_tensor_destroy,
    .upload = gpu_upload,
    .download = gpu_download,
    .run = gpu_run,
    .copy = gpu_copy,
    .finish = gpu_finish,
    .destroy = gpu_destroy,
};

/* The Device over g once g has an instance and a device (ours or the caller's). */
static int finish_create(Device *d, GpuContext *g)
{
    gpu_memory_init(g);
    int err = gpu_pipelines_init(g);
    if (err < 0 || (err = gpu_commands_init(g)) < 0)
        return err;
    snprintf(d->name, sizeof(d->name), "%.*s", (int)sizeof(d->name) - 1, g->props.deviceName);
    d->cpu_hosted = g->props.deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU;
    d->storage16 = g->storage16;
    /* vkGetPhysicalDeviceProperties2 is core from instance version 1.1 (unknown for a
     * caller's instance: no subgroup shaders there) */
    if (g->api_version >= VK_API_VERSION_1_1) {
        VkPhysicalDeviceSubgroupProperties subgroup = {
            .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES};
        VkPhysicalDeviceProperties2 props2 = {
            .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, .pNext = &subgroup};
        vkGetPhysicalDeviceProperties2(g->physical, &props2);
        const VkSubgroupFeatureFlags needed =
            VK_SUBGROUP_FEATURE_BASIC_BIT | VK_SUBGROUP_FEATURE_BALLOT_BIT;
        if ((subgroup.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT) &&
            (subgroup.supportedOperations & needed) == needed)
            d->subgroup_size = (int)subgroup.subgroupSize;
    }
    log_verbose(d->log, "vulkan: using %s (Vulkan %u.%u, %s%s%s)%s", d->name,
                VK_API_VERSION_MAJOR(g->props.apiVersion),
                VK_API_VERSION_MINOR(g->props.apiVersion),
                g->direct_host_access ? "mapped tensors" : "staging transfers",
                g->push_descriptor_set ? ", push descriptors" : "",
                g->storage16 ? ", 16-bit storage" : "",
                g->external ? ": the caller's device, shared (no instance or device of our own)"
                            : "");
    return 0;
}

static int alloc_device(Device **out, Log *log)
{
    Device *d = calloc(1, sizeof(*d));
    GpuContext *g = calloc(1, sizeof(*g));
    if (!d || !g) {
        free(d);
        free(g);
        return -ENOMEM;
    }
    d->impl = &gpu_impl;
    d->log = log;
    d->priv = g;
    g->log = log;
    *out = d;
    return 0;
}

int gpu_device_create(Device **out, Log *log, int index, const char *name_filter)
{
    if (!out || index < -1)
        return -EINVAL;
    *out = NULL;
    Device *d;
    int err = alloc_device(&d, log);
    if (err < 0)
        return err;
    if ((err = gpu_instance_create(d->priv, index, name_filter)) < 0 ||
        (err = finish_create(d, d->priv)) < 0) {
        gpu_destroy(d);
        return err;
    }
    *out = d;
    return 0;
}

int gpu_device_create_external(Device **out, Log *log, const WeftVulkanDevice *vk)
{
    if (!out)
        return -EINVAL;
    *out = NULL;
    CHECK_ARG(log, vk != NULL);
    Device *d;
    int err = alloc_device(&d, log);
    if (err < 0)
        return err;
    if ((err = gpu_instance_adopt(d->priv, vk)) < 0 || (err = finish_create(d, d->priv)) < 0) {
        gpu_destroy(d);
        return err;
    }
    *out = d;
    return 0;
}

int gpu_device_validation_errors(const Device *d)
{
    if (!d || d->impl != &gpu_impl)
        return -1;
    const GpuContext *g = d->priv;
    return g->validation ? g->validation_errors : -1;
}

int gpu_device_is_software(const Device *d)
{
    if (!d || d->impl != &gpu_impl)
        return -1;
    const GpuContext *g = d->priv;
    return g->props.deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU;
}

int gpu_device_vulkan(const Device *d, GpuVulkanHandles *out)
{
    if (!d || d->impl != &gpu_impl || !out)
        return -EINVAL;
    const GpuContext *g = d->priv;
    *out = (GpuVulkanHandles){
        .instance = g->instance,
        .api_version = g->api_version,
        .physical = g->physical,
        .device = g->device,
        .queue = g->queue,
        .queue_family = g->queue_family,
        .has_graphics_queue = g->has_graphics_queue,
        .graphics_family = g->graphics_family,
        .extensions = g->device_exts,
        .num_extensions = (int)g->num_device_exts,
        .timeline_semaphores = g->timeline_semaphores,
        .external = g->external,
    };
    return 0;
}

VkBuffer gpu_tensor_buffer(const WeftTensor *t)
{
    if (!t || !t->dev || t->dev->impl != &gpu_impl || !t->gpu)
        return VK_NULL_HANDLE;
    return ((const GpuBuffer *)t->gpu)->buffer;
}
