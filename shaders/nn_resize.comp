#version 450
// nn_resize: bilinear, align_corners 0, edge clamp; contract in lib/ops/nn_resize.h.
// Built twice (shaders/meson.build): with TEXEL_INPUTS as nn_resize_tx, input read as a texel
// buffer (for CPU-hosted drivers).
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
layout(push_constant) uniform Params { int c, h, w, oh, ow; float scale_y, scale_x; } p;

void coeff(int d, float scale, int n, out int s0, out int s1, out float frac)
{
    precise float f = (float(d) + 0.5) * scale - 0.5;
    int s = int(floor(f));
    f -= float(s);
    if (s < 0) {
        s = 0;
        f = 0.0;
    }
    if (s >= n - 1) {
        s = n - 1;
        f = 0.0;
    }
    s0 = s;
    s1 = min(s + 1, n - 1);
    frac = f;
}

void main()
{
    int ox = int(gl_GlobalInvocationID.x), oy = int(gl_GlobalInvocationID.y);
    int c = int(gl_GlobalInvocationID.z);
    if (ox >= p.ow || oy >= p.oh || c >= p.c)
        return;
    int sx0, sx1, sy0, sy1;
    float fx, fy;
    coeff(ox, p.scale_x, p.w, sx0, sx1, fx);
    coeff(oy, p.scale_y, p.h, sy0, sy1, fy);
    int base = c * p.h * p.w;
    float v00 = SRC(base + sy0 * p.w + sx0), v01 = SRC(base + sy0 * p.w + sx1);
    float v10 = SRC(base + sy1 * p.w + sx0), v11 = SRC(base + sy1 * p.w + sx1);
    precise float top = v00 * (1.0 - fx) + v01 * fx;
    precise float bot = v10 * (1.0 - fx) + v11 * fx;
    precise float v = top * (1.0 - fy) + bot * fy;
    dst[(c * p.oh + oy) * p.ow + ox] = NN_STORE(v);
}
