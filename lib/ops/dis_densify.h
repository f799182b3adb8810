/* dis_densify: dense flow from DIS patch flows (Kroeger et al. ECCV 2016, eq. 3): every
 * pixel averages the displacements of the patches covering it, each weighted by how well
 * it explains that pixel.
 * tensors: 0 i0 (1 x H x W), 1 i1 (1 x H x W), 2 patches (2 x PH x PW, from dis_search
 *          with the same patch_size and stride), 3 out (2 x H x W).
 * Patch (i, j) covers the pixels [px, px + patch_size) x [py, py + patch_size) with px, py
 * as in dis_search.h. For pixel x:
 *   out(x) = sum_p w_p u_p / sum_p w_p over the patches p covering x,
 *   w_p = 1 / max(|i1(x + u_p) - i0(x)|, 1 / 255)   (i1 bilinear, clamped coordinates;
 *   the floor is one 8-bit grey level, as in the reference implementation).
 * params: h, w, patch_size, stride, ph, pw. Rows: one per image row. */
#ifndef WEFT_OPS_DIS_DENSIFY_H
#define WEFT_OPS_DIS_DENSIFY_H

#include "core/device.h"

typedef struct OpDisDensifyParams {
    int32_t h, w, patch_size, stride, ph, pw;
} OpDisDensifyParams;

extern const OpInfo op_info_dis_densify;
int op_dis_densify(Device *d, WeftTensor *i0, WeftTensor *i1, WeftTensor *patches, int patch_size,
                   int stride, WeftTensor *out);

#endif
