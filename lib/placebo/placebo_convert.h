/* Picture conversions of the Vulkan path, run by libplacebo on weft's own Vulkan device
 * (imported with pl_vulkan_import, once per context). The planes are uploaded as pl_tex,
 * a libplacebo compute shader turns them into weft's working representation (the one
 * lib/core/convert.h defines for the C path: planar float in [0,1], chroma replicated,
 * alpha a component of its own, plus the luma the flow reads), and a copy on weft's queue
 * puts that into the tensors; outputs go the reverse way, down to the format's planes read
 * back to the host. The arithmetic is that of lib/core/convert.c, operation for operation
 * (integer textures, no fused multiply-add), so both paths give the same numbers. */
#ifndef WEFT_PLACEBO_PLACEBO_CONVERT_H
#define WEFT_PLACEBO_PLACEBO_CONVERT_H

#include "core/device.h"
#include "core/log.h"
#include "weft/weft.h"

typedef struct PlaceboConvert PlaceboConvert;

/* Imports dev into libplacebo. -ENOSYS: built without libplacebo; -ENODEV: dev is not a
 * Vulkan device or libplacebo refused it (the reason is logged at verbose level). */
int placebo_convert_create(PlaceboConvert **out, Device *dev, Log *log);
/* NULL-safe; waits for its work. Must come before the device is destroyed. */
void placebo_convert_destroy(PlaceboConvert **pc);

/* pic -> planes (components x h x w) and luma (1 x h x w), tensors on the device.
 * -ENOTSUP: this picture cannot take this path (a stride that is not a whole number of
 * samples, a size beyond the device's textures); the caller converts it on the host. */
int placebo_convert_load(PlaceboConvert *pc, const WeftPicture *pic, WeftTensor *planes,
                         WeftTensor *luma);
/* planes -> out, which the caller allocated (format, size) with weft_picture_alloc.
 * -ENOTSUP as above. */
int placebo_convert_store(PlaceboConvert *pc, const WeftTensor *planes, WeftPicture *out);

#endif
