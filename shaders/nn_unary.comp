#version 450
// nn_unary: leaky ReLU or sigmoid; contract in lib/ops/nn_unary.h. Built with NN_F16 as
// nn_unary_f16 too (fp16 tensors, shaders/nn_storage.glsl).
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
#extension GL_GOOGLE_include_directive : require
#include "nn_storage.glsl"
layout(std430, set = 0, binding = 0) readonly buffer In { NN_T src[]; };
layout(std430, set = 0, binding = 1) writeonly buffer Out { NN_T dst[]; };
layout(push_constant) uniform Params { int c, h, w, mode; float slope; } p;

void main()
{
    int x = int(gl_GlobalInvocationID.x), y = int(gl_GlobalInvocationID.y);
    int c = int(gl_GlobalInvocationID.z);
    if (x >= p.w || y >= p.h || c >= p.c)
        return;
    int i = (c * p.h + y) * p.w + x;
    float v = NN_LOAD(src[i]);
    if (p.mode == 1)
        dst[i] = NN_STORE(1.0 / (1.0 + exp(-v)));
    else
        dst[i] = NN_STORE(v > 0.0 ? v : v * p.slope);
}
