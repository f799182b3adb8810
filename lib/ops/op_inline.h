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

#endif

