#version 450
#extension GL_EXT_control_flow_attributes : require
// nn_conv_wino: 3x3 stride-1 convolution by Winograd F(6x6, 3x3); contract, transform
// matrices and packed weight layout in lib/ops/nn_conv_wino.h. One invocation makes one 6x6
// output tile for the 8 output channels of one packed block. (The executor uses nn_conv on
// Vulkan; this shader keeps the op's contract on every device and is checked against the C
// path.)
layout(local_size_x = 8, local_size_y = 8, local_size_z = 1) in;
#extension GL_GOOGLE_include_directive : require
#include "nn_storage.glsl" // NN_F16 (the _f16 op): fp16 activations
layout(std430, set = 0, binding = 0) readonly buffer In { NN_T src[]; };
layout(std430, set = 0, binding = 1) readonly buffer W { vec4 wt[]; };
layout(std430, set = 0, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, set = 0, binding = 3) readonly buffer Res { NN_T res[]; };
layout(std430, set = 0, binding = 4) writeonly buffer Out { NN_T dst[]; };
layout(push_constant) uniform Params {
    int cin, h, w, cout, act;
    float slope;
    int has_res, res_act;
    float res_slope;
} p;

const float BT[64] = float[64](1, 0, -5.25, 0, 5.25, 0, -1, 0, //
                               0, 1, 1, -4.25, -4.25, 1, 1, 0, //
                               0, -1, 1, 4.25, -4.25, -1, 1, 0, //
                               0, 0.5, 0.25, -2.5, -1.25, 2, 1, 0, //
                               0, -0.5, 0.25, 2.5, -1.25, -2, 1, 0, //
                               0, 2, 4, -2.5, -5, 0.5, 1, 0, //
                               0, -2, 4, 2.5, -5, -0.5, 1, 0, //
                               0, -1, 0, 5.25, 0, -5.25, 0, 1);
const float AT[48] = float[48](1, 1, 1, 1, 1, 1, 1, 0, //
                               0, 1, -1, 2, -2, 0.5, -0.5, 0, //
                               0, 1, 1, 4, 4, 0.25, 0.25, 0, //
                               0, 1, -1, 8, -8, 0.125, -0.125, 0, //
                               0, 1, 1, 16, 16, 0.0625, 0.0625, 0, //
                               0, 1, -1, 32, -32, 0.03125, -0.03125, 1);

void main()
{
    int tx = int(gl_GlobalInvocationID.x), ty = int(gl_GlobalInvocationID.y);
    int b = int(gl_GlobalInvocationID.z);
    if (6 * tx >= p.w || 6 * ty >= p.h || b * 8 >= p.cout)
        return;
    int blocks = (p.cout + 7) / 8;
    vec4 m0[64], m1[64]; // M for outputs 0-3 and 4-7 of the block
    [[unroll]] for (int xi = 0; xi < 64; xi++) {
        m0[xi] = vec4(0.0);
        m1[xi] = vec4(0.0);
    }
    int plane = p.h * p.w;
    for (int ic = 0; ic < p.cin; ic++) {
        float d[64];
        [[unroll]] for (int r = 0; r < 8; r++)
            [[unroll]] for (int c = 0; c < 8; c++) {
                int y = 6 * ty - 1 + r, x = 6 * tx - 1 + c;
                d[8 * r + c] = y >= 0 && y < p.h && x >= 0 && x < p.w
                                   ? NN_LOAD(src[ic * plane + y * p.w + x]) : 0.0;
            }
        float e[64]; // B^T d
        [[unroll]] for (int i = 0; i < 8; i++)
            [[unroll]] for (int c = 0; c < 8; c++) {
                float s = 0.0;
                [[unroll]] for (int r = 0; r < 8; r++)
                    s += BT[8 * i + r] * d[8 * r + c];
                e[8 * i + c] = s;
            }
        [[unroll]] for (int i = 0; i < 8; i++)
            [[unroll]] for (int k = 0; k < 8; k++) {
                float v = 0.0; // (B^T d B)[i][k]
                [[unroll]] for (int c = 0; c < 8; c++)
                    v += e[8 * i + c] * BT[8 * k + c];
                int wi = (((8 * i + k) * blocks + b) * p.cin + ic) * 2;
                m0[8 * i + k] += v * wt[wi];
                m1[8 * i + k] += v * wt[wi + 1];
            }
    }
    for (int o = 0; o < 8; o++) {
        int oc = b * 8 + o;
        if (oc >= p.cout)
            break;
        float mm[64];
        [[unroll]] for (int xi = 0; xi < 64; xi++)
            mm[xi] = o < 4 ? m0[xi][o & 3] : m1[xi][o & 3];
        for (int r = 0; r < 6; r++) {
            int y = 6 * ty + r;
            if (y >= p.h)
                break;
            float s[8]; // (A^T M)[r]
            for (int c = 0; c < 8; c++) {
                s[c] = 0.0;
                for (int k = 0; k < 8; k++)
                    s[c] += AT[8 * r + k] * mm[8 * k + c];
            }
            for (int q = 0; q < 6; q++) {
                int x = 6 * tx + q;
                if (x >= p.w)
                    break;
                float yv = 0.0;
                for (int c = 0; c < 8; c++)
                    yv += s[c] * AT[8 * q + c];
                int at = oc * plane + y * p.w + x;
                float val = yv + bias[oc];
                if (p.act != 0 && val < 0.0)
                    val = p.act == 1 ? 0.0 : val * p.slope;
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
