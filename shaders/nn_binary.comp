#version 450
// nn_binary: elementwise binary op with broadcast or scalar; contract in lib/ops/nn_binary.h.
// Built four times (shaders/meson.build): with TEXEL_INPUTS as nn_binary_tx, inputs read as
// texel buffers (for CPU-hosted drivers); with NN_F16 as nn_binary_f16 / nn_binary_tx_f16,
// fp16 tensors (shaders/nn_storage.glsl).
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
#extension GL_GOOGLE_include_directive : require
#include "nn_storage.glsl"
#ifdef TEXEL_INPUTS
#include "texel_inputs.glsl"
layout(set = 0, binding = 0) uniform samplerBuffer a4;
layout(set = 0, binding = 1) uniform samplerBuffer b4;
#define A(i) TEXEL_AT(a4, i)
#define B(i) TEXEL_AT(b4, i)
#else
layout(std430, set = 0, binding = 0) readonly buffer A_ { NN_T a[]; };
layout(std430, set = 0, binding = 1) readonly buffer B_ { NN_T b[]; };
#define A(i) NN_LOAD(a[i])
#define B(i) NN_LOAD(b[i])
#endif
layout(std430, set = 0, binding = 2) writeonly buffer Out { NN_T dst[]; };
layout(push_constant) uniform Params {
    int c, h, w, op, b_channels, use_scalar;
    float scalar, coef_a, coef_b;
} p;

void main()
{
    int x = int(gl_GlobalInvocationID.x), y = int(gl_GlobalInvocationID.y);
    int c = int(gl_GlobalInvocationID.z);
    if (x >= p.w || y >= p.h || c >= p.c)
        return;
    int i = (c * p.h + y) * p.w + x;
    precise float xa = p.coef_a * A(i);
    precise float yb;
    if (p.use_scalar != 0)
        yb = p.scalar;
    else
        yb = p.coef_b * B(((p.b_channels == 1 ? 0 : c) * p.h + y) * p.w + x);
    precise float v;
    switch (p.op) {
    case 0: v = xa + yb; break;
    case 1: v = xa - yb; break;
    case 2: v = xa * yb; break;
    case 3: v = xa / yb; break;
    case 4: v = max(xa, yb); break;
    case 5: v = min(xa, yb); break;
    case 6: v = yb - xa; break;
    default: v = yb / xa; break;
    }
    dst[i] = NN_STORE(v);
}
