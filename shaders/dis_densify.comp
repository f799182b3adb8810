#version 450
// dis_densify: dense flow from DIS patch flows, each patch weighted by how well it explains
// the pixel; contract in lib/ops/dis_densify.h. Same loops and arithmetic order as the C
// code (precise: no fused multiply-add, so both agree to the last bit where they can).
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer I0 { float i0[]; };
layout(std430, set = 0, binding = 1) readonly buffer I1 { float i1[]; };
layout(std430, set = 0, binding = 2) readonly buffer Patches { float pf[]; };
layout(std430, set = 0, binding = 3) writeonly buffer Out { float dst[]; };
layout(push_constant) uniform Params { int h, w, patch_size, stride, ph, pw; } p;

// Range of patch indices along one axis whose span [pos, pos + n) holds coordinate x.
ivec2 covering(int x, int n, int stride, int count, int size)
{
    int lo = x - n + 1 <= 0 ? 0 : (x - n + 1 + stride - 1) / stride;
    int hi = min(x / stride, count - 1);
    if (x >= size - n)
        hi = count - 1;
    lo = min(lo, count - 1);
    return ivec2(lo, hi);
}

void main()
{
    int x = int(gl_GlobalInvocationID.x), y = int(gl_GlobalInvocationID.y);
    if (x >= p.w || y >= p.h)
        return;
    int w = p.w, h = p.h, n = p.patch_size;
    int plane = w * h, pplane = p.pw * p.ph;
    ivec2 iy = covering(y, n, p.stride, p.ph, h);
    ivec2 jx = covering(x, n, p.stride, p.pw, w);
    float ref = i0[y * w + x];
    precise float su = 0.0, sv = 0.0, sw = 0.0;
    for (int i = iy.x; i <= iy.y; i++) {
        int py = min(i * p.stride, h - n);
        if (y < py || y >= py + n)
            continue;
        for (int j = jx.x; j <= jx.y; j++) {
            int px = min(j * p.stride, w - n);
            if (x < px || x >= px + n)
                continue;
            int q = i * p.pw + j;
            float u = pf[q], v = pf[pplane + q];
            precise float sx = min(max(float(x) + u, 0.0), float(w - 1));
            precise float sy = min(max(float(y) + v, 0.0), float(h - 1));
            int x0 = int(sx), y0 = int(sy);
            int x1 = min(x0 + 1, w - 1), y1 = min(y0 + 1, h - 1);
            precise float fx = sx - float(x0), fy = sy - float(y0);
            int ra = y0 * w, rb = y1 * w;
            precise float top = i1[ra + x0] + fx * (i1[ra + x1] - i1[ra + x0]);
            precise float bot = i1[rb + x0] + fx * (i1[rb + x1] - i1[rb + x0]);
            precise float err = abs(top + fy * (bot - top) - ref);
            precise float wt = 1.0 / max(err, 1.0 / 255.0);
            su += wt * u;
            sv += wt * v;
            sw += wt;
        }
    }
    int o = y * w + x;
    dst[o] = sw > 0.0 ? su / sw : 0.0;
    dst[plane + o] = sw > 0.0 ? sv / sw : 0.0;
}
