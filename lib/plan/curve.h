/*
 * Retiming curves: which source time each output time shows, from a small text file.
 *
 * File format (text, one item per line; `#` starts a comment that runs to the end of the
 * line; blank lines are ignored; numbers are plain decimals such as 2, 0.25 or 1.5, with no
 * sign or exponent; fields are separated by spaces or tabs):
 *
 *   A speed ramp, as keyframes:
 *       ease smooth          optional, first line only: `ease linear` (default) or
 *                            `ease smooth` (smoothstep between keyframes: the speed changes
 *                            gently at each keyframe instead of with a kink)
 *       0    1               TIME SPEED: at output time TIME (seconds from the first output)
 *       2    0.25            the speed is SPEED (0.01..100; 1 = real time, 0.25 = four times
 *       3.5  1               slower); times strictly increase, the first is >= 0.
 *   Before the first keyframe the first speed holds, after the last the last speed holds.
 *   The source time shown at output time T is the integral of the speed from 0 to T.
 *
 *   Or an explicit source-time map:
 *       map 0 0              map OUT_TIME SRC_TIME (seconds from the first output / the first
 *       4 1                  source picture); at least two lines, both columns strictly
 *       map 6 3              increasing; linear between the points, extended with the slope
 *                            of the first / last segment outside them (never before source 0).
 *   (Every line of a map starts with `map`; a file is either keyframes or a map.)
 *
 * Errors name the line and what was expected, e.g.
 *       curve line 3: expected 'TIME SPEED', got 'abc'
 *
 * The parser works on a memory buffer (plan_curve_parse) so it can be fuzzed and used by
 * front ends that hold the text; plan_curve_load reads a file for weft_open(), which loads
 * the `curve` setting's file like it loads model files.
 *
 * Evaluation is in double-precision seconds (a ramp's integral is a polynomial of the
 * keyframe decimals); the pipeline rounds the result to 1/65536 of an input pts unit, so
 * curve timing is exact to far below a frame and identical on every machine.
 */
#ifndef WEFT_PLAN_CURVE_H
#define WEFT_PLAN_CURVE_H

#include <stddef.h>

typedef struct PlanCurve PlanCurve;

enum { PLAN_CURVE_MAX_POINTS = 100000, PLAN_CURVE_MAX_FILE = 4 << 20 };

/* Parses `size` bytes of text (NUL bytes are an error). On error returns -EINVAL and writes
 * "curve line N: ..." into err (err_size > 0; may be NULL), -ENOMEM on allocation failure,
 * -ERANGE for more than PLAN_CURVE_MAX_POINTS points. *out is NULL on error. */
int plan_curve_parse(PlanCurve **out, const char *text, size_t size, char *err, size_t err_size);

/* Reads and parses a file (at most PLAN_CURVE_MAX_FILE bytes). -ENOENT/-EIO/... for the
 * file itself, else as plan_curve_parse. */
int plan_curve_load(PlanCurve **out, const char *path, char *err, size_t err_size);

void plan_curve_free(PlanCurve **curve);

/* Source time (seconds after the first source picture) shown at output time `out_seconds`
 * (>= 0, seconds after the first output). Strictly increasing in out_seconds. */
double plan_curve_source_time(const PlanCurve *curve, double out_seconds);

#endif
