/* Vulkan device extras beyond DeviceImpl (gpu_device_create is declared in core/device.h).
 *
 * Environment variables the Vulkan device reads (all optional):
 *   WEFT_VALIDATION=1           enable VK_LAYER_KHRONOS_validation with synchronization
 *                               validation; its errors are logged at error level and counted
 *   WEFT_GPU_PROFILE=1          time every dispatch (timestamp queries); per-op milliseconds
 *                               at verbose level per batch, totals when the device closes
 *   WEFT_GPU_CACHE=0            do not persist the pipeline cache (default: under
 *                               $XDG_CACHE_HOME/weft, else ~/.cache/weft)
 *   WEFT_GPU_STAGING=1          transfers through the staging buffer even where device
 *                               memory could be mapped (tests the discrete-GPU path)
 *   WEFT_GPU_DESCRIPTOR_POOL=1  descriptor sets from a pool even where push descriptors
 *                               exist (tests the path of drivers without them) */
#ifndef WEFT_GPU_GPU_DEVICE_H
#define WEFT_GPU_GPU_DEVICE_H

#include "core/device.h"

/* Errors the validation layer reported on this device so far (WEFT_VALIDATION=1), or -1
 * when d is not a Vulkan device or the layer is not enabled. */
int gpu_device_validation_errors(const Device *d);

/* A Vulkan device over the caller's VkDevice (weft_open_vulkan; requirements and errors in
 * include/weft/weft_vulkan.h). The caller's instance and device are never destroyed. */
struct WeftVulkanDevice;
int gpu_device_create_external(Device **out, Log *log, const struct WeftVulkanDevice *vk);

/* 1 when d is a Vulkan device that runs on the CPU (VK_PHYSICAL_DEVICE_TYPE_CPU, such as
 * Mesa's lavapipe), 0 for other Vulkan devices, -1 when d is not a Vulkan device. Such a
 * device computes correctly but is several times slower than the C path (measured with
 * lavapipe in Mesa 22.3: tests/ops op_test bench), so an automatic device choice should
 * prefer the C path over it. */
int gpu_device_is_software(const Device *d);

#endif
