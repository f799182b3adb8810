/* Motion blur of a virtual shutter: the average of several in-betweens spread evenly over
 * the time the shutter is open. Each sample is a real in-between (objects are moved over
 * what they cover, not smeared in place), so the smear of a moving object extends by its
 * speed times the exposure, as a camera's does. */
#ifndef WEFT_SYNTH_SHUTTER_H
#define WEFT_SYNTH_SHUTTER_H

#include "core/device.h"

/* Makes the in-between of the current pair at time t (0 < t < 1) into out. */
typedef int (*ShutterRender)(void *opaque, float t, WeftTensor *out);

typedef struct Shutter Shutter;

int shutter_create(Shutter **out, Device *d, int channels, int width, int height);
void shutter_destroy(Shutter **s);

/* out = mean of render(t_i), t_i = t0 + (i + 1/2) (t1 - t0) / samples, i < samples (the
 * midpoint rule for a box exposure over [t0, t1]; every t_i lies strictly inside the pair).
 * Needs 0 <= t0 < t1 <= 1 and 1 <= samples <= SHUTTER_MAX_SAMPLES. */
#define SHUTTER_MAX_SAMPLES 32
int shutter_frame(Shutter *s, ShutterRender render, void *opaque, float t0, float t1, int samples,
                  WeftTensor *out);

/* A tensor that keeps one exposure's mean across calls: the part of an output's exposure
 * that lies in one pair, rendered before the next pair replaces it (shutter_frame() into
 * it, shutter_mix() later). */
WeftTensor *shutter_carry(Shutter *s);

/* out = (1 - share) cur + share carry: two parts of one exposure, weighted by their
 * lengths. out must differ from cur and carry. */
int shutter_mix(Shutter *s, WeftTensor *cur, WeftTensor *carry, float share, WeftTensor *out);

/* The carry of the output after: its exposure can begin while the current output's still
 * gathers parts (exposures overlap when the frame interval grows, or when the first
 * output's is moved to start at the first picture). */
WeftTensor *shutter_carry_next(Shutter *s);
/* The next output's carry becomes the carry (the current output is done). */
void shutter_promote(Shutter *s);

/* into = (1 - share) part + share into, for into = the carry or the next carry: one more
 * part of an exposure that spans several pairs, weighted by lengths (share = into's length
 * over the sum). part must be none of the shutter's own tensors. */
int shutter_accumulate(Shutter *s, WeftTensor *into, WeftTensor *part, float share);

/* A scratch tensor of the frame's shape, free between calls (for shutter_mix's output). */
WeftTensor *shutter_scratch(Shutter *s);

/* Samples for an exposure of `width` (in pair time) when points move at most `max_motion`
 * pixels over the pair: about one per pixel of smear, so the average shows no separate
 * copies; at least 2, at most SHUTTER_MAX_SAMPLES. */
int shutter_samples(float max_motion, float width);

/* Where the exposure of an output at pair time t sits: [t - width / 2, t + width / 2],
 * moved (not shortened) to stay inside [0, 1] since only this pair's in-betweens exist;
 * a width over 1 is cut to 1. */
void shutter_window(double t, double width, float *t0, float *t1);

#endif
