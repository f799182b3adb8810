#version 450
// nn_unary: leaky ReLU or sigmoid; contract in lib/ops/nn_unary.h.
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer In { float src[]; };
layout(std430, set = 0, binding = 1) writeonly buffer Out { float dst[]; };
layout(push_constant) uniform Params { int c, h, w, mode; float slope; } p;

void main()
{
    int x = int(gl_GlobalInvocationID.x), y = int(gl_GlobalInvocationID.y);
    int c = int(gl_GlobalInvocationID.z);
    if (x >= p.w || y >= p.h || c >= p.c)
        return;
    int i = (c * p.h + y) * p.w + x;
    float v = src[i];
    if (p.mode == 1)
        dst[i] = 1.0 / (1.0 + exp(-v));
    else
        dst[i] = v > 0.0 ? v : v * p.slope;
}
