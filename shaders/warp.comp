#version 450
// warp: backward warp by a flow field; contract in lib/ops/warp.h.
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer Src { float src[]; };
layout(std430, set = 0, binding = 1) readonly buffer Flow { float flow[]; };
layout(std430, set = 0, binding = 2) writeonly buffer Dst { float dst[]; };
layout(push_constant) uniform Params { int c, h, w; float scale; } p;

void main()
{
    int x = int(gl_GlobalInvocationID.x), y = int(gl_GlobalInvocationID.y);
    if (x >= p.w || y >= p.h)
        return;
    int plane = p.w * p.h;
    int i = y * p.w + x;
    float sx = min(max(float(x) + p.scale * flow[i], 0.0), float(p.w - 1));
    float sy = min(max(float(y) + p.scale * flow[plane + i], 0.0), float(p.h - 1));
    int x0 = int(sx), y0 = int(sy);
    int x1 = min(x0 + 1, p.w - 1), y1 = min(y0 + 1, p.h - 1);
    float fx = sx - float(x0), fy = sy - float(y0);
    for (int c = 0; c < p.c; c++) {
        int b = c * plane;
        float top = src[b + y0 * p.w + x0] + fx * (src[b + y0 * p.w + x1] - src[b + y0 * p.w + x0]);
        float bot = src[b + y1 * p.w + x0] + fx * (src[b + y1 * p.w + x1] - src[b + y1 * p.w + x0]);
        dst[b + i] = top + fy * (bot - top);
    }
}
