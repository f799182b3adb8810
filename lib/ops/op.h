/*
 * The op table: every per-pixel step of every algorithm is an op.
 *
 * An op has
 *  - a parameter struct (its contract, in lib/ops/<op>.h) made only of 4-byte int32 /
 *    float fields, at most 128 bytes: it is passed verbatim as the shader's push constant
 *    block (std430 layout: same order, same types), and to the C implementation;
 *  - a C implementation over a range of "rows" (the unit the CPU device threads over; a
 *    row must be independent of every other row so the result does not depend on the
 *    thread count);
 *  - a compute shader shaders/<name>.comp with the same contract: binding i of set 0 is
 *    tensor i (a std430 buffer of float, dense C x H x W), in the order the op lists them
 *    (inputs first, then outputs); it runs `grid` invocations with local size `local`;
 *  - a test in tests/ops/ that runs both on random inputs of odd sizes.
 *
 * Algorithms call the op's typed wrapper (e.g. op_warp()), which fills the parameter
 * struct from the tensors and calls device_run().
 */
#ifndef WEFT_OPS_OP_H
#define WEFT_OPS_OP_H

#include <stddef.h>
#include <stdint.h>

#include "core/tensor.h"

#define OP_MAX_TENSORS 8
#define OP_MAX_PARAMS_SIZE 128

typedef struct OpInfo {
    /* also the shader's: shaders/<name>.comp, or for an op <base>_tx shaders/<base>.comp
     * built with TEXEL_INPUTS (shaders/meson.build) */
    const char *name;
    int num_tensors; /* inputs + outputs, as bound to the shader */
    size_t params_size;
    /* Number of independent rows the C implementation is split into. */
    int (*rows)(const void *params, WeftTensor *const *t);
    /* Runs rows [row_begin, row_end). */
    void (*cpu)(const void *params, WeftTensor *const *t, int row_begin, int row_end);
    /* Invocation counts in x, y, z for the shader (before dividing by local size). */
    void (*grid)(const void *params, WeftTensor *const *t, uint32_t grid[3]);
    uint32_t local[3]; /* the shader's local_size_x/y/z */
    /* > 0: the shader uses subgroup operations (basic, ballot) and needs subgroups of at
     * least this many invocations (Device.subgroup_size); other devices refuse the op. */
    int min_subgroup_size;
    /* Bit i set: tensor i is bound as a uniform texel buffer of vec4 texels
     * (VK_FORMAT_R32G32B32A32_SFLOAT, `uniform samplerBuffer` read by texelFetch) instead of
     * a storage buffer; texel j holds floats 4j..4j+3 (past the tensor's end: undefined values,
     * never out of range). Made for CPU-hosted drivers, where a texel fetch is a branch-free gather
     * of 16 bytes per invocation but a storage buffer load is a per-invocation loop per element. */
    unsigned texel_tensors;
    /* Bit i set: tensor i is stored as fp16 (TENSOR_F16; the shader is built with NN_F16,
     * shaders/nn_storage.glsl, and computes in fp32); the op then needs Device.storage16.
     * On the C path the same op runs on fp32 tensors. A texel-buffer tensor that is fp16
     * is viewed as R16G16B16A16_SFLOAT (4 halves a texel, so the indexing is the same). */
    unsigned half_tensors;
} OpInfo;

/* Of an op's four shader variants, the one for a device (texel inputs on CPU-hosted drivers)
 * and for tensors of an element type (fp16: `half`). */
static inline const OpInfo *op_variant(int cpu_hosted, int half, const OpInfo *plain,
                                       const OpInfo *tx, const OpInfo *f16, const OpInfo *tx_f16)
{
    return half ? (cpu_hosted ? tx_f16 : f16) : (cpu_hosted ? tx : plain);
}

/* All ops, for the op tests and the conformance runner; NULL-terminated. */
extern const OpInfo *const op_table[];
const OpInfo *op_find(const char *name);

#endif
