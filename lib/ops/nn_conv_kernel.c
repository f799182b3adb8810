#include <string.h>

#include "ops/nn_conv_kernel.h"

/* GCC/clang vector extensions: portable C that becomes AVX-512, AVX2 or SSE code. */
typedef float v16 __attribute__((vector_size(64)));

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
/* One clone per ISA, chosen at load time (ifunc): AVX-512 machines get 16-wide FMAs. */
#define KERNEL_ATTR                                                                                \
    __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"),                   \
                   optimize("fp-contract=fast")))
#elif defined(__GNUC__) && !defined(__clang__)
#define KERNEL_ATTR __attribute__((optimize("fp-contract=fast")))
#else
#define KERNEL_ATTR
#endif

KERNEL_ATTR
void nn_conv_tile(const float *src, const int *tap_off, int ntaps, size_t ic_stride, int cin,
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
