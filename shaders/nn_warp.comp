#version 450
// nn_warp: RIFE's backward warp with its edge extrapolation; contract in lib/ops/nn_warp.h.
// Built twice (shaders/meson.build): nn_warp, an invocation per output element; and with
// TEXEL_INPUTS nn_warp_tx, for CPU-hosted drivers: inputs read as texel buffers and an
// invocation per pixel for every channel (its flow read once).
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
#extension GL_GOOGLE_include_directive : require
#include "nn_storage.glsl" // NN_F16 (the _f16 op): fp16 activations
#ifdef TEXEL_INPUTS
#extension GL_GOOGLE_include_directive : require
#include "texel_inputs.glsl"
layout(set = 0, binding = 0) uniform samplerBuffer img4;
layout(set = 0, binding = 1) uniform samplerBuffer flow4;
#define IMG(i) TEXEL_AT(img4, i)
#define FLOW(i) TEXEL_AT(flow4, i)
#else
layout(std430, set = 0, binding = 0) readonly buffer Img { NN_T img[]; };
layout(std430, set = 0, binding = 1) readonly buffer Flow { NN_T flow[]; };
#define IMG(i) NN_LOAD(img[i])
#define FLOW(i) NN_LOAD(flow[i])
#endif
layout(std430, set = 0, binding = 2) writeonly buffer Out { NN_T dst[]; };
layout(push_constant) uniform Params { int c, h, w; } p;

void main()
{
    int x = int(gl_GlobalInvocationID.x), y = int(gl_GlobalInvocationID.y);
#ifdef TEXEL_INPUTS
    int c_first = 0, c_end = p.c;
#else
    int c_first = int(gl_GlobalInvocationID.z), c_end = c_first + 1;
#endif
    if (x >= p.w || y >= p.h || c_first >= p.c)
        return;
    int plane = p.w * p.h;
    int i = y * p.w + x;
    precise float sx = float(x) + FLOW(i);
    precise float sy = float(y) + FLOW(plane + i);
    int x0 = int(floor(sx)), y0 = int(floor(sy));
    int x1 = clamp(x0 + 1, 0, p.w - 1), y1 = clamp(y0 + 1, 0, p.h - 1);
    x0 = clamp(x0, 0, p.w - 1);
    y0 = clamp(y0, 0, p.h - 1);
    precise float alpha = sx - float(x0), beta = sy - float(y0);
    for (int c = c_first; c < c_end; c++) {
        int base = c * plane;
        float v0 = IMG(base + y0 * p.w + x0), v1 = IMG(base + y0 * p.w + x1);
        float v2 = IMG(base + y1 * p.w + x0), v3 = IMG(base + y1 * p.w + x1);
        precise float v4 = v0 * (1.0 - alpha) + v1 * alpha;
        precise float v5 = v2 * (1.0 - alpha) + v3 * alpha;
        precise float v = v4 * (1.0 - beta) + v5 * beta;
        dst[base + i] = NN_STORE(v);
    }
}
