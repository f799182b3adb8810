/*
 * Time maps: exact rational arithmetic that says, for each output frame, which source
 * pair it comes from and at which t. No pixels, no floats in the decisions: time is
 * counted in the input's pts units as an exact fraction, so a 2-hour 24000/1001 ->
 * 60000/1001 timeline has no drift at all.
 */
#ifndef WEFT_PLAN_TIME_MAP_H
#define WEFT_PLAN_TIME_MAP_H

#include <stdint.h>

#include "plan/curve.h"
#include "weft/weft.h"

/* A non-negative exact time in input pts units: num / den, den > 0. */
typedef struct PlanTime {
    int64_t num;
    int64_t den;
} PlanTime;

typedef enum PlanMode {
    PLAN_FPS,    /* output at a fixed rate */
    PLAN_FACTOR, /* each source interval divided into `factor` equal steps (VFR-exact) */
} PlanMode;

typedef struct TimeMap {
    PlanMode mode;
    WeftRational fps;       /* PLAN_FPS: output rate */
    /* PLAN_FPS: source seconds per output frame = speed / fps, reduced (1/fps when speed
     * is 1). Precomputed so a frame index times it stays inside 128-bit products. */
    WeftRational step;
    const PlanCurve *curve; /* PLAN_FPS: when set, source time follows it (not owned) */
    int factor;             /* PLAN_FACTOR */
    WeftRational in_tb;     /* input time base (seconds per pts unit) */
    int64_t first_pts;      /* time of output 0 (input pts units) */
    WeftRational out_tb;    /* output time base */
    int64_t out_pts_offset; /* PLAN_FPS: output pts of output 0 */
} TimeMap;

/* Sets up a map. PLAN_FPS needs fps > 0; PLAN_FACTOR needs 1 <= factor <= 64.
 * -EINVAL on bad arguments, -ERANGE when the numbers cannot be represented exactly. */
int plan_time_map_init(TimeMap *m, PlanMode mode, WeftRational fps, int factor,
                       WeftRational in_tb, int64_t first_pts);

/* PLAN_FPS: plays the source at `speed` (> 0; 1/4 = four times slower, 2 = twice as fast):
 * output k (at output time T0 + k / fps) shows source time T0 + (k / fps) * speed, exactly.
 * Call after plan_time_map_init(). -EINVAL for a bad speed or mode, -ERANGE when speed /
 * fps cannot be held exactly in 64-bit terms. */
int plan_time_map_set_speed(TimeMap *m, WeftRational speed);

/* PLAN_FPS: source time follows a curve (curve.h): output k (at output time k / fps after
 * the first) shows T0 + plan_curve_source_time(k / fps), rounded to 1/65536 pts unit.
 * The curve must outlive the map. -EINVAL in factor mode. */
int plan_time_map_set_curve(TimeMap *m, const PlanCurve *curve);

/* PLAN_FPS: exact time of output k (k >= 0). -ERANGE on overflow. */
int plan_fps_output_time(const TimeMap *m, int64_t k, PlanTime *out);
/* PLAN_FPS: output pts of output k in m->out_tb. */
int64_t plan_fps_output_pts(const TimeMap *m, int64_t k);

/* PLAN_FACTOR: time and output pts of step j (0 <= j < factor) of the interval that
 * starts at pts `from` and lasts `length` (> 0) pts units. */
void plan_factor_output_time(const TimeMap *m, int64_t from, int64_t length, int j,
                             PlanTime *time, int64_t *out_pts);

/* Compares a time with an integer pts: <0, 0, >0. */
int plan_time_cmp_pts(PlanTime a, int64_t pts);

/* Where time `at` lies between source pts `prev` <= at and `next` > prev: *t_num / *t_den
 * in [0, 1) reduced (t_num == 0 means "the source frame itself": copy). */
void plan_locate(PlanTime at, int64_t prev, int64_t next, int64_t *t_num, int64_t *t_den);

/* Reduces a fraction (den > 0). */
void plan_reduce(int64_t *num, int64_t *den);

#endif
