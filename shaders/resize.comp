#version 450
// resize: bilinear resampling with a per-channel value scale; contract in lib/ops/resize.h.
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer Src { float src[]; };
layout(std430, set = 0, binding = 1) writeonly buffer Dst { float dst[]; };
layout(push_constant) uniform Params { int c, h, w, oh, ow; float scale_first, scale_rest; } p;

void main()
{
    int x = int(gl_GlobalInvocationID.x), y = int(gl_GlobalInvocationID.y);
    int c = int(gl_GlobalInvocationID.z);
    if (x >= p.ow || y >= p.oh || c >= p.c)
        return;
    precise float rx = float(p.w) / float(p.ow), ry = float(p.h) / float(p.oh);
    precise float sy = min(max((float(y) + 0.5) * ry - 0.5, 0.0), float(p.h - 1));
    precise float sx = min(max((float(x) + 0.5) * rx - 0.5, 0.0), float(p.w - 1));
    int y0 = int(sy), y1 = min(y0 + 1, p.h - 1);
    int x0 = int(sx), x1 = min(x0 + 1, p.w - 1);
    precise float fy = sy - float(y0), fx = sx - float(x0);
    int base = c * p.h * p.w;
    int r0 = base + y0 * p.w, r1 = base + y1 * p.w;
    precise float top = src[r0 + x0] + fx * (src[r0 + x1] - src[r0 + x0]);
    precise float bot = src[r1 + x0] + fx * (src[r1 + x1] - src[r1 + x0]);
    float scale = c == 0 ? p.scale_first : p.scale_rest;
    precise float value = scale * (top + fy * (bot - top));
    dst[(c * p.oh + y) * p.ow + x] = value;
}
