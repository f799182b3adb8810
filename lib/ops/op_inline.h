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

#endif
