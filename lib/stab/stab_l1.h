/* L1-optimal path smoothing (Grundmann, Kwatra, Essa: "Auto-directed video stabilization
 * with robust L1 optimal camera paths", CVPR 2011), for one path parameter:
 *
 *   minimise  w1 |D1 p|_1 + w2 |D2 p|_1 + w3 |D3 p|_1   subject to  |p_i - c_i| <= r_i
 *
 * where Dk is the k-th forward difference. The L1 norms make most differences exactly zero:
 * the result is made of static (D1 = 0), constant-velocity (D2 = 0) and smooth ease (D3 = 0)
 * segments, as a camera operator would move. Solved by ADMM (Boyd et al. 2011, section 6)
 * over the splitting z = [D1; D2; D3; I] p, whose p-step is a banded (bandwidth 3) linear
 * system factored once. */
#ifndef WEFT_STAB_STAB_L1_H
#define WEFT_STAB_STAB_L1_H

typedef struct StabL1Weights {
    double w1, w2, w3; /* Grundmann et al. use 10, 1, 100 */
} StabL1Weights;

/* c: the original path (n values); r: the allowed distance from it at each i (> 0);
 * p: the smoothed path (n values, may alias nothing). Returns 0, -EINVAL or -ENOMEM. */
int stab_l1_smooth(const double *c, const double *r, int n, const StabL1Weights *w, double *p);

#endif
