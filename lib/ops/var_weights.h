/* var_weights: the linear system of one lagged-nonlinearity step of variational flow
 * refinement (Brox et al. ECCV 2004, eq. 9-11, with Charbonnier penalties and the
 * constraint normalisation of Zimmer, Bruhn & Weickert, IJCV 2011, sec. 4).
 * tensors: 0 derivs (8 x H x W, from var_derivs), 1 flow (2 x H x W, the flow the
 *          derivatives were taken at), 2 dflow (2 x H x W, the current increment),
 *          3 out (6 x H x W).
 * With (du, dv) = dflow and Psi'(s) = 1 / sqrt(s + eps^2):
 *   r0 = Iz + Ix du + Iy dv,  rx = Ixz + Ixx du + Ixy dv,  ry = Iyz + Ixy du + Iyy dv,
 *   n0 = 1 / (Ix^2 + Iy^2 + zeta^2), nx = 1 / (Ixx^2 + Ixy^2 + zeta^2),
 *   ny = 1 / (Ixy^2 + Iyy^2 + zeta^2),
 *   pd = delta n0 Psi'(n0 r0^2, eps_data),  pg = gamma Psi'(nx rx^2 + ny ry^2, eps_data),
 *   gx = pg nx, gy = pg ny,
 *   out0 a11 = pd Ix^2 + gx Ixx^2 + gy Ixy^2,
 *   out1 a12 = pd Ix Iy + gx Ixx Ixy + gy Ixy Iyy,
 *   out2 a22 = pd Iy^2 + gx Ixy^2 + gy Iyy^2,
 *   out3 b1 = -(pd Ix Iz + gx Ixx Ixz + gy Ixy Iyz),
 *   out4 b2 = -(pd Iy Iz + gx Ixy Ixz + gy Iyy Iyz),
 *   out5 s = alpha Psi'(|grad(u + du)|^2 + |grad(v + dv)|^2, eps_smooth), with forward
 *        differences (0 across the right and bottom border).
 * params: h, w, alpha, delta, gamma, zeta_sq, eps_data_sq, eps_smooth_sq (all > 0 except
 * delta, gamma >= 0). Rows: one per image row. */
#ifndef WEFT_OPS_VAR_WEIGHTS_H
#define WEFT_OPS_VAR_WEIGHTS_H

#include "core/device.h"

typedef struct OpVarWeightsParams {
    int32_t h, w;
    float alpha, delta, gamma, zeta_sq, eps_data_sq, eps_smooth_sq;
} OpVarWeightsParams;

extern const OpInfo op_info_var_weights;
/* p->h and p->w are filled from the tensors. */
int op_var_weights(Device *d, WeftTensor *derivs, WeftTensor *flow, WeftTensor *dflow,
                   const OpVarWeightsParams *p, WeftTensor *out);

#endif
