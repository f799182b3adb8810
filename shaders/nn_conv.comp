#version 450
#extension GL_EXT_control_flow_attributes : require
// nn_conv: 3x3 convolution, pad 1, stride 1|2, bias, fused (leaky) ReLU; contract and the
// packed weight layout in lib/ops/nn_conv.h.
// One invocation makes 4 consecutive pixels of a row for the 8 output channels of one packed
// block: every input value read feeds up to 24 multiply-adds and every weight read 4, which
// is what CPU-hosted drivers (lavapipe) need, where each load is an expensive gather.
// The grid's x counts groups of 4 pixels (see nn_conv_grid()).
layout(local_size_x = 64, local_size_y = 1, local_size_z = 1) in;
#extension GL_GOOGLE_include_directive : require
#include "nn_storage.glsl" // NN_F16 (the _f16 op): fp16 activations
layout(std430, set = 0, binding = 0) readonly buffer In { NN_T src[]; };
layout(std430, set = 0, binding = 1) readonly buffer W { vec4 wt[]; };
layout(std430, set = 0, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, set = 0, binding = 3) readonly buffer Res { NN_T res[]; };
layout(std430, set = 0, binding = 4) writeonly buffer Out { NN_T dst[]; };
layout(push_constant) uniform Params {
    int cin, h, w, cout, oh, ow, stride, act;
    float slope;
    int has_res, res_act;
    float res_slope;
} p;

// The input channels' contribution for stride S, a literal: with the loops unrolled every
// index into v is a constant, so v stays in registers (with the stride read from the push
// constants the indices were dynamic and v an array in memory: 1.5x slower on lavapipe).
#define ACCUMULATE(S)                                                                      \
    for (int ic = 0; ic < p.cin; ic++) {                                                   \
        int base = ic * plane;                                                             \
        [[unroll]] for (int ky = 0; ky < 3; ky++) {                                        \
            int iy = y * S + ky - 1;                                                       \
            /* the 3 + 3 S input values this row of taps reads (zero outside) */           \
            float v[3 + 3 * S];                                                            \
            bool row_ok = iy >= 0 && iy < p.h;                                             \
            int rbase = base + iy * p.w;                                                   \
            [[unroll]] for (int k = 0; k < 3 + 3 * S; k++) {                               \
                int ix = x0 * S - 1 + k;                                                   \
                v[k] = row_ok && ix >= 0 && ix < p.w ? NN_LOAD(src[rbase + ix]) : 0.0;     \
            }                                                                              \
            [[unroll]] for (int kx = 0; kx < 3; kx++) {                                    \
                vec4 px = vec4(v[kx], v[kx + S], v[kx + 2 * S], v[kx + 3 * S]);            \
                vec4 w0 = wt[wi], w1 = wt[wi + 1];                                         \
                acc[0] += px * w0.x;                                                       \
                acc[1] += px * w0.y;                                                       \
                acc[2] += px * w0.z;                                                       \
                acc[3] += px * w0.w;                                                       \
                acc[4] += px * w1.x;                                                       \
                acc[5] += px * w1.y;                                                       \
                acc[6] += px * w1.z;                                                       \
                acc[7] += px * w1.w;                                                       \
                wi += 2;                                                                   \
            }                                                                              \
        }                                                                                  \
    }

void main()
{
    // y and b come from the workgroup id: uniform across the workgroup, so the driver can
    // read weights and test rows once for all invocations instead of per invocation
    int x0 = int(gl_GlobalInvocationID.x) * 4, y = int(gl_WorkGroupID.y);
    int b = int(gl_WorkGroupID.z);
    if (x0 >= p.ow || y >= p.oh || b * 8 >= p.cout)
        return;
    vec4 acc[8];
    for (int o = 0; o < 8; o++)
        acc[o] = vec4(0.0);
    int wi = b * p.cin * 9 * 2; // in vec4 units: 8 floats per tap
    int plane = p.h * p.w;
    if (p.stride == 1) {
        ACCUMULATE(1)
    } else {
        ACCUMULATE(2)
    }
    for (int o = 0; o < 8; o++) {
        int oc = b * 8 + o;
        if (oc >= p.cout)
            break;
        for (int i = 0; i < 4; i++) {
            if (x0 + i >= p.ow)
                break;
            float val = acc[o][i] + bias[oc];
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
