#version 450
// nn_copy: channel run copy (Crop / Concat); contract in lib/ops/nn_copy.h.
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
#extension GL_GOOGLE_include_directive : require
#include "nn_storage.glsl" // NN_F16 (the _f16 op): fp16 activations
layout(std430, set = 0, binding = 0) readonly buffer In { NN_T src[]; };
layout(std430, set = 0, binding = 1) writeonly buffer Out { NN_T dst[]; };
layout(push_constant) uniform Params { int n, h, w, in_c, src_c, out_c, dst_c; } p;

void main()
{
    int x = int(gl_GlobalInvocationID.x), y = int(gl_GlobalInvocationID.y);
    int k = int(gl_GlobalInvocationID.z);
    if (x >= p.w || y >= p.h || k >= p.n)
        return;
    float v = NN_LOAD(src[((p.src_c + k) * p.h + y) * p.w + x]);
    dst[((p.dst_c + k) * p.h + y) * p.w + x] = NN_STORE(v);
}
