#version 450
// nn_pad: zero-pad or crop with an affine colour transform; contract in lib/ops/nn_pad.h.
// Built as variants (shaders/meson.build): with TEXEL_INPUTS as nn_pad_tx, input read as a
// texel buffer (for CPU-hosted drivers); with NN_F16 as nn_pad_f16, a picture (fp32) into an
// fp16 network input, and with NN_F16 and NN_PAD_FROM_NET as nn_pad_out_f16, an fp16 network
// output into a picture (and their _tx forms: a texel view reads either type).
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
#extension GL_GOOGLE_include_directive : require
#include "nn_storage.glsl"
#ifdef NN_PAD_FROM_NET
#define SRC_T NN_T
#define DST_T float
#define SRC_LOAD(v) NN_LOAD(v)
#define DST_STORE(v) (v)
#else
#define SRC_T float
#define DST_T NN_T
#define SRC_LOAD(v) (v)
#define DST_STORE(v) NN_STORE(v)
#endif
#ifdef TEXEL_INPUTS
#include "texel_inputs.glsl"
layout(set = 0, binding = 0) uniform samplerBuffer src4;
#define SRC(i) TEXEL_AT(src4, i)
#else
layout(std430, set = 0, binding = 0) readonly buffer In { SRC_T src[]; };
#define SRC(i) SRC_LOAD(src[i])
#endif
layout(std430, set = 0, binding = 1) writeonly buffer Out { DST_T dst[]; };
layout(push_constant) uniform Params {
    int cin, h, w, cout, oh, ow;
    float m[9];
    float off[3];
} p;

void main()
{
    int x = int(gl_GlobalInvocationID.x), y = int(gl_GlobalInvocationID.y);
    int c = int(gl_GlobalInvocationID.z);
    if (x >= p.ow || y >= p.oh || c >= min(p.cout, 3))
        return;
    precise float v = 0.0;
    if (x < p.w && y < p.h) {
        v = p.off[c];
        int kin = min(p.cin, 3);
        for (int k = 0; k < kin; k++)
            v += p.m[c * 3 + k] * SRC((k * p.h + y) * p.w + x);
    }
    dst[(c * p.oh + y) * p.ow + x] = DST_STORE(v);
}
