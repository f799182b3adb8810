/* nn_conv: 3x3 convolution, padding 1, stride 1 or 2, bias, optional fused (leaky) ReLU:
 * a network's Convolution layer.
 * tensors: 0 in (CIN x H x W), 1 weights packed by nn_conv_pack() (1 x 1 x N, N =
 * nn_conv_packed_count()), 2 bias (1 x 1 x COUT rounded up to 8, zero past COUT),
 * 3 residual (COUT x OH x OW; read only when has_res), 4 out (COUT x OH x OW),
 * OH = (H - 1) / stride + 1, same for OW.
 * v = act(bias[o] + sum_{i,ky,kx} w[o][i][ky][kx] * in[i][y*s + ky - 1][x*s + kx - 1])
 * with zeros outside the input; act: 0 none, 1 ReLU, 2 leaky ReLU with slope;
 * out[o][y][x] = has_res ? res_act(v + residual[o][y][x]) : v, res_act as act with
 * res_slope (a residual unit in one pass: convolution, skip add, activation).
 * Packed layout: [COUT/8 blocks][CIN][9 taps][8 outputs] (ky-major taps).
 * Rows: one per output row. */
#ifndef WEFT_OPS_NN_CONV_H
#define WEFT_OPS_NN_CONV_H

#include "core/device.h"

typedef struct OpNnConvParams {
    int32_t cin, h, w, cout, oh, ow, stride, act;
    float slope;
    int32_t has_res, res_act;
    float res_slope;
} OpNnConvParams;

extern const OpInfo op_info_nn_conv;
/* The same op by a shader for devices with subgroups of 8+ invocations and ballot
 * (Device.subgroup_size); op_nn_conv() picks it on CPU-hosted drivers (Device.cpu_hosted). */
extern const OpInfo op_info_nn_conv_sg;
extern const OpInfo op_info_nn_conv_f16; /* fp16 activations (Device.storage16) */
extern const OpInfo op_info_nn_conv_sg_f16; /* fp16 activations (Device.storage16) */
size_t nn_conv_packed_count(int cout, int cin);
/* w: [cout][cin][3][3] as stored by ncnn and .weft. */
void nn_conv_pack(const float *w, int cout, int cin, float *packed);
int op_nn_conv(Device *d, WeftTensor *in, WeftTensor *weights, WeftTensor *bias, int stride,
               int act, float slope, WeftTensor *out);
/* The same with a residual: out = res_act(conv + residual). */
int op_nn_conv_res(Device *d, WeftTensor *in, WeftTensor *weights, WeftTensor *bias, int stride,
                   int act, float slope, WeftTensor *residual, int res_act, float res_slope,
                   WeftTensor *out);

#endif
