/* A small network with random weights that uses every op of the .weft vocabulary (conv2d
 * both strides with and without leaky ReLU, deconv2d, leaky_relu, pixel_shuffle, resize,
 * slice, concat, binary with broadcast, swapped broadcast and scalar, eltwise with
 * coefficients, sigmoid, rife_warp), for the tests and the conformance vectors.
 * Inputs: in0 (3 channels), in1 (1 channel), both H x W with H, W multiples of 4; output
 * out0 (4 channels). Weights are stored fp16 (conv) and fp32 (the rest). */
#ifndef WEFT_CONFORMANCE_TESTNET_H
#define WEFT_CONFORMANCE_TESTNET_H

#include <stdint.h>

#include "nn/nn_model.h"

int testnet_build(NnModel **out, uint64_t seed);

#endif
