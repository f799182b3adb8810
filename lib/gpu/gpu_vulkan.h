/* The Vulkan objects behind a weft Vulkan device and its tensors, for code that records its
 * own work on the same device (lib/placebo: libplacebo imports the device). Users must not
 * destroy them, and must finish their own work before the device is destroyed. */
#ifndef WEFT_GPU_GPU_VULKAN_H
#define WEFT_GPU_GPU_VULKAN_H

#include <vulkan/vulkan.h>

#include "core/device.h"

typedef struct GpuVulkanHandles {
    VkInstance instance;
    uint32_t api_version; /* the instance's apiVersion */
    VkPhysicalDevice physical;
    VkDevice device;
    VkQueue queue; /* the queue weft submits to; single-threaded use only */
    uint32_t queue_family;
    int has_graphics_queue; /* a queue of graphics_family exists (queue_family or another) */
    uint32_t graphics_family;
    const char *const *extensions; /* the device extensions enabled */
    int num_extensions;
    int timeline_semaphores; /* the timelineSemaphore feature is enabled */
    int external; /* the caller's device (weft_open_vulkan): its enabled features are not
                     known, and extensions/graphics queue are not filled in */
} GpuVulkanHandles;

/* -EINVAL when d is not a Vulkan device. */
int gpu_device_vulkan(const Device *d, GpuVulkanHandles *out);

/* The VkBuffer that holds tensor t (c*h*w floats from offset 0), or VK_NULL_HANDLE when t is
 * not on a Vulkan device. Call device_finish() first when the device's batch may use it. */
VkBuffer gpu_tensor_buffer(const WeftTensor *t);

#endif
