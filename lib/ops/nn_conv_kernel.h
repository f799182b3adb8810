/* The inner kernel shared by nn_conv and nn_deconv on the C path: an 8 output channels x
 * 32 pixels tile of a direct convolution, accumulated over input channels and taps.
 *
 *   out[o][x] = sum_ic sum_t src[ic * ic_stride + tap_off[t] + x] * w[(ic * ntaps + t) * 8 + o]
 *
 * src rows are prepared by the caller (zero padding, stride-2 columns de-interleaved), so
 * every tap reads 32 consecutive floats: two vector loads feed 16 multiply-adds. Built
 * for several x86 ISAs with runtime selection where the compiler supports it. */
#ifndef WEFT_OPS_NN_CONV_KERNEL_H
#define WEFT_OPS_NN_CONV_KERNEL_H

#include <stddef.h>

#define NN_CONV_OB 8    /* output channels per packed block */
#define NN_CONV_TILE 32 /* pixels per tile */

void nn_conv_tile(const float *src, const int *tap_off, int ntaps, size_t ic_stride, int cin,
                  const float *w, float *out /* [8][32] */);

/* For the C loops around the kernel: without trapping-math semantics GCC turns
 * `v < 0 ? v * slope : v` into a select and vectorises the loop (the flags change no
 * result: weft never inspects floating-point exception flags). */
#if defined(__GNUC__) && !defined(__clang__)
#define NN_LOOPS_ATTR __attribute__((optimize("no-trapping-math")))
#else
#define NN_LOOPS_ATTR
#endif

static inline int nn_round_up(int v, int m)
{
    return (v + m - 1) / m * m;
}

#endif
