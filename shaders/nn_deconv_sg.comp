#version 450
#extension GL_EXT_control_flow_attributes : require
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_ballot : require
// nn_deconv_sg: nn_deconv (contract and packed weight layout in lib/ops/nn_deconv.h) for
// devices whose subgroups have at least 8 invocations and support ballot (lib/ops/
// nn_deconv.c picks it on CPU-hosted drivers); the same plan as nn_conv_sg.comp. A workgroup covers one output
// parity (py, px) and one pair of 8-channel blocks, so the weights are the same for all its
// invocations: per input channel lane l loads vector l of each block's 8 and the others
// take them by subgroupBroadcast. One invocation makes PX output pixels of its parity in a
// row (ox = 2 (j0 + k) + px) for 16 channels. Invocations past the image still run (they
// load weights for their neighbours); their reads are masked and their writes skipped.
// Input and weights are vec4 texel buffers and invocations are numbered along the rows
// (one subgroup per workgroup), as in nn_conv_sg.comp and for the same reasons.
layout(local_size_x = 8, local_size_y = 1, local_size_z = 1) in;
#extension GL_GOOGLE_include_directive : require
#include "nn_storage.glsl" // NN_F16 (the _f16 op): fp16 activations
layout(set = 0, binding = 0) uniform samplerBuffer src4;
layout(set = 0, binding = 1) uniform samplerBuffer wt4;
layout(std430, set = 0, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, set = 0, binding = 3) writeonly buffer Out { NN_T dst[]; };
layout(push_constant) uniform Params { int cin, h, w, cout, act; float slope; } p;

#define PX 16 // pixels per invocation: the grid's x counts groups of PX (nn_deconv_sg_grid())

// Tap vectors 2 T (channels 0-3) and 2 T + 1 (4-7) of both blocks, broadcast from their
// lanes (literals), applied to input values A (this pixel's column) for all PX pixels.
#define TAP(T, V, D)                                                                       \
    {                                                                                      \
        vec4 wa0 = subgroupBroadcast(wa, 2 * T), wa1 = subgroupBroadcast(wa, 2 * T + 1);   \
        vec4 wb0 = subgroupBroadcast(wb, 2 * T), wb1 = subgroupBroadcast(wb, 2 * T + 1);   \
        [[unroll]] for (int k = 0; k < PX; k++) {                                          \
            float x = V[k + D];                                                            \
            acc[0][k] += x * wa0;                                                          \
            acc[1][k] += x * wa1;                                                          \
            acc[2][k] += x * wb0;                                                          \
            acc[3][k] += x * wb1;                                                          \
        }                                                                                  \
    }

// V[m] = in[ic][IY][first + m] (zero outside the image, or where OK is false), from the
// vec4 texels that cover the PX + 1 values at any alignment.
#define NV ((PX + 1 + 6) / 4)
#define ROW(V, IY, OK)                                                                     \
    {                                                                                      \
        int e0 = base + IY * p.w + first;                                                  \
        int t0 = e0 >> 2, a = e0 & 3;                                                      \
        float f[4 * NV];                                                                   \
        [[unroll]] for (int j = 0; j < NV; j++) {                                          \
            vec4 q = texelFetch(src4, clamp(t0 + j, 0, last_texel));                       \
            f[4 * j] = q.x; f[4 * j + 1] = q.y; f[4 * j + 2] = q.z; f[4 * j + 3] = q.w;    \
        }                                                                                  \
        [[unroll]] for (int m = 0; m < PX + 1; m++) {                                      \
            int ix = first + m;                                                            \
            float e = a == 0 ? f[m] : a == 1 ? f[m + 1] : a == 2 ? f[m + 2] : f[m + 3];    \
            V[m] = OK && ix >= 0 && ix < p.w ? e : 0.0;                                    \
        }                                                                                  \
    }

void main()
{
    // z = (pair * 2 + px) * 2 + py: uniform over the workgroup
    int z = int(gl_WorkGroupID.z), py = z & 1, px = (z >> 1) & 1, blk = 2 * (z >> 2);
    int groups = (p.w + PX - 1) / PX;
    int n = int(gl_GlobalInvocationID.y * gl_NumWorkGroups.x * gl_WorkGroupSize.x +
                gl_GlobalInvocationID.x);
    int i = n / groups, j0 = (n - i * groups) * PX;
    int oy = 2 * i + py, ow = 2 * p.w, oh = 2 * p.h;
    int blocks = (p.cout + 7) / 8;
    bool two_blocks = blk + 1 < blocks;
    bool in_image = j0 < p.w && i < p.h;
    int lane = int(gl_SubgroupInvocationID) & 7;
    // rows: py = 0 takes ky = 1 (iy = i) and ky = 3 (iy = i - 1); py = 1 takes ky = 0
    // (iy = i + 1) and ky = 2 (iy = i). Columns likewise, so for output j the two taps
    // read input columns j + px and j + px - 1: element k + 1 and k of v below.
    int iy0 = i + py, iy1 = i + py - 1;
    bool r0 = in_image && iy0 >= 0 && iy0 < p.h, r1 = in_image && iy1 >= 0 && iy1 < p.h;
    int first = j0 + px - 1; // input column of v[0]
    // weights of (parity, block, ic): 4 taps x 2 vectors
    int par = py * 2 + px;
    int wia = ((par * blocks + blk) * p.cin) * 8, wib = wia + p.cin * 8;
    vec4 acc[4][PX]; // channels 0-3, 4-7 of block blk, then of block blk + 1
    [[unroll]] for (int q = 0; q < 4; q++)
        [[unroll]] for (int k = 0; k < PX; k++)
            acc[q][k] = vec4(0.0);
    int plane = p.h * p.w;
    int last_texel = textureSize(src4) - 1;
    for (int ic = 0; ic < p.cin; ic++) {
        int base = ic * plane;
        float v0[PX + 1], v1[PX + 1];
        ROW(v0, iy0, r0)
        ROW(v1, iy1, r1)
        vec4 wa = texelFetch(wt4, wia + ic * 8 + lane);
        vec4 wb = two_blocks ? texelFetch(wt4, wib + ic * 8 + lane) : vec4(0.0);
        TAP(0, v0, 1)
        TAP(1, v0, 0)
        TAP(2, v1, 1)
        TAP(3, v1, 0)
    }
    if (!in_image)
        return;
    [[unroll]] for (int q = 0; q < 4; q++) {
        [[unroll]] for (int c = 0; c < 4; c++) {
            int oc = blk * 8 + q * 4 + c;
            if (oc >= p.cout)
                break;
            float bo = bias[oc];
            [[unroll]] for (int k = 0; k < PX; k++) {
                if (j0 + k >= p.w)
                    break;
                float v = acc[q][k][c] + bo;
                if (p.act != 0 && v < 0.0)
                    v = p.act == 1 ? 0.0 : v * p.slope;
                dst[(oc * oh + oy) * ow + 2 * (j0 + k) + px] = NN_STORE(v);
            }
        }
    }
}
