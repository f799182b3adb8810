/* Synthesis of in-betweens from two frames and their flows: both frames are backward-
 * warped to time t and merged with weights from occlusion and distance in time.
 * synth_prepare() does the per-pair work once (occlusion masks); synth_frame() then makes
 * any number of in-betweens of that pair. */
#ifndef WEFT_SYNTH_SYNTH_H
#define WEFT_SYNTH_SYNTH_H

#include "core/device.h"

typedef struct Synth Synth;

/* channels: planes of the frames (e.g. 3 for RGB/YUV, 4 with alpha). */
int synth_create(Synth **out, Device *d, int channels, int width, int height);
void synth_destroy(Synth **s);
/* Chooses the work per in-between for a WeftFlowQuality (default: medium). */
int synth_set_quality(Synth *s, int quality);
/* Chooses how in-betweens are made for a WeftContent (default: live; anime: synth/anime.h). */
int synth_set_content(Synth *s, int content);

/* a, b: channels x H x W; fwd: 2 x H x W flow a->b; bwd: flow b->a. The tensors must stay
 * alive and unchanged until the next synth_prepare(). */
int synth_prepare(Synth *s, WeftTensor *a, WeftTensor *b, WeftTensor *fwd, WeftTensor *bwd);
/* out: channels x H x W, the frame at t in (0, 1). */
int synth_frame(Synth *s, float t, WeftTensor *out);

#endif
