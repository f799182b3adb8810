/*
 * weft on a caller's Vulkan device (optional part of the API; weft.h stays free of Vulkan
 * types). For applications that already hold a VkDevice, such as FFmpeg with Vulkan frames:
 * the library then creates no VkInstance or VkDevice of its own, only its buffers,
 * pipelines, a command pool and a fence on the caller's device.
 *
 * Requirements on the device (checked by weft_open_vulkan(), -ENOTSUP when not met, with
 * the reason logged):
 * - made through the system Vulkan loader that libweft links (libvulkan.so.1 / vulkan-1.dll):
 *   the library calls the loader's entry points with the caller's handles, so a
 *   get_instance_proc_addr other than that loader's is refused;
 * - the physical device reports Vulkan 1.1 or later (the shaders are SPIR-V 1.3);
 * - queue_family supports compute (VK_QUEUE_COMPUTE_BIT); no device feature is needed.
 *   VK_KHR_push_descriptor is used when it is among enabled_extensions, else descriptor
 *   sets come from a pool of the library's own.
 *
 * Ownership and lifetime: the caller keeps owning the instance, the physical device and the
 * device. weft_close() waits for the library's own submissions (its fence) and destroys only
 * the objects it created; it never calls vkDeviceWaitIdle or vkDestroyDevice on a device it
 * did not create. The device must stay valid until weft_close() returns.
 *
 * Thread safety: as for weft_open(), one context is used by one thread at a time. The
 * library submits to the one queue (queue_family, queue_index) and never touches the
 * caller's other queues. Vulkan requires the submitting thread to be the only one using a
 * queue: give lock_queue/unlock_queue when other threads may submit to the same queue (the
 * library calls them around each vkQueueSubmit, never nested, never while holding its own
 * locks); without them the caller guarantees that no other thread uses that queue during a
 * call into this context. The library never waits on the queue (vkQueueWaitIdle); it waits
 * on its own fence, outside the lock.
 *
 * Environment variables of the Vulkan path (lib/gpu/gpu_device.h) apply, except
 * WEFT_VALIDATION: layers are the caller's to enable on its instance.
 */
#ifndef WEFT_WEFT_VULKAN_H
#define WEFT_WEFT_VULKAN_H

#include <stdint.h>
#include <vulkan/vulkan.h>

#include "weft/weft.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A Vulkan device made by the caller. The library copies what it needs at open time; the
 *  struct and the extension strings may be freed once weft_open_vulkan() returns. */
typedef struct WeftVulkanDevice {
    VkInstance instance;
    VkPhysicalDevice physical_device; /* one of instance's physical devices */
    VkDevice device;                  /* created from physical_device */
    /* The loader's vkGetInstanceProcAddr the device was made with; NULL = the system
     * loader's (the only one accepted). */
    PFN_vkGetInstanceProcAddr get_instance_proc_addr;
    uint32_t queue_family; /* a compute-capable family the device was created with */
    uint32_t queue_index;  /* a queue of that family the device was created with */
    /* The device extensions the device was created with (NULL with 0: none). */
    const char *const *enabled_extensions;
    int num_enabled_extensions;
    /* Optional, both or neither: exclusive access to the queue around each submission. */
    void (*lock_queue)(void *opaque, uint32_t queue_family, uint32_t queue_index);
    void (*unlock_queue)(void *opaque, uint32_t queue_family, uint32_t queue_index);
    void *lock_opaque;
} WeftVulkanDevice;

/** Opens a context as weft_open() does, running on the caller's Vulkan device `vk`
 *  instead of a device of the library's choice (settings.device and settings.device_name
 *  are not used). weft_device_name() then names the device; the verbose log says the
 *  caller's device is shared.
 *  Errors: -EINVAL (NULL out, settings or vk; a NULL handle; a queue family or index the
 *  physical device does not have; a physical device not of the instance; a negative
 *  extension count or a NULL extension name; only one of lock_queue/unlock_queue; bad
 *  settings), -ENOTSUP (the device does not meet the requirements above), -ENOMEM, -EIO.
 *  On error *out is NULL and nothing was done to the caller's device. */
int weft_open_vulkan(WeftContext **out, const WeftSettings *s, const WeftVulkanDevice *vk);

#ifdef __cplusplus
}
#endif
#endif /* WEFT_WEFT_VULKAN_H */
