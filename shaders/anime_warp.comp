#version 450
// anime_warp: both frames warped to t (fixed-point flow inversion) and the share of a to
// keep, averaging where they agree and choosing one side where they disagree; contract in
// lib/ops/anime_warp.h. Same arithmetic order as the C code.
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
layout(std430, set = 0, binding = 0) readonly buffer A { float a[]; };
layout(std430, set = 0, binding = 1) readonly buffer B { float b[]; };
layout(std430, set = 0, binding = 2) readonly buffer Fwd { float fwd[]; };
layout(std430, set = 0, binding = 3) readonly buffer Bwd { float bwd[]; };
layout(std430, set = 0, binding = 4) readonly buffer OccA { float occ_a[]; };
layout(std430, set = 0, binding = 5) readonly buffer OccB { float occ_b[]; };
layout(std430, set = 0, binding = 6) writeonly buffer Out { float dst[]; };
layout(push_constant) uniform Params {
    int c, h, w, iterations;
    float t, sel, sharp;
} p;

// Bilinear sample of the plane starting at `base` of tensor `which` (0 a, 1 b, 2 fwd,
// 3 bwd, 4 occ_a, 5 occ_b) at a clamped position.
float sample_at(int which, int base, float x, float y)
{
    int w = p.w, h = p.h;
    precise float cx = min(max(x, 0.0), float(w - 1));
    precise float cy = min(max(y, 0.0), float(h - 1));
    int x0 = int(cx), y0 = int(cy);
    int x1 = min(x0 + 1, w - 1), y1 = min(y0 + 1, h - 1);
    precise float fx = cx - float(x0), fy = cy - float(y0);
    int i00 = base + y0 * w + x0, i01 = base + y0 * w + x1;
    int i10 = base + y1 * w + x0, i11 = base + y1 * w + x1;
    float v00, v01, v10, v11;
    if (which == 0) {
        v00 = a[i00]; v01 = a[i01]; v10 = a[i10]; v11 = a[i11];
    } else if (which == 1) {
        v00 = b[i00]; v01 = b[i01]; v10 = b[i10]; v11 = b[i11];
    } else if (which == 2) {
        v00 = fwd[i00]; v01 = fwd[i01]; v10 = fwd[i10]; v11 = fwd[i11];
    } else if (which == 3) {
        v00 = bwd[i00]; v01 = bwd[i01]; v10 = bwd[i10]; v11 = bwd[i11];
    } else if (which == 4) {
        v00 = occ_a[i00]; v01 = occ_a[i01]; v10 = occ_a[i10]; v11 = occ_a[i11];
    } else {
        v00 = occ_b[i00]; v01 = occ_b[i01]; v10 = occ_b[i10]; v11 = occ_b[i11];
    }
    precise float top = v00 + fx * (v01 - v00);
    precise float bot = v10 + fx * (v11 - v10);
    precise float r = top + fy * (bot - top);
    return r;
}

// Fixed-point inversion of flow tensor `which` (2 fwd, 3 bwd) scaled by s at (x, y): of the
// start and the iterates, the one with the smallest residual; returns (sx, sy, residual).
vec3 invert_flow(int which, int x, int y, float s)
{
    int plane = p.w * p.h, i = y * p.w + x;
    float u0 = which == 2 ? fwd[i] : bwd[i];
    float v0 = which == 2 ? fwd[plane + i] : bwd[plane + i];
    precise float sx = float(x) - s * u0, sy = float(y) - s * v0;
    float fu = sample_at(which, 0, sx, sy), fv = sample_at(which, plane, sx, sy);
    precise float rx = sx + s * fu - float(x), ry = sy + s * fv - float(y);
    precise float best = rx * rx + ry * ry;
    float bx = sx, by = sy;
    for (int k = 0; k < p.iterations; k++) {
        sx = float(x) - s * fu;
        sy = float(y) - s * fv;
        fu = sample_at(which, 0, sx, sy);
        fv = sample_at(which, plane, sx, sy);
        rx = sx + s * fu - float(x);
        ry = sy + s * fv - float(y);
        precise float r2 = rx * rx + ry * ry;
        if (r2 < best) {
            best = r2;
            bx = sx;
            by = sy;
        }
    }
    precise float res = sqrt(best);
    return vec3(bx, by, res);
}

void main()
{
    int x = int(gl_GlobalInvocationID.x), y = int(gl_GlobalInvocationID.y);
    int w = p.w, h = p.h, c = p.c;
    if (x >= w || y >= h)
        return;
    int plane = w * h, i = y * w + x;
    vec3 ya = invert_flow(2, x, y, p.t);
    vec3 zb = invert_flow(3, x, y, 1.0 - p.t);
    float d = 0.0;
    for (int ch = 0; ch < c; ch++) {
        float va = sample_at(0, ch * plane, ya.x, ya.y);
        float vb = sample_at(1, ch * plane, zb.x, zb.y);
        dst[ch * plane + i] = va;
        dst[(c + ch) * plane + i] = vb;
        d = max(d, abs(va - vb));
    }
    float oa = sample_at(4, 0, ya.x, ya.y), ob = sample_at(5, 0, zb.x, zb.y);
    precise float ca = (1.0 - p.t) * ((1.0 - oa) / (1.0 + ya.z * ya.z) + 1e-3);
    precise float cb = p.t * ((1.0 - ob) / (1.0 + zb.z * zb.z) + 1e-3);
    precise float q = d / p.sel;
    float agree = exp(-q * q);
    float pick = 1.0 / (1.0 + exp(-p.sharp * (ca - cb) / (ca + cb)));
    dst[2 * c * plane + i] = agree * ca / (ca + cb) + (1.0 - agree) * pick;
}
