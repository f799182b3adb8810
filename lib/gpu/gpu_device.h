/* Vulkan device extras beyond DeviceImpl (gpu_device_create is declared in core/device.h). */
#ifndef WEFT_GPU_GPU_DEVICE_H
#define WEFT_GPU_GPU_DEVICE_H

#include "core/device.h"

/* Errors the validation layer reported on this device so far (WEFT_VALIDATION=1), or -1
 * when d is not a Vulkan device or the layer is not enabled. */
int gpu_device_validation_errors(const Device *d);

#endif
