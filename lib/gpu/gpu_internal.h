/*
 * The Vulkan device's shared state, split by concept over
 *   gpu_instance.c  instance, validation messenger, device choice, logical device, queue
 *   gpu_memory.c    buffers (tensors, staging) and memory type choice
 *   gpu_pipeline.c  one compute pipeline per op from the embedded SPIR-V, pipeline cache
 *   gpu_commands.c  the batch command buffer: barriers, dispatches, copies, submission,
 *                   timestamps
 *   gpu_device.c    the DeviceImpl that the rest of weft sees
 */
#ifndef WEFT_GPU_GPU_INTERNAL_H
#define WEFT_GPU_GPU_INTERNAL_H

#include <stdint.h>
#include <vulkan/vulkan.h>

#include "core/device.h"

typedef struct GpuBuffer {
    VkBuffer buffer;
    VkDeviceMemory memory;
    VkDeviceSize size; /* what the tensor holds; the buffer is padded to a whole vec4 */
    VkBufferView view; /* vec4 texel view, made on first use by an op's texel_tensors */
    int half;          /* fp16 elements (a TENSOR_F16 tensor): the view's texels are 4 halves */
    void *mapped;      /* set when the host may read and write it directly (UMA devices) */
    uint64_t batch_id; /* the last batch that recorded a command using it */
} GpuBuffer;

typedef struct GpuPipeline {
    const OpInfo *op;
    int error; /* < 0: creation failed (logged once), returned on every use */
    VkDescriptorSetLayout set_layout;
    VkPipelineLayout layout;
    VkPipeline pipeline;
} GpuPipeline;

typedef struct GpuOpTime {
    const OpInfo *op;
    double total_ms;
    uint64_t count;
} GpuOpTime;

/* Profiling: two timestamps per dispatch, up to this many dispatches per batch. */
#define GPU_MAX_TIMED_DISPATCHES 256
/* Descriptor sets per batch when the driver lacks VK_KHR_push_descriptor. */
#define GPU_MAX_POOL_SETS 256

typedef struct GpuContext {
    Log *log;
    int lost; /* a Vulkan call failed in a way that leaves the device unusable */

    /* gpu_instance.c */
    int external; /* instance and device are the caller's (weft_open_vulkan): never
                     destroyed, waited idle or given layers by us */
    void (*lock_queue)(void *opaque, uint32_t family, uint32_t index);
    void (*unlock_queue)(void *opaque, uint32_t family, uint32_t index);
    void *lock_opaque;
    uint32_t queue_index;
    VkInstance instance;
    VkDebugUtilsMessengerEXT messenger;
    int validation;        /* the validation layer is enabled */
    int validation_errors; /* error messages it reported */
    VkPhysicalDevice physical;
    VkPhysicalDeviceProperties props;
    VkPhysicalDeviceMemoryProperties memory_props;
    uint32_t queue_family;
    uint32_t timestamp_bits;
    VkDevice device;
    VkQueue queue;
    PFN_vkCmdPushDescriptorSetKHR push_descriptor_set; /* NULL: descriptor pool fallback */

    /* gpu_memory.c */
    int direct_host_access; /* map device-local buffers instead of staging (UMA) */
    GpuBuffer staging;
    VkDeviceSize staging_used;

    /* gpu_pipeline.c */
    VkPipelineCache cache;
    char *cache_path; /* where the cache is persisted; NULL: not persisted */
    int cache_dirty;
    GpuPipeline *pipelines;
    int num_pipelines, max_pipelines;

    /* gpu_commands.c */
    VkCommandPool command_pool;
    VkCommandBuffer cmd;
    VkFence fence;
    int recording;
    int batch_commands; /* commands recorded in the open batch */
    uint64_t batch_id;
    VkDescriptorPool descriptor_pool;
    int descriptor_sets_used;
    int profile;
    VkQueryPool queries;
    const OpInfo *timed_ops[GPU_MAX_TIMED_DISPATCHES];
    int timed_dispatches;
    GpuOpTime *op_times;
    int num_op_times, max_op_times;

    /* gpu_instance.c: what other users of this device (libplacebo) must be told about it */
    uint32_t api_version;      /* the instance's */
    const char *device_exts[4]; /* the device extensions enabled */
    uint32_t num_device_exts;
    int timeline_semaphores;   /* the timelineSemaphore feature is enabled */
    int storage16;             /* the storageBuffer16BitAccess feature is enabled */
    int has_graphics_queue;    /* a graphics-capable queue was created (ours or an extra one) */
    uint32_t graphics_family;
} GpuContext;

/* gpu_instance.c */
int gpu_instance_create(GpuContext *g, int index, const char *name_filter);
/* Takes the caller's device (weft_open_vulkan) after checking it meets our requirements:
 * -EINVAL for arguments that cannot be right, -ENOTSUP for a device we cannot run on. */
struct WeftVulkanDevice;
int gpu_instance_adopt(GpuContext *g, const struct WeftVulkanDevice *vk);
void gpu_instance_destroy(GpuContext *g);
const char *gpu_result_string(VkResult r);
/* Logs a failed Vulkan call, marks the device lost when the result says so, and returns the
 * matching negative errno. */
int gpu_check(GpuContext *g, VkResult r, const char *what);

/* gpu_memory.c */
void gpu_memory_init(GpuContext *g);
/* A buffer of `size` bytes; `staging` asks for host-visible memory for transfers, else a
 * storage buffer in device-local memory (mapped when direct_host_access). */
int gpu_buffer_create(GpuContext *g, GpuBuffer *b, VkDeviceSize size, int staging);
void gpu_buffer_destroy(GpuContext *g, GpuBuffer *b);
/* The buffer's vec4 texel view (R32G32B32A32_SFLOAT, or R16G16B16A16_SFLOAT for a `half`
 * buffer), created on first call. */
int gpu_buffer_view(GpuContext *g, GpuBuffer *b, VkBufferView *out);
/* Room for `size` bytes in the staging buffer for the open batch; may flush the batch. */
int gpu_staging_reserve(GpuContext *g, VkDeviceSize size, VkDeviceSize *offset);
void gpu_memory_uninit(GpuContext *g);

/* gpu_pipeline.c */
int gpu_pipelines_init(GpuContext *g);
/* The pipeline of `op`, created on first use; -ENOSYS when the build has no shader for it. */
int gpu_pipeline_get(GpuContext *g, const OpInfo *op, GpuPipeline **out);
void gpu_pipelines_uninit(GpuContext *g);

/* gpu_commands.c */
int gpu_commands_init(GpuContext *g);
int gpu_cmd_dispatch(GpuContext *g, GpuPipeline *p, const void *params, GpuBuffer *const *buffers,
                     const uint32_t grid[3]);
int gpu_cmd_copy(GpuContext *g, GpuBuffer *src, VkDeviceSize src_offset, GpuBuffer *dst,
                 VkDeviceSize dst_offset, VkDeviceSize size);
/* Submits the open batch (if any) and waits for it. */
int gpu_cmd_flush(GpuContext *g);
/* True when the open batch has recorded a command that uses b. */
int gpu_cmd_uses(const GpuContext *g, const GpuBuffer *b);
void gpu_commands_uninit(GpuContext *g);

#endif
