/* block_diff: mean absolute difference of two luma images in square blocks, for telling
 * repeated pictures (animation on twos, held drawings) from new ones.
 * tensors: 0 a (1 x H x W), 1 b (1 x H x W), 2 out (1 x ceil(H / block) x ceil(W / block)).
 * out[by][bx] = mean over the block's pixels inside the image of |a - b|, summed row by row
 * in x order (the shader keeps the same order). params: h, w, block (>= 1). Rows: one per
 * block row.
 * Why blocks: a new drawing can differ from the last in a small area only (an eye, a hand)
 * and then the whole-image mean is tiny (0.0008 on one real anime pair), while coding noise
 * is spread thinly everywhere; the largest block mean separates the two (block_diff_max()). */
#ifndef WEFT_OPS_BLOCK_DIFF_H
#define WEFT_OPS_BLOCK_DIFF_H

#include "core/device.h"

typedef struct OpBlockDiffParams {
    int32_t h, w, block;
} OpBlockDiffParams;

extern const OpInfo op_info_block_diff;
/* out must be 1 x ceil(h / block) x ceil(w / block). */
int op_block_diff(Device *d, WeftTensor *a, WeftTensor *b, int block, WeftTensor *out);

/* The largest of n block means (0 for n <= 0). */
float block_diff_max(const float *blocks, int n);

#endif
