/* Memory: tensors are storage buffers in device-local memory; uploads and downloads go
 * through one reused host-visible staging buffer, or, on devices whose device-local memory
 * is ordinary host memory (integrated GPUs, CPU devices such as lavapipe), straight through
 * a persistent mapping. */
#include <stdlib.h>
#include <string.h>

#include "gpu/gpu_internal.h"

#define STAGING_MIN_SIZE ((VkDeviceSize)4 << 20)

static int env_flag(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0;
}

void gpu_memory_init(GpuContext *g)
{
    VkPhysicalDeviceType type = g->props.deviceType;
    /* Reading device-local memory through a mapping is only fast where it is host memory;
     * WEFT_GPU_STAGING=1 forces the staging path (to test it on such devices). */
    g->direct_host_access =
        (type == VK_PHYSICAL_DEVICE_TYPE_CPU || type == VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU) &&
        !env_flag("WEFT_GPU_STAGING");
}

/* The first memory type allowed by `bits` that has all of `required`, preferring one that
 * also has all of `preferred`; -1 when none. */
static int find_memory_type(const GpuContext *g, uint32_t bits, VkMemoryPropertyFlags required,
                            VkMemoryPropertyFlags preferred)
{
    int fallback = -1;
    for (uint32_t i = 0; i < g->memory_props.memoryTypeCount; i++) {
        VkMemoryPropertyFlags f = g->memory_props.memoryTypes[i].propertyFlags;
        if (!(bits & (1u << i)) || (f & required) != required)
            continue;
        if ((f & preferred) == preferred)
            return (int)i;
        if (fallback < 0)
            fallback = (int)i;
    }
    return fallback;
}

/* A tensor buffer's size: whole vec4 texels, so a texel view covers every element. And
 * lavapipe (Mesa 22.3) compiles a new variant of a shader (seconds for the big ones) for
 * every combination of two properties of its texel buffers: whether the buffer's size is a
 * power of two and whether bits 8-15 of the view's size are all zero (they alias a mip
 * level field); sizes made neither keep one variant per shader. Costs under 300 bytes. */
static VkDeviceSize tensor_buffer_size(VkDeviceSize bytes)
{
    VkDeviceSize size = (bytes + 15) & ~(VkDeviceSize)15;
    if (!((size >> 8) & 0xff))
        size += 256;
    if (!(size & (size - 1)))
        size += 16;
    return size;
}

int gpu_buffer_create(GpuContext *g, GpuBuffer *b, VkDeviceSize size, int staging)
{
    memset(b, 0, sizeof(*b));
    VkBufferCreateInfo info = {
        .sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
        .size = staging ? size : tensor_buffer_size(size),
        .usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT |
                 (staging ? 0
                          : VK_BUFFER_USAGE_STORAGE_BUFFER_BIT |
                                VK_BUFFER_USAGE_UNIFORM_TEXEL_BUFFER_BIT),
        .sharingMode = VK_SHARING_MODE_EXCLUSIVE,
    };
    int err = gpu_check(g, vkCreateBuffer(g->device, &info, NULL, &b->buffer), "vkCreateBuffer");
    if (err < 0)
        return err;
    VkMemoryRequirements req;
    vkGetBufferMemoryRequirements(g->device, b->buffer, &req);

    const VkMemoryPropertyFlags host =
        VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    int type;
    int map = 0;
    if (staging) {
        type = find_memory_type(g, req.memoryTypeBits, host, VK_MEMORY_PROPERTY_HOST_CACHED_BIT);
        map = 1;
    } else if (g->direct_host_access &&
               (type = find_memory_type(g, req.memoryTypeBits,
                                        host | VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, 0)) >= 0) {
        map = 1;
    } else {
        type = find_memory_type(g, req.memoryTypeBits, 0, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
    }
    if (type < 0) {
        log_error(g->log, "vulkan: no memory type for a %s buffer", staging ? "staging" : "tensor");
        err = -ENOMEM;
        goto fail;
    }
    VkMemoryAllocateInfo alloc = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
        .allocationSize = req.size,
        .memoryTypeIndex = (uint32_t)type,
    };
    if ((err = gpu_check(g, vkAllocateMemory(g->device, &alloc, NULL, &b->memory),
                         "vkAllocateMemory")) < 0)
        goto fail;
    if ((err = gpu_check(g, vkBindBufferMemory(g->device, b->buffer, b->memory, 0),
                         "vkBindBufferMemory")) < 0)
        goto fail;
    if (map &&
        (err = gpu_check(g, vkMapMemory(g->device, b->memory, 0, VK_WHOLE_SIZE, 0, &b->mapped),
                         "vkMapMemory")) < 0)
        goto fail;
    b->size = size;
    return 0;
fail:
    gpu_buffer_destroy(g, b);
    return err;
}

