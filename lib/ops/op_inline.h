/* Small inline helpers for the C implementations of ops. clampf() compiles to minss/maxss:
 * fminf/fmaxf are library calls unless NaN handling is relaxed, and they dominated the
 * profile of the sampling loops. */
#ifndef WEFT_OPS_OP_INLINE_H
#define WEFT_OPS_OP_INLINE_H

/* NaN maps to lo, as fminf(fmaxf(v, lo), hi) does. */
static inline float clampf(float v, float lo, float hi)
{
    v = v > lo ? v : lo;
    return v < hi ? v : hi;
}

static inline int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* OP_MULTIVERSION before a C implementation's row function compiles it twice, for the
 * baseline ISA and for AVX2 (8-wide vectors and gathers), and picks one at load time by
 * the CPU (GCC/Clang target_clones, ifunc on glibc). Same arithmetic either way: the project
 * builds in ISO C mode, where floating-point contraction into FMA is off, so both copies
 * round alike. Elsewhere it is empty. */
#if defined(__x86_64__) && defined(__linux__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define OP_MULTIVERSION __attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef OP_MULTIVERSION
#define OP_MULTIVERSION
#endif
/* Helpers of a multiversioned function must be inlined into each copy to be compiled for it. */
#if defined(__GNUC__)
#define OP_INLINE static inline __attribute__((always_inline))
#else
#define OP_INLINE static inline
#endif

#include <stddef.h>

/* Bilinear sample of a w x h plane at (x, y), coordinates clamped to the picture. */
static inline float bilinear_clamped(const float *plane, float x, float y, int w, int h)
{
    x = clampf(x, 0.0f, (float)(w - 1));
    y = clampf(y, 0.0f, (float)(h - 1));
    int x0 = (int)x, y0 = (int)y;
    int x1 = x0 + 1 < w ? x0 + 1 : w - 1, y1 = y0 + 1 < h ? y0 + 1 : h - 1;
    float fx = x - x0, fy = y - y0;
    const float *r0 = plane + (size_t)y0 * w, *r1 = plane + (size_t)y1 * w;
    float top = r0[x0] + fx * (r0[x1] - r0[x0]);
    float bot = r1[x0] + fx * (r1[x1] - r1[x0]);
    return top + fy * (bot - top);
}

#endif
