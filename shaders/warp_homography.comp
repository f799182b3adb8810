#version 450
// warp_homography: resampling through a projective map, with hole filling modes; contract
// in lib/ops/warp_homography.h.
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer Src { float src[]; };
layout(std430, set = 0, binding = 1) buffer Dst { float dst[]; };
layout(std430, set = 0, binding = 2) buffer Coverage { float coverage[]; };
layout(push_constant) uniform Params { int c, h, w, oh, ow, mode; float m[9]; float feather; } p;

void main()
{
    int x = int(gl_GlobalInvocationID.x), y = int(gl_GlobalInvocationID.y);
    if (x >= p.ow || y >= p.oh)
        return;
    int o = y * p.ow + x;
    if (p.mode != 0 && coverage[o] >= 1.0)
        return;
    float fx = float(x), fy = float(y);
    // precise: the same rounding as the C path (no fused multiply-adds), so the inside
    // test agrees at the edges
    precise float den = p.m[6] * fx + p.m[7] * fy + p.m[8];
    precise float sx = 0.5 * float(p.w - 1);
    precise float sy = 0.5 * float(p.h - 1);
    bool inside = false;
    if (den > 0.0) {
        precise float nx = p.m[0] * fx + p.m[1] * fy + p.m[2];
        precise float ny = p.m[3] * fx + p.m[4] * fy + p.m[5];
        sx = nx / den;
        sy = ny / den;
        inside = sx >= -0.5 && sx <= float(p.w) - 0.5 && sy >= -0.5 && sy <= float(p.h) - 0.5;
    }
    if (p.mode == 1 && !inside)
        return;
    precise float a = inside ? 1.0 : 0.0;
    if (inside && p.feather > 0.0) {
        precise float reach = min(min(sx + 0.5, float(p.w) - 0.5 - sx),
                                  min(sy + 0.5, float(p.h) - 0.5 - sy));
        a = min(reach / p.feather, 1.0);
    }
    precise float cov = coverage[o];
    precise float b = (1.0 - cov) * a;
    if (p.mode == 1 && !(b > 0.0))
        return; // on the source's very edge: nothing to add
    sx = min(max(sx, 0.0), float(p.w - 1));
    sy = min(max(sy, 0.0), float(p.h - 1));
    int x0 = int(sx), y0 = int(sy);
    int x1 = min(x0 + 1, p.w - 1), y1 = min(y0 + 1, p.h - 1);
    float ax = sx - float(x0), ay = sy - float(y0);
    int plane = p.w * p.h, out_plane = p.ow * p.oh;
    for (int c = 0; c < p.c; c++) {
        int base = c * plane;
        float v00 = src[base + y0 * p.w + x0], v01 = src[base + y0 * p.w + x1];
        float v10 = src[base + y1 * p.w + x0], v11 = src[base + y1 * p.w + x1];
        float top = v00 + ax * (v01 - v00), bot = v10 + ax * (v11 - v10);
        precise float v = top + ay * (bot - top);
        int i = c * out_plane + o;
        if (p.mode == 0)
            dst[i] = v;
        else if (p.mode == 1)
            dst[i] = (cov * dst[i] + b * v) / (cov + b);
        else
            dst[i] = cov * dst[i] + (1.0 - cov) * v;
    }
    if (p.mode == 0)
        coverage[o] = a;
    else if (p.mode == 1)
        coverage[o] = cov + b;
}
