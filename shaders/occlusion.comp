#version 450
// occlusion: forward-backward consistency; contract in lib/ops/occlusion.h.
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer Fwd { float fwd[]; };
layout(std430, set = 0, binding = 1) readonly buffer Bwd { float bwd[]; };
layout(std430, set = 0, binding = 2) writeonly buffer Out { float dst[]; };
layout(push_constant) uniform Params { int h, w; float rel, abs_sq; } p;

void main()
{
    int x = int(gl_GlobalInvocationID.x), y = int(gl_GlobalInvocationID.y);
    int w = p.w, h = p.h;
    if (x >= w || y >= h)
        return;
    int plane = w * h;
    int i = y * w + x;
    float u = fwd[i], v = fwd[plane + i];
    precise float sx = float(x) + u, sy = float(y) + v;
    if (!(sx >= 0.0 && sx <= float(w - 1) && sy >= 0.0 && sy <= float(h - 1))) {
        dst[i] = 1.0;
        return;
    }
    int x0 = int(sx), y0 = int(sy);
    int x1 = min(x0 + 1, w - 1), y1 = min(y0 + 1, h - 1);
    precise float fx = sx - float(x0), fy = sy - float(y0);
    int a = y0 * w + x0, b = y0 * w + x1, c = y1 * w + x0, e = y1 * w + x1;
    precise float gt = bwd[a] + fx * (bwd[b] - bwd[a]), gb = bwd[c] + fx * (bwd[e] - bwd[c]);
    precise float g = gt + fy * (gb - gt);
    a += plane;
    b += plane;
    c += plane;
    e += plane;
    precise float ht = bwd[a] + fx * (bwd[b] - bwd[a]), hb = bwd[c] + fx * (bwd[e] - bwd[c]);
    precise float hv = ht + fy * (hb - ht);
    precise float d2 = (u + g) * (u + g) + (v + hv) * (v + hv);
    precise float thr = p.rel * (u * u + v * v + g * g + hv * hv) + p.abs_sq;
    precise float value = min(max((d2 - thr) / thr, 0.0), 1.0);
    dst[i] = value;
}
