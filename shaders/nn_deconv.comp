#version 450
#extension GL_EXT_control_flow_attributes : require
// nn_deconv: 4x4 transposed convolution, stride 2, pad 1, as four 2x2 convolutions by
// output parity; contract and packed weight layout in lib/ops/nn_deconv.h.
// One invocation makes the 8 output channels of one packed block at PX output pixels of
// one parity in a row (ox = 2 (j0 + k) + px, k < PX): they share their weights, and the
// input values their taps overlap on are read once (5 per input row instead of 8).
// Invocation X of the row works on parity X & 1 and j0 = PX (X >> 1); those past the
// row's end have nothing to do (the op's grid may be 2 ceil(w / PX) wide; a wider one
// costs only idle invocations).
layout(local_size_x = 8, local_size_y = 8, local_size_z = 1) in;
#extension GL_GOOGLE_include_directive : require
#include "nn_storage.glsl" // NN_F16 (the _f16 op): fp16 activations
layout(std430, set = 0, binding = 0) readonly buffer In { NN_T src[]; };
layout(std430, set = 0, binding = 1) readonly buffer W { vec4 wt[]; };
layout(std430, set = 0, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, set = 0, binding = 3) writeonly buffer Out { NN_T dst[]; };
layout(push_constant) uniform Params { int cin, h, w, cout, act; float slope; } p;

#define PX 4

void main()
{
    int gx = int(gl_GlobalInvocationID.x), oy = int(gl_GlobalInvocationID.y);
    int b = int(gl_GlobalInvocationID.z);
    int px = gx & 1, j0 = (gx >> 1) * PX;
    int ow = 2 * p.w, oh = 2 * p.h;
    if (j0 >= p.w || oy >= oh || b * 8 >= p.cout)
        return;
    int py = oy & 1, i = oy >> 1;
    int blocks = (p.cout + 7) / 8;
    int wi = (((py * 2 + px) * blocks + b) * p.cin) * 4 * 2;
    // rows: py = 0 takes ky = 1 (iy = i) and ky = 3 (iy = i - 1); py = 1 takes ky = 0
    // (iy = i + 1) and ky = 2 (iy = i). Columns likewise, so for output j the two taps
    // read input columns j + px and j + px - 1: element k + 1 and k of v below.
    int iy0 = i + py, iy1 = i + py - 1;
    bool r0 = iy0 >= 0 && iy0 < p.h, r1 = iy1 >= 0 && iy1 < p.h;
    int first = j0 + px - 1; // input column of v[0]
    vec4 acc0[PX], acc1[PX];
    [[unroll]] for (int k = 0; k < PX; k++) {
        acc0[k] = vec4(0.0);
        acc1[k] = vec4(0.0);
    }
    int plane = p.h * p.w;
    for (int ic = 0; ic < p.cin; ic++) {
        int base = ic * plane;
        float v0[PX + 1], v1[PX + 1];
        [[unroll]] for (int m = 0; m < PX + 1; m++) {
            int ix = first + m;
            bool col = ix >= 0 && ix < p.w;
            v0[m] = r0 && col ? NN_LOAD(src[base + iy0 * p.w + ix]) : 0.0;
            v1[m] = r1 && col ? NN_LOAD(src[base + iy1 * p.w + ix]) : 0.0;
        }
        vec4 w0 = wt[wi], w1 = wt[wi + 1], w2 = wt[wi + 2], w3 = wt[wi + 3];
        vec4 w4 = wt[wi + 4], w5 = wt[wi + 5], w6 = wt[wi + 6], w7 = wt[wi + 7];
        wi += 8;
        [[unroll]] for (int k = 0; k < PX; k++) {
            acc0[k] += v0[k + 1] * w0 + v0[k] * w2 + v1[k + 1] * w4 + v1[k] * w6;
            acc1[k] += v0[k + 1] * w1 + v0[k] * w3 + v1[k + 1] * w5 + v1[k] * w7;
        }
    }
    [[unroll]] for (int k = 0; k < PX; k++) {
        if (j0 + k >= p.w)
            break;
        int ox = 2 * (j0 + k) + px;
        float r[8] = float[8](acc0[k].x, acc0[k].y, acc0[k].z, acc0[k].w, acc1[k].x, acc1[k].y,
                              acc1[k].z, acc1[k].w);
        for (int o = 0; o < 8; o++) {
            int oc = b * 8 + o;
            if (oc >= p.cout)
                break;
            float v = r[o] + bias[oc];
            if (p.act != 0 && v < 0.0)
                v = p.act == 1 ? 0.0 : v * p.slope;
            dst[(oc * oh + oy) * ow + ox] = NN_STORE(v);
        }
    }
}
