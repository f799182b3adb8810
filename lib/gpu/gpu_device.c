/* Placeholder until the Vulkan device lands: no device. */
#include "core/device.h"

int gpu_device_create(Device **out, Log *log, int index, const char *name_filter)
{
    (void)out; (void)log; (void)index; (void)name_filter;
    return -ENODEV;
}
