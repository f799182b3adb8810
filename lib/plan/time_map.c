#include <errno.h>
#include <math.h>

#include "plan/time_map.h"

/* 128-bit intermediates: products of two 32-bit-range rationals and a 64-bit frame index
 * stay exact. */
typedef __int128 wide;

static wide gcd_wide(wide a, wide b)
{
    if (a < 0)
        a = -a;
    if (b < 0)
        b = -b;
    while (b) {
        wide r = a % b;
        a = b;
        b = r;
    }
    return a;
}

void plan_reduce(int64_t *num, int64_t *den)
{
    int64_t g = (int64_t)gcd_wide(*num, *den);
    if (g > 1) {
        *num /= g;
        *den /= g;
    }
}

static int fits64(wide v)
{
    return v <= (wide)INT64_MAX && v >= -(wide)INT64_MAX;
}

static int valid_rational(WeftRational r)
{
    return r.num > 0 && r.den > 0 && r.num <= INT32_MAX && r.den <= INT32_MAX;
}

int plan_time_map_init(TimeMap *m, PlanMode mode, WeftRational fps, int factor,
                       WeftRational in_tb, int64_t first_pts)
{
    if (!m || !valid_rational(in_tb))
        return -EINVAL;
    *m = (TimeMap){ .mode = mode, .fps = fps, .factor = factor, .in_tb = in_tb,
                    .first_pts = first_pts };
    if (mode == PLAN_FPS) {
        if (!valid_rational(fps))
            return -EINVAL;
        m->out_tb = (WeftRational){ fps.den, fps.num };
        plan_reduce(&m->out_tb.num, &m->out_tb.den);
        m->step = m->out_tb;
        /* output pts of output 0 = floor(first time * fps) */
        wide num = (wide)first_pts * in_tb.num * fps.num;
        wide den = (wide)in_tb.den * fps.den;
        wide q = num / den;
        if (num % den && num < 0)
            q--;
        if (!fits64(q))
            return -ERANGE;
        m->out_pts_offset = (int64_t)q;
    } else if (mode == PLAN_FACTOR) {
        if (factor < 1 || factor > 64)
            return -EINVAL;
        m->out_tb = (WeftRational){ in_tb.num, in_tb.den * (int64_t)factor };
        plan_reduce(&m->out_tb.num, &m->out_tb.den);
    } else {
        return -EINVAL;
    }
    return 0;
}

int plan_time_map_set_speed(TimeMap *m, WeftRational speed)
{
    if (!m || m->mode != PLAN_FPS || !valid_rational(speed))
        return -EINVAL;
    wide num = (wide)m->fps.den * speed.num, den = (wide)m->fps.num * speed.den;
    wide g = gcd_wide(num, den);
    num /= g;
    den /= g;
    if (!fits64(num) || !fits64(den))
        return -ERANGE;
    m->step = (WeftRational){ (int64_t)num, (int64_t)den };
    return 0;
}

int plan_time_map_set_curve(TimeMap *m, const PlanCurve *curve)
{
    if (!m || m->mode != PLAN_FPS || !curve)
        return -EINVAL;
    m->curve = curve;
    return 0;
}

/* Sub-unit resolution of curve times: 1/65536 of a pts unit is far below any frame
 * interval, and rounding to a fixed grid makes curve timing the same on every machine. */
#define CURVE_SUBUNITS 65536

static int curve_output_time(const TimeMap *m, int64_t k, PlanTime *out)
{
    double out_seconds = (double)k * (double)m->fps.den / (double)m->fps.num;
    double src_seconds = plan_curve_source_time(m->curve, out_seconds);
    double subunits = src_seconds * (double)m->in_tb.den / (double)m->in_tb.num * CURVE_SUBUNITS;
    if (k < 0 || !(subunits < 4e18))
        return -ERANGE;
    wide num = (wide)m->first_pts * CURVE_SUBUNITS + (wide)llround(subunits);
    int64_t den = CURVE_SUBUNITS;
    if (!fits64(num))
        return -ERANGE;
    out->num = (int64_t)num;
    out->den = den;
    plan_reduce(&out->num, &out->den);
    return 0;
}

int plan_fps_output_time(const TimeMap *m, int64_t k, PlanTime *out)
{
    if (m->curve)
        return curve_output_time(m, k, out);
    /* time_k (seconds) = first_pts * tb + k * step (step = speed / fps seconds); in pts
     * units: first_pts + k * step / tb = (first_pts * step.den * tb.num + k * step.num *
     * tb.den) / (step.den * tb.num). Products are checked: a step held in 64-bit terms
     * times a large k could pass 128 bits. */
    wide den = (wide)m->step.den * m->in_tb.num;
    wide offset, advance, num;
    if (k < 0 || __builtin_mul_overflow((wide)m->first_pts, den, &offset) ||
        __builtin_mul_overflow((wide)k * m->step.num, (wide)m->in_tb.den, &advance) ||
        __builtin_add_overflow(offset, advance, &num))
        return -ERANGE;
    wide g = gcd_wide(num, den);
    if (g > 1) {
        num /= g;
        den /= g;
    }
    if (!fits64(num) || !fits64(den))
        return -ERANGE;
    out->num = (int64_t)num;
    out->den = (int64_t)den;
    return 0;
}

int64_t plan_fps_output_pts(const TimeMap *m, int64_t k)
{
    return m->out_pts_offset + k;
}

void plan_factor_output_time(const TimeMap *m, int64_t from, int64_t length, int j,
                             PlanTime *time, int64_t *out_pts)
{
    /* step j of N: from + j * length / N, in pts units; in the output time base tb / N
     * (before reduction) that is from * N + j * length. */
    int64_t n = m->factor;
    time->num = from * n + (int64_t)j * length;
    time->den = n;
    plan_reduce(&time->num, &time->den);
    /* out_tb = in_tb / N reduced: scale = (in_tb / out_tb) pts per input pts unit */
    wide scale_num = (wide)m->in_tb.num * m->out_tb.den;
    wide scale_den = (wide)m->in_tb.den * m->out_tb.num;
    wide units = ((wide)from * n + (wide)j * length) * scale_num / (scale_den * n);
    *out_pts = (int64_t)units;
}

int plan_time_cmp_pts(PlanTime a, int64_t pts)
{
    wide lhs = (wide)a.num, rhs = (wide)pts * a.den;
    return lhs < rhs ? -1 : lhs > rhs ? 1 : 0;
}

void plan_locate(PlanTime at, int64_t prev, int64_t next, int64_t *t_num, int64_t *t_den)
{
    /* t = (at - prev) / (next - prev) = (at.num - prev * at.den) / ((next - prev) * at.den) */
    wide num = (wide)at.num - (wide)prev * at.den;
    wide den = (wide)(next - prev) * at.den;
    wide g = gcd_wide(num, den);
    if (g > 1) {
        num /= g;
        den /= g;
    }
    /* t in [0, 1): after reduction den <= (next - prev) * at.den fits when inputs do; clamp
     * the (theoretical) overflow case to the nearest representable fraction. */
    while (!fits64(den)) {
        num >>= 1;
        den >>= 1;
    }
    *t_num = (int64_t)num;
    *t_den = (int64_t)den;
}
