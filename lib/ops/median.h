/* median: per-channel median over a (2 radius + 1)^2 window; applied to the flow between
 * warps it removes outliers and is the main ingredient of "Classic" flow (Sun, Roth &
 * Black, "Secrets of optical flow estimation", CVPR 2010, sec. 4).
 * tensors: 0 src (C x H x W), 1 dst (C x H x W).
 * Window positions outside the image clamp to the nearest edge pixel (border pixels are
 * counted more than once). For an even count there is none: the count is odd.
 * params: c, h, w, radius (1 or 2). Rows: one per row of each channel. */
#ifndef WEFT_OPS_MEDIAN_H
#define WEFT_OPS_MEDIAN_H

#include "core/device.h"

typedef struct OpMedianParams {
    int32_t c, h, w, radius;
} OpMedianParams;

extern const OpInfo op_info_median;
int op_median(Device *d, WeftTensor *src, int radius, WeftTensor *dst);

#endif
