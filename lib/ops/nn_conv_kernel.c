#include <string.h>

#include "ops/nn_conv_kernel.h"

/* GCC/clang vector extensions: portable C that becomes AVX-512, AVX2, SSE or NEON code. */
typedef float v16 __attribute__((vector_size(64)));
typedef float v8 __attribute__((vector_size(32)));
typedef float v4 __attribute__((vector_size(16)));

#if defined(__GNUC__) && !defined(__clang__)
#define CONTRACT_ATTR __attribute__((optimize("fp-contract=fast")))
#else
#define CONTRACT_ATTR
#endif

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
/* AVX-512 and AVX2 variants built beside the baseline one, chosen at run time. */
#define NN_X86_VARIANTS 1
#endif

/* 4 output channels x 3 vectors of pixels per pass, two passes for the 8 channels of a packed
 * block: 12 accumulators + 3 input vectors + 1 broadcast weight = 16 registers, the whole
 * file of SSE/AVX2, so nothing spills to the stack (an 8 x 32 tile needs 32 ymm registers
 * for its accumulators alone). */
#define DEFINE_TILE_4X3(NAME, V, ATTR)                                                             \
    ATTR static void NAME(const float *src, const int *tap_off, int ntaps, size_t ic_stride,       \
                          int cin, const float *w, float *out)                                     \
    {                                                                                              \
        enum { L = sizeof(V) / sizeof(float), PX = 3 * L };                                        \
        for (int half = 0; half < 2; half++) {                                                     \
            V a0 = {0}, a1 = {0}, a2 = {0}, b0 = {0}, b1 = {0}, b2 = {0};                          \
            V c0 = {0}, c1 = {0}, c2 = {0}, d0 = {0}, d1 = {0}, d2 = {0};                          \
            const float *wk = w + 4 * half;                                                        \
            for (int ic = 0; ic < cin; ic++) {                                                     \
                const float *s = src + (size_t)ic * ic_stride;                                     \
                for (int t = 0; t < ntaps; t++, wk += NN_CONV_OB) {                                \
                    V x0, x1, x2;                                                                  \
                    memcpy(&x0, s + tap_off[t], sizeof(V));                                        \
                    memcpy(&x1, s + tap_off[t] + L, sizeof(V));                                    \
                    memcpy(&x2, s + tap_off[t] + 2 * L, sizeof(V));                                \
                    a0 += x0 * wk[0];                                                              \
                    a1 += x1 * wk[0];                                                              \
                    a2 += x2 * wk[0];                                                              \
                    b0 += x0 * wk[1];                                                              \
                    b1 += x1 * wk[1];                                                              \
                    b2 += x2 * wk[1];                                                              \
                    c0 += x0 * wk[2];                                                              \
                    c1 += x1 * wk[2];                                                              \
                    c2 += x2 * wk[2];                                                              \
                    d0 += x0 * wk[3];                                                              \
                    d1 += x1 * wk[3];                                                              \
                    d2 += x2 * wk[3];                                                              \
                }                                                                                  \
            }                                                                                      \
            float *o = out + (size_t)4 * half * PX; /* rows of PX floats, one per channel */       \
            memcpy(o, &a0, sizeof(V));                                                             \
            memcpy(o + L, &a1, sizeof(V));                                                         \
            memcpy(o + 2 * L, &a2, sizeof(V));                                                     \
            memcpy(o + PX, &b0, sizeof(V));                                                        \
            memcpy(o + PX + L, &b1, sizeof(V));                                                    \
            memcpy(o + PX + 2 * L, &b2, sizeof(V));                                                \
            memcpy(o + 2 * PX, &c0, sizeof(V));                                                    \
            memcpy(o + 2 * PX + L, &c1, sizeof(V));                                                \
            memcpy(o + 2 * PX + 2 * L, &c2, sizeof(V));                                            \
            memcpy(o + 3 * PX, &d0, sizeof(V));                                                    \
            memcpy(o + 3 * PX + L, &d1, sizeof(V));                                                \
            memcpy(o + 3 * PX + 2 * L, &d2, sizeof(V));                                            \
        }                                                                                          \
    }

DEFINE_TILE_4X3(tile_4x12, v4, CONTRACT_ATTR)

#ifdef NN_X86_VARIANTS
DEFINE_TILE_4X3(tile_4x24_avx2, v8,
                __attribute__((target("arch=x86-64-v3"), optimize("fp-contract=fast"))))

/* AVX-512 has 32 registers: the whole 8 x 32 block in 16 zmm accumulators, one pass. */
__attribute__((target("arch=x86-64-v4"), optimize("fp-contract=fast"))) static void
tile_8x32_avx512(const float *src, const int *tap_off, int ntaps, size_t ic_stride, int cin,
                 const float *w, float *out)
{
    v16 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0}, a4 = {0}, a5 = {0}, a6 = {0}, a7 = {0};
    v16 b0 = {0}, b1 = {0}, b2 = {0}, b3 = {0}, b4 = {0}, b5 = {0}, b6 = {0}, b7 = {0};
    for (int ic = 0; ic < cin; ic++) {
        const float *s = src + (size_t)ic * ic_stride;
        for (int t = 0; t < ntaps; t++, w += NN_CONV_OB) {
            v16 x0, x1;
            memcpy(&x0, s + tap_off[t], sizeof(x0));
            memcpy(&x1, s + tap_off[t] + 16, sizeof(x1));
            a0 += x0 * w[0];
            b0 += x1 * w[0];
            a1 += x0 * w[1];
            b1 += x1 * w[1];
            a2 += x0 * w[2];
            b2 += x1 * w[2];
            a3 += x0 * w[3];
            b3 += x1 * w[3];
            a4 += x0 * w[4];
            b4 += x1 * w[4];
            a5 += x0 * w[5];
            b5 += x1 * w[5];
            a6 += x0 * w[6];
            b6 += x1 * w[6];
            a7 += x0 * w[7];
            b7 += x1 * w[7];
        }
    }
    const v16 *acc[16] = {&a0, &b0, &a1, &b1, &a2, &b2, &a3, &b3,
                          &a4, &b4, &a5, &b5, &a6, &b6, &a7, &b7};
    for (int i = 0; i < 16; i++)
        memcpy(out + i * 16, acc[i], sizeof(v16));
}
#endif

int nn_conv_kernels(NnConvKernel *out, int max)
{
    int n = 0;
#ifdef NN_X86_VARIANTS
    if (n < max && __builtin_cpu_supports("x86-64-v4"))
        out[n++] = (NnConvKernel){tile_8x32_avx512, 32};
    if (n < max && __builtin_cpu_supports("x86-64-v3"))
        out[n++] = (NnConvKernel){tile_4x24_avx2, 24};
#endif
    if (n < max)
        out[n++] = (NnConvKernel){tile_4x12, 12};
    return n;
}

NnConvKernel nn_conv_kernel(void)
{
    NnConvKernel k;
    nn_conv_kernels(&k, 1);
    return k;
}
