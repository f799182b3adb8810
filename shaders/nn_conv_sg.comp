#version 450
#extension GL_EXT_control_flow_attributes : require
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_ballot : require
// nn_conv_sg: nn_conv (contract and packed weight layout in lib/ops/nn_conv.h) for devices
// whose subgroups have at least 8 invocations and support ballot; lib/ops/nn_conv.c picks it
// on CPU-hosted drivers (its 256 accumulators per invocation would spill on a GPU). One
// invocation makes P = 16 consecutive pixels of a row for the 16 output channels of two
// packed blocks.
// Why: on CPU-hosted drivers (lavapipe, Mesa 22.3) a storage buffer load is a loop over
// the SIMD lanes with a bounds-check branch per element, while a texel fetch is one
// branch-free gather per vec4 texel: input and weights are read as vec4 texel buffers
// (OpInfo.texel_tensors; 212 -> 98 CPU-ms on a 64-channel 120x68 layer). The weights of an
// input channel are the same for the whole subgroup: lane l fetches vectors l, l + 8, ...
// of them and every lane takes the rest from its neighbours by subgroupBroadcast (a
// register shuffle); 16 pixels x 16 channels per invocation make each input value feed up
// to 48 multiply-adds (measured with buffer loads: 16 pixels beat 8 and 32, and 2 rows x 8
// pixels).
// Invocations past the image still run (no early return): their lanes load weights for
// the others; their own reads are masked and their writes skipped.
layout(local_size_x = 8, local_size_y = 1, local_size_z = 1) in;
#extension GL_GOOGLE_include_directive : require
#include "nn_storage.glsl" // NN_F16 (the _f16 op): fp16 activations
layout(set = 0, binding = 0) uniform samplerBuffer src4;
layout(set = 0, binding = 1) uniform samplerBuffer wt4;
layout(std430, set = 0, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, set = 0, binding = 3) readonly buffer Res { NN_T res[]; };
layout(std430, set = 0, binding = 4) writeonly buffer Out { NN_T dst[]; };
layout(push_constant) uniform Params {
    int cin, h, w, cout, oh, ow, stride, act;
    float slope;
    int has_res, res_act;
    float res_slope;
} p;

#define P 16 // pixels per invocation (the grid's x counts groups of P: nn_conv_sg_grid())

