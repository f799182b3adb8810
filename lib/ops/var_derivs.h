/* var_derivs: image derivatives for variational flow refinement with brightness and
 * gradient constancy (Brox, Bruhn, Papenberg & Weickert, ECCV 2004, sec. 3), linearised
 * around the current flow.
 * tensors: 0 i0 (1 x H x W), 1 i1w (1 x H x W: the second frame backward-warped by the
 *          current flow), 2 flow (2 x H x W, the current flow), 3 out (8 x H x W).
 * With m = (i0 + i1w) / 2 and D_x, D_y the 5-point derivative [1 -8 0 8 -1] / 12, D_xx,
 * D_yy = [1 -2 1], D_xy = the 4-neighbour cross difference / 4 (neighbours outside the
 * image clamp to the edge), out channels are
 *   0 Ix = D_x m, 1 Iy = D_y m, 2 Iz = i1w - i0, 3 Ixx = D_xx m, 4 Ixy = D_xy m,
 *   5 Iyy = D_yy m, 6 Ixz = D_x i1w - D_x i0, 7 Iyz = D_y i1w - D_y i0;
 * all eight are 0 where x + u or y + v falls outside [0, W - 1] x [0, H - 1] (no data
 * there: the refinement then follows the smoothness term).
 * params: h, w. Rows: one per image row. */
#ifndef WEFT_OPS_VAR_DERIVS_H
#define WEFT_OPS_VAR_DERIVS_H

#include "core/device.h"

typedef struct OpVarDerivsParams {
    int32_t h, w;
} OpVarDerivsParams;

extern const OpInfo op_info_var_derivs;
int op_var_derivs(Device *d, WeftTensor *i0, WeftTensor *i1w, WeftTensor *flow, WeftTensor *out);

#endif
