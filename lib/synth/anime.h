/* The anime mode of synthesis (content=anime): in-betweens for 2D animation, where flow
 * has nothing to hold on to in flat colour and a see-through mix of two drawings (a ghost)
 * is worse than either drawing. Four ops per in-between: anime_arc (each flow bent along
 * its local rotation, so a swung limb passes through its arc, not the shortened chord),
 * anime_warp (both frames warped to t; one side chosen where they disagree), anime_tiles (per region: does the warp
 * explain the change better than a cross-fade; if not, is a cross-fade or a hold the
 * consistent fallback) and anime_merge. */
#ifndef WEFT_SYNTH_ANIME_H
#define WEFT_SYNTH_ANIME_H

#include "core/device.h"

typedef struct AnimeSynth AnimeSynth;

int anime_synth_create(AnimeSynth **out, Device *d, int channels, int width, int height);
void anime_synth_destroy(AnimeSynth **s);
/* a, b: frames; fwd, bwd: flows a -> b, b -> a; occ_a, occ_b: occlusion masks (op
 * occlusion, or zero). out: the in-between at t in (0, 1). */
int anime_synth_frame(AnimeSynth *s, WeftTensor *a, WeftTensor *b, WeftTensor *fwd, WeftTensor *bwd,
                      WeftTensor *occ_a, WeftTensor *occ_b, float t, WeftTensor *out);

#endif
