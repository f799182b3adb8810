/* The RIFE v4.x front end: frames in, the in-between at t out, through a .weft model whose
 * metadata says architecture "rife-v4" (inputs in0, in1: RGB / 255 zero-padded to the
 * padding multiple, in2: a plane of t; output out0: RGB).
 *
 * Frames are tensors in the picture's own components (R,G,B[,A], Y,U,V[,A] or Y, each
 * scaled to [0, 1]); the colour transform to RGB and back, the padding and the cropping
 * are done by the nn_pad op, so every width and height works (the padded columns never
 * leak into the picture). Channels past the third (alpha) are taken from the nearer frame. */
#ifndef WEFT_NN_NN_RIFE_H
#define WEFT_NN_NN_RIFE_H

#include "core/device.h"
#include "core/log.h"
#include "weft/weft.h"

typedef struct NnRife NnRife;

/* Loads and checks the model; errors are logged with the file name. */
int nn_rife_create(NnRife **out, Device *d, Log *log, const char *model_path);
void nn_rife_destroy(NnRife **r);

/* Smallest frame the front end accepts (either side). */
#define NN_RIFE_MIN_SIZE 8

/* a, b, out: C x H x W with the same C (1, 3 or 4), H, W; format and colour describe the
 * components (for the YUV <-> RGB matrices). 0 < t < 1. */
int nn_rife_frame(NnRife *r, WeftTensor *a, WeftTensor *b, float t, WeftPixelFormat format,
                  const WeftColor *color, WeftTensor *out);

/* Planned storage (bytes) and multiply-accumulates per in-between at the last size. */
void nn_rife_stats(const NnRife *r, size_t *bytes, double *macs);

#endif
