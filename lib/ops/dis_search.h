/* dis_search: patch inverse search of DIS optical flow (Kroeger, Timofte, Dai & Van Gool,
 * "Fast Optical Flow using Dense Inverse Search", ECCV 2016), one displacement per patch.
 * tensors: 0 i0 (1 x H x W, the reference frame), 1 i1 (1 x H x W, the frame searched),
 *          2 prior (2 x H x W dense flow, the initial guess from the coarser level),
 *          3 candidates (2 x PH x PW patch flows of an earlier pass; read only when
 *            use_candidates != 0; any tensor otherwise), 4 out (2 x PH x PW patch flows).
 * Patch grid: patch (i, j) has its top-left corner at
 *   px = min(j * stride, W - patch_size), py = min(i * stride, H - patch_size),
 *   PW = ceil((W - patch_size) / stride) + 1, PH likewise, so patches cover every pixel.
 *   Requires W, H >= patch_size, 1 <= patch_size <= 16, stride >= 1.
 * Per patch:
 *  1. start: u0 = prior at the patch centre (px + patch_size / 2, py + patch_size / 2);
 *     with use_candidates, the start is the one of {candidates[i][j], and the 4-neighbour
 *     patches' candidates} with the lowest cost (first in that order on ties), where the
 *     prior-derived u0 is tried first. This is DIS's spatial propagation done as a parallel
 *     (Jacobi) step.
 *  2. cost(u) = sum over the patch of (i1(x + u) - i0(x) - m(u))^2, with m(u) the mean
 *     difference over the patch (mean normalisation, robust to brightness change); i1 is
 *     sampled bilinearly with clamped coordinates.
 *  3. `iterations` inverse-compositional Gauss-Newton steps: g = grad i0 (central
 *     differences, one-sided at the image border) minus its patch mean,
 *     H = sum g g^T + 1e-6 I, du = H^-1 sum g (i1(x + u) - i0(x) - m(u)), u -= du; stops
 *     early when |du|^2 < 1e-4 px^2.
 *  4. the result is kept only if its cost is not above the start's and |u - u_start| <=
 *     patch_size; otherwise out = u_start.
 * params: h, w, patch_size, stride, ph, pw, iterations, use_candidates.
 * Rows: one per patch row. */
#ifndef WEFT_OPS_DIS_SEARCH_H
#define WEFT_OPS_DIS_SEARCH_H

#include "core/device.h"

typedef struct OpDisSearchParams {
    int32_t h, w, patch_size, stride, ph, pw, iterations, use_candidates;
} OpDisSearchParams;

extern const OpInfo op_info_dis_search;

/* Patch grid size for a frame; 0 on success, -EINVAL when the frame is smaller than a
 * patch. */
int dis_grid_size(int h, int w, int patch_size, int stride, int *ph, int *pw);
/* candidates may be NULL (no propagation). */
int op_dis_search(Device *d, WeftTensor *i0, WeftTensor *i1, WeftTensor *prior,
                  WeftTensor *candidates, int patch_size, int stride, int iterations,
                  WeftTensor *out);

#endif
