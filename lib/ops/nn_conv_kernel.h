/* The inner kernel shared by nn_conv, nn_conv_wino and nn_deconv on the C path: an 8 output
 * channels x `px` pixels tile of a direct convolution, accumulated over input channels and
 * taps.
 *
 *   out[o][x] = sum_ic sum_t src[ic * ic_stride + tap_off[t] + x] * w[(ic * ntaps + t) * 8 + o]
 *
 * src rows are prepared by the caller (zero padding, stride-2 columns de-interleaved), so
 * every tap reads `px` consecutive floats. The tile width depends on the machine: the
 * accumulators of a tile must stay in vector registers (AVX-512: 8 x 32 in 16 of its 32 zmm;
 * AVX2 and SSE have 16 registers, so they run 4 channels x 3 vectors at a time: 24 or 12
 * pixels), so callers ask nn_conv_kernel() for both the function and its width and lay out
 * their rows and tiles by that width. Every output sums its terms in the same order whatever
 * the tile, so the result does not depend on the kernel chosen (only on FMA contraction). */
#ifndef WEFT_OPS_NN_CONV_KERNEL_H
#define WEFT_OPS_NN_CONV_KERNEL_H

#include <stddef.h>

#define NN_CONV_OB 8        /* output channels per packed block */
#define NN_CONV_TILE_MAX 32 /* the widest tile of any kernel, in pixels */

typedef void NnConvTileFn(const float *src, const int *tap_off, int ntaps, size_t ic_stride,
                          int cin, const float *w, float *out /* [8][px] */);

typedef struct NnConvKernel {
    NnConvTileFn *tile;
    int px; /* pixels per tile */
} NnConvKernel;

/* The fastest kernel this machine runs (chosen once per call from the CPU's features). */
NnConvKernel nn_conv_kernel(void);
/* Every kernel this machine can run, fastest first (for tests): how many were stored. */
int nn_conv_kernels(NnConvKernel *out, int max);

/* For the C loops around the kernel: without trapping-math semantics GCC turns
 * `v < 0 ? v * slope : v` into a select and vectorises the loop (the flags change no
 * result: weft never inspects floating-point exception flags). */
#if defined(__GNUC__) && !defined(__clang__)
#define NN_LOOPS_ATTR __attribute__((optimize("no-trapping-math")))
#else
#define NN_LOOPS_ATTR
#endif

/* The loops around the kernel (transforms) built for AVX2 too, chosen at load time: the
 * baseline build has 4-wide vectors only. C11 mode contracts no multiply-add, so both
 * builds compute the same bits. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
#define NN_SIMD_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define NN_SIMD_CLONES
#endif

static inline int nn_round_up(int v, int m)
{
    return (v + m - 1) / m * m;
}

#endif
