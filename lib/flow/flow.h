/* Classical dense optical flow, both directions, on any device (all per-pixel work is ops).
 * A FlowEstimator holds the pyramids and scratch tensors for one frame size. */
#ifndef WEFT_FLOW_FLOW_H
#define WEFT_FLOW_FLOW_H

#include "core/device.h"

typedef struct FlowEstimator FlowEstimator;

/* quality: WeftFlowQuality. width/height: the frames' size. */
int flow_create(FlowEstimator **out, Device *d, int quality, int width, int height);
void flow_destroy(FlowEstimator **fe);

/* a, b: 1 x H x W luma in [0, 1] on the estimator's device.
 * fwd: 2 x H x W flow from a to b (u then v, pixels); bwd: from b to a, or NULL. */
int flow_compute(FlowEstimator *fe, WeftTensor *a, WeftTensor *b, WeftTensor *fwd, WeftTensor *bwd);

#endif
