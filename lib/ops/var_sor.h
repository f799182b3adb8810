/* var_sor: one red-black successive over-relaxation half-sweep for the linear system of
 * var_weights (Brox et al. ECCV 2004, sec. 3: SOR on the Euler-Lagrange equations).
 * tensors: 0 system (6 x H x W from var_weights: a11, a12, a22, b1, b2, s),
 *          1 flow (2 x H x W, base flow u, v), 2 dflow_in (2 x H x W), 3 dflow_out
 *          (2 x H x W; must not be dflow_in).
 * Pixels with (x + y) % 2 == colour are updated, all others copied from dflow_in. For an
 * updated pixel i with 4-neighbours j inside the image, s_ij = (s_i + s_j) / 2,
 *   S = sum_j s_ij,
 *   du' = (1 - omega) du + omega (b1 + sum_j s_ij (u_j + du_j - u_i) - a12 dv) / (a11 + S)
 *   dv' = (1 - omega) dv + omega (b2 + sum_j s_ij (v_j + dv_j - v_i) - a12 du') / (a22 + S)
 * (a pixel whose denominator is 0 keeps its value). The neighbours all have the other
 * colour, so every updated pixel reads only copied values: rows are independent.
 * params: h, w, colour (0 or 1), omega (0 < omega < 2). Rows: one per image row. */
#ifndef WEFT_OPS_VAR_SOR_H
#define WEFT_OPS_VAR_SOR_H

#include "core/device.h"

typedef struct OpVarSorParams {
    int32_t h, w, colour;
    float omega;
} OpVarSorParams;

extern const OpInfo op_info_var_sor;
int op_var_sor(Device *d, WeftTensor *system, WeftTensor *flow, WeftTensor *dflow_in, int colour,
               float omega, WeftTensor *dflow_out);

#endif
