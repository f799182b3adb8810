/* scene_stats: per-row partial sums for the scene-cut score of a pair of luma images.
 * tensors: 0 a (1 x H x W luma in [0, 1]), 1 b (1 x H x W), 2 out (1 x H x (1 + 2 * BINS)).
 * Row y of out: [0] = sum over x of |a - b|; [1 .. BINS] = histogram of a's row (value v
 * counts in bin min(floor(v * BINS), BINS - 1), v clamped to [0, 1]); [1 + BINS .. 2 BINS] =
 * the same for b. The host adds the rows (scene_score()): row sums keep the op free of
 * atomics, so the C path and the shader give the same numbers and any thread count does.
 * params: h, w. Rows: one per image row. */
#ifndef WEFT_OPS_SCENE_STATS_H
#define WEFT_OPS_SCENE_STATS_H

#include "core/device.h"

#define SCENE_STATS_BINS 16

typedef struct OpSceneStatsParams {
    int32_t h, w;
} OpSceneStatsParams;

extern const OpInfo op_info_scene_stats;
/* out must be 1 x a->h x (1 + 2 * SCENE_STATS_BINS). */
int op_scene_stats(Device *d, WeftTensor *a, WeftTensor *b, WeftTensor *out);

/* Cut score in [0, 1] from the downloaded row sums (h rows) of an image of w x h pixels:
 * the geometric mean of the mean absolute difference (scaled by 4, capped at 1) and the
 * histogram distance (half the L1 distance of the normalised histograms). Both must be
 * high: a fast pan changes pixels but not the histogram, a lighting change shifts the
 * histogram but moves pixels little; a cut changes both. */
float scene_score(const float *rows, int h, int w);

#endif
