#version 450
// nn_copy: channel run copy (Crop / Concat); contract in lib/ops/nn_copy.h.
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer In { float src[]; };
layout(std430, set = 0, binding = 1) writeonly buffer Out { float dst[]; };
layout(push_constant) uniform Params { int n, h, w, in_c, src_c, out_c, dst_c; } p;

void main()
{
    int x = int(gl_GlobalInvocationID.x), y = int(gl_GlobalInvocationID.y);
    int k = int(gl_GlobalInvocationID.z);
    if (x >= p.w || y >= p.h || k >= p.n)
        return;
    dst[((p.dst_c + k) * p.h + y) * p.w + x] = src[((p.src_c + k) * p.h + y) * p.w + x];
}