// One tap (ky, kx): weight vectors 2 t and 2 t + 1 of each block's 18 for this input
// channel, t = 3 ky + kx, live in register R (a0/b0: vectors 0-7, a1/b1: 8-15, a2/b2:
// 16-17) of lanes L0 and L1 (vector index mod 8). The lane index must be a literal.
#define TAP(KX, S, R, L0, L1)                                                              \
    {                                                                                      \
        vec4 wa0 = subgroupBroadcast(a##R, L0), wa1 = subgroupBroadcast(a##R, L1);         \
        vec4 wb0 = subgroupBroadcast(b##R, L0), wb1 = subgroupBroadcast(b##R, L1);         \
        [[unroll]] for (int i = 0; i < P; i++) {                                           \
            float x = v[KX + i * S];                                                       \
            acc[0][i] += x * wa0;                                                          \
            acc[1][i] += x * wa1;                                                          \
            acc[2][i] += x * wb0;                                                          \
            acc[3][i] += x * wb1;                                                          \
        }                                                                                  \
    }

// The input row iy's values for this invocation's taps: v[k] = in[ic][iy][x0 S - 1 + k]
// (zero outside the image). S is a literal so every index into v is a constant.
#define NV(S) (((P - 1) * S + 3 + 6) / 4) /* texels covering the row span at any alignment */
#define ROW(S, KY, RA, LA0, LA1, RB, LB0, LB1, RC, LC0, LC1)                               \
    {                                                                                      \
        int iy = y * S + KY - 1;                                                           \
        float v[(P - 1) * S + 3];                                                          \
        bool row_ok = in_image && iy >= 0 && iy < p.h;                                     \
        int e0 = base + iy * p.w + x0 * S - 1; /* element of v[0] */                       \
        int t0 = e0 >> 2, a = e0 & 3;                                                      \
        float f[4 * NV(S)];                                                                \
        [[unroll]] for (int j = 0; j < NV(S); j++) {                                       \
            vec4 q = texelFetch(src4, clamp(t0 + j, 0, last_texel));                       \
            f[4 * j] = q.x; f[4 * j + 1] = q.y; f[4 * j + 2] = q.z; f[4 * j + 3] = q.w;    \
        }                                                                                  \
        [[unroll]] for (int k = 0; k < (P - 1) * S + 3; k++) {                             \
            int ix = x0 * S - 1 + k;                                                       \
            float e = a == 0 ? f[k] : a == 1 ? f[k + 1] : a == 2 ? f[k + 2] : f[k + 3];    \
            v[k] = row_ok && ix >= 0 && ix < p.w ? e : 0.0;                                \
        }                                                                                  \
        TAP(0, S, RA, LA0, LA1)                                                            \
        TAP(1, S, RB, LB0, LB1)                                                            \
        TAP(2, S, RC, LC0, LC1)                                                            \
    }

#define ACCUMULATE(S)                                                                      \
    for (int ic = 0; ic < p.cin; ic++) {                                                   \
        int base = ic * plane;                                                             \
        int wa = (blk * p.cin + ic) * 18, wb = wa + p.cin * 18;                            \
        vec4 a0 = texelFetch(wt4, wa + lane), a1 = texelFetch(wt4, wa + 8 + lane);         \
        vec4 a2 = lane < 2 ? texelFetch(wt4, wa + 16 + lane) : vec4(0.0);                  \
        vec4 b0 = vec4(0.0), b1 = vec4(0.0), b2 = vec4(0.0);                               \
        if (two_blocks) {                                                                  \
            b0 = texelFetch(wt4, wb + lane);                                               \
            b1 = texelFetch(wt4, wb + 8 + lane);                                           \
            b2 = lane < 2 ? texelFetch(wt4, wb + 16 + lane) : vec4(0.0);                   \
        }                                                                                  \
        ROW(S, 0, 0, 0, 1, 0, 2, 3, 0, 4, 5)                                               \
        ROW(S, 1, 0, 6, 7, 1, 0, 1, 1, 2, 3)                                               \
        ROW(S, 2, 1, 4, 5, 1, 6, 7, 2, 0, 1)                                               \
    }

void main()
{
    // Invocation n makes pixel group n mod groups of row n / groups: consecutive
    // invocations (a subgroup) run along a row and on into the next, so a narrow layer
    // keeps every lane busy (an 8 x 8 workgroup of 16-pixel groups idled 6 lanes of 8 on
    // a 30-pixel row). The grid's rows only extend x past the largest workgroup count.
    int groups = (p.ow + P - 1) / P;
    int n = int(gl_GlobalInvocationID.y * gl_NumWorkGroups.x * gl_WorkGroupSize.x +
                gl_GlobalInvocationID.x);
    int y = n / groups, x0 = (n - y * groups) * P;
    int blk = 2 * int(gl_WorkGroupID.z); // the first of the two packed blocks
    int blocks = (p.cout + 7) / 8;
    bool two_blocks = blk + 1 < blocks;
    bool in_image = x0 < p.ow && y < p.oh;
    int lane = int(gl_SubgroupInvocationID) & 7;
    // acc[0], acc[1]: channels 0-3, 4-7 of block blk; acc[2], acc[3]: of block blk + 1
    vec4 acc[4][P];
    [[unroll]] for (int q = 0; q < 4; q++)
        [[unroll]] for (int i = 0; i < P; i++)
            acc[q][i] = vec4(0.0);
    int plane = p.h * p.w;
    int last_texel = textureSize(src4) - 1;
    if (p.stride == 1) {
        ACCUMULATE(1)
    } else {
        ACCUMULATE(2)
    }
    if (!in_image)
        return;
    [[unroll]] for (int q = 0; q < 4; q++) {
        [[unroll]] for (int c = 0; c < 4; c++) {
            int oc = blk * 8 + q * 4 + c;
            if (oc >= p.cout)
                break;
            float bo = bias[oc];
            [[unroll]] for (int i = 0; i < P; i++) {
                if (x0 + i >= p.ow)
                    break;
                float val = acc[q][i][c] + bo;
                if (p.act != 0 && val < 0.0)
                    val = p.act == 1 ? 0.0 : val * p.slope;
                int at = (oc * p.oh + y) * p.ow + x0 + i;
                if (p.has_res != 0) {
                    val += NN_LOAD(res[at]);
                    if (p.res_act != 0 && val < 0.0)
                        val = p.res_act == 1 ? 0.0 : val * p.res_slope;
                }
                dst[at] = NN_STORE(val);
            }
        }
    }
}
