/* nn_conv_wino: 3x3 convolution, stride 1, padding 1, by Winograd's minimal filtering
 * F(6x6, 3x3) (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", 2016;
 * interpolation points 0, 1, -1, 2, -2, 1/2, -1/2, infinity): per 6x6 output tile,
 * Y = A^T [ sum_i U_i (.) (B^T d_i B) ] A with U = G g G^T and d_i the 8x8 input patch: 64
 * multiplies per tile and input channel for 36 outputs instead of 324 (F(4x4, 3x3), which
 * this op was until 2026-12, takes 36 for 16: 1.27x as many per output, and measured 7-20 %
 * slower per RIFE layer), at the price of larger transform coefficients (rounding error a
 * few times F(4x4)'s, still ~1e-6 relative). Same result as nn_conv with stride 1 up to
 * float rounding (the executor uses it on the C path).
 * tensors: 0 in (CIN x H x W), 1 weights packed by nn_conv_wino_pack() (1 x 1 x N,
 * N = nn_conv_wino_packed_count()), 2 bias (1 x 1 x COUT rounded up to 8), 3 residual
 * (COUT x H x W; read only when has_res), 4 out (COUT x H x W).
 * out = has_res ? res_act(act(conv + bias) + residual) : act(conv + bias), acts as nn_conv.
 * Packed layout: [64 positions xi = 8 * row + col of U][COUT/8 blocks][CIN][8 outputs].
 * Rows (C path): groups of consecutive 6x6 tiles counted across rows of tiles.
 *
 *   B^T = [1  0    -21/4  0     21/4  0     -1  0]     G = [1      0      0    ]
 *         [0  1     1    -17/4 -17/4  1      1  0]         [-2/9  -2/9   -2/9  ]
 *         [0 -1     1     17/4 -17/4 -1      1  0]         [-2/9   2/9   -2/9  ]
 *         [0  1/2   1/4  -5/2  -5/4   2      1  0]         [1/90   1/45   2/45 ]
 *         [0 -1/2   1/4   5/2  -5/4  -2      1  0]         [1/90  -1/45   2/45 ]
 *         [0  2     4    -5/2  -5     1/2    1  0]         [32/45  16/45  8/45 ]
 *         [0 -2     4     5/2  -5    -1/2    1  0]         [32/45 -16/45  8/45 ]
 *         [0 -1     0     21/4  0    -21/4   0  1]         [0      0      1    ]
 *   A^T = [1  1  1  1   1   1     1     0]
 *         [0  1 -1  2  -2   1/2  -1/2   0]
 *         [0  1  1  4   4   1/4   1/4   0]
 *         [0  1 -1  8  -8   1/8  -1/8   0]
 *         [0  1  1  16  16  1/16  1/16  0]
 *         [0  1 -1  32 -32  1/32 -1/32  1] */
#ifndef WEFT_OPS_NN_CONV_WINO_H
#define WEFT_OPS_NN_CONV_WINO_H

#include "core/device.h"

typedef struct OpNnConvWinoParams {
    int32_t cin, h, w, cout, act;
    float slope;
    int32_t has_res, res_act;
    float res_slope;
} OpNnConvWinoParams;

extern const OpInfo op_info_nn_conv_wino;
extern const OpInfo op_info_nn_conv_wino_f16; /* fp16 activations (Device.storage16) */
size_t nn_conv_wino_packed_count(int cout, int cin);
/* w: [cout][cin][3][3]. */
void nn_conv_wino_pack(const float *w, int cout, int cin, float *packed);
int op_nn_conv_wino(Device *d, WeftTensor *in, WeftTensor *weights, WeftTensor *bias, int act,
                    float slope, WeftTensor *residual, int res_act, float res_slope,
                    WeftTensor *out);

#endif
