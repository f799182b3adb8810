#version 450
// nn_warp: RIFE's backward warp with its edge extrapolation; contract in lib/ops/nn_warp.h.
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer Img { float img[]; };
layout(std430, set = 0, binding = 1) readonly buffer Flow { float flow[]; };
layout(std430, set = 0, binding = 2) writeonly buffer Out { float dst[]; };
layout(push_constant) uniform Params { int c, h, w; } p;

void main()
{
    int x = int(gl_GlobalInvocationID.x), y = int(gl_GlobalInvocationID.y);
    int c = int(gl_GlobalInvocationID.z);
    if (x >= p.w || y >= p.h || c >= p.c)
        return;
    int plane = p.w * p.h;
    int i = y * p.w + x;
    precise float sx = float(x) + flow[i];
    precise float sy = float(y) + flow[plane + i];
    int x0 = int(floor(sx)), y0 = int(floor(sy));
    int x1 = clamp(x0 + 1, 0, p.w - 1), y1 = clamp(y0 + 1, 0, p.h - 1);
    x0 = clamp(x0, 0, p.w - 1);
    y0 = clamp(y0, 0, p.h - 1);
    precise float alpha = sx - float(x0), beta = sy - float(y0);
    int base = c * plane;
    float v0 = img[base + y0 * p.w + x0], v1 = img[base + y0 * p.w + x1];
    float v2 = img[base + y1 * p.w + x0], v3 = img[base + y1 * p.w + x1];
    precise float v4 = v0 * (1.0 - alpha) + v1 * alpha;
    precise float v5 = v2 * (1.0 - alpha) + v3 * alpha;
    precise float v = v4 * (1.0 - beta) + v5 * beta;
    dst[base + i] = v;
}