void gpu_buffer_destroy(GpuContext *g, GpuBuffer *b)
{
    if (b->view)
        vkDestroyBufferView(g->device, b->view, NULL);
    if (b->buffer)
        vkDestroyBuffer(g->device, b->buffer, NULL);
    if (b->memory)
        vkFreeMemory(g->device, b->memory, NULL); /* also unmaps */
    memset(b, 0, sizeof(*b));
}

int gpu_buffer_view(GpuContext *g, GpuBuffer *b, VkBufferView *out)
{
    if (!b->view) {
        /* the view covers the whole padded buffer (its size is what keeps lavapipe at one
         * shader variant), 4 elements a texel */
        VkDeviceSize range = tensor_buffer_size(b->size), texel_size = b->half ? 8 : 16;
        VkDeviceSize texels = range / texel_size;
        if (texels > g->props.limits.maxTexelBufferElements) {
            log_error(g->log,
                      "vulkan: a tensor of %llu bytes exceeds this device's largest texel "
                      "buffer (%u texels of %u bytes)",
                      (unsigned long long)b->size, g->props.limits.maxTexelBufferElements,
                      (unsigned)texel_size);
            return -E2BIG;
        }
        VkBufferViewCreateInfo info = {
            .sType = VK_STRUCTURE_TYPE_BUFFER_VIEW_CREATE_INFO,
            .buffer = b->buffer,
            .format = b->half ? VK_FORMAT_R16G16B16A16_SFLOAT : VK_FORMAT_R32G32B32A32_SFLOAT,
            .offset = 0,
            .range = range,
        };
        int err = gpu_check(g, vkCreateBufferView(g->device, &info, NULL, &b->view),
                            "vkCreateBufferView");
        if (err < 0)
            return err;
    }
    *out = b->view;
    return 0;
}

int gpu_staging_reserve(GpuContext *g, VkDeviceSize size, VkDeviceSize *offset)
{
    /* Regions stay 16-byte aligned (optimal copy offset alignment is at most that). */
    size = (size + 15) & ~(VkDeviceSize)15;
    if (g->staging.buffer && g->staging_used + size <= g->staging.size) {
        *offset = g->staging_used;
        g->staging_used += size;
        return 0;
    }
    /* Full: the batch that reads or writes the earlier regions must finish first. */
    int err = gpu_cmd_flush(g);
    if (err < 0)
        return err;
    if (!g->staging.buffer || size > g->staging.size) {
        VkDeviceSize capacity = g->staging.size ? g->staging.size : STAGING_MIN_SIZE;
        while (capacity < size)
            capacity *= 2;
        gpu_buffer_destroy(g, &g->staging);
        if ((err = gpu_buffer_create(g, &g->staging, capacity, 1)) < 0)
            return err;
    }
    *offset = 0;
    g->staging_used = size;
    return 0;
}

void gpu_memory_uninit(GpuContext *g)
{
    gpu_buffer_destroy(g, &g->staging);
    g->staging_used = 0;
}
