#version 450
// nn_pixel_shuffle: depth to space; contract in lib/ops/nn_pixel_shuffle.h.
// Built twice (shaders/meson.build): with TEXEL_INPUTS as nn_pixel_shuffle_tx, input read as
// a texel buffer (for CPU-hosted drivers).
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
#extension GL_GOOGLE_include_directive : require
#include "nn_storage.glsl" // NN_F16 (the _f16 op): fp16 activations
#ifdef TEXEL_INPUTS
#extension GL_GOOGLE_include_directive : require
#include "texel_inputs.glsl"
layout(set = 0, binding = 0) uniform samplerBuffer src4;
#define SRC(i) TEXEL_AT(src4, i)
#else
layout(std430, set = 0, binding = 0) readonly buffer In { NN_T src[]; };
#define SRC(i) NN_LOAD(src[i])
#endif
layout(std430, set = 0, binding = 1) writeonly buffer Out { NN_T dst[]; };
layout(push_constant) uniform Params { int c, h, w, r; } p;

void main()
{
    int ox = int(gl_GlobalInvocationID.x), oy = int(gl_GlobalInvocationID.y);
    int c = int(gl_GlobalInvocationID.z);
    int ow = p.w * p.r, oh = p.h * p.r;
    if (ox >= ow || oy >= oh || c >= p.c)
        return;
    int ic = c * p.r * p.r + (oy % p.r) * p.r + ox % p.r;
    dst[(c * oh + oy) * ow + ox] = NN_STORE(SRC((ic * p.h + oy / p.r) * p.w + ox / p.r));
}
