/* nn_deconv: 4x4 transposed convolution, stride 2, padding 1, bias, optional fused (leaky)
 * ReLU: a network's Deconvolution layer (RIFE's flow heads). Output is 2H x 2W:
 * out[o][oy][ox] = act(bias[o] + sum over i, (iy, ky), (ix, kx) with oy = 2 iy + ky - 1 and
 * ox = 2 ix + kx - 1 of in[i][iy][ix] * w[o][i][ky][kx]).
 * Each output parity (py, px) is a 2x2 convolution: for py = 0 the taps are ky = 1 (iy =
 * oy/2) and ky = 3 (iy = oy/2 - 1); for py = 1, ky = 0 (iy = oy/2 + 1) and ky = 2 (iy = oy/2).
 * tensors: 0 in (CIN x H x W), 1 weights packed by nn_deconv_pack() (1 x 1 x N), 2 bias
 * (1 x 1 x COUT rounded up to 8), 3 out (COUT x 2H x 2W).
 * Packed layout: [4 parities py*2+px][COUT/8 blocks][CIN][taps a*2+b][8 outputs], tap a
 * picks the row of the pair above, b the column.
 * Rows: one per output row. */
#ifndef WEFT_OPS_NN_DECONV_H
#define WEFT_OPS_NN_DECONV_H

#include "core/device.h"

typedef struct OpNnDeconvParams {
    int32_t cin, h, w, cout, act;
    float slope;
} OpNnDeconvParams;

extern const OpInfo op_info_nn_deconv;
/* The same op by a shader for devices with subgroups of 8+ invocations and ballot
 * (Device.subgroup_size); op_nn_deconv() picks it on CPU-hosted drivers (Device.cpu_hosted). */
extern const OpInfo op_info_nn_deconv_sg;
extern const OpInfo op_info_nn_deconv_f16; /* fp16 activations (Device.storage16) */
extern const OpInfo op_info_nn_deconv_sg_f16; /* fp16 activations (Device.storage16) */
size_t nn_deconv_packed_count(int cout, int cin);
/* w: [cout][cin][4][4]. */
void nn_deconv_pack(const float *w, int cout, int cin, float *packed);
/* The deconvolution as a 3x3 padding-1 convolution of 4 cout outputs (output oc * 4 + 2 py + px
 * makes the outputs of parity (py, px) of channel oc, at the input's size), to be followed by
 * a pixel shuffle of 2: w [cout][cin][4][4] -> w3 [4 cout][cin][3][3] (5 of 9 taps zero). The
 * C path runs that convolution by Winograd (nn_conv_wino): 1.8 multiplies per output and
 * input channel instead of the direct form's 4. */
void nn_deconv_as_conv3x3(const float *w, int cout, int cin, float *w3);
int op_nn_deconv(Device *d, WeftTensor *in, WeftTensor *weights, WeftTensor *bias, int act,
                 float slope, WeftTensor *out);

#endif
