/* Vulkan device extras beyond DeviceImpl (gpu_device_create is declared in core/device.h). */
#ifndef WEFT_GPU_GPU_DEVICE_H
#define WEFT_GPU_GPU_DEVICE_H

#include "core/device.h"

/* Errors the validation layer reported on this device so far (WEFT_VALIDATION=1), or -1
 * when d is not a Vulkan device or the layer is not enabled. */
int gpu_device_validation_errors(const Device *d);

/* 1 when d is a Vulkan device that runs on the CPU (VK_PHYSICAL_DEVICE_TYPE_CPU, such as
 * Mesa's lavapipe), 0 for other Vulkan devices, -1 when d is not a Vulkan device. Such a
 * device computes correctly but is several times slower than the C path (measured with
 * lavapipe in Mesa 22.3: tests/ops op_test bench), so an automatic device choice should
 * prefer the C path over it. */
int gpu_device_is_software(const Device *d);

#endif
